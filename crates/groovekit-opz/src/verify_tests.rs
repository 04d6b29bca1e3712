//! Unit tests of `verify` (kept beside it, out of the library source).

use super::*;

#[test]
fn empty_bounce_files_are_notes_and_other_empty_files_problems() {
    let r = verify_project(Path::new("disk/bounces/bounce02/project.opz"), &[]);
    assert!(r.problems.is_empty() && !r.failed(), "{r:?}");
    assert_eq!(r.notes.len(), 1);
    assert!(r.notes[0].message.contains("bounce folder"));
    let r = verify_project(Path::new("disk/projects/project02.opz"), &[]);
    assert_eq!(r.problems.len(), 1, "{r:?}");
    assert!(r.failed());
    let r = verify_project(Path::new("disk/bounces/bounce02/project.opz"), &[0; 10]);
    assert_eq!(r.problems.len(), 1, "a bounce project with bytes is checked: {r:?}");
}

#[test]
fn kits_are_checked_in_the_library() {
    let a = kit::KitSample { name: "a".into(), frames: vec![5; 1000] };
    let k = kit::build_drum_kit(&[a], "x").unwrap();
    let r = verify_file(Path::new("x.aif"), &k.to_bytes());
    assert_eq!(r.checked[0].1, "opz-kit");
    assert!(r.problems.is_empty() && r.warnings.is_empty(), "{r:?}");
    // A slice past the audio is a warning naming the slice (numbered from 1).
    let mut k2 = k.clone();
    let mut s = k2.slices().unwrap();
    s[1].end = kit::frame_to_position(5000) as i64;
    k2.set_slices(&s).unwrap();
    let r = verify_kit(Path::new("x.aif"), &k2.to_bytes());
    assert!(r.warnings.iter().any(|w| w.message.starts_with("slice 2 ends at frame 5000")), "{r:?}");
    // A truncated SSND is a problem with its byte offset.
    let bytes = k.to_bytes();
    let r = verify_kit(Path::new("x.aif"), &bytes[..bytes.len() - 100]);
    assert_eq!(r.problems.len(), 1, "{r:?}");
    assert!(r.problems[0].offset.is_some() && r.problems[0].message.contains("truncated"), "{r:?}");
}

#[test]
fn the_devices_config_files_are_recognised_and_checked() {
    let Some(root) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "opz config") else {
        return;
    };
    for name in ["general.json", "midi.json", "dmx.json"] {
        let path = root.join("opz/error-garden/config").join(name);
        let bytes = std::fs::read(&path).unwrap();
        assert!(is_config(&path, &bytes), "{name}");
        let r = verify_file(&path, &bytes);
        assert_eq!(r.checked, vec![(path.clone(), CONFIG_KIND.to_string())]);
        assert!(r.problems.is_empty(), "{name}: {:?}", r.problems);
    }
    let broken = Path::new("disk/config/general.json");
    assert!(is_config(broken, b"{ \"a\": "));
    let r = verify_config(broken, b"{ \"a\": ");
    assert!(r.problems[0].message.contains("line 1"), "{:?}", r.problems);
    assert!(!is_config(Path::new("disk/other/general.json"), b"{}"), "only the config folder");
}
