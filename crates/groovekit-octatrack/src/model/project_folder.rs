//! A whole Octatrack project folder: `project`, 16 banks, 8 arrangements and `markers`, each
//! read from `.work` (falling back to `.strd`), loaded when first used, and saved atomically.
//!
//! ```no_run
//! use groovekit_octatrack::Project;
//! # fn main() -> Result<(), groovekit_octatrack::OtError> {
//! let mut project = Project::open("MYPROJECT".as_ref())?;
//! let bank = project.bank_mut(1)?; // only bank01 is read
//! let mut step = bank.audio_step(1, 1, 5)?;
//! step.trig = true;
//! bank.set_audio_step(1, 1, 5, &step)?;
//! project.save()?; // bank01.work, atomically, after a backup of the old file
//! # Ok(()) }
//! ```
//!
//! `.work` is the working state (PROJECT > SYNC TO CARD writes it); `.strd` is the stored state
//! that PROJECT > SAVE writes and **PROJECT > RELOAD reads back**: edits saved only to `.work`
//! vanish on the device's next RELOAD. [`SaveOptions::strd`] writes both.

use std::path::{Path, PathBuf};

use crate::OtError;
use crate::model::arrangement::Arrangement;
use crate::model::bank::Bank;
use crate::model::project::{Project as ProjectFile, SampleSlot, SlotType};
use crate::raw::arrangement::Arrangement as RawArrangement;
use crate::raw::markers::{Markers, SlotRef};

/// Which file a part of the project was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `NAME.work`.
    Work,
    /// `NAME.strd` (there was no `.work`).
    Strd,
    /// Not on disk: the device's blank content.
    New,
}

/// How [`Project::save_with`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SaveOptions {
    /// Also write `.strd` (what PROJECT > RELOAD reads), not only `.work`.
    pub strd: bool,
    /// Back up each existing file before replacing it (`NAME.bak`).
    pub backup: bool,
    /// Write every file, not only those changed since they were read.
    pub all: bool,
}

impl Default for SaveOptions {
    fn default() -> Self {
        Self { strd: false, backup: true, all: false }
    }
}

/// What a save wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SaveReport {
    /// Files written.
    pub written: Vec<PathBuf>,
    /// Backups made.
    pub backups: Vec<PathBuf>,
}

#[derive(Debug, Clone)]
pub(crate) struct Loaded<T> {
    pub(crate) value: T,
    pub(crate) source: Source,
    pub(crate) dirty: bool,
}

/// A project folder with typed, lazily loaded parts.
#[derive(Debug, Clone)]
pub struct Project {
    pub(crate) dir: Option<PathBuf>,
    /// The project's name when it has no folder yet: the folder name inside the zip archive it
    /// was read from ([`Project::open_zip`]).
    pub(crate) name: Option<String>,
    /// The zip archive the project was read from: [`Project::save_zip`] carries its other
    /// entries (the samples) over.
    pub(crate) zip_source: Option<(PathBuf, String)>,
    pub(crate) settings: Loaded<ProjectFile>,
    pub(crate) banks: Vec<Option<Loaded<Bank>>>,
    pub(crate) markers: Option<Loaded<Markers>>,
    pub(crate) arrangements: Vec<Option<Loaded<Arrangement>>>,
}

pub(crate) fn fs_err(action: &'static str, path: &Path, source: std::io::Error) -> OtError {
    OtError::Fs(groovekit_core::fs::FsError { action, path: path.to_path_buf(), source })
}

/// Reads `dir/NAME.work`, else `dir/NAME.strd`; None when neither exists.
fn read_either(dir: &Path, name: &str) -> Result<Option<(Vec<u8>, Source, PathBuf)>, OtError> {
    for (ext, source) in [("work", Source::Work), ("strd", Source::Strd)] {
        let p = dir.join(format!("{name}.{ext}"));
        if p.is_file() {
            let bytes = std::fs::read(&p).map_err(|e| fs_err("reading", &p, e))?;
            return Ok(Some((bytes, source, p)));
        }
    }
    Ok(None)
}

