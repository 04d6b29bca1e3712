//! The readable markers document: byte-exact dump/build for the fixtures, and hand edits.

use groovekit_core::doc::Syntax;
use groovekit_octatrack::human::markers;
use groovekit_octatrack::raw::markers::{Markers, Slice, SlotRef};

#[test]
fn fixture_markers_dump_and_build_back() {
    let Some(dir) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "markers_doc") else {
        return;
    };
    for rel in ["blank-project/markers.work", "demo-set/DEMO-SET-1/BLANK/markers.work"] {
        let bytes = std::fs::read(dir.join("octatrack").join(rel)).unwrap();
        for syntax in [Syntax::Yaml, Syntax::Json] {
            let text = markers::to_text(&bytes, syntax).unwrap();
            assert!(markers::from_text(&text).unwrap() == bytes, "{rel} {syntax:?}");
        }
    }
    let demo = std::fs::read(dir.join("octatrack/demo-set/DEMO-SET-1/BLANK/markers.work")).unwrap();
    let yaml = markers::to_text(&demo, Syntax::Yaml).unwrap();
    assert!(yaml.contains("slot: recorder 1") && yaml.contains("trim: [0, 611561]"), "{yaml}");
    assert!(!yaml.contains("unmodelled"), "{yaml}");
}

#[test]
fn hand_written_markers_build() {
    let yaml = "kind: octatrack-markers
slots:
- slot: flex 3
  trim: [0, 88200]
  slice_count: 2
  slices:
  - {start: 0, end: 44100}
  - {start: 44100, end: 88200, loop: 50000}
";
    let m = Markers::read(&markers::from_text(yaml).unwrap()).unwrap();
    let r = m.record(SlotRef::Flex(3).index().unwrap());
    assert_eq!((r.trim_end(), r.slice_count()), (88_200, 2));
    assert_eq!(r.slice(1), Slice { start: 44_100, end: 88_200, loop_point: Some(50_000) });
    assert_eq!(r.slice(0).loop_point, None);
    assert!(markers::from_text("kind: octatrack-markers\nslots:\n- slot: flex 129\n").is_err());
    assert!(markers::from_text("kind: octatrack-markers\nslots:\n- slot: sampler 1\n").is_err());
}
