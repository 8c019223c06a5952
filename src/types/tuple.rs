//! `tuple` as CPython 3.11 builds it (`Include/cpython/tupleobject.h`,
//! `Objects/tupleobject.c`).
//!
//! ```text
//!  PyGC_Head (16) | PyTupleObject: 24 + 8 * n bytes, the items inline
//!  +0   ob_refcnt      8
//!  +8   ob_type        8
//!  +16  ob_size        8    len(tuple), fixed at creation
//!  +24  ob_item[0]     8    item pointers, in the same block (no separate array)
//!  ...  ob_item[n-1]
//! ```
//!
//! `sys.getsizeof(t) == 40 + 8 * len(t)`, so a 2-tuple is a 56-byte object in a 64-byte block.
//! The empty tuple is a static singleton (not in any pool, `ob_refcnt` 999999999 at start).
//! Dead tuples of length 1..=20 go to per-length free lists (up to 2000 each), linked
//! through `ob_item[0]`; `PyTuple_New` takes from them for lengths 1..=19 only — 3.11's
//! `maybe_freelist_pop` tests `size < PyTuple_MAXSAVESIZE` while `maybe_freelist_push` accepts
//! `size - 1 < PyTuple_NFREELISTS`, so 20-tuples are saved but never reused.
//!
//! Unsafe: the items live inline after the header, and a dead tuple's first slot links its free
//! list.
#![allow(unsafe_code)]

use std::cell::Cell;
use std::ptr::{NonNull, null_mut};

use crate::alloc::Pymalloc;
use crate::error::{PyErr, PyResult};
use crate::object::{
    GC_HEAD_SIZE, Obj, PyGCHead, PyObject, PyVarObject, TPFLAGS_HAVE_GC, TypeObject, alloc_object,
    free_object, static_refcnt,
};
use crate::profile::{Current, Profile};
use crate::runtime;
use crate::types::ops;
use crate::types::state;

/// `PyTuple_MAXSAVESIZE`: lengths below this are taken from the free lists.
pub const PYTUPLE_MAXSAVESIZE: usize = Current::TUPLE_NFREELISTS;
/// `PyTuple_NFREELISTS`: free lists exist for lengths 1..=20.
pub const PYTUPLE_NFREELISTS: usize = Current::TUPLE_NFREELISTS;
/// `PyTuple_MAXFREELIST`: tuples kept per length.
pub const PYTUPLE_MAXFREELIST: usize = Current::TUPLE_MAXFREELIST;
/// `offsetof(PyTupleObject, ob_item)` = `tuple.__basicsize__`.
pub const OB_ITEM_OFFSET: usize = size_of::<PyVarObject>();
const PTR: usize = size_of::<*mut PyObject>();

/// `PyTuple_Type`.
pub static TUPLE_TYPE: TypeObject = TypeObject {
    tp_name: "tuple",
    tp_basicsize: OB_ITEM_OFFSET,
    tp_itemsize: PTR,
    tp_flags: TPFLAGS_HAVE_GC,
    tp_dealloc: tuple_dealloc,
    sizeof: tuple_sizeof,
    tp_traverse: Some(tuple_traverse),
    // Tuples have no tp_clear: cycles through them are broken at the lists and dicts.
    tp_clear: None,
    gc_items: Some(tuple_gc_items),
    gc_untrack: crate::object::GcUntrack::WhenScanned,
};

/// `tupletraverse`: every item (last first).
///
/// # Safety
/// `op` is a live tuple.
unsafe fn tuple_traverse(op: NonNull<PyObject>, visit: &mut dyn FnMut(NonNull<PyObject>)) {
    // SAFETY: forwarded contract.
    unsafe { tuple_traverse_with(op, visit) }
}

/// The collector's fast path: the inline item array and `ob_size`.
///
/// # Safety
/// `op` is a live tuple.
unsafe fn tuple_gc_items(op: NonNull<PyObject>) -> (*const *mut PyObject, usize) {
    // SAFETY: live tuple: ob_size items follow the header.
    unsafe {
        let n = op.cast::<PyVarObject>().as_ref().ob_size.get() as usize;
        (item_slot(op, 0).cast_const(), n)
    }
}

