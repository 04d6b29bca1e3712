//! The readable bank document (`kind: octatrack-bank`): what differs from a fresh bank, as
//! patterns with trig step lists, per-step conditions and p-locks, parts with machines, FX and
//! named parameter groups, scenes, part names, and an `unmodelled` hex block for the rest.
//!
//! ```yaml
//! kind: octatrack-bank
//! version: 3
//! patterns:
//! - pattern: 2
//!   part: 2
//!   settings: {master_length: 32}
//!   tracks:
//!   - track: 1
//!     trigs: [1, 5, 9, 13]
//!     steps:
//!     - step: 5
//!       condition: fill
//!       locks: {amp.vol: 100, sample: 3}
//! parts:
//! - part: 1
//!   name: DRUMS
//!   working:
//!     tracks:
//!     - track: 1
//!       machine: Flex
//!       flex_slot: 3
//!       values:
//!         flex.ptch: 70
//!         flex_setup.loop: 0
//!         rec.rlen: 16
//! ```
//!
//! Numbers shown 1-based (patterns, tracks, steps, parts, scenes, slots including the `sample`
//! lock, repeats) are stored 0-based. Lock names come from [`crate::model::params`]. Everything else is the stored byte. See [`crate::human::patch`] for how `build` and
//! `dump` stay byte-exact.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::OtError;
use crate::human::patch::{self, Flow, FlowMap, Patch, index, invalid};
use crate::model::params::{self, AudioContext};
use crate::raw::bank::{self, BANK_SIZE, Bank, PART_COUNT, PATTERN_COUNT, PartCopy};
use crate::raw::image::ChecksumPolicy;
use crate::raw::part::{self, AUDIO_GROUPS, Group, MIDI_GROUPS, Part};
use crate::raw::pattern::{self, Pattern, STEPS, StepTiming, TRACK_SETTING_NAMES, Track};

/// The `kind` of a bank document.
pub const KIND: &str = "octatrack-bank";

/// The format version of bank documents this groovekit writes.
///
/// - 3 (issue 10, part pages): the per-track bytes of parts are named single values (`values:
///   {flex.ptch: 70, amp_setup.sync: 0, rec.rlen: 16}`) through the one name table
///   [`crate::model::params::AUDIO_PART_PAGES`] / [`crate::model::params::MIDI_PART_PAGES`],
///   not byte groups. Versions 1 and 2 wrote `params: {src_flex: [..6 bytes..]}` groups
///   ([`part::AUDIO_GROUPS`]); they are still read (the groups are applied byte for byte), and a
///   `params` key in a version 3 document is refused with a message.
/// - 2 (issue 10): trig step lists in the device's step order ([`pattern::MASK_GROUP_BYTE`]),
///   recorder masks, locks named by page and machine ([`crate::model::params`]), sample locks
///   shown 1-128.
/// - 1: documents written before (they have no `version` key): step lists decoded with the
///   wrong group order [`pattern::MASK_GROUP_BYTE_V1`], locks named `src1`..`flex_slot` with raw
///   values. A document without `version` is refused; one marked `version: 1` is converted.
pub const VERSION: u32 = 3;

/// A bank as a readable document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BankDoc {
    /// Always [`KIND`].
    pub kind: String,
    /// The document format version ([`VERSION`]); see there for what older versions mean.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
    /// Patterns that differ from the default.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub patterns: Vec<PatternDoc>,
    /// Parts that differ from the default.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<PartDoc>,
    /// Byte 0x9B4B2, the edited-parts byte (bit `i`: part `i + 1` edited since saved; see
    /// `raw::bank::PARTS_EDITED`), when not 0. The key keeps its old name so documents stay valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byte_0x9b4b2: Option<u8>,
    /// The checksum stored in the file, present only when it was wrong (kept so the file
    /// round-trips; delete the key to write a correct one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stored_checksum: Option<String>,
    /// Bytes that differ from the default and no field above covers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unmodelled: Vec<Patch>,
}

/// One pattern.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatternDoc {
    /// Pattern number 1-16.
    pub pattern: usize,
    /// The part it plays, 1-4 (byte +36 583, see [`pattern::PART_ASSIGNMENT`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<u16>,
    /// Pattern tempo, BPM x 24 (2880 = 120 BPM).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tempo_x24: Option<u16>,
    /// Scale and length settings that differ: `length_multiplier`, `per_track_length`,
    /// `per_track_scale`, `master_length`, `master_scale`, `scale_mode`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<FlowMap<BTreeMap<String, u8>>>,
    /// Audio tracks that differ.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tracks: Vec<TrackDoc>,
    /// MIDI tracks that differ.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub midi_tracks: Vec<TrackDoc>,
}

