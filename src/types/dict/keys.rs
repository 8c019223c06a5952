//! The raw layer of `dict`: the `PyDictKeysObject` block (`Objects/dict-common.h`,
//! `Objects/dictobject.c`: `new_keys_object`, `free_keys_object`, `dictkeys_decref`,
//! `dictkeys_get_index`/`_set_index`, `find_empty_slot`, `lookdict_index`,
//! `unicodekeys_lookup_unicode`/`dictkeys_generic_lookup`, `build_indices_*`,
//! `clone_combined_dict_keys`).
//!
//! ```text
//!  one PyObject_Malloc block:
//!  +0   header, 32 bytes      dk_refcnt, dk_log2_size, dk_log2_index_bytes, dk_kind,
//!                             dk_version, dk_usable, dk_nentries
//!  +32  dk_indices[2**log2]   1, 2, 4 or 8 bytes each: -1 EMPTY, -2 DUMMY, else an entry index
//!  ...  entries[usable]       UNICODE: {me_key, me_value} 16 B
//!                             GENERAL: {me_hash, me_key, me_value} 24 B
//! ```
//!
//! Unsafe: indices and entries are read and written at computed offsets inside that block, and
//! entries hold owned references as raw pointers.
//!
//! A [`Keys`] is a pointer to a live keys object: the one a live dict's `ma_keys` points at (or
//! a fresh one on its way there). Its safe methods keep the table's invariants — an index is
//! `DKIX_EMPTY`, `DKIX_DUMMY` or the index of a written entry below `dk_nentries`, and an entry
//! with a value owns its key and value — and take or hand back references as [`Obj`]s. What can
//! break them is an `unsafe fn` with its `# Safety` section: writing raw pointers into an entry,
//! and giving a keys object back (`free_keys_object`, `release_keys_block`, `keys_decref`),
//! after which no `Keys` of it may be used.
#![allow(unsafe_code)]

use std::cell::Cell;
use std::ptr::NonNull;

use super::{
    DICT_KEYS_GENERAL, DICT_KEYS_UNICODE, DKIX_DUMMY, DKIX_EMPTY, GENERAL_ENTRY, KEYS_HEADER,
    PERTURB_SHIFT, PYDICT_LOG_MINSIZE, PYDICT_MAXFREELIST, UNICODE_ENTRY, is_str, keys_size,
    log2_index_bytes, usable_fraction,
};
use crate::cost;
use crate::error::PyResult;
use crate::hash::PyHash;
use crate::object::{Obj, PyObject};
use crate::runtime;
use crate::types::ops;
use crate::types::state;
use crate::types::str::PyStr;

/// `PyDictKeysObject` (header; indices and entries follow).
#[repr(C)]
#[derive(Debug)]
pub struct PyDictKeysObject {
    /// `dk_refcnt`.
    pub dk_refcnt: Cell<isize>,
    /// `dk_log2_size`.
    pub dk_log2_size: Cell<u8>,
    /// `dk_log2_index_bytes`.
    pub dk_log2_index_bytes: Cell<u8>,
    /// `dk_kind`.
    pub dk_kind: Cell<u8>,
    pub(super) _pad: u8,
    /// `dk_version`.
    pub dk_version: Cell<u32>,
    /// `dk_usable`.
    pub dk_usable: Cell<isize>,
    /// `dk_nentries`.
    pub dk_nentries: Cell<isize>,
}

const _: () = assert!(size_of::<PyDictKeysObject>() == KEYS_HEADER);

/// A pointer to a live keys object: the one a live dict's `ma_keys` points at, or a fresh one
/// on its way there (see the module docs). Copy, like the pointer it is: a `Keys` must not be
/// used after the keys object is given back, which only the `unsafe fn`s below do.
#[derive(Clone, Copy, Debug)]
pub(super) struct Keys(NonNull<PyDictKeysObject>);

impl Keys {
    /// The keys object a live dict's `ma_keys` points at.
    ///
    /// # Safety
    /// `p` is the `ma_keys` of a live dict (or a keys object made by this module and not yet
    /// given back).
    pub(super) unsafe fn from_ma_keys(p: *mut PyDictKeysObject) -> Keys {
        Keys(NonNull::new(p).expect("dicts always have keys"))
    }

