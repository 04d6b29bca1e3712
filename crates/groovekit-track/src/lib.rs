//! The .track text tracker: parse, check, format and render to WAV.
//!
//! The format and its semantics are specified in `docs/track-format.md`.
//!
//! Layers, as in every groovekit format crate:
//! - [`raw`]: the text layout (lines, tokens, comments, statements with spans);
//! - [`model`]: the validated song (tempo, samples, patterns, score, humanize) and its limits;
//! - [`human`]: the readable summary used by `groovekit inspect`;
//! - [`ops`]: canonical formatting and name suggestions;
//! - [`doc`]: the YAML/JSON document of a song (`groovekit dump`/`build`);
//! - [`diff`]: the differences between two songs, by pattern and event.
//!
//! Rendering: [`assets`] finds audio files, [`synth`] generates tones, [`render`] places voices
//! and mixes them to WAV; [`watch`] says which files a render depends on.

pub mod assets;
pub mod diff;
pub mod doc;
pub mod error;
pub mod human;
pub mod model;
pub mod ops;
pub mod raw;
pub mod render;
pub mod synth;
pub mod watch;

pub use error::{Diagnostic, Severity, Span, TrackError};
pub use model::{Song, check};
