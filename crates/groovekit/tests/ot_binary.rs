//! The `groovekit` CLI on Octatrack banks, arrangements and markers, against the fixture corpus
//! and damaged copies of it in temp dirs.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use groovekit_octatrack::raw::bank::{self, Bank};
use groovekit_octatrack::raw::header::{BinaryKind, update_checksum};
use groovekit_octatrack::raw::pattern;
use predicates::prelude::*;

fn fixtures(test: &str) -> Option<PathBuf> {
    groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), test).map(|d| d.join("octatrack"))
}

fn gk() -> Command {
    Command::cargo_bin("groovekit").unwrap()
}

/// Every bank, arrangement and markers file in the corpus.
fn binary_files(dir: &Path) -> Vec<PathBuf> {
    groovekit_core::fixtures::files_under(dir, &|_| true)
        .into_iter()
        .filter(|p| {
            let b = std::fs::read(p).unwrap();
            matches!(BinaryKind::sniff(&b), Some(BinaryKind::Bank | BinaryKind::Arrangement | BinaryKind::Markers))
        })
        .collect()
}

/// Error text with miette's line wrapping and frame characters removed.
fn flat(stderr: &[u8]) -> String {
    let s = String::from_utf8_lossy(stderr).replace(['│', '×'], " ");
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn inspect_summarises_each_kind() {
    let Some(dir) = fixtures("inspect_summarises_each_kind") else { return };
    gk().arg("inspect")
        .arg(dir.join("bank-copy/BANK-COPY-SRC/bank01.strd"))
        .assert()
        .success()
        .stdout(predicate::str::contains("checksum OK"))
        .stdout(predicate::str::contains("pattern  4: part 4, length 64"))
        .stdout(predicate::str::contains("part 1 TEST1   (saved): T1=Static T2=Static T3=Flex"));
    let out = gk().args(["inspect", "--json"]).arg(dir.join("bank-copy/BANK-COPY-SRC/bank01.work")).output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["kind"], "octatrack-bank");
    assert_eq!(v["patterns_with_trigs"].as_array().unwrap().len(), 4);
    assert_eq!(v["parts"][2]["name"], "TEST3");
    assert_eq!(v["checksum"]["valid"], true);
    gk().arg("inspect")
        .arg(dir.join("arrangements/one_reminder_row.work"))
        .assert()
        .success()
        .stdout(predicate::str::contains("1: reminder \"CHAIN\""));
    gk().arg("inspect")
        .arg(dir.join("arrangements/full_options.work"))
        .assert()
        .success()
        .stdout(predicate::str::contains("checksum WRONG: stored 0x52E3, computed 0x8129"));
    gk().arg("inspect")
        .arg(dir.join("demo-set/DEMO-SET-1/BLANK/markers.work"))
        .assert()
        .success()
        .stdout(predicate::str::contains("recorder 1: trim 0..611561"));
}

#[test]
fn inspect_of_a_bank_lists_p_locks_by_name_and_sample_lock_slots() {
    let Some(dir) = fixtures("inspect_bank_plocks") else { return };
    // The device-made bank-copy bank: pattern 1 has locks on 8 steps, the six FX1 values of its
    // tracks' filters and sample locks of slots 2 and 127 (stored 1 and 126 in lock byte 31).
    let bank = dir.join("bank-copy/BANK-COPY-SRC/bank01.work");
    gk().arg("inspect").arg(&bank).assert().success().stdout(predicate::str::contains(
        "p-locks on 8 steps: fx1.atk fx1.base fx1.dec fx1.depth fx1.q fx1.width; sample locks: slots 2 127",
    ));
    let out = gk().args(["inspect", "--json"]).arg(&bank).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let p4 = &v["patterns_with_trigs"][3];
    assert_eq!(p4["plock_steps"], 32);
    assert_eq!(p4["sample_lock_slots"], serde_json::json!([2, 127]));
    assert_eq!(p4["plock_params"].as_array().unwrap().len(), 6);
    // The real-device bank has trigs and micro-timing but no p-locks: no p-lock line.
    gk().arg("inspect")
        .arg(dir.join("real-device/bank01.work"))
        .assert()
        .success()
        .stdout(predicate::str::contains("p-locks").not());
}

