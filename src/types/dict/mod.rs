//! `dict` as CPython 3.11 builds it (`Include/cpython/dictobject.h`,
//! `Include/internal/pycore_dict.h`, `Objects/dictobject.c`): a compact, insertion-ordered,
//! open-addressing hash table in two blocks.
//!
//! ```text
//!  PyGC_Head (16) | PyDictObject, 48 bytes (a 64-byte block)
//!  +0   ob_refcnt        8
//!  +8   ob_type          8
//!  +16  ma_used          8    len(d)
//!  +24  ma_version_tag   8    bumped on every change
//!  +32  ma_keys          8 -> PyDictKeysObject (one PyObject_Malloc block):
//!  +40  ma_values        8    NULL (split tables are for instance dicts only)
//!
//!  PyDictKeysObject
//!  +0   dk_refcnt               8
//!  +8   dk_log2_size            1    table size = 2**dk_log2_size slots
//!  +9   dk_log2_index_bytes     1    index bytes = 2**this (1, 2, 4 or 8 bytes per slot)
//!  +10  dk_kind                 1    0 GENERAL, 1 UNICODE (every key an exact str)
//!  +12  dk_version              4
//!  +16  dk_usable               8    entries left before a resize
//!  +24  dk_nentries             8    entries used (deleted ones included)
//!  +32  dk_indices[size]             -1 DKIX_EMPTY, -2 DKIX_DUMMY, else an entry index
//!  ...  entries[usable]              UNICODE: {me_key, me_value} 16 B
//!                                    GENERAL: {me_hash, me_key, me_value} 24 B
//! ```
//!
//! `sys.getsizeof(d) = 16 + 48 + 32 + index bytes + USABLE_FRACTION(size) * entry size` when the
//! keys are its own (`{}` shares the static empty keys: 64). Lookups probe
//! `i = hash & mask`, then `perturb >>= 5; i = (5*i + perturb + 1) & mask`, comparing identity,
//! then the hash, then `==`. Deleting leaves `DKIX_DUMMY` and a hole in the entries; only a
//! resize compacts. Each function names the C function it mirrors.
//!
//! # Files
//!
//! - this file: the policies (`USABLE_FRACTION`, `calculate_log2_keysize`, `GROWTH_RATE`, the
//!   block sizes) and the safe API of [`PyDict`]: lookup, insert, delete, pop, iteration,
//!   copy, merge — safe code;
//! - `keys.rs`: the `PyDictKeysObject` block — indices, entries, the probe loops, building
//!   and cloning a table, giving one back, the keys free list and the static empty keys;
//! - `object.rs`: the `PyDictObject` struct, `PyDict_Type`'s slots, the dict free list, and the
//!   steps that change which table a dict owns (`insert_to_emptydict`, `dictresize`, `clear`).
//!
//! `keys.rs` and `object.rs` are the files of `dict` with `unsafe`.

mod keys;
mod object;

use std::cell::Cell;
use std::ptr::NonNull;

use crate::error::{ExcKind, PyErr, PyResult};
use crate::hash::PyHash;
use crate::object::{GC_HEAD_SIZE, Obj, PyObject};
use crate::profile::{Current, Profile};
use crate::types::ops;
use crate::types::state;
use crate::types::str::STR_TYPE;
use crate::types::tuple::PyTuple;

pub use keys::PyDictKeysObject;
use keys::key_hash;
pub(crate) use object::DictState;
pub use object::{DICT_TYPE, MA_KEYS_OFFSET, MA_USED_OFFSET, PyDictObject};

