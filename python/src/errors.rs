//! Python exceptions: `groovekit.Error` and its subclasses, each carrying the message, the file
//! and the offset or line/col as attributes, built from the crates' error types.

use std::path::{Path, PathBuf};

use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::{PyTypeInfo, create_exception};

create_exception!(
    groovekit,
    Error,
    PyException,
    "Every groovekit failure. Attributes: message (str), file (str | None), offset (int | None: byte \
     offset in the file), line and col (int | None: 1-based, for text formats)."
);
create_exception!(
    groovekit,
    FormatError,
    Error,
    "The bytes or text are not a valid file of the format (wrong magic, size, truncated, bad document)."
);
create_exception!(
    groovekit,
    ValidationError,
    Error,
    "A value the format or device cannot store, an index out of range, or a song with errors \
     (then `diagnostics` lists every problem). Also a ValueError."
);
create_exception!(groovekit, IoError, Error, "A file could not be read or written (the file is in `file`).");

/// Where an error points.
#[derive(Debug, Default, Clone)]
pub struct Where {
    /// The file concerned.
    pub file: Option<PathBuf>,
    /// Byte offset in the file.
    pub offset: Option<u64>,
    /// 1-based line and column (text formats).
    pub line_col: Option<(u32, u32)>,
}

impl Where {
    /// Points at a file only.
    pub fn file(path: Option<&Path>) -> Self {
        Self { file: path.map(Path::to_path_buf), ..Self::default() }
    }

    /// Points at a byte offset of a file.
    pub fn offset(path: Option<&Path>, offset: Option<u64>) -> Self {
        Self { file: path.map(Path::to_path_buf), offset, line_col: None }
    }
}

/// Builds an exception of class `E` with its attributes set. The text shows the file first, as
/// the CLI does, so that `str(e)` alone says where.
pub fn raise<E: PyTypeInfo>(message: impl Into<String>, at: Where) -> PyErr {
    let message = message.into();
    Python::attach(|py| {
        let text = match &at.file {
            Some(f) => format!("{}: {message}", f.display()),
            None => message.clone(),
        };
        let err = PyErr::new::<E, _>(text);
        let value = err.value(py);
        // Setting attributes on a fresh exception instance cannot fail (it has a __dict__).
        let _ = value.setattr("message", &message);
        let _ = value.setattr("file", at.file.as_ref().map(|f| f.to_string_lossy().into_owned()));
        let _ = value.setattr("offset", at.offset);
        let _ = value.setattr("line", at.line_col.map(|(l, _)| l));
        let _ = value.setattr("col", at.line_col.map(|(_, c)| c));
        err
    })
}

/// An I/O failure on `path`.
pub fn io(path: &Path, action: &str, e: &std::io::Error) -> PyErr {
    raise::<IoError>(format!("{action}: {e}"), Where::file(Some(path)))
}

/// A failed atomic write or backup.
pub fn fs(e: groovekit_core::fs::FsError) -> PyErr {
    let path = e.path.clone();
    raise::<IoError>(format!("{} {}: {}", e.action, path.display(), e.source), Where::file(Some(&path)))
}

/// Reads a whole file, or raises `IoError` naming it.
pub fn read(path: &Path) -> PyResult<Vec<u8>> {
    std::fs::read(path).map_err(|e| io(path, "cannot read the file", &e))
}

/// Writes `bytes` to `path` through `groovekit_core::fs` (temp file + rename); with `backup`,
/// an existing file is first copied to `NAME.bak` (returned).
pub fn save(path: &Path, bytes: &[u8], backup: bool) -> PyResult<Option<PathBuf>> {
    let copy = if backup && path.exists() { Some(groovekit_core::fs::backup(path).map_err(fs)?) } else { None };
    groovekit_core::fs::write_atomic(path, bytes).map_err(fs)?;
    Ok(copy)
}

/// Adds the exception classes to the module, with class-level defaults for the attributes so
/// that an `Error` raised from Python code has them too.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let base = Error::type_object(py);
    for attr in ["message", "file", "offset", "line", "col"] {
        base.setattr(attr, py.None())?;
    }
    let validation = ValidationError::type_object(py);
    validation.setattr("diagnostics", pyo3::types::PyList::empty(py))?;
    // A ValidationError is a bad value, so it is a ValueError too (`except ValueError` catches an
    // out-of-range number, issue 23). `create_exception!` takes one base; a heap type's bases can
    // be set after, and Error and ValueError share the BaseException layout.
    validation.setattr("__bases__", (base.clone(), pyo3::exceptions::PyValueError::type_object(py)))?;
    m.add("Error", base)?;
    m.add("FormatError", FormatError::type_object(py))?;
    m.add("ValidationError", ValidationError::type_object(py))?;
    m.add("IoError", IoError::type_object(py))?;
    Ok(())
}
