//! Shared plumbing for every groovekit crate.
//!
//! - [`fs`]: the write layer every write goes through: transactions over many files and folders
//!   (all or nothing, backups, a journal that the next run uses to finish an interrupted write),
//!   one-file atomic writes, crash recovery and fail points for testing it.
//! - [`doc`]: the readable YAML/JSON documents that `groovekit dump` writes and `groovekit build`
//!   reads, with the YAML parser's budget set for bank-sized documents.
//! - [`report`]: the [`report::Problem`] and [`report::Report`] that every format's checks return.
//! - [`fixtures`]: where tests find the shared corpus of real device files.

pub mod doc;
pub mod fixtures;
pub mod fs;
pub mod report;
