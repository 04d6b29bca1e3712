//! What differs between two projects, or two sample packs (`groovekit diff A B`).
//!
//! Projects are compared field by field in file order: the header (tempo, swing, metronome,
//! mixer, chains, the selected saved chain, the bytes not understood), then per pattern the track
//! settings, the notes and the step components and locks of every step, the sound parameters,
//! mutes and sends. Places are numbered from 1 as the device shows them (pattern, step, chain) and
//! tracks go by name. Every region of the file is covered: bytes that differ where no field
//! explains it (empty-slot bytes, unknown bytes) are reported as bytes with their offset, so an
//! empty list means the files are identical.
//!
//! Sample packs are compared by audio format, slices (frames and parameters), the other `op-1`
//! JSON keys, the audio itself per slice, and the other chunks.

use std::fmt;

use serde_json::Value;

use crate::kit::{Kit, position_to_frame};
use crate::model::{
    MUTE_GROUPS, NoteSlot, Project, Spark, Step, TrackSettings, chain_entries, polyphony, sound_param_names, track_name,
};
use crate::raw::{self, PATTERNS, STEPS, TRACKS, header, pattern};
use crate::view::length_text;
use crate::{OpzError, human::note_name};

/// Where a difference is, numbered as the device shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The project header (global settings).
    Project,
    /// Chain 1..=16 (16 is the one playing).
    Chain(usize),
    /// Pattern 1..=16 as a whole (mute group, sends, unused bytes).
    Pattern(usize),
    /// A track of a pattern (settings, sound parameters, mute).
    Track {
        /// Pattern 1..=16.
        pattern: usize,
        /// Track 0..16 (printed by name).
        track: usize,
    },
    /// A step of a track (notes, components, locks).
    Step {
        /// Pattern 1..=16.
        pattern: usize,
        /// Track 0..16 (printed by name).
        track: usize,
        /// Step 1..=16.
        step: usize,
    },
    /// A sample pack as a whole.
    Kit,
    /// Slice 1..=24 of a drum kit.
    Slice(usize),
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Project => f.write_str("project"),
            Self::Chain(c) => write!(f, "chain {c}"),
            Self::Pattern(p) => write!(f, "pattern {p}"),
            Self::Track { pattern, track } => write!(f, "pattern {pattern}, track {}", track_name(track)),
            Self::Step { pattern, track, step } => {
                write!(f, "pattern {pattern}, track {}, step {step}", track_name(track))
            }
            Self::Kit => f.write_str("kit"),
            Self::Slice(s) => write!(f, "slice {s}"),
        }
    }
}

/// One difference: a field at a place, its value in the first file and in the second.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// Where.
    pub place: Place,
    /// The field ("tempo", "notes", "step count", "bytes 522..565", ...).
    pub field: String,
    /// The first file's value, for people.
    pub a: String,
    /// The second file's value.
    pub b: String,
    /// Byte offset of the field in the file (the first byte that differs for raw bytes).
    pub offset: u64,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {} -> {}", self.place, self.field, self.a, self.b)
    }
}

/// Collects differences; `raw` reports a region by its bytes when nothing more specific did.
struct Out<'a> {
    a: &'a [u8],
    b: &'a [u8],
    list: Vec<Difference>,
}

