//! The readable form of `project.work` (`kind: octatrack-project`), for `groovekit dump` and
//! `groovekit build`.
//!
//! Settings and states are maps by the file's own key names, in file order; `TEMPOx24` is shown
//! as `TEMPO` in BPM, and the eight `TRIG_MODE_MIDI` lines as one list. Sample slots are a list.
//! A value is a number when the file writes it as a plain integer, otherwise a string, so
//! `SLOT=001` and `-1` keep their spelling.
//!
//! When the file is laid out exactly as the device lays it out (every fixture is), the document
//! alone rebuilds it byte for byte. When it is not (other line endings, comments, unknown
//! sections, keys out of order, non-UTF-8 paths), `dump` adds `original_hex`, the original file,
//! and `build` starts from that file and applies the document's values through the model's
//! setters, so every value edited in the document still changes exactly its line.

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::OtError;
use crate::model::project::{Project, SampleSlot, SampleTiming, SlotType, canonical_text, parse_int};

/// The `kind` of project documents.
pub const KIND: &str = "octatrack-project";

/// One value: an integer when the file spells it as a plain integer, a float for the derived
/// `TEMPO`, a list for a repeated key, otherwise the text.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    /// A plain integer (`0`, `-1`, `2880`).
    Int(i64),
    /// A fractional number (only `TEMPO` when the tempo is not a whole BPM).
    Float(f64),
    /// Any other text, verbatim (`R0177     1.40B`, `001`).
    Text(String),
    /// The values of a repeated key, in file order (`TRIG_MODE_MIDI`).
    List(Vec<Value>),
}

// Written out rather than derived (`untagged`): the derived form buffers every value and tries
// each variant in turn, which made reading a project document several times slower.
impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Value;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an integer, a number, a string or a list of them")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Value, E> {
                Ok(Value::Int(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Value, E> {
                i64::try_from(v).map(Value::Int).map_err(|_| E::custom(format!("{v} is too large")))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
                Ok(Value::Float(v))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
                Ok(Value::Text(v.to_string()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Value, E> {
                Ok(Value::Text(v))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Value>()? {
                    items.push(item);
                }
                Ok(Value::List(items))
            }
        }
        deserializer.deserialize_any(V)
    }
}

impl Value {
    /// The document value of a file value.
    fn from_bytes(v: &[u8]) -> Value {
        match parse_int(v) {
            Some(i) if i.to_string().as_bytes() == v => Value::Int(i),
            _ => Value::Text(String::from_utf8_lossy(v).into_owned()),
        }
    }

    /// The file bytes of a scalar value.
    fn to_bytes(&self, field: &dyn Fn() -> String) -> Result<Vec<u8>, OtError> {
        match self {
            Value::Int(i) => Ok(i.to_string().into_bytes()),
            Value::Float(f) => Ok(format!("{f}").into_bytes()),
            Value::Text(t) => Ok(t.as_bytes().to_vec()),
            Value::List(_) => Err(OtError::Invalid {
                field: field(),
                message: "a list is only allowed as the value of a repeated key, and cannot nest".into(),
            }),
        }
    }
}

/// An ordered map (kept in file order; serialised as a YAML/JSON map).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Entries(pub Vec<(String, Value)>);

impl Serialize for Entries {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut m = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Entries;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map of KEY: value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                let mut out: Vec<(String, Value)> = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Value>()? {
                    if out.iter().any(|(kk, _)| *kk == k) {
                        return Err(serde::de::Error::custom(format!(
                            "key `{k}` appears twice (write the values of a repeated key as a list)"
                        )));
                    }
                    out.push((k, v));
                }
                Ok(Entries(out))
            }
        }
        deserializer.deserialize_map(V)
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// One sample slot in the document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SampleDoc {
    /// `flex` or `static`.
    #[serde(rename = "type")]
    pub slot_type: SlotType,
    /// Slot number: 1-128; Flex 129-136 are the recorder buffers.
    pub slot: u16,
    /// True when the file writes the slot without zero padding (`SLOT=1`, as some tools do);
    /// the device writes `SLOT=001`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub slot_unpadded: bool,
    /// Path relative to the project folder (empty for an unused recorder buffer).
    pub path: String,
    /// Sample tempo in BPM (`BPMx24 / 24`); absent when the block has no `BPMx24` line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bpm: Option<f64>,
    /// Trimmed length in bars (`TRIM_BARSx100 / 100`); absent when the block has no such line.
    /// A block may hold both (other tools write both).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trim_bars: Option<f64>,
    /// True when the block holds both timing lines with `TRIM_BARSx100` first (so the file is
    /// rebuilt in its order).
    #[serde(default, skip_serializing_if = "is_false")]
    pub trim_bars_first: bool,
    /// `TSMODE`: 0 off, 2 normal, 3 beat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tsmode: Option<i64>,
    /// `LOOPMODE`: 0 off, 1 loop, 2 ping-pong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loopmode: Option<i64>,
    /// `GAIN`: 0-96, 48 = 0 dB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gain: Option<i64>,
    /// `TRIGQUANTIZATION`: -1 = direct.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trig_quantization: Option<i64>,
}

