//! Unpacking a project archive into a Set folder (`groovekit ot unzip`): the other half of
//! [`crate::Project::save_zip`] and of octapy's `unzip_project`, with the safety rules of every
//! groovekit operation: one transaction (all files or none), nothing outside the destination, an
//! existing file with other content refused unless `force` (then backed up as `NAME.bak`), a file
//! with the same content left alone.
//!
//! Entries that refuse the whole archive, each named in the error (issue 23, item 5; see
//! docs/safety.md): an absolute name (`/x`, `//x`, `\\x`), a drive letter (`C:/x`) or any other
//! `:` (FAT32 cannot store it), a `..` component, a NUL byte, a symbolic link, and two entries that
//! are one file on the card: the same name twice, or names equal after normalisation (`a//b`,
//! `a/./b`, `a\b` are `a/b`) compared without case, as FAT32 compares them (`P/A.wav` and
//! `P/a.wav`).

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use groovekit_core::fs::{IfExists, Transaction};
use zip::ZipArchive;

use crate::OtError;
use crate::model::project_zip::{project_prefixes, zip_error};
use crate::ops::project_dir::{invalid, io_error};

/// How [`unzip`] writes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UnzipOptions {
    /// Replace existing files whose content differs (each backed up first).
    pub force: bool,
    /// Plan only: nothing is written.
    pub dry_run: bool,
}

/// What [`unzip`] wrote (or would write).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct UnzipReport {
    /// The project folders the archive held (`SET/NAME`).
    pub projects: Vec<PathBuf>,
    /// Files created.
    pub created: Vec<PathBuf>,
    /// Files replaced (with `force`), each with its backup.
    pub replaced: Vec<(PathBuf, Option<PathBuf>)>,
    /// Files already there with the same content: left alone.
    pub unchanged: Vec<PathBuf>,
    /// Nothing was written.
    pub dry_run: bool,
}

/// Entries that are not part of a project: macOS's resource-fork shadows and Finder files.
fn is_litter(name: &str) -> bool {
    name.starts_with("__MACOSX/") || name.rsplit('/').next().is_some_and(|f| f == ".DS_Store")
}

/// The path an entry name stands for, as its components (`/` and `\\` both separate, empty and
/// `.` components dropped), or why it cannot be unpacked into a Set folder.
fn entry_components(name: &str) -> Result<Vec<&str>, String> {
    if name.contains('\0') {
        return Err("holds a NUL byte".into());
    }
    if name.starts_with(['/', '\\']) {
        return Err("is an absolute path".into());
    }
    let mut out = Vec::new();
    for (i, c) in name.split(['/', '\\']).enumerate() {
        let b = c.as_bytes();
        if i == 0 && b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':' {
            return Err("starts with a drive letter".into());
        }
        match c {
            "" | "." => {}
            ".." => return Err("names a parent folder (`..`)".into()),
            _ if c.contains(':') => return Err("holds a `:`, which a FAT32 card cannot store".into()),
            _ => out.push(c),
        }
    }
    if out.is_empty() {
        return Err("has no file name".into());
    }
    Ok(out)
}

/// The key under which a FAT32 card stores a path: its components joined by `/`, without case
/// (FAT32 long names keep their case but compare without it).
fn card_key(components: &[&str]) -> String {
    components.join("/").to_lowercase()
}

/// The first name a zip file's central directory holds twice. [`ZipArchive`] keeps one entry per
/// name (the last), so it cannot say which; this walks the raw directory. `None` when that walk
/// fails (the caller then refuses without naming the entry).
fn first_repeated_name(zip: &Path) -> Option<String> {
    let file = File::open(zip).ok()?;
    let mut raw = zip::unstable::read::ZipIterable::try_new(std::io::BufReader::new(file), Default::default()).ok()?;
    let mut seen = HashSet::new();
    for entry in raw.files().ok()? {
        let entry = entry.ok()?;
        let name = entry.name().ok()?.into_owned();
        if !seen.insert(name.clone()) {
            return Some(name);
        }
    }
    None
}

/// Checks every entry's name and type before anything is read or written: the refusals of the
/// module notes, each naming the entry.
fn check_entries<R: Read + std::io::Seek>(archive: &mut ZipArchive<R>, zip: &Path, dest: &Path) -> Result<(), OtError> {
    if archive.has_duplicate_names() {
        let message = match first_repeated_name(zip) {
            Some(name) => format!("entry `{name}` is in the archive twice: the archive is refused"),
            None => "the archive holds the same entry name twice: the archive is refused".to_string(),
        };
        return Err(invalid(zip, message));
    }
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|e| zip_error(zip, e))?;
        let name = entry.name().map_err(|e| zip_error(zip, e))?.into_owned();
        if is_litter(&name) {
            continue;
        }
        let refuse = |why: &str| {
            invalid(
                zip,
                format!("entry `{name}` {why}; nothing is written outside {}: the archive is refused", dest.display()),
            )
        };
        let components = entry_components(&name).map_err(|why| refuse(&why))?;
        if entry.is_symlink() {
            return Err(invalid(
                zip,
                format!(
                    "entry `{name}` is a symbolic link; groovekit unpacks files only (a FAT32 card holds no links): the archive is refused"
                ),
            ));
        }
        if entry.is_dir() {
            continue;
        }
        if let Some(first) = seen.insert(card_key(&components), name.clone()) {
            return Err(invalid(
                zip,
                format!(
                    "entries `{first}` and `{name}` are the same file on a FAT32 card (names compare without case): the archive is refused"
                ),
            ));
        }
    }
    Ok(())
}

