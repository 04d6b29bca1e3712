//! `groovekit ot slots`, `ot copy-bank` and `ot restore` on copies of the fixtures.
#[path = "support/project_tree.rs"]
mod project_tree;
use project_tree::{bank_copy_set, fixtures, gk, snapshot};

#[test]
fn slots_lists_usage_and_missing_files() {
    let Some(fx) = fixtures("ot_ops_slots") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let (src, _) = bank_copy_set(&fx, tmp.path());
    let out = gk().args(["ot", "slots"]).arg(&src).arg("--json").assert().success().get_output().stdout.clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let slots = v["slots"].as_array().unwrap();
    let s127 = slots.iter().find(|s| s["slot_type"] == "static" && s["slot"] == 127).unwrap();
    assert_eq!(s127["path"], "../AUDIO/fourth-0.wav");
    assert_eq!(s127["missing"], false);
    // Static 127 is locked on pattern 1 track 2 step 9 (p-lock byte 31 = 126).
    let locks: Vec<_> = s127["uses"].as_array().unwrap().iter().filter(|u| u["kind"] == "lock").collect();
    assert!(locks.iter().any(|u| u["pattern"] == 1 && u["track"] == 2 && u["step"] == 9), "{locks:?}");
    // A missing file shows up with --missing.
    std::fs::remove_file(tmp.path().join("SET/AUDIO/second-0.wav")).unwrap();
    let out = gk().args(["ot", "slots"]).arg(&src).arg("--missing").assert().success().get_output().stdout.clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("second-0.wav  MISSING FILE"), "{text}");
    assert!(!text.contains("first-0.wav"), "{text}");
    // --bank/--pattern narrows the uses: the pattern's locks, and the slots of the part it plays
    // (pattern 2 plays part 2 in this bank), which play only where pattern 2 plays them.
    let out = gk().args(["ot", "slots"]).arg(&src).args(["--bank", "1", "--pattern", "2", "--json"]).assert().success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let mut parts = 0;
    for s in v["slots"].as_array().unwrap() {
        for u in s["uses"].as_array().unwrap() {
            match u["kind"].as_str() {
                Some("lock") => assert_eq!(u["pattern"].as_u64(), Some(2), "{u}"),
                Some("part") => {
                    parts += 1;
                    assert_eq!(u["part"].as_u64(), Some(2), "{u}");
                    let plays_in = u["plays_in"].as_array().unwrap();
                    assert!(plays_in.is_empty() || plays_in == &vec![serde_json::json!(2)], "{u}");
                }
                _ => panic!("{u}"),
            }
        }
    }
    assert!(parts > 0);
}

#[test]
fn copy_bank_dry_run_then_copy_then_restore() {
    let Some(fx) = fixtures("ot_ops_copy_bank") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let (src, dst) = bank_copy_set(&fx, tmp.path());
    let before = snapshot(tmp.path());
    let from = format!("{}:1", src.display());
    let to = format!("{}:3", dst.display());
    let out = gk().args(["ot", "copy-bank", &from, &to, "--dry-run", "--json"]).assert().success();
    let plan: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(plan["dry_run"], true);
    assert!(plan["slots"].as_array().unwrap().iter().any(|m| m["action"] == "new"));
    assert_eq!(snapshot(tmp.path()), before, "a dry run changes nothing");
    // A fail point in the transaction: exit 1, nothing changed.
    gk().args(["ot", "copy-bank", &from, &to]).env("GROOVEKIT_FAILPOINT", "rename:2").assert().code(1);
    assert_eq!(snapshot(tmp.path()), before);
    let out = gk().args(["ot", "copy-bank", &from, &to, "--also-strd"]).assert().success();
    // After a real run the plan is a summary, on stderr (issue 24).
    let text = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(text.contains("backup: "), "{text}");
    assert!(dst.join("bank03.work").is_file() && dst.join("bank03.strd").is_file());
    // Not blank any more: refused without --force.
    let err = gk().args(["ot", "copy-bank", &from, &to]).assert().code(1).get_output().stderr.clone();
    assert!(String::from_utf8_lossy(&err).contains("--force"));
    let backup = std::fs::read_dir(dst.join("backups")).unwrap().next().unwrap().unwrap().path();
    gk().args(["ot", "restore"]).arg(&backup).assert().success();
    let mut after = snapshot(tmp.path());
    after.retain(|p, _| !p.starts_with("SET/DEST/backups"));
    assert_eq!(after, before, "restore puts every file back and removes the created ones");
}

#[test]
fn copy_bank_batch_runs_in_order() {
    let Some(fx) = fixtures("ot_ops_batch") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let (_, dst) = bank_copy_set(&fx, tmp.path());
    let cfg = tmp.path().join("SET/copies.yaml");
    std::fs::write(
        &cfg,
        "kind: octatrack-copy-bank-batch\ncopies:\n  - {source: SRC, source_bank: 1, destination: DEST, destination_bank: 4}\n  - {source: SRC, source_bank: 1, destination: DEST, destination_bank: 5, also_strd: true}\n",
    )
    .unwrap();
    let out = gk().args(["ot", "copy-bank", "--config"]).arg(&cfg).arg("--json").assert().success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert!(dst.join("bank04.work").is_file() && dst.join("bank05.strd").is_file());
    // The second copy reuses the slots the first added (same content and settings).
    let second = &v[1]["slots"];
    assert!(second.as_array().unwrap().iter().filter(|m| m["action"] == "reuse").count() >= 4, "{second}");
}

#[test]
fn copy_bank_usage_errors() {
    // A malformed PROJECT:BANK or a bank outside 1-16 is a usage error (exit 2).
    gk().args(["ot", "copy-bank", "nocolon", "x:1"]).assert().code(2);
    gk().args(["ot", "copy-bank", "a:17", "x:1"]).assert().code(2);
}
