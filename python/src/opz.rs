//! `groovekit.opz`: OP-Z projects and sample packs over `groovekit_opz`. Patterns, tracks and
//! steps count from 1 as the device shows them.

use std::path::PathBuf;

use groovekit_opz::model::{self, TRACK_NAMES, track_index};
use groovekit_opz::raw::{PATTERNS, STEPS, TRACKS};
use groovekit_opz::{OpzError, kit, midi, ops};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::errors::{self, FormatError, ValidationError, Where, raise};
use crate::util::{self, Int, from_one};

/// An OpzError as a Python exception: file-level problems are FormatError, values and indices
/// ValidationError.
pub fn opz_error(e: OpzError, file: Option<&std::path::Path>) -> PyErr {
    match &e {
        OpzError::Empty | OpzError::Size { .. } | OpzError::Document(_) | OpzError::KitJson(_) => {
            raise::<FormatError>(e.to_string(), Where::file(file))
        }
        OpzError::Aiff { offset, .. } => raise::<FormatError>(e.to_string(), Where::offset(file, Some(*offset))),
        OpzError::Index(_) | OpzError::Invalid { .. } | OpzError::Audio(_) => {
            raise::<ValidationError>(e.to_string(), Where::file(file))
        }
    }
}

fn err(e: OpzError) -> PyErr {
    opz_error(e, None)
}

/// A track given as a name ("kick", "bass", ...) or a 1-based number.
#[derive(FromPyObject)]
pub enum TrackRef {
    /// 1-based number.
    Number(crate::util::Int),
    /// Device name.
    Name(String),
}

impl TrackRef {
    fn index(&self) -> PyResult<usize> {
        match self {
            TrackRef::Number(n) => from_one("track", n.clone(), TRACKS),
            TrackRef::Name(s) => track_index(s).ok_or_else(|| {
                raise::<ValidationError>(
                    format!("unknown track {s:?}: use one of {} or 1..=16", TRACK_NAMES.join(", ")),
                    Where::default(),
                )
            }),
        }
    }
}

/// One placed note (a copy): step and slot from 1, MIDI note, velocity, length in ticks
/// (3072 per step), micro-timing (-96..=95, 192 per step).
#[pyclass(module = "groovekit.opz", frozen, get_all)]
#[derive(Clone)]
pub struct Note {
    /// Step 1..=16.
    step: usize,
    /// Slot 1..=polyphony of the track.
    slot: usize,
    /// MIDI note number.
    note: u8,
    /// Velocity 1..=127.
    velocity: u8,
    /// Length in ticks (3072 per 1/16 step).
    duration: i32,
    /// Micro-timing -96..=95.
    micro: i8,
}

#[pymethods]
impl Note {
    /// The value as text, e.g. for the REPL.
    fn __repr__(&self) -> String {
        format!(
            "Note(step={}, slot={}, note={}, velocity={}, duration={}, micro={})",
            self.step, self.slot, self.note, self.velocity, self.duration, self.micro
        )
    }
}

/// A track of a pattern of a project (a live view: edits change the project).
#[pyclass(module = "groovekit.opz")]
pub struct Track {
    project: Py<Project>,
    p: usize,
    t: usize,
}

#[pymethods]
impl Track {
    /// 1-based track number.
    #[getter]
    fn number(&self) -> usize {
        self.t + 1
    }

