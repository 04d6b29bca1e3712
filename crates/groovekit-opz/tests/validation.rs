//! `build` rejects what the device cannot store, naming the pattern, track and step.

use groovekit_core::doc::Syntax;
use groovekit_opz::human::{self, NoteDoc, ProjectDoc};
use groovekit_opz::model::default_project;

fn doc() -> ProjectDoc {
    human::to_doc(&default_project()).unwrap()
}

fn note(step: u8, slot: Option<u8>, name: &str) -> NoteDoc {
    NoteDoc { step, slot, note: name.into(), velocity: 100, length: 3072, micro: 0, age: 0 }
}

fn build_err(d: &ProjectDoc) -> String {
    let text = groovekit_core::doc::to_text(d, Syntax::Yaml).unwrap();
    human::build(&text).unwrap_err().to_string()
}

#[test]
fn notes_over_the_polyphony_are_rejected() {
    let mut d = doc();
    d.patterns[2].tracks[0].notes = vec![note(5, None, "F3"), note(5, None, "G3"), note(5, None, "A3")];
    let err = build_err(&d);
    assert!(err.contains("pattern 3, track kick, step 5") && err.contains("polyphony of 2"), "{err}");
    d.patterns[2].tracks[0].notes = vec![note(5, Some(3), "F3")];
    let err = build_err(&d);
    assert!(err.contains("pattern 3, track kick, step 5: slot 3 is over"), "{err}");
    // Two notes fit, and land in slots 1 and 2.
    d.patterns[2].tracks[0].notes = vec![note(5, None, "F3"), note(5, None, "G3")];
    let p = human::from_doc(&d).unwrap();
    let notes = p.notes(2, 0).unwrap();
    assert_eq!(notes.iter().map(|n| (n.step, n.k, n.slot.note)).collect::<Vec<_>>(), vec![(4, 0, 53), (4, 1, 55)]);
}

#[test]
fn note_numbers_over_127_are_rejected() {
    let mut d = doc();
    d.patterns[0].tracks[4].notes = vec![note(16, None, "128")];
    let err = build_err(&d);
    assert!(err.contains("pattern 1, track bass, step 16: note number 128 is over 127"), "{err}");
    d.patterns[0].tracks[4].notes = vec![note(16, None, "G#9")];
    assert!(build_err(&d).contains("note number 128"));
}

#[test]
fn micro_timing_out_of_range_is_rejected() {
    let mut d = doc();
    let mut n = note(7, None, "C4");
    n.micro = 96;
    d.patterns[15].tracks[6].notes = vec![n.clone()];
    let err = build_err(&d);
    assert!(err.contains("pattern 16, track arp, step 7: micro-timing 96"), "{err}");
    n.micro = -97;
    d.patterns[15].tracks[6].notes = vec![n];
    assert!(build_err(&d).contains("micro-timing -97"));
}

#[test]
fn chain_entries_above_15_are_rejected() {
    let mut d = doc();
    d.chains[15].patterns = vec![1, 2, 17];
    let err = build_err(&d);
    assert!(err.contains("chain 16, entry 3") && err.contains("above 15"), "{err}");
    d.chains[15].patterns = vec![0];
    assert!(build_err(&d).contains("chain 16, entry 1"));
}

#[test]
fn unknown_components_and_steps_out_of_range_are_rejected() {
    let mut d = doc();
    d.patterns[0].tracks[1].notes = vec![note(17, None, "C4")];
    assert!(build_err(&d).contains("track snare, step 17"));
    let text = groovekit_core::doc::to_text(&doc(), Syntax::Yaml)
        .unwrap()
        .replace("kind: opz-project", "kind: opz-project\nbogus: 1");
    assert!(human::build(&text).unwrap_err().to_string().contains("bogus"));
}
