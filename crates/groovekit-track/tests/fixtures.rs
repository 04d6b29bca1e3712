//! The fixture songs (../shared/fixtures/track): parse, check, fmt round trip and idempotence,
//! deterministic renders, and trigger frames computed by hand.

use std::path::{Path, PathBuf};

use groovekit_audio::SampleFormat;
use groovekit_track::assets::AssetLocator;
use groovekit_track::model::{ToneParams, note_hz};
use groovekit_track::render::{self, RenderOptions};
use groovekit_track::{Song, check, ops, synth};

fn track_dir(test: &str) -> Option<PathBuf> {
    groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), test).map(|d| d.join("track"))
}

fn songs(dir: &Path) -> Vec<PathBuf> {
    let v = groovekit_core::fixtures::files_under(dir, &|p| p.extension().is_some_and(|e| e == "track"));
    assert_eq!(v.len(), 3, "expected the three fixture songs in {}", dir.display());
    v
}

fn plan_of(path: &Path, rate: u32) -> (Song, render::Plan) {
    let text = std::fs::read_to_string(path).unwrap();
    let song = Song::parse(&text).unwrap();
    let opts = RenderOptions { rate, ..RenderOptions::default() };
    let plan = render::prepare(&song, path.parent().unwrap(), &opts).unwrap();
    (song, plan)
}

#[test]
fn every_fixture_parses_checks_and_formats_to_itself() {
    let Some(dir) = track_dir("every_fixture_parses_checks_and_formats_to_itself") else { return };
    for path in songs(&dir) {
        let text = std::fs::read_to_string(&path).unwrap();
        let c = check(&text);
        assert!(c.song.is_some(), "{}: {:?}", path.display(), c.diagnostics);
        assert!(c.diagnostics.is_empty(), "{}: {:?}", path.display(), c.diagnostics);
        // The fixtures are written in the canonical layout: fmt is a byte-exact round trip.
        let f = ops::format(&text).unwrap();
        assert_eq!(f, text, "{}", path.display());
        assert_eq!(ops::format(&f).unwrap(), f);
        // Every asset the song uses is found and decodes.
        let song = c.song.unwrap();
        let loc = AssetLocator::new(path.parent().unwrap(), None).unwrap();
        let (files, missing) = loc.resolve(&song);
        assert!(missing.is_empty(), "{missing:?}");
        assert_eq!(
            files.iter().flatten().count(),
            song.samples.iter().filter(|s| s.name.starts_with("ASSET_")).count()
        );
    }
}

