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

#[test]
fn extreme_rate_pairs_keep_the_fft_blocks_bounded() {
    // Real pairs keep the chunk of 1024 frames.
    for (from, to) in [(48_000, 44_100), (22_050, 44_100), (8_363, 44_100), (96_000, 48_000)] {
        assert_eq!(plan(from, to).0, CHUNK, "{from} -> {to}");
    }
    // Coprime and extreme pairs: the output block stays within the bound (or one minimal block).
    for (from, to) in [(1, 44_100), (1, 768_000), (767_999, 44_100), (44_100, 767_999), (7, 192_000)] {
        let (chunk, fft_in, fft_out) = plan(from, to);
        let g = gcd(from as usize, to as usize);
        assert!(chunk >= 1);
        assert!(fft_out <= MAX_FFT_OUT.max(to as usize / g), "{from} -> {to}: {fft_out}");
        assert!(fft_in <= CHUNK.max(from as usize / g), "{from} -> {to}: {fft_in}");
    }
    // And the output still has the promised length.
    let input = sine(1, 0.1, 3, 1);
    assert_eq!(resample(&input, 44_100).unwrap().frames(), 3 * 44_100);
}
