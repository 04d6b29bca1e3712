//! The readable document of a sample pack (`kind: opz-kit`): `groovekit dump KIT.aif` and
//! `groovekit build KIT.yaml -o KIT.aif`, byte for byte.
//!
//! The document holds the slices as a table (start and end positions, pitch, volume, playmode,
//! reverse; `slice` and `seconds` are for people and `build` ignores them), the other `op-1` JSON
//! keys under `op1`, and every chunk in file order. The audio (`SSND`) and any other chunk are
//! data blocks: written beside the document (`file`, relative to the document's folder) when
//! dumping to a file, or inline as hex otherwise, as `okt` dumps do with samples.
//!
//! Byte-exactness: the `op-1` JSON text is kept as stored (`op1_text`) only when it is not what
//! compact JSON of the values gives (spacing, key order, bytes after the object: teoperator and
//! device kits differ); `build` uses it while the values in the document still equal it, and
//! writes compact JSON once they are edited. `form_size` and `pad` appear only when they are
//! not what the chunks give.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::OpzError;
use crate::kit::{Aiff, Chunk, KIT_RATE, Kit, position_to_frame};

/// The `kind` of sample-pack documents.
pub const KIND: &str = "opz-kit";

/// The `op-1` keys that the slice table holds.
pub const SLICE_KEYS: [&str; 6] = ["start", "end", "pitch", "volume", "playmode", "reverse"];

/// A block of bytes: in a file beside the document, or inline as hex.
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

/// One drum slice (numbered from 1 as the device's keys F3 upwards).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocSlice {
    /// Slice number (for people; the order of the list is what counts).
    #[serde(default)]
    pub slice: usize,
    /// Start position (frame x 2 147 483 646 / 529 200).
    pub start: i64,
    /// End position.
    pub end: i64,
    /// Pitch (512 per semitone).
    pub pitch: i64,
    /// Volume (8192 = unity).
    pub volume: i64,
    /// Play mode.
    pub playmode: i64,
    /// Reverse.
    pub reverse: i64,
    /// Start and end in seconds at 44.1 kHz (for people; ignored by `build`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub seconds: String,
}

/// One AIFF chunk in file order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocChunk {
    /// Four-character ID.
    pub id: String,
    /// `true` for the `APPL` `op-1` chunk, which is built from `op1`, `slices` and `op1_text`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub op1: bool,
    /// The chunk's data (absent for the `op-1` chunk).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<DataRef>,
    /// The pad byte after odd-length data as hex, when it is not `00`; `""` when the file ends
    /// without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pad: Option<String>,
}

/// The audio format from `COMM`, for people (`build` takes `COMM` from its chunk).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocFormat {
    /// Channels.
    pub channels: u16,
    /// Bits per sample.
    pub bits: u16,
    /// Sample rate in Hz.
    pub rate: f64,
    /// Frames.
    pub frames: u32,
}

/// The whole document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KitDoc {
    /// Always [`KIND`].
    pub kind: String,
    /// `AIFF` or `AIFC`.
    pub form_type: String,
    /// The FORM size as stored, when it is not what the chunks add up to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form_size: Option<u32>,
    /// The audio format (ignored by `build`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<DocFormat>,
    /// The drum slices (empty when the pack has no slice arrays, or arrays that do not line up:
    /// those stay in `op1`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub slices: Vec<DocSlice>,
    /// The other keys of the `op-1` JSON.
    pub op1: Value,
    /// The `op-1` chunk's text after the signature, as stored, when it is not compact JSON of
    /// the values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub op1_text: Option<String>,
    /// The same as hex, when the stored bytes are not UTF-8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub op1_hex: Option<String>,
    /// Every chunk in file order.
    pub chunks: Vec<DocChunk>,
    /// Bytes after the last chunk, in hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trailing_hex: Option<String>,
}

/// Keeps a block of data (label, bytes) and says where.
pub type StoreFn<'a> = dyn FnMut(&str, &[u8]) -> Result<DataRef, String> + 'a;
/// Fetches a block of data (location in the document, reference).
pub type LoadFn<'a> = dyn FnMut(&str, &DataRef) -> Result<Vec<u8>, String> + 'a;

/// Hex, two digits a byte. (A table, not a `format!` per byte: a kit's audio is about a million
/// bytes, and the `opz_kit` fuzz target spent most of its 100 ms an input here.)
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)])); // ok: a nibble is < 16
        out.push(char::from(DIGITS[usize::from(b & 0x0F)])); // ok: a nibble is < 16
    }
    out
}

fn hex_digit(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Bytes from hex (whitespace ignored); `None` when it is not hex.
pub fn from_hex(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() / 2);
    let mut high: Option<u8> = None;
    for c in s.bytes().filter(|b| !b.is_ascii_whitespace()) {
        let d = hex_digit(c)?;
        match high.take() {
            Some(h) => out.push(h << 4 | d),
            None => high = Some(d),
        }
    }
    high.is_none().then_some(out)
}