    /// The pointer, for `ma_keys`.
    pub(super) fn as_ptr(self) -> *mut PyDictKeysObject {
        self.0.as_ptr()
    }

    /// Whether this is the runtime's static empty keys: the only table of size 1 (every
    /// other has at least `PyDict_MINSIZE` slots). A field read instead of a thread-local
    /// lookup of the runtime's pointer.
    #[inline]
    pub(super) fn is_shared_empty(self) -> bool {
        let shared = self.log2_size() == 0;
        debug_assert!(
            state::try_with(|st| st.dicts.empty_keys().0 == self.0).is_none_or(|e| e == shared)
        );
        shared
    }
    /// The header's fields (private: a size or kind written from outside would make the
    /// offsets below point elsewhere; the getters and setters after it are what others use).
    #[inline]
    fn h(&self) -> &PyDictKeysObject {
        // SAFETY: a Keys points at a live keys object (type invariant); fields are Cells.
        unsafe { self.0.as_ref() }
    }
    /// `dk_refcnt`.
    pub(super) fn refcnt(self) -> isize {
        self.h().dk_refcnt.get()
    }
    /// `dk_log2_index_bytes`.
    pub(super) fn log2_index_bytes(self) -> u8 {
        self.h().dk_log2_index_bytes.get()
    }
    /// `dk_kind`.
    pub(super) fn kind(self) -> u8 {
        self.h().dk_kind.get()
    }
    /// `dk_usable`: entries left before a resize.
    pub(super) fn usable(self) -> isize {
        self.h().dk_usable.get()
    }
    /// `dk_version = 0` (the table changed shape).
    pub(super) fn clear_version(self) {
        self.h().dk_version.set(0);
    }
    pub(super) fn log2_size(self) -> u8 {
        self.h().dk_log2_size.get()
    }
    pub(super) fn size(self) -> usize {
        1 << self.log2_size()
    }
    pub(super) fn mask(self) -> usize {
        self.size() - 1
    }
    pub(super) fn unicode(self) -> bool {
        self.h().dk_kind.get() == DICT_KEYS_UNICODE
    }
    pub(super) fn entry_size(self) -> usize {
        if self.unicode() {
            UNICODE_ENTRY
        } else {
            GENERAL_ENTRY
        }
    }
    fn base(self) -> *mut u8 {
        self.0.as_ptr().cast()
    }
    fn index_width(self) -> usize {
        1 << (self.h().dk_log2_index_bytes.get() - self.log2_size())
    }
    pub(super) fn nentries(self) -> usize {
        self.h().dk_nentries.get() as usize
    }
    /// Entries the block has room for (`USABLE_FRACTION(size)`; 0 for the static empty keys).
    fn capacity(self) -> usize {
        if self.is_shared_empty() {
            0
        } else {
            usable_fraction(self.size())
        }
    }
    /// `dictkeys_get_index`. Panics unless `i < size`.
    pub(super) fn get_index(self, i: usize) -> isize {
        assert!(i < self.size(), "index slot {i} of {}", self.size());
        // SAFETY: the indices array holds size entries of index_width bytes.
        unsafe {
            let p = self.base().add(KEYS_HEADER);
            match self.index_width() {
                1 => *p.cast::<i8>().add(i) as isize,
                2 => p.cast::<i16>().add(i).read_unaligned() as isize,
                4 => p.cast::<i32>().add(i).read_unaligned() as isize,
                _ => p.cast::<i64>().add(i).read_unaligned() as isize,
            }
        }
    }
    /// `dictkeys_set_index`.
    ///
    /// # Safety
    /// `i < size`, and `ix` is `DKIX_EMPTY`, `DKIX_DUMMY` or the index of an entry that is
    /// written (with a key and a value) before the next lookup.
    unsafe fn set_index(self, i: usize, ix: isize) {
        debug_assert!(i < self.size());
        debug_assert!(
            ix >= DKIX_DUMMY && ix < self.capacity().max(1) as isize,
            "index {ix}"
        );
        // SAFETY: as in get_index.
        unsafe {
            let p = self.base().add(KEYS_HEADER);
            match self.index_width() {
                1 => *p.cast::<i8>().add(i) = ix as i8,
                2 => p.cast::<i16>().add(i).write_unaligned(ix as i16),
                4 => p.cast::<i32>().add(i).write_unaligned(ix as i32),
                _ => p.cast::<i64>().add(i).write_unaligned(ix as i64),
            }
        }
    }
    /// Pointer to the first word of entry `ix`.
    ///
    /// # Safety
    /// `ix` is below the entry capacity (`USABLE_FRACTION(size)`), or `ix == 0` for a
    /// base pointer that is not read through when there are no entries.
    unsafe fn entry(self, ix: usize) -> *mut *mut PyObject {
        debug_assert!(ix < usable_fraction(self.size()).max(1));
        // SAFETY: entries follow the indices; ix is below the entry capacity (contract).
        unsafe {
            self.base()
                .add(KEYS_HEADER + (1 << self.h().dk_log2_index_bytes.get()))
                .add(ix * self.entry_size())
                .cast()
        }
    }
    /// (`me_key`, `me_value`) pointers of entry `ix` (NULL, NULL for a deleted entry): values to
    /// compare, not references. Panics unless `ix < dk_nentries`.
    pub(super) fn key_value(self, ix: usize) -> (*mut PyObject, *mut PyObject) {
        assert!(ix < self.nentries(), "entry {ix} of {}", self.nentries());
        // SAFETY: ix < nentries <= capacity.
        let e = unsafe { self.entry(ix) };
        let off = if self.unicode() { 0 } else { 1 };
        // SAFETY: entry ix is inside the block.
        unsafe { (*e.add(off), *e.add(off + 1)) }
    }
    /// New references to the key and value of entry `ix`, `None` for a deleted entry.
    pub(super) fn entry_objs(self, ix: usize) -> Option<(Obj, Obj)> {
        let (key, value) = self.key_value(ix);
        // SAFETY: an entry with a value holds references to its key and value.
        (!value.is_null()).then(|| unsafe {
            (
                Obj::from_borrowed(NonNull::new_unchecked(key)),
                Obj::from_borrowed(NonNull::new_unchecked(value)),
            )
        })
    }
    /// `me_hash` (GENERAL) or the key's cached str hash (UNICODE) of a live entry.
    pub(super) fn entry_hash(self, ix: usize) -> PyHash {
        if self.unicode() {
            let (k, _) = self.key_value(ix);
            assert!(!k.is_null(), "entry {ix} was deleted");
            // SAFETY: a live entry of a unicode table holds a str key, hashed when inserted.
            unsafe { crate::types::str::cached_hash_of(NonNull::new_unchecked(k)) }
        } else {
            assert!(ix < self.nentries(), "entry {ix} of {}", self.nentries());
            // SAFETY: ix < nentries; general entries start with me_hash.
            unsafe { *self.entry(ix).cast::<isize>() as PyHash }
        }
    }
    /// Write entry `ix`.
    ///
    /// # Safety
    /// `ix` is below the entry capacity; `key` and `value` are owned references that the
    /// table takes (what the entry held before is overwritten, not released).
    unsafe fn set_entry(self, ix: usize, hash: PyHash, key: *mut PyObject, value: *mut PyObject) {
        // SAFETY: entry ix is inside the block (contract).
        unsafe {
            let e = self.entry(ix);
            if self.unicode() {
                *e = key;
                *e.add(1) = value;
            } else {
                *e.cast::<isize>() = hash as isize;
                *e.add(1) = key;
                *e.add(2) = value;
            }
        }
    }
    /// Clear entry `ix` as `delitem_common` (GENERAL hash 0) or `popitem` (hash -1) does.
    ///
    /// # Safety
    /// `ix < dk_nentries`; the entry's references were taken out first (they are forgotten).
    unsafe fn clear_entry(self, ix: usize, general_hash: isize) {
        // SAFETY: entry ix is inside the block (contract).
        unsafe {
            let e = self.entry(ix);
            if self.unicode() {
                *e = std::ptr::null_mut();
                *e.add(1) = std::ptr::null_mut();
            } else {
                *e.cast::<isize>() = general_hash;
                *e.add(1) = std::ptr::null_mut();
                *e.add(2) = std::ptr::null_mut();
            }
        }
    }
    /// `find_empty_slot`: the first slot on the probe path holding no entry.
    #[inline(always)]
    pub(super) fn find_empty_slot(self, hash: PyHash) -> usize {
        /// The probe loop for `I`-wide indices: (slot, probes).
        #[inline(always)]
        fn probe<I: IndexWord>(k: Keys, hash: PyHash) -> (usize, usize) {
            let mask = k.mask();
            // SAFETY: the indices follow the 32-byte header.
            let indices = unsafe { k.base().add(KEYS_HEADER) }.cast_const();
            let mut i = hash as usize & mask;
            let mut perturb = hash as usize;
            let mut probes = 1;
            // SAFETY: i <= mask, inside the index array of I-wide words.
            while unsafe { I::read(indices, i) } >= 0 {
                perturb >>= PERTURB_SHIFT;
                i = (i * 5 + perturb + 1) & mask;
                probes += 1;
            }
            (i, probes)
        }
        let (i, probes) = match self.h().dk_log2_index_bytes.get() - self.log2_size() {
            0 => probe::<i8>(self, hash),
            1 => probe::<i16>(self, hash),
            2 => probe::<i32>(self, hash),
            _ => probe::<i64>(self, hash),
        };
        cost::probed(probes);
        i
    }
    /// `lookdict_index`: the slot holding entry `ix`.
    fn lookdict_index(self, hash: PyHash, ix: usize) -> usize {
        let mask = self.mask();
        let mut i = hash as usize & mask;
        let mut perturb = hash as usize;
        loop {
            let found = self.get_index(i);
            if found == ix as isize {
                return i;
            }
            assert!(found != DKIX_EMPTY, "entry {ix} not in the index");
            perturb >>= PERTURB_SHIFT;
            i = (i * 5 + perturb + 1) & mask;
        }
    }

