//! Unit tests of `chain_preview` (kept beside it, out of the library source).

use super::*;

#[test]
fn crc_of_iend_is_the_known_constant() {
    assert_eq!(crc32(b"IEND"), 0xAE42_6082);
}

#[test]
fn png_has_signature_and_size() {
    let p = Peaks { columns: vec![(-0.5, 0.5); 50], frames: 1000 };
    let bytes = png(&p, &[Slice { start: 0, end: 500, loop_point: None }], 60);
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(u32::from_be_bytes(bytes[16..20].try_into().unwrap()), 50);
    assert_eq!(u32::from_be_bytes(bytes[20..24].try_into().unwrap()), 60);
    let svg = svg(&p, &[Slice { start: 0, end: 500, loop_point: None }], 60);
    assert!(svg.contains(">1</text>"));
}
