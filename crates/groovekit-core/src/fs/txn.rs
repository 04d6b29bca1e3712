//! Transactions: any number of files, in one or more folders of one file system, replaced all
//! together or not at all.
//!
//! The steps of [`Transaction::commit`], and what a failure at each leaves:
//! 1. Staging (before `commit`): each new file is written beside its target under a hidden
//!    temporary name (its writeback to the disk started), then at `commit`, before anything else,
//!    fsynced. A failure removes the staged files: nothing changed.
//! 2. Keeping: each target being replaced keeps its old version, as a hard link (or a complete,
//!    fsynced copy where links are not supported): the user-visible `NAME.bak` when the file's
//!    policy is [`IfExists::Backup`], otherwise a hidden name, removed at the end (only when more
//!    than one file is renamed: one rename needs no undo).
//! 3. Journal (more than one file): written complete, fsynced, into every folder.
//! 4. Renames, one per file. A failure here puts every renamed file back (the kept versions are
//!    renamed over them) and removes the rest: nothing changed. A crash here leaves the journal,
//!    which the next run's [`super::recover`] uses to finish the transaction.
//! 5. Folders fsynced, then the hidden old versions and the journals removed. A removal that
//!    fails here (the write itself is complete) is listed in [`Report::leftovers`], which the CLI
//!    reports with exit code 1; the next run in that folder removes the leftover, and says so
//!    without claiming to have finished the (complete) write.
//!
//! A transaction may also *remove* files ([`Transaction::remove`]): the old file is kept like a
//! replaced one, the journal records it, and the removal is the "rename" of step 4, so removals
//! are all-or-nothing with the writes (`ot restore` uses it).
//!
//! A transaction with a *home* ([`Transaction::home`]: the project or Set an operation changes)
//! also writes, before the first staged file, a staging record into the home, updated as the
//! transaction stages into new folders, and its journal into the home besides every folder. A
//! crash while staging (10 MB samples into `AUDIO/x/y`, a backup folder being filled) thus
//! leaves a record the next run finds by looking in the home alone, and it removes the staged
//! files and created folders the record names.

use std::fs::{self, File, Metadata, OpenOptions};
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

use serde::Serialize;

use super::FsError;
use super::failpoint::{self, Fired, Op};
use super::journal::{self, JEntry, JPath, Journal, Recovery};
use super::names::{self, FileId, OLD_TAG, TMP_TAG};

/// What to do when a file being written already exists.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IfExists {
    /// Replace it (atomically; the old content is gone once the transaction is complete).
    #[default]
    Replace,
    /// Keep the old content as `NAME.bak` (or `NAME.bak.N` when that exists) beside it, then
    /// replace it: what every command does to a file the user named.
    Backup,
    /// Keep the old content as `NAME.bak`, replacing an earlier `NAME.bak` once the write is
    /// complete: at most one backup, for outputs groovekit can make again (renders, conversions,
    /// dumps, chains, previews).
    SingleBackup,
    /// Refuse, before anything is written: for targets where replacing is unusual (the caller
    /// offers `--force`, which switches to [`IfExists::Backup`]).
    Refuse,
}

/// Settings of a transaction, applied to each file as it is staged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StageOptions {
    /// Policy for targets that exist.
    pub if_exists: IfExists,
    /// Create missing parent folders (removed again if the transaction fails).
    pub create_parents: bool,
    /// Replace files that have other hard links (the other names keep the old content);
    /// without it such a file is an error, since splitting it silently is a surprise.
    pub split_hard_links: bool,
    /// Plan only: check everything, write nothing.
    pub dry_run: bool,
}

impl Default for StageOptions {
    /// Replace existing files, create missing folders, refuse to split hard links; the policy
    /// and dry-run come from [`set_process_defaults`] when a program set them.
    fn default() -> Self {
        let (if_exists, dry_run) = process_defaults();
        StageOptions { if_exists, create_parents: true, split_hard_links: false, dry_run }
    }
}

static DEFAULT_POLICY: AtomicU8 = AtomicU8::new(0);
static PROCESS_DRY_RUN: AtomicBool = AtomicBool::new(false);
static LOG: Mutex<Option<Vec<Report>>> = Mutex::new(None);

fn process_defaults() -> (IfExists, bool) {
    let p = match DEFAULT_POLICY.load(Ordering::Relaxed) {
        1 => IfExists::Backup,
        2 => IfExists::Refuse,
        3 => IfExists::SingleBackup,
        _ => IfExists::Replace,
    };
    (p, PROCESS_DRY_RUN.load(Ordering::Relaxed))
}

/// Sets, for this whole process, the policy for existing targets and whether writes are only
/// planned, for every transaction created from then on with default options (explicit settings
/// still win), and starts keeping the reports of committed transactions for
/// [`take_process_log`]. A program calls it once at start: the CLI sets [`IfExists::Backup`], so
/// that every file any command replaces keeps a `NAME.bak`, and `dry_run` for `--dry-run`, so
/// that no command can write when asked not to, even through library code.
pub fn set_process_defaults(if_exists: IfExists, dry_run: bool) {
    let code = match if_exists {
        IfExists::Replace => 0,
        IfExists::Backup => 1,
        IfExists::Refuse => 2,
        IfExists::SingleBackup => 3,
    };
    DEFAULT_POLICY.store(code, Ordering::Relaxed);
    PROCESS_DRY_RUN.store(dry_run, Ordering::Relaxed);
    let mut log = LOG.lock().unwrap_or_else(|p| p.into_inner());
    log.get_or_insert_with(Vec::new);
}

