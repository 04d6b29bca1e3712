//! Unit tests of `kit_doc` (kept beside it, out of the library source).

use super::*;
use crate::kit::{KitSample, build_drum_kit};
use groovekit_core::doc::Syntax;

fn load_inline(_at: &str, r: &DataRef) -> Result<Vec<u8>, String> {
    r.hex.as_deref().and_then(from_hex).ok_or_else(|| "no hex".to_string())
}

fn kits() -> Option<Vec<Vec<u8>>> {
    let dir = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "kit_doc")?;
    let files = groovekit_core::fixtures::files_under(&dir.join("opz/samplepacks"), &|p: &std::path::Path| {
        p.extension().is_some_and(|e| e == "aif")
    });
    Some(files.iter().map(|f| std::fs::read(f).unwrap()).collect())
}

#[test]
fn every_fixture_kit_round_trips_through_yaml_and_json() {
    let Some(all) = kits() else { return };
    assert_eq!(all.len(), 2);
    for bytes in &all {
        let kit = Kit::parse(bytes).unwrap();
        for syntax in [Syntax::Yaml, Syntax::Json] {
            let text = dump(&kit, syntax, &mut store_inline).unwrap();
            assert!(text.contains(KIND));
            let back = build(&text, &mut load_inline).unwrap();
            assert_eq!(back.to_bytes(), *bytes);
        }
        let doc = to_doc(&kit, &mut store_inline).unwrap();
        assert_eq!(doc.slices.len(), 24);
        assert_eq!(doc.slices[0].slice, 1);
        assert!(doc.op1.get("start").is_none(), "slice arrays live in the table only");
    }
}

#[test]
fn edits_in_the_document_reach_the_json_and_keep_the_audio() {
    let Some(all) = kits() else { return };
    for bytes in &all {
        let kit = Kit::parse(bytes).unwrap();
        let mut doc = to_doc(&kit, &mut store_inline).unwrap();
        doc.slices[3].pitch = 1024;
        doc.op1["name"] = "edited".into();
        let built = from_doc(&doc, &mut load_inline).unwrap();
        let again = Kit::parse(&built.to_bytes()).unwrap();
        assert_eq!(again.slices().unwrap()[3].pitch, 1024);
        assert_eq!(again.json().unwrap()["name"], "edited");
        assert_eq!(again.aiff.chunk(b"SSND"), kit.aiff.chunk(b"SSND"));
        assert_eq!(again.slices().unwrap()[5], kit.slices().unwrap()[5]);
    }
}

#[test]
fn built_kits_need_no_stored_text_and_bad_documents_are_refused() {
    let kit = build_drum_kit(&[KitSample { name: "a".into(), frames: vec![3; 99] }], "t").unwrap();
    let doc = to_doc(&kit, &mut store_inline).unwrap();
    assert!(doc.op1_text.is_none() && doc.form_size.is_none(), "compact JSON needs no stored text");
    assert_eq!(from_doc(&doc, &mut load_inline).unwrap().to_bytes(), kit.to_bytes());
    let mut bad = doc.clone();
    bad.chunks.iter_mut().for_each(|c| c.op1 = false);
    assert!(from_doc(&bad, &mut load_inline).is_err());
    let mut bad = doc.clone();
    if let Some(d) = bad.chunks.iter_mut().find_map(|c| c.data.as_mut()) {
        d.bytes += 1;
    }
    assert!(from_doc(&bad, &mut load_inline).unwrap_err().to_string().contains("the document says"));
    let mut bad = doc;
    bad.op1["start"] = Value::from(vec![0]);
    assert!(from_doc(&bad, &mut load_inline).unwrap_err().to_string().contains("keep one"));
}

#[test]
fn hex_round_trips_every_byte_and_refuses_what_is_not_hex() {
    let all: Vec<u8> = (0..=255u8).collect();
    let h = to_hex(&all);
    let reference: String = all.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(h, reference);
    assert_eq!(from_hex(&h).unwrap(), all);
    assert_eq!(from_hex("DE ad\nBE\tef").unwrap(), vec![0xDE, 0xAD, 0xBE, 0xEF]);
    assert_eq!(from_hex("").unwrap(), Vec::<u8>::new());
    assert!(from_hex("abc").is_none(), "odd number of digits");
    assert!(from_hex("0g").is_none());
    assert!(from_hex("+1").is_none(), "from_str_radix would take a sign; hex does not");
}
