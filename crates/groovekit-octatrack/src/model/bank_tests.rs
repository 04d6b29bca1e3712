use super::*;

fn changed(a: &[u8], b: &[u8]) -> Vec<usize> {
    (0..a.len() - 2).filter(|&i| a[i] != b[i]).collect()
}

#[test]
fn a_step_read_and_written_back_changes_nothing() {
    let mut b = Bank::new(1);
    let before = b.raw().as_bytes().to_vec();
    for (p, t, s) in [(1, 1, 1), (16, 8, 64), (3, 5, 17)] {
        let step = b.audio_step(p, t, s).unwrap();
        b.set_audio_step(p, t, s, &step).unwrap();
        let m = b.midi_step(p, t, s).unwrap();
        b.set_midi_step(p, t, s, &m).unwrap();
    }
    assert!(changed(&before, b.raw().as_bytes()).is_empty());
}

#[test]
fn a_trig_on_step_17_sets_one_bit_of_byte_5() {
    let mut b = Bank::new(2);
    let before = b.raw().as_bytes().to_vec();
    let mut s = b.audio_step(1, 1, 17).unwrap();
    s.trig = true;
    b.set_audio_step(1, 1, 17, &s).unwrap();
    let off = raw_bank::pattern_offset(0) + pattern::AUDIO_TRACKS_OFFSET + 9 + 5;
    assert_eq!(changed(&before, b.raw().as_bytes()), vec![off]);
    assert_eq!(b.raw().as_bytes()[off], 1);
    assert!(b.audio_step(1, 1, 17).unwrap().trig);
}

#[test]
fn step_setters_validate_and_name_the_place() {
    let mut b = Bank::new(2);
    let mut s = b.audio_step(5, 3, 17).unwrap();
    s.micro = 30;
    let e = b.set_audio_step(5, 3, 17, &s).unwrap_err().to_string();
    assert!(e.contains("bank 2 pattern 5 track 3 step 17") && e.contains("micro-timing 30"), "{e}");
    s.micro = -23;
    s.repeats = 9;
    assert!(b.set_audio_step(5, 3, 17, &s).unwrap_err().to_string().contains("repeats 9"));
    assert!(b.audio_step(5, 3, 65).unwrap_err().to_string().contains("step 65"));
    assert!(b.audio_step(17, 1, 1).unwrap_err().to_string().contains("pattern 17"));
    assert!(b.audio_step(1, 0, 1).unwrap_err().to_string().contains("track 0"));
    assert!(s.set_lock("amp.vol", Some(128)).is_err());
    assert!(s.set_lock("fx1.time", Some(1)).is_err(), "FX1 is a filter by default");
    assert!(s.set_sample_lock(Some(0)).is_err());
    assert!(s.set_slice_lock(Some(65)).is_err());
    assert!(Condition::parse("sometimes").is_err());
}

#[test]
fn locks_conditions_and_micro_timing_round_trip_in_device_units() {
    let mut b = Bank::new(1);
    let before = b.raw().as_bytes().to_vec();
    let mut s = b.audio_step(2, 4, 9).unwrap();
    s.trig = true;
    s.condition = Condition::parse("3:4").unwrap();
    s.micro = -12;
    s.repeats = 3;
    s.set_lock("amp.vol", Some(100)).unwrap();
    s.set_lock("fx1.base", Some(20)).unwrap();
    s.set_sample_lock(Some(12)).unwrap();
    s.set_slice_lock(Some(3)).unwrap();
    s.set_retrig(Some(4), Some(10)).unwrap();
    b.set_audio_step(2, 4, 9, &s).unwrap();
    let back = b.audio_step(2, 4, 9).unwrap();
    assert_eq!(back, s);
    assert_eq!(back.condition.name(), "3:4");
    assert_eq!(back.lock("sample").unwrap(), Some(12));
    assert_eq!(back.raw_locks()[SAMPLE_LOCK], 11, "stored 0-based");
    assert_eq!(back.slice_lock(), Some(3));
    assert_eq!(back.raw_locks()[1], 4, "slice 3 = STRT 4 (octatrack-exporter)");
    assert_eq!(back.lock("src.strt").unwrap(), Some(4));
    assert_eq!(back.retrig(), (Some(4), Some(10)));
    // Only the step's bytes: one mask byte, two timing bytes, six lock bytes.
    let n = changed(&before, b.raw().as_bytes()).len();
    assert_eq!(n, 1 + 2 + 6, "{n}");
    let mut m = b.midi_step(1, 2, 1).unwrap();
    m.trig = true;
    m.set_note(Some(60), Some(100), None).unwrap();
    m.set_lock("ctrl1.cc1", Some(7)).unwrap();
    b.set_midi_step(1, 2, 1, &m).unwrap();
    assert_eq!(b.midi_step(1, 2, 1).unwrap().note(), Some(60));
    assert_eq!(b.midi_step(1, 2, 1).unwrap().locks(), vec![("note.note", 60), ("note.vel", 100), ("ctrl1.cc1", 7)]);
}

