//! The sequencer's timing rules, each with its evidence. "Manual" is the Octatrack MKII user
//! manual for OS 1.40A (section, page); "reference" is `shared/reference/octatrack.md`;
//! "real-device" is the device-made fixture `fixtures/octatrack/real-device`.

/// Ticks in one step at scale 1X (one sixteenth note).
///
/// Every position the device can express is a whole number of ticks:
/// - a step lasts 1/2, 2/3, 1, 4/3, 2, 4 or 8 steps of 1X at the scales 2X, 3/2X, 1X, 3/4X,
///   1/2X, 1/4X, 1/8X ([`Scale::step_ticks`]);
/// - micro-timing is in 1/384 of the track's step (manual 12.12 MICRO TIMING; reference §11:
///   -23..+23 of 384ths), so a step must divide by 384 at every scale: 2X needs
///   `TICKS_PER_STEP / 768`, 3/2X `TICKS_PER_STEP / 576`, 3/4X `TICKS_PER_STEP / 288`;
/// - swing 50-80 % (stored 0-30) delays a swing trig by `amount / 50` of a step
///   ([`swing_ticks`]): 2X needs `/ 100`, 3/2X `/ 75`;
/// - MIDI note lengths are in 1/6 of a step ([`note_length_ticks`]).
///
/// The least common multiple of 768, 576, 288, 100, 75 and 6 is 57 600 = 2^8 x 3^2 x 5^2; the
/// test `tick_grid_holds_every_position` checks each division.
pub const TICKS_PER_STEP: u64 = 57_600;

/// Ticks in a quarter note (four steps at 1X).
pub const TICKS_PER_QUARTER: u64 = 4 * TICKS_PER_STEP;

/// A scale (tempo multiplier) of a pattern or track. Manual 12.15 SCALE SETUP, p.79: "1/8X,
/// 1/4X, 1/2X, 3/4X, 1X, 3/2X and 2X. A setting of 1/8X will play back the pattern at
/// one-eighth of the original tempo ... 3/2X will play back the pattern twice as fast as the
/// 3/4X setting." Stored codes 0 = 2X ... 6 = 1/8X (ot-tools-io `PatternScaleSettings`; the
/// real-device fixture stores 2 for 1X everywhere, and octabam PR #127 measured 2 = 1X and
/// 5 = 1/4X in an emulator of the firmware).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Scale {
    /// 2X (code 0).
    X2,
    /// 3/2X (code 1).
    X3_2,
    /// 1X (code 2).
    X1,
    /// 3/4X (code 3).
    X3_4,
    /// 1/2X (code 4).
    X1_2,
    /// 1/4X (code 5).
    X1_4,
    /// 1/8X (code 6).
    X1_8,
}

impl Scale {
    /// Every scale, by code.
    pub const ALL: [Scale; 7] = [Scale::X2, Scale::X3_2, Scale::X1, Scale::X3_4, Scale::X1_2, Scale::X1_4, Scale::X1_8];

    /// The scale of a stored code (None for a code above 6).
    pub fn from_code(code: u8) -> Option<Scale> {
        Self::ALL.get(usize::from(code)).copied()
    }

    /// The duration of one step at this scale, in ticks.
    pub const fn step_ticks(self) -> u64 {
        match self {
            Scale::X2 => TICKS_PER_STEP / 2,
            Scale::X3_2 => TICKS_PER_STEP * 2 / 3,
            Scale::X1 => TICKS_PER_STEP,
            Scale::X3_4 => TICKS_PER_STEP * 4 / 3,
            Scale::X1_2 => TICKS_PER_STEP * 2,
            Scale::X1_4 => TICKS_PER_STEP * 4,
            Scale::X1_8 => TICKS_PER_STEP * 8,
        }
    }

    /// The name the device shows (`1X`, `3/4X`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Scale::X2 => "2X",
            Scale::X3_2 => "3/2X",
            Scale::X1 => "1X",
            Scale::X3_4 => "3/4X",
            Scale::X1_2 => "1/2X",
            Scale::X1_4 => "1/4X",
            Scale::X1_8 => "1/8X",
        }
    }
}

