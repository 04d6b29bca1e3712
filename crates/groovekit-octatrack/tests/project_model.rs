//! The typed project model (issue 10) on the real-device project and on new projects: lazy
//! loading, `.work`/`.strd`, the device's step order through the API, saving only what changed,
//! and sample slots.

use std::path::{Path, PathBuf};

use groovekit_octatrack::Project;
use groovekit_octatrack::model::project::SlotType;
use groovekit_octatrack::model::project_folder::{SaveOptions, Source};
use groovekit_octatrack::raw::markers::SlotRef;

fn fixtures(test: &str) -> Option<PathBuf> {
    groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), test).map(|d| d.join("octatrack"))
}

/// A copy of a fixture folder in a temp dir (fixtures are never written).
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.path().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn the_real_device_project_reads_as_the_device_plays_it() {
    let Some(ot) = fixtures("model_real_device") else { return };
    let mut p = Project::open(&ot.join("real-device")).unwrap();
    assert_eq!(p.source(), Source::Work);
    assert_eq!(p.tempo(), Some(126.125));
    assert!(p.loaded_banks().is_empty());
    let bank = p.bank(1).unwrap();
    let steps = |t: u8| (1..=64u8).filter(|&s| bank.audio_step(1, t, s).unwrap().trig).collect::<Vec<_>>();
    assert_eq!(steps(2), vec![1, 5, 9, 10, 11, 12, 17, 21, 25, 26, 27, 28]);
    assert_eq!(steps(6), vec![1, 17, 33]);
    let s = bank.audio_step(1, 2, 1).unwrap();
    assert_eq!((s.micro, s.recorder), (1, [true, true, true, false]));
    assert_eq!(bank.pattern(1).unwrap().part, 1);
    assert_eq!(bank.audio_track(1, 2).unwrap().length, 12);
    // Reading one pattern read one bank.
    assert_eq!(p.loaded_banks(), vec![1]);
    assert_eq!(p.bank_source(1), Some(Source::Work));
    assert_eq!(p.samples().len(), 26 + 8, "26 slots and the 8 recorder buffers");
}

#[test]
fn strd_is_read_when_there_is_no_work_and_the_source_says_so() {
    let Some(ot) = fixtures("model_strd") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("P");
    copy_dir(&ot.join("real-device"), &dir);
    std::fs::remove_file(dir.join("bank01.work")).unwrap();
    std::fs::rename(dir.join("project.work"), dir.join("project.strd")).unwrap();
    let mut p = Project::open(&dir).unwrap();
    assert_eq!(p.source(), Source::Strd);
    p.bank(1).unwrap();
    assert_eq!(p.bank_source(1), Some(Source::Strd));
    assert_eq!(p.bank_source(2), None);
    p.bank(2).unwrap();
    assert_eq!(p.bank_source(2), Some(Source::New), "no bank02 in the fixture: the blank bank");
}

#[test]
fn saving_an_edit_writes_only_that_bank_and_only_its_bytes() {
    let Some(ot) = fixtures("model_save") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("P");
    copy_dir(&ot.join("real-device"), &dir);
    let original = std::fs::read(dir.join("bank01.work")).unwrap();
    let project_before = std::fs::read(dir.join("project.work")).unwrap();
    let mut p = Project::open(&dir).unwrap();
    let bank = p.bank_mut(1).unwrap();
    let mut s = bank.audio_step(1, 6, 49).unwrap();
    s.trig = true;
    bank.set_audio_step(1, 6, 49, &s).unwrap();
    let report = p.save().unwrap();
    assert_eq!(report.written, vec![dir.join("bank01.work")]);
    assert_eq!(report.backups, vec![dir.join("bank01.work.bak")]);
    let after = std::fs::read(dir.join("bank01.work")).unwrap();
    let diff: Vec<usize> = (0..after.len()).filter(|&i| after[i] != original[i]).collect();
    // One mask byte (steps 49-56 are file byte 1 of the trig mask of pattern 1 track 6), and
    // the checksum in the last two bytes.
    let mask = 22 + 8 + 5 * 2_338 + 9 + 1;
    assert_eq!(diff[0], mask, "{diff:?}");
    assert_eq!(after[mask], original[mask] | 1);
    assert!(diff[1..].iter().all(|&i| i >= after.len() - 2), "{diff:?}");
    assert!(groovekit_octatrack::raw::bank::Bank::read(&after).is_ok(), "checksum recomputed");
    assert_eq!(std::fs::read(dir.join("project.work")).unwrap(), project_before);
    assert_eq!(std::fs::read(dir.join("bank01.work.bak")).unwrap(), original);
    // The reopened project plays the new trig; .strd on request.
    let mut again = Project::open(&dir).unwrap();
    assert!(again.bank(1).unwrap().audio_step(1, 6, 49).unwrap().trig);
    again.set_tempo(130.0).unwrap();
    let r = again.save_with(SaveOptions { strd: true, backup: false, all: false }).unwrap();
    assert_eq!(r.written, vec![dir.join("project.work"), dir.join("project.strd")]);
    assert_eq!(std::fs::read(dir.join("project.strd")).unwrap(), std::fs::read(dir.join("project.work")).unwrap());
}

