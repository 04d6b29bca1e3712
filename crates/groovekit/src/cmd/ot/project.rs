//! Octatrack project: the `project.work` handler, project and Set folder checks, and
//! `groovekit ot new-project`.

use std::path::{Path, PathBuf};

use groovekit_octatrack::human::project as human;
use groovekit_octatrack::model::project::{Project, SlotType, fmt_bpm};
use groovekit_octatrack::ops::new_project::{ARRANGEMENTS, BANKS, NewProjectOptions, new_project};
use miette::miette;

use crate::cmd::{Handler, Inspection, Outcome, Problem, VerifyReport};

/// `groovekit ot` subcommands of this area.
#[derive(Debug, clap::Subcommand)]
pub enum ProjectCommand {
    /// Create a new, empty project folder, byte-identical to one made by an Octatrack on OS 1.40B
    /// (project.work, bank01-16, arr01-08, markers).
    NewProject {
        /// The project folder to create (inside a Set, next to its AUDIO folder).
        dir: PathBuf,
        /// Write into a folder that is not empty (files replaced are backed up first).
        #[arg(long)]
        force: bool,
        /// Only list the files that would be written.
        #[arg(long)]
        dry_run: bool,
    },
}

/// Runs one of this area's subcommands.
pub fn run(command: ProjectCommand) -> miette::Result<Outcome> {
    match command {
        ProjectCommand::NewProject { dir, force, dry_run } => {
            let report = new_project(&dir, NewProjectOptions { force, dry_run })
                .map_err(|e| miette!(help = "see `groovekit ot new-project --help`", "{e}"))?;
            for b in &report.backups {
                println!("backed up {}", b.display());
            }
            let verb = if dry_run { "would write" } else { "wrote" };
            for (path, size) in &report.files {
                println!("{verb} {} ({size} bytes)", path.display());
            }
            Ok(Outcome::Ok)
        }
    }
}

/// The handlers of this area.
pub fn handlers() -> Vec<&'static dyn Handler> {
    vec![&ProjectHandler]
}

/// The document and `checked` kind of project files.
const KIND: &str = human::KIND;

/// `project.work` / `project.strd`.
struct ProjectHandler;

/// Whether `bytes` look like a `project.work`: the `####` banner or a `[META]` section, and the
/// project TYPE line near the start.
fn looks_like_project(bytes: &[u8]) -> bool {
    let head = bytes.get(..bytes.len().min(2048)).unwrap_or_default();
    let contains = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    (head.starts_with(b"####") || contains(b"[META]")) && contains(b"TYPE=OCTATRACK DPS-1 PROJECT")
}

fn parse(path: &Path, bytes: &[u8]) -> miette::Result<Project> {
    Project::parse(bytes).map_err(|e| miette!("{}: {e}", path.display()))
}

fn problem(path: &Path, message: impl Into<String>) -> Problem {
    Problem { path: path.to_path_buf(), offset: None, message: message.into(), fixed: false }
}

/// The problems of a parsed project that the parser does not reject: missing sections and
/// sample paths that do not exist relative to the project folder.
fn check_project(path: &Path, p: &Project, report: &mut VerifyReport) {
    for section in ["SETTINGS", "STATES"] {
        if p.text().section(section).is_none() {
            report
                .problems
                .push(problem(path, format!("no [{section}] section; the Octatrack will not load this project")));
        }
    }
    if p.text().section("SETTINGS").is_some() && p.tempo_x24().is_none() {
        report.problems.push(problem(path, "[SETTINGS] has no TEMPOx24 line"));
    }
    match p.os_release() {
        Some(r) if r.starts_with("1.40") => {}
        other => report.warnings.push(problem(
            path,
            format!(
                "written by OS {}, not 1.40A/B/C: re-save the project on OS 1.40 before editing it with tools",
                other.as_deref().unwrap_or("(unknown)")
            ),
        )),
    }
    let folder = path.parent().unwrap_or(Path::new("."));
    for s in p.samples() {
        if s.path.is_empty() {
            continue;
        }
        let shown = s.path_lossy();
        if s.path.contains(&b'\\') {
            report.warnings.push(problem(
                path,
                format!(
                    "{} slot {}: path `{shown}` contains `\\`, which the Octatrack cannot load",
                    s.slot_type.describe(),
                    s.slot
                ),
            ));
        }
        let target = folder.join(bytes_to_path(&s.path));
        if !target.is_file() {
            report.problems.push(problem(
                path,
                format!(
                    "{} slot {}: sample `{shown}` not found (looked for {})",
                    s.slot_type.describe(),
                    s.slot,
                    target.display()
                ),
            ));
        }
    }
}

