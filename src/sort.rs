//! Stable sorting with one copy of the sort algorithm in the binary.
//!
//! Why: `slice::sort*` is generic over the element type and the comparison, so every call site
//! with its own element type or key closure gets its own copy of the standard library's driftsort
//! and quicksort. In the browser build that was about 40 copies: 165 KB of the 1.2 MB of code
//! before wasm-opt, 30 KB of the gzipped download, for sorts of a handful of topics, members or
//! brokers. These functions sort a list of indices instead (the standard sort, instantiated once,
//! through a `dyn` comparison), then move the elements into that order with swaps: the only
//! per-type code left is a short loop.
//!
//! Same results as the standard library: stable (equal elements keep their order), O(n log n).

use std::cmp::Ordering;

/// `v.sort()`, stable.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// `v.sort_by_key(key)`, stable.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// `v.sort_by(compare)`, stable.
pub fn sort_by<T>(v: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    let order = sorted_order(v.len(), &mut |i, j| compare(&v[i], &v[j]));
    permute(v, order);
}

/// The indices `0..n` in the order `compare` (which compares the elements at two indices) puts
/// them; ties keep index order. Not generic: the one instantiation of the standard sort.
pub(crate) fn sorted_order(
    n: usize,
    compare: &mut dyn FnMut(usize, usize) -> Ordering,
) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| compare(i, j));
    order
}

/// Rearranges `v` so that position `i` holds the element that was at `order[i]`, following each
/// cycle of the permutation with swaps.
pub(crate) fn permute<T>(v: &mut [T], mut order: Vec<usize>) {
    const PLACED: usize = usize::MAX;
    for start in 0..v.len() {
        let mut at = start;
        // Position `at` wants the element at `order[at]`; until the cycle closes, that element is
        // still where it started (only positions of this cycle have been touched).
        while order[at] != PLACED {
            let from = order[at];
            order[at] = PLACED;
            if from == start {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_library() {
        let mut seed = 7u64;
        for len in 0..60 {
            let mut v: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ((seed >> 60) as u8, i)
                })
                .collect();
            let mut expected = v.clone();
            expected.sort_by_key(|e| e.0);
            sort_by_key(&mut v, |e| e.0);
            assert_eq!(v, expected, "stable by key, length {len}");
            expected.sort();
            sort(&mut v);
            assert_eq!(v, expected, "by Ord, length {len}");
            expected.sort_by(|a, b| b.cmp(a));
            sort_by(&mut v, |a, b| b.cmp(a));
            assert_eq!(v, expected, "by comparison, length {len}");
        }
    }

    #[test]
    fn moves_owned_elements() {
        let mut v = vec![
            "c".to_string(),
            "a".to_string(),
            "b".to_string(),
            "a".to_string(),
        ];
        sort(&mut v);
        assert_eq!(v, ["a", "a", "b", "c"]);
    }
}
