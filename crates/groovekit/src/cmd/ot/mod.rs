//! Elektron Octatrack: the handlers for the generic commands and the `groovekit ot ...`
//! subcommands. Split by area so that work on each can proceed independently:
//! - [`binary`]: banks, arrangements, markers;
//! - [`project`]: `project.work`, new projects, project/Set folders;
//! - [`samples`]: `.ot` sample settings, sample chains, slices, audio checks;
//! - [`ops`]: project operations (slots, copy-bank, restore);
//! - [`cleanup`]: clean-up operations (purge-slots, purge-files, collect, dedupe, relink, clear);
//! - [`copy`]: copy-pattern, copy-part, copy-track, copy-slots;
//! - [`zip`]: zip and unzip (a project with its samples in one archive);
//! - [`backups`]: list and prune a project's backup folders.

pub mod backups;
pub mod binary;
pub mod cleanup;
pub mod copy;
pub mod ops;
pub mod project;
pub mod samples;
pub mod view;
pub mod zip;

use super::{Handler, Outcome};

/// `groovekit ot ...` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum OtCommand {
    /// Project commands.
    #[command(flatten)]
    Project(project::ProjectCommand),
    /// Sample, chain and slice commands.
    #[command(flatten)]
    Samples(samples::SamplesCommand),
    /// Pattern and part views.
    #[command(flatten)]
    View(view::ViewCommand),
    /// Project operations: slots, copy-bank, restore.
    #[command(flatten)]
    Ops(ops::OpsCommand),
    /// Clean-up operations: purge-slots, purge-files, collect, dedupe, relink, clear.
    #[command(flatten)]
    Cleanup(cleanup::CleanupCommand),
    /// Pattern, part, track and slot copies.
    #[command(flatten)]
    Copy(copy::CopyCommand),
    /// Zip and unzip.
    #[command(flatten)]
    Zip(zip::ZipCommand),
    /// List and prune a project's backup folders (PROJECT/backups/).
    #[command(
        subcommand,
        after_help = "Examples:\n  groovekit ot backups list SET/PROJECT\n  groovekit ot backups prune SET/PROJECT --keep 3"
    )]
    Backups(backups::BackupsCommand),
}

/// Runs a `groovekit ot` subcommand.
pub fn run(command: OtCommand) -> miette::Result<Outcome> {
    match command {
        OtCommand::Project(c) => project::run(c),
        OtCommand::Samples(c) => samples::run(c),
        OtCommand::View(c) => view::run(c),
        OtCommand::Ops(c) => ops::run(c),
        OtCommand::Cleanup(c) => cleanup::run(c),
        OtCommand::Copy(c) => copy::run(c),
        OtCommand::Zip(c) => zip::run(c),
        OtCommand::Backups(c) => backups::run(c),
    }
}

/// The handlers of this format family, for detection.
pub fn handlers() -> Vec<&'static dyn Handler> {
    let mut all = binary::handlers();
    all.extend(samples::handlers());
    all.extend(project::handlers());
    all
}
