//! Octatrack samples: the `.ot` handler for the generic commands (`inspect`, `verify [--fix]`,
//! `dump`, `build`, `diff`) and the `groovekit ot` subcommands for sample chains, slices, grids,
//! chain previews and the audio compatibility scan.

use std::path::{Path, PathBuf};

use groovekit_core::doc::Syntax;
use groovekit_octatrack::human::sample_settings::{self as doc, SampleSettingsDoc};
use groovekit_octatrack::model::sample_settings::SampleSettings;
use groovekit_octatrack::ops::chain::{ChainConfig, ChainJob, OptionsDoc, plan, write_chains};
use groovekit_octatrack::ops::slices::{self, ot_path_for};
use groovekit_octatrack::ops::{chain_preview, find_audio};
use groovekit_octatrack::raw::header::BinaryKind;
use groovekit_octatrack::raw::image::ChecksumPolicy;
use groovekit_octatrack::raw::sample_settings::SampleSettingsFile;
use miette::{IntoDiagnostic, miette};
use serde_json::json;

use crate::cmd::{Handler, Inspection, Outcome, VerifyReport, args};

/// `groovekit ot` subcommands of this area.
#[derive(Debug, clap::Subcommand)]
pub enum SamplesCommand {
    /// Join audio files into a sample chain (WAV/AIFF + .ot with one slice per file).
    ///
    /// `groovekit ot chain NAME -o DIR FILE...` or `groovekit ot chain --config chains.yaml`.
    /// Inputs: WAV or AIFF, mono or stereo (mixed: mono is duplicated), 44.1 kHz unless
    /// --resample. More than 64 files make NAME-1, NAME-2, ... Everything is checked before
    /// anything is written.
    Chain(Box<ChainArgs>),
    /// Write each slice of a chain to DIR/<stem>-NN.wav, sample for sample.
    Split {
        /// The chain's audio file.
        chain: PathBuf,
        /// Its .ot file (default: beside it, same stem).
        #[arg(long)]
        ot: Option<PathBuf>,
        /// Output folder.
        #[arg(short, long)]
        output: PathBuf,
        /// Print the files written as JSON.
        #[arg(long)]
        json: bool,
        /// Show what would be written; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Write a .ot beside an audio file with N linear or random slices.
    Grid {
        /// `linear` (equal slices) or `random` (seeded lengths, each >= 128 frames).
        #[arg(value_enum)]
        mode: GridMode,
        /// The audio file.
        audio: PathBuf,
        /// Number of slices (1-64).
        #[arg(value_parser = args::ot_slice_count)]
        slices: usize,
        /// Seed for `random`.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Tempo for a new .ot, 30-300 BPM (an existing .ot keeps its own).
        #[arg(long, value_parser = args::ot_bpm)]
        bpm: Option<f64>,
        /// Show what would be written; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print the slices and the file written as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print the slice table of a .ot file.
    Slices {
        /// The .ot file.
        file: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Draw a chain's waveform with numbered slice markers (PNG or SVG, by the output's extension).
    ChainPreview {
        /// The chain's audio file.
        chain: PathBuf,
        /// Its .ot file (default: beside it, same stem).
        #[arg(long)]
        ot: Option<PathBuf>,
        /// OUT.png or OUT.svg.
        #[arg(short, long)]
        output: PathBuf,
        /// Width in pixels (16-16384).
        #[arg(long, default_value_t = 1200, value_parser = args::preview_width)]
        width: usize,
        /// Height in pixels (40-4096).
        #[arg(long, default_value_t = 240, value_parser = args::preview_height)]
        height: usize,
        /// Show what would be written; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// List every audio file under DIR and whether the Octatrack can play it (and if not, why).
    FindAudio {
        /// The folder to scan.
        dir: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// List only files the Octatrack cannot use.
        #[arg(long)]
        unusable: bool,
    },
}

/// `grid` modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GridMode {
    /// Equal slices.
    Linear,
    /// Random lengths (seeded).
    Random,
}

/// Options of `groovekit ot chain`.
#[derive(Debug, clap::Args)]
pub struct ChainArgs {
    /// Chain name (output file stem); not with --config.
    #[arg(required_unless_present = "config")]
    pub name: Option<String>,
    /// Input files, in slice order.
    #[arg(required_unless_present = "config")]
    pub files: Vec<PathBuf>,
    /// A YAML/JSON batch of chains (see docs/octatrack-chains.md).
    #[arg(long, conflicts_with_all = ["name", "files"])]
    pub config: Option<PathBuf>,
    /// Output folder (with --config: overrides the file's folders).
    #[arg(short, long, required_unless_present = "config")]
    pub output: Option<PathBuf>,
    /// Tempo written to the .ot (30-300 BPM; default 120).
    #[arg(long, value_parser = args::ot_bpm)]
    pub bpm: Option<f64>,
    /// Gain in dB (-24..24 in 0.5 dB steps; default 0).
    #[arg(long, allow_hyphen_values = true, value_parser = args::ot_gain_db)]
    pub gain: Option<f64>,
    /// Timestretch: off, normal (default) or beat.
    #[arg(long, value_parser = ["off", "normal", "beat"])]
    pub timestretch: Option<String>,
    /// Loop: off (default), normal (also written `on`) or ping-pong.
    #[arg(long = "loop", value_parser = ["off", "normal", "on", "ping-pong"])]
    pub loop_mode: Option<String>,
    /// Trig quantisation: direct (default), pattern-length or a step count (1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256).
    #[arg(long, value_parser = args::ot_trig_quant)]
    pub trig_quant: Option<String>,
    /// Output bit depth, 16 or 24 (default: the deepest input).
    #[arg(long, value_parser = args::ot_bit_depth)]
    pub bit_depth: Option<u16>,
    /// Scale each input to full scale (goes through floating point).
    #[arg(long)]
    pub normalize: bool,
    /// Fade in, percent of each slice (0-100).
    #[arg(long, value_parser = args::percent)]
    pub fade_in: Option<f64>,
    /// Fade out, percent of each slice (0-100).
    #[arg(long, value_parser = args::percent)]
    pub fade_out: Option<f64>,
    /// Resample inputs that are not 44.1 kHz (otherwise they are refused).
    #[arg(long)]
    pub resample: bool,
    /// Output container: wav (default) or aiff.
    #[arg(long, value_parser = ["wav", "aif", "aiff"])]
    pub format: Option<String>,
    /// Check everything and print what would be written; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

impl ChainArgs {
    fn options(&self) -> OptionsDoc {
        OptionsDoc {
            bpm: self.bpm,
            gain_db: self.gain,
            timestretch: self.timestretch.clone(),
            loop_mode: self.loop_mode.clone(),
            trig_quantization: self.trig_quant.clone().map(doc::Mode::Name),
            bit_depth: self.bit_depth,
            normalize: self.normalize.then_some(true),
            fade_in: self.fade_in,
            fade_out: self.fade_out,
            resample: self.resample.then_some(true),
            format: self.format.clone(),
        }
    }
}

/// Runs one of this area's subcommands.
pub fn run(command: SamplesCommand) -> miette::Result<Outcome> {
    match command {
        SamplesCommand::Chain(args) => chain(&args),
        SamplesCommand::Split { chain, ot, output, json, .. } => split(&chain, ot.as_deref(), &output, json),
        SamplesCommand::Grid { mode, audio, slices, seed, bpm, dry_run, json } => {
            grid(GridArgs { mode, audio: &audio, n: slices, seed, bpm, dry_run, json })
        }
        SamplesCommand::Slices { file, json } => slice_table(&file, json),
        SamplesCommand::ChainPreview { chain, ot, output, width, height, .. } => {
            preview(&chain, ot.as_deref(), &output, width, height)
        }
        SamplesCommand::FindAudio { dir, json, unusable } => find(&dir, json, unusable),
    }
}

fn chain(args: &ChainArgs) -> miette::Result<Outcome> {
    let jobs = match &args.config {
        Some(cfg) => {
            let text = std::fs::read_to_string(cfg).into_diagnostic()?;
            let base = cfg.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            // Command-line options act as defaults under the file's own values.
            let mut cfg_doc: ChainConfig =
                groovekit_core::doc::from_text(&text).map_err(|e| miette!("{}: {e}", cfg.display()))?;
            cfg_doc.defaults = cfg_doc.defaults.over(&args.options());
            let text = groovekit_core::doc::to_json(&cfg_doc).map_err(|e| miette!("{e}"))?;
            ChainConfig::jobs(&text, base, args.output.as_deref()).map_err(|e| miette!("{}: {e}", cfg.display()))?
        }
        None => {
            let options = args.options().resolve().map_err(|e| miette!("{e}"))?;
            let name = args.name.clone().unwrap_or_default();
            let out_dir = args.output.clone().ok_or_else(|| miette!("-o DIR is required"))?;
            vec![ChainJob { name, files: args.files.clone(), out_dir, options }]
        }
    };
    let plans = plan(&jobs).map_err(|e| miette!("{e}"))?;
    let summary: Vec<serde_json::Value> = plans
        .iter()
        .map(|p| {
            json!({
                "audio": p.audio, "ot": p.ot, "slices": p.inputs.len(), "frames": p.frames(),
                "channels": p.channels, "bits": p.format.bits(), "bpm": p.settings.bpm(),
                "bars": f64::from(p.settings.trim_length_x100) / 100.0,
            })
        })
        .collect();
    if !args.dry_run {
        let total: u64 = plans.iter().map(|p| p.frames()).sum();
        let bar = crate::progress::bar(total, "chain");
        let result = write_chains(&plans, &mut |done| bar.set_position(done));
        bar.finish_and_clear();
        result.map_err(|e| miette!("{e}"))?;
    }
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({ "dry_run": args.dry_run, "chains": summary })).unwrap_or_default()
        );
    } else {
        for (p, s) in plans.iter().zip(&summary) {
            // What a dry run would write is its result; after a real run a summary (stderr).
            crate::cmd::result_or_info(
                args.dry_run,
                format!(
                    "{}{} + {}: {} slices, {} frames, {} ch, {}-bit, {} bars at {} BPM",
                    if args.dry_run { "would write " } else { "" },
                    p.audio.display(),
                    p.ot.display(),
                    p.inputs.len(),
                    p.frames(),
                    p.channels,
                    p.format.bits(),
                    s["bars"],
                    p.settings.bpm()
                ),
            );
        }
    }
    Ok(Outcome::Ok)
}

