//! Unit tests of `opz` (kept beside it, out of the library source).

use super::*;

#[test]
fn pattern_refs() {
    assert_eq!(split_pattern_ref("a/p.opz:3").unwrap(), (PathBuf::from("a/p.opz"), Some(2)));
    assert_eq!(split_pattern_ref("p.opz").unwrap(), (PathBuf::from("p.opz"), None));
    assert!(split_pattern_ref("p.opz:17").is_err());
    assert_eq!(groovekit_opz::model::track_index("kick"), Some(0));
}
