//! Unit tests of `write` (kept beside it, out of the library source).

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

#[test]
fn plain_fmt_for_24_bit_and_hound_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("o24.wav");
    let mut w = PcmWriter::create(&p, FileFormat::Wav, 1, 44100, SampleFormat::Int24).unwrap();
    w.write_int(&[1, -1, 8_388_607, -8_388_608, 5], 24).unwrap();
    w.set_loop(Some(SmplLoop { start: 1, end: 3 }));
    w.finish().unwrap();
    let bytes = std::fs::read(&p).unwrap();
    assert_eq!(&bytes[20..22], &[1, 0], "format tag 1 (plain PCM), not EXTENSIBLE");
    assert_eq!(&bytes[36..40], b"data");
    assert_eq!(u32::from_le_bytes(bytes[40..44].try_into().unwrap()), 15);
    assert_eq!(bytes[44 + 15], 0, "odd data chunk padded");
    assert_eq!(&bytes[60..64], b"smpl");
    assert_eq!(u32::from_le_bytes(bytes[4..8].try_into().unwrap()) as usize, bytes.len() - 8);
    let mut r = hound::WavReader::open(&p).unwrap();
    let v: Vec<i32> = r.samples::<i32>().map(|s| s.unwrap()).collect();
    assert_eq!(v, vec![1, -1, 8_388_607, -8_388_608, 5]);
}

#[test]
fn depth_conversion_rounds_and_shifts() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("d.wav");
    let mut w = PcmWriter::create(&p, FileFormat::Wav, 1, 44100, SampleFormat::Int16).unwrap();
    // 24 → 16: 0x7FFFFF rounds up past the top and clips; 0x180 rounds to 2; -0x80 to 0.
    w.write_int(&[0x7F_FFFF, 0x180, -0x80, -0x80_0000], 24).unwrap();
    let stats = w.finish().unwrap();
    assert_eq!(stats.clipped, 1);
    let v: Vec<i16> = hound::WavReader::open(&p).unwrap().samples::<i16>().map(|s| s.unwrap()).collect();
    assert_eq!(v, vec![32767, 2, 0, -32768]);
}

#[test]
fn dropped_writer_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.wav");
    let mut w = PcmWriter::create(&p, FileFormat::Wav, 2, 44100, SampleFormat::Int16).unwrap();
    w.write_int(&[1, 2], 16).unwrap();
    drop(w);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// `n` pseudo-random samples in `[-peak, peak]` (an LCG from `seed`), then the values a
/// converter must treat specially: NaN, both infinities, halves at 16 bits, full scale.
fn test_signal(seed: u32, n: usize, peak: f32) -> Vec<f32> {
    let mut x = seed;
    let mut v: Vec<f32> = (0..n)
        .map(|_| {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (x as f32 / u32::MAX as f32) * 2.0 * peak - peak
        })
        .collect();
    v.extend([f32::NAN, f32::INFINITY, f32::NEG_INFINITY, 0.5 / 32767.0, -1.5 / 32767.0, 1.0, -1.0, 0.0]);
    v
}

#[test]
fn vectorised_conversion_matches_a_scalar_reference() {
    let v = test_signal(99, 1003, 1.5);
    for bits in [16u16, 24] {
        let full = if bits == 16 { 32767.0f32 } else { 8_388_607.0 };
        let (mut ints, mut st) = (Vec::new(), WriteStats::default());
        f32_to_int(&v, bits, &mut ints, &mut st);
        let (mut peak, mut clipped, mut bad) = (0f32, 0u64, 0u64);
        for (&s, &i) in v.iter().zip(&ints) {
            let want = if s.is_finite() { (s.clamp(-1.0, 1.0) * full).round() as i32 } else { 0 };
            assert_eq!(i, want, "{s} at {bits} bits");
            if s.is_finite() {
                peak = peak.max(s.abs());
                clipped += u64::from(s.abs() > 1.0);
            } else {
                bad += 1;
            }
        }
        assert_eq!((st.peak, st.clipped, st.non_finite), (peak, clipped, bad));
    }
}

/// The reference rounding: truncate, then step by the exact fraction.
fn truncate_and_step(q: f32) -> i32 {
    let t = q as i32;
    let frac = q - t as f32;
    t + i32::from(frac >= 0.5) - i32::from(frac <= -0.5)
}

#[test]
fn magic_number_rounding_matches_truncate_and_step() {
    // Every integer and half up to 2^16 and its 8 neighbours each side, both signs.
    for k in 0..(1u32 << 17) {
        let centre = (k as f32 * 0.5).to_bits();
        for bits in centre.saturating_sub(8)..=centre + 8 {
            for q in [f32::from_bits(bits), -f32::from_bits(bits)] {
                assert_eq!(round_half_away(q), truncate_and_step(q), "{q}");
            }
        }
    }
    // A stride through every bit pattern up to 32767.0.
    for bits in (0..=32_767f32.to_bits()).step_by(251) {
        for q in [f32::from_bits(bits), -f32::from_bits(bits)] {
            assert_eq!(round_half_away(q), truncate_and_step(q), "{q}");
        }
    }
}

#[test]
#[ignore = "exhaustive (2^31 values); run with --ignored in release"]
fn magic_number_rounding_matches_for_every_16_bit_input() {
    for bits in 0..=32_767f32.to_bits() {
        for q in [f32::from_bits(bits), -f32::from_bits(bits)] {
            assert_eq!(round_half_away(q), truncate_and_step(q), "{q}");
        }
    }
}

#[test]
fn one_pass_16_bit_bytes_equal_the_integer_path() {
    let v = test_signal(7, 4099, 1.3);
    let (mut ints, mut want) = (Vec::new(), WriteStats::default());
    f32_to_int(&v, 16, &mut ints, &mut want);
    for big_endian in [false, true] {
        let (mut bytes, mut got) = (vec![9u8], WriteStats::default());
        f32_to_i16_bytes(&v, big_endian, &mut bytes, &mut got);
        assert_eq!(bytes[0], 9, "existing bytes are kept");
        let decoded: Vec<i32> = bytes[1..]
            .chunks_exact(2)
            .map(|b| {
                i32::from(if big_endian { i16::from_be_bytes([b[0], b[1]]) } else { i16::from_le_bytes([b[0], b[1]]) })
            })
            .collect();
        assert_eq!(decoded, ints);
        assert_eq!(got, want);
        assert!(got.clipped > 0 && got.non_finite == 3);
    }
}

#[test]
fn conversion_rounds_half_away_from_zero_and_counts() {
    let block = [0.0, 0.5, -0.5, 1.5, -2.0, f32::NAN, 1.0 / 65_534.0, -1.0 / 65_534.0];
    let (mut ints, mut st) = (Vec::new(), WriteStats::default());
    f32_to_int(&block, 16, &mut ints, &mut st);
    // 0.5 × 32767 = 16383.5 → 16384 (half away from zero); 1/65534 × 32767 = 0.5 → 1.
    assert_eq!(ints, vec![0, 16_384, -16_384, 32_767, -32_767, 0, 1, -1]);
    assert_eq!((st.peak, st.clipped, st.non_finite), (2.0, 2, 1));
    f32_to_int(&[1.0, -1.0], 24, &mut ints, &mut st);
    assert_eq!(ints, vec![8_388_607, -8_388_607]);
}
