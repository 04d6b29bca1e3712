//! Reading every supported container, checked against independent readers and writers (hound,
//! aifc, a FLAC made by an external encoder) and the fixture corpus.

use std::path::{Path, PathBuf};

use groovekit_audio::SampleFormat;
use groovekit_audio::pcm::{Container, PcmReader, probe};
use groovekit_audio::read::{read_audio, read_audio_bytes};
use groovekit_audio::write::{FileFormat, PcmWriter};

fn ramp(frames: usize, channels: usize, bits: u32) -> Vec<i32> {
    let max = (1i64 << (bits - 1)) - 1;
    (0..frames * channels)
        .map(|i| {
            let x = (i as i64 * 2_654_435_761) % (2 * max + 1) - max;
            x as i32
        })
        .collect()
}

fn read_ints(path: &Path) -> Vec<i32> {
    let mut r = PcmReader::open(path).unwrap();
    let mut all = Vec::new();
    let mut buf = Vec::new();
    while r.read_int(&mut buf, 1000).unwrap() > 0 {
        all.extend_from_slice(&buf);
    }
    all
}

fn hats() -> Option<Vec<PathBuf>> {
    let dir = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "hats")?;
    Some(groovekit_core::fixtures::files_under(&dir.join("audio/hats"), &|p| {
        p.extension().is_some_and(|e| e.eq_ignore_ascii_case("wav"))
    }))
}

#[test]
fn fixture_wavs_match_hound() {
    let Some(files) = hats() else { return };
    assert_eq!(files.len(), 10);
    for f in files {
        let want: Vec<i32> = hound::WavReader::open(&f).unwrap().samples::<i32>().map(|s| s.unwrap()).collect();
        assert_eq!(read_ints(&f), want, "{}", f.display());
        let d = read_audio(&f).unwrap();
        assert_eq!((d.channels, d.sample_rate, d.source_bits), (2, 44100, 16));
        let scaled: Vec<f32> = want.iter().map(|&v| v as f32 / 32768.0).collect();
        assert_eq!(d.samples, scaled);
    }
}

#[test]
fn fixture_24_bit_48k_extensible_or_plain() {
    let Some(dir) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "24-bit asset") else {
        return;
    };
    let f = dir.join("track/assets/hihat.wav");
    if !f.exists() {
        return;
    }
    let info = probe(&f).unwrap();
    assert_eq!((info.channels, info.sample_rate, info.bits, info.frames), (2, 48000, 24, 3840));
    let want: Vec<i32> = hound::WavReader::open(&f).unwrap().samples::<i32>().map(|s| s.unwrap()).collect();
    assert_eq!(read_ints(&f), want);
}

