//! The journal of a multi-file transaction, and the recovery that finishes or undoes a
//! transaction a crash interrupted.
//!
//! A transaction that renames more than one file writes its journal (complete, fsynced, under its
//! final name by a rename) into every folder it touches, after every new file is staged and every
//! old one is kept, and before the first rename. The journal lists, per file: the target, the
//! staged file, the kept old version and the identity (device, inode, length) of both. A later
//! run that finds the journal (its writer no longer running) looks at each target: already the
//! new file, still the old one (or absent when new), or something else. If every file can be
//! moved forward it finishes the transaction; otherwise, if every file can be put back, it undoes
//! it; otherwise (someone changed the files since) it touches nothing and says so. A journal
//! whose every file already has its new content (the process ended after its last rename, or
//! its clean-up failed) is only removed, with the kept old versions: that write had completed,
//! and the note says so rather than claiming to have finished it. When every staged file is gone
//! (all renamed) the write had completed too, even if a file was changed since: no conflict.
//!
//! A *staging record* (a journal with `staging: true`, in the home folder of a transaction, see
//! [`super::txn`]) names the folders a transaction was staging into when its process ended:
//! recovery removes that process's staged files there, and the folders it created when empty.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::FsError;
use super::names::{self, FileId, JOURNAL_PREFIX};

/// A path as the journal stores it: text when it is UTF-8, raw bytes otherwise.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub(crate) enum JPath {
    Text(String),
    Bytes(Vec<u8>),
}

impl From<&Path> for JPath {
    fn from(p: &Path) -> JPath {
        match p.to_str() {
            Some(s) => JPath::Text(s.to_string()),
            None => {
                #[cfg(unix)]
                {
                    use std::os::unix::ffi::OsStrExt;
                    JPath::Bytes(p.as_os_str().as_bytes().to_vec())
                }
                #[cfg(not(unix))]
                {
                    JPath::Text(p.to_string_lossy().into_owned())
                }
            }
        }
    }
}

impl JPath {
    pub(crate) fn path(&self) -> PathBuf {
        match self {
            JPath::Text(s) => PathBuf::from(s),
            JPath::Bytes(b) => {
                #[cfg(unix)]
                {
                    use std::os::unix::ffi::OsStrExt;
                    PathBuf::from(std::ffi::OsStr::from_bytes(b))
                }
                #[cfg(not(unix))]
                {
                    PathBuf::from(String::from_utf8_lossy(b).into_owned())
                }
            }
        }
    }
}

/// One file of a journaled transaction.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct JEntry {
    pub target: JPath,
    /// The staged new file; `None` for a removal (the target goes).
    #[serde(default)]
    pub staged: Option<JPath>,
    #[serde(default)]
    pub staged_id: Option<FileId>,
    /// The kept old version (hidden, or the user-visible backup), when the target existed.
    pub old: Option<JPath>,
    pub old_id: Option<FileId>,
    pub old_is_backup: bool,
}

/// A transaction's journal.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Journal {
    pub format: String,
    pub id: String,
    pub pid: u32,
    pub folders: Vec<JPath>,
    pub files: Vec<JEntry>,
    /// A staging record: the transaction had not reached its renames (no files listed).
    #[serde(default)]
    pub staging: bool,
    /// Folders the transaction created, removed (when empty) if it is undone.
    #[serde(default)]
    pub created_dirs: Vec<JPath>,
}

/// The journal format tag (first key of the file), so a reader can tell a journal from a stray file.
pub(crate) const FORMAT: &str = "groovekit-journal-1";

/// Transactions of this process between their first journal write and their end: recovery
/// leaves them alone.
static ACTIVE: Mutex<Option<HashSet<String>>> = Mutex::new(None);

pub(crate) fn set_active(id: &str, active: bool) {
    let mut g = ACTIVE.lock().unwrap_or_else(|p| p.into_inner());
    let set = g.get_or_insert_with(HashSet::new);
    if active {
        set.insert(id.to_string());
    } else {
        set.remove(id);
    }
}

fn is_active(id: &str) -> bool {
    ACTIVE.lock().unwrap_or_else(|p| p.into_inner()).as_ref().is_some_and(|s| s.contains(id))
}

