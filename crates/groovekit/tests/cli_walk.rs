//! The every-subcommand walk (issue 24). The command tree is read from `--help` itself (the
//! "Commands:" list, recursively), so commands added later are walked too. For each command:
//! its `--help` ends with 2-3 examples, and every example runs as written in a sandbox made from
//! the fixtures (`support/sandbox.rs`): it exits 0 (1 only where 1 is an answer: `diff`,
//! `verify`), never 2 and never panics; results are on stdout and nothing else is (no
//! "warning:", "note:", "backup:", "wrote ..." lines there); with `-q` a successful command
//! prints nothing on stderr. `serve` and `track watch`, which run until Ctrl-C, are started,
//! checked while they run (a page at the printed URL; a new render when the song changes) and
//! killed ([`run_until_stopped`]).

#[path = "support/sandbox.rs"]
mod sandbox;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn fixtures() -> Option<std::path::PathBuf> {
    groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "cli walk")
}

/// The `--help` of the command at `path`.
fn help(path: &[String]) -> String {
    let out = assert_cmd::Command::cargo_bin("groovekit").unwrap().args(path).arg("--help").output().unwrap();
    assert!(out.status.success(), "groovekit {} --help failed", path.join(" "));
    String::from_utf8(out.stdout).unwrap()
}

/// The subcommand names listed under "Commands:" (without `help`).
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| l.trim() != "Commands:")
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| *n != "help")
        .map(str::to_string)
        .collect()
}

/// The example lines at the end of a `--help`.
fn examples(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| l.trim() != "Examples:")
        .skip(1)
        .filter_map(|l| l.strip_prefix("  "))
        .filter(|l| l.starts_with("groovekit "))
        .map(str::to_string)
        .collect()
}

/// Every command path, depth first (`[]` is groovekit itself).
fn tree() -> Vec<(Vec<String>, String)> {
    let mut out = Vec::new();
    let mut stack = vec![Vec::<String>::new()];
    while let Some(path) = stack.pop() {
        let h = help(&path);
        for s in subcommands(&h).into_iter().rev() {
            let mut p = path.clone();
            p.push(s);
            stack.push(p);
        }
        out.push((path, h));
    }
    out
}

/// Commands whose exit code 1 is an answer rather than a failure: `diff` (different), `verify`
/// (problems found). (`opz import-midi` exits 1 when notes do not fit; its examples use a MIDI
/// file that fits, so they exit 0.)
fn one_is_an_answer(line: &str) -> bool {
    ["groovekit diff ", "groovekit verify "].iter().any(|p| line.starts_with(p))
}

/// Lines that are not results and must not be on stdout.
fn not_a_result(line: &str) -> bool {
    ["warning:", "note:", "backup:", "wrote ", "backed up ", "not recognised:"].iter().any(|p| line.starts_with(p))
}

/// Runs the examples of one command in a fresh sandbox, with or without `-q`; returns failures.
fn run_examples(fixtures: &Path, path: &[String], lines: &[String], quiet: bool) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    sandbox::make(fixtures, dir.path());
    let mut failures = Vec::new();
    for line in lines {
        let run = if quiet { line.replacen("groovekit ", "groovekit -q ", 1) } else { line.clone() };
        let out = sandbox::sh(dir.path(), &run);
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        let code = out.status.code().unwrap_or(-1);
        let what = format!("`groovekit {} --help` example `{run}`", path.join(" "));
        if stderr.contains("panicked") {
            failures.push(format!("{what} panicked:\n{stderr}"));
        }
        if !(code == 0 || code == 1 && one_is_an_answer(line)) {
            failures.push(format!("{what} exited {code}:\n{stdout}{stderr}"));
            continue;
        }
        failures.extend(stream_failures(&what, &stdout, &stderr, quiet && code == 0));
    }
    failures
}