/// The reports of the transactions committed (or planned) since the last call, when
/// [`set_process_defaults`] enabled the log; the CLI prints their backups and plans.
pub fn take_process_log() -> Vec<Report> {
    let mut log = LOG.lock().unwrap_or_else(|p| p.into_inner());
    log.as_mut().map(std::mem::take).unwrap_or_default()
}

/// Adds a report to the process log (see [`take_process_log`]).
pub fn log_report(r: &Report) {
    let mut log = LOG.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(v) = log.as_mut() {
        v.push(r.clone());
    }
}

/// Whether a planned file is new or replaces one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    /// The target does not exist yet.
    Create,
    /// The target exists and is replaced.
    Replace,
    /// The target exists and is removed ([`Transaction::remove`]).
    Remove,
}

/// One file of a transaction, as planned (dry run) or as written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlannedFile {
    /// The path as the caller named it.
    pub target: PathBuf,
    /// The file actually written: `target` with symbolic links followed.
    pub real_target: PathBuf,
    /// New or replacing.
    pub change: Change,
    /// The backup kept of the old content (policy [`IfExists::Backup`]).
    pub backup: Option<PathBuf>,
    /// Size of the new content in bytes.
    pub bytes: u64,
    /// For copies: the file copied.
    pub source: Option<PathBuf>,
}

impl std::fmt::Display for PlannedFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let verb = match self.change {
            Change::Create => "create",
            Change::Replace => "replace",
            Change::Remove => "remove",
        };
        write!(f, "{verb} {} ({} bytes", self.target.display(), self.bytes)?;
        if let Some(s) = &self.source {
            write!(f, ", copy of {}", s.display())?;
        }
        if let Some(b) = &self.backup {
            write!(f, ", backup {}", b.display())?;
        }
        write!(f, ")")
    }
}

/// What a committed (or dry-run) transaction did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    /// Every file, in staging order.
    pub files: Vec<PlannedFile>,
    /// Folders created for them.
    pub created_dirs: Vec<PathBuf>,
    /// True when nothing was written (a plan).
    pub dry_run: bool,
    /// What the recovery of interrupted earlier runs did in the folders written to.
    pub recovered: Vec<Recovery>,
    /// Clean-up that failed after the write was complete (every file new): what could not be
    /// removed and why. The next groovekit run in that folder removes it; a caller reports it
    /// (the CLI exits 1), since the folder holds files that are not the user's.
    pub leftovers: Vec<String>,
}

impl Report {
    /// The backups made.
    pub fn backups(&self) -> Vec<PathBuf> {
        self.files.iter().filter_map(|f| f.backup.clone()).collect()
    }
}

/// Where a staged file's bytes go: the hidden file, or nowhere (dry run, only counted).
#[derive(Debug)]
enum Out {
    File(File),
    Count { pos: u64, len: u64 },
}

/// A new file being written beside its target, to be added to a [`Transaction`]. It implements
/// `Write` and `Seek` (wrap it in a `BufWriter` for small writes). Dropped without being added,
/// it deletes itself.
#[derive(Debug)]
pub struct StagedFile {
    plan: PlannedFile,
    tmp: Option<PathBuf>,
    out: Out,
    existing: Option<Metadata>,
    if_exists: IfExists,
    created_dirs: Vec<PathBuf>,
    recovered: Vec<Recovery>,
}

fn err(action: &'static str, path: &Path, e: io::Error) -> FsError {
    FsError::new(action, path, e)
}

/// The first of `NAME.bak`, `NAME.bak.1`, ... that does not exist.
fn backup_name(real: &Path) -> PathBuf {
    let name = real.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut candidate = real.with_file_name(format!("{name}.bak"));
    let mut n = 1u32;
    while fs::symlink_metadata(&candidate).is_ok() {
        candidate = real.with_file_name(format!("{name}.bak.{n}"));
        n += 1;
    }
    candidate
}

/// `NAME.bak`, whether or not it exists (policy [`IfExists::SingleBackup`] replaces it).
fn single_backup_name(real: &Path) -> PathBuf {
    let name = real.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    real.with_file_name(format!("{name}.bak"))
}

/// Creates the missing ancestors of `dir`, outermost first, and returns them.
fn create_parents(dir: &Path, dry_run: bool) -> io::Result<Vec<PathBuf>> {
    let mut missing = Vec::new();
    let mut d = Some(dir);
    while let Some(p) = d {
        if p.as_os_str().is_empty() || fs::symlink_metadata(p).is_ok() {
            break;
        }
        missing.push(p.to_path_buf());
        d = p.parent();
    }
    missing.reverse();
    if !dry_run {
        let mut made = Vec::new();
        for m in &missing {
            if let Err(e) = fs::create_dir(m) {
                for x in made.iter().rev() {
                    let _ = fs::remove_dir(x);
                }
                return Err(e);
            }
            made.push(m.clone());
        }
        if let Some(top) = missing.first() {
            let _ = names::sync_dir(&names::parent_of(top));
        }
    }
    Ok(missing)
}

