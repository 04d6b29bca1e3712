//! `ops::copy_piece` (copy-pattern, copy-part, copy-track, copy-slots) on copies of the fixtures
//! and on projects built here: after each copy every trig lock and part slot of the copied piece
//! plays the same file content (and slot settings) as in the source, every other byte of the
//! destination bank is as it was, failures and dry runs change nothing.

mod ops_common;

use std::collections::BTreeMap;
use std::path::Path;

use groovekit_octatrack::model::project::SlotType;
use groovekit_octatrack::ops::backup::{ApplyOptions, restore};
use groovekit_octatrack::ops::copy_piece::{
    PieceOptions, TrackAt, TrackPart, audio_part_track_ranges, copy_part, copy_pattern, copy_slots, copy_track,
};
use groovekit_octatrack::ops::import::SlotAction;
use groovekit_octatrack::ops::project_dir::{State, markers_ref};
use groovekit_octatrack::ops::refs::{SAMPLE_LOCK, Site};
use groovekit_octatrack::raw::bank::{Bank, PART_NAMES, PARTS_EDITED, PARTS_SAVED_STATE, PartCopy, pattern_offset};
use groovekit_octatrack::raw::markers::Markers;
use groovekit_octatrack::raw::part::PART_SIZE;
use groovekit_octatrack::raw::pattern::{AUDIO_TRACK_SIZE, AUDIO_TRACKS_OFFSET, PATTERN_SIZE};
use ops_common::*;

fn opts() -> PieceOptions {
    PieceOptions::default()
}

/// What the references of bank `n` selected and renamed by `key` play.
fn plays_of(dir: &Path, n: usize, key: impl Fn(Site) -> Option<Site>) -> BTreeMap<(Site, SlotType), Plays> {
    plays(dir, n, State::Work).into_iter().filter_map(|((site, t), v)| key(site).map(|k| ((k, t), v))).collect()
}

fn assert_same(a: BTreeMap<(Site, SlotType), Plays>, b: BTreeMap<(Site, SlotType), Plays>) {
    assert!(a.values().any(|v| v.0.is_some()), "the test must cover real samples: {a:?}");
    assert_eq!(a.len(), b.len());
    for (k, v) in &a {
        assert_eq!(b.get(k), Some(v), "{k:?}");
    }
}

fn read_bank(dir: &Path, n: usize) -> Vec<u8> {
    std::fs::read(dir.join(format!("bank{n:02}.work"))).unwrap()
}

/// Every byte that differs lies in `allowed` (offset, length) or the checksum.
fn only_changed_in(before: &[u8], after: &[u8], allowed: &[(usize, usize)]) {
    assert_eq!(before.len(), after.len());
    let n = before.len();
    for (i, (a, b)) in before.iter().zip(after).enumerate() {
        if a != b && i < n - 2 {
            assert!(allowed.iter().any(|&(o, l)| (o..o + l).contains(&i)), "byte {i} changed outside the piece");
        }
    }
}

/// A source project built here: Flex and Static slots 1..=`slots` (WAVs written), part 1 with
/// Static machines on odd tracks and Flex on even ones, sample locks on all 64 steps of every
/// track of pattern 1, part slots pointing at slots 2..
fn dense_source(dir: &Path, slots: u16) {
    blank_project_with_dense_slots(dir, slots);
    let mut b = Bank::new_default();
    for t in 0..8 {
        for c in [PartCopy::Working, PartCopy::Saved] {
            b.part_mut(c, 0).set_machine(t, (t % 2) as u8);
            b.part_mut(c, 0).set_slots(t, (t + 1) as u8 % slots as u8, (t + 2) as u8 % slots as u8, 128 + t as u8);
        }
        for s in 0..64 {
            let slot = ((t * 3 + s) % usize::from(slots)) as u8;
            b.pattern_mut(0).audio_track_mut(t).set_plock(s, SAMPLE_LOCK, slot);
        }
        b.pattern_mut(0).audio_track_mut(t).set_mask(0, u64::MAX);
    }
    b.set_part_name(0, "DENSE").unwrap();
    std::fs::write(dir.join("bank01.work"), b.to_bytes()).unwrap();
}

