//! `ops::cleanup` (purge-slots, purge-files, collect, dedupe, relink, clear) on copies of the
//! fixtures and on projects built here: what each operation changes, that nothing else changes
//! (every file of the project or Set compared byte for byte), that a dry run changes nothing, that
//! an injected failure leaves everything as it was, and that `restore` undoes it.

mod ops_common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use groovekit_octatrack::model::project::SlotType;
use groovekit_octatrack::ops::backup::{ApplyOptions, restore};
use groovekit_octatrack::ops::cleanup::{
    CleanupOptions, CleanupPlan, ClearWhat, FileAction, clear, collect, dedupe, purge_files, purge_slots, relink,
    used_slots,
};
use groovekit_octatrack::ops::project_dir::{ProjectDir, State, markers_ref};
use groovekit_octatrack::raw::bank::{Bank, PartCopy, WORKING_PARTS_OFFSET, default_bank_bytes};
use groovekit_octatrack::raw::markers::Markers;
use ops_common::*;

fn run() -> CleanupOptions {
    CleanupOptions::default()
}

fn dry() -> CleanupOptions {
    CleanupOptions { dry_run: true, ..CleanupOptions::default() }
}

/// The files of a snapshot that differ (added, removed or changed), `backups/` left out.
fn changed(a: &BTreeMap<PathBuf, Vec<u8>>, b: &BTreeMap<PathBuf, Vec<u8>>) -> BTreeSet<PathBuf> {
    let keys: BTreeSet<&PathBuf> = a.keys().chain(b.keys()).collect();
    keys.into_iter()
        .filter(|k| !k.components().any(|c| c.as_os_str() == "backups"))
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect()
}

/// The snapshot without `backups/`.
fn files(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    snapshot(root).into_iter().filter(|(k, _)| !k.components().any(|c| c.as_os_str() == "backups")).collect()
}

/// Restores the plan's backup and checks that `root` is as `before`.
fn restores(plan: &CleanupPlan, root: &Path, before: &BTreeMap<PathBuf, Vec<u8>>) {
    let b = plan.backup.as_ref().expect("a real run that changed something has a backup");
    restore(b, false, ApplyOptions::default()).unwrap();
    assert_eq!(changed(before, &files(root)), BTreeSet::new(), "restore puts every file back");
}

/// The real-device project in `SET/REAL` with WAVs for its slots in `SET/AUDIO`.
fn real_device_set(fx: &Path, tmp: &Path) -> (PathBuf, PathBuf) {
    let set = tmp.join("SET");
    let p = set.join("REAL");
    copy_dir(&fx.join("octatrack/real-device"), &p);
    assert_eq!(write_wavs(&p), 25, "26 slots, two share one file");
    (set, p)
}

