//! `groovekit ot copy-pattern`, `copy-part`, `copy-track` and `copy-slots` on copies of the
//! fixtures: dry run, fail point, copy, refusal of a non-blank destination, restore, usage errors.

use std::path::{Path, PathBuf};

#[path = "support/project_tree.rs"]
mod project_tree;
use project_tree::{copy_dir, fixtures, gk, snapshot};

/// The bank-copy source in a Set with its four samples, and a new project in another Set.
fn scene(fx: &Path, tmp: &Path) -> (PathBuf, PathBuf) {
    let src = tmp.join("SET/SRC");
    copy_dir(&fx.join("octatrack/bank-copy/BANK-COPY-SRC"), &src);
    std::fs::create_dir_all(tmp.join("SET/AUDIO")).unwrap();
    for (i, n) in ["first-0", "second-0", "fourth-0", "fifth-0"].iter().enumerate() {
        std::fs::write(tmp.join(format!("SET/AUDIO/{n}.wav")), vec![i as u8; 1000 + i]).unwrap();
    }
    let dst = tmp.join("OTHER/NEW");
    gk().args(["ot", "new-project"]).arg(&dst).assert().success();
    (src, dst)
}

#[test]
fn copy_pattern_dry_run_fail_point_copy_force_restore() {
    let Some(fx) = fixtures("ot_copy_pattern") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let (src, dst) = scene(&fx, tmp.path());
    let before = snapshot(tmp.path());
    let src_before = snapshot(&tmp.path().join("SET"));
    // Pattern 2 of bank A plays part 2 (device fixture); bring it along.
    let from = format!("{}:A:2", src.display());
    let to = format!("{}:3:7", dst.display());
    let out = gk().args(["ot", "copy-pattern", &from, &to, "--with-part", "--dry-run", "--json"]).assert().success();
    let plan: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(plan["dry_run"], true);
    assert_eq!(plan["to"], "bank 3 pattern 7 and part 2");
    assert!(plan["files"].as_array().unwrap().iter().any(|f| f["to"].as_str().unwrap().ends_with(".wav")));
    assert_eq!(snapshot(tmp.path()), before, "a dry run changes nothing");
    gk().args(["ot", "copy-pattern", &from, &to, "--with-part"])
        .env("GROOVEKIT_FAILPOINT", "rename:2")
        .assert()
        .code(1);
    assert_eq!(snapshot(tmp.path()), before, "a failed copy changes nothing");
    let out = gk().args(["ot", "copy-pattern", &from, &to, "--with-part"]).assert().success();
    // After a real run the plan is a summary, on stderr (issue 24).
    let text = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(text.contains("backup: ") && text.contains("new slot"), "{text}");
    assert_eq!(snapshot(&tmp.path().join("SET")), src_before, "the source Set never changes");
    let err = gk().args(["ot", "copy-pattern", &from, &to]).assert().code(1).get_output().stderr.clone();
    assert!(String::from_utf8_lossy(&err).contains("--force"));
    let backup = std::fs::read_dir(dst.join("backups")).unwrap().next().unwrap().unwrap().path();
    gk().args(["ot", "restore"]).arg(&backup).assert().success();
    let mut after = snapshot(tmp.path());
    after.retain(|p, _| !p.starts_with("OTHER/NEW/backups"));
    assert_eq!(after, before, "restore puts every file back and removes the created ones");
}

#[test]
fn copy_part_track_and_slots_from_the_command_line() {
    let Some(fx) = fixtures("ot_copy_part_track_slots") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let (src, dst) = scene(&fx, tmp.path());
    let s = src.display().to_string();
    let d = dst.display().to_string();
    let out = gk()
        .args(["ot", "copy-part", &format!("{s}:1:4"), &format!("{d}:1:1"), "--working-only", "--json"])
        .assert()
        .success();
    let plan: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert!(plan["backup"].is_string());
    let out = gk()
        .args(["ot", "copy-track", &format!("{s}:1:1:2"), &format!("{d}:2:1:2"), "--steps", "--json"])
        .assert()
        .success();
    let plan: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(plan["to"], "bank 2 pattern 1 track 2 (steps)");
    let out = gk()
        .args(["ot", "copy-slots", &s, &d, "--slots", "127-128", "--pool", "static", "--to", "10", "--json"])
        .assert()
        .success();
    let plan: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let tos: Vec<u64> = plan["slots"].as_array().unwrap().iter().map(|m| m["to"].as_u64().unwrap()).collect();
    assert_eq!(tos, vec![10, 11]);
    let project = std::fs::read_to_string(dst.join("project.work")).unwrap();
    assert!(project.contains("fourth-0.wav"), "the slot is in the destination's project.work");
}

