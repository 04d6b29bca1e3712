//! Issue 22: sample slot blocks written as the device writes them, and copies that work when the
//! samples are missing. On the real-device project, the bank-copy fixture and slot blocks built
//! here the way octatrack-manager's `src-tauri/tests/fixtures/source_project` holds them (both
//! timing keys in one block, in either order).

mod ops_common;

use std::path::Path;

use groovekit_octatrack::Project as Folder;
use groovekit_octatrack::model::project::{Project, SampleSlot, SampleTiming, SlotType};
use groovekit_octatrack::model::project_zip::ZipOptions;
use groovekit_octatrack::ops::copy::{CopyBankOptions, copy_bank};
use groovekit_octatrack::ops::copy_piece::{
    PieceOptions, TrackAt, TrackPart, copy_part, copy_pattern, copy_slot_settings, copy_slots, copy_track,
};
use groovekit_octatrack::ops::import::MissingSamples;
use groovekit_octatrack::ops::project_dir::{ProjectDir, State, markers_ref};
use groovekit_octatrack::raw::markers::{Markers, SlotRef};
use ops_common::*;

/// The lines of a slot's block after TYPE, SLOT and PATH, as text.
fn settings_lines(p: &Project, t: SlotType, slot: u16) -> Vec<String> {
    let want = format!("{:03}", slot);
    let s = p
        .text()
        .sections()
        .find(|s| {
            s.name == "SAMPLE"
                && s.get("TYPE").and_then(|l| l.value()) == Some(t.as_str().as_bytes())
                && s.get("SLOT")
                    .and_then(|l| l.value())
                    .is_some_and(|v| v == want.as_bytes() || v == slot.to_string().as_bytes())
        })
        .unwrap_or_else(|| panic!("no block for {t:?} {slot}"));
    s.body
        .iter()
        .filter(|l| !matches!(l.key(), Some(b"TYPE") | Some(b"SLOT") | Some(b"PATH")))
        .map(|l| String::from_utf8_lossy(&l.text).into_owned())
        .collect()
}

fn project_of(dir: &Path) -> Project {
    Project::parse(&std::fs::read(dir.join("project.work")).unwrap()).unwrap()
}

/// Source and destination projects of a Set with slot blocks as octatrack-manager's fixtures hold
/// them: source Static 1 `TRIM_BARSx100=400` then `BPMx24=2880`, Flex 1 `TRIM_BARSx100=800` only,
/// Flex 2 `BPMx24=2688` only; destination Static 1 `BPMx24=2400` then `TRIM_BARSx100=200`.
fn manager_like_set(root: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let (src, dst) = (root.join("SRC"), root.join("DST"));
    blank_project(&src);
    blank_project(&dst);
    let slot = |t, n, path: &str, timing: Vec<SampleTiming>, tsmode, loopmode, gain| SampleSlot {
        timing,
        tsmode: Some(tsmode),
        loopmode: Some(loopmode),
        gain: Some(gain),
        ..SampleSlot::new(t, n, path.as_bytes().to_vec())
    };
    edit_project(&src, |p| {
        p.set_sample(&slot(
            SlotType::Flex,
            1,
            "../AUDIO/bass_loop.wav",
            vec![SampleTiming::TrimBarsX100(800)],
            2,
            1,
            48,
        ))
        .unwrap();
        p.set_sample(&slot(SlotType::Flex, 2, "../AUDIO/drum_hit.wav", vec![SampleTiming::BpmX24(2688)], 0, 0, 72))
            .unwrap();
        p.set_sample(&slot(
            SlotType::Static,
            1,
            "../AUDIO/pad.wav",
            vec![SampleTiming::TrimBarsX100(400), SampleTiming::BpmX24(2880)],
            2,
            1,
            64,
        ))
        .unwrap();
    });
    edit_project(&dst, |p| {
        p.set_sample(&slot(
            SlotType::Static,
            1,
            "../AUDIO/old_static.wav",
            vec![SampleTiming::BpmX24(2400), SampleTiming::TrimBarsX100(200)],
            0,
            0,
            50,
        ))
        .unwrap();
    });
    write_wavs(&src);
    write_wavs(&dst);
    (src, dst)
}

