//! Unpacking a project archive into a Set folder (`groovekit ot unzip`): the other half of
//! [`crate::Project::save_zip`] and of octapy's `unzip_project`, with the safety rules of every
//! groovekit operation: one transaction (all files or none), nothing outside the destination
//! (an entry named `../x` or `/x` refuses the whole archive), an existing file with other content
//! refused unless `force` (then backed up as `NAME.bak`), a file with the same content left alone.

use std::collections::BTreeSet;
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
    let mut seen = BTreeSet::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| zip_error(zip, e))?;
        let name = entry.name().map_err(|e| zip_error(zip, e))?.into_owned();
        if entry.is_dir() || is_litter(&name) {
            continue;
        }
        let Some(rel) = entry.enclosed_name() else {
            return Err(invalid(
                zip,
                format!("entry `{name}` would be written outside {}: the archive is refused", dest.display()),
            ));
        };
        let target = dest.join(&rel);
        if !seen.insert(target.clone()) {
            return Err(invalid(zip, format!("entry `{name}` is in the archive twice")));
        }
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