#[test]
fn purge_slots_clears_only_slots_no_bank_uses_and_resets_their_markers() {
    let Some(fx) = fixtures("ops_purge_slots") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let (set, p) = real_device_set(&fx, tmp.path());
    // Two slots nothing refers to, one of each type, with a trim in their markers records.
    add_sample(&p, SlotType::Flex, 120, "../AUDIO/unused flex.wav", &wav(b"uf", 100));
    add_sample(&p, SlotType::Static, 121, "../AUDIO/unused static.wav", &wav(b"us", 100));
    let mut m = Markers::read(&std::fs::read(p.join("markers.work")).unwrap()).unwrap();
    for (t, n) in [(SlotType::Flex, 120), (SlotType::Static, 121)] {
        m.record_mut(markers_ref(t, n).unwrap().index().unwrap()).set_trim_end(77);
    }
    std::fs::write(p.join("markers.work"), m.to_bytes()).unwrap();
    let before = files(&set);
    let dir = ProjectDir::open(&p).unwrap();
    let used = used_slots(&dir).unwrap();
    let listed: Vec<_> = dir.project.samples().into_iter().filter(|s| !s.is_recorder_buffer()).collect();
    let expected: BTreeSet<(SlotType, u16)> =
        listed.iter().map(|s| (s.slot_type, s.slot)).filter(|k| !used.contains(k)).collect();
    assert!(expected.contains(&(SlotType::Flex, 120)) && expected.contains(&(SlotType::Static, 121)));
    assert!(expected.len() < listed.len(), "the fixture's used slots stay");

    // Dry run: the plan, nothing written.
    let plan = purge_slots(&p, None, dry()).unwrap();
    assert_eq!(plan.slots.iter().map(|s| (s.slot_type, s.slot)).collect::<BTreeSet<_>>(), expected);
    assert_eq!(files(&set), before);
    assert!(!p.join("backups").exists());

    // --pool static: only the Static ones.
    let plan = purge_slots(&p, Some(SlotType::Static), dry()).unwrap();
    assert!(plan.slots.iter().all(|s| s.slot_type == SlotType::Static) && !plan.slots.is_empty());

    let plan = purge_slots(&p, None, run()).unwrap();
    assert_eq!(
        changed(&before, &files(&set)),
        ["REAL/project.work", "REAL/markers.work"].iter().map(PathBuf::from).collect(),
        "only the project and markers change; banks and audio files stay"
    );
    let after = ProjectDir::open(&p).unwrap();
    for s in after.project.samples() {
        assert!(s.is_recorder_buffer() || used.contains(&(s.slot_type, s.slot)), "{s:?} is used");
    }
    for (t, n) in &expected {
        assert!(after.project.sample(*t, *n).is_none(), "{t:?} {n} cleared");
    }
    assert_eq!(after.project.samples().iter().filter(|s| s.is_recorder_buffer()).count(), 8, "recorders stay");
    let m = after.read_markers(State::Work).unwrap().unwrap();
    let blank = Markers::new_default();
    for (t, n) in &expected {
        let i = markers_ref(*t, *n).unwrap().index().unwrap();
        assert_eq!(m.record(i).raw(), blank.record(i).raw(), "{t:?} {n} markers reset");
    }
    // Every used slot keeps its markers record.
    let m_before = Markers::read(&before[&PathBuf::from("REAL/markers.work")]).unwrap();
    for (t, n) in &used {
        if let Some(i) = markers_ref(*t, *n).and_then(|r| r.index()) {
            assert_eq!(m.record(i).raw(), m_before.record(i).raw());
        }
    }
    // Nothing left to purge; restore undoes.
    assert!(purge_slots(&p, None, run()).unwrap().is_empty());
    restores(&plan, &set, &before);
}

#[test]
fn purge_slots_keeps_slots_used_only_by_a_saved_part_or_a_strd_bank() {
    let Some(fx) = fixtures("ops_purge_slots_saved") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("SET/P");
    copy_dir(&fx.join("octatrack/blank-project"), &p);
    for n in [10, 11, 12] {
        add_sample(&p, SlotType::Static, n, &format!("s{n}.wav"), &wav(&[n as u8], 50));
    }
    // Static 10: only the saved copy of part 2 track 3. Static 11: only bank 2's .strd.
    let mut b = Bank::read(&std::fs::read(p.join("bank01.work")).unwrap()).unwrap();
    b.part_mut(PartCopy::Saved, 1).set_slots(2, 9, 0, 128);
    std::fs::write(p.join("bank01.work"), b.to_bytes()).unwrap();
    let mut b = Bank::new_default();
    b.part_mut(PartCopy::Working, 3).set_slots(7, 10, 0, 128);
    std::fs::write(p.join("bank02.strd"), b.to_bytes()).unwrap();
    let plan = purge_slots(&p, None, run()).unwrap();
    assert_eq!(plan.slots.iter().map(|s| (s.slot_type, s.slot)).collect::<Vec<_>>(), vec![(SlotType::Static, 12)]);
}

