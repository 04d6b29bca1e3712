//! `groovekit` on Octatrack projects: project.work inspect/verify/dump/build/diff, project and
//! Set folder checks, and `ot new-project`.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn gk() -> Command {
    Command::cargo_bin("groovekit").unwrap()
}

fn fixtures(test: &str) -> Option<PathBuf> {
    groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), test).map(|d| d.join("octatrack"))
}

fn project_files(ot: &Path) -> Vec<PathBuf> {
    let files = groovekit_core::fixtures::files_under(ot, &|p| p.file_name().is_some_and(|n| n == "project.work"));
    // Every device project in the corpus (4 older fixtures, the real-device one, any added later).
    assert!(files.len() >= 4, "{files:?}");
    assert!(files.iter().any(|f| f.components().any(|c| c.as_os_str() == "BANK-COPY-DEST")), "{files:?}");
    files
}

#[test]
fn inspect_shows_os_tempo_and_slots() {
    let Some(ot) = fixtures("inspect_shows_os_tempo_and_slots") else { return };
    let f = ot.join("bank-copy/BANK-COPY-DEST/project.work");
    gk().arg("inspect")
        .arg(&f)
        .assert()
        .success()
        .stdout(predicate::str::contains("OS version: R0177     1.40B"))
        .stdout(predicate::str::contains("tempo: 120 BPM"))
        .stdout(predicate::str::contains("sample slots: 4 flex, 4 static, 8 recorder buffers"))
        .stdout(predicate::str::contains("static 128: ../AUDIO/fifth-0.wav"));
    let out = gk().args(["inspect", "--json"]).arg(&f).assert().success().get_output().stdout.clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["kind"], "octatrack-project");
    assert_eq!(v["tempo_x24"], 2880);
    assert_eq!(v["samples"].as_array().unwrap().len(), 16);
    assert_eq!(v["samples"][0]["path"], "../AUDIO/first-0.wav");
}

#[test]
fn dump_then_build_is_byte_identical() {
    let Some(ot) = fixtures("dump_then_build_is_byte_identical") else { return };
    let tmp = tempfile::tempdir().unwrap();
    for (i, f) in project_files(&ot).iter().enumerate() {
        for format in ["yaml", "json"] {
            let doc = tmp.path().join(format!("{i}.{format}"));
            let out = tmp.path().join(format!("{i}-{format}.work"));
            gk().arg("dump").arg(f).args(["--format", format, "-o"]).arg(&doc).assert().success();
            gk().arg("build").arg(&doc).arg("-o").arg(&out).assert().success();
            assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(f).unwrap(), "{} {format}", f.display());
        }
    }
}

#[test]
fn editing_the_dump_and_diffing_shows_the_change() {
    let Some(ot) = fixtures("editing_the_dump_and_diffing") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let f = ot.join("bank-copy/BANK-COPY-DEST/project.work");
    let out = gk().arg("dump").arg(&f).assert().success().get_output().stdout.clone();
    let yaml = String::from_utf8(out).unwrap();
    let edited = yaml.replacen("TEMPO: 120\n", "TEMPO: 128\n", 1).replacen(
        "path: ../AUDIO/second-0.wav",
        "path: ../AUDIO/other.wav",
        1,
    );
    let doc = tmp.path().join("p.yaml");
    std::fs::write(&doc, edited).unwrap();
    let built = tmp.path().join("project.work");
    gk().arg("build").arg(&doc).arg("-o").arg(&built).assert().success();
    gk().arg("diff")
        .arg(&f)
        .arg(&built)
        .assert()
        .code(1)
        .stdout("tempo 120 -> 128\nflex slot 2: path ../AUDIO/second-0.wav -> ../AUDIO/other.wav\n");
    gk().arg("diff").arg(&f).arg(&f).assert().success().stdout("no differences\n");
}

#[test]
fn verify_checks_sample_paths() {
    let Some(ot) = fixtures("verify_checks_sample_paths") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let proj = tmp.path().join("P");
    std::fs::create_dir(&proj).unwrap();
    let f = proj.join("project.work");
    std::fs::copy(ot.join("bank-copy/BANK-COPY-DEST/project.work"), &f).unwrap();
    gk().arg("verify")
        .arg(&f)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("flex slot 1: sample `../AUDIO/first-0.wav` not found"))
        .stdout(predicate::str::contains("static slot 128: sample `../AUDIO/fifth-0.wav` not found"))
        .stderr(predicate::str::contains("1 file checked, 8 problems"));
    std::fs::create_dir(tmp.path().join("AUDIO")).unwrap();
    for n in ["first-0", "second-0", "fourth-0", "fifth-0"] {
        std::fs::write(tmp.path().join("AUDIO").join(format!("{n}.wav")), b"").unwrap();
    }
    gk().arg("verify").arg(&f).assert().success().stderr(predicate::str::contains("1 file checked, 0 problems"));
}

#[test]
fn malformed_files_fail_with_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("project.work");
    let bad = "############################\r\n[META]\r\nTYPE=OCTATRACK DPS-1 PROJECT\r\n[/META]\r\n[SETTINGS]\r\nTEMPOx24=fast\r\n[/SETTINGS]\r\n";
    std::fs::write(&f, bad).unwrap();
    gk().arg("verify").arg(&f).assert().code(1).stdout(predicate::str::contains("line 6, column 10"));
    gk().arg("inspect").arg(&f).assert().code(1).stderr(predicate::str::contains("line 6, column 10"));
    std::fs::write(&f, "####\r\n[META]\r\nTYPE=OCTATRACK DPS-1 PROJECT\r\n").unwrap();
    gk().arg("verify").arg(&f).assert().code(1).stdout(predicate::str::contains("never closed"));
}

