//! `groovekit` on Oktalyzer modules: inspect, verify, dump/build round trips, render, samples,
//! trace, and bad input.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn gk() -> Command {
    Command::cargo_bin("groovekit").unwrap()
}

fn okt_dir(test: &str) -> Option<PathBuf> {
    Some(groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), test)?.join("okt"))
}

fn modules(dir: &Path) -> Vec<PathBuf> {
    let v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "okta" || e == "okt" || e == "okt2"))
        .collect();
    assert!(v.len() >= 11, "expected the 11 well-formed modules in {}", dir.display());
    v
}

#[test]
fn dump_then_build_is_byte_identical_for_every_module_in_yaml_and_json() {
    let Some(dir) = okt_dir("dump_then_build_is_byte_identical_for_every_module_in_yaml_and_json") else { return };
    let tmp = tempfile::tempdir().unwrap();
    for m in modules(&dir) {
        let original = std::fs::read(&m).unwrap();
        for (fmt, ext) in [("yaml", "yaml"), ("json", "json")] {
            let name = m.file_name().unwrap().to_string_lossy().into_owned();
            let doc = tmp.path().join(format!("{name}.{ext}"));
            gk().args(["dump", "--format", fmt, "-o"]).arg(&doc).arg(&m).assert().success();
            let text = std::fs::read_to_string(&doc).unwrap();
            assert!(text.contains("oktalyzer-module"), "{name}");
            // Sample data lives beside the document, not in it.
            assert!(tmp.path().join(format!("{name}.{ext}.samples")).is_dir());
            assert!(
                !text.lines().any(|l| l.trim_start().starts_with("hex:") || l.trim_start().starts_with("\"hex\":")),
                "{name}: the document should not carry the sample data"
            );
            let out = tmp.path().join(format!("{name}.{ext}.built"));
            gk().arg("build").arg(&doc).arg("-o").arg(&out).assert().success();
            assert_eq!(std::fs::read(&out).unwrap(), original, "{name} via {fmt}");
        }
    }
}

#[test]
fn dump_to_stdout_keeps_data_inline_and_builds_back() {
    let Some(dir) = okt_dir("dump_to_stdout_keeps_data_inline_and_builds_back") else { return };
    let m = dir.join("lame_d-mo.okta");
    let out = gk().arg("dump").arg(&m).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("kind: oktalyzer-module"));
    // Readable pattern rows.
    assert!(text.lines().any(|l| l.contains(" | ") && l.contains("-")), "no pattern rows");
    let tmp = tempfile::tempdir().unwrap();
    let doc = tmp.path().join("d.yaml");
    std::fs::write(&doc, &text).unwrap();
    let built = tmp.path().join("d.okta");
    gk().arg("build").arg(&doc).arg("-o").arg(&built).assert().success();
    assert_eq!(std::fs::read(&built).unwrap(), std::fs::read(&m).unwrap());
    // A damaged cell gives an error with its place in the document.
    let bad = text.replacen(" | ", " | Q-9 00 000 x ", 1);
    std::fs::write(&doc, bad).unwrap();
    gk().arg("build").arg(&doc).arg("-o").arg(&built).assert().code(1).stderr(predicate::str::contains("patterns[0]"));
}

#[test]
fn inspect_and_verify_every_module() {
    let Some(dir) = okt_dir("inspect_and_verify_every_module") else { return };
    for m in modules(&dir) {
        gk().arg("inspect")
            .arg(&m)
            .assert()
            .success()
            .stdout(predicate::str::contains("channels:").and(predicate::str::contains("order (")));
        let out = gk().args(["inspect", "--json"]).arg(&m).output().unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["kind"], "oktalyzer-module");
        assert!(v["duration_seconds"].as_f64().unwrap() > 30.0);
        gk().arg("verify").arg(&m).assert().code(predicate::in_iter([0, 1]));
    }
    // lame_d-mo is clean: verify passes.
    gk().arg("verify").arg(dir.join("lame_d-mo.okta")).assert().success();
    let out = gk().args(["inspect", "--json"]).arg(dir.join("demosong_1.okta")).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["channels"], 6);
    assert_eq!(v["speed"], 6);
    // openmpt123 --info says 03:12.000: 9600 ticks at 50 Hz.
    assert_eq!(v["duration_seconds_players"], 192.0);
    // The original plays row -1 first (6 ticks) and ticks at the PAL frame rate.
    let original = (9600.0 + 6.0) * 71_051.0 / 3_546_895.0;
    assert!((v["duration_seconds"].as_f64().unwrap() - original).abs() < 1e-9);
}

