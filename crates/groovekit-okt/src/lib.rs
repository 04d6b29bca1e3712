//! Amiga Oktalyzer modules (.okt/.okta): load, write and render as the original replayer did.
//!
//! Layers, as in every groovekit format crate:
//! - [`raw`]: the byte or text layout (offsets, checksums, lossless read and write);
//! - [`model`]: typed, validated views over the raw layer;
//! - [`human`]: the readable YAML/JSON form used by `groovekit dump` and `groovekit build`;
//! - [`ops`]: edits and operations;
//! - [`render`]: the replayer (reference §2) and its mixer;
//! - [`verify`]: the checks of `groovekit verify`, as report findings with their places.

pub mod human;
pub mod model;
pub mod ops;
pub mod raw;
pub mod render;
pub mod verify;