#[test]
fn a_block_with_both_timing_keys_reads_and_writes_them_in_order() {
    let text = "[META]\r\nTYPE=OCTATRACK DPS-1 PROJECT\r\n[/META]\r\n[SAMPLE]\r\nTYPE=STATIC\r\nSLOT=001\r\nPATH=../AUDIO/pad.wav\r\nTRIM_BARSx100=400\r\nBPMx24=2880\r\nTSMODE=2\r\nLOOPMODE=1\r\nGAIN=64\r\nTRIGQUANTIZATION=-1\r\n[/SAMPLE]\r\n";
    let p = Project::parse(text.as_bytes()).unwrap();
    let s = p.sample(SlotType::Static, 1).unwrap();
    assert_eq!(s.timing, [SampleTiming::TrimBarsX100(400), SampleTiming::BpmX24(2880)]);
    assert_eq!((s.trim_bars_x100(), s.bpm_x24()), (Some(400), Some(2880)));
    // Written anew (an empty project), the block has the same lines.
    let mut q = Project::new_default();
    q.set_sample(&s).unwrap();
    assert_eq!(settings_lines(&q, SlotType::Static, 1), settings_lines(&p, SlotType::Static, 1));
    // Over a block with the keys the other way round and other values: exactly the new lines.
    let mut r = Project::new_default();
    r.set_sample(&SampleSlot {
        timing: vec![SampleTiming::BpmX24(2400), SampleTiming::TrimBarsX100(200)],
        ..SampleSlot::new(SlotType::Static, 1, b"../AUDIO/old.wav".to_vec())
    })
    .unwrap();
    r.set_sample(&s).unwrap();
    assert_eq!(settings_lines(&r, SlotType::Static, 1), settings_lines(&p, SlotType::Static, 1));
    // A slot with no timing key drops both lines.
    r.set_sample(&SampleSlot { timing: Vec::new(), ..s.clone() }).unwrap();
    assert!(settings_lines(&r, SlotType::Static, 1).iter().all(|l| !l.contains("BPMx24") && !l.contains("TRIM_BARS")));
}

#[test]
fn every_timing_key_survives_copy_slots_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, dst) = manager_like_set(tmp.path());
    let source = project_of(&src);
    // Onto the destination's occupied Static 1 (the case the issue reports: its stale
    // TRIM_BARSx100=200 stayed): the block's lines are the source's.
    copy_slots(&src, &dst, &[1], Some(SlotType::Static), Some(1), PieceOptions { force: true, ..Default::default() })
        .unwrap();
    let after = project_of(&dst);
    assert_eq!(settings_lines(&after, SlotType::Static, 1), settings_lines(&source, SlotType::Static, 1));
    assert_eq!(
        settings_lines(&after, SlotType::Static, 1)[..2],
        ["TRIM_BARSx100=400".to_string(), "BPMx24=2880".to_string()]
    );
    // Into empty slots: every key of each block, none it lacks.
    copy_slots(&src, &dst, &[1, 2], Some(SlotType::Flex), Some(10), PieceOptions::default()).unwrap();
    let after = project_of(&dst);
    assert_eq!(settings_lines(&after, SlotType::Flex, 10), settings_lines(&source, SlotType::Flex, 1));
    assert_eq!(settings_lines(&after, SlotType::Flex, 11), settings_lines(&source, SlotType::Flex, 2));
    // Through the import rules (Static 1 is taken in the destination: another slot).
    let tmp2 = tempfile::tempdir().unwrap();
    let (src, dst) = manager_like_set(tmp2.path());
    let plan = copy_slots(&src, &dst, &[1], Some(SlotType::Static), None, PieceOptions::default()).unwrap();
    let to = plan.import.map(SlotType::Static, 1).unwrap();
    assert_ne!(to, 1);
    assert_eq!(settings_lines(&project_of(&dst), SlotType::Static, to), settings_lines(&source, SlotType::Static, 1));
    assert_eq!(settings_lines(&project_of(&dst), SlotType::Static, 1)[..2], ["BPMx24=2400", "TRIM_BARSx100=200"]);
}

