//! The replayer's rules (reference §2), one small module per rule or effect, built with the
//! writer and loaded back, checked tick by tick against values worked out by hand.
//!
//! Each rule test runs on the players' time grid (50 Hz ticks, row 0 first, every note on its
//! tick: [`Timing::PLAYERS`]) so that it checks one rule; the original's three timing rules
//! (PAL frame ticks, row −1, the DMA restart of normal channels) have tests of their own.

use groovekit_okt::model::{Cell, Module, Pattern, Sample};
use groovekit_okt::render::{Compat, EndReason, Player, RenderOptions, TickState, Timing};

/// The original's rules on the players' time grid.
fn grid() -> RenderOptions {
    RenderOptions { timing: Timing::PLAYERS, ..RenderOptions::default() }
}

/// A sample of `len` bytes (data 1, 2, 3, ...), loop in words, volume and mode.
fn smp(len: u32, rs: u16, rl: u16, volume: u16, mode: u16) -> Sample {
    Sample {
        name: *b"test\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
        length: len,
        repeat_start: rs,
        repeat_length: rl,
        volume,
        mode,
        data: Some((0..len & !1).map(|i| (i % 50) as u8).collect()),
    }
}

fn c(note: u8, instrument: u8, effect: u8, param: u8) -> Cell {
    Cell { note, instrument, effect, param }
}

const E: Cell = Cell { note: 0, instrument: 0, effect: 0, param: 0 };

/// Builds a module, writes it, loads it back (so the writer is exercised too).
fn module(flags: [u16; 4], speed: u16, samples: Vec<Sample>, patterns: Vec<Vec<Vec<Cell>>>, order: &[u8]) -> Module {
    let mut samples = samples;
    samples.resize(36, Sample::default());
    let mut table = order.to_vec();
    table.resize(128, 0);
    let m = Module {
        channel_flags: flags,
        samples,
        speed,
        pattern_count: patterns.len() as u16,
        song_length: order.len() as u16,
        order: table,
        patterns: patterns
            .into_iter()
            .map(|rows| Pattern {
                rows: rows.len() as u16,
                data: rows.iter().flat_map(|r| r.iter().flat_map(|c| c.to_bytes())).collect(),
            })
            .collect(),
        ..Module::default()
    };
    let bytes = m.to_bytes();
    let (back, warnings) = Module::load(&bytes).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(back.to_bytes(), bytes);
    back
}

fn trace_with(m: &Module, opts: RenderOptions) -> (Vec<TickState>, groovekit_okt::render::RenderStats) {
    let mut p = Player::new(m, RenderOptions { rate: 50, ..opts });
    let mut out = Vec::new();
    while let Some(t) = p.tick(None) {
        out.push(t);
        assert!(out.len() < 100_000);
    }
    (out, p.stats().clone())
}

fn trace(m: &Module) -> Vec<TickState> {
    trace_with(m, grid()).0
}

/// A 4-channel row with `cell` on channel 0.
fn row4(cell: Cell) -> Vec<Cell> {
    vec![cell, E, E, E]
}

fn periods(t: &[TickState], ch: usize) -> Vec<i32> {
    t.iter().map(|s| s.channels[ch].period).collect()
}

#[test]
fn ticks_rows_and_song_end() {
    // Speed 3, two 2-row patterns in order [0, 1]: 4 rows × 3 ticks, then the song wraps to
    // order 0 row 0, a visited position, and ends.
    let m = module([0; 4], 3, vec![smp(100, 0, 0, 64, 1)], vec![vec![row4(E); 2], vec![row4(E); 2]], &[0, 1]);
    let t = trace(&m);
    assert_eq!(t.len(), 12);
    let pos: Vec<(usize, i32, u8)> = t.iter().map(|s| (s.order, s.row, s.tick)).collect();
    assert_eq!(pos[0], (0, 0, 0));
    assert_eq!(pos[2], (0, 0, 2));
    assert_eq!(pos[3], (0, 1, 0));
    assert_eq!(pos[6], (1, 0, 0));
    assert_eq!(pos[11], (1, 1, 2));
    assert_eq!(t[6].pattern, 1);
}

#[test]
fn notes_set_period_and_sample_volume_on_normal_channels() {
    // C-2 = note 13 = period 428; a normal channel takes the sample's volume (40).
    let m = module([0; 4], 2, vec![smp(1000, 0, 0, 40, 1)], vec![vec![row4(c(13, 0, 0, 0)), row4(E)]], &[0]);
    let t = trace(&m);
    assert_eq!(t[0].channels[0].period, 428);
    assert_eq!(t[0].channels[0].note, 13);
    assert_eq!(t[0].channels[0].volume, 40);
    assert_eq!(t[0].channels[0].sample, Some(0));
    // Other Paula channels keep the initial 64.
    assert_eq!(t[0].channels[1].volume, 64);
    // The period persists on the next row.
    assert_eq!(t[2].channels[0].period, 428);
}

