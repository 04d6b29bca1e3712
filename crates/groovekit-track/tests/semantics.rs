//! One test per rule of docs/track-format.md, with expectations worked out by hand.

use std::path::Path;

use groovekit_audio::SampleFormat;
use groovekit_audio::read::Decoded;
use groovekit_track::assets::AssetLocator;
use groovekit_track::model::{self, SampleKind, ToneParams};
use groovekit_track::render::{self, RenderOptions, Source};
use groovekit_track::{Song, TrackError, check, synth};

/// Plans a song whose samples are all generated (no files needed).
fn plan(text: &str, rate: u32) -> (Song, render::Plan) {
    let song = Song::parse(text).unwrap_or_else(|e| panic!("{e}: {:?}", e.diagnostics()));
    let plan =
        render::prepare(&song, Path::new("/nonexistent"), &RenderOptions { rate, ..Default::default() }).unwrap();
    (song, plan)
}

fn starts(p: &render::Plan) -> Vec<i64> {
    p.voices.iter().map(|v| v.start).collect()
}

/// The errors of a text, as (line, col, message).
fn errors(text: &str) -> Vec<(u32, u32, String)> {
    check(text)
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.span.line, d.span.col, d.message.clone()))
        .collect()
}

#[test]
fn bpm_defaults_to_120_and_one_unit_is_four_beats() {
    // 120 BPM: 1 unit = 4 beats = 2 s; 0.25 unit = 0.5 s = 24 000 frames at 48 kHz.
    let (song, p) = plan("PATTERN p\n0.25, NOTE_A4, 1, 0\nSCORE\n1.0, p\n", 48_000);
    assert_eq!(song.bpm, 120.0);
    assert_eq!(starts(&p), vec![120_000]);
    // 150 BPM: 1 unit = 240/150 = 1.6 s; 1.25 units = 2 s = 64 000 frames at 32 kHz.
    let (_, p) = plan("BPM 150\nPATTERN p\n0.25, NOTE_A4, 1, 0\nSCORE\n1.0, p\n", 32_000);
    assert_eq!(starts(&p), vec![64_000]);
}

#[test]
fn no_drift_over_a_long_song() {
    // 137 BPM, trigger at 997.5 units: 997.5 × 240 / 137 s × 48 000 = 11 491 200 000 / 137
    // = 83 877 372.26 → frame 83 877 372, however many triggers come before it.
    let mut text = String::from("BPM 137\nPATTERN p LENGTH 0.5\n0.0, NOTE_A4, 1, 0\nSCORE\n");
    for k in 0..=1995 {
        text.push_str(&format!("{}, p\n", f64::from(k) * 0.5));
    }
    let song = Song::parse(&text).unwrap();
    let p = render::plan(&song, vec![Some(Source { channels: 1, data: vec![0.5; 10] })], 48_000);
    assert_eq!(p.voices.len(), 1996);
    assert_eq!(p.voices.last().unwrap().start, 83_877_372);
    // Trigger 1000 (500 units): 500 × 240 / 137 × 48 000 = 5 760 000 000 / 137 = 42 043 795.6 → 42 043 796.
    assert_eq!(p.voices[1000].start, 42_043_796);
}

#[test]
fn event_times_are_absolute_and_inside_zero_to_length_inclusive() {
    // LENGTH defaults to 1.0: 1.0 is allowed (the end is inclusive), 1.01 is not.
    assert!(errors("PATTERN p\n1.0, NOTE_A4, 1, 0\n").is_empty());
    let e = errors("PATTERN p\n0.5, NOTE_A4, 1, 0\n1.01, NOTE_A4, 1, 0\n");
    assert_eq!(e.len(), 1);
    assert_eq!((e[0].0, e[0].1), (3, 1));
    assert!(e[0].2.contains("outside the pattern [0, 1]"), "{}", e[0].2);
    // LENGTH 0.5: 0.5 is allowed and means 2 beats (absolute, not 0.5 × LENGTH).
    let (_, p) = plan("PATTERN p LENGTH 0.5\n0.5, NOTE_A4, 1, 0\nSCORE\n0, p\n", 48_000);
    assert_eq!(starts(&p), vec![48_000]);
    let e = errors("PATTERN p LENGTH 0.5\n  -0.1, NOTE_A4, 1, 0\n0.6, NOTE_A4, 1, 0\n");
    assert_eq!(e.iter().map(|x| (x.0, x.1)).collect::<Vec<_>>(), vec![(2, 3), (3, 1)]);
}

