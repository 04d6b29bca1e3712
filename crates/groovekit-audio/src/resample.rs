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

/// The largest output-side FFT block the chunk size may lead to, in frames. rubato's block on each
/// side is a whole number of `rate / gcd(from, to)` frames, at least one, and `Fft::new` asks for
/// sub-chunks of about 256 input frames: with the chunk fixed at 1024 frames, a (hostile) 1 Hz
/// input makes the output block 256 × the output rate, 11 M frames at 44.1 kHz and 197 M at
/// 768 kHz, whose buffers and FFT plan take gigabytes (rubato 5.0.1 `synchro.rs`, `new_custom`).
/// Real rate pairs (44.1/48/96 kHz, 22 050, 8363) stay far below this and keep [`CHUNK`].
const MAX_FFT_OUT: usize = 1 << 16;

fn gcd(mut a: usize, mut b: usize) -> usize {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// The input chunk for a rate pair: [`CHUNK`], lowered where rubato's output block would grow
/// past [`MAX_FFT_OUT`] (never below one minimal block). Returns (chunk, input block, output
/// block), the blocks as rubato 5.0 sizes them in `Fft::new` with `FixedSync::Input`
/// (`synchro.rs`, `new` and `new_custom`).
pub(crate) fn plan(from: u32, to: u32) -> (usize, usize, usize) {
    let (from, to) = (from.max(1) as usize, to.max(1) as usize);
    let g = gcd(from, to);
    let (min_in, min_out) = (from / g, to / g);
    let blocks_max = (MAX_FFT_OUT / min_out).max(1);
    let chunk = CHUNK.min(blocks_max * min_in).max(1);
    // rubato's `Fft::new` aims at sub-chunks of about 256 frames: `chunk / 256` of them.
    let wanted = chunk / (chunk / 256).max(1);
    let blocks = wanted.div_ceil(min_in).max(1);
    (chunk, blocks * min_in, blocks * min_out)
}

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
    let (chunk, _, _) = plan(input.sample_rate, to_rate);
    let mut rs = Fft::<f32>::new(input.sample_rate as usize, to_rate as usize, chunk, channels, FixedSync::Input)
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
