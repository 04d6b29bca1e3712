//! Unit tests of `slices` (kept beside it, out of the library source).

use super::*;

#[test]
fn linear_grid_covers_everything() {
    let g = grid_linear(1000, 3).unwrap();
    assert_eq!(g.iter().map(|s| (s.start, s.end)).collect::<Vec<_>>(), vec![(0, 333), (333, 666), (666, 1000)]);
    assert!(grid_linear(10, 0).is_err());
    assert!(grid_linear(10, 65).is_err());
}

#[test]
fn random_grid_is_seeded_sorted_and_long_enough() {
    for seed in 0..50 {
        let g = grid_random(100_000, 16, seed).unwrap();
        assert_eq!(g, grid_random(100_000, 16, seed).unwrap());
        assert_eq!(g.len(), 16);
        assert_eq!(g[0].start, 0);
        assert_eq!(g[15].end, 100_000);
        for w in g.windows(2) {
            assert_eq!(w[0].end, w[1].start);
        }
        assert!(g.iter().all(|s| s.len() >= 128));
    }
    assert_ne!(grid_random(100_000, 16, 1).unwrap(), grid_random(100_000, 16, 2).unwrap());
    assert_eq!(grid_random(128 * 4, 4, 9).unwrap().iter().map(|s| s.len()).collect::<Vec<_>>(), vec![128; 4]);
    assert!(grid_random(128 * 4 - 1, 4, 9).is_err());
}
