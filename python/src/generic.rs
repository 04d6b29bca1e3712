//! Format-independent functions of the top-level `groovekit` module: `detect`, `inspect`,
//! `verify`, `dump`, `build`. Each format's work is done by its crate; this file only picks the
//! crate by content (the same tests the crates expose: Octatrack `ops::verify::kind_of`, the
//! Oktalyzer magic, the OP-Z project size and file ID) and converts the results.

use std::path::{Path, PathBuf};

use groovekit_core::doc::Syntax;
use groovekit_core::report::{Problem as RustProblem, Report};
use groovekit_octatrack::human as ot_human;
use groovekit_octatrack::ops::verify as ot_verify;
use pyo3::prelude::*;

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

fn is_opz_project(bytes: &[u8]) -> bool {
    use groovekit_opz::raw;
    matches!(bytes.len(), raw::LEN_WITH_TRAILER | raw::LEN_WITHOUT_TRAILER)
        && bytes.get(0..4) == Some(&raw::FILE_ID.to_le_bytes()[..])
}

fn detect_kind(path: &Path, bytes: &[u8]) -> Option<Kind> {
    if let Some(k) = ot_verify::kind_of(bytes) {
        return Some(Kind::Ot(k));
    }
    if groovekit_okt::raw::has_magic(bytes) {
        return Some(Kind::Okt);
    }
    if is_opz_project(bytes) {
        return Some(Kind::OpzProject);
    }
    if bytes.starts_with(b"FORM") && groovekit_opz::kit::Kit::parse(bytes).is_ok() {
        return Some(Kind::OpzKit);
    }
    let ext = |e: &str| path.extension().is_some_and(|x| x.eq_ignore_ascii_case(e));
    if ext("opz") {
        return Some(Kind::OpzProject);
    }
    if ext("track") && std::str::from_utf8(bytes).is_ok() {
        return Some(Kind::Track);
    }
    None
}

fn unknown(path: &Path) -> PyErr {
    raise::<FormatError>(
        "not a file groovekit reads (Octatrack, OP-Z, Oktalyzer or .track)",
        Where::offset(Some(path), Some(0)),
    )
}

fn ot_err(e: groovekit_octatrack::OtError, path: &Path) -> PyErr {
    let offset = ot_verify::error_offset(&e);
    raise::<FormatError>(e.to_string(), Where::offset(Some(path), offset))
}

/// The document kind of the file at `path` (`octatrack-bank`, `oktalyzer-module`,
/// `opz-project`, `opz-kit`, `track-song`, ...), or None when groovekit does not read it.
#[pyfunction]
pub fn detect(path: PathBuf) -> PyResult<Option<&'static str>> {
    let bytes = errors::read(&path)?;
    Ok(detect_kind(&path, &bytes).map(Kind::name))
}

fn dump_text(path: &Path, bytes: &[u8], syntax: Syntax) -> PyResult<String> {
    let kind = detect_kind(path, bytes).ok_or_else(|| unknown(path))?;
    let doc_err = |e: groovekit_core::doc::DocError| raise::<FormatError>(e.to_string(), Where::file(Some(path)));
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
                .map_err(|e| raise::<FormatError>(e.to_string(), Where::offset(Some(path), Some(0))))?;
            let doc = groovekit_okt::human::to_doc(&m, &mut groovekit_okt::human::store_inline)
                .map_err(|e| raise::<FormatError>(e.to_string(), Where::file(Some(path))))?;
            groovekit_core::doc::to_text(&doc, syntax).map_err(doc_err)
        }
        Kind::OpzProject => {
            let p = groovekit_opz::model::Project::parse(bytes).map_err(|e| crate::opz::opz_error(e, Some(path)))?;
            groovekit_opz::human::dump(&p, syntax).map_err(|e| crate::opz::opz_error(e, Some(path)))
        }
        Kind::Track => {
            let text = std::str::from_utf8(bytes).map_err(|_| unknown(path))?;
            groovekit_track::doc::to_text(text, syntax).map_err(|e| crate::track::track_error(e, Some(path)))
        }
        Kind::OpzKit => Err(raise::<FormatError>(
            format!("{} files have no document form in the library yet", kind.name()),
            Where::file(Some(path)),
        )),
    }
}