impl Out<'_> {
    fn region(&self, offset: usize, len: usize) -> (&[u8], &[u8]) {
        (
            self.a.get(offset..offset.saturating_add(len)).unwrap_or(&[]),
            self.b.get(offset..offset.saturating_add(len)).unwrap_or(&[]),
        )
    }

    fn differs(&self, offset: usize, len: usize) -> bool {
        let (x, y) = self.region(offset, len);
        x != y
    }

    fn push(
        &mut self,
        place: Place,
        field: impl Into<String>,
        a: impl Into<String>,
        b: impl Into<String>,
        offset: usize,
    ) {
        self.list.push(Difference { place, field: field.into(), a: a.into(), b: b.into(), offset: offset as u64 });
    }

    /// Compares one value; pushes when it differs.
    fn value<T: PartialEq + fmt::Display>(&mut self, place: Place, field: &str, a: T, b: T, offset: usize) {
        if a != b {
            self.push(place, field, a.to_string(), b.to_string(), offset);
        }
    }

    /// The region as bytes, when it differs and `before` differences were all that was found
    /// (nothing more specific explained it).
    fn raw_if_unexplained(&mut self, place: Place, field: &str, offset: usize, len: usize, before: usize) {
        if self.list.len() == before && self.differs(offset, len) {
            let (x, y) = self.region(offset, len);
            let first = x.iter().zip(y).position(|(p, q)| p != q).unwrap_or(0);
            let (x, y) = (hex(x), hex(y));
            self.push(place, format!("{field} (bytes {offset}..{})", offset + len), x, y, offset + first);
        }
    }
}

/// Bytes as hex pairs ("FF 00 00"), shortened past 24 bytes.
fn hex(bytes: &[u8]) -> String {
    let mut s: Vec<String> = bytes.iter().take(24).map(|b| format!("{b:02X}")).collect();
    if bytes.len() > 24 {
        s.push(format!("... ({} bytes)", bytes.len()));
    }
    if s.is_empty() { "(none)".into() } else { s.join(" ") }
}

fn chain_text(raw: &[u8]) -> String {
    let e: Vec<String> = chain_entries(raw).iter().map(|p| (p + 1).to_string()).collect();
    if e.is_empty() { "(empty)".into() } else { e.join(" ") }
}

fn selected_text(byte: u8) -> String {
    match byte {
        header::NO_SELECTED_CHAIN => "none".into(),
        c if usize::from(c) < header::CHAIN_COUNT - 1 => format!("saved chain {}", c + 1),
        c => format!("{c:#04x} (not a saved chain)"),
    }
}

fn notes_text(slots: &[NoteSlot]) -> String {
    let notes: Vec<String> = slots
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| {
            let micro = if s.micro != 0 { format!(" micro {:+}", s.micro) } else { String::new() };
            format!("{} vel {} len {}{micro}", note_name(s.note), s.velocity, length_text(s.duration))
        })
        .collect();
    if notes.is_empty() { "(none)".into() } else { notes.join(", ") }
}

fn components_text(step: &Step) -> String {
    let c: Vec<String> = step
        .components()
        .iter()
        .map(|&(c, v)| {
            if c.is_spark() {
                format!("{} {}", c.name(), Spark::from_byte(v).describe())
            } else {
                format!("{} {v}", c.name())
            }
        })
        .collect();
    if c.is_empty() { "(none)".into() } else { c.join(", ") }
}

fn locks_text(step: &Step, t: usize) -> String {
    let names = sound_param_names(t);
    let l: Vec<String> =
        step.locks().iter().map(|&(i, v)| format!("{}={v}", names.get(i).copied().unwrap_or("?"))).collect();
    if l.is_empty() { "(none)".into() } else { l.join(", ") }
}

fn on_off(b: bool) -> &'static str {
    if b { "on" } else { "off" }
}

