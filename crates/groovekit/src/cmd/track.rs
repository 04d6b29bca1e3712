//! .track text tracker: the handler for the generic commands and the `groovekit track ...` subcommands.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use groovekit_audio::SampleFormat;
use groovekit_track::assets::AssetLocator;
use groovekit_track::render::{RenderOptions, RenderReport};
use groovekit_track::watch::WatchSet;
use groovekit_track::{Diagnostic, Severity, Song, TrackError};
use miette::{IntoDiagnostic, LabeledSpan, NamedSource, SourceCode, miette};

use super::{Handler, Inspection, Outcome, Problem, RenderArgs, VerifyReport};

/// `groovekit track ...` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum TrackCommand {
    /// Check a song: every problem with line:col (and the nearest known names for unknown ones),
    /// including assets that cannot be found or decoded. Exit 1 on errors.
    Check {
        /// The song.
        song: PathBuf,
        /// Folder holding the song's audio files (instead of assets.txt or assets/ beside it).
        #[arg(long, value_name = "DIR")]
        assets: Option<PathBuf>,
        /// Also warn about samples used without a SAMPLE line.
        #[arg(long)]
        strict: bool,
        /// Print the diagnostics as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Rewrite a song in the canonical layout (comments kept; a backup is written first).
    Fmt {
        /// The song.
        song: PathBuf,
        /// Change nothing; exit 1 when the song is not in the canonical layout.
        #[arg(long)]
        check: bool,
        /// Change nothing; print the formatted song.
        #[arg(long)]
        dry_run: bool,
    },
    /// Render, then render again whenever the song, its assets.txt or an asset file changes.
    Watch {
        /// The song.
        song: PathBuf,
        /// The WAV file to write.
        #[arg(short, long)]
        output: PathBuf,
        /// Output sample rate in Hz (8000-192000).
        #[arg(long, default_value_t = 48_000, value_parser = super::args::rate)]
        rate: u32,
        /// Output sample format: 16, 24 or 32f.
        #[arg(long, default_value = "16")]
        bits: SampleFormat,
        /// `.track` render options.
        #[command(flatten)]
        opts: TrackRenderOpts,
    },
}

/// Render options that only this format uses.
#[derive(Debug, Default, Clone, clap::Args)]
pub struct TrackRenderOpts {
    /// `.track`: scale the mix so that its peak is full scale (default: clip, and report the peak
    /// and the number of clipped samples).
    #[arg(long)]
    pub normalize: bool,
    /// `.track`: folder holding the song's audio files (instead of assets.txt or assets/ beside the song).
    #[arg(long, value_name = "DIR")]
    pub assets: Option<PathBuf>,
    /// `.track`: warn about samples used without a SAMPLE line.
    #[arg(long)]
    pub strict: bool,
}

/// Runs a `groovekit track` subcommand.
pub fn run(command: TrackCommand) -> miette::Result<Outcome> {
    match command {
        TrackCommand::Check { song, assets, strict, json } => check_cmd(&song, assets.as_deref(), strict, json),
        TrackCommand::Fmt { song, check, dry_run } => fmt_cmd(&song, check, dry_run),
        TrackCommand::Watch { song, output, rate, bits, opts } => watch_cmd(&song, &output, rate, bits, &opts),
    }
}

/// A song diagnostic with its source text, for miette's report (snippet, label, help).
#[derive(Debug)]
struct SongDiagnostic {
    diag: Diagnostic,
    path: String,
    source: NamedSource<String>,
}

impl fmt::Display for SongDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.path, self.diag.span.line, self.diag.span.col, self.diag.message)
    }
}

impl std::error::Error for SongDiagnostic {}

impl miette::Diagnostic for SongDiagnostic {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.diag.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let s = self.diag.span;
        let len = s.end.saturating_sub(s.start);
        Some(Box::new(std::iter::once(LabeledSpan::new(Some("here".into()), s.start, len))))
    }
}

/// Most diagnostics printed with a source snippet; the rest are printed one per line.
const MAX_SNIPPETS: usize = 50;