#[test]
fn malformed_modules_are_reported_not_panicked_on() {
    let Some(dir) = okt_dir("malformed_modules_are_reported_not_panicked_on") else { return };
    let tmp = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(dir.join("malformed")).unwrap() {
        let p = e.unwrap().path();
        gk().arg("inspect").arg(&p).assert().success().stdout(predicate::str::contains("warning at byte"));
        let wav = tmp.path().join(format!("{}.wav", p.file_name().unwrap().to_string_lossy()));
        if p.file_name().unwrap() == "load_okt_sbod_leak.okt" {
            // SBODs but no pattern: nothing to render is an error, and no 44-byte WAV is left.
            let err = gk()
                .args(["render", "--rate", "8000", "-o"])
                .arg(&wav)
                .arg(&p)
                .assert()
                .code(1)
                .get_output()
                .stderr
                .clone();
            // miette wraps at 80 columns, where depends on the fixture path: read it unwrapped.
            let flat =
                String::from_utf8_lossy(&err).split_whitespace().filter(|w| *w != "│").collect::<Vec<_>>().join(" ");
            assert!(flat.contains("nothing to render"), "{flat}");
            assert!(!wav.exists());
        } else {
            gk().args(["render", "--rate", "8000", "-o"]).arg(&wav).arg(&p).assert().success();
        }
    }
    // A module cut in the middle of its chunk headers, and a file that is not a module at all.
    let bytes = std::fs::read(dir.join("demosong_1.okta")).unwrap();
    let cut = tmp.path().join("cut.okta");
    std::fs::write(&cut, &bytes[..20]).unwrap();
    gk().arg("inspect").arg(&cut).assert().code(1).stderr(predicate::str::contains("CMOD"));
    let not = tmp.path().join("not.okta");
    std::fs::write(&not, b"OKTASONX and more").unwrap();
    gk().arg("inspect").arg(&not).assert().code(1);
}

#[test]
fn render_matches_the_song_length_and_options_are_checked() {
    let Some(dir) = okt_dir("render_matches_the_song_length_and_options_are_checked") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let m = dir.join("lame_d-mo.okta");
    let wav = tmp.path().join("o.wav");
    let render = |compat: &str| {
        gk().args([
            "render",
            "--rate",
            "8000",
            "--channels",
            "1",
            "--interpolation",
            "nearest",
            "--compat",
            compat,
            "-o",
        ])
        .arg(&wav)
        .arg(&m)
        .assert()
        .success();
        hound::WavReader::open(&wav).unwrap()
    };
    let r = render("openmpt");
    assert_eq!(r.spec().channels, 1);
    // openmpt123 --info: 01:09.119; with the players' timing groovekit plays 3456 ticks of 160
    // frames = 69.12 s.
    assert_eq!(r.duration(), 3456 * 160);
    // The original: row -1 first (SPEE 6 ticks), then the same 3456 ticks, each a PAL frame.
    assert_eq!(u64::from(render("original").duration()), (3456 + 6) * 8000 * 71_051 / 3_546_895);
    gk().args(["render", "--stereo-separation", "101", "-o"]).arg(&wav).arg(&m).assert().code(2);
    gk().args(["render", "--interpolation", "bogus", "-o"]).arg(&wav).arg(&m).assert().code(2);
    // Channels count from 1, as Oktalyzer shows them; a channel the module lacks is a usage error.
    gk().args(["render", "--solo", "5", "-o"])
        .arg(&wav)
        .arg(&m)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("4 channels"));
    gk().args(["render", "--solo", "0", "-o"]).arg(&wav).arg(&m).assert().code(2);
    gk().args(["render", "--rate", "8000", "--solo", "4", "-o"]).arg(&wav).arg(&m).assert().success();
}

#[test]
fn samples_and_trace() {
    let Some(dir) = okt_dir("samples_and_trace") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let m = dir.join("demosong_1.okta");
    let out = tmp.path().join("s");
    gk().args(["okt", "samples", "-o"]).arg(&out).arg(&m).assert().success();
    let mut wavs: Vec<PathBuf> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().path()).collect();
    wavs.sort();
    assert_eq!(wavs.len(), 11);
    // Sample 03 (ViolinStrings) loops from byte 5428 for 6550 bytes: a smpl chunk says so.
    // Samples are named as Oktalyzer shows them: 0-9, A-Z.
    let violin =
        std::fs::read(wavs.iter().find(|p| p.file_name().unwrap().to_string_lossy().starts_with("3-")).unwrap())
            .unwrap();
    let at = violin.windows(4).position(|w| w == b"smpl").expect("smpl chunk");
    let le = |o: usize| u32::from_le_bytes(violin[at + o..at + o + 4].try_into().unwrap());
    assert_eq!((le(8 + 44), le(8 + 48)), (5428, 5428 + 6550 - 1));
    let r = hound::WavReader::open(
        wavs.iter().find(|p| p.file_name().unwrap().to_string_lossy().starts_with("3-")).unwrap(),
    )
    .unwrap();
    assert_eq!(r.duration(), 20342 & !1);

    let out = gk().args(["okt", "trace", "--json", "--ticks", "12"]).arg(&m).output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ticks = v.as_array().unwrap();
    assert_eq!(ticks.len(), 12);
    // Row -1 (speed 6) first, as the original plays it; --compat openmpt starts at row 0.
    assert_eq!((ticks[0]["row"].clone(), ticks[6]["row"].clone()), (serde_json::json!(-1), serde_json::json!(0)));
    let out = gk().args(["okt", "trace", "--json", "--ticks", "12", "--compat", "openmpt"]).arg(&m).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[6]["row"], 1);
    assert_eq!(ticks[0]["channels"].as_array().unwrap().len(), 6);
    gk().args(["okt", "trace", "--ticks", "3", "--from", "2"])
        .arg(&m)
        .assert()
        .success()
        .stdout(predicate::str::starts_with("002:"));
    gk().args(["okt", "trace", "--from", "99"]).arg(&m).assert().code(1);
}

