use super::rules::{self, Scale, TICKS_PER_STEP};
use super::*;
use crate::model::arrangement::{PatternRow, Row};
use crate::model::bank::{Bank, Condition};
use crate::model::project::Project as ProjectFile;

const S: u64 = TICKS_PER_STEP;

fn blank() -> (Bank, ProjectFile) {
    (Bank::new(1), ProjectFile::new_default())
}

/// Puts a trig on audio track `t` step `step` of pattern 1 with `condition`.
fn trig(bank: &mut Bank, t: u8, step: u8, condition: &str) {
    let mut s = bank.audio_step(1, t, step).expect("step");
    s.trig = true;
    s.condition = Condition::parse(condition).expect("condition");
    bank.set_audio_step(1, t, step, &s).expect("set");
}

fn run(bank: &Bank, settings: &ProjectFile, opts: &Options) -> Timeline {
    let mut src = OneBank { bank, settings };
    expand_patterns_from(&mut src, 1, &[1], opts).expect("expand")
}

/// The passes in which track `t` plays step `step`.
fn passes_of(t: &Timeline, track: TrackId, step: u8) -> Vec<u32> {
    t.track(track).filter(|e| e.step == step && matches!(e.kind, EventKind::AudioTrig(_))).map(|e| e.pass).collect()
}

fn per_track(bank: &mut Bank, master: [u8; 3]) {
    let mut ps = bank.pattern(1).expect("pattern");
    ps.per_track = true;
    ps.per_track_master = master;
    bank.set_pattern(1, &ps).expect("set pattern");
}

fn track_len(bank: &mut Bank, t: u8, length: u8, scale: u8) {
    let mut ts = bank.audio_track(1, t).expect("track");
    ts.length = length;
    ts.scale = scale;
    bank.set_audio_track(1, t, &ts).expect("set track");
}

#[test]
fn tick_grid_holds_every_position() {
    let expected = [S / 2, S * 2 / 3, S, S * 4 / 3, 2 * S, 4 * S, 8 * S];
    for (scale, want) in Scale::ALL.iter().zip(expected) {
        let d = scale.step_ticks();
        assert_eq!(d, want, "{}", scale.name());
        assert_eq!(d % 384, 0, "micro-timing at {}", scale.name());
        for amount in 0..=30u64 {
            assert_eq!(amount * d % 50, 0, "swing {amount} at {}", scale.name());
        }
        assert_eq!(d % 6, 0, "note length at {}", scale.name());
    }
    // 3/4X: four steps take the time of three at 1X; 3/2X: three take the time of two.
    assert_eq!(Scale::X3_4.step_ticks() * 3, S * 4);
    assert_eq!(Scale::X3_2.step_ticks() * 3, S * 2);
    assert_eq!(rules::micro_ticks(1, S), 150);
    assert_eq!(rules::micro_ticks(-23, Scale::X3_4.step_ticks()), -23 * 200);
    assert_eq!(rules::micro_ticks(1, Scale::X3_2.step_ticks()), 100);
}