/// [`tuple_traverse`] monomorphised for the collector's hot loops.
///
/// # Safety
/// `op` is a live tuple.
#[inline]
pub(crate) unsafe fn tuple_traverse_with(
    op: NonNull<PyObject>,
    mut visit: impl FnMut(NonNull<PyObject>),
) {
    // SAFETY: live tuple; slots below ob_size hold owned references or NULL.
    unsafe {
        let n = op.cast::<PyVarObject>().as_ref().ob_size.get() as usize;
        for i in (0..n).rev() {
            if let Some(p) = NonNull::new(*item_slot(op, i)) {
                visit(p);
            }
        }
    }
}

/// `tuple.__sizeof__`: `24 + 8 * len`.
pub const fn tuple_sizeof_len(n: usize) -> usize {
    OB_ITEM_OFFSET + PTR * n
}

/// # Safety
/// `op` is a live tuple.
unsafe fn tuple_sizeof(op: NonNull<PyObject>) -> usize {
    // SAFETY: live tuple per the contract.
    let n = unsafe { op.cast::<PyVarObject>().as_ref().ob_size.get() } as usize;
    tuple_sizeof_len(n)
}

/// # Safety
/// `op` is a tuple with at least `i + 1` slots.
unsafe fn item_slot(op: NonNull<PyObject>, i: usize) -> *mut *mut PyObject {
    // SAFETY: the items follow the var header in the same block.
    unsafe {
        op.cast::<u8>()
            .add(OB_ITEM_OFFSET + i * PTR)
            .cast()
            .as_ptr()
    }
}

/// `tupledealloc`: release the items (last first), then a free list or pymalloc.
///
/// # Safety
/// `op` is a tuple whose reference count just reached zero.
unsafe fn tuple_dealloc(op: NonNull<PyObject>) {
    crate::gc::untrack(op);
    // SAFETY: dead tuple; slots below ob_size hold owned references (or NULL).
    let n = unsafe {
        let n = op.cast::<PyVarObject>().as_ref().ob_size.get() as usize;
        for i in (0..n).rev() {
            if let Some(p) = NonNull::new(*item_slot(op, i)) {
                drop(Obj::from_owned(p));
            }
        }
        n
    };
    debug_assert!(n > 0, "the empty tuple is static");
    let index = n - 1;
    let pushed = state::with(|st| {
        let st = &st.tuples;
        if index < PYTUPLE_NFREELISTS && st.numfree[index].get() < PYTUPLE_MAXFREELIST {
            runtime::trace(|| runtime::TraceEvent::Park {
                type_name: "tuple",
                address: op.as_ptr() as usize,
            });
            // SAFETY: the first slot of a dead tuple links the free list.
            unsafe { *item_slot(op, 0) = st.free_list[index].get() };
            st.free_list[index].set(op.as_ptr());
            st.numfree[index].set(st.numfree[index].get() + 1);
            true
        } else {
            false
        }
    });
    if !pushed {
        // SAFETY: dead tuple allocated by alloc_object with TUPLE_TYPE.
        unsafe { free_object(op, &TUPLE_TYPE) };
    }
}

/// The static empty tuple with its (unused) GC head, as 3.11's `_Py_SINGLETON(tuple_empty)`.
#[repr(C)]
#[derive(Debug)]
struct StaticEmptyTuple {
    gc: PyGCHead,
    tuple: PyVarObject,
}

/// The tuple free lists and the empty tuple of a runtime (`struct _Py_tuple_state`).
#[derive(Debug)]
pub(crate) struct TupleState {
    free_list: [Cell<*mut PyObject>; PYTUPLE_NFREELISTS],
    numfree: [Cell<usize>; PYTUPLE_NFREELISTS],
    empty: Box<StaticEmptyTuple>,
}

impl TupleState {
    pub(crate) fn new() -> TupleState {
        TupleState {
            free_list: std::array::from_fn(|_| Cell::new(null_mut())),
            numfree: std::array::from_fn(|_| Cell::new(0)),
            empty: Box::new(StaticEmptyTuple {
                gc: PyGCHead::default(),
                tuple: PyVarObject {
                    ob_base: PyObject {
                        ob_refcnt: Cell::new(static_refcnt()),
                        ob_type: Cell::new(&TUPLE_TYPE),
                    },
                    ob_size: Cell::new(0),
                },
            }),
        }
    }

    fn empty_ptr(&self) -> NonNull<PyObject> {
        NonNull::from(&self.empty.tuple).cast()
    }

    /// Tuples saved for length `n` (1..=20).
    pub(crate) fn numfree(&self, n: usize) -> usize {
        self.numfree[n - 1].get()
    }

