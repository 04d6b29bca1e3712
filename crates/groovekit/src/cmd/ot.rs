//! Elektron Octatrack: the handler for the generic commands and the `groovekit ot ...` subcommands.

use std::path::Path;

use super::{Handler, Outcome};

/// `groovekit ot ...` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum OtCommand {}

/// Runs a `groovekit ot` subcommand.
pub fn run(command: OtCommand) -> miette::Result<Outcome> {
    match command {}
}

/// The Elektron Octatrack handler.
struct OtHandler;

impl Handler for OtHandler {
    fn name(&self) -> &'static str {
        "octatrack"
    }

    fn sniff(&self, _path: &Path, _bytes: &[u8]) -> bool {
        false
    }
}

/// The handlers of this format family, for detection.
pub fn handlers() -> Vec<&'static dyn Handler> {
    vec![&OtHandler]
}