#[test]
fn an_instance_is_active_for_length_and_voices_ring_on() {
    // LENGTH 0.25 at 120 BPM = 0.5 s, but the 2 s tone rings to its end: the song is 2 s long.
    let (_, p) = plan("SAMPLE TONE, 100, 2, 0.5, 0, 1, 0\nPATTERN p LENGTH 0.25\n0, TONE, 1, 0\nSCORE\n0, p\n", 8_000);
    assert_eq!(p.frames, 16_000);
    // A short tone: the song lasts to the end of the instance (0.5 s).
    let (_, p) =
        plan("SAMPLE TONE, 100, 0.1, 0.5, 0, 1, 0\nPATTERN p LENGTH 0.25\n0, TONE, 1, 0\nSCORE\n0, p\n", 8_000);
    assert_eq!(p.frames, 4_000);
}

#[test]
fn overlapping_instances_add_up() {
    let one = plan("PATTERN p\n0, NOTE_C4, 1, 0\nSCORE\n0, p\n", 8_000).1.render_vec();
    let two = plan("PATTERN p\n0, NOTE_C4, 1, 0\nSCORE\n0, p\n0, p\n", 8_000).1.render_vec();
    assert_eq!(one.len(), two.len());
    assert!(one.iter().any(|&x| x != 0.0));
    for (a, b) in one.iter().zip(&two) {
        assert_eq!(*b, 2.0 * a);
    }
}

#[test]
fn hash_starts_a_comment_only_at_line_start_or_after_whitespace() {
    let c = check("# a comment\nPATTERN p # trailing\n0, NOTE_A#3, 1, 0 # note A#3\nSCORE\n0, p\n");
    let song = c.song.unwrap();
    assert_eq!(song.samples[0].name, "NOTE_A#3");
    // A#3 = MIDI 58: 440 × 2^(−11/12) = 233.08 Hz.
    assert_eq!(song.samples[0].kind, SampleKind::Tone(ToneParams::note(model::note_hz(58))));
    assert!((model::note_hz(58) - 233.081_880_759).abs() < 1e-6);
}

/// The fuzz targets' two properties, on the inputs that broke them (issue 23, item 9):
/// `track_parse` (formatting never changes whether a song is valid, and is idempotent) and
/// `track_doc` (a song's document builds back to its canonical text).
fn assert_fuzz_properties(text: &str) {
    if let Ok(f) = groovekit_track::ops::format(text) {
        assert_eq!(groovekit_track::ops::format(&f).ok().as_deref(), Some(f.as_str()), "{text:?}");
        assert_eq!(check(text).song.is_some(), check(&f).song.is_some(), "fmt changed the song: {text:?} -> {f:?}");
    }
    if let Ok(doc) = groovekit_track::doc::to_text(text, groovekit_core::doc::Syntax::Json) {
        assert_eq!(groovekit_track::doc::from_text(&doc).ok(), groovekit_track::ops::format(text).ok(), "{text:?}");
    }
}

