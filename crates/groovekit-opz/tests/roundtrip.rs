//! Byte-exact round trips of every OP-Z project in the fixture corpus.

use std::path::{Path, PathBuf};

use groovekit_opz::OpzError;
use groovekit_opz::model::{Project, default_project};
use groovekit_opz::raw;

fn projects(test: &str) -> Option<Vec<PathBuf>> {
    let dir = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), test)?;
    let files =
        groovekit_core::fixtures::files_under(&dir.join("opz"), &|p: &Path| p.extension().is_some_and(|e| e == "opz"));
    Some(files)
}

#[test]
fn every_fixture_project_round_trips_through_the_typed_model() {
    let Some(files) = projects("every_fixture_project_round_trips_through_the_typed_model") else { return };
    let mut whole = 0;
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        match Project::parse(&bytes) {
            Ok(p) => {
                let model = p.decode().unwrap();
                assert_eq!(model.encode().unwrap().as_bytes(), &bytes[..], "{}", f.display());
                assert_eq!(p.as_bytes(), &bytes[..]);
                whole += 1;
            }
            Err(OpzError::Empty) => assert!(bytes.is_empty(), "{}", f.display()),
            Err(e) => panic!("{}: {e}", f.display()),
        }
    }
    // 11 error-garden projects, 6 template projects and 2 non-empty bounce projects.
    assert_eq!(whole, 19, "{files:?}");
}

#[test]
fn files_without_the_trailer_are_accepted_and_kept_that_size() {
    let Some(files) = projects("files_without_the_trailer_are_accepted_and_kept_that_size") else { return };
    let bytes = std::fs::read(files.iter().find(|f| f.ends_with("error-garden/project03.opz")).unwrap()).unwrap();
    let old = &bytes[..raw::LEN_WITHOUT_TRAILER];
    let p = Project::parse(old).unwrap();
    assert_eq!(p.trailer(), None);
    assert_eq!(p.decode().unwrap().encode().unwrap().as_bytes(), old);
    assert_eq!(Project::parse(&bytes).unwrap().trailer(), Some(7));
}

#[test]
fn empty_and_truncated_files_give_clear_errors() {
    let Some(files) = projects("empty_and_truncated_files_give_clear_errors") else { return };
    let empty = files.iter().find(|f| f.ends_with("bounce02/project.opz")).unwrap();
    let err = Project::parse(&std::fs::read(empty).unwrap()).unwrap_err().to_string();
    assert!(err.contains("empty (0 bytes)"), "{err}");
    let bytes = std::fs::read(&files[0]).unwrap();
    let err = Project::parse(&bytes[..100_000]).unwrap_err().to_string();
    assert!(err.contains("100000 bytes") && err.contains("truncated"), "{err}");
}

#[test]
fn the_default_project_is_the_template_disk_empty_project() {
    let Some(files) = projects("the_default_project_is_the_template_disk_empty_project") else { return };
    let template = files.iter().find(|f| f.ends_with("sample-manager/projects/project06.opz")).unwrap();
    let expected = std::fs::read(template).unwrap();
    let built = default_project();
    let got = built.as_bytes();
    let diffs: Vec<usize> = (0..expected.len()).filter(|&i| got.get(i) != expected.get(i)).collect();
    assert!(diffs.is_empty(), "{} bytes differ, first at {:?}", diffs.len(), diffs.first());
    assert_eq!(got.len(), expected.len());
}

#[test]
fn dump_then_build_is_byte_identical_in_yaml_and_json() {
    use groovekit_core::doc::Syntax;
    let Some(files) = projects("dump_then_build_is_byte_identical_in_yaml_and_json") else { return };
    let mut n = 0;
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let Ok(p) = Project::parse(&bytes) else { continue };
        for syntax in [Syntax::Yaml, Syntax::Json] {
            let text = groovekit_opz::human::dump(&p, syntax).unwrap();
            assert_eq!(groovekit_core::doc::peek_kind(&text).as_deref(), Some("opz-project"));
            let back = groovekit_opz::human::build(&text).unwrap();
            assert_eq!(back.as_bytes(), &bytes[..], "{} {syntax:?}", f.display());
        }
        n += 1;
    }
    assert_eq!(n, 19);
}