impl SampleDoc {
    fn from_slot(s: &SampleSlot, slot_text: &[u8]) -> SampleDoc {
        let bpm = s.bpm_x24().map(|v| v as f64 / 24.0);
        let trim_bars = s.trim_bars_x100().map(|v| v as f64 / 100.0);
        let trim_bars_first = matches!(s.timing.as_slice(), [SampleTiming::TrimBarsX100(_), SampleTiming::BpmX24(_)]);
        SampleDoc {
            slot_type: s.slot_type,
            slot: s.slot,
            slot_unpadded: slot_text.len() < 3,
            path: s.path_lossy(),
            bpm,
            trim_bars,
            trim_bars_first,
            tsmode: s.tsmode,
            loopmode: s.loopmode,
            gain: s.gain,
            trig_quantization: s.trig_quantization,
        }
    }

    fn to_slot(&self, index: usize) -> Result<SampleSlot, OtError> {
        let field = |what: &str| format!("samples[{index}].{what}");
        let scaled = |v: f64, by: f64, what: &str| -> Result<i64, OtError> {
            let x = (v * by).round();
            if !x.is_finite() || x.abs() > 1e12 {
                return Err(OtError::Invalid { field: field(what), message: format!("{v} is not a usable number") });
            }
            Ok(x as i64)
        };
        let bpm = self.bpm.map(|b| scaled(b, 24.0, "bpm")).transpose()?.map(SampleTiming::BpmX24);
        let trim = self.trim_bars.map(|t| scaled(t, 100.0, "trim_bars")).transpose()?.map(SampleTiming::TrimBarsX100);
        let timing: Vec<SampleTiming> =
            if self.trim_bars_first { [trim, bpm] } else { [bpm, trim] }.into_iter().flatten().collect();
        Ok(SampleSlot {
            slot_type: self.slot_type,
            slot: self.slot,
            path: self.path.as_bytes().to_vec(),
            timing,
            tsmode: self.tsmode,
            loopmode: self.loopmode,
            gain: self.gain,
            trig_quantization: self.trig_quantization,
        })
    }

    /// The block's lines as the device would write them (with the slot spelling kept).
    fn entries(&self, index: usize) -> Result<Vec<(&'static str, Vec<u8>)>, OtError> {
        if self.path.contains('\n') {
            return Err(OtError::Invalid {
                field: format!("samples[{index}].path"),
                message: "a path cannot contain a line break".into(),
            });
        }
        let mut e = self.to_slot(index)?.entries();
        if self.slot_unpadded
            && let Some(slot) = e.iter_mut().find(|(k, _)| *k == "SLOT")
        {
            slot.1 = self.slot.to_string().into_bytes();
        }
        Ok(e)
    }
}