/// Reads data kept inline as hex only (the `load` of a build from a document held in memory,
/// with no folder for `file` references to be read from).
pub fn load_inline(at: &str, r: &DataRef) -> Result<Vec<u8>, String> {
    match (&r.hex, &r.file) {
        (Some(h), _) => from_hex(h).ok_or_else(|| format!("{at}: hex data is not valid hex")),
        (None, Some(f)) => Err(format!(
            "{at}: the data is in the file `{f}`, and a document built from memory has no folder to read it from: dump with the data inline (no output file) or build from a file"
        )),
        (None, None) => Err(format!("{at}: neither `file` nor `hex` is given")),
    }
}

/// Keeps data inline as hex (the `store` of a dump to standard output).
pub fn store_inline(_label: &str, bytes: &[u8]) -> Result<DataRef, String> {
    Ok(DataRef { bytes: bytes.len(), file: None, hex: Some(to_hex(bytes)) })
}

fn doc_err(message: impl Into<String>) -> OpzError {
    OpzError::Document(message.into())
}

/// The integer arrays of the slice keys, when all six are there, of one length and integers.
fn slice_arrays(obj: &serde_json::Map<String, Value>) -> Option<Vec<Vec<i64>>> {
    let arrays: Vec<Vec<i64>> = SLICE_KEYS
        .iter()
        .map(|k| obj.get(*k)?.as_array()?.iter().map(Value::as_i64).collect::<Option<Vec<i64>>>())
        .collect::<Option<Vec<_>>>()?;
    let n = arrays.first()?.len();
    arrays.iter().all(|a| a.len() == n).then_some(arrays)
}

fn seconds(position: i64) -> f64 {
    position_to_frame(position.max(0) as u64) as f64 / f64::from(KIT_RATE)
}

/// The first JSON value in `bytes` (what [`Kit::json`] reads).
fn first_value(bytes: &[u8]) -> Option<Value> {
    serde_json::Deserializer::from_slice(bytes).into_iter::<Value>().next()?.ok()
}

/// Turns a pack into a document; `store(label, bytes)` keeps each data block (label
/// `NN-ID`, NN the chunk's position from 1) and says where.
pub fn to_doc(kit: &Kit, store: &mut StoreFn<'_>) -> Result<KitDoc, OpzError> {
    let json = kit.json()?;
    let mut op1 = json.clone();
    let mut slices = Vec::new();
    if let Some(obj) = op1.as_object_mut()
        && let Some(arrays) = slice_arrays(obj)
    {
        for k in SLICE_KEYS {
            obj.remove(k);
        }
        let col = |i: usize, j: usize| arrays.get(i).and_then(|a| a.get(j)).copied().unwrap_or(0);
        for j in 0..arrays.first().map_or(0, Vec::len) {
            let (start, end) = (col(0, j), col(1, j));
            slices.push(DocSlice {
                slice: j + 1,
                start,
                end,
                pitch: col(2, j),
                volume: col(3, j),
                playmode: col(4, j),
                reverse: col(5, j),
                seconds: format!("{:.4}-{:.4}", seconds(start), seconds(end)),
            });
        }
    }
    let stored = kit.json_bytes();
    let compact = serde_json::to_string(&json).map_err(|e| OpzError::KitJson(e.to_string()))?;
    let (op1_text, op1_hex) = if compact.as_bytes() == stored {
        (None, None)
    } else {
        match std::str::from_utf8(stored) {
            Ok(t) => (Some(t.to_string()), None),
            Err(_) => (None, Some(to_hex(stored))),
        }
    };
    let mut chunks = Vec::with_capacity(kit.aiff.chunks.len());
    let mut seen_op1 = false;
    for (i, c) in kit.aiff.chunks.iter().enumerate() {
        let id = String::from_utf8_lossy(&c.id).into_owned();
        let is_op1 = !seen_op1 && &c.id == b"APPL" && c.data.starts_with(b"op-1");
        seen_op1 |= is_op1;
        let pad = match (c.data.len() % 2 == 1, c.pad) {
            (true, Some(0)) | (false, None) => None,
            (_, Some(p)) => Some(format!("{p:02x}")),
            (true, None) => Some(String::new()),
        };
        let data = if is_op1 {
            None
        } else {
            Some(store(&format!("{:02}-{}", i + 1, id.trim()), &c.data).map_err(|e| doc_err(format!("{id}: {e}")))?)
        };
        chunks.push(DocChunk { id, op1: is_op1, data, pad });
    }
    let mut computed = kit.aiff.clone();
    computed.fix_form_size();
    let format = kit.aiff.format().ok().map(|f| DocFormat {
        channels: f.channels,
        bits: f.bits,
        rate: f.rate,
        frames: f.frames,
    });
    Ok(KitDoc {
        kind: KIND.into(),
        form_type: String::from_utf8_lossy(&kit.aiff.form_type).into_owned(),
        form_size: (computed.form_size != kit.aiff.form_size).then_some(kit.aiff.form_size),
        format,
        slices,
        op1,
        op1_text,
        op1_hex,
        chunks,
        trailing_hex: (!kit.aiff.trailing.is_empty()).then(|| to_hex(&kit.aiff.trailing)),
    })
}

