//! The readable arrangement document: byte-exact dump/build for every fixture arrangement (also
//! the one with a wrong checksum), and hand edits.

use groovekit_core::doc::Syntax;
use groovekit_octatrack::human::arrangement::{self, ArrangementDoc, parse_pattern_name, pattern_name};
use groovekit_octatrack::raw::arrangement::{Arrangement, Block, row_type};
use groovekit_octatrack::raw::header::BinaryKind;

#[test]
fn every_fixture_arrangement_dumps_and_builds_back() {
    let Some(dir) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "arr_doc_round_trip") else {
        return;
    };
    let mut n = 0;
    for p in groovekit_core::fixtures::files_under(&dir.join("octatrack"), &|_| true) {
        let bytes = std::fs::read(&p).unwrap();
        if BinaryKind::sniff(&bytes) != Some(BinaryKind::Arrangement) {
            continue;
        }
        n += 1;
        for syntax in [Syntax::Yaml, Syntax::Json] {
            let text = arrangement::to_text(&bytes, syntax).unwrap();
            let back = arrangement::from_text(&text).unwrap_or_else(|e| panic!("{} {syntax:?}: {e}", p.display()));
            assert!(back == bytes, "{} {syntax:?}", p.display());
        }
    }
    assert!(n >= 19);
}

#[test]
fn full_options_document_keeps_its_wrong_checksum_and_shows_row_types() {
    let Some(dir) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "arr_doc_full") else {
        return;
    };
    let bytes = std::fs::read(dir.join("octatrack/arrangements/full_options.work")).unwrap();
    let doc = arrangement::dump(&bytes).unwrap();
    assert_eq!(doc.stored_checksum.as_deref(), Some("0x52E3"));
    let rows = &doc.current.as_ref().unwrap().rows;
    assert!(rows.iter().any(|r| r.pattern.is_some()));
    assert!(rows.iter().any(|r| r.jump.is_some()));
    assert!(rows.iter().any(|r| r.reminder.is_some()));
    // Dropping the key writes a correct checksum.
    let mut fixed = doc.clone();
    fixed.stored_checksum = None;
    let out = arrangement::build(&fixed).unwrap();
    assert!(Arrangement::read(&out).unwrap().1.is_valid());
    assert_eq!(out[..out.len() - 2], bytes[..bytes.len() - 2]);
}

#[test]
fn hand_written_arrangement_builds() {
    let yaml = "kind: octatrack-arrangement
current:
  name: SONG
  row_count: 3
  rows:
  - row: 1
    pattern: {pattern: B03, repeats: 3, scene_a: 255, scene_b: 255, length: 16, transpose: [0, 0, 0, 0, 0, 0, 0, -12]}
  - row: 2
    reminder: CHORUS
  - row: 3
    jump: {loops: 2, target: 1}
";
    let bytes = arrangement::from_text(yaml).unwrap();
    let (a, state) = Arrangement::read(&bytes).unwrap();
    assert!(state.is_valid());
    assert_eq!(a.name(Block::Current), "SONG");
    assert_eq!(a.row_count(Block::Current), 3);
    let r = a.row(Block::Current, 0);
    assert_eq!((r.kind(), r.byte(1), r.byte(2), r.byte(8), r.byte(21) as i8), (row_type::PATTERN, 18, 3, 255, -12));
    assert_eq!(a.row(Block::Current, 1).reminder_text(), "CHORUS");
    let j = a.row(Block::Current, 2);
    assert_eq!((j.kind(), j.byte(1), j.byte(2)), (row_type::LOOP, 2, 0));
    let doc: ArrangementDoc =
        groovekit_core::doc::from_text(&arrangement::to_text(&bytes, Syntax::Yaml).unwrap()).unwrap();
    assert_eq!(arrangement::build(&doc).unwrap(), bytes);
    for bad in [
        "kind: octatrack-arrangement\ncurrent:\n  rows:\n  - row: 1\n    reminder: A\n    jump: {loops: 1, target: 1}\n",
        "kind: octatrack-arrangement\ncurrent:\n  rows:\n  - row: 257\n    reminder: A\n",
        "kind: octatrack-arrangement\ncurrent:\n  rows:\n  - row: 1\n    pattern: {pattern: Q01}\n",
        "kind: octatrack-arrangement\ncurrent:\n  name: SIXTEEN-CHARS-XX\n",
    ] {
        assert!(arrangement::from_text(bad).is_err(), "{bad}");
    }
}

#[test]
fn pattern_names_cover_all_256() {
    for b in 0..=255u8 {
        assert_eq!(parse_pattern_name(&pattern_name(b)), Some(b));
    }
    assert_eq!(pattern_name(0), "A01");
    assert_eq!(pattern_name(255), "P16");
}
