//! Unit tests of `midi` (kept beside it, out of the library source).

use super::*;

#[test]
fn options_parse_and_reject() {
    assert_eq!(parse_options(&["pattern=3".into()]).unwrap().order, Order::Pattern(2));
    assert_eq!(parse_options(&[]).unwrap().order, Order::Chain(15));
    assert!(parse_options(&["pattern=17".into()]).is_err());
    assert!(parse_options(&["speed=2".into()]).is_err());
    assert!(parse_options(&["pattern".into()]).is_err());
}

#[test]
fn midi_json_channels() {
    let ch = channels_from_midi_json(r#"{"track_channels":[15,1,2]}"#).unwrap();
    assert_eq!(&ch[..4], &[15, 1, 2, 3]);
    assert!(channels_from_midi_json(r#"{"track_channels":[16]}"#).is_err());
}