#[test]
fn fixture_aiff_matches_aifc() {
    let Some(dir) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "opz aiff") else {
        return;
    };
    let files = groovekit_core::fixtures::files_under(&dir.join("opz/samplepacks"), &|p| {
        p.extension().is_some_and(|e| e.eq_ignore_ascii_case("aif"))
    });
    assert!(!files.is_empty());
    for f in files {
        let info = probe(&f).unwrap();
        assert!(matches!(info.container, Container::Aiff | Container::AiffC));
        let mut r = aifc::AifcReader::new(std::io::BufReader::new(std::fs::File::open(&f).unwrap())).unwrap();
        let want: Vec<i32> = r
            .samples()
            .unwrap()
            .map(|s| match s.unwrap() {
                aifc::Sample::I16(v) => i32::from(v),
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        assert_eq!(info.frames as usize * usize::from(info.channels), want.len());
        assert_eq!(read_ints(&f), want, "{}", f.display());
    }
}

#[test]
fn own_writers_round_trip_bit_exact() {
    let dir = tempfile::tempdir().unwrap();
    for kind in [FileFormat::Wav, FileFormat::Aiff] {
        for (fmt, bits) in [(SampleFormat::Int16, 16), (SampleFormat::Int24, 24)] {
            for channels in [1u16, 2] {
                let p = dir.path().join(format!("x{bits}-{channels}.{}", kind.extension()));
                let data = ramp(1001, usize::from(channels), bits);
                let mut w = PcmWriter::create(&p, kind, channels, 44100, fmt).unwrap();
                w.write_int(&data, bits as u16).unwrap();
                assert_eq!(w.finish().unwrap().frames, 1001);
                let info = probe(&p).unwrap();
                assert_eq!(
                    (info.channels, info.bits, info.frames, info.sample_rate),
                    (channels, bits as u16, 1001, 44100)
                );
                assert_eq!(read_ints(&p), data, "{kind:?} {bits} {channels}");
                if kind == FileFormat::Aiff {
                    // An independent reader agrees.
                    let mut r = aifc::AifcReader::new(std::fs::File::open(&p).unwrap()).unwrap();
                    let n = r.samples().unwrap().count();
                    assert_eq!(n, data.len());
                }
            }
        }
        // 32-bit float.
        let p = dir.path().join(format!("f.{}", kind.extension()));
        // 38 samples: two 16-lane blocks and a remainder; beyond-full-scale values are kept,
        // non-finite ones written as silence and counted.
        let mut data: Vec<f32> = (0..38).map(|i| (i as f32 - 19.0) / 10.0).collect();
        data[3] = f32::NAN;
        data[20] = f32::INFINITY;
        data[37] = f32::NEG_INFINITY;
        let mut w = PcmWriter::create(&p, kind, 2, 44100, SampleFormat::Float32).unwrap();
        w.write_f32(&data).unwrap();
        let stats = w.finish().unwrap();
        assert_eq!((stats.frames, stats.non_finite, stats.clipped, stats.peak), (19, 3, 0, 1.9));
        assert!(probe(&p).unwrap().is_float());
        let want: Vec<f32> = data.iter().map(|&x| if x.is_finite() { x } else { 0.0 }).collect();
        assert_eq!(read_audio(&p).unwrap().samples, want);
    }
}

#[test]
fn aifc_sowt_none_and_float_written_by_the_aifc_crate() {
    let dir = tempfile::tempdir().unwrap();
    let data16: Vec<i16> = ramp(300, 2, 16).into_iter().map(|v| v as i16).collect();
    let data24 = ramp(300, 2, 24);
    let cases: [(aifc::FileFormat, aifc::SampleFormat, &str); 4] = [
        (aifc::FileFormat::Aifc, aifc::SampleFormat::I16LE, "sowt16"),
        (aifc::FileFormat::Aifc, aifc::SampleFormat::I16, "none16"),
        (aifc::FileFormat::Aifc, aifc::SampleFormat::I24, "none24"),
        (aifc::FileFormat::Aiff, aifc::SampleFormat::I24, "aiff24"),
    ];
    for (ff, sf, name) in cases {
        let p = dir.path().join(format!("{name}.aifc"));
        let info = aifc::AifcWriteInfo { file_format: ff, channels: 2, sample_rate: 44100.0, sample_format: sf };
        let mut w = aifc::AifcWriter::new(std::io::BufWriter::new(std::fs::File::create(&p).unwrap()), &info).unwrap();
        if name.ends_with("16") {
            w.write_samples_i16(&data16).unwrap();
        } else {
            w.write_samples_i24(&data24).unwrap();
        }
        w.finalize().unwrap();
        drop(w);
        let got = read_ints(&p);
        if name.ends_with("16") {
            assert_eq!(got, data16.iter().map(|&v| i32::from(v)).collect::<Vec<_>>(), "{name}");
        } else {
            assert_eq!(got, data24, "{name}");
        }
        let d = read_audio(&p).unwrap();
        assert_eq!((d.channels, d.sample_rate, d.frames()), (2, 44100, 300));
    }
    let p = dir.path().join("f32.aifc");
    let info = aifc::AifcWriteInfo { sample_format: aifc::SampleFormat::F32, ..Default::default() };
    let mut w = aifc::AifcWriter::new(std::fs::File::create(&p).unwrap(), &info).unwrap();
    w.write_samples_f32(&[0.5, -0.25]).unwrap();
    w.finalize().unwrap();
    drop(w);
    assert_eq!(read_audio(&p).unwrap().samples, vec![0.5, -0.25]);
}

/// Builds a WAV by hand: `tag`, bits, optional EXTENSIBLE sub-format.
fn wav_bytes(tag: u16, channels: u16, bits: u16, data: &[u8], extensible: bool) -> Vec<u8> {
    let mut fmt = Vec::new();
    let align = channels * bits.div_ceil(8);
    fmt.extend_from_slice(&(if extensible { 0xFFFE } else { tag }).to_le_bytes());
    fmt.extend_from_slice(&channels.to_le_bytes());
    fmt.extend_from_slice(&44100u32.to_le_bytes());
    fmt.extend_from_slice(&(44100 * u32::from(align)).to_le_bytes());
    fmt.extend_from_slice(&align.to_le_bytes());
    fmt.extend_from_slice(&bits.to_le_bytes());
    if extensible {
        fmt.extend_from_slice(&22u16.to_le_bytes());
        fmt.extend_from_slice(&bits.to_le_bytes());
        fmt.extend_from_slice(&3u32.to_le_bytes());
        fmt.extend_from_slice(&tag.to_le_bytes());
        fmt.extend_from_slice(&[0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71]);
    }
    let mut v = b"RIFF\0\0\0\0WAVE".to_vec();
    // An unknown chunk before fmt, with an odd size, to exercise chunk walking and padding.
    v.extend_from_slice(b"junk");
    v.extend_from_slice(&3u32.to_le_bytes());
    v.extend_from_slice(&[1, 2, 3, 0]);
    v.extend_from_slice(b"fmt ");
    v.extend_from_slice(&(fmt.len() as u32).to_le_bytes());
    v.extend_from_slice(&fmt);
    v.extend_from_slice(b"data");
    v.extend_from_slice(&(data.len() as u32).to_le_bytes());
    v.extend_from_slice(data);
    let n = (v.len() - 8) as u32;
    v[4..8].copy_from_slice(&n.to_le_bytes());
    v
}

#[test]
fn hand_made_wav_variants() {
    let name = Path::new("mem.wav");
    // 8-bit unsigned: 0 → -1.0, 128 → 0, 255 → 127/128.
    let d = read_audio_bytes(&wav_bytes(1, 1, 8, &[0, 128, 255], false), name).unwrap();
    assert_eq!(d.samples, vec![-1.0, 0.0, 127.0 / 128.0]);
    // 32-bit integer PCM.
    let d = read_audio_bytes(&wav_bytes(1, 1, 32, &i32::MIN.to_le_bytes(), false), name).unwrap();
    assert_eq!(d.samples, vec![-1.0]);
    // Float, plain and EXTENSIBLE; 24-bit EXTENSIBLE.
    for ext in [false, true] {
        let d = read_audio_bytes(
            &wav_bytes(3, 2, 32, &[0.5f32.to_le_bytes(), (-2.0f32).to_le_bytes()].concat(), ext),
            name,
        )
        .unwrap();
        assert_eq!(d.samples, vec![0.5, -2.0]);
        let d = read_audio_bytes(&wav_bytes(1, 1, 24, &[0x00, 0x00, 0x40, 0xFF, 0xFF, 0xFF], ext), name).unwrap();
        assert_eq!(d.samples, vec![0.5, -1.0 / 8_388_608.0]);
        assert_eq!(d.source_bits, 24);
    }
    // 64-bit float.
    let d = read_audio_bytes(&wav_bytes(3, 1, 64, &0.125f64.to_le_bytes(), false), name).unwrap();
    assert_eq!(d.samples, vec![0.125]);
}

#[test]
fn flac_from_an_external_encoder() {
    // 88 stereo frames of two sines, encoded by libFLAC 1.4.2 (via sox); TONE_RAW is sox's
    // decode of the same file as 16-bit little-endian PCM.
    let flac = hex(FLAC_HEX);
    let raw = hex(TONE_RAW_HEX);
    let d = read_audio_bytes(&flac, Path::new("t.flac")).unwrap();
    assert_eq!((d.channels, d.sample_rate, d.source_bits, d.frames()), (2, 44100, 16, 88));
    let want: Vec<f32> = raw.chunks_exact(2).map(|c| f32::from(i16::from_le_bytes([c[0], c[1]])) / 32768.0).collect();
    assert_eq!(d.samples, want);
    let info = groovekit_audio::pcm::probe_reader(&mut std::io::Cursor::new(&flac), flac.len() as u64, Path::new("t"))
        .unwrap();
    assert_eq!((info.container, info.frames, info.valid_bits), (Container::Flac, 88, 16));
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("looks-like.wav"); // content wins over the extension
    std::fs::write(&p, &flac).unwrap();
    assert_eq!(read_audio(&p).unwrap().samples, want);
}

#[test]
fn bad_input_errors_never_panic() {
    let name = Path::new("bad.wav");
    let e = read_audio_bytes(&[], name).unwrap_err().to_string();
    assert!(e.contains("empty"), "{e}");
    let e = read_audio_bytes(b"hello world, not audio", name).unwrap_err().to_string();
    assert!(e.contains("not a WAV, AIFF or FLAC"), "{e}");
    let good = wav_bytes(1, 2, 16, &[1, 2, 3, 4, 5, 6, 7, 8], false);
    let e = read_audio_bytes(&good[..good.len() - 3], name).unwrap_err().to_string();
    assert!(e.contains("truncated"), "{e}");
    // Every truncation and a deterministic set of byte mutations: errors or values, no panic.
    let mut seeds = vec![good.clone(), hex(FLAC_HEX)];
    let dir = tempfile::tempdir().unwrap();
    let ap = dir.path().join("a.aif");
    let mut w = PcmWriter::create(&ap, FileFormat::Aiff, 2, 44100, SampleFormat::Int24).unwrap();
    w.write_int(&ramp(20, 2, 24), 24).unwrap();
    w.finish().unwrap();
    seeds.push(std::fs::read(&ap).unwrap());
    let mut x: u32 = 7;
    for seed in &seeds {
        for cut in 0..seed.len() {
            let _ = read_audio_bytes(&seed[..cut], name);
        }
        for _ in 0..600 {
            let mut m = seed.clone();
            for _ in 0..3 {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                let at = (x >> 8) as usize % m.len();
                m[at] = (x >> 24) as u8;
            }
            let _ = read_audio_bytes(&m, name);
        }
    }
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len() / 2).map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap()).collect()
}

