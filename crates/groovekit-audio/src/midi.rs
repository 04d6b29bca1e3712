//! Standard MIDI File (SMF) writing and reading through midly: a format-independent song of
//! timed notes becomes a type-1 file with a conductor track (tempo map, time signatures, markers,
//! name) and one track per instrument; [`read_smf`] reads the notes, tempo map and markers of any
//! SMF back (the MIDI importers of the OP-Z and Octatrack crates share it).
//!
//! Formats convert their own patterns into a [`MidiSong`] (absolute tick positions and lengths);
//! this module sorts the events, turns them into deltas and writes the bytes. At one tick the
//! order is: note-offs, bank and program changes, controls (CC, pitch bend, channel pressure),
//! note-ons; so a repeated key retriggers instead of being cut, and a note plays with the program
//! and controller values of its own tick.

use std::path::Path;

use std::collections::BTreeMap;

use midly::num::{u4, u7, u14, u15, u24, u28};
use midly::{Format, Header, MetaMessage, MidiMessage, Smf, Timing, TrackEvent, TrackEventKind};

use crate::AudioError;

/// A song to write: tempo, resolution and tracks of notes.
///
/// Build it with `..MidiSong::default()` for the fields a format does not use (the tempo map,
/// time signatures and markers are empty by default).
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
    /// Tempo changes after the start, in any order (`bpm` is the tempo at tick 0; a change at
    /// tick 0 replaces it).
    pub tempo_changes: Vec<TempoChange>,
    /// Time signatures, in any order (none: the file says nothing, which readers take as 4/4).
    pub time_signatures: Vec<TimeSignature>,
    /// Marker meta events on the conductor track, in any order.
    pub markers: Vec<Marker>,
}

impl Default for MidiSong {
    /// 96 ticks per quarter note, 120 BPM, no tracks.
    fn default() -> Self {
        Self {
            ppq: 96,
            bpm: 120.0,
            name: String::new(),
            tracks: Vec::new(),
            end: None,
            tempo_changes: Vec::new(),
            time_signatures: Vec::new(),
            markers: Vec::new(),
        }
    }
}

/// A tempo change on the conductor track.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TempoChange {
    /// Tick from the beginning of the song.
    pub tick: u64,
    /// Tempo in beats (quarter notes) per minute, > 0.
    pub bpm: f64,
}

/// A time signature on the conductor track.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeSignature {
    /// Tick from the beginning of the song.
    pub tick: u64,
    /// Beats in a bar, 1..=255.
    pub numerator: u8,
    /// The beat's note value: 1, 2, 4, 8, 16, 32 or 64.
    pub denominator: u8,
}

/// A marker (text at a position) on the conductor track.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// Tick from the beginning of the song.
    pub tick: u64,
    /// The marker's text.
    pub text: String,
}

/// One instrument track.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MidiTrack {
    /// Track name meta event.
    pub name: String,
    /// MIDI channel 0..=15.
    pub channel: u8,
    /// The notes, in any order.
    pub notes: Vec<MidiNote>,
    /// Control changes, in any order.
    pub controls: Vec<MidiControl>,
    /// Bank and program changes, pitch bend and channel pressure, in any order.
    pub events: Vec<ChannelEvent>,
}

/// A channel message other than a note or a control change, at an absolute position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChannelEvent {
    /// Tick from the beginning of the song.
    pub tick: u64,
    /// The message.
    pub kind: ChannelEventKind,
}