#[test]
fn hash_right_after_a_comma_starts_a_comment_as_after_a_space() {
    // The two crash inputs of the fuzz targets: the line alone, and in a song.
    let crash_parse = "0.25,#NOTE_E4, 0.7, -0.5";
    let crash_doc = "PATTERN p\n0.25,#NOTE_E4, 0.7, -0.5\nSCORE\n0, p\n";
    for text in [crash_parse, crash_doc, "PATTERN p\n0.25, #NOTE_E4, 0.7, -0.5\nSCORE\n0, p\n"] {
        assert_fuzz_properties(text);
    }
    // `0.25,#...` is `0.25,` and a comment, exactly as its formatted form `0.25, #...`: a
    // trailing comma (before, an unknown sample `#NOTE_E4`), with a hint about the `#`.
    let e = check(crash_doc);
    let d = e.diagnostics.iter().find(|d| d.is_error()).unwrap();
    assert_eq!((d.span.line, d.span.col, d.message.as_str()), (2, 5, "trailing comma: a field is missing after it"));
    assert!(d.help.as_deref().unwrap_or("").contains("right after a comma starts a comment"), "{d:?}");
    // The same errors as its formatted form (the column of the end of the line aside).
    let same = |t: &str| errors(t).into_iter().map(|(l, _, m)| (l, m)).collect::<Vec<_>>();
    assert_eq!(same(crash_doc), same("PATTERN p\n0.25, #NOTE_E4, 0.7, -0.5\nSCORE\n0, p\n"));
    assert!(groovekit_track::ops::format(crash_doc).is_err(), "fmt refuses a song with syntax errors");
    // A comment after the last field, with or without a space, and a `#` inside a name.
    for text in [
        "PATTERN p\n0.25, NOTE_A#3, 0.7, -0.5,# x\nSCORE\n0, p\n",
        "PATTERN p\n0.25, NOTE_A#3, 0.7, -0.5 #x\nSCORE\n0, p\n",
        "PATTERN p\n0.25,NOTE_A#3,0.7,-0.5#x\nSCORE\n0, p\n",
    ] {
        assert_fuzz_properties(text);
    }
    assert_eq!(errors("PATTERN p\n0.25, NOTE_A#3, 0.7, -0.5 #x\nSCORE\n0, p\n"), vec![]);
    let c = check("PATTERN p\n0.25,NOTE_A#3,0.7,-0.5#x\nSCORE\n0, p\n");
    // `-0.5#x` is one token (the `#` does not start one): not a number.
    assert!(c.diagnostics.iter().any(|d| d.message.contains("`-0.5#x` is not a number")), "{:?}", c.diagnostics);
    let f = groovekit_track::ops::format("PATTERN p\n0.25,NOTE_A#3,0.7,-0.5 #x\nSCORE\n0, p\n").unwrap();
    assert_eq!(f, "PATTERN p\n0.25, NOTE_A#3, 0.7, -0.5 #x\nSCORE\n0, p\n");
}

#[test]
fn notes_are_generated_without_declaration_and_flats_work() {
    let song = Song::parse("PATTERN p\n0, NOTE_Eb2, 1, 0\n0, NOTE_C-1, 1, 0\n0, NOTE_G9, 1, 0\nSCORE\n0, p\n").unwrap();
    let freqs: Vec<f64> = song
        .samples
        .iter()
        .map(|s| match s.kind {
            SampleKind::Tone(t) => t.freq,
            SampleKind::Asset => 0.0,
        })
        .collect();
    // Eb2 = 39 (77.78 Hz), C-1 = 0 (8.18 Hz), G9 = 127 (12 543.85 Hz).
    assert!((freqs[0] - 77.781_745_930).abs() < 1e-6);
    assert!((freqs[1] - 8.175_798_916).abs() < 1e-6);
    assert!((freqs[2] - 12_543.853_951_416).abs() < 1e-6);
    assert!(song.samples.iter().all(|s| !s.declared));
    let e = errors("PATTERN p\n0, NOTE_H4, 1, 0\n0, NOTE_C10, 1, 0\n");
    assert_eq!(e.iter().map(|x| (x.0, x.1)).collect::<Vec<_>>(), vec![(2, 4), (3, 4)]);
}

#[test]
fn long_form_sample_sets_the_tone() {
    let text = "SAMPLE BASS, 55, 0.25, 0.8, 0.01, 3, 0.1\nPATTERN p\n0, BASS, 1, -1\nSCORE\n0, p\n";
    let (song, p) = plan(text, 16_000);
    let params = ToneParams { freq: 55.0, dur: 0.25, amp: 0.8, attack: 0.01, harmonics: 3, decay: 0.1 };
    assert_eq!(song.samples[0].kind, SampleKind::Tone(params));
    let tone = synth::tone(&params, 16_000);
    assert_eq!(tone.len(), 4_000);
    let out = p.render_vec();
    // Pan −1: all left (cos 0 = 1), nothing right.
    for (i, t) in tone.iter().enumerate() {
        assert_eq!(out[2 * i], *t);
        assert!(out[2 * i + 1].abs() < 1e-6);
    }
    // Bad values are errors at their column.
    let e = errors("SAMPLE X, 0, 0.25, 0.8, 0.01, 2.5, 0.1\n");
    assert_eq!(e.iter().map(|x| (x.0, x.1)).collect::<Vec<_>>(), vec![(1, 11), (1, 31)]);
}

