//! All-or-nothing application of a project operation's file changes, with a timestamped backup
//! of every file it changes in the project's `backups/` folder, and `restore` of such a backup.
//!
//! An operation first computes everything ([`ChangeSet`]: new bytes for each file, files to
//! copy, files to remove), then [`apply`] runs it:
//! 1. backup: every existing file the set will replace or remove is copied into
//!    `PROJECT/backups/YYYYMMDD-HHMMSS-LABEL/`, with `manifest.json` listing each path and its
//!    backup (or none, for files the operation creates), written before anything changes;
//! 2. stage: every new content is written to a temporary file beside its target and synced (the
//!    big sample copies happen here, so a full disk stops the operation before any rename);
//! 3. commit: the temporaries are renamed over their targets, removals last.
//!
//! If any step fails, the renames already done are undone from the backup (created files are
//! removed first, which frees space), temporaries are deleted, and the error is returned: the
//! files are as they were. This is the "plan, then apply" layer; it is meant to be replaced by the
//! workspace's transactional write layer when that lands, without changing the operations.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::OtError;
use crate::ops::project_dir::{invalid, io_error};

/// One file change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Replace (or create) `path` with `bytes`.
    Write {
        /// The target.
        path: PathBuf,
        /// Its new content.
        bytes: Vec<u8>,
    },
    /// Create `to` as a copy of `from` (the planner makes sure `to` does not exist).
    Copy {
        /// The source file.
        from: PathBuf,
        /// The new file.
        to: PathBuf,
    },
    /// Remove `path`.
    Remove {
        /// The file to remove.
        path: PathBuf,
    },
}

impl Change {
    /// The file this change touches.
    pub fn target(&self) -> &Path {
        match self {
            Change::Write { path, .. } | Change::Remove { path } => path,
            Change::Copy { to, .. } => to,
        }
    }
}

/// Options of [`apply`].
#[derive(Debug, Clone, Copy, Default)]
pub struct ApplyOptions {
    /// Fault injection for tests: fail with an I/O error just before staging change `n`
    /// (0-based). The commit's own fail points are armed with
    /// `groovekit_core::fs::failpoint::arm_thread` or `GROOVEKIT_FAILPOINT`.
    pub fail_at_step: Option<usize>,
}

/// What [`apply`] did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Applied {
    /// The backup folder (`ot restore` takes it).
    pub backup: PathBuf,
    /// The files changed, in order.
    pub files: Vec<PathBuf>,
}

/// One entry of a backup's `manifest.json`.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct ManifestEntry {
    /// The file, relative to the project folder (`/`-separated; `../AUDIO/...` for the pool).
    path: String,
    /// The backup copy's name in the backup folder; `None` when the operation created the file.
    backup: Option<String>,
}

/// A backup's `manifest.json`.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Manifest {
    kind: String,
    label: String,
    created_utc: String,
    files: Vec<ManifestEntry>,
}

/// The manifest's `kind`.
const MANIFEST_KIND: &str = "groovekit-octatrack-backup";

/// Year, month, day, hour, minute and second in UTC of a Unix time.
pub fn utc_civil(secs: u64) -> (i64, u8, u8, u8, u8, u8) {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    // ok: m 1-12, d 1-31, h < 24, min and s < 60 by construction.
    (y, m as u8, d as u8, (rem / 3600) as u8, (rem / 60 % 60) as u8, (rem % 60) as u8)
}

/// `YYYYMMDD-HHMMSS` in UTC for a Unix time.
pub fn utc_stamp(secs: u64) -> String {
    let (y, m, d, h, min, s) = utc_civil(secs);
    format!("{y:04}{m:02}{d:02}-{h:02}{min:02}{s:02}")
}

fn now_stamp() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    utc_stamp(secs)
}

fn path_text(project_dir: &Path, path: &Path) -> Result<String, OtError> {
    String::from_utf8(crate::ops::project_dir::relative_path(project_dir, path))
        .map_err(|_| invalid(path, "the path is not UTF-8 and cannot be recorded in a backup manifest"))
}

fn injected(step: usize, path: &Path) -> OtError {
    io_error("writing (fail point)", path, io::Error::other(format!("fail point at step {step}")))
}

