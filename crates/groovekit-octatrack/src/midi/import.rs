//! MIDI in: the notes of a Standard MIDI File onto the trigs of a bank, the inverse of
//! [`crate::midi::export`].
//!
//! - Each note goes to an Octatrack track: by `--track-map` entry, else by the track name the
//!   export writes (`M3 ...` = MIDI track 3, `T2 ...` = audio track 2), else by channel (the first
//!   MIDI track of the destination pattern's part on that channel). Notes with no track are
//!   reported.
//! - A note's start is rounded to 1/384 of a step (the device's micro-timing unit, 1x scale: a step
//!   is a sixteenth, `ppq / 4` file ticks); it goes on the nearest step, and the rest becomes
//!   micro-timing. The device holds -23..+23/384 ([`MICRO_RANGE`]): a note further off the grid is
//!   moved to the nearest micro-timing and reported as moved.
//! - On a MIDI track up to 4 notes that start on one step become one trig: the lowest is NOTE,
//!   the others NOT2-NOT4 (offsets from NOTE); the base note's velocity and length are the
//!   trig's, locked where they differ from the part's defaults. A fifth note, a second note of
//!   the same key, or a chord offset the device cannot hold is reported.
//! - On an audio track a note is a trig (the sample plays as it is): a velocity other than the
//!   export's 100 becomes an AMP VOL lock (the export's mapping backwards); a key other than 60 is
//!   not kept, which is reported.
//! - The song fills consecutive patterns of `length` steps from the first; with an arrangement,
//!   its rows are set to those patterns in order (with a row tempo where the file's tempo
//!   changes). Notes past pattern 16 are reported.
//!
//! The destination tracks must be blank unless `force` (then they are cleared first). The
//! patterns written are set to normal scale mode, 1x, `length` steps and the file's first tempo;
//! the swing amount of each written track is set to 0 (50 %), so the notes play where the file
//! has them. Every change is listed in the report.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use groovekit_audio::midi::{InNote, SmfContent};

use crate::OtError;
use crate::midi::{self, TrackRef};
use crate::model::arrangement::{PatternRow, Row};
use crate::model::bank::{Bank, MICRO_RANGE};
use crate::model::project_folder::Project;
use crate::ops::backup::{self, Applied, ApplyOptions, Change};
use crate::raw::arrangement::Block;
use crate::raw::bank::PartCopy;

/// Micro-timing units (1/384 step) in a step.
const MICRO_PER_STEP: i64 = 384;

/// The most steps a pattern holds in normal scale mode.
const MAX_STEPS: u8 = 64;

/// Where the notes of a track map entry come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A MIDI channel, 0-based.
    Channel(u8),
    /// A MIDI track name (compared without case; the first word is enough).
    Name(String),
}

/// One `--track-map` entry: `SRC[:KEY]=DEST`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapEntry {
    /// Where the notes come from.
    pub source: Source,
    /// Only notes of this key (e.g. one drum of a GM drum channel).
    pub key: Option<u8>,
    /// The Octatrack track they go to.
    pub dest: TrackRef,
}

/// Parses `SRC[:KEY]=DEST`: SRC is `chN` (channel 1-16) or a MIDI track name, KEY a MIDI note
/// number 0-127, DEST `M1`-`M8` (MIDI tracks) or `T1`-`T8` (audio tracks).
pub fn parse_map_entry(entry: &str) -> Result<MapEntry, OtError> {
    let bad = |m: String| OtError::Invalid { field: format!("track map `{entry}`"), message: m };
    let (src, dst) =
        entry.rsplit_once('=').ok_or_else(|| bad("expected SRC=TRACK, e.g. ch2=M1, ch10:36=T1, bass=M2".into()))?;
    let dest = TrackRef::parse(dst.trim())
        .ok_or_else(|| bad(format!("`{dst}` is not a track: use M1-M8 (MIDI) or T1-T8 (audio)")))?;
    let src = src.trim();
    let (src, key) = match src.rsplit_once(':') {
        Some((s, k)) if !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()) => {
            let key: u8 = k.parse().ok().filter(|&k: &u8| k <= 127).ok_or_else(|| bad(format!("key {k}: 0-127")))?;
            (s.trim(), Some(key))
        }
        _ => (src, None),
    };
    if src.is_empty() {
        return Err(bad("no source before `=`".into()));
    }
    let lower = src.to_ascii_lowercase();
    let source = match lower.strip_prefix("ch").map(str::parse::<u8>) {
        Some(Ok(n)) if (1..=16).contains(&n) => Source::Channel(n - 1),
        Some(Ok(n)) => return Err(bad(format!("channel {n}: channels are 1-16"))),
        _ => Source::Name(src.to_string()),
    };
    Ok(MapEntry { source, key, dest })
}

