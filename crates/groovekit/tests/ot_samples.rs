//! The `groovekit` CLI on `.ot` files, sample chains, splits, grids, previews and the audio scan,
//! against the fixture corpus and copies in temp dirs.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use groovekit_octatrack::model::sample_settings::SampleSettings;
use predicates::prelude::*;

fn fixtures(test: &str) -> Option<PathBuf> {
    groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), test)
}

fn gk() -> Command {
    Command::cargo_bin("groovekit").unwrap()
}

fn flat(stderr: &[u8]) -> String {
    let s = String::from_utf8_lossy(stderr).replace(['│', '×'], " ");
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn hats(fx: &Path) -> Vec<PathBuf> {
    groovekit_core::fixtures::files_under(&fx.join("audio/hats"), &|p| {
        p.extension().is_some_and(|e| e.eq_ignore_ascii_case("wav"))
    })
}

fn list(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|r| r.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn ot_inspect_dump_build_verify_diff() {
    let Some(fx) = fixtures("ot cli") else { return };
    let files =
        groovekit_core::fixtures::files_under(&fx.join("octatrack"), &|p| p.extension().is_some_and(|e| e == "ot"));
    assert!(files.len() >= 14);
    let dir = tempfile::tempdir().unwrap();
    for f in &files {
        for format in ["yaml", "json"] {
            let doc = dir.path().join(format!("d.{format}"));
            gk().args(["dump", "--format", format, "-o"]).arg(&doc).arg(f).assert().success();
            let out = dir.path().join("rebuilt.ot");
            gk().arg("build").arg(&doc).arg("-o").arg(&out).assert().success();
            assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(f).unwrap(), "{}", f.display());
        }
        gk().arg("verify").arg(f).assert().success();
    }
    let sliced = fx.join("octatrack/chain/sliced.ot");
    gk().arg("inspect")
        .arg(&sliced)
        .assert()
        .success()
        .stdout(predicate::str::contains("120 BPM").and(predicate::str::contains("10 slices")));
    let json = gk().args(["inspect", "--json"]).arg(&sliced).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["slices"].as_array().unwrap().len(), 10);
    assert_eq!(v["checksum"]["valid"], true);
    // diff: the demo set's chain.ot differs from sliced.ot in tempo, gain and trig quantization.
    let out =
        gk().arg("diff").arg(&sliced).arg(fx.join("octatrack/demo-set/DEMO-SET-1/AUDIO/chain.ot")).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "diff exits 1 when the files differ");
    // In the units musicians read (issue 24).
    assert!(text.contains("tempo 120 BPM -> 125 BPM"), "{text}");
    assert!(text.contains("gain 24 dB -> 0 dB"), "{text}");
    assert!(!text.contains("slices"), "{text}");
}

#[test]
fn verify_fix_rewrites_a_bad_checksum_after_a_backup() {
    let Some(fx) = fixtures("ot verify fix") else { return };
    let dir = tempfile::tempdir().unwrap();
    let orig = std::fs::read(fx.join("octatrack/sample-settings/4slices.ot")).unwrap();
    let mut bad = orig.clone();
    bad[830] ^= 0xFF;
    let p = dir.path().join("x.ot");
    std::fs::write(&p, &bad).unwrap();
    gk().arg("verify").arg(&p).assert().code(1).stdout(predicate::str::contains("checksum mismatch"));
    gk().args(["verify", "--fix"]).arg(&p).assert().success().stdout(predicate::str::contains("backup"));
    assert_eq!(std::fs::read(&p).unwrap(), orig);
    assert_eq!(std::fs::read(dir.path().join("x.ot.bak")).unwrap(), bad);
    // A truncated .ot is a problem with its size named.
    std::fs::write(&p, &orig[..400]).unwrap();
    gk().arg("verify").arg(&p).assert().code(1).stdout(predicate::str::contains("truncated"));
}

