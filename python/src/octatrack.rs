//! `groovekit.octatrack`: the typed Octatrack model of `groovekit_octatrack` (project folder,
//! banks, patterns, tracks, steps, parts, scenes, samples, arrangements) and the project
//! operations (`copy_bank`, `slots`, `restore`). Numbers count from 1 as the device shows them.
//!
//! Design: the `Project` object owns the Rust `groovekit_octatrack::Project`; every other object
//! (bank, pattern, track, step, locks, part) is a handle holding the project plus its
//! coordinates, so an edit through any handle writes through to the one bank image, and the
//! next `save()` writes it. A step handle keeps the value it read together with the project's
//! edit counter, so reading several properties of a step reads the bank once; any edit through
//! any handle bumps the counter and makes every cached value stale.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use groovekit_octatrack::midi::{export as midi_export, import as midi_import};
use groovekit_octatrack::model::arrangement::{Arrangement as RsArrangement, PatternRow as RsPatternRow, Row as RsRow};
use groovekit_octatrack::model::bank::{self as mb, Condition};
use groovekit_octatrack::model::project::{Project as ProjectFile, SlotType};
use groovekit_octatrack::model::project_folder::{SaveOptions, Source};
use groovekit_octatrack::model::project_zip::ZipOptions;
use groovekit_octatrack::ops::verify as ot_verify;
use groovekit_octatrack::raw::bank::PartCopy;
use groovekit_octatrack::raw::part::{MachineType, fx_name};
use groovekit_octatrack::{OtError, Project as RsProject};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};

use crate::errors::{self, FormatError, ValidationError, Where, raise};
use crate::util::{self, Int, Number, opt};

/// An OtError as a Python exception: byte-layout problems are FormatError with the byte offset,
/// text problems FormatError with line and column, values and places ValidationError, file
/// system failures IoError.
pub fn ot_error(e: OtError, file: Option<&Path>) -> PyErr {
    match e {
        OtError::Truncated { .. }
        | OtError::Oversized { .. }
        | OtError::BadMagic { .. }
        | OtError::BadSection { .. }
        | OtError::Checksum { .. }
        | OtError::UnsupportedVersion { .. } => {
            let offset = ot_verify::error_offset(&e);
            raise::<FormatError>(e.to_string(), Where::offset(file, offset))
        }
        OtError::Text { line, column, .. } => {
            let at = Where {
                file: file.map(Path::to_path_buf),
                offset: None,
                line_col: Some((u32::try_from(line).unwrap_or(u32::MAX), u32::try_from(column).unwrap_or(u32::MAX))),
            };
            raise::<FormatError>(e.to_string(), at)
        }
        OtError::Doc(_) => raise::<FormatError>(e.to_string(), Where::file(file)),
        OtError::Fs(f) => errors::fs(f),
        OtError::Invalid { ref field, .. } => {
            // The project folder names a file whose bytes did not read as `field` (its
            // `in_file`), keeping only the text: read that file again for the offset.
            let path = Path::new(field);
            if path.is_file()
                && let Some(err) = reparse(path)
            {
                return err;
            }
            raise::<ValidationError>(e.to_string(), Where::file(file))
        }
    }
}

/// The error of reading `path` again with the reader of its kind (by file name), as FormatError.
fn reparse(path: &Path) -> Option<PyErr> {
    let bytes = std::fs::read(path).ok()?;
    reparse_bytes(path, &bytes, Some(path))
}

/// The error of reading `bytes`, the file `name` of a project, with the reader of its kind (by
/// file name), as FormatError with its offset; `file` names it in the error (None for bytes in
/// memory, whose message then starts with the name). None when the bytes read.
fn reparse_bytes(name: &Path, bytes: &[u8], file: Option<&Path>) -> Option<PyErr> {
    use groovekit_octatrack::raw;
    let stem = name.file_stem()?.to_str()?;
    let e = if stem == "project" {
        ProjectFile::parse(bytes).err()
    } else if stem.starts_with("bank") {
        raw::bank::Bank::read(bytes).err()
    } else if stem.starts_with("arr") {
        raw::arrangement::Arrangement::read(bytes).err()
    } else if stem == "markers" {
        raw::markers::Markers::read(bytes).err()
    } else {
        None
    }?;
    if file.is_none() {
        let offset = ot_verify::error_offset(&e);
        return Some(raise::<FormatError>(format!("{}: {e}", name.display()), Where::offset(None, offset)));
    }
    Some(match e {
        OtError::Invalid { .. } => raise::<FormatError>(e.to_string(), Where::file(file)),
        other => ot_error(other, file),
    })
}

/// A project of files held in memory (name -> bytes): an error names the file that does not
/// read, with its offset (FormatError), as opening a folder does.
fn project_from_files(py: Python<'_>, files: Vec<(String, Vec<u8>)>) -> PyResult<Project> {
    match py.detach(|| RsProject::from_files(files.iter().map(|(n, b)| (n.as_str(), b.clone())))) {
        Ok(inner) => Ok(Project { inner, edits: Arc::default() }),
        Err(e) => {
            // Which file: read each again for the offset its reader reports.
            for (name, bytes) in &files {
                if let Some(found) = reparse_bytes(Path::new(name), bytes, None) {
                    return Err(found);
                }
            }
            Err(err(e))
        }
    }
}

fn err(e: OtError) -> PyErr {
    ot_error(e, None)
}

/// A 1-based number for the crate (which checks the upper bound and names the place), or a
/// ValidationError for numbers below 1 or beyond a byte.
fn num(what: &str, n: impl Into<Number>) -> PyResult<u8> {
    let n = n.into().value(what)?;
    u8::try_from(n).ok().filter(|&k| k >= 1).ok_or_else(|| {
        raise::<ValidationError>(format!("{what} {n} does not exist (numbers count from 1)"), Where::default())
    })
}

/// "flex" or "static" as a pool.
pub fn pool(name: &str) -> PyResult<SlotType> {
    match name.to_ascii_lowercase().as_str() {
        "flex" => Ok(SlotType::Flex),
        "static" => Ok(SlotType::Static),
        other => Err(raise::<ValidationError>(format!("pool {other:?}: use \"flex\" or \"static\""), Where::default())),
    }
}

fn copy_of(saved: bool) -> PartCopy {
    if saved { PartCopy::Saved } else { PartCopy::Working }
}

fn condition_name(c: Condition) -> Option<String> {
    (c != Condition::NONE).then(|| c.name())
}

fn parse_condition(name: Option<&str>) -> PyResult<Condition> {
    name.map_or(Ok(Condition::NONE), |n| Condition::parse(n).map_err(err))
}

fn machine_name(b: u8) -> String {
    MachineType::from_byte(b).map_or_else(|| format!("#{b}"), |m| m.name().to_string())
}

fn machine_from_name(name: &str) -> PyResult<MachineType> {
    (0..=4u8).filter_map(MachineType::from_byte).find(|m| m.name().eq_ignore_ascii_case(name)).ok_or_else(|| {
        raise::<ValidationError>(
            format!("machine {name:?}: use Static, Flex, Thru, Neighbor or Pickup"),
            Where::default(),
        )
    })
}

fn source_name(s: Source) -> &'static str {
    match s {
        Source::Work => "work",
        Source::Strd => "strd",
        Source::New => "new",
    }
}

// ---------------------------------------------------------------------------------------------
// Project

/// An Octatrack project folder (project, 16 banks, 8 arrangements, markers). Banks are read when
/// first used; `save()` writes what changed, each file atomically after a backup (`NAME.bak`).
#[pyclass(module = "groovekit.octatrack")]
pub struct Project {
    inner: RsProject,
    /// Bumped by every edit made through any handle (see the module docs). Shared with the step
    /// handles, which compare it with the count their cached value was read at without borrowing
    /// the project (a property read is then one atomic load and an uncontended lock).
    edits: Arc<AtomicU64>,
}

impl Project {
    fn bank_ref(&mut self, b: u8) -> PyResult<&mb::Bank> {
        // Called for every step read: the folder is looked at only when the load fails.
        if let Err(e) = self.inner.bank(b) {
            return Err(ot_error(e, self.inner.dir()));
        }
        self.inner.bank(b).map_err(err)
    }

    /// Runs an edit of bank `b`; bumps the edit counter when it succeeds.
    fn edit_bank<T>(&mut self, b: u8, f: impl FnOnce(&mut mb::Bank) -> Result<T, OtError>) -> PyResult<T> {
        // Loading first keeps a load error apart from an edit error.
        self.bank_ref(b)?;
        let bank = self.inner.bank_mut(b).map_err(err)?;
        let out = f(bank).map_err(err)?;
        self.edits.fetch_add(1, Ordering::Relaxed);
        Ok(out)
    }
}

/// One sample slot of the project (a copy): pool, slot number (1-128; Flex 129-136 are the
/// recorder buffers) and path as written in project.work.
#[pyclass(module = "groovekit.octatrack", frozen, get_all)]
pub struct SampleSlot {
    /// "flex" or "static".
    pool: &'static str,
    /// Slot number from 1.
    slot: u16,
    /// The `PATH=` text, relative to the project folder (empty for an unused recorder buffer).
    path: String,
}

#[pymethods]
impl SampleSlot {
    /// The value as text, e.g. for the REPL.
    fn __repr__(&self) -> String {
        format!("SampleSlot(pool={:?}, slot={}, path={:?})", self.pool, self.slot, self.path)
    }
}

#[pymethods]
impl Project {
    /// Opens a project folder (project.work, else project.strd). Raises FormatError with the
    /// file and offset (or line) for a damaged file, IoError when it cannot be read.
    #[staticmethod]
    fn open(path: PathBuf) -> PyResult<Self> {
        let inner = RsProject::open(&path).map_err(|e| ot_error(e, Some(&path)))?;
        Ok(Self { inner, edits: Arc::default() })
    }

    /// The device's blank project, not tied to a folder yet: give `save(path)` a folder.
    #[staticmethod]
    fn new() -> Self {
        Self { inner: RsProject::new(), edits: Arc::default() }
    }

    /// A blank project that `save()` writes into `path` (nothing is written before).
    #[staticmethod]
    fn create(path: PathBuf) -> Self {
        Self { inner: RsProject::create(&path), edits: Arc::default() }
    }

    /// Opens a project from a zip archive holding one project folder (octapy's `from_zip`),
    /// read whole into memory with no folder on disk: `save(path)` writes it into a folder,
    /// `save_zip(path)` into an archive again (the archive's samples carried over). To unpack the
    /// samples too, use `groovekit.octatrack.unzip`.
    #[staticmethod]
    fn open_zip(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let inner = py.detach(|| RsProject::open_zip(&path)).map_err(|e| ot_error(e, Some(&path)))?;
        Ok(Self { inner, edits: Arc::default() })
    }