/// The readable document of a file (`groovekit dump`): format "yaml" or "json". Oktalyzer
/// sample data is inline as hex.
#[pyfunction]
#[pyo3(signature = (path, format="yaml"))]
pub fn dump(path: PathBuf, format: &str) -> PyResult<String> {
    let syntax = syntax(format)?;
    let bytes = errors::read(&path)?;
    dump_text(&path, &bytes, syntax)
}

/// What a file holds, as a dict: `kind`, `path`, and `document`, the file's readable document
/// (the `groovekit dump` form as Python values); for a `.track` song the song's summary (tempo,
/// samples, patterns, length).
#[pyfunction]
pub fn inspect<'py>(py: Python<'py>, path: PathBuf) -> PyResult<Bound<'py, PyAny>> {
    let bytes = errors::read(&path)?;
    let kind = detect_kind(&path, &bytes).ok_or_else(|| unknown(&path))?;
    let out = pyo3::types::PyDict::new(py);
    out.set_item("kind", kind.name())?;
    out.set_item("path", path.to_string_lossy().into_owned())?;
    let document = match kind {
        Kind::Track => {
            let text = std::str::from_utf8(&bytes).map_err(|_| unknown(&path))?;
            let song = groovekit_track::Song::parse(text)
                .map_err(|e| raise::<ValidationError>(e.to_string(), Where::file(Some(&path))))?;
            util::to_py(py, &groovekit_track::human::Summary::of(&song))?
        }
        Kind::OpzKit => util::to_py(
            py,
            &groovekit_opz::kit::Kit::parse(&bytes)
                .and_then(|k| k.json())
                .map_err(|e| crate::opz::opz_error(e, Some(&path)))?,
        )?,
        _ => {
            let text = dump_text(&path, &bytes, Syntax::Json)?;
            py.import("json")?.call_method1("loads", (text,))?
        }
    };
    out.set_item("document", document)?;
    Ok(out.into_any())
}

/// Builds a file from a document (`groovekit build`): the document's `kind` picks the format;
/// the file is written atomically to `path` (an existing file is first copied to NAME.bak,
/// whose path is returned). Oktalyzer documents may hold sample data inline (hex) or in files
/// relative to `base` (default: the current folder).
#[pyfunction]
#[pyo3(signature = (text, path, base=None, backup=true))]
pub fn build(text: &str, path: PathBuf, base: Option<PathBuf>, backup: bool) -> PyResult<Option<String>> {
    let kind = groovekit_core::doc::peek_kind(text).ok_or_else(|| {
        raise::<FormatError>(
            "the document has no top-level `kind` (documents from dump start with one)",
            Where::default(),
        )
    })?;
    let fmt = |e: &dyn std::fmt::Display| raise::<FormatError>(e.to_string(), Where::default());
    let bytes = match kind.as_str() {
        ot_human::bank::KIND => ot_human::bank::from_text(text).map_err(|e| fmt(&e))?,
        ot_human::arrangement::KIND => ot_human::arrangement::from_text(text).map_err(|e| fmt(&e))?,
        ot_human::markers::KIND => ot_human::markers::from_text(text).map_err(|e| fmt(&e))?,
        ot_human::sample_settings::KIND => ot_human::sample_settings::build(text).map_err(|e| fmt(&e))?,
        ot_human::project::KIND => ot_human::project::from_text(text).map_err(|e| fmt(&e))?.to_bytes(),
        groovekit_track::doc::KIND => groovekit_track::doc::from_text(text).map_err(|e| fmt(&e))?.into_bytes(),
        groovekit_opz::human::KIND => groovekit_opz::human::build(text).map_err(|e| fmt(&e))?.into_bytes(),
        groovekit_okt::human::KIND => {
            let doc: groovekit_okt::human::Doc = groovekit_core::doc::from_text(text).map_err(|e| fmt(&e))?;
            let base = base.unwrap_or_else(|| PathBuf::from("."));
            let mut load = |at: &str, r: &groovekit_okt::human::DataRef| -> Result<Vec<u8>, String> {
                match (&r.hex, &r.file) {
                    (Some(h), _) => groovekit_okt::human::from_hex(h).ok_or_else(|| format!("{at}: bad hex")),
                    (None, Some(f)) => std::fs::read(base.join(f)).map_err(|e| format!("{at}: {f}: {e}")),
                    (None, None) => Err(format!("{at}: neither hex nor file")),
                }
            };
            groovekit_okt::human::from_doc(&doc, &mut load).map_err(|e| fmt(&e))?.to_bytes()
        }
        other => return Err(raise::<FormatError>(format!("unknown document kind {other:?}"), Where::default())),
    };
    Ok(errors::save(&path, &bytes, backup)?.map(|p| p.to_string_lossy().into_owned()))
}