#[test]
fn chain_split_slices_preview_end_to_end() {
    let Some(fx) = fixtures("ot chain cli") else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    gk().args(["ot", "chain", "hats", "-o"])
        .arg(&out)
        .args(hats(&fx))
        .args(["--bpm", "125", "--gain", "-3", "--trig-quant", "16"])
        .assert()
        .success()
        .stderr(predicate::str::contains("10 slices"));
    assert_eq!(list(&out), vec!["hats.ot", "hats.wav"]);
    // The octatools fixture chain was made from the same hats, in name order: our audio is
    // byte-identical to it, and our slices are its slices.
    assert_eq!(
        std::fs::read(out.join("hats.wav")).unwrap(),
        std::fs::read(fx.join("octatrack/chain/sliced.wav")).unwrap()
    );
    let ours = SampleSettings::from_bytes(&std::fs::read(out.join("hats.ot")).unwrap()).unwrap();
    let theirs = SampleSettings::from_bytes(&std::fs::read(fx.join("octatrack/chain/sliced.ot")).unwrap()).unwrap();
    assert_eq!(ours.slices, theirs.slices);
    assert_eq!((ours.tempo_x24, ours.gain, ours.trig_quant.to_raw()), (3000, 42, Some(8)));
    // 55 897 frames at 125 BPM: 2.64 beats → 3 → 75.
    assert_eq!(ours.trim_length_x100, 75);

    let json = gk().args(["ot", "slices", "--json"]).arg(out.join("hats.ot")).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 10);
    assert_eq!(v[1]["start"], 21960);

    let parts = dir.path().join("parts");
    gk().args(["ot", "split"]).arg(out.join("hats.wav")).arg("-o").arg(&parts).assert().success();
    let names = list(&parts);
    assert_eq!(names.len(), 10);
    assert_eq!(names[0], "hats-01.wav");
    for (name, h) in names.iter().zip(hats(&fx)) {
        let a: Vec<i16> = hound::WavReader::open(parts.join(name)).unwrap().samples().map(|s| s.unwrap()).collect();
        let b: Vec<i16> = hound::WavReader::open(&h).unwrap().samples().map(|s| s.unwrap()).collect();
        assert_eq!(a, b, "{name}");
    }

    for ext in ["png", "svg"] {
        let pic = dir.path().join(format!("p.{ext}"));
        gk().args(["ot", "chain-preview"]).arg(out.join("hats.wav")).arg("-o").arg(&pic).assert().success();
        let bytes = std::fs::read(&pic).unwrap();
        if ext == "png" {
            assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        } else {
            let svg = String::from_utf8(bytes).unwrap();
            assert!(svg.contains(">10</text>"), "slice 10 is labelled");
        }
    }
    gk().args(["ot", "chain-preview"])
        .arg(out.join("hats.wav"))
        .arg("-o")
        .arg(dir.path().join("p.jpg"))
        .assert()
        .code(1);
}

#[test]
fn chain_errors_leave_the_output_empty() {
    let Some(fx) = fixtures("ot chain errors") else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let bad = dir.path().join("bad.wav");
    std::fs::write(&bad, b"RIFF\x04\0\0\0WAVE").unwrap();
    let mut files = hats(&fx);
    files.push(bad.clone());
    let a = gk().args(["ot", "chain", "x", "-o"]).arg(&out).args(&files).assert().code(1);
    let err = flat(&a.get_output().stderr);
    assert!(err.contains("bad.wav") && err.contains("nothing was written"), "{err}");
    assert!(list(&out).is_empty());
    // A 48 kHz file is refused, naming the file and the fix.
    let a = gk().args(["ot", "chain", "x", "-o"]).arg(&out).arg(fx.join("track/assets/hihat.wav")).assert().code(1);
    let err = flat(&a.get_output().stderr);
    assert!(err.contains("hihat.wav") && err.contains("48000 Hz") && err.contains("--resample"), "{err}");
    assert!(list(&out).is_empty());
    // Usage errors exit 2.
    gk().args(["ot", "chain", "x"]).assert().code(2);
    gk().args(["ot", "chain", "x", "-o"]).arg(&out).args(hats(&fx)).args(["--bit-depth", "12"]).assert().code(2);
    // --dry-run writes nothing.
    gk().args(["ot", "chain", "x", "--dry-run", "-o"]).arg(&out).args(hats(&fx)).assert().success();
    assert!(list(&out).is_empty());
}

