//! Command dispatch. Each format has a module here that implements [`Handler`] for its file
//! kinds and defines its own `groovekit <format> ...` subcommands; the generic commands
//! (`inspect`, `verify`, `dump`, `build`, `render`, `convert`, `diff`) find the handler by
//! content with [`Handler::sniff`] and by the `kind` key of documents.

pub mod args;
pub mod okt;
pub mod opz;
pub mod ot;
pub mod serve;
pub mod track;

use std::path::{Path, PathBuf};

use miette::{IntoDiagnostic, WrapErr, miette};

/// Set by the global `--quiet`: commands print only results and errors (no summaries, notes,
/// warnings or progress).
static QUIET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Turns `--quiet` on for the whole run.
pub fn set_quiet(on: bool) {
    QUIET.store(on, std::sync::atomic::Ordering::Relaxed);
}

/// Whether `--quiet` is on.
pub fn quiet() -> bool {
    QUIET.load(std::sync::atomic::Ordering::Relaxed)
}

/// Prints a line that is not a result (a summary, "wrote X", a warning, a note) on standard
/// error, or nothing with `--quiet`. Results go to standard output with `println!`; see
/// [`result_or_info`] for lines that are a result only in a dry run.
pub fn info(line: impl std::fmt::Display) {
    if !quiet() {
        eprintln!("{line}");
    }
}

/// How many lines of one kind a report shows on stderr before it counts the rest
/// ([`info_list`]); `--json` lists them all.
pub const SHOWN_LINES: usize = 12;

/// `what: line` on stderr for the first [`SHOWN_LINES`] of `lines`, then one line counting the
/// rest (a whole song imported into one pattern can leave a thousand notes out: a list that
/// long hides the summary). Silenced by `-q` like [`info`].
pub fn info_list(what: &str, lines: &[String]) {
    for line in lines.iter().take(SHOWN_LINES) {
        info(format_args!("{what}: {line}"));
    }
    if lines.len() > SHOWN_LINES {
        info(format_args!("{what}: ... and {} more (--json lists them all)", lines.len() - SHOWN_LINES));
    }
}

/// A line of a plan: with `--dry-run` the plan is what the user asked for (a result, standard
/// output); after a real run it is a summary of what was done ([`info`]).
pub fn result_or_info(dry_run: bool, line: impl std::fmt::Display) {
    if dry_run {
        println!("{line}");
    } else {
        info(line);
    }
}

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
    /// Output sample rate in Hz (8000-192000).
    #[arg(long, default_value_t = 48_000, value_parser = args::rate)]
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

impl RenderArgs {
    /// The options of `groovekit render IN -o OUT` with nothing else given (for `convert`).
    pub fn defaults(input: &Path, output: &Path) -> Self {
        Self {
            input: input.to_path_buf(),
            output: output.to_path_buf(),
            rate: 48_000,
            bits: groovekit_audio::SampleFormat::Int16,
            okt: okt::OktRenderOpts::default(),
            track: track::TrackRenderOpts::default(),
            json: false,
            dry_run: false,
        }
    }
}

/// One finding of `verify` (shared with the libraries: `groovekit_core::report`).
pub use groovekit_core::report::Problem;
/// What `verify` found in files or folders (shared with the libraries).
pub use groovekit_core::report::Report as VerifyReport;

