//! The `PyDictObject` raw layer (`Objects/dictobject.c`): the struct, `PyDict_Type`'s slots
//! (`dict_dealloc`, `dict_traverse`, `dict_tp_clear`, `dict_sizeof`), `new_dict` with the dict
//! free list, and every step that changes which keys object a dict owns: `PyDict_New`,
//! `dict_new_presized`, `insert_to_emptydict`, `dictresize`, `PyDict_Clear`,
//! `clone_combined_dict_keys` for `PyDict_Copy` and `dict_merge`.
//!
//! ```text
//!  PyGC_Head (16) | PyDictObject (48)              PyDictKeysObject (keys.rs)
//!  +16 ma_used  +24 ma_version_tag  +32 ma_keys -> [header | indices | entries]
//!                                   +40 ma_values  NULL (no split tables here)
//! ```
//!
//! Unsafe: the dict object is raw pymalloc memory written field by field, and `ma_keys` is an
//! owning pointer: installing a table, and giving the old one back ([`keys_decref`],
//! [`release_keys_block`]), is where a table could be freed twice or used after it is gone. Those
//! steps are here, each whole; the rest of the API (in [`dict`](super)) only reads `ma_keys`
//! through [`PyDict::keys_obj`].
#![allow(unsafe_code)]

use std::cell::{Cell, RefCell};
use std::ptr::NonNull;

use super::keys::{
    Keys, PyDictKeysObject, keys_decref, keys_incref, new_keys_object, release_keys_block,
};
use super::{
    DICT_KEYS_UNICODE, KEYS_HEADER, LOG2_MAX_PRESIZE, PYDICT_LOG_MINSIZE, PYDICT_MAXFREELIST,
    PYDICT_MINSIZE, PyDict, estimate_log2_keysize, is_str, keys_size, maintain_tracking,
    next_version, usable_fraction,
};
use crate::cost;
use crate::hash::PyHash;
use crate::object::{
    GC_HEAD_SIZE, Obj, PyObject, TPFLAGS_HAVE_GC, TypeObject, alloc_object, free_object,
};
use crate::runtime;
use crate::types::state;

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

const _: () = assert!(size_of::<PyDictObject>() == 48);
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
    // SAFETY: a live dict; its ma_keys is its live keys object.
    let k = unsafe { Keys::from_ma_keys(op.cast::<PyDictObject>().as_ref().ma_keys.get()) };
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