#[test]
fn pattern_with_part_from_the_real_device_to_another_set() {
    let Some(fx) = fixtures("ops_copy_pattern_real_device") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("SET A/REAL");
    let dst = tmp.path().join("SET B/NEW");
    copy_dir(&fx.join("octatrack/real-device"), &src);
    write_wavs(&src);
    blank_project(&dst);
    let before_src = snapshot(&tmp.path().join("SET A"));
    let bank_before = read_bank(&dst, 2);
    let src_bank = Bank::read(&read_bank(&src, 1)).unwrap();
    let part = usize::from(src_bank.pattern(0).part());
    let plan = copy_pattern(&src, 1, 1, &dst, 2, 5, true, opts()).unwrap();
    assert!(plan.replaces.is_empty());
    assert!(plan.import.slots.iter().any(|m| m.action == SlotAction::New));
    assert_eq!(snapshot(&tmp.path().join("SET A")), before_src, "the source never changes");
    // Locks of pattern 1 -> pattern 5, and the part's slots (same part number), play the same.
    let p = part as u8 + 1;
    let a = plays_of(&src, 1, |s| match s {
        Site::Lock { pattern: 1, track, step } => Some(Site::Lock { pattern: 5, track, step }),
        Site::Part { part, .. } if part == p => Some(s),
        _ => None,
    });
    let b = plays_of(&dst, 2, |s| match s {
        Site::Lock { pattern: 5, .. } => Some(s),
        Site::Part { part, .. } if part == p => Some(s),
        _ => None,
    });
    assert_same(a, b);
    // Nothing else of the destination bank changed.
    let after = read_bank(&dst, 2);
    only_changed_in(
        &bank_before,
        &after,
        &[
            (pattern_offset(4), PATTERN_SIZE),
            (PartCopy::Working.offset(part), PART_SIZE),
            (PartCopy::Saved.offset(part), PART_SIZE),
            (PART_NAMES + part * 7, 7),
            (PARTS_SAVED_STATE + part, 1),
            // The edited-parts byte: the part's bit follows the source's (issue 22).
            (PARTS_EDITED, 1),
        ],
    );
    // The pattern's trigs came along (the real-device pattern 1 has some).
    let out = Bank::read(&after).unwrap();
    assert_eq!(out.pattern(4).audio_track(0).raw(), src_bank.pattern(0).audio_track(0).raw().to_vec().as_slice());
    assert!(out.patterns_with_trigs().contains(&4));
}

#[test]
fn pattern_within_one_bank_keeps_slots_and_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("A/SRC");
    dense_source(&src, 6);
    let project_before = std::fs::read(src.join("project.work")).unwrap();
    let before = read_bank(&src, 1);
    let plan = copy_pattern(&src, 1, 1, &src, 1, 9, true, opts()).unwrap();
    assert!(plan.import.slots.iter().all(|m| m.action == SlotAction::Same));
    let after = read_bank(&src, 1);
    only_changed_in(&before, &after, &[(pattern_offset(8), PATTERN_SIZE)]);
    assert_eq!(
        &after[pattern_offset(8)..pattern_offset(8) + PATTERN_SIZE],
        &before[pattern_offset(0)..pattern_offset(0) + PATTERN_SIZE]
    );
    assert_eq!(std::fs::read(src.join("project.work")).unwrap(), project_before);
    // The same pattern again is refused.
    assert!(copy_pattern(&src, 1, 1, &src, 1, 1, false, opts()).is_err());
}

#[test]
fn a_pattern_without_its_part_warns_when_the_lock_pool_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("A/SRC");
    let dst = tmp.path().join("B/DST");
    dense_source(&src, 6);
    blank_project(&dst);
    // The destination's part 1 is all Static: the Flex tracks' locks pick from the Static pool.
    let plan = copy_pattern(&src, 1, 1, &dst, 1, 1, false, opts()).unwrap();
    let w: Vec<_> = plan.import.warnings.iter().filter(|w| w.contains("meant for the flex pool")).collect();
    assert_eq!(w.len(), 4, "tracks 2, 4, 6, 8: {:?}", plan.import.warnings);
    assert!(w[0].contains("pattern 1 track 2"), "{w:?}");
    // Static tracks play the same sample.
    let key = |s: Site| match s {
        Site::Lock { pattern: 1, track, .. } if track % 2 == 1 => Some(s),
        _ => None,
    };
    assert_same(plays_of(&src, 1, key), plays_of(&dst, 1, key));
}