    /// Writes the project into a zip archive (octapy's `to_zip`): its files under `NAME/` and,
    /// with `samples`, the file (and `.ot`) of every slot whose path lies in the Set, at its place
    /// in the Set (`AUDIO/...`). An existing archive is backed up first; `dry_run` writes nothing.
    /// Slots whose file is missing refuse the archive unless `missing="keep"` (then listed).
    /// Returns a dict: path, name, project_files, samples, carried_over, missing, outside,
    /// backup, bytes, dry_run, and refused (a dry run that a real run would refuse).
    #[pyo3(signature = (path, also_strd=false, samples=true, name=None, dry_run=false, missing="refuse"))]
    #[allow(clippy::too_many_arguments)]
    fn save_zip<'py>(
        &mut self,
        py: Python<'py>,
        path: PathBuf,
        also_strd: bool,
        samples: bool,
        name: Option<String>,
        dry_run: bool,
        missing: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let missing = crate::ot_ops::missing_samples(missing)?;
        let options = ZipOptions { strd: also_strd, samples, name, dry_run, missing };
        let inner = &mut self.inner;
        let report = py.detach(|| inner.save_zip(&path, &options)).map_err(|e| ot_error(e, Some(&path)))?;
        util::to_py(py, &report)
    }

    /// Opens a project from the bytes of a zip archive held in memory (an upload), as
    /// `open_zip` opens a file: no folder on disk; `to_zip_bytes()` gives an archive again (the
    /// archive's samples carried over), `save(path)` writes the project into a folder. The GIL is
    /// released while reading.
    #[staticmethod]
    fn from_zip_bytes(py: Python<'_>, data: Cow<'_, [u8]>) -> PyResult<Self> {
        let bytes = data.into_owned();
        let inner = py.detach(|| RsProject::from_zip_bytes(bytes)).map_err(err)?;
        Ok(Self { inner, edits: Arc::default() })
    }

    /// The project as the bytes of a zip archive, as `save_zip` writes it, nothing written to
    /// disk: its files under `NAME/` (`name`, default the project's name, else `PROJECT`) and,
    /// with `samples`, the samples (from the Set on disk for a project in a folder, or carried
    /// over from the archive the project was read from). The GIL is released while writing.
    /// Samples whose files are missing refuse the archive unless `missing="keep"` (as save_zip).
    #[pyo3(signature = (also_strd=false, samples=true, name=None, missing="refuse"))]
    #[allow(clippy::wrong_self_convention)] // the Python name; unread files are read first (&mut)
    fn to_zip_bytes<'py>(
        &mut self,
        py: Python<'py>,
        also_strd: bool,
        samples: bool,
        name: Option<String>,
        missing: &str,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let missing = crate::ot_ops::missing_samples(missing)?;
        let options = ZipOptions { strd: also_strd, samples, name, dry_run: false, missing };
        let inner = &mut self.inner;
        let (bytes, _) = py.detach(|| inner.to_zip_bytes(&options)).map_err(err)?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// A project from the bytes of its files held in memory, by file name (`{"project.work":
    /// ..., "bank01.work": ..., "arr01.work": ..., "markers.work": ...}`; `.strd` names too, the
    /// `.work` read first when both are given). A file not given is the device's blank one. The
    /// project has no folder: `save(path)` writes one, `to_files()` gives the bytes back. A file
    /// that does not read raises FormatError naming it, with its byte offset.
    #[staticmethod]
    fn from_files(py: Python<'_>, files: &Bound<'_, PyDict>) -> PyResult<Self> {
        let mut owned = Vec::with_capacity(files.len());
        for (name, data) in files.iter() {
            owned.push((name.extract::<String>()?, data.extract::<Cow<'_, [u8]>>()?.into_owned()));
        }
        project_from_files(py, owned)
    }

    /// A project from the bytes of its `project.work` (settings and sample slots) held in
    /// memory; banks, arrangements and markers are the device's blank ones (`from_files` takes
    /// them too).
    #[staticmethod]
    fn from_bytes(py: Python<'_>, data: Cow<'_, [u8]>) -> PyResult<Self> {
        project_from_files(py, vec![("project.work".to_string(), data.into_owned())])
    }

    /// Every file of the project as bytes, by name (`project.work`, `bank01.work` ...,
    /// `arr01.work` ..., `markers.work`; with `also_strd` the `.strd` copies too), as `save`
    /// would write them; nothing is written.
    #[pyo3(signature = (also_strd=false))]
    #[allow(clippy::wrong_self_convention)] // the Python name; unread files are read first (&mut)
    fn to_files<'py>(&mut self, py: Python<'py>, also_strd: bool) -> PyResult<Bound<'py, PyDict>> {
        let inner = &mut self.inner;
        let files = py.detach(|| inner.to_files(also_strd)).map_err(err)?;
        let out = PyDict::new(py);
        for (name, bytes) in files {
            out.set_item(name, PyBytes::new(py, &bytes))?;
        }
        Ok(out)
    }

    /// The project's name: its folder's name, or the folder name inside the archive it was read
    /// from; None for a new project without a folder.
    #[getter]
    fn name(&self) -> Option<String> {
        self.inner.name()
    }

    /// Saves: without `path`, what changed into the project's folder (a project not yet on disk
    /// is written whole); with `path`, every file into that folder, which becomes the project's.
    /// `also_strd` writes `.strd` beside `.work` (the device's PROJECT > RELOAD reads `.strd`);
    /// `backup` copies each replaced file to `NAME.bak` first. Returns the files written. What the
    /// edits leave that can never sound (a trig past a track's length, on the master track, on an
    /// empty slot) is named in a `UserWarning` each, after the files are written.
    #[pyo3(signature = (path=None, also_strd=false, backup=true))]
    fn save(&mut self, py: Python<'_>, path: Option<PathBuf>, also_strd: bool, backup: bool) -> PyResult<Vec<String>> {
        let options = SaveOptions { strd: also_strd, backup, all: false };
        let inner = &mut self.inner;
        let report = py
            .detach(|| match &path {
                Some(dir) => inner.save_to(dir, options),
                None => inner.save_with(options),
            })
            .map_err(|e| ot_error(e, path.as_deref()))?;
        let category = py.get_type::<pyo3::exceptions::PyUserWarning>();
        for note in &report.notes {
            let text = std::ffi::CString::new(note.replace('\0', " ")).unwrap_or_default();
            PyErr::warn(py, &category, &text, 1)?;
        }
        Ok(report.written.iter().map(|p| p.to_string_lossy().into_owned()).collect())
    }

    /// The project folder, or None for a new project not saved yet.
    #[getter]
    fn path(&self) -> Option<String> {
        self.inner.dir().map(|p| p.to_string_lossy().into_owned())
    }

    /// Where project.work was read from: "work", "strd" or "new".
    #[getter]
    fn source(&self) -> &'static str {
        source_name(self.inner.source())
    }

    /// The banks read so far (1-16).
    #[getter]
    fn loaded_banks(&self) -> Vec<u16> {
        // u16, not u8: PyO3 turns a Vec<u8> into bytes.
        self.inner.loaded_banks().into_iter().map(u16::from).collect()
    }

    /// Project tempo in BPM (None when project.work has none).
    #[getter]
    fn tempo(&self) -> Option<f64> {
        self.inner.tempo()
    }

    /// Sets the project tempo (30-300 BPM); raises ValidationError outside.
    #[setter]
    fn set_tempo(&mut self, bpm: f64) -> PyResult<()> {
        self.inner.set_tempo(bpm).map_err(err)?;
        self.edits.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// The sample slots in use (copies).
    #[getter]
    fn samples(&self) -> Vec<SampleSlot> {
        self.inner
            .samples()
            .iter()
            .map(|s| SampleSlot { pool: s.slot_type.describe(), slot: s.slot, path: s.path_lossy() })
            .collect()
    }

    /// Adds an audio file (WAV or AIFF, not copied) to a slot of `pool` ("flex" or "static"):
    /// its path is written relative to the project folder and its markers trim set to the whole
    /// file. `slot` None takes the first free slot 1-128. Returns the slot number.
    #[pyo3(signature = (path, pool, slot=None))]
    fn add_sample(&mut self, path: PathBuf, pool: &str, slot: Option<Int>) -> PyResult<u16> {
        let pool = self::pool(pool)?;
        let slot = opt(slot, "slot")?;
        let n = self.inner.add_sample(&path, pool, slot).map_err(|e| ot_error(e, Some(&path)))?;
        self.edits.fetch_add(1, Ordering::Relaxed);
        Ok(n)
    }

    /// Bank `n` (1-16), read from bankNN.work (or .strd, or blank) when first used.
    fn bank(slf: Bound<'_, Self>, n: Int) -> PyResult<Bank> {
        let b = num("bank", n)?;
        slf.borrow_mut().bank_ref(b)?;
        Ok(Bank { project: slf.unbind(), b })
    }

    /// The 16 banks (each read when first used).
    #[getter]
    fn banks(slf: Bound<'_, Self>) -> Vec<Bank> {
        let py = slf.py();
        let project = slf.unbind();
        (1..=16).map(|b| Bank { project: project.clone_ref(py), b }).collect()
    }

    /// Arrangement `n` (1-8), a live view (read when first asked for; `save()` writes edits).
    fn arrangement(slf: Bound<'_, Self>, n: Int) -> PyResult<Arrangement> {
        let a = num("arrangement", n)?;
        {
            let mut proj = slf.borrow_mut();
            let dir = proj.inner.dir().map(Path::to_path_buf);
            proj.inner.arrangement(a).map_err(|e| ot_error(e, dir.as_deref()))?;
        }
        Ok(Arrangement { project: slf.unbind(), number: a })
    }

    /// Iterates over the 16 banks.
    fn __iter__(slf: Bound<'_, Self>) -> PyResult<Bound<'_, pyo3::types::PyIterator>> {
        let py = slf.py();
        PyList::new(py, Self::banks(slf))?.try_iter()
    }

    /// The number of items iteration gives (16 banks).
    fn __len__(&self) -> usize {
        16
    }

    /// The value as text, e.g. for the REPL.
    fn __repr__(&self) -> String {
        format!(
            "Project(path={}, tempo={}, samples={})",
            self.path().map_or_else(|| "None".into(), |p| format!("{p:?}")),
            self.inner.tempo().map_or_else(|| "None".into(), |t| t.to_string()),
            self.inner.samples().len()
        )
    }
}

/// An arrangement of a project (a live view of its current block, the one SYNC TO CARD writes):
/// `name`, `rows` in words, `document` (the readable form of `groovekit dump`), and edits that
/// append rows or clear them; `project.save()` writes them.
#[pyclass(module = "groovekit.octatrack", frozen)]
pub struct Arrangement {
    project: Py<Project>,
    number: u8,
}

impl Arrangement {
    const BLOCK: groovekit_octatrack::raw::arrangement::Block = groovekit_octatrack::raw::arrangement::Block::Current;

    /// Reads the arrangement.
    fn with<R>(&self, py: Python<'_>, f: impl FnOnce(&RsArrangement) -> R) -> PyResult<R> {
        let mut proj = self.project.borrow_mut(py);
        let dir = proj.inner.dir().map(Path::to_path_buf);
        let a = proj.inner.arrangement(self.number).map_err(|e| ot_error(e, dir.as_deref()))?;
        Ok(f(a))
    }

    /// Edits the arrangement; bumps the project's edit counter when the edit succeeds.
    fn edit<R>(&self, py: Python<'_>, f: impl FnOnce(&mut RsArrangement) -> Result<R, OtError>) -> PyResult<R> {
        let mut proj = self.project.borrow_mut(py);
        let out = f(proj.inner.arrangement_mut(self.number).map_err(err)?).map_err(err)?;
        proj.edits.fetch_add(1, Ordering::Relaxed);
        Ok(out)
    }
}

#[pymethods]
impl Arrangement {
    /// An arrangement from the bytes of an arrangement file held in memory (`arrNN.work` or
    /// `.strd`), as arrangement `number` (1-8) of a project with no folder: read, edit, then
    /// `to_bytes()`. Damaged bytes raise FormatError with the byte offset.
    #[staticmethod]
    #[pyo3(signature = (data, number=None))]
    fn from_bytes(py: Python<'_>, data: Cow<'_, [u8]>, number: Option<Int>) -> PyResult<Arrangement> {
        let a = match number {
            Some(n) => util::from_one("arrangement", n, 8)? as u8 + 1,
            None => 1,
        };
        let name = format!("arr{a:02}.work");
        if let Some(e) = reparse_bytes(Path::new(&name), &data, None) {
            return Err(e);
        }
        let project = Py::new(py, project_from_files(py, vec![(name, data.into_owned())])?)?;
        Ok(Arrangement { project, number: a })
    }

    /// Arrangement number 1-8.
    #[getter]
    fn number(&self) -> u8 {
        self.number
    }

    /// The arrangement's readable document as Python values (name, rows, ...).
    #[getter]
    fn document<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let bytes = self.with(py, |a| a.to_bytes())?;
        let doc = groovekit_octatrack::human::arrangement::dump(&bytes).map_err(err)?;
        util::to_py(py, &doc)
    }

    /// The rows in words, as the model's typed rows describe them (`pattern A01 x3`, `loop to 2
    /// x4`, `jump to 9`, `halt`, `reminder "CHORUS"`).
    #[getter]
    fn rows(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        self.with(py, |a| a.rows(Self::BLOCK).iter().zip(1u16..).map(|(r, at)| r.describe(at)).collect())
    }

    /// The arrangement's name (up to 15 characters).
    #[getter]
    fn name(&self, py: Python<'_>) -> PyResult<String> {
        self.with(py, |a| a.name(Self::BLOCK))
    }

    /// Renames the arrangement; raises ValidationError for a name the device cannot show.
    #[setter]
    fn set_name(&self, py: Python<'_>, name: &str) -> PyResult<()> {
        self.edit(py, |a| a.set_name(Self::BLOCK, name))
    }

    /// Appends a row that plays pattern `pattern` (1-16) of bank `bank` (1-16): `repeats` as
    /// the device stores it (0-63), `length` steps from step `offset + 1`, the tempo in BPM while
    /// it plays (None: the pattern's), scenes A/B 1-16 (None: unchanged), the track mute mask and
    /// the MIDI transpose of the 8 MIDI tracks. Returns the row number (1-256).
    #[pyo3(
        signature = (bank, pattern, repeats=Int::from(0), length=Int::from(16), offset=Int::from(0), tempo=None, scene_a=None, scene_b=None, mute_mask=Int::from(0), transpose=None),
        text_signature = "($self, bank, pattern, repeats=0, length=16, offset=0, tempo=None, scene_a=None, scene_b=None, mute_mask=0, transpose=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn append_pattern(
        &self,
        py: Python<'_>,
        bank: Int,
        pattern: Int,
        repeats: Int,
        length: Int,
        offset: Int,
        tempo: Option<f64>,
        scene_a: Option<Int>,
        scene_b: Option<Int>,
        mute_mask: Int,
        transpose: Option<[Int; 8]>,
    ) -> PyResult<u16> {
        let (bank, pattern) = (bank.get("bank")?, pattern.get("pattern")?);
        let (repeats, length, offset) = (repeats.get("repeats")?, length.get("length")?, offset.get("offset")?);
        let (scene_a, scene_b) = (opt(scene_a, "scene A")?, opt(scene_b, "scene B")?);
        let mute_mask = mute_mask.get("mute mask")?;
        let mut shifts = [0i8; 8];
        for (to, v) in shifts.iter_mut().zip(transpose.iter().flatten()) {
            *to = v.get("transpose")?;
        }
        let row = RsPatternRow {
            repeats,
            length,
            offset,
            tempo,
            scene_a,
            scene_b,
            mute_mask,
            transpose: shifts,
            ..RsPatternRow::new(bank, pattern)
        };
        self.edit(py, |a| a.push_row(Self::BLOCK, &RsRow::Pattern(row)))
    }

    /// Appends a loop back to row `target` (1-256), `count` times (0 = forever; a later target
    /// with count 0 is a jump, the row's own number a halt). Returns the row number.
    #[pyo3(signature = (target, count=Int::from(0)), text_signature = "($self, target, count=0)")]
    fn append_loop(&self, py: Python<'_>, target: Int, count: Int) -> PyResult<u16> {
        let (target, count) = (target.get("loop target row")?, count.get("loop count")?);
        self.edit(py, |a| a.push_row(Self::BLOCK, &RsRow::Loop { count, target }))
    }

    /// Appends a reminder row (up to 15 characters). Returns the row number.
    fn append_reminder(&self, py: Python<'_>, text: &str) -> PyResult<u16> {
        self.edit(py, |a| a.push_row(Self::BLOCK, &RsRow::Reminder(text.to_string())))
    }

    /// Removes every row (the row count goes to 0, row 1 is blanked; later rows keep their
    /// bytes, unread, as stale rows are on the device).
    fn clear(&self, py: Python<'_>) -> PyResult<()> {
        self.edit(py, |a| {
            a.clear(Self::BLOCK);
            Ok(())
        })
    }

    /// The number of rows.
    fn __len__(&self, py: Python<'_>) -> PyResult<usize> {
        self.with(py, |a| a.len(Self::BLOCK))
    }

    /// The file's bytes as they would be saved.
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let bytes = self.with(py, |a| a.to_bytes())?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// Plays the arrangement (its rows, repeats, tempos and loops; FILL switch `fill`, `%`
    /// conditions drawn from `seed`) and writes it as a Standard MIDI File at `path`; returns the
    /// report. Releases the GIL.
    #[pyo3(signature = (path, fill=false, seed=0))]
    fn to_midi<'py>(&self, py: Python<'py>, path: PathBuf, fill: bool, seed: u64) -> PyResult<Bound<'py, PyAny>> {
        let span = midi_export::Span::Arrangement(self.number);
        write_midi(py, &self.project, &span, midi_export::ExportOptions { passes: 1, fill, seed }, &path)
    }

    /// The value as text, e.g. for the REPL.
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!("Arrangement({}, name={:?})", self.number, self.name(py)?))
    }
}

