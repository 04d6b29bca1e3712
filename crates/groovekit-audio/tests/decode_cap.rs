//! The decode cap (issue 11 item 3) gives a clear error and can be raised. In its own test
//! binary: the cap is process-wide, and other tests decode audio in parallel.

use std::path::Path;

use groovekit_audio::read::read_audio_bytes;
use groovekit_audio::{SampleFormat, limits};

/// A one-second 1 kHz stereo WAV, as bytes.
fn wav() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.wav");
    groovekit_audio::write::write_wav(&p, &vec![0.25f32; 2000], 2, 1000, SampleFormat::Int16).unwrap();
    std::fs::read(p).unwrap()
}

#[test]
fn the_decode_cap_is_clear_and_can_be_raised() {
    let b = wav();
    limits::set_max_decoded_samples(1000);
    let e = read_audio_bytes(&b, Path::new("long.wav")).unwrap_err().to_string();
    limits::set_max_decoded_samples(limits::DEFAULT_MAX_DECODED_SAMPLES);
    assert!(e.contains("1000 frames × 2 channels") && e.contains("--max-audio-mb"), "{e}");
    assert_eq!(read_audio_bytes(&b, Path::new("long.wav")).unwrap().frames(), 1000);
}
