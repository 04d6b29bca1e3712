//! Fuzz the markers reader, its slot records, the readable document and the semantic diff.
#![no_main]

use groovekit_octatrack::human;
use groovekit_octatrack::ops::binary_diff;
use groovekit_octatrack::raw::markers::{self, MARKERS_SIZE, Markers};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = Markers::read(data);
    let mut image = markers::default_markers_bytes();
    for (i, &b) in data.iter().take(8192).enumerate() {
        let at = 22 + i * 25 % (MARKERS_SIZE - 24);
        image[at] = b;
    }
    if let Ok((m, _)) = Markers::read_lenient(&image) {
        let _ = m.used_slots();
        let doc = human::markers::dump(&image).expect("a valid image dumps");
        let built = human::markers::build(&doc).expect("a dumped document builds");
        assert_eq!(built, image, "dump then build is byte-identical");
        let _ = binary_diff::markers(&markers::default_markers_bytes(), &image);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = human::markers::from_text(text);
    }
});
