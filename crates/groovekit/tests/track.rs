//! `groovekit render|inspect|verify` on .track songs and `groovekit track check|fmt|watch`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use predicates::prelude::*;

fn gk() -> Command {
    Command::cargo_bin("groovekit").unwrap()
}

fn fixtures(test: &str) -> Option<PathBuf> {
    groovekit_core_fixtures(test).map(|d| d.join("track"))
}

fn groovekit_core_fixtures(test: &str) -> Option<PathBuf> {
    groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), test)
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A song folder in a temp dir with the fixture assets copied in (fixtures are never modified).
fn song_dir(fix: &Path, text: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("assets")).unwrap();
    for f in ["kick_1.wav", "snare_1.wav", "hihat.wav"] {
        std::fs::copy(fix.join("assets").join(f), tmp.path().join("assets").join(f)).unwrap();
    }
    let song = tmp.path().join("song.track");
    std::fs::write(&song, text).unwrap();
    (tmp, song)
}

#[test]
fn render_prints_where_the_wav_is_and_is_deterministic() {
    let Some(fix) = fixtures("render_prints_where_the_wav_is_and_is_deterministic") else { return };
    let tmp = tempfile::tempdir().unwrap();
    for name in ["kick_snare", "melody", "short_fill"] {
        let song = fix.join(format!("{name}.track"));
        let a = tmp.path().join("a.wav");
        let b = tmp.path().join("b.wav");
        for out in [&a, &b] {
            gk().arg("render")
                .arg(&song)
                .arg("-o")
                .arg(out)
                .assert()
                .success()
                .stderr(predicate::str::contains(format!("wrote {}", out.display())))
                .stderr(predicate::str::contains("0 clipped samples"));
        }
        assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap(), "{name}");
    }
    // kick_snare: 3 units at 120 BPM = 6 s.
    gk().args(["render", "--rate", "32000", "--bits", "24", "--normalize"])
        .arg(fix.join("kick_snare.track"))
        .arg("-o")
        .arg(tmp.path().join("n.wav"))
        .assert()
        .success()
        .stderr(predicate::str::contains("6.000 s, 32000 Hz, 24-bit, 12 voices"))
        .stderr(predicate::str::contains("peak before normalising"));
}

#[test]
fn the_bundled_demo_renders() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("demo.wav");
    gk().current_dir(repo())
        .args(["render", "examples/demo.track", "-o"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("wrote "));
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.len() > 1_000_000 && bytes.starts_with(b"RIFF"));
    gk().current_dir(repo()).args(["track", "check", "examples/demo.track"]).assert().success();
    gk().current_dir(repo()).args(["track", "fmt", "--check", "examples/demo.track"]).assert().success();
}

#[test]
fn check_lists_every_problem_with_line_col_and_suggestions() {
    let Some(fix) = fixtures("check_lists_every_problem_with_line_col_and_suggestions") else { return };
    for name in ["kick_snare", "melody", "short_fill"] {
        gk().args(["track", "check"])
            .arg(fix.join(format!("{name}.track")))
            .assert()
            .success()
            .stderr(predicate::str::contains("0 errors, 0 warnings"));
    }
    let (_tmp, song) = song_dir(
        &fix,
        "PATTERN p LENGTH 0.5\n0.0, ASSET_KIK_1, 1, 0\n0.75, NOTE_C4, 1, 0\n0.2, NOTE_H4, 1, 0\nSCORE\n0, kick\n0, p\n",
    );
    gk().args(["track", "check"])
        .arg(&song)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("song.track:2:6: asset `ASSET_KIK_1`"))
        .stderr(predicate::str::contains("did you mean ASSET_KICK_1?"))
        .stderr(predicate::str::contains("song.track:3:1: event time 0.75 is outside the pattern [0, 0.5]"))
        .stderr(predicate::str::contains("song.track:4:6: `NOTE_H4` is not a note name"))
        .stderr(predicate::str::contains("song.track:6:4: unknown pattern `kick`"))
        .stderr(predicate::str::contains("4 errors"));
    let out = gk().args(["track", "check", "--json"]).arg(&song).assert().code(1).get_output().stdout.clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["errors"], 4);
    assert_eq!(v["diagnostics"][0]["span"]["line"], 2);
    assert_eq!(v["diagnostics"][0]["span"]["col"], 6);
    // render refuses the same song with the same diagnostics and exit 1.
    gk().arg("render")
        .arg(&song)
        .arg("-o")
        .arg(song.with_extension("wav"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("song.track:3:1"));
    assert!(!song.with_extension("wav").exists());
}

