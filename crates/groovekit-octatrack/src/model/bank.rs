//! A bank as owned, typed values over its bytes: patterns, steps, track settings, parts, scenes
//! and sample references, in the units the device shows (patterns, tracks, steps, parts, scenes
//! and slots counted from 1; micro-timing in 1/384 of a step; tempo in BPM).
//!
//! Values are read out of the image as owned structs ([`AudioStep`], [`MidiStep`],
//! [`PatternSettings`], [`TrackSettings`], [`PartTrack`], [`MidiPartTrack`]), changed, and written
//! back with the matching setter. A setter validates every field and names the place in its error
//! (`bank 2 pattern 5 track 3 step 17: micro-timing 40: ...`); it writes only the bytes of the
//! value, so a value read and written back unchanged leaves the image byte-identical, and an edit
//! changes only the bytes of the fields that changed. Every byte no field covers stays as it is.
//! Owned values by index (not borrowed views) keep the API usable from Python (issue 15).

use crate::OtError;
use crate::model::params::{self, AudioContext, SAMPLE_LOCK};
use crate::model::project::SlotType;
use crate::raw::bank::{self as raw_bank, PART_COUNT, PATTERN_COUNT, PartCopy};
use crate::raw::part::{self, MachineType, PART_SIZE};
use crate::raw::pattern::{self, NO_LOCK, PLOCK_SIZE, STEPS, StepTiming};

/// The device's micro-timing range, in 1/384 of a step (the UI shows -23/384 .. +23/384).
pub const MICRO_RANGE: std::ops::RangeInclusive<i8> = -23..=23;

/// A trig condition: the stored value with its device name (`fill`, `!pre`, `50%`, `3:4`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Condition(pub u8);

impl Condition {
    /// No condition.
    pub const NONE: Condition = Condition(0);

    /// Parses a device name (`none`, `fill`, `!fill`, `pre`, `!pre`, `nei`, `!nei`, `1st`,
    /// `!1st`, a probability `50%`, a ratio `3:4`), case-insensitive.
    pub fn parse(name: &str) -> Result<Condition, OtError> {
        pattern::parse_condition(name).filter(|&v| v <= 64).map(Condition).ok_or_else(|| OtError::Invalid {
            field: "condition".into(),
            message: format!(
                "{name:?}: use none, fill, !fill, pre, !pre, nei, !nei, 1st, !1st, a probability \
                 (1 2 4 6 9 13 19 25 33 41 50 59 67 75 81 87 91 94 96 98 99 %) or A:B with 1 <= A <= B <= 8"
            ),
        })
    }

    /// The name as the device shows it.
    pub fn name(self) -> String {
        pattern::condition_name(self.0)
    }
}

/// What names an error: `bank B pattern P track T step S` and so on.
fn bad(place: &str, message: String) -> OtError {
    OtError::Invalid { field: place.to_string(), message }
}

fn check_range(place: &str, what: &str, v: u16, lo: u16, hi: u16) -> Result<(), OtError> {
    if (lo..=hi).contains(&v) { Ok(()) } else { Err(bad(place, format!("{what} {v}: must be {lo}-{hi}"))) }
}

/// One step of an audio track: its trig kinds, condition, micro-timing, retrig count and locks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudioStep {
    /// A trig that plays the sample.
    pub trig: bool,
    /// A trigless (lock-only) trig.
    pub trigless: bool,
    /// The step carries p-locks (the device sets this with the locks).
    pub plock_trig: bool,
    /// One-shot trig.
    pub oneshot: bool,
    /// Swing trig (default: every even step).
    pub swing: bool,
    /// Slide trig.
    pub slide: bool,
    /// Recorder trig sources: inputs A/B, inputs C/D, SRC3; and whether it is one-shot.
    pub recorder: [bool; 4],
    /// Trig condition.
    pub condition: Condition,
    /// Micro-timing in 1/384 of a step ([`MICRO_RANGE`] on the device).
    pub micro: i8,
    /// Number of trigs 1-8 (the stored `b0 >> 5` plus one).
    pub repeats: u8,
    locks: [u8; PLOCK_SIZE],
    ctx: AudioContext,
}

impl AudioStep {
    /// The naming context (machine and FX types of the track in the pattern's part).
    pub fn context(&self) -> AudioContext {
        self.ctx
    }

    /// The 32 stored lock bytes (255 = no lock).
    pub fn raw_locks(&self) -> &[u8; PLOCK_SIZE] {
        &self.locks
    }

    /// A lock by parameter name ([`crate::model::params`]: `src.strt`, `amp.vol`, `fx1.base`,
    /// `sample`), in the value the device shows; None when not locked.
    pub fn lock(&self, name: &str) -> Result<Option<u16>, OtError> {
        let f = self.field(name)?;
        let raw = self.locks.get(f).copied().unwrap_or(NO_LOCK);
        Ok((raw != NO_LOCK).then(|| params::show_audio_lock(f, raw)))
    }

    /// Sets (Some) or clears (None) a lock by name.
    pub fn set_lock(&mut self, name: &str, value: Option<u16>) -> Result<(), OtError> {
        let f = self.field(name)?;
        let b = match value {
            Some(v) => {
                let b = params::store_audio_lock(f, v, name)?;
                if b == NO_LOCK {
                    return Err(bad(name, format!("{v}: 255 means no lock; use None to clear")));
                }
                if f != SAMPLE_LOCK && b > 127 {
                    return Err(bad(name, format!("{v}: parameter values are 0-127")));
                }
                b
            }
            None => NO_LOCK,
        };
        if let Some(x) = self.locks.get_mut(f) {
            *x = b;
        }
        Ok(())
    }

    /// Every lock that is set, by name, in the value the device shows.
    pub fn locks(&self) -> Vec<(String, u16)> {
        self.locks
            .iter()
            .enumerate()
            .filter(|(_, b)| **b != NO_LOCK)
            .map(|(f, b)| (params::audio_lock_name(f, &self.ctx), params::show_audio_lock(f, *b)))
            .collect()
    }

    fn field(&self, name: &str) -> Result<usize, OtError> {
        params::audio_lock_field(name, &self.ctx).ok_or_else(|| {
            bad(
                name,
                format!("unknown parameter for this track; known: {}", params::audio_lock_names(&self.ctx).join(", ")),
            )
        })
    }

    /// The sample lock: slot 1-128 of the track machine's pool (Flex or Static), None when the
    /// step plays the part's slot.
    pub fn sample_lock(&self) -> Option<u16> {
        let raw = self.locks[SAMPLE_LOCK]; // ok: SAMPLE_LOCK < 32
        (raw != NO_LOCK).then(|| u16::from(raw) + 1)
    }