/// Files written beside a document (path, bytes), such as the samples of an Oktalyzer dump.
pub type SideFiles = Vec<(PathBuf, Vec<u8>)>;

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

    /// `groovekit verify` on one file this handler sniffed. With `fix`, repairs are prepared in
    /// the report's `repairs`, not written: [`verify`] writes all of them in one transaction.
    fn verify_file(&self, path: &Path, bytes: &[u8], fix: bool) -> miette::Result<VerifyReport> {
        let _ = (path, bytes, fix);
        Err(miette!("{} files cannot be verified yet", self.name()))
    }

    /// `groovekit verify` on a folder: `Some` when this handler recognises the folder as a whole
    /// (an Octatrack project or Set); `None` lets the files be checked one by one. Repairs are
    /// prepared, not written, as in [`Handler::verify_file`].
    fn verify_dir(&self, dir: &Path, fix: bool) -> Option<miette::Result<VerifyReport>> {
        let _ = (dir, fix);
        None
    }

    /// `groovekit inspect` of a folder: `Some` when this handler recognises the folder as a
    /// whole (an Octatrack project or Set), with its summary.
    fn inspect_dir(&self, dir: &Path) -> Option<miette::Result<Inspection>> {
        let _ = dir;
        None
    }

    /// `groovekit diff` of two folders: `Some` when this handler recognises them (two Octatrack
    /// project folders or Sets), with the differences as lines.
    fn diff_dirs(&self, a: &Path, b: &Path) -> Option<miette::Result<Vec<String>>> {
        let _ = (a, b);
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

    /// `groovekit dump -o OUTPUT` of a format that keeps large data (samples) in files beside the
    /// document: the document text and those files (path, bytes), none of them written yet, so
    /// that [`dump`] writes them all in one transaction. The default is [`Handler::dump`] with
    /// no files beside it.
    fn dump_with_files(
        &self,
        path: &Path,
        bytes: &[u8],
        syntax: groovekit_core::doc::Syntax,
        output: &Path,
    ) -> miette::Result<(String, SideFiles)> {
        Ok((self.dump(path, bytes, syntax, Some(output))?, Vec::new()))
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

    /// Whether [`Handler::render`] works (so `convert IN OUT.wav` renders).
    fn renders(&self) -> bool {
        false
    }

    /// The output extensions [`Handler::convert`] handles (besides `.wav` by rendering and
    /// `.yaml`/`.json` by dumping, which `convert` does for every format that has them).
    fn conversions(&self) -> &'static [&'static str] {
        &[]
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
        // Named like a supported file (a damaged bank): its reader's error, with the offset.
        if let Some(p) = diagnose(path, bytes) {
            return miette!("{}", p.line());
        }
        miette!(
            help = "groovekit reads Octatrack banks, arrangements, markers, .ot and project files, OP-Z projects and kits, Oktalyzer modules and .track songs",
            "{}: {}",
            path.display(),
            not_recognised(bytes)
        )
    })
}

/// What the file at `path` is and which command fits it, for errors where a command was given a
/// file of another kind (issue 24): "an Octatrack bank: try `groovekit ot pattern MYSET/MYPROJECT`".
/// `None` when the content is not a kind groovekit knows.
pub fn kind_hint(path: &Path, bytes: &[u8]) -> Option<String> {
    use groovekit_octatrack::human;
    let folder = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.display().to_string(),
        _ => ".".to_string(),
    };
    let file = path.display();
    if let Some(kind) = groovekit_octatrack::ops::verify::kind_of(bytes) {
        return Some(match kind {
            k if k == human::bank::KIND => {
                format!("an Octatrack bank: try `groovekit ot pattern {folder} --bank 1` or `groovekit inspect {file}`")
            }
            k if k == human::sample_settings::KIND => {
                format!("an Octatrack .ot (sample settings): try `groovekit ot slices {file}`")
            }
            k if k == human::project::KIND => {
                format!("an Octatrack project file: try `groovekit inspect {folder}` (the project folder)")
            }
            k if k == human::arrangement::KIND => format!("an Octatrack arrangement: try `groovekit inspect {file}`"),
            _ => format!("an Octatrack markers file: try `groovekit inspect {file}`"),
        });
    }
    if groovekit_opz::kit::looks_like_kit(bytes) {
        return Some(format!("an OP-Z sample pack: try `groovekit inspect {file}` or `groovekit opz kit split`"));
    }
    if let Some(h) = handlers().into_iter().find(|h| h.sniff(path, bytes)) {
        return Some(match h.name() {
            "opz" => format!("an OP-Z project: try `groovekit opz pattern {file}`"),
            "okt" => {
                format!("an Oktalyzer module: try `groovekit inspect {file}` or `groovekit render {file} -o song.wav`")
            }
            "track" => format!("a .track song: try `groovekit track check {file}`"),
            other => format!("a {other} file: try `groovekit inspect {file}`"),
        });
    }
    match bytes.get(..4) {
        Some(b"RIFF") | Some(b"FORM") | Some(b"fLaC") => Some("an audio file".to_string()),
        _ => None,
    }
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

