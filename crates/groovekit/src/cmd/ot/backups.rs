//! `groovekit ot backups list|prune`: the backup folders project operations leave in
//! `PROJECT/backups/` (issue 23). The work is in `groovekit_octatrack::ops::backup`
//! (`list_backups`, `prune_backups`); this module parses arguments and prints.

use std::path::PathBuf;

use groovekit_octatrack::ops::backup::{BackupInfo, DEFAULT_KEEP, PruneOptions, list_backups, prune_backups};
use miette::miette;

use crate::cmd::{Outcome, args};

/// `groovekit ot backups ...`.
#[derive(Debug, clap::Subcommand)]
pub enum BackupsCommand {
    /// List a project's backup folders, oldest first: when, which operation, files and size, and
    /// whether it is complete (an incomplete one is the leftover of an operation that never
    /// happened and restores nothing).
    #[command(
        after_help = "Examples:\n  groovekit ot backups list SET/PROJECT\n  groovekit ot backups list SET/PROJECT --json"
    )]
    List {
        /// The project folder.
        project: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Remove old backup folders of a project: incomplete ones, and complete ones beyond the
    /// newest --keep N and/or older than --older-than AGE. With neither, the newest 10 are kept
    /// (the default retention; nothing is ever pruned unless asked).
    #[command(
        after_help = "Examples:\n  groovekit ot backups prune SET/PROJECT --dry-run\n  groovekit ot backups prune SET/PROJECT --keep 3\n  groovekit ot backups prune SET/PROJECT --older-than 30d"
    )]
    Prune {
        /// The project folder.
        project: PathBuf,
        /// Keep the newest N complete backups.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(0..=1_000_000))]
        keep: Option<u64>,
        /// Remove complete backups older than AGE (30d, 12h, 2w, 90m, 45s).
        #[arg(long, value_name = "AGE", value_parser = args::age)]
        older_than: Option<u64>,
        /// Print what would be removed; remove nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

fn line(b: &BackupInfo) -> String {
    let state = if b.complete { "" } else { "  (incomplete: restores nothing)" };
    format!(
        "{}  {}  {}, {} bytes{state}",
        b.path.display(),
        if b.label.is_empty() { "?" } else { &b.label },
        args::count(b.files, "file"),
        b.bytes
    )
}

/// Runs `groovekit ot backups ...`.
pub fn run(command: BackupsCommand) -> miette::Result<Outcome> {
    match command {
        BackupsCommand::List { project, json } => {
            let all = list_backups(&project).map_err(|e| miette!("{e}"))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&all).map_err(|e| miette!("{e}"))?);
            } else {
                for b in &all {
                    println!("{}", line(b));
                }
                if !crate::cmd::quiet() {
                    let bytes: u64 = all.iter().map(|b| b.bytes).sum();
                    eprintln!("{}, {bytes} bytes", args::count(all.len(), "backup"));
                    if all.len() > DEFAULT_KEEP {
                        eprintln!(
                            "note: `groovekit ot backups prune {}` keeps the newest {DEFAULT_KEEP}",
                            project.display()
                        );
                    }
                }
            }
            Ok(Outcome::Ok)
        }
        BackupsCommand::Prune { project, keep, older_than, dry_run, json } => {
            let opts = PruneOptions {
                keep: keep.map(|k| usize::try_from(k).unwrap_or(usize::MAX)),
                older_than_secs: older_than,
                dry_run,
            };
            let r = prune_backups(&project, opts).map_err(|e| miette!("{e}"))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&r).map_err(|e| miette!("{e}"))?);
            } else {
                let verb = if dry_run { "would remove" } else { "removed" };
                for b in &r.removed {
                    println!("{verb} {}", line(b));
                }
                if !crate::cmd::quiet() {
                    eprintln!("{} {verb}, {} kept", args::count(r.removed.len(), "backup"), r.kept.len());
                }
            }
            Ok(Outcome::Ok)
        }
    }
}
