//! Unit tests of `raw` (kept beside it, out of the library source).

use super::*;

#[test]
fn chunk_sizes_are_clamped_to_the_end() {
    let mut b = MAGIC.to_vec();
    push_chunk(&mut b, b"CMOD", 8, &[0; 8]);
    b.extend_from_slice(&[0, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff, 1, 2, 3]);
    let f = split(&b).unwrap();
    assert_eq!(f.chunks.len(), 2);
    assert_eq!(f.chunks[1].data, vec![1, 2, 3]);
    assert!(f.chunks[1].is_truncated());
    assert!(f.trailing.is_empty());
    assert_eq!(f.chunks[1].id_text(), "\\x00\\x00\\x00\\x00");
}

#[test]
fn short_tails_and_bad_magic() {
    let mut b = MAGIC2.to_vec();
    b.extend_from_slice(&[1, 2, 3]);
    let f = split(&b).unwrap();
    assert!(f.chunks.is_empty());
    assert_eq!(f.trailing, vec![1, 2, 3]);
    assert!(matches!(split(b"MThd\0\0\0\x06"), Err(RawError::BadMagic { .. })));
    assert!(split(b"OKTA").is_err());
}
