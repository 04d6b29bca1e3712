//! The timeline of the real-device project, event by event against times worked out by hand
//! from what the device shows: pattern 1 is in per-track mode with a master length of 64 steps
//! at 1X, tracks 12/16/64 steps long, micro-timing +1/384 on step 1 of tracks 2-4, and the
//! project has MASTER_TRACK=1 and PATTERN_TEMPO_ENABLED=0 (tempo 3027/24 = 126.125 BPM).

use groovekit_octatrack::Project;
use groovekit_octatrack::model::project::SlotType;
use groovekit_octatrack::raw::bank::PartCopy;
use groovekit_octatrack::timeline::{self, EventKind, Options, TICKS_PER_STEP, TrackId};

const S: u64 = TICKS_PER_STEP;
/// +1/384 of a 1X step.
const MICRO: u64 = S / 384;

fn real_device(test: &str) -> Option<Project> {
    let dir = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), test)?;
    Some(Project::open(&dir.join("octatrack/real-device")).expect("open"))
}

/// One audio trig as the tests compare it: tick, step, pass, plays a sample, slot.
type Trig = (u64, u8, u32, bool, Option<(SlotType, u16)>);

/// The trigs of an audio track.
fn audio(t: &timeline::Timeline, n: u8) -> Vec<Trig> {
    t.track(TrackId::Audio(n))
        .map(|e| match &e.kind {
            EventKind::AudioTrig(a) => (e.tick, e.step, e.pass, a.plays_sample, a.slot),
            other => panic!("not an audio trig: {other:?}"),
        })
        .collect()
}

#[test]
fn real_device_pattern_1_event_by_event() {
    let Some(mut project) = real_device("timeline_real_device") else { return };
    let flex = |p: &mut Project, t: u8| p.bank(1).unwrap().part_track(1, PartCopy::Working, t).unwrap().flex_slot;
    let slots: Vec<u16> = (1..=8).map(|t| flex(&mut project, t)).collect();
    let t = timeline::expand_patterns(&mut project, 1, &[1], &Options::default()).unwrap();

    assert_eq!(t.segments.len(), 1);
    let seg = &t.segments[0];
    assert_eq!((seg.start, seg.length, seg.part, seg.label.as_str()), (0, 64 * S, 1, "A01"));
    assert_eq!(seg.tempo, 3027.0 / 24.0);
    assert_eq!(t.end, 64 * S);

    // T1 (Thru, 16 steps): a trig on step 1, every 16 steps; a Thru machine plays no sample.
    let want: Vec<_> = (0..4).map(|k| (16 * k * S, 1, k as u32 + 1, false, None)).collect();
    assert_eq!(audio(&t, 1), want);

    // T2 (Flex, 12 steps): trigs 1 5 9 10 11 12 (its trigs on 17-28 lie past its length); loops
    // start at steps 1, 13, 25, 37, 49, 61; the sixth loop is cut by the master length after 4
    // steps, so only its step 1 plays. Step 1 is 1/384 late.
    let mut want = Vec::new();
    for k in 0..6u64 {
        for s in [1u64, 5, 9, 10, 11, 12] {
            let at = 12 * k + s - 1;
            if at < 64 {
                let micro = if s == 1 { MICRO } else { 0 };
                want.push((at * S + micro, s as u8, k as u32 + 1, true, Some((SlotType::Flex, slots[1]))));
            }
        }
    }
    assert_eq!(want.len(), 31);
    assert_eq!(audio(&t, 2), want);

    // T3 and T4 (Flex, 16 steps): 11 trigs a loop, 4 loops.
    for n in [3u8, 4] {
        let mut want = Vec::new();
        for k in 0..4u64 {
            for s in [1u64, 3, 4, 5, 7, 8, 9, 11, 13, 15, 16] {
                let micro = if s == 1 { MICRO } else { 0 };
                want.push((
                    (16 * k + s - 1) * S + micro,
                    s as u8,
                    k as u32 + 1,
                    true,
                    Some((SlotType::Flex, slots[usize::from(n) - 1])),
                ));
            }
        }
        assert_eq!(audio(&t, n), want, "T{n}");
    }
    // T5 (Thru, 16): step 1 four times. T6 (Flex, 64 steps): 1, 17, 33 once.
    assert_eq!(audio(&t, 5).iter().map(|e| e.0).collect::<Vec<_>>(), [0, 16 * S, 32 * S, 48 * S]);
    assert_eq!(
        audio(&t, 6),
        [1u8, 17, 33].map(|s| (u64::from(s - 1) * S, s, 1, true, Some((SlotType::Flex, slots[5])))).to_vec()
    );
    // T7, T8 and the MIDI tracks have no trigs.
    assert!(audio(&t, 7).is_empty() && audio(&t, 8).is_empty());
    assert!(t.events.iter().all(|e| matches!(e.track, TrackId::Audio(_))));
    assert_eq!(t.events.len(), 4 + 31 + 44 + 44 + 4 + 3);
    // Sorted by tick.
    assert!(t.events.windows(2).all(|w| w[0].tick <= w[1].tick));
}