#[test]
fn split_pairs_share_one_volume_and_ignore_sample_volume() {
    // CMOD 1,0,0,0: channels 0 and 1 are the two voices of Paula channel 0.
    let smps = vec![smp(1000, 0, 0, 20, 0), smp(1000, 0, 0, 30, 1)];
    let rows = vec![
        // Row 0: a 7-bit note on voice 0 (sample volume 20 not applied), a normal note on ch 2.
        vec![c(13, 0, 0, 0), E, c(13, 1, 0, 0), E, E],
        // Row 1: V10 on voice 0 and V20 on voice 1 in the same tick: the second voice wins.
        vec![c(0, 0, 31, 0x10), c(0, 0, 31, 0x20), E, E, E],
        // Row 2: V on voice 0 alone changes both voices' volume.
        vec![c(0, 0, 31, 0x08), E, E, E, E],
    ];
    let m = module([1, 0, 0, 0], 1, smps, vec![rows], &[0]);
    assert_eq!(m.channels(), 5);
    let t = trace(&m);
    assert_eq!((t[0].channels[0].volume, t[0].channels[1].volume), (64, 64));
    assert_eq!(t[0].channels[2].volume, 30);
    assert_eq!((t[1].channels[0].volume, t[1].channels[1].volume), (0x20, 0x20));
    assert_eq!((t[2].channels[0].volume, t[2].channels[1].volume), (8, 8));
}

#[test]
fn mode_mismatches_are_ignored_and_the_old_sound_continues() {
    // Sample 0 mode 1 (8-bit: normal channels only), sample 1 mode 0 (pairs only).
    let smps = vec![smp(1000, 0, 0, 64, 1), smp(1000, 0, 0, 64, 0)];
    let rows = vec![
        // Voice 0 of a pair gets the 8-bit sample: ignored. Normal ch 2 plays sample 0 at C-2.
        vec![c(13, 0, 0, 0), E, c(13, 0, 0, 0), E, E],
        // Ch 2 gets the pairs-only sample at D-2: ignored, C-2 on sample 0 continues.
        vec![E, E, c(15, 1, 0, 0), E, E],
    ];
    let m = module([1, 0, 0, 0], 1, smps, vec![rows], &[0]);
    let (t, stats) = trace_with(&m, grid());
    assert_eq!(t[0].channels[0].sample, None);
    assert_eq!(t[0].channels[0].period, 0);
    assert_eq!(t[1].channels[2].sample, Some(0));
    assert_eq!(t[1].channels[2].period, 428);
    assert!(t[1].channels[2].position.unwrap() > 0, "the old note keeps playing, not restarted");
    assert_eq!(stats.mode_mismatches, 2);
}

#[test]
fn invalid_notes_and_instruments_are_ignored() {
    // Note 37 (above B-3), instrument 40 (beyond the table) and an empty sample slot.
    let smps = vec![smp(1000, 0, 0, 64, 1), smp(0, 0, 0, 64, 1)];
    let rows = vec![vec![c(37, 0, 0, 0), c(13, 40, 0, 0), c(13, 1, 0, 0), c(13, 0, 0, 0)]];
    let m = module([0; 4], 1, smps, vec![rows], &[0]);
    let (t, stats) = trace_with(&m, grid());
    assert_eq!(t[0].channels[0].sample, None);
    assert_eq!(t[0].channels[1].sample, None);
    assert_eq!(t[0].channels[2].sample, None);
    assert_eq!(t[0].channels[3].sample, Some(0));
    assert_eq!(stats.invalid_notes, 3);
}

#[test]
fn portamento_runs_every_tick_including_tick_0_and_clamps() {
    let s = vec![smp(1000, 0, 0, 64, 1)];
    // Effect 1 (period down = pitch up) by 5 at speed 3: 423, 418, 413, then no effect: held.
    let m = module([0; 4], 3, s.clone(), vec![vec![row4(c(13, 0, 1, 5)), row4(E)]], &[0]);
    assert_eq!(periods(&trace(&m), 0), vec![423, 418, 413, 413, 413, 413]);
    // Effect 2 by 100 from B-2 (226): 326, 426, 526.
    let m = module([0; 4], 3, s.clone(), vec![vec![row4(c(24, 0, 2, 100))]], &[0]);
    assert_eq!(periods(&trace(&m), 0), vec![326, 426, 526]);
    // Clamps: from B-3 (113) down by 10 stays 113; from C-1 (856) up stays 856.
    let m = module([0; 4], 2, s.clone(), vec![vec![row4(c(36, 0, 1, 10)), row4(c(1, 0, 2, 10))]], &[0]);
    assert_eq!(periods(&trace(&m), 0), vec![113, 113, 856, 856]);
}