/// `PyDict_MAXFREELIST` (dict objects, and size-8 unicode keys objects).
pub const PYDICT_MAXFREELIST: usize = Current::DICT_MAXFREELIST;
/// `PyDict_LOG_MINSIZE`.
pub const PYDICT_LOG_MINSIZE: u8 = Current::DICT_LOG_MINSIZE;
/// `PyDict_MINSIZE`.
pub const PYDICT_MINSIZE: usize = 1 << PYDICT_LOG_MINSIZE;
/// `PERTURB_SHIFT`.
pub const PERTURB_SHIFT: u32 = 5;
/// `DKIX_EMPTY`.
pub const DKIX_EMPTY: isize = -1;
/// `DKIX_DUMMY`.
pub const DKIX_DUMMY: isize = -2;
/// `DICT_KEYS_GENERAL`.
pub const DICT_KEYS_GENERAL: u8 = 0;
/// `DICT_KEYS_UNICODE`.
pub const DICT_KEYS_UNICODE: u8 = 1;
/// `sizeof(PyDictKeysObject)`.
pub const KEYS_HEADER: usize = Current::DICT_KEYS_HEADER;
/// `sizeof(PyDictUnicodeEntry)`.
pub const UNICODE_ENTRY: usize = match Current::DICT_UNICODE_ENTRY {
    Some(n) => n,
    None => panic!("this dict is 3.11's: str-keyed tables have their own entries"),
};
/// `sizeof(PyDictKeyEntry)`.
pub const GENERAL_ENTRY: usize = Current::DICT_GENERAL_ENTRY;
/// Largest table `dict_new_presized` makes (`log2_max_presize`).
pub const LOG2_MAX_PRESIZE: u8 = Current::DICT_LOG2_MAX_PRESIZE;

/// `MAINTAIN_TRACKING`: track an untracked dict when a key or value may be tracked.
fn maintain_tracking(d: &PyDict, key: NonNull<PyObject>, value: NonNull<PyObject>) {
    let op = d.0.as_ptr();
    if !crate::gc::is_tracked_ptr(op)
        && (crate::gc::may_be_tracked(key) || crate::gc::may_be_tracked(value))
    {
        crate::gc::track(op);
    }
}

/// `USABLE_FRACTION(n)`.
pub fn usable_fraction(n: usize) -> usize {
    Current::usable_fraction(n)
}

/// `calculate_log2_keysize(minsize)` (64-bit form, with its quirks: 1..7 give 16 slots, an
/// exact power of two doubles).
pub fn calculate_log2_keysize(minsize: usize) -> u8 {
    let m = (minsize | PYDICT_MINSIZE) - 1;
    (usize::BITS - (m | (PYDICT_MINSIZE - 1)).leading_zeros()) as u8
}

/// `GROWTH_RATE(d)`: the minimum size `insertion_resize` asks for, `ma_used * 3` (since 3.7,
/// bpo-33205; the table becomes the next power of two above it, [`calculate_log2_keysize`]).
pub fn growth_rate(ma_used: usize) -> usize {
    Current::dict_growth_rate(ma_used)
}

/// `estimate_log2_keysize(n)`: a table for `n` entries, as presizing computes it.
#[allow(clippy::manual_div_ceil)] // written as in dictobject.c
pub fn estimate_log2_keysize(n: usize) -> u8 {
    calculate_log2_keysize((n * 3 + 1) / 2)
}

/// `dk_log2_index_bytes` for a table of `2**log2_size` slots.
pub const fn log2_index_bytes(log2_size: u8) -> u8 {
    if log2_size < 8 {
        log2_size
    } else if log2_size < 16 {
        log2_size + 1
    } else if log2_size >= 32 {
        log2_size + 3
    } else {
        log2_size + 2
    }
}

/// `_PyDict_KeysSize`: bytes of a keys object.
pub fn keys_size(log2_size: u8, unicode: bool) -> usize {
    KEYS_HEADER
        + (1usize << log2_index_bytes(log2_size))
        + usable_fraction(1 << log2_size)
            * if unicode {
                UNICODE_ENTRY
            } else {
                GENERAL_ENTRY
            }
}

/// `sys.getsizeof` of a dict whose own keys object has `2**log2_size` slots.
pub fn dict_getsizeof(log2_size: u8, unicode: bool) -> usize {
    GC_HEAD_SIZE + size_of::<PyDictObject>() + keys_size(log2_size, unicode)
}

thread_local! {
    /// `pydict_global_version`, per thread like the runtime (a `const` thread-local: no
    /// lazy-initialisation check on every insert).
    static VERSION: Cell<u64> = const { Cell::new(0) };
}

/// `DICT_NEXT_VERSION()`.
#[inline]
fn next_version() -> u64 {
    VERSION.with(|c| {
        let v = c.get() + 1;
        c.set(v);
        v
    })
}

