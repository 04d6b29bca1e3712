//! Unit tests of `header` (kept beside it, out of the library source).

use super::*;

fn naive(bytes: &[u8]) -> u16 {
    bytes.get(16..bytes.len().saturating_sub(2)).unwrap_or(&[]).iter().fold(0u16, |s, &b| s.wrapping_add(u16::from(b)))
}

#[test]
fn fast_checksum_matches_the_plain_sum() {
    let mut x: u32 = 12345;
    for len in [0usize, 1, 17, 18, 19, 25, 63, 64, 65, 832, 11_336, 16_385, 207_000, 636_113] {
        let v: Vec<u8> = (0..len)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                (x >> 16) as u8
            })
            .collect();
        assert_eq!(compute_checksum(&v), naive(&v), "len {len}");
    }
    assert_eq!(compute_checksum(&[0xFF; 10]), 0);
    // All-0xFF images exercise the lane-overflow bound.
    let ff = vec![0xFFu8; 636_113];
    assert_eq!(compute_checksum(&ff), naive(&ff));
}

#[test]
fn container_errors_name_offsets() {
    let mut b = vec![0u8; BinaryKind::SampleSettings.size()];
    b[..MAGIC_LEN].copy_from_slice(&BinaryKind::SampleSettings.magic());
    b[VERSION_OFFSET] = 2;
    update_checksum(&mut b);
    assert!(validate_container(&b, BinaryKind::SampleSettings).unwrap().is_valid());
    assert!(matches!(validate_container(&b, BinaryKind::Bank), Err(OtError::BadMagic { offset: 12, .. })));
    b[VERSION_OFFSET] = 1;
    let e = validate_container(&b, BinaryKind::SampleSettings).unwrap_err().to_string();
    assert!(e.contains("1.40"), "{e}");
    assert!(matches!(
        validate_container(&b[..100], BinaryKind::SampleSettings),
        Err(OtError::UnsupportedVersion { .. })
    ));
    let mut big = b.clone();
    big[VERSION_OFFSET] = 2;
    big.push(0);
    assert!(matches!(validate_container(&big, BinaryKind::SampleSettings), Err(OtError::Oversized { .. })));
}