/// Reads and types a `.ot` file, with the file name in errors.
fn read_settings(path: &Path) -> miette::Result<SampleSettings> {
    let bytes = std::fs::read(path).map_err(|e| miette!("cannot read {}: {e}", path.display()))?;
    SampleSettings::from_bytes(&bytes).map_err(|e| miette!("{}: {e}", path.display()))
}

/// The settings of the chain `chain` (its `.ot`, or `ot`), with the errors a musician can act on
/// (issue 24): the `.ot` given instead of the audio names the audio, and audio without a `.ot`
/// names the command that makes one.
fn chain_settings(chain: &Path, ot: Option<&Path>) -> miette::Result<SampleSettings> {
    if chain.extension().is_some_and(|e| e.eq_ignore_ascii_case("ot")) {
        let audio = ["wav", "aif", "aiff"].iter().map(|e| chain.with_extension(e)).find(|p| p.is_file());
        return Err(crate::cmd::args::usage(format!(
            "{} is the .ot (sample settings), not the audio: give {}",
            chain.display(),
            audio.map_or_else(|| "the audio file beside it".to_string(), |a| a.display().to_string())
        )));
    }
    let ot = ot.map(Path::to_path_buf).unwrap_or_else(|| ot_path_for(chain));
    if !ot.exists() && chain.is_file() {
        return Err(miette!(
            "{} has no .ot (looked for {}): make one with `groovekit ot grid linear {} 16` (equal slices) or join files with `groovekit ot chain`",
            chain.display(),
            ot.display(),
            chain.display()
        ));
    }
    read_settings(&ot)
}

