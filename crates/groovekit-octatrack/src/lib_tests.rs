use crate::raw::header::{BinaryKind, validate_container};

#[test]
fn a_bad_magic_is_shown_as_text() {
    let mut b = vec![b'X'; 832];
    b[4] = 0;
    let e = validate_container(&b, BinaryKind::SampleSettings).unwrap_err().to_string();
    assert!(e.contains(r#"found "XXXX\x00XXX"#), "{e}");
    assert!(!e.contains("[58"), "{e}");
}

#[test]
fn a_truncated_ot_does_not_point_at_a_strd_copy() {
    let mut b = BinaryKind::SampleSettings.magic().to_vec();
    b.push(BinaryKind::SampleSettings.version());
    b.extend([0; 100]);
    let e = validate_container(&b, BinaryKind::SampleSettings).unwrap_err().to_string();
    assert!(e.contains("truncated") && !e.contains(".strd"), "{e}");
    let mut bank = BinaryKind::Bank.magic().to_vec();
    bank.push(BinaryKind::Bank.version());
    let e = validate_container(&bank, BinaryKind::Bank).unwrap_err().to_string();
    assert!(e.contains(".strd"), "{e}");
}
