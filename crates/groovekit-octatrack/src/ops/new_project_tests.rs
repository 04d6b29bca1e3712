//! Unit tests of `new_project` (kept beside it, out of the library source).

use super::*;

#[test]
fn refuses_non_empty_folders_and_dry_run_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("P");
    let dry = new_project(&dir, NewProjectOptions { dry_run: true, ..Default::default() }).unwrap();
    assert_eq!(dry.files.len(), 26);
    assert!(!dir.exists());
    let made = new_project(&dir, NewProjectOptions::default()).unwrap();
    assert_eq!(made.files, dry.files);
    assert!(made.backups.is_empty());
    let err = new_project(&dir, NewProjectOptions::default()).unwrap_err().to_string();
    assert!(err.contains("--force"), "{err}");
    std::fs::write(dir.join("project.work"), b"edited").unwrap(); // ok: test setup, a user edit
    let forced = new_project(&dir, NewProjectOptions { force: true, ..Default::default() }).unwrap();
    assert_eq!(forced.backups.len(), 26);
    assert_eq!(std::fs::read(dir.join("project.work.bak")).unwrap(), b"edited");
    assert_eq!(std::fs::read(dir.join("project.work")).unwrap(), Project::new_default().to_bytes());
}
