//! Readable documents: the YAML and JSON that `groovekit dump` writes and `groovekit build` reads.
//!
//! Every document carries a top-level `kind` key (for example `kind: octatrack-bank`) so that
//! `build` can tell which format it describes without the file name. This module is the one place
//! that knows the YAML crate (serde-saphyr), so a future major version is a one-file change.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The text syntax of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// YAML (the default for dumps: readable and diffable).
    Yaml,
    /// JSON (for programs).
    Json,
}

impl Syntax {
    /// Guesses the syntax of a document from its text: JSON starts with `{` or `[`.
    pub fn sniff(text: &str) -> Syntax {
        match text.trim_start().as_bytes().first() {
            Some(b'{') | Some(b'[') => Syntax::Json,
            _ => Syntax::Yaml,
        }
    }
}

/// A document that could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum DocError {
    /// YAML syntax or shape error; the message carries line and column.
    #[error("YAML: {0}")]
    Yaml(String),
    /// JSON syntax or shape error, at a line and column.
    #[error("JSON: {message} at line {line} column {column}")]
    Json {
        /// What serde_json reported.
        message: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// Serialising failed (a model value that the format cannot represent).
    #[error("serialising: {0}")]
    Serialize(String),
}

/// The YAML node budget. The defaults of serde-saphyr (250 000 nodes) reject a full bank dump;
/// these limits admit the largest document groovekit writes with room to spare, while still
/// bounding memory on hostile input.
fn yaml_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_nodes: 4_000_000,
            max_events: 8_000_000,
            max_total_scalar_bytes: 256 * 1024 * 1024,
            max_depth: 128,
        },
    }
}

/// Serialises `value` as YAML.
pub fn to_yaml<T: Serialize>(value: &T) -> Result<String, DocError> {
    serde_saphyr::to_string(value).map_err(|e| DocError::Serialize(e.to_string()))
}

/// Serialises `value` as pretty JSON.
pub fn to_json<T: Serialize>(value: &T) -> Result<String, DocError> {
    serde_json::to_string_pretty(value).map_err(|e| DocError::Serialize(e.to_string()))
}

/// Serialises `value` in the given syntax.
pub fn to_text<T: Serialize>(value: &T, syntax: Syntax) -> Result<String, DocError> {
    match syntax {
        Syntax::Yaml => to_yaml(value),
        Syntax::Json => to_json(value),
    }
}

/// Parses YAML with groovekit's budget.
pub fn from_yaml<T: DeserializeOwned>(text: &str) -> Result<T, DocError> {
    serde_saphyr::from_str_with_options(text, yaml_options()).map_err(|e| DocError::Yaml(e.to_string()))
}

/// Parses JSON.
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, DocError> {
    serde_json::from_str(text).map_err(|e| DocError::Json {
        message: e.to_string(),
        line: e.line(),
        column: e.column(),
    })
}

/// Parses a document in whichever syntax its text is in.
pub fn from_text<T: DeserializeOwned>(text: &str) -> Result<T, DocError> {
    match Syntax::sniff(text) {
        Syntax::Yaml => from_yaml(text),
        Syntax::Json => from_json(text),
    }
}

/// The top-level `kind` key of a document, and nothing else (serde skips the other keys).
#[derive(serde::Deserialize)]
struct KindOnly {
    kind: Option<String>,
}

/// Finds the value of the top-level `kind` key by parsing the document, so any layout a tool may
/// write works: pretty or one-line JSON (Python's `json.dump`, `jq -c`), block or flow YAML, keys
/// in any order. For block YAML (what `groovekit dump` writes) a `kind: NAME` line at column 0 is
/// a top-level key by YAML's indentation rule, and is taken without parsing the whole document;
/// anything else is parsed. `None` when the text is not a mapping with a string `kind`.
pub fn peek_kind(text: &str) -> Option<String> {
    match Syntax::sniff(text) {
        // `{kind: x}` is flow YAML, not JSON: YAML reads what JSON refuses.
        Syntax::Json => match serde_json::from_str::<KindOnly>(text) {
            Ok(k) => k.kind,
            Err(_) => from_yaml::<KindOnly>(text).ok()?.kind,
        },
        Syntax::Yaml => {
            for line in text.lines() {
                if let Some(rest) = line.strip_prefix("kind:") {
                    let v = rest.split(" #").next().unwrap_or_default().trim();
                    let v = v.trim_matches(|c| c == '"' || c == '\'');
                    if !v.is_empty() {
                        return Some(v.to_string());
                    }
                }
            }
            from_yaml::<KindOnly>(text).ok()?.kind
        }
    }
}

#[cfg(test)]
#[path = "doc_tests.rs"]
mod tests;
