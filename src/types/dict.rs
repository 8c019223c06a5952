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
//! Unsafe: the keys object is one block — header, an index array whose width depends on the
//! size, then the entries — read and written at computed offsets.
#![allow(unsafe_code)]

use std::cell::{Cell, RefCell};
use std::ptr::NonNull;

use crate::cost;
use crate::error::{ExcKind, PyErr, PyResult};
use crate::hash::PyHash;
use crate::object::{
    GC_HEAD_SIZE, Obj, PyObject, TPFLAGS_HAVE_GC, TypeObject, alloc_object, free_object,
};
use crate::profile::{Current, Profile};
use crate::runtime;
use crate::types::ops;
use crate::types::state;
use crate::types::str::{PyStr, STR_TYPE};
use crate::types::tuple::PyTuple;

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

/// `PyDictObject`.
#[repr(C)]
#[derive(Debug)]
pub struct PyDictObject {
    /// Header.
    pub ob_base: PyObject,
    /// `ma_used`.
    pub ma_used: Cell<isize>,
    /// `ma_version_tag`.
    pub ma_version_tag: Cell<u64>,
    /// `ma_keys`.
    pub ma_keys: Cell<*mut PyDictKeysObject>,
    /// `ma_values` (always NULL here).
    pub ma_values: Cell<*mut u8>,
}

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
    _pad: u8,
    /// `dk_version`.
    pub dk_version: Cell<u32>,
    /// `dk_usable`.
    pub dk_usable: Cell<isize>,
    /// `dk_nentries`.
    pub dk_nentries: Cell<isize>,
}

const _: () = assert!(size_of::<PyDictObject>() == 48);
const _: () = assert!(size_of::<PyDictKeysObject>() == KEYS_HEADER);
/// `offsetof(PyDictObject, ma_used)`.
pub const MA_USED_OFFSET: usize = std::mem::offset_of!(PyDictObject, ma_used);
/// `offsetof(PyDictObject, ma_keys)`.
pub const MA_KEYS_OFFSET: usize = std::mem::offset_of!(PyDictObject, ma_keys);

/// `PyDict_Type`.
pub static DICT_TYPE: TypeObject = TypeObject {
    tp_name: "dict",
    tp_basicsize: size_of::<PyDictObject>(),
    tp_itemsize: 0,
    tp_flags: TPFLAGS_HAVE_GC,
    tp_dealloc: dict_dealloc,
    sizeof: dict_sizeof,
    tp_traverse: Some(dict_traverse),
    tp_clear: Some(dict_tp_clear),
    gc_items: None,
    gc_untrack: crate::object::GcUntrack::FullCollection,
};

/// `dict_traverse`: values (and keys, in general tables; str keys are not GC objects).
///
/// # Safety
/// `op` is a live dict.
unsafe fn dict_traverse(op: NonNull<PyObject>, visit: &mut dyn FnMut(NonNull<PyObject>)) {
    // SAFETY: live dict; its keys object is valid.
    let k = Keys(
        NonNull::new(unsafe { op.cast::<PyDictObject>().as_ref() }.ma_keys.get()).expect("keys"),
    );
    if k.is_shared_empty() {
        return;
    }
    for ix in 0..k.nentries() {
        let (key, value) = k.key_value(ix);
        if let Some(v) = NonNull::new(value) {
            visit(v);
            if !k.unicode()
                && let Some(key) = NonNull::new(key)
            {
                visit(key);
            }
        }
    }
}

/// `dict_tp_clear` (`PyDict_Clear`).
///
/// # Safety
/// `op` is a live dict.
unsafe fn dict_tp_clear(op: NonNull<PyObject>) {
    // SAFETY: a borrowed handle for the duration of the call.
    let d = PyDict(unsafe { Obj::from_borrowed(op) });
    d.clear();
}

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

/// A keys object (owned by the dict that points to it, or the static empty keys).
#[derive(Clone, Copy, Debug)]
struct Keys(NonNull<PyDictKeysObject>);