// ---------------------------------------------------------------------------------------------
// Bank, pattern, tracks

/// A bank of a project (a live view).
#[pyclass(module = "groovekit.octatrack", frozen)]
pub struct Bank {
    project: Py<Project>,
    b: u8,
}

#[pymethods]
impl Bank {
    /// A bank from the bytes of a bank file held in memory (`bankNN.work` or `.strd`, an
    /// upload), as bank `number` (1-16) of a project with no folder: read, edit, then
    /// `to_bytes()`. Damaged bytes raise FormatError with the byte offset, as `Project.open`.
    #[staticmethod]
    #[pyo3(signature = (data, number=None))]
    fn from_bytes(py: Python<'_>, data: Cow<'_, [u8]>, number: Option<Int>) -> PyResult<Bank> {
        let b = match number {
            Some(n) => util::from_one("bank", n, 16)? as u8 + 1,
            None => 1,
        };
        let name = format!("bank{b:02}.work");
        if let Some(e) = reparse_bytes(Path::new(&name), &data, None) {
            return Err(e);
        }
        let project = Py::new(py, project_from_files(py, vec![(name, data.into_owned())])?)?;
        Ok(Bank { project, b })
    }

    /// Bank number 1-16.
    #[getter]
    fn number(&self) -> u8 {
        self.b
    }

    /// Pattern `n` (1-16).
    fn pattern(&self, py: Python<'_>, n: Int) -> PyResult<Pattern> {
        let p = num("pattern", n)?;
        self.project.borrow_mut(py).bank_ref(self.b)?.pattern(p).map_err(err)?;
        Ok(Pattern { project: self.project.clone_ref(py), b: self.b, p })
    }

    /// The 16 patterns.
    #[getter]
    fn patterns(&self, py: Python<'_>) -> Vec<Pattern> {
        (1..=16).map(|p| Pattern { project: self.project.clone_ref(py), b: self.b, p }).collect()
    }

    /// Part `n` (1-4), the working copy, or the saved copy with `saved=True`.
    #[pyo3(signature = (n, saved=false))]
    fn part(&self, py: Python<'_>, n: Int, saved: bool) -> PyResult<Part> {
        let part = num("part", n)?;
        self.project.borrow_mut(py).bank_ref(self.b)?.part_name(part).map_err(err)?;
        Ok(Part { project: self.project.clone_ref(py), b: self.b, part, saved })
    }

    /// The 4 working parts.
    #[getter]
    fn parts(&self, py: Python<'_>) -> Vec<Part> {
        (1..=4).map(|part| Part { project: self.project.clone_ref(py), b: self.b, part, saved: false }).collect()
    }

    /// The bank file's bytes as they would be saved.
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let bytes = self.project.borrow_mut(py).bank_ref(self.b)?.to_bytes();
        Ok(PyBytes::new(py, &bytes))
    }

    /// Iterates over the 16 patterns.
    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyIterator>> {
        PyList::new(py, self.patterns(py))?.try_iter()
    }

    /// The number of items iteration gives (16 patterns).
    fn __len__(&self) -> usize {
        16
    }

    /// The value as text, e.g. for the REPL.
    fn __repr__(&self) -> String {
        format!("Bank({})", self.b)
    }
}

