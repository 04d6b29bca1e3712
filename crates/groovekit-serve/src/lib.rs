//! `groovekit serve` (issue 25): a local web view of Octatrack Sets, OP-Z projects, Oktalyzer
//! modules and `.track` songs, served by the one binary. Server-rendered HTML with one small
//! script, every asset compiled in, nothing fetched from the internet, and a JSON API under
//! `/api/` behind every page (see `docs/serve.md`).
//!
//! Layout: [`http`] (a small synchronous HTTP/1.1 server over `std::net`: no async runtime, so
//! the crate builds in seconds on CI's 2 cores), [`paths`] (served roots and the path checks),
//! [`views`] (the data of each page, serialisable: the API), [`pages`] (HTML from those data),
//! [`edits`] (the edit operations, dry-run plan first), [`peaks`] (waveforms).
//!
//! Security model (the whole of it is checked in [`App::handle`] before any route runs):
//! - the server binds 127.0.0.1 unless the caller asks for another address *and* says that it
//!   exposes the served folders ([`Config::expose`]);
//! - every request's `Host` must be the server's own address (defeats DNS rebinding), and an
//!   `Origin`, when sent, must be the server's own origin (cross-site forms and scripts);
//! - state-changing requests are POSTs to `/api/edit/...`, refused unless the server runs with
//!   edits allowed, and refused without the per-run token (random, in each page's `<meta>`);
//! - every path in a URL is checked by [`paths::Root::resolve`]: no `..`, no encoded `%2e%2e`,
//!   no absolute paths, no symlinks out of the served roots;
//! - responses forbid framing, sniffing and any script or style not served by the server itself
//!   (`Content-Security-Policy: default-src 'self'`).

pub mod edits;
pub mod http;
pub mod pages;
pub mod paths;
pub mod peaks;
pub mod views;

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use groovekit_octatrack::ops::set_index::SetIndex;

use crate::http::{Request, Response};
use crate::paths::{Refused, Root};

/// The header (and JSON field) that carries the per-run token on edits.
pub const TOKEN_HEADER: &str = "x-groovekit-token";
/// Most connections served at once; more wait in the listen queue.
pub const MAX_CONNECTIONS: usize = 64;

/// How to run the server.
#[derive(Debug, Clone)]
pub struct Config {
    /// Sets, projects or folders to serve.
    pub roots: Vec<PathBuf>,
    /// Address to bind (127.0.0.1 by default).
    pub address: IpAddr,
    /// Port (0: any free port).
    pub port: u16,
    /// Whether a non-loopback `address` is allowed: it exposes the served folders to the network.
    pub expose: bool,
    /// Whether edits are allowed.
    pub allow_edits: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            roots: Vec::new(),
            address: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            expose: false,
            allow_edits: false,
        }
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// A served path is unusable.
    #[error("{0}")]
    Root(String),
    /// A non-loopback address without [`Config::expose`].
    #[error(
        "{0} is not a loopback address: serving on it shows the served folders to every machine that can reach it; \
         pass --expose-to-network to do so anyway, or leave --address at 127.0.0.1"
    )]
    NotLoopback(IpAddr),
    /// Binding failed.
    #[error("binding {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
}

/// The application: served roots, settings, caches. Cheap to share between threads.
#[derive(Debug)]
pub struct App {
    /// The served roots, numbered from 0.
    pub roots: Vec<Root>,
    /// Whether edits are allowed.
    pub allow_edits: bool,
    /// The per-run token every POST must carry.
    pub token: String,
    /// Host header values accepted (`127.0.0.1:PORT`, `localhost:PORT`, ...).
    pub hosts: Vec<String>,
    /// Set indexes by root, built on first use and rebuilt after an edit or on `?rescan=1`.
    indexes: Mutex<HashMap<usize, Arc<SetIndex>>>,
    /// `verify` reports by root, cached like the indexes.
    reports: Mutex<HashMap<usize, Arc<groovekit_core::report::Report>>>,
    /// Where rendered songs are cached (a temporary folder, outside every root).
    pub render_dir: PathBuf,
}

/// A random token: 16 bytes from the OS (`/dev/urandom`), or on failure a BLAKE3 of the time, the
/// process id and an address, which is still unguessable from another site.
fn new_token() -> String {
    let mut bytes = [0u8; 16];
    let from_os = std::fs::File::open("/dev/urandom").and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes));
    if from_os.is_err() {
        let mut h = blake3::Hasher::new();
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        h.update(&now.as_nanos().to_le_bytes());
        h.update(&std::process::id().to_le_bytes());
        h.update(&(&bytes as *const _ as usize).to_le_bytes());
        bytes.copy_from_slice(h.finalize().as_bytes().get(..16).unwrap_or(&[0; 16]));
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The start of a render cache folder's name in the OS temporary folder: the serving process's
/// id and port follow (`groovekit-serve-4242-8000`).
const RENDER_DIR_PREFIX: &str = "groovekit-serve-";

/// Removes the render caches that earlier servers left in `temp` (a server runs until Ctrl-C,
/// so it never removes its own): the folders named [`RENDER_DIR_PREFIX`]`PID-PORT` whose process
/// no longer runs. Only where `/proc` tells which processes run (Linux); folders another user
/// owns fail to be removed and are left, as are any that cannot be read.
fn prune_render_dirs(temp: &Path) {
    if !Path::new("/proc/self").is_dir() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(temp) else { return };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(RENDER_DIR_PREFIX)) else { continue };
        let Some(pid) = rest
            .split_once('-')
            .and_then(|(pid, port)| (port.parse::<u16>().is_ok()).then_some(pid).and_then(|p| p.parse::<u32>().ok()))
        else {
            continue;
        };
        let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
        if is_dir && !Path::new("/proc").join(pid.to_string()).exists() {
            // The cache holds only WAVs groovekit made again on demand: no user data.
            let _ = std::fs::remove_dir_all(e.path()); // ok: a dead server's render cache in the OS temp folder
        }
    }
}