#[test]
fn every_timing_key_survives_copy_bank_byte_for_byte() {
    // A blank bank refers to slots 1-8 of both pools, so bank 1 brings the three built blocks.
    let tmp = tempfile::tempdir().unwrap();
    let (src, dst) = manager_like_set(tmp.path());
    let source = project_of(&src);
    let plan = copy_bank(&src, 1, &dst, 2, CopyBankOptions::default()).unwrap();
    let after = project_of(&dst);
    for (t, s) in [(SlotType::Static, 1), (SlotType::Flex, 1), (SlotType::Flex, 2)] {
        let to = plan.import.map(t, s).unwrap();
        assert_eq!(settings_lines(&after, t, to), settings_lines(&source, t, s), "{t:?} {s} -> {to}");
    }
    // The bank-copy fixture (another tool wrote its source: `SLOT=1`, TRIM_BARSx100=0).
    let Some(fx) = fixtures("slot_blocks_bank_copy") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let (src, dst) = (tmp.path().join("SET/SRC"), tmp.path().join("SET/DEST"));
    copy_dir(&fx.join("octatrack/bank-copy/BANK-COPY-SRC"), &src);
    blank_project(&dst);
    write_wavs(&src);
    let plan = copy_bank(&src, 1, &dst, 1, CopyBankOptions::default()).unwrap();
    let (source, after) = (project_of(&src), project_of(&dst));
    let mut n = 0;
    for m in plan.import.slots.iter().filter(|m| !m.path.is_empty()) {
        assert_eq!(settings_lines(&after, m.slot_type, m.to), settings_lines(&source, m.slot_type, m.from));
        n += 1;
    }
    assert!(n >= 4, "the fixture's samples are covered ({n})");
}

/// A WAV of `frames` silent frames (44.1 kHz mono 16-bit).
fn silent_wav(frames: u32) -> Vec<u8> {
    let data = frames as usize * 2;
    let mut v = Vec::with_capacity(44 + data);
    v.extend_from_slice(b"RIFF");
    v.extend_from_slice(&(36 + data as u32).to_le_bytes());
    v.extend_from_slice(b"WAVEfmt ");
    for x in [16u32.to_le_bytes(), [1, 0, 1, 0], 44_100u32.to_le_bytes(), 88_200u32.to_le_bytes(), [2, 0, 16, 0]] {
        v.extend_from_slice(&x);
    }
    v.extend_from_slice(b"data");
    v.extend_from_slice(&(data as u32).to_le_bytes());
    v.resize(44 + data, 0);
    v
}

#[test]
fn add_sample_reproduces_the_device_blocks() {
    let Some(fx) = fixtures("slot_blocks_add_sample") else { return };
    let device_dir = fx.join("octatrack/real-device");
    let device = project_of(&device_dir);
    let markers = Markers::read(&std::fs::read(device_dir.join("markers.work")).unwrap()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let proj = tmp.path().join("SET/PROJ");
    blank_project(&proj);
    let mut p = Folder::open(&proj).unwrap();
    let mut checked = Vec::new();
    for s in device.samples().iter().filter(|s| !s.path.is_empty() && !s.is_recorder_buffer()) {
        // The markers record holds the trim over the whole sample: its length in frames.
        let rec = markers.record(markers_ref(s.slot_type, s.slot).unwrap().index().unwrap());
        assert_eq!(rec.trim_start(), 0);
        let file = proj.join(s.path_lossy());
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, silent_wav(rec.trim_end())).unwrap();
        assert_eq!(p.add_sample(&file, s.slot_type, Some(s.slot)).unwrap(), s.slot);
        checked.push((s.slot_type, s.slot, rec.trim_end()));
    }
    p.save().unwrap();
    let ours = project_of(&proj);
    for &(t, n, frames) in &checked {
        assert_eq!(ours.sample(t, n).unwrap().path, device.sample(t, n).unwrap().path);
        assert_eq!(settings_lines(&ours, t, n), settings_lines(&device, t, n), "{t:?} slot {n} ({frames} frames)");
    }
    assert_eq!(checked.len(), 26, "every sample slot of the device project");
    let m = Markers::read(&std::fs::read(proj.join("markers.work")).unwrap()).unwrap();
    for &(t, n, frames) in &checked {
        assert_eq!(m.record(markers_ref(t, n).unwrap().index().unwrap()).trim_end(), frames);
    }
}

