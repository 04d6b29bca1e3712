//! Unit tests of `fs` (kept beside it, out of the library source).

use super::*;
use std::fs;

#[test]
fn atomic_write_replaces_and_failed_write_keeps_old() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.bin");
    write_atomic(&p, b"one").unwrap();
    assert_eq!(fs::read(&p).unwrap(), b"one");
    let err = write_atomic_with(&p, |w| {
        w.write_all(b"partial")?;
        Err(io::Error::other("boom"))
    });
    assert!(err.is_err());
    assert_eq!(fs::read(&p).unwrap(), b"one");
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "temp file left behind");
}

#[test]
fn backups_are_numbered_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bank01.work");
    fs::write(&p, b"v1").unwrap();
    let b1 = backup(&p).unwrap();
    fs::write(&p, b"v2").unwrap();
    let b2 = backup(&p).unwrap();
    assert_ne!(b1, b2);
    assert_eq!(fs::read(b1).unwrap(), b"v1");
    assert_eq!(fs::read(b2).unwrap(), b"v2");
}
