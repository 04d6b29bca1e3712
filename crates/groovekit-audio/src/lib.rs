//! Audio for groovekit: reading and writing sample files, resampling, and the pieces every
//! renderer shares (output sample formats, the WAV writer, pan laws, interpolation).
//!
//! - [`read`]: decode WAV/AIFF/AIFF-C/FLAC (recognised by content) into interleaved `f32` frames.
//! - [`pcm`]: container headers ([`pcm::probe`]) and streaming integer PCM ([`pcm::PcmReader`]),
//!   for bit-exact copies that never pass through floating point.
//! - [`write`]: stream frames to a WAV or AIFF file (16/24-bit or 32-bit float, plain `fmt `
//!   chunk, optional `smpl` loop), atomically, counting clipped samples.
//! - [`resample`]: sample-rate conversion (rubato FFT), only when asked for.
//! - [`mix`]: pan laws and sample interpolation shared by the Oktalyzer and `.track` renderers.

pub mod limits;
pub mod midi;
pub mod mix;
pub mod pcm;
pub mod read;
pub mod resample;
pub mod write;

/// An audio I/O error, with the file concerned.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    /// The file could not be opened or written.
    #[error(transparent)]
    Fs(#[from] groovekit_core::fs::FsError),
    /// The file could not be decoded.
    #[error("{path}: {message}")]
    Decode {
        /// The file.
        path: std::path::PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// An argument is out of range (for example zero channels).
    #[error("{0}")]
    Invalid(String),
}

/// The sample format of a rendered file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SampleFormat {
    /// 16-bit signed integer PCM.
    #[default]
    Int16,
    /// 24-bit signed integer PCM.
    Int24,
    /// 32-bit IEEE float.
    Float32,
}

impl std::str::FromStr for SampleFormat {
    type Err = String;
    /// Parses the CLI spelling: `16`, `24` or `32f`.
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "16" => Ok(Self::Int16),
            "24" => Ok(Self::Int24),
            "32f" | "32" => Ok(Self::Float32),
            _ => Err(format!("unknown bit depth '{s}': use 16, 24 or 32f")),
        }
    }
}

impl SampleFormat {
    /// Bits per sample in the file.
    pub fn bits(self) -> u16 {
        match self {
            Self::Int16 => 16,
            Self::Int24 => 24,
            Self::Float32 => 32,
        }
    }
}
