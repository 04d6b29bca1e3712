//! Chains, splits and grids against the fixture chain and the hats, and hand-made inputs.

use std::path::{Path, PathBuf};

use groovekit_audio::SampleFormat;
use groovekit_audio::pcm::{PcmReader, probe};
use groovekit_audio::write::{FileFormat, PcmWriter};
use groovekit_octatrack::model::sample_settings::{SampleSettings, Timestretch};
use groovekit_octatrack::ops::chain::{ChainConfig, ChainError, ChainJob, ChainOptions, plan, write_chains};
use groovekit_octatrack::ops::slices::{grid_linear, split};

fn ints(path: &Path) -> Vec<i32> {
    let mut r = PcmReader::open(path).unwrap();
    let mut all = Vec::new();
    let mut buf = Vec::new();
    while r.read_int(&mut buf, 4096).unwrap() > 0 {
        all.extend_from_slice(&buf);
    }
    all
}

fn hound_ints(path: &Path) -> Vec<i32> {
    hound::WavReader::open(path).unwrap().samples::<i32>().map(|s| s.unwrap()).collect()
}

fn write_pcm(path: &Path, kind: FileFormat, channels: u16, rate: u32, fmt: SampleFormat, data: &[i32]) {
    let mut w = PcmWriter::create(path, kind, channels, rate, fmt).unwrap();
    w.write_int(data, fmt.bits()).unwrap();
    w.finish().unwrap();
}

fn noise(n: usize, bits: u32, seed: u32) -> Vec<i32> {
    let mut x = seed;
    let max = 1i64 << (bits - 1);
    (0..n)
        .map(|_| {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            ((i64::from(x) % (2 * max)) - max) as i32
        })
        .collect()
}

fn job(name: &str, files: Vec<PathBuf>, out: &Path) -> ChainJob {
    ChainJob { name: name.into(), files, out_dir: out.to_path_buf(), options: ChainOptions::default() }
}

fn make(jobs: &[ChainJob]) -> Result<Vec<PathBuf>, ChainError> {
    let plans = plan(jobs)?;
    write_chains(&plans, &mut |_| {})
}

fn list(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|r| r.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn fixture_chain_splits_into_its_ten_slices_bit_exact() {
    let Some(fx) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "split fixture") else {
        return;
    };
    let wav = fx.join("octatrack/chain/sliced.wav");
    let settings = SampleSettings::from_bytes(&std::fs::read(fx.join("octatrack/chain/sliced.ot")).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let files = split(&wav, &settings, dir.path()).unwrap();
    assert_eq!(files.len(), 10);
    let source = hound_ints(&wav); // stereo, 55 897 frames
    assert_eq!(source.len(), 55_897 * 2);
    for (f, s) in files.iter().zip(&settings.slices) {
        assert_eq!(f.path.file_name().unwrap().to_string_lossy(), format!("sliced-{:02}.wav", f.slice));
        let want = &source[s.start as usize * 2..s.end as usize * 2];
        assert_eq!(hound_ints(&f.path), want, "slice {}", f.slice);
        let spec = hound::WavReader::open(&f.path).unwrap().spec();
        assert_eq!((spec.channels, spec.sample_rate, spec.bits_per_sample), (2, 44100, 16));
    }
    let total: u64 = files.iter().map(|f| f.frames).sum();
    assert_eq!(total, 55_897);
}

#[test]
fn hats_chain_resplits_to_the_inputs() {
    let Some(fx) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "hats chain") else {
        return;
    };
    let hats = groovekit_core::fixtures::files_under(&fx.join("audio/hats"), &|p| {
        p.extension().is_some_and(|e| e.eq_ignore_ascii_case("wav"))
    });
    assert_eq!(hats.len(), 10);
    let out = tempfile::tempdir().unwrap();
    let written = make(&[job("hats", hats.clone(), out.path())]).unwrap();
    assert_eq!(list(out.path()), vec!["hats.ot", "hats.wav"]);
    assert_eq!(written.len(), 2);
    let chain = out.path().join("hats.wav");
    let settings = SampleSettings::from_bytes(&std::fs::read(out.path().join("hats.ot")).unwrap()).unwrap();
    assert_eq!(settings.slices.len(), 10);
    assert_eq!(settings.timestretch, Timestretch::Normal);
    let frames: Vec<u64> = hats.iter().map(|h| probe(h).unwrap().frames).collect();
    let total: u64 = frames.iter().sum();
    assert_eq!(u64::from(settings.trim_end), total);
    // Back to back, frame exact.
    let mut at = 0u32;
    for (s, n) in settings.slices.iter().zip(&frames) {
        assert_eq!((s.start, s.end, s.loop_point), (at, at + *n as u32, None));
        at = s.end;
    }
    // The chain is the inputs' PCM concatenated (read with an independent reader).
    let concat: Vec<i32> = hats.iter().flat_map(|h| hound_ints(h)).collect();
    assert_eq!(hound_ints(&chain), concat);
    let resplit = tempfile::tempdir().unwrap();
    let files = split(&chain, &settings, resplit.path()).unwrap();
    for (f, h) in files.iter().zip(&hats) {
        assert_eq!(hound_ints(&f.path), hound_ints(h), "{}", h.display());
    }
}