/// A `PATH=` value as a file-system path (raw bytes on Unix, lossy elsewhere).
fn bytes_to_path(bytes: &[u8]) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
    }
}

impl Handler for ProjectHandler {
    fn name(&self) -> &'static str {
        "octatrack"
    }

    fn sniff(&self, _path: &Path, bytes: &[u8]) -> bool {
        looks_like_project(bytes)
    }

    fn inspect(&self, path: &Path, bytes: &[u8]) -> miette::Result<Inspection> {
        let p = parse(path, bytes)?;
        let meta = p.meta();
        let samples = p.samples();
        let count = |t: SlotType| samples.iter().filter(|s| s.slot_type == t && !s.is_recorder_buffer()).count();
        let recorders = samples.iter().filter(|s| s.is_recorder_buffer()).count();
        let mut text = format!(
            "Octatrack project ({})\nOS version: {}\nproject version: {}\ntempo: {}\nsample slots: {} flex, {} static, {} recorder buffers\n",
            path.display(),
            meta.os_version.as_deref().unwrap_or("(none)"),
            meta.version.map_or("(none)".into(), |v| v.to_string()),
            p.tempo_x24().map_or("(none)".into(), |t| format!("{} BPM", fmt_bpm(t))),
            count(SlotType::Flex),
            count(SlotType::Static),
            recorders,
        );
        for s in samples.iter().filter(|s| !s.path.is_empty()) {
            text.push_str(&format!("  {} {:>3}: {}\n", s.slot_type.describe(), s.slot, s.path_lossy()));
        }
        let json = serde_json::json!({
            "kind": KIND,
            "os_version": meta.os_version,
            "version": meta.version,
            "tempo_bpm": p.tempo_bpm(),
            "tempo_x24": p.tempo_x24(),
            "flex_slots": count(SlotType::Flex),
            "static_slots": count(SlotType::Static),
            "recorder_buffers": recorders,
            "samples": samples.iter().map(|s| serde_json::json!({
                "type": s.slot_type.describe(),
                "slot": s.slot,
                "path": s.path_lossy(),
                "gain": s.gain,
            })).collect::<Vec<_>>(),
        });
        Ok(Inspection { text, json })
    }

    fn verify_file(&self, path: &Path, bytes: &[u8], _fix: bool) -> miette::Result<VerifyReport> {
        let mut report = VerifyReport::default();
        report.checked.push((path.to_path_buf(), KIND.to_string()));
        match Project::parse(bytes) {
            Ok(p) => check_project(path, &p, &mut report),
            Err(e) => report.problems.push(problem(path, e.to_string())),
        }
        Ok(report)
    }

    fn verify_dir(&self, dir: &Path, fix: bool) -> Option<miette::Result<VerifyReport>> {
        if dir.join("project.work").is_file() || dir.join("project.strd").is_file() {
            return Some(Ok(verify_project_dir(dir, fix)));
        }
        let projects = set_projects(dir);
        if dir.join("AUDIO").is_dir() && !projects.is_empty() {
            let mut report = VerifyReport::default();
            for f in groovekit_core::fixtures::files_under(&dir.join("AUDIO"), &|p| has_ext(p, "ot")) {
                verify_with_handlers(&f, fix, &mut report);
            }
            for p in projects {
                report.merge(verify_project_dir(&p, fix));
            }
            return Some(Ok(report));
        }
        None
    }

    fn dump(
        &self,
        path: &Path,
        bytes: &[u8],
        syntax: groovekit_core::doc::Syntax,
        _output: Option<&Path>,
    ) -> miette::Result<String> {
        let p = parse(path, bytes)?;
        human::to_text(&p, syntax).map_err(|e| miette!("{}: {e}", path.display()))
    }

    fn doc_kinds(&self) -> &'static [&'static str] {
        &[KIND]
    }

    fn build(&self, _kind: &str, text: &str, _input: &Path) -> miette::Result<Vec<u8>> {
        human::from_text(text).map(|p| p.to_bytes()).map_err(|e| miette!("{e}"))
    }

    fn diff(&self, a: (&Path, &[u8]), b: (&Path, &[u8])) -> miette::Result<Vec<String>> {
        let (pa, pb) = (parse(a.0, a.1)?, parse(b.0, b.1)?);
        let mut lines = pa.differences(&pb);
        if lines.is_empty() && a.1 != b.1 {
            lines.push("same values, different layout (spacing, line endings, order or comments)".into());
        }
        Ok(lines)
    }
}