impl StagedFile {
    /// Starts a new file for `target` with `options`: resolves links, checks the policy and the
    /// folder, and creates the hidden staged file (nothing in a dry run).
    pub fn begin(target: &Path, options: &StageOptions) -> Result<StagedFile, FsError> {
        let mut options = *options;
        options.dry_run |= process_defaults().1;
        let options = &options;
        let real = names::resolve(target).map_err(|e| err("resolving", target, e))?;
        let dir = names::parent_of(&real);
        let mut created_dirs = Vec::new();
        if fs::symlink_metadata(&dir).is_err() {
            if !options.create_parents {
                return Err(err(
                    "writing",
                    target,
                    io::Error::new(io::ErrorKind::NotFound, format!("the folder {} does not exist", dir.display())),
                ));
            }
            created_dirs = create_parents(&dir, options.dry_run).map_err(|e| err("creating folder", &dir, e))?;
        } else if !dir.is_dir() {
            return Err(err("writing", target, io::Error::other(format!("{} is not a folder", dir.display()))));
        }
        let recovered = if options.dry_run || !created_dirs.is_empty() { Vec::new() } else { journal::prepare(&dir) };
        let existing = match fs::metadata(&real) {
            Ok(m) => Some(m),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(err("reading", target, e)),
        };
        if let Some(m) = &existing {
            if !m.is_file() {
                return Err(err("writing", target, io::Error::other("it exists and is not a regular file")));
            }
            if options.if_exists == IfExists::Refuse {
                return Err(err(
                    "refusing to replace",
                    target,
                    io::Error::new(
                        io::ErrorKind::AlreadyExists,
                        "it exists and replacing it is unusual here; pass --force to replace it (NAME.bak keeps the old file)",
                    ),
                ));
            }
            let links = names::link_count(m);
            if links > 1 && !options.split_hard_links {
                return Err(err(
                    "writing",
                    target,
                    io::Error::other(format!(
                        "it has {links} hard links; replacing it would leave the other names with the old content. \
                         Copy it to a file of its own first (or allow splitting the links)"
                    )),
                ));
            }
        }
        let plan = PlannedFile {
            target: target.to_path_buf(),
            real_target: real.clone(),
            change: if existing.is_some() { Change::Replace } else { Change::Create },
            backup: match (&existing, options.if_exists) {
                (Some(_), IfExists::Backup) => Some(backup_name(&real)),
                (Some(_), IfExists::SingleBackup) => Some(single_backup_name(&real)),
                _ => None,
            },
            bytes: 0,
            source: None,
        };
        let mut staged = StagedFile {
            plan,
            tmp: None,
            out: Out::Count { pos: 0, len: 0 },
            existing,
            if_exists: options.if_exists,
            created_dirs,
            recovered,
        };
        if options.dry_run {
            return Ok(staged);
        }
        let tmp = names::sibling(&real, TMP_TAG);
        failpoint::check_io(Op::Write).map_err(|e| err("writing", target, e))?;
        let file = OpenOptions::new()
            .write(true)
            .read(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|e| err("writing", target, e))?;
        staged.tmp = Some(tmp);
        if let Some(m) = &staged.existing {
            keep_mode_and_owner(&file, m).map_err(|e| err("setting the mode of", target, e))?;
        }
        staged.out = Out::File(file);
        Ok(staged)
    }

    /// The path the caller named.
    pub fn target(&self) -> &Path {
        &self.plan.target
    }

    /// The plan for this file so far.
    pub fn plan(&self) -> &PlannedFile {
        &self.plan
    }

    /// Flushes the content, starts its writeback (fsynced at commit); records its size.
    fn seal(&mut self) -> Result<(), FsError> {
        match &mut self.out {
            Out::File(f) => {
                let len = f.seek(SeekFrom::End(0)).map_err(|e| err("writing", &self.plan.target, e))?;
                // The fsync waits until commit (`Transaction::sync_staged`); starting the writeback
                // now lets the disk write this file while the next ones are staged. bench/ot-ops
                // (copy-bank, 64 x 1 MB): fsync here 0.095 s, writeback here and fsync at commit
                // 0.081 s, one syncfs at commit 0.085 s (2026-11-28, quiet 2-core VM, ext4).
                names::start_writeback(f);
                self.plan.bytes = len;
            }
            Out::Count { len, .. } => self.plan.bytes = *len,
        }
        Ok(())
    }
}

/// Gives the staged file the mode of the file it replaces, and (when the process may, as root)
/// its owner and group.
fn keep_mode_and_owner(file: &File, old: &Metadata) -> io::Result<()> {
    file.set_permissions(old.permissions())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let mine = file.metadata()?;
        if mine.uid() != old.uid() || mine.gid() != old.gid() {
            match std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid())) {
                Ok(()) => {}
                // Not root: a file can only be given away by root; the new file is the writer's.
                Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(())
}

impl Write for StagedFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.out {
            Out::File(f) => f.write(buf),
            Out::Count { pos, len } => {
                *pos += buf.len() as u64;
                *len = (*len).max(*pos);
                Ok(buf.len())
            }
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match &mut self.out {
            Out::File(f) => f.write_all(buf),
            Out::Count { .. } => self.write(buf).map(|_| ()),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.out {
            Out::File(f) => f.flush(),
            Out::Count { .. } => Ok(()),
        }
    }
}

