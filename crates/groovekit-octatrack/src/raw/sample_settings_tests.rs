//! Unit tests of `sample_settings` (kept beside it, out of the library source).

use super::*;

#[test]
fn layout_adds_up() {
    assert_eq!(SLICES + SLICE_MAX * SLICE_SIZE, SLICE_COUNT);
    assert_eq!(CHECKSUM + 2, SAMPLE_SETTINGS_SIZE);
    assert_eq!(BinaryKind::SampleSettings.size(), SAMPLE_SETTINGS_SIZE);
}

#[test]
fn blank_round_trips_and_checksum_is_recomputed() {
    let mut f = SampleSettingsFile::new_blank();
    f.set_u32(TEMPO, 2880);
    f.set_slice(63, RawSlice { start: 1, end: 2, loop_point: LOOP_OFF }).unwrap();
    assert!(f.set_slice(64, RawSlice::default()).is_err());
    let bytes = f.to_bytes();
    let back = SampleSettingsFile::from_bytes(&bytes).unwrap();
    assert_eq!(back.u32_at(TEMPO), 2880);
    assert_eq!(back.slice(63).unwrap().loop_point, LOOP_OFF);
    let mut bad = bytes.clone();
    bad[TEMPO] ^= 1;
    assert!(matches!(SampleSettingsFile::from_bytes(&bad), Err(OtError::Checksum { offset: 830, .. })));
    let (_, state) = SampleSettingsFile::read(&bad, ChecksumPolicy::Lenient).unwrap();
    assert!(!state.is_valid());
}
