//! Sample-rate conversion with rubato's FFT resampler (rubato 5, `audioadapter` buffers).
//!
//! Used only when a caller asks for it (for example `groovekit ot chain --resample` turning a
//! 48 kHz file into the Octatrack's 44.1 kHz). rubato picks SIMD kernels at run time, so the
//! last bits of the output can differ between CPUs: compare resampled audio with a tolerance.

use rubato::audioadapter_buffers::owned::InterleavedOwned;
use rubato::{Fft, FixedSync, Resampler};

use crate::AudioError;
use crate::read::Decoded;

/// Frames per FFT chunk: large enough for good quality, small enough for short hits.
const CHUNK: usize = 1024;

/// Converts `input` to `to_rate` frames per second. The output has the same channel count and
/// `round(frames × to_rate / from_rate)` frames, with the resampler's delay trimmed. Returns a
/// copy when the rates already match.
pub fn resample(input: &Decoded, to_rate: u32) -> Result<Decoded, AudioError> {
    if to_rate == 0 || input.sample_rate == 0 || input.channels == 0 {
        return Err(AudioError::Invalid(format!(
            "cannot resample {} Hz × {} channels to {to_rate} Hz: rates and channels must be non-zero",
            input.sample_rate, input.channels
        )));
    }
    if input.sample_rate == to_rate {
        return Ok(input.clone());
    }
    let channels = usize::from(input.channels);
    let frames = input.frames();
    let out_frames = ((frames as u128 * u128::from(to_rate) + u128::from(input.sample_rate) / 2)
        / u128::from(input.sample_rate)) as usize;
    if frames == 0 {
        return Ok(Decoded { sample_rate: to_rate, samples: Vec::new(), ..input.clone() });
    }
    let mut rs = Fft::<f32>::new(input.sample_rate as usize, to_rate as usize, CHUNK, channels, FixedSync::Input)
        .map_err(|e| AudioError::Invalid(format!("cannot resample {} Hz to {to_rate} Hz: {e}", input.sample_rate)))?;
    let data = input.samples.get(..frames * channels).unwrap_or(&input.samples).to_vec();
    let buf = InterleavedOwned::new_from(data, channels, frames)
        .map_err(|e| AudioError::Invalid(format!("resampler input: {e}")))?;
    let out = rs.process_all(&buf, frames, None).map_err(|e| AudioError::Invalid(format!("resampling failed: {e}")))?;
    let mut samples = out.take_data();
    samples.resize(out_frames * channels, 0.0);
    Ok(Decoded { channels: input.channels, sample_rate: to_rate, source_bits: input.source_bits, samples })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(rate: u32, freq: f32, frames: usize, channels: u16) -> Decoded {
        let mut samples = Vec::new();
        for i in 0..frames {
            let v = (2.0 * std::f32::consts::PI * freq * i as f32 / rate as f32).sin() * 0.5;
            for _ in 0..channels {
                samples.push(v);
            }
        }
        Decoded { channels, sample_rate: rate, source_bits: 16, samples }
    }

    #[test]
    fn resamples_length_and_content() {
        let input = sine(48_000, 1000.0, 48_000, 2);
        let out = resample(&input, 44_100).unwrap();
        assert_eq!(out.sample_rate, 44_100);
        assert_eq!(out.frames(), 44_100);
        // Compare against the ideal sine at the new rate, away from the edges, with a tolerance.
        let ideal = sine(44_100, 1000.0, 44_100, 2);
        let mid = &out.samples[20_000..24_000];
        let want = &ideal.samples[20_000..24_000];
        let err = mid.iter().zip(want).map(|(a, b)| (a - b).abs()).fold(0.0f32, f32::max);
        assert!(err < 0.01, "max error {err}");
    }

    #[test]
    fn short_and_trivial_inputs() {
        let input = sine(22_050, 440.0, 10, 1);
        assert_eq!(resample(&input, 44_100).unwrap().frames(), 20);
        assert_eq!(resample(&input, 22_050).unwrap(), input);
        assert!(resample(&input, 0).is_err());
        let empty = Decoded { channels: 2, sample_rate: 48_000, source_bits: 24, samples: vec![] };
        assert_eq!(resample(&empty, 44_100).unwrap().frames(), 0);
    }
}