#[test]
fn purge_files_moves_unused_audio_of_a_set_to_backups_and_restore_brings_it_back() {
    let Some(fx) = fixtures("ops_purge_files") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let (set, p) = real_device_set(&fx, tmp.path());
    std::fs::write(set.join("AUDIO/Elektron/unused.wav"), wav(b"x", 10)).unwrap();
    std::fs::write(set.join("AUDIO/Elektron/unused.ot"), b"ot").unwrap();
    std::fs::write(set.join("AUDIO/Stray Loop & co.WAV"), wav(b"y", 10)).unwrap();
    std::fs::write(p.join("left over.aif"), b"FORM").unwrap();
    std::fs::write(set.join("AUDIO/readme.txt"), b"not audio").unwrap();
    // A second project naming a file inside REAL: it is used.
    let q = set.join("OTHER");
    blank_project(&q);
    add_sample(&q, SlotType::Flex, 1, "../REAL/shared.wav", &wav(b"s", 10));
    let before = files(&set);

    let plan = purge_files(&set, dry()).unwrap();
    let moved: BTreeSet<PathBuf> =
        plan.files.iter().map(|f| f.path.strip_prefix(&set).unwrap().to_path_buf()).collect();
    let expected: BTreeSet<PathBuf> =
        ["AUDIO/Elektron/unused.wav", "AUDIO/Elektron/unused.ot", "AUDIO/Stray Loop & co.WAV", "REAL/left over.aif"]
            .iter()
            .map(PathBuf::from)
            .collect();
    assert_eq!(moved, expected);
    assert!(plan.files.iter().all(|f| f.action == FileAction::MoveToBackup));
    assert_eq!(files(&set), before, "dry run");

    // A project alone: only its own folder; OTHER's reference to REAL/shared.wav counts.
    let plan_p = purge_files(&p, dry()).unwrap();
    assert_eq!(
        plan_p.files.iter().map(|f| f.path.strip_prefix(&set).unwrap().to_path_buf()).collect::<Vec<_>>(),
        vec![PathBuf::from("REAL/left over.aif")]
    );

    let plan = purge_files(&set, run()).unwrap();
    assert_eq!(changed(&before, &files(&set)), expected, "exactly the unused files left");
    let backup = plan.backup.clone().unwrap();
    assert!(backup.starts_with(set.join("backups")), "{}", backup.display());
    // The moved files are in the backup folder, byte for byte.
    let kept: BTreeSet<Vec<u8>> = snapshot(&backup).into_values().collect();
    for f in &expected {
        assert!(kept.contains(&before[f]), "{} is in the backup", f.display());
    }
    restores(&plan, &set, &before);
}

#[test]
fn purge_files_fault_leaves_every_file_as_it_was() {
    let Some(fx) = fixtures("ops_purge_files_fault") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let (set, _) = real_device_set(&fx, tmp.path());
    for n in 0..4 {
        std::fs::write(set.join(format!("AUDIO/unused{n}.wav")), wav(&[n], 10)).unwrap();
    }
    let before = files(&set);
    // Injected failure before each step, and a failure of the manifest write.
    for step in 0..4 {
        let o = CleanupOptions { apply: ApplyOptions { fail_at_step: Some(step) }, ..run() };
        assert!(purge_files(&set, o).is_err());
        assert_eq!(files(&set), before, "step {step}");
    }
    groovekit_core::fs::failpoint::arm_thread(Some("write:1"));
    let r = purge_files(&set, run());
    groovekit_core::fs::failpoint::arm_thread(None);
    assert!(r.is_err());
    assert_eq!(files(&set), before);
    assert!(!set.join("backups").exists(), "a failed operation leaves no backup folder");
    // A file that cannot be removed (immutable) part way: the files removed before it come back.
    let third = set.join("AUDIO/unused2.wav");
    let immutable = std::process::Command::new("chattr").arg("+i").arg(&third).status().is_ok_and(|s| s.success());
    if immutable {
        let r = purge_files(&set, run());
        let _ = std::process::Command::new("chattr").arg("-i").arg(&third).status();
        assert!(r.is_err(), "removing an immutable file fails");
        assert_eq!(files(&set), before, "the removals before it are undone");
    } else {
        eprintln!("chattr +i is not available here: the immutable-file case is skipped");
    }
}

