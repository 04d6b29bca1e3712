//! Unit tests of `ops` (kept beside it, out of the library source).

use super::*;

#[test]
fn distances() {
    assert_eq!(edit_distance("kitten", "sitting"), 3);
    assert_eq!(edit_distance("ASSET_KICK", "asset_kick"), 0);
    assert_eq!(edit_distance("", "abc"), 3);
    let near = nearest("kick_snar", ["kick_snare", "short_fill", "kick"].into_iter());
    assert_eq!(near, vec!["kick_snare".to_string()]);
}

#[test]
fn format_is_canonical_and_idempotent() {
    let messy = "\n\n  bpm   90  #tempo\r\nSAMPLE NOTE_C4   OFFSET 0.01\n\n\n\npattern p length 0.5\n 0.0 ,NOTE_A#3 , 1,0\n# c\nscore\n0 p\n\n";
    let f = format(messy).unwrap();
    assert_eq!(
        f,
        "BPM 90 #tempo\nSAMPLE NOTE_C4 OFFSET 0.01\n\nPATTERN p LENGTH 0.5\n0.0, NOTE_A#3, 1, 0\n# c\nSCORE\n0, p\n"
    );
    assert_eq!(format(&f).unwrap(), f);
    assert!(format("PATTERN p\n0.0, x\n").is_err());
}