/// Adds the file name to an error from a file's bytes.
pub(crate) fn in_file(path: &Path, e: OtError) -> OtError {
    match e {
        OtError::Fs(_) => e,
        other => OtError::Invalid { field: path.display().to_string(), message: other.to_string() },
    }
}

impl Project {
    /// Opens a project folder: reads `project.work` (or `project.strd`); banks, markers and
    /// arrangements are read when first used.
    pub fn open(dir: &Path) -> Result<Project, OtError> {
        let (bytes, source, path) = read_either(dir, "project")?.ok_or_else(|| OtError::Invalid {
            field: dir.display().to_string(),
            message: "no project.work or project.strd: not an Octatrack project folder".into(),
        })?;
        let settings = ProjectFile::parse(&bytes).map_err(|e| in_file(&path, e))?;
        Ok(Project {
            dir: Some(dir.to_path_buf()),
            name: None,
            zip_source: None,
            settings: Loaded { value: settings, source, dirty: false },
            banks: vec![None; 16],
            markers: None,
            arrangements: vec![None; 8],
        })
    }

    /// The device's blank project, not tied to a folder yet (see [`Project::save_to`]).
    pub fn new() -> Project {
        Project {
            dir: None,
            name: None,
            zip_source: None,
            settings: Loaded { value: ProjectFile::new_default(), source: Source::New, dirty: true },
            banks: vec![None; 16],
            markers: None,
            arrangements: vec![None; 8],
        }
    }

    /// A blank project that will be saved in `dir` (nothing is written until [`Project::save`]).
    pub fn create(dir: &Path) -> Project {
        Project { dir: Some(dir.to_path_buf()), ..Project::new() }
    }

    /// The folder, when known.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// The project's name: its folder's name, or the folder name inside the zip archive it was
    /// read from; None for a new project without a folder.
    pub fn name(&self) -> Option<String> {
        match &self.dir {
            Some(d) => crate::ops::project_dir::normalize(d).file_name().map(|n| n.to_string_lossy().into_owned()),
            None => self.name.clone(),
        }
    }

    /// Where `project` was read from.
    pub fn source(&self) -> Source {
        self.settings.source
    }

    /// The banks read so far (1-16): reading one pattern reads one bank.
    pub fn loaded_banks(&self) -> Vec<u8> {
        (1..=16u8).filter(|n| self.banks.get(usize::from(n - 1)).is_some_and(|b| b.is_some())).collect()
    }

    /// The `project.work` settings, states and sample list.
    pub fn settings(&self) -> &ProjectFile {
        &self.settings.value
    }

    /// The `project.work` model, writable (saved on the next [`Project::save`]).
    pub fn settings_mut(&mut self) -> &mut ProjectFile {
        self.settings.dirty = true;
        &mut self.settings.value
    }

    /// The project tempo in BPM.
    pub fn tempo(&self) -> Option<f64> {
        self.settings.value.tempo_bpm()
    }

    /// Sets the project tempo (30-300 BPM).
    pub fn set_tempo(&mut self, bpm: f64) -> Result<(), OtError> {
        self.settings_mut().set_tempo_bpm(bpm)
    }

    /// The sample slots in use.
    pub fn samples(&self) -> Vec<SampleSlot> {
        self.settings.value.samples()
    }

    /// Bank `n` (1-16), read from `bankNN.work` (or `.strd`, or the blank bank when neither
    /// exists) the first time it is asked for.
    pub fn bank(&mut self, n: u8) -> Result<&Bank, OtError> {
        self.load_bank(n)?;
        self.banks.get(usize::from(n) - 1).and_then(|b| b.as_ref()).map(|l| &l.value).ok_or_else(|| bank_range(n))
    }

    /// Bank `n`, writable (saved on the next [`Project::save`]).
    pub fn bank_mut(&mut self, n: u8) -> Result<&mut Bank, OtError> {
        self.load_bank(n)?;
        let l = self.banks.get_mut(usize::from(n) - 1).and_then(|b| b.as_mut()).ok_or_else(|| bank_range(n))?;
        l.dirty = true;
        Ok(&mut l.value)
    }