/// What to import where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOptions {
    /// Bank 1-16.
    pub bank: u8,
    /// The first pattern written, 1-16.
    pub pattern: u8,
    /// Arrangement 1-8 whose rows become the patterns written.
    pub arrangement: Option<u8>,
    /// Track map entries, tried in order before the defaults.
    pub track_map: Vec<MapEntry>,
    /// Steps per pattern 1-64; None: the song's length when it fits one pattern, else the most
    /// whole bars (of the file's first time signature) that fit 64 steps.
    pub length: Option<u8>,
    /// Replace tracks that hold trigs (cleared first).
    pub force: bool,
}

/// Which source went to which track, and how many notes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Routed {
    /// The MIDI file's track index (0-based).
    pub midi_track: usize,
    /// Its name.
    pub name: String,
    /// MIDI channel 1-16.
    pub channel: u8,
    /// The Octatrack track (`M1`, `T3`), or None when no track takes these notes.
    pub to: Option<String>,
    /// Notes.
    pub notes: usize,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct ImportReport {
    /// Notes in the file.
    pub notes: usize,
    /// Notes now played by a trig (chord notes included).
    pub placed: usize,
    /// Steps per pattern.
    pub length: u8,
    /// The patterns written, as the device names them (`A01`).
    pub patterns: Vec<String>,
    /// The patterns' tempo (the file's first), when set.
    pub tempo: Option<f64>,
    /// Source -> track routing with note counts.
    pub routing: Vec<Routed>,
    /// Notes placed, but not exactly as in the file (moved to the nearest micro-timing, chord
    /// notes sharing the base note's timing, velocity and length).
    pub approximated: Vec<String>,
    /// What was not imported: each line says what and why.
    pub not_imported: Vec<String>,
    /// Settings the import changed (scale mode, length, tempo, swing, cleared tracks).
    pub changed: Vec<String>,
    /// The arrangement rows written.
    pub arrangement_rows: Vec<String>,
}

fn invalid(field: &str, message: impl Into<String>) -> OtError {
    OtError::Invalid { field: field.to_string(), message: message.into() }
}

/// A note's place on the grid.
#[derive(Debug, Clone, Copy)]
struct Placed<'a> {
    note: &'a InNote,
    micro: i8,
}

/// The position of `tick` in 1/384 steps (1x scale: `ppq / 4` ticks a step), rounded to the
/// nearest unit.
fn micro_units(tick: u64, ppq: u16) -> i64 {
    let num = i128::from(tick) * 4 * i128::from(MICRO_PER_STEP);
    let den = i128::from(ppq.max(1));
    i64::try_from((num + den / 2) / den).unwrap_or(i64::MAX)
}

/// The steps (possibly fractional) of a length in file ticks.
fn steps_of(ticks: u64, ppq: u16) -> f64 {
    ticks as f64 * 4.0 / f64::from(ppq.max(1))
}

