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

/// Reads the notes of a Standard MIDI File: (ticks per quarter note, notes), through the shared
/// reader [`groovekit_audio::midi::read_smf`].
///
/// # Errors
/// A damaged file (naming the byte: [`groovekit_audio::midi::check_smf_layout`]), one midly
/// cannot parse, or SMPTE timing (the OP-Z grid needs beats).
pub fn read_smf(bytes: &[u8]) -> Result<(u16, Vec<InNote>), OpzError> {
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
