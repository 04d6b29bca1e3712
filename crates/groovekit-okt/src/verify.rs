//! Checks of Oktalyzer modules (`groovekit verify`), returning `groovekit_core::report`
//! findings, here so that the CLI and the Python package run the same checks. Every finding has
//! its place: the byte offset in the file, and in the message the order position, pattern, row
//! and channel (numbered as Oktalyzer shows them: docs/oktalyzer.md "Numbering").
//!
//! - [`verify`]: one module: what the loader tolerated (grouped, with a count), order positions
//!   without a pattern, cells players ignore or refuse, 7-bit samples with 8-bit data.
//! - [`diagnose`]: for a file that is not a module but looks like one (named `.okt*`, or with
//!   Oktalyzer chunk ids where a module has them), why it is not read.

use std::path::Path;

use groovekit_core::report::{Problem, Report};

use crate::model::{LoadError, Module, group_warnings};
use crate::ops::sample_label;
use crate::raw::{self, RawChunk, RawFile};

/// The report kind of a module.
pub const KIND: &str = crate::human::KIND;

/// The chunk ids Oktalyzer writes.
pub const CHUNK_IDS: [&[u8; 4]; 8] = [b"CMOD", b"SAMP", b"SPEE", b"SLEN", b"PLEN", b"PATT", b"PBOD", b"SBOD"];

/// Where the chunks of a module are, for the byte offsets of findings.
struct Places<'a> {
    file: &'a RawFile,
}

impl Places<'_> {
    fn chunks<'b>(&'b self, id: &'b [u8; 4]) -> impl Iterator<Item = &'b RawChunk> + 'b {
        self.file.chunks.iter().filter(move |c| &c.id == id)
    }

    /// The offset of entry `k` of the order list (the first PATT chunk's data).
    fn order(&self, k: usize) -> Option<u64> {
        self.chunks(b"PATT").next().map(|c| (c.offset + 8 + k) as u64)
    }

    /// The offset of a cell: the `pattern`-th PBOD, after its row count.
    fn cell(&self, pattern: usize, row: usize, channel: usize, channels: usize) -> Option<u64> {
        self.chunks(b"PBOD").nth(pattern).map(|c| (c.offset + 8 + 2 + (row * channels + channel) * 4) as u64)
    }

    /// The offset of byte `at` of sample `k`'s data: SBOD n belongs to the n-th sample whose
    /// header length is not zero (reference §1.5).
    fn sample_byte(&self, m: &Module, k: usize, at: usize) -> Option<u64> {
        let n = m.samples.iter().take(k).filter(|s| s.length != 0).count();
        self.chunks(b"SBOD").nth(n).map(|c| (c.offset + 8 + at) as u64)
    }
}

/// The first chunk whose id is not one Oktalyzer writes: a damaged id is the likeliest reason a
/// chunk the module needs is missing.
fn first_foreign_chunk(file: &RawFile) -> Option<&RawChunk> {
    file.chunks.iter().find(|c| !CHUNK_IDS.contains(&&c.id))
}

/// The finding for a module that cannot be loaded, at the byte it concerns.
pub fn load_problem(path: &Path, bytes: &[u8], e: &LoadError) -> Problem {
    match e {
        LoadError::Raw(_) => Problem::at(path, 0, e.to_string()),
        LoadError::NoChannels { offset: Some(o) } => Problem::at(path, *o as u64, e.to_string()),
        LoadError::NoChannels { offset: None } => {
            let foreign = raw::split(bytes).ok().and_then(|f| first_foreign_chunk(&f).cloned());
            match foreign {
                Some(c) => Problem::at(
                    path,
                    c.offset as u64,
                    format!(
                        "{e}; the chunk at byte {} has the id '{}', which Oktalyzer does not write (a damaged CMOD?)",
                        c.offset,
                        c.id_text()
                    ),
                ),
                None => Problem::at(path, 8, e.to_string()),
            }
        }
    }
}