#[test]
fn a_part_copied_under_patterns_with_locks_warns() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("A/SRC");
    let dst = tmp.path().join("B/DST");
    blank_project(&src);
    dense_source(&dst, 6);
    // The default part (all Static) replaces part 1, which pattern 1 plays with Flex locks on
    // tracks 2, 4, 6, 8.
    let err = copy_part(&src, 1, 1, &dst, 1, 1, false, opts()).unwrap_err().to_string();
    assert!(err.contains("not blank"), "{err}");
    let plan = copy_part(&src, 1, 1, &dst, 1, 1, false, PieceOptions { force: true, dry_run: true, ..opts() }).unwrap();
    let w: Vec<_> = plan.import.warnings.iter().filter(|w| w.contains("now pick from the static pool")).collect();
    assert_eq!(w.len(), 4, "{:?}", plan.import.warnings);
    assert!(plan.replaces.iter().any(|r| r.contains("DENSE")), "{:?}", plan.replaces);
}

#[test]
fn part_to_another_number_in_another_project() {
    let Some(fx) = fixtures("ops_copy_part_bank_copy") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let set = tmp.path().join("SET");
    let (src, dst) = (set.join("SRC"), tmp.path().join("OTHER/DST"));
    copy_dir(&fx.join("octatrack/bank-copy/BANK-COPY-SRC"), &src);
    assert_eq!(write_wavs(&src), 4);
    blank_project(&dst);
    let before = read_bank(&dst, 1);
    for (working_only, j) in [(false, 3usize), (true, 4)] {
        let plan = copy_part(&src, 1, 2, &dst, 1, j, working_only, opts()).unwrap();
        assert!(plan.backup.is_some());
        let out = Bank::read(&read_bank(&dst, 1)).unwrap();
        assert_eq!(out.part(PartCopy::Working, j - 1).raw()[8], (j - 1) as u8, "the part number byte");
        assert_eq!(out.part_name(j - 1), "TEST2");
        let saved_default = Bank::new_default().part(PartCopy::Saved, j - 1).raw().to_vec();
        assert_eq!(out.part(PartCopy::Saved, j - 1).raw() == saved_default.as_slice(), working_only);
        let sites = |from: u8, to: u8, working_only: bool| {
            move |s: Site| match s {
                Site::Part { part, saved, track } if part == from && !(working_only && saved) => {
                    Some(Site::Part { part: to, saved, track })
                }
                _ => None,
            }
        };
        assert_same(
            plays_of(&src, 1, sites(2, j as u8, working_only)),
            plays_of(&dst, 1, sites(j as u8, j as u8, working_only)),
        );
    }
    let after = read_bank(&dst, 1);
    only_changed_in(
        &before,
        &after,
        &[
            (PartCopy::Working.offset(2), 2 * PART_SIZE),
            (PartCopy::Saved.offset(2), PART_SIZE),
            (PART_NAMES + 14, 14),
            (PARTS_SAVED_STATE + 2, 1),
            (PARTS_EDITED, 1),
        ],
    );
    // Not blank any more.
    let err = copy_part(&src, 1, 2, &dst, 1, 3, false, opts()).unwrap_err().to_string();
    assert!(err.contains("not blank") && err.contains("--force"), "{err}");
    copy_part(&src, 1, 1, &dst, 1, 3, false, PieceOptions { force: true, ..opts() }).unwrap();
}

