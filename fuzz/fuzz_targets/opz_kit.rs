//! OP-Z/OP-1 sample packs: any bytes never panic the AIFF chunk walker or the op-1 JSON reader,
//! and what parses writes back byte for byte, also through its readable document (`kit_doc`);
//! `looks_like_kit`, `verify_file` and `diff_kits` never panic.
//!
//! Bounded work per input (issue 23, item 9: seeded with the fixture kits, about 1 MB of audio
//! each, one run took about 100 ms): the chunk walker, its byte-exact round trip, `looks_like_kit`
//! and `verify_file` see the whole input, but before the paths that decode or copy the audio
//! (samples, slices, the document with its data as hex) every chunk other than the op-1 JSON is
//! cut to [`MAX_CHUNK_BYTES`]. What those paths do does not depend on the audio's length past a
//! few frames, and a real kit's layout (COMM, APPL, SSND and their fields) is kept.
#![no_main]
use groovekit_opz::kit::{self, Aiff, Kit};
use groovekit_opz::{diff, kit_doc, verify};
use libfuzzer_sys::fuzz_target;

/// The most bytes of one chunk that the decoding paths see (2 048 frames of 16-bit mono).
const MAX_CHUNK_BYTES: usize = 4096;

/// The kit with every chunk but the op-1 JSON cut to [`MAX_CHUNK_BYTES`] (an even length, so
/// no pad byte).
fn bounded(mut k: Kit) -> Kit {
    for c in &mut k.aiff.chunks {
        let op1 = &c.id == b"APPL" && c.data.starts_with(b"op-1");
        if !op1 && c.data.len() > MAX_CHUNK_BYTES {
            c.data.truncate(MAX_CHUNK_BYTES);
            c.pad = None;
        }
    }
    k
}

fuzz_target!(|data: &[u8]| {
    if let Ok(a) = Aiff::parse(data) {
        assert_eq!(a.to_bytes(), data);
        let _ = a.format();
    }
    let _ = kit::looks_like_kit(data);
    let _ = verify::verify_file(std::path::Path::new("fuzz.aif"), data);
    if let Ok(k) = Kit::parse(data) {
        let mut k = bounded(k);
        let data = k.to_bytes();
        let _ = k.aiff.samples();
        let _ = diff::diff_kits(&k, &k);
        if let Ok(text) = kit_doc::dump(&k, groovekit_core::doc::Syntax::Json, &mut kit_doc::store_inline) {
            let mut load = |_: &str, r: &kit_doc::DataRef| r.hex.as_deref().and_then(kit_doc::from_hex).ok_or_else(String::new);
            let back = kit_doc::build(&text, &mut load).expect("a dumped kit builds");
            assert_eq!(back.to_bytes(), data);
        }
        let _ = k.kit_type();
        let _ = kit::slice_frames(&k);
        if let Ok(slices) = k.slices() {
            let _ = k.set_slices(&slices);
            let again = Kit::parse(&k.to_bytes()).expect("edited kits parse");
            assert_eq!(again.slices().ok(), Some(slices));
        }
    }
});
