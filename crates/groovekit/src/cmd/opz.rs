//! Teenage Engineering OP-Z: the handler for the generic commands and the `groovekit opz ...` subcommands.
//!
//! Patterns, chains and steps are numbered from 1 as on the device; tracks go by name (`kick`,
//! `bass`, ...). Every edit reads the project, changes only the bytes it must, and then writes a
//! backup and the new file atomically (`--dry-run` shows what would change and writes nothing).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use groovekit_opz::OpzError;
use groovekit_opz::human::{self, note_name};
use groovekit_opz::kit::{self, Kit};
use groovekit_opz::midi::{self, TICKS_PER_STEP};
use groovekit_opz::model::{Project, TRACK_NAMES, sound_param_names};
use groovekit_opz::{kit_doc, ops, raw, view};
use miette::{IntoDiagnostic, miette};

use super::{Handler, Inspection, Outcome, VerifyReport, read_file};

/// A pattern number on the command line: 1-16.
fn pattern_arg(s: &str) -> Result<u8, String> {
    super::args::ranged(1u8, 16, "pattern")(s)
}

/// A step number on the command line: 1-16.
fn step_arg(s: &str) -> Result<u8, String> {
    super::args::ranged(1u8, 16, "step")(s)
}

/// A track on the command line: its name (kick ... motion) or number 1-16, as a track index.
fn track_arg(s: &str) -> Result<usize, String> {
    groovekit_opz::model::track_index(s)
        .ok_or_else(|| format!("`{s}` is not a track: {}, or 1-16", TRACK_NAMES.join(", ")))
}

/// A saved chain number for `chain select`: 1-15, or `none`.
/// (0 stands for none).
fn saved_chain_arg(s: &str) -> Result<u8, String> {
    if s.eq_ignore_ascii_case("none") {
        return Ok(0);
    }
    s.parse::<u8>()
        .ok()
        .filter(|n| (1..=15).contains(n))
        .ok_or_else(|| format!("`{s}` is not a saved chain 1-15 (or `none`)"))
}

/// Flags every OP-Z edit takes.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct EditFlags {
    /// Show what would change; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

/// `groovekit opz ...` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum OpzCommand {
    /// Show a pattern as a step grid per track: notes, step components and parameter locks.
    Pattern {
        /// The project (.opz).
        project: PathBuf,
        /// Pattern 1-16.
        #[arg(long, default_value = "1", value_parser = pattern_arg)]
        pattern: u8,
        /// Also draw the grid as SVG to this file.
        #[arg(long, value_name = "OUT.svg")]
        svg: Option<PathBuf>,
        /// Show empty tracks too.
        #[arg(long)]
        all: bool,
        /// With --svg: show what would be written; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print the pattern as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Set the tempo (whole BPM, 40-200).
    SetTempo {
        /// The project (.opz).
        project: PathBuf,
        /// Beats per minute, 40-200.
        #[arg(value_parser = super::args::ranged(40u16, 200, "OP-Z tempo in BPM"))]
        bpm: u16,
        #[command(flatten)]
        flags: EditFlags,
    },
    /// Pattern chains.
    #[command(subcommand)]
    Chain(ChainCommand),
    /// Copy a pattern, within a project or to another one: `SRC.opz[:N] DST.opz[:M]` (N defaults
    /// to 1, M to N).
    CopyPattern {
        /// Source project and pattern, e.g. `project01.opz:3`.
        src: String,
        /// Destination project and pattern, e.g. `project02.opz:5`.
        dst: String,
        #[command(flatten)]
        flags: EditFlags,
    },
    /// Clear a pattern's notes, step components and locks (track settings and sounds stay).
    ClearPattern {
        /// The project (.opz).
        project: PathBuf,
        /// Pattern 1-16.
        #[arg(long, value_parser = pattern_arg)]
        pattern: u8,
        #[command(flatten)]
        flags: EditFlags,
    },
    /// Add a note to a step (into the first free note slot of the track).
    AddNote {
        /// The project (.opz).
        project: PathBuf,
        /// Pattern 1-16.
        #[arg(long, value_parser = pattern_arg)]
        pattern: u8,
        /// Track name (kick, snare, ..., motion) or number 1-16.
        #[arg(long, value_parser = track_arg)]
        track: usize,
        /// Step 1-16.
        #[arg(long, value_parser = step_arg)]
        step: u8,
        /// Note name (C4 = 60, F#3, Bb2) or MIDI number 0-127.
        note: String,
        /// Velocity 1-127.
        #[arg(long, default_value_t = 100, value_parser = super::args::ranged(1u8, 127, "velocity"))]
        velocity: u8,
        /// Length in ticks (3072 = one sixteenth). The default, 2560 (5/6 of a sixteenth), is what
        /// the device's step entry writes (1 474 notes in the corpus).
        #[arg(long, default_value_t = 2560, value_parser = clap::value_parser!(i32).range(1..))]
        length: i32,
        /// Micro-timing -96 to 95 (192 per step).
        #[arg(long, default_value_t = 0, allow_negative_numbers = true,
              value_parser = super::args::ranged(-96i8, 95, "micro-timing"))]
        micro: i8,
        #[command(flatten)]
        flags: EditFlags,
    },
    /// Put the notes of a MIDI file into a pattern: tracks by MIDI track name (the names `convert`
    /// writes) or channel, quantised to each track's step grid with micro-timing for the rest;
    /// what does not fit (polyphony, range, loop) is reported.
    ImportMidi {
        /// The MIDI file (.mid).
        midi: PathBuf,
        /// The project (.opz) to write into.
        project: PathBuf,
        /// Pattern 1-16.
        #[arg(long, value_parser = pattern_arg)]
        pattern: u8,
        /// Map a MIDI track or channel to an OP-Z track: `SRC=TRACK`, SRC a track name or `chN`
        /// (channel 1-16), TRACK an OP-Z track name or number (repeatable).
        #[arg(long = "track-map", value_name = "SRC=TRACK")]
        track_map: Vec<String>,
        /// Do not remove swing from odd sixteenths (by default the project's swing is removed, as
        /// `convert` adds it).
        #[arg(long)]
        keep_swing: bool,
        #[command(flatten)]
        flags: EditFlags,
    },
    /// Sample packs (drum kits).
    #[command(subcommand)]
    Kit(KitCommand),
}