#[test]
fn collect_copies_outside_samples_into_the_project_and_plays_the_same() {
    let Some(fx) = fixtures("ops_collect") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let (set, p) = real_device_set(&fx, tmp.path());
    // A file of the same name with other bytes already in the project: never overwritten.
    std::fs::write(p.join("Percs.wav"), wav(b"other percs", 20)).unwrap();
    let before = files(&set);
    let plays_before = plays(&p, 1, State::Work);
    let plan = collect(&p, false, dry()).unwrap();
    assert_eq!(files(&set), before);
    let plan2 = collect(&p, false, run()).unwrap();
    assert_eq!(plan.slots, plan2.slots);
    assert_eq!(plays(&p, 1, State::Work), plays_before, "every reference plays the same content");
    let dir = ProjectDir::open(&p).unwrap();
    for s in dir.project.samples().iter().filter(|s| !s.path.is_empty()) {
        assert!(!s.path.contains(&b'/'), "in the project folder now: {}", s.path_lossy());
        assert!(dir.sample_path(s).unwrap().is_file());
    }
    let percs = dir.project.sample(SlotType::Flex, 45).unwrap();
    assert_eq!(percs.path_lossy(), "Percs-2.wav", "the clash is renamed");
    assert_eq!(std::fs::read(p.join("Percs.wav")).unwrap(), wav(b"other percs", 20));
    // Only new files and project.work changed; the pool is untouched.
    for f in changed(&before, &files(&set)) {
        assert!(f.starts_with("REAL"), "{}", f.display());
        assert!(f == Path::new("REAL/project.work") || !before.contains_key(&f), "{} is new", f.display());
    }
    // The .ot companions came along.
    assert!(plan2.files.iter().any(|f| f.path.extension().is_some_and(|e| e == "ot")));
    restores(&plan2, &set, &before);
}

#[test]
fn collect_to_pool_takes_files_from_outside_the_set_only() {
    let Some(fx) = fixtures("ops_collect_pool") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let set = tmp.path().join("SET");
    let p = set.join("P");
    copy_dir(&fx.join("octatrack/blank-project"), &p);
    std::fs::create_dir_all(set.join("AUDIO")).unwrap();
    add_sample(&p, SlotType::Flex, 1, "../AUDIO/in pool.wav", &wav(b"a", 10));
    add_sample(&p, SlotType::Flex, 2, "../../LIBRARY/kick #1.wav", &wav(b"b", 10));
    add_sample(&p, SlotType::Static, 1, "here.wav", &wav(b"c", 10));
    add_sample(&p, SlotType::Static, 2, "../../LIBRARY/gone.wav", &wav(b"d", 10));
    std::fs::remove_file(tmp.path().join("LIBRARY/gone.wav")).unwrap();
    let plan = collect(&p, true, run()).unwrap();
    assert_eq!(plan.slots.len(), 1, "{:?}", plan.slots);
    assert_eq!(plan.slots[0].to, "../AUDIO/kick #1.wav");
    assert_eq!(std::fs::read(set.join("AUDIO/kick #1.wav")).unwrap(), wav(b"b", 10));
    assert!(plan.warnings.iter().any(|w| w.contains("gone.wav")), "{:?}", plan.warnings);
    assert!(tmp.path().join("LIBRARY/kick #1.wav").is_file(), "collect copies, never moves");
}

/// A Set with a pool file, a copy of it inside project P1 (named by P1), and P2 naming the pool copy.
fn dup_set(tmp: &Path) -> PathBuf {
    let set = tmp.join("SET");
    std::fs::create_dir_all(set.join("AUDIO/drums")).unwrap();
    for n in ["P1", "P2"] {
        blank_project(&set.join(n));
    }
    let a = wav(b"loop", 200);
    std::fs::write(set.join("AUDIO/drums/loop.wav"), &a).unwrap();
    add_sample(&set.join("P1"), SlotType::Flex, 3, "my loop.wav", &a);
    add_sample(&set.join("P1"), SlotType::Static, 4, "sub/loop copy.wav", &a);
    add_sample(&set.join("P2"), SlotType::Flex, 1, "../AUDIO/drums/loop.wav", &a);
    // Same bytes but its own .ot (own trim/slices): not merged.
    std::fs::write(set.join("P2/loop-with-ot.wav"), &a).unwrap();
    std::fs::write(set.join("P2/loop-with-ot.ot"), b"ot bytes").unwrap();
    // A different file: untouched.
    add_sample(&set.join("P2"), SlotType::Flex, 2, "other.wav", &wav(b"other", 200));
    set
}