/// One finding of `verify`: the file, the byte offset or line/col when known, the message and
/// its weight ("problem" fails a check, "warning" does not, "note" is known to be harmless,
/// "unrecognised" is a file no format claims).
#[pyclass(module = "groovekit", frozen, get_all)]
#[derive(Clone)]
pub struct Problem {
    /// The file concerned.
    path: String,
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

    /// `path[:line:col| @offset]: message`, as the CLI prints it.
    fn __str__(&self) -> String {
        let at = match (self.line, self.col, self.offset) {
            (Some(l), Some(c), _) => format!(":{l}:{c}"),
            (_, _, Some(o)) => format!(" @{o}"),
            _ => String::new(),
        };
        format!("{}{at}: {}", self.path, self.message)
    }
}

fn push(out: &mut Vec<Problem>, list: Vec<RustProblem>, severity: &'static str) {
    out.extend(list.into_iter().map(|p| Problem {
        path: p.path.to_string_lossy().into_owned(),
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
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            return from_report(Report {
                problems: vec![RustProblem::new(path, format!("cannot read: {e}"))],
                ..Report::default()
            });
        }
    };
    let mut r = Report::default();
    match detect_kind(path, &bytes) {
        Some(Kind::Ot(_)) => return ot_verify::verify_file(path, &bytes, false).map(from_report).unwrap_or_default(),
        // The same checks as `groovekit verify` (they live in the format libraries).
        Some(Kind::Okt) => return from_report(groovekit_okt::verify::verify(path, &bytes)),
        Some(Kind::OpzProject) => return from_report(groovekit_opz::verify::verify_project(path, &bytes)),
        Some(Kind::OpzKit) => return from_report(groovekit_opz::verify::verify_kit(path, &bytes)),
        Some(Kind::Track) => {
            let text = String::from_utf8_lossy(&bytes);
            return groovekit_track::check(&text)
                .diagnostics
                .iter()
                .map(|d| Problem {
                    path: path.to_string_lossy().into_owned(),
                    offset: Some(d.span.start as u64),
                    line: Some(d.span.line),
                    col: Some(d.span.col),
                    message: d.message.clone(),
                    severity: if d.is_error() { "problem" } else { "warning" },
                })
                .collect();
        }
        None => match ot_verify::diagnose(path, &bytes) {
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

/// Registers the top-level functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Problem>()?;
    m.add_function(wrap_pyfunction!(detect, m)?)?;
    m.add_function(wrap_pyfunction!(dump, m)?)?;
    m.add_function(wrap_pyfunction!(inspect, m)?)?;
    m.add_function(wrap_pyfunction!(build, m)?)?;
    m.add_function(wrap_pyfunction!(verify, m)?)?;
    Ok(())
}
