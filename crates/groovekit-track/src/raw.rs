//! The text layout of a `.track` song: lines, tokens, comments and statements, each with its
//! span. This layer checks syntax only (what a line says); [`crate::model`] checks meaning.
//!
//! Tokens are separated by commas and/or whitespace. `#` starts a comment at the start of a line
//! or after whitespace; inside a token (`NOTE_A#3`) it is part of the token.

use crate::error::{Diagnostic, Span};

/// Largest song text accepted, in bytes (a long song is a few hundred kilobytes).
pub const MAX_TEXT_BYTES: usize = 16 << 20;
/// Longest line accepted, in bytes.
pub const MAX_LINE_BYTES: usize = 4096;

/// A number as written, with its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Num {
    /// The text in the file (kept so that formatting never changes a value).
    pub text: String,
    /// The value.
    pub value: f64,
    /// Where it is.
    pub span: Span,
}

/// A name (sample or pattern) as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    /// The name.
    pub text: String,
    /// Where it is.
    pub span: Span,
}

/// The parameters of a generated tone, as written in `SAMPLE NAME, freq, dur, amp, attack,
/// harmonics, decay`.
#[derive(Debug, Clone, PartialEq)]
pub struct ToneFields {
    /// Frequency in Hz.
    pub freq: Num,
    /// Duration in seconds.
    pub dur: Num,
    /// Peak amplitude (linear).
    pub amp: Num,
    /// Attack time in seconds.
    pub attack: Num,
    /// Number of harmonics.
    pub harmonics: Num,
    /// Decay time constant in seconds.
    pub decay: Num,
}

/// What one line says.
#[derive(Debug, Clone, PartialEq)]
pub enum Statement {
    /// `BPM <tempo>`.
    Bpm {
        /// The tempo.
        bpm: Num,
    },
    /// `SAMPLE <name> [, freq, dur, amp, attack, harmonics, decay] [OFFSET <sec>]`.
    Sample {
        /// The sample name.
        name: Ident,
        /// The generator parameters of the long form.
        tone: Option<Box<ToneFields>>,
        /// `OFFSET <sec>`: start the sample this much earlier.
        offset: Option<Num>,
    },
    /// `PATTERN <name> [LENGTH <units>]`.
    Pattern {
        /// The pattern name.
        name: Ident,
        /// The length in units, when written.
        length: Option<Num>,
    },
    /// `<time>, <sample>, <volume>, <pan>` inside a pattern.
    Event {
        /// Units from the pattern's trigger.
        time: Num,
        /// Sample name.
        sample: Ident,
        /// Linear gain.
        volume: Num,
        /// Pan in [-1, 1].
        pan: Num,
    },
    /// `SCORE`.
    Score,
    /// `<time>, <pattern>` inside the score.
    Trigger {
        /// Units from the start of the song.
        time: Num,
        /// Pattern name.
        pattern: Ident,
    },
    /// `HUMANIZE SEED <n> TIMING <pct> VOLUME <pct>`.
    Humanize {
        /// The seed (a non-negative integer).
        seed: Num,
        /// Timing jitter, percent of a beat.
        timing: Num,
        /// Volume jitter, percent.
        volume: Num,
    },
}

/// One line of the song.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// 1-based line number.
    pub number: u32,
    /// The statement, or `None` for a blank or comment-only line (or a line with a syntax error).
    pub statement: Option<Statement>,
    /// The comment, from its `#` to the end of the line (trailing whitespace removed).
    pub comment: Option<String>,
    /// The span of the whole line (without its line break).
    pub span: Span,
}

/// A parsed song text: every line, in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    /// The lines.
    pub lines: Vec<Line>,
}

/// A token of a line, with its byte offset in the whole text.
#[derive(Debug, Clone, Copy)]
struct Tok<'a> {
    text: &'a str,
    start: usize,
}

/// Which block data lines belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    None,
    Pattern,
    Score,
}

/// The statement keywords, for messages and suggestions.
pub const KEYWORDS: [&str; 5] = ["BPM", "SAMPLE", "PATTERN", "SCORE", "HUMANIZE"];

/// Whether `bytes` read as a `.track` song by content: UTF-8 text whose first statement (after
/// comments and blank lines) starts with a keyword. Detection without a file name (uploads,
/// `groovekit.detect_bytes`); a file named `*.track` is a song whatever it holds.
pub fn looks_like_song(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else { return false };
    let first = text
        .lines()
        .map(|l| split_comment(l).0.trim())
        .find(|l| !l.is_empty())
        .and_then(|l| l.split_whitespace().next());
    first.is_some_and(|w| KEYWORDS.contains(&w))
}

