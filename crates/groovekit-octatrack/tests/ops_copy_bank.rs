//! `ops::copy::copy_bank` on copies of the fixtures and on projects built here: after each copy,
//! every part slot and sample lock of the copied bank plays the same file content (and slot
//! settings) as in the source; failures change nothing.

mod ops_common;

use std::path::Path;

use groovekit_octatrack::model::project::SlotType;
use groovekit_octatrack::ops::backup::{ApplyOptions, restore};
use groovekit_octatrack::ops::copy::{CopyBankOptions, copy_bank};
use groovekit_octatrack::ops::import::SlotAction;
use groovekit_octatrack::ops::project_dir::{ProjectDir, State, markers_ref};
use groovekit_octatrack::ops::refs::SAMPLE_LOCK;
use groovekit_octatrack::raw::bank::{Bank, PartCopy};
use groovekit_octatrack::raw::markers::Markers;
use ops_common::*;

fn opts() -> CopyBankOptions {
    CopyBankOptions::default()
}

/// Source and destination play the same thing everywhere.
fn assert_same_plays(src: &Path, n: usize, dst: &Path, m: usize, state: State) {
    let a = plays(src, n, state);
    let b = plays(dst, m, state);
    assert_eq!(a.len(), b.len());
    for (k, v) in &a {
        assert_eq!(b.get(k), Some(v), "{k:?}");
    }
    assert!(a.values().filter(|v| v.0.is_some()).count() > 0, "the test must cover real samples");
}

#[test]
fn bank_copy_fixture_within_a_set_keeps_files_in_place_and_remaps_saved_parts() {
    let Some(fx) = fixtures("ops_bank_copy_within_set") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let set = tmp.path().join("SET");
    let (src, dst) = (set.join("SRC"), set.join("DEST"));
    copy_dir(&fx.join("octatrack/bank-copy/BANK-COPY-SRC"), &src);
    copy_dir(&fx.join("octatrack/bank-copy/BANK-COPY-DEST"), &dst);
    assert_eq!(write_wavs(&src), 4, "first/second/fourth/fifth-0.wav in SET/AUDIO");
    let before_src = snapshot(&src);
    let pool_before = snapshot(&set.join("AUDIO"));
    let plan = copy_bank(&src, 1, &dst, 2, CopyBankOptions { also_strd: true, ..opts() }).unwrap();
    // The source's slot settings (TRIM_BARSx100=0, tool-written) differ from the destination's
    // (device-written BPMx24), so the slots are new; the files are shared in the pool.
    assert!(plan.import.files.is_empty(), "{:?}", plan.import.files);
    for m in plan.import.slots.iter().filter(|m| m.action == SlotAction::New) {
        assert!(m.path.starts_with("../AUDIO/"), "{m:?}");
    }
    assert_eq!(snapshot(&src), before_src, "the source never changes");
    assert_eq!(snapshot(&set.join("AUDIO")), pool_before);
    assert_same_plays(&src, 1, &dst, 2, State::Work);
    assert_same_plays(&src, 1, &dst, 2, State::Strd);
    // Saved parts were remapped too: the saved copy of part 1 track 2 (Static slot 128 in the
    // source) points at the new slot.
    let bank = Bank::read(&std::fs::read(dst.join("bank02.work")).unwrap()).unwrap();
    let new_128 = plan.import.map(SlotType::Static, 128).unwrap();
    assert_eq!(u16::from(bank.part(PartCopy::Saved, 0).static_slot(1)) + 1, new_128);
    // Sample locks (byte 31) were rewritten: pattern 1 track 2 step 9 locked static 127 (126).
    let new_127 = plan.import.map(SlotType::Static, 127).unwrap();
    assert_eq!(u16::from(bank.pattern(0).audio_track(1).plock(8)[SAMPLE_LOCK]) + 1, new_127);
    assert_ne!(new_127, 127, "slot 127 is taken in the destination");
    // The checksum is right (Bank::read is strict) and the backup restores the destination.
    let before_dst_files: Vec<_> = snapshot(&dst).into_keys().collect();
    let plan2 = restore(plan.backup.as_ref().unwrap(), false, ApplyOptions::default()).unwrap();
    assert!(plan2.remove.iter().any(|p| p.ends_with("bank02.work")));
    assert!(!dst.join("bank02.work").exists());
    assert!(before_dst_files.iter().any(|p| p.ends_with("bank02.work")));
    assert_eq!(
        std::fs::read(dst.join("project.work")).unwrap(),
        std::fs::read(fx.join("octatrack/bank-copy/BANK-COPY-DEST/project.work")).unwrap()
    );
}