    /// Where bank `n` was read from (None before it is read).
    pub fn bank_source(&self, n: u8) -> Option<Source> {
        self.banks.get(usize::from(n.max(1)) - 1)?.as_ref().map(|l| l.source)
    }

    fn load_bank(&mut self, n: u8) -> Result<(), OtError> {
        if !(1..=16).contains(&n) {
            return Err(bank_range(n));
        }
        let i = usize::from(n) - 1;
        if self.banks.get(i).is_some_and(|b| b.is_some()) {
            return Ok(());
        }
        let found = match &self.dir {
            Some(d) => read_either(d, &format!("bank{n:02}"))?,
            None => None,
        };
        let loaded = match found {
            Some((bytes, source, path)) => {
                let raw = crate::raw::bank::Bank::read(&bytes).map_err(|e| in_file(&path, e))?;
                Loaded { value: Bank::from_raw(raw, n), source, dirty: false }
            }
            None => Loaded { value: Bank::new(n), source: Source::New, dirty: true },
        };
        if let Some(slot) = self.banks.get_mut(i) {
            *slot = Some(loaded);
        }
        Ok(())
    }

    /// The markers file (trim, loop and slices of every slot).
    pub fn markers(&mut self) -> Result<&Markers, OtError> {
        self.load_markers()?;
        self.markers
            .as_ref()
            .map(|l| &l.value)
            .ok_or_else(|| OtError::Invalid { field: "markers".into(), message: "not loaded".into() })
    }

    /// The markers, writable.
    pub fn markers_mut(&mut self) -> Result<&mut Markers, OtError> {
        self.load_markers()?;
        let l = self
            .markers
            .as_mut()
            .ok_or_else(|| OtError::Invalid { field: "markers".into(), message: "not loaded".into() })?;
        l.dirty = true;
        Ok(&mut l.value)
    }

    fn load_markers(&mut self) -> Result<(), OtError> {
        if self.markers.is_some() {
            return Ok(());
        }
        let found = match &self.dir {
            Some(d) => read_either(d, "markers")?,
            None => None,
        };
        self.markers = Some(match found {
            Some((bytes, source, path)) => {
                Loaded { value: Markers::read(&bytes).map_err(|e| in_file(&path, e))?, source, dirty: false }
            }
            None => Loaded { value: Markers::new_default(), source: Source::New, dirty: true },
        });
        Ok(())
    }

    fn load_arrangement(&mut self, n: u8) -> Result<usize, OtError> {
        if !(1..=8).contains(&n) {
            return Err(OtError::Invalid { field: format!("arrangement {n}"), message: "arrangements are 1-8".into() });
        }
        let i = usize::from(n) - 1;
        if self.arrangements.get(i).is_some_and(|a| a.is_none()) {
            let found = match &self.dir {
                Some(d) => read_either(d, &format!("arr{n:02}"))?,
                None => None,
            };
            let loaded = match found {
                Some((bytes, source, path)) => {
                    let (a, _) = RawArrangement::read(&bytes).map_err(|e| in_file(&path, e))?;
                    Loaded { value: Arrangement::from_raw(a, n), source, dirty: false }
                }
                None => {
                    let bytes = crate::raw::arrangement::default_arrangement_bytes(n);
                    let (a, _) = RawArrangement::read(&bytes)?;
                    Loaded { value: Arrangement::from_raw(a, n), source: Source::New, dirty: true }
                }
            };
            if let Some(slot) = self.arrangements.get_mut(i) {
                *slot = Some(loaded);
            }
        }
        Ok(i)
    }

    /// Arrangement `n` (1-8) with typed rows ([`crate::model::arrangement`]), read when first
    /// asked for.
    pub fn arrangement(&mut self, n: u8) -> Result<&Arrangement, OtError> {
        let i = self.load_arrangement(n)?;
        self.arrangements
            .get(i)
            .and_then(|a| a.as_ref())
            .map(|l| &l.value)
            .ok_or_else(|| OtError::Invalid { field: format!("arrangement {n}"), message: "not loaded".into() })
    }