#[test]
fn chain_config_and_grid_and_find_audio() {
    let Some(fx) = fixtures("ot config") else { return };
    let dir = tempfile::tempdir().unwrap();
    let h = hats(&fx);
    let cfg = format!(
        "output: chains\ndefaults:\n  bpm: 100\nchains:\n  - name: first\n    files: [{:?}, {:?}]\n  - name: second\n    files: [{:?}]\n    options:\n      loop: ping-pong\n",
        h[0], h[1], h[2]
    );
    let cfg_path = dir.path().join("chains.yaml");
    std::fs::write(&cfg_path, cfg).unwrap();
    gk().args(["ot", "chain", "--config"]).arg(&cfg_path).assert().success();
    let chains = dir.path().join("chains");
    assert_eq!(list(&chains), vec!["first.ot", "first.wav", "second.ot", "second.wav"]);
    let second = SampleSettings::from_bytes(&std::fs::read(chains.join("second.ot")).unwrap()).unwrap();
    assert_eq!(second.tempo_x24, 2400);
    assert_eq!(second.loop_mode.to_raw(), 2);

    // grid: a copy of a hat gets a linear grid, then a seeded random one (after a backup).
    let wav = dir.path().join("hat.wav");
    std::fs::copy(&h[0], &wav).unwrap();
    gk().args(["ot", "grid", "linear"]).arg(&wav).arg("4").assert().success();
    let s = SampleSettings::from_bytes(&std::fs::read(dir.path().join("hat.ot")).unwrap()).unwrap();
    assert_eq!(s.slices.iter().map(|x| x.start).collect::<Vec<_>>(), vec![0, 5490, 10980, 16470]);
    gk().args(["ot", "grid", "random", "--seed", "7"]).arg(&wav).arg("8").assert().success();
    let r = SampleSettings::from_bytes(&std::fs::read(dir.path().join("hat.ot")).unwrap()).unwrap();
    assert_eq!(r.slices.len(), 8);
    assert!(r.slices.iter().all(|x| x.len() >= 128));
    assert!(dir.path().join("hat.ot.bak").exists());
    let before = std::fs::read(dir.path().join("hat.ot")).unwrap();
    gk().args(["ot", "grid", "linear", "--dry-run"]).arg(&wav).arg("2").assert().success();
    assert_eq!(std::fs::read(dir.path().join("hat.ot")).unwrap(), before);
    // An argument out of its range is a usage error (issue 12): exit 2.
    gk().args(["ot", "grid", "linear"]).arg(&wav).arg("65").assert().code(2);

    // find-audio: case-insensitive extensions, reasons for the unusable.
    let scan = dir.path().join("scan");
    std::fs::create_dir_all(scan.join("sub")).unwrap();
    std::fs::copy(&h[0], scan.join("UPPER.WAV")).unwrap();
    std::fs::copy(fx.join("track/assets/hihat.wav"), scan.join("sub/hihat.Wav")).unwrap();
    std::fs::write(scan.join("broken.aif"), b"FORM").unwrap();
    std::fs::write(scan.join("notes.txt"), b"not audio").unwrap();
    let out = gk().args(["ot", "find-audio", "--json"]).arg(&scan).output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 3, "{v}");
    let by_name = |n: &str| items.iter().find(|i| i["path"].as_str().unwrap().ends_with(n)).unwrap().clone();
    assert_eq!(by_name("UPPER.WAV")["usable"], true);
    assert_eq!(by_name("hihat.Wav")["usable"], false);
    assert!(by_name("hihat.Wav")["reasons"][0].as_str().unwrap().contains("48000"));
    assert!(by_name("broken.aif")["reasons"][0].as_str().unwrap().contains("unreadable"));
}