const FLAC_HEX: &str = "664c614300000022100010000000bf0000bf0ac442f0000000582a0ea98628d8dd2378fc0b86439f70ad84000044200000007265666572656e6365206c6962464c414320312e342e322032303232313032320100000018000000436f6d6d656e743d50726f63657373656420627920536f58fff8699800571616001a81938193c0300c6680632a077310412d1e4b4ee724d3f4d3b72342d179d8944476765a6ee0a923a619887859515edbc9a412c94c9e5926915c48bfdc70a0c1b782d7c40586a5c2a321995042fc225e10a39cb796165f1fd40a749ed47585116003506580ce309c4190844b69d6c26aac17e9c51fb78e767dc5dd450a25ba5b2c224153099644d74a45ab31c4114e2d62512102173489ae92db10d5a6a355c19f87f4457586d667f7223b63ead33faff0ef19c06212";

const TONE_RAW_HEX: &str = "6a003500a60c58068119e30c47251413ce306d19df3a691f31447525b24b1b2b1452bc306b56ed355c59063b2a5aa73f70591e44a05619484e52d34b1a4c134f8a4400526f3b725440318556f8251b58ff194859710dfb59a6003d5ad3f3085a3fe75e592fdb4258d9cfaf5684c5b15454bc3f5290b4694f45ae244cb1a98448cea67f44c9a5284088a6763b26a97e367aad393185b3b92b13bbfd250ec412203bcefb196ed9c41366e5730deaf11007b7fea500890b38fa2318d4f33b247ced9b2f41e7ff3922e13e432fdb154b68d57451ddcf1e568aca175984c5355ac2c08c5959bc075742b8c7528eb4d34c37b1554549ae6d3cc4ab4c32ada92a2707a8331bd0a6bb0e12a6e901c2a520f5f0a576e888a664dca2a7e9d01ea989c61eab27bd76ad50b552b0c9ae7bb31eaa24b7f7a60dbbd9a56fbf53a606c4d9a808c9ecac36cee1b2bdd33aba69d91dc357df2ccd67e53cd897eb46e4f6f16df030f8";

