//! The replayer: Oktalyzer's playback rules (reference §2) driven tick by tick, with a fast
//! fixed-point voice mixer.
//!
//! The rules follow the original replay routine of Oktalyzer 1.57 (`OK_Play_2` in
//! `src/oktalyzer.asm` of the first commit, 36696ab, of github hitchhikr/oktalyzer; line numbers
//! below are that file's): ticks from the PAL frame interrupt, a silent row −1 before row 0,
//! notes on tick 0, every-tick effects on every tick including tick 0, one volume per Paula
//! channel shared by a split pair, no sample volume, no loops, no portamento and a mix-time
//! note limit on split voices, a normal channel's note starting one tick late (its DMA restarts
//! at the next interrupt), mode mismatches ignored, speed reset on the natural wrap.
//! Where libopenmpt or libxmp play differently, [`Compat`] switches to their behaviour for the
//! timing, the effects that the original has and they lack (and the reverse), the 7-bit gain
//! and the pan law; docs/oktalyzer.md lists every rule with its evidence.

use std::collections::HashSet;

use groovekit_audio::mix::{Interpolation, sample_at};

use crate::model::{Cell, Module, PERIODS};

/// PAL Paula clock: playback rate = `PAULA_CLOCK / period` Hz.
pub const PAULA_CLOCK: f64 = 3_546_895.0;
/// Ticks per second of the reference players (libopenmpt, libxmp: BPM 125, exactly 50 Hz).
pub const TICK_RATE: u64 = 50;
/// Paula colour clocks per PAL frame (313 lines of 227 clocks): the original's tick is one
/// video frame, `PAULA_CLOCK / PAL_FRAME_CLOCKS` ≈ 49.92 Hz. Evidence: Oktalyzer 1.57 calls its
/// replayer from a copper interrupt raised once per frame (`replay_int`, installed at line 5684
/// by `install_copper_int`); the author's own example for the replay object
/// (`original/sources/example1.s` in the same commit) calls `OK_Play` from a vertical blank
/// interrupt server (`moveq #5,d0` = INTB_VERTB, `AddIntServer`); the V1.1 replayer hooks the
/// level-3 vector and tests the VERTB bit (`btst #5,$dff01f`).
pub const PAL_FRAME_CLOCKS: u64 = 71_051;
/// Period limits (reference §2.2).
pub const MIN_PERIOD: i32 = 113;
/// Longest period.
pub const MAX_PERIOD: i32 = 856;
/// Default render cap: 20 minutes of audio, so hostile row counts cannot run for ever. A long
/// real song (128 positions of 64 rows at speed 6) lasts 16.4 minutes; the longest fixture 4.2.
/// At 48 kHz, 16-bit stereo, the cap is a 230 MB WAV. `groovekit render --max-seconds` raises it.
pub const DEFAULT_MAX_SECONDS: u32 = 1200;

/// Which player to imitate where the players and the original differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compat {
    /// The original replayer (1.57): 7-bit data as stored, hard LRRL panning, [`Timing::ORIGINAL`],
    /// no portamento on split voices, R does nothing, O restores the old volume, the split-voice
    /// note limit applied when mixing.
    #[default]
    Original,
    /// libopenmpt: 7-bit data as stored, pans at 25 %/75 %, [`Timing::PLAYERS`], portamento on
    /// split voices, R releases the sustain loop (its key-off), O ignored, A#-3/B-3 on split
    /// voices become A-3 when the note triggers (libopenmpt ≥ 0.8).
    Openmpt,
    /// libxmp / xmp: 7-bit data doubled, pans at 25 %/75 % (the xmp CLI's default `-p 50`),
    /// [`Timing::PLAYERS`], portamento on split voices, R and O ignored, no note limit.
    Xmp,
}

impl Compat {
    /// The tick timing this mode uses.
    pub fn timing(self) -> Timing {
        match self {
            Self::Original => Timing::ORIGINAL,
            Self::Openmpt | Self::Xmp => Timing::PLAYERS,
        }
    }
}

/// When ticks happen and when notes start: the three timing rules of the original that every
/// PC player skips (docs/oktalyzer.md, "Timing").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// Ticks at the PAL frame rate, `PAULA_CLOCK / PAL_FRAME_CLOCKS` ≈ 49.92 Hz, instead of 50 Hz.
    pub pal_frame_rate: bool,
    /// One silent row of `speed` ticks before row 0: the init routine (line 7252, `subq.w
    /// #1,(OK_PattY)` after clearing the line buffer) starts at row −1, and `OK_NewRow` fetches
    /// row 0 only once the first row of ticks has passed.
    pub lead_in_row: bool,
    /// A note on a normal channel is silent for its first tick and starts from the sample's
    /// start on the next: `OK_Set` (line 6728) turns the channel's DMA off and only
    /// `OK_TurnDMAOn` (line 6700), at the start of the next interrupt, turns it on again.
    /// Split voices are mixed in the interrupt that triggers them and start on time.
    pub dma_restart_delay: bool,
}

