//! A whole Set at a glance (issue 25 item 1): every project (tempo, banks and the patterns that
//! hold trigs, the parts those patterns play, arrangements, what a PROJECT > RELOAD would drop),
//! every audio file (container, rate, depth, channels, length, whether the Octatrack can play it
//! and why not) with every slot and sample lock that uses it, the files slots point at that do
//! not exist, the files nothing uses, and (on demand) the files with identical content.
//!
//! Cost: audio files are read for their headers only ([`crate::ops::find_audio::check_file`]),
//! projects and files are read on all cores with scoped threads, and nothing but the summaries is
//! kept (one bank image per thread at a time), so memory grows with the number of files, not
//! their size. Content keys ([`SetIndex::duplicates`]) read files, so they are computed only when
//! asked for, and only for files whose sizes agree.
//!
//! What is a Set: a folder with an `AUDIO` pool beside project folders (each holding
//! `project.work`), as the device writes it to the card. [`SetIndex::open`] also takes one
//! project folder (the Set is then that project alone, its pool `../AUDIO` when present).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::OtError;
use crate::model::project::SlotType;
use crate::ops::content::ContentCache;
use crate::ops::find_audio::{AudioCheck, check_file, has_audio_extension};
use crate::ops::project_dir::{ProjectDir, State, normalize};
use crate::ops::refs::bank_refs;
use crate::ops::slots::Usage;
use crate::raw::bank::{Bank, PART_COUNT, PATTERN_COUNT, PartCopy};

/// One bank of a project, summarised.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BankSummary {
    /// Bank, 1-16.
    pub bank: u8,
    /// Patterns (1-16) with at least one trig on an audio or MIDI track.
    pub patterns: Vec<u8>,
    /// Parts (1-4) that those patterns play.
    pub parts: Vec<u8>,
    /// The names of the 4 parts.
    pub part_names: Vec<String>,
    /// Whether a `.strd` (PROJECT > SAVE) copy exists.
    pub saved: bool,
    /// What PROJECT > RELOAD would put back (pieces whose `.work` differs from the `.strd`):
    /// `pattern 3`, `part 2`; empty when there is no `.strd` or both agree.
    pub reload_drops: Vec<String>,
}

/// One arrangement of a project that holds rows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ArrangementSummary {
    /// Arrangement, 1-8.
    pub arrangement: u8,
    /// Its name.
    pub name: String,
    /// Rows in use.
    pub rows: usize,
}

/// One project of the Set.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ProjectSummary {
    /// The folder's name (what the device shows).
    pub name: String,
    /// The folder.
    pub dir: PathBuf,
    /// Tempo in BPM (`project.work`).
    pub tempo: Option<f64>,
    /// The OS release that saved it.
    pub os: Option<String>,
    /// Sample slots listed with a path (Flex and Static, recorder buffers excluded).
    pub slots: usize,
    /// Banks present (`bankNN.work`).
    pub banks: Vec<BankSummary>,
    /// Arrangements that hold rows.
    pub arrangements: Vec<ArrangementSummary>,
    /// Why the project, or a part of it, could not be read (a project that cannot be opened has
    /// no banks listed).
    pub problems: Vec<String>,
}

/// One slot (in one project) that points at a file, with every use of the slot.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileUse {
    /// The project's name.
    pub project: String,
    /// Flex or Static.
    pub slot_type: SlotType,
    /// The slot, 1-128.
    pub slot: u16,
    /// Every part slot and sample lock that refers to it (bank / part / pattern / track / step).
    pub uses: Vec<Usage>,
}

/// One audio file of the Set, or referenced by it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileEntry {
    /// The file (normalised, absolute).
    pub path: PathBuf,
    /// The path from the Set's folder, `/`-separated (the absolute path when it is outside).
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// What its header says and whether the Octatrack can play it.
    pub audio: AudioCheck,
    /// Slots that point at it.
    pub slots: Vec<FileUse>,
}

impl FileEntry {
    /// Whether any slot of any project points at the file.
    pub fn used(&self) -> bool {
        !self.slots.is_empty()
    }
}

