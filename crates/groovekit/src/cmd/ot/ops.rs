//! Octatrack project operations: `groovekit ot slots`, `ot copy-bank` and `ot restore`. The work
//! is in `groovekit_octatrack::ops` (`slots`, `copy`, `backup`); this module parses arguments and
//! prints.

use std::path::{Path, PathBuf};

use groovekit_octatrack::ops::backup::{ApplyOptions, restore};
use groovekit_octatrack::ops::copy::{CopyBankOptions, CopyPlan, copy_bank, read_batch};
use groovekit_octatrack::ops::import::{Import, MissingSamples, SlotAction};
use groovekit_octatrack::ops::slots::{SlotInfo, SlotsFilter, describe_use, list_slots};
use miette::miette;

use crate::cmd::Outcome;

/// `groovekit ot` subcommands of this area.
#[derive(Debug, clap::Subcommand)]
pub enum OpsCommand {
    /// List a project's sample slots: type, path, settings, where each is used (bank / part /
    /// pattern / track / step) and missing files.
    Slots {
        /// The project folder.
        #[arg(value_parser = crate::cmd::args::ot_project_dir)]
        project: PathBuf,
        /// Only references in this bank (1-16 or A-P).
        #[arg(long, value_parser = crate::cmd::args::ot_bank)]
        bank: Option<usize>,
        /// Only this part (1-4) of the bank.
        #[arg(long, requires = "bank", conflicts_with = "pattern", value_parser = crate::cmd::args::ranged(1u8, 4, "part"))]
        part: Option<u8>,
        /// Only this pattern (1-16) of the bank: its sample locks and the slots of the part it
        /// plays (a use "plays" only where this pattern plays it).
        #[arg(long, requires = "bank", value_parser = crate::cmd::args::ranged(1u8, 16, "pattern"))]
        pattern: Option<u8>,
        /// Only slots nothing uses.
        #[arg(long)]
        unused: bool,
        /// Only slots whose file is missing, and used slots the project does not list.
        #[arg(long)]
        missing: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Copy a bank within a project, across projects or across Sets, remapping every sample slot
    /// (working and saved parts, sample locks) and copying the samples, their .ot and markers.
    CopyBank {
        /// SOURCE_PROJECT:BANK (bank 1-16 or A-P).
        #[arg(required_unless_present = "config")]
        from: Option<String>,
        /// DESTINATION_PROJECT:BANK.
        #[arg(required_unless_present = "config")]
        to: Option<String>,
        /// A YAML/JSON batch (`kind: octatrack-copy-bank-batch`, `copies: [...]`), run in order,
        /// each copy all-or-nothing.
        #[arg(long, conflicts_with_all = ["from", "to"])]
        config: Option<PathBuf>,
        /// Replace a destination bank that is not blank (a backup is kept).
        #[arg(long)]
        force: bool,
        /// Copy samples into the Set's AUDIO pool instead of the destination project folder.
        #[arg(long)]
        to_pool: bool,
        /// Also write the .strd files (what PROJECT > RELOAD reads).
        #[arg(long)]
        also_strd: bool,
        /// Print the plan (slot map, files to copy or rename, what is replaced); change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print the plan or result as JSON.
        #[arg(long)]
        json: bool,
        /// When source sample files are missing: `refuse` (the default) or `keep` (copy anyway;
        /// the slots keep their paths and are listed as missing).
        #[arg(long, value_enum, default_value_t = super::copy::Missing::Refuse)]
        missing: super::copy::Missing,
    },
    /// Put back the files of a backup made by a project operation (PROJECT/backups/...).
    Restore {
        /// The backup folder.
        backup: PathBuf,
        /// Print what would be restored; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Runs one of this area's subcommands.
pub fn run(command: OpsCommand) -> miette::Result<Outcome> {
    match command {
        OpsCommand::Slots { project, bank, part, pattern, unused, missing, json } => {
            slots(&project, SlotsFilter { bank, part, pattern }, unused, missing, json)
        }
        OpsCommand::CopyBank { from, to, config, force, to_pool, also_strd, dry_run, json, missing } => {
            let opts = CopyBankOptions {
                force,
                to_pool,
                also_strd,
                dry_run,
                missing: missing.into(),
                apply: ApplyOptions::default(),
            };
            match config {
                Some(cfg) => batch(&cfg, opts, json),
                None => {
                    let (src, n) = project_bank(from.as_deref().unwrap_or_default())?;
                    let (dst, m) = project_bank(to.as_deref().unwrap_or_default())?;
                    let working = crate::progress::working("copying");
                    let plan = copy_bank(&src, n, &dst, m, opts);
                    drop(working);
                    let plan = plan.map_err(|e| miette!("{e}"))?;
                    print_plan(&plan, json)?;
                    refused(plan.refused.as_deref())
                }
            }
        }
        OpsCommand::Restore { backup, dry_run, json } => {
            if !backup.exists() {
                return Err(missing_backup(&backup));
            }
            let working = crate::progress::working("restoring");
            let plan = restore(&backup, dry_run, ApplyOptions::default());
            drop(working);
            let plan = plan.map_err(|e| miette!("{e}"))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&plan).map_err(|e| miette!("{e}"))?);
            } else {
                let (a, b) = if dry_run { ("would restore", "would remove") } else { ("restored", "removed") };
                let say = |line: String| crate::cmd::result_or_info(dry_run, line);
                for p in &plan.restore {
                    say(format!("{a} {}", tidy(p).display()));
                }
                for p in &plan.remove {
                    say(format!("{b} {}", tidy(p).display()));
                }
                if let Some(b) = &plan.backup {
                    say(format!("backup of the files before the restore: {}", b.display()));
                }
            }
            Ok(Outcome::Ok)
        }
    }
}