/// What is wrong with an example's output: a line on stdout that is not a result, or (`quiet`:
/// a successful `-q` run) anything on stderr.
fn stream_failures(what: &str, stdout: &str, stderr: &str, quiet: bool) -> Vec<String> {
    let mut failures = Vec::new();
    if let Some(l) = stdout.lines().find(|l| not_a_result(l.trim_start())) {
        failures.push(format!("{what}: not a result on stdout: {l}"));
    }
    if quiet && !stderr.trim().is_empty() {
        failures.push(format!("{what}: -q, yet stderr has:\n{stderr}"));
    }
    failures
}

/// Commands that run until they are stopped (Ctrl-C): their examples are started, checked while
/// they run, and killed ([`run_until_stopped`]).
fn runs_until_stopped(path: &[String]) -> bool {
    path.last().is_some_and(|n| n == "serve" || n == "watch")
}

/// How long a running example may take to print its URL or render (a debug build on a loaded
/// machine; a healthy run takes well under a second).
const WAIT: Duration = Duration::from_secs(60);

/// Polls `ready` every 50 ms until it holds or [`WAIT`] has passed.
fn wait_until(mut ready: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < WAIT {
        if ready() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    ready()
}

/// An example running in the background, its output collected as it comes.
struct Running {
    child: std::process::Child,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
    readers: Vec<std::thread::JoinHandle<()>>,
}

impl Running {
    /// Starts `line` in `dir` as `sandbox::sh` runs a line, with `$BROWSER` set to a script that
    /// writes the URL it is given to `opened.txt` (so `--open` launches no browser and can be checked).
    fn start(dir: &Path, line: &str) -> Running {
        let browser = dir.join("browser.sh");
        std::fs::write(&browser, "#!/bin/sh\necho \"$1\" > \"$(dirname \"$0\")/opened.txt\"\n").unwrap();
        std::fs::set_permissions(&browser, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
        let bin = assert_cmd::cargo::cargo_bin("groovekit");
        let path = format!("{}:{}", bin.parent().unwrap().display(), std::env::var("PATH").unwrap_or_default());
        // `exec`, so that the process killed at the end is groovekit itself.
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(format!("exec {line}"))
            .current_dir(dir)
            .env("PATH", path)
            .env("NO_COLOR", "1")
            .env("BROWSER", &browser)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (stdout, stderr) = (Arc::new(Mutex::new(String::new())), Arc::new(Mutex::new(String::new())));
        let readers = vec![
            collect(child.stdout.take().unwrap(), Arc::clone(&stdout)),
            collect(child.stderr.take().unwrap(), Arc::clone(&stderr)),
        ];
        Running { child, stdout, stderr, readers }
    }

    fn stdout(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Whether it has ended (it should not, before it is stopped).
    fn ended(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// Kills it (Ctrl-C's end, without its signal) and returns (stdout, stderr).
    fn stop(mut self) -> (String, String) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        for r in self.readers.drain(..) {
            let _ = r.join();
        }
        (self.stdout(), self.stderr())
    }
}

/// A thread that appends the lines of `pipe` to `into` until it closes.
fn collect(pipe: impl Read + Send + 'static, into: Arc<Mutex<String>>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        for l in BufReader::new(pipe).lines().map_while(Result::ok) {
            let mut s = into.lock().unwrap();
            s.push_str(&l);
            s.push('\n');
        }
    })
}

/// `GET url` over HTTP/1.0: (status line, body).
fn http_get(url: &str) -> std::io::Result<(String, String)> {
    let rest = url.strip_prefix("http://").unwrap_or(url);
    let (host, path) = rest.split_once('/').map(|(h, p)| (h, format!("/{p}"))).unwrap_or((rest, "/".into()));
    let mut stream = std::net::TcpStream::connect(host)?;
    stream.set_read_timeout(Some(WAIT))?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {host}\r\nConnection: close\r\n\r\n")?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let text = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    Ok((head.lines().next().unwrap_or_default().to_string(), body.to_string()))
}

/// The word after `flag` in an example line (`-o demo.wav`).
fn after<'a>(line: &'a str, flag: &str) -> Option<&'a str> {
    let words: Vec<&str> = line.split_whitespace().collect();
    words.iter().position(|w| *w == flag).and_then(|i| words.get(i + 1)).copied()
}

