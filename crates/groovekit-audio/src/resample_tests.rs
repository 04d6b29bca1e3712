//! Unit tests of `resample` (kept beside it, out of the library source).

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