#[test]
fn verify_passes_every_fixture_and_warns_about_the_arrangement_checksum() {
    let Some(dir) = fixtures("verify_passes_every_fixture") else { return };
    let files = binary_files(&dir);
    assert!(files.len() >= 56, "{}", files.len());
    let out = gk().args(["verify", "--json"]).args(&files).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["checked"].as_array().unwrap().len(), files.len());
    assert_eq!(v["problems"].as_array().unwrap().len(), 0);
    let warnings = v["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0]["path"].as_str().unwrap().ends_with("full_options.work"));
    assert_eq!(warnings[0]["offset"], 11_334);
}

#[test]
fn verify_fix_backs_up_and_rewrites_the_checksum() {
    let tmp = tempfile::tempdir().unwrap();
    let mut b = bank::default_bank_bytes();
    b[5000] = 7; // an edit made without updating the checksum
    let path = write(tmp.path(), "bank03.work", &b);
    gk().arg("verify")
        .arg(&path)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("bank03.work @636111: bank checksum mismatch"));
    gk().args(["verify", "--fix"]).arg(&path).assert().success().stdout(predicate::str::contains("fixed:"));
    let fixed = std::fs::read(&path).unwrap();
    assert!(Bank::read(&fixed).is_ok());
    assert_eq!(fixed[..fixed.len() - 2], b[..b.len() - 2], "only the checksum changed");
    assert_eq!(std::fs::read(tmp.path().join("bank03.work.bak")).unwrap(), b, "backup of the original");
    gk().arg("verify").arg(&path).assert().success();
}

#[test]
fn damaged_files_give_errors_with_file_and_offset() {
    let Some(dir) = fixtures("damaged_files") else { return };
    let tmp = tempfile::tempdir().unwrap();
    // Modified copies of a device bank.
    let good = std::fs::read(dir.join("bank-copy/BANK-COPY-SRC/bank01.work")).unwrap();
    let mut oversized = good.clone();
    oversized.extend_from_slice(b"junk");
    let mut magic = good.clone();
    magic[18] = 1;
    let mut version = good.clone();
    version[21] = 15;
    let mut section = good.clone();
    let at = bank::pattern_offset(6) + pattern::MIDI_TRACKS_OFFSET;
    section[at..at + 4].copy_from_slice(b"XXXX");
    update_checksum(&mut section);
    let cases: Vec<(&str, Vec<u8>, String)> = vec![
        ("truncated.work", good[..300_000].to_vec(), "ends at byte 300000".into()),
        ("oversized.work", oversized, "from byte 636113".into()),
        ("magic.work", magic, "wrong magic at byte 18".into()),
        ("version.work", version, "re-save the project".into()),
        ("section.work", section, format!("`MTRA` section header at byte {at}")),
    ];
    for (name, bytes, needle) in cases {
        let p = write(tmp.path(), name, &bytes);
        for cmd in ["inspect", "dump"] {
            let out = gk().arg(cmd).arg(&p).output().unwrap();
            assert_eq!(out.status.code(), Some(1), "{cmd} {name}");
            let err = flat(&out.stderr);
            assert!(err.contains(name) && err.contains(needle.as_str()), "{cmd} {name}: {err}");
            assert!(!err.contains("panicked"), "{err}");
        }
        gk().arg("verify")
            .arg(&p)
            .assert()
            .code(1)
            .stdout(predicate::str::contains(name))
            .stdout(predicate::str::contains(needle.as_str()));
    }
    // A wrong checksum on a bank or markers file fails verify, naming the checksum offset.
    let mut sum = good.clone();
    sum[40_000] ^= 0x10;
    let p = write(tmp.path(), "checksum.work", &sum);
    gk().arg("verify").arg(&p).assert().code(1).stdout(predicate::str::contains("checksum.work @636111"));
    let mut m = std::fs::read(dir.join("demo-set/DEMO-SET-1/BLANK/markers.work")).unwrap();
    m[100] = 1;
    let p = write(tmp.path(), "markers.work", &m);
    gk().arg("verify").arg(&p).assert().code(1).stdout(predicate::str::contains("markers.work @206998"));
    // Arrangements and markers: truncated, wrong version, oversized.
    let arr = std::fs::read(dir.join("arrangements/one_reminder_row.work")).unwrap();
    let mut arr_version = arr.clone();
    arr_version[21] = 5;
    let mut markers_big = std::fs::read(dir.join("blank-project/markers.work")).unwrap();
    markers_big.push(0);
    for (name, bytes, needle) in [
        ("arr01.work", arr[..5000].to_vec(), "ends at byte 5000"),
        ("arr02.work", arr_version, "version 5 at byte 21"),
        ("markers.strd", markers_big, "from byte 207000"),
    ] {
        let p = write(tmp.path(), name, &bytes);
        let out = gk().arg("inspect").arg(&p).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{name}");
        let err = flat(&out.stderr);
        assert!(err.contains(name) && err.contains(needle), "{name}: {err}");
    }
}

