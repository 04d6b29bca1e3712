use super::*;

#[test]
fn failed_counts_open_problems_and_empty_checks() {
    let p = Path::new("a.bin");
    let mut r = Report::default();
    assert!(r.failed(), "nothing checked is a failure");
    r.checked.push((p.to_path_buf(), "x".into()));
    assert!(!r.failed());
    r.warnings.push(Problem::new(p, "w"));
    r.notes.push(Problem::new(p, "n"));
    r.unrecognised.push(Problem::new(Path::new("b.txt"), "u"));
    assert!(!r.failed(), "warnings, notes and unrecognised files do not fail a check");
    let mut fixed = Problem::at(p, 7, "checksum");
    fixed.fixed = true;
    r.problems.push(fixed);
    assert!(!r.failed());
    let mut other = Report::default();
    other.problems.push(Problem::at(p, 3, "bad"));
    r.merge(other);
    assert_eq!(r.open_problems(), 1);
    assert!(r.failed());
    assert_eq!(r.problems[1].line(), "a.bin @3: bad");
}