/// One audio or MIDI track of a pattern. Step lists are 1-based step numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrackDoc {
    /// Track number 1-8.
    pub track: usize,
    /// Steps with a trig.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigs: Option<Flow<Vec<u8>>>,
    /// Trigless (lock-only) trigs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigless: Option<Flow<Vec<u8>>>,
    /// Steps carrying p-locks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plock_trigs: Option<Flow<Vec<u8>>>,
    /// One-shot trigs (audio tracks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oneshot: Option<Flow<Vec<u8>>>,
    /// Swing trigs (default: every even step).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub swing: Option<Flow<Vec<u8>>>,
    /// Slide trigs (audio tracks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slide: Option<Flow<Vec<u8>>>,
    /// Recorder trigs sampling inputs A/B (audio tracks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorder_ab: Option<Flow<Vec<u8>>>,
    /// Recorder trigs sampling inputs C/D.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorder_cd: Option<Flow<Vec<u8>>>,
    /// Recorder trigs sampling the third source (SRC3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorder_src3: Option<Flow<Vec<u8>>>,
    /// Recorder trigs that are one-shot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorder_oneshot: Option<Flow<Vec<u8>>>,
    /// The fifth, unknown mask of MIDI tracks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mask5: Option<Flow<Vec<u8>>>,
    /// Track settings that differ: `length`, `scale`, `swing_amount`, `start_silent`,
    /// `plays_free`, `trig_mode`, `trig_quant`, `oneshot_trk`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<FlowMap<BTreeMap<String, u8>>>,
    /// Steps with a condition, repeats, micro-timing or p-locks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<StepDoc>,
}

/// One step's condition, retrigs, micro-timing and p-locks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepDoc {
    /// Step number 1-64.
    pub step: usize,
    /// Trig condition: `none`, `fill`, `!fill`, `pre`, `!pre`, `nei`, `!nei`, `1st`, `!1st`,
    /// a probability (`50%`) or a ratio (`3:4`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// Number of trigs 1-8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeats: Option<u8>,
    /// Micro-timing in 1/384 of a step, -32..31.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub micro: Option<i8>,
    /// Parameter locks by name, `page.param` as in [`crate::model::params`] (`src.strt`,
    /// `amp.vol`, `fx1.base` for the track's machine and FX types in the pattern's part; `sample`
    /// is the sample lock, slot 1-128).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locks: Option<FlowMap<BTreeMap<String, u16>>>,
}

/// One part: name, saved state and the two copies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartDoc {
    /// Part number 1-4.
    pub part: usize,
    /// Name (up to 7 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `parts_saved_state` (1 = a saved copy exists).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saved_state: Option<u8>,
    /// The working copy (what plays).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working: Option<PartBodyDoc>,
    /// The saved copy (PART -> RELOAD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saved: Option<PartBodyDoc>,
}

/// The content of one copy of a part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartBodyDoc {
    /// Active scene A, 1-16.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scene_a: Option<u16>,
    /// Active scene B, 1-16.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scene_b: Option<u16>,
    /// Audio tracks that differ.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tracks: Vec<PartTrackDoc>,
    /// MIDI tracks that differ.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub midi_tracks: Vec<PartMidiTrackDoc>,
    /// Scenes with locks or crossfader bytes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scenes: Vec<SceneDoc>,
}

/// One audio track of a part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartTrackDoc {
    /// Track number 1-8.
    pub track: usize,
    /// Machine: Static, Flex, Thru, Neighbor, Pickup.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine: Option<String>,
    /// FX1 type (`filter`, `eq`, ..., `#NN` for an id without an undisputed name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fx1: Option<String>,
    /// FX2 type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fx2: Option<String>,
    /// Volumes [main, cue].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<Flow<Vec<u8>>>,
    /// Static sample slot 1-128.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub static_slot: Option<u16>,
    /// Flex sample slot 1-136 (129-136 are the recorder buffers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flex_slot: Option<u16>,
    /// Recorder buffer slot (default 129-136).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorder_slot: Option<u16>,
    /// Named values that differ ([`crate::model::params::AUDIO_PART_PAGES`]: `flex.ptch`,
    /// `flex_setup.loop`, `amp_setup.sync`, `fx1.base`, `lfo_setup.wave1`, `rec.qrec`,
    /// `lfo_design.step3`, ...; the FX pages named by this track's FX types, generic `pN` names
    /// accepted), stored bytes as they are.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: BTreeMap<String, u16>,
    /// Version 1-2 documents only: byte groups ([`part::AUDIO_GROUPS`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, Flow<Vec<u8>>>,
}

/// One MIDI track of a part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartMidiTrackDoc {
    /// Track number 1-8.
    pub track: usize,
    /// Named values that differ ([`crate::model::params::MIDI_PART_PAGES`]: `note_setup.chan`
    /// 1-16, `arp.mode`, `ctrl1_setup.cc1`, `arp_seq.note1`, ...).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: BTreeMap<String, u16>,
    /// Version 1-2 documents only: byte groups ([`part::MIDI_GROUPS`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, Flow<Vec<u8>>>,
}

/// One scene.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SceneDoc {
    /// Scene number 1-16.
    pub scene: usize,
    /// The 10 crossfader (XLV) bytes, when not all 255.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xlv: Option<Flow<Vec<u8>>>,
    /// Tracks with locks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tracks: Vec<SceneTrackDoc>,
}