#[test]
fn every_ratio_condition_over_8_passes_follows_the_manual_table() {
    // Manual 12.13: "1:2 plays passes 1, 3, 5 ...; 2:4 plays 2, 6, 10": pass A of every B.
    let table: [(&str, &[u32]); 35] = [
        ("1:2", &[1, 3, 5, 7]),
        ("2:2", &[2, 4, 6, 8]),
        ("1:3", &[1, 4, 7]),
        ("2:3", &[2, 5, 8]),
        ("3:3", &[3, 6]),
        ("1:4", &[1, 5]),
        ("2:4", &[2, 6]),
        ("3:4", &[3, 7]),
        ("4:4", &[4, 8]),
        ("1:5", &[1, 6]),
        ("2:5", &[2, 7]),
        ("3:5", &[3, 8]),
        ("4:5", &[4]),
        ("5:5", &[5]),
        ("1:6", &[1, 7]),
        ("2:6", &[2, 8]),
        ("3:6", &[3]),
        ("4:6", &[4]),
        ("5:6", &[5]),
        ("6:6", &[6]),
        ("1:7", &[1, 8]),
        ("2:7", &[2]),
        ("3:7", &[3]),
        ("4:7", &[4]),
        ("5:7", &[5]),
        ("6:7", &[6]),
        ("7:7", &[7]),
        ("1:8", &[1]),
        ("2:8", &[2]),
        ("3:8", &[3]),
        ("4:8", &[4]),
        ("5:8", &[5]),
        ("6:8", &[6]),
        ("7:8", &[7]),
        ("8:8", &[8]),
    ];
    let opts = Options { passes: 8, ..Options::default() };
    for (cond, want) in table {
        let (mut bank, settings) = blank();
        trig(&mut bank, 1, 1, cond);
        let t = run(&bank, &settings, &opts);
        assert_eq!(passes_of(&t, TrackId::Audio(1), 1), want, "{cond}");
        // Each pass starts 16 steps after the previous one.
        for e in t.track(TrackId::Audio(1)) {
            assert_eq!(e.tick, u64::from(e.pass - 1) * 16 * S, "{cond}");
        }
    }
    // And 2:4 on pass 10, over 10 passes.
    let (mut bank, settings) = blank();
    trig(&mut bank, 1, 1, "2:4");
    let t = run(&bank, &settings, &Options { passes: 10, ..Options::default() });
    assert_eq!(passes_of(&t, TrackId::Audio(1), 1), [2, 6, 10]);
}

#[test]
fn fill_first_and_their_negations_over_8_passes() {
    let all: Vec<u32> = (1..=8).collect();
    for (cond, fill, want) in [
        ("fill", false, vec![]),
        ("fill", true, all.clone()),
        ("!fill", false, all.clone()),
        ("!fill", true, vec![]),
        ("1st", false, vec![1]),
        ("!1st", false, (2..=8).collect()),
        ("none", false, all.clone()),
    ] {
        let (mut bank, settings) = blank();
        trig(&mut bank, 1, 1, cond);
        let t = run(&bank, &settings, &Options { passes: 8, fill, ..Options::default() });
        assert_eq!(passes_of(&t, TrackId::Audio(1), 1), want, "{cond} fill={fill}");
    }
}

#[test]
fn pre_and_nei_read_the_latest_result_on_their_track_and_the_neighbour() {
    let (mut bank, settings) = blank();
    // T1: 1:2 on step 1, PRE on step 5, !PRE on step 9.
    trig(&mut bank, 1, 1, "1:2");
    trig(&mut bank, 1, 5, "pre");
    trig(&mut bank, 1, 9, "!pre");
    // T2: NEI and !NEI on step 3 and 4 read T1's 1:2.
    trig(&mut bank, 2, 3, "nei");
    trig(&mut bank, 2, 4, "!nei");
    // T1 step 13 with NEI: T1 has no neighbour, so never.
    trig(&mut bank, 1, 13, "nei");
    let t = run(&bank, &settings, &Options { passes: 4, ..Options::default() });
    assert_eq!(passes_of(&t, TrackId::Audio(1), 5), [1, 3]);
    assert_eq!(passes_of(&t, TrackId::Audio(1), 9), [2, 4]);
    assert_eq!(passes_of(&t, TrackId::Audio(2), 3), [1, 3]);
    assert_eq!(passes_of(&t, TrackId::Audio(2), 4), [2, 4]);
    assert!(passes_of(&t, TrackId::Audio(1), 13).is_empty());
    // PRE with nothing evaluated before it on the track: false.
    let (mut bank, settings) = blank();
    trig(&mut bank, 3, 1, "pre");
    let t = run(&bank, &settings, &Options { passes: 2, ..Options::default() });
    assert!(passes_of(&t, TrackId::Audio(3), 1).is_empty());
}

