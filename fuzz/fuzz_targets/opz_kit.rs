//! OP-Z/OP-1 sample packs: any bytes never panic the AIFF chunk walker or the op-1 JSON reader,
//! and what parses writes back byte for byte, also through its readable document (`kit_doc`);
//! `looks_like_kit`, `verify_file` and `diff_kits` never panic.
#![no_main]
use groovekit_opz::kit::{self, Aiff, Kit};
use groovekit_opz::{diff, kit_doc, verify};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(a) = Aiff::parse(data) {
        assert_eq!(a.to_bytes(), data);
        let _ = a.format();
        let _ = a.samples();
    }
    let _ = kit::looks_like_kit(data);
    let _ = verify::verify_file(std::path::Path::new("fuzz.aif"), data);
    if let Ok(mut k) = Kit::parse(data) {
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