/// `groovekit opz chain ...`.
#[derive(Debug, clap::Subcommand)]
pub enum ChainCommand {
    /// Replace a chain with pattern numbers (e.g. `1 1 2 3` or `1,1,2,3`).
    Set {
        /// The project (.opz).
        project: PathBuf,
        /// Pattern numbers 1-16 in play order (at most 32).
        #[arg(required = true, num_args = 1..)]
        patterns: Vec<String>,
        /// Which chain (16 = the one playing).
        #[arg(long, default_value = "16", value_parser = pattern_arg)]
        chain: u8,
        #[command(flatten)]
        flags: EditFlags,
    },
    /// Select a saved chain (1-15), or `none` (header byte 568).
    Select {
        /// The project (.opz).
        project: PathBuf,
        /// Saved chain 1-15, or `none`.
        #[arg(value_parser = saved_chain_arg)]
        chain: u8,
        #[command(flatten)]
        flags: EditFlags,
    },
}

/// `groovekit opz kit ...`.
#[derive(Debug, clap::Subcommand)]
pub enum KitCommand {
    /// Build a drum kit from up to 24 samples (one slice each, 12 s in all), converting them to
    /// mono 16-bit 44.1 kHz.
    Build {
        /// The samples (WAV, AIFF or FLAC), in slice order.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// The kit to write (.aif).
        #[arg(short, long)]
        output: PathBuf,
        /// The kit's name (default: the output's file stem).
        #[arg(long)]
        name: Option<String>,
        /// Show what would be written; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Write each non-empty slice of a drum kit as a WAV file (01.wav ... 24.wav).
    Split {
        /// The kit (.aif).
        kit: PathBuf,
        /// The folder to write into (created if needed).
        #[arg(short, long)]
        output: PathBuf,
        /// Show what would be written; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// Runs a `groovekit opz` subcommand.
pub fn run(command: OpzCommand) -> miette::Result<Outcome> {
    match command {
        OpzCommand::Pattern { project, pattern, svg, all, json, .. } => {
            pattern_cmd(&project, usize::from(pattern) - 1, svg.as_deref(), all, json)
        }
        OpzCommand::SetTempo { project, bpm, flags } => {
            edit(&project, flags, &format!("set the tempo to {bpm} BPM"), |p| ops::set_tempo(p, bpm))
        }
        OpzCommand::Chain(ChainCommand::Select { project, chain, flags }) => {
            let chain = (chain > 0).then_some(chain);
            let what = match chain {
                Some(c) => format!("select saved chain {c}"),
                None => "select no saved chain".to_string(),
            };
            edit(&project, flags, &what, |p| ops::select_chain(p, chain.map(|c| usize::from(c) - 1)))
        }
        OpzCommand::ImportMidi { midi, project, pattern, track_map, keep_swing, flags } => {
            import_midi_cmd(&midi, &project, usize::from(pattern) - 1, &track_map, keep_swing, flags)
        }
        OpzCommand::Chain(ChainCommand::Set { project, patterns, chain, flags }) => {
            let mut entries = Vec::new();
            for item in patterns.iter().flat_map(|s| s.split(',')).filter(|s| !s.trim().is_empty()) {
                // Out of range is a usage error (exit 2), as for every argument value.
                let n = pattern_arg(item)
                    .map_err(|e| super::args::usage(format!("chain {chain}, entry {}: {e}", entries.len() + 1)))?;
                entries.push(n - 1);
            }
            let text: Vec<String> = entries.iter().map(|e| (e + 1).to_string()).collect();
            let c = usize::from(chain) - 1;
            edit(&project, flags, &format!("set chain {chain} to {}", text.join(" ")), |p| {
                ops::set_chain(p, c, &entries)
            })
        }
        OpzCommand::CopyPattern { src, dst, flags } => copy_pattern_cmd(&src, &dst, flags),
        OpzCommand::ClearPattern { project, pattern, flags } => {
            let p = usize::from(pattern) - 1;
            edit(&project, flags, &format!("clear pattern {pattern}"), |pr| ops::clear_pattern(pr, p))
        }
        OpzCommand::AddNote { project, pattern, track, step, note, velocity, length, micro, flags } => {
            let t = track;
            let (p, s) = (usize::from(pattern) - 1, usize::from(step) - 1);
            let place = ops::place(p, t, s);
            let number =
                human::parse_note(&note).ok_or_else(|| miette!("{place}: `{note}` is not a note name or number"))?;
            let number = u8::try_from(number).map_err(|_| miette!("{place}: note number {number} is over 127"))?;
            let n = ops::NewNote { note: number, velocity, duration: length, micro };
            let what = format!("add {} to {place}", note_name(number.min(127)));
            edit(&project, flags, &what, |pr| ops::add_note(pr, p, t, s, n).map(|_| ()))
        }
        OpzCommand::Kit(KitCommand::Build { inputs, output, name, .. }) => kit_build(&inputs, &output, name),
        OpzCommand::Kit(KitCommand::Split { kit, output, .. }) => kit_split(&kit, &output),
    }
}

/// An OP-Z error with the file it concerns.
fn file_err(path: &Path, e: OpzError) -> miette::Report {
    miette!("{}: {e}", path.display())
}

fn load(path: &Path) -> miette::Result<Project> {
    let bytes = read_file(path)?;
    load_bytes(path, &bytes)
}

fn load_bytes(path: &Path, bytes: &[u8]) -> miette::Result<Project> {
    Project::parse(bytes).map_err(|e| match super::kind_hint(path, bytes) {
        // Another kind of file altogether: say what it is and which command fits (issue 24).
        Some(hint) if !hint.starts_with("an OP-Z project") => {
            miette!("{} is {hint}, not an OP-Z project", path.display())
        }
        _ => file_err(path, e),
    })
}

fn changed_bytes(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).filter(|(x, y)| x != y).count() + a.len().abs_diff(b.len())
}

/// Writes `project` over `path` after a backup, or reports what would change (as JSON with
/// `--json`).
fn save(path: &Path, before: &[u8], project: &Project, flags: EditFlags, what: &str) -> miette::Result<Outcome> {
    save_reporting(path, before, project, flags, what, serde_json::Map::new())
}

/// [`save`] whose `--json` object also holds `extra` (the command's own report: one JSON
/// document on stdout).
fn save_reporting(
    path: &Path,
    before: &[u8],
    project: &Project,
    flags: EditFlags,
    what: &str,
    extra: serde_json::Map<String, serde_json::Value>,
) -> miette::Result<Outcome> {
    let n = changed_bytes(before, project.as_bytes());
    let report = |written: bool, backup: Option<&Path>, text: String| {
        if flags.json {
            let mut v = serde_json::json!({
                "file": path, "action": what, "changed_bytes": n, "dry_run": flags.dry_run,
                "written": written, "backup": backup,
            });
            if let Some(o) = v.as_object_mut() {
                o.extend(extra.clone());
            }
            println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        } else {
            // What a dry run would do is its result; after a real run a summary (stderr).
            super::result_or_info(flags.dry_run, text);
        }
    };
    if flags.dry_run {
        report(false, None, format!("dry run: would {what} in {} ({}); nothing written", path.display(), bytes(n)));
        return Ok(Outcome::Ok);
    }
    if n == 0 {
        report(false, None, format!("{}: {what}: already so, nothing written", path.display()));
        return Ok(Outcome::Ok);
    }
    let backup = crate::output::replace_reported(path, project.as_bytes())?.unwrap_or_default();
    let text = format!("{what} in {} ({} changed; backup: {})", path.display(), bytes(n), backup.display());
    report(true, Some(&backup), text);
    Ok(Outcome::Ok)
}

/// "1 byte", "2 bytes".
fn bytes(n: usize) -> String {
    plural(n, "byte")
}

/// Reads a project, applies `change`, and saves it (see [`save`]).
fn edit(
    path: &Path,
    flags: EditFlags,
    what: &str,
    change: impl FnOnce(&mut Project) -> Result<(), OpzError>,
) -> miette::Result<Outcome> {
    let mut project = load(path)?;
    let before = project.as_bytes().to_vec();
    change(&mut project).map_err(|e| file_err(path, e))?;
    save(path, &before, &project, flags, what)
}

fn import_midi_cmd(
    midi_path: &Path,
    path: &Path,
    p: usize,
    track_map: &[String],
    keep_swing: bool,
    flags: EditFlags,
) -> miette::Result<Outcome> {
    use groovekit_opz::import;
    let map = track_map
        .iter()
        .map(|e| import::parse_map_entry(e))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| miette!("{e}"))?;
    let smf = read_file(midi_path)?;
    let mut project = load(path)?;
    let before = project.as_bytes().to_vec();
    let options = import::ImportOptions { pattern: p, map, remove_swing: !keep_swing };
    let r = import::import(&mut project, &smf, &options).map_err(|e| file_err(midi_path, e))?;
    let placed: Vec<String> = r.placed.iter().map(|(&t, &n)| format!("{} {n}", TRACK_NAMES[t])).collect();
    let mut extra = serde_json::Map::new();
    if flags.json {
        // The import's report joins the save's in one object on stdout (the result).
        let v = serde_json::json!({
            "placed": r.placed.iter().map(|(&t, &n)| (TRACK_NAMES[t], n)).collect::<std::collections::BTreeMap<_, _>>(),
            "replaced": r.replaced, "repeats": r.repeats, "rounded": r.rounded,
            "dropped": r.dropped, "warnings": r.warnings,
        });
        if let serde_json::Value::Object(o) = v {
            extra = o;
        }
    } else {
        super::info(format!(
            "{}: into pattern {}: {} ({}); {} replaced; {} repeating the loop; {} rounded to the micro-timing grid",
            midi_path.display(),
            p + 1,
            plural(r.placed.values().sum(), "note"),
            if placed.is_empty() { "none".to_string() } else { placed.join(", ") },
            plural(r.replaced, "old note"),
            plural(r.repeats, "note"),
            plural(r.rounded, "note")
        ));
        super::info_list("not imported", &r.dropped);
        super::info_list("warning", &r.warnings);
    }
    let what = format!("import {} into pattern {}", midi_path.display(), p + 1);
    let outcome = save_reporting(path, &before, &project, flags, &what, extra)?;
    // Notes left out are a failure to carry the whole file: say so in the exit code.
    Ok(if r.dropped.is_empty() { outcome } else { Outcome::Failed })
}

/// Splits `path[:N]` into the path and an optional pattern number.
fn split_pattern_ref(s: &str) -> miette::Result<(PathBuf, Option<usize>)> {
    if let Some((path, n)) = s.rsplit_once(':')
        && !n.is_empty()
        && n.bytes().all(|b| b.is_ascii_digit())
    {
        let n = pattern_arg(n).map_err(|e| miette!("{s}: {e}"))?;
        return Ok((PathBuf::from(path), Some(usize::from(n) - 1)));
    }
    Ok((PathBuf::from(s), None))
}

fn copy_pattern_cmd(src: &str, dst: &str, flags: EditFlags) -> miette::Result<Outcome> {
    let (src_path, src_p) = split_pattern_ref(src)?;
    let (dst_path, dst_p) = split_pattern_ref(dst)?;
    let src_p = src_p.unwrap_or(0);
    let dst_p = dst_p.unwrap_or(src_p);
    let source = load(&src_path)?;
    let what = format!("copy pattern {} of {} to pattern {}", src_p + 1, src_path.display(), dst_p + 1);
    edit(&dst_path, flags, &what, |dst| ops::copy_pattern(&source, src_p, dst, dst_p))
}

fn pattern_cmd(path: &Path, p: usize, svg: Option<&Path>, all: bool, json: bool) -> miette::Result<Outcome> {
    let project = load(path)?;
    if json {
        let v = view::json(&project, p, all).map_err(|e| file_err(path, e))?;
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        print!("{}", view::text(&project, p, all).map_err(|e| file_err(path, e))?);
    }
    if let Some(out) = svg {
        let drawing = view::svg(&project, p).map_err(|e| file_err(path, e))?;
        groovekit_core::fs::write_atomic(out, drawing.as_bytes()).into_diagnostic()?;
        super::info(format!("wrote {}", out.display()));
    }
    Ok(Outcome::Ok)
}

/// Converts decoded audio to the kit's mono 16-bit 44.1 kHz, saying what was converted.
fn to_kit_frames(path: &Path, notes: &mut Vec<String>) -> miette::Result<Vec<i16>> {
    let decoded = groovekit_audio::read::read_audio(path).map_err(|e| miette!("{e}"))?;
    if decoded.channels == 0 || decoded.frames() == 0 {
        return Err(miette!("{}: no audio frames; a slice needs sound", path.display()));
    }
    let mut conv = Vec::new();
    let decoded = if decoded.sample_rate != kit::KIT_RATE {
        conv.push(format!("resampled {} Hz -> 44100 Hz", decoded.sample_rate));
        groovekit_audio::resample::resample(&decoded, kit::KIT_RATE).map_err(|e| miette!("{}: {e}", path.display()))?
    } else {
        decoded
    };
    let ch = usize::from(decoded.channels);
    if ch > 1 {
        conv.push(format!("mixed {ch} channels to mono"));
    }
    if decoded.source_bits != 16 {
        conv.push(format!("{}-bit -> 16-bit", decoded.source_bits));
    }
    let frames: Vec<i16> = decoded
        .samples
        .chunks_exact(ch)
        .map(|f| {
            let v = f.iter().sum::<f32>() / ch as f32;
            (v * 32_768.0).round().clamp(-32_768.0, 32_767.0) as i16
        })
        .collect();
    if !conv.is_empty() {
        notes.push(format!("{}: {}", path.display(), conv.join(", ")));
    }
    Ok(frames)
}

fn kit_build(inputs: &[PathBuf], output: &Path, name: Option<String>) -> miette::Result<Outcome> {
    if inputs.len() > kit::KIT_SLICES {
        return Err(miette!(
            "{} samples given; an OP-Z drum kit holds at most {} slices",
            inputs.len(),
            kit::KIT_SLICES
        ));
    }
    let mut notes = Vec::new();
    let mut samples = Vec::with_capacity(inputs.len());
    let bar = crate::progress::bar(inputs.len() as u64, "reading samples");
    for path in inputs {
        bar.inc(1);
        let frames = to_kit_frames(path, &mut notes)?;
        samples.push(kit::KitSample { name: path.display().to_string(), frames });
    }
    bar.finish_and_clear();
    let name = name.unwrap_or_else(|| output.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default());
    let built = kit::build_drum_kit(&samples, &name).map_err(|e| miette!("{}: {e}", output.display()))?;
    groovekit_core::fs::write_atomic(output, &built.to_bytes()).into_diagnostic()?;
    for n in &notes {
        super::info(format!("converted {n}"));
    }
    let total: usize = samples.iter().map(|s| s.frames.len()).sum();
    super::info(format!(
        "wrote {}: {} slices, {:.3} s of 12 s",
        output.display(),
        samples.len(),
        total as f64 / f64::from(kit::KIT_RATE)
    ));
    Ok(Outcome::Ok)
}

fn kit_split(path: &Path, out: &Path) -> miette::Result<Outcome> {
    let bytes = read_file(path)?;
    let k = Kit::parse(&bytes).map_err(|e| file_err(path, e))?;
    let rate = k.aiff.format().map_err(|e| file_err(path, e))?.rate.round() as u32;
    let working = crate::progress::working("splitting");
    let slices = kit::slice_frames(&k).map_err(|e| file_err(path, e))?;
    // All slices in one transaction: every file appears, or none.
    let mut tx = groovekit_core::fs::Transaction::new();
    for (i, frames) in &slices {
        let file = out.join(format!("{:02}.wav", i + 1));
        tx.write(&file, &kit::wav_bytes(frames, rate)).into_diagnostic()?;
    }
    tx.commit().into_diagnostic()?;
    drop(working);
    for (i, frames) in &slices {
        super::info(format!("wrote {} ({} frames)", out.join(format!("{:02}.wav", i + 1)).display(), frames.len()));
    }
    super::info(format!("{} slices written to {}", slices.len(), out.display()));
    Ok(Outcome::Ok)
}

/// A note length in sixteenths, the unit of `opz pattern` (3072 ticks each; the exact ticks are in
/// `--json` and `dump`).
fn sixteenths_text(ticks: i32) -> String {
    let steps = f64::from(ticks) / f64::from(TICKS_PER_STEP);
    format!("{steps:.3}").trim_end_matches('0').trim_end_matches('.').to_string()
}

/// An OP-Z configuration file (`config/general.json`, ...): its settings, one per line.
fn inspect_config(path: &Path, bytes: &[u8]) -> miette::Result<Inspection> {
    let v: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        miette!(
            "{}: OP-Z configuration, not valid JSON at line {} column {}: {e}",
            path.display(),
            e.line(),
            e.column()
        )
    })?;
    let mut text = format!("{}: OP-Z configuration\n", path.display());
    if let Some(map) = v.as_object() {
        for (k, x) in map {
            let _ = writeln!(text, "  {k}: {x}");
        }
    }
    Ok(Inspection { text, json: serde_json::json!({ "kind": groovekit_opz::verify::CONFIG_KIND, "settings": v }) })
}

