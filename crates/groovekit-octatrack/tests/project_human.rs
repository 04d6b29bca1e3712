//! The readable form of `project.work`: dump then build is byte-identical for every fixture in
//! YAML and JSON, documents are readable, and editing one value changes exactly its line.

use std::path::PathBuf;

use groovekit_core::doc::Syntax;
use groovekit_octatrack::human::project::{self as human, Value};
use groovekit_octatrack::model::project::Project;

fn project_files(test: &str) -> Option<Vec<PathBuf>> {
    let dir = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), test)?;
    let files = groovekit_core::fixtures::files_under(&dir.join("octatrack"), &|p| {
        p.file_stem().is_some_and(|s| s == "project") && p.extension().is_some_and(|e| e == "work" || e == "strd")
    });
    assert!(files.len() >= 4, "{files:?}");
    Some(files)
}

fn changed_lines(a: &[u8], b: &[u8]) -> Vec<(String, String)> {
    let (la, lb): (Vec<_>, Vec<_>) = (a.split(|&c| c == b'\n').collect(), b.split(|&c| c == b'\n').collect());
    assert_eq!(la.len(), lb.len(), "line count changed");
    la.iter()
        .zip(&lb)
        .filter(|(x, y)| x != y)
        .map(|(x, y)| {
            (String::from_utf8_lossy(x).trim_end().to_string(), String::from_utf8_lossy(y).trim_end().to_string())
        })
        .collect()
}

#[test]
fn dump_then_build_is_byte_identical_for_every_fixture() {
    let Some(files) = project_files("dump_then_build_is_byte_identical") else { return };
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        let p = Project::parse(&bytes).unwrap();
        let doc = human::to_doc(&p);
        // Device layouts need no copy of the original: the readable part is the whole truth.
        assert!(doc.original_hex.is_none(), "{} needed original_hex", f.display());
        for syntax in [Syntax::Yaml, Syntax::Json] {
            let text = human::to_text(&p, syntax).unwrap();
            assert_eq!(groovekit_core::doc::peek_kind(&text).as_deref(), Some("octatrack-project"));
            let back = human::from_text(&text).unwrap();
            assert_eq!(back.to_bytes(), bytes, "{} via {syntax:?}:\n{text}", f.display());
        }
    }
}

#[test]
fn documents_are_readable() {
    let Some(dir) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "documents_are_readable")
    else {
        return;
    };
    let ot = dir.join("octatrack");
    let p = Project::parse(&std::fs::read(ot.join("bank-copy/BANK-COPY-DEST/project.work")).unwrap()).unwrap();
    let yaml = human::to_text(&p, Syntax::Yaml).unwrap();
    assert!(yaml.starts_with("kind: octatrack-project\n"), "{yaml}");
    assert!(yaml.contains("TEMPO: 120\n"), "{yaml}");
    assert!(yaml.contains("OS_VERSION: R0177     1.40B\n"), "{yaml}");
    assert!(yaml.contains("MIDI_PROGRAM_CHANGE_SEND_CH: -1\n"), "{yaml}");
    assert!(yaml.contains("path: ../AUDIO/first-0.wav\n"), "{yaml}");
    assert!(yaml.contains("bpm: 150"), "{yaml}");
    assert!(!yaml.contains("TEMPOx24"), "{yaml}");
    let doc = human::to_doc(&p);
    let trig = doc.settings.0.iter().find(|(k, _)| k == "TRIG_MODE_MIDI").unwrap();
    assert_eq!(trig.1, Value::List(vec![Value::Int(0); 8]));
    let first = doc.samples.first().unwrap();
    assert_eq!((first.slot, first.slot_unpadded, first.gain), (1, false, Some(75)));
    // The tool-written project spells slots without padding; the document says so.
    let p = Project::parse(&std::fs::read(ot.join("bank-copy/BANK-COPY-SRC/project.work")).unwrap()).unwrap();
    let doc = human::to_doc(&p);
    assert!(doc.samples.first().unwrap().slot_unpadded);
    assert_eq!(doc.samples.first().unwrap().trim_bars, Some(0.0));
}

/// The line of `text` that starts with `key` (after indentation), and the stored `TEMPOx24=` line.
fn line_with<'a>(text: &'a str, key: &str) -> &'a str {
    text.lines().find(|l| l.trim_start().starts_with(key)).unwrap_or_else(|| panic!("no {key} in {text}"))
}

/// `line` (`  KEY: value` or `  "KEY": value,`) with its value replaced, indentation and comma kept.
fn with_value(line: &str, value: &str) -> String {
    let colon = line.find(':').unwrap();
    let comma = if line.trim_end().ends_with(',') { "," } else { "" };
    format!("{}: {value}{comma}", &line[..colon])
}