    /// The device's name of the track ("kick", "bass", ...).
    #[getter]
    fn name(&self) -> &'static str {
        model::track_name(self.t)
    }

    /// Notes per step this track can play.
    #[getter]
    fn polyphony(&self) -> usize {
        model::polyphony(self.t)
    }

    /// Steps 1..=16 before the track loops.
    #[getter]
    fn step_count(&self, py: Python<'_>) -> PyResult<u8> {
        Ok(self.project.borrow(py).inner.track(self.p, self.t).map_err(err)?.step_count)
    }

    /// Step length as a multiple of a 1/16.
    #[getter]
    fn step_length(&self, py: Python<'_>) -> PyResult<u8> {
        Ok(self.project.borrow(py).inner.track(self.p, self.t).map_err(err)?.step_length)
    }

    /// The notes of this track, by step then slot.
    #[getter]
    fn notes(&self, py: Python<'_>) -> PyResult<Vec<Note>> {
        let notes = self.project.borrow(py).inner.notes(self.p, self.t).map_err(err)?;
        Ok(notes
            .iter()
            .map(|n| Note {
                step: n.step + 1,
                slot: n.k + 1,
                note: n.slot.note,
                velocity: n.slot.velocity,
                duration: n.slot.duration,
                micro: n.slot.micro,
            })
            .collect())
    }

    /// The 18 sound parameters of the track in this pattern.
    #[getter]
    fn sound(&self, py: Python<'_>) -> PyResult<[u8; 18]> {
        self.project.borrow(py).inner.sound(self.p, self.t).map_err(err)
    }

    // The default length is written as a literal so that the Python signature shows it.
    /// Places a note in the first free slot of `step` (1..=16); returns the slot (from 1).
    /// Raises ValidationError for out-of-range values or when the polyphony is used up.
    #[pyo3(
        signature = (step, note, velocity=Int::from(100), duration=Int::from(3072), micro=Int::from(0)),
        text_signature = "($self, step, note, velocity=100, duration=3072, micro=0)"
    )]
    fn add_note(
        &self,
        py: Python<'_>,
        step: Int,
        note: Int,
        velocity: Int,
        duration: Int,
        micro: Int,
    ) -> PyResult<usize> {
        let s = from_one("step", step, STEPS)?;
        let (note, velocity) = (note.get("note")?, velocity.get("velocity")?);
        let (duration, micro) = (duration.get("duration")?, micro.get("micro-timing")?);
        let mut project = self.project.borrow_mut(py);
        let n = ops::NewNote { note, velocity, duration, micro };
        Ok(ops::add_note(&mut project.inner, self.p, self.t, s, n).map_err(err)? + 1)
    }

    /// Removes every note of `step` (1..=16).
    fn clear_step(&self, py: Python<'_>, step: Int) -> PyResult<()> {
        let s = from_one("step", step, STEPS)?;
        ops::clear_step_notes(&mut self.project.borrow_mut(py).inner, self.p, self.t, s).map_err(err)
    }

    /// The value as text, e.g. for the REPL.
    fn __repr__(&self) -> String {
        format!("Track(pattern={}, track={}, name={:?})", self.p + 1, self.t + 1, self.name())
    }
}

/// A pattern of a project (a live view).
#[pyclass(module = "groovekit.opz")]
pub struct Pattern {
    project: Py<Project>,
    p: usize,
}

#[pymethods]
impl Pattern {
    /// 1-based pattern number.
    #[getter]
    fn number(&self) -> usize {
        self.p + 1
    }

    /// A track by name ("kick", "bass", ...) or number 1..=16.
    fn track(&self, py: Python<'_>, track: TrackRef) -> PyResult<Track> {
        Ok(Track { project: self.project.clone_ref(py), p: self.p, t: track.index()? })
    }

    /// The 16 tracks.
    #[getter]
    fn tracks(&self, py: Python<'_>) -> Vec<Track> {
        (0..TRACKS).map(|t| Track { project: self.project.clone_ref(py), p: self.p, t }).collect()
    }

    /// Removes every note, step component and lock of the pattern (`groovekit opz clear`).
    fn clear(&self, py: Python<'_>) -> PyResult<()> {
        ops::clear_pattern(&mut self.project.borrow_mut(py).inner, self.p).map_err(err)
    }

    /// The pattern as a step grid, as `groovekit opz view` prints it (`all`: empty tracks too).
    #[pyo3(signature = (all=false))]
    fn view(&self, py: Python<'_>, all: bool) -> PyResult<String> {
        groovekit_opz::view::text(&self.project.borrow(py).inner, self.p, all).map_err(err)
    }

