//! `.ot` sample settings against every fixture: byte-exact round trips through the raw, model
//! and document layers, values checked by hand, and robustness on damaged files.

use std::path::PathBuf;

use groovekit_core::doc::Syntax;
use groovekit_octatrack::OtError;
use groovekit_octatrack::human::sample_settings::{build, dump};
use groovekit_octatrack::model::sample_settings::{LoopMode, SampleSettings, Timestretch, TrigQuant};
use groovekit_octatrack::raw::image::ChecksumPolicy;
use groovekit_octatrack::raw::sample_settings::{self as raw, SampleSettingsFile};

fn ot_fixtures() -> Option<Vec<PathBuf>> {
    let dir = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "sample settings")?;
    let files = groovekit_core::fixtures::files_under(&dir.join("octatrack"), &|p| {
        p.extension().is_some_and(|e| e.eq_ignore_ascii_case("ot"))
    });
    Some(files)
}

#[test]
fn every_fixture_round_trips_byte_for_byte() {
    let Some(files) = ot_fixtures() else { return };
    // 12 device files, the demo set's chain.ot and the chain fixture's sliced.ot.
    assert!(files.len() >= 14, "{} .ot fixtures", files.len());
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let name = f.display();
        let file = SampleSettingsFile::from_bytes(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(file.as_bytes(), &bytes[..], "{name}");
        assert_eq!(file.to_bytes(), bytes, "{name}: raw");
        let model = SampleSettings::from_file(&file).unwrap();
        assert_eq!(model.to_bytes().unwrap(), bytes, "{name}: model");
        for syntax in [Syntax::Yaml, Syntax::Json] {
            let text = dump(&bytes, syntax).unwrap();
            assert_eq!(build(&text).unwrap(), bytes, "{name}: document {syntax:?}\n{text}");
        }
    }
}

#[test]
fn device_file_values_by_hand() {
    let Some(dir) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "4slices") else { return };
    let bytes = std::fs::read(dir.join("octatrack/sample-settings/4slices.ot")).unwrap();
    let m = SampleSettings::from_bytes(&bytes).unwrap();
    // Bytes 23..27 = 00 00 08 E9 = 2281 = 95.0417 BPM × 24; 27..31 = 0x320 = 800 (8 bars).
    assert_eq!(m.tempo_x24, 2281);
    assert_eq!((m.trim_length_x100, m.loop_length_x100), (800, 800));
    assert_eq!(m.timestretch, Timestretch::Normal);
    assert_eq!(m.loop_mode, LoopMode::Off);
    assert_eq!(m.gain, 48);
    assert_eq!(m.trig_quant, TrigQuant::Direct);
    assert_eq!((m.trim_start, m.trim_end), (0, 890_839));
    assert_eq!(m.unknown_22, 1);
    let s: Vec<(u32, u32, Option<u32>)> = m.slices.iter().map(|s| (s.start, s.end, s.loop_point)).collect();
    assert_eq!(
        s,
        vec![(0, 0x365F3, None), (0x365F3, 0x6B941, None), (0x6B941, 0xA31E2, None), (0xA31E2, 0xD97D6, None)]
    );
    let tq =
        SampleSettings::from_bytes(&std::fs::read(dir.join("octatrack/sample-settings/0slices-tq1step.ot")).unwrap())
            .unwrap();
    assert_eq!(tq.trig_quant, TrigQuant::Steps(1));
    // 62slices.ot keeps two stale entries after its 62 slices.
    let m62 =
        SampleSettings::from_bytes(&std::fs::read(dir.join("octatrack/sample-settings/62slices.ot")).unwrap()).unwrap();
    assert_eq!(m62.slices.len(), 62);
    assert_eq!(m62.unused_slots.iter().map(|u| u.index).collect::<Vec<_>>(), vec![62, 63]);
    let yaml = dump(&std::fs::read(dir.join("octatrack/sample-settings/62slices.ot")).unwrap(), Syntax::Yaml).unwrap();
    assert!(yaml.starts_with("kind: octatrack-sample-settings"), "{yaml}");
    assert!(yaml.contains("unused_slots"), "{yaml}");
}

