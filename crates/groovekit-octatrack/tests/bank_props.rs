//! Property tests: random edits of the typed views (trigs, p-locks, conditions, micro-timing,
//! machines, part names, arrangement rows, markers) survive write then read, and the readable
//! document of the edited file builds back to the same bytes.

use groovekit_core::doc::Syntax;
use groovekit_octatrack::human;
use groovekit_octatrack::raw::arrangement::{Arrangement, Block, row_type};
use groovekit_octatrack::raw::bank::{Bank, PartCopy};
use groovekit_octatrack::raw::markers::{Markers, Slice};
use groovekit_octatrack::raw::pattern::{self, StepTiming};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Edit {
    Trigs { pattern: usize, track: usize, midi: bool, mask: usize, steps: u64 },
    Lock { pattern: usize, track: usize, midi: bool, step: usize, field: usize, value: u8 },
    Timing { pattern: usize, track: usize, step: usize, repeats: u8, condition: u8, micro: i8 },
    Machine { part: usize, saved: bool, track: usize, machine: u8 },
    Name { part: usize, name: String },
    Part { pattern: usize, part: u8 },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..16usize, 0..8usize, any::<bool>(), 0..5usize, any::<u64>())
            .prop_map(|(pattern, track, midi, mask, steps)| Edit::Trigs { pattern, track, midi, mask, steps }),
        (0..16usize, 0..8usize, any::<bool>(), 0..64usize, 0..32usize, any::<u8>()).prop_map(
            |(pattern, track, midi, step, field, value)| Edit::Lock { pattern, track, midi, step, field, value }
        ),
        (0..16usize, 0..8usize, 0..64usize, 0..8u8, 0..128u8, -32..32i8).prop_map(
            |(pattern, track, step, repeats, condition, micro)| Edit::Timing {
                pattern,
                track,
                step,
                repeats,
                condition,
                micro
            }
        ),
        (0..4usize, any::<bool>(), 0..8usize, 0..5u8).prop_map(|(part, saved, track, machine)| Edit::Machine {
            part,
            saved,
            track,
            machine
        }),
        (0..4usize, "[A-Z0-9 ]{0,7}").prop_map(|(part, name)| Edit::Name { part, name }),
        (0..16usize, 0..4u8).prop_map(|(pattern, part)| Edit::Part { pattern, part }),
    ]
}

fn apply(b: &mut Bank, e: &Edit) {
    match e.clone() {
        Edit::Trigs { pattern, track, midi, mask, steps } => {
            let mut p = b.pattern_mut(pattern);
            if midi {
                p.midi_track_mut(track).set_mask(mask, steps)
            } else {
                p.audio_track_mut(track).set_mask(mask, steps)
            }
        }
        Edit::Lock { pattern, track, midi, step, field, value } => {
            let mut p = b.pattern_mut(pattern);
            if midi {
                p.midi_track_mut(track).set_plock(step, field, value)
            } else {
                p.audio_track_mut(track).set_plock(step, field, value)
            }
        }
        Edit::Timing { pattern, track, step, repeats, condition, micro } => {
            b.pattern_mut(pattern).audio_track_mut(track).set_timing(step, StepTiming { repeats, condition, micro })
        }
        Edit::Machine { part, saved, track, machine } => {
            let copy = if saved { PartCopy::Saved } else { PartCopy::Working };
            b.part_mut(copy, part).set_machine(track, machine)
        }
        Edit::Name { part, name } => b.set_part_name(part, &name).unwrap(),
        Edit::Part { pattern, part } => b.pattern_mut(pattern).set_part(part),
    }
}

