//! Every route of `groovekit serve` (issue 25 tests): status, content type, the data shown, the
//! security checks (traversal, Host, Origin, token, read-only). Requests go straight to
//! `App::handle` (no socket), except one test over a real socket.

mod support;

use std::io::{Read, Write};

use groovekit_serve::http::{Body, Request};
use serde_json::json;
use support::{HOST, app, get, json, post, raw_trigs, real_device_set};

/// The (track, step) cells of the HTML grid of the audio tracks that hold a trig.
fn html_trigs(html: &str) -> Vec<(u8, u8)> {
    let mut out = Vec::new();
    for cell in html.split("<td class=\"step").skip(1) {
        let head = cell.split('>').next().unwrap_or_default();
        if !head.contains(" k-trig") || !head.contains("data-track=\"T") {
            continue;
        }
        let attr = |name: &str| -> String {
            let at = head.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            head[at..].split('"').next().unwrap().to_string()
        };
        let track: u8 = attr("data-track").trim_start_matches('T').parse().unwrap();
        out.push((track, attr("data-step").parse().unwrap()));
    }
    out.sort_unstable();
    out
}

#[test]
fn pages_and_api_show_the_real_device_project() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(set) = real_device_set(tmp.path()) else { return };
    let app = app(std::slice::from_ref(&set), false);

    let r = get(&app, "/");
    assert_eq!((r.status, r.content_type.as_str()), (200, "text/html; charset=utf-8"));
    assert!(r.text().contains("href=\"/set/0\""), "{}", r.text());
    assert_eq!(r.header("X-Frame-Options"), Some("DENY"));
    assert!(r.header("Content-Security-Policy").unwrap().contains("default-src 'self'"));

    for (path, ct) in
        [("/assets/app.js", "text/javascript; charset=utf-8"), ("/assets/style.css", "text/css; charset=utf-8")]
    {
        let r = get(&app, path);
        assert_eq!((r.status, r.content_type.as_str()), (200, ct));
        assert!(r.bytes().len() > 500);
    }
    assert_eq!(get(&app, "/assets/nope.js").status, 404);
    assert_eq!(get(&app, "/nope/0").status, 404);
    assert_eq!(get(&app, "/set/9").status, 404);

    let r = get(&app, "/api");
    assert_eq!((r.status, r.content_type.as_str()), (200, "application/json"));
    assert_eq!(json(&r)["kind"], "groovekit-serve-api");
    let roots = json(&get(&app, "/api/roots"));
    assert_eq!(roots[0]["kind"], "set");

    // Set page and its API: both projects, the REAL one with 26 slots whose files all exist.
    let r = get(&app, "/set/0");
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("href=\"/project/0/REAL\""));
    assert!(r.text().contains("href=\"/project/0/OTHER\""));
    let v = json(&get(&app, "/api/set/0"));
    let projects = v["index"]["projects"].as_array().unwrap();
    assert_eq!(projects.len(), 2);
    let real = projects.iter().find(|p| p["name"] == "REAL").unwrap();
    assert_eq!(real["slots"], 26);
    assert_eq!(v["index"]["missing"].as_array().unwrap().len(), 0);
    assert!(v["verify"]["checked"].as_array().is_some_and(|c| !c.is_empty()));

    // Project page: bank A's patterns with trigs are the `on` cells.
    let with_trigs: Vec<u64> =
        real["banks"][0]["patterns"].as_array().unwrap().iter().map(|p| p.as_u64().unwrap()).collect();
    let r = get(&app, "/project/0/REAL");
    assert_eq!(r.status, 200);
    let html = r.text();
    for p in 1..=16u64 {
        let on = html.contains(&format!("<td class=\"on\"><a id=\"pat-1-{p}\""));
        assert_eq!(on, with_trigs.contains(&p), "pattern {p}");
    }
    let v = json(&get(&app, "/api/project/0/REAL"));
    assert_eq!(v["slots"].as_array().unwrap().iter().filter(|s| s["status"] == "ok").count(), 26);
    assert_eq!(v["parts"].as_array().unwrap().len(), 4);

    // Pattern page: bank 1 pattern 1 holds trigs on exactly the steps the bank holds.
    let want = raw_trigs(&set.join("REAL"), 1);
    assert!(!want.is_empty());
    let r = get(&app, "/pattern/0/REAL?bank=1&pattern=1");
    assert_eq!((r.status, r.content_type.as_str()), (200, "text/html; charset=utf-8"));
    assert_eq!(html_trigs(&r.text()), want);
    let v = json(&get(&app, "/api/pattern/0/REAL?bank=1&pattern=1"));
    let mut api: Vec<(u8, u8)> = Vec::new();
    for t in v["tracks"].as_array().unwrap().iter().filter(|t| t["kind"] == "audio") {
        for s in t["steps"].as_array().unwrap() {
            if s["kinds"].as_array().unwrap().iter().any(|k| k == "trig") {
                api.push((t["track"].as_u64().unwrap() as u8, s["step"].as_u64().unwrap() as u8));
            }
        }
    }
    api.sort_unstable();
    assert_eq!(api, want);
    // Every pattern of the bank, the same way.
    for p in 2..=16 {
        let r = get(&app, &format!("/pattern/0/REAL?bank=1&pattern={p}"));
        assert_eq!(html_trigs(&r.text()), raw_trigs(&set.join("REAL"), p), "pattern {p}");
    }
    assert_eq!(get(&app, "/pattern/0/REAL?bank=17&pattern=1").status, 400);
    assert_eq!(get(&app, "/pattern/0/REAL?bank=2&pattern=1").status, 404, "bank 2 is not in the fixture");
    assert_eq!(get(&app, "/pattern/0/AUDIO").status, 404, "not a project");

    // Sample page, peaks, the file with a Range.
    let rel = support::first_sample(&set);
    let enc = groovekit_serve::http::encode_path(&rel);
    let r = get(&app, &format!("/sample/0/{enc}"));
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains(&format!("src=\"/file/0/{}\"", enc.replace('&', "&amp;"))));
    let v = json(&get(&app, &format!("/api/sample/0/{enc}")));
    assert_eq!(v["audio"]["frames"], 44_100);
    assert_eq!(v["audio"]["usable"], true);
    assert!(!v["slots"].as_array().unwrap().is_empty(), "the slot that uses it");
    let v = json(&get(&app, &format!("/api/peaks/0/{enc}?n=100")));
    let cols = v["columns"].as_array().unwrap();
    assert_eq!(cols.len(), 100);
    assert!(cols.iter().all(|c| c[0].as_f64().unwrap() < -0.2 && c[1].as_f64().unwrap() > 0.2));
    let r =
        app.handle(&Request::new("GET", &format!("/file/0/{enc}")).header("Host", HOST).header("Range", "bytes=0-99"));
    assert_eq!((r.status, r.content_type.as_str()), (206, "audio/wav"));
    assert_eq!(r.header("Content-Range"), Some(format!("bytes 0-99/{}", 44 + 44_100 * 4).as_str()));
    assert!(matches!(r.body, Body::File { start: 0, len: 100, .. }));
    let r = app.handle(
        &Request::new("GET", &format!("/file/0/{enc}")).header("Host", HOST).header("Range", "bytes=999999999-"),
    );
    assert_eq!(r.status, 416);
    let r = get(&app, &format!("/file/0/{enc}"));
    assert_eq!(r.status, 200);
    assert_eq!(r.header("Accept-Ranges"), Some("bytes"));

    let r = get(&app, "/folder/0/AUDIO");
    assert_eq!(r.status, 200);
    let v = json(&get(&app, "/api/folder/0/"));
    assert!(v.as_array().unwrap().iter().any(|e| e["name"] == "REAL" && e["kind"] == "ot-project"));
}

