//! Format-independent functions of the top-level `groovekit` module: `detect`, `inspect`,
//! `verify`, `dump`, `build`. Each format's work is done by its crate; this file only picks the
//! crate by content (the same tests the crates expose: Octatrack `ops::verify::kind_of`, the
//! Oktalyzer magic, the OP-Z project size and file ID) and converts the results.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use groovekit_core::doc::Syntax;
use groovekit_core::report::{Problem as RustProblem, Report};
use groovekit_octatrack::human as ot_human;
use groovekit_octatrack::ops::verify as ot_verify;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::errors::{self, FormatError, ValidationError, Where, raise};
use crate::util;

/// "yaml" or "json" as a document syntax.
pub fn syntax(format: &str) -> PyResult<Syntax> {
    match format.to_ascii_lowercase().as_str() {
        "yaml" | "yml" => Ok(Syntax::Yaml),
        "json" => Ok(Syntax::Json),
        other => Err(raise::<ValidationError>(
            format!("unknown format {other:?}: use \"yaml\" or \"json\""),
            Where::default(),
        )),
    }
}

/// A file's format, by content (and, for `.track` text, by extension).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// An Octatrack file; the document kind (`octatrack-bank`, ...).
    Ot(&'static str),
    Okt,
    OpzProject,
    OpzKit,
    Track,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Ot(k) => k,
            Kind::Okt => groovekit_okt::human::KIND,
            Kind::OpzProject => groovekit_opz::human::KIND,
            Kind::OpzKit => "opz-kit",
            Kind::Track => "track-song",
        }
    }
}

/// Where bytes come from: `file`, the path that names errors (None for bytes held in memory:
/// their errors carry only the offset or line/col), and `name`, the file name detection and the
/// checks look at (a `.track` or `.opz` name, a damaged `bankNN.work`). For a file both are its
/// path; for bytes `name` is the optional name the caller gives (an upload's file name), never
/// opened.
#[derive(Debug, Clone, Copy, Default)]
struct Origin<'a> {
    file: Option<&'a Path>,
    name: Option<&'a Path>,
}

impl<'a> Origin<'a> {
    fn file(path: &'a Path) -> Self {
        Self { file: Some(path), name: Some(path) }
    }

    fn memory(name: Option<&'a Path>) -> Self {
        Self { file: None, name }
    }

    /// The name to test extensions against (empty when there is none).
    fn name(self) -> &'a Path {
        self.name.unwrap_or(Path::new(""))
    }
}

fn detect_kind(from: Origin<'_>, bytes: &[u8]) -> Option<Kind> {
    if let Some(k) = ot_verify::kind_of(bytes) {
        return Some(Kind::Ot(k));
    }
    if groovekit_okt::raw::has_magic(bytes) {
        return Some(Kind::Okt);
    }
    if groovekit_opz::raw::looks_like_project(bytes) {
        return Some(Kind::OpzProject);
    }
    if groovekit_opz::kit::looks_like_kit(bytes) {
        return Some(Kind::OpzKit);
    }
    let ext = |e: &str| from.name().extension().is_some_and(|x| x.eq_ignore_ascii_case(e));
    if ext("opz") {
        return Some(Kind::OpzProject);
    }
    if (ext("track") && std::str::from_utf8(bytes).is_ok()) || groovekit_track::raw::looks_like_song(bytes) {
        return Some(Kind::Track);
    }
    None
}

fn unknown(file: Option<&Path>) -> PyErr {
    raise::<FormatError>(
        "not a file groovekit reads (Octatrack, OP-Z, Oktalyzer or .track)",
        Where::offset(file, Some(0)),
    )
}

fn ot_err(e: groovekit_octatrack::OtError, file: Option<&Path>) -> PyErr {
    let offset = ot_verify::error_offset(&e);
    raise::<FormatError>(e.to_string(), Where::offset(file, offset))
}

/// The document kind of the file at `path` (`octatrack-bank`, `oktalyzer-module`,
/// `opz-project`, `opz-kit`, `track-song`, ...), or None when groovekit does not read it.
#[pyfunction]
pub fn detect(path: PathBuf) -> PyResult<Option<&'static str>> {
    let bytes = errors::read(&path)?;
    Ok(detect_kind(Origin::file(&path), &bytes).map(Kind::name))
}

