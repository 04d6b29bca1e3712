//! Issue 22: the edited-parts byte (bank offset 0x9B4B2) decided from the device banks and kept
//! true by every operation; scene locks limited to what a scene can lock; the device's own
//! blank parts.

mod ops_common;

use groovekit_octatrack::model::bank::Bank as ModelBank;
use groovekit_octatrack::ops::copy::{CopyBankOptions, copy_bank};
use groovekit_octatrack::ops::copy_piece::{PieceOptions, TrackAt, TrackPart, copy_part, copy_track};
use groovekit_octatrack::ops::project_dir::{ProjectDir, State};
use groovekit_octatrack::raw::bank::{Bank, PARTS_EDITED, PartCopy};
use groovekit_octatrack::raw::part::{self, PART_SIZE};
use ops_common::*;

fn read_bank(path: &std::path::Path) -> Bank {
    Bank::read(&std::fs::read(path).unwrap()).unwrap()
}

fn differs(b: &Bank, i: usize) -> bool {
    b.part(PartCopy::Working, i).raw() != b.part(PartCopy::Saved, i).raw()
}

#[test]
fn edited_parts_byte_of_the_device_banks() {
    let Some(fx) = fixtures("edited_parts_fixtures") else { return };
    let ot = fx.join("octatrack");
    for (file, byte) in [
        ("blank-project/bank01.work", 0),
        ("demo-set/DEMO-SET-1/BLANK/bank01.work", 1),
        ("real-device/bank01.work", 15),
        ("real-device/bank01.strd", 15),
        ("bank-copy/BANK-COPY-SRC/bank01.work", 14),
    ] {
        let b = read_bank(&ot.join(file));
        assert_eq!(b.parts_edited(), byte, "{file}");
        assert_eq!(b.as_bytes()[0x9B4B2], byte);
        // A part whose working copy differs from its saved copy has its bit set, in every file.
        for i in 0..4 {
            if differs(&b, i) {
                assert_ne!(byte & (1 << i), 0, "{file} part {}", i + 1);
            }
        }
    }
    // Not a count of Flex machines (octapy's reading): the real-device bank has 10, the
    // bank-copy bank 8.
    let flex = |b: &Bank| {
        (0..4).map(|i| (0..8).filter(|&t| b.part(PartCopy::Working, i).machine(t) == 1).count()).sum::<usize>()
    };
    assert_eq!(flex(&read_bank(&ot.join("real-device/bank01.work"))), 10);
    assert_eq!(flex(&read_bank(&ot.join("bank-copy/BANK-COPY-SRC/bank01.work"))), 8);
    // bank-copy: bits 2-4 set with every working part equal to its saved copy ("edited", kept
    // after an edit that was turned back).
    let b = read_bank(&ot.join("bank-copy/BANK-COPY-SRC/bank01.work"));
    assert!((0..4).all(|i| !differs(&b, i)));
    assert_eq!(PARTS_EDITED, 0x9B4B2);
}

#[test]
fn model_edits_set_the_bit_and_save_or_reload_clear_it() {
    let mut b = ModelBank::from_raw(Bank::new_default(), 1);
    assert_eq!(b.raw().parts_edited(), 0);
    // An edit of the saved copy is not an edit of the part.
    b.set_scene_lock(2, PartCopy::Saved, 1, 1, "amp.vol", Some(10)).unwrap();
    assert_eq!(b.raw().parts_edited(), 0);
    b.set_scene_lock(2, PartCopy::Working, 1, 1, "amp.vol", Some(10)).unwrap();
    assert_eq!(b.raw().parts_edited(), 0b0010);
    let mut t = b.part_track(3, PartCopy::Working, 4).unwrap();
    t.volume = (100, 100);
    b.set_part_track(3, PartCopy::Working, 4, &t).unwrap();
    assert_eq!(b.raw().parts_edited(), 0b0110);
    // Writing what is there already is no edit.
    let same = b.part_track(4, PartCopy::Working, 1).unwrap();
    b.set_part_track(4, PartCopy::Working, 1, &same).unwrap();
    assert_eq!(b.raw().parts_edited(), 0b0110);
    b.save_part(2).unwrap();
    assert_eq!(b.raw().parts_edited(), 0b0100);
    b.reload_part(3).unwrap();
    assert_eq!(b.raw().parts_edited(), 0);
    assert_eq!(b.raw().part(PartCopy::Working, 2).raw(), b.raw().part(PartCopy::Saved, 2).raw());
}

#[test]
fn scene_locks_refuse_what_a_scene_cannot_lock() {
    let mut b = ModelBank::from_raw(Bank::new_default(), 1);
    let before = b.to_bytes();
    for name in ["sample", "byte30"] {
        let err = b.set_scene_lock(1, PartCopy::Working, 1, 1, name, Some(3)).unwrap_err().to_string();
        assert!(err.contains("a scene cannot lock") && err.contains("amp.vol") && err.contains("fx2."), "{err}");
    }
    assert_eq!(b.to_bytes(), before);
    b.set_scene_lock(1, PartCopy::Working, 1, 1, "src.strt", Some(3)).unwrap();
    assert_eq!(b.scene_lock(1, PartCopy::Working, 1, 1, "src.strt").unwrap(), Some(3));
}