#[test]
fn real_device_bank_to_a_blank_project_in_another_set_copies_files_and_markers() {
    let Some(fx) = fixtures("ops_real_device_other_set") else { return };
    for to_pool in [false, true] {
        let tmp = tempfile::tempdir().unwrap();
        let src = tmp.path().join("SET A/REAL");
        let dst = tmp.path().join("SET B/NEW");
        copy_dir(&fx.join("octatrack/real-device"), &src);
        assert_eq!(write_wavs(&src), 25, "26 slots, two share one file");
        blank_project(&dst);
        std::fs::create_dir_all(tmp.path().join("SET B/AUDIO")).unwrap();
        let before_src = snapshot(&tmp.path().join("SET A"));
        let plan = copy_bank(&src, 1, &dst, 1, CopyBankOptions { to_pool, also_strd: true, ..opts() }).unwrap();
        assert_eq!(snapshot(&tmp.path().join("SET A")), before_src);
        assert_same_plays(&src, 1, &dst, 1, State::Work);
        assert_same_plays(&src, 1, &dst, 1, State::Strd);
        let new: Vec<_> = plan.import.slots.iter().filter(|m| m.action == SlotAction::New).collect();
        assert!(
            new.len() >= 8,
            "{} new: {:?}",
            new.len(),
            plan.import.slots.iter().map(|m| (m.slot_type, m.from, m.action)).collect::<Vec<_>>()
        );
        for m in &new {
            if to_pool {
                assert!(m.path.starts_with("../AUDIO/Loopmasters/") || m.path.starts_with("../AUDIO/"), "{m:?}");
            } else {
                assert!(!m.path.contains('/'), "copied into the project folder: {m:?}");
            }
        }
        assert!(
            plan.import.files.iter().any(|f| f.from.to_string_lossy().contains(" & ")),
            "sources in folders with spaces and &"
        );
        if to_pool {
            assert!(new.iter().any(|m| m.path.contains(" & ")), "the pool keeps the sub-folders");
        }
        // `.ot` companions follow.
        assert!(plan.import.files.iter().any(|f| f.to.extension().is_some_and(|e| e == "ot")));
        for f in &plan.import.files {
            assert_eq!(std::fs::read(&f.to).unwrap(), std::fs::read(&f.from).unwrap());
        }
        // Markers records follow their slots.
        let sm = Markers::read(&std::fs::read(src.join("markers.work")).unwrap()).unwrap();
        let dm = Markers::read(&std::fs::read(dst.join("markers.work")).unwrap()).unwrap();
        let mut non_empty = 0;
        for m in &new {
            let a = sm.record(markers_ref(m.slot_type, m.from).unwrap().index().unwrap());
            let b = dm.record(markers_ref(m.slot_type, m.to).unwrap().index().unwrap());
            assert_eq!(a.raw(), b.raw(), "{m:?}");
            non_empty += usize::from(!a.is_empty());
        }
        assert!(non_empty > 0, "the fixture has trims and slices");
    }
}