#[test]
fn probabilities_repeat_with_a_seed_and_follow_their_percentage() {
    let (mut bank, settings) = blank();
    for step in 1..=16 {
        trig(&mut bank, 1, step, "50%");
        trig(&mut bank, 2, step, "1%");
        trig(&mut bank, 3, step, "99%");
    }
    let opts = Options { passes: 64, seed: 7, ..Options::default() };
    let a = run(&bank, &settings, &opts);
    let b = run(&bank, &settings, &opts);
    assert_eq!(a.events, b.events, "same seed, same run");
    let c = run(&bank, &settings, &Options { seed: 8, ..opts.clone() });
    assert_ne!(a.events, c.events, "another seed, another run");
    let count = |t: &Timeline, n| t.track(TrackId::Audio(n)).count();
    let total = 16 * 64;
    assert!((total * 40 / 100..=total * 60 / 100).contains(&count(&a, 1)), "50%: {}", count(&a, 1));
    assert!(count(&a, 2) < total * 4 / 100, "1%: {}", count(&a, 2));
    assert!(count(&a, 3) > total * 96 / 100, "99%: {}", count(&a, 3));
}

#[test]
fn three_quarter_and_three_half_scales_are_exact() {
    let (mut bank, settings) = blank();
    per_track(&mut bank, [0, 16, 2]); // master 16 steps at 1X
    track_len(&mut bank, 1, 12, 3); // 3/4X: 12 steps take 16 steps of 1X
    track_len(&mut bank, 2, 16, 1); // 3/2X: 16 steps in 2/3 of the time
    for s in 1..=12 {
        trig(&mut bank, 1, s, "none");
    }
    for s in 1..=16 {
        trig(&mut bank, 2, s, "none");
    }
    let t = run(&bank, &settings, &Options::default());
    let t1: Vec<u64> = t.track(TrackId::Audio(1)).map(|e| e.tick).collect();
    let want: Vec<u64> = (0..12).map(|k| k * 4 * S / 3).collect();
    assert_eq!(t1, want);
    assert_eq!(t1.last().copied(), Some(11 * 76_800));
    // 3/2X: a 16-step loop takes 2/3 of 16 steps; the master (16 steps of 1X) holds 1.5 loops.
    let t2: Vec<(u64, u8, u32)> = t.track(TrackId::Audio(2)).map(|e| (e.tick, e.step, e.pass)).collect();
    let mut want = Vec::new();
    for k in 0..24u64 {
        want.push((k * 38_400, (k % 16) as u8 + 1, (k / 16) as u32 + 1));
    }
    assert_eq!(t2, want);
    assert_eq!(t.end, 16 * S);
}

#[test]
fn swing_delays_only_steps_with_the_swing_trig() {
    let (mut bank, settings) = blank();
    let mut ts = bank.audio_track(1, 1).expect("track");
    ts.swing_amount = 30; // 80 %
    bank.set_audio_track(1, 1, &ts).expect("set");
    for s in 1..=4 {
        trig(&mut bank, 1, s, "none");
    }
    // Step 3 without its swing trig (the default mask swings 2, 4, 6 ...).
    let mut st = bank.audio_step(1, 1, 4).expect("step");
    st.swing = false;
    bank.set_audio_step(1, 1, 4, &st).expect("set");
    let t = run(&bank, &settings, &Options::default());
    let ticks: Vec<u64> = t.track(TrackId::Audio(1)).map(|e| e.tick).collect();
    // 80 %: the second step of a pair is late by 30/50 of a step.
    assert_eq!(ticks, [0, S + 30 * S / 50, 2 * S, 3 * S]);
    assert_eq!(ticks[1], 92_160);
}