/// The readable document of a `project.work`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectDoc {
    /// Always `octatrack-project`.
    pub kind: String,
    /// `[META]`: TYPE, VERSION, OS_VERSION.
    pub meta: Entries,
    /// `[SETTINGS]`, by key; `TEMPO` is the tempo in BPM (`TEMPOx24 / 24`).
    pub settings: Entries,
    /// `[STATES]`, by key.
    pub states: Entries,
    /// The `[SAMPLE]` blocks, in file order.
    pub samples: Vec<SampleDoc>,
    /// The original file, in hex, when its layout is not the device's (see the module docs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_hex: Option<String>,
}

/// One document entry, with the file key it stands for.
struct DocEntry {
    /// The document key (`TEMPO` for the derived tempo).
    key: String,
    /// The document value.
    value: Value,
    /// The key in the file (`TEMPOx24` for the derived tempo).
    file_key: String,
    /// Whether the value is the tempo in BPM derived from `TEMPOx24`.
    derived_tempo: bool,
}

/// The document entries of a section: repeated keys gathered into a list at their first
/// position, `TEMPOx24` shown as `TEMPO` (BPM) when it is a plain integer and the section has
/// no key of its own named `TEMPO`.
fn doc_entries(p: &Project, name: &str) -> Vec<DocEntry> {
    let mut out: Vec<DocEntry> = Vec::new();
    let Some(s) = p.text().section(name) else {
        return out;
    };
    let mut counts: std::collections::HashMap<&[u8], usize> = std::collections::HashMap::new();
    for k in s.entries().filter_map(|l| l.key()) {
        *counts.entry(k).or_default() += 1;
    }
    let tempo_is_free = !counts.contains_key(&b"TEMPO"[..]);
    for line in s.entries() {
        let (Some(k), Some(v)) = (line.key(), line.value()) else { continue };
        let key = String::from_utf8_lossy(k).into_owned();
        let value = Value::from_bytes(v);
        let repeated = counts.get(k).is_some_and(|&n| n > 1);
        if repeated {
            match out.iter_mut().find(|e| e.key == key) {
                Some(DocEntry { value: Value::List(list), .. }) => list.push(value),
                _ => out.push(DocEntry {
                    key: key.clone(),
                    value: Value::List(vec![value]),
                    file_key: key,
                    derived_tempo: false,
                }),
            }
            continue;
        }
        if name == "SETTINGS"
            && key == "TEMPOx24"
            && tempo_is_free
            && let Value::Int(x24) = value
        {
            let bpm = if x24 % 24 == 0 { Value::Int(x24 / 24) } else { Value::Float(x24 as f64 / 24.0) };
            out.push(DocEntry { key: "TEMPO".into(), value: bpm, file_key: key, derived_tempo: true });
            continue;
        }
        out.push(DocEntry { key: key.clone(), value, file_key: key, derived_tempo: false });
    }
    out
}

/// The document map of a section.
fn section_entries(p: &Project, name: &str) -> Entries {
    Entries(doc_entries(p, name).into_iter().map(|e| (e.key, e.value)).collect())
}

/// `TEMPOx24` bytes of a tempo in BPM.
fn tempo_x24_bytes(v: &Value) -> Result<Vec<u8>, OtError> {
    let bpm = match v {
        Value::Int(i) => *i as f64,
        Value::Float(f) => *f,
        _ => {
            return Err(OtError::Invalid {
                field: "settings.TEMPO".into(),
                message: "the tempo must be a number of BPM, such as 120 or 120.5".into(),
            });
        }
    };
    let x24 = (bpm * 24.0).round();
    if !x24.is_finite() || !(0.0..=1e9).contains(&x24) {
        return Err(OtError::Invalid {
            field: "settings.TEMPO".into(),
            message: format!("{bpm} is not a usable tempo (the device allows 30-300 BPM)"),
        });
    }
    Ok((x24 as i64).to_string().into_bytes())
}

