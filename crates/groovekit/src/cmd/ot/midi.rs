//! `groovekit ot midi` and `groovekit ot import-midi`: patterns and arrangements as Standard MIDI
//! Files, both ways (issue 21). The work is in `groovekit_octatrack::midi`; this module parses
//! the arguments (ranges checked by clap, exit 2) and prints the reports.

use std::path::{Path, PathBuf};

use groovekit_octatrack::Project;
use groovekit_octatrack::midi::export::{self, ExportOptions, ExportReport, Span};
use groovekit_octatrack::midi::import::{self, ImportOptions, ImportPlan, MapEntry};
use groovekit_octatrack::ops::backup::ApplyOptions;
use miette::miette;

use crate::cmd::args;
use crate::cmd::{Outcome, quiet};

/// MIDI file subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum MidiCommand {
    /// Export patterns or an arrangement as a Standard MIDI File (type 1): a conductor track
    /// (tempo map, time signatures, a marker per pattern pass or row), a track per MIDI track on
    /// its channel (notes and chords, velocity, length, CC/pitch bend/aftertouch, bank and program)
    /// and a track per audio track (one C4 note per trig), all ending at the end of the span.
    /// Without --pattern or --arrangement: every pattern of the bank (of every bank without
    /// --bank), in order. What the file cannot hold is reported on stderr (and in --json).
    #[command(after_help = "Examples:\n  \
        groovekit ot midi MYPROJECT --bank A --pattern 1 -o a01.mid\n  \
        groovekit ot midi MYPROJECT --bank 1 --pattern 1 2 3 --passes 2 --fill -o verse.mid\n  \
        groovekit ot midi MYPROJECT --arrangement 1 --json -o song.mid")]
    Midi {
        /// The project folder.
        project: PathBuf,
        /// Bank 1-16 or A-P (default: every bank, with every pattern).
        #[arg(long, value_parser = args::ot_bank)]
        bank: Option<usize>,
        /// Patterns 1-16 of the bank, played in this order (several allowed).
        #[arg(long, num_args = 1.., requires = "bank", conflicts_with = "arrangement",
              value_parser = clap::value_parser!(u8).range(1..=16))]
        pattern: Vec<u8>,
        /// Arrangement 1-8 (its rows, repeats, tempos, loops).
        #[arg(long, value_parser = clap::value_parser!(u8).range(1..=8))]
        arrangement: Option<u8>,
        /// How many times each pattern plays (trig conditions count passes).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=256))]
        passes: u32,
        /// Play with the FILL switch on (FILL trigs play, !FILL trigs do not).
        #[arg(long)]
        fill: bool,
        /// Seed of the random draws of % conditions (the same seed gives the same file).
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// The MIDI file to write.
        #[arg(short, long)]
        output: PathBuf,
        /// Print the report as JSON on stdout.
        #[arg(long)]
        json: bool,
        /// Show what would be written; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Import the notes of a Standard MIDI File onto the trigs of a bank: MIDI tracks get notes
    /// (up to 4 a step as a chord, NOT2-NOT4), velocity and length locks and micro-timing for
    /// notes off the grid; mapped channels become audio-track trigs. A song longer than a pattern
    /// fills the next patterns (and, with --arrangement, the arrangement's rows). What does not
    /// fit is reported. A backup is kept; --dry-run shows the plan.
    #[command(after_help = "Examples:\n  \
        groovekit ot import-midi song.mid MYPROJECT --bank A --pattern 9 --dry-run\n  \
        groovekit ot import-midi drums.mid MYPROJECT --bank 2 --pattern 5 --track-map ch10:36=T1\n  \
        groovekit ot import-midi song.mid MYPROJECT --bank 1 --pattern 1 --arrangement 1 --force --json")]
    ImportMidi {
        /// The MIDI file.
        midi: PathBuf,
        /// The project folder.
        project: PathBuf,
        /// Bank 1-16 or A-P.
        #[arg(long, value_parser = args::ot_bank)]
        bank: usize,
        /// The first pattern written, 1-16.
        #[arg(long, value_parser = clap::value_parser!(u8).range(1..=16))]
        pattern: u8,
        /// Set arrangement 1-8's rows to the patterns written.
        #[arg(long, value_parser = clap::value_parser!(u8).range(1..=8))]
        arrangement: Option<u8>,
        /// SRC[:KEY]=TRACK: notes of channel `chN` (1-16) or of a MIDI track name, optionally
        /// only key KEY, go to `M1`-`M8` or `T1`-`T8` (several allowed, first match wins; default:
        /// the export's track names, else the MIDI track on the note's channel).
        #[arg(long, value_parser = map_entry)]
        track_map: Vec<MapEntry>,
        /// Steps per pattern, 1-64 (default: the song's length when it fits one pattern, else
        /// the most whole bars that fit 64 steps).
        #[arg(long, value_parser = clap::value_parser!(u8).range(1..=64))]
        length: Option<u8>,
        /// Replace tracks that hold trigs (a backup is kept).
        #[arg(long)]
        force: bool,
        /// Print the plan; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print the plan or result as JSON.
        #[arg(long)]
        json: bool,
    },
}