/// The locks of one track in a scene.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SceneTrackDoc {
    /// Track number 1-8.
    pub track: usize,
    /// Locks by name (the audio lock names of [`crate::model::params`] for the track's machine
    /// and FX types in this part).
    pub locks: FlowMap<BTreeMap<String, u16>>,
}

/// Pattern-level settings bytes, by name.
const PATTERN_SETTINGS: [(&str, usize); 6] = [
    ("length_multiplier", pattern::LENGTH_MULTIPLIER),
    ("per_track_length", pattern::PER_TRACK_LENGTH),
    ("per_track_scale", pattern::PER_TRACK_SCALE),
    ("master_length", pattern::MASTER_LENGTH),
    ("master_scale", pattern::MASTER_SCALE),
    ("scale_mode", pattern::SCALE_MODE),
];

fn flow_map<T>(m: BTreeMap<String, T>) -> Option<FlowMap<BTreeMap<String, T>>> {
    (!m.is_empty()).then_some(FlowMap(m))
}

fn plus1(b: u8) -> u16 {
    u16::from(b) + 1
}

fn minus1(what: &str, v: u16) -> Result<u8, OtError> {
    v.checked_sub(1).and_then(|x| u8::try_from(x).ok()).ok_or_else(|| invalid(what, format!("{v}: must be 1-256")))
}

// ---------------------------------------------------------------------------------------------
// dump

/// The document of a bank image (any checksum: a wrong one is kept in `stored_checksum`).
pub fn dump(bytes: &[u8]) -> Result<BankDoc, OtError> {
    let (bank, state) = Bank::read_lenient(bytes)?;
    let default = Bank::new_default();
    let mut doc = BankDoc {
        kind: KIND.to_string(),
        version: Some(VERSION),
        patterns: (0..PATTERN_COUNT)
            .filter_map(|p| pattern_doc(&bank.pattern(p), &default.pattern(p), p, &contexts(&bank, p)))
            .collect(),
        parts: (0..PART_COUNT).filter_map(|i| part_doc(&bank, &default, i)).collect(),
        byte_0x9b4b2: Some(bank.disputed_0x9b4b2()).filter(|&b| b != default.disputed_0x9b4b2()),
        stored_checksum: None,
        unmodelled: Vec::new(),
    };
    let mut modelled_only = default.as_bytes().to_vec();
    apply_modelled(&mut modelled_only, &doc)?;
    doc.unmodelled = patch::diff(&modelled_only, bank.as_bytes(), 0..BANK_SIZE - 2);
    if !state.is_valid() {
        doc.stored_checksum = Some(patch::checksum_text(state.stored));
    }
    Ok(doc)
}

/// The lock-naming contexts of the 8 audio tracks of pattern `p` (0-based): the machines and FX
/// types of the working part it plays (generic names when the part byte is not 0-3).
fn contexts(bank: &Bank, p: usize) -> [AudioContext; 8] {
    let part = usize::from(bank.pattern(p).part());
    if part >= PART_COUNT {
        return [AudioContext::default(); 8];
    }
    let pt = bank.part(PartCopy::Working, part);
    std::array::from_fn(|t| AudioContext::of_part(&pt, t))
}

fn pattern_doc(p: &Pattern<&[u8]>, d: &Pattern<&[u8]>, index: usize, ctx: &[AudioContext; 8]) -> Option<PatternDoc> {
    let settings: BTreeMap<String, u8> = PATTERN_SETTINGS
        .iter()
        .filter(|(_, off)| p.byte(*off) != d.byte(*off))
        .map(|(n, off)| ((*n).to_string(), p.byte(*off)))
        .collect();
    let doc = PatternDoc {
        pattern: index + 1,
        part: (p.part() != d.part()).then(|| plus1(p.part())),
        tempo_x24: (p.tempo_x24() != d.tempo_x24()).then(|| p.tempo_x24()),
        settings: flow_map(settings),
        tracks: (0..8).filter_map(|t| track_doc(&p.audio_track(t), &d.audio_track(t), t, ctx.get(t))).collect(),
        midi_tracks: (0..8).filter_map(|t| track_doc(&p.midi_track(t), &d.midi_track(t), t, None)).collect(),
    };
    let empty = doc.part.is_none()
        && doc.tempo_x24.is_none()
        && doc.settings.is_none()
        && doc.tracks.is_empty()
        && doc.midi_tracks.is_empty();
    (!empty).then_some(doc)
}

fn mask_slot<'a>(doc: &'a mut TrackDoc, name: &str) -> Option<&'a mut Option<Flow<Vec<u8>>>> {
    Some(match name {
        "trigs" => &mut doc.trigs,
        "trigless" => &mut doc.trigless,
        "plock_trigs" => &mut doc.plock_trigs,
        "oneshot" => &mut doc.oneshot,
        "swing" => &mut doc.swing,
        "slide" => &mut doc.slide,
        "recorder_ab" => &mut doc.recorder_ab,
        "recorder_cd" => &mut doc.recorder_cd,
        "recorder_src3" => &mut doc.recorder_src3,
        "recorder_oneshot" => &mut doc.recorder_oneshot,
        "mask5" => &mut doc.mask5,
        _ => return None,
    })
}

