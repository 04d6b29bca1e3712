//! Part setup pages through the model (`PartTrack`/`MidiPartTrack` by name, the name table
//! `model::params::{AUDIO,MIDI}_PART_PAGES`) on every bank fixture: every track of every part
//! (working and saved) reads and writes back byte for byte, every named value changes exactly
//! its own byte, setters refuse values out of range naming the place, and the real-device bank
//! reads as the device set it.

use std::path::PathBuf;

use groovekit_octatrack::model::bank::Bank;
use groovekit_octatrack::model::params::{self, AUDIO_PART_PAGES, AudioContext, MIDI_PART_PAGES};
use groovekit_octatrack::raw::bank::{self as raw_bank, PartCopy};
use groovekit_octatrack::raw::header::BinaryKind;

fn banks(test: &str) -> Option<Vec<(PathBuf, Vec<u8>)>> {
    let dir = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), test)?.join("octatrack");
    Some(
        groovekit_core::fixtures::files_under(&dir, &|_| true)
            .into_iter()
            .filter_map(|p| {
                let b = std::fs::read(&p).ok()?;
                (BinaryKind::sniff(&b) == Some(BinaryKind::Bank)).then_some((p, b))
            })
            .collect(),
    )
}

fn bank(bytes: &[u8]) -> Bank {
    Bank::from_raw(raw_bank::Bank::read(bytes).unwrap(), 1)
}

fn changed(a: &[u8], b: &[u8]) -> Vec<usize> {
    a.iter().zip(b).enumerate().filter(|(_, (x, y))| x != y).map(|(i, _)| i).collect()
}

#[test]
fn every_part_track_of_every_bank_round_trips_through_the_model() {
    let Some(all) = banks("part_pages_round_trip") else { return };
    assert!(all.len() >= 36, "only {} banks", all.len());
    for (path, bytes) in &all {
        let mut b = bank(bytes);
        for copy in [PartCopy::Working, PartCopy::Saved] {
            for part in 1..=4 {
                for t in 1..=8 {
                    let a = b.part_track(part, copy, t).unwrap();
                    b.set_part_track(part, copy, t, &a).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                    let m = b.midi_part_track(part, copy, t).unwrap();
                    b.set_midi_part_track(part, copy, t, &m).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                    assert_eq!(b.part_track(part, copy, t).unwrap(), a);
                }
            }
        }
        assert!(b.to_bytes() == *bytes, "{} changed by writing its parts back", path.display());
    }
}

#[test]
fn every_named_value_changes_exactly_its_own_byte() {
    let Some(all) = banks("part_pages_only_its_byte") else { return };
    let (path, bytes) = all.iter().find(|(p, _)| p.to_string_lossy().contains("real-device")).unwrap();
    let mut b = bank(bytes);
    let part_at = |copy: PartCopy, i: usize| copy.offset(i);
    for (copy, part, t) in [(PartCopy::Working, 1u8, 2u8), (PartCopy::Saved, 2, 8)] {
        let pt = b.part_track(part, copy, t).unwrap();
        let ctx = pt.context();
        for q in params::part_params(AUDIO_PART_PAGES, &ctx) {
            let before = b.raw().as_bytes().to_vec();
            let mut v = b.part_track(part, copy, t).unwrap();
            let old = v.param(&q.name).unwrap();
            let new = if old == 0 { 1 } else { old - 1 };
            v.set_param(&q.name, new).unwrap_or_else(|e| panic!("{}: {} {e}", path.display(), q.name));
            b.set_part_track(part, copy, t, &v).unwrap();
            let at = part_at(copy, usize::from(part - 1)) + q.at(usize::from(t - 1));
            assert_eq!(changed(&before, b.raw().as_bytes()), vec![at], "{}", q.name);
            assert_eq!(b.part_track(part, copy, t).unwrap().param(&q.name).unwrap(), new, "{}", q.name);
        }
        for q in params::part_params(MIDI_PART_PAGES, &AudioContext::default()) {
            let before = b.raw().as_bytes().to_vec();
            let mut v = b.midi_part_track(part, copy, t).unwrap();
            let old = v.param(&q.name).unwrap();
            let new = if old == q.show(0) { old + 1 } else { old - 1 };
            v.set_param(&q.name, new).unwrap_or_else(|e| panic!("{} {e}", q.name));
            b.set_midi_part_track(part, copy, t, &v).unwrap();
            let at = part_at(copy, usize::from(part - 1)) + q.at(usize::from(t - 1));
            assert_eq!(changed(&before, b.raw().as_bytes()), vec![at], "{}", q.name);
            assert_eq!(b.midi_part_track(part, copy, t).unwrap().param(&q.name).unwrap(), new, "{}", q.name);
        }
    }
}

