//! Ordered maps and sets kept in one sorted `Vec`: [`VecMap`] and [`VecSet`].
//!
//! Why: `BTreeMap`/`BTreeSet` bring a B-tree's node handling (search, insert with splits, remove
//! with merges, iterators over leaves, drop) per key/value type. With about 35 distinct
//! instantiations that was ~130 KB of the browser build's code before compression. The maps of
//! a playground hold a few to a few thousand entries (topics, groups, members, partitions), for
//! which a sorted vector is about as fast and far smaller: lookups are the slice's binary search,
//! iteration is a slice's. (The search stays generic: one shared copy behind a `dyn` comparison
//! saved 1 KB gzipped but made the browser's produce path, a few topic lookups per record,
//! 20–40% slower.)
//!
//! Same observable behaviour as the standard collections where the code relies on it:
//! iteration in ascending key order; `insert` of an existing key replaces the value and keeps
//! the key (a set keeps its element); collecting or extending, the last entry for a key wins
//! (as `collect` into the B-tree collections does; their `extend` keeps the first key with the
//! last value, a difference only keys that are equal without being identical could show, and
//! the keys here are strings, numbers and partitions); serde writes a map as a JSON object and
//! a set as an array, like `BTreeMap`/`BTreeSet`, so saved sessions read either way. Reading
//! accepts unsorted or repeated keys (a hand-edited or damaged snapshot) and sorts them as the
//! B-tree would have, without panicking.
//!
//! Cost: inserting or removing in the middle moves the entries after it (a `memmove`). Building
//! from an iterator sorts once (`O(n log n)`) instead of inserting one by one, so code that
//! fills a large map from a list should `collect` it.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Sorts `v` by `key` and keeps one element per key: the last one, as collecting into a
/// `BTreeMap` or `BTreeSet` does. Already sorted input (the usual case: a snapshot we wrote, a
/// map built from another map) costs one pass. The per-type part is the key comparison; the
/// plan ([`dedup_order`]) and the sort are not generic.
fn normalize<E, K: Ord + ?Sized>(v: &mut Vec<E>, key: fn(&E) -> &K) {
    if let Some((order, keep)) = dedup_order(v.len(), &mut |i, j| key(&v[i]).cmp(key(&v[j]))) {
        crate::sort::permute(v, order);
        v.truncate(keep);
    }
}

/// `None` if positions `0..len` are strictly ascending by `compare`. Else the permutation that
/// sorts them (stably) with only the last of each run of equal ones, followed by the others,
/// and how many are kept.
fn dedup_order(
    len: usize,
    compare: &mut dyn FnMut(usize, usize) -> Ordering,
) -> Option<(Vec<usize>, usize)> {
    if (1..len).all(|i| compare(i - 1, i) == Ordering::Less) {
        return None;
    }
    let sorted = crate::sort::sorted_order(len, compare);
    let mut order = Vec::with_capacity(len);
    let mut dropped = Vec::new();
    for (n, &i) in sorted.iter().enumerate() {
        match sorted.get(n + 1) {
            Some(&next) if compare(i, next) == Ordering::Equal => dropped.push(i),
            _ => order.push(i),
        }
    }
    let keep = order.len();
    order.extend(dropped);
    Some((order, keep))
}

/// A map ordered by key, in a sorted `Vec` (see the module documentation).
#[derive(Clone, PartialEq, Eq)]
pub struct VecMap<K, V> {
    entries: Vec<(K, V)>,
}

/// `(&K, &V)` from an entry; a named function so that iterator types can be spelled.
fn pair<K, V>(e: &(K, V)) -> (&K, &V) {
    (&e.0, &e.1)
}

pub type Iter<'a, K, V> =
    std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;

impl<K, V> VecMap<K, V> {
    pub const fn new() -> Self {
        VecMap {
            entries: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Entries in ascending key order.
    pub fn iter(&self) -> Iter<'_, K, V> {
        self.entries.iter().map(pair)
    }

    pub fn iter_mut(&mut self) -> impl DoubleEndedIterator<Item = (&K, &mut V)> {
        self.entries.iter_mut().map(|(k, v)| (&*k, v))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator + Clone {
        self.entries.iter().map(|e| &e.0)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator + Clone {
        self.entries.iter().map(|e| &e.1)
    }

    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> {
        self.entries.iter_mut().map(|e| &mut e.1)
    }

    /// The entries, sorted by key.
    pub fn as_slice(&self) -> &[(K, V)] {
        &self.entries
    }

    /// Keeps the entries for which `keep` is true, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }
}

impl<K: Ord, V> VecMap<K, V> {
    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.entries.binary_search_by(|e| e.0.borrow().cmp(key))
    }

    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| &self.entries[i].1)
    }

    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| &mut self.entries[i].1)
    }

    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(key).is_ok()
    }

    /// Sets the value for `key`, returning the previous one (the key itself is kept).
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let i = self.find(key).ok()?;
        Some(self.entries.remove(i).1)
    }

    /// The slot for `key`, to read or fill in place.
    pub fn entry(&mut self, key: K) -> Entry<'_, K, V> {
        let at = self.find(&key);
        Entry {
            entries: &mut self.entries,
            key,
            at,
        }
    }

    fn from_vec(mut entries: Vec<(K, V)>) -> Self {
        normalize(&mut entries, |e| &e.0);
        VecMap { entries }
    }
}

