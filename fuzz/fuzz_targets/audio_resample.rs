//! The resampler path of `ot chain --resample` and of `.track` assets: arbitrary bytes decoded as
//! audio (WAV, AIFF, FLAC), then converted to 44.1 kHz with the bounds the CLI uses (the default
//! `groovekit_audio::limits`: rates 1 Hz..768 kHz, at most 2^28 decoded or resampled samples).
//! Never panics, never allocates past those bounds, and the output has the length the function
//! promises. Mono and stereo only, as both callers refuse more channels before resampling.
#![no_main]
use std::path::Path;

use groovekit_audio::resample::resample;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(decoded) = groovekit_audio::read::read_audio_bytes(data, Path::new("fuzz.wav")) else { return };
    if !(1..=2).contains(&decoded.channels) {
        return;
    }
    let Ok(out) = resample(&decoded, 44_100) else { return };
    let frames = decoded.frames() as u128;
    let want = (frames * 44_100 + u128::from(decoded.sample_rate) / 2) / u128::from(decoded.sample_rate);
    assert_eq!(out.frames() as u128, want);
    assert_eq!(out.channels, decoded.channels);
    assert_eq!(out.sample_rate, 44_100);
});