/// The steps per pattern of a song (see [`ImportOptions::length`]).
fn auto_length(content: &SmfContent) -> u8 {
    let last = content.notes.iter().map(|n| n.start + n.length).max().unwrap_or(0);
    let end = content.end.max(last);
    let steps = steps_of(end, content.ppq).ceil().max(1.0);
    if steps <= f64::from(MAX_STEPS) {
        return steps as u8; // ok: 1..=64
    }
    let bar = content
        .time_signatures
        .first()
        .filter(|t| t.tick == 0 && t.denominator > 0)
        .map(|t| u32::from(t.numerator) * 16 / u32::from(t.denominator))
        .filter(|&b| (1..=u32::from(MAX_STEPS)).contains(&b))
        .unwrap_or(16);
    (u32::from(MAX_STEPS) / bar * bar) as u8 // ok: <= 64
}

/// The device name of pattern `p` (1-16) of bank `b` (1-16): `A01`.
pub fn pattern_name(bank: u8, p: u8) -> String {
    PatternRow::new(bank, p).name()
}

/// Imports `smf` into `project` in memory (see the module documentation); `Project::save` or
/// [`import_midi`] writes it.
pub fn import_into(project: &mut Project, smf: &[u8], opts: &ImportOptions) -> Result<ImportReport, OtError> {
    let content = groovekit_audio::midi::read_smf(smf).map_err(|e| invalid("MIDI file", e.to_string()))?;
    import_content(project, &content, opts)
}

