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
//! # Files
//!
//! - this file: the policies (`list_resize`'s formula, `list_preallocate_exact`'s rounding) and
//!   the safe API of [`PyList`]: indexing, slices, search, sort, concatenation — safe code;
//! - `object.rs`: the `PyListObject` struct, `PyList_Type`'s slots and the free list;
//! - `raw.rs`: every step that moves item pointers in the `ob_item` array.
//!
//! `object.rs` and `raw.rs` are the files of `list` with `unsafe`.

mod object;
mod raw;
pub mod sort;

use crate::error::{ExcKind, PyErr, PyResult};
use crate::object::{Obj, PyObject};
use crate::profile::{Current, Profile};
use crate::runtime;
use crate::types::ops;
use crate::types::state;

pub(crate) use object::ListState;
pub use object::{ALLOCATED_OFFSET, LIST_TYPE, OB_ITEM_OFFSET, PyListObject};

/// `PyList_MAXFREELIST`.
pub const PYLIST_MAXFREELIST: usize = Current::LIST_MAXFREELIST;
/// Bytes per item pointer.
const PTR: usize = size_of::<*mut PyObject>();

/// Largest capacity `list_resize` accepts (`PY_SSIZE_T_MAX / sizeof(PyObject *)`).
pub const MAX_ALLOCATED: usize = isize::MAX as usize / PTR;

/// The capacity `list_resize(newsize)` gives a list of length `size` and capacity
/// `allocated`, or `None` when it keeps the array (`allocated >= newsize >= allocated / 2`),
/// in the version this thread's runtime follows ([`runtime::version`]: 3.8's formula
/// differs). Pure: `grow` uses it to answer for sizes it does not allocate.
#[inline]
pub fn resize_policy(size: usize, allocated: usize, newsize: usize) -> Option<usize> {
    runtime::version().list_resize(size, allocated, newsize)
}

/// The capacity `list_preallocate_exact(n)` gives: `n` rounded up to even.
pub const fn preallocate_exact_policy(n: usize) -> usize {
    (n + 1) & !1
}

/// Lists on this thread's free list ("free PyListObjects" in `_debugmallocstats`).
pub fn free_list_len() -> usize {
    state::with(|st| st.lists.numfree())
}

/// A handle to a `list`.
#[derive(Clone, Debug)]
pub struct PyList(Obj);

typed_handle!(PyList, LIST_TYPE, "list");

impl PyList {
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
    /// non-constant items (`[x, y, z]`): capacity exactly `n`. (The first steps of
    /// [`from_split`](Self::from_split) with no item left over.)
    pub fn with_items(items: Vec<Obj>) -> PyList {
        let n = items.len();
        Self::from_split(items, n)
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

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// New references to all items, in order.
    pub fn items(&self) -> Vec<Obj> {
        (0..self.len()).map(|i| self.item(i)).collect()
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
        // The list's reference to the old item is released after the store.
        drop(self.replace_item(i, v));
        Ok(())
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
        Ok(self.pop_at(i))
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
            // A normalised slice has i < len (replace_item panics otherwise).
            old.push(self.replace_item(i, it));
        }
        // The references taken out of the replaced slots, released after all the stores.
        for o in old {
            drop(o);
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
        Ok(self.repeat_new(size))
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
        if size.checked_mul(n).is_none_or(|s| s > MAX_ALLOCATED) {
            return Err(PyErr::no_memory());
        }
        self.repeat_in_place(n);
        Ok(())
    }

    /// `a += iterable` (`list_inplace_concat` → `list_extend`) for a list or tuple.
    pub fn inplace_concat(&self, items: Vec<Obj>) {
        self.extend_exact(items);
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
        self.sort_keyed(reverse, None::<KeyFn<'_, PyErr>>)
    }

    /// `list.sort(key=key, reverse=reverse)` (`list_sort_impl`): the list is empty while the
    /// keys are computed (in order, one call per item) and the items sorted by `<` on their
    /// keys; reversing first and last keeps equal keys in order. A key function that changes
    /// the list makes it "list modified during sort" (the sorted items stay).
    pub fn sort_keyed<E: From<PyErr>>(
        &self,
        reverse: bool,
        key: Option<KeyFn<'_, E>>,
    ) -> Result<(), E> {
        let (mut items, saved) = self.detach_items();
        // Whether the items are in reversed order (CPython reverses after the keys are made,
        // and back again whether the sort succeeded or not).
        let mut flipped = false;
        let sorted = (|| -> Result<(), E> {
            match key {
                None => {
                    if reverse {
                        items.reverse();
                        flipped = true;
                    }
                    sort::sort_by_lt(&mut items, ops::lt)?;
                }
                Some(f) => {
                    let mut keys = Vec::with_capacity(items.len());
                    for it in &items {
                        keys.push(f(it)?);
                    }
                    let mut pairs: Vec<(Obj, usize)> = keys.into_iter().zip(0..).collect();
                    if reverse {
                        pairs.reverse();
                    }
                    sort::sort_by_lt(&mut pairs, |a, b| ops::lt(&a.0, &b.0))?;
                    let mut slots: Vec<Option<Obj>> = items.drain(..).map(Some).collect();
                    items = pairs
                        .into_iter()
                        .map(|(_, i)| slots[i].take().expect("each item once"))
                        .collect();
                    // The keys were released with `pairs`, before the list is put back.
                    if reverse {
                        items.reverse();
                    }
                }
            }
            Ok(())
        })();
        if flipped {
            items.reverse();
        }
        let modified = self.reattach_items(items, saved);
        sorted?;
        if modified {
            return Err(PyErr::new(ExcKind::ValueError, "list modified during sort").into());
        }
        Ok(())
    }
}

/// A key function for [`PyList::sort_keyed`]: an item's key, or the error it raised.
pub type KeyFn<'a, E> = &'a mut dyn FnMut(&Obj) -> Result<Obj, E>;

impl Default for PyList {
    fn default() -> Self {
        PyList::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime;
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
    #[should_panic(expected = "not normalised")]
    fn a_zero_step_slice_panics_instead_of_releasing_a_slot_twice() {
        let l = PyList::with_items((0..4).map(int).collect());
        l.del_extended_slice(0, 0, 3);
    }

    #[test]
    #[should_panic(expected = "outside a list of 4")]
    fn an_extended_slice_past_the_end_panics_instead_of_reading_past_the_items() {
        let l = PyList::with_items((0..4).map(int).collect());
        l.del_extended_slice(2, 2, 3);
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
