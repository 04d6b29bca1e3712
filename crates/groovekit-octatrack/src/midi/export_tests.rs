//! Unit tests of `midi::export` (kept beside it, out of the library source).

use super::*;
use crate::timeline::rules::{Scale, micro_ticks, note_length_ticks};

#[test]
fn the_file_resolution_keeps_every_step_micro_timing_and_note_length_exact() {
    assert_eq!(PPQ, 9_216);
    assert_eq!(TIMELINE_TICKS_PER_TICK * u64::from(PPQ), timeline::TICKS_PER_QUARTER);
    for scale in Scale::ALL {
        let step = scale.step_ticks();
        assert_eq!(step % TIMELINE_TICKS_PER_TICK, 0, "{}: a step", scale.name());
        for micro in -23i8..=23 {
            let t = micro_ticks(micro, step).unsigned_abs();
            assert_eq!(t % TIMELINE_TICKS_PER_TICK, 0, "{}: micro {micro}", scale.name());
        }
        for code in 1..127u8 {
            let t = note_length_ticks(code, step).unwrap();
            assert_eq!(t % TIMELINE_TICKS_PER_TICK, 0, "{}: LEN {code}", scale.name());
        }
    }
}

#[test]
fn swing_rounds_to_the_nearest_file_tick_half_up() {
    // Swing 1 (51 %) at 1X: 1/50 of a step = 1 152 timeline ticks = 46.08 file ticks -> 46.
    let swing = crate::timeline::rules::swing_ticks(1, timeline::TICKS_PER_STEP);
    assert_eq!(file_tick(swing), (46, true));
    // Exactly half a tick rounds up; a whole tick is not rounded.
    assert_eq!(file_tick(12), (0, true));
    assert_eq!(file_tick(13), (1, true));
    assert_eq!(file_tick(25), (1, false));
    assert_eq!(file_tick(0), (0, false));
}

#[test]
fn time_signatures_follow_the_segment_length() {
    let steps = |n: u64| n * timeline::TICKS_PER_STEP;
    assert_eq!(time_signature(steps(16)), Some((4, 4)));
    assert_eq!(time_signature(steps(64)), Some((4, 4)));
    assert_eq!(time_signature(steps(12)), Some((3, 4)));
    assert_eq!(time_signature(steps(20)), Some((5, 4)));
    assert_eq!(time_signature(steps(6)), Some((3, 8)));
    assert_eq!(time_signature(steps(7)), Some((7, 16)));
    // 3/4X: 16 steps are 21 1/3 sixteenths: no signature.
    assert_eq!(time_signature(16 * Scale::X3_4.step_ticks()), None);
    assert_eq!(time_signature(0), None);
}
