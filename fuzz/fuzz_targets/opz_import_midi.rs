//! OP-Z MIDI import (`groovekit opz import-midi`): any bytes as a MIDI file never panic; a failed
//! import leaves the project untouched; a successful one leaves a project whose notes the checks
//! accept and that exports again.
#![no_main]

#[path = "common/smf.rs"]
mod smf;
use groovekit_opz::import::{self, ImportOptions, Source};
use groovekit_opz::model::default_project;
use groovekit_opz::{midi, ops};
use libfuzzer_sys::fuzz_target;

fn exercise(smf: &[u8], pattern: usize, remove_swing: bool, map: Vec<(Source, usize)>) {
    let _ = import::read_smf(smf);
    let mut project = default_project();
    let before = project.as_bytes().to_vec();
    let options = ImportOptions { pattern, map, remove_swing };
    match import::import(&mut project, smf, &options) {
        Err(_) => assert_eq!(project.as_bytes(), &before[..], "a failed import changes nothing"),
        Ok(_) => {
            for f in ops::check_project(&project) {
                assert!(!f.error, "import wrote a value the device cannot store: {}", f.message);
            }
            let _ = midi::export(&project, &midi::ExportOptions::default());
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&head, rest)) = data.split_first() else { return };
    let pattern = usize::from(head % 17); // 16 = out of range
    let remove_swing = head & 0x80 != 0;
    let map =
        if head & 0x40 != 0 { vec![(Source::Channel(head % 16), usize::from(head >> 4) % 16)] } else { Vec::new() };
    // The bytes as a whole file, and as the events of one track of a well-formed header.
    exercise(rest, pattern, remove_swing, map.clone());
    if let Some(smf) = smf::one_track(rest) {
        exercise(&smf, pattern, remove_swing, map);
    }
});
