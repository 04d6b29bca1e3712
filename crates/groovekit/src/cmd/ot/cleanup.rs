//! Octatrack clean-up operations: `groovekit ot purge-slots`, `purge-files`, `collect`, `dedupe`,
//! `relink` and `clear`. The work is in `groovekit_octatrack::ops::cleanup`; this module parses
//! arguments and prints the plan or the result.

use std::path::PathBuf;

use groovekit_octatrack::model::project::SlotType;
use groovekit_octatrack::ops::backup::ApplyOptions;
use groovekit_octatrack::ops::cleanup::{self, CleanupOptions, CleanupPlan, ClearWhat, FileAction};
use miette::miette;

use crate::cmd::Outcome;

/// `--pool` values.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Pool {
    /// Flex slots.
    Flex,
    /// Static slots.
    Static,
}

/// `groovekit ot` clean-up subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum CleanupCommand {
    /// Clear the sample slots nothing uses (no part of any bank, working or saved, .work or .strd,
    /// and no sample lock); recorder slots stay. Their markers records are reset.
    PurgeSlots {
        /// The project folder.
        project: PathBuf,
        /// Only this pool.
        #[arg(long, value_enum)]
        pool: Option<Pool>,
        /// Print the plan; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print the plan or result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Move the audio files (and their .ot) that no slot of any project uses into the backups/
    /// folder (never deleted; `ot restore` puts them back). PATH is a project or a Set.
    PurgeFiles {
        /// A project folder, or a Set folder (its AUDIO pool and every project).
        path: PathBuf,
        /// Print the plan; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print the plan or result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Copy every sample the project names from outside its folder into it (or, with --to-pool,
    /// from outside the Set into its AUDIO pool) and rewrite the slot paths.
    Collect {
        /// The project folder.
        project: PathBuf,
        /// Collect into the Set's AUDIO pool instead of the project folder.
        #[arg(long)]
        to_pool: bool,
        /// Print the plan; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print the plan or result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Keep one of each set of identical audio files of a Set (the pool copy first, then the
    /// shortest path), point every project's slots at it and move the others to backups/.
    Dedupe {
        /// The Set folder.
        set: PathBuf,
        /// Print the plan; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print the plan or result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Find the missing samples of a project under a folder (by name, and by content when it is
    /// known) and rewrite their slot paths; ambiguous matches are listed and left alone.
    Relink {
        /// The project folder.
        project: PathBuf,
        /// The folder to search (recursively).
        #[arg(long)]
        search: PathBuf,
        /// Print the plan; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print the plan or result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Reset a bank's patterns and/or parts to a blank project's (both when neither is given).
    Clear {
        /// The project folder.
        project: PathBuf,
        /// Bank 1-16.
        #[arg(long, value_parser = clap::value_parser!(u8).range(1..=16))]
        bank: u8,
        /// Only the 16 patterns.
        #[arg(long)]
        patterns: bool,
        /// Only the 4 parts (working and saved).
        #[arg(long)]
        parts: bool,
        /// Print the plan; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print the plan or result as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Runs a clean-up subcommand.
pub fn run(command: CleanupCommand) -> miette::Result<Outcome> {
    let opts = |dry_run| CleanupOptions { dry_run, apply: ApplyOptions::default() };
    let working = crate::progress::working("working");
    let (plan, json) = match command {
        CleanupCommand::PurgeSlots { project, pool, dry_run, json } => {
            let pool = pool.map(|p| match p {
                Pool::Flex => SlotType::Flex,
                Pool::Static => SlotType::Static,
            });
            (cleanup::purge_slots(&project, pool, opts(dry_run)), json)
        }
        CleanupCommand::PurgeFiles { path, dry_run, json } => (cleanup::purge_files(&path, opts(dry_run)), json),
        CleanupCommand::Collect { project, to_pool, dry_run, json } => {
            (cleanup::collect(&project, to_pool, opts(dry_run)), json)
        }
        CleanupCommand::Dedupe { set, dry_run, json } => (cleanup::dedupe(&set, opts(dry_run)), json),
        CleanupCommand::Relink { project, search, dry_run, json } => {
            (cleanup::relink(&project, &search, opts(dry_run)), json)
        }
        CleanupCommand::Clear { project, bank, patterns, parts, dry_run, json } => {
            (cleanup::clear(&project, usize::from(bank), ClearWhat { patterns, parts }, opts(dry_run)), json)
        }
    };
    drop(working);
    let plan = plan.map_err(|e| miette!("{e}"))?;
    print_plan(&plan, json)?;
    Ok(Outcome::Ok)
}

fn print_plan(plan: &CleanupPlan, json: bool) -> miette::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(plan).map_err(|e| miette!("{e}"))?);
        return Ok(());
    }
    let dry = plan.dry_run;
    if plan.is_empty() {
        println!("{}: nothing to do in {}", plan.operation, plan.root.display());
    } else {
        println!("{}{}: {}", plan.operation, if dry { " (plan, nothing changed)" } else { "" }, plan.root.display());
    }
    for c in &plan.cleared {
        println!("  {} {c}", if dry { "would clear" } else { "cleared" });
    }
    for s in &plan.slots {
        let project = s.project.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if s.to.is_empty() {
            let verb = if dry { "would clear" } else { "cleared" };
            println!("  {verb} {project} {} slot {:>3}  {}", s.slot_type.describe(), s.slot, s.from);
        } else {
            println!("  {project} {} slot {:>3}  {} -> {}", s.slot_type.describe(), s.slot, s.from, s.to);
        }
    }
    for f in &plan.files {
        match f.action {
            FileAction::MoveToBackup => println!(
                "  {} {} ({})",
                if dry { "would move to backups/" } else { "moved to backups/" },
                f.path.display(),
                f.reason
            ),
            FileAction::Copy => println!(
                "  {} {} -> {}{}",
                if dry { "would copy" } else { "copied" },
                f.path.display(),
                f.to.as_ref().map(|t| t.display().to_string()).unwrap_or_default(),
                if f.reason.starts_with("renamed") { " (renamed: another file has the name)" } else { "" }
            ),
        }
    }
    for u in &plan.unresolved {
        if u.candidates.is_empty() {
            println!("  not found: {} slot {} {}", u.slot_type.describe(), u.slot, u.path);
        } else {
            println!(
                "  ambiguous, left as it is: {} slot {} {} could be any of:",
                u.slot_type.describe(),
                u.slot,
                u.path
            );
            for c in &u.candidates {
                println!("      {}", c.display());
            }
        }
    }
    for w in &plan.warnings {
        println!("  warning: {w}");
    }
    if let Some(b) = &plan.backup {
        println!("  backup: {} (`groovekit ot restore {}` puts everything back)", b.display(), b.display());
    } else if dry && !plan.is_empty() {
        println!("  a real run first backs up every file it changes or moves into {}/backups/", plan.root.display());
    }
    Ok(())
}
