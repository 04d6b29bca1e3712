//! MIDI export checked by parsing the file back with midly and comparing note times with values
//! worked out by hand from the fixture bytes.

use std::collections::BTreeMap;

use groovekit_opz::midi::{self, ExportOptions, Mutes, Order};
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
    // Kick, snare, perc and arp are muted in pattern 1 (mute bytes 2a 20): keep them to check times.
    let options = ExportOptions { order: Order::Pattern(0), mutes: Mutes::Keep, ..Default::default() };
    let song = midi::export(&project, &options).unwrap();
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
    assert_eq!(song.end, Some(total * 3_072));
}

fn fixtures(test: &str) -> Option<std::path::PathBuf> {
    groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), test).map(|d| d.join("opz"))
}

fn load(dir: &std::path::Path, name: &str) -> Project {
    Project::parse(&std::fs::read(dir.join(name)).unwrap()).unwrap()
}

/// The absolute tick of each track's End Of Track event.
fn end_ticks(smf: &Smf<'_>) -> Vec<u32> {
    smf.tracks
        .iter()
        .map(|t| {
            let mut tick = 0;
            for e in t {
                tick += e.delta.as_int();
            }
            assert!(matches!(t.last().unwrap().kind, TrackEventKind::Meta(MetaMessage::EndOfTrack)));
            tick
        })
        .collect()
}

#[test]
fn every_track_of_every_fixture_ends_at_the_chain_end() {
    let Some(dir) = fixtures("every_track_of_every_fixture_ends_at_the_chain_end") else { return };
    let files = groovekit_core::fixtures::files_under(&dir, &|p: &std::path::Path| {
        p.extension().is_some_and(|e| e == "opz") && std::fs::metadata(p).is_ok_and(|m| m.len() > 0)
    });
    assert_eq!(files.len(), 19);
    for f in files {
        let project = Project::parse(&std::fs::read(&f).unwrap()).unwrap();
        let done = midi::render(&project, &ExportOptions::default()).unwrap();
        let chain = midi::patterns_in_order(&project, Order::Chain(15));
        let sixteenths: u64 = chain.iter().map(|&p| midi::pattern_length(&project, p).unwrap()).sum();
        assert_eq!(done.report.end_tick, sixteenths * 3_072, "{}", f.display());
        let bytes = groovekit_audio::midi::to_smf_bytes(&done.song).unwrap();
        let smf = Smf::parse(&bytes).unwrap();
        assert_eq!(end_ticks(&smf), vec![(sixteenths * 3_072) as u32; 17], "{}", f.display());
    }
}

#[test]
fn bounce04_ends_at_64_sixteenths_as_its_recording() {
    let Some(dir) = fixtures("bounce04_ends_at_64_sixteenths_as_its_recording") else { return };
    let project = load(&dir, "sample-manager/bounces/bounce04/project.opz");
    let done = midi::render(&project, &ExportOptions::default()).unwrap();
    // 64 sixteenths at 120 BPM = 8.0 s, the length of the device's bounce.wav.
    assert_eq!(done.report.sixteenths, 64);
    assert_eq!(done.song.end, Some(64 * 3_072));
    let last_off = done.song.tracks.iter().flat_map(|t| &t.notes).map(|n| n.start + n.length).max().unwrap();
    assert!(last_off <= 64 * 3_072);
}

#[test]
fn muted_tracks_are_left_out_unless_kept() {
    let Some(dir) = fixtures("muted_tracks_are_left_out_unless_kept") else { return };
    let project = load(&dir, "error-garden/project07.opz");
    // Pattern 1, mute group 0: bytes aa a2 = kick, snare, perc, sample, bass, arp, chord muted.
    let muted: Vec<usize> = (0..16).filter(|&t| project.muted(0, t).unwrap()).collect();
    assert_eq!(muted, vec![0, 1, 2, 3, 4, 6, 7]);
    let skip = midi::render(&project, &ExportOptions { order: Order::Pattern(0), ..Default::default() }).unwrap();
    let keep =
        midi::render(&project, &ExportOptions { order: Order::Pattern(0), mutes: Mutes::Keep, ..Default::default() })
            .unwrap();
    for &t in &muted {
        assert!(skip.song.tracks[t].notes.is_empty(), "track {t} is muted");
    }
    let with_notes: Vec<usize> = muted.iter().copied().filter(|&t| !project.notes(0, t).unwrap().is_empty()).collect();
    assert!(!with_notes.is_empty());
    for &t in &with_notes {
        assert!(!keep.song.tracks[t].notes.is_empty(), "track {t} kept");
    }
    assert_eq!(skip.report.muted.iter().map(|&(_, t)| t).collect::<Vec<_>>(), with_notes);
    assert!(skip.report.muted_notes > 0);
    // The lead is not muted and plays the same either way.
    assert_eq!(skip.song.tracks[5].notes, keep.song.tracks[5].notes);
}

