//! The readable bank document: dump then build is byte-identical for every fixture bank in YAML
//! and JSON, the YAML is small, and hand edits build valid banks.

use groovekit_core::doc::Syntax;
use groovekit_octatrack::human::bank::{self, BankDoc};
use groovekit_octatrack::raw::bank::{Bank, PartCopy, default_bank_bytes};
use groovekit_octatrack::raw::header::{BinaryKind, compute_checksum, stored_checksum};
use groovekit_octatrack::raw::pattern;

fn fixture_banks(test: &str) -> Option<Vec<(std::path::PathBuf, Vec<u8>)>> {
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

#[test]
fn every_fixture_bank_dumps_and_builds_back_in_yaml_and_json() {
    let Some(all) = fixture_banks("bank_doc_round_trip") else { return };
    // The 32 blank banks are identical; test each distinct image once in both syntaxes.
    let mut seen = std::collections::HashSet::new();
    let mut n = 0;
    for (path, bytes) in &all {
        if !seen.insert(blake3::hash(bytes)) {
            continue;
        }
        n += 1;
        for syntax in [Syntax::Yaml, Syntax::Json] {
            let text = bank::to_text(bytes, syntax).unwrap();
            let back = bank::from_text(&text).unwrap_or_else(|e| panic!("{} {syntax:?}: {e}\n{text}", path.display()));
            assert!(back == *bytes, "{} {syntax:?} does not round-trip", path.display());
        }
    }
    assert!(n >= 3, "{n} distinct banks");
}

#[test]
fn blank_bank_document_is_one_line_and_bank_copy_is_small() {
    let blank = bank::to_text(&default_bank_bytes(), Syntax::Yaml).unwrap();
    assert_eq!(blank.trim(), "kind: octatrack-bank\nversion: 3");
    let Some(dir) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "bank_doc_size") else {
        return;
    };
    let bytes = std::fs::read(dir.join("octatrack/bank-copy/BANK-COPY-SRC/bank01.work")).unwrap();
    let yaml = bank::to_text(&bytes, Syntax::Yaml).unwrap();
    // ot-tools-io's dump of a bank is 12.6 MB; 10x smaller would be 1.26 MB.
    assert!(yaml.len() < 20_000, "{} bytes:\n{yaml}", yaml.len());
    assert!(yaml.contains("trigs: [1, 9]"), "{yaml}");
    assert!(yaml.contains("name: TEST1"), "{yaml}");
    let doc: BankDoc = groovekit_core::doc::from_text(&yaml).unwrap();
    let parts: Vec<Option<u16>> = doc.patterns.iter().take(4).map(|p| p.part).collect();
    assert_eq!(parts, [None, Some(2), Some(3), Some(4)], "part 1 is the default");
    assert!(doc.unmodelled.len() < 40, "{:?}", doc.unmodelled);
}

#[test]
fn hand_edited_yaml_builds_a_valid_bank() {
    let yaml = "kind: octatrack-bank
version: 2
patterns:
- pattern: 3
  part: 2
  tempo_x24: 3192
  settings: {master_length: 32}
  tracks:
  - track: 2
    trigs: [1, 5, 9, 13]
    steps:
    - {step: 5, condition: fill, repeats: 3, micro: -4, locks: {amp.vol: 100, src.ptch: 70, sample: 3}}
  midi_tracks:
  - track: 1
    trigs: [1]
    steps:
    - {step: 1, locks: {note.note: 60}}
parts:
- part: 1
  name: DRUMS
  working:
    tracks:
    - {track: 4, machine: Static, fx1: eq, static_slot: 12, params: {amp: [10, 127, 127, 64, 64, 127]}}
    scenes:
    - scene: 2
      tracks:
      - {track: 1, locks: {amp.vol: 0}}
";
    let bytes = bank::from_text(yaml).unwrap();
    assert_eq!(stored_checksum(&bytes), Some(compute_checksum(&bytes)));
    let b = Bank::read(&bytes).unwrap();
    let p = b.pattern(2);
    assert_eq!(p.part(), 1);
    assert_eq!(p.tempo_x24(), 3192);
    assert_eq!(p.master_length(), 32);
    let t = p.audio_track(1);
    assert_eq!(pattern::steps_of(t.trigs()), vec![1, 5, 9, 13]);
    let timing = t.timing(4);
    assert_eq!((pattern::condition_name(timing.condition).as_str(), timing.repeats, timing.micro), ("fill", 2, -4));
    assert_eq!(t.plock(4)[15], 100);
    assert_eq!(t.plock(4)[0], 70);
    assert_eq!(t.plock(4)[31], 2, "sample lock 3 is stored 0-based in byte 31");
    assert_eq!(p.midi_track(0).plock(0)[0], 60);
    assert_eq!(b.part_name(0), "DRUMS");
    let part = b.part(PartCopy::Working, 0);
    assert_eq!(part.machine(3), 0);
    assert_eq!(part.byte(groovekit_octatrack::raw::part::FX1_TYPE + 3), 12);
    assert_eq!(part.byte(groovekit_octatrack::raw::part::SLOTS + 15), 11);
    assert_eq!(part.scene_locks(1, 0)[15], 0);
    // And it dumps back to the same document.
    let again: BankDoc = groovekit_core::doc::from_text(&bank::to_text(&bytes, Syntax::Yaml).unwrap()).unwrap();
    assert_eq!(bank::build(&again).unwrap(), bytes);
}