fn header_diff(a: &Project, b: &Project, out: &mut Out<'_>) {
    let (ha, hb) = (a.header(), b.header());
    let p = Place::Project;
    out.value(p, "file ID", format!("{:#x}", ha.file_id), format!("{:#x}", hb.file_id), header::FILE_ID);
    for c in 0..header::CHAIN_COUNT {
        let at = header::CHAINS + c * header::CHAIN_LEN;
        if !out.differs(at, header::CHAIN_LEN) {
            continue;
        }
        let before = out.list.len();
        let (x, y) = (ha.chains[c], hb.chains[c]);
        out.value(Place::Chain(c + 1), "patterns", chain_text(&x), chain_text(&y), at);
        out.raw_if_unexplained(Place::Chain(c + 1), "bytes after the entries", at, header::CHAIN_LEN, before);
    }
    for (i, name) in ["mixer drum", "mixer synth", "mixer punch", "mixer master"].iter().enumerate() {
        out.value(p, name, ha.mixer[i], hb.mixer[i], header::MIXER + i);
    }
    out.value(p, "tempo (BPM)", ha.tempo, hb.tempo, header::TEMPO);
    let before = out.list.len();
    out.raw_if_unexplained(p, "not understood", header::UNKNOWN_522, header::UNKNOWN_522_LEN, before);
    out.value(p, "swing", ha.swing, hb.swing, header::SWING);
    out.value(p, "metronome level", ha.metronome_level, hb.metronome_level, header::METRONOME_LEVEL);
    out.value(p, "metronome sound", ha.metronome_sound, hb.metronome_sound, header::METRONOME_SOUND);
    out.value(
        p,
        "selected chain",
        selected_text(ha.selected_chain_raw),
        selected_text(hb.selected_chain_raw),
        header::SELECTED_CHAIN,
    );
    let before = out.list.len();
    out.raw_if_unexplained(p, "not understood", header::UNKNOWN_569, 3, before);
}

fn track_settings_diff(place: Place, x: TrackSettings, y: TrackSettings, at: usize, out: &mut Out<'_>) {
    // In decimal, as `inspect` and the dumped document show it (issue 24).
    out.value(place, "plug", x.plug.to_string(), y.plug.to_string(), at);
    out.value(place, "step count", x.step_count, y.step_count, at + 4);
    out.value(place, "track byte 5 (not understood)", x.unknown5, y.unknown5, at + 5);
    out.value(place, "step length (sixteenths)", x.step_length, y.step_length, at + 6);
    out.value(place, "quantize", x.quantize, y.quantize, at + 7);
    out.value(place, "note style", x.note_style, y.note_style, at + 8);
    out.value(place, "note length", x.note_length, y.note_length, at + 9);
    out.value(place, "track byte 10 (not understood)", x.unknown10, y.unknown10, at + 10);
    out.value(place, "track byte 11 (not understood)", x.unknown11, y.unknown11, at + 11);
}

