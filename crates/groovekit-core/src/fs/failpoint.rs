//! Fail points: make the Nth write, fsync or rename of the write layer fail, or abort the process
//! at the Nth rename, so tests can prove that an interrupted write leaves every file all old or
//! all new.
//!
//! Two ways to arm them:
//! - the environment variable `GROOVEKIT_FAILPOINT` (read once per process), for tests that run the
//!   real binary: a comma-separated list of `OP:N`, where OP is `write`, `fsync`, `rename` (that
//!   operation returns an error the Nth time), `unlink` (the Nth removal of the layer's own
//!   clean-up fails: kept old versions, journals, records), `abort-rename` (the process ends at
//!   once, as if killed, just before its Nth rename) or `abort-write` (the same, at its Nth
//!   staged write: a kill while files are staged). Example: `GROOVEKIT_FAILPOINT=abort-rename:3`.
//! - [`arm_thread`], for in-process tests: the same specification for the calling thread only, so
//!   tests running in parallel do not disturb each other. `crash-rename:N` (thread hook only) makes
//!   the Nth rename fail *and* skips the rollback, leaving the files exactly as a killed process
//!   would, so a test can then call [`super::recover`].
//!
//! Unarmed, a check is one relaxed atomic load.

use std::cell::RefCell;
use std::io;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

/// The operations a fail point can target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// Writing the content of a staged file, a backup copy or a journal.
    Write,
    /// An fsync of a file or a folder.
    Fsync,
    /// A rename (staged file into place, backup copy into its name, journal into its name).
    Rename,
    /// A removal of the layer's own clean-up (kept old versions, journals, staging records).
    Unlink,
}

/// What happens when a fail point fires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Action {
    Fail,
    Abort,
    Crash,
}

#[derive(Clone, Copy, Debug)]
struct Point {
    op: Op,
    n: u64,
    action: Action,
}

/// A parsed specification with its counters.
#[derive(Debug, Default)]
struct Armed {
    points: Vec<Point>,
    counts: [u64; 4],
}

impl Armed {
    fn parse(spec: &str) -> Armed {
        let mut points = Vec::new();
        for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let Some((op, n)) = item.split_once(':') else { continue };
            let Ok(n) = n.trim().parse::<u64>() else { continue };
            let (op, action) = match op.trim() {
                "write" => (Op::Write, Action::Fail),
                "fsync" => (Op::Fsync, Action::Fail),
                "rename" => (Op::Rename, Action::Fail),
                "unlink" => (Op::Unlink, Action::Fail),
                "abort-rename" => (Op::Rename, Action::Abort),
                "abort-write" => (Op::Write, Action::Abort),
                "crash-rename" => (Op::Rename, Action::Crash),
                _ => continue,
            };
            points.push(Point { op, n, action });
        }
        Armed { points, counts: [0; 4] }
    }

    fn hit(&mut self, op: Op) -> Option<Action> {
        let i = op as usize;
        self.counts[i] += 1;
        let n = self.counts[i];
        self.points.iter().find(|p| p.op == op && p.n == n).map(|p| p.action)
    }
}

static ENV: OnceLock<Option<std::sync::Mutex<Armed>>> = OnceLock::new();
static THREAD_ARMED: AtomicBool = AtomicBool::new(false);

thread_local! {
    static THREAD: RefCell<Option<Armed>> = const { RefCell::new(None) };
}

fn env() -> Option<&'static std::sync::Mutex<Armed>> {
    ENV.get_or_init(|| {
        std::env::var("GROOVEKIT_FAILPOINT")
            .ok()
            .filter(|s| !s.trim().is_empty())
            .map(|s| std::sync::Mutex::new(Armed::parse(&s)))
    })
    .as_ref()
}

/// Arms fail points for the calling thread (see the module documentation for the syntax);
/// `None` disarms them. Counting restarts at each call.
pub fn arm_thread(spec: Option<&str>) {
    if spec.is_some() {
        THREAD_ARMED.store(true, Ordering::Relaxed);
    }
    THREAD.with(|t| *t.borrow_mut() = spec.map(Armed::parse));
}

/// The error a fired fail point returns.
fn injected(op: Op) -> io::Error {
    io::Error::other(format!("fail point: injected {op:?} failure (GROOVEKIT_FAILPOINT)"))
}

/// Outcome of a check that did not pass.
#[derive(Debug)]
pub(crate) enum Fired {
    /// Return this error as if the operation failed.
    Fail(io::Error),
    /// Return this error and leave everything as a killed process would (no rollback).
    Crash(io::Error),
}

impl Fired {
    /// The error to report.
    pub(crate) fn into_error(self) -> io::Error {
        match self {
            Fired::Fail(e) | Fired::Crash(e) => e,
        }
    }
}

/// Counts one `op` and fires the fail point armed for it, if any.
pub(crate) fn check(op: Op) -> Result<(), Fired> {
    let mut action = None;
    if THREAD_ARMED.load(Ordering::Relaxed) {
        action = THREAD.with(|t| t.borrow_mut().as_mut().and_then(|a| a.hit(op)));
    }
    if action.is_none()
        && let Some(m) = env()
    {
        let mut armed = m.lock().unwrap_or_else(|p| p.into_inner());
        action = armed.hit(op);
    }
    match action {
        None => Ok(()),
        Some(Action::Fail) => Err(Fired::Fail(injected(op))),
        Some(Action::Crash) => Err(Fired::Crash(injected(op))),
        // A kill at this instant: no destructor, no cleanup, exactly what the journal must survive.
        // `exit` rather than `abort`: neither runs destructors, and `exit` leaves no core file.
        Some(Action::Abort) => std::process::exit(134),
    }
}

/// [`check`] for callers that only need the error.
pub(crate) fn check_io(op: Op) -> io::Result<()> {
    check(op).map_err(Fired::into_error)
}