    /// Iterates over the items (see the class docstring).
    fn __iter__(slf: PyRef<'_, Self>) -> PyResult<Bound<'_, pyo3::types::PyIterator>> {
        let tracks = slf.tracks(slf.py());
        pyo3::types::PyList::new(slf.py(), tracks)?.try_iter()
    }

    /// The number of items iteration gives.
    fn __len__(&self) -> usize {
        TRACKS
    }

    /// The value as text, e.g. for the REPL.
    fn __repr__(&self) -> String {
        format!("Pattern({})", self.p + 1)
    }
}

/// An OP-Z project (project.opz): the whole 342 848-byte image with typed views; an edit
/// changes only its own bytes.
#[pyclass(module = "groovekit.opz")]
pub struct Project {
    inner: model::Project,
    path: Option<PathBuf>,
}

#[pymethods]
impl Project {
    /// Opens a project file. Raises FormatError (wrong size, empty) or IoError.
    #[staticmethod]
    fn open(path: PathBuf) -> PyResult<Self> {
        let inner = crate::open_file(&path, model::Project::parse, opz_error)?;
        Ok(Self { inner, path: Some(path) })
    }

    /// A project from bytes.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        Ok(Self { inner: model::Project::parse(data).map_err(err)?, path: None })
    }

    /// The default (empty) project, as the device makes it.
    #[staticmethod]
    fn new() -> Self {
        Self { inner: model::default_project(), path: None }
    }

