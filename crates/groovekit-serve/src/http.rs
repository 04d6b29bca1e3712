//! A small HTTP/1.1 server over `std::net`: one thread per connection (capped), keep-alive,
//! bounded request sizes, responses from memory or from a byte range of a file. Enough for one
//! browser on the same machine; no async runtime (CI builds on 2 cores, see the crate docs).

use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::time::Duration;

/// Largest request head (request line and headers).
pub const MAX_HEAD: usize = 16 * 1024;
/// Largest request body (edits post small JSON documents).
pub const MAX_BODY: usize = 1024 * 1024;
/// How long an idle keep-alive connection is kept.
pub const IDLE: Duration = Duration::from_secs(15);

/// A parsed request.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The request target as sent (still percent-encoded).
    pub target: String,
    /// Headers, names in lower case, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Request {
    /// A request with no headers and no body (tests build requests with it).
    pub fn new(method: &str, target: &str) -> Request {
        Request { method: method.into(), target: target.into(), headers: Vec::new(), body: Vec::new() }
    }

    /// Adds a header (builder style).
    pub fn header(mut self, name: &str, value: &str) -> Request {
        self.headers.push((name.to_ascii_lowercase(), value.into()));
        self
    }

    /// Sets the body (builder style).
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Request {
        self.body = body.into();
        self
    }

    /// The first header named `name` (lower case).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The path part of the target (before `?`), still encoded.
    pub fn path(&self) -> &str {
        self.target.split_once('?').map_or(self.target.as_str(), |(p, _)| p)
    }

    /// The query parameters, decoded (`+` is a space); a parameter that does not decode is left
    /// out.
    pub fn query(&self) -> Vec<(String, String)> {
        let Some((_, q)) = self.target.split_once('?') else { return Vec::new() };
        parse_form(q)
    }

    /// The query parameter `name`.
    pub fn param(&self, name: &str) -> Option<String> {
        self.query().into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }
}

/// Parses `a=1&b=x+y` (percent-decoded, `+` as space).
pub fn parse_form(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|kv| !kv.is_empty())
        .filter_map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            Some((decode(&k.replace('+', " "))?, decode(&v.replace('+', " "))?))
        })
        .collect()
}

/// Percent-decodes `s`; `None` for a bad escape or bytes that are not UTF-8.
pub fn decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(c);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Percent-encodes a path segment (everything but unreserved characters).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &c in s.as_bytes() {
        if c.is_ascii_alphanumeric() || b"-._~".contains(&c) {
            out.push(char::from(c));
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
    }
    out
}

/// Percent-encodes a `/`-separated path, segment by segment.
pub fn encode_path(s: &str) -> String {
    s.split('/').map(encode).collect::<Vec<_>>().join("/")
}

/// What a response carries.
#[derive(Debug, Clone)]
pub enum Body {
    /// Bytes in memory.
    Bytes(Vec<u8>),
    /// A file, whole or a byte range of it (`start`, `len`), with its total size.
    File {
        /// The file.
        path: PathBuf,
        /// First byte sent.
        start: u64,
        /// Bytes sent.
        len: u64,
        /// The file's size.
        total: u64,
    },
}

/// A response.
#[derive(Debug, Clone)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// `Content-Type`.
    pub content_type: String,
    /// Other headers.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Body,
}

impl Response {
    /// A response with a body from memory.
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response { status, content_type: content_type.into(), headers: Vec::new(), body: Body::Bytes(body.into()) }
    }

    /// An HTML page.
    pub fn html(body: String) -> Response {
        Response::new(200, "text/html; charset=utf-8", body)
    }

    /// A JSON document.
    pub fn json(status: u16, v: &serde_json::Value) -> Response {
        Response::new(status, "application/json", v.to_string())
    }

    /// A plain-text error.
    pub fn error(status: u16, message: &str) -> Response {
        Response::new(status, "text/plain; charset=utf-8", format!("{status} {}: {message}\n", reason(status)))
    }

    /// Adds a header (builder style).
    pub fn with_header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The body bytes, when in memory (tests read them).
    pub fn bytes(&self) -> &[u8] {
        match &self.body {
            Body::Bytes(b) => b,
            Body::File { .. } => &[],
        }
    }

    /// The body as text (lossy), when in memory.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(self.bytes()).into_owned()
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// The reason phrase of a status code.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        206 => "Partial Content",
        303 => "See Other",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Payload Too Large",
        416 => "Range Not Satisfiable",
        431 => "Request Header Fields Too Large",
        _ => "Error",
    }
}

/// Why a request could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The connection closed (or idled out) before a request started: not an error.
    Closed,
    /// A malformed or oversized request: answer with this status and close.
    Bad(u16, &'static str),
}

