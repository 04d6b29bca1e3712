use super::*;

#[test]
fn pattern_and_part_ranges_cover_the_bank_between_header_and_checksum() {
    assert_eq!(PATTERN_BYTES.end, PART_BYTES.start);
    assert_eq!(PATTERN_BYTES.start, PATTERNS_OFFSET);
    assert_eq!(PART_BYTES.end + 2, BANK_SIZE, "the last two bytes are the checksum");
    // Every pattern and the part names lie inside.
    assert_eq!(crate::raw::bank::pattern_offset(16), PATTERN_BYTES.end);
    let names_end = crate::raw::bank::PART_NAMES + 4 * crate::raw::bank::PART_NAME_LEN;
    assert!(PART_BYTES.contains(&(names_end - 1)));
}

#[test]
fn audio_files_skip_backups_and_match_extensions_in_any_case() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::create_dir_all(d.join("backups/x")).unwrap();
    std::fs::create_dir_all(d.join("sub")).unwrap();
    for f in ["a.wav", "B.WAV", "sub/c.aif", "backups/x/old.wav", "notes.txt", "a.ot"] {
        std::fs::write(d.join(f), b"x").unwrap();
    }
    let found: Vec<_> = audio_files(d).unwrap().into_iter().map(|f| f.strip_prefix(d).unwrap().to_path_buf()).collect();
    assert_eq!(found, ["B.WAV", "a.wav", "sub/c.aif"].iter().map(PathBuf::from).collect::<Vec<_>>());
    assert!(audio_files(&d.join("none")).unwrap().is_empty());
}

#[test]
fn a_set_needs_an_audio_folder_or_projects_and_a_project_is_not_a_set() {
    let tmp = tempfile::tempdir().unwrap();
    let e = open_set(tmp.path()).unwrap_err().to_string();
    assert!(e.contains("not an Octatrack Set"), "{e}");
    std::fs::write(tmp.path().join("project.work"), b"x").unwrap();
    let e = open_set(tmp.path()).unwrap_err().to_string();
    assert!(e.contains("project folder, not a Set"), "{e}");
}
