//! A generated Octatrack Set for the Set index, the server's tests and `bench/serve` (issue 25):
//! `AUDIO/` with `files` small audio files of mixed formats (some the Octatrack cannot play, some
//! unreadable, some byte-identical copies of another), and 16 projects whose slots point at
//! files of the pool (and a few at files that do not exist), with bank 1 using some slots through
//! a part and a sample lock. The generator returns what it made, so tests compare the index with
//! it. Deterministic: the same arguments make the same bytes.
//!
//! Shared by `#[path]` (tests and the bench include this file), so it uses only std and
//! groovekit-octatrack.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use groovekit_octatrack::model::bank::Bank;
use groovekit_octatrack::model::project::{Project, SampleSlot, SlotType};
use groovekit_octatrack::raw::bank::PartCopy;
use groovekit_octatrack::raw::part::MachineType;

/// Number of projects.
pub const PROJECTS: usize = 16;
/// Static slots each project fills (Static 1..=64), then as many Flex slots.
pub const SLOTS_PER_POOL: usize = 64;
/// Missing files each project points at (Flex 100..).
pub const MISSING_PER_PROJECT: usize = 3;
/// Pool files each project's slots start from: project k uses files k*STRIDE .. k*STRIDE+128.
pub const STRIDE: usize = 200;

/// The kind of a generated file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// 16-bit 44.1 kHz WAV (mono or stereo): playable.
    Wav16,
    /// 24-bit 44.1 kHz WAV: playable.
    Wav24,
    /// 16-bit 44.1 kHz AIFF: playable.
    Aiff16,
    /// 16-bit 48 kHz WAV: not playable (rate).
    Wav48k,
    /// 32-bit float WAV: not playable.
    WavFloat,
    /// A file named .wav that is not audio: unreadable.
    Garbage,
}

/// One generated file.
#[derive(Debug, Clone)]
pub struct GenFile {
    /// Path from the Set, `/`-separated.
    pub name: String,
    /// What it is.
    pub kind: Kind,
    /// Frames written.
    pub frames: u32,
    /// Index of the file whose bytes it copies, if any.
    pub copy_of: Option<usize>,
    /// (project index, type, slot) of the slots that point at it.
    pub slots: Vec<(usize, SlotType, u16)>,
}

impl GenFile {
    /// Whether the Octatrack can play it.
    pub fn playable(&self) -> bool {
        matches!(self.kind, Kind::Wav16 | Kind::Wav24 | Kind::Aiff16)
    }
}

/// What [`generate`] made.
#[derive(Debug, Clone)]
pub struct GenSet {
    /// The Set's folder.
    pub root: PathBuf,
    /// Project names, `P01`..`P16`.
    pub projects: Vec<String>,
    /// Every pool file.
    pub files: Vec<GenFile>,
    /// Paths (from the Set) slots point at that do not exist, with (project, type, slot).
    pub missing: Vec<(String, usize, SlotType, u16)>,
    /// In every project's bank 1: part 1 track 1 is Static on slot 1 with trigs on pattern 1
    /// steps 1, 5, 9, 13; step 5 locks Static slot [`LOCKED_SLOT`].
    pub trig_steps: Vec<u8>,
}

/// The slot step 5 of bank 1 pattern 1 track 1 locks (Static).
pub const LOCKED_SLOT: u16 = 7;

fn wav_bytes(channels: u16, rate: u32, bits: u16, float: bool, frames: u32, seed: usize) -> Vec<u8> {
    let bytes_per = u32::from(bits / 8);
    let data_len = frames * u32::from(channels) * bytes_per;
    let mut v = Vec::with_capacity(44 + data_len as usize);
    v.extend_from_slice(b"RIFF");
    v.extend_from_slice(&(36 + data_len).to_le_bytes());
    v.extend_from_slice(b"WAVEfmt ");
    v.extend_from_slice(&16u32.to_le_bytes());
    v.extend_from_slice(&(if float { 3u16 } else { 1u16 }).to_le_bytes());
    v.extend_from_slice(&channels.to_le_bytes());
    v.extend_from_slice(&rate.to_le_bytes());
    v.extend_from_slice(&(rate * u32::from(channels) * bytes_per).to_le_bytes());
    v.extend_from_slice(&(channels * (bits / 8)).to_le_bytes());
    v.extend_from_slice(&bits.to_le_bytes());
    v.extend_from_slice(b"data");
    v.extend_from_slice(&data_len.to_le_bytes());
    for i in 0..frames as usize * usize::from(channels) {
        // A ramp, and a first sample that encodes the seed: no two files share their bytes by
        // accident (the ramp alone repeats every 2 000 seeds).
        let x = if i == 0 { seed as f32 / 10_000.0 } else { ((i * 37 + seed * 101) % 2000) as f32 / 1000.0 - 1.0 };
        match (float, bits) {
            (true, _) => v.extend_from_slice(&(x * 0.5).to_le_bytes()),
            (false, 24) => v.extend_from_slice(&((x * 4_000_000.0) as i32).to_le_bytes()[..3]),
            _ => v.extend_from_slice(&((x * 16_000.0) as i16).to_le_bytes()),
        }
    }
    v
}