    /// `_Py_dict_lookup` on this table: the entry index of `key` (or `None`), counting probes.
    #[inline(always)]
    pub(super) fn lookup(self, key: &Obj, hash: PyHash) -> PyResult<Option<usize>> {
        if self.is_shared_empty() {
            return Ok(None);
        }
        // One probe loop per index width (dictkeys_get_index's switch hoisted out of it).
        let (result, probes) = match self.h().dk_log2_index_bytes.get() - self.log2_size() {
            0 => lookup_in::<i8>(self, key, hash),
            1 => lookup_in::<i16>(self, key, hash),
            2 => lookup_in::<i32>(self, key, hash),
            _ => lookup_in::<i64>(self, key, hash),
        };
        cost::probed(probes);
        result
    }

    /// The new-key half of `insertdict` / `insert_to_emptydict` on a table with a free entry
    /// (`dk_usable > 0`, else a panic): the first empty slot on the key's probe path gets
    /// entry `dk_nentries`, which takes the references. The caller has checked the key is
    /// absent and switched a unicode table to GENERAL for a key that is not a str.
    #[inline(always)]
    pub(super) fn insert_new(self, hash: PyHash, key: Obj, value: Obj) {
        assert!(
            self.h().dk_usable.get() > 0 && !self.is_shared_empty(),
            "no room for a new entry"
        );
        // Entries of a unicode table have no room for a hash: insertdict resizes to GENERAL
        // before a key that is not a str goes in.
        assert!(
            !self.unicode() || is_str(&key),
            "a key that is not a str in a unicode table"
        );
        let pos = self.find_empty_slot(hash);
        let n = self.nentries();
        // SAFETY: pos < size; n < capacity (dk_usable > 0), and entry n is written next,
        // with references the table takes.
        unsafe {
            self.set_index(pos, n as isize);
            self.set_entry(n, hash, key.into_raw().as_ptr(), value.into_raw().as_ptr());
        }
        self.h().dk_usable.set(self.h().dk_usable.get() - 1);
        self.h().dk_nentries.set(n as isize + 1);
    }