#[test]
fn arpeggios_follow_the_tick_tables() {
    let s = vec![smp(1000, 0, 0, 64, 1)];
    // Note C-2 (428). hi = 3, lo = 7: N-3 = A-1 (508), N+7 = G-2 (285), N-hi.. per table.
    // A (10): t%3 → N-hi, N, N+lo.
    let m = module([0; 4], 6, s.clone(), vec![vec![row4(c(13, 0, 10, 0x37))]], &[0]);
    assert_eq!(periods(&trace(&m), 0), vec![508, 428, 285, 508, 428, 285]);
    // B (11): t&3 → N, N+lo, N, N-hi.
    let m = module([0; 4], 6, s.clone(), vec![vec![row4(c(13, 0, 11, 0x37))]], &[0]);
    assert_eq!(periods(&trace(&m), 0), vec![428, 285, 428, 508, 428, 285]);
    // C (12), 1.57: t=0 unchanged, then N+hi, N+lo, N. hi = 3 → D#-2 (360).
    let m = module([0; 4], 6, s.clone(), vec![vec![row4(c(13, 0, 12, 0x37))]], &[0]);
    assert_eq!(periods(&trace(&m), 0), vec![428, 360, 285, 428, 360, 285]);
    // Arpeggio notes clamp to the table: C-1 with hi = 2 plays C-1 (856) for N-hi.
    let m = module([0; 4], 3, s, vec![vec![row4(c(1, 0, 10, 0x20))]], &[0]);
    assert_eq!(periods(&trace(&m), 0), vec![856, 856, 856]);
}

#[test]
fn note_slides() {
    let s = vec![smp(1000, 0, 0, 64, 1)];
    // D (13) by 1 every tick from C-2: B-1 453, A#1 480, A-1 508; held on the next row.
    let m = module([0; 4], 3, s.clone(), vec![vec![row4(c(13, 0, 13, 1)), row4(E)]], &[0]);
    let t = trace(&m);
    assert_eq!(periods(&t, 0), vec![453, 480, 508, 508, 508, 508]);
    assert_eq!(t[2].channels[0].note, 10);
    // U (30) by 2 every tick: D-2 381, E-2 339, F#2 302.
    let m = module([0; 4], 3, s.clone(), vec![vec![row4(c(13, 0, 30, 2))]], &[0]);
    assert_eq!(periods(&trace(&m), 0), vec![381, 339, 302]);
    // L (21) once at tick 0: B-1 453 for the whole row.
    let m = module([0; 4], 3, s.clone(), vec![vec![row4(c(13, 0, 21, 1))]], &[0]);
    assert_eq!(periods(&trace(&m), 0), vec![453, 453, 453]);
    // H (17) once at tick 0 by 12: C-3 214.
    let m = module([0; 4], 3, s.clone(), vec![vec![row4(c(13, 0, 17, 12))]], &[0]);
    assert_eq!(periods(&trace(&m), 0), vec![214, 214, 214]);
    // The note may leave the table: D by 20 from C-2 twice → note -27 (1-based), period 856;
    // U by 30 on the next row brings it back to note 3 (D-1, 762), not to the clamped C-1+30.
    let m = module([0; 4], 2, s, vec![vec![row4(c(13, 0, 13, 20)), row4(c(0, 0, 30, 15))]], &[0]);
    let t = trace(&m);
    assert_eq!(t[1].channels[0].note, -27);
    assert_eq!(periods(&t, 0), vec![856, 856, 856, 762]);
}

#[test]
fn volume_effect_ranges() {
    let s = vec![smp(1000, 0, 0, 64, 1)];
    let vols = |param: u8, start: u8| {
        // Row 0 sets the start volume, row 1 runs the effect at speed 3.
        let m = module([0; 4], 3, s.clone(), vec![vec![row4(c(0, 0, 31, start)), row4(c(0, 0, 31, param))]], &[0]);
        trace(&m)[3..].iter().map(|t| t.channels[0].volume).collect::<Vec<_>>()
    };
    assert_eq!(vols(0x20, 64), vec![32, 32, 32]); // set
    assert_eq!(vols(0x42, 64), vec![62, 60, 58]); // down 2 per tick, tick 0 included
    assert_eq!(vols(0x4f, 20), vec![5, 0, 0]); // clamp at 0
    assert_eq!(vols(0x53, 10), vec![13, 16, 19]); // up 3 per tick
    assert_eq!(vols(0x5f, 60), vec![64, 64, 64]); // clamp at 64
    assert_eq!(vols(0x65, 30), vec![25, 25, 25]); // down once at tick 0
    assert_eq!(vols(0x74, 30), vec![34, 34, 34]); // up once at tick 0
    assert_eq!(vols(0x80, 30), vec![30, 30, 30]); // nothing
    assert_eq!(vols(0x41, 0x40), vec![63, 62, 61]);
}

