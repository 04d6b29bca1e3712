//! Octatrack patterns and arrangements as Standard MIDI Files, both ways (issue 21, parts 3-4):
//! - [`export`]: patterns or an arrangement, played by [`crate::timeline`], to a type-1 SMF with a
//!   conductor track (tempo map, time signatures, a marker per pattern or row), one track per MIDI
//!   track and one per audio track, each ending at the end of the span exported;
//! - [`import`]: an SMF's notes onto the trigs of consecutive patterns (and an arrangement's rows),
//!   as a project operation with a backup and a dry run.
//!
//! The SMF bytes are written and read by [`groovekit_audio::midi`] (shared with the OP-Z crate).
//! The mapping both ways, documented in `docs/octatrack-midi.md`:
//! - MIDI track N is the SMF track `M<N>` on the part's channel; its notes are the notes the track
//!   sends (NOTE and NOT2-NOT4, velocity, LEN), with the part's bank and program changes;
//! - audio track N is the SMF track `T<N> <sample>`, one note per trig that plays, key
//!   [`AUDIO_KEY`] (C4 = 60) at velocity [`AUDIO_VELOCITY`], one step long (an audio trig has no
//!   note, velocity or length: the sample plays as it is).

pub mod export;
pub mod import;

use std::fmt;

/// The key of an audio track's notes: C4 (60), the device's default MIDI note of audio tracks.
pub const AUDIO_KEY: u8 = 60;

/// The velocity of an audio track's notes.
pub const AUDIO_VELOCITY: u8 = 100;

/// An Octatrack track: MIDI track 1-8 (`M1`) or audio track 1-8 (`T1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TrackRef {
    /// MIDI track 1-8.
    Midi(u8),
    /// Audio track 1-8.
    Audio(u8),
}

impl TrackRef {
    /// Parses `M1`-`M8` or `T1`-`T8` (case-insensitive).
    pub fn parse(s: &str) -> Option<TrackRef> {
        let s = s.trim();
        let (kind, n) = s.split_at_checked(1)?;
        let n: u8 = n.parse().ok().filter(|n| (1..=8).contains(n))?;
        match kind {
            "M" | "m" => Some(TrackRef::Midi(n)),
            "T" | "t" => Some(TrackRef::Audio(n)),
            _ => None,
        }
    }
}

impl fmt::Display for TrackRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrackRef::Midi(n) => write!(f, "M{n}"),
            TrackRef::Audio(n) => write!(f, "T{n}"),
        }
    }
}

/// A MIDI note's name as the device shows it (C-1 = 0, C4 = 60), with its number: `C4 (60)`.
pub fn note_name(key: u8) -> String {
    const NAMES: [&str; 12] = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];
    let octave = i16::from(key / 12) - 1;
    format!("{}{octave} ({key})", NAMES[usize::from(key % 12)]) // ok: % 12 < 12
}

/// What NOT2-NOT4 can hold, for messages.
pub const CHORD_RANGE_TEXT: &str = "-64..+63 semitones (not 0)";

/// The stored NOT2-NOT4 byte for a chord note `offset` semitones from NOTE: 64 + offset; 64
/// itself is "no chord note" (the default part holds 64 in all three), so an offset of 0 has no
/// byte.
pub fn chord_store(offset: i16) -> Option<u8> {
    (offset != 0 && (-64..=63).contains(&offset)).then(|| (offset + 64) as u8) // ok: 0..=127
}

/// The LEN code whose length is nearest `steps` (at equal distance the shorter), from the
/// timeline's decoding ([`crate::timeline::rules::note_length_ticks`]); never INF.
pub fn len_code_for_steps(steps: f64) -> u8 {
    let step = crate::timeline::TICKS_PER_STEP;
    let want = steps * step as f64;
    let mut best = (f64::INFINITY, 1u8);
    for code in 1..crate::timeline::rules::NOTE_LENGTH_INF {
        if let Some(t) = crate::timeline::rules::note_length_ticks(code, step) {
            let d = (t as f64 - want).abs();
            if d < best.0 {
                best = (d, code);
            }
        }
    }
    best.1
}