    fn pop(&self, size: usize) -> Option<NonNull<PyObject>> {
        if size == 0 || size >= PYTUPLE_MAXSAVESIZE {
            return None;
        }
        let index = size - 1;
        let op = NonNull::new(self.free_list[index].get())?;
        // SAFETY: free-list entries are dead tuples whose first slot is the link.
        self.free_list[index].set(unsafe { *item_slot(op, 0) });
        self.numfree[index].set(self.numfree[index].get() - 1);
        Some(op)
    }

    /// Empty the free lists (`_PyTuple_ClearFreeList`).
    pub(crate) fn clear(&self, heap: &mut Pymalloc) {
        for index in 0..PYTUPLE_NFREELISTS {
            let mut p = self.free_list[index].replace(null_mut());
            self.numfree[index].set(0);
            while let Some(op) = NonNull::new(p) {
                // SAFETY: dead tuples: link in slot 0; block starts at the GC head.
                unsafe {
                    p = *item_slot(op, 0);
                    heap.free(op.as_ptr().cast::<u8>().sub(GC_HEAD_SIZE));
                }
            }
        }
    }
}

/// `PySequence_Tuple`'s result while its iterator runs: `PyTuple_New(length_hint)`, filled
/// in order, grown by `_PyTuple_Resize` (`n + 10`, plus a quarter) when full and cut to its
/// length at the end. Dropped unfinished (the iterator failed), it is deallocated as
/// CPython's is, NULL slots and all: to the free list of its length.
///
/// ```
/// use pylayout::types::int::PyInt;
/// use pylayout::types::tuple::TupleBuilder;
///
/// let mut b = TupleBuilder::new(2);
/// for i in 0..5 {
///     b.push(PyInt::from_i64(i).into_obj());
/// }
/// let t = b.finish();
/// assert_eq!(t.len(), 5);
/// ```
#[derive(Debug)]
pub struct TupleBuilder {
    t: PyTuple,
    filled: usize,
}

impl TupleBuilder {
    pub fn new(length_hint: usize) -> TupleBuilder {
        TupleBuilder {
            t: PyTuple::with_empty_slots(length_hint),
            filled: 0,
        }
    }

    /// The next item; a full tuple grows first (`newn = n + 10; newn += newn >> 2`).
    pub fn push(&mut self, item: Obj) {
        let n = self.t.len();
        if self.filled >= n {
            let grown = n + 10;
            let t = std::mem::replace(&mut self.t, PyTuple::empty());
            self.t = t.resize(grown + (grown >> 2));
        }
        // SAFETY: filled < ob_size, and slots from `filled` on are NULL: this one takes the
        // owned reference.
        unsafe { *item_slot(self.t.0.as_ptr(), self.filled) = item.into_raw().as_ptr() };
        self.filled += 1;
    }

    /// The tuple, cut to the items pushed.
    pub fn finish(mut self) -> PyTuple {
        let t = std::mem::replace(&mut self.t, PyTuple::empty());
        t.resize(self.filled)
    }
}

/// Tuples of length `n` (1..=20) on this thread's free lists.
pub fn free_list_len(n: usize) -> usize {
    assert!((1..=PYTUPLE_NFREELISTS).contains(&n));
    state::with(|st| st.tuples.numfree(n))
}

/// A handle to a `tuple`.
#[derive(Clone, Debug)]
pub struct PyTuple(Obj);

typed_handle!(PyTuple, TUPLE_TYPE, "tuple");

impl PyTuple {
    /// `PyTuple_New(n)` filled with `items` (`_PyTuple_FromArray`): the empty singleton for
    /// no items, else a free-list tuple or a fresh GC object of `24 + 8n` bytes.
    ///
    /// ```
    /// use pylayout::types::int::PyInt;
    /// use pylayout::types::tuple::PyTuple;
    ///
    /// let items = vec![PyInt::from_i64(1).into_obj(), PyInt::from_i64(2).into_obj()];
    /// let t = PyTuple::new(items);
    /// assert_eq!(t.len(), 2);
    /// assert_eq!(t.as_obj().getsizeof(), 56); // 16 (GC head) + 24 + 8 * 2, items inline
    ///
    /// // `()` is one static object, shared and never freed:
    /// let (e1, e2) = (PyTuple::new(vec![]), PyTuple::empty());
    /// assert!(e1.as_obj().is(e2.as_obj()));
    /// assert!(e1.is_static());
    /// assert_eq!(e1.as_obj().getsizeof(), 40);
    ///
    /// // A dead 2-tuple goes to the free list for length 2; the next 2-tuple takes it back.
    /// let old_id = t.as_obj().id();
    /// drop(t);
    /// let again = PyTuple::new(vec![PyInt::from_i64(3).into_obj(), PyInt::from_i64(4).into_obj()]);
    /// assert_eq!(again.as_obj().id(), old_id);
    /// ```
    pub fn new(items: Vec<Obj>) -> PyTuple {
        let n = items.len();
        let t = PyTuple::with_empty_slots(n);
        for (i, it) in items.into_iter().enumerate() {
            // SAFETY: i < n = ob_size; the slot is NULL and takes the owned reference.
            unsafe { *item_slot(t.0.as_ptr(), i) = it.into_raw().as_ptr() };
        }
        t
    }