impl Timing {
    /// The original replayer's timing.
    pub const ORIGINAL: Timing = Timing { pal_frame_rate: true, lead_in_row: true, dma_restart_delay: true };
    /// libopenmpt's and libxmp's timing: 50 Hz, row 0 first, every note on its tick.
    pub const PLAYERS: Timing = Timing { pal_frame_rate: false, lead_in_row: false, dma_restart_delay: false };

    /// Seconds per tick as a fraction `(numerator, denominator)`, so that tick boundaries can be
    /// placed on output frames with integer arithmetic.
    fn seconds_per_tick(self) -> (u64, u64) {
        if self.pal_frame_rate { (PAL_FRAME_CLOCKS, PAULA_CLOCK as u64) } else { (1, TICK_RATE) }
    }

    /// Ticks per second.
    pub fn tick_rate(self) -> f64 {
        let (num, den) = self.seconds_per_tick();
        den as f64 / num as f64
    }
}

impl std::str::FromStr for Compat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "original" | "amiga" => Ok(Self::Original),
            "openmpt" => Ok(Self::Openmpt),
            "xmp" | "libxmp" => Ok(Self::Xmp),
            _ => Err(format!("unknown compatibility mode '{s}': use original, openmpt or xmp")),
        }
    }
}

/// How to render.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderOptions {
    /// Output sample rate in Hz.
    pub rate: u32,
    /// Output channels: 1 (mono) or 2 (stereo).
    pub channels: u16,
    /// How voices are resampled.
    pub interpolation: Interpolation,
    /// Stereo separation 0..=100 (100 = hard left/right as on the Amiga).
    pub stereo_separation: u8,
    /// How many passes through the song (1 = stop at the first revisited position).
    pub loops: u32,
    /// Logical channels (0-based) that are silent.
    pub muted: Vec<bool>,
    /// Which player to imitate where they differ cheaply.
    pub compat: Compat,
    /// Stop after this many seconds whatever the song does.
    pub max_seconds: u32,
    /// The order position to start at.
    pub start_order: usize,
    /// Limit split voices to A-3 as [`Compat`] does it: the original clamps the note to A-3
    /// when it mixes and writes the clamped note back (effects run on the note as played);
    /// libopenmpt ≥ 0.8 turns A#-3/B-3 into A-3 when the note triggers; libxmp has no limit.
    /// False: no limit in any mode (libopenmpt 0.6.9, libxmp).
    pub pair_note_clamp: bool,
    /// The timing rules (see [`Timing`]); [`Compat::timing`] gives each mode's.
    pub timing: Timing,
}

impl Default for RenderOptions {
    fn default() -> Self {
        Self {
            rate: 48_000,
            channels: 2,
            interpolation: Interpolation::Linear,
            stereo_separation: 100,
            loops: 1,
            muted: Vec::new(),
            compat: Compat::Original,
            max_seconds: DEFAULT_MAX_SECONDS,
            start_order: 0,
            pair_note_clamp: true,
            timing: Timing::ORIGINAL,
        }
    }
}

/// Why a render stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EndReason {
    /// The song reached a position it had already played (the reference players' rule).
    #[default]
    Revisited,
    /// No order position refers to an existing pattern.
    NoPatterns,
    /// The time cap was reached.
    Cap,
}

/// What a render did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RenderStats {
    /// Frames produced.
    pub frames: u64,
    /// Ticks played.
    pub ticks: u64,
    /// Why it stopped.
    pub end: EndReason,
    /// Notes skipped because their sample mode does not fit the channel (the original ignores them).
    pub mode_mismatches: u64,
    /// Notes skipped because the note is above 36 or the sample is missing or empty.
    pub invalid_notes: u64,
    /// Order entries skipped because their pattern does not exist.
    pub invalid_orders: u64,
    /// Rows with portamento (1, 2) on a split voice, which the original ignores.
    pub split_portamentos: u64,
    /// Rows with R (27), which 1.57 ignores (V1.1 and libopenmpt release the loop).
    pub releases: u64,
}

/// One channel's state at a tick, as `groovekit okt trace` prints it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChannelState {
    /// The channel's current note, 1-based (C-1 = 1), as slides left it (may leave 1..36).
    pub note: i32,
    /// The Paula period playing.
    pub period: i32,
    /// The Paula channel's volume 0..64.
    pub volume: u8,
    /// The sample playing (0-based, the instrument byte), if any.
    pub sample: Option<u8>,
    /// The play position in sample bytes at the start of the tick, if a sample is playing
    /// (`None` too while a normal channel's DMA is off for the first tick of a note).
    pub position: Option<u32>,
}

/// One tick of the song.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TickState {
    /// Order position.
    pub order: usize,
    /// Pattern number.
    pub pattern: usize,
    /// Row in the pattern; −1 for the silent row the original plays before row 0
    /// ([`Timing::lead_in_row`]).
    pub row: i32,
    /// Tick in the row.
    pub tick: u8,
    /// Current speed.
    pub speed: u8,
    /// The LED filter state (effect F), recorded only.
    pub filter: bool,
    /// Every logical channel.
    pub channels: Vec<ChannelState>,
}