fn has_ext(p: &Path, ext: &str) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// The project folders of a Set: its subfolders that hold a `project.work` or `project.strd`.
fn set_projects(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut out: Vec<PathBuf> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir() && (p.join("project.work").is_file() || p.join("project.strd").is_file()))
        .collect();
    out.sort();
    out
}

/// Verifies one file with whichever handler recognises it; unrecognised files are problems.
fn verify_with_handlers(path: &Path, fix: bool, report: &mut VerifyReport) {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            report.problems.push(problem(path, format!("cannot read: {e}")));
            return;
        }
    };
    match crate::cmd::handlers().into_iter().find(|h| h.sniff(path, &bytes)) {
        Some(h) => match h.verify_file(path, &bytes, fix) {
            Ok(r) => report.merge(r),
            Err(e) => report.problems.push(problem(path, format!("{e}"))),
        },
        None => report.problems.push(problem(
            path,
            format!(
                "not recognised as an Octatrack file ({} bytes); restore it from the .strd copy or a backup",
                bytes.len()
            ),
        )),
    }
}

/// The file names every project folder must have (as `.work`).
fn required_files() -> Vec<String> {
    let mut names = vec!["project".to_string()];
    names.extend((1..=BANKS).map(|n| format!("bank{n:02}")));
    names.extend((1..=ARRANGEMENTS).map(|n| format!("arr{n:02}")));
    names.push("markers".into());
    names
}

/// Checks a project folder: every required `.work` file is present, and each `.work` and
/// `.strd` present is verified by its format's handler (which also checks sample paths for
/// `project.work`); `.ot` files in the folder are verified too.
fn verify_project_dir(dir: &Path, fix: bool) -> VerifyReport {
    let mut report = VerifyReport::default();
    for stem in required_files() {
        let work = dir.join(format!("{stem}.work"));
        let strd = dir.join(format!("{stem}.strd"));
        if work.is_file() {
            verify_with_handlers(&work, fix, &mut report);
        } else {
            report.problems.push(problem(
                &work,
                if strd.is_file() {
                    format!(
                        "missing {stem}.work (a {stem}.strd exists: copy it to {stem}.work to recover the saved state)"
                    )
                } else {
                    format!(
                        "missing {stem}.work: every project needs it (`groovekit ot new-project` writes a fresh set)"
                    )
                },
            ));
        }
        if strd.is_file() {
            verify_with_handlers(&strd, fix, &mut report);
        }
    }
    let Ok(rd) = std::fs::read_dir(dir) else { return report };
    let mut ot: Vec<PathBuf> = rd.flatten().map(|e| e.path()).filter(|p| p.is_file() && has_ext(p, "ot")).collect();
    ot.sort();
    for f in ot {
        verify_with_handlers(&f, fix, &mut report);
    }
    report
}
