//! The `ops` layer (see the crate documentation): comparing two modules.

use std::fmt;

use crate::human::cell_text;
use crate::model::{Module, Sample};

/// Where two modules differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// A header field: the magic, CMOD flags, speed, pattern count or song length.
    Header {
        /// The field as `groovekit inspect` names it.
        field: &'static str,
        /// The first module's value.
        a: String,
        /// The second module's value.
        b: String,
    },
    /// An entry of the order list (0-based position, as Oktalyzer shows it).
    Order {
        /// Position in the order list.
        position: usize,
        /// The pattern there in the first module, if the song is that long.
        a: Option<u8>,
        /// The pattern there in the second module.
        b: Option<u8>,
    },
    /// A sample header field or its data.
    Sample {
        /// The sample number (0-based, shown as Oktalyzer shows it: 0-9, A-Z).
        index: usize,
        /// What differs.
        what: String,
    },
    /// A pattern's row count, or a pattern present in one module only.
    Pattern {
        /// The pattern number.
        pattern: usize,
        /// What differs.
        what: String,
    },
    /// One cell.
    Cell {
        /// The pattern number.
        pattern: usize,
        /// The row (0-based).
        row: usize,
        /// The channel (0-based here; shown from 1 as Oktalyzer does).
        channel: usize,
        /// The first module's cell text (`C-2 1 V40`).
        a: String,
        /// The second module's.
        b: String,
    },
    /// Bytes kept beside the model: extra SBODs, unknown chunks, trailing bytes.
    Extra {
        /// What differs.
        what: String,
    },
}

/// A sample number as Oktalyzer shows it: one character 0-9, A-Z (its pattern editor and the
/// `AL_0-9/a-z Set Sample` key), or the number for slots beyond 36.
pub fn sample_label(index: usize) -> String {
    match index {
        0..=9 => char::from(b'0' + index as u8).to_string(),
        10..=35 => char::from(b'A' + (index - 10) as u8).to_string(),
        _ => format!("#{index}"),
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let opt = |p: &Option<u8>| p.map_or("(none)".to_string(), |p| p.to_string());
        match self {
            Self::Header { field, a, b } => write!(f, "{field}: {a} -> {b}"),
            Self::Order { position, a, b } => write!(f, "order position {position}: pattern {} -> {}", opt(a), opt(b)),
            Self::Sample { index, what } => write!(f, "sample {}: {what}", sample_label(*index)),
            Self::Pattern { pattern, what } => write!(f, "pattern {pattern}: {what}"),
            Self::Cell { pattern, row, channel, a, b } => {
                write!(f, "pattern {pattern} row {row} channel {}: {a} -> {b}", channel + 1)
            }
            Self::Extra { what } => f.write_str(what),
        }
    }
}

