//! The lossless line layer of `project.work` / `project.strd` (reference §1.1): an INI-like
//! text with `[NAME]` … `[/NAME]` sections, `#` banners, blank lines and CRLF line endings.
//!
//! The file is read as bytes, not as a `str`, because `PATH=` values may hold non-UTF-8 bytes
//! (names written on Windows-125x systems). Every line keeps its exact text and its exact line
//! ending, sections keep their entries in order (duplicate keys such as the eight
//! `TRIG_MODE_MIDI` lines included), so [`ProjectText::to_bytes`] gives back the input byte for
//! byte. Edits replace one line at a time, so changing one value changes only its line.

use crate::OtError;

/// How a line ends. Device files use CRLF throughout; LF and a missing final ending are kept
/// as found so that hand-edited files survive too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Eol {
    /// `\r\n` (what the device writes).
    CrLf,
    /// `\n` alone.
    Lf,
    /// No line ending (the last line of a file that does not end with a newline).
    None,
}

impl Eol {
    /// The bytes of this line ending.
    pub const fn as_bytes(self) -> &'static [u8] {
        match self {
            Eol::CrLf => b"\r\n",
            Eol::Lf => b"\n",
            Eol::None => b"",
        }
    }
}

/// One line: its text without the line ending, the ending, and the 1-based line number it had
/// in the parsed file (0 for lines added by an edit), used for error positions. Two lines are
/// equal when their bytes are (the line number is only a position for messages).
#[derive(Debug, Clone, Eq)]
pub struct Line {
    /// The bytes of the line, without the line ending.
    pub text: Vec<u8>,
    /// The line ending.
    pub eol: Eol,
    /// 1-based line number in the parsed file; 0 when the line was added later.
    pub number: usize,
}

impl PartialEq for Line {
    fn eq(&self, other: &Line) -> bool {
        self.text == other.text && self.eol == other.eol
    }
}

impl Line {
    /// A new CRLF-terminated line (for edits and generated files).
    pub fn new(text: impl Into<Vec<u8>>) -> Line {
        Line { text: text.into(), eol: Eol::CrLf, number: 0 }
    }

    /// `KEY` and `VALUE` of a `KEY=VALUE` line (split at the first `=`), or `None` for other
    /// lines (`#` comments included, even with a `=`). Values are kept verbatim, spaces
    /// included (`OS_VERSION=R0177     1.40B`).
    pub fn key_value(&self) -> Option<(&[u8], &[u8])> {
        if self.text.first() == Some(&b'#') {
            return None;
        }
        let eq = self.text.iter().position(|&b| b == b'=')?;
        let key = self.text.get(..eq)?;
        let value = self.text.get(eq + 1..)?;
        Some((key, value))
    }

    /// The key of a `KEY=VALUE` line.
    pub fn key(&self) -> Option<&[u8]> {
        self.key_value().map(|(k, _)| k)
    }

    /// The value of a `KEY=VALUE` line.
    pub fn value(&self) -> Option<&[u8]> {
        self.key_value().map(|(_, v)| v)
    }

    /// Replaces the value of a `KEY=VALUE` line, keeping the key and the line ending.
    /// Returns false (and changes nothing) when the line is not a `KEY=VALUE` line.
    pub fn set_value(&mut self, value: &[u8]) -> bool {
        let Some(eq) = self.text.iter().position(|&b| b == b'=') else {
            return false;
        };
        self.text.truncate(eq + 1);
        self.text.extend_from_slice(value);
        true
    }

    /// 1-based column of the value (the byte after `=`), for error messages.
    pub fn value_column(&self) -> usize {
        self.text.iter().position(|&b| b == b'=').map_or(1, |p| p + 2)
    }

    fn write_to(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.text);
        out.extend_from_slice(self.eol.as_bytes());
    }
}

/// A `[NAME]` … `[/NAME]` section. Its body lines are `KEY=VALUE` entries, or blank and `#`
/// comment lines, kept in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The section name (`META`, `SETTINGS`, `STATES`, `SAMPLE`, or any other).
    pub name: String,
    /// The opening `[NAME]` line.
    pub open: Line,
    /// The lines between the tags.
    pub body: Vec<Line>,
    /// The closing `[/NAME]` line.
    pub close: Line,
}