    /// The project's bytes.
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.inner.as_bytes())
    }

    /// Writes the project atomically to `path` (default: where it was opened). With `backup`, an
    /// existing file is first copied to NAME.bak; returns that backup's path.
    #[pyo3(signature = (path=None, backup=true))]
    fn save(&mut self, path: Option<PathBuf>, backup: bool) -> PyResult<Option<String>> {
        crate::save_file(path, &mut self.path, "project", self.inner.as_bytes(), backup)
    }

    /// The file the project was opened from or last saved to.
    #[getter]
    fn path(&self) -> Option<String> {
        self.path.as_ref().map(|p| p.to_string_lossy().into_owned())
    }

    /// Tempo in BPM (40..=200 on the device).
    #[getter]
    fn tempo(&self) -> u16 {
        self.inner.tempo()
    }

    /// Sets the tempo; raises ValidationError outside 40..=200.
    #[setter]
    fn set_tempo(&mut self, bpm: Int) -> PyResult<()> {
        ops::set_tempo(&mut self.inner, bpm.get("tempo")?).map_err(err)
    }

    /// Swing 0..=255.
    #[getter]
    fn swing(&self) -> u8 {
        self.inner.header().swing
    }

    /// The trailer word (7 in current files), or None in files from before 2021.
    #[getter]
    fn trailer(&self) -> Option<u32> {
        self.inner.trailer()
    }

    /// The patterns (1-based numbers) of chain `n` (1..=16; 16 is the one playing).
    fn chain(&self, n: Int) -> PyResult<Vec<usize>> {
        let c = from_one("chain", n, 16)?;
        Ok(self.inner.chain(c).iter().map(|&p| usize::from(p) + 1).collect())
    }

    /// Sets chain `n` (1..=16) to these patterns (1-based).
    fn set_chain(&mut self, n: Int, patterns: Vec<Int>) -> PyResult<()> {
        let c = from_one("chain", n, 16)?;
        let entries: Vec<u8> =
            patterns.into_iter().map(|p| from_one("pattern", p, PATTERNS).map(|p| p as u8)).collect::<PyResult<_>>()?;
        ops::set_chain(&mut self.inner, c, &entries).map_err(err)
    }

    /// Pattern `n` (1..=16).
    fn pattern(slf: PyRef<'_, Self>, n: Int) -> PyResult<Pattern> {
        let p = from_one("pattern", n, PATTERNS)?;
        Ok(Pattern { project: slf.into(), p })
    }

    /// The 16 patterns.
    #[getter]
    fn patterns(slf: PyRef<'_, Self>) -> Vec<Pattern> {
        let py = slf.py();
        let project: Py<Project> = slf.into();
        (0..PATTERNS).map(|p| Pattern { project: project.clone_ref(py), p }).collect()
    }

    /// Copies pattern `src` of `source` over pattern `dst` of this project.
    /// `source` may be this project itself (a copy inside one project).
    fn copy_pattern(slf: &Bound<'_, Self>, source: &Bound<'_, Project>, src: Int, dst: Int) -> PyResult<()> {
        let (s, d) = (from_one("pattern", src, PATTERNS)?, from_one("pattern", dst, PATTERNS)?);
        // One object cannot be borrowed for reading and writing at once: a copy inside one
        // project reads from a snapshot of it.
        if slf.is(source) {
            let snapshot = source.borrow().inner.clone();
            return ops::copy_pattern(&snapshot, s, &mut slf.borrow_mut().inner, d).map_err(err);
        }
        let from = source.borrow();
        ops::copy_pattern(&from.inner, s, &mut slf.borrow_mut().inner, d).map_err(err)
    }

    /// A Standard MIDI File of a pattern (1..=16) or a chain (1..=16, default 16: the playing
    /// chain), as `groovekit opz to-midi`; written atomically to `path` when given. `channels`:
    /// a MIDI channel (0..=15) per track.
    #[pyo3(signature = (path=None, pattern=None, chain=None, channels=None))]
    fn to_midi<'py>(
        &self,
        py: Python<'py>,
        path: Option<PathBuf>,
        pattern: Option<Int>,
        chain: Option<Int>,
        channels: Option<[Int; TRACKS]>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let mut opts = midi::ExportOptions::default();
        opts.order = match (pattern, chain) {
            (Some(_), Some(_)) => {
                return Err(raise::<ValidationError>("give pattern or chain, not both", Where::default()));
            }
            (Some(p), None) => midi::Order::Pattern(from_one("pattern", p, PATTERNS)?),
            (None, Some(c)) => midi::Order::Chain(from_one("chain", c, 16)?),
            (None, None) => opts.order,
        };
        if let Some(given) = channels {
            let mut ch = [0u8; TRACKS];
            for (to, c) in ch.iter_mut().zip(&given) {
                *to = c.get("MIDI channel")?;
            }
            if let Some(bad) = ch.iter().find(|&&c| c > 15) {
                return Err(raise::<ValidationError>(
                    format!("MIDI channel {bad} is outside 0..=15"),
                    Where::default(),
                ));
            }
            opts.channels = ch;
        }
        let song = midi::export(&self.inner, &opts).map_err(|e| opz_error(e, self.path.as_deref()))?;
        let bytes = groovekit_audio::midi::to_smf_bytes(&song)
            .map_err(|e| raise::<ValidationError>(e.to_string(), Where::default()))?;
        if let Some(p) = path {
            groovekit_core::fs::write_atomic(&p, &bytes).map_err(errors::fs)?;
        }
        Ok(PyBytes::new(py, &bytes))
    }

    /// The readable document (`groovekit dump`): "yaml" or "json".
    #[pyo3(signature = (format="yaml"))]
    fn dump(&self, format: &str) -> PyResult<String> {
        groovekit_opz::human::dump(&self.inner, crate::generic::syntax(format)?).map_err(err)
    }

    /// Values the device would not write (`error`: True) and unusual ones it tolerates: dicts
    /// with offset, message, error.
    fn check<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        ops::check_project(&self.inner)
            .iter()
            .map(|f| {
                let d = pyo3::types::PyDict::new(py);
                d.set_item("offset", f.offset)?;
                d.set_item("message", &f.message)?;
                d.set_item("error", f.error)?;
                Ok(d.into_any())
            })
            .collect()
    }

    /// Iterates over the items (see the class docstring).
    fn __iter__(slf: PyRef<'_, Self>) -> PyResult<Bound<'_, pyo3::types::PyIterator>> {
        let py = slf.py();
        let list = pyo3::types::PyList::new(py, Self::patterns(slf))?;
        list.try_iter()
    }

    /// The value as text, e.g. for the REPL.
    fn __repr__(&self) -> String {
        format!(
            "Project(tempo={}, swing={}{})",
            self.inner.tempo(),
            self.inner.header().swing,
            self.path.as_ref().map(|p| format!(", path={:?}", p.display().to_string())).unwrap_or_default()
        )
    }
}

