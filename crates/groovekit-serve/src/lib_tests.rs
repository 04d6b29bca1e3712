use super::*;

#[test]
fn tokens_are_random_and_compared_whole() {
    let (a, b) = (new_token(), new_token());
    assert_eq!(a.len(), 32);
    assert_ne!(a, b);
    assert!(same_secret(&a, &a.clone()));
    assert!(!same_secret(&a, &b));
    assert!(!same_secret(&a, &a[..31]));
    assert!(!same_secret(&a, ""));
}