#[test]
fn other_formats_have_pages() {
    let Some(fx) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "other_formats_have_pages")
    else {
        return;
    };
    let app = app(std::slice::from_ref(&fx), false);
    let r = get(&app, "/opz/0/opz/error-garden/project01.opz?pattern=1");
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("<svg"));
    assert!(r.text().contains("playing chain"));
    let v = json(&get(&app, "/api/opz/0/opz/error-garden/project01.opz"));
    assert_eq!(v["chains"].as_array().unwrap().len(), 16);
    assert_eq!(v["tracks"].as_array().unwrap().len(), 16);

    let r = get(&app, "/okt/0/okt/demosong_1.okta");
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("src=\"/render/0/okt/demosong_1.okta\""));
    let v = json(&get(&app, "/api/okt/0/okt/demosong_1.okta"));
    assert!(!v["order"].as_array().unwrap().is_empty());

    let r = get(&app, "/track/0/track/kick_snare.track");
    assert_eq!(r.status, 200);
    let v = json(&get(&app, "/api/track/0/track/kick_snare.track"));
    assert_eq!(v["valid"], true);
    let r = get(&app, "/render/0/track/kick_snare.track");
    assert_eq!((r.status, r.content_type.as_str()), (200, "audio/wav"), "{}", r.text());
    let r = get(&app, "/render/0/okt/demosong_1.okta");
    assert_eq!((r.status, r.content_type.as_str()), (200, "audio/wav"), "{}", r.text());
    assert_eq!(get(&app, "/render/0/track/assets/kick_1.wav").status, 400, "only songs render");
}

#[test]
fn a_track_song_with_problems_shows_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("bad.track"), "BPM 120\nPATTERN p LENGTH 1.0\n0.00, NOPE, 1.0, 0.0\n").unwrap();
    let app = app(&[tmp.path().to_path_buf()], false);
    let v = json(&get(&app, "/api/track/0/bad.track"));
    assert_eq!(v["valid"], false);
    let p = &v["problems"][0];
    assert!(p["line"].as_u64().unwrap() >= 1 && p["col"].as_u64().unwrap() >= 1, "{p}");
    let r = get(&app, "/track/0/bad.track");
    assert!(r.text().contains(&format!("bad.track:{}:{}", p["line"], p["col"])), "{}", r.text());
    assert!(!r.text().contains("/render/"), "an invalid song has no player");
}

#[test]
fn traversal_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let served = tmp.path().join("served");
    std::fs::create_dir_all(served.join("AUDIO")).unwrap();
    std::fs::write(tmp.path().join("secret.wav"), support::wav(10)).unwrap();
    std::fs::write(served.join("AUDIO/ok.wav"), support::wav(10)).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(tmp.path().join("secret.wav"), served.join("AUDIO/out.wav")).unwrap();
    let app = app(&[served], false);
    assert_eq!(get(&app, "/file/0/AUDIO/ok.wav").status, 200);
    for bad in [
        "/file/0/../secret.wav",
        "/file/0/AUDIO/../../secret.wav",
        "/file/0/%2e%2e/secret.wav",
        "/file/0/%2E%2E/secret.wav",
        "/file/0/AUDIO/%2e%2e%2f%2e%2e%2fsecret.wav",
        "/file/0/%2fetc%2fpasswd",
        "/file/0//etc/passwd",
        "/sample/0/..%5c..%5csecret.wav",
        "/api/sample/0/%2e%2e/secret.wav",
        "/api/peaks/0/%2e%2e/secret.wav",
        "/wav/0/%2e%2e/secret.wav",
        #[cfg(unix)]
        "/file/0/AUDIO/out.wav",
        #[cfg(unix)]
        "/wav/0/AUDIO/out.wav",
        #[cfg(unix)]
        "/api/sample/0/AUDIO/out.wav",
    ] {
        let r = get(&app, bad);
        assert_eq!(r.status, 403, "{bad}: {}", r.text());
    }
    // The symlink out is not listed either.
    let v = json(&get(&app, "/api/folder/0/AUDIO"));
    assert_eq!(v.as_array().unwrap().len(), 1);
}

