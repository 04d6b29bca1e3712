use super::*;

/// The described error of `line` (words after `groovekit`) against the real command tree.
fn described(line: &str) -> (ErrorKind, ArgError) {
    let argv: Vec<String> = line.split_whitespace().map(String::from).collect();
    let e = crate::command()
        .try_get_matches_from(std::iter::once("groovekit".to_string()).chain(argv.iter().cloned()))
        .expect_err(line);
    (e.kind(), describe(&e, &crate::command(), &argv))
}

#[test]
fn a_value_out_of_range_names_the_option_the_value_and_the_range() {
    let (kind, d) = described("ot slots MYSET/LIVE --bank 0");
    assert_eq!(kind, ErrorKind::ValueValidation);
    assert_eq!(d.message, "invalid value `0` for --bank: 0 is outside 1-16 (bank, or A-P)");
    assert!(d.hint.contains("--bank: only references in this bank (1-16 or A-P)"), "{}", d.hint);
    assert!(d.hint.contains("`groovekit ot slots --help`"), "{}", d.hint);
    // A message that quotes the value itself does not quote it twice.
    let (_, d) = described("ot slots MYSET/LIVE --bank Z");
    assert_eq!(d.message, "invalid value `Z` for --bank: banks are A-P (or 1-16)");
}

#[test]
fn each_kind_names_what_was_given() {
    let cases = [
        ("inspect --bogus x", ErrorKind::UnknownArgument, "unknown option `--bogus` for `groovekit inspect`"),
        ("diff a b c", ErrorKind::UnknownArgument, "one argument too many for `groovekit diff`: `c`"),
        ("inspect", ErrorKind::MissingRequiredArgument, "`groovekit inspect` needs `<FILE>`"),
        ("ot frob", ErrorKind::InvalidSubcommand, "unknown command `frob` for `groovekit ot`"),
        ("dump x --format xml", ErrorKind::InvalidValue, "invalid value `xml` for --format"),
        ("ot pattern x --bank", ErrorKind::InvalidValue, "--bank needs a value"),
        (
            "inspect x --json --json",
            ErrorKind::ArgumentConflict,
            "--json is given more than once (`--json`): once is enough",
        ),
        (
            "ot set MYSET --missing --unplayable",
            ErrorKind::ArgumentConflict,
            "--missing cannot be used with --unplayable",
        ),
    ];
    for (line, kind, message) in cases {
        let (k, d) = described(line);
        assert_eq!((k, d.message.as_str()), (kind, message), "{line}");
        assert!(d.hint.contains("--help` "), "{line}: {}", d.hint);
    }
}

#[test]
fn hints_say_what_to_do() {
    let (_, d) = described("dump x --format xml");
    assert!(d.hint.starts_with("did you mean `yaml`?; --format takes yaml or json"), "{}", d.hint);
    let (_, d) = described("inspect x --jsn");
    assert!(d.hint.starts_with("did you mean `--json`?"), "{}", d.hint);
    assert!(d.hint.contains("for example `groovekit inspect song.okta --json`"), "an example using it: {}", d.hint);
    // No tip on passing `--bogus` as a value (`-- --bogus`).
    let (_, d) = described("inspect --bogus x");
    assert!(!d.hint.contains("as a value"), "{}", d.hint);
    assert!(d.hint.starts_with("for example `groovekit inspect "), "{}", d.hint);
    // A shared verb under a format group points at the top-level command.
    let (_, d) = described("okt render song.okta -o song.wav");
    assert!(d.hint.starts_with("`groovekit render` works for every format"), "{}", d.hint);
    let (_, d) = described("ot frob");
    assert!(!d.hint.contains("works for every format"), "{}", d.hint);
    let (_, d) = described("ot slot MYSET/LIVE");
    assert!(d.hint.starts_with("did you mean `groovekit ot slots`, "), "{}", d.hint);
    assert!(d.hint.ends_with("`groovekit ot --help` lists its commands"), "{}", d.hint);
    let (_, d) = described("diff a");
    assert!(d.hint.contains("B: the second file; usage: `groovekit diff <A> <B>`"), "the synopsis: {}", d.hint);
}

/// Kinds the real tree cannot produce today, on a small command.
#[test]
fn value_counts_and_equals() {
    let cmd = || {
        clap::Command::new("groovekit")
            .arg(clap::Arg::new("pair").long("pair").num_args(2).help("Two numbers"))
            .arg(clap::Arg::new("eq").long("eq").require_equals(true))
    };
    let e = cmd().try_get_matches_from(["groovekit", "--pair", "1"]).unwrap_err();
    let d = describe(&e, &cmd(), &["--pair".into(), "1".into()]);
    assert_eq!(e.kind(), ErrorKind::WrongNumberOfValues);
    assert_eq!(d.message, "--pair takes 2 values, 1 given (`--pair <pair> <pair>`)");
    assert!(d.hint.contains("--pair: two numbers"), "{}", d.hint);
    let e = cmd().try_get_matches_from(["groovekit", "--eq", "3"]).unwrap_err();
    let d = describe(&e, &cmd(), &["--eq".into(), "3".into()]);
    assert_eq!((e.kind(), d.message.as_str()), (ErrorKind::NoEquals, "--eq needs `=` before its value"));
    assert!(d.hint.contains("write it as `--eq=VALUE`"), "{}", d.hint);
}
