//! Unit tests of `diff` (kept beside it, out of the library source).

use super::*;

const A: &str =
    "BPM 120\nPATTERN p LENGTH 1.0\n0.0, NOTE_C4, 1.0, 0.0\n0.5, NOTE_E4, 0.8, 0.0\nSCORE\n0.0, p\n1.0, p\n";

#[test]
fn same_song_in_another_layout_has_no_differences() {
    let a = Song::parse(A).unwrap();
    let b =
        Song::parse("bpm 120.0\npattern p\n0, NOTE_C4, 1, 0\n0.50, NOTE_E4, 0.80, 0 # c\nscore\n0 p\n1 p\n").unwrap();
    assert_eq!(diff(&a, &b), Vec::<String>::new());
}

#[test]
fn differences_by_pattern_and_event() {
    let a = Song::parse(A).unwrap();
    let b = Song::parse(
        "BPM 128\nPATTERN p LENGTH 1.0\n0.0, NOTE_C4, 0.5, 0.0\n0.75, NOTE_E4, 0.8, 0.0\nPATTERN q\n0, NOTE_G4, 1, 0\nSCORE\n0.0, p\n2.0, q\n",
    )
    .unwrap();
    let expected = [
        "bpm 120 -> 128",
        "sample NOTE_G4: added (tone 391.99543598174927 Hz, 0.5 s, amp 0.5, attack 0.005, 6 harmonics, decay 0.2)",
        "pattern q: added (1 event)",
        "pattern p event at 0.5: NOTE_E4 removed (volume 0.8, pan 0)",
        "pattern p event at 0.75: NOTE_E4 added (volume 0.8, pan 0)",
        "pattern p event at 0 NOTE_C4: volume 1 -> 0.5",
        "score at 1: p removed",
        "score at 2: q added",
    ];
    assert_eq!(diff(&a, &b), expected);
}