fn split(chain: &Path, ot: Option<&Path>, out: &Path, json: bool) -> miette::Result<Outcome> {
    let settings = chain_settings(chain, ot)?;
    let working = crate::progress::working("splitting");
    let files = slices::split(chain, &settings, out).map_err(|e| miette!("{}: {e}", chain.display()))?;
    drop(working);
    if json {
        println!("{}", serde_json::to_string_pretty(&files).unwrap_or_default());
    } else {
        for f in &files {
            crate::cmd::info(format!("slice {:>2}: {} ({} frames)", f.slice, f.path.display(), f.frames));
        }
    }
    Ok(Outcome::Ok)
}

/// What `ot grid` was asked for.
struct GridArgs<'a> {
    mode: GridMode,
    audio: &'a Path,
    n: usize,
    seed: u64,
    bpm: Option<f64>,
    dry_run: bool,
    json: bool,
}

/// The slice table as JSON rows (slices numbered from 1, as on the device).
fn slices_json(s: &SampleSettings) -> Vec<serde_json::Value> {
    s.slices
        .iter()
        .enumerate()
        .map(|(i, sl)| json!({ "slice": i + 1, "start": sl.start, "end": sl.end, "frames": sl.len(), "loop": sl.loop_point }))
        .collect()
}

fn grid(g: GridArgs<'_>) -> miette::Result<Outcome> {
    let info = groovekit_audio::pcm::probe(g.audio).map_err(|e| miette!("{e}"))?;
    let cuts = match g.mode {
        GridMode::Linear => slices::grid_linear(info.frames, g.n),
        GridMode::Random => slices::grid_random(info.frames, g.n, g.seed),
    }
    .map_err(|e| miette!("{}: {e}", g.audio.display()))?;
    let ot = ot_path_for(g.audio);
    let existing = if ot.exists() { Some(read_settings(&ot)?) } else { None };
    let had = existing.is_some();
    let mut settings = existing.unwrap_or_default();
    if let Some(b) = g.bpm {
        if had {
            if !crate::cmd::quiet() {
                eprintln!("note: {} exists; its tempo is kept (--bpm applies to new .ot files)", ot.display());
            }
        } else {
            let o = OptionsDoc { bpm: Some(b), ..Default::default() }.resolve().map_err(|e| miette!("{e}"))?;
            settings.tempo_x24 = o.tempo_x24;
        }
    }
    let settings = slices::with_slices(Some(settings), info.frames, cuts);
    let bytes = settings.to_bytes().map_err(|e| miette!("{e}"))?;
    // The one write path (backup of an existing .ot, atomic replace); nothing with --dry-run.
    let backup = if g.dry_run { None } else { crate::output::replace_reported(&ot, &bytes)? };
    if g.json {
        let v = json!({ "ot": ot, "dry_run": g.dry_run, "backup": backup, "slices": slices_json(&settings) });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        return Ok(Outcome::Ok);
    }
    // The slices made are the result; "wrote" and the backup are summaries (stderr).
    print!("{}", table_text(&settings));
    if g.dry_run {
        println!("dry run: {} not written", ot.display());
        return Ok(Outcome::Ok);
    }
    if let Some(b) = backup {
        crate::cmd::info(format!("backup: {}", b.display()));
    }
    crate::cmd::info(format!("wrote {}", ot.display()));
    Ok(Outcome::Ok)
}