/// What a [`ChannelEvent`] sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelEventKind {
    /// A program change, preceded by bank select MSB (CC 0) and LSB (CC 32) when given.
    Program {
        /// Bank select MSB 0..=127.
        bank_msb: Option<u8>,
        /// Bank select LSB 0..=127.
        bank_lsb: Option<u8>,
        /// Program 0..=127.
        program: u8,
    },
    /// Pitch bend, -8192..=8191 (0 = centre).
    PitchBend(i16),
    /// Channel pressure (aftertouch) 0..=127.
    ChannelPressure(u8),
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
    let mut tempos: BTreeMap<u64, u32> = BTreeMap::new();
    tempos.insert(0, micros_per_quarter(song.bpm)?);
    for t in &song.tempo_changes {
        tempos.insert(t.tick, micros_per_quarter(t.bpm)?);
    }
    let mut tracks = Vec::with_capacity(song.tracks.len() + 1);
    let mut conductor = Vec::with_capacity(tempos.len() + song.markers.len() + song.time_signatures.len() + 1);
    for ts in &song.time_signatures {
        let power = match ts.denominator {
            1 => 0,
            2 => 1,
            4 => 2,
            8 => 3,
            16 => 4,
            32 => 5,
            64 => 6,
            d => return Err(invalid(format!("time signature denominator {d} is not 1, 2, 4, 8, 16, 32 or 64"))),
        };
        if ts.numerator == 0 {
            return Err(invalid("a time signature has 0 beats".into()));
        }
        // 24 MIDI clocks per metronome click (a quarter), 8 thirty-seconds per quarter.
        conductor.push((ts.tick, 2, TrackEventKind::Meta(MetaMessage::TimeSignature(ts.numerator, power, 24, 8))));
    }
    for (&tick, &micros) in &tempos {
        // The tempo first at each tick (a reader that takes the first event as the tempo).
        conductor.push((tick, 0, TrackEventKind::Meta(MetaMessage::Tempo(u24::new(micros)))));
    }
    if !song.name.is_empty() {
        conductor.push((0, 1, TrackEventKind::Meta(MetaMessage::TrackName(song.name.as_bytes()))));
    }
    for m in &song.markers {
        conductor.push((m.tick, 3, TrackEventKind::Meta(MetaMessage::Marker(m.text.as_bytes()))));
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
            events.push((n.start, 4, TrackEventKind::Midi { channel, message: MidiMessage::NoteOn { key, vel } }));
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
            events.push((c.tick, 3, TrackEventKind::Midi { channel, message }));
        }
        for e in &track.events {
            let midi = |message| TrackEventKind::Midi { channel, message };
            let seven = |what: &str, v: u8| {
                if v > 127 {
                    Err(invalid(format!("track {}: {what} {v} is over 127", track.name)))
                } else {
                    Ok(u7::new(v))
                }
            };
            match e.kind {
                ChannelEventKind::Program { bank_msb, bank_lsb, program } => {
                    // Bank select before the program change it applies to (the sort is stable).
                    for (controller, value) in [(0u8, bank_msb), (32, bank_lsb)] {
                        if let Some(v) = value {
                            let message =
                                MidiMessage::Controller { controller: u7::new(controller), value: seven("bank", v)? };
                            events.push((e.tick, 2, midi(message)));
                        }
                    }
                    events.push((e.tick, 2, midi(MidiMessage::ProgramChange { program: seven("program", program)? })));
                }
                ChannelEventKind::PitchBend(v) => {
                    if !(-8192..=8191).contains(&v) {
                        return Err(invalid(format!("track {}: pitch bend {v} is outside -8192..=8191", track.name)));
                    }
                    let raw = u14::new((i32::from(v) + 8192) as u16); // ok: checked to 0..=16383
                    events.push((e.tick, 3, midi(MidiMessage::PitchBend { bend: midly::PitchBend(raw) })));
                }
                ChannelEventKind::ChannelPressure(v) => {
                    events.push((e.tick, 3, midi(MidiMessage::ChannelAftertouch { vel: seven("pressure", v)? })));
                }
            }
        }
        tracks.push(to_track(events, song.end)?);
    }
    let smf = Smf { header: Header { format: Format::Parallel, timing: Timing::Metrical(u15::new(song.ppq)) }, tracks };
    let mut out = Vec::new();
    smf.write_std(&mut out).map_err(|e| invalid(format!("writing the MIDI file: {e}")))?;
    Ok(out)
}

/// Microseconds per quarter note of a tempo in BPM.
fn micros_per_quarter(bpm: f64) -> Result<u32, AudioError> {
    if !(bpm.is_finite() && bpm > 0.0) {
        return Err(invalid(format!("tempo {bpm} BPM is not positive")));
    }
    let micros = (60_000_000.0 / bpm).round();
    if micros > f64::from(0x00FF_FFFFu32) {
        return Err(invalid(format!("tempo {bpm} BPM is too slow for a MIDI file")));
    }
    Ok(micros.max(1.0) as u32) // ok: 1..=0xFFFFFF checked above
}

/// Writes `song` to `path` as a type-1 SMF, atomically.
pub fn write_smf(path: &Path, song: &MidiSong) -> Result<(), AudioError> {
    let bytes = to_smf_bytes(song)?;
    groovekit_core::fs::write_atomic(path, &bytes)?;
    Ok(())
}

/// One note read from a MIDI file, in the file's ticks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InNote {
    /// The index of the MIDI track it is on (0 = the first track of the file).
    pub track: usize,
    /// The MIDI track's name (empty when it has none).
    pub track_name: String,
    /// MIDI channel 0..=15.
    pub channel: u8,
    /// Start tick.
    pub start: u64,
    /// Length in ticks.
    pub length: u64,
    /// Key 0..=127.
    pub key: u8,
    /// Velocity 1..=127.
    pub velocity: u8,
}

/// What [`read_smf`] finds in a file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SmfContent {
    /// Ticks per quarter note.
    pub ppq: u16,
    /// Every note, sorted by (start, channel, key).
    pub notes: Vec<InNote>,
    /// The tempo map: (tick, BPM to 1/1000), sorted, the first at tick 0 (120 BPM when the file
    /// has none).
    pub tempos: Vec<TempoChange>,
    /// Time signatures, sorted.
    pub time_signatures: Vec<TimeSignature>,
    /// Markers, sorted.
    pub markers: Vec<Marker>,
    /// The last End Of Track tick of all tracks (the song's length as its writer meant it).
    pub end: u64,
}

