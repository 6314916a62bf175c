//! The search's orders on one sort: each is packed into `u64` keys and sorted by
//! [`sort_keys`]. At `opt-level = 3` every `sort_by` call with its own closure is a whole
//! driftsort or ipnsort of its own in the app's wasm (sessions 8–10: about 85 of them,
//! ~35 kB brotli); packed keys share one, and compare as single integers.

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