/// A sample ready to play: `f32` data scaled to ±1 for 8-bit full scale.
#[derive(Debug, Clone, Default)]
struct Prepared {
    data: Vec<f32>,
    /// `[data[i], (data[i + 1] - data[i]) × 2^-23]` for every `i` but the last: the linear
    /// mixer reads both numbers it needs with one checked load, and the slope comes pre-scaled
    /// for a 23-bit integer fraction. (A quarter of the mixer's time went to the second read,
    /// the subtraction and the fraction's scaling.) Scaling by a power of two is exact, so
    /// every frame equals the textbook `a + (b - a) × frac`.
    slopes: Vec<[f32; 2]>,
    lp: Option<(usize, usize)>,
    mode: u16,
    volume: u8,
}

/// One logical channel.
#[derive(Debug, Clone, Default)]
struct Voice {
    paula: usize,
    split: bool,
    cell: Cell,
    /// The note (0-based) that arpeggios and slides start from: `(8,a3)` on a normal channel,
    /// the base note `(12,a5)` on a split voice.
    note: i32,
    /// A split voice's current note `(10,a5)`, which the original's arpeggios set from the base
    /// note, slides move along with it, and the mixer clamps and writes back.
    cur: i32,
    period: i32,
    /// The channel's DMA is off for this tick: a new note on a normal channel waits for the
    /// next tick ([`Timing::dma_restart_delay`]).
    dma_off: bool,
    sample: Option<usize>,
    active: bool,
    /// Play position, 32.32 fixed point, in sample bytes.
    pos: u64,
    /// End of the block Paula is playing.
    seg_end: usize,
    /// The block Paula plays next (its latched pointer/length).
    latch: Option<(usize, usize)>,
    /// The latched block is the release part: stop after it.
    release_latched: bool,
    /// The latch is the sustain loop (R can release it).
    looping: bool,
}

/// Where a split voice's note is limited to A-3 (note index 33).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PairClamp {
    /// When mixing, writing the clamped note back (1.57 `lbC023F8C`, line 7845).
    Mix,
    /// When the note triggers (libopenmpt ≥ 0.8).
    Trigger,
    /// Never.
    Off,
}

/// The replayer.
pub struct Player<'a> {
    module: &'a Module,
    opts: RenderOptions,
    samples: Vec<Prepared>,
    voices: Vec<Voice>,
    volumes: [u8; 4],
    /// The volumes after the previous tick, which O (24) restores.
    old_volumes: [u8; 4],
    /// Ticks of the silent row −1 still to play.
    lead_in: u8,
    /// Split voices hold a note index and follow the original's split effect table.
    split_original: bool,
    /// How split voices are limited to A-3.
    pair_clamp: PairClamp,
    order_pos: usize,
    row: usize,
    tick: u8,
    speed: u8,
    jump: Option<usize>,
    filter: bool,
    visited: HashSet<(usize, usize)>,
    passes: u32,
    ended: Option<EndReason>,
    /// Per voice: 1 when audible, 0 when muted.
    audible: Vec<f32>,
    /// Left/right gains of the two pan groups: Paula 0 and 3 (left), Paula 1 and 2 (right).
    group_gains: [(f32, f32); 2],
    /// Mono mix buffers of the two pan groups for the current tick.
    groups: [Vec<f32>; 2],
    stats: RenderStats,
    max_frames: u64,
}

impl<'a> Player<'a> {
    /// A player at the start of the song (or `opts.start_order`).
    pub fn new(module: &'a Module, opts: RenderOptions) -> Self {
        let seven_bit_gain = if opts.compat == Compat::Xmp { 2.0 } else { 1.0 };
        let samples = module
            .samples
            .iter()
            .map(|s| {
                let g = if s.mode == 1 { 1.0 / 128.0 } else { seven_bit_gain / 128.0 };
                let data: Vec<f32> = s.usable().iter().map(|&b| f32::from(b as i8) * g).collect();
                let linear = opts.interpolation == Interpolation::Linear;
                Prepared {
                    slopes: if linear {
                        data.windows(2).map(|w| [w[0], (w[1] - w[0]) * FRACTION_SCALE]).collect()
                    } else {
                        Vec::new()
                    },
                    data,
                    lp: s.loop_bytes(),
                    mode: s.mode,
                    volume: s.play_volume(),
                }
            })
            .collect();
        let voices: Vec<Voice> =
            module.channel_map().into_iter().map(|(paula, split)| Voice { paula, split, ..Voice::default() }).collect();
        let base = match opts.compat {
            Compat::Original => 1.0,
            Compat::Openmpt | Compat::Xmp => 0.5,
        };
        let sep = f32::from(opts.stereo_separation.min(100)) / 100.0 * base;
        // LRRL: Paula channels 0 and 3 left, 1 and 2 right. Master 0.5 keeps two full-scale
        // channels on one side within full scale; mono is a quarter of the sum of all four.
        let group_gain = |p: f32| {
            let (l, r) = ((1.0 - p) * 0.5, (1.0 + p) * 0.5);
            if opts.channels == 1 { (0.25 * (l + r), 0.0) } else { (0.5 * l, 0.5 * r) }
        };
        let group_gains = [group_gain(-sep), group_gain(sep)];
        let audible =
            (0..voices.len()).map(|i| if opts.muted.get(i).copied().unwrap_or(false) { 0.0 } else { 1.0 }).collect();
        let max_frames = u64::from(opts.max_seconds) * u64::from(opts.rate);
        let speed = speed_of(module.speed);
        let pair_clamp = match (opts.pair_note_clamp, opts.compat) {
            (false, _) | (true, Compat::Xmp) => PairClamp::Off,
            (true, Compat::Original) => PairClamp::Mix,
            (true, Compat::Openmpt) => PairClamp::Trigger,
        };
        let mut p = Player {
            module,
            samples,
            voices,
            volumes: [64; 4],
            old_volumes: [64; 4],
            lead_in: if opts.timing.lead_in_row { speed } else { 0 },
            split_original: opts.compat == Compat::Original,
            pair_clamp,
            order_pos: opts.start_order,
            row: 0,
            tick: 0,
            speed,
            jump: None,
            filter: false,
            visited: HashSet::new(),
            passes: 0,
            ended: None,
            audible,
            group_gains,
            groups: [Vec::new(), Vec::new()],
            stats: RenderStats::default(),
            max_frames,
            opts,
        };
        p.enter_order(false);
        if p.ended.is_none() {
            p.visited.insert((p.order_pos, 0));
        }
        p
    }