/// The error for a folder no handler reads as a whole.
fn not_a_known_folder(dir: &Path) -> miette::Report {
    miette!(
        help = "give a file, or an Octatrack project folder (with project.work) or Set (with project folders)",
        "{} is a folder groovekit does not read as a whole",
        dir.display()
    )
}

/// `groovekit inspect FILE` (or a project folder or Set).
pub fn inspect(path: &Path, json: bool) -> miette::Result<Outcome> {
    if path.is_dir() {
        let working = crate::progress::working("reading the folder");
        let i = handlers().into_iter().find_map(|h| h.inspect_dir(path)).ok_or_else(|| not_a_known_folder(path));
        drop(working);
        let i = i??;
        print_json_or(json, &i.json, &i.text);
        return Ok(Outcome::Ok);
    }
    let bytes = read_file(path)?;
    let h = detect(path, &bytes)?;
    let i = h.inspect(path, &bytes)?;
    print_json_or(json, &i.json, &i.text);
    Ok(Outcome::Ok)
}

/// How `verify` prints.
#[derive(Debug, Clone, Copy, Default)]
pub struct VerifyOpts {
    /// JSON instead of text.
    pub json: bool,
    /// Repair what can be repaired.
    pub fix: bool,
    /// One line per good file too.
    pub verbose: bool,
}

/// Why a file that no handler claims is not read, when it looks like a damaged supported file:
/// the format, the reason (size, magic, encoding) and the byte offset. Looks at the content
/// first and the name second: an Octatrack binary (named `bankNN`/`arrNN`/`markers`/`project`/
/// `*.ot`, or with the size or `DPS1` header of one) gets its reader's error (a wrong magic with
/// the bytes found, as text); an Oktalyzer module (named `.okt*`, or with Oktalyzer chunk ids
/// where they belong) the missing magic; a `.track` song (named so, or text that starts with a
/// `.track` statement) the first byte that is not UTF-8. `None` when nothing suggests a format.
fn diagnose(path: &Path, bytes: &[u8]) -> Option<Problem> {
    if let Some(p) = groovekit_octatrack::ops::verify::diagnose(path, bytes) {
        return Some(p);
    }
    if let Some(p) = groovekit_okt::verify::diagnose(path, bytes) {
        return Some(p);
    }
    let named_track = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("track"));
    if let Err(e) = std::str::from_utf8(bytes) {
        let lossy = String::from_utf8_lossy(bytes);
        let first_word = lossy
            .lines()
            .map(|l| groovekit_track::raw::split_comment(l).0.trim())
            .find(|l| !l.is_empty())
            .and_then(|l| l.split_whitespace().next())
            .unwrap_or_default()
            .to_string();
        if named_track || groovekit_track::raw::KEYWORDS.contains(&first_word.as_str()) {
            let at = e.valid_up_to();
            let byte = bytes.get(at).map(|b| format!(" (0x{b:02X})")).unwrap_or_default();
            return Some(Problem::at(
                path,
                at as u64,
                format!(
                    "a .track song, but not UTF-8 text: invalid UTF-8 at byte {at}{byte}; save the song as UTF-8 (`groovekit track check` shows the line)"
                ),
            ));
        }
    }
    None
}