/// Dicts and keys objects on this thread's free lists.
pub fn free_list_lens() -> (usize, usize) {
    state::with(|st| (st.dicts.numfree(), st.dicts.keys_numfree()))
}

fn is_str(o: &Obj) -> bool {
    o.is_type(&STR_TYPE)
}

/// A snapshot of a dict's table, for inspection and tests.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TableInfo {
    /// `ma_used`.
    pub ma_used: usize,
    /// `dk_refcnt`.
    pub dk_refcnt: isize,
    /// `dk_log2_size`.
    pub dk_log2_size: u8,
    /// `dk_log2_index_bytes`.
    pub dk_log2_index_bytes: u8,
    /// `dk_kind`: 0 general, 1 unicode.
    pub dk_kind: u8,
    /// `dk_usable`.
    pub dk_usable: isize,
    /// `dk_nentries`.
    pub dk_nentries: isize,
    /// `dk_indices`.
    pub indices: Vec<isize>,
    /// Whether the keys are the shared static empty keys.
    pub shared_empty_keys: bool,
    /// Address of the keys object.
    pub keys_address: usize,
}

/// One slot a lookup visits ([`PyDict::probe_path`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ProbeStep {
    /// The slot in `dk_indices`.
    pub slot: usize,
    /// `perturb` when the slot was read (the hash, shifted right 5 bits per step before it).
    pub perturb: usize,
    /// What the slot holds: an entry index, `DKIX_EMPTY` (-1) or `DKIX_DUMMY` (-2).
    pub index: isize,
}

/// A handle to a `dict`.
#[derive(Clone, Debug)]
pub struct PyDict(Obj);

typed_handle!(PyDict, DICT_TYPE, "dict");

impl PyDict {
    /// A dict display `{k: v, ...}`: 3.11 compiles up to 15 pairs to `BUILD_MAP` /
    /// `BUILD_CONST_KEY_MAP` (`_PyDict_FromItems`, presized), more to `BUILD_MAP 0` and one
    /// `MAP_ADD` per pair.
    pub fn from_display(pairs: Vec<(Obj, Obj)>) -> PyResult<PyDict> {
        let d = if pairs.len() <= 15 {
            let unicode = pairs.iter().all(|(k, _)| is_str(k));
            PyDict::new_presized(pairs.len(), unicode)
        } else {
            PyDict::new()
        };
        for (k, v) in pairs {
            d.set_item(k, v)?;
        }
        Ok(d)
    }

    /// `len(d)` (`ma_used`).
    pub fn len(&self) -> usize {
        self.ma_used()
    }

    /// Whether the dict is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `ma_version_tag`.
    pub fn version_tag(&self) -> u64 {
        self.ma_version_tag()
    }

    /// The table's fields.
    pub fn table(&self) -> TableInfo {
        let k = self.keys_obj();
        let shared = k.is_shared_empty();
        TableInfo {
            ma_used: self.len(),
            dk_refcnt: k.refcnt(),
            dk_log2_size: k.log2_size(),
            dk_log2_index_bytes: k.log2_index_bytes(),
            dk_kind: k.kind(),
            dk_usable: k.usable(),
            dk_nentries: k.nentries() as isize,
            indices: if shared {
                vec![DKIX_EMPTY; 8]
            } else {
                (0..k.size()).map(|i| k.get_index(i)).collect()
            },
            shared_empty_keys: shared,
            keys_address: k.as_ptr() as usize,
        }
    }

    /// `_Py_dict_lookup`: the entry index of `key` (or `None`), counting probes.
    #[inline(always)]
    fn lookup(&self, key: &Obj, hash: PyHash) -> PyResult<Option<usize>> {
        self.keys_obj().lookup(key, hash)
    }