    /// What has happened so far.
    pub fn stats(&self) -> &RenderStats {
        &self.stats
    }

    /// Whether the song has ended.
    pub fn ended(&self) -> bool {
        self.ended.is_some()
    }

    fn pattern_index(&self, order_pos: usize) -> Option<usize> {
        let p = usize::from(*self.module.song_order().get(order_pos)?);
        (p < self.module.patterns.len()).then_some(p)
    }

    fn rows(&self) -> usize {
        self.pattern_index(self.order_pos)
            .and_then(|p| self.module.patterns.get(p))
            .map_or(1, |p| usize::from(p.rows).max(1))
    }

    /// Moves forward from `order_pos` to the first position with an existing pattern, wrapping
    /// (with the speed reset) at the song end. `wrapped` says a wrap already happened.
    fn enter_order(&mut self, mut wrapped: bool) {
        let len = self.module.song_order().len();
        if len == 0 {
            self.ended = Some(EndReason::NoPatterns);
            return;
        }
        for _ in 0..=len {
            if self.order_pos >= len {
                self.order_pos = 0;
                wrapped = true;
            }
            if self.pattern_index(self.order_pos).is_some() {
                if wrapped {
                    self.speed = speed_of(self.module.speed);
                }
                return;
            }
            self.stats.invalid_orders += 1;
            self.order_pos += 1;
        }
        self.ended = Some(EndReason::NoPatterns);
    }

    /// Plays one tick: notes (tick 0) and effects, then mixes the tick's frames into `out`
    /// (interleaved, `opts.channels` wide; pass `None` to skip mixing). Returns the state at the
    /// start of the tick, or `None` when the song has ended.
    pub fn tick(&mut self, out: Option<&mut Vec<f32>>) -> Option<TickState> {
        self.play_tick(out, true).flatten()
    }

    /// Plays one tick like [`Player::tick`] and appends its frames to `out`, without building
    /// the tick's state (the render loop does not need it). Returns false when the song has
    /// ended.
    pub fn render_tick(&mut self, out: &mut Vec<f32>) -> bool {
        self.play_tick(Some(out), false).is_some()
    }

    /// The body of [`Player::tick`]: `Some(state)` when the tick was played (the state only when
    /// `want_state`).
    fn play_tick(&mut self, out: Option<&mut Vec<f32>>, want_state: bool) -> Option<Option<TickState>> {
        if let Some(e) = self.ended {
            self.stats.end = e;
            return None;
        }
        // Row −1 of the original: nothing triggers and no effect runs until it has passed.
        let lead_in = self.lead_in > 0;
        if lead_in {
            self.lead_in -= 1;
        } else {
            if self.tick == 0 {
                self.trigger_row();
            }
            self.run_effects();
        }
        let state = want_state.then(|| self.state(lead_in));
        let frames = self.tick_frames(self.stats.ticks);
        match out {
            Some(out) => self.mix(frames, out),
            None => self.skip_tick(),
        }
        // A note whose DMA was off for this tick starts with the next.
        for v in &mut self.voices {
            v.dma_off = false;
        }
        self.stats.frames += frames as u64;
        self.stats.ticks += 1;
        if !lead_in {
            self.advance();
        }
        if self.ended.is_none() && self.stats.frames >= self.max_frames {
            self.ended = Some(EndReason::Cap);
        }
        if let Some(e) = self.ended {
            self.stats.end = e;
        }
        Some(state)
    }

