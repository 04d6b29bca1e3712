//! MIDI in: the notes of a Standard MIDI File into one pattern of a project, the inverse of
//! [`crate::midi`]. Tracks are chosen by MIDI track name (the names the export writes) or by
//! channel; each note is quantised to its OP-Z track's step grid, with the remainder as
//! micro-timing (192 units per step); the project's swing is taken off odd sixteenths, as the
//! export puts it on. What does not fit (polyphony per step, the drum keys' range, notes beyond a
//! track's loop) is reported, never dropped silently. Export, import and export give the same
//! notes (tested on the fixtures).

use std::collections::BTreeMap;

use crate::OpzError;
use crate::midi::{self, MICRO_PER_STEP, TICKS_PER_STEP};
use crate::model::{self, MICRO_MAX, MICRO_MIN, NoteSlot, Project, TRACK_NAMES, track_index, track_name};
use crate::ops::{self, place};
use crate::raw::{PATTERNS, STEPS, TRACKS};

pub use groovekit_audio::midi::InNote;

fn damaged(at: usize, what: String) -> OpzError {
    OpzError::Document(format!("damaged MIDI file at byte {at}: {what}; nothing was imported"))
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
fn check_track_events(b: &[u8], start: usize, end: usize) -> Result<(), OpzError> {
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
pub fn check_smf_layout(b: &[u8]) -> Result<(), OpzError> {
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

/// Reads the notes of a Standard MIDI File: (ticks per quarter note, notes), through the shared
/// reader [`groovekit_audio::midi::read_smf`].
///
/// # Errors
/// A damaged file ([`check_smf_layout`], naming the byte), one midly cannot parse, or SMPTE timing
/// (the OP-Z grid needs beats).
pub fn read_smf(bytes: &[u8]) -> Result<(u16, Vec<InNote>), OpzError> {
    check_smf_layout(bytes)?;
    let content = groovekit_audio::midi::read_smf(bytes).map_err(|e| OpzError::Document(e.to_string()))?;
    Ok((content.ppq, content.notes))
}

/// Where a MIDI note comes from, for a track map entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A MIDI track name (compared without case).
    Name(String),
    /// A MIDI channel, 0-based.
    Channel(u8),
}

/// Parses `SRC=TRACK` (SRC: `chN` with N 1..=16, or a MIDI track name; TRACK: an OP-Z track name
/// or number 1..=16).
pub fn parse_map_entry(entry: &str) -> Result<(Source, usize), OpzError> {
    let (src, dst) = entry.split_once('=').ok_or_else(|| {
        OpzError::Document(format!("track map `{entry}` is not SRC=TRACK (e.g. ch2=snare, lead=bass)"))
    })?;
    let t = track_index(dst).ok_or_else(|| {
        OpzError::Document(format!("track map `{entry}`: `{dst}` is not an OP-Z track (kick ... motion, 1..=16)"))
    })?;
    let src = src.trim();
    let lower = src.to_ascii_lowercase();
    if let Some(n) = lower.strip_prefix("ch") {
        let n: u8 = n.parse().ok().filter(|n| (1..=16).contains(n)).ok_or_else(|| {
            OpzError::Document(format!("track map `{entry}`: `{src}` is not a MIDI channel ch1..ch16"))
        })?;
        return Ok((Source::Channel(n - 1), t));
    }
    Ok((Source::Name(src.to_string()), t))
}

/// Import options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOptions {
    /// The pattern to write (0-based).
    pub pattern: usize,
    /// Explicit sources; anything else goes by track name (the export's names), then channel N
    /// to track N.
    pub map: Vec<(Source, usize)>,
    /// Whether to take the project's swing off odd sixteenths (as the export puts it on).
    pub remove_swing: bool,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Notes written, per OP-Z track (0-based).
    pub placed: BTreeMap<usize, usize>,
    /// Notes that the pattern already had on those tracks, replaced.
    pub replaced: usize,
    /// Notes that repeat an earlier pass of the track's loop (the OP-Z plays them by looping).
    pub repeats: usize,
    /// Notes whose time fell between micro-timing units (rounded to the nearest 16 x step-length ticks).
    pub rounded: usize,
    /// Notes not written, with why and where.
    pub dropped: Vec<String>,
    /// Notes written that the device may not play as expected (a drum key outside its kit).
    pub warnings: Vec<String>,
}

/// The lowest and highest keys of a drum kit's 24 slices (F3 = 53 upwards).
pub const DRUM_KEYS: std::ops::RangeInclusive<u8> = 53..=76;

/// The OP-Z track a MIDI note goes to.
fn target(n: &InNote, map: &[(Source, usize)]) -> usize {
    for (src, t) in map {
        match src {
            Source::Name(name) if name.eq_ignore_ascii_case(&n.track_name) => return *t,
            Source::Channel(c) if *c == n.channel => return *t,
            _ => {}
        }
    }
    if let Some(t) = TRACK_NAMES.iter().position(|name| name.eq_ignore_ascii_case(&n.track_name)) {
        return t;
    }
    usize::from(n.channel).min(TRACKS - 1)
}

/// Writes the notes of a MIDI file into pattern `options.pattern`, replacing the notes of the
/// tracks that receive notes (other tracks, step components and locks stay).
///
/// # Errors
/// An unreadable MIDI file or a pattern outside 1..=16; nothing is changed then.
pub fn import(project: &mut Project, smf: &[u8], options: &ImportOptions) -> Result<ImportReport, OpzError> {
    let p = options.pattern;
    if p >= PATTERNS {
        return Err(OpzError::Index(format!("pattern {} does not exist (1..=16)", p + 1)));
    }
    let (ppq, notes) = read_smf(smf)?;
    let scale = |ticks: u64| -> i64 {
        ((u128::from(ticks) * u128::from(midi::PPQ) + u128::from(ppq) / 2) / u128::from(ppq)).min(i64::MAX as u128)
            as i64
    };
    let swing = if options.remove_swing { midi::swing_delay(project.header().swing) } else { 0 };
    let tps = i64::from(TICKS_PER_STEP);
    let mut report = ImportReport::default();
    // (track, step) -> notes in arrival order: (micro, duration, key, velocity).
    let mut cells: BTreeMap<(usize, usize), Vec<NoteSlot>> = BTreeMap::new();
    let mut later: Vec<(usize, usize, u64, NoteSlot)> = Vec::new();
    for n in &notes {
        let t = target(n, &options.map);
        let settings = project.track(p, t)?;
        let step_len = i64::from(settings.step_length.max(1));
        let step_count = i64::from(settings.step_count.clamp(1, 16));
        let step_ticks = step_len * tps;
        let unit = step_ticks / i64::from(MICRO_PER_STEP);
        let t0 = scale(n.start);
        let nearest = |x: i64| (x + step_ticks / 2).div_euclid(step_ticks);
        let mut at = t0;
        let mut k = nearest(at);
        if swing != 0 && (k * step_len) % 2 == 1 {
            at = t0 - swing;
            k = nearest(at);
        }
        let rem = at - k * step_ticks;
        let micro = ((rem as f64) / (unit as f64)).round() as i64;
        let micro_c = micro.clamp(i64::from(MICRO_MIN), i64::from(MICRO_MAX));
        if micro_c * unit != rem {
            report.rounded += 1;
        }
        let duration = i32::try_from(scale(n.length).max(1)).unwrap_or(i32::MAX);
        let slot = NoteSlot { duration, note: n.key, velocity: n.velocity.clamp(1, 127), micro: micro_c as i8, age: 0 };
        let (pass, s) = (k.div_euclid(step_count), k.rem_euclid(step_count) as usize);
        if pass == 0 {
            cells.entry((t, s)).or_default().push(slot);
        } else {
            later.push((t, s, pass as u64 + 1, slot));
        }
    }
    for (t, s, pass, slot) in later {
        // A repeat has the first pass's note, velocity and micro-timing; its length may be shorter
        // when the export cut its note-off at the song's end.
        let first = cells.get(&(t, s)).is_some_and(|v| {
            v.iter().any(|f| {
                (f.note, f.velocity, f.micro) == (slot.note, slot.velocity, slot.micro) && slot.duration <= f.duration
            })
        });
        if first {
            report.repeats += 1;
        } else {
            let count = project.track(p, t)?.step_count;
            report.dropped.push(format!(
                "{}: {} in pass {pass} of the track's {count}-step loop differs from the first pass; the OP-Z repeats the loop (raise the step count or step length to hold it)",
                place(p, t, s),
                crate::human::note_name(slot.note)
            ));
        }
    }
    // Replace the notes of the tracks that receive notes.
    let tracks: Vec<usize> = {
        let mut v: Vec<usize> = cells.keys().map(|&(t, _)| t).collect();
        v.dedup();
        v
    };
    for &t in &tracks {
        report.replaced += project.notes(p, t)?.len();
        for s in 0..STEPS {
            ops::clear_step_notes(project, p, t, s)?;
        }
    }
    for ((t, s), list) in cells {
        let poly = model::polyphony(t);
        for (i, slot) in list.iter().enumerate() {
            if i >= poly {
                report.dropped.push(format!(
                    "{}: {} is note {} on this step; the {} track plays at most {poly} per step",
                    place(p, t, s),
                    crate::human::note_name(slot.note),
                    i + 1,
                    track_name(t)
                ));
                continue;
            }
            project.set_slot(p, t, s, i, *slot)?;
            *report.placed.entry(t).or_default() += 1;
            if t <= 3 && !DRUM_KEYS.contains(&slot.note) {
                report.warnings.push(format!(
                    "{}: {} is outside the drum keys F3..E5 (53..=76); the kit has no slice for it",
                    place(p, t, s),
                    crate::human::note_name(slot.note)
                ));
            }
        }
    }
    Ok(report)
}

#[cfg(test)]
#[path = "import_tests.rs"]
mod tests;
