//! Amiga Oktalyzer: the handler for the generic commands and the `groovekit okt ...` subcommands.

use std::path::Path;

use super::{Handler, Outcome};

/// `groovekit okt ...` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum OktCommand {}

/// Runs a `groovekit okt` subcommand.
pub fn run(command: OktCommand) -> miette::Result<Outcome> {
    match command {}
}

/// The Amiga Oktalyzer handler.
struct OktHandler;

impl Handler for OktHandler {
    fn name(&self) -> &'static str {
        "okt"
    }

    fn sniff(&self, _path: &Path, _bytes: &[u8]) -> bool {
        false
    }
}

/// The handlers of this format family, for detection.
pub fn handlers() -> Vec<&'static dyn Handler> {
    vec![&OktHandler]
}

/// Render options that only this format uses.
#[derive(Debug, Default, clap::Args)]
pub struct OktRenderOpts {}