    /// `PyTuple_New(n)`: the empty singleton for 0, else a free-list tuple or a fresh GC
    /// object, tracked, every slot NULL (the caller fills them).
    fn with_empty_slots(n: usize) -> PyTuple {
        if n == 0 {
            return PyTuple::empty();
        }
        let reused = state::with(|st| st.tuples.pop(n));
        if let Some(op) = reused {
            runtime::trace(|| runtime::TraceEvent::Reuse {
                type_name: "tuple",
                address: op.as_ptr() as usize,
            });
        }
        let op = reused.unwrap_or_else(|| {
            alloc_object(&TUPLE_TYPE, tuple_sizeof_len(n))
                .unwrap_or_else(|| panic!("out of memory allocating a {n}-tuple"))
        });
        // SAFETY: op has room for the header and n item slots; a revived free-list tuple
        // gets its header reset (`_Py_NewReference`), a fresh one has it set already.
        unsafe {
            let var = op.cast::<PyVarObject>().as_ref();
            var.ob_base.ob_refcnt.set(1);
            var.ob_base.ob_type.set(&TUPLE_TYPE);
            std::ptr::addr_of_mut!((*op.cast::<PyVarObject>().as_ptr()).ob_size)
                .write(Cell::new(n as isize));
            std::ptr::write_bytes(item_slot(op, 0), 0, n);
            crate::gc::track(op);
            PyTuple(Obj::from_owned(op))
        }
    }

    /// The result-tuple recycling of `enumerate`, `zip` and dict item iterators: when this
    /// handle is the only reference (`Py_REFCNT(result) == 1`), put `items` in place (the old
    /// items are released after) and track the tuple again if a collection untracked it.
    /// When someone else still holds it (or the length differs), the tuple is left alone and
    /// the items come back.
    pub fn recycle(&self, items: Vec<Obj>) -> Result<(), Vec<Obj>> {
        if self.0.refcnt() != 1 || items.len() != self.len() || self.is_empty() {
            return Err(items);
        }
        let op = self.0.as_ptr();
        let mut old = Vec::with_capacity(items.len());
        for (i, it) in items.into_iter().enumerate() {
            // SAFETY: i < ob_size; this handle is the only reference, so nobody can observe
            // the slot change; the old item's reference moves to `old`.
            unsafe {
                let slot = item_slot(op, i);
                old.push(Obj::from_owned(NonNull::new_unchecked(*slot)));
                *slot = it.into_raw().as_ptr();
            }
        }
        if !crate::gc::is_tracked_ptr(op) {
            crate::gc::track(op);
        }
        drop(old);
        Ok(())
    }

    /// The compiler's `PyTuple_SET_ITEM` in `merge_consts_recursive` and
    /// `intern_string_constants`: item `i` becomes `item`, an equal constant (the merged or
    /// interned one), in place, whoever else holds the tuple; the old item is released.
    ///
    /// # Panics
    /// When `i` is out of range.
    pub fn replace_constant_item(&self, i: usize, item: Obj) {
        assert!(i < self.len(), "tuple index {i} out of range");
        let op = self.0.as_ptr();
        // SAFETY: i < ob_size, the slot holds an owned reference, which moves to `old` (and
        // is released after the slot holds the new one).
        let old = unsafe {
            let slot = item_slot(op, i);
            let old = Obj::from_owned(NonNull::new_unchecked(*slot));
            *slot = item.into_raw().as_ptr();
            old
        };
        drop(old);
    }

