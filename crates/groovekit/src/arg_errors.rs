//! Argument errors in the style of every other error (issue 24, item 4).
//!
//! clap finds what is wrong with the arguments; this module says it the way groovekit says a data
//! error, through miette: one message naming the argument and the value given (what, where), and
//! a `help:` line saying what to do (the values or range it takes, a suggestion when clap has
//! one, an example of the command that uses the argument, and `groovekit <command> --help`).
//! The words come from clap's error context (`clap::Error::get`), never from parsing its text.
//! clap's `tip:` lines become part of the help; its `Usage:` block is dropped, as data errors have
//! none, except that a missing or extra positional argument gets the command's synopsis in its
//! help, since the shape of the command line is then the answer.

use clap::error::{ContextKind, ContextValue, ErrorKind};

/// An argument error: the message (the `×` line) and what to do (the `help:` line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgError {
    /// What is wrong, naming the argument and the value given.
    pub message: String,
    /// What to do.
    pub hint: String,
}

impl std::fmt::Display for ArgError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ArgError {}

impl miette::Diagnostic for ArgError {
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(&self.hint))
    }
}

/// A context value as text (`None` when clap did not record it).
/// clap's tips, without the one on passing a dash-led word as a value (`use '-- --bogus'`): a
/// file named like an option is not what a musician who mistyped an option has.
fn tips(e: &clap::Error) -> Option<String> {
    let all = text(e, ContextKind::Suggested)?;
    let kept: Vec<&str> = all.split("; ").filter(|t| !t.contains("as a value, use '--")).collect();
    (!kept.is_empty()).then(|| kept.join("; "))
}

fn text(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) if !v.is_empty() => Some(v.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) if !v.is_empty() => {
            Some(v.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))
        }
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A context value as a list of strings.
fn list(e: &clap::Error, kind: ContextKind) -> Vec<String> {
    match e.get(kind) {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(v)) => v.clone(),
        _ => Vec::new(),
    }
}

/// The commands named on the command line (`["ot", "slots"]`), found by walking `argv` (without
/// the program name) down `root`'s tree.
fn command_path(root: &clap::Command, argv: &[String]) -> Vec<String> {
    let mut path = Vec::new();
    let mut cmd = root;
    for a in argv {
        if a == "--" {
            break;
        }
        if let Some(sub) = cmd.find_subcommand(a) {
            path.push(sub.get_name().to_string());
            cmd = sub;
        }
    }
    path
}

/// The commands along `path`, from the root.
fn commands<'a>(root: &'a clap::Command, path: &[String]) -> Vec<&'a clap::Command> {
    let mut out = vec![root];
    let mut cmd = root;
    for name in path {
        match cmd.find_subcommand(name) {
            Some(sub) => {
                out.push(sub);
                cmd = sub;
            }
            None => break,
        }
    }
    out
}

/// The argument that clap names `shown` (`--bank <BANK>`, `<FILE>`, `--json`), on the command or
/// (a global option) one of its parents.
fn find_arg<'a>(chain: &[&'a clap::Command], shown: &str) -> Option<&'a clap::Arg> {
    let first = shown.split([' ', '=']).next().unwrap_or(shown);
    chain.iter().rev().flat_map(|c| c.get_arguments()).find(|a| {
        a.to_string() == shown
            || a.get_long().is_some_and(|l| first == format!("--{l}"))
            || a.get_short().is_some_and(|s| first == format!("-{s}"))
    })
}

/// How an argument is named in a message: `--bank`, or `PROJECT` for a positional.
fn arg_name(shown: &str, arg: Option<&clap::Arg>) -> String {
    if let Some(a) = arg {
        if let Some(l) = a.get_long() {
            return format!("--{l}");
        }
        if let Some(s) = a.get_short() {
            return format!("-{s}");
        }
        if let Some(v) = a.get_value_names().and_then(|v| v.first()) {
            return v.to_string();
        }
    }
    let first = shown.split([' ', '=']).next().unwrap_or(shown);
    first.trim_start_matches('<').trim_end_matches("...").trim_end_matches('>').to_string()
}

