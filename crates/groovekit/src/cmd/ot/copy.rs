//! `groovekit ot copy-pattern`, `ot copy-part`, `ot copy-track` and `ot copy-slots`: the finer
//! copies of issue 13. The work is in `groovekit_octatrack::ops::copy_piece`; this module parses
//! the places (`PROJECT:BANK:PATTERN`, ranges checked by `cmd::args`, exit 2) and prints the plan.

use std::path::PathBuf;

use groovekit_octatrack::model::project::SlotType;
use groovekit_octatrack::ops::backup::ApplyOptions;
use groovekit_octatrack::ops::copy_piece::{
    PieceOptions, PiecePlan, TrackAt, TrackPart, copy_part, copy_pattern, copy_slots, copy_track,
};
use miette::miette;

use crate::cmd::Outcome;
use crate::cmd::args::{self, OtAt};

/// Options every piece copy has.
#[derive(Debug, Clone, clap::Args)]
pub struct CommonArgs {
    /// Replace a destination that is not blank (a backup is kept).
    #[arg(long)]
    force: bool,
    /// Copy samples into the Set's AUDIO pool instead of the destination project folder.
    #[arg(long)]
    to_pool: bool,
    /// Print the plan (slot map, files to copy or rename, what is replaced); change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Print the plan or result as JSON.
    #[arg(long)]
    json: bool,
}

impl CommonArgs {
    fn options(&self) -> PieceOptions {
        PieceOptions { force: self.force, to_pool: self.to_pool, dry_run: self.dry_run, apply: ApplyOptions::default() }
    }
}

/// A sample pool.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Pool {
    /// Flex slots.
    Flex,
    /// Static slots.
    Static,
}

/// `groovekit ot` copy subcommands (the variant names are the subcommand names).
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::enum_variant_names)]
pub enum CopyCommand {
    /// Copy a pattern (trigs, locks, settings, part assignment) within a bank, across banks or
    /// projects; sample locks are remapped into the destination's slots (samples imported).
    CopyPattern {
        /// SOURCE_PROJECT:BANK:PATTERN (bank 1-16 or A-P, pattern 1-16).
        #[arg(value_parser = args::ot_pattern_at)]
        from: OtAt,
        /// DESTINATION_PROJECT:BANK:PATTERN.
        #[arg(value_parser = args::ot_pattern_at)]
        to: OtAt,
        /// Also copy the part the pattern plays into the destination bank's same part number.
        #[arg(long)]
        with_part: bool,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Copy a part (all tracks, working and saved copies, name) with its slots remapped.
    CopyPart {
        /// SOURCE_PROJECT:BANK:PART (part 1-4).
        #[arg(value_parser = args::ot_part_at)]
        from: OtAt,
        /// DESTINATION_PROJECT:BANK:PART.
        #[arg(value_parser = args::ot_part_at)]
        to: OtAt,
        /// Copy the working part only (the destination's saved copy stays).
        #[arg(long)]
        working_only: bool,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Copy one track: its steps in a pattern, its settings in the pattern's part, or both (the
    /// default), slots remapped.
    CopyTrack {
        /// SOURCE_PROJECT:BANK:PATTERN:TRACK (track 1-8).
        #[arg(value_parser = args::ot_track_at)]
        from: OtAt,
        /// DESTINATION_PROJECT:BANK:PATTERN:TRACK.
        #[arg(value_parser = args::ot_track_at)]
        to: OtAt,
        /// Only the steps (trigs, locks, track length and scale).
        #[arg(long, conflicts_with_all = ["settings", "both"])]
        steps: bool,
        /// Only the part settings (machine, slots, pages, scene locks) of the track.
        #[arg(long, conflicts_with = "both")]
        settings: bool,
        /// Steps and settings (the default).
        #[arg(long)]
        both: bool,
        /// MIDI tracks instead of audio tracks.
        #[arg(long)]
        midi: bool,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Copy sample slots with their settings, markers (trim, loop, slices) and files (and .ot).
    CopySlots {
        /// The source project folder.
        source: PathBuf,
        /// The destination project folder.
        destination: PathBuf,
        /// The slots: `1-4,9` (1-128).
        #[arg(long, value_parser = slot_list)]
        slots: SlotList,
        /// Only this pool (default: both).
        #[arg(long, value_enum)]
        pool: Option<Pool>,
        /// Put the slots at N, N+1, ... (they must be empty unless --force); without it, identical
        /// destination slots are reused and new ones take the same number when free.
        #[arg(long, value_parser = args::ot_slot)]
        to: Option<u16>,
        #[command(flatten)]
        common: CommonArgs,
    },
}

/// The `--slots` list (sorted, without repeats).
#[derive(Debug, Clone)]
pub struct SlotList(Vec<u16>);

fn slot_list(s: &str) -> Result<SlotList, String> {
    args::ot_slot_list(s).map(SlotList)
}

fn track_at(a: &OtAt) -> TrackAt {
    TrackAt {
        bank: a.bank,
        pattern: a.numbers.first().copied().unwrap_or(1),
        track: a.numbers.get(1).copied().unwrap_or(1),
    }
}

fn first(a: &OtAt) -> usize {
    a.numbers.first().copied().unwrap_or(1)
}

/// Runs one of the copy subcommands.
pub fn run(command: CopyCommand) -> miette::Result<Outcome> {
    let working = crate::progress::working("copying");
    let (plan, json) = match command {
        CopyCommand::CopyPattern { from, to, with_part, common } => (
            copy_pattern(
                &from.project,
                from.bank,
                first(&from),
                &to.project,
                to.bank,
                first(&to),
                with_part,
                common.options(),
            ),
            common.json,
        ),
        CopyCommand::CopyPart { from, to, working_only, common } => (
            copy_part(
                &from.project,
                from.bank,
                first(&from),
                &to.project,
                to.bank,
                first(&to),
                working_only,
                common.options(),
            ),
            common.json,
        ),
        CopyCommand::CopyTrack { from, to, steps, settings, both: _, midi, common } => {
            let what = if steps {
                TrackPart::Steps
            } else if settings {
                TrackPart::Settings
            } else {
                TrackPart::Both
            };
            (
                copy_track(&from.project, track_at(&from), &to.project, track_at(&to), what, midi, common.options()),
                common.json,
            )
        }
        CopyCommand::CopySlots { source, destination, slots, pool, to, common } => {
            let pool = pool.map(|p| match p {
                Pool::Flex => SlotType::Flex,
                Pool::Static => SlotType::Static,
            });
            (copy_slots(&source, &destination, &slots.0, pool, to, common.options()), common.json)
        }
    };
    drop(working);
    let plan = plan.map_err(|e| miette!("{e}"))?;
    print_plan(&plan, json)?;
    Ok(Outcome::Ok)
}

fn print_plan(plan: &PiecePlan, json: bool) -> miette::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(plan).map_err(|e| miette!("{e}"))?);
        return Ok(());
    }
    let head = if plan.dry_run { "plan" } else { "copied" };
    crate::cmd::result_or_info(
        plan.dry_run,
        format!(
            "{head}: {} {} -> {} {}",
            super::ops::tidy(&plan.source).display(),
            plan.from,
            super::ops::tidy(&plan.destination).display(),
            plan.to
        ),
    );
    super::ops::print_plan_body(&plan.replaces, &plan.import, &plan.writes, plan.dry_run, plan.backup.as_deref());
    Ok(())
}
