//! `groovekit ot set`, `ot usage` and `serve`'s argument checks (issue 25), on a temp Set made of
//! the bank-copy fixture and a few written files.

use std::path::{Path, PathBuf};

#[path = "support/project_tree.rs"]
mod project_tree;
use project_tree::{copy_dir, fixtures, gk};

/// SET/SRC (bank-copy source, naming four pool samples), SET/AUDIO with three of them written
/// (one a 48 kHz WAV the Octatrack cannot play), and one file nothing uses.
fn set(fx: &Path, tmp: &Path) -> PathBuf {
    let set = tmp.join("SET");
    copy_dir(&fx.join("octatrack/bank-copy/BANK-COPY-SRC"), &set.join("SRC"));
    std::fs::create_dir_all(set.join("AUDIO")).unwrap();
    let wav = |rate: u32| {
        let mut v = Vec::new();
        v.extend_from_slice(b"RIFF");
        v.extend_from_slice(&(36u32 + 400).to_le_bytes());
        v.extend_from_slice(b"WAVEfmt ");
        for x in [
            &16u32.to_le_bytes()[..],
            &1u16.to_le_bytes(),
            &1u16.to_le_bytes(),
            &rate.to_le_bytes(),
            &(rate * 2).to_le_bytes(),
            &2u16.to_le_bytes(),
            &16u16.to_le_bytes(),
        ] {
            v.extend_from_slice(x);
        }
        v.extend_from_slice(b"data");
        v.extend_from_slice(&400u32.to_le_bytes());
        v.extend_from_slice(&[1u8; 400]);
        v
    };
    std::fs::write(set.join("AUDIO/first-0.wav"), wav(44_100)).unwrap();
    std::fs::write(set.join("AUDIO/second-0.wav"), wav(48_000)).unwrap();
    std::fs::write(set.join("AUDIO/fourth-0.wav"), wav(44_100)).unwrap();
    std::fs::write(set.join("AUDIO/spare.wav"), wav(44_100)).unwrap();
    set
}

#[test]
fn set_lists_projects_files_and_problems() {
    let Some(fx) = fixtures("ot_set") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let set = set(&fx, tmp.path());
    let out = gk().args(["ot", "set"]).arg(&set).arg("--json").assert().success().get_output().stdout.clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["projects"][0]["name"], "SRC");
    let names: Vec<&str> = v["files"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["AUDIO/first-0.wav", "AUDIO/fourth-0.wav", "AUDIO/second-0.wav", "AUDIO/spare.wav"]);
    assert_eq!(v["missing"].as_array().unwrap().len(), 1, "fifth-0.wav is not written");

    let out = gk().args(["ot", "set"]).arg(&set).arg("--unused").assert().success().get_output().stdout.clone();
    assert_eq!(String::from_utf8_lossy(&out).lines().count(), 1);
    assert!(String::from_utf8_lossy(&out).starts_with("AUDIO/spare.wav"));
    let out = gk().args(["ot", "set"]).arg(&set).arg("--unplayable").assert().success().get_output().stdout.clone();
    let text = String::from_utf8_lossy(&out);
    assert!(text.starts_with("AUDIO/second-0.wav") && text.contains("48000 Hz"), "{text}");
    // Missing files fail the command (exit 1) and name the slot.
    let out = gk().args(["ot", "set"]).arg(&set).arg("--missing").assert().code(1).get_output().stdout.clone();
    assert!(String::from_utf8_lossy(&out).contains("AUDIO/fifth-0.wav"));
    // Options that exclude each other are a usage error.
    gk().args(["ot", "set"]).arg(&set).args(["--unused", "--missing"]).assert().code(2);
}

#[test]
fn usage_lists_the_slots_of_one_file() {
    let Some(fx) = fixtures("ot_usage") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let set = set(&fx, tmp.path());
    let out = gk()
        .args(["ot", "usage"])
        .arg(set.join("AUDIO/first-0.wav"))
        .arg("--json")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["exists"], true);
    let slots = v["slots"].as_array().unwrap();
    assert!(!slots.is_empty());
    assert!(slots.iter().all(|s| s["project"] == "SRC"));
    // A file outside any Set needs --set.
    let lone = tmp.path().join("lone.wav");
    std::fs::write(&lone, b"x").unwrap();
    gk().args(["ot", "usage"]).arg(&lone).assert().code(2);
}

#[test]
fn serve_refuses_a_network_address_without_saying_so() {
    let tmp = tempfile::tempdir().unwrap();
    let out =
        gk().arg("serve").arg(tmp.path()).args(["--address", "0.0.0.0"]).assert().code(2).get_output().stderr.clone();
    assert!(String::from_utf8_lossy(&out).contains("--expose-to-network"));
}

#[test]
fn serve_prints_its_url_and_answers() {
    use std::io::{BufRead, Read, Write};
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("a.track"), "BPM 120\n").unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_groovekit"))
        .arg("serve")
        .arg(tmp.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().to_string();
    let hostport = url.trim_start_matches("http://").trim_end_matches('/').to_string();
    assert!(hostport.starts_with("127.0.0.1:"), "{url}");
    let mut s = std::net::TcpStream::connect(&hostport).unwrap();
    write!(s, "GET /folder/0/ HTTP/1.1\r\nHost: {hostport}\r\nConnection: close\r\n\r\n").unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(out.starts_with("HTTP/1.1 200 "), "{out}");
    assert!(out.contains("a.track"), "{out}");
}