#[test]
fn real_device_pattern_1_second_pass_restarts_every_track() {
    let Some(mut project) = real_device("timeline_real_device_passes") else { return };
    let one = timeline::expand_patterns(&mut project, 1, &[1], &Options::default()).unwrap();
    let two = timeline::expand_patterns(&mut project, 1, &[1], &Options { passes: 2, ..Options::default() }).unwrap();
    assert_eq!(two.segments.len(), 2);
    assert_eq!(two.end, 128 * S);
    // The master length (64) restarts T2 (12 steps) at step 65, not at 73: the second pass is the
    // first moved by 64 steps, with the loop count running on (T2 started 6 loops in pass 1).
    let first: Vec<_> = audio(&one, 2);
    let second: Vec<_> = audio(&two, 2).into_iter().filter(|e| e.0 >= 64 * S).collect();
    assert_eq!(second.len(), first.len());
    for (a, b) in first.iter().zip(&second) {
        assert_eq!((a.0 + 64 * S, a.1, a.2 + 6), (b.0, b.1, b.2));
    }
}

#[test]
fn real_device_lengths_as_the_device_applies_them() {
    let Some(mut project) = real_device("timeline_real_device_lengths") else { return };
    let bank = project.bank(1).unwrap();
    let l = timeline::pattern_lengths(bank, 1).unwrap();
    assert!(l.per_track);
    assert_eq!(l.master_steps, Some(64));
    assert_eq!(l.audio_steps, [16, 12, 16, 16, 16, 64, 16, 16]);
    assert_eq!(l.playable_steps(TrackId::Audio(2)), 12);
    assert_eq!(l.playable_steps(TrackId::Audio(6)), 64);
    // Pattern 3 is in normal mode: 16 steps for every track.
    let l3 = timeline::pattern_lengths(bank, 3).unwrap();
    assert!(!l3.per_track);
    assert_eq!(l3.master_steps, Some(16));
    assert_eq!(l3.audio_steps, [16; 8]);
    // The data that never plays: T2's trigs 17, 21, 25-28 (past its 12 steps).
    let notes = timeline::silent::pattern_notes(bank, 1, true).unwrap();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].starts_with("bank 1 pattern 1 track T2: step(s) 17, 21, 25-28 hold data that never plays"),
        "{notes:?}"
    );
}

#[test]
fn real_device_empty_arrangement_is_an_empty_timeline() {
    let Some(mut project) = real_device("timeline_real_device_arr") else { return };
    let t = timeline::expand_arrangement(&mut project, 1, &Options::default()).unwrap();
    assert!(t.segments.is_empty() && t.events.is_empty());
    assert_eq!(t.end, 0);
}

/// The octatools `full_options` arrangement (pattern rows with every field set, loop, jump and
/// halt rows) over a blank project: the expansion ends, within the loop bound, and its segments
/// follow each other without a gap.
#[test]
fn full_options_arrangement_expands_within_the_loop_bound() {
    use groovekit_octatrack::model::arrangement::Arrangement;
    use groovekit_octatrack::raw::arrangement::{Arrangement as RawArrangement, Block};
    let Some(dir) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "timeline_full_options")
    else {
        return;
    };
    let bytes = std::fs::read(dir.join("octatrack/arrangements/full_options.work")).unwrap();
    let (raw, _) = RawArrangement::read(&bytes).unwrap();
    let rows = Arrangement::from_raw(raw, 1).rows(Block::Current);
    assert!(!rows.is_empty());
    let mut project = Project::new();
    for max_loops in [1, 3] {
        let t = timeline::expand_rows_from(&mut project, &rows, &Options { max_loops, ..Options::default() }).unwrap();
        assert!(!t.segments.is_empty());
        for w in t.segments.windows(2) {
            assert_eq!(w[0].start + w[0].length, w[1].start);
        }
        assert_eq!(t.end, t.segments.last().map_or(0, |s| s.start + s.length));
        assert!(t.segments.iter().all(|s| s.row.is_some() && (1..=16).contains(&s.bank)));
    }
}
