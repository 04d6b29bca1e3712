//! `groovekit`: the command line over the groovekit libraries.
//!
//! Thin by design: it parses arguments, finds the format of each file by its content, calls the
//! format's handler (see [`cmd`]) and prints. Exit codes: 0 ok, 1 failed or invalid data,
//! 2 usage error (clap's own code, and [`cmd::args::usage`] for checks that need the input);
//! `diff` as diff(1): 0 same, 1 different, 2 trouble; 74 when the output could not be written
//! ([`console::OUTPUT_ERROR_EXIT`]).

// First, so that its non-panicking `println!` & co. replace the standard ones in every module.
#[macro_use]
mod console;
mod arg_errors;
mod cmd;
mod examples;
mod output;
mod progress;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use cmd::{Outcome, RenderArgs};

/// Read, check, edit, convert and render the files of grooveboxes and trackers.
#[derive(Debug, Parser)]
#[command(name = "groovekit", version, about, propagate_version = true)]
struct Cli {
    /// Print only results and errors: no summaries, warnings, notes or progress bars.
    #[arg(short, long, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
    /// Largest audio decoded into memory (before the command); shown, and also accepted after
    /// the command name, only by the commands that decode audio ([`DECODES_AUDIO`]).
    #[arg(long, hide = true, value_name = "MB", value_parser = crate::cmd::args::ranged(1u64, 1_000_000, "MB"))]
    max_audio_mb: Option<u64>,
    /// For outputs groovekit can make again (render, convert, dump, build, ot chain,
    /// ot chain-preview, ot grid, track watch): keep no `NAME.bak` of the file replaced (by
    /// default they keep one, replaced each time).
    #[arg(long, global = true)]
    no_backup: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Summarise any supported file (the kind is detected by content, not by name).
    Inspect {
        /// The file to inspect.
        file: PathBuf,
        /// Print machine-readable JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check files or whole folders: sizes, headers, versions, checksums, references. Every file
    /// is checked or listed as not recognised; one line per problem, a summary at the end. Exit 1
    /// on any problem, or when a folder holds nothing groovekit recognises.
    Verify {
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Print machine-readable JSON.
        #[arg(long)]
        json: bool,
        /// Repair what can be repaired (checksums), after writing a backup.
        #[arg(long)]
        fix: bool,
        /// With --fix: report what would be repaired, change nothing.
        #[arg(long, requires = "fix")]
        dry_run: bool,
        /// Also print one line per good file.
        #[arg(short, long)]
        verbose: bool,
    },
    /// Write a readable, diffable YAML or JSON form of a file.
    Dump {
        /// The file to dump.
        file: PathBuf,
        /// Output syntax.
        #[arg(long, value_enum, default_value_t = cmd::DocFormat::Yaml)]
        format: cmd::DocFormat,
        /// Output file (default: standard output).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Replace an existing output that is not a dump (a device file, for example); a backup is kept.
        #[arg(long)]
        force: bool,
        /// Show what would be written; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Build a file from a YAML or JSON dump (dump then build is byte-identical).
    Build {
        /// The YAML or JSON document.
        input: PathBuf,
        /// The file to write.
        #[arg(short, long)]
        output: PathBuf,
        /// Replace an existing output of another kind (a module with a bank, say); a backup is kept.
        #[arg(long)]
        force: bool,
        /// Show what would be written; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Render a song or module to a WAV file.
    Render(RenderArgs),
    /// Convert a file to another format, chosen by the output's extension: .yaml/.json (any
    /// file, as `dump`), .wav (Oktalyzer modules and .track songs, as `render` with its
    /// defaults), .mid (OP-Z projects; Octatrack project folders, as `ot midi`). Asking for another
    /// lists what exists (exit 2).
    Convert {
        /// Input file.
        input: PathBuf,
        /// Output file.
        output: PathBuf,
        /// Format-specific options, as `KEY=VALUE` (for example `pattern=3`; Octatrack projects to
        /// .mid: bank=, pattern=, arrangement=, passes=, fill=on, seed=).
        #[arg(long = "option", value_name = "KEY=VALUE")]
        options: Vec<String>,
        /// Show what would be written; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print what was converted as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show the meaningful differences between two files of one kind. Exit codes as diff(1):
    /// 0 the same, 1 different, 2 trouble (unreadable or invalid files, different kinds).
    Diff {
        /// The first file.
        a: PathBuf,
        /// The second file.
        b: PathBuf,
        /// Print machine-readable JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print a shell completion script.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Elektron Octatrack commands.
    #[command(subcommand)]
    Ot(cmd::ot::OtCommand),
    /// Teenage Engineering OP-Z commands.
    #[command(subcommand)]
    Opz(cmd::opz::OpzCommand),
    /// Amiga Oktalyzer commands.
    #[command(subcommand)]
    Okt(cmd::okt::OktCommand),
    /// `.track` text tracker commands.
    #[command(subcommand)]
    Track(cmd::track::TrackCommand),
    /// Serve a local web view of Sets, projects and folders (127.0.0.1 only; prints the URL):
    /// projects, patterns, samples you can hear, modules you can play, and a JSON API.
    Serve(cmd::serve::ServeArgs),
}

/// The command tree, every command with the examples at the end of its `--help`, and
/// `--max-audio-mb` on the commands that decode audio.
fn command() -> clap::Command {
    audio_option_where_decoded(examples::add(Cli::command(), ""), "")
}

/// The id of `--max-audio-mb` on the commands that decode audio (read by [`audio_limit`]).
const AUDIO_LIMIT: &str = "max_audio_mb_here";

/// The commands that decode audio into memory, where `--max-audio-mb` matters (issue 24: the
/// option is in these `--help`s only).
const DECODES_AUDIO: &[&str] = &[
    "render",
    "convert",
    "ot chain",
    "ot split",
    "ot chain-preview",
    "ot find-audio",
    "opz kit build",
    "track check",
    "track watch",
];

fn audio_option_where_decoded(mut cmd: clap::Command, path: &str) -> clap::Command {
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in names {
        let sub = if path.is_empty() { name.clone() } else { format!("{path} {name}") };
        cmd = cmd.mut_subcommand(&name, |c| audio_option_where_decoded(c, &sub));
    }
    if DECODES_AUDIO.contains(&path) {
        cmd = cmd.arg(
            clap::Arg::new(AUDIO_LIMIT)
                .long("max-audio-mb")
                .value_name("MB")
                .value_parser(crate::cmd::args::ranged(1u64, 1_000_000, "MB"))
                .help(
                    "Largest audio decoded into memory, in MB of 32-bit samples (default 1073, about 50 minutes \
                     of 44.1 kHz stereo); a longer file is refused with a message rather than exhausting memory",
                ),
        );
    }
    cmd
}

/// The command that runs, as typed: `groovekit ot slots`.
fn command_path(matches: &clap::ArgMatches) -> String {
    let mut path = String::from("groovekit");
    let mut m = matches;
    while let Some((name, sub)) = m.subcommand() {
        path.push(' ');
        path.push_str(name);
        m = sub;
    }
    path
}

/// `--max-audio-mb` of the command that runs (or before it), in MB.
fn audio_limit(matches: &clap::ArgMatches, before: Option<u64>) -> Option<u64> {
    let mut m = matches;
    let mut found = before;
    while let Some((_, sub)) = m.subcommand() {
        if let Ok(Some(&mb)) = sub.try_get_one::<u64>(AUDIO_LIMIT) {
            found = Some(mb);
        }
        m = sub;
    }
    found
}

fn run(cli: Cli) -> miette::Result<Outcome> {
    cmd::set_quiet(cli.quiet);
    match cli.command {
        Command::Inspect { file, json } => cmd::inspect(&file, json),
        Command::Verify { paths, json, fix, dry_run, verbose } => {
            // With --dry-run the repairs are prepared and the write layer makes them a plan, so
            // each finding says what would be fixed (issue 24).
            let _ = dry_run;
            cmd::verify(&paths, cmd::VerifyOpts { json, fix, verbose })
        }
        // --dry-run is applied process-wide by output::start (every write becomes a plan).
        Command::Dump { file, format, output, force, dry_run: _ } => cmd::dump(&file, format, output.as_deref(), force),
        Command::Build { input, output, force, dry_run: _ } => cmd::build(&input, &output, force),
        Command::Render(args) => cmd::render(&args),
        Command::Convert { input, output, options, json, dry_run: _ } => cmd::convert(&input, &output, &options, json),
        Command::Diff { a, b, json } => cmd::diff(&a, &b, json),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command(), "groovekit", &mut script);
            console::write_stdout_bytes(&script);
            Ok(Outcome::Ok)
        }
        Command::Ot(c) => cmd::ot::run(c),
        Command::Opz(c) => cmd::opz::run(c),
        Command::Okt(c) => cmd::okt::run(c),
        Command::Track(c) => cmd::track::run(c),
        Command::Serve(a) => cmd::serve::run(a),
    }
}

/// Restores the default SIGPIPE action. Rust ignores SIGPIPE, which turns a closed pipe
/// (`groovekit inspect BANK | head`) into a panic inside `println!`; a command-line tool should
/// instead end quietly, as every Unix filter does.
fn reset_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called once at start-up, before any thread exists; SIG_DFL is a valid action.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// Ends the run on a clap error: `--help` and `--version` as clap prints them (exit 0); an
/// argument error in the style of every other error, exit 2 (issue 24: one error style for
/// argument and data errors; the wording is [`arg_errors::describe`]'s).
fn usage_exit(e: clap::Error) -> ! {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        e.exit();
    }
    let argv: Vec<String> = std::env::args_os().skip(1).map(|a| a.to_string_lossy().into_owned()).collect();
    let described = arg_errors::describe(&e, &command(), &argv);
    eprintln!("{:?}", miette::Report::new(described));
    std::process::exit(2)
}

fn main() -> ExitCode {
    reset_sigpipe();
    let matches = command().try_get_matches().unwrap_or_else(|e| usage_exit(e));
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| usage_exit(e));
    cmd::args::set_command(command_path(&matches));
    let max_audio_mb = audio_limit(&matches, cli.max_audio_mb);
    // `diff` follows diff(1): 0 same, 1 different, 2 trouble (a file that cannot be read).
    let trouble = if matches!(cli.command, Command::Diff { .. }) { 2 } else { 1 };
    if let Some(mb) = max_audio_mb {
        groovekit_audio::limits::set_max_decoded_samples(mb * 1_000_000 / 4);
    }
    // The one write path: backups, --dry-run and crash recovery for every command (output.rs).
    let result = output::start(cli.no_backup).and_then(|_| run(cli));
    // A write whose clean-up failed is complete, but the command says so and exits 1.
    let clean = output::finish();
    let code = match result {
        Ok(Outcome::Ok) if !clean => 1,
        Ok(Outcome::Ok) => 0,
        Ok(Outcome::Failed) => 1,
        Err(report) => {
            eprintln!("{report:?}");
            // The command's own error says more than a lost line of output: its code stands.
            return ExitCode::from(if cmd::args::is_usage(&report) { 2 } else { trouble });
        }
    };
    // Output that could not be written (a full disk): reported once the work is done, with its
    // own exit code, whether the command found problems (1) or not (0), since its results are lost.
    if let Some(message) = console::failure() {
        console::report_failure(&message);
        return ExitCode::from(console::OUTPUT_ERROR_EXIT);
    }
    ExitCode::from(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// clap checks the whole command tree (unique names, groups, defaults) only when a command is
    /// built; this builds every one, so a clash fails the tests instead of a user's run.
    #[test]
    fn command_tree_is_valid() {
        command().debug_assert();
    }

    /// Every command and its path ("ot copy-bank"), depth first.
    fn walk(cmd: &clap::Command, path: &str, out: &mut Vec<(String, clap::Command)>) {
        out.push((path.to_string(), cmd.clone()));
        for sub in cmd.get_subcommands() {
            let p = if path.is_empty() { sub.get_name().to_string() } else { format!("{path} {}", sub.get_name()) };
            walk(sub, &p, out);
        }
    }

    /// Issue 24: every `--help` ends with 2-3 examples of that command, so a new command without
    /// them fails here (tests/cli_walk.rs runs them).
    #[test]
    fn every_command_ends_its_help_with_examples() {
        let mut all = Vec::new();
        walk(&command(), "", &mut all);
        for (path, cmd) in &all {
            let help = cmd.get_after_help().map(|h| h.to_string()).unwrap_or_default();
            let lines: Vec<&str> = help.strip_prefix("Examples:\n").unwrap_or_default().lines().collect();
            assert!((2..=3).contains(&lines.len()), "`groovekit {path} --help` needs 2-3 examples, has: {help:?}");
            for l in &lines {
                assert!(l.starts_with("  groovekit "), "`{path}`: {l}");
            }
            // At least one example runs this command (others may prepare its input).
            let runs = format!("groovekit {path}");
            assert!(lines.iter().any(|l| l.contains(runs.trim_end())), "`{path}`: no example runs it: {lines:?}");
        }
        // No table entry for a command that does not exist.
        for (p, _) in examples::EXAMPLES {
            assert!(all.iter().any(|(q, _)| q == p), "examples for unknown command `{p}`");
        }
    }

    /// Issue 24: `--max-audio-mb` shows only where audio is decoded, and works everywhere.
    #[test]
    fn the_audio_limit_shows_only_where_audio_is_decoded() {
        let mut all = Vec::new();
        walk(&command(), "", &mut all);
        for (path, cmd) in &mut all {
            let help = cmd.render_long_help().to_string();
            let listed = DECODES_AUDIO.contains(&path.as_str());
            assert_eq!(help.contains("--max-audio-mb"), listed, "`groovekit {path} --help`");
        }
        let m = command().try_get_matches_from(["groovekit", "render", "x.okt", "-o", "x.wav", "--max-audio-mb", "5"]);
        assert_eq!(audio_limit(&m.unwrap(), None), Some(5));
        let m = command().try_get_matches_from([
            "groovekit",
            "--max-audio-mb",
            "7",
            "ot",
            "chain",
            "d",
            "a.wav",
            "-o",
            "c",
        ]);
        assert_eq!(audio_limit(&m.unwrap(), Some(7)), Some(7), "before the command");
    }

    /// Issue 24: ranges are written as musicians read them (`1-16`), not `1..=16`.
    #[test]
    fn help_texts_write_ranges_as_musicians_do() {
        let mut all = Vec::new();
        walk(&command(), "", &mut all);
        for (path, cmd) in &mut all {
            let help = cmd.render_long_help().to_string();
            assert!(!help.contains("..="), "`groovekit {path} --help` writes a range with ..=:\n{help}");
        }
    }
}
