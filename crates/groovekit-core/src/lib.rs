//! Shared plumbing for every groovekit crate.
//!
//! - [`fs`]: atomic writes (temp file in the same folder, then rename) and backups, so that no
//!   operation can leave a half-written project behind.
//! - [`doc`]: the readable YAML/JSON documents that `groovekit dump` writes and `groovekit build`
//!   reads, with the YAML parser's budget set for bank-sized documents.
//! - [`report`]: the [`report::Problem`] and [`report::Report`] that every format's checks return.
//! - [`fixtures`]: where tests find the shared corpus of real device files.

pub mod doc;
pub mod fixtures;
pub mod fs;
pub mod report;
