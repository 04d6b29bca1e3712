//! The lock every operation that writes a project holds for its whole read-plan-write (issue
//! 23): the project folder's, and for operations that write the Set's sample pool (`--to-pool`
//! copies, Set-wide clean-ups, `unzip` into a Set) the Set's too, taken first. The locks are
//! `groovekit_core::fs::lock` folder locks: a second operation waits (`GROOVEKIT_LOCK_WAIT`,
//! default 30 s) or fails with "PROJECT is busy: another groovekit operation (pid N, since T) is
//! changing it", having changed nothing; a lock of a process that is gone is taken over.
//!
//! Once locked, the folders are recovered (`groovekit_core::fs::recover`): an interrupted
//! operation of an earlier run, whose journal or staging record is in the project or the Set
//! (see `docs/safety.md`), is finished or undone before this one reads anything. The notes go
//! to the write layer's process log, which the CLI prints.
//!
//! Every public operation of [`crate::ops`] that writes takes its lock at the start;
//! [`crate::ops::backup::apply`], where every project operation's transaction starts, takes it
//! again (locks are re-entrant within a thread), so no caller can write a project unlocked.

use std::path::{Path, PathBuf};

use groovekit_core::fs::{FolderLock, lock_folder};

use crate::OtError;

/// Held locks, released when dropped.
#[derive(Debug)]
pub struct WriteLock {
    _guards: Vec<FolderLock>,
}

/// Locks `folders` in this order (the Set before its projects), then recovers each.
fn lock_all(folders: &[PathBuf]) -> Result<WriteLock, OtError> {
    let mut guards = Vec::new();
    for f in folders {
        guards.push(lock_folder(f)?);
    }
    let mut recovered = Vec::new();
    for f in folders {
        match groovekit_core::fs::recover(f) {
            Ok(r) => recovered.extend(r),
            Err(e) => return Err(e.into()),
        }
    }
    if !recovered.is_empty() {
        groovekit_core::fs::log_report(&groovekit_core::fs::Report { recovered, ..Default::default() });
    }
    Ok(WriteLock { _guards: guards })
}

/// The Set of a project: its parent folder.
fn set_of(project: &Path) -> PathBuf {
    let abs = std::path::absolute(project).unwrap_or_else(|_| project.to_path_buf());
    abs.parent().map(Path::to_path_buf).unwrap_or(abs)
}

/// Locks the project `dir` for writing, and its Set first when `pool` (the operation writes the
/// Set's `AUDIO` pool).
pub fn lock_project(dir: &Path, pool: bool) -> Result<WriteLock, OtError> {
    let mut folders = Vec::new();
    if pool {
        folders.push(set_of(dir));
    }
    folders.push(dir.to_path_buf());
    lock_all(&folders)
}

/// Locks a Set and every project folder in it (Set-wide operations: `dedupe`, `purge-files` of a
/// Set, `unzip` into it).
pub fn lock_set(set: &Path) -> Result<WriteLock, OtError> {
    let mut folders = vec![set.to_path_buf()];
    let mut projects: Vec<PathBuf> = std::fs::read_dir(set)
        .map(|rd| rd.flatten().map(|e| e.path()).filter(|p| p.join("project.work").is_file()).collect())
        .unwrap_or_default();
    projects.sort();
    folders.extend(projects);
    lock_all(&folders)
}

/// Locks `dir` as a project, or as a Set with its projects when it is not one (operations that
/// take either).
pub fn lock_project_or_set(dir: &Path, pool: bool) -> Result<WriteLock, OtError> {
    if dir.join("project.work").is_file() { lock_project(dir, pool) } else { lock_set(dir) }
}

/// `lock()` unless `dry_run` (a plan reads files that are only ever replaced whole, so it needs
/// no lock and never waits).
pub fn unless_dry_run(
    dry_run: bool,
    lock: impl FnOnce() -> Result<WriteLock, OtError>,
) -> Result<Option<WriteLock>, OtError> {
    if dry_run { Ok(None) } else { lock().map(Some) }
}