    /// Output frames of tick `t`: tick `n` starts at frame `n × rate × seconds per tick`
    /// (rounded down), so rates that do not divide evenly spread the remainder.
    fn tick_frames(&self, t: u64) -> usize {
        let (num, den) = self.opts.timing.seconds_per_tick();
        let start = |n: u64| u128::from(n) * u128::from(self.opts.rate) * u128::from(num) / u128::from(den);
        (start(t + 1) - start(t)) as usize
    }

    fn state(&self, lead_in: bool) -> TickState {
        TickState {
            order: self.order_pos,
            pattern: self.pattern_index(self.order_pos).unwrap_or(0),
            row: if lead_in { -1 } else { self.row as i32 },
            tick: if lead_in { self.speed.saturating_sub(self.lead_in + 1) } else { self.tick },
            speed: self.speed,
            filter: self.filter,
            channels: self
                .voices
                .iter()
                .map(|v| ChannelState {
                    note: v.note + 1,
                    period: v.period,
                    volume: self.volumes.get(v.paula).copied().unwrap_or(0),
                    sample: v.sample.map(|s| s as u8),
                    position: (v.active && !v.dma_off).then_some((v.pos >> 32) as u32),
                })
                .collect(),
        }
    }

    fn advance(&mut self) {
        self.tick += 1;
        if self.tick < self.speed {
            return;
        }
        self.tick = 0;
        if let Some(pos) = self.jump.take() {
            self.order_pos = pos;
            self.row = 0;
            self.enter_order(false);
        } else {
            self.row += 1;
            if self.row >= self.rows() {
                self.row = 0;
                self.order_pos += 1;
                self.enter_order(false);
            }
        }
        if self.ended.is_some() {
            return;
        }
        if !self.visited.insert((self.order_pos, self.row)) {
            self.passes += 1;
            if self.passes >= self.opts.loops.max(1) {
                self.ended = Some(EndReason::Revisited);
            } else {
                self.visited.clear();
                self.visited.insert((self.order_pos, self.row));
            }
        }
    }

    fn trigger_row(&mut self) {
        let channels = self.voices.len();
        let module: &'a Module = self.module;
        let pattern = self.pattern_index(self.order_pos).and_then(|p| module.patterns.get(p));
        for ch in 0..channels {
            let cell = pattern.map_or(Cell::default(), |p| p.cell(self.row, ch, channels));
            let Some(v) = self.voices.get_mut(ch) else { continue };
            v.cell = cell;
            if cell.note == 0 {
                continue;
            }
            let inst = usize::from(cell.instrument);
            let Some(s) = self.samples.get(inst).filter(|s| !s.data.is_empty() && cell.note <= 36) else {
                self.stats.invalid_notes += 1;
                continue;
            };
            // Mode 1 (8-bit) plays only on normal channels, mode 0 only on pairs; the original
            // ignores the note otherwise (reference §2.3).
            if (v.split && s.mode == 1) || (!v.split && s.mode == 0) {
                self.stats.mode_mismatches += 1;
                continue;
            }
            // libopenmpt ≥ 0.8 plays notes 35 and 36 on pairs as 34 from the trigger on; the
            // original stores the note as played and limits it when mixing (run_effects).
            let note = if v.split && self.pair_clamp == PairClamp::Trigger { cell.note.min(34) } else { cell.note };
            v.note = i32::from(note) - 1;
            v.cur = v.note;
            v.period = i32::from(PERIODS[usize::from(note - 1)]); // ok: note in 1..=36
            v.sample = Some(inst);
            v.active = true;
            v.pos = 0;
            v.release_latched = false;
            // OK_Set turns a normal channel's DMA off; OK_TurnDMAOn restarts it next interrupt.
            v.dma_off = !v.split && self.opts.timing.dma_restart_delay;
            match s.lp.filter(|_| !v.split) {
                Some((start, end)) => {
                    v.seg_end = if start > 0 { start } else { end };
                    v.latch = Some((start, end));
                    v.looping = true;
                }
                None => {
                    v.seg_end = s.data.len();
                    v.latch = None;
                    v.looping = false;
                }
            }
            if let (false, Some(vol)) = (v.split, self.volumes.get_mut(v.paula)) {
                *vol = s.volume;
            }
        }
    }

