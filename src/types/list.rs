//! `list` as CPython 3.11 builds it (`Include/cpython/listobject.h`, `Objects/listobject.c`).
//!
//! ```text
//!  PyGC_Head (16) | PyListObject, 40 bytes (56 with the GC head: a 64-byte block)
//!  +0   ob_refcnt   8
//!  +8   ob_type     8
//!  +16  ob_size     8    len(list)
//!  +24  ob_item     8 -> separate PyMem block: `allocated` pointers (NULL when allocated is 0)
//!  +32  allocated   8    capacity
//! ```
//!
//! `sys.getsizeof(l) == 56 + 8 * allocated`. The item array is a `PyMem_Malloc` block: a pool
//! block up to 64 items (512 bytes), a system block above.
//!
//! Growth is `list_resize` with 3.11's formula (over-allocate by ~1/8 plus 6, rounded down to a
//! multiple of 4; no over-allocation when the new size is closer to that than to the old
//! size; shrink only below half the capacity). Other paths allocate exactly:
//! [`PyList::with_items`] (`PyList_New(n)`, a display of non-constant items),
//! `list_new_prealloc` (slices, `copy`, `a + b`, `a * n`), and `list_preallocate_exact` (the
//! first `extend` of a list with no item array, rounded up to an even count). Each function
//! below names the C function it mirrors.
//!
//! Dead lists go to a free list of up to 80 (`PyList_MAXFREELIST`) which `PyList_New` (but not
//! `list()` called as a type) takes from.
//!
//! Unsafe: the item array is a separate raw block of pointers that `list_resize` reallocates
//! and slot moves shift in place.
#![allow(unsafe_code)]

use std::cell::{Cell, RefCell};
use std::cmp::Ordering;
use std::ptr::{NonNull, null_mut};

use crate::alloc::Pymalloc;
use crate::cost;
use crate::error::{PyErr, PyResult};
use crate::object::{
    GC_HEAD_SIZE, Obj, PyObject, PyVarObject, TPFLAGS_HAVE_GC, TypeObject, alloc_object,
};
use crate::profile::{Current, Profile};
use crate::runtime;
use crate::types::ops;
use crate::types::state;

/// `PyList_MAXFREELIST`.
pub const PYLIST_MAXFREELIST: usize = Current::LIST_MAXFREELIST;
/// Bytes per item pointer.
const PTR: usize = size_of::<*mut PyObject>();

/// `PyListObject`.
#[repr(C)]
#[derive(Debug)]
pub struct PyListObject {
    /// Header; `ob_size` is `len(list)`.
    pub ob_base: PyVarObject,
    /// `ob_item`: the item array (`allocated` slots, the first `ob_size` in use).
    pub ob_item: Cell<*mut *mut PyObject>,
    /// `allocated`: capacity of `ob_item`.
    pub allocated: Cell<isize>,
}

/// `offsetof(PyListObject, ob_item)`.
pub const OB_ITEM_OFFSET: usize = std::mem::offset_of!(PyListObject, ob_item);
/// `offsetof(PyListObject, allocated)`.
pub const ALLOCATED_OFFSET: usize = std::mem::offset_of!(PyListObject, allocated);
const _: () = assert!(size_of::<PyListObject>() == 40 && OB_ITEM_OFFSET == 24);
const _: () = assert!(ALLOCATED_OFFSET == 32);

/// `PyList_Type`.
pub static LIST_TYPE: TypeObject = TypeObject {
    tp_name: "list",
    tp_basicsize: size_of::<PyListObject>(),
    tp_itemsize: 0,
    tp_flags: TPFLAGS_HAVE_GC,
    tp_dealloc: list_dealloc,
    sizeof: list_sizeof,
    tp_traverse: Some(list_traverse),
    tp_clear: Some(list_clear),
    gc_items: Some(list_gc_items),
    gc_untrack: crate::object::GcUntrack::Never,
};

/// `list_traverse`: every item.
///
/// # Safety
/// `op` is a live list.
unsafe fn list_traverse(op: NonNull<PyObject>, visit: &mut dyn FnMut(NonNull<PyObject>)) {
    // SAFETY: forwarded contract.
    unsafe { list_traverse_with(op, visit) }
}

/// The collector's fast path: the item array and `ob_size`.
///
/// # Safety
/// `op` is a live list.
unsafe fn list_gc_items(op: NonNull<PyObject>) -> (*const *mut PyObject, usize) {
    // SAFETY: live list.
    let l = unsafe { op.cast::<PyListObject>().as_ref() };
    (l.ob_item.get(), l.ob_base.ob_size.get() as usize)
}

/// [`list_traverse`] monomorphised for the collector's hot loops.
///
/// # Safety
/// `op` is a live list.
#[inline]
pub(crate) unsafe fn list_traverse_with(
    op: NonNull<PyObject>,
    mut visit: impl FnMut(NonNull<PyObject>),
) {
    // SAFETY: live list; slots below ob_size hold owned references.
    unsafe {
        let l = op.cast::<PyListObject>().as_ref();
        let items = l.ob_item.get();
        for i in (0..l.ob_base.ob_size.get() as usize).rev() {
            if let Some(p) = NonNull::new(*items.add(i)) {
                visit(p);
            }
        }
    }
}

/// `list_clear` (`_list_clear`) as the GC's `tp_clear`.
///
/// # Safety
/// `op` is a live list.
unsafe fn list_clear(op: NonNull<PyObject>) {
    // SAFETY: a borrowed handle for the duration of the call.
    let l = PyList(unsafe { Obj::from_borrowed(op) });
    l.clear();
}

/// `list.__sizeof__` (`list___sizeof___impl`): `40 + 8 * allocated`.
///
/// # Safety
/// `op` is a live list.
unsafe fn list_sizeof(op: NonNull<PyObject>) -> usize {
    // SAFETY: live list per the contract.
    let l = unsafe { op.cast::<PyListObject>().as_ref() };
    size_of::<PyListObject>() + l.allocated.get() as usize * PTR
}

