//! Typed view of `.ot` sample settings (reference §1.5).
//!
//! Every byte of the file is represented, so [`SampleSettings::from_file`] followed by
//! [`SampleSettings::to_file`] gives back the same bytes: values the device is not known to
//! write (an unknown timestretch mode, say) are kept as numbers, and slice entries after the
//! slice count are kept as [`SampleSettings::unused_slots`].

use crate::OtError;
use crate::raw::sample_settings::{self as raw, RawSlice, SampleSettingsFile};

/// Frames per second the Octatrack plays at; bar lengths are computed at this rate.
pub const OCTATRACK_RATE: u64 = 44_100;

/// The timestretch mode (u32 at byte 35).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timestretch {
    /// 0: off.
    Off,
    /// 2: normal.
    Normal,
    /// 3: beat.
    Beat,
    /// Any other stored value, kept as is.
    Other(u32),
}

impl Timestretch {
    /// From the stored value.
    pub fn from_raw(v: u32) -> Self {
        match v {
            0 => Self::Off,
            2 => Self::Normal,
            3 => Self::Beat,
            v => Self::Other(v),
        }
    }
    /// The stored value.
    pub fn to_raw(self) -> u32 {
        match self {
            Self::Off => 0,
            Self::Normal => 2,
            Self::Beat => 3,
            Self::Other(v) => v,
        }
    }
}

/// The loop mode (u32 at byte 39).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoopMode {
    /// 0: off.
    Off,
    /// 1: normal.
    Normal,
    /// 2: ping-pong.
    PingPong,
    /// Any other stored value, kept as is.
    Other(u32),
}

impl LoopMode {
    /// From the stored value.
    pub fn from_raw(v: u32) -> Self {
        match v {
            0 => Self::Off,
            1 => Self::Normal,
            2 => Self::PingPong,
            v => Self::Other(v),
        }
    }
    /// The stored value.
    pub fn to_raw(self) -> u32 {
        match self {
            Self::Off => 0,
            Self::Normal => 1,
            Self::PingPong => 2,
            Self::Other(v) => v,
        }
    }
}

/// Step counts of trig quantisation values 1..=16.
pub const TRIG_QUANT_STEPS: [u16; 16] = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256];

/// Trig quantisation (byte 45).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrigQuant {
    /// 255: play at once.
    Direct,
    /// 0: wait for the pattern's length.
    PatternLength,
    /// 1..=16: wait for this many steps (one of [`TRIG_QUANT_STEPS`]).
    Steps(u16),
    /// Any other stored value, kept as is.
    Other(u8),
}

impl TrigQuant {
    /// From the stored byte.
    pub fn from_raw(v: u8) -> Self {
        match v {
            255 => Self::Direct,
            0 => Self::PatternLength,
            1..=16 => Self::Steps(TRIG_QUANT_STEPS[usize::from(v - 1)]), // ok: v-1 in 0..16
            v => Self::Other(v),
        }
    }
    /// The stored byte; `None` for a step count the device does not offer.
    pub fn to_raw(self) -> Option<u8> {
        match self {
            Self::Direct => Some(255),
            Self::PatternLength => Some(0),
            Self::Steps(n) => TRIG_QUANT_STEPS.iter().position(|&s| s == n).map(|i| i as u8 + 1),
            Self::Other(v) => Some(v),
        }
    }
}

/// One slice, in frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slice {
    /// First frame.
    pub start: u32,
    /// End frame (the frame after the last one played, as tools write it).
    pub end: u32,
    /// Loop point, `None` when the slice does not loop (stored 0xFFFFFFFF).
    pub loop_point: Option<u32>,
}

impl Slice {
    fn from_raw(s: RawSlice) -> Self {
        Self { start: s.start, end: s.end, loop_point: (s.loop_point != raw::LOOP_OFF).then_some(s.loop_point) }
    }
    fn to_raw(self) -> RawSlice {
        RawSlice { start: self.start, end: self.end, loop_point: self.loop_point.unwrap_or(raw::LOOP_OFF) }
    }
    /// Length in frames (0 when end is before start).
    pub fn len(&self) -> u32 {
        self.end.saturating_sub(self.start)
    }
    /// Whether the slice is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A slice entry after the slice count that is not all zeros (devices leave them behind when
/// slices are deleted). Kept so that the file round-trips; the device ignores them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnusedSlot {
    /// Entry index, 0-based (>= the slice count).
    pub index: usize,
    /// The entry as stored.
    pub slice: RawSlice,
}