#[test]
fn speed_effect_and_reset_on_the_natural_wrap() {
    let s = vec![smp(1000, 0, 0, 64, 1)];
    // SPEE 2; row 0 sets speed 3 (S13 → 0x13 & 15), row 1 has S00 (ignored). Played twice,
    // the second pass starts at speed 2 again.
    let m = module([0; 4], 2, s.clone(), vec![vec![row4(c(0, 0, 28, 0x13)), row4(c(0, 0, 28, 0))]], &[0]);
    let (t, _) = trace_with(&m, RenderOptions { loops: 2, ..grid() });
    let speeds: Vec<u8> = t.iter().map(|s| s.speed).collect();
    assert_eq!(speeds, vec![3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3]);
    // Row 0 tick 0 already runs at the new speed: 3 ticks per row, 2 rows, 2 passes = 12 ticks.
    // Now with the speed change in the last row only: pass 1 = 2 + 3 ticks, pass 2 = 2 + 3.
    let m = module([0; 4], 2, s.clone(), vec![vec![row4(E), row4(c(0, 0, 28, 3))]], &[0]);
    let (t, _) = trace_with(&m, RenderOptions { loops: 2, ..grid() });
    let speeds: Vec<u8> = t.iter().map(|s| s.speed).collect();
    assert_eq!(speeds, vec![2, 2, 3, 3, 3, 2, 2, 3, 3, 3]);
    // A P jump back to 0 does not reset the speed: the song then ends at the revisit.
    let m = module([0; 4], 2, s, vec![vec![row4(E), row4(c(0, 0, 28, 3))], vec![row4(c(0, 0, 25, 0))]], &[0, 1]);
    let (t, stats) = trace_with(&m, grid());
    assert_eq!(t.len(), 2 + 3 + 3);
    assert_eq!(stats.end, EndReason::Revisited);
}

#[test]
fn position_jump_is_decimal_and_bounded_by_the_song_length() {
    let s = vec![smp(1000, 0, 0, 64, 1)];
    // 12 order positions, all pattern 0 except position 10 (pattern 1) and 11 (pattern 2).
    let mut order = vec![0u8; 12];
    order[10] = 1;
    order[11] = 2;
    // P10 (0x10 = decimal 10) in pattern 0 row 0 jumps to position 10 after the row.
    let pats = vec![vec![row4(c(0, 0, 25, 0x10))], vec![row4(E)], vec![row4(E)]];
    let m = module([0; 4], 1, s.clone(), pats, &order);
    let t = trace(&m);
    assert_eq!((t[1].order, t[1].pattern), (10, 1));
    // P12 is beyond PLEN 12: ignored, the song goes on to position 1.
    let pats = vec![vec![row4(c(0, 0, 25, 0x12))], vec![row4(E)], vec![row4(E)]];
    let m = module([0; 4], 1, s, pats, &order);
    let t = trace(&m);
    assert_eq!(t[1].order, 1);
    assert_eq!(t.len(), 12);
}

#[test]
fn invalid_order_entries_are_skipped() {
    let m = module([0; 4], 1, vec![smp(100, 0, 0, 64, 1)], vec![vec![row4(E)]], &[0, 7, 0]);
    let (t, stats) = trace_with(&m, grid());
    assert_eq!(t.iter().map(|s| s.order).collect::<Vec<_>>(), vec![0, 2]);
    assert_eq!(stats.invalid_orders, 1);
}

/// Play positions at period 856 advance 3546895 / 856 / 50 = 82.87 bytes per tick.
#[test]
fn sustain_loop_and_release() {
    // 2000 bytes, loop start 100 words (200 bytes), length 100 words: loop [200, 400),
    // release part [400, 2000).
    let s = vec![smp(2000, 100, 100, 64, 1)];
    let pos = |t: &[TickState]| t.iter().map(|s| s.channels[0].position).collect::<Vec<_>>();
    // Without R: 0, 82, 165, 248 (in the loop from 200), 331, 414-200 = 214, 297, 380, 262.
    let m = module([0; 4], 9, s.clone(), vec![vec![row4(c(1, 0, 0, 0))]], &[0]);
    let p = pos(&trace(&m));
    assert_eq!(p, [0, 82, 165, 248, 331, 214, 297, 380, 262].map(Some).to_vec());
    // R on the second row (tick 4). The original (1.57: OK_Nop) ignores it: the loop goes on.
    let rows = vec![row4(c(1, 0, 0, 0)), row4(c(0, 0, 27, 0)), row4(E), row4(E), row4(E), row4(E), row4(E), row4(E)];
    let m = module([0; 4], 4, s.clone(), vec![rows], &[0]);
    let (t, stats) = trace_with(&m, grid());
    assert_eq!(&pos(&t)[..7], &[0, 82, 165, 248, 331, 214, 297].map(Some));
    assert!(pos(&t).iter().all(Option::is_some));
    assert_eq!(stats.releases, 1);
    // With --compat openmpt (its key-off; V1.1's rs_release): the loop pass ends at 400 and
    // the release part follows: 414 instead of 214, then on to 2000 and silence.
    let openmpt = RenderOptions { compat: Compat::Openmpt, ..grid() };
    let p = pos(&trace_with(&m, openmpt.clone()).0);
    assert_eq!(&p[..7], &[0, 82, 165, 248, 331, 414, 497].map(Some));
    // (2000 - 414.36) / 82.87 = 19.1: the last sounding tick starts at 414 + 19 × 82.87.
    assert_eq!(p[5 + 19], Some(1988));
    assert_eq!(p[5 + 20], None);
    // A loop that runs to the end of the sample has no release part: R does nothing.
    let s2 = vec![smp(400, 100, 100, 64, 1)];
    let m = module([0; 4], 4, s2, vec![vec![row4(c(1, 0, 0, 0)), row4(c(0, 0, 27, 0))]], &[0]);
    let p = pos(&trace_with(&m, openmpt.clone()).0);
    assert_eq!(p[5], Some(214));
    // R on a sample without a loop does nothing either: it plays to its end.
    let m =
        module([0; 4], 4, vec![smp(2000, 0, 0, 64, 1)], vec![vec![row4(c(1, 0, 0, 0)), row4(c(0, 0, 27, 0))]], &[0]);
    assert_eq!(pos(&trace_with(&m, openmpt).0)[5], Some(414));
}

