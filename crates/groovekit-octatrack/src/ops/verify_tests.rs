//! Unit tests of the Octatrack checks (kept beside them, out of the library source).

use super::*;
use crate::ops::new_project::{NewProjectOptions, new_project};

fn fresh_project() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("P");
    new_project(&dir, NewProjectOptions::default()).unwrap();
    (tmp, dir)
}

#[test]
fn a_new_project_verifies_clean() {
    let (_tmp, dir) = fresh_project();
    assert_eq!(folder_kind(&dir), Some(Folder::Project));
    let r = verify_folder(&dir, false).unwrap();
    assert_eq!(r.checked.len(), 26);
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert!(!r.failed());
}

#[test]
fn a_damaged_bank_header_is_a_problem_with_its_offset() {
    let (_tmp, dir) = fresh_project();
    let bank = dir.join("bank02.work");
    let mut bytes = std::fs::read(&bank).unwrap();
    bytes[0..4].copy_from_slice(b"XXXX");
    std::fs::write(&bank, &bytes).unwrap();
    assert!(verify_file(&bank, &bytes, false).is_none(), "not sniffed as a bank any more");
    let p = diagnose(&bank, &bytes).unwrap();
    assert_eq!(p.offset, Some(0), "{p:?}");
    assert!(p.message.contains("magic"), "{}", p.message);
    let r = verify_project(&dir, false);
    assert_eq!(r.open_problems(), 1, "{:?}", r.problems);
    assert_eq!(r.problems[0].path, bank);
    assert_eq!(r.problems[0].offset, Some(0));
}

#[test]
fn a_text_file_named_like_a_bank_is_a_problem_not_a_pass() {
    let (_tmp, dir) = fresh_project();
    let bank = dir.join("bank01.work");
    std::fs::write(&bank, "hello\n").unwrap();
    let r = verify_project(&dir, false);
    assert_eq!(r.open_problems(), 1, "{:?}", r.problems);
    assert!(r.problems[0].message.contains("bank"), "{}", r.problems[0].message);
    assert_eq!(diagnose(Path::new("notes.txt"), b"hello"), None);
}

#[test]
fn a_set_checks_its_projects_and_audio_settings() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("AUDIO/sub")).unwrap();
    new_project(&tmp.path().join("ONE"), NewProjectOptions::default()).unwrap();
    std::fs::write(tmp.path().join("AUDIO/sub/loop.ot"), b"short").unwrap();
    assert_eq!(folder_kind(tmp.path()), Some(Folder::Set));
    let r = verify_folder(tmp.path(), false).unwrap();
    assert_eq!(r.checked.len(), 26);
    assert_eq!(r.open_problems(), 1, "the truncated .ot: {:?}", r.problems);
    assert!(r.problems[0].path.ends_with("AUDIO/sub/loop.ot"));
    assert_eq!(folder_kind(&tmp.path().join("AUDIO")), None);
}

#[test]
fn checksum_fix_writes_a_backup_then_repairs() {
    let (_tmp, dir) = fresh_project();
    let bank = dir.join("bank03.work");
    let mut bytes = std::fs::read(&bank).unwrap();
    bytes[1000] ^= 1;
    std::fs::write(&bank, &bytes).unwrap();
    let r = verify_file(&bank, &bytes, false).unwrap();
    assert_eq!(r.open_problems(), 1);
    assert_eq!(r.problems[0].offset, Some(bytes.len() as u64 - 2));
    let r = verify_file(&bank, &bytes, true).unwrap();
    assert!(r.problems[0].fixed, "{:?}", r.problems);
    assert_eq!(std::fs::read(dir.join("bank03.work.bak")).unwrap(), bytes);
    let repaired = std::fs::read(&bank).unwrap();
    assert!(verify_file(&bank, &repaired, false).unwrap().problems.is_empty());
}

#[test]
fn error_offsets_point_at_the_problem() {
    let e = crate::raw::bank::Bank::read(&bank::default_bank_bytes()[..100]).unwrap_err();
    assert_eq!(error_offset(&e), Some(100));
    let mut b = bank::default_bank_bytes();
    b[21] = 1;
    assert_eq!(error_offset(&crate::raw::bank::Bank::read(&b).unwrap_err()), Some(21));
}

#[test]
fn backups_are_not_project_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("backups")).unwrap();
    assert!(is_backup(&dir.path().join("backups")));
    assert!(is_backup(Path::new("P/bank01.work.bak")));
    assert!(is_backup(Path::new("P/bank01.work.bak.3")));
    assert!(!is_backup(Path::new("P/bank01.work")));
    assert!(!is_backup(Path::new("P/.bak")));
    assert!(!is_backup(Path::new("P/bak.wav")));
}

#[test]
fn a_set_without_audio_reports_its_projects_as_one_with_an_empty_audio() {
    let Some(root) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "set without AUDIO") else {
        return;
    };
    let set = tempfile::tempdir().unwrap();
    let project = set.path().join("MYPROJECT");
    std::fs::create_dir(&project).unwrap();
    for e in std::fs::read_dir(root.join("octatrack/real-device")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), project.join(e.file_name())).unwrap();
    }
    // A backup beside a bank is not checked as a bank.
    std::fs::copy(project.join("bank01.work"), project.join("bank01.work.bak")).unwrap();
    assert_eq!(folder_kind(set.path()), Some(Folder::Set));
    let without = verify_set(set.path(), false);
    std::fs::create_dir(set.path().join("AUDIO")).unwrap();
    let with = verify_set(set.path(), false);
    let lines = |r: &Report| r.problems.iter().map(|p| p.line()).collect::<Vec<_>>();
    assert_eq!(lines(&without), lines(&with));
    assert_eq!(without.checked, with.checked);
    assert!(!with.checked.iter().any(|(p, _)| p.to_string_lossy().ends_with(".bak")));
    // The real-device project has 4 of the 26 .work files: the 22 others are reported missing.
    let missing = with.problems.iter().filter(|p| p.message.starts_with("missing ")).count();
    assert_eq!(missing, 26 - 4, "{:#?}", lines(&with));
    assert_eq!(without.notes.len(), 1, "a note says AUDIO is missing");
    assert!(with.notes.is_empty());
}