/// Applies `changes` all-or-nothing with a backup in `project_dir/backups/` (see the module docs).
pub fn apply(project_dir: &Path, label: &str, changes: &[Change], opts: ApplyOptions) -> Result<Applied, OtError> {
    let root = project_dir.join("backups");
    let stamp = now_stamp();
    let mut backup = root.join(format!("{stamp}-{label}"));
    let mut n = 2;
    while backup.exists() {
        backup = root.join(format!("{stamp}-{label}-{n}"));
        n += 1;
    }
    fs::create_dir_all(&backup).map_err(|e| io_error("creating", &backup, e))?;
    let result = backup_and_apply(project_dir, &backup, label, &stamp, changes, opts);
    match result {
        Ok(files) => Ok(Applied { backup, files }),
        // Undoing failed: files may have changed, and the backup is what puts them back.
        Err(Failed { error, keep_backup: true }) => Err(error),
        Err(Failed { error, keep_backup: false }) => {
            let e = error;
            // Nothing changed: the backup is of no use.
            let _ = fs::remove_dir_all(&backup);
            if root.read_dir().map(|mut d| d.next().is_none()).unwrap_or(false) {
                let _ = fs::remove_dir(&root);
            }
            Err(e)
        }
    }
}

/// A failed [`backup_and_apply`]: the error, and whether files may have changed (undoing failed),
/// so that the backup folder must stay.
struct Failed {
    error: OtError,
    keep_backup: bool,
}

impl From<OtError> for Failed {
    fn from(error: OtError) -> Self {
        Failed { error, keep_backup: false }
    }
}

impl From<groovekit_core::fs::FsError> for Failed {
    fn from(error: groovekit_core::fs::FsError) -> Self {
        Failed { error: error.into(), keep_backup: false }
    }
}

/// Puts the targets of the writes and copies back as the backup has them: a replaced file gets
/// its backed-up bytes back when they differ, a created file is removed.
fn undo_writes(changes: &[Change], backups: &[Option<PathBuf>]) -> Result<(), OtError> {
    for (i, c) in changes.iter().enumerate() {
        if matches!(c, Change::Remove { .. }) {
            continue;
        }
        let target = c.target();
        match backups.get(i) {
            Some(Some(b)) => {
                let old = fs::read(b).map_err(|e| io_error("reading", b, e))?;
                if fs::read(target).ok().as_ref() != Some(&old) {
                    groovekit_core::fs::write_atomic(target, &old)?;
                }
            }
            _ if target.exists() => fs::remove_file(target).map_err(|e| io_error("removing", target, e))?,
            _ => {}
        }
    }
    Ok(())
}

fn backup_and_apply(
    project_dir: &Path,
    backup: &Path,
    label: &str,
    stamp: &str,
    changes: &[Change],
    opts: ApplyOptions,
) -> Result<Vec<PathBuf>, Failed> {
    // 1. Backups and manifest.
    let mut entries = Vec::new();
    let mut backups: Vec<Option<PathBuf>> = Vec::new();
    for (i, c) in changes.iter().enumerate() {
        let target = c.target();
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let copy = if target.exists() && !matches!(c, Change::Copy { .. }) {
            let b = backup.join(format!("{i:03}-{name}"));
            fs::copy(target, &b).map_err(|e| io_error("backing up", target, e))?;
            Some(b)
        } else if target.exists() {
            return Err(invalid(target, "already exists; a copy never overwrites a file").into());
        } else {
            None
        };
        entries.push(ManifestEntry {
            path: path_text(project_dir, target)?,
            backup: copy.as_ref().and_then(|b| b.file_name()).map(|n| n.to_string_lossy().into_owned()),
        });
        backups.push(copy);
    }
    let manifest =
        Manifest { kind: MANIFEST_KIND.into(), label: label.into(), created_utc: stamp.into(), files: entries };
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| invalid(backup, e.to_string()))?;
    groovekit_core::fs::write_atomic(&backup.join("manifest.json"), text.as_bytes())?;

    // 2. Stage, 3. commit: the workspace's transaction layer (staged files beside their targets,
    // journal, renames, rollback and crash recovery). Removals (only `restore` has them) run after
    // the commit; a failure there is undone from this backup.
    // Every file this replaces is already in the backup folder written above, so no `NAME.bak`
    // beside it (whatever the process-wide policy of the CLI).
    let mut txn =
        groovekit_core::fs::Transaction::new().create_parents(true).if_exists(groovekit_core::fs::IfExists::Replace);
    let mut removals = Vec::new();
    for (step, c) in changes.iter().enumerate() {
        if opts.fail_at_step == Some(step) {
            return Err(injected(step, c.target()).into());
        }
        match c {
            Change::Write { path, bytes } => txn.write(path, bytes)?,
            Change::Copy { from, to } => txn.copy(to, from)?,
            Change::Remove { path } => removals.push(path.clone()),
        }
    }
    let written = !txn.is_empty();
    if written && let Err(e) = txn.commit() {
        // The transaction undoes its renames itself, except in one case: a single file replaced
        // without a kept copy when syncing its folder fails after the rename (the new file
        // stays). The backup written above puts it back, so that an error always means that
        // nothing changed.
        return Err(match undo_writes(changes, &backups) {
            Ok(()) => Failed::from(OtError::from(e)),
            Err(u) => Failed {
                error: invalid(
                    backup,
                    format!("{e}; undoing it failed ({u}): run `groovekit ot restore {}`", backup.display()),
                ),
                keep_backup: true,
            },
        });
    }
    for (done, path) in removals.iter().enumerate() {
        if let Err(e) = fs::remove_file(path) {
            let undo: Result<(), OtError> = (|| {
                for (i, c) in changes.iter().enumerate() {
                    let Some(Some(b)) = backups.get(i) else { continue };
                    let is_removed = removals.iter().take(done).any(|r| r == c.target());
                    if is_removed || matches!(c, Change::Write { .. }) && written {
                        let bytes = fs::read(b).map_err(|e| io_error("reading", b, e))?;
                        groovekit_core::fs::write_atomic(c.target(), &bytes)?;
                    }
                }
                Ok(())
            })();
            let e = io_error("removing", path, e);
            return Err(match undo {
                Ok(()) => Failed::from(e),
                Err(u) => Failed {
                    error: invalid(
                        backup,
                        format!("{e}; undoing it failed ({u}): run `groovekit ot restore {}`", backup.display()),
                    ),
                    keep_backup: true,
                },
            });
        }
    }
    Ok(changes.iter().map(|c| c.target().to_path_buf()).collect())
}

