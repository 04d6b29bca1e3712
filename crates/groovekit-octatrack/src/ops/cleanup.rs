//! Clean-up operations on a project or a Set (issue 13 item 4): `purge-slots`, `purge-files`,
//! `collect`, `dedupe`, `relink` and `clear`. Each one first computes a [`CleanupPlan`] (what it
//! changes and the [`Change`]s that do it), then, unless it is a dry run, applies it through
//! [`crate::ops::backup::apply`]: a timestamped backup of every file it replaces or removes in
//! the `backups/` folder of the project (or of the Set, for operations on a Set), one
//! `groovekit_core::fs::Transaction` for the writes, removals last and undone on failure, so the
//! operation is all or nothing and `ot restore` puts everything back.
//!
//! Files are never deleted outright: `purge-files` and `dedupe` *move* files into the backup
//! folder (the backup copies them, then the originals are removed), where `ot restore` finds them.
//!
//! What counts as a use of a slot (for `purge-slots`): any reference the bank walker
//! [`crate::ops::refs::bank_refs`] sees (Static and Flex slot of every part, working and saved,
//! whatever the machine; every sample lock) in any bank, `.work` **or** `.strd` (PROJECT > RELOAD
//! brings the `.strd` banks back, and they must still find their samples). What counts as a use of
//! a file (for `purge-files`): any slot of `project.work` or `project.strd` of any project of the
//! Set whose path names it, used by a bank or not (a slot is the user's choice; clear it with
//! `purge-slots` first to let its file go).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::OtError;
use crate::model::project::{Project, SampleSlot, SlotType};
use crate::ops::backup::{self, ApplyOptions, Change};
use crate::ops::content::ContentCache;
use crate::ops::copy::{bank_contents, check_bank_number, need_bank};
use crate::ops::find_audio::has_audio_extension;
use crate::ops::import::{Import, place};
use crate::ops::project_dir::{ProjectDir, State, invalid, io_error, is_inside, markers_ref, normalize, relative_path};
use crate::ops::refs::bank_refs;
use crate::raw::bank::{BANK_SIZE, PATTERNS_OFFSET, WORKING_PARTS_OFFSET, default_bank_bytes};
use crate::raw::markers::{Markers, RECORD_SIZE, RECORDS_OFFSET};
use crate::raw::sample_settings::{SampleSettingsFile, TRIM_END};

/// Slot path rewrites: (type, 1-based slot) -> (old `PATH=`, new `PATH=`).
type PathMoves = BTreeMap<(SlotType, u16), (Vec<u8>, Vec<u8>)>;
/// Content identity of an audio file: its BLAKE3 and that of the `.ot` beside it, if any.
type ContentKey = ([u8; 32], Option<[u8; 32]>);

/// Options shared by every clean-up operation.
#[derive(Debug, Clone, Copy, Default)]
pub struct CleanupOptions {
    /// Compute and return the plan only; change nothing.
    pub dry_run: bool,
    /// Fault injection for tests (see [`ApplyOptions`]).
    pub apply: ApplyOptions,
}

/// A slot whose path changes (or which is cleared: `to` empty).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SlotChange {
    /// The project folder.
    pub project: PathBuf,
    /// Flex or Static.
    pub slot_type: SlotType,
    /// 1-based, as the device shows it.
    pub slot: u16,
    /// The `PATH=` before (lossy UTF-8).
    pub from: String,
    /// The `PATH=` after; empty when the slot is cleared.
    pub to: String,
}

/// What happens to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileAction {
    /// Moved into the backup folder (`ot restore` puts it back).
    MoveToBackup,
    /// Copied to `to` (a new file).
    Copy,
}

/// One file the operation moves or copies.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileChange {
    /// The file.
    pub path: PathBuf,
    /// What happens to it.
    pub action: FileAction,
    /// The new file (for a copy).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<PathBuf>,
    /// Why (kept copy for `dedupe`, "no slot uses it" for `purge-files`, ...).
    pub reason: String,
}

