//! Creating a new, empty Octatrack project folder: `project.work`, `bank01..16.work`,
//! `arr01..08.work` and `markers.work`, each byte-identical to what an Octatrack on OS 1.40B
//! writes for a new project. Every file is generated from code (no template files).

use std::path::{Path, PathBuf};

use crate::OtError;
use crate::model::project::Project;
use crate::raw::{arrangement, bank, markers};

/// Number of banks in a project.
pub const BANKS: u8 = 16;
/// Number of arrangements in a project.
pub const ARRANGEMENTS: u8 = 8;

/// The files of a new project: (file name, bytes), in the order they are written.
pub fn new_project_files() -> Vec<(String, Vec<u8>)> {
    let mut files = vec![("project.work".to_string(), Project::new_default().to_bytes())];
    let bank = bank::default_bank_bytes();
    for n in 1..=BANKS {
        files.push((format!("bank{n:02}.work"), bank.clone()));
    }
    for n in 1..=ARRANGEMENTS {
        files.push((format!("arr{n:02}.work"), arrangement::default_arrangement_bytes(n)));
    }
    files.push(("markers.work".to_string(), markers::default_markers_bytes()));
    files
}

/// How [`new_project`] treats an existing folder.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NewProjectOptions {
    /// Write into a folder that already has files (existing project files are backed up first).
    pub force: bool,
    /// Only list the files that would be written.
    pub dry_run: bool,
}

/// What [`new_project`] did (or would do, with `dry_run`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewProjectReport {
    /// Every file written (or to be written), with its size.
    pub files: Vec<(PathBuf, usize)>,
    /// Backups made of files that were replaced (`--force`).
    pub backups: Vec<PathBuf>,
}

use groovekit_core::fs::{IfExists, Transaction};

fn fs_error(action: &'static str, path: &Path, source: std::io::Error) -> OtError {
    OtError::Fs(groovekit_core::fs::FsError { action, path: path.to_path_buf(), source })
}

/// Writes a new project into `dir` (created when missing). Refuses a folder that exists and is
/// not empty unless `options.force`; then every file about to be replaced is backed up first.
/// All files are written in one transaction (`groovekit_core::fs::Transaction`): every file is
/// new, or nothing changed, even when the command is killed (the next run finishes it).
pub fn new_project(dir: &Path, options: NewProjectOptions) -> Result<NewProjectReport, OtError> {
    if dir.exists() && !dir.is_dir() {
        return Err(OtError::Invalid {
            field: dir.display().to_string(),
            message: "exists and is not a folder; choose a new folder name".into(),
        });
    }
    let non_empty = dir.is_dir() && std::fs::read_dir(dir).map_err(|e| fs_error("reading", dir, e))?.next().is_some();
    if non_empty && !options.force {
        return Err(OtError::Invalid {
            field: dir.display().to_string(),
            message: "the folder is not empty; choose a new folder, or pass --force to write into it \
                      (existing project files are backed up first)"
                .into(),
        });
    }
    let _lock = crate::ops::lock::unless_dry_run(options.dry_run, || crate::ops::lock::lock_project(dir, false))?;
    let files = new_project_files();
    let mut tx = Transaction::new().if_exists(IfExists::Backup).dry_run(options.dry_run);
    for (name, bytes) in &files {
        tx.write(&dir.join(name), bytes)?;
    }
    let done = tx.commit()?;
    Ok(NewProjectReport {
        files: files.iter().map(|(name, bytes)| (dir.join(name), bytes.len())).collect(),
        backups: if options.dry_run { Vec::new() } else { done.backups() },
    })
}

#[cfg(test)]
#[path = "new_project_tests.rs"]
mod tests;
