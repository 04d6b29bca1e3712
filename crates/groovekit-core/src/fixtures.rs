//! Locating the shared corpus of real device files for tests.
//!
//! Tests look at `$GROOVEKIT_FIXTURES`, then `<workspace>/../shared/fixtures`. When the corpus is
//! absent a test skips with a printed notice, except under `CI=true`, where that is a failure.

use std::path::{Path, PathBuf};

/// The fixture corpus folder, if it exists. `manifest_dir` is the calling crate's
/// `CARGO_MANIFEST_DIR` (the workspace is two levels above it).
pub fn fixtures_dir(manifest_dir: &str) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("GROOVEKIT_FIXTURES") {
        let p = PathBuf::from(p);
        return p.is_dir().then_some(p);
    }
    let p = Path::new(manifest_dir).join("../../../shared/fixtures");
    p.is_dir().then_some(p)
}

/// The fixture corpus for a test: `Some(dir)`, or `None` after printing a skip notice.
///
/// # Panics
/// Under `CI=true` when the corpus is missing: CI must never pass by skipping.
pub fn fixtures_or_skip(manifest_dir: &str, test: &str) -> Option<PathBuf> {
    match fixtures_dir(manifest_dir) {
        Some(dir) => Some(dir),
        None if std::env::var("CI").is_ok_and(|v| v == "true") => {
            let why =
                format!("{test}: fixture corpus not found (set GROOVEKIT_FIXTURES); CI=true makes this a failure");
            panic!("{why}") // ok: test support only; a missing corpus under CI must fail the run.
        }
        None => {
            eprintln!("SKIPPED {test}: fixture corpus not found (set GROOVEKIT_FIXTURES)");
            None
        }
    }
}

/// Every regular file below `dir` (recursively) whose name satisfies `keep`, sorted.
pub fn files_under(dir: &Path, keep: &dyn Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if keep(&p) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}