#[test]
fn renders_are_bit_identical_run_to_run() {
    let Some(dir) = track_dir("renders_are_bit_identical_run_to_run") else { return };
    let tmp = tempfile::tempdir().unwrap();
    for path in songs(&dir) {
        let song = Song::parse(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for format in [SampleFormat::Int16, SampleFormat::Int24, SampleFormat::Float32] {
            let opts = RenderOptions { format, ..RenderOptions::default() };
            let a = tmp.path().join("a.wav");
            let b = tmp.path().join("b.wav");
            let ra = render::render_file(&song, path.parent().unwrap(), &opts, &a).unwrap();
            let rb = render::render_file(&song, path.parent().unwrap(), &opts, &b).unwrap();
            assert_eq!(ra, rb);
            let (ba, bb) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
            assert_eq!(ba, bb, "{}", path.display());
            assert_eq!(ra.clipped, 0);
            assert!(ra.peak > 0.1 && ra.peak <= 1.0, "{}", ra.peak);
            let d = groovekit_audio::read::read_audio(&a).unwrap();
            assert_eq!((d.channels, d.sample_rate, d.frames() as u64), (2, 48_000, ra.frames));
        }
    }
}

#[test]
fn kick_snare_triggers_land_on_hand_computed_frames() {
    let Some(dir) = track_dir("kick_snare_triggers_land_on_hand_computed_frames") else { return };
    let (song, plan) = plan_of(&dir.join("kick_snare.track"), 48_000);
    assert_eq!(song.bpm, 120.0);
    // 120 BPM: 1 unit = 2 s. Triggers at 0, 1, 2 units; events every 0.25 unit = 0.5 s = 24 000 frames.
    let starts: Vec<i64> = plan.voices.iter().map(|v| v.start).collect();
    let expect: Vec<i64> = (0..12).map(|k| k * 24_000).collect();
    assert_eq!(starts, expect);
    // Song: 3 units = 6 s = 288 000 frames; the last snare (0.25 s) ends at 264 000 + 12 000.
    assert_eq!(plan.frames, 288_000);
    // kick_1.wav is 15 435 frames at 44.1 kHz: resampled once to round(15435 × 48000 / 44100) = 16 800.
    let kick = plan.sources[song.samples.iter().position(|s| s.name == "ASSET_KICK_1").unwrap()].as_ref().unwrap();
    assert_eq!((kick.channels, kick.frames()), (1, 16_800));
    // Frames 0..16 800 hold the first kick alone, at volume 1.0 and the centre of the
    // constant-power law: cos(pi/4) on both sides. Then silence until the snare at 24 000.
    let out = plan.render_vec();
    assert_eq!(out.len(), 288_000 * 2);
    let g = std::f32::consts::FRAC_PI_4.cos();
    for i in 0..16_800 {
        assert_eq!(out[2 * i], kick.data[i] * g, "L at {i}");
        assert_eq!(out[2 * i + 1], kick.data[i] * std::f32::consts::FRAC_PI_4.sin(), "R at {i}");
    }
    assert!(out[2 * 16_800..2 * 24_000].iter().all(|&x| x == 0.0));
    assert!(out[2 * 24_000] != 0.0 || out[2 * 24_001] != 0.0);
}

#[test]
fn short_fill_is_absolute_inclusive_and_overlapping() {
    let Some(dir) = track_dir("short_fill_is_absolute_inclusive_and_overlapping") else { return };
    let (song, plan) = plan_of(&dir.join("short_fill.track"), 48_000);
    // 90 BPM: 1 unit = 240/90 = 8/3 s = 128 000 frames.
    // kick_snare @0: 0, 0.25 u = 32 000. short_fill @0.5 u = 64 000: events 0 and 0.5 u (its
    // LENGTH: inclusive, absolute) = 64 000, 128 000. kick_snare @1 u: 128 000, 160 000.
    let starts: Vec<i64> = plan.voices.iter().map(|v| v.start).collect();
    assert_eq!(starts, vec![0, 32_000, 64_000, 128_000, 128_000, 160_000]);
    // Equal starts keep score order: the hihat (second trigger) before the kick (third).
    let hihat = song.samples.iter().position(|s| s.name == "ASSET_HIHAT").unwrap();
    assert_eq!(plan.voices[3].source, hihat);
    // The song ends with the last pattern instance: 2 units = 256 000 frames.
    assert_eq!(plan.frames, 256_000);
    // hihat.wav: 48 kHz stereo 24-bit, 3 840 frames, used as is (no resampling).
    let h = plan.sources[hihat].as_ref().unwrap();
    assert_eq!((h.channels, h.frames()), (2, 3_840));
    let d = groovekit_audio::read::read_audio(&dir.join("assets/hihat.wav")).unwrap();
    assert_eq!(h.data, d.samples);
    // The hihat at 64 000 rings alone (the first snare, 0.25 s = 12 000 frames from 32 000, ended):
    // its left channel at volume 0.7, centre pan.
    let out = plan.render_vec();
    let gl = 0.7f32 * std::f32::consts::FRAC_PI_4.cos();
    for i in 0..3_840 {
        assert_eq!(out[2 * (64_000 + i)], h.data[2 * i] * gl);
    }
}

#[test]
fn melody_notes_are_generated_tones_with_pan() {
    let Some(dir) = track_dir("melody_notes_are_generated_tones_with_pan") else { return };
    let (song, plan) = plan_of(&dir.join("melody.track"), 48_000);
    let starts: Vec<i64> = plan.voices.iter().map(|v| v.start).collect();
    assert_eq!(starts, vec![0, 24_000, 48_000, 72_000]);
    // NOTE_A#4 = MIDI 70 = 440 * 2^(1/12) = 466.16 Hz.
    let asharp = song.samples.iter().find(|s| s.name == "NOTE_A#4").unwrap();
    assert_eq!(asharp.kind, groovekit_track::model::SampleKind::Tone(ToneParams::note(note_hz(70))));
    assert!((note_hz(70) - 466.163_761_518).abs() < 1e-6);
    // NOTE_E4 at 24 000, volume 0.7, pan -0.5: angle (−0.5 + 1)/2 × pi/2 = pi/8.
    let e4 = synth::tone(&ToneParams::note(note_hz(64)), 48_000);
    assert_eq!(e4.len(), 24_000); // default duration 0.5 s = one event step: no overlap
    let out = plan.render_vec();
    let a = std::f32::consts::FRAC_PI_8;
    let (gl, gr) = (0.7 * a.cos(), 0.7 * a.sin());
    for i in (0..24_000).step_by(97) {
        assert!((out[2 * (24_000 + i)] - e4[i] * gl).abs() < 1e-6, "{i}");
        assert!((out[2 * (24_000 + i) + 1] - e4[i] * gr).abs() < 1e-6, "{i}");
    }
}

#[test]
fn mutated_fixtures_never_panic() {
    let Some(dir) = track_dir("mutated_fixtures_never_panic") else { return };
    let mut seed = 0x1234_5678_u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let alphabet = b"0123456789.,-+# \nABCDEFGHNOTE_ASSETPATTERNSCORELENGTHBPMSAMPLEOFFSETHUMANIZE#eb";
    for path in songs(&dir) {
        let text = std::fs::read(&path).unwrap();
        for _ in 0..400 {
            let mut t = text.clone();
            for _ in 0..(next() % 6 + 1) {
                let pos = (next() as usize) % (t.len() + 1);
                let c = alphabet[(next() as usize) % alphabet.len()];
                match next() % 3 {
                    0 if pos < t.len() => t[pos] = c,
                    1 if pos < t.len() => {
                        t.remove(pos);
                    }
                    _ => t.insert(pos, c),
                }
            }
            let Ok(s) = String::from_utf8(t) else { continue };
            let c = check(&s);
            for d in &c.diagnostics {
                assert!(d.span.line >= 1 && d.span.col >= 1 && d.span.end <= s.len() + 1, "{d:?}");
            }
            if let Ok(f) = ops::format(&s) {
                assert_eq!(ops::format(&f).unwrap(), f);
            }
            if let Some(song) = c.song {
                // Place voices without decoding assets: generated tones only, tiny rate.
                let sources = vec![None; song.samples.len()];
                let _ = render::plan(&song, sources, 8_000);
            }
        }
    }
}