fn inspect_project(path: &Path, bytes: &[u8]) -> miette::Result<Inspection> {
    let project = Project::parse(bytes).map_err(|e| file_err(path, e))?;
    let h = project.header();
    let mut text = String::new();
    let _ = writeln!(text, "OP-Z project {}", path.display());
    let _ = writeln!(
        text,
        "{} bytes, file ID {:#x}, trailer {}",
        bytes.len(),
        h.file_id,
        project.trailer().map_or("none (pre-2021 file)".to_string(), |t| t.to_string())
    );
    let _ = writeln!(
        text,
        "tempo {} BPM, swing {}, metronome level {} sound {}, mixer drum {} synth {} punch {} master {}",
        h.tempo, h.swing, h.metronome_level, h.metronome_sound, h.mixer[0], h.mixer[1], h.mixer[2], h.mixer[3]
    );
    let mut chains_json = Vec::new();
    for c in 0..16 {
        let entries: Vec<usize> = project.chain(c).iter().map(|&e| usize::from(e) + 1).collect();
        if !entries.is_empty() {
            let list: Vec<String> = entries.iter().map(ToString::to_string).collect();
            let tag = if c == 15 { " (playing)" } else { "" };
            let _ = writeln!(text, "chain {}{tag}: {}", c + 1, list.join(" "));
        }
        chains_json.push(entries);
    }
    let selected = h.selected_chain().map(|c| c + 1);
    let _ =
        writeln!(text, "selected saved chain: {} (byte 568)", selected.map_or("none".to_string(), |c| c.to_string()));
    let mut patterns_json = Vec::new();
    for p in 0..raw::PATTERNS {
        let mut tracks_json = Vec::new();
        let mut pattern_text = String::new();
        let mut pattern_notes = 0;
        for (t, track_name) in TRACK_NAMES.iter().enumerate() {
            let settings = project.track(p, t).map_err(|e| file_err(path, e))?;
            let notes = project.notes(p, t).map_err(|e| file_err(path, e))?;
            let param_names = sound_param_names(t);
            let mut steps = Vec::new();
            for s in 0..raw::STEPS {
                let st = project.step(p, t, s).map_err(|e| file_err(path, e))?;
                let comps: Vec<String> = st.components().iter().map(|(c, v)| format!("{} {v}", c.name())).collect();
                let locks: Vec<String> = st.locks().iter().map(|&(i, v)| format!("{}={v}", param_names[i])).collect();
                if !comps.is_empty() || !locks.is_empty() {
                    steps.push((s, comps, locks));
                }
            }
            if notes.is_empty() && steps.is_empty() {
                continue;
            }
            pattern_notes += notes.len();
            let muted = project.muted(p, t).map_err(|e| file_err(path, e))?;
            let _ = writeln!(
                pattern_text,
                "  {:<8} {} steps x {}/16, plug {}, {}{}",
                track_name,
                settings.step_count,
                settings.step_length,
                settings.plug,
                plural(notes.len(), "note"),
                if muted { ", muted (the device does not play it)" } else { "" }
            );
            let note_list: Vec<String> = notes
                .iter()
                .map(|n| {
                    let micro = if n.slot.micro != 0 { format!(" micro {:+}", n.slot.micro) } else { String::new() };
                    format!(
                        "{}:{} vel {} len {}{micro}",
                        n.step + 1,
                        note_name(n.slot.note),
                        n.slot.velocity,
                        sixteenths_text(n.slot.duration)
                    )
                })
                .collect();
            for chunk in note_list.chunks(6) {
                let _ = writeln!(pattern_text, "    notes  {}", chunk.join(", "));
            }
            for (s, comps, locks) in &steps {
                let mut parts = comps.clone();
                parts.extend(locks.iter().map(|l| format!("lock {l}")));
                let _ = writeln!(pattern_text, "    step {:>2} {}", s + 1, parts.join(", "));
            }
            tracks_json.push(serde_json::json!({
                "track": track_name,
                "plug": settings.plug,
                "step_count": settings.step_count,
                "step_length": settings.step_length,
                "muted": muted,
                "notes": notes.iter().map(|n| serde_json::json!({
                    "step": n.step + 1,
                    "note": note_name(n.slot.note),
                    "number": n.slot.note,
                    "velocity": n.slot.velocity,
                    "length": n.slot.duration,
                    "length_sixteenths": f64::from(n.slot.duration) / f64::from(TICKS_PER_STEP),
                    "micro": n.slot.micro,
                })).collect::<Vec<_>>(),
                "steps": steps.iter().map(|(s, c, l)| serde_json::json!({"step": s + 1, "components": c, "locks": l})).collect::<Vec<_>>(),
            }));
        }
        if !tracks_json.is_empty() {
            let _ = writeln!(text, "pattern {}: {pattern_notes} notes", p + 1);
            text.push_str(&pattern_text);
            patterns_json.push(serde_json::json!({ "pattern": p + 1, "tracks": tracks_json }));
        }
    }
    if patterns_json.is_empty() {
        text.push_str("no notes, components or locks in any pattern\n");
    }
    let _ =
        writeln!(text, "note lengths (len) in sixteenths ({TICKS_PER_STEP} ticks each), as `opz pattern` shows them");
    let json = serde_json::json!({
        "kind": "opz-project",
        "path": path,
        "size": bytes.len(),
        "file_id": h.file_id,
        "trailer": project.trailer(),
        "tempo": h.tempo,
        "swing": h.swing,
        "chains": chains_json,
        "selected_chain": selected,
        "patterns": patterns_json,
    });
    Ok(Inspection { text, json })
}

