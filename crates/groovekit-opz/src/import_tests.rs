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

/// A one-track SMF around arbitrary event bytes (what the fuzz target `opz_import_midi` builds).
fn wrap(ppq: [u8; 2], events: &[u8]) -> Vec<u8> {
    let mut smf = b"MThd\0\0\0\x06\0\x01\0\x01".to_vec();
    smf.extend_from_slice(&[ppq[0] & 0x7F, ppq[1]]);
    smf.extend_from_slice(b"MTrk");
    smf.extend_from_slice(&(events.len() as u32).to_be_bytes());
    smf.extend_from_slice(events);
    smf
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(600))]
    /// Arbitrary note events (note-on/off pairs with any timing, key, velocity, channel, ppq, swing):
    /// no panic; a failed import changes nothing; a done one stores only values the device can.
    #[test]
    fn arbitrary_midi_imports_safely(
        ppq in 1u16..0x7FFF,
        swing in proptest::prelude::any::<u8>(),
        step_length in 0u8..9,
        notes in proptest::collection::vec((0u32..200_000, 0u32..100_000, 0u8..128, 0u8..128, 0u8..16), 0..40),
        pattern in 0usize..17,
    ) {
        let mut events = Vec::new();
        let vlq = |mut v: u32, out: &mut Vec<u8>| {
            let mut bytes = vec![(v & 0x7F) as u8];
            v >>= 7;
            while v > 0 {
                bytes.push(((v & 0x7F) as u8) | 0x80);
                v >>= 7;
            }
            out.extend(bytes.iter().rev());
        };
        for &(delta, len, key, vel, ch) in &notes {
            vlq(delta, &mut events);
            events.extend_from_slice(&[0x90 | ch, key, vel]);
            vlq(len, &mut events);
            events.extend_from_slice(&[0x80 | ch, key, 0]);
        }
        events.extend_from_slice(&[0, 0xFF, 0x2F, 0]);
        let smf = wrap(ppq.to_be_bytes(), &events);
        let mut project = default_project();
        project.image_mut().put(crate::raw::header::SWING, &[swing]);
        for t in 0..16 {
            let mut s = project.track(0, t).unwrap();
            s.step_length = step_length;
            project.set_track(0, t, s).unwrap();
        }
        let before = project.as_bytes().to_vec();
        let options = ImportOptions { pattern, map: Vec::new(), remove_swing: true };
        match import(&mut project, &smf, &options) {
            Err(_) => proptest::prop_assert_eq!(project.as_bytes(), &before[..]),
            Ok(_) => {
                for f in ops::check_project(&project) {
                    proptest::prop_assert!(!f.error, "{}", f.message);
                }
            }
        }
    }

    /// Arbitrary bytes as a MIDI file never panic the reader or the import.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300)) {
        let mut project = default_project();
        let _ = read_smf(&bytes);
        let _ = import(&mut project, &bytes, &ImportOptions { pattern: 0, map: Vec::new(), remove_swing: true });
        let _ = import(&mut project, &wrap([0, 96], &bytes), &ImportOptions { pattern: 0, map: Vec::new(), remove_swing: true });
    }
}