#[test]
fn volume_is_linear_and_pan_is_constant_power() {
    let full = plan("PATTERN p\n0, NOTE_A4, 1, 0\nSCORE\n0, p\n", 8_000).1;
    let half = plan("PATTERN p\n0, NOTE_A4, 0.5, 0\nSCORE\n0, p\n", 8_000).1;
    for (a, b) in full.render_vec().iter().zip(half.render_vec()) {
        assert_eq!(b, 0.5 * a);
    }
    // Constant power: L² + R² = volume² at every pan.
    for pan in ["-1", "-0.3", "0", "0.7", "1"] {
        let p = plan(&format!("PATTERN p\n0, NOTE_A4, 2, {pan}\nSCORE\n0, p\n"), 8_000).1;
        let v = p.voices[0];
        assert!((v.gain_l * v.gain_l + v.gain_r * v.gain_r - 4.0).abs() < 1e-5, "{pan}");
    }
    let e = errors("PATTERN p\n0, NOTE_A4, -0.1, 0\n0, NOTE_A4, 1, 1.5\n");
    assert_eq!(e.iter().map(|x| (x.0, x.1)).collect::<Vec<_>>(), vec![(2, 13), (3, 16)]);
}

#[test]
fn offset_starts_a_sample_earlier_and_clamps_at_zero_by_skipping_into_it() {
    // OFFSET 0.1 s: the event at 0.25 unit (0.5 s) starts at 0.4 s = 3 200 frames at 8 kHz.
    let (_, p) = plan("SAMPLE NOTE_A4 OFFSET 0.1\nPATTERN p\n0.25, NOTE_A4, 1, 0\nSCORE\n0, p\n", 8_000);
    assert_eq!(starts(&p), vec![3_200]);
    // At time 0 the start is −800: the output begins 800 frames into the tone.
    let (_, p) = plan("SAMPLE NOTE_A4 OFFSET 0.1\nPATTERN p\n0, NOTE_A4, 1, -1\nSCORE\n0, p\n", 8_000);
    assert_eq!(starts(&p), vec![-800]);
    let tone = synth::tone(&ToneParams::note(440.0), 8_000);
    let out = p.render_vec();
    assert_eq!(out[0], tone[800]);
    assert_eq!(out[2 * 100], tone[900]);
}

#[test]
fn humanize_is_deterministic_and_bounded() {
    let base = "PATTERN p\n0, NOTE_A4, 1, 0\n0.5, NOTE_A4, 1, 0\nSCORE\n0, p\n1, p\n2, p\n";
    let a = plan(&format!("HUMANIZE SEED 7 TIMING 10 VOLUME 20\n{base}"), 48_000).1;
    let b = plan(&format!("HUMANIZE SEED 7 TIMING 10 VOLUME 20\n{base}"), 48_000).1;
    let c = plan(&format!("HUMANIZE SEED 8 TIMING 10 VOLUME 20\n{base}"), 48_000).1;
    let none = plan(base, 48_000).1;
    let zero = plan(&format!("HUMANIZE SEED 7 TIMING 0 VOLUME 0\n{base}"), 48_000).1;
    assert_eq!(a, b);
    assert_ne!(starts(&a), starts(&c));
    assert_eq!(zero, none);
    // TIMING 10: at most 10 % of a beat = 0.025 unit = 0.05 s = 2 400 frames either way.
    // VOLUME 20: gain within 1 ± 0.2.
    let nominal = [0, 48_000, 96_000, 144_000, 192_000, 240_000];
    let mut by_nominal: Vec<(i64, f32)> = a.voices.iter().map(|v| (v.start, v.gain_l)).collect();
    by_nominal.sort_by_key(|x| x.0);
    let g = std::f32::consts::FRAC_PI_4.cos();
    for ((s, gl), n) in by_nominal.iter().zip(nominal) {
        assert!((s - n).abs() <= 2_400, "{s} vs {n}");
        assert!(*gl >= 0.8 * g - 1e-6 && *gl <= 1.2 * g + 1e-6);
    }
    assert!(by_nominal.iter().any(|(s, _)| !nominal.contains(s)));
}