fn map_entry(s: &str) -> Result<MapEntry, String> {
    import::parse_map_entry(s).map_err(|e| e.to_string())
}

/// Runs a MIDI subcommand.
pub fn run(command: MidiCommand) -> miette::Result<Outcome> {
    match command {
        MidiCommand::Midi { project, bank, pattern, arrangement, passes, fill, seed, output, json, dry_run: _ } => {
            let span = match (arrangement, bank) {
                (Some(a), _) => Span::Arrangement(a),
                (None, Some(b)) => {
                    let b = b as u8; // ok: 1..=16 from the parser
                    let ps = if pattern.is_empty() { (1..=16).collect() } else { pattern };
                    Span::Patterns(ps.into_iter().map(|p| (b, p)).collect())
                }
                (None, None) => Span::Patterns((1..=16).flat_map(|b| (1..=16).map(move |p| (b, p))).collect()),
            };
            export_to(&project, &span, &ExportOptions { passes, fill, seed }, &output, json)
        }
        MidiCommand::ImportMidi {
            midi,
            project,
            bank,
            pattern,
            arrangement,
            track_map,
            length,
            force,
            dry_run,
            json,
        } => {
            let opts = ImportOptions {
                bank: bank as u8, // ok: 1..=16 from the parser
                pattern,
                arrangement,
                track_map,
                length,
                force,
            };
            let working = crate::progress::working("importing");
            let plan = import::import_midi(&project, &midi, &opts, dry_run, ApplyOptions::default());
            drop(working);
            let plan = plan.map_err(|e| miette!("{e}"))?;
            print_import(&plan, json)?;
            Ok(Outcome::Ok)
        }
    }
}

/// Exports `span` of the project folder `dir` to `output` and reports (shared with `convert`).
pub fn export_to(dir: &Path, span: &Span, opts: &ExportOptions, output: &Path, json: bool) -> miette::Result<Outcome> {
    let mut project = Project::open(dir).map_err(|e| miette!("{}: {e}", dir.display()))?;
    let done = export::export(&mut project, span, opts).map_err(|e| miette!("{}: {e}", dir.display()))?;
    groovekit_audio::midi::write_smf(output, &done.song).map_err(|e| miette!("{}: {e}", output.display()))?;
    print_export(output, &done.report, json)?;
    Ok(Outcome::Ok)
}

/// The export's report: JSON on stdout with --json; else a summary and the list of what was not
/// exported on stderr (the summary silenced by -q, the list is a warning).
fn print_export(output: &Path, r: &ExportReport, json: bool) -> miette::Result<()> {
    if json {
        let v = serde_json::json!({ "output": output, "report": r });
        println!("{}", serde_json::to_string_pretty(&v).map_err(|e| miette!("{e}"))?);
        return Ok(());
    }
    if !quiet() {
        eprintln!(
            "wrote {}: {} notes on {} tracks, {} segments, {:.2} s, {} ticks per quarter note",
            output.display(),
            r.notes,
            r.tracks.len(),
            r.segments,
            r.seconds,
            r.ppq
        );
        if r.rounded > 0 {
            eprintln!(
                "note: {} swung positions rounded to the nearest tick (at most 1/18432 of a quarter note)",
                r.rounded
            );
        }
    }
    for line in r.not_exported.iter() {
        crate::cmd::info(format!("not exported: {line}"));
    }
    Ok(())
}

