//! The readable form of `.ot` sample settings (`kind: octatrack-sample-settings`), for
//! `groovekit dump` and `groovekit build`.
//!
//! Tempo is shown in BPM, lengths in bars and gain in dB; the file stores BPM × 24, bars × 100
//! and half-dB steps, and `build` converts back by rounding, so every value a file can hold
//! survives dump → build. Modes are names (`off`, `normal`, `beat`, `ping-pong`, `direct`,
//! `pattern-length`, a step count); a value the device is not known to write is shown as its
//! number. Slices omit `loop` when they do not loop. Slice entries left after the slice count
//! appear under `unused_slots` so that the file round-trips.

use serde::{Deserialize, Serialize};

use crate::OtError;
use crate::model::sample_settings::{LoopMode, SampleSettings, Slice, Timestretch, TrigQuant, UnusedSlot};
use crate::raw::sample_settings::RawSlice;

/// The `kind` of sample-settings documents.
pub const KIND: &str = "octatrack-sample-settings";

/// A mode: its name, or the stored number when it has none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Mode {
    /// A stored value with no known name, or a step count for trig quantisation.
    Number(u32),
    /// A known name.
    Name(String),
}

/// One slice in the document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SliceDoc {
    /// First frame.
    pub start: u32,
    /// End frame.
    pub end: u32,
    /// Loop point in frames; absent = no loop.
    #[serde(default, rename = "loop", skip_serializing_if = "Option::is_none")]
    pub loop_point: Option<u32>,
}

/// A stale slice entry after the slice count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnusedSlotDoc {
    /// Entry number, 1-based (as slices are numbered on the device).
    pub slot: usize,
    /// Stored start.
    pub start: u32,
    /// Stored end.
    pub end: u32,
    /// Stored loop point (4294967295 = off).
    #[serde(rename = "loop")]
    pub loop_point: u32,
}

/// The document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SampleSettingsDoc {
    /// Always [`KIND`].
    pub kind: String,
    /// Tempo in BPM (stored × 24).
    pub bpm: f64,
    /// Trim length in bars (stored × 100).
    pub trim_length_bars: f64,
    /// Loop length in bars (stored × 100).
    pub loop_length_bars: f64,
    /// `off`, `normal`, `beat`, or a number.
    pub timestretch: Mode,
    /// `off`, `normal`, `ping-pong`, or a number.
    #[serde(rename = "loop")]
    pub loop_mode: Mode,
    /// Gain in dB (-24..+24 in 0.5 dB steps on the device).
    pub gain_db: f64,
    /// `direct`, `pattern-length`, or a step count (1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64,
    /// 96, 128, 192, 256); a stored value with no meaning is written `raw-N`.
    pub trig_quantization: Mode,
    /// Trim start (frames).
    pub trim_start: u32,
    /// Trim end (frames).
    pub trim_end: u32,
    /// Loop point (frames).
    pub loop_point: u32,
    /// Slices in use.
    #[serde(default)]
    pub slices: Vec<SliceDoc>,
    /// Stale entries after the slices in use (the device ignores them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unused_slots: Vec<UnusedSlotDoc>,
    /// Byte 22: 0 in tool-made files, 1 in device-made ones (meaning unknown; kept).
    #[serde(default)]
    pub unknown_byte_22: u8,
}

fn invalid(field: &str, message: impl Into<String>) -> OtError {
    OtError::Invalid { field: field.to_string(), message: message.into() }
}

/// Turns `value × scale` into the stored integer, refusing values that do not land on one.
fn scaled<T: TryFrom<i64>>(value: f64, scale: f64, offset: f64, field: &str) -> Result<T, OtError> {
    let x = value * scale + offset;
    let r = x.round();
    // The tolerance covers the rounding of `stored / scale` in the dump for any u32 value.
    let tolerance = (x.abs() * 8.0 * f64::EPSILON).max(1e-6);
    if !x.is_finite() || (x - r).abs() > tolerance {
        return Err(invalid(field, format!("{value} cannot be stored exactly (steps of {})", 1.0 / scale)));
    }
    T::try_from(r as i64).map_err(|_| invalid(field, format!("{value} is out of range")))
}

impl SampleSettingsDoc {
    /// The document of a model.
    pub fn from_model(m: &SampleSettings) -> Self {
        let timestretch = match m.timestretch {
            Timestretch::Off => Mode::Name("off".into()),
            Timestretch::Normal => Mode::Name("normal".into()),
            Timestretch::Beat => Mode::Name("beat".into()),
            Timestretch::Other(v) => Mode::Number(v),
        };
        let loop_mode = match m.loop_mode {
            LoopMode::Off => Mode::Name("off".into()),
            LoopMode::Normal => Mode::Name("normal".into()),
            LoopMode::PingPong => Mode::Name("ping-pong".into()),
            LoopMode::Other(v) => Mode::Number(v),
        };
        let trig_quantization = match m.trig_quant {
            TrigQuant::Direct => Mode::Name("direct".into()),
            TrigQuant::PatternLength => Mode::Name("pattern-length".into()),
            TrigQuant::Steps(n) => Mode::Number(u32::from(n)),
            TrigQuant::Other(v) => Mode::Name(format!("raw-{v}")),
        };
        Self {
            kind: KIND.into(),
            bpm: m.bpm(),
            trim_length_bars: f64::from(m.trim_length_x100) / 100.0,
            loop_length_bars: f64::from(m.loop_length_x100) / 100.0,
            timestretch,
            loop_mode,
            gain_db: m.gain_db(),
            trig_quantization,
            trim_start: m.trim_start,
            trim_end: m.trim_end,
            loop_point: m.loop_point,
            slices: m
                .slices
                .iter()
                .map(|s| SliceDoc { start: s.start, end: s.end, loop_point: s.loop_point })
                .collect(),
            unused_slots: m
                .unused_slots
                .iter()
                .map(|u| UnusedSlotDoc {
                    slot: u.index + 1,
                    start: u.slice.start,
                    end: u.slice.end,
                    loop_point: u.slice.loop_point,
                })
                .collect(),
            unknown_byte_22: m.unknown_22,
        }
    }