/// A split voice (CMOD 1,0,0,0: channels 0 and 1 share Paula channel 0) playing `cell`.
fn split_row(cell: Cell) -> Vec<Cell> {
    vec![cell, E, E, E, E]
}

#[test]
fn portamento_does_nothing_on_split_voices() {
    // OK_EffectTab_Tick0 (the split voices' table) has 0 for effects 1 and 2: split E-2
    // (note 17, period 339) with `1 02` at speed 3 stays at 339 on every tick.
    let s = vec![smp(2000, 0, 0, 64, 0)];
    let m = module([1, 0, 0, 0], 3, s.clone(), vec![vec![split_row(c(17, 0, 1, 2))]], &[0]);
    let (t, stats) = trace_with(&m, grid());
    assert_eq!(periods(&t, 0), vec![339, 339, 339]);
    assert_eq!(stats.split_portamentos, 1);
    let m = module([1, 0, 0, 0], 3, s.clone(), vec![vec![split_row(c(17, 0, 2, 2))]], &[0]);
    assert_eq!(periods(&trace(&m), 0), vec![339, 339, 339]);
    // The players slide split voices like normal channels: --compat openmpt and xmp do too.
    let m = module([1, 0, 0, 0], 3, s, vec![vec![split_row(c(17, 0, 1, 2))]], &[0]);
    for compat in [Compat::Openmpt, Compat::Xmp] {
        assert_eq!(periods(&trace_with(&m, RenderOptions { compat, ..grid() }).0, 0), vec![337, 335, 333]);
    }
}

#[test]
fn split_voice_note_limit_applies_when_mixing() {
    let s = vec![smp(4000, 0, 0, 64, 0)];
    let split = |cell: Cell, speed: u16, opts: RenderOptions| {
        let m = module([1, 0, 0, 0], speed, s.clone(), vec![vec![split_row(cell)]], &[0]);
        periods(&trace_with(&m, opts).0, 0)
    };
    // B-3 with D03 at speed 4: the slide starts from B-3 as played (notes 32, 29, 26, 23, all
    // below the limit), not from A-3.
    assert_eq!(split(c(36, 0, 13, 3), 4, grid()), vec![135, 160, 190, 226]);
    // L01: B-3 − 1 = A#3, limited to A-3 (127); L03: G#3 (135). A plain B-3 plays as A-3.
    assert_eq!(split(c(36, 0, 21, 1), 2, grid()), vec![127, 127]);
    assert_eq!(split(c(36, 0, 21, 3), 2, grid()), vec![135, 135]);
    assert_eq!(split(c(36, 0, 0, 0), 2, grid()), vec![127, 127]);
    // The limited note is written back: B-3 with D01 gives A#3 → A-3 (127) on tick 0, then
    // G#3 (135) and G-3 (143) from the written-back A-3, while the base note goes 34, 33, 32.
    assert_eq!(split(c(36, 0, 13, 1), 3, grid()), vec![127, 135, 143]);
    // Arpeggios read the unlimited base note: A with hi 3 from B-3 gives G#3 (135), then B-3
    // limited to A-3 (127), then B-3 + 0 (127).
    assert_eq!(split(c(36, 0, 10, 0x30), 3, grid()), vec![135, 127, 127]);
    // libopenmpt ≥ 0.8 limits when the note triggers and slides from A-3; libxmp and
    // --no-pair-note-clamp have no limit.
    let openmpt = RenderOptions { compat: Compat::Openmpt, ..grid() };
    assert_eq!(split(c(36, 0, 13, 3), 4, openmpt.clone()), vec![151, 180, 214, 254]);
    assert_eq!(split(c(36, 0, 10, 0x30), 3, openmpt), vec![151, 127, 127]);
    let xmp = RenderOptions { compat: Compat::Xmp, ..grid() };
    assert_eq!(split(c(36, 0, 0, 0), 2, xmp), vec![113, 113]);
    let unlimited = RenderOptions { pair_note_clamp: false, ..grid() };
    assert_eq!(split(c(36, 0, 13, 1), 3, unlimited), vec![120, 127, 135]);
}

