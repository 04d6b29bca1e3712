//! The byte and text layout of Octatrack files: offsets, checksums, lossless read and write.
//!
//! Every binary file (bank, arrangement, markers, `.ot`) starts with the same 21-byte magic and a
//! datatype-version byte, and ends with a big-endian u16 checksum; see [`header`]. Each file kind
//! keeps its whole byte image, so unknown and stale bytes survive a round trip untouched.

pub mod arrangement;
pub mod bank;
pub mod header;
pub mod image;
pub mod markers;
pub mod part;
pub mod pattern;
pub mod project;
pub mod sample_settings;
