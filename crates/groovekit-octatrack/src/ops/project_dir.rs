//! A project folder as the project operations see it: `project.work`, the banks, `markers.work`,
//! the `.strd` copies, where its sample paths point and whether the project was saved on OS 1.40.

use std::path::{Component, Path, PathBuf};

use crate::OtError;
use crate::model::project::{Project, SampleSlot, SlotType};
use crate::raw::bank::Bank;
use crate::raw::markers::{Markers, SlotRef};

/// The two stored states of a file (reference §1.0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// `.work`: SYNC TO CARD, what the device loads.
    Work,
    /// `.strd`: PROJECT > SAVE, what RELOAD reads.
    Strd,
}

impl State {
    /// The file extension.
    pub const fn ext(self) -> &'static str {
        match self {
            State::Work => "work",
            State::Strd => "strd",
        }
    }
}

/// An I/O failure while reading a project, as an [`OtError`].
pub fn io_error(action: &'static str, path: &Path, e: std::io::Error) -> OtError {
    OtError::Fs(groovekit_core::fs::FsError { action, path: path.to_path_buf(), source: e })
}

/// An [`OtError::Invalid`] about a file.
pub fn invalid(path: &Path, message: impl Into<String>) -> OtError {
    OtError::Invalid { field: path.display().to_string(), message: message.into() }
}

/// Adds the file name to a parse error.
fn in_file(path: &Path, e: OtError) -> OtError {
    match e {
        OtError::Fs(_) => e,
        other => invalid(path, other.to_string()),
    }
}

/// A project folder.
#[derive(Debug, Clone)]
pub struct ProjectDir {
    /// The folder.
    pub dir: PathBuf,
    /// `project.work`.
    pub project: Project,
}

impl ProjectDir {
    /// Opens a project folder: reads `project.work` and refuses a project not saved on OS 1.40A/B/C
    /// (the only bank layout groovekit knows; older projects must be re-saved on the device).
    pub fn open(dir: &Path) -> Result<ProjectDir, OtError> {
        let path = dir.join("project.work");
        let bytes = std::fs::read(&path).map_err(|e| io_error("reading", &path, e))?;
        let project = Project::parse(&bytes).map_err(|e| in_file(&path, e))?;
        match project.os_release() {
            Some(r) if r.starts_with("1.40") => {}
            other => {
                return Err(invalid(
                    &path,
                    format!(
                        "saved by OS {}, not 1.40A/B/C: open the project on an Octatrack running OS 1.40 and save it (PROJECT > SAVE), then try again",
                        other.as_deref().unwrap_or("(unknown)")
                    ),
                ));
            }
        }
        Ok(ProjectDir { dir: dir.to_path_buf(), project })
    }

    /// The path of `name.ext`.
    pub fn file(&self, name: &str, state: State) -> PathBuf {
        self.dir.join(format!("{name}.{}", state.ext()))
    }

    /// The path of bank `n` (1-16).
    pub fn bank_path(&self, n: usize, state: State) -> PathBuf {
        self.file(&format!("bank{n:02}"), state)
    }

    /// Reads bank `n` (1-16), refusing a wrong checksum; `None` when the file does not exist.
    pub fn read_bank(&self, n: usize, state: State) -> Result<Option<Bank>, OtError> {
        if !(1..=16).contains(&n) {
            return Err(OtError::Invalid { field: format!("bank {n}"), message: "banks are numbered 1-16".into() });
        }
        let path = self.bank_path(n, state);
        match std::fs::read(&path) {
            Ok(bytes) => Bank::read(&bytes).map(Some).map_err(|e| in_file(&path, e)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_error("reading", &path, e)),
        }
    }

    /// Reads `markers.work`/`.strd`; `None` when it does not exist.
    pub fn read_markers(&self, state: State) -> Result<Option<Markers>, OtError> {
        let path = self.file("markers", state);
        match std::fs::read(&path) {
            Ok(bytes) => Markers::read(&bytes).map(Some).map_err(|e| in_file(&path, e)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_error("reading", &path, e)),
        }
    }

    /// Reads `project.strd`; `None` when it does not exist.
    pub fn read_project_strd(&self) -> Result<Option<Project>, OtError> {
        let path = self.file("project", State::Strd);
        match std::fs::read(&path) {
            Ok(bytes) => Project::parse(&bytes).map(Some).map_err(|e| in_file(&path, e)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_error("reading", &path, e)),
        }
    }