fn check(b: &Bank, e: &Edit) {
    match e.clone() {
        Edit::Trigs { pattern, track, midi, mask, steps } => {
            let p = b.pattern(pattern);
            let t = if midi { p.midi_track(track) } else { p.audio_track(track) };
            assert_eq!(t.mask(mask), steps);
        }
        Edit::Lock { pattern, track, midi, step, field, value } => {
            let p = b.pattern(pattern);
            let t = if midi { p.midi_track(track) } else { p.audio_track(track) };
            assert_eq!(t.plock(step)[field], value);
        }
        Edit::Timing { pattern, track, step, repeats, condition, micro } => {
            assert_eq!(b.pattern(pattern).audio_track(track).timing(step), StepTiming { repeats, condition, micro });
        }
        Edit::Machine { part, saved, track, machine } => {
            let copy = if saved { PartCopy::Saved } else { PartCopy::Working };
            assert_eq!(b.part(copy, part).machine(track), machine);
        }
        Edit::Name { part, name } => assert_eq!(b.part_name(part), name),
        Edit::Part { pattern, part } => assert_eq!(b.pattern(pattern).part(), part),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn bank_edits_survive_write_read_and_the_document(edits in proptest::collection::vec(edit(), 1..12)) {
        let mut b = Bank::new_default();
        for e in &edits {
            apply(&mut b, e);
        }
        let bytes = b.to_bytes();
        let again = Bank::read(&bytes).unwrap();
        // Everything written is read back, and the last edit (which nothing overwrites; earlier
        // ones may be overwritten by later edits of the same place) reads as set.
        prop_assert!(again.as_bytes()[..bytes.len() - 2] == b.as_bytes()[..bytes.len() - 2]);
        check(&again, edits.last().unwrap());
        for syntax in [Syntax::Yaml, Syntax::Json] {
            let text = human::bank::to_text(&bytes, syntax).unwrap();
            prop_assert!(human::bank::from_text(&text).unwrap() == bytes);
        }
    }

    #[test]
    fn arrangement_rows_survive(rows in proptest::collection::vec((0..256usize, 0..3u8, any::<[u8; 21]>(), "[A-Z ]{0,15}"), 1..10)) {
        let mut a = Arrangement::new_default(1);
        for (r, kind, body, text) in &rows {
            let mut row = a.row_mut(Block::Saved, *r);
            row.set_byte(0, *kind);
            for (i, v) in body.iter().enumerate() {
                row.set_byte(i + 1, *v);
            }
            if *kind == row_type::REMINDER {
                row.set_reminder_text(text, "row").unwrap();
            }
        }
        a.set_name(Block::Current, "PROP").unwrap();
        a.set_row_count(Block::Saved, rows.len() as u8);
        let bytes = a.to_bytes();
        let (again, state) = Arrangement::read(&bytes).unwrap();
        prop_assert!(state.is_valid());
        let (r, kind, _, text) = rows.last().unwrap();
        prop_assert_eq!(again.row(Block::Saved, *r).kind(), *kind);
        if *kind == row_type::REMINDER {
            prop_assert_eq!(again.row(Block::Saved, *r).reminder_text(), text.clone());
        }
        prop_assert_eq!(again.name(Block::Current), "PROP");
        for syntax in [Syntax::Yaml, Syntax::Json] {
            let doc = human::arrangement::to_text(&bytes, syntax).unwrap();
            prop_assert!(human::arrangement::from_text(&doc).unwrap() == bytes);
        }
    }

    #[test]
    fn markers_slots_survive(slots in proptest::collection::vec((0..264usize, any::<u32>(), any::<u32>(), 0..65usize, any::<u32>()), 1..6)) {
        let mut m = Markers::new_default();
        for (i, start, end, n, lp) in &slots {
            let mut r = m.record_mut(*i);
            r.set_trim_start(*start);
            r.set_trim_end(*end);
            for k in 0..*n {
                let l = if k % 2 == 0 { None } else { Some(*lp) };
                r.set_slice(k, Slice { start: *start, end: *end, loop_point: l });
            }
            r.set_slice_count(*n as u32);
        }
        let bytes = m.to_bytes();
        let again = Markers::read(&bytes).unwrap();
        let (i, start, end, n, _) = slots.last().unwrap();
        prop_assert_eq!(again.record(*i).trim_start(), *start);
        prop_assert_eq!(again.record(*i).trim_end(), *end);
        prop_assert_eq!(again.record(*i).slice_count(), *n as u32);
        for syntax in [Syntax::Yaml, Syntax::Json] {
            let doc = human::markers::to_text(&bytes, syntax).unwrap();
            prop_assert!(human::markers::from_text(&doc).unwrap() == bytes);
        }
    }
}

#[test]
fn timing_pairs_round_trip_for_every_value() {
    for b0 in 0..=255u8 {
        for b1 in 0..=255u8 {
            let t = StepTiming::decode(b0, b1);
            assert_eq!(t.encode(), [b0, b1]);
            assert_eq!(pattern::parse_condition(&pattern::condition_name(t.condition)), Some(t.condition));
        }
    }
}
