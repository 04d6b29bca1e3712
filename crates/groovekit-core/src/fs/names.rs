//! Names of the write layer's own files, and small file-system helpers shared by the
//! transaction and the recovery.
//!
//! Every file the layer creates beside a user's file is hidden (leading dot) and carries the
//! process id of its writer, so a later run can tell a crashed run's leftovers (process gone)
//! from the files of a run still in progress:
//! - `.NAME.groovekit-tmp-PID-SEQ`: a staged new file, or a backup copy being written;
//! - `.NAME.groovekit-old-PID-SEQ`: the old version of a replaced file, kept (as a hard link, or a
//!   copy where the file system has none) until a multi-file transaction is complete;
//! - `.groovekit-journal-PID-SEQ.json` (`.tmp` while written): a transaction's journal.

use std::fs::{self, File, Metadata};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::failpoint::{self, Op};

/// Marks a staged or temporary file.
pub(crate) const TMP_TAG: &str = ".groovekit-tmp-";
/// Marks the kept old version of a replaced file.
pub(crate) const OLD_TAG: &str = ".groovekit-old-";
/// Starts a journal's name.
pub(crate) const JOURNAL_PREFIX: &str = ".groovekit-journal-";
/// The probe file name older versions of `ot chain` used (a leftover of a crashed run).
pub(crate) const PROBE_PREFIX: &str = ".groovekit-write-test-";

static SEQ: AtomicU64 = AtomicU64::new(0);

/// `PID-SEQ`, unique within this process and, through the PID, among live processes.
pub(crate) fn unique() -> String {
    format!("{}-{}", std::process::id(), SEQ.fetch_add(1, Ordering::Relaxed))
}

/// The file name of `path`, shortened so that the decorated name stays under the usual 255-byte
/// limit (uniqueness comes from the suffix, the name is only there for the reader).
fn short_name(path: &Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut cut = name.len().min(120);
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    name[..cut].to_string() // ok: cut is a char boundary no greater than the length
}

/// A hidden sibling of `target` tagged with `tag`.
pub(crate) fn sibling(target: &Path, tag: &str) -> PathBuf {
    target.with_file_name(format!(".{}{tag}{}", short_name(target), unique()))
}

/// The process id in a layer file name (after its tag or the journal prefix), if it is one.
pub(crate) fn owner_pid(name: &str) -> Option<u32> {
    let rest = if let Some(r) = name.strip_prefix(JOURNAL_PREFIX) {
        r
    } else if let Some(r) = name.strip_prefix(PROBE_PREFIX) {
        r
    } else if !name.starts_with('.') {
        return None;
    } else if let Some(i) = name.rfind(TMP_TAG) {
        &name[i + TMP_TAG.len()..] // ok: i is where TMP_TAG was found
    } else if let Some(i) = name.rfind(OLD_TAG) {
        &name[i + OLD_TAG.len()..] // ok: i is where OLD_TAG was found
    } else {
        return None;
    };
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Whether process `pid` is running. On Linux `/proc` answers; elsewhere every other process is
/// assumed to be running (leftovers are then kept: losing a live run's file is worse).
pub(crate) fn pid_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc = Path::new("/proc");
    if proc.join("self").exists() { proc.join(pid.to_string()).exists() } else { true }
}

/// The folder of `path` (`.` for a bare file name).
pub(crate) fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `path` made absolute and with symbolic links followed to the real file, whether or not that
/// file exists yet (a dangling link is followed to where its file would be).
pub(crate) fn resolve(path: &Path) -> io::Result<PathBuf> {
    let mut p = std::path::absolute(path)?;
    for _ in 0..40 {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = fs::read_link(&p)?;
                p = if link.is_absolute() { link } else { parent_of(&p).join(link) };
            }
            _ => return Ok(p),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// fsync of a file, through the fail points.
pub(crate) fn sync_file(f: &File) -> io::Result<()> {
    failpoint::check_io(Op::Fsync)?;
    f.sync_all()
}

/// Starts writing a file's dirty pages to the disk and returns without waiting (Linux
/// `sync_file_range(SYNC_FILE_RANGE_WRITE)`; elsewhere nothing). Not a durability step: the
/// fsync at commit still waits for the data and the metadata, but by then most pages are written,
/// so the files of a transaction go to the disk while the next ones are being staged.
pub(crate) fn start_writeback(f: &File) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: a valid open descriptor; the call only schedules writeback of its pages.
        // Errors are ignored: the fsync at commit reports any write error.
        unsafe {
            libc::sync_file_range(f.as_raw_fd(), 0, 0, libc::SYNC_FILE_RANGE_WRITE);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = f;
}

/// fsync of a folder, so that the renames and creations in it survive a power cut. File systems
/// that cannot sync a folder (some network and FUSE ones answer EINVAL) are accepted as they are.
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    failpoint::check_io(Op::Fsync)?;
    #[cfg(unix)]
    {
        let f = File::open(dir)?;
        match f.sync_all() {
            Err(e) if e.kind() == io::ErrorKind::InvalidInput || e.kind() == io::ErrorKind::Unsupported => Ok(()),
            other => other,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// A rename, through the fail points.
pub(crate) fn rename(from: &Path, to: &Path) -> Result<(), failpoint::Fired> {
    failpoint::check(Op::Rename)?;
    fs::rename(from, to).map_err(failpoint::Fired::Fail)
}

/// Removes a file a transaction removes (its step-4 "rename"), through the fail points of renames
/// so that a fault matrix covers removals like renames.
pub(crate) fn remove_target(path: &Path) -> Result<(), failpoint::Fired> {
    failpoint::check(Op::Rename)?;
    fs::remove_file(path).map_err(failpoint::Fired::Fail)
}

/// Removes one of the layer's own files in a clean-up (a kept old version, a journal, a staging
/// record), through the `unlink` fail points.
pub(crate) fn remove_layer_file(path: &Path) -> io::Result<()> {
    failpoint::check_io(Op::Unlink)?;
    fs::remove_file(path)
}

/// What identifies a file across a crash: device, inode and length (on systems without inodes,
/// the length and modification time).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct FileId {
    pub dev: u64,
    pub ino: u64,
    pub len: u64,
}

impl FileId {
    pub(crate) fn of(m: &Metadata) -> FileId {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            FileId { dev: m.dev(), ino: m.ino(), len: m.len() }
        }
        #[cfg(not(unix))]
        {
            let t = m.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
            FileId { dev: 0, ino: t.map(|d| d.as_nanos() as u64).unwrap_or(0), len: m.len() }
        }
    }

    /// The identity of the file at `path`, not following a final symbolic link (`None` when absent).
    pub(crate) fn at(path: &Path) -> Option<FileId> {
        fs::symlink_metadata(path).ok().map(|m| FileId::of(&m))
    }
}

/// Number of hard links of a file (1 where the platform does not say).
pub(crate) fn link_count(m: &Metadata) -> u64 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        m.nlink()
    }
    #[cfg(not(unix))]
    {
        let _ = m;
        1
    }
}