fn table_text(s: &SampleSettings) -> String {
    let mut t = format!("{}\n", args::count(s.slices.len(), "slice"));
    for (i, sl) in s.slices.iter().enumerate() {
        t += &format!(
            "{:>2}: {:>9} .. {:>9}  ({:>8} frames){}\n",
            i + 1,
            sl.start,
            sl.end,
            sl.len(),
            sl.loop_point.map(|l| format!("  loop {l}")).unwrap_or_default()
        );
    }
    t
}

fn slice_table(file: &Path, json: bool) -> miette::Result<Outcome> {
    let s = read_settings(file)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&slices_json(&s)).unwrap_or_default());
    } else {
        print!("{}", table_text(&s));
    }
    Ok(Outcome::Ok)
}

fn preview(chain: &Path, ot: Option<&Path>, out: &Path, width: usize, height: usize) -> miette::Result<Outcome> {
    let settings = chain_settings(chain, ot)?;
    if !(16..=16_384).contains(&width) || !(40..=4096).contains(&height) {
        return Err(args::usage("--width must be 16-16384 and --height 40-4096"));
    }
    let working = crate::progress::working("reading the audio");
    let peaks = chain_preview::peaks(chain, width).map_err(|e| miette!("{e}"))?;
    drop(working);
    let ext = out.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let bytes = match ext.as_deref() {
        Some("svg") => chain_preview::svg(&peaks, &settings.slices, height).into_bytes(),
        Some("png") => chain_preview::png(&peaks, &settings.slices, height),
        _ => return Err(miette!("{}: the output must end in .png or .svg", out.display())),
    };
    groovekit_core::fs::write_atomic(out, &bytes).map_err(|e| miette!("{e}"))?;
    crate::cmd::info(format!("wrote {} ({} slices)", out.display(), settings.slices.len()));
    Ok(Outcome::Ok)
}

fn find(dir: &Path, json: bool, only_unusable: bool) -> miette::Result<Outcome> {
    let working = crate::progress::working("looking at audio files");
    let mut all = find_audio::find_audio(dir).map_err(|e| miette!("{e}"))?;
    drop(working);
    // Counted before --unusable filters the list: the summary is about every file looked at.
    let (looked_at, usable) = (all.len(), all.iter().filter(|c| c.usable).count());
    if only_unusable {
        all.retain(|c| !c.usable);
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&all).unwrap_or_default());
        return Ok(Outcome::Ok);
    }
    for c in &all {
        let spec = match (&c.format, c.channels, c.sample_rate, c.bits) {
            (Some(f), Some(ch), Some(r), Some(b)) => {
                format!("{f} {ch}ch {r}Hz {b}-bit{}", if c.float == Some(true) { " float" } else { "" })
            }
            _ => "unreadable".into(),
        };
        if c.usable {
            println!("ok   {} ({spec})", c.path.display());
        } else {
            println!("NO   {} ({spec}): {}", c.path.display(), c.reasons.join("; "));
        }
    }
    crate::cmd::info(format!(
        "{} looked at, {usable} usable on the Octatrack, {} not",
        args::count(looked_at, "audio file"),
        looked_at - usable
    ));
    Ok(Outcome::Ok)
}

