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

/// The user's files: no backups (`NAME.bak`, project `backups/` folders, whose names hold the
/// time), no write-layer files.
fn user_files(s: &BTreeMap<PathBuf, Vec<u8>>) -> BTreeMap<PathBuf, Vec<u8>> {
    s.iter()
        .filter(|(k, _)| {
            let n = k.to_string_lossy();
            !n.contains(".bak") && !n.contains("groovekit-") && !k.components().any(|c| c.as_os_str() == "backups")
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// The write layer's own files, and project backup folders without a manifest (an operation
/// that never happened must leave no backup folder).
fn layer_files(s: &BTreeMap<PathBuf, Vec<u8>>) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = s.keys().filter(|k| k.to_string_lossy().contains("groovekit")).cloned().collect();
    for k in s.keys() {
        let parts: Vec<_> = k.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        if let Some(i) = parts.iter().position(|c| c == "backups")
            && parts.len() > i + 2
        {
            let folder: PathBuf = parts[..i + 2].iter().collect();
            if !s.contains_key(&folder.join("manifest.json")) && !v.contains(&folder) {
                v.push(folder);
            }
        }
    }
    v
}

/// Empty folders under `dir` other than the ones `keep` names (a crash must not leave the
/// folders it created).
fn empty_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else { continue };
        let mut any = false;
        for e in rd.flatten() {
            any = true;
            if e.path().is_dir() {
                stack.push(e.path());
            }
        }
        if !any && d != dir {
            out.push(d.strip_prefix(dir).unwrap().to_path_buf());
        }
    }
    out
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

    let empty_before = {
        let dir = tempfile::tempdir().unwrap();
        setup(dir.path());
        empty_dirs(dir.path())
    };
    for op in ["abort-rename", "abort-write", "rename", "fsync", "write", "unlink"] {
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
            let cleanup_failed = op == "unlink" && after == new;
            if cleanup_failed {
                // The write is complete; its clean-up failed: said, with exit 1.
                assert!(err.contains("clean-up failed"), "{name} {op}:{n}: {err}");
            } else if !op.starts_with("abort") {
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
            let empty: Vec<_> = empty_dirs(dir.path()).into_iter().filter(|d| !empty_before.contains(d)).collect();
            assert!(after == new || empty.is_empty(), "{name} {op}:{n}: folders left: {empty:?} ({notes})");
            if cleanup_failed {
                assert!(!notes.contains("finished an interrupted write"), "{name} {op}:{n}: false note: {notes}");
            } else if after == new {
                let said = notes.contains("finished an interrupted write") || notes.contains("removed");
                assert!(said, "{name} {op}:{n}: all new after a failed run, and no note: {notes}");
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

/// The bank-copy source in a Set with its four samples (`SET/SRC`, `SET/AUDIO`), and a new
/// project in another Set (`OTHER/NEW`).
fn copy_scene(fx: &Path, root: &Path) {
    let src = root.join("SET/SRC");
    std::fs::create_dir_all(&src).unwrap();
    for e in std::fs::read_dir(fx.join("octatrack/bank-copy/BANK-COPY-SRC")).unwrap().flatten() {
        std::fs::write(src.join(e.file_name()), std::fs::read(e.path()).unwrap()).unwrap();
    }
    std::fs::create_dir_all(root.join("SET/AUDIO")).unwrap();
    for (i, n) in ["first-0", "second-0", "fourth-0", "fifth-0"].iter().enumerate() {
        std::fs::write(root.join(format!("SET/AUDIO/{n}.wav")), vec![i as u8; 100_000 + i]).unwrap();
    }
    gk().args(["ot", "new-project"]).arg(root.join("OTHER/NEW")).assert().success();
}

fn only_backup(project: &Path) -> PathBuf {
    let mut v: Vec<PathBuf> = std::fs::read_dir(project.join("backups")).unwrap().flatten().map(|e| e.path()).collect();
    v.sort();
    assert_eq!(v.len(), 1, "{v:?}");
    v.remove(0)
}

#[test]
fn restore_is_all_or_nothing() {
    let Some(fx) = fixtures("restore_is_all_or_nothing") else { return };
    // The old state: a bank copied with its four samples; the command restores it (the bank back
    // to blank, the samples removed: writes and removals in one transaction).
    let setup = move |root: &Path| {
        copy_scene(&fx, root);
        gk().args(["ot", "copy-bank"])
            .arg(format!("{}:1", root.join("SET/SRC").display()))
            .arg(format!("{}:2", root.join("OTHER/NEW").display()))
            .assert()
            .success();
    };
    matrix("ot restore", &setup, &|root| os(&[&"ot", &"restore", &only_backup(&root.join("OTHER/NEW"))]), &|root| {
        os(&[&"verify", &root.join("OTHER/NEW")])
    });
}

#[test]
fn copy_bank_to_pool_is_all_or_nothing() {
    let Some(fx) = fixtures("copy_bank_to_pool_is_all_or_nothing") else { return };
    let setup = move |root: &Path| copy_scene(&fx, root);
    matrix(
        "ot copy-bank --to-pool",
        &setup,
        &|root| {
            os(&[
                &"ot",
                &"copy-bank",
                &"--to-pool",
                &format!("{}:1", root.join("SET/SRC").display()),
                &format!("{}:2", root.join("OTHER/NEW").display()),
            ])
        },
        // The next command looks at the Set only: the staging record and journal are there.
        &|root| os(&[&"verify", &root.join("OTHER")]),
    );
}

#[test]
fn unzip_into_a_set_is_all_or_nothing() {
    let Some(fx) = fixtures("unzip_into_a_set_is_all_or_nothing") else { return };
    // One archive for every trial (an archive records the time it was made).
    let made = tempfile::tempdir().unwrap();
    copy_scene(&fx, made.path());
    gk().args(["ot", "zip"])
        .arg(made.path().join("SET/SRC"))
        .arg("-o")
        .arg(made.path().join("src.zip"))
        .assert()
        .success();
    let zip = std::fs::read(made.path().join("src.zip")).unwrap();
    let setup = move |root: &Path| {
        std::fs::write(root.join("src.zip"), &zip).unwrap();
        std::fs::create_dir_all(root.join("CARD")).unwrap();
    };
    matrix("ot unzip", &setup, &|root| os(&[&"ot", &"unzip", &root.join("src.zip"), &root.join("CARD")]), &|root| {
        os(&[&"verify", &root.join("CARD")])
    });
}
