//! The `raw` layer (see the crate documentation).
