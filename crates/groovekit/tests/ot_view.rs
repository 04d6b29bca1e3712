//! `groovekit ot pattern` / `ot part`, and the Octatrack model examples run end to end: the
//! projects they write pass `groovekit verify` and show in the pattern view.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use groovekit_octatrack::Project;
use predicates::prelude::*;

#[allow(dead_code)]
#[path = "../../groovekit-octatrack/examples/euclid_acid.rs"]
mod euclid_acid;
#[allow(dead_code)]
#[path = "../../groovekit-octatrack/examples/transpose_bank.rs"]
mod transpose_bank;

fn gk() -> Command {
    Command::cargo_bin("groovekit").unwrap()
}

fn fixtures(test: &str) -> Option<PathBuf> {
    groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), test)
}

#[test]
fn pattern_view_shows_the_real_device_steps_in_device_order() {
    let Some(dir) = fixtures("ot_pattern_view") else { return };
    let project = dir.join("octatrack/real-device");
    let out = gk().args(["ot", "pattern"]).arg(&project).args(["--bank", "1", "--pattern", "1"]).assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    // Track 2 holds the same page twice (1 5 9-12 | 17 21 25-28) and plays 12 steps (per-track
    // length): the second page is past its length, in lower case. Track 6: once a page.
    assert!(text.contains("T2   X...X...XXXX    |x   x   xxxx    |"), "{text}");
    assert!(text.contains("T6   X...............|X...............|"), "{text}");
    assert!(text.contains("T2 step 1: micro +1/384"), "{text}");
    // The ruler names every column: tens over units, page breaks where the grid has them, so
    // step 26 is the column under `2` and `6`.
    let lines: Vec<&str> = text.lines().collect();
    let at = lines.iter().position(|l| l.starts_with("T1 ")).unwrap();
    let (tens, units) = (lines[at - 2], lines[at - 1]);
    assert!(units.starts_with("     1234567890123456|7890123456789012|"), "{text}");
    assert!(tens.starts_with("              1111111|1112222222222333|"), "{text}");
    let t2 = lines.iter().find(|l| l.starts_with("T2 ")).unwrap();
    let col = |row: &str, c: usize| row.chars().nth(c).unwrap();
    // Step 26: column 5 + 25 steps + 1 page break.
    assert_eq!((col(tens, 31), col(units, 31), col(t2, 31)), ('2', '6', 'x'));
    let out = gk().args(["ot", "pattern", "--json"]).arg(&project).args(["--bank", "1", "--pattern", "1"]).assert();
    let v: serde_json::Value = serde_json::from_slice(&out.success().get_output().stdout).unwrap();
    assert_eq!(v["tracks"][1]["length"], 12);
    let want = format!("X{0}X{0}X{0}{0}.", ".".repeat(15));
    assert_eq!(v["tracks"][5]["steps"], want.as_str());
    gk().args(["ot", "pattern"]).arg(&project).args(["--bank", "1", "--pattern", "17"]).assert().code(2);
}

#[test]
fn part_view_names_machines_samples_and_pages() {
    let Some(dir) = fixtures("ot_part_view") else { return };
    let project = dir.join("octatrack/real-device");
    let out = gk().args(["ot", "part"]).arg(&project).args(["--bank", "1", "--part", "1"]).assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.contains("T1 "), "{text}");
    assert!(text.contains("amp.vol="), "{text}");
    assert!(text.contains("M1 channel"), "{text}");
}

#[test]
fn the_examples_write_projects_that_verify_and_show() {
    let Some(dir) = fixtures("ot_examples") else { return };
    let hats: Vec<PathBuf> = groovekit_core::fixtures::files_under(&dir.join("audio/hats"), &|p: &Path| {
        p.extension().is_some_and(|e| e.eq_ignore_ascii_case("wav"))
    });
    let tmp = tempfile::tempdir().unwrap();
    let set = tmp.path().join("SET");
    std::fs::create_dir_all(set.join("AUDIO")).unwrap();
    let mut wavs = Vec::new();
    for h in hats.iter().take(3) {
        let to = set.join("AUDIO").join(h.file_name().unwrap());
        std::fs::copy(h, &to).unwrap();
        wavs.push(to);
    }
    let proj = set.join("EUCLID");
    euclid_acid::run(&proj, &wavs).unwrap();
    gk().arg("verify").arg(&proj).assert().success();
    let mut p = Project::open(&proj).unwrap();
    assert_eq!(p.tempo(), Some(124.0));
    assert_eq!(p.samples().iter().filter(|s| s.slot <= 128).count(), 3);
    let b = p.bank(1).unwrap();
    let kick: Vec<u8> = (1..=16).filter(|&s| b.audio_step(1, 1, s).unwrap().trig).collect();
    assert_eq!(kick, vec![1, 5, 9, 13]);
    let hat = b.audio_step(1, 3, (1..=16).find(|&s| b.audio_step(1, 3, s).unwrap().trig).unwrap()).unwrap();
    assert!(hat.micro != 0 && hat.lock("amp.vol").unwrap().is_some());
    assert_eq!(b.midi_step(1, 1, 1).unwrap().note(), Some(36));
    gk().args(["ot", "pattern"])
        .arg(&proj)
        .args(["--bank", "1", "--pattern", "1"])
        .assert()
        .success()
        .stdout(predicate::str::contains("T1   X...X...X...X..."))
        .stdout(predicate::str::contains("M1 "));
    let svg = tmp.path().join("grid.svg");
    gk().args(["ot", "pattern"])
        .arg(&proj)
        .args(["--bank", "1", "--pattern", "1", "--svg"])
        .arg(&svg)
        .assert()
        .success();
    assert!(std::fs::read_to_string(&svg).unwrap().starts_with("<svg"));
    // The second example moves every note lock by 3 semitones.
    let before = Project::open(&proj).unwrap().bank(1).unwrap().clone();
    let moved = transpose_bank::run(&proj, 1, 3).unwrap();
    assert_eq!(moved, 16, "the 16 acid notes");
    let mut after = Project::open(&proj).unwrap();
    let a = after.bank(1).unwrap();
    assert_eq!(a.midi_step(1, 1, 1).unwrap().note(), Some(39));
    assert_eq!(a.audio_step(1, 1, 1).unwrap(), before.audio_step(1, 1, 1).unwrap());
    gk().arg("verify").arg(&proj).assert().success();
}

