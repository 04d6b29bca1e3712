//! What a check found: the [`Problem`] and [`Report`] types that every format's `verify` code
//! returns, so the CLI, the libraries and the Python package print and count them the same way.
//!
//! A report sorts findings by weight: `problems` fail a check (exit 1 in the CLI), `warnings` are
//! worth reading but do not fail it, `notes` are things known to be harmless (for example the
//! empty files a device itself leaves), and `unrecognised` lists the files a folder check could
//! not attribute to any format (they fail the check only when nothing at all was recognised).
//!
//! Repairs (`verify --fix`) are prepared, not written, while checking: each is a [`Repair`] in
//! the report, and [`Report::apply_repairs`] writes all of them in one transaction of the write
//! layer (`crate::fs`), with a backup of every file, so that a check of a whole folder repairs
//! every file or none (docs/safety.md).

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

/// A repair prepared by a check and not yet written: the new content of one file, and the finding
/// it repairs (a problem or a warning of the same report, equal to `finding`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// The file to rewrite.
    pub path: PathBuf,
    /// Its repaired content.
    pub bytes: Vec<u8>,
    /// The finding as it was pushed into the report; it is marked fixed once written.
    pub finding: Problem,
    /// What the repair does, in words ("checksum rewritten"), added to the finding's message.
    pub done: String,
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
    /// Repairs prepared and not yet written ([`Report::apply_repairs`] writes them).
    #[serde(skip)]
    pub repairs: Vec<Repair>,
}

impl Report {
    /// Adds another report's findings to this one.
    pub fn merge(&mut self, other: Report) {
        self.checked.extend(other.checked);
        self.problems.extend(other.problems);
        self.warnings.extend(other.warnings);
        self.notes.extend(other.notes);
        self.unrecognised.extend(other.unrecognised);
        self.repairs.extend(other.repairs);
    }

    /// Writes every prepared repair in one transaction (all files or none), each after a backup
    /// (`NAME.bak`), and marks the findings they repair as fixed, naming the backup. On failure
    /// nothing was changed: each finding says so and stays open, and the error is returned.
    /// Does nothing when there are no repairs; the repairs are consumed either way. Under a
    /// process-wide dry run (`crate::fs::set_process_defaults`) the repairs are only planned and
    /// the findings stay open, saying what would be done.
    pub fn apply_repairs(&mut self) -> Result<(), crate::fs::FsError> {
        let mut repairs = std::mem::take(&mut self.repairs);
        // One repair per file: a second one for the same file would be written over the first.
        let mut seen = std::collections::BTreeSet::new();
        repairs.retain(|r| seen.insert(r.path.clone()));
        if repairs.is_empty() {
            return Ok(());
        }
        let mut tx = crate::fs::Transaction::new().if_exists(crate::fs::IfExists::Backup);
        let result = repairs.iter().try_for_each(|r| tx.write(&r.path, &r.bytes)).and_then(|()| tx.commit());
        let outcome = match &result {
            Ok(done) => {
                let backup_of =
                    |r: &Repair| done.files.iter().find(|f| f.target == r.path).and_then(|f| f.backup.clone());
                repairs
                    .iter()
                    .map(|r| {
                        let backup = backup_of(r).map(|b| format!(" (backup: {})", b.display())).unwrap_or_default();
                        if done.dry_run {
                            (false, format!("; dry run, would be repaired: {}{backup}", r.done))
                        } else {
                            (true, format!("; repaired: {}{backup}", r.done))
                        }
                    })
                    .collect::<Vec<_>>()
            }
            Err(e) => repairs
                .iter()
                .map(|_| {
                    (
                        false,
                        format!("; could not repair it, nor the other files of this check (nothing was changed): {e}"),
                    )
                })
                .collect(),
        };
        for (r, (fixed, note)) in repairs.iter().zip(outcome) {
            let finding = self.problems.iter_mut().chain(self.warnings.iter_mut()).find(|p| **p == r.finding);
            if let Some(p) = finding {
                p.message.push_str(&note);
                p.fixed = fixed;
            }
        }
        result.map(|_| ())
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