/// A pattern's master length in steps: None = INF.
///
/// - Normal scale mode: the master length byte (+36 579), 1-64 steps, is every track's length
///   (ot-tools-io `master_len`: "Determines Pattern Length for all Tracks when NOT in Per Track
///   mode"; the bank-copy fixture holds 16/32/48/64).
/// - Per-track mode: `multiplier * 256 + length` from the bytes +36 576 and +36 577, 2-1024
///   steps, 255 in the multiplier = INF (ot-tools-io `master_len_per_track_multiplier`:
///   "0: From 2 steps to 255 steps, 1: From 256 steps to 511 steps ... 4: 1024 steps only,
///   255: INF"). The real-device pattern 1 stores (0, 64): 64 steps, as the device shows it.
///   (ot-tools-io's other comment, `(x + 1) * (mult + 1)`, would make that 65; the table and
///   the fixture agree on 64.)
pub fn master_steps(per_track: bool, normal_length: u8, multiplier: u8, length: u8) -> Option<u32> {
    if !per_track {
        return Some(u32::from(normal_length.max(1)));
    }
    if multiplier > 4 {
        return None;
    }
    Some((u32::from(multiplier) * 256 + u32::from(length)).max(1))
}

/// The swing delay of a step with the swing trig, in ticks: `amount / 50` of the track's step.
///
/// Swing is stored 0-30 and shown 50-80 % (ot-tools-io `swing_amount`: "Maximum is 30 (80 on
/// device), minimum is 0 (50 on device)"). X % swing lets the first step of a pair take X % of
/// the pair's two steps, so the second is late by `(X - 50) / 100` of two steps, i.e.
/// `amount / 50` of a step. Only steps whose swing trig is set are delayed (the swing mask,
/// device default 0xAA = every second step); a step without it plays on the grid. Inferred from
/// the usual meaning of swing percentages on Elektron machines; no device measurement.
pub fn swing_ticks(amount: u8, step_ticks: u64) -> u64 {
    u64::from(amount.min(30)) * step_ticks / 50
}

/// Micro-timing in ticks (signed): `micro / 384` of the track's step. Manual 12.12 MICRO
/// TIMING; the value range -23..+23 (reference §11, ot-tools-io's table of byte values for
/// +-1/32, +-1/64, +-1/128, +-23/384). The real-device pattern 1 tracks 2-4 step 1 store
/// `00 80`, which decodes as +1/384.
pub fn micro_ticks(micro: i8, step_ticks: u64) -> i64 {
    i64::from(micro) * (step_ticks / 384) as i64
}

/// Where the trigs of a trig count of `count` (1-8) sound, for a trig at `tick` whose next step
/// starts at `next` (its grid position plus one step): `count` ticks from `tick`, evenly spaced
/// so that one more would land on `next`; rounded down to the tick (57 600 ticks a step are not
/// divisible by 7).
///
/// Evidence: Octatrack manual 12.12 MICRO TIMING (p. 77): "TRIG COUNT sets the number of times
/// the sample trig should be trigged. A setting of 2-8 adds additional trig repeats of the
/// original trig. The additional trigs are evenly distributed between the original trig and the
/// next step"; the count is stored as `b0 >> 5` + 1 of the step's condition pair (ot-tools-io
/// "trig counts", reference §1.2). Inferred (the manual does not say): the spacing divides the
/// span by the count (the added trigs and the next step's trig evenly spaced), the added trigs
/// carry the trig's locks, and the trig's condition decides for all of them.
pub fn repeat_ticks(tick: i64, next: i64, count: u8) -> impl Iterator<Item = i64> {
    let n = i64::from(count.clamp(1, 8));
    let span = (next - tick).max(0);
    (0..n).map(move |k| tick + span * k / n)
}

/// The length code of a MIDI note that means INF.
pub const NOTE_LENGTH_INF: u8 = 127;

