//! The one walk every list's `/`, `n` and `N` take: from the selected row,
//! forward or back, wrapping round, to the next row that matches.

/// The first of `n` rows at `from` (after it, with `skip_current`), going
/// forward or back and wrapping, for which `hit` holds.
pub fn next_match(
    n: usize,
    from: usize,
    forward: bool,
    skip_current: bool,
    hit: impl Fn(usize) -> bool,
) -> Option<usize> {
    if n == 0 {
        return None;
    }
    let start = usize::from(skip_current);
    (start..n + start)
        .map(|k| {
            if forward {
                (from + k) % n
            } else {
                (from + n - k % n) % n
            }
        })
        .find(|i| hit(*i))
}

#[cfg(test)]
mod tests {
    use super::next_match;

    #[test]
    fn forward_back_and_wrapping() {
        let hits = [false, true, false, true];
        let hit = |i: usize| hits[i];
        assert_eq!(next_match(4, 1, true, false, hit), Some(1));
        assert_eq!(next_match(4, 1, true, true, hit), Some(3));
        assert_eq!(next_match(4, 3, true, true, hit), Some(1), "wraps past the end");
        assert_eq!(next_match(4, 1, false, true, hit), Some(3), "wraps past the start");
        assert_eq!(next_match(4, 0, false, false, hit), Some(3));
        assert_eq!(next_match(0, 0, true, false, hit), None);
        assert_eq!(next_match(4, 0, true, false, |_| false), None);
    }
}
