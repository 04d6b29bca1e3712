//! Finding audio files and telling whether the Octatrack can play them (reference §7): WAV or
//! AIFF, 16- or 24-bit integer PCM, mono or stereo, 44.1 kHz. Extensions are matched without
//! regard to case (octatools matches `wav`/`aiff` exactly and misses `.WAV` and `.aif`), and the
//! verdict comes from the file's content.

use std::path::{Path, PathBuf};

use groovekit_audio::pcm::{Container, Encoding, probe};

use crate::model::sample_settings::OCTATRACK_RATE;

/// Extensions of audio files looked at (lower case).
pub const AUDIO_EXTENSIONS: [&str; 6] = ["wav", "wave", "aif", "aiff", "aifc", "flac"];

/// What one file is and whether the Octatrack can use it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AudioCheck {
    /// The file.
    pub path: PathBuf,
    /// Whether the Octatrack can load it as it is.
    pub usable: bool,
    /// Container (`WAV`, `AIFF`, `AIFF-C`, `FLAC`), when readable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Channels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channels: Option<u16>,
    /// Sample rate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sample_rate: Option<u32>,
    /// Bits per sample.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bits: Option<u16>,
    /// Whether samples are floating point.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub float: Option<bool>,
    /// Length in frames.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frames: Option<u64>,
    /// Why it cannot be used (empty when usable).
    pub reasons: Vec<String>,
}

/// Whether `path` has an audio extension (any case).
pub fn has_audio_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| AUDIO_EXTENSIONS.iter().any(|a| a.eq_ignore_ascii_case(e)))
}

/// Checks one file.
pub fn check_file(path: &Path) -> AudioCheck {
    let mut c = AudioCheck {
        path: path.to_path_buf(),
        usable: false,
        format: None,
        channels: None,
        sample_rate: None,
        bits: None,
        float: None,
        frames: None,
        reasons: Vec::new(),
    };
    let info = match probe(path) {
        Ok(i) => i,
        Err(e) => {
            let msg = match e {
                groovekit_audio::AudioError::Decode { message, .. } => message,
                other => other.to_string(),
            };
            c.reasons.push(format!("unreadable: {msg}"));
            return c;
        }
    };
    c.format = Some(info.container.name().to_string());
    c.channels = Some(info.channels);
    c.sample_rate = Some(info.sample_rate);
    c.bits = Some(info.valid_bits);
    c.float = Some(info.is_float());
    c.frames = Some(info.frames);
    match info.container {
        Container::Wav | Container::Aiff => {}
        Container::AiffC => {
            c.reasons.push("AIFF-C: the Octatrack reads plain AIFF and WAV; convert it".into());
        }
        Container::Flac => c.reasons.push("FLAC: the Octatrack reads WAV and AIFF; convert it".into()),
    }
    if info.sample_rate != OCTATRACK_RATE as u32 {
        c.reasons.push(format!("sample rate {} Hz: the Octatrack plays 44100 Hz", info.sample_rate));
    }
    match info.encoding {
        Encoding::Float { .. } => c.reasons.push(format!("{}-bit float: use 16- or 24-bit integer PCM", info.bits)),
        _ if !(info.bits == 16 || info.bits == 24) || info.valid_bits != info.bits => {
            c.reasons.push(format!("{}-bit: the Octatrack plays 16- or 24-bit", info.valid_bits));
        }
        _ => {}
    }
    if info.channels > 2 {
        c.reasons.push(format!("{} channels: the Octatrack plays mono or stereo", info.channels));
    }
    if info.frames == 0 {
        c.reasons.push("no audio (0 frames)".into());
    }
    c.usable = c.reasons.is_empty();
    c
}

/// Every file under `dir` with an audio extension, checked, sorted by path.
pub fn find_audio(dir: &Path) -> Result<Vec<AudioCheck>, std::io::Error> {
    if !dir.is_dir() {
        return Err(std::io::Error::new(std::io::ErrorKind::NotFound, format!("{} is not a folder", dir.display())));
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).follow_links(false).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(Path::to_path_buf).unwrap_or_else(|| dir.to_path_buf());
                if has_audio_extension(&path) {
                    out.push(AudioCheck {
                        path,
                        usable: false,
                        format: None,
                        channels: None,
                        sample_rate: None,
                        bits: None,
                        float: None,
                        frames: None,
                        reasons: vec![format!("unreadable: {e}")],
                    });
                }
                continue;
            }
        };
        if entry.file_type().is_file() && has_audio_extension(entry.path()) {
            out.push(check_file(entry.path()));
        }
    }
    Ok(out)
}