#[test]
fn strict_and_assets_options() {
    let Some(fix) = fixtures("strict_and_assets_options") else { return };
    let tmp = tempfile::tempdir().unwrap();
    // short_fill uses ASSET_KICK_1 and ASSET_SNARE_1 without SAMPLE lines.
    gk().args(["track", "check", "--strict"])
        .arg(fix.join("short_fill.track"))
        .assert()
        .success()
        .stderr(predicate::str::contains("`ASSET_KICK_1` is used without a SAMPLE line"))
        .stderr(predicate::str::contains("0 errors, 2 warnings"));
    // A song elsewhere, pointed at the fixture assets with --assets.
    let song = tmp.path().join("s.track");
    std::fs::write(&song, "PATTERN p\n0, ASSET_HIHAT, 1, 0\nSCORE\n0, p\n").unwrap();
    let out = tmp.path().join("s.wav");
    gk().arg("render").arg(&song).arg("-o").arg(&out).assert().code(1).stderr(predicate::str::contains("ASSET_HIHAT"));
    gk().arg("render")
        .arg(&song)
        .arg("-o")
        .arg(&out)
        .arg("--assets")
        .arg(fix.join("assets"))
        .arg("--strict")
        .assert()
        .success()
        .stderr(predicate::str::contains("`ASSET_HIHAT` is used without a SAMPLE line"));
    assert!(out.exists());
}

#[test]
fn fmt_check_rewrite_with_backup_and_dry_run() {
    let tmp = tempfile::tempdir().unwrap();
    let song = tmp.path().join("m.track");
    let messy = "bpm 100   # tempo\n\n\npattern p\n  0.0 ,NOTE_A#3,1 , 0\nscore\n0 p\n";
    std::fs::write(&song, messy).unwrap();
    let canonical = "BPM 100 # tempo\n\nPATTERN p\n0.0, NOTE_A#3, 1, 0\nSCORE\n0, p\n";
    gk().args(["track", "fmt", "--check"]).arg(&song).assert().code(1);
    gk().args(["track", "fmt", "--dry-run"]).arg(&song).assert().success().stdout(canonical);
    assert_eq!(std::fs::read_to_string(&song).unwrap(), messy);
    gk().args(["track", "fmt"]).arg(&song).assert().success().stderr(predicate::str::contains("backup"));
    assert_eq!(std::fs::read_to_string(&song).unwrap(), canonical);
    assert_eq!(std::fs::read_to_string(tmp.path().join("m.track.bak")).unwrap(), messy);
    gk().args(["track", "fmt", "--check"]).arg(&song).assert().success();
    // Syntax errors: nothing written, exit 1.
    std::fs::write(&song, "PATTERN p\n0.0, x\n").unwrap();
    gk().args(["track", "fmt"]).arg(&song).assert().code(1).stderr(predicate::str::contains("m.track:2:"));
    assert_eq!(std::fs::read_to_string(&song).unwrap(), "PATTERN p\n0.0, x\n");
}