/// `list_dealloc`: release the items (last first), free the array, then keep the object on
/// the free list if there is room.
///
/// # Safety
/// `op` is a list whose reference count just reached zero.
unsafe fn list_dealloc(op: NonNull<PyObject>) {
    crate::gc::untrack(op);
    // SAFETY: dead list; its items are owned references.
    unsafe {
        let l = op.cast::<PyListObject>().as_ref();
        let items = l.ob_item.get();
        if !items.is_null() {
            release_items(items, l.ob_base.ob_size.get() as usize);
        }
    }
    // The item array back to pymalloc, then the object onto the free list or back to
    // pymalloc.
    runtime::try_with(|rt| {
        // SAFETY: dead list; its array (if any) is ours and no longer referenced.
        let items = unsafe { op.cast::<PyListObject>().as_ref().ob_item.get() };
        if !items.is_null() {
            // SAFETY: the array came from this heap; its items were released above.
            unsafe { rt.heap.borrow_mut().free(items.cast()) };
        }
        let parked = state::try_with(|st| {
            let mut fl = st.lists.free_list.borrow_mut();
            let room = fl.len() < PYLIST_MAXFREELIST;
            if room {
                runtime::trace(|| runtime::TraceEvent::Park {
                    type_name: "list",
                    address: op.as_ptr() as usize,
                });
                fl.push(op);
            }
            room
        });
        if parked != Some(true) {
            // SAFETY: dead list allocated by alloc_object with LIST_TYPE.
            unsafe { crate::object::free_object_in(rt, op, &LIST_TYPE) };
        }
    });
}

/// Release the references in slots `0..n` (NULL slots skipped), last first, as
/// `list_dealloc` and `_list_clear` do. A run of adjacent slots holding the same object
/// (`[x] * n`, or `x` appended n times) is released with one subtraction for all but its
/// last reference, then that one: the same final counts, and the object can only reach zero
/// on the run's last reference (the run alone holds that many), exactly where the one-by-one
/// loop deallocates it. It spares a chain of dependent read-modify-writes on one counter.
///
/// # Safety
/// `items` holds at least `n` slots, each NULL or an owned reference, and the caller gives
/// those references up.
#[inline]
unsafe fn release_items(items: *mut *mut PyObject, n: usize) {
    let mut i = n;
    while i > 0 {
        i -= 1;
        // SAFETY: i < n, a slot of the array (contract).
        let p = unsafe { *items.add(i) };
        let Some(nn) = NonNull::new(p) else {
            continue;
        };
        let mut run = 0;
        // SAFETY: i - 1 < n while i > 0.
        while i > 0 && unsafe { *items.add(i - 1) } == p {
            run += 1;
            i -= 1;
        }
        // SAFETY: the run holds run + 1 owned references to the live object nn: its count is
        // at least run + 1, so taking run away leaves it above zero; the last reference goes
        // through Obj's drop (which deallocates at zero).
        unsafe {
            if run > 0 {
                let rc = &nn.as_ref().ob_refcnt;
                rc.set(rc.get() - run);
            }
            drop(Obj::from_owned(nn));
        }
    }
}

/// The list free list of a runtime (`struct _Py_list_state`).
#[derive(Debug, Default)]
pub(crate) struct ListState {
    free_list: RefCell<Vec<NonNull<PyObject>>>,
}

impl ListState {
    /// Number of lists on the free list.
    pub(crate) fn numfree(&self) -> usize {
        self.free_list.borrow().len()
    }

    /// `_PyList_ClearFreeList`.
    pub(crate) fn clear(&self, heap: &mut Pymalloc) {
        for op in self.free_list.borrow_mut().drain(..) {
            // SAFETY: dead lists, allocated from this heap with a GC head before them.
            unsafe { heap.free(op.as_ptr().cast::<u8>().sub(GC_HEAD_SIZE)) };
        }
    }
}

/// Lists on this thread's free list ("free PyListObjects" in `_debugmallocstats`).
pub fn free_list_len() -> usize {
    state::with(|st| st.lists.numfree())
}

fn mem_malloc(nbytes: usize) -> *mut u8 {
    runtime::with_heap(|h| h.malloc(nbytes))
}

fn mem_calloc(n: usize, size: usize) -> *mut u8 {
    runtime::with_heap(|h| h.calloc(n, size))
}

/// # Safety
/// `p` is null or a live block of this thread's heap.
unsafe fn mem_free(p: *mut u8) {
    if !p.is_null() {
        // SAFETY: forwarded contract.
        runtime::try_with_heap(|h| unsafe { h.free(p) });
    }
}

fn oom(what: &str, n: usize) -> ! {
    panic!("out of memory allocating {what} of {n} items")
}

/// Largest capacity `list_resize` accepts (`PY_SSIZE_T_MAX / sizeof(PyObject *)`).
pub const MAX_ALLOCATED: usize = isize::MAX as usize / PTR;

/// The capacity `list_resize(newsize)` gives a list of length `size` and capacity
/// `allocated`, or `None` when it keeps the array (`allocated >= newsize >= allocated / 2`).
/// Pure: `grow` uses it to answer for sizes it does not allocate.
#[inline]
pub fn resize_policy(size: usize, allocated: usize, newsize: usize) -> Option<usize> {
    Current::list_resize(size, allocated, newsize)
}

/// The capacity `list_preallocate_exact(n)` gives: `n` rounded up to even.
pub const fn preallocate_exact_policy(n: usize) -> usize {
    (n + 1) & !1
}

/// A handle to a `list`.
#[derive(Clone, Debug)]
pub struct PyList(Obj);

typed_handle!(PyList, LIST_TYPE, "list");

impl PyList {
    fn raw(&self) -> &PyListObject {
        // SAFETY: the handle keeps a live list; fields are Cells.
        unsafe { self.0.as_ptr().cast::<PyListObject>().as_ref() }
    }