/// The first bytes of a file, for messages about files that are not recognised: as text (bytes
/// outside printable ASCII escaped as `\xNN`) and as hex.
fn first_bytes(bytes: &[u8]) -> String {
    let head = bytes.get(..bytes.len().min(16)).unwrap_or_default();
    if head.is_empty() {
        return "empty".to_string();
    }
    let text: String = head
        .iter()
        .map(|&b| if (0x20..0x7f).contains(&b) { (b as char).to_string() } else { format!("\\x{b:02x}") })
        .collect();
    let hex: Vec<String> = head.iter().map(|b| format!("{b:02x}")).collect();
    format!("starts with \"{text}\" = {}{}", hex.join(" "), if bytes.len() > head.len() { " ..." } else { "" })
}

/// "not a file groovekit recognises (N bytes, starts with ...)".
fn not_recognised(bytes: &[u8]) -> String {
    format!("not a file groovekit recognises ({}, {})", args::count(bytes.len(), "byte"), first_bytes(bytes))
}

/// Checks one file into `report`. A file no handler claims is a problem when its name promises
/// a format (a damaged bank: the reader's error and offset) or when it was named on the command
/// line; inside a folder it is listed as not recognised.
fn verify_one(path: &Path, fix: bool, in_folder: bool, report: &mut VerifyReport) {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            report.problems.push(Problem::new(path, format!("cannot read: {e}")));
            return;
        }
    };
    if let Some(h) = handlers().into_iter().find(|h| h.sniff(path, &bytes)) {
        match h.verify_file(path, &bytes, fix) {
            Ok(r) => report.merge(r),
            Err(e) => report.problems.push(Problem::new(path, format!("{e}"))),
        }
        return;
    }
    if let Some(p) = diagnose(path, &bytes) {
        report.problems.push(p);
        return;
    }
    let p = Problem::new(path, not_recognised(&bytes));
    if in_folder { report.unrecognised.push(p) } else { report.problems.push(p) }
}

/// Checks every file under a folder that no format claims as a whole. Backups (`*.bak`,
/// `backups/`) are not checked: they are copies, not the files in use (issue 24).
fn verify_tree(dir: &Path, fix: bool, report: &mut VerifyReport) {
    use groovekit_octatrack::ops::verify::is_backup;
    let mut files: Vec<PathBuf> = Vec::new();
    let walk = walkdir::WalkDir::new(dir).sort_by_file_name().into_iter();
    for entry in walk.filter_entry(|e| e.depth() == 0 || !is_backup(e.path())) {
        match entry {
            Ok(e) if e.file_type().is_file() => files.push(e.into_path()),
            Ok(_) => {}
            Err(e) => report.problems.push(Problem::new(dir, format!("cannot read the folder: {e}"))),
        }
    }
    let mut here = VerifyReport::default();
    let bar = crate::progress::bar(files.len() as u64, "verify");
    for f in &files {
        verify_one(f, fix, true, &mut here);
        bar.inc(1);
    }
    bar.finish_and_clear();
    if here.checked.is_empty() && here.problems.is_empty() {
        let why = if files.is_empty() {
            "the folder is empty".to_string()
        } else {
            format!("none of its {} is a file groovekit recognises", args::count(files.len(), "file"))
        };
        here.problems.push(Problem::new(dir, format!("nothing to check: {why}")));
    }
    report.merge(here);
}

/// Identical findings once, with how many times they occurred (a damaged module can repeat one
/// warning dozens of times).
fn grouped(findings: &[Problem]) -> Vec<(&Problem, usize)> {
    let mut out: Vec<(&Problem, usize)> = Vec::new();
    for f in findings {
        match out.iter_mut().find(|(g, _)| g.path == f.path && g.message == f.message && g.fixed == f.fixed) {
            Some((_, n)) => *n += 1,
            None => out.push((f, 1)),
        }
    }
    out
}

