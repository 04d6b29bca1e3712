//! Issue 24, item 8: long work shows a progress bar on a terminal, and none off it or with `-q`.
//!
//! The terminal is a pseudo-terminal made by `script(1)` (util-linux, in Debian's essential
//! `bsdutils`; `.ci/run` installs it when missing): `script -qec CMD /dev/null` runs CMD with its
//! stdin, stdout and stderr on a pty and copies everything CMD writes there to its own stdout.
//! Nothing here depends on timing: indicatif draws a bar at its first update (its rate limiter
//! starts full), and `crate::progress::bar` has no delay, so the first position set by the
//! command draws the bar however fast the machine is.

#[path = "support/sandbox.rs"]
mod sandbox;

use std::path::Path;
use std::process::{Command, Stdio};

/// Whether `script` can be run (outside CI a machine without it skips; CI must have it).
fn have_script() -> bool {
    let ok = Command::new("script").arg("--version").output().is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "script(1) is missing (Debian: apt-get install bsdutils)"
        );
        eprintln!("skipped: script(1) is not installed");
    }
    ok
}

/// `groovekit ARGS` run in `dir` on a pseudo-terminal: (exit code, everything written to the
/// terminal, stdout and stderr together).
fn on_terminal(dir: &Path, args: &str) -> (i32, String) {
    on_terminal_with(dir, "1000", args)
}

/// [`on_terminal`] with `GROOVEKIT_PROGRESS_DELAY_MS` (how long a spinner waits) set to `delay_ms`.
fn on_terminal_with(dir: &Path, delay_ms: &str, args: &str) -> (i32, String) {
    let bin = assert_cmd::cargo::cargo_bin("groovekit");
    let out = Command::new("script")
        .args(["-qec", &format!("{} {args}", bin.display()), "/dev/null"])
        .current_dir(dir)
        .env("TERM", "xterm")
        .env("COLUMNS", "100")
        .env("GROOVEKIT_PROGRESS_DELAY_MS", delay_ms)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `groovekit ARGS` run in `dir` with plain pipes and spinners shown at once
/// (`GROOVEKIT_PROGRESS_DELAY_MS=0`): (exit code, stderr).
fn off_terminal(dir: &Path, args: &str) -> (i32, String) {
    let out = Command::new(assert_cmd::cargo::cargo_bin("groovekit"))
        .args(args.split_whitespace())
        .current_dir(dir)
        .env("GROOVEKIT_PROGRESS_DELAY_MS", "0")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Whether `text` holds a drawn bar of `message`: `message [==>   ] 123/456`.
fn has_bar(text: &str, message: &str) -> bool {
    text.split(&format!("{message} [")).skip(1).any(|rest| {
        let Some((bar, after)) = rest.split_once("] ") else { return false };
        bar.len() == 30
            && bar.chars().all(|c| matches!(c, '=' | '>' | ' '))
            && after.split_whitespace().next().is_some_and(|n| n.contains('/'))
    })
}

#[test]
fn long_work_shows_a_bar_on_a_terminal_only() {
    if !have_script() {
        return;
    }
    let Some(d) = sandbox::temp("progress on a terminal") else { return };
    let d = d.path();
    // (command, the bar's message, its summary on stderr). A sinc render always gets a bar (the
    // issue's 22-second render; low rate and mono keep this one short); so does a chain.
    let cases = [
        ("render song.okta -o song.wav --interpolation sinc --rate 8000 --channels 1", "rendering", "rendered "),
        ("ot chain drums -o chains/ kick.wav snare.wav hat.wav", "chain", "chains/drums.wav + chains/drums.ot"),
    ];
    for (line, message, summary) in cases {
        let (code, tty) = on_terminal(d, line);
        assert_eq!(code, 0, "{line}: {tty}");
        assert!(has_bar(&tty, message), "{line}: a bar on the terminal: {tty:?}");
        assert!(tty.contains(summary), "{line}: then the summary: {tty:?}");
        let (code, tty) = on_terminal(d, &format!("-q {line}"));
        assert_eq!(code, 0, "{line}: {tty}");
        assert!(!tty.contains(&format!("{message} [")), "{line}: -q: no bar: {tty:?}");
        assert_eq!(tty.trim(), "", "{line}: -q: nothing at all (the summary is not a result)");
        let (code, err) = off_terminal(d, line);
        assert_eq!(code, 0, "{line}: {err}");
        assert!(!err.contains(&format!("{message} [")), "{line}: off a terminal: no bar: {err:?}");
        assert!(err.contains(summary), "{line}: the summary still: {err:?}");
    }
}

#[test]
fn a_spinner_waits_its_delay_and_shows_on_a_terminal_only() {
    if !have_script() {
        return;
    }
    let Some(d) = sandbox::temp("spinner on a terminal") else { return };
    let d = d.path();
    // `inspect` of a project folder reads it under a `progress::working` spinner. The delay
    // (1 s by default) is set so that the test does not depend on how fast the machine is.
    let inspect = "inspect MYSET/LIVE";
    let (code, tty) = on_terminal_with(d, "0", inspect);
    assert_eq!(code, 0, "{tty}");
    assert!(tty.contains("reading the folder"), "the spinner at once: {tty:?}");
    assert!(tty.contains("project LIVE"), "then the result: {tty:?}");
    let (code, tty) = on_terminal_with(d, "600000", inspect);
    assert_eq!(code, 0, "{tty}");
    assert!(!tty.contains("reading the folder"), "work shorter than the delay shows none: {tty:?}");
    let (_, tty) = on_terminal_with(d, "0", &format!("-q {inspect}"));
    assert!(!tty.contains("reading the folder"), "-q: none: {tty:?}");
    let (code, err) = off_terminal(d, inspect);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("reading the folder"), "off a terminal: none: {err:?}");
}