#[test]
fn inspect_and_verify() {
    let Some(fix) = fixtures("inspect_and_verify") else { return };
    let out = gk()
        .args(["inspect", "--json"])
        .arg(fix.join("short_fill.track"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["kind"], "track-song");
    assert_eq!(v["bpm"], 90.0);
    // Two instances of kick_snare (1 unit each) and one short_fill: ends at 2 units = 16/3 s.
    assert!((v["duration_seconds"].as_f64().unwrap() - 16.0 / 3.0).abs() < 1e-9);
    assert_eq!(v["voices"], 6);
    assert_eq!(v["patterns"][0]["name"], "short_fill");
    assert_eq!(v["patterns"][0]["length_units"], 0.5);
    assert_eq!(v["undeclared"], serde_json::json!(["ASSET_KICK_1", "ASSET_SNARE_1"]));
    gk().arg("inspect")
        .arg(fix.join("melody.track"))
        .assert()
        .success()
        .stdout(predicate::str::contains("sample NOTE_A#4: tone 466.16 Hz (undeclared)"));
    gk().arg("verify").arg(fix.join("kick_snare.track")).assert().success();
}

#[test]
fn usage_errors_exit_2() {
    gk().args(["track", "check"]).assert().code(2);
    gk().args(["render", "x.track", "-o", "y.wav", "--bits", "12"]).assert().code(2);
}

/// The watcher renders at start, then again when the song changes. The child is killed at the end.
#[test]
fn watch_rerenders_when_the_song_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let song = tmp.path().join("w.track");
    let out = tmp.path().join("w.wav");
    std::fs::write(&song, "PATTERN p\n0, NOTE_A4, 0.5, 0\nSCORE\n0, p\n").unwrap();
    let bin = assert_cmd::cargo::cargo_bin("groovekit");
    let mut child = std::process::Command::new(bin)
        .args(["track", "watch"])
        .arg(&song)
        .arg("-o")
        .arg(&out)
        .args(["--rate", "8000"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let wait_for = |what: &dyn Fn() -> bool| {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if what() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    };
    let first_ok = wait_for(&|| std::fs::read(&out).is_ok_and(|b| b.len() > 44));
    let first = std::fs::read(&out).unwrap_or_default();
    // Give the watcher time to install its watches after the first render.
    std::thread::sleep(Duration::from_millis(500));
    std::fs::write(&song, "PATTERN p\n0, NOTE_A4, 1.0, 0\nSCORE\n0, p\n").unwrap();
    let changed = wait_for(&|| std::fs::read(&out).is_ok_and(|b| b.len() > 44 && b != first));
    let _ = child.kill();
    let _ = child.wait();
    assert!(first_ok, "no first render");
    assert!(changed, "no re-render after the song changed");
    // Volume 0.5 → 1.0 doubles every sample (16-bit rounding aside).
    let a_path = tmp.path().join("first.wav");
    std::fs::write(&a_path, &first).unwrap();
    let a = groovekit_audio::read::read_audio(&a_path).unwrap();
    let b = groovekit_audio::read::read_audio(&out).unwrap();
    assert_eq!(a.samples.len(), b.samples.len());
    assert!(a.samples.iter().any(|&x| x != 0.0));
    for (x, y) in a.samples.iter().zip(&b.samples) {
        assert!((y - 2.0 * x).abs() <= 2.0 / 32767.0, "{x} {y}");
    }
}

/// Issue 23, item 7: `track check` of a 5 MB song with 400 000 SCORE lines past the time limit
/// printed about 50 MB of diagnostics; now the library caps them, the output stays small, and the
/// counts (text and JSON) are still exact.
#[test]
fn check_caps_repeated_diagnostics_and_counts_them_all() {
    let tmp = tempfile::tempdir().unwrap();
    let song = tmp.path().join("long.track");
    let mut text = String::from("BPM 120\nPATTERN p\n0, NOTE_C4, 1, 0\nSCORE\n0, p\n");
    for i in 0..400_000 {
        text.push_str(&format!("{}.25, p\n", 2000 + i % 1000));
    }
    std::fs::write(&song, &text).unwrap();
    let out = gk().args(["track", "check"]).arg(&song).assert().code(1).get_output().clone();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(stderr.contains("400000 errors, 0 warnings"), "the summary goes to stderr: {stdout}");
    assert!(stderr.len() < 100_000, "{} bytes of diagnostics", stderr.len());
    assert!(stderr.contains("and 399 990 more like this"), "{stderr}");
    let out = gk().args(["track", "check", "--json"]).arg(&song).assert().code(1).get_output().stdout.clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["errors"], 400_000);
    let diags = v["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 11);
    assert_eq!(diags[10]["more"], 399_990);
}