#[test]
fn demo_set_recorder_slots_stay_and_blank_project_bank_copies_cleanly() {
    let Some(fx) = fixtures("ops_demo_set") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let set = tmp.path().join("DEMO-SET-1");
    copy_dir(&fx.join("octatrack/demo-set/DEMO-SET-1/AUDIO"), &set.join("AUDIO"));
    copy_dir(&fx.join("octatrack/demo-set/DEMO-SET-1/BLANK"), &set.join("BLANK"));
    copy_dir(&fx.join("octatrack/blank-project"), &set.join("OTHER"));
    // Give the demo bank a recorder-buffer reference and a lock, then copy it.
    let mut b = Bank::read(&std::fs::read(set.join("BLANK/bank01.work")).unwrap()).unwrap();
    b.part_mut(PartCopy::Working, 0).set_machine(0, 1);
    b.part_mut(PartCopy::Working, 0).set_slots(0, 0, 128, 128);
    std::fs::write(set.join("BLANK/bank01.work"), b.to_bytes()).unwrap();
    add_sample(
        &set.join("BLANK"),
        SlotType::Flex,
        3,
        "../AUDIO/chain.wav",
        &std::fs::read(set.join("AUDIO/chain.wav")).unwrap(),
    );
    let plan = copy_bank(&set.join("BLANK"), 1, &set.join("OTHER"), 5, opts()).unwrap();
    assert!(plan.import.files.is_empty());
    let out = Bank::read(&std::fs::read(set.join("OTHER/bank05.work")).unwrap()).unwrap();
    assert_eq!(out.part(PartCopy::Working, 0).flex_slot(0), 128, "recorder buffer 1 kept");
    assert_eq!(out.part(PartCopy::Working, 0).recorder_slot(0), 128);
    assert_same_plays(&set.join("BLANK"), 1, &set.join("OTHER"), 5, State::Work);
}

/// A source project built here: dense locks on all 64 steps of the 8 tracks (Static and Flex
/// machines), every slot of both types used.
fn dense_source(dir: &Path, slots: u16) {
    blank_project_with_dense_slots(dir, slots);
    let mut b = Bank::new_default();
    for t in 0..8 {
        b.part_mut(PartCopy::Working, 0).set_machine(t, (t % 2) as u8);
        b.part_mut(PartCopy::Saved, 0).set_machine(t, (t % 2) as u8);
        for s in 0..64 {
            let slot = ((t / 2 * 64 + s) % usize::from(slots)) as u8;
            b.pattern_mut(0).audio_track_mut(t).set_plock(s, SAMPLE_LOCK, slot);
        }
        b.pattern_mut(0).audio_track_mut(t).set_mask(0, u64::MAX);
    }
    std::fs::write(dir.join("bank01.work"), b.to_bytes()).unwrap();
}

#[test]
fn dense_locks_and_full_slot_tables_fit_exactly() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("A/SRC");
    let dst = tmp.path().join("B/DST");
    dense_source(&src, 128);
    blank_project(&dst);
    let plan = copy_bank(&src, 1, &dst, 3, opts()).unwrap();
    let new = plan.import.slots.iter().filter(|m| m.action == SlotAction::New).count();
    assert_eq!(new, 256, "128 Flex + 128 Static");
    assert_same_plays(&src, 1, &dst, 3, State::Work);
    let locks = plays(&dst, 3, State::Work)
        .keys()
        .filter(|(s, _)| matches!(s, groovekit_octatrack::ops::refs::Site::Lock { .. }))
        .count();
    assert_eq!(locks, 8 * 64);
}

#[test]
fn the_128_slot_limit_is_checked_before_writing() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("A/SRC");
    let dst = tmp.path().join("B/DST");
    dense_source(&src, 128);
    blank_project(&dst);
    add_sample(&dst, SlotType::Flex, 77, "other.wav", &wav(b"something else", 100));
    let before = snapshot(tmp.path());
    let err = copy_bank(&src, 1, &dst, 3, opts()).unwrap_err().to_string();
    assert!(err.contains("do not fit") && err.contains("flex slots") && err.contains("127 free"), "{err}");
    assert!(!err.contains("static slots"), "static fits: {err}");
    assert_eq!(snapshot(tmp.path()), before);
}

