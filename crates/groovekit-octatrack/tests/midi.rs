//! `midi::export` and `midi::import` on the device fixtures: notes checked one by one against
//! times computed by hand, files read back by midly (not by groovekit's own reader), import of
//! files written with another resolution, and export -> import -> export round trips.

use std::path::{Path, PathBuf};

use groovekit_audio::midi::{MidiNote as SongNote, MidiSong, MidiTrack, TempoChange, to_smf_bytes};
use groovekit_octatrack::Project;
use groovekit_octatrack::midi::export::{self, ExportOptions, PPQ, Span};
use groovekit_octatrack::midi::import::{self, ImportOptions, parse_map_entry};
use groovekit_octatrack::ops::backup::ApplyOptions;
use groovekit_octatrack::raw::bank::PartCopy;
use midly::{MetaMessage, MidiMessage, Smf, TrackEventKind};

/// File ticks in one step at 1X (a sixteenth).
const STEP: u64 = PPQ as u64 / 4;
/// File ticks in 1/384 of a step at 1X.
const MICRO: u64 = STEP / 384;

/// A copy of fixture project `rel` (under `octatrack/`) in a temporary folder.
fn project_copy(rel: &str, test: &str) -> Option<(tempfile::TempDir, PathBuf)> {
    let fx = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), test)?;
    let tmp = tempfile::tempdir().unwrap();
    let dst = tmp.path().join("P");
    std::fs::create_dir_all(&dst).unwrap();
    for e in std::fs::read_dir(fx.join("octatrack").join(rel)).unwrap() {
        let e = e.unwrap();
        if e.path().is_file() {
            std::fs::copy(e.path(), dst.join(e.file_name())).unwrap();
        }
    }
    Some((tmp, dst))
}

/// One note as midly reads it: (track name, channel 1-16, start, length, key, velocity).
type Note = (String, u8, u64, u64, u8, u8);

/// Every note of an SMF and each track's End Of Track tick, read with midly.
fn midly_notes(bytes: &[u8]) -> (u16, Vec<Note>, Vec<u64>) {
    let smf = Smf::parse(bytes).unwrap();
    let ppq = match smf.header.timing {
        midly::Timing::Metrical(t) => t.as_int(),
        _ => panic!("SMPTE"),
    };
    let (mut notes, mut ends) = (Vec::new(), Vec::new());
    for track in &smf.tracks {
        let (mut tick, mut name) = (0u64, String::new());
        let mut open: Vec<(u8, u8, u64, u8)> = Vec::new();
        for e in track {
            tick += u64::from(e.delta.as_int());
            match e.kind {
                TrackEventKind::Meta(MetaMessage::TrackName(n)) => name = String::from_utf8_lossy(n).into_owned(),
                TrackEventKind::Meta(MetaMessage::EndOfTrack) => ends.push(tick),
                TrackEventKind::Midi { channel, message: MidiMessage::NoteOn { key, vel } } if vel.as_int() > 0 => {
                    open.push((channel.as_int(), key.as_int(), tick, vel.as_int()))
                }
                TrackEventKind::Midi { channel, message: MidiMessage::NoteOff { key, .. } }
                | TrackEventKind::Midi { channel, message: MidiMessage::NoteOn { key, .. } } => {
                    let i = open.iter().position(|o| o.0 == channel.as_int() && o.1 == key.as_int()).unwrap();
                    let (ch, k, start, vel) = open.remove(i);
                    notes.push((name.clone(), ch + 1, start, tick - start, k, vel));
                }
                _ => {}
            }
        }
        assert!(open.is_empty(), "notes left open on {name}");
    }
    notes.sort_by(|a, b| (a.2, &a.0, a.4).cmp(&(b.2, &b.0, b.4)));
    (ppq, notes, ends)
}

/// The starts of the notes of the track whose name begins with `prefix`.
fn starts(notes: &[Note], prefix: &str) -> Vec<u64> {
    notes.iter().filter(|n| n.0.split_whitespace().next() == Some(prefix)).map(|n| n.2).collect()
}