fn aiff_bytes(frames: u32, seed: usize) -> Vec<u8> {
    let data_len = frames * 2;
    let mut v = Vec::new();
    v.extend_from_slice(b"FORM");
    v.extend_from_slice(&(4 + 26 + 16 + data_len).to_be_bytes());
    v.extend_from_slice(b"AIFFCOMM");
    v.extend_from_slice(&18u32.to_be_bytes());
    v.extend_from_slice(&1u16.to_be_bytes());
    v.extend_from_slice(&frames.to_be_bytes());
    v.extend_from_slice(&16u16.to_be_bytes());
    v.extend_from_slice(&groovekit_audio::pcm::u32_to_extended(44_100));
    v.extend_from_slice(b"SSND");
    v.extend_from_slice(&(8 + data_len).to_be_bytes());
    v.extend_from_slice(&[0; 8]);
    for i in 0..frames as usize {
        let x = if i == 0 { seed as f32 / 10_000.0 } else { ((i * 53 + seed * 97) % 2000) as f32 / 1000.0 - 1.0 };
        v.extend_from_slice(&((x * 16_000.0) as i16).to_be_bytes());
    }
    v
}

/// The kind of pool file `i`: every 10 files hold 6 16-bit WAVs, a 24-bit WAV, an AIFF, a 48 kHz
/// WAV and a float WAV; every 500th file is garbage.
fn kind_of(i: usize) -> Kind {
    if i % 500 == 499 {
        return Kind::Garbage;
    }
    match i % 10 {
        0..=5 => Kind::Wav16,
        6 => Kind::Wav24,
        7 => Kind::Aiff16,
        8 => Kind::Wav48k,
        _ => Kind::WavFloat,
    }
}

fn file_bytes(kind: Kind, frames: u32, seed: usize) -> Vec<u8> {
    match kind {
        Kind::Wav16 => wav_bytes(1 + (seed % 2) as u16, 44_100, 16, false, frames, seed),
        Kind::Wav24 => wav_bytes(2, 44_100, 24, false, frames, seed),
        Kind::Aiff16 => aiff_bytes(frames, seed),
        Kind::Wav48k => wav_bytes(1, 48_000, 16, false, frames, seed),
        Kind::WavFloat => wav_bytes(1, 44_100, 32, true, frames, seed),
        Kind::Garbage => format!("not audio {seed}").into_bytes(),
    }
}

fn write(path: &Path, bytes: &[u8]) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("create folder");
    }
    std::fs::write(path, bytes).expect("write generated file");
}

/// Writes a Set of `file_count` pool files (>= 3 400 so that every project's slots have files)
/// and 16 projects under `root`, `frames` frames per audio file.
pub fn generate(root: &Path, file_count: usize, frames: u32) -> GenSet {
    assert!(file_count >= PROJECTS * STRIDE + 2 * SLOTS_PER_POOL, "too few files for the slot layout");
    let mut files: Vec<GenFile> = (0..file_count)
        .map(|i| {
            let kind = kind_of(i);
            let ext = if kind == Kind::Aiff16 { "aif" } else { "wav" };
            // File 100k+1 is a byte copy of file 100k (a duplicate), when both are 16-bit WAVs.
            let copy_of = (i % 100 == 1 && kind_of(i - 1) == Kind::Wav16 && kind == Kind::Wav16).then(|| i - 1);
            GenFile { name: format!("AUDIO/dir{:02}/s{i:04}.{ext}", i / 100), kind, frames, copy_of, slots: Vec::new() }
        })
        .collect();
    for (i, f) in files.iter().enumerate() {
        let seed = f.copy_of.unwrap_or(i);
        write(&root.join(&f.name), &file_bytes(f.kind, frames, seed));
    }
    let mut missing = Vec::new();
    let mut projects = Vec::new();
    for k in 0..PROJECTS {
        let name = format!("P{:02}", k + 1);
        let dir = root.join(&name);
        let mut project = Project::new_default();
        for j in 0..2 * SLOTS_PER_POOL {
            let i = k * STRIDE + j;
            let (slot_type, slot) = if j < SLOTS_PER_POOL {
                (SlotType::Static, (j + 1) as u16)
            } else {
                (SlotType::Flex, (j - SLOTS_PER_POOL + 1) as u16)
            };
            let f = &mut files[i];
            project.set_sample(&SampleSlot::new(slot_type, slot, format!("../{}", f.name))).expect("slot");
            f.slots.push((k, slot_type, slot));
        }
        for m in 0..MISSING_PER_PROJECT {
            let slot = 100 + m as u16;
            let rel = format!("AUDIO/gone/{name}-{m}.wav");
            project.set_sample(&SampleSlot::new(SlotType::Flex, slot, format!("../{rel}"))).expect("slot");
            missing.push((rel, k, SlotType::Flex, slot));
        }
        write(&dir.join("project.work"), &project.to_bytes());
        let mut bank = Bank::new(1);
        let mut pt = bank.part_track(1, PartCopy::Working, 1).expect("part track");
        pt.set_machine(MachineType::Static);
        pt.static_slot = 1;
        bank.set_part_track(1, PartCopy::Working, 1, &pt).expect("part track");
        for s in [1u8, 5, 9, 13] {
            let mut st = bank.audio_step(1, 1, s).expect("step");
            st.trig = true;
            if s == 5 {
                st.set_sample_lock(Some(LOCKED_SLOT)).expect("lock");
            }
            bank.set_audio_step(1, 1, s, &st).expect("step");
        }
        write(&dir.join("bank01.work"), &bank.to_bytes());
        projects.push(name);
    }
    GenSet { root: root.to_path_buf(), projects, files, missing, trig_steps: vec![1, 5, 9, 13] }
}
