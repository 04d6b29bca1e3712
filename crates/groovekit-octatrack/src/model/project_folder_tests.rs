use super::*;

#[test]
fn relative_paths_climb_with_forward_slashes() {
    let base = std::env::temp_dir().join("gk-rel-test-none");
    assert_eq!(relative_path(&base.join("SET/PROJ"), &base.join("SET/AUDIO/kick one.wav")), "../AUDIO/kick one.wav");
    assert_eq!(relative_path(&base.join("P"), &base.join("P/x.wav")), "x.wav");
}

#[test]
fn a_new_project_has_blank_banks_and_needs_a_folder_to_save() {
    let mut p = Project::new();
    assert_eq!(p.source(), Source::New);
    assert_eq!(p.bank(3).unwrap().raw().as_bytes(), crate::raw::bank::default_bank_bytes().as_slice());
    assert_eq!(p.loaded_banks(), vec![3]);
    assert!(p.bank(17).unwrap_err().to_string().contains("1-16"));
    assert!(p.save().unwrap_err().to_string().contains("save_to"));
    assert!(p.add_sample(Path::new("x.wav"), SlotType::Flex, None).unwrap_err().to_string().contains("folder"));
}
