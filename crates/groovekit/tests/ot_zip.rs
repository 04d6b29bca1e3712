//! `groovekit ot zip` and `ot unzip` on a copy of the bank-copy fixture Set: the archive holds the
//! project and its samples at their place, unzipping it into a new Set gives a project that
//! `verify` passes with every sample found, a second unzip changes nothing, a conflicting file is
//! refused (exit 1, nothing written) until `--force`, and dry runs write nothing.

use std::path::Path;

#[path = "support/project_tree.rs"]
mod project_tree;
use project_tree::{copy_dir, fixtures, gk, snapshot};

/// The bank-copy source project in a temp Set, with the four samples it names in SET/AUDIO.
fn set_with_samples(fx: &Path, tmp: &Path) -> std::path::PathBuf {
    let set = tmp.join("SET");
    let src = set.join("SRC");
    copy_dir(&fx.join("octatrack/bank-copy/BANK-COPY-SRC"), &src);
    std::fs::create_dir_all(set.join("AUDIO")).unwrap();
    for (i, n) in ["first-0", "second-0", "fourth-0", "fifth-0"].iter().enumerate() {
        std::fs::write(set.join(format!("AUDIO/{n}.wav")), vec![i as u8; 1000 + i]).unwrap();
    }
    src
}

#[test]
fn zip_then_unzip_gives_a_project_verify_passes() {
    let Some(fx) = fixtures("ot_zip_round_trip") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let src = set_with_samples(&fx, tmp.path());
    let zip = tmp.path().join("out/share.zip");
    // A dry run writes nothing.
    gk().args(["ot", "zip"]).arg(&src).arg("-o").arg(&zip).arg("--dry-run").assert().success();
    assert!(!zip.exists());
    let out = gk().args(["ot", "zip"]).arg(&src).arg("-o").arg(&zip).arg("--json").assert().success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["name"], "SRC");
    let samples: Vec<&str> = v["samples"].as_array().unwrap().iter().map(|s| s["entry"].as_str().unwrap()).collect();
    assert_eq!(samples, ["AUDIO/first-0.wav", "AUDIO/second-0.wav", "AUDIO/fourth-0.wav", "AUDIO/fifth-0.wav"]);
    assert_eq!(v["bytes"].as_u64().unwrap(), std::fs::metadata(&zip).unwrap().len());

    let set2 = tmp.path().join("SET2");
    gk().args(["ot", "unzip"]).arg(&zip).arg(&set2).assert().success();
    for n in ["first-0", "second-0", "fourth-0", "fifth-0"] {
        let a = std::fs::read(tmp.path().join(format!("SET/AUDIO/{n}.wav"))).unwrap();
        assert_eq!(std::fs::read(set2.join(format!("AUDIO/{n}.wav"))).unwrap(), a, "{n}");
    }
    for f in ["project.work", "bank01.work"] {
        assert_eq!(std::fs::read(set2.join("SRC").join(f)).unwrap(), std::fs::read(src.join(f)).unwrap(), "{f}");
    }
    gk().arg("verify").arg(set2.join("SRC")).assert().success();
    let out = gk().args(["ot", "slots"]).arg(set2.join("SRC")).arg("--missing").arg("--json").assert().success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert!(v["slots"].as_array().unwrap().is_empty(), "{v}");

    // Again: nothing to do.
    let before = snapshot(&set2);
    let out = gk().args(["ot", "unzip"]).arg(&zip).arg(&set2).arg("--json").assert().success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["created"].as_array().unwrap().len(), 0);
    assert_eq!(snapshot(&set2), before);

    // A file with other content: refused, nothing written; --force replaces it after a backup.
    std::fs::write(set2.join("AUDIO/first-0.wav"), b"re-recorded").unwrap();
    let before = snapshot(&set2);
    let out = gk().args(["ot", "unzip"]).arg(&zip).arg(&set2).assert().code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("first-0.wav") && err.contains("--force"), "{err}");
    assert_eq!(snapshot(&set2), before);
    gk().args(["ot", "unzip"]).arg(&zip).arg(&set2).arg("--force").arg("--dry-run").assert().success();
    assert_eq!(snapshot(&set2), before);
    gk().args(["ot", "unzip"]).arg(&zip).arg(&set2).arg("--force").assert().success();
    assert_eq!(std::fs::read(set2.join("AUDIO/first-0.wav.bak")).unwrap(), b"re-recorded");
    assert_eq!(std::fs::read(set2.join("AUDIO/first-0.wav")).unwrap(), vec![0u8; 1000]);
}

#[test]
fn zip_warns_about_missing_samples_and_still_writes_the_project() {
    let Some(fx) = fixtures("ot_zip_missing") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let src = set_with_samples(&fx, tmp.path());
    std::fs::remove_file(tmp.path().join("SET/AUDIO/second-0.wav")).unwrap();
    let zip = tmp.path().join("p.zip");
    let out = gk().args(["ot", "zip"]).arg(&src).arg("-o").arg(&zip).assert().success();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("missing") && err.contains("second-0.wav"), "{err}");
    // After a real run the entry list is a summary, on stderr (issue 24).
    let text = err.lines().filter(|l| !l.starts_with("warning:")).collect::<Vec<_>>().join("\n");
    assert!(text.contains("SRC/project.work") && text.contains("AUDIO/first-0.wav") && !text.contains("second-0"));
}