#[test]
fn pattern_track_and_part_values_round_trip_and_validate() {
    let mut b = Bank::new(3);
    let before = b.raw().as_bytes().to_vec();
    let mut p = b.pattern(4).unwrap();
    assert_eq!((p.part, p.master_length, p.tempo), (1, 16, 120.0));
    p.part = 3;
    p.master_length = 48;
    p.tempo = 126.125;
    b.set_pattern(4, &p).unwrap();
    assert_eq!(b.pattern(4).unwrap(), p);
    p.part = 5;
    assert!(b.set_pattern(4, &p).unwrap_err().to_string().contains("bank 3 pattern 4"));
    let mut t = b.audio_track(4, 2).unwrap();
    t.length = 12;
    b.set_audio_track(4, 2, &t).unwrap();
    assert_eq!(b.audio_track(4, 2).unwrap().length, 12);
    t.length = 65;
    assert!(b.set_audio_track(4, 2, &t).is_err());
    let mut pt = b.part_track(2, PartCopy::Working, 5).unwrap();
    assert_eq!((pt.machine_type(), pt.static_slot, pt.recorder_slot), (Some(MachineType::Static), 5, 133));
    pt.set_machine(MachineType::Flex);
    pt.flex_slot = 20;
    pt.set_param("src.ptch", 70).unwrap();
    pt.set_param("amp.vol", 90).unwrap();
    pt.set_param("fx2.fb", 30).unwrap();
    b.set_part_track(2, PartCopy::Working, 5, &pt).unwrap();
    let back = b.part_track(2, PartCopy::Working, 5).unwrap();
    assert_eq!(back, pt);
    assert_eq!(back.param("src.ptch").unwrap(), 70);
    pt.machine = 9;
    assert!(b.set_part_track(2, PartCopy::Working, 5, &pt).unwrap_err().to_string().contains("machine 9"));
    pt.machine = 1;
    pt.flex_slot = 137;
    assert!(b.set_part_track(2, PartCopy::Working, 5, &pt).unwrap_err().to_string().contains("flex slot 137"));
    let mut mt = b.midi_part_track(1, PartCopy::Working, 1).unwrap();
    assert_eq!((mt.channel, mt.bank, mt.note), (1, None, 48));
    mt.channel = 10;
    mt.program = Some(5);
    b.set_midi_part_track(1, PartCopy::Working, 1, &mt).unwrap();
    assert_eq!(b.midi_part_track(1, PartCopy::Working, 1).unwrap().program, Some(5));
    mt.channel = 17;
    assert!(b.set_midi_part_track(1, PartCopy::Working, 1, &mt).is_err());
    b.set_scene_lock(2, PartCopy::Working, 3, 5, "amp.vol", Some(0)).unwrap();
    assert_eq!(b.scene_lock(2, PartCopy::Working, 3, 5, "amp.vol").unwrap(), Some(0));
    // Pattern: part (1) + length (1) + tempo (1: 2880 = 0x0B40 -> 3027 = 0x0BD3, same high
    // byte); audio track length (1); part track: machine, flex slot, ptch, vol, fb (5); MIDI:
    // channel, program (2); scene lock (1); the edited-parts byte (1: parts 1 and 2 edited).
    assert_eq!(changed(&before, b.raw().as_bytes()).len(), 3 + 1 + 5 + 2 + 1 + 1);
    assert_eq!(b.raw().parts_edited(), 0b0011);
}

