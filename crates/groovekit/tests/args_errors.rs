//! Issue 24, item 4: argument errors in the style of data errors. Every clap error a user can
//! reach prints one message (miette's `×` line) naming the argument and the value given, then a
//! `help:` line saying what to do, exits 2 and writes nothing on stdout; `--help` and
//! `--version` still exit 0. (The wording is unit-tested in `src/arg_errors_tests.rs`.)

use assert_cmd::Command;

/// An error as printed: the message and the help, each unwrapped from miette's frame (its lines
/// trimmed and joined by spaces).
struct Printed {
    message: String,
    help: String,
}

/// Splits miette's rendering of one error into its message and its help.
fn parse(stderr: &str) -> Printed {
    let mut message = Vec::new();
    let mut help = Vec::new();
    let mut in_help = false;
    for line in stderr.lines() {
        let t = line.trim();
        if let Some(h) = t.strip_prefix("help:") {
            in_help = true;
            help.push(h.trim().to_string());
        } else if in_help {
            help.push(t.to_string());
        } else {
            message.push(t.trim_start_matches(['×', '│']).trim().to_string());
        }
    }
    let join = |v: Vec<String>| v.into_iter().filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ");
    Printed { message: join(message), help: join(help) }
}

/// Runs `groovekit ARGS` (no files are read: every case fails in the arguments).
fn run(args: &str) -> (i32, String, Printed, String) {
    let out = Command::cargo_bin("groovekit").unwrap().args(args.split_whitespace()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), parse(&stderr), stderr)
}

#[test]
fn every_kind_of_argument_error_names_the_argument_and_the_value_and_says_what_to_do() {
    // (command line, pieces of the message: the argument and the value given, a piece of the help)
    let cases: &[(&str, &[&str], &str)] = &[
        // Unknown option, with the option clap suggests.
        ("inspect song.okta --jsn", &["unknown option", "`--jsn`", "`groovekit inspect`"], "did you mean `--json`?"),
        // One positional argument too many: the synopsis in the help.
        ("diff a b c", &["one argument too many", "`groovekit diff`", "`c`"], "usage: `groovekit diff"),
        // A missing required argument (positional, then option).
        ("inspect", &["`groovekit inspect` needs", "<FILE>"], "FILE: the file to inspect"),
        ("ot pattern MYSET/LIVE", &["`groovekit ot pattern` needs", "--bank <BANK>"], "--bank"),
        // Out of range, from args::ot_bank and args::ranged.
        ("ot slots MYSET/LIVE --bank 0", &["--bank", "`0`", "0 is outside 1-16"], "1-16 or A-P"),
        ("ot slots MYSET/LIVE --bank Q", &["--bank", "`Q`", "banks are A-P (or 1-16)"], "--bank:"),
        ("ot part MYSET/LIVE --bank 1 --part 5", &["--part", "`5`", "5 is outside 1-4"], "--part:"),
        ("render song.okta -o x.wav --rate 5", &["--rate", "`5`", "5 is outside 8000-192000"], "--rate:"),
        // Not one of the possible values.
        ("dump x --format xml", &["invalid value", "`xml`", "--format"], "--format takes yaml or json"),
        // An option without its value.
        ("ot slots MYSET/LIVE --bank", &["--bank needs a value"], "--bank:"),
        // Unknown command, with the ones clap suggests.
        ("ot slts MYSET/LIVE", &["unknown command", "`slts`", "`groovekit ot`"], "did you mean `groovekit ot slots`"),
        // Conflicting options; an option given twice.
        ("ot set MYSET --missing --unplayable", &["--missing cannot be used with --unplayable"], "not both"),
        ("inspect x --json --json", &["--json", "more than once"], "--help"),
    ];
    for (line, pieces, help_piece) in cases {
        let (code, stdout, e, raw) = run(line);
        assert_eq!(code, 2, "{line}: {raw}");
        assert_eq!(stdout, "", "{line}: nothing on stdout");
        assert!(raw.trim_start().starts_with('×'), "{line}: one message, in miette's frame as data errors: {raw}");
        for p in *pieces {
            assert!(e.message.contains(p), "{line}: the message names {p}: {raw}");
        }
        assert!(e.help.contains(help_piece), "{line}: the help says {help_piece}: {raw}");
        assert!(e.help.contains("--help`"), "{line}: the help points to --help: {raw}");
        // clap's own frame is gone: no `error:` prefix, `tip:` lines or `Usage:` block.
        for noise in ["error:", "tip:", "Usage:", "For more information"] {
            assert!(!raw.contains(noise), "{line}: {noise} in {raw}");
        }
    }
}

#[test]
fn argument_errors_look_like_data_errors() {
    // A data error (a file that is not there) and an argument error share the frame: a `×`
    // message, then (argument errors always, data errors when they have one) a `help:` line.
    let (code, _, _, data) = run("inspect no-such-file.okta");
    assert_eq!(code, 1);
    assert!(data.trim_start().starts_with("× cannot read no-such-file.okta"), "{data}");
    let (code, _, e, arg) = run("inspect");
    assert_eq!(code, 2);
    assert!(arg.trim_start().starts_with('×') && arg.contains("\n  help: "), "{arg}");
    assert!(e.help.contains("for example `groovekit inspect "), "an example that works as written: {arg}");
}

#[test]
fn help_and_version_still_exit_0_on_stdout() {
    for args in ["--help", "ot slots --help", "help ot", "--version"] {
        let (code, stdout, _, stderr) = run(args);
        assert_eq!(code, 0, "{args}: {stderr}");
        assert!(stdout.contains("groovekit"), "{args}: {stdout}");
    }
}

#[test]
fn usage_errors_found_by_the_command_have_the_same_help() {
    let Some(fixtures) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "usage help") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("project01.opz");
    std::fs::copy(fixtures.join("opz/error-garden/project01.opz"), &p).unwrap();
    // The pattern numbers of a chain are checked by the command (exit 2, as clap's errors).
    let out = Command::cargo_bin("groovekit")
        .unwrap()
        .args(["opz", "chain", "set"])
        .arg(&p)
        .args(["1", "17"])
        .output()
        .unwrap();
    let raw = String::from_utf8_lossy(&out.stderr);
    let e = parse(&raw);
    assert_eq!(out.status.code(), Some(2), "{raw}");
    assert!(e.message.contains("17 is outside 1-16"), "{raw}");
    assert_eq!(e.help, "`groovekit opz chain set --help` shows every option", "{raw}");
}
