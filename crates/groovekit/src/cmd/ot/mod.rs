//! Elektron Octatrack: the handlers for the generic commands and the `groovekit ot ...`
//! subcommands. Split by area so that work on each can proceed independently:
//! - [`binary`]: banks, arrangements, markers;
//! - [`project`]: `project.work`, new projects, project/Set folders;
//! - [`samples`]: `.ot` sample settings, sample chains, slices, audio checks;
//! - [`ops`]: project operations (slots, copy-bank, restore).

pub mod binary;
pub mod ops;
pub mod project;
pub mod samples;

use std::path::Path;

use groovekit_octatrack::raw::header::{BinaryKind, ChecksumState, update_checksum};
use miette::miette;

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
    /// Project operations: slots, copy-bank, restore.
    #[command(flatten)]
    Ops(ops::OpsCommand),
}

/// Runs a `groovekit ot` subcommand.
pub fn run(command: OtCommand) -> miette::Result<Outcome> {
    match command {
        OtCommand::Project(c) => project::run(c),
        OtCommand::Samples(c) => samples::run(c),
        OtCommand::Ops(c) => ops::run(c),
    }
}

/// The handlers of this format family, for detection.
pub fn handlers() -> Vec<&'static dyn Handler> {
    let mut all = binary::handlers();
    all.extend(samples::handlers());
    all.extend(project::handlers());
    all
}

/// The `verify` message for a checksum mismatch in any Octatrack binary file and, with `fix`,
/// the repair: a backup beside the file, then the checksum rewritten atomically. Returns the
/// message and whether the file was fixed.
pub(crate) fn checksum_mismatch(
    path: &Path,
    bytes: &[u8],
    kind: BinaryKind,
    state: ChecksumState,
    fix: bool,
) -> miette::Result<(String, bool)> {
    let mut message = format!(
        "{} checksum mismatch: stored 0x{:04X}, computed 0x{:04X}",
        kind.describe(),
        state.stored,
        state.computed
    );
    if !fix {
        message.push_str(" (`groovekit verify --fix` rewrites it after a backup)");
        return Ok((message, false));
    }
    let backup = groovekit_core::fs::backup(path).map_err(|e| miette!("{e}"))?;
    let mut out = bytes.to_vec();
    update_checksum(&mut out);
    groovekit_core::fs::write_atomic(path, &out).map_err(|e| miette!("{e}"))?;
    message.push_str(&format!("; rewrote the checksum (backup: {})", backup.display()));
    Ok((message, true))
}
