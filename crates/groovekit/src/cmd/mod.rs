//! Command dispatch. Each format has a module here that implements [`Handler`] for its file
//! kinds and defines its own `groovekit <format> ...` subcommands; the generic commands
//! (`inspect`, `verify`, `dump`, `build`, `render`, `convert`, `diff`) find the handler by
//! content with [`Handler::sniff`] and by the `kind` key of documents.

pub mod okt;
pub mod opz;
pub mod ot;
pub mod track;

use std::path::{Path, PathBuf};

use miette::{IntoDiagnostic, WrapErr, miette};

/// How a command ended, when it did not fail with an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything was fine: exit 0.
    Ok,
    /// The command ran but found problems (invalid data): exit 1.
    Failed,
}

/// The syntax of `dump` output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DocFormat {
    /// YAML (readable, diffable).
    Yaml,
    /// JSON.
    Json,
}

impl From<DocFormat> for groovekit_core::doc::Syntax {
    fn from(f: DocFormat) -> Self {
        match f {
            DocFormat::Yaml => Self::Yaml,
            DocFormat::Json => Self::Json,
        }
    }
}

/// Options of `groovekit render`. Shared options live here; each renderer owns a flattened group.
#[derive(Debug, clap::Args)]
pub struct RenderArgs {
    /// The song or module.
    pub input: PathBuf,
    /// The WAV file to write.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Output sample rate in Hz.
    #[arg(long, default_value_t = 48_000)]
    pub rate: u32,
    /// Output sample format: 16, 24 or 32f.
    #[arg(long, default_value = "16")]
    pub bits: groovekit_audio::SampleFormat,
    /// Print the render's summary as JSON on standard output.
    #[arg(long)]
    pub json: bool,
    /// Oktalyzer options.
    #[command(flatten, next_help_heading = "Oktalyzer")]
    pub okt: okt::OktRenderOpts,
    /// `.track` options.
    #[command(flatten, next_help_heading = ".track")]
    pub track: track::TrackRenderOpts,
    /// Render, but write nothing (shows what would be written).
    #[arg(long)]
    pub dry_run: bool,
}

/// One problem found by `verify`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Problem {
    /// The file concerned.
    pub path: PathBuf,
    /// Byte offset, when the problem has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    /// What is wrong, and what to do.
    pub message: String,
    /// Whether `--fix` repaired it.
    pub fixed: bool,
}

/// What `verify` found in one file or folder.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct VerifyReport {
    /// Files checked, each with its kind.
    pub checked: Vec<(PathBuf, String)>,
    /// Problems found (empty = all good).
    pub problems: Vec<Problem>,
    /// Non-fatal observations (for example a tolerated arrangement checksum mismatch).
    pub warnings: Vec<Problem>,
}

impl VerifyReport {
    /// Adds another report's findings to this one.
    pub fn merge(&mut self, other: VerifyReport) {
        self.checked.extend(other.checked);
        self.problems.extend(other.problems);
        self.warnings.extend(other.warnings);
    }
}

/// A summary printed by `inspect`: text for people, JSON for programs.
#[derive(Debug, Clone)]
pub struct Inspection {
    /// Human-readable lines.
    pub text: String,
    /// The same facts as JSON (`--json`).
    pub json: serde_json::Value,
}

/// A format's part of the generic commands. Every method has a default that says the format
/// does not support the command, so a handler implements only what it offers.
pub trait Handler: Sync {
    /// Short name of the format family ("octatrack", "okt", "opz", "track").
    fn name(&self) -> &'static str;

    /// Whether `bytes` (the whole file at `path`) is a file this handler reads. Decide by
    /// content; use the name only to break ties for text formats.
    fn sniff(&self, path: &Path, bytes: &[u8]) -> bool;

    /// `groovekit inspect`.
    fn inspect(&self, path: &Path, bytes: &[u8]) -> miette::Result<Inspection> {
        let _ = (path, bytes);
        Err(miette!("{} files cannot be inspected yet", self.name()))
    }

    /// `groovekit verify` on one file this handler sniffed.
    fn verify_file(&self, path: &Path, bytes: &[u8], fix: bool) -> miette::Result<VerifyReport> {
        let _ = (path, bytes, fix);
        Err(miette!("{} files cannot be verified yet", self.name()))
    }

    /// `groovekit verify` on a folder: `Some` when this handler recognises the folder as a whole
    /// (an Octatrack project or Set); `None` lets the files be checked one by one.
    fn verify_dir(&self, dir: &Path, fix: bool) -> Option<miette::Result<VerifyReport>> {
        let _ = (dir, fix);
        None
    }

