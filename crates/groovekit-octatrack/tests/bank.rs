//! Banks against the real device files: lossless read/write, the default bank from code, the
//! part assignment, and clear errors for damaged files.

use std::path::PathBuf;

use groovekit_octatrack::OtError;
use groovekit_octatrack::raw::bank::{self, Bank, PartCopy};
use groovekit_octatrack::raw::header::{BinaryKind, update_checksum};
use groovekit_octatrack::raw::pattern::{self, StepTiming};

/// Every bank below fixtures/octatrack, detected by content.
fn banks(test: &str) -> Option<Vec<(PathBuf, Vec<u8>)>> {
    let dir = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), test)?.join("octatrack");
    let files = groovekit_core::fixtures::files_under(&dir, &|_| true);
    Some(
        files
            .into_iter()
            .filter_map(|p| {
                let b = std::fs::read(&p).ok()?;
                (BinaryKind::sniff(&b) == Some(BinaryKind::Bank)).then_some((p, b))
            })
            .collect(),
    )
}

fn fixture(test: &str, rel: &str) -> Option<Vec<u8>> {
    let dir = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), test)?;
    Some(std::fs::read(dir.join("octatrack").join(rel)).unwrap())
}

#[test]
fn every_fixture_bank_round_trips_byte_for_byte() {
    let Some(all) = banks("every_fixture_bank_round_trips_byte_for_byte") else { return };
    // blank-project (16), demo-set (16), bank-copy (3: .work, .strd, DEST .work).
    assert!(all.len() >= 35, "only {} banks found", all.len());
    assert!(all.iter().any(|(p, _)| p.extension().is_some_and(|e| e == "strd")));
    for (path, bytes) in &all {
        let b = Bank::read(bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(b.to_bytes() == *bytes, "{} does not round-trip", path.display());
    }
}

#[test]
fn default_bank_from_code_matches_every_blank_bank() {
    let Some(dir) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "default_bank") else {
        return;
    };
    let made = bank::default_bank_bytes();
    for n in 1..=16 {
        let p = dir.join(format!("octatrack/blank-project/bank{n:02}.work"));
        let want = std::fs::read(&p).unwrap();
        let first_diff = made.iter().zip(&want).position(|(a, b)| a != b);
        assert_eq!(first_diff, None, "{}", p.display());
        assert_eq!(made.len(), want.len());
    }
}

#[test]
fn bank_copy_fixture_has_parts_1_to_4_at_36583() {
    let Some(bytes) = fixture("part_assignment", "bank-copy/BANK-COPY-SRC/bank01.work") else { return };
    let b = Bank::read(&bytes).unwrap();
    let parts: Vec<u8> = (0..16).map(|p| b.pattern(p).part()).collect();
    assert_eq!(&parts[..4], &[0, 1, 2, 3]);
    assert!(parts[4..].iter().all(|&p| p == 0));
    let lengths: Vec<u8> = (0..4).map(|p| b.pattern(p).master_length()).collect();
    assert_eq!(lengths, [16, 32, 48, 64]);
    // The other candidate offsets hold something else: +36 585 (ot-tools-io) is 0 everywhere,
    // +36 581 (octapy) is the scale mode, 0 everywhere.
    for p in 0..4 {
        assert_eq!(b.pattern(p).byte(pattern::UPSTREAM_PART_ASSIGNMENT), 0);
        assert_eq!(b.pattern(p).byte(pattern::SCALE_MODE), 0);
    }
    assert_eq!(b.pattern(0).tempo_x24(), 2880);
    // Names and saved state of the saved parts TEST1-4.
    let names: Vec<String> = (0..4).map(|i| b.part_name(i)).collect();
    assert_eq!(names, ["TEST1", "TEST2", "TEST3", "TEST4"]);
    assert!((0..4).all(|i| b.part_saved_state(i) == 1));
    assert_eq!(b.disputed_0x9b4b2(), 14);
    // Pattern 1 track 1 has trigs on steps 1 and 9 (mask bytes 6 and 7 = 1).
    assert_eq!(pattern::steps_of(b.pattern(0).audio_track(0).trigs()), vec![1, 9]);
    assert_eq!(b.patterns_with_trigs(), vec![0, 1, 2, 3]);
}

#[test]
fn demo_bank_has_a_flex_machine_on_the_first_recorder_buffer() {
    let Some(bytes) = fixture("demo_bank", "demo-set/DEMO-SET-1/BLANK/bank01.work") else { return };
    let b = Bank::read(&bytes).unwrap();
    let part = b.part(PartCopy::Working, 0);
    assert_eq!(part.machine(0), 1, "Flex");
    assert_eq!(part.byte(groovekit_octatrack::raw::part::SLOTS + 1), 128, "flex slot 129 (0-based 128)");
    assert_eq!(part.byte(groovekit_octatrack::raw::part::VOLUMES), 113);
    assert_eq!(b.part(PartCopy::Saved, 0).machine(0), 0, "the saved copy is untouched");
    assert_eq!(part.volume(0), (113, 108));
    assert_eq!((part.static_slot(0), part.flex_slot(0), part.recorder_slot(0)), (0, 128, 128));
    assert_eq!((part.fx1(0), part.fx2(0)), (4, 8), "filter, delay");
    assert_eq!(part.active_scenes(), (0, 8));
}