    /// The model of a document, with every value checked.
    pub fn to_model(&self) -> Result<SampleSettings, OtError> {
        if self.kind != KIND {
            return Err(invalid("kind", format!("`{}` is not `{KIND}`", self.kind)));
        }
        let timestretch = match &self.timestretch {
            Mode::Name(n) if n == "off" => Timestretch::Off,
            Mode::Name(n) if n == "normal" => Timestretch::Normal,
            Mode::Name(n) if n == "beat" => Timestretch::Beat,
            Mode::Number(v) => Timestretch::from_raw(*v),
            Mode::Name(n) => return Err(invalid("timestretch", format!("`{n}`: use off, normal or beat"))),
        };
        let loop_mode = match &self.loop_mode {
            Mode::Name(n) if n == "off" => LoopMode::Off,
            Mode::Name(n) if n == "normal" => LoopMode::Normal,
            Mode::Name(n) if n == "ping-pong" => LoopMode::PingPong,
            Mode::Number(v) => LoopMode::from_raw(*v),
            Mode::Name(n) => return Err(invalid("loop", format!("`{n}`: use off, normal or ping-pong"))),
        };
        let trig_quant = parse_trig_quant(&self.trig_quantization)?;
        if self.slices.len() > 64 {
            return Err(invalid("slices", format!("{} slices; a .ot file holds at most 64", self.slices.len())));
        }
        Ok(SampleSettings {
            tempo_x24: scaled(self.bpm, 24.0, 0.0, "bpm")?,
            trim_length_x100: scaled(self.trim_length_bars, 100.0, 0.0, "trim_length_bars")?,
            loop_length_x100: scaled(self.loop_length_bars, 100.0, 0.0, "loop_length_bars")?,
            timestretch,
            loop_mode,
            gain: scaled(self.gain_db, 2.0, 48.0, "gain_db")?,
            trig_quant,
            trim_start: self.trim_start,
            trim_end: self.trim_end,
            loop_point: self.loop_point,
            slices: self
                .slices
                .iter()
                .map(|s| Slice { start: s.start, end: s.end, loop_point: s.loop_point })
                .collect(),
            unused_slots: self
                .unused_slots
                .iter()
                .map(|u| {
                    if u.slot == 0 || u.slot > 64 {
                        return Err(invalid("unused_slots", format!("slot {} is not 1..64", u.slot)));
                    }
                    Ok(UnusedSlot {
                        index: u.slot - 1,
                        slice: RawSlice { start: u.start, end: u.end, loop_point: u.loop_point },
                    })
                })
                .collect::<Result<_, _>>()?,
            unknown_22: self.unknown_byte_22,
        })
    }
}

/// Parses a trig quantisation document value (`direct`, `pattern-length`, a step count, `raw-N`).
pub fn parse_trig_quant(m: &Mode) -> Result<TrigQuant, OtError> {
    let bad = |what: String| {
        invalid(
            "trig_quantization",
            format!(
                "{what}: use direct, pattern-length or 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256"
            ),
        )
    };
    match m {
        Mode::Name(n) if n == "direct" => Ok(TrigQuant::Direct),
        Mode::Name(n) if n == "pattern-length" || n == "pattern" => Ok(TrigQuant::PatternLength),
        Mode::Name(n) => match n.strip_prefix("raw-").and_then(|v| v.parse::<u8>().ok()) {
            Some(v) => Ok(TrigQuant::Other(v)),
            None => match n.parse::<u32>() {
                Ok(v) => parse_trig_quant(&Mode::Number(v)),
                Err(_) => Err(bad(format!("`{n}`"))),
            },
        },
        Mode::Number(v) => {
            let steps = u16::try_from(*v).map_err(|_| bad(v.to_string()))?;
            let tq = TrigQuant::Steps(steps);
            tq.to_raw().map(|_| tq).ok_or_else(|| bad(v.to_string()))
        }
    }
}

/// The document text of a `.ot` file (YAML or JSON).
pub fn dump(bytes: &[u8], syntax: groovekit_core::doc::Syntax) -> Result<String, OtError> {
    let m = SampleSettings::from_bytes(bytes)?;
    Ok(groovekit_core::doc::to_text(&SampleSettingsDoc::from_model(&m), syntax)?)
}

/// The `.ot` bytes of a document (YAML or JSON).
pub fn build(text: &str) -> Result<Vec<u8>, OtError> {
    let doc: SampleSettingsDoc = groovekit_core::doc::from_text(text)?;
    doc.to_model()?.to_bytes()
}