    /// `PyList_New(size)` with `size` NULL slots: from the free list or a fresh GC object.
    fn alloc(size: usize, from_free_list: bool) -> PyList {
        let reused = if from_free_list {
            state::with(|st| st.lists.free_list.borrow_mut().pop())
        } else {
            None
        };
        let op = match reused {
            Some(op) => {
                runtime::trace(|| runtime::TraceEvent::Reuse {
                    type_name: "list",
                    address: op.as_ptr() as usize,
                });
                // SAFETY: a dead list from the free list: revive it (`_Py_NewReference`).
                unsafe {
                    op.as_ref().ob_refcnt.set(1);
                    op.as_ref().ob_type.set(&LIST_TYPE);
                }
                op
            }
            None => alloc_object(&LIST_TYPE, size_of::<PyListObject>())
                .unwrap_or_else(|| oom("a list", 0)),
        };
        let items = if size == 0 {
            null_mut()
        } else {
            let p = mem_calloc(size, PTR);
            if p.is_null() {
                oom("a list", size);
            }
            p.cast()
        };
        // SAFETY: op has room for a PyListObject; writing whole Cells initialises the fields.
        unsafe {
            let l = op.cast::<PyListObject>().as_ptr();
            std::ptr::addr_of_mut!((*l).ob_base.ob_size).write(Cell::new(size as isize));
            std::ptr::addr_of_mut!((*l).ob_item).write(Cell::new(items));
            std::ptr::addr_of_mut!((*l).allocated).write(Cell::new(size as isize));
            crate::gc::track(op);
            PyList(Obj::from_owned(op))
        }
    }

    /// `[]` (`PyList_New(0)`): no item array; takes a list from the free list if any.
    ///
    /// ```
    /// use pylayout::types::list::PyList;
    ///
    /// let l = PyList::new();
    /// assert_eq!((l.len(), l.allocated(), l.ob_item_address()), (0, 0, 0)); // ob_item is NULL
    /// assert_eq!(l.as_obj().getsizeof(), 56); // sys.getsizeof([])
    /// assert!(pylayout::gc::is_tracked(l.as_obj()));
    /// ```
    pub fn new() -> PyList {
        Self::alloc(0, true)
    }

    /// `list()` called as a type (`list_vectorcall` → `tp_alloc`): like `[]` but never from
    /// the free list.
    pub fn new_from_type() -> PyList {
        Self::alloc(0, false)
    }

    /// `PyList_New(n)` filled with `items`: what `BUILD_LIST n` makes for a display of
    /// non-constant items (`[x, y, z]`): capacity exactly `n`.
    pub fn with_items(items: Vec<Obj>) -> PyList {
        let l = Self::alloc(items.len(), true);
        let p = l.raw().ob_item.get();
        for (i, it) in items.into_iter().enumerate() {
            // SAFETY: slot i < n of a fresh zeroed array; the list takes the reference.
            unsafe { *p.add(i) = it.into_raw().as_ptr() };
        }
        l
    }

    /// What `str.split` builds (`Objects/stringlib/split.h`): `PyList_New(prealloc)`, the
    /// first `prealloc` items stored in place, later ones appended (`list_resize` growth),
    /// then `ob_size` set to the count. The capacity stays `prealloc` for short results.
    pub fn from_split(items: Vec<Obj>, prealloc: usize) -> PyList {
        let l = Self::alloc(prealloc, true);
        let p = l.raw().ob_item.get();
        let n = items.len();
        let mut rest = Vec::new();
        for (i, it) in items.into_iter().enumerate() {
            if i < prealloc {
                // SAFETY: slot i < prealloc of the fresh zeroed array; the list takes the
                // reference.
                unsafe { *p.add(i) = it.into_raw().as_ptr() };
            } else {
                rest.push(it);
            }
        }
        if n < prealloc {
            // FIX_PREALLOC_SIZE: the unused slots stay allocated.
            l.set_size(n);
        }
        for it in rest {
            l.append(it);
        }
        l
    }

    /// A display of constants, `[1, 2, 3]`: 3.11 compiles it to `BUILD_LIST 0` plus
    /// `LIST_EXTEND` of a constant tuple, so the capacity is the exact-extend one (rounded up
    /// to even: 3 items, 4 slots). One constant (`[1]`) stays `BUILD_LIST 1` (see
    /// [`PyList::with_items`]); whether the compiler folds depends on every item being a
    /// constant and there being at least three.
    pub fn from_constant_display(items: Vec<Obj>) -> PyList {
        let l = Self::new();
        l.extend_exact(items);
        l
    }

    /// `list_new_prealloc(size)`: an empty list whose array has room for exactly `size`.
    fn new_prealloc(size: usize) -> PyList {
        let l = Self::new();
        if size > 0 {
            let p = mem_malloc(size * PTR);
            if p.is_null() {
                oom("a list", size);
            }
            l.raw().ob_item.set(p.cast());
            l.raw().allocated.set(size as isize);
        }
        l
    }

