//! The readable document (`kind: oktalyzer-module`) that `groovekit dump` writes and
//! `groovekit build` reads. Patterns are rows of text cells such as `C-2 1 V40`; sample data
//! stays out of the text (the caller stores it, normally as `<doc>.samples/NN.raw` files beside
//! the document) so that the document stays small and diffable. Building the document gives
//! back the module byte for byte.
//!
//! Cell syntax: `NOTE II EPP`, separated by ` | ` within a row:
//! - `NOTE`: `C-1`..`B-3`, `---` for none, `?NN` (hex) for a stored note above 36;
//! - `I`: the sample as Oktalyzer shows it: `0`-`9`, `A`-`Z` for samples 0..35 (its pattern
//!   editor draws the instrument byte through `alpha_numeric_table`; docs/oktalyzer.md
//!   "Numbering"), `#N` (decimal) for a stored byte beyond the sample table. Documents written
//!   before this (two hex digits, `01`) are still read;
//! - `EPP`: the effect as Oktalyzer shows it (`0`-`9`, `A`-`Z`) and the parameter in hex, or
//!   `xEEPP` (both hex) for an effect byte above 35.

use serde::{Deserialize, Serialize};

use crate::model::{Cell, Module, Pattern, Sample, Variant, effect_char, note_name, parse_note};
use crate::raw::RawChunk;

/// The value of the document's `kind` key.
pub const KIND: &str = "oktalyzer-module";

/// Where a block of bytes lives: in a file beside the document or inline as hex.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataRef {
    /// Number of bytes.
    pub bytes: usize,
    /// Path of a raw file, relative to the document's folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The bytes as hex, when they are kept inline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hex: Option<String>,
}

/// One sample header and where its data is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocSample {
    /// 0-based sample number (informational: samples are taken in document order).
    pub index: usize,
    /// The name (Latin-1, up to the first NUL).
    pub name: String,
    /// The 20 name bytes in hex, present only when `name` cannot reproduce them (garbage after
    /// the NUL, for example).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_hex: Option<String>,
    /// Length in bytes as stored in the header.
    pub length: u32,
    /// Repeat start in words.
    pub repeat_start: u16,
    /// Repeat length in words (0 = no loop).
    pub repeat_length: u16,
    /// Volume 0..64.
    pub volume: u16,
    /// 0 = 7-bit for paired channels, 1 = 8-bit for normal channels, 2 = 7-bit for both.
    pub mode: u16,
    /// The SBOD data, absent when the file has none for this sample.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<DataRef>,
}

/// One pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocPattern {
    /// Row count as stored.
    pub rows: u16,
    /// One line per row, cells separated by ` | ` (only the rows that have stored bytes when
    /// `stored_bytes` says the pattern is truncated).
    pub cells: Vec<String>,
    /// The number of cell bytes stored, when it is not rows × channels × 4 (a truncated file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stored_bytes: Option<usize>,
    /// Bytes stored after the last row, in hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tail_hex: Option<String>,
}

/// A chunk that is not part of the module (junk, duplicates), kept verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocChunk {
    /// The 4 id bytes in hex.
    pub id_hex: String,
    /// The size field as stored (can exceed the data present).
    pub declared_size: u32,
    /// The data present in the file.
    pub data: DataRef,
}

/// The whole document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Doc {
    /// Always [`KIND`].
    pub kind: String,
    /// `OKTASONG` or `OKTASNG2`.
    pub magic: String,
    /// CMOD: per Paula channel, 0 = normal, 1 = split into two voices.
    pub channel_flags: [u16; 4],
    /// Initial speed in ticks per row.
    pub speed: u16,
    /// SLEN as stored.
    pub pattern_count: u16,
    /// PLEN as stored.
    pub song_length: u16,
    /// The order list (the first `song_length` entries).
    pub order: Vec<u8>,
    /// The rest of the PATT table, when it is not all zero.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_unused: Option<Vec<u8>>,
    /// The PATT size, when it is not 128.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_table_size: Option<usize>,
    /// Sample headers in SAMP order.
    pub samples: Vec<DocSample>,
    /// SAMP bytes after the last whole header, in hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub samp_tail_hex: Option<String>,
    /// Patterns in PBOD order.
    pub patterns: Vec<DocPattern>,
    /// SBODs beyond the number of non-empty samples.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_sbods: Vec<DataRef>,
    /// Chunks that are not part of the module.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_chunks: Vec<DocChunk>,
    /// Bytes after the last chunk, in hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trailing_hex: Option<String>,
}