/// [`detect`] of bytes held in memory (an upload): by content; `name`, the file name when known,
/// breaks ties as a path's does (any UTF-8 text named `*.track`, any `*.opz`).
#[pyfunction]
#[pyo3(signature = (data, name=None))]
pub fn detect_bytes(py: Python<'_>, data: Cow<'_, [u8]>, name: Option<PathBuf>) -> Option<&'static str> {
    py.detach(|| detect_kind(Origin::memory(name.as_deref()), &data).map(Kind::name))
}

fn dump_text(from: Origin<'_>, bytes: &[u8], syntax: Syntax) -> PyResult<String> {
    let path = from.file;
    let kind = detect_kind(from, bytes).ok_or_else(|| unknown(path))?;
    let doc_err = |e: groovekit_core::doc::DocError| raise::<FormatError>(e.to_string(), Where::file(path));
    match kind {
        Kind::Ot(ot_human::bank::KIND) => ot_human::bank::to_text(bytes, syntax).map_err(|e| ot_err(e, path)),
        Kind::Ot(ot_human::arrangement::KIND) => {
            ot_human::arrangement::to_text(bytes, syntax).map_err(|e| ot_err(e, path))
        }
        Kind::Ot(ot_human::markers::KIND) => ot_human::markers::to_text(bytes, syntax).map_err(|e| ot_err(e, path)),
        Kind::Ot(ot_human::sample_settings::KIND) => {
            ot_human::sample_settings::dump(bytes, syntax).map_err(|e| ot_err(e, path))
        }
        Kind::Ot(_) => {
            let p = groovekit_octatrack::model::project::Project::parse(bytes).map_err(|e| ot_err(e, path))?;
            ot_human::project::to_text(&p, syntax).map_err(|e| ot_err(e, path))
        }
        Kind::Okt => {
            let (m, _) = groovekit_okt::model::Module::load(bytes)
                .map_err(|e| raise::<FormatError>(e.to_string(), Where::offset(path, Some(0))))?;
            let doc = groovekit_okt::human::to_doc(&m, &mut groovekit_okt::human::store_inline)
                .map_err(|e| raise::<FormatError>(e.to_string(), Where::file(path)))?;
            groovekit_core::doc::to_text(&doc, syntax).map_err(doc_err)
        }
        Kind::OpzProject => {
            let p = groovekit_opz::model::Project::parse(bytes).map_err(|e| crate::opz::opz_error(e, path))?;
            groovekit_opz::human::dump(&p, syntax).map_err(|e| crate::opz::opz_error(e, path))
        }
        Kind::OpzKit => {
            // The audio inline as hex, as `groovekit dump KIT` prints it.
            let k = groovekit_opz::kit::Kit::parse(bytes).map_err(|e| crate::opz::opz_error(e, path))?;
            groovekit_opz::kit_doc::dump(&k, syntax, &mut groovekit_opz::kit_doc::store_inline)
                .map_err(|e| crate::opz::opz_error(e, path))
        }
        Kind::Track => {
            let text = std::str::from_utf8(bytes).map_err(|_| unknown(path))?;
            groovekit_track::doc::to_text(text, syntax).map_err(|e| crate::track::track_error(e, path))
        }
    }
}

/// The readable document of a file (`groovekit dump`): format "yaml" or "json". Oktalyzer
/// sample data and OP-Z kit audio are inline as hex. The GIL is released while converting.
#[pyfunction]
#[pyo3(signature = (path, format="yaml"))]
pub fn dump(py: Python<'_>, path: PathBuf, format: &str) -> PyResult<String> {
    let syntax = syntax(format)?;
    let bytes = errors::read(&path)?;
    py.detach(|| dump_text(Origin::file(&path), &bytes, syntax))
}

/// [`dump`] of bytes held in memory (an upload): the same document and the same errors, which
/// carry the byte offset (or line/col) but no file. `name`: as for `detect_bytes`.
#[pyfunction]
#[pyo3(signature = (data, format="yaml", name=None))]
pub fn dump_bytes(py: Python<'_>, data: Cow<'_, [u8]>, format: &str, name: Option<PathBuf>) -> PyResult<String> {
    let syntax = syntax(format)?;
    py.detach(|| dump_text(Origin::memory(name.as_deref()), &data, syntax))
}