/// The error for a backup folder that does not exist: the backups that do (issue 24), newest
/// last, from the folder it names (`PROJECT/backups/`).
fn missing_backup(backup: &Path) -> miette::Report {
    let folder = backup.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .map(|rd| {
            rd.flatten().filter(|e| e.path().is_dir()).map(|e| e.file_name().to_string_lossy().into_owned()).collect()
        })
        .unwrap_or_default();
    names.sort();
    if names.is_empty() {
        return miette!("{}: no such backup, and {} holds none", backup.display(), folder.display());
    }
    miette!(
        help = format!(
            "for example `groovekit ot restore {}`",
            folder.join(names.last().map_or("", String::as_str)).display()
        ),
        "{}: no such backup; {} holds: {}",
        backup.display(),
        folder.display(),
        names.join(", ")
    )
}

/// Parses `PROJECT:N`. A malformed argument or a bank outside 1-16 is a usage error (exit 2).
fn project_bank(s: &str) -> miette::Result<(PathBuf, usize)> {
    let bad = || {
        crate::cmd::args::usage(format!(
            "`{s}`: expected PROJECT:BANK, the project folder, a colon and the bank number (e.g. `SET/MYPROJ:3`)"
        ))
    };
    let (p, n) = s.rsplit_once(':').ok_or_else(bad)?;
    if p.is_empty() {
        return Err(bad());
    }
    let n = crate::cmd::args::ot_bank(n).map_err(|e| crate::cmd::args::usage(format!("`{s}`: {e}")))?;
    Ok((PathBuf::from(p), n))
}

fn batch(cfg: &Path, opts: CopyBankOptions, json: bool) -> miette::Result<Outcome> {
    let text = std::fs::read_to_string(cfg).map_err(|e| miette!("reading {}: {e}", cfg.display()))?;
    let base = cfg.parent().unwrap_or(Path::new("."));
    let batch = read_batch(&text, base).map_err(|e| miette!("{}: {e}", cfg.display()))?;
    let mut results = Vec::new();
    let bar = crate::progress::bar(batch.copies.len() as u64, "copies");
    for (i, j) in batch.copies.iter().enumerate() {
        let o = CopyBankOptions {
            force: opts.force || j.force,
            to_pool: opts.to_pool || j.to_pool,
            also_strd: opts.also_strd || j.also_strd,
            missing: if j.missing_keep { MissingSamples::Keep } else { opts.missing },
            ..opts
        };
        let plan = copy_bank(&j.source, j.source_bank, &j.destination, j.destination_bank, o)
            .map_err(|e| miette!("copy {} of {}: {e} (the copies before it are done)", i + 1, batch.copies.len()))?;
        bar.inc(1);
        if !json {
            bar.suspend(|| print_plan(&plan, false))?;
        }
        if let Some(why) = &plan.refused {
            eprintln!("copy {} of {} would refuse: {why}", i + 1, batch.copies.len());
        }
        results.push(plan);
    }
    bar.finish_and_clear();
    if json {
        println!("{}", serde_json::to_string_pretty(&results).map_err(|e| miette!("{e}"))?);
    }
    Ok(Outcome::Ok)
}

fn print_plan(plan: &CopyPlan, json: bool) -> miette::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(plan).map_err(|e| miette!("{e}"))?);
        return Ok(());
    }
    let head = if plan.dry_run { "plan" } else { "copied" };
    crate::cmd::result_or_info(
        plan.dry_run,
        format!(
            "{head}: {} bank {} -> {} bank {}",
            tidy(&plan.source).display(),
            plan.source_bank,
            tidy(&plan.destination).display(),
            plan.destination_bank
        ),
    );
    print_plan_body(&plan.replaces, &plan.import, &plan.writes, plan.dry_run, plan.backup.as_deref());
    Ok(())
}

pub(crate) use groovekit_octatrack::ops::project_dir::tidy;

