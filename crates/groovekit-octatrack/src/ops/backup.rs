//! All-or-nothing application of a project operation's file changes, with a timestamped backup
//! of every file it changes in the project's `backups/` folder, and `restore` of such a backup.
//!
//! An operation first computes everything ([`ChangeSet`]: new bytes for each file, files to
//! copy, files to remove), then [`apply`] runs it:
//! 1. backup: every existing file the set will replace or remove is copied into
//!    `PROJECT/backups/YYYYMMDD-HHMMSS-LABEL/`, with `manifest.json` listing each path and its
//!    backup (or none, for files the operation creates);
//! 2. stage: every new content is written to a temporary file beside its target and synced (the
//!    big sample copies happen here, so a full disk stops the operation before any rename);
//! 3. commit: the temporaries are renamed over their targets and the removed files go.
//!
//! All three are one `groovekit_core::fs::Transaction` whose home is the project (and the Set
//! for pool writes): the backup folder and its manifest appear together with the changes or not
//! at all, a failure changes nothing, and a crash is finished or undone by the next run (the
//! journal and staging record are in the project). `restore` runs through the same path, so it
//! is all-or-nothing too. The project's lock ([`crate::ops::lock`]) is held throughout.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

pub use groovekit_core::fs::lock::utc_civil;

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

/// Applies `changes` all-or-nothing with a backup in `project_dir/backups/` (see the module docs),
/// holding the project's lock (and the Set's when a change is outside the project: the pool).
pub fn apply(project_dir: &Path, label: &str, changes: &[Change], opts: ApplyOptions) -> Result<Applied, OtError> {
    let outside = changes.iter().any(|c| !crate::ops::project_dir::is_inside(c.target(), project_dir));
    let _lock = crate::ops::lock::lock_project(project_dir, outside)?;
    let root = project_dir.join("backups");
    let stamp = now_stamp();
    let mut backup = root.join(format!("{stamp}-{label}"));
    let mut n = 2;
    while backup.exists() {
        backup = root.join(format!("{stamp}-{label}-{n}"));
        n += 1;
    }
    let files = backup_and_apply(project_dir, &backup, label, &stamp, changes, opts, outside)?;
    Ok(Applied { backup, files })
}

/// One transaction: the backup copies and `manifest.json` in the new backup folder, the writes,
/// the copies and the removals. So a backup folder with its manifest exists exactly when its
/// operation happened, and a crash anywhere leaves all old (the staged files and the new backup
/// folder removed by the next run, from the staging record in the project) or all new (finished
/// from the journal). The project (and the Set, for pool writes) is the transaction's home,
/// where the next run finds both.
#[allow(clippy::too_many_arguments)]
fn backup_and_apply(
    project_dir: &Path,
    backup: &Path,
    label: &str,
    stamp: &str,
    changes: &[Change],
    opts: ApplyOptions,
    outside: bool,
) -> Result<Vec<PathBuf>, OtError> {
    // Every file this replaces is kept in the backup folder, so no `NAME.bak` beside it (whatever
    // the process-wide policy of the CLI).
    let mut txn = groovekit_core::fs::Transaction::new()
        .home(project_dir)
        .create_parents(true)
        .if_exists(groovekit_core::fs::IfExists::Replace);
    if outside && let Some(set) = std::path::absolute(project_dir).ok().as_deref().and_then(Path::parent) {
        txn = txn.home(set);
    }
    // 1. Backups and manifest (in the transaction).
    let mut entries = Vec::new();
    for (i, c) in changes.iter().enumerate() {
        let target = c.target();
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let copy = if target.exists() && !matches!(c, Change::Copy { .. }) {
            let b = backup.join(format!("{i:03}-{name}"));
            txn.copy(&b, target).map_err(|e| io_error("backing up", target, e.source))?;
            Some(b)
        } else if target.exists() {
            return Err(invalid(target, "already exists; a copy never overwrites a file"));
        } else {
            None
        };
        entries.push(ManifestEntry {
            path: path_text(project_dir, target)?,
            backup: copy.as_ref().and_then(|b| b.file_name()).map(|n| n.to_string_lossy().into_owned()),
        });
    }
    let manifest =
        Manifest { kind: MANIFEST_KIND.into(), label: label.into(), created_utc: stamp.into(), files: entries };
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| invalid(backup, e.to_string()))?;
    txn.write(&backup.join("manifest.json"), text.as_bytes())?;
    // 2. The changes.
    for (step, c) in changes.iter().enumerate() {
        if opts.fail_at_step == Some(step) {
            return Err(injected(step, c.target()));
        }
        match c {
            Change::Write { path, bytes } => txn.write(path, bytes)?,
            Change::Copy { from, to } => txn.copy(to, from)?,
            Change::Remove { path } => txn.remove(path)?,
        }
    }
    // 3. Commit: every file new, or (on error) every file as it was and no backup folder.
    txn.commit()?;
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
    let pool = manifest.files.iter().any(|e| e.path.starts_with("../"));
    let _lock = if dry_run { None } else { Some(crate::ops::lock::lock_project(&project, pool)?) };
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

/// How many backups `ot backups prune` keeps when given neither `--keep` nor `--older-than`:
/// the newest ten (about ten operations to undo, a few MB each unless samples were replaced).
/// Nothing is pruned unless asked: backups travel to the card, and only the user decides.
pub const DEFAULT_KEEP: usize = 10;

