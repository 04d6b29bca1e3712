//! `project.work` against the real device files: byte-exact round trips through the line layer
//! and the model, one-line edits, and the blank project generated from code.

use std::path::PathBuf;

use groovekit_octatrack::model::project::{Project, SampleSlot, SampleTiming, SlotType};
use groovekit_octatrack::raw::project::ProjectText;

/// Every `project.work` / `project.strd` in the Octatrack fixtures.
fn project_files(test: &str) -> Option<Vec<PathBuf>> {
    let dir = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), test)?;
    let files = groovekit_core::fixtures::files_under(&dir.join("octatrack"), &|p| {
        p.file_stem().is_some_and(|s| s == "project") && p.extension().is_some_and(|e| e == "work" || e == "strd")
    });
    assert!(files.len() >= 4, "expected at least the 4 older project.work fixtures, found {files:?}");
    Some(files)
}

fn lines(bytes: &[u8]) -> Vec<&[u8]> {
    bytes.split(|&b| b == b'\n').collect()
}

#[test]
fn every_fixture_round_trips_byte_for_byte() {
    let Some(files) = project_files("every_fixture_round_trips_byte_for_byte") else { return };
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        let raw = ProjectText::parse(&bytes).unwrap();
        assert_eq!(raw.to_bytes(), bytes, "{}", f.display());
        let model = Project::parse(&bytes).unwrap();
        assert_eq!(model.to_bytes(), bytes, "{}", f.display());
        assert_eq!(model.trig_mode_midi(), vec![0; 8], "{}", f.display());
        assert_eq!(model.meta().os_version.as_deref(), Some("R0177     1.40B"));
        assert_eq!(model.os_release().as_deref(), Some("1.40B"));
    }
}

/// The `TEMPOx24=` line of a project file, as stored (any tempo: the fixtures are at 120 and
/// 126.125 BPM).
fn tempo_line(bytes: &[u8]) -> Vec<u8> {
    lines(bytes).into_iter().find(|l| l.starts_with(b"TEMPOx24=")).expect("a TEMPOx24 line").to_vec()
}

#[test]
fn setting_the_tempo_changes_exactly_one_line() {
    let Some(files) = project_files("setting_the_tempo_changes_exactly_one_line") else { return };
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        let mut p = Project::parse(&bytes).unwrap();
        let line = tempo_line(&bytes);
        let x24: f64 = String::from_utf8_lossy(&line[9..]).trim().parse().unwrap();
        assert_eq!(p.tempo_bpm(), Some(x24 / 24.0), "{}", f.display());
        let target = if x24 == 3072.0 { 130.0 } else { 128.0 };
        p.set_tempo_bpm(target).unwrap();
        let out = p.to_bytes();
        let (a, b) = (lines(&bytes), lines(&out));
        assert_eq!(a.len(), b.len());
        let diff: Vec<_> = a.iter().zip(&b).filter(|(x, y)| x != y).map(|(x, y)| (x.to_vec(), y.to_vec())).collect();
        let want = format!("TEMPOx24={}\r", (target * 24.0) as i64).into_bytes();
        assert_eq!(diff, vec![(line.clone(), want)], "{}", f.display());
        assert_eq!(Project::parse(&out).unwrap().tempo_x24(), Some((target * 24.0) as i64));
    }
}