#[test]
fn dedupe_keeps_the_pool_copy_and_rewrites_every_project() {
    let tmp = tempfile::tempdir().unwrap();
    let set = dup_set(tmp.path());
    let before = files(&set);
    let plan = dedupe(&set, dry()).unwrap();
    assert_eq!(files(&set), before);
    let moved: BTreeSet<PathBuf> =
        plan.files.iter().map(|f| f.path.strip_prefix(&set).unwrap().to_path_buf()).collect();
    assert_eq!(moved, ["P1/my loop.wav", "P1/sub/loop copy.wav"].iter().map(PathBuf::from).collect());
    let plan = dedupe(&set, run()).unwrap();
    let p1 = ProjectDir::open(&set.join("P1")).unwrap();
    assert_eq!(p1.project.sample(SlotType::Flex, 3).unwrap().path_lossy(), "../AUDIO/drums/loop.wav");
    assert_eq!(p1.project.sample(SlotType::Static, 4).unwrap().path_lossy(), "../AUDIO/drums/loop.wav");
    assert_eq!(
        changed(&before, &files(&set)),
        ["P1/my loop.wav", "P1/sub/loop copy.wav", "P1/project.work"].iter().map(PathBuf::from).collect()
    );
    assert!(plan.backup.as_ref().unwrap().starts_with(set.join("backups")));
    // Nothing left to do.
    assert!(dedupe(&set, run()).unwrap().is_empty());
    restores(&plan, &set, &before);
}

#[test]
fn dedupe_fault_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let set = dup_set(tmp.path());
    fault_sweep(&set, &|| dedupe(&set, run()));
}

/// Makes the 1st, 2nd, ... write, fsync and rename of an operation fail in turn, until the
/// operation gets through: every failing run must leave every file as it was (a run that gets
/// through is undone with `restore` before the next). At least two points of each kind must fail
/// (the backup manifest and the transaction itself).
fn fault_sweep(root: &Path, op: &dyn Fn() -> Result<CleanupPlan, groovekit_octatrack::OtError>) {
    let before = files(root);
    for kind in ["write", "fsync", "rename"] {
        let mut failed = 0;
        for n in 1..=20 {
            let spec = format!("{kind}:{n}");
            groovekit_core::fs::failpoint::arm_thread(Some(&spec));
            let r = op();
            groovekit_core::fs::failpoint::arm_thread(None);
            match r {
                Err(_) => {
                    failed += 1;
                    assert_eq!(changed(&before, &files(root)), BTreeSet::new(), "{spec}");
                }
                Ok(plan) => {
                    restores(&plan, root, &before);
                    break;
                }
            }
        }
        assert!(failed >= 2, "{kind}: only {failed} fail points were reached");
    }
}

#[test]
fn relink_finds_missing_samples_by_name_and_reports_ambiguous_ones() {
    let Some(fx) = fixtures("ops_relink") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let set = tmp.path().join("SET");
    let p = set.join("REAL");
    copy_dir(&fx.join("octatrack/real-device"), &p);
    // The samples moved: they are in LIB/<some folder>/<name> now.
    let dir = ProjectDir::open(&p).unwrap();
    let lib = set.join("AUDIO/moved");
    let mut written = BTreeMap::new();
    let mut by_name: BTreeMap<std::ffi::OsString, PathBuf> = BTreeMap::new();
    for (i, s) in dir.project.samples().iter().enumerate().filter(|(_, s)| !s.path.is_empty()) {
        let name = dir.sample_path(s).unwrap().file_name().unwrap().to_owned();
        let f = by_name
            .entry(name.clone())
            .or_insert_with(|| {
                let f = lib.join(format!("d{}", i % 3)).join(&name);
                std::fs::create_dir_all(f.parent().unwrap()).unwrap();
                std::fs::write(&f, wav(&s.path, 100 + i)).unwrap();
                f
            })
            .clone();
        written.insert((s.slot_type, s.slot), f);
    }
    assert!(written.len() >= 25, "{}", written.len());
    // Two more, different files named Acdrum.wav (any case): static 5 is ambiguous.
    for (d, n, c) in [("e1", "ACDRUM.WAV", b"another acdrum".as_slice()), ("e2", "Acdrum.wav", b"a third acdrum")] {
        std::fs::create_dir_all(lib.join(d)).unwrap();
        std::fs::write(lib.join(d).join(n), wav(c, 10)).unwrap();
    }
    let before = files(&set);
    let plan = relink(&p, &set.join("AUDIO"), dry()).unwrap();
    assert_eq!(files(&set), before);
    assert_eq!(plan.unresolved.len(), 1, "{:?}", plan.unresolved);
    assert_eq!((plan.unresolved[0].slot_type, plan.unresolved[0].slot), (SlotType::Static, 5));
    assert!(plan.unresolved[0].candidates.len() >= 2);
    let plan = relink(&p, &set.join("AUDIO"), run()).unwrap();
    assert_eq!(changed(&before, &files(&set)), [PathBuf::from("REAL/project.work")].into_iter().collect());
    let after = ProjectDir::open(&p).unwrap();
    for (k, f) in &written {
        let s = after.project.sample(k.0, k.1).unwrap();
        if *k == (SlotType::Static, 5) {
            assert_eq!(s.path_lossy(), "../AUDIO/Elektron/Acdrum.wav", "ambiguous: left as it was");
            continue;
        }
        let now = after.sample_path(&s).unwrap();
        assert_eq!(std::fs::read(&now).unwrap(), std::fs::read(f).unwrap(), "{k:?}");
        assert!(s.path.starts_with(b"../AUDIO/moved/d"), "{}", s.path_lossy());
    }
    restores(&plan, &set, &before);
}

