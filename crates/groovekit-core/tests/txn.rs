//! The transaction layer (`groovekit_core::fs`): all-or-nothing over several files and folders,
//! backups, dry runs, fail points at every write/fsync/rename, crash recovery, symbolic links,
//! modes, hard links, leftovers, and a full disk.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use groovekit_core::fs::{Change, IfExists, Recovery, Transaction, failpoint, recover};

/// Every regular file under `dir` (relative path -> bytes).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let m = fs::symlink_metadata(&p).unwrap();
            if m.is_dir() {
                stack.push(p);
            } else if m.is_file() {
                out.insert(p.strip_prefix(dir).unwrap().to_path_buf(), fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// A project-like tree: two folders, three existing files.
fn setup(root: &Path) {
    fs::create_dir_all(root.join("a")).unwrap();
    fs::create_dir_all(root.join("b")).unwrap();
    fs::write(root.join("a/project.work"), b"old project").unwrap();
    fs::write(root.join("a/bank01.work"), b"old bank").unwrap();
    fs::write(root.join("b/kick.wav"), b"old kick").unwrap();
}

/// The transaction every fault test runs: two replacements with backups, one replacement without,
/// one new file in a new folder, one copy.
fn stage(root: &Path, tx: &mut Transaction) -> Result<(), groovekit_core::fs::FsError> {
    tx.set_if_exists(IfExists::Backup);
    tx.write(&root.join("a/project.work"), b"new project, longer")?;
    tx.write(&root.join("a/bank01.work"), b"new bank")?;
    tx.set_if_exists(IfExists::Replace);
    tx.write(&root.join("b/kick.wav"), b"new kick")?;
    tx.write(&root.join("c/new/notes.txt"), b"new notes")?;
    fs::write(root.join("src.bin"), b"copied sample").unwrap();
    tx.copy(&root.join("b/snare.wav"), &root.join("src.bin"))?;
    Ok(())
}

/// The state after a successful [`stage`] + commit, without the backups.
fn expected_new(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut m = BTreeMap::new();
    for (k, v) in [
        ("a/project.work", &b"new project, longer"[..]),
        ("a/bank01.work", b"new bank"),
        ("b/kick.wav", b"new kick"),
        ("c/new/notes.txt", b"new notes"),
        ("b/snare.wav", b"copied sample"),
        ("src.bin", b"copied sample"),
    ] {
        m.insert(PathBuf::from(k), v.to_vec());
    }
    let _ = root;
    m
}

fn without_backups(mut s: BTreeMap<PathBuf, Vec<u8>>) -> BTreeMap<PathBuf, Vec<u8>> {
    s.retain(|k, _| !k.to_string_lossy().contains(".bak"));
    s
}

#[test]
fn commit_writes_every_file_with_backups() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    setup(root);
    let mut tx = Transaction::new();
    stage(root, &mut tx).unwrap();
    let report = tx.commit().unwrap();
    let after = snapshot(root);
    assert_eq!(without_backups(after.clone()), expected_new(root));
    assert_eq!(after[Path::new("a/project.work.bak")], b"old project");
    assert_eq!(after[Path::new("a/bank01.work.bak")], b"old bank");
    assert_eq!(report.backups().len(), 2);
    assert_eq!(report.created_dirs, vec![root.join("c"), root.join("c/new")]);
    assert_eq!(report.files.iter().filter(|f| f.change == Change::Create).count(), 2);
    assert!(!after.keys().any(|k| k.to_string_lossy().contains("groovekit")), "leftovers: {:?}", after.keys());
}

#[test]
fn dry_run_plans_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    setup(root);
    fs::write(root.join("src.bin"), b"copied sample").unwrap();
    let before = snapshot(root);
    let mut tx = Transaction::new().dry_run(true);
    stage(root, &mut tx).unwrap();
    let plan = tx.plan();
    assert_eq!(plan.len(), 5);
    assert_eq!(plan[0].backup.as_deref(), Some(root.join("a/project.work.bak").as_path()));
    assert_eq!(plan[0].bytes, 19);
    assert_eq!(plan[4].source.as_deref(), Some(root.join("src.bin").as_path()));
    assert_eq!(plan[4].bytes, 13);
    assert!(plan[3].to_string().starts_with("create "), "{}", plan[3]);
    let report = tx.commit().unwrap();
    assert!(report.dry_run);
    assert_eq!(snapshot(root), before);
    assert!(!root.join("c").exists(), "a dry run created a folder");
}