/// The name and shown value of lock field `f` (MIDI when `ctx` is None).
fn lock_shown(f: usize, raw: u8, ctx: Option<&AudioContext>) -> (String, u16) {
    match ctx {
        Some(c) => (params::audio_lock_name(f, c), params::show_audio_lock(f, raw)),
        None => (params::midi_lock_name(f).to_string(), u16::from(raw)),
    }
}

fn track_doc(t: &Track<&[u8]>, d: &Track<&[u8]>, index: usize, ctx: Option<&AudioContext>) -> Option<TrackDoc> {
    let mut doc = TrackDoc {
        track: index + 1,
        trigs: None,
        trigless: None,
        plock_trigs: None,
        oneshot: None,
        swing: None,
        slide: None,
        recorder_ab: None,
        recorder_cd: None,
        recorder_src3: None,
        recorder_oneshot: None,
        mask5: None,
        settings: None,
        steps: Vec::new(),
    };
    let mut any = false;
    for (i, &(name, _)) in t.layout().masks.iter().enumerate() {
        if t.mask(i) != d.mask(i)
            && let Some(slot) = mask_slot(&mut doc, name)
        {
            *slot = Some(Flow(pattern::steps_of(t.mask(i))));
            any = true;
        }
    }
    let settings: BTreeMap<String, u8> = (0..8)
        .filter(|&i| t.setting(i) != d.setting(i))
        .map(|i| (TRACK_SETTING_NAMES[i].to_string(), t.setting(i)))
        .collect();
    doc.settings = flow_map(settings);
    let ctx = if t.layout().midi { None } else { Some(ctx.copied().unwrap_or_default()) };
    for s in 0..STEPS {
        let (tt, dt) = (t.timing(s), d.timing(s));
        let locks: BTreeMap<String, u16> = t
            .plock(s)
            .iter()
            .zip(d.plock(s))
            .enumerate()
            .filter(|(_, (a, b))| a != b)
            .map(|(f, (a, _))| lock_shown(f, *a, ctx.as_ref()))
            .collect();
        if tt != dt || !locks.is_empty() {
            doc.steps.push(StepDoc {
                step: s + 1,
                condition: (tt.condition != dt.condition).then(|| pattern::condition_name(tt.condition)),
                repeats: (tt.repeats != dt.repeats).then_some(tt.repeats + 1),
                micro: (tt.micro != dt.micro).then_some(tt.micro),
                locks: flow_map(locks),
            });
        }
    }
    any |= doc.settings.is_some() || !doc.steps.is_empty();
    any.then_some(doc)
}

fn part_doc(bank: &Bank, default: &Bank, i: usize) -> Option<PartDoc> {
    let doc = PartDoc {
        part: i + 1,
        name: (bank.part_name(i) != default.part_name(i)).then(|| bank.part_name(i)),
        saved_state: Some(bank.part_saved_state(i)).filter(|&s| s != default.part_saved_state(i)),
        working: part_body_doc(&bank.part(PartCopy::Working, i), &default.part(PartCopy::Working, i)),
        saved: part_body_doc(&bank.part(PartCopy::Saved, i), &default.part(PartCopy::Saved, i)),
    };
    (doc.name.is_some() || doc.saved_state.is_some() || doc.working.is_some() || doc.saved.is_some()).then_some(doc)
}

/// The named values of track `t` that differ from the default part, named in `ctx`.
fn values_doc(
    p: &Part<&[u8]>,
    d: &Part<&[u8]>,
    pages: &[params::PartPage],
    ctx: &AudioContext,
    t: usize,
) -> BTreeMap<String, u16> {
    params::part_params(pages, ctx)
        .into_iter()
        .filter(|q| p.byte(q.at(t)) != d.byte(q.at(t)))
        .map(|q| {
            let v = q.show(p.byte(q.at(t)));
            (q.name, v)
        })
        .collect()
}

