//! Unit tests of `kit` (kept beside it, out of the library source).

use super::*;

#[test]
fn extended_rates() {
    assert_eq!(f64_to_extended(44_100), [0x40, 0x0E, 0xAC, 0x44, 0, 0, 0, 0, 0, 0]);
    assert_eq!(extended_to_f64(&f64_to_extended(48_000)), 48_000.0);
}

#[test]
fn positions() {
    assert_eq!(frame_to_position(KIT_FRAMES), POSITION_SCALE);
    for f in [0u64, 1, 30_111, 529_199] {
        assert_eq!(position_to_frame(frame_to_position(f)), f);
    }
    // Found by the fuzzer: huge JSON positions must not overflow.
    assert_eq!(position_to_frame(i64::MAX as u64), 2_272_896_695_160_000);
    assert_eq!(position_to_frame(u64::MAX), 4_545_793_390_320_000);
}

#[test]
fn synth_fields_are_read_and_written() {
    let a = KitSample { name: "a".into(), frames: vec![7; 100] };
    let mut kit = build_drum_kit(&[a], "x").unwrap();
    let mut json = kit.json().unwrap();
    json["type"] = "sampler".into();
    json["base_freq"] = serde_json::json!(261.78);
    json["synth_version"] = 2.into();
    kit.set_json(&json).unwrap();
    let f = kit.synth().unwrap();
    assert_eq!((f.synth_version, f.base_freq), (Some(2), Some(261.78)));
    let audio = kit.aiff.chunk(b"SSND").cloned();
    kit.set_synth(&SynthFields { base_freq: Some(440.0), adsr: vec![1, 2, 3, 4, 5, 6, 7, 8], ..f }).unwrap();
    let back = Kit::parse(&kit.to_bytes()).unwrap();
    let g = back.synth().unwrap();
    assert_eq!((g.base_freq, g.adsr.len(), g.synth_version), (Some(440.0), 8, Some(2)));
    assert_eq!(back.kit_type().unwrap(), "sampler");
    assert_eq!(back.aiff.chunk(b"SSND").cloned(), audio);
    assert!(kit.set_synth(&SynthFields { base_freq: Some(f64::NAN), ..Default::default() }).is_err());
}

#[test]
fn built_kit_reads_back() {
    let a = KitSample { name: "a".into(), frames: vec![1, -2, 3] };
    let b = KitSample { name: "b".into(), frames: vec![100; 44_100] };
    let kit = build_drum_kit(&[a, b], "test").unwrap();
    let back = Kit::parse(&kit.to_bytes()).unwrap();
    assert_eq!(back.kit_type().unwrap(), "drum");
    let s = back.slices().unwrap();
    assert_eq!(s.len(), 24);
    assert_eq!((s[0].start_frame(), s[0].end_frame(), s[1].end_frame()), (0, 3, 44_103));
    assert_eq!(s[5].start_frame(), s[5].end_frame());
    assert_eq!(&back.aiff.samples().unwrap()[..4], &[1, -2, 3, 100]);
    let f = back.aiff.format().unwrap();
    assert_eq!((f.channels, f.frames, f.bits, f.rate), (1, 44_103, 16, 44_100.0));
    assert!(build_drum_kit(&vec![KitSample { name: "x".into(), frames: vec![0] }; 25], "x").is_err());
    let long = KitSample { name: "long".into(), frames: vec![0; 529_201] };
    assert!(build_drum_kit(&[long], "x").unwrap_err().to_string().contains("at most 12 s"));
}