fn pattern_diff(a: &Project, b: &Project, p: usize, out: &mut Out<'_>) -> Result<(), OpzError> {
    let base = raw::pattern_offset(p);
    if !out.differs(base, raw::PATTERN_LEN) {
        return Ok(());
    }
    let pn = p + 1;
    for t in 0..TRACKS {
        let at = raw::track_offset(p, t);
        track_settings_diff(Place::Track { pattern: pn, track: t }, a.track(p, t)?, b.track(p, t)?, at, out);
    }
    for t in 0..TRACKS {
        for s in 0..STEPS {
            let place = Place::Step { pattern: pn, track: t, step: s + 1 };
            let at = raw::note_offset(p, t, s, 0);
            let len = polyphony(t) * pattern::NOTE_LEN;
            if out.differs(at, len) {
                let before = out.list.len();
                let slots = |pr: &Project| -> Result<Vec<NoteSlot>, OpzError> {
                    (0..polyphony(t)).map(|k| pr.slot(p, t, s, k)).collect()
                };
                let (x, y) = (slots(a)?, slots(b)?);
                out.value(place, "notes", notes_text(&x), notes_text(&y), at);
                out.raw_if_unexplained(place, "note slots (slot order, age or empty-slot bytes)", at, len, before);
            }
            let at = raw::step_offset(p, t, s);
            if out.differs(at, pattern::STEP_LEN) {
                let before = out.list.len();
                let (x, y) = (a.step(p, t, s)?, b.step(p, t, s)?);
                out.value(place, "components", components_text(&x), components_text(&y), at);
                out.value(place, "parameter locks", locks_text(&x, t), locks_text(&y, t), at + 20);
                out.raw_if_unexplained(place, "step chunk (values of disabled components or locks)", at, 54, before);
            }
        }
    }
    for t in 0..TRACKS {
        let at = raw::sound_offset(p, t);
        let (x, y) = (a.sound(p, t)?, b.sound(p, t)?);
        let names = sound_param_names(t);
        for (i, name) in names.iter().enumerate() {
            out.value(Place::Track { pattern: pn, track: t }, &format!("sound {name}"), x[i], y[i], at + i);
        }
    }
    // Mutes: the state the device plays (active group), then the configuration bytes.
    let mutes_at = base + pattern::MUTES;
    let group_at = base + pattern::ACTIVE_MUTE_GROUP;
    if out.differs(mutes_at, pattern::MUTES_LEN) || out.differs(group_at, 1) {
        let before = out.list.len();
        let ga = a.image().u8_at(group_at);
        let gb = b.image().u8_at(group_at);
        out.value(Place::Pattern(pn), "active mute group", ga, gb, group_at);
        for t in 0..TRACKS {
            let (x, y) = (a.muted(p, t)?, b.muted(p, t)?);
            if x != y {
                let text = |m: bool| if m { "muted" } else { "playing" };
                let group = usize::from(gb).min(MUTE_GROUPS - 1);
                out.push(
                    Place::Track { pattern: pn, track: t },
                    "mute",
                    text(x),
                    text(y),
                    mutes_at + group * 4 + t / 4,
                );
            }
        }
        out.raw_if_unexplained(Place::Pattern(pn), "mute configurations", mutes_at, pattern::MUTES_LEN, before);
    }
    for (field, at) in [("send to tape", pattern::SEND_TAPE), ("send to master", pattern::SEND_MASTER)] {
        let (x, y) = (a.image().u16_at(base + at), b.image().u16_at(base + at));
        for t in 0..TRACKS {
            let bit = 1u16 << t;
            out.value(
                Place::Track { pattern: pn, track: t },
                field,
                on_off(x & bit != 0),
                on_off(y & bit != 0),
                base + at,
            );
        }
    }
    let before = out.list.len();
    out.raw_if_unexplained(Place::Pattern(pn), "unused", base + pattern::UNUSED, 3, before);
    Ok(())
}

/// Every difference between two projects, in file order (empty = identical files).
pub fn diff_projects(a: &Project, b: &Project) -> Result<Vec<Difference>, OpzError> {
    let mut out = Out { a: a.as_bytes(), b: b.as_bytes(), list: Vec::new() };
    header_diff(a, b, &mut out);
    for p in 0..PATTERNS {
        pattern_diff(a, b, p, &mut out)?;
    }
    let opt = |t: Option<u32>| t.map_or("none (pre-2021 file)".to_string(), |t| t.to_string());
    out.value(Place::Project, "trailer", opt(a.trailer()), opt(b.trailer()), raw::LEN_WITHOUT_TRAILER);
    Ok(out.list)
}

/// A JSON value for people: compact, shortened past 80 characters.
fn json_text(v: Option<&Value>) -> String {
    match v {
        None => "(absent)".into(),
        Some(v) => {
            let s = v.to_string();
            if s.chars().count() > 80 { format!("{}...", s.chars().take(77).collect::<String>()) } else { s }
        }
    }
}

/// The JSON keys the slice table holds (compared per slice, not as arrays).
const SLICE_KEYS: [&str; 6] = ["start", "end", "pitch", "volume", "playmode", "reverse"];

