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
            events: vec![],
        }],
        end: None,
        ..MidiSong::default()
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
    let mut song = MidiSong { ppq: 0, ..MidiSong::default() };
    assert!(to_smf_bytes(&song).is_err());
    song.ppq = 96;
    song.tracks.push(MidiTrack { name: "x".into(), channel: 16, ..MidiTrack::default() });
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
        events: vec![],
    };
    let mut song = MidiSong { ppq: 96, tracks: vec![track], end: Some(384), ..MidiSong::default() };
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

#[test]
fn conductor_holds_tempo_map_time_signatures_and_markers_and_reads_back() {
    let track = MidiTrack {
        name: "M1".into(),
        channel: 2,
        notes: vec![MidiNote { start: 0, length: 48, key: 60, velocity: 100 }],
        controls: vec![MidiControl { tick: 0, controller: 7, value: 90 }],
        events: vec![
            ChannelEvent { tick: 0, kind: ChannelEventKind::Program { bank_msb: Some(1), bank_lsb: None, program: 5 } },
            ChannelEvent { tick: 24, kind: ChannelEventKind::PitchBend(-8192) },
            ChannelEvent { tick: 24, kind: ChannelEventKind::ChannelPressure(64) },
        ],
    };
    let song = MidiSong {
        ppq: 96,
        bpm: 120.0,
        tracks: vec![track],
        end: Some(768),
        tempo_changes: vec![TempoChange { tick: 384, bpm: 90.0 }],
        time_signatures: vec![
            TimeSignature { tick: 0, numerator: 4, denominator: 4 },
            TimeSignature { tick: 384, numerator: 3, denominator: 4 },
        ],
        markers: vec![Marker { tick: 384, text: "A02".into() }, Marker { tick: 0, text: "A01".into() }],
        ..MidiSong::default()
    };
    let bytes = to_smf_bytes(&song).unwrap();
    assert_eq!(end_ticks(&bytes), vec![768, 768]);
    let smf = Smf::parse(&bytes).unwrap();
    let kinds: Vec<String> = smf.tracks[1]
        .iter()
        .filter_map(|e| match e.kind {
            TrackEventKind::Midi { message, .. } => Some(format!("{message:?}")),
            _ => None,
        })
        .collect();
    // Bank select, program, control, note-on at tick 0, then bend and pressure, then the off.
    assert!(kinds[0].contains("Controller") && kinds[0].contains("controller: u7(0)"), "{kinds:?}");
    assert!(kinds[1].contains("ProgramChange"), "{kinds:?}");
    assert!(kinds[2].contains("Controller") && kinds[2].contains("u7(7)"), "{kinds:?}");
    assert!(kinds[3].contains("NoteOn"), "{kinds:?}");
    assert!(kinds[4].contains("PitchBend") && kinds[4].contains("u14(0)"), "{kinds:?}");
    let back = read_smf(&bytes).unwrap();
    assert_eq!(back.ppq, 96);
    assert_eq!(back.end, 768);
    assert_eq!(back.tempos, vec![TempoChange { tick: 0, bpm: 120.0 }, TempoChange { tick: 384, bpm: 90.0 }]);
    assert_eq!(back.time_signatures, song.time_signatures);
    assert_eq!(
        back.markers.iter().map(|m| (m.tick, m.text.as_str())).collect::<Vec<_>>(),
        vec![(0, "A01"), (384, "A02")]
    );
    assert_eq!(
        back.notes,
        vec![InNote { track: 1, track_name: "M1".into(), channel: 2, start: 0, length: 48, key: 60, velocity: 100 }]
    );
}

#[test]
fn reader_closes_overlapping_notes_first_in_first_out_and_refuses_garbage() {
    let track = MidiTrack {
        name: "x".into(),
        channel: 0,
        notes: vec![
            MidiNote { start: 0, length: 100, key: 60, velocity: 10 },
            MidiNote { start: 50, length: 100, key: 60, velocity: 20 },
        ],
        ..MidiTrack::default()
    };
    let bytes = to_smf_bytes(&MidiSong { tracks: vec![track], ..MidiSong::default() }).unwrap();
    let back = read_smf(&bytes).unwrap();
    // Offs at 100 and 150 close the notes in the order they began.
    let got: Vec<(u64, u64, u8)> = back.notes.iter().map(|n| (n.start, n.length, n.velocity)).collect();
    assert_eq!(got, vec![(0, 100, 10), (50, 100, 20)]);
    // A header chunk whose length runs past the file is named by its byte (the layout check).
    let e = read_smf(b"MThd garbage").unwrap_err().to_string();
    assert!(e.starts_with("damaged MIDI file at byte 4: the header chunk declares"), "{e}");
    assert!(read_smf(b"MThd\0\0\0\x06\0\x03\0\0\0\x60").unwrap_err().to_string().contains("not a Standard MIDI File"));
    let bad = MidiSong {
        time_signatures: vec![TimeSignature { tick: 0, numerator: 4, denominator: 3 }],
        ..MidiSong::default()
    };
    assert!(to_smf_bytes(&bad).unwrap_err().to_string().contains("denominator 3"));
}