fn inspect_kit(path: &Path, bytes: &[u8]) -> miette::Result<Inspection> {
    let k = Kit::parse(bytes).map_err(|e| file_err(path, e))?;
    let f = k.aiff.format().map_err(|e| file_err(path, e))?;
    let json = k.json().map_err(|e| file_err(path, e))?;
    let kind = json.get("type").and_then(|v| v.as_str()).unwrap_or("?").to_string();
    let rate = if f.rate > 0.0 { f.rate } else { f64::from(kit::KIT_RATE) };
    let mut text = String::new();
    let _ = writeln!(
        text,
        "OP-Z/OP-1 {kind} pack {}: {} ch, {}-bit, {} Hz, {} frames ({:.3} s)",
        path.display(),
        f.channels,
        f.bits,
        f.rate,
        f.frames,
        f64::from(f.frames) / rate
    );
    let chunks: Vec<String> =
        k.aiff.chunks.iter().map(|c| format!("{} ({} B)", String::from_utf8_lossy(&c.id), c.data.len())).collect();
    let _ = writeln!(text, "chunks: {}", chunks.join(", "));
    for key in ["name", "drum_version", "synth_version", "octave", "base_freq"] {
        if let Some(v) = json.get(key) {
            let _ = writeln!(text, "{key}: {v}");
        }
    }
    let slices = k.slices().map_err(|e| file_err(path, e))?;
    let mut slices_json = Vec::new();
    if !slices.is_empty() {
        let _ = writeln!(text, "slice  key  start s    end s      length s  pitch  volume  playmode  reverse");
        for (i, s) in slices.iter().enumerate() {
            let (a, b) = (s.start_frame() as f64 / rate, s.end_frame() as f64 / rate);
            let _ = writeln!(
                text,
                "{:>5}  {:<4} {a:>9.4}  {b:>9.4}  {:>9.4}  {:>5}  {:>6}  {:>8}  {:>7}",
                i + 1,
                note_name(53 + i as u8),
                b - a,
                s.pitch,
                s.volume,
                s.playmode,
                s.reverse
            );
            slices_json.push(serde_json::json!({
                "slice": i + 1, "start_frame": s.start_frame(), "end_frame": s.end_frame(),
                "start_s": a, "end_s": b, "pitch": s.pitch, "volume": s.volume,
                "playmode": s.playmode, "reverse": s.reverse,
            }));
        }
    }
    let out = serde_json::json!({
        "kind": "opz-kit", "type": kind, "channels": f.channels, "bits": f.bits, "rate": f.rate,
        "frames": f.frames, "slices": slices_json, "op1": json,
    });
    Ok(Inspection { text, json: out })
}

