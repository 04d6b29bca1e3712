//! Unit tests of `doc` (kept beside it, out of the library source).

use super::*;

#[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
struct Doc {
    kind: String,
    steps: Vec<u8>,
}

#[test]
fn kind_is_found_in_both_syntaxes_and_docs_round_trip() {
    let d = Doc { kind: "octatrack-bank".into(), steps: vec![1, 5, 9] };
    for syntax in [Syntax::Yaml, Syntax::Json] {
        let text = to_text(&d, syntax).unwrap();
        assert_eq!(Syntax::sniff(&text), syntax);
        assert_eq!(peek_kind(&text).as_deref(), Some("octatrack-bank"));
        let back: Doc = from_text(&text).unwrap();
        assert_eq!(back, d);
    }
    assert_eq!(peek_kind("steps: [1]\n"), None);
}

#[test]
fn large_documents_fit_the_budget() {
    let big: Vec<u32> = (0..600_000).collect();
    let text = to_yaml(&big).unwrap();
    let back: Vec<u32> = from_yaml(&text).unwrap();
    assert_eq!(back.len(), big.len());
}

#[test]
fn yaml_errors_carry_a_position() {
    let err = from_yaml::<Doc>("kind: x\nsteps: [1, fast]\n").unwrap_err().to_string();
    assert!(err.contains("line 2") || err.contains("2:"), "{err}");
}

#[test]
fn peek_kind_parses_one_line_json_and_flow_yaml() {
    // Python's json.dump and `jq -c` write one line, `kind` anywhere in it.
    assert_eq!(peek_kind(r#"{"kind": "octatrack-bank", "patterns": []}"#).as_deref(), Some("octatrack-bank"));
    assert_eq!(peek_kind(r#"{"patterns":[{"kind":"inner"}],"kind":"opz-project"}"#).as_deref(), Some("opz-project"));
    assert_eq!(peek_kind("{kind: track-song, lines: []}\n").as_deref(), Some("track-song"));
    assert_eq!(peek_kind("---\nkind: octatrack-project # comment\n").as_deref(), Some("octatrack-project"));
    // A nested `kind` is not the document's.
    assert_eq!(peek_kind("steps:\n  kind: x\n"), None);
    assert_eq!(peek_kind(r#"{"steps": {"kind": "x"}}"#), None);
    assert_eq!(peek_kind("{not json"), None);
}
