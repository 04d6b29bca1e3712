//! The `human` layer: the readable document of a project (`kind: opz-project`), written by
//! `groovekit dump` and read back by `groovekit build`. Dump then build gives the same bytes.
//!
//! Numbering follows the device: patterns, chains, steps and note slots count from 1; tracks are
//! named. Notes carry a note name (`C4` = MIDI 60), velocity, length in ticks (3 072 per 1/16
//! step) and micro-timing (-96..=95). Only steps with components or locks are listed, only
//! non-canonical empty slots are kept (as hex), and unknown bytes appear as hex fields.

use serde::{Deserialize, Serialize};

use crate::OpzError;
use crate::model::{
    self, Component, DEFAULT_COMPONENT_PARAMS, EMPTY_NOTE, Header, NoteSlot, Pattern, Project, ProjectModel,
    SOUND_PARAM_NAMES, Spark, Step, TRACK_NAMES, TrackSettings,
};
use crate::ops::{self, place};
use crate::raw::{self, PATTERNS, STEPS, TRACKS, header};

/// The document kind of a project.
pub const KIND: &str = "opz-project";

/// Bytes written as a hex string.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Hex(pub Vec<u8>);

impl Serialize for Hex {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let text: String = self.0.iter().map(|b| format!("{b:02x}")).collect();
        s.serialize_str(&text)
    }
}

impl<'de> Deserialize<'de> for Hex {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let clean: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        if !clean.len().is_multiple_of(2) {
            return Err(serde::de::Error::custom(format!("hex string `{text}` has an odd number of digits")));
        }
        clean
            .chunks_exact(2)
            .map(|pair| {
                std::str::from_utf8(pair)
                    .ok()
                    .and_then(|s| u8::from_str_radix(s, 16).ok())
                    .ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not hex")))
            })
            .collect::<Result<Vec<u8>, _>>()
            .map(Hex)
    }
}

impl Hex {
    /// The bytes as a fixed array, or an error naming the field.
    fn array<const N: usize>(&self, field: &str) -> Result<[u8; N], OpzError> {
        <[u8; N]>::try_from(self.0.as_slice())
            .map_err(|_| OpzError::Document(format!("{field}: expected {N} bytes of hex, found {}", self.0.len())))
    }
}

/// The whole project document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectDoc {
    /// Always `opz-project`.
    pub kind: String,
    /// The u32 file ID (0x49 = 73).
    pub file_id: u32,
    /// Tempo in BPM.
    pub tempo: u16,
    /// Swing 0..=255 (127 = straight).
    pub swing: u8,
    /// Metronome level.
    pub metronome_level: u8,
    /// Metronome sound.
    pub metronome_sound: u8,
    /// Mixer levels.
    pub mixer: MixerDoc,
    /// The 16 chains (16 = the playing chain).
    pub chains: Vec<ChainDoc>,
    /// Header bytes 522..565 (not understood), when not all zero.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unknown_522: Option<Hex>,
    /// The selected saved chain, 1..=15 (header byte 568 + 1); absent when none is selected (0xFF).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected_chain: Option<u8>,
    /// Byte 568 as stored, only when it is neither 0xFF nor a saved chain (kept byte for byte).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected_chain_raw: Option<u8>,
    /// Header bytes 569..572 (not understood), when not all zero.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unknown_569: Option<Hex>,
    /// Header bytes 568..572 as one hex field, as documents written before byte 568 was named
    /// have it; read (it wins over the fields above), never written.
    #[serde(default, skip_serializing)]
    pub unknown_568: Option<Hex>,
    /// The u32 trailer; absent in files from before 2021.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trailer: Option<u32>,
    /// The 16 patterns.
    pub patterns: Vec<PatternDoc>,
}

/// Mixer levels (header bytes 516..520).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MixerDoc {
    /// Drum level.
    pub drum: u8,
    /// Synth level.
    pub synth: u8,
    /// Punch.
    pub punch: u8,
    /// Master level.
    pub master: u8,
}

/// One chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainDoc {
    /// Pattern numbers 1..=16 in play order.
    pub patterns: Vec<u8>,
    /// The chain's bytes after the entries, when they are not all 0xFF (the device leaves old
    /// data there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tail: Option<Hex>,
}

