//! The fixture drum kits: lossless chunk walking, JSON reading and JSON edits that keep the audio.

use std::path::{Path, PathBuf};

use groovekit_opz::kit::{Kit, position_to_frame};

fn kits(test: &str) -> Option<Vec<PathBuf>> {
    let dir = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), test)?;
    Some(groovekit_core::fixtures::files_under(&dir.join("opz/samplepacks"), &|p: &Path| {
        p.extension().is_some_and(|e| e == "aif")
    }))
}

#[test]
fn fixture_kits_round_trip_byte_for_byte() {
    let Some(files) = kits("fixture_kits_round_trip_byte_for_byte") else { return };
    assert_eq!(files.len(), 2);
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let kit = Kit::parse(&bytes).unwrap();
        assert_eq!(kit.to_bytes(), bytes, "{}", f.display());
        assert_eq!(kit.kit_type().unwrap(), "drum");
        let slices = kit.slices().unwrap();
        assert_eq!(slices.len(), 24);
        let format = kit.aiff.format().unwrap();
        assert_eq!((format.channels, format.bits, format.rate), (1, 16, 44_100.0));
        for s in &slices {
            assert!(s.start <= s.end, "{s:?}");
        }
    }
}

#[test]
fn kick_combo_slices_match_the_json_by_hand() {
    let Some(files) = kits("kick_combo_slices_match_the_json_by_hand") else { return };
    let f = files.iter().find(|f| f.ends_with("kick-combo_patch.aif")).unwrap();
    let kit = Kit::parse(&std::fs::read(f).unwrap()).unwrap();
    let json = kit.json().unwrap();
    assert_eq!(json["drum_version"], 3);
    let s = kit.slices().unwrap();
    // This device-written kit's positions are whole frames under the 2 147 483 646 / 529 200
    // scale (the teoperator-made kit uses a x4058 approximation instead).
    for x in &s {
        let exact = x.end as f64 * 529_200.0 / 2_147_483_646.0;
        assert!((exact - exact.round()).abs() < 0.001, "{x:?}");
    }
    // "end": [ 122189871, ...]: 122189871 x 529200 / 2147483646 = 30111.0 frames.
    assert_eq!((s[0].start, s[0].end), (0, 122_189_871));
    assert_eq!(s[0].end_frame(), 30_111);
    // The last slice ends at frame 500 889 (exactly), past the 481 779 frames of audio: the
    // device-written kit points beyond its audio, so `kit split` clamps.
    assert_eq!(position_to_frame(2_032_598_142), 500_889);
    // COMM: 1 channel, 0x000759F3 = 481 779 frames.
    assert_eq!(kit.aiff.format().unwrap().frames, 481_779);
}

#[test]
fn json_edits_keep_every_audio_byte() {
    let Some(files) = kits("json_edits_keep_every_audio_byte") else { return };
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let mut kit = Kit::parse(&bytes).unwrap();
        let mut slices = kit.slices().unwrap();
        slices[3].pitch = -512;
        slices[3].volume = 4096;
        kit.set_slices(&slices).unwrap();
        let out = kit.to_bytes();
        let back = Kit::parse(&out).unwrap();
        assert_eq!(back.slices().unwrap()[3].pitch, -512);
        assert_eq!(back.slices().unwrap()[3].volume, 4096);
        let orig = Kit::parse(&bytes).unwrap();
        for id in [b"COMM", b"SSND"] {
            assert_eq!(back.aiff.chunk(id), orig.aiff.chunk(id), "{} {}", f.display(), String::from_utf8_lossy(id));
        }
        // Every other JSON key survives.
        let (a, b) = (orig.json().unwrap(), back.json().unwrap());
        for (k, v) in a.as_object().unwrap() {
            if !["pitch", "volume"].contains(&k.as_str()) {
                assert_eq!(b.get(k), Some(v), "{k}");
            }
        }
        // The FORM size matches the new chunk sizes.
        assert_eq!(u32::from_be_bytes(out[4..8].try_into().unwrap()) as usize, out.len() - 8);
    }
}

#[test]
fn mutated_kits_never_panic() {
    let Some(files) = kits("mutated_kits_never_panic") else { return };
    let bytes = std::fs::read(&files[0]).unwrap();
    let head = &bytes[..4096.min(bytes.len())];
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    for i in 0..2000 {
        let mut b = head.to_vec();
        for _ in 0..4 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let at = (state as usize) % b.len();
            b[at] = (state >> 32) as u8;
        }
        b.truncate(b.len() - (i % 64));
        if let Ok(kit) = Kit::parse(&b) {
            let _ = kit.slices();
            let _ = kit.aiff.format();
            let _ = kit.aiff.samples();
            assert_eq!(kit.to_bytes().len(), b.len());
        }
    }
}