    /// Runs every channel's effect for this tick: the original's tables `OK_EffectTab_TickX`
    /// (normal channels, line 6885) and `OK_EffectTab_Tick0` (split voices, line 6477), or the
    /// players' rules under [`Compat::Openmpt`] and [`Compat::Xmp`].
    fn run_effects(&mut self) {
        let t = i32::from(self.tick);
        let plen = self.module.song_order().len();
        let original = self.opts.compat == Compat::Original;
        for ch in 0..self.voices.len() {
            let Some(v) = self.voices.get_mut(ch) else { continue };
            let p = i32::from(v.cell.param);
            let (hi, lo) = (p >> 4, p & 15);
            let table = |n: i32| i32::from(PERIODS[n.clamp(0, 35) as usize]); // ok: clamped
            // Split voices in the original hold a note index: arpeggios set the current note
            // from the base note, slides move both, and the mixer turns the current note into a
            // pitch (below). Elsewhere the note is the base and the period is the pitch.
            let split = v.split && self.split_original;
            match v.cell.effect {
                // Portamento: normal channels only in the original (split entries 1 and 2 are 0).
                1 | 2 if split && t == 0 => self.stats.split_portamentos += 1,
                1 | 2 if split => {}
                1 => v.period = (v.period - p).max(MIN_PERIOD),
                2 => v.period = (v.period + p).min(MAX_PERIOD),
                10..=12 => {
                    let n = match v.cell.effect {
                        10 => Some(match t % 3 {
                            0 => v.note - hi,
                            1 => v.note,
                            _ => v.note + lo,
                        }),
                        11 => Some(match t & 3 {
                            0 | 2 => v.note,
                            1 => v.note + lo,
                            _ => v.note - hi,
                        }),
                        // C: no change on tick 0 (OK_DivTab3 starts with 0), then N+hi, N+lo, N.
                        _ => (t > 0).then(|| match (t - 1) % 3 {
                            0 => v.note + hi,
                            1 => v.note + lo,
                            _ => v.note,
                        }),
                    };
                    if let Some(n) = n {
                        if split { v.cur = n } else { v.period = table(n) }
                    }
                }
                13 | 30 | 21 | 17 => {
                    let every_tick = matches!(v.cell.effect, 13 | 30);
                    if every_tick || t == 0 {
                        let d = if matches!(v.cell.effect, 13 | 21) { -p } else { p };
                        v.note += d;
                        if split {
                            v.cur += d;
                        } else {
                            v.period = table(v.note);
                        }
                    }
                }
                15 if t == 0 => self.filter = p != 0,
                25 if t == 0 => {
                    let pos = (hi * 10 + lo) as usize;
                    if pos < plen {
                        self.jump = Some(pos);
                    }
                }
                // O (old volume), 1.57 normal channels only (`OK_Release`, line 7205, despite
                // its name): the volume of the previous tick comes back (undoing a note's sample
                // volume), then parameters above 0x40 act as V's slides.
                24 if original && !v.split => {
                    let (Some(vol), Some(&old)) = (self.volumes.get_mut(v.paula), self.old_volumes.get(v.paula)) else {
                        continue;
                    };
                    *vol = if p > 0x40 { volume_effect(old, p, t) } else { old };
                }
                27 if t == 0 => {
                    self.stats.releases += 1;
                    // Release: 1.57 ignores R (OK_Nop); V1.1 (`rs_release`) and libopenmpt's
                    // key-off latch the part after the loop (reference §2.5).
                    let len = v.sample.and_then(|s| self.samples.get(s)).map_or(0, |s| s.data.len());
                    if let (Compat::Openmpt, true, Some((_, end))) = (self.opts.compat, v.looping, v.latch)
                        && end < len
                    {
                        v.latch = Some((end, len));
                        v.release_latched = true;
                        v.looping = false;
                    }
                }
                28 if t == 0 && lo != 0 => self.speed = lo as u8,
                31 => {
                    let Some(vol) = self.volumes.get_mut(v.paula) else { continue };
                    *vol = volume_effect(*vol, p, t);
                }
                _ => {}
            }
            if split && v.sample.is_some() {
                // The mixer (lbC023F8C, line 7845) limits the current note to 0..33 and
                // writes it back, so later slides start from the limited note.
                if self.pair_clamp == PairClamp::Mix {
                    v.cur = v.cur.clamp(0, 33);
                }
                v.period = table(v.cur);
            }
        }
        self.old_volumes = self.volumes;
    }

    /// Advances every voice by one tick of Paula playback (`clock / period / 50` bytes) without
    /// mixing, so traces and durations see the true play positions.
    fn skip_tick(&mut self) {
        let pal = self.opts.timing.pal_frame_rate;
        for v in self.voices.iter_mut().filter(|v| v.active && v.period > 0 && !v.dma_off) {
            // At the PAL frame rate Paula reads exactly `PAL_FRAME_CLOCKS / period` bytes a tick.
            let step = if pal {
                (PAL_FRAME_CLOCKS << 32) / v.period as u64
            } else {
                (PAULA_CLOCK / f64::from(v.period) / TICK_RATE as f64 * 4_294_967_296.0) as u64
            };
            v.pos = v.pos.saturating_add(step);
            next_block(v);
        }
    }

