//! Projects in zip archives, the way octapy shares them (`Project.from_zip` / `to_zip`; octapy
//! `octapy/_io/project.py` `zip_project`, `octapy/api/core/project.py` `from_zip`): the project
//! folder as `NAME/...` and its samples at their place in the Set (`AUDIO/...`), so that an
//! archive unzipped into a Set folder (`groovekit ot unzip`, [`crate::ops::zip::unzip`]) is a
//! working project whose `PATH=` values resolve as they did.
//!
//! What groovekit does where octapy differs:
//! - octapy writes `.work` files and the `.wav` files of its own `samples/` folder; groovekit
//!   writes every project file (`.strd` too on request, the state PROJECT > RELOAD reads) and the
//!   file of every slot whose path lies in the Set, with its `.ot` settings file when there is
//!   one. A slot whose file is missing, or lies outside the Set (an absolute path, or `../..`
//!   above it), is reported, not guessed at.
//! - Project files are deflated (a bank is 636 KB, mostly zeros); audio is stored as it is
//!   (deflate gains a few percent on audio and costs seconds per hundred megabytes).
//! - A project read from an archive keeps the archive's other entries: saving it to an archive
//!   again carries them over byte for byte (octapy keeps a temporary folder alive instead).

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use groovekit_core::fs::{IfExists, Transaction};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use crate::OtError;
use crate::model::arrangement::Arrangement;
use crate::model::bank::Bank;
use crate::model::project::{Project as ProjectFile, SlotType};
use crate::model::project_folder::{Loaded, Project, Source, fs_err, in_file};
use crate::ops::project_dir::{normalize, resolve};
use crate::raw::arrangement::Arrangement as RawArrangement;
use crate::raw::markers::Markers;

/// The largest project file read from an archive: a bank is 636 113 bytes, the largest of the
/// project's files; anything far larger is not an Octatrack file (and is not decompressed).
pub const MAX_PROJECT_FILE: u64 = 4 << 20;

/// How [`Project::save_zip`] writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZipOptions {
    /// Also write each project file as `.strd` (what PROJECT > RELOAD reads).
    pub strd: bool,
    /// Include the sample files the slots name (and their `.ot` files).
    pub samples: bool,
    /// The project's folder name in the archive (default: [`Project::name`], else `PROJECT`).
    pub name: Option<String>,
    /// Plan only: nothing is written.
    pub dry_run: bool,
    /// What to do when slots name sample files that do not exist: refuse (the default, naming
    /// `--missing keep`), or write the archive without them and list them.
    pub missing: crate::ops::import::MissingSamples,
}

impl Default for ZipOptions {
    fn default() -> Self {
        Self {
            strd: false,
            samples: true,
            name: None,
            dry_run: false,
            missing: crate::ops::import::MissingSamples::Refuse,
        }
    }
}

/// A file [`Project::save_zip`] put into the archive from the disk.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ZippedFile {
    /// The entry name in the archive (`AUDIO/kick.wav`).
    pub entry: String,
    /// The file it was read from.
    pub source: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
}

/// What [`Project::save_zip`] wrote (or would write, in a dry run).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ZipReport {
    /// The archive.
    pub path: PathBuf,
    /// The project's folder name in the archive.
    pub name: String,
    /// The project files' entries (`NAME/project.work`, ...).
    pub project_files: Vec<String>,
    /// Sample files (and `.ot` files) read from the disk.
    pub samples: Vec<ZippedFile>,
    /// Entries carried over from the archive the project was read from.
    pub carried_over: Vec<String>,
    /// Slots whose file does not exist (`Flex slot 3: ../AUDIO/kick.wav`): not in the archive.
    pub missing: Vec<String>,
    /// Slots whose file lies outside the Set folder: not in the archive (unzipped into a Set,
    /// their path could not resolve).
    pub outside: Vec<String>,
    /// The backup of the archive this one replaced.
    pub backup: Option<PathBuf>,
    /// Size of the archive in bytes.
    pub bytes: u64,
    /// Nothing was written.
    pub dry_run: bool,
    /// Why a real run would refuse (a dry run only: sample files missing without
    /// `MissingSamples::Keep`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused: Option<String>,
}

/// A zip library error, said of `path`.
pub(crate) fn zip_error(path: &Path, e: zip::result::ZipError) -> OtError {
    match e {
        zip::result::ZipError::Io(io) => fs_err("reading", path, io),
        other => OtError::Invalid {
            field: path.display().to_string(),
            message: format!("not a readable zip archive: {other}"),
        },
    }
}

