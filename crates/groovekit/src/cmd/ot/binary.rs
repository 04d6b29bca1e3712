//! Octatrack banks, arrangements and markers in the generic commands.

use crate::cmd::Handler;

/// The handlers for banks, arrangements and markers.
pub fn handlers() -> Vec<&'static dyn Handler> {
    vec![]
}
