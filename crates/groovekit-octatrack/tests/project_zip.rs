//! Projects in zip archives (octapy's `from_zip`/`to_zip`, issue 10) and `unzip` into a Set, on
//! copies of every fixture project: byte-exact round trips, samples at their place in the Set
//! (sub-folders, spaces, `&`, non-ASCII names of the real-device project), missing and outside
//! slots reported, carried-over samples, and the safety rules (zip-slip, conflicts, backups, dry
//! runs, injected write failures).

mod ops_common;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use groovekit_octatrack::Project;
use groovekit_octatrack::model::project_zip::ZipOptions;
use groovekit_octatrack::ops::project_dir::ProjectDir;
use groovekit_octatrack::ops::zip::{UnzipOptions, unzip};
use ops_common::{copy_dir, fixtures, snapshot, with_small_tmpfs, write_wavs};

/// Every fixture project folder (a folder with `project.work` or `project.strd`).
fn fixture_projects(fx: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = groovekit_core::fixtures::files_under(&fx.join("octatrack"), &|p| {
        matches!(p.file_name().and_then(|n| n.to_str()), Some("project.work" | "project.strd"))
    })
    .into_iter()
    .filter_map(|p| p.parent().map(Path::to_path_buf))
    .collect();
    v.sort();
    v.dedup();
    v
}

/// The entries of an archive with their bytes.
fn entries(zip: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut a = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    (0..a.len())
        .map(|i| {
            let mut f = a.by_index(i).unwrap();
            let mut b = Vec::new();
            f.read_to_end(&mut b).unwrap();
            (f.name().unwrap().into_owned(), b)
        })
        .collect()
}

/// A fixture project copied into `set/NAME` (its folder name), with WAVs for its slots.
fn in_set(project: &Path, set: &Path) -> PathBuf {
    let dir = set.join(project.file_name().unwrap());
    copy_dir(project, &dir);
    write_wavs(&dir);
    dir
}

#[test]
fn every_fixture_project_round_trips_through_an_archive_byte_for_byte() {
    let Some(fx) = fixtures("zip_round_trip") else { return };
    let projects = fixture_projects(&fx);
    assert!(projects.len() >= 5, "{projects:?}");
    for src in projects {
        let tmp = tempfile::tempdir().unwrap();
        let zip = tmp.path().join("out/p.zip");
        let mut p = Project::open(&src).unwrap();
        let report = p.save_zip(&zip, &ZipOptions { samples: false, ..Default::default() }).unwrap();
        let name = src.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(report.name, name);
        assert_eq!(report.project_files.len(), 1 + 16 + 8 + 1, "{}", src.display());
        let e = entries(&zip);
        // Every `.work` the device wrote is in the archive unchanged (files only in `.strd` are
        // read from there and written as `.work`).
        for f in std::fs::read_dir(&src).unwrap() {
            let f = f.unwrap().path();
            let file = f.file_name().unwrap().to_string_lossy().into_owned();
            if let Some(stem) = file.strip_suffix(".work") {
                assert_eq!(e[&format!("{name}/{stem}.work")], std::fs::read(&f).unwrap(), "{}", f.display());
            } else if let Some(stem) = file.strip_suffix(".strd")
                && !src.join(format!("{stem}.work")).exists()
            {
                assert_eq!(e[&format!("{name}/{stem}.work")], std::fs::read(&f).unwrap(), "{}", f.display());
            }
        }
        // And back: read from the archive, written to a folder, the same bytes again.
        let mut back = Project::open_zip(&zip).unwrap();
        assert_eq!(back.name().as_deref(), Some(name.as_str()));
        assert_eq!(back.tempo(), Project::open(&src).unwrap().tempo());
        let out = tmp.path().join("back");
        back.save_to(&out, Default::default()).unwrap();
        for (entry, bytes) in &e {
            let file = entry.strip_prefix(&format!("{name}/")).unwrap();
            assert_eq!(&std::fs::read(out.join(file)).unwrap(), bytes, "{entry}");
        }
    }
}