/// A pattern of a bank (a live view): its settings and tracks.
#[pyclass(module = "groovekit.octatrack", frozen)]
pub struct Pattern {
    project: Py<Project>,
    b: u8,
    p: u8,
}

impl Pattern {
    fn settings(&self, py: Python<'_>) -> PyResult<mb::PatternSettings> {
        self.project.borrow_mut(py).bank_ref(self.b)?.pattern(self.p).map_err(err)
    }

    fn edit(&self, py: Python<'_>, f: impl FnOnce(&mut mb::PatternSettings)) -> PyResult<()> {
        let p = self.p;
        self.project.borrow_mut(py).edit_bank(self.b, |bank| {
            let mut s = bank.pattern(p)?;
            f(&mut s);
            bank.set_pattern(p, &s)
        })
    }
}

#[pymethods]
impl Pattern {
    /// Pattern number 1-16.
    #[getter]
    fn number(&self) -> u8 {
        self.p
    }

    /// Bank number 1-16.
    #[getter]
    fn bank(&self) -> u8 {
        self.b
    }

    /// The part the pattern plays (1-4).
    #[getter]
    fn part(&self, py: Python<'_>) -> PyResult<u8> {
        Ok(self.settings(py)?.part)
    }

    /// Sets the part (1-4).
    #[setter]
    fn set_part(&self, py: Python<'_>, v: Int) -> PyResult<()> {
        let v = v.get("pattern part")?;
        self.edit(py, |s| s.part = v)
    }

    /// Master length in steps (1-64).
    #[getter]
    fn length(&self, py: Python<'_>) -> PyResult<u8> {
        Ok(self.settings(py)?.master_length)
    }

    /// Sets the master length (1-64).
    #[setter]
    fn set_length(&self, py: Python<'_>, v: Int) -> PyResult<()> {
        let v = v.get("pattern length")?;
        self.edit(py, |s| s.master_length = v)
    }

    /// Master scale code: 0 = 2x, 1 = 3/2x, 2 = 1x, 3 = 3/4x, 4 = 1/2x, 5 = 1/4x, 6 = 1/8x.
    #[getter]
    fn scale(&self, py: Python<'_>) -> PyResult<u8> {
        Ok(self.settings(py)?.master_scale)
    }

    /// Sets the master scale code (0-6).
    #[setter]
    fn set_scale(&self, py: Python<'_>, v: Int) -> PyResult<()> {
        let v = v.get("pattern scale")?;
        self.edit(py, |s| s.master_scale = v)
    }

    /// True in per-track scale mode.
    #[getter]
    fn per_track(&self, py: Python<'_>) -> PyResult<bool> {
        Ok(self.settings(py)?.per_track)
    }

    /// Sets the scale mode (True = per track).
    #[setter]
    fn set_per_track(&self, py: Python<'_>, v: bool) -> PyResult<()> {
        self.edit(py, |s| s.per_track = v)
    }

    /// Pattern tempo in BPM.
    #[getter]
    fn tempo(&self, py: Python<'_>) -> PyResult<f64> {
        Ok(self.settings(py)?.tempo)
    }

    /// Sets the pattern tempo (30-300 BPM).
    #[setter]
    fn set_tempo(&self, py: Python<'_>, v: f64) -> PyResult<()> {
        self.edit(py, |s| s.tempo = v)
    }

    /// Audio track `t` (1-8).
    fn audio_track(&self, py: Python<'_>, t: Int) -> PyResult<AudioTrack> {
        let t = num("track", t)?;
        self.project.borrow_mut(py).bank_ref(self.b)?.audio_track(self.p, t).map_err(err)?;
        Ok(AudioTrack { project: self.project.clone_ref(py), b: self.b, p: self.p, t })
    }

    /// MIDI track `t` (1-8).
    fn midi_track(&self, py: Python<'_>, t: Int) -> PyResult<MidiTrack> {
        let t = num("MIDI track", t)?;
        self.project.borrow_mut(py).bank_ref(self.b)?.midi_track(self.p, t).map_err(err)?;
        Ok(MidiTrack { project: self.project.clone_ref(py), b: self.b, p: self.p, t })
    }

    /// The 8 audio tracks.
    #[getter]
    fn audio_tracks(&self, py: Python<'_>) -> Vec<AudioTrack> {
        (1..=8).map(|t| AudioTrack { project: self.project.clone_ref(py), b: self.b, p: self.p, t }).collect()
    }

    /// The 8 MIDI tracks.
    #[getter]
    fn midi_tracks(&self, py: Python<'_>) -> Vec<MidiTrack> {
        (1..=8).map(|t| MidiTrack { project: self.project.clone_ref(py), b: self.b, p: self.p, t }).collect()
    }

    /// Iterates over the 16 tracks: audio tracks 1-8, then MIDI tracks 1-8.
    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyIterator>> {
        let list = PyList::new(py, self.audio_tracks(py))?;
        for t in self.midi_tracks(py) {
            list.append(t)?;
        }
        list.try_iter()
    }

    /// The number of items iteration gives (16 tracks).
    fn __len__(&self) -> usize {
        16
    }

    /// Plays the pattern `passes` times (with the FILL switch `fill`, `%` conditions drawn from
    /// `seed`) and writes it as a Standard MIDI File at `path` (see `groovekit ot midi`); returns
    /// the report (ticks per quarter, notes, tracks, what was not exported). Releases the GIL.
    #[pyo3(signature = (path, passes=1, fill=false, seed=0))]
    fn to_midi<'py>(
        &self,
        py: Python<'py>,
        path: PathBuf,
        passes: u32,
        fill: bool,
        seed: u64,
    ) -> PyResult<Bound<'py, PyAny>> {
        let span = midi_export::Span::Patterns(vec![(self.b, self.p)]);
        write_midi(py, &self.project, &span, midi_export::ExportOptions { passes, fill, seed }, &path)
    }

    /// The events of the pattern played `passes` times (what plays and when, from the
    /// timeline): a list of dicts with `tick` (230 400 a quarter note), `track` (`{"kind":
    /// "audio"|"midi", "number": N}`), `segment`, `step`, `pass` and the event's fields
    /// (`type`: `audio_trig`, `note`, `control`, `program`). Releases the GIL.
    #[pyo3(signature = (passes=1, fill=false, seed=0))]
    fn timeline<'py>(&self, py: Python<'py>, passes: u32, fill: bool, seed: u64) -> PyResult<Bound<'py, PyAny>> {
        let span = midi_export::Span::Patterns(vec![(self.b, self.p)]);
        let mut proj = self.project.borrow_mut(py);
        let inner = &mut proj.inner;
        let t = py
            .detach(|| midi_export::timeline_of(inner, &span, &midi_export::ExportOptions { passes, fill, seed }))
            .map_err(err)?;
        // Each event as one flat dict: the event kind's fields beside tick, track, step, pass.
        let flat: Vec<serde_json::Value> = t
            .events
            .iter()
            .map(|e| {
                let mut v = serde_json::to_value(e).unwrap_or_default();
                if let Some(obj) = v.as_object_mut()
                    && let Some(serde_json::Value::Object(kind)) = obj.remove("kind")
                {
                    obj.extend(kind);
                }
                v
            })
            .collect();
        util::to_py(py, &flat)
    }

    /// The value as text, e.g. for the REPL.
    fn __repr__(&self, py: Python<'_>) -> String {
        match self.settings(py) {
            Ok(s) => format!(
                "Pattern(bank={}, pattern={}, part={}, length={}, tempo={})",
                self.b, self.p, s.part, s.master_length, s.tempo
            ),
            Err(_) => format!("Pattern(bank={}, pattern={})", self.b, self.p),
        }
    }
}

/// Track settings shared by audio and MIDI tracks.
macro_rules! track_settings {
    ($ty:ident, $get:ident, $set:ident, $kind:literal, { $($extra:tt)* }) => {
        impl $ty {
            fn settings(&self, py: Python<'_>) -> PyResult<mb::TrackSettings> {
                self.project.borrow_mut(py).bank_ref(self.b)?.$get(self.p, self.t).map_err(err)
            }

            fn edit(&self, py: Python<'_>, f: impl FnOnce(&mut mb::TrackSettings)) -> PyResult<()> {
                let (p, t) = (self.p, self.t);
                self.project.borrow_mut(py).edit_bank(self.b, |bank| {
                    let mut s = bank.$get(p, t)?;
                    f(&mut s);
                    bank.$set(p, t, &s)
                })
            }
        }

        #[pymethods]
        impl $ty {
            /// Track number 1-8.
            #[getter]
            fn number(&self) -> u8 {
                self.t
            }

            /// Track length in steps (1-64, per-track scale mode).
            #[getter]
            fn length(&self, py: Python<'_>) -> PyResult<u8> {
                Ok(self.settings(py)?.length)
            }

            /// Sets the track length (1-64).
            #[setter]
            fn set_length(&self, py: Python<'_>, v: Int) -> PyResult<()> {
                let v = v.get("track length")?;
                self.edit(py, |s| s.length = v)
            }

            /// Track scale code (0-6, as `Pattern.scale`).
            #[getter]
            fn scale(&self, py: Python<'_>) -> PyResult<u8> {
                Ok(self.settings(py)?.scale)
            }

            /// Sets the track scale code (0-6).
            #[setter]
            fn set_scale(&self, py: Python<'_>, v: Int) -> PyResult<()> {
                let v = v.get("track scale")?;
                self.edit(py, |s| s.scale = v)
            }

            /// Swing amount 0-30 (the device shows 50-80 %).
            #[getter]
            fn swing_amount(&self, py: Python<'_>) -> PyResult<u8> {
                Ok(self.settings(py)?.swing_amount)
            }

            /// Sets the swing amount (0-30).
            #[setter]
            fn set_swing_amount(&self, py: Python<'_>, v: Int) -> PyResult<()> {
                let v = v.get("swing amount")?;
                self.edit(py, |s| s.swing_amount = v)
            }

            /// The number of items iteration gives (64 steps).
            fn __len__(&self) -> usize {
                64
            }

            /// The value as text, e.g. for the REPL.
            fn __repr__(&self) -> String {
                format!(concat!($kind, "(bank={}, pattern={}, track={})"), self.b, self.p, self.t)
            }

            $($extra)*
        }
    };
}

/// An audio track of a pattern (a live view).
#[pyclass(module = "groovekit.octatrack", frozen)]
pub struct AudioTrack {
    project: Py<Project>,
    b: u8,
    p: u8,
    t: u8,
}

