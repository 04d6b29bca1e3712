//! Arrangements against the real device files: lossless read/write (including a file with a
//! wrong checksum), the 8 default arrangements from code, rows and stale bytes.

use groovekit_octatrack::OtError;
use groovekit_octatrack::raw::arrangement::{self, Arrangement, Block, row_type};
use groovekit_octatrack::raw::header::BinaryKind;

fn fixture_dir(test: &str) -> Option<std::path::PathBuf> {
    Some(groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), test)?.join("octatrack"))
}

#[test]
fn every_fixture_arrangement_round_trips_byte_for_byte() {
    let Some(dir) = fixture_dir("arrangement_round_trip") else { return };
    let mut n = 0;
    let mut bad_checksums = Vec::new();
    for p in groovekit_core::fixtures::files_under(&dir, &|_| true) {
        let bytes = std::fs::read(&p).unwrap();
        if BinaryKind::sniff(&bytes) != Some(BinaryKind::Arrangement) {
            continue;
        }
        n += 1;
        let (a, state) = Arrangement::read(&bytes).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        if !state.is_valid() {
            bad_checksums.push(p.file_name().unwrap().to_string_lossy().into_owned());
        }
        assert!(a.to_bytes() == bytes, "{} does not round-trip", p.display());
    }
    assert!(n >= 19, "only {n} arrangements");
    assert_eq!(bad_checksums, ["full_options.work"]);
}

#[test]
fn a_wrong_checksum_is_kept_until_an_edit_then_recomputed() {
    let Some(dir) = fixture_dir("arrangement_checksum") else { return };
    let bytes = std::fs::read(dir.join("arrangements/full_options.work")).unwrap();
    let (mut a, state) = Arrangement::read(&bytes).unwrap();
    assert_eq!((state.stored, state.computed), (0x52E3, 0x8129));
    a.set_name(Block::Current, "EDITED").unwrap();
    let out = a.to_bytes();
    let (_, state) = Arrangement::read(&out).unwrap();
    assert!(state.is_valid());
}

#[test]
fn default_arrangements_from_code_match_the_blank_project() {
    let Some(dir) = fixture_dir("default_arrangements") else { return };
    for n in 1..=8u8 {
        let want = std::fs::read(dir.join(format!("blank-project/arr{n:02}.work"))).unwrap();
        assert!(arrangement::default_arrangement_bytes(n) == want, "arr{n:02}");
    }
}

#[test]
fn reminder_row_keeps_its_stale_bytes() {
    let Some(dir) = fixture_dir("reminder_row") else { return };
    let bytes = std::fs::read(dir.join("arrangements/one_reminder_row.work")).unwrap();
    let (mut a, _) = Arrangement::read(&bytes).unwrap();
    assert_eq!(a.name(Block::Current), "PPPPPPPPPPPPPPP");
    assert_eq!(a.row_count(Block::Current), 1);
    let row = a.row(Block::Current, 0);
    assert_eq!(row.kind(), row_type::REMINDER);
    assert_eq!(row.reminder_text(), "CHAIN");
    assert_eq!(&row.raw()[6..10], &[0, 0, 0xFF, 0xFF]);
    a.row_mut(Block::Current, 0).set_reminder_text("AB", "row 1").unwrap();
    let row = a.row(Block::Current, 0);
    assert_eq!(row.reminder_text(), "AB");
    // "AB\0" then the old "IN\0\0\xff\xff" tail.
    assert_eq!(&row.raw()[1..10], b"AB\0IN\0\0\xff\xff");
}

#[test]
fn full_options_has_every_row_type() {
    let Some(dir) = fixture_dir("row_types") else { return };
    let bytes = std::fs::read(dir.join("arrangements/full_options.work")).unwrap();
    let (a, _) = Arrangement::read(&bytes).unwrap();
    let kinds: std::collections::BTreeSet<u8> = (0..256).map(|r| a.row(Block::Current, r).kind()).collect();
    assert!(
        kinds.contains(&row_type::PATTERN) && kinds.contains(&row_type::LOOP) && kinds.contains(&row_type::REMINDER)
    );
}

#[test]
fn damaged_arrangements_give_errors() {
    let good = arrangement::default_arrangement_bytes(1);
    assert!(matches!(Arrangement::read(&good[..30]).unwrap_err(), OtError::Truncated { .. }));
    let mut v = good.clone();
    v[21] = 5;
    assert!(matches!(Arrangement::read(&v).unwrap_err(), OtError::UnsupportedVersion { found: 5, .. }));
    let mut m = good.clone();
    m[0] = b'X';
    assert!(matches!(Arrangement::read(&m).unwrap_err(), OtError::BadMagic { offset: 0, .. }));
    let mut big = good;
    big.extend_from_slice(&[0; 4]);
    assert!(matches!(Arrangement::read(&big).unwrap_err(), OtError::Oversized { .. }));
}
