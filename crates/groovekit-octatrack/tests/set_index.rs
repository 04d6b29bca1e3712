//! The Set index (issue 25 item 1) on a generated Set, checked against what the generator made,
//! and on the real-device project.

#[path = "support/gen_set.rs"]
mod gen_set;

use std::collections::BTreeSet;

use gen_set::{Kind, LOCKED_SLOT, PROJECTS};
use groovekit_core::fixtures::fixtures_or_skip;
use groovekit_octatrack::model::project::SlotType;
use groovekit_octatrack::ops::refs::Site;
use groovekit_octatrack::ops::set_index::{SetIndex, set_of};

#[test]
fn generated_set_is_indexed_as_generated() {
    let tmp = tempfile::tempdir().unwrap();
    let generated = gen_set::generate(tmp.path(), 5_000, 64);
    let index = SetIndex::open(tmp.path()).unwrap();

    // Projects: all 16, each with 128 + 3 slots, bank 1 with pattern 1 playing part 1.
    let names: Vec<&str> = index.projects.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, generated.projects.iter().map(String::as_str).collect::<Vec<_>>());
    for p in &index.projects {
        assert!(p.problems.is_empty(), "{}: {:?}", p.name, p.problems);
        assert_eq!(p.slots, 2 * gen_set::SLOTS_PER_POOL + gen_set::MISSING_PER_PROJECT);
        assert_eq!(p.banks.len(), 1);
        assert_eq!(p.banks[0].patterns, vec![1]);
        assert_eq!(p.banks[0].parts, vec![1]);
        assert!(!p.banks[0].saved);
    }

    // Files: every generated file, with its verdict.
    assert_eq!(index.files.len(), generated.files.len());
    for (f, g) in index.files.iter().zip(&generated.files) {
        assert_eq!(f.name, g.name);
        assert_eq!(f.audio.usable, g.playable(), "{}: {:?}", g.name, f.audio.reasons);
        match g.kind {
            Kind::Garbage => assert!(f.audio.reasons[0].starts_with("unreadable"), "{:?}", f.audio.reasons),
            Kind::Wav48k => assert!(f.audio.reasons.iter().any(|r| r.contains("48000")), "{:?}", f.audio.reasons),
            Kind::WavFloat => assert!(f.audio.reasons.iter().any(|r| r.contains("float")), "{:?}", f.audio.reasons),
            Kind::Aiff16 => assert_eq!(f.audio.format.as_deref(), Some("AIFF")),
            Kind::Wav24 => assert_eq!(f.audio.bits, Some(24)),
            Kind::Wav16 => assert_eq!(f.audio.frames, Some(u64::from(g.frames))),
        }
        let got: BTreeSet<(String, SlotType, u16)> =
            f.slots.iter().map(|u| (u.project.clone(), u.slot_type, u.slot)).collect();
        let want: BTreeSet<(String, SlotType, u16)> =
            g.slots.iter().map(|&(k, t, s)| (generated.projects[k].clone(), t, s)).collect();
        assert_eq!(got, want, "{}", g.name);
    }
    let unplayable = generated.files.iter().filter(|g| !g.playable()).count();
    assert_eq!(index.unplayable().count(), unplayable);
    assert_eq!(unplayable, 1_000, "the generator makes a fifth unplayable");
    let unused = generated.files.iter().filter(|g| g.slots.is_empty()).count();
    assert_eq!(index.unused().count(), unused);
    assert_eq!(unused, 5_000 - PROJECTS * 2 * gen_set::SLOTS_PER_POOL);

    // Missing: each path the projects point at that does not exist, with its slot.
    let got: BTreeSet<(String, String, u16)> = index
        .missing
        .iter()
        .flat_map(|m| m.slots.iter().map(|u| (m.name.clone(), u.project.clone(), u.slot)))
        .collect();
    let want: BTreeSet<(String, String, u16)> =
        generated.missing.iter().map(|(n, k, _, s)| (n.clone(), generated.projects[*k].clone(), *s)).collect();
    assert_eq!(got, want);

    // Uses: the Static slot 1 of each project is played by bank 1 part 1 track 1 (audible), and
    // the sample lock on pattern 1 track 1 step 5 uses Static slot LOCKED_SLOT.
    for (k, name) in generated.projects.iter().enumerate() {
        let first = &generated.files[k * gen_set::STRIDE];
        let f = index.file(&tmp.path().join(&first.name)).unwrap();
        let slot = f.slots.iter().find(|u| &u.project == name).unwrap();
        assert!(
            slot.uses
                .iter()
                .any(|u| u.bank == 1 && u.at.audible && u.at.site == Site::Part { part: 1, saved: false, track: 1 })
        );
        let locked = &generated.files[k * gen_set::STRIDE + usize::from(LOCKED_SLOT) - 1];
        let f = index.file(&tmp.path().join(&locked.name)).unwrap();
        let slot = f.slots.iter().find(|u| &u.project == name).unwrap();
        assert_eq!(slot.slot_type, SlotType::Static);
        let locks: Vec<Site> =
            slot.uses.iter().filter(|u| matches!(u.at.site, Site::Lock { .. })).map(|u| u.at.site).collect();
        assert_eq!(locks, vec![Site::Lock { pattern: 1, track: 1, step: 5 }]);
    }

    // Duplicates: exactly the generated copies, each with its original.
    let dups = index.duplicates().unwrap();
    let got: BTreeSet<Vec<String>> = dups.iter().map(|g| g.iter().map(|f| f.name.clone()).collect()).collect();
    let want: BTreeSet<Vec<String>> = generated
        .files
        .iter()
        .filter_map(|g| g.copy_of.map(|o| vec![generated.files[o].name.clone(), g.name.clone()]))
        .collect();
    assert!(!want.is_empty());
    assert_eq!(got, want);

    // The Set of a pool file and of a project file.
    assert_eq!(set_of(&tmp.path().join(&generated.files[3].name)).as_deref(), Some(index.root.as_path()));
}

