//! Decoding audio files into interleaved `f32` frames.
//!
//! The first version reads WAV through hound; AIFF, AIFF-C and FLAC are added by the audio work
//! (issue 6) behind the same [`read_audio`] function.

use std::path::Path;

use crate::AudioError;

/// A decoded audio file.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// Channel count (1 = mono, 2 = stereo).
    pub channels: u16,
    /// Frames per second.
    pub sample_rate: u32,
    /// Bits per sample in the source file.
    pub source_bits: u16,
    /// Interleaved samples, full scale = 1.0.
    pub samples: Vec<f32>,
}

impl Decoded {
    /// Number of frames.
    pub fn frames(&self) -> usize {
        self.samples.len() / usize::from(self.channels.max(1))
    }
}

/// Reads an audio file into memory.
pub fn read_audio(path: &Path) -> Result<Decoded, AudioError> {
    let err = |m: String| AudioError::Decode { path: path.to_path_buf(), message: m };
    let reader = hound::WavReader::open(path).map_err(|e| err(format!("not a readable WAV file: {e}")))?;
    let spec = reader.spec();
    let samples: Result<Vec<f32>, _> = match spec.sample_format {
        hound::SampleFormat::Float => reader.into_samples::<f32>().collect(),
        hound::SampleFormat::Int => {
            let scale = 1.0 / (1u64 << (spec.bits_per_sample.clamp(1, 32) - 1)) as f32;
            reader.into_samples::<i32>().map(|s| s.map(|v| v as f32 * scale)).collect()
        }
    };
    Ok(Decoded {
        channels: spec.channels,
        sample_rate: spec.sample_rate,
        source_bits: spec.bits_per_sample,
        samples: samples.map_err(|e| err(format!("truncated or corrupt sample data: {e}")))?,
    })
}
