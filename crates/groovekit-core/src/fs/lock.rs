//! Folder locks: one groovekit operation at a time changes a folder (an Octatrack project, or a
//! Set for operations that write its sample pool), for the whole of its read-plan-write.
//!
//! Without a lock two operations on one project both read `project.work`, both plan, and the
//! second rename wins: the first one's slots are lost and its samples stay with nothing pointing
//! at them (issue 23, item 1). A lock is the file `.groovekit-lock` in the folder, held with an
//! advisory `flock` (`File::try_lock`), so that the kernel releases it when its process ends,
//! killed or not: a lock of a dead process is never in the way, and taking it over is the
//! ordinary acquisition. The file says who holds it (`pid`, the process's start time, and since
//! when), for the message a second operation gets:
//! `PROJECT is busy: another groovekit operation (pid N, since T) is changing it`.
//!
//! Where the file system has no `flock` (some network or FUSE ones), the file's content decides:
//! a lock whose process is running (same pid *and* the same start time, so a reused pid does not
//! count) is respected, any other is taken over.
//!
//! A second operation waits up to [`lock_wait`] (default 30 s; `GROOVEKIT_LOCK_WAIT=SECONDS`, `0`
//! to fail at once; [`set_lock_wait`]) and then fails, having changed nothing. Locks are
//! re-entrant within one thread (an operation calling another on the same folder), and another
//! thread of the same process waits like another process. The file is removed on release;
//! acquiring re-checks that the locked file is still the one at the path, so a release racing an
//! acquisition never leaves two holders.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use super::FsError;
use super::names;

/// The lock file's name in the locked folder.
pub const LOCK_FILE: &str = ".groovekit-lock";

/// Wait in milliseconds; `u64::MAX` means "not set" (the environment or the default decides).
static WAIT_MS: AtomicU64 = AtomicU64::new(u64::MAX);

/// Sets how long an operation waits for a busy folder before failing (zero: fail at once).
pub fn set_lock_wait(wait: Duration) {
    WAIT_MS.store(u64::try_from(wait.as_millis()).unwrap_or(u64::MAX - 1), Ordering::Relaxed);
}

/// How long an operation waits for a busy folder: [`set_lock_wait`], else `GROOVEKIT_LOCK_WAIT`
/// (seconds, fractions allowed), else 30 s.
pub fn lock_wait() -> Duration {
    let ms = WAIT_MS.load(Ordering::Relaxed);
    if ms != u64::MAX {
        return Duration::from_millis(ms);
    }
    std::env::var("GROOVEKIT_LOCK_WAIT")
        .ok()
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(|s| Duration::from_secs_f64(s.min(86_400.0)))
        .unwrap_or(Duration::from_secs(30))
}

/// A lock held by this process: the open, locked file and how many guards of the holding thread
/// share it.
struct Held {
    file: File,
    path: PathBuf,
    thread: ThreadId,
    count: usize,
}

static HELD: Mutex<Option<HashMap<PathBuf, Held>>> = Mutex::new(None);

fn with_held<T>(f: impl FnOnce(&mut HashMap<PathBuf, Held>) -> T) -> T {
    let mut g = HELD.lock().unwrap_or_else(|p| p.into_inner());
    f(g.get_or_insert_with(HashMap::new))
}

/// Who holds a lock, as its file says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Holder {
    /// The process id.
    pub pid: u32,
    /// The process's start time (Linux: clock ticks after boot; 0 when unknown).
    pub start: u64,
    /// When the lock was taken, as text (`YYYY-MM-DD HH:MM:SS UTC`).
    pub since: String,
}

impl Holder {
    fn me() -> Holder {
        let pid = std::process::id();
        let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        let (y, m, d, h, min, s) = utc_civil(secs);
        Holder {
            pid,
            start: process_start(pid).unwrap_or(0),
            since: format!("{y:04}-{m:02}-{d:02} {h:02}:{min:02}:{s:02} UTC"),
        }
    }

    fn text(&self) -> String {
        format!("pid {}\nstart {}\nsince {}\n", self.pid, self.start, self.since)
    }

    fn parse(text: &str) -> Option<Holder> {
        let mut h = Holder::default();
        for line in text.lines() {
            let (k, v) = line.split_once(' ')?;
            match k {
                "pid" => h.pid = v.trim().parse().ok()?,
                "start" => h.start = v.trim().parse().ok()?,
                "since" => h.since = v.trim().to_string(),
                _ => {}
            }
        }
        (h.pid != 0).then_some(h)
    }

    /// Whether the process that wrote this is still running (the same pid started at the same
    /// time). Without `/proc`, a running pid counts.
    fn alive(&self) -> bool {
        if !names::pid_alive(self.pid) {
            return false;
        }
        match process_start(self.pid) {
            Some(now) if self.start != 0 => now == self.start,
            _ => true,
        }
    }
}

/// A process's start time in clock ticks after boot (Linux `/proc/PID/stat`, field 22).
fn process_start(pid: u32) -> Option<u64> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces: count after its end.
    let after = stat.get(stat.rfind(')')? + 1..)?;
    after.split_whitespace().nth(19)?.parse().ok()
}

/// Year, month, day, hour, minute and second in UTC of a Unix time.
pub fn utc_civil(secs: u64) -> (i64, u8, u8, u8, u8, u8) {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    // ok: m 1-12, d 1-31, h < 24, min and s < 60 by construction.
    (y, m as u8, d as u8, (rem / 3600) as u8, (rem / 60 % 60) as u8, (rem % 60) as u8)
}

/// A held folder lock; released (its file removed) when the last guard of the holding thread is
/// dropped.
#[derive(Debug)]
pub struct FolderLock {
    key: PathBuf,
}

