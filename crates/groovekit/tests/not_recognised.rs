//! Issue 11 item 4 / issue 12 item 3: a file no format claims says why, per format, in
//! `inspect`, `verify` and `dump`: when it looks like a damaged supported file, the format, the
//! reason (size, magic, encoding) and the byte offset; anything else, its size and first bytes.
//! Every damaged file is built in the test from a fixture.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn gk() -> Command {
    Command::cargo_bin("groovekit").unwrap()
}

fn fixtures(test: &str) -> Option<PathBuf> {
    groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), test)
}

/// Text without whitespace or miette's frame characters (so that wrapping cannot split a
/// needle).
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace() && !matches!(c, '│' | '×' | '╰' | '─' | '╭')).collect()
}

/// Runs `inspect`, `verify` and `dump` on `file`: each exits 1 and says every one of `needles`.
fn every_verb_says(file: &Path, needles: &[&str]) {
    for verb in ["inspect", "verify", "dump"] {
        let out = gk().arg(verb).arg(file).env("NO_COLOR", "1").output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{verb} {}", file.display());
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        for n in needles {
            assert!(squash(&text).contains(&squash(n)), "{verb} {}: no {n:?} in:\n{text}", file.display());
        }
    }
}

#[test]
fn a_track_song_with_an_invalid_utf8_byte_names_the_byte() {
    let Some(fx) = fixtures("a_track_song_with_an_invalid_utf8_byte_names_the_byte") else { return };
    let mut b = std::fs::read(fx.join("track/kick_snare.track")).unwrap();
    let at = b.windows(5).position(|w| w == b"SCORE").unwrap() + 1;
    b.insert(at, 0xFF);
    let dir = tempfile::tempdir().unwrap();
    for name in ["song.track", "song.txt"] {
        let p = dir.path().join(name);
        std::fs::write(&p, &b).unwrap();
        every_verb_says(&p, &[".track song", &format!("invalid UTF-8 at byte {at} (0xFF)"), &format!("@{at}")]);
    }
}

#[test]
fn an_octatrack_bank_with_a_damaged_header_names_magic_offset_and_bytes() {
    let Some(fx) = fixtures("an_octatrack_bank_with_a_damaged_header") else { return };
    let mut b = std::fs::read(fx.join("octatrack/blank-project/bank01.work")).unwrap();
    b[0..4].copy_from_slice(b"XXXX");
    let dir = tempfile::tempdir().unwrap();
    // Named as the device names it, and under any other name (found by its DPS1 header and size).
    for name in ["bank01.work", "saved bank.bin"] {
        let p = dir.path().join(name);
        std::fs::write(&p, &b).unwrap();
        every_verb_says(&p, &["not an Octatrack bank file", "wrong magic at byte 0", "\"XXXX", "@0"]);
    }
}

#[test]
fn an_oktalyzer_module_with_a_bad_chunk_or_magic_names_the_offset() {
    let Some(fx) = fixtures("an_oktalyzer_module_with_a_bad_chunk") else { return };
    let good = std::fs::read(fx.join("okt/demosong_1.okta")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    // The CMOD chunk's id damaged: the module cannot be read; the chunk's offset is named.
    let cmod = good.windows(4).position(|w| w == b"CMOD").unwrap();
    let mut b = good.clone();
    b[cmod..cmod + 4].copy_from_slice(b"CMXD");
    let p = dir.path().join("chunk.okta");
    std::fs::write(&p, &b).unwrap();
    every_verb_says(&p, &[&format!("@{cmod}"), "'CMXD'", "no CMOD chunk"]);
    // The magic damaged: found by name, and by the chunks after it under another name.
    let mut b = good.clone();
    b[0..8].copy_from_slice(b"OKTAS0NG");
    for name in ["magic.okta", "magic.bin"] {
        let p = dir.path().join(name);
        std::fs::write(&p, &b).unwrap();
        every_verb_says(&p, &["not an Oktalyzer module", "no OKTASONG magic at byte 0", "\"OKTAS0NG\"", "@0"]);
    }
}

#[test]
fn anything_else_gives_its_size_and_first_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("notes.bin");
    std::fs::write(&p, b"hello\x00world, and more than sixteen bytes").unwrap();
    for verb in ["inspect", "verify", "dump"] {
        let out = gk().arg(verb).arg(&p).env("NO_COLOR", "1").output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{verb}");
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        for n in ["not a file groovekit recognises", "40 bytes", r#""hello\x00world, and""#, "68 65 6c 6c 6f 00"] {
            assert!(squash(&text).contains(&squash(n)), "{verb}: no {n:?} in:\n{text}");
        }
    }
}
