//! Unit tests of `assets` (kept beside it, out of the library source).

use super::*;

#[test]
fn manifest_lines() {
    let m = parse_manifest("# kit\nASSET_KICK drums/k.wav\n\nASSET_SN, s n.wav\n", Path::new("/x/assets.txt")).unwrap();
    assert_eq!(m.entries.get("ASSET_KICK"), Some(&PathBuf::from("/x/drums/k.wav")));
    assert_eq!(m.entries.get("ASSET_SN"), Some(&PathBuf::from("/x/s n.wav")));
    let e = parse_manifest("ASSET_A a.wav\nKICK k.wav\nASSET_B\n", Path::new("a.txt")).unwrap_err();
    let d = e.diagnostics();
    assert_eq!(d.len(), 2);
    assert_eq!((d[0].span.line, d[0].span.col), (2, 1));
    assert_eq!(d[1].span.line, 3);
}