/// One pattern.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatternDoc {
    /// 1..=16 (must match the position in the list).
    pub number: u8,
    /// Active mute group.
    pub active_mute_group: u8,
    /// The 40 mute bytes (10 configurations x 4 bytes, two bits per track; see docs/opz.md).
    pub mutes: Hex,
    /// The last three bytes, when not zero.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unused: Option<Hex>,
    /// The 16 tracks in order.
    pub tracks: Vec<TrackDoc>,
}

/// One track of a pattern.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrackDoc {
    /// Track name (must match the position).
    pub track: String,
    /// Plug (engine or sample pack) ID, opaque for user samples.
    pub plug: u32,
    /// Steps before the track loops, 1..=16.
    pub step_count: u8,
    /// Step length in 1/16 notes.
    pub step_length: u8,
    /// Quantize.
    pub quantize: u8,
    /// Note style byte of the track chunk.
    pub note_style: u8,
    /// Note length byte of the track chunk.
    pub note_length: u8,
    /// Track chunk byte 5 (unknown).
    pub unknown5: u8,
    /// Track chunk byte 10 (unknown).
    pub unknown10: u8,
    /// Track chunk byte 11 (unknown).
    pub unknown11: u8,
    /// Sent to the tape track.
    pub to_tape: bool,
    /// Sent to the master track.
    pub to_master: bool,
    /// The 18 sound parameters.
    pub sound: SoundDoc,
    /// Notes, by step.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<NoteDoc>,
    /// Empty slots whose bytes differ from the canonical empty slot (kept as the device wrote them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub empty_slots: Vec<EmptySlotDoc>,
    /// Steps with components or parameter locks (or other non-default bytes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<StepDoc>,
}

/// The 18 sound parameters by name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SoundDoc {
    /// Sound parameter `p1` (0..=255, reference §3.7).
    pub p1: u8,
    /// Sound parameter `p2` (0..=255, reference §3.7).
    pub p2: u8,
    /// Sound parameter `attack` (0..=255, reference §3.7).
    pub attack: u8,
    /// Sound parameter `decay` (0..=255, reference §3.7).
    pub decay: u8,
    /// Sound parameter `sustain` (0..=255, reference §3.7).
    pub sustain: u8,
    /// Sound parameter `release` (0..=255, reference §3.7).
    pub release: u8,
    /// Sound parameter `fx1_send` (0..=255, reference §3.7).
    pub fx1_send: u8,
    /// Sound parameter `fx2_send` (0..=255, reference §3.7).
    pub fx2_send: u8,
    /// Sound parameter `filter` (0..=255, reference §3.7).
    pub filter: u8,
    /// Sound parameter `resonance` (0..=255, reference §3.7).
    pub resonance: u8,
    /// Sound parameter `pan` (0..=255, reference §3.7).
    pub pan: u8,
    /// Sound parameter `level` (0..=255, reference §3.7).
    pub level: u8,
    /// Sound parameter `portamento` (0..=255, reference §3.7).
    pub portamento: u8,
    /// Sound parameter `lfo_depth` (0..=255, reference §3.7).
    pub lfo_depth: u8,
    /// Sound parameter `lfo_rate` (0..=255, reference §3.7).
    pub lfo_rate: u8,
    /// Sound parameter `lfo_destination` (0..=255, reference §3.7).
    pub lfo_destination: u8,
    /// Sound parameter `lfo_shape` (0..=255, reference §3.7).
    pub lfo_shape: u8,
    /// Sound parameter `note_style` (0..=255, reference §3.7).
    pub note_style: u8,
}

impl SoundDoc {
    fn from_bytes(b: [u8; 18]) -> Self {
        let [
            p1,
            p2,
            attack,
            decay,
            sustain,
            release,
            fx1_send,
            fx2_send,
            filter,
            resonance,
            pan,
            level,
            portamento,
            lfo_depth,
            lfo_rate,
            lfo_destination,
            lfo_shape,
            note_style,
        ] = b;
        Self {
            p1,
            p2,
            attack,
            decay,
            sustain,
            release,
            fx1_send,
            fx2_send,
            filter,
            resonance,
            pan,
            level,
            portamento,
            lfo_depth,
            lfo_rate,
            lfo_destination,
            lfo_shape,
            note_style,
        }
    }