impl Seek for StagedFile {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        match &mut self.out {
            Out::File(f) => f.seek(to),
            Out::Count { pos, len } => {
                let base = match to {
                    SeekFrom::Start(n) => Some(n),
                    SeekFrom::End(d) => len.checked_add_signed(d),
                    SeekFrom::Current(d) => pos.checked_add_signed(d),
                };
                *pos = base.ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before the start"))?;
                Ok(*pos)
            }
        }
    }
}

impl Drop for StagedFile {
    fn drop(&mut self) {
        if let Some(t) = self.tmp.take() {
            let _ = fs::remove_file(t);
        }
        for d in self.created_dirs.iter().rev() {
            let _ = fs::remove_dir(d);
        }
    }
}

/// A staged file the transaction owns.
#[derive(Debug)]
struct Entry {
    plan: PlannedFile,
    tmp: Option<PathBuf>,
    existing: Option<Metadata>,
    if_exists: IfExists,
    /// The kept old version, once made.
    old: Option<PathBuf>,
    /// A removal ([`Transaction::remove`]): no staged file, the target goes.
    remove: bool,
}

/// The staging record of a transaction with homes: the folders it stages into and the folders
/// it created, written into each home before anything is staged there.
#[derive(Debug, Default)]
struct Record {
    folders: Vec<PathBuf>,
    created: Vec<PathBuf>,
    written: bool,
}

/// Files written all together or not at all. See the module documentation for the steps.
///
/// ```no_run
/// use groovekit_core::fs::{IfExists, Transaction};
/// # fn main() -> Result<(), groovekit_core::fs::FsError> {
/// let mut tx = Transaction::new().if_exists(IfExists::Backup);
/// tx.write("proj/project.work".as_ref(), b"...")?;
/// tx.copy("proj/AUDIO/kick.wav".as_ref(), "other/AUDIO/kick.wav".as_ref())?;
/// for f in tx.plan() {
///     println!("{f}"); // "replace proj/project.work (12 bytes, backup proj/project.work.bak)"
/// }
/// let report = tx.commit()?; // all renamed, or nothing changed
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Transaction {
    options: StageOptions,
    entries: Vec<Entry>,
    created_dirs: Vec<PathBuf>,
    recovered: Vec<Recovery>,
    /// Set by a simulated crash (test fail point): leave every file as it is.
    crashed: bool,
    /// The folders that hold this transaction's staging record and journal besides the folders
    /// it writes to ([`Transaction::home`]).
    homes: Vec<PathBuf>,
    /// `PID-SEQ`: names the journal and the staging record.
    id: String,
    record: Mutex<Record>,
    leftovers: Vec<String>,
    /// The journal stays in the homes for the next run (a copy elsewhere could not be removed).
    keep_journal: bool,
}

impl Default for Transaction {
    fn default() -> Transaction {
        Transaction {
            options: StageOptions::default(),
            entries: Vec::new(),
            created_dirs: Vec::new(),
            recovered: Vec::new(),
            crashed: false,
            homes: Vec::new(),
            id: names::unique(),
            record: Mutex::new(Record::default()),
            leftovers: Vec::new(),
            keep_journal: false,
        }
    }
}

impl Transaction {
    /// An empty transaction with [`StageOptions::default`]: existing targets replaced (unless
    /// the program set another default), missing folders created.
    pub fn new() -> Transaction {
        Transaction::default()
    }

    /// Adds a home: the folder (a project, a Set) where the next run looks for this transaction's
    /// staging record and journal, besides the folders it writes to (see the module
    /// documentation). Interrupted transactions recorded there are recovered now.
    pub fn home(mut self, dir: &Path) -> Transaction {
        let real = names::resolve(dir).unwrap_or_else(|_| dir.to_path_buf());
        if !self.is_dry_run() {
            self.recovered.extend(journal::prepare(&real));
        }
        if !self.homes.contains(&real) {
            self.homes.push(real);
        }
        self
    }

    /// Writes the staging record into every home, once `folder` (and `created`) are in it.
    fn note_staging(&self, folder: Option<&Path>, created: &[PathBuf]) -> Result<(), FsError> {
        if self.homes.is_empty() || self.is_dry_run() {
            return Ok(());
        }
        let mut r = self.record.lock().unwrap_or_else(|p| p.into_inner());
        let mut changed = !r.written;
        if let Some(f) = folder
            && !r.folders.iter().any(|x| x == f)
        {
            r.folders.push(f.to_path_buf());
            changed = true;
        }
        for c in created {
            if !r.created.contains(c) {
                r.created.push(c.clone());
                changed = true;
            }
        }
        if !changed {
            return Ok(());
        }
        journal::set_active(&self.id, true);
        let j = Journal {
            format: journal::FORMAT.into(),
            id: self.id.clone(),
            pid: std::process::id(),
            folders: r.folders.iter().map(|f| JPath::from(f.as_path())).collect(),
            files: Vec::new(),
            staging: true,
            created_dirs: r.created.iter().map(|f| JPath::from(f.as_path())).collect(),
        };
        let text = serde_json::to_vec_pretty(&j).map_err(|e| err("writing journal in", &self.homes[0], e.into()))?; // ok: homes is not empty (checked above)
        for h in &self.homes {
            write_journal_file(h, &self.id, &text)?;
        }
        r.written = true;
        Ok(())
    }