#[test]
fn save_and_reload_part_copy_between_working_and_saved() {
    let mut b = Bank::new(1);
    let mut pt = b.part_track(1, PartCopy::Working, 1).unwrap();
    pt.volume = (100, 90);
    b.set_part_track(1, PartCopy::Working, 1, &pt).unwrap();
    assert_ne!(b.part_track(1, PartCopy::Saved, 1).unwrap(), pt);
    b.save_part(1).unwrap();
    assert_eq!(b.part_track(1, PartCopy::Saved, 1).unwrap(), pt);
    assert_eq!(b.raw().part_saved_state(0), 1);
    pt.volume = (10, 10);
    b.set_part_track(1, PartCopy::Working, 1, &pt).unwrap();
    b.reload_part(1).unwrap();
    assert_eq!(b.part_track(1, PartCopy::Working, 1).unwrap().volume, (100, 90));
    assert!(b.save_part(5).is_err());
}

#[test]
fn sample_references_follow_the_machine_and_can_be_rewritten() {
    let mut b = Bank::new(1);
    let mut pt = b.part_track(2, PartCopy::Working, 3).unwrap();
    pt.set_machine(MachineType::Flex);
    pt.flex_slot = 7;
    b.set_part_track(2, PartCopy::Working, 3, &pt).unwrap();
    let mut p = b.pattern(6).unwrap();
    p.part = 2;
    b.set_pattern(6, &p).unwrap();
    let mut s = b.audio_step(6, 3, 33).unwrap();
    s.trig = true;
    s.set_sample_lock(Some(9)).unwrap();
    b.set_audio_step(6, 3, 33, &s).unwrap();
    let refs = b.sample_refs();
    assert_eq!(refs.len(), 2 * 4 * 8 * 2 + 1);
    let lock = refs.iter().find(|r| matches!(r.place, SamplePlace::Lock { .. })).unwrap();
    assert_eq!(lock.place, SamplePlace::Lock { pattern: 6, track: 3, step: 33 });
    assert_eq!((lock.pool, lock.slot), (SlotType::Flex, 9));
    let machine = refs
        .iter()
        .find(|r| {
            r.pool == SlotType::Flex
                && r.place == SamplePlace::Machine { part: 2, copy: PartCopy::Working, track: 3, active: true }
        })
        .unwrap();
    assert_eq!(machine.slot, 7);
    let before = b.raw().as_bytes().to_vec();
    b.set_sample_ref(lock, 100).unwrap();
    b.set_sample_ref(machine, 101).unwrap();
    assert_eq!(changed(&before, b.raw().as_bytes()).len(), 2);
    assert_eq!(b.audio_step(6, 3, 33).unwrap().sample_lock(), Some(100));
    assert_eq!(b.part_track(2, PartCopy::Working, 3).unwrap().flex_slot, 101);
    assert!(b.set_sample_ref(lock, 129).is_ok(), "Flex reaches the recorder buffers");
    let stat = refs.iter().find(|r| r.pool == SlotType::Static).unwrap();
    assert!(b.set_sample_ref(stat, 129).is_err());
}

#[test]
fn a_whole_track_read_equals_its_steps_read_one_by_one() {
    let mut b = Bank::new(1);
    for (p, t, s) in [(1, 1, 1), (1, 8, 64), (16, 3, 17)] {
        let mut a = b.audio_step(p, t, s).unwrap();
        a.trig = true;
        a.condition = Condition(9);
        a.set_lock("amp.vol", Some(100)).unwrap();
        b.set_audio_step(p, t, s, &a).unwrap();
        let mut m = b.midi_step(p, t, s).unwrap();
        m.trigless = true;
        m.set_lock("note.vel", Some(77)).unwrap();
        b.set_midi_step(p, t, s, &m).unwrap();
    }
    for p in [1, 16] {
        for t in 1..=8 {
            let audio = b.audio_steps(p, t).unwrap();
            let midi = b.midi_steps(p, t).unwrap();
            assert_eq!(audio.len(), 64);
            assert_eq!(midi.len(), 64);
            for s in 1..=64u8 {
                assert_eq!(audio[usize::from(s - 1)], b.audio_step(p, t, s).unwrap(), "pattern {p} track {t} step {s}");
                assert_eq!(midi[usize::from(s - 1)], b.midi_step(p, t, s).unwrap(), "pattern {p} track {t} step {s}");
            }
        }
    }
    assert!(b.audio_steps(1, 1).unwrap()[0].trig);
    assert!(b.midi_steps(16, 3).unwrap()[16].trigless);
    let e = b.audio_steps(1, 9).unwrap_err().to_string();
    assert!(e.contains("track"), "{e}");
    assert!(b.midi_steps(17, 1).is_err());
}
