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
mod cmd;
mod output;
mod progress;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

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
    /// Largest audio decoded into memory, in MB of 32-bit samples (default 1073, about 50 minutes
    /// of 44.1 kHz stereo); a longer file is refused with a message rather than exhausting memory.
    #[arg(long, global = true, value_name = "MB", value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    max_audio_mb: Option<u64>,
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
        /// Show what would be written; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Render a song or module to a WAV file.
    Render(RenderArgs),
    /// Convert a file to another format, chosen by the output's extension: .yaml/.json (any
    /// file, as `dump`), .wav (Oktalyzer modules and .track songs, as `render` with its
    /// defaults), .mid (OP-Z projects). Asking for another lists what exists (exit 2).
    Convert {
        /// Input file.
        input: PathBuf,
        /// Output file.
        output: PathBuf,
        /// Format-specific options, as `KEY=VALUE` (for example `pattern=3`).
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
}

fn run(cli: Cli) -> miette::Result<Outcome> {
    cmd::set_quiet(cli.quiet);
    match cli.command {
        Command::Inspect { file, json } => cmd::inspect(&file, json),
        Command::Verify { paths, json, fix, dry_run, verbose } => {
            cmd::verify(&paths, cmd::VerifyOpts { json, fix: fix && !dry_run, verbose })
        }
        // --dry-run is applied process-wide by output::start (every write becomes a plan).
        Command::Dump { file, format, output, force, dry_run: _ } => cmd::dump(&file, format, output.as_deref(), force),
        Command::Build { input, output, dry_run: _ } => cmd::build(&input, &output),
        Command::Render(args) => cmd::render(&args),
        Command::Convert { input, output, options, json, dry_run: _ } => cmd::convert(&input, &output, &options, json),
        Command::Diff { a, b, json } => cmd::diff(&a, &b, json),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "groovekit", &mut script);
            console::write_stdout_bytes(&script);
            Ok(Outcome::Ok)
        }
        Command::Ot(c) => cmd::ot::run(c),
        Command::Opz(c) => cmd::opz::run(c),
        Command::Okt(c) => cmd::okt::run(c),
        Command::Track(c) => cmd::track::run(c),
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

fn main() -> ExitCode {
    reset_sigpipe();
    let cli = Cli::parse();
    // `diff` follows diff(1): 0 same, 1 different, 2 trouble (a file that cannot be read).
    let trouble = if matches!(cli.command, Command::Diff { .. }) { 2 } else { 1 };
    if let Some(mb) = cli.max_audio_mb {
        groovekit_audio::limits::set_max_decoded_samples(mb * 1_000_000 / 4);
    }
    // The one write path: backups, --dry-run and crash recovery for every command (output.rs).
    output::start();
    let result = run(cli);
    output::finish();
    let code = match result {
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
        Cli::command().debug_assert();
    }
}
