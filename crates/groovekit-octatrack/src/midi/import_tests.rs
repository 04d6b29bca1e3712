//! Unit tests of `midi::import` (kept beside it, out of the library source).

use super::*;
use groovekit_audio::midi::TimeSignature;

#[test]
fn track_map_entries_parse_and_bad_ones_say_why() {
    let e = parse_map_entry("ch10:36=T1").unwrap();
    assert_eq!(e, MapEntry { source: Source::Channel(9), key: Some(36), dest: TrackRef::Audio(1) });
    let e = parse_map_entry("Lead Synth=m2").unwrap();
    assert_eq!(e, MapEntry { source: Source::Name("Lead Synth".into()), key: None, dest: TrackRef::Midi(2) });
    assert!(parse_map_entry("ch17=M1").unwrap_err().to_string().contains("channels are 1-16"));
    assert!(parse_map_entry("ch1=M9").unwrap_err().to_string().contains("M1-M8"));
    assert!(parse_map_entry("ch1:200=M1").unwrap_err().to_string().contains("0-127"));
    assert!(parse_map_entry("ch1").unwrap_err().to_string().contains("SRC=TRACK"));
}

#[test]
fn positions_are_in_384ths_of_a_step_at_any_resolution() {
    // 480 ticks a quarter: a step is 120 ticks; 5 ticks = 16/384.
    assert_eq!(micro_units(0, 480), 0);
    assert_eq!(micro_units(120, 480), 384);
    assert_eq!(micro_units(125, 480), 400);
    // 96 ticks a quarter: 1 tick = 16/384.
    assert_eq!(micro_units(1, 96), 16);
    // Huge ticks do not overflow.
    assert_eq!(micro_units(u64::MAX, 1), i64::MAX);
}

#[test]
fn the_pattern_length_follows_the_song_and_its_bars() {
    let mut c = SmfContent { ppq: 96, end: 16 * 24, ..SmfContent::default() };
    assert_eq!(auto_length(&c), 16);
    c.end = 12 * 24 + 1;
    assert_eq!(auto_length(&c), 13, "a partial step counts");
    c.end = 100 * 24;
    assert_eq!(auto_length(&c), 64);
    c.time_signatures = vec![TimeSignature { tick: 0, numerator: 3, denominator: 4 }];
    assert_eq!(auto_length(&c), 60, "five bars of 3/4");
    c.end = 0;
    assert_eq!(auto_length(&c), 1);
}

#[test]
fn routing_prefers_the_map_then_the_export_names_then_the_channel() {
    let note = |name: &str, channel: u8, key: u8| InNote {
        track: 1,
        track_name: name.into(),
        channel,
        start: 0,
        length: 1,
        key,
        velocity: 100,
    };
    let map = vec![parse_map_entry("ch10:36=T1").unwrap()];
    let channels = [0, 1, 2, 3, 4, 5, 6, 9];
    assert_eq!(route(&note("drums", 9, 36), &map, &channels), Some(TrackRef::Audio(1)));
    assert_eq!(route(&note("drums", 9, 38), &map, &channels), Some(TrackRef::Midi(8)), "channel 10 is M8's");
    assert_eq!(route(&note("T3 kick.wav", 0, 60), &map, &channels), Some(TrackRef::Audio(3)));
    assert_eq!(route(&note("M2", 5, 60), &map, &channels), Some(TrackRef::Midi(2)));
    assert_eq!(route(&note("lead", 12, 60), &map, &channels), None);
}
