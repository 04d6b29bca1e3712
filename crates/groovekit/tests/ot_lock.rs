//! The project lock (issue 23, item 1) through the real binary: two operations racing on one
//! project both finish, in turn, with no update lost; a busy project fails at once when asked
//! not to wait, naming the holder, having changed nothing; a lock file of a dead process is taken
//! over.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

#[path = "support/project_tree.rs"]
mod project_tree;
use project_tree::{copy_dir, fixtures, gk, snapshot};

/// The bank-copy source in a Set with four samples (`SET/SRC`), a second source whose samples
/// have other bytes under the same names (`SET2/OLD`), and a new project (`OTHER/DEST`).
fn scene(fx: &Path, tmp: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let src = tmp.join("SET/SRC");
    copy_dir(&fx.join("octatrack/bank-copy/BANK-COPY-SRC"), &src);
    let old = tmp.join("SET2/OLD");
    copy_dir(&fx.join("octatrack/bank-copy/BANK-COPY-SRC"), &old);
    for (set, fill) in [("SET", 0u8), ("SET2", 100u8)] {
        std::fs::create_dir_all(tmp.join(set).join("AUDIO")).unwrap();
        for (i, n) in ["first-0", "second-0", "fourth-0", "fifth-0"].iter().enumerate() {
            let bytes = vec![fill + i as u8; 1000 + i];
            std::fs::write(tmp.join(format!("{set}/AUDIO/{n}.wav")), bytes).unwrap();
        }
    }
    let dst = tmp.join("OTHER/DEST");
    gk().args(["ot", "new-project"]).arg(&dst).assert().success();
    (src, old, dst)
}

/// The sample slots `project.work` names (non-empty `PATH=` lines).
fn slot_paths(project: &Path) -> Vec<String> {
    let text = String::from_utf8_lossy(&std::fs::read(project.join("project.work")).unwrap()).into_owned();
    let mut v: Vec<String> =
        text.lines().filter_map(|l| l.strip_prefix("PATH=")).filter(|p| !p.is_empty()).map(String::from).collect();
    v.sort();
    v
}

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("groovekit")
}

/// The two racing commands of issue 23: a bank copy and a slot copy into one project.
fn racers(src: &Path, old: &Path, dst: &Path) -> [Vec<String>; 2] {
    let s = |p: &Path| p.display().to_string();
    [
        vec!["ot".into(), "copy-bank".into(), format!("{}:1", s(src)), format!("{}:2", s(dst))],
        vec!["ot".into(), "copy-slots".into(), s(old), s(dst), "--slots".into(), "1-8".into()],
    ]
}

/// What a finished scene holds: the slot paths of `project.work`, the bank copied into, and the
/// number of samples copied into the project.
type Outcome = (Vec<String>, Vec<u8>, usize);

fn outcome(root: &Path, dst: &Path) -> Outcome {
    let files = snapshot(root);
    let wavs =
        files.keys().filter(|k| k.starts_with("OTHER/DEST") && k.extension().is_some_and(|e| e == "wav")).count();
    (slot_paths(dst), std::fs::read(dst.join("bank02.work")).unwrap(), wavs)
}

#[test]
fn two_operations_racing_on_one_project_lose_no_update() {
    let Some(fx) = fixtures("two_operations_racing_on_one_project_lose_no_update") else { return };
    // What both give one after the other, in either order.
    let mut serial: Vec<Outcome> = Vec::new();
    for order in [[0, 1], [1, 0]] {
        let tmp = tempfile::tempdir().unwrap();
        let (src, old, dst) = scene(&fx, tmp.path());
        let cmds = racers(&src, &old, &dst);
        let first_only = {
            gk().args(&cmds[order[0]]).assert().success();
            slot_paths(&dst)
        };
        gk().args(&cmds[order[1]]).assert().success();
        let o = outcome(tmp.path(), &dst);
        assert!(o.0.len() > first_only.len(), "the second operation adds slots: {:?}", o.0);
        serial.push(o);
    }
    assert!(serial[0].0.iter().any(|p| p.contains("-2.wav")), "same names, other bytes: numbered {:?}", serial[0].0);
    // Then at the same time, many times: one waits for the other, and the result is one of the
    // two serial ones (before the lock, one operation's slots were often lost).
    let trials = 16;
    for trial in 0..trials {
        let tmp = tempfile::tempdir().unwrap();
        let (src, old, dst) = scene(&fx, tmp.path());
        let children: Vec<_> = racers(&src, &old, &dst)
            .iter()
            .map(|args| Command::new(bin()).args(args).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap())
            .collect();
        for c in children {
            let out = c.wait_with_output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "trial {trial}: {err}");
        }
        let got = outcome(tmp.path(), &dst);
        assert!(
            got == serial[0] || got == serial[1],
            "trial {trial}: not what the two give one after the other (slots {:?}, {} samples)",
            got.0,
            got.2
        );
        let files = snapshot(tmp.path());
        let layer: Vec<_> = files.keys().filter(|k| k.to_string_lossy().contains("groovekit")).collect();
        assert!(layer.is_empty(), "trial {trial}: leftovers {layer:?}");
        let backups = std::fs::read_dir(dst.join("backups")).unwrap().count();
        assert_eq!(backups, 2, "trial {trial}: one backup per operation");
    }
}

#[test]
fn a_busy_project_fails_at_once_naming_the_holder_and_changes_nothing() {
    let Some(fx) = fixtures("a_busy_project_fails_at_once") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let (src, _, dst) = scene(&fx, tmp.path());
    let before = snapshot(tmp.path());
    // This test process is "another groovekit operation".
    let held = groovekit_core::fs::lock_folder(&dst).unwrap();
    let out = gk()
        .args(["ot", "copy-bank", &format!("{}:1", src.display()), &format!("{}:2", dst.display())])
        .env("GROOVEKIT_LOCK_WAIT", "0")
        .output()
        .unwrap();
    // The message as one line (the error display wraps it).
    let err: String = String::from_utf8_lossy(&out.stderr)
        .split_whitespace()
        .filter(|w| *w != "│" && *w != "×")
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(out.status.code(), Some(1), "{err}");
    let want = format!("is busy: another groovekit operation (pid {}, since ", std::process::id());
    assert!(err.contains(&want), "{err}");
    let mut after = snapshot(tmp.path());
    after.retain(|k, _| !k.ends_with(".groovekit-lock"));
    assert_eq!(after, before, "a busy project is left as it was");
    // A short wait is enough once the holder is done.
    drop(held);
    gk().args(["ot", "copy-bank", &format!("{}:1", src.display()), &format!("{}:2", dst.display())])
        .env("GROOVEKIT_LOCK_WAIT", "0")
        .assert()
        .success();
    assert!(!dst.join(".groovekit-lock").exists(), "the lock file is removed on release");
}

#[test]
fn a_lock_file_of_a_dead_process_is_taken_over() {
    let Some(fx) = fixtures("a_lock_file_of_a_dead_process_is_taken_over") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let (src, _, dst) = scene(&fx, tmp.path());
    // Left by a process that was killed: a pid above Linux's pid_max, so never running.
    std::fs::write(dst.join(".groovekit-lock"), "pid 4194305\nstart 99\nsince 2026-12-01 10:00:00 UTC\n").unwrap();
    gk().args(["ot", "copy-bank", &format!("{}:1", src.display()), &format!("{}:2", dst.display())])
        .env("GROOVEKIT_LOCK_WAIT", "0")
        .assert()
        .success();
    assert!(!slot_paths(&dst).is_empty(), "the copy happened");
    assert!(!dst.join(".groovekit-lock").exists());
}