impl Keys {
    /// Whether this is the runtime's static empty keys: the only table of size 1 (every
    /// other has at least `PyDict_MINSIZE` slots). A field read instead of a thread-local
    /// lookup of the runtime's pointer.
    #[inline]
    fn is_shared_empty(self) -> bool {
        let shared = self.log2_size() == 0;
        debug_assert!(
            state::try_with(|st| st.dicts.empty_keys().0 == self.0).is_none_or(|e| e == shared)
        );
        shared
    }
    #[inline]
    fn h(&self) -> &PyDictKeysObject {
        // SAFETY: keys objects live while a dict points at them; fields are Cells.
        unsafe { self.0.as_ref() }
    }
    fn log2_size(self) -> u8 {
        self.h().dk_log2_size.get()
    }
    fn size(self) -> usize {
        1 << self.log2_size()
    }
    fn mask(self) -> usize {
        self.size() - 1
    }
    fn unicode(self) -> bool {
        self.h().dk_kind.get() == DICT_KEYS_UNICODE
    }
    fn entry_size(self) -> usize {
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
    fn nentries(self) -> usize {
        self.h().dk_nentries.get() as usize
    }
    /// `dictkeys_get_index`.
    fn get_index(self, i: usize) -> isize {
        debug_assert!(i < self.size());
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
    fn set_index(self, i: usize, ix: isize) {
        debug_assert!(i < self.size());
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
    fn entry(self, ix: usize) -> *mut *mut PyObject {
        debug_assert!(ix < usable_fraction(self.size()).max(1));
        // SAFETY: entries follow the indices; ix is below the entry capacity.
        unsafe {
            self.base()
                .add(KEYS_HEADER + (1 << self.h().dk_log2_index_bytes.get()))
                .add(ix * self.entry_size())
                .cast()
        }
    }
    /// (`me_key`, `me_value`) pointers of entry `ix`.
    fn key_value(self, ix: usize) -> (*mut PyObject, *mut PyObject) {
        let e = self.entry(ix);
        let off = if self.unicode() { 0 } else { 1 };
        // SAFETY: entry ix is inside the block.
        unsafe { (*e.add(off), *e.add(off + 1)) }
    }
    /// `me_hash` (GENERAL) or the key's cached str hash (UNICODE).
    fn entry_hash(self, ix: usize) -> PyHash {
        if self.unicode() {
            let (k, _) = self.key_value(ix);
            // SAFETY: live entries of a unicode table hold str keys (hashed when inserted).
            unsafe { crate::types::str::cached_hash_of(NonNull::new_unchecked(k)) }
        } else {
            // SAFETY: general entries start with me_hash.
            unsafe { *self.entry(ix).cast::<isize>() as PyHash }
        }
    }
    fn set_entry(self, ix: usize, hash: PyHash, key: *mut PyObject, value: *mut PyObject) {
        let e = self.entry(ix);
        // SAFETY: entry ix is inside the block.
        unsafe {
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
    fn set_value(self, ix: usize, value: *mut PyObject) {
        let off = if self.unicode() { 1 } else { 2 };
        // SAFETY: entry ix is inside the block.
        unsafe { *self.entry(ix).add(off) = value };
    }
    /// Clear entry `ix` as `delitem_common` (GENERAL hash 0) or `popitem` (hash -1) does.
    fn clear_entry(self, ix: usize, general_hash: isize) {
        let e = self.entry(ix);
        // SAFETY: entry ix is inside the block.
        unsafe {
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
    fn find_empty_slot(self, hash: PyHash) -> usize {
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
}

/// `new_keys_object(log2_size, unicode)`: a fresh table (from the keys free list for size 8
/// unicode tables), indices all `DKIX_EMPTY`, entries zeroed.
fn new_keys_object(log2_size: u8, unicode: bool) -> Keys {
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
fn free_keys_object(k: Keys) {
    for ix in 0..k.nentries() {
        let (key, value) = k.key_value(ix);
        for p in [key, value] {
            if let Some(p) = NonNull::new(p) {
                // SAFETY: the keys object owned these references.
                drop(unsafe { Obj::from_owned(p) });
            }
        }
    }
    release_keys_block(k);
}

/// Return a keys block whose references are gone or moved: keys free list or pymalloc.
fn release_keys_block(k: Keys) {
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
        // SAFETY: a keys block from this heap, no longer referenced.
        runtime::try_with_heap(|h| unsafe { h.free(k.base()) });
    }
}

/// `dictkeys_decref`.
fn keys_decref(k: Keys) {
    let rc = &k.h().dk_refcnt;
    rc.set(rc.get() - 1);
    if rc.get() == 0 {
        free_keys_object(k);
    }
}

/// # Safety
/// `op` is a live dict.
unsafe fn dict_sizeof(op: NonNull<PyObject>) -> usize {
    // SAFETY: live dict per the contract.
    let d = unsafe { op.cast::<PyDictObject>().as_ref() };
    let k = Keys(NonNull::new(d.ma_keys.get()).expect("dicts always have keys"));
    let mut res = size_of::<PyDictObject>();
    if k.h().dk_refcnt.get() == 1 {
        res += keys_size(k.log2_size(), k.unicode());
    }
    res
}

/// `dict_dealloc`.
///
/// # Safety
/// `op` is a dict whose reference count just reached zero.
unsafe fn dict_dealloc(op: NonNull<PyObject>) {
    crate::gc::untrack(op);
    // SAFETY: dead dict; its keys pointer is valid.
    let keys = unsafe { op.cast::<PyDictObject>().as_ref().ma_keys.get() };
    keys_decref(Keys(NonNull::new(keys).expect("dict keys")));
    let kept = state::with(|st| {
        let mut fl = st.dicts.free_list.borrow_mut();
        if fl.len() < PYDICT_MAXFREELIST {
            runtime::trace(|| runtime::TraceEvent::Park {
                type_name: "dict",
                address: op.as_ptr() as usize,
            });
            fl.push(op);
            true
        } else {
            false
        }
    });
    if !kept {
        // SAFETY: dead dict allocated by alloc_object with DICT_TYPE.
        unsafe { free_object(op, &DICT_TYPE) };
    }
}

/// Dict and keys free lists and the static empty keys of a runtime.
#[derive(Debug)]
pub(crate) struct DictState {
    free_list: RefCell<Vec<NonNull<PyObject>>>,
    keys_free_list: RefCell<Vec<NonNull<PyDictKeysObject>>>,
    empty_keys: Box<[u64; 5]>,
}

impl DictState {
    pub(crate) fn new() -> DictState {
        let mut empty_keys = Box::new([0u64; 5]);
        let p = NonNull::from(&mut empty_keys[0]).cast::<PyDictKeysObject>();
        // SAFETY: 40 bytes, 8-aligned: the header plus 8 one-byte indices.
        unsafe {
            p.as_ptr().write(PyDictKeysObject {
                dk_refcnt: Cell::new(1),
                dk_log2_size: Cell::new(0),
                // As CPython's `empty_keys_struct`: 0 (its 8 index bytes are never read past
                // the first: the mask of a size-1 table is 0).
                dk_log2_index_bytes: Cell::new(0),
                dk_kind: Cell::new(DICT_KEYS_UNICODE),
                _pad: 0,
                dk_version: Cell::new(1),
                dk_usable: Cell::new(0),
                dk_nentries: Cell::new(0),
            });
            std::ptr::write_bytes(p.as_ptr().cast::<u8>().add(KEYS_HEADER), 0xff, 8);
        }
        DictState {
            free_list: RefCell::new(Vec::new()),
            keys_free_list: RefCell::new(Vec::new()),
            empty_keys,
        }
    }

    fn empty_keys(&self) -> Keys {
        Keys(NonNull::from(&self.empty_keys[0]).cast())
    }

    /// Dicts on the free list.
    pub(crate) fn numfree(&self) -> usize {
        self.free_list.borrow().len()
    }

    /// Keys objects on the keys free list.
    pub(crate) fn keys_numfree(&self) -> usize {
        self.keys_free_list.borrow().len()
    }

    pub(crate) fn clear(&self, heap: &mut crate::alloc::Pymalloc) {
        for op in self.free_list.borrow_mut().drain(..) {
            // SAFETY: dead dicts: blocks start at the GC head.
            unsafe { heap.free(op.as_ptr().cast::<u8>().sub(GC_HEAD_SIZE)) };
        }
        for k in self.keys_free_list.borrow_mut().drain(..) {
            // SAFETY: dead keys blocks from this heap.
            unsafe { heap.free(k.as_ptr().cast()) };
        }
    }
}

fn empty_keys() -> Keys {
    state::with(|st| st.dicts.empty_keys())
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

/// The hash of a key (cached for str; counted).
#[inline(always)]
fn key_hash(key: &Obj) -> PyResult<PyHash> {
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
    fn raw(&self) -> &PyDictObject {
        // SAFETY: the handle keeps a live dict; fields are Cells.
        unsafe { self.0.as_ptr().cast::<PyDictObject>().as_ref() }
    }

    fn keys_obj(&self) -> Keys {
        Keys(NonNull::new(self.raw().ma_keys.get()).expect("dict keys"))
    }

    /// `new_dict(keys, NULL, 0)`: from the free list or a fresh GC object.
    fn new_dict(keys: Keys, from_free_list: bool) -> PyDict {
        let reused = if from_free_list {
            state::with(|st| st.dicts.free_list.borrow_mut().pop())
        } else {
            None
        };
        if let Some(op) = reused {
            runtime::trace(|| runtime::TraceEvent::Reuse {
                type_name: "dict",
                address: op.as_ptr() as usize,
            });
        }
        let op = reused.unwrap_or_else(|| {
            alloc_object(&DICT_TYPE, size_of::<PyDictObject>())
                .unwrap_or_else(|| panic!("out of memory allocating a dict"))
        });
        // SAFETY: op has room for a PyDictObject; the header is (re)initialised whole.
        unsafe {
            op.cast::<PyDictObject>().as_ptr().write(PyDictObject {
                ob_base: PyObject {
                    ob_refcnt: Cell::new(1),
                    ob_type: Cell::new(&DICT_TYPE),
                },
                ma_used: Cell::new(0),
                ma_version_tag: Cell::new(next_version()),
                ma_keys: Cell::new(keys.0.as_ptr()),
                ma_values: Cell::new(std::ptr::null_mut()),
            });
            PyDict(Obj::from_owned(op))
        }
    }

    /// `{}` (`PyDict_New`): the shared empty keys; a dict from the free list if any.
    pub fn new() -> PyDict {
        let k = empty_keys();
        k.h().dk_refcnt.set(k.h().dk_refcnt.get() + 1);
        Self::new_dict(k, true)
    }

    /// `dict()` called as a type (`dict_new` → `tp_alloc`): never from the free list.
    pub fn new_from_type() -> PyDict {
        let k = empty_keys();
        k.h().dk_refcnt.set(k.h().dk_refcnt.get() + 1);
        Self::new_dict(k, false)
    }

    /// `dict_new_presized(minused, unicode)`.
    pub fn new_presized(minused: usize, unicode: bool) -> PyDict {
        if minused <= usable_fraction(PYDICT_MINSIZE) {
            return PyDict::new();
        }
        let log2 = if minused > usable_fraction(1 << LOG2_MAX_PRESIZE) {
            LOG2_MAX_PRESIZE
        } else {
            estimate_log2_keysize(minused)
        };
        Self::new_dict(new_keys_object(log2, unicode), true)
    }

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
        self.raw().ma_used.get() as usize
    }

    /// Whether the dict is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `ma_version_tag`.
    pub fn version_tag(&self) -> u64 {
        self.raw().ma_version_tag.get()
    }

    /// The table's fields.
    pub fn table(&self) -> TableInfo {
        let k = self.keys_obj();
        let shared = k.is_shared_empty();
        TableInfo {
            ma_used: self.len(),
            dk_refcnt: k.h().dk_refcnt.get(),
            dk_log2_size: k.log2_size(),
            dk_log2_index_bytes: k.h().dk_log2_index_bytes.get(),
            dk_kind: k.h().dk_kind.get(),
            dk_usable: k.h().dk_usable.get(),
            dk_nentries: k.h().dk_nentries.get(),
            indices: if shared {
                vec![DKIX_EMPTY; 8]
            } else {
                (0..k.size()).map(|i| k.get_index(i)).collect()
            },
            shared_empty_keys: shared,
            keys_address: k.0.as_ptr() as usize,
        }
    }

    /// Bytes the dict holds in the allocators: its object block (GC head included) plus its
    /// keys table (nothing for the shared empty keys). Keys and values are not counted.
    pub fn footprint(&self) -> usize {
        let k = self.keys_obj();
        let keys = if k.0 == empty_keys().0 {
            std::ptr::null()
        } else {
            k.0.as_ptr() as *const u8
        };
        runtime::with_heap(|h| {
            // SAFETY: a dict object is a live pymalloc block; keys is null or its own live
            // keys table from the same heap.
            unsafe { h.reserved_bytes(self.0.mem_address() as *const u8) + h.reserved_bytes(keys) }
        })
    }

    /// `_Py_dict_lookup`: the entry index of `key` (or `None`), counting probes.
    #[inline(always)]
    fn lookup(&self, key: &Obj, hash: PyHash) -> PyResult<Option<usize>> {
        let k = self.keys_obj();
        if k.is_shared_empty() {
            return Ok(None);
        }
        // One probe loop per index width (dictkeys_get_index's switch hoisted out of it).
        let (result, probes) = match k.h().dk_log2_index_bytes.get() - k.log2_size() {
            0 => lookup_in::<i8>(k, key, hash),
            1 => lookup_in::<i16>(k, key, hash),
            2 => lookup_in::<i32>(k, key, hash),
            _ => lookup_in::<i64>(k, key, hash),
        };
        cost::probed(probes);
        result
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
        Ok(self.lookup(key, hash)?.map(|ix| {
            let (_, v) = self.keys_obj().key_value(ix);
            // SAFETY: a live entry's value.
            unsafe { Obj::from_borrowed(NonNull::new_unchecked(v)) }
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

    /// `insert_to_emptydict`.
    fn insert_to_emptydict(&self, key: Obj, hash: PyHash, value: Obj) {
        let unicode = is_str(&key);
        let nk = new_keys_object(PYDICT_LOG_MINSIZE, unicode);
        keys_decref(empty_keys());
        self.raw().ma_keys.set(nk.0.as_ptr());
        maintain_tracking(self, key.as_ptr(), value.as_ptr());
        let pos = hash as usize & (PYDICT_MINSIZE - 1);
        cost::probed(1);
        nk.set_index(pos, 0);
        nk.set_entry(0, hash, key.into_raw().as_ptr(), value.into_raw().as_ptr());
        self.raw().ma_used.set(self.raw().ma_used.get() + 1);
        self.raw().ma_version_tag.set(next_version());
        nk.h().dk_usable.set(nk.h().dk_usable.get() - 1);
        nk.h().dk_nentries.set(nk.h().dk_nentries.get() + 1);
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
                k.h().dk_version.set(0);
                if k.h().dk_usable.get() <= 0 {
                    self.insertion_resize(true);
                    k = self.keys_obj();
                }
                if !is_str(&key) && k.unicode() {
                    k.h().dk_kind.set(DICT_KEYS_GENERAL);
                }
                let pos = k.find_empty_slot(hash);
                let n = k.nentries();
                k.set_index(pos, n as isize);
                k.set_entry(n, hash, key.into_raw().as_ptr(), value.into_raw().as_ptr());
                self.raw().ma_used.set(self.raw().ma_used.get() + 1);
                self.raw().ma_version_tag.set(next_version());
                k.h().dk_usable.set(k.h().dk_usable.get() - 1);
                k.h().dk_nentries.set(n as isize + 1);
            }
            Some(ix) => {
                let k = self.keys_obj();
                let (_, old) = k.key_value(ix);
                if old != value.as_ptr().as_ptr() {
                    k.set_value(ix, value.into_raw().as_ptr());
                    self.raw().ma_version_tag.set(next_version());
                    // SAFETY: the table's reference to the replaced value.
                    drop(unsafe { Obj::from_owned(NonNull::new_unchecked(old)) });
                }
                drop(key);
            }
        }
        Ok(())
    }

    /// `dictresize(mp, log2_newsize, unicode)`: a new table, live entries copied in order,
    /// indices rebuilt; the old table goes to the keys free list or back to pymalloc.
    fn dictresize(&self, log2_newsize: u8, unicode: bool) {
        assert!(log2_newsize < 64, "dict table too large");
        let old = self.keys_obj();
        runtime::trace(|| runtime::TraceEvent::Resize {
            what: "dict",
            address: self.0.id(),
            old: self.table().indices.len(),
            new: 1 << log2_newsize,
        });
        let unicode = unicode && old.unicode();
        let new = new_keys_object(log2_newsize, unicode);
        let numentries = self.len();
        if numentries > 0 && old.nentries() == numentries && old.unicode() == new.unicode() {
            // No holes, same entry kind: the entries are copied as they are (dictresize's
            // memcpy), the same bytes the loop below would write.
            // SAFETY: both tables hold at least numentries entries of this size; distinct
            // blocks.
            unsafe {
                std::ptr::copy_nonoverlapping(
                    old.entry(0).cast::<u8>(),
                    new.entry(0).cast::<u8>(),
                    numentries * new.entry_size(),
                );
            }
        } else {
            let mut j = 0;
            for ix in 0..old.nentries() {
                let (key, value) = old.key_value(ix);
                if value.is_null() {
                    continue;
                }
                let hash = old.entry_hash(ix);
                new.set_entry(j, hash, key, value);
                j += 1;
            }
            debug_assert_eq!(j, numentries);
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
        cost::probed(probes);
        self.raw().ma_keys.set(new.0.as_ptr());
        if !old.is_shared_empty() {
            debug_assert_eq!(old.h().dk_refcnt.get(), 1);
            release_keys_block(old);
        } else {
            // The static empty keys lose this dict's reference.
            old.h().dk_refcnt.set(old.h().dk_refcnt.get() - 1);
        }
        new.h()
            .dk_usable
            .set(new.h().dk_usable.get() - numentries as isize);
        new.h().dk_nentries.set(numentries as isize);
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
        let k = self.keys_obj();
        let pos = k.lookdict_index(hash, ix);
        self.raw().ma_used.set(self.raw().ma_used.get() - 1);
        self.raw().ma_version_tag.set(next_version());
        k.h().dk_version.set(0);
        k.set_index(pos, DKIX_DUMMY);
        let (key, value) = k.key_value(ix);
        k.clear_entry(ix, 0);
        // SAFETY: the references the entry held.
        unsafe {
            (
                Obj::from_owned(NonNull::new_unchecked(key)),
                Obj::from_owned(NonNull::new_unchecked(value)),
            )
        }
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
        let k = self.keys_obj();
        let mut i = k.nentries() - 1;
        while k.key_value(i).1.is_null() {
            i -= 1;
        }
        let hash = k.entry_hash(i);
        let (key, value) = k.key_value(i);
        k.clear_entry(i, -1);
        let pos = k.lookdict_index(hash, i);
        k.set_index(pos, DKIX_DUMMY);
        k.h().dk_nentries.set(i as isize);
        self.raw().ma_used.set(self.raw().ma_used.get() - 1);
        self.raw().ma_version_tag.set(next_version());
        // SAFETY: the references the entry held.
        Ok(unsafe {
            (
                Obj::from_owned(NonNull::new_unchecked(key)),
                Obj::from_owned(NonNull::new_unchecked(value)),
            )
        })
    }

    /// `d.clear()` (`PyDict_Clear`): back to the shared empty keys.
    pub fn clear(&self) {
        let old = self.keys_obj();
        let empty = empty_keys();
        if old.0 == empty.0 {
            return;
        }
        empty.h().dk_refcnt.set(empty.h().dk_refcnt.get() + 1);
        self.raw().ma_keys.set(empty.0.as_ptr());
        self.raw().ma_used.set(0);
        self.raw().ma_version_tag.set(next_version());
        keys_decref(old);
    }

    /// (key, value) references in insertion order.
    pub fn items(&self) -> Vec<(Obj, Obj)> {
        let k = self.keys_obj();
        if k.is_shared_empty() {
            return Vec::new();
        }
        (0..k.nentries())
            .filter_map(|ix| {
                let (key, value) = k.key_value(ix);
                (!value.is_null()).then(|| {
                    // SAFETY: live entries hold references.
                    unsafe {
                        (
                            Obj::from_borrowed(NonNull::new_unchecked(key)),
                            Obj::from_borrowed(NonNull::new_unchecked(value)),
                        )
                    }
                })
            })
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
        let (key, value) = k.key_value(ix);
        // SAFETY: a live entry (non-null value) holds references to its key and value.
        (!value.is_null()).then(|| unsafe {
            (
                Obj::from_borrowed(NonNull::new_unchecked(key)),
                Obj::from_borrowed(NonNull::new_unchecked(value)),
            )
        })
    }

    /// The keys in insertion order.
    pub fn keys(&self) -> Vec<Obj> {
        self.items().into_iter().map(|(k, _)| k).collect()
    }

    /// `clone_combined_dict_keys`: a byte copy of the keys block, new references for its
    /// entries.
    fn clone_keys(&self) -> Keys {
        let k = self.keys_obj();
        let size = keys_size(k.log2_size(), k.unicode());
        let p = runtime::with_heap(|h| h.malloc(size));
        let p =
            NonNull::new(p.cast::<PyDictKeysObject>()).expect("out of memory cloning dict keys");
        // SAFETY: both blocks are `size` bytes; the copy then owns new references.
        unsafe { std::ptr::copy_nonoverlapping(k.base(), p.as_ptr().cast(), size) };
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

    /// `d.copy()` (`PyDict_Copy`): a byte clone of the table when at most a third of its
    /// entries are holes, else a fresh merge.
    pub fn copy(&self) -> PyResult<PyDict> {
        if self.is_empty() {
            return Ok(PyDict::new());
        }
        let k = self.keys_obj();
        if self.len() >= k.nentries() * 2 / 3 {
            let new = PyDict::new_dict(self.clone_keys(), true);
            new.raw().ma_used.set(self.len() as isize);
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
                let keys = other.clone_keys();
                keys_decref(self.keys_obj());
                self.raw().ma_keys.set(keys.0.as_ptr());
                self.raw().ma_used.set(other.len() as isize);
                self.raw().ma_version_tag.set(next_version());
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
            let (key, value) = ok.key_value(ix);
            if value.is_null() {
                continue;
            }
            let hash = ok.entry_hash(ix);
            // SAFETY: live entries of `other`.
            let (key, value) = unsafe {
                (
                    Obj::from_borrowed(NonNull::new_unchecked(key)),
                    Obj::from_borrowed(NonNull::new_unchecked(value)),
                )
            };
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
    use crate::types::int::PyInt;

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
