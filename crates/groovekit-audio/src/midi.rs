//! Standard MIDI File (SMF) writing through midly: a format-independent song of timed notes
//! becomes a type-1 file with a conductor track (tempo, name) and one track per instrument.
//!
//! Formats convert their own patterns into a [`MidiSong`] (absolute tick positions and lengths);
//! this module sorts the events, turns them into deltas and writes the bytes. Note-offs at a tick
//! come before note-ons at the same tick, so a repeated key retriggers instead of being cut.

use std::path::Path;

use midly::num::{u4, u7, u15, u24, u28};
use midly::{Format, Header, MetaMessage, MidiMessage, Smf, Timing, TrackEvent, TrackEventKind};

use crate::AudioError;

/// A song to write: tempo, resolution and tracks of notes.
#[derive(Debug, Clone, PartialEq)]
pub struct MidiSong {
    /// Ticks per quarter note (1..=32767).
    pub ppq: u16,
    /// Tempo in beats per minute (> 0).
    pub bpm: f64,
    /// Song name (the conductor track's name); empty for none.
    pub name: String,
    /// The instrument tracks, in order.
    pub tracks: Vec<MidiTrack>,
    /// The tick at which every track (the conductor too) ends, so that a DAW loops the file at the
    /// song's musical length rather than at its last note-off; `None` ends each track at its last
    /// event. Events after it are an error.
    pub end: Option<u64>,
}

/// One instrument track.
#[derive(Debug, Clone, PartialEq)]
pub struct MidiTrack {
    /// Track name meta event.
    pub name: String,
    /// MIDI channel 0..=15.
    pub channel: u8,
    /// The notes, in any order.
    pub notes: Vec<MidiNote>,
    /// Control changes, in any order.
    pub controls: Vec<MidiControl>,
}

/// One control change at an absolute position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MidiControl {
    /// Tick from the beginning of the song.
    pub tick: u64,
    /// Controller number 0..=127.
    pub controller: u8,
    /// Value 0..=127.
    pub value: u8,
}

/// One note at an absolute position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MidiNote {
    /// Start, in ticks from the beginning of the song.
    pub start: u64,
    /// Length in ticks (at least 1 is written).
    pub length: u64,
    /// Key 0..=127.
    pub key: u8,
    /// Velocity 1..=127.
    pub velocity: u8,
}

/// The largest delta time an SMF can store.
const MAX_DELTA: u64 = (1 << 28) - 1;

fn invalid(message: String) -> AudioError {
    AudioError::Invalid(message)
}

/// Turns (tick, order, kind) events into a delta-timed track ending with End Of Track (at `end`
/// when given, which must not come before the last event).
fn to_track<'a>(
    mut events: Vec<(u64, u8, TrackEventKind<'a>)>,
    end: Option<u64>,
) -> Result<Vec<TrackEvent<'a>>, AudioError> {
    events.sort_by_key(|&(tick, order, _)| (tick, order));
    if let (Some(end), Some(&(last, _, _))) = (end, events.last())
        && last > end
    {
        return Err(invalid(format!("an event at tick {last} comes after the song's end at tick {end}")));
    }
    let mut out = Vec::with_capacity(events.len() + 1);
    let mut last = 0u64;
    for (tick, _, kind) in events {
        let delta = tick - last;
        if delta > MAX_DELTA {
            return Err(invalid(format!("a gap of {delta} ticks is longer than a MIDI file can store")));
        }
        out.push(TrackEvent { delta: u28::new(delta as u32), kind });
        last = tick;
    }
    let tail = end.map_or(0, |e| e.saturating_sub(last));
    if tail > MAX_DELTA {
        return Err(invalid(format!("a gap of {tail} ticks is longer than a MIDI file can store")));
    }
    out.push(TrackEvent { delta: u28::new(tail as u32), kind: TrackEventKind::Meta(MetaMessage::EndOfTrack) });
    Ok(out)
}

/// The bytes of a type-1 SMF for `song`.
///
/// # Errors
/// A resolution, tempo, channel, key or velocity outside MIDI's ranges, or a song too long for
/// 28-bit delta times.
pub fn to_smf_bytes(song: &MidiSong) -> Result<Vec<u8>, AudioError> {
    if song.ppq == 0 || song.ppq > 0x7FFF {
        return Err(invalid(format!("{} ticks per quarter note is outside 1..=32767", song.ppq)));
    }
    if !(song.bpm.is_finite() && song.bpm > 0.0) {
        return Err(invalid(format!("tempo {} BPM is not positive", song.bpm)));
    }
    let micros_per_quarter = (60_000_000.0 / song.bpm).round();
    if micros_per_quarter > f64::from(0x00FF_FFFFu32) {
        return Err(invalid(format!("tempo {} BPM is too slow for a MIDI file", song.bpm)));
    }
    let mut tracks = Vec::with_capacity(song.tracks.len() + 1);
    let mut conductor =
        vec![(0u64, 0u8, TrackEventKind::Meta(MetaMessage::Tempo(u24::new(micros_per_quarter as u32))))];
    if !song.name.is_empty() {
        conductor.push((0, 0, TrackEventKind::Meta(MetaMessage::TrackName(song.name.as_bytes()))));
    }
    tracks.push(to_track(conductor, song.end)?);
    for track in &song.tracks {
        if track.channel > 15 {
            return Err(invalid(format!("track {}: channel {} is outside 0..=15", track.name, track.channel)));
        }
        let channel = u4::new(track.channel);
        let mut events = vec![(0u64, 0u8, TrackEventKind::Meta(MetaMessage::TrackName(track.name.as_bytes())))];
        for n in &track.notes {
            if n.key > 127 || n.velocity > 127 {
                return Err(invalid(format!(
                    "track {}: key {} or velocity {} is over 127",
                    track.name, n.key, n.velocity
                )));
            }
            let (key, vel) = (u7::new(n.key), u7::new(n.velocity.max(1)));
            let end = n.start.checked_add(n.length.max(1)).ok_or_else(|| invalid("note end overflows".into()))?;
            events.push((n.start, 2, TrackEventKind::Midi { channel, message: MidiMessage::NoteOn { key, vel } }));
            events.push((
                end,
                1,
                TrackEventKind::Midi { channel, message: MidiMessage::NoteOff { key, vel: u7::new(0) } },
            ));
        }
        for c in &track.controls {
            if c.controller > 127 || c.value > 127 {
                return Err(invalid(format!(
                    "track {}: controller {} or value {} is over 127",
                    track.name, c.controller, c.value
                )));
            }
            let message = MidiMessage::Controller { controller: u7::new(c.controller), value: u7::new(c.value) };
            // Controls at a tick come before its note-ons, so a note plays with the new value.
            events.push((c.tick, 1, TrackEventKind::Midi { channel, message }));
        }
        tracks.push(to_track(events, song.end)?);
    }
    let smf = Smf { header: Header { format: Format::Parallel, timing: Timing::Metrical(u15::new(song.ppq)) }, tracks };
    let mut out = Vec::new();
    smf.write_std(&mut out).map_err(|e| invalid(format!("writing the MIDI file: {e}")))?;
    Ok(out)
}

/// Writes `song` to `path` as a type-1 SMF, atomically.
pub fn write_smf(path: &Path, song: &MidiSong) -> Result<(), AudioError> {
    let bytes = to_smf_bytes(song)?;
    groovekit_core::fs::write_atomic(path, &bytes)?;
    Ok(())
}

#[cfg(test)]
#[path = "midi_tests.rs"]
mod tests;