/// The file lines (key, bytes) of one document entry: a list gives one line per item.
fn entry_lines(name: &str, key: &str, value: &Value, derived_tempo: bool) -> Result<Vec<(String, Vec<u8>)>, OtError> {
    if derived_tempo {
        return Ok(vec![("TEMPOx24".to_string(), tempo_x24_bytes(value)?)]);
    }
    // The field name for messages, built only when there is an error.
    let field = || format!("{}.{key}", name.to_lowercase());
    if !crate::raw::project::valid_key(key.as_bytes()) {
        return Err(OtError::Invalid {
            field: field(),
            message: "keys are 1-64 printable ASCII characters without `=` or `[`, not starting with `#`".into(),
        });
    }
    let items = match value {
        Value::List(items) => items.iter().map(|i| i.to_bytes(&field)).collect::<Result<Vec<_>, _>>()?,
        scalar => vec![scalar.to_bytes(&field)?],
    };
    // Only a line feed is impossible here; a carriage return read from a file is kept, and
    // setters refuse one at the end of a changed value.
    if items.iter().any(|v| v.contains(&b'\n')) {
        return Err(OtError::Invalid { field: field(), message: "a value cannot contain a line break".into() });
    }
    Ok(items.into_iter().map(|v| (key.to_string(), v)).collect())
}

/// Whether a document key is the derived tempo: `TEMPO` in settings, when the document has no
/// `TEMPOx24` key of its own.
fn is_derived_tempo(name: &str, key: &str, entries: &Entries) -> bool {
    name == "SETTINGS" && key == "TEMPO" && !entries.0.iter().any(|(k, _)| k == "TEMPOx24")
}

/// The file lines of a document section, in document order.
fn file_entries(name: &str, entries: &Entries) -> Result<Vec<(String, Vec<u8>)>, OtError> {
    let mut out = Vec::with_capacity(entries.0.len() + 8);
    let tempo_is_derived = is_derived_tempo(name, "TEMPO", entries);
    for (k, v) in &entries.0 {
        out.extend(entry_lines(name, k, v, tempo_is_derived && k == "TEMPO")?);
    }
    Ok(out)
}

/// The sample list of the document, with each slot's spelling (`SLOT=1` vs `SLOT=001`).
fn samples_doc(p: &Project) -> Vec<SampleDoc> {
    let slot_texts = p.text().sections().filter(|s| s.name == "SAMPLE").map(|s| s.get("SLOT").and_then(|l| l.value()));
    p.samples().iter().zip(slot_texts).map(|(s, t)| SampleDoc::from_slot(s, t.unwrap_or_default())).collect()
}

/// The readable document of a project, with `original_hex` when the document alone would not
/// rebuild the file exactly.
pub fn to_doc(p: &Project) -> ProjectDoc {
    let mut doc = ProjectDoc {
        kind: KIND.into(),
        meta: section_entries(p, "META"),
        settings: section_entries(p, "SETTINGS"),
        states: section_entries(p, "STATES"),
        samples: samples_doc(p),
        original_hex: None,
    };
    let original = p.to_bytes();
    if render_canonical(&doc).ok().as_deref() != Some(original.as_slice()) {
        doc.original_hex = Some(to_hex(&original));
    }
    doc
}

/// The document as YAML or JSON text.
pub fn to_text(p: &Project, syntax: groovekit_core::doc::Syntax) -> Result<String, OtError> {
    Ok(groovekit_core::doc::to_text(&to_doc(p), syntax)?)
}

/// Reads a document (YAML or JSON) and builds the project.
pub fn from_text(text: &str) -> Result<Project, OtError> {
    let doc: ProjectDoc = groovekit_core::doc::from_text(text)?;
    from_doc(&doc)
}

fn borrow(v: &[(String, Vec<u8>)]) -> Vec<(&str, Vec<u8>)> {
    v.iter().map(|(k, b)| (k.as_str(), b.clone())).collect()
}

/// The file laid out as the device does, from the document alone.
fn render_canonical(doc: &ProjectDoc) -> Result<Vec<u8>, OtError> {
    let meta = file_entries("META", &doc.meta)?;
    let settings = file_entries("SETTINGS", &doc.settings)?;
    let states = file_entries("STATES", &doc.states)?;
    let samples = doc.samples.iter().enumerate().map(|(i, s)| s.entries(i)).collect::<Result<Vec<_>, _>>()?;
    Ok(canonical_text(&borrow(&meta), &borrow(&settings), &borrow(&states), &samples).to_bytes())
}