#[test]
fn every_real_device_file_round_trips_through_the_model() {
    let Some(ot) = fixtures("model_round_trip") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let src = ot.join("real-device");
    let mut p = Project::open(&src).unwrap();
    for b in 1..=16 {
        let bank = p.bank(b).unwrap().clone();
        for pat in 1..=16u8 {
            for t in 1..=8u8 {
                for s in [1u8, 17, 33, 64] {
                    let mut copy = bank.clone();
                    let step = copy.audio_step(pat, t, s).unwrap();
                    copy.set_audio_step(pat, t, s, &step).unwrap();
                    let m = copy.midi_step(pat, t, s).unwrap();
                    copy.set_midi_step(pat, t, s, &m).unwrap();
                    assert!(
                        copy.raw().as_bytes() == bank.raw().as_bytes(),
                        "bank {b} pattern {pat} track {t} step {s}"
                    );
                }
            }
        }
    }
    let out = tmp.path().join("OUT");
    p.save_to(&out, SaveOptions { backup: false, ..SaveOptions::default() }).unwrap();
    for name in ["project.work", "bank01.work", "arr01.work", "markers.work"] {
        assert!(std::fs::read(out.join(name)).unwrap() == std::fs::read(src.join(name)).unwrap(), "{name}");
    }
}

#[test]
fn add_sample_sets_the_slot_and_the_markers_trim() {
    let Some(dir) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "model_add_sample") else {
        return;
    };
    let hats: Vec<PathBuf> = groovekit_core::fixtures::files_under(&dir.join("audio/hats"), &|p| {
        p.extension().is_some_and(|e| e.eq_ignore_ascii_case("wav"))
    });
    let tmp = tempfile::tempdir().unwrap();
    let set = tmp.path().join("SET");
    std::fs::create_dir_all(set.join("AUDIO")).unwrap();
    let wav = set.join("AUDIO/hat one.wav");
    std::fs::copy(&hats[0], &wav).unwrap();
    let frames = groovekit_audio::pcm::probe(&wav).unwrap().frames as u32;
    let mut p = Project::create(&set.join("PROJ"));
    let n = p.add_sample(&wav, SlotType::Flex, None).unwrap();
    assert_eq!(n, 1);
    assert_eq!(p.add_sample(&wav, SlotType::Static, Some(128)).unwrap(), 128);
    let s = p.settings().sample(SlotType::Flex, 1).unwrap();
    assert_eq!(s.path, b"../AUDIO/hat one.wav");
    let rec = p.markers().unwrap().record(SlotRef::Flex(1).index().unwrap());
    assert_eq!((rec.trim_start(), rec.trim_end()), (0, frames));
    assert_eq!(p.markers().unwrap().record(SlotRef::Static(128).index().unwrap()).trim_end(), frames);
    assert!(p.add_sample(&wav, SlotType::Flex, Some(129)).unwrap_err().to_string().contains("1-128"));
    for _ in 2..=128 {
        p.add_sample(&wav, SlotType::Flex, None).unwrap();
    }
    let e = p.add_sample(&wav, SlotType::Flex, None).unwrap_err().to_string();
    assert!(e.contains("all 128 flex slots are in use"), "{e}");
    assert!(p.add_sample(&set.join("AUDIO/missing.wav"), SlotType::Flex, Some(3)).is_err());
    // A new project saves the device's files, and reads back.
    let report = p.save().unwrap();
    assert!(report.written.iter().any(|f| f.ends_with("project.work")));
    assert!(report.written.iter().any(|f| f.ends_with("markers.work")));
    let mut again = Project::open(&set.join("PROJ")).unwrap();
    assert_eq!(again.samples().iter().filter(|s| s.slot_type == SlotType::Flex && s.slot <= 128).count(), 128);
    assert_eq!(again.markers().unwrap().record(SlotRef::Flex(1).index().unwrap()).trim_end(), frames);
}

/// A save writes all its files or none: a write, fsync or rename failing at any point leaves every
/// file of the project as it was (and a save that gets through writes them all, with backups).
#[test]
fn a_save_failing_part_way_changes_no_file() {
    let Some(ot) = fixtures("model_save_faults") else { return };
    let snapshot = |d: &Path| -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
        std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
            .collect()
    };
    for op in ["write", "fsync", "rename"] {
        let mut failed = 0;
        for n in 1..=30 {
            let tmp = tempfile::tempdir().unwrap();
            let dir = tmp.path().join("P");
            copy_dir(&ot.join("real-device"), &dir);
            let before = snapshot(&dir);
            let mut p = Project::open(&dir).unwrap();
            p.set_tempo(90.0).unwrap();
            let bank = p.bank_mut(1).unwrap();
            let mut step = bank.audio_step(1, 1, 3).unwrap();
            step.trig = !step.trig;
            bank.set_audio_step(1, 1, 3, &step).unwrap();
            groovekit_core::fs::failpoint::arm_thread(Some(&format!("{op}:{n}")));
            let r = p.save_with(SaveOptions { strd: true, ..SaveOptions::default() });
            groovekit_core::fs::failpoint::arm_thread(None);
            match r {
                Err(_) => {
                    failed += 1;
                    let after = snapshot(&dir);
                    let differ: Vec<_> = before
                        .keys()
                        .chain(after.keys())
                        .filter(|k| before.get(*k) != after.get(*k))
                        .map(|k| k.display().to_string())
                        .collect();
                    assert!(differ.is_empty(), "{op}:{n}: changed {differ:?}");
                }
                Ok(report) => {
                    assert_eq!(report.written.len(), 4, "{op}:{n}: project and bank01, .work and .strd");
                    assert_eq!(report.backups.len(), 3, "{op}:{n}: project.strd did not exist");
                    assert_eq!(Project::open(&dir).unwrap().tempo(), Some(90.0));
                }
            }
        }
        assert!(failed >= 4, "{op}: only {failed} fail points reached");
    }
}
