//! `groovekit ot zip` and `ot unzip`: a project with its samples in one archive, and back into a
//! Set (octapy's `to_zip`/`from_zip`). The work is in `groovekit_octatrack` (`Project::save_zip`,
//! `ops::zip::unzip`); this module parses arguments and prints.

use std::path::PathBuf;

use groovekit_octatrack::Project;
use groovekit_octatrack::model::project_zip::ZipOptions;
use groovekit_octatrack::ops::zip::{UnzipOptions, unzip};
use miette::miette;

use crate::cmd::Outcome;

/// `groovekit ot` subcommands of this area.
#[derive(Debug, clap::Subcommand)]
pub enum ZipCommand {
    /// Put a project and its samples into one zip archive: the project's files under NAME/, and
    /// the file (and .ot) of every slot whose path lies in the Set at its place in the Set
    /// (AUDIO/...). Missing samples and samples outside the Set are listed, not included.
    Zip {
        /// The project folder.
        #[arg(value_parser = crate::cmd::args::ot_project_dir)]
        project: PathBuf,
        /// The archive to write (an existing one is backed up first).
        #[arg(short, long)]
        output: PathBuf,
        /// Also put in each project file as .strd (what PROJECT > RELOAD reads).
        #[arg(long)]
        also_strd: bool,
        /// The project files only, no samples.
        #[arg(long)]
        no_samples: bool,
        /// The project's folder name in the archive (default: the folder's name).
        #[arg(long)]
        name: Option<String>,
        /// Print what would go into the archive; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Unpack a project archive into a Set folder (NAME/ becomes SET/NAME, AUDIO/... SET/AUDIO/...),
    /// all files or none. Files already there with the same content are left alone; other content
    /// is refused unless --force (then backed up). Entries naming places outside SET refuse the
    /// archive.
    Unzip {
        /// The archive.
        archive: PathBuf,
        /// The Set folder to unpack into (created when missing).
        set: PathBuf,
        /// Replace existing files whose content differs (each backed up first).
        #[arg(long)]
        force: bool,
        /// Print what would be written; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Runs one of this area's subcommands.
pub fn run(command: ZipCommand) -> miette::Result<Outcome> {
    match command {
        ZipCommand::Zip { project, output, also_strd, no_samples, name, dry_run, json } => {
            let mut p = Project::open(&project).map_err(|e| miette!("{e}"))?;
            let options = ZipOptions { strd: also_strd, samples: !no_samples, name, dry_run };
            let working = crate::progress::working("zipping");
            let r = p.save_zip(&output, &options);
            drop(working);
            let r = r.map_err(|e| miette!("{e}"))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&r).map_err(|e| miette!("{e}"))?);
            } else {
                // The entry list is the result of a dry run; after a real run a summary (stderr).
                for e in &r.project_files {
                    crate::cmd::result_or_info(r.dry_run, e);
                }
                for s in &r.samples {
                    crate::cmd::result_or_info(
                        r.dry_run,
                        format!("{} ({} bytes, from {})", s.entry, s.bytes, s.source.display()),
                    );
                }
            }
            // Files the folder lacks go into the archive as the blank ones the device would make:
            // say so, as the archive then differs from the folder (issue 24).
            let blank: Vec<&str> = r
                .project_files
                .iter()
                .filter_map(|e| e.split_once('/').map(|(_, f)| f))
                .filter(|f| !project.join(f).exists())
                .collect();
            if !blank.is_empty() {
                crate::cmd::info(format!(
                    "note: {} the project folder lacks added as blank: {}",
                    crate::cmd::args::count(blank.len(), "file"),
                    blank.join(", ")
                ));
            }
            for m in &r.missing {
                crate::cmd::info(format!("warning: missing, not in the archive: {m}"));
            }
            for m in &r.outside {
                crate::cmd::info(format!("warning: outside the Set folder, not in the archive: {m}"));
            }
            if !crate::cmd::quiet() {
                let verb = if r.dry_run { "would write" } else { "wrote" };
                eprintln!(
                    "{verb} {} ({} bytes): project {} ({} files), {} sample files",
                    r.path.display(),
                    r.bytes,
                    r.name,
                    r.project_files.len(),
                    r.samples.len()
                );
            }
            Ok(Outcome::Ok)
        }
        ZipCommand::Unzip { archive, set, force, dry_run, json } => {
            let working = crate::progress::working("unzipping");
            let r = unzip(&archive, &set, UnzipOptions { force, dry_run });
            drop(working);
            let r = r.map_err(|e| miette!("{e}"))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&r).map_err(|e| miette!("{e}"))?);
            } else {
                let (c, rep) = if dry_run { ("would create", "would replace") } else { ("created", "replaced") };
                for p in &r.created {
                    crate::cmd::result_or_info(dry_run, format!("{c} {}", p.display()));
                }
                for (p, _) in &r.replaced {
                    crate::cmd::result_or_info(dry_run, format!("{rep} {}", p.display()));
                }
            }
            if !crate::cmd::quiet() {
                for p in &r.projects {
                    eprintln!("project: {}", p.display());
                }
                eprintln!(
                    "{} created, {} replaced, {} already there with the same content",
                    r.created.len(),
                    r.replaced.len(),
                    r.unchanged.len()
                );
            }
            Ok(Outcome::Ok)
        }
    }
}