#[test]
fn assets_come_from_the_manifest_the_assets_folder_or_assets_dir() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mono = |v: f32| Decoded { channels: 1, sample_rate: 8_000, source_bits: 32, samples: vec![v; 100] };
    let write = |p: &Path, v: f32| {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        groovekit_audio::write::write_wav(p, &mono(v).samples, 1, 8_000, SampleFormat::Float32).unwrap();
    };
    write(&d.join("assets/kick.wav"), 0.25);
    write(&d.join("kit/k2.wav"), 0.5);
    write(&d.join("other/kick.wav"), 0.75);
    let song = Song::parse("PATTERN p\n0, ASSET_KICK, 1, -1\nSCORE\n0, p\n").unwrap();
    let first = |dir: Option<&Path>| {
        let p = render::prepare(
            &song,
            d,
            &RenderOptions { rate: 8_000, assets_dir: dir.map(Path::to_path_buf), ..Default::default() },
        );
        p.map(|p| p.render_vec()[0])
    };
    // assets/<name in lower case>.wav beside the song.
    assert_eq!(first(None).unwrap(), 0.25);
    // --assets DIR overrides.
    assert_eq!(first(Some(&d.join("other"))).unwrap(), 0.75);
    // assets.txt beside the song wins over assets/.
    std::fs::write(d.join("assets.txt"), "# kit\nASSET_KICK kit/k2.wav\n").unwrap();
    assert_eq!(first(None).unwrap(), 0.5);
    // A name the manifest lacks: an error at the event, with the nearest known names.
    let song2 = Song::parse("PATTERN p\n0, ASSET_KIK, 1, 0\nSCORE\n0, p\n").unwrap();
    let loc = AssetLocator::new(d, None).unwrap();
    let (_, missing) = loc.resolve(&song2);
    assert_eq!(missing.len(), 1);
    assert_eq!((missing[0].span.line, missing[0].span.col), (2, 4));
    assert_eq!(missing[0].help.as_deref(), Some("did you mean ASSET_KICK?"));
    let err = render::prepare(&song2, d, &RenderOptions::default()).unwrap_err();
    assert!(matches!(err, TrackError::Invalid(ref v) if v.len() == 1));
    // A bad manifest line is an error in assets.txt at its line.
    std::fs::write(d.join("assets.txt"), "ASSET_KICK kit/k2.wav\nKICK x.wav\n").unwrap();
    let e = AssetLocator::new(d, None).unwrap_err();
    assert_eq!(e.diagnostics()[0].span.line, 2);
    assert_eq!(e.diagnostics()[0].file.as_deref(), Some(d.join("assets.txt").as_path()));
}

#[test]
fn undeclared_names_are_known_and_declarations_optional() {
    let song =
        Song::parse("SAMPLE ASSET_A\nPATTERN p\n0, ASSET_A, 1, 0\n0, ASSET_B, 1, 0\n0, NOTE_C4, 1, 0\nSCORE\n0, p\n")
            .unwrap();
    let und: Vec<&str> = song.undeclared().map(|s| s.name.as_str()).collect();
    assert_eq!(und, vec!["ASSET_B", "NOTE_C4"]);
    // Unknown names that are neither assets nor notes: error with suggestions.
    let c = check("SAMPLE BASS, 55, 0.25, 0.8, 0.01, 3, 0.1\nPATTERN p\n0, BAS, 1, 0\nSCORE\n0, q\n");
    let e: Vec<_> = c.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(e.len(), 2);
    assert_eq!((e[0].span.line, e[0].span.col, e[0].help.as_deref()), (3, 4, Some("did you mean BASS?")));
    assert_eq!((e[1].span.line, e[1].span.col, e[1].help.as_deref()), (5, 4, Some("did you mean p?")));
}

