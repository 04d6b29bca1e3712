//! Unit tests of `import` (kept beside it, out of the library source).

use super::*;
use crate::midi::{ExportOptions, Order, render};
use crate::model::default_project;
use crate::ops::{NewNote, add_note};

#[test]
fn map_entries_parse_and_reject() {
    assert_eq!(parse_map_entry("ch2=snare").unwrap(), (Source::Channel(1), 1));
    assert_eq!(parse_map_entry("Piano=lead").unwrap(), (Source::Name("Piano".into()), 5));
    assert!(parse_map_entry("ch17=kick").is_err());
    assert!(parse_map_entry("x=nothing").is_err());
    assert!(parse_map_entry("kick").is_err());
}

#[test]
fn polyphony_and_loops_are_reported_not_dropped_silently() {
    let mut p = default_project();
    for key in [53u8, 55, 57] {
        let n = NewNote { note: key, velocity: 100, duration: 2560, micro: 0 };
        if key != 57 {
            add_note(&mut p, 0, 0, 0, n).unwrap();
        } else {
            add_note(&mut p, 0, 0, 1, n).unwrap();
        }
    }
    let song = render(&p, &ExportOptions { order: Order::Pattern(0), ..Default::default() }).unwrap().song;
    let mut song2 = song.clone();
    // Add a third note at tick 0 on the kick track.
    song2.tracks[0].notes.push(groovekit_audio::midi::MidiNote { start: 0, length: 100, key: 60, velocity: 90 });
    // And a kick note below the kit's keys on step 3.
    song2.tracks[0].notes.push(groovekit_audio::midi::MidiNote { start: 6_144, length: 100, key: 40, velocity: 90 });
    let bytes = groovekit_audio::midi::to_smf_bytes(&song2).unwrap();
    let mut q = default_project();
    let r = import(&mut q, &bytes, &ImportOptions { pattern: 2, map: vec![], remove_swing: true }).unwrap();
    assert_eq!(r.placed.get(&0), Some(&4));
    assert_eq!(r.dropped.len(), 1, "{:?}", r.dropped);
    assert!(r.dropped[0].contains("pattern 3, track kick, step 1") && r.dropped[0].contains("at most 2"));
    assert!(r.dropped[0].contains("C4"));
    assert!(r.warnings.iter().any(|w| w.contains("step 3") && w.contains("E2")), "{:?}", r.warnings);
}