/// Compares two strings in time independent of where they differ.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl App {
    /// An application serving `roots` on `addr` (whose port names the accepted Host values).
    pub fn new(roots: &[PathBuf], addr: SocketAddr, allow_edits: bool) -> Result<App, ServeError> {
        if roots.is_empty() {
            return Err(ServeError::Root("give at least one Set, project or folder to serve".into()));
        }
        let roots = roots.iter().enumerate().map(|(i, p)| Root::new(i, p)).collect::<Result<Vec<_>, _>>();
        let roots = roots.map_err(ServeError::Root)?;
        let port = addr.port();
        let mut hosts = vec![format!("127.0.0.1:{port}"), format!("localhost:{port}"), format!("[::1]:{port}")];
        if !addr.ip().is_loopback() {
            hosts.push(match addr.ip() {
                IpAddr::V4(ip) => format!("{ip}:{port}"),
                IpAddr::V6(ip) => format!("[{ip}]:{port}"),
            });
        }
        let temp = std::env::temp_dir();
        prune_render_dirs(&temp);
        let render_dir = temp.join(format!("{RENDER_DIR_PREFIX}{}-{port}", std::process::id()));
        Ok(App {
            roots,
            allow_edits,
            token: new_token(),
            hosts,
            indexes: Mutex::new(HashMap::new()),
            reports: Mutex::new(HashMap::new()),
            render_dir,
        })
    }

    /// The root numbered `id`.
    pub fn root(&self, id: &str) -> Result<&Root, Response> {
        id.parse::<usize>()
            .ok()
            .and_then(|i| self.roots.get(i))
            .ok_or_else(|| Response::error(404, &format!("no served folder numbered {id}")))
    }

    /// The Set index of a root (cached).
    pub fn index(&self, root: &Root, rescan: bool) -> Result<Arc<SetIndex>, Response> {
        let mut cache = self.indexes.lock().unwrap_or_else(|e| e.into_inner());
        if !rescan && let Some(i) = cache.get(&root.id) {
            return Ok(i.clone());
        }
        let index = Arc::new(SetIndex::open(&root.dir).map_err(|e| Response::error(404, &e.to_string()))?);
        cache.insert(root.id, index.clone());
        Ok(index)
    }

    /// The `verify` report of a root's Set or project (cached; empty for a plain folder).
    pub fn verify(&self, root: &Root, rescan: bool) -> Arc<groovekit_core::report::Report> {
        let mut cache = self.reports.lock().unwrap_or_else(|e| e.into_inner());
        if !rescan && let Some(r) = cache.get(&root.id) {
            return r.clone();
        }
        let report = Arc::new(groovekit_octatrack::ops::verify::check_folder(&root.dir, false).unwrap_or_default());
        cache.insert(root.id, report.clone());
        report
    }

    /// Forgets every cached index and report (after an edit).
    pub fn invalidate(&self) {
        self.indexes.lock().unwrap_or_else(|e| e.into_inner()).clear();
        self.reports.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// Answers one request: the security checks of the crate docs, then the route.
    pub fn handle(&self, req: &Request) -> Response {
        let resp = match self.check(req) {
            Err(r) => r,
            Ok(()) => self.route(req),
        };
        secure_headers(resp)
    }

    fn check(&self, req: &Request) -> Result<(), Response> {
        let host = req.get("host").unwrap_or_default();
        if !self.hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
            return Err(Response::error(
                403,
                &format!("Host `{host}` is not this server's address (open {} instead)", self.hosts[0]),
            ));
        }
        if let Some(origin) = req.get("origin")
            && !self.hosts.iter().any(|h| origin.eq_ignore_ascii_case(&format!("http://{h}")))
        {
            return Err(Response::error(
                403,
                &format!("requests from `{origin}` are refused: only this server's own pages may call it"),
            ));
        }
        if req.get("sec-fetch-site").is_some_and(|s| s.eq_ignore_ascii_case("cross-site")) {
            return Err(Response::error(403, "cross-site requests are refused"));
        }
        match req.method.as_str() {
            "GET" | "HEAD" => Ok(()),
            "POST" => {
                if !req.path().starts_with("/api/edit/") {
                    return Err(Response::error(405, "only /api/edit/... accepts POST"));
                }
                if !self.allow_edits {
                    return Err(Response::error(
                        403,
                        "this server is read-only: restart it with `groovekit serve --allow-edits` to edit",
                    ));
                }
                let token = req.get(TOKEN_HEADER).unwrap_or_default();
                if !same_secret(token, &self.token) {
                    return Err(Response::error(
                        403,
                        "missing or wrong token: edits come from this server's own pages",
                    ));
                }
                Ok(())
            }
            _ => Err(Response::error(405, "only GET, HEAD and POST are served")),
        }
    }

    fn route(&self, req: &Request) -> Response {
        let path = req.path();
        let mut segs = path.trim_start_matches('/').splitn(3, '/');
        let first = segs.next().unwrap_or_default();
        let second = segs.next();
        let rest = segs.next().unwrap_or_default();
        match (first, second) {
            ("", None) => pages::index(self),
            ("assets", Some(name)) => pages::asset(name),
            ("favicon.ico", None) => Response::new(204, "image/x-icon", Vec::new()),
            ("api", None) => Response::json(200, &views::api_doc()),
            ("api", Some(view)) => {
                let mut s = rest.splitn(2, '/');
                let id = s.next().unwrap_or_default();
                let rel = s.next().unwrap_or_default();
                if view == "roots" {
                    return Response::json(200, &serde_json::json!(self.roots));
                }
                if view == "edit" {
                    return edits::handle(self, id, req);
                }
                let root = match self.root(id) {
                    Ok(r) => r,
                    Err(e) => return e,
                };
                if view == "kit-slice" {
                    // Audio, not JSON: answered by the page module, which serves files.
                    return pages::kit_slice(self, root, rel, req).unwrap_or_else(|e| e);
                }
                views::api(self, view, root, rel, req)
            }
            (view, Some(id)) => {
                let root = match self.root(id) {
                    Ok(r) => r,
                    Err(e) => return e,
                };
                pages::page(self, view, root, rest, req)
            }
            _ => Response::error(404, "no such page"),
        }
    }

    /// Resolves `rel` under `root`, as a 403 response when refused.
    pub fn resolve(&self, root: &Root, rel: &str) -> Result<PathBuf, Response> {
        root.resolve(rel).map_err(|Refused(m)| Response::error(403, &m))
    }
}