    /// `_PyTuple_Resize` of a tuple only this handle holds, its slots from `filled` on
    /// NULL, to `newsize >= filled` slots: the empty singleton for 0, a new tuple when it was
    /// the singleton, else the block reallocated (in place when pymalloc keeps it), untracked
    /// meanwhile and tracked again.
    fn resize(self, newsize: usize) -> PyTuple {
        let oldsize = self.len();
        if oldsize == newsize {
            return self;
        }
        if newsize == 0 {
            drop(self);
            return PyTuple::empty();
        }
        if oldsize == 0 {
            return PyTuple::with_empty_slots(newsize);
        }
        debug_assert_eq!(
            self.0.refcnt(),
            1,
            "only a tuple nobody else holds is resized"
        );
        let op = self.0.into_raw();
        crate::gc::untrack(op);
        // SAFETY: op is a GC tuple this function owns (refcount 1, untracked): its block
        // starts at the GC head; the slots from newsize on are NULL (the caller's contract),
        // so shrinking drops nothing; growing zeroes the new slots before anyone reads them.
        unsafe {
            let mem = op.cast::<u8>().sub(GC_HEAD_SIZE).as_ptr();
            let total = GC_HEAD_SIZE + tuple_sizeof_len(newsize);
            let new = runtime::with_heap(|h| h.realloc(mem, total));
            let new = NonNull::new(new)
                .unwrap_or_else(|| panic!("out of memory resizing a {newsize}-tuple"));
            let op = new.add(GC_HEAD_SIZE).cast::<PyObject>();
            (*op.cast::<PyVarObject>().as_ptr())
                .ob_size
                .set(newsize as isize);
            if newsize > oldsize {
                std::ptr::write_bytes(item_slot(op, oldsize), 0, newsize - oldsize);
            }
            crate::gc::track(op);
            PyTuple(Obj::from_owned(op))
        }
    }

    /// `()`: the static singleton.
    pub fn empty() -> PyTuple {
        state::with(|st| {
            // SAFETY: the runtime's static empty tuple is always live.
            PyTuple(unsafe { Obj::from_borrowed(st.tuples.empty_ptr()) })
        })
    }

    /// `len(t)`.
    pub fn len(&self) -> usize {
        // SAFETY: ob_size of a live tuple.
        unsafe { self.0.read_field::<isize>(crate::object::OB_SIZE_OFFSET) as usize }
    }

    /// Whether this is the empty tuple.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether this is the runtime's static empty tuple.
    pub fn is_static(&self) -> bool {
        state::with(|st| st.tuples.empty_ptr() == self.0.as_ptr())
    }

    fn item(&self, i: usize) -> Obj {
        debug_assert!(i < self.len());
        // SAFETY: slots below ob_size hold live owned references.
        unsafe { Obj::from_borrowed(NonNull::new_unchecked(*item_slot(self.0.as_ptr(), i))) }
    }

    /// New references to the items.
    pub fn items(&self) -> Vec<Obj> {
        (0..self.len()).map(|i| self.item(i)).collect()
    }

    /// Bytes the tuple holds in the allocators (its one block, GC head included; 0 for the
    /// static empty tuple). The items are not counted.
    pub fn footprint(&self) -> usize {
        if self.is_static() {
            return 0;
        }
        // SAFETY: a tuple that is not the static empty one is a live block of this heap.
        runtime::with_heap(|h| unsafe { h.reserved_bytes(self.0.mem_address() as *const u8) })
    }

    /// `t[i]`: `IndexError: tuple index out of range` outside.
    pub fn get(&self, i: isize) -> PyResult<Obj> {
        let n = self.len() as isize;
        let j = if i < 0 { i + n } else { i };
        if (0..n).contains(&j) {
            Ok(self.item(j as usize))
        } else {
            Err(PyErr::index_error("tuple index out of range"))
        }
    }

    /// `t[lo:hi]` with clamped bounds (`tupleslice`): the tuple itself when the slice is
    /// the whole tuple.
    pub fn slice(&self, lo: usize, hi: usize) -> PyTuple {
        let n = self.len();
        let (lo, hi) = (lo.min(n), hi.min(n).max(lo.min(n)));
        if lo == 0 && hi == n {
            return self.clone();
        }
        PyTuple::new((lo..hi).map(|i| self.item(i)).collect())
    }

    /// `a + b` (`tupleconcat`): one side itself when the other is empty.
    pub fn concat(&self, other: &PyTuple) -> PyTuple {
        if other.is_empty() {
            return self.clone();
        }
        if self.is_empty() {
            return other.clone();
        }
        let mut items = self.items();
        items.extend(other.items());
        PyTuple::new(items)
    }

