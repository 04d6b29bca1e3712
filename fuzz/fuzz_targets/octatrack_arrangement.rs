//! Fuzz the arrangement reader, its rows, the readable document and the semantic diff.
#![no_main]

use groovekit_octatrack::human;
use groovekit_octatrack::ops::binary_diff;
use groovekit_octatrack::raw::arrangement::{self, ARRANGEMENT_SIZE, Arrangement, Block};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = Arrangement::read(data);
    // The input as the body of an arrangement (after magic and version).
    let mut image = arrangement::default_arrangement_bytes(1);
    let n = data.len().min(ARRANGEMENT_SIZE - 22);
    image[22..22 + n].copy_from_slice(&data[..n]);
    if let Ok((a, _)) = Arrangement::read(&image) {
        for r in 0..256 {
            let _ = a.row(Block::Current, r).reminder_text();
        }
        let doc = human::arrangement::dump(&image).expect("a valid image dumps");
        let built = human::arrangement::build(&doc).expect("a dumped document builds");
        assert_eq!(built, image, "dump then build is byte-identical");
        let _ = binary_diff::arrangements(&arrangement::default_arrangement_bytes(2), &image);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = human::arrangement::from_text(text);
    }
});
