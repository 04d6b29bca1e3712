//! Fault injection on the real binary (issue 11): every multi-file command, killed at each of its
//! renames (`GROOVEKIT_FAILPOINT=abort-rename:N`) or failing at each write/fsync/rename, leaves
//! every file all old or all new — all old right after a failed run, and all old or all new once
//! the next groovekit run has recovered the folder. Also the hostile-input bounds (a WAV whose
//! `fmt ` chunk says 2^31 Hz) through `ot chain --resample` and as a `.track` asset.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn gk() -> Command {
    Command::cargo_bin("groovekit").unwrap()
}

fn fixtures(test: &str) -> Option<PathBuf> {
    groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), test)
}

/// Every regular file under `dir` (relative path -> bytes), backups and the write layer's hidden
/// files included.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// The user's files: no backups, no write-layer files.
fn user_files(s: &BTreeMap<PathBuf, Vec<u8>>) -> BTreeMap<PathBuf, Vec<u8>> {
    s.iter()
        .filter(|(k, _)| {
            let n = k.to_string_lossy();
            !n.contains(".bak") && !n.contains("groovekit-")
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn layer_files(s: &BTreeMap<PathBuf, Vec<u8>>) -> Vec<PathBuf> {
    s.keys().filter(|k| k.to_string_lossy().contains("groovekit-")).cloned().collect()
}

/// Runs `args` in `dir` with the fail point `spec`; returns whether the process succeeded.
fn run_with(args: &[&std::ffi::OsStr], spec: &str) -> (bool, String) {
    let out = gk().args(args).env("GROOVEKIT_FAILPOINT", spec).output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The fault matrix for one command. `setup` makes the old state in `root`; `args` is the
/// command; `after` is a command of the next run that touches the folder (recovery).
fn matrix(
    name: &str,
    setup: &dyn Fn(&Path),
    args: &dyn Fn(&Path) -> Vec<std::ffi::OsString>,
    next_run: &dyn Fn(&Path) -> Vec<std::ffi::OsString>,
) {
    // The new state: the command run without faults.
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path());
    let old = user_files(&snapshot(dir.path()));
    let a = args(dir.path());
    let a: Vec<&std::ffi::OsStr> = a.iter().map(|s| s.as_os_str()).collect();
    let (ok, err) = run_with(&a, "");
    assert!(ok, "{name}: the command fails without faults: {err}");
    let new = user_files(&snapshot(dir.path()));
    assert_ne!(old, new, "{name}: the command changed nothing");
    assert!(layer_files(&snapshot(dir.path())).is_empty(), "{name}: leftovers after a clean run");

    for op in ["abort-rename", "rename", "fsync", "write"] {
        let mut finished = 0;
        for n in 1..200 {
            let dir = tempfile::tempdir().unwrap();
            setup(dir.path());
            let a = args(dir.path());
            let a: Vec<&std::ffi::OsStr> = a.iter().map(|s| s.as_os_str()).collect();
            let (ok, err) = run_with(&a, &format!("{op}:{n}"));
            let after = user_files(&snapshot(dir.path()));
            if ok {
                assert_eq!(after, new, "{name} {op}:{n}: succeeded but not all new");
                finished = n;
                break;
            }
            if op != "abort-rename" {
                assert_eq!(after, old, "{name} {op}:{n}: failed run changed files ({err})");
                assert!(
                    layer_files(&snapshot(dir.path())).is_empty(),
                    "{name} {op}:{n}: failed run left {:?}",
                    layer_files(&snapshot(dir.path()))
                );
            }
            // The next run recovers.
            let r = next_run(dir.path());
            let out = gk().args(&r).output().unwrap();
            let notes = String::from_utf8_lossy(&out.stderr).into_owned();
            let after = user_files(&snapshot(dir.path()));
            assert!(after == old || after == new, "{name} {op}:{n}: mixed after recovery ({notes})");
            let left = layer_files(&snapshot(dir.path()));
            assert!(left.is_empty(), "{name} {op}:{n}: leftovers after recovery: {left:?} ({notes})");
            if after == new {
                assert!(notes.contains("finished an interrupted write"), "{name} {op}:{n}: {notes}");
            }
        }
        assert!(finished > 0, "{name} {op}: never succeeded");
    }
}

fn os(v: &[&dyn AsRef<std::ffi::OsStr>]) -> Vec<std::ffi::OsString> {
    v.iter().map(|s| s.as_ref().to_os_string()).collect()
}

#[test]
fn new_project_force_is_all_or_nothing() {
    let setup = |root: &Path| {
        let p = root.join("PROJECT");
        gk().args(["ot", "new-project"]).arg(&p).assert().success();
        // The old state: every file edited (so old and new differ byte for byte).
        for e in std::fs::read_dir(&p).unwrap().flatten() {
            let mut b = std::fs::read(e.path()).unwrap();
            b.extend_from_slice(b"old");
            std::fs::write(e.path(), b).unwrap();
        }
    };
    matrix(
        "ot new-project --force",
        &setup,
        &|root| os(&[&"ot", &"new-project", &"--force", &root.join("PROJECT")]),
        &|root| os(&[&"verify", &root.join("PROJECT")]),
    );
}

#[test]
fn chain_wav_and_ot_are_all_or_nothing() {
    let Some(fx) = fixtures("chain_wav_and_ot_are_all_or_nothing") else { return };
    let hats = groovekit_core::fixtures::files_under(&fx.join("audio/hats"), &|p| {
        p.extension().is_some_and(|e| e.eq_ignore_ascii_case("wav"))
    });
    assert!(hats.len() >= 4);
    let (first, more) = (hats[..2].to_vec(), hats[..4].to_vec());
    let setup = move |root: &Path| {
        gk().args(["ot", "chain", "hats", "-o"]).arg(root.join("out")).args(&first).assert().success();
    };
    matrix(
        "ot chain",
        &setup,
        &|root| {
            let mut v = os(&[&"ot", &"chain", &"hats", &"--bpm", &"90", &"-o", &root.join("out")]);
            v.extend(more.iter().map(|p| p.as_os_str().to_os_string()));
            v
        },
        &|root| os(&[&"ot", &"slices", &root.join("out/hats.ot")]),
    );
}

/// A copy of a fixture WAV whose `fmt ` sample rate says 2^31 Hz.
fn hostile_wav(src: &Path) -> Vec<u8> {
    let mut b = std::fs::read(src).unwrap();
    let at = b.windows(4).position(|w| w == b"fmt ").expect("fmt chunk") + 12;
    b[at..at + 4].copy_from_slice(&(1u32 << 31).to_le_bytes());
    b
}

#[test]
fn hostile_sample_rate_in_chain_resample_is_refused_with_its_offset() {
    let Some(fx) = fixtures("hostile_sample_rate_in_chain_resample") else { return };
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.wav");
    std::fs::write(&bad, hostile_wav(&fx.join("track/assets/hihat.wav"))).unwrap();
    let out =
        gk().args(["ot", "chain", "x", "--resample", "-o"]).arg(dir.path().join("out")).arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2147483648 Hz") && err.contains("rate field at byte"), "{err}");
    assert!(!dir.path().join("out").exists(), "output folder created by a failed chain");
}

#[test]
fn hostile_sample_rate_as_a_track_asset_is_refused() {
    let Some(fx) = fixtures("hostile_sample_rate_as_a_track_asset") else { return };
    let dir = tempfile::tempdir().unwrap();
    let song = dir.path().join("kick_snare.track");
    std::fs::copy(fx.join("track/kick_snare.track"), &song).unwrap();
    std::fs::create_dir(dir.path().join("assets")).unwrap();
    for e in std::fs::read_dir(fx.join("track/assets")).unwrap().flatten() {
        std::fs::write(dir.path().join("assets").join(e.file_name()), hostile_wav(&e.path())).unwrap();
    }
    let wav = dir.path().join("out.wav");
    let out = gk().arg("render").arg(&song).arg("-o").arg(&wav).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("2147483648 Hz"), "{err}");
    assert!(!wav.exists());
}

/// A copy of a fixture bank with one pattern byte changed, so its checksum no longer matches.
fn bank_with_wrong_checksum(src: &Path, at: usize) -> Vec<u8> {
    let mut b = std::fs::read(src).unwrap();
    b[at] ^= 0x01;
    b
}

#[test]
fn verify_fix_of_a_folder_repairs_every_file_or_none() {
    let Some(fx) = fixtures("verify_fix_of_a_folder_repairs_every_file_or_none") else { return };
    let blank = fx.join("octatrack/blank-project");
    // A folder that is no project: two banks with wrong checksums, checked file by file.
    let setup = |root: &Path| {
        let d = root.join("BANKS");
        std::fs::create_dir(&d).unwrap();
        std::fs::write(d.join("bank01.work"), bank_with_wrong_checksum(&blank.join("bank01.work"), 1000)).unwrap();
        std::fs::write(d.join("bank02.work"), bank_with_wrong_checksum(&blank.join("bank02.work"), 2000)).unwrap();
    };
    matrix(
        "verify --fix (folder of banks)",
        &setup,
        &|root| os(&[&"verify", &"--fix", &root.join("BANKS")]),
        &|root| os(&[&"verify", &root.join("BANKS")]),
    );
}

#[test]
fn verify_fix_of_a_project_repairs_every_file_or_none() {
    let Some(fx) = fixtures("verify_fix_of_a_project_repairs_every_file_or_none") else { return };
    let blank = fx.join("octatrack/blank-project");
    // A whole project (checked as one by the Octatrack library): two banks and the markers wrong.
    let setup = |root: &Path| {
        let d = root.join("PROJECT");
        std::fs::create_dir(&d).unwrap();
        for e in std::fs::read_dir(&blank).unwrap().flatten() {
            // Read and written (not copied): the fixtures are read-only, the copies must not be.
            std::fs::write(d.join(e.file_name()), std::fs::read(e.path()).unwrap()).unwrap();
        }
        for (name, at) in [("bank03.work", 3000), ("bank16.work", 500), ("markers.work", 100)] {
            std::fs::write(d.join(name), bank_with_wrong_checksum(&blank.join(name), at)).unwrap();
        }
    };
    matrix("verify --fix (project)", &setup, &|root| os(&[&"verify", &"--fix", &root.join("PROJECT")]), &|root| {
        os(&[&"verify", &root.join("PROJECT")])
    });
}

#[test]
fn okt_dump_document_and_samples_are_all_or_nothing() {
    let Some(fx) = fixtures("okt_dump_document_and_samples_are_all_or_nothing") else { return };
    let (first, second) = (fx.join("okt/demosong_1.okta"), fx.join("okt/demosong_2.okta"));
    // The old state: a dump of another module (its document and its sample files).
    let setup = move |root: &Path| {
        gk().arg("dump").arg(&first).arg("-o").arg(root.join("song.yaml")).assert().success();
    };
    matrix(
        "dump MODULE -o DOC.yaml",
        &setup,
        &|root| os(&[&"dump", &second, &"-o", &root.join("song.yaml")]),
        &|root| os(&[&"verify", &root]),
    );
}

#[test]
fn opz_kit_dump_document_and_audio_are_all_or_nothing() {
    let Some(fx) = fixtures("opz_kit_dump_document_and_audio_are_all_or_nothing") else { return };
    let (first, second) =
        (fx.join("opz/samplepacks/perc-kick076_patch.aif"), fx.join("opz/samplepacks/kick-combo_patch.aif"));
    // The old state: a dump of the other kit (its document and its audio files).
    let setup = move |root: &Path| {
        gk().arg("dump").arg(&first).arg("-o").arg(root.join("kit.yaml")).assert().success();
    };
    matrix(
        "dump KIT.aif -o DOC.yaml",
        &setup,
        &|root| os(&[&"dump", &second, &"-o", &root.join("kit.yaml")]),
        &|root| os(&[&"verify", &root]),
    );
}
