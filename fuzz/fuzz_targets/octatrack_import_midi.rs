//! Octatrack MIDI import (`groovekit ot import-midi`): any bytes as a MIDI file never panic; a
//! failed import leaves the bank untouched; a successful one leaves a bank that reads back and
//! whose patterns export again.
#![no_main]

#[path = "common/smf.rs"]
mod smf;
use groovekit_octatrack::Project;
use groovekit_octatrack::midi::TrackRef;
use groovekit_octatrack::midi::export::{self, ExportOptions, Span};
use groovekit_octatrack::midi::import::{self, ImportOptions, MapEntry, Source};
use libfuzzer_sys::fuzz_target;

fn exercise(smf: &[u8], opts: &ImportOptions) {
    let mut project = Project::new();
    let before = project.bank(1).map(|b| b.to_bytes()).unwrap_or_default();
    match import::import_into(&mut project, smf, opts) {
        Err(_) => {
            let after = project.bank(1).map(|b| b.to_bytes()).unwrap_or_default();
            assert_eq!(after, before, "a failed import changes nothing");
        }
        Ok(report) => {
            assert!(report.placed <= report.notes);
            let bytes = project.bank(1).map(|b| b.to_bytes()).unwrap_or_default();
            assert!(groovekit_octatrack::raw::bank::Bank::read(&bytes).is_ok(), "the bank reads back");
            let span = Span::Patterns(vec![(1, opts.pattern)]);
            let _ = export::export(&mut project, &span, &ExportOptions::default());
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&head, rest)) = data.split_first() else { return };
    let track_map = if head & 0x40 != 0 {
        let dest = if head & 0x20 != 0 { TrackRef::Audio(head % 8 + 1) } else { TrackRef::Midi(head % 8 + 1) };
        vec![MapEntry { source: Source::Channel(head % 16), key: None, dest }]
    } else {
        Vec::new()
    };
    let opts = ImportOptions {
        bank: 1,
        pattern: head % 16 + 1,
        arrangement: None,
        track_map,
        length: (head & 0x80 != 0).then_some(head % 64 + 1),
        force: true,
    };
    // The bytes as a whole file, and as the events of one track of a well-formed header.
    exercise(rest, &opts);
    if let Some(smf) = smf::one_track(rest) {
        exercise(&smf, &opts);
    }
});
