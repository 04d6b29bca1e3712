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
#[path = "fs_tests.rs"]
mod tests;