#[test]
fn adding_a_trig_to_a_dumped_fixture_changes_only_that_trig() {
    let Some(dir) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "bank_doc_edit") else {
        return;
    };
    let bytes = std::fs::read(dir.join("octatrack/bank-copy/BANK-COPY-SRC/bank01.work")).unwrap();
    let yaml = bank::to_text(&bytes, Syntax::Yaml).unwrap();
    let edited = yaml.replacen("trigs: [1, 9]", "trigs: [1, 5, 9]", 1);
    assert_ne!(edited, yaml);
    let out = bank::from_text(&edited).unwrap();
    let b = Bank::read(&out).unwrap();
    assert_eq!(pattern::steps_of(b.pattern(0).audio_track(0).trigs()), vec![1, 5, 9]);
    let changed: Vec<usize> = (0..out.len() - 2).filter(|&i| out[i] != bytes[i]).collect();
    assert_eq!(changed.len(), 1, "one mask byte: {changed:?}");
}

#[test]
fn bad_documents_name_the_field() {
    let cases = [
        ("kind: octatrack-bank\nversion: 2\npatterns:\n- pattern: 17\n", "pattern 17"),
        (
            "kind: octatrack-bank\nversion: 2\npatterns:\n- pattern: 1\n  tracks:\n  - track: 1\n    trigs: [0]\n",
            "step 0",
        ),
        (
            "kind: octatrack-bank\nversion: 2\npatterns:\n- pattern: 1\n  tracks:\n  - track: 1\n    mask5: [1]\n",
            "mask5",
        ),
        (
            "kind: octatrack-bank\nversion: 2\npatterns:\n- pattern: 1\n  tracks:\n  - track: 1\n    steps:\n    - {step: 2, locks: {bogus: 1}}\n",
            "bogus",
        ),
        (
            "kind: octatrack-bank\nversion: 2\npatterns:\n- pattern: 1\n  tracks:\n  - track: 1\n    steps:\n    - {step: 2, condition: sometimes}\n",
            "sometimes",
        ),
        ("kind: octatrack-bank\nversion: 2\nparts:\n- part: 1\n  name: FAR-TOO-LONG\n", "part 1 name"),
        (
            "kind: octatrack-bank\nversion: 2\nparts:\n- part: 1\n  working:\n    tracks:\n    - {track: 1, machine: Sampler}\n",
            "Sampler",
        ),
        ("kind: octatrack-bank\nversion: 2\nunmodelled:\n- {at: 636110, hex: '0102'}\n", "unmodelled"),
        ("kind: octatrack-bank\nversion: 2\nunmodelled:\n- {at: 22, hex: '00'}\n", "PTRN"),
        ("kind: octatrack-arrangement\n", "kind"),
        ("kind: octatrack-bank\nversion: 2\nsurprise: 1\n", "surprise"),
    ];
    for (yaml, needle) in cases {
        let e = bank::from_text(yaml).unwrap_err().to_string();
        assert!(e.contains(needle), "{yaml}\n=> {e}");
    }
}

#[test]
fn documents_without_a_version_are_refused_and_version_1_is_converted() {
    let old = "kind: octatrack-bank\npatterns:\n- pattern: 1\n  tracks:\n  - track: 1\n    trigs: [1, 17]\n";
    let e = bank::from_text(old).unwrap_err().to_string();
    assert!(e.contains("no `version` key") && e.contains("version: 1"), "{e}");
    assert!(bank::from_text("kind: octatrack-bank\nversion: 4\n").unwrap_err().to_string().contains("version"));
    // Before the fix, a trig on steps 17 and 25 were listed the other way round; the step-1 trig
    // and the old lock names (raw, 0-based sample slot) convert.
    let v1 = "kind: octatrack-bank
version: 1
patterns:
- pattern: 1
  tracks:
  - track: 1
    trigs: [1, 25, 49]
    steps:
    - {step: 1, locks: {amp_vol: 90, static_slot: 4, flex_slot: 7}}
  midi_tracks:
  - track: 2
    trigs: [33]
    steps:
    - {step: 1, locks: {note: 61}}
";
    let b = Bank::read(&bank::from_text(v1).unwrap()).unwrap();
    let pat = b.pattern(0);
    let t = pat.audio_track(0);
    assert_eq!(pattern::steps_of(t.trigs()), vec![1, 17, 57]);
    assert_eq!((t.plock(0)[15], t.plock(0)[30], t.plock(0)[31]), (90, 4, 7));
    assert_eq!(pattern::steps_of(b.pattern(0).midi_track(1).trigs()), vec![41]);
    assert_eq!(b.pattern(0).midi_track(1).plock(0)[0], 61);
    // The converted bank dumps as a version 2 document with the device's names.
    let yaml = bank::to_text(b.as_bytes(), Syntax::Yaml).unwrap();
    assert!(yaml.contains("version: 3") && yaml.contains("trigs: [1, 17, 57]"), "{yaml}");
    // Byte 31 (`flex_slot`) is the sample lock, shown 1-based; byte 30 (`static_slot`) stays raw.
    assert!(yaml.contains("sample: 8") && yaml.contains("byte30: 4") && yaml.contains("amp.vol: 90"), "{yaml}");
}