/// The journal's file name for transaction `id`.
pub(crate) fn file_name(id: &str) -> String {
    format!("{JOURNAL_PREFIX}{id}.json")
}

/// The name of transaction `id`'s journal while it is written (renamed to [`file_name`] when
/// complete).
pub(crate) fn tmp_name(id: &str) -> String {
    format!("{JOURNAL_PREFIX}{id}.tmp")
}

/// What recovery did in a folder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Recovery {
    /// An interrupted transaction was completed: these files now hold their new content.
    Finished {
        /// The journal that described it.
        journal: PathBuf,
        /// Every file of the transaction.
        files: Vec<PathBuf>,
    },
    /// An interrupted transaction was rolled back: these files hold their old content again.
    Undone {
        /// The journal that described it.
        journal: PathBuf,
        /// Every file of the transaction.
        files: Vec<PathBuf>,
    },
    /// An interrupted transaction could be neither finished nor undone (its files were changed
    /// since); nothing was touched.
    Conflict {
        /// The journal left in place.
        journal: PathBuf,
        /// Why, and what to do.
        reason: String,
    },
    /// Leftovers of crashed runs (staged files, partial backup copies, kept old versions no
    /// journal refers to) were removed.
    Cleaned {
        /// The files removed.
        files: Vec<PathBuf>,
    },
}

impl std::fmt::Display for Recovery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list = |files: &[PathBuf]| files.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ");
        match self {
            Recovery::Finished { files, .. } => {
                write!(f, "finished an interrupted write of {} file(s): {}", files.len(), list(files))
            }
            Recovery::Undone { files, .. } => {
                write!(f, "undid an interrupted write; these files are as before it: {}", list(files))
            }
            Recovery::Conflict { journal, reason } => {
                write!(
                    f,
                    "an interrupted write could not be finished or undone ({reason}); journal kept: {}",
                    journal.display()
                )
            }
            Recovery::Cleaned { files } => {
                write!(f, "removed {} leftover temporary file(s) of an interrupted run: {}", files.len(), list(files))
            }
        }
    }
}

/// Folders already recovered by this process (the write path recovers each folder once).
static PREPARED: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);

/// [`recover`] on `dir`, once per process; problems become [`Recovery::Conflict`] notes, since
/// the write that asks must not fail because of an old, unrelated leftover.
pub(crate) fn prepare(dir: &Path) -> Vec<Recovery> {
    {
        let mut g = PREPARED.lock().unwrap_or_else(|p| p.into_inner());
        if !g.get_or_insert_with(HashSet::new).insert(dir.to_path_buf()) {
            return Vec::new();
        }
    }
    recover(dir).unwrap_or_else(|e| vec![Recovery::Conflict { journal: dir.to_path_buf(), reason: e.to_string() }])
}