#[test]
fn device_details_are_read_as_written() {
    let Some(dir) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "device_details") else {
        return;
    };
    let ot = dir.join("octatrack");
    // Device-written: zero-padded slots, BPMx24, -1 = direct.
    let dest = std::fs::read(ot.join("bank-copy/BANK-COPY-DEST/project.work")).unwrap();
    let p = Project::parse(&dest).unwrap();
    let s = p.sample(SlotType::Flex, 1).unwrap();
    assert_eq!(s.path, b"../AUDIO/first-0.wav");
    assert_eq!(s.timing, [SampleTiming::BpmX24(3600)]);
    assert_eq!((s.tsmode, s.loopmode, s.gain, s.trig_quantization), (Some(2), Some(1), Some(75), Some(-1)));
    assert_eq!(p.samples().len(), 16);
    assert_eq!(p.samples().iter().filter(|s| s.slot_type == SlotType::Static).count(), 4);
    assert_eq!(p.state("PATTERN"), Some(3));
    // Rewritten by another tool: unpadded slots, TRIM_BARSx100=0, 255.
    let src = std::fs::read(ot.join("bank-copy/BANK-COPY-SRC/project.work")).unwrap();
    let p = Project::parse(&src).unwrap();
    let s = p.sample(SlotType::Static, 2).unwrap();
    assert_eq!((s.timing, s.trig_quantization), (vec![SampleTiming::TrimBarsX100(0)], Some(7)));
    assert_eq!(p.sample(SlotType::Flex, 129).unwrap().trig_quantization, Some(255));
    // Demo set: a recorder buffer with a sample and TRIM_BARSx100.
    let demo = std::fs::read(ot.join("demo-set/DEMO-SET-1/BLANK/project.work")).unwrap();
    let s = Project::parse(&demo).unwrap().sample(SlotType::Flex, 129).unwrap();
    assert_eq!((s.path.as_slice(), s.timing), (&b"../AUDIO/flex.wav"[..], vec![SampleTiming::TrimBarsX100(173)]));
}

#[test]
fn slot_edits_keep_padding_and_touch_only_their_lines() {
    let Some(dir) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "slot_edits") else {
        return;
    };
    for (file, slot_text) in [("BANK-COPY-DEST", "SLOT=003\r"), ("BANK-COPY-SRC", "SLOT=3\r")] {
        let bytes = std::fs::read(dir.join("octatrack/bank-copy").join(file).join("project.work")).unwrap();
        let mut p = Project::parse(&bytes).unwrap();
        let mut s = p.sample(SlotType::Flex, 2).unwrap();
        s.path = b"../AUDIO/other.wav".to_vec();
        s.slot = 3;
        let index = p.sample_index(SlotType::Flex, 2).unwrap();
        p.set_sample_at(index, &s).unwrap();
        assert!(p.sample(SlotType::Flex, 2).is_none());
        assert_eq!(p.sample(SlotType::Flex, 3).unwrap().path, b"../AUDIO/other.wav");
        // Renumbered in place: the same lines, two of them changed.
        let out = p.to_bytes();
        let (a, b) = (lines(&bytes), lines(&out));
        let diff: Vec<_> = a.iter().zip(&b).filter(|(x, y)| x != y).map(|(_, y)| String::from_utf8_lossy(y)).collect();
        assert_eq!(diff, vec![slot_text.to_string(), "PATH=../AUDIO/other.wav\r".to_string()], "{file}");
        // Removing then re-adding a device block gives the device bytes back.
        let mut p = Project::parse(&bytes).unwrap();
        let original = p.sample(SlotType::Static, 127).unwrap();
        assert!(p.remove_sample(SlotType::Static, 127));
        assert!(p.sample(SlotType::Static, 127).is_none());
        if file == "BANK-COPY-DEST" {
            p.set_sample(&original).unwrap();
            assert_eq!(p.to_bytes(), bytes);
        }
    }
}

#[test]
fn new_default_project_equals_the_device_blank_project() {
    let Some(dir) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "new_default_project")
    else {
        return;
    };
    let blank = std::fs::read(dir.join("octatrack/blank-project/project.work")).unwrap();
    assert_eq!(Project::new_default().to_bytes(), blank);
    // The demo set project is the blank one with recorder buffer 1 used.
    let demo = std::fs::read(dir.join("octatrack/demo-set/DEMO-SET-1/BLANK/project.work")).unwrap();
    let mut p = Project::new_default();
    let mut s = SampleSlot::recorder_buffer(1);
    s.path = b"../AUDIO/flex.wav".to_vec();
    s.timing = vec![SampleTiming::TrimBarsX100(173)];
    s.loopmode = Some(1);
    s.gain = Some(48);
    p.set_sample(&s).unwrap();
    assert_eq!(p.to_bytes(), demo);
}