#[test]
fn typed_part_setters_write_only_their_bytes() {
    let mut b = Bank::new_default();
    {
        let mut p = b.part_mut(PartCopy::Saved, 2);
        p.set_fx(5, 12, 20);
        p.set_volume(5, 90, 100);
        p.set_slots(5, 10, 129, 130);
        p.set_scene_lock(15, 7, 15, 42);
    }
    let again = Bank::read(&b.to_bytes()).unwrap();
    let p = again.part(PartCopy::Saved, 2);
    assert_eq!((p.fx1(5), p.fx2(5), p.volume(5)), (12, 20, (90, 100)));
    assert_eq!((p.static_slot(5), p.flex_slot(5), p.recorder_slot(5)), (10, 129, 130));
    assert_eq!(p.scene_locks(15, 7)[15], 42);
    let default = Bank::new_default();
    let changed = (0..again.as_bytes().len() - 2).filter(|&i| again.as_bytes()[i] != default.as_bytes()[i]).count();
    assert_eq!(changed, 2 + 2 + 3 + 1);
}

#[test]
fn edits_survive_write_and_read_and_keep_unknown_bytes() {
    let mut b = Bank::new_default();
    // Poke an unknown byte (recorder trigs of pattern 2 track 3) to check that it survives.
    let unknown = bank::pattern_offset(1) + pattern::AUDIO_TRACKS_OFFSET + 2 * pattern::AUDIO_TRACK_SIZE + 41;
    b.bytes_mut()[unknown] = 0x5A;
    {
        let mut p = b.pattern_mut(2);
        let mut t = p.audio_track_mut(1);
        t.set_mask(0, pattern::set_of(&[1, 5, 9, 13, 64]));
        t.set_plock(4, 15, 100);
        t.set_timing(4, StepTiming { repeats: 3, condition: 19, micro: -5 });
        p.set_part(2);
        p.set_tempo_x24(133 * 24);
    }
    b.part_mut(PartCopy::Working, 3).set_machine(3, 2);
    b.set_part_name(1, "KICKS").unwrap();
    let bytes = b.to_bytes();
    let again = Bank::read(&bytes).unwrap();
    let p = again.pattern(2);
    assert_eq!(pattern::steps_of(p.audio_track(1).trigs()), vec![1, 5, 9, 13, 64]);
    assert_eq!(p.audio_track(1).plock(4)[15], 100);
    assert_eq!(p.audio_track(1).timing(4), StepTiming { repeats: 3, condition: 19, micro: -5 });
    assert_eq!(p.part(), 2);
    assert_eq!(p.tempo_x24(), 133 * 24);
    assert_eq!(again.part(PartCopy::Working, 3).machine(3), 2);
    assert_eq!(again.part_name(1), "KICKS");
    assert_eq!(again.as_bytes()[unknown], 0x5A);
    assert!(b.set_part_name(0, "TOOLONG!").is_err());
}

fn blank() -> Vec<u8> {
    bank::default_bank_bytes()
}

#[test]
fn damaged_banks_give_errors_with_offsets() {
    let good = blank();
    let e = Bank::read(&good[..1000]).unwrap_err();
    assert!(matches!(e, OtError::Truncated { actual: 1000, .. }), "{e}");
    let mut big = good.clone();
    big.push(0);
    assert!(matches!(Bank::read(&big).unwrap_err(), OtError::Oversized { .. }));
    let mut magic = good.clone();
    magic[13] = b'X';
    assert!(matches!(Bank::read(&magic).unwrap_err(), OtError::BadMagic { offset: 13, .. }));
    let mut version = good.clone();
    version[21] = 15;
    let e = Bank::read(&version).unwrap_err();
    assert!(e.to_string().contains("re-save"), "{e}");
    let mut sum = good.clone();
    sum[1000] ^= 1;
    let e = Bank::read(&sum).unwrap_err();
    assert!(matches!(e, OtError::Checksum { offset: 636_111, .. }), "{e}");
    let (lenient, state) = Bank::read_lenient(&sum).unwrap();
    assert!(!state.is_valid());
    assert!(Bank::read(&lenient.to_bytes()).is_ok(), "writing recomputes a wrong checksum");
    // A shifted TRAC header (pattern 7, track 3), checksum fixed so that only the header is wrong.
    let mut section = good.clone();
    let at = bank::pattern_offset(6) + pattern::AUDIO_TRACKS_OFFSET + 2 * pattern::AUDIO_TRACK_SIZE;
    section[at] = b'X';
    update_checksum(&mut section);
    match Bank::read(&section).unwrap_err() {
        OtError::BadSection { header: "TRAC", offset, .. } => assert_eq!(offset, at),
        e => panic!("{e}"),
    }
    let mut part = good;
    part[PartCopy::Saved.offset(2) + 1] = 0;
    update_checksum(&mut part);
    assert!(matches!(Bank::read(&part).unwrap_err(), OtError::BadSection { header: "PART", .. }));
}