/// A path slots point at that does not exist.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MissingFile {
    /// Where the slots point (normalised, absolute).
    pub path: PathBuf,
    /// The path from the Set's folder (or absolute).
    pub name: String,
    /// The slots.
    pub slots: Vec<FileUse>,
}

/// A Set, indexed.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SetIndex {
    /// The Set's folder (normalised, absolute).
    pub root: PathBuf,
    /// Its `AUDIO` pool, when there is one.
    pub pool: Option<PathBuf>,
    /// Projects, by name.
    pub projects: Vec<ProjectSummary>,
    /// Audio files (found under the pool and the project folders, or referenced), by path.
    pub files: Vec<FileEntry>,
    /// Paths slots point at that do not exist, by path.
    pub missing: Vec<MissingFile>,
}

/// What the index found in one project, before files are merged.
struct ProjectScan {
    summary: ProjectSummary,
    /// Slot file -> the slot and its uses.
    slot_files: Vec<(PathBuf, FileUse)>,
}

/// The project folders of a Set: subfolders holding `project.work`, by name.
pub fn set_projects(root: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(root) else { return Vec::new() };
    let mut out: Vec<PathBuf> =
        rd.flatten().map(|e| e.path()).filter(|p| p.is_dir() && p.join("project.work").is_file()).collect();
    out.sort();
    out
}

/// Runs `f` on every item on up to `available_parallelism` threads, keeping the order.
fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 16);
    if threads == 1 || items.len() < 64 {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = items.chunks(chunk).map(|c| s.spawn(|| c.iter().map(&f).collect::<Vec<R>>())).collect();
        // A panicking worker is a bug in `f`; re-raise it on this thread.
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    })
}

/// The pieces of a bank whose bytes differ between its `.work` and `.strd` images.
fn reload_drops(work: &Bank, strd: &Bank) -> Vec<String> {
    let mut out = Vec::new();
    for p in 0..PATTERN_COUNT {
        if work.pattern(p).raw() != strd.pattern(p).raw() {
            out.push(format!("pattern {}", p + 1));
        }
    }
    for i in 0..PART_COUNT {
        if work.part(PartCopy::Working, i).raw() != strd.part(PartCopy::Working, i).raw()
            || work.part(PartCopy::Saved, i).raw() != strd.part(PartCopy::Saved, i).raw()
            || work.part_name(i) != strd.part_name(i)
        {
            out.push(format!("part {}", i + 1));
        }
    }
    out
}