#[test]
fn track_steps_and_settings_across_projects() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("A/SRC");
    let dst = tmp.path().join("B/DST");
    dense_source(&src, 9);
    blank_project(&dst);
    add_sample(&dst, SlotType::Flex, 1, "mine.wav", &wav(b"mine", 100));
    let before = read_bank(&dst, 1);
    // Flex track 2 of pattern 1 -> track 5 of pattern 3 (which plays part 1 too).
    let from = TrackAt { bank: 1, pattern: 1, track: 2 };
    let to = TrackAt { bank: 1, pattern: 3, track: 5 };
    let plan = copy_track(&src, from, &dst, to, TrackPart::Both, false, opts()).unwrap();
    // The dense track fills 64 steps; pattern 3 is 16 steps long, so the copy says which steps
    // can never sound there (issue 21).
    assert_eq!(
        plan.import.warnings,
        ["bank 1 pattern 3 track T5: step(s) 17-64 hold data that never plays (the track is 16 steps long)"]
    );
    assert!(plan.import.slots.iter().all(|m| m.to != 1 || m.slot_type != SlotType::Flex), "slot 1 is taken");
    let a = plays_of(&src, 1, |s| match s {
        Site::Lock { pattern: 1, track: 2, step } => Some(Site::Lock { pattern: 3, track: 5, step }),
        Site::Part { part: 1, saved, track: 2 } => Some(Site::Part { part: 1, saved, track: 5 }),
        _ => None,
    });
    let b = plays_of(&dst, 1, |s| match s {
        Site::Lock { pattern: 3, track: 5, .. } | Site::Part { part: 1, track: 5, .. } => Some(s),
        _ => None,
    });
    assert_eq!(a.keys().filter(|(s, _)| matches!(s, Site::Lock { .. })).count(), 64);
    assert_same(a, b);
    let track = pattern_offset(2) + AUDIO_TRACKS_OFFSET + 4 * AUDIO_TRACK_SIZE;
    // The edited-parts byte: part 1 was edited by the copy (issue 22).
    let mut allowed = vec![(track, AUDIO_TRACK_SIZE), (PARTS_EDITED, 1)];
    for c in [PartCopy::Working, PartCopy::Saved] {
        allowed.extend(audio_part_track_ranges(4).into_iter().map(|(o, l)| (c.offset(0) + o, l)));
    }
    let after = read_bank(&dst, 1);
    only_changed_in(&before, &after, &allowed);
    assert_eq!(after[track + 8], 4, "the track number byte");
    let out = Bank::read(&after).unwrap();
    assert_eq!(out.part(PartCopy::Working, 0).machine(4), 1, "Flex, as the source track");
    // Steps only, into another track that is blank: settings untouched.
    let to2 = TrackAt { bank: 1, pattern: 3, track: 6 };
    let before2 = read_bank(&dst, 1);
    copy_track(&src, from, &dst, to2, TrackPart::Steps, false, opts()).unwrap();
    let track6 = pattern_offset(2) + AUDIO_TRACKS_OFFSET + 5 * AUDIO_TRACK_SIZE;
    only_changed_in(&before2, &read_bank(&dst, 1), &[(track6, AUDIO_TRACK_SIZE)]);
    // Again without --force: refused.
    let err = copy_track(&src, from, &dst, to, TrackPart::Steps, false, opts()).unwrap_err().to_string();
    assert!(err.contains("not blank"), "{err}");
}

#[test]
fn midi_track_steps_and_settings() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("A/SRC");
    blank_project(&src);
    let mut b = Bank::new_default();
    b.pattern_mut(0).midi_track_mut(2).set_mask(0, 0xF0F0);
    b.part_mut(PartCopy::Working, 0).set_byte(1_259 + 2 * 36, 9); // channel 10
    std::fs::write(src.join("bank01.work"), b.to_bytes()).unwrap();
    let from = TrackAt { bank: 1, pattern: 1, track: 3 };
    let to = TrackAt { bank: 2, pattern: 4, track: 7 };
    copy_track(&src, from, &src, to, TrackPart::Both, true, opts()).unwrap();
    let out = Bank::read(&read_bank(&src, 2)).unwrap();
    assert_eq!(out.pattern(3).midi_track(6).trigs(), b.pattern(0).midi_track(2).trigs());
    assert_eq!(out.pattern(3).midi_track(6).id(), 6);
    assert_eq!(out.part(PartCopy::Working, 0).byte(1_259 + 6 * 36), 9);
}

