//! The `human` layer (see the crate documentation).

pub mod project;
pub mod sample_settings;

pub mod arrangement;
pub mod bank;
pub mod markers;
pub mod patch;