track_settings!(AudioTrack, audio_track, set_audio_track, "AudioTrack", {
    /// Step `s` (1-64).
    fn step(&self, py: Python<'_>, s: Int) -> PyResult<AudioStep> {
        let s = num("step", s)?;
        AudioStep::read(self.project.clone_ref(py), py, self.b, self.p, self.t, s)
    }

    /// The 64 steps.
    #[getter]
    fn steps(&self, py: Python<'_>) -> PyResult<Vec<AudioStep>> {
        let at = StepAt::read_track(&self.project, py, self.b, self.p, self.t)?;
        Ok(at.into_iter().map(|at| AudioStep { at }).collect())
    }

    /// Iterates over the 64 steps.
    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyIterator>> {
        PyList::new(py, self.steps(py)?)?.try_iter()
    }
});
/// A MIDI track of a pattern (a live view).
#[pyclass(module = "groovekit.octatrack", frozen)]
pub struct MidiTrack {
    project: Py<Project>,
    b: u8,
    p: u8,
    t: u8,
}

track_settings!(MidiTrack, midi_track, set_midi_track, "MidiTrack", {
    /// Step `s` (1-64).
    fn step(&self, py: Python<'_>, s: Int) -> PyResult<MidiStep> {
        let s = num("step", s)?;
        MidiStep::read(self.project.clone_ref(py), py, self.b, self.p, self.t, s)
    }

    /// The 64 steps.
    #[getter]
    fn steps(&self, py: Python<'_>) -> PyResult<Vec<MidiStep>> {
        let at = StepAt::read_track(&self.project, py, self.b, self.p, self.t)?;
        Ok(at.into_iter().map(|at| MidiStep { at }).collect())
    }

    /// Iterates over the 64 steps.
    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyIterator>> {
        PyList::new(py, self.steps(py)?)?.try_iter()
    }
});
// ---------------------------------------------------------------------------------------------
// Steps

/// What a step handle needs from the bank: read a value, write it back.
trait StepValue: Sized + Clone {
    fn get(bank: &mb::Bank, p: u8, t: u8, s: u8) -> Result<Self, OtError>;
    /// The 64 steps of a track, decoded together (place and naming context found once).
    fn get_all(bank: &mb::Bank, p: u8, t: u8) -> Result<Vec<Self>, OtError>;
    fn put(&self, bank: &mut mb::Bank, p: u8, t: u8, s: u8) -> Result<(), OtError>;
}

impl StepValue for mb::AudioStep {
    fn get(bank: &mb::Bank, p: u8, t: u8, s: u8) -> Result<Self, OtError> {
        bank.audio_step(p, t, s)
    }
    fn get_all(bank: &mb::Bank, p: u8, t: u8) -> Result<Vec<Self>, OtError> {
        bank.audio_steps(p, t)
    }
    fn put(&self, bank: &mut mb::Bank, p: u8, t: u8, s: u8) -> Result<(), OtError> {
        bank.set_audio_step(p, t, s, self)
    }
}

impl StepValue for mb::MidiStep {
    fn get(bank: &mb::Bank, p: u8, t: u8, s: u8) -> Result<Self, OtError> {
        bank.midi_step(p, t, s)
    }
    fn get_all(bank: &mb::Bank, p: u8, t: u8) -> Result<Vec<Self>, OtError> {
        bank.midi_steps(p, t)
    }
    fn put(&self, bank: &mut mb::Bank, p: u8, t: u8, s: u8) -> Result<(), OtError> {
        bank.set_midi_step(p, t, s, self)
    }
}

/// The coordinates and cached value of a step handle.
struct StepAt<V> {
    project: Py<Project>,
    b: u8,
    p: u8,
    t: u8,
    s: u8,
    /// The project's edit counter.
    edits: Arc<AtomicU64>,
    /// The value read at edit count `.0`.
    cache: Mutex<(u64, V)>,
}

/// The current value of a step handle (derefs to it); holds the handle's cache lock.
struct Current<'a, V>(MutexGuard<'a, (u64, V)>);

impl<V> std::ops::Deref for Current<'_, V> {
    type Target = V;
    fn deref(&self) -> &V {
        &self.0.1
    }
}

impl<V: StepValue> StepAt<V> {
    /// Handles for steps `steps` of one track, read with one borrow of the project and one bank
    /// lookup (iterating a track builds 64 handles: bench/python-octapy).
    fn read_many(
        project: &Py<Project>,
        py: Python<'_>,
        b: u8,
        p: u8,
        t: u8,
        steps: impl Iterator<Item = u8>,
    ) -> PyResult<Vec<Self>> {
        let mut proj = project.borrow_mut(py);
        let edits = proj.edits.clone();
        let count = edits.load(Ordering::Relaxed);
        let bank = proj.bank_ref(b)?;
        steps
            .map(|s| {
                let v = V::get(bank, p, t, s).map_err(err)?;
                Ok(Self {
                    project: project.clone_ref(py),
                    b,
                    p,
                    t,
                    s,
                    edits: edits.clone(),
                    cache: Mutex::new((count, v)),
                })
            })
            .collect()
    }

    /// Handles for the 64 steps of a track: one borrow, one bank lookup, and the steps decoded
    /// by `Bank::audio_steps`/`midi_steps` (the track's place and naming context built once, not
    /// per step: issue 15, bench/python-octapy).
    fn read_track(project: &Py<Project>, py: Python<'_>, b: u8, p: u8, t: u8) -> PyResult<Vec<Self>> {
        let mut proj = project.borrow_mut(py);
        let edits = proj.edits.clone();
        let count = edits.load(Ordering::Relaxed);
        let values = V::get_all(proj.bank_ref(b)?, p, t).map_err(err)?;
        Ok((1..=64u8)
            .zip(values)
            .map(|(s, v)| Self {
                project: project.clone_ref(py),
                b,
                p,
                t,
                s,
                edits: edits.clone(),
                cache: Mutex::new((count, v)),
            })
            .collect())
    }

    fn read(project: Py<Project>, py: Python<'_>, b: u8, p: u8, t: u8, s: u8) -> PyResult<Self> {
        let mut v = Self::read_many(&project, py, b, p, t, std::iter::once(s))?;
        v.pop().ok_or_else(|| pyo3::exceptions::PyRuntimeError::new_err("no step read"))
    }

    /// The current value (re-read when any edit happened since it was read).
    fn value(&self, py: Python<'_>) -> PyResult<Current<'_, V>> {
        let mut cache = self.cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let now = self.edits.load(Ordering::Relaxed);
        if cache.0 != now {
            let mut proj = self.project.borrow_mut(py);
            let v = V::get(proj.bank_ref(self.b)?, self.p, self.t, self.s).map_err(err)?;
            *cache = (now, v);
        }
        Ok(Current(cache))
    }

    /// Changes the value with `f` and writes it to the bank (nothing changes when `f` or the
    /// bank's validation fails).
    fn edit(&self, py: Python<'_>, f: impl FnOnce(&mut V) -> PyResult<()>) -> PyResult<()> {
        let mut v = self.value(py)?.clone();
        f(&mut v)?;
        let (p, t, s) = (self.p, self.t, self.s);
        let mut proj = self.project.borrow_mut(py);
        proj.edit_bank(self.b, |bank| v.put(bank, p, t, s))?;
        let now = proj.edits.load(Ordering::Relaxed);
        *self.cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = (now, v);
        Ok(())
    }
}

/// Boolean trig properties of a step type.
macro_rules! step_common {
    ($ty:ident, $kind:literal, [$($flag:ident, $setflag:ident, $doc:literal);*], { $($extra:tt)* }) => {
        #[pymethods]
        impl $ty {
            $(
                #[doc = $doc]
                #[getter]
                fn $flag(&self, py: Python<'_>) -> PyResult<bool> {
                    Ok(self.at.value(py)?.$flag)
                }

                #[doc = concat!("Sets: ", $doc)]
                #[setter]
                fn $setflag(&self, py: Python<'_>, v: bool) -> PyResult<()> {
                    self.at.edit(py, |s| {
                        s.$flag = v;
                        Ok(())
                    })
                }
            )*

            /// Step number 1-64.
            #[getter]
            fn number(&self) -> u8 {
                self.at.s
            }

            /// The trig condition by the device's name ("fill", "!pre", "50%", "1:4", ...), None
            /// for no condition.
            #[getter]
            fn condition(&self, py: Python<'_>) -> PyResult<Option<String>> {
                Ok(condition_name(self.at.value(py)?.condition))
            }

            /// Sets the condition by name (None or "none" clears it).
            #[setter]
            fn set_condition(&self, py: Python<'_>, v: Option<&str>) -> PyResult<()> {
                let c = parse_condition(v)?;
                self.at.edit(py, |s| {
                    s.condition = c;
                    Ok(())
                })
            }

            /// Micro-timing in 1/384 of a step (-23..23 on the device).
            #[getter]
            fn micro(&self, py: Python<'_>) -> PyResult<i8> {
                Ok(self.at.value(py)?.micro)
            }

            /// Sets the micro-timing (-23..23).
            #[setter]
            fn set_micro(&self, py: Python<'_>, v: Int) -> PyResult<()> {
                let v = v.get("micro-timing")?;
                self.at.edit(py, |s| {
                    s.micro = v;
                    Ok(())
                })
            }

            /// Number of trigs 1-8.
            #[getter]
            fn repeats(&self, py: Python<'_>) -> PyResult<u8> {
                Ok(self.at.value(py)?.repeats)
            }

            /// Sets the number of trigs (1-8).
            #[setter]
            fn set_repeats(&self, py: Python<'_>, v: Int) -> PyResult<()> {
                let v = v.get("repeats")?;
                self.at.edit(py, |s| {
                    s.repeats = v;
                    Ok(())
                })
            }

            /// The 32 stored lock bytes (255 = no lock).
            #[getter]
            fn raw_locks<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
                let raw = *self.at.value(py)?.raw_locks();
                Ok(PyBytes::new(py, &raw))
            }

            /// The step's parameter locks: a live mapping by parameter name (see `Locks`).
            /// Assigning a dict replaces every lock with the dict's (None values clear).
            #[getter]
            fn locks(&self, py: Python<'_>) -> Locks {
                let a = &self.at;
                Locks { project: a.project.clone_ref(py), b: a.b, p: a.p, t: a.t, s: a.s, midi: Self::MIDI }
            }

            /// Replaces every lock with those of `locks` (name -> value or None).
            #[setter]
            fn set_locks(&self, py: Python<'_>, locks: std::collections::BTreeMap<String, Option<Int>>) -> PyResult<()> {
                let locks = locks
                    .into_iter()
                    .map(|(k, v)| Ok((k.clone(), opt(v, &format!("lock {k}"))?)))
                    .collect::<PyResult<std::collections::BTreeMap<String, Option<u16>>>>()?;
                self.at.edit(py, |s| Self::replace_locks(s, &locks))
            }

            /// The value as text, e.g. for the REPL.
            fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
                let (b, p, t, n) = (self.at.b, self.at.p, self.at.t, self.at.s);
                let v = self.at.value(py)?.clone();
                Ok(format!(
                    concat!($kind, "(bank={}, pattern={}, track={}, step={}, trig={}, trigless={}, condition={}, micro={}, locks={{{}}})"),
                    b, p, t, n,
                    if v.trig { "True" } else { "False" },
                    if v.trigless { "True" } else { "False" },
                    condition_name(v.condition).map_or_else(|| "None".into(), |c| format!("{c:?}")),
                    v.micro,
                    Self::lock_list(&v).iter().map(|(k, x)| format!("{k:?}: {x}")).collect::<Vec<_>>().join(", ")
                ))
            }

            $($extra)*
        }
    };
}