    /// Plan only: every check runs, nothing is written, [`Transaction::commit`] returns the plan.
    pub fn dry_run(mut self, yes: bool) -> Transaction {
        // A process-wide dry run (set_process_defaults) cannot be switched off here.
        self.options.dry_run = yes || process_defaults().1;
        self
    }

    /// The policy for existing targets, for the files staged from now on.
    pub fn if_exists(mut self, policy: IfExists) -> Transaction {
        self.options.if_exists = policy;
        self
    }

    /// Changes the policy for existing targets for the files staged from now on.
    pub fn set_if_exists(&mut self, policy: IfExists) {
        self.options.if_exists = policy;
    }

    /// Whether missing parent folders are created (default yes).
    pub fn create_parents(mut self, yes: bool) -> Transaction {
        self.options.create_parents = yes;
        self
    }

    /// Whether files with other hard links may be replaced (default no: an error).
    pub fn split_hard_links(mut self, yes: bool) -> Transaction {
        self.options.split_hard_links = yes;
        self
    }

    /// True for a plan-only transaction.
    pub fn is_dry_run(&self) -> bool {
        self.options.dry_run || process_defaults().1
    }

    /// Number of files staged.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when no file is staged.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn check_duplicate(&self, real: &Path, target: &Path) -> Result<(), FsError> {
        if self.entries.iter().any(|e| e.plan.real_target == real) {
            return Err(err("writing", target, io::Error::other("the same file is written twice in one operation")));
        }
        Ok(())
    }

    /// Starts a new file for `target`, to be written through the returned handle and handed back
    /// with [`Transaction::add`] (for writers that stream or seek, such as audio files).
    pub fn create(&self, target: &Path) -> Result<StagedFile, FsError> {
        if !self.homes.is_empty() && !self.is_dry_run() {
            // Recorded before anything is created, the folders about to be made included, so a
            // crash at any point leaves a record of everything to remove.
            let real = names::resolve(target).map_err(|e| err("resolving", target, e))?;
            let folder = names::parent_of(&real);
            let mut missing = Vec::new();
            let mut d = Some(folder.as_path());
            while let Some(p) = d {
                if p.as_os_str().is_empty() || fs::symlink_metadata(p).is_ok() {
                    break;
                }
                missing.push(p.to_path_buf());
                d = p.parent();
            }
            self.note_staging(Some(&folder), &missing)?;
        }
        let staged = StagedFile::begin(target, &self.options)?;
        self.check_duplicate(&staged.plan.real_target, target)?;
        Ok(staged)
    }

    /// Stages the removal of `target` (an existing file): it goes with the transaction's other
    /// changes, all or none, and is recorded in the journal like them. With policy
    /// [`IfExists::Backup`] its content stays as `NAME.bak`.
    pub fn remove(&mut self, target: &Path) -> Result<(), FsError> {
        let real = names::resolve(target).map_err(|e| err("resolving", target, e))?;
        self.check_duplicate(&real, target)?;
        let m = fs::symlink_metadata(&real).map_err(|e| err("removing", target, e))?;
        if !m.is_file() {
            return Err(err("removing", target, io::Error::other("it is not a regular file")));
        }
        if !self.is_dry_run() {
            self.note_staging(Some(&names::parent_of(&real)), &[])?;
            self.recovered.extend(journal::prepare(&names::parent_of(&real)));
        }
        let if_exists = match self.options.if_exists {
            IfExists::Backup | IfExists::SingleBackup => IfExists::Backup,
            _ => IfExists::Replace,
        };
        self.entries.push(Entry {
            plan: PlannedFile {
                target: target.to_path_buf(),
                real_target: real.clone(),
                change: Change::Remove,
                backup: (if_exists == IfExists::Backup).then(|| backup_name(&real)),
                bytes: 0,
                source: None,
            },
            tmp: None,
            existing: Some(m),
            if_exists,
            old: None,
            remove: true,
        });
        Ok(())
    }

    /// Seals a file started with [`Transaction::create`] (or [`StagedFile::begin`]) and adds it to
    /// the transaction: flushed, its writeback to the disk started; the fsync comes at commit.
    pub fn add(&mut self, mut staged: StagedFile) -> Result<(), FsError> {
        self.check_duplicate(&staged.plan.real_target, &staged.plan.target.clone())?;
        staged.seal()?;
        self.created_dirs.append(&mut staged.created_dirs);
        self.recovered.append(&mut staged.recovered);
        let tmp = staged.tmp.take();
        self.entries.push(Entry {
            plan: staged.plan.clone(),
            tmp,
            existing: staged.existing.take(),
            if_exists: staged.if_exists,
            old: None,
            remove: false,
        });
        Ok(())
    }

    /// Stages `bytes` as the new content of `target`.
    pub fn write(&mut self, target: &Path, bytes: &[u8]) -> Result<(), FsError> {
        self.write_with(target, |w| w.write_all(bytes))
    }

    /// Stages the content `write` produces as the new content of `target` (buffered). When
    /// `write` fails, nothing is staged for it.
    pub fn write_with<F>(&mut self, target: &Path, write: F) -> Result<(), FsError>
    where
        F: FnOnce(&mut dyn Write) -> io::Result<()>,
    {
        let mut staged = self.create(target)?;
        {
            let mut w = BufWriter::with_capacity(1 << 16, &mut staged);
            write(&mut w).map_err(|e| err("writing", target, e))?;
            w.flush().map_err(|e| err("writing", target, e))?;
        }
        self.add(staged)
    }

    /// Stages a copy of the file `source` as the new content of `target` (samples copied between
    /// projects, for example).
    pub fn copy(&mut self, target: &Path, source: &Path) -> Result<(), FsError> {
        let mut from = File::open(source).map_err(|e| err("reading", source, e))?;
        let mut staged = self.create(target)?;
        if self.is_dry_run() {
            let len = from.metadata().map_err(|e| err("reading", source, e))?.len();
            staged.out = Out::Count { pos: len, len };
        } else {
            // File to File, so that std's `io::copy` uses `copy_file_range`/`sendfile` (in-kernel,
            // reflinks where the file system has them) instead of 8 KiB reads and writes through
            // the `Write` impl: bench/ot-ops measured 8 080 write calls for a 64 MB bank copy.
            let copied = match &mut staged.out {
                Out::File(to) => io::copy(&mut from, to),
                Out::Count { .. } => io::copy(&mut from, &mut staged),
            };
            copied.map_err(|e| err("copying to", target, e))?;
        }
        staged.plan.source = Some(source.to_path_buf());
        self.add(staged)
    }

    /// The files staged so far, with what will happen to each.
    pub fn plan(&self) -> Vec<PlannedFile> {
        self.entries.iter().map(|e| e.plan.clone()).collect()
    }

    /// Moves every staged file into place, or (on error) changes nothing. See the module
    /// documentation for the steps. In a dry run, returns the plan.
    pub fn commit(mut self) -> Result<Report, FsError> {
        let mut report = Report {
            files: Vec::new(),
            created_dirs: self.created_dirs.clone(),
            dry_run: self.is_dry_run(),
            recovered: std::mem::take(&mut self.recovered),
            leftovers: Vec::new(),
        };
        if report.dry_run || self.entries.is_empty() {
            report.files = self.plan();
            log_report(&report);
            return Ok(report);
        }
        let id = self.id.clone();
        journal::set_active(&id, true);
        let result = self.run(&id);
        journal::set_active(&id, false);
        match result {
            Ok(()) => {
                report.files = self.plan();
                report.leftovers = std::mem::take(&mut self.leftovers);
                self.entries.clear();
                self.created_dirs.clear();
                log_report(&report);
                Ok(report)
            }
            Err(e) => Err(e),
        }
    }

    /// The folders written to (where the journal goes), sorted.
    fn folders(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = self.entries.iter().map(|e| names::parent_of(&e.plan.real_target)).collect();
        v.sort();
        v.dedup();
        v
    }

    /// The folders written to and the homes: every place the journal goes.
    fn journal_folders(&self) -> Vec<PathBuf> {
        let mut v = self.folders();
        v.extend(self.homes.iter().cloned());
        v.sort();
        v.dedup();
        v
    }

    fn run(&mut self, id: &str) -> Result<(), FsError> {
        let multi = self.entries.len() > 1;
        let folders = self.journal_folders();
        // 1b. The staged files durable.
        self.sync_staged()?;
        // 2. Keep the old versions.
        for i in 0..self.entries.len() {
            let Some(e) = self.entries.get(i) else { break };
            let keep = multi || e.remove || matches!(e.if_exists, IfExists::Backup | IfExists::SingleBackup);
            if e.existing.is_none() || !keep {
                continue;
            }
            let backup = e.if_exists == IfExists::Backup;
            let kept = keep_old(&e.plan.real_target, backup).inspect_err(|_| self.undo_keeps())?;
            if let Some(e) = self.entries.get_mut(i) {
                if backup {
                    e.plan.backup = Some(kept.clone());
                }
                e.old = Some(kept);
            }
        }
        for d in &folders {
            names::sync_dir(d).map_err(|e| {
                self.undo_keeps();
                err("syncing folder", d, e)
            })?;
        }
        // 3. The journal.
        if multi && let Err(e) = self.write_journals(id, &folders) {
            self.remove_journals(id, &folders);
            self.undo_keeps();
            return Err(e);
        }
        // 4. Renames.
        for i in 0..self.entries.len() {
            let Some(e) = self.entries.get(i) else { break };
            let tmp = e.tmp.clone().unwrap_or_default();
            let real = e.plan.real_target.clone();
            let moved = if e.remove { names::remove_target(&real) } else { names::rename(&tmp, &real) };
            if let Err(fired) = moved {
                let target = e.plan.target.clone();
                return Err(match fired {
                    Fired::Crash(x) => {
                        self.crashed = true;
                        err("renaming to", &target, x)
                    }
                    Fired::Fail(x) => match self.roll_back(i) {
                        Ok(()) => {
                            self.remove_journals(id, &folders);
                            err("renaming to", &target, x)
                        }
                        Err(undo) => {
                            // The journal stays: the next run finishes the transaction.
                            self.crashed = true;
                            err(
                                "renaming to",
                                &target,
                                io::Error::other(format!(
                                    "{x}; undoing the files already renamed also failed ({undo}); the next groovekit \
                                     command run on {} finishes the write",
                                    names::parent_of(&real).display()
                                )),
                            )
                        }
                    },
                });
            }
            if let Some(e) = self.entries.get_mut(i) {
                e.tmp = None;
            }
        }
        // 5. Make the renames durable, then tidy up.
        let mut sync_error = None;
        for d in &folders {
            if let Err(e) = names::sync_dir(d) {
                sync_error.get_or_insert(err("syncing folder", d, e));
            }
        }
        if let Some(e) = sync_error {
            // The renames may not be durable: put the old files back where every replaced file
            // has a kept version (always so with more than one file), so that an error still
            // means nothing changed. Otherwise (one file replaced without a backup) the new file
            // stays, and the error says the folder could not be synced.
            let can_undo = self.entries.iter().all(|e| e.existing.is_none() || e.old.is_some());
            if can_undo && self.roll_back(self.entries.len()).is_ok() {
                self.remove_journals(id, &folders);
            } else {
                self.crashed = true;
            }
            return Err(e);
        }
        // 6. Tidy up: the write is complete, so a failure here is a leftover to report, not an
        // error of the write.
        let mut leftovers = Vec::new();
        for e in &mut self.entries {
            let Some(o) = &e.old else { continue };
            let done = match e.if_exists {
                IfExists::Replace | IfExists::Refuse => names::remove_layer_file(o),
                IfExists::SingleBackup => {
                    let bak = single_backup_name(&e.plan.real_target);
                    // Clean-up, not a step of the write: under the `unlink` fail points.
                    let r = failpoint::check_io(Op::Unlink).and_then(|()| fs::rename(o, &bak));
                    e.plan.backup = r.is_ok().then_some(bak);
                    r
                }
                IfExists::Backup => Ok(()),
            };
            if let Err(x) = done {
                leftovers.push(format!("{}: {x}", o.display()));
            }
        }
        let kept = self.remove_journals(id, &folders);
        // A journal copy that could not be removed: the home's stays too (see remove_journals).
        self.keep_journal = !kept.is_empty();
        leftovers.extend(kept);
        self.leftovers = leftovers;
        Ok(())
    }

    /// Makes every staged file durable (content and size) before anything is renamed: an fsync
    /// of each, through a new handle (a handle per staged file kept open until commit would run
    /// out of descriptors on large collects). Their writeback started when each was sealed, so
    /// these mostly wait for pages already on their way.
    fn sync_staged(&self) -> Result<(), FsError> {
        for e in &self.entries {
            let Some(tmp) = &e.tmp else { continue };
            let f = OpenOptions::new().write(true).open(tmp).map_err(|x| err("syncing", &e.plan.target, x))?;
            names::sync_file(&f).map_err(|x| err("syncing", &e.plan.target, x))?;
        }
        Ok(())
    }

    /// Removes the kept old versions made so far (before any rename: nothing changed).
    fn undo_keeps(&mut self) {
        for e in &mut self.entries {
            if let Some(o) = e.old.take() {
                let _ = fs::remove_file(o);
                e.plan.backup = None;
            }
        }
    }

    /// Puts back the files renamed before entry `failed` and removes the kept versions and
    /// staged files of the others.
    fn roll_back(&mut self, failed: usize) -> io::Result<()> {
        for i in (0..failed).rev() {
            let Some(e) = self.entries.get(i) else { continue };
            match &e.old {
                Some(o) => fs::rename(o, &e.plan.real_target)?,
                None => fs::remove_file(&e.plan.real_target)?,
            }
            if let Some(e) = self.entries.get_mut(i) {
                e.old = None;
            }
        }
        for d in self.folders() {
            let _ = names::sync_dir(&d);
        }
        self.undo_keeps();
        Ok(())
    }

    fn write_journals(&self, id: &str, folders: &[PathBuf]) -> Result<(), FsError> {
        let mut files = Vec::new();
        for e in &self.entries {
            let (staged, staged_id) = match &e.tmp {
                Some(tmp) if !e.remove => {
                    let sid = FileId::at(tmp).ok_or_else(|| {
                        err("reading", &e.plan.target, io::Error::other("the staged file disappeared"))
                    })?;
                    (Some(JPath::from(tmp.as_path())), Some(sid))
                }
                _ => (None, None),
            };
            let old_id = match &e.old {
                Some(o) => Some(FileId::at(o).ok_or_else(|| {
                    err("reading", &e.plan.target, io::Error::other("the kept old file disappeared"))
                })?),
                None => None,
            };
            files.push(JEntry {
                target: JPath::from(e.plan.real_target.as_path()),
                staged,
                staged_id,
                old: e.old.as_deref().map(JPath::from),
                old_id,
                old_is_backup: e.if_exists == IfExists::Backup,
            });
        }
        let j = Journal {
            format: journal::FORMAT.into(),
            id: id.to_string(),
            pid: std::process::id(),
            folders: folders.iter().map(|f| JPath::from(f.as_path())).collect(),
            files,
            staging: false,
            created_dirs: self.record_created().iter().map(|f| JPath::from(f.as_path())).collect(),
        };
        let text =
            serde_json::to_vec_pretty(&j).map_err(|e| err("writing journal for", &self.plan_target0(), e.into()))?;
        for d in folders {
            write_journal_file(d, id, &text)?;
        }
        Ok(())
    }

    /// The folders this transaction created (for recovery to remove when it undoes).
    fn record_created(&self) -> Vec<PathBuf> {
        let mut v = self.created_dirs.clone();
        v.extend(self.record.lock().unwrap_or_else(|p| p.into_inner()).created.iter().cloned());
        v.sort();
        v.dedup();
        v
    }

    /// The first target (for errors that concern the whole transaction).
    fn plan_target0(&self) -> PathBuf {
        self.entries.first().map(|e| e.plan.target.clone()).unwrap_or_default()
    }

    /// Removes the journal (and staging record) from `folders` and the homes; returns what could
    /// not be removed.
    fn remove_journals(&self, id: &str, folders: &[PathBuf]) -> Vec<String> {
        let mut failed = Vec::new();
        // The other folders first, the homes last: when a copy elsewhere stays, so does the
        // home's, where the next run looks, and its recovery then removes every copy.
        let remove = |d: &PathBuf, failed: &mut Vec<String>| {
            let p = d.join(journal::file_name(id));
            if let Err(e) = names::remove_layer_file(&p)
                && e.kind() != io::ErrorKind::NotFound
            {
                failed.push(format!("{}: {e}", p.display()));
            }
        };
        for d in folders.iter().filter(|d| !self.homes.contains(d)) {
            remove(d, &mut failed);
        }
        if failed.is_empty() {
            for d in &self.homes {
                remove(d, &mut failed);
            }
        }
        failed
    }
}

