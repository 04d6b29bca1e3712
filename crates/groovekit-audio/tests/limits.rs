//! Bounds on hostile input (issue 11 item 3): sample rates outside 1 Hz..768 kHz are refused
//! before anything is sized from them, and the decode cap gives a clear, raisable error.

use std::path::Path;

use groovekit_audio::SampleFormat;
use groovekit_audio::read::{Decoded, read_audio_bytes};

/// A one-second 1 kHz stereo WAV, as bytes.
fn wav() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.wav");
    groovekit_audio::write::write_wav(&p, &vec![0.25f32; 2000], 2, 1000, SampleFormat::Int16).unwrap();
    std::fs::read(p).unwrap()
}

fn with_rate(mut b: Vec<u8>, rate: u32) -> Vec<u8> {
    let at = b.windows(4).position(|w| w == b"fmt ").unwrap() + 12;
    b[at..at + 4].copy_from_slice(&rate.to_le_bytes());
    b
}

#[test]
fn huge_and_zero_sample_rates_are_refused_with_the_field_offset() {
    for rate in [1u32 << 31, 768_001, 0, u32::MAX] {
        let e = read_audio_bytes(&with_rate(wav(), rate), Path::new("bad.wav")).unwrap_err().to_string();
        assert!(e.contains(&format!("{rate} Hz")) && e.contains("rate field at byte 24"), "{rate}: {e}");
    }
    for rate in [1u32, 8287, 768_000] {
        assert_eq!(read_audio_bytes(&with_rate(wav(), rate), Path::new("ok.wav")).unwrap().sample_rate, rate);
    }
}

#[test]
fn the_resampler_refuses_rates_before_allocating() {
    let d = Decoded { channels: 1, sample_rate: 1 << 31, source_bits: 16, samples: vec![0.0; 16] };
    let e = groovekit_audio::resample::resample(&d, 44_100).unwrap_err().to_string();
    assert!(e.contains("2147483648 Hz"), "{e}");
    // Upsampling a long file from 1 Hz would need more than the cap: refused from the output size.
    let d = Decoded { channels: 2, sample_rate: 1, source_bits: 16, samples: vec![0.0; 20_000] };
    let e = groovekit_audio::resample::resample(&d, 768_000).unwrap_err().to_string();
    assert!(e.contains("--max-audio-mb"), "{e}");
}