/// The folder beside a kit document that holds its data blocks: `KIT.yaml.audio/`.
fn audio_dir_for(doc: &Path) -> PathBuf {
    let name = doc.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "kit".into());
    doc.with_file_name(format!("{name}.audio"))
}

/// `groovekit dump KIT.aif`: the document, with the audio in `DOC.audio/NN-ID.raw` beside the
/// document when it goes to a file (as `okt` dumps keep samples; returned, not written, so that
/// `dump` writes them and the document in one transaction), inline as hex otherwise.
fn kit_dump(
    path: &Path,
    bytes: &[u8],
    syntax: groovekit_core::doc::Syntax,
    output: Option<&Path>,
) -> miette::Result<(String, super::SideFiles)> {
    let k = Kit::parse(bytes).map_err(|e| file_err(path, e))?;
    let mut files = Vec::new();
    let text = match output {
        Some(out) => {
            let dir = audio_dir_for(out);
            let rel = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let mut store = |label: &str, data: &[u8]| -> Result<kit_doc::DataRef, String> {
                let name = format!("{label}.raw");
                files.push((dir.join(&name), data.to_vec()));
                Ok(kit_doc::DataRef { bytes: data.len(), file: Some(format!("{rel}/{name}")), hex: None })
            };
            kit_doc::dump(&k, syntax, &mut store)
        }
        None => kit_doc::dump(&k, syntax, &mut kit_doc::store_inline),
    }
    .map_err(|e| file_err(path, e))?;
    Ok((text, files))
}

