//! The `model` layer (see the crate documentation).
