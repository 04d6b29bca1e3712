//! Data that can never sound, in words: trigs and locks past a track's length (or past the
//! point where a finite master length restarts the track), trigs on track 8 when it is the
//! master track, and trigs that play a slot the project leaves empty. `verify` reports these as
//! warnings (exit 0: the project is valid, the device plays them as silence), and the copies and
//! edits say so when they leave such data behind (issue 21).

use std::path::Path;

use super::{TrackId, pattern_lengths};
use crate::OtError;
use crate::model::bank::Bank;
use crate::model::project::SlotType;
use crate::ops::project_dir::{ProjectDir, State};
use crate::raw::pattern::NO_LOCK;

/// `1-4, 9, 12-16`: step numbers as ranges.
pub fn ranges(steps: &[u8]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(&a) = steps.get(i) {
        let mut j = i;
        while steps.get(j + 1).is_some_and(|&n| Some(n) == steps.get(j).map(|x| x + 1)) {
            j += 1;
        }
        let b = steps.get(j).copied().unwrap_or(a);
        out.push(if a == b { a.to_string() } else { format!("{a}-{b}") });
        i = j + 1;
    }
    out.join(", ")
}

/// The steps of a track that hold data (a trig, a trigless trig, or any lock).
fn data_steps(bank: &Bank, p: u8, track: TrackId) -> Result<Vec<(u8, bool)>, OtError> {
    let mut out = Vec::new();
    match track {
        TrackId::Audio(t) => {
            for (i, s) in bank.audio_steps(p, t)?.iter().enumerate() {
                let locks = s.raw_locks().iter().any(|&b| b != NO_LOCK);
                if s.trig || s.trigless || locks {
                    out.push((i as u8 + 1, s.trig)); // ok: i < 64
                }
            }
        }
        TrackId::Midi(t) => {
            for (i, s) in bank.midi_steps(p, t)?.iter().enumerate() {
                let locks = s.raw_locks().iter().any(|&b| b != NO_LOCK);
                if s.trig || s.trigless || locks {
                    out.push((i as u8 + 1, s.trig)); // ok: i < 64
                }
            }
        }
    }
    Ok(out)
}

/// What in pattern `p` (1-16) of `bank` can never sound; `master_track`: the project's
/// `MASTER_TRACK=1`. One line per track.
pub fn pattern_notes(bank: &Bank, p: u8, master_track: bool) -> Result<Vec<String>, OtError> {
    let lengths = pattern_lengths(bank, p)?;
    let mut out = Vec::new();
    let tracks = (1..=8u8).map(TrackId::Audio).chain((1..=8u8).map(TrackId::Midi));
    for track in tracks {
        let playable = lengths.playable_steps(track);
        let data = data_steps(bank, p, track)?;
        let past: Vec<u8> = data.iter().filter(|(s, _)| *s > playable).map(|(s, _)| *s).collect();
        let place = format!("bank {} pattern {p} track {}", bank.number(), track.name());
        if !past.is_empty() {
            let why = match lengths.master_steps {
                Some(m) if lengths.per_track && u32::from(playable) < u32::from(track_steps(&lengths, track)) => {
                    format!("the master length ({m} steps) restarts the track after step {playable}")
                }
                _ => format!("the track is {playable} steps long"),
            };
            out.push(format!("{place}: step(s) {} hold data that never plays ({why})", ranges(&past)));
        }
        if master_track && track == TrackId::Audio(8) {
            let trigs: Vec<u8> = data.iter().filter(|(s, trig)| *trig && *s <= playable).map(|(s, _)| *s).collect();
            if !trigs.is_empty() {
                out.push(format!(
                    "{place}: trig(s) on step(s) {} play no sample: track 8 is the master track (MASTER_TRACK=1)",
                    ranges(&trigs)
                ));
            }
        }
    }
    Ok(out)
}

fn track_steps(l: &super::PatternLengths, track: TrackId) -> u8 {
    match track {
        TrackId::Audio(n) => l.audio_steps.get(usize::from(n.max(1) - 1)).copied().unwrap_or(16),
        TrackId::Midi(n) => l.midi_steps.get(usize::from(n.max(1) - 1)).copied().unwrap_or(16),
    }
}

/// [`pattern_notes`] for all 16 patterns of a bank.
pub fn bank_notes(bank: &Bank, master_track: bool) -> Vec<String> {
    (1..=16u8).filter_map(|p| pattern_notes(bank, p, master_track).ok()).flatten().collect()
}

/// The trigs of `bank` that play a slot for which `listed` says the project has no sample: one
/// line per (pattern, track, slot). The device plays them as silence.
pub fn empty_slot_notes(bank: &Bank, master_track: bool, listed: &dyn Fn(SlotType, u16) -> bool) -> Vec<String> {
    (1..=16u8).flat_map(|p| empty_slot_pattern_notes(bank, p, master_track, listed)).collect()
}