/// Runs the examples of `serve` or `track watch` (one command each, until stopped) in a fresh
/// sandbox, with or without `-q`: `serve` must print its URL on stdout, which answers a GET with
/// 200 and HTML (and, with `--open`, is given to `$BROWSER`); `track watch` must render, and
/// render again when its song changes. Then each is killed and its output checked as every
/// example's is. Returns failures.
fn run_until_stopped(fixtures: &Path, path: &[String], lines: &[String], quiet: bool) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    sandbox::make(fixtures, dir.path());
    let mut failures = Vec::new();
    for line in lines {
        let run = if quiet { line.replacen("groovekit ", "groovekit -q ", 1) } else { line.clone() };
        let what = format!("`groovekit {} --help` example `{run}`", path.join(" "));
        let mut running = Running::start(dir.path(), &run);
        let problem = if path.last().is_some_and(|n| n == "serve") {
            check_serve(dir.path(), &run, &mut running)
        } else {
            check_watch(dir.path(), &run, &mut running)
        };
        let ended = running.ended();
        let (stdout, stderr) = running.stop();
        if let Some(p) = problem {
            failures.push(format!("{what}: {p}\nstdout:\n{stdout}stderr:\n{stderr}"));
            continue;
        }
        if let Some(status) = ended {
            failures.push(format!("{what} ended ({status}) instead of running until stopped:\n{stdout}{stderr}"));
            continue;
        }
        if stderr.contains("panicked") {
            failures.push(format!("{what} panicked:\n{stderr}"));
        }
        failures.extend(stream_failures(&what, &stdout, &stderr, quiet));
    }
    failures
}

/// `serve`: its URL on stdout, a page there, and `--open` handing the URL to the browser.
fn check_serve(dir: &Path, line: &str, running: &mut Running) -> Option<String> {
    let url = |r: &Running| r.stdout().lines().find(|l| l.starts_with("http://")).map(str::to_string);
    wait_until(|| url(running).is_some() || running.ended().is_some());
    let Some(url) = url(running) else { return Some("no URL on stdout".into()) };
    match http_get(&url) {
        Ok((status, body)) if status.contains(" 200") && body.to_ascii_lowercase().contains("<html") => {}
        Ok((status, body)) => return Some(format!("GET {url}: {status}, {} bytes of body", body.len())),
        Err(e) => return Some(format!("GET {url}: {e}")),
    }
    if after(line, "--port").is_some_and(|p| !url.ends_with(&format!(":{p}/"))) {
        return Some(format!("{url} is not on the port asked for"));
    }
    let opened = dir.join("opened.txt");
    if line.contains("--open") {
        let given = || std::fs::read_to_string(&opened).unwrap_or_default();
        if !wait_until(|| given().trim() == url) {
            return Some(format!("--open did not give {url} to $BROWSER (it got {:?})", given()));
        }
        let _ = std::fs::remove_file(&opened);
    } else if opened.exists() {
        return Some("a browser was opened without --open".into());
    }
    None
}

/// `track watch`: a first render, and another after the song changes.
fn check_watch(dir: &Path, line: &str, running: &mut Running) -> Option<String> {
    let (Some(song), Some(out)) = (after(line, "watch"), after(line, "-o")) else {
        return Some("the example names no song and no -o output".into());
    };
    let (song, out) = (dir.join(song), dir.join(out));
    let quiet = line.contains(" -q ");
    // Rendered, and (what -q does not print) watching.
    let ready = |r: &Running| out.exists() && (quiet || r.stderr().contains("watching "));
    if !wait_until(|| ready(running) || running.ended().is_some()) || !ready(running) {
        return Some(format!("no first render of {}", out.display()));
    }
    let out_name = out.file_name().unwrap_or_default().to_string_lossy().to_string();
    if !quiet && !running.stderr().lines().any(|l| l.contains(&out_name)) {
        return Some("no render line naming the output on stderr".into());
    }
    // Change the song (its modification time, as an editor's save does) until a new render
    // appears: with -q nothing says when the watcher is set up, so the first change may come early.
    if let Err(e) = std::fs::remove_file(&out) {
        return Some(format!("cannot remove {}: {e}", out.display()));
    }
    let file = match std::fs::File::options().append(true).open(&song) {
        Ok(f) => f,
        Err(e) => return Some(format!("cannot open {}: {e}", song.display())),
    };
    let mut last = Instant::now() - Duration::from_secs(1);
    let rendered_again = wait_until(|| {
        if last.elapsed() >= Duration::from_millis(500) {
            let _ = file.set_modified(std::time::SystemTime::now());
            last = Instant::now();
        }
        out.exists() || running.ended().is_some()
    });
    if !rendered_again || !out.exists() {
        return Some(format!("no new render of {} after {} changed", out.display(), song.display()));
    }
    None
}

