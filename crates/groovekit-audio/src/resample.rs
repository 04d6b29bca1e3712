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
    // Both rates bound the resampler's FFT sizes: check them before rubato sizes anything.
    for rate in [input.sample_rate, to_rate] {
        if let Some(why) = crate::limits::rate_problem(rate) {
            return Err(AudioError::Invalid(format!("cannot resample: {why}")));
        }
    }
    if input.sample_rate == to_rate {
        return Ok(input.clone());
    }
    let channels = usize::from(input.channels);
    let frames = input.frames();
    let out_frames128 =
        (frames as u128 * u128::from(to_rate) + u128::from(input.sample_rate) / 2) / u128::from(input.sample_rate);
    // The output is sized from the input: cap it like decoded audio, before allocating it.
    let out_samples = out_frames128.saturating_mul(channels as u128);
    if let Some(why) = crate::limits::decoded_problem(u64::try_from(out_samples).unwrap_or(u64::MAX)) {
        return Err(AudioError::Invalid(format!(
            "resampling {frames} frames from {} Hz to {to_rate} Hz: {why}",
            input.sample_rate
        )));
    }
    let out_frames = out_frames128 as usize; // ok: at most max_decoded_samples, checked above
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
#[path = "resample_tests.rs"]
mod tests;
