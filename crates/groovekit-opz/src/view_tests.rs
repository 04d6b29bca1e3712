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
        t.contains(
            "bass step 3: C3 vel 90 len 2 sixteenths (6144 ticks) micro +8; trigger_spark 1st of every 2; lock filter=200"
        ),
        "{t}"
    );
    let svg = svg(&p, 0).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains(">C3<") && svg.contains("filter=200"));
}

#[test]
fn muted_tracks_and_per_type_parameter_names_show() {
    let mut p = default_project();
    add_note(&mut p, 0, 6, 0, NewNote { note: 60, velocity: 100, duration: 2560, micro: 0 }).unwrap();
    let mut step = p.step(0, 6, 0).unwrap();
    step.lock_mask[13] = 0xFF;
    step.lock_values[13] = 9;
    p.set_step(0, 6, 0, &step).unwrap();
    // Arp = track 7: byte 1 of mute group 0, bit (6 % 4) * 2 + 1 = 5.
    let at = crate::raw::pattern_offset(0) + crate::raw::pattern::MUTES + 1;
    p.image_mut().put(at, &[0x20]);
    let t = text(&p, 0, false).unwrap();
    assert!(t.contains("arp       16x1* C4"), "{t}");
    assert!(t.contains("lock arp_speed=9") && t.contains("arp: muted"), "{t}");
    let j = json(&p, 0, false).unwrap();
    assert_eq!(j["tracks"][0]["muted"], true);
    assert_eq!(j["tracks"][0]["steps"][0]["locks"][0]["parameter"], "arp_speed");
    assert_eq!(j["tracks"][0]["steps"][0]["notes"][0]["length_ticks"], 2560);
}