#[test]
fn host_origin_and_token_are_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(set) = real_device_set(tmp.path()) else { return };
    let app = app(std::slice::from_ref(&set), true);
    // DNS rebinding: the right address under another name.
    for host in ["evil.example:7777", "127.0.0.1:8888", ""] {
        let r = app.handle(&Request::new("GET", "/set/0").header("Host", host));
        assert_eq!(r.status, 403, "Host {host}");
    }
    assert_eq!(app.handle(&Request::new("GET", "/")).status, 403, "no Host");
    assert_eq!(get(&app, "/").status, 200);
    assert_eq!(app.handle(&Request::new("GET", "/").header("Host", "localhost:7777")).status, 200);
    let r = app.handle(&Request::new("GET", "/api/set/0").header("Host", HOST).header("Origin", "http://evil.example"));
    assert_eq!(r.status, 403);
    let r = app.handle(&Request::new("GET", "/").header("Host", HOST).header("Sec-Fetch-Site", "cross-site"));
    assert_eq!(r.status, 403);

    let body = json!({"root": 0, "project": "REAL", "bank": 1, "to_project": "OTHER", "to_bank": 3});
    // No token, a wrong token: refused, nothing written.
    let before = std::fs::read(set.join("OTHER/bank03.work")).unwrap();
    assert_eq!(post(&app, "/api/edit/copy-bank", &json!({"apply": true, "root": 0}), None).status, 403);
    let r = post(&app, "/api/edit/copy-bank", &body, Some("0000"));
    assert_eq!(r.status, 403);
    let mut forged = body.clone();
    forged["apply"] = json!(true);
    let r = app.handle(
        &Request::new("POST", "/api/edit/copy-bank")
            .header("Host", HOST)
            .header("Origin", "http://evil.example")
            .header("X-Groovekit-Token", &app.token)
            .body(forged.to_string()),
    );
    assert_eq!(r.status, 403, "a cross-site form with a stolen token");
    assert_eq!(std::fs::read(set.join("OTHER/bank03.work")).unwrap(), before);
    // POST elsewhere, other methods.
    assert_eq!(post(&app, "/set/0", &body, Some(&app.token)).status, 405);
    assert_eq!(app.handle(&Request::new("DELETE", "/").header("Host", HOST)).status, 405);
    // The page carries the token when edits are allowed.
    assert!(get(&app, "/project/0/REAL").text().contains(&format!("name=\"gk-token\" content=\"{}\"", app.token)));
}

#[test]
fn read_only_refuses_edits() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(set) = real_device_set(tmp.path()) else { return };
    let app = app(std::slice::from_ref(&set), false);
    let body = json!({"root": 0, "project": "REAL", "bank": 1, "to_project": "OTHER", "to_bank": 3, "apply": true});
    let r = post(&app, "/api/edit/copy-bank", &body, Some(&app.token));
    assert_eq!(r.status, 403);
    assert!(r.text().contains("--allow-edits"));
    let page = get(&app, "/project/0/REAL").text();
    assert!(!page.contains("gk-token"), "no token in a read-only page");
    assert!(!page.contains("edit-form"));
}

#[test]
fn copy_bank_plans_then_applies_and_restores() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(set) = real_device_set(tmp.path()) else { return };
    let app = app(std::slice::from_ref(&set), true);
    let before = std::fs::read(set.join("OTHER/bank03.work")).unwrap();
    let mut body =
        json!({"root": 0, "project": "REAL", "bank": 1, "to_project": "OTHER", "to_bank": 3, "apply": false});
    let r = post(&app, "/api/edit/copy-bank", &body, Some(&app.token));
    assert_eq!(r.status, 200, "{}", r.text());
    let v = json(&r);
    assert_eq!(v["applied"], false);
    assert!(v["plan"]["writes"].as_array().unwrap().iter().any(|w| w.as_str().unwrap().ends_with("bank03.work")));
    assert_eq!(std::fs::read(set.join("OTHER/bank03.work")).unwrap(), before, "a plan changes nothing");

    body["apply"] = json!(true);
    let r = post(&app, "/api/edit/copy-bank", &body, Some(&app.token));
    assert_eq!(r.status, 200, "{}", r.text());
    let v = json(&r);
    assert_eq!(v["applied"], true);
    let after = std::fs::read(set.join("OTHER/bank03.work")).unwrap();
    assert_ne!(after, before);
    let src =
        groovekit_octatrack::raw::bank::Bank::read(&std::fs::read(set.join("REAL/bank01.work")).unwrap()).unwrap();
    let dst = groovekit_octatrack::raw::bank::Bank::read(&after).unwrap();
    assert_eq!(dst.patterns_with_trigs(), src.patterns_with_trigs());
    let report = groovekit_octatrack::ops::verify::verify_project(&set.join("OTHER"), false);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    // The copy shows: bank C of OTHER now has the patterns; a backup is listed with a restore.
    let v = json(&get(&app, "/api/project/0/OTHER"));
    let bank3 = v["banks"].as_array().unwrap().iter().find(|b| b["bank"] == 3).unwrap();
    assert!(!bank3["patterns"].as_array().unwrap().is_empty());
    let backup = v["backups"][0]["name"].as_str().unwrap().to_string();
    assert_eq!(v["backups"][0]["label"], "copy-bank");
    assert!(get(&app, "/project/0/OTHER").text().contains("data-op=\"restore\""));

    // Restore: plan, then apply; bank 3 is back.
    let mut body = json!({"root": 0, "project": "OTHER", "backup": backup, "apply": false});
    let r = post(&app, "/api/edit/restore", &body, Some(&app.token));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_ne!(std::fs::read(set.join("OTHER/bank03.work")).unwrap(), before);
    body["apply"] = json!(true);
    let r = post(&app, "/api/edit/restore", &body, Some(&app.token));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(std::fs::read(set.join("OTHER/bank03.work")).unwrap(), before);
    // A backup name that climbs out is refused.
    let r = post(&app, "/api/edit/restore", &json!({"root": 0, "project": "OTHER", "backup": ".."}), Some(&app.token));
    assert_eq!(r.status, 403);
    // A project outside the root is refused.
    let r = post(&app, "/api/edit/purge", &json!({"root": 0, "project": "../SET/REAL"}), Some(&app.token));
    assert_eq!(r.status, 403);
    // Bad numbers are a 400 with what to do.
    let r = post(
        &app,
        "/api/edit/copy-bank",
        &json!({"root": 0, "project": "REAL", "bank": 17, "to_bank": 1}),
        Some(&app.token),
    );
    assert_eq!(r.status, 400);
    assert!(r.text().contains("1-16"));
}