/// # Safety
/// `op` is a live dict.
unsafe fn dict_sizeof(op: NonNull<PyObject>) -> usize {
    // SAFETY: live dict per the contract.
    let d = unsafe { op.cast::<PyDictObject>().as_ref() };
    // SAFETY: a live dict's ma_keys.
    let k = unsafe { Keys::from_ma_keys(d.ma_keys.get()) };
    let mut res = size_of::<PyDictObject>();
    if k.refcnt() == 1 {
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
    // SAFETY: a dead dict lets go of its keys: its ma_keys is read for the last time here.
    unsafe {
        keys_decref(Keys::from_ma_keys(
            op.cast::<PyDictObject>().as_ref().ma_keys.get(),
        ))
    };
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

impl PyDict {
    /// The dict's fields.
    fn raw(&self) -> &PyDictObject {
        // SAFETY: the handle keeps a live dict; fields are Cells.
        unsafe { self.0.as_ptr().cast::<PyDictObject>().as_ref() }
    }

    /// `len(d)` (`ma_used`).
    pub(super) fn ma_used(&self) -> usize {
        self.raw().ma_used.get() as usize
    }

    /// `ma_used += delta` after an entry went in or out.
    pub(super) fn add_used(&self, delta: isize) {
        let used = self.raw().ma_used.get() + delta;
        debug_assert!(used >= 0, "ma_used {used}");
        self.raw().ma_used.set(used);
    }

    /// `ma_version_tag`.
    pub(super) fn ma_version_tag(&self) -> u64 {
        self.raw().ma_version_tag.get()
    }

    /// `mp->ma_version_tag = DICT_NEXT_VERSION()`.
    pub(super) fn bump_version(&self) {
        self.raw().ma_version_tag.set(next_version());
    }

    /// The keys object this dict owns (or shares: the static empty keys). Valid while the dict
    /// keeps it: do not hold it across a step that installs another table.
    pub(super) fn keys_obj(&self) -> Keys {
        // SAFETY: a live dict's ma_keys.
        unsafe { Keys::from_ma_keys(self.raw().ma_keys.get()) }
    }

    /// Point `ma_keys` at `new` and let go of the old table (`dictkeys_decref`).
    ///
    /// # Safety
    /// `new` carries a reference for this dict: a fresh or cloned table nobody else points at,
    /// or the static empty keys after [`keys_incref`].
    unsafe fn set_keys(&self, new: Keys) {
        let old = self.keys_obj();
        self.raw().ma_keys.set(new.as_ptr());
        // SAFETY: the dict pointed at old and now points elsewhere.
        unsafe { keys_decref(old) };
    }

    /// `new_dict(keys, NULL, 0)`: from the free list or a fresh GC object.
    ///
    /// # Safety
    /// As [`set_keys`](Self::set_keys): `keys` carries a reference for the new dict.
    unsafe fn new_dict(keys: Keys, from_free_list: bool) -> PyDict {
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
                ma_keys: Cell::new(keys.as_ptr()),
                ma_values: Cell::new(std::ptr::null_mut()),
            });
            PyDict(Obj::from_owned(op))
        }
    }

    /// `{}` (`PyDict_New`): the shared empty keys; a dict from the free list if any.
    pub fn new() -> PyDict {
        let k = empty_keys();
        keys_incref(k);
        // SAFETY: the reference just taken on the static empty keys.
        unsafe { Self::new_dict(k, true) }
    }

    /// `dict()` called as a type (`dict_new` → `tp_alloc`): never from the free list.
    pub fn new_from_type() -> PyDict {
        let k = empty_keys();
        keys_incref(k);
        // SAFETY: the reference just taken on the static empty keys.
        unsafe { Self::new_dict(k, false) }
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
        // SAFETY: a fresh table.
        unsafe { Self::new_dict(new_keys_object(log2, unicode), true) }
    }

    /// Bytes the dict holds in the allocators: its object block (GC head included) plus its
    /// keys table (nothing for the shared empty keys). Keys and values are not counted.
    pub fn footprint(&self) -> usize {
        let k = self.keys_obj();
        let keys = if k.is_shared_empty() {
            std::ptr::null()
        } else {
            k.as_ptr() as *const u8
        };
        runtime::with_heap(|h| {
            // SAFETY: a dict object is a live pymalloc block; keys is null or its own live
            // keys table from the same heap.
            unsafe { h.reserved_bytes(self.0.mem_address() as *const u8) + h.reserved_bytes(keys) }
        })
    }

    /// `insert_to_emptydict`: the first key of a dict on the static empty keys gets a fresh
    /// 8-slot table.
    pub(super) fn insert_to_emptydict(&self, key: Obj, hash: PyHash, value: Obj) {
        assert!(
            self.keys_obj().is_shared_empty(),
            "insert_to_emptydict on a dict with a table"
        );
        let unicode = is_str(&key);
        let nk = new_keys_object(PYDICT_LOG_MINSIZE, unicode);
        // SAFETY: a fresh table; the static empty keys lose this dict's reference.
        unsafe { self.set_keys(nk) };
        maintain_tracking(self, key.as_ptr(), value.as_ptr());
        nk.insert_new(hash, key, value);
        self.raw().ma_used.set(self.raw().ma_used.get() + 1);
        self.raw().ma_version_tag.set(next_version());
    }

    /// `dictresize(mp, log2_newsize, unicode)`: a new table, live entries copied in order,
    /// indices rebuilt; the old table goes to the keys free list or back to pymalloc.
    pub(super) fn dictresize(&self, log2_newsize: u8, unicode: bool) {
        assert!(log2_newsize < 64, "dict table too large");
        let old = self.keys_obj();
        runtime::trace(|| runtime::TraceEvent::Resize {
            what: "dict",
            address: self.0.id(),
            old: self.table().indices.len(),
            new: 1 << log2_newsize,
        });
        // SAFETY: ma_used counts the live entries; the old table is given back as a block
        // below (its entries moved) or is the static empty keys.
        let (new, probes) = unsafe { old.move_into_new(log2_newsize, unicode, self.len()) };
        cost::probed(probes);
        self.raw().ma_keys.set(new.as_ptr());
        if !old.is_shared_empty() {
            debug_assert_eq!(old.refcnt(), 1);
            // SAFETY: this dict was its only owner and now points at the new table; the
            // references moved there.
            unsafe { release_keys_block(old) };
        } else {
            // The static empty keys lose this dict's reference.
            old.drop_shared_ref();
        }
    }

    /// `d.clear()` (`PyDict_Clear`): back to the shared empty keys.
    pub fn clear(&self) {
        let old = self.keys_obj();
        let empty = empty_keys();
        if old.as_ptr() == empty.as_ptr() {
            return;
        }
        keys_incref(empty);
        self.raw().ma_used.set(0);
        self.raw().ma_version_tag.set(next_version());
        // SAFETY: the reference just taken on the static empty keys; the old table is let
        // go of (its entries released) after ma_keys points away from it.
        unsafe { self.set_keys(empty) };
    }

    /// A new dict owning a byte clone of `self`'s table (`PyDict_Copy`'s fast path).
    pub(super) fn copy_by_clone(&self) -> PyDict {
        // SAFETY: a cloned table nobody else points at.
        let new = unsafe { PyDict::new_dict(self.keys_obj().clone_combined(), true) };
        new.raw().ma_used.set(self.len() as isize);
        new
    }

    /// `dict_merge`'s fast path into an empty dict: take a byte clone of `other`'s table.
    pub(super) fn adopt_clone_of(&self, other: &PyDict) {
        let keys = other.keys_obj().clone_combined();
        // SAFETY: a cloned table nobody else points at.
        unsafe { self.set_keys(keys) };
        self.raw().ma_used.set(other.len() as isize);
        self.raw().ma_version_tag.set(next_version());
    }
}

/// Dict and keys free lists and the static empty keys of a runtime.
#[derive(Debug)]
pub(crate) struct DictState {
    pub(super) free_list: RefCell<Vec<NonNull<PyObject>>>,
    pub(super) keys_free_list: RefCell<Vec<NonNull<PyDictKeysObject>>>,
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

    pub(super) fn empty_keys(&self) -> Keys {
        // SAFETY: the static empty keys, written in new() and alive as long as the runtime.
        unsafe { Keys::from_ma_keys(NonNull::from(&self.empty_keys[0]).cast().as_ptr()) }
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

pub(super) fn empty_keys() -> Keys {
    state::with(|st| st.dicts.empty_keys())
}