/// Everything in a `.ot` file.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleSettings {
    /// Tempo × 24 (720..=7200 for 30..=300 BPM on the device).
    pub tempo_x24: u32,
    /// Trim length in bars × 100.
    pub trim_length_x100: u32,
    /// Loop length in bars × 100.
    pub loop_length_x100: u32,
    /// Timestretch mode.
    pub timestretch: Timestretch,
    /// Loop mode.
    pub loop_mode: LoopMode,
    /// Gain, 0..=96 with 48 = 0 dB (0.5 dB steps).
    pub gain: u16,
    /// Trig quantisation.
    pub trig_quant: TrigQuant,
    /// Trim start (frames).
    pub trim_start: u32,
    /// Trim end (frames).
    pub trim_end: u32,
    /// Loop point (frames).
    pub loop_point: u32,
    /// The slices in use (at most 64).
    pub slices: Vec<Slice>,
    /// Non-zero entries after the slice count.
    pub unused_slots: Vec<UnusedSlot>,
    /// Byte 22: 0 in tool-made files, 1 in device-made ones (meaning unknown).
    pub unknown_22: u8,
}

impl Default for SampleSettings {
    /// What octatools and OctaChainer write for a new chain: 120 BPM, 0 dB, loop off,
    /// timestretch off, trig quantisation direct, no slices.
    fn default() -> Self {
        Self {
            tempo_x24: 120 * 24,
            trim_length_x100: 0,
            loop_length_x100: 0,
            timestretch: Timestretch::Off,
            loop_mode: LoopMode::Off,
            gain: 48,
            trig_quant: TrigQuant::Direct,
            trim_start: 0,
            trim_end: 0,
            loop_point: 0,
            slices: Vec::new(),
            unused_slots: Vec::new(),
            unknown_22: 0,
        }
    }
}

fn invalid(field: &str, message: impl Into<String>) -> OtError {
    OtError::Invalid { field: field.to_string(), message: message.into() }
}

impl SampleSettings {
    /// The typed view of a file. Fails only when the slice count is above 64.
    pub fn from_file(f: &SampleSettingsFile) -> Result<Self, OtError> {
        let count = f.u32_at(raw::SLICE_COUNT);
        if count as usize > raw::SLICE_MAX {
            return Err(invalid(
                &format!("slice count (byte {})", raw::SLICE_COUNT),
                format!("{count} slices; a .ot file holds at most {}", raw::SLICE_MAX),
            ));
        }
        let count = count as usize;
        let mut slices = Vec::with_capacity(count);
        let mut unused_slots = Vec::new();
        for i in 0..raw::SLICE_MAX {
            let s = f.slice(i).unwrap_or_default();
            if i < count {
                slices.push(Slice::from_raw(s));
            } else if !s.is_zero() {
                unused_slots.push(UnusedSlot { index: i, slice: s });
            }
        }
        Ok(Self {
            tempo_x24: f.u32_at(raw::TEMPO),
            trim_length_x100: f.u32_at(raw::TRIM_LENGTH),
            loop_length_x100: f.u32_at(raw::LOOP_LENGTH),
            timestretch: Timestretch::from_raw(f.u32_at(raw::TIMESTRETCH)),
            loop_mode: LoopMode::from_raw(f.u32_at(raw::LOOP_MODE)),
            gain: f.gain(),
            trig_quant: TrigQuant::from_raw(f.u8_at(raw::TRIG_QUANT)),
            trim_start: f.u32_at(raw::TRIM_START),
            trim_end: f.u32_at(raw::TRIM_END),
            loop_point: f.u32_at(raw::LOOP_POINT),
            slices,
            unused_slots,
            unknown_22: f.u8_at(raw::UNKNOWN_22),
        })
    }

