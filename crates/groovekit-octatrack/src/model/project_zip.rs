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
use std::io::{Cursor, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use groovekit_core::fs::{IfExists, Transaction};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use crate::OtError;
use crate::model::project::SlotType;
use crate::model::project_folder::{Project, Source, fs_err};
use crate::model::project_memory::FileName;
use crate::ops::project_dir::{normalize, resolve};

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

/// The archive a project was read from, kept so that saving it to an archive again can carry
/// the archive's other entries (the samples) over: its file, or its bytes when it was read from
/// memory ([`Project::from_zip_bytes`]).
#[derive(Debug, Clone)]
pub(crate) enum ZipData {
    /// An archive on disk.
    File(PathBuf),
    /// An archive held in memory (shared, not copied, by clones of the project).
    Memory(Arc<[u8]>),
}

/// What errors call an archive read from memory.
const MEMORY_ARCHIVE: &str = "zip archive";

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

    /// [`Project::open_zip`] from any reader; `path` names the archive in errors (and is where
    /// [`Project::save_zip`] reads the entries it carries over).
    pub fn read_zip<R: Read + Seek>(reader: R, path: &Path) -> Result<Project, OtError> {
        let mut project = Project::read_archive(reader, path)?;
        if project.name.is_none() {
            project.name = path.file_stem().map(|s| s.to_string_lossy().into_owned());
        }
        Ok(project)
    }

    /// [`Project::open_zip`] from the bytes of an archive held in memory (an upload): the same
    /// reading, errors naming the entry (`NAME/bank01.work`) rather than a file on disk. The
    /// project's name is its folder's in the archive (None for files at the top level); its
    /// other entries are kept for [`Project::to_zip_bytes`] and [`Project::save_zip`].
    pub fn from_zip_bytes(bytes: impl Into<Arc<[u8]>>) -> Result<Project, OtError> {
        let data: Arc<[u8]> = bytes.into();
        let mut project = Project::read_archive(Cursor::new(Arc::clone(&data)), Path::new(MEMORY_ARCHIVE))?;
        if let Some((source, _)) = &mut project.zip_source {
            *source = ZipData::Memory(data);
        }
        Ok(project)
    }

    /// The project of an archive: its one project folder's files, read as a folder's are; the
    /// name is the folder's (None for files at the top level). `zip_source` is set with the
    /// folder's prefix (and a placeholder for the archive, which the callers replace).
    fn read_archive<R: Read + Seek>(reader: R, path: &Path) -> Result<Project, OtError> {
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
        let mut project = Project::new();
        let mut names = vec![(FileName::Project, "project".to_string()), (FileName::Markers, "markers".to_string())];
        names.extend((1..=16u8).map(|n| (FileName::Bank(n), format!("bank{n:02}"))));
        names.extend((1..=8u8).map(|n| (FileName::Arrangement(n), format!("arr{n:02}"))));
        for (file, name) in names {
            match read_entry(&mut archive, path, &prefix, &name)? {
                Some((bytes, source, shown)) => project.put_file(file, source, &bytes, &shown)?,
                None if file == FileName::Project => {
                    return Err(OtError::Invalid {
                        field: path.display().to_string(),
                        message: "the project file vanished".into(),
                    });
                }
                // Not in the archive: the device's blank file, written by the next save.
                None => {}
            }
        }
        project.load_all()?;
        project.name = prefix.trim_end_matches('/').rsplit('/').next().filter(|n| !n.is_empty()).map(str::to_string);
        project.zip_source = Some((ZipData::File(path.to_path_buf()), prefix));
        Ok(project)
    }

    /// Writes the project into a zip archive (octapy's `to_zip`): its files under `NAME/`, and,
    /// with [`ZipOptions::samples`], the file of every slot whose path lies in the Set folder (the
    /// project folder's parent) at its place relative to the Set, with its `.ot` file. One file
    /// is written, atomically; an existing archive is backed up first (`NAME.zip.bak`). A project
    /// read from an archive and not saved to a folder since carries that archive's other entries
    /// over unchanged.
    pub fn save_zip(&mut self, zip: &Path, options: &ZipOptions) -> Result<ZipReport, OtError> {
        self.load_all()?;
        let name = self.zip_name(options)?;
        let mut report =
            ZipReport { path: zip.to_path_buf(), name: name.clone(), dry_run: options.dry_run, ..Default::default() };
        let mut tx = Transaction::new().dry_run(options.dry_run).create_parents(true);
        tx.set_if_exists(IfExists::Backup);
        let staged = tx.create(zip).map_err(OtError::Fs)?;
        let staged = self.write_zip(staged, zip, &name, options, &mut report)?;
        tx.add(staged).map_err(OtError::Fs)?;
        let done = tx.commit().map_err(OtError::Fs)?;
        if let Some(f) = done.files.first() {
            report.bytes = f.bytes;
            report.backup = f.backup.clone();
        }
        Ok(report)
    }

    /// [`Project::save_zip`] into memory: the archive's bytes (nothing is written to disk;
    /// [`ZipOptions::dry_run`] does not apply) and what it holds (its `path` is empty). Samples
    /// come from the Set on disk for a project in a folder, or are carried over from the archive
    /// the project was read from ([`Project::from_zip_bytes`] or [`Project::open_zip`]).
    pub fn to_zip_bytes(&mut self, options: &ZipOptions) -> Result<(Vec<u8>, ZipReport), OtError> {
        let name = self.zip_name(options)?;
        let mut report = ZipReport { name: name.clone(), ..Default::default() };
        let cursor = self.write_zip(Cursor::new(Vec::new()), Path::new(MEMORY_ARCHIVE), &name, options, &mut report)?;
        let bytes = cursor.into_inner();
        report.bytes = bytes.len() as u64;
        Ok((bytes, report))
    }

    /// The project's folder name in an archive: [`ZipOptions::name`], else [`Project::name`],
    /// else `PROJECT`; a name with a separator (or `.`/`..`) is refused.
    fn zip_name(&self, options: &ZipOptions) -> Result<String, OtError> {
        let name = options.name.clone().or_else(|| self.name()).unwrap_or_else(|| "PROJECT".into());
        if name.is_empty() || name == "." || name == ".." || name.contains(['/', '\\']) {
            return Err(OtError::Invalid {
                field: format!("project name `{name}`"),
                message: "a folder name without `/` or `\\`".into(),
            });
        }
        Ok(name)
    }

    /// Writes the archive's entries into `out` (every project file under `NAME/`, then the
    /// samples) and returns it finished; `zip` names the archive in errors.
    fn write_zip<W: Write + Seek>(
        &mut self,
        out: W,
        zip: &Path,
        name: &str,
        options: &ZipOptions,
        report: &mut ZipReport,
    ) -> Result<W, OtError> {
        self.load_all()?;
        let mut w = ZipWriter::new(out);
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
                (Some(dir), _) => self.zip_samples(dir, name, &mut w, &mut entries, report, write_err)?,
                (None, Some((ZipData::File(source), prefix))) => {
                    let file = File::open(source).map_err(|e| fs_err("reading", source, e))?;
                    let archive = ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| zip_error(source, e))?;
                    carry_over(archive, source, prefix, name, &mut w, &mut entries, report, write_err)?
                }
                (None, Some((ZipData::Memory(data), prefix))) => {
                    let source = Path::new(MEMORY_ARCHIVE);
                    let archive = ZipArchive::new(Cursor::new(Arc::clone(data))).map_err(|e| zip_error(source, e))?;
                    carry_over(archive, source, prefix, name, &mut w, &mut entries, report, write_err)?
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
        w.finish().map_err(write_err)
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

/// Copies every entry of the archive (read from `source`) that is not one of the project's files
/// (the samples) into `w`, raw (no recompression), renaming the project folder `prefix` to `name`.
#[allow(clippy::too_many_arguments)] // the archive, where it is, and where its entries go
fn carry_over<R: Read + Seek, W: Write + Seek>(
    mut archive: ZipArchive<R>,
    source: &Path,
    prefix: &str,
    name: &str,
    w: &mut ZipWriter<W>,
    entries: &mut BTreeSet<String>,
    report: &mut ZipReport,
    write_err: impl Fn(zip::result::ZipError) -> OtError,
) -> Result<(), OtError> {
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
