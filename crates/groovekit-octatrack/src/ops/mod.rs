//! The `ops` layer (see the crate documentation).

pub mod new_project;
pub mod binary_diff;