/// A step of an audio track (a live view: setting a property writes the bank).
#[pyclass(module = "groovekit.octatrack", frozen)]
pub struct AudioStep {
    at: StepAt<mb::AudioStep>,
}

impl AudioStep {
    const MIDI: bool = false;

    fn read(project: Py<Project>, py: Python<'_>, b: u8, p: u8, t: u8, s: u8) -> PyResult<Self> {
        Ok(Self { at: StepAt::read(project, py, b, p, t, s)? })
    }

    fn lock_list(v: &mb::AudioStep) -> Vec<(String, u16)> {
        v.locks()
    }

    fn replace_locks(s: &mut mb::AudioStep, locks: &std::collections::BTreeMap<String, Option<u16>>) -> PyResult<()> {
        for (name, _) in s.locks() {
            s.set_lock(&name, None).map_err(err)?;
        }
        for (name, v) in locks {
            s.set_lock(name, *v).map_err(err)?;
        }
        Ok(())
    }
}

step_common!(AudioStep, "AudioStep", [
    trig, set_trig, "A trig that plays the sample.";
    trigless, set_trigless, "A trigless (lock-only) trig.";
    plock_trig, set_plock_trig, "The step carries p-locks (the device sets it with the locks).";
    oneshot, set_oneshot, "One-shot trig.";
    swing, set_swing, "Swing trig.";
    slide, set_slide, "Slide trig."
], {
    /// Recorder trig sources [inputs A/B, inputs C/D, SRC3, one-shot].
    #[getter]
    fn recorder(&self, py: Python<'_>) -> PyResult<[bool; 4]> {
        Ok(self.at.value(py)?.recorder)
    }

    /// Sets the recorder trig sources.
    #[setter]
    fn set_recorder(&self, py: Python<'_>, v: [bool; 4]) -> PyResult<()> {
        self.at.edit(py, |s| {
            s.recorder = v;
            Ok(())
        })
    }

    /// The sample lock: slot 1-128 of the track machine's pool, None when the step plays the
    /// part's slot.
    #[getter]
    fn sample_lock(&self, py: Python<'_>) -> PyResult<Option<u16>> {
        Ok(self.at.value(py)?.sample_lock())
    }

    /// Sets or clears (None) the sample lock (1-128; Flex 129-136 = recorder buffers).
    #[setter]
    fn set_sample_lock(&self, py: Python<'_>, v: Option<Int>) -> PyResult<()> {
        let v = opt(v, "sample lock")?;
        self.at.edit(py, |s| s.set_sample_lock(v).map_err(err))
    }

    /// The slice lock 1-64 (None: not locked).
    #[getter]
    fn slice_lock(&self, py: Python<'_>) -> PyResult<Option<u8>> {
        Ok(self.at.value(py)?.slice_lock())
    }

    /// Sets or clears the slice lock (1-64).
    #[setter]
    fn set_slice_lock(&self, py: Python<'_>, v: Option<Int>) -> PyResult<()> {
        let v = opt(v, "slice lock")?;
        self.at.edit(py, |s| s.set_slice_lock(v).map_err(err))
    }

    /// The retrig locks: (count as plays 1-128, time 0-127), None where not locked.
    #[getter]
    fn retrig(&self, py: Python<'_>) -> PyResult<(Option<u8>, Option<u8>)> {
        Ok(self.at.value(py)?.retrig())
    }

    /// Sets the retrig locks (count, time); None clears.
    #[setter]
    fn set_retrig(&self, py: Python<'_>, v: (Option<Int>, Option<Int>)) -> PyResult<()> {
        let v = (opt(v.0, "retrig count")?, opt(v.1, "retrig time")?);
        self.at.edit(py, |s| s.set_retrig(v.0, v.1).map_err(err))
    }
});
/// A step of a MIDI track (a live view: setting a property writes the bank).
#[pyclass(module = "groovekit.octatrack", frozen)]
pub struct MidiStep {
    at: StepAt<mb::MidiStep>,
}

impl MidiStep {
    const MIDI: bool = true;

    fn read(project: Py<Project>, py: Python<'_>, b: u8, p: u8, t: u8, s: u8) -> PyResult<Self> {
        Ok(Self { at: StepAt::read(project, py, b, p, t, s)? })
    }

    fn lock_list(v: &mb::MidiStep) -> Vec<(String, u16)> {
        v.locks().into_iter().map(|(k, x)| (k.to_string(), u16::from(x))).collect()
    }

    fn replace_locks(s: &mut mb::MidiStep, locks: &std::collections::BTreeMap<String, Option<u16>>) -> PyResult<()> {
        for (name, _) in s.locks() {
            s.set_lock(name, None).map_err(err)?;
        }
        for (name, v) in locks {
            s.set_lock(name, midi_value(name, *v)?).map_err(err)?;
        }
        Ok(())
    }

    fn set_one(&self, py: Python<'_>, name: &'static str, v: Option<u8>) -> PyResult<()> {
        self.at.edit(py, |s| s.set_lock(name, v).map_err(err))
    }

    fn get_one(&self, py: Python<'_>, name: &str) -> PyResult<Option<u8>> {
        self.at.value(py)?.lock(name).map_err(err)
    }
}

fn midi_value(name: &str, v: Option<u16>) -> PyResult<Option<u8>> {
    v.map(|x| {
        u8::try_from(x).map_err(|_| {
            raise::<ValidationError>(format!("{name}: value {x}: MIDI values are 0-127"), Where::default())
        })
    })
    .transpose()
}

step_common!(MidiStep, "MidiStep", [
    trig, set_trig, "A note trig.";
    trigless, set_trigless, "A trigless (lock-only) trig.";
    plock_trig, set_plock_trig, "The step carries p-locks.";
    swing, set_swing, "Swing trig.";
    mask5, set_mask5, "The fifth MIDI trig mask (meaning unknown; kept)."
], {
    /// The locked note (MIDI note 0-127); None plays the track's default note.
    #[getter]
    fn note(&self, py: Python<'_>) -> PyResult<Option<u8>> {
        Ok(self.at.value(py)?.note())
    }

    /// Locks (0-127) or clears the note.
    #[setter]
    fn set_note(&self, py: Python<'_>, v: Option<Int>) -> PyResult<()> {
        self.set_one(py, "note.note", opt(v, "note")?)
    }

    /// The locked velocity (None: the track's default).
    #[getter]
    fn velocity(&self, py: Python<'_>) -> PyResult<Option<u8>> {
        self.get_one(py, "note.vel")
    }

    /// Locks (0-127) or clears the velocity.
    #[setter]
    fn set_velocity(&self, py: Python<'_>, v: Option<Int>) -> PyResult<()> {
        self.set_one(py, "note.vel", opt(v, "velocity")?)
    }

    /// The locked length code (None: the track's default).
    #[getter]
    fn length(&self, py: Python<'_>) -> PyResult<Option<u8>> {
        self.get_one(py, "note.len")
    }

    /// Locks (0-127) or clears the length code.
    #[setter]
    fn set_length(&self, py: Python<'_>, v: Option<Int>) -> PyResult<()> {
        self.set_one(py, "note.len", opt(v, "note length")?)
    }

    /// Chord notes 2-4 as stored (NOT2-NOT4, an offset around 64), None where not locked.
    #[getter]
    fn chord(&self, py: Python<'_>) -> PyResult<[Option<u8>; 3]> {
        Ok(self.at.value(py)?.chord())
    }
});
/// The parameter locks of one step: a live mapping from parameter name (`amp.vol`, `src.strt`,
/// `fx1.base`, `sample` for audio steps, named by the track's machine and FX in the pattern's
/// part; `note.vel`, `ctrl1.cc1`, ... for MIDI steps) to the value the device shows.
/// `locks[name] = v` locks, `del locks[name]` or `locks[name] = None` clears.
#[pyclass(module = "groovekit.octatrack", frozen)]
pub struct Locks {
    project: Py<Project>,
    b: u8,
    p: u8,
    t: u8,
    s: u8,
    midi: bool,
}

impl Locks {
    fn items_vec(&self, py: Python<'_>) -> PyResult<Vec<(String, u16)>> {
        let mut proj = self.project.borrow_mut(py);
        let bank = proj.bank_ref(self.b)?;
        Ok(if self.midi {
            MidiStep::lock_list(&bank.midi_step(self.p, self.t, self.s).map_err(err)?)
        } else {
            bank.audio_step(self.p, self.t, self.s).map_err(err)?.locks()
        })
    }

    fn lookup(&self, py: Python<'_>, name: &str) -> PyResult<Option<u16>> {
        let mut proj = self.project.borrow_mut(py);
        let bank = proj.bank_ref(self.b)?;
        if self.midi {
            Ok(bank.midi_step(self.p, self.t, self.s).map_err(err)?.lock(name).map_err(err)?.map(u16::from))
        } else {
            bank.audio_step(self.p, self.t, self.s).map_err(err)?.lock(name).map_err(err)
        }
    }

    fn store(&self, py: Python<'_>, name: &str, v: Option<u16>) -> PyResult<()> {
        let (p, t, s, midi) = (self.p, self.t, self.s, self.midi);
        let mv = if midi { midi_value(name, v)? } else { None };
        self.project.borrow_mut(py).edit_bank(self.b, |bank| {
            if midi {
                let mut st = bank.midi_step(p, t, s)?;
                st.set_lock(name, mv)?;
                bank.set_midi_step(p, t, s, &st)
            } else {
                let mut st = bank.audio_step(p, t, s)?;
                st.set_lock(name, v)?;
                bank.set_audio_step(p, t, s, &st)
            }
        })
    }
}

