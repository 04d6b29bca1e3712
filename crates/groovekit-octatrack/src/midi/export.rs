//! MIDI out: patterns or an arrangement, played by [`crate::timeline`], as a type-1 Standard
//! MIDI File.
//!
//! The file:
//! - track 0, the conductor: the tempo map (a tempo event where a segment's tempo differs from
//!   the one before), a time signature where a segment's length changes ([`time_signature`]) and
//!   a marker at the start of every pattern pass or arrangement row (`A01`, `A01 pass 2`,
//!   `row 3: A01`);
//! - then one track per MIDI track that sends anything, named `M<N>`, on the part's channel:
//!   the part's bank select and program change, CC / pitch bend / aftertouch values (the CC
//!   numbers of the part's CTRL setup), and the notes with their chords (NOTE, NOT2-NOT4),
//!   velocity and length (LEN);
//! - then one track per audio track with a trig that sounds, named `T<N> <sample>` (the file name
//!   of the first sample it plays), on the project's `MIDI_TRIG_CH<N>` channel (the channel the
//!   device uses for audio track N; OFF falls back to channel N): one note per trig at key
//!   [`AUDIO_KEY`], velocity = the trig's AMP VOL lock (clamped to 1-127) or [`AUDIO_VELOCITY`],
//!   one step long;
//! - every track ends exactly at the end of the span (End Of Track at the timeline's end).
//!
//! Resolution: [`PPQ`] = 9 216 ticks per quarter note, the timeline's ticks
//! ([`crate::timeline::TICKS_PER_QUARTER`] = 230 400) divided by [`TIMELINE_TICKS_PER_TICK`] = 25.
//! SMF resolution is at most 32 767, so the timeline's grid cannot be kept whole; 9 216 keeps
//! every step, every micro-timing (1/384 of a step at 2X, 3/2X, 1X, 3/4X and slower scales:
//! 9 216 = 4 x 384 x 6) and every note length (1/6 of a step) exact. Only swing can fall between
//! two file ticks (an odd swing amount at 1X is 46.08 file ticks): a position is rounded to the
//! nearest file tick (half up), so the error is at most half a tick, 1/18 432 of a quarter note
//! (27 microseconds at 120 BPM). Starts and ends are rounded, not lengths, so notes that touch
//! still touch. [`ExportReport::rounded`] counts the positions that were rounded.

use std::collections::BTreeMap;

use groovekit_audio::midi::{
    ChannelEvent, ChannelEventKind, Marker, MidiControl, MidiNote, MidiSong, MidiTrack, TempoChange, TimeSignature,
};

use crate::OtError;
use crate::midi::{AUDIO_KEY, AUDIO_VELOCITY};
use crate::model::project::SlotType;
use crate::model::project_folder::Project;
use crate::timeline::{self, Controller, EventKind, Segment, Timeline, TrackId};

/// Ticks per quarter note of the files written (see the module documentation).
pub const PPQ: u16 = 9_216;

/// Timeline ticks in one file tick.
pub const TIMELINE_TICKS_PER_TICK: u64 = timeline::TICKS_PER_QUARTER / PPQ as u64;

/// What to export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Span {
    /// Patterns of banks, played in this order: (bank 1-16, pattern 1-16).
    Patterns(Vec<(u8, u8)>),
    /// An arrangement, 1-8 (its current block).
    Arrangement(u8),
}

/// How to play it (see [`timeline::Options`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOptions {
    /// Passes of each pattern (arrangement rows play their own repeats).
    pub passes: u32,
    /// The FILL switch.
    pub fill: bool,
    /// Seed of `%` conditions.
    pub seed: u64,
}

impl Default for ExportOptions {
    fn default() -> Self {
        Self { passes: 1, fill: false, seed: 0 }
    }
}

/// One track of the file, for the report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TrackSummary {
    /// The MIDI track's name.
    pub name: String,
    /// Channel 1-16.
    pub channel: u8,
    /// Notes.
    pub notes: usize,
    /// Controller, bank and program events.
    pub controls: usize,
}

/// What an export wrote and what it left out.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ExportReport {
    /// Ticks per quarter note.
    pub ppq: u16,
    /// The length of the file in ticks (where every track ends).
    pub end_tick: u64,
    /// The length in seconds (through the tempo map).
    pub seconds: f64,
    /// Pattern passes or arrangement rows played (the markers).
    pub segments: usize,
    /// Every track written, in file order after the conductor.
    pub tracks: Vec<TrackSummary>,
    /// Notes written.
    pub notes: usize,
    /// Events written (notes count twice: on and off; tempo, markers and controls once).
    pub events: usize,
    /// Positions rounded to the file's resolution (swing only; see the module documentation).
    pub rounded: usize,
    /// What the span holds that the file does not: each line says what and how often.
    pub not_exported: Vec<String>,
}

