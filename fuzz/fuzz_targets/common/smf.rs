//! Shared by the MIDI importers' fuzz targets (included with `#[path]`; not a target itself).

/// `rest` as the events of the one track of a well-formed type 1 header (its first two bytes the
/// ticks per quarter note), so that the fuzzer reaches the note code without first finding the
/// chunk layout; None when `rest` is shorter than two bytes.
pub fn one_track(rest: &[u8]) -> Option<Vec<u8>> {
    let (ppq, events) = rest.split_at_checked(2)?;
    let mut smf = b"MThd\0\0\0\x06\0\x01\0\x01".to_vec();
    smf.extend_from_slice(&[ppq[0] & 0x7F, ppq[1]]);
    smf.extend_from_slice(b"MTrk");
    smf.extend_from_slice(&(events.len() as u32).to_be_bytes());
    smf.extend_from_slice(events);
    Some(smf)
}