#[pymethods]
impl Locks {
    /// The locked value of `name`; KeyError when it is not locked, ValidationError for a name
    /// the track does not have.
    fn __getitem__(&self, py: Python<'_>, name: &str) -> PyResult<u16> {
        self.lookup(py, name)?.ok_or_else(|| pyo3::exceptions::PyKeyError::new_err(name.to_string()))
    }

    /// Locks `name` to `value` (None clears).
    fn __setitem__(&self, py: Python<'_>, name: &str, value: Option<Int>) -> PyResult<()> {
        let value = opt(value, &format!("lock {name}"))?;
        self.store(py, name, value)
    }

    /// Clears the lock of `name`.
    fn __delitem__(&self, py: Python<'_>, name: &str) -> PyResult<()> {
        if self.lookup(py, name)?.is_none() {
            return Err(pyo3::exceptions::PyKeyError::new_err(name.to_string()));
        }
        self.store(py, name, None)
    }

    /// Whether `name` is locked.
    fn __contains__(&self, py: Python<'_>, name: &str) -> PyResult<bool> {
        Ok(self.items_vec(py)?.iter().any(|(k, _)| k == name))
    }

    /// The number of locks set.
    fn __len__(&self, py: Python<'_>) -> PyResult<usize> {
        Ok(self.items_vec(py)?.len())
    }

    /// Iterates over the names of the locks set.
    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyIterator>> {
        PyList::new(py, self.keys(py)?)?.try_iter()
    }

    /// The value of `name`, or `default` when it is not locked.
    #[pyo3(signature = (name, default=None))]
    fn get<'py>(
        &self,
        py: Python<'py>,
        name: &str,
        default: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        // The default is returned as given (any object), as dict.get does.
        match self.lookup(py, name)? {
            Some(v) => Ok(Some(v.into_pyobject(py)?.into_any())),
            None => Ok(default),
        }
    }

    /// The names of the locks set.
    fn keys(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        Ok(self.items_vec(py)?.into_iter().map(|(k, _)| k).collect())
    }

    /// The values of the locks set.
    fn values(&self, py: Python<'_>) -> PyResult<Vec<u16>> {
        Ok(self.items_vec(py)?.into_iter().map(|(_, v)| v).collect())
    }

    /// (name, value) of each lock set.
    fn items(&self, py: Python<'_>) -> PyResult<Vec<(String, u16)>> {
        self.items_vec(py)
    }

    /// The locks as a plain dict (a copy).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (k, v) in self.items_vec(py)? {
            d.set_item(k, v)?;
        }
        Ok(d)
    }

    /// Equal to a mapping with the same locks.
    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        self.to_dict(py)?.as_any().eq(other)
    }

    /// The value as text, e.g. for the REPL.
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!("Locks({})", self.to_dict(py)?.repr()?))
    }
}

// ---------------------------------------------------------------------------------------------
// Parts

/// A part of a bank (working copy, or saved with `saved=True`; a live view).
#[pyclass(module = "groovekit.octatrack", frozen)]
pub struct Part {
    project: Py<Project>,
    b: u8,
    part: u8,
    saved: bool,
}

#[pymethods]
impl Part {
    /// Part number 1-4.
    #[getter]
    fn number(&self) -> u8 {
        self.part
    }

    /// Whether this is the saved copy (PART SAVE) rather than the working one.
    #[getter]
    fn saved(&self) -> bool {
        self.saved
    }

    /// The part's name.
    #[getter]
    fn name(&self, py: Python<'_>) -> PyResult<String> {
        self.project.borrow_mut(py).bank_ref(self.b)?.part_name(self.part).map_err(err)
    }

    /// Renames the part (up to 7 characters).
    #[setter]
    fn set_name(&self, py: Python<'_>, name: &str) -> PyResult<()> {
        let part = self.part;
        self.project.borrow_mut(py).edit_bank(self.b, |bank| bank.set_part_name(part, name))
    }

    /// Audio track `t` (1-8) of the part.
    fn track(&self, py: Python<'_>, t: Int) -> PyResult<PartTrack> {
        let t = num("track", t)?;
        self.project.borrow_mut(py).bank_ref(self.b)?.part_track(self.part, copy_of(self.saved), t).map_err(err)?;
        Ok(PartTrack { project: self.project.clone_ref(py), b: self.b, part: self.part, saved: self.saved, t })
    }

    /// The 8 audio tracks of the part.
    #[getter]
    fn tracks(&self, py: Python<'_>) -> Vec<PartTrack> {
        (1..=8)
            .map(|t| PartTrack {
                project: self.project.clone_ref(py),
                b: self.b,
                part: self.part,
                saved: self.saved,
                t,
            })
            .collect()
    }

    /// MIDI track `t` (1-8) of the part.
    fn midi_track(&self, py: Python<'_>, t: Int) -> PyResult<MidiPartTrack> {
        let t = num("MIDI track", t)?;
        self.project
            .borrow_mut(py)
            .bank_ref(self.b)?
            .midi_part_track(self.part, copy_of(self.saved), t)
            .map_err(err)?;
        Ok(MidiPartTrack { project: self.project.clone_ref(py), b: self.b, part: self.part, saved: self.saved, t })
    }

    /// A scene lock of scene 1-16, track 1-8, by parameter name (None: not locked).
    fn scene_lock(&self, py: Python<'_>, scene: Int, track: Int, name: &str) -> PyResult<Option<u16>> {
        let (scene, track) = (num("scene", scene)?, num("track", track)?);
        self.project
            .borrow_mut(py)
            .bank_ref(self.b)?
            .scene_lock(self.part, copy_of(self.saved), scene, track, name)
            .map_err(err)
    }

    /// Sets (a value) or clears (None) a scene lock.
    fn set_scene_lock(&self, py: Python<'_>, scene: Int, track: Int, name: &str, value: Option<Int>) -> PyResult<()> {
        let (scene, track) = (num("scene", scene)?, num("track", track)?);
        let value = opt(value, &format!("scene lock {name}"))?;
        let (part, copy) = (self.part, copy_of(self.saved));
        self.project.borrow_mut(py).edit_bank(self.b, |bank| bank.set_scene_lock(part, copy, scene, track, name, value))
    }

    /// PART SAVE: copies the working part into the saved copy.
    fn save(&self, py: Python<'_>) -> PyResult<()> {
        let part = self.part;
        self.project.borrow_mut(py).edit_bank(self.b, |bank| bank.save_part(part))
    }

    /// PART RELOAD: copies the saved part over the working copy.
    fn reload(&self, py: Python<'_>) -> PyResult<()> {
        let part = self.part;
        self.project.borrow_mut(py).edit_bank(self.b, |bank| bank.reload_part(part))
    }

    /// Iterates over the 8 audio tracks.
    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyIterator>> {
        PyList::new(py, self.tracks(py))?.try_iter()
    }

    /// The number of items iteration gives (8 audio tracks).
    fn __len__(&self) -> usize {
        8
    }

    /// The value as text, e.g. for the REPL.
    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "Part(bank={}, part={}, name={:?}{})",
            self.b,
            self.part,
            self.name(py).unwrap_or_default(),
            if self.saved { ", saved=True" } else { "" }
        )
    }
}

/// An audio track of a part (a live view): machine, FX, volumes, slots, page values.
#[pyclass(module = "groovekit.octatrack", frozen)]
pub struct PartTrack {
    project: Py<Project>,
    b: u8,
    part: u8,
    saved: bool,
    t: u8,
}

impl PartTrack {
    fn value(&self, py: Python<'_>) -> PyResult<mb::PartTrack> {
        self.project.borrow_mut(py).bank_ref(self.b)?.part_track(self.part, copy_of(self.saved), self.t).map_err(err)
    }

    fn edit(&self, py: Python<'_>, f: impl FnOnce(&mut mb::PartTrack) -> Result<(), OtError>) -> PyResult<()> {
        let (part, copy, t) = (self.part, copy_of(self.saved), self.t);
        self.project.borrow_mut(py).edit_bank(self.b, |bank| {
            let mut v = bank.part_track(part, copy, t)?;
            f(&mut v)?;
            bank.set_part_track(part, copy, t, &v)
        })
    }
}

#[pymethods]
impl PartTrack {
    /// Track number 1-8.
    #[getter]
    fn number(&self) -> u8 {
        self.t
    }

    /// The machine: "Static", "Flex", "Thru", "Neighbor" or "Pickup" ("#N" for an unknown byte).
    #[getter]
    fn machine(&self, py: Python<'_>) -> PyResult<String> {
        Ok(machine_name(self.value(py)?.machine))
    }

    /// Sets the machine by name.
    #[setter]
    fn set_machine(&self, py: Python<'_>, name: &str) -> PyResult<()> {
        let m = machine_from_name(name)?;
        self.edit(py, |v| {
            v.set_machine(m);
            Ok(())
        })
    }

    /// FX1 type id.
    #[getter]
    fn fx1(&self, py: Python<'_>) -> PyResult<u8> {
        Ok(self.value(py)?.fx1)
    }

    /// Sets the FX1 type id.
    #[setter]
    fn set_fx1(&self, py: Python<'_>, id: Int) -> PyResult<()> {
        let id = id.get("FX1 type")?;
        self.edit(py, |v| {
            v.fx1 = id;
            Ok(())
        })
    }

    /// FX2 type id.
    #[getter]
    fn fx2(&self, py: Python<'_>) -> PyResult<u8> {
        Ok(self.value(py)?.fx2)
    }

    /// Sets the FX2 type id.
    #[setter]
    fn set_fx2(&self, py: Python<'_>, id: Int) -> PyResult<()> {
        let id = id.get("FX2 type")?;
        self.edit(py, |v| {
            v.fx2 = id;
            Ok(())
        })
    }

    /// The names of the FX1 and FX2 types.
    #[getter]
    fn fx_names(&self, py: Python<'_>) -> PyResult<(String, String)> {
        let v = self.value(py)?;
        Ok((fx_name(v.fx1), fx_name(v.fx2)))
    }

    /// (main, cue) volume 0-127.
    #[getter]
    fn volume(&self, py: Python<'_>) -> PyResult<(u8, u8)> {
        Ok(self.value(py)?.volume)
    }

    /// Sets (main, cue) volume.
    #[setter]
    fn set_volume(&self, py: Python<'_>, vol: (Int, Int)) -> PyResult<()> {
        let vol = (vol.0.get("main volume")?, vol.1.get("cue volume")?);
        self.edit(py, |v| {
            v.volume = vol;
            Ok(())
        })
    }

    /// Static slot 1-128.
    #[getter]
    fn static_slot(&self, py: Python<'_>) -> PyResult<u16> {
        Ok(self.value(py)?.static_slot)
    }