/// Adds the headers every response carries.
fn secure_headers(resp: Response) -> Response {
    resp.with_header(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; media-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'",
    )
    .with_header("X-Content-Type-Options", "nosniff")
    .with_header("X-Frame-Options", "DENY")
    .with_header("Referrer-Policy", "no-referrer")
    .with_header("Cache-Control", "no-store")
}

/// A bound server.
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    app: Arc<App>,
}

impl Server {
    /// Binds the address of `config` and prepares the roots.
    pub fn bind(config: &Config) -> Result<Server, ServeError> {
        if !config.address.is_loopback() && !config.expose {
            return Err(ServeError::NotLoopback(config.address));
        }
        let addr = SocketAddr::new(config.address, config.port);
        let listener = TcpListener::bind(addr).map_err(|source| ServeError::Bind { addr, source })?;
        let local = listener.local_addr().map_err(|source| ServeError::Bind { addr, source })?;
        let app = Arc::new(App::new(&config.roots, local, config.allow_edits)?);
        Ok(Server { listener, app })
    }

    /// The address bound.
    pub fn addr(&self) -> Option<SocketAddr> {
        self.listener.local_addr().ok()
    }

    /// The URL to open.
    pub fn url(&self) -> String {
        match self.addr() {
            Some(a) if a.ip().is_loopback() => format!("http://127.0.0.1:{}/", a.port()),
            Some(a) => format!("http://{a}/"),
            None => String::new(),
        }
    }

    /// The application (tests call [`App::handle`] directly).
    pub fn app(&self) -> Arc<App> {
        self.app.clone()
    }

    /// Serves until the process ends: one thread per connection, at most [`MAX_CONNECTIONS`].
    pub fn run(self) {
        let live = Arc::new(AtomicUsize::new(0));
        for stream in self.listener.incoming() {
            let Ok(stream) = stream else { continue };
            while live.load(Ordering::Acquire) >= MAX_CONNECTIONS {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            live.fetch_add(1, Ordering::AcqRel);
            let app = self.app.clone();
            let count = live.clone();
            let spawned = std::thread::Builder::new().name("groovekit-serve".into()).spawn(move || {
                http::serve_connection(stream, &|r| app.handle(r));
                count.fetch_sub(1, Ordering::AcqRel);
            });
            if spawned.is_err() {
                // No thread: the connection is dropped (the client retries); back off a little.
                live.fetch_sub(1, Ordering::AcqRel);
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
        }
    }
}

/// Whether `p` is inside `dir` once both are canonical (for files an operation will write, which
/// may not exist yet: checked through their nearest existing ancestor).
pub fn inside(root: &Root, p: &Path) -> bool {
    root.contain(p).is_ok()
}

#[cfg(test)]
#[path = "lib_tests.rs"]
mod tests;