#[test]
fn edited_document_builds_with_a_fresh_checksum() {
    let Some(dir) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "edit") else { return };
    let bytes = std::fs::read(dir.join("octatrack/chain/sliced.ot")).unwrap();
    let yaml = dump(&bytes, Syntax::Yaml).unwrap();
    let edited = yaml.replace("bpm: 120.0\n", "bpm: 125.5\n").replace("gain_db: 24.0\n", "gain_db: -3.5\n");
    assert_ne!(edited, yaml);
    let out = build(&edited).unwrap();
    let m = SampleSettings::from_bytes(&out).unwrap(); // checksum valid
    assert_eq!(m.tempo_x24, 3012);
    assert_eq!(m.gain, 41);
    // Values that cannot be stored are refused with the field's name.
    let e = build(&yaml.replace("bpm: 120.0\n", "bpm: 120.01\n")).unwrap_err().to_string();
    assert!(e.contains("bpm"), "{e}");
    let e = build(&set_line(&yaml, "trig_quantization:", "trig_quantization: 5")).unwrap_err().to_string();
    assert!(e.contains("trig_quantization"), "{e}");
    let e = build(&set_line(&yaml, "timestretch:", "timestretch: wobbly")).unwrap_err().to_string();
    assert!(e.contains("timestretch"), "{e}");
}

/// Replaces the line starting with `prefix`.
fn set_line(text: &str, prefix: &str, line: &str) -> String {
    assert!(text.lines().any(|l| l.starts_with(prefix)), "{prefix} not in\n{text}");
    text.lines().map(|l| if l.starts_with(prefix) { line } else { l }).collect::<Vec<_>>().join("\n")
}

#[test]
fn damaged_files_give_errors_not_panics() {
    let Some(files) = ot_fixtures() else { return };
    let bytes = std::fs::read(&files[0]).unwrap();
    assert!(matches!(SampleSettingsFile::from_bytes(&bytes[..500]), Err(OtError::Truncated { actual: 500, .. })));
    let mut bad = bytes.clone();
    bad[raw::TEMPO + 3] ^= 0x10;
    let e = SampleSettingsFile::from_bytes(&bad).unwrap_err();
    assert!(matches!(e, OtError::Checksum { offset: 830, .. }), "{e}");
    assert!(SampleSettingsFile::read(&bad, ChecksumPolicy::Lenient).is_ok());
    // Slice count above 64.
    let mut f = SampleSettingsFile::from_bytes(&bytes).unwrap();
    f.set_u32(raw::SLICE_COUNT, 65);
    let e = SampleSettings::from_bytes(&f.to_bytes()).unwrap_err().to_string();
    assert!(e.contains("826"), "{e}");
    // Deterministic mutations of every fixture: errors or values, never a panic; whatever
    // parses also round-trips.
    let mut x: u32 = 99;
    for f in &files {
        let seed = std::fs::read(f).unwrap();
        for _ in 0..300 {
            let mut m = seed.clone();
            for _ in 0..4 {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                let at = (x >> 8) as usize % m.len();
                m[at] = (x >> 24) as u8;
            }
            if let Ok((file, _)) = SampleSettingsFile::read(&m, ChecksumPolicy::Lenient)
                && let Ok(model) = SampleSettings::from_file(&file)
            {
                let fixed = file.to_bytes();
                assert_eq!(model.to_bytes().unwrap(), fixed);
                if let Ok(text) = dump(&fixed, Syntax::Json) {
                    assert_eq!(build(&text).unwrap(), fixed);
                }
            }
        }
    }
}

#[test]
fn extreme_values_survive_the_document() {
    let m = SampleSettings {
        tempo_x24: u32::MAX,
        trim_length_x100: u32::MAX,
        loop_length_x100: u32::MAX - 1,
        gain: u16::MAX,
        trim_end: u32::MAX,
        ..Default::default()
    };
    let bytes = m.to_bytes().unwrap();
    for syntax in [Syntax::Yaml, Syntax::Json] {
        assert_eq!(build(&dump(&bytes, syntax).unwrap()).unwrap(), bytes);
    }
}