fn four_cc(s: &str, at: &str) -> Result<[u8; 4], OpzError> {
    let b = s.as_bytes();
    <[u8; 4]>::try_from(b).map_err(|_| doc_err(format!("{at}: `{s}` is not a four-character ID")))
}

/// Builds the pack a document describes; `load(at, reference)` fetches each data block.
pub fn from_doc(doc: &KitDoc, load: &mut LoadFn<'_>) -> Result<Kit, OpzError> {
    if doc.kind != KIND {
        return Err(doc_err(format!("kind `{}` is not `{KIND}`", doc.kind)));
    }
    let form_type = four_cc(&doc.form_type, "form_type")?;
    if &form_type != b"AIFF" && &form_type != b"AIFC" {
        return Err(doc_err(format!("form_type `{}` is not AIFF or AIFC", doc.form_type)));
    }
    let mut value = doc.op1.clone();
    let obj = value.as_object_mut().ok_or_else(|| doc_err("`op1` must be a mapping (the op-1 JSON object)"))?;
    if !doc.slices.is_empty() {
        type Get = fn(&DocSlice) -> i64;
        let cols: [(&str, Get); 6] = [
            ("start", |s| s.start),
            ("end", |s| s.end),
            ("pitch", |s| s.pitch),
            ("volume", |s| s.volume),
            ("playmode", |s| s.playmode),
            ("reverse", |s| s.reverse),
        ];
        for (key, get) in cols {
            if obj.contains_key(key) {
                return Err(doc_err(format!("`op1` has `{key}` and so does the slice table: keep one")));
            }
            obj.insert(key.into(), Value::Array(doc.slices.iter().map(|s| Value::from(get(s))).collect()));
        }
    }
    let stored: Option<Vec<u8>> = match (&doc.op1_text, &doc.op1_hex) {
        (Some(t), _) => Some(t.as_bytes().to_vec()),
        (None, Some(h)) => Some(from_hex(h).ok_or_else(|| doc_err("`op1_hex` is not valid hex"))?),
        (None, None) => None,
    };
    // The stored text while it still says what the values say; compact JSON after an edit.
    let text = match stored {
        Some(s) if first_value(&s).as_ref() == Some(&value) => s,
        _ => serde_json::to_string(&value).map_err(|e| OpzError::KitJson(e.to_string()))?.into_bytes(),
    };
    let mut chunks = Vec::with_capacity(doc.chunks.len());
    for (i, c) in doc.chunks.iter().enumerate() {
        let at = format!("chunk {} ({})", i + 1, c.id);
        let id = four_cc(&c.id, &at)?;
        let data = if c.op1 {
            let mut d = b"op-1".to_vec();
            d.extend_from_slice(&text);
            d
        } else {
            let r = c.data.as_ref().ok_or_else(|| doc_err(format!("{at}: no `data`")))?;
            let d = load(&at, r).map_err(|e| doc_err(format!("{at}: {e}")))?;
            if d.len() != r.bytes {
                return Err(doc_err(format!("{at}: the document says {} bytes but the data has {}", r.bytes, d.len())));
            }
            d
        };
        let pad = match c.pad.as_deref() {
            None => (data.len() % 2 == 1).then_some(0),
            Some("") => None,
            Some(h) => Some(
                from_hex(h)
                    .and_then(|b| b.first().copied())
                    .ok_or_else(|| doc_err(format!("{at}: pad `{h}` is not a hex byte")))?,
            ),
        };
        chunks.push(Chunk { id, data, pad });
    }
    let trailing = match &doc.trailing_hex {
        Some(h) => from_hex(h).ok_or_else(|| doc_err("`trailing_hex` is not valid hex"))?,
        None => Vec::new(),
    };
    let mut aiff = Aiff { form_type, form_size: 0, chunks, trailing };
    aiff.fix_form_size();
    if let Some(n) = doc.form_size {
        aiff.form_size = n;
    }
    if !doc.chunks.iter().any(|c| c.op1) {
        return Err(doc_err("no chunk has `op1: true`: a sample pack needs its op-1 chunk"));
    }
    Ok(Kit { aiff })
}

/// The document as YAML or JSON text.
pub fn dump(kit: &Kit, syntax: groovekit_core::doc::Syntax, store: &mut StoreFn<'_>) -> Result<String, OpzError> {
    let doc = to_doc(kit, store)?;
    groovekit_core::doc::to_text(&doc, syntax).map_err(|e| doc_err(e.to_string()))
}

/// Parses a document (YAML or JSON) and builds the pack.
pub fn build(text: &str, load: &mut LoadFn<'_>) -> Result<Kit, OpzError> {
    let doc: KitDoc = groovekit_core::doc::from_text(text).map_err(|e| doc_err(e.to_string()))?;
    from_doc(&doc, load)
}

#[cfg(test)]
#[path = "kit_doc_tests.rs"]
mod tests;
