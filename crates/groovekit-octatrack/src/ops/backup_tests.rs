use super::*;

#[test]
fn utc_stamps() {
    assert_eq!(utc_stamp(0), "19700101-000000");
    assert_eq!(utc_stamp(1_764_290_096), "20251128-003456");
    assert_eq!(utc_stamp(951_782_400), "20000229-000000");
}

#[test]
fn a_fail_point_leaves_every_file_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.work");
    std::fs::write(&a, b"old").unwrap();
    let changes = vec![
        Change::Copy { from: a.clone(), to: dir.path().join("sub/new.wav") },
        Change::Write { path: a.clone(), bytes: b"new".to_vec() },
    ];
    // Fail points before each staging, then at each rename of the commit.
    for step in 0..4 {
        let (opts, spec) = if step < 2 {
            (ApplyOptions { fail_at_step: Some(step) }, None)
        } else {
            (ApplyOptions::default(), Some(format!("rename:{}", step - 1)))
        };
        groovekit_core::fs::failpoint::arm_thread(spec.as_deref());
        let err = apply(dir.path(), "t", &changes, opts);
        groovekit_core::fs::failpoint::arm_thread(None);
        assert!(err.is_err(), "step {step}");
        assert_eq!(std::fs::read(&a).unwrap(), b"old");
        assert!(!dir.path().join("sub").exists(), "step {step}");
        assert!(!dir.path().join("backups").exists(), "step {step}");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 1, "step {step}: {names:?}");
    }
    let done = apply(dir.path(), "t", &changes, ApplyOptions::default()).unwrap();
    assert_eq!(std::fs::read(&a).unwrap(), b"new");
    assert_eq!(std::fs::read(dir.path().join("sub/new.wav")).unwrap(), b"old");
    let plan = restore(&done.backup, false, ApplyOptions::default()).unwrap();
    assert_eq!(plan.restore, vec![a.clone()]);
    assert_eq!(std::fs::read(&a).unwrap(), b"old");
    assert!(!dir.path().join("sub/new.wav").exists());
}