#[test]
fn swing_delays_odd_sixteenths_by_the_fitted_curve() {
    let Some(dir) = fixtures("swing_delays_odd_sixteenths_by_the_fitted_curve") else { return };
    let project = load(&dir, "error-garden/project09.opz");
    assert_eq!(project.header().swing, 155);
    assert_eq!(midi::swing_delay(155), 224, "(155 - 127) x 8 ticks");
    assert_eq!(midi::swing_delay(178), 408, "the bounce's swing: 33.8 ms at 59 BPM");
    let options = ExportOptions { order: Order::Pattern(0), mutes: Mutes::Keep, ..Default::default() };
    let on = midi::render(&project, &options).unwrap();
    let off = midi::render(&project, &ExportOptions { swing: false, ..options }).unwrap();
    assert_eq!((on.report.swing_ticks, off.report.swing_ticks), (224, 0));
    let mut moved = 0;
    for t in 0..16 {
        let step_length = project.track(0, t).unwrap().step_length;
        let (a, b) = (&on.song.tracks[t].notes, &off.song.tracks[t].notes);
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            let shift = x.start - y.start;
            assert!(shift == 0 || shift == 224, "track {t}: {shift}");
            // Tracks with an even step length only play on even sixteenths: never swung.
            if step_length.is_multiple_of(2) {
                assert_eq!(shift, 0);
            }
            // A swung note is on an odd sixteenth of the straight grid.
            if shift == 224 {
                assert_eq!(((y.start as i64 + 1_536) / 3_072) % 2, 1, "track {t} at {}", y.start);
                moved += 1;
            }
        }
    }
    assert!(moved > 0);
}

/// Starts of `key` on `track` in a song.
fn starts(song: &groovekit_audio::midi::MidiSong, track: usize, key: u8) -> Vec<u64> {
    let mut v: Vec<u64> = song.tracks[track].notes.iter().filter(|n| n.key == key).map(|n| n.start).collect();
    v.sort_unstable();
    v
}

#[test]
fn trigger_sparks_choose_the_passes_over_several_loops() {
    let Some(dir) = fixtures("trigger_sparks_choose_the_passes_over_several_loops") else { return };
    let project = load(&dir, "error-garden/project03.opz");
    // Pattern 3, perc (16 x 1): step 9 holds note 58 with trigger spark 0x12 (1st of every 2),
    // step 15 note 65 with 0x02 (on pass 2 of every 2).
    assert_eq!(project.step(2, 2, 8).unwrap().params[12], 0x12);
    assert_eq!(project.step(2, 2, 14).unwrap().params[12], 0x02);
    let options =
        ExportOptions { order: Order::Pattern(2), loops: 2, mutes: Mutes::Keep, swing: false, ..Default::default() };
    let done = midi::render(&project, &options).unwrap();
    // The pattern lasts 64 sixteenths, so the perc's 16-step loop passes 4 times per pattern and
    // 8 times in two loops; passes are counted across loops.
    assert_eq!(midi::pattern_length(&project, 2).unwrap(), 64);
    let len = 16 * 3_072;
    let pass_of = |tick: u64| tick / len + 1;
    let passes58: Vec<u64> =
        starts(&done.song, 2, 58).into_iter().filter(|t| (t % len + 1_536) / 3_072 == 8).map(pass_of).collect();
    assert_eq!(passes58, vec![1, 3, 5, 7]);
    let passes65: Vec<u64> =
        starts(&done.song, 2, 65).into_iter().filter(|t| (t % len + 1_536) / 3_072 == 14).map(pass_of).collect();
    assert_eq!(passes65, vec![2, 4, 6, 8]);
    assert!(done.report.sparked_out >= 8);
    // components=off plays every pass.
    let all = midi::render(&project, &ExportOptions { components: false, ..options }).unwrap();
    let every: Vec<u64> =
        starts(&all.song, 2, 58).into_iter().filter(|t| (t % len + 1_536) / 3_072 == 8).map(pass_of).collect();
    assert_eq!(every, (1..=8).collect::<Vec<u64>>());
}

#[test]
fn multiply_plays_ratchets_within_the_step() {
    let Some(dir) = fixtures("multiply_plays_ratchets_within_the_step") else { return };
    let project = load(&dir, "error-garden/project05.opz");
    // Pattern 10, sample track (step length 4): step 5 holds note 79 with multiply 2.
    let step = project.step(9, 3, 4).unwrap();
    assert_eq!((step.mask, step.params[8]), (0x100, 2));
    let options = ExportOptions { order: Order::Pattern(9), mutes: Mutes::Keep, ..Default::default() };
    let done = midi::render(&project, &options).unwrap();
    let n = project.notes(9, 3).unwrap().into_iter().find(|n| n.step == 4).unwrap();
    let first = 4 * 4 * 3_072 + i64::from(n.slot.micro) * 16 * 4;
    let s = starts(&done.song, 3, 79);
    assert!(s.contains(&(first as u64)) && s.contains(&(first as u64 + 6_144)), "{s:?}");
    assert!(done.report.ratchet_notes >= 1);
}

