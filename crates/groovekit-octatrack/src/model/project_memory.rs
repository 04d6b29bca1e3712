//! A project held in memory, file by file: [`Project::from_files`] builds one from the bytes of
//! its files (an upload, a database row, the entries of an archive) and [`Project::to_files`]
//! gives every file's bytes back, so that a web service or a test never needs a folder on disk.
//! The files read exactly as [`Project::open`] reads them from a folder (`.work` before
//! `.strd`; a file not given is the device's blank one).

use std::path::{Path, PathBuf};

use crate::OtError;
use crate::model::arrangement::Arrangement;
use crate::model::bank::Bank;
use crate::model::project::Project as ProjectFile;
use crate::model::project_folder::{Loaded, Project, Source, in_file};
use crate::raw::arrangement::Arrangement as RawArrangement;
use crate::raw::markers::Markers;

/// One of a project's files, by name: `project`, `markers`, `bank01`-`bank16`, `arr01`-`arr08`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum FileName {
    /// `project.work`: settings and sample slots.
    Project,
    /// `bankNN.work` (1-16).
    Bank(u8),
    /// `arrNN.work` (1-8).
    Arrangement(u8),
    /// `markers.work`.
    Markers,
}

impl FileName {
    /// The stem of a project file name (`bank01`), or None for any other name.
    pub(crate) fn parse(stem: &str) -> Option<FileName> {
        let number = |digits: &str, max: u8| -> Option<u8> {
            if digits.len() != 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            digits.parse::<u8>().ok().filter(|n| (1..=max).contains(n))
        };
        match stem {
            "project" => Some(FileName::Project),
            "markers" => Some(FileName::Markers),
            _ => match (stem.strip_prefix("bank"), stem.strip_prefix("arr")) {
                (Some(n), _) => number(n, 16).map(FileName::Bank),
                (_, Some(n)) => number(n, 8).map(FileName::Arrangement),
                _ => None,
            },
        }
    }
}

/// `NAME.work` or `NAME.strd` as (file, source), or None for any other name.
fn split_name(name: &str) -> Option<(FileName, Source)> {
    let (stem, ext) = name.rsplit_once('.')?;
    let source = match ext {
        "work" => Source::Work,
        "strd" => Source::Strd,
        _ => return None,
    };
    Some((FileName::parse(stem)?, source))
}

impl Project {
    /// A project from the bytes of its files, named as in a project folder (`project.work`,
    /// `bank01.work`, `arr03.strd`, `markers.work`): each is read as [`Project::open`] reads it
    /// from a folder, `.work` before `.strd` when both are given; a file not given is the
    /// device's blank one (a project without `project.work` has the blank settings). The
    /// project has no folder: [`Project::save_to`] writes it into one, [`Project::to_files`] and
    /// [`Project::to_zip_bytes`] give its bytes. A name that is not a project file's is an error,
    /// and so is a file that does not read (the message names the file).
    pub fn from_files<N: AsRef<str>>(files: impl IntoIterator<Item = (N, Vec<u8>)>) -> Result<Project, OtError> {
        let mut chosen: Vec<(FileName, Source, String, Vec<u8>)> = Vec::new();
        for (name, bytes) in files {
            let name = name.as_ref();
            let (file, source) = split_name(name).ok_or_else(|| OtError::Invalid {
                field: format!("file name `{name}`"),
                message: "not a project file: use project, markers, bank01-bank16 or arr01-arr08 with .work or .strd"
                    .into(),
            })?;
            match chosen.iter_mut().find(|(f, ..)| *f == file) {
                // `.work` wins over `.strd`, as when a folder is opened.
                Some(old) if old.1 == Source::Strd && source == Source::Work => {
                    *old = (file, source, name.to_string(), bytes);
                }
                Some(_) => {}
                None => chosen.push((file, source, name.to_string(), bytes)),
            }
        }
        let mut project = Project::new();
        for (file, source, name, bytes) in chosen {
            let shown = PathBuf::from(&name);
            project.put_file(file, source, &bytes, &shown)?;
        }
        Ok(project)
    }

    /// Puts the bytes of one project file in place, read as `source` (not changed since).
    pub(crate) fn put_file(
        &mut self,
        file: FileName,
        source: Source,
        bytes: &[u8],
        shown: &Path,
    ) -> Result<(), OtError> {
        match file {
            FileName::Project => {
                let value = ProjectFile::parse(bytes).map_err(|e| in_file(shown, e))?;
                self.settings = Loaded { value, source, dirty: false };
            }
            FileName::Bank(n) => {
                let raw = crate::raw::bank::Bank::read(bytes).map_err(|e| in_file(shown, e))?;
                if let Some(slot) = self.banks.get_mut(usize::from(n) - 1) {
                    *slot = Some(Loaded { value: Bank::from_raw(raw, n), source, dirty: false });
                }
            }
            FileName::Arrangement(n) => {
                let (a, _) = RawArrangement::read(bytes).map_err(|e| in_file(shown, e))?;
                if let Some(slot) = self.arrangements.get_mut(usize::from(n) - 1) {
                    *slot = Some(Loaded { value: Arrangement::from_raw(a, n), source, dirty: false });
                }
            }
            FileName::Markers => {
                let value = Markers::read(bytes).map_err(|e| in_file(shown, e))?;
                self.markers = Some(Loaded { value, source, dirty: false });
            }
        }
        Ok(())
    }

    /// Every file of the project as (name, bytes): `project.work`, `bank01.work` ...
    /// `bank16.work`, `arr01.work` ... `arr08.work`, `markers.work`, and with `strd` each as
    /// `.strd` too; checksums recomputed, unread files read first (from the folder, or blank).
    pub fn to_files(&mut self, strd: bool) -> Result<Vec<(String, Vec<u8>)>, OtError> {
        self.load_all()?;
        let exts: &[&str] = if strd { &["work", "strd"] } else { &["work"] };
        Ok(self
            .files(true)
            .into_iter()
            .flat_map(|(stem, bytes)| exts.iter().map(move |ext| (format!("{stem}.{ext}"), bytes.clone())))
            .collect())
    }
}

#[cfg(test)]
#[path = "project_memory_tests.rs"]
mod tests;