/// Reads one project: its summary, and for each slot listed with a path, the file and its uses.
fn scan_project(dir: &Path) -> ProjectScan {
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut summary = ProjectSummary {
        name: name.clone(),
        dir: dir.to_path_buf(),
        tempo: None,
        os: None,
        slots: 0,
        banks: Vec::new(),
        arrangements: Vec::new(),
        problems: Vec::new(),
    };
    let p = match ProjectDir::open(dir) {
        Ok(p) => p,
        Err(e) => {
            summary.problems.push(e.to_string());
            return ProjectScan { summary, slot_files: Vec::new() };
        }
    };
    summary.tempo = p.project.tempo_bpm();
    summary.os = p.project.os_release();
    // (type, slot) -> index into slot_files.
    let mut slot_files: Vec<(PathBuf, FileUse)> = Vec::new();
    let mut by_slot: HashMap<(SlotType, u16), usize> = HashMap::new();
    for s in p.project.samples() {
        if s.path.is_empty() || s.is_recorder_buffer() {
            continue;
        }
        let Some(file) = p.sample_path(&s) else { continue };
        by_slot.insert((s.slot_type, s.slot), slot_files.len());
        slot_files.push((
            normalize(&file),
            FileUse { project: name.clone(), slot_type: s.slot_type, slot: s.slot, uses: Vec::new() },
        ));
    }
    summary.slots = slot_files.len();
    for b in 1..=16usize {
        let bank = match p.read_bank(b, State::Work) {
            Ok(Some(bank)) => bank,
            Ok(None) => continue,
            Err(e) => {
                summary.problems.push(e.to_string());
                continue;
            }
        };
        let bank_no = b as u8; // ok: 1-16
        for u in bank_refs(&bank).uses {
            if let Some(&i) = by_slot.get(&(u.slot_type, u.slot))
                && let Some((_, fu)) = slot_files.get_mut(i)
            {
                fu.uses.push(Usage { bank: bank_no, at: u });
            }
        }
        let patterns: Vec<u8> = bank.patterns_with_trigs().into_iter().map(|i| i as u8 + 1).collect(); // ok: < 16
        let mut parts: Vec<u8> =
            patterns.iter().map(|&pn| bank.pattern(usize::from(pn) - 1).part().min(3) + 1).collect();
        parts.sort_unstable();
        parts.dedup();
        let saved_path = p.bank_path(b, State::Strd);
        let (saved, drops) = if saved_path.is_file() {
            match p.read_bank(b, State::Strd) {
                Ok(Some(strd)) => (true, reload_drops(&bank, &strd)),
                Ok(None) => (false, Vec::new()),
                Err(e) => {
                    summary.problems.push(e.to_string());
                    (true, Vec::new())
                }
            }
        } else {
            (false, Vec::new())
        };
        summary.banks.push(BankSummary {
            bank: bank_no,
            patterns,
            parts,
            part_names: (0..PART_COUNT).map(|i| bank.part_name(i)).collect(),
            saved,
            reload_drops: drops,
        });
    }
    for a in 1..=8u8 {
        let path = dir.join(format!("arr{a:02}.work"));
        let Ok(bytes) = std::fs::read(&path) else { continue };
        match crate::raw::arrangement::Arrangement::read(&bytes) {
            Ok((raw, _)) => {
                let arr = crate::model::arrangement::Arrangement::from_raw(raw, a);
                let block = crate::raw::arrangement::Block::Current;
                let rows = arr.len(block);
                if rows > 0 {
                    summary.arrangements.push(ArrangementSummary { arrangement: a, name: arr.name(block), rows });
                }
            }
            Err(e) => summary.problems.push(format!("{}: {e}", path.display())),
        }
    }
    ProjectScan { summary, slot_files }
}

/// Every file with an audio extension under `dir`, skipping project `backups` folders.
fn audio_files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| !(e.file_type().is_dir() && e.file_name() == "backups" && e.depth() > 0));
    for e in walker.flatten() {
        if e.file_type().is_file() && has_audio_extension(e.path()) {
            out.push(normalize(e.path()));
        }
    }
}

/// The name of `path` as seen from `root`.
fn name_in(root: &Path, path: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(rel) => rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"),
        Err(_) => path.display().to_string(),
    }
}

impl SetIndex {
    /// Indexes the Set in `dir` (or the single project `dir`). Fails only when `dir` is neither
    /// a Set nor a project folder; a project or file that cannot be read is listed with why.
    pub fn open(dir: &Path) -> Result<SetIndex, OtError> {
        let root = normalize(dir);
        let (projects_dirs, pool, scan_dirs) = if root.join("project.work").is_file() {
            let pool = root.parent().map(|p| p.join("AUDIO")).filter(|p| p.is_dir());
            (vec![root.clone()], pool, vec![root.clone()])
        } else {
            let projects = set_projects(&root);
            let pool = Some(root.join("AUDIO")).filter(|p| p.is_dir());
            if projects.is_empty() && pool.is_none() {
                return Err(OtError::Invalid {
                    field: root.display().to_string(),
                    message: "neither a Set (an AUDIO folder beside project folders) nor a project folder \
                              (holding project.work): give the Set's folder, or one project's"
                        .into(),
                });
            }
            let mut scan = projects.clone();
            scan.extend(pool.clone());
            (projects, pool, scan)
        };
        let scans = par_map(&projects_dirs, |d| scan_project(d));
        let mut paths = Vec::new();
        for d in &scan_dirs {
            audio_files_under(d, &mut paths);
        }
        // Slots by file, in project order.
        let mut by_file: BTreeMap<PathBuf, Vec<FileUse>> = BTreeMap::new();
        let mut projects = Vec::with_capacity(scans.len());
        for scan in scans {
            for (file, fu) in scan.slot_files {
                by_file.entry(file).or_default().push(fu);
            }
            projects.push(scan.summary);
        }
        // Referenced files outside the scanned folders are indexed too.
        let mut missing = Vec::new();
        for (file, slots) in &by_file {
            if file.is_file() {
                paths.push(file.clone());
            } else {
                missing.push(MissingFile { path: file.clone(), name: name_in(&root, file), slots: slots.clone() });
            }
        }
        paths.sort();
        paths.dedup();
        let checks = par_map(&paths, |p| {
            let size = std::fs::metadata(p).map_or(0, |m| m.len());
            (size, check_file(p))
        });
        let files = paths
            .into_iter()
            .zip(checks)
            .map(|(path, (size, audio))| FileEntry {
                name: name_in(&root, &path),
                slots: by_file.remove(&path).unwrap_or_default(),
                path,
                size,
                audio,
            })
            .collect();
        Ok(SetIndex { root, pool, projects, files, missing })
    }