    /// `groovekit dump`: the document text. `output` is where it will be written (for formats
    /// that put large data, such as samples, beside the text).
    fn dump(
        &self,
        path: &Path,
        bytes: &[u8],
        syntax: groovekit_core::doc::Syntax,
        output: Option<&Path>,
    ) -> miette::Result<String> {
        let _ = (path, bytes, syntax, output);
        Err(miette!("{} files cannot be dumped yet", self.name()))
    }

    /// The document kinds (values of the top-level `kind` key) this handler builds.
    fn doc_kinds(&self) -> &'static [&'static str] {
        &[]
    }

    /// `groovekit build`: turns a document of one of [`Handler::doc_kinds`] into file bytes.
    /// `input` is the document's path (for data kept beside it).
    fn build(&self, kind: &str, text: &str, input: &Path) -> miette::Result<Vec<u8>> {
        let _ = (kind, text, input);
        Err(miette!("{} documents cannot be built yet", self.name()))
    }

    /// `groovekit render`.
    fn render(&self, args: &RenderArgs, bytes: &[u8]) -> miette::Result<Outcome> {
        let _ = (args, bytes);
        Err(miette!("{} files cannot be rendered", self.name()))
    }

    /// `groovekit convert`: `Some` when this handler converts its file to `output`'s kind.
    fn convert(
        &self,
        input: &Path,
        bytes: &[u8],
        output: &Path,
        options: &[String],
    ) -> Option<miette::Result<Outcome>> {
        let _ = (input, bytes, output, options);
        None
    }

    /// `groovekit diff`: the differences as lines (empty = same).
    fn diff(&self, a: (&Path, &[u8]), b: (&Path, &[u8])) -> miette::Result<Vec<String>> {
        let _ = (a, b);
        Err(miette!("{} files cannot be compared yet", self.name()))
    }
}

/// Every format handler, in detection order (binary formats with magic first, text last).
pub(crate) fn handlers() -> Vec<&'static dyn Handler> {
    let mut all: Vec<&'static dyn Handler> = Vec::new();
    all.extend(ot::handlers());
    all.extend(opz::handlers());
    all.extend(okt::handlers());
    all.extend(track::handlers());
    all
}

/// Reads a whole file, with its path in the error.
pub fn read_file(path: &Path) -> miette::Result<Vec<u8>> {
    std::fs::read(path).into_diagnostic().wrap_err_with(|| format!("cannot read {}", path.display()))
}

/// The handler that reads `bytes`, or an error naming the file.
fn detect(path: &Path, bytes: &[u8]) -> miette::Result<&'static dyn Handler> {
    handlers().into_iter().find(|h| h.sniff(path, bytes)).ok_or_else(|| {
        miette!(
            help = "groovekit reads Octatrack banks, arrangements, markers, .ot and project files, OP-Z projects and kits, Oktalyzer modules and .track songs",
            "{}: not a file groovekit recognises ({} bytes)",
            path.display(),
            bytes.len()
        )
    })
}

/// Prints `text` or pretty JSON.
fn print_json_or(json: bool, value: &serde_json::Value, text: &str) {
    if json {
        println!("{}", serde_json::to_string_pretty(value).unwrap_or_default());
    } else {
        print!("{text}");
        if !text.ends_with('\n') {
            println!();
        }
    }
}

/// `groovekit inspect FILE`.
pub fn inspect(path: &Path, json: bool) -> miette::Result<Outcome> {
    let bytes = read_file(path)?;
    let h = detect(path, &bytes)?;
    let i = h.inspect(path, &bytes)?;
    print_json_or(json, &i.json, &i.text);
    Ok(Outcome::Ok)
}