fn part_body_doc(p: &Part<&[u8]>, d: &Part<&[u8]>) -> Option<PartBodyDoc> {
    let byte_if = |off: usize| (p.byte(off) != d.byte(off)).then(|| p.byte(off));
    let mut tracks = Vec::new();
    let mut midi_tracks = Vec::new();
    for t in 0..8 {
        let slot = |k: usize| byte_if(part::SLOTS + 5 * t + k).map(plus1);
        let vol = (p.byte(part::VOLUMES + 2 * t), p.byte(part::VOLUMES + 2 * t + 1));
        let dvol = (d.byte(part::VOLUMES + 2 * t), d.byte(part::VOLUMES + 2 * t + 1));
        let doc = PartTrackDoc {
            track: t + 1,
            machine: byte_if(part::MACHINE_TYPE + t).map(part::machine_name),
            fx1: byte_if(part::FX1_TYPE + t).map(part::fx_name),
            fx2: byte_if(part::FX2_TYPE + t).map(part::fx_name),
            volume: (vol != dvol).then(|| Flow(vec![vol.0, vol.1])),
            static_slot: slot(0),
            flex_slot: slot(1),
            recorder_slot: slot(4),
            values: values_doc(p, d, params::AUDIO_PART_PAGES, &AudioContext::of_part(p, t), t),
            params: BTreeMap::new(),
        };
        if doc.machine.is_some()
            || doc.fx1.is_some()
            || doc.fx2.is_some()
            || doc.volume.is_some()
            || doc.static_slot.is_some()
            || doc.flex_slot.is_some()
            || doc.recorder_slot.is_some()
            || !doc.values.is_empty()
        {
            tracks.push(doc);
        }
        let values = values_doc(p, d, params::MIDI_PART_PAGES, &AudioContext::default(), t);
        if !values.is_empty() {
            midi_tracks.push(PartMidiTrackDoc { track: t + 1, values, params: BTreeMap::new() });
        }
    }
    let mut scenes = Vec::new();
    for s in 0..16 {
        let xoff = part::SCENE_XLV + s * part::SCENE_XLV_SIZE;
        let xlv = p.raw().get(xoff..xoff + part::SCENE_XLV_SIZE).unwrap_or(&[]);
        let dxlv = d.raw().get(xoff..xoff + part::SCENE_XLV_SIZE).unwrap_or(&[]);
        let mut scene = SceneDoc { scene: s + 1, xlv: (xlv != dxlv).then(|| Flow(xlv.to_vec())), tracks: Vec::new() };
        for t in 0..8 {
            let ctx = AudioContext::of_part(p, t);
            let locks: BTreeMap<String, u16> = p
                .scene_locks(s, t)
                .iter()
                .zip(d.scene_locks(s, t))
                .enumerate()
                .filter(|(_, (a, b))| a != b)
                .map(|(f, (a, _))| lock_shown(f, *a, Some(&ctx)))
                .collect();
            if !locks.is_empty() {
                scene.tracks.push(SceneTrackDoc { track: t + 1, locks: FlowMap(locks) });
            }
        }
        if scene.xlv.is_some() || !scene.tracks.is_empty() {
            scenes.push(scene);
        }
    }
    let doc = PartBodyDoc {
        scene_a: byte_if(part::ACTIVE_SCENE_A).map(plus1),
        scene_b: byte_if(part::ACTIVE_SCENE_B).map(plus1),
        tracks,
        midi_tracks,
        scenes,
    };
    let empty = doc.scene_a.is_none()
        && doc.scene_b.is_none()
        && doc.tracks.is_empty()
        && doc.midi_tracks.is_empty()
        && doc.scenes.is_empty();
    (!empty).then_some(doc)
}

// ---------------------------------------------------------------------------------------------
// build

/// Builds the bank bytes a document describes (checksum recomputed unless the document keeps a
/// `stored_checksum`).
pub fn build(doc: &BankDoc) -> Result<Vec<u8>, OtError> {
    if doc.kind != KIND {
        return Err(invalid("kind", format!("{:?}: a bank document has `kind: {KIND}`", doc.kind)));
    }
    check_version(doc)?;
    let mut image = bank::default_bank_bytes();
    patch::apply(&mut image, &doc.unmodelled, BANK_SIZE - 2)?;
    apply_modelled(&mut image, doc)?;
    patch::finish_checksum(&mut image, doc.stored_checksum.as_deref())?;
    bank::validate(&image, ChecksumPolicy::Lenient)?;
    Ok(image)
}

/// The format version of a document: refuses a document without one (written before the trig
/// step order was fixed, so its step lists would be misread) and versions from the future.
fn check_version(doc: &BankDoc) -> Result<u32, OtError> {
    match doc.version {
        Some(v @ (1 | 2 | VERSION)) => Ok(v),
        Some(v) => Err(invalid(
            "version",
            format!("{v}: this groovekit reads bank documents of versions 1 to {VERSION}; update groovekit"),
        )),
        None => Err(invalid(
            "version",
            format!(
                "this bank document has no `version` key: it was written before groovekit fixed the trig step order \
                 (steps 17-64 were listed in the wrong places), so reading it now would move trigs. \
                 Dump the bank again from the device file (`groovekit dump bankNN.work`), or, to keep this document's \
                 edits, add `version: 1` at the top and groovekit converts it (steps, lock names and slot numbers) \
                 to version {VERSION}"
            ),
        )),
    }
}

