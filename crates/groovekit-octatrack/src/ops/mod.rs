//! The `ops` layer (see the crate documentation).