#[test]
fn same_name_other_content_gets_a_new_name_and_same_content_is_reused() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("A/SRC");
    let dst = tmp.path().join("B/DST");
    blank_project(&src);
    blank_project(&dst);
    add_sample(&src, SlotType::Flex, 1, "../AUDIO/kick.wav", &wav(b"kick A", 500));
    add_sample(&src, SlotType::Flex, 2, "../AUDIO/sub dir/snare #2 é.wav", &wav(b"snare", 400));
    add_sample(&dst, SlotType::Flex, 1, "kick.wav", &wav(b"kick B", 500));
    add_sample(&dst, SlotType::Flex, 9, "snare #2 é.wav", &wav(b"snare", 400));
    let mut b = Bank::new_default();
    b.part_mut(PartCopy::Working, 0).set_machine(0, 1);
    b.part_mut(PartCopy::Working, 0).set_slots(0, 0, 0, 128);
    b.pattern_mut(0).audio_track_mut(0).set_mask(0, 1);
    b.pattern_mut(0).audio_track_mut(0).set_plock(3, SAMPLE_LOCK, 1);
    std::fs::write(src.join("bank01.work"), b.to_bytes()).unwrap();
    let plan = copy_bank(&src, 1, &dst, 1, opts()).unwrap();
    assert_eq!(std::fs::read(dst.join("kick.wav")).unwrap(), wav(b"kick B", 500), "never overwritten");
    assert_eq!(std::fs::read(dst.join("kick-2.wav")).unwrap(), wav(b"kick A", 500));
    let kick = plan.import.slots.iter().find(|m| m.from == 1 && m.slot_type == SlotType::Flex).unwrap();
    assert_eq!((kick.action, kick.path.as_str()), (SlotAction::New, "kick-2.wav"));
    let snare = plan.import.slots.iter().find(|m| m.from == 2 && m.slot_type == SlotType::Flex).unwrap();
    assert_eq!((snare.action, snare.to), (SlotAction::Reuse, 9), "same content and settings");
    assert_same_plays(&src, 1, &dst, 1, State::Work);
}

#[test]
fn a_bank_that_is_not_blank_needs_force_and_dry_run_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("A/SRC");
    let dst = tmp.path().join("B/DST");
    dense_source(&src, 4);
    blank_project(&dst);
    std::fs::copy(src.join("bank01.work"), dst.join("bank02.work")).unwrap();
    let before = snapshot(tmp.path());
    let err = copy_bank(&src, 1, &dst, 2, opts()).unwrap_err().to_string();
    assert!(err.contains("not blank") && err.contains("--force"), "{err}");
    let plan = copy_bank(&src, 1, &dst, 2, CopyBankOptions { force: true, dry_run: true, ..opts() }).unwrap();
    assert!(!plan.replaces.is_empty());
    assert!(plan.backup.is_none());
    assert_eq!(snapshot(tmp.path()), before);
    let plan = copy_bank(&src, 1, &dst, 2, CopyBankOptions { force: true, ..opts() }).unwrap();
    assert!(plan.backup.as_ref().unwrap().starts_with(dst.join("backups")));
    assert_same_plays(&src, 1, &dst, 2, State::Work);
}

#[test]
fn projects_not_saved_on_1_40_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("A/SRC");
    let dst = tmp.path().join("B/DST");
    dense_source(&src, 2);
    blank_project(&dst);
    let text = std::fs::read_to_string(dst.join("project.work")).unwrap().replace("1.40B", "1.25E");
    std::fs::write(dst.join("project.work"), text).unwrap();
    let err = copy_bank(&src, 1, &dst, 2, opts()).unwrap_err().to_string();
    assert!(err.contains("1.25E") && err.contains("1.40"), "{err}");
}