/// An OP-Z/OP-1 sample pack (AIFF with the `op-1` JSON chunk).
#[pyclass(module = "groovekit.opz")]
pub struct Kit {
    inner: kit::Kit,
    path: Option<PathBuf>,
}

#[pymethods]
impl Kit {
    /// Opens a sample pack. Raises FormatError with the byte offset for a broken AIFF.
    #[staticmethod]
    fn open(path: PathBuf) -> PyResult<Self> {
        let inner = crate::open_file(&path, kit::Kit::parse, opz_error)?;
        Ok(Self { inner, path: Some(path) })
    }

    /// A sample pack from bytes.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        Ok(Self { inner: kit::Kit::parse(data).map_err(err)?, path: None })
    }

    /// The file's bytes (identical to the file for an unchanged kit).
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.to_bytes())
    }

    /// Writes the kit atomically (default: where it was opened); with `backup`, an existing file
    /// is first copied to NAME.bak, whose path is returned.
    #[pyo3(signature = (path=None, backup=true))]
    fn save(&mut self, path: Option<PathBuf>, backup: bool) -> PyResult<Option<String>> {
        crate::save_file(path, &mut self.path, "kit", &self.inner.to_bytes(), backup)
    }

    /// The kit type from the JSON ("drum", "sampler", ...).
    #[getter]
    fn kit_type(&self) -> PyResult<String> {
        self.inner.kit_type().map_err(err)
    }

    /// The `op-1` JSON as a dict.
    #[getter]
    fn json<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        util::to_py(py, &self.inner.json().map_err(err)?)
    }

    /// The drum slices: dicts with start/end frames and the raw pitch, volume, playmode, reverse.
    #[getter]
    fn slices<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        self.inner
            .slices()
            .map_err(err)?
            .iter()
            .map(|s| {
                let d = pyo3::types::PyDict::new(py);
                d.set_item("start_frame", s.start_frame())?;
                d.set_item("end_frame", s.end_frame())?;
                d.set_item("start", s.start)?;
                d.set_item("end", s.end)?;
                d.set_item("pitch", s.pitch)?;
                d.set_item("volume", s.volume)?;
                d.set_item("playmode", s.playmode)?;
                d.set_item("reverse", s.reverse)?;
                Ok(d.into_any())
            })
            .collect()
    }

    /// The value as text, e.g. for the REPL.
    fn __repr__(&self) -> String {
        format!(
            "Kit(type={:?}{})",
            self.inner.kit_type().unwrap_or_default(),
            self.path.as_ref().map(|p| format!(", path={:?}", p.display().to_string())).unwrap_or_default()
        )
    }
}

/// The MIDI channel (0..=15) of each track from the text of the device's `config/midi.json`
/// (`track_channels`), for `Project.to_midi(channels=...)`.
#[pyfunction]
pub fn midi_channels(text: &str) -> PyResult<[u8; TRACKS]> {
    midi::channels_from_midi_json(text).map_err(err)
}

// `add_note`'s default length is one step, written as a literal in its signature.
const _: () = assert!(midi::TICKS_PER_STEP == 3072);

/// Registers the classes of `groovekit.opz`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Project>()?;
    m.add_class::<Pattern>()?;
    m.add_class::<Track>()?;
    m.add_class::<Note>()?;
    m.add_class::<Kit>()?;
    m.add("TRACK_NAMES", TRACK_NAMES.to_vec())?;
    m.add_function(wrap_pyfunction!(midi_channels, m)?)?;
    Ok(())
}