    /// The Set's audio pool: `../AUDIO` beside the project folder.
    pub fn pool(&self) -> PathBuf {
        self.dir.join("..").join("AUDIO")
    }

    /// Where a slot's file is on disk (`None` for an empty path).
    pub fn sample_path(&self, slot: &SampleSlot) -> Option<PathBuf> {
        (!slot.path.is_empty()).then(|| resolve(&self.dir, &slot.path))
    }

    /// The slots listed with a path, of one type, 1-128 (recorder buffers excluded).
    pub fn sample_slots(&self, slot_type: SlotType) -> Vec<SampleSlot> {
        self.project
            .samples()
            .into_iter()
            .filter(|s| s.slot_type == slot_type && s.slot <= 128 && !s.path.is_empty())
            .collect()
    }
}

/// The markers record of a slot (1-based; Flex 129-136 are the recorder buffers).
pub fn markers_ref(slot_type: SlotType, slot: u16) -> Option<SlotRef> {
    let n = u8::try_from(slot).ok()?;
    let r = match slot_type {
        SlotType::Flex if n > 128 => SlotRef::Recorder(n - 128),
        SlotType::Flex => SlotRef::Flex(n),
        SlotType::Static => SlotRef::Static(n),
    };
    r.index().map(|_| r)
}

/// The file a `PATH=` value names, relative to the project folder. `/` separates folders (the
/// device's convention); `..` is kept so that `../AUDIO/x.wav` resolves beside the project.
pub fn resolve(project_dir: &Path, path: &[u8]) -> PathBuf {
    let mut out = project_dir.to_path_buf();
    for part in path.split(|&b| b == b'/').filter(|p| !p.is_empty() && *p != b".") {
        out.push(bytes_to_os(part));
    }
    out
}

#[cfg(unix)]
fn bytes_to_os(b: &[u8]) -> std::ffi::OsString {
    use std::os::unix::ffi::OsStrExt;
    std::ffi::OsStr::from_bytes(b).to_os_string()
}

#[cfg(not(unix))]
fn bytes_to_os(b: &[u8]) -> std::ffi::OsString {
    String::from_utf8_lossy(b).into_owned().into()
}

/// The bytes of a path component.
#[cfg(unix)]
pub fn os_to_bytes(s: &std::ffi::OsStr) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    s.as_bytes().to_vec()
}

/// The bytes of a path component.
#[cfg(not(unix))]
pub fn os_to_bytes(s: &std::ffi::OsStr) -> Vec<u8> {
    s.to_string_lossy().into_owned().into_bytes()
}

/// `path` with `.` and `name/..` steps removed, for showing (`OTHERSET/LIVE/../AUDIO/a.wav` is
/// `OTHERSET/AUDIO/a.wav`); lexical only, the file system is not asked.
pub fn tidy(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    if out.is_empty() { PathBuf::from(".") } else { out.iter().collect() }
}

/// A path made lexically absolute and free of `.`/`..` (no symlink resolution: the card is FAT).
pub fn normalize(path: &Path) -> PathBuf {
    let base = if path.is_absolute() { PathBuf::new() } else { std::env::current_dir().unwrap_or_default() };
    let mut out = base;
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The `PATH=` value (bytes, `/`-separated) that names `target` from `project_dir`, when both are
/// normalised: `name.wav` inside the project, `../AUDIO/sub/name.wav` in the pool, and in general
/// as many `..` as needed.
pub fn relative_path(project_dir: &Path, target: &Path) -> Vec<u8> {
    let from = normalize(project_dir);
    let to = normalize(target);
    let a: Vec<_> = from.components().collect();
    let b: Vec<_> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<Vec<u8>> = std::iter::repeat_n(b"..".to_vec(), a.len() - common).collect();
    parts.extend(b.iter().skip(common).map(|c| os_to_bytes(c.as_os_str())));
    parts.join(&b'/')
}

/// Whether `path` is inside `dir` (lexically).
pub fn is_inside(path: &Path, dir: &Path) -> bool {
    normalize(path).starts_with(normalize(dir))
}

#[cfg(test)]
#[path = "project_dir_tests.rs"]
mod tests;
