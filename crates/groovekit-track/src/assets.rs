//! Finding the audio files behind `ASSET_*` names.
//!
//! With a manifest (`assets.txt` beside the song, lines `ASSET_NAME path`, paths relative to the
//! manifest), names are looked up there. Without one, `ASSET_KICK_1` is
//! `assets/kick_1.{wav,aif,aiff,flac}` beside the song. `--assets DIR` replaces the song's folder:
//! `DIR/assets.txt` when it exists, else `DIR/kick_1.wav` and so on.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Span, TrackError};
use crate::model::{SampleKind, Song};

/// File extensions tried, in order, when there is no manifest.
pub const EXTENSIONS: [&str; 4] = ["wav", "aif", "aiff", "flac"];

/// The manifest's file name.
pub const MANIFEST: &str = "assets.txt";

/// The parsed `assets.txt`.
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    /// The manifest file.
    pub path: PathBuf,
    /// Name → file (resolved against the manifest's folder).
    pub entries: BTreeMap<String, PathBuf>,
}

/// Where a song's assets are looked up.
#[derive(Debug, Clone, PartialEq)]
pub struct AssetLocator {
    /// The folder searched when there is no manifest.
    pub dir: PathBuf,
    /// The manifest, when there is one.
    pub manifest: Option<Manifest>,
}

/// Parses manifest text. Lines are `ASSET_NAME path` (or `ASSET_NAME, path`); blank lines and
/// lines starting with `#` are ignored.
pub fn parse_manifest(text: &str, path: &Path) -> Result<Manifest, TrackError> {
    let base = path.parent().unwrap_or(Path::new(""));
    let mut entries = BTreeMap::new();
    let mut diags = Vec::new();
    let mut offset = 0usize;
    for (i, line) in text.split('\n').enumerate() {
        let start = offset;
        offset += line.len() + 1;
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        let span = Span {
            start: start + lead,
            end: start + line.trim_end().len(),
            line: line_no,
            col: u32::try_from(line.get(..lead).map_or(1, |s| s.chars().count() + 1)).unwrap_or(1),
        };
        let split = trimmed.find(|c: char| c.is_whitespace() || c == ',');
        let (name, rest) = match split {
            Some(k) => (trimmed.get(..k).unwrap_or(""), trimmed.get(k..).unwrap_or("")),
            None => (trimmed, ""),
        };
        let file = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',').trim();
        let mut d = |msg: String, help: &str| {
            let mut x = Diagnostic::error(span, msg).with_help(help);
            x.file = Some(path.to_path_buf());
            diags.push(x);
        };
        if !name.starts_with("ASSET_") || name.len() == "ASSET_".len() {
            d(format!("`{name}` is not an ASSET_ name"), "lines are `ASSET_NAME path/to/file.wav`");
        } else if file.is_empty() {
            d(format!("`{name}` has no file path"), "lines are `ASSET_NAME path/to/file.wav`");
        } else if entries.insert(name.to_string(), base.join(file)).is_some() {
            d(format!("`{name}` is listed twice"), "keep one line per name");
        }
    }
    if diags.is_empty() {
        Ok(Manifest { path: path.to_path_buf(), entries })
    } else {
        Err(TrackError::Invalid(crate::error::cap_repeated(diags, crate::error::MAX_REPEATS)))
    }
}

impl AssetLocator {
    /// The locator for a song in `song_dir`, or for `--assets DIR` when `override_dir` is set.
    /// Reads and checks the manifest when there is one.
    pub fn new(song_dir: &Path, override_dir: Option<&Path>) -> Result<Self, TrackError> {
        let (manifest_dir, dir) = match override_dir {
            Some(d) => (d.to_path_buf(), d.to_path_buf()),
            None => (song_dir.to_path_buf(), song_dir.join("assets")),
        };
        let mpath = manifest_dir.join(MANIFEST);
        let manifest = if mpath.is_file() {
            let text =
                std::fs::read_to_string(&mpath).map_err(|e| TrackError::Io { path: mpath.clone(), source: e })?;
            Some(parse_manifest(&text, &mpath)?)
        } else {
            None
        };
        Ok(Self { dir, manifest })
    }

    /// The file an `ASSET_*` name refers to, when it exists.
    pub fn find(&self, name: &str) -> Option<PathBuf> {
        if let Some(m) = &self.manifest {
            return m.entries.get(name).filter(|p| p.is_file()).cloned();
        }
        let stem = name.strip_prefix("ASSET_")?.to_lowercase();
        EXTENSIONS.iter().map(|ext| self.dir.join(format!("{stem}.{ext}"))).find(|p| p.is_file())
    }

    /// Every name this locator knows (for "did you mean" suggestions).
    pub fn known_names(&self) -> Vec<String> {
        if let Some(m) = &self.manifest {
            return m.entries.keys().cloned().collect();
        }
        let mut names: Vec<String> = std::fs::read_dir(&self.dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                let p = e.path();
                let ext = p.extension()?.to_str()?.to_ascii_lowercase();
                let stem = p.file_stem()?.to_str()?.to_uppercase();
                EXTENSIONS.contains(&ext.as_str()).then(|| format!("ASSET_{stem}"))
            })
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// Where a name was looked for, for messages.
    pub fn describe(&self, name: &str) -> String {
        match &self.manifest {
            Some(m) => format!("not listed in {} (or its file is missing)", m.path.display()),
            None => {
                let stem = name.strip_prefix("ASSET_").unwrap_or(name).to_lowercase();
                format!("no {}/{stem}.{{wav,aif,aiff,flac}}", self.dir.display())
            }
        }
    }

    /// The file of every asset sample of `song` (`None` for generated samples), and an error
    /// with a "did you mean" for each name that has no file.
    pub fn resolve(&self, song: &Song) -> (Vec<Option<PathBuf>>, Vec<Diagnostic>) {
        let mut files = Vec::with_capacity(song.samples.len());
        let mut diags = Vec::new();
        let mut known: Option<Vec<String>> = None;
        for s in &song.samples {
            if s.kind != SampleKind::Asset {
                files.push(None);
                continue;
            }
            let found = self.find(&s.name);
            if found.is_none() {
                let known = known.get_or_insert_with(|| self.known_names());
                let near = crate::ops::nearest(&s.name, known.iter().map(String::as_str));
                let help = if near.is_empty() {
                    if known.is_empty() {
                        "add the file, an assets.txt, or point --assets at the folder".to_string()
                    } else {
                        format!("known assets: {}", known.iter().take(8).cloned().collect::<Vec<_>>().join(", "))
                    }
                } else {
                    format!("did you mean {}?", near.join(", "))
                };
                diags.push(
                    Diagnostic::error(s.span, format!("asset `{}`: {}", s.name, self.describe(&s.name)))
                        .with_help(help),
                );
            }
            files.push(found);
        }
        (files, diags)
    }
}

#[cfg(test)]
#[path = "assets_tests.rs"]
mod tests;