    fn to_bytes(&self) -> [u8; 18] {
        [
            self.p1,
            self.p2,
            self.attack,
            self.decay,
            self.sustain,
            self.release,
            self.fx1_send,
            self.fx2_send,
            self.filter,
            self.resonance,
            self.pan,
            self.level,
            self.portamento,
            self.lfo_depth,
            self.lfo_rate,
            self.lfo_destination,
            self.lfo_shape,
            self.note_style,
        ]
    }
}

/// One note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteDoc {
    /// Step 1..=16.
    pub step: u8,
    /// Note slot 1..=polyphony; when omitted in a hand-written document, the first free slot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot: Option<u8>,
    /// Note name (`C4` = 60, `F#3`, `Bb2`) or MIDI number.
    pub note: String,
    /// Velocity 1..=127.
    pub velocity: u8,
    /// Length in ticks (3 072 per 1/16 step).
    pub length: i32,
    /// Micro-timing -96..=95 (192 per step).
    #[serde(default)]
    pub micro: i8,
    /// The "age" byte, when not 0.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub age: u8,
}

fn is_zero(v: &u8) -> bool {
    *v == 0
}

/// An empty slot with non-canonical bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmptySlotDoc {
    /// Step 1..=16.
    pub step: u8,
    /// Slot 1..=polyphony.
    pub slot: u8,
    /// The 8 bytes.
    pub bytes: Hex,
}

/// A step's components and locks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepDoc {
    /// Step 1..=16.
    pub step: u8,
    /// Enabled components.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<ComponentDoc>,
    /// Parameter locks (and stored lock values that are switched off, with `mask: 0`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locks: Vec<LockDoc>,
    /// All 16 component parameter bytes, only when disabled components hold non-default values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<Hex>,
    /// Mask bits 14 and 15 (unused), when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unused_bits: Option<u16>,
}

/// One enabled step component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentDoc {
    /// Component name (`pulse`, `trigger_spark`, ...).
    pub component: String,
    /// The parameter byte (non-spark components).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<u8>,
    /// The spark condition (spark components): mode (high nibble) and N (low nibble).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spark: Option<SparkDoc>,
}

/// A spark condition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SparkDoc {
    /// 0 = on pass N, 1 = first of every N, 2 = all but N of every N.
    pub mode: u8,
    /// N.
    pub n: u8,
    /// A description for people; ignored by `build`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub meaning: String,
}

/// One parameter lock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockDoc {
    /// Sound parameter name.
    pub param: String,
    /// Locked value.
    pub value: u8,
    /// Enable byte, when not 0xFF (0 = stored but off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mask: Option<u8>,
}

const NOTE_NAMES: [&str; 12] = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];

/// The name of a MIDI note number (`60` → `C4`); numbers above 127 are written as digits.
pub fn note_name(n: u8) -> String {
    if n > 127 {
        return n.to_string();
    }
    let octave = i32::from(n / 12) - 1;
    format!("{}{octave}", NOTE_NAMES[usize::from(n % 12)])
}

/// Parses a note name (`C4`, `F#3`, `Bb2`, `C-1`) or a number (`60`).
pub fn parse_note(text: &str) -> Option<u16> {
    let t = text.trim();
    if let Ok(n) = t.parse::<u16>() {
        return Some(n);
    }
    let mut chars = t.chars();
    let letter = chars.next()?.to_ascii_uppercase();
    let base: i32 = match letter {
        'C' => 0,
        'D' => 2,
        'E' => 4,
        'F' => 5,
        'G' => 7,
        'A' => 9,
        'B' => 11,
        _ => return None,
    };
    let rest = chars.as_str();
    let (shift, octave) = if let Some(r) = rest.strip_prefix('#') {
        (1, r)
    } else if let Some(r) = rest.strip_prefix('b') {
        (-1, r)
    } else {
        (0, rest)
    };
    let octave: i32 = octave.parse().ok()?;
    let n = (octave + 1) * 12 + base + shift;
    u16::try_from(n).ok()
}

