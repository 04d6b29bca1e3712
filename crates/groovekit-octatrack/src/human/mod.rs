//! The `human` layer (see the crate documentation).

pub mod project;
pub mod sample_settings;