    /// The slots a lookup of `key` visits, in order, as `_Py_dict_lookup` walks them:
    /// `i = hash & mask`, then `perturb >>= PERTURB_SHIFT; i = (i*5 + perturb + 1) & mask`,
    /// until the slot holding the key's entry or a `DKIX_EMPTY` slot (`DKIX_DUMMY` slots are
    /// stepped over). Empty for the shared empty keys. For the explorer: it reads the live
    /// index array, so what it shows is what a lookup does.
    pub fn probe_path(&self, key: &Obj) -> PyResult<Vec<ProbeStep>> {
        let hash = key_hash(key)?;
        let k = self.keys_obj();
        if k.is_shared_empty() {
            return Ok(Vec::new());
        }
        let found = self.lookup(key, hash)?;
        let mask = k.mask();
        let mut i = hash as usize & mask;
        let mut perturb = hash as usize;
        let mut path = Vec::new();
        loop {
            let ix = k.get_index(i);
            path.push(ProbeStep {
                slot: i,
                perturb,
                index: ix,
            });
            if ix == DKIX_EMPTY || found.is_some_and(|f| ix == f as isize) {
                return Ok(path);
            }
            debug_assert!(path.len() <= k.size() * 64, "probe path does not end");
            perturb >>= PERTURB_SHIFT;
            i = (i * 5 + perturb + 1) & mask;
        }
    }

    /// `d[key]`: `KeyError` when missing.
    pub fn get_item(&self, key: &Obj) -> PyResult<Obj> {
        self.get(key)?
            .ok_or_else(|| PyErr::new(ExcKind::KeyError, ops::repr(key)))
    }

    /// `d.get(key)`.
    pub fn get(&self, key: &Obj) -> PyResult<Option<Obj>> {
        let hash = key_hash(key)?;
        Ok(self.lookup(key, hash)?.and_then(|ix| {
            // A found entry is live: it has a value.
            self.keys_obj().entry_objs(ix).map(|(_, v)| v)
        }))
    }

    /// `key in d`.
    pub fn contains(&self, key: &Obj) -> PyResult<bool> {
        let hash = key_hash(key)?;
        Ok(self.lookup(key, hash)?.is_some())
    }

    /// `d[key] = value` (`PyDict_SetItem` → `insert_to_emptydict` or `insertdict`).
    ///
    /// ```
    /// use pylayout::types::dict::PyDict;
    /// use pylayout::types::int::PyInt;
    /// use pylayout::types::str::PyStr;
    ///
    /// # fn main() -> Result<(), pylayout::error::PyErr> {
    /// let d = PyDict::new();
    /// assert!(d.table().shared_empty_keys); // `{}` owns no table ...
    /// assert_eq!(d.as_obj().getsizeof(), 64); // ... so it is 16 + 48 bytes
    ///
    /// let one = PyInt::from_i64(1).into_obj();
    /// d.set_item(PyStr::new("a").into_obj(), one.clone())?;
    /// let t = d.table();
    /// // An 8-slot table of the unicode kind (every key a str): 1-byte indices, 5 usable
    /// // 16-byte entries {me_key, me_value}: 16 + 48 + 32 + 8 + 5 * 16 = 184.
    /// assert_eq!((t.dk_log2_size, t.dk_kind, t.dk_usable, t.dk_nentries), (3, 1, 4, 1));
    /// assert_eq!(d.as_obj().getsizeof(), 184);
    /// let got = d.get(PyStr::new("a").as_obj())?.expect("present");
    /// assert!(got.is(&one));
    /// assert!(d.get(PyStr::new("b").as_obj())?.is_none());
    ///
    /// // A key that is not a str turns the table general (24-byte entries with the hash)
    /// // and resizes it to 16 slots: 16 + 48 + 32 + 16 + 10 * 24 = 352.
    /// d.set_item(one.clone(), one)?;
    /// assert_eq!((d.table().dk_log2_size, d.table().dk_kind), (4, 0));
    /// assert_eq!(d.as_obj().getsizeof(), 352);
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_item(&self, key: Obj, value: Obj) -> PyResult<()> {
        let hash = key_hash(&key)?;
        self.insert_hashed(key, hash, value)
    }

    fn insert_hashed(&self, key: Obj, hash: PyHash, value: Obj) -> PyResult<()> {
        if self.keys_obj().is_shared_empty() {
            self.insert_to_emptydict(key, hash, value);
            return Ok(());
        }
        self.insertdict(key, hash, value)
    }