/// A key's place in a [`VecMap`], from [`VecMap::entry`].
pub struct Entry<'a, K, V> {
    entries: &'a mut Vec<(K, V)>,
    key: K,
    at: Result<usize, usize>,
}

impl<'a, K, V> Entry<'a, K, V> {
    pub fn or_insert_with(self, value: impl FnOnce() -> V) -> &'a mut V {
        let i = match self.at {
            Ok(i) => i,
            Err(i) => {
                self.entries.insert(i, (self.key, value()));
                i
            }
        };
        &mut self.entries[i].1
    }

    pub fn or_insert(self, value: V) -> &'a mut V {
        self.or_insert_with(|| value)
    }

    pub fn or_default(self) -> &'a mut V
    where
        V: Default,
    {
        self.or_insert_with(V::default)
    }
}

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        VecMap::new()
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for VecMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for VecMap<K, V> {
    /// Sorts once; the last entry for a key wins, as when collecting into a `BTreeMap`.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        VecMap::from_vec(iter.into_iter().collect())
    }
}

/// Sorts once; the last entry for a key wins.
impl<K: Ord, V> From<Vec<(K, V)>> for VecMap<K, V> {
    fn from(entries: Vec<(K, V)>) -> Self {
        VecMap::from_vec(entries)
    }
}

impl<K: Ord, V, const N: usize> From<[(K, V); N]> for VecMap<K, V> {
    fn from(entries: [(K, V); N]) -> Self {
        entries.into_iter().collect()
    }
}

impl<K: Ord, V> Extend<(K, V)> for VecMap<K, V> {
    /// Appends, then sorts once; the last entry for a key wins.
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        let mut entries = std::mem::take(&mut self.entries);
        entries.extend(iter);
        *self = VecMap::from_vec(entries);
    }
}

impl<K, Q: Ord + ?Sized, V> std::ops::Index<&Q> for VecMap<K, V>
where
    K: Borrow<Q> + Ord,
{
    type Output = V;

    /// Panics if the key is missing, as `BTreeMap` does.
    fn index(&self, key: &Q) -> &V {
        self.get(key).expect("no entry found for key")
    }
}

impl<'a, K, V> IntoIterator for &'a VecMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a, K, V> IntoIterator for &'a mut VecMap<K, V> {
    type Item = (&'a K, &'a mut V);
    type IntoIter =
        std::iter::Map<std::slice::IterMut<'a, (K, V)>, fn(&'a mut (K, V)) -> (&'a K, &'a mut V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter_mut().map(|(k, v)| (&*k, v))
    }
}

impl<K, V> IntoIterator for VecMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

/// A JSON object (or whatever map the format has), in key order, as `BTreeMap` writes it.
impl<K: Serialize, V: Serialize> Serialize for VecMap<K, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

impl<'de, K: Deserialize<'de> + Ord, V: Deserialize<'de>> Deserialize<'de> for VecMap<K, V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct MapVisitor<K, V>(PhantomData<(K, V)>);

        impl<'de, K: Deserialize<'de> + Ord, V: Deserialize<'de>> Visitor<'de> for MapVisitor<K, V> {
            type Value = VecMap<K, V>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                // The size hint comes from the input: cap it, as serde's own impls do.
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(VecMap::from_vec(entries))
            }
        }

        d.deserialize_map(MapVisitor(PhantomData))
    }
}

/// A set ordered by value, in a sorted `Vec` (see the module documentation).
#[derive(Clone, PartialEq, Eq)]
pub struct VecSet<T> {
    items: Vec<T>,
}

impl<T> VecSet<T> {
    pub const fn new() -> Self {
        VecSet { items: Vec::new() }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Elements in ascending order.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }
}