/// A new project `SET/P49` under `dir` (not saved yet) with trigs on steps 1 and 49 of bank 1
/// pattern 1 track 3, a 16-step track.
fn trigs_on_steps_1_and_49(dir: &Path) -> (PathBuf, Project) {
    let proj = dir.join("SET/P49");
    let mut p = Project::create(&proj);
    let bank = p.bank_mut(1).unwrap();
    for s in [1u8, 49] {
        let mut step = bank.audio_step(1, 3, s).unwrap();
        step.trig = true;
        bank.set_audio_step(1, 3, s, &step).unwrap();
    }
    (proj, p)
}

/// Issue 21: every step that holds data is drawn (a trig on step 49 of a 16-step pattern), in
/// lower case where it never plays; per-track mode names the master length (64 on the
/// real-device pattern 1, where the normal-mode byte holds 32). Saving such a bank says so.
#[test]
fn pattern_view_draws_data_past_the_length_and_the_master_length() {
    let tmp = tempfile::tempdir().unwrap();
    let (proj, mut p) = trigs_on_steps_1_and_49(tmp.path());
    let report = p.save().unwrap();
    assert!(
        report
            .notes
            .iter()
            .any(|n| n
                == "bank 1 pattern 1 track T3: step(s) 49 hold data that never plays (the track is 16 steps long)"),
        "{:?}",
        report.notes
    );
    let out = gk().args(["ot", "pattern"]).arg(&proj).args(["--bank", "1", "--pattern", "1"]).assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.contains("length 16"), "{text}");
    let t3 = text.lines().find(|l| l.starts_with("T3 ")).unwrap();
    assert!(t3.starts_with(&format!("T3   X{}|{}|{}|x", ".".repeat(15), " ".repeat(16), " ".repeat(16))), "{text}");
    let out = gk().args(["ot", "pattern", "--json"]).arg(&proj).args(["--bank", "1", "--pattern", "1"]).assert();
    let v: serde_json::Value = serde_json::from_slice(&out.success().get_output().stdout).unwrap();
    assert_eq!(v["shown_steps"], 49);
    assert_eq!(v["tracks"][2]["playable_steps"], 16);
    assert_eq!(v["tracks"][2]["steps"].as_str().unwrap().chars().nth(48), Some('X'));
    let svg = tmp.path().join("g.svg");
    gk().args(["ot", "pattern"])
        .arg(&proj)
        .args(["--bank", "1", "--pattern", "1", "--svg"])
        .arg(&svg)
        .assert()
        .success();
    assert!(std::fs::read_to_string(&svg).unwrap().contains("T3 step 49 (never plays)"));

    let Some(dir) = fixtures("ot_pattern_view_master") else { return };
    let out = gk()
        .args(["ot", "pattern"])
        .arg(dir.join("octatrack/real-device"))
        .args(["--bank", "1", "--pattern", "1"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.contains("per-track scale, master length 64"), "{text}");
    assert!(text.lines().any(|l| l.starts_with("T2 ") && l.ends_with("len 12 1X")), "{text}");
}

/// Issue 21: `groovekit build` of a bank says what it holds that can never sound, as saves and
/// copies do: data past a track's length always; with a project beside the output, trigs that
/// play a slot the project leaves empty too (a bank built alone cannot know its slots).
#[test]
fn build_of_a_bank_warns_of_data_that_never_plays() {
    let tmp = tempfile::tempdir().unwrap();
    let (proj, mut p) = trigs_on_steps_1_and_49(tmp.path());
    p.save().unwrap();
    let doc = tmp.path().join("bank01.yaml");
    gk().arg("dump").arg(proj.join("bank01.work")).arg("-o").arg(&doc).assert().success();
    let past = "bank 1 pattern 1 track T3: step(s) 49 hold data that never plays (the track is 16 steps long)";
    let empty = "which is empty in this project";

    // Alone: the bank's own notes, no slot notes.
    let alone = tmp.path().join("ALONE/bank01.work");
    std::fs::create_dir_all(alone.parent().unwrap()).unwrap();
    let out = gk().arg("build").arg(&doc).arg("-o").arg(&alone).assert().success();
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.lines().any(|l| l == format!("warning: {past}")), "{err}");
    assert!(!err.contains(empty), "{err}");
    assert!(out.get_output().stdout.is_empty());

    // Into a project whose slot the trigs play is empty: both; -q silences them.
    let into = proj.join("bank02.work");
    let out = gk().arg("build").arg(&doc).arg("-o").arg(&into).assert().success();
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("bank 2 pattern 1 track T3: step(s) 49 hold data that never plays"), "{err}");
    assert!(
        err.lines()
            .any(|l| l.starts_with("warning: bank 2 pattern 1 track T3: trig(s) on step(s) 1") && l.contains(empty)),
        "{err}"
    );
    let out = gk().args(["-q", "build"]).arg(&doc).arg("-o").arg(&into).assert().success();
    assert!(!String::from_utf8_lossy(&out.get_output().stderr).contains("never plays"));
}
