//! Typed arrangement rows (`model::arrangement`) on every arrangement fixture: every row of both
//! blocks reads and writes back byte for byte, edits change only their own bytes, and the rows
//! of the device-made files read as the device wrote them.

use groovekit_octatrack::Project;
use groovekit_octatrack::model::arrangement::{Arrangement, PatternRow, Row};
use groovekit_octatrack::raw::arrangement::{self as raw_arr, Block};
use groovekit_octatrack::raw::header::BinaryKind;

fn fixture_dir(test: &str) -> Option<std::path::PathBuf> {
    Some(groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), test)?.join("octatrack"))
}

fn arrangements(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    groovekit_core::fixtures::files_under(dir, &|_| true)
        .into_iter()
        .map(|p| {
            let b = std::fs::read(&p).unwrap();
            (p, b)
        })
        .filter(|(_, b)| BinaryKind::sniff(b) == Some(BinaryKind::Arrangement))
        .collect()
}

#[test]
fn every_row_of_every_arrangement_fixture_round_trips_through_the_model() {
    let Some(dir) = fixture_dir("arrangement_model_round_trip") else { return };
    let files = arrangements(&dir);
    assert!(files.len() >= 19, "only {} arrangements", files.len());
    let mut kinds = [0usize; 4];
    for (p, bytes) in files {
        let (raw, _) = raw_arr::Arrangement::read(&bytes).unwrap();
        let mut a = Arrangement::from_raw(raw, 1);
        for b in Block::ALL {
            for n in 1..=256u16 {
                let row = a.row(b, n).unwrap();
                kinds[match row {
                    Row::Pattern(_) => 0,
                    Row::Loop { .. } => 1,
                    Row::Reminder(_) => 2,
                    Row::Other(_) => 3,
                }] += 1;
                a.set_row(b, n, &row).unwrap_or_else(|e| panic!("{} row {n}: {e}", p.display()));
            }
            let name = a.name(b);
            a.set_name(b, &name).unwrap();
            a.set_len(b, a.len(b)).unwrap();
        }
        assert!(a.to_bytes() == bytes, "{} changed by writing its rows back", p.display());
    }
    assert!(kinds[1] > 0 && kinds[2] > 0, "the fixtures hold loop and reminder rows: {kinds:?}");
}

#[test]
fn device_rows_read_as_written() {
    let Some(dir) = fixture_dir("arrangement_model_device_rows") else { return };
    // The real device's arr01: no rows.
    let mut project = Project::open(&dir.join("real-device")).unwrap();
    let a = project.arrangement(1).unwrap();
    assert!(a.is_empty(Block::Current) && a.is_empty(Block::Saved));
    let bytes = std::fs::read(dir.join("arrangements/one_reminder_row.work")).unwrap();
    let a = Arrangement::from_raw(raw_arr::Arrangement::read(&bytes).unwrap().0, 1);
    assert_eq!(a.rows(Block::Current), vec![Row::Reminder("CHAIN".into())]);
    let bytes = std::fs::read(dir.join("arrangements/full_options.work")).unwrap();
    let a = Arrangement::from_raw(raw_arr::Arrangement::read(&bytes).unwrap().0, 1);
    assert_eq!(a.len(Block::Current), 255);
    let Row::Pattern(p) = a.row(Block::Current, 11).unwrap() else { panic!("row 11 is a pattern row") };
    // Row 11: P16, 63 repeats, mute mask 255, 300 BPM, scenes 16/16, transposes 48.
    assert_eq!((p.name(), p.repeats, p.mute_mask, p.tempo), ("P16".into(), 63, 255, Some(300.0)));
    assert_eq!((p.scene_a, p.scene_b, p.transpose), (Some(16), Some(16), [48; 8]));
}

#[test]
fn an_arrangement_edited_through_the_project_is_saved_with_only_its_bytes_changed() {
    let Some(dir) = fixture_dir("arrangement_model_project_edit") else { return };
    let tmp = tempfile::tempdir().unwrap();
    for f in ["project.work", "arr01.work"] {
        std::fs::copy(dir.join("real-device").join(f), tmp.path().join(f)).unwrap();
    }
    let before = std::fs::read(tmp.path().join("arr01.work")).unwrap();
    let mut project = Project::open(tmp.path()).unwrap();
    let a = project.arrangement_mut(1).unwrap();
    a.set_name(Block::Current, "SONG").unwrap();
    let mut row = PatternRow::new(1, 1);
    row.repeats = 1;
    a.push_row(Block::Current, &Row::Pattern(row)).unwrap();
    a.push_row(Block::Current, &Row::Loop { count: 0, target: 1 }).unwrap();
    project.save().unwrap();
    let after = std::fs::read(tmp.path().join("arr01.work")).unwrap();
    let changed: Vec<usize> =
        before.iter().zip(&after).enumerate().filter(|(_, (a, b))| a != b).map(|(i, _)| i).collect();
    let cur = raw_arr::CURRENT_BLOCK;
    let row1 = cur + raw_arr::ROWS;
    let row2 = row1 + raw_arr::ROW_SIZE;
    let mut expected = vec![cur, cur + 1, cur + 2, cur + 3, cur + raw_arr::ROW_COUNT];
    // Row 1: repeats, scene A and B (none = 255), length 16; row 2: type 1 (count 0, target 0).
    expected.extend([row1 + 2, row1 + 8, row1 + 9, row1 + 13, row2]);
    expected.extend([raw_arr::ARRANGEMENT_SIZE - 2, raw_arr::ARRANGEMENT_SIZE - 1]);
    expected.sort();
    assert_eq!(
        changed.iter().filter(|&&i| i < raw_arr::ARRANGEMENT_SIZE - 2).count(),
        expected.len() - 2,
        "{changed:?}"
    );
    assert!(changed.iter().all(|i| expected.contains(i)), "{changed:?} vs {expected:?}");
    let mut again = Project::open(tmp.path()).unwrap();
    let rows = again.arrangement(1).unwrap().rows(Block::Current);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1].describe(2), "loop to 1 forever");
}