/// Finishes or undoes every interrupted transaction whose journal is in `dir`, then removes the
/// leftovers of crashed runs there. Transactions of running processes are left alone. Call it on
/// every folder a command is about to read or write; the write layer calls it itself, once per
/// process, on each folder it writes into. A missing folder has nothing to recover.
pub fn recover(dir: &Path) -> Result<Vec<Recovery>, FsError> {
    let mut out = Vec::new();
    let names = match list(dir) {
        Ok(n) => n,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(FsError::new("reading folder", dir, e)),
    };
    let mut keep: HashSet<PathBuf> = HashSet::new();
    for name in &names {
        if !(name.starts_with(JOURNAL_PREFIX) && name.ends_with(".json")) {
            continue;
        }
        let path = dir.join(name);
        let journal: Journal = match fs::read(&path).ok().and_then(|b| serde_json::from_slice(&b).ok()) {
            Some(j) => j,
            None => {
                keep.insert(path.clone());
                out.push(Recovery::Conflict {
                    journal: path,
                    reason: "the journal cannot be read; check the files it names, then delete it".into(),
                });
                continue;
            }
        };
        let keep_files = |keep: &mut HashSet<PathBuf>| {
            for e in &journal.files {
                keep.extend(e.staged.as_ref().map(JPath::path));
                keep.extend(e.old.as_ref().map(JPath::path));
            }
        };
        if is_active(&journal.id) || (journal.pid != std::process::id() && names::pid_alive(journal.pid)) {
            keep_files(&mut keep);
            continue;
        }
        if journal.staging {
            out.extend(clean_staging(&journal, &path));
            continue;
        }
        let r = settle(&journal, &path)?;
        if let Recovery::Conflict { .. } = r {
            keep_files(&mut keep);
        }
        out.push(r);
    }
    // Leftovers: the layer's own hidden files whose writer is gone and that no kept journal needs,
    // and a lock file no process holds (its holder was killed).
    let mut cleaned = Vec::new();
    let lock = dir.join(super::lock::LOCK_FILE);
    if fs::symlink_metadata(&lock).is_ok_and(|m| m.is_file())
        && super::lock::lock_holder(dir).is_none()
        && super::lock::remove_if_free(&lock)
    {
        cleaned.push(lock);
    }
    for name in list(dir).map_err(|e| FsError::new("reading folder", dir, e))? {
        let Some(pid) = names::owner_pid(&name) else { continue };
        let path = dir.join(&name);
        let journal_done = name.starts_with(JOURNAL_PREFIX) && name.ends_with(".json");
        if journal_done || keep.contains(&path) || names::pid_alive(pid) {
            continue;
        }
        if fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) && fs::remove_file(&path).is_ok() {
            cleaned.push(path);
        }
    }
    if !cleaned.is_empty() {
        cleaned.sort();
        out.push(Recovery::Cleaned { files: cleaned });
    }
    Ok(out)
}

/// File names in `dir`.
fn list(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut v = Vec::new();
    for e in fs::read_dir(dir)? {
        v.push(e?.file_name().to_string_lossy().into_owned());
    }
    v.sort();
    Ok(v)
}

/// Removes what a transaction that ended while staging left (its staged files in the folders
/// the record names, the folders it created when empty, the record).
fn clean_staging(j: &Journal, record: &Path) -> Vec<Recovery> {
    let mut cleaned = Vec::new();
    for d in j.folders.iter().map(JPath::path) {
        let Ok(names) = list(&d) else { continue };
        for name in names {
            let other_journal = name.starts_with(JOURNAL_PREFIX) && name != tmp_name(&j.id);
            if names::owner_pid(&name) != Some(j.pid) || other_journal {
                continue;
            }
            let p = d.join(&name);
            if fs::symlink_metadata(&p).is_ok_and(|m| m.is_file()) && fs::remove_file(&p).is_ok() {
                cleaned.push(p);
            }
        }
    }
    let mut created: Vec<PathBuf> = j.created_dirs.iter().map(JPath::path).collect();
    created.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for d in created {
        if fs::remove_dir(&d).is_ok() {
            cleaned.push(d);
        }
    }
    if fs::remove_file(record).is_ok() {
        cleaned.push(record.to_path_buf());
    }
    cleaned.sort();
    if cleaned.is_empty() { Vec::new() } else { vec![Recovery::Cleaned { files: cleaned }] }
}

