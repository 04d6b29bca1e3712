//! Backups that do not pile up (issue 23, item 8): outputs groovekit can make again keep at most
//! one `NAME.bak`, replaced each time, none with `--no-backup`; project backups are listed and
//! pruned with `ot backups list|prune`.

use std::path::{Path, PathBuf};

#[path = "support/project_tree.rs"]
mod project_tree;
use project_tree::{copy_dir, fixtures, gk};

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

#[test]
fn renders_keep_one_backup_replaced_each_time_and_none_with_no_backup() {
    let Some(fx) = fixtures("renders_keep_one_backup") else { return };
    let dir = tempfile::tempdir().unwrap();
    let song = dir.path().join("kick_snare.track");
    std::fs::copy(fx.join("track/kick_snare.track"), &song).unwrap();
    copy_dir(&fx.join("track/assets"), &dir.path().join("assets"));
    let wav = dir.path().join("demo.wav");
    let render =
        |rate: &str| gk().arg("render").arg(&song).arg("-o").arg(&wav).args(["--rate", rate]).assert().success();
    render("22050");
    let first = std::fs::read(&wav).unwrap();
    render("44100");
    let second = std::fs::read(&wav).unwrap();
    assert_ne!(first, second);
    assert_eq!(std::fs::read(dir.path().join("demo.wav.bak")).unwrap(), first);
    render("48000");
    // Still one backup, now of the second render.
    assert_eq!(std::fs::read(dir.path().join("demo.wav.bak")).unwrap(), second);
    assert!(!names(dir.path()).iter().any(|n| n.starts_with("demo.wav.bak.")), "{:?}", names(dir.path()));
    // --no-backup: the backup is left as it was, no new one.
    let third = std::fs::read(&wav).unwrap();
    gk().arg("render").arg(&song).arg("-o").arg(&wav).args(["--rate", "22050", "--no-backup"]).assert().success();
    assert_eq!(std::fs::read(dir.path().join("demo.wav.bak")).unwrap(), second);
    assert_ne!(std::fs::read(&wav).unwrap(), third);
    // A project write always keeps its backup: --no-backup is a usage error there.
    gk().args(["ot", "new-project", "--no-backup"]).arg(dir.path().join("P")).assert().code(2);
}

/// A project with three copy-bank backups and the leftover folder of an operation that never
/// happened.
fn project_with_backups(fx: &Path, root: &Path) -> PathBuf {
    let src = root.join("SET/SRC");
    copy_dir(&fx.join("octatrack/bank-copy/BANK-COPY-SRC"), &src);
    std::fs::create_dir_all(root.join("SET/AUDIO")).unwrap();
    for (i, n) in ["first-0", "second-0", "fourth-0", "fifth-0"].iter().enumerate() {
        std::fs::write(root.join(format!("SET/AUDIO/{n}.wav")), vec![i as u8; 1000 + i]).unwrap();
    }
    let dst = root.join("OTHER/NEW");
    gk().args(["ot", "new-project"]).arg(&dst).assert().success();
    for bank in 2..=4 {
        gk().args(["ot", "copy-bank", &format!("{}:1", src.display()), &format!("{}:{bank}", dst.display())])
            .assert()
            .success();
        // A new second for each stamp.
        std::thread::sleep(std::time::Duration::from_millis(1100));
    }
    let stale = dst.join("backups/20200101-000000-copy-bank");
    std::fs::create_dir_all(&stale).unwrap();
    std::fs::write(stale.join("000-project.work"), b"partial").unwrap();
    dst
}

#[test]
fn backups_list_and_prune() {
    let Some(fx) = fixtures("backups_list_and_prune") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dst = project_with_backups(&fx, tmp.path());
    let out = gk().args(["ot", "backups", "list", "--json"]).arg(&dst).assert().success();
    let list: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 4);
    assert_eq!(list[0]["complete"], false, "the stale folder is oldest and incomplete");
    assert!(list[1..].iter().all(|b| b["complete"] == true && b["label"] == "copy-bank"));
    let before = names(&dst.join("backups"));
    let out = gk().args(["ot", "backups", "prune", "--keep", "1", "--dry-run"]).arg(&dst).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert_eq!(text.lines().filter(|l| l.starts_with("would remove")).count(), 3, "{text}");
    assert_eq!(names(&dst.join("backups")), before, "a dry run removes nothing");
    gk().args(["ot", "backups", "prune", "--keep", "1"]).arg(&dst).assert().success();
    let left = names(&dst.join("backups"));
    assert_eq!(left, vec![before[3].clone()], "the newest stays");
    // The kept one still restores.
    gk().args(["ot", "restore"]).arg(dst.join("backups").join(&left[0])).assert().success();
    // Ages: nothing here is 30 days old; a bad age is a usage error.
    gk().args(["ot", "backups", "prune", "--older-than", "30d"]).arg(&dst).assert().success();
    assert_eq!(names(&dst.join("backups")).len(), 2, "the backup and the restore's backup");
    gk().args(["ot", "backups", "prune", "--older-than", "30y"]).arg(&dst).assert().code(2);
}
