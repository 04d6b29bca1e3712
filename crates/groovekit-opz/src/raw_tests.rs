//! Unit tests of `raw` (kept beside it, out of the library source).

use super::*;

#[test]
fn layout_constants_match_the_reference() {
    assert_eq!(LEN_WITHOUT_TRAILER, 342_844);
    assert_eq!(SLOT_OFFSET, [0, 2, 4, 6, 8, 12, 16, 24, 28, 29, 30, 31, 35, 41, 47, 51]);
    assert_eq!(POLYPHONY.iter().map(|&p| usize::from(p)).sum::<usize>(), pattern::SLOTS_PER_STEP);
    assert_eq!(pattern::STEPS + 256 * pattern::STEP_LEN, pattern::SOUND);
    assert_eq!(pattern::NOTES + 880 * pattern::NOTE_LEN, pattern::STEPS);
    assert_eq!(pattern::UNUSED + 3, PATTERN_LEN);
    // The reference's worked example: the track chunk of pattern 0 starts at 572 and its step
    // count byte at 576.
    assert_eq!(track_offset(0, 0) + 4, 576);
    assert_eq!(step_offset(15, 15, 15) + pattern::STEP_LEN, pattern_offset(15) + pattern::SOUND);
}

#[test]
fn sizes_are_checked() {
    assert!(matches!(ProjectImage::parse(&[]), Err(OpzError::Empty)));
    assert!(matches!(ProjectImage::parse(&[0; 1000]), Err(OpzError::Size { len: 1000 })));
    let old = ProjectImage::parse(&vec![0; LEN_WITHOUT_TRAILER]).unwrap();
    assert_eq!(old.trailer(), None);
    let mut new = old.clone();
    new.set_trailer(Some(7));
    assert_eq!(new.as_bytes().len(), LEN_WITH_TRAILER);
    assert_eq!(new.trailer(), Some(7));
}
