//! Output that cannot be written (issue 23, item 4): standard output or standard error on a full
//! device (`/dev/full`) never panics (exit 101); the command finishes its work, reports the lost
//! output and exits 74, and a `copy-bank --config` batch runs every copy.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

#[path = "support/project_tree.rs"]
mod project_tree;
use project_tree::{bank_copy_set, fixtures, gk};

/// The exit code of lost output (`console::OUTPUT_ERROR_EXIT`).
const OUTPUT_ERROR: i32 = 74;

fn full() -> Option<std::fs::File> {
    std::fs::OpenOptions::new().write(true).open("/dev/full").ok()
}

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("groovekit")
}

/// Runs groovekit with standard output on /dev/full; standard error is captured.
fn stdout_full(args: &[&std::ffi::OsStr]) -> Option<Output> {
    let f = full()?;
    Some(Command::new(bin()).args(args).stdout(Stdio::from(f)).stderr(Stdio::piped()).output().unwrap())
}

/// Runs groovekit with standard error on /dev/full; standard output is captured.
fn stderr_full(args: &[&std::ffi::OsStr]) -> Option<Output> {
    let f = full()?;
    Some(Command::new(bin()).args(args).stderr(Stdio::from(f)).stdout(Stdio::piped()).output().unwrap())
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The common checks: no panic, exit 74, the message says what was lost.
fn assert_lost_stdout(out: &Output, what: &str) {
    let err = text(&out.stderr);
    assert!(!err.contains("panicked"), "{what}: {err}");
    assert_eq!(out.status.code(), Some(OUTPUT_ERROR), "{what}: {err}");
    assert!(err.contains("could not write to standard output"), "{what}: {err}");
}

fn real_bank() -> Option<PathBuf> {
    let fx = fixtures("output_errors_real_bank")?;
    Some(fx.join("octatrack/real-device/bank01.work"))
}

#[test]
fn inspect_dump_verify_and_completions_to_a_full_stdout_exit_74() {
    let Some(bank) = real_bank() else { return };
    if full().is_none() {
        eprintln!("skipped: no /dev/full");
        return;
    }
    let b = bank.as_os_str();
    for args in [
        vec!["inspect".as_ref(), b],
        vec!["inspect".as_ref(), "--json".as_ref(), b],
        vec!["dump".as_ref(), b],
        vec!["verify".as_ref(), "--verbose".as_ref(), b],
        vec!["completions".as_ref(), "bash".as_ref()],
    ] {
        let out = stdout_full(&args).unwrap();
        assert_lost_stdout(&out, &format!("{args:?}"));
    }
    // The same commands succeed with a working stdout (so 74 is the output, not the command).
    gk().arg("inspect").arg(&bank).assert().success();
}

#[test]
fn a_full_stderr_is_reported_on_stdout_with_exit_74() {
    if full().is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let track = tmp.path().join("song.track");
    // A warning (pattern never triggered) and the summary go to stderr, which is full.
    std::fs::write(&track, "BPM 120\nPATTERN a\n0, NOTE_C4, 1, 0\nPATTERN b\n0, NOTE_C4, 1, 0\nSCORE\n0, a\n").unwrap();
    let out = stderr_full(&["track".as_ref(), "check".as_ref(), track.as_os_str()]).unwrap();
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(OUTPUT_ERROR), "{stdout}");
    assert!(stdout.contains("could not write to standard error"), "{stdout}");
}

#[test]
fn a_copy_bank_batch_runs_every_copy_when_stdout_is_full() {
    let Some(fx) = fixtures("output_errors_batch") else { return };
    if full().is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (_, dst) = bank_copy_set(&fx, tmp.path());
    let cfg = tmp.path().join("SET/copies.yaml");
    std::fs::write(
        &cfg,
        "kind: octatrack-copy-bank-batch\ncopies:\n  - {source: SRC, source_bank: 1, destination: DEST, destination_bank: 4}\n  - {source: SRC, source_bank: 1, destination: DEST, destination_bank: 5}\n  - {source: SRC, source_bank: 1, destination: DEST, destination_bank: 6}\n",
    )
    .unwrap();
    // The fixture's destination has bank 1 only: banks 4-6 are made by the copies.
    assert!(!dst.join("bank04.work").exists());
    // --json: the batch's result goes to stdout (a real run's plain summary goes to stderr).
    let out =
        stdout_full(&["ot".as_ref(), "copy-bank".as_ref(), "--json".as_ref(), "--config".as_ref(), cfg.as_os_str()])
            .unwrap();
    assert_lost_stdout(&out, "copy-bank --config");
    // The same batch in a second copy of the Set, with a working stdout.
    let tmp2 = tempfile::tempdir().unwrap();
    let (_, dst2) = bank_copy_set(&fx, tmp2.path());
    let cfg2 = tmp2.path().join("SET/copies.yaml");
    std::fs::copy(&cfg, &cfg2).unwrap();
    let ok = Command::new(bin()).args(["ot", "copy-bank", "--json", "--config"]).arg(&cfg2).output().unwrap();
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
    assert!(text(&ok.stdout).contains("\"destination_bank\""), "{}", text(&ok.stdout));
    // Every copy of the batch was made, as with a working stdout: project and banks alike.
    for n in 4..=6 {
        let name = format!("bank0{n}.work");
        let after = std::fs::read(dst.join(&name)).unwrap_or_default();
        assert!(!after.is_empty(), "bank {n} was not copied");
        assert_eq!(after, std::fs::read(dst2.join(&name)).unwrap(), "bank {n}");
    }
    assert_eq!(std::fs::read(dst.join("project.work")).unwrap(), std::fs::read(dst2.join("project.work")).unwrap());
}
