//! Standard MIDI File export of a project: one MIDI track per OP-Z track, the tempo, each
//! track's own loop (step count x step length, i.e. polymeter) and micro-timing, for one pattern
//! or a chain of patterns. The file itself is written by [`groovekit_audio::midi`].

use groovekit_audio::midi::{MidiNote, MidiSong, MidiTrack};

use crate::OpzError;
use crate::model::{self, Project, TRACK_NAMES};
use crate::raw::{PATTERNS, STEPS, TRACKS};

/// Ticks of the note-duration field per 1/16 step: **3 072** (hypothesis H-B of the reference
/// notes, §3.6). This one constant decides every note length in the export.
///
/// Evidence, measured on the corpus (see docs/opz.md):
/// - the most common durations (12 288, 24 576, 18 432, 49 152, 36 864) are exactly 4, 8, 6, 16
///   and 12 steps at 3 072; under yellowjacket's 2 560 they would be 4.8, 9.6, ... steps;
/// - schollz/error-garden `project05.opz`, pattern 1, kick track (step length 4): 16 notes, one on
///   every step, each 12 288 ticks long = exactly one of its 4/16 steps (4 x 3 072); its sample
///   track holds 36 864 and 49 152 (3 and 4 of its steps) and its arp/chord tracks 24 576 (2 steps);
/// - micro-timing spans -96..=95 = 192 units per step, so one micro unit is 3 072 / 192 = 16 ticks.
///
/// Not yet confirmed on a device (reference §8, question 1).
pub const TICKS_PER_STEP: u32 = 3_072;

/// MIDI resolution of the export: 4 steps per quarter note, so file ticks equal OP-Z ticks.
pub const PPQ: u16 = 4 * TICKS_PER_STEP as u16;

/// Micro-timing units per step (the stored range -96..=95 is ±½ step).
pub const MICRO_PER_STEP: u32 = 192;

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// One pattern (0-based).
    Pattern(usize),
    /// The patterns of chain N (0-based; 15 = the playing chain), in order.
    Chain(usize),
}

/// Export options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOptions {
    /// Which patterns, in which order.
    pub order: Order,
    /// MIDI channel per track (0-based; default: the track index, as in the factory midi.json).
    pub channels: [u8; TRACKS],
}

impl Default for ExportOptions {
    fn default() -> Self {
        let mut channels = [0u8; TRACKS];
        for (i, c) in channels.iter_mut().enumerate() {
            *c = i as u8;
        }
        Self { order: Order::Chain(15), channels }
    }
}

/// Parses `KEY=VALUE` options: `pattern=N` (1..=16) or `chain=N` (1..=16, 16 = playing chain).
pub fn parse_options(options: &[String]) -> Result<ExportOptions, OpzError> {
    let mut out = ExportOptions::default();
    for o in options {
        let (key, value) = o
            .split_once('=')
            .ok_or_else(|| OpzError::Document(format!("option `{o}` is not KEY=VALUE (try pattern=1)")))?;
        let n: usize = value
            .trim()
            .parse()
            .ok()
            .filter(|n| (1..=16).contains(n))
            .ok_or_else(|| OpzError::Document(format!("option `{o}`: {key} is a number 1..=16")))?;
        out.order = match key.trim() {
            "pattern" => Order::Pattern(n - 1),
            "chain" => Order::Chain(n - 1),
            other => return Err(OpzError::Document(format!("unknown option `{other}` (use pattern=N or chain=N)"))),
        };
    }
    Ok(out)
}

/// Reads the MIDI channels of the tracks from the device's `config/midi.json` (`track_channels`).
pub fn channels_from_midi_json(text: &str) -> Result<[u8; TRACKS], OpzError> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| OpzError::Document(format!("midi.json: {e}")))?;
    let list = v
        .get("track_channels")
        .and_then(|c| c.as_array())
        .ok_or_else(|| OpzError::Document("midi.json has no `track_channels` list".into()))?;
    let mut out = ExportOptions::default().channels;
    for (slot, c) in out.iter_mut().zip(list) {
        *slot = c
            .as_u64()
            .filter(|&c| c < 16)
            .map(|c| c as u8)
            .ok_or_else(|| OpzError::Document(format!("midi.json: channel {c} is not 0..=15")))?;
    }
    Ok(out)
}

/// The patterns an order plays (0-based). An empty chain plays pattern 1.
pub fn patterns_in_order(project: &Project, order: Order) -> Vec<usize> {
    match order {
        Order::Pattern(p) => vec![p],
        Order::Chain(c) => {
            let entries: Vec<usize> = project.chain(c).into_iter().map(usize::from).collect();
            if entries.is_empty() { vec![0] } else { entries }
        }
    }
}

/// A track's step length in 1/16 notes (0, "single step on external trig", counts as 1).
fn step_length(settings: &model::TrackSettings) -> u64 {
    u64::from(settings.step_length.max(1))
}

/// A track's loop length in 1/16 notes: step count (1..=16) x step length.
fn loop_length(settings: &model::TrackSettings) -> u64 {
    u64::from(settings.step_count.clamp(1, 16)) * step_length(settings)
}

/// How long pattern `p` plays, in 1/16 notes: the longest loop among the tracks that hold notes,
/// at least one bar. (How the device decides is not documented; see docs/opz.md.)
pub fn pattern_length(project: &Project, p: usize) -> Result<u64, OpzError> {
    let mut len = STEPS as u64;
    for t in 0..TRACKS {
        if !project.notes(p, t)?.is_empty() {
            len = len.max(loop_length(&project.track(p, t)?));
        }
    }
    Ok(len)
}

/// Builds the MIDI song of a project.
pub fn export(project: &Project, options: &ExportOptions) -> Result<MidiSong, OpzError> {
    let order = patterns_in_order(project, options.order);
    if let Some(&p) = order.iter().find(|&&p| p >= PATTERNS) {
        return Err(OpzError::Index(format!("pattern {} does not exist (1..=16)", p + 1)));
    }
    let tps = u64::from(TICKS_PER_STEP);
    let micro_ticks = i64::from(TICKS_PER_STEP / MICRO_PER_STEP);
    let mut tracks: Vec<MidiTrack> = (0..TRACKS)
        .map(|t| MidiTrack { name: TRACK_NAMES[t].to_string(), channel: options.channels[t], notes: Vec::new() })
        .collect();
    let mut position = 0u64; // in 1/16 notes
    for &p in &order {
        let length = pattern_length(project, p)?;
        for (t, track) in tracks.iter_mut().enumerate() {
            let settings = project.track(p, t)?;
            let (step_len, loop_len) = (step_length(&settings), loop_length(&settings));
            for n in project.notes(p, t)? {
                if n.step >= usize::from(settings.step_count) || n.slot.note > 127 {
                    continue; // steps past the step count do not play; 128..=254 are not notes
                }
                let mut at = n.step as u64 * step_len;
                while at < length {
                    let base = ((position + at) * tps) as i64;
                    let start = base + i64::from(n.slot.micro) * micro_ticks * step_len as i64;
                    track.notes.push(MidiNote {
                        start: start.max(0) as u64,
                        length: u64::try_from(n.slot.duration).unwrap_or(0).max(1),
                        key: n.slot.note,
                        velocity: n.slot.velocity.clamp(1, 127),
                    });
                    at += loop_len;
                }
            }
        }
        position += length;
    }
    Ok(MidiSong { ppq: PPQ, bpm: f64::from(project.tempo().max(1)), name: String::new(), tracks })
}

#[cfg(test)]
#[path = "midi_tests.rs"]
mod tests;