impl Section {
    /// A new empty section with CRLF tags (for edits and generated files).
    pub fn new(name: &str) -> Section {
        Section {
            name: name.to_string(),
            open: Line::new(format!("[{name}]")),
            body: Vec::new(),
            close: Line::new(format!("[/{name}]")),
        }
    }

    /// The `KEY=VALUE` lines of the body, in order.
    pub fn entries(&self) -> impl Iterator<Item = &Line> {
        self.body.iter().filter(|l| l.key_value().is_some())
    }

    /// The first line with this key.
    pub fn get(&self, key: &str) -> Option<&Line> {
        self.body.iter().find(|l| l.key() == Some(key.as_bytes()))
    }

    /// The first line with this key, mutable.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Line> {
        self.body.iter_mut().find(|l| l.key() == Some(key.as_bytes()))
    }

    /// Every line with this key, in order (the eight `TRIG_MODE_MIDI` lines).
    pub fn get_all(&self, key: &str) -> impl Iterator<Item = &Line> {
        self.body.iter().filter(move |l| l.key() == Some(key.as_bytes()))
    }

    /// Sets the first `key` line to `value`, or appends a `KEY=VALUE` line before the closing
    /// tag when there is none. Only that one line changes.
    pub fn set(&mut self, key: &str, value: &[u8]) {
        if let Some(line) = self.get_mut(key) {
            line.set_value(value);
        } else {
            let mut text = key.as_bytes().to_vec();
            text.push(b'=');
            text.extend_from_slice(value);
            let eol = self.open.eol;
            self.body.push(Line { text, eol, number: 0 });
        }
    }

    fn write_to(&self, out: &mut Vec<u8>) {
        self.open.write_to(out);
        for l in &self.body {
            l.write_to(out);
        }
        self.close.write_to(out);
    }
}

/// A top-level item: a line outside any section (banner, comment, blank) or a section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A blank or `#` line outside sections.
    Line(Line),
    /// A section.
    Section(Section),
}

/// A whole `project.work` as lines and sections, in file order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProjectText {
    /// The items in file order.
    pub nodes: Vec<Node>,
}

/// Whether a line is blank (empty or only spaces/tabs).
fn is_blank(text: &[u8]) -> bool {
    text.iter().all(|&b| b == b' ' || b == b'\t')
}

/// `[NAME]` → `Some((false, NAME))`, `[/NAME]` → `Some((true, NAME))`.
fn tag(text: &[u8]) -> Option<(bool, &[u8])> {
    let inner = text.strip_prefix(b"[")?.strip_suffix(b"]")?;
    match inner.strip_prefix(b"/") {
        Some(name) => Some((true, name)),
        None => Some((false, inner)),
    }
}

/// A section name: 1..=64 bytes of `A-Z a-z 0-9 _ -`.
fn valid_name(name: &[u8]) -> bool {
    !name.is_empty() && name.len() <= 64 && name.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-')
}

/// Whether `key` can be written as the key of a `KEY=VALUE` line: 1..=64 bytes of printable
/// ASCII, no `=`, no `[`, not starting with `#`.
pub fn valid_key(key: &[u8]) -> bool {
    !key.is_empty()
        && key.len() <= 64
        && key.iter().all(|b| b.is_ascii_graphic() && *b != b'[' && *b != b'=')
        && key.first() != Some(&b'#')
}

fn text_error(line: usize, column: usize, message: impl Into<String>) -> OtError {
    OtError::Text { line, column, message: message.into() }
}

/// Splits bytes into lines with their endings and 1-based numbers.
fn split_lines(bytes: &[u8]) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut rest = bytes;
    let mut number = 1;
    while !rest.is_empty() {
        let (text, eol, next) = match rest.iter().position(|&b| b == b'\n') {
            Some(nl) => {
                let before = rest.get(..nl).unwrap_or_default();
                let after = rest.get(nl + 1..).unwrap_or_default();
                match before.strip_suffix(b"\r") {
                    Some(t) => (t, Eol::CrLf, after),
                    None => (before, Eol::Lf, after),
                }
            }
            None => (rest, Eol::None, &[][..]),
        };
        lines.push(Line { text: text.to_vec(), eol, number });
        number += 1;
        rest = next;
    }
    lines
}