/// Every difference between `a` and `b`: header, order list, samples (headers and data),
/// patterns row by row and cell by cell, and the bytes kept beside the model. Empty when the
/// modules would be written identically.
pub fn diff(a: &Module, b: &Module) -> Vec<Difference> {
    let mut out = Vec::new();
    let mut header = |field: &'static str, x: String, y: String| {
        if x != y {
            out.push(Difference::Header { field, a: x, b: y });
        }
    };
    header("magic", format!("{:?}", a.variant), format!("{:?}", b.variant));
    header("channel flags (CMOD)", format!("{:?}", a.channel_flags), format!("{:?}", b.channel_flags));
    header("speed (SPEE)", a.speed.to_string(), b.speed.to_string());
    header("pattern count (SLEN)", a.pattern_count.to_string(), b.pattern_count.to_string());
    header("song length (PLEN)", a.song_length.to_string(), b.song_length.to_string());
    let (oa, ob) = (a.song_order(), b.song_order());
    for position in 0..oa.len().max(ob.len()) {
        let (x, y) = (oa.get(position).copied(), ob.get(position).copied());
        if x != y {
            out.push(Difference::Order { position, a: x, b: y });
        }
    }
    let unused = |m: &Module| m.order.get(m.song_order().len()..).map(<[u8]>::to_vec).unwrap_or_default();
    if unused(a) != unused(b) {
        out.push(Difference::Extra { what: "the unused part of the order table (PATT) differs".into() });
    }
    let empty = Sample::default();
    for index in 0..a.samples.len().max(b.samples.len()) {
        let (x, y) = (a.samples.get(index).unwrap_or(&empty), b.samples.get(index).unwrap_or(&empty));
        sample_diff(index, x, y, &mut out);
    }
    if a.samp_tail != b.samp_tail {
        out.push(Difference::Extra { what: "the bytes after the 36th sample header differ".into() });
    }
    for pattern in 0..a.patterns.len().max(b.patterns.len()) {
        match (a.patterns.get(pattern), b.patterns.get(pattern)) {
            (Some(_), None) => out.push(Difference::Pattern { pattern, what: "only in the first module".into() }),
            (None, Some(_)) => out.push(Difference::Pattern { pattern, what: "only in the second module".into() }),
            (Some(pa), Some(pb)) => {
                if pa.rows != pb.rows {
                    out.push(Difference::Pattern { pattern, what: format!("rows {} -> {}", pa.rows, pb.rows) });
                }
                let (ca, cb) = (a.channels(), b.channels());
                for row in 0..usize::from(pa.rows.max(pb.rows)) {
                    for channel in 0..ca.max(cb) {
                        let cell = |p: &crate::model::Pattern, c: usize| {
                            (row < usize::from(p.rows) && channel < c).then(|| cell_text(p.cell(row, channel, c)))
                        };
                        let (x, y) = (cell(pa, ca), cell(pb, cb));
                        if x != y {
                            let none = || "(none)".to_string();
                            out.push(Difference::Cell {
                                pattern,
                                row,
                                channel,
                                a: x.unwrap_or_else(none),
                                b: y.unwrap_or_else(none),
                            });
                        }
                    }
                }
                if pa.data.len() != pb.data.len() && pa.rows == pb.rows {
                    out.push(Difference::Pattern {
                        pattern,
                        what: format!("{} stored bytes -> {}", pa.data.len(), pb.data.len()),
                    });
                }
            }
            (None, None) => {}
        }
    }
    if a.extra_sbods != b.extra_sbods {
        out.push(Difference::Extra {
            what: format!("extra SBOD chunks: {} -> {}", a.extra_sbods.len(), b.extra_sbods.len()),
        });
    }
    if a.extra_chunks != b.extra_chunks {
        out.push(Difference::Extra {
            what: format!("unknown chunks: {} -> {}", a.extra_chunks.len(), b.extra_chunks.len()),
        });
    }
    if a.trailing != b.trailing {
        out.push(Difference::Extra { what: format!("trailing bytes: {} -> {}", a.trailing.len(), b.trailing.len()) });
    }
    out
}

fn sample_diff(index: usize, x: &Sample, y: &Sample, out: &mut Vec<Difference>) {
    let mut push = |what: String| out.push(Difference::Sample { index, what });
    if x.name != y.name {
        push(format!("name {:?} -> {:?}", x.name_text(), y.name_text()));
    }
    let fields = [
        ("length", x.length, y.length),
        ("repeat start (words)", u32::from(x.repeat_start), u32::from(y.repeat_start)),
        ("repeat length (words)", u32::from(x.repeat_length), u32::from(y.repeat_length)),
        ("volume", u32::from(x.volume), u32::from(y.volume)),
        ("mode", u32::from(x.mode), u32::from(y.mode)),
    ];
    for (name, a, b) in fields {
        if a != b {
            push(format!("{name} {a} -> {b}"));
        }
    }
    let (da, db) = (x.data.as_deref().unwrap_or_default(), y.data.as_deref().unwrap_or_default());
    if da != db {
        let differing = da.iter().zip(db).filter(|(p, q)| p != q).count() + da.len().abs_diff(db.len());
        let first = da.iter().zip(db).position(|(p, q)| p != q).unwrap_or(da.len().min(db.len()));
        push(format!(
            "data differ in {differing} byte{} (first at byte {first}; {} -> {} bytes stored)",
            if differing == 1 { "" } else { "s" },
            da.len(),
            db.len()
        ));
    }
}

#[cfg(test)]
#[path = "ops_tests.rs"]
mod tests;