fn export_bytes(dir: &Path, span: Span, passes: u32) -> (Vec<u8>, export::ExportReport) {
    let mut p = Project::open(dir).unwrap();
    let e = export::export(&mut p, &span, &ExportOptions { passes, ..ExportOptions::default() }).unwrap();
    (to_smf_bytes(&e.song).unwrap(), e.report)
}

/// Real-device bank 1 pattern 1: per-track scale mode, master length 64 (stored 0, 64), all 1X;
/// T1 and T5 (Thru) step 1 with track length 16; T2 length 12 with trigs on 1 5 9 10 11 12 (and
/// 17 21 25-28, past its length: never played) and +1/384 on step 1; T3 and T4 length 16 with
/// trigs 1 3 4 5 7 8 9 11 13 15 16, +1/384 on step 1; T6 length 64 with 1 17 33; T8 is the master
/// track (`MASTER_TRACK=1`). Every time below is computed here from those numbers.
#[test]
fn real_device_pattern_note_by_note() {
    let Some((_t, dir)) = project_copy("real-device", "real_device_pattern_note_by_note") else { return };
    let (bytes, report) = export_bytes(&dir, Span::Patterns(vec![(1, 1)]), 1);
    let (ppq, notes, ends) = midly_notes(&bytes);
    assert_eq!(ppq, 9216);
    let end = 64 * STEP;
    assert!(ends.iter().all(|&e| e == end), "every track ends at 64 steps: {ends:?}");
    assert_eq!(report.end_tick, end);
    // A track of `len` steps with trigs on `steps` ((step, micro)) loops inside 64 steps.
    let expect = |len: u64, steps: &[(u64, u64)]| -> Vec<u64> {
        let mut v = Vec::new();
        let mut base = 0;
        while base < 64 {
            for &(s, m) in steps {
                if base + s - 1 < 64 {
                    v.push((base + s - 1) * STEP + m * MICRO);
                }
            }
            base += len;
        }
        v.sort_unstable();
        v
    };
    assert_eq!(starts(&notes, "T2"), expect(12, &[(1, 1), (5, 0), (9, 0), (10, 0), (11, 0), (12, 0)]));
    assert_eq!(starts(&notes, "T2").len(), 31);
    let t34 = [(1, 1), (3, 0), (4, 0), (5, 0), (7, 0), (8, 0), (9, 0), (11, 0), (13, 0), (15, 0), (16, 0)];
    assert_eq!(starts(&notes, "T3"), expect(16, &t34));
    assert_eq!(starts(&notes, "T4"), expect(16, &t34));
    assert_eq!(starts(&notes, "T6"), vec![0, 16 * STEP, 32 * STEP]);
    assert_eq!(starts(&notes, "T1"), vec![0, 16 * STEP, 32 * STEP, 48 * STEP]);
    assert_eq!(starts(&notes, "T5"), starts(&notes, "T1"));
    assert!(starts(&notes, "T8").is_empty(), "T8 is the master track");
    // The +1/384 is 6 file ticks: exact.
    assert_eq!(starts(&notes, "T2")[0], 6);
    // Audio notes: C4, velocity 100, one step.
    assert!(notes.iter().all(|n| n.4 == 60 && n.5 == 100 && n.3 == STEP), "{:?}", &notes[..3]);
    // Channels: MIDI_TRIG_CHn is -1 (OFF) in this project: channel n.
    assert!(notes.iter().filter(|n| n.0.starts_with("T6")).all(|n| n.1 == 6));
    assert_eq!(report.notes, notes.len());
    assert_eq!(report.rounded, 0);

    // The conductor: 126.125 BPM (TEMPOx24=3027, pattern tempo off), 4/4, one marker.
    let smf = Smf::parse(&bytes).unwrap();
    let metas: Vec<String> = smf.tracks[0]
        .iter()
        .filter_map(|e| match e.kind {
            TrackEventKind::Meta(MetaMessage::Tempo(t)) => Some(format!("tempo {}", t.as_int())),
            TrackEventKind::Meta(MetaMessage::TimeSignature(n, d, _, _)) => Some(format!("sig {n}/{}", 1 << d)),
            TrackEventKind::Meta(MetaMessage::Marker(m)) => Some(format!("marker {}", String::from_utf8_lossy(m))),
            _ => None,
        })
        .collect();
    assert_eq!(metas, vec!["tempo 475719", "sig 4/4", "marker A01"]);

    // Two passes: the second is the first, 64 steps later (the master length restarts every
    // track), and a marker for it.
    let (bytes2, report2) = export_bytes(&dir, Span::Patterns(vec![(1, 1)]), 2);
    let (_, notes2, ends2) = midly_notes(&bytes2);
    assert!(ends2.iter().all(|&e| e == 2 * end));
    let t2 = starts(&notes2, "T2");
    let once = expect(12, &[(1, 1), (5, 0), (9, 0), (10, 0), (11, 0), (12, 0)]);
    let twice: Vec<u64> = once.iter().copied().chain(once.iter().map(|s| s + end)).collect();
    assert_eq!(t2, twice);
    assert_eq!(report2.segments, 2);
}

