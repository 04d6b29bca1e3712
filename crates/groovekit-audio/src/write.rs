//! Streaming WAV output for renderers.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use crate::{AudioError, SampleFormat};

/// What a finished render wrote.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct WriteStats {
    /// Frames written.
    pub frames: u64,
    /// Highest absolute sample value before clipping (1.0 = full scale).
    pub peak: f32,
    /// Samples that were outside [-1, 1] and were clipped (integer formats only).
    pub clipped: u64,
    /// Samples that were NaN or infinite and were written as silence.
    pub non_finite: u64,
}

/// Writes interleaved `f32` frames to a WAV file. The file appears at its path only when
/// [`WavWriter::finish`] succeeds (it is written to a temporary sibling and renamed).
pub struct WavWriter {
    inner: hound::WavWriter<BufWriter<File>>,
    format: SampleFormat,
    channels: u16,
    tmp: PathBuf,
    target: PathBuf,
    stats: WriteStats,
}

impl WavWriter {
    /// Starts a WAV file at `path` with the given layout.
    pub fn create(path: &Path, channels: u16, sample_rate: u32, format: SampleFormat) -> Result<Self, AudioError> {
        if channels == 0 || sample_rate == 0 {
            return Err(AudioError::Invalid("a WAV file needs at least one channel and a sample rate".into()));
        }
        let spec = hound::WavSpec {
            channels,
            sample_rate,
            bits_per_sample: format.bits(),
            sample_format: match format {
                SampleFormat::Float32 => hound::SampleFormat::Float,
                _ => hound::SampleFormat::Int,
            },
        };
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let tmp = path.with_file_name(format!(".{name}.groovekit-tmp-{}", std::process::id()));
        let inner = hound::WavWriter::create(&tmp, spec)
            .map_err(|e| AudioError::Decode { path: path.to_path_buf(), message: format!("cannot create: {e}") })?;
        Ok(Self { inner, format, channels, tmp, target: path.to_path_buf(), stats: WriteStats::default() })
    }

    /// Appends interleaved frames (`samples.len()` must be a multiple of the channel count).
    pub fn write(&mut self, samples: &[f32]) -> Result<(), AudioError> {
        let err = |e: hound::Error, p: &Path| AudioError::Decode { path: p.to_path_buf(), message: e.to_string() };
        for &s in samples {
            let s = if s.is_finite() {
                s
            } else {
                self.stats.non_finite += 1;
                0.0
            };
            let a = s.abs();
            if a > self.stats.peak {
                self.stats.peak = a;
            }
            match self.format {
                SampleFormat::Float32 => self.inner.write_sample(s).map_err(|e| err(e, &self.target))?,
                SampleFormat::Int16 | SampleFormat::Int24 => {
                    if a > 1.0 {
                        self.stats.clipped += 1;
                    }
                    let full = if self.format == SampleFormat::Int16 { 32767.0 } else { 8_388_607.0 };
                    let v = (s.clamp(-1.0, 1.0) * full).round() as i32;
                    self.inner.write_sample(v).map_err(|e| err(e, &self.target))?;
                }
            }
        }
        self.stats.frames += (samples.len() / usize::from(self.channels)) as u64;
        Ok(())
    }

    /// Finishes the file and moves it into place.
    pub fn finish(self) -> Result<WriteStats, AudioError> {
        let target = self.target.clone();
        let tmp = self.tmp.clone();
        let stats = self.stats;
        let done =
            self.inner.finalize().map_err(|e| AudioError::Decode { path: target.clone(), message: e.to_string() });
        if let Err(e) = done {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        std::fs::rename(&tmp, &target).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            AudioError::Fs(groovekit_core::fs::FsError { action: "renaming to", path: target.clone(), source: e })
        })?;
        Ok(stats)
    }
}

/// Writes a whole interleaved buffer to `path` in one call.
pub fn write_wav(
    path: &Path,
    samples: &[f32],
    channels: u16,
    sample_rate: u32,
    format: SampleFormat,
) -> Result<WriteStats, AudioError> {
    let mut w = WavWriter::create(path, channels, sample_rate, format)?;
    w.write(samples)?;
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_clips_and_counts() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("o.wav");
        let stats = write_wav(&p, &[0.0, 0.5, -1.5, f32::NAN], 2, 48000, SampleFormat::Int16).unwrap();
        assert_eq!(stats.frames, 2);
        assert_eq!(stats.clipped, 1);
        assert_eq!(stats.non_finite, 1);
        assert!((stats.peak - 1.5).abs() < 1e-6);
        let mut r = hound::WavReader::open(&p).unwrap();
        let v: Vec<i16> = r.samples::<i16>().map(|s| s.unwrap()).collect();
        assert_eq!(v, vec![0, 16384, -32767, 0]);
    }
}