/// Writes a journal (or staging record) `text` into `dir` under transaction `id`'s name:
/// complete and fsynced under a temporary name, then renamed, then the folder fsynced.
fn write_journal_file(dir: &Path, id: &str, text: &[u8]) -> Result<(), FsError> {
    let name = journal::file_name(id);
    let tmp = dir.join(journal::tmp_name(id));
    let path = dir.join(&name);
    let write = || -> io::Result<()> {
        failpoint::check_io(Op::Write)?;
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(text)?;
        names::sync_file(&f)?;
        Ok(())
    };
    write().map_err(|e| {
        let _ = fs::remove_file(&tmp);
        err("writing journal in", dir, e)
    })?;
    names::rename(&tmp, &path).map_err(|f| {
        let _ = fs::remove_file(&tmp);
        err("writing journal in", dir, f.into_error())
    })?;
    names::sync_dir(dir).map_err(|e| err("syncing folder", dir, e))
}

/// Keeps the current content of `real` under a new name before it is replaced: `NAME.bak`
/// (numbered when taken) when `backup`, a hidden name otherwise. A hard link when the file system
/// has them (instant, and exactly the old file); otherwise a complete copy, fsynced, renamed into
/// its name (so a crash never leaves a partial backup under a backup's name).
fn keep_old(real: &Path, backup: bool) -> Result<PathBuf, FsError> {
    for _ in 0..1000 {
        let name = if backup { backup_name(real) } else { names::sibling(real, OLD_TAG) };
        match fs::hard_link(real, &name) {
            Ok(()) => {
                // The old content becomes the only copy: make sure it is on disk.
                // On failure the link goes again: nothing may be left beside the target.
                if let Ok(f) = File::open(&name)
                    && let Err(e) = names::sync_file(&f)
                {
                    let _ = fs::remove_file(&name);
                    return Err(err("syncing backup of", real, e));
                }
                return Ok(name);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(_) => return copy_old(real, &name),
        }
    }
    Err(err("backing up", real, io::Error::other("no free backup name")))
}

/// The copy fallback of [`keep_old`].
fn copy_old(real: &Path, name: &Path) -> Result<PathBuf, FsError> {
    let tmp = names::sibling(name, TMP_TAG);
    let result = (|| -> io::Result<()> {
        failpoint::check_io(Op::Write)?;
        let mut from = File::open(real)?;
        let mut to = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        io::copy(&mut from, &mut to)?;
        if let Ok(m) = from.metadata() {
            let _ = keep_mode_and_owner(&to, &m);
        }
        names::sync_file(&to)?;
        if fs::symlink_metadata(name).is_ok() {
            return Err(io::Error::new(io::ErrorKind::AlreadyExists, "the backup name was taken meanwhile"));
        }
        names::rename(&tmp, name).map_err(Fired::into_error)
    })();
    match result {
        Ok(()) => Ok(name.to_path_buf()),
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(err("backing up", real, e))
        }
    }
}

impl Drop for Transaction {
    fn drop(&mut self) {
        if self.crashed {
            return;
        }
        for e in &mut self.entries {
            if let Some(t) = e.tmp.take() {
                let _ = fs::remove_file(t);
            }
        }
        let mut created = self.record_created();
        created.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
        for d in &created {
            let _ = fs::remove_dir(d);
        }
        // The staging record goes last: until then it names what is left to remove.
        if !self.homes.is_empty() && !self.keep_journal {
            for h in &self.homes {
                let _ = fs::remove_file(h.join(journal::file_name(&self.id)));
            }
        }
        journal::set_active(&self.id, false);
    }
}
