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
    /// 0 for an ordinary diagnostic. For the line that sums up repeated ones ("and 399 990 more
    /// like this", see [`cap_repeated`]): how many it stands for.
    #[serde(skip_serializing_if = "is_zero")]
    pub more: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// How many diagnostics of one kind (same severity, same file, same message but for the numbers
/// and the names in backticks) a report lists before one line sums up the rest.
pub const MAX_REPEATS: usize = 10;

/// The kind of a message: the message with its numbers and its backticked names blanked, so that
/// "event time 5 is outside ..." and "event time 7 is outside ..." are one kind.
fn kind_of(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut quoted = false;
    let mut in_number = false;
    for c in message.chars() {
        if c == '`' {
            quoted = !quoted;
            out.push(c);
            continue;
        }
        if quoted {
            continue;
        }
        let numeric = c.is_ascii_digit() || (in_number && c == '.');
        if numeric && !in_number {
            out.push('#');
        } else if !numeric {
            out.push(c);
        }
        in_number = numeric;
    }
    out
}

/// `n` with its thousands separated by spaces (`399 990`), as the diagnostics print counts.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Caps repeated diagnostics (issue 23, item 7: a 5 MB song with 400 000 SCORE lines past the
/// time limit gave 400 000 diagnostics, about 50 MB of text): of each kind (see [`MAX_REPEATS`])
/// the first `keep` stay, and one diagnostic at the first left-out one's place sums up the rest
/// ("and 399 990 more like this, lines 13 to 400 012"; its [`Diagnostic::more`] is their number,
/// so counts stay exact through [`Diagnostic::count`]). The order of the kept ones is unchanged;
/// severities are kept, so whether a song has errors does not change.
pub fn cap_repeated(diags: Vec<Diagnostic>, keep: usize) -> Vec<Diagnostic> {
    // (severity, file, kind) -> (how many seen, index of its summary in `out`, line of the last one)
    type Kind = (Severity, Option<PathBuf>, String);
    let mut seen: std::collections::BTreeMap<Kind, (usize, usize, u32)> = std::collections::BTreeMap::new();
    let mut out: Vec<Diagnostic> = Vec::new();
    for d in diags {
        let key = (d.severity, d.file.clone(), kind_of(&d.message));
        let entry = seen.entry(key).or_insert((0, usize::MAX, 0));
        entry.0 += 1;
        entry.2 = d.span.line;
        if entry.0 <= keep {
            out.push(d);
        } else if entry.0 == keep + 1 {
            entry.1 = out.len();
            out.push(Diagnostic { more: 1, ..d });
        } else if let Some(summary) = out.get_mut(entry.1) {
            summary.more += 1;
        }
    }
    for (_, index, last_line) in seen.into_values() {
        if let Some(s) = out.get_mut(index) {
            s.message = format!(
                "and {} more like this, lines {} to {} (the first: {})",
                thousands(s.more),
                thousands(s.span.line as usize),
                thousands(last_line as usize),
                s.message
            );
        }
    }
    out
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(span: Span, message: impl Into<String>) -> Self {
        Self { severity: Severity::Error, file: None, span, message: message.into(), help: None, more: 0 }
    }

    /// A warning at `span`.
    pub fn warning(span: Span, message: impl Into<String>) -> Self {
        Self { severity: Severity::Warning, file: None, span, message: message.into(), help: None, more: 0 }
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

    /// How many problems this diagnostic stands for: 1, or for a line that sums up repeated ones
    /// ([`cap_repeated`]) their number. Count problems with this, not with the list's length.
    pub fn count(&self) -> usize {
        self.more.max(1)
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
    let errors: usize = d.iter().filter(|d| d.is_error()).map(Diagnostic::count).sum();
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
