//! Loader and writer against the real modules in the fixture corpus.

use std::path::PathBuf;

use groovekit_okt::model::{Module, Variant};

fn okt_files(test: &str) -> Option<(Vec<PathBuf>, Vec<PathBuf>)> {
    let dir = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), test)?.join("okt");
    let all = groovekit_core::fixtures::files_under(&dir, &|p| {
        p.extension().is_some_and(|e| e == "okta" || e == "okt" || e == "okt2")
    });
    let (bad, good): (Vec<_>, Vec<_>) =
        all.into_iter().partition(|p| p.components().any(|c| c.as_os_str() == "malformed"));
    Some((good, bad))
}

#[test]
fn every_well_formed_module_round_trips_byte_for_byte() {
    let Some((good, _)) = okt_files("every_well_formed_module_round_trips_byte_for_byte") else { return };
    assert!(good.len() >= 11, "expected the 11 well-formed modules, found {}", good.len());
    for p in &good {
        let bytes = std::fs::read(p).unwrap();
        let (m, warnings) = Module::load(&bytes).unwrap();
        assert_eq!(m.to_bytes(), bytes, "{}", p.display());
        // The only tolerated observation on a clean file is the OKTASNG2 flag.
        let is2 = p.extension().is_some_and(|e| e == "okt2");
        assert_eq!(m.variant == Variant::Oktasng2, is2, "{}", p.display());
        assert_eq!(warnings.len(), usize::from(is2), "{}: {warnings:?}", p.display());
        // Every pattern holds rows × channels × 4 bytes, and every SBOD matches its header.
        for pat in &m.patterns {
            assert_eq!(pat.data.len(), usize::from(pat.rows) * m.channels() * 4, "{}", p.display());
        }
        for s in m.samples.iter().filter(|s| s.length != 0) {
            assert_eq!(s.usable().len(), (s.length & !1) as usize, "{}", p.display());
        }
        assert_eq!(m.patterns.len(), usize::from(m.pattern_count));
    }
}

#[test]
fn known_facts_about_the_fixtures() {
    let Some((good, _)) = okt_files("known_facts_about_the_fixtures") else { return };
    let get = |name: &str| {
        let p = good.iter().find(|p| p.file_name().unwrap() == name).unwrap();
        Module::load(&std::fs::read(p).unwrap()).unwrap().0
    };
    // Reference §3: channel layouts.
    let yes = get("yes-part-ii.okt");
    assert_eq!(yes.channel_flags, [1, 1, 1, 1]);
    assert_eq!(yes.channels(), 8);
    let lame = get("lame_d-mo.okta");
    assert_eq!(lame.channels(), 4);
    assert!(lame.samples.iter().filter(|s| s.length != 0).all(|s| s.mode == 1));
    let demo1 = get("demosong_1.okta");
    assert_eq!(demo1.channel_flags, [1, 0, 1, 0]);
    assert_eq!(demo1.channel_map(), vec![(0, true), (0, true), (1, false), (2, true), (2, true), (3, false)]);
    assert_eq!(demo1.samples.len(), 36);
    // 7-bit samples (modes 0 and 2) hold data in -64..63 (reference §1.3).
    for m in [&yes, &demo1] {
        for s in m.samples.iter().filter(|s| s.mode != 1) {
            assert!(s.usable().iter().all(|&b| (-64..=63).contains(&(b as i8))));
        }
    }
}

#[test]
fn malformed_modules_load_or_fail_cleanly() {
    let Some((_, bad)) = okt_files("malformed_modules_load_or_fail_cleanly") else { return };
    assert_eq!(bad.len(), 3);
    for p in &bad {
        let bytes = std::fs::read(p).unwrap();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let (m, warnings) = Module::load(&bytes).unwrap();
        assert!(!warnings.is_empty(), "{name}");
        match name.as_str() {
            // Duplicate SPEE/SLEN/PLEN after 62 zero chunks: the first ones win; no PATT.
            "load_okt_duplicate_chunk.okt" => {
                assert!(warnings.iter().any(|w| w.message.contains("duplicate 'SPEE'")));
                assert_eq!(m.patterns.len(), 3);
            }
            // The first CMOD id is garbage; the real CMOD comes last and runs past the end.
            "load_okt_invalid_chunk_order.okt" => {
                assert!(warnings.iter().any(|w| w.message.contains("declares 2050 bytes")));
                assert_eq!(m.patterns.len(), 1);
            }
            // SBODs but no patterns.
            "load_okt_sbod_leak.okt" => assert!(m.patterns.is_empty()),
            other => panic!("unexpected fixture {other}"),
        }
        // Writing then loading again gives the same module.
        let again = Module::load(&m.to_bytes()).unwrap().0;
        assert_eq!(again.patterns, m.patterns, "{name}");
        assert_eq!(again.samples, m.samples, "{name}");
    }
}

#[test]
fn mutated_fixtures_never_panic() {
    let Some((good, bad)) = okt_files("mutated_fixtures_never_panic") else { return };
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for p in good.iter().take(3).chain(bad.iter()) {
        let orig = std::fs::read(p).unwrap();
        for round in 0..60 {
            let mut b = orig.clone();
            // Mutate chunk headers and the early bytes most of the time, anything otherwise.
            for _ in 0..(1 + next() % 8) {
                let span = if round % 2 == 0 { b.len().min(2048) } else { b.len() };
                let i = (next() as usize) % span.max(1);
                if let Some(x) = b.get_mut(i) {
                    *x = next() as u8;
                }
            }
            if round % 5 == 0 {
                b.truncate((next() as usize) % b.len().max(1));
            }
            if let Ok((m, _)) = Module::load(&b) {
                let _ = m.to_bytes();
                let _ = groovekit_okt::human::to_doc(&m, &mut groovekit_okt::human::store_inline);
                if round % 10 == 0 {
                    let opts =
                        groovekit_okt::render::RenderOptions { rate: 4000, max_seconds: 2, ..Default::default() };
                    let _ = groovekit_okt::render::render(&m, opts, |b| {
                        assert!(b.iter().all(|s| s.is_finite()));
                        Ok::<_, ()>(())
                    });
                }
            }
        }
    }
}
