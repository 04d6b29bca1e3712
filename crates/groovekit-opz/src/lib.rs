//! Teenage Engineering OP-Z projects (.opz) and OP-Z/OP-1 sample packs.
//!
//! Layers, as in every groovekit format crate:
//! - [`raw`]: the byte layout of a project and the whole file image (lossless read and write);
//! - [`model`]: typed views over that image, the full decoded model, and the default project;
//! - [`human`]: the readable YAML/JSON form used by `groovekit dump` and `groovekit build`;
//! - [`ops`]: validated edits (tempo, chains, pattern copy and clear, notes) and the grid view;
//! - [`midi`]: the Standard MIDI File export of patterns and chains;
//! - [`kit`]: OP-Z/OP-1 sample packs (AIFF with an `APPL` `op-1` JSON chunk);
//! - [`kit_doc`]: the readable document of a sample pack (`kind: opz-kit`);
//! - [`view`]: the step-grid view of a pattern, as text or SVG;
//! - [`verify`]: the checks of `groovekit verify`, as `groovekit_core::report` findings;
//! - [`diff`]: what differs between two projects or two sample packs (`groovekit diff`).

pub mod diff;
pub mod human;
pub mod import;
pub mod kit;
pub mod kit_doc;
pub mod midi;
pub mod model;
pub mod ops;
pub mod raw;
pub mod verify;
pub mod view;

/// Everything that can go wrong reading, validating or editing OP-Z files.
#[derive(Debug, thiserror::Error)]
pub enum OpzError {
    /// A 0-byte project (the device leaves these in unused bounce folders).
    #[error(
        "the file is empty (0 bytes); an OP-Z project is 342848 bytes (342844 in files from before 2021). \
         The device leaves empty project.opz files in unused bounce folders: there is nothing to read"
    )]
    Empty,
    /// A project of the wrong size (truncated or not a project).
    #[error(
        "the file is {len} bytes; an OP-Z project is 342848 bytes (or 342844 without the trailer). \
         It is truncated or not an OP-Z project: copy it from the device again"
    )]
    Size {
        /// The actual size.
        len: usize,
    },
    /// An index (pattern, track, step, slot, chain) outside its range.
    #[error("{0}")]
    Index(String),
    /// A value that the device cannot store, at a named place in the project.
    #[error("{place}: {message}")]
    Invalid {
        /// Where: "pattern 3, track bass, step 5" and the like.
        place: String,
        /// What is wrong and the allowed range.
        message: String,
    },
    /// A readable document that does not describe a valid project or kit.
    #[error("{0}")]
    Document(String),
    /// An AIFF sample pack that cannot be read.
    #[error("AIFF at byte {offset}: {message}")]
    Aiff {
        /// Byte offset of the problem.
        offset: u64,
        /// What is wrong.
        message: String,
    },
    /// A sample pack's `op-1` JSON that cannot be read or written.
    #[error("op-1 JSON: {0}")]
    KitJson(String),
    /// Audio that cannot go into a kit.
    #[error("{0}")]
    Audio(String),
}

impl OpzError {
    /// An [`OpzError::Invalid`] at `place`.
    pub fn invalid(place: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid { place: place.into(), message: message.into() }
    }
}