/// [`import_into`] for a file already read.
pub fn import_content(
    project: &mut Project,
    content: &SmfContent,
    opts: &ImportOptions,
) -> Result<ImportReport, OtError> {
    if !(1..=16).contains(&opts.bank) {
        return Err(invalid(&format!("bank {}", opts.bank), "banks are 1-16"));
    }
    if !(1..=16).contains(&opts.pattern) {
        return Err(invalid(&format!("pattern {}", opts.pattern), "patterns are 1-16"));
    }
    if let Some(a) = opts.arrangement
        && !(1..=8).contains(&a)
    {
        return Err(invalid(&format!("arrangement {a}"), "arrangements are 1-8"));
    }
    let length = match opts.length {
        Some(l) if (1..=MAX_STEPS).contains(&l) => l,
        Some(l) => return Err(invalid(&format!("length {l}"), "a pattern is 1-64 steps in normal scale mode")),
        None => auto_length(content),
    };
    let ppq = content.ppq;
    let mut report = ImportReport { notes: content.notes.len(), length, ..ImportReport::default() };
    let bank_no = opts.bank;
    // Edits go to copies, put back only when everything succeeded: a failed import leaves the
    // project as it was.
    let mut working = project.bank(bank_no)?.clone();
    let bank = &mut working;
    let first_part = bank.pattern(opts.pattern)?.part;
    let mut channels = [0u8; 8];
    for (t, c) in channels.iter_mut().enumerate() {
        *c = bank.midi_part_track(first_part, PartCopy::Working, t as u8 + 1)?.channel - 1; // ok: t < 8
    }

    // Route, then grid every note.
    let mut routes: BTreeMap<(usize, u8, Option<TrackRef>), Routed> = BTreeMap::new();
    let mut cells: BTreeMap<(u8, TrackRef, u8), Vec<Placed>> = BTreeMap::new();
    let mut moved = Vec::new();
    let mut unrouted = 0usize;
    let mut past_end: Vec<&InNote> = Vec::new();
    for n in &content.notes {
        let dest = route(n, &opts.track_map, &channels);
        let r = routes.entry((n.track, n.channel, dest)).or_insert_with(|| Routed {
            midi_track: n.track,
            name: n.track_name.clone(),
            channel: n.channel + 1,
            to: dest.map(|d| d.to_string()),
            notes: 0,
        });
        r.notes += 1;
        let Some(dest) = dest else {
            unrouted += 1;
            continue;
        };
        let u = micro_units(n.start, ppq);
        let step_abs = (u + MICRO_PER_STEP / 2).div_euclid(MICRO_PER_STEP);
        let rest = u - step_abs * MICRO_PER_STEP;
        let micro = rest.clamp(i64::from(*MICRO_RANGE.start()), i64::from(*MICRO_RANGE.end())) as i8; // ok: clamped
        if i64::from(micro) != rest {
            moved.push(format!(
                "{dest} note {} at tick {}: {rest:+}/384 of a step off the grid, moved to {micro:+}/384",
                midi::note_name(n.key),
                n.start
            ));
        }
        let pi = step_abs.div_euclid(i64::from(length));
        let pattern = i64::from(opts.pattern) + pi;
        if pattern > 16 {
            past_end.push(n);
            continue;
        }
        let step = step_abs.rem_euclid(i64::from(length)) as u8 + 1; // ok: < 64
        cells.entry((pattern as u8, dest, step)).or_default().push(Placed { note: n, micro }); // ok: 1..=16
    }
    report.routing = routes.into_values().collect();
    if unrouted > 0 {
        for r in report.routing.iter().filter(|r| r.to.is_none()) {
            report.not_imported.push(format!(
                "{} notes of MIDI track {} {:?} on channel {}: no Octatrack track takes them (add --track-map ch{}=M1, or name=T1)",
                r.notes,
                r.midi_track + 1,
                r.name,
                r.channel,
                r.channel
            ));
        }
    }
    if !past_end.is_empty() {
        report.not_imported.push(format!(
            "{} notes from tick {} on: past pattern 16 (a song of {length}-step patterns from pattern {} fills {} patterns)",
            past_end.len(),
            past_end.iter().map(|n| n.start).min().unwrap_or(0),
            opts.pattern,
            17 - opts.pattern
        ));
    }
    report.approximated.extend(moved);

    // The patterns written: every pattern from the first to the last that holds a note (at
    // least the first, so an empty file still sets its pattern).
    let last_pattern = cells.keys().map(|k| k.0).max().unwrap_or(opts.pattern).max(opts.pattern);
    let patterns: Vec<u8> = (opts.pattern..=last_pattern).collect();

    // Destination tracks must be blank unless forced.
    let mut written: BTreeMap<u8, Vec<TrackRef>> = BTreeMap::new();
    for &(p, dest, _) in cells.keys() {
        let v = written.entry(p).or_default();
        if !v.contains(&dest) {
            v.push(dest);
        }
    }
    let mut busy = Vec::new();
    for (&p, tracks) in &written {
        for &t in tracks {
            if track_has_data(bank, p, t)? {
                busy.push(format!("{} {t}", pattern_name(bank_no, p)));
            }
        }
    }
    if !busy.is_empty() && !opts.force {
        return Err(invalid(
            &format!("bank {bank_no}"),
            format!(
                "these tracks hold trigs: {}; choose blank patterns, or add --force to replace them (a backup is kept)",
                busy.join(", ")
            ),
        ));
    }
    for b in &busy {
        report.changed.push(format!("{b}: cleared (held trigs)"));
    }
    let blank = Bank::new(bank_no);
    for (&p, tracks) in &written {
        for &t in tracks {
            clear_track(bank, &blank, p, t)?;
        }
    }

    // Pattern settings.
    let tempo = content.tempos.first().map(|t| t.bpm).unwrap_or(120.0);
    let tempo_ok = (30.0..=300.0).contains(&tempo);
    let tempo_x24 = (tempo * 24.0).round() / 24.0;
    if !tempo_ok {
        report
            .not_imported
            .push(format!("tempo {tempo:.2} BPM: the device plays 30-300 BPM; the patterns keep theirs"));
    } else {
        report.tempo = Some(tempo_x24);
    }
    for &p in &patterns {
        let mut s = bank.pattern(p)?;
        let old = s.clone();
        s.per_track = false;
        s.master_length = length;
        s.master_scale = 2;
        if tempo_ok {
            s.tempo = tempo_x24;
        }
        if s != old {
            let name = pattern_name(bank_no, p);
            let mut what = Vec::new();
            if old.per_track {
                what.push("normal scale mode".to_string());
            }
            if old.master_length != length {
                what.push(format!("length {} -> {length}", old.master_length));
            }
            if old.master_scale != 2 {
                what.push("scale 1x".to_string());
            }
            if (old.tempo - s.tempo).abs() > 1e-9 {
                what.push(format!("tempo {} -> {} BPM", old.tempo, s.tempo));
            }
            report.changed.push(format!("{name}: {}", what.join(", ")));
            bank.set_pattern(p, &s)?;
        }
        report.patterns.push(pattern_name(bank_no, p));
    }
    for (&p, tracks) in &written {
        for &t in tracks {
            let mut s = match t {
                TrackRef::Midi(n) => bank.midi_track(p, n)?,
                TrackRef::Audio(n) => bank.audio_track(p, n)?,
            };
            if s.swing_amount != 0 {
                report.changed.push(format!(
                    "{} {t}: swing {} % -> 50 %",
                    pattern_name(bank_no, p),
                    50 + s.swing_amount
                ));
                s.swing_amount = 0;
                match t {
                    TrackRef::Midi(n) => bank.set_midi_track(p, n, &s)?,
                    TrackRef::Audio(n) => bank.set_audio_track(p, n, &s)?,
                }
            }
        }
    }

    // Trigs.
    let mut audio_pitch = 0usize;
    for (&(p, dest, step), notes) in &cells {
        let place = format!("{} {dest} step {step}", pattern_name(bank_no, p));
        match dest {
            TrackRef::Midi(t) => {
                let part = bank.pattern(p)?.part;
                let defaults = bank.midi_part_track(part, PartCopy::Working, t)?;
                let mut keys: Vec<Placed> = notes.clone();
                keys.sort_by_key(|x| (x.note.key, x.note.start));
                let mut chord: Vec<Placed> = Vec::new();
                for x in keys {
                    if chord.iter().any(|c| c.note.key == x.note.key) {
                        report.not_imported.push(format!(
                            "{place}: a second {} on the same step (one trig plays a key once)",
                            midi::note_name(x.note.key)
                        ));
                    } else if chord.len() == 4 {
                        report.not_imported.push(format!(
                            "{place}: {} is a fifth note on one step (a trig plays up to 4: NOTE, NOT2-NOT4)",
                            midi::note_name(x.note.key)
                        ));
                    } else {
                        chord.push(x);
                    }
                }
                let Some(base) = chord.first().copied() else { continue };
                let mut st = bank.midi_step(p, t, step)?;
                st.trig = true;
                st.micro = base.micro;
                let note_lock = (base.note.key != defaults.note).then_some(base.note.key);
                let vel_lock = (base.note.velocity != defaults.velocity).then_some(base.note.velocity);
                let len_code = midi::len_code_for_steps(steps_of(base.note.length, ppq));
                let len_lock = (len_code != defaults.length).then_some(len_code);
                st.set_note(note_lock, vel_lock, len_lock)?;
                // The part's own NOT2-NOT4 sound on every trig without locks: a chord slot this
                // step does not fill is locked to 64 (no note) where the part has a note there.
                for (k, name) in ["note.not2", "note.not3", "note.not4"].iter().enumerate() {
                    if chord.len() <= k + 1 && defaults.param(name)? != 64 {
                        st.set_lock(name, Some(64))?;
                    }
                }
                let mut placed = 1;
                for (i, x) in chord.iter().enumerate().skip(1) {
                    let offset = i16::from(x.note.key) - i16::from(base.note.key);
                    match midi::chord_store(offset) {
                        Some(v) => {
                            let name = ["note.not2", "note.not3", "note.not4"][i - 1]; // ok: i in 1..4
                            st.set_lock(name, Some(v))?;
                            placed += 1;
                            if x.micro != base.micro
                                || x.note.velocity != base.note.velocity
                                || midi::len_code_for_steps(steps_of(x.note.length, ppq)) != len_code
                            {
                                report.approximated.push(format!(
                                    "{place}: chord note {} plays with the base note {}'s timing, velocity and length",
                                    midi::note_name(x.note.key),
                                    midi::note_name(base.note.key)
                                ));
                            }
                        }
                        None => report.not_imported.push(format!(
                            "{place}: chord note {} is {offset:+} semitones from {}; NOT2-NOT4 hold {}",
                            midi::note_name(x.note.key),
                            midi::note_name(base.note.key),
                            midi::CHORD_RANGE_TEXT
                        )),
                    }
                }
                st.plock_trig = st.raw_locks().iter().any(|&b| b != crate::raw::pattern::NO_LOCK);
                bank.set_midi_step(p, t, step, &st)?;
                report.placed += placed;
            }
            TrackRef::Audio(t) => {
                let base = notes.iter().min_by_key(|x| x.note.start).copied();
                let Some(base) = base else { continue };
                let mut st = bank.audio_step(p, t, step)?;
                st.trig = true;
                st.micro = base.micro;
                // The export's velocity is the AMP VOL lock (100 without one): backwards here.
                if base.note.velocity != midi::AUDIO_VELOCITY {
                    st.set_lock("amp.vol", Some(u16::from(base.note.velocity)))?;
                    st.plock_trig = true;
                }
                bank.set_audio_step(p, t, step, &st)?;
                report.placed += 1;
                if notes.len() > 1 {
                    report.not_imported.push(format!(
                        "{place}: {} notes on one step of an audio track: one trig plays them as one",
                        notes.len()
                    ));
                }
                audio_pitch += notes.iter().filter(|x| x.note.key != midi::AUDIO_KEY).count();
            }
        }
    }
    if audio_pitch > 0 {
        report.not_imported.push(format!(
            "{audio_pitch} notes on audio tracks: their key (other than {}) is not kept: an audio trig plays its sample as it is",
            midi::note_name(midi::AUDIO_KEY)
        ));
    }

    // Tempo changes and the arrangement.
    let step_ticks = |steps: u64| steps * u64::from(ppq) / 4;
    let changes: Vec<_> = content.tempos.iter().skip(1).collect();
    let mut new_arrangement = None;
    if let Some(a) = opts.arrangement {
        let mut arr = project.arrangement(a)?.clone();
        arr.clear(Block::Current);
        for (i, &p) in patterns.iter().enumerate() {
            let start = step_ticks(i as u64 * u64::from(length));
            let bpm = content.tempos.iter().take_while(|t| t.tick <= start).last().map(|t| t.bpm).unwrap_or(tempo);
            let mut row = PatternRow::new(bank_no, p);
            row.length = length;
            if (bpm - tempo).abs() > 1e-6 && (30.0..=300.0).contains(&bpm) {
                row.tempo = Some((bpm * 24.0).round() / 24.0);
            }
            let n = arr.push_row(Block::Current, &Row::Pattern(row.clone()))?;
            report.arrangement_rows.push(format!(
                "row {n}: {}{}",
                row.name(),
                row.tempo.map(|t| format!(" at {t} BPM")).unwrap_or_default()
            ));
        }
        let inside: Vec<_> =
            changes.iter().filter(|t| !t.tick.is_multiple_of(step_ticks(u64::from(length)).max(1))).collect();
        if !inside.is_empty() {
            report.not_imported.push(format!(
                "{} tempo changes inside a pattern (rows change tempo only where a pattern starts)",
                inside.len()
            ));
        }
        new_arrangement = Some(arr);
    } else if !changes.is_empty() {
        report.not_imported.push(format!(
            "{} tempo changes: the patterns play at {tempo:.2} BPM (with --arrangement N the rows take the tempo where a pattern starts)",
            changes.len()
        ));
    }
    *project.bank_mut(bank_no)? = working;
    if let (Some(a), Some(arr)) = (opts.arrangement, new_arrangement) {
        *project.arrangement_mut(a)? = arr;
    }
    Ok(report)
}