/// The `inspect` dict of bytes: kind, path (None for bytes in memory) and document.
fn inspect_dict<'py>(py: Python<'py>, from: Origin<'_>, bytes: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    let path = from.file;
    let kind = detect_kind(from, bytes).ok_or_else(|| unknown(path))?;
    let out = pyo3::types::PyDict::new(py);
    out.set_item("kind", kind.name())?;
    out.set_item("path", path.map(|p| p.to_string_lossy().into_owned()))?;
    let document = match kind {
        Kind::Track => {
            let text = std::str::from_utf8(bytes).map_err(|_| unknown(path))?;
            let song = py
                .detach(|| groovekit_track::Song::parse(text))
                .map_err(|e| raise::<ValidationError>(e.to_string(), Where::file(path)))?;
            util::to_py(py, &groovekit_track::human::Summary::of(&song))?
        }
        Kind::OpzKit => util::to_py(
            py,
            &py.detach(|| groovekit_opz::kit::Kit::parse(bytes).and_then(|k| k.json()))
                .map_err(|e| crate::opz::opz_error(e, path))?,
        )?,
        _ => {
            let text = py.detach(|| dump_text(from, bytes, Syntax::Json))?;
            py.import("json")?.call_method1("loads", (text,))?
        }
    };
    out.set_item("document", document)?;
    Ok(out.into_any())
}

/// What a file holds, as a dict: `kind`, `path`, and `document`, the file's readable document
/// (the `groovekit dump` form as Python values); for a `.track` song the song's summary (tempo,
/// samples, patterns, length); for an OP-Z kit its `op-1` JSON.
#[pyfunction]
pub fn inspect<'py>(py: Python<'py>, path: PathBuf) -> PyResult<Bound<'py, PyAny>> {
    let bytes = errors::read(&path)?;
    inspect_dict(py, Origin::file(&path), &bytes)
}

/// [`inspect`] of bytes held in memory: the same dict with `path` None, the same errors (no
/// file). `name`: as for `detect_bytes`.
#[pyfunction]
#[pyo3(signature = (data, name=None))]
pub fn inspect_bytes<'py>(py: Python<'py>, data: Cow<'_, [u8]>, name: Option<PathBuf>) -> PyResult<Bound<'py, PyAny>> {
    inspect_dict(py, Origin::memory(name.as_deref()), &data)
}

/// File bytes from a document; the document's `kind` picks the format. Oktalyzer and OP-Z kit
/// documents may keep data in files relative to `base`; without a base only inline (hex) data
/// is read.
fn build_from_text(text: &str, base: Option<&Path>) -> PyResult<Vec<u8>> {
    let kind = groovekit_core::doc::peek_kind(text).ok_or_else(|| {
        raise::<FormatError>(
            "the document has no top-level `kind` (documents from dump start with one)",
            Where::default(),
        )
    })?;
    let fmt = |e: &dyn std::fmt::Display| raise::<FormatError>(e.to_string(), Where::default());
    // Data kept in a file beside the document: read relative to `base`, or refused without one.
    let read_beside = |at: &str, f: &str| -> Result<Vec<u8>, String> {
        match base {
            Some(base) => std::fs::read(base.join(f)).map_err(|e| format!("{at}: {f}: {e}")),
            None => Err(format!(
                "{at}: the data is in the file `{f}`, and a document built from memory has no folder to read it from: dump with the data inline or use build(text, path, base=FOLDER)"
            )),
        }
    };
    let bytes = match kind.as_str() {
        ot_human::bank::KIND => ot_human::bank::from_text(text).map_err(|e| fmt(&e))?,
        ot_human::arrangement::KIND => ot_human::arrangement::from_text(text).map_err(|e| fmt(&e))?,
        ot_human::markers::KIND => ot_human::markers::from_text(text).map_err(|e| fmt(&e))?,
        ot_human::sample_settings::KIND => ot_human::sample_settings::build(text).map_err(|e| fmt(&e))?,
        ot_human::project::KIND => ot_human::project::from_text(text).map_err(|e| fmt(&e))?.to_bytes(),
        groovekit_track::doc::KIND => groovekit_track::doc::from_text(text).map_err(|e| fmt(&e))?.into_bytes(),
        groovekit_opz::human::KIND => groovekit_opz::human::build(text).map_err(|e| fmt(&e))?.into_bytes(),
        groovekit_opz::kit_doc::KIND => {
            let mut load = |at: &str, r: &groovekit_opz::kit_doc::DataRef| match (&r.hex, &r.file) {
                (None, Some(f)) => read_beside(at, f),
                _ => groovekit_opz::kit_doc::load_inline(at, r),
            };
            groovekit_opz::kit_doc::build(text, &mut load).map_err(|e| fmt(&e))?.to_bytes()
        }
        groovekit_okt::human::KIND => {
            let doc: groovekit_okt::human::Doc = groovekit_core::doc::from_text(text).map_err(|e| fmt(&e))?;
            let mut load = |at: &str, r: &groovekit_okt::human::DataRef| match (&r.hex, &r.file) {
                (None, Some(f)) => read_beside(at, f),
                _ => groovekit_okt::human::load_inline(at, r),
            };
            groovekit_okt::human::from_doc(&doc, &mut load).map_err(|e| fmt(&e))?.to_bytes()
        }
        other => return Err(raise::<FormatError>(format!("unknown document kind {other:?}"), Where::default())),
    };
    Ok(bytes)
}

