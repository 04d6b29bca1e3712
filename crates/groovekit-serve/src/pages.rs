//! The HTML pages: server-rendered from the values of [`crate::views`], one stylesheet and one
//! script compiled into the binary (`assets/`). Pages work without the script except for the
//! waveform, slice playback and the edit buttons.

use std::fmt::Write as _;
use std::path::Path;

use groovekit_octatrack::model::project::SlotType;
use groovekit_octatrack::ops::set_index::FileUse;
use serde_json::Value;

use crate::App;
use crate::http::{Body, Request, Response, encode_path, parse_range};
use crate::paths::{Root, RootKind};
use crate::views::{self, bank_pattern, project_dir};

/// The stylesheet.
pub const STYLE: &str = include_str!("../assets/style.css");
/// The script.
pub const SCRIPT: &str = include_str!("../assets/app.js");

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A page around `body`, with the token for the script when edits are allowed.
fn layout(app: &App, title: &str, crumbs: &[(String, String)], body: &str) -> Response {
    let mut nav = String::from("<a href=\"/\">groovekit</a>");
    for (href, label) in crumbs {
        let _ = write!(nav, " / <a href=\"{}\">{}</a>", esc(href), esc(label));
    }
    let token =
        if app.allow_edits { format!("<meta name=\"gk-token\" content=\"{}\">", app.token) } else { String::new() };
    Response::html(format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">{token}\
         <meta name=\"gk-edits\" content=\"{}\"><title>{} - groovekit</title>\
         <link rel=\"stylesheet\" href=\"/assets/style.css\"><script src=\"/assets/app.js\" defer></script></head>\
         <body><header><nav>{nav}</nav>{}</header><main>{body}</main></body></html>\n",
        if app.allow_edits { "on" } else { "off" },
        esc(title),
        if app.allow_edits {
            "<span class=\"mode edits\">edits allowed</span>"
        } else {
            "<span class=\"mode\">read-only</span>"
        },
    ))
}

/// `GET /assets/NAME`.
pub fn asset(name: &str) -> Response {
    match name {
        "style.css" => Response::new(200, "text/css; charset=utf-8", STYLE),
        "app.js" => Response::new(200, "text/javascript; charset=utf-8", SCRIPT),
        _ => Response::error(404, "no such asset"),
    }
}

/// `GET /`: the served roots.
pub fn index(app: &App) -> Response {
    let mut b = String::from("<h1>Served folders</h1><ul class=\"roots\">");
    for r in &app.roots {
        let href = match (&r.kind, &r.project) {
            (RootKind::Set, _) => format!("/set/{}", r.id),
            (RootKind::Project, Some(p)) => format!("/project/{}/{}", r.id, encode_path(p)),
            _ => format!("/folder/{}/", r.id),
        };
        let kind = match r.kind {
            RootKind::Set => "Octatrack Set",
            RootKind::Project => "Octatrack project",
            RootKind::Folder => "folder",
        };
        let _ = write!(
            b,
            "<li><a href=\"{}\">{}</a> <span class=\"kind\">{kind}</span></li>",
            esc(&href),
            esc(&r.given.display().to_string())
        );
    }
    b.push_str("</ul><p class=\"note\">The JSON behind every page: <a href=\"/api\">/api</a>.</p>");
    layout(app, "groovekit", &[], &b)
}

/// Routes a page view.
pub fn page(app: &App, view: &str, root: &Root, rel: &str, req: &Request) -> Response {
    // One spelling of the path for links: the canonical one, re-encoded (a refused path is passed
    // on as it is, for the view to refuse).
    let canonical = root.resolve(rel).ok().and_then(|p| root.rel(&p)).map(|r| encode_path(&r));
    let rel = canonical.as_deref().unwrap_or(rel);
    let r = match view {
        "set" => set_page(app, root, req),
        "project" => project_page(app, root, rel, req),
        "pattern" => pattern_page(app, root, rel, req),
        "sample" => sample_page(app, root, rel),
        "folder" => folder_page(app, root, rel),
        "opz" => opz_page(app, root, rel, req),
        "kit" => kit_page(app, root, rel),
        "okt" => okt_page(app, root, rel),
        "track" => track_page(app, root, rel),
        "file" => file(app, root, rel, req),
        "wav" => wav(app, root, rel, req),
        "render" => render(app, root, rel, req),
        _ => Err(Response::error(404, "no such page")),
    };
    r.unwrap_or_else(|e| e)
}

fn root_crumbs(root: &Root) -> Vec<(String, String)> {
    let name = root.dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "/".into());
    let href = match root.kind {
        RootKind::Folder => format!("/folder/{}/", root.id),
        _ => format!("/set/{}", root.id),
    };
    vec![(href, name)]
}

fn size_text(n: u64) -> String {
    if n >= 1_000_000 { format!("{:.1} MB", n as f64 / 1e6) } else { format!("{:.1} kB", n as f64 / 1e3) }
}

/// One row of [`table`]: its cells (HTML, escaped by the caller) and the row's class.
struct Row {
    class: String,
    cells: Vec<String>,
}

impl From<Vec<String>> for Row {
    fn from(cells: Vec<String>) -> Row {
        Row { class: String::new(), cells }
    }
}

/// The slots that use a file, in words (`PROJECT Flex 3, ...`), with their use counts or not.
fn slot_names(slots: &[FileUse], counts: bool) -> String {
    let name = |s: &FileUse| format!("{} {} {}", esc(&s.project), s.slot_type.describe(), s.slot);
    let names: Vec<String> =
        slots.iter().map(|s| if counts { format!("{} ({} uses)", name(s), s.uses.len()) } else { name(s) }).collect();
    names.join(", ")
}

/// A table with a header row (`head`, HTML) and one row per item of `rows`.
fn table<R: Into<Row>>(class: &str, head: &[&str], rows: impl IntoIterator<Item = R>) -> String {
    let mut t = if class.is_empty() { "<table><tr>".to_string() } else { format!("<table class=\"{class}\"><tr>") };
    for h in head {
        let _ = write!(t, "<th>{h}</th>");
    }
    t.push_str("</tr>");
    for r in rows {
        let r: Row = r.into();
        t.push_str(
            if r.class.is_empty() { "<tr>".to_string() } else { format!("<tr class=\"{}\">", r.class) }.as_str(),
        );
        for c in r.cells {
            let _ = write!(t, "<td>{c}</td>");
        }
        t.push_str("</tr>");
    }
    t.push_str("</table>");
    t
}