/// The project folders of an archive: the prefixes (`NAME/`, or `` for files at the top) of its
/// `project.work` / `project.strd` entries (macOS's `__MACOSX/.../._project.work` shadows are
/// not: their names do not end in `/project.work`).
pub fn project_prefixes<R: Read + Seek>(archive: &ZipArchive<R>) -> Vec<String> {
    let mut prefixes = BTreeSet::new();
    for name in archive.file_names() {
        let Ok(name) = name else { continue };
        for file in ["project.work", "project.strd"] {
            if let Some(prefix) = name.strip_suffix(file)
                && (prefix.is_empty() || prefix.ends_with('/'))
                && !prefix.starts_with("__MACOSX/")
            {
                prefixes.insert(prefix.to_string());
            }
        }
    }
    prefixes.into_iter().collect()
}

/// Reads `PREFIX NAME.work`, else `.strd`, from the archive; None when neither is there.
fn read_entry<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    path: &Path,
    prefix: &str,
    name: &str,
) -> Result<Option<(Vec<u8>, Source, PathBuf)>, OtError> {
    for (ext, source) in [("work", Source::Work), ("strd", Source::Strd)] {
        let entry = format!("{prefix}{name}.{ext}");
        let mut file = match archive.by_name(&entry) {
            Ok(f) => f,
            Err(zip::result::ZipError::FileNotFound) => continue,
            Err(e) => return Err(zip_error(path, e)),
        };
        let shown = path.join(&entry);
        if file.size() > MAX_PROJECT_FILE {
            return Err(OtError::Invalid {
                field: shown.display().to_string(),
                message: format!(
                    "{} bytes: larger than any Octatrack project file ({MAX_PROJECT_FILE} at most); not read",
                    file.size()
                ),
            });
        }
        let mut bytes = Vec::with_capacity(usize::try_from(file.size()).unwrap_or(0));
        (&mut file).take(MAX_PROJECT_FILE + 1).read_to_end(&mut bytes).map_err(|e| fs_err("reading", &shown, e))?;
        if bytes.len() as u64 > MAX_PROJECT_FILE {
            return Err(OtError::Invalid {
                field: shown.display().to_string(),
                message: "unpacks to more than its declared size: a damaged archive".into(),
            });
        }
        return Ok(Some((bytes, source, shown)));
    }
    Ok(None)
}

impl Project {
    /// Opens a project from a zip archive (octapy's `Project.from_zip`): the archive holds one
    /// project folder (`NAME/project.work` ...; files at the top level work too), read whole into
    /// memory, with no folder on disk: [`Project::save_to`] writes it into a folder,
    /// [`Project::save_zip`] into an archive again (with the archive's samples carried over). To
    /// unpack the samples too, use [`crate::ops::zip::unzip`].
    pub fn open_zip(path: &Path) -> Result<Project, OtError> {
        let file = File::open(path).map_err(|e| fs_err("reading", path, e))?;
        Project::read_zip(std::io::BufReader::new(file), path)
    }

    /// [`Project::open_zip`] from any reader; `path` names the archive in errors.
    pub fn read_zip<R: Read + Seek>(reader: R, path: &Path) -> Result<Project, OtError> {
        let mut archive = ZipArchive::new(reader).map_err(|e| zip_error(path, e))?;
        let prefixes = project_prefixes(&archive);
        let prefix = match prefixes.as_slice() {
            [one] => one.clone(),
            [] => {
                return Err(OtError::Invalid {
                    field: path.display().to_string(),
                    message: "no project.work or project.strd in the archive: not an Octatrack project".into(),
                });
            }
            many => {
                return Err(OtError::Invalid {
                    field: path.display().to_string(),
                    message: format!(
                        "the archive holds {} projects ({}): unzip it (groovekit ot unzip) and open one folder",
                        many.len(),
                        many.join(", ")
                    ),
                });
            }
        };
        let (bytes, source, shown) = read_entry(&mut archive, path, &prefix, "project")?.ok_or_else(|| {
            OtError::Invalid { field: path.display().to_string(), message: "the project file vanished".into() }
        })?;
        let settings = ProjectFile::parse(&bytes).map_err(|e| in_file(&shown, e))?;
        let mut banks = Vec::with_capacity(16);
        for n in 1..=16u8 {
            banks.push(Some(match read_entry(&mut archive, path, &prefix, &format!("bank{n:02}"))? {
                Some((bytes, source, shown)) => {
                    let raw = crate::raw::bank::Bank::read(&bytes).map_err(|e| in_file(&shown, e))?;
                    Loaded { value: Bank::from_raw(raw, n), source, dirty: false }
                }
                None => Loaded { value: Bank::new(n), source: Source::New, dirty: true },
            }));
        }
        let mut arrangements = Vec::with_capacity(8);
        for n in 1..=8u8 {
            let (bytes, source, shown) = match read_entry(&mut archive, path, &prefix, &format!("arr{n:02}"))? {
                Some(found) => found,
                None => (crate::raw::arrangement::default_arrangement_bytes(n), Source::New, path.to_path_buf()),
            };
            let (a, _) = RawArrangement::read(&bytes).map_err(|e| in_file(&shown, e))?;
            arrangements.push(Some(Loaded {
                value: Arrangement::from_raw(a, n),
                source,
                dirty: source == Source::New,
            }));
        }
        let markers = match read_entry(&mut archive, path, &prefix, "markers")? {
            Some((bytes, source, shown)) => {
                Loaded { value: Markers::read(&bytes).map_err(|e| in_file(&shown, e))?, source, dirty: false }
            }
            None => Loaded { value: Markers::new_default(), source: Source::New, dirty: true },
        };
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let name =
            prefix.trim_end_matches('/').rsplit('/').next().filter(|n| !n.is_empty()).map_or(stem, str::to_string);
        Ok(Project {
            dir: None,
            name: Some(name),
            zip_source: Some((path.to_path_buf(), prefix)),
            settings: Loaded { value: settings, source, dirty: false },
            banks,
            markers: Some(markers),
            arrangements,
        })
    }