    /// Sets or clears the sample lock (slot 1-128; 129-136 are the recorder buffers, Flex only).
    pub fn set_sample_lock(&mut self, slot: Option<u16>) -> Result<(), OtError> {
        if let Some(s) = slot {
            check_range("sample lock", "slot", s, 1, 136)?;
        }
        self.set_lock(params::SAMPLE, slot)
    }

    /// The slice lock (1-64): the STRT lock of a Flex/Static machine with slices on, two values
    /// per slice (octatrack-exporter, device-verified: slice = value / 2 + 1).
    pub fn slice_lock(&self) -> Option<u8> {
        let raw = self.locks[1]; // ok: 1 < 32
        (raw != NO_LOCK).then_some(raw / 2 + 1)
    }

    /// Sets or clears the slice lock (slice 1-64).
    pub fn set_slice_lock(&mut self, slice: Option<u8>) -> Result<(), OtError> {
        if let Some(s) = slice {
            check_range("slice lock", "slice", u16::from(s), 1, 64)?;
        }
        self.locks[1] = slice.map_or(NO_LOCK, |s| (s - 1) * 2); // ok: index 1 < 32; s >= 1
        Ok(())
    }

    /// The SRC retrig locks of a Flex/Static machine: (RTRG as the number of plays 1-128, RTIM).
    pub fn retrig(&self) -> (Option<u8>, Option<u8>) {
        let (c, t) = (self.locks[4], self.locks[5]); // ok: indices < 32
        ((c != NO_LOCK).then_some(c.saturating_add(1)), (t != NO_LOCK).then_some(t))
    }

    /// Locks the retrig count (plays 1-128) and time (0-127); None clears.
    pub fn set_retrig(&mut self, count: Option<u8>, time: Option<u8>) -> Result<(), OtError> {
        if let Some(c) = count {
            check_range("retrig", "count", u16::from(c), 1, 128)?;
        }
        if let Some(t) = time {
            check_range("retrig", "time", u16::from(t), 0, 127)?;
        }
        self.locks[4] = count.map_or(NO_LOCK, |c| c - 1); // ok: index < 32, c >= 1
        self.locks[5] = time.unwrap_or(NO_LOCK); // ok: index < 32
        Ok(())
    }
}

/// One step of a MIDI track.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MidiStep {
    /// A note trig.
    pub trig: bool,
    /// A trigless (lock-only) trig.
    pub trigless: bool,
    /// The step carries p-locks.
    pub plock_trig: bool,
    /// Swing trig.
    pub swing: bool,
    /// The fifth MIDI mask (meaning unknown; kept).
    pub mask5: bool,
    /// Trig condition.
    pub condition: Condition,
    /// Micro-timing in 1/384 of a step.
    pub micro: i8,
    /// Number of trigs 1-8.
    pub repeats: u8,
    locks: [u8; PLOCK_SIZE],
}

impl MidiStep {
    /// The 32 stored lock bytes.
    pub fn raw_locks(&self) -> &[u8; PLOCK_SIZE] {
        &self.locks
    }

    /// A lock by name (`note.note`, `note.vel`, `ctrl1.cc1`, ... see [`params::MIDI_LOCKS`]).
    pub fn lock(&self, name: &str) -> Result<Option<u8>, OtError> {
        let f = params::midi_lock_field(name)
            .ok_or_else(|| bad(name, format!("unknown MIDI parameter; known: {}", params::MIDI_LOCKS.join(", "))))?;
        let raw = self.locks.get(f).copied().unwrap_or(NO_LOCK);
        Ok((raw != NO_LOCK).then_some(raw))
    }

    /// Sets (0-127) or clears a lock by name.
    pub fn set_lock(&mut self, name: &str, value: Option<u8>) -> Result<(), OtError> {
        let f = params::midi_lock_field(name)
            .ok_or_else(|| bad(name, format!("unknown MIDI parameter; known: {}", params::MIDI_LOCKS.join(", "))))?;
        if let Some(v) = value {
            check_range(name, "value", u16::from(v), 0, 127)?;
        }
        if let Some(x) = self.locks.get_mut(f) {
            *x = value.unwrap_or(NO_LOCK);
        }
        Ok(())
    }

    /// Every lock that is set, by name.
    pub fn locks(&self) -> Vec<(&'static str, u8)> {
        self.locks
            .iter()
            .enumerate()
            .filter(|(_, b)| **b != NO_LOCK)
            .map(|(f, b)| (params::midi_lock_name(f), *b))
            .collect()
    }

    /// The locked note (MIDI note 0-127), None = the track's default note.
    pub fn note(&self) -> Option<u8> {
        Some(self.locks[0]).filter(|&b| b != NO_LOCK) // ok: index < 32
    }

    /// Locks the note, velocity and length (raw length code) at once; None leaves a field unlocked.
    pub fn set_note(&mut self, note: Option<u8>, velocity: Option<u8>, length: Option<u8>) -> Result<(), OtError> {
        self.set_lock("note.note", note)?;
        self.set_lock("note.vel", velocity)?;
        self.set_lock("note.len", length)
    }

    /// Chord notes 2-4 as stored (the device's NOT2-NOT4, an offset around 64).
    pub fn chord(&self) -> [Option<u8>; 3] {
        [3, 4, 5].map(|f| Some(self.locks[f]).filter(|&b| b != NO_LOCK)) // ok: indices < 32
    }
}

/// Pattern-level settings.
#[derive(Debug, Clone, PartialEq)]
pub struct PatternSettings {
    /// The part the pattern plays, 1-4.
    pub part: u8,
    /// Master length in steps (normal scale mode).
    pub master_length: u8,
    /// Master scale code: 0 = 2x, 1 = 3/2x, 2 = 1x, 3 = 3/4x, 4 = 1/2x, 5 = 1/4x, 6 = 1/8x.
    pub master_scale: u8,
    /// True in per-track scale mode.
    pub per_track: bool,
    /// Per-track mode: (length multiplier, length, scale) bytes as stored (255, 255 = INF).
    pub per_track_master: [u8; 3],
    /// Pattern tempo in BPM (stored x 24).
    pub tempo: f64,
}

/// The settings of one track in a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackSettings {
    /// Track length in steps (per-track scale mode), 1-64.
    pub length: u8,
    /// Track scale code (as [`PatternSettings::master_scale`]).
    pub scale: u8,
    /// Swing amount 0-30 (the device shows 50-80 %).
    pub swing_amount: u8,
    /// The remaining setting bytes as stored: start silent, plays free, trig mode, trig quant,
    /// one-shot track.
    pub other: [u8; 5],
}