impl<T: Ord> VecSet<T> {
    fn find<Q: Ord + ?Sized>(&self, value: &Q) -> Result<usize, usize>
    where
        T: Borrow<Q>,
    {
        self.items.binary_search_by(|e| e.borrow().cmp(value))
    }

    pub fn contains<Q: Ord + ?Sized>(&self, value: &Q) -> bool
    where
        T: Borrow<Q>,
    {
        self.find(value).is_ok()
    }

    /// Adds `value` unless an equal element is there (which is kept); true if it was added.
    pub fn insert(&mut self, value: T) -> bool {
        match self.find(&value) {
            Ok(_) => false,
            Err(i) => {
                self.items.insert(i, value);
                true
            }
        }
    }

    /// True if an equal element was there.
    pub fn remove<Q: Ord + ?Sized>(&mut self, value: &Q) -> bool
    where
        T: Borrow<Q>,
    {
        match self.find(value) {
            Ok(i) => {
                self.items.remove(i);
                true
            }
            Err(_) => false,
        }
    }

    fn from_vec(mut items: Vec<T>) -> Self {
        normalize(&mut items, |t| t);
        VecSet { items }
    }
}

impl<T> Default for VecSet<T> {
    fn default() -> Self {
        VecSet::new()
    }
}

impl<T: fmt::Debug> fmt::Debug for VecSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl<T: Ord> FromIterator<T> for VecSet<T> {
    /// Sorts once; of equal elements the last is kept, as when collecting into a `BTreeSet`.
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        VecSet::from_vec(iter.into_iter().collect())
    }
}

impl<T: Ord> Extend<T> for VecSet<T> {
    /// Appends, then sorts once; of equal elements the last is kept.
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        let mut items = std::mem::take(&mut self.items);
        items.extend(iter);
        *self = VecSet::from_vec(items);
    }
}

