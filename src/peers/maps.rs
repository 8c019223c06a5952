//! Maps: the trait the cost runner drives for `dict`, and the Rust peers.
//!
//! The hash maps are given CPython's hash of each key ([`CKey`] carries it, [`PassThrough`]
//! hands it to the table unchanged), so both sides pay for the same hash function: what is
//! compared is the table. `BTreeMap` needs no hash: it compares keys on its way down the tree,
//! and those comparisons are counted.

use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasher, Hash, Hasher};

use indexmap::IndexMap;

use super::{Allocator, Tally};

/// A key with CPython's hash of it.
#[derive(Clone, Debug)]
pub struct CKey<K> {
    /// `hash(key)` as CPython computes it (the bits of the `Py_hash_t`).
    pub hash: u64,
    /// The key.
    pub key: K,
}

impl<K: PartialEq> PartialEq for CKey<K> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl<K: Eq> Eq for CKey<K> {}

impl<K> Hash for CKey<K> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

thread_local! {
    static ORD_COMPARES: Cell<u64> = const { Cell::new(0) };
}

/// A key ordered by value, counting its comparisons (for `BTreeMap`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrdKey<K>(pub K);

impl<K: Ord> PartialOrd for OrdKey<K> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<K: Ord> Ord for OrdKey<K> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        ORD_COMPARES.with(|c| c.set(c.get() + 1));
        self.0.cmp(&other.0)
    }
}

/// Comparisons made by [`OrdKey`]s on this thread so far.
pub fn ord_compares() -> u64 {
    ORD_COMPARES.with(Cell::get)
}

/// A hasher that returns the one `u64` written to it: the precomputed CPython hash.
#[derive(Clone, Copy, Debug, Default)]
pub struct PassThrough;

/// [`PassThrough`]'s hasher.
#[derive(Clone, Copy, Debug, Default)]
pub struct PassThroughHasher(u64);

impl Hasher for PassThroughHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used by CKey; fold anything else in so the hasher stays total.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

impl BuildHasher for PassThrough {
    type Hasher = PassThroughHasher;
    fn build_hasher(&self) -> PassThroughHasher {
        PassThroughHasher(0)
    }
}

/// The operations the cost runner asks of a map.
pub trait Map<K>: Sized {
    /// The key type (`K` with its hash, or ordered).
    type Key: Clone;
    /// The name in tables.
    const NAME: &'static str;
    /// Which allocator sees its memory.
    const ALLOCATOR: Allocator;
    /// The key for `key` whose CPython hash is `hash`.
    fn key(hash: u64, key: K) -> Self::Key;
    /// An empty map.
    fn empty() -> Self;
    /// Number of entries.
    fn len(&self) -> usize;
    /// Whether it has no entries.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Insert or overwrite (`d[k] = v`); true if the key was new.
    fn insert(&mut self, k: Self::Key, v: usize, t: &mut impl Tally) -> bool;
    /// Remove (`del d[k]`); true if it was there.
    fn remove(&mut self, k: &Self::Key, t: &mut impl Tally) -> bool;
    /// Look up (`d[k]`, `k in d`); the value if present.
    fn lookup(&self, k: &Self::Key, t: &mut impl Tally) -> Option<usize>;
    /// Visit every entry (`for k in d`); how many.
    fn visit(&self, t: &mut impl Tally) -> usize;
    /// Bytes held, allocator overhead included, when the structure knows them itself;
    /// `None` when the counting system allocator measures them.
    fn held_bytes(&self) -> Option<usize> {
        None
    }
}

/// `CKey`'s maps share everything but their type and name.
macro_rules! hash_map {
    ($ty:ty, $name:expr, $new:expr, $remove:ident) => {
        impl<K: Eq + Clone> Map<K> for $ty {
            type Key = CKey<K>;
            const NAME: &'static str = $name;
            const ALLOCATOR: Allocator = Allocator::System;
            fn key(hash: u64, key: K) -> CKey<K> {
                CKey { hash, key }
            }
            fn empty() -> Self {
                $new
            }
            fn len(&self) -> usize {
                <$ty>::len(self)
            }
            fn insert(&mut self, k: CKey<K>, v: usize, _: &mut impl Tally) -> bool {
                <$ty>::insert(self, k, v).is_none()
            }
            fn remove(&mut self, k: &CKey<K>, _: &mut impl Tally) -> bool {
                <$ty>::$remove(self, k).is_some()
            }
            fn lookup(&self, k: &CKey<K>, _: &mut impl Tally) -> Option<usize> {
                <$ty>::get(self, k).copied()
            }
            fn visit(&self, _: &mut impl Tally) -> usize {
                self.keys().fold(0, |n, k| {
                    std::hint::black_box(k.hash);
                    n + 1
                })
            }
        }
    };
}

