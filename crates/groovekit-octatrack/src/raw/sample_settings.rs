//! `*.ot` sample settings (reference §1.5): 832 bytes beside an audio file, holding its tempo,
//! trim and loop, gain, trig quantisation and up to 64 slices.
//!
//! The whole image is kept, so everything survives a round trip: byte 22 (0 in tool-made files,
//! 1 in device-made ones, meaning unknown) and the stale slice entries devices leave after the
//! slice count (`62slices.ot` keeps 64 non-zero entries). The checksum is checked on read and
//! recomputed by [`SampleSettingsFile::to_bytes`] (octatools keeps a stale one after edits).

use crate::OtError;
use crate::raw::header::{self, BinaryKind, ChecksumState};
use crate::raw::image::{self, ChecksumPolicy};

/// Size of a `.ot` file.
pub const SAMPLE_SETTINGS_SIZE: usize = 832;
/// Unknown byte: 0 in tool-made files, 1 in device-made files.
pub const UNKNOWN_22: usize = 22;
/// u32 tempo = BPM × 24.
pub const TEMPO: usize = 23;
/// u32 trim length in bars × 100.
pub const TRIM_LENGTH: usize = 27;
/// u32 loop length in bars × 100.
pub const LOOP_LENGTH: usize = 31;
/// u32 timestretch mode (0 off, 2 normal, 3 beat).
pub const TIMESTRETCH: usize = 35;
/// u32 loop mode (0 off, 1 normal, 2 ping-pong).
pub const LOOP_MODE: usize = 39;
/// u16 gain, 0..=96, 48 = 0 dB, 0.5 dB steps.
pub const GAIN: usize = 43;
/// u8 trig quantisation (255 direct, 0 pattern length, 1..=16 step counts).
pub const TRIG_QUANT: usize = 45;
/// u32 trim start (frames).
pub const TRIM_START: usize = 46;
/// u32 trim end (frames).
pub const TRIM_END: usize = 50;
/// u32 loop point (frames).
pub const LOOP_POINT: usize = 54;
/// First slice entry.
pub const SLICES: usize = 58;
/// Size of a slice entry: start, end, loop point (u32 each).
pub const SLICE_SIZE: usize = 12;
/// Slice entries in the file.
pub const SLICE_MAX: usize = 64;
/// u32 number of slices in use.
pub const SLICE_COUNT: usize = 826;
/// u16 checksum.
pub const CHECKSUM: usize = 830;
/// A slice loop point meaning "no loop".
pub const LOOP_OFF: u32 = 0xFFFF_FFFF;

/// One slice entry as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct RawSlice {
    /// First frame.
    pub start: u32,
    /// End frame.
    pub end: u32,
    /// Loop point, [`LOOP_OFF`] for none.
    pub loop_point: u32,
}

impl RawSlice {
    /// Whether all three fields are zero (an entry never used).
    pub fn is_zero(&self) -> bool {
        self.start == 0 && self.end == 0 && self.loop_point == 0
    }
}

/// A whole `.ot` image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleSettingsFile {
    bytes: Vec<u8>,
}

impl SampleSettingsFile {
    /// Reads a `.ot` file, refusing a wrong checksum.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, OtError> {
        Self::read(bytes, ChecksumPolicy::Strict).map(|(f, _)| f)
    }

    /// Reads a `.ot` file under `policy`, returning the checksum state too (for `verify`).
    pub fn read(bytes: &[u8], policy: ChecksumPolicy) -> Result<(Self, ChecksumState), OtError> {
        let state = image::validate(bytes, BinaryKind::SampleSettings, policy)?;
        Ok((Self { bytes: bytes.to_vec() }, state))
    }

    /// A new image: magic, version 2, everything else zero (byte 22 = 0, as tools write it).
    pub fn new_blank() -> Self {
        Self { bytes: image::new_image(BinaryKind::SampleSettings) }
    }

    /// The bytes as they are now (the checksum is whatever was last read or written).
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The file to write: the image with its checksum recomputed.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = self.bytes.clone();
        header::update_checksum(&mut b);
        b
    }

    /// The checksum state of the current image.
    pub fn checksum(&self) -> ChecksumState {
        ChecksumState {
            stored: header::stored_checksum(&self.bytes).unwrap_or(0),
            computed: header::compute_checksum(&self.bytes),
        }
    }

    /// A big-endian u32 at `offset` (one of this module's constants).
    pub fn u32_at(&self, offset: usize) -> u32 {
        self.bytes.get(offset..offset + 4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]])).unwrap_or(0)
    }

    /// Writes a big-endian u32 at `offset` (ignored outside the image).
    pub fn set_u32(&mut self, offset: usize, v: u32) {
        if let Some(b) = self.bytes.get_mut(offset..offset + 4) {
            b.copy_from_slice(&v.to_be_bytes());
        }
    }

    /// A byte at `offset`.
    pub fn u8_at(&self, offset: usize) -> u8 {
        self.bytes.get(offset).copied().unwrap_or(0)
    }

    /// Writes a byte at `offset`.
    pub fn set_u8(&mut self, offset: usize, v: u8) {
        if let Some(b) = self.bytes.get_mut(offset) {
            *b = v;
        }
    }

    /// The u16 gain field.
    pub fn gain(&self) -> u16 {
        self.bytes.get(GAIN..GAIN + 2).map(|b| u16::from_be_bytes([b[0], b[1]])).unwrap_or(0)
    }

    /// Writes the u16 gain field.
    pub fn set_gain(&mut self, v: u16) {
        if let Some(b) = self.bytes.get_mut(GAIN..GAIN + 2) {
            b.copy_from_slice(&v.to_be_bytes());
        }
    }

    /// Slice entry `index` (0..64), used or not.
    pub fn slice(&self, index: usize) -> Option<RawSlice> {
        if index >= SLICE_MAX {
            return None;
        }
        let at = SLICES + index * SLICE_SIZE;
        Some(RawSlice { start: self.u32_at(at), end: self.u32_at(at + 4), loop_point: self.u32_at(at + 8) })
    }

    /// Writes slice entry `index` (0..64).
    pub fn set_slice(&mut self, index: usize, s: RawSlice) -> Result<(), OtError> {
        if index >= SLICE_MAX {
            return Err(OtError::Invalid {
                field: format!("slice {}", index + 1),
                message: format!("a .ot file holds at most {SLICE_MAX} slices"),
            });
        }
        let at = SLICES + index * SLICE_SIZE;
        self.set_u32(at, s.start);
        self.set_u32(at + 4, s.end);
        self.set_u32(at + 8, s.loop_point);
        Ok(())
    }
}

#[cfg(test)]
#[path = "sample_settings_tests.rs"]
mod tests;
