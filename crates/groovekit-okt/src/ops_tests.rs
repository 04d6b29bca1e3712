use super::*;
use crate::model::{Cell, Pattern};

fn module() -> Module {
    let mut samples = vec![Sample::default(); 36];
    samples[0] = Sample {
        name: *b"kick\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
        length: 4,
        volume: 64,
        mode: 1,
        data: Some(vec![1, 2, 3, 4]),
        ..Sample::default()
    };
    let mut order = vec![0u8; 128];
    order[1] = 1;
    let cells: Vec<u8> =
        (0..2 * 4).flat_map(|i| Cell { note: i as u8 + 1, instrument: 0, effect: 0, param: 0 }.to_bytes()).collect();
    Module {
        samples,
        speed: 6,
        pattern_count: 2,
        song_length: 2,
        order,
        patterns: vec![Pattern { rows: 2, data: cells.clone() }, Pattern { rows: 2, data: cells }],
        ..Module::default()
    }
}

#[test]
fn identical_modules_have_no_differences() {
    assert!(diff(&module(), &module()).is_empty());
}

#[test]
fn every_part_is_compared_and_named() {
    let a = module();
    let mut b = module();
    b.speed = 5;
    b.order[1] = 0;
    b.samples[0].volume = 40;
    if let Some(d) = b.samples[0].data.as_mut() {
        d[2] = 9;
    }
    // Pattern 1, row 1, channel 3 (0-based 2): cell 6 holds note 7 (F#1); it becomes D-2 V40.
    let at = (4 + 2) * 4;
    b.patterns[1].data[at..at + 4]
        .copy_from_slice(&Cell { note: 15, instrument: 0, effect: 31, param: 0x40 }.to_bytes());
    b.trailing = vec![0; 3];
    let lines: Vec<String> = diff(&a, &b).iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        vec![
            "speed (SPEE): 6 -> 5",
            "order position 1: pattern 1 -> 0",
            "sample 0: volume 64 -> 40",
            "sample 0: data differ in 1 byte (first at byte 2; 4 -> 4 bytes stored)",
            "pattern 1 row 1 channel 3: F#1 0 000 -> D-2 0 V40",
            "trailing bytes: 0 -> 3",
        ]
    );
}

#[test]
fn sample_labels_follow_oktalyzer() {
    assert_eq!(sample_label(0), "0");
    assert_eq!(sample_label(9), "9");
    assert_eq!(sample_label(10), "A");
    assert_eq!(sample_label(35), "Z");
    assert_eq!(sample_label(36), "#36");
}
