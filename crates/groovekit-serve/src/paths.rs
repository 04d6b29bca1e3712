//! The served roots and the one way a request names a file under them. A request names a root by
//! its number and a path under it, `/`-separated and percent-encoded per segment. Refused: a
//! segment that decodes to `.` or `..` (also spelled `%2e%2e`), that holds `/`, `\` or NUL once
//! decoded, an empty segment (`//`, which some joins read as an absolute path), a drive or root
//! prefix, and any path whose canonical form (symlinks resolved) is not inside the root's canonical
//! form. A path that does not exist yet (an edit's destination) is checked through its nearest
//! existing ancestor.

use std::path::{Component, Path, PathBuf};

use crate::http::decode;

/// What a served root is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RootKind {
    /// An Octatrack Set (an `AUDIO` pool beside project folders).
    Set,
    /// One Octatrack project folder (served with its Set when it is in one).
    Project,
    /// Any other folder: its files are listed by kind.
    Folder,
}

/// One served root.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Root {
    /// Its number in URLs.
    pub id: usize,
    /// The folder as given.
    pub given: PathBuf,
    /// The folder served (canonical): a project's Set when the project is in one.
    pub dir: PathBuf,
    /// What it is.
    pub kind: RootKind,
    /// For a project root: the project's folder name under `dir` (empty when `dir` is the project).
    pub project: Option<String>,
}

/// Why a path was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub String);

impl Root {
    /// Makes root `id` from a path given on the command line.
    pub fn new(id: usize, given: &Path) -> Result<Root, String> {
        let canon = given.canonicalize().map_err(|e| format!("{}: {e}", given.display()))?;
        if !canon.is_dir() {
            return Err(format!("{}: not a folder (give a Set, a project or a folder of files)", given.display()));
        }
        let is_set = canon.join("AUDIO").is_dir()
            && std::fs::read_dir(&canon)
                .map(|rd| rd.flatten().any(|e| e.path().join("project.work").is_file()))
                .unwrap_or(false);
        let (dir, kind, project) = if canon.join("project.work").is_file() {
            match canon.parent() {
                Some(parent) if parent.join("AUDIO").is_dir() => {
                    let name = canon.file_name().map(|n| n.to_string_lossy().into_owned());
                    (parent.to_path_buf(), RootKind::Project, name)
                }
                _ => (canon.clone(), RootKind::Project, Some(String::new())),
            }
        } else if is_set {
            (canon.clone(), RootKind::Set, None)
        } else {
            (canon.clone(), RootKind::Folder, None)
        };
        Ok(Root { id, given: given.to_path_buf(), dir, kind, project })
    }

    /// The file `rel` names under this root (see the module docs), canonical. `rel` is the
    /// encoded path from a URL; an empty `rel` is the root itself.
    pub fn resolve(&self, rel: &str) -> Result<PathBuf, Refused> {
        let mut path = self.dir.clone();
        if !rel.is_empty() {
            for seg in rel.split('/') {
                path.push(check_segment(seg)?);
            }
        }
        self.contain(&path)
    }

    /// Checks that `path` is inside the root once symlinks are resolved; returns its canonical
    /// form (of the nearest existing ancestor, with the rest appended, for a path that does not
    /// exist yet).
    pub fn contain(&self, path: &Path) -> Result<PathBuf, Refused> {
        if path.components().any(|c| matches!(c, Component::ParentDir)) {
            return Err(Refused("`..` is not allowed in paths".into()));
        }
        let mut existing = path.to_path_buf();
        let mut rest: Vec<std::ffi::OsString> = Vec::new();
        let canon = loop {
            match existing.canonicalize() {
                Ok(c) => break c,
                Err(_) => {
                    let Some(name) = existing.file_name() else {
                        return Err(Refused(format!("{} does not exist", path.display())));
                    };
                    rest.push(name.to_os_string());
                    if !existing.pop() {
                        return Err(Refused(format!("{} does not exist", path.display())));
                    }
                }
            }
        };
        let mut out = canon;
        for r in rest.into_iter().rev() {
            out.push(r);
        }
        if out.starts_with(&self.dir) {
            Ok(out)
        } else {
            Err(Refused(format!("{} is outside the served folder {}", path.display(), self.dir.display())))
        }
    }

    /// The `/`-separated path of `file` (inside the root) from the root, for URLs.
    pub fn rel(&self, file: &Path) -> Option<String> {
        let r = file.strip_prefix(&self.dir).ok()?;
        Some(r.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"))
    }
}

/// Decodes and checks one URL path segment.
pub fn check_segment(seg: &str) -> Result<String, Refused> {
    let d = decode(seg).ok_or_else(|| Refused(format!("`{seg}`: not a valid percent-encoded UTF-8 segment")))?;
    if d.is_empty() {
        return Err(Refused("empty path segment (`//`)".into()));
    }
    if d == "." || d == ".." {
        return Err(Refused(format!("`{seg}`: `.` and `..` are not allowed in paths")));
    }
    if d.contains(['/', '\\', '\0']) {
        return Err(Refused(format!("`{seg}`: a segment may not hold `/`, `\\` or NUL")));
    }
    if Path::new(&d).components().any(|c| matches!(c, Component::Prefix(_) | Component::RootDir)) {
        return Err(Refused(format!("`{seg}`: absolute paths are not allowed")));
    }
    Ok(d)
}

#[cfg(test)]
#[path = "paths_tests.rs"]
mod tests;