    /// Writes the project into a zip archive (octapy's `to_zip`): its files under `NAME/`, and,
    /// with [`ZipOptions::samples`], the file of every slot whose path lies in the Set folder (the
    /// project folder's parent) at its place relative to the Set, with its `.ot` file. One file
    /// is written, atomically; an existing archive is backed up first (`NAME.zip.bak`). A project
    /// read from an archive and not saved to a folder since carries that archive's other entries
    /// over unchanged.
    pub fn save_zip(&mut self, zip: &Path, options: &ZipOptions) -> Result<ZipReport, OtError> {
        self.load_all()?;
        let name = options.name.clone().or_else(|| self.name()).unwrap_or_else(|| "PROJECT".into());
        if name.is_empty() || name == "." || name == ".." || name.contains(['/', '\\']) {
            return Err(OtError::Invalid {
                field: format!("project name `{name}`"),
                message: "a folder name without `/` or `\\`".into(),
            });
        }
        let mut report =
            ZipReport { path: zip.to_path_buf(), name: name.clone(), dry_run: options.dry_run, ..Default::default() };
        let mut tx = Transaction::new().dry_run(options.dry_run).create_parents(true);
        tx.set_if_exists(IfExists::Backup);
        let staged = tx.create(zip).map_err(OtError::Fs)?;
        let mut w = ZipWriter::new(staged);
        let now = dos_time(std::time::SystemTime::now());
        let deflated =
            SimpleFileOptions::default().compression_method(CompressionMethod::Deflated).last_modified_time(now);
        let write_err = |e: zip::result::ZipError| match e {
            zip::result::ZipError::Io(io) => fs_err("writing", zip, io),
            other => OtError::Invalid { field: zip.display().to_string(), message: other.to_string() },
        };
        let io_err = |e: std::io::Error| fs_err("writing", zip, e);
        let mut entries = BTreeSet::new();
        for (file, bytes) in self.files(true) {
            for ext in if options.strd { &["work", "strd"][..] } else { &["work"][..] } {
                let entry = format!("{name}/{file}.{ext}");
                w.start_file(entry.as_str(), deflated).map_err(write_err)?;
                w.write_all(&bytes).map_err(io_err)?;
                entries.insert(entry.clone());
                report.project_files.push(entry);
            }
        }
        if options.samples {
            match (&self.dir, &self.zip_source) {
                (Some(dir), _) => self.zip_samples(dir, &name, &mut w, &mut entries, &mut report, write_err)?,
                (None, Some((source, prefix))) => {
                    carry_over(source, prefix, &name, &mut w, &mut entries, &mut report, write_err)?
                }
                (None, None) => {}
            }
        }
        // Missing samples: refused before anything is committed unless kept (a dry run reports).
        report.refused = options.missing.refusal(&report.missing);
        if !options.dry_run
            && let Some(why) = report.refused.take()
        {
            return Err(OtError::Invalid {
                field: zip.display().to_string(),
                message: format!("nothing was written: {why}"),
            });
        }
        let staged = w.finish().map_err(write_err)?;
        tx.add(staged).map_err(OtError::Fs)?;
        let done = tx.commit().map_err(OtError::Fs)?;
        if let Some(f) = done.files.first() {
            report.bytes = f.bytes;
            report.backup = f.backup.clone();
        }
        Ok(report)
    }

