//! Unit tests of `image` (kept beside it, out of the library source).

use super::*;

#[test]
fn policy_decides_whether_a_bad_checksum_is_an_error() {
    for kind in [BinaryKind::Bank, BinaryKind::Arrangement, BinaryKind::Markers] {
        let mut img = new_image(kind);
        update_checksum(&mut img);
        assert!(validate(&img, kind, ChecksumPolicy::Strict).is_ok());
        img[40] ^= 1;
        let state = validate(&img, kind, ChecksumPolicy::Lenient).unwrap();
        assert!(!state.is_valid());
        assert!(matches!(validate(&img, kind, ChecksumPolicy::Strict), Err(OtError::Checksum { .. })));
        let short = &img[..1000];
        assert!(matches!(validate(short, kind, ChecksumPolicy::Lenient), Err(OtError::Truncated { .. })));
    }
}
