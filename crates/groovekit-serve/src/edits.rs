//! Edits from the browser (issue 25 item 3), only with `--allow-edits`, after the checks of
//! [`crate::App::handle`] (token, Host, Origin). Each edit is one library operation, run twice:
//! first as a dry run, whose plan is returned (`apply: false`); then, when the browser sends the
//! same request with `apply: true`, the plan is computed again, every file it writes is checked
//! to be inside the served root, and the operation runs for real through the same library call
//! (one all-or-nothing change set with a backup, as on the command line).
//!
//! Body: JSON `{"root": R, "project": "PATH", ..., "apply": bool}`; paths are `/`-separated under
//! the root and go through [`crate::paths::Root::resolve`].

use std::path::PathBuf;

use groovekit_octatrack::model::project::SlotType;
use groovekit_octatrack::ops::backup::{ApplyOptions, restore};
use groovekit_octatrack::ops::cleanup::{CleanupOptions, collect, purge_slots, relink};
use groovekit_octatrack::ops::copy::{CopyBankOptions, copy_bank};
use groovekit_octatrack::ops::copy_piece::{
    PieceOptions, TrackAt, TrackPart, copy_part, copy_pattern, copy_slots, copy_track,
};
use serde_json::{Value, json};

use crate::App;
use crate::http::{Request, Response};
use crate::paths::Root;

/// The edit operations.
pub const OPS: [&str; 9] =
    ["copy-bank", "copy-pattern", "copy-part", "copy-track", "copy-slots", "purge", "collect", "relink", "restore"];

fn bad(message: impl std::fmt::Display) -> Response {
    Response::json(400, &json!({"error": message.to_string()}))
}

/// Reads the JSON body's number `k` in `lo..=hi`.
fn num(body: &Value, k: &str, lo: u64, hi: u64) -> Result<usize, Response> {
    let v = body.get(k).and_then(|v| v.as_u64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok())));
    match v {
        Some(n) if (lo..=hi).contains(&n) => Ok(n as usize), // ok: <= 128
        Some(n) => Err(bad(format!("{k} {n}: must be {lo}-{hi}"))),
        None => Err(bad(format!("{k}: a number {lo}-{hi} is required"))),
    }
}

fn flag(body: &Value, k: &str) -> bool {
    body.get(k).is_some_and(|v| v.as_bool().unwrap_or_else(|| v.as_str().is_some_and(|s| s == "on" || s == "true")))
}

fn text<'a>(body: &'a Value, k: &str) -> Result<&'a str, Response> {
    body.get(k).and_then(Value::as_str).ok_or_else(|| bad(format!("{k}: a path under the served folder is required")))
}

/// A project folder named by the body's field `k`.
fn project(app: &App, root: &Root, body: &Value, k: &str) -> Result<PathBuf, Response> {
    let rel = text(body, k)?;
    crate::views::project_dir(app, root, rel)
}

/// Serves `POST /api/edit/OP`.
pub fn handle(app: &App, op: &str, req: &Request) -> Response {
    let body: Value = match serde_json::from_slice(&req.body) {
        Ok(v) => v,
        Err(e) => return bad(format!("the body is not JSON: {e}")),
    };
    let root = match body.get("root").and_then(Value::as_u64).and_then(|i| app.roots.get(i as usize)) {
        Some(r) => r,
        None => return bad("root: the number of a served folder is required (GET /api/roots)"),
    };
    let apply = flag(&body, "apply");
    // The dry run first, always: its plan lists every file the operation would write.
    let plan = match run(app, root, op, &body, true) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let writes: Vec<PathBuf> = plan
        .get("writes")
        .and_then(Value::as_array)
        .map(|w| w.iter().filter_map(Value::as_str).map(PathBuf::from).collect())
        .unwrap_or_default();
    if let Some(out) = writes.iter().find(|w| root.contain(w).is_err()) {
        return Response::json(
            403,
            &json!({"error": format!("the operation would write {}, outside the served folder {}", out.display(), root.dir.display()), "plan": plan}),
        );
    }
    if !apply {
        return Response::json(200, &json!({"op": op, "applied": false, "plan": plan}));
    }
    match run(app, root, op, &body, false) {
        Ok(done) => {
            app.invalidate();
            Response::json(200, &json!({"op": op, "applied": true, "plan": done}))
        }
        Err(r) => r,
    }
}

fn to_value<T: serde::Serialize>(r: Result<T, groovekit_octatrack::OtError>) -> Result<Value, Response> {
    let v = r.map_err(|e| Response::json(409, &json!({"error": e.to_string()})))?;
    serde_json::to_value(v).map_err(|e| Response::json(500, &json!({"error": e.to_string()})))
}