/// The one-line end of `verify`: "26 files checked, 1 problem, 2 warnings".
fn verify_summary(report: &VerifyReport) -> String {
    let mut parts = vec![
        format!("{} checked", args::count(report.checked.len(), "file")),
        args::count(report.open_problems(), "problem"),
    ];
    let fixed = report.problems.iter().filter(|p| p.fixed).count();
    if fixed > 0 {
        parts.push(format!("{fixed} fixed"));
    }
    // `--fix --dry-run`: the repairs planned (the write layer's dry run marks them so).
    let would = report.problems.iter().filter(|p| !p.fixed && p.message.contains("would be repaired")).count();
    if would > 0 {
        parts.push(format!("{would} would be fixed"));
    }
    if !report.warnings.is_empty() {
        parts.push(args::count(report.warnings.len(), "warning"));
    }
    if !report.notes.is_empty() {
        parts.push(args::count(report.notes.len(), "note"));
    }
    if !report.unrecognised.is_empty() {
        parts.push(format!("{} not recognised", args::count(report.unrecognised.len(), "file")));
    }
    parts.join(", ")
}

/// `groovekit verify PATH...`: every file checked or listed as not recognised; one line per
/// problem (per good file with `-v`), the summary last. Exit 1 on an open problem or when
/// nothing at all was recognised. With `--fix`, the repairs of each PATH (a whole folder) are
/// written in one transaction, after backups: every file repaired, or none.
pub fn verify(paths: &[PathBuf], opts: VerifyOpts) -> miette::Result<Outcome> {
    let mut report = VerifyReport::default();
    for p in paths {
        let mut here = VerifyReport::default();
        if p.is_dir() {
            let working = crate::progress::working("checking the folder");
            let whole = handlers().into_iter().find_map(|h| h.verify_dir(p, opts.fix));
            drop(working);
            match whole {
                Some(r) => here.merge(r?),
                None => verify_tree(p, opts.fix, &mut here),
            }
        } else {
            verify_one(p, opts.fix, false, &mut here);
        }
        // A failed repair is in the findings' messages (they stay open: exit 1).
        let _ = here.apply_repairs();
        report.merge(here);
    }
    let failed = report.failed();
    if opts.json {
        let v = serde_json::json!({
            "ok": !failed,
            "checked": report.checked,
            "problems": report.problems,
            "warnings": report.warnings,
            "notes": report.notes,
            "unrecognised": report.unrecognised,
        });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        return Ok(if failed { Outcome::Failed } else { Outcome::Ok });
    }
    if opts.verbose {
        for (p, kind) in &report.checked {
            println!("ok: {} ({kind})", p.display());
        }
    }
    let times = |n: usize| if n > 1 { format!(" ({n} times)") } else { String::new() };
    for (p, n) in grouped(&report.problems) {
        println!("{}: {}{}", if p.fixed { "fixed" } else { "problem" }, p.line(), times(n));
    }
    // Problems are the result (stdout); warnings, notes and the summary go to stderr (issue 24).
    for (w, n) in grouped(&report.warnings) {
        info(format!("warning: {}{}", w.line(), times(n)));
    }
    for (w, n) in grouped(&report.notes) {
        info(format!("note: {}{}", w.line(), times(n)));
    }
    for u in &report.unrecognised {
        info(format!("not recognised: {}", u.line()));
    }
    info(verify_summary(&report));
    Ok(if failed { Outcome::Failed } else { Outcome::Ok })
}

/// `groovekit dump FILE`.
pub fn dump(path: &Path, format: DocFormat, output: Option<&Path>, force: bool) -> miette::Result<Outcome> {
    let bytes = read_file(path)?;
    let h = detect(path, &bytes)?;
    match output {
        Some(out) => write_dump(h, path, &bytes, format.into(), out, force)?,
        None => print!("{}", h.dump(path, &bytes, format.into(), None)?),
    }
    Ok(Outcome::Ok)
}