#[test]
fn relink_uses_a_content_hash_from_another_project_of_the_set() {
    let tmp = tempfile::tempdir().unwrap();
    let set = tmp.path().join("SET");
    let (a, b) = (set.join("A"), set.join("B"));
    blank_project(&a);
    blank_project(&b);
    std::fs::create_dir_all(set.join("AUDIO")).unwrap();
    // B names ../AUDIO/keep/bass.wav, which exists: its content is known.
    add_sample(&b, SlotType::Flex, 1, "../AUDIO/keep/bass.wav", &wav(b"the bass", 50));
    // A names bass.wav in its folder, which is gone.
    add_sample(&a, SlotType::Flex, 7, "bass.wav", b"");
    std::fs::remove_file(a.join("bass.wav")).unwrap();
    // The search folder has two different bass.wav and, under another name, the known content.
    let lib = tmp.path().join("LIB");
    std::fs::create_dir_all(lib.join("x")).unwrap();
    std::fs::write(lib.join("bass.wav"), wav(b"a different bass", 50)).unwrap();
    std::fs::write(lib.join("x/bass.wav"), wav(b"the bass", 50)).unwrap();
    let plan = relink(&a, &lib, run()).unwrap();
    assert!(plan.unresolved.is_empty(), "{:?}", plan.unresolved);
    assert_eq!(plan.slots[0].to, "../../LIB/x/bass.wav");
    assert!(plan.warnings.iter().any(|w| w.contains("outside the Set")), "{:?}", plan.warnings);
    // Name gone, content known: found under another name.
    std::fs::remove_file(lib.join("x/bass.wav")).unwrap();
    std::fs::write(lib.join("renamed.wav"), wav(b"the bass", 50)).unwrap();
    edit_project(&a, |p| {
        let mut s = p.sample(SlotType::Flex, 7).unwrap();
        s.path = b"bass.wav".to_vec();
        p.set_sample(&s).unwrap();
    });
    let plan = relink(&a, &lib, run()).unwrap();
    assert_eq!(plan.slots[0].to, "../../LIB/renamed.wav", "{:?}", plan);
}

#[test]
fn clear_resets_patterns_parts_or_the_whole_bank_to_the_blank_projects() {
    let Some(fx) = fixtures("ops_clear") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("SET/SRC");
    copy_dir(&fx.join("octatrack/bank-copy/BANK-COPY-SRC"), &p);
    let blank = default_bank_bytes();
    let orig = std::fs::read(p.join("bank01.work")).unwrap();
    let before = files(&p);
    let plan = clear(&p, 1, ClearWhat { patterns: true, parts: false }, dry()).unwrap();
    assert!(plan.cleared.iter().any(|c| c.contains("patterns with trigs")), "{:?}", plan.cleared);
    assert_eq!(files(&p), before);

    let plan = clear(&p, 1, ClearWhat { patterns: true, parts: false }, run()).unwrap();
    let now = std::fs::read(p.join("bank01.work")).unwrap();
    let b = Bank::read(&now).unwrap();
    assert!(b.patterns_with_trigs().is_empty());
    assert_eq!(now[22..WORKING_PARTS_OFFSET], blank[22..WORKING_PARTS_OFFSET], "patterns are blank");
    assert_eq!(now[WORKING_PARTS_OFFSET..now.len() - 2], orig[WORKING_PARTS_OFFSET..orig.len() - 2], "parts kept");
    assert_eq!(changed(&before, &files(&p)), [PathBuf::from("bank01.work")].into_iter().collect());
    assert!(plan.warnings.iter().any(|w| w.contains("bank01.strd")));
    restores(&plan, &p, &before);

    clear(&p, 1, ClearWhat { patterns: false, parts: true }, run()).unwrap();
    let now = std::fs::read(p.join("bank01.work")).unwrap();
    assert_eq!(now[22..WORKING_PARTS_OFFSET], orig[22..WORKING_PARTS_OFFSET], "patterns kept");
    assert_eq!(now[WORKING_PARTS_OFFSET..now.len() - 2], blank[WORKING_PARTS_OFFSET..blank.len() - 2]);

    clear(&p, 1, ClearWhat::default(), run()).unwrap();
    assert_eq!(std::fs::read(p.join("bank01.work")).unwrap(), blank, "the whole bank is a fresh one");
    assert!(clear(&p, 1, ClearWhat::default(), run()).unwrap().is_empty());
    assert!(clear(&p, 17, ClearWhat::default(), run()).is_err());
    assert!(clear(&p, 2, ClearWhat::default(), run()).is_err(), "no bank02.work in this fixture");
}