/// A missing sample `relink` could not settle on its own.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Unresolved {
    /// Flex or Static.
    pub slot_type: SlotType,
    /// 1-based.
    pub slot: u16,
    /// The missing `PATH=`.
    pub path: String,
    /// The files that could be it (empty: none found).
    pub candidates: Vec<PathBuf>,
}

/// The plan (and, after a real run, the result) of a clean-up operation.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CleanupPlan {
    /// `purge-slots`, `purge-files`, `collect`, `dedupe`, `relink` or `clear`.
    pub operation: &'static str,
    /// The project or Set folder; its `backups/` holds the backup.
    pub root: PathBuf,
    /// Slots whose path changes or which are cleared.
    pub slots: Vec<SlotChange>,
    /// Files moved to the backup or copied.
    pub files: Vec<FileChange>,
    /// `relink`: missing samples with no match or several different matches (left as they are).
    pub unresolved: Vec<Unresolved>,
    /// `clear`: what the bank held that is reset.
    pub cleared: Vec<String>,
    /// Things the user should know (nothing fatal).
    pub warnings: Vec<String>,
    /// Every file the operation writes, creates or removes, in order.
    pub writes: Vec<PathBuf>,
    /// Whether this was a dry run.
    pub dry_run: bool,
    /// The backup folder (after a real run that changed something).
    pub backup: Option<PathBuf>,
    /// The changes (not serialised).
    #[serde(skip)]
    pub changes: Vec<Change>,
}

impl CleanupPlan {
    fn new(operation: &'static str, root: &Path) -> CleanupPlan {
        CleanupPlan {
            operation,
            root: root.to_path_buf(),
            slots: Vec::new(),
            files: Vec::new(),
            unresolved: Vec::new(),
            cleared: Vec::new(),
            warnings: Vec::new(),
            writes: Vec::new(),
            dry_run: false,
            backup: None,
            changes: Vec::new(),
        }
    }

    /// Whether the operation changes nothing.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Applies the plan unless `opts.dry_run` (then, or when there is nothing to do, nothing is
    /// written and no backup folder is made).
    fn finish(mut self, opts: CleanupOptions) -> Result<CleanupPlan, OtError> {
        self.dry_run = opts.dry_run;
        self.writes = self.changes.iter().map(|c| c.target().to_path_buf()).collect();
        if !opts.dry_run && !self.changes.is_empty() {
            let applied = backup::apply(&self.root, self.operation, &self.changes, opts.apply)?;
            self.backup = Some(applied.backup);
        }
        Ok(self)
    }
}

/// Whether `dir` is a project folder (it has a `project.work`).
pub fn is_project(dir: &Path) -> bool {
    dir.join("project.work").is_file()
}

/// The project folders of a Set (sub-folders with a `project.work`), sorted by name.
pub fn set_projects(set: &Path) -> Result<Vec<PathBuf>, OtError> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(set).map_err(|e| io_error("reading", set, e))? {
        let e = e.map_err(|e| io_error("reading", set, e))?;
        let p = e.path();
        if p.is_dir() && is_project(&p) {
            out.push(p);
        }
    }
    out.sort();
    Ok(out)
}

/// Opens a Set: its projects (each must be saved on OS 1.40) and its `AUDIO` pool folder.
fn open_set(set: &Path) -> Result<Vec<ProjectDir>, OtError> {
    if is_project(set) {
        return Err(invalid(
            set,
            "this is a project folder, not a Set: give the Set folder (the one holding AUDIO and the projects)",
        ));
    }
    let dirs = set_projects(set)?;
    if dirs.is_empty() && !set.join("AUDIO").is_dir() {
        return Err(invalid(set, "not an Octatrack Set: no AUDIO folder and no project folders in it"));
    }
    dirs.iter().map(|d| ProjectDir::open(d)).collect()
}