#[test]
fn slots_with_markers_files_and_ot_to_a_chosen_number() {
    let Some(fx) = fixtures("ops_copy_slots_real_device") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("SET A/REAL");
    let dst = tmp.path().join("SET B/NEW");
    copy_dir(&fx.join("octatrack/real-device"), &src);
    write_wavs(&src);
    blank_project(&dst);
    let s = groovekit_octatrack::ops::project_dir::ProjectDir::open(&src).unwrap();
    let listed: Vec<u16> = s.sample_slots(SlotType::Flex).iter().map(|x| x.slot).take(3).collect();
    assert_eq!(listed.len(), 3);
    let plan = copy_slots(&src, &dst, &listed, Some(SlotType::Flex), Some(40), opts()).unwrap();
    let d = groovekit_octatrack::ops::project_dir::ProjectDir::open(&dst).unwrap();
    let sm = Markers::read(&std::fs::read(src.join("markers.work")).unwrap()).unwrap();
    let dm = Markers::read(&std::fs::read(dst.join("markers.work")).unwrap()).unwrap();
    for (i, &from) in listed.iter().enumerate() {
        let to = 40 + i as u16;
        let a = s.project.sample(SlotType::Flex, from).unwrap();
        let b = d.project.sample(SlotType::Flex, to).unwrap();
        assert_eq!(
            std::fs::read(s.sample_path(&a).unwrap()).unwrap(),
            std::fs::read(d.sample_path(&b).unwrap()).unwrap()
        );
        assert_eq!((&a.timing, a.gain, a.loopmode), (&b.timing, b.gain, b.loopmode));
        assert!(!b.path.contains(&b'/'), "copied into the project folder: {}", b.path_lossy());
        let ra = sm.record(markers_ref(SlotType::Flex, from).unwrap().index().unwrap());
        let rb = dm.record(markers_ref(SlotType::Flex, to).unwrap().index().unwrap());
        assert_eq!(ra.raw(), rb.raw());
    }
    assert!(plan.import.files.iter().any(|f| f.to.extension().is_some_and(|e| e == "ot")) || listed.len() < 2);
    // The same numbers again: refused without --force, replaced with it.
    let err = copy_slots(&src, &dst, &listed, Some(SlotType::Flex), Some(40), opts()).unwrap_err().to_string();
    assert!(err.contains("not empty") && err.contains("--force"), "{err}");
    copy_slots(&src, &dst, &listed, Some(SlotType::Flex), Some(40), PieceOptions { force: true, ..opts() }).unwrap();
    // Past 128: refused before writing.
    let before = snapshot(tmp.path());
    assert!(copy_slots(&src, &dst, &listed, Some(SlotType::Flex), Some(127), opts()).is_err());
    assert_eq!(snapshot(tmp.path()), before);
}

#[test]
fn slots_without_a_number_reuse_identical_ones_and_rename_on_a_clash() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("A/SRC");
    let dst = tmp.path().join("B/DST");
    blank_project(&src);
    blank_project(&dst);
    add_sample(&src, SlotType::Static, 3, "kick.wav", &wav(b"kick A", 300));
    add_sample(&src, SlotType::Static, 4, "snare.wav", &wav(b"snare", 300));
    add_sample(&dst, SlotType::Static, 3, "kick.wav", &wav(b"kick B", 300));
    add_sample(&dst, SlotType::Static, 7, "snare.wav", &wav(b"snare", 300));
    let plan = copy_slots(&src, &dst, &[3, 4, 5], None, None, opts()).unwrap();
    let m = |s: u16| plan.import.slots.iter().find(|m| m.from == s && m.slot_type == SlotType::Static).unwrap();
    assert_eq!((m(4).action, m(4).to), (SlotAction::Reuse, 7));
    assert_eq!(m(3).action, SlotAction::New);
    assert_eq!(m(3).path, "kick-2.wav");
    assert_eq!(std::fs::read(dst.join("kick.wav")).unwrap(), wav(b"kick B", 300), "never overwritten");
    assert!(plan.import.warnings.iter().any(|w| w.contains("not copied")), "{:?}", plan.import.warnings);
    // Within one project a number is needed.
    assert!(copy_slots(&src, &src, &[3], None, None, opts()).is_err());
    let plan = copy_slots(&src, &src, &[3], Some(SlotType::Static), Some(20), opts()).unwrap();
    assert_eq!(plan.import.slots[0].path, "kick.wav", "the file is referenced where it is");
    assert!(plan.import.files.is_empty());
}