/// Writes the dump of `path` to `out` with the files kept beside it (Oktalyzer samples) in one
/// transaction: the document and every file appear together, or nothing changes. The document
/// replaces an older dump (after a backup); any other existing file only with `force`. Files
/// beside it replace older ones after a backup.
fn write_dump(
    h: &dyn Handler,
    path: &Path,
    bytes: &[u8],
    syntax: groovekit_core::doc::Syntax,
    out: &Path,
    force: bool,
) -> miette::Result<()> {
    let (text, files) = h.dump_with_files(path, bytes, syntax, out)?;
    crate::output::write_guarded(
        out,
        text.as_bytes(),
        force,
        |old| std::str::from_utf8(old).ok().and_then(groovekit_core::doc::peek_kind).is_some(),
        &files,
    )
}

/// The kind of a file's content, to compare two files: the Octatrack kind (bank, project, ...) or
/// the format family of the handler that reads it.
fn content_kind(path: &Path, bytes: &[u8]) -> Option<&'static str> {
    groovekit_octatrack::ops::verify::kind_of(bytes)
        .or_else(|| handlers().into_iter().find(|h| h.sniff(path, bytes)).map(|h| h.name()))
}

/// `groovekit build DOC -o FILE`. An existing output of another kind (a module where a bank is
/// built) is refused unless `force`, as `dump -o` refuses to replace a device file (issue 24).
pub fn build(input: &Path, output: &Path, force: bool) -> miette::Result<Outcome> {
    let bytes = read_file(input)?;
    let text = String::from_utf8(bytes)
        .map_err(|e| miette!("{}: not UTF-8 text (byte {})", input.display(), e.utf8_error().valid_up_to()))?;
    let kind = groovekit_core::doc::peek_kind(&text).ok_or_else(|| {
        miette!(
            help = "a document is a YAML or JSON mapping with a top-level `kind` key, as `groovekit dump` writes",
            "{}: no top-level `kind` key",
            input.display()
        )
    })?;
    let h = handlers()
        .into_iter()
        .find(|h| h.doc_kinds().contains(&kind.as_str()))
        .ok_or_else(|| miette!("{}: unknown document kind `{kind}`", input.display()))?;
    let out = h.build(&kind, &text, input).wrap_err_with(|| format!("building {}", input.display()))?;
    let new_kind = content_kind(output, &out);
    if !force
        && let Ok(old) = std::fs::read(output)
        && content_kind(output, &old) != new_kind
    {
        let what = kind_hint(output, &old).map_or_else(
            || "a file of another kind".to_string(),
            |h| h.split(':').next().unwrap_or_default().to_string(),
        );
        return Err(miette!(
            "{} is {what}, and {} builds {}: not replaced (give another -o, or --force to replace it after a backup)",
            output.display(),
            input.display(),
            kind
        ));
    }
    // A bank that holds data the device never plays is valid; say so, as edits and copies do
    // (issue 21), on stderr.
    for note in groovekit_octatrack::timeline::silent::bank_file_notes(&out, output) {
        info(format_args!("warning: {note}"));
    }
    crate::output::write_guarded(output, &out, true, |_| true, &[])?;
    Ok(Outcome::Ok)
}

/// `groovekit render IN -o OUT.wav`.
pub fn render(args: &RenderArgs) -> miette::Result<Outcome> {
    let bytes = read_file(&args.input)?;
    detect(&args.input, &bytes)?.render(args, &bytes)
}

/// Every conversion `convert` offers, as (input, output extensions): a table for messages and
/// for `--json`, built from the handlers.
fn conversions() -> Vec<(&'static str, Vec<&'static str>)> {
    let mut out: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
    for h in handlers() {
        let mut targets = h.conversions().to_vec();
        if h.renders() {
            targets.push("wav");
        }
        if !h.doc_kinds().is_empty() {
            targets.extend(["yaml", "json"]);
        }
        match out.iter_mut().find(|(n, _)| *n == h.name()) {
            Some((_, t)) => {
                for x in targets {
                    if !t.contains(&x) {
                        t.push(x);
                    }
                }
            }
            None => out.push((h.name(), targets)),
        }
    }
    out
}

