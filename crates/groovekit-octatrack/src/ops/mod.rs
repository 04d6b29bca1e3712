//! The `ops` layer (see the crate documentation).

pub mod binary_diff;
pub mod chain;
pub mod chain_preview;
pub mod find_audio;
pub mod new_project;
pub mod slices;
pub mod verify;