#[test]
fn copy_usage_errors_exit_2() {
    for args in [
        vec!["ot", "copy-pattern", "P:1", "Q:1:1"],
        vec!["ot", "copy-pattern", "P:Q:1", "Q:1:1"],
        vec!["ot", "copy-part", "P:1:0", "Q:1:1"],
        vec!["ot", "copy-track", "P:1:1:1", "Q:1:1:9"],
        vec!["ot", "copy-track", "P:1:1:1", "Q:1:1:1", "--steps", "--settings"],
        vec!["ot", "copy-slots", "P", "Q", "--slots", "0-3"],
        vec!["ot", "copy-slots", "P", "Q", "--slots", "1", "--to", "129"],
        vec!["ot", "copy-slots", "P", "Q", "--slots", "1", "--pool", "both"],
    ] {
        gk().args(&args).assert().code(2);
    }
}

#[test]
fn copies_of_a_project_without_its_samples_need_missing_keep() {
    // The real-device project has no audio files (issue 22's case).
    let Some(fx) = fixtures("ot_copy_missing_keep") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("MYSET/MYPROJECT");
    copy_dir(&fx.join("octatrack/real-device"), &src);
    let dst = tmp.path().join("MYSET/LIVE");
    gk().args(["ot", "new-project"]).arg(&dst).assert().success();
    let from = format!("{}:1", src.display());
    let to = format!("{}:7", dst.display());
    let before = snapshot(tmp.path());
    // The dry run prints the plan with the missing list, then says why a real run would refuse.
    let out = gk().args(["ot", "copy-bank", &from, &to, "--dry-run"]).assert().code(1);
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(text.starts_with("plan: ") && text.contains("missing, slot kept with its path: "), "{text}");
    assert!(err.contains("--missing keep"), "{err}");
    // The default refuses, naming the option; nothing changes.
    let out = gk().args(["ot", "copy-bank", &from, &to]).assert().code(1);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("--missing keep"));
    assert_eq!(snapshot(tmp.path()), before);
    // --missing keep copies; the JSON result lists the missing files.
    let out = gk().args(["ot", "copy-bank", &from, &to, "--missing", "keep", "--json"]).assert().success();
    let plan: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(plan["missing"].as_array().unwrap().len(), 9);
    let project = std::fs::read_to_string(dst.join("project.work")).unwrap();
    assert!(project.contains("PATH=../AUDIO/Elektron/Acdrum.wav"), "the slot keeps its path");
    // A piece copy takes the option too.
    let out = gk()
        .args(["ot", "copy-part", &format!("{}:1:1", src.display()), &format!("{}:1:2", dst.display())])
        .args(["--missing", "keep", "--json"])
        .assert()
        .success();
    let plan: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert!(!plan["missing"].as_array().unwrap().is_empty());
}

#[test]
fn copy_slots_settings_only_sets_existing_slots() {
    let Some(fx) = fixtures("ot_copy_settings_only") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let (src, dst) = scene(&fx, tmp.path());
    let (s, d) = (src.display().to_string(), dst.display().to_string());
    // Put a sample into destination Static slot 10, then copy Static 127's settings onto it.
    gk().args(["ot", "copy-slots", &s, &d, "--slots", "127", "--pool", "static", "--to", "10"]).assert().success();
    let before = std::fs::read_to_string(dst.join("project.work")).unwrap();
    let audio_before: Vec<_> = std::fs::read_dir(&dst).unwrap().map(|e| e.unwrap().file_name()).collect();
    let out = gk()
        .args(["ot", "copy-slots", &s, &d, "--slots", "128", "--pool", "static", "--to", "10", "--settings-only"])
        .args(["--json"])
        .assert()
        .success();
    let plan: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert!(plan["files"].as_array().unwrap().is_empty());
    let after = std::fs::read_to_string(dst.join("project.work")).unwrap();
    assert!(after.contains("fourth-0.wav"), "the path stays");
    assert_ne!(before, after);
    let mut audio_after: Vec<_> = std::fs::read_dir(&dst).unwrap().map(|e| e.unwrap().file_name()).collect();
    audio_after.retain(|n| n != "backups");
    let mut audio_before = audio_before;
    audio_before.retain(|n| n != "backups");
    assert_eq!(audio_after.len(), audio_before.len(), "no file is copied");
    // An empty destination slot: refused.
    let out = gk()
        .args(["ot", "copy-slots", &s, &d, "--slots", "128", "--pool", "static", "--to", "50", "--settings-only"])
        .assert()
        .code(1);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("holds no sample"));
}