#[test]
fn huge_values_are_rejected_against_the_documented_limits() {
    // Trigger past one hour (1 unit = 2 s at 120 BPM: 1800 units end at 3 602 s).
    let e = errors("PATTERN p\n0, NOTE_A4, 1, 0\nSCORE\n1800, p\n1e300, p\n");
    assert_eq!(e.iter().map(|x| (x.0, x.1)).collect::<Vec<_>>(), vec![(4, 1), (5, 1)]);
    // 1e999 is not a number at all (it overflows).
    assert_eq!(errors("BPM 1e999\n")[0].1, 5);
    assert_eq!(errors("BPM 0.5\n")[0].1, 5);
    assert_eq!(errors("PATTERN p LENGTH 65\n")[0].1, 18);
    assert_eq!(errors("PATTERN p\n0, NOTE_A4, 17, 0\n")[0].1, 13);
    assert_eq!(errors("SAMPLE T, 100, 61, 1, 0, 1, 0\n")[0].1, 16);
    assert_eq!(errors("SAMPLE T, 100, 1, 1, 0, 257, 0\n")[0].1, 25);
    assert_eq!(errors("SAMPLE NOTE_A4 OFFSET 61\n")[0].1, 23);
    assert_eq!(errors("HUMANIZE SEED -1 TIMING 101 VOLUME 5\n").len(), 2);
    // More than 4 000 000 voices: 2 000 events × 2 001 triggers = 4 002 000, reported at the
    // trigger that crosses the limit: the 2 001st, on line 2 + 2 000 + 1 (SCORE) + 2 001 = 4 004.
    let mut t = String::from("BPM 1000\nPATTERN p LENGTH 0.001\n");
    for _ in 0..2000 {
        t.push_str("0, NOTE_A4, 1, 0\n");
    }
    t.push_str("SCORE\n");
    for _ in 0..2001 {
        t.push_str("0, p\n");
    }
    let e = errors(&t);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!((e[0].0, e[0].1), (4004, 1));
    // Output rates outside 8 kHz..192 kHz.
    let song = Song::parse("PATTERN p\n0, NOTE_A4, 1, 0\nSCORE\n0, p\n").unwrap();
    assert!(render::prepare(&song, Path::new("."), &RenderOptions { rate: 1, ..Default::default() }).is_err());
}

#[test]
fn nan_and_inf_in_assets_become_silence() {
    let d =
        Decoded { channels: 2, sample_rate: 8_000, source_bits: 32, samples: vec![0.5, f32::NAN, f32::INFINITY, -0.5] };
    let (s, bad) = render::source_from_decoded(&d, 8_000, Path::new("x.wav")).unwrap();
    assert_eq!(bad, 2);
    assert_eq!(s.data, vec![0.5, 0.0, 0.0, -0.5]);
    let three = Decoded { channels: 3, ..d };
    assert!(render::source_from_decoded(&three, 8_000, Path::new("x.wav")).is_err());
}

#[test]
fn clipping_is_counted_and_normalize_scales_to_full_scale() {
    let tmp = tempfile::tempdir().unwrap();
    let song = Song::parse("SAMPLE LOUD, 100, 0.1, 1, 0, 1, 0\nPATTERN p\n0, LOUD, 4, -1\nSCORE\n0, p\n").unwrap();
    let out = tmp.path().join("o.wav");
    let opts = RenderOptions { rate: 8_000, ..Default::default() };
    let r = render::render_file(&song, tmp.path(), &opts, &out).unwrap();
    // Peak: 4 × (nearly 1) on the left channel; every sample above 1/4 of the sine clips.
    assert!(r.peak > 3.9 && r.peak <= 4.0, "{}", r.peak);
    assert!(r.clipped > 400, "{}", r.clipped);
    let d = groovekit_audio::read::read_audio(&out).unwrap();
    assert!(d.samples.iter().all(|x| x.abs() <= 1.0));
    let opts = RenderOptions { rate: 8_000, normalize: true, format: SampleFormat::Float32, ..Default::default() };
    let r = render::render_file(&song, tmp.path(), &opts, &out).unwrap();
    assert_eq!(r.clipped, 0);
    assert!((r.gain - 1.0 / r.peak).abs() < 1e-6);
    let d = groovekit_audio::read::read_audio(&out).unwrap();
    let peak = d.samples.iter().fold(0f32, |m, x| m.max(x.abs()));
    assert!((peak - 1.0).abs() < 1e-6, "{peak}");
}

#[test]
fn aiff_assets_and_bad_asset_files() {
    use groovekit_audio::write::{FileFormat, PcmWriter};
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::create_dir(d.join("assets")).unwrap();
    // An AIFF asset at 16 kHz, rendered at 8 kHz: found as assets/kick.aif, decoded, resampled.
    let mut w =
        PcmWriter::create(&d.join("assets/kick.aif"), FileFormat::Aiff, 1, 16_000, SampleFormat::Int16).unwrap();
    w.write_f32(&[0.25; 1600]).unwrap();
    w.finish().unwrap();
    let song = Song::parse("PATTERN p\n0, ASSET_KICK, 1, 0\nSCORE\n0, p\n").unwrap();
    let p = render::prepare(&song, d, &RenderOptions { rate: 8_000, ..Default::default() }).unwrap();
    // 1 600 frames at 16 kHz = 0.1 s = 800 frames at 8 kHz.
    assert_eq!(p.sources[0].as_ref().unwrap().frames(), 800);
    // A file that is not audio: an error at the sample's first use, line:col.
    std::fs::remove_file(d.join("assets/kick.aif")).unwrap();
    std::fs::write(d.join("assets/kick.wav"), b"not a wav file").unwrap();
    let e = render::prepare(&song, d, &RenderOptions { rate: 8_000, ..Default::default() }).unwrap_err();
    let diags = e.diagnostics();
    assert_eq!(diags.len(), 1);
    assert_eq!((diags[0].span.line, diags[0].span.col), (2, 4));
    assert!(diags[0].message.starts_with("asset `ASSET_KICK`: "), "{}", diags[0].message);
}