#[test]
fn strd_files_go_in_on_request() {
    let Some(fx) = fixtures("zip_strd") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("p.zip");
    let mut p = Project::open(&fx.join("octatrack/real-device")).unwrap();
    p.save_zip(&zip, &ZipOptions { strd: true, samples: false, ..Default::default() }).unwrap();
    let e = entries(&zip);
    assert_eq!(e.len(), 2 * 26);
    assert_eq!(e["real-device/bank01.strd"], e["real-device/bank01.work"]);
    assert_eq!(e["real-device/bank01.work"], std::fs::read(fx.join("octatrack/real-device/bank01.work")).unwrap());
}

#[test]
fn samples_go_in_at_their_place_in_the_set_and_unzip_gives_back_a_working_project() {
    let Some(fx) = fixtures("zip_samples") else { return };
    // (demo-set/DEMO-SET-1/BLANK has no slots: it is in the round-trip test.)
    for project in ["real-device", "bank-copy/BANK-COPY-SRC"] {
        let tmp = tempfile::tempdir().unwrap();
        let set = tmp.path().join("SET");
        let dir = in_set(&fx.join("octatrack").join(project), &set);
        let zip = tmp.path().join("share.zip");
        let mut p = Project::open(&dir).unwrap();
        let report = p.save_zip(&zip, &ZipOptions::default()).unwrap();
        assert!(report.missing.is_empty() && report.outside.is_empty(), "{project}: {report:?}");
        let e = entries(&zip);
        // Every slot's file (and `.ot`, where there is one) is in the archive at its place.
        let pd = ProjectDir::open(&dir).unwrap();
        let mut slot_files = 0;
        for s in pd.project.samples().iter().filter(|s| !s.path.is_empty() && !s.is_recorder_buffer()) {
            let f = pd.sample_path(s).unwrap();
            let rel = groovekit_octatrack::ops::project_dir::normalize(&f);
            let rel = rel.strip_prefix(groovekit_octatrack::ops::project_dir::normalize(&set)).unwrap();
            let entry = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            assert_eq!(e.get(&entry), Some(&std::fs::read(&f).unwrap()), "{project}: {entry}");
            slot_files += 1;
        }
        assert!(slot_files > 0, "{project}: no slots");
        assert_eq!(report.samples.len() + report.project_files.len(), e.len());
        // Unzipped into a new Set: the project opens and every slot plays the same bytes.
        let set2 = tmp.path().join("SET2");
        let u = unzip(&zip, &set2, UnzipOptions::default()).unwrap();
        let name = dir.file_name().unwrap();
        assert_eq!(u.projects, vec![set2.join(name)]);
        assert_eq!(u.created.len(), e.len());
        let pd2 = ProjectDir::open(&set2.join(name)).unwrap();
        for s in pd.project.samples().iter().filter(|s| !s.path.is_empty() && !s.is_recorder_buffer()) {
            let a = std::fs::read(pd.sample_path(s).unwrap()).unwrap();
            let b = std::fs::read(pd2.sample_path(s).unwrap()).unwrap();
            assert_eq!(a, b, "{project}: {}", s.path_lossy());
        }
        // The project files are the same bytes as the originals.
        for f in std::fs::read_dir(&dir).unwrap() {
            let f = f.unwrap().path();
            if f.extension().is_some_and(|x| x == "work") {
                assert_eq!(
                    std::fs::read(&f).unwrap(),
                    std::fs::read(set2.join(name).join(f.file_name().unwrap())).unwrap()
                );
            }
        }
        // Unzipping again changes nothing: every file is there with the same content.
        let before = snapshot(&set2);
        let again = unzip(&zip, &set2, UnzipOptions::default()).unwrap();
        assert!(again.created.is_empty() && again.replaced.is_empty());
        assert_eq!(again.unchanged.len(), e.len());
        assert_eq!(snapshot(&set2), before);
    }
}