fn damaged(at: usize, what: String) -> AudioError {
    AudioError::Invalid(format!("damaged MIDI file at byte {at}: {what}; nothing was imported"))
}

fn be_u32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

/// A variable-length quantity at `at` that must end before `end`: (value, bytes used); `None`
/// when it runs past `end` or is longer than the 4 bytes the format allows.
fn vlq(b: &[u8], at: usize, end: usize) -> Option<(u32, usize)> {
    let mut v = 0u32;
    for i in 0..4 {
        let pos = at.checked_add(i).filter(|&p| p < end)?;
        let byte = *b.get(pos)?;
        v = (v << 7) | u32::from(byte & 0x7F);
        if byte & 0x80 == 0 {
            return Some((v, i + 1));
        }
    }
    None
}

/// Checks the events of one track chunk (bytes `start..end` of the file).
fn check_track_events(b: &[u8], start: usize, end: usize) -> Result<(), AudioError> {
    let mut at = start;
    let mut running: Option<u8> = None;
    while at < end {
        let (_, n) = vlq(b, at, end).ok_or_else(|| {
            damaged(
                at,
                format!("a delta time runs past the end of its track chunk (byte {end}) or is longer than 4 bytes"),
            )
        })?;
        at += n;
        let event_at = at;
        let Some(&status) = b.get(at).filter(|_| at < end) else {
            return Err(damaged(at, format!("an event is cut off by the end of its track chunk (byte {end})")));
        };
        let (data_at, data_len) = match status {
            0xFF | 0xF0 | 0xF7 => {
                let (what, len_at) = if status == 0xFF {
                    (format!("meta event (type 0x{:02X})", b.get(at + 1).copied().unwrap_or(0)), at + 2)
                } else {
                    ("sysex event".to_string(), at + 1)
                };
                let (len, n) = vlq(b, len_at, end).ok_or_else(|| {
                    damaged(event_at, format!("{what} is cut off by the end of its track chunk (byte {end})"))
                })?;
                let data_at = len_at + n;
                let len = len as usize;
                if len > end - data_at {
                    return Err(damaged(
                        event_at,
                        format!(
                            "{what} declares {len} data bytes; only {} remain in its track chunk (which ends at byte {end})",
                            end - data_at
                        ),
                    ));
                }
                if status == 0xFF && b.get(at + 1) == Some(&0x2F) {
                    return Ok(()); // End of Track: what follows in the chunk is not read
                }
                (data_at, len)
            }
            0x80..=0xEF => {
                running = Some(status);
                (at + 1, if (0xC0..=0xDF).contains(&status) { 1 } else { 2 })
            }
            0xF1..=0xFE => {
                return Err(damaged(event_at, format!("status byte 0x{status:02X} is not allowed in a MIDI file")));
            }
            _ => match running {
                Some(r) => (at, if (0xC0..=0xDF).contains(&r) { 1 } else { 2 }),
                None => return Err(damaged(event_at, "a data byte with no status byte before it".to_string())),
            },
        };
        if data_len > end - data_at.min(end) {
            return Err(damaged(event_at, format!("an event is cut off by the end of its track chunk (byte {end})")));
        }
        at = data_at + data_len;
    }
    Ok(())
}

/// Checks the layout of a Standard MIDI File before its notes are read: every chunk length, and
/// in track chunks every meta and sysex length and every event, inside the file. midly reads a
/// damaged file leniently (issue 23, item 7: a meta, sysex or track length past the end gave "0
/// notes" and exit 0); this names the damage and its byte offset instead. Files that do not start
/// with `MThd` (RIFF-wrapped ones) are left to midly.
pub fn check_smf_layout(b: &[u8]) -> Result<(), AudioError> {
    if b.get(..4) != Some(b"MThd") {
        return Ok(());
    }
    let header_len = be_u32(b, 4).ok_or_else(|| damaged(4, "the header chunk is cut off".into()))? as usize;
    if header_len < 6 {
        return Err(damaged(4, format!("the header chunk declares {header_len} bytes; it needs 6")));
    }
    if header_len > b.len() - 8 {
        return Err(damaged(4, format!("the header chunk declares {header_len} bytes; only {} remain", b.len() - 8)));
    }
    let declared = b.get(10..12).and_then(|t| t.try_into().ok()).map_or(0, u16::from_be_bytes);
    let mut tracks = 0u32;
    let mut at = 8 + header_len;
    // Fewer than 8 bytes after the last chunk (padding some writers add) are not a chunk.
    while b.len() - at >= 8 {
        let id = b.get(at..at + 4).unwrap_or_default();
        let len = be_u32(b, at + 4).unwrap_or(0) as usize;
        let body = at + 8;
        if len > b.len() - body {
            return Err(damaged(
                at,
                format!(
                    "chunk `{}` (track {}) declares {len} bytes; only {} remain in the file",
                    String::from_utf8_lossy(id),
                    tracks + 1,
                    b.len() - body
                ),
            ));
        }
        if id == b"MTrk" {
            tracks += 1;
            check_track_events(b, body, body + len)?;
        }
        at = body + len;
    }
    if tracks < u32::from(declared) {
        return Err(damaged(10, format!("the header declares {declared} tracks; the file holds {tracks}")));
    }
    Ok(())
}