#[test]
fn micro_timing_moves_a_trig_by_384ths_of_its_step() {
    let (mut bank, settings) = blank();
    per_track(&mut bank, [0, 16, 2]);
    track_len(&mut bank, 1, 16, 3); // 3/4X
    let mut s = bank.audio_step(1, 1, 2).expect("step");
    s.trig = true;
    s.swing = false;
    s.micro = -23;
    bank.set_audio_step(1, 1, 2, &s).expect("set");
    let t = run(&bank, &settings, &Options::default());
    let e: Vec<u64> = t.track(TrackId::Audio(1)).map(|e| e.tick).collect();
    assert_eq!(e, [4 * S / 3 - 23 * (4 * S / 3) / 384]);
}

#[test]
fn trigs_past_the_length_never_play() {
    // The multipart case: tracks 16 steps long, a trig on step 49.
    let (mut bank, settings) = blank();
    trig(&mut bank, 3, 49, "none");
    trig(&mut bank, 3, 1, "none");
    let t = run(&bank, &settings, &Options { passes: 4, ..Options::default() });
    assert!(passes_of(&t, TrackId::Audio(3), 49).is_empty());
    assert_eq!(passes_of(&t, TrackId::Audio(3), 1), [1, 2, 3, 4]);
    // Per-track mode: a 64-step track under a 16-step master restarts before step 17.
    let (mut bank, settings) = blank();
    per_track(&mut bank, [0, 16, 2]);
    track_len(&mut bank, 3, 64, 2);
    trig(&mut bank, 3, 49, "none");
    let t = run(&bank, &settings, &Options { passes: 4, ..Options::default() });
    assert!(passes_of(&t, TrackId::Audio(3), 49).is_empty());
    let l = pattern_lengths(&bank, 1).expect("lengths");
    assert_eq!(l.playable_steps(TrackId::Audio(3)), 16);
    // INF: the 64-step track runs on and plays step 49 in the first pass of 64 steps.
    per_track(&mut bank, [255, 255, 2]);
    let t = run(&bank, &settings, &Options::default());
    assert_eq!(t.track(TrackId::Audio(3)).map(|e| e.tick).collect::<Vec<_>>(), [48 * S]);
    assert_eq!(pattern_lengths(&bank, 1).expect("lengths").master_steps, None);
}

#[test]
fn the_master_track_plays_no_sample() {
    let (mut bank, mut settings) = blank();
    trig(&mut bank, 8, 1, "none");
    trig(&mut bank, 7, 1, "none");
    let t = run(&bank, &settings, &Options::default());
    let e = t.track(TrackId::Audio(8)).next().expect("trig");
    assert!(matches!(&e.kind, EventKind::AudioTrig(a) if a.plays_sample && a.machine == "static"));
    settings.set_setting("MASTER_TRACK", 1).expect("setting");
    let t = run(&bank, &settings, &Options::default());
    let e = t.track(TrackId::Audio(8)).next().expect("trig");
    assert!(matches!(&e.kind, EventKind::AudioTrig(a) if !a.plays_sample && a.machine == "master" && a.slot.is_none()));
    let e = t.track(TrackId::Audio(7)).next().expect("trig");
    assert!(matches!(&e.kind, EventKind::AudioTrig(a) if a.plays_sample && a.slot == Some((SlotType::Static, 7))));
}

#[test]
fn trigless_and_oneshot_trigs() {
    let (mut bank, settings) = blank();
    let mut s = bank.audio_step(1, 1, 1).expect("step");
    s.trigless = true;
    bank.set_audio_step(1, 1, 1, &s).expect("set");
    let mut s = bank.audio_step(1, 2, 1).expect("step");
    s.trig = true;
    s.oneshot = true;
    bank.set_audio_step(1, 2, 1, &s).expect("set");
    let t = run(&bank, &settings, &Options { passes: 3, ..Options::default() });
    let t1: Vec<_> = t.track(TrackId::Audio(1)).collect();
    assert_eq!(t1.len(), 3);
    assert!(t1.iter().all(|e| matches!(&e.kind, EventKind::AudioTrig(a) if a.trigless && !a.plays_sample)));
    assert_eq!(passes_of(&t, TrackId::Audio(2), 1), [1]);
}