/// Where a note goes: the first matching map entry, else the export's track name, else the first
/// MIDI track on its channel.
fn route(n: &InNote, map: &[MapEntry], channels: &[u8; 8]) -> Option<TrackRef> {
    let first_word = n.track_name.split_whitespace().next().unwrap_or("");
    for e in map {
        if e.key.is_some_and(|k| k != n.key) {
            continue;
        }
        let hit = match &e.source {
            Source::Channel(c) => *c == n.channel,
            Source::Name(name) => name.eq_ignore_ascii_case(&n.track_name) || name.eq_ignore_ascii_case(first_word),
        };
        if hit {
            return Some(e.dest);
        }
    }
    if let Some(t) = TrackRef::parse(first_word) {
        return Some(t);
    }
    channels.iter().position(|&c| c == n.channel).map(|t| TrackRef::Midi(t as u8 + 1)) // ok: t < 8
}

/// Whether track `t` of pattern `p` holds trigs (note or lock-only).
fn track_has_data(bank: &Bank, p: u8, t: TrackRef) -> Result<bool, OtError> {
    Ok(match t {
        TrackRef::Midi(n) => bank.midi_steps(p, n)?.iter().any(|s| s.trig || s.trigless),
        TrackRef::Audio(n) => bank.audio_steps(p, n)?.iter().any(|s| s.trig || s.trigless),
    })
}