fn step_doc(s: usize, step: &Step) -> Option<StepDoc> {
    if *step == Step::DEFAULT {
        return None;
    }
    let mut components = Vec::new();
    let mut expected = DEFAULT_COMPONENT_PARAMS;
    for (c, v) in step.components() {
        expected[c.bit()] = v;
        components.push(if c.is_spark() {
            let sp = Spark::from_byte(v);
            ComponentDoc {
                component: c.name().into(),
                value: None,
                spark: Some(SparkDoc { mode: sp.mode, n: sp.n, meaning: sp.describe() }),
            }
        } else {
            ComponentDoc { component: c.name().into(), value: Some(v), spark: None }
        });
    }
    let locks = (0..18)
        .filter(|&i| step.lock_mask[i] != 0 || step.lock_values[i] != 0)
        .map(|i| LockDoc {
            param: SOUND_PARAM_NAMES[i].into(),
            value: step.lock_values[i],
            mask: (step.lock_mask[i] != 0xFF).then_some(step.lock_mask[i]),
        })
        .collect();
    let unused = step.mask & 0xC000;
    Some(StepDoc {
        step: s as u8 + 1,
        components,
        locks,
        params: (expected != step.params).then(|| Hex(step.params.to_vec())),
        unused_bits: (unused != 0).then_some(unused),
    })
}

/// The document of a project.
pub fn to_doc(project: &Project) -> Result<ProjectDoc, OpzError> {
    let m = project.decode()?;
    let h = &m.header;
    let chains = h
        .chains
        .iter()
        .map(|raw| {
            let entries = model::chain_entries(raw);
            let tail = raw.get(entries.len()..).unwrap_or(&[]);
            ChainDoc {
                patterns: entries.iter().map(|e| e + 1).collect(),
                tail: tail.iter().any(|&b| b != 0xFF).then(|| Hex(tail.to_vec())),
            }
        })
        .collect();
    let mut patterns = Vec::new();
    for (p, pat) in m.patterns.iter().enumerate() {
        let mut tracks = Vec::new();
        for (t, (&tr, track_name)) in pat.tracks.iter().zip(TRACK_NAMES).enumerate() {
            let mut notes = Vec::new();
            let mut empty_slots = Vec::new();
            for s in 0..STEPS {
                for k in 0..model::polyphony(t) {
                    let index = s * raw::pattern::SLOTS_PER_STEP + usize::from(raw::SLOT_OFFSET[t]) + k;
                    let Some(&slot) = pat.slots.get(index) else { continue };
                    if slot.note != EMPTY_NOTE {
                        notes.push(NoteDoc {
                            step: s as u8 + 1,
                            slot: Some(k as u8 + 1),
                            note: note_name(slot.note),
                            velocity: slot.velocity,
                            length: slot.duration,
                            micro: slot.micro,
                            age: slot.age,
                        });
                    } else if slot != NoteSlot::EMPTY {
                        empty_slots.push(EmptySlotDoc {
                            step: s as u8 + 1,
                            slot: k as u8 + 1,
                            bytes: Hex(slot.to_bytes().to_vec()),
                        });
                    }
                }
            }
            let steps =
                (0..STEPS).filter_map(|s| pat.steps.get(t * STEPS + s).and_then(|st| step_doc(s, st))).collect();
            tracks.push(TrackDoc {
                track: track_name.into(),
                plug: tr.plug,
                step_count: tr.step_count,
                step_length: tr.step_length,
                quantize: tr.quantize,
                note_style: tr.note_style,
                note_length: tr.note_length,
                unknown5: tr.unknown5,
                unknown10: tr.unknown10,
                unknown11: tr.unknown11,
                to_tape: pat.send_tape & (1 << t) != 0,
                to_master: pat.send_master & (1 << t) != 0,
                sound: SoundDoc::from_bytes(pat.sound[t]),
                notes,
                empty_slots,
                steps,
            });
        }
        patterns.push(PatternDoc {
            number: p as u8 + 1,
            active_mute_group: pat.active_mute_group,
            mutes: Hex(pat.mutes.to_vec()),
            unused: (pat.unused != [0; 3]).then(|| Hex(pat.unused.to_vec())),
            tracks,
        });
    }
    Ok(ProjectDoc {
        kind: KIND.into(),
        file_id: h.file_id,
        tempo: h.tempo,
        swing: h.swing,
        metronome_level: h.metronome_level,
        metronome_sound: h.metronome_sound,
        mixer: MixerDoc { drum: h.mixer[0], synth: h.mixer[1], punch: h.mixer[2], master: h.mixer[3] },
        chains,
        unknown_522: h.unknown_522.iter().any(|&b| b != 0).then(|| Hex(h.unknown_522.to_vec())),
        selected_chain: h.selected_chain().map(|c| c as u8 + 1),
        selected_chain_raw: (h.selected_chain().is_none() && h.selected_chain_raw != header::NO_SELECTED_CHAIN)
            .then_some(h.selected_chain_raw),
        unknown_569: (h.unknown_569 != [0; 3]).then(|| Hex(h.unknown_569.to_vec())),
        unknown_568: None,
        trailer: m.trailer,
        patterns,
    })
}

