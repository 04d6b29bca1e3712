//! `groovekit ot purge-slots`, `purge-files`, `collect`, `dedupe`, `relink` and `clear` through
//! the binary, on copies of the fixtures: `--dry-run` and `--json`, the real run, a fail point
//! (`GROOVEKIT_FAILPOINT`) that leaves every file as it was, `ot restore`, and exit codes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[path = "support/project_tree.rs"]
mod project_tree;
use project_tree::{copy_dir, fixtures, gk, snapshot_skipping};

/// Every file under `root` except `backups/`.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    snapshot_skipping(root, &["backups"])
}

/// The demo Set (AUDIO/chain.wav + .ot, project BLANK) with the blank project beside it as
/// `OTHER` naming `../AUDIO/chain.wav`, and unused files in the pool and in OTHER.
fn demo_set(fx: &Path, tmp: &Path) -> PathBuf {
    let set = tmp.join("DEMO-SET-1");
    copy_dir(&fx.join("octatrack/demo-set/DEMO-SET-1/AUDIO"), &set.join("AUDIO"));
    copy_dir(&fx.join("octatrack/demo-set/DEMO-SET-1/BLANK"), &set.join("BLANK"));
    copy_dir(&fx.join("octatrack/blank-project"), &set.join("OTHER"));
    let text = std::fs::read_to_string(set.join("OTHER/project.work")).unwrap();
    let block = "[SAMPLE]\r\nTYPE=FLEX\r\nSLOT=001\r\nPATH=../AUDIO/chain.wav\r\nBPMx24=2880\r\nTSMODE=2\r\nLOOPMODE=0\r\nGAIN=48\r\nTRIGQUANTIZATION=-1\r\n[/SAMPLE]\r\n\r\n";
    let at = text.find("[SAMPLE]").unwrap();
    std::fs::write(set.join("OTHER/project.work"), format!("{}{block}{}", &text[..at], &text[at..])).unwrap();
    std::fs::write(set.join("AUDIO/old take.wav"), b"RIFF....WAVE").unwrap();
    std::fs::write(set.join("OTHER/scratch.aiff"), b"FORM....AIFF").unwrap();
    set
}

#[test]
fn purge_files_dry_run_json_failpoint_real_run_and_restore() {
    let Some(fx) = fixtures("ot_cleanup_purge_files") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let set = demo_set(&fx, tmp.path());
    let before = snapshot(&set);

    let out = gk().args(["ot", "purge-files"]).arg(&set).args(["--dry-run", "--json"]).assert().success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let mut moved: Vec<String> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert_eq!(f["action"], "move_to_backup");
            Path::new(f["path"].as_str().unwrap()).strip_prefix(&set).unwrap().to_string_lossy().into_owned()
        })
        .collect();
    moved.sort();
    assert_eq!(moved, ["AUDIO/old take.wav", "OTHER/scratch.aiff"]);
    assert_eq!(v["dry_run"], true);
    assert_eq!(snapshot(&set), before);
    assert!(!set.join("backups").exists());

    // A fail point in the backup manifest's write: exit 1, nothing changed.
    gk().env("GROOVEKIT_FAILPOINT", "write:1").args(["ot", "purge-files"]).arg(&set).assert().code(1);
    assert_eq!(snapshot(&set), before);

    let out = gk().args(["ot", "purge-files"]).arg(&set).assert().success();
    // After a real run the plan is a summary, on stderr (issue 24).
    let text = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(text.contains("moved to backups/") && text.contains("ot restore"), "{text}");
    assert!(!set.join("AUDIO/old take.wav").exists());
    assert!(set.join("AUDIO/chain.wav").exists() && set.join("AUDIO/chain.ot").exists(), "used by OTHER");
    let backup = std::fs::read_dir(set.join("backups")).unwrap().next().unwrap().unwrap().path();
    gk().args(["ot", "restore"]).arg(&backup).assert().success();
    assert_eq!(snapshot(&set), before);
}