/// After a plan is printed: a dry run whose real run would refuse (source samples missing without
/// `--missing keep`) fails with the reason (exit 1), the plan above it showing what `--missing
/// keep` would do.
pub(super) fn refused(why: Option<&str>) -> miette::Result<Outcome> {
    match why {
        Some(why) => Err(miette!("a real run would refuse: {why}")),
        None => Ok(Outcome::Ok),
    }
}

/// The lines every copy plan prints under its head line (copy-bank and the piece copies): what
/// it replaces, the slot map, the files it copies and writes, warnings and the backup. Only what
/// matters (issue 24): source slots that are empty and stay empty are counted, not listed, and a
/// file already listed as copied is not listed again as written. The plan is the result of a dry
/// run (stdout); after a real run it is a summary (stderr, silenced by `--quiet`).
pub(super) fn print_plan_body(
    replaces: &[String],
    import: &Import,
    writes: &[PathBuf],
    dry_run: bool,
    backup: Option<&Path>,
) {
    let say = |line: String| crate::cmd::result_or_info(dry_run, line);
    for r in replaces {
        say(format!("  replaces: {r}"));
    }
    let mut empty = 0;
    for m in import.slots.iter().filter(|m| m.action != SlotAction::Same) {
        let why = match m.action {
            SlotAction::New => format!("new slot, {}", m.path),
            SlotAction::Reuse => format!("reuses the destination's identical slot ({})", m.path),
            SlotAction::Empty => {
                empty += 1;
                continue;
            }
            SlotAction::Kept => "empty in the source, no empty slot left: number kept".to_string(),
            SlotAction::Same => String::new(),
        };
        say(format!("  {} {:>3} -> {:>3}  {why}", m.slot_type.describe(), m.from, m.to));
    }
    if empty > 0 {
        say(format!("  {} empty in the source: empty in the destination too", crate::cmd::args::count(empty, "slot")));
    }
    let verb = if dry_run { "would copy" } else { "copied" };
    for f in &import.files {
        let renamed = if f.renamed { " (renamed: a different file has the name)" } else { "" };
        say(format!("  {verb} {} -> {}{renamed}", tidy(&f.from).display(), tidy(&f.to).display()));
    }
    let verb = if dry_run { "would write" } else { "wrote" };
    for w in writes.iter().filter(|w| !import.files.iter().any(|f| tidy(&f.to) == tidy(w))) {
        say(format!("  {verb} {}", tidy(w).display()));
    }
    for m in &import.missing {
        say(format!("  missing, slot kept with its path: {m}"));
    }
    // Warnings (slot pools that changed, data the copy leaves that can never sound) go to
    // stderr, as every warning does; --json carries them too.
    for w in &import.warnings {
        crate::cmd::info(format!("warning: {w}"));
    }
    if let Some(b) = backup {
        say(format!("  backup: {} (`groovekit ot restore` puts it back)", b.display()));
    }
}

fn slots(dir: &Path, filter: SlotsFilter, unused: bool, missing: bool, json: bool) -> miette::Result<Outcome> {
    let working = crate::progress::working("reading the banks");
    let report = list_slots(dir, filter).map_err(|e| miette!("{e}"))?;
    drop(working);
    let shown: Vec<&SlotInfo> = if unused {
        report.unused().collect()
    } else if missing {
        report.missing().chain(report.dangling()).collect()
    } else {
        report.slots.iter().filter(|s| s.listed || !s.uses.is_empty()).collect()
    };
    if json {
        let v = serde_json::json!({ "project": report.project, "slots": shown, "other_lock_bytes": report.other_lock_bytes });
        println!("{}", serde_json::to_string_pretty(&v).map_err(|e| miette!("{e}"))?);
        return Ok(Outcome::Ok);
    }
    for s in &shown {
        let state = if s.missing {
            "  MISSING FILE"
        } else if !s.listed || s.path.is_empty() {
            "  (empty)"
        } else {
            ""
        };
        println!("{} {:>3}  {}{state}", s.slot_type.describe(), s.slot, s.path);
        if s.settings.is_object() && s.listed {
            println!("      settings: {}", s.settings);
        }
        // "plays": the timeline plays a sample trig through it; "referenced": it is named but
        // nothing that sounds uses it (steps past a track's length, the master track, trigless
        // steps, the other machine's slot, the saved part copy).
        let audible: Vec<String> = s.uses.iter().filter(|u| u.at.audible).map(describe_use).collect();
        let others: Vec<String> = s.uses.iter().filter(|u| !u.at.audible).map(describe_use).collect();
        if !audible.is_empty() {
            println!("      plays: {}", audible.join(", "));
        }
        if !others.is_empty() {
            let shown: Vec<&str> = others.iter().take(4).map(String::as_str).collect();
            let more = if others.len() > 4 { format!(" and {} more", others.len() - 4) } else { String::new() };
            println!("      referenced, never plays: {}{more}", shown.join(", "));
        }
    }
    Ok(Outcome::Ok)
}