#[test]
fn missing_and_outside_samples_are_reported_not_guessed() {
    let Some(fx) = fixtures("zip_missing") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let set = tmp.path().join("SET");
    let dir = in_set(&fx.join("octatrack/real-device"), &set);
    let mut p = Project::open(&dir).unwrap();
    let first = p.samples().into_iter().find(|s| !s.path.is_empty() && !s.is_recorder_buffer()).unwrap();
    std::fs::remove_file(ProjectDir::open(&dir).unwrap().sample_path(&first).unwrap()).unwrap();
    // A slot above the Set folder.
    let outside = tmp.path().join("elsewhere.wav");
    std::fs::write(&outside, ops_common::wav(b"x", 10)).unwrap();
    let slot = p.add_sample(&outside, groovekit_octatrack::model::project::SlotType::Static, Some(128)).unwrap();
    // Refused by default (issue 22), written with `missing: Keep`.
    let err = p.save_zip(&tmp.path().join("p.zip"), &ZipOptions::default()).unwrap_err().to_string();
    assert!(err.contains("--missing keep") && !tmp.path().join("p.zip").exists(), "{err}");
    let keep = ZipOptions { missing: groovekit_octatrack::ops::import::MissingSamples::Keep, ..Default::default() };
    let report = p.save_zip(&tmp.path().join("p.zip"), &keep).unwrap();
    assert_eq!(report.missing.len(), 1, "{report:?}");
    assert!(report.missing[0].ends_with(&first.path_lossy()), "{:?}", report.missing);
    assert_eq!(report.outside, vec![format!("Static slot {slot}: ../../elsewhere.wav")]);
    let e = entries(&tmp.path().join("p.zip"));
    assert!(!e.keys().any(|k| k.contains("elsewhere")));
}

#[test]
fn a_project_read_from_an_archive_carries_its_samples_over() {
    let Some(fx) = fixtures("zip_carry_over") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = in_set(&fx.join("octatrack/real-device"), &tmp.path().join("SET"));
    let first = tmp.path().join("first.zip");
    Project::open(&dir).unwrap().save_zip(&first, &ZipOptions::default()).unwrap();
    let mut p = Project::open_zip(&first).unwrap();
    p.set_tempo(100.0).unwrap();
    let second = tmp.path().join("second.zip");
    let report = p.save_zip(&second, &ZipOptions { name: Some("RENAMED".into()), ..Default::default() }).unwrap();
    let (a, b) = (entries(&first), entries(&second));
    assert_eq!(report.carried_over.len(), a.len() - 26);
    for (k, v) in &a {
        match k.strip_prefix("real-device/") {
            Some(f) if f.ends_with(".work") => assert!(b.contains_key(&format!("RENAMED/{f}")), "{k}"),
            Some(f) => assert_eq!(b.get(&format!("RENAMED/{f}")), Some(v), "{k}"),
            None => assert_eq!(b.get(k), Some(v), "{k}"),
        }
    }
    assert_ne!(a["real-device/project.work"], b["RENAMED/project.work"]);
    assert_eq!(Project::open_zip(&second).unwrap().tempo(), Some(100.0));
}

#[test]
fn an_existing_archive_is_backed_up_and_a_dry_run_writes_nothing() {
    let Some(fx) = fixtures("zip_backup") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("p.zip");
    std::fs::write(&zip, b"an older archive").unwrap();
    let mut p = Project::open(&fx.join("octatrack/blank-project")).unwrap();
    let dry = p.save_zip(&zip, &ZipOptions { dry_run: true, ..Default::default() }).unwrap();
    assert!(dry.dry_run && dry.bytes > 0);
    assert_eq!(std::fs::read(&zip).unwrap(), b"an older archive");
    let report = p.save_zip(&zip, &ZipOptions::default()).unwrap();
    assert_eq!(std::fs::read(report.backup.unwrap()).unwrap(), b"an older archive");
    assert_eq!(report.bytes, std::fs::metadata(&zip).unwrap().len());
    assert_eq!(dry.bytes, report.bytes);
}