    /// `t * n` (`tuplerepeat`): itself for `n == 1`, `()` for an empty result.
    pub fn repeat(&self, n: isize) -> PyResult<PyTuple> {
        if n == 1 {
            return Ok(self.clone());
        }
        let n = n.max(0) as usize;
        if self.is_empty() || n == 0 {
            return Ok(PyTuple::empty());
        }
        self.len()
            .checked_mul(n)
            .filter(|&s| s <= (isize::MAX as usize - OB_ITEM_OFFSET) / PTR)
            .ok_or_else(PyErr::no_memory)?;
        let items = self.items();
        let mut out = Vec::with_capacity(items.len() * n);
        for _ in 0..n {
            out.extend(items.iter().cloned());
        }
        Ok(PyTuple::new(out))
    }

    /// `x in t`.
    pub fn contains(&self, x: &Obj) -> PyResult<bool> {
        for i in 0..self.len() {
            if ops::eq(&self.item(i), x)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// `t.index(x)`.
    pub fn index(&self, x: &Obj) -> PyResult<usize> {
        for i in 0..self.len() {
            if ops::eq(&self.item(i), x)? {
                return Ok(i);
            }
        }
        Err(PyErr::value_error("tuple.index(x): x not in tuple"))
    }

    /// `t.count(x)`.
    pub fn count(&self, x: &Obj) -> PyResult<usize> {
        let mut c = 0;
        for i in 0..self.len() {
            c += ops::eq(&self.item(i), x)? as usize;
        }
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::int::PyInt;

    fn int(v: i64) -> Obj {
        PyInt::from_i64(v).into_obj()
    }

    #[test]
    fn recycle_only_when_sole_owner_and_retracks() {
        let t = PyTuple::new(vec![int(1000), int(2000)]);
        let old = t.items();
        // Someone else holds it: left alone.
        let other = t.as_obj().clone();
        assert!(t.recycle(vec![int(1), int(2)]).is_err());
        drop(other);
        assert_eq!(old[0].refcnt(), 2, "the tuple and `old` hold the item");
        crate::gc::untrack(t.as_obj().as_ptr());
        assert!(!crate::gc::is_tracked(t.as_obj()));
        assert!(t.recycle(vec![int(3000), int(4000)]).is_ok());
        assert_eq!(old[0].refcnt(), 1, "the old item was released");
        assert!(
            crate::gc::is_tracked(t.as_obj()),
            "recycled tuples are tracked again"
        );
        let now: Vec<i64> = t
            .items()
            .iter()
            .map(|o| {
                PyInt::from_obj(o.clone())
                    .expect("int")
                    .to_i64()
                    .expect("small")
            })
            .collect();
        assert_eq!(now, vec![3000, 4000]);
        assert!(
            t.recycle(vec![int(1)]).is_err(),
            "a different length is refused"
        );
    }

    #[test]
    fn sizes_singleton_and_free_lists() {
        runtime::clear_freelists();
        let e = PyTuple::new(vec![]);
        assert!(e.is_static() && e.as_obj().is(PyTuple::empty().as_obj()));
        assert_eq!(e.as_obj().getsizeof(), 40);
        let t = PyTuple::new(vec![int(1000), int(2000)]);
        assert_eq!(t.as_obj().getsizeof(), 56);
        let addr = t.as_obj().id();
        drop(t);
        assert_eq!(free_list_len(2), 1);
        let u = PyTuple::new(vec![int(1), int(2)]);
        assert_eq!(u.as_obj().id(), addr, "2-tuples are reused LIFO");
        // 20-tuples are saved but not reused.
        let big = PyTuple::new((0..20).map(int).collect());
        let big_addr = big.as_obj().id();
        drop(big);
        assert_eq!(free_list_len(20), 1);
        let again = PyTuple::new((0..20).map(int).collect());
        assert_ne!(again.as_obj().id(), big_addr);
        assert!(u.slice(0, 2).as_obj().is(u.as_obj()));
        assert_eq!(u.slice(1, 2).len(), 1);
    }

    #[test]
    fn blocks_come_back() {
        runtime::clear_freelists();
        let base = runtime::allocated_blocks();
        {
            let ts: Vec<PyTuple> = (0..50)
                .map(|n| PyTuple::new((0..n).map(|i| int(i * 1000)).collect()))
                .collect();
            let c = ts[3].concat(&ts[10]).repeat(3).unwrap();
            assert_eq!(c.len(), 39);
        }
        runtime::clear_freelists();
        assert_eq!(runtime::allocated_blocks(), base);
    }
}