#[test]
fn bar_lengths_mono_and_stereo_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    // Two inputs of 44 100 frames = 88 200 frames = exactly one bar at 120 BPM (4 beats of
    // 22 050 frames) → 100, for mono and for stereo alike (octatools writes 50 for stereo).
    for channels in [1u16, 2] {
        let a = dir.path().join(format!("a{channels}.wav"));
        let b = dir.path().join(format!("b{channels}.wav"));
        write_pcm(
            &a,
            FileFormat::Wav,
            channels,
            44100,
            SampleFormat::Int16,
            &noise(44_100 * usize::from(channels), 16, 1),
        );
        write_pcm(
            &b,
            FileFormat::Wav,
            channels,
            44100,
            SampleFormat::Int16,
            &noise(44_100 * usize::from(channels), 16, 2),
        );
        let out = dir.path().join(format!("out{channels}"));
        make(&[job("c", vec![a, b], &out)]).unwrap();
        let s = SampleSettings::from_bytes(&std::fs::read(out.join("c.ot")).unwrap()).unwrap();
        assert_eq!((s.trim_length_x100, s.loop_length_x100, s.trim_end), (100, 100, 88_200), "{channels} ch");
    }
    // 33 075 frames at 100 BPM: 100 × 33 075 / 2 646 000 = 1.25 beats → 1 beat → 25.
    let c = dir.path().join("short.wav");
    write_pcm(&c, FileFormat::Wav, 2, 44100, SampleFormat::Int16, &noise(33_075 * 2, 16, 3));
    let out = dir.path().join("out-short");
    let mut j = job("s", vec![c], &out);
    j.options.tempo_x24 = 100 * 24;
    make(&[j]).unwrap();
    let s = SampleSettings::from_bytes(&std::fs::read(out.join("s.ot")).unwrap()).unwrap();
    assert_eq!((s.tempo_x24, s.trim_length_x100), (2400, 25));
}

#[test]
fn aiff_24_bit_and_mono_inputs_mix_into_a_stereo_24_bit_chain() {
    let dir = tempfile::tempdir().unwrap();
    let mono16 = noise(1000, 16, 4);
    let stereo24 = noise(700 * 2, 24, 5);
    let mono24_aiff = noise(300, 24, 6);
    let a = dir.path().join("a.wav");
    let b = dir.path().join("b.aif");
    let c = dir.path().join("c.aiff");
    write_pcm(&a, FileFormat::Wav, 1, 44100, SampleFormat::Int16, &mono16);
    write_pcm(&b, FileFormat::Aiff, 2, 44100, SampleFormat::Int24, &stereo24);
    write_pcm(&c, FileFormat::Aiff, 1, 44100, SampleFormat::Int24, &mono24_aiff);
    let out = dir.path().join("out");
    make(&[job("mix", vec![a, b, c], &out)]).unwrap();
    let chain = out.join("mix.wav");
    let info = probe(&chain).unwrap();
    assert_eq!((info.channels, info.bits, info.frames), (2, 24, 2000));
    let got = ints(&chain);
    let mut want: Vec<i32> = mono16.iter().flat_map(|&v| [v << 8, v << 8]).collect();
    want.extend_from_slice(&stereo24);
    want.extend(mono24_aiff.iter().flat_map(|&v| [v, v]));
    assert_eq!(got, want);
    // And the same inputs as an AIFF chain at 24 bits.
    let out2 = dir.path().join("out2");
    let mut j = job("mix", vec![dir.path().join("a.wav"), dir.path().join("b.aif"), dir.path().join("c.aiff")], &out2);
    j.options.format = FileFormat::Aiff;
    make(&[j]).unwrap();
    assert_eq!(list(&out2), vec!["mix.aif", "mix.ot"]);
    assert_eq!(ints(&out2.join("mix.aif")), want);
}