#[test]
fn midi_notes_use_locks_then_the_part_defaults() {
    let (mut bank, settings) = blank();
    let mut s = bank.midi_step(1, 1, 1).expect("step");
    s.trig = true;
    bank.set_midi_step(1, 1, 1, &s).expect("set");
    let mut s = bank.midi_step(1, 1, 5).expect("step");
    s.trig = true;
    s.set_note(Some(60), Some(90), Some(12)).expect("note");
    s.set_lock("note.not2", Some(67)).expect("chord");
    s.set_lock("note.not3", Some(71)).expect("chord");
    s.set_lock("ctrl1.cc1", Some(5)).expect("cc");
    bank.set_midi_step(1, 1, 5, &s).expect("set");
    let mp = bank.midi_part_track(1, crate::raw::bank::PartCopy::Working, 1).expect("part");
    let t = run(&bank, &settings, &Options::default());
    let notes: Vec<(u64, MidiNote)> = t
        .track(TrackId::Midi(1))
        .filter_map(|e| match &e.kind {
            EventKind::Note(n) => Some((e.tick, n.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(notes.len(), 2);
    let (t0, n0) = &notes[0];
    assert_eq!((*t0, n0.note, n0.velocity, n0.len_code), (0, mp.note, mp.velocity, mp.length));
    assert_eq!(n0.length, u64::from(mp.length) * S / 6);
    assert!(n0.chord.is_empty());
    let (t1, n1) = &notes[1];
    assert_eq!((*t1, n1.note, n1.velocity, n1.length), (4 * S, 60, 90, 2 * S));
    assert_eq!(n1.chord, [63, 67]);
    assert_eq!(n1.channel, mp.channel);
    // The CC1 lock is sent with the trig at step 5, on the CC number of the part's setup, and the
    // part's value comes back on the next trig (step 1 of the next pass).
    let cc1 = mp.param("ctrl1_setup.cc1").expect("cc number") as u8;
    let sent: Vec<(u64, u8)> = t
        .track(TrackId::Midi(1))
        .filter_map(|e| match &e.kind {
            EventKind::Control(c) if c.controller == Controller::Cc(cc1) => Some((e.tick, c.value)),
            _ => None,
        })
        .collect();
    let default = mp.param("ctrl1.cc1").expect("value") as u8;
    assert_eq!(sent, [(0, default), (4 * S, 5)]);
}

#[test]
fn arrangement_rows_repeat_mute_transpose_and_loop() {
    let (mut bank, settings) = blank();
    trig(&mut bank, 1, 1, "none");
    trig(&mut bank, 2, 1, "none");
    let mut s = bank.midi_step(1, 1, 1).expect("step");
    s.trig = true;
    s.set_note(Some(60), None, None).expect("note");
    bank.set_midi_step(1, 1, 1, &s).expect("set");
    let mut row = PatternRow::new(1, 1);
    row.repeats = 1;
    row.mute_mask = 0b10; // T2 muted
    row.transpose[0] = 12;
    row.tempo = Some(90.0);
    let mut short = PatternRow::new(1, 1);
    short.offset = 4;
    short.length = 8;
    let rows = vec![
        Row::Pattern(row),
        Row::Reminder("VERSE".into()),
        Row::Pattern(short),
        Row::Loop { count: 2, target: 3 },
        Row::Loop { count: 0, target: 5 },
    ];
    let mut src = OneBank { bank: &bank, settings: &settings };
    let t = expand_rows_from(&mut src, &rows, &Options { max_loops: 4, ..Options::default() }).expect("expand");
    // Row 1 twice (16 steps each), row 3 three times (8 steps from step 5), then the halt.
    let lens: Vec<(u64, u64, Option<u16>, f64)> =
        t.segments.iter().map(|s| (s.start, s.length, s.row, s.tempo)).collect();
    let project_tempo = settings.tempo_bpm().expect("tempo");
    assert_eq!(
        lens,
        [
            (0, 16 * S, Some(1), 90.0),
            (16 * S, 16 * S, Some(1), 90.0),
            (32 * S, 8 * S, Some(3), project_tempo),
            (40 * S, 8 * S, Some(3), project_tempo),
            (48 * S, 8 * S, Some(3), project_tempo)
        ]
    );
    assert_eq!(t.end, 56 * S);
    assert_eq!(t.track(TrackId::Audio(1)).map(|e| e.tick).collect::<Vec<_>>(), [0, 16 * S]);
    assert_eq!(t.track(TrackId::Audio(2)).count(), 0, "muted");
    let notes: Vec<u8> = t
        .track(TrackId::Midi(1))
        .filter_map(|e| match &e.kind {
            EventKind::Note(n) => Some(n.note),
            _ => None,
        })
        .collect();
    assert_eq!(notes, [72, 72], "transposed by 12; the offset rows skip step 1");
    assert_eq!(t.segments[2].label, "row 3: A01");
}

#[test]
fn endless_loops_stop_at_the_bound() {
    let (bank, settings) = blank();
    let rows = vec![Row::Pattern(PatternRow::new(1, 1)), Row::Loop { count: 0, target: 1 }];
    let mut src = OneBank { bank: &bank, settings: &settings };
    let t = expand_rows_from(&mut src, &rows, &Options { max_loops: 3, ..Options::default() }).expect("expand");
    assert_eq!(t.segments.len(), 4);
    assert!(t.not_expanded.iter().any(|n| n.contains("loop at row 2")));
}

#[test]
fn condition_names_and_ratio_codes_agree() {
    for code in 30..=64u8 {
        let (a, b) = rules::ratio(code).expect("ratio");
        assert_eq!(crate::raw::pattern::condition_name(code), format!("{a}:{b}"));
    }
    assert_eq!(rules::master_steps(true, 16, 0, 64), Some(64));
    assert_eq!(rules::master_steps(true, 16, 4, 0), Some(1024));
    assert_eq!(rules::master_steps(true, 16, 255, 255), None);
    assert_eq!(rules::master_steps(false, 32, 0, 64), Some(32));
    assert_eq!(rules::note_length_ticks(6, S), Some(S));
    assert_eq!(rules::note_length_ticks(127, S), None);
}

#[test]
fn any_pattern_and_part_bytes_expand_without_panic() {
    // The fuzz target `octatrack_timeline`, run over a fixed stream of pseudo-random inputs.
    use crate::raw::bank::{PartCopy, pattern_offset};
    use crate::raw::part::PART_SIZE;
    use crate::raw::pattern::PATTERN_SIZE;
    let mut draws = rules::Draws::new(21);
    let mut byte = move || {
        let a = draws.next_percent();
        let b = draws.next_percent();
        (u16::from(a) * 100 + u16::from(b)) as u8
    };
    for round in 0..60u64 {
        let mut raw = crate::raw::bank::Bank::new_default();
        let (pattern, part) = (pattern_offset(0), PartCopy::Working.offset(0));
        {
            let bytes = raw.bytes_mut();
            for i in 0..12 {
                bytes[pattern + PATTERN_SIZE - 12 + i] = byte();
            }
            for i in 0..3000usize {
                let at =
                    if i % 3 == 2 { part + (i * 37) % PART_SIZE } else { pattern + 8 + (i * 97) % (PATTERN_SIZE - 20) };
                bytes[at] = byte();
            }
        }
        let bank = Bank::from_raw(raw, 1);
        let mut settings = ProjectFile::new_default();
        if round % 2 == 1 {
            settings.set_setting("MASTER_TRACK", 1).expect("setting");
        }
        let opts = Options {
            passes: (round % 4) as u32,
            fill: round % 3 == 0,
            seed: round,
            max_loops: 1,
            every_condition: round % 5 == 0,
        };
        let t = run(&bank, &settings, &opts);
        assert!(t.events.windows(2).all(|w| w[0].tick <= w[1].tick), "round {round}");
        assert!(t.events.iter().all(|e| e.tick <= t.end + 8 * S), "round {round}");
        let _ = silent::pattern_notes(&bank, 1, round % 2 == 1).expect("notes");
    }
}

/// Manual 12.12 (p. 77): a trig count of N plays the trig N times, "evenly distributed between
/// the original trig and the next step"; with micro-timing the span starts at the moved trig;
/// at 3/4X a step is 4/3 as long; the condition decides for all repeats; a MIDI note repeats
/// too, each lasting at most until the next repeat.
#[test]
fn trig_counts_repeat_the_trig_evenly_up_to_the_next_step() {
    let (mut bank, settings) = blank();
    per_track(&mut bank, [0, 16, 2]);
    track_len(&mut bank, 3, 16, 3); // T3 at 3/4X
    let mut put = |t: u8, step: u8, count: u8, micro: i8, condition: &str| {
        let mut s = bank.audio_step(1, t, step).expect("step");
        s.trig = true;
        s.swing = false;
        s.repeats = count;
        s.micro = micro;
        s.condition = Condition::parse(condition).expect("condition");
        bank.set_audio_step(1, t, step, &s).expect("set");
    };
    put(1, 1, 4, 0, "none");
    put(2, 3, 3, 12, "none"); // +12/384 of a step late
    put(3, 2, 2, 0, "none");
    put(4, 1, 8, 0, "1:2");
    let mut m = bank.midi_step(1, 1, 1).expect("step");
    m.trig = true;
    m.repeats = 2;
    m.set_note(Some(60), Some(100), Some(12)).expect("note"); // 2 steps long
    bank.set_midi_step(1, 1, 1, &m).expect("set");
    let opts = Options { passes: 2, ..Options::default() };
    let t = run(&bank, &settings, &opts);
    let audio = |n: u8, pass: u32| -> Vec<(u64, u8, u8)> {
        t.track(TrackId::Audio(n))
            .filter(|e| e.pass == pass)
            .filter_map(|e| match &e.kind {
                EventKind::AudioTrig(a) => Some((e.tick, e.step, a.repeat)),
                _ => None,
            })
            .collect()
    };
    assert_eq!(audio(1, 1), [(0, 1, 0), (S / 4, 1, 1), (S / 2, 1, 2), (3 * S / 4, 1, 3)]);
    let late = 2 * S + 12 * S / 384;
    let gap = (3 * S - late) / 3;
    assert_eq!(audio(2, 1), [(late, 3, 0), (late + gap, 3, 1), (late + 2 * gap, 3, 2)]);
    let d = 4 * S / 3;
    assert_eq!(audio(3, 1), [(d, 2, 0), (d + d / 2, 2, 1)]);
    // 1:2: all eight in pass 1, none in pass 2.
    assert_eq!(audio(4, 1).len(), 8);
    assert_eq!(audio(4, 1).last(), Some(&(16 * S * 7 / 8 / 16, 1, 7)));
    assert!(audio(4, 2).is_empty());
    let notes: Vec<(u64, u64, u8)> = t
        .track(TrackId::Midi(1))
        .filter(|e| e.pass == 1)
        .filter_map(|e| match &e.kind {
            EventKind::Note(n) => Some((e.tick, n.length, n.repeat)),
            _ => None,
        })
        .collect();
    assert_eq!(notes, [(0, S / 2, 0), (S / 2, S / 2, 1)]);
    assert!(!t.not_expanded.iter().any(|n| n.contains("trig count")), "{:?}", t.not_expanded);
}
