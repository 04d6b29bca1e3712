use super::*;

#[test]
fn macos_litter_is_skipped_and_project_files_are_not() {
    assert!(is_litter("__MACOSX/P/._project.work"));
    assert!(is_litter("P/.DS_Store"));
    assert!(is_litter(".DS_Store"));
    assert!(!is_litter("P/project.work"));
    assert!(!is_litter("AUDIO/DS_Store.wav"));
}

#[test]
fn same_content_compares_size_then_every_byte() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("a.wav");
    let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    groovekit_core::fs::write_atomic(&f, &bytes).unwrap();
    assert!(same_content(&f, bytes.len() as u64, &mut &bytes[..]).unwrap());
    let mut other = bytes.clone();
    other[150_000] ^= 1;
    assert!(!same_content(&f, other.len() as u64, &mut &other[..]).unwrap());
    assert!(!same_content(&f, 5, &mut &b"short"[..]).unwrap());
}