/// A MIDI note's LEN code in ticks of a step of `step_ticks`: code / 6 of a step; 127 = INF
/// (None).
///
/// Evidence: the real-device part MIDI tracks store 6 as the default LEN, which the device
/// shows as 1/16 (one step); octapy's `NoteLength` enum (tested against device-made banks)
/// says "Values are MIDI ticks at 24 PPQN": 3 = 1/32, 6 = 1/16, 12 = 1/8, 24 = 1/4, 48 = 1/2.
/// That the scale is linear past 48 and that 127 is INF are inferred (the LEN knob ends at
/// INF); no device file holds them.
pub fn note_length_ticks(code: u8, step_ticks: u64) -> Option<u64> {
    (code < NOTE_LENGTH_INF).then(|| u64::from(code.max(1)) * step_ticks / 6)
}

/// What evaluating a trig condition needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ConditionContext {
    /// The track's pass, 1-based.
    pub pass: u32,
    /// The FILL switch.
    pub fill: bool,
    /// The most recent condition result on this track (PRE), None when none was evaluated yet.
    pub previous: Option<bool>,
    /// The most recent condition result on the neighbour track (NEI), None when none.
    pub neighbour: Option<bool>,
    /// A random draw 0-99 for `%` conditions.
    pub draw: u8,
}

/// Probabilities of conditions 9-29, in percent (ot-tools-io `TrigCondition`).
pub const PROBABILITIES: [u8; 21] = [1, 2, 4, 6, 9, 13, 19, 25, 33, 41, 50, 59, 67, 75, 81, 87, 91, 94, 96, 98, 99];

/// The (A, B) of an `A:B` condition code 30-64 (device order 1:2, 2:2, 1:3, 2:3, 3:3, 1:4 ...
/// 8:8).
pub fn ratio(code: u8) -> Option<(u32, u32)> {
    if !(30..=64).contains(&code) {
        return None;
    }
    let mut n = u32::from(code - 30);
    let mut b = 2u32;
    while n >= b {
        n -= b;
        b += 1;
    }
    Some((n + 1, b))
}

/// Whether a condition code is PRE/!PRE/NEI/!NEI: those read other results and are left out
/// when later PRE/NEI trigs look for "the most recent result".
pub fn reads_other_results(code: u8) -> bool {
    (3..=6).contains(&code)
}

/// Whether condition `code` lets a trig play.
///
/// - Manual 12.13 CONDITIONAL LOCKS, p.78: FILL is true while fill mode is active, !FILL when
///   it is not (12.14 FILL MODE); PRE is true when the most recently evaluated condition on the
///   same track was true, !PRE when it was false; NEI the same for the neighbour track (the
///   previous track: T2 reads T1; T1 has no neighbour); 1ST is true on the first pass only,
///   !1ST on every other; X% is true with probability X; A:B is true on pass A of every B:
///   "1:2 plays passes 1, 3, 5 ...; 2:4 plays 2, 6, 10". The reference §11 and the sibling
///   manual of Model:Samples (p.28) add that a PRE/NEI trig with nothing to read is false and
///   that PRE/NEI trigs do not count as results themselves ([`reads_other_results`]).
/// - Codes from ot-tools-io (0 none, 1-8 FILL..!1ST, 9-29 probabilities, 30-64 A:B); unknown
///   codes are treated as no condition.
pub fn condition_holds(code: u8, c: &ConditionContext) -> bool {
    match code {
        1 => c.fill,
        2 => !c.fill,
        3 => c.previous == Some(true),
        4 => c.previous == Some(false),
        5 => c.neighbour == Some(true),
        6 => c.neighbour == Some(false),
        7 => c.pass == 1,
        8 => c.pass != 1,
        9..=29 => {
            let p = PROBABILITIES.get(usize::from(code - 9)).copied().unwrap_or(100);
            c.draw < p
        }
        30..=64 => match ratio(code) {
            Some((a, b)) => c.pass >= 1 && (c.pass - 1) % b == a - 1,
            None => true,
        },
        _ => true,
    }
}

/// A small, seeded random number generator (SplitMix64) for `%` conditions: one draw per
/// evaluated `%` trig, in time order, so a seed always gives the same run on every platform.
#[derive(Debug, Clone)]
pub struct Draws(u64);

impl Draws {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next draw, 0-99.
    pub fn next_percent(&mut self) -> u8 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z % 100) as u8 // ok: < 100
    }
}
