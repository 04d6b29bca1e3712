//! Generic command behaviour shared by every format: exit codes, detection, verify's dry run.

use assert_cmd::Command;

fn groovekit() -> Command {
    Command::cargo_bin("groovekit").unwrap()
}

/// A new project made by groovekit, with one bank's body byte changed so its checksum is wrong.
fn project_with_bad_bank() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("P");
    groovekit().args(["ot", "new-project"]).arg(&project).assert().success();
    let bank = project.join("bank03.work");
    let mut bytes = std::fs::read(&bank).unwrap();
    bytes[1000] ^= 0x01;
    std::fs::write(&bank, &bytes).unwrap();
    (dir, bank)
}

#[test]
fn verify_fix_dry_run_reports_and_changes_nothing() {
    let (dir, bank) = project_with_bad_bank();
    let before = std::fs::read(&bank).unwrap();
    let out = groovekit().args(["verify", "--fix", "--dry-run"]).arg(&bank).assert().code(1).get_output().clone();
    // It says what would be fixed (issue 24), on stderr's summary and in the finding.
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("would be repaired"), "{stdout}");
    assert!(stderr.contains("1 would be fixed"), "{stderr}");
    assert_eq!(std::fs::read(&bank).unwrap(), before, "dry run wrote the file");
    let leftovers: Vec<_> = std::fs::read_dir(bank.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".bak"))
        .collect();
    assert!(leftovers.is_empty(), "dry run made a backup");
    // The real fix repairs it, after a backup, and the file then verifies.
    groovekit().args(["verify", "--fix"]).arg(&bank).assert().success();
    groovekit().arg("verify").arg(&bank).assert().success();
    assert!(bank.with_file_name("bank03.work.bak").exists());
    drop(dir);
}

#[test]
fn dry_run_needs_fix_and_unknown_files_fail() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("notes.txt");
    std::fs::write(&f, "hello").unwrap();
    groovekit().args(["verify", "--dry-run"]).arg(&f).assert().code(2);
    groovekit().arg("verify").arg(&f).assert().code(1);
    let out = groovekit().arg("inspect").arg(&f).assert().code(1).get_output().stderr.clone();
    assert!(String::from_utf8_lossy(&out).contains("not a file groovekit recognises"));
}