/// A MIDI track built here on the blank project: chords, velocity and length locks, micro-timing,
/// swing, the part's channel, bank and program, 3/4X.
fn midi_fixture(dir: &Path) {
    let mut p = Project::open(dir).unwrap();
    let b = p.bank_mut(1).unwrap();
    let mut mp = b.midi_part_track(1, PartCopy::Working, 1).unwrap();
    mp.channel = 3;
    mp.bank = Some(2);
    mp.program = Some(5);
    mp.note = 48;
    mp.velocity = 100;
    mp.length = 6;
    b.set_midi_part_track(1, PartCopy::Working, 1, &mp).unwrap();
    // Step 1: C4 E4 G4 (NOT2 +4, NOT3 +7), velocity 90, LEN 12 (2 steps).
    let mut s = b.midi_step(1, 1, 1).unwrap();
    s.trig = true;
    s.set_note(Some(60), Some(90), Some(12)).unwrap();
    s.set_lock("note.not2", Some(68)).unwrap();
    s.set_lock("note.not3", Some(71)).unwrap();
    b.set_midi_step(1, 1, 1, &s).unwrap();
    // Step 5: the part's note, -3/384.
    let mut s = b.midi_step(1, 1, 5).unwrap();
    s.trig = true;
    s.micro = -3;
    b.set_midi_step(1, 1, 5, &s).unwrap();
    // Step 2 has the swing trig (the device's default mask 0xAA): with swing 10 (60 %) it plays
    // 10/50 of a step late.
    let mut s = b.midi_step(1, 1, 2).unwrap();
    assert!(s.swing, "blank banks swing every second step");
    s.trig = true;
    b.set_midi_step(1, 1, 2, &s).unwrap();
    let mut ts = b.midi_track(1, 1).unwrap();
    ts.swing_amount = 10;
    b.set_midi_track(1, 1, &ts).unwrap();
    // Pattern 2 at 3/4X: step 2 +1/384.
    let mut ps = b.pattern(2).unwrap();
    ps.master_scale = 3;
    b.set_pattern(2, &ps).unwrap();
    let mut s = b.midi_step(2, 1, 2).unwrap();
    s.trig = true;
    s.micro = 1;
    b.set_midi_step(2, 1, 2, &s).unwrap();
    p.save().unwrap();
}