    fn mix(&mut self, frames: usize, out: &mut Vec<f32>) {
        let rate = f64::from(self.opts.rate.max(1));
        let interp = self.opts.interpolation;
        // The first voice of each pan group writes its buffer, later ones add to it, so the
        // buffers need no clearing pass; a group no voice wrote is cleared at the end.
        let mut written = [false; 2];
        for g in &mut self.groups {
            g.resize(frames, 0.0);
        }
        for (i, v) in self.voices.iter_mut().enumerate() {
            if !v.active || v.period <= 0 || v.dma_off {
                continue;
            }
            let gain = self.audible.get(i).copied().unwrap_or(0.0)
                * f32::from(self.volumes.get(v.paula).copied().unwrap_or(0))
                / 64.0;
            let Some(s) = v.sample.and_then(|s| self.samples.get(s)) else { continue };
            let step = (PAULA_CLOCK / f64::from(v.period) / rate * 4_294_967_296.0) as u64;
            let group = usize::from(v.paula == 1 || v.paula == 2);
            if gain == 0.0 {
                // Silent (volume 0 or muted): advance exactly as mixing would, without mixing.
                v.pos = v.pos.saturating_add(step.max(1).saturating_mul(frames as u64));
                next_block(v);
                continue;
            }
            if let (Some(buf), Some(first)) = (self.groups.get_mut(group), written.get_mut(group)) {
                if *first {
                    mix_voice::<false>(v, s, step, interp, gain, buf);
                } else {
                    // Frames after the voice ends are silence.
                    let n = mix_voice::<true>(v, s, step, interp, gain, buf);
                    buf.get_mut(n..).unwrap_or_default().fill(0.0);
                    *first = true;
                }
            }
        }
        for (g, _) in self.groups.iter_mut().zip(written).filter(|(_, w)| !w) {
            g.fill(0.0);
        }
        let [(al, ar), (bl, br)] = self.group_gains;
        let (a, b) = (&self.groups[0], &self.groups[1]); // ok: two groups by construction
        let base = out.len();
        if self.opts.channels == 1 {
            out.resize(base + frames, 0.0);
            for ((o, &x), &y) in out[base..].iter_mut().zip(a).zip(b) {
                *o = x * al + y * bl;
            }
        } else {
            out.resize(base + frames * 2, 0.0);
            for ((o, &x), &y) in out[base..].chunks_exact_mut(2).zip(a).zip(b) {
                o[0] = x * al + y * bl; // ok: chunks of exactly 2
                o[1] = x * ar + y * br;
            }
        }
    }
}

/// V (31) on a volume `cur` at tick `t`: `≤ 0x40` set; `0x41-0x4F` down and `0x50-0x5F` up every
/// tick; `0x60-0x6F` down and `0x70-0x7F` up on tick 0; above, nothing; clamped to 0..64
/// (`OK_Volume`, line 7160).
fn volume_effect(cur: u8, p: i32, t: i32) -> u8 {
    let cur = i32::from(cur);
    let new = match p {
        0..=0x40 => p,
        0x41..=0x4f => (cur - (p - 0x40)).max(0),
        0x50..=0x5f => (cur + (p - 0x50)).min(64),
        0x60..=0x6f if t == 0 => (cur - (p - 0x60)).max(0),
        0x70..=0x7f if t == 0 => (cur + (p - 0x70)).min(64),
        _ => cur,
    };
    new.clamp(0, 64) as u8
}

/// Speed from a stored value: 1..=255, 0 read as the default 6.
fn speed_of(v: u16) -> u8 {
    match v {
        0 => 6,
        1..=255 => v as u8,
        _ => 255,
    }
}

/// Moves a voice past the end of its block: into the latched block, or silence.
fn next_block(v: &mut Voice) -> bool {
    loop {
        let end = (v.seg_end as u64) << 32;
        if v.pos < end {
            return true;
        }
        match v.latch {
            Some((s, e)) if e > s => {
                v.pos = ((s as u64) << 32) + (v.pos - end);
                v.seg_end = e;
                if v.release_latched {
                    v.latch = None;
                    v.release_latched = false;
                }
            }
            _ => {
                v.active = false;
                return false;
            }
        }
    }
}

/// Writes `x` into `o`, or adds it when `ASSIGN` is false (the mixer's two modes).
#[inline(always)]
fn put<const ASSIGN: bool>(o: &mut f32, x: f32) {
    if ASSIGN { *o = x } else { *o += x }
}

