//! Format-independent functions of the top-level `groovekit` module.

use groovekit_core::doc::Syntax;
use pyo3::prelude::*;

use crate::errors::{ValidationError, Where, raise};

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