#[test]
fn verify_groups_repeated_warnings_and_names_places() {
    let Some(dir) = okt_dir("verify_groups_repeated_warnings_and_names_places") else { return };
    let tmp = tempfile::tempdir().unwrap();
    // A module with 1 MB of zeros appended: 131072 empty chunks of ID 00000000, one warning.
    let mut bytes = std::fs::read(dir.join("lame_d-mo.okta")).unwrap();
    let end = bytes.len();
    bytes.extend(std::iter::repeat_n(0u8, 1 << 20));
    let m = tmp.path().join("zeros.okta");
    std::fs::write(&m, &bytes).unwrap();
    let out = gk().arg("verify").arg(&m).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(text.len() < 4096, "{} bytes of output", text.len());
    assert!(text.contains("131072 times"), "{text}");
    assert!(text.contains(&end.to_string()), "the first offset is named: {text}");
    let out = gk().arg("inspect").arg(&m).output().unwrap();
    assert!(out.stdout.len() < 8192);
    // A cell problem names its pattern, row and channel (counted from 1).
    let mut bytes = std::fs::read(dir.join("lame_d-mo.okta")).unwrap();
    let pbod = bytes.windows(4).position(|w| w == b"PBOD").unwrap();
    // Pattern 0, row 1, channel 2: effect byte 40.
    bytes[pbod + 8 + 2 + 16 + 4 + 2] = 40;
    std::fs::write(&m, &bytes).unwrap();
    let out = gk().arg("verify").arg(&m).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("pattern 0 row 1 channel 2 has an effect byte of 32 or more"), "{text}");
}

#[test]
fn render_refuses_songs_past_the_limit_and_reports_as_json() {
    let Some(dir) = okt_dir("render_refuses_songs_past_the_limit_and_reports_as_json") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let m = dir.join("lame_d-mo.okta");
    let wav = tmp.path().join("o.wav");
    // 69 s of song against a 10 s limit: a clear error before anything is written.
    gk().args(["render", "--max-seconds", "10", "-o"])
        .arg(&wav)
        .arg(&m)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--max-seconds"));
    assert!(!wav.exists());
    gk().args(["render", "--max-seconds", "0", "-o"]).arg(&wav).arg(&m).assert().code(2);
    // --json: the summary on stdout, the human one on stderr.
    let out = gk()
        .args(["render", "--json", "--rate", "8000", "--compat", "openmpt", "-o"])
        .arg(&wav)
        .arg(&m)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["frames"], 3456 * 160);
    assert_eq!(v["end"], "the song repeats");
    assert_eq!(v["compat"], "openmpt");
    assert!(String::from_utf8_lossy(&out.stderr).contains("rendered 1:09.12"));
}

#[test]
fn diff_compares_header_orders_samples_and_cells() {
    let Some(dir) = okt_dir("diff_compares_header_orders_samples_and_cells") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let a = dir.join("lame_d-mo.okta");
    gk().arg("diff").arg(&a).arg(&a).assert().code(0).stdout(predicate::str::contains("no differences"));
    let mut bytes = std::fs::read(&a).unwrap();
    let spee = bytes.windows(4).position(|w| w == b"SPEE").unwrap();
    bytes[spee + 9] += 1;
    let pbod = bytes.windows(4).position(|w| w == b"PBOD").unwrap();
    // Pattern 0, row 0, channel 3: note D-2 (15).
    bytes[pbod + 8 + 2 + 8] = 15;
    let b = tmp.path().join("b.okta");
    std::fs::write(&b, &bytes).unwrap();
    let out = gk().arg("diff").arg(&a).arg(&b).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("speed (SPEE): 6 -> 7"), "{text}");
    assert!(text.contains("pattern 0 row 0 channel 3: ") && text.contains("-> D-2"), "{text}");
    let out = gk().args(["diff", "--json"]).arg(&a).arg(&b).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["same"], false);
}

#[test]
fn quiet_render_prints_nothing_and_still_writes() {
    let Some(dir) = okt_dir("quiet_render_prints_nothing_and_still_writes") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let wav = tmp.path().join("q.wav");
    let loud =
        gk().args(["render", "--rate", "8000", "-o"]).arg(&wav).arg(dir.join("lame_d-mo.okta")).assert().success();
    assert!(String::from_utf8_lossy(&loud.get_output().stderr).contains("rendered "));
    let q = gk()
        .args(["--quiet", "render", "--rate", "8000", "-o"])
        .arg(&wav)
        .arg(dir.join("lame_d-mo.okta"))
        .assert()
        .success()
        .get_output()
        .clone();
    assert!(q.stdout.is_empty() && q.stderr.is_empty(), "{}", String::from_utf8_lossy(&q.stderr));
    assert!(std::fs::metadata(&wav).unwrap().len() > 44);
}