/// The fault matrix: every write, fsync and rename of the transaction fails in turn; after each
/// failure every file is as before (and no leftover remains). A fail point that fires on an
/// operation whose failure is tolerated (the fsync of a parent folder of a created folder) lets
/// the transaction succeed: then every file is new. The sweep goes on past the first success, to
/// N = 40 (more operations than the transaction does), so that a tolerated failure early on does
/// not hide the later ones.
#[test]
fn every_failed_write_fsync_or_rename_changes_nothing() {
    for op in ["write", "fsync", "rename"] {
        let mut failures = 0;
        let mut successes = 0;
        for n in 1..=40 {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path();
            setup(root);
            fs::write(root.join("src.bin"), b"copied sample").unwrap();
            let before = snapshot(root);
            failpoint::arm_thread(Some(&format!("{op}:{n}")));
            let mut tx = Transaction::new();
            let result = stage(root, &mut tx).and_then(|()| tx.commit().map(|_| ()));
            failpoint::arm_thread(None);
            match result {
                Err(e) => {
                    failures += 1;
                    assert!(e.to_string().contains("fail point"), "{op}:{n}: {e}");
                    assert_eq!(snapshot(root), before, "{op}:{n} changed files");
                    assert!(!root.join("c").exists(), "{op}:{n} left a created folder");
                }
                Ok(()) => {
                    successes += 1;
                    assert_eq!(without_backups(snapshot(root)), expected_new(root), "{op}:{n}");
                }
            }
        }
        // 5 staged files: each is written, fsynced and renamed at least once.
        assert!(failures >= 5, "{op}: only {failures} operations could fail");
        assert!(successes >= 1, "{op}: never succeeded");
    }
}

/// A crash at each rename (the process state is left as a kill would leave it), then the
/// recovery a later run does: all new afterwards, with no journal or leftover.
#[test]
fn recovery_finishes_a_transaction_interrupted_at_any_rename() {
    let mut n = 1;
    loop {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        setup(root);
        fs::write(root.join("src.bin"), b"copied sample").unwrap();
        let before = snapshot(root);
        failpoint::arm_thread(Some(&format!("crash-rename:{n}")));
        let mut tx = Transaction::new();
        let result = stage(root, &mut tx).and_then(|()| tx.commit().map(|_| ()));
        failpoint::arm_thread(None);
        if result.is_ok() {
            assert!(n > 5, "fewer renames than files");
            break;
        }
        let mut notes = Vec::new();
        for d in ["a", "b", "c/new", "."] {
            notes.extend(recover(&root.join(d)).unwrap());
        }
        let after = without_backups(snapshot(root));
        let clean: BTreeMap<_, _> = after
            .iter()
            .filter(|(k, _)| !k.to_string_lossy().contains("groovekit"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        assert_eq!(clean.len(), after.len(), "crash-rename:{n}: leftovers {:?} (notes {notes:?})", after.keys());
        let old = without_backups(before.clone());
        assert!(after == expected_new(root) || after == old, "crash-rename:{n}: mixed state {after:?}");
        if after == expected_new(root) {
            assert!(notes.iter().any(|r| matches!(r, Recovery::Finished { .. })), "crash-rename:{n}: {notes:?}");
        }
        n += 1;
        assert!(n < 50);
    }
}

/// When a staged file is lost after the crash, the transaction cannot be finished: it is undone.
#[test]
fn recovery_undoes_when_it_cannot_finish() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    setup(root);
    let before = snapshot(root);
    // Renames: the journals in a and b (2), then the files; crash at the second file.
    failpoint::arm_thread(Some("crash-rename:4"));
    let mut tx = Transaction::new();
    tx.write(&root.join("a/project.work"), b"new project").unwrap();
    tx.write(&root.join("a/bank01.work"), b"new bank").unwrap();
    tx.write(&root.join("b/kick.wav"), b"new kick").unwrap();
    assert!(tx.commit().is_err());
    failpoint::arm_thread(None);
    assert_eq!(fs::read(root.join("a/project.work")).unwrap(), b"new project");
    // Lose the staged kick.
    for e in fs::read_dir(root.join("b")).unwrap() {
        let p = e.unwrap().path();
        if p.to_string_lossy().contains("groovekit-tmp") {
            fs::remove_file(p).unwrap();
        }
    }
    let notes = recover(&root.join("a")).unwrap();
    assert!(matches!(notes.first(), Some(Recovery::Undone { .. })), "{notes:?}");
    recover(&root.join("b")).unwrap();
    assert_eq!(snapshot(root), before);
}

/// A file changed by someone else after the crash: recovery touches nothing and says so.
#[test]
fn recovery_reports_a_conflict_and_touches_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    setup(root);
    failpoint::arm_thread(Some("crash-rename:3"));
    let mut tx = Transaction::new();
    tx.write(&root.join("a/project.work"), b"new project").unwrap();
    tx.write(&root.join("a/bank01.work"), b"new bank").unwrap();
    assert!(tx.commit().is_err());
    failpoint::arm_thread(None);
    // Someone edits the file not yet renamed, and removes the staged one of the renamed file.
    fs::remove_file(root.join("a/bank01.work")).unwrap();
    fs::write(root.join("a/bank01.work"), b"edited by hand").unwrap();
    let before = snapshot(root);
    let notes = recover(&root.join("a")).unwrap();
    assert!(matches!(notes.first(), Some(Recovery::Conflict { .. })), "{notes:?}");
    assert!(notes[0].to_string().contains("bank01.work"), "{}", notes[0]);
    assert_eq!(snapshot(root), before);
}