/// Builds the project a document describes (see the module docs for `original_hex`).
pub fn from_doc(doc: &ProjectDoc) -> Result<Project, OtError> {
    if doc.kind != KIND {
        return Err(OtError::Invalid {
            field: "kind".into(),
            message: format!("expected `{KIND}`, found `{}`", doc.kind),
        });
    }
    let Some(hex) = &doc.original_hex else {
        let bytes = render_canonical(doc)?;
        return Project::parse(&bytes);
    };
    let mut p = Project::parse(&from_hex(hex)?)?;
    for (name, entries) in [("META", &doc.meta), ("SETTINGS", &doc.settings), ("STATES", &doc.states)] {
        overlay_section(&mut p, name, entries)?;
    }
    overlay_samples(&mut p, &doc.samples)?;
    Ok(p)
}

/// Applies a section's document values onto `p`, comparing in document form: only entries
/// whose document value differs from what the file shows are rewritten (so values the
/// document cannot spell exactly, such as non-UTF-8 text, stay as they are unless edited);
/// keys missing from the document are removed; new keys are appended.
fn overlay_section(p: &mut Project, name: &str, entries: &Entries) -> Result<(), OtError> {
    let current = doc_entries(p, name);
    for (k, v) in &entries.0 {
        let (lines, file_key) = match current.iter().find(|e| e.key == *k) {
            Some(e) if e.value == *v => continue,
            Some(e) => (entry_lines(name, &e.file_key, v, e.derived_tempo)?, e.file_key.clone()),
            None => (entry_lines(name, k, v, is_derived_tempo(name, k, entries))?, k.clone()),
        };
        let before = p.text().section(name).map_or(0, |s| s.get_all(&file_key).count());
        for (n, (key, bytes)) in lines.iter().enumerate() {
            p.set_raw_occurrence(name, key, n, bytes)?;
        }
        for n in (lines.len()..before).rev() {
            p.remove_raw_occurrence(name, &file_key, n);
        }
    }
    for e in &current {
        if !entries.0.iter().any(|(k, _)| *k == e.key) {
            while p.remove_raw_occurrence(name, &e.file_key, 0) {}
        }
    }
    Ok(())
}

/// Applies the document's sample list onto `p`, block by block in file order.
fn overlay_samples(p: &mut Project, samples: &[SampleDoc]) -> Result<(), OtError> {
    let current = samples_doc(p);
    for (i, s) in samples.iter().enumerate() {
        match current.get(i) {
            Some(c) if c == s => {}
            Some(c) => {
                // Keep the path bytes when the document shows them unchanged (lossy display).
                let mut slot = s.to_slot(i)?;
                if c.path == s.path
                    && let Some(orig) = p.samples().get(i)
                {
                    slot.path = orig.path.clone();
                }
                p.set_sample_at(i, &slot)?;
            }
            None => p.set_sample(&s.to_slot(i)?)?,
        }
    }
    while p.samples().len() > samples.len() {
        if !p.remove_sample_at(samples.len()) {
            break;
        }
    }
    Ok(())
}

fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

fn from_hex(text: &str) -> Result<Vec<u8>, OtError> {
    let digits: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    let bad = |at: usize| OtError::Invalid {
        field: "original_hex".into(),
        message: format!("not hexadecimal at digit {at} (remove original_hex to rebuild from the readable part)"),
    };
    if !digits.len().is_multiple_of(2) {
        return Err(bad(digits.len()));
    }
    let nibble = |c: u8, at: usize| (c as char).to_digit(16).map(|d| d as u8).ok_or_else(|| bad(at));
    digits
        .chunks(2)
        .enumerate()
        .map(|(i, pair)| match pair {
            [h, l] => Ok(nibble(*h, 2 * i)? << 4 | nibble(*l, 2 * i + 1)?),
            _ => Err(bad(2 * i)),
        })
        .collect()
}