/// The conversion table as text, one line per format: "  okt -> .wav .yaml .json".
fn conversions_text() -> String {
    std::iter::once(("octatrack project folder", vec![ot::midi::CONVERT_TARGET]))
        .chain(conversions())
        .map(|(n, t)| format!("  {n} -> {}", t.iter().map(|x| format!(".{x}")).collect::<Vec<_>>().join(" ")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `groovekit convert IN OUT`, by OUT's extension: `.yaml`/`.yml`/`.json` through `dump`, `.wav`
/// through the format's renderer (default options; `groovekit render` has them all), anything
/// else through the format's own conversions (`.opz` -> `.mid`). A conversion that does not
/// exist is a usage error that lists the ones that do.
pub fn convert(input: &Path, output: &Path, options: &[String], json: bool) -> miette::Result<Outcome> {
    // An Octatrack project folder to a MIDI file (`ot midi` with KEY=VALUE options).
    if let Some(outcome) = ot::midi::convert_project(input, output, options, json) {
        return outcome;
    }
    let bytes = read_file(input)?;
    let h = detect(input, &bytes)?;
    let ext = output.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let report = |what: &str| {
        let v = serde_json::json!({ "input": input, "output": output, "from": h.name(), "to": ext, "via": what });
        if json {
            println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        } else if !quiet() {
            eprintln!("converted {} ({}) to {} via {what}", input.display(), h.name(), output.display());
        }
    };
    let syntax = match ext.as_str() {
        "yaml" | "yml" => Some(groovekit_core::doc::Syntax::Yaml),
        "json" => Some(groovekit_core::doc::Syntax::Json),
        _ => None,
    };
    if let Some(syntax) = syntax
        && !h.doc_kinds().is_empty()
    {
        write_dump(h, input, &bytes, syntax, output, true)?;
        report("dump");
        return Ok(Outcome::Ok);
    }
    if ext == "wav" && h.renders() {
        let args = RenderArgs::defaults(input, output);
        let outcome = h.render(&args, &bytes)?;
        if outcome == Outcome::Ok {
            report("render");
        }
        return Ok(outcome);
    }
    let working = crate::progress::working("converting");
    let converted = h.convert(input, &bytes, output, options);
    drop(working);
    match converted {
        Some(r) => {
            let outcome = r?;
            if json && outcome == Outcome::Ok {
                report("convert");
            }
            Ok(outcome)
        }
        None => Err(args::usage(format!(
            "{}: no conversion from {} to {}; the conversions are:\n{}",
            input.display(),
            h.name(),
            if ext.is_empty() { "a file without an extension".to_string() } else { format!(".{ext}") },
            conversions_text()
        ))),
    }
}

/// `groovekit diff A B` (two files, or two project folders or Sets).
pub fn diff(a: &Path, b: &Path, json: bool) -> miette::Result<Outcome> {
    let lines = match (a.is_dir(), b.is_dir()) {
        (true, true) => {
            let working = crate::progress::working("comparing the folders");
            let lines = handlers().into_iter().find_map(|h| h.diff_dirs(a, b)).ok_or_else(|| not_a_known_folder(a));
            drop(working);
            lines??
        }
        (false, false) => {
            let (ab, bb) = (read_file(a)?, read_file(b)?);
            let h = detect(a, &ab)?;
            if !h.sniff(b, &bb) {
                return Err(miette!("{} and {} are not files of the same kind", a.display(), b.display()));
            }
            h.diff((a, &ab), (b, &bb))?
        }
        (dir_a, _) => {
            let (dir, file) = if dir_a { (a, b) } else { (b, a) };
            return Err(miette!(
                help = "compare two files, or two folders",
                "{} is a folder but {} is a file",
                dir.display(),
                file.display()
            ));
        }
    };
    let v = serde_json::json!({ "same": lines.is_empty(), "differences": lines });
    print_json_or(json, &v, &if lines.is_empty() { "no differences\n".to_string() } else { lines.join("\n") + "\n" });
    // Like diff(1): 0 same, 1 different.
    Ok(if lines.is_empty() { Outcome::Ok } else { Outcome::Failed })
}