#[test]
fn add_sample_takes_the_settings_of_the_ot_beside_the_sample() {
    let Some(fx) = fixtures("slot_blocks_add_sample_ot") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let proj = tmp.path().join("SET/PROJ");
    blank_project(&proj);
    let audio = tmp.path().join("SET/AUDIO");
    std::fs::create_dir_all(&audio).unwrap();
    for f in ["sliced.wav", "sliced.ot"] {
        std::fs::copy(fx.join("octatrack/chain").join(f), audio.join(f)).unwrap();
    }
    let ot = std::fs::read(audio.join("sliced.ot")).unwrap();
    let be32 = |o: usize| u32::from_be_bytes(ot[o..o + 4].try_into().unwrap());
    let mut p = Folder::open(&proj).unwrap();
    assert_eq!(p.add_sample(&audio.join("sliced.wav"), SlotType::Static, Some(7)).unwrap(), 7);
    p.save().unwrap();
    let s = project_of(&proj).sample(SlotType::Static, 7).unwrap();
    assert_eq!(s.path, b"../AUDIO/sliced.wav");
    assert_eq!(s.timing, [SampleTiming::TrimBarsX100(i64::from(be32(27)))]);
    assert_eq!((s.tsmode, s.loopmode), (Some(i64::from(be32(35))), Some(i64::from(be32(39)))));
    let tq = if ot[45] == 255 { -1 } else { i64::from(ot[45]) };
    assert_eq!((s.gain, s.trig_quantization), (Some(i64::from(u16::from_be_bytes([ot[43], ot[44]]))), Some(tq)));
    let m = Markers::read(&std::fs::read(proj.join("markers.work")).unwrap()).unwrap();
    let rec = m.record(SlotRef::Static(7).index().unwrap());
    assert_eq!(rec.raw(), &ot[46..830], "trim, loop point and the 10 slices come from the .ot");
    assert_eq!(rec.slice_count(), 10);
}

/// The real-device project (no audio files, as taken off a card) as `MYSET/MYPROJECT`, with a
/// blank `MYSET/LIVE` beside it.
fn real_device_set(root: &Path) -> Option<(std::path::PathBuf, std::path::PathBuf)> {
    let fx = fixtures("slot_blocks_missing")?;
    let (src, dst) = (root.join("MYSET/MYPROJECT"), root.join("MYSET/LIVE"));
    copy_dir(&fx.join("octatrack/real-device"), &src);
    blank_project(&dst);
    Some((src, dst))
}

#[test]
fn copy_bank_of_a_project_without_its_samples_refuses_plans_and_keeps() {
    let tmp = tempfile::tempdir().unwrap();
    let Some((src, dst)) = real_device_set(tmp.path()) else { return };
    let before = snapshot(tmp.path());
    // The default refuses and says which option to use; nothing changes.
    let err = copy_bank(&src, 1, &dst, 7, CopyBankOptions::default()).unwrap_err().to_string();
    assert!(err.contains("--missing keep") && err.contains("nothing was changed"), "{err}");
    assert_eq!(snapshot(tmp.path()), before);
    // The dry run prints the plan, with the missing list and why a real run would refuse.
    let dry = copy_bank(&src, 1, &dst, 7, CopyBankOptions { dry_run: true, ..Default::default() }).unwrap();
    assert!(dry.refused.as_deref().is_some_and(|r| r.contains("--missing keep")));
    assert!(!dry.import.missing.is_empty());
    assert_eq!(snapshot(tmp.path()), before);
    // --missing keep: the copy happens, the slots keep their paths, the result lists them.
    let keep = CopyBankOptions { missing: MissingSamples::Keep, ..Default::default() };
    let plan = copy_bank(&src, 1, &dst, 7, keep).unwrap();
    assert!(plan.refused.is_none());
    assert_eq!(plan.import.missing.len(), dry.import.missing.len());
    let (source, after) = (project_of(&src), project_of(&dst));
    let mut kept = 0;
    for m in plan.import.slots.iter().filter(|m| !m.path.is_empty()) {
        let (a, b) = (source.sample(m.slot_type, m.from).unwrap(), after.sample(m.slot_type, m.to).unwrap());
        assert_eq!(a.path, b.path, "the PATH text is kept");
        assert_eq!(settings_lines(&after, m.slot_type, m.to), settings_lines(&source, m.slot_type, m.from));
        kept += 1;
    }
    assert_eq!(kept, plan.import.missing.len());
    assert_eq!(kept, 9, "the 9 sample slots bank 1 refers to");
    // The markers records travel with the slots (trim lengths of the device's samples).
    let (ms, md) = (
        ProjectDir::open(&src).unwrap().read_markers(State::Work).unwrap().unwrap(),
        ProjectDir::open(&dst).unwrap().read_markers(State::Work).unwrap().unwrap(),
    );
    for m in plan.import.slots.iter().filter(|m| !m.path.is_empty()) {
        let i = |t, n| markers_ref(t, n).unwrap().index().unwrap();
        assert_eq!(ms.record(i(m.slot_type, m.from)).raw(), md.record(i(m.slot_type, m.to)).raw());
    }
    let bank = ProjectDir::open(&dst).unwrap().read_bank(7, State::Work).unwrap().unwrap();
    assert_eq!(bank.patterns_with_trigs(), {
        let b = ProjectDir::open(&src).unwrap().read_bank(1, State::Work).unwrap().unwrap();
        b.patterns_with_trigs()
    });
}