fn sample_link(root: &Root, name: &str, rel: Option<&str>) -> String {
    match rel {
        Some(r) => format!("<a href=\"/sample/{}/{}\">{}</a>", root.id, esc(&encode_path(r)), esc(name)),
        None => esc(name),
    }
}

fn set_page(app: &App, root: &Root, req: &Request) -> Result<Response, Response> {
    let rescan = req.param("rescan").is_some();
    let index = app.index(root, rescan)?;
    let report = app.verify(root, rescan);
    let mut b = format!("<h1>Set {}</h1>", esc(&index.root.display().to_string()));
    let unplayable: Vec<_> = index.unplayable().collect();
    let unused: Vec<_> = index.unused().collect();
    let size: u64 = index.files.iter().map(|f| f.size).sum();
    let _ = write!(
        b,
        "<p class=\"summary\"><span id=\"file-count\">{}</span> audio files ({}), {} used, \
         <a href=\"#unused\">{} unused</a>, <a href=\"#unplayable\">{} not playable</a>, \
         <a href=\"#missing\">{} missing</a>, {} problems. <a href=\"/set/{}?rescan=1\">Rescan</a></p>",
        index.files.len(),
        size_text(size),
        index.files.len() - unused.len(),
        unused.len(),
        unplayable.len(),
        index.missing.len(),
        report.problems.len(),
        root.id
    );
    let projects = index.projects.iter().map(|p| {
        let rel = root.rel(&p.dir).unwrap_or_default();
        let drops: Vec<String> = p
            .banks
            .iter()
            .filter(|x| !x.reload_drops.is_empty())
            .map(|x| format!("bank {}: {}", x.bank, x.reload_drops.join(", ")))
            .collect();
        let problems = if p.problems.is_empty() {
            String::new()
        } else {
            format!(" <span class=\"bad\">{}</span>", esc(&p.problems.join("; ")))
        };
        vec![
            format!(
                "<a class=\"project\" href=\"/project/{}/{}\">{}</a>{problems}",
                root.id,
                esc(&encode_path(&rel)),
                esc(&p.name)
            ),
            p.tempo.map(|t| format!("{t}")).unwrap_or_default(),
            p.banks.len().to_string(),
            p.banks.iter().map(|x| x.patterns.len()).sum::<usize>().to_string(),
            p.slots.to_string(),
            p.arrangements.len().to_string(),
            esc(&drops.join("; ")),
        ]
    });
    b.push_str("<h2>Projects</h2>");
    b.push_str(&table(
        "projects",
        &["Project", "Tempo", "Banks", "Patterns with trigs", "Slots", "Arrangements", "RELOAD would drop"],
        projects,
    ));
    if !report.problems.is_empty() {
        b.push_str("<h2>Problems (verify)</h2><ul class=\"problems\">");
        for p in &report.problems {
            let _ = write!(b, "<li>{}</li>", esc(&p.line()));
        }
        b.push_str("</ul>");
    }
    b.push_str("<h2 id=\"unplayable\">Not playable on the Octatrack</h2>");
    let rows = unplayable.iter().take(500).map(|f| {
        vec![
            sample_link(root, &f.name, root.rel(&f.path).as_deref()),
            esc(&f.audio.reasons.join("; ")),
            slot_names(&f.slots, false),
        ]
    });
    b.push_str(&table("", &["File", "Why", "Used by"], rows));
    if unplayable.len() > 500 {
        let _ = write!(
            b,
            "<p class=\"note\">and {} more (all in <a href=\"/api/set/{}\">/api/set</a>)</p>",
            unplayable.len() - 500,
            root.id
        );
    }
    b.push_str("<h2 id=\"missing\">Missing files</h2>");
    let rows = index.missing.iter().map(|m| vec![esc(&m.name), slot_names(&m.slots, false)]);
    b.push_str(&table("", &["Path", "Slots pointing at it"], rows));
    b.push_str("<h2 id=\"unused\">Files nothing uses</h2><ul class=\"files\">");
    for f in unused.iter().take(500) {
        let _ = write!(
            b,
            "<li>{} <span class=\"size\">{}</span></li>",
            sample_link(root, &f.name, root.rel(&f.path).as_deref()),
            size_text(f.size)
        );
    }
    b.push_str("</ul>");
    if unused.len() > 500 {
        let _ = write!(b, "<p class=\"note\">and {} more</p>", unused.len() - 500);
    }
    b.push_str("<h2>Used files</h2>");
    let rows = index.files.iter().filter(|f| f.used()).take(1000).map(|f| {
        let a = &f.audio;
        vec![
            sample_link(root, &f.name, root.rel(&f.path).as_deref()),
            format!(
                "{} {} Hz {}-bit {} ch",
                esc(a.format.as_deref().unwrap_or("?")),
                a.sample_rate.unwrap_or(0),
                a.bits.unwrap_or(0),
                a.channels.unwrap_or(0)
            ),
            slot_names(&f.slots, true),
        ]
    });
    b.push_str(&table("pool", &["File", "Format", "Slots"], rows));
    let name = index.root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(layout(app, &format!("Set {name}"), &root_crumbs(root), &b))
}

fn bank_letter(b: u8) -> char {
    char::from(b'A' + b.saturating_sub(1).min(15))
}

