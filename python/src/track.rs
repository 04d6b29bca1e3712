//! `groovekit.track`: `.track` songs over `groovekit_track` (parse, check with line:col
//! diagnostics, render to numpy).

use std::path::{Path, PathBuf};

use groovekit_track::{Song as RustSong, TrackError, render};
use numpy::PyArray2;
use pyo3::prelude::*;

use crate::errors::{self, FormatError, IoError, ValidationError, Where, raise};
use crate::util;

/// One problem in a song: severity, message, help, where (line:col, byte span, file).
#[pyclass(module = "groovekit.track", frozen, get_all)]
#[derive(Clone)]
pub struct Diagnostic {
    /// "error" or "warning".
    severity: &'static str,
    /// What is wrong.
    message: String,
    /// What to do about it, or None.
    help: Option<String>,
    /// 1-based line.
    line: u32,
    /// 1-based column, in characters.
    col: u32,
    /// Byte offset of the first byte.
    start: usize,
    /// Byte offset one past the last byte.
    end: usize,
    /// The file the position refers to when it is not the song (an assets.txt), else None.
    file: Option<String>,
}

#[pymethods]
impl Diagnostic {
    /// Whether this is an error (not a warning).
    #[getter]
    fn is_error(&self) -> bool {
        self.severity == "error"
    }

    /// The value as text, e.g. for the REPL.
    fn __repr__(&self) -> String {
        format!("Diagnostic({:?})", self.__str__())
    }

    /// `line:col: severity: message (help)`, as the CLI prints it.
    fn __str__(&self) -> String {
        let mut s = match &self.file {
            Some(f) => format!("{f}:"),
            None => String::new(),
        };
        s.push_str(&format!("{}:{}: {}: {}", self.line, self.col, self.severity, self.message));
        if let Some(h) = &self.help {
            s.push_str(&format!(" ({h})"));
        }
        s
    }
}

impl Diagnostic {
    fn from_rust(d: &groovekit_track::Diagnostic) -> Self {
        Self {
            severity: if d.is_error() { "error" } else { "warning" },
            message: d.message.clone(),
            help: d.help.clone(),
            line: d.span.line,
            col: d.span.col,
            start: d.span.start,
            end: d.span.end,
            file: d.file.as_ref().map(|f| f.to_string_lossy().into_owned()),
        }
    }
}

/// A TrackError as a Python exception: Invalid raises ValidationError pointing at the first
/// error's line:col with every diagnostic in `diagnostics`.
pub fn track_error(e: TrackError, file: Option<&Path>) -> PyErr {
    match &e {
        TrackError::Invalid(diags) => {
            let first = diags.iter().find(|d| d.is_error()).or(diags.first());
            let at = Where {
                file: first.and_then(|d| d.file.clone()).or_else(|| file.map(Path::to_path_buf)),
                offset: first.map(|d| d.span.start as u64),
                line_col: first.map(|d| (d.span.line, d.span.col)),
            };
            let err = raise::<ValidationError>(e.to_string(), at);
            Python::attach(|py| {
                let list: Vec<Diagnostic> = diags.iter().map(Diagnostic::from_rust).collect();
                // A fresh exception instance accepts attributes.
                let _ = err.value(py).setattr("diagnostics", list);
            });
            err
        }
        TrackError::Io { path, .. } => raise::<IoError>(e.to_string(), Where::file(Some(path))),
        TrackError::Audio(groovekit_audio::AudioError::Fs(f)) => {
            raise::<IoError>(e.to_string(), Where::file(Some(&f.path)))
        }
        TrackError::Audio(groovekit_audio::AudioError::Decode { path, .. }) => {
            raise::<FormatError>(e.to_string(), Where::file(Some(path)))
        }
        TrackError::Audio(_) | TrackError::Limit(_) => raise::<ValidationError>(e.to_string(), Where::file(file)),
        TrackError::Document(_) => raise::<FormatError>(e.to_string(), Where::file(file)),
    }
}

/// Checks a song text; returns every diagnostic (errors and warnings) sorted by position.
#[pyfunction]
pub fn check(text: &str) -> Vec<Diagnostic> {
    groovekit_track::check(text).diagnostics.iter().map(Diagnostic::from_rust).collect()
}

/// The text in canonical form (`groovekit track fmt`). Raises ValidationError on a song with errors.
#[pyfunction]
pub fn format(text: &str) -> PyResult<String> {
    groovekit_track::ops::format(text).map_err(|e| track_error(e, None))
}

/// A validated `.track` song.
#[pyclass(module = "groovekit.track", frozen)]
pub struct Song {
    inner: RustSong,
    warnings: Vec<groovekit_track::Diagnostic>,
    path: Option<PathBuf>,
}

