//! The `.track` song document (`kind: track-song`) never panics on any text: it builds a song or
//! gives an error. A song that builds is canonical, and its dump builds back to the same bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(song) = groovekit_track::doc::from_text(text) {
        assert_eq!(groovekit_track::ops::format(&song).ok().as_deref(), Some(song.as_str()));
        let yaml = groovekit_track::doc::to_text(&song, groovekit_core::doc::Syntax::Yaml).expect("a built song dumps");
        assert_eq!(groovekit_track::doc::from_text(&yaml).ok().as_deref(), Some(song.as_str()));
    }
    // Any song text: dump then build is the canonical text.
    if let Ok(doc) = groovekit_track::doc::to_text(text, groovekit_core::doc::Syntax::Json) {
        assert_eq!(groovekit_track::doc::from_text(&doc).ok(), groovekit_track::ops::format(text).ok());
    }
});