#[test]
fn old_volume_keeps_the_volume_across_a_note_on_normal_channels() {
    // Row 0: a note (sample volume 50) and V20. Row 1: a new note with O00: the sample
    // volume is undone, 0x20 stays. Row 2: O42 restores and slides down 2 per tick.
    let s = vec![smp(4000, 0, 0, 50, 1)];
    let rows = vec![row4(c(13, 0, 31, 0x20)), row4(c(13, 0, 24, 0)), row4(c(0, 0, 24, 0x42))];
    let m = module([0; 4], 2, s, vec![rows], &[0]);
    let vols = |t: &[TickState]| t.iter().map(|s| s.channels[0].volume).collect::<Vec<_>>();
    assert_eq!(vols(&trace(&m)), vec![0x20, 0x20, 0x20, 0x20, 0x1e, 0x1c]);
    // The players ignore O: the note takes its sample volume.
    let (t, _) = trace_with(&m, RenderOptions { compat: Compat::Openmpt, ..grid() });
    assert_eq!(vols(&t), vec![0x20, 0x20, 50, 50, 50, 50]);
}

#[test]
fn the_original_starts_at_row_minus_one() {
    // Speed 3: three silent ticks of row −1, then row 0 (played once, so 6 ticks in all).
    let m = module([0; 4], 3, vec![smp(2000, 0, 0, 64, 1)], vec![vec![row4(c(13, 0, 0, 0))]], &[0]);
    let timing = Timing { lead_in_row: true, ..Timing::PLAYERS };
    let (t, stats) = trace_with(&m, RenderOptions { timing, ..grid() });
    let rows: Vec<(i32, u8)> = t.iter().map(|s| (s.row, s.tick)).collect();
    assert_eq!(rows, vec![(-1, 0), (-1, 1), (-1, 2), (0, 0), (0, 1), (0, 2)]);
    assert!(t[..3].iter().all(|s| s.channels[0].sample.is_none()));
    assert_eq!(t[3].channels[0].period, 428);
    assert_eq!(stats.ticks, 6);
}

#[test]
fn the_original_ticks_at_the_pal_frame_rate() {
    // 71051 colour clocks per frame: at period 428 Paula reads 71051 / 428 = 166.0 bytes a
    // tick (82.99 at 856), where 50 Hz gives 165.7.
    let m = module([0; 4], 3, vec![smp(4000, 0, 0, 64, 1)], vec![vec![row4(c(13, 0, 0, 0))]], &[0]);
    let timing = Timing { pal_frame_rate: true, ..Timing::PLAYERS };
    let (t, _) = trace_with(&m, RenderOptions { timing, ..grid() });
    let p: Vec<Option<u32>> = t.iter().map(|s| s.channels[0].position).collect();
    assert_eq!(p, vec![Some(0), Some(166), Some(332)]);
    // Three ticks at 48 kHz: tick n starts at frame n × 48000 × 71051 / 3546895.
    let mut frames = 0;
    let stats = groovekit_okt::render::render(&m, RenderOptions { timing, rate: 48_000, ..grid() }, |b| {
        frames += b.len() / 2;
        Ok::<_, ()>(())
    })
    .unwrap();
    assert_eq!(frames, 3 * 48_000 * 71_051 / 3_546_895);
    assert_eq!(frames, 2884);
    assert_eq!(stats.frames, 2884);
    // At 50 Hz the same row is exactly 3 × 960 frames.
    let stats =
        groovekit_okt::render::render(&m, RenderOptions { rate: 48_000, ..grid() }, |_| Ok::<_, ()>(())).unwrap();
    assert_eq!(stats.frames, 2880);
}

#[test]
fn normal_channel_notes_start_a_tick_after_split_voice_notes() {
    // One row at speed 3 with C-2 on a split voice (channel 0) and on a normal channel (2).
    // The split voice plays from tick 0; the normal channel's DMA is off for tick 0 and the
    // note starts from the sample's start on tick 1.
    let s = vec![smp(4000, 0, 0, 64, 2)];
    let m = module([1, 0, 0, 0], 3, s, vec![vec![vec![c(13, 0, 0, 0), E, c(13, 0, 0, 0), E, E]]], &[0]);
    let timing = Timing { dma_restart_delay: true, ..Timing::PLAYERS };
    let (t, _) = trace_with(&m, RenderOptions { timing, ..grid() });
    let pos = |ch: usize| t.iter().map(|s| s.channels[ch].position).collect::<Vec<_>>();
    assert_eq!(pos(0), vec![Some(0), Some(165), Some(331)]);
    assert_eq!(pos(2), vec![None, Some(0), Some(165)]);
    // The period and volume are set on tick 0 all the same.
    assert_eq!((t[0].channels[2].period, t[0].channels[2].sample), (428, Some(0)));
    // Rendered: the normal channel (Paula 1, right) is silent for the first tick.
    let mut out = Vec::new();
    groovekit_okt::render::render(&m, RenderOptions { timing, rate: 8000, ..grid() }, |b| {
        out.extend_from_slice(b);
        Ok::<_, ()>(())
    })
    .unwrap();
    let right: Vec<f32> = out.chunks_exact(2).map(|f| f[1]).collect();
    assert!(right[..160].iter().all(|&x| x == 0.0));
    assert!(right[161..320].iter().any(|&x| x != 0.0));
}

