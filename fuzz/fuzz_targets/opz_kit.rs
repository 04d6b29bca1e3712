//! OP-Z/OP-1 sample packs: any bytes never panic the AIFF chunk walker or the op-1 JSON reader,
//! and what parses writes back byte for byte.
#![no_main]
use groovekit_opz::kit::{self, Aiff, Kit};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(a) = Aiff::parse(data) {
        assert_eq!(a.to_bytes(), data);
        let _ = a.format();
        let _ = a.samples();
    }
    if let Ok(mut k) = Kit::parse(data) {
        let _ = k.kit_type();
        let _ = kit::slice_frames(&k);
        if let Ok(slices) = k.slices() {
            let _ = k.set_slices(&slices);
            let again = Kit::parse(&k.to_bytes()).expect("edited kits parse");
            assert_eq!(again.slices().ok(), Some(slices));
        }
    }
});
