//! Octatrack project: the `project.work` handler, project and Set folder checks (in
//! `groovekit_octatrack::ops::verify`), and `groovekit ot new-project`.

use std::path::{Path, PathBuf};

use groovekit_octatrack::ops::{folder, verify};

use groovekit_octatrack::human::project as human;
use groovekit_octatrack::model::project::{Project, SlotType, fmt_bpm};
use groovekit_octatrack::ops::new_project::{NewProjectOptions, new_project};
use miette::miette;

use crate::cmd::{Handler, Inspection, Outcome, VerifyReport};

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
            // The file list is the result of a dry run; after a real run a summary (stderr).
            for b in &report.backups {
                crate::cmd::info(format!("backed up {}", b.display()));
            }
            let verb = if dry_run { "would write" } else { "wrote" };
            for (path, size) in &report.files {
                crate::cmd::result_or_info(dry_run, format!("{verb} {} ({size} bytes)", path.display()));
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

/// The text `inspect` prints for a project folder.
fn project_summary_text(s: &folder::ProjectSummary) -> String {
    let mut t = format!(
        "project {} ({}): OS {}, tempo {}\n",
        s.name,
        s.dir.display(),
        s.os.as_deref().unwrap_or("unknown"),
        s.tempo.map_or("unknown".to_string(), |b| format!("{b} BPM"))
    );
    let with_content: Vec<String> = s
        .banks
        .iter()
        .filter(|b| !b.patterns.is_empty())
        .map(|b| {
            let ps: Vec<String> = b.patterns.iter().map(u8::to_string).collect();
            format!("{} ({}): patterns {}", b.bank, b.letter, ps.join(", "))
        })
        .collect();
    t += &format!(
        "banks: {} saved, {} with patterns{}\n",
        s.banks.len(),
        with_content.len(),
        if with_content.is_empty() { String::new() } else { ":".to_string() }
    );
    for line in &with_content {
        t += &format!("  bank {line}\n");
    }
    t += &format!("sample slots in use: {} flex, {} static\n", s.flex_slots, s.static_slots);
    if !s.missing_samples.is_empty() {
        t += &format!("missing samples: {}\n", s.missing_samples.len());
        for m in &s.missing_samples {
            t += &format!("  {m}\n");
        }
    }
    // The first problems; `groovekit verify` lists them all (missing samples are listed above).
    const SHOWN: usize = 10;
    t += &format!("problems: {}\n", s.problems.len());
    for p in s.problems.iter().take(SHOWN) {
        t += &format!("  {p}\n");
    }
    if s.problems.len() > SHOWN {
        t += &format!("  ... {} more: groovekit verify {}\n", s.problems.len() - SHOWN, s.dir.display());
    }
    t
}

fn parse(path: &Path, bytes: &[u8]) -> miette::Result<Project> {
    Project::parse(bytes).map_err(|e| miette!("{}: {e}", path.display()))
}

impl Handler for ProjectHandler {
    fn name(&self) -> &'static str {
        "octatrack"
    }

    fn sniff(&self, _path: &Path, bytes: &[u8]) -> bool {
        verify::looks_like_project(bytes)
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

    fn verify_file(&self, path: &Path, bytes: &[u8], fix: bool) -> miette::Result<VerifyReport> {
        Ok(verify::check_file(path, bytes, fix).unwrap_or_default())
    }

    fn verify_dir(&self, dir: &Path, fix: bool) -> Option<miette::Result<VerifyReport>> {
        verify::check_folder(dir, fix).map(Ok)
    }

    fn inspect_dir(&self, dir: &Path) -> Option<miette::Result<Inspection>> {
        let err = |e: groovekit_octatrack::OtError| miette!("{}: {e}", dir.display());
        Some(match verify::folder_kind(dir)? {
            verify::Folder::Project => folder::summarise_project(dir).map_err(err).map(|s| Inspection {
                text: project_summary_text(&s),
                json: serde_json::json!({ "kind": "octatrack-project-folder", "project": s }),
            }),
            verify::Folder::Set => folder::summarise_set(dir).map_err(err).map(|s| {
                let mut text = format!(
                    "Octatrack Set ({}): {}, AUDIO: {}\n",
                    dir.display(),
                    crate::cmd::args::count(s.projects.len(), "project"),
                    if s.has_audio {
                        crate::cmd::args::count(s.audio_files, "audio file")
                    } else {
                        "none (no AUDIO folder)".to_string()
                    }
                );
                for p in &s.projects {
                    text.push('\n');
                    text.push_str(&project_summary_text(p));
                }
                Inspection { text, json: serde_json::json!({ "kind": "octatrack-set", "set": s }) }
            }),
        })
    }

    fn diff_dirs(&self, a: &Path, b: &Path) -> Option<miette::Result<Vec<String>>> {
        verify::folder_kind(a)?;
        verify::folder_kind(b)?;
        Some(folder::diff_folders(a, b).map_err(|e| miette!("{} vs {}: {e}", a.display(), b.display())))
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