#[test]
fn piece_copies_and_zip_take_missing_keep() {
    let tmp = tempfile::tempdir().unwrap();
    let Some((src, dst)) = real_device_set(tmp.path()) else { return };
    let keep = PieceOptions { missing: MissingSamples::Keep, ..Default::default() };
    // `force`: each copy goes over what the previous one wrote.
    let refuse = PieceOptions { force: true, ..Default::default() };
    let dry = PieceOptions { dry_run: true, ..refuse };
    let at = |pattern, track| TrackAt { bank: 1, pattern, track };
    type Run<'a> = Box<
        dyn Fn(PieceOptions) -> Result<groovekit_octatrack::ops::copy_piece::PiecePlan, groovekit_octatrack::OtError>
            + 'a,
    >;
    let runs: Vec<(&str, Run)> = vec![
        ("pattern", Box::new(|o| copy_pattern(&src, 1, 1, &dst, 1, 1, true, o))),
        ("part", Box::new(|o| copy_part(&src, 1, 1, &dst, 1, 2, false, o))),
        // Track 1 of part 1 plays Static 5 and Flex 44, both with paths.
        ("track", Box::new(|o| copy_track(&src, at(1, 1), &dst, at(2, 1), TrackPart::Both, false, o))),
        ("slots", Box::new(|o| copy_slots(&src, &dst, &[33, 34], Some(SlotType::Flex), None, o))),
    ];
    for (what, run) in &runs {
        let before = snapshot(tmp.path());
        let err = match run(refuse) {
            Ok(_) => panic!("{what}: copied although samples are missing"),
            Err(e) => e.to_string(),
        };
        assert!(err.contains("--missing keep"), "{what}: {err}");
        let plan = run(dry).unwrap();
        assert!(plan.refused.is_some() && !plan.import.missing.is_empty(), "{what}");
        assert_eq!(snapshot(tmp.path()), before, "{what}: refusal and dry run change nothing");
        let plan = run(PieceOptions { force: true, ..keep }).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert!(plan.refused.is_none() && !plan.import.missing.is_empty(), "{what}");
        let after = project_of(&dst);
        for m in &plan.import.slots {
            if let Some(s) = project_of(&src).sample(m.slot_type, m.from).filter(|s| !s.path.is_empty()) {
                assert_eq!(after.sample(m.slot_type, m.to).unwrap().path, s.path, "{what}");
            }
        }
    }
    // ot zip: refuses by default, plans in a dry run, lists the missing files with keep.
    let zip = tmp.path().join("out.zip");
    let mut p = Folder::open(&src).unwrap();
    let err = p.save_zip(&zip, &ZipOptions::default()).unwrap_err().to_string();
    assert!(err.contains("--missing keep"), "{err}");
    assert!(!zip.exists());
    let r = p.save_zip(&zip, &ZipOptions { dry_run: true, ..Default::default() }).unwrap();
    assert!(r.refused.is_some() && r.missing.len() == 26, "{:?}", r.missing.len());
    let r = p.save_zip(&zip, &ZipOptions { missing: MissingSamples::Keep, ..Default::default() }).unwrap();
    assert!(r.refused.is_none() && r.missing.len() == 26 && zip.is_file());
}