#[test]
fn mutated_projects_never_panic_and_still_round_trip() {
    let Some(files) = projects("mutated_projects_never_panic_and_still_round_trip") else { return };
    let bytes = std::fs::read(files.iter().find(|f| f.ends_with("error-garden/project07.opz")).unwrap()).unwrap();
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    for _ in 0..40 {
        let mut b = bytes.clone();
        for _ in 0..400 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let at = (state as usize) % b.len();
            b[at] = (state >> 40) as u8;
        }
        let p = Project::parse(&b).unwrap();
        let _ = groovekit_opz::ops::check_project(&p);
        let _ = groovekit_opz::view::text(&p, (state % 16) as usize, true).unwrap();
        // Mutated notes over 127 are refused by default (issue 12: never dropped silently) and left
        // out with invalid=skip; either way the export never panics.
        let skip = groovekit_opz::midi::ExportOptions {
            invalid: groovekit_opz::midi::InvalidNotes::Skip,
            loops: 2,
            ..Default::default()
        };
        let _ = groovekit_opz::midi::export(&p, &skip).unwrap();
        match groovekit_opz::midi::export(&p, &Default::default()) {
            Ok(_) => {}
            Err(groovekit_opz::OpzError::Invalid { place, .. }) => assert!(place.contains("cannot store"), "{place}"),
            Err(e) => panic!("{e}"),
        }
        assert_eq!(p.decode().unwrap().encode().unwrap().as_bytes(), &b[..]);
        let text = groovekit_opz::human::dump(&p, groovekit_core::doc::Syntax::Json).unwrap();
        // Documents of mutated files may hold values `build` refuses (notes over 127 and the
        // like); whatever it accepts must be the same bytes.
        if let Ok(back) = groovekit_opz::human::build(&text) {
            assert_eq!(back.as_bytes(), &b[..]);
        }
    }
}

#[test]
fn empty_slot_variants_survive_and_cleared_slots_are_canonical() {
    use groovekit_opz::model::NoteSlot;
    let Some(files) = projects("empty_slot_variants_survive_and_cleared_slots_are_canonical") else { return };
    let mut variants = 0;
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let Ok(p) = Project::parse(&bytes) else { continue };
        let doc = groovekit_opz::human::to_doc(&p).unwrap();
        variants += doc.patterns.iter().flat_map(|pd| &pd.tracks).map(|t| t.empty_slots.len()).sum::<usize>();
    }
    // The corpus holds thousands of non-canonical empty slots (durations 12 288, 24 576, ...);
    // the round-trip tests above prove they come back byte for byte.
    assert!(variants > 1000, "{variants}");
    let f = files.iter().find(|f| f.ends_with("error-garden/project01.opz")).unwrap();
    let bytes = std::fs::read(f).unwrap();
    let mut p = Project::parse(&bytes).unwrap();
    let before = p.decode().unwrap();
    let noncanonical = before.patterns[0].slots.iter().filter(|s| s.is_empty() && **s != NoteSlot::EMPTY).count();
    assert!(noncanonical > 0);
    groovekit_opz::ops::clear_pattern(&mut p, 0).unwrap();
    let after = p.decode().unwrap();
    assert!(after.patterns[0].slots.iter().all(|s| *s == NoteSlot::EMPTY));
    assert!(after.patterns[0].steps.iter().all(|s| *s == groovekit_opz::model::Step::DEFAULT));
    assert_eq!(after.patterns[0].tracks, before.patterns[0].tracks);
    assert_eq!(after.patterns[0].sound, before.patterns[0].sound);
    assert_eq!(after.patterns[1..], before.patterns[1..]);
    assert_eq!(after.header, before.header);
}