#[test]
fn the_default_is_the_original_and_the_players_compat_modes_use_their_timing() {
    assert_eq!(RenderOptions::default().timing, Timing::ORIGINAL);
    assert_eq!(Compat::Original.timing(), Timing::ORIGINAL);
    assert_eq!(Compat::Openmpt.timing(), Timing::PLAYERS);
    assert_eq!(Compat::Xmp.timing(), Timing::PLAYERS);
    // All three together: row −1 at speed 2 and a normal note starting a tick late.
    let m = module([0; 4], 2, vec![smp(4000, 0, 0, 64, 1)], vec![vec![row4(c(13, 0, 0, 0))]], &[0]);
    let (t, _) = trace_with(&m, RenderOptions { rate: 50, ..RenderOptions::default() });
    let p: Vec<(i32, Option<u32>)> = t.iter().map(|s| (s.row, s.channels[0].position)).collect();
    assert_eq!(p, vec![(-1, None), (-1, None), (0, None), (0, Some(0))]);
    let secs = groovekit_okt::render::duration_seconds(&m);
    assert!((secs - 4.0 * 71_051.0 / 3_546_895.0).abs() < 1e-12, "{secs}");
}

#[test]
fn split_voices_never_loop_and_clamp_the_top_notes() {
    // A looped 7-bit sample on a split voice plays [0, 400) once: 400 / 82.87 = 4.8 ticks.
    let s = vec![smp(400, 50, 100, 64, 2)];
    let m = module([1, 0, 0, 0], 8, s.clone(), vec![vec![vec![c(1, 0, 0, 0), E, E, E, E]]], &[0]);
    let t = trace(&m);
    let p: Vec<Option<u32>> = t.iter().map(|s| s.channels[0].position).collect();
    assert_eq!(p, vec![Some(0), Some(82), Some(165), Some(248), Some(331), None, None, None]);
    // The same sample on a normal channel loops.
    let m = module([1, 0, 0, 0], 8, s.clone(), vec![vec![vec![E, E, c(1, 0, 0, 0), E, E]]], &[0]);
    assert!(trace(&m).iter().all(|s| s.channels[2].position.is_some()));
    // B-3 (36) and A#3 (35) on a split voice play as A-3 (127); on a normal channel B-3 is 113.
    let m = module(
        [1, 0, 0, 0],
        1,
        s.clone(),
        vec![vec![vec![c(36, 0, 0, 0), c(35, 0, 0, 0), c(36, 0, 0, 0), E, E]]],
        &[0],
    );
    let t = trace(&m);
    assert_eq!((t[0].channels[0].period, t[0].channels[1].period, t[0].channels[2].period), (127, 127, 113));
    let (t, _) = trace_with(&m, RenderOptions { pair_note_clamp: false, ..grid() });
    assert_eq!((t[0].channels[0].period, t[0].channels[1].period), (113, 120));
}

#[test]
fn filter_effect_is_recorded() {
    let m =
        module([0; 4], 1, vec![smp(100, 0, 0, 64, 1)], vec![vec![row4(c(0, 0, 15, 1)), row4(c(0, 0, 15, 0))]], &[0]);
    let t = trace(&m);
    assert_eq!((t[0].filter, t[1].filter), (true, false));
}

