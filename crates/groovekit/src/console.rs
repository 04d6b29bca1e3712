//! Printing that never panics (issue 23, item 4).
//!
//! The standard `println!`/`print!`/`eprintln!`/`eprint!` panic when the write fails
//! (`groovekit inspect BANK > /dev/full` exited 101, after a copy had already been committed, and a
//! `copy-bank --config` batch stopped after its first copy). This module defines macros of the same
//! names; `main.rs` declares it first with `#[macro_use]`, so every module of the CLI (and every
//! print added later) uses them instead of the standard ones without a change at the call site.
//!
//! A failed write is remembered, not raised: the command goes on (the work is committed, the
//! next copy of a batch runs), later writes to the failed stream are skipped, and `main` ends with
//! [`OUTPUT_ERROR_EXIT`] and a message on whichever stream still works ([`failure`]). A closed
//! pipe (`| head`) never gets here: `main` restores SIGPIPE, so the process ends quietly as every
//! Unix filter does.

use std::fmt;
use std::io::Write;
use std::sync::Mutex;

/// The exit code of a command whose output (standard output or standard error) could not be
/// written, for example to a full disk: 74, `EX_IOERR` of sysexits(3). The command's work is done
/// (written files are committed) but what it printed is incomplete.
pub const OUTPUT_ERROR_EXIT: u8 = 74;

/// Standard output or standard error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Standard output (results).
    Stdout,
    /// Standard error (summaries, warnings, errors).
    Stderr,
}

impl Stream {
    fn name(self) -> &'static str {
        match self {
            Stream::Stdout => "standard output",
            Stream::Stderr => "standard error",
        }
    }
}

/// The first failed write of each stream: (stdout, stderr).
static FAILED: Mutex<(Option<std::io::Error>, Option<std::io::Error>)> = Mutex::new((None, None));

fn failed(stream: Stream) -> bool {
    let f = FAILED.lock().unwrap_or_else(|p| p.into_inner());
    match stream {
        Stream::Stdout => f.0.is_some(),
        Stream::Stderr => f.1.is_some(),
    }
}

fn record(stream: Stream, e: std::io::Error) {
    let mut f = FAILED.lock().unwrap_or_else(|p| p.into_inner());
    let slot = match stream {
        Stream::Stdout => &mut f.0,
        Stream::Stderr => &mut f.1,
    };
    if slot.is_none() {
        *slot = Some(e);
    }
}

/// Writes formatted text (and a line break when `newline`) to `stream`; a failure is remembered
/// (see the module notes) and later writes to that stream are skipped.
pub fn write(stream: Stream, args: fmt::Arguments<'_>, newline: bool) {
    if failed(stream) {
        return;
    }
    let result = match stream {
        Stream::Stdout => write_locked(&mut std::io::stdout().lock(), args, newline),
        Stream::Stderr => write_locked(&mut std::io::stderr().lock(), args, newline),
    };
    if let Err(e) = result {
        record(stream, e);
    }
}

/// Writes bytes to standard output (a completion script, for example), as [`write`] does.
pub fn write_stdout_bytes(bytes: &[u8]) {
    if failed(Stream::Stdout) {
        return;
    }
    if let Err(e) = std::io::stdout().lock().write_all(bytes) {
        record(Stream::Stdout, e);
    }
}

fn write_locked(w: &mut impl Write, args: fmt::Arguments<'_>, newline: bool) -> std::io::Result<()> {
    w.write_fmt(args)?;
    if newline {
        w.write_all(b"\n")?;
    }
    Ok(())
}

/// Flushes standard output (buffered text is written only now, so its failure shows here) and
/// returns the message of the first failed write, if any: what `main` reports before it exits
/// with [`OUTPUT_ERROR_EXIT`].
pub fn failure() -> Option<String> {
    if !failed(Stream::Stdout)
        && let Err(e) = std::io::stdout().lock().flush()
    {
        record(Stream::Stdout, e);
    }
    let f = FAILED.lock().unwrap_or_else(|p| p.into_inner());
    let (stream, e) = match (&f.0, &f.1) {
        (Some(e), _) => (Stream::Stdout, e),
        (None, Some(e)) => (Stream::Stderr, e),
        (None, None) => return None,
    };
    Some(format!(
        "could not write to {}: {e}; the command's work is done, but what it printed is incomplete",
        stream.name()
    ))
}

/// Prints a report of a failed output on standard error, and on standard output when standard
/// error is the stream that failed (a last try, never a panic).
pub fn report_failure(message: &str) {
    let stderr_ok = !failed(Stream::Stderr);
    if stderr_ok {
        write(Stream::Stderr, format_args!("error: {message}"), true);
    } else {
        write(Stream::Stdout, format_args!("error: {message}"), true);
        let _ = std::io::stdout().lock().flush();
    }
}

/// `println!` that never panics: see the module notes.
macro_rules! println {
    () => { $crate::console::write($crate::console::Stream::Stdout, format_args!(""), true) };
    ($($arg:tt)*) => { $crate::console::write($crate::console::Stream::Stdout, format_args!($($arg)*), true) };
}

/// `print!` that never panics: see the module notes.
macro_rules! print {
    ($($arg:tt)*) => { $crate::console::write($crate::console::Stream::Stdout, format_args!($($arg)*), false) };
}

/// `eprintln!` that never panics: see the module notes.
macro_rules! eprintln {
    () => { $crate::console::write($crate::console::Stream::Stderr, format_args!(""), true) };
    ($($arg:tt)*) => { $crate::console::write($crate::console::Stream::Stderr, format_args!($($arg)*), true) };
}

/// `eprint!` that never panics: see the module notes.
macro_rules! eprint {
    ($($arg:tt)*) => { $crate::console::write($crate::console::Stream::Stderr, format_args!($($arg)*), false) };
}
