use super::*;

#[test]
fn lock_is_reentrant_in_a_thread_and_released_with_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let a = lock_folder_waiting(dir.path(), Duration::ZERO).unwrap();
    let b = lock_folder_waiting(dir.path(), Duration::ZERO).unwrap();
    assert!(dir.path().join(LOCK_FILE).exists());
    drop(a);
    assert!(dir.path().join(LOCK_FILE).exists(), "released while a guard remains");
    drop(b);
    assert!(!dir.path().join(LOCK_FILE).exists(), "the lock file stays after release");
}

#[test]
fn another_thread_waits_then_fails_with_the_holder() {
    let dir = tempfile::tempdir().unwrap();
    let _held = lock_folder_waiting(dir.path(), Duration::ZERO).unwrap();
    let p = dir.path().to_path_buf();
    let e = std::thread::spawn(move || lock_folder_waiting(&p, Duration::from_millis(50)).map(|_| ()))
        .join()
        .unwrap()
        .unwrap_err();
    let text = e.to_string();
    assert!(text.contains("is busy: another groovekit operation (pid "), "{text}");
    assert!(text.contains(&format!("pid {}, since ", std::process::id())), "{text}");
}

#[test]
fn a_stale_lock_of_a_dead_process_is_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    // A lock file left by a process that is gone (no such pid on Linux: above pid_max).
    std::fs::write(dir.path().join(LOCK_FILE), "pid 4194305\nstart 12\nsince 2026-01-01 00:00:00 UTC\n").unwrap();
    assert_eq!(lock_holder(dir.path()), None, "a dead process holds nothing");
    let l = lock_folder_waiting(dir.path(), Duration::ZERO).unwrap();
    let text = std::fs::read_to_string(dir.path().join(LOCK_FILE)).unwrap();
    assert!(text.starts_with(&format!("pid {}\n", std::process::id())), "{text}");
    drop(l);
}

#[test]
fn holder_text_round_trips_and_a_dead_pid_is_not_alive() {
    let h = Holder { pid: 4194305, start: 7, since: "2026-12-06 12:00:00 UTC".into() };
    assert_eq!(Holder::parse(&h.text()), Some(h.clone()));
    assert!(!h.alive());
    let me = Holder::me();
    assert!(me.alive());
    assert!(!Holder { start: me.start + 1, ..me.clone() }.alive() || me.start == 0, "a reused pid counts as alive");
}
