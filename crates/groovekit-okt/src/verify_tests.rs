//! Unit tests of the Oktalyzer checks (kept beside them, out of the library source), on
//! modules built in the test from the fixtures.

use std::path::PathBuf;

use super::*;

fn module(name: &str) -> Option<(PathBuf, Vec<u8>)> {
    let dir = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), name)?;
    let p = dir.join("okt/demosong_1.okta");
    let b = std::fs::read(&p).unwrap();
    Some((p, b))
}

fn chunk(bytes: &[u8], id: &[u8; 4], nth: usize) -> RawChunk {
    raw::split(bytes).unwrap().chunks.into_iter().filter(|c| &c.id == id).nth(nth).unwrap()
}

#[test]
fn every_fixture_module_is_checked() {
    let Some(dir) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "every_fixture_module")
    else {
        return;
    };
    for e in std::fs::read_dir(dir.join("okt")).unwrap().flatten() {
        if e.path().is_dir() {
            continue;
        }
        let r = verify(&e.path(), &std::fs::read(e.path()).unwrap());
        assert_eq!(r.checked.len(), 1, "{}: {:?}", e.path().display(), r.problems);
        assert!(r.problems.iter().chain(&r.warnings).all(|p| p.offset.is_some()), "{:?}", r);
    }
}

#[test]
fn a_megabyte_of_zeros_is_one_warning_with_a_count() {
    let Some((p, mut b)) = module("a_megabyte_of_zeros") else { return };
    let end = b.len();
    b.resize(end + (1 << 20), 0);
    let r = verify(&p, &b);
    assert_eq!(r.checked.len(), 1);
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    assert_eq!(r.warnings[0].offset, Some(end as u64));
    assert!(r.warnings[0].message.contains("131072 times"), "{}", r.warnings[0].message);
}

#[test]
fn an_order_position_without_a_pattern_names_its_byte() {
    let Some((p, mut b)) = module("order_without_pattern") else { return };
    let patt = chunk(&b, b"PATT", 0);
    b[patt.offset + 8 + 1] = 99;
    let r = verify(&p, &b);
    let f = r.problems.iter().find(|f| f.message.contains("order position 1 refers to pattern 99")).unwrap();
    assert_eq!(f.offset, Some((patt.offset + 9) as u64));
    assert_eq!(b[f.offset.unwrap() as usize], 99);
}

#[test]
fn a_bad_cell_names_pattern_row_channel_and_byte() {
    let Some((p, mut b)) = module("bad_cell") else { return };
    let (m, _) = Module::load(&b).unwrap();
    let channels = m.channels();
    let pbod = chunk(&b, b"PBOD", 1);
    // Pattern 1, row 2, channel 3 (index 2): the effect byte (third of the cell) set to 40.
    let at = pbod.offset + 8 + 2 + (2 * channels + 2) * 4;
    b[at + 2] = 40;
    let r = verify(&p, &b);
    let f = r.problems.iter().find(|f| f.message.contains("effect byte of 32 or more")).unwrap();
    assert!(f.message.starts_with("pattern 1 row 2 channel 3"), "{}", f.message);
    assert_eq!(f.offset, Some(at as u64));
}

#[test]
fn a_damaged_cmod_id_is_named_at_its_offset() {
    let Some((p, mut b)) = module("damaged_cmod") else { return };
    let cmod = chunk(&b, b"CMOD", 0);
    b[cmod.offset..cmod.offset + 4].copy_from_slice(b"CMXD");
    let r = verify(&p, &b);
    assert!(r.checked.is_empty());
    assert_eq!(r.problems.len(), 1);
    assert_eq!(r.problems[0].offset, Some(cmod.offset as u64));
    assert!(r.problems[0].message.contains("'CMXD'"), "{}", r.problems[0].message);
}

#[test]
fn a_damaged_magic_is_diagnosed_by_name_or_by_its_chunks() {
    let Some((p, mut b)) = module("damaged_magic") else { return };
    assert_eq!(diagnose(&p, &b), None, "a module is not diagnosed");
    b[0..8].copy_from_slice(b"XXXXXXXX");
    let d = diagnose(&p, &b).unwrap();
    assert_eq!(d.offset, Some(0));
    assert!(d.message.contains("OKTASONG") && d.message.contains("\"XXXXXXXX\""), "{}", d.message);
    // Renamed: still found by the CMOD chunk at byte 8.
    let d = diagnose(Path::new("song.bin"), &b).unwrap();
    assert!(d.message.contains("only the magic looks damaged"), "{}", d.message);
    assert_eq!(diagnose(Path::new("notes.txt"), b"hello"), None);
}