/// Builds a file from a document (`groovekit build`): the document's `kind` picks the format;
/// the file is written atomically to `path` (an existing file is first copied to NAME.bak,
/// whose path is returned). Oktalyzer and OP-Z kit documents may hold data inline (hex) or in
/// files relative to `base` (default: the current folder).
#[pyfunction]
#[pyo3(signature = (text, path, base=None, backup=true))]
pub fn build(
    py: Python<'_>,
    text: &str,
    path: PathBuf,
    base: Option<PathBuf>,
    backup: bool,
) -> PyResult<Option<String>> {
    let base = base.unwrap_or_else(|| PathBuf::from("."));
    let bytes = py.detach(|| build_from_text(text, Some(&base)))?;
    Ok(errors::save(&path, &bytes, backup)?.map(|p| p.to_string_lossy().into_owned()))
}

/// [`build`] into memory: the file's bytes, nothing written. Data must be inline (hex), as
/// `dump_bytes` and `dump` without an output file give it. The GIL is released while building.
#[pyfunction]
pub fn build_bytes<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyBytes>> {
    let bytes = py.detach(|| build_from_text(text, None))?;
    Ok(PyBytes::new(py, &bytes))
}

/// One finding of `verify`: the file, the byte offset or line/col when known, the message and
/// its weight ("problem" fails a check, "warning" does not, "note" is known to be harmless,
/// "unrecognised" is a file no format claims).
#[pyclass(module = "groovekit", frozen, get_all)]
#[derive(Clone)]
pub struct Problem {
    /// The file concerned (None for bytes checked in memory without a name).
    path: Option<String>,
    /// Byte offset, when known.
    offset: Option<u64>,
    /// 1-based line (text formats), when known.
    line: Option<u32>,
    /// 1-based column (text formats), when known.
    col: Option<u32>,
    /// What is wrong, and what to do.
    message: String,
    /// "problem", "warning", "note" or "unrecognised".
    severity: &'static str,
}

#[pymethods]
impl Problem {
    /// The value as text, e.g. for the REPL.
    fn __repr__(&self) -> String {
        format!("Problem({:?}, severity={:?})", self.__str__(), self.severity)
    }

    /// `path[:line:col| @offset]: message`, as the CLI prints it (without a path: `line:col:`
    /// or `@offset:`).
    fn __str__(&self) -> String {
        let path = self.path.as_deref().unwrap_or_default();
        let at = match (self.line, self.col, self.offset) {
            (Some(l), Some(c), _) if path.is_empty() => format!("{l}:{c}"),
            (Some(l), Some(c), _) => format!(":{l}:{c}"),
            (_, _, Some(o)) if path.is_empty() => format!("@{o}"),
            (_, _, Some(o)) => format!(" @{o}"),
            _ => String::new(),
        };
        if path.is_empty() && at.is_empty() { self.message.clone() } else { format!("{path}{at}: {}", self.message) }
    }
}

/// A path as a Problem's `path`: None for the empty path of bytes checked without a name.
fn shown(path: &Path) -> Option<String> {
    (!path.as_os_str().is_empty()).then(|| path.to_string_lossy().into_owned())
}

fn push(out: &mut Vec<Problem>, list: Vec<RustProblem>, severity: &'static str) {
    out.extend(list.into_iter().map(|p| Problem {
        path: shown(&p.path),
        offset: p.offset,
        line: None,
        col: None,
        message: p.message,
        severity,
    }));
}