/// An export: the song (write it with [`groovekit_audio::midi::write_smf`]) and its report.
#[derive(Debug, Clone, PartialEq)]
pub struct Export {
    /// The song.
    pub song: MidiSong,
    /// The report.
    pub report: ExportReport,
}

/// The timeline of `span`: each pattern list per bank expanded and laid end to end.
pub fn timeline_of(project: &mut Project, span: &Span, opts: &ExportOptions) -> Result<Timeline, OtError> {
    let topts =
        timeline::Options { passes: opts.passes.max(1), fill: opts.fill, seed: opts.seed, ..Default::default() };
    match span {
        Span::Arrangement(n) => timeline::expand_arrangement(project, *n, &topts),
        Span::Patterns(list) => {
            // Runs of one bank expand together (the conditions' PRE/NEI state and the part
            // changes carry over within a bank's run).
            let mut runs: Vec<(u8, Vec<u8>)> = Vec::new();
            for &(b, p) in list {
                match runs.last_mut() {
                    Some((rb, ps)) if *rb == b => ps.push(p),
                    _ => runs.push((b, vec![p])),
                }
            }
            let mut out = Timeline::default();
            for (b, ps) in runs {
                let t = timeline::expand_patterns(project, b, &ps, &topts)?;
                append(&mut out, t);
            }
            Ok(out)
        }
    }
}

/// Appends `t` to `out`, shifted to start at `out`'s end.
fn append(out: &mut Timeline, t: Timeline) {
    let (shift, first) = (out.end, out.segments.len());
    out.events.extend(t.events.into_iter().map(|mut e| {
        e.tick += shift;
        e.segment += first;
        e
    }));
    out.segments.extend(t.segments.into_iter().map(|mut s| {
        s.start += shift;
        s
    }));
    out.end = shift + t.end;
    for n in t.not_expanded {
        if !out.not_expanded.contains(&n) {
            out.not_expanded.push(n);
        }
    }
}

/// Exports `span` of `project` (see the module documentation).
pub fn export(project: &mut Project, span: &Span, opts: &ExportOptions) -> Result<Export, OtError> {
    if let Span::Patterns(list) = span {
        if list.is_empty() {
            return Err(OtError::Invalid { field: "patterns".into(), message: "no pattern to export".into() });
        }
        for &(b, p) in list {
            if !(1..=16).contains(&b) || !(1..=16).contains(&p) {
                return Err(OtError::Invalid {
                    field: format!("bank {b} pattern {p}"),
                    message: "banks and patterns are 1-16".into(),
                });
            }
        }
    }
    let t = timeline_of(project, span, opts)?;
    let settings = project.settings().clone();
    let channels: [u8; 8] = std::array::from_fn(|i| {
        settings
            .setting(&format!("MIDI_TRIG_CH{}", i + 1))
            .filter(|c| (0..=15).contains(c))
            .map_or(i as u8, |c| c as u8) // ok: 0..=15, i < 8
    });
    let sample_name = |pool: SlotType, slot: u16| -> Option<String> {
        let s = settings.sample(pool, slot)?;
        let path = s.path_lossy();
        let name = path.rsplit(['/', '\\']).next().unwrap_or(&path).to_string();
        (!name.is_empty()).then_some(name)
    };
    Ok(song_of(&t, &channels, &sample_name))
}

/// A file tick from a timeline tick, rounded to the nearest (half up); the flag says whether it
/// was rounded.
fn file_tick(tick: u64) -> (u64, bool) {
    let q = (tick + TIMELINE_TICKS_PER_TICK / 2) / TIMELINE_TICKS_PER_TICK;
    (q, !tick.is_multiple_of(TIMELINE_TICKS_PER_TICK))
}

/// The time signature of a segment `ticks` long: whole bars of 4/4 when it is a multiple of 16
/// steps; `n/4` for another multiple of 4 steps (12 steps = 3/4); `n/8` for an even number of
/// steps, `n/16` for an odd one (at most 255 beats); None when the segment is not a whole number
/// of sixteenths (3/4X and 3/2X scales: the bar is then left as it was).
pub fn time_signature(ticks: u64) -> Option<(u8, u8)> {
    if ticks == 0 || !ticks.is_multiple_of(timeline::TICKS_PER_STEP) {
        return None;
    }
    let steps = ticks / timeline::TICKS_PER_STEP;
    let (n, d) = if steps.is_multiple_of(16) {
        (4, 4)
    } else if steps.is_multiple_of(4) {
        (steps / 4, 4)
    } else if steps.is_multiple_of(2) {
        (steps / 2, 8)
    } else {
        (steps, 16)
    };
    u8::try_from(n).ok().map(|n| (n, d))
}