/// The handlers of this area.
pub fn handlers() -> Vec<&'static dyn Handler> {
    vec![&OtHandler]
}

/// `.ot` sample settings.
struct OtHandler;

/// A mode as the CLI spells it (`pattern-length`, `ping-pong`, `16`), as in the document.
fn mode_text(m: &doc::Mode) -> String {
    match m {
        doc::Mode::Name(n) => n.clone(),
        doc::Mode::Number(v) => v.to_string(),
    }
}

fn describe(s: &SampleSettings) -> String {
    let d = SampleSettingsDoc::from_model(s);
    format!(
        "tempo {} BPM, trim {}..{} ({} bars), loop {} {} bars, timestretch {}, gain {:+} dB, trig quantization {}, {}",
        s.bpm(),
        s.trim_start,
        s.trim_end,
        f64::from(s.trim_length_x100) / 100.0,
        mode_text(&d.loop_mode),
        f64::from(s.loop_length_x100) / 100.0,
        mode_text(&d.timestretch),
        s.gain_db(),
        mode_text(&d.trig_quantization),
        args::count(s.slices.len(), "slice")
    )
}

impl Handler for OtHandler {
    fn name(&self) -> &'static str {
        "octatrack"
    }

    fn sniff(&self, _path: &Path, bytes: &[u8]) -> bool {
        BinaryKind::sniff(bytes) == Some(BinaryKind::SampleSettings)
    }

    fn inspect(&self, path: &Path, bytes: &[u8]) -> miette::Result<Inspection> {
        let (file, state) =
            SampleSettingsFile::read(bytes, ChecksumPolicy::Lenient).map_err(|e| miette!("{}: {e}", path.display()))?;
        let s = SampleSettings::from_file(&file).map_err(|e| miette!("{}: {e}", path.display()))?;
        let check = if state.is_valid() {
            format!("checksum OK (0x{:04X})", state.stored)
        } else {
            format!("checksum WRONG: stored 0x{:04X}, computed 0x{:04X}", state.stored, state.computed)
        };
        let text =
            format!("Octatrack sample settings ({}), {check}\n{}\n{}", path.display(), describe(&s), table_text(&s));
        let mut json = serde_json::to_value(SampleSettingsDoc::from_model(&s)).unwrap_or_default();
        if let Some(o) = json.as_object_mut() {
            o.insert(
                "checksum".into(),
                json!({ "stored": state.stored, "computed": state.computed, "valid": state.is_valid() }),
            );
        }
        Ok(Inspection { text, json })
    }

    fn verify_file(&self, path: &Path, bytes: &[u8], fix: bool) -> miette::Result<VerifyReport> {
        Ok(groovekit_octatrack::ops::verify::check_file(path, bytes, fix).unwrap_or_default())
    }

    fn dump(&self, path: &Path, bytes: &[u8], syntax: Syntax, _output: Option<&Path>) -> miette::Result<String> {
        doc::dump(bytes, syntax).map_err(|e| miette!("{}: {e}", path.display()))
    }

    fn doc_kinds(&self) -> &'static [&'static str] {
        &[doc::KIND]
    }

    fn build(&self, _kind: &str, text: &str, input: &Path) -> miette::Result<Vec<u8>> {
        doc::build(text).map_err(|e| miette!("{}: {e}", input.display()))
    }

    fn diff(&self, a: (&Path, &[u8]), b: (&Path, &[u8])) -> miette::Result<Vec<String>> {
        let read = |(p, bytes): (&Path, &[u8])| -> miette::Result<SampleSettings> {
            let (file, _) = SampleSettingsFile::read(bytes, ChecksumPolicy::Lenient)
                .map_err(|e| miette!("{}: {e}", p.display()))?;
            SampleSettings::from_file(&file).map_err(|e| miette!("{}: {e}", p.display()))
        };
        // In the units musicians read (`slice 6: added 440641-557322`), from the library.
        Ok(groovekit_octatrack::ops::folder::sample_settings_differences_of(&read(a)?, &read(b)?))
    }
}
