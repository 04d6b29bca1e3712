//! `groovekit ot midi`, `ot import-midi` and `convert PROJECT OUT.mid` on the device fixtures.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn groovekit() -> Command {
    Command::cargo_bin("groovekit").unwrap()
}

fn project(test: &str) -> Option<(tempfile::TempDir, PathBuf)> {
    let fx = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), test)?;
    let tmp = tempfile::tempdir().unwrap();
    let dst = tmp.path().join("P");
    std::fs::create_dir_all(&dst).unwrap();
    for e in std::fs::read_dir(fx.join("octatrack/real-device")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dst.join(e.file_name())).unwrap();
    }
    Some((tmp, dst))
}

fn json(out: &[u8]) -> serde_json::Value {
    serde_json::from_slice(out).unwrap()
}

#[test]
fn export_reports_and_convert_writes_the_same_file() {
    let Some((tmp, dir)) = project("export_reports_and_convert_writes_the_same_file") else { return };
    let a = tmp.path().join("a.mid");
    let out = groovekit()
        .args(["ot", "midi"])
        .arg(&dir)
        .args(["--bank", "A", "--pattern", "1", "--json", "-o"])
        .arg(&a)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v = json(&out);
    assert_eq!(v["report"]["ppq"], 9216);
    assert_eq!(v["report"]["notes"], 130);
    assert!(v["report"]["not_exported"].as_array().is_some());
    let b = tmp.path().join("b.mid");
    groovekit()
        .arg("convert")
        .arg(&dir)
        .arg(&b)
        .args(["--option", "bank=1", "--option", "pattern=1"])
        .assert()
        .success();
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    // Bad values are usage errors (exit 2).
    groovekit().args(["ot", "midi"]).arg(&dir).args(["--bank", "Q", "-o"]).arg(&a).assert().code(2);
    groovekit().args(["ot", "midi"]).arg(&dir).args(["--bank", "1", "--pattern", "17", "-o"]).arg(&a).assert().code(2);
    groovekit().arg("convert").arg(&dir).arg(&b).args(["--option", "pattern=3"]).assert().code(2);
}

fn bank_bytes(dir: &Path) -> Vec<u8> {
    std::fs::read(dir.join("bank01.work")).unwrap()
}

/// Bank 1 pattern 1 of `dir` as `<into>/a.mid`.
fn export_pattern_1(dir: &Path, into: &Path) -> PathBuf {
    let mid = into.join("a.mid");
    groovekit()
        .args(["ot", "midi"])
        .arg(dir)
        .args(["--bank", "1", "--pattern", "1", "-o"])
        .arg(&mid)
        .assert()
        .success();
    mid
}

#[test]
fn import_midi_dry_run_changes_nothing_then_imports_with_a_backup() {
    let Some((tmp, dir)) = project("import_midi_dry_run_changes_nothing_then_imports_with_a_backup") else { return };
    let mid = export_pattern_1(&dir, tmp.path());
    let before = bank_bytes(&dir);
    let out = groovekit()
        .args(["ot", "import-midi"])
        .arg(&mid)
        .arg(&dir)
        .args(["--bank", "A", "--pattern", "2", "--dry-run", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v = json(&out);
    assert_eq!(v["dry_run"], true);
    assert_eq!(v["patterns"], serde_json::json!(["A02"]));
    assert_eq!(v["placed"], 130);
    assert_eq!(bank_bytes(&dir), before);
    groovekit()
        .args(["ot", "import-midi"])
        .arg(&mid)
        .arg(&dir)
        .args(["--bank", "1", "--pattern", "2"])
        .assert()
        .success();
    assert_ne!(bank_bytes(&dir), before);
    assert!(dir.join("backups").is_dir());
    // The tracks hold trigs now: refused without --force (exit 1), nothing changed.
    let after = bank_bytes(&dir);
    groovekit()
        .args(["ot", "import-midi"])
        .arg(&mid)
        .arg(&dir)
        .args(["--bank", "1", "--pattern", "2"])
        .assert()
        .code(1);
    assert_eq!(bank_bytes(&dir), after);
    groovekit()
        .args(["ot", "import-midi"])
        .arg(&mid)
        .arg(&dir)
        .args(["--bank", "1", "--pattern", "1", "--track-map", "ch1=M9"])
        .assert()
        .code(2);
}

#[test]
fn help_ends_with_examples() {
    for sub in ["midi", "import-midi"] {
        let out = groovekit().args(["ot", sub, "--help"]).assert().success().get_output().stdout.clone();
        let text = String::from_utf8(out).unwrap();
        assert!(text.trim_end().lines().rev().take(3).all(|l| l.trim_start().starts_with("groovekit ot")), "{text}");
    }
}

/// A damaged MIDI file is named by byte (the shared SMF layout check, as for OP-Z imports):
/// the first track chunk's length made larger than the file.
#[test]
fn import_midi_names_the_byte_of_a_damaged_file() {
    let Some((tmp, dir)) = project("import_midi_names_the_byte_of_a_damaged_file") else { return };
    let mid = export_pattern_1(&dir, tmp.path());
    let mut b = std::fs::read(&mid).unwrap();
    assert_eq!(&b[14..18], b"MTrk");
    b[18..22].copy_from_slice(&0x00FF_FFFFu32.to_be_bytes());
    std::fs::write(&mid, &b).unwrap();
    let before = bank_bytes(&dir);
    let out = groovekit()
        .args(["ot", "import-midi"])
        .arg(&mid)
        .arg(&dir)
        .args(["--bank", "1", "--pattern", "2"])
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).replace('│', " ");
    let err = err.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(err.contains("damaged MIDI file at byte 14: chunk `MTrk` (track 1) declares 16777215 bytes"), "{err}");
    assert_eq!(bank_bytes(&dir), before);
}