    /// `insertion_resize(mp, unicode)`.
    fn insertion_resize(&self, unicode: bool) {
        self.dictresize(calculate_log2_keysize(growth_rate(self.len())), unicode);
    }

    /// `insertdict`.
    fn insertdict(&self, key: Obj, hash: PyHash, value: Obj) -> PyResult<()> {
        if self.keys_obj().unicode() && !is_str(&key) {
            self.insertion_resize(false);
        }
        let found = self.lookup(&key, hash)?;
        maintain_tracking(self, key.as_ptr(), value.as_ptr());
        match found {
            None => {
                let mut k = self.keys_obj();
                k.clear_version();
                if k.usable() <= 0 {
                    self.insertion_resize(true);
                    k = self.keys_obj();
                }
                // (CPython switches a unicode table to GENERAL here for a key that is not a
                // str; the resize at the top has already made it GENERAL.)
                k.insert_new(hash, key, value);
                self.add_used(1);
                self.bump_version();
            }
            Some(ix) => {
                if let Some(old) = self.keys_obj().replace_value(ix, value) {
                    self.bump_version();
                    // The table's reference to the replaced value.
                    drop(old);
                }
                drop(key);
            }
        }
        Ok(())
    }

    /// `del d[key]` (`delitem_common`): `DKIX_DUMMY` in the index, a hole in the entries.
    pub fn del_item(&self, key: &Obj) -> PyResult<()> {
        let hash = key_hash(key)?;
        let ix = self
            .lookup(key, hash)?
            .ok_or_else(|| PyErr::new(ExcKind::KeyError, ops::repr(key)))?;
        let (k, v) = self.delitem_common(hash, ix);
        drop(k);
        drop(v);
        Ok(())
    }

    /// Remove entry `ix`, returning its (key, value) references.
    fn delitem_common(&self, hash: PyHash, ix: usize) -> (Obj, Obj) {
        self.add_used(-1);
        self.bump_version();
        self.keys_obj().remove_entry(hash, ix)
    }

    /// `d.pop(key)`: `KeyError` when missing.
    pub fn pop(&self, key: &Obj) -> PyResult<Obj> {
        // _PyDict_Pop: an empty dict raises before hashing (an unhashable key included).
        if self.is_empty() {
            return Err(PyErr::new(ExcKind::KeyError, ops::repr(key)));
        }
        let hash = key_hash(key)?;
        let ix = self
            .lookup(key, hash)?
            .ok_or_else(|| PyErr::new(ExcKind::KeyError, ops::repr(key)))?;
        Ok(self.delitem_common(hash, ix).1)
    }

    /// `d.popitem()`: the last entry; `dk_nentries` shrinks to it, `dk_usable` does not grow.
    pub fn popitem(&self) -> PyResult<(Obj, Obj)> {
        if self.is_empty() {
            return Err(PyErr::new(
                ExcKind::KeyError,
                "'popitem(): dictionary is empty'",
            ));
        }
        let entry = self.keys_obj().pop_last_entry();
        self.add_used(-1);
        self.bump_version();
        Ok(entry)
    }

    /// (key, value) references in insertion order.
    pub fn items(&self) -> Vec<(Obj, Obj)> {
        let k = self.keys_obj();
        if k.is_shared_empty() {
            return Vec::new();
        }
        (0..k.nentries())
            .filter_map(|ix| k.entry_objs(ix))
            .collect()
    }

    /// `dk_nentries`: the dense entries used so far (holes included), what a dict iterator
    /// walks.
    pub fn nentries(&self) -> usize {
        let k = self.keys_obj();
        if k.is_shared_empty() { 0 } else { k.nentries() }
    }

    /// The entry at dense position `ix` (`None` for a deleted entry or past the end), as
    /// `dictiter_iternextkey` reads it.
    pub fn entry_at(&self, ix: usize) -> Option<(Obj, Obj)> {
        let k = self.keys_obj();
        if k.is_shared_empty() || ix >= k.nentries() {
            return None;
        }
        k.entry_objs(ix)
    }

    /// The keys in insertion order.
    pub fn keys(&self) -> Vec<Obj> {
        self.items().into_iter().map(|(k, _)| k).collect()
    }