#[test]
fn midi_track_notes_chords_swing_and_three_quarter_scale() {
    let Some((_t, dir)) = project_copy("blank-project", "midi_track_notes_chords_swing_and_three_quarter_scale") else {
        return;
    };
    midi_fixture(&dir);
    let (bytes, report) = export_bytes(&dir, Span::Patterns(vec![(1, 1), (1, 2)]), 1);
    let (_, notes, ends) = midly_notes(&bytes);
    let m1: Vec<&Note> = notes.iter().filter(|n| n.0 == "M1").collect();
    // Pattern 1 (16 steps at 1X): step 1 chord, step 2 swung, step 5 early.
    let swing = (10 * STEP + 25) / 50; // 460.8 file ticks, rounded half up
    let p2 = 16 * STEP; // pattern 2 starts after 16 steps
    let step34 = STEP * 4 / 3; // a 3/4X step: 3 072 ticks
    let want: Vec<(u64, u64, u8, u8)> = vec![
        (0, 2 * STEP, 60, 90),
        (0, 2 * STEP, 64, 90),
        (0, 2 * STEP, 67, 90),
        (STEP + swing, STEP, 48, 100),
        (4 * STEP - 3 * MICRO, STEP, 48, 100),
        // Pattern 2 at 3/4X: step 2 is one 3/4X step in, +1/384 of that step = 8 ticks; the
        // part's LEN 6 is one (3/4X) step.
        (p2 + step34 + step34 / 384, step34, 48, 100),
    ];
    let got: Vec<(u64, u64, u8, u8)> = m1.iter().map(|n| (n.2, n.3, n.4, n.5)).collect();
    assert_eq!(got, want);
    assert!(m1.iter().all(|n| n.1 == 3), "the part's channel");
    assert_eq!(report.rounded, 2, "only the swung note's start and end fall between file ticks");
    let end = p2 + 16 * step34;
    assert!(ends.iter().all(|&e| e == end), "{ends:?} != {end}");
    // Bank select 2 and program 5 on channel 3 before the first note.
    let smf = Smf::parse(&bytes).unwrap();
    let m1_track = smf
        .tracks
        .iter()
        .find(|t| t.iter().any(|e| matches!(e.kind, TrackEventKind::Meta(MetaMessage::TrackName(n)) if n == b"M1")))
        .unwrap();
    let mut seen = Vec::new();
    for e in m1_track {
        if let TrackEventKind::Midi { channel, message } = e.kind {
            assert_eq!(channel.as_int(), 2);
            match message {
                MidiMessage::Controller { controller, value } if controller.as_int() == 0 => {
                    seen.push(format!("bank {}", value.as_int()))
                }
                MidiMessage::ProgramChange { program } => seen.push(format!("program {}", program.as_int())),
                MidiMessage::NoteOn { .. } => {
                    seen.push("note".into());
                    break;
                }
                _ => {}
            }
        }
    }
    assert_eq!(seen, vec!["bank 2", "program 5", "note"]);
}

/// An SMF written at another resolution (480), as a DAW would.
fn daw_file() -> Vec<u8> {
    let n = |start, length, key, velocity| SongNote { start, length, key, velocity };
    let lead = MidiTrack {
        name: "lead".into(),
        channel: 0,
        notes: vec![
            // A five-note chord on step 1: four fit.
            n(0, 240, 60, 80),
            n(0, 240, 64, 80),
            n(0, 240, 67, 80),
            n(0, 240, 70, 80),
            n(0, 240, 72, 80),
            // Step 3, 5 ticks late = 16/384 of a step: kept as micro-timing.
            n(245, 120, 62, 100),
            // Step 5, 10 ticks late = 32/384: more than the device's 23/384, moved.
            n(490, 120, 62, 100),
            // Step 70: the second pattern (64 steps a pattern), step 6.
            n(69 * 120, 120, 65, 100),
        ],
        ..MidiTrack::default()
    };
    let drums = MidiTrack {
        name: "drums".into(),
        channel: 9,
        notes: vec![n(0, 60, 36, 127), n(480, 60, 38, 110), n(480, 60, 42, 90)],
        ..MidiTrack::default()
    };
    let song = MidiSong {
        ppq: 480,
        bpm: 100.0,
        tracks: vec![lead, drums],
        tempo_changes: vec![TempoChange { tick: 960, bpm: 110.0 }],
        ..MidiSong::default()
    };
    to_smf_bytes(&song).unwrap()
}