/// Applies the typed fields of `doc` to a bank image (everything except patches and checksum).
/// Parts go first: the names of a pattern's locks depend on the machines of its part.
fn apply_modelled(image: &mut [u8], doc: &BankDoc) -> Result<(), OtError> {
    let version = check_version(doc)?;
    apply_parts(image, doc, version)?;
    for p in &doc.patterns {
        let pi = index("pattern", p.pattern, PATTERN_COUNT)?;
        let off = bank::pattern_offset(pi);
        let part = match p.part {
            Some(part) => minus1(&format!("pattern {} part", p.pattern), part)?,
            None => image.get(off + pattern::PART_ASSIGNMENT).copied().unwrap_or(0),
        };
        let ctx: [AudioContext; 8] = match usize::from(part) {
            i if i < PART_COUNT => {
                let po = PartCopy::Working.offset(i);
                let pt = Part::new(image.get(po..po + part::PART_SIZE).unwrap_or(&[]));
                std::array::from_fn(|t| AudioContext::of_part(&pt, t))
            }
            _ => [AudioContext::default(); 8],
        };
        let block = image.get_mut(off..off + pattern::PATTERN_SIZE).ok_or_else(|| invalid("bank", "short image"))?;
        apply_pattern(&mut Pattern::new(block), p, &ctx, version)?;
    }
    if let Some(b) = doc.byte_0x9b4b2
        && let Some(x) = image.get_mut(bank::DISPUTED_0X9B4B2)
    {
        *x = b;
    }
    Ok(())
}

fn apply_parts(image: &mut [u8], doc: &BankDoc, version: u32) -> Result<(), OtError> {
    for part in &doc.parts {
        let i = index("part", part.part, PART_COUNT)?;
        let what = format!("part {}", part.part);
        if let Some(name) = &part.name {
            let off = bank::PART_NAMES + i * bank::PART_NAME_LEN;
            let field = image.get_mut(off..off + bank::PART_NAME_LEN).ok_or_else(|| invalid(&what, "short image"))?;
            crate::raw::image::write_name(field, name, &format!("{what} name"))?;
        }
        if let Some(s) = part.saved_state
            && let Some(b) = image.get_mut(bank::PARTS_SAVED_STATE + i)
        {
            *b = s;
        }
        for (copy, body, label) in
            [(PartCopy::Working, &part.working, "working"), (PartCopy::Saved, &part.saved, "saved")]
        {
            if let Some(body) = body {
                let off = copy.offset(i);
                let block = image.get_mut(off..off + part::PART_SIZE).ok_or_else(|| invalid(&what, "short image"))?;
                apply_part_body(&mut Part::new(block), body, &format!("{what} {label}"), version)?;
            }
        }
    }
    Ok(())
}

fn apply_pattern(
    p: &mut Pattern<&mut [u8]>,
    doc: &PatternDoc,
    ctx: &[AudioContext; 8],
    version: u32,
) -> Result<(), OtError> {
    let what = format!("pattern {}", doc.pattern);
    if let Some(part) = doc.part {
        let v = minus1(&format!("{what} part"), part)?;
        p.set_part(v);
    }
    if let Some(t) = doc.tempo_x24 {
        p.set_tempo_x24(t);
    }
    if let Some(FlowMap(settings)) = &doc.settings {
        for (name, &v) in settings {
            let off = PATTERN_SETTINGS.iter().find(|(n, _)| n == name).map(|(_, o)| *o).ok_or_else(|| {
                let known: Vec<&str> = PATTERN_SETTINGS.iter().map(|(n, _)| *n).collect();
                invalid(format!("{what} settings.{name}"), format!("unknown setting; known: {}", known.join(", ")))
            })?;
            p.set_byte(off, v);
        }
    }
    for t in &doc.tracks {
        let ti = index(&format!("{what} track"), t.track, 8)?;
        let c = ctx.get(ti).copied().unwrap_or_default();
        apply_track(&mut p.audio_track_mut(ti), t, &format!("{what} track {}", t.track), Some(&c), version)?;
    }
    for t in &doc.midi_tracks {
        let ti = index(&format!("{what} MIDI track"), t.track, 8)?;
        apply_track(&mut p.midi_track_mut(ti), t, &format!("{what} MIDI track {}", t.track), None, version)?;
    }
    Ok(())
}

/// The field and byte of a lock named in a document. `ctx` is None for MIDI tracks; version 1
/// documents use the old generic names and raw values.
fn lock_field(
    name: &str,
    v: u16,
    ctx: Option<&AudioContext>,
    version: u32,
    where_: &str,
) -> Result<(usize, u8), OtError> {
    let what = format!("{where_} locks.{name}");
    if version == 1 {
        let names = if ctx.is_some() { &pattern::AUDIO_LOCK_NAMES_V1 } else { &pattern::MIDI_LOCK_NAMES_V1 };
        let f = names.iter().position(|n| *n == name).ok_or_else(|| {
            invalid(&what, format!("unknown lock in a version 1 document; known: {}", names.join(", ")))
        })?;
        let b = u8::try_from(v).map_err(|_| invalid(&what, format!("{v}: must be 0-255")))?;
        return Ok((f, b));
    }
    match ctx {
        Some(c) => {
            let f = params::audio_lock_field(name, c).ok_or_else(|| {
                invalid(
                    &what,
                    format!(
                        "unknown lock for this track's machine and FX; known: {} (or src.p1-6, fx1.p1-6, fx2.p1-6)",
                        params::audio_lock_names(c).join(", ")
                    ),
                )
            })?;
            Ok((f, params::store_audio_lock(f, v, &what)?))
        }
        None => {
            let f = params::midi_lock_field(name)
                .ok_or_else(|| invalid(&what, format!("unknown lock; known: {}", params::MIDI_LOCKS.join(", "))))?;
            let b = u8::try_from(v).map_err(|_| invalid(&what, format!("{v}: must be 0-255 (255 = no lock)")))?;
            Ok((f, b))
        }
    }
}