/// Leftovers of a crashed run (its process is gone) are removed by the next write to the folder;
/// those of a live process are not.
#[test]
fn leftovers_of_dead_processes_are_cleaned() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    let stale = [
        format!(".bank01.work.groovekit-tmp-{dead}-3"),
        format!(".bank01.work.groovekit-tmp-{dead}"),
        format!(".bank01.work.bak.groovekit-tmp-{dead}-0"),
        format!(".bank01.work.groovekit-old-{dead}-1"),
        format!(".groovekit-journal-{dead}-2.tmp"),
    ];
    for s in &stale {
        fs::write(root.join(s), b"partial").unwrap();
    }
    let live = format!(".x.groovekit-tmp-{}-99999", std::process::id());
    fs::write(root.join(&live), b"mine").unwrap();
    fs::write(root.join("user.groovekit-tmp-1"), b"a user's file").unwrap();
    let notes = recover(root).unwrap();
    let Some(Recovery::Cleaned { files }) = notes.last() else { panic!("{notes:?}") };
    assert_eq!(files.len(), stale.len());
    for s in &stale {
        assert!(!root.join(s).exists(), "{s} kept");
    }
    assert!(root.join(&live).exists());
    assert!(root.join("user.groovekit-tmp-1").exists());
}

#[cfg(unix)]
#[test]
fn symlink_is_followed_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir(root.join("real")).unwrap();
    fs::write(root.join("real/project.opz"), b"old").unwrap();
    std::os::unix::fs::symlink("real/project.opz", root.join("link.opz")).unwrap();
    let mut tx = Transaction::new().if_exists(IfExists::Backup);
    tx.write(&root.join("link.opz"), b"new").unwrap();
    let report = tx.commit().unwrap();
    assert!(fs::symlink_metadata(root.join("link.opz")).unwrap().file_type().is_symlink());
    assert_eq!(fs::read(root.join("real/project.opz")).unwrap(), b"new");
    assert_eq!(report.backups(), vec![root.join("real/project.opz.bak")]);
    assert_eq!(fs::read(root.join("real/project.opz.bak")).unwrap(), b"old");
}

#[cfg(unix)]
#[test]
fn mode_is_kept() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("secret.work");
    fs::write(&p, b"old").unwrap();
    fs::set_permissions(&p, fs::Permissions::from_mode(0o600)).unwrap();
    groovekit_core::fs::write_atomic(&p, b"new").unwrap();
    assert_eq!(fs::metadata(&p).unwrap().permissions().mode() & 0o7777, 0o600);
    fs::set_permissions(&p, fs::Permissions::from_mode(0o751)).unwrap();
    let mut tx = Transaction::new();
    tx.write(&p, b"newer").unwrap();
    tx.write(&dir.path().join("other"), b"x").unwrap();
    tx.commit().unwrap();
    assert_eq!(fs::metadata(&p).unwrap().permissions().mode() & 0o7777, 0o751);
}

#[cfg(unix)]
#[test]
fn ownership_is_kept_as_root() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("owned.work");
    fs::write(&p, b"old").unwrap();
    if fs::metadata(&p).unwrap().uid() != 0 {
        eprintln!("note: not root, ownership test skipped");
        return;
    }
    std::os::unix::fs::chown(&p, Some(1234), Some(2345)).unwrap();
    groovekit_core::fs::write_atomic(&p, b"new").unwrap();
    let m = fs::metadata(&p).unwrap();
    assert_eq!((m.uid(), m.gid()), (1234, 2345));
}

