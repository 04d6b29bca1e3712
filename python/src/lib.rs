//! The `groovekit` Python package's native module (`groovekit._groovekit`). Thin: every call
//! goes to the groovekit crates; this crate only converts arguments, results and errors.

use pyo3::prelude::*;

mod errors;
mod generic;
mod okt;
mod opz;
mod track;
mod util;

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
    Ok(())
}