/// The label of a segment's marker.
fn marker_text(s: &Segment) -> String {
    if s.pass > 1 { format!("{} pass {}", s.label, s.pass) } else { s.label.clone() }
}

/// Builds the song of a timeline: `trig_channels` are the audio tracks' channels (0-15), and
/// `sample_name` names a slot's sample.
pub fn song_of(t: &Timeline, trig_channels: &[u8; 8], sample_name: &dyn Fn(SlotType, u16) -> Option<String>) -> Export {
    let (end, _) = file_tick(t.end);
    let mut rounded = 0usize;
    let mut at = |tick: u64| {
        let (q, r) = file_tick(tick);
        rounded += usize::from(r);
        q.min(end)
    };
    // (track, channel 0-15) -> the MIDI track being built.
    let mut tracks: BTreeMap<(TrackId, u8), MidiTrack> = BTreeMap::new();
    let mut first_sample: BTreeMap<u8, String> = BTreeMap::new();
    let mut samples_played: BTreeMap<u8, Vec<String>> = BTreeMap::new();
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    let mut skip = |what: String| *skipped.entry(what).or_default() += 1;
    for e in &t.events {
        match &e.kind {
            EventKind::Note(n) => {
                let ch = n.channel.clamp(1, 16) - 1;
                let track = tracks.entry((e.track, ch)).or_default();
                let start = at(e.tick);
                let stop = at(e.tick + n.length.max(1));
                if start >= end {
                    skip(format!(
                        "{} notes starting at the end of the span (micro-timing or swing past the last step)",
                        e.track.name()
                    ));
                    continue;
                }
                for key in std::iter::once(n.note).chain(n.chord.iter().copied()) {
                    track.notes.push(MidiNote {
                        start,
                        length: stop.saturating_sub(start).max(1).min(end - start),
                        key: key.min(127),
                        velocity: n.velocity.clamp(1, 127),
                    });
                }
            }
            EventKind::Control(c) => {
                let ch = c.channel.clamp(1, 16) - 1;
                let tick = at(e.tick);
                let track = tracks.entry((e.track, ch)).or_default();
                match c.controller {
                    Controller::Cc(number) if number <= 127 => {
                        track.controls.push(MidiControl { tick, controller: number, value: c.value.min(127) })
                    }
                    Controller::Cc(number) => skip(format!("{} CC number {number} (over 127)", e.track.name())),
                    Controller::PitchBend => {
                        // The stored 0-127 with 64 = centre, scaled to 14 bits.
                        let v = (i16::from(c.value.min(127)) - 64) * 128;
                        track.events.push(ChannelEvent { tick, kind: ChannelEventKind::PitchBend(v.min(8191)) });
                    }
                    Controller::Aftertouch => track
                        .events
                        .push(ChannelEvent { tick, kind: ChannelEventKind::ChannelPressure(c.value.min(127)) }),
                }
            }
            EventKind::Program(p) => {
                let ch = p.channel.clamp(1, 16) - 1;
                let tick = at(e.tick);
                let track = tracks.entry((e.track, ch)).or_default();
                match p.program {
                    Some(program) => track.events.push(ChannelEvent {
                        tick,
                        kind: ChannelEventKind::Program { bank_msb: p.bank, bank_lsb: None, program: program.min(127) },
                    }),
                    None => {
                        if let Some(b) = p.bank {
                            track.controls.push(MidiControl { tick, controller: 0, value: b.min(127) });
                        }
                    }
                }
            }
            EventKind::AudioTrig(a) => {
                let TrackId::Audio(n) = e.track else { continue };
                if a.trigless {
                    continue;
                }
                if a.machine == "master" || a.machine == "pickup" {
                    skip(format!(
                        "T{n} trigs on a {} track (they play no note)",
                        if a.machine == "master" { "master" } else { "Pickup" }
                    ));
                    continue;
                }
                let ch = trig_channels.get(usize::from(n.max(1) - 1)).copied().unwrap_or(0).min(15);
                let start = at(e.tick);
                if start >= end {
                    skip(format!("T{n} trigs starting at the end of the span"));
                    continue;
                }
                let stop = at(e.tick + timeline::TICKS_PER_STEP);
                let velocity = a.volume.map_or(AUDIO_VELOCITY, |v| v.clamp(1, 127) as u8); // ok: clamped
                let name = match a.slot {
                    Some((_, slot)) if slot > 128 => format!("recorder {}", slot - 128),
                    Some((pool, slot)) => sample_name(pool, slot)
                        .unwrap_or_else(|| format!("{pool:?} slot {slot} (empty)").to_lowercase()),
                    None => a.machine.clone(),
                };
                first_sample.entry(n).or_insert_with(|| name.clone());
                let played = samples_played.entry(n).or_default();
                if !played.contains(&name) {
                    played.push(name);
                }
                let locks = a.locks.iter().filter(|(k, _)| k != "amp.vol").count();
                if locks > 0 {
                    skip(format!(
                        "T{n} locks other than AMP VOL (pitch, filter, sample, ...): the notes carry no sound changes"
                    ));
                }
                let track = tracks.entry((e.track, ch)).or_default();
                track.notes.push(MidiNote {
                    start,
                    length: stop.saturating_sub(start).max(1).min(end - start),
                    key: AUDIO_KEY,
                    velocity,
                });
            }
        }
    }

    // Names and channels; the SMF tracks in order M1..M8 then T1..T8.
    let mut per_track: BTreeMap<TrackId, usize> = BTreeMap::new();
    for (id, _) in tracks.keys() {
        *per_track.entry(*id).or_default() += 1;
    }
    let order = |id: &TrackId| match id {
        TrackId::Midi(n) => (0u8, *n),
        TrackId::Audio(n) => (1, *n),
    };
    let mut keyed: Vec<((TrackId, u8), MidiTrack)> = tracks.into_iter().collect();
    keyed.sort_by_key(|((id, ch), _)| (order(id), *ch));
    let mut out_tracks = Vec::with_capacity(keyed.len());
    let mut summaries = Vec::with_capacity(keyed.len());
    for ((id, ch), mut track) in keyed {
        let mut name = match id {
            TrackId::Midi(n) => format!("M{n}"),
            TrackId::Audio(n) => match first_sample.get(&n) {
                Some(s) => format!("T{n} {s}"),
                None => format!("T{n}"),
            },
        };
        if per_track.get(&id).copied().unwrap_or(0) > 1 {
            name = format!("{name} ch{}", ch + 1);
        }
        track.name = name.clone();
        track.channel = ch;
        summaries.push(TrackSummary {
            name,
            channel: ch + 1,
            notes: track.notes.len(),
            controls: track.controls.len() + track.events.len(),
        });
        out_tracks.push(track);
    }
    for (n, names) in &samples_played {
        if names.len() > 1 {
            skip(format!(
                "T{n} plays {} samples ({}); its track is named after the first",
                names.len(),
                names.join(", ")
            ));
        }
    }

    // The conductor.
    let mut tempo_changes = Vec::new();
    let mut time_signatures = Vec::new();
    let mut markers = Vec::new();
    let (mut tempo, mut sig) = (None::<f64>, None::<(u8, u8)>);
    let mut seconds = 0.0;
    for s in &t.segments {
        let (tick, _) = file_tick(s.start);
        if tempo != Some(s.tempo) {
            tempo_changes.push(TempoChange { tick, bpm: s.tempo });
            tempo = Some(s.tempo);
        }
        if let Some(ts) = time_signature(s.length)
            && sig != Some(ts)
        {
            time_signatures.push(TimeSignature { tick, numerator: ts.0, denominator: ts.1 });
            sig = Some(ts);
        }
        markers.push(Marker { tick, text: marker_text(s) });
        seconds += s.length as f64 / timeline::TICKS_PER_QUARTER as f64 * 60.0 / s.tempo.max(1.0);
    }
    let bpm = tempo_changes.first().map_or(120.0, |t| t.bpm);
    let notes: usize = out_tracks.iter().map(|t| t.notes.len()).sum();
    let controls: usize = out_tracks.iter().map(|t| t.controls.len() + t.events.len()).sum();
    let mut not_exported: Vec<String> =
        t.not_expanded.iter().map(|n| format!("{n}: not expanded by the timeline")).collect();
    not_exported.extend(skipped.into_iter().map(|(what, n)| format!("{what}: {n}")));
    let report = ExportReport {
        ppq: PPQ,
        end_tick: end,
        seconds,
        segments: t.segments.len(),
        tracks: summaries,
        notes,
        events: 2 * notes + controls + tempo_changes.len() + time_signatures.len() + markers.len(),
        rounded,
        not_exported,
    };
    let song = MidiSong {
        ppq: PPQ,
        bpm,
        name: String::new(),
        tracks: out_tracks,
        end: Some(end),
        tempo_changes,
        time_signatures,
        markers,
    };
    Export { song, report }
}

#[cfg(test)]
#[path = "export_tests.rs"]
mod tests;