#[test]
fn a_daw_file_imports_with_chords_micro_timing_and_drum_map() {
    let Some((_t, dir)) = project_copy("blank-project", "a_daw_file_imports_with_chords_micro_timing_and_drum_map")
    else {
        return;
    };
    let smf = daw_file();
    let opts = ImportOptions {
        bank: 1,
        pattern: 1,
        arrangement: None,
        track_map: vec![parse_map_entry("ch10:36=T1").unwrap(), parse_map_entry("drums:38=T2").unwrap()],
        length: None,
        force: false,
    };
    let mut p = Project::open(&dir).unwrap();
    let r = import::import_into(&mut p, &smf, &opts).unwrap();
    assert_eq!(r.length, 64, "80 steps of 4/4: 64-step patterns");
    assert_eq!(r.patterns, vec!["A01", "A02"]);
    assert_eq!(r.tempo, Some(100.0));
    assert_eq!(r.notes, 11);
    assert_eq!(r.placed, 4 + 1 + 1 + 1 + 2, "4 chord notes, 3 single notes, 2 drums");
    let joined = r.not_imported.join("\n");
    assert!(joined.contains("fifth note"), "{joined}");
    assert!(joined.contains("no Octatrack track takes them"), "the hi-hat (ch10 key 42): {joined}");
    assert!(joined.contains("tempo changes"), "{joined}");
    assert!(joined.contains("2 notes on audio tracks: their key"), "keys 36 and 38 are not kept: {joined}");
    assert!(r.approximated.iter().any(|a| a.contains("+32/384") && a.contains("+23/384")), "{:?}", r.approximated);
    let b = p.bank(1).unwrap();
    let s1 = b.midi_step(1, 1, 1).unwrap();
    assert!(s1.trig);
    assert_eq!(s1.note(), Some(60));
    assert_eq!(s1.lock("note.vel").unwrap(), Some(80));
    assert_eq!(s1.lock("note.len").unwrap(), Some(12), "240 ticks at 480 = 2 steps = LEN 12");
    assert_eq!(s1.chord(), [Some(68), Some(71), Some(74)], "+4 +7 +10 around 64");
    let s3 = b.midi_step(1, 1, 3).unwrap();
    assert_eq!((s3.trig, s3.micro, s3.lock("note.vel").unwrap()), (true, 16, None), "velocity 100 is the part's");
    let s5 = b.midi_step(1, 1, 5).unwrap();
    assert_eq!((s5.trig, s5.micro), (true, 23));
    let s70 = b.midi_step(2, 1, 6).unwrap();
    assert!(s70.trig && s70.note() == Some(65));
    let kick = b.audio_step(1, 1, 1).unwrap();
    assert!(kick.trig, "kick on T1");
    assert_eq!(kick.lock("amp.vol").unwrap(), Some(127), "velocity 127 -> AMP VOL 127");
    assert!(b.audio_step(1, 2, 5).unwrap().trig, "snare (480 ticks = step 5) on T2");
    assert_eq!(b.pattern(1).unwrap().master_length, 64);
    assert_eq!(b.pattern(1).unwrap().tempo, 100.0);
}

#[test]
fn import_is_one_operation_with_backup_dry_run_and_refusal() {
    let Some((tmp, dir)) = project_copy("blank-project", "import_is_one_operation_with_backup_dry_run_and_refusal")
    else {
        return;
    };
    let mid = tmp.path().join("song.mid");
    std::fs::write(&mid, daw_file()).unwrap();
    let before = std::fs::read(dir.join("bank01.work")).unwrap();
    let opts =
        ImportOptions { bank: 1, pattern: 15, arrangement: Some(2), track_map: vec![], length: Some(16), force: false };
    // Dry run: the plan, nothing written.
    let plan = import::import_midi(&dir, &mid, &opts, true, ApplyOptions::default()).unwrap();
    assert!(plan.dry_run && plan.backup.is_none());
    assert_eq!(std::fs::read(dir.join("bank01.work")).unwrap(), before);
    assert!(!dir.join("backups").exists());
    // 16-step patterns from 15: every note but the one at step 70 is in the first 16 steps
    // (A15); step 70 would be the fifth pattern from 15, past 16.
    assert_eq!(plan.report.patterns, vec!["A15"]);
    assert!(plan.report.not_imported.iter().any(|l| l.contains("past pattern 16")), "{:?}", plan.report.not_imported);
    assert_eq!(plan.report.arrangement_rows, vec!["row 1: A15"]);
    // A failure part way changes nothing.
    let fail = ApplyOptions { fail_at_step: Some(1) };
    assert!(import::import_midi(&dir, &mid, &opts, false, fail).is_err());
    assert_eq!(std::fs::read(dir.join("bank01.work")).unwrap(), before);
    // The real run: bank and arrangement written, a backup of both.
    let plan = import::import_midi(&dir, &mid, &opts, false, ApplyOptions::default()).unwrap();
    let backup = plan.backup.unwrap();
    assert!(backup.join("manifest.json").is_file());
    assert_ne!(std::fs::read(dir.join("bank01.work")).unwrap(), before);
    let mut p = Project::open(&dir).unwrap();
    let rows = p.arrangement(2).unwrap().rows(groovekit_octatrack::raw::arrangement::Block::Current);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].describe(1), "pattern A15 x0");
    // Again: the tracks hold trigs now, so it is refused without --force.
    let again = import::import_midi(&dir, &mid, &opts, false, ApplyOptions::default()).unwrap_err().to_string();
    assert!(again.contains("--force"), "{again}");
    let forced = ImportOptions { force: true, ..opts };
    let plan = import::import_midi(&dir, &mid, &forced, false, ApplyOptions::default()).unwrap();
    assert!(plan.report.changed.iter().any(|c| c.contains("cleared")));
}