#[test]
fn other_edits_plan() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(set) = real_device_set(tmp.path()) else { return };
    let app = app(std::slice::from_ref(&set), true);
    let token = app.token.clone();
    let real = groovekit_octatrack::ops::project_dir::ProjectDir::open(&set.join("REAL")).unwrap();
    let first = real.project.samples().into_iter().find(|s| !s.path.is_empty() && s.slot <= 128).unwrap();
    let pool = if first.slot_type == groovekit_octatrack::model::project::SlotType::Flex { "flex" } else { "static" };
    for (op, body) in [
        (
            "copy-pattern",
            json!({"root": 0, "project": "REAL", "bank": 1, "pattern": 1, "to_project": "OTHER", "to_bank": 1, "to_pattern": 2}),
        ),
        (
            "copy-part",
            json!({"root": 0, "project": "REAL", "bank": 1, "part": 1, "to_project": "OTHER", "to_bank": 1, "to_part": 2}),
        ),
        (
            "copy-track",
            json!({"root": 0, "project": "REAL", "bank": 1, "pattern": 1, "track": 1, "to_project": "OTHER", "to_bank": 1, "to_pattern": 1, "to_track": 2}),
        ),
        (
            "copy-slots",
            json!({"root": 0, "project": "REAL", "slots": [first.slot], "pool": pool, "to_project": "OTHER"}),
        ),
        ("purge", json!({"root": 0, "project": "REAL"})),
        ("collect", json!({"root": 0, "project": "REAL"})),
        ("relink", json!({"root": 0, "project": "REAL", "search": "AUDIO"})),
    ] {
        let r = post(&app, &format!("/api/edit/{op}"), &body, Some(&token));
        assert_eq!(r.status, 200, "{op}: {}", r.text());
        assert_eq!(json(&r)["applied"], false, "{op}");
    }
    assert_eq!(post(&app, "/api/edit/format-card", &json!({"root": 0}), Some(&token)).status, 404);
}