fn from_report(r: Report) -> Vec<Problem> {
    let mut out = Vec::new();
    push(&mut out, r.problems, "problem");
    push(&mut out, r.warnings, "warning");
    push(&mut out, r.notes, "note");
    push(&mut out, r.unrecognised, "unrecognised");
    out
}

fn verify_file(path: &Path) -> Vec<Problem> {
    match std::fs::read(path) {
        Ok(bytes) => verify_one(path, &bytes),
        Err(e) => from_report(Report {
            problems: vec![RustProblem::new(path, format!("cannot read: {e}"))],
            ..Report::default()
        }),
    }
}

/// The checks of one file's bytes, as `groovekit verify FILE` runs them; `path` names the
/// findings and is the name detection looks at (empty for bytes without a name).
fn verify_one(path: &Path, bytes: &[u8]) -> Vec<Problem> {
    let mut r = Report::default();
    match detect_kind(Origin { file: Some(path), name: Some(path) }, bytes) {
        Some(Kind::Ot(_)) => return ot_verify::verify_file(path, bytes, false).map(from_report).unwrap_or_default(),
        // The same checks as `groovekit verify` (they live in the format libraries).
        Some(Kind::Okt) => return from_report(groovekit_okt::verify::verify(path, bytes)),
        Some(Kind::OpzProject) => return from_report(groovekit_opz::verify::verify_project(path, bytes)),
        Some(Kind::OpzKit) => return from_report(groovekit_opz::verify::verify_kit(path, bytes)),
        Some(Kind::Track) => {
            let text = String::from_utf8_lossy(bytes);
            return groovekit_track::check(&text)
                .diagnostics
                .iter()
                .map(|d| Problem {
                    path: shown(path),
                    offset: Some(d.span.start as u64),
                    line: Some(d.span.line),
                    col: Some(d.span.col),
                    message: d.message.clone(),
                    severity: if d.is_error() { "problem" } else { "warning" },
                })
                .collect();
        }
        None => match ot_verify::diagnose(path, bytes) {
            Some(p) => r.problems.push(p),
            None => r.unrecognised.push(RustProblem::new(path, "not a file groovekit reads")),
        },
    }
    from_report(r)
}

fn files_below(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            files_below(&p, out);
        } else if p.is_file() {
            out.push(p);
        }
    }
}

/// Checks a file, an Octatrack project folder or Set, or any folder (every file in it), as
/// `groovekit verify` does; returns every finding (an empty list: all good). The GIL is
/// released while checking.
#[pyfunction]
pub fn verify(py: Python<'_>, path: PathBuf) -> PyResult<Vec<Problem>> {
    if !path.exists() {
        return Err(raise::<errors::IoError>("no such file or folder", Where::file(Some(&path))));
    }
    Ok(py.detach(|| {
        if path.is_dir() {
            if let Some(r) = ot_verify::verify_folder(&path, false) {
                return from_report(r);
            }
            let mut files = Vec::new();
            files_below(&path, &mut files);
            files.iter().flat_map(|f| verify_file(f)).collect()
        } else {
            verify_file(&path)
        }
    }))
}

/// [`verify`] of one file's bytes held in memory (an upload): the checks of that file (the
/// folder-level checks of a project or Set need the folder: use `verify(path)`); every finding,
/// an empty list when all is good. `name`, the file's name when known, is what the checks look
/// at (a damaged `bank01.work`, a `.track` song) and each finding's `path` (None without one).
/// The GIL is released while checking.
#[pyfunction]
#[pyo3(signature = (data, name=None))]
pub fn verify_bytes(py: Python<'_>, data: Cow<'_, [u8]>, name: Option<PathBuf>) -> Vec<Problem> {
    py.detach(|| verify_one(name.as_deref().unwrap_or(Path::new("")), &data))
}

/// Registers the top-level functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Problem>()?;
    m.add_function(wrap_pyfunction!(detect, m)?)?;
    m.add_function(wrap_pyfunction!(dump, m)?)?;
    m.add_function(wrap_pyfunction!(inspect, m)?)?;
    m.add_function(wrap_pyfunction!(build, m)?)?;
    m.add_function(wrap_pyfunction!(verify, m)?)?;
    m.add_function(wrap_pyfunction!(detect_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(dump_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(inspect_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(verify_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(build_bytes, m)?)?;
    Ok(())
}
