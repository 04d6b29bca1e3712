//! The `model` layer (see the crate documentation).

pub mod params;
pub mod project;
pub mod sample_settings;