/// One audio track of a part: the machine, FX types, volumes and slots as fields, and every
/// other per-track byte of the part (SRC values and SRC setup of each machine, LFO, AMP, FX1,
/// FX2 values, LFO/AMP/FX setup pages, recorder setup, LFO designer) by name through
/// [`params::AUDIO_PART_PAGES`]: `src.ptch` and `setup.loop` (the track's machine), `flex.strt`,
/// `flex_setup.tstr`, `amp.vol`, `amp_setup.sync`, `lfo_setup.wave1`, `lfo_setup.mult2`,
/// `fx1.base`, `fx2_setup.p3`, `rec.rlen`, `rec.qrec`, `lfo_design.step5`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartTrack {
    /// The machine byte: 0 Static, 1 Flex, 2 Thru, 3 Neighbor, 4 Pickup (see
    /// [`PartTrack::machine_type`] and [`PartTrack::set_machine`]).
    pub machine: u8,
    /// FX1 type id (see [`crate::raw::part::fx_name`]).
    pub fx1: u8,
    /// FX2 type id.
    pub fx2: u8,
    /// Main and cue volume (108 by default).
    pub volume: (u8, u8),
    /// Static slot 1-128.
    pub static_slot: u16,
    /// Flex slot 1-136 (129-136: recorder buffers).
    pub flex_slot: u16,
    /// Recorder buffer slot (129-136 by default).
    pub recorder_slot: u16,
    /// Every byte of [`params::AUDIO_PART_PAGES`], in table order.
    values: Vec<u8>,
    /// `bank B part P track T`, for errors.
    place: String,
}

/// A name that is not a parameter of the track: the error names the known ones.
fn unknown_param(place: &str, name: &str, known: &[params::PartParam]) -> OtError {
    let names: Vec<&str> = known.iter().map(|p| p.name.as_str()).collect();
    bad(place, format!("unknown parameter {name:?}; known: src.* and setup.* (the machine's), {}", names.join(", ")))
}

impl PartTrack {
    /// The machine (None for a byte that is not 0-4).
    pub fn machine_type(&self) -> Option<MachineType> {
        MachineType::from_byte(self.machine)
    }

    /// Sets the machine.
    pub fn set_machine(&mut self, m: MachineType) {
        self.machine = m.to_byte();
    }

    /// The naming context of this track.
    pub fn context(&self) -> AudioContext {
        AudioContext { machine: self.machine_type(), fx1: self.fx1, fx2: self.fx2 }
    }

    fn find(&self, name: &str) -> Result<params::PartParam, OtError> {
        let ctx = self.context();
        params::part_param(name, params::AUDIO_PART_PAGES, &ctx)
            .ok_or_else(|| unknown_param(&self.place, name, &params::part_params(params::AUDIO_PART_PAGES, &ctx)))
    }

    /// A value by name (see the type's documentation), as stored.
    pub fn param(&self, name: &str) -> Result<u8, OtError> {
        let p = self.find(name)?;
        Ok(self.values.get(p.index).copied().unwrap_or(0))
    }

    /// Sets a value by name, validated against the page's range (0-127 for parameters; the
    /// recorder setup and the LFO designer take any byte: QREC/QPL 255 = OFF, designer values
    /// below the line are 255..128).
    pub fn set_param(&mut self, name: &str, v: u8) -> Result<(), OtError> {
        let p = self.find(name)?;
        let b = p.store(u16::from(v), &self.place)?;
        if let Some(x) = self.values.get_mut(p.index) {
            *x = b;
        }
        Ok(())
    }

    /// Every named byte with its name in this track's context, in file order.
    pub fn params(&self) -> Vec<(String, u8)> {
        params::part_params(params::AUDIO_PART_PAGES, &self.context())
            .into_iter()
            .map(|p| {
                let v = self.values.get(p.index).copied().unwrap_or(0);
                (p.name, v)
            })
            .collect()
    }

    /// The named bytes of one page (`src` and `setup` mean the machine's), in order.
    pub fn page(&self, page: &str) -> Vec<(String, u8)> {
        let page = match page {
            "src" => params::machine_pages(self.machine_type()).map_or("", |p| p.0),
            "setup" => params::machine_pages(self.machine_type()).map_or("", |p| p.1),
            p => p,
        };
        self.params().into_iter().filter(|(n, _)| n.split_once('.').is_some_and(|(pg, _)| pg == page)).collect()
    }
}

/// One MIDI track of a part: channel, bank, program and the NOTE page defaults as fields, every
/// other per-track byte (LFO, ARP, CTRL1/CTRL2 values; NOTE, LFO, ARP and CC setup; the LFO
/// designer, the arpeggiator sequence and its mute mask) by name through
/// [`params::MIDI_PART_PAGES`]: `arp.mode`, `arp_setup.len`, `arp_setup.key`, `ctrl1_setup.cc1`
/// (the CC number), `ctrl1.cc1` (its value), `lfo_setup.pmtr1`, `arp_seq.note3`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MidiPartTrack {
    /// MIDI channel 1-16.
    pub channel: u8,
    /// Bank select sent on pattern change (None = off; stored 128).
    pub bank: Option<u8>,
    /// Program change (None = off).
    pub program: Option<u8>,
    /// Default note, velocity and length code (NOTE page).
    pub note: u8,
    /// Default velocity.
    pub velocity: u8,
    /// Default length code.
    pub length: u8,
    /// Every byte of [`params::MIDI_PART_PAGES`], in table order (the fields above win on write).
    values: Vec<u8>,
    /// `bank B part P MIDI track T`, for errors.
    place: String,
}

impl MidiPartTrack {
    fn find(&self, name: &str) -> Result<params::PartParam, OtError> {
        let ctx = AudioContext::default();
        params::part_param(name, params::MIDI_PART_PAGES, &ctx)
            .ok_or_else(|| unknown_param(&self.place, name, &params::part_params(params::MIDI_PART_PAGES, &ctx)))
    }

    /// A value by name, as shown (`note_setup.chan` 1-16, everything else as stored).
    pub fn param(&self, name: &str) -> Result<u16, OtError> {
        let p = self.find(name)?;
        let raw = match p.name.as_str() {
            "note_setup.chan" => self.channel.saturating_sub(1),
            "note_setup.bank" => self.bank.unwrap_or(128),
            "note_setup.prog" => self.program.unwrap_or(128),
            "note.note" => self.note,
            "note.vel" => self.velocity,
            "note.len" => self.length,
            _ => self.values.get(p.index).copied().unwrap_or(0),
        };
        Ok(p.show(raw))
    }