#[test]
fn settings_only_copies_set_existing_slots_and_leave_files_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, dst) = manager_like_set(tmp.path());
    // A markers record for the source's Static 1 (trim and two slices).
    let path = src.join("markers.work");
    let mut m = Markers::read(&std::fs::read(&path).unwrap()).unwrap();
    let i = SlotRef::Static(1).index().unwrap();
    {
        let mut r = m.record_mut(i);
        r.set_trim_end(300);
        r.set_slice(0, groovekit_octatrack::raw::markers::Slice { start: 0, end: 150, loop_point: None });
        r.set_slice(1, groovekit_octatrack::raw::markers::Slice { start: 150, end: 300, loop_point: Some(160) });
        r.set_slice_count(2);
    }
    std::fs::write(&path, m.to_bytes()).unwrap();
    let src_record = m.record(i).raw().to_vec();
    let before = snapshot(&dst);
    let old_path = project_of(&dst).sample(SlotType::Static, 1).unwrap().path;
    let plan = copy_slot_settings(&src, &dst, &[1], Some(SlotType::Static), None, PieceOptions::default()).unwrap();
    assert!(plan.import.files.is_empty());
    let after_project = project_of(&dst);
    let s = after_project.sample(SlotType::Static, 1).unwrap();
    assert_eq!(s.path, old_path, "the path stays");
    assert_eq!(
        settings_lines(&after_project, SlotType::Static, 1),
        settings_lines(&project_of(&src), SlotType::Static, 1)
    );
    let md = Markers::read(&std::fs::read(dst.join("markers.work")).unwrap()).unwrap();
    assert_eq!(md.record(i).raw(), src_record.as_slice());
    // Only project.work and markers.work changed (and the backup was added); no sample file.
    let after = snapshot(&dst);
    for (k, v) in &before {
        let changed = after.get(k) != Some(v);
        let allowed = k == Path::new("project.work") || k == Path::new("markers.work");
        assert!(!changed || allowed, "{} changed", k.display());
    }
    assert!(after.keys().all(|k| before.contains_key(k) || k.starts_with("backups")));
    // An empty destination slot is refused, and nothing changes.
    let before = snapshot(&dst);
    let err = copy_slot_settings(&src, &dst, &[1], Some(SlotType::Flex), Some(20), PieceOptions::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("holds no sample"), "{err}");
    assert_eq!(snapshot(&dst), before);
}

#[test]
fn the_readable_document_keeps_both_timing_keys_and_their_order() {
    use groovekit_octatrack::human::project::{from_text, to_text};
    for (first, second) in [("TRIM_BARSx100=400", "BPMx24=2880"), ("BPMx24=2400", "TRIM_BARSx100=200")] {
        let text = format!(
            "[META]\r\nTYPE=OCTATRACK DPS-1 PROJECT\r\n[/META]\r\n[SAMPLE]\r\nTYPE=STATIC\r\nSLOT=001\r\nPATH=../AUDIO/pad.wav\r\n{first}\r\n{second}\r\nTSMODE=2\r\nLOOPMODE=1\r\nGAIN=64\r\nTRIGQUANTIZATION=-1\r\n[/SAMPLE]\r\n"
        );
        let p = Project::parse(text.as_bytes()).unwrap();
        let doc = to_text(&p, groovekit_core::doc::Syntax::Yaml).unwrap();
        assert!(doc.contains("bpm:") && doc.contains("trim_bars:"), "{doc}");
        let back = from_text(&doc).unwrap();
        assert_eq!(settings_lines(&back, SlotType::Static, 1), settings_lines(&p, SlotType::Static, 1), "{doc}");
    }
}
