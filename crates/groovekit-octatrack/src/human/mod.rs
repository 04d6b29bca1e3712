//! The `human` layer (see the crate documentation).