/// Whether the file at `path` has exactly the bytes `reader` yields.
fn same_content(path: &Path, size: u64, reader: &mut impl Read) -> Result<bool, OtError> {
    let mut f = File::open(path).map_err(|e| io_error("reading", path, e))?;
    if f.metadata().map_err(|e| io_error("reading", path, e))?.len() != size {
        return Ok(false);
    }
    let (mut a, mut b) = (vec![0u8; 1 << 16], vec![0u8; 1 << 16]);
    loop {
        let n = f.read(&mut a).map_err(|e| io_error("reading", path, e))?;
        if n == 0 {
            return Ok(true);
        }
        let want = b.get_mut(..n).unwrap_or_default();
        reader.read_exact(want).map_err(|e| io_error("reading archive entry for", path, e))?;
        if a.get(..n) != Some(&*want) {
            return Ok(false);
        }
    }
}

/// Unpacks the archive `zip` into the folder `dest` (a Set folder: the archive's `NAME/` becomes
/// `dest/NAME`, its `AUDIO/...` `dest/AUDIO/...`). The archive must hold at least one project.
pub fn unzip(zip: &Path, dest: &Path, options: UnzipOptions) -> Result<UnzipReport, OtError> {
    let file = File::open(zip).map_err(|e| io_error("reading", zip, e))?;
    let mut archive = ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| zip_error(zip, e))?;
    let prefixes = project_prefixes(&archive);
    if prefixes.is_empty() {
        return Err(invalid(zip, "no project.work or project.strd in the archive: not an Octatrack project"));
    }
    let mut report = UnzipReport {
        projects: prefixes.iter().map(|p| dest.join(p.trim_end_matches('/'))).collect(),
        dry_run: options.dry_run,
        ..Default::default()
    };
    // Before the lock: a refused archive leaves no trace in the Set.
    check_entries(&mut archive, zip, dest)?;
    // The Set and its projects are locked for the whole unpacking, and the Set is the
    // transaction's home: a crash while 10 MB samples are staged in `AUDIO/x/y` is cleaned up by
    // the next command that looks at the Set (issue 23).
    let _lock = crate::ops::lock::unless_dry_run(options.dry_run, || crate::ops::lock::lock_set(dest))?;
    let mut tx = Transaction::new().dry_run(options.dry_run).create_parents(true);
    if dest.is_dir() {
        tx = tx.home(dest);
    }
    tx.set_if_exists(IfExists::Backup);
    let mut conflicts = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| zip_error(zip, e))?;
        let name = entry.name().map_err(|e| zip_error(zip, e))?.into_owned();
        if entry.is_dir() || is_litter(&name) {
            continue;
        }
        // check_entries accepted every name.
        let components = entry_components(&name).map_err(|why| invalid(zip, format!("entry `{name}` {why}")))?;
        let target = components.iter().fold(dest.to_path_buf(), |p, c| p.join(c));
        if target.exists() {
            if !target.is_file() {
                return Err(invalid(&target, "is a folder, and the archive holds a file of that name"));
            }
            let size = entry.size();
            if same_content(&target, size, &mut entry)? {
                report.unchanged.push(target);
                continue;
            }
            if !options.force {
                conflicts.push(target);
                continue;
            }
            // `entry` was partly read by the comparison: open it again.
            drop(entry);
            entry = archive.by_index(i).map_err(|e| zip_error(zip, e))?;
        }
        let mut staged = tx.create(&target).map_err(OtError::Fs)?;
        std::io::copy(&mut entry, &mut staged).map_err(|e| io_error("unpacking", &target, e))?;
        tx.add(staged).map_err(OtError::Fs)?;
    }
    if !conflicts.is_empty() {
        let list: Vec<String> = conflicts.iter().map(|p| p.display().to_string()).collect();
        return Err(invalid(
            dest,
            format!(
                "{} file(s) exist with other content: {}; nothing was written (--force replaces them, after a backup)",
                conflicts.len(),
                list.join(", ")
            ),
        ));
    }
    let done = tx.commit().map_err(OtError::Fs)?;
    for f in done.files {
        match f.change {
            groovekit_core::fs::Change::Create => report.created.push(f.target),
            groovekit_core::fs::Change::Replace => report.replaced.push((f.target, f.backup)),
            // Unpacking never removes a file.
            groovekit_core::fs::Change::Remove => {}
        }
    }
    Ok(report)
}

#[cfg(test)]
#[path = "zip_tests.rs"]
mod tests;
