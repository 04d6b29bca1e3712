//! .track text tracker: the handler for the generic commands and the `groovekit track ...` subcommands.

use std::path::Path;

use super::{Handler, Outcome};

/// `groovekit track ...` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum TrackCommand {}

/// Runs a `groovekit track` subcommand.
pub fn run(command: TrackCommand) -> miette::Result<Outcome> {
    match command {}
}

/// The .track text tracker handler.
struct TrackHandler;

impl Handler for TrackHandler {
    fn name(&self) -> &'static str {
        "track"
    }

    fn sniff(&self, _path: &Path, _bytes: &[u8]) -> bool {
        false
    }
}

/// The handlers of this format family, for detection.
pub fn handlers() -> Vec<&'static dyn Handler> {
    vec![&TrackHandler]
}

/// Render options that only this format uses.
#[derive(Debug, Default, clap::Args)]
pub struct TrackRenderOpts {}