// IndexMap's `shift_remove` keeps insertion order as `del d[k]` does (CPython leaves a dummy
// and a hole in the entries instead of shifting).
hash_map!(
    IndexMap<CKey<K>, usize, PassThrough>,
    "IndexMap (CPython hashes)",
    IndexMap::with_hasher(PassThrough),
    shift_remove
);
hash_map!(
    hashbrown::HashMap<CKey<K>, usize, PassThrough>,
    "hashbrown::HashMap (CPython hashes)",
    hashbrown::HashMap::with_hasher(PassThrough),
    remove
);
hash_map!(
    HashMap<CKey<K>, usize, PassThrough>,
    "std HashMap (CPython hashes)",
    HashMap::with_hasher(PassThrough),
    remove
);

impl<K: Ord + Clone> Map<K> for BTreeMap<OrdKey<K>, usize> {
    type Key = OrdKey<K>;
    const NAME: &'static str = "BTreeMap (ordered tree)";
    const ALLOCATOR: Allocator = Allocator::System;
    fn key(_: u64, key: K) -> OrdKey<K> {
        OrdKey(key)
    }
    fn empty() -> Self {
        BTreeMap::new()
    }
    fn len(&self) -> usize {
        BTreeMap::len(self)
    }
    fn insert(&mut self, k: OrdKey<K>, v: usize, t: &mut impl Tally) -> bool {
        let c = ord_compares();
        let new = BTreeMap::insert(self, k, v).is_none();
        t.compares(ord_compares() - c);
        new
    }
    fn remove(&mut self, k: &OrdKey<K>, t: &mut impl Tally) -> bool {
        let c = ord_compares();
        let found = BTreeMap::remove(self, k).is_some();
        t.compares(ord_compares() - c);
        found
    }
    fn lookup(&self, k: &OrdKey<K>, t: &mut impl Tally) -> Option<usize> {
        let c = ord_compares();
        let v = BTreeMap::get(self, k).copied();
        t.compares(ord_compares() - c);
        v
    }
    fn visit(&self, _: &mut impl Tally) -> usize {
        self.keys().fold(0, |n, k| {
            std::hint::black_box(k);
            n + 1
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::peers::{NoTally, Tallies};

    fn check<M: Map<u64>>() {
        let mut m = M::empty();
        let mut t = NoTally;
        for i in 0..1000u64 {
            assert!(m.insert(M::key(i.wrapping_mul(0x9e37), i), i as usize, &mut t));
        }
        assert!(!m.insert(M::key(5u64.wrapping_mul(0x9e37), 5), 7, &mut t));
        assert_eq!(
            m.lookup(&M::key(5u64.wrapping_mul(0x9e37), 5), &mut t),
            Some(7)
        );
        assert_eq!(m.lookup(&M::key(1, 5000), &mut t), None);
        assert!(m.remove(&M::key(10u64.wrapping_mul(0x9e37), 10), &mut t));
        assert_eq!(m.len(), 999);
        assert_eq!(m.visit(&mut t), 999);
    }

    #[test]
    fn every_map_behaves_as_a_map() {
        check::<IndexMap<CKey<u64>, usize, PassThrough>>();
        check::<hashbrown::HashMap<CKey<u64>, usize, PassThrough>>();
        check::<HashMap<CKey<u64>, usize, PassThrough>>();
        check::<BTreeMap<OrdKey<u64>, usize>>();
    }

    #[test]
    fn a_btree_lookup_compares_about_log_n_keys() {
        let mut m = <BTreeMap<OrdKey<u64>, usize> as Map<u64>>::empty();
        for i in 0..100_000u64 {
            Map::insert(&mut m, OrdKey(i), 0, &mut NoTally);
        }
        let mut t = Tallies::default();
        Map::lookup(&m, &OrdKey(54_321), &mut t);
        // B = 6: nodes of 5..11 keys, linear search inside each, depth about log_6(n).
        assert!((5..=60).contains(&t.compares), "{}", t.compares);
    }
}