    /// `d.copy()` (`PyDict_Copy`): a byte clone of the table when at most a third of its
    /// entries are holes, else a fresh merge.
    pub fn copy(&self) -> PyResult<PyDict> {
        if self.is_empty() {
            return Ok(PyDict::new());
        }
        let k = self.keys_obj();
        if self.len() >= k.nentries() * 2 / 3 {
            let new = self.copy_by_clone();
            if crate::gc::is_tracked(self.as_obj()) {
                crate::gc::track(new.0.as_ptr());
            }
            return Ok(new);
        }
        let copy = PyDict::new();
        copy.merge(self)?;
        Ok(copy)
    }

    /// `dict(other)` (`dict_new` then `dict_merge`).
    pub fn from_dict(other: &PyDict) -> PyResult<PyDict> {
        let d = PyDict::new_from_type();
        d.merge(other)?;
        Ok(d)
    }

    /// `d.update(other)` for a dict (`dict_merge(a, b, override=1)`).
    pub fn merge(&self, other: &PyDict) -> PyResult<()> {
        if other.as_obj().is(self.as_obj()) || other.is_empty() {
            return Ok(());
        }
        if self.is_empty() {
            let ok = other.keys_obj();
            if other.len() == ok.nentries()
                && (ok.log2_size() == PYDICT_LOG_MINSIZE
                    || usable_fraction(ok.size() / 2) < other.len())
            {
                self.adopt_clone_of(other);
                if crate::gc::is_tracked(other.as_obj()) && !crate::gc::is_tracked(self.as_obj()) {
                    crate::gc::track(self.0.as_ptr());
                }
                return Ok(());
            }
        }
        let mine = self.keys_obj();
        let my_usable = if mine.is_shared_empty() {
            0
        } else {
            usable_fraction(mine.size())
        };
        if my_usable < other.len() {
            let unicode = other.keys_obj().unicode();
            self.dictresize(estimate_log2_keysize(self.len() + other.len()), unicode);
        }
        let ok = other.keys_obj();
        for ix in 0..ok.nentries() {
            let Some((key, value)) = ok.entry_objs(ix) else {
                continue;
            };
            let hash = ok.entry_hash(ix);
            self.insert_hashed(key, hash, value)?;
        }
        Ok(())
    }

    /// `dict.fromkeys(iterable, value)`. `source_dict` says whether the iterable is an exact
    /// dict (presized to its length, keeping its kind); other iterables insert one by one.
    pub fn fromkeys(keys: Vec<Obj>, value: Obj, source: FromKeysSource) -> PyResult<PyDict> {
        let d = PyDict::new_from_type();
        match source {
            FromKeysSource::Dict { unicode } => {
                d.dictresize(estimate_log2_keysize(keys.len()), unicode);
                for k in keys {
                    let hash = key_hash(&k)?;
                    d.insertdict(k, hash, value.clone())?;
                }
            }
            FromKeysSource::Set => {
                d.dictresize(estimate_log2_keysize(keys.len()), false);
                for k in keys {
                    let hash = key_hash(&k)?;
                    d.insertdict(k, hash, value.clone())?;
                }
            }
            FromKeysSource::Iterable => {
                for k in keys {
                    d.set_item(k, value.clone())?;
                }
            }
        }
        Ok(d)
    }

    /// `(key, value)` tuples, as `d.items()` iterates them.
    pub fn item_tuples(&self) -> Vec<PyTuple> {
        self.items()
            .into_iter()
            .map(|(k, v)| PyTuple::new(vec![k, v]))
            .collect()
    }
}

impl Default for PyDict {
    fn default() -> Self {
        PyDict::new()
    }
}

