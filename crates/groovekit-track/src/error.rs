//! Diagnostics (problems found in a song, each with line:col and a byte span) and the crate's
//! error type.

use std::fmt;
use std::path::PathBuf;

/// How serious a [`Diagnostic`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The song cannot be rendered as written.
    Error,
    /// The song renders, but something looks unintended.
    Warning,
}

/// Where a diagnostic points: a byte range of the text plus the 1-based line and column
/// (in characters) of its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub col: u32,
}

/// One problem in a song (or in its `assets.txt`): what, where, and what to do.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file the span refers to when it is not the song itself (an `assets.txt`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<PathBuf>,
    /// Where in the text.
    pub span: Span,
    /// What is wrong.
    pub message: String,
    /// What to do about it (for unknown names: the nearest known ones).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(span: Span, message: impl Into<String>) -> Self {
        Self { severity: Severity::Error, file: None, span, message: message.into(), help: None }
    }

    /// A warning at `span`.
    pub fn warning(span: Span, message: impl Into<String>) -> Self {
        Self { severity: Severity::Warning, file: None, span, message: message.into(), help: None }
    }

    /// The same diagnostic with a hint on what to do.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{}:", file.display())?;
        }
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}:{}: {sev}: {}", self.span.line, self.span.col, self.message)?;
        if let Some(h) = &self.help {
            write!(f, " ({h})")?;
        }
        Ok(())
    }
}

/// An error from parsing, resolving or rendering a song.
#[derive(Debug, thiserror::Error)]
pub enum TrackError {
    /// The song (or its asset manifest) has errors; every one is listed.
    #[error("{}", summary(.0))]
    Invalid(Vec<Diagnostic>),
    /// An asset could not be read or a WAV could not be written.
    #[error(transparent)]
    Audio(#[from] groovekit_audio::AudioError),
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A documented limit would be exceeded (for example the output rate or the rendered size).
    #[error("{0}")]
    Limit(String),
    /// A song document (`kind: track-song`) that cannot be read or built.
    #[error("{0}")]
    Document(String),
}

fn summary(d: &[Diagnostic]) -> String {
    let errors = d.iter().filter(|d| d.is_error()).count();
    match d.iter().find(|d| d.is_error()) {
        Some(first) if errors > 1 => format!("{first} (and {} more errors)", errors - 1),
        Some(first) => first.to_string(),
        None => "the song has problems".to_string(),
    }
}

impl TrackError {
    /// The diagnostics of an [`TrackError::Invalid`] error (empty for other errors).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Self::Invalid(d) => d,
            _ => &[],
        }
    }
}