#[test]
fn a_real_socket_serves_ranges_and_checks_host() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("a.wav"), support::wav(1000)).unwrap();
    let config = groovekit_serve::Config { roots: vec![tmp.path().to_path_buf()], ..Default::default() };
    let server = groovekit_serve::Server::bind(&config).unwrap();
    let addr = server.addr().unwrap();
    assert!(server.url().starts_with("http://127.0.0.1:"));
    std::thread::spawn(move || server.run());
    let ask = |req: String| {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.write_all(req.as_bytes()).unwrap();
        let mut out = Vec::new();
        s.read_to_end(&mut out).unwrap();
        String::from_utf8_lossy(&out).into_owned()
    };
    let host = format!("127.0.0.1:{}", addr.port());
    let r =
        ask(format!("GET /file/0/a.wav HTTP/1.1\r\nHost: {host}\r\nRange: bytes=8-15\r\nConnection: close\r\n\r\n"));
    assert!(r.starts_with("HTTP/1.1 206 "), "{r}");
    assert!(r.contains("Content-Range: bytes 8-15/4044"), "{r}");
    assert!(r.ends_with("\r\n\r\nWAVEfmt "), "{r}");
    let r = ask("GET / HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n".into());
    assert!(r.starts_with("HTTP/1.1 403 "), "{r}");
    // Two requests on one connection (keep-alive).
    let r = ask(format!(
        "HEAD / HTTP/1.1\r\nHost: {host}\r\n\r\nGET /favicon.ico HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!(r.matches("HTTP/1.1 ").count(), 2, "{r}");
}

#[test]
fn non_loopback_needs_expose() {
    let config = groovekit_serve::Config {
        roots: vec![std::env::temp_dir()],
        address: "0.0.0.0".parse().unwrap(),
        ..Default::default()
    };
    let e = groovekit_serve::Server::bind(&config).unwrap_err().to_string();
    assert!(e.contains("--expose-to-network"), "{e}");
}

/// The bytes of a response, read from its file when it is one.
fn body_bytes(r: &groovekit_serve::http::Response) -> Vec<u8> {
    match &r.body {
        Body::Bytes(b) => b.clone(),
        Body::File { path, start, len, .. } => {
            let all = std::fs::read(path).unwrap();
            all[*start as usize..(*start + *len) as usize].to_vec()
        }
    }
}

#[test]
fn opz_kits_show_their_slices_and_play_one() {
    let Some(fx) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "opz_kits") else {
        return;
    };
    let app = app(std::slice::from_ref(&fx), false);
    let rel = "opz/samplepacks/perc-kick076_patch.aif";
    let kit = groovekit_opz::kit::Kit::parse(&std::fs::read(fx.join(rel)).unwrap()).unwrap();
    let slices = kit.slices().unwrap();
    assert_eq!(slices.len(), 24);

    // The API gives the slice boundaries the library reads.
    let r = get(&app, &format!("/api/kit/0/{rel}"));
    assert_eq!((r.status, r.content_type.as_str()), (200, "application/json"), "{}", r.text());
    let v = json(&r);
    assert_eq!(
        (v["kind"].as_str(), v["name"].as_str(), v["sample_rate"].as_u64()),
        (Some("drum"), Some("boombap1"), Some(44_100))
    );
    let shown = v["slices"].as_array().unwrap();
    assert_eq!(shown.len(), 24);
    for (s, w) in slices.iter().zip(shown) {
        assert_eq!((w["start"].as_u64().unwrap(), w["end"].as_u64().unwrap()), (s.start_frame(), s.end_frame()));
    }
    assert_eq!(shown[0]["frames"], 16_876);

    // The page shows the same boundaries, a Play button per slice and the waveform.
    let r = get(&app, &format!("/kit/0/{rel}"));
    assert_eq!((r.status, r.content_type.as_str()), (200, "text/html; charset=utf-8"));
    let html = r.text();
    for (i, s) in slices.iter().enumerate() {
        let row = format!("<td>{}</td><td>{}</td><td>{}</td>", i + 1, s.start_frame(), s.end_frame());
        assert!(html.contains(&row), "{row}");
        assert!(html.contains(&format!("data-src=\"/api/kit-slice/0/{rel}?slice={}\"", i + 1)));
    }
    assert!(html.contains(&format!("data-peaks=\"/api/peaks/0/{rel}?n=1200\"")));
    assert!(html.contains("id=\"kit-player\""));
    let peaks = json(&get(&app, &format!("/api/peaks/0/{rel}?n=100")));
    assert_eq!(peaks["frames"], u64::from(kit.aiff.format().unwrap().frames));

    // One slice as a WAV: exactly the frames `opz kit split` writes for it.
    let r = get(&app, &format!("/api/kit-slice/0/{rel}?slice=2"));
    assert_eq!((r.status, r.content_type.as_str()), (200, "audio/wav"), "{}", r.text());
    assert_eq!(r.header("Accept-Ranges"), Some("bytes"));
    let cut = groovekit_opz::kit::slice_frames(&kit).unwrap();
    let (_, frames) = cut.iter().find(|(i, _)| *i == 1).unwrap();
    assert_eq!(frames.len() as u64, slices[1].end_frame() - slices[1].start_frame());
    assert_eq!(body_bytes(&r), groovekit_opz::kit::wav_bytes(frames, 44_100));
    let r = app.handle(
        &Request::new("GET", &format!("/api/kit-slice/0/{rel}?slice=2"))
            .header("Host", HOST)
            .header("Range", "bytes=0-43"),
    );
    assert_eq!((r.status, body_bytes(&r).len()), (206, 44));
    for bad in ["slice=0", "slice=25", "slice=x", ""] {
        assert_eq!(get(&app, &format!("/api/kit-slice/0/{rel}?{bad}")).status, 400, "{bad}");
    }
    assert_eq!(get(&app, "/api/kit-slice/0/opz/error-garden/project01.opz?slice=1").status, 400, "not a kit");
    assert_eq!(get(&app, "/api/kit-slice/0/%2e%2e/x.aif?slice=1").status, 403);

    // A kit that points past its audio: the slice is cut at the end, and the page says so.
    let v = json(&get(&app, "/api/kit/0/opz/samplepacks/kick-combo_patch.aif"));
    let last = &v["slices"][23];
    assert_eq!((last["end"].as_u64(), last["playable"].as_u64()), (Some(500_889), Some(481_779 - 158_363)));
    let problems: Vec<&str> = v["problems"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    assert!(problems.iter().any(|p| p.starts_with("slice 24 ends at frame 500889")), "{problems:?}");
    let r = get(&app, "/kit/0/opz/samplepacks/kick-combo_patch.aif");
    assert!(r.text().contains("342526 (323416 play)"), "{}", r.text());

    // The OP-Z project page lists the kits of its disk (`opz/samplepacks`), each playable.
    let r = get(&app, "/opz/0/opz/error-garden/project01.opz");
    assert_eq!(r.status, 200);
    let html = r.text();
    assert!(html.contains("href=\"/kit/0/opz/samplepacks/kick-combo_patch.aif\""));
    assert_eq!(html.matches("class=\"play-kit-slice\"").count(), 48, "24 slices in each of 2 kits");
    let v = json(&get(&app, "/api/opz/0/opz/error-garden/project01.opz"));
    let kits: Vec<&str> = v["kits"].as_array().unwrap().iter().map(|k| k["rel"].as_str().unwrap()).collect();
    assert_eq!(kits, ["opz/samplepacks/kick-combo_patch.aif", rel]);
    let listed = json(&get(&app, "/api/folder/0/opz/samplepacks"));
    assert!(listed.as_array().unwrap().iter().all(|e| e["kind"] == "opz-kit"), "{listed}");
}

/// The value of attribute `name` in the tag `tag` (`<input ...>`), when present.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    tag[at..].split('"').next()
}

/// The JSON the page's script (`formJson` in assets/app.js) posts for the edit form `op`, with
/// each field as the page gives it: checkboxes as booleans, numbers as numbers (empty ones left
/// out), `data-list` fields as lists of numbers, selects as their selected option.
fn form_body(html: &str, op: &str) -> serde_json::Value {
    let start =
        html.find(&format!("<form class=\"edit-form\" data-op=\"{op}\"")).unwrap_or_else(|| panic!("no {op} form"));
    let form = &html[start..start + html[start..].find("</form>").unwrap()];
    let mut body = json!({"root": attr(form, "data-root").unwrap().parse::<u64>().unwrap()});
    for tag in form.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap();
        // `rest` keeps the space before the first attribute, which `attr` looks for.
        if let Some(rest) = tag.strip_prefix("input") {
            let Some(name) = attr(rest, "name") else { continue };
            let value = attr(rest, "value").unwrap_or_default();
            body[name] = match attr(rest, "type") {
                Some("checkbox") => json!(rest.contains(" checked")),
                Some("number") if value.is_empty() => continue,
                Some("number") => json!(value.parse::<u64>().unwrap()),
                _ if attr(rest, "data-list").is_some() => {
                    json!(
                        value
                            .split([' ', ','])
                            .filter(|s| !s.is_empty())
                            .map(|s| s.parse::<u64>().unwrap())
                            .collect::<Vec<_>>()
                    )
                }
                _ => json!(value),
            };
        } else if let Some(rest) = tag.strip_prefix("select") {
            let name = attr(rest, "name").unwrap();
            let options = &form[form.find(&format!("<select name=\"{name}\"")).unwrap()..];
            let options = &options[..options.find("</select>").unwrap()];
            let chosen = options
                .split("<option ")
                .skip(1)
                .find(|o| o.split('>').next().unwrap().contains(" selected"))
                .or_else(|| options.split("<option ").nth(1))
                .unwrap();
            body[name] = json!(attr(&format!(" {chosen}"), "value").unwrap());
        }
    }
    body
}

