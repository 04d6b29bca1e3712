use super::*;

#[test]
fn relative_paths_go_through_the_common_folder() {
    let p = Path::new("/set/PROJ");
    assert_eq!(relative_path(p, Path::new("/set/AUDIO/a b/c&d.wav")), b"../AUDIO/a b/c&d.wav".to_vec());
    assert_eq!(relative_path(p, Path::new("/set/PROJ/x.wav")), b"x.wav".to_vec());
    assert_eq!(resolve(p, b"../AUDIO/x.wav"), PathBuf::from("/set/PROJ/../AUDIO/x.wav"));
    assert!(is_inside(&resolve(p, b"../AUDIO/x.wav"), Path::new("/set/AUDIO")));
}

#[test]
fn markers_refs_cover_recorders() {
    assert_eq!(markers_ref(SlotType::Flex, 129), Some(SlotRef::Recorder(1)));
    assert_eq!(markers_ref(SlotType::Static, 128), Some(SlotRef::Static(128)));
    assert_eq!(markers_ref(SlotType::Static, 129), None);
}
