//! The `.track` parser, checker and formatter never panic; every diagnostic has a line:col inside
//! the text; formatting is idempotent.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let c = groovekit_track::check(text);
    let lines = text.split('\n').count() as u32;
    for d in &c.diagnostics {
        assert!(d.span.line >= 1 && d.span.line <= lines.max(1) && d.span.col >= 1, "{d:?}");
        assert!(d.span.start <= text.len() && d.span.end <= text.len() + 1, "{d:?}");
    }
    if let Ok(f) = groovekit_track::ops::format(text) {
        assert_eq!(groovekit_track::ops::format(&f).ok().as_deref(), Some(f.as_str()));
        // Formatting never changes what a song means.
        let a = groovekit_track::check(text).song;
        let b = groovekit_track::check(&f).song;
        assert_eq!(a.is_some(), b.is_some());
    }
});