#[test]
fn parameter_locks_become_ccs_on_the_opz_numbers() {
    let Some(dir) = fixtures("parameter_locks_become_ccs_on_the_opz_numbers") else { return };
    let project = load(&dir, "error-garden/project08.opz");
    // Find a playing lock on a parameter with a CC in pattern 2 (snare and perc lock 16 steps).
    let mut found = None;
    'outer: for t in 0..8 {
        let count = usize::from(project.track(1, t).unwrap().step_count);
        for s in 0..count {
            for (i, v) in project.step(1, t, s).unwrap().locks() {
                if let Some(dial) = groovekit_opz::model::PARAM_CC_DIAL[i] {
                    found = Some((t, s, dial, v));
                    break 'outer;
                }
            }
        }
    }
    let (t, s, dial, v) = found.expect("project08 pattern 2 has locks");
    let done = midi::render(
        &project,
        &ExportOptions { order: Order::Pattern(1), mutes: Mutes::Keep, swing: false, ..Default::default() },
    )
    .unwrap();
    let step_len = u64::from(project.track(1, t).unwrap().step_length.max(1));
    let controls = &done.song.tracks[t].controls;
    assert!(
        controls.iter().any(|c| c.controller == dial + 1 && c.value == v >> 1 && c.tick <= s as u64 * step_len * 3_072),
        "{controls:?}"
    );
    assert!(done.report.lock_ccs > 0);
    let bytes = groovekit_audio::midi::to_smf_bytes(&done.song).unwrap();
    let smf = Smf::parse(&bytes).unwrap();
    let ccs = smf.tracks[t + 1]
        .iter()
        .filter(|e| matches!(e.kind, TrackEventKind::Midi { message: MidiMessage::Controller { .. }, .. }))
        .count();
    assert_eq!(ccs, controls.len());
}

#[test]
fn a_first_note_with_negative_micro_timing_keeps_its_note_off() {
    let mut project = groovekit_opz::model::default_project();
    let n = groovekit_opz::ops::NewNote { note: 60, velocity: 100, duration: 3_072, micro: -48 };
    groovekit_opz::ops::add_note(&mut project, 0, 4, 0, n).unwrap();
    let done = midi::render(&project, &ExportOptions { order: Order::Pattern(0), ..Default::default() }).unwrap();
    // Would start at -48 x 16 = -768: clamped to 0, its note-off stays at 3 072 - 768 = 2 304.
    let note = done.song.tracks[4].notes[0];
    assert_eq!((note.start, note.length), (0, 2_304));
}

#[test]
fn what_cannot_map_is_listed() {
    let Some(dir) = fixtures("what_cannot_map_is_listed") else { return };
    let project = load(&dir, "error-garden/project05.opz");
    let done = midi::render(&project, &ExportOptions { order: Order::Pattern(0), ..Default::default() }).unwrap();
    // Pattern 1 holds jump components (kick step 3: jump 7).
    assert!(done.report.unmapped.keys().any(|k| k.starts_with("jump")), "{:?}", done.report.unmapped);
}

/// Notes per track as (start, length, key, velocity), sorted.
fn note_sets(song: &groovekit_audio::midi::MidiSong) -> Vec<Vec<(u64, u64, u8, u8)>> {
    song.tracks
        .iter()
        .map(|t| {
            let mut v: Vec<_> = t.notes.iter().map(|n| (n.start, n.length, n.key, n.velocity)).collect();
            v.sort_unstable();
            v
        })
        .collect()
}

#[test]
fn export_import_export_gives_the_same_notes() {
    let Some(dir) = fixtures("export_import_export_gives_the_same_notes") else { return };
    use groovekit_opz::import::{ImportOptions, import};
    // project05: polymeter (4/16 and 1/16 tracks), straight; project09: swing 155.
    for (name, p) in
        [("error-garden/project05.opz", 0), ("error-garden/project09.opz", 0), ("error-garden/project07.opz", 1)]
    {
        let project = load(&dir, name);
        let options =
            ExportOptions { order: Order::Pattern(p), mutes: Mutes::Keep, components: false, ..Default::default() };
        let first = midi::render(&project, &options).unwrap().song;
        let bytes = groovekit_audio::midi::to_smf_bytes(&first).unwrap();
        // Into a copy whose pattern has been cleared (track settings stay).
        let mut target = project.clone();
        groovekit_opz::ops::clear_pattern(&mut target, p).unwrap();
        let report =
            import(&mut target, &bytes, &ImportOptions { pattern: p, map: vec![], remove_swing: true }).unwrap();
        assert!(report.dropped.is_empty(), "{name}: {:?}", report.dropped);
        let second = midi::render(&target, &options).unwrap().song;
        assert_eq!(note_sets(&second), note_sets(&first), "{name}");
        assert!(report.placed.values().sum::<usize>() > 20, "{name}");
    }
}

