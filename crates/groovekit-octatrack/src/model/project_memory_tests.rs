use super::*;

#[test]
fn project_file_names_are_recognised_and_nothing_else() {
    assert_eq!(FileName::parse("project"), Some(FileName::Project));
    assert_eq!(FileName::parse("markers"), Some(FileName::Markers));
    assert_eq!(FileName::parse("bank01"), Some(FileName::Bank(1)));
    assert_eq!(FileName::parse("bank16"), Some(FileName::Bank(16)));
    assert_eq!(FileName::parse("arr08"), Some(FileName::Arrangement(8)));
    for no in ["bank00", "bank17", "bank1", "bank001", "arr09", "arr00", "arr+1", "kick", ""] {
        assert_eq!(FileName::parse(no), None, "{no}");
    }
    assert_eq!(split_name("bank03.strd"), Some((FileName::Bank(3), Source::Strd)));
    assert_eq!(split_name("bank03.wav"), None);
    assert_eq!(split_name("bank03"), None);
}

#[test]
fn files_given_are_read_and_the_others_are_blank() {
    let mut blank = Project::new();
    let bank = {
        let b = blank.bank_mut(2).unwrap();
        let mut s = b.pattern(1).unwrap();
        s.master_length = 48;
        b.set_pattern(1, &s).unwrap();
        b.to_bytes()
    };
    let mut p = Project::from_files([("bank02.work", bank.clone())]).unwrap();
    assert_eq!(p.dir(), None);
    assert_eq!(p.source(), Source::New);
    assert_eq!(p.bank_source(2), Some(Source::Work));
    assert_eq!(p.bank(2).unwrap().pattern(1).unwrap().master_length, 48);
    assert_eq!(p.bank(1).unwrap().to_bytes(), crate::raw::bank::default_bank_bytes());
    let files = p.to_files(false).unwrap();
    assert_eq!(files.len(), 1 + 16 + 8 + 1);
    assert_eq!(files.iter().find(|(n, _)| n == "bank02.work").map(|(_, b)| b), Some(&bank));
    assert_eq!(p.to_files(true).unwrap().len(), 2 * 26);
}

#[test]
fn work_wins_over_strd_and_bad_names_and_bytes_are_refused_by_name() {
    let blank = crate::raw::bank::default_bank_bytes();
    let p = Project::from_files([("bank01.strd", vec![1, 2, 3]), ("bank01.work", blank.clone())]);
    assert!(p.is_ok(), "the .work file is read, the .strd ignored");
    let e = Project::from_files([("bank01.work", blank[..100].to_vec())]).unwrap_err().to_string();
    assert!(e.contains("bank01.work") && e.contains("truncated"), "{e}");
    let e = Project::from_files([("kick.wav", Vec::new())]).unwrap_err().to_string();
    assert!(e.contains("kick.wav") && e.contains("not a project file"), "{e}");
}
