use super::*;

#[test]
fn default_bank_references_track_slots_and_no_locks() {
    let bank = Bank::new_default();
    let refs = bank_refs(&bank);
    // 2 part copies x 4 parts x 8 tracks x (static, flex).
    assert_eq!(refs.uses.len(), 2 * 4 * 8 * 2);
    assert!(refs.uses.iter().all(|u| !u.audible), "no trigs, nothing audible");
    let u = refs
        .uses
        .iter()
        .find(|u| u.site == Site::Part { part: 1, saved: false, track: 3 } && u.slot_type == SlotType::Static);
    assert_eq!(u.map(|u| (u.slot, u.active)), Some((3, true)));
}

#[test]
fn locks_follow_the_machine_pool_and_remap() {
    let mut bank = Bank::new_default();
    bank.part_mut(PartCopy::Working, 0).set_machine(1, 1); // track 2 Flex
    bank.pattern_mut(0).audio_track_mut(1).set_plock(4, SAMPLE_LOCK, 9); // flex slot 10
    bank.pattern_mut(0).audio_track_mut(0).set_plock(63, SAMPLE_LOCK, 0); // static slot 1
    let refs = bank_refs(&bank);
    let locks: Vec<_> = refs.uses.iter().filter(|u| matches!(u.site, Site::Lock { .. })).collect();
    assert_eq!(locks.len(), 2);
    assert!(locks.iter().any(|u| u.slot_type == SlotType::Flex && u.slot == 10));
    assert!(locks.iter().any(|u| u.slot_type == SlotType::Static && u.slot == 1));
    let changed = remap_bank(&mut bank, &|t, s| match (t, s) {
        (SlotType::Flex, 10) => Some(20),
        (SlotType::Static, 1) => Some(128),
        _ => None,
    });
    // The lock to static 1, part 1-4 track 1 static slots (working + saved) = 1 + 8.
    assert_eq!(changed, 1 + 1 + 8);
    assert_eq!(bank.pattern(0).audio_track(1).plock(4)[SAMPLE_LOCK], 19);
    assert_eq!(bank.pattern(0).audio_track(0).plock(63)[SAMPLE_LOCK], 127);
    assert_eq!(bank.part(PartCopy::Saved, 3).static_slot(0), 127);
}

#[test]
fn recorder_slots_are_never_remapped() {
    let mut bank = Bank::new_default();
    bank.part_mut(PartCopy::Working, 0).set_slots(0, 0, 130, 128);
    let n = remap_bank(&mut bank, &|_, _| Some(5));
    assert_eq!(bank.part(PartCopy::Working, 0).flex_slot(0), 130);
    assert_eq!(bank.part(PartCopy::Working, 0).recorder_slot(0), 128);
    assert!(n > 0);
}

#[test]
fn lock_offset_points_at_the_lock_byte() {
    let mut bank = Bank::new_default();
    bank.pattern_mut(2).audio_track_mut(5).set_plock(7, SAMPLE_LOCK, 42);
    assert_eq!(bank.pattern(2).raw()[lock_offset(5, 7)], 42);
}
