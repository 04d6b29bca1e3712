//! Shared by the route tests and the browser test: a Set made of a copy of the real-device
//! project with generated WAVs at its slot paths, and request helpers.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use groovekit_octatrack::ops::project_dir::ProjectDir;
use groovekit_serve::App;
use groovekit_serve::http::{Request, Response};

/// The address the route tests pretend to serve on (no socket is opened).
pub const ADDR: &str = "127.0.0.1:7777";
/// Its Host header.
pub const HOST: &str = "127.0.0.1:7777";

/// A 16-bit stereo 44.1 kHz WAV of `frames` frames (a quiet saw, so peaks are not flat).
pub fn wav(frames: u32) -> Vec<u8> {
    let data_len = frames * 4;
    let mut v = Vec::new();
    v.extend_from_slice(b"RIFF");
    v.extend_from_slice(&(36 + data_len).to_le_bytes());
    v.extend_from_slice(b"WAVEfmt ");
    v.extend_from_slice(&16u32.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&2u16.to_le_bytes());
    v.extend_from_slice(&44_100u32.to_le_bytes());
    v.extend_from_slice(&(44_100u32 * 4).to_le_bytes());
    v.extend_from_slice(&4u16.to_le_bytes());
    v.extend_from_slice(&16u16.to_le_bytes());
    v.extend_from_slice(b"data");
    v.extend_from_slice(&data_len.to_le_bytes());
    for i in 0..frames {
        let s = (((i % 100) as i32 - 50) * 200) as i16;
        v.extend_from_slice(&s.to_le_bytes());
        v.extend_from_slice(&s.to_le_bytes());
    }
    v
}

/// `SET/REAL` (a copy of `octatrack/real-device`), `SET/OTHER` (a copy of the blank project) and
/// `SET/AUDIO` holding a one-second WAV at every path the real project's slots name. `None`
/// (skip) when the fixtures are absent.
pub fn real_device_set(tmp: &Path) -> Option<PathBuf> {
    let corpus = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "groovekit-serve")?;
    let fx = corpus.join("octatrack/real-device");
    let blank = corpus.join("octatrack/blank-project");
    let set = tmp.join("SET");
    for (from, name) in [(&fx, "REAL"), (&blank, "OTHER")] {
        let dir = set.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        for e in std::fs::read_dir(from).unwrap().flatten() {
            std::fs::write(dir.join(e.file_name()), std::fs::read(e.path()).unwrap()).unwrap();
        }
    }
    std::fs::create_dir_all(set.join("AUDIO")).unwrap();
    let p = ProjectDir::open(&set.join("REAL")).unwrap();
    for s in p.project.samples() {
        if let Some(path) = p.sample_path(&s) {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, wav(44_100)).unwrap();
        }
    }
    Some(set)
}

/// An application serving `roots` (no socket).
pub fn app(roots: &[PathBuf], edits: bool) -> App {
    App::new(roots, ADDR.parse().unwrap(), edits).unwrap()
}

/// GET with the right Host.
pub fn get(app: &App, target: &str) -> Response {
    app.handle(&Request::new("GET", target).header("Host", HOST))
}

/// POST JSON with the right Host and Origin, and the token when given.
pub fn post(app: &App, target: &str, body: &serde_json::Value, token: Option<&str>) -> Response {
    let mut r = Request::new("POST", target)
        .header("Host", HOST)
        .header("Origin", &format!("http://{HOST}"))
        .header("Content-Type", "application/json")
        .body(body.to_string());
    if let Some(t) = token {
        r = r.header("X-Groovekit-Token", t);
    }
    app.handle(&r)
}

/// The JSON of a response.
pub fn json(r: &Response) -> serde_json::Value {
    serde_json::from_slice(r.bytes()).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.text()))
}

/// The first slot file of the real project, as a path under the Set.
pub fn first_sample(set: &Path) -> String {
    let p = ProjectDir::open(&set.join("REAL")).unwrap();
    let s = p.project.samples().into_iter().find(|s| !s.path.is_empty()).unwrap();
    let f = groovekit_octatrack::ops::project_dir::normalize(&p.sample_path(&s).unwrap());
    let set = set.canonicalize().unwrap();
    f.strip_prefix(&set)
        .unwrap()
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// The audio steps (track 1-8, step 1-64) holding a trig in bank 1 pattern 1 of a project,
/// read from the raw trig masks.
pub fn raw_trigs(project: &Path, pattern: usize) -> Vec<(u8, u8)> {
    let bank =
        groovekit_octatrack::raw::bank::Bank::read(&std::fs::read(project.join("bank01.work")).unwrap()).unwrap();
    let pat = bank.pattern(pattern - 1);
    let mut out = Vec::new();
    for t in 0..8 {
        let mask = pat.audio_track(t).trigs();
        for s in 0..64 {
            if mask & (1u64 << s) != 0 {
                out.push((t as u8 + 1, s as u8 + 1));
            }
        }
    }
    out
}

/// Writes the interleaved integer frames `data` (`bits` deep: 16 or 24) to an AIFF at `path`
/// through groovekit-audio's writer.
pub fn write_aiff(path: &Path, channels: u16, rate: u32, bits: u16, data: &[i32]) {
    use groovekit_audio::SampleFormat;
    use groovekit_audio::write::{FileFormat, PcmWriter};
    let format = if bits == 24 { SampleFormat::Int24 } else { SampleFormat::Int16 };
    let mut w = PcmWriter::create(path, FileFormat::Aiff, channels, rate, format).unwrap();
    w.write_int(data, bits).unwrap();
    w.finish().unwrap();
}

/// Every sample of a WAV or AIFF file as integers at its depth (groovekit-audio's reader).
pub fn read_ints(path: &Path) -> Vec<i32> {
    let mut r = groovekit_audio::pcm::PcmReader::open(path).unwrap();
    let (mut all, mut buf) = (Vec::new(), Vec::new());
    while r.read_int(&mut buf, 4096).unwrap() > 0 {
        all.extend_from_slice(&buf);
    }
    all
}

/// `SET/AUDIO/chain.aif`: the demo Set's device-sliced `chain.wav` as a 16-bit AIFF, with its
/// `.ot` (slices) beside it, as the Octatrack keeps an AIFF sample. Returns its path under the
/// Set.
pub fn aiff_chain(set: &Path) -> String {
    let corpus = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "aiff chain").unwrap();
    let demo = corpus.join("octatrack/demo-set/DEMO-SET-1/AUDIO");
    let wav = demo.join("chain.wav");
    let info = groovekit_audio::pcm::probe(&wav).unwrap();
    write_aiff(&set.join("AUDIO/chain.aif"), info.channels, info.sample_rate, info.bits, &read_ints(&wav));
    std::fs::copy(demo.join("chain.ot"), set.join("AUDIO/chain.ot")).unwrap();
    "AUDIO/chain.aif".into()
}