    /// Arrangement `n` (1-8), writable; [`Project::save`] writes it.
    pub fn arrangement_mut(&mut self, n: u8) -> Result<&mut Arrangement, OtError> {
        let i = self.load_arrangement(n)?;
        self.arrangements
            .get_mut(i)
            .and_then(|a| a.as_mut())
            .map(|l| {
                l.dirty = true;
                &mut l.value
            })
            .ok_or_else(|| OtError::Invalid { field: format!("arrangement {n}"), message: "not loaded".into() })
    }

    /// Adds a sample to a slot without copying it: `file` is the audio file on disk (WAV or
    /// AIFF); the slot's `PATH` is written relative to the project folder, as the device does
    /// (`../AUDIO/kick.wav`), and the markers trim is set to the whole file (its frame count).
    /// `slot` None takes the first free slot 1-128 of `pool`. Returns the slot number.
    pub fn add_sample(&mut self, file: &Path, pool: SlotType, slot: Option<u16>) -> Result<u16, OtError> {
        let dir = self.dir.clone().ok_or_else(|| OtError::Invalid {
            field: file.display().to_string(),
            message: "the project has no folder yet: use Project::create(dir) or Project::open(dir) first".into(),
        })?;
        let info = groovekit_audio::pcm::probe(file).map_err(|e| OtError::Invalid {
            field: file.display().to_string(),
            message: format!("{e} (the Octatrack plays WAV and AIFF files)"),
        })?;
        let frames = u32::try_from(info.frames).map_err(|_| OtError::Invalid {
            field: file.display().to_string(),
            message: format!("{} frames: too long for an Octatrack slot", info.frames),
        })?;
        let used: Vec<u16> =
            self.samples().iter().filter(|s| s.slot_type == pool && !s.is_recorder_buffer()).map(|s| s.slot).collect();
        let n = match slot {
            Some(n) => {
                if !(1..=128).contains(&n) {
                    return Err(OtError::Invalid {
                        field: format!("{} slot {n}", pool.describe()),
                        message: "sample slots are 1-128".into(),
                    });
                }
                n
            }
            None => (1..=128u16).find(|n| !used.contains(n)).ok_or_else(|| OtError::Invalid {
                field: file.display().to_string(),
                message: format!(
                    "all 128 {} slots are in use: free one (or pass a slot number to replace its sample)",
                    pool.describe()
                ),
            })?,
        };
        let path = relative_path(&dir, file);
        self.settings_mut().set_sample(&SampleSlot::new(pool, n, path.into_bytes()))?;
        let index = match pool {
            SlotType::Flex => SlotRef::Flex(n as u8),     // ok: n <= 128
            SlotType::Static => SlotRef::Static(n as u8), // ok: n <= 128
        }
        .index()
        .ok_or_else(|| OtError::Invalid { field: format!("slot {n}"), message: "no markers record".into() })?;
        let markers = self.markers_mut()?;
        let mut rec = markers.record_mut(index);
        rec.set_trim_start(0);
        rec.set_trim_end(frames);
        rec.set_loop_point(0);
        Ok(n)
    }

    /// Saves what changed, `.work` only, with backups ([`SaveOptions::default`]); a project not
    /// yet on disk is written whole.
    pub fn save(&mut self) -> Result<SaveReport, OtError> {
        self.save_with(SaveOptions::default())
    }

    /// Saves into another folder (created when missing) and makes it the project's folder.
    /// Every file is written (all of them are read from the old folder first).
    pub fn save_to(&mut self, dir: &Path, options: SaveOptions) -> Result<SaveReport, OtError> {
        // Read everything from the old folder (if any) before writing the new one.
        self.load_all()?;
        std::fs::create_dir_all(dir).map_err(|e| fs_err("creating folder", dir, e))?;
        self.dir = Some(dir.to_path_buf());
        self.save_with(SaveOptions { all: true, ..options })
    }

