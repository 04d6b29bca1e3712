//! `groovekit verify` on OP-Z files, as [`groovekit_core::report::Report`] findings, so the CLI and
//! the Python package share one check.
//!
//! - A project is checked with [`crate::ops::check_project`] (errors are problems, unusual values
//!   the device tolerates are warnings).
//! - A 0-byte `project.opz` in a `bounceNN` folder is a **note**: the device leaves one in every
//!   unused bounce folder (the fixture disk's `bounces/bounce02/project.opz`), so it is not a
//!   problem. Any other empty or wrongly sized project is a problem.
//! - A sample pack is checked for what the OP-Z plays: mono 16-bit 44.1 kHz audio, readable `op-1`
//!   JSON, and slices inside the audio (the device-written fixture kit points past its last frame,
//!   so that is a warning).

use std::path::Path;

use groovekit_core::report::{Problem, Report};

use crate::kit::{self, Kit};
use crate::model::Project;
use crate::{OpzError, ops};

/// Whether `path` is the empty project the device leaves in an unused bounce folder:
/// 0 bytes, named `project.opz`, in a folder whose name starts with `bounce`.
pub fn is_empty_bounce(path: &Path, bytes: &[u8]) -> bool {
    bytes.is_empty()
        && path.file_name().is_some_and(|n| n.eq_ignore_ascii_case("project.opz"))
        && path
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|d| d.to_string_lossy().to_ascii_lowercase().starts_with("bounce"))
}

/// The report kind of the device's own settings files (`config/general.json`, `midi.json`,
/// `dmx.json` on the OP-Z disk).
pub const CONFIG_KIND: &str = "opz-config";

/// Whether `path` is one of the OP-Z's configuration files: a `.json` file in a folder named
/// `config` whose content starts (after white space) with `{`. The fixture disk
/// (`opz/error-garden/config/`) holds `general.json`, `midi.json` and `dmx.json`; the name is
/// not checked further, as firmware updates add files there.
pub fn is_config(path: &Path, bytes: &[u8]) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"))
        && path.parent().and_then(Path::file_name).is_some_and(|d| d.eq_ignore_ascii_case("config"))
        && bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
}

/// Checks an OP-Z configuration file: it must be a JSON object (the device ignores a file it
/// cannot parse and falls back to its defaults). A syntax error is a problem with its line and
/// column.
pub fn verify_config(path: &Path, bytes: &[u8]) -> Report {
    let mut report = Report::default();
    report.checked.push((path.to_path_buf(), CONFIG_KIND.to_string()));
    match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(serde_json::Value::Object(_)) => {}
        Ok(_) => report.problems.push(Problem::new(path, "an OP-Z configuration file must hold a JSON object")),
        Err(e) => report.problems.push(Problem::new(
            path,
            format!(
                "OP-Z configuration is not valid JSON at line {} column {}: {e}; the device falls back to its defaults",
                e.line(),
                e.column()
            ),
        )),
    }
    report
}

/// The byte offset an error points at, when it has one.
fn error_offset(e: &OpzError) -> Option<u64> {
    match e {
        OpzError::Aiff { offset, .. } => Some(*offset),
        _ => None,
    }
}

/// Checks a project file (see the module documentation).
pub fn verify_project(path: &Path, bytes: &[u8]) -> Report {
    let mut report = Report::default();
    report.checked.push((path.to_path_buf(), "opz-project".into()));
    if is_empty_bounce(path, bytes) {
        report.notes.push(Problem::new(
            path,
            "empty (0 bytes): the OP-Z leaves an empty project.opz in every unused bounce folder; nothing to check",
        ));
        return report;
    }
    match Project::parse(bytes) {
        Err(e) => report.problems.push(Problem {
            path: path.to_path_buf(),
            offset: None,
            message: e.to_string(),
            fixed: false,
        }),
        Ok(p) => {
            for f in ops::check_project(&p) {
                let item = Problem::at(path, f.offset as u64, f.message);
                if f.error { report.problems.push(item) } else { report.warnings.push(item) }
            }
        }
    }
    report
}

/// Checks a sample pack (see the module documentation).
pub fn verify_kit(path: &Path, bytes: &[u8]) -> Report {
    let mut report = Report::default();
    report.checked.push((path.to_path_buf(), "opz-kit".into()));
    let problem = |e: OpzError| Problem {
        path: path.to_path_buf(),
        offset: error_offset(&e),
        message: e.to_string(),
        fixed: false,
    };
    let k = match Kit::parse(bytes) {
        Ok(k) => k,
        Err(e) => {
            report.problems.push(problem(e));
            return report;
        }
    };
    let (f, slices) = match (k.aiff.format(), k.slices()) {
        (Ok(f), Ok(s)) => (f, s),
        (Err(e), _) | (_, Err(e)) => {
            report.problems.push(problem(e));
            return report;
        }
    };
    if f.channels != 1 || f.bits != 16 || f.rate != f64::from(kit::KIT_RATE) {
        report.warnings.push(Problem::new(
            path,
            format!("{} ch {}-bit {} Hz; the OP-Z expects mono 16-bit 44.1 kHz", f.channels, f.bits, f.rate),
        ));
    }
    for (i, s) in slices.iter().enumerate() {
        if s.end_frame() > u64::from(f.frames) {
            report.warnings.push(Problem::new(
                path,
                format!("slice {} ends at frame {}, past the {} frames of audio", i + 1, s.end_frame(), f.frames),
            ));
        }
    }
    report
}

/// Checks an OP-Z file of either kind: a sample pack when the bytes look like one
/// ([`kit::looks_like_kit`]), else a project.
pub fn verify_file(path: &Path, bytes: &[u8]) -> Report {
    if is_config(path, bytes) {
        verify_config(path, bytes)
    } else if kit::looks_like_kit(bytes) {
        verify_kit(path, bytes)
    } else {
        verify_project(path, bytes)
    }
}

#[cfg(test)]
#[path = "verify_tests.rs"]
mod tests;
