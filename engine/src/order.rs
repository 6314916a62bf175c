//! The search's orders on one sort: each is packed into `u64` keys and sorted by
//! [`sort_keys`]. At `opt-level = 3` every `sort_by` call with its own closure is a whole
//! driftsort or ipnsort of its own in the app's wasm (sessions 8–10: about 85 of them,
//! ~35 kB brotli); packed keys share one, and compare as single integers. Orders that
//! do not pack (strings, three fields) and keep only the first few use [`first_in_order`].

use std::cmp::Ordering;

/// Sorts `keys` ascending: the one sort the orders below go through.
#[inline(never)]
pub(crate) fn sort_keys(keys: &mut [u64]) {
    keys.sort_unstable();
}

/// `score`'s place in [`f32::total_cmp`]'s order, as an unsigned integer.
pub(crate) fn ordered(score: f32) -> u32 {
    let bits = score.to_bits();
    if bits >> 31 == 1 {
        !bits
    } else {
        bits | 1 << 31
    }
}

/// The score whose [`ordered`] place is `place`.
fn from_ordered(place: u32) -> f32 {
    f32::from_bits(if place >> 31 == 1 {
        place & !(1 << 31)
    } else {
        !place
    })
}

/// Best score first, then by doc: `b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))`.
pub(crate) fn by_score_then_doc(v: &mut [(u32, f32)]) {
    sort_packed(
        v,
        |&(doc, score)| u64::from(!ordered(score)) << 32 | u64::from(doc),
        |key| (key as u32, from_ordered(!((key >> 32) as u32))),
    );
}

/// By doc, the best score first among equal docs:
/// `a.0.cmp(&b.0).then(b.1.total_cmp(&a.1))`.
pub(crate) fn by_doc_then_score(v: &mut [(u32, f32)]) {
    sort_packed(
        v,
        |&(doc, score)| u64::from(doc) << 32 | u64::from(!ordered(score)),
        |key| ((key >> 32) as u32, from_ordered(!(key as u32))),
    );
}

fn sort_packed(
    v: &mut [(u32, f32)],
    pack: impl Fn(&(u32, f32)) -> u64,
    unpack: impl Fn(u64) -> (u32, f32),
) {
    let mut keys: Vec<u64> = v.iter().map(pack).collect();
    sort_keys(&mut keys);
    for (slot, key) in v.iter_mut().zip(keys) {
        *slot = unpack(key);
    }
}

/// The first `k` of `items` under `order` (a total order), in that order: what sorting
/// them all and keeping `k` gives. One pass keeps the best so far in a heap whose top is
/// the last of them, so most items of a long list (a common word's matches) cost one
/// comparison with it; `surely_after(x, last)` may say cheaply that `x` comes after `last`
/// (never wrongly): by relevance, a lower score is one float comparison where the order
/// compares dates, scores and docs. A few hundred bytes of wasm for each order it is
/// called with, where a sort or a selection by a closure was a quicksort of its own
/// (4–7 kB each).
pub(crate) fn first_in_order<T>(
    items: impl IntoIterator<Item = T>,
    k: usize,
    order: impl Fn(&T, &T) -> Ordering,
    surely_after: impl Fn(&T, &T) -> bool,
) -> Vec<T> {
    // A max-heap under `order`: `heap[0]` is the last of those kept.
    let sift_down = |heap: &mut [T], mut at: usize| loop {
        let left = 2 * at + 1;
        let Some(mut child) = heap.get(left).map(|_| left) else {
            break;
        };
        if heap
            .get(left + 1)
            .is_some_and(|r| order(r, &heap[left]).is_gt())
        {
            child = left + 1;
        }
        if order(&heap[child], &heap[at]).is_le() {
            break;
        }
        heap.swap(at, child);
        at = child;
    };
    let mut heap: Vec<T> = Vec::new();
    if k == 0 {
        return heap;
    }
    for x in items {
        if heap.len() < k {
            heap.push(x);
            let mut at = heap.len() - 1;
            while at > 0 && order(&heap[at], &heap[(at - 1) / 2]).is_gt() {
                heap.swap(at, (at - 1) / 2);
                at = (at - 1) / 2;
            }
        } else if !surely_after(&x, &heap[0]) && order(&x, &heap[0]).is_lt() {
            heap[0] = x;
            sift_down(&mut heap, 0);
        }
    }
    // In order: the last kept moved to the end, one at a time.
    for end in (1..heap.len()).rev() {
        heap.swap(0, end);
        sift_down(&mut heap[..end], 0);
    }
    heap
}