    /// The bytes of each file (name without extension) that changed since it was read, or of
    /// every loaded one with `all`; checksums recomputed.
    pub(crate) fn files(&self, all: bool) -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        if self.settings.dirty || all {
            files.push(("project".into(), self.settings.value.to_bytes()));
        }
        for (i, b) in self.banks.iter().enumerate() {
            if let Some(l) = b
                && (l.dirty || all)
            {
                files.push((format!("bank{:02}", i + 1), l.value.to_bytes()));
            }
        }
        for (i, a) in self.arrangements.iter().enumerate() {
            if let Some(l) = a
                && (l.dirty || all)
            {
                files.push((format!("arr{:02}", i + 1), l.value.to_bytes()));
            }
        }
        if let Some(l) = &self.markers
            && (l.dirty || all)
        {
            files.push(("markers".into(), l.value.to_bytes()));
        }
        files
    }

    pub(crate) fn load_all(&mut self) -> Result<(), OtError> {
        for n in 1..=16 {
            self.load_bank(n)?;
        }
        for n in 1..=8 {
            self.arrangement(n)?;
        }
        self.load_markers()
    }

    /// Saves with `options`: all files in one transaction (each a temp file renamed into place;
    /// all replaced or, on a failure, none), backed up first when asked; checksums recomputed.
    /// Files not read are not written (unless `all`, which then reads them).
    pub fn save_with(&mut self, options: SaveOptions) -> Result<SaveReport, OtError> {
        let dir = self.dir.clone().ok_or_else(|| OtError::Invalid {
            field: "project".into(),
            message: "no folder to save into: use save_to(dir)".into(),
        })?;
        // A project that is not on disk yet is written whole.
        let options = SaveOptions { all: options.all || self.settings.source == Source::New, ..options };
        if options.all {
            self.load_all()?;
        }
        let files = self.files(options.all);
        // One transaction: every file of the save is replaced, or none (a failure part way leaves
        // the project as it was), each existing file backed up first when asked.
        // No other groovekit operation changes the project meanwhile (issue 23).
        let _lock = crate::ops::lock::lock_project(&dir, false)?;
        let mut tx = groovekit_core::fs::Transaction::new().create_parents(true);
        tx.set_if_exists(if options.backup {
            groovekit_core::fs::IfExists::Backup
        } else {
            groovekit_core::fs::IfExists::Replace
        });
        for (name, bytes) in &files {
            let exts: &[&str] = if options.strd { &["work", "strd"] } else { &["work"] };
            for ext in exts {
                tx.write(&dir.join(format!("{name}.{ext}")), bytes)?;
            }
        }
        let done = tx.commit()?;
        let report =
            SaveReport { written: done.files.iter().map(|f| f.target.clone()).collect(), backups: done.backups() };
        self.settings.dirty = false;
        if self.settings.source == Source::New {
            self.settings.source = Source::Work;
        }
        for l in self.banks.iter_mut().flatten() {
            l.dirty = false;
        }
        for l in self.arrangements.iter_mut().flatten() {
            l.dirty = false;
        }
        if let Some(l) = &mut self.markers {
            l.dirty = false;
        }
        Ok(report)
    }
}

impl Default for Project {
    fn default() -> Self {
        Project::new()
    }
}

fn bank_range(n: u8) -> OtError {
    OtError::Invalid { field: format!("bank {n}"), message: "banks are numbered 1-16".into() }
}

/// `file` relative to `dir` with `/` separators (`../AUDIO/x.wav`); both are made absolute first.
/// The device breaks on `\` in a path (reference §1.1), so separators are always `/`.
pub fn relative_path(dir: &Path, file: &Path) -> String {
    let abs = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (d, f) = (abs(dir), abs(file));
    let dc: Vec<_> = d.components().collect();
    let fc: Vec<_> = f.components().collect();
    let common = dc.iter().zip(&fc).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); dc.len() - common];
    parts.extend(fc.iter().skip(common).map(|c| c.as_os_str().to_string_lossy().into_owned()));
    parts.join("/")
}

#[cfg(test)]
#[path = "project_folder_tests.rs"]
mod tests;