#[pymethods]
impl Song {
    /// Parses and validates a song text. Raises ValidationError (line, col, diagnostics) when it
    /// has any error. Assets are looked up beside `song_dir` (default: the current folder) when
    /// rendering.
    #[staticmethod]
    fn parse(text: &str) -> PyResult<Self> {
        let c = groovekit_track::check(text);
        match c.song {
            Some(inner) => Ok(Self { inner, warnings: c.diagnostics, path: None }),
            None => Err(track_error(TrackError::Invalid(c.diagnostics), None)),
        }
    }

    /// Reads and validates a song file; renders find its assets beside it.
    #[staticmethod]
    fn load(path: PathBuf) -> PyResult<Self> {
        let bytes = errors::read(&path)?;
        let text = String::from_utf8(bytes).map_err(|e| {
            raise::<FormatError>(
                "the song is not UTF-8 text: save it as UTF-8",
                Where::offset(Some(&path), Some(e.utf8_error().valid_up_to() as u64)),
            )
        })?;
        let c = groovekit_track::check(&text);
        match c.song {
            Some(inner) => Ok(Self { inner, warnings: c.diagnostics, path: Some(path) }),
            None => Err(track_error(TrackError::Invalid(c.diagnostics), Some(&path))),
        }
    }

    /// Tempo in BPM.
    #[getter]
    fn bpm(&self) -> f64 {
        self.inner.bpm
    }

    /// The sample names (declared ones in file order, then undeclared ones by first use).
    #[getter]
    fn sample_names(&self) -> Vec<String> {
        self.inner.samples.iter().map(|s| s.name.clone()).collect()
    }

    /// The pattern names in file order.
    #[getter]
    fn pattern_names(&self) -> Vec<String> {
        self.inner.patterns.iter().map(|p| p.name.clone()).collect()
    }

    /// Number of voices (events of every triggered pattern instance).
    #[getter]
    fn voice_count(&self) -> usize {
        self.inner.voice_count()
    }

    /// End of the last pattern instance, in seconds.
    #[getter]
    fn duration(&self) -> f64 {
        self.inner.pattern_end_seconds()
    }

    /// Warnings found while parsing (the song has no errors).
    #[getter]
    fn warnings(&self) -> Vec<Diagnostic> {
        self.warnings.iter().map(Diagnostic::from_rust).collect()
    }

    /// The file the song was loaded from, or None.
    #[getter]
    fn path(&self) -> Option<String> {
        self.path.as_ref().map(|p| p.to_string_lossy().into_owned())
    }

    /// The whole song as a dict (tempo, samples, patterns with events, score, humanize).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        util::to_py(py, &self.inner)
    }

    /// Renders the song to float32 stereo samples shaped (frames, 2), as `groovekit render` mixes
    /// them (before its integer conversion). Assets are found beside the song file (or
    /// `song_dir`), or in `assets_dir`. The GIL is released while loading and mixing.
    #[pyo3(signature = (rate=crate::util::Int::from(48000), assets_dir=None, song_dir=None), text_signature = "($self, rate=48000, assets_dir=None, song_dir=None)")]
    fn render<'py>(
        &self,
        py: Python<'py>,
        rate: crate::util::Int,
        assets_dir: Option<PathBuf>,
        song_dir: Option<PathBuf>,
    ) -> PyResult<Bound<'py, PyArray2<f32>>> {
        let rate: u32 = rate.get("rate")?;
        let dir = song_dir
            .or_else(|| self.path.as_ref().and_then(|p| p.parent().map(Path::to_path_buf)))
            .unwrap_or_else(|| PathBuf::from("."));
        let opts = render::RenderOptions { rate, assets_dir, ..render::RenderOptions::default() };
        let song = &self.inner;
        let samples = py
            .detach(|| render::prepare(song, &dir, &opts).map(|plan| plan.render_vec()))
            .map_err(|e| track_error(e, self.path.as_deref()))?;
        util::frames_array(py, samples, 2)
    }

    /// The value as text, e.g. for the REPL.
    fn __repr__(&self) -> String {
        format!(
            "Song(bpm={}, samples={}, patterns={}, voices={})",
            self.inner.bpm,
            self.inner.samples.len(),
            self.inner.patterns.len(),
            self.inner.voice_count()
        )
    }
}

/// Registers the classes and functions of `groovekit.track`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Song>()?;
    m.add_class::<Diagnostic>()?;
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add_function(wrap_pyfunction!(format, m)?)?;
    Ok(())
}