#[test]
fn watch_set_covers_the_song_its_manifest_and_its_asset_files() {
    use groovekit_track::watch::WatchSet;
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::create_dir_all(d.join("kit")).unwrap();
    groovekit_audio::write::write_wav(&d.join("kit/k.wav"), &[0.1; 10], 1, 8_000, SampleFormat::Int16).unwrap();
    std::fs::write(d.join("assets.txt"), "ASSET_KICK kit/k.wav\n").unwrap();
    let song_path = d.join("s.track");
    std::fs::write(&song_path, "PATTERN p\n0, ASSET_KICK, 1, 0\nSCORE\n0, p\n").unwrap();
    let song = Song::parse(&std::fs::read_to_string(&song_path).unwrap()).unwrap();
    let loc = AssetLocator::new(d, None).unwrap();
    let w = WatchSet::new(&song_path, Some(&song), Some(&loc));
    assert!(w.is_relevant(&song_path));
    assert!(w.is_relevant(&d.join("assets.txt")));
    assert!(w.is_relevant(&d.join("kit/k.wav")));
    // A new audio file where assets are looked up may satisfy a missing name.
    assert!(w.is_relevant(&d.join("kit/new.flac")));
    assert!(!w.is_relevant(&d.join("notes.txt")));
    assert!(!w.is_relevant(&d.join("elsewhere/x.wav")));
    assert!(w.dirs.contains(&d.join("kit")));
}

/// Issue 23, item 7: a 5 MB song with 400 000 SCORE lines past the time limit gives ten of those
/// errors and one that sums up the other 399 990, in the library's report (not only in printing);
/// counts stay exact.
#[test]
fn repeated_diagnostics_are_capped_in_the_report() {
    let mut text = String::from("BPM 120\nPATTERN p\n0, NOTE_C4, 1, 0\nSCORE\n0, p\n");
    for i in 0..400_000 {
        text.push_str(&format!("{}.25, p\n", 2000 + i % 1000));
    }
    assert!(text.len() > 4_000_000, "{}", text.len());
    let c = check(&text);
    assert!(c.song.is_none());
    let errors: Vec<_> = c.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), groovekit_track::error::MAX_REPEATS + 1, "{:?}", &errors[..3]);
    assert_eq!(errors.iter().map(|d| d.count()).sum::<usize>(), 400_000);
    let last = errors.last().unwrap();
    assert_eq!(last.more, 399_990);
    assert!(last.message.starts_with("and 399 990 more like this, lines 16 to 400 005"), "{}", last.message);
    assert_eq!(last.span.line, 16, "it points at the first one left out");
    assert!(errors[0].message.contains("would end at"), "{}", errors[0].message);
    // The library error's summary counts them all.
    let e = Song::parse(&text).unwrap_err().to_string();
    assert!(e.contains("and 399999 more errors"), "{e}");
    // Different kinds are capped separately; a few of a kind are all kept.
    let mut mixed = String::from("PATTERN p\n0, NOTE_C4, 1, 0\nSCORE\n0, p\n");
    for i in 0..30 {
        mixed.push_str(&format!("{i}, nosuch{i}\n"));
    }
    mixed.push_str("-1, p\n-2, p\n");
    let c = check(&mixed);
    let unknown: Vec<_> = c.diagnostics.iter().filter(|d| d.message.contains("nosuch")).collect();
    assert_eq!(unknown.len(), 11);
    assert_eq!(unknown[10].more, 20);
    assert_eq!(c.diagnostics.iter().filter(|d| d.message.contains("is negative")).count(), 2);
}
