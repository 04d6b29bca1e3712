//! Unit tests of `chain` (kept beside it, out of the library source).

use super::*;

#[test]
fn fades_hit_zero_at_the_edges() {
    assert_eq!(fade_gain(0, 100, 0.1, 0.0), 0.0);
    assert_eq!(fade_gain(10, 100, 0.1, 0.0), 1.0);
    assert_eq!(fade_gain(99, 100, 0.0, 0.1), 0.0);
    assert_eq!(fade_gain(50, 100, 0.0, 0.0), 1.0);
}

#[test]
fn options_are_checked() {
    let o = OptionsDoc { bpm: Some(95.5), gain_db: Some(-3.5), ..Default::default() }.resolve().unwrap();
    assert_eq!((o.tempo_x24, o.gain), (2292, 41));
    assert!(OptionsDoc { bpm: Some(10.0), ..Default::default() }.resolve().is_err());
    assert!(OptionsDoc { bit_depth: Some(8), ..Default::default() }.resolve().is_err());
    assert!(OptionsDoc { fade_in: Some(70.0), fade_out: Some(40.0), ..Default::default() }.resolve().is_err());
    assert!(check_name("../x").is_err());
    assert!(check_name("drums").is_ok());
}
