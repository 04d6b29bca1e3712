//! The Oktalyzer loader never panics, and whatever it loads writes and loads back the same.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok((m, _warnings)) = groovekit_okt::model::Module::load(data) {
        let bytes = m.to_bytes();
        let (again, _) = groovekit_okt::model::Module::load(&bytes).expect("written modules load");
        assert_eq!(again.to_bytes(), bytes);
        // The readable document never fails on a loaded module.
        let _ = groovekit_okt::human::to_doc(&m, &mut groovekit_okt::human::store_inline);
    }
});