#[test]
fn mutated_banks_never_panic() {
    // Deterministic byte mutations of the default bank: reading must return Ok or Err.
    let good = blank();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in 0..200 {
        let mut b = good.clone();
        for _ in 0..(1 + i % 7) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let at = (x % b.len() as u64) as usize;
            b[at] = (x >> 32) as u8;
        }
        if i % 10 == 0 {
            b.truncate((x % 700_000) as usize);
        }
        if let Ok((bank, _)) = Bank::read_lenient(&b) {
            let _ = bank.patterns_with_trigs();
            let names: Vec<String> = (0..4).map(|p| bank.part_name(p)).collect();
            assert_eq!(names.len(), 4);
        }
    }
}

/// The trig masks of the device-made bank read as the device plays them (issue 10): pattern 1
/// track 2 holds the same page twice, track 6 one trig per page.
#[test]
fn real_device_bank_reads_in_the_device_step_order() {
    let Some(bytes) = fixture("real_device_steps", "real-device/bank01.work") else { return };
    let b = Bank::read(&bytes).unwrap();
    let p = b.pattern(0);
    assert_eq!(pattern::steps_of(p.audio_track(1).trigs()), vec![1, 5, 9, 10, 11, 12, 17, 21, 25, 26, 27, 28]);
    assert_eq!(pattern::steps_of(p.audio_track(5).trigs()), vec![1, 17, 33]);
    // Tracks 3 and 4: 1 3 4 5 7 8 | 9 11 13 15 16 on page 1 only.
    assert_eq!(pattern::steps_of(p.audio_track(2).trigs()), vec![1, 3, 4, 5, 7, 8, 9, 11, 13, 15, 16]);
    // The recorder masks (layout masks 4-7) follow the same order: track 2 records on the first
    // step of each page it plays, tracks 3 and 4 every fourth step of page 1; all three sources.
    let t2 = p.audio_track(1);
    let names: Vec<&str> = t2.layout().masks.iter().map(|(n, _)| *n).collect();
    let rec = |name: &str| names.iter().position(|n| *n == name).unwrap();
    for source in ["recorder_ab", "recorder_cd", "recorder_src3"] {
        assert_eq!(pattern::steps_of(t2.mask(rec(source))), vec![1, 17], "{source}");
        assert_eq!(pattern::steps_of(p.audio_track(2).mask(rec(source))), vec![1, 5, 9, 13], "{source}");
    }
    assert_eq!(t2.mask(rec("recorder_oneshot")), 0);
    // Per-track lengths and the pattern's master length (per-track scale mode).
    assert_eq!((t2.setting(0), p.audio_track(5).setting(0)), (12, 64));
    assert_eq!((p.byte(pattern::SCALE_MODE), p.master_length()), (1, 32));
    // Micro-timing: +1/384 on step 1 of tracks 2-4, the only offsets in the file.
    for t in 1..4 {
        assert_eq!(p.audio_track(t).timing(0).micro, 1);
    }
    // Every pattern plays part 1 (+36 583 = 0). The .strd copy was saved before pattern 1 was
    // programmed: it reads, with no trigs there.
    assert!((0..16).all(|i| b.pattern(i).part() == 0));
    let Some(strd) = fixture("real_device_steps", "real-device/bank01.strd") else { return };
    let s = Bank::read(&strd).unwrap();
    assert!((0..8).all(|t| s.pattern(0).audio_track(t).trigs() == 0));
}

/// The same fixture in the document: step lists as the device shows them.
#[test]
fn real_device_bank_document_lists_the_device_steps() {
    let Some(bytes) = fixture("real_device_doc", "real-device/bank01.work") else { return };
    let yaml = groovekit_octatrack::human::bank::to_text(&bytes, groovekit_core::doc::Syntax::Yaml).unwrap();
    assert!(yaml.contains("trigs: [1, 5, 9, 10, 11, 12, 17, 21, 25, 26, 27, 28]"), "{yaml}");
    assert!(yaml.contains("trigs: [1, 17, 33]"), "{yaml}");
    assert!(yaml.contains("recorder_ab: [1, 17]"), "{yaml}");
}
