//! What `groovekit track watch` watches: the song, its manifest and the asset files it uses, and
//! the folders where a new asset or manifest would appear. The CLI feeds file-system events to
//! [`WatchSet::is_relevant`] and re-renders when it says yes.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::assets::{AssetLocator, EXTENSIONS, MANIFEST};
use crate::model::Song;

/// The files and folders a render depends on.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WatchSet {
    /// Files whose change triggers a re-render.
    pub files: BTreeSet<PathBuf>,
    /// Folders to watch (non-recursively). An audio file or manifest appearing in one of them
    /// also triggers a re-render (a missing asset may have been added).
    pub dirs: BTreeSet<PathBuf>,
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

impl WatchSet {
    /// The watch set of the song at `song_path` (parsed as `song`, `None` when it does not parse:
    /// then only the song and the asset folders are watched) with assets found by `locator`.
    pub fn new(song_path: &Path, song: Option<&Song>, locator: Option<&AssetLocator>) -> Self {
        let mut w = WatchSet::default();
        let song_path = absolute(song_path);
        if let Some(d) = song_path.parent() {
            w.dirs.insert(d.to_path_buf());
        }
        w.files.insert(song_path);
        if let Some(loc) = locator {
            w.dirs.insert(absolute(&loc.dir));
            if let Some(m) = &loc.manifest {
                w.files.insert(absolute(&m.path));
                if let Some(d) = m.path.parent() {
                    w.dirs.insert(absolute(d));
                }
            }
            if let Some(song) = song {
                let (files, _) = loc.resolve(song);
                for f in files.into_iter().flatten() {
                    let f = absolute(&f);
                    if let Some(d) = f.parent() {
                        w.dirs.insert(d.to_path_buf());
                    }
                    w.files.insert(f);
                }
            }
        }
        w
    }

    /// Whether a change to `path` should trigger a re-render.
    pub fn is_relevant(&self, path: &Path) -> bool {
        let path = absolute(path);
        if self.files.contains(&path) {
            return true;
        }
        let in_dir = path.parent().is_some_and(|d| self.dirs.contains(d));
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
        in_dir && (name == MANIFEST || EXTENSIONS.contains(&ext.as_str()))
    }
}
