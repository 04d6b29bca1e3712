use super::*;

#[test]
fn names_follow_machine_and_fx_type() {
    let flex = AudioContext { machine: Some(MachineType::Flex), fx1: 4, fx2: 8 };
    assert_eq!(audio_lock_name(1, &flex), "src.strt");
    assert_eq!(audio_lock_name(15, &flex), "amp.vol");
    assert_eq!(audio_lock_name(18, &flex), "fx1.base");
    assert_eq!(audio_lock_name(24, &flex), "fx2.time");
    assert_eq!(audio_lock_name(30, &flex), "sample");
    let thru = AudioContext { machine: Some(MachineType::Thru), fx1: 0, fx2: 99 };
    assert_eq!(audio_lock_name(2, &thru), "src.p3");
    assert_eq!(audio_lock_name(18, &thru), "fx1.p1");
    assert_eq!(audio_lock_name(29, &thru), "fx2.p6");
}

#[test]
fn every_name_maps_back_to_its_field_and_generic_names_work() {
    for machine in MachineType::ALL {
        for fx in [0u8, 4, 5, 8, 12, 13, 16, 17, 18, 19, 20, 21, 22, 24, 25] {
            let ctx = AudioContext { machine: Some(machine), fx1: fx, fx2: fx };
            for f in 0..PLOCK_SIZE {
                assert_eq!(audio_lock_field(&audio_lock_name(f, &ctx), &ctx), Some(f), "{machine:?} {fx} {f}");
            }
            assert_eq!(audio_lock_field("SRC.P2", &ctx), Some(1));
            assert_eq!(audio_lock_field("fx2.p6", &ctx), Some(29));
            assert_eq!(audio_lock_field("fx2.p7", &ctx), None);
        }
    }
    for f in 0..PLOCK_SIZE {
        assert_eq!(midi_lock_field(midi_lock_name(f)), Some(f));
    }
}

#[test]
fn sample_locks_are_shown_from_1() {
    assert_eq!(show_audio_lock(SAMPLE_LOCK, 0), 1);
    assert_eq!(show_audio_lock(SAMPLE_LOCK, 127), 128);
    assert_eq!(show_audio_lock(15, 100), 100);
    assert_eq!(store_audio_lock(SAMPLE_LOCK, 128, "x").unwrap(), 127);
    assert!(store_audio_lock(SAMPLE_LOCK, 0, "x").is_err());
    assert!(store_audio_lock(15, 256, "x").is_err());
}