#[test]
fn lock_names_follow_the_machine_and_fx_of_the_patterns_part() {
    let yaml = "kind: octatrack-bank
version: 2
parts:
- part: 2
  working:
    tracks:
    - {track: 1, machine: Flex, fx1: filter, fx2: plate}
patterns:
- pattern: 1
  part: 2
  tracks:
  - track: 1
    trigs: [1]
    steps:
    - {step: 1, locks: {src.strt: 8, fx1.base: 30, fx2.damp: 40}}
";
    let bytes = bank::from_text(yaml).unwrap();
    let b = Bank::read(&bytes).unwrap();
    let r = b.pattern(0).audio_track(0).plock(0).to_vec();
    assert_eq!((r[1], r[18], r[25]), (8, 30, 40));
    let back = bank::to_text(&bytes, Syntax::Yaml).unwrap();
    assert!(back.contains("fx1.base: 30") && back.contains("src.strt: 8") && back.contains("fx2.damp: 40"), "{back}");
    // A Filter's name on a track whose FX1 is an EQ is refused, naming the place and the options.
    let bad = yaml.replace("fx1: filter", "fx1: eq");
    let e = bank::from_text(&bad).unwrap_err().to_string();
    assert!(e.contains("pattern 1 track 1 step 1 locks.fx1.base") && e.contains("fx1.frq1"), "{e}");
}

#[test]
fn version_3_documents_name_part_values_and_version_2_groups_still_build() {
    let v3 = "kind: octatrack-bank
version: 3
parts:
- part: 1
  working:
    tracks:
    - track: 2
      machine: Flex
      fx1: eq
      values: {flex.ptch: 70, flex_setup.loop: 0, amp_setup.sync: 0, fx1.gain1: 80, rec.rlen: 16, lfo_setup.wave1: 3}
    midi_tracks:
    - track: 1
      values: {note_setup.chan: 10, arp.mode: 2, ctrl1_setup.cc1: 74}
";
    let bytes = bank::from_text(v3).unwrap();
    let b = groovekit_octatrack::model::bank::Bank::from_raw(Bank::read(&bytes).unwrap(), 1);
    let t = b.part_track(1, PartCopy::Working, 2).unwrap();
    let v = |n: &str| t.param(n).unwrap();
    assert_eq!((v("src.ptch"), v("setup.loop"), v("amp_setup.sync"), v("fx1.gain1")), (70, 0, 0, 80));
    assert_eq!((v("rec.rlen"), v("lfo_setup.wave1")), (16, 3));
    let m = b.midi_part_track(1, PartCopy::Working, 1).unwrap();
    assert_eq!((m.channel, m.param("arp.mode").unwrap(), m.param("ctrl1_setup.cc1").unwrap()), (10, 2, 74));
    // The dump names the same values (and only those that differ from the blank bank).
    let yaml = bank::to_text(&bytes, Syntax::Yaml).unwrap();
    for n in ["flex.ptch: 70", "flex_setup.loop: 0", "amp_setup.sync: 0", "fx1.gain1: 80", "note_setup.chan: 10"] {
        assert!(yaml.contains(n), "{n}\n{yaml}");
    }
    assert!(!yaml.contains("params"), "{yaml}");
    // Groups are version 2: refused in a version 3 document, converted from version 2.
    let groups = "kind: octatrack-bank
version: 3
parts:
- part: 1
  working:
    tracks:
    - {track: 4, params: {amp: [10, 127, 127, 64, 64, 127]}}
";
    let e = bank::from_text(groups).unwrap_err().to_string();
    assert!(e.contains("part 1 working track 4 params") && e.contains("version 1-2"), "{e}");
    let bytes = bank::from_text(&groups.replace("version: 3", "version: 2")).unwrap();
    let yaml = bank::to_text(&bytes, Syntax::Yaml).unwrap();
    assert!(yaml.contains("amp.atk: 10") && yaml.contains("version: 3"), "{yaml}");
    // Unknown names and out-of-range values are refused with the place.
    let e = bank::from_text(&v3.replace("rec.rlen", "rec.bogus")).unwrap_err().to_string();
    assert!(e.contains("values.rec.bogus") && e.contains("rec.qrec"), "{e}");
    let e = bank::from_text(&v3.replace("note_setup.chan: 10", "note_setup.chan: 0")).unwrap_err().to_string();
    assert!(e.contains("values.note_setup.chan") && e.contains("must be 1-256"), "{e}");
}
