//! `ops::new_project` writes the device's blank project, file for file and byte for byte.

use groovekit_octatrack::ops::new_project::{NewProjectOptions, new_project};

#[test]
fn new_project_equals_the_blank_project_fixture() {
    let Some(dir) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "new_project_equals_blank")
    else {
        return;
    };
    let blank = dir.join("octatrack/blank-project");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("NEW");
    let report = new_project(&out, NewProjectOptions::default()).unwrap();
    let mut expected: Vec<String> =
        std::fs::read_dir(&blank).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    expected.sort();
    let mut written: Vec<String> =
        report.files.iter().map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    written.sort();
    assert_eq!(written, expected);
    assert_eq!(expected.len(), 26);
    for name in &expected {
        let want = std::fs::read(blank.join(name)).unwrap();
        let got = std::fs::read(out.join(name)).unwrap();
        assert_eq!(got.len(), want.len(), "{name}");
        let first_diff = got.iter().zip(&want).position(|(a, b)| a != b);
        assert_eq!(first_diff, None, "{name} differs from the device file at byte {first_diff:?}");
    }
}