impl<'a, T> IntoIterator for &'a VecSet<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl<T> IntoIterator for VecSet<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// A JSON array in ascending order, as `BTreeSet` writes it.
impl<T: Serialize> Serialize for VecSet<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de, T: Deserialize<'de> + Ord> Deserialize<'de> for VecSet<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct SeqVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de> + Ord> Visitor<'de> for SeqVisitor<T> {
            type Value = VecSet<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a sequence")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(VecSet::from_vec(items))
            }
        }

        d.deserialize_seq(SeqVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;

    /// A pseudo-random sequence of small numbers (many repeats).
    fn numbers(seed: u64, len: usize) -> Vec<u8> {
        let mut s = seed;
        (0..len)
            .map(|_| {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (s >> 59) as u8
            })
            .collect()
    }

    #[test]
    fn behaves_like_btree_map() {
        for seed in 0..20 {
            let ops = numbers(seed, 200);
            let mut ours = VecMap::new();
            let mut std = BTreeMap::new();
            for (i, &k) in ops.iter().enumerate() {
                match i % 5 {
                    0 | 1 => assert_eq!(ours.insert(k, i), std.insert(k, i)),
                    2 => assert_eq!(ours.remove(&k), std.remove(&k)),
                    3 => {
                        *ours.entry(k).or_insert(i) += 1;
                        *std.entry(k).or_insert(i) += 1;
                    }
                    _ => {
                        *ours.entry(k).or_default() += 2;
                        *std.entry(k).or_default() += 2;
                    }
                }
                assert_eq!(ours.get(&k), std.get(&k));
                assert_eq!(ours.contains_key(&k), std.contains_key(&k));
                assert_eq!(ours.len(), std.len());
            }
            assert!(ours.iter().eq(std.iter()), "order, seed {seed}");
            assert!(ours.keys().rev().eq(std.keys().rev()));
            ours.retain(|k, v| (*k + *v as u8) % 3 != 0);
            std.retain(|k, v| (*k + *v as u8) % 3 != 0);
            assert!(ours.into_iter().eq(std));
        }
    }

    #[test]
    fn collect_and_extend_keep_the_last_value_like_btree_map() {
        for seed in 0..20 {
            let pairs: Vec<(u8, usize)> = numbers(seed, 50).into_iter().zip(0..).collect();
            let ours: VecMap<u8, usize> = pairs.iter().copied().collect();
            let std: BTreeMap<u8, usize> = pairs.iter().copied().collect();
            assert!(ours.iter().eq(std.iter()));
            let (mut ours, mut std) = (ours, std);
            let more: Vec<(u8, usize)> = numbers(seed + 100, 30).into_iter().zip(100..).collect();
            ours.extend(more.iter().copied());
            std.extend(more.iter().copied());
            assert!(ours.iter().eq(std.iter()));
        }
    }

    #[test]
    fn behaves_like_btree_set() {
        for seed in 0..20 {
            let ops = numbers(seed, 200);
            let mut ours = VecSet::new();
            let mut std = BTreeSet::new();
            for (i, &v) in ops.iter().enumerate() {
                if i % 3 == 2 {
                    assert_eq!(ours.remove(&v), std.remove(&v));
                } else {
                    assert_eq!(ours.insert(v), std.insert(v));
                }
                assert_eq!(ours.contains(&v), std.contains(&v));
            }
            assert!(ours.iter().eq(std.iter()));
            let more = numbers(seed + 7, 40);
            ours.extend(more.iter().copied());
            std.extend(more.iter().copied());
            assert!(ours.iter().eq(std.iter()));
            let collected: VecSet<u8> = more.iter().copied().collect();
            assert!(
                collected
                    .into_iter()
                    .eq(more.iter().copied().collect::<BTreeSet<_>>())
            );
        }
    }

    /// Of equal elements, `insert` keeps the one that is there and `collect` the last one, as
    /// the B-tree collections do (visible only when equality looks at part of the value).
    #[test]
    fn which_of_equal_elements_is_kept() {
        #[derive(Debug, Clone, Copy)]
        struct ByKey(u8, char);
        impl PartialEq for ByKey {
            fn eq(&self, o: &Self) -> bool {
                self.0 == o.0
            }
        }
        impl Eq for ByKey {}
        impl PartialOrd for ByKey {
            fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
                Some(self.cmp(o))
            }
        }
        impl Ord for ByKey {
            fn cmp(&self, o: &Self) -> Ordering {
                self.0.cmp(&o.0)
            }
        }
        let items = [ByKey(2, 'a'), ByKey(1, 'b'), ByKey(2, 'c'), ByKey(1, 'd')];
        let mut ours = VecSet::new();
        let mut std = BTreeSet::new();
        for b in items {
            assert_eq!(ours.insert(b), std.insert(b));
        }
        let chars = |s: &mut dyn Iterator<Item = &ByKey>| s.map(|b| b.1).collect::<String>();
        assert_eq!(chars(&mut ours.iter()), "ba");
        assert_eq!(chars(&mut std.iter()), "ba");
        let ours: VecSet<ByKey> = items.into_iter().collect();
        let std: BTreeSet<ByKey> = items.into_iter().collect();
        assert_eq!(chars(&mut ours.iter()), "dc");
        assert_eq!(chars(&mut std.iter()), "dc");
    }

    #[test]
    fn serializes_like_the_btree_collections() {
        let pairs = [
            ("b".to_string(), 2),
            ("a".to_string(), 1),
            ("c".to_string(), 3),
        ];
        let ours: VecMap<String, i32> = pairs.iter().cloned().collect();
        let std: BTreeMap<String, i32> = pairs.iter().cloned().collect();
        let json = serde_json::to_string(&ours).unwrap();
        assert_eq!(json, serde_json::to_string(&std).unwrap());
        assert_eq!(
            serde_json::from_str::<VecMap<String, i32>>(&json).unwrap(),
            ours
        );

        let set: VecSet<i32> = [3, 1, 2].into_iter().collect();
        let json = serde_json::to_string(&set).unwrap();
        assert_eq!(json, "[1,2,3]");
        assert_eq!(
            json,
            serde_json::to_string(&BTreeSet::from([3, 1, 2])).unwrap()
        );
        assert_eq!(serde_json::from_str::<VecSet<i32>>(&json).unwrap(), set);
    }

    /// A damaged or hand-edited snapshot: out of order and repeated keys read as a `BTreeMap`
    /// would read them; wrong shapes are errors, not panics.
    #[test]
    fn reads_unsorted_and_repeated_input_like_the_btree_collections() {
        let json = r#"{"b":1,"a":2,"b":3,"c":4,"a":5}"#;
        let ours: VecMap<String, i32> = serde_json::from_str(json).unwrap();
        let std: BTreeMap<String, i32> = serde_json::from_str(json).unwrap();
        assert!(ours.iter().eq(std.iter()));
        let ours: VecSet<i32> = serde_json::from_str("[3,1,3,2,1]").unwrap();
        assert!(ours.iter().eq([1, 2, 3].iter()));
        assert!(serde_json::from_str::<VecMap<String, i32>>("[1]").is_err());
        assert!(serde_json::from_str::<VecSet<i32>>(r#"{"a":1}"#).is_err());
        assert!(serde_json::from_str::<VecMap<String, i32>>(r#"{"a":"x"}"#).is_err());
    }
}
