use super::*;

#[test]
fn names_follow_machine_and_fx_type() {
    let flex = AudioContext { machine: Some(MachineType::Flex), fx1: 4, fx2: 8 };
    assert_eq!(audio_lock_name(1, &flex), "src.strt");
    assert_eq!(audio_lock_name(15, &flex), "amp.vol");
    assert_eq!(audio_lock_name(18, &flex), "fx1.base");
    assert_eq!(audio_lock_name(24, &flex), "fx2.time");
    assert_eq!(audio_lock_name(31, &flex), "sample");
    assert_eq!(audio_lock_name(30, &flex), "byte30");
    assert_eq!(SAMPLE_LOCK, crate::ops::refs::SAMPLE_LOCK, "one sample-lock byte for the model and the operations");
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

#[test]
fn part_pages_name_each_byte_once_without_overlaps() {
    for pages in [AUDIO_PART_PAGES, MIDI_PART_PAGES] {
        for fx in [0u8, 4, 8, 13, 19, 99] {
            for machine in MachineType::ALL {
                let ctx = AudioContext { machine: Some(machine), fx1: fx, fx2: fx };
                let all = part_params(pages, &ctx);
                assert_eq!(all.len(), part_param_count(pages));
                let names: std::collections::BTreeSet<&str> = all.iter().map(|p| p.name.as_str()).collect();
                assert_eq!(names.len(), all.len(), "names are unique");
                for p in &all {
                    assert_eq!(part_param(&p.name, pages, &ctx).as_ref(), Some(p), "{}", p.name);
                }
            }
        }
        // No two names share a byte of any track, and every byte is inside the part.
        let all = part_params(pages, &AudioContext::default());
        let mut bytes = std::collections::BTreeSet::new();
        for p in &all {
            for t in 0..8 {
                assert!(bytes.insert(p.at(t)), "{} track {t} overlaps", p.name);
                assert!(p.at(t) < crate::raw::part::PART_SIZE);
            }
        }
    }
    // The audio pages cover exactly the per-track groups of raw::part (same bytes, other names).
    let from_groups: std::collections::BTreeSet<usize> = crate::raw::part::AUDIO_GROUPS
        .iter()
        .flat_map(|g| (0..8).flat_map(move |t| (0..g.len).map(move |i| g.offset + t * g.stride + i)))
        .collect();
    let from_pages: std::collections::BTreeSet<usize> = part_params(AUDIO_PART_PAGES, &AudioContext::default())
        .iter()
        .flat_map(|p| (0..8).map(move |t| p.at(t)))
        .collect();
    assert_eq!(from_groups, from_pages);
}

#[test]
fn src_and_setup_follow_the_machine_and_generic_names_work() {
    let flex = AudioContext { machine: Some(MachineType::Flex), fx1: 4, fx2: 8 };
    let p = |n: &str, c: &AudioContext| part_param(n, AUDIO_PART_PAGES, c).map(|p| p.offset);
    assert_eq!(p("src.ptch", &flex), Some(57));
    assert_eq!(p("SETUP.TSNS", &flex), Some(494));
    assert_eq!(p("fx1.base", &flex), Some(303));
    assert_eq!(p("fx1.p1", &flex), Some(303));
    assert_eq!(p("amp_setup.p6", &flex), Some(774));
    assert_eq!(p("lfo_setup.trig3", &flex), Some(792));
    assert_eq!(p("rec.cd", &flex), Some(1_558));
    let pickup = AudioContext { machine: Some(MachineType::Pickup), ..flex };
    assert_eq!(p("setup.tstr", &pickup), Some(511));
    assert_eq!(p("src.strt", &pickup), None, "a Pickup has no STRT");
    assert_eq!(p("src.ptch", &AudioContext::default()), None, "no machine, no src alias");
    assert_eq!(p("fx1.p7", &flex), None);
    let midi = |n: &str| part_param(n, MIDI_PART_PAGES, &flex).map(|p| (p.offset, p.stride));
    assert_eq!(midi("note_setup.chan"), Some((1_259, 36)));
    assert_eq!(midi("arp_setup.key"), Some((1_276, 36)));
    assert_eq!(midi("arp_seq.note16"), Some((6_218, 16)));
    let chan = part_param("note_setup.chan", MIDI_PART_PAGES, &flex).unwrap();
    assert_eq!((chan.show(0), chan.store(16, "x").unwrap()), (1, 15));
    assert!(chan.store(0, "x").is_err() && chan.store(17, "x").is_err());
}