/// [`empty_slot_notes`] for pattern `p` (1-16) only.
pub fn empty_slot_pattern_notes(
    bank: &Bank,
    p: u8,
    master_track: bool,
    listed: &dyn Fn(SlotType, u16) -> bool,
) -> Vec<String> {
    use super::{EventKind, OneBank, Options, expand_patterns_from};
    let mut settings = crate::model::project::Project::new_default();
    if master_track {
        let _ = settings.set_setting("MASTER_TRACK", 1);
    }
    let opts = Options { every_condition: true, ..Options::default() };
    let mut src = OneBank { bank, settings: &settings };
    let Ok(t) = expand_patterns_from(&mut src, bank.number(), &[p], &opts) else { return Vec::new() };
    let mut seen: Vec<(TrackId, SlotType, u16, Vec<u8>)> = Vec::new();
    for e in &t.events {
        let EventKind::AudioTrig(a) = &e.kind else { continue };
        let Some((pool, slot)) = a.slot else { continue };
        if !a.plays_sample || listed(pool, slot) {
            continue;
        }
        match seen.iter_mut().find(|(tr, po, sl, _)| *tr == e.track && *po == pool && *sl == slot) {
            Some((_, _, _, steps)) => {
                if !steps.contains(&e.step) {
                    steps.push(e.step);
                }
            }
            None => seen.push((e.track, pool, slot, vec![e.step])),
        }
    }
    seen.into_iter()
        .map(|(track, pool, slot, mut steps)| {
            steps.sort_unstable();
            format!(
                "bank {} pattern {p} track {}: trig(s) on step(s) {} play {} slot {slot}, which is empty in this project (silent on the device)",
                bank.number(),
                track.name(),
                ranges(&steps),
                pool.describe()
            )
        })
        .collect()
}

/// [`bank_notes`] for every bank (`.work`) of the project folder `dir`.
pub fn project_notes(dir: &Path) -> Result<Vec<String>, OtError> {
    let p = ProjectDir::open(dir)?;
    let master_track = p.project.setting("MASTER_TRACK") == Some(1);
    let mut out = Vec::new();
    for b in 1..=16usize {
        let Some(raw) = p.read_bank(b, State::Work)? else { continue };
        let bank = Bank::from_raw(raw, b as u8); // ok: 1-16
        out.extend(bank_notes(&bank, master_track));
    }
    Ok(out)
}

/// The notes that `after` has and `before` did not: what an edit or a copy newly left silent.
pub fn new_notes(before: &[String], after: Vec<String>) -> Vec<String> {
    after.into_iter().filter(|n| !before.contains(n)).collect()
}

/// What a copy or an edit newly leaves silent in a bank: data past a track's length, trigs on
/// the master track, trigs that play a slot the project leaves empty. `before`/`after` are the
/// bank before and after; `listed_before`/`listed_after` say which slots the project has a sample
/// in before and after. Only patterns whose bytes or whose working part changed are looked at,
/// and notes the bank already had are not repeated.
pub fn copy_notes(
    before: &crate::raw::bank::Bank,
    after: &crate::raw::bank::Bank,
    bank_no: u8,
    master_track: bool,
    listed_before: &dyn Fn(SlotType, u16) -> bool,
    listed_after: &dyn Fn(SlotType, u16) -> bool,
) -> Vec<String> {
    use crate::raw::bank::PartCopy;
    let changed: Vec<u8> = (0..16usize)
        .filter(|&p| {
            let (x, y) = (before.pattern(p), after.pattern(p));
            let part = usize::from(y.part()).min(3);
            x.raw() != y.raw()
                || before.part(PartCopy::Working, part).raw() != after.part(PartCopy::Working, part).raw()
        })
        .map(|p| p as u8 + 1) // ok: p < 16
        .collect();
    if changed.is_empty() {
        return Vec::new();
    }
    let (b, a) = (Bank::from_raw(before.clone(), bank_no), Bank::from_raw(after.clone(), bank_no));
    let notes = |bank: &Bank, listed: &dyn Fn(SlotType, u16) -> bool| -> Vec<String> {
        changed
            .iter()
            .flat_map(|&p| {
                let mut n = pattern_notes(bank, p, master_track).unwrap_or_default();
                n.extend(empty_slot_pattern_notes(bank, p, master_track, listed));
                n
            })
            .collect()
    };
    let old = notes(&b, listed_before);
    new_notes(&old, notes(&a, listed_after))
}

/// What a bank file about to be written to `dest` (`.../bankNN.work`) holds that can never sound,
/// for `groovekit build`: data past a track's length in every pattern and, when `dest`'s folder
/// holds a project file, trigs on track 8 under its `MASTER_TRACK=1` and trigs that play a slot
/// it leaves empty. Without a project beside it, the bank is read alone (bank number from the
/// file name, 1 otherwise; master track off; slots not checked). Bytes that are not a bank give
/// no notes (the build itself reports what is wrong with them).
pub fn bank_file_notes(bytes: &[u8], dest: &Path) -> Vec<String> {
    let Ok(raw) = crate::raw::bank::Bank::read(bytes) else { return Vec::new() };
    let number = dest
        .file_stem()
        .and_then(|s| s.to_str())
        .and_then(|s| s.strip_prefix("bank"))
        .and_then(|n| n.parse::<u8>().ok())
        .filter(|n| (1..=16).contains(n))
        .unwrap_or(1);
    let bank = Bank::from_raw(raw, number);
    let dir = dest.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let project = ["project.work", "project.strd"]
        .iter()
        .find_map(|f| std::fs::read(dir.join(f)).ok())
        .and_then(|b| crate::model::project::Project::parse(&b).ok());
    let Some(project) = project else { return bank_notes(&bank, false) };
    let master_track = project.setting("MASTER_TRACK") == Some(1);
    let listed = |t: SlotType, n: u16| project.sample(t, n).is_some_and(|x| !x.path.is_empty());
    let mut out = bank_notes(&bank, master_track);
    out.extend(empty_slot_notes(&bank, master_track, &listed));
    out
}