    /// Files no slot of any project points at.
    pub fn unused(&self) -> impl Iterator<Item = &FileEntry> {
        self.files.iter().filter(|f| !f.used())
    }

    /// Files the Octatrack cannot play (with [`AudioCheck::reasons`]).
    pub fn unplayable(&self) -> impl Iterator<Item = &FileEntry> {
        self.files.iter().filter(|f| !f.audio.usable)
    }

    /// The file at `path` (any spelling of it), if indexed.
    pub fn file(&self, path: &Path) -> Option<&FileEntry> {
        let p = normalize(path);
        self.files.binary_search_by(|f| f.path.cmp(&p)).ok().and_then(|i| self.files.get(i))
    }

    /// Files with identical bytes, in groups of two or more (each group by path, groups by their
    /// first path). Reads only files whose sizes agree: first both ends, then the whole file.
    pub fn duplicates(&self) -> Result<Vec<Vec<&FileEntry>>, OtError> {
        let mut by_size: BTreeMap<u64, Vec<&FileEntry>> = BTreeMap::new();
        for f in &self.files {
            by_size.entry(f.size).or_default().push(f);
        }
        let candidates: Vec<Vec<&FileEntry>> = by_size.into_values().filter(|g| g.len() > 1).collect();
        let keyed = par_map(&candidates, |group| -> Result<Vec<([u8; 32], &FileEntry)>, OtError> {
            let mut cache = ContentCache::new();
            let mut quick: HashMap<[u8; 32], Vec<&FileEntry>> = HashMap::new();
            for &f in group {
                quick.entry(cache.quick(&f.path)?.1).or_default().push(f);
            }
            let mut out = Vec::new();
            for same_ends in quick.into_values().filter(|g| g.len() > 1) {
                for f in same_ends {
                    out.push((cache.full(&f.path)?, f));
                }
            }
            Ok(out)
        });
        let mut groups: HashMap<[u8; 32], Vec<&FileEntry>> = HashMap::new();
        for k in keyed {
            for (key, f) in k? {
                groups.entry(key).or_default().push(f);
            }
        }
        let mut out: Vec<Vec<&FileEntry>> = groups.into_values().filter(|g| g.len() > 1).collect();
        for g in &mut out {
            g.sort_by(|a, b| a.path.cmp(&b.path));
        }
        out.sort_by(|a, b| a.first().map(|f| &f.path).cmp(&b.first().map(|f| &f.path)));
        Ok(out)
    }

    /// The project named `name`.
    pub fn project(&self, name: &str) -> Option<&ProjectSummary> {
        self.projects.iter().find(|p| p.name == name)
    }
}

/// The Set a file belongs to: the nearest folder above it that is a Set (holds `AUDIO` beside a
/// project folder) or, failing that, the project folder holding it.
pub fn set_of(file: &Path) -> Option<PathBuf> {
    let file = normalize(file);
    let mut project = None;
    for dir in file.ancestors().skip(1) {
        if dir.join("AUDIO").is_dir() && !set_projects(dir).is_empty() {
            return Some(dir.to_path_buf());
        }
        if project.is_none() && dir.join("project.work").is_file() {
            project = Some(dir.to_path_buf());
        }
    }
    project
}

#[cfg(test)]
#[path = "set_index_tests.rs"]
mod tests;
