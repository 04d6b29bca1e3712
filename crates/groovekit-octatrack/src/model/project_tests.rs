//! Unit tests of `project` (kept beside it, out of the library source).

use super::*;

#[test]
fn default_project_has_the_documented_values() {
    let p = Project::new_default();
    assert_eq!(p.tempo_x24(), Some(2880));
    assert_eq!(p.tempo_bpm(), Some(120.0));
    assert_eq!(p.trig_mode_midi(), vec![0; 8]);
    assert_eq!(p.setting("MIDI_PROGRAM_CHANGE_SEND_CH"), Some(-1));
    assert_eq!(p.os_release().as_deref(), Some("1.40B"));
    let s = p.samples();
    assert_eq!(s.len(), 8);
    assert!(s.iter().all(|s| s.is_recorder_buffer() && s.path.is_empty() && s.gain == Some(72)));
    assert_eq!(Project::parse(&p.to_bytes()).unwrap(), p);
}

#[test]
fn named_settings_and_states_match_the_key_lists() {
    let keys: Vec<&str> = DEFAULT_SETTINGS.iter().map(|(k, _)| *k).filter(|k| *k != "TRIG_MODE_MIDI").collect();
    assert_eq!(Settings::KEYS, keys.as_slice());
    assert_eq!(States::KEYS, STATE_KEYS.as_slice());
    let mut p = Project::new_default();
    let s = p.settings();
    assert_eq!((s.tempo_x24, s.midi_program_change_send_ch, s.gate_ab), (Some(2880), Some(-1), Some(127)));
    assert!(STATE_KEYS.iter().all(|k| p.state(k) == Some(0)));
    assert_eq!((p.states().bank, p.states().midi_mode), (Some(0), Some(0)));
    let before = p.to_bytes();
    let mut changed = s;
    changed.midi_clock_send = Some(1);
    changed.metronome_enabled = Some(1);
    p.set_settings(&changed).unwrap();
    assert_eq!(p.settings(), changed);
    let text = String::from_utf8(p.to_bytes()).unwrap();
    let old = String::from_utf8(before).unwrap();
    let diff: Vec<_> = old.lines().zip(text.lines()).filter(|(a, b)| a != b).map(|(_, b)| b).collect();
    assert_eq!(diff, ["MIDI_CLOCK_SEND=1", "METRONOME_ENABLED=1"]);
    p.set_states(&States { pattern: Some(5), ..States::default() }).unwrap();
    assert_eq!(p.state("PATTERN"), Some(5));
    assert_eq!(p.states().bank, Some(0));
}

#[test]
fn parse_int_accepts_padding_and_sign_only() {
    assert_eq!(parse_int(b"001"), Some(1));
    assert_eq!(parse_int(b"-1"), Some(-1));
    assert_eq!(parse_int(b""), None);
    assert_eq!(parse_int(b"-"), None);
    assert_eq!(parse_int(b" 1"), None);
    assert_eq!(parse_int(b"+1"), None);
    assert_eq!(parse_int(b"99999999999999999999"), None);
}

#[test]
fn new_blocks_go_where_the_device_puts_them() {
    let mut p = Project::new_default();
    p.set_sample(&SampleSlot::new(SlotType::Static, 2, b"../AUDIO/b.wav".to_vec())).unwrap();
    p.set_sample(&SampleSlot::new(SlotType::Flex, 5, b"../AUDIO/a.wav".to_vec())).unwrap();
    let order: Vec<_> = p.samples().iter().map(|s| (s.slot_type, s.slot)).collect();
    assert_eq!(order.first(), Some(&(SlotType::Flex, 5)));
    assert_eq!(order.last(), Some(&(SlotType::Static, 2)));
    let text = String::from_utf8(p.to_bytes()).unwrap();
    assert!(text.contains("[SAMPLE]\r\nTYPE=FLEX\r\nSLOT=005\r\nPATH=../AUDIO/a.wav\r\nBPMx24=2880\r\n"), "{text}");
    assert!(text.ends_with("[/SAMPLE]\r\n\r\n############################\r\n\r\n"));
    assert!(p.remove_sample(SlotType::Static, 2));
    assert!(p.remove_sample(SlotType::Flex, 5));
    assert_eq!(p, Project::new_default());
    assert!(p.set_sample(&SampleSlot::new(SlotType::Static, 129, Vec::new())).is_err());
}

#[test]
fn assign_timing_folds_into_85_170_and_reads_tempo_numbers_in_the_name() {
    let at = |seconds: f64, name: &str| assign_timing((seconds * 44_100.0).round() as u64, 44_100, name.as_bytes());
    // Short hits: 120 BPM, time-stretch off.
    assert_eq!(at(0.5, "clap.wav"), (SampleTiming::BpmX24(2880), 0));
    assert_eq!(at(0.0, "empty.wav"), (SampleTiming::BpmX24(2880), 0));
    // 2 s = one bar at 120.
    assert_eq!(at(2.0, "hit.wav"), (SampleTiming::TrimBarsX100(100), 2));
    // 16 s: one bar at 15 BPM, doubled to 120 (8 bars).
    assert_eq!(at(16.0, "pad.wav"), (SampleTiming::TrimBarsX100(800), 2));
    // 1.2 s: 200 BPM halved to 100 (half a bar).
    assert_eq!(at(1.2, "x.wav"), (SampleTiming::TrimBarsX100(50), 2));
    // A 70 BPM loop of 4 bars (13.714 s) is guessed 140 BPM (8 bars) unless "70" is in the name.
    assert_eq!(at(13.714_285, "loop.wav"), (SampleTiming::TrimBarsX100(800), 2));
    assert_eq!(at(13.714_285, "loop_70bpm.wav"), (SampleTiming::TrimBarsX100(400), 2));
    // And a 280 BPM one the other way.
    assert_eq!(at(6.857_142, "break_280.wav"), (SampleTiming::TrimBarsX100(800), 2));
    assert_eq!(at(6.857_142, "break.wav"), (SampleTiming::TrimBarsX100(400), 2));
    // No sample rate: treated as empty.
    assert_eq!(assign_timing(1000, 0, b"x"), (SampleTiming::BpmX24(2880), 0));
    let s = SampleSlot::assigned(SlotType::Flex, 3, b"../AUDIO/a.wav".to_vec(), 88_200, 44_100, b"a.wav");
    assert_eq!(
        (s.timing, s.tsmode, s.loopmode, s.gain, s.trig_quantization),
        (vec![SampleTiming::TrimBarsX100(100)], Some(2), Some(1), Some(48), Some(-1))
    );
    let s = SampleSlot::assigned(SlotType::Static, 3, b"../AUDIO/a.wav".to_vec(), 88_200, 44_100, b"a.wav");
    assert_eq!(s.loopmode, Some(0));
}
