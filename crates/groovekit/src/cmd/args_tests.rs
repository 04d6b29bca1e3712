use super::*;

#[test]
fn ranges_accept_their_ends_and_refuse_beyond() {
    assert_eq!(rate("8000"), Ok(8000));
    assert_eq!(rate("192000"), Ok(192_000));
    assert!(rate("0").is_err());
    assert!(rate("192001").is_err());
    assert!(rate("x").is_err());
    assert_eq!(ot_slice_count("64"), Ok(64));
    assert!(ot_slice_count("65").is_err());
    assert!(ot_slice_count("0").is_err());
    assert!(ot_bpm("500").is_err());
    assert_eq!(ot_bpm("120"), Ok(120.0));
    assert!(ot_bpm("NaN").is_err());
    assert!(ot_gain_db("0.25").is_err());
    assert_eq!(ot_gain_db("-1.5"), Ok(-1.5));
    assert!(percent("101").is_err());
    assert!(ot_bit_depth("8").is_err());
}

#[test]
fn counts_agree_in_number() {
    assert_eq!(count(1, "problem"), "1 problem");
    assert_eq!(count(0, "problem"), "0 problems");
    assert_eq!(count(2, "byte"), "2 bytes");
}

#[test]
fn usage_errors_are_recognised() {
    assert!(is_usage(&usage("x")));
    assert!(!is_usage(&miette::miette!("x")));
}

#[test]
fn octatrack_places_and_slot_lists() {
    assert_eq!(ot_bank("p"), Ok(16));
    assert_eq!(ot_bank("3"), Ok(3));
    assert!(ot_bank("Q").is_err() && ot_bank("17").is_err() && ot_bank("0").is_err());
    let at = ot_track_at("SET/A:B:C:12:8").unwrap();
    assert_eq!((at.project, at.bank, at.numbers), ("SET/A:B".into(), 3, vec![12, 8]));
    assert!(ot_track_at("P:1:1:9").is_err(), "track 9");
    assert!(ot_pattern_at("P:1:17").is_err());
    assert!(ot_part_at("P:1:5").is_err());
    assert!(ot_pattern_at("P:1").is_err(), "the pattern is missing");
    assert!(ot_pattern_at(":1:1").is_err(), "the project is missing");
    assert_eq!(ot_slot_list("9, 1-4,3"), Ok(vec![1, 2, 3, 4, 9]));
    assert!(ot_slot_list("4-1").is_err() && ot_slot_list("129").is_err() && ot_slot_list("").is_err());
}

#[test]
fn ranges_read_as_musicians_write_them() {
    assert_eq!(range_text(1, 16), "1-16");
    assert_eq!(range_text(-96, 95), "-96 to 95");
    let pattern = ranged(1u8, 16, "pattern");
    assert_eq!(pattern("16"), Ok(16));
    let e = pattern("17").unwrap_err();
    assert!(e.contains("1-16") && !e.contains("..="), "{e}");
    assert!(ot_bank("0").unwrap_err().contains("1-16"));
    assert_eq!(ot_bank_u8("a"), Ok(1));
    assert_eq!(ot_bank_u8("16"), Ok(16));
    assert!(ot_bank_u8("Q").is_err());
}

#[test]
fn a_file_where_a_project_folder_belongs_gets_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("MYPROJECT");
    std::fs::create_dir(&project).unwrap();
    std::fs::write(project.join("bank01.work"), b"x").unwrap();
    std::fs::write(project.join("project.work"), b"x").unwrap();
    let bank = project.join("bank01.work");
    let e = ot_project_dir(bank.to_str().unwrap()).unwrap_err();
    assert!(
        e.contains("an Octatrack bank file") && e.ends_with(&format!("give its project folder, {}", project.display())),
        "{e}"
    );
    let e = ot_project_dir(project.join("project.work").to_str().unwrap()).unwrap_err();
    assert!(e.contains("the project file"), "{e}");
    assert_eq!(ot_project_dir(project.to_str().unwrap()), Ok(project.clone()));
    assert!(ot_pattern_at(&format!("{}:1:1", bank.display())).unwrap_err().contains("give its project folder"));
}

#[test]
fn ages_have_a_unit_and_a_range() {
    assert_eq!(age("30d"), Ok(30 * 86_400));
    assert_eq!(age("2w"), Ok(2 * 604_800));
    assert_eq!(age("90m"), Ok(5400));
    assert!(age("30").is_err());
    assert!(age("0d").is_err());
    assert!(age("3y").is_err());
    assert!(age("-1d").is_err());
}