fn is_kit(bytes: &[u8]) -> bool {
    kit::looks_like_kit(bytes)
}

fn is_project(bytes: &[u8]) -> bool {
    raw::looks_like_project(bytes)
}

/// What a MIDI export did, for people: the file, the patterns, the length, and every way the
/// file differs from a plain copy of the notes (mutes, sparks, swing, what could not map).
fn export_summary(output: &Path, done: &midi::Export) -> String {
    let r = &done.report;
    let song = &done.song;
    let notes: usize = song.tracks.iter().map(|t| t.notes.len()).sum();
    let order: Vec<String> = r.patterns.iter().map(|p| (p + 1).to_string()).collect();
    let mut text = String::new();
    let _ = writeln!(
        text,
        "wrote {}: {} on {} of 16 tracks, patterns {}{}, {} BPM, {} ticks per quarter; every track ends at {} sixteenths (tick {})",
        output.display(),
        plural(notes, "note"),
        song.tracks.iter().filter(|t| !t.notes.is_empty()).count(),
        order.join(" "),
        if r.loops > 1 { format!(" x {}", r.loops) } else { String::new() },
        song.bpm,
        song.ppq,
        r.sixteenths,
        r.end_tick
    );
    if r.swing_ticks != 0 {
        let _ = writeln!(text, "swing: odd sixteenths {:+} ticks (--option swing=off to leave it out)", r.swing_ticks);
    }
    if !r.muted.is_empty() {
        let list: Vec<String> = r.muted.iter().map(|&(p, t)| format!("pattern {} {}", p + 1, TRACK_NAMES[t])).collect();
        let _ = writeln!(
            text,
            "muted (left out, {}; --option mutes=keep to export them): {}",
            plural(r.muted_notes, "note"),
            list.join(", ")
        );
    }
    if r.sparked_out > 0 || r.ratchet_notes > 0 || r.lock_ccs > 0 {
        let _ = writeln!(
            text,
            "step components: {} left out by sparks or velocity mute, {} added by multiply; {} for parameter locks",
            plural(r.sparked_out, "note"),
            plural(r.ratchet_notes, "note"),
            plural(r.lock_ccs, "control change")
        );
    }
    if r.clipped > 0 || r.wrapped > 0 {
        let _ = writeln!(
            text,
            "{} cut at the end, {} past the end moved to the start (the device plays them on the next pass)",
            plural(r.clipped, "note-off"),
            plural(r.wrapped, "note")
        );
    }
    for place in &r.invalid {
        let _ = writeln!(text, "left out (--option invalid=skip): {place}");
    }
    if !r.unmapped.is_empty() {
        let _ = writeln!(text, "not in the MIDI file (no MIDI equivalent):");
        for (what, n) in &r.unmapped {
            let _ = writeln!(text, "  {what}: {}", plural(*n, "step"));
        }
    }
    text
}