/// Plans then applies `body` as the page does (the same request, `apply` false then true);
/// checks that the plan changes nothing in `watched` and returns the applied answer.
fn plan_then_apply(
    app: &groovekit_serve::App,
    op: &str,
    body: &serde_json::Value,
    watched: &std::path::Path,
) -> serde_json::Value {
    let mut body = body.clone();
    body["apply"] = json!(false);
    let url = format!("/api/edit/{op}");
    assert_eq!(post(app, &url, &body, None).status, 403, "{op} without the token");
    let before = std::fs::read(watched).unwrap();
    let r = post(app, &url, &body, Some(&app.token));
    assert_eq!(r.status, 200, "{op}: {}", r.text());
    let plan = json(&r);
    assert_eq!(plan["applied"], false, "{op}");
    assert!(!plan["plan"]["writes"].as_array().unwrap().is_empty(), "{op}: {plan}");
    assert_eq!(std::fs::read(watched).unwrap(), before, "{op}: the plan changed nothing");
    body["apply"] = json!(true);
    let r = post(app, &url, &body, Some(&app.token));
    assert_eq!(r.status, 200, "{op}: {}", r.text());
    let done = json(&r);
    assert_eq!(done["applied"], true, "{op}");
    assert_ne!(std::fs::read(watched).unwrap(), before, "{op}: applied");
    done
}

#[test]
fn track_slot_collect_and_relink_forms_plan_then_apply() {
    use groovekit_octatrack::ops::project_dir::ProjectDir;
    let tmp = tempfile::tempdir().unwrap();
    let Some(set) = real_device_set(tmp.path()) else { return };
    let ops = ["copy-track", "copy-slots", "collect", "relink"];

    // Read-only: no form.
    let page = get(&app(std::slice::from_ref(&set), false), "/project/0/REAL").text();
    for op in ops {
        assert!(!page.contains(&format!("data-op=\"{op}\"")), "{op} form without --allow-edits");
    }
    let app = app(std::slice::from_ref(&set), true);
    let page = get(&app, "/project/0/REAL").text();

    // copy-track: REAL bank 1 pattern 1 track 1 -> OTHER track 2, as the form sends it.
    let mut body = form_body(&page, "copy-track");
    assert_eq!(
        (&body["project"], &body["bank"], &body["pattern"], &body["track"], &body["what"], &body["midi"]),
        (&json!("REAL"), &json!(1), &json!(1), &json!(1), &json!("both"), &json!(false))
    );
    body["to_project"] = json!("OTHER");
    plan_then_apply(&app, "copy-track", &body, &set.join("OTHER/bank01.work"));
    let trigs = |p: &str, t: u8| -> Vec<u8> {
        support::raw_trigs(&set.join(p), 1).into_iter().filter(|&(tr, _)| tr == t).map(|(_, s)| s).collect()
    };
    assert!(!trigs("REAL", 1).is_empty());
    assert_eq!(trigs("OTHER", 2), trigs("REAL", 1));
    let report = groovekit_octatrack::ops::verify::verify_project(&set.join("OTHER"), false);
    assert!(report.problems.is_empty(), "{:?}", report.problems);

    // copy-slots: the first listed slot of REAL into OTHER at slot 100.
    let real = ProjectDir::open(&set.join("REAL")).unwrap();
    let first = real.project.samples().into_iter().find(|s| !s.path.is_empty() && s.slot <= 128).unwrap();
    let mut body = form_body(&page, "copy-slots");
    assert_eq!(body["slots"], json!([]), "the slots field starts empty");
    assert!(body.get("to_slot").is_none(), "an empty to_slot is left out");
    body["slots"] = json!([first.slot]);
    body["pool"] =
        json!(if first.slot_type == groovekit_octatrack::model::project::SlotType::Flex { "flex" } else { "static" });
    body["to_project"] = json!("OTHER");
    body["to_slot"] = json!(100);
    plan_then_apply(&app, "copy-slots", &body, &set.join("OTHER/project.work"));
    let other = ProjectDir::open(&set.join("OTHER")).unwrap();
    let copied = other.project.samples().into_iter().find(|s| s.slot_type == first.slot_type && s.slot == 100).unwrap();
    assert_eq!(other.sample_path(&copied).unwrap().file_name(), real.sample_path(&first).unwrap().file_name());

    // relink: a sample moved to AUDIO/moved/ is found again under AUDIO (the form's default).
    let file = groovekit_octatrack::ops::project_dir::normalize(&real.sample_path(&first).unwrap());
    let moved = set.join("AUDIO/moved").join(file.file_name().unwrap());
    std::fs::create_dir_all(moved.parent().unwrap()).unwrap();
    std::fs::rename(&file, &moved).unwrap();
    let body = form_body(&page, "relink");
    assert_eq!((&body["project"], &body["search"]), (&json!("REAL"), &json!("AUDIO")));
    let done = plan_then_apply(&app, "relink", &body, &set.join("REAL/project.work"));
    assert!(
        done["plan"]["slots"].as_array().unwrap().iter().any(|s| s["to"].as_str().unwrap().contains("moved")),
        "{done}"
    );
    let real = ProjectDir::open(&set.join("REAL")).unwrap();
    let relinked =
        real.project.samples().into_iter().find(|s| s.slot_type == first.slot_type && s.slot == first.slot).unwrap();
    assert_eq!(
        groovekit_octatrack::ops::project_dir::normalize(&real.sample_path(&relinked).unwrap()),
        moved.canonicalize().unwrap()
    );

    // collect: every sample of REAL copied into its folder, the slots pointing there, and no
    // new problem (the fixture is a partial card dump: it lacks banks 2-16 from the start).
    let problems = |p: &str| -> Vec<String> {
        let report = groovekit_octatrack::ops::verify::verify_project(&set.join(p), false);
        report.problems.iter().map(|p| p.message.clone()).collect()
    };
    let before = problems("REAL");
    let body = form_body(&page, "collect");
    assert_eq!((&body["project"], &body["to_pool"]), (&json!("REAL"), &json!(false)));
    plan_then_apply(&app, "collect", &body, &set.join("REAL/project.work"));
    let real = ProjectDir::open(&set.join("REAL")).unwrap();
    let inside = set.join("REAL").canonicalize().unwrap();
    for s in real.project.samples().into_iter().filter(|s| !s.path.is_empty()) {
        let f = groovekit_octatrack::ops::project_dir::normalize(&real.sample_path(&s).unwrap());
        assert!(f.starts_with(&inside) && f.is_file(), "{}", f.display());
    }
    assert_eq!(problems("REAL"), before);
}