/// The slots (type, 1-based number) any bank of the project refers to, `.work` and `.strd`.
pub fn used_slots(p: &ProjectDir) -> Result<HashSet<(SlotType, u16)>, OtError> {
    let mut used = HashSet::new();
    for n in 1..=16 {
        for state in [State::Work, State::Strd] {
            if let Some(bank) = p.read_bank(n, state)? {
                used.extend(bank_refs(&bank).uses.iter().map(|u| (u.slot_type, u.slot)));
            }
        }
    }
    Ok(used)
}

/// The slots of `project.work` and `project.strd` with a path, with the file each names.
fn slot_files(p: &ProjectDir) -> Result<Vec<(SampleSlot, PathBuf)>, OtError> {
    let mut out: Vec<(SampleSlot, PathBuf)> =
        p.project.samples().into_iter().filter_map(|s| p.sample_path(&s).map(|f| (s, f))).collect();
    if let Some(strd) = p.read_project_strd()? {
        out.extend(strd.samples().into_iter().filter_map(|s| p.sample_path(&s).map(|f| (s, f))));
    }
    Ok(out)
}

/// Every audio file under `dir` (any case of the extension), skipping `backups/` folders, sorted.
fn audio_files(dir: &Path) -> Result<Vec<PathBuf>, OtError> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    let walk = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !(e.file_type().is_dir() && e.file_name() == "backups"));
    for e in walk {
        let e = e.map_err(|e| {
            let path = e.path().map(Path::to_path_buf).unwrap_or_else(|| dir.to_path_buf());
            io_error("reading", &path, e.into())
        })?;
        if e.file_type().is_file() && has_audio_extension(e.path()) {
            out.push(e.path().to_path_buf());
        }
    }
    Ok(out)
}

/// The `.ot` beside an audio file, when there is one.
fn ot_beside(audio: &Path) -> Option<PathBuf> {
    let ot = audio.with_extension("ot");
    ot.is_file().then_some(ot)
}

/// The bytes of a project after `edit`, as a write when they differ from `before`.
fn project_write(path: PathBuf, before: &Project, after: &Project) -> Option<Change> {
    let bytes = after.to_bytes();
    (bytes != before.to_bytes()).then_some(Change::Write { path, bytes })
}

// ---------------------------------------------------------------------------------------------
// purge-slots

/// `ot purge-slots`: clears the slots of `project.work` that nothing uses (see the module docs),
/// Flex and Static or only `pool`; recorder buffers (Flex 129-136) are never touched. A cleared
/// slot's block is removed from `project.work` (a blank project lists no sample slots) and its
/// markers record (trim, loop, slices) is reset to the blank project's.
pub fn purge_slots(dir: &Path, pool: Option<SlotType>, opts: CleanupOptions) -> Result<CleanupPlan, OtError> {
    let _lock = crate::ops::lock::unless_dry_run(opts.dry_run, || crate::ops::lock::lock_project(dir, false))?;
    let p = ProjectDir::open(dir)?;
    let used = used_slots(&p)?;
    let mut plan = CleanupPlan::new("purge-slots", &p.dir);
    let mut project = p.project.clone();
    let markers = p.read_markers(State::Work)?;
    let mut new_markers = markers.clone();
    let blank = Markers::new_default();
    for s in p.project.samples() {
        if s.is_recorder_buffer() || pool.is_some_and(|t| t != s.slot_type) || used.contains(&(s.slot_type, s.slot)) {
            continue;
        }
        project.remove_sample(s.slot_type, s.slot);
        if let (Some(m), Some(i)) = (new_markers.as_mut(), markers_ref(s.slot_type, s.slot).and_then(|r| r.index())) {
            let range = RECORDS_OFFSET + i * RECORD_SIZE..RECORDS_OFFSET + (i + 1) * RECORD_SIZE;
            if let (Some(to), Some(from)) = (m.bytes_mut().get_mut(range.clone()), blank.as_bytes().get(range)) {
                to.copy_from_slice(from);
            }
        }
        plan.slots.push(SlotChange {
            project: p.dir.clone(),
            slot_type: s.slot_type,
            slot: s.slot,
            from: s.path_lossy(),
            to: String::new(),
        });
    }
    plan.changes.extend(project_write(p.file("project", State::Work), &p.project, &project));
    if let (Some(before), Some(after)) = (&markers, &new_markers)
        && before.as_bytes() != after.as_bytes()
    {
        plan.changes.push(Change::Write { path: p.file("markers", State::Work), bytes: after.to_bytes() });
    }
    if !plan.slots.is_empty() && p.read_project_strd()?.is_some() {
        plan.warnings.push(
            "project.strd (what PROJECT > RELOAD reads) still lists the cleared slots; save the project on the device to update it"
                .into(),
        );
    }
    plan.finish(opts)
}