/// Every fail point of the apply leaves both projects and both pools as they were.
#[test]
fn a_failure_at_any_step_changes_no_file() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("A/SRC");
    let dst = tmp.path().join("B/DST");
    dense_source(&src, 6);
    blank_project(&dst);
    std::fs::create_dir_all(tmp.path().join("B/AUDIO")).unwrap();
    let before = snapshot(tmp.path());
    let o = CopyBankOptions { also_strd: true, to_pool: true, ..opts() };
    let n = copy_bank(&src, 1, &dst, 1, CopyBankOptions { dry_run: true, ..o }).unwrap().changes.len();
    assert!(n > 5);
    // Before staging each change, then at each write and each rename of the commit.
    let points = (0..n)
        .map(|i| (Some(i), None))
        .chain((1..=n).flat_map(|i| [(None, Some(format!("rename:{i}"))), (None, Some(format!("write:{i}")))]));
    for (fail_at_step, spec) in points {
        let step = format!("{fail_at_step:?} {spec:?}");
        groovekit_core::fs::failpoint::arm_thread(spec.as_deref());
        let r = copy_bank(&src, 1, &dst, 1, CopyBankOptions { apply: ApplyOptions { fail_at_step }, ..o });
        groovekit_core::fs::failpoint::arm_thread(None);
        assert!(r.is_err(), "step {step}");
        assert_eq!(snapshot(tmp.path()), before, "step {step}");
        assert!(!tmp.path().join("B/AUDIO/dense").exists(), "created folders are removed (step {step})");
    }
    copy_bank(&src, 1, &dst, 1, o).unwrap();
    assert_same_plays(&src, 1, &dst, 1, State::Work);
}

/// An immutable destination file (`chattr +i`, when the test runs as root) makes the rename fail
/// part way; everything is undone.
#[test]
fn an_immutable_destination_file_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("A/SRC");
    let dst = tmp.path().join("B/DST");
    dense_source(&src, 6);
    blank_project(&dst);
    let bank = dst.join("bank01.work");
    let ok = std::process::Command::new("chattr").arg("+i").arg(&bank).status().is_ok_and(|s| s.success());
    if !ok {
        eprintln!("skipping: chattr +i is not available here (needs root and a filesystem with attributes)");
        return;
    }
    let before = snapshot(tmp.path());
    let r = copy_bank(&src, 1, &dst, 1, CopyBankOptions { also_strd: true, ..opts() });
    let after = snapshot(tmp.path());
    let _ = std::process::Command::new("chattr").arg("-i").arg(&bank).status();
    let err = r.unwrap_err().to_string();
    assert!(err.contains("bank01.work"), "{err}");
    assert_eq!(after, before);
}

/// A full disk (a 2 MiB tmpfs, when the test may mount one) stops the copy before any rename.
#[test]
fn a_full_disk_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    with_small_tmpfs(tmp.path(), "3m", |mnt| {
        let src = tmp.path().join("A/SRC");
        let dst = mnt.join("DST");
        blank_project(&src);
        for s in 1..=3u16 {
            add_sample(&src, SlotType::Flex, s, &format!("big{s}.wav"), &wav(format!("{s}").as_bytes(), 400_000));
        }
        let mut b = Bank::new_default();
        for t in 0..3 {
            b.part_mut(PartCopy::Working, 0).set_machine(t, 1);
        }
        std::fs::write(src.join("bank01.work"), b.to_bytes()).unwrap();
        // Destination: only what a copy touches, so the disk has room for the backups.
        std::fs::create_dir_all(&dst).unwrap();
        for f in ["project.work", "bank01.work"] {
            std::fs::copy(src.join(f), dst.join(f)).unwrap();
        }
        let before = (snapshot(tmp.path().join("A").as_path()), snapshot(mnt));
        let err = copy_bank(&src, 1, &dst, 2, opts()).unwrap_err().to_string();
        assert!(err.to_lowercase().contains("space") || err.contains("os error 28"), "{err}");
        assert_eq!((snapshot(tmp.path().join("A").as_path()), snapshot(mnt)), before);
    });
}

#[test]
fn within_one_project_nothing_is_remapped() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("A/SRC");
    dense_source(&src, 5);
    let project_before = std::fs::read(src.join("project.work")).unwrap();
    let plan = copy_bank(&src, 1, &src, 7, opts()).unwrap();
    assert!(plan.import.slots.iter().all(|m| m.action == SlotAction::Same && m.from == m.to));
    assert_eq!(std::fs::read(src.join("bank07.work")).unwrap(), std::fs::read(src.join("bank01.work")).unwrap());
    assert_eq!(std::fs::read(src.join("project.work")).unwrap(), project_before);
    let p = ProjectDir::open(&src).unwrap();
    assert!(p.read_bank(7, State::Work).unwrap().is_some());
}