/// Sets every step of a track to the blank bank's (trigs, locks, conditions, micro-timing);
/// the recorder trigs of an audio track stay (they record, they play no note). Unchanged bytes
/// stay as they are (the setters write only what differs).
fn clear_track(bank: &mut Bank, blank: &Bank, p: u8, t: TrackRef) -> Result<(), OtError> {
    for s in 1..=64u8 {
        match t {
            TrackRef::Midi(n) => bank.set_midi_step(p, n, s, &blank.midi_step(1, n, s)?)?,
            TrackRef::Audio(n) => {
                let mut b = blank.audio_step(1, n, s)?;
                b.recorder = bank.audio_step(p, n, s)?.recorder;
                bank.set_audio_step(p, n, s, &b)?;
            }
        }
    }
    Ok(())
}

/// The plan (and, after a real run, the result) of `ot import-midi`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ImportPlan {
    /// `import-midi`.
    pub operation: String,
    /// The MIDI file.
    pub source: PathBuf,
    /// The project folder.
    pub project: PathBuf,
    /// What was placed, changed and left out.
    #[serde(flatten)]
    pub report: ImportReport,
    /// The files written.
    pub writes: Vec<PathBuf>,
    /// Whether this was a dry run.
    pub dry_run: bool,
    /// The backup folder (after a real run).
    pub backup: Option<PathBuf>,
}