impl FolderLock {
    /// The locked folder.
    pub fn folder(&self) -> &Path {
        &self.key
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        with_held(|held| {
            let last = match held.get_mut(&self.key) {
                Some(h) => {
                    h.count = h.count.saturating_sub(1);
                    h.count == 0
                }
                None => false,
            };
            if last && let Some(h) = held.remove(&self.key) {
                // Remove first, then unlock (closing the file): a waiter that locks the removed
                // file sees it is no longer at the path and tries again.
                let _ = fs::remove_file(&h.path);
                drop(h.file);
            }
        });
    }
}

/// The error of a busy folder.
fn busy(dir: &Path, holder: Option<Holder>) -> FsError {
    let who = match holder {
        Some(h) => format!("pid {}, since {}", h.pid, h.since),
        None => "its process could not be told".into(),
    };
    FsError::new(
        "",
        dir,
        io::Error::new(
            io::ErrorKind::WouldBlock,
            format!(
                "is busy: another groovekit operation ({who}) is changing it; nothing was changed. Try again when it \
                 has finished (GROOVEKIT_LOCK_WAIT=SECONDS waits longer)"
            ),
        ),
    )
}

/// Outcome of one attempt.
enum Attempt {
    Got(Held),
    Busy(Option<Holder>),
}

/// Locks `dir` for this thread (see the module documentation), waiting up to [`lock_wait`]. A
/// missing folder is not locked (there is nothing in it to protect yet): the guard is then a
/// no-op.
pub fn lock_folder(dir: &Path) -> Result<FolderLock, FsError> {
    lock_folder_waiting(dir, lock_wait())
}

/// [`lock_folder`] with an explicit wait.
pub fn lock_folder_waiting(dir: &Path, wait: Duration) -> Result<FolderLock, FsError> {
    let key = match fs::canonicalize(dir) {
        Ok(k) => k,
        // Nothing to protect yet: a guard that holds nothing.
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(FolderLock { key: PathBuf::new() }),
        Err(e) => return Err(FsError::new("locking", dir, e)),
    };
    let me = std::thread::current().id();
    let started = Instant::now();
    let mut pause = Duration::from_millis(10);
    loop {
        // Re-entry, or another thread of this process holding it.
        let mine = with_held(|held| match held.get_mut(&key) {
            Some(h) if h.thread == me => {
                h.count += 1;
                Some(true)
            }
            Some(_) => Some(false),
            None => None,
        });
        let holder = match mine {
            Some(true) => return Ok(FolderLock { key }),
            Some(false) => Some(Holder::me()),
            None => match attempt(&key, me).map_err(|e| FsError::new("locking", dir, e))? {
                Attempt::Got(h) => {
                    with_held(|held| held.insert(key.clone(), h));
                    return Ok(FolderLock { key });
                }
                Attempt::Busy(holder) => holder,
            },
        };
        let waited = started.elapsed();
        if waited >= wait {
            return Err(busy(dir, holder));
        }
        std::thread::sleep(pause.min(wait - waited));
        pause = (pause * 2).min(Duration::from_millis(200));
    }
}

fn read_holder(f: &mut File) -> Option<Holder> {
    let mut s = String::new();
    f.seek(SeekFrom::Start(0)).ok()?;
    f.take(4096).read_to_string(&mut s).ok()?;
    Holder::parse(&s)
}

fn attempt(dir: &Path, thread: ThreadId) -> io::Result<Attempt> {
    let path = dir.join(LOCK_FILE);
    let mut file = OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => return Ok(Attempt::Busy(read_holder(&mut file))),
        Err(fs::TryLockError::Error(e)) if e.kind() == io::ErrorKind::Unsupported || e.raw_os_error() == Some(37) => {
            // No flock here (ENOLCK is 37 on Linux): the content decides.
            if let Some(h) = read_holder(&mut file)
                && h.pid != std::process::id()
                && h.alive()
            {
                return Ok(Attempt::Busy(Some(h)));
            }
        }
        Err(fs::TryLockError::Error(e)) => return Err(e),
    }
    // The file may have been removed (released) between the open and the lock: then this lock
    // protects nothing, try again.
    if names::FileId::at(&path) != Some(names::FileId::of(&file.metadata()?)) {
        return attempt(dir, thread);
    }
    file.set_len(0)?;
    file.seek(SeekFrom::Start(0))?;
    file.write_all(Holder::me().text().as_bytes())?;
    Ok(Attempt::Got(Held { file, path, thread, count: 1 }))
}

/// Removes the lock file `path` when no process holds it (a killed holder's), taking the lock
/// for the moment of the removal so that no holder can appear meanwhile. Returns whether it was
/// removed.
pub(crate) fn remove_if_free(path: &Path) -> bool {
    let Ok(f) = OpenOptions::new().read(true).write(true).open(path) else { return false };
    if f.try_lock().is_err() {
        return false;
    }
    // Still the file at the path (not one removed and replaced meanwhile).
    let same = f.metadata().ok().map(|m| names::FileId::of(&m)) == names::FileId::at(path);
    same && fs::remove_file(path).is_ok()
}

/// Who holds the lock of `dir` now, if anyone (for messages and tests).
pub fn lock_holder(dir: &Path) -> Option<Holder> {
    let path = dir.join(LOCK_FILE);
    let mut f = File::open(&path).ok()?;
    let h = read_holder(&mut f)?;
    match f.try_lock_shared() {
        Ok(()) => None,
        Err(_) => Some(h),
    }
}

#[cfg(test)]
#[path = "lock_tests.rs"]
mod tests;