/// Byte 568 from a document: `selected_chain` (1..=15), else `selected_chain_raw`, else 0xFF.
fn selected_chain_byte(doc: &ProjectDoc) -> Result<u8, OpzError> {
    match (doc.selected_chain, doc.selected_chain_raw) {
        (Some(c), None) if (1..=15).contains(&c) => Ok(c - 1),
        (Some(c), None) => Err(OpzError::invalid(
            "selected_chain",
            format!("{c} is not a saved chain (1..=15; leave it out for none)"),
        )),
        (None, Some(raw)) => Ok(raw),
        (None, None) => Ok(header::NO_SELECTED_CHAIN),
        (Some(_), Some(_)) => {
            Err(OpzError::Document("give either selected_chain or selected_chain_raw, not both".into()))
        }
    }
}

/// Writes a project document as YAML or JSON.
pub fn dump(project: &Project, syntax: groovekit_core::doc::Syntax) -> Result<String, OpzError> {
    let doc = to_doc(project)?;
    groovekit_core::doc::to_text(&doc, syntax).map_err(|e| OpzError::Document(e.to_string()))
}

/// Reads a project document (YAML or JSON) and builds the project.
pub fn build(text: &str) -> Result<Project, OpzError> {
    let doc: ProjectDoc = groovekit_core::doc::from_text(text).map_err(|e| OpzError::Document(e.to_string()))?;
    from_doc(&doc)
}

fn step_from_doc(where_: &str, d: &StepDoc) -> Result<Step, OpzError> {
    let mut step = Step::DEFAULT;
    if let Some(params) = &d.params {
        step.params = params.array(&format!("{where_}: params"))?;
    }
    if let Some(bits) = d.unused_bits {
        if bits & 0x3FFF != 0 {
            return Err(OpzError::invalid(where_, format!("unused_bits {bits:#x} may only hold bits 14 and 15")));
        }
        step.mask |= bits;
    }
    for c in &d.components {
        let comp = Component::from_name(&c.component)
            .ok_or_else(|| OpzError::invalid(where_, format!("unknown step component `{}`", c.component)))?;
        let value = match (&c.spark, c.value) {
            (Some(sp), None) => {
                if sp.mode > 15 || sp.n > 15 {
                    return Err(OpzError::invalid(where_, format!("{}: spark mode and n are 0..=15", c.component)));
                }
                Spark { mode: sp.mode, n: sp.n }.to_byte()
            }
            (None, Some(v)) => v,
            _ => {
                return Err(OpzError::invalid(where_, format!("{}: give either `value` or `spark`", c.component)));
            }
        };
        step.mask |= 1 << comp.bit();
        step.params[comp.bit()] = value;
    }
    for l in &d.locks {
        let i = SOUND_PARAM_NAMES.iter().position(|n| *n == l.param).ok_or_else(|| {
            OpzError::invalid(
                where_,
                format!("unknown lock parameter `{}` (use {})", l.param, SOUND_PARAM_NAMES.join(", ")),
            )
        })?;
        step.lock_values[i] = l.value;
        step.lock_mask[i] = l.mask.unwrap_or(0xFF);
    }
    Ok(step)
}

fn step_index(where_: &str, step: u8) -> Result<usize, OpzError> {
    if (1..=16).contains(&step) {
        Ok(usize::from(step) - 1)
    } else {
        Err(OpzError::invalid(where_, format!("step {step} is outside 1..=16")))
    }
}

