use super::*;

fn root_in(tmp: &Path) -> Root {
    std::fs::create_dir_all(tmp.join("served/AUDIO")).unwrap();
    std::fs::write(tmp.join("served/AUDIO/a.wav"), b"x").unwrap();
    std::fs::write(tmp.join("secret.txt"), b"secret").unwrap();
    Root::new(0, &tmp.join("served")).unwrap()
}

#[test]
fn paths_inside_resolve() {
    let tmp = tempfile::tempdir().unwrap();
    let root = root_in(tmp.path());
    assert_eq!(root.kind, RootKind::Folder);
    let p = root.resolve("AUDIO/a.wav").unwrap();
    assert!(p.ends_with("AUDIO/a.wav"));
    assert_eq!(root.rel(&p).as_deref(), Some("AUDIO/a.wav"));
    // Not there yet (an edit's destination): checked through its parent.
    assert!(root.resolve("AUDIO/new%20file.wav").unwrap().ends_with("AUDIO/new file.wav"));
}

#[test]
fn traversal_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root = root_in(tmp.path());
    for bad in [
        "..",
        "../secret.txt",
        "AUDIO/../../secret.txt",
        "%2e%2e/secret.txt",
        "%2E%2E/secret.txt",
        "AUDIO/%2e%2e/%2e%2e/secret.txt",
        "..%2fsecret.txt",
        "%2fetc%2fpasswd",
        "AUDIO//a.wav",
        ".",
        "..%5csecret.txt",
        "a%00b",
        "%zz",
    ] {
        assert!(root.resolve(bad).is_err(), "{bad} was accepted");
    }
}

#[cfg(unix)]
#[test]
fn symlinks_out_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root = root_in(tmp.path());
    std::os::unix::fs::symlink(tmp.path().join("secret.txt"), tmp.path().join("served/AUDIO/link.wav")).unwrap();
    std::os::unix::fs::symlink(tmp.path(), tmp.path().join("served/up")).unwrap();
    assert!(root.resolve("AUDIO/link.wav").is_err());
    assert!(root.resolve("up/secret.txt").is_err());
    assert!(root.resolve("up/new.wav").is_err(), "a new file under a symlink out");
    // A symlink that stays inside is fine.
    std::os::unix::fs::symlink(tmp.path().join("served/AUDIO/a.wav"), tmp.path().join("served/AUDIO/in.wav")).unwrap();
    assert!(root.resolve("AUDIO/in.wav").is_ok());
}