fn apply_track(
    t: &mut Track<&mut [u8]>,
    doc: &TrackDoc,
    what: &str,
    ctx: Option<&AudioContext>,
    version: u32,
) -> Result<(), OtError> {
    let layout = t.layout();
    let mut doc_masks = doc.clone();
    for name in [
        "trigs",
        "trigless",
        "plock_trigs",
        "oneshot",
        "recorder_ab",
        "recorder_cd",
        "recorder_src3",
        "recorder_oneshot",
        "swing",
        "slide",
        "mask5",
    ] {
        let Some(Some(Flow(steps))) = mask_slot(&mut doc_masks, name).map(|s| s.take()) else { continue };
        let i = layout
            .masks
            .iter()
            .position(|(n, _)| *n == name)
            .ok_or_else(|| invalid(format!("{what} {name}"), format!("this track kind has no `{name}` mask")))?;
        if let Some(bad) = steps.iter().find(|s| !(1..=64).contains(*s)) {
            return Err(invalid(format!("{what} {name}"), format!("step {bad}: steps are 1-64")));
        }
        let set = pattern::set_of(&steps);
        t.set_mask(i, if version == 1 { pattern::convert_v1_steps(set) } else { set });
    }
    if let Some(FlowMap(settings)) = &doc.settings {
        for (name, &v) in settings {
            let i = TRACK_SETTING_NAMES.iter().position(|n| n == name).ok_or_else(|| {
                invalid(
                    format!("{what} settings.{name}"),
                    format!("unknown setting; known: {}", TRACK_SETTING_NAMES.join(", ")),
                )
            })?;
            t.set_setting(i, v);
        }
    }
    for step in &doc.steps {
        let s = index(&format!("{what} step"), step.step, STEPS)?;
        let where_ = format!("{what} step {}", step.step);
        let mut timing: StepTiming = t.timing(s);
        if let Some(c) = &step.condition {
            timing.condition = pattern::parse_condition(c).ok_or_else(|| {
                invalid(format!("{where_} condition"), format!("{c:?}: use none, fill, !fill, pre, !pre, nei, !nei, 1st, !1st, a probability such as 50%, or a ratio such as 3:4"))
            })?;
        }
        if let Some(r) = step.repeats {
            if !(1..=8).contains(&r) {
                return Err(invalid(format!("{where_} repeats"), format!("{r}: must be 1-8")));
            }
            timing.repeats = r - 1;
        }
        if let Some(m) = step.micro {
            if !(-32..=31).contains(&m) {
                return Err(invalid(format!("{where_} micro"), format!("{m}: must be -32..31 (1/384 steps)")));
            }
            timing.micro = m;
        }
        t.set_timing(s, timing);
        if let Some(FlowMap(locks)) = &step.locks {
            for (name, &v) in locks {
                let (f, b) = lock_field(name, v, ctx, version, &where_)?;
                t.set_plock(s, f, b);
            }
        }
    }
    Ok(())
}

/// Applies a track's named values (version 3) and byte groups (versions 1-2; refused in 3).
#[allow(clippy::too_many_arguments)] // ok: one call site per track kind, each argument distinct
fn apply_values(
    p: &mut Part<&mut [u8]>,
    (pages, groups): (&[params::PartPage], &[Group]),
    t: usize,
    values: &BTreeMap<String, u16>,
    params: &BTreeMap<String, Flow<Vec<u8>>>,
    midi: bool,
    what: &str,
    version: u32,
) -> Result<(), OtError> {
    if version >= 3 && !params.is_empty() {
        return Err(invalid(
            format!("{what} params"),
            "version 3 documents name single values under `values:` (e.g. `flex.ptch: 64`); byte groups under \
             `params:` belong to version 1-2 documents (set `version: 2` to read this one as such)",
        ));
    }
    let ctx = if midi { AudioContext::default() } else { AudioContext::of_part(p, t) };
    for (name, &v) in values {
        let q = params::part_param(name, pages, &ctx).ok_or_else(|| {
            let known: Vec<String> = params::part_params(pages, &ctx).into_iter().map(|q| q.name).collect();
            invalid(format!("{what} values.{name}"), format!("unknown name; known: {}", known.join(", ")))
        })?;
        let shift = q.show(0);
        let b = v
            .checked_sub(shift)
            .and_then(|x| u8::try_from(x).ok())
            .ok_or_else(|| invalid(format!("{what} values.{name}"), format!("{v}: must be {shift}-{}", 255 + shift)))?;
        p.set_byte(q.at(t), b);
    }
    apply_groups(p, groups, t, params, what)
}