struct LineCtx<'a> {
    line_no: u32,
    line_start: usize,
    line: &'a str,
    diags: &'a mut Vec<Diagnostic>,
}

impl LineCtx<'_> {
    fn span(&self, start: usize, len: usize) -> Span {
        let rel = start.saturating_sub(self.line_start);
        let col = self.line.get(..rel).map(|s| s.chars().count()).unwrap_or(rel) + 1;
        Span { start, end: start + len, line: self.line_no, col: u32::try_from(col).unwrap_or(u32::MAX) }
    }

    fn tok_span(&self, t: Tok<'_>) -> Span {
        self.span(t.start, t.text.len())
    }

    fn end_span(&self) -> Span {
        self.span(self.line_start + self.line.len(), 0)
    }

    fn err(&mut self, span: Span, msg: impl Into<String>) {
        self.diags.push(Diagnostic::error(span, msg));
    }

    fn num(&mut self, t: Tok<'_>, what: &str) -> Option<Num> {
        let span = self.tok_span(t);
        match parse_number(t.text) {
            Some(value) => Some(Num { text: t.text.to_string(), value, span }),
            None => {
                self.diags.push(
                    Diagnostic::error(span, format!("{what}: `{}` is not a number", t.text))
                        .with_help("write a decimal number such as 0.25 or 120"),
                );
                None
            }
        }
    }

    fn ident(&mut self, t: Tok<'_>, what: &str) -> Option<Ident> {
        let span = self.tok_span(t);
        let first = t.text.chars().next().unwrap_or('0');
        if first.is_ascii_digit() || matches!(first, '+' | '-' | '.') {
            self.err(span, format!("{what}: `{}` is not a name (names start with a letter or `_`)", t.text));
            return None;
        }
        Some(Ident { text: t.text.to_string(), span })
    }
}

