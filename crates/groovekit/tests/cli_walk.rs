//! The every-subcommand walk (issue 24). The command tree is read from `--help` itself (the
//! "Commands:" list, recursively), so commands added later are walked too. For each command:
//! its `--help` ends with 2-3 examples, and every example runs as written in a sandbox made from
//! the fixtures (`support/sandbox.rs`): it exits 0 (1 only where 1 is an answer: `diff`,
//! `verify`), never 2 and never panics; results are on stdout and nothing else is (no
//! "warning:", "note:", "backup:", "wrote ..." lines there); with `-q` a successful command
//! prints nothing on stderr.

#[path = "support/sandbox.rs"]
mod sandbox;

use std::path::Path;

fn fixtures() -> Option<std::path::PathBuf> {
    groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "cli walk")
}

/// The `--help` of the command at `path`.
fn help(path: &[String]) -> String {
    let out = assert_cmd::Command::cargo_bin("groovekit").unwrap().args(path).arg("--help").output().unwrap();
    assert!(out.status.success(), "groovekit {} --help failed", path.join(" "));
    String::from_utf8(out.stdout).unwrap()
}

/// The subcommand names listed under "Commands:" (without `help`).
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| l.trim() != "Commands:")
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| *n != "help")
        .map(str::to_string)
        .collect()
}

/// The example lines at the end of a `--help`.
fn examples(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| l.trim() != "Examples:")
        .skip(1)
        .filter_map(|l| l.strip_prefix("  "))
        .filter(|l| l.starts_with("groovekit "))
        .map(str::to_string)
        .collect()
}

/// Every command path, depth first (`[]` is groovekit itself).
fn tree() -> Vec<(Vec<String>, String)> {
    let mut out = Vec::new();
    let mut stack = vec![Vec::<String>::new()];
    while let Some(path) = stack.pop() {
        let h = help(&path);
        for s in subcommands(&h).into_iter().rev() {
            let mut p = path.clone();
            p.push(s);
            stack.push(p);
        }
        out.push((path, h));
    }
    out
}

/// Commands whose exit code 1 is an answer rather than a failure: `diff` (different), `verify`
/// (problems found). (`opz import-midi` exits 1 when notes do not fit; its examples use a MIDI
/// file that fits, so they exit 0.)
fn one_is_an_answer(line: &str) -> bool {
    ["groovekit diff ", "groovekit verify "].iter().any(|p| line.starts_with(p))
}

/// Lines that are not results and must not be on stdout.
fn not_a_result(line: &str) -> bool {
    ["warning:", "note:", "backup:", "wrote ", "backed up ", "not recognised:"].iter().any(|p| line.starts_with(p))
}

/// Runs the examples of one command in a fresh sandbox, with or without `-q`; returns failures.
fn run_examples(fixtures: &Path, path: &[String], lines: &[String], quiet: bool) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    sandbox::make(fixtures, dir.path());
    let mut failures = Vec::new();
    for line in lines {
        let run = if quiet { line.replacen("groovekit ", "groovekit -q ", 1) } else { line.clone() };
        let out = sandbox::sh(dir.path(), &run);
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        let code = out.status.code().unwrap_or(-1);
        let what = format!("`groovekit {} --help` example `{run}`", path.join(" "));
        if stderr.contains("panicked") {
            failures.push(format!("{what} panicked:\n{stderr}"));
        }
        if !(code == 0 || code == 1 && one_is_an_answer(line)) {
            failures.push(format!("{what} exited {code}:\n{stdout}{stderr}"));
            continue;
        }
        if let Some(l) = stdout.lines().find(|l| not_a_result(l.trim_start())) {
            failures.push(format!("{what}: not a result on stdout: {l}"));
        }
        if quiet && code == 0 && !stderr.trim().is_empty() {
            failures.push(format!("{what}: -q, yet stderr has:\n{stderr}"));
        }
    }
    failures
}

#[test]
fn every_command_has_examples_that_run_as_written_with_results_on_stdout() {
    let Some(fixtures) = fixtures() else { return };
    let mut failures = Vec::new();
    let all = tree();
    assert!(all.len() > 40, "the walk found only {} commands", all.len());
    for (path, h) in &all {
        let ex = examples(h);
        if !(2..=3).contains(&ex.len()) {
            failures.push(format!("`groovekit {} --help` has {} examples, wants 2-3", path.join(" "), ex.len()));
            continue;
        }
        // `track watch` and `serve` run until Ctrl-C: their examples cannot end in a test (serve has
        // its own route and browser tests in groovekit-serve).
        if path.last().is_some_and(|n| n == "watch" || n == "serve") {
            continue;
        }
        for quiet in [false, true] {
            failures.extend(run_examples(&fixtures, path, &ex, quiet));
        }
    }
    assert!(failures.is_empty(), "{} failures:\n\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn out_of_range_values_are_usage_errors_everywhere() {
    let Some(fixtures) = fixtures() else { return };
    let dir = tempfile::tempdir().unwrap();
    sandbox::make(&fixtures, dir.path());
    for line in [
        "groovekit ot slots MYSET/LIVE --bank 0",
        "groovekit ot slots MYSET/LIVE --bank Q",
        "groovekit ot pattern MYSET/LIVE --bank 17",
        "groovekit ot clear MYSET/LIVE --bank 0 --dry-run",
        "groovekit ot copy-bank MYSET/OLD:Q MYSET/LIVE:2 --dry-run",
        "groovekit opz add-note projects/project05.opz --pattern 1 --track bas --step 1 C2",
        "groovekit opz chain set projects/project01.opz 1 17",
        "groovekit opz set-tempo projects/project01.opz 20",
        "groovekit render song.okta -o x.wav --mute 9",
    ] {
        let out = sandbox::sh(dir.path(), line);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{line}: {stderr}");
        assert!(!stderr.contains("..="), "{line}: a range written with ..=: {stderr}");
    }
    // Banks as letters are accepted wherever a bank is.
    for line in ["groovekit ot slots MYSET/LIVE --bank A", "groovekit ot pattern MYSET/LIVE --bank a --pattern 1"] {
        let out = sandbox::sh(dir.path(), line);
        assert_eq!(out.status.code(), Some(0), "{line}: {}", String::from_utf8_lossy(&out.stderr));
    }
}
