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