// ---------------------------------------------------------------------------------------------
// purge-files

/// `ot purge-files`: moves the audio files (and their `.ot`) that no slot uses into the backup
/// folder. `path` is a project folder (its files; the slots of every project of its Set count,
/// since a sibling may name them) or a Set folder (its `AUDIO` pool and every project folder).
pub fn purge_files(path: &Path, opts: CleanupOptions) -> Result<CleanupPlan, OtError> {
    let _lock = crate::ops::lock::unless_dry_run(opts.dry_run, || crate::ops::lock::lock_project_or_set(path, false))?;
    let (root, projects, scan): (PathBuf, Vec<ProjectDir>, Vec<PathBuf>) = if is_project(path) {
        let p = ProjectDir::open(path)?;
        // Siblings in the same Set may name this project's files (`../PROJ/x.wav`).
        let mut all = vec![p.clone()];
        if let Some(set) = path.parent().filter(|s| s.join("AUDIO").is_dir()) {
            for d in set_projects(set)? {
                if normalize(&d) != normalize(&p.dir) {
                    all.push(ProjectDir::open(&d)?);
                }
            }
        }
        (p.dir.clone(), all, vec![p.dir.clone()])
    } else {
        let projects = open_set(path)?;
        let mut scan = vec![path.join("AUDIO")];
        scan.extend(projects.iter().map(|p| p.dir.clone()));
        (path.to_path_buf(), projects, scan)
    };
    let mut used: HashSet<PathBuf> = HashSet::new();
    for p in &projects {
        used.extend(slot_files(p)?.into_iter().map(|(_, f)| normalize(&f)));
    }
    let mut plan = CleanupPlan::new("purge-files", &root);
    for dir in &scan {
        for f in audio_files(dir)? {
            if used.contains(&normalize(&f)) {
                continue;
            }
            plan.files.push(FileChange {
                path: f.clone(),
                action: FileAction::MoveToBackup,
                to: None,
                reason: "no slot of any project uses it".into(),
            });
            plan.changes.push(Change::Remove { path: f.clone() });
            if let Some(ot) = ot_beside(&f) {
                plan.files.push(FileChange {
                    path: ot.clone(),
                    action: FileAction::MoveToBackup,
                    to: None,
                    reason: "the .ot of an unused file".into(),
                });
                plan.changes.push(Change::Remove { path: ot });
            }
        }
    }
    plan.finish(opts)
}

// ---------------------------------------------------------------------------------------------
// collect

