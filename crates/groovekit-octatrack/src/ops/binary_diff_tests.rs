use super::*;
use crate::model::bank::Bank as ModelBank;

#[test]
fn part_values_are_named_as_the_api_names_them() {
    let a = ModelBank::new(1);
    let mut b = a.clone();
    let mut t = b.part_track(2, PartCopy::Working, 3).unwrap();
    t.set_param("flex.ptch", 70).unwrap();
    t.set_param("amp.atk", 5).unwrap();
    b.set_part_track(2, PartCopy::Working, 3, &t).unwrap();
    let lines = banks(&a.to_bytes(), &b.to_bytes()).unwrap();
    assert!(lines.iter().any(|l| l.contains("track 3: flex.ptch 64 -> 70")), "{lines:#?}");
    assert!(lines.iter().any(|l| l.contains("track 3: amp.atk 0 -> 5")), "{lines:#?}");
    assert!(lines.iter().all(|l| !l.contains("src_") && !l.contains("setup_flex")), "{lines:#?}");
}
