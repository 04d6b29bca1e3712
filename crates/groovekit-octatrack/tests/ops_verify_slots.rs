//! `verify` on a project folder warns when a bank plays a slot the project does not list (a bank
//! copied by hand): on the device that is a silent trig in a valid project, so a warning (exit 0),
//! not a problem (issue 21); after `copy-bank` brought the slot along, nothing is left to say.
//! Slot usage says *plays* only for what the timeline plays.

mod ops_common;

use groovekit_octatrack::model::project::SlotType;
use groovekit_octatrack::ops::copy::{CopyBankOptions, copy_bank};
use groovekit_octatrack::ops::refs::SAMPLE_LOCK;
use groovekit_octatrack::ops::slots::verify_slot_references;
use groovekit_octatrack::ops::verify::verify_project;
use groovekit_octatrack::raw::bank::{Bank, PartCopy};
use ops_common::*;

#[test]
fn a_bank_copied_by_hand_with_dangling_slots_warns() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("A/SRC");
    let dst = tmp.path().join("B/DST");
    blank_project(&src);
    blank_project(&dst);
    add_sample(&src, SlotType::Flex, 12, "../AUDIO/pad.wav", &wav(b"pad", 200));
    add_sample(&src, SlotType::Static, 40, "../AUDIO/loop.wav", &wav(b"loop", 200));
    let mut b = Bank::new_default();
    b.part_mut(PartCopy::Working, 0).set_machine(0, 1);
    b.part_mut(PartCopy::Working, 0).set_slots(0, 0, 11, 128);
    b.pattern_mut(0).audio_track_mut(0).set_mask(0, 1);
    b.pattern_mut(0).audio_track_mut(1).set_plock(5, SAMPLE_LOCK, 39);
    b.pattern_mut(0).audio_track_mut(1).set_mask(0, 1 << 5); // the lock's step has a trig
    std::fs::write(src.join("bank01.work"), b.to_bytes()).unwrap();
    assert!(verify_slot_references(&src).unwrap().is_empty());
    assert_eq!(verify_project(&src, false).open_problems(), 0);
    // By hand: the bank file alone.
    std::fs::copy(src.join("bank01.work"), dst.join("bank02.work")).unwrap();
    let lines = verify_slot_references(&dst).unwrap();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines.iter().any(|l| l.starts_with("flex slot 12") && l.contains("bank 2 part 1 track 1")), "{lines:?}");
    assert!(
        lines.iter().any(|l| l.starts_with("static slot 40") && l.contains("pattern 1 track 2 step 6")),
        "{lines:?}"
    );
    let report = verify_project(&dst, false);
    assert_eq!(report.open_problems(), 0, "{:?}", report.problems);
    assert_eq!(report.warnings.iter().filter(|w| w.message.contains("no sample in it")).count(), 2);
    // With copy-bank instead, verify passes.
    copy_bank(&src, 1, &dst, 2, CopyBankOptions { force: true, ..Default::default() }).unwrap();
    assert_eq!(verify_project(&dst, false).open_problems(), 0, "{:?}", verify_project(&dst, false).problems);
}

#[test]
fn the_fixture_projects_have_no_dangling_slots() {
    let Some(fx) = fixtures("ops_verify_fixtures") else { return };
    for p in ["octatrack/blank-project", "octatrack/real-device", "octatrack/demo-set/DEMO-SET-1/BLANK"] {
        let lines = verify_slot_references(&fx.join(p)).unwrap();
        assert!(lines.is_empty(), "{p}: {lines:?}");
    }
}

