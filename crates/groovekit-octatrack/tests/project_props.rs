//! Property and robustness tests for `project.work`: random model edits survive write then
//! parse (and dump then build), and mutated fixture bytes never panic the parser.

use groovekit_core::doc::Syntax;
use groovekit_octatrack::human::project as human;
use groovekit_octatrack::model::project::{DEFAULT_SETTINGS, Project, STATE_KEYS, SampleSlot, SampleTiming, SlotType};
use proptest::prelude::*;

/// One edit through the typed API.
#[derive(Debug, Clone)]
enum Edit {
    Tempo(f64),
    Setting(usize, i64),
    TrigMode(usize, i64),
    State(usize, i64),
    SetSample(SampleSlot),
    RemoveSample(SlotType, u16),
}

fn slot_type() -> impl Strategy<Value = SlotType> {
    prop_oneof![Just(SlotType::Flex), Just(SlotType::Static)]
}

fn sample() -> impl Strategy<Value = SampleSlot> {
    (
        slot_type(),
        1u16..=136,
        proptest::collection::vec(any::<u8>().prop_filter("no line breaks", |b| *b != b'\r' && *b != b'\n'), 0..24),
        prop_oneof![
            Just(Vec::new()),
            (-5i64..100_000).prop_map(|v| vec![SampleTiming::BpmX24(v)]),
            (0i64..100_000).prop_map(|v| vec![SampleTiming::TrimBarsX100(v)]),
            (0i64..100_000, -5i64..100_000)
                .prop_map(|(t, b)| vec![SampleTiming::TrimBarsX100(t), SampleTiming::BpmX24(b)]),
            (-5i64..100_000, 0i64..100_000)
                .prop_map(|(b, t)| vec![SampleTiming::BpmX24(b), SampleTiming::TrimBarsX100(t)])
        ],
        proptest::option::of(0i64..4),
        proptest::option::of(0i64..3),
        proptest::option::of(0i64..128),
        proptest::option::of(-1i64..256),
    )
        .prop_map(|(t, n, path, timing, tsmode, loopmode, gain, tq)| SampleSlot {
            slot_type: t,
            slot: if t == SlotType::Static { (n - 1) % 128 + 1 } else { n },
            path,
            timing,
            tsmode,
            loopmode,
            gain,
            trig_quantization: tq,
        })
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (30.0f64..=300.0).prop_map(Edit::Tempo),
        (0..DEFAULT_SETTINGS.len() - 1, -1i64..1000).prop_map(|(k, v)| Edit::Setting(k, v)),
        (1usize..=8, 0i64..4).prop_map(|(t, v)| Edit::TrigMode(t, v)),
        (0..STATE_KEYS.len(), 0i64..300).prop_map(|(k, v)| Edit::State(k, v)),
        sample().prop_map(Edit::SetSample),
        (slot_type(), 1u16..=136).prop_map(|(t, n)| Edit::RemoveSample(t, n)),
    ]
}

fn apply(p: &mut Project, e: &Edit) {
    match e {
        Edit::Tempo(bpm) => p.set_tempo_bpm(*bpm).unwrap(),
        Edit::Setting(k, v) => {
            let key = DEFAULT_SETTINGS[*k].0;
            if key != "TRIG_MODE_MIDI" {
                p.set_setting(key, *v).unwrap();
                assert_eq!(p.setting(key), Some(*v));
            }
        }
        Edit::TrigMode(t, v) => {
            p.set_trig_mode_midi(*t, *v).unwrap();
            assert_eq!(p.trig_mode_midi()[t - 1], *v);
        }
        Edit::State(k, v) => {
            p.set_state(STATE_KEYS[*k], *v).unwrap();
            assert_eq!(p.state(STATE_KEYS[*k]), Some(*v));
        }
        Edit::SetSample(s) => {
            p.set_sample(s).unwrap();
            assert_eq!(p.sample(s.slot_type, s.slot).as_ref(), Some(s));
        }
        Edit::RemoveSample(t, n) => {
            let had = p.sample(*t, *n).is_some();
            assert_eq!(p.remove_sample(*t, *n), had);
            assert!(p.sample(*t, *n).is_none());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn random_edits_survive_write_then_parse(edits in proptest::collection::vec(edit(), 1..24)) {
        let mut p = Project::new_default();
        for e in &edits {
            apply(&mut p, e);
        }
        let bytes = p.to_bytes();
        let back = Project::parse(&bytes).unwrap();
        prop_assert_eq!(&back, &p);
        prop_assert_eq!(back.samples(), p.samples());
        prop_assert_eq!(back.tempo_x24(), p.tempo_x24());
        prop_assert_eq!(back.trig_mode_midi(), p.trig_mode_midi());
        // And through the readable document (non-UTF-8 paths go through original_hex).
        let doc = human::to_doc(&p);
        prop_assert_eq!(human::from_doc(&doc).unwrap().to_bytes(), bytes.clone());
        let yaml = human::to_text(&p, Syntax::Yaml).unwrap();
        prop_assert_eq!(human::from_text(&yaml).unwrap().to_bytes(), bytes);
    }
}

/// Mutated fixture bytes: every result is an error or a file that writes back identically.
#[test]
fn mutated_fixtures_never_panic() {
    let Some(dir) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "mutated_fixtures") else {
        return;
    };
    let files = groovekit_core::fixtures::files_under(&dir.join("octatrack"), &|p| {
        p.file_name().is_some_and(|n| n == "project.work")
    });
    let inserts: [&[u8]; 8] = [b"=", b"[", b"]", b"\r\n", b"\n", b"[/SAMPLE]\r\n", b"\xff\xfe", b"-"];
    let mut parsed = 0usize;
    let mut rejected = 0usize;
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for f in files {
        let original = std::fs::read(&f).unwrap();
        for _ in 0..300 {
            let mut m = original.clone();
            let at = (next() % m.len() as u64) as usize;
            match next() % 4 {
                0 => m[at] = next() as u8,
                1 => m.truncate(at),
                2 => {
                    let ins = inserts[(next() % inserts.len() as u64) as usize];
                    m.splice(at..at, ins.iter().copied());
                }
                _ => {
                    let end = (at + 1 + (next() % 40) as usize).min(m.len());
                    m.drain(at..end);
                }
            }
            match Project::parse(&m) {
                Ok(p) => {
                    parsed += 1;
                    assert_eq!(p.to_bytes(), m);
                    let doc = human::to_doc(&p);
                    assert_eq!(human::from_doc(&doc).unwrap().to_bytes(), m);
                }
                Err(e) => {
                    rejected += 1;
                    let msg = e.to_string();
                    assert!(!msg.is_empty());
                }
            }
        }
    }
    // Both outcomes occur, so the loop exercises the error paths and the writer.
    assert!(parsed > 50 && rejected > 50, "parsed {parsed}, rejected {rejected}");
}