/// The notes of a file without the track names' samples (the first word names the track).
fn note_set(bytes: &[u8]) -> Vec<(String, u8, u64, u64, u8, u8)> {
    let (_, notes, _) = midly_notes(bytes);
    notes
        .into_iter()
        .map(|n| (n.0.split_whitespace().next().unwrap_or("").to_string(), n.1, n.2, n.3, n.4, n.5))
        .collect()
}

#[test]
fn export_import_export_gives_the_same_notes() {
    let Some((tmp, dir)) = project_copy("real-device", "export_import_export_gives_the_same_notes") else { return };
    // Real-device pattern 1 (per-track lengths 12/16/64, micro +1/384) into pattern 2 (same part).
    let (first, _) = export_bytes(&dir, Span::Patterns(vec![(1, 1)]), 1);
    let mid = tmp.path().join("p1.mid");
    std::fs::write(&mid, &first).unwrap();
    let opts = ImportOptions { bank: 1, pattern: 2, arrangement: None, track_map: vec![], length: None, force: false };
    let plan = import::import_midi(&dir, &mid, &opts, false, ApplyOptions::default()).unwrap();
    assert!(plan.report.not_imported.is_empty(), "{:?}", plan.report.not_imported);
    assert_eq!(plan.report.placed, plan.report.notes);
    let (second, _) = export_bytes(&dir, Span::Patterns(vec![(1, 2)]), 1);
    let (a, b) = (note_set(&first), note_set(&second));
    assert!(!a.is_empty());
    assert_eq!(a, b);

    // MIDI tracks with chords, locks, micro-timing (blank project, built above), two patterns.
    let Some((tmp2, dir2)) = project_copy("blank-project", "export_import_export_gives_the_same_notes") else {
        return;
    };
    midi_fixture(&dir2);
    // Pattern 1 only (swing is taken off on import: the written track has swing 50 %; the swung
    // step is on the grid + 460.8 ticks, which import keeps as micro-timing only to 23/384, so
    // the swing fixture is exported without swing here).
    {
        let mut p = Project::open(&dir2).unwrap();
        let b = p.bank_mut(1).unwrap();
        let mut ts = b.midi_track(1, 1).unwrap();
        ts.swing_amount = 0;
        b.set_midi_track(1, 1, &ts).unwrap();
        p.save().unwrap();
    }
    let (first, _) = export_bytes(&dir2, Span::Patterns(vec![(1, 1)]), 2);
    let mid = tmp2.path().join("m.mid");
    std::fs::write(&mid, &first).unwrap();
    let opts = ImportOptions { pattern: 5, length: Some(16), ..opts };
    let plan = import::import_midi(&dir2, &mid, &opts, false, ApplyOptions::default()).unwrap();
    assert_eq!(plan.report.patterns, vec!["A05", "A06"]);
    assert!(plan.report.not_imported.is_empty(), "{:?}", plan.report.not_imported);
    let (second, _) = export_bytes(&dir2, Span::Patterns(vec![(1, 5), (1, 6)]), 1);
    let (a, b) = (note_set(&first), note_set(&second));
    assert_eq!(a.len(), 2 * 5);
    assert_eq!(a, b);
}