    /// Put `value` in live entry `ix`, handing back the value it replaces; `None` (and
    /// `value` released) when it is the same object.
    pub(super) fn replace_value(self, ix: usize, value: Obj) -> Option<Obj> {
        let (key, old) = self.key_value(ix);
        assert!(!key.is_null() && !old.is_null(), "entry {ix} was deleted");
        if old == value.as_ptr().as_ptr() {
            return None;
        }
        let off = if self.unicode() { 1 } else { 2 };
        // SAFETY: entry ix < nentries is inside the block; the table takes value's reference
        // and gives its reference to the old value to the caller.
        unsafe {
            *self.entry(ix).add(off) = value.into_raw().as_ptr();
            Some(Obj::from_owned(NonNull::new_unchecked(old)))
        }
    }

    /// `delitem_common`'s table half: entry `ix` (whose key hashes to `hash`) becomes a hole
    /// and its slot `DKIX_DUMMY`; the entry's references are handed back.
    pub(super) fn remove_entry(self, hash: PyHash, ix: usize) -> (Obj, Obj) {
        let pos = self.lookdict_index(hash, ix);
        let (key, value) = self.key_value(ix);
        assert!(!key.is_null() && !value.is_null(), "entry {ix} was deleted");
        self.h().dk_version.set(0);
        // SAFETY: pos < size; the entry's references are taken out just below.
        unsafe {
            self.set_index(pos, DKIX_DUMMY);
            self.clear_entry(ix, 0);
            (
                Obj::from_owned(NonNull::new_unchecked(key)),
                Obj::from_owned(NonNull::new_unchecked(value)),
            )
        }
    }

