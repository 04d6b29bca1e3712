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
        }],
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
    let mut song = MidiSong { ppq: 0, bpm: 120.0, name: String::new(), tracks: vec![] };
    assert!(to_smf_bytes(&song).is_err());
    song.ppq = 96;
    song.tracks.push(MidiTrack { name: "x".into(), channel: 16, notes: vec![] });
    assert!(to_smf_bytes(&song).unwrap_err().to_string().contains("channel 16"));
}
