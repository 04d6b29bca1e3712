//! Bounds on what hostile or damaged input can make groovekit allocate (issue 11).
//!
//! - Sample rates outside [`MIN_SAMPLE_RATE`]..=[`MAX_SAMPLE_RATE`] are rejected by every header
//!   reader and by the resampler, before anything is sized from them. 768 kHz is the highest
//!   rate of any converter on the market (DXD ×2); real device files are 44.1/48 kHz (Octatrack,
//!   OP-Z) and an Oktalyzer sample is 8–28 kHz. A WAV whose `fmt ` chunk says 2^31 Hz made the FFT
//!   resampler ask for 2 GB before this check.
//! - Audio decoded into memory (and resampled audio, sized from the output) is capped at
//!   [`max_decoded_samples`] samples: [`DEFAULT_MAX_DECODED_SAMPLES`] (2^28 samples, 1 GiB of
//!   `f32`, about 50 minutes of 44.1 kHz stereo) unless a program raises it
//!   ([`set_max_decoded_samples`]; the CLI's `--max-audio-mb`). Streaming paths (`PcmReader`,
//!   the chain writer) are not capped: they hold one chunk at a time.

use std::sync::atomic::{AtomicU64, Ordering};

/// Lowest sample rate accepted, in Hz.
pub const MIN_SAMPLE_RATE: u32 = 1;
/// Highest sample rate accepted, in Hz.
pub const MAX_SAMPLE_RATE: u32 = 768_000;
/// Default cap on samples (frames × channels) decoded into memory.
pub const DEFAULT_MAX_DECODED_SAMPLES: u64 = 1 << 28;

static MAX_DECODED: AtomicU64 = AtomicU64::new(DEFAULT_MAX_DECODED_SAMPLES);

/// The current cap on samples decoded into memory.
pub fn max_decoded_samples() -> u64 {
    MAX_DECODED.load(Ordering::Relaxed)
}

/// Sets the cap on samples decoded into memory for this process (at least the default is not
/// required: a program may lower it too).
pub fn set_max_decoded_samples(samples: u64) {
    MAX_DECODED.store(samples.max(1), Ordering::Relaxed);
}

/// `None` when `rate` is accepted, else why not.
pub fn rate_problem(rate: u32) -> Option<String> {
    if (MIN_SAMPLE_RATE..=MAX_SAMPLE_RATE).contains(&rate) {
        None
    } else {
        Some(format!(
            "a sample rate of {rate} Hz is outside what groovekit reads ({MIN_SAMPLE_RATE} Hz to {} kHz); the header is damaged",
            MAX_SAMPLE_RATE / 1000
        ))
    }
}

/// `None` when `samples` fit the cap, else why not and what to do.
pub fn decoded_problem(samples: u64) -> Option<String> {
    let max = max_decoded_samples();
    (samples > max).then(|| {
        format!(
            "{samples} samples is more than the {max} that groovekit decodes into memory ({} MB of audio); \
             raise the limit with --max-audio-mb if the file is really this long",
            max * 4 / 1_000_000
        )
    })
}