#[test]
fn new_project_matches_the_device_blank_project() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("NEW");
    gk().args(["ot", "new-project", "--dry-run"])
        .arg(&dir)
        .assert()
        .success()
        .stdout(predicate::str::contains("would write").count(26));
    assert!(!dir.exists());
    // "wrote" lines are a summary: stderr (issue 24); the dry run's list above is its result.
    gk().args(["ot", "new-project"]).arg(&dir).assert().success().stderr(predicate::str::contains("wrote").count(26));
    gk().args(["ot", "new-project"]).arg(&dir).assert().code(1).stderr(predicate::str::contains("--force"));
    gk().args(["ot", "new-project", "--force"])
        .arg(&dir)
        .assert()
        .success()
        .stderr(predicate::str::contains("backed up").count(26));
    if let Some(ot) = fixtures("new_project_matches_the_device_blank_project") {
        for e in std::fs::read_dir(ot.join("blank-project")).unwrap() {
            let e = e.unwrap();
            let got = std::fs::read(dir.join(e.file_name())).unwrap();
            assert!(got == std::fs::read(e.path()).unwrap(), "{:?} differs", e.file_name());
        }
    }
}

#[test]
fn verify_folder_reports_missing_files() {
    let tmp = tempfile::tempdir().unwrap();
    let set = tmp.path().join("SET");
    let dir = set.join("P1");
    gk().args(["ot", "new-project"]).arg(&dir).assert().success();
    std::fs::remove_file(dir.join("bank05.work")).unwrap();
    std::fs::create_dir(set.join("AUDIO")).unwrap();
    // A project folder, then the Set around it: both find the missing bank.
    for target in [&dir, &set] {
        gk().args(["verify", "-v"])
            .arg(target)
            .assert()
            .code(1)
            .stdout(predicate::str::contains("missing bank05.work"))
            .stdout(predicate::str::contains("project.work (octatrack-project)"));
    }
}

/// A fresh project passes the whole-folder check (banks, arrangements and markers are verified
/// by their own handlers).
#[test]
fn verify_accepts_a_new_project() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("NEW");
    gk().args(["ot", "new-project"]).arg(&dir).assert().success();
    gk().arg("verify").arg(&dir).assert().success().stderr(predicate::str::contains("26 files checked, 0 problems"));
}

/// The device Set fixture: every file of its project is checked by its own handler, and the
/// recorder-buffer sample the project names (`../AUDIO/flex.wav`, absent from the Set) is
/// reported.
#[test]
fn verify_set_fixture_checks_every_file_and_sample_path() {
    let Some(ot) = fixtures("verify_set_fixture") else { return };
    // -v lists the good files too (without it, only problems and the summary).
    let got = gk().args(["verify", "-v"]).arg(ot.join("demo-set/DEMO-SET-1")).assert().code(1).get_output().clone();
    // Results on stdout, the summary on stderr (issue 24): read both.
    let out = String::from_utf8(got.stdout).unwrap() + &String::from_utf8(got.stderr).unwrap();
    assert!(out.contains("flex slot 129: sample `../AUDIO/flex.wav` not found"), "{out}");
    assert!(out.contains("27 files checked, 1 problem"), "{out}"); // 26 project files + AUDIO/chain.ot
    assert!(out.contains("BLANK/bank16.work (octatrack-bank)"), "{out}");
    assert!(!out.contains("not recognised"), "{out}");
}

/// `.strd` copies are checked when present, and `--fix` reaches the per-file handlers.
#[test]
fn verify_folder_checks_strd_and_passes_fix_on() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("P");
    gk().args(["ot", "new-project"]).arg(&dir).assert().success();
    let good = std::fs::read(dir.join("bank03.work")).unwrap();
    std::fs::copy(dir.join("bank03.work"), dir.join("bank03.strd")).unwrap();
    let mut bad = good.clone();
    let last = bad.len() - 1;
    bad[last] ^= 0xFF; // break the checksum
    std::fs::write(dir.join("bank03.work"), &bad).unwrap();
    gk().args(["verify", "-v"])
        .arg(&dir)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("bank03.strd (octatrack-bank)"))
        .stderr(predicate::str::contains("27 files checked, 1 problem"));
    gk().args(["verify", "--fix"]).arg(&dir).assert().success();
    assert_eq!(std::fs::read(dir.join("bank03.work")).unwrap(), good);
}

#[test]
fn unreadable_paths_and_usage_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("nowhere/project.work");
    gk().arg("inspect").arg(&missing).assert().code(1).stderr(predicate::str::contains("cannot read"));
    gk().arg("verify").arg(&missing).assert().code(1).stdout(predicate::str::contains("cannot read"));
    gk().args(["ot", "new-project"]).assert().code(2);
    let file = tmp.path().join("a-file");
    std::fs::write(&file, b"x").unwrap();
    let err = gk().args(["ot", "new-project"]).arg(&file).assert().code(1).get_output().stderr.clone();
    // miette wraps long lines to the terminal width: compare words, not layout.
    let words: Vec<String> =
        String::from_utf8_lossy(&err).split_whitespace().filter(|w| *w != "│").map(str::to_string).collect();
    assert!(words.join(" ").contains("exists and is not a folder"), "{words:?}");
}