/// `"missing": "keep"` in the request copies a source whose sample files are missing (slots keep
/// their paths, as `--missing keep`); anything else refuses, as the CLI does by default.
fn missing(body: &Value) -> groovekit_octatrack::ops::import::MissingSamples {
    use groovekit_octatrack::ops::import::MissingSamples;
    if body.get("missing").and_then(Value::as_str) == Some("keep") {
        MissingSamples::Keep
    } else {
        MissingSamples::Refuse
    }
}

fn run(app: &App, root: &Root, op: &str, body: &Value, dry_run: bool) -> Result<Value, Response> {
    let piece = PieceOptions {
        force: flag(body, "force"),
        to_pool: flag(body, "to_pool"),
        dry_run,
        missing: missing(body),
        apply: ApplyOptions::default(),
    };
    let cleanup = CleanupOptions { dry_run, apply: ApplyOptions::default() };
    let src = || project(app, root, body, "project");
    let dst = || match body.get("to_project") {
        Some(_) => project(app, root, body, "to_project"),
        None => project(app, root, body, "project"),
    };
    match op {
        "copy-bank" => {
            let opts = CopyBankOptions {
                force: flag(body, "force"),
                to_pool: flag(body, "to_pool"),
                also_strd: flag(body, "also_strd"),
                dry_run,
                missing: missing(body),
                apply: ApplyOptions::default(),
            };
            to_value(copy_bank(&src()?, num(body, "bank", 1, 16)?, &dst()?, num(body, "to_bank", 1, 16)?, opts))
        }
        "copy-pattern" => to_value(copy_pattern(
            &src()?,
            num(body, "bank", 1, 16)?,
            num(body, "pattern", 1, 16)?,
            &dst()?,
            num(body, "to_bank", 1, 16)?,
            num(body, "to_pattern", 1, 16)?,
            flag(body, "with_part"),
            piece,
        )),
        "copy-part" => to_value(copy_part(
            &src()?,
            num(body, "bank", 1, 16)?,
            num(body, "part", 1, 4)?,
            &dst()?,
            num(body, "to_bank", 1, 16)?,
            num(body, "to_part", 1, 4)?,
            flag(body, "working_only"),
            piece,
        )),
        "copy-track" => {
            let at = |b: &str, p: &str, t: &str| -> Result<TrackAt, Response> {
                Ok(TrackAt { bank: num(body, b, 1, 16)?, pattern: num(body, p, 1, 16)?, track: num(body, t, 1, 8)? })
            };
            let what = match body.get("what").and_then(Value::as_str).unwrap_or("both") {
                "steps" => TrackPart::Steps,
                "settings" => TrackPart::Settings,
                "both" => TrackPart::Both,
                other => return Err(bad(format!("what {other:?}: steps, settings or both"))),
            };
            to_value(copy_track(
                &src()?,
                at("bank", "pattern", "track")?,
                &dst()?,
                at("to_bank", "to_pattern", "to_track")?,
                what,
                flag(body, "midi"),
                piece,
            ))
        }
        "copy-slots" => {
            let slots: Vec<u16> = body
                .get("slots")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter().filter_map(Value::as_u64).filter(|&s| (1..=128).contains(&s)).map(|s| s as u16).collect()
                })
                .unwrap_or_default();
            if slots.is_empty() {
                return Err(bad("slots: a list of slot numbers 1-128 is required"));
            }
            let pool = match body.get("pool").and_then(Value::as_str) {
                Some("flex") => Some(SlotType::Flex),
                Some("static") => Some(SlotType::Static),
                _ => None,
            };
            let to = body.get("to_slot").and_then(Value::as_u64).filter(|&s| (1..=128).contains(&s)).map(|s| s as u16);
            to_value(copy_slots(&src()?, &dst()?, &slots, pool, to, piece))
        }
        "purge" => to_value(purge_slots(&src()?, None, cleanup)),
        "collect" => to_value(collect(&src()?, flag(body, "to_pool"), cleanup)),
        "relink" => {
            let search = app.resolve(root, text(body, "search")?)?;
            to_value(relink(&src()?, &search, cleanup))
        }
        "restore" => {
            let dir = src()?;
            let name = text(body, "backup")?;
            let seg = crate::paths::check_segment(name).map_err(|e| Response::error(403, &e.0))?;
            let backup = root.contain(&dir.join("backups").join(seg)).map_err(|e| Response::error(403, &e.0))?;
            let plan = restore(&backup, dry_run, ApplyOptions::default())
                .map_err(|e| Response::json(409, &json!({"error": e.to_string()})))?;
            let mut v = serde_json::to_value(&plan).unwrap_or(Value::Null);
            // The restore plan names its files as `restore` and `remove`; `writes` is what the
            // containment check reads.
            let writes: Vec<Value> = plan.restore.iter().chain(&plan.remove).map(|p| json!(p)).collect();
            if let Some(o) = v.as_object_mut() {
                o.insert("writes".into(), Value::Array(writes));
            }
            Ok(v)
        }
        _ => Err(Response::error(404, &format!("no edit `{op}`; the edits are {}", OPS.join(", ")))),
    }
}