#[test]
fn clear_fault_changes_nothing() {
    let Some(fx) = fixtures("ops_clear_fault") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("SET/SRC");
    copy_dir(&fx.join("octatrack/bank-copy/BANK-COPY-SRC"), &p);
    fault_sweep(&p, &|| clear(&p, 1, ClearWhat::default(), run()));
    // purge-slots, collect and relink write through the same path.
    add_sample(&p, SlotType::Flex, 99, "../AUDIO/unused.wav", &wav(b"u", 10));
    fault_sweep(&p, &|| purge_slots(&p, None, run()));
    fault_sweep(&p, &|| collect(&p, false, run()));
}

#[test]
fn every_operation_refuses_a_project_not_saved_on_os_1_40() {
    let Some(fx) = fixtures("ops_cleanup_old_os") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let set = tmp.path().join("SET");
    let p = set.join("OLD");
    copy_dir(&fx.join("octatrack/blank-project"), &p);
    std::fs::create_dir_all(set.join("AUDIO")).unwrap();
    let text = std::fs::read(p.join("project.work")).unwrap();
    let pos = text.windows(4).position(|w| w == b"1.40").unwrap();
    let mut old = text.clone();
    old[pos..pos + 4].copy_from_slice(b"1.31");
    std::fs::write(p.join("project.work"), &old).unwrap();
    let before = files(&set);
    let results = [
        purge_slots(&p, None, run()),
        purge_files(&p, run()),
        purge_files(&set, run()),
        collect(&p, false, run()),
        dedupe(&set, run()),
        relink(&p, &set, run()),
        clear(&p, 1, ClearWhat::default(), run()),
    ];
    for r in results {
        let e = r.expect_err("refused").to_string();
        assert!(e.contains("1.40"), "{e}");
    }
    assert_eq!(files(&set), before);
}

/// A full disk (a 2 MiB tmpfs, when the test may mount one): `collect` copying 2.7 MB of samples
/// from outside the Set into the project stops before any rename, and every file on both sides
/// (the project on the tmpfs, the samples outside) is as before, with no backup or leftover.
#[test]
fn collect_on_a_full_disk_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    with_small_tmpfs(tmp.path(), "2m", |mnt| {
        // The blank project made on the big disk, then only project.work and bank01 moved onto the
        // tmpfs (16 banks would not fit), with three slots naming samples outside the Set.
        let staging = tmp.path().join("staging/P");
        blank_project(&staging);
        let p = mnt.join("SET/P");
        std::fs::create_dir_all(&p).unwrap();
        for f in ["project.work", "bank01.work"] {
            std::fs::copy(staging.join(f), p.join(f)).unwrap();
        }
        for s in 1..=3u16 {
            let path = format!("../../../outside/big{s}.wav");
            add_sample(&p, SlotType::Flex, s, &path, &wav(format!("big{s}").as_bytes(), 450_000));
        }
        let before = (snapshot(mnt), snapshot(&tmp.path().join("outside")));
        let err = collect(&p, false, run()).unwrap_err().to_string();
        assert!(err.to_lowercase().contains("space") || err.contains("os error 28"), "{err}");
        assert_eq!((snapshot(mnt), snapshot(&tmp.path().join("outside"))), before);
    });
}