    /// Sets a value by name (validated against the page's range; the typed fields follow).
    pub fn set_param(&mut self, name: &str, v: u16) -> Result<(), OtError> {
        let p = self.find(name)?;
        let b = p.store(v, &self.place)?;
        if let Some(x) = self.values.get_mut(p.index) {
            *x = b;
        }
        let off = |b: u8| (b < 128).then_some(b);
        match p.name.as_str() {
            "note_setup.chan" => self.channel = b + 1,
            "note_setup.bank" => self.bank = off(b),
            "note_setup.prog" => self.program = off(b),
            "note.note" => self.note = b,
            "note.vel" => self.velocity = b,
            "note.len" => self.length = b,
            _ => {}
        }
        Ok(())
    }

    /// Every named byte as shown, in file order.
    pub fn params(&self) -> Vec<(String, u16)> {
        params::part_params(params::MIDI_PART_PAGES, &AudioContext::default())
            .into_iter()
            .map(|p| {
                let v = self.param(&p.name).unwrap_or(0);
                (p.name, v)
            })
            .collect()
    }
}

/// Where a bank refers to a sample slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SamplePlace {
    /// A part's machine slot (`active`: the track's machine plays from this pool).
    Machine {
        /// Part 1-4.
        part: u8,
        /// Working or saved copy.
        copy: PartCopy,
        /// Track 1-8.
        track: u8,
        /// Whether the track's machine uses this slot (Static: the static slot, Flex: the flex slot).
        active: bool,
    },
    /// A step's sample lock.
    Lock {
        /// Pattern 1-16.
        pattern: u8,
        /// Track 1-8.
        track: u8,
        /// Step 1-64.
        step: u8,
    },
}

/// One sample reference of a bank: where, which pool, which slot (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleRef {
    /// Where the reference is.
    pub place: SamplePlace,
    /// Flex or Static pool.
    pub pool: SlotType,
    /// Slot 1-136 as the device counts.
    pub slot: u16,
}

/// A bank of a project (number 1-16) with typed access.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bank {
    raw: raw_bank::Bank,
    number: u8,
}

fn idx(place: &str, what: &str, n: u8, max: usize) -> Result<usize, OtError> {
    if n == 0 || usize::from(n) > max {
        return Err(bad(place, format!("{what} {n}: {what}s are numbered 1-{max}")));
    }
    Ok(usize::from(n) - 1)
}

fn masks_bit(t: &pattern::Track<&[u8]>, mask: usize, s: usize) -> bool {
    t.mask(mask) >> s & 1 == 1
}

/// Where a step is (indices from 0) and the place for errors.
struct StepAt {
    pi: usize,
    ti: usize,
    s: usize,
    midi: bool,
    place: String,
}

impl Bank {
    /// Wraps a raw bank as bank `number` (1-16, used in error places).
    pub fn from_raw(raw: raw_bank::Bank, number: u8) -> Self {
        Self { raw, number }
    }

    /// The device's blank bank.
    pub fn new(number: u8) -> Self {
        Self::from_raw(raw_bank::Bank::new_default(), number)
    }

    /// The bank number 1-16.
    pub fn number(&self) -> u8 {
        self.number
    }

    /// The raw bank (every byte).
    pub fn raw(&self) -> &raw_bank::Bank {
        &self.raw
    }

    /// The raw bank, writable.
    pub fn raw_mut(&mut self) -> &mut raw_bank::Bank {
        &mut self.raw
    }