#[test]
fn more_than_64_inputs_make_numbered_chains() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = (0..65)
        .map(|i| {
            let p = dir.path().join(format!("in{i:02}.wav"));
            write_pcm(&p, FileFormat::Wav, 1, 44100, SampleFormat::Int16, &noise(10 + i, 16, i as u32));
            p
        })
        .collect();
    let out = dir.path().join("out");
    make(&[job("big", files, &out)]).unwrap();
    assert_eq!(list(&out), vec!["big-1.ot", "big-1.wav", "big-2.ot", "big-2.wav"]);
    let s1 = SampleSettings::from_bytes(&std::fs::read(out.join("big-1.ot")).unwrap()).unwrap();
    let s2 = SampleSettings::from_bytes(&std::fs::read(out.join("big-2.ot")).unwrap()).unwrap();
    assert_eq!((s1.slices.len(), s2.slices.len()), (64, 1));
    assert_eq!(s2.slices[0].len(), 74);
}

#[test]
fn bad_inputs_are_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.wav");
    write_pcm(&good, FileFormat::Wav, 2, 44100, SampleFormat::Int16, &noise(200, 16, 7));
    let garbage = dir.path().join("garbage.wav");
    std::fs::write(&garbage, b"this is not audio at all").unwrap();
    let truncated = dir.path().join("truncated.wav");
    let bytes = std::fs::read(&good).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() - 101]).unwrap();
    let empty = dir.path().join("empty.wav");
    write_pcm(&empty, FileFormat::Wav, 2, 44100, SampleFormat::Int16, &[]);
    let zero_bytes = dir.path().join("zero.wav");
    std::fs::write(&zero_bytes, b"").unwrap();
    let rate48 = dir.path().join("rate48.wav");
    write_pcm(&rate48, FileFormat::Wav, 2, 48000, SampleFormat::Int16, &noise(200, 16, 8));
    let missing = dir.path().join("missing.wav");
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let cases: [(&Path, &str); 6] = [
        (&garbage, "not a WAV, AIFF or FLAC"),
        (&truncated, "truncated"),
        (&empty, "0 frames"),
        (&zero_bytes, "empty file"),
        (&rate48, "48000 Hz"),
        (&missing, "missing.wav"),
    ];
    for (bad, want) in cases {
        let e = make(&[job("c", vec![good.clone(), bad.to_path_buf()], &out)]).unwrap_err().to_string();
        assert!(e.contains(want) && e.contains("nothing was written"), "{}: {e}", bad.display());
        assert!(e.contains(&*bad.file_name().unwrap().to_string_lossy()), "{e}");
        assert!(list(&out).is_empty(), "{:?}", list(&out));
    }
    // All problems at once.
    let e = make(&[job("c", vec![garbage.clone(), rate48.clone()], &out)]).unwrap_err().to_string();
    assert!(e.contains("2 input(s)"), "{e}");
    // Too many files: refused from the count alone.
    let many = vec![good.clone(); 64 * 999 + 1];
    let e = make(&[job("c", many, &out)]).unwrap_err().to_string();
    assert!(e.contains("63936"), "{e}");
    // An output "folder" that is a file.
    let blocker = dir.path().join("blocker");
    std::fs::write(&blocker, b"x").unwrap();
    let e = make(&[job("c", vec![good.clone()], &blocker)]).unwrap_err().to_string();
    assert!(e.contains("not a folder"), "{e}");
    let e = make(&[job("c", vec![good.clone()], &blocker.join("sub"))]).unwrap_err().to_string();
    assert!(e.contains("cannot create"), "{e}");
    assert!(list(&out).is_empty());
    // With --resample the 48 kHz input is converted: 100 frames → round(91.875) = 92 at 44.1 kHz.
    let mut j = job("r", vec![good.clone(), rate48.clone()], &out);
    j.options.resample = true;
    make(&[j]).unwrap();
    let s = SampleSettings::from_bytes(&std::fs::read(out.join("r.ot")).unwrap()).unwrap();
    assert_eq!(s.slices[1].len(), 92);
    assert_eq!(probe(&out.join("r.wav")).unwrap().frames, 100 + 92);
}

