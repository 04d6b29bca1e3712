//! Unit tests of `human` (kept beside it, out of the library source).

use super::*;

#[test]
fn cells_round_trip() {
    for (n, i, e, p) in [(0, 0, 0, 0), (14, 1, 31, 0x40), (36, 35, 25, 0x12), (200, 255, 200, 255), (1, 0, 35, 1)] {
        let c = Cell { note: n, instrument: i, effect: e, param: p };
        assert_eq!(parse_cell(&cell_text(c)), Ok(c), "{}", cell_text(c));
    }
    // Samples as Oktalyzer shows them (issue 12 item 5): 0-9, A-Z, then #N.
    assert_eq!(cell_text(Cell { note: 13, instrument: 1, effect: 31, param: 0x40 }), "C-2 1 V40");
    assert_eq!(cell_text(Cell { note: 13, instrument: 10, effect: 0, param: 0 }), "C-2 A 000");
    assert_eq!(cell_text(Cell { note: 13, instrument: 35, effect: 0, param: 0 }), "C-2 Z 000");
    assert_eq!(cell_text(Cell { note: 13, instrument: 200, effect: 0, param: 0 }), "C-2 #200 000");
    // Documents written before (two hex digits) still read.
    assert_eq!(parse_cell("C-2 0a V40"), Ok(Cell { note: 13, instrument: 10, effect: 31, param: 0x40 }));
    assert!(parse_cell("C-2 a V40").is_err(), "labels are upper case, as Oktalyzer shows them");
    assert!(parse_cell("C-2 #256 V40").is_err());
    assert!(parse_cell("C-2 01").is_err());
    assert!(parse_cell("C-4 01 V40").is_err());
    assert!(parse_cell("C-2 01 V4").is_err());
    assert!(parse_cell("C-2 01 x0540").is_err());
}

#[test]
fn truncated_patterns_stay_small_and_round_trip() {
    let m = Module {
        channel_flags: [0; 4],
        song_length: 1,
        order: vec![0; 128],
        patterns: vec![
            Pattern { rows: u16::MAX, data: vec![13, 1, 31, 0x40, 0, 0] },
            Pattern { rows: 1, data: vec![0; 16 + 3] },
        ],
        ..Module::default()
    };
    let doc = to_doc(&m, &mut store_inline).unwrap();
    assert_eq!(doc.patterns[0].cells, vec!["C-2 1 V40 | --- 0 000 | --- 0 000 | --- 0 000".to_string()]);
    assert_eq!(doc.patterns[0].stored_bytes, Some(6));
    assert_eq!(doc.patterns[1].tail_hex.as_deref(), Some("000000"));
    let back = from_doc(&doc, &mut |_, r| Ok(from_hex(r.hex.as_deref().unwrap_or("")).unwrap_or_default())).unwrap();
    assert_eq!(back.to_bytes(), m.to_bytes());
}

#[test]
fn hex_round_trips() {
    assert_eq!(from_hex(&to_hex(&[0, 1, 0xfe])), Some(vec![0, 1, 0xfe]));
    assert_eq!(from_hex("abc"), None);
}