#[cfg(unix)]
#[test]
fn hard_links_are_reported_not_split() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.wav");
    let q = dir.path().join("b.wav");
    fs::write(&p, b"old").unwrap();
    fs::hard_link(&p, &q).unwrap();
    let e = groovekit_core::fs::write_atomic(&p, b"new").unwrap_err();
    assert!(e.to_string().contains("2 hard links"), "{e}");
    assert_eq!(fs::read(&p).unwrap(), b"old");
    let mut tx = Transaction::new().split_hard_links(true);
    tx.write(&p, b"new").unwrap();
    tx.commit().unwrap();
    assert_eq!(fs::read(&p).unwrap(), b"new");
    assert_eq!(fs::read(&q).unwrap(), b"old");
}

#[test]
fn refuse_policy_refuses_before_writing() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bank02.work");
    fs::write(&p, b"device file").unwrap();
    let e = groovekit_core::fs::write_new_file(&p, b"yaml", IfExists::Refuse, false).unwrap_err();
    assert!(e.to_string().contains("--force"), "{e}");
    assert_eq!(snapshot(dir.path()).len(), 1);
    let r = groovekit_core::fs::write_new_file(&p, b"yaml", IfExists::Backup, false).unwrap();
    assert_eq!(r.backups(), vec![dir.path().join("bank02.work.bak")]);
    assert_eq!(fs::read(dir.path().join("bank02.work.bak")).unwrap(), b"device file");
}

#[test]
fn the_same_file_twice_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut tx = Transaction::new();
    tx.write(&dir.path().join("x"), b"1").unwrap();
    let e = tx.write(&dir.path().join("./x"), b"2").unwrap_err();
    assert!(e.to_string().contains("twice"), "{e}");
}

#[test]
fn backups_never_overwrite_older_backups() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bank01.work");
    for v in [&b"v1"[..], b"v2", b"v3"] {
        groovekit_core::fs::write_new_file(&p, v, IfExists::Backup, false).unwrap();
    }
    assert_eq!(fs::read(dir.path().join("bank01.work.bak")).unwrap(), b"v1");
    assert_eq!(fs::read(dir.path().join("bank01.work.bak.1")).unwrap(), b"v2");
    assert_eq!(fs::read(&p).unwrap(), b"v3");
}

/// A full disk: mount a small tmpfs (root only), fill most of it, and write a transaction that
/// does not fit. Nothing changes and nothing is left behind.
#[test]
fn full_disk_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mnt = dir.path();
    let ok = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=256k", "tmpfs"])
        .arg(mnt)
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("note: cannot mount a tmpfs here (needs root); full-disk test skipped");
        return;
    }
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(self.0).status();
        }
    }
    let _guard = Unmount(mnt);
    fs::write(mnt.join("project.work"), vec![1u8; 60_000]).unwrap();
    fs::write(mnt.join("bank01.work"), vec![2u8; 60_000]).unwrap();
    let before = snapshot(mnt);
    let mut tx = Transaction::new().if_exists(IfExists::Backup);
    let result = tx
        .write(&mnt.join("project.work"), &vec![3u8; 60_000])
        .and_then(|()| tx.write(&mnt.join("bank01.work"), &vec![4u8; 200_000]))
        .and_then(|()| tx.write(&mnt.join("bank02.work"), &vec![5u8; 60_000]));
    let e = match result {
        Err(e) => {
            drop(tx);
            e
        }
        Ok(()) => tx.commit().unwrap_err(),
    };
    assert!(e.to_string().contains("No space left"), "{e}");
    assert_eq!(snapshot(mnt), before);
}