/// A fail point before each staged change of each command leaves every file as it was; dry runs
/// change nothing; a real run is restorable.
#[test]
fn failures_and_dry_runs_change_no_file() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("A/SRC");
    let dst = tmp.path().join("B/DST");
    dense_source(&src, 6);
    blank_project(&dst);
    std::fs::create_dir_all(tmp.path().join("B/AUDIO")).unwrap();
    // Every file but the backups folder (a run that succeeded leaves its backup there).
    let files = || {
        let mut m = snapshot(tmp.path());
        m.retain(|p, _| !p.starts_with("B/DST/backups"));
        m
    };
    let same = |a: &BTreeMap<std::path::PathBuf, Vec<u8>>, b: &BTreeMap<std::path::PathBuf, Vec<u8>>| {
        let differ: Vec<_> = a.keys().chain(b.keys()).filter(|k| a.get(*k) != b.get(*k)).collect();
        differ.is_empty().then_some(()).ok_or(format!("{differ:?}"))
    };
    let before = files();
    let from = TrackAt { bank: 1, pattern: 1, track: 2 };
    let to = TrackAt { bank: 3, pattern: 2, track: 2 };
    type Run<'a> = Box<
        dyn Fn(PieceOptions) -> Result<groovekit_octatrack::ops::copy_piece::PiecePlan, groovekit_octatrack::OtError>
            + 'a,
    >;
    let runs: Vec<(&str, Run)> = vec![
        ("pattern", Box::new(|o| copy_pattern(&src, 1, 1, &dst, 2, 3, true, o))),
        ("part", Box::new(|o| copy_part(&src, 1, 1, &dst, 1, 2, false, o))),
        ("track", Box::new(|o| copy_track(&src, from, &dst, to, TrackPart::Both, false, o))),
        ("slots", Box::new(|o| copy_slots(&src, &dst, &[1, 2, 3], None, None, o))),
    ];
    for (name, run) in &runs {
        let o = PieceOptions { to_pool: true, ..opts() };
        let n = run(PieceOptions { dry_run: true, ..o }).unwrap().changes.len();
        same(&files(), &before).unwrap_or_else(|d| panic!("{name}: a dry run changes nothing: {d}"));
        assert!(n >= 3, "{name}: {n} changes");
        for step in 0..n {
            let r = run(PieceOptions { apply: ApplyOptions { fail_at_step: Some(step) }, ..o });
            assert!(r.is_err(), "{name} step {step}");
            same(&files(), &before).unwrap_or_else(|d| panic!("{name} step {step}: {d}"));
        }
        groovekit_core::fs::failpoint::arm_thread(Some("rename:2"));
        let r = run(o);
        groovekit_core::fs::failpoint::arm_thread(None);
        assert!(r.is_err(), "{name} rename fail point");
        same(&files(), &before).unwrap_or_else(|d| panic!("{name} rename fail point: {d}"));
        let plan = run(o).unwrap();
        restore(plan.backup.as_ref().unwrap(), false, ApplyOptions::default()).unwrap();
        same(&files(), &before).unwrap_or_else(|d| panic!("{name}: restore puts every file back: {d}"));
    }
}

#[test]
fn projects_not_saved_on_1_40_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("A/SRC");
    let dst = tmp.path().join("B/DST");
    dense_source(&src, 2);
    blank_project(&dst);
    let text = std::fs::read_to_string(dst.join("project.work")).unwrap().replace("1.40B", "1.31A");
    std::fs::write(dst.join("project.work"), text).unwrap();
    let err = copy_pattern(&src, 1, 1, &dst, 1, 1, false, opts()).unwrap_err().to_string();
    assert!(err.contains("1.31A") && err.contains("1.40"), "{err}");
    assert!(copy_slots(&src, &dst, &[1], None, None, opts()).is_err());
}
