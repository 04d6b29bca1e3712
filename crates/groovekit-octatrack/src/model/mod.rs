//! The `model` layer (see the crate documentation).

pub mod arrangement;
pub mod bank;
pub mod params;
pub mod project;
pub mod project_folder;
pub mod project_memory;
pub mod project_zip;
pub mod sample_settings;