/// One backup folder of a project (`PROJECT/backups/STAMP-LABEL`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct BackupInfo {
    /// The folder.
    pub path: PathBuf,
    /// The operation that made it (`copy-bank`, `restore`, ...), from its manifest.
    pub label: String,
    /// When it was made, `YYYYMMDD-HHMMSS` UTC (from the manifest, else the folder name).
    pub created_utc: String,
    /// The same as seconds since 1970, when readable.
    pub created_secs: Option<u64>,
    /// Whether it has a readable manifest: the operation happened and `ot restore` can undo it.
    /// A folder without one is the leftover of an operation that never happened (older
    /// versions left them after a crash) and restores nothing.
    pub complete: bool,
    /// Files kept in it (the manifest's backups).
    pub files: usize,
    /// Their total size in bytes.
    pub bytes: u64,
}

/// Seconds since 1970 of a `YYYYMMDD-HHMMSS` UTC stamp.
pub fn stamp_secs(stamp: &str) -> Option<u64> {
    let b = stamp.as_bytes();
    if b.len() < 15 || b.get(8) != Some(&b'-') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| stamp.get(r)?.parse::<i64>().ok();
    let (y, m, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (h, min, sec) = (num(9..11)?, num(11..13)?, num(13..15)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || h > 23 || min > 59 || sec > 60 {
        return None;
    }
    // Days from civil (H. Hinnant), the inverse of `utc_civil`.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    u64::try_from(days * 86_400 + h * 3600 + min * 60 + sec).ok()
}

/// The backup folders of the project `project_dir`, oldest first.
pub fn list_backups(project_dir: &Path) -> Result<Vec<BackupInfo>, OtError> {
    if !project_dir.is_dir() {
        return Err(invalid(project_dir, "no such project folder"));
    }
    let root = project_dir.join("backups");
    let rd = match fs::read_dir(&root) {
        Ok(rd) => rd,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_error("reading", &root, e)),
    };
    let mut out = Vec::new();
    for e in rd {
        let e = e.map_err(|e| io_error("reading", &root, e))?;
        let path = e.path();
        if !path.is_dir() {
            continue;
        }
        let name = e.file_name().to_string_lossy().into_owned();
        let manifest: Option<Manifest> = fs::read(path.join("manifest.json"))
            .ok()
            .and_then(|b| serde_json::from_slice::<Manifest>(&b).ok())
            .filter(|m| m.kind == MANIFEST_KIND);
        let (label, created_utc, complete, files) = match &manifest {
            Some(m) => (
                m.label.clone(),
                m.created_utc.clone(),
                true,
                m.files.iter().filter_map(|f| f.backup.clone()).collect(),
            ),
            None => {
                (name.get(16..).unwrap_or("").to_string(), name.get(..15).unwrap_or("").to_string(), false, Vec::new())
            }
        };
        let bytes = files.iter().filter_map(|f: &String| fs::metadata(path.join(f)).ok()).map(|m| m.len()).sum();
        out.push(BackupInfo {
            created_secs: stamp_secs(&created_utc),
            path,
            label,
            created_utc,
            complete,
            files: files.len(),
            bytes,
        });
    }
    out.sort_by(|a, b| (a.created_utc.as_str(), &a.path).cmp(&(b.created_utc.as_str(), &b.path)));
    Ok(out)
}

/// What [`prune_backups`] removes.
#[derive(Debug, Clone, Copy, Default)]
pub struct PruneOptions {
    /// Keep the newest N complete backups (with `older_than`: remove only what both allow).
    pub keep: Option<usize>,
    /// Remove backups older than this many seconds.
    pub older_than_secs: Option<u64>,
    /// Only say what would go.
    pub dry_run: bool,
}

/// What [`prune_backups`] did (or would do).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct PruneReport {
    /// The backup folders removed.
    pub removed: Vec<BackupInfo>,
    /// The backup folders kept.
    pub kept: Vec<BackupInfo>,
    /// True when nothing was removed (a plan).
    pub dry_run: bool,
}

/// Removes old backup folders of a project: incomplete ones always (they restore nothing), and
/// complete ones beyond the newest `keep` and/or older than `older_than_secs` (with neither,
/// beyond the newest [`DEFAULT_KEEP`]). Holds the project's lock.
pub fn prune_backups(project_dir: &Path, opts: PruneOptions) -> Result<PruneReport, OtError> {
    let _lock = crate::ops::lock::unless_dry_run(opts.dry_run, || crate::ops::lock::lock_project(project_dir, false))?;
    let all = list_backups(project_dir)?;
    let keep = match (opts.keep, opts.older_than_secs) {
        (None, None) => Some(DEFAULT_KEEP),
        (k, _) => k,
    };
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let complete = all.iter().filter(|b| b.complete).count();
    let mut report = PruneReport { dry_run: opts.dry_run, ..PruneReport::default() };
    let mut seen_complete = 0;
    for b in all {
        let go = if b.complete {
            seen_complete += 1;
            // Oldest first: the first `complete - keep` are beyond the newest `keep`.
            let beyond_keep = keep.is_none_or(|k| seen_complete + k <= complete);
            let old_enough = match (opts.older_than_secs, b.created_secs) {
                (Some(limit), Some(t)) => now.saturating_sub(t) > limit,
                (Some(_), None) => false,
                (None, _) => true,
            };
            beyond_keep && old_enough
        } else {
            true
        };
        if !go {
            report.kept.push(b);
            continue;
        }
        if !opts.dry_run {
            fs::remove_dir_all(&b.path).map_err(|e| io_error("removing", &b.path, e))?;
        }
        report.removed.push(b);
    }
    Ok(report)
}

#[cfg(test)]
#[path = "backup_tests.rs"]
mod tests;
