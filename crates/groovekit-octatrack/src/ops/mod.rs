//! The `ops` layer (see the crate documentation).

pub mod backup;
pub mod binary_diff;
pub mod chain;
pub mod chain_preview;
pub mod cleanup;
pub mod content;
pub mod copy;
pub mod copy_piece;
pub mod find_audio;
pub mod folder;
pub mod import;
pub mod lock;
pub mod new_project;
pub mod project_dir;
pub mod refs;
pub mod slices;
pub mod slots;
pub mod verify;
pub mod zip;
