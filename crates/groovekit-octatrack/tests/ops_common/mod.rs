//! Helpers shared by the `ops_*` tests: fixture projects copied into temp Sets, WAVs written for
//! every slot path, snapshots of whole trees, and "what does every reference of a bank play".
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use groovekit_octatrack::model::project::{Project, SampleSlot, SlotType};
use groovekit_octatrack::ops::new_project::{NewProjectOptions, new_project};
use groovekit_octatrack::ops::project_dir::{ProjectDir, State};
use groovekit_octatrack::ops::refs::{Site, bank_refs};

/// The fixtures folder, or `None` (the test then returns; `CI=true` makes that a failure).
pub fn fixtures(test: &str) -> Option<PathBuf> {
    groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), test)
}

/// Copies every file of `from` (not recursive) into `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// A small WAV (44.1 kHz mono 16-bit) whose samples depend on `seed`, `frames` long.
pub fn wav(seed: &[u8], frames: usize) -> Vec<u8> {
    let h = blake3::hash(seed);
    let data: Vec<u8> = (0..frames * 2).map(|i| h.as_bytes()[i % 32] ^ (i / 32) as u8).collect();
    let mut v = Vec::new();
    v.extend_from_slice(b"RIFF");
    v.extend_from_slice(&(36 + data.len() as u32).to_le_bytes());
    v.extend_from_slice(b"WAVEfmt ");
    v.extend_from_slice(&16u32.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&44_100u32.to_le_bytes());
    v.extend_from_slice(&88_200u32.to_le_bytes());
    v.extend_from_slice(&2u16.to_le_bytes());
    v.extend_from_slice(&16u16.to_le_bytes());
    v.extend_from_slice(b"data");
    v.extend_from_slice(&(data.len() as u32).to_le_bytes());
    v.extend_from_slice(&data);
    v
}

/// Writes a WAV (content from the path text) for every slot path of the project in `dir` that
/// does not exist yet, and an `.ot`-named companion for every other one (to see `.ot` follow).
pub fn write_wavs(dir: &Path) -> usize {
    let p = ProjectDir::open(dir).unwrap();
    let mut n = 0;
    for (i, s) in p.project.samples().iter().enumerate() {
        let Some(f) = p.sample_path(s) else { continue };
        if f.exists() {
            continue;
        }
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(&f, wav(&s.path, 300 + i)).unwrap();
        if i % 2 == 0 {
            std::fs::write(f.with_extension("ot"), format!("ot of {}", s.path_lossy())).unwrap();
        }
        n += 1;
    }
    n
}

/// Every file under `root` with its bytes.
pub fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(root).unwrap().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect()
}

/// What one reference plays: the content hash of the slot's file (`None`: empty slot) and the
/// slot's settings.
pub type Plays = (Option<[u8; 32]>, String);

/// What every reference of bank `n` of the project in `dir` plays, by site and type.
pub fn plays(dir: &Path, n: usize, state: State) -> BTreeMap<(Site, SlotType), Plays> {
    let p = ProjectDir::open(dir).unwrap();
    let project = if state == State::Strd {
        p.read_project_strd().unwrap().unwrap_or(p.project.clone())
    } else {
        p.project.clone()
    };
    let bank = p.read_bank(n, state).unwrap().unwrap();
    bank_refs(&bank)
        .uses
        .iter()
        .map(|u| {
            let what = if u.slot_type == SlotType::Flex && u.slot > 128 {
                (None, format!("recorder {}", u.slot))
            } else {
                match project.sample(u.slot_type, u.slot).filter(|s| !s.path.is_empty()) {
                    Some(s) => {
                        let f = p.sample_path(&s).unwrap();
                        let bytes = std::fs::read(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
                        (Some(*blake3::hash(&bytes).as_bytes()), settings(&s))
                    }
                    None => (None, String::new()),
                }
            };
            ((u.site, u.slot_type), what)
        })
        .collect()
}

fn settings(s: &SampleSlot) -> String {
    format!("{:?} {:?} {:?} {:?} {:?}", s.timing, s.tsmode, s.loopmode, s.gain, s.trig_quantization)
}

/// A new blank project at `dir` (the device's OS 1.40B blank project).
pub fn blank_project(dir: &Path) {
    new_project(dir, NewProjectOptions::default()).unwrap();
}

/// Edits `project.work` of `dir`.
pub fn edit_project(dir: &Path, f: impl FnOnce(&mut Project)) {
    let path = dir.join("project.work");
    let mut p = Project::parse(&std::fs::read(&path).unwrap()).unwrap();
    f(&mut p);
    std::fs::write(&path, p.to_bytes()).unwrap();
}

/// A blank project whose Flex and Static slots 1..=`slots` all name `../AUDIO/dense/TYPE-NNN.wav`,
/// with those WAVs written (the dense sources of the copy tests).
pub fn blank_project_with_dense_slots(dir: &Path, slots: u16) {
    blank_project(dir);
    edit_project(dir, |p| {
        for t in [SlotType::Flex, SlotType::Static] {
            for s in 1..=slots {
                p.set_sample(&groovekit_octatrack::model::project::SampleSlot::new(
                    t,
                    s,
                    format!("../AUDIO/dense/{}-{s:03}.wav", t.describe()).into_bytes(),
                ))
                .unwrap();
            }
        }
    });
    write_wavs(dir);
}

/// Adds slot `slot` of `slot_type` with `path` (relative to the project) and writes its WAV.
pub fn add_sample(dir: &Path, slot_type: SlotType, slot: u16, path: &str, content: &[u8]) {
    edit_project(dir, |p| p.set_sample(&SampleSlot::new(slot_type, slot, path.as_bytes().to_vec())).unwrap());
    let f = groovekit_octatrack::ops::project_dir::resolve(dir, path.as_bytes());
    std::fs::create_dir_all(f.parent().unwrap()).unwrap();
    std::fs::write(f, content).unwrap();
}

/// Runs `test` with a fresh tmpfs of `size` (e.g. `"2m"`) mounted at a folder of `tmp`, then
/// unmounts it (also when `test` panics, whose panic is then passed on). Returns false, having run
/// nothing, where the test may not mount one (not root): full-disk tests skip there.
pub fn with_small_tmpfs(tmp: &Path, size: &str, test: impl FnOnce(&Path) + std::panic::UnwindSafe) -> bool {
    let mnt = tmp.join("mnt");
    std::fs::create_dir_all(&mnt).unwrap();
    let ok = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(&mnt)
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("skipping: cannot mount a tmpfs here");
        return false;
    }
    let result = std::panic::catch_unwind(|| test(&mnt));
    let _ = std::process::Command::new("umount").arg(&mnt).status();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
    true
}
