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