#[test]
fn purge_slots_collect_and_clear_through_the_cli() {
    let Some(fx) = fixtures("ot_cleanup_cli") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let set = demo_set(&fx, tmp.path());
    let other = set.join("OTHER");
    let before = snapshot(&set);

    // OTHER's Flex 1 is used by the default parts (slot 1 of track 1): nothing to purge.
    let out = gk().args(["ot", "purge-slots"]).arg(&other).args(["--json"]).assert().success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["slots"].as_array().unwrap().len(), 0, "{v}");
    assert_eq!(snapshot(&set), before);

    // collect: chain.wav (+ .ot) copied into OTHER, the path rewritten; a fail point first.
    gk().env("GROOVEKIT_FAILPOINT", "rename:2").args(["ot", "collect"]).arg(&other).assert().code(1);
    assert_eq!(snapshot(&set), before);
    gk().args(["ot", "collect"]).arg(&other).arg("--dry-run").assert().success();
    assert_eq!(snapshot(&set), before);
    gk().args(["ot", "collect"]).arg(&other).assert().success();
    assert_eq!(std::fs::read(other.join("chain.wav")).unwrap(), before[Path::new("AUDIO/chain.wav")]);
    assert_eq!(std::fs::read(other.join("chain.ot")).unwrap(), before[Path::new("AUDIO/chain.ot")]);
    let text = std::fs::read_to_string(other.join("project.work")).unwrap();
    assert!(text.contains("PATH=chain.wav\r\n"), "{text}");

    // clear: usage errors exit 2; a missing project exits 1.
    gk().args(["ot", "clear"]).arg(&other).args(["--bank", "17"]).assert().code(2);
    gk().args(["ot", "clear"]).arg(tmp.path().join("none")).args(["--bank", "1"]).assert().code(1);
    let out = gk().args(["ot", "clear"]).arg(&other).args(["--bank", "1"]).assert().success();
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("nothing to do"), "a blank bank stays");
}

#[test]
fn dedupe_and_relink_through_the_cli() {
    let Some(fx) = fixtures("ot_cleanup_dedupe") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let set = demo_set(&fx, tmp.path());
    // A copy of chain.wav inside OTHER, named by OTHER's Flex 1.
    std::fs::copy(set.join("AUDIO/chain.wav"), set.join("OTHER/chain copy.wav")).unwrap();
    std::fs::copy(set.join("AUDIO/chain.ot"), set.join("OTHER/chain copy.ot")).unwrap();
    let p = set.join("OTHER/project.work");
    let text = std::fs::read_to_string(&p).unwrap().replace("PATH=../AUDIO/chain.wav", "PATH=chain copy.wav");
    std::fs::write(&p, text).unwrap();
    let before = snapshot(&set);
    gk().args(["ot", "dedupe"]).arg(&set).arg("--dry-run").assert().success();
    assert_eq!(snapshot(&set), before);
    let out = gk().args(["ot", "dedupe"]).arg(&set).arg("--json").assert().success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["slots"][0]["to"], "../AUDIO/chain.wav", "{v}");
    assert!(!set.join("OTHER/chain copy.wav").exists() && !set.join("OTHER/chain copy.ot").exists());
    assert!(v["backup"].as_str().unwrap().contains("backups"));

    // relink: the pool file moved into a sub-folder; OTHER finds it again.
    std::fs::create_dir_all(set.join("AUDIO/moved")).unwrap();
    std::fs::rename(set.join("AUDIO/chain.wav"), set.join("AUDIO/moved/chain.wav")).unwrap();
    gk().args(["ot", "relink"]).arg(set.join("OTHER")).arg("--search").arg(set.join("AUDIO")).assert().success();
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains("PATH=../AUDIO/moved/chain.wav\r\n"), "{text}");
    // A search folder that does not exist: exit 1.
    gk().args(["ot", "relink"]).arg(set.join("OTHER")).arg("--search").arg(tmp.path().join("none")).assert().code(1);
}