fn print_import(plan: &ImportPlan, json: bool) -> miette::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(plan).map_err(|e| miette!("{e}"))?);
        return Ok(());
    }
    let r = &plan.report;
    let head = if plan.dry_run { "plan" } else { "imported" };
    crate::cmd::result_or_info(
        plan.dry_run,
        format!(
            "{head}: {} -> {}: {} of {} notes onto {} ({} steps a pattern{})",
            plan.source.display(),
            plan.project.display(),
            r.placed,
            r.notes,
            if r.patterns.is_empty() { "no pattern".to_string() } else { r.patterns.join(" ") },
            r.length,
            r.tempo.map(|t| format!(", {t} BPM")).unwrap_or_default()
        ),
    );
    for route in &r.routing {
        crate::cmd::result_or_info(
            plan.dry_run,
            format!(
                "  MIDI track {} {:?} channel {}: {} notes -> {}",
                route.midi_track + 1,
                route.name,
                route.channel,
                route.notes,
                route.to.as_deref().unwrap_or("(none)")
            ),
        );
    }
    for c in &r.changed {
        crate::cmd::result_or_info(plan.dry_run, format!("  change: {c}"));
    }
    for row in &r.arrangement_rows {
        crate::cmd::result_or_info(plan.dry_run, format!("  arrangement {row}"));
    }
    for w in &plan.writes {
        crate::cmd::result_or_info(
            plan.dry_run,
            format!("  {} {}", if plan.dry_run { "would write" } else { "wrote" }, w.display()),
        );
    }
    if let Some(b) = &plan.backup {
        crate::cmd::result_or_info(plan.dry_run, format!("  backup: {}", b.display()));
    }
    crate::cmd::info_list("approximated", &r.approximated);
    crate::cmd::info_list("not imported", &r.not_imported);
    Ok(())
}

/// What `convert` makes of an Octatrack project folder.
pub const CONVERT_TARGET: &str = "mid";

/// The `convert` options of a project folder to .mid, for messages.
const CONVERT_OPTIONS: &str =
    "bank=B (1-16 or A-P), pattern=P (1-16; with bank), arrangement=N (1-8), passes=N (1-256), fill=on|off, seed=S";

/// `groovekit convert PROJECT OUT.mid [--option KEY=VALUE]...`: None when `input` is not an
/// Octatrack project folder or `output` not a MIDI file (the generic conversions then apply).
pub fn convert_project(input: &Path, output: &Path, options: &[String], json: bool) -> Option<miette::Result<Outcome>> {
    let ext = output.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let is_project = input.is_dir() && (input.join("project.work").is_file() || input.join("project.strd").is_file());
    if !is_project || !(ext == "mid" || ext == "midi") {
        return None;
    }
    Some(convert_options(options).and_then(|(span, opts)| export_to(input, &span, &opts, output, json)))
}

fn convert_options(options: &[String]) -> miette::Result<(Span, ExportOptions)> {
    let (mut bank, mut patterns, mut arrangement) = (None, Vec::new(), None);
    let mut opts = ExportOptions::default();
    for o in options {
        let bad = |why: String| args::usage(format!("option `{o}`: {why} (options: {CONVERT_OPTIONS})"));
        let (key, value) =
            o.split_once('=').map(|(k, v)| (k.trim(), v.trim())).ok_or_else(|| bad("not KEY=VALUE".into()))?;
        let number = |max: u32| {
            value.parse::<u32>().ok().filter(|n| (1..=max).contains(n)).ok_or_else(|| bad(format!("{key} is 1-{max}")))
        };
        match key {
            "bank" => bank = Some(args::ot_bank(value).map_err(bad)? as u8), // ok: 1..=16
            "pattern" => patterns.push(number(16)? as u8),                   // ok: 1..=16
            "arrangement" => arrangement = Some(number(8)? as u8),           // ok: 1..=8
            "passes" => opts.passes = number(256)?,
            "seed" => opts.seed = value.parse().map_err(|_| bad("seed is a whole number".into()))?,
            "fill" => {
                opts.fill = match value {
                    "on" | "yes" | "true" => true,
                    "off" | "no" | "false" => false,
                    _ => return Err(bad("fill is on or off".into())),
                }
            }
            _ => return Err(bad("unknown option".into())),
        }
    }
    let span = match (arrangement, bank) {
        (Some(_), _) if !patterns.is_empty() => {
            return Err(args::usage("pattern= and arrangement= exclude each other"));
        }
        (Some(a), _) => Span::Arrangement(a),
        (None, Some(b)) => {
            let ps = if patterns.is_empty() { (1..=16).collect() } else { patterns };
            Span::Patterns(ps.into_iter().map(|p| (b, p)).collect())
        }
        (None, None) if !patterns.is_empty() => return Err(args::usage("pattern= needs bank=")),
        (None, None) => Span::Patterns((1..=16).flat_map(|b| (1..=16).map(move |p| (b, p))).collect()),
    };
    Ok((span, opts))
}
