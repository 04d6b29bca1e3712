//! Safe file writing: every write goes to a temporary file in the destination folder and is
//! renamed over the target, so a crash or a full disk never leaves a truncated file.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// An I/O failure, with the path it concerns.
#[derive(Debug, thiserror::Error)]
#[error("{action} {path}: {source}")]
pub struct FsError {
    /// What was being done ("writing", "renaming to", "backing up").
    pub action: &'static str,
    /// The file concerned.
    pub path: PathBuf,
    /// The underlying error.
    #[source]
    pub source: io::Error,
}

impl FsError {
    fn new(action: &'static str, path: &Path, source: io::Error) -> Self {
        Self { action, path: path.to_path_buf(), source }
    }
}

/// A temporary sibling path for `target`: same folder (so the rename is atomic), hidden name.
fn temp_sibling(target: &Path) -> PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let unique = format!(".{name}.groovekit-tmp-{}", std::process::id());
    target.with_file_name(unique)
}

/// Writes `bytes` to `target` atomically: temp file in the same folder, fsync, rename.
pub fn write_atomic(target: &Path, bytes: &[u8]) -> Result<(), FsError> {
    write_atomic_with(target, |w| w.write_all(bytes))
}

/// Writes `target` atomically with a streaming writer callback. When the callback fails the
/// temporary file is removed and `target` is left as it was.
pub fn write_atomic_with<F>(target: &Path, write: F) -> Result<(), FsError>
where
    F: FnOnce(&mut BufWriter<File>) -> io::Result<()>,
{
    let tmp = temp_sibling(target);
    let result = (|| {
        let file = File::create(&tmp).map_err(|e| FsError::new("creating", &tmp, e))?;
        let mut w = BufWriter::new(file);
        write(&mut w).map_err(|e| FsError::new("writing", target, e))?;
        let file = w.into_inner().map_err(|e| FsError::new("writing", target, e.into_error()))?;
        file.sync_all().map_err(|e| FsError::new("syncing", target, e))?;
        fs::rename(&tmp, target).map_err(|e| FsError::new("renaming to", target, e))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Copies `path` to a backup beside it (`NAME.bak`, or `NAME.bak.N` when that exists) and
/// returns the backup's path. Existing backups are never overwritten.
pub fn backup(path: &Path) -> Result<PathBuf, FsError> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut candidate = path.with_file_name(format!("{name}.bak"));
    let mut n = 1u32;
    while candidate.exists() {
        candidate = path.with_file_name(format!("{name}.bak.{n}"));
        n += 1;
    }
    fs::copy(path, &candidate).map_err(|e| FsError::new("backing up", path, e))?;
    Ok(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