/// Every difference between two sample packs (empty = identical files).
pub fn diff_kits(a: &Kit, b: &Kit) -> Result<Vec<Difference>, OpzError> {
    let (ba, bb) = (a.to_bytes(), b.to_bytes());
    let mut out = Out { a: &ba, b: &bb, list: Vec::new() };
    let k = Place::Kit;
    let (fa, fb) = (a.aiff.format()?, b.aiff.format()?);
    out.value(k, "channels", fa.channels, fb.channels, 0);
    out.value(k, "bits", fa.bits, fb.bits, 0);
    out.value(k, "sample rate (Hz)", fa.rate, fb.rate, 0);
    out.value(k, "frames", fa.frames, fb.frames, 0);
    let (ja, jb) = (a.json()?, b.json()?);
    let keys: std::collections::BTreeSet<&String> = ja
        .as_object()
        .into_iter()
        .chain(jb.as_object())
        .flat_map(|o| o.keys())
        .filter(|k| !SLICE_KEYS.contains(&k.as_str()))
        .collect();
    for key in keys {
        let (x, y) = (ja.get(key.as_str()), jb.get(key.as_str()));
        if x != y {
            out.push(k, format!("op-1 {key}"), json_text(x), json_text(y), 0);
        }
    }
    let (sa, sb) = (a.slices()?, b.slices()?);
    let (ma, mb) = (crate::kit::slice_frames(a)?, crate::kit::slice_frames(b)?);
    let audio = |m: &[(usize, Vec<i16>)], i: usize| m.iter().find(|(j, _)| *j == i).map(|(_, f)| f.clone());
    for i in 0..sa.len().max(sb.len()) {
        let place = Place::Slice(i + 1);
        match (sa.get(i), sb.get(i)) {
            (Some(x), Some(y)) => {
                let range = |s: &crate::kit::Slice| {
                    format!(
                        "frames {}..{} (positions {}..{})",
                        position_to_frame(s.start.max(0) as u64),
                        position_to_frame(s.end.max(0) as u64),
                        s.start,
                        s.end
                    )
                };
                if (x.start, x.end) != (y.start, y.end) {
                    out.push(place, "range", range(x), range(y), 0);
                }
                out.value(place, "pitch", x.pitch, y.pitch, 0);
                out.value(place, "volume", x.volume, y.volume, 0);
                out.value(place, "playmode", x.playmode, y.playmode, 0);
                out.value(place, "reverse", x.reverse, y.reverse, 0);
                let (fx, fy) = (audio(&ma, i), audio(&mb, i));
                if fx != fy {
                    let len = |f: &Option<Vec<i16>>| f.as_ref().map_or(0, Vec::len);
                    let first = match (&fx, &fy) {
                        (Some(p), Some(q)) => p.iter().zip(q).position(|(u, v)| u != v),
                        _ => None,
                    };
                    let what = match first {
                        Some(f) => format!("audio (first different frame: {f} of the slice)"),
                        None => "audio".into(),
                    };
                    out.push(place, what, format!("{} frames", len(&fx)), format!("{} frames", len(&fy)), 0);
                }
            }
            (x, y) => {
                let t =
                    |s: Option<&crate::kit::Slice>| s.map_or("(absent)".into(), |s| format!("{}..{}", s.start, s.end));
                out.push(place, "slice", t(x), t(y), 0);
            }
        }
    }
    // Anything else: chunk list, sizes, bytes the model does not explain.
    if out.list.is_empty() && ba != bb {
        let ids =
            |k: &Kit| k.aiff.chunks.iter().map(|c| String::from_utf8_lossy(&c.id).into_owned()).collect::<Vec<_>>();
        out.value(k, "chunks", ids(a).join(" "), ids(b).join(" "), 12);
        if a.json_bytes() != b.json_bytes() && ja == jb {
            out.push(k, "op-1 JSON text (same values; spacing, key order or bytes after the object)", "", "", 0);
        }
        if out.list.is_empty() {
            let first = ba.iter().zip(&bb).position(|(x, y)| x != y).unwrap_or(ba.len().min(bb.len()));
            out.push(
                k,
                "bytes",
                format!("{} bytes", ba.len()),
                format!("{} bytes (first difference at byte {first})", bb.len()),
                first,
            );
        }
    }
    Ok(out.list)
}

#[cfg(test)]
#[path = "diff_tests.rs"]
mod tests;