    /// `dict_popitem_impl`'s table half: the last live entry comes out, `dk_nentries` shrinks
    /// to it (`dk_usable` does not grow). Panics on a table with no live entry.
    pub(super) fn pop_last_entry(self) -> (Obj, Obj) {
        let mut i = self
            .nentries()
            .checked_sub(1)
            .expect("popitem of an empty table");
        while self.key_value(i).1.is_null() {
            i = i.checked_sub(1).expect("popitem of an empty table");
        }
        let hash = self.entry_hash(i);
        let (key, value) = self.key_value(i);
        // SAFETY: entry i < nentries is live; its references are taken out below, and the
        // slot found for it becomes DKIX_DUMMY.
        unsafe {
            self.clear_entry(i, -1);
            let pos = self.lookdict_index(hash, i);
            self.set_index(pos, DKIX_DUMMY);
        }
        self.h().dk_nentries.set(i as isize);
        // SAFETY: the references the entry held.
        unsafe {
            (
                Obj::from_owned(NonNull::new_unchecked(key)),
                Obj::from_owned(NonNull::new_unchecked(value)),
            )
        }
    }

    /// `dictresize`'s table half: a fresh table of `2**log2_newsize` slots (unicode only if
    /// asked and this one is) with this table's `numentries` live entries moved in, in order,
    /// and its index built. Returns the new table and the probes made.
    ///
    /// # Safety
    /// `numentries` is the number of live entries here. Afterwards this table's entries are
    /// copies of references the new table owns: it must be given back with
    /// [`release_keys_block`] (never [`free_keys_object`] or [`keys_decref`]), or be the static
    /// empty keys.
    pub(super) unsafe fn move_into_new(
        self,
        log2_newsize: u8,
        unicode: bool,
        numentries: usize,
    ) -> (Keys, usize) {
        let unicode = unicode && self.unicode();
        let new = new_keys_object(log2_newsize, unicode);
        assert!(
            numentries <= new.capacity(),
            "{numentries} entries into a table of {}",
            new.size()
        );
        if numentries > 0 && self.nentries() == numentries && self.unicode() == new.unicode() {
            // No holes, same entry kind: the entries are copied as they are (dictresize's
            // memcpy), the same bytes the loop below would write.
            // SAFETY: both tables hold at least numentries entries of this size; distinct
            // blocks.
            unsafe {
                std::ptr::copy_nonoverlapping(
                    self.entry(0).cast::<u8>(),
                    new.entry(0).cast::<u8>(),
                    numentries * new.entry_size(),
                );
            }
        } else {
            let mut j = 0;
            for ix in 0..self.nentries() {
                let (key, value) = self.key_value(ix);
                if value.is_null() {
                    continue;
                }
                let hash = self.entry_hash(ix);
                assert!(j < numentries, "more live entries than {numentries}");
                // SAFETY: j < numentries <= the new capacity; the references move (contract).
                unsafe { new.set_entry(j, hash, key, value) };
                j += 1;
            }
            assert_eq!(j, numentries, "live entries");
        }
        cost::moved(numentries, new.entry_size());
        // build_indices_*: probe each entry's hash into the fresh index (one loop per index
        // width).
        let probes = match new.h().dk_log2_index_bytes.get() - new.log2_size() {
            0 => build_indices::<i8>(new, numentries),
            1 => build_indices::<i16>(new, numentries),
            2 => build_indices::<i32>(new, numentries),
            _ => build_indices::<i64>(new, numentries),
        };
        new.h()
            .dk_usable
            .set(new.h().dk_usable.get() - numentries as isize);
        new.h().dk_nentries.set(numentries as isize);
        (new, probes)
    }

