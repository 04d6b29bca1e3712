//! Elektron Octatrack files: banks, patterns, parts, arrangements, markers, sample settings
//! (`.ot`) and `project.work`.
//!
//! Layers, as in every groovekit format crate:
//! - [`raw`]: the byte or text layout (offsets, checksums, lossless read and write);
//! - [`model`]: typed, validated views over the raw layer;
//! - [`human`]: the readable YAML/JSON form used by `groovekit dump` and `groovekit build`;
//! - [`ops`]: edits and operations;
//! - [`timeline`]: what plays and when (patterns and arrangements as timed events).
//!
//! Only OS 1.40 files (bank datatype version 23) are read; older projects must be re-saved on
//! OS 1.40 first, and the error says so.

pub mod human;
pub mod midi;
pub mod model;
pub mod ops;
pub mod raw;
pub mod timeline;

pub use model::project_folder::Project;

/// How to recover a damaged file of `kind`: project files have a `.strd` twin (PROJECT > SAVE);
/// a sample's `.ot` has none, but the device or `groovekit ot` can write it again.
fn restore_hint(kind: &str) -> &'static str {
    if kind.contains(".ot") {
        "restore it from a backup, or load the sample again on the device (or write it with `groovekit ot`) to recreate it"
    } else {
        "restore it from the .strd copy or a backup"
    }
}

/// Bytes as quoted text: printable ASCII as is, anything else as `\xNN` (so a bad magic reads
/// `"FORM\x00\x00..."` rather than a list of numbers).
pub fn bytes_text(bytes: &[u8]) -> String {
    let mut out = String::from("\"");
    for &b in bytes {
        match b {
            b'"' | b'\\' => {
                out.push('\\');
                out.push(char::from(b));
            }
            0x20..=0x7E => out.push(char::from(b)),
            _ => out.push_str(&format!("\\x{b:02X}")),
        }
    }
    out.push('"');
    out
}

/// Everything that can be wrong with Octatrack data. Offsets are byte offsets into the file;
/// the CLI adds the file name.
#[derive(Debug, thiserror::Error)]
pub enum OtError {
    /// The file is shorter than its kind requires.
    #[error(
        "truncated {kind} file: {actual} bytes, expected {expected} (the file ends at byte {actual}; {})",
        restore_hint(kind)
    )]
    Truncated {
        /// File kind.
        kind: &'static str,
        /// Required size.
        expected: usize,
        /// Actual size.
        actual: usize,
    },
    /// The file is longer than its kind allows.
    #[error("oversized {kind} file: {actual} bytes, expected {expected} (unexpected data from byte {expected} on)")]
    Oversized {
        /// File kind.
        kind: &'static str,
        /// Required size.
        expected: usize,
        /// Actual size.
        actual: usize,
    },
    /// The magic at the start does not match the kind.
    #[error("not an Octatrack {kind} file: wrong magic at byte {offset} (found {})", bytes_text(found))]
    BadMagic {
        /// File kind.
        kind: &'static str,
        /// First differing byte.
        offset: usize,
        /// The first bytes found.
        found: Vec<u8>,
    },
    /// The datatype version is not the OS 1.40 one.
    #[error(
        "{kind} file has datatype version {found} at byte 21, expected {expected} (OS 1.40): open and re-save the project on an Octatrack running OS 1.40A/B/C, then try again"
    )]
    UnsupportedVersion {
        /// File kind.
        kind: &'static str,
        /// Version byte found.
        found: u8,
        /// Version expected.
        expected: u8,
    },
    /// A section header (`PTRN`, `TRAC`, `MTRA`, `PART`) is not where it must be.
    #[error(
        "{kind} file: missing `{header}` section header at byte {offset} (found {}); the file is corrupt, try the .strd copy",
        bytes_text(found)
    )]
    BadSection {
        /// File kind.
        kind: &'static str,
        /// The header expected.
        header: &'static str,
        /// Where it should start.
        offset: usize,
        /// What is there.
        found: Vec<u8>,
    },
    /// The stored checksum does not match the sum rule.
    #[error(
        "{kind} checksum mismatch at byte {offset}: stored 0x{stored:04X}, computed 0x{computed:04X} (`groovekit verify --fix` rewrites it after a backup)"
    )]
    Checksum {
        /// File kind.
        kind: &'static str,
        /// Offset of the checksum (len - 2).
        offset: usize,
        /// Stored value.
        stored: u16,
        /// Computed value.
        computed: u16,
    },
    /// A value is out of its range (reading a document or editing the model).
    #[error("{field}: {message}")]
    Invalid {
        /// Where (a path such as `pattern 3 track 2 step 5`).
        field: String,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// A text file (`project.work`) has a problem at a line and column.
    #[error("line {line}, column {column}: {message}")]
    Text {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A YAML/JSON document could not be read.
    #[error(transparent)]
    Doc(#[from] groovekit_core::doc::DocError),
    /// A file operation failed.
    #[error(transparent)]
    Fs(#[from] groovekit_core::fs::FsError),
}

#[cfg(test)]
#[path = "lib_tests.rs"]
mod tests;