/// Rewrites slot paths in `project.work` and, where it lists the same slot with the same path,
/// `project.strd`. `moves` maps (type, slot) to (old path, new path).
fn rewrite_paths(p: &ProjectDir, moves: &PathMoves, plan: &mut CleanupPlan) -> Result<(), OtError> {
    if moves.is_empty() {
        return Ok(());
    }
    let mut work = p.project.clone();
    for (&(t, n), (old, new)) in moves {
        if let Some(mut s) = work.sample(t, n).filter(|s| &s.path == old) {
            s.path = new.clone();
            work.set_sample(&s)?;
            plan.slots.push(SlotChange {
                project: p.dir.clone(),
                slot_type: t,
                slot: n,
                from: String::from_utf8_lossy(old).into_owned(),
                to: String::from_utf8_lossy(new).into_owned(),
            });
        }
    }
    plan.changes.extend(project_write(p.file("project", State::Work), &p.project, &work));
    if let Some(strd) = p.read_project_strd()? {
        let mut after = strd.clone();
        for (&(t, n), (old, new)) in moves {
            if let Some(mut s) = after.sample(t, n).filter(|s| &s.path == old) {
                s.path = new.clone();
                after.set_sample(&s)?;
            }
        }
        plan.changes.extend(project_write(p.file("project", State::Strd), &strd, &after));
    }
    Ok(())
}

/// `ot collect`: copies every sample a slot of the project names that lives outside the project
/// folder into it (with its `.ot`) and rewrites the slot paths; with `to_pool`, copies every one
/// that lives outside both the project folder and the Set's `AUDIO` pool into the pool. A file of
/// the same name with other bytes is never overwritten: the copy gets a unique name
/// (`name-2.wav`, as `copy-bank` does). Missing files are listed as warnings and left alone.
pub fn collect(dir: &Path, to_pool: bool, opts: CleanupOptions) -> Result<CleanupPlan, OtError> {
    let _lock = crate::ops::lock::unless_dry_run(opts.dry_run, || crate::ops::lock::lock_project(dir, to_pool))?;
    let p = ProjectDir::open(dir)?;
    let mut plan = CleanupPlan::new("collect", &p.dir);
    let pool = p.pool();
    if to_pool && !pool.is_dir() {
        return Err(invalid(
            &p.dir,
            format!(
                "--to-pool: the Set has no AUDIO folder ({}); create it, or collect into the project",
                pool.display()
            ),
        ));
    }
    let mut cache = ContentCache::new();
    let mut planned: HashMap<PathBuf, PathBuf> = HashMap::new();
    let mut scratch = Import::default();
    let mut moves = BTreeMap::new();
    for s in p.project.samples() {
        let Some(file) = p.sample_path(&s) else { continue };
        if s.is_recorder_buffer() {
            continue;
        }
        let home = is_inside(&file, &p.dir) || (to_pool && is_inside(&file, &pool));
        if home {
            continue;
        }
        if !file.is_file() {
            plan.warnings.push(format!(
                "{} slot {}: {} is missing, not collected (find it with `groovekit ot relink`)",
                s.slot_type.describe(),
                s.slot,
                file.display()
            ));
            continue;
        }
        let name = file.file_name().map(PathBuf::from).unwrap_or_default();
        let base = if to_pool { pool.join(&name) } else { p.dir.join(&name) };
        let target = place(&mut cache, &mut planned, &file, &base, &mut scratch)?;
        moves.insert((s.slot_type, s.slot), (s.path.clone(), relative_path(&p.dir, &target)));
    }
    for f in &scratch.files {
        plan.files.push(FileChange {
            path: f.from.clone(),
            action: FileAction::Copy,
            to: Some(f.to.clone()),
            reason: if f.renamed { "renamed: another file has the name".into() } else { "outside the project".into() },
        });
        plan.changes.push(Change::Copy { from: f.from.clone(), to: f.to.clone() });
    }
    rewrite_paths(&p, &moves, &mut plan)?;
    plan.finish(opts)
}

// ---------------------------------------------------------------------------------------------
// dedupe

