//! Unit tests of `folder` on copies of the real-device project.

use super::*;

/// A Set in a temp folder: `MYPROJECT` (a copy of the real-device project) and an empty `AUDIO`.
fn set_with_real_project() -> Option<(tempfile::TempDir, PathBuf)> {
    let root = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "folder summaries")?;
    let set = tempfile::tempdir().unwrap();
    let project = set.path().join("MYPROJECT");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::create_dir_all(set.path().join("AUDIO")).unwrap();
    for e in std::fs::read_dir(root.join("octatrack/real-device")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), project.join(e.file_name())).unwrap();
    }
    Some((set, project))
}

#[test]
fn a_project_summary_has_tempo_banks_slots_and_missing_samples() {
    let Some((_set, project)) = set_with_real_project() else { return };
    let s = summarise_project(&project).unwrap();
    assert_eq!(s.name, "MYPROJECT");
    assert!(s.tempo.is_some_and(|t| (30.0..=300.0).contains(&t)), "{:?}", s.tempo);
    assert_eq!(s.banks.iter().map(|b| (b.bank, b.letter)).collect::<Vec<_>>(), vec![(1, 'A')]);
    // Every pattern listed has content: check one against the model.
    let mut model = Project::open(&project).unwrap();
    let bank = model.bank(1).unwrap();
    for &p in &s.banks[0].patterns {
        let any = (1..=8).any(|t| bank.audio_steps(p, t).unwrap().iter().any(|x| x.trig || x.trigless))
            || (1..=8).any(|t| bank.midi_steps(p, t).unwrap().iter().any(|x| x.trig || x.trigless));
        assert!(any, "pattern {p} listed without content");
    }
    // The Set's AUDIO is empty: every sample the project lists is missing.
    let listed = model.samples().iter().filter(|x| !x.path.is_empty()).count();
    assert_eq!(s.flex_slots + s.static_slots, listed);
    assert_eq!(s.missing_samples.len(), listed);
    assert!(!s.problems.is_empty(), "missing files are problems");
}

#[test]
fn a_set_summary_lists_its_projects_and_ignores_backups() {
    let Some((set, project)) = set_with_real_project() else { return };
    std::fs::create_dir_all(set.path().join("backups/old")).unwrap();
    std::fs::copy(project.join("project.work"), set.path().join("backups/old/project.work")).unwrap();
    std::fs::write(set.path().join("AUDIO/a.wav"), b"RIFF").unwrap();
    let s = summarise_set(set.path()).unwrap();
    assert_eq!(s.projects.len(), 1, "backups/ is not a project");
    assert_eq!(s.audio_files, 1);
    assert!(s.has_audio);
}

#[test]
fn folder_diffs_compare_files_by_meaning_and_list_added_and_removed_ones() {
    let Some((set, project)) = set_with_real_project() else { return };
    let other = set.path().join("OTHER");
    std::fs::create_dir_all(&other).unwrap();
    for e in std::fs::read_dir(&project).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), other.join(e.file_name())).unwrap();
    }
    assert_eq!(diff_folders(&project, &other).unwrap(), Vec::<String>::new());
    // A trig added in bank 1, arr01 removed, a backup added (ignored).
    let mut model = Project::open(&other).unwrap();
    let bank = model.bank_mut(1).unwrap();
    let mut step = bank.audio_step(16, 8, 64).unwrap();
    step.trig = !step.trig;
    bank.set_audio_step(16, 8, 64, &step).unwrap();
    model.save().unwrap();
    std::fs::remove_file(other.join("arr01.work")).unwrap();
    std::fs::write(other.join("bank01.work.bak"), b"old").unwrap();
    let lines = diff_folders(&project, &other).unwrap();
    assert!(lines.contains(&"removed arr01.work".to_string()), "{lines:#?}");
    assert!(lines.iter().any(|l| l.starts_with("bank01.work: ") && l.contains("step 64")), "{lines:#?}");
    assert!(!lines.iter().any(|l| l.contains(".bak")), "{lines:#?}");
}

#[test]
fn sample_settings_differences_read_as_slices() {
    use crate::model::sample_settings::Slice;
    let a = SampleSettings::default();
    let mut b = a.clone();
    b.slices.push(Slice { start: 440_641, end: 557_322, loop_point: None });
    assert_eq!(sample_settings_differences_of(&a, &b), vec!["slice 1: added 440641-557322".to_string()]);
    assert_eq!(sample_settings_differences_of(&b, &a), vec!["slice 1: removed 440641-557322".to_string()]);
    assert!(sample_settings_differences_of(&a, &a).is_empty());
}