/// Parses a decimal number: optional sign, digits with an optional fraction, optional exponent.
/// `inf`, `nan`, hex and values that overflow to infinity are refused.
pub fn parse_number(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let mut digits = 0;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
        digits += 1;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
            digits += 1;
        }
    }
    if digits == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let mut exp = 0;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
            exp += 1;
        }
        if exp == 0 {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Splits a line into its content and its comment (from the `#` that starts it). A `#` starts a
/// comment where a token would start: at the start of the line, after whitespace or after a
/// comma. No token may begin with `#` (numbers and names do not), so this takes nothing away,
/// and `0.25,#x` and `0.25, #x` mean the same (issue 23, item 9: before, the first read as a
/// sample named `#x` and its formatted form, with `, `, as a comment, so `fmt` changed the song).
/// Inside a token `#` is part of it (`NOTE_A#3`).
pub fn split_comment(line: &str) -> (&str, Option<&str>) {
    let mut token_start = true;
    for (i, c) in line.char_indices() {
        if c == '#' && token_start {
            return (line.get(..i).unwrap_or(""), line.get(i..));
        }
        token_start = c.is_whitespace() || c == ',';
    }
    (line, None)
}

/// Splits `content` (starting at byte `base` of the text) into tokens separated by commas
/// and/or whitespace. Reports empty fields (`1,,2`, a leading or trailing comma).
fn tokenize<'a>(ctx: &mut LineCtx<'_>, content: &'a str, base: usize, comment_follows: bool) -> Vec<Tok<'a>> {
    let mut toks = Vec::new();
    let mut start: Option<usize> = None;
    // Whether a token was seen since the last comma (or the line start).
    let mut field_open = false;
    let mut any_token = false;
    for (i, c) in content.char_indices() {
        let sep = c == ',' || c.is_whitespace();
        if sep {
            if let Some(s) = start.take() {
                toks.push(Tok { text: content.get(s..i).unwrap_or(""), start: base + s });
                field_open = true;
                any_token = true;
            }
            if c == ',' {
                if !field_open {
                    let sp = ctx.span(base + i, 1);
                    ctx.err(sp, "empty field before this comma");
                }
                field_open = false;
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        toks.push(Tok { text: content.get(s..).unwrap_or(""), start: base + s });
        field_open = true;
        any_token = true;
    }
    if any_token && !field_open {
        let sp = ctx.span(base + content.trim_end().len().saturating_sub(1), 1);
        let mut d = Diagnostic::error(sp, "trailing comma: a field is missing after it");
        if comment_follows && content.ends_with(',') {
            d = d
                .with_help("a `#` right after a comma starts a comment; a sharp belongs inside a note name (NOTE_A#3)");
        }
        ctx.diags.push(d);
    }
    toks
}

/// Parses a song text. Returns every line (with its statement when it parsed) and every syntax
/// problem. Never panics; lines longer than [`MAX_LINE_BYTES`] and texts larger than
/// [`MAX_TEXT_BYTES`] are refused with a diagnostic.
pub fn parse(text: &str) -> (Document, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut doc = Document::default();
    if text.len() > MAX_TEXT_BYTES {
        diags.push(
            Diagnostic::error(
                Span { start: 0, end: 0, line: 1, col: 1 },
                format!("the song is {} bytes; the limit is {MAX_TEXT_BYTES}", text.len()),
            )
            .with_help("split the song or check that this is a .track file"),
        );
        return (doc, diags);
    }
    let mut block = Block::None;
    let mut offset = 0usize;
    for (idx, raw_line) in text.split('\n').enumerate() {
        let line_start = offset;
        offset += raw_line.len() + 1;
        let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
        let number = u32::try_from(idx + 1).unwrap_or(u32::MAX);
        // A final empty piece after the last line break is not a line.
        if idx > 0 && line_start >= text.len() && line.is_empty() {
            break;
        }
        let mut ctx = LineCtx { line_no: number, line_start, line, diags: &mut diags };
        let span = ctx.span(line_start, line.len());
        if line.len() > MAX_LINE_BYTES {
            ctx.err(span, format!("line is {} bytes long; the limit is {MAX_LINE_BYTES}", line.len()));
            doc.lines.push(Line { number, statement: None, comment: None, span });
            continue;
        }
        let (content, comment) = split_comment(line);
        let comment = comment.map(|c| c.trim_end().to_string());
        let toks = tokenize(&mut ctx, content, line_start, comment.is_some());
        let statement = if toks.is_empty() { None } else { parse_statement(&mut ctx, &toks, &mut block) };
        doc.lines.push(Line { number, statement, comment, span });
    }
    (doc, diags)
}

fn parse_statement(ctx: &mut LineCtx<'_>, toks: &[Tok<'_>], block: &mut Block) -> Option<Statement> {
    let first = *toks.first()?;
    let keyword = first.text.to_ascii_uppercase();
    let args = toks.get(1..).unwrap_or(&[]);
    match keyword.as_str() {
        "BPM" => {
            *block = Block::None;
            let [bpm] = expect_args::<1>(ctx, first, args, "BPM <tempo>")?;
            Some(Statement::Bpm { bpm: ctx.num(bpm, "BPM")? })
        }
        "SCORE" => {
            *block = Block::Score;
            if let Some(extra) = args.first() {
                let sp = ctx.tok_span(*extra);
                ctx.err(sp, "SCORE takes no arguments; put each trigger `<time>, <pattern>` on its own line");
            }
            Some(Statement::Score)
        }
        "PATTERN" => {
            *block = Block::Pattern;
            parse_pattern(ctx, first, args)
        }
        "SAMPLE" => {
            *block = Block::None;
            parse_sample(ctx, first, args)
        }
        "HUMANIZE" => {
            *block = Block::None;
            parse_humanize(ctx, first, args)
        }
        _ => {
            let c = first.text.chars().next().unwrap_or('x');
            if c.is_ascii_digit() || matches!(c, '.' | '-' | '+') {
                match *block {
                    Block::Pattern => {
                        let [t, s, v, p] =
                            expect_args_n::<4>(ctx, toks, "`<time>, <sample>, <volume>, <pan>` in a pattern")?;
                        let time = ctx.num(t, "event time");
                        let sample = ctx.ident(s, "sample");
                        let volume = ctx.num(v, "volume");
                        let pan = ctx.num(p, "pan");
                        Some(Statement::Event { time: time?, sample: sample?, volume: volume?, pan: pan? })
                    }
                    Block::Score => {
                        let [t, p] = expect_args_n::<2>(ctx, toks, "`<time>, <pattern>` in the score")?;
                        let time = ctx.num(t, "trigger time");
                        let pattern = ctx.ident(p, "pattern");
                        Some(Statement::Trigger { time: time?, pattern: pattern? })
                    }
                    Block::None => {
                        let sp = ctx.tok_span(first);
                        ctx.diags.push(
                            Diagnostic::error(sp, "a `<time>, ...` line outside a PATTERN or SCORE block")
                                .with_help("put events after a `PATTERN <name>` line and triggers after `SCORE`"),
                        );
                        None
                    }
                }
            } else {
                let sp = ctx.tok_span(first);
                let near = crate::ops::nearest(&keyword, KEYWORDS.iter().copied());
                let mut d = Diagnostic::error(sp, format!("unknown statement `{}`", first.text));
                d = d.with_help(if near.is_empty() {
                    "a line is BPM, SAMPLE, PATTERN, SCORE, HUMANIZE, or `<time>, ...` inside a block".to_string()
                } else {
                    format!("did you mean {}?", near.join(", "))
                });
                ctx.diags.push(d);
                None
            }
        }
    }
}

/// Checks that a statement has exactly `N` arguments.
fn expect_args<'a, const N: usize>(
    ctx: &mut LineCtx<'_>,
    head: Tok<'_>,
    args: &[Tok<'a>],
    form: &str,
) -> Option<[Tok<'a>; N]> {
    match <[Tok<'a>; N]>::try_from(args) {
        Ok(a) => Some(a),
        Err(_) => {
            let sp = match args.get(N) {
                Some(extra) => ctx.tok_span(*extra),
                None => ctx.tok_span(head),
            };
            ctx.err(sp, format!("expected `{form}` ({N} value(s) after the keyword), found {}", args.len()));
            None
        }
    }
}

/// Checks that a data line has exactly `N` fields.
fn expect_args_n<'a, const N: usize>(ctx: &mut LineCtx<'_>, toks: &[Tok<'a>], form: &str) -> Option<[Tok<'a>; N]> {
    match <[Tok<'a>; N]>::try_from(toks) {
        Ok(a) => Some(a),
        Err(_) => {
            let sp = match toks.get(N) {
                Some(extra) => ctx.tok_span(*extra),
                None => ctx.end_span(),
            };
            ctx.err(sp, format!("expected {form}: {N} fields, found {}", toks.len()));
            None
        }
    }
}

fn parse_pattern(ctx: &mut LineCtx<'_>, head: Tok<'_>, args: &[Tok<'_>]) -> Option<Statement> {
    let Some(name_tok) = args.first() else {
        let sp = ctx.tok_span(head);
        ctx.err(sp, "PATTERN needs a name: `PATTERN <name> [LENGTH <units>]`");
        return None;
    };
    let name = ctx.ident(*name_tok, "pattern name");
    let rest = args.get(1..).unwrap_or(&[]);
    let length = match rest {
        [] => None,
        [kw, value] if kw.text.eq_ignore_ascii_case("LENGTH") => Some(ctx.num(*value, "LENGTH")?),
        [kw, ..] if !kw.text.eq_ignore_ascii_case("LENGTH") => {
            let sp = ctx.tok_span(*kw);
            ctx.err(sp, format!("unexpected `{}`: expected `LENGTH <units>`", kw.text));
            return None;
        }
        _ => {
            let sp = rest.get(2).map(|t| ctx.tok_span(*t)).unwrap_or_else(|| ctx.end_span());
            ctx.err(sp, "expected `PATTERN <name> LENGTH <units>` (one number after LENGTH)");
            return None;
        }
    };
    Some(Statement::Pattern { name: name?, length })
}

fn parse_sample(ctx: &mut LineCtx<'_>, head: Tok<'_>, args: &[Tok<'_>]) -> Option<Statement> {
    let Some(name_tok) = args.first() else {
        let sp = ctx.tok_span(head);
        ctx.err(
            sp,
            "SAMPLE needs a name: `SAMPLE <name>` or `SAMPLE <name>, freq, dur, amp, attack, harmonics, decay`",
        );
        return None;
    };
    let name = ctx.ident(*name_tok, "sample name");
    let mut rest = args.get(1..).unwrap_or(&[]);
    let mut offset = None;
    let mut bad = false;
    if let Some(pos) = rest.iter().position(|t| t.text.eq_ignore_ascii_case("OFFSET")) {
        let after = rest.get(pos + 1..).unwrap_or(&[]);
        match after {
            [v] => offset = ctx.num(*v, "OFFSET"),
            _ => {
                let sp = ctx.tok_span(rest.get(pos).copied().unwrap_or(head));
                ctx.err(sp, "OFFSET takes one value in seconds and ends the line: `OFFSET <sec>`");
                bad = true;
            }
        }
        rest = rest.get(..pos).unwrap_or(&[]);
    }
    let tone = match rest {
        [] => None,
        [f, d, a, at, h, de] => {
            let fields = (
                ctx.num(*f, "frequency"),
                ctx.num(*d, "duration"),
                ctx.num(*a, "amplitude"),
                ctx.num(*at, "attack"),
                ctx.num(*h, "harmonics"),
                ctx.num(*de, "decay"),
            );
            match fields {
                (Some(freq), Some(dur), Some(amp), Some(attack), Some(harmonics), Some(decay)) => {
                    Some(Box::new(ToneFields { freq, dur, amp, attack, harmonics, decay }))
                }
                _ => return None,
            }
        }
        _ => {
            let sp = rest.first().map(|t| ctx.tok_span(*t)).unwrap_or_else(|| ctx.end_span());
            ctx.err(
                sp,
                format!(
                    "SAMPLE takes a name alone or a name and 6 values (freq, dur, amp, attack, harmonics, decay); found {} value(s)",
                    rest.len()
                ),
            );
            return None;
        }
    };
    if bad {
        return None;
    }
    Some(Statement::Sample { name: name?, tone, offset })
}

fn parse_humanize(ctx: &mut LineCtx<'_>, head: Tok<'_>, args: &[Tok<'_>]) -> Option<Statement> {
    let form = "HUMANIZE SEED <n> TIMING <pct> VOLUME <pct>";
    let mut seed = None;
    let mut timing = None;
    let mut volume = None;
    let mut it = args.chunks(2);
    let mut ok = true;
    for pair in it.by_ref() {
        let [key, value] = pair else {
            let sp = pair.first().map(|t| ctx.tok_span(*t)).unwrap_or_else(|| ctx.tok_span(head));
            ctx.err(sp, format!("a value is missing: expected `{form}`"));
            ok = false;
            break;
        };
        let slot = match key.text.to_ascii_uppercase().as_str() {
            "SEED" => &mut seed,
            "TIMING" => &mut timing,
            "VOLUME" => &mut volume,
            _ => {
                let sp = ctx.tok_span(*key);
                ctx.err(sp, format!("unexpected `{}`: expected `{form}`", key.text));
                ok = false;
                continue;
            }
        };
        if slot.is_some() {
            let sp = ctx.tok_span(*key);
            ctx.err(sp, format!("`{}` is given twice", key.text));
            ok = false;
        }
        *slot = ctx.num(*value, &key.text.to_ascii_uppercase());
        ok &= slot.is_some();
    }
    if !ok {
        return None;
    }
    let zero = |ctx: &LineCtx<'_>| Num { text: "0".into(), value: 0.0, span: ctx.tok_span(head) };
    let seed = seed.unwrap_or_else(|| zero(ctx));
    let timing = timing.unwrap_or_else(|| zero(ctx));
    let volume = volume.unwrap_or_else(|| zero(ctx));
    Some(Statement::Humanize { seed, timing, volume })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_inside_a_token_is_not_a_comment() {
        assert_eq!(split_comment("0.75, NOTE_A#4, 0.6, 0.0"), ("0.75, NOTE_A#4, 0.6, 0.0", None));
        assert_eq!(split_comment("0.0, x # c"), ("0.0, x ", Some("# c")));
        assert_eq!(split_comment("# all"), ("", Some("# all")));
        // Issue 23, item 9: after a comma too, as after a space (no token starts with `#`).
        assert_eq!(split_comment("x,# y"), ("x,", Some("# y")));
        assert_eq!(split_comment("x,y#z"), ("x,y#z", None));
    }

    #[test]
    fn numbers_are_strict() {
        assert_eq!(parse_number("0.25"), Some(0.25));
        assert_eq!(parse_number("-1"), Some(-1.0));
        assert_eq!(parse_number(".5"), Some(0.5));
        assert_eq!(parse_number("1e2"), Some(100.0));
        for bad in ["", ".", "inf", "nan", "1e999", "0x10", "1.2.3", "1e", "+"] {
            assert_eq!(parse_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn spans_have_line_and_column() {
        let (doc, d) = parse("PATTERN p\n0.5, ASSET_K, x, 0\n");
        assert_eq!(doc.lines.len(), 2);
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].span.line, d[0].span.col), (2, 15));
        assert_eq!(d[0].span.start, 10 + 14);
    }

    #[test]
    fn data_outside_a_block_and_empty_fields_are_errors() {
        let (_, d) = parse("0.0, p\n");
        assert_eq!(d.len(), 1);
        let (_, d) = parse("SCORE\n0.0,, p\n1.0, p,\n");
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!((d[0].span.line, d[0].span.col), (2, 5));
        assert_eq!((d[1].span.line, d[1].span.col), (3, 7));
    }
}