/// Checks one module (`bytes`, the whole file at `path`). A file that cannot be loaded is one
/// problem at its offset; otherwise the module is counted as checked.
pub fn verify(path: &Path, bytes: &[u8]) -> Report {
    let mut report = Report::default();
    let (m, warnings) = match Module::load(bytes) {
        Ok(x) => x,
        Err(e) => {
            report.problems.push(load_problem(path, bytes, &e));
            return report;
        }
    };
    let Ok(file) = raw::split(bytes) else { return report }; // loaded, so the magic is there
    let places = Places { file: &file };
    report.checked.push((path.to_path_buf(), KIND.to_string()));
    // Identical warnings once, with a count and the range of offsets (a megabyte of zeros
    // appended is 131 072 empty chunks: one line, not 131 072).
    for w in group_warnings(&warnings) {
        let message = match w.count {
            1 => w.message,
            n => format!("{} ({n} times, up to byte {})", w.message, w.last_offset),
        };
        report.warnings.push(Problem::at(path, w.offset as u64, message));
    }
    for (k, &o) in m.song_order().iter().enumerate() {
        if usize::from(o) >= m.patterns.len() {
            let message =
                format!("order position {k} refers to pattern {o}, which does not exist; the position is skipped");
            report.problems.push(Problem { path: path.to_path_buf(), offset: places.order(k), message, fixed: false });
        }
    }
    // Cells: one problem per kind, at the first place, counting the rest.
    let channels = m.channels();
    type Place = (usize, usize, usize);
    let mut found: [(usize, Option<Place>); 3] = [(0, None); 3];
    for (pi, p) in m.patterns.iter().enumerate() {
        // Rows beyond the stored bytes are empty: no need to look at them.
        let present = p.data.len().div_ceil(channels * 4).min(usize::from(p.rows));
        for r in 0..present {
            for c in 0..channels {
                let cell = p.cell(r, c, channels);
                let kinds = [
                    cell.effect >= 32,
                    cell.note > 36,
                    cell.note != 0 && usize::from(cell.instrument) >= m.samples.len(),
                ];
                for (slot, hit) in found.iter_mut().zip(kinds) {
                    if hit {
                        slot.0 += 1;
                        slot.1.get_or_insert((pi, r, c));
                    }
                }
            }
        }
    }
    let texts = [
        ("has an effect byte of 32 or more", "libxmp refuses the whole module"),
        ("has a note above 36 (B-3)", "players ignore such notes"),
        ("uses an instrument beyond the sample table", "such notes are ignored"),
    ];
    for ((n, first), (what, consequence)) in found.into_iter().zip(texts) {
        if let Some((p, r, c)) = first {
            let more = match n {
                1 => String::new(),
                2 => " (and 1 more cell)".into(),
                n => format!(" (and {} more cells)", n - 1),
            };
            report.problems.push(Problem {
                path: path.to_path_buf(),
                offset: places.cell(p, r, c, channels),
                message: format!("pattern {p} row {r} channel {}{more} {what}; {consequence}", c + 1),
                fixed: false,
            });
        }
    }
    for (k, s) in m.samples.iter().enumerate() {
        let data = s.usable();
        let bad = || data.iter().enumerate().filter(|(_, b)| !(-64..=63).contains(&(**b as i8)));
        if s.mode != 1
            && let Some((first, _)) = bad().next()
        {
            report.warnings.push(Problem {
                path: path.to_path_buf(),
                offset: places.sample_byte(&m, k, first),
                message: format!(
                    "sample {} is 7-bit (mode {}) but holds {} bytes outside -64..63 (the first at byte {first} of its data)",
                    sample_label(k),
                    s.mode,
                    bad().count()
                ),
                fixed: false,
            });
        }
    }
    report
}

/// Why a file that is not read as a module looks like a damaged one: named `.okt`, `.okta` or
/// `.okt2`, or holding a chunk id Oktalyzer writes at byte 8 (where CMOD follows the magic), or
/// starting with `OKTA`. `None` for a loadable magic or a file that suggests nothing.
pub fn diagnose(path: &Path, bytes: &[u8]) -> Option<Problem> {
    if raw::has_magic(bytes) {
        return None;
    }
    let named = path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        let e = e.to_ascii_lowercase();
        e == "okt" || e == "okta" || e == "okt2"
    });
    let chunk_at_8 = bytes.get(8..12).is_some_and(|id| CHUNK_IDS.iter().any(|c| c.as_slice() == id));
    if !(named || chunk_at_8 || bytes.starts_with(b"OKTA")) {
        return None;
    }
    let head = bytes.get(..bytes.len().min(8)).unwrap_or_default();
    let found: String = head
        .iter()
        .map(|&b| if (0x20..0x7f).contains(&b) { (b as char).to_string() } else { format!("\\x{b:02x}") })
        .collect();
    let mut message = if bytes.is_empty() {
        "not an Oktalyzer module: the file is empty".to_string()
    } else {
        format!("not an Oktalyzer module: no OKTASONG magic at byte 0 (found \"{found}\", {} bytes)", bytes.len())
    };
    if chunk_at_8 {
        message.push_str(
            "; its chunks follow as in a module, so only the magic looks damaged: writing OKTASONG over the first 8 bytes may repair it",
        );
    }
    Some(Problem::at(path, 0, message))
}

#[cfg(test)]
#[path = "verify_tests.rs"]
mod tests;
