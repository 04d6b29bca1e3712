//! The `groovekit` Python package's native module (`groovekit._groovekit`). Thin: every call
//! goes to the groovekit crates; this crate only converts arguments, results and errors.

use std::path::{Path, PathBuf};

use pyo3::prelude::*;

mod errors;
mod generic;
mod octatrack;
mod okt;
mod opz;
mod ot_ops;
mod ot_set;
mod track;
mod util;

/// Reads the file at `path` and parses its bytes with `parse`: a read failure is an IoError
/// naming the file, a parse failure what `to_err` makes of it (given the file). The one
/// file-reading and error-conversion path of every `open`/`load` of the submodules.
pub(crate) fn open_file<T, E>(
    path: &Path,
    parse: impl FnOnce(&[u8]) -> Result<T, E>,
    to_err: impl FnOnce(E, Option<&Path>) -> PyErr,
) -> PyResult<T> {
    let bytes = errors::read(path)?;
    parse(&bytes).map_err(|e| to_err(e, Some(path)))
}

/// Writes `bytes` atomically to `path`, or, without one, to `remembered` (where the object was
/// opened or last saved), which becomes the new place; `what` names the object in the error
/// when there is neither. With `backup`, an existing file is first copied to NAME.bak, whose path
/// is returned. The one save path of every `save` of the submodules.
pub(crate) fn save_file(
    path: Option<PathBuf>,
    remembered: &mut Option<PathBuf>,
    what: &str,
    bytes: &[u8],
    backup: bool,
) -> PyResult<Option<String>> {
    let Some(target) = path.or_else(|| remembered.clone()) else {
        return Err(errors::raise::<errors::ValidationError>(
            format!("the {what} was not opened from a file: give a path"),
            errors::Where::default(),
        ));
    };
    let copy = errors::save(&target, bytes, backup)?;
    *remembered = Some(target);
    Ok(copy.map(|p| p.to_string_lossy().into_owned()))
}

/// Adds submodule `name` to `parent`, registered in `sys.modules` as `groovekit._groovekit.NAME`.
fn submodule(
    parent: &Bound<'_, PyModule>,
    name: &str,
    doc: &str,
    register: fn(&Bound<'_, PyModule>) -> PyResult<()>,
) -> PyResult<()> {
    let py = parent.py();
    let m = PyModule::new(py, name)?;
    m.setattr("__doc__", doc)?;
    register(&m)?;
    parent.add_submodule(&m)?;
    py.import("sys")?.getattr("modules")?.set_item(format!("groovekit._groovekit.{name}"), &m)?;
    Ok(())
}

/// The native part of the `groovekit` package.
#[pymodule]
fn _groovekit(m: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::register(m)?;
    generic::register(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    submodule(m, "okt", "Amiga Oktalyzer modules.", okt::register)?;
    submodule(m, "track", ".track text-tracker songs.", track::register)?;
    submodule(m, "opz", "Teenage Engineering OP-Z projects and sample packs.", opz::register)?;
    submodule(m, "octatrack", "Elektron Octatrack projects: the typed model and the operations.", octatrack::register)?;
    Ok(())
}