/// `ot dedupe`: finds content-identical audio files in a Set (the `AUDIO` pool and every project
/// folder): same size, same hash of both ends, then the same BLAKE3 of the whole file, and the same
/// `.ot` beside them (or none: a file whose `.ot` differs keeps its own trim and slices, so it is
/// not merged). Of each group it keeps one (the pool copy first, then the shortest path, then the
/// first by name), rewrites every slot path of every project of the Set that names another member
/// to the kept one, and moves the others (with their `.ot`) into `SET/backups/`.
pub fn dedupe(set: &Path, opts: CleanupOptions) -> Result<CleanupPlan, OtError> {
    let _lock = crate::ops::lock::unless_dry_run(opts.dry_run, || crate::ops::lock::lock_set(set))?;
    let projects = open_set(set)?;
    let pool = set.join("AUDIO");
    let mut files = audio_files(&pool)?;
    for p in &projects {
        files.extend(audio_files(&p.dir)?);
    }
    let mut cache = ContentCache::new();
    // Cheap key first: only files sharing size and edges are hashed whole.
    let mut by_quick: BTreeMap<(u64, [u8; 32]), Vec<PathBuf>> = BTreeMap::new();
    for f in files {
        let k = cache.quick(&f)?;
        by_quick.entry(k).or_default().push(f);
    }
    let mut groups: Vec<Vec<PathBuf>> = Vec::new();
    for (_, same_quick) in by_quick.into_iter().filter(|(_, v)| v.len() > 1) {
        let mut by_full: BTreeMap<ContentKey, Vec<PathBuf>> = BTreeMap::new();
        for f in same_quick {
            let ot = match ot_beside(&f) {
                Some(o) => Some(cache.full(&o)?),
                None => None,
            };
            by_full.entry((cache.full(&f)?, ot)).or_default().push(f);
        }
        groups.extend(by_full.into_values().filter(|g| g.len() > 1));
    }
    let mut plan = CleanupPlan::new("dedupe", set);
    // Dropped file (normalised) -> kept file.
    let mut replace: HashMap<PathBuf, PathBuf> = HashMap::new();
    for mut g in groups {
        let rank = |f: &PathBuf| (!is_inside(f, &pool), relative_path(set, f).len(), f.clone());
        g.sort_by_key(rank);
        let Some((keep, others)) = g.split_first() else { continue }; // ok: groups have 2+ files
        for o in others {
            replace.insert(normalize(o), keep.clone());
            plan.files.push(FileChange {
                path: o.clone(),
                action: FileAction::MoveToBackup,
                to: None,
                reason: format!("same content as {}", keep.display()),
            });
            plan.changes.push(Change::Remove { path: o.clone() });
            if let Some(ot) = ot_beside(o) {
                plan.files.push(FileChange {
                    path: ot.clone(),
                    action: FileAction::MoveToBackup,
                    to: None,
                    reason: "the .ot of a duplicate".into(),
                });
                plan.changes.push(Change::Remove { path: ot });
            }
        }
    }
    // Path rewrites first (writes), removals last (see backup::apply).
    let mut writes = Vec::new();
    for p in &projects {
        let mut sub = CleanupPlan::new("dedupe", set);
        let mut moves = BTreeMap::new();
        for (s, f) in slot_files(p)? {
            if let Some(keep) = replace.get(&normalize(&f)) {
                moves.insert((s.slot_type, s.slot), (s.path.clone(), relative_path(&p.dir, keep)));
            }
        }
        rewrite_paths(p, &moves, &mut sub)?;
        plan.slots.extend(sub.slots);
        writes.extend(sub.changes);
    }
    plan.changes.splice(0..0, writes);
    plan.finish(opts)
}

// ---------------------------------------------------------------------------------------------
// relink

/// The length in frames an `.ot` file gives its sample (its trim end), when it is readable.
fn ot_trim_end(ot: &Path) -> Option<u32> {
    let bytes = std::fs::read(ot).ok()?;
    let f = SampleSettingsFile::from_bytes(&bytes).ok()?;
    Some(f.u32_at(TRIM_END))
}