fn project_page(app: &App, root: &Root, rel: &str, req: &Request) -> Result<Response, Response> {
    let dir = project_dir(app, root, rel)?;
    let bank = req.param("bank").and_then(|b| b.parse().ok()).filter(|b| (1..=16).contains(b));
    let v = views::project_view(app, root, rel, &dir, bank)?;
    let erel = esc(rel);
    let mut b =
        format!("<h1>Project {}</h1><p class=\"summary\">Tempo {} BPM</p>", esc(&v.name), v.tempo.unwrap_or(0.0));
    for p in &v.problems {
        let _ = write!(b, "<p class=\"bad\">{}</p>", esc(p));
    }
    b.push_str("<h2>Banks and patterns</h2><table class=\"banks\"><tr><th>Bank</th>");
    for p in 1..=16 {
        let _ = write!(b, "<th>{p}</th>");
    }
    b.push_str("<th>RELOAD would put back</th></tr>");
    for bank_no in 1..=16u8 {
        let summary = v.banks.iter().find(|x| x.bank == bank_no);
        let _ = write!(
            b,
            "<tr><th><a href=\"/project/{}/{erel}?bank={bank_no}\">{}</a></th>",
            root.id,
            bank_letter(bank_no)
        );
        for p in 1..=16u8 {
            match summary {
                None => b.push_str("<td class=\"absent\"></td>"),
                Some(s) => {
                    let on = s.patterns.contains(&p);
                    let _ = write!(
                        b,
                        "<td class=\"{}\"><a id=\"pat-{bank_no}-{p}\" href=\"/pattern/{}/{erel}?bank={bank_no}&amp;pattern={p}\" title=\"{}{p:02}\">{}</a></td>",
                        if on { "on" } else { "off" },
                        root.id,
                        bank_letter(bank_no),
                        if on { "&#9632;" } else { "&middot;" }
                    );
                }
            }
        }
        let _ = write!(b, "<td>{}</td></tr>", summary.map(|s| esc(&s.reload_drops.join(", "))).unwrap_or_default());
    }
    b.push_str("</table>");
    let _ = write!(b, "<h2>Parts of bank {}</h2>", bank_letter(v.parts_bank));
    let parts = v.parts.iter().map(|part| {
        let mut cells = vec![
            format!("{} {}", part.part, esc(&part.name)),
            part.patterns.iter().map(u8::to_string).collect::<Vec<_>>().join(" "),
        ];
        cells.extend(part.tracks.iter().map(|t| {
            let slot = match t.machine.as_str() {
                "Static" => format!(" S{}", t.static_slot),
                "Flex" => format!(" F{}", t.flex_slot),
                _ => String::new(),
            };
            format!("{}{slot}", esc(&t.machine))
        }));
        cells
    });
    b.push_str(&table("parts", &["Part", "Patterns", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8"], parts));
    b.push_str("<h2>Sample slots</h2>");
    let slots = v.slots.iter().map(|s| {
        let tag = if s.slot_type == SlotType::Flex { "F" } else { "S" };
        let used = if s.uses.is_empty() {
            "unused".to_string()
        } else {
            format!("{} uses{}", s.uses.len(), if s.audible { "" } else { " (silent)" })
        };
        Row {
            class: esc(&s.status),
            cells: vec![
                format!("{tag}{}", s.slot),
                sample_link(root, &s.path, s.file.as_deref().filter(|_| s.status != "missing")),
                format!(
                    "{}{}",
                    esc(&s.status),
                    if s.reasons.is_empty() { String::new() } else { format!(": {}", esc(&s.reasons.join("; "))) }
                ),
                // Every use on hover.
                format!("<span title=\"{}\">{used}</span>", esc(&s.uses.join("\n"))),
            ],
        }
    });
    b.push_str(&table("slots", &["Slot", "File", "Status", "Used by"], slots));
    b.push_str("<h2>Arrangements</h2><ul>");
    for a in &v.arrangements {
        let _ = write!(b, "<li>{} {}: {} rows</li>", a.arrangement, esc(&a.name), a.rows);
    }
    if v.arrangements.is_empty() {
        b.push_str("<li>none with rows</li>");
    }
    b.push_str("</ul><h2>Backups</h2>");
    let backups = v.backups.iter().map(|bk| {
        let restore = if app.allow_edits {
            format!(
                "<button class=\"edit\" data-op=\"restore\" data-args=\"{}\">Restore…</button>",
                esc(&serde_json::json!({"root": root.id, "project": rel, "backup": bk.name}).to_string())
            )
        } else {
            String::new()
        };
        vec![
            esc(&bk.name),
            esc(&bk.label),
            esc(&bk.created_utc),
            esc(&bk.changed.join(", ")),
            esc(&bk.created.join(", ")),
            restore,
        ]
    });
    b.push_str(&table("backups", &["Backup", "Operation", "When (UTC)", "Changed", "Created", ""], backups));
    if app.allow_edits {
        b.push_str(&edit_forms(app, root, rel));
    }
    Ok(layout(
        app,
        &format!("Project {}", v.name),
        &{
            let mut c = root_crumbs(root);
            c.push((format!("/project/{}/{erel}", root.id), v.name.clone()));
            c
        },
        &b,
    ))
}

/// The edit panel of a project page: each form's fields become the JSON the script posts.
fn edit_forms(app: &App, root: &Root, rel: &str) -> String {
    let projects: Vec<String> = app
        .index(root, false)
        .map(|i| i.projects.iter().filter_map(|p| root.rel(&p.dir)).map(|r| encode_path(&r)).collect())
        .unwrap_or_else(|_| vec![rel.to_string()]);
    let options: String = projects
        .iter()
        .map(|p| {
            format!(
                "<option value=\"{}\"{}>{}</option>",
                esc(p),
                if p == rel { " selected" } else { "" },
                esc(&shown(p))
            )
        })
        .collect();
    let to_project = format!("<label>to project <select name=\"to_project\">{options}</select></label>");
    // A numbered field; `text` is its label.
    let num = |text: &str, name: &str, max: u8, v: u8| {
        format!("<label>{text} <input type=\"number\" name=\"{name}\" min=\"1\" max=\"{max}\" value=\"{v}\"></label>")
    };
    let check = |name: &str, text: &str| format!("<label><input type=\"checkbox\" name=\"{name}\"> {text}</label>");
    let select = |text: &str, name: &str, choices: &[(&str, &str)]| {
        let opts: String = choices
            .iter()
            .enumerate()
            .map(|(i, (v, t))| format!("<option value=\"{v}\"{}>{t}</option>", if i == 0 { " selected" } else { "" }))
            .collect();
        format!("<label>{text} <select name=\"{name}\">{opts}</select></label>")
    };
    // One form: its fields become the JSON the script posts to /api/edit/OP (plan first).
    let form = |op: &str, title: &str, fields: &[String]| {
        format!(
            "<form class=\"edit-form\" data-op=\"{op}\" data-root=\"{}\"><h3>{title}</h3>\
             <input type=\"hidden\" name=\"project\" value=\"{}\">{}<button type=\"submit\" id=\"{op}-plan\">Plan</button></form>",
            root.id,
            esc(rel),
            fields.concat()
        )
    };
    // Relink searches the Set's pool by default, else the whole served folder.
    let search = if root.dir.join("AUDIO").is_dir() { "AUDIO" } else { "" };
    let forms = [
        form(
            "copy-bank",
            "Copy a bank",
            &[
                num("bank", "bank", 16, 1).replace("name=\"bank\"", "name=\"bank\" id=\"copy-bank-from\""),
                to_project.clone(),
                num("bank", "to_bank", 16, 2).replace("name=\"to_bank\"", "name=\"to_bank\" id=\"copy-bank-to\""),
                check("force", "replace a bank that is not blank"),
            ],
        ),
        form(
            "copy-pattern",
            "Copy a pattern",
            &[
                num("bank", "bank", 16, 1),
                num("pattern", "pattern", 16, 1),
                to_project.clone(),
                num("bank", "to_bank", 16, 1),
                num("pattern", "to_pattern", 16, 2),
                check("force", "replace"),
            ],
        ),
        form(
            "copy-part",
            "Copy a part",
            &[
                num("bank", "bank", 16, 1),
                num("part", "part", 4, 1),
                to_project.clone(),
                num("bank", "to_bank", 16, 1),
                num("part", "to_part", 4, 2),
                check("force", "replace"),
            ],
        ),
        form(
            "copy-track",
            "Copy a track",
            &[
                num("bank", "bank", 16, 1),
                num("pattern", "pattern", 16, 1),
                num("track", "track", 8, 1),
                check("midi", "MIDI tracks (else audio)"),
                to_project.clone(),
                num("bank", "to_bank", 16, 1),
                num("pattern", "to_pattern", 16, 1),
                num("track", "to_track", 8, 2),
                select("copy", "what", &[("both", "steps and part settings"), ("steps", "steps"), ("settings", "part settings")]),
                check("force", "replace a track that holds data"),
            ],
        ),
        form(
            "copy-slots",
            "Copy sample slots",
            &[
                "<label>slots <input type=\"text\" name=\"slots\" data-list=\"numbers\" placeholder=\"1 2 5\" size=\"10\"></label>".into(),
                select("pool", "pool", &[("", "Flex and Static"), ("flex", "Flex"), ("static", "Static")]),
                to_project.clone(),
                "<label>to slot <input type=\"number\" name=\"to_slot\" min=\"1\" max=\"128\" placeholder=\"auto\"></label>".into(),
                check("force", "replace slots in use"),
            ],
        ),
        form("purge", "Purge unused slots", &[]),
        form("collect", "Collect samples", &[check("to_pool", "into the Set's AUDIO pool (else into the project folder)")]),
        form(
            "relink",
            "Relink missing samples",
            &[format!(
                "<label>search <input type=\"text\" name=\"search\" value=\"{search}\" placeholder=\"a folder under the served folder\" size=\"16\"></label>"
            )],
        ),
    ];
    format!(
        "<h2>Edit</h2><div class=\"edits\">{}</div><div id=\"plan\" class=\"plan\" hidden><h3>Plan</h3><pre id=\"plan-text\"></pre>\
         <button id=\"apply\">Apply</button> <button id=\"cancel\">Cancel</button></div>",
        forms.concat()
    )
}

fn pattern_page(app: &App, root: &Root, rel: &str, req: &Request) -> Result<Response, Response> {
    let dir = project_dir(app, root, rel)?;
    let (bank, pattern) = bank_pattern(req)?;
    let v = views::pattern_view(&dir, bank, pattern)?;
    let erel = esc(rel);
    let mut b = format!(
        "<h1>{}: pattern {}{:02}</h1><p class=\"summary\">Part {} ({}), master length {}{}, tempo {} BPM</p><nav class=\"patterns\">",
        esc(&v.project),
        bank_letter(bank),
        pattern,
        v.part,
        esc(&v.part_name),
        v.master_length,
        if v.per_track { " (per-track scale)" } else { "" },
        v.tempo
    );
    for p in 1..=16u8 {
        let _ = write!(
            b,
            "<a href=\"/pattern/{}/{erel}?bank={bank}&amp;pattern={p}\"{}>{p}</a> ",
            root.id,
            if p == pattern { " class=\"current\"" } else { "" }
        );
    }
    b.push_str("</nav><table class=\"grid\" id=\"grid\"><tr><th>Track</th><th>Machine / sample</th><th>Len</th>");
    let longest = v.tracks.iter().map(|t| t.length).max().unwrap_or(16).clamp(16, 64);
    for s in 1..=longest {
        let _ = write!(b, "<th class=\"{}\">{s}</th>", if (s - 1) % 4 == 0 { "beat" } else { "" });
    }
    b.push_str("</tr>");
    for t in &v.tracks {
        let label = if t.kind == "audio" { format!("T{}", t.track) } else { format!("M{}", t.track) };
        let machine = match (&t.machine, &t.slot, &t.sample) {
            (Some(m), Some((ty, n)), Some(s)) => {
                format!("{} {}{n}: {}", esc(m), if *ty == SlotType::Flex { "F" } else { "S" }, esc(s))
            }
            (Some(m), Some((ty, n)), None) => {
                format!("{} {}{n}", esc(m), if *ty == SlotType::Flex { "F" } else { "S" })
            }
            (Some(m), None, _) => esc(m),
            _ => String::new(),
        };
        let _ = write!(
            b,
            "<tr class=\"{}\"><th>{label}</th><td class=\"machine\">{machine}</td><td>{}</td>",
            t.kind, t.length
        );
        for s in 1..=longest {
            let cell = t.steps.iter().find(|x| x.step == s);
            let beyond = s > t.length;
            match cell {
                None => {
                    let _ = write!(b, "<td class=\"step{}\"></td>", if beyond { " beyond" } else { "" });
                }
                Some(st) => {
                    let mut title = format!("{label} step {s}: {}", st.kinds.join(", "));
                    if let Some(c) = &st.condition {
                        let _ = write!(title, "; condition {c}");
                    }
                    if st.micro != 0 {
                        let _ = write!(title, "; micro-timing {:+}/384", st.micro);
                    }
                    if st.repeats > 1 {
                        let _ = write!(title, "; {} trigs", st.repeats);
                    }
                    if let Some(l) = st.sample_lock {
                        let _ = write!(title, "; sample lock slot {l}");
                    }
                    for (k, val) in &st.locks {
                        let _ = write!(title, "\n{k} = {val}");
                    }
                    let classes: String = st.kinds.iter().map(|k| format!(" k-{k}")).collect();
                    let mark = if st.kinds.contains(&"trig") {
                        "&#9679;"
                    } else if st.kinds.contains(&"trigless") {
                        "&#9675;"
                    } else {
                        "&#183;"
                    };
                    let _ = write!(
                        b,
                        "<td class=\"step{classes}{}{}{}\" data-track=\"{label}\" data-step=\"{s}\" title=\"{}\">{mark}{}</td>",
                        if beyond { " beyond" } else { "" },
                        if st.condition.is_some() { " cond" } else { "" },
                        if st.micro != 0 { " micro" } else { "" },
                        esc(&title),
                        if st.locks.is_empty() { "" } else { "<sup>L</sup>" }
                    );
                }
            }
        }
        b.push_str("</tr>");
    }
    b.push_str("</table><p class=\"note\">&#9679; trig, &#9675; trigless, L: parameter locks (hover a step for its locks, condition and micro-timing).</p>");
    let mut crumbs = root_crumbs(root);
    crumbs.push((format!("/project/{}/{erel}", root.id), v.project.clone()));
    crumbs.push((
        format!("/pattern/{}/{erel}?bank={bank}&pattern={pattern}", root.id),
        format!("{}{pattern:02}", bank_letter(bank)),
    ));
    Ok(layout(app, &format!("{} {}{pattern:02}", v.project, bank_letter(bank)), &crumbs, &b))
}

fn sample_page(app: &App, root: &Root, rel: &str) -> Result<Response, Response> {
    let path = app.resolve(root, rel)?;
    let v = views::sample_view(app, root, rel, &path)?;
    let a = &v.audio;
    let erel = esc(rel);
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let seconds = match (a.frames, a.sample_rate) {
        (Some(f), Some(r)) if r > 0 => f as f64 / f64::from(r),
        _ => 0.0,
    };
    let mut b = format!(
        "<h1>{}</h1><table class=\"facts\"><tr><th>Format</th><td>{}</td></tr><tr><th>Rate</th><td>{} Hz</td></tr>\
         <tr><th>Depth</th><td>{}-bit{}</td></tr><tr><th>Channels</th><td>{}</td></tr><tr><th>Length</th><td>{} frames ({seconds:.3} s)</td></tr>\
         <tr><th>Size</th><td>{}</td></tr><tr><th>Octatrack</th><td class=\"{}\">{}</td></tr></table>",
        esc(&name),
        esc(a.format.as_deref().unwrap_or("unreadable")),
        a.sample_rate.unwrap_or(0),
        a.bits.unwrap_or(0),
        if a.float == Some(true) { " float" } else { "" },
        a.channels.unwrap_or(0),
        a.frames.unwrap_or(0),
        size_text(v.size),
        if a.usable { "good" } else { "bad" },
        if a.usable { "plays it".to_string() } else { esc(&format!("cannot play it: {}", a.reasons.join("; "))) }
    );
    let slices = v.ot.as_ref().and_then(|o| o.get("slices")).cloned().unwrap_or(Value::Array(Vec::new()));
    let _ = write!(
        b,
        "<canvas id=\"wave\" class=\"wave\" width=\"1200\" height=\"200\" data-peaks=\"/api/peaks/{id}/{erel}?n=1200\" data-frames=\"{}\" data-rate=\"{}\" data-slices=\"{}\" data-trim=\"{}\"></canvas>\
         <p><audio id=\"player\" controls preload=\"metadata\" src=\"{}\"></audio>{}</p>",
        a.frames.unwrap_or(0),
        a.sample_rate.unwrap_or(44_100),
        esc(&slices.to_string()),
        esc(&v
            .ot
            .as_ref()
            .map(|o| serde_json::json!([o.get("trim_start"), o.get("trim_end"), o.get("loop_point")]).to_string())
            .unwrap_or_default()),
        esc(&v.play),
        if v.play.starts_with("/wav/") {
            format!(
                " <span class=\"note\">Played as a WAV the server decodes (browsers do not play {}); \
                 <a href=\"/file/{}/{erel}\">the file as it is</a>.</span>",
                esc(a.format.as_deref().unwrap_or_default()),
                root.id
            )
        } else {
            String::new()
        },
        id = root.id
    );
    if let Some(o) = &v.ot {
        let _ = write!(
            b,
            "<h2>Sample settings (.ot)</h2><p>Tempo {} BPM, gain {} dB, trim {}..{}, loop point {}</p>",
            o.get("bpm").unwrap_or(&Value::Null),
            o.get("gain_db").unwrap_or(&Value::Null),
            o.get("trim_start").unwrap_or(&Value::Null),
            o.get("trim_end").unwrap_or(&Value::Null),
            o.get("loop_point").unwrap_or(&Value::Null)
        );
        if let Some(list) = slices.as_array().filter(|l| !l.is_empty()) {
            let rows = list.iter().enumerate().map(|(i, s)| {
                let (start, end) = (s.get("start").unwrap_or(&Value::Null), s.get("end").unwrap_or(&Value::Null));
                vec![
                    (i + 1).to_string(),
                    start.to_string(),
                    end.to_string(),
                    format!("<button class=\"play-slice\" data-start=\"{start}\" data-end=\"{end}\">Play</button>"),
                ]
            });
            b.push_str(&table("slices", &["Slice", "Start", "End", ""], rows));
        }
    }
    if let Some(p) = &v.ot_problem {
        let _ = write!(b, "<p class=\"bad\">{}</p>", esc(p));
    }
    b.push_str("<h2>Used by</h2><ul>");
    for s in &v.slots {
        let _ = write!(
            b,
            "<li>{} {} slot {}: {}</li>",
            esc(&s.project),
            s.slot_type.describe(),
            s.slot,
            esc(&s.uses.iter().map(groovekit_octatrack::ops::slots::describe_use).collect::<Vec<_>>().join("; "))
        );
    }
    if v.slots.is_empty() {
        b.push_str("<li>no slot</li>");
    }
    b.push_str("</ul>");
    let mut crumbs = root_crumbs(root);
    crumbs.push((format!("/sample/{}/{erel}", root.id), name.clone()));
    Ok(layout(app, &name, &crumbs, &b))
}

fn folder_page(app: &App, root: &Root, rel: &str) -> Result<Response, Response> {
    let rel = rel.trim_end_matches('/');
    let dir = app.resolve(root, rel)?;
    let entries = views::folder_view(root, rel, &dir)?;
    let mut b = format!("<h1>{}</h1><ul class=\"files\">", esc(&dir.display().to_string()));
    for e in &entries {
        let er = esc(&encode_path(&e.rel));
        let href = match e.kind {
            "folder" => format!("/folder/{}/{er}", root.id),
            "ot-project" => format!("/project/{}/{er}", root.id),
            "audio" => format!("/sample/{}/{er}", root.id),
            "okt" => format!("/okt/{}/{er}", root.id),
            "track" => format!("/track/{}/{er}", root.id),
            "opz-project" => format!("/opz/{}/{er}", root.id),
            "opz-kit" => format!("/kit/{}/{er}", root.id),
            _ => format!("/file/{}/{er}", root.id),
        };
        let _ = write!(
            b,
            "<li class=\"{}\"><a href=\"{href}\">{}</a> <span class=\"kind\">{}</span></li>",
            e.kind,
            esc(&e.name),
            e.kind
        );
    }
    b.push_str("</ul>");
    Ok(layout(app, &dir.display().to_string(), &root_crumbs(root), &b))
}

fn opz_page(app: &App, root: &Root, rel: &str, req: &Request) -> Result<Response, Response> {
    let path = app.resolve(root, rel)?;
    let p: usize = req.param("pattern").and_then(|p| p.parse().ok()).filter(|p| (1..=16).contains(p)).unwrap_or(1);
    let (v, svg) = views::opz_view(&path, p)?;
    let erel = esc(rel);
    let mut b = format!("<h1>OP-Z project {}: pattern {p}</h1><nav class=\"patterns\">", esc(&shown(rel)));
    for i in 1..=16 {
        let _ = write!(
            b,
            "<a href=\"/opz/{}/{erel}?pattern={i}\"{}>{i}</a> ",
            root.id,
            if i == p { " class=\"current\"" } else { "" }
        );
    }
    let list = |x: &Value| {
        x.as_array().map(|a| a.iter().map(|e| e.to_string()).collect::<Vec<_>>().join(" ")).unwrap_or_default()
    };
    let muted: Vec<String> = v["tracks"]
        .as_array()
        .map(|t| {
            t.iter()
                .filter(|t| t["muted"] == true)
                .map(|t| t["track"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default();
    b.push_str("</nav>");
    let _ = write!(
        b,
        "<p class=\"summary\">Tempo {}, playing chain: {}; selected saved chain: {}; muted in this pattern: {}</p>",
        v["tempo"],
        esc(&list(&v["playing_chain"])),
        v["selected_chain"],
        esc(&if muted.is_empty() { "none".to_string() } else { muted.join(", ") })
    );
    b.push_str("<h2>Chains</h2><ol class=\"chains\">");
    for c in v["chains"].as_array().cloned().unwrap_or_default() {
        let _ = write!(b, "<li>{}</li>", esc(&list(&c)));
    }
    b.push_str("</ol>");
    // The SVG comes from groovekit_opz::view::svg (markup only, no script; the CSP forbids any).
    let _ = write!(b, "<div class=\"opz-grid\">{svg}</div>");
    let (kits, problems) = views::disk_kits(root, &path);
    b.push_str("<h2 id=\"kits\">Kits</h2>");
    if kits.is_empty() {
        b.push_str("<p class=\"note\">No sample packs: none in a <code>samplepacks</code> folder beside the project's folder or above it.</p>");
    } else {
        b.push_str(
            "<p class=\"note\">The sample packs of this OP-Z disk (<code>samplepacks/</code>); the project names user packs by IDs that do not give their files.</p>",
        );
        b.push_str(KIT_PLAYER);
    }
    for p in &problems {
        let _ = write!(b, "<p class=\"bad\">{}</p>", esc(p));
    }
    for k in &kits {
        b.push_str(&kit_section(root, k, 600));
    }
    let _ = write!(
        b,
        "<h2>Pattern data</h2><pre class=\"json\">{}</pre>",
        esc(&serde_json::to_string_pretty(&v).unwrap_or_default())
    );
    Ok(layout(app, &shown(rel), &root_crumbs(root), &b))
}

/// The one player of a page's kit slices (each Play button loads its slice's WAV into it).
const KIT_PLAYER: &str = "<p><audio id=\"kit-player\" controls preload=\"none\"></audio></p>";

/// A sample pack: its waveform (`width` columns of peaks) with the slice starts marked, and
/// its slices, each with a Play button that plays that slice alone (`/api/kit-slice`).
fn kit_section(root: &Root, k: &views::KitView, width: usize) -> String {
    let er = esc(&encode_path(&k.rel));
    let id = root.id;
    let rate = f64::from(k.sample_rate.max(1));
    let marks: Vec<Value> =
        k.slices.iter().filter(|s| s.frames > 0).map(|s| serde_json::json!({"start": s.start, "end": s.end})).collect();
    let mut b = format!(
        "<section class=\"kit\"><h3><a href=\"/kit/{id}/{er}\">{}</a> <span class=\"kind\">{} {}, {} Hz {}-bit {} ch, {:.3} s</span></h3>\
         <canvas class=\"wave kit-wave\" width=\"{width}\" height=\"100\" data-peaks=\"/api/peaks/{id}/{er}?n={width}\" data-frames=\"{}\" data-rate=\"{}\" data-slices=\"{}\" data-trim=\"\"></canvas>",
        esc(&k.rel),
        esc(&k.name),
        esc(&k.kind),
        k.sample_rate,
        k.bits,
        k.channels,
        k.frames as f64 / rate,
        k.frames,
        k.sample_rate,
        esc(&Value::Array(marks).to_string()),
    );
    for p in &k.problems {
        let _ = write!(b, "<p class=\"warn\">{}</p>", esc(p));
    }
    if k.slices.is_empty() {
        b.push_str("<p class=\"note\">A synth sampler pack: one sound, no slices.</p>");
    }
    let rows = k.slices.iter().map(|s| {
        let play = if s.playable == 0 {
            "empty".to_string()
        } else {
            format!(
                "<button class=\"play-kit-slice\" data-src=\"/api/kit-slice/{id}/{er}?slice={}\" data-frames=\"{}\" data-rate=\"{}\">Play</button>",
                s.slice, s.playable, k.sample_rate
            )
        };
        let length = if s.playable == s.frames {
            format!("{} ({:.3} s)", s.frames, s.frames as f64 / rate)
        } else {
            format!("{} ({} play)", s.frames, s.playable)
        };
        vec![s.slice.to_string(), s.start.to_string(), s.end.to_string(), length, play]
    });
    if !k.slices.is_empty() {
        b.push_str(&table("slices kit-slices", &["Slice", "Start", "End", "Length (frames)", ""], rows));
    }
    b.push_str("</section>");
    b
}

/// `/kit/R/PATH`: one sample pack.
fn kit_page(app: &App, root: &Root, rel: &str) -> Result<Response, Response> {
    let path = app.resolve(root, rel)?;
    let k = views::kit_view(&root.rel(&path).unwrap_or_default(), &path)?;
    let mut b = format!("<h1>OP-Z sample pack {}</h1>{KIT_PLAYER}", esc(&shown(rel)));
    b.push_str(&kit_section(root, &k, 1200));
    let mut crumbs = root_crumbs(root);
    crumbs.push((format!("/kit/{}/{}", root.id, rel), shown(rel)));
    Ok(layout(app, &shown(rel), &crumbs, &b))
}

/// `GET /api/kit-slice/R/PATH?slice=N`: one slice of a drum kit as a WAV, cut in Rust and cached
/// in the render folder, so that it is served like a file (with `Range`). Why not the kit file
/// with a Range: Chromium does not decode AIFF (`canPlayType("audio/aiff")` is empty), a byte
/// range of a file is not a playable file, and stopping a whole-file player at the slice's end
/// is only as exact as `timeupdate` (about 250 ms).
pub fn kit_slice(app: &App, root: &Root, rel: &str, req: &Request) -> Result<Response, Response> {
    let path = app.resolve(root, rel)?;
    let slice: usize = req
        .param("slice")
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| Response::error(400, "slice=N (1-24) is required"))?;
    let out = cached(app, &path, &format!("slice{slice}"), |out| {
        let wav = views::kit_slice_wav(&path, slice)?;
        groovekit_core::fs::write_atomic(out, &wav).map_err(|e| Response::error(500, &e.to_string()))
    })?;
    serve_file(&out, req)
}

fn okt_page(app: &App, root: &Root, rel: &str) -> Result<Response, Response> {
    let path = app.resolve(root, rel)?;
    let v = views::okt_view(&path)?;
    let erel = esc(rel);
    let mut b = format!(
        "<h1>Oktalyzer module {}</h1><p class=\"summary\">{} channels, speed {}, {:.1} s</p>\
         <p><audio id=\"player\" controls preload=\"none\" src=\"/render/{}/{erel}\"></audio></p><h2>Order</h2><p>{}</p>\
         <h2>Samples</h2>",
        esc(&shown(rel)),
        v["channels"],
        v["speed"],
        v["duration_seconds"].as_f64().unwrap_or(0.0),
        root.id,
        v["order"]
            .as_array()
            .map(|o| o.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    );
    let samples = v["samples"].as_array().cloned().unwrap_or_default();
    let rows = samples.iter().map(|s| {
        vec![
            s["number"].to_string(),
            esc(s["name"].as_str().unwrap_or_default()),
            s["length"].to_string(),
            s["volume"].to_string(),
            format!("{}+{}", s["repeat_start"], s["repeat_length"]),
        ]
    });
    b.push_str(&table("", &["#", "Name", "Length", "Volume", "Loop"], rows));
    let _ = write!(b, "<p>{} patterns</p>", v["patterns"].as_array().map_or(0, Vec::len));
    for w in v["warnings"].as_array().cloned().unwrap_or_default() {
        let _ = write!(b, "<p class=\"warn\">{}</p>", esc(w.as_str().unwrap_or_default()));
    }
    Ok(layout(app, &shown(rel), &root_crumbs(root), &b))
}

fn track_page(app: &App, root: &Root, rel: &str) -> Result<Response, Response> {
    let path = app.resolve(root, rel)?;
    let v = views::track_view(&path)?;
    let erel = esc(rel);
    let mut b = format!("<h1>.track song {}</h1>", esc(&shown(rel)));
    let problems = v["problems"].as_array().cloned().unwrap_or_default();
    if problems.is_empty() {
        b.push_str("<p class=\"good\">No problems.</p>");
    } else {
        b.push_str("<h2>Problems</h2><ul class=\"problems\">");
        for p in &problems {
            let _ = write!(
                b,
                "<li class=\"{}\"><a href=\"#L{}\">{}:{}:{}</a> {}: {}{}</li>",
                esc(p["severity"].as_str().unwrap_or_default()),
                p["line"],
                esc(&shown(rel)),
                p["line"],
                p["col"],
                esc(p["severity"].as_str().unwrap_or_default()),
                esc(p["message"].as_str().unwrap_or_default()),
                p["help"].as_str().map(|h| format!(" ({})", esc(h))).unwrap_or_default()
            );
        }
        b.push_str("</ul>");
    }
    if v["valid"].as_bool() == Some(true) {
        let _ = write!(
            b,
            "<p><audio id=\"player\" controls preload=\"none\" src=\"/render/{}/{erel}\"></audio></p>",
            root.id
        );
    }
    b.push_str("<pre class=\"source\">");
    for (i, line) in v["text"].as_str().unwrap_or_default().lines().enumerate() {
        let _ = writeln!(b, "<span id=\"L{}\"><i>{:>4}</i> {}</span>", i + 1, i + 1, esc(line));
    }
    b.push_str("</pre>");
    Ok(layout(app, &shown(rel), &root_crumbs(root), &b))
}

/// The content type of a file, by extension.
fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase().as_str() {
        "wav" | "wave" => "audio/wav",
        "aif" | "aiff" | "aifc" => "audio/aiff",
        "flac" => "audio/flac",
        "txt" | "track" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Serves a file as it is, honouring one `Range`.
pub fn serve_file(path: &Path, req: &Request) -> Result<Response, Response> {
    let meta = std::fs::metadata(path).map_err(|e| Response::error(404, &e.to_string()))?;
    if !meta.is_file() {
        return Err(Response::error(404, "not a file"));
    }
    let total = meta.len();
    let ct = content_type(path);
    let resp = match parse_range(req.get("range"), total) {
        Ok(None) => Response {
            status: 200,
            content_type: ct.into(),
            headers: Vec::new(),
            body: Body::File { path: path.to_path_buf(), start: 0, len: total, total },
        },
        Ok(Some((start, len))) => Response {
            status: 206,
            content_type: ct.into(),
            headers: vec![("Content-Range".into(), format!("bytes {start}-{}/{total}", start + len - 1))],
            body: Body::File { path: path.to_path_buf(), start, len, total },
        },
        Err(_) => {
            Response::error(416, "range not satisfiable").with_header("Content-Range", &format!("bytes */{total}"))
        }
    };
    Ok(resp.with_header("Accept-Ranges", "bytes"))
}

fn file(app: &App, root: &Root, rel: &str, req: &Request) -> Result<Response, Response> {
    let path = app.resolve(root, rel)?;
    serve_file(&path, req)
}

/// `GET /wav/R/PATH`: an audio file as a WAV a browser plays, with `Range`. A WAV is served as
/// it is; AIFF, AIFF-C and FLAC are decoded by `groovekit_audio::write::transcode_to_wav` (same
/// rate and channels, integer samples copied as integers) into the render folder, once per
/// version of the file. Why: Chromium and Firefox do not play AIFF, which the Octatrack and the
/// OP-Z play, so an AIFF sample's page would show a player that cannot play.
fn wav(app: &App, root: &Root, rel: &str, req: &Request) -> Result<Response, Response> {
    use groovekit_audio::pcm::{Container, probe};
    let path = app.resolve(root, rel)?;
    if !path.is_file() {
        return Err(Response::error(404, &format!("{}: no such file", shown(rel))));
    }
    let info = probe(&path).map_err(|e| Response::error(400, &format!("not audio groovekit decodes: {e}")))?;
    if info.container == Container::Wav {
        return serve_file(&path, req).map(|r| Response { content_type: "audio/wav".into(), ..r });
    }
    let out = cached(app, &path, "wav", |out| {
        groovekit_audio::write::transcode_to_wav(&path, out)
            .map(|_| ())
            .map_err(|e| Response::error(400, &e.to_string()))
    })?;
    serve_file(&out, req)
}

/// Renders a module or song to a WAV in the render folder (cached by path, size and time).
fn render(app: &App, root: &Root, rel: &str, req: &Request) -> Result<Response, Response> {
    let path = app.resolve(root, rel)?;
    let out = cached(app, &path, "render", |out| {
        let rendered = match views::entry_kind(&path) {
            "okt" => render_okt(&path, out),
            "track" => render_track(&path, out),
            _ => Err(format!("{rel}: only Oktalyzer modules and .track songs render")),
        };
        rendered.map_err(|e| Response::error(400, &e))
    })?;
    serve_file(&out, req)
}

/// The WAV in the render folder made from `path` by `make` (`what` tells the WAVs of one file
/// apart), made when absent. One file per source and `what`: named `SOURCE-VERSION.wav`, where
/// SOURCE hashes the path and `what` and VERSION the size and modification time of `path`, so
/// an edited file gets a new WAV and the one of its previous version is removed.
fn cached(
    app: &App,
    path: &Path,
    what: &str,
    make: impl FnOnce(&Path) -> Result<(), Response>,
) -> Result<std::path::PathBuf, Response> {
    let meta = std::fs::metadata(path).map_err(|e| Response::error(404, &e.to_string()))?;
    let mut source = blake3::Hasher::new();
    source.update(path.to_string_lossy().as_bytes());
    source.update(b"\0");
    source.update(what.as_bytes());
    let source = source.finalize().to_hex();
    let source = source.get(..32).unwrap_or_default();
    let mut version = blake3::Hasher::new();
    version.update(&meta.len().to_le_bytes());
    if let Ok(t) = meta.modified().map(|t| t.duration_since(std::time::UNIX_EPOCH).unwrap_or_default()) {
        version.update(&t.as_nanos().to_le_bytes());
    }
    let version = version.finalize().to_hex();
    let name = format!("{source}-{}.wav", version.get(..16).unwrap_or_default());
    let out = app.render_dir.join(&name);
    if !out.is_file() {
        std::fs::create_dir_all(&app.render_dir).map_err(|e| Response::error(500, &e.to_string()))?;
        // Made under a temporary name and renamed: a concurrent request never serves half a file.
        static MADE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = out.with_extension(format!("{}-{n}.part", std::process::id()));
        if let Err(e) = make(&tmp) {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        // The cache is in the OS temporary folder, outside every served root: no user data.
        let published = std::fs::rename(&tmp, &out); // ok: publishes a finished WAV of the render cache
        published.map_err(|e| Response::error(500, &e.to_string()))?;
        // The WAVs of the file's earlier versions (a response still sending one keeps its open
        // file; on Windows the removal fails and is left for the next version).
        let stale = std::fs::read_dir(&app.render_dir).into_iter().flatten().flatten().filter(|e| {
            let n = e.file_name();
            let n = n.to_string_lossy();
            n != name && n.starts_with(source) && n.ends_with(".wav")
        });
        for e in stale {
            let _ = std::fs::remove_file(e.path());
        }
    }
    Ok(out)
}

fn render_okt(path: &Path, out: &Path) -> Result<(), String> {
    use groovekit_okt::render::{Player, RenderOptions};
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let (m, _) = groovekit_okt::model::Module::load(&bytes)
        .map_err(|e| groovekit_okt::verify::load_problem(path, &bytes, &e).line())?;
    let opts = RenderOptions::default();
    let mut w =
        groovekit_audio::write::WavWriter::create(out, opts.channels, opts.rate, groovekit_audio::SampleFormat::Int16)
            .map_err(|e| e.to_string())?;
    let mut player = Player::new(&m, opts);
    let mut batch = Vec::with_capacity(1 << 16);
    while player.render_tick(&mut batch) {
        if batch.len() >= 1 << 15 {
            w.write(&batch).map_err(|e| e.to_string())?;
            batch.clear();
        }
    }
    w.write(&batch).map_err(|e| e.to_string())?;
    w.finish().map_err(|e| e.to_string())?;
    Ok(())
}

fn render_track(path: &Path, out: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let checked = groovekit_track::check(&text);
    let song = checked.song.ok_or_else(|| "the song has errors (see its page)".to_string())?;
    let dir = path.parent().unwrap_or(Path::new("."));
    groovekit_track::render::render_file(&song, dir, &groovekit_track::render::RenderOptions::default(), out)
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// An encoded `/`-separated path as text to show (segments decoded, lossy).
pub fn shown(rel: &str) -> String {
    rel.split('/').map(|s| crate::http::decode(s).unwrap_or_else(|| s.to_string())).collect::<Vec<_>>().join("/")
}