#[test]
fn an_opz_disk_lists_its_packs_empty_slices_and_sampler_packs() {
    use groovekit_opz::kit::{KitSample, build_drum_kit};
    let Some(fx) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "opz_disk") else {
        return;
    };
    // A disk as the device lays it out, with packs written by the library: a drum kit of two
    // sounds (slices 3-24 empty), a synth sampler pack, and an AIFF without the op-1 chunk.
    let tmp = tempfile::tempdir().unwrap();
    let disk = tmp.path().join("disk");
    for d in ["projects", "samplepacks/1-kick/01", "samplepacks/6-lead/01", "samplepacks/2-snare/01"] {
        std::fs::create_dir_all(disk.join(d)).unwrap();
    }
    std::fs::copy(fx.join("opz/error-garden/project01.opz"), disk.join("projects/project01.opz")).unwrap();
    let sounds = [
        KitSample { name: "a".into(), frames: vec![1000; 4410] },
        KitSample { name: "b".into(), frames: vec![-1000; 2205] },
    ];
    let drum = build_drum_kit(&sounds, "two").unwrap();
    std::fs::write(disk.join("samplepacks/1-kick/01/two.aif"), drum.to_bytes()).unwrap();
    let mut synth = build_drum_kit(&sounds[..1], "lead").unwrap();
    let mut j = synth.json().unwrap();
    j["type"] = json!("sampler");
    synth.set_json(&j).unwrap();
    std::fs::write(disk.join("samplepacks/6-lead/01/lead.aif"), synth.to_bytes()).unwrap();
    let mut plain = drum.clone();
    plain.aiff.chunks.retain(|c| &c.id != b"APPL");
    plain.aiff.fix_form_size();
    std::fs::write(disk.join("samplepacks/2-snare/01/plain.aif"), plain.to_bytes()).unwrap();

    let app = app(std::slice::from_ref(&disk), false);
    let v = json(&get(&app, "/api/opz/0/projects/project01.opz"));
    let kits = v["kits"].as_array().unwrap();
    let rels: Vec<&str> = kits.iter().map(|k| k["rel"].as_str().unwrap()).collect();
    assert_eq!(rels, ["samplepacks/1-kick/01/two.aif", "samplepacks/6-lead/01/lead.aif"], "the plain AIFF is no pack");
    let slices = kits[0]["slices"].as_array().unwrap();
    assert_eq!(
        (slices[0]["frames"].as_u64(), slices[1]["frames"].as_u64(), slices[2]["frames"].as_u64()),
        (Some(4410), Some(2205), Some(0))
    );
    assert_eq!((kits[1]["kind"].as_str(), kits[1]["slices"].as_array().unwrap().len()), (Some("sampler"), 0));

    let html = get(&app, "/opz/0/projects/project01.opz").text();
    assert_eq!(html.matches("class=\"play-kit-slice\"").count(), 2, "only the two sounding slices play");
    assert!(html.contains("<td>3</td><td>6615</td><td>6615</td><td>0 (0.000 s)</td><td>empty</td>"), "{html}");
    assert!(html.contains("A synth sampler pack: one sound, no slices."));

    let r = get(&app, "/api/kit-slice/0/samplepacks/1-kick/01/two.aif?slice=1");
    assert_eq!((r.status, r.content_type.as_str()), (200, "audio/wav"));
    assert_eq!(body_bytes(&r), groovekit_opz::kit::wav_bytes(&[1000; 4410], 44_100));
    assert_eq!(get(&app, "/api/kit-slice/0/samplepacks/1-kick/01/two.aif?slice=3").status, 404, "an empty slice");
    assert_eq!(
        get(&app, "/api/kit-slice/0/samplepacks/6-lead/01/lead.aif?slice=1").status,
        400,
        "a sampler pack has no drum slices to play"
    );
    assert_eq!(get(&app, "/api/kit/0/samplepacks/2-snare/01/plain.aif").status, 400);
    let listed = json(&get(&app, "/api/folder/0/samplepacks/2-snare/01"));
    assert_eq!(listed[0]["kind"], "audio");
}

/// The file a response sends (a route that serves from disk).
fn body_path(r: &groovekit_serve::http::Response) -> std::path::PathBuf {
    match &r.body {
        Body::File { path, .. } => path.clone(),
        Body::Bytes(_) => panic!("not a file: {} {}", r.status, r.text()),
    }
}