/// The first sentence of an argument's help, as a clause (`only references in this bank (1-16 or
/// A-P)`).
fn arg_help(arg: &clap::Arg) -> Option<String> {
    let help = arg.get_help()?.to_string();
    let first = help.split(". ").next().unwrap_or(&help).trim().trim_end_matches('.');
    let mut chars = first.chars();
    let head = chars.next()?;
    let second = chars.clone().next();
    // Lower-case a sentence's capital, not an acronym's (`MIDI`).
    let head = if second.is_some_and(char::is_lowercase) { head.to_lowercase().collect() } else { head.to_string() };
    Some(format!("{head}{}", chars.as_str()))
}

/// One of the command's help examples, preferring one that uses `flag`.
fn example(cmd: &clap::Command, flag: Option<&str>) -> Option<String> {
    let after = cmd.get_after_help()?.to_string();
    let lines: Vec<&str> = after.lines().map(str::trim).filter(|l| l.starts_with("groovekit ")).collect();
    let uses = |l: &&&str| flag.is_some_and(|f| l.split_whitespace().any(|w| w == f));
    lines.iter().find(uses).or(lines.first()).map(|l| l.to_string())
}

/// `a, b or c`.
fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// The message and hint of a clap error for the command line `argv` (without the program name),
/// against the command tree `root` (built with its examples).
pub fn describe(e: &clap::Error, root: &clap::Command, argv: &[String]) -> ArgError {
    // Built, so that every argument can be shown as clap shows it (`--bank <BANK>`).
    let mut root = root.clone();
    root.build();
    let root = &root;
    let path = command_path(root, argv);
    let chain = commands(root, &path);
    let cmd = chain.last().copied().unwrap_or(root);
    let program = std::iter::once("groovekit".to_string()).chain(path.iter().cloned()).collect::<Vec<_>>().join(" ");
    let shown = text(e, ContextKind::InvalidArg).unwrap_or_default();
    let arg = find_arg(&chain, &shown);
    let name = arg_name(&shown, arg);
    let value = text(e, ContextKind::InvalidValue);
    let usage = text(e, ContextKind::Usage).map(|u| u.trim().trim_start_matches("Usage:").trim().to_string());
    let mut hints: Vec<String> = Vec::new();
    let suggest = |hints: &mut Vec<String>, what: Option<String>| {
        if let Some(s) = what.filter(|s| !s.is_empty()) {
            hints.push(format!("did you mean `{s}`?"));
        }
    };
    let message = match e.kind() {
        ErrorKind::ValueValidation => {
            let v = value.unwrap_or_default();
            // Our parsers' messages (cmd::args) say what is wrong and the range; most quote the value.
            let why = std::error::Error::source(e).map(ToString::to_string).unwrap_or_default();
            let why = why.strip_prefix(&format!("`{v}`: ")).unwrap_or(&why).to_string();
            if why.contains(&format!("`{v}`")) {
                format!("invalid value for {name}: {why}")
            } else {
                format!("invalid value `{v}` for {name}: {why}")
            }
        }
        ErrorKind::InvalidValue => {
            let valid = list(e, ContextKind::ValidValue);
            match value.filter(|v| !v.is_empty()) {
                None => {
                    if !valid.is_empty() {
                        hints.push(format!("{name} takes {}", or_list(&valid)));
                    }
                    format!("{name} needs a value")
                }
                Some(v) => {
                    suggest(&mut hints, text(e, ContextKind::SuggestedValue));
                    if !valid.is_empty() {
                        hints.push(format!("{name} takes {}", or_list(&valid)));
                    }
                    format!("invalid value `{v}` for {name}")
                }
            }
        }
        ErrorKind::UnknownArgument => {
            suggest(&mut hints, text(e, ContextKind::SuggestedArg));
            if let Some(tips) = tips(e) {
                hints.push(tips);
            }
            if shown.starts_with('-') {
                format!("unknown option `{shown}` for `{program}`")
            } else {
                if let Some(u) = &usage {
                    hints.push(format!("usage: `{u}`"));
                }
                format!("one argument too many for `{program}`: `{shown}`")
            }
        }
        ErrorKind::MissingRequiredArgument => {
            let missing = list(e, ContextKind::InvalidArg);
            let names: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
            if let [one] = missing.as_slice()
                && let Some(h) = find_arg(&chain, one).and_then(arg_help)
            {
                hints.push(format!("{}: {h}", arg_name(one, find_arg(&chain, one))));
            }
            if let Some(u) = &usage {
                hints.push(format!("usage: `{u}`"));
            }
            format!("`{program}` needs {}", names.join(" and "))
        }
        ErrorKind::InvalidSubcommand => {
            let bad = text(e, ContextKind::InvalidSubcommand).unwrap_or_default();
            // clap lists its suggestions from the least to the most likely.
            let subs: Vec<String> =
                list(e, ContextKind::SuggestedSubcommand).iter().rev().map(|s| format!("`{program} {s}`")).collect();
            if !subs.is_empty() {
                hints.push(format!("did you mean {}?", or_list(&subs)));
            } else if !path.is_empty() && root.find_subcommand(&bad).is_some() {
                // `groovekit okt render`: the verbs every format shares are top-level commands
                // that detect the kind by content.
                hints.push(format!("`groovekit {bad}` works for every format (the kind is read from the file)"));
            }
            if let Some(tips) = tips(e) {
                hints.push(tips);
            }
            format!("unknown command `{bad}` for `{program}`")
        }
        ErrorKind::ArgumentConflict => {
            let prior = list(e, ContextKind::PriorArg);
            let shown =
                if shown.is_empty() { text(e, ContextKind::InvalidSubcommand).unwrap_or_default() } else { shown };
            let first = arg_name(&shown, arg);
            if prior.is_empty() || prior.iter().all(|p| *p == shown) {
                format!("{first} is given more than once (`{shown}`): once is enough")
            } else {
                let others: Vec<String> = prior.iter().map(|p| arg_name(p, find_arg(&chain, p))).collect();
                hints.push(format!("give {first} or {}, not both", or_list(&others)));
                format!("{first} cannot be used with {}", or_list(&others))
            }
        }
        ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            let expected = text(e, ContextKind::ExpectedNumValues)
                .or_else(|| text(e, ContextKind::MinValues).map(|n| format!("at least {n}")))
                .unwrap_or_default();
            let actual = text(e, ContextKind::ActualNumValues).unwrap_or_default();
            format!("{name} takes {expected} values, {actual} given (`{shown}`)")
        }
        ErrorKind::TooManyValues => {
            format!("too many values for {name}: `{}`", value.unwrap_or_default())
        }
        ErrorKind::NoEquals => {
            hints.push(format!("write it as `{name}=VALUE`"));
            format!("{name} needs `=` before its value")
        }
        ErrorKind::InvalidUtf8 => "an argument is not valid UTF-8 text".to_string(),
        _ => {
            // Kinds a user cannot reach from this tree (missing subcommand prints the help): clap's
            // own first line, without its prefix.
            let rendered = e.render().to_string();
            let line = rendered.lines().next().unwrap_or_default();
            line.strip_prefix("error: ").unwrap_or(line).to_string()
        }
    };
    let listed = !list(e, ContextKind::ValidValue).is_empty();
    if matches!(e.kind(), ErrorKind::ValueValidation | ErrorKind::InvalidValue | ErrorKind::WrongNumberOfValues)
        && !listed
        && let Some(h) = arg.and_then(arg_help)
    {
        hints.push(format!("{name}: {h}"));
    }
    // The example uses the option at fault, or the one clap suggests instead.
    let suggested = text(e, ContextKind::SuggestedArg);
    let flag = suggested.as_deref().or(name.starts_with('-').then_some(name.as_str()));
    if let Some(ex) = example(cmd, flag) {
        hints.push(format!("for example `{ex}`"));
    }
    hints.push(if e.kind() == ErrorKind::InvalidSubcommand {
        format!("`{program} --help` lists its commands")
    } else {
        format!("`{program} --help` shows every option")
    });
    ArgError { message, hint: hints.join("; ") }
}

#[cfg(test)]
#[path = "arg_errors_tests.rs"]
mod tests;
