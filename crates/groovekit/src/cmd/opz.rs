//! Teenage Engineering OP-Z: the handler for the generic commands and the `groovekit opz ...` subcommands.

use std::path::Path;

use super::{Handler, Outcome};

/// `groovekit opz ...` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum OpzCommand {}

/// Runs a `groovekit opz` subcommand.
pub fn run(command: OpzCommand) -> miette::Result<Outcome> {
    match command {}
}

/// The Teenage Engineering OP-Z handler.
struct OpzHandler;

impl Handler for OpzHandler {
    fn name(&self) -> &'static str {
        "opz"
    }

    fn sniff(&self, _path: &Path, _bytes: &[u8]) -> bool {
        false
    }
}

/// The handlers of this format family, for detection.
pub fn handlers() -> Vec<&'static dyn Handler> {
    vec![&OpzHandler]
}