/// What [`restore`] will do or did: the files put back and the files removed.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct RestorePlan {
    /// The project folder the backup belongs to.
    pub project: PathBuf,
    /// Files that get their backed-up content back.
    pub restore: Vec<PathBuf>,
    /// Files the operation created, removed again.
    pub remove: Vec<PathBuf>,
    /// The backup of the restore itself (after a real run).
    pub backup: Option<PathBuf>,
}

/// Puts back the files of a backup folder made by [`apply`]: every backed-up file gets its old
/// content, every file the operation created is removed. The restore is itself backed up and
/// all-or-nothing. With `dry_run`, only the plan is returned.
pub fn restore(backup: &Path, dry_run: bool, opts: ApplyOptions) -> Result<RestorePlan, OtError> {
    let manifest_path = backup.join("manifest.json");
    let text = fs::read_to_string(&manifest_path).map_err(|e| io_error("reading", &manifest_path, e))?;
    let manifest: Manifest = serde_json::from_str(&text)
        .map_err(|e| invalid(&manifest_path, format!("not a groovekit backup manifest: {e}")))?;
    if manifest.kind != MANIFEST_KIND {
        return Err(invalid(&manifest_path, format!("kind is `{}`, expected `{MANIFEST_KIND}`", manifest.kind)));
    }
    // PROJECT/backups/STAMP -> PROJECT.
    let project = backup
        .parent()
        .and_then(Path::parent)
        .ok_or_else(|| invalid(backup, "a backup folder lives in PROJECT/backups/"))?
        .to_path_buf();
    let mut plan = RestorePlan { project: project.clone(), ..RestorePlan::default() };
    let mut changes = Vec::new();
    for e in &manifest.files {
        let target = crate::ops::project_dir::resolve(&project, e.path.as_bytes());
        match &e.backup {
            Some(name) => {
                let b = backup.join(name);
                let bytes = fs::read(&b).map_err(|err| io_error("reading", &b, err))?;
                plan.restore.push(target.clone());
                changes.push(Change::Write { path: target, bytes });
            }
            None if target.exists() => {
                plan.remove.push(target.clone());
                changes.push(Change::Remove { path: target });
            }
            None => {}
        }
    }
    if !dry_run && !changes.is_empty() {
        plan.backup = Some(apply(&project, "restore", &changes, opts)?.backup);
    }
    Ok(plan)
}

#[cfg(test)]
#[path = "backup_tests.rs"]
mod tests;