impl ProjectText {
    /// Parses a whole file. Errors carry the line and column and say what is expected:
    /// text outside a section that is not blank or a `#` comment, a line inside a section that
    /// is not `KEY=VALUE`, a bad section name, a missing or mismatched closing tag.
    pub fn parse(bytes: &[u8]) -> Result<ProjectText, OtError> {
        let mut nodes = Vec::new();
        let mut open: Option<Section> = None;
        for line in split_lines(bytes) {
            let n = line.number;
            if let Some(section) = open.as_mut() {
                if let Some((closing, name)) = tag(&line.text) {
                    if closing && name == section.name.as_bytes() {
                        section.close = line;
                        if let Some(done) = open.take() {
                            nodes.push(Node::Section(done));
                        }
                        continue;
                    }
                    return Err(text_error(
                        n,
                        1,
                        format!(
                            "expected [/{}] to close the section opened at line {} before `{}`",
                            section.name,
                            section.open.number,
                            String::from_utf8_lossy(&line.text)
                        ),
                    ));
                }
                if is_blank(&line.text) || line.text.first() == Some(&b'#') {
                    section.body.push(line);
                    continue;
                }
                match line.key_value() {
                    Some((key, _)) if valid_key(key) => section.body.push(line),
                    Some(_) => {
                        return Err(text_error(
                            n,
                            1,
                            "invalid key before `=` (expected printable ASCII such as TEMPOx24)",
                        ));
                    }
                    None => {
                        return Err(text_error(
                            n,
                            line.text.len().max(1),
                            format!("expected KEY=VALUE inside [{}], found no `=`", section.name),
                        ));
                    }
                }
                continue;
            }
            // A byte-order mark some text editors add is kept as part of the first line.
            let bare = if n == 1 { line.text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&line.text) } else { &line.text };
            if is_blank(bare) || bare.first() == Some(&b'#') {
                nodes.push(Node::Line(line));
                continue;
            }
            match tag(&line.text) {
                Some((false, name)) if valid_name(name) => {
                    let name = String::from_utf8_lossy(name).into_owned();
                    let close = Line { text: Vec::new(), eol: Eol::None, number: 0 };
                    open = Some(Section { name, open: line, body: Vec::new(), close });
                }
                Some((false, _)) => {
                    return Err(text_error(n, 2, "invalid section name (expected letters, digits or `_`)"));
                }
                Some((true, name)) => {
                    return Err(text_error(
                        n,
                        1,
                        format!("closing tag [/{}] without an opening tag", String::from_utf8_lossy(name)),
                    ));
                }
                None => {
                    return Err(text_error(
                        n,
                        1,
                        "unexpected text outside a section (expected a [SECTION], a # comment or a blank line)",
                    ));
                }
            }
        }
        if let Some(section) = open {
            return Err(text_error(
                section.open.number,
                1,
                format!("section [{}] is never closed: add a [/{}] line", section.name, section.name),
            ));
        }
        Ok(ProjectText { nodes })
    }

    /// The file bytes: every line and line ending exactly as parsed or edited.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4096);
        for node in &self.nodes {
            match node {
                Node::Line(l) => l.write_to(&mut out),
                Node::Section(s) => s.write_to(&mut out),
            }
        }
        out
    }

    /// The sections, in order.
    pub fn sections(&self) -> impl Iterator<Item = &Section> {
        self.nodes.iter().filter_map(|n| match n {
            Node::Section(s) => Some(s),
            Node::Line(_) => None,
        })
    }

    /// The sections, mutable.
    pub fn sections_mut(&mut self) -> impl Iterator<Item = &mut Section> {
        self.nodes.iter_mut().filter_map(|n| match n {
            Node::Section(s) => Some(s),
            Node::Line(_) => None,
        })
    }

    /// The first section with this name.
    pub fn section(&self, name: &str) -> Option<&Section> {
        self.sections().find(|s| s.name == name)
    }

    /// The first section with this name, mutable.
    pub fn section_mut(&mut self, name: &str) -> Option<&mut Section> {
        self.sections_mut().find(|s| s.name == name)
    }
}

#[cfg(test)]
#[path = "project_tests.rs"]
mod tests;