/// A file that is no audio is named as such, with its first bytes as text, and no device is
/// blamed (the audio crate serves OP-Z kits and .track assets as well as Octatrack chains).
#[test]
fn a_text_file_is_not_audio_and_the_message_names_no_device() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("notes.wav");
    std::fs::write(&p, b"hello, not audio\n").unwrap();
    let e = probe(&p).unwrap_err().to_string();
    assert!(e.contains("not a WAV, AIFF or FLAC file") && e.contains("\"hell\""), "{e}");
    assert!(!e.contains("Octatrack"), "{e}");
}

/// Issue 23, item 7: every header error names its byte offset (about 377 of a hostile-file
/// campaign's errors named none). Hand-made damage to a fixture WAV, a fixture AIFF and the FLAC
/// above, then every truncation and a deterministic set of mutations of their headers: each error
/// of the header reader says "byte".
#[test]
fn header_errors_name_their_byte_offset() {
    let Some(wavs) = hats() else { return };
    let Some(dir) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "header offsets") else {
        return;
    };
    let aiff = std::fs::read(dir.join("opz/samplepacks/kick-combo_patch.aif")).unwrap();
    let wav = std::fs::read(&wavs[0]).unwrap();
    let flac = hex(FLAC_HEX);
    let name = Path::new("x");
    let probe_err = |b: &[u8]| {
        groovekit_audio::pcm::probe_reader(&mut std::io::Cursor::new(b), b.len() as u64, name)
            .err()
            .map(|e| e.to_string())
    };
    let find = |b: &[u8], id: &[u8]| b.windows(4).position(|w| w == id).unwrap();
    let (fmt, comm) = (find(&wav, b"fmt ") + 8, find(&aiff, b"COMM") + 8);
    let set = |b: &[u8], at: usize, v: &[u8]| {
        let mut m = b.to_vec();
        m[at..at + v.len()].copy_from_slice(v);
        m
    };
    let cases: Vec<(&str, Vec<u8>, String)> = vec![
        ("wav 0 channels", set(&wav, fmt + 2, &[0, 0]), format!("0 channels (field at byte {})", fmt + 2)),
        ("wav 40 bits", set(&wav, fmt + 14, &[40, 0]), format!("bit depth 40 (byte {})", fmt + 14)),
        ("wav mp3 tag", set(&wav, fmt, &[0x55, 0]), format!("format tag 0x0055 at byte {fmt}")),
        ("wav block align", set(&wav, fmt + 12, &[9, 0]), format!("block align 9 (byte {})", fmt + 12)),
        (
            "wav no fmt",
            set(&wav, fmt - 8, b"fmX "),
            format!("no `fmt ` chunk (chunks read from byte 12 to {})", wav.len()),
        ),
        ("wav rate 0", set(&wav, fmt + 4, &[0, 0, 0, 0]), format!("rate field at byte {}", fmt + 4)),
        ("aiff 0 channels", set(&aiff, comm, &[0, 0]), format!("0 channels (field at byte {comm})")),
        ("aiff 40 bits", set(&aiff, comm + 6, &[0, 40]), format!("bit depth 40 (byte {})", comm + 6)),
        ("aiff no COMM", set(&aiff, comm - 8, b"COMX"), "no `COMM` chunk (chunks read from byte 12 to".to_string()),
        ("flac block type", set(&flac, 4, &[0x03]), "metadata block (byte 4) is of type 3".to_string()),
        ("flac truncated", flac[..20].to_vec(), "ends before byte 26".to_string()),
        ("text", b"hello".to_vec(), "expected at byte 0".to_string()),
    ];
    for (what, bytes, expected) in &cases {
        let e = probe_err(bytes).unwrap_or_else(|| panic!("{what}: no error"));
        assert!(e.contains(expected.as_str()), "{what}: {e}\nexpected: {expected}");
    }
    // Every truncation and 2 000 mutations of the first 64 bytes of each: every error of the
    // header reader names a byte (an empty file is 0 bytes).
    let mut x: u32 = 11;
    let mut errors = 0;
    for seed in [&wav, &aiff, &flac] {
        let mut inputs: Vec<Vec<u8>> = (1..seed.len().min(200)).map(|n| seed[..n].to_vec()).collect();
        for _ in 0..2000 {
            let mut m = seed.to_vec();
            for _ in 0..2 {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                let at = (x >> 8) as usize % 64;
                m[at] = (x >> 24) as u8;
            }
            inputs.push(m);
        }
        for m in inputs {
            if let Some(e) = probe_err(&m) {
                errors += 1;
                assert!(e.contains("byte"), "{e}");
            }
        }
    }
    assert!(errors > 500, "{errors}");
}