/// An archive built by hand from (name, bytes) entries.
fn hand_made(path: &Path, files: &[(&str, &[u8])]) {
    let mut w = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in files {
        w.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap();
}

#[test]
fn unzip_refuses_entries_outside_the_destination_and_writes_nothing() {
    let Some(fx) = fixtures("zip_slip") else { return };
    let project = std::fs::read(fx.join("octatrack/blank-project/project.work")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("evil.zip");
    hand_made(&zip, &[("P/project.work", &project), ("../escaped.wav", b"x")]);
    let set = tmp.path().join("SET");
    std::fs::create_dir_all(&set).unwrap();
    let err = unzip(&zip, &set, UnzipOptions::default()).unwrap_err().to_string();
    assert!(err.contains("outside") && err.contains("../escaped.wav"), "{err}");
    assert!(snapshot(tmp.path()).keys().all(|k| k == Path::new("evil.zip")), "{:?}", snapshot(tmp.path()).keys());
}

/// Issue 23, item 5: each bad entry, beside a valid project, refuses the whole archive with an
/// error naming it, and nothing is written (before, `/tmp/x` became `SET/tmp/x`, `//tmp/x` and
/// `C:/x` became `SET/x`, a repeated name let the last entry win and a link became a plain file).
#[test]
fn unzip_refuses_absolute_names_drive_letters_duplicates_and_links_naming_the_entry() {
    let Some(fx) = fixtures("zip_refusals") else { return };
    let project = std::fs::read(fx.join("octatrack/real-device/project.work")).unwrap();
    let bank = std::fs::read(fx.join("octatrack/real-device/bank01.work")).unwrap();
    let cases: Vec<(&str, &str, &[u8], &str)> = vec![
        ("absolute", "/tmp/x", b"x", "`/tmp/x` is an absolute path"),
        ("double slash", "//tmp/x", b"x", "`//tmp/x` is an absolute path"),
        ("backslash", "\\tmp\\x", b"x", "is an absolute path"),
        ("drive letter", "C:/x", b"x", "`C:/x` starts with a drive letter"),
        ("drive letter, no slash", "c:x.wav", b"x", "`c:x.wav` starts with a drive letter"),
        ("colon", "P/a:b.wav", b"x", "`P/a:b.wav` holds a `:`"),
        ("parent inside", "P/../../x", b"x", "`P/../../x` names a parent folder"),
        ("case", "P/BANK01.work", b"short", "`P/bank01.work` and `P/BANK01.work` are the same file"),
        ("normalised", "P//./bank01.work", b"short", "`P/bank01.work` and `P//./bank01.work`"),
        ("backslash separator", "P\\Bank01.work", b"short", "and `P\\Bank01.work` are the same file"),
    ];
    for (what, name, extra, expected) in cases {
        let tmp = tempfile::tempdir().unwrap();
        let zip = tmp.path().join("evil.zip");
        let mut files: Vec<(&str, &[u8])> = vec![("P/project.work", &project), ("P/bank01.work", &bank)];
        files.push((name, extra));
        hand_made(&zip, &files);
        let set = tmp.path().join("SET");
        let err = unzip(&zip, &set, UnzipOptions::default()).unwrap_err().to_string();
        assert!(err.contains(expected) && err.contains("refused"), "{what}: {err}");
        assert_eq!(snapshot(tmp.path()).len(), 1, "{what}: something was written");
    }

    // The same name twice (a valid bank, then 17 bytes): zip writers refuse to make one, so the
    // second entry is written under a name of the same length and renamed in the bytes.
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("dup.zip");
    hand_made(&zip, &[("P/project.work", &project), ("P/bank01.work", &bank), ("P/bank0X.work", b"seventeen bytes!!")]);
    let mut bytes = std::fs::read(&zip).unwrap();
    let (from, to) = (b"P/bank0X.work", b"P/bank01.work");
    let mut renamed = 0;
    for i in 0..bytes.len() - from.len() {
        if &bytes[i..i + from.len()] == from {
            bytes[i..i + to.len()].copy_from_slice(to);
            renamed += 1;
        }
    }
    assert_eq!(renamed, 2, "local and central headers");
    std::fs::write(&zip, &bytes).unwrap();
    let set = tmp.path().join("SET");
    let err = unzip(&zip, &set, UnzipOptions::default()).unwrap_err().to_string();
    assert!(err.contains("`P/bank01.work` is in the archive twice"), "{err}");
    assert!(!set.exists(), "something was written");

    // A symbolic link entry (a Unix zip's link to /etc/passwd).
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("link.zip");
    let mut w = zip::ZipWriter::new(std::fs::File::create(&zip).unwrap());
    let o = zip::write::SimpleFileOptions::default();
    w.start_file("P/project.work", o).unwrap();
    w.write_all(&project).unwrap();
    w.add_symlink("P/bank02.work", "/etc/passwd", o).unwrap();
    w.finish().unwrap();
    let set = tmp.path().join("SET");
    let err = unzip(&zip, &set, UnzipOptions::default()).unwrap_err().to_string();
    assert!(err.contains("`P/bank02.work` is a symbolic link"), "{err}");
    assert!(!set.exists(), "something was written");

    // And the valid project alone unpacks (the refusals above are the entries, not the project).
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("good.zip");
    hand_made(&zip, &[("P/project.work", &project), ("P/bank01.work", &bank), ("P/sub/./a.wav", b"x")]);
    let report = unzip(&zip, &tmp.path().join("SET"), UnzipOptions::default()).unwrap();
    assert_eq!(report.created.len(), 3);
    assert_eq!(std::fs::read(tmp.path().join("SET/P/sub/a.wav")).unwrap(), b"x");
}

#[test]
fn unzip_refuses_other_content_unless_forced_and_then_backs_it_up() {
    let Some(fx) = fixtures("zip_conflict") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("p.zip");
    Project::open(&fx.join("octatrack/blank-project")).unwrap().save_zip(&zip, &ZipOptions::default()).unwrap();
    let set = tmp.path().join("SET");
    unzip(&zip, &set, UnzipOptions::default()).unwrap();
    let mine = set.join("blank-project/bank03.work");
    std::fs::write(&mine, b"my own edit").unwrap();
    let before = snapshot(&set);
    let err = unzip(&zip, &set, UnzipOptions::default()).unwrap_err().to_string();
    assert!(err.contains("bank03.work") && err.contains("--force"), "{err}");
    assert_eq!(snapshot(&set), before);
    let dry = unzip(&zip, &set, UnzipOptions { force: true, dry_run: true }).unwrap();
    assert_eq!(dry.replaced.len(), 1);
    assert_eq!(snapshot(&set), before);
    let done = unzip(&zip, &set, UnzipOptions { force: true, dry_run: false }).unwrap();
    assert_eq!(done.replaced.len(), 1);
    let backup = done.replaced[0].1.clone().unwrap();
    assert_eq!(std::fs::read(backup).unwrap(), b"my own edit");
    assert_eq!(std::fs::read(&mine).unwrap(), entries(&zip)["blank-project/bank03.work"]);
}

#[test]
fn unzip_failing_at_any_write_or_rename_changes_nothing() {
    let Some(fx) = fixtures("zip_faults") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = in_set(&fx.join("octatrack/real-device"), &tmp.path().join("SET"));
    let zip = tmp.path().join("p.zip");
    Project::open(&dir).unwrap().save_zip(&zip, &ZipOptions::default()).unwrap();
    let set = tmp.path().join("SET2");
    unzip(&zip, &set, UnzipOptions::default()).unwrap();
    // Every project file edited, so that a forced unzip replaces them all.
    for f in std::fs::read_dir(set.join("real-device")).unwrap() {
        let f = f.unwrap().path();
        std::fs::write(&f, b"edited").unwrap();
    }
    let before = snapshot(&set);
    for op in ["write", "fsync", "rename"] {
        let mut failed = 0;
        for n in 1..=60 {
            // Every attempt starts from the same tree (a run that gets through changed it).
            std::fs::remove_dir_all(&set).unwrap();
            for (rel, bytes) in &before {
                std::fs::create_dir_all(set.join(rel).parent().unwrap()).unwrap();
                std::fs::write(set.join(rel), bytes).unwrap();
            }
            groovekit_core::fs::failpoint::arm_thread(Some(&format!("{op}:{n}")));
            let r = unzip(&zip, &set, UnzipOptions { force: true, dry_run: false });
            groovekit_core::fs::failpoint::arm_thread(None);
            match r {
                Err(_) => {
                    failed += 1;
                    assert_eq!(snapshot(&set), before, "{op}:{n}");
                }
                Ok(done) => {
                    assert_eq!(done.replaced.len(), 26, "{op}:{n}");
                    assert_eq!(snapshot(&set.join("real-device")).len(), 26 * 2, "{op}:{n}: files and backups");
                }
            }
        }
        // 26 project files replaced: each is written, fsynced and renamed.
        assert!(failed >= 26, "{op}: only {failed} fail points reached");
    }
}

#[test]
fn archives_that_are_not_one_project_are_refused_clearly() {
    let Some(fx) = fixtures("zip_refused") else { return };
    let project = std::fs::read(fx.join("octatrack/blank-project/project.work")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let two = tmp.path().join("two.zip");
    hand_made(&two, &[("A/project.work", &project), ("B/project.work", &project)]);
    let err = Project::open_zip(&two).unwrap_err().to_string();
    assert!(err.contains("2 projects") && err.contains("A/") && err.contains("B/"), "{err}");
    let none = tmp.path().join("none.zip");
    hand_made(&none, &[("AUDIO/kick.wav", b"RIFF")]);
    let err = Project::open_zip(&none).unwrap_err().to_string();
    assert!(err.contains("no project.work"), "{err}");
    assert!(unzip(&none, &tmp.path().join("S"), UnzipOptions::default()).is_err());
    let junk = tmp.path().join("junk.zip");
    std::fs::write(&junk, b"PK\x03\x04 not really").unwrap();
    let err = Project::open_zip(&junk).unwrap_err().to_string();
    assert!(err.contains("junk.zip") && err.contains("zip"), "{err}");
    // A damaged project file inside: the entry is named in the error.
    let bad = tmp.path().join("bad.zip");
    hand_made(&bad, &[("P/project.work", b"[SETTINGS]\r\nnot a project")]);
    let err = Project::open_zip(&bad).unwrap_err().to_string();
    assert!(err.contains("P/project.work"), "{err}");
    // Files at the top level of the archive are one project too (named after the archive).
    let flat = tmp.path().join("FLAT.zip");
    hand_made(&flat, &[("project.work", &project)]);
    assert_eq!(Project::open_zip(&flat).unwrap().name().as_deref(), Some("FLAT"));
}

/// A full disk (a 2 MiB tmpfs, when the test may mount one): unzipping 2.7 MB stops before any
/// rename and leaves the destination as it was.
#[test]
fn unzip_on_a_full_disk_changes_nothing() {
    let Some(fx) = fixtures("zip_full_disk") else { return };
    let tmp = tempfile::tempdir().unwrap();
    with_small_tmpfs(tmp.path(), "2m", |mnt| {
        let project = std::fs::read(fx.join("octatrack/blank-project/project.work")).unwrap();
        let zip = tmp.path().join("big.zip");
        let big: Vec<Vec<u8>> = (0..3).map(|i| ops_common::wav(format!("big{i}").as_bytes(), 450_000)).collect();
        hand_made(
            &zip,
            &[
                ("P/project.work", &project),
                ("AUDIO/a.wav", &big[0]),
                ("AUDIO/b.wav", &big[1]),
                ("AUDIO/c.wav", &big[2]),
            ],
        );
        std::fs::create_dir_all(mnt.join("SET/AUDIO")).unwrap();
        std::fs::write(mnt.join("SET/AUDIO/keep.wav"), b"already here").unwrap();
        let before = snapshot(mnt);
        let err = unzip(&zip, &mnt.join("SET"), UnzipOptions::default()).unwrap_err().to_string();
        assert!(err.to_lowercase().contains("space") || err.contains("os error 28"), "{err}");
        assert_eq!(snapshot(mnt), before);
    });
}

#[test]
fn an_archive_in_memory_reads_and_writes_as_the_file_does() {
    let Some(fx) = fixtures("zip_memory") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = in_set(&fx.join("octatrack/real-device"), &tmp.path().join("SET"));
    let zip = tmp.path().join("p.zip");
    let on_disk = Project::open(&dir).unwrap().save_zip(&zip, &ZipOptions::default()).unwrap();
    // From a folder: the same entries (samples from the Set) as the file on disk.
    let (bytes, report) = Project::open(&dir).unwrap().to_zip_bytes(&ZipOptions::default()).unwrap();
    assert_eq!(report.bytes, bytes.len() as u64);
    assert_eq!(
        (report.project_files.len(), report.samples.len()),
        (on_disk.project_files.len(), on_disk.samples.len())
    );
    let mem = tmp.path().join("mem.zip");
    std::fs::write(&mem, &bytes).unwrap();
    assert_eq!(entries(&mem), entries(&zip));
    // From memory: the project reads as from the file, and its samples are carried over.
    let mut p = Project::from_zip_bytes(std::fs::read(&zip).unwrap()).unwrap();
    assert_eq!(p.name().as_deref(), Some("real-device"));
    assert_eq!(p.to_files(false).unwrap(), Project::open(&dir).unwrap().to_files(false).unwrap());
    p.set_tempo(99.0).unwrap();
    let (again, report) = p.to_zip_bytes(&ZipOptions::default()).unwrap();
    assert_eq!(report.carried_over.len(), on_disk.samples.len());
    let back = tmp.path().join("again.zip");
    std::fs::write(&back, &again).unwrap();
    let (a, b) = (entries(&zip), entries(&back));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, v) in &a {
        if k != "real-device/project.work" {
            assert_eq!(b.get(k), Some(v), "{k}");
        }
    }
    assert_eq!(Project::from_zip_bytes(again).unwrap().tempo(), Some(99.0));
    // Damaged bytes: the same error as the file's, naming the archive in memory.
    let err = Project::from_zip_bytes(b"PK junk".to_vec()).unwrap_err().to_string();
    assert!(err.contains("not a readable zip archive"), "{err}");
}

#[test]
fn saving_changes_into_a_deleted_project_folder_is_refused() {
    let Some(fx) = fixtures("save_deleted") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("P");
    copy_dir(&fx.join("octatrack/blank-project"), &dir);
    let mut p = Project::open(&dir).unwrap();
    p.set_tempo(99.0).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let err = p.save().unwrap_err().to_string();
    assert!(err.contains("no longer exists") && err.contains("nothing was written"), "{err}");
    assert!(!dir.exists(), "the folder was re-created");
    // A folder emptied of its project file: the same.
    copy_dir(&fx.join("octatrack/blank-project"), &dir);
    std::fs::remove_file(dir.join("project.work")).unwrap();
    let err = p.save().unwrap_err().to_string();
    assert!(err.contains("project file is gone"), "{err}");
    assert!(!dir.join("project.work").exists());
    // Saving the whole project into a folder still works.
    let other = tmp.path().join("Q");
    p.save_to(&other, Default::default()).unwrap();
    assert_eq!(Project::open(&other).unwrap().tempo(), Some(99.0));
}