    /// `clone_combined_dict_keys`: a byte copy of this block, with new references for its
    /// entries and `dk_refcnt` 1.
    pub(super) fn clone_combined(self) -> Keys {
        assert!(
            !self.is_shared_empty(),
            "the static empty keys are shared, not cloned"
        );
        let size = keys_size(self.log2_size(), self.unicode());
        let p = runtime::with_heap(|h| h.malloc(size));
        let p =
            NonNull::new(p.cast::<PyDictKeysObject>()).expect("out of memory cloning dict keys");
        // SAFETY: both blocks are `size` bytes; the copy then owns new references.
        unsafe { std::ptr::copy_nonoverlapping(self.base(), p.as_ptr().cast(), size) };
        let c = Keys(p);
        for ix in 0..c.nentries() {
            let (key, value) = c.key_value(ix);
            for q in [key, value] {
                if let Some(q) = NonNull::new(q) {
                    // SAFETY: live objects referenced by the original table.
                    std::mem::forget(unsafe { Obj::from_borrowed(q) });
                }
            }
        }
        c.h().dk_refcnt.set(1);
        c
    }

    /// A dict lets go of the static empty keys: its count goes down, and it is never freed
    /// (it is not a pymalloc block).
    pub(super) fn drop_shared_ref(self) {
        assert!(
            self.is_shared_empty(),
            "only the static empty keys are shared"
        );
        let rc = &self.h().dk_refcnt;
        rc.set(rc.get() - 1);
    }
}

/// `new_keys_object(log2_size, unicode)`: a fresh table (from the keys free list for size 8
/// unicode tables), indices all `DKIX_EMPTY`, entries zeroed.
pub(super) fn new_keys_object(log2_size: u8, unicode: bool) -> Keys {
    let usable = usable_fraction(1 << log2_size);
    let log2_bytes = log2_index_bytes(log2_size);
    let entry = if unicode {
        UNICODE_ENTRY
    } else {
        GENERAL_ENTRY
    };
    let reused = if log2_size == PYDICT_LOG_MINSIZE && unicode {
        state::with(|st| st.dicts.keys_free_list.borrow_mut().pop())
    } else {
        None
    };
    let total = KEYS_HEADER + (1usize << log2_bytes) + entry * usable;
    let p = reused.unwrap_or_else(|| {
        let p = runtime::with_heap(|h| h.malloc(total));
        NonNull::new(p.cast())
            .unwrap_or_else(|| panic!("out of memory allocating a dict table of 2**{log2_size}"))
    });
    // SAFETY: p is a block of `total` bytes (a recycled size-8 unicode table has the same
    // size); the header is written whole, then indices and entries are initialised.
    unsafe {
        p.as_ptr().write(PyDictKeysObject {
            dk_refcnt: Cell::new(1),
            dk_log2_size: Cell::new(log2_size),
            dk_log2_index_bytes: Cell::new(log2_bytes),
            dk_kind: Cell::new(if unicode {
                DICT_KEYS_UNICODE
            } else {
                DICT_KEYS_GENERAL
            }),
            _pad: 0,
            dk_version: Cell::new(0),
            dk_usable: Cell::new(usable as isize),
            dk_nentries: Cell::new(0),
        });
        let idx = p.as_ptr().cast::<u8>().add(KEYS_HEADER);
        std::ptr::write_bytes(idx, 0xff, 1 << log2_bytes);
        std::ptr::write_bytes(idx.add(1 << log2_bytes), 0, entry * usable);
    }
    Keys(p)
}

/// Release a keys object: its entries' references (forward, key then value), then the
/// keys free list or pymalloc (`free_keys_object`).
///
/// # Safety
/// `k` is not the static empty keys, nothing points at it any more (its dict let go of it,
/// and its `dk_refcnt` reached zero), and no `Keys` of it is used afterwards.
unsafe fn free_keys_object(k: Keys) {
    debug_assert!(
        !k.is_shared_empty(),
        "the static empty keys are never freed"
    );
    for ix in 0..k.nentries() {
        let (key, value) = k.key_value(ix);
        for p in [key, value] {
            if let Some(p) = NonNull::new(p) {
                // SAFETY: the keys object owned these references.
                drop(unsafe { Obj::from_owned(p) });
            }
        }
    }
    // SAFETY: forwarded contract; the references are gone.
    unsafe { release_keys_block(k) };
}