/// Where `dict.fromkeys` takes its keys from (it presizes for exact dicts and sets).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FromKeysSource {
    /// An exact dict whose keys are all str (`unicode`) or not.
    Dict {
        /// The source table's kind.
        unicode: bool,
    },
    /// An exact set or frozenset: presized, always a GENERAL table.
    Set,
    /// Anything else: one insertion at a time.
    Iterable,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime;
    use crate::types::int::PyInt;
    use crate::types::str::PyStr;

    fn int(v: i64) -> Obj {
        PyInt::from_i64(v).into_obj()
    }
    fn s(v: &str) -> Obj {
        PyStr::new(v).into_obj()
    }

    #[test]
    fn policy_functions() {
        assert_eq!(calculate_log2_keysize(3), 4);
        assert_eq!(calculate_log2_keysize(15), 4);
        assert_eq!(calculate_log2_keysize(16), 5);
        assert_eq!(calculate_log2_keysize(32), 6);
        assert_eq!(estimate_log2_keysize(21), 6);
        assert_eq!(dict_getsizeof(3, true), 184);
        assert_eq!(dict_getsizeof(8, false), 4688);
    }

    #[test]
    fn probe_path_walks_the_perturbed_sequence() {
        // 64 collides with 0 in slot 0; perturb 64 >> 5 = 2 -> slot (0*5 + 2 + 1) & 7 = 3.
        let d = PyDict::new();
        for k in [0, 64] {
            d.set_item(int(k), int(k)).unwrap();
        }
        let path = d.probe_path(&int(64)).unwrap();
        let slots: Vec<(usize, usize, isize)> =
            path.iter().map(|p| (p.slot, p.perturb, p.index)).collect();
        assert_eq!(slots, vec![(0, 64, 0), (3, 2, 1)]);
        // A deleted first key leaves a dummy the walk steps over; a missing key ends on empty.
        d.del_item(&int(0)).unwrap();
        let path = d.probe_path(&int(64)).unwrap();
        assert_eq!(path[0].index, DKIX_DUMMY);
        assert_eq!(path.last().unwrap().index, 1);
        let miss = d.probe_path(&int(8)).unwrap();
        assert_eq!(miss.last().unwrap().index, DKIX_EMPTY);
        assert!(PyDict::new().probe_path(&int(1)).unwrap().is_empty());
    }

    #[test]
    fn int_keys_probe_like_cpython() {
        // memdict.py: keys 0, 8, 16, 1 into a size-8 table -> [0,1,-1,-1,-1,-1,2,3].
        let d = PyDict::new();
        for k in [0, 8, 16, 1] {
            d.set_item(int(k), int(k)).unwrap();
        }
        assert_eq!(d.table().indices, vec![0, 1, -1, -1, -1, -1, 2, 3]);
        assert_eq!(d.as_obj().getsizeof(), 224);
    }

    #[test]
    fn growth_sizes() {
        let (ds, di) = (PyDict::new(), PyDict::new());
        assert_eq!(ds.as_obj().getsizeof(), 64);
        for n in 1..=100 {
            ds.set_item(s(&format!("k{n}")), int(n)).unwrap();
            di.set_item(int(n * 1000), int(n)).unwrap();
        }
        assert_eq!(ds.as_obj().getsizeof(), 3328);
        assert_eq!(di.as_obj().getsizeof(), 4688);
    }

    #[test]
    fn str_to_general_switch_and_deletes() {
        let d = PyDict::new();
        d.set_item(s("a"), int(1)).unwrap();
        d.set_item(int(1), int(2)).unwrap();
        assert_eq!(d.as_obj().getsizeof(), 352);
        assert_eq!(d.table().dk_kind, DICT_KEYS_GENERAL);
        d.del_item(&s("a")).unwrap();
        assert_eq!(d.table().dk_nentries, 2);
        assert!(d.table().indices.contains(&DKIX_DUMMY));
        assert!(d.get_item(&s("a")).is_err());
        assert_eq!(ops::repr(&d.get_item(&int(1)).unwrap()), "2");
    }

    #[test]
    fn everything_comes_back() {
        runtime::clear_freelists();
        let base = runtime::allocated_blocks();
        {
            let d = PyDict::new();
            for i in 0..500 {
                d.set_item(int(i * 7), s(&format!("v{i}"))).unwrap();
            }
            for i in 0..250 {
                d.del_item(&int(i * 14)).unwrap();
            }
            let c = d.copy().unwrap();
            let e = PyDict::from_dict(&c).unwrap();
            e.popitem().unwrap();
            e.clear();
            d.merge(&c).unwrap();
        }
        runtime::clear_freelists();
        assert_eq!(runtime::allocated_blocks(), base);
    }
}