    /// Reads and types a `.ot` file (checksum checked).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, OtError> {
        Self::from_file(&SampleSettingsFile::from_bytes(bytes)?)
    }

    /// The file image (checksum still to be computed by [`SampleSettingsFile::to_bytes`]).
    pub fn to_file(&self) -> Result<SampleSettingsFile, OtError> {
        if self.slices.len() > raw::SLICE_MAX {
            return Err(invalid("slices", format!("{} slices; at most {}", self.slices.len(), raw::SLICE_MAX)));
        }
        let mut f = SampleSettingsFile::new_blank();
        f.set_u8(raw::UNKNOWN_22, self.unknown_22);
        f.set_u32(raw::TEMPO, self.tempo_x24);
        f.set_u32(raw::TRIM_LENGTH, self.trim_length_x100);
        f.set_u32(raw::LOOP_LENGTH, self.loop_length_x100);
        f.set_u32(raw::TIMESTRETCH, self.timestretch.to_raw());
        f.set_u32(raw::LOOP_MODE, self.loop_mode.to_raw());
        f.set_gain(self.gain);
        let tq = self.trig_quant.to_raw().ok_or_else(|| {
            invalid(
                "trig quantization",
                format!("{:?}: use direct, pattern-length or a step count of {TRIG_QUANT_STEPS:?}", self.trig_quant),
            )
        })?;
        f.set_u8(raw::TRIG_QUANT, tq);
        f.set_u32(raw::TRIM_START, self.trim_start);
        f.set_u32(raw::TRIM_END, self.trim_end);
        f.set_u32(raw::LOOP_POINT, self.loop_point);
        for (i, s) in self.slices.iter().enumerate() {
            f.set_slice(i, s.to_raw())?;
        }
        for u in &self.unused_slots {
            if u.index < self.slices.len() || u.index >= raw::SLICE_MAX {
                return Err(invalid(
                    "unused slots",
                    format!("entry {} is not after the {} slices in use (and below 64)", u.index, self.slices.len()),
                ));
            }
            f.set_slice(u.index, u.slice)?;
        }
        f.set_u32(raw::SLICE_COUNT, self.slices.len() as u32);
        Ok(f)
    }

    /// The bytes of the file, checksum included.
    pub fn to_bytes(&self) -> Result<Vec<u8>, OtError> {
        Ok(self.to_file()?.to_bytes())
    }

    /// Tempo in BPM.
    pub fn bpm(&self) -> f64 {
        f64::from(self.tempo_x24) / 24.0
    }

    /// Gain in dB.
    pub fn gain_db(&self) -> f64 {
        (f64::from(self.gain) - 48.0) / 2.0
    }

    /// Problems the device would mind: out-of-range tempo or gain, slices past the trim end or
    /// the audio's `frames`, slices that end before they start, loop points outside their slice.
    pub fn problems(&self, frames: Option<u64>) -> Vec<String> {
        let mut out = Vec::new();
        if !(720..=7200).contains(&self.tempo_x24) {
            out.push(format!("tempo {} BPM is outside 30..300", self.bpm()));
        }
        if self.gain > 96 {
            out.push(format!("gain {} is outside 0..96 (-24..+24 dB)", self.gain));
        }
        if let Some(n) = frames
            && u64::from(self.trim_end) > n
        {
            out.push(format!("trim end {} is past the audio's {n} frames", self.trim_end));
        }
        let limit = frames.unwrap_or(u64::from(self.trim_end.max(1)));
        for (i, s) in self.slices.iter().enumerate() {
            if s.end < s.start {
                out.push(format!("slice {}: end {} is before start {}", i + 1, s.end, s.start));
            }
            if u64::from(s.end) > limit && frames.is_some() {
                out.push(format!("slice {}: end {} is past the audio's {limit} frames", i + 1, s.end));
            }
            if let Some(lp) = s.loop_point
                && (lp < s.start || lp > s.end)
            {
                out.push(format!("slice {}: loop point {lp} is outside {}..{}", i + 1, s.start, s.end));
            }
        }
        out
    }
}

/// The bar length of `frames` frames at `bpm`, in bars × 100, rounded to the nearest quarter
/// bar (one beat): `round(bpm × frames / (44100 × 60)) × 25`, as OctaChainer and octatools do
/// (reference §1.5). The device itself stores hundredths (a device file has 253 for 2.525 bars).
/// `frames` are per-channel frames for mono and stereo alike (octatools divides stereo frames by
/// the channel count a second time and gets half the length; this does not).
pub fn bars_x100(frames: u64, tempo_x24: u32) -> u32 {
    // beats = frames × (tempo_x24 / 24) / (44100 × 60); integer maths, half rounded up.
    let num = u128::from(frames) * u128::from(tempo_x24);
    let den = u128::from(OCTATRACK_RATE) * 60 * 24;
    let beats = (num + den / 2) / den;
    u32::try_from(beats * 25).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_rule_hand_computed() {
        // 890 839 frames at 95.04 BPM (2281/24): 7.9995 bars → 8 → 800 (device file, §1.5).
        assert_eq!(bars_x100(890_839, 2281), 800);
        // 55 897 frames at 120 BPM: 2.535 beats → 3 beats → 75 (fixture chain).
        assert_eq!(bars_x100(55_897, 2880), 75);
        // 171 456 frames at 120 BPM: 7.775 beats → 8 → 200 (octatools wrote 97).
        assert_eq!(bars_x100(171_456, 2880), 200);
        // One bar at 120 BPM is exactly 88 200 frames.
        assert_eq!(bars_x100(88_200, 2880), 100);
        assert_eq!(bars_x100(0, 2880), 0);
    }

    #[test]
    fn trig_quant_table() {
        assert_eq!(TrigQuant::from_raw(1), TrigQuant::Steps(1));
        assert_eq!(TrigQuant::from_raw(16), TrigQuant::Steps(256));
        assert_eq!(TrigQuant::Steps(12).to_raw(), Some(7));
        assert_eq!(TrigQuant::Steps(5).to_raw(), None);
        for v in 0..=255u8 {
            assert_eq!(TrigQuant::from_raw(v).to_raw(), Some(v));
        }
    }
}