/// `ot relink`: for each slot of `project.work` whose file is missing, looks for it under
/// `search`:
/// 1. files with the same name (without regard to case: the card is FAT);
/// 2. when a content hash is known (another project of the Set names a file of that name that
///    exists), candidates must have that content, and with no name match a file with that
///    content under another name is taken;
/// 3. an `.ot` left beside the missing path gives the sample's trim end in frames: shorter
///    candidates are ruled out.
///
/// One candidate (or several with the same bytes) relinks the slot to the path relative to the
/// project, as the device writes it; several different ones are reported as ambiguous and the
/// slot is left as it is, as is a slot with no candidate.
pub fn relink(dir: &Path, search: &Path, opts: CleanupOptions) -> Result<CleanupPlan, OtError> {
    let _lock = crate::ops::lock::unless_dry_run(opts.dry_run, || crate::ops::lock::lock_project(dir, false))?;
    let p = ProjectDir::open(dir)?;
    if !search.is_dir() {
        return Err(invalid(search, "--search: no such folder"));
    }
    let mut plan = CleanupPlan::new("relink", &p.dir);
    let missing: Vec<(SampleSlot, PathBuf)> = p
        .project
        .samples()
        .into_iter()
        .filter(|s| !s.is_recorder_buffer())
        .filter_map(|s| p.sample_path(&s).map(|f| (s, f)))
        .filter(|(_, f)| !f.is_file())
        .collect();
    if missing.is_empty() {
        return plan.finish(opts);
    }
    let found = audio_files(search)?;
    let mut by_name: HashMap<String, Vec<PathBuf>> = HashMap::new();
    for f in &found {
        let key = f.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
        by_name.entry(key).or_default().push(f.clone());
    }
    // Known contents by file name: files of that name other projects of the Set name and have.
    let mut known: HashMap<String, BTreeSet<[u8; 32]>> = HashMap::new();
    let mut cache = ContentCache::new();
    // A relative project folder's parent is "" (`relink MYPROJECT`): the current folder.
    if let Some(set) = p.dir.parent().map(|d| if d.as_os_str().is_empty() { Path::new(".") } else { d }) {
        for d in set_projects(set)?.into_iter().filter(|d| normalize(d) != normalize(&p.dir)) {
            // A sibling saved on another OS still tells which file it names.
            let Ok(bytes) = std::fs::read(d.join("project.work")) else { continue };
            let Ok(other) = Project::parse(&bytes) else { continue };
            let other = ProjectDir { dir: d.clone(), project: other };
            for s in other.project.samples() {
                let Some(f) = other.sample_path(&s).filter(|f| f.is_file()) else { continue };
                let key = f.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
                if missing
                    .iter()
                    .any(|(_, m)| m.file_name().map(|n| n.to_string_lossy().to_lowercase()) == Some(key.clone()))
                {
                    known.entry(key).or_default().insert(cache.full(&f)?);
                }
            }
        }
    }
    let mut moves = BTreeMap::new();
    for (s, file) in &missing {
        let key = file.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
        let mut cands: Vec<PathBuf> = by_name.get(&key).cloned().unwrap_or_default();
        let hashes = known.get(&key);
        if let Some(h) = hashes {
            let mut keep = Vec::new();
            for c in cands {
                if h.contains(&cache.full(&c)?) {
                    keep.push(c);
                }
            }
            cands = keep;
            if cands.is_empty() {
                for f in &found {
                    if h.contains(&cache.full(f)?) {
                        cands.push(f.clone());
                    }
                }
            }
        }
        if let Some(min) =
            file.with_extension("ot").is_file().then(|| ot_trim_end(&file.with_extension("ot"))).flatten()
        {
            cands
                .retain(|c| crate::ops::find_audio::check_file(c).frames.is_none_or(|frames| frames >= u64::from(min)));
        }
        // Several candidates with the same bytes are one file.
        let mut distinct: Vec<PathBuf> = Vec::new();
        for c in &cands {
            let mut dup = false;
            for d in &distinct {
                if cache.same(d, c)? {
                    dup = true;
                    break;
                }
            }
            if !dup {
                distinct.push(c.clone());
            }
        }
        match distinct.as_slice() {
            [one] => {
                let best = cands
                    .iter()
                    .filter(|c| cache.same(one, c).unwrap_or(false))
                    .min_by_key(|c| (relative_path(&p.dir, c).len(), (*c).clone()))
                    .cloned()
                    .unwrap_or_else(|| one.clone());
                let rel = relative_path(&p.dir, &best);
                if let Some(set) = p.dir.parent()
                    && !is_inside(&best, set)
                {
                    plan.warnings.push(format!(
                        "{} slot {}: {} is outside the Set, where the Octatrack cannot reach it; run `groovekit ot collect` next",
                        s.slot_type.describe(),
                        s.slot,
                        best.display()
                    ));
                }
                moves.insert((s.slot_type, s.slot), (s.path.clone(), rel));
            }
            _ => plan.unresolved.push(Unresolved {
                slot_type: s.slot_type,
                slot: s.slot,
                path: s.path_lossy(),
                candidates: distinct.clone(),
            }),
        }
    }
    rewrite_paths(&p, &moves, &mut plan)?;
    plan.finish(opts)
}