/// "1 note", "2 notes".
fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}

/// Looks for the device's `config/midi.json` beside the project or one folder up.
fn midi_config(input: &Path) -> Option<PathBuf> {
    let dir = input.parent()?;
    [dir.join("config/midi.json"), dir.join("../config/midi.json")].into_iter().find(|p| p.is_file())
}

/// The Teenage Engineering OP-Z handler.
struct OpzHandler;

impl Handler for OpzHandler {
    fn name(&self) -> &'static str {
        "opz"
    }

    fn sniff(&self, path: &Path, bytes: &[u8]) -> bool {
        // `.opz` files of any size are claimed so that empty and truncated projects get the
        // OP-Z error message rather than "not recognised".
        // The device's own `config/*.json` are claimed so that `verify` of a disk names them
        // (issue 24) rather than listing them as not recognised.
        is_project(bytes)
            || is_kit(bytes)
            || path.extension().is_some_and(|e| e.eq_ignore_ascii_case("opz"))
            || groovekit_opz::verify::is_config(path, bytes)
    }

    fn inspect(&self, path: &Path, bytes: &[u8]) -> miette::Result<Inspection> {
        if groovekit_opz::verify::is_config(path, bytes) {
            return inspect_config(path, bytes);
        }
        if is_kit(bytes) { inspect_kit(path, bytes) } else { inspect_project(path, bytes) }
    }

    fn verify_file(&self, path: &Path, bytes: &[u8], _fix: bool) -> miette::Result<VerifyReport> {
        // The checks live in the library (shared with the Python package).
        Ok(groovekit_opz::verify::verify_file(path, bytes))
    }

    fn dump(
        &self,
        path: &Path,
        bytes: &[u8],
        syntax: groovekit_core::doc::Syntax,
        output: Option<&Path>,
    ) -> miette::Result<String> {
        if is_kit(bytes) {
            // Without an output file the audio is inline; with one, `dump_with_files` is used.
            return kit_dump(path, bytes, syntax, output).map(|(text, _)| text);
        }
        let project = Project::parse(bytes).map_err(|e| file_err(path, e))?;
        human::dump(&project, syntax).map_err(|e| file_err(path, e))
    }

    fn dump_with_files(
        &self,
        path: &Path,
        bytes: &[u8],
        syntax: groovekit_core::doc::Syntax,
        output: &Path,
    ) -> miette::Result<(String, super::SideFiles)> {
        if is_kit(bytes) {
            return kit_dump(path, bytes, syntax, Some(output));
        }
        Ok((self.dump(path, bytes, syntax, Some(output))?, Vec::new()))
    }

    fn doc_kinds(&self) -> &'static [&'static str] {
        &[human::KIND, kit_doc::KIND]
    }

    fn diff(&self, a: (&Path, &[u8]), b: (&Path, &[u8])) -> miette::Result<Vec<String>> {
        let found = match (is_kit(a.1), is_kit(b.1)) {
            (true, true) => {
                let ka = Kit::parse(a.1).map_err(|e| file_err(a.0, e))?;
                let kb = Kit::parse(b.1).map_err(|e| file_err(b.0, e))?;
                groovekit_opz::diff::diff_kits(&ka, &kb)
                    .map_err(|e| miette!("{} / {}: {e}", a.0.display(), b.0.display()))?
            }
            (false, false) => {
                let (pa, pb) = (load_bytes(a.0, a.1)?, load_bytes(b.0, b.1)?);
                groovekit_opz::diff::diff_projects(&pa, &pb)
                    .map_err(|e| miette!("{} / {}: {e}", a.0.display(), b.0.display()))?
            }
            _ => {
                return Err(miette!(
                    "{} and {} are not files of the same kind (one is a sample pack, the other a project)",
                    a.0.display(),
                    b.0.display()
                ));
            }
        };
        Ok(found.iter().map(ToString::to_string).collect())
    }

    fn build(&self, kind: &str, text: &str, input: &Path) -> miette::Result<Vec<u8>> {
        if kind == kit_doc::KIND {
            // Data blocks written beside the document are read relative to its folder.
            let base = input.parent().map(Path::to_path_buf).unwrap_or_default();
            let mut load = |_at: &str, r: &kit_doc::DataRef| -> Result<Vec<u8>, String> {
                match (&r.file, &r.hex) {
                    (Some(f), _) => {
                        let p = base.join(f);
                        std::fs::read(&p).map_err(|e| format!("cannot read {}: {e}", p.display()))
                    }
                    (None, Some(h)) => kit_doc::from_hex(h).ok_or_else(|| "hex data is not valid hex".to_string()),
                    (None, None) => Err("neither `file` nor `hex` is given".into()),
                }
            };
            return kit_doc::build(text, &mut load).map(|k| k.to_bytes()).map_err(|e| file_err(input, e));
        }
        human::build(text).map(Project::into_bytes).map_err(|e| file_err(input, e))
    }

    fn conversions(&self) -> &'static [&'static str] {
        &["mid"]
    }

    fn convert(
        &self,
        input: &Path,
        bytes: &[u8],
        output: &Path,
        options: &[String],
    ) -> Option<miette::Result<Outcome>> {
        let ext = output.extension()?.to_string_lossy().to_ascii_lowercase();
        if ext != "mid" && ext != "midi" {
            return None;
        }
        Some((|| {
            let project = Project::parse(bytes).map_err(|e| file_err(input, e))?;
            let mut opts = midi::parse_options(options).map_err(|e| miette!("{e}"))?;
            if let Some(cfg) = midi_config(input) {
                let text = std::fs::read_to_string(&cfg).into_diagnostic()?;
                opts.channels = midi::channels_from_midi_json(&text).map_err(|e| file_err(&cfg, e))?;
                opts.ccs = midi::ccs_from_midi_json(&text).map_err(|e| file_err(&cfg, e))?;
                if !super::quiet() {
                    eprintln!("channels from {} (and the parameter CC numbers)", cfg.display());
                }
            }
            let done = midi::render(&project, &opts).map_err(|e| file_err(input, e))?;
            groovekit_audio::midi::write_smf(output, &done.song).map_err(|e| miette!("{}: {e}", output.display()))?;
            // A summary, not a result: stderr (the MIDI file is the result), silent with --quiet.
            if !super::quiet() {
                eprint!("{}", export_summary(output, &done));
            }
            Ok(Outcome::Ok)
        })())
    }
}

/// The handlers of this format family, for detection.
pub fn handlers() -> Vec<&'static dyn Handler> {
    vec![&OpzHandler]
}

#[cfg(test)]
#[path = "opz_tests.rs"]
mod tests;
