//! Markers against the real device files: lossless read/write, the default from code, slots.

use groovekit_octatrack::OtError;
use groovekit_octatrack::raw::header::{BinaryKind, update_checksum};
use groovekit_octatrack::raw::markers::{self, Markers, Slice, SlotRef};

#[test]
fn every_fixture_markers_file_round_trips() {
    let Some(dir) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "markers_round_trip") else {
        return;
    };
    let mut n = 0;
    for p in groovekit_core::fixtures::files_under(&dir.join("octatrack"), &|_| true) {
        let bytes = std::fs::read(&p).unwrap();
        if BinaryKind::sniff(&bytes) != Some(BinaryKind::Markers) {
            continue;
        }
        n += 1;
        let m = Markers::read(&bytes).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        assert!(m.to_bytes() == bytes, "{}", p.display());
    }
    assert!(n >= 2);
}

#[test]
fn default_markers_from_code_and_the_demo_recorder_slot() {
    let Some(dir) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "markers_default") else {
        return;
    };
    let blank = std::fs::read(dir.join("octatrack/blank-project/markers.work")).unwrap();
    assert!(markers::default_markers_bytes() == blank);
    let demo =
        Markers::read(&std::fs::read(dir.join("octatrack/demo-set/DEMO-SET-1/BLANK/markers.work")).unwrap()).unwrap();
    assert_eq!(demo.used_slots(), vec![SlotRef::Recorder(1)]);
    let r = demo.record(SlotRef::Recorder(1).index().unwrap());
    assert_eq!((r.trim_start(), r.trim_end(), r.loop_point(), r.slice_count()), (0, 611_561, 0, 0));
}

#[test]
fn slot_edits_survive_and_errors_are_clear() {
    let mut m = Markers::new_default();
    let i = SlotRef::Static(128).index().unwrap();
    assert_eq!(i, 263);
    {
        let mut r = m.record_mut(i);
        r.set_trim_end(44_100);
        r.set_slice(0, Slice { start: 0, end: 22_050, loop_point: None });
        r.set_slice(1, Slice { start: 22_050, end: 44_100, loop_point: Some(30_000) });
        r.set_slice_count(2);
    }
    let again = Markers::read(&m.to_bytes()).unwrap();
    let r = again.record(i);
    assert_eq!(r.slice(1), Slice { start: 22_050, end: 44_100, loop_point: Some(30_000) });
    assert_eq!(r.slice(0).loop_point, None);
    assert_eq!(again.used_slots(), vec![SlotRef::Static(128)]);

    let good = markers::default_markers_bytes();
    let mut bad = good.clone();
    bad[500] = 1;
    assert!(matches!(Markers::read(&bad).unwrap_err(), OtError::Checksum { offset: 206_998, .. }));
    update_checksum(&mut bad);
    assert!(Markers::read(&bad).is_ok());
    assert!(matches!(Markers::read(&good[..206_999]).unwrap_err(), OtError::Truncated { .. }));
    let mut v = good;
    v[21] = 3;
    assert!(matches!(Markers::read(&v).unwrap_err(), OtError::UnsupportedVersion { .. }));
}