/// All of `items` under `order` (a total order): a heap sort through [`first_in_order`],
/// for lists sorted once in a while (a snippet's hits, a facet's values), where a sort by
/// a closure would be a quicksort of its own in the wasm.
pub(crate) fn all_in_order<T>(items: Vec<T>, order: impl Fn(&T, &T) -> Ordering) -> Vec<T> {
    let n = items.len();
    first_in_order(items, n, order, |_, _| false)
}

/// `values` sorted, each once.
pub(crate) fn distinct(values: impl Iterator<Item = u32>) -> Vec<u32> {
    let mut keys: Vec<u64> = values.map(u64::from).collect();
    sort_keys(&mut keys);
    keys.dedup();
    keys.into_iter().map(|k| k as u32).collect()
}

/// The positions `0..n` by `key`, smallest first, equal keys in position order: a stable
/// sort by key, for lists of a few items (a query's clauses, a phrase's words).
pub(crate) fn positions_by(n: usize, key: impl Fn(usize) -> usize) -> Vec<usize> {
    let mut keys: Vec<u64> = (0..n)
        .map(|i| (key(i).min(u32::MAX as usize) as u64) << 32 | i as u64)
        .collect();
    sort_keys(&mut keys);
    keys.into_iter().map(|k| k as u32 as usize).collect()
}

/// `items` stably sorted by `key`, smallest first (see [`positions_by`]).
pub(crate) fn sorted_by<T>(items: Vec<T>, key: impl Fn(&T) -> usize) -> Vec<T> {
    let order = positions_by(items.len(), |i| key(&items[i]));
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn score() -> impl Strategy<Value = f32> {
        prop_oneof![
            any::<u32>().prop_map(f32::from_bits),
            Just(0.0f32),
            Just(-0.0f32),
            Just(f32::INFINITY),
            Just(f32::NAN),
            (0u32..8).prop_map(|s| s as f32 * 0.5),
        ]
    }

    proptest! {
        #[test]
        fn packed_orders_are_the_comparisons_they_replace(
            items in proptest::collection::vec((0u32..40, score()), 0..200),
        ) {
            let bits = |v: &[(u32, f32)]| v.iter().map(|&(d, s)| (d, s.to_bits())).collect::<Vec<_>>();
            let mut want = items.clone();
            want.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let mut got = items.clone();
            by_score_then_doc(&mut got);
            prop_assert_eq!(bits(&got), bits(&want));

            let mut want = items.clone();
            want.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
            let mut got = items.clone();
            by_doc_then_score(&mut got);
            prop_assert_eq!(bits(&got), bits(&want));
        }

        #[test]
        fn the_first_in_order_are_those_of_a_full_sort(
            // Few distinct scores: ties are broken by doc.
            scores in proptest::collection::vec(0u8..7, 0..400),
            k in prop_oneof![0usize..70, Just(usize::MAX)],
        ) {
            let items: Vec<(u32, f32)> =
                scores.iter().enumerate().map(|(d, &s)| (d as u32, f32::from(s))).collect();
            let order = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
            let mut want = items.clone();
            want.sort_unstable_by(order);
            want.truncate(k);
            prop_assert_eq!(&first_in_order(items.clone(), k, order, |_, _| false), &want);
            // Passed over by a lower score first, as a page by relevance is.
            let lower = |x: &(u32, f32), last: &(u32, f32)| x.1 < last.1;
            prop_assert_eq!(&first_in_order(items.clone(), k, order, lower), &want);
            // Offered in another order, the same first.
            let reversed = items.into_iter().rev();
            prop_assert_eq!(&first_in_order(reversed, k, order, lower), &want);
        }

        #[test]
        fn distinct_values_sort_once(values in proptest::collection::vec(any::<u32>(), 0..100)) {
            let want: Vec<u32> = values.iter().copied().collect::<std::collections::BTreeSet<_>>().into_iter().collect();
            prop_assert_eq!(distinct(values.into_iter()), want);
        }

        #[test]
        fn positions_sort_stably_by_key(keys in proptest::collection::vec(0usize..10, 0..100)) {
            let mut want: Vec<usize> = (0..keys.len()).collect();
            want.sort_by_key(|&i| keys[i]);
            prop_assert_eq!(positions_by(keys.len(), |i| keys[i]), want.clone());
            let items: Vec<(usize, usize)> = keys.iter().copied().enumerate().collect();
            let sorted = sorted_by(items, |&(_, k)| k);
            prop_assert_eq!(sorted.into_iter().map(|(i, _)| i).collect::<Vec<_>>(), want);
        }
    }
}