#[test]
fn transcode_to_wav_keeps_every_sample() {
    use groovekit_audio::write::{Transcoded, transcode_to_wav};
    let dir = tempfile::tempdir().unwrap();
    // AIFF and AIFF-C written by an independent writer (the aifc crate), at every depth.
    let ints = |bits: u32| ramp(700, 2, bits);
    let cases: [(aifc::FileFormat, aifc::SampleFormat, &str, SampleFormat, bool); 7] = [
        (aifc::FileFormat::Aiff, aifc::SampleFormat::I8, "i8", SampleFormat::Int16, true),
        (aifc::FileFormat::Aiff, aifc::SampleFormat::I16, "i16", SampleFormat::Int16, true),
        (aifc::FileFormat::Aifc, aifc::SampleFormat::I16LE, "sowt16", SampleFormat::Int16, true),
        (aifc::FileFormat::Aiff, aifc::SampleFormat::I24, "i24", SampleFormat::Int24, true),
        (aifc::FileFormat::Aiff, aifc::SampleFormat::I32, "i32", SampleFormat::Float32, false),
        (aifc::FileFormat::Aifc, aifc::SampleFormat::F32, "f32", SampleFormat::Float32, true),
        (aifc::FileFormat::Aifc, aifc::SampleFormat::F64, "f64", SampleFormat::Float32, false),
    ];
    for (ff, sf, name, want_format, want_exact) in cases {
        let src = dir.path().join(format!("{name}.aif"));
        let info = aifc::AifcWriteInfo { file_format: ff, channels: 2, sample_rate: 48000.0, sample_format: sf };
        let mut w =
            aifc::AifcWriter::new(std::io::BufWriter::new(std::fs::File::create(&src).unwrap()), &info).unwrap();
        match name {
            "i8" => w.write_samples_i8(&ints(8).iter().map(|&v| v as i8).collect::<Vec<_>>()).unwrap(),
            "i16" | "sowt16" => w.write_samples_i16(&ints(16).iter().map(|&v| v as i16).collect::<Vec<_>>()).unwrap(),
            "i24" => w.write_samples_i24(&ints(24)).unwrap(),
            "i32" => w.write_samples_i32(&ints(32)).unwrap(),
            "f32" => w.write_samples_f32(&ints(24).iter().map(|&v| v as f32 / 4e6).collect::<Vec<_>>()).unwrap(),
            _ => w.write_samples_f64(&ints(32).iter().map(|&v| f64::from(v) / 3e9).collect::<Vec<_>>()).unwrap(),
        }
        w.finalize().unwrap();
        drop(w);
        let out = dir.path().join(format!("{name}.wav"));
        let t = transcode_to_wav(&src, &out).unwrap();
        let want = Transcoded { format: want_format, channels: 2, sample_rate: 48000, frames: 700, exact: want_exact };
        assert_eq!(t, want, "{name}");
        let info = probe(&out).unwrap();
        assert_eq!(
            (info.container, info.channels, info.sample_rate, info.bits, info.frames),
            (Container::Wav, 2, 48000, want_format.bits(), 700),
            "{name}"
        );
        // The WAV holds what groovekit reads from the source, value for value.
        assert_eq!(read_audio(&out).unwrap().samples, read_audio(&src).unwrap().samples, "{name}");
        if want_format != SampleFormat::Float32 {
            // Integers: the same numbers (8-bit shifted up to 16), never through floating point.
            let shift = want_format.bits() - probe(&src).unwrap().bits;
            let shifted: Vec<i32> = read_ints(&src).iter().map(|&v| v << shift).collect();
            assert_eq!(read_ints(&out), shifted, "{name}");
        }
    }
    // FLAC (decoded whole) and a WAV (copied) too.
    let flac = dir.path().join("t.flac");
    std::fs::write(&flac, hex(FLAC_HEX)).unwrap();
    let out = dir.path().join("t.wav");
    let t = transcode_to_wav(&flac, &out).unwrap();
    assert_eq!((t.format, t.frames, t.exact), (SampleFormat::Int16, 88, true));
    assert_eq!(read_audio(&out).unwrap().samples, read_audio(&flac).unwrap().samples);
    let again = dir.path().join("t2.wav");
    transcode_to_wav(&out, &again).unwrap();
    assert_eq!(std::fs::read(&again).unwrap(), std::fs::read(&out).unwrap());
    // Not audio: an error naming the file, and nothing written.
    let text = dir.path().join("notes.aif");
    std::fs::write(&text, "not audio").unwrap();
    let e = transcode_to_wav(&text, &dir.path().join("x.wav")).unwrap_err().to_string();
    assert!(e.contains("notes.aif"), "{e}");
    assert!(!dir.path().join("x.wav").exists());
}

#[test]
fn transcode_to_wav_of_the_fixture_aiffs() {
    let Some(fx) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "opz aiff") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for name in ["perc-kick076_patch.aif", "kick-combo_patch.aif"] {
        let src = fx.join("opz/samplepacks").join(name);
        let out = dir.path().join("o.wav");
        let t = groovekit_audio::write::transcode_to_wav(&src, &out).unwrap();
        let info = probe(&src).unwrap();
        assert_eq!(
            (t.channels, t.sample_rate, t.frames, t.exact),
            (info.channels, info.sample_rate, info.frames, true)
        );
        assert_eq!(read_ints(&out), read_ints(&src), "{name}");
    }
}