fn apply_groups(
    p: &mut Part<&mut [u8]>,
    groups: &[Group],
    t: usize,
    params: &BTreeMap<String, Flow<Vec<u8>>>,
    what: &str,
) -> Result<(), OtError> {
    for (name, Flow(values)) in params {
        let g = groups.iter().find(|g| g.name == name).ok_or_else(|| {
            let known: Vec<&str> = groups.iter().map(|g| g.name).collect();
            invalid(format!("{what} params.{name}"), format!("unknown group; known: {}", known.join(", ")))
        })?;
        if values.len() != g.len {
            return Err(invalid(
                format!("{what} params.{name}"),
                format!("needs {} values, has {}", g.len, values.len()),
            ));
        }
        p.set_group(g, t, values);
    }
    Ok(())
}

fn apply_part_body(p: &mut Part<&mut [u8]>, doc: &PartBodyDoc, what: &str, version: u32) -> Result<(), OtError> {
    if let Some(s) = doc.scene_a {
        p.set_byte(part::ACTIVE_SCENE_A, minus1(&format!("{what} scene_a"), s)?);
    }
    if let Some(s) = doc.scene_b {
        p.set_byte(part::ACTIVE_SCENE_B, minus1(&format!("{what} scene_b"), s)?);
    }
    for tr in &doc.tracks {
        let t = index(&format!("{what} track"), tr.track, 8)?;
        let w = format!("{what} track {}", tr.track);
        if let Some(m) = &tr.machine {
            let b = part::parse_machine(m).ok_or_else(|| {
                invalid(format!("{w} machine"), format!("{m:?}: use Static, Flex, Thru, Neighbor or Pickup"))
            })?;
            p.set_machine(t, b);
        }
        for (v, off, label) in [(&tr.fx1, part::FX1_TYPE, "fx1"), (&tr.fx2, part::FX2_TYPE, "fx2")] {
            if let Some(name) = v {
                let b = part::parse_fx(name).ok_or_else(|| {
                    invalid(format!("{w} {label}"), format!("{name:?}: use off, filter, spatializer, delay, eq, dj-eq, phaser, flanger, chorus, comb, plate, spring, dark-reverb, compressor or #NN"))
                })?;
                p.set_byte(off + t, b);
            }
        }
        if let Some(Flow(vol)) = &tr.volume {
            let [main, cue] = vol[..] else {
                return Err(invalid(format!("{w} volume"), "needs [main, cue]"));
            };
            p.set_byte(part::VOLUMES + 2 * t, main);
            p.set_byte(part::VOLUMES + 2 * t + 1, cue);
        }
        for (v, k, label) in
            [(tr.static_slot, 0, "static_slot"), (tr.flex_slot, 1, "flex_slot"), (tr.recorder_slot, 4, "recorder_slot")]
        {
            if let Some(slot) = v {
                p.set_byte(part::SLOTS + 5 * t + k, minus1(&format!("{w} {label}"), slot)?);
            }
        }
        apply_values(p, (params::AUDIO_PART_PAGES, AUDIO_GROUPS), t, &tr.values, &tr.params, false, &w, version)?;
    }
    for tr in &doc.midi_tracks {
        let t = index(&format!("{what} MIDI track"), tr.track, 8)?;
        let w = format!("{what} MIDI track {}", tr.track);
        apply_values(p, (params::MIDI_PART_PAGES, MIDI_GROUPS), t, &tr.values, &tr.params, true, &w, version)?;
    }
    for sc in &doc.scenes {
        let s = index(&format!("{what} scene"), sc.scene, 16)?;
        let w = format!("{what} scene {}", sc.scene);
        if let Some(Flow(x)) = &sc.xlv {
            if x.len() != part::SCENE_XLV_SIZE {
                return Err(invalid(format!("{w} xlv"), format!("needs {} values", part::SCENE_XLV_SIZE)));
            }
            for (k, &v) in x.iter().enumerate() {
                p.set_byte(part::SCENE_XLV + s * part::SCENE_XLV_SIZE + k, v);
            }
        }
        for tr in &sc.tracks {
            let t = index(&format!("{w} track"), tr.track, 8)?;
            let ctx = AudioContext::of_part(p, t);
            for (name, &v) in &tr.locks.0 {
                let (f, b) = lock_field(name, v, Some(&ctx), version, &format!("{w} track {}", tr.track))?;
                p.set_byte(part::SCENES + s * part::SCENE_SIZE + t * 32 + f, b);
            }
        }
    }
    Ok(())
}

/// Dumps a bank image to YAML or JSON text.
pub fn to_text(bytes: &[u8], syntax: groovekit_core::doc::Syntax) -> Result<String, OtError> {
    Ok(groovekit_core::doc::to_text(&dump(bytes)?, syntax)?)
}

/// Builds bank bytes from YAML or JSON text.
pub fn from_text(text: &str) -> Result<Vec<u8>, OtError> {
    build(&groovekit_core::doc::from_text::<BankDoc>(text)?)
}