#[test]
fn an_aiff_sample_plays_as_a_wav_with_its_slices() {
    use groovekit_audio::pcm::{Container, probe};
    let tmp = tempfile::tempdir().unwrap();
    let Some(set) = real_device_set(tmp.path()) else { return };
    let rel = support::aiff_chain(&set);
    let aif = set.join(&rel);
    let app = app(std::slice::from_ref(&set), false);

    // The page plays the decoded WAV, and its slices are the .ot's, played on that player.
    let v = json(&get(&app, &format!("/api/sample/0/{rel}")));
    assert_eq!((v["audio"]["format"].as_str(), v["play"].as_str()), (Some("AIFF"), Some("/wav/0/AUDIO/chain.aif")));
    let html = get(&app, &format!("/sample/0/{rel}")).text();
    assert!(html.contains("src=\"/wav/0/AUDIO/chain.aif\""), "{html}");
    assert!(html.contains("href=\"/file/0/AUDIO/chain.aif\""), "the file as it is stays reachable");
    let ot = groovekit_octatrack::model::sample_settings::SampleSettings::from_bytes(
        &std::fs::read(set.join("AUDIO/chain.ot")).unwrap(),
    )
    .unwrap();
    assert!(ot.slices.len() > 1);
    for s in &ot.slices {
        let button = format!("class=\"play-slice\" data-start=\"{}\" data-end=\"{}\"", s.start, s.end);
        assert!(html.contains(&button), "{button}");
    }
    assert!(html.contains("data-rate=\"44100\""));
    // A WAV sample still plays as it is.
    let wav_rel = support::first_sample(&set);
    let v = json(&get(&app, &format!("/api/sample/0/{}", groovekit_serve::http::encode_path(&wav_rel))));
    assert!(v["play"].as_str().unwrap().starts_with("/file/0/"), "{}", v["play"]);

    // The WAV: same rate, channels, depth and frames; every sample the one groovekit reads
    // from the AIFF (and so the device-made chain.wav's).
    let r = get(&app, &format!("/wav/0/{rel}"));
    assert_eq!((r.status, r.content_type.as_str()), (200, "audio/wav"), "{}", r.text());
    assert_eq!(r.header("Accept-Ranges"), Some("bytes"));
    let out = body_path(&r);
    assert!(out.starts_with(&app.render_dir), "cached in the render folder, not beside the sample");
    let (src, got) = (probe(&aif).unwrap(), probe(&out).unwrap());
    assert_eq!(
        (got.container, got.channels, got.sample_rate, got.bits, got.frames),
        (Container::Wav, src.channels, src.sample_rate, src.bits, src.frames)
    );
    assert_eq!(support::read_ints(&out), support::read_ints(&aif));
    assert_eq!(
        groovekit_audio::read::read_audio(&out).unwrap().samples,
        groovekit_audio::read::read_audio(&aif).unwrap().samples
    );
    let whole = std::fs::read(&out).unwrap();

    // Range: a prefix, a suffix, and one past the end.
    let ranged = |range: &str| {
        app.handle(&Request::new("GET", &format!("/wav/0/{rel}")).header("Host", HOST).header("Range", range))
    };
    let r = ranged("bytes=0-43");
    assert_eq!((r.status, body_bytes(&r)), (206, whole[..44].to_vec()));
    assert_eq!(r.header("Content-Range"), Some(format!("bytes 0-43/{}", whole.len()).as_str()));
    let r = ranged("bytes=-100");
    assert_eq!((r.status, body_bytes(&r)), (206, whole[whole.len() - 100..].to_vec()));
    assert_eq!(ranged(&format!("bytes={}-", whole.len())).status, 416);
    let r = app.handle(&Request::new("HEAD", &format!("/wav/0/{rel}")).header("Host", HOST));
    assert_eq!(r.status, 200);

    // Cached: the same file again, not remade.
    let made = std::fs::metadata(&out).unwrap().modified().unwrap();
    let again = body_path(&get(&app, &format!("/wav/0/{rel}")));
    assert_eq!((again.clone(), std::fs::metadata(&again).unwrap().modified().unwrap()), (out.clone(), made));

    // The source changes (another size): a new WAV of the new audio, the old one gone.
    let mono: Vec<i32> = (0..1000).map(|i| (i * 7919 % 16_000_000) - 8_000_000).collect();
    support::write_aiff(&aif, 1, 48_000, 24, &mono);
    let r = get(&app, &format!("/wav/0/{rel}"));
    let newer = body_path(&r);
    assert_ne!(newer, out);
    assert!(!out.exists(), "one cached WAV per source: the old version's is removed");
    let info = probe(&newer).unwrap();
    assert_eq!((info.channels, info.sample_rate, info.bits, info.frames), (1, 48_000, 24, 1000));
    assert_eq!(support::read_ints(&newer), mono);

    // The same size, other samples, a later time: rebuilt again (size and time are the key).
    let before = std::fs::metadata(&aif).unwrap();
    let flipped: Vec<i32> = mono.iter().map(|v| -v).collect();
    support::write_aiff(&aif, 1, 48_000, 24, &flipped);
    let f = std::fs::File::options().write(true).open(&aif).unwrap();
    f.set_modified(before.modified().unwrap() + std::time::Duration::from_secs(5)).unwrap();
    drop(f);
    assert_eq!(std::fs::metadata(&aif).unwrap().len(), before.len());
    let newest = body_path(&get(&app, &format!("/wav/0/{rel}")));
    assert_ne!(newest, newer);
    assert!(!newer.exists());
    assert_eq!(support::read_ints(&newest), flipped);

    // A WAV is served as it is (Range on the file itself); what is not audio is refused.
    let r = get(&app, &format!("/wav/0/{}", groovekit_serve::http::encode_path(&wav_rel)));
    assert_eq!((r.status, r.content_type.as_str()), (200, "audio/wav"));
    assert_eq!(body_path(&r), set.join(&wav_rel).canonicalize().unwrap());
    let r = get(&app, "/wav/0/REAL/project.work");
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.text().contains("not audio"), "{}", r.text());
    assert_eq!(get(&app, "/wav/0/AUDIO/none.aif").status, 404);

    // The API lists the route.
    let api = json(&get(&app, "/api"));
    assert!(api["endpoints"].as_array().unwrap().iter().any(|e| e["get"] == "/wav/R/PATH"), "{api}");

    // The security rules are the other routes': traversal, Host, and no POST.
    assert_eq!(get(&app, "/wav/0/%2e%2e/x.aif").status, 403);
    assert_eq!(get(&app, "/wav/0/AUDIO/..%2f..%2fx.aif").status, 403);
    let r = app.handle(&Request::new("GET", &format!("/wav/0/{rel}")).header("Host", "evil.example:7777"));
    assert_eq!(r.status, 403);
    let r = post(&app, &format!("/wav/0/{rel}"), &json!({}), Some(&app.token));
    assert_eq!(r.status, 405);
}
