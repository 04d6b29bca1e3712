//! What a check found: the [`Problem`] and [`Report`] types that every format's `verify` code
//! returns, so the CLI, the libraries and the Python package print and count them the same way.
//!
//! A report sorts findings by weight: `problems` fail a check (exit 1 in the CLI), `warnings` are
//! worth reading but do not fail it, `notes` are things known to be harmless (for example the
//! empty files a device itself leaves), and `unrecognised` lists the files a folder check could
//! not attribute to any format (they fail the check only when nothing at all was recognised).

use std::path::{Path, PathBuf};

use serde::Serialize;

/// One finding about one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The file concerned.
    pub path: PathBuf,
    /// Byte offset, when the finding has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    /// What is wrong, and what to do.
    pub message: String,
    /// Whether a repair (`verify --fix`) fixed it.
    pub fixed: bool,
}

impl Problem {
    /// A finding without an offset.
    pub fn new(path: &Path, message: impl Into<String>) -> Self {
        Self { path: path.to_path_buf(), offset: None, message: message.into(), fixed: false }
    }

    /// A finding at byte `offset`.
    pub fn at(path: &Path, offset: u64, message: impl Into<String>) -> Self {
        Self { path: path.to_path_buf(), offset: Some(offset), message: message.into(), fixed: false }
    }

    /// `path[ @offset]: message`, the one-line form every command prints.
    pub fn line(&self) -> String {
        format!(
            "{}{}: {}",
            self.path.display(),
            self.offset.map(|o| format!(" @{o}")).unwrap_or_default(),
            self.message
        )
    }
}

/// Everything a check of files or folders found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Files checked, each with its document kind (`octatrack-bank`, `opz-project`, ...).
    pub checked: Vec<(PathBuf, String)>,
    /// Findings that fail the check (unless `fixed`).
    pub problems: Vec<Problem>,
    /// Findings worth reading that do not fail the check.
    pub warnings: Vec<Problem>,
    /// Things known to be harmless, reported so that nothing is hidden.
    pub notes: Vec<Problem>,
    /// Files of a folder that no format recognised, with the reason.
    pub unrecognised: Vec<Problem>,
}

impl Report {
    /// Adds another report's findings to this one.
    pub fn merge(&mut self, other: Report) {
        self.checked.extend(other.checked);
        self.problems.extend(other.problems);
        self.warnings.extend(other.warnings);
        self.notes.extend(other.notes);
        self.unrecognised.extend(other.unrecognised);
    }

    /// Problems not repaired.
    pub fn open_problems(&self) -> usize {
        self.problems.iter().filter(|p| !p.fixed).count()
    }

    /// Whether the check fails: an open problem, or nothing recognised at all.
    pub fn failed(&self) -> bool {
        self.open_problems() > 0 || self.checked.is_empty()
    }
}

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;