/// `ot import-midi`: reads `midi_file`, imports it into the project folder `dir` and, unless
/// `dry_run`, writes the bank (and arrangement) all-or-nothing after a backup in `backups/`.
pub fn import_midi(
    dir: &Path,
    midi_file: &Path,
    opts: &ImportOptions,
    dry_run: bool,
    apply: ApplyOptions,
) -> Result<ImportPlan, OtError> {
    let smf = std::fs::read(midi_file).map_err(|e| crate::ops::project_dir::io_error("reading", midi_file, e))?;
    crate::ops::project_dir::ProjectDir::open(dir)?;
    let mut project = Project::open(dir)?;
    let report = import_into(&mut project, &smf, opts).map_err(|e| match e {
        OtError::Invalid { field, message } if field == "MIDI file" => {
            invalid(&midi_file.display().to_string(), message)
        }
        other => other,
    })?;
    let mut changes = vec![Change::Write {
        path: dir.join(format!("bank{:02}.work", opts.bank)),
        bytes: project.bank(opts.bank)?.to_bytes(),
    }];
    if let Some(a) = opts.arrangement {
        changes.push(Change::Write {
            path: dir.join(format!("arr{a:02}.work")),
            bytes: project.arrangement(a)?.to_bytes(),
        });
    }
    let mut plan = ImportPlan {
        operation: "import-midi".into(),
        source: midi_file.to_path_buf(),
        project: dir.to_path_buf(),
        report,
        writes: changes.iter().map(|c| c.target().to_path_buf()).collect(),
        dry_run,
        backup: None,
    };
    if !dry_run {
        let Applied { backup, .. } = backup::apply(dir, "import-midi", &changes, apply)?;
        plan.backup = Some(backup);
    }
    Ok(plan)
}

#[cfg(test)]
#[path = "import_tests.rs"]
mod tests;