    /// Sets the static slot (1-128).
    #[setter]
    fn set_static_slot(&self, py: Python<'_>, slot: Int) -> PyResult<()> {
        let slot = slot.get("static slot")?;
        self.edit(py, |v| {
            v.static_slot = slot;
            Ok(())
        })
    }

    /// Flex slot 1-136 (129-136: recorder buffers).
    #[getter]
    fn flex_slot(&self, py: Python<'_>) -> PyResult<u16> {
        Ok(self.value(py)?.flex_slot)
    }

    /// Sets the flex slot (1-136).
    #[setter]
    fn set_flex_slot(&self, py: Python<'_>, slot: Int) -> PyResult<()> {
        let slot = slot.get("flex slot")?;
        self.edit(py, |v| {
            v.flex_slot = slot;
            Ok(())
        })
    }

    /// Recorder buffer slot (1-136).
    #[getter]
    fn recorder_slot(&self, py: Python<'_>) -> PyResult<u16> {
        Ok(self.value(py)?.recorder_slot)
    }

    /// Sets the recorder buffer slot (1-136).
    #[setter]
    fn set_recorder_slot(&self, py: Python<'_>, slot: Int) -> PyResult<()> {
        let slot = slot.get("recorder slot")?;
        self.edit(py, |v| {
            v.recorder_slot = slot;
            Ok(())
        })
    }

    /// Every page value by name (`src.*` of the current machine, `setup.*`, `lfo.*`, `amp.*`,
    /// `fx1.*`, `fx2.*`, ... as the model names them), a copy.
    #[getter]
    fn params(&self, py: Python<'_>) -> PyResult<Vec<(String, u8)>> {
        Ok(self.value(py)?.params())
    }

    /// A page value by name.
    fn param(&self, py: Python<'_>, name: &str) -> PyResult<u8> {
        self.value(py)?.param(name).map_err(err)
    }

    /// Sets a page value by name (0-127).
    fn set_param(&self, py: Python<'_>, name: &str, value: Int) -> PyResult<()> {
        let value = value.get(name)?;
        self.edit(py, |v| v.set_param(name, value))
    }

    /// The value as text, e.g. for the REPL.
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let v = self.value(py)?;
        Ok(format!(
            "PartTrack(bank={}, part={}, track={}, machine={:?}, static_slot={}, flex_slot={})",
            self.b,
            self.part,
            self.t,
            machine_name(v.machine),
            v.static_slot,
            v.flex_slot
        ))
    }
}

/// A MIDI track of a part (a live view).
#[pyclass(module = "groovekit.octatrack", frozen)]
pub struct MidiPartTrack {
    project: Py<Project>,
    b: u8,
    part: u8,
    saved: bool,
    t: u8,
}

impl MidiPartTrack {
    fn value(&self, py: Python<'_>) -> PyResult<mb::MidiPartTrack> {
        self.project
            .borrow_mut(py)
            .bank_ref(self.b)?
            .midi_part_track(self.part, copy_of(self.saved), self.t)
            .map_err(err)
    }

    fn edit(&self, py: Python<'_>, f: impl FnOnce(&mut mb::MidiPartTrack)) -> PyResult<()> {
        let (part, copy, t) = (self.part, copy_of(self.saved), self.t);
        self.project.borrow_mut(py).edit_bank(self.b, |bank| {
            let mut v = bank.midi_part_track(part, copy, t)?;
            f(&mut v);
            bank.set_midi_part_track(part, copy, t, &v)
        })
    }
}

#[pymethods]
impl MidiPartTrack {
    /// Track number 1-8.
    #[getter]
    fn number(&self) -> u8 {
        self.t
    }

    /// MIDI channel 1-16.
    #[getter]
    fn channel(&self, py: Python<'_>) -> PyResult<u8> {
        Ok(self.value(py)?.channel)
    }

    /// Sets the MIDI channel (1-16).
    #[setter]
    fn set_channel(&self, py: Python<'_>, c: Int) -> PyResult<()> {
        let c = c.get("MIDI channel")?;
        self.edit(py, |v| v.channel = c)
    }

    /// Bank select sent on pattern change (None: off).
    #[getter]
    fn bank(&self, py: Python<'_>) -> PyResult<Option<u8>> {
        Ok(self.value(py)?.bank)
    }

    /// Sets the bank select (0-127 or None).
    #[setter]
    fn set_bank(&self, py: Python<'_>, b: Option<Int>) -> PyResult<()> {
        let b = opt(b, "bank select")?;
        self.edit(py, |v| v.bank = b)
    }

    /// Program change (None: off).
    #[getter]
    fn program(&self, py: Python<'_>) -> PyResult<Option<u8>> {
        Ok(self.value(py)?.program)
    }

    /// Sets the program change (0-127 or None).
    #[setter]
    fn set_program(&self, py: Python<'_>, p: Option<Int>) -> PyResult<()> {
        let p = opt(p, "program change")?;
        self.edit(py, |v| v.program = p)
    }

    /// Default note (0-127).
    #[getter]
    fn note(&self, py: Python<'_>) -> PyResult<u8> {
        Ok(self.value(py)?.note)
    }

    /// Sets the default note.
    #[setter]
    fn set_note(&self, py: Python<'_>, n: Int) -> PyResult<()> {
        let n = n.get("default note")?;
        self.edit(py, |v| v.note = n)
    }

    /// Default velocity (0-127).
    #[getter]
    fn velocity(&self, py: Python<'_>) -> PyResult<u8> {
        Ok(self.value(py)?.velocity)
    }

    /// Sets the default velocity.
    #[setter]
    fn set_velocity(&self, py: Python<'_>, n: Int) -> PyResult<()> {
        let n = n.get("default velocity")?;
        self.edit(py, |v| v.velocity = n)
    }

    /// Default length code.
    #[getter]
    fn length(&self, py: Python<'_>) -> PyResult<u8> {
        Ok(self.value(py)?.length)
    }

    /// Sets the default length code.
    #[setter]
    fn set_length(&self, py: Python<'_>, n: Int) -> PyResult<()> {
        let n = n.get("default length")?;
        self.edit(py, |v| v.length = n)
    }

    /// A value of the MIDI track's pages by name (`ctrl1_setup.cc1`, ... as the model names them).
    fn param(&self, py: Python<'_>, name: &str) -> PyResult<u16> {
        self.value(py)?.param(name).map_err(err)
    }

    /// Sets a value of the MIDI track's pages by name.
    fn set_param(&self, py: Python<'_>, name: &str, value: Int) -> PyResult<()> {
        let value = value.get(name)?;
        let (part, copy, t) = (self.part, copy_of(self.saved), self.t);
        self.project.borrow_mut(py).edit_bank(self.b, |bank| {
            let mut v = bank.midi_part_track(part, copy, t)?;
            v.set_param(name, value)?;
            bank.set_midi_part_track(part, copy, t, &v)
        })
    }

    /// The value as text, e.g. for the REPL.
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let v = self.value(py)?;
        Ok(format!(
            "MidiPartTrack(bank={}, part={}, track={}, channel={}, note={}, velocity={})",
            self.b, self.part, self.t, v.channel, v.note, v.velocity
        ))
    }
}

/// Registers the classes and functions of `groovekit.octatrack`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Project>()?;
    m.add_class::<SampleSlot>()?;
    m.add_class::<Arrangement>()?;
    m.add_class::<Bank>()?;
    m.add_class::<Pattern>()?;
    m.add_class::<AudioTrack>()?;
    m.add_class::<MidiTrack>()?;
    m.add_class::<AudioStep>()?;
    m.add_class::<MidiStep>()?;
    m.add_class::<Locks>()?;
    m.add_class::<Part>()?;
    m.add_class::<PartTrack>()?;
    m.add_class::<MidiPartTrack>()?;
    crate::ot_set::register(m)?;
    m.add_function(wrap_pyfunction!(import_midi, m)?)?;
    crate::ot_ops::register(m)
}

// ---------------------------------------------------------------------------------------------
// MIDI files (issue 21)

/// Exports `span` of the project to `path` with the GIL released; the report as Python values.
fn write_midi<'py>(
    py: Python<'py>,
    project: &Py<Project>,
    span: &midi_export::Span,
    opts: midi_export::ExportOptions,
    path: &Path,
) -> PyResult<Bound<'py, PyAny>> {
    let mut proj = project.borrow_mut(py);
    let inner = &mut proj.inner;
    let report = py.detach(|| -> Result<midi_export::ExportReport, PyErr> {
        let done = midi_export::export(inner, span, &opts).map_err(err)?;
        groovekit_audio::midi::write_smf(path, &done.song).map_err(|e| match e {
            groovekit_audio::AudioError::Fs(f) => errors::fs(f),
            other => raise::<ValidationError>(other.to_string(), Where::file(Some(path))),
        })?;
        Ok(done.report)
    })?;
    util::to_py(py, &report)
}

/// Imports the notes of the MIDI file `path` into `project` (in memory: `project.save()` writes
/// it), from pattern `pattern` of bank `bank` on (see `groovekit ot import-midi`): chords of up
/// to 4 notes, velocity and length locks, micro-timing; `track_map` entries as `"ch10:36=T1"`;
/// `arrangement` N sets that arrangement's rows; `length` steps a pattern; `force` replaces
/// tracks that hold trigs. Returns the report (placed, not_imported, approximated, changed, ...).
/// Releases the GIL while reading and placing.
#[pyfunction]
#[pyo3(signature = (path, project, bank, pattern, arrangement=None, track_map=None, length=None, force=false))]
#[allow(clippy::too_many_arguments)]
fn import_midi<'py>(
    py: Python<'py>,
    path: PathBuf,
    project: &Bound<'py, Project>,
    bank: i64,
    pattern: i64,
    arrangement: Option<i64>,
    track_map: Option<Vec<String>>,
    length: Option<i64>,
    force: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let track_map = track_map
        .unwrap_or_default()
        .iter()
        .map(|e| midi_import::parse_map_entry(e).map_err(err))
        .collect::<PyResult<Vec<_>>>()?;
    let opts = midi_import::ImportOptions {
        bank: num("bank", bank)?,
        pattern: num("pattern", pattern)?,
        arrangement: arrangement.map(|a| num("arrangement", a)).transpose()?,
        track_map,
        length: length.map(|l| num("length", l)).transpose()?,
        force,
    };
    let bytes = std::fs::read(&path).map_err(|e| errors::fs(groovekit_core::fs::FsError::new("reading", &path, e)))?;
    let mut proj = project.borrow_mut();
    let inner = &mut proj.inner;
    let report = py.detach(|| midi_import::import_into(inner, &bytes, &opts)).map_err(|e| ot_error(e, Some(&path)))?;
    proj.edits.fetch_add(1, Ordering::Relaxed);
    util::to_py(py, &report)
}
