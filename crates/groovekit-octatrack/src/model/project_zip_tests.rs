use super::*;

#[test]
fn project_file_entries_are_the_projects_own_files_only() {
    for yes in ["P/project.work", "P/bank01.strd", "P/arr08.work", "P/markers.strd", "P/bank16.work"] {
        assert!(is_project_file_entry(yes, "P/"), "{yes}");
    }
    for no in ["P/kick.wav", "P/bank1.work", "P/bank01.wav", "Q/bank01.work", "P/sub/bank01.work", "P/arr01.ot"] {
        assert!(!is_project_file_entry(no, "P/"), "{no}");
    }
    assert!(is_project_file_entry("project.work", ""));
}

#[test]
fn dos_times_are_utc_calendar_dates() {
    let t = |secs: u64| dos_time(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs));
    // 2026-11-28 06:33:10 UTC.
    let d = t(1_795_847_590);
    assert_eq!((d.year(), d.month(), d.day(), d.hour(), d.minute(), d.second()), (2026, 11, 28, 6, 33, 10));
    // 2000-02-29 23:59:58 (a leap day; DOS times have 2-second steps).
    let d = t(951_868_798);
    assert_eq!((d.year(), d.month(), d.day(), d.hour(), d.minute()), (2000, 2, 29, 23, 59));
    // Before 1980: the format's first day.
    assert_eq!(t(0), DateTime::default());
}

#[test]
fn slash_paths_join_components_with_slashes() {
    assert_eq!(slash_path(Path::new("AUDIO/sub dir/kick & snare.wav")), "AUDIO/sub dir/kick & snare.wav");
}