#[test]
fn editing_the_tempo_in_the_document_changes_exactly_that_line() {
    let Some(files) = project_files("editing_the_tempo_in_the_document") else { return };
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        let p = Project::parse(&bytes).unwrap();
        // Whatever the project's tempo (120 in the older fixtures, 126.125 on the real device).
        let stored = String::from_utf8_lossy(&bytes).lines().find(|l| l.starts_with("TEMPOx24=")).unwrap().to_string();
        let yaml = human::to_text(&p, Syntax::Yaml).unwrap();
        let yaml = yaml.replacen(line_with(&yaml, "TEMPO:"), &with_value(line_with(&yaml, "TEMPO:"), "128.5"), 1);
        let built = human::from_text(&yaml).unwrap().to_bytes();
        assert_eq!(changed_lines(&bytes, &built), vec![(stored.clone(), "TEMPOx24=3084".into())], "{}", f.display());
        let json = human::to_text(&p, Syntax::Json).unwrap();
        let json = json.replacen(line_with(&json, "\"TEMPO\":"), &with_value(line_with(&json, "\"TEMPO\":"), "90"), 1);
        let built = human::from_text(&json).unwrap().to_bytes();
        assert_eq!(changed_lines(&bytes, &built), vec![(stored, "TEMPOx24=2160".into())], "{}", f.display());
    }
}

/// A file not laid out like the device's (LF endings, a comment, an unknown key, a non-UTF-8
/// path) still round-trips, and an edit still changes only its line.
#[test]
fn unusual_layouts_round_trip_through_original_hex() {
    let Some(dir) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "unusual_layouts") else {
        return;
    };
    let blank = std::fs::read(dir.join("octatrack/demo-set/DEMO-SET-1/BLANK/project.work")).unwrap();
    let mut odd: Vec<u8> = blank.iter().copied().filter(|&b| b != b'\r').collect();
    let text = String::from_utf8(odd.clone()).unwrap();
    let text = text
        .replace("[STATES]\n", "[STATES]\n# edited by hand\nFUTURE_KEY=abc\n")
        .replace("PATH=../AUDIO/flex.wav", "PATH=../AUDIO/caf\u{0}.wav");
    odd = text.into_bytes();
    // Put a Latin-1 byte (0xE9, not UTF-8) where the NUL marker is.
    let at = odd.iter().position(|&b| b == 0).unwrap();
    odd[at] = 0xE9;
    let p = Project::parse(&odd).unwrap();
    assert_eq!(
        p.sample(groovekit_octatrack::model::project::SlotType::Flex, 129).unwrap().path,
        b"../AUDIO/caf\xE9.wav"
    );
    for syntax in [Syntax::Yaml, Syntax::Json] {
        let doc_text = human::to_text(&p, syntax).unwrap();
        assert!(doc_text.contains("original_hex"));
        assert_eq!(human::from_text(&doc_text).unwrap().to_bytes(), odd, "{syntax:?}");
        let edited = doc_text
            .replace("FUTURE_KEY: abc", "FUTURE_KEY: xyz")
            .replace("FUTURE_KEY\": \"abc\"", "FUTURE_KEY\": \"xyz\"");
        let built = human::from_text(&edited).unwrap().to_bytes();
        assert_eq!(changed_lines(&odd, &built), vec![("FUTURE_KEY=abc".into(), "FUTURE_KEY=xyz".into())], "{syntax:?}");
    }
}

#[test]
fn bad_documents_are_errors_not_panics() {
    let base = human::to_text(&Project::new_default(), Syntax::Yaml).unwrap();
    for (from, to) in [
        ("TEMPO: 120", "TEMPO: fast"),
        ("kind: octatrack-project", "kind: octatrack-bank"),
        ("type: flex", "type: wobbly"),
        ("slot: 129", "slot: 999"),
        ("OS_VERSION: R0177     1.40B", "OS_VERSION: [1, [2]]"),
        ("TYPE: OCTATRACK DPS-1 PROJECT", "TYPE: SOMETHING ELSE"),
    ] {
        let edited = base.replacen(from, to, 1);
        assert_ne!(edited, base, "{from}");
        assert!(human::from_text(&edited).is_err(), "{to} was accepted");
    }
}

/// Values that YAML would read as something else unless quoted (booleans, null, floats, hex,
/// padded numbers) come back as the same text.
#[test]
fn yaml_lookalike_values_keep_their_text() {
    let base = String::from_utf8(Project::new_default().to_bytes()).unwrap();
    for v in [
        "true", "null", "~", "1e3", "0x10", ".inf", "1_000", "007", "+5", "-0", " 1", "1 ", "a: b", "# c", "'q'", "\"",
        "- x", "", "[1]", "{a}", "*x", "&y", "!t", "|", ">", "%", "@", "`",
    ] {
        let text = base
            .replace("MIDI_SOFT_THRU=0", &format!("MIDI_SOFT_THRU=0\r\nFUTURE={v}"))
            .replace("PATH=\r\nBPMx24", &format!("PATH={v}\r\nBPMx24"));
        let p = Project::parse(text.as_bytes()).unwrap();
        for syntax in [Syntax::Yaml, Syntax::Json] {
            let doc = human::to_text(&p, syntax).unwrap();
            let back = human::from_text(&doc).unwrap_or_else(|e| panic!("{v:?} {syntax:?}: {e}\n{doc}"));
            assert_eq!(back.to_bytes(), text.as_bytes(), "{v:?} {syntax:?}");
        }
    }
}
