//! Unit tests of `patch` (kept beside it, out of the library source).

use super::*;

#[test]
fn diff_then_apply_restores_the_target() {
    let base = vec![0u8; 100];
    let mut target = base.clone();
    target[3] = 1;
    target[9] = 2;
    target[60] = 0xFF;
    let p = diff(&base, &target, 0..98);
    assert_eq!(p.len(), 2, "{p:?}");
    assert_eq!(p[0], Patch { at: 3, hex: "01000000000002".into() });
    let mut out = base.clone();
    apply(&mut out, &p, 98).unwrap();
    assert_eq!(out, target);
    assert!(apply(&mut out, &[Patch { at: 97, hex: "0102".into() }], 98).is_err());
    assert!(apply(&mut out, &[Patch { at: 0, hex: "0g".into() }], 98).is_err());
}
