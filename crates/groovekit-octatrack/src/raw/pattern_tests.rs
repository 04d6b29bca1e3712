use super::*;

#[test]
fn mask_bytes_are_fully_reversed_groups() {
    let mut b = [0u8; 8];
    encode_mask(set_of(&[1]), &mut b);
    assert_eq!(b, [0, 0, 0, 0, 0, 0, 0, 1]);
    encode_mask(set_of(&[9, 17, 25, 64]), &mut b);
    assert_eq!(b, [0x80, 0, 0, 0, 1, 1, 1, 0]);
    assert_eq!(steps_of(decode_mask(&b)), vec![9, 17, 25, 64]);
}

#[test]
fn timing_pairs_decode_the_documented_examples() {
    // 1/128 step late = 3/384: raw 3 -> b0 = 1, b1 = 0x80.
    let t = StepTiming::decode(0x01, 0x80);
    assert_eq!(t.micro, 3);
    // -1/128 = raw 61.
    let t = StepTiming { repeats: 2, condition: 1, micro: -3 };
    let [b0, b1] = t.encode();
    assert_eq!(((b0 & 0x1F) << 1) | (b1 >> 7), 61);
    assert_eq!(StepTiming::decode(b0, b1), t);
}

#[test]
fn condition_names_round_trip() {
    for v in 0..=127u8 {
        assert_eq!(parse_condition(&condition_name(v)), Some(v), "{v} {}", condition_name(v));
    }
    assert_eq!(condition_name(30), "1:2");
    assert_eq!(condition_name(31), "2:2");
    assert_eq!(condition_name(64), "8:8");
    assert_eq!(condition_name(19), "50%");
}