#[test]
fn dump_then_build_is_byte_identical_through_the_cli() {
    let Some(dir) = fixtures("cli_dump_build") else { return };
    let tmp = tempfile::tempdir().unwrap();
    for rel in [
        "bank-copy/BANK-COPY-SRC/bank01.work",
        "demo-set/DEMO-SET-1/BLANK/bank01.work",
        "arrangements/full_options.work",
        "blank-project/arr03.work",
        "demo-set/DEMO-SET-1/BLANK/markers.work",
    ] {
        let src = dir.join(rel);
        for format in ["yaml", "json"] {
            let doc = tmp.path().join(format!("doc.{format}"));
            let out = tmp.path().join("out.bin");
            gk().args(["dump", "--format", format, "-o"]).arg(&doc).arg(&src).assert().success();
            // --force: out.bin held another kind the round before (issue 24 refuses that).
            gk().arg("build").arg(&doc).arg("-o").arg(&out).arg("--force").assert().success();
            assert!(std::fs::read(&out).unwrap() == std::fs::read(&src).unwrap(), "{rel} {format}");
        }
    }
}

#[test]
fn build_reports_document_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let doc = write(
        tmp.path(),
        "b.yaml",
        b"kind: octatrack-bank\nversion: 2\npatterns:\n- pattern: 1\n  tracks:\n  - track: 9\n",
    );
    let out = gk().arg("build").arg(&doc).arg("-o").arg(tmp.path().join("x.work")).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = flat(&out.stderr);
    assert!(err.contains("b.yaml") && err.contains("track 9"), "{err}");
    assert!(!tmp.path().join("x.work").exists());
}

#[test]
fn diff_names_trigs_and_machines() {
    // Exit codes as diff(1): 0 the same, 1 different, 2 trouble.
    let Some(dir) = fixtures("cli_diff") else { return };
    let blank = dir.join("blank-project/bank01.work");
    gk().arg("diff")
        .arg(&blank)
        .arg(dir.join("bank-copy/BANK-COPY-SRC/bank01.work"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("bank pattern 1 track 1 step 9: trig added"))
        .stdout(predicate::str::contains("bank pattern 2: part 1 -> 2"))
        .stdout(predicate::str::contains("part 1 track 3: machine Static -> Flex"))
        .stdout(predicate::str::contains("part 1: name \"ONE\" -> \"TEST1\""));
    gk().arg("diff")
        .arg(&blank)
        .arg(dir.join("blank-project/bank02.work"))
        .assert()
        .success()
        .stdout("no differences\n");
    gk().arg("diff")
        .arg(dir.join("arrangements/blank.work"))
        .arg(dir.join("arrangements/one_reminder_row.work"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("arrangement row 1: empty -> reminder \"CHAIN\""));
    gk().arg("diff")
        .arg(dir.join("blank-project/markers.work"))
        .arg(dir.join("demo-set/DEMO-SET-1/BLANK/markers.work"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("markers recorder 1: trim end 0 -> 611561"));
    // Files of two kinds cannot be compared: trouble, as diff(1) says 2.
    gk().arg("diff").arg(&blank).arg(dir.join("blank-project/markers.work")).assert().code(2);
    // A hand edit shows up as exactly that edit.
    let tmp = tempfile::tempdir().unwrap();
    let mut b = Bank::read(&std::fs::read(&blank).unwrap()).unwrap();
    b.pattern_mut(2).audio_track_mut(1).set_mask(0, pattern::set_of(&[5]));
    let edited = write(tmp.path(), "bank01.work", &b.to_bytes());
    gk().arg("diff").arg(&blank).arg(&edited).assert().code(1).stdout("bank pattern 3 track 2 step 5: trig added\n");
}