    /// Adds the sample files of the slots (and their `.ot` files) to `w`.
    fn zip_samples<W: Write + Seek>(
        &self,
        dir: &Path,
        name: &str,
        w: &mut ZipWriter<W>,
        entries: &mut BTreeSet<String>,
        report: &mut ZipReport,
        write_err: impl Fn(zip::result::ZipError) -> OtError + Copy,
    ) -> Result<(), OtError> {
        let project_dir = normalize(dir);
        let set = project_dir.parent().map(Path::to_path_buf).unwrap_or_default();
        for slot in self.samples() {
            if slot.path.is_empty() || slot.is_recorder_buffer() {
                continue;
            }
            let described = format!(
                "{} slot {}: {}",
                match slot.slot_type {
                    SlotType::Flex => "Flex",
                    SlotType::Static => "Static",
                },
                slot.slot,
                slot.path_lossy()
            );
            let file = normalize(&resolve(dir, &slot.path));
            // Inside the project folder: under the archive's project name (which may differ
            // from the folder's); elsewhere in the Set: at the same place.
            let entry = if let Ok(rel) = file.strip_prefix(&project_dir) {
                format!("{name}/{}", slash_path(rel))
            } else if let Ok(rel) = file.strip_prefix(&set)
                && !set.as_os_str().is_empty()
            {
                slash_path(rel)
            } else {
                report.outside.push(described);
                continue;
            };
            if !file.is_file() {
                report.missing.push(described);
                continue;
            }
            let ot = file.with_extension("ot");
            let ot_entry = Path::new(&entry).with_extension("ot");
            for (entry, file) in [(entry.clone(), file.clone()), (slash_path(&ot_entry), ot)] {
                if entries.contains(&entry) || !file.is_file() {
                    continue;
                }
                let mut from = File::open(&file).map_err(|e| fs_err("reading", &file, e))?;
                let meta = from.metadata().map_err(|e| fs_err("reading", &file, e))?;
                let mut opts = SimpleFileOptions::default()
                    .compression_method(CompressionMethod::Stored)
                    .large_file(meta.len() >= u64::from(u32::MAX));
                if let Ok(t) = meta.modified() {
                    opts = opts.last_modified_time(dos_time(t));
                }
                w.start_file(entry.as_str(), opts).map_err(write_err)?;
                std::io::copy(&mut from, w).map_err(|e| fs_err("reading", &file, e))?;
                entries.insert(entry.clone());
                report.samples.push(ZippedFile { entry, source: file, bytes: meta.len() });
            }
        }
        Ok(())
    }
}

/// Copies every entry of the archive `source` that is not one of the project's files (the
/// samples) into `w`, raw (no recompression), renaming the project folder `prefix` to `name`.
fn carry_over<W: Write + Seek>(
    source: &Path,
    prefix: &str,
    name: &str,
    w: &mut ZipWriter<W>,
    entries: &mut BTreeSet<String>,
    report: &mut ZipReport,
    write_err: impl Fn(zip::result::ZipError) -> OtError,
) -> Result<(), OtError> {
    let file = File::open(source).map_err(|e| fs_err("reading", source, e))?;
    let mut archive = ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| zip_error(source, e))?;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|e| zip_error(source, e))?;
        let old = entry.name().map_err(|e| zip_error(source, e))?.into_owned();
        let new = match old.strip_prefix(prefix) {
            Some(rest) if !prefix.is_empty() => format!("{name}/{rest}"),
            _ => old.clone(),
        };
        if entries.contains(&new) || entry.is_dir() || is_project_file_entry(&old, prefix) {
            continue;
        }
        w.raw_copy_file_rename(entry, new.as_str()).map_err(&write_err)?;
        entries.insert(new.clone());
        report.carried_over.push(new);
    }
    Ok(())
}

/// Whether `entry` is one of the project's own files in the folder `prefix` (written anew).
fn is_project_file_entry(entry: &str, prefix: &str) -> bool {
    let Some(file) = entry.strip_prefix(prefix) else { return false };
    let Some((stem, ext)) = file.rsplit_once('.') else { return false };
    let known = stem == "project"
        || stem == "markers"
        || stem.strip_prefix("bank").is_some_and(|n| n.len() == 2 && n.bytes().all(|b| b.is_ascii_digit()))
        || stem.strip_prefix("arr").is_some_and(|n| n.len() == 2 && n.bytes().all(|b| b.is_ascii_digit()));
    known && (ext == "work" || ext == "strd")
}

/// A relative path with `/` separators (zip entry names).
fn slash_path(p: &Path) -> String {
    p.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/")
}

/// A time as the MS-DOS date and time a zip entry holds (UTC; 1980-01-01 outside 1980-2107).
fn dos_time(t: std::time::SystemTime) -> DateTime {
    let secs = t.duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let (y, m, d, h, min, s) = crate::ops::backup::utc_civil(secs);
    DateTime::from_date_and_time(u16::try_from(y).unwrap_or(1980), m, d, h, min, s).unwrap_or_default()
}

#[cfg(test)]
#[path = "project_zip_tests.rs"]
mod tests;