    /// `len(list)` (`ob_size`).
    pub fn len(&self) -> usize {
        self.raw().ob_base.ob_size.get() as usize
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `allocated`: the capacity.
    pub fn allocated(&self) -> usize {
        self.raw().allocated.get() as usize
    }

    /// Address of the item array (`ob_item`), 0 when there is none.
    pub fn ob_item_address(&self) -> usize {
        self.raw().ob_item.get() as usize
    }

    fn set_size(&self, n: usize) {
        self.raw().ob_base.ob_size.set(n as isize);
    }

    fn slot(&self, i: usize) -> *mut *mut PyObject {
        debug_assert!(i < self.allocated());
        // SAFETY: i is inside the array (checked above in debug builds, by callers always).
        unsafe { self.raw().ob_item.get().add(i) }
    }

    /// Item `i` (no bounds check beyond a debug assertion): a new reference.
    fn item(&self, i: usize) -> Obj {
        debug_assert!(i < self.len());
        // SAFETY: slots below ob_size hold live owned references.
        unsafe { Obj::from_borrowed(NonNull::new_unchecked(*self.slot(i))) }
    }

    /// New references to all items, in order.
    pub fn items(&self) -> Vec<Obj> {
        (0..self.len()).map(|i| self.item(i)).collect()
    }

    /// Bytes the list holds in the allocators, overhead included: its object block (GC head
    /// and all) plus the `ob_item` array's block (a pool block up to 512 bytes, else what
    /// `malloc` reserved). The items themselves are not counted.
    pub fn footprint(&self) -> usize {
        let items = self.raw().ob_item.get();
        runtime::with_heap(|h| {
            // SAFETY: a list object is a live pymalloc block, and ob_item is null or the
            // list's live array from the same heap.
            unsafe {
                h.reserved_bytes(self.0.mem_address() as *const u8) + h.reserved_bytes(items.cast())
            }
        })
    }

    /// Normalise a Python index (`-len <= i < len`).
    fn index_of(&self, i: isize) -> Option<usize> {
        let n = self.len() as isize;
        let i = if i < 0 { i + n } else { i };
        (0..n).contains(&i).then_some(i as usize)
    }

    /// `list[i]` (`list_item`): `IndexError: list index out of range` outside.
    pub fn get(&self, i: isize) -> PyResult<Obj> {
        self.index_of(i)
            .map(|i| self.item(i))
            .ok_or_else(|| PyErr::index_error("list index out of range"))
    }

    /// `list[i] = v` (`list_ass_item`): `IndexError: list assignment index out of range`.
    pub fn set(&self, i: isize, v: Obj) -> PyResult<()> {
        let i = self
            .index_of(i)
            .ok_or_else(|| PyErr::index_error("list assignment index out of range"))?;
        // SAFETY: slot i < ob_size holds an owned reference, replaced by v's.
        let old = unsafe { std::ptr::replace(self.slot(i), v.into_raw().as_ptr()) };
        // SAFETY: the list's reference to the old item is released after the store.
        drop(unsafe { Obj::from_owned(NonNull::new_unchecked(old)) });
        Ok(())
    }

    /// `list_resize(self, newsize)`: set `ob_size`, reallocating the array per the policy.
    /// Slots between the old and new size are not initialised.
    #[inline]
    fn resize(&self, newsize: usize) {
        let l = self.raw();
        let allocated = l.allocated.get() as usize;
        if allocated >= newsize && newsize >= (allocated >> 1) {
            // resize_policy's "keep the array" case, checked inline.
            debug_assert!(!l.ob_item.get().is_null() || newsize == 0);
            l.ob_base.ob_size.set(newsize as isize);
            return;
        }
        self.resize_realloc(newsize);
    }

    /// The reallocating part of [`PyList::resize`].
    #[inline(never)]
    fn resize_realloc(&self, newsize: usize) {
        let (size, allocated) = (self.len(), self.allocated());
        let Some(new_allocated) = resize_policy(size, allocated, newsize) else {
            debug_assert!(!self.raw().ob_item.get().is_null() || newsize == 0);
            self.set_size(newsize);
            return;
        };
        if new_allocated > MAX_ALLOCATED {
            oom("a list", newsize);
        }
        runtime::trace(|| runtime::TraceEvent::Resize {
            what: "list",
            address: self.0.id(),
            old: allocated,
            new: new_allocated,
        });
        let old = self.raw().ob_item.get();
        let nbytes = new_allocated * PTR;
        // SAFETY: old is null or this list's live array (PyMem_Realloc semantics).
        let items = runtime::with_heap(|h| unsafe {
            if old.is_null() {
                h.malloc(nbytes)
            } else {
                h.realloc(old.cast(), nbytes)
            }
        });
        if items.is_null() {
            oom("a list", new_allocated);
        }
        if !old.is_null() && items != old.cast() {
            cost::copied(allocated.min(new_allocated) * PTR);
        }
        self.raw().ob_item.set(items.cast());
        self.set_size(newsize);
        self.raw().allocated.set(new_allocated as isize);
    }

    /// `list_preallocate_exact(self, n)`: give a list with no array room for `n` (rounded up
    /// to even) items.
    fn preallocate_exact(&self, n: usize) {
        debug_assert!(self.raw().ob_item.get().is_null() && n > 0);
        let size = preallocate_exact_policy(n);
        let p = mem_malloc(size * PTR);
        if p.is_null() {
            oom("a list", size);
        }
        self.raw().ob_item.set(p.cast());
        self.raw().allocated.set(size as isize);
    }

    /// `list.append(v)` (`_PyList_AppendTakeRef`): with room (`allocated > len`) the item is
    /// stored in place — no `list_resize`, so a list with spare capacity below half full
    /// (`'a'.split()`: 1 item, 12 slots) keeps it, as in CPython — else
    /// `_PyList_AppendTakeRefListResize` → `list_resize(n + 1)`.
    ///
    /// The capacity steps 0 → 4 → 8 → 16 → 24 → 32 → 40 → 52 → 64 → 76 ..., and
    /// `sys.getsizeof` with it (`56 + 8 * allocated`):
    ///
    /// ```
    /// use pylayout::types::int::PyInt;
    /// use pylayout::types::list::PyList;
    ///
    /// let l = PyList::new();
    /// let mut steps = vec![(0, 0, 56)];
    /// for i in 0..17 {
    ///     l.append(PyInt::from_i64(i).into_obj());
    ///     let step = (l.len(), l.allocated(), l.as_obj().getsizeof());
    ///     if step.1 != steps.last().unwrap().1 {
    ///         steps.push(step); // a resize happened
    ///     }
    /// }
    /// assert_eq!(steps, [(0, 0, 56), (1, 4, 88), (5, 8, 120), (9, 16, 184), (17, 24, 248)]);
    /// ```
    #[inline]
    pub fn append(&self, v: Obj) {
        let l = self.raw();
        let n = l.ob_base.ob_size.get() as usize;
        if l.allocated.get() as usize > n {
            // SAFETY: slot n < allocated is inside the array and free.
            unsafe { *l.ob_item.get().add(n) = v.into_raw().as_ptr() };
            l.ob_base.ob_size.set(n as isize + 1);
            return;
        }
        self.append_resize(v);
    }

    /// `_PyList_AppendTakeRefListResize`: the array is full.
    #[inline(never)]
    fn append_resize(&self, v: Obj) {
        let n = self.len();
        self.resize(n + 1);
        // SAFETY: slot n is inside the resized array and uninitialised.
        unsafe { *self.slot(n) = v.into_raw().as_ptr() };
    }

    /// `list.insert(i, v)` (`ins1`): clamp `i`, grow by one, shift the tail right.
    pub fn insert(&self, i: isize, v: Obj) {
        let n = self.len();
        let n_i = n as isize;
        let at = if i < 0 { (i + n_i).max(0) } else { i.min(n_i) } as usize;
        self.resize(n + 1);
        // SAFETY: the array holds n + 1 slots; moving n - at items up by one stays inside.
        unsafe {
            let base = self.slot(0);
            std::ptr::copy(base.add(at), base.add(at + 1), n - at);
            *base.add(at) = v.into_raw().as_ptr();
        }
        cost::moved(n - at, PTR);
    }

    /// `list.extend(seq)` for a list or tuple (or the list itself): the
    /// `PySequence_Fast` path of `list_extend`. `items` are the sequence's items.
    pub fn extend_exact(&self, items: Vec<Obj>) {
        let n = items.len();
        if n == 0 {
            return;
        }
        let m = self.len();
        if self.raw().ob_item.get().is_null() {
            self.preallocate_exact(n);
            self.set_size(n);
        } else {
            self.resize(m + n);
        }
        for (k, it) in items.into_iter().enumerate() {
            // SAFETY: slots m..m+n are inside the array and not yet initialised.
            unsafe { *self.slot(m + k) = it.into_raw().as_ptr() };
        }
    }

    /// `list.extend(iterable)` for any other iterable: the iterator path of `list_extend`.
    /// `length_hint` is what `PyObject_LengthHint(iterable, 8)` returns (`len()` for sized
    /// iterables, `__length_hint__` for iterators that have one, else 8).
    pub fn extend_iter(&self, iter: impl IntoIterator<Item = Obj>, length_hint: usize) {
        let m = self.len();
        if self.raw().ob_item.get().is_null() {
            if length_hint > 0 {
                self.preallocate_exact(length_hint);
            }
        } else if m
            .checked_add(length_hint)
            .is_some_and(|t| t <= MAX_ALLOCATED)
        {
            self.resize(m + length_hint);
            self.set_size(m);
        }
        for it in iter {
            let n = self.len();
            if n < self.allocated() {
                // SAFETY: slot n is inside the array and free.
                unsafe { *self.slot(n) = it.into_raw().as_ptr() };
                self.set_size(n + 1);
            } else {
                self.append(it);
            }
        }
        // Cut back the result if the initial guess was too large.
        if self.len() < self.allocated() {
            self.resize(self.len());
        }
    }

    /// `list(iterable)` for a list or tuple: `list_vectorcall` + `list___init__` →
    /// `list_extend` (exact preallocation, rounded up to even).
    pub fn from_exact(items: Vec<Obj>) -> PyList {
        let l = Self::new_from_type();
        l.extend_exact(items);
        l
    }

    /// `list(iterable)` for other iterables, with the iterable's length hint.
    pub fn from_iter_hint(iter: impl IntoIterator<Item = Obj>, length_hint: usize) -> PyList {
        let l = Self::new_from_type();
        l.extend_iter(iter, length_hint);
        l
    }

    /// `list.pop(i)` (`list_pop_impl`).
    pub fn pop(&self, i: isize) -> PyResult<Obj> {
        let n = self.len();
        if n == 0 {
            return Err(PyErr::index_error("pop from empty list"));
        }
        let i = self
            .index_of(i)
            .ok_or_else(|| PyErr::index_error("pop index out of range"))?;
        if i == n - 1 {
            // SAFETY: slot i holds an owned reference, which passes to the caller.
            let v = unsafe { Obj::from_owned(NonNull::new_unchecked(*self.slot(i))) };
            self.resize(n - 1);
            return Ok(v);
        }
        Ok(self.take_one(i))
    }

    /// `del list[i]` (`list_ass_item` with NULL → `list_ass_slice(i, i + 1, NULL)`).
    pub fn del_item(&self, i: isize) -> PyResult<()> {
        let i = self
            .index_of(i)
            .ok_or_else(|| PyErr::index_error("list assignment index out of range"))?;
        if self.len() == 1 {
            // _list_clear releases the item before freeing the array: keep that order.
            self.ass_slice(i, i + 1, Vec::new());
        } else {
            drop(self.take_one(i));
        }
        Ok(())
    }

    /// `list_ass_slice(i, i + 1, NULL)` for `i < len` and `len > 1`, the removed reference
    /// handed back instead of released: the same steps as [`PyList::ass_slice`] takes for
    /// one item (the recycled item kept on the stack, the tail moved down,
    /// `list_resize(len - 1)`), without its heap vectors. The caller releases the reference
    /// after the resize, where `list_ass_slice` does.
    fn take_one(&self, i: usize) -> Obj {
        let size = self.len();
        debug_assert!(i < size && size > 1);
        // SAFETY: slot i < size holds an owned reference, which the caller now owns.
        let v = unsafe { Obj::from_owned(NonNull::new_unchecked(*self.slot(i))) };
        let tail = size - i - 1;
        // SAFETY: moving the tail down by one inside the array.
        unsafe {
            let base = self.slot(0);
            std::ptr::copy(base.add(i + 1), base.add(i), tail);
        }
        cost::moved(tail, PTR);
        self.resize(size - 1);
        v
    }

    /// `list.remove(x)`: the first item equal to `x` (identity, then `==`).
    pub fn remove(&self, x: &Obj) -> PyResult<()> {
        for i in 0..self.len() {
            if ops::eq(&self.item(i), x)? {
                self.ass_slice(i, i + 1, Vec::new());
                return Ok(());
            }
        }
        Err(PyErr::value_error("list.remove(x): x not in list"))
    }

    /// `list.clear()` (`_list_clear`): release the items, free the array, `allocated = 0`.
    pub fn clear(&self) {
        let l = self.raw();
        let items = l.ob_item.get();
        if items.is_null() {
            return;
        }
        let n = self.len();
        self.set_size(0);
        l.ob_item.set(null_mut());
        l.allocated.set(0);
        // SAFETY: the detached array held n owned references; freed once, after them.
        unsafe {
            release_items(items, n);
            mem_free(items.cast());
        }
    }

    /// `a[lo:hi] = v` / `del a[lo:hi]` (`list_ass_slice`), indices already clamped by the
    /// caller to `0 <= lo <= hi <= len` (use [`PyList::set_slice`] for Python indices).
    fn ass_slice(&self, lo: usize, hi: usize, v: Vec<Obj>) {
        let size = self.len();
        debug_assert!(lo <= hi && hi <= size);
        let n = v.len();
        let norig = hi - lo;
        if size + n - norig == 0 {
            drop(v);
            self.clear();
            return;
        }
        // Recycle the items being replaced: CPython copies them aside (on the stack up to 8,
        // else in a PyMem block) and releases them at the end.
        let recycle_block = (norig * PTR > 8 * PTR).then(|| mem_malloc(norig * PTR));
        let recycled: Vec<*mut PyObject> = (lo..hi)
            // SAFETY: slots lo..hi hold owned references.
            .map(|i| unsafe { *self.slot(i) })
            .collect();
        if n < norig {
            let tail = size - hi;
            // SAFETY: moving the tail down inside the array.
            unsafe {
                let base = self.slot(0);
                std::ptr::copy(base.add(hi), base.add(lo + n), tail);
            }
            cost::moved(tail, PTR);
            self.resize(size + n - norig);
        } else if n > norig {
            self.resize(size + n - norig);
            let tail = size - hi;
            // SAFETY: the array now holds size + d slots; the tail moves up inside it.
            unsafe {
                let base = self.slot(0);
                std::ptr::copy(base.add(hi), base.add(lo + n), tail);
            }
            cost::moved(tail, PTR);
        }
        for (k, it) in v.into_iter().enumerate() {
            // SAFETY: slots lo..lo+n are inside the array; their old contents were recycled.
            unsafe { *self.slot(lo + k) = it.into_raw().as_ptr() };
        }
        for p in recycled.into_iter().rev() {
            // SAFETY: the references taken out of the replaced slots.
            drop(unsafe { Obj::from_owned(NonNull::new_unchecked(p)) });
        }
        if let Some(p) = recycle_block {
            // SAFETY: the temporary block allocated above.
            unsafe { mem_free(p) };
        }
    }

    /// Clamp Python slice bounds the way `list_ass_slice` does.
    fn clamp(&self, lo: isize, hi: isize) -> (usize, usize) {
        let n = self.len() as isize;
        let lo = lo.clamp(0, n);
        let hi = hi.clamp(lo, n);
        (lo as usize, hi as usize)
    }

    /// `a[lo:hi] = items` with already-normalised (non-negative or clamped) bounds, as
    /// `list_ass_subscript` passes them for step 1. `a[lo:hi] = a` is handled by passing the
    /// items (a copy), as CPython does.
    pub fn set_slice(&self, lo: isize, hi: isize, items: Vec<Obj>) {
        let (lo, hi) = self.clamp(lo, hi);
        self.ass_slice(lo, hi, items);
    }

    /// `del a[lo:hi]`.
    pub fn del_slice(&self, lo: isize, hi: isize) {
        let (lo, hi) = self.clamp(lo, hi);
        self.ass_slice(lo, hi, Vec::new());
    }

    /// `del a[start:stop:step]` for a step other than 1, given the normalised slice
    /// (`PySlice_AdjustIndices`): the kept items move down, then `list_resize`.
    pub fn del_extended_slice(&self, start: usize, step: isize, slicelength: usize) {
        if slicelength == 0 {
            return;
        }
        let (mut start, mut step) = (start as isize, step);
        if step < 0 {
            start += step * (slicelength as isize - 1);
            step = -step;
        }
        let (start, step) = (start as usize, step as usize);
        let size = self.len();
        // CPython collects the removed items in a temporary PyMem block.
        let garbage_block = mem_malloc(slicelength * PTR);
        let mut garbage = Vec::with_capacity(slicelength);
        let mut cur = start;
        let mut moved = 0;
        // SAFETY: every index is below size; items shift down over the deleted slots.
        unsafe {
            let base = self.slot(0);
            for i in 0..slicelength {
                garbage.push(*base.add(cur));
                let lim = if cur + step >= size {
                    size - cur - 1
                } else {
                    step - 1
                };
                std::ptr::copy(base.add(cur + 1), base.add(cur - i), lim);
                moved += lim;
                cur += step;
            }
            let tail_from = start + slicelength * step;
            if tail_from < size {
                std::ptr::copy(
                    base.add(tail_from),
                    base.add(tail_from - slicelength),
                    size - tail_from,
                );
                moved += size - tail_from;
            }
        }
        cost::moved(moved, PTR);
        self.resize(size - slicelength);
        for p in garbage {
            // SAFETY: references removed from the deleted slots.
            drop(unsafe { Obj::from_owned(NonNull::new_unchecked(p)) });
        }
        // SAFETY: the temporary block from above.
        unsafe { mem_free(garbage_block) };
    }

    /// `a[start:stop:step] = items` for a step other than 1: same length required, replaced
    /// in place.
    pub fn set_extended_slice(
        &self,
        start: usize,
        step: isize,
        slicelength: usize,
        items: Vec<Obj>,
    ) -> PyResult<()> {
        if items.len() != slicelength {
            return Err(PyErr::value_error(format!(
                "attempt to assign sequence of size {} to extended slice of size {slicelength}",
                items.len()
            )));
        }
        let mut old = Vec::with_capacity(slicelength);
        for (k, it) in items.into_iter().enumerate() {
            let i = (start as isize + k as isize * step) as usize;
            // SAFETY: i < len for a normalised slice; the slot's reference is swapped out.
            old.push(unsafe { std::ptr::replace(self.slot(i), it.into_raw().as_ptr()) });
        }
        for p in old {
            // SAFETY: references taken out of the replaced slots.
            drop(unsafe { Obj::from_owned(NonNull::new_unchecked(p)) });
        }
        Ok(())
    }

    /// `a[lo:hi]` (`list_slice`): a new list with exactly `hi - lo` slots.
    pub fn slice(&self, lo: isize, hi: isize) -> PyList {
        let (lo, hi) = self.clamp(lo, hi);
        self.collect_new((lo..hi).map(|i| self.item(i)).collect())
    }

    /// `a[start:stop:step]` for a normalised slice with step other than 1
    /// (`list_subscript`: `list_new_prealloc(slicelength)`).
    pub fn extended_slice(&self, start: usize, step: isize, slicelength: usize) -> PyList {
        self.collect_new(
            (0..slicelength)
                .map(|k| self.item((start as isize + k as isize * step) as usize))
                .collect(),
        )
    }

    /// A new list of exactly these items via `list_new_prealloc`.
    fn collect_new(&self, items: Vec<Obj>) -> PyList {
        if items.is_empty() {
            return PyList::new();
        }
        let l = PyList::new_prealloc(items.len());
        let n = items.len();
        for (k, it) in items.into_iter().enumerate() {
            // SAFETY: fresh array of n slots.
            unsafe { *l.slot(k) = it.into_raw().as_ptr() };
        }
        l.set_size(n);
        cost::moved(n, PTR);
        l
    }

    /// `list.copy()` (`list_slice(self, 0, len)`).
    pub fn copy(&self) -> PyList {
        self.slice(0, self.len() as isize)
    }

    /// `a + b` (`list_concat`): exactly `len(a) + len(b)` slots.
    pub fn concat(&self, other: &PyList) -> PyList {
        let mut items = self.items();
        items.extend(other.items());
        self.collect_new(items)
    }

    /// `a * n` (`list_repeat`): exactly `len(a) * n` slots.
    pub fn repeat(&self, n: isize) -> PyResult<PyList> {
        let n = n.max(0) as usize;
        let size = self
            .len()
            .checked_mul(n)
            .filter(|&s| s <= MAX_ALLOCATED)
            .ok_or_else(PyErr::no_memory)?;
        if size == 0 {
            // `if (size == 0) return PyList_New(0)`: no loop over n (`[] * 10**17` is instant).
            return Ok(self.collect_new(Vec::new()));
        }
        let items = self.items();
        let mut out = Vec::with_capacity(size);
        for _ in 0..n {
            out.extend(items.iter().cloned());
        }
        Ok(self.collect_new(out))
    }

    /// `a *= n` (`list_inplace_repeat`): `list_resize(len * n)` then copies.
    pub fn inplace_repeat(&self, n: isize) -> PyResult<()> {
        let size = self.len();
        if size == 0 || n == 1 {
            return Ok(());
        }
        if n < 1 {
            self.clear();
            return Ok(());
        }
        let n = n as usize;
        let total = size
            .checked_mul(n)
            .filter(|&s| s <= MAX_ALLOCATED)
            .ok_or_else(PyErr::no_memory)?;
        let items = self.items();
        self.resize(total);
        for k in 1..n {
            for (j, it) in items.iter().enumerate() {
                // SAFETY: slots size..total are inside the resized array.
                unsafe { *self.slot(k * size + j) = it.clone().into_raw().as_ptr() };
            }
        }
        cost::moved(total - size, PTR);
        Ok(())
    }

    /// `a += iterable` (`list_inplace_concat` → `list_extend`) for a list or tuple.
    pub fn inplace_concat(&self, items: Vec<Obj>) {
        self.extend_exact(items);
    }

    /// `list.reverse()`.
    pub fn reverse(&self) {
        let n = self.len();
        if n > 1 {
            // SAFETY: the first n slots are initialised; a slice over them is exclusive for
            // the duration (no Python code runs).
            unsafe { std::slice::from_raw_parts_mut(self.slot(0), n).reverse() };
            cost::moved(n / 2 * 2, PTR);
        }
    }

    /// `list.index(x)`: first position equal to `x`.
    pub fn index(&self, x: &Obj) -> PyResult<usize> {
        for i in 0..self.len() {
            if ops::eq(&self.item(i), x)? {
                return Ok(i);
            }
        }
        Err(PyErr::value_error(format!(
            "{} is not in list",
            ops::repr(x)
        )))
    }

    /// The first position whose item satisfies `f`, walking the array as `list_index` does
    /// (each item held by a new reference while `f` looks at it).
    #[inline]
    pub fn position_where(&self, mut f: impl FnMut(&Obj) -> bool) -> Option<usize> {
        let mut i = 0;
        // The length is read again each step: `f` may change the list.
        while i < self.len() {
            if f(&self.item(i)) {
                return Some(i);
            }
            i += 1;
        }
        None
    }

    /// `list.count(x)`.
    pub fn count(&self, x: &Obj) -> PyResult<usize> {
        let mut c = 0;
        for i in 0..self.len() {
            c += ops::eq(&self.item(i), x)? as usize;
        }
        Ok(c)
    }

    /// `x in list`.
    pub fn contains(&self, x: &Obj) -> PyResult<bool> {
        for i in 0..self.len() {
            if ops::eq(&self.item(i), x)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// `list.sort()` (stable, by `<`): the capacity is unchanged.
    pub fn sort(&self, reverse: bool) -> PyResult<()> {
        let mut items = self.items();
        let mut err = None;
        let mut cmp = |a: &Obj, b: &Obj| -> Ordering {
            if err.is_some() {
                return Ordering::Equal;
            }
            match ops::lt(a, b) {
                Ok(true) => Ordering::Less,
                Ok(false) => match ops::lt(b, a) {
                    Ok(true) => Ordering::Greater,
                    Ok(false) => Ordering::Equal,
                    Err(e) => {
                        err = Some(e);
                        Ordering::Equal
                    }
                },
                Err(e) => {
                    err = Some(e);
                    Ordering::Equal
                }
            }
        };
        if reverse {
            // CPython reverses, sorts stably, and reverses again: equal items keep order.
            items.reverse();
            items.sort_by(&mut cmp);
            items.reverse();
        } else {
            items.sort_by(&mut cmp);
        }
        if let Some(e) = err {
            return Err(e);
        }
        for (i, it) in items.into_iter().enumerate() {
            // SAFETY: slot i < len holds an owned reference, swapped for the sorted one.
            let old = unsafe { std::ptr::replace(self.slot(i), it.into_raw().as_ptr()) };
            // SAFETY: the list's old reference (the sorted vector held its own).
            drop(unsafe { Obj::from_owned(NonNull::new_unchecked(old)) });
        }
        Ok(())
    }
}

impl Default for PyList {
    fn default() -> Self {
        PyList::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::int::PyInt;

    fn int(v: i64) -> Obj {
        PyInt::from_i64(v).into_obj()
    }

    fn values(l: &PyList) -> Vec<i64> {
        l.items()
            .into_iter()
            .map(|o| PyInt::from_obj(o).unwrap().to_i64().unwrap())
            .collect()
    }

    #[test]
    fn append_follows_the_311_capacity_steps() {
        let l = PyList::new();
        let mut caps = vec![];
        for i in 0..100 {
            l.append(int(i));
            if caps.last() != Some(&l.allocated()) {
                caps.push(l.allocated());
            }
        }
        assert_eq!(caps, [4, 8, 16, 24, 32, 40, 52, 64, 76, 92, 108]);
        assert_eq!(l.as_obj().getsizeof(), 56 + 8 * 108);
        assert_eq!(values(&l), (0..100).collect::<Vec<_>>());
    }

    #[test]
    fn append_with_room_keeps_the_capacity() {
        // CPython 3.11: `l = 'a'.split(); l.append(1)` stays at 12 slots (getsizeof 152):
        // `_PyList_AppendTakeRef` stores in place whenever allocated > len.
        let l = PyList::from_split(vec![int(1)], 12);
        assert_eq!((l.len(), l.allocated()), (1, 12));
        l.append(int(2));
        assert_eq!((l.len(), l.allocated()), (2, 12));
        assert_eq!(l.as_obj().getsizeof(), 152);
    }

    #[test]
    fn exact_paths() {
        let three = PyList::with_items(vec![int(1000), int(2000), int(3000)]);
        assert_eq!((three.len(), three.allocated()), (3, 3));
        let ext = PyList::new();
        ext.extend_exact(three.items());
        assert_eq!((ext.len(), ext.allocated()), (3, 4));
        let gen_ = PyList::from_iter_hint((0..3).map(int), 8);
        assert_eq!((gen_.len(), gen_.allocated()), (3, 8));
        let one = PyList::from_iter_hint((0..1).map(int), 8);
        assert_eq!(one.allocated(), 4);
        let rep = three.repeat(3).unwrap();
        assert_eq!((rep.len(), rep.allocated()), (9, 9));
        let sl = rep.slice(2, 7);
        assert_eq!((sl.len(), sl.allocated()), (5, 5));
        assert_eq!(PyList::new().repeat(5).unwrap().ob_item_address(), 0);
    }

    #[test]
    fn shrink_and_slices() {
        let l = PyList::with_items((0..100).map(int).collect());
        while l.len() > 49 {
            l.pop(-1).unwrap();
        }
        assert_eq!(l.allocated(), 60);
        let m = PyList::with_items((0..100).map(int).collect());
        m.del_slice(10, 1000);
        assert_eq!((m.len(), m.allocated()), (10, 16));
        m.set_slice(2, 4, (0..10).map(|i| int(100 + i)).collect());
        assert_eq!(m.len(), 18);
        assert_eq!(values(&m)[..4], [0, 1, 100, 101]);
        m.del_extended_slice(0, 2, 9);
        assert_eq!(m.len(), 9);
        m.clear();
        assert_eq!((m.len(), m.allocated(), m.ob_item_address()), (0, 0, 0));
    }

    #[test]
    fn nesting_past_the_trashcan_level_is_freed() {
        // 500 > TRASH_UNWIND_LEVEL: the deep part is parked and freed iteratively (this
        // test also runs under valgrind in CI, which the million-deep ones do not).
        runtime::clear_freelists();
        let base = runtime::allocated_blocks();
        let mut l = PyList::new();
        for i in 0..500 {
            let outer = PyList::with_items(vec![int(i), l.into_obj()]);
            l = outer;
        }
        drop(l);
        runtime::clear_freelists();
        assert_eq!(runtime::allocated_blocks(), base);
    }

    #[test]
    fn everything_comes_back() {
        runtime::clear_freelists();
        let base = runtime::allocated_blocks();
        {
            let l = PyList::new();
            for i in 0..1000 {
                l.insert(i / 2, int(i as i64 * 7919));
            }
            let c = l.concat(&l.copy());
            c.sort(false).unwrap();
            c.inplace_repeat(2).unwrap();
            l.append(c.into_obj());
        }
        runtime::clear_freelists();
        assert_eq!(runtime::allocated_blocks(), base);
    }
}