/// `groovekit verify PATH...`.
pub fn verify(paths: &[PathBuf], json: bool, fix: bool) -> miette::Result<Outcome> {
    let mut report = VerifyReport::default();
    for p in paths {
        if p.is_dir() {
            let whole = handlers().into_iter().find_map(|h| h.verify_dir(p, fix));
            match whole {
                Some(r) => report.merge(r?),
                None => {
                    let files = groovekit_core::fixtures::files_under(p, &|_| true);
                    for f in files {
                        let bytes = read_file(&f)?;
                        if let Some(h) = handlers().into_iter().find(|h| h.sniff(&f, &bytes)) {
                            report.merge(h.verify_file(&f, &bytes, fix)?);
                        }
                    }
                }
            }
        } else {
            let bytes = match std::fs::read(p) {
                Ok(b) => b,
                Err(e) => {
                    report.problems.push(Problem {
                        path: p.clone(),
                        offset: None,
                        message: format!("cannot read: {e}"),
                        fixed: false,
                    });
                    continue;
                }
            };
            match handlers().into_iter().find(|h| h.sniff(p, &bytes)) {
                Some(h) => report.merge(h.verify_file(p, &bytes, fix)?),
                None => report.problems.push(Problem {
                    path: p.clone(),
                    offset: None,
                    message: format!("not a file groovekit recognises ({} bytes)", bytes.len()),
                    fixed: false,
                }),
            }
        }
    }
    let failed = report.problems.iter().any(|p| !p.fixed);
    if json {
        let v = serde_json::json!({ "ok": !failed, "checked": report.checked, "problems": report.problems, "warnings": report.warnings });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        for (p, kind) in &report.checked {
            println!("checked {} ({kind})", p.display());
        }
        for w in &report.warnings {
            println!(
                "warning: {}{}: {}",
                w.path.display(),
                w.offset.map(|o| format!(" @{o}")).unwrap_or_default(),
                w.message
            );
        }
        for p in &report.problems {
            let tag = if p.fixed { "fixed" } else { "problem" };
            println!(
                "{tag}: {}{}: {}",
                p.path.display(),
                p.offset.map(|o| format!(" @{o}")).unwrap_or_default(),
                p.message
            );
        }
        println!("{} checked, {} problems", report.checked.len(), report.problems.iter().filter(|p| !p.fixed).count());
    }
    Ok(if failed { Outcome::Failed } else { Outcome::Ok })
}

/// `groovekit dump FILE`.
pub fn dump(path: &Path, format: DocFormat, output: Option<&Path>, force: bool) -> miette::Result<Outcome> {
    let bytes = read_file(path)?;
    let h = detect(path, &bytes)?;
    let text = h.dump(path, &bytes, format.into(), output)?;
    match output {
        // A dump replaces an older dump (after a backup); anything else only with --force.
        Some(out) => crate::output::write_guarded(out, text.as_bytes(), force, |old| {
            std::str::from_utf8(old).ok().and_then(groovekit_core::doc::peek_kind).is_some()
        })?,
        None => print!("{text}"),
    }
    Ok(Outcome::Ok)
}

/// `groovekit build DOC -o FILE`.
pub fn build(input: &Path, output: &Path) -> miette::Result<Outcome> {
    let bytes = read_file(input)?;
    let text = String::from_utf8(bytes)
        .map_err(|e| miette!("{}: not UTF-8 text (byte {})", input.display(), e.utf8_error().valid_up_to()))?;
    let kind = groovekit_core::doc::peek_kind(&text).ok_or_else(|| {
        miette!(
            help = "documents written by `groovekit dump` start with a `kind:` line",
            "{}: no top-level `kind` key",
            input.display()
        )
    })?;
    let h = handlers()
        .into_iter()
        .find(|h| h.doc_kinds().contains(&kind.as_str()))
        .ok_or_else(|| miette!("{}: unknown document kind `{kind}`", input.display()))?;
    let out = h.build(&kind, &text, input).wrap_err_with(|| format!("building {}", input.display()))?;
    groovekit_core::fs::write_atomic(output, &out).into_diagnostic()?;
    Ok(Outcome::Ok)
}

/// `groovekit render IN -o OUT.wav`.
pub fn render(args: &RenderArgs) -> miette::Result<Outcome> {
    let bytes = read_file(&args.input)?;
    detect(&args.input, &bytes)?.render(args, &bytes)
}

/// `groovekit convert IN OUT`.
pub fn convert(input: &Path, output: &Path, options: &[String]) -> miette::Result<Outcome> {
    let bytes = read_file(input)?;
    let h = detect(input, &bytes)?;
    h.convert(input, &bytes, output, options)
        .unwrap_or_else(|| Err(miette!("{}: no conversion from {} to {}", input.display(), h.name(), output.display())))
}

/// `groovekit diff A B`.
pub fn diff(a: &Path, b: &Path, json: bool) -> miette::Result<Outcome> {
    let (ab, bb) = (read_file(a)?, read_file(b)?);
    let h = detect(a, &ab)?;
    if !h.sniff(b, &bb) {
        return Err(miette!("{} and {} are not files of the same kind", a.display(), b.display()));
    }
    let lines = h.diff((a, &ab), (b, &bb))?;
    let v = serde_json::json!({ "same": lines.is_empty(), "differences": lines });
    print_json_or(json, &v, &if lines.is_empty() { "no differences\n".to_string() } else { lines.join("\n") + "\n" });
    // Like diff(1): 0 same, 1 different.
    Ok(if lines.is_empty() { Outcome::Ok } else { Outcome::Failed })
}