/// Prints diagnostics (miette reports with source snippets) to standard error.
fn print_diagnostics(song_path: &Path, text: &str, diags: &[Diagnostic]) {
    use std::io::IsTerminal;
    // On a terminal: colours and the terminal's usual width; in pipes and logs: no colours and no
    // wrapping, so every `file:line:col: message` stays on one line for tools that read it.
    let handler = if std::io::stderr().is_terminal() {
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode())
    } else {
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor()).with_width(usize::MAX / 4)
    };
    for (i, d) in diags.iter().enumerate() {
        let file = d.file.as_deref().unwrap_or(song_path);
        if i >= MAX_SNIPPETS {
            eprintln!("{}:{d}", file.display());
            continue;
        }
        let src_text = match &d.file {
            Some(f) => std::fs::read_to_string(f).unwrap_or_default(),
            None => text.to_string(),
        };
        let name = file.display().to_string();
        let rep = SongDiagnostic { diag: d.clone(), path: name.clone(), source: NamedSource::new(name, src_text) };
        let mut out = String::new();
        match handler.render_report(&mut out, &rep) {
            Ok(()) => eprintln!("{out}"),
            Err(_) => eprintln!("{}:{d}", file.display()),
        }
    }
}

/// The song's text, or an error naming the first byte that is not UTF-8.
fn song_text(path: &Path, bytes: Vec<u8>) -> miette::Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        miette!(
            help = ".track songs are UTF-8 text",
            "{}: not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// A library error about a song as a report: syntax errors printed with their snippets first.
fn song_error(path: &Path, text: &str, e: TrackError) -> miette::Report {
    if let TrackError::Invalid(d) = &e {
        print_diagnostics(path, text, d);
        return miette!("{}: the song has errors (see above)", path.display());
    }
    miette!("{}: {e}", path.display())
}

/// Folder of a song (for assets beside it).
fn song_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Warnings for undeclared names (`--strict`). `NOTE_*` names need no declaration (README,
/// docs/track-format.md: they are generated tones), so `--strict` leaves them alone (issue 24:
/// the demo's eight notes were warned about).
fn strict_warnings(song: &Song) -> Vec<Diagnostic> {
    song.undeclared()
        .filter(|s| !s.name.starts_with("NOTE_"))
        .map(|s| {
            Diagnostic::warning(s.span, format!("`{}` is used without a SAMPLE line", s.name))
                .with_help(format!("add `SAMPLE {}`", s.name))
        })
        .collect()
}

/// Every problem of a song: syntax, meaning, asset lookup and asset decoding.
fn full_check(path: &Path, text: &str, assets: Option<&Path>, strict: bool) -> (Option<Song>, Vec<Diagnostic>) {
    let checked = groovekit_track::check(text);
    let mut diags = checked.diagnostics;
    let song = checked.draft;
    if strict {
        diags.extend(strict_warnings(&song));
    }
    match AssetLocator::new(&song_dir(path), assets) {
        Ok(loc) => {
            let (files, missing) = loc.resolve(&song);
            let used_spans: std::collections::BTreeSet<usize> =
                song.samples.iter().filter(|s| s.used).map(|s| s.span.start).collect();
            for mut d in missing {
                if !used_spans.contains(&d.span.start) {
                    d.severity = Severity::Warning;
                }
                diags.push(d);
            }
            for (s, f) in song.samples.iter().zip(files) {
                if let Some(f) = f
                    && s.used
                    && let Err(e) = groovekit_audio::read::read_audio(&f)
                {
                    diags.push(
                        Diagnostic::error(s.span, format!("asset `{}` cannot be decoded: {e}", s.name))
                            .with_help("assets are WAV (16/24-bit or float), AIFF or FLAC, mono or stereo"),
                    );
                }
            }
        }
        Err(e) => match e {
            TrackError::Invalid(d) => diags.extend(d),
            other => diags.push(Diagnostic::error(Default::default(), other.to_string())),
        },
    }
    diags.sort_by_key(|d| (d.file.is_some(), d.span.start, d.severity));
    let diags = groovekit_track::error::cap_repeated(diags, groovekit_track::error::MAX_REPEATS);
    let ok = !diags.iter().any(Diagnostic::is_error);
    (ok.then_some(song), diags)
}

fn check_cmd(path: &Path, assets: Option<&Path>, strict: bool, json: bool) -> miette::Result<Outcome> {
    let text = song_text(path, super::read_file(path)?)?;
    let (_, diags) = full_check(path, &text, assets, strict);
    // Counted with `count`: a line that sums up repeated diagnostics stands for all of them.
    let errors: usize = diags.iter().filter(|d| d.is_error()).map(Diagnostic::count).sum();
    let warnings: usize = diags.iter().filter(|d| !d.is_error()).map(Diagnostic::count).sum();
    if json {
        let v = serde_json::json!({ "ok": errors == 0, "errors": errors, "warnings": warnings, "diagnostics": diags });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        print_diagnostics(path, &text, &diags);
        super::info(format!(
            "{}: {}, {}",
            path.display(),
            super::args::count(errors, "error"),
            super::args::count(warnings, "warning")
        ));
    }
    Ok(if errors > 0 { Outcome::Failed } else { Outcome::Ok })
}

fn fmt_cmd(path: &Path, check: bool, dry_run: bool) -> miette::Result<Outcome> {
    let text = song_text(path, super::read_file(path)?)?;
    let formatted = match groovekit_track::ops::format(&text) {
        Ok(f) => f,
        Err(TrackError::Invalid(d)) => {
            print_diagnostics(path, &text, &d);
            eprintln!("{}: not formatted: fix the syntax errors first", path.display());
            return Ok(Outcome::Failed);
        }
        Err(e) => return Err(miette!("{}: {e}", path.display())),
    };
    let same = formatted == text;
    if check {
        if same {
            println!("{}: formatted", path.display());
            return Ok(Outcome::Ok);
        }
        println!("{}: not in the canonical layout (run `groovekit track fmt`)", path.display());
        return Ok(Outcome::Failed);
    }
    if dry_run {
        print!("{formatted}");
        return Ok(Outcome::Ok);
    }
    if same {
        super::info(format!("{}: already formatted", path.display()));
        return Ok(Outcome::Ok);
    }
    let backup = crate::output::replace_reported(path, formatted.as_bytes())?.unwrap_or_default();
    super::info(format!("formatted {} (backup: {})", path.display(), backup.display()));
    Ok(Outcome::Ok)
}

fn db(x: f32) -> String {
    if x > 0.0 { format!("{:.1} dBFS", 20.0 * x.log10()) } else { "-inf dBFS".to_string() }
}

/// The render's summary: on standard error (the result is the WAV file), or as JSON on standard
/// output with `--json`; warnings about clipping stay on standard error either way.
fn print_report(out: &Path, r: &RenderReport, opts: &RenderOptions, json: bool) {
    let shown = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
    if json {
        let v = serde_json::json!({
            "output": shown,
            "seconds": r.seconds,
            "rate": opts.rate,
            "bits": opts.format.bits(),
            "float": opts.format == SampleFormat::Float32,
            "voices": r.voices,
            "peak": r.peak,
            "gain": r.gain,
            "clipped": r.clipped,
            "non_finite": r.non_finite,
        });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else if !super::quiet() {
        eprintln!(
            "wrote {}: {:.3} s, {} Hz, {}-bit{}, {}",
            shown.display(),
            r.seconds,
            opts.rate,
            opts.format.bits(),
            if opts.format == SampleFormat::Float32 { " float" } else { "" },
            super::args::count(r.voices, "voice")
        );
        if opts.normalize {
            eprintln!("peak before normalising {:.4} ({}), gain {:.4}", r.peak, db(r.peak), r.gain);
        } else {
            eprintln!(
                "peak {:.4} ({}), {}",
                r.peak,
                db(r.peak),
                super::args::count(r.clipped as usize, "clipped sample")
            );
        }
    }
    if r.clipped > 0 {
        let what = if r.clipped == 1 { "1 sample was".to_string() } else { format!("{} samples were", r.clipped) };
        super::info(format!("warning: {what} clipped; lower the volumes or use --normalize"));
    }
    if r.non_finite > 0 {
        let what = if r.non_finite == 1 {
            "1 NaN or infinite sample was".to_string()
        } else {
            format!("{} NaN or infinite samples were", r.non_finite)
        };
        super::info(format!("warning: {what} replaced by silence"));
    }
}

/// Parses, checks and renders; prints diagnostics and the report. `Failed` when the song has
/// errors.
fn render_song(
    path: &Path,
    text: &str,
    output: &Path,
    opts: &RenderOptions,
    strict: bool,
    json: bool,
) -> miette::Result<Outcome> {
    let checked = groovekit_track::check(text);
    let Some(song) = checked.song else {
        print_diagnostics(path, text, &checked.diagnostics);
        return Ok(Outcome::Failed);
    };
    let mut warnings = checked.diagnostics;
    if strict {
        warnings.extend(strict_warnings(&song));
    }
    print_diagnostics(path, text, &warnings);
    let spinner = crate::progress::spinner("rendering");
    let rendered = groovekit_track::render::render_file(&song, &song_dir(path), opts, output);
    spinner.finish_and_clear();
    match rendered {
        Ok(r) => {
            print_report(output, &r, opts, json);
            Ok(Outcome::Ok)
        }
        Err(TrackError::Invalid(d)) => {
            print_diagnostics(path, text, &d);
            Ok(Outcome::Failed)
        }
        Err(e) => Err(miette!("{}: {e}", path.display())),
    }
}

fn watch_cmd(
    path: &Path,
    output: &Path,
    rate: u32,
    bits: SampleFormat,
    opts: &TrackRenderOpts,
) -> miette::Result<Outcome> {
    use notify::Watcher;
    let ropts = RenderOptions { rate, format: bits, normalize: opts.normalize, assets_dir: opts.assets.clone() };
    let out_abs = std::path::absolute(output).unwrap_or_else(|_| output.to_path_buf());
    loop {
        let text = super::read_file(path).and_then(|b| song_text(path, b));
        let song = match &text {
            Ok(t) => {
                if let Err(e) = render_song(path, t, output, &ropts, opts.strict, false) {
                    eprintln!("{e:?}");
                }
                groovekit_track::check(t).song
            }
            Err(e) => {
                eprintln!("{e:?}");
                None
            }
        };
        let locator = AssetLocator::new(&song_dir(path), opts.assets.as_deref()).ok();
        let set = WatchSet::new(path, song.as_ref(), locator.as_ref());
        let (tx, rx) = std::sync::mpsc::channel();
        let mut watcher = notify::recommended_watcher(tx).into_diagnostic()?;
        for d in &set.dirs {
            if d.is_dir() {
                watcher.watch(d, notify::RecursiveMode::NonRecursive).into_diagnostic()?;
            }
        }
        super::info(format!("watching {} ({} files); Ctrl-C to stop", path.display(), set.files.len()));
        let relevant = |ev: &notify::Result<notify::Event>| match ev {
            Ok(e) => {
                !matches!(e.kind, notify::EventKind::Access(_))
                    && e.paths.iter().any(|p| *p != out_abs && set.is_relevant(p))
            }
            Err(_) => false,
        };
        loop {
            let Ok(ev) = rx.recv() else { return Ok(Outcome::Failed) };
            if relevant(&ev) {
                break;
            }
        }
        // Let an editor finish writing (several events per save), then render once.
        std::thread::sleep(Duration::from_millis(150));
        while rx.try_recv().is_ok() {}
        drop(watcher);
    }
}

/// The .track text tracker handler.
struct TrackHandler;

impl Handler for TrackHandler {
    fn name(&self) -> &'static str {
        "track"
    }

    /// A `.track` file is UTF-8 text whose first statement is a keyword (BPM, SAMPLE, PATTERN,
    /// SCORE, HUMANIZE); any UTF-8 file named `*.track` also counts (so a broken song gets its
    /// diagnostics instead of "not recognised").
    fn sniff(&self, path: &Path, bytes: &[u8]) -> bool {
        if std::str::from_utf8(bytes).is_ok() && path.extension().is_some_and(|e| e.eq_ignore_ascii_case("track")) {
            return true;
        }
        groovekit_track::raw::looks_like_song(bytes)
    }

    fn inspect(&self, path: &Path, bytes: &[u8]) -> miette::Result<Inspection> {
        let text = song_text(path, bytes.to_vec())?;
        let checked = groovekit_track::check(&text);
        let Some(song) = checked.song else {
            print_diagnostics(path, &text, &checked.diagnostics);
            return Err(miette!("{}: the song has errors (see above)", path.display()));
        };
        let summary = groovekit_track::human::Summary::of(&song);
        Ok(Inspection { text: summary.text(), json: serde_json::to_value(&summary).into_diagnostic()? })
    }

    fn verify_file(&self, path: &Path, bytes: &[u8], _fix: bool) -> miette::Result<VerifyReport> {
        let mut report = VerifyReport::default();
        report.checked.push((path.to_path_buf(), "track-song".to_string()));
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                report.problems.push(Problem {
                    path: path.to_path_buf(),
                    offset: Some(e.valid_up_to() as u64),
                    message: "not UTF-8 text".into(),
                    fixed: false,
                });
                return Ok(report);
            }
        };
        let (_, diags) = full_check(path, text, None, false);
        for d in diags {
            let p = Problem {
                path: d.file.clone().unwrap_or_else(|| path.to_path_buf()),
                offset: Some(d.span.start as u64),
                message: d.to_string(),
                fixed: false,
            };
            if d.is_error() { report.problems.push(p) } else { report.warnings.push(p) }
        }
        Ok(report)
    }

    /// The song as a document of its lines (comments and layout kept): `build` gives back the
    /// canonical text byte for byte.
    fn dump(
        &self,
        path: &Path,
        bytes: &[u8],
        syntax: groovekit_core::doc::Syntax,
        _output: Option<&Path>,
    ) -> miette::Result<String> {
        let text = song_text(path, bytes.to_vec())?;
        groovekit_track::doc::to_text(&text, syntax).map_err(|e| song_error(path, &text, e))
    }

    fn doc_kinds(&self) -> &'static [&'static str] {
        &[groovekit_track::doc::KIND]
    }

    fn build(&self, _kind: &str, text: &str, input: &Path) -> miette::Result<Vec<u8>> {
        groovekit_track::doc::from_text(text).map(String::into_bytes).map_err(|e| miette!("{}: {e}", input.display()))
    }

    /// By pattern and event (meaning, not layout); a song with errors cannot be compared.
    fn diff(&self, a: (&Path, &[u8]), b: (&Path, &[u8])) -> miette::Result<Vec<String>> {
        let song = |(p, bytes): (&Path, &[u8])| -> miette::Result<Song> {
            let text = song_text(p, bytes.to_vec())?;
            Song::parse(&text).map_err(|e| song_error(p, &text, e))
        };
        let (sa, sb) = (song(a)?, song(b)?);
        let mut lines = groovekit_track::diff::diff(&sa, &sb);
        if lines.is_empty() && a.1 != b.1 {
            lines.push("same song, different layout (spacing, comments, spelling of numbers)".into());
        }
        Ok(lines)
    }

    fn renders(&self) -> bool {
        true
    }

    fn render(&self, args: &RenderArgs, bytes: &[u8]) -> miette::Result<Outcome> {
        let text = song_text(&args.input, bytes.to_vec())?;
        let opts = RenderOptions {
            rate: args.rate,
            format: args.bits,
            normalize: args.track.normalize,
            assets_dir: args.track.assets.clone(),
        };
        render_song(&args.input, &text, &args.output, &opts, args.track.strict, args.json)
    }
}

/// The handlers of this format family, for detection.
pub fn handlers() -> Vec<&'static dyn Handler> {
    vec![&TrackHandler]
}
