//! Unit tests of `ops` (kept beside it, out of the library source).

use super::*;
use crate::model::default_project;

#[test]
fn tempo_is_range_checked_and_touches_only_its_bytes() {
    let mut p = default_project();
    let before = p.as_bytes().to_vec();
    assert!(set_tempo(&mut p, 39).is_err());
    assert!(set_tempo(&mut p, 201).unwrap_err().to_string().contains("201 BPM"));
    assert_eq!(p.as_bytes(), &before[..]);
    set_tempo(&mut p, 96).unwrap();
    assert_eq!(p.tempo(), 96);
    let changed: Vec<usize> = (0..before.len()).filter(|&i| before[i] != p.as_bytes()[i]).collect();
    assert_eq!(changed, vec![520]);
}

#[test]
fn chains_reject_entries_above_15() {
    let mut p = default_project();
    let err = set_chain(&mut p, 2, &[0, 1, 16]).unwrap_err().to_string();
    assert!(err.contains("chain 3, entry 3") && err.contains("16 is above 15"), "{err}");
    assert!(set_chain(&mut p, 16, &[0]).is_err());
    assert!(set_chain(&mut p, 0, &[0; 33]).is_err());
    set_chain(&mut p, 15, &[0, 0, 3, 2]).unwrap();
    assert_eq!(p.chain(15), vec![0, 0, 3, 2]);
}

#[test]
fn notes_are_checked_against_polyphony_and_ranges() {
    let mut p = default_project();
    let n = NewNote { note: 53, velocity: 100, duration: 3072, micro: 0 };
    assert_eq!(add_note(&mut p, 2, 0, 4, n).unwrap(), 0);
    assert_eq!(add_note(&mut p, 2, 0, 4, NewNote { note: 55, ..n }).unwrap(), 1);
    let err = add_note(&mut p, 2, 0, 4, NewNote { note: 57, ..n }).unwrap_err().to_string();
    assert!(err.contains("pattern 3, track kick, step 5") && err.contains("at most 2"), "{err}");
    let err = add_note(&mut p, 0, 4, 0, NewNote { note: 128, ..n }).unwrap_err().to_string();
    assert!(err.contains("pattern 1, track bass, step 1: note number 128 is over 127"), "{err}");
    let err = add_note(&mut p, 0, 4, 15, NewNote { micro: 96, ..n }).unwrap_err().to_string();
    assert!(err.contains("step 16") && err.contains("micro-timing 96"), "{err}");
    assert_eq!(p.notes(2, 0).unwrap().len(), 2);
    clear_step_notes(&mut p, 2, 0, 4).unwrap();
    assert_eq!(p.as_bytes(), default_project().as_bytes());
}
