//! Unit tests of `project` (kept beside it, out of the library source).

use super::*;

#[test]
fn lines_sections_and_endings_survive() {
    let text = b"####\r\n# x\r\n\r\n[META]\r\nTYPE=A B\r\nV=1\r\n[/META]\r\n\r\n[S]\nK=1\nK=2\n[/S]";
    let p = ProjectText::parse(text).unwrap();
    assert_eq!(p.to_bytes(), text);
    let s = p.section("S").unwrap();
    let all: Vec<_> = s.get_all("K").map(|l| l.value().unwrap().to_vec()).collect();
    assert_eq!(all, vec![b"1".to_vec(), b"2".to_vec()]);
    assert_eq!(p.section("META").unwrap().get("TYPE").unwrap().value(), Some(&b"A B"[..]));
}

#[test]
fn errors_have_positions() {
    let e = ProjectText::parse(b"[META]\r\nA=1\r\n").unwrap_err().to_string();
    assert!(e.starts_with("line 1, column 1") && e.contains("never closed"), "{e}");
    let e = ProjectText::parse(b"[META]\r\nA=1\r\nnonsense\r\n[/META]\r\n").unwrap_err().to_string();
    assert!(e.starts_with("line 3,") && e.contains("KEY=VALUE"), "{e}");
    let e = ProjectText::parse(b"[A]\r\n[/B]\r\n").unwrap_err().to_string();
    assert!(e.starts_with("line 2, column 1") && e.contains("[/A]"), "{e}");
    let e = ProjectText::parse(b"\r\nhello\r\n").unwrap_err().to_string();
    assert!(e.starts_with("line 2, column 1"), "{e}");
}

#[test]
fn a_byte_order_mark_before_the_banner_is_kept() {
    let text = b"\xEF\xBB\xBF####\r\n[META]\r\nA=1\r\n[/META]\r\n";
    assert_eq!(ProjectText::parse(text).unwrap().to_bytes(), text);
}

#[test]
fn set_changes_one_line() {
    let text = b"[S]\r\nA=1\r\nB=2\r\n[/S]\r\n";
    let mut p = ProjectText::parse(text).unwrap();
    p.section_mut("S").unwrap().set("B", b"30");
    assert_eq!(p.to_bytes(), b"[S]\r\nA=1\r\nB=30\r\n[/S]\r\n");
    p.section_mut("S").unwrap().set("C", b"x");
    assert_eq!(p.to_bytes(), b"[S]\r\nA=1\r\nB=30\r\nC=x\r\n[/S]\r\n");
}