/// Removals go with the writes: a crash at any rename (the removal is one) is finished or undone
/// by recovery from the home alone, and a crash while staging leaves a record there that removes
/// the staged files and the folders made for them.
#[test]
fn removals_and_homes_recover_from_a_crash_at_any_point() {
    let mut n = 1;
    loop {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("home/sub")).unwrap();
        fs::write(root.join("home/project.work"), b"old").unwrap();
        fs::write(root.join("home/sub/gone.wav"), b"to remove").unwrap();
        let before = snapshot(root);
        failpoint::arm_thread(Some(&format!("crash-rename:{n}")));
        let mut tx = Transaction::new().home(&root.join("home"));
        // A rename of the staging record may be the one that fails: then staging fails.
        let staged = (|| {
            tx.write(&root.join("home/project.work"), b"new")?;
            tx.write(&root.join("home/deep/er/new.wav"), b"created")?;
            tx.remove(&root.join("home/sub/gone.wav"))
        })();
        let result = match staged {
            Ok(()) => tx.commit(),
            Err(e) => {
                drop(tx);
                Err(e)
            }
        };
        failpoint::arm_thread(None);
        let notes = recover(&root.join("home")).unwrap();
        let after = snapshot(root);
        let layer: Vec<_> = after.keys().filter(|k| k.to_string_lossy().contains("groovekit")).collect();
        assert!(layer.is_empty(), "crash-rename:{n}: leftovers {layer:?} ({notes:?})");
        if result.is_ok() {
            assert_eq!(after.get(Path::new("home/project.work")).map(Vec::as_slice), Some(&b"new"[..]));
            assert!(!root.join("home/sub/gone.wav").exists());
            break;
        }
        let new_state = after.get(Path::new("home/project.work")).map(Vec::as_slice) == Some(&b"new"[..]);
        if new_state {
            assert!(!root.join("home/sub/gone.wav").exists(), "crash-rename:{n}: mixed");
            assert_eq!(fs::read(root.join("home/deep/er/new.wav")).unwrap(), b"created");
        } else {
            assert_eq!(after, before, "crash-rename:{n}: mixed ({notes:?})");
            assert!(!root.join("home/deep").exists(), "crash-rename:{n}: created folders left ({notes:?})");
        }
        n += 1;
        assert!(n < 40);
    }
}

/// `IfExists::SingleBackup` keeps one `NAME.bak`, replaced each time, and only once the write is
/// complete.
#[test]
fn single_backup_is_replaced_each_time() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo.wav");
    for (i, content) in [&b"one"[..], b"two", b"three"].iter().enumerate() {
        let mut tx = Transaction::new().if_exists(IfExists::SingleBackup);
        tx.write(&out, content).unwrap();
        let r = tx.commit().unwrap();
        if i > 0 {
            assert_eq!(r.backups(), vec![dir.path().join("demo.wav.bak")]);
        }
    }
    assert_eq!(fs::read(&out).unwrap(), b"three");
    assert_eq!(fs::read(dir.path().join("demo.wav.bak")).unwrap(), b"two");
    let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    // A failed write leaves the older backup alone.
    failpoint::arm_thread(Some("rename:1"));
    let mut tx = Transaction::new().if_exists(IfExists::SingleBackup);
    tx.write(&out, b"four").unwrap();
    assert!(tx.commit().is_err());
    failpoint::arm_thread(None);
    assert_eq!(fs::read(dir.path().join("demo.wav.bak")).unwrap(), b"two");
    assert_eq!(fs::read(&out).unwrap(), b"three");
}

/// A failing clean-up removal after a complete write is a leftover in the report, not an error;
/// recovery then removes it and does not claim to have finished the write.
#[test]
fn a_failed_clean_up_is_reported_and_not_called_an_interrupted_write() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    setup(root);
    for n in 1..10 {
        failpoint::arm_thread(Some(&format!("unlink:{n}")));
        let mut tx = Transaction::new();
        tx.write(&root.join("a/project.work"), format!("v{n}").as_bytes()).unwrap();
        tx.write(&root.join("b/kick.wav"), format!("k{n}").as_bytes()).unwrap();
        let r = tx.commit().unwrap();
        failpoint::arm_thread(None);
        assert_eq!(fs::read(root.join("a/project.work")).unwrap(), format!("v{n}").as_bytes());
        let mut notes = Vec::new();
        for d in ["a", "b"] {
            notes.extend(recover(&root.join(d)).unwrap());
        }
        if r.leftovers.is_empty() {
            assert!(notes.is_empty(), "unlink:{n}: {notes:?}");
            break;
        }
        assert!(!notes.iter().any(|x| matches!(x, Recovery::Finished { .. })), "unlink:{n}: {notes:?}");
        // Journals are settled whoever wrote them; other leftovers of this (live) process stay
        // for a later process (write_faults.rs checks that across processes).
        let left: Vec<_> = snapshot(root).into_keys().filter(|k| k.to_string_lossy().contains("journal")).collect();
        assert!(left.is_empty(), "unlink:{n}: {left:?}");
        let kept: Vec<_> = snapshot(root).into_keys().filter(|k| k.to_string_lossy().contains("groovekit")).collect();
        for k in kept {
            fs::remove_file(root.join(k)).unwrap();
        }
    }
}
