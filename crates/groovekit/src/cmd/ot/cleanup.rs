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
        #[arg(value_parser = crate::cmd::args::ot_project_dir)]
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
        #[arg(value_parser = crate::cmd::args::ot_project_dir)]
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
        #[arg(value_parser = crate::cmd::args::ot_project_dir)]
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
        #[arg(value_parser = crate::cmd::args::ot_project_dir)]
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
        #[arg(value_parser = crate::cmd::args::ot_project_dir)]
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
        #[arg(value_parser = crate::cmd::args::ot_project_dir)]
        project: PathBuf,
        /// Bank 1-16 or A-P.
        #[arg(long, value_parser = crate::cmd::args::ot_bank_u8)]
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
    // A relink that found none of the missing samples did nothing it was asked to: exit 1.
    if plan.operation == "relink" && plan.slots.is_empty() && !plan.unresolved.is_empty() {
        crate::cmd::info(format!(
            "relink: none of the {} was found",
            crate::cmd::args::count(plan.unresolved.len(), "missing sample")
        ));
        return Ok(Outcome::Failed);
    }
    Ok(Outcome::Ok)
}

fn print_plan(plan: &CleanupPlan, json: bool) -> miette::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(plan).map_err(|e| miette!("{e}"))?);
        return Ok(());
    }
    let dry = plan.dry_run;
    // The plan is the result of a dry run (stdout); after a real run it is a summary (stderr).
    let say = |line: String| crate::cmd::result_or_info(dry, line);
    if plan.is_empty() {
        say(format!("{}: nothing to do in {}", plan.operation, plan.root.display()));
    } else {
        say(format!(
            "{}{}: {}",
            plan.operation,
            if dry { " (plan, nothing changed)" } else { "" },
            plan.root.display()
        ));
    }
    for c in &plan.cleared {
        say(format!("  {} {c}", if dry { "would clear" } else { "cleared" }));
    }
    for s in &plan.slots {
        let project = s.project.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if s.to.is_empty() {
            let verb = if dry { "would clear" } else { "cleared" };
            say(format!("  {verb} {project} {} slot {:>3}  {}", s.slot_type.describe(), s.slot, s.from));
        } else {
            say(format!("  {project} {} slot {:>3}  {} -> {}", s.slot_type.describe(), s.slot, s.from, s.to));
        }
    }
    for f in &plan.files {
        match f.action {
            FileAction::MoveToBackup => say(format!(
                "  {} {} ({})",
                if dry { "would move to backups/" } else { "moved to backups/" },
                f.path.display(),
                f.reason
            )),
            FileAction::Copy => say(format!(
                "  {} {} -> {}{}",
                if dry { "would copy" } else { "copied" },
                f.path.display(),
                f.to.as_ref().map(|t| t.display().to_string()).unwrap_or_default(),
                if f.reason.starts_with("renamed") { " (renamed: another file has the name)" } else { "" }
            )),
        }
    }
    for u in &plan.unresolved {
        if u.candidates.is_empty() {
            say(format!("  not found: {} slot {} {}", u.slot_type.describe(), u.slot, u.path));
        } else {
            say(format!(
                "  ambiguous, left as it is: {} slot {} {} could be any of:",
                u.slot_type.describe(),
                u.slot,
                u.path
            ));
            for c in &u.candidates {
                say(format!("      {}", c.display()));
            }
        }
    }
    for w in &plan.warnings {
        crate::cmd::info(format!("warning: {w}"));
    }
    if let Some(b) = &plan.backup {
        say(format!("  backup: {} (`groovekit ot restore {}` puts everything back)", b.display(), b.display()));
    } else if dry && !plan.is_empty() {
        say(format!(
            "  a real run first backs up every file it changes or moves into {}/backups/",
            plan.root.display()
        ));
    }
    Ok(())
}
