use super::*;

#[test]
fn par_map_keeps_order() {
    let items: Vec<usize> = (0..1000).collect();
    let out = par_map(&items, |&i| i * 2);
    assert_eq!(out, items.iter().map(|i| i * 2).collect::<Vec<_>>());
}

#[test]
fn names_are_relative_to_the_set_or_absolute() {
    assert_eq!(name_in(Path::new("/set"), Path::new("/set/AUDIO/a b.wav")), "AUDIO/a b.wav");
    assert_eq!(name_in(Path::new("/set"), Path::new("/other/x.wav")), "/other/x.wav");
}
