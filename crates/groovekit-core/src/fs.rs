//! The write layer: every file groovekit writes goes through here, so that no crash, full disk
//! or failed command can leave a user's files half written or mixed.
//!
//! - [`Transaction`]: any number of files in one or more folders (one file system), written all
//!   together or not at all, with backups, a journal for crash recovery, symbolic links followed,
//!   mode and (as root) ownership kept, hard links reported. The steps are in [`txn`]'s docs.
//! - [`write_atomic`], [`write_atomic_with`], [`write_new_file`]: one-file transactions.
//! - [`recover`]: finishes or undoes a transaction a crash interrupted and removes the leftovers
//!   of crashed runs; the CLI calls it on every folder a command touches, and the write path calls
//!   it (once per process) on every folder it writes into.
//! - [`failpoint`]: make the Nth write, fsync or rename fail, or abort at the Nth rename, to test
//!   all of the above (`GROOVEKIT_FAILPOINT`).
//!
//! What is promised and how it is tested: `docs/safety.md`.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub mod failpoint;
mod journal;
pub mod lock;
mod names;
pub mod txn;

pub use journal::{Recovery, recover};
pub use lock::{FolderLock, lock_folder};
pub use txn::{
    Change, IfExists, PlannedFile, Report, StageOptions, StagedFile, Transaction, log_report, set_process_defaults,
    take_process_log,
};

/// An I/O failure, with the path it concerns.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.text())]
pub struct FsError {
    /// What was being done ("writing", "renaming to", "backing up"); empty when the source's
    /// message follows the path as a sentence ("PROJECT is busy: ...").
    pub action: &'static str,
    /// The file concerned (the file the user named, never an internal temporary name).
    pub path: PathBuf,
    /// The underlying error.
    #[source]
    pub source: io::Error,
}

impl FsError {
    /// An error `source` while doing `action` on `path`.
    pub fn new(action: &'static str, path: &Path, source: io::Error) -> Self {
        Self { action, path: path.to_path_buf(), source }
    }

    fn text(&self) -> String {
        if self.action.is_empty() {
            format!("{} {}", self.path.display(), self.source)
        } else {
            format!("{} {}: {}", self.action, self.path.display(), self.source)
        }
    }
}

/// Writes `bytes` to `target` atomically (staged beside it, fsynced, renamed, folder fsynced),
/// replacing it if it exists; missing folders are created.
pub fn write_atomic(target: &Path, bytes: &[u8]) -> Result<(), FsError> {
    write_atomic_with(target, |w| w.write_all(bytes))
}

/// Writes `target` atomically with a streaming writer callback. When the callback fails, the
/// staged file is removed and `target` is left as it was.
pub fn write_atomic_with<F>(target: &Path, write: F) -> Result<(), FsError>
where
    F: FnOnce(&mut dyn Write) -> io::Result<()>,
{
    let mut tx = Transaction::new();
    tx.write_with(target, write)?;
    tx.commit().map(|_| ())
}

/// Writes one file the user named, as every command does: parent folders created, atomic, and an
/// existing file handled by `if_exists` (kept as `NAME.bak` with [`IfExists::Backup`]); nothing is
/// written when `dry_run`. Returns the report (with the backup made, if any).
pub fn write_new_file(target: &Path, bytes: &[u8], if_exists: IfExists, dry_run: bool) -> Result<Report, FsError> {
    let mut tx = Transaction::new().if_exists(if_exists).dry_run(dry_run);
    tx.write(target, bytes)?;
    tx.commit()
}

/// Keeps a complete copy of `path` beside it (`NAME.bak`, or `NAME.bak.N` when that exists) and
/// returns its path. Existing backups are never overwritten; the copy is written under a temporary
/// name, fsynced and renamed, so a crash never leaves a partial backup. Prefer
/// [`IfExists::Backup`] in a transaction, which makes the backup as part of the write.
pub fn backup(path: &Path) -> Result<PathBuf, FsError> {
    let real = names::resolve(path).map_err(|e| FsError::new("backing up", path, e))?;
    let name = real.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut candidate = real.with_file_name(format!("{name}.bak"));
    let mut n = 1u32;
    while std::fs::symlink_metadata(&candidate).is_ok() {
        candidate = real.with_file_name(format!("{name}.bak.{n}"));
        n += 1;
    }
    let mut tx = Transaction::new().if_exists(IfExists::Refuse);
    tx.copy(&candidate, &real).map_err(|e| FsError::new("backing up", path, e.source))?;
    tx.commit().map_err(|e| FsError::new("backing up", path, e.source))?;
    Ok(candidate)
}

#[cfg(test)]
#[path = "fs_tests.rs"]
mod tests;