fn pattern_from_doc(p: usize, d: &PatternDoc) -> Result<Pattern, OpzError> {
    let pname = format!("pattern {}", p + 1);
    if usize::from(d.number) != p + 1 {
        return Err(OpzError::invalid(&pname, format!("is numbered {} but is at position {}", d.number, p + 1)));
    }
    if d.tracks.len() != TRACKS {
        return Err(OpzError::invalid(&pname, format!("has {} tracks; a pattern has 16", d.tracks.len())));
    }
    let mut pat = Pattern {
        tracks: [TrackSettings::from_bytes([0; 12]); TRACKS],
        slots: vec![NoteSlot::EMPTY; 880],
        steps: vec![Step::DEFAULT; 256],
        sound: [[0; 18]; TRACKS],
        mutes: d.mutes.array(&format!("{pname}: mutes"))?,
        send_tape: 0,
        send_master: 0,
        active_mute_group: d.active_mute_group,
        unused: match &d.unused {
            Some(h) => h.array(&format!("{pname}: unused"))?,
            None => [0; 3],
        },
    };
    for (t, td) in d.tracks.iter().enumerate() {
        if model::track_index(&td.track) != Some(t) {
            return Err(OpzError::invalid(
                &pname,
                format!("track {} is `{}`, expected `{}`", t + 1, td.track, TRACK_NAMES[t]),
            ));
        }
        pat.tracks[t] = TrackSettings {
            plug: td.plug,
            step_count: td.step_count,
            unknown5: td.unknown5,
            step_length: td.step_length,
            quantize: td.quantize,
            note_style: td.note_style,
            note_length: td.note_length,
            unknown10: td.unknown10,
            unknown11: td.unknown11,
        };
        if td.to_tape {
            pat.send_tape |= 1 << t;
        }
        if td.to_master {
            pat.send_master |= 1 << t;
        }
        pat.sound[t] = td.sound.to_bytes();
        let poly = model::polyphony(t);
        let slot_index = |s: usize, k: usize| s * raw::pattern::SLOTS_PER_STEP + usize::from(raw::SLOT_OFFSET[t]) + k;
        let mut used = [[false; 8]; STEPS];
        for e in &td.empty_slots {
            let where_ = format!("{}, slot {}", place(p, t, usize::from(e.step.saturating_sub(1))), e.slot);
            let s = step_index(&where_, e.step)?;
            let k = usize::from(e.slot)
                .checked_sub(1)
                .filter(|&k| k < poly)
                .ok_or_else(|| OpzError::invalid(&where_, format!("slot {} is outside 1..={poly}", e.slot)))?;
            let bytes: [u8; 8] = e.bytes.array(&where_)?;
            if bytes[4] != EMPTY_NOTE {
                return Err(OpzError::invalid(where_, "an empty slot's note byte (the 5th) must be ff"));
            }
            pat.slots[slot_index(s, k)] = NoteSlot::from_bytes(bytes);
            used[s][k] = true;
        }
        // Notes with a slot first, then those without (first free slot).
        let mut ordered: Vec<&NoteDoc> = td.notes.iter().filter(|n| n.slot.is_some()).collect();
        ordered.extend(td.notes.iter().filter(|n| n.slot.is_none()));
        for n in ordered {
            let where_ = place(p, t, usize::from(n.step.saturating_sub(1)));
            let s = step_index(&where_, n.step)?;
            let note = parse_note(&n.note)
                .ok_or_else(|| OpzError::invalid(&where_, format!("`{}` is not a note name or number", n.note)))?;
            if note > 127 {
                return Err(OpzError::invalid(&where_, format!("note number {note} is over 127")));
            }
            if !(model::MICRO_MIN..=model::MICRO_MAX).contains(&n.micro) {
                return Err(OpzError::invalid(
                    &where_,
                    format!("micro-timing {} is outside -96..=95 (192 units per step)", n.micro),
                ));
            }
            let k = match n.slot {
                Some(slot) => usize::from(slot).checked_sub(1).filter(|&k| k < poly).ok_or_else(|| {
                    OpzError::invalid(
                        &where_,
                        format!(
                            "slot {slot} is over the {} track's polyphony of {poly} notes per step",
                            TRACK_NAMES[t]
                        ),
                    )
                })?,
                None => (0..poly).find(|&k| !used[s][k]).ok_or_else(|| {
                    OpzError::invalid(
                        &where_,
                        format!("more notes than the {} track's polyphony of {poly} notes per step", TRACK_NAMES[t]),
                    )
                })?,
            };
            if used[s][k] {
                return Err(OpzError::invalid(&where_, format!("slot {} is given twice", k + 1)));
            }
            used[s][k] = true;
            pat.slots[slot_index(s, k)] =
                NoteSlot { duration: n.length, note: note as u8, velocity: n.velocity, micro: n.micro, age: n.age };
        }
        for sd in &td.steps {
            let where_ = place(p, t, usize::from(sd.step.saturating_sub(1)));
            let s = step_index(&where_, sd.step)?;
            pat.steps[t * STEPS + s] = step_from_doc(&where_, sd)?;
        }
    }
    Ok(pat)
}