/// Reads a Standard MIDI File (type 0, 1 or 2; running status and note-on velocity 0 as
/// note-off included): its notes, tempo map, time signatures and markers.
///
/// A note-off closes the oldest open note of its key and channel on its track (first in, first
/// out); a note never released ends with its track.
///
/// # Errors
/// A damaged file ([`check_smf_layout`], naming the byte), a file midly cannot parse, or SMPTE
/// timing (a step grid needs ticks per quarter note).
pub fn read_smf(bytes: &[u8]) -> Result<SmfContent, AudioError> {
    check_smf_layout(bytes)?;
    let smf = Smf::parse(bytes).map_err(|e| invalid(format!("not a Standard MIDI File: {e}")))?;
    let ppq = match smf.header.timing {
        Timing::Metrical(t) if t.as_int() > 0 => t.as_int(),
        _ => {
            return Err(invalid(
                "the MIDI file counts time in SMPTE frames; a step grid needs ticks per quarter note".into(),
            ));
        }
    };
    let mut out = SmfContent { ppq, ..SmfContent::default() };
    let mut tempos: BTreeMap<u64, f64> = BTreeMap::new();
    for (index, track) in smf.tracks.iter().enumerate() {
        let mut name = String::new();
        let mut tick = 0u64;
        let mut open: BTreeMap<(u8, u8), std::collections::VecDeque<(u64, u8)>> = BTreeMap::new();
        for e in track {
            tick += u64::from(e.delta.as_int());
            match e.kind {
                TrackEventKind::Meta(MetaMessage::TrackName(n)) if name.is_empty() => {
                    name = String::from_utf8_lossy(n).trim().to_string();
                }
                TrackEventKind::Meta(MetaMessage::Tempo(t)) => {
                    // An SMF holds microseconds per quarter, which most BPM values do not divide
                    // (90 BPM is 666 667 us): the BPM is rounded to 1/1000.
                    let bpm = 60_000_000.0 / f64::from(t.as_int().max(1));
                    tempos.insert(tick, (bpm * 1000.0).round() / 1000.0);
                }
                TrackEventKind::Meta(MetaMessage::TimeSignature(n, d, _, _)) => {
                    out.time_signatures.push(TimeSignature {
                        tick,
                        numerator: n,
                        denominator: 1u8.checked_shl(u32::from(d)).unwrap_or(0),
                    });
                }
                TrackEventKind::Meta(MetaMessage::Marker(text)) => {
                    out.markers.push(Marker { tick, text: String::from_utf8_lossy(text).into_owned() });
                }
                TrackEventKind::Midi { channel, message } => {
                    let ch = channel.as_int();
                    match message {
                        MidiMessage::NoteOn { key, vel } if vel.as_int() > 0 => {
                            open.entry((ch, key.as_int())).or_default().push_back((tick, vel.as_int()));
                        }
                        MidiMessage::NoteOn { key, .. } | MidiMessage::NoteOff { key, .. } => {
                            if let Some((start, velocity)) =
                                open.get_mut(&(ch, key.as_int())).and_then(|l| l.pop_front())
                            {
                                out.notes.push(InNote {
                                    track: index,
                                    track_name: name.clone(),
                                    channel: ch,
                                    start,
                                    length: tick - start,
                                    key: key.as_int(),
                                    velocity,
                                });
                            }
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        for ((ch, key), list) in open {
            for (start, velocity) in list {
                out.notes.push(InNote {
                    track: index,
                    track_name: name.clone(),
                    channel: ch,
                    start,
                    length: tick - start,
                    key,
                    velocity,
                });
            }
        }
        out.end = out.end.max(tick);
    }
    out.notes.sort_by_key(|n| (n.start, n.channel, n.key));
    tempos.entry(0).or_insert(120.0);
    out.tempos = tempos.into_iter().map(|(tick, bpm)| TempoChange { tick, bpm }).collect();
    out.time_signatures.sort_by_key(|t| t.tick);
    out.markers.sort_by_key(|m| m.tick);
    Ok(out)
}

#[cfg(test)]
#[path = "midi_tests.rs"]
mod tests;
