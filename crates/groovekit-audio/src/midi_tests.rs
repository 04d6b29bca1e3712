//! Unit tests of `midi` (kept beside it, out of the library source).

use super::*;

#[test]
fn notes_come_back_at_their_ticks() {
    let song = MidiSong {
        ppq: 480,
        bpm: 120.0,
        name: "song".into(),
        tracks: vec![MidiTrack {
            name: "bass".into(),
            channel: 4,
            notes: vec![
                MidiNote { start: 480, length: 240, key: 40, velocity: 100 },
                MidiNote { start: 0, length: 480, key: 40, velocity: 90 },
            ],
            controls: vec![],
        }],
        end: None,
    };
    let bytes = to_smf_bytes(&song).unwrap();
    let smf = Smf::parse(&bytes).unwrap();
    assert_eq!(smf.header.format, Format::Parallel);
    assert_eq!(smf.tracks.len(), 2);
    assert!(matches!(smf.tracks[0][0].kind, TrackEventKind::Meta(MetaMessage::Tempo(t)) if t.as_int() == 500_000));
    let mut tick = 0u32;
    let mut seen = Vec::new();
    for e in &smf.tracks[1] {
        tick += e.delta.as_int();
        if let TrackEventKind::Midi { channel, message } = e.kind {
            assert_eq!(channel.as_int(), 4);
            match message {
                MidiMessage::NoteOn { vel, .. } => seen.push(("on", tick, vel.as_int())),
                MidiMessage::NoteOff { .. } => seen.push(("off", tick, 0)),
                _ => {}
            }
        }
    }
    // The first note's off and the second's on share tick 480: off first.
    assert_eq!(seen, vec![("on", 0, 90), ("off", 480, 0), ("on", 480, 100), ("off", 720, 0)]);
}

#[test]
fn out_of_range_values_are_errors() {
    let mut song = MidiSong { ppq: 0, bpm: 120.0, name: String::new(), tracks: vec![], end: None };
    assert!(to_smf_bytes(&song).is_err());
    song.ppq = 96;
    song.tracks.push(MidiTrack { name: "x".into(), channel: 16, notes: vec![], controls: vec![] });
    assert!(to_smf_bytes(&song).unwrap_err().to_string().contains("channel 16"));
}

/// The absolute tick of every track's End Of Track event.
fn end_ticks(bytes: &[u8]) -> Vec<u32> {
    let smf = Smf::parse(bytes).unwrap();
    smf.tracks
        .iter()
        .map(|t| {
            let mut tick = 0;
            for e in t {
                tick += e.delta.as_int();
                if matches!(e.kind, TrackEventKind::Meta(MetaMessage::EndOfTrack)) {
                    return tick;
                }
            }
            panic!("no End Of Track");
        })
        .collect()
}

#[test]
fn every_track_ends_at_the_song_end_and_controls_precede_notes() {
    let track = MidiTrack {
        name: "lead".into(),
        channel: 5,
        notes: vec![MidiNote { start: 96, length: 100, key: 60, velocity: 100 }],
        controls: vec![MidiControl { tick: 96, controller: 3, value: 64 }],
    };
    let mut song = MidiSong { ppq: 96, bpm: 120.0, name: String::new(), tracks: vec![track], end: Some(384) };
    let bytes = to_smf_bytes(&song).unwrap();
    assert_eq!(end_ticks(&bytes), vec![384, 384]);
    let smf = Smf::parse(&bytes).unwrap();
    let kinds: Vec<_> = smf.tracks[1]
        .iter()
        .filter_map(|e| match e.kind {
            TrackEventKind::Midi { message: MidiMessage::Controller { .. }, .. } => Some("cc"),
            TrackEventKind::Midi { message: MidiMessage::NoteOn { .. }, .. } => Some("on"),
            _ => None,
        })
        .collect();
    assert_eq!(kinds, vec!["cc", "on"]);
    // Without an end, tracks end at their last event; an event past the end is an error.
    song.end = None;
    assert_eq!(end_ticks(&to_smf_bytes(&song).unwrap()), vec![0, 196]);
    song.end = Some(150);
    assert!(to_smf_bytes(&song).unwrap_err().to_string().contains("after the song's end"));
}
