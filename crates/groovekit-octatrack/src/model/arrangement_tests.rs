use super::*;

fn blank() -> Arrangement {
    let (raw, _) = raw_arr::Arrangement::read(&raw_arr::default_arrangement_bytes(1)).unwrap();
    Arrangement::from_raw(raw, 1)
}

fn changed(a: &[u8], b: &[u8]) -> Vec<usize> {
    a.iter().zip(b).enumerate().filter(|(_, (x, y))| x != y).map(|(i, _)| i).collect()
}

#[test]
fn a_blank_arrangement_has_no_rows_and_reads_zero_rows_as_a01() {
    let a = blank();
    assert!(a.is_empty(Block::Current));
    assert!(a.rows(Block::Current).is_empty());
    let Row::Pattern(p) = a.row(Block::Current, 1).unwrap() else { panic!("a zero row is a pattern row") };
    assert_eq!((p.name(), p.scene_a, p.tempo, p.length), ("A01".to_string(), Some(1), None, 0));
    assert!(a.row(Block::Current, 0).unwrap_err().to_string().contains("rows are numbered 1-256"));
    assert!(a.row(Block::Current, 257).is_err());
}

#[test]
fn rows_are_written_by_field_and_read_back() {
    let mut a = blank();
    let before = a.raw().as_bytes().to_vec();
    let mut p = PatternRow::new(2, 5);
    p.repeats = 3;
    p.tempo = Some(126.5);
    p.scene_a = Some(4);
    p.scene_b = None;
    p.offset = 8;
    p.length = 32;
    p.transpose[7] = -12;
    assert_eq!(a.push_row(Block::Current, &Row::Pattern(p.clone())).unwrap(), 1);
    assert_eq!(a.push_row(Block::Current, &Row::Reminder("CHORUS".into())).unwrap(), 2);
    assert_eq!(a.push_row(Block::Current, &Row::Loop { count: 4, target: 1 }).unwrap(), 3);
    assert_eq!(a.push_row(Block::Current, &Row::Loop { count: 0, target: 4 }).unwrap(), 4);
    let rows = a.rows(Block::Current);
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0], Row::Pattern(p.clone()));
    assert_eq!(rows[0].describe(1), "pattern B05 x3");
    assert_eq!(rows[1], Row::Reminder("CHORUS".into()));
    assert_eq!(rows[2].describe(3), "loop to 1 x4");
    assert_eq!(rows[3].describe(4), "halt");
    assert_eq!(Row::Loop { count: 0, target: 9 }.describe(4), "jump to 9");
    // The saved block is untouched; the current block's bytes that changed are the row count
    // and the fields that differ from a zero row.
    assert!(a.is_empty(Block::Saved));
    let c = changed(&before, a.raw().as_bytes());
    let b0 = raw_arr::CURRENT_BLOCK;
    assert!(c.iter().all(|&i| i >= b0 && i < b0 + raw_arr::BLOCK_SIZE), "{c:?}");
    // pattern row: pattern, repeats, tempo (2), scene A, scene B, offset, length, transpose 8
    // (1 of 8 non-zero) = 9; reminder: type + 6 letters = 7; loops: type, count, target(0 -> 0
    // for row 1: unchanged) = 2 and type + target = 2 (count 0 unchanged); row count: 1.
    assert_eq!(c.len(), 9 + 7 + 2 + 2 + 1);
}

#[test]
fn an_edit_changes_only_its_bytes_and_setters_validate() {
    let mut a = blank();
    a.push_row(Block::Saved, &Row::Pattern(PatternRow::new(1, 1))).unwrap();
    let before = a.raw().as_bytes().to_vec();
    let Row::Pattern(mut p) = a.row(Block::Saved, 1).unwrap() else { panic!() };
    p.repeats = 7;
    a.set_row(Block::Saved, 1, &Row::Pattern(p.clone())).unwrap();
    assert_eq!(changed(&before, a.raw().as_bytes()), vec![raw_arr::SAVED_BLOCK + raw_arr::ROWS + pr::REPEATS]);
    for (bad_row, msg) in [
        (PatternRow { bank: 17, ..p.clone() }, "bank 17"),
        (PatternRow { repeats: 64, ..p.clone() }, "repeats 64"),
        (PatternRow { tempo: Some(301.0), ..p.clone() }, "tempo 301"),
        (PatternRow { scene_b: Some(17), ..p.clone() }, "scene B 17"),
        (PatternRow { length: 0, ..p.clone() }, "length 0"),
        (PatternRow { transpose: [49, 0, 0, 0, 0, 0, 0, 0], ..p.clone() }, "MIDI track 1 transpose 49"),
    ] {
        let e = a.set_row(Block::Saved, 1, &Row::Pattern(bad_row)).unwrap_err().to_string();
        assert!(e.contains(msg) && e.contains("arrangement 1 saved row 1"), "{e}");
    }
    assert!(a.set_row(Block::Saved, 2, &Row::Loop { count: 101, target: 1 }).is_err());
    assert!(a.set_row(Block::Saved, 2, &Row::Loop { count: 1, target: 0 }).is_err());
    assert!(a.set_row(Block::Saved, 2, &Row::Reminder("SIXTEEN LETTERS!".into())).is_err());
    assert_eq!(changed(&before, a.raw().as_bytes()).len(), 1, "failed setters change nothing");
}

#[test]
fn clear_leaves_no_rows_even_when_row_one_held_one() {
    let mut a = blank();
    for p in 1..=3u8 {
        a.push_row(Block::Current, &Row::Pattern(PatternRow::new(1, p))).unwrap();
    }
    let saved_before = a.rows(Block::Saved);
    // set_len(0) alone would leave row 1 non-blank, which reads as 256 rows.
    let mut b = a.clone();
    b.set_len(Block::Current, 0).unwrap();
    assert!(a.raw().row(Block::Current, 0).raw().iter().any(|&x| x != 0), "row 1 holds A01, 16 steps");
    assert_eq!(b.len(Block::Current), 256);
    a.clear(Block::Current);
    assert_eq!(a.len(Block::Current), 0);
    assert!(a.rows(Block::Current).is_empty());
    assert_eq!(a.rows(Block::Saved), saved_before, "the other block is untouched");
    // Rows 2 and 3 keep their bytes (unread past the count).
    assert_eq!(a.raw().row(Block::Current, 1).raw(), b.raw().row(Block::Current, 1).raw());
    let back = Arrangement::from_raw(raw_arr::Arrangement::read(&a.to_bytes()).unwrap().0, 1);
    assert_eq!(back.len(Block::Current), 0);
}
