//! Octatrack project: handlers and `groovekit ot` subcommands.

use crate::cmd::{Handler, Outcome};

/// `groovekit ot` subcommands of this area.
#[derive(Debug, clap::Subcommand)]
pub enum ProjectCommand {}

/// Runs one of this area's subcommands.
pub fn run(command: ProjectCommand) -> miette::Result<Outcome> {
    match command {}
}

/// The handlers of this area.
pub fn handlers() -> Vec<&'static dyn Handler> {
    vec![]
}
