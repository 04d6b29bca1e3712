//! `verify` on a project folder fails when a bank plays a slot the project does not list (a bank
//! copied by hand), and passes after `copy-bank` brought the slot along.

mod ops_common;

use groovekit_octatrack::model::project::SlotType;
use groovekit_octatrack::ops::copy::{CopyBankOptions, copy_bank};
use groovekit_octatrack::ops::refs::SAMPLE_LOCK;
use groovekit_octatrack::ops::slots::verify_slot_references;
use groovekit_octatrack::ops::verify::verify_project;
use groovekit_octatrack::raw::bank::{Bank, PartCopy};
use ops_common::*;

#[test]
fn a_bank_copied_by_hand_with_dangling_slots_fails_verify() {
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
    assert_eq!(verify_project(&dst, false).open_problems(), 2);
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