/// Mixes one voice into the mono buffer `buf` with `gain`: adds to it, or with `ASSIGN`
/// overwrites it. Returns how many frames from the start were produced before the voice ended
/// (`buf.len()` while it plays on); in `ASSIGN` mode the caller clears the rest.
fn mix_voice<const ASSIGN: bool>(
    v: &mut Voice,
    sample: &Prepared,
    step: u64,
    interp: Interpolation,
    gain: f32,
    buf: &mut [f32],
) -> usize {
    let data = &sample.data;
    let frames = buf.len();
    let mut n = 0;
    let step = step.max(1);
    while n < frames {
        if !next_block(v) {
            return n;
        }
        let i = (v.pos >> 32) as usize;
        let seg_end = v.seg_end.min(data.len());
        let Some(seg) = data.get(..seg_end).filter(|_| i < seg_end) else {
            v.active = false;
            return n;
        };
        // Frames whose interpolation window stays inside the block run in a tight loop.
        let safe_end = (seg_end.saturating_sub(1) as u64) << 32;
        if interp == Interpolation::Nearest || interp == Interpolation::Linear {
            if v.pos < safe_end {
                let k = ((safe_end - v.pos).div_ceil(step) as usize).min(frames - n);
                let out = buf.get_mut(n..n + k).unwrap_or_default();
                if interp == Interpolation::Linear {
                    // Every read stays below seg_end - 1, so the slopes up to there suffice.
                    let slopes = sample.slopes.get(..seg_end.saturating_sub(1)).unwrap_or_default();
                    run_linear::<ASSIGN>(slopes, v.pos, step, gain, out);
                } else {
                    run_nearest::<ASSIGN>(seg, v.pos, step, gain, out);
                }
                v.pos += step * k as u64;
                n += k;
                continue;
            }
            // The last frame of the block: interpolate towards the block that follows.
            let a = seg.get(i).copied().unwrap_or(0.0);
            let next = match v.latch {
                _ if i + 1 < seg_end => seg.get(i + 1).copied().unwrap_or(0.0),
                Some((s, _)) => data.get(s).copied().unwrap_or(0.0),
                None => 0.0,
            };
            let x = if interp == Interpolation::Linear { a + (next - a) * frac(v.pos) } else { a };
            if let Some(o) = buf.get_mut(n) {
                put::<ASSIGN>(o, x * gain);
            }
        } else if let Some(o) = buf.get_mut(n) {
            put::<ASSIGN>(o, sample_at(seg, v.pos as f64 / 4_294_967_296.0, interp) * gain);
        }
        v.pos += step;
        n += 1;
    }
    next_block(v);
    n
}

/// The value of one step of a 23-bit fraction: `2^-23`.
const FRACTION_SCALE: f32 = 1.0 / 8_388_608.0;

/// The top 23 bits of the fractional part of a 32.32 position, as an exact `f32` integer.
#[inline]
fn fraction_bits(pos: u64) -> f32 {
    // Through a signed conversion: one instruction on every target.
    ((pos as u32) >> 9) as i32 as f32
}

/// The fractional part of a 32.32 position as `f32` in [0, 1).
#[inline]
fn frac(pos: u64) -> f32 {
    fraction_bits(pos) * FRACTION_SCALE
}

/// Linear interpolation over a block from its `[value, scaled slope]` pairs; the caller
/// guarantees every read stays inside `slopes`, and `get` keeps that a checked promise.
///
/// The position is split into a whole index and a 32-bit fraction whose carry moves the index,
/// which keeps the 64-bit shift off the loop's critical path; the arithmetic is that of 32.32
/// positions, so the frames are the same.
fn run_linear<const ASSIGN: bool>(slopes: &[[f32; 2]], pos: u64, step: u64, gain: f32, out: &mut [f32]) {
    let (mut index, mut fraction) = ((pos >> 32) as usize, pos as u32);
    let (step_index, step_fraction) = ((step >> 32) as usize, step as u32);
    for (j, o) in out.iter_mut().enumerate() {
        let Some(&[a, scaled_slope]) = slopes.get(index) else {
            // Unreachable by the caller's promise; silence rather than stale frames.
            out_tail_silence::<ASSIGN>(out, j);
            return;
        };
        put::<ASSIGN>(o, (a + scaled_slope * fraction_bits(u64::from(fraction))) * gain);
        let (next, carry) = fraction.overflowing_add(step_fraction);
        fraction = next;
        index += step_index + usize::from(carry);
    }
}

/// Nearest-frame reads over a block.
fn run_nearest<const ASSIGN: bool>(seg: &[f32], mut pos: u64, step: u64, gain: f32, out: &mut [f32]) {
    for (j, o) in out.iter_mut().enumerate() {
        let Some(&x) = seg.get((pos >> 32) as usize) else {
            out_tail_silence::<ASSIGN>(out, j);
            return;
        };
        put::<ASSIGN>(o, x * gain);
        pos += step;
    }
}

/// Clears `out[from..]` in `ASSIGN` mode (adding nothing leaves it as it is otherwise).
fn out_tail_silence<const ASSIGN: bool>(out: &mut [f32], from: usize) {
    if ASSIGN {
        out.get_mut(from..).unwrap_or_default().fill(0.0);
    }
}

/// Renders the whole song, handing each tick's interleaved frames to `sink`.
pub fn render<E>(
    module: &Module,
    opts: RenderOptions,
    mut sink: impl FnMut(&[f32]) -> Result<(), E>,
) -> Result<RenderStats, E> {
    let mut player = Player::new(module, opts);
    let mut buf = Vec::with_capacity(4096);
    loop {
        buf.clear();
        if !player.render_tick(&mut buf) {
            break;
        }
        sink(&buf)?;
    }
    Ok(player.stats.clone())
}

/// The song's length in seconds when played once, without mixing.
pub fn duration_seconds(module: &Module) -> f64 {
    duration_with(module, &RenderOptions::default())
}

/// The length in seconds of a render with `opts` (its timing, loops, start and cap), found by
/// playing the song without mixing.
pub fn duration_with(module: &Module, opts: &RenderOptions) -> f64 {
    let mut player = Player::new(module, RenderOptions { rate: 50, muted: Vec::new(), ..opts.clone() });
    while player.tick(None).is_some() {}
    player.stats.ticks as f64 / opts.timing.tick_rate()
}
