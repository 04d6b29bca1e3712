//! Fuzz the bank reader, its views, the readable document and the semantic diff: any input must
//! give Ok or an error, never a panic. Inputs that start like a bank are padded to bank size so
//! the fuzzer reaches the views and the document code, not only the size check.
#![no_main]

use groovekit_octatrack::human;
use groovekit_octatrack::ops::binary_diff;
use groovekit_octatrack::raw::bank::{self, BANK_SIZE, Bank, PartCopy};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = Bank::read(data);
    // Overlay the input on a default bank (keeps headers valid, so deep code runs).
    let mut image = bank::default_bank_bytes();
    for (i, &b) in data.iter().take(4096).enumerate() {
        // Spread the input over the image: one byte every 155 bytes.
        let at = 22 + i * 155 % (BANK_SIZE - 24);
        image[at] = b;
    }
    if let Ok((b, _)) = Bank::read_lenient(&image) {
        let _ = b.patterns_with_trigs();
        let _ = b.part(PartCopy::Saved, 3).machine(7);
        if let Ok(doc) = human::bank::dump(&image) {
            let built = human::bank::build(&doc).expect("a dumped document builds");
            assert_eq!(built, image, "dump then build is byte-identical");
        }
        let _ = binary_diff::banks(&bank::default_bank_bytes(), &image);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = human::bank::from_text(text);
    }
});