/// Builds a project from its document, checking every value the device could not store.
pub fn from_doc(doc: &ProjectDoc) -> Result<Project, OpzError> {
    if doc.kind != KIND {
        return Err(OpzError::Document(format!("kind is `{}`, expected `{KIND}`", doc.kind)));
    }
    if doc.chains.len() != header::CHAIN_COUNT {
        return Err(OpzError::Document(format!("{} chains; a project has 16", doc.chains.len())));
    }
    if doc.patterns.len() != PATTERNS {
        return Err(OpzError::Document(format!("{} patterns; a project has 16", doc.patterns.len())));
    }
    let mut chains = [[0xFFu8; header::CHAIN_LEN]; header::CHAIN_COUNT];
    for (c, cd) in doc.chains.iter().enumerate() {
        let mut entries = Vec::with_capacity(cd.patterns.len());
        for (i, &e) in cd.patterns.iter().enumerate() {
            if !(1..=16).contains(&e) {
                return Err(OpzError::invalid(
                    format!("chain {}, entry {}", c + 1, i + 1),
                    format!("pattern {e} is outside 1..=16 (stored {} is above 15)", i32::from(e) - 1),
                ));
            }
            entries.push(e - 1);
        }
        ops::check_chain(c, &entries)?;
        let mut raw = entries;
        match &cd.tail {
            Some(t) => raw.extend_from_slice(&t.0),
            None => raw.resize(header::CHAIN_LEN, 0xFF),
        }
        chains[c] = <[u8; header::CHAIN_LEN]>::try_from(raw.as_slice()).map_err(|_| {
            OpzError::invalid(format!("chain {}", c + 1), format!("entries and tail are {} bytes, not 32", raw.len()))
        })?;
    }
    let header = Header {
        file_id: doc.file_id,
        chains,
        mixer: [doc.mixer.drum, doc.mixer.synth, doc.mixer.punch, doc.mixer.master],
        tempo: doc.tempo,
        unknown_522: match &doc.unknown_522 {
            Some(h) => h.array("unknown_522")?,
            None => [0; header::UNKNOWN_522_LEN],
        },
        swing: doc.swing,
        metronome_level: doc.metronome_level,
        metronome_sound: doc.metronome_sound,
        selected_chain_raw: selected_chain_byte(doc)?,
        unknown_569: match &doc.unknown_569 {
            Some(h) => h.array("unknown_569")?,
            None => [0; 3],
        },
    };
    let header = match &doc.unknown_568 {
        Some(old) => {
            let b: [u8; 4] = old.array("unknown_568")?;
            Header { selected_chain_raw: b[0], unknown_569: [b[1], b[2], b[3]], ..header }
        }
        None => header,
    };
    let patterns =
        doc.patterns.iter().enumerate().map(|(p, pd)| pattern_from_doc(p, pd)).collect::<Result<Vec<_>, _>>()?;
    ProjectModel { header, patterns, trailer: doc.trailer }.encode()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn note_names() {
        assert_eq!(note_name(60), "C4");
        assert_eq!(note_name(53), "F3");
        assert_eq!(note_name(0), "C-1");
        assert_eq!(note_name(127), "G9");
        for n in 0..=127u8 {
            assert_eq!(parse_note(&note_name(n)), Some(u16::from(n)));
        }
        assert_eq!(parse_note("Bb2"), Some(46));
        assert_eq!(parse_note("H2"), None);
    }
}