/// The byte offset of track chunk `n` (0-based) of a Standard MIDI File.
fn track_chunk_at(bytes: &[u8], n: usize) -> usize {
    let mut at = 8 + u32::from_be_bytes(bytes[4..8].try_into().unwrap()) as usize;
    for _ in 0..n {
        at += 8 + u32::from_be_bytes(bytes[at + 4..at + 8].try_into().unwrap()) as usize;
    }
    assert_eq!(&bytes[at..at + 4], b"MTrk");
    at
}

/// `event` (delta time and event bytes) inserted as the first event of track chunk `n`, its
/// chunk length raised to match; returns the file and the offset of the event's status byte.
fn with_first_event(bytes: &[u8], n: usize, event: &[u8]) -> (Vec<u8>, usize) {
    let at = track_chunk_at(bytes, n);
    let mut out = bytes.to_vec();
    let len = u32::from_be_bytes(out[at + 4..at + 8].try_into().unwrap()) + event.len() as u32;
    out[at + 4..at + 8].copy_from_slice(&len.to_be_bytes());
    out.splice(at + 8..at + 8, event.iter().copied());
    (out, at + 8 + 1)
}

/// Issue 23, item 7: a MIDI file with a huge meta, sysex or track length was read as "0 notes"
/// (midly is lenient) and the import exited 0; now the damage is named with its byte offset, and
/// the project is unchanged.
#[test]
fn damaged_midi_files_are_refused_naming_the_byte() {
    let Some(dir) = fixtures("damaged_midi_files_are_refused_naming_the_byte") else { return };
    use groovekit_opz::import::{ImportOptions, import};
    let project = load(&dir, "error-garden/project05.opz");
    let options = ExportOptions { order: Order::Pattern(0), mutes: Mutes::Keep, ..Default::default() };
    let good = groovekit_audio::midi::to_smf_bytes(&midi::render(&project, &options).unwrap().song).unwrap();
    let opts = ImportOptions { pattern: 0, map: vec![], remove_swing: true };
    let mut target = project.clone();
    assert!(import(&mut target, &good, &opts).unwrap().placed.values().sum::<usize>() > 20);

    let mut cases: Vec<(&str, Vec<u8>, String)> = Vec::new();
    // A track chunk that declares 4 GB.
    let mut huge_track = good.clone();
    let t2 = track_chunk_at(&good, 2);
    huge_track[t2 + 4..t2 + 8].copy_from_slice(&0xFFFF_FFF0u32.to_be_bytes());
    cases.push((
        "track length",
        huge_track,
        format!("damaged MIDI file at byte {t2}: chunk `MTrk` (track 3) declares 4294967280 bytes"),
    ));
    // A text meta event of 2^28 - 1 bytes on the kick track (the largest a 4-byte length holds).
    let (meta, at) = with_first_event(&good, 1, &[0x00, 0xFF, 0x01, 0xFF, 0xFF, 0xFF, 0x7F]);
    cases.push((
        "meta length",
        meta,
        format!("damaged MIDI file at byte {at}: meta event (type 0x01) declares 268435455"),
    ));
    // A sysex event of 2^21 bytes.
    let (sysex, at) = with_first_event(&good, 1, &[0x00, 0xF0, 0x81, 0x80, 0x80, 0x00]);
    cases.push(("sysex length", sysex, format!("damaged MIDI file at byte {at}: sysex event declares 2097152")));
    // A file cut short in a track's events.
    let cut = good[..t2 + 20].to_vec();
    cases.push(("truncated", cut, format!("damaged MIDI file at byte {t2}: chunk `MTrk` (track 3) declares")));
    for (what, bytes, expected) in cases {
        let mut target = project.clone();
        let err = import(&mut target, &bytes, &opts).unwrap_err().to_string();
        assert!(err.contains(&expected), "{what}: {err}\nexpected: {expected}");
        assert!(err.contains("nothing was imported"), "{what}: {err}");
        assert_eq!(target.as_bytes(), project.as_bytes(), "{what}: the project changed");
        // midly alone reads the damaged file leniently (the old "0 notes, exit 0").
        assert!(midly::Smf::parse(&bytes).is_ok(), "{what}: midly refuses it anyway");
    }
}
