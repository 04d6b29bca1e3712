//! Unit tests of `view` (kept beside it, out of the library source).

use super::*;
use crate::model::default_project;
use crate::ops::{NewNote, add_note};

#[test]
fn grid_shows_notes_components_and_locks() {
    let mut p = default_project();
    add_note(&mut p, 0, 4, 2, NewNote { note: 48, velocity: 90, duration: 6144, micro: 8 }).unwrap();
    let mut step = p.step(0, 4, 2).unwrap();
    step.mask |= 1 << Component::TriggerSpark.bit();
    step.params[Component::TriggerSpark.bit()] = 0x12;
    step.lock_mask[8] = 0xFF;
    step.lock_values[8] = 200;
    p.set_step(0, 4, 2, &step).unwrap();
    let t = text(&p, 0, false).unwrap();
    assert!(t.contains("bass"), "{t}");
    assert!(!t.contains("\nkick"), "empty tracks are hidden: {t}");
    assert!(
        t.contains("bass step 3: C3 vel 90 len 2 steps micro +8; trigger_spark 1st of every 2; lock filter=200"),
        "{t}"
    );
    let svg = svg(&p, 0).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains(">C3<") && svg.contains("filter=200"));
}