/// Finishes or undoes one journaled transaction.
fn settle(j: &Journal, journal_path: &Path) -> Result<Recovery, FsError> {
    let files: Vec<PathBuf> = j.files.iter().map(|e| e.target.path()).collect();
    let mut can_finish = true;
    let mut can_undo = true;
    let mut all_done = true;
    let mut all_staged_gone = true;
    let mut why = Vec::new();
    for e in &j.files {
        let target = e.target.path();
        let now = FileId::at(&target);
        // A removal is done when the target is gone; a write when the target is the staged file.
        let done = match e.staged_id {
            Some(id) => now == Some(id),
            None => now.is_none(),
        };
        let untouched = match e.old_id {
            Some(old) => now == Some(old),
            None => now.is_none(),
        };
        let staged_there = match (&e.staged, e.staged_id) {
            (Some(p), Some(id)) => FileId::at(&p.path()) == Some(id),
            _ => true,
        };
        if e.staged.is_some() && staged_there {
            all_staged_gone = false;
        }
        let old_there = match (&e.old, e.old_id) {
            (Some(o), Some(id)) => FileId::at(&o.path()) == Some(id),
            (None, None) => true,
            _ => false,
        };
        all_done &= done;
        can_finish &= done || (untouched && staged_there);
        can_undo &= untouched || (done && old_there);
        let t = target.display();
        if !done && !untouched {
            why.push(format!("{t} was changed after the interrupted write"));
        } else if untouched && !done && !staged_there {
            why.push(format!("{t} still has its old content and its new content (the staged file) is gone"));
        } else if done && !untouched && !old_there && e.old.is_some() {
            why.push(format!("{t} has its new content and its kept old content is gone"));
        }
    }
    let folders: Vec<PathBuf> = j.folders.iter().map(JPath::path).collect();
    let fail = |action: &'static str, p: &Path, e: std::io::Error| FsError::new(action, p, e);
    if all_done || (!can_finish && !can_undo && all_staged_gone && !j.files.is_empty()) {
        // The write had completed (every rename done); only its clean-up was missing.
        let mut cleaned = Vec::new();
        for e in &j.files {
            if let (Some(o), false) = (&e.old, e.old_is_backup)
                && fs::remove_file(o.path()).is_ok()
            {
                cleaned.push(o.path());
            }
        }
        for d in &folders {
            for p in [d.join(file_name(&j.id)), d.join(tmp_name(&j.id))] {
                if fs::remove_file(&p).is_ok() {
                    cleaned.push(p);
                }
            }
        }
        cleaned.sort();
        return Ok(Recovery::Cleaned { files: cleaned });
    }
    let finished = if can_finish {
        for e in &j.files {
            let target = e.target.path();
            match (&e.staged, e.staged_id) {
                (Some(staged), Some(id)) if FileId::at(&target) != Some(id) => {
                    names::rename(&staged.path(), &target).map_err(|f| fail("renaming to", &target, f.into_error()))?
                }
                (None, _) if FileId::at(&target).is_some() => {
                    fs::remove_file(&target).map_err(|x| fail("removing", &target, x))?
                }
                _ => {}
            }
        }
        true
    } else if can_undo {
        for e in &j.files {
            let target = e.target.path();
            let now = FileId::at(&target);
            let done = match e.staged_id {
                Some(id) => now == Some(id),
                None => now.is_none(),
            };
            if done {
                match &e.old {
                    Some(o) => {
                        names::rename(&o.path(), &target).map_err(|f| fail("restoring", &target, f.into_error()))?
                    }
                    None => fs::remove_file(&target).map_err(|x| fail("removing", &target, x))?,
                }
            } else if let (Some(o), true) = (&e.old, e.old_is_backup) {
                // Nothing changed for this file: the backup this transaction made goes too.
                let _ = fs::remove_file(o.path());
            }
            if let Some(st) = &e.staged {
                let _ = fs::remove_file(st.path());
            }
        }
        let mut created: Vec<PathBuf> = j.created_dirs.iter().map(JPath::path).collect();
        created.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
        for d in created {
            let _ = fs::remove_dir(d);
        }
        false
    } else {
        let why = if why.is_empty() {
            "its files are partly new and partly old, and neither the new nor the old content of all of them is \
             left"
                .to_string()
        } else {
            why.join("; ")
        };
        return Ok(Recovery::Conflict {
            journal: journal_path.to_path_buf(),
            reason: format!("{why}; check those files, then delete the journal"),
        });
    };
    for d in &folders {
        if d.is_dir() {
            names::sync_dir(d).map_err(|e| fail("syncing folder", d, e))?;
        }
    }
    for e in &j.files {
        if let (Some(o), false) = (&e.old, e.old_is_backup) {
            let _ = fs::remove_file(o.path());
        }
    }
    for d in &folders {
        let _ = fs::remove_file(d.join(file_name(&j.id)));
        // A copy still being written when the process ended.
        let _ = fs::remove_file(d.join(tmp_name(&j.id)));
    }
    let journal = journal_path.to_path_buf();
    Ok(if finished { Recovery::Finished { journal, files } } else { Recovery::Undone { journal, files } })
}