/// Return a keys block whose references are gone or moved: keys free list or pymalloc.
///
/// # Safety
/// As [`free_keys_object`]; the entries' references were released or moved elsewhere.
pub(super) unsafe fn release_keys_block(k: Keys) {
    debug_assert!(
        !k.is_shared_empty(),
        "the static empty keys are never freed"
    );
    let keep = k.log2_size() == PYDICT_LOG_MINSIZE
        && k.unicode()
        && state::with(|st| {
            let mut fl = st.dicts.keys_free_list.borrow_mut();
            if fl.len() < PYDICT_MAXFREELIST {
                fl.push(k.0);
                true
            } else {
                false
            }
        });
    if !keep {
        // SAFETY: a keys block from this heap, no longer referenced (contract).
        runtime::try_with_heap(|h| unsafe { h.free(k.base()) });
    }
}

/// `dictkeys_incref`: one more dict points at `k` (only the static empty keys are shared).
pub(super) fn keys_incref(k: Keys) {
    k.h().dk_refcnt.set(k.h().dk_refcnt.get() + 1);
}

/// `dictkeys_decref`: the dict that pointed at `k` no longer does; the last one frees it.
///
/// # Safety
/// The caller's dict pointed at `k` and has let go of it (its `ma_keys` points elsewhere or
/// it is dead); no `Keys` of it is used afterwards unless another dict still points at it.
pub(super) unsafe fn keys_decref(k: Keys) {
    let rc = &k.h().dk_refcnt;
    rc.set(rc.get() - 1);
    if rc.get() == 0 {
        // SAFETY: no dict points at it any more (contract, and the count).
        unsafe { free_keys_object(k) };
    }
}

/// An entry of `dk_indices` (1, 2, 4 or 8 bytes, by table size).
trait IndexWord: Copy {
    /// `dk_indices[i]` of an index array starting at `p`.
    ///
    /// # Safety
    /// `p` is the index array of a keys object with more than `i` slots of this width.
    unsafe fn read(p: *const u8, i: usize) -> isize;
    /// `dk_indices[i] = ix`.
    ///
    /// # Safety
    /// As [`IndexWord::read`], and `ix` fits the width.
    unsafe fn write(p: *mut u8, i: usize, ix: isize);
}

macro_rules! index_word {
    ($($t:ty),*) => {$(
        impl IndexWord for $t {
            #[inline(always)]
            unsafe fn read(p: *const u8, i: usize) -> isize {
                // SAFETY: forwarded contract.
                unsafe { p.cast::<$t>().add(i).read_unaligned() as isize }
            }
            #[inline(always)]
            unsafe fn write(p: *mut u8, i: usize, ix: isize) {
                // SAFETY: forwarded contract.
                unsafe { p.cast::<$t>().add(i).write_unaligned(ix as $t) }
            }
        }
    )*};
}
index_word!(i8, i16, i32, i64);

/// `build_indices_generic` / `build_indices_unicode` for a fresh table with `I`-wide
/// indices holding `n` entries: each entry's hash probed into the index, in entry order.
/// Returns the probes made.
fn build_indices<I: IndexWord>(k: Keys, n: usize) -> usize {
    let mask = k.mask();
    let unicode = k.unicode();
    let log2_bytes = k.h().dk_log2_index_bytes.get();
    // SAFETY: indices follow the 32-byte header, entries follow the indices.
    let (indices, entries) = unsafe {
        let idx = k.base().add(KEYS_HEADER);
        (idx, idx.add(1 << log2_bytes).cast::<*mut PyObject>())
    };
    let mut probes = 0;
    for ix in 0..n {
        // SAFETY: entries 0..n are live: a unicode table's keys are hashed strs, a general
        // entry starts with its hash.
        let hash = unsafe {
            if unicode {
                crate::types::str::cached_hash_of(NonNull::new_unchecked(*entries.add(2 * ix)))
            } else {
                *entries.add(3 * ix).cast::<isize>() as PyHash
            }
        };
        let mut i = hash as usize & mask;
        let mut perturb = hash as usize;
        probes += 1;
        // SAFETY: i <= mask, inside the index array.
        while unsafe { I::read(indices, i) } != DKIX_EMPTY {
            perturb >>= PERTURB_SHIFT;
            i = (i * 5 + perturb + 1) & mask;
            probes += 1;
        }
        // SAFETY: as above; ix < usable fits the width chosen for this table size.
        unsafe { I::write(indices, i, ix as isize) };
    }
    probes
}