    /// The file bytes, checksum recomputed when changed.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.raw.to_bytes()
    }

    fn place(&self) -> String {
        format!("bank {}", self.number)
    }

    fn pi(&self, p: u8) -> Result<usize, OtError> {
        idx(&self.place(), "pattern", p, PATTERN_COUNT)
    }

    /// The naming contexts of the 8 audio tracks of pattern index `pi` (its working part).
    fn contexts(&self, pi: usize) -> [AudioContext; 8] {
        let part = usize::from(self.raw.pattern(pi).part());
        if part >= PART_COUNT {
            return [AudioContext::default(); 8];
        }
        let pt = self.raw.part(PartCopy::Working, part);
        std::array::from_fn(|t| AudioContext::of_part(&pt, t))
    }

    /// Pattern `p`'s settings (1-16).
    pub fn pattern(&self, p: u8) -> Result<PatternSettings, OtError> {
        let pat = self.raw.pattern(self.pi(p)?);
        Ok(PatternSettings {
            part: pat.part().saturating_add(1),
            master_length: pat.master_length(),
            master_scale: pat.byte(pattern::MASTER_SCALE),
            per_track: pat.byte(pattern::SCALE_MODE) == 1,
            per_track_master: [
                pat.byte(pattern::LENGTH_MULTIPLIER),
                pat.byte(pattern::PER_TRACK_LENGTH),
                pat.byte(pattern::PER_TRACK_SCALE),
            ],
            tempo: f64::from(pat.tempo_x24()) / 24.0,
        })
    }

    /// Writes pattern `p`'s settings (part 1-4, length 1-64 in normal mode, scale 0-6, tempo
    /// 30-300 BPM).
    pub fn set_pattern(&mut self, p: u8, s: &PatternSettings) -> Result<(), OtError> {
        let pi = self.pi(p)?;
        let place = format!("{} pattern {p}", self.place());
        let old = self.pattern(p)?;
        check_range(&place, "part", u16::from(s.part), 1, 4)?;
        if s.master_length != old.master_length {
            check_range(&place, "length", u16::from(s.master_length), 1, 64)?;
        }
        check_range(&place, "master scale", u16::from(s.master_scale), 0, 6)?;
        let x24 = (s.tempo * 24.0).round();
        if s.tempo != old.tempo && !(720.0..=7200.0).contains(&x24) {
            return Err(bad(&place, format!("tempo {}: must be 30-300 BPM", s.tempo)));
        }
        let mut pat = self.raw.pattern_mut(pi);
        pat.set_part(s.part - 1);
        pat.set_byte(pattern::MASTER_LENGTH, s.master_length);
        pat.set_byte(pattern::MASTER_SCALE, s.master_scale);
        let mode = if s.per_track { 1 } else { 0 };
        if pat.byte(pattern::SCALE_MODE) != mode {
            pat.set_byte(pattern::SCALE_MODE, mode);
        }
        pat.set_byte(pattern::LENGTH_MULTIPLIER, s.per_track_master[0]);
        pat.set_byte(pattern::PER_TRACK_LENGTH, s.per_track_master[1]);
        pat.set_byte(pattern::PER_TRACK_SCALE, s.per_track_master[2]);
        if s.tempo != old.tempo {
            pat.set_tempo_x24(x24 as u16); // ok: 720..=7200 checked
        }
        Ok(())
    }

    fn track_settings(t: &pattern::Track<&[u8]>) -> TrackSettings {
        TrackSettings {
            length: t.setting(0),
            scale: t.setting(1),
            swing_amount: t.setting(2),
            other: [t.setting(3), t.setting(4), t.setting(5), t.setting(6), t.setting(7)],
        }
    }

    /// The settings of audio track `track` (1-8) in pattern `p`.
    pub fn audio_track(&self, p: u8, track: u8) -> Result<TrackSettings, OtError> {
        let ti = idx(&format!("{} pattern {p}", self.place()), "track", track, 8)?;
        Ok(Self::track_settings(&self.raw.pattern(self.pi(p)?).audio_track(ti)))
    }

    /// The settings of MIDI track `track` (1-8) in pattern `p`.
    pub fn midi_track(&self, p: u8, track: u8) -> Result<TrackSettings, OtError> {
        let ti = idx(&format!("{} pattern {p}", self.place()), "MIDI track", track, 8)?;
        Ok(Self::track_settings(&self.raw.pattern(self.pi(p)?).midi_track(ti)))
    }

    fn write_track_settings(t: &mut pattern::Track<&mut [u8]>, s: &TrackSettings, place: &str) -> Result<(), OtError> {
        check_range(place, "length", u16::from(s.length), 1, 64)?;
        check_range(place, "scale", u16::from(s.scale), 0, 6)?;
        check_range(place, "swing amount", u16::from(s.swing_amount), 0, 30)?;
        for (i, v) in [s.length, s.scale, s.swing_amount].into_iter().chain(s.other).enumerate() {
            t.set_setting(i, v);
        }
        Ok(())
    }

    /// Writes the settings of audio track `track` in pattern `p`.
    pub fn set_audio_track(&mut self, p: u8, track: u8, s: &TrackSettings) -> Result<(), OtError> {
        let place = format!("{} pattern {p} track {track}", self.place());
        let pi = self.pi(p)?;
        let ti = idx(&place, "track", track, 8)?;
        Self::write_track_settings(&mut self.raw.pattern_mut(pi).audio_track_mut(ti), s, &place)
    }

    /// Writes the settings of MIDI track `track` in pattern `p`.
    pub fn set_midi_track(&mut self, p: u8, track: u8, s: &TrackSettings) -> Result<(), OtError> {
        let place = format!("{} pattern {p} MIDI track {track}", self.place());
        let pi = self.pi(p)?;
        let ti = idx(&place, "MIDI track", track, 8)?;
        Self::write_track_settings(&mut self.raw.pattern_mut(pi).midi_track_mut(ti), s, &place)
    }

    /// Finds a step: pattern, track and step indices and the place for errors, for audio
    /// (`midi` false) or MIDI tracks. One preamble for the four step accessors.
    fn step_at(&self, p: u8, midi: bool, track: u8, step: u8) -> Result<StepAt, OtError> {
        let kind = if midi { "MIDI track" } else { "track" };
        let place = format!("{} pattern {p} {kind} {track} step {step}", self.place());
        let pi = self.pi(p)?;
        let ti = idx(&place, kind, track, 8)?;
        let s = idx(&place, "step", step, STEPS)?;
        Ok(StepAt { pi, ti, s, midi, place })
    }

    /// What every step has: the bit of each trig mask (audio: 10 masks, MIDI: 5), the timing
    /// and the 32 lock bytes.
    fn read_step(&self, at: &StepAt) -> ([bool; 10], StepTiming, [u8; PLOCK_SIZE]) {
        let pat = self.raw.pattern(at.pi);
        let t = if at.midi { pat.midi_track(at.ti) } else { pat.audio_track(at.ti) };
        let mut locks = [NO_LOCK; PLOCK_SIZE];
        locks.copy_from_slice(t.plock(at.s).get(..PLOCK_SIZE).unwrap_or(&[NO_LOCK; PLOCK_SIZE]));
        (std::array::from_fn(|m| masks_bit(&t, m, at.s)), t.timing(at.s), locks)
    }

    /// Writes what every step has: mask bits (a mask byte is written only when its bit
    /// changes), the timing (validated against the stored one) and the lock bytes. `lock_check`
    /// says why a changed lock byte is refused.
    fn write_step(
        &mut self,
        at: &StepAt,
        bits: &[bool],
        (condition, micro, repeats): (Condition, i8, u8),
        locks: &[u8; PLOCK_SIZE],
        lock_check: impl Fn(usize, u8) -> Option<String>,
    ) -> Result<(), OtError> {
        let (_, old_timing, old_locks) = self.read_step(at);
        let timing = Self::check_timing(&at.place, old_timing, condition, micro, repeats)?;
        for (f, (&a, &b)) in locks.iter().zip(&old_locks).enumerate() {
            if a != b
                && a != NO_LOCK
                && let Some(why) = lock_check(f, a)
            {
                return Err(bad(&at.place, why));
            }
        }
        let mut pm = self.raw.pattern_mut(at.pi);
        let mut t = if at.midi { pm.midi_track_mut(at.ti) } else { pm.audio_track_mut(at.ti) };
        let s = at.s;
        for (m, &on) in bits.iter().enumerate() {
            let set = t.mask(m);
            let new = if on { set | 1 << s } else { set & !(1 << s) };
            if new != set {
                t.set_mask(m, new);
            }
        }
        t.set_timing(s, timing);
        for (f, &b) in locks.iter().enumerate() {
            t.set_plock(s, f, b);
        }
        Ok(())
    }

    /// Step `step` (1-64) of audio track `track` (1-8) of pattern `p` (1-16).
    pub fn audio_step(&self, p: u8, track: u8, step: u8) -> Result<AudioStep, OtError> {
        let at = self.step_at(p, false, track, step)?;
        Ok(self.audio_step_at(&at, self.context(at.pi, at.ti)))
    }

    /// The 64 steps of audio track `track` (1-8) of pattern `p`: the same values as
    /// `audio_step` for each step, with the coordinates checked and the track's naming context
    /// found once (the Python binding's `for step in track` reads a whole track).
    pub fn audio_steps(&self, p: u8, track: u8) -> Result<Vec<AudioStep>, OtError> {
        let mut at = self.step_at(p, false, track, 1)?;
        let ctx = self.context(at.pi, at.ti);
        let mut out = Vec::with_capacity(STEPS);
        for s in 0..STEPS {
            at.s = s;
            out.push(self.audio_step_at(&at, ctx));
        }
        Ok(out)
    }

    /// The naming context of audio track index `ti` of pattern index `pi` (see `contexts`).
    fn context(&self, pi: usize, ti: usize) -> AudioContext {
        let part = usize::from(self.raw.pattern(pi).part());
        if part >= PART_COUNT || ti >= 8 {
            return AudioContext::default();
        }
        AudioContext::of_part(&self.raw.part(PartCopy::Working, part), ti)
    }

    fn audio_step_at(&self, at: &StepAt, ctx: AudioContext) -> AudioStep {
        let (b, timing, locks) = self.read_step(at);
        AudioStep {
            trig: b[0],
            trigless: b[1],
            plock_trig: b[2],
            oneshot: b[3],
            recorder: [b[4], b[5], b[6], b[7]],
            swing: b[8],
            slide: b[9],
            condition: Condition(timing.condition),
            micro: timing.micro,
            repeats: timing.repeats + 1,
            locks,
            ctx,
        }
    }

    fn check_timing(place: &str, old: StepTiming, c: Condition, micro: i8, repeats: u8) -> Result<StepTiming, OtError> {
        if c.0 != old.condition && c.0 > 64 {
            return Err(bad(place, format!("condition {}: not a device condition", c.0)));
        }
        if micro != old.micro && !MICRO_RANGE.contains(&micro) {
            return Err(bad(place, format!("micro-timing {micro}: must be -23..23 (1/384 of a step)")));
        }
        check_range(place, "repeats", u16::from(repeats), 1, 8)?;
        Ok(StepTiming { repeats: repeats - 1, condition: c.0, micro })
    }

    /// Writes an audio step (validated; only the step's own bits and bytes change).
    pub fn set_audio_step(&mut self, p: u8, track: u8, step: u8, v: &AudioStep) -> Result<(), OtError> {
        let at = self.step_at(p, false, track, step)?;
        let [ab, cd, src3, one] = v.recorder;
        let bits = [v.trig, v.trigless, v.plock_trig, v.oneshot, ab, cd, src3, one, v.swing, v.slide];
        self.write_step(&at, &bits, (v.condition, v.micro, v.repeats), &v.locks, |f, a| {
            (f != SAMPLE_LOCK && f != 30 && a > 127)
                .then(|| format!("{} {a}: parameter values are 0-127", params::audio_lock_name(f, &v.ctx)))
        })
    }

    /// Step `step` of MIDI track `track` of pattern `p`.
    pub fn midi_step(&self, p: u8, track: u8, step: u8) -> Result<MidiStep, OtError> {
        let at = self.step_at(p, true, track, step)?;
        Ok(self.midi_step_at(&at))
    }

    /// The 64 steps of MIDI track `track` (1-8) of pattern `p` (as `midi_step` for each step,
    /// the coordinates checked once).
    pub fn midi_steps(&self, p: u8, track: u8) -> Result<Vec<MidiStep>, OtError> {
        let mut at = self.step_at(p, true, track, 1)?;
        let mut out = Vec::with_capacity(STEPS);
        for s in 0..STEPS {
            at.s = s;
            out.push(self.midi_step_at(&at));
        }
        Ok(out)
    }

    fn midi_step_at(&self, at: &StepAt) -> MidiStep {
        let (b, timing, locks) = self.read_step(at);
        MidiStep {
            trig: b[0],
            trigless: b[1],
            plock_trig: b[2],
            swing: b[3],
            mask5: b[4],
            condition: Condition(timing.condition),
            micro: timing.micro,
            repeats: timing.repeats + 1,
            locks,
        }
    }

    /// Writes a MIDI step.
    pub fn set_midi_step(&mut self, p: u8, track: u8, step: u8, v: &MidiStep) -> Result<(), OtError> {
        let at = self.step_at(p, true, track, step)?;
        let bits = [v.trig, v.trigless, v.plock_trig, v.swing, v.mask5];
        self.write_step(&at, &bits, (v.condition, v.micro, v.repeats), &v.locks, |f, a| {
            (a > 127).then(|| format!("{} {a}: values are 0-127", params::midi_lock_name(f)))
        })
    }

    fn part_index(&self, part: u8) -> Result<usize, OtError> {
        idx(&self.place(), "part", part, PART_COUNT)
    }

    /// The part and track indices of `part` (1-4) `kind` track `track` (1-8), and the place.
    fn part_place(&self, part: u8, kind: &str, track: u8) -> Result<(usize, usize, String), OtError> {
        let place = format!("{} part {part} {kind} {track}", self.place());
        let i = self.part_index(part)?;
        let t = idx(&place, kind, track, 8)?;
        Ok((i, t, place))
    }

    fn read_values(&self, copy: PartCopy, i: usize, t: usize, pages: &[params::PartPage]) -> Vec<u8> {
        let pt = self.raw.part(copy, i);
        params::part_params(pages, &AudioContext::default()).iter().map(|p| pt.byte(p.at(t))).collect()
    }

    /// Writes the named bytes of `pages` for track `t`, refusing a changed value out of range.
    fn write_values(
        &mut self,
        (copy, i, t): (PartCopy, usize, usize),
        all: &[params::PartParam],
        new: &[u8],
        old: &[u8],
        place: &str,
    ) -> Result<(), OtError> {
        if new.len() != all.len() {
            return Err(bad(place, format!("{} named values, expected {}", new.len(), all.len())));
        }
        for (p, (&a, &b)) in all.iter().zip(new.iter().zip(old)) {
            if a != b && a > p.max {
                return Err(bad(place, format!("{} {a}: must be 0-{}", p.name, p.max)));
            }
        }
        let mut pt = self.raw.part_mut(copy, i);
        for (p, &v) in all.iter().zip(new) {
            pt.set_byte(p.at(t), v);
        }
        Ok(())
    }

    /// Runs an edit of part copy `copy` of part `i` (0-3) and, when it changed the working copy,
    /// sets the part's edited bit (bank byte 0x9B4B2, [`raw_bank::PARTS_EDITED`]), as the device
    /// does when a part is edited (the device files: every working part that differs from its
    /// saved copy has its bit set).
    fn editing_part<T>(
        &mut self,
        copy: PartCopy,
        i: usize,
        edit: impl FnOnce(&mut Self) -> Result<T, OtError>,
    ) -> Result<T, OtError> {
        if copy != PartCopy::Working {
            return edit(self);
        }
        let before = self.raw.part(PartCopy::Working, i).raw().to_vec();
        let out = edit(self)?;
        if self.raw.part(PartCopy::Working, i).raw() != before.as_slice() {
            self.raw.set_part_edited(i, true);
        }
        Ok(out)
    }

    /// Audio track `track` of part `part` (1-4), working or saved copy.
    pub fn part_track(&self, part: u8, copy: PartCopy, track: u8) -> Result<PartTrack, OtError> {
        let (i, t, place) = self.part_place(part, "track", track)?;
        let pt = self.raw.part(copy, i);
        Ok(PartTrack {
            place,
            machine: pt.machine(t),
            fx1: pt.fx1(t),
            fx2: pt.fx2(t),
            volume: pt.volume(t),
            static_slot: u16::from(pt.static_slot(t)) + 1,
            flex_slot: u16::from(pt.flex_slot(t)) + 1,
            recorder_slot: u16::from(pt.recorder_slot(t)) + 1,
            values: self.read_values(copy, i, t, params::AUDIO_PART_PAGES),
        })
    }

    /// Writes an audio track of a part (machine, FX types, volumes 0-127, slots 1-128 (Flex and
    /// recorder 1-136), every named byte in its page's range). Only changed bytes change.
    pub fn set_part_track(&mut self, part: u8, copy: PartCopy, track: u8, v: &PartTrack) -> Result<(), OtError> {
        let i = self.part_index(part)?;
        self.editing_part(copy, i, |b| b.write_part_track(part, copy, track, v))
    }

    fn write_part_track(&mut self, part: u8, copy: PartCopy, track: u8, v: &PartTrack) -> Result<(), OtError> {
        let old = self.part_track(part, copy, track)?;
        let (i, t, place) = self.part_place(part, "track", track)?;
        let machine = v.machine;
        if machine != old.machine && MachineType::from_byte(machine).is_none() {
            return Err(bad(&place, format!("machine {machine}: must be 0-4 (Static, Flex, Thru, Neighbor, Pickup)")));
        }
        check_range(&place, "main volume", u16::from(v.volume.0), 0, 127)?;
        check_range(&place, "cue volume", u16::from(v.volume.1), 0, 127)?;
        check_range(&place, "static slot", v.static_slot, 1, 128)?;
        check_range(&place, "flex slot", v.flex_slot, 1, 136)?;
        check_range(&place, "recorder slot", v.recorder_slot, 1, 136)?;
        for (name, fx, old_fx) in [("fx1", v.fx1, old.fx1), ("fx2", v.fx2, old.fx2)] {
            if fx != old_fx && part::fx_name(fx).starts_with('#') {
                return Err(bad(
                    &place,
                    format!("{name} type {fx}: not an FX id groovekit knows (see docs/octatrack-files.md)"),
                ));
            }
        }
        let all = params::part_params(params::AUDIO_PART_PAGES, &v.context());
        self.write_values((copy, i, t), &all, &v.values, &old.values, &place)?;
        let mut pt = self.raw.part_mut(copy, i);
        pt.set_machine(t, machine);
        pt.set_fx(t, v.fx1, v.fx2);
        pt.set_volume(t, v.volume.0, v.volume.1);
        let s = |x: u16| (x - 1) as u8; // ok: ranges checked above
        pt.set_slots(t, s(v.static_slot), s(v.flex_slot), s(v.recorder_slot));
        Ok(())
    }

    /// MIDI track `track` of part `part`.
    pub fn midi_part_track(&self, part: u8, copy: PartCopy, track: u8) -> Result<MidiPartTrack, OtError> {
        let (i, t, place) = self.part_place(part, "MIDI track", track)?;
        let pt = self.raw.part(copy, i);
        let values = self.read_values(copy, i, t, params::MIDI_PART_PAGES);
        let b = |rel: usize| pt.byte(rel + t * 36);
        let n = |rel: usize| pt.byte(rel + t * 32);
        let off = |b: u8| (b < 128).then_some(b);
        Ok(MidiPartTrack {
            channel: b(1_259).saturating_add(1),
            bank: off(b(1_260)),
            program: off(b(1_261)),
            note: n(1_003),
            velocity: n(1_004),
            length: n(1_005),
            values,
            place,
        })
    }

    /// Writes a MIDI track of a part (channel 1-16, bank/program 0-127 or None, note/velocity
    /// 0-127, every named byte in its page's range).
    pub fn set_midi_part_track(
        &mut self,
        part: u8,
        copy: PartCopy,
        track: u8,
        v: &MidiPartTrack,
    ) -> Result<(), OtError> {
        let i = self.part_index(part)?;
        self.editing_part(copy, i, |b| b.write_midi_part_track(part, copy, track, v))
    }

    fn write_midi_part_track(&mut self, part: u8, copy: PartCopy, track: u8, v: &MidiPartTrack) -> Result<(), OtError> {
        let old = self.midi_part_track(part, copy, track)?;
        let (i, t, place) = self.part_place(part, "MIDI track", track)?;
        check_range(&place, "channel", u16::from(v.channel), 1, 16)?;
        for (what, x) in [("bank", v.bank), ("program", v.program)] {
            if let Some(x) = x {
                check_range(&place, what, u16::from(x), 0, 127)?;
            }
        }
        check_range(&place, "note", u16::from(v.note), 0, 127)?;
        check_range(&place, "velocity", u16::from(v.velocity), 0, 127)?;
        let mut values = v.values.clone();
        let all = params::part_params(params::MIDI_PART_PAGES, &AudioContext::default());
        for (p, x) in all.iter().zip(values.iter_mut()) {
            match p.name.as_str() {
                "note_setup.chan" => *x = v.channel - 1,
                "note_setup.bank" => *x = v.bank.unwrap_or(128),
                "note_setup.prog" => *x = v.program.unwrap_or(128),
                "note.note" => *x = v.note,
                "note.vel" => *x = v.velocity,
                "note.len" => *x = v.length,
                _ => {}
            }
        }
        self.write_values((copy, i, t), &all, &values, &old.values, &place)
    }

    /// A scene lock (scene 1-16, track 1-8) by parameter name, in the part's naming context.
    pub fn scene_lock(
        &self,
        part: u8,
        copy: PartCopy,
        scene: u8,
        track: u8,
        name: &str,
    ) -> Result<Option<u16>, OtError> {
        let place = format!("{} part {part} scene {scene} track {track}", self.place());
        let i = self.part_index(part)?;
        let s = idx(&place, "scene", scene, 16)?;
        let t = idx(&place, "track", track, 8)?;
        let pt = self.raw.part(copy, i);
        let ctx = AudioContext::of_part(&pt, t);
        let f =
            params::audio_lock_field(name, &ctx).ok_or_else(|| bad(&place, format!("unknown parameter {name:?}")))?;
        let raw = pt.scene_locks(s, t).get(f).copied().unwrap_or(NO_LOCK);
        Ok((raw != NO_LOCK).then(|| params::show_audio_lock(f, raw)))
    }

    /// Sets or clears a scene lock by name.
    pub fn set_scene_lock(
        &mut self,
        part: u8,
        copy: PartCopy,
        scene: u8,
        track: u8,
        name: &str,
        value: Option<u16>,
    ) -> Result<(), OtError> {
        let place = format!("{} part {part} scene {scene} track {track}", self.place());
        let i = self.part_index(part)?;
        let s = idx(&place, "scene", scene, 16)?;
        let t = idx(&place, "track", track, 8)?;
        let ctx = AudioContext::of_part(&self.raw.part(copy, i), t);
        let f =
            params::audio_lock_field(name, &ctx).ok_or_else(|| bad(&place, format!("unknown parameter {name:?}")))?;
        if f >= params::SCENE_LOCK_FIELDS {
            return Err(bad(
                &place,
                format!(
                    "{name}: a scene cannot lock it; scenes lock the SRC, LFO, AMP, FX1 and FX2 pages: {}",
                    params::audio_lock_names(&ctx).get(..params::SCENE_LOCK_FIELDS).unwrap_or_default().join(", ")
                ),
            ));
        }
        let b = match value {
            Some(v) => {
                let b = params::store_audio_lock(f, v, &place)?;
                if f < 30 && b > 127 {
                    return Err(bad(&place, format!("{name} {v}: values are 0-127")));
                }
                b
            }
            None => NO_LOCK,
        };
        self.editing_part(copy, i, |bank| {
            bank.raw.part_mut(copy, i).set_scene_lock(s, t, f, b);
            Ok(())
        })
    }

    /// The name of part `part`.
    pub fn part_name(&self, part: u8) -> Result<String, OtError> {
        Ok(self.raw.part_name(self.part_index(part)?))
    }

    /// Renames part `part` (up to 7 characters; stale bytes after the NUL are kept).
    pub fn set_part_name(&mut self, part: u8, name: &str) -> Result<(), OtError> {
        let i = self.part_index(part)?;
        self.raw.set_part_name(i, name)
    }

    /// PART SAVE: copies the working part into the saved copy and marks it saved.
    pub fn save_part(&mut self, part: u8) -> Result<(), OtError> {
        let i = self.part_index(part)?;
        let (from, to) = (PartCopy::Working.offset(i), PartCopy::Saved.offset(i));
        let bytes = self.raw.bytes_mut();
        bytes.copy_within(from..from + PART_SIZE, to);
        if let Some(b) = bytes.get_mut(raw_bank::PARTS_SAVED_STATE + i) {
            *b = 1;
        }
        // Saved: no longer edited since the save (octatrack-manager `project_reader.rs` clears
        // the bit on commit; the device files never show a clear bit on a part that differs).
        self.raw.set_part_edited(i, false);
        Ok(())
    }

    /// PART RELOAD: copies the saved part over the working copy.
    pub fn reload_part(&mut self, part: u8) -> Result<(), OtError> {
        let i = self.part_index(part)?;
        let (from, to) = (PartCopy::Saved.offset(i), PartCopy::Working.offset(i));
        self.raw.bytes_mut().copy_within(from..from + PART_SIZE, to);
        // The working copy is the saved one again.
        self.raw.set_part_edited(i, false);
        Ok(())
    }

    /// Every sample reference of the bank: the static and flex slots of every track of every
    /// part (working and saved; `active` when the machine plays that pool; recorder slots are
    /// not sample references) and every sample lock of every pattern, whose pool is the track's
    /// machine in the pattern's working part (locks on tracks that are not Flex or Static are
    /// left out). This is what a bank copy remaps (issue 13).
    pub fn sample_refs(&self) -> Vec<SampleRef> {
        let mut out = Vec::new();
        for copy in [PartCopy::Working, PartCopy::Saved] {
            for i in 0..PART_COUNT {
                let pt = self.raw.part(copy, i);
                for t in 0..8 {
                    let m = MachineType::from_byte(pt.machine(t));
                    let part = i as u8 + 1; // ok: i < 4
                    let track = t as u8 + 1; // ok: t < 8
                    for (pool, slot, active) in [
                        (SlotType::Static, pt.static_slot(t), m == Some(MachineType::Static)),
                        (SlotType::Flex, pt.flex_slot(t), m == Some(MachineType::Flex)),
                    ] {
                        out.push(SampleRef {
                            place: SamplePlace::Machine { part, copy, track, active },
                            pool,
                            slot: u16::from(slot) + 1,
                        });
                    }
                }
            }
        }
        for pi in 0..PATTERN_COUNT {
            let ctx = self.contexts(pi);
            let pat = self.raw.pattern(pi);
            for (t, c) in ctx.iter().enumerate() {
                let pool = match c.machine {
                    Some(MachineType::Static) => SlotType::Static,
                    Some(MachineType::Flex) => SlotType::Flex,
                    _ => continue,
                };
                let tr = pat.audio_track(t);
                for s in 0..STEPS {
                    let raw = tr.plock(s).get(SAMPLE_LOCK).copied().unwrap_or(NO_LOCK);
                    if raw != NO_LOCK {
                        out.push(SampleRef {
                            place: SamplePlace::Lock { pattern: pi as u8 + 1, track: t as u8 + 1, step: s as u8 + 1 }, // ok: small
                            pool,
                            slot: u16::from(raw) + 1,
                        });
                    }
                }
            }
        }
        out
    }

    /// Points a sample reference at another slot (1-128; Flex 1-136); only that byte changes.
    pub fn set_sample_ref(&mut self, r: &SampleRef, slot: u16) -> Result<(), OtError> {
        let place = format!("{} {:?}", self.place(), r.place);
        let max = if r.pool == SlotType::Flex { 136 } else { 128 };
        check_range(&place, "slot", slot, 1, max)?;
        let b = (slot - 1) as u8; // ok: range checked
        match r.place {
            SamplePlace::Machine { part, copy, track, .. } => {
                let (i, t) = (self.part_index(part)?, idx(&place, "track", track, 8)?);
                let off = part::SLOTS + 5 * t + if r.pool == SlotType::Static { 0 } else { 1 };
                self.editing_part(copy, i, |bank| {
                    bank.raw.part_mut(copy, i).set_byte(off, b);
                    Ok(())
                })?;
            }
            SamplePlace::Lock { pattern, track, step } => {
                let pi = self.pi(pattern)?;
                let (t, s) = (idx(&place, "track", track, 8)?, idx(&place, "step", step, STEPS)?);
                self.raw.pattern_mut(pi).audio_track_mut(t).set_plock(s, SAMPLE_LOCK, b);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "bank_tests.rs"]
mod tests;