#[test]
fn every_command_has_examples_that_run_as_written_with_results_on_stdout() {
    let Some(fixtures) = fixtures() else { return };
    let mut failures = Vec::new();
    let all = tree();
    assert!(all.len() > 40, "the walk found only {} commands", all.len());
    for (path, h) in &all {
        let ex = examples(h);
        if !(2..=3).contains(&ex.len()) {
            failures.push(format!("`groovekit {} --help` has {} examples, wants 2-3", path.join(" "), ex.len()));
            continue;
        }
        // `serve` and `track watch` run until stopped: the next test runs them.
        if runs_until_stopped(path) {
            continue;
        }
        for quiet in [false, true] {
            failures.extend(run_examples(&fixtures, path, &ex, quiet));
        }
    }
    assert!(failures.is_empty(), "{} failures:\n\n{}", failures.len(), failures.join("\n\n"));
}

/// The examples of the commands that run until Ctrl-C (`serve`, `track watch`), with and
/// without `-q`: started, checked while they run, killed.
#[test]
fn examples_that_run_until_stopped_work_while_they_run() {
    let Some(fixtures) = fixtures() else { return };
    let mut failures = Vec::new();
    let mut walked = Vec::new();
    for (path, h) in tree().iter().filter(|(p, _)| runs_until_stopped(p)) {
        walked.push(path.join(" "));
        for quiet in [false, true] {
            failures.extend(run_until_stopped(&fixtures, path, &examples(h), quiet));
        }
    }
    assert_eq!(walked, ["track watch", "serve"], "the commands that run until stopped");
    assert!(failures.is_empty(), "{} failures:\n\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn out_of_range_values_are_usage_errors_everywhere() {
    let Some(fixtures) = fixtures() else { return };
    let dir = tempfile::tempdir().unwrap();
    sandbox::make(&fixtures, dir.path());
    for line in [
        "groovekit ot slots MYSET/LIVE --bank 0",
        "groovekit ot slots MYSET/LIVE --bank Q",
        "groovekit ot pattern MYSET/LIVE --bank 17",
        "groovekit ot clear MYSET/LIVE --bank 0 --dry-run",
        "groovekit ot copy-bank MYSET/OLD:Q MYSET/LIVE:2 --dry-run",
        "groovekit opz add-note projects/project05.opz --pattern 1 --track bas --step 1 C2",
        "groovekit opz chain set projects/project01.opz 1 17",
        "groovekit opz set-tempo projects/project01.opz 20",
        "groovekit render song.okta -o x.wav --mute 9",
    ] {
        let out = sandbox::sh(dir.path(), line);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{line}: {stderr}");
        assert!(!stderr.contains("..="), "{line}: a range written with ..=: {stderr}");
    }
    // Banks as letters are accepted wherever a bank is.
    for line in ["groovekit ot slots MYSET/LIVE --bank A", "groovekit ot pattern MYSET/LIVE --bank a --pattern 1"] {
        let out = sandbox::sh(dir.path(), line);
        assert_eq!(out.status.code(), Some(0), "{line}: {}", String::from_utf8_lossy(&out.stderr));
    }
}