/// Why a document could not become a module.
#[derive(Debug, thiserror::Error)]
pub enum HumanError {
    /// The document's syntax or shape.
    #[error(transparent)]
    Doc(#[from] groovekit_core::doc::DocError),
    /// A value that does not fit.
    #[error("{at}: {message}")]
    Invalid {
        /// Where in the document (for example `patterns[3].cells[12]`).
        at: String,
        /// What is wrong and what to write instead.
        message: String,
    },
    /// Sample data could not be stored or fetched.
    #[error("{at}: {message}")]
    Data {
        /// Which block.
        at: String,
        /// What failed.
        message: String,
    },
}

fn invalid(at: impl Into<String>, message: impl Into<String>) -> HumanError {
    HumanError::Invalid { at: at.into(), message: message.into() }
}

/// Lower-case hex of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Bytes from hex (whitespace ignored).
pub fn from_hex(s: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    digits.chunks_exact(2).map(|p| u8::from_str_radix(std::str::from_utf8(p).ok()?, 16).ok()).collect()
}

/// One cell as text: `C-2 1 V40` (note, sample as Oktalyzer shows it, effect and parameter).
pub fn cell_text(c: Cell) -> String {
    let fx = match effect_char(c.effect) {
        Some(e) => format!("{e}{:02X}", c.param),
        None => format!("x{:02X}{:02X}", c.effect, c.param),
    };
    format!("{} {} {fx}", note_name(c.note), crate::ops::sample_label(usize::from(c.instrument)))
}

/// The instrument byte from its text: a sample label `0`-`9`/`A`-`Z`, `#N` (decimal), or two hex
/// digits (documents written before labels).
fn parse_instrument(i: &str) -> Option<u8> {
    let b = i.as_bytes();
    match b {
        [c @ b'0'..=b'9'] => Some(c - b'0'),
        [c @ b'A'..=b'Z'] => Some(c - b'A' + 10),
        [b'#', ..] => i.get(1..)?.parse().ok(),
        [_, _] => u8::from_str_radix(i, 16).ok(),
        _ => None,
    }
}

/// Parses one cell's text.
pub fn parse_cell(s: &str) -> Result<Cell, String> {
    let mut it = s.split_whitespace();
    let (Some(n), Some(i), Some(e), None) = (it.next(), it.next(), it.next(), it.next()) else {
        return Err(format!("'{s}' is not a cell: write NOTE I EPP, for example 'C-2 1 V40' or '--- 0 000'"));
    };
    let note = parse_note(n).ok_or_else(|| format!("'{n}' is not a note: use C-1..B-3, --- or ?NN (hex, above 36)"))?;
    let instrument = parse_instrument(i)
        .ok_or_else(|| format!("'{i}' is not a sample: use 0-9 or A-Z as Oktalyzer shows them (or #N beyond Z)"))?;
    let (effect, param) = if let (Some(h), 5) = (e.strip_prefix('x'), e.len()) {
        let eff = u8::from_str_radix(h.get(..2).unwrap_or(""), 16).ok().filter(|&v| v > 35);
        let par = u8::from_str_radix(h.get(2..).unwrap_or(""), 16).ok();
        match (eff, par) {
            (Some(a), Some(b)) => (a, b),
            _ => return Err(format!("'{e}' is not an effect: xEEPP needs hex EE above 23 and hex PP")),
        }
    } else {
        let mut ch = e.chars();
        let c = ch.next().unwrap_or(' ');
        let eff = match c {
            '0'..='9' => c as u8 - b'0',
            'A'..='Z' => c as u8 - b'A' + 10,
            _ => return Err(format!("'{e}' is not an effect: use 0-9 or A-Z and a two-digit hex parameter")),
        };
        let par = u8::from_str_radix(ch.as_str(), 16)
            .ok()
            .filter(|_| ch.as_str().len() == 2)
            .ok_or_else(|| format!("'{e}': the effect parameter must be two hex digits"))?;
        (eff, par)
    };
    Ok(Cell { note, instrument, effect, param })
}

/// Keeps a block of data (label, bytes) and says where it went.
pub type StoreFn<'a> = dyn FnMut(&str, &[u8]) -> Result<DataRef, String> + 'a;
/// Fetches a block of data (location in the document, reference).
pub type LoadFn<'a> = dyn FnMut(&str, &DataRef) -> Result<Vec<u8>, String> + 'a;

/// Turns a module into a document; `store(label, bytes)` keeps each block of sample data
/// (label: `NN` for sample NN, `extra-NN` and `chunk-NN` for the rest) and says where.
pub fn to_doc(m: &Module, store: &mut StoreFn<'_>) -> Result<Doc, HumanError> {
    let channels = m.channels();
    let mut samples = Vec::with_capacity(m.samples.len());
    for (k, s) in m.samples.iter().enumerate() {
        let name = s.name_text();
        let name_hex = (encode_name(&name).as_ref() != Some(&s.name)).then(|| to_hex(&s.name));
        let data = match &s.data {
            Some(d) => Some(
                store(&format!("{k:02}"), d)
                    .map_err(|e| HumanError::Data { at: format!("samples[{k}]"), message: e })?,
            ),
            None => None,
        };
        samples.push(DocSample {
            index: k,
            name,
            name_hex,
            length: s.length,
            repeat_start: s.repeat_start,
            repeat_length: s.repeat_length,
            volume: s.volume,
            mode: s.mode,
            data,
        });
    }
    let patterns = m
        .patterns
        .iter()
        .map(|p| {
            let want = usize::from(p.rows) * channels * 4;
            // Only rows with stored bytes get a line: a truncated pattern declaring 65535 rows
            // must not turn a few bytes into a huge document (`stored_bytes` keeps the rest).
            let present = p.data.len().div_ceil(channels * 4).min(usize::from(p.rows));
            let cells = (0..present)
                .map(|r| (0..channels).map(|c| cell_text(p.cell(r, c, channels))).collect::<Vec<_>>().join(" | "))
                .collect();
            DocPattern {
                rows: p.rows,
                cells,
                stored_bytes: (p.data.len() != want).then_some(p.data.len()),
                tail_hex: p.data.get(want..).filter(|t| !t.is_empty()).map(to_hex),
            }
        })
        .collect();
    let song = m.song_order().len();
    let unused = m.order.get(song..).unwrap_or_default();
    let mut extra_sbods = Vec::new();
    for (k, d) in m.extra_sbods.iter().enumerate() {
        extra_sbods.push(
            store(&format!("extra-{k:02}"), d)
                .map_err(|e| HumanError::Data { at: format!("extra_sbods[{k}]"), message: e })?,
        );
    }
    let mut extra_chunks = Vec::new();
    for (k, c) in m.extra_chunks.iter().enumerate() {
        let data = store(&format!("chunk-{k:02}"), &c.data)
            .map_err(|e| HumanError::Data { at: format!("extra_chunks[{k}]"), message: e })?;
        extra_chunks.push(DocChunk { id_hex: to_hex(&c.id), declared_size: c.declared_size, data });
    }
    Ok(Doc {
        kind: KIND.into(),
        magic: match m.variant {
            Variant::Oktasong => "OKTASONG".into(),
            Variant::Oktasng2 => "OKTASNG2".into(),
        },
        channel_flags: m.channel_flags,
        speed: m.speed,
        pattern_count: m.pattern_count,
        song_length: m.song_length,
        order: m.song_order().to_vec(),
        order_unused: unused.iter().any(|&b| b != 0).then(|| unused.to_vec()),
        order_table_size: (m.order.len() != crate::model::ORDER_TABLE_SIZE).then_some(m.order.len()),
        samples,
        samp_tail_hex: (!m.samp_tail.is_empty()).then(|| to_hex(&m.samp_tail)),
        patterns,
        extra_sbods,
        extra_chunks,
        trailing_hex: (!m.trailing.is_empty()).then(|| to_hex(&m.trailing)),
    })
}

fn encode_name(name: &str) -> Option<[u8; 20]> {
    let mut out = [0u8; 20];
    for (n, ch) in name.chars().enumerate() {
        *out.get_mut(n)? = u8::try_from(u32::from(ch)).ok()?;
    }
    Some(out)
}

fn hex_field(at: &str, s: &str) -> Result<Vec<u8>, HumanError> {
    from_hex(s).ok_or_else(|| invalid(at, "not hex: write pairs of hex digits"))
}

/// Turns a document back into a module; `load(at, data)` fetches each block of sample data.
pub fn from_doc(doc: &Doc, load: &mut LoadFn<'_>) -> Result<Module, HumanError> {
    if doc.kind != KIND {
        return Err(invalid("kind", format!("expected '{KIND}', found '{}'", doc.kind)));
    }
    let variant = match doc.magic.as_str() {
        "OKTASONG" => Variant::Oktasong,
        "OKTASNG2" => Variant::Oktasng2,
        other => return Err(invalid("magic", format!("'{other}': use OKTASONG or OKTASNG2"))),
    };
    let mut fetch = |at: &str, r: &DataRef| -> Result<Vec<u8>, HumanError> {
        let d = load(at, r).map_err(|e| HumanError::Data { at: at.into(), message: e })?;
        if d.len() != r.bytes {
            return Err(HumanError::Data {
                at: at.into(),
                message: format!("the document says {} bytes but the data has {}", r.bytes, d.len()),
            });
        }
        Ok(d)
    };
    let mut m = Module {
        variant,
        channel_flags: doc.channel_flags,
        speed: doc.speed,
        pattern_count: doc.pattern_count,
        song_length: doc.song_length,
        ..Module::default()
    };
    let channels = m.channels();
    if doc.samples.len() > crate::model::MAX_SAMPLES {
        return Err(invalid("samples", format!("{} samples; an Oktalyzer module holds at most 36", doc.samples.len())));
    }
    for (k, s) in doc.samples.iter().enumerate() {
        let at = format!("samples[{k}]");
        let name = match &s.name_hex {
            Some(h) => {
                let b = hex_field(&format!("{at}.name_hex"), h)?;
                <[u8; 20]>::try_from(b.as_slice())
                    .map_err(|_| invalid(format!("{at}.name_hex"), "must be exactly 20 bytes (40 hex digits)"))?
            }
            None => encode_name(&s.name).ok_or_else(|| {
                invalid(format!("{at}.name"), "at most 20 characters, each Latin-1 (or give name_hex)")
            })?,
        };
        let data = match &s.data {
            Some(r) => Some(fetch(&format!("{at}.data"), r)?),
            None => None,
        };
        m.samples.push(Sample {
            name,
            length: s.length,
            repeat_start: s.repeat_start,
            repeat_length: s.repeat_length,
            volume: s.volume,
            mode: s.mode,
            data,
        });
    }
    if let Some(h) = &doc.samp_tail_hex {
        m.samp_tail = hex_field("samp_tail_hex", h)?;
    }
    let mut order = doc.order.clone();
    if let Some(u) = &doc.order_unused {
        order.extend_from_slice(u);
    }
    let size = doc.order_table_size.unwrap_or(crate::model::ORDER_TABLE_SIZE);
    if order.len() > size {
        return Err(invalid("order", format!("{} entries do not fit the {size}-byte PATT table", order.len())));
    }
    order.resize(size, 0);
    m.order = order;
    for (pi, p) in doc.patterns.iter().enumerate() {
        if p.cells.len() != usize::from(p.rows) && (p.stored_bytes.is_none() || p.cells.len() > usize::from(p.rows)) {
            return Err(invalid(
                format!("patterns[{pi}]"),
                format!("rows says {} but there are {} lines of cells", p.rows, p.cells.len()),
            ));
        }
        let mut data = Vec::with_capacity(usize::from(p.rows) * channels * 4);
        for (r, line) in p.cells.iter().enumerate() {
            let parts: Vec<&str> = line.split('|').collect();
            if parts.len() != channels {
                return Err(invalid(
                    format!("patterns[{pi}].cells[{r}]"),
                    format!("{} cells; this module has {channels} channels", parts.len()),
                ));
            }
            for (c, part) in parts.iter().enumerate() {
                let cell =
                    parse_cell(part.trim()).map_err(|e| invalid(format!("patterns[{pi}].cells[{r}][{c}]"), e))?;
                data.extend_from_slice(&cell.to_bytes());
            }
        }
        if let Some(n) = p.stored_bytes {
            data.resize(n.min(data.len()), 0);
        }
        if let Some(t) = &p.tail_hex {
            data.extend(hex_field(&format!("patterns[{pi}].tail_hex"), t)?);
        }
        m.patterns.push(Pattern { rows: p.rows, data });
    }
    for (k, r) in doc.extra_sbods.iter().enumerate() {
        m.extra_sbods.push(fetch(&format!("extra_sbods[{k}]"), r)?);
    }
    for (k, c) in doc.extra_chunks.iter().enumerate() {
        let id = hex_field(&format!("extra_chunks[{k}].id_hex"), &c.id_hex)?;
        let id = <[u8; 4]>::try_from(id.as_slice())
            .map_err(|_| invalid(format!("extra_chunks[{k}].id_hex"), "must be 4 bytes (8 hex digits)"))?;
        let data = fetch(&format!("extra_chunks[{k}].data"), &c.data)?;
        m.extra_chunks.push(RawChunk { offset: 0, id, declared_size: c.declared_size, data });
    }
    if let Some(h) = &doc.trailing_hex {
        m.trailing = hex_field("trailing_hex", h)?;
    }
    Ok(m)
}

/// Reads sample data kept inline as hex only (the `load` of a build from a document held in
/// memory, with no folder for `file` references to be read from).
pub fn load_inline(at: &str, r: &DataRef) -> Result<Vec<u8>, String> {
    match (&r.hex, &r.file) {
        (Some(h), _) => from_hex(h).ok_or_else(|| format!("{at}: hex data is not valid hex")),
        (None, Some(f)) => Err(format!(
            "{at}: the data is in the file `{f}`, and a document built from memory has no folder to read it from: dump with the data inline (no output file) or build from a file"
        )),
        (None, None) => Err(format!("{at}: neither `file` nor `hex` is given")),
    }
}

/// Stores data inline as hex (for documents printed to standard output).
pub fn store_inline(_label: &str, bytes: &[u8]) -> Result<DataRef, String> {
    Ok(DataRef { bytes: bytes.len(), file: None, hex: Some(to_hex(bytes)) })
}

#[cfg(test)]
#[path = "human_tests.rs"]
mod tests;