#[test]
fn config_batch_applies_defaults_and_overrides() {
    let dir = tempfile::tempdir().unwrap();
    for n in ["a", "b"] {
        write_pcm(
            &dir.path().join(format!("{n}.wav")),
            FileFormat::Wav,
            1,
            44100,
            SampleFormat::Int16,
            &noise(1000, 16, 9),
        );
    }
    let cfg = "output: out\ndefaults:\n  bpm: 90\n  timestretch: off\nchains:\n  - name: one\n    files: [a.wav, b.wav]\n    options:\n      gain_db: -6\n      trig_quantization: 16\n      bit_depth: 24\n      fade_in: 10\n      normalize: true\n  - name: two\n    files: [b.wav]\n";
    let jobs = ChainConfig::jobs(cfg, dir.path(), None).unwrap();
    make(&jobs).unwrap();
    let out = dir.path().join("out");
    assert_eq!(list(&out), vec!["one.ot", "one.wav", "two.ot", "two.wav"]);
    let one = SampleSettings::from_bytes(&std::fs::read(out.join("one.ot")).unwrap()).unwrap();
    assert_eq!((one.tempo_x24, one.gain, one.timestretch), (90 * 24, 36, Timestretch::Off));
    assert_eq!(one.trig_quant.to_raw(), Some(8));
    let info = probe(&out.join("one.wav")).unwrap();
    assert_eq!(info.bits, 24);
    let samples = ints(&out.join("one.wav"));
    assert_eq!(samples[0], 0, "fade in starts at silence");
    let peak = samples.iter().map(|v| v.unsigned_abs()).max().unwrap();
    assert!(peak >= 8_388_000, "normalised peak {peak}");
    let two = SampleSettings::from_bytes(&std::fs::read(out.join("two.ot")).unwrap()).unwrap();
    assert_eq!((two.tempo_x24, two.gain), (90 * 24, 48));
    // Typos are refused.
    let e = ChainConfig::jobs("chains:\n  - name: x\n    files: []\n    bmp: 3\n", dir.path(), Some(&out)).unwrap_err();
    assert!(e.to_string().contains("bmp"), "{e}");
}

#[test]
fn linear_grid_on_a_fixture_length() {
    let g = grid_linear(55_897, 10).unwrap();
    assert_eq!(g.len(), 10);
    assert_eq!(g[9].end, 55_897);
    assert_eq!(g[0].len(), 5589);
}

#[test]
fn split_refuses_slices_outside_the_audio_before_writing() {
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("c.aif");
    let data = noise(300 * 2, 24, 11);
    write_pcm(&wav, FileFormat::Aiff, 2, 44100, SampleFormat::Int24, &data);
    let out = dir.path().join("parts");
    let mut s = SampleSettings { slices: grid_linear(300, 3).unwrap(), ..Default::default() };
    s.slices[2].end = 301;
    let e = split(&wav, &s, &out).unwrap_err().to_string();
    assert!(e.contains("slice 3") && e.contains("300 frames"), "{e}");
    assert!(!out.exists());
    // A valid grid splits an AIFF 24-bit chain into 24-bit WAVs with the same samples.
    s.slices[2].end = 300;
    let files = split(&wav, &s, &out).unwrap();
    assert_eq!(list(&out), vec!["c-01.wav", "c-02.wav", "c-03.wav"]);
    let back: Vec<i32> = files.iter().flat_map(|f| ints(&f.path)).collect();
    assert_eq!(back, data);
    assert_eq!(probe(&files[0].path).unwrap().bits, 24);
}
