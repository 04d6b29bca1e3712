use super::*;

#[test]
fn tokens_are_random_and_compared_whole() {
    let (a, b) = (new_token(), new_token());
    assert_eq!(a.len(), 32);
    assert_ne!(a, b);
    assert!(same_secret(&a, &a.clone()));
    assert!(!same_secret(&a, &b));
    assert!(!same_secret(&a, &a[..31]));
    assert!(!same_secret(&a, ""));
}

/// A dead server's render cache is removed when the next one starts; a running one's (this
/// process), other names and plain files are left.
#[test]
fn render_caches_of_dead_servers_are_pruned() {
    if !Path::new("/proc/self").is_dir() {
        eprintln!("skipped: no /proc to tell running processes");
        return;
    }
    let temp = tempfile::tempdir().unwrap();
    let dead = temp.path().join(format!("{RENDER_DIR_PREFIX}4294967295-8000"));
    let alive = temp.path().join(format!("{RENDER_DIR_PREFIX}{}-8000", std::process::id()));
    let other = temp.path().join(format!("{RENDER_DIR_PREFIX}notes"));
    let file = temp.path().join(format!("{RENDER_DIR_PREFIX}4294967295-8001"));
    for d in [&dead, &alive, &other] {
        std::fs::create_dir_all(d).unwrap();
        std::fs::write(d.join("x.wav"), b"RIFF").unwrap();
    }
    std::fs::write(&file, b"keep").unwrap();
    prune_render_dirs(temp.path());
    assert!(!dead.exists());
    assert!(alive.join("x.wav").is_file());
    assert!(other.join("x.wav").is_file());
    assert!(file.is_file());
}