#[test]
fn scene_bytes_30_31_are_never_set_on_the_device() {
    let Some(fx) = fixtures("edited_parts_scene_bytes") else { return };
    let files: Vec<_> = walkdir::WalkDir::new(fx.join("octatrack"))
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("bank")))
        .collect();
    assert!(files.len() >= 36);
    for f in files {
        let b = read_bank(&f);
        for copy in [PartCopy::Working, PartCopy::Saved] {
            for i in 0..4 {
                for s in 0..16 {
                    for t in 0..8 {
                        let l = b.part(copy, i).scene_locks(s, t).to_vec();
                        assert_eq!((l[30], l[31]), (255, 255), "{} part {i} scene {s} track {t}", f.display());
                    }
                }
            }
        }
    }
}

#[test]
fn copies_keep_the_edited_bits_true() {
    let Some(fx) = fixtures("edited_parts_copies") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let (src, dst) = (tmp.path().join("SET/SRC"), tmp.path().join("SET/DST"));
    copy_dir(&fx.join("octatrack/bank-copy/BANK-COPY-SRC"), &src);
    blank_project(&dst);
    write_wavs(&src);
    let dst_bank = |n| ProjectDir::open(&dst).unwrap().read_bank(n, State::Work).unwrap().unwrap();
    // copy-bank: the source's byte comes along.
    copy_bank(&src, 1, &dst, 3, CopyBankOptions::default()).unwrap();
    assert_eq!(dst_bank(3).parts_edited(), 14);
    // copy-part (both copies) mirrors the source's bit: part 2 (edited) to part 1, part 1 (not
    // edited) to part 4 of a bank whose part 4 was edited.
    copy_part(&src, 1, 2, &dst, 1, 1, false, PieceOptions::default()).unwrap();
    assert_eq!(dst_bank(1).parts_edited(), 0b0001);
    let path = dst.join("bank02.work");
    let mut b = read_bank(&path);
    b.set_part_edited(3, true);
    std::fs::write(&path, b.to_bytes()).unwrap();
    copy_part(&src, 1, 1, &dst, 2, 4, false, PieceOptions { force: true, ..Default::default() }).unwrap();
    assert_eq!(dst_bank(2).parts_edited(), 0);
    // copy-part --working-only is an edit of the destination part.
    copy_part(&src, 1, 1, &dst, 4, 3, true, PieceOptions::default()).unwrap();
    assert_eq!(dst_bank(4).parts_edited(), 0b0100);
    // copy-track with its part settings edits the destination pattern's part.
    let at = |bank, pattern, track| TrackAt { bank, pattern, track };
    copy_track(&src, at(1, 1, 3), &dst, at(5, 1, 3), TrackPart::Settings, false, PieceOptions::default()).unwrap();
    assert_eq!(dst_bank(5).parts_edited(), 0b0001);
    // Steps only: no part changes, no bit.
    copy_track(&src, at(1, 1, 3), &dst, at(6, 1, 3), TrackPart::Steps, false, PieceOptions::default()).unwrap();
    assert_eq!(dst_bank(6).parts_edited(), 0);
}

#[test]
fn the_devices_untouched_parts_differ_from_our_blank_only_in_recorder_src3() {
    // groovekit's new part is octatools' device-made blank (SRC3 = 0 on all 8 tracks). The
    // real-device bank's parts 3 and 4 were never saved (saved-state 0), and their saved copies
    // are what the device wrote for a part nobody touched on that unit: the same bytes except
    // SRC3 = 9, as octapy's template has it (docs/octatrack-project.md).
    let Some(fx) = fixtures("edited_parts_blank") else { return };
    let b = read_bank(&fx.join("octatrack/real-device/bank01.work"));
    let blank = Bank::new_default();
    for i in [2, 3] {
        assert_eq!(b.part_saved_state(i), 0);
        let (a, d) = (b.part(PartCopy::Saved, i).raw().to_vec(), blank.part(PartCopy::Saved, i).raw().to_vec());
        let diff: Vec<(usize, u8, u8)> = (0..PART_SIZE).filter(|&k| a[k] != d[k]).map(|k| (k, d[k], a[k])).collect();
        let rec = part::AUDIO_GROUPS.iter().find(|g| g.name == "recorder").unwrap();
        let src3: Vec<(usize, u8, u8)> = (0..8).map(|t| (rec.offset + 4 + t * rec.stride, 0, 9)).collect();
        assert_eq!(diff, src3, "part {}", i + 1);
    }
}