// ---------------------------------------------------------------------------------------------
// clear

/// What `clear` resets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClearWhat {
    /// The 16 patterns (trigs, locks, lengths, scales, part assignments).
    pub patterns: bool,
    /// The 4 parts, working and saved, with their saved-state flags and names.
    pub parts: bool,
}

/// The byte range of the patterns in a bank image.
const PATTERN_BYTES: std::ops::Range<usize> = PATTERNS_OFFSET..WORKING_PARTS_OFFSET;
/// The byte range of the parts (working, saved, saved-state flags, the disputed byte, names):
/// everything after the patterns up to the 2-byte checksum.
const PART_BYTES: std::ops::Range<usize> = WORKING_PARTS_OFFSET..BANK_SIZE - 2;

/// `ot clear`: resets bank `n` (1-16) of `bankNN.work` to the blank project's bytes: its
/// patterns, its parts, or both (the whole bank is then a fresh bank). The checksum is
/// recomputed.
pub fn clear(dir: &Path, n: usize, what: ClearWhat, opts: CleanupOptions) -> Result<CleanupPlan, OtError> {
    let _lock = crate::ops::lock::unless_dry_run(opts.dry_run, || crate::ops::lock::lock_project(dir, false))?;
    check_bank_number(n)?;
    let what = if what.patterns || what.parts { what } else { ClearWhat { patterns: true, parts: true } };
    let p = ProjectDir::open(dir)?;
    let before = need_bank(&p, n, State::Work)?;
    let mut bank = before.clone();
    let blank = default_bank_bytes();
    let mut ranges = Vec::new();
    if what.patterns {
        ranges.push(PATTERN_BYTES);
    }
    if what.parts {
        ranges.push(PART_BYTES);
    }
    for r in ranges {
        if let (Some(to), Some(from)) = (bank.bytes_mut().get_mut(r.clone()), blank.get(r)) {
            to.copy_from_slice(from);
        }
    }
    let mut plan = CleanupPlan::new("clear", &p.dir);
    if bank.as_bytes() != before.as_bytes() {
        plan.cleared = bank_contents(&before);
        if plan.cleared.is_empty() {
            plan.cleared.push("edited settings".into());
        }
        plan.changes.push(Change::Write { path: p.bank_path(n, State::Work), bytes: bank.to_bytes() });
        if p.bank_path(n, State::Strd).is_file() {
            plan.warnings.push(format!(
                "bank{n:02}.strd (what PROJECT > RELOAD reads) keeps the old bank; save the project on the device to update it"
            ));
        }
    }
    plan.finish(opts)
}

#[cfg(test)]
#[path = "cleanup_tests.rs"]
mod tests;
