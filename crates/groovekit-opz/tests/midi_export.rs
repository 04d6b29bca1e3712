//! MIDI export checked by parsing the file back with midly and comparing note times with values
//! worked out by hand from the fixture bytes.

use std::collections::BTreeMap;

use groovekit_opz::midi::{self, ExportOptions, Order};
use groovekit_opz::model::Project;
use midly::{MetaMessage, MidiMessage, Smf, TrackEventKind};

/// (track index in the file, channel, key) -> note-on ticks, and the note-off ticks.
type Ons = BTreeMap<(usize, u8, u8), Vec<(u32, u32)>>;

fn notes(bytes: &[u8]) -> (Smf<'_>, Ons) {
    let smf = Smf::parse(bytes).unwrap();
    let mut out: Ons = BTreeMap::new();
    for (i, track) in smf.tracks.iter().enumerate() {
        let mut tick = 0u32;
        // Overlapping notes of one key close first-in, first-out.
        let mut open: BTreeMap<u8, std::collections::VecDeque<u32>> = BTreeMap::new();
        for e in track {
            tick += e.delta.as_int();
            if let TrackEventKind::Midi { channel, message } = e.kind {
                match message {
                    MidiMessage::NoteOn { key, .. } => {
                        open.entry(key.as_int()).or_default().push_back(tick);
                    }
                    MidiMessage::NoteOff { key, .. } => {
                        let start = open.get_mut(&key.as_int()).and_then(|q| q.pop_front()).unwrap();
                        out.entry((i, channel.as_int(), key.as_int())).or_default().push((start, tick));
                    }
                    _ => {}
                }
            }
        }
    }
    (smf, out)
}

#[test]
fn error_garden_project05_pattern1_times_match_hand_computed_values() {
    let Some(dir) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "midi_export") else {
        return;
    };
    let bytes = std::fs::read(dir.join("opz/error-garden/project05.opz")).unwrap();
    let project = Project::parse(&bytes).unwrap();
    let song = midi::export(&project, &ExportOptions { order: Order::Pattern(0), ..Default::default() }).unwrap();
    let smf_bytes = groovekit_audio::midi::to_smf_bytes(&song).unwrap();
    let (smf, ons) = notes(&smf_bytes);
    assert_eq!(smf.header.format, midly::Format::Parallel);
    assert_eq!(smf.header.timing, midly::Timing::Metrical(12_288.into()));
    assert_eq!(smf.tracks.len(), 17, "conductor + 16 OP-Z tracks");
    // Tempo byte 520 = 86 BPM: 60e6 / 86 = 697 674.4 us per quarter.
    assert!(matches!(smf.tracks[0][0].kind, TrackEventKind::Meta(MetaMessage::Tempo(t)) if t.as_int() == 697_674));
    assert!(matches!(smf.tracks[6][0].kind, TrackEventKind::Meta(MetaMessage::TrackName(b"lead"))));
    // Pattern 1 lasts 64 sixteenths (tracks with step length 4 x 16 steps).
    // Lead (file track 6, channel 5, step length 4): slot bytes at step 1 hold note 81, length
    // 3 392, micro 0 -> [0, 3392); note 88, length 7 360, micro +88 -> start 88 x 16 x 4 = 5 632.
    assert_eq!(ons[&(6, 5, 81)][0], (0, 3_392));
    assert_eq!(ons[&(6, 5, 88)][0], (5_632, 5_632 + 7_360));
    // Step 3: note 84, micro -84: 2 x 4 x 3 072 - 84 x 64 = 19 200, length 14 720.
    assert_eq!(ons[&(6, 5, 84)][0], (19_200, 19_200 + 14_720));
    // Perc (file track 3, channel 2, step length 1, 16 steps): its 1-bar loop plays 4 times in the
    // 4-bar pattern. Step 9: note 61, micro -32, length 9 984: 8 x 3 072 - 32 x 16 = 24 064.
    let perc61: Vec<u32> = ons[&(3, 2, 61)].iter().map(|&(s, _)| s).collect();
    assert_eq!(perc61, vec![24_064, 24_064 + 49_152, 24_064 + 2 * 49_152, 24_064 + 3 * 49_152]);
    // Kick (file track 1): 16 notes per loop of 64 sixteenths, each 12 288 ticks = one 4/16 step.
    let kicks: usize = ons.iter().filter(|((t, _, _), _)| *t == 1).map(|(_, v)| v.len()).sum();
    assert_eq!(kicks, 16);
    assert_eq!(ons[&(1, 0, 54)][0], (12_288, 24_576));
}

#[test]
fn the_playing_chain_is_the_default_order() {
    let Some(dir) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "midi_chain") else {
        return;
    };
    let bytes = std::fs::read(dir.join("opz/error-garden/project02.opz")).unwrap();
    let project = Project::parse(&bytes).unwrap();
    // Chain 16 of project02 is 0,1,2,...,9,9,9,9 (13 entries, raw bytes 00..09 09 09 09).
    assert_eq!(midi::patterns_in_order(&project, Order::Chain(15)), vec![0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 9]);
    let song = midi::export(&project, &ExportOptions::default()).unwrap();
    let total: u64 =
        [0usize, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 9].iter().map(|&p| midi::pattern_length(&project, p).unwrap()).sum();
    let last = song.tracks.iter().flat_map(|t| t.notes.iter()).map(|n| n.start).max().unwrap();
    assert!(last < total * 3_072 + 3_072, "{last} {total}");
    assert!(last > (total - 64) * 3_072);
}
