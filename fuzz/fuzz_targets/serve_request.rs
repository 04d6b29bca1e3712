//! `groovekit serve`'s request parser, query and path decoding, Range parsing and path checks
//! never panic on any bytes, and a path that passes the checks has no `..` component.
#![no_main]
use std::path::Component;

use groovekit_serve::http::{decode, parse_form, parse_range, read_request};
use groovekit_serve::paths::check_segment;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut r = std::io::BufReader::new(data);
    while let Ok(req) = read_request(&mut r) {
        let _ = req.query();
        let _ = parse_range(req.get("range"), 1_000_000);
        for seg in req.path().split('/') {
            if let Ok(s) = check_segment(seg) {
                assert!(std::path::Path::new(&s).components().all(|c| matches!(c, Component::Normal(_))), "{s:?}");
            }
        }
    }
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = decode(s);
        let _ = parse_form(s);
        let _ = parse_range(Some(s), 12_345);
    }
});