/// The comparison after identity failed and the hashes matched: `unicode_eq` when both the
/// table and the key are str (`unicodekeys_lookup_unicode`), else `==`. Out of line: it
/// keeps the probe loop small (identity decides most hits).
#[cold]
#[inline(never)]
fn keys_equal(ek: NonNull<PyObject>, key: &Obj, both_str: bool) -> PyResult<bool> {
    if both_str {
        // SAFETY: both are live strs (a unicode table's key and `key`).
        return Ok(unsafe { crate::types::str::str_eq_ptr(ek, key.as_ptr()) });
    }
    // SAFETY: a live entry's key.
    let other = unsafe { Obj::from_borrowed(ek) };
    ops::eq(&other, key)
}

/// The probe loop of `_Py_dict_lookup` on a table whose indices are `I`: the entry index of
/// `key` (or `None`) and the number of slots inspected. Same order as
/// `unicodekeys_lookup_unicode` / `dictkeys_generic_lookup`: identity, then the hash, then
/// `==`.
#[inline(always)]
fn lookup_in<I: IndexWord>(k: Keys, key: &Obj, hash: PyHash) -> (PyResult<Option<usize>>, usize) {
    let mask = k.mask();
    let log2_bytes = k.h().dk_log2_index_bytes.get();
    let unicode = k.unicode();
    // SAFETY: indices follow the 32-byte header, entries follow the indices.
    let (indices, entries) = unsafe {
        let idx = k.base().add(KEYS_HEADER);
        (
            idx.cast_const(),
            idx.add(1 << log2_bytes).cast::<*mut PyObject>(),
        )
    };
    let words = if unicode { 2 } else { 3 };
    let key_ptr = key.as_ptr().as_ptr();
    let key_is_str = is_str(key);
    let mut i = hash as usize & mask;
    let mut perturb = hash as usize;
    let mut probes = 0;
    loop {
        probes += 1;
        // SAFETY: i <= mask, inside the index array of I-wide words.
        let ix = unsafe { I::read(indices, i) };
        if ix == DKIX_EMPTY {
            return (Ok(None), probes);
        }
        if ix >= 0 {
            let ix = ix as usize;
            // SAFETY: an index >= 0 names a live entry: {key, value} (unicode) or
            // {hash, key, value} (general); a unicode table's keys are hashed strs.
            let (ek, eh) = unsafe {
                let e = entries.add(ix * words);
                if unicode {
                    let ek = *e;
                    (
                        ek,
                        crate::types::str::cached_hash_of(NonNull::new_unchecked(ek)),
                    )
                } else {
                    (*e.add(1), *e.cast::<isize>() as PyHash)
                }
            };
            if ek == key_ptr {
                return (Ok(Some(ix)), probes);
            }
            if eh == hash {
                // SAFETY: ek is a live entry's key (non-null).
                let ek = unsafe { NonNull::new_unchecked(ek) };
                match keys_equal(ek, key, unicode && key_is_str) {
                    Ok(true) => return (Ok(Some(ix)), probes),
                    Ok(false) => {}
                    Err(e) => return (Err(e), probes),
                }
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
    }
}

/// The hash of a key (cached for str; counted).
#[inline(always)]
pub(super) fn key_hash(key: &Obj) -> PyResult<PyHash> {
    if is_str(key) {
        // SAFETY: key is a live str.
        let h = unsafe { crate::types::str::cached_hash_of(key.as_ptr()) };
        if h != -1 {
            return Ok(h);
        }
        return Ok(PyStr::from_obj(key.clone()).expect("str").hash());
    }
    cost::hashed();
    if key.is_type(&crate::types::int::INT_TYPE)
        && let Some(v) = crate::types::int::i64_of(key)
    {
        return Ok(crate::hash::hash_i64(v));
    }
    ops::hash(key)
}