/// The multipart case of issue 21 (octatrack-manager's `multipart` bank, rebuilt here): tracks 16
/// steps long, a trig on step 49 of track 3 in every pattern, each part's track 3 on its own Flex
/// slot 41-44; and octapy's HELLO FLEX case: `MASTER_TRACK=1`, a trig on track 8.
#[test]
fn slots_say_plays_only_for_what_the_timeline_plays() {
    use groovekit_octatrack::ops::slots::{SlotsFilter, list_slots};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("A/MULTI");
    blank_project(&dir);
    for slot in 41..=44 {
        add_sample(&dir, SlotType::Flex, slot, &format!("../AUDIO/s{slot}.wav"), &wav(&[slot as u8], 100));
    }
    add_sample(&dir, SlotType::Static, 8, "../AUDIO/eight.wav", &wav(b"8", 100));
    let mut b = Bank::new_default();
    for part in 0..4u8 {
        b.part_mut(PartCopy::Working, usize::from(part)).set_machine(2, 1);
        b.part_mut(PartCopy::Working, usize::from(part)).set_slots(2, 2, 40 + part, 130);
    }
    for p in 0..16 {
        b.pattern_mut(p).set_part((p % 4) as u8);
        b.pattern_mut(p).audio_track_mut(2).set_mask(0, 1 << 48); // step 49
    }
    b.pattern_mut(0).audio_track_mut(7).set_mask(0, 1); // track 8, step 1
    std::fs::write(dir.join("bank01.work"), b.to_bytes()).unwrap();
    edit_project(&dir, |p| p.set_setting("MASTER_TRACK", 1).unwrap());

    let report = list_slots(&dir, SlotsFilter::default()).unwrap();
    let slot = |t: SlotType, n: u16| report.slots.iter().find(|s| s.slot_type == t && s.slot == n).unwrap();
    for n in 41..=44 {
        let s = slot(SlotType::Flex, n);
        assert!(!s.uses.is_empty(), "flex {n} is referenced");
        assert!(!s.audible(), "flex {n}: step 49 of a 16-step track never plays");
    }
    let eight = slot(SlotType::Static, 8);
    assert!(!eight.uses.is_empty() && !eight.audible(), "track 8 is the master track");
    let v = verify_project(&dir, false);
    assert_eq!(v.open_problems(), 0, "{:?}", v.problems);
    let text: Vec<&str> = v.warnings.iter().map(|w| w.message.as_str()).collect();
    assert!(text.iter().any(|w| w.contains("pattern 1 track T3: step(s) 49 hold data that never plays")), "{text:?}");
    assert!(text.iter().any(|w| w.contains("track T8: trig(s) on step(s) 1 play no sample")), "{text:?}");

    // Track 8 as a normal track: its slot plays, in pattern 1.
    edit_project(&dir, |p| p.set_setting("MASTER_TRACK", 0).unwrap());
    let report = list_slots(&dir, SlotsFilter::default()).unwrap();
    let eight = report.slots.iter().find(|s| s.slot_type == SlotType::Static && s.slot == 8).unwrap();
    assert!(eight.audible());
    let json = serde_json::to_value(&eight.uses).unwrap();
    assert!(json.as_array().unwrap().iter().any(|u| u["plays_in"] == serde_json::json!([1])), "{json}");
}

/// `ot slots --bank 1 --pattern 1` on the real-device project lists the part's slots the pattern
/// plays (issue 21: it listed every slot with no uses).
#[test]
fn real_device_pattern_filter_lists_the_parts_slots() {
    use groovekit_octatrack::ops::slots::{SlotsFilter, list_slots};
    let Some(fx) = fixtures("ops_slots_real_device_pattern") else { return };
    let dir = fx.join("octatrack/real-device");
    let r = list_slots(&dir, SlotsFilter { bank: Some(1), pattern: Some(1), part: None }).unwrap();
    let playing: Vec<(SlotType, u16)> = r.slots.iter().filter(|s| s.audible()).map(|s| (s.slot_type, s.slot)).collect();
    // Part 1: tracks 2, 3, 4 and 6 are Flex machines with trigs that play.
    let mut project = groovekit_octatrack::Project::open(&dir).unwrap();
    let bank = project.bank(1).unwrap();
    let mut want: Vec<(SlotType, u16)> = [2u8, 3, 4, 6]
        .iter()
        .map(|&t| (SlotType::Flex, bank.part_track(1, PartCopy::Working, t).unwrap().flex_slot))
        .collect();
    want.sort();
    want.dedup();
    let mut got = playing.clone();
    got.sort();
    got.dedup();
    assert_eq!(got, want);
    assert!(r.slots.iter().any(|s| !s.uses.is_empty()));
}

/// Issue 21: `copy-pattern` without `--with-part` onto a project whose part points at empty slots
/// says the copied trigs will be silent; with the part, the slot comes along and nothing is said.
#[test]
fn copy_pattern_says_when_its_trigs_play_empty_slots() {
    use groovekit_octatrack::ops::copy_piece::{PieceOptions, copy_pattern};
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("A/SRC");
    let dst = tmp.path().join("B/DST");
    blank_project(&src);
    blank_project(&dst);
    add_sample(&src, SlotType::Flex, 5, "../AUDIO/lead.wav", &wav(b"lead", 200));
    let mut b = Bank::new_default();
    b.part_mut(PartCopy::Working, 0).set_machine(0, 1);
    b.part_mut(PartCopy::Working, 0).set_slots(0, 0, 4, 128);
    b.pattern_mut(0).audio_track_mut(0).set_mask(0, 0b1_0001);
    std::fs::write(src.join("bank01.work"), b.to_bytes()).unwrap();
    let opts = PieceOptions { dry_run: true, ..Default::default() };
    let plan = copy_pattern(&src, 1, 1, &dst, 1, 1, false, opts).unwrap();
    assert_eq!(
        plan.import.warnings,
        [
            "bank 1 pattern 1 track T1: trig(s) on step(s) 1, 5 play static slot 1, which is empty in this project (silent on the device)"
        ]
    );
    let plan = copy_pattern(&src, 1, 1, &dst, 1, 1, true, opts).unwrap();
    assert!(plan.import.warnings.is_empty(), "{:?}", plan.import.warnings);
}