/// Reads one request from `r`.
pub fn read_request(r: &mut impl BufRead) -> Result<Request, ReadError> {
    let mut head = Vec::new();
    loop {
        let mut line = Vec::new();
        let n = r.by_ref().take((MAX_HEAD + 1 - head.len().min(MAX_HEAD)) as u64).read_until(b'\n', &mut line);
        match n {
            Ok(0) if head.is_empty() => return Err(ReadError::Closed),
            Ok(0) => return Err(ReadError::Bad(400, "the request ended in its head")),
            Ok(_) => {}
            Err(_) if head.is_empty() => return Err(ReadError::Closed),
            Err(_) => return Err(ReadError::Bad(400, "the request could not be read")),
        }
        if head.len() + line.len() > MAX_HEAD {
            return Err(ReadError::Bad(431, "the request head is larger than 16 KiB"));
        }
        let blank = line == b"\r\n" || line == b"\n";
        if blank && head.is_empty() {
            continue; // a stray CRLF between requests (RFC 9112 2.2)
        }
        head.extend_from_slice(&line);
        if blank {
            break;
        }
    }
    let text = std::str::from_utf8(&head).map_err(|_| ReadError::Bad(400, "the request head is not UTF-8"))?;
    let mut lines = text.split("\r\n").flat_map(|l| l.split('\n'));
    let first = lines.next().unwrap_or_default();
    let mut parts = first.split(' ');
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(ReadError::Bad(400, "the request line is not METHOD TARGET VERSION"));
    };
    if !version.starts_with("HTTP/1.") || !target.starts_with('/') {
        return Err(ReadError::Bad(400, "only HTTP/1.x requests with an origin-form target are served"));
    }
    let mut req = Request::new(method, target);
    for l in lines.filter(|l| !l.is_empty()) {
        let Some((n, v)) = l.split_once(':') else {
            return Err(ReadError::Bad(400, "a header line has no colon"));
        };
        req.headers.push((n.trim().to_ascii_lowercase(), v.trim().to_string()));
    }
    if req.get("transfer-encoding").is_some() {
        return Err(ReadError::Bad(400, "chunked request bodies are not accepted; send Content-Length"));
    }
    let len: usize = match req.get("content-length") {
        Some(v) => v.parse().map_err(|_| ReadError::Bad(400, "Content-Length is not a number"))?,
        None => 0,
    };
    if len > MAX_BODY {
        return Err(ReadError::Bad(413, "the request body is larger than 1 MiB"));
    }
    req.body = vec![0; len];
    r.read_exact(&mut req.body).map_err(|_| ReadError::Bad(400, "the request body ended early"))?;
    Ok(req)
}

/// Writes `resp` (the body only when `head_only` is false).
pub fn write_response(w: &mut impl Write, resp: &Response, head_only: bool, keep_alive: bool) -> std::io::Result<()> {
    let len = match &resp.body {
        Body::Bytes(b) => b.len() as u64,
        Body::File { len, .. } => *len,
    };
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {len}\r\nConnection: {}\r\n",
        resp.status,
        reason(resp.status),
        resp.content_type,
        if keep_alive { "keep-alive" } else { "close" }
    );
    for (n, v) in &resp.headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str("\r\n");
    w.write_all(head.as_bytes())?;
    if head_only {
        return w.flush();
    }
    match &resp.body {
        Body::Bytes(b) => w.write_all(b)?,
        Body::File { path, start, len, .. } => {
            let mut f = std::fs::File::open(path)?;
            f.seek(SeekFrom::Start(*start))?;
            let copied = std::io::copy(&mut f.take(*len), w)?;
            if copied != *len {
                // The file shrank under us: the client sees a short body and retries.
                return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "file shrank while sent"));
            }
        }
    }
    w.flush()
}

/// Serves one connection: requests in turn until the client closes, asks to close, or idles.
pub fn serve_connection(stream: TcpStream, handle: &dyn Fn(&Request) -> Response) {
    let _ = stream.set_read_timeout(Some(IDLE));
    let _ = stream.set_nodelay(true);
    let Ok(write_half) = stream.try_clone() else { return };
    let mut reader = BufReader::new(stream);
    let mut writer = std::io::BufWriter::new(write_half);
    loop {
        match read_request(&mut reader) {
            Ok(req) => {
                let close = req.get("connection").is_some_and(|c| c.eq_ignore_ascii_case("close"));
                let resp = handle(&req);
                if write_response(&mut writer, &resp, req.method == "HEAD", !close).is_err() || close {
                    return;
                }
            }
            Err(ReadError::Closed) => return,
            Err(ReadError::Bad(status, message)) => {
                let _ = write_response(&mut writer, &Response::error(status, message), false, false);
                return;
            }
        }
    }
}

/// A `Range` header that cannot be satisfied (answered with 416).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsatisfiable;

/// Parses a `Range: bytes=a-b` header against a file of `total` bytes: `Ok(None)` when absent,
/// `Ok(Some((start, len)))` for one satisfiable range, `Err(Unsatisfiable)` otherwise (416).
/// Several ranges are answered with the first one.
pub fn parse_range(header: Option<&str>, total: u64) -> Result<Option<(u64, u64)>, Unsatisfiable> {
    let Some(h) = header else { return Ok(None) };
    let Some(spec) = h.trim().strip_prefix("bytes=") else { return Ok(None) };
    let first = spec.split(',').next().unwrap_or_default().trim();
    let (a, b) = first.split_once('-').ok_or(Unsatisfiable)?;
    let (start, end) = if a.is_empty() {
        let n: u64 = b.parse().map_err(|_| Unsatisfiable)?;
        if n == 0 {
            return Err(Unsatisfiable);
        }
        (total.saturating_sub(n), total.saturating_sub(1))
    } else {
        let s: u64 = a.parse().map_err(|_| Unsatisfiable)?;
        let e: u64 = if b.is_empty() { total.saturating_sub(1) } else { b.parse().map_err(|_| Unsatisfiable)? };
        (s, e.min(total.saturating_sub(1)))
    };
    if total == 0 || start >= total || end < start {
        return Err(Unsatisfiable);
    }
    Ok(Some((start, end - start + 1)))
}

#[cfg(test)]
#[path = "http_tests.rs"]
mod tests;