#[test]
fn the_real_device_part_pages_read_as_the_device_set_them() {
    let Some(all) = banks("part_pages_real_device") else { return };
    let (_, bytes) = all.iter().find(|(p, _)| p.to_string_lossy().contains("real-device/bank01.work")).unwrap();
    let b = bank(bytes);
    // Saved part 1, track 4 (Flex): LFO 1 at depth 34 with destination 5, wave 10 and trig
    // mode 1 -- the LFO page, LFO setup 1 and LFO setup 2 bytes of the same LFO were set
    // together on the device, which places PMTR/WAVE at +763 and MULT/TRIG at +787.
    let t4 = b.part_track(1, PartCopy::Saved, 4).unwrap();
    let v = |n: &str| t4.param(n).unwrap();
    assert_eq!((v("lfo.dep1"), v("lfo_setup.pmtr1"), v("lfo_setup.wave1"), v("lfo_setup.trig1")), (34, 5, 10, 1));
    assert_eq!((v("lfo_setup.mult1"), v("lfo_setup.pmtr2")), (0, 0));
    // Its recorder: RLEN 7, TRIG 2, SRC3 6, loop off, FIN 2, FOUT 36, QREC/QPL off.
    let rec: Vec<u8> = t4.page("rec").into_iter().map(|(_, x)| x).collect();
    assert_eq!(rec, [0, 0, 7, 2, 6, 0, 2, 36, 0, 255, 255, 0]);
    // SRC and SRC setup through the machine: `src.len` of a Flex track is `flex.len`.
    assert_eq!((v("src.len"), v("flex.len"), v("setup.loop"), v("flex_setup.tstr")), (62, 62, 0, 0));
    // Working part 1, track 2: the pickup setup (TSTR 3, TSNS 39) is kept though the track is
    // a Flex machine.
    let t2 = b.part_track(1, PartCopy::Working, 2).unwrap();
    assert_eq!((t2.param("pickup_setup.tstr").unwrap(), t2.param("pickup_setup.tsns").unwrap()), (3, 39));
    // Track 1 (Thru): AMP setup AMP 3, SYNC 1.
    let t1 = b.part_track(1, PartCopy::Working, 1).unwrap();
    assert_eq!((t1.param("amp_setup.amp").unwrap(), t1.param("amp_setup.sync").unwrap()), (3, 1));
    assert_eq!((t1.param("src.inab").unwrap(), t1.param("thru.vol_ab").unwrap()), (1, 127));
    // Track 8: FX1 (filter) setup byte 6 and its values by the filter's names.
    let t8 = b.part_track(1, PartCopy::Working, 8).unwrap();
    assert_eq!((t8.param("fx1_setup.p6").unwrap(), t8.param("fx1.base").unwrap()), (70, 56));
}

#[test]
fn setup_pages_of_the_blank_bank_are_the_peers_defaults() {
    // ot-tools-io 0.11.3 AudioTrackParamsSetup::default: LFO setup 1 zeros, AMP setup 1 1 0 0 0
    // 0, FX1 setup 0 0 1 0 3 0, FX2 setup 0 1 127 1 0 0, LFO setup 2 zeros -- the device's blank
    // bank holds exactly these, in this order.
    let Some(all) = banks("part_pages_blank_defaults") else { return };
    let (_, bytes) = all.iter().find(|(p, _)| p.to_string_lossy().contains("blank-project/bank01.work")).unwrap();
    let b = bank(bytes);
    for t in 1..=8 {
        let pt = b.part_track(1, PartCopy::Working, t).unwrap();
        let page = |p: &str| pt.page(p).into_iter().map(|(_, x)| x).collect::<Vec<u8>>();
        assert_eq!(page("amp_setup"), [1, 1, 0, 0, 0, 0]);
        assert_eq!(page("fx1_setup"), [0, 0, 1, 0, 3, 0]);
        assert_eq!(page("fx2_setup"), [0, 1, 127, 1, 0, 0]);
        assert_eq!(page("lfo_setup"), [0; 12]);
        assert_eq!(page("setup"), [1, 0, 0, 0, 1, 64], "Static/Flex SRC setup: LOOP on, TSTR 1, TSNS 64");
        let m = b.midi_part_track(1, PartCopy::Working, t).unwrap();
        assert_eq!((m.param("arp_setup.len").unwrap(), m.param("ctrl1_setup.cc1").unwrap()), (7, 7));
        assert_eq!(m.param("note_setup.chan").unwrap(), 1, "stored 0, shown as channel 1");
    }
}

#[test]
fn setters_refuse_out_of_range_values_naming_the_place() {
    let mut b = Bank::new(3);
    let mut pt = b.part_track(2, PartCopy::Working, 5).unwrap();
    let e = pt.set_param("amp_setup.sync", 128).unwrap_err().to_string();
    assert!(e.contains("bank 3 part 2 track 5") && e.contains("amp_setup.sync 128: must be 0-127"), "{e}");
    assert!(pt.set_param("rec.qrec", 255).is_ok(), "255 = OFF");
    let e = pt.set_param("flex_setup.bogus", 1).unwrap_err().to_string();
    assert!(e.contains("unknown parameter") && e.contains("flex_setup.tsns"), "{e}");
    let mut m = b.midi_part_track(2, PartCopy::Working, 5).unwrap();
    let e = m.set_param("note_setup.chan", 17).unwrap_err().to_string();
    assert!(e.contains("bank 3 part 2 MIDI track 5") && e.contains("note_setup.chan 17: must be 1-16"), "{e}");
    assert!(m.set_param("note_setup.chan", 0).is_err());
    m.set_param("note_setup.chan", 16).unwrap();
    assert_eq!(m.channel, 16);
    b.set_midi_part_track(2, PartCopy::Working, 5, &m).unwrap();
    assert_eq!(b.midi_part_track(2, PartCopy::Working, 5).unwrap().param("note_setup.chan").unwrap(), 16);
    let before = b.raw().as_bytes().to_vec();
    let mut bad = b.midi_part_track(2, PartCopy::Working, 5).unwrap();
    bad.channel = 0;
    let e = b.set_midi_part_track(2, PartCopy::Working, 5, &bad).unwrap_err().to_string();
    assert!(e.contains("bank 3 part 2 MIDI track 5") && e.contains("channel 0"), "{e}");
    assert_eq!(b.raw().as_bytes(), &before[..], "a refused write changes nothing");
}