#[test]
fn rendering_levels_follow_volume_and_seven_bit_data() {
    // One 8-bit sample of constant +64 at volume 64 on Paula channel 0 (hard left): the left
    // output is 64/128 × 0.5 (master) = 0.25; at volume 32 it halves. A 7-bit sample of +32
    // on a split voice gives 32/128 × 0.5 = 0.125; compat xmp doubles 7-bit data.
    let mut s8 = smp(2000, 0, 0, 64, 1);
    s8.data = Some(vec![64; 2000]);
    let mut s7 = smp(2000, 0, 0, 64, 2);
    s7.data = Some(vec![32; 2000]);
    let level = |m: &Module, opts: RenderOptions| {
        let mut out = Vec::new();
        groovekit_okt::render::render(m, RenderOptions { rate: 8000, ..opts }, |b| {
            out.extend_from_slice(b);
            Ok::<_, ()>(())
        })
        .unwrap();
        (out[20], out[21])
    };
    let m = module([0; 4], 4, vec![s8.clone()], vec![vec![row4(c(13, 0, 0, 0))]], &[0]);
    assert_eq!(level(&m, grid()), (0.25, 0.0));
    let m = module([0; 4], 4, vec![s8], vec![vec![row4(c(13, 0, 31, 32))]], &[0]);
    assert_eq!(level(&m, grid()), (0.125, 0.0));
    let m = module([1, 0, 0, 0], 4, vec![s7], vec![vec![vec![c(13, 0, 0, 0), E, E, E, E]]], &[0]);
    assert_eq!(level(&m, grid()), (0.125, 0.0));
    let xmp = RenderOptions { compat: groovekit_okt::render::Compat::Xmp, ..grid() };
    // xmp: doubled data, pans at 25/75 %: left gain 0.75 × 0.5, right 0.25 × 0.5.
    assert_eq!(level(&m, xmp), (0.25 * 0.75, 0.25 * 0.25));
    // Mono: a quarter of the sum of all channels.
    let mono = RenderOptions { channels: 1, ..grid() };
    let mut out = Vec::new();
    groovekit_okt::render::render(&m, RenderOptions { rate: 8000, ..mono }, |b| {
        out.extend_from_slice(b);
        Ok::<_, ()>(())
    })
    .unwrap();
    assert_eq!(out[10], 0.25 * 0.25);
}

#[test]
fn hostile_modules_render_within_the_caps() {
    let s = vec![smp(1000, 0, 0, 64, 1)];
    // Zero rows plays as one row; effect bytes of 32 and up are ignored.
    let mut m = module([0; 4], 2, s.clone(), vec![vec![row4(c(13, 0, 32, 0xff)), row4(c(13, 0, 255, 1))]], &[0, 0]);
    m.patterns[0].rows = 0;
    let t = trace(&m);
    // Two order positions of one row each, at speed 2.
    assert_eq!(t.len(), 4);
    assert_eq!((t[2].order, t[2].row), (1, 0));
    assert_eq!(t[0].channels[0].period, 428);
    // 65535 rows with no cell data (a truncated PBOD) would play for 2.7 hours at speed 6:
    // the time cap stops it.
    let mut m = module([0; 4], 6, s, vec![vec![row4(E)]], &[0]);
    m.patterns[0] = Pattern { rows: u16::MAX, data: Vec::new() };
    let opts = RenderOptions { rate: 1000, max_seconds: 20, ..grid() };
    let mut frames = 0;
    let stats = groovekit_okt::render::render(&m, opts, |b| {
        frames += b.len() / 2;
        Ok::<_, ()>(())
    })
    .unwrap();
    assert_eq!(stats.end, EndReason::Cap);
    assert_eq!(frames, 20 * 1000);
    // An order list whose every entry lacks a pattern renders nothing and says why.
    let mut m = module([0; 4], 6, vec![smp(10, 0, 0, 64, 1)], vec![vec![row4(E)]], &[3, 4]);
    m.patterns.clear();
    let (t, stats) = trace_with(&m, grid());
    assert!(t.is_empty());
    assert_eq!(stats.end, EndReason::NoPatterns);
}

#[test]
fn a_voice_ending_mid_tick_leaves_silence_and_a_pan_group_sums_its_voices() {
    // A one-shot 8-bit sample of constant +64 (300 bytes) at C-2 (period 428: 8 287 Hz) on
    // Paula channels 0 and 3, both left, rendered at 8 000 Hz: 160 frames per tick and
    // 1.0359 bytes per frame, so frame 288 is the last inside the data, frame 289 fades
    // towards silence and the sample has ended by frame 290, in the second tick.
    let mut s = smp(300, 0, 0, 64, 1);
    s.data = Some(vec![64; 300]);
    let m = module([0; 4], 6, vec![s], vec![vec![vec![c(13, 0, 0, 0), E, E, c(13, 0, 0, 0)]]], &[0]);
    let mut out = Vec::new();
    groovekit_okt::render::render(&m, RenderOptions { rate: 8000, ..grid() }, |b| {
        out.extend_from_slice(b);
        Ok::<_, ()>(())
    })
    .unwrap();
    let (left, right): (Vec<f32>, Vec<f32>) = out.chunks_exact(2).map(|f| (f[0], f[1])).unzip();
    // One row at speed 6: 6 ticks of 160 frames.
    assert_eq!(left.len(), 960);
    // Each voice gives 64/128 at volume 64; the group's two voices add to 1.0; hard left at
    // master 0.5 gives 0.5.
    assert!(left[..=288].iter().all(|&x| x == 0.5), "{:?}", &left[280..292]);
    assert!(left[289] > 0.0 && left[289] < 0.5);
    // After the end: silence, not what the group buffer held from the tick before.
    assert!(left[290..].iter().all(|&x| x == 0.0), "{:?}", &left[288..300]);
    assert!(right.iter().all(|&x| x == 0.0));
}
