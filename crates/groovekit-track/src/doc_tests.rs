//! Unit tests of the song document (kept beside it, out of the library source).

use groovekit_core::doc::Syntax;

use super::*;

const SONG: &str = "# a groove\nBPM 120\nSAMPLE BASS, 55, 0.4, 0.7, 0.004, 8, 0.2 OFFSET .5\nHUMANIZE SEED 3 TIMING 10 VOLUME 5\n\nPATTERN groove LENGTH 1.0\n0.00, ASSET_KICK, 1.0, 0.0 # beat 0\n0.25, BASS, 0.8, -0.5\n1e-3, NOTE_A#3, 1, 0\nSCORE\n0.0, groove\n";

#[test]
fn canonical_songs_round_trip_byte_for_byte_in_yaml_and_json() {
    assert_eq!(ops::format(SONG).unwrap(), SONG, "the test song is canonical");
    for syntax in [Syntax::Yaml, Syntax::Json] {
        let text = to_text(SONG, syntax).unwrap();
        assert_eq!(groovekit_core::doc::peek_kind(&text).as_deref(), Some(KIND));
        assert_eq!(from_text(&text).unwrap(), SONG, "{text}");
    }
}

#[test]
fn a_messy_song_builds_to_its_canonical_form() {
    let messy = "bpm 90\r\n\n\npattern p\n 0 ,NOTE_C4,1,0\nscore\n0 p\n";
    let yaml = to_text(messy, Syntax::Yaml).unwrap();
    assert_eq!(from_text(&yaml).unwrap(), ops::format(messy).unwrap());
}

#[test]
fn document_errors_name_the_line() {
    let e = from_text("kind: track-song\nlines:\n- bpm: 120\n  score: true\n").unwrap_err().to_string();
    assert!(e.contains("lines[1]"), "{e}");
    let e = from_text("kind: track-song\nlines:\n- length: 1\n").unwrap_err().to_string();
    assert!(e.contains("pattern"), "{e}");
    let e = from_text("kind: track-song\nlines:\n- sample: 'two words'\n").unwrap_err().to_string();
    assert!(e.contains("one word"), "{e}");
    assert!(from_text("kind: octatrack-bank\nlines: []\n").is_err());
    assert!(to_text("PATTERN p\n0.0, x\n", Syntax::Yaml).is_err(), "syntax errors are refused");
}