#[test]
fn real_device_project_is_indexed() {
    let Some(fx) = fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "real_device_project_is_indexed") else { return };
    let fx = fx.join("octatrack/real-device");
    let index = SetIndex::open(&fx).unwrap();
    assert_eq!(index.projects.len(), 1);
    let p = &index.projects[0];
    assert!(p.problems.is_empty(), "{:?}", p.problems);
    assert_eq!(p.slots, 26, "the fixture lists 26 Flex/Static slots (SOURCES.md)");
    assert_eq!(p.banks.len(), 1);
    let bank = &p.banks[0];
    assert!(bank.saved, "bank01.strd is beside bank01.work");
    // The patterns with trigs, read the other way: every pattern whose audio or MIDI trig masks
    // are not all zero.
    let raw = groovekit_octatrack::raw::bank::Bank::read(&std::fs::read(fx.join("bank01.work")).unwrap()).unwrap();
    let want: Vec<u8> = (0..16)
        .filter(|&i| {
            let pat = raw.pattern(i);
            (0..8).any(|t| pat.audio_track(t).trigs() != 0 || pat.midi_track(t).trigs() != 0)
        })
        .map(|i| i as u8 + 1)
        .collect();
    assert!(!want.is_empty());
    assert_eq!(bank.patterns, want);
    let strd_same = std::fs::read(fx.join("bank01.work")).unwrap() == std::fs::read(fx.join("bank01.strd")).unwrap();
    assert_eq!(bank.reload_drops.is_empty(), strd_same);
    // The audio is not part of the fixture: every slot's file is missing, none is indexed.
    assert!(index.files.is_empty());
    let missing_slots: usize = index.missing.iter().map(|m| m.slots.len()).sum();
    assert_eq!(missing_slots, 26);
    assert!(index.missing.iter().all(|m| m.name.contains("AUDIO/")), "{:?}", index.missing[0].name);
}

#[test]
fn neither_set_nor_project_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let e = SetIndex::open(tmp.path()).unwrap_err().to_string();
    assert!(e.contains("neither a Set"), "{e}");
}
