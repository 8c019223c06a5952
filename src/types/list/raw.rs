//! The item-array layer of `list`: every step that touches the `ob_item` array through its
//! pointer — `list_resize`, `list_preallocate_exact`, `list_new_prealloc`, `ins1`,
//! `list_extend`, `list_ass_slice`, `list_pop_impl`'s and `list_ass_subscript`'s slot moves,
//! `list_inplace_repeat`, `list_reverse` (`Objects/listobject.c`) — and `PyList_New`, which
//! makes the object with its array.
//!
//! ```text
//!  PyListObject            ob_item (a PyMem block of `allocated` pointers)
//!  +16 ob_size   = 3      +-----+-----+-----+-----+
//!  +24 ob_item   ------>  | *o0 | *o1 | *o2 | ??? |   slots < ob_size: owned references
//!  +32 allocated = 4      +-----+-----+-----+-----+   slots >= ob_size: not initialised
//! ```
//!
//! Unsafe: the item array is raw memory from pymalloc, and its slots hold owned references as raw
//! pointers; growing, shifting and releasing them is pointer work. The invariant above is kept by
//! every function here that is not an `unsafe fn` (indices are checked, with a panic, where a wrong
//! one would break it), so the safe API in [`list`](super) needs no `unsafe`.
#![allow(unsafe_code)]

use std::cell::Cell;
use std::ptr::{NonNull, null_mut};

use super::object::{LIST_TYPE, PyListObject, release_items};
use super::{MAX_ALLOCATED, PTR, PyList, preallocate_exact_policy, resize_policy};
use crate::cost;
use crate::object::{Obj, PyObject, alloc_object};
use crate::runtime;
use crate::types::state;

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

/// The array `list.sort` keeps aside while it runs ([`PyList::detach_items`]).
#[derive(Debug)]
pub(super) struct Detached {
    items: *mut *mut PyObject,
    allocated: isize,
}

impl PyList {
    /// The list's fields (private: `ob_size`, `ob_item` and `allocated` are written only by
    /// the steps below, which keep them consistent).
    fn raw(&self) -> &PyListObject {
        // SAFETY: the handle keeps a live list; fields are Cells.
        unsafe { self.0.as_ptr().cast::<PyListObject>().as_ref() }
    }

    /// `len(list)` (`ob_size`).
    pub fn len(&self) -> usize {
        self.raw().ob_base.ob_size.get() as usize
    }

    /// `allocated`: the capacity.
    pub fn allocated(&self) -> usize {
        self.raw().allocated.get() as usize
    }

    /// Address of the item array (`ob_item`), 0 when there is none.
    pub fn ob_item_address(&self) -> usize {
        self.raw().ob_item.get() as usize
    }

    /// `PyList_New(size)` with `size` NULL slots: from the free list or a fresh GC object.
    pub(super) fn alloc(size: usize, from_free_list: bool) -> PyList {
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
            // SAFETY: n < prealloc: slots 0..n hold the items stored above; the rest stay
            // allocated, NULL.
            unsafe { l.set_size(n) };
        }
        for it in rest {
            l.append(it);
        }
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

    /// Set `ob_size`.
    ///
    /// # Safety
    /// `n <= allocated`, and slots `0..n` hold owned references (or are written before
    /// anything reads them); a list that shrinks has released or moved the references above.
    unsafe fn set_size(&self, n: usize) {
        debug_assert!(
            n <= self.allocated(),
            "ob_size {n} > allocated {}",
            self.allocated()
        );
        self.raw().ob_base.ob_size.set(n as isize);
    }

    /// Pointer to slot `i` of the item array.
    ///
    /// # Safety
    /// `i < allocated` (so the array exists and the slot is inside it); `i == 0` with
    /// `allocated == 0` is allowed for a base pointer that is never dereferenced.
    unsafe fn slot(&self, i: usize) -> *mut *mut PyObject {
        debug_assert!(
            i < self.allocated() || i == 0,
            "slot {i} of {}",
            self.allocated()
        );
        // SAFETY: i is inside the array (contract).
        unsafe { self.raw().ob_item.get().add(i) }
    }

    /// Item `i`: a new reference. Panics unless `i < len`.
    pub(super) fn item(&self, i: usize) -> Obj {
        assert!(i < self.len(), "list item {i} of {}", self.len());
        // SAFETY: slots below ob_size hold live owned references.
        unsafe { Obj::from_borrowed(NonNull::new_unchecked(*self.slot(i))) }
    }

    /// Store `v` in slot `i` (`i < len`, else a panic) and hand back the reference the slot
    /// held, for the caller to release when CPython does.
    pub(super) fn replace_item(&self, i: usize, v: Obj) -> Obj {
        assert!(i < self.len(), "list item {i} of {}", self.len());
        // SAFETY: slot i < ob_size holds an owned reference, swapped for v's.
        let old = unsafe { std::ptr::replace(self.slot(i), v.into_raw().as_ptr()) };
        // SAFETY: the list's reference to the old item, now the caller's.
        unsafe { Obj::from_owned(NonNull::new_unchecked(old)) }
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

    /// `list_resize(self, newsize)`: set `ob_size`, reallocating the array per the policy.
    /// Slots between the old and new size are not initialised.
    ///
    /// # Safety
    /// When the list grows, the caller writes slots `old len..newsize` before anything reads
    /// them; when it shrinks, the references in slots `newsize..old len` were taken out
    /// (released or moved) first.
    #[inline]
    unsafe fn resize(&self, newsize: usize) {
        let l = self.raw();
        let allocated = l.allocated.get() as usize;
        if allocated >= newsize && newsize >= (allocated >> 1) {
            // resize_policy's "keep the array" case, checked inline.
            debug_assert!(!l.ob_item.get().is_null() || newsize == 0);
            l.ob_base.ob_size.set(newsize as isize);
            return;
        }
        // SAFETY: forwarded contract.
        unsafe { self.resize_realloc(newsize) };
    }

    /// The reallocating part of [`PyList::resize`].
    ///
    /// # Safety
    /// As [`resize`](Self::resize).
    #[inline(never)]
    unsafe fn resize_realloc(&self, newsize: usize) {
        let (size, allocated) = (self.len(), self.allocated());
        let Some(new_allocated) = resize_policy(size, allocated, newsize) else {
            debug_assert!(!self.raw().ob_item.get().is_null() || newsize == 0);
            // SAFETY: the policy keeps the array (allocated >= newsize); forwarded contract
            // for the slots.
            unsafe { self.set_size(newsize) };
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
        self.raw().allocated.set(new_allocated as isize);
        // SAFETY: the array now has new_allocated >= newsize slots; forwarded contract for
        // the slots.
        unsafe { self.set_size(newsize) };
    }

    /// `list___init__`'s `list_preallocate_exact(self, n)` for an iterable with a length: a
    /// list with no array yet gets room for `n` items (nothing for 0).
    pub fn preallocate(&self, n: usize) {
        if n > 0 && self.raw().ob_item.get().is_null() {
            self.preallocate_exact(n);
        }
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
        // SAFETY: slot n is written just below.
        unsafe { self.resize(n + 1) };
        // SAFETY: slot n is inside the resized array and uninitialised.
        unsafe { *self.slot(n) = v.into_raw().as_ptr() };
    }

    /// `list.insert(i, v)` (`ins1`): clamp `i`, grow by one, shift the tail right.
    pub fn insert(&self, i: isize, v: Obj) {
        let n = self.len();
        let n_i = n as isize;
        let at = if i < 0 { (i + n_i).max(0) } else { i.min(n_i) } as usize;
        // SAFETY: the tail is shifted up and slot `at` written just below.
        unsafe { self.resize(n + 1) };
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
            // SAFETY: slots 0..n (m is 0: no array before) are written by the loop below.
            unsafe { self.set_size(n) };
        } else {
            // SAFETY: slots m..m+n are written by the loop below.
            unsafe { self.resize(m + n) };
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
        self.extend_begin(length_hint);
        for it in iter {
            self.extend_push(it);
        }
        self.extend_end();
    }

    /// [`extend_iter`](Self::extend_iter) a step at a time, for items an iterator makes as
    /// it goes: room for `length_hint` more first.
    pub fn extend_begin(&self, length_hint: usize) {
        let m = self.len();
        if self.raw().ob_item.get().is_null() {
            if length_hint > 0 {
                self.preallocate_exact(length_hint);
            }
        } else if m
            .checked_add(length_hint)
            .is_some_and(|t| t <= MAX_ALLOCATED)
        {
            // SAFETY: the size is set back to m on the next line: no slot above m is counted.
            unsafe { self.resize(m + length_hint) };
            // SAFETY: shrinking back to m, the length before the resize.
            unsafe { self.set_size(m) };
        }
    }

    /// [`extend_begin`](Self::extend_begin) as 3.13's `list_extend_dict` starts (for a dict
    /// or a dict view of `n` entries): `list_resize(m + n)` by the growth rule even when the
    /// list is empty, so `list(d)` of 5 keys has 8 slots (6 before 3.13).
    pub fn extend_begin_resized(&self, n: usize) {
        let m = self.len();
        if n == 0 || m.checked_add(n).is_none_or(|t| t > MAX_ALLOCATED) {
            return;
        }
        // SAFETY: the size is set back to m on the next line: no slot above m is counted.
        unsafe { self.resize(m + n) };
        // SAFETY: shrinking back to m, the length before the resize.
        unsafe { self.set_size(m) };
    }

    /// One item of [`extend_begin`](Self::extend_begin)'s extension: into the room made,
    /// or appended (`list_resize` by the growth rule) once it is full.
    pub fn extend_push(&self, it: Obj) {
        let n = self.len();
        if n < self.allocated() {
            // SAFETY: slot n is inside the array and free.
            unsafe { *self.slot(n) = it.into_raw().as_ptr() };
            // SAFETY: slot n was just written.
            unsafe { self.set_size(n + 1) };
        } else {
            self.append(it);
        }
    }

    /// The end of a step-by-step extension that did not fail: the room left over is cut
    /// back (a failed one keeps it, as `list_extend` does).
    pub fn extend_end(&self) {
        // Cut back the result if the initial guess was too large.
        if self.len() < self.allocated() {
            // SAFETY: shrinking to the length: every slot below it holds an item.
            unsafe { self.resize(self.len()) };
        }
    }

    /// The `list.pop(i)` steps for `i < len` (a panic otherwise): the last item comes off
    /// with `list_resize(len - 1)`; any other goes through [`take_one`](Self::take_one).
    pub(super) fn pop_at(&self, i: usize) -> Obj {
        let n = self.len();
        assert!(i < n, "pop index {i} of {n}");
        if i == n - 1 {
            // SAFETY: slot i holds an owned reference, which passes to the caller.
            let v = unsafe { Obj::from_owned(NonNull::new_unchecked(*self.slot(i))) };
            // SAFETY: shrinking past the slot whose reference was just taken.
            unsafe { self.resize(n - 1) };
            return v;
        }
        self.take_one(i)
    }

    /// `unpack_iterable`'s end for `a, *b, c = x`: the last `n` items (`n <= len`, a panic
    /// otherwise) move out in order and `ob_size` drops by `n` (`Py_SET_SIZE`: no
    /// `list_resize`, the array keeps its allocation).
    pub fn take_tail(&self, n: usize) -> Vec<Obj> {
        let size = self.len();
        assert!(n <= size, "{n} items off a list of {size}");
        let out = (size - n..size)
            // SAFETY: slots below ob_size hold owned references, which pass to the caller.
            .map(|i| unsafe { Obj::from_owned(NonNull::new_unchecked(*self.slot(i))) })
            .collect();
        // SAFETY: the references of the slots past the new size were taken above.
        unsafe { self.set_size(size - n) };
        out
    }

    /// `list_ass_slice(i, i + 1, NULL)` for `i < len` and `len > 1`, the removed reference
    /// handed back instead of released: the same steps as [`PyList::ass_slice`] takes for
    /// one item (the recycled item kept on the stack, the tail moved down,
    /// `list_resize(len - 1)`), without its heap vectors. The caller releases the reference
    /// after the resize, where `list_ass_slice` does.
    pub(super) fn take_one(&self, i: usize) -> Obj {
        let size = self.len();
        assert!(i < size, "list item {i} of {size}");
        debug_assert!(size > 1, "a one-item list is emptied by list_ass_slice");
        // SAFETY: slot i < size holds an owned reference, which the caller now owns.
        let v = unsafe { Obj::from_owned(NonNull::new_unchecked(*self.slot(i))) };
        let tail = size - i - 1;
        // SAFETY: moving the tail down by one inside the array.
        unsafe {
            let base = self.slot(0);
            std::ptr::copy(base.add(i + 1), base.add(i), tail);
        }
        cost::moved(tail, PTR);
        // SAFETY: the item of slot i was taken above and the tail moved down over it.
        unsafe { self.resize(size - 1) };
        v
    }

    /// `list_sort_impl`'s start: the list is left empty (`ob_item` NULL, `ob_size` 0) while
    /// keys are computed and items compared, so a key function sees `[]`; the items'
    /// references move to the returned vector (no count changes). CPython marks `allocated`
    /// -1; here it is 0 and a change shows as an array or items appearing
    /// ([`PyList::reattach_items`]).
    pub(super) fn detach_items(&self) -> (Vec<Obj>, Detached) {
        let l = self.raw();
        let n = self.len();
        let items = l.ob_item.get();
        let v = (0..n)
            // SAFETY: slots 0..n hold owned references; each moves into the vector and the
            // list forgets them just below.
            .map(|i| unsafe { Obj::from_owned(NonNull::new_unchecked(*items.add(i))) })
            .collect();
        let d = Detached {
            items,
            allocated: l.allocated.get(),
        };
        l.ob_base.ob_size.set(0);
        l.ob_item.set(null_mut());
        l.allocated.set(0);
        (v, d)
    }

    /// `list_sort_impl`'s end: what the list holds now is released, the saved array comes
    /// back holding `items` (as many as were taken, in their new order). Returns whether the
    /// list was changed meanwhile ("list modified during sort").
    ///
    /// # Panics
    /// When `items` is not as long as the detached list was.
    pub(super) fn reattach_items(&self, items: Vec<Obj>, d: Detached) -> bool {
        let l = self.raw();
        let (now, n) = (l.ob_item.get(), self.len());
        assert!(
            items.len() as isize <= d.allocated,
            "{} items for an array of {}",
            items.len(),
            d.allocated
        );
        l.ob_item.set(d.items);
        l.allocated.set(d.allocated);
        let count = items.len();
        for (i, it) in items.into_iter().enumerate() {
            // SAFETY: i < count <= allocated: a slot of the saved array, whose references
            // were all taken by detach_items; each slot gets one back.
            unsafe { *d.items.add(i) = it.into_raw().as_ptr() };
        }
        l.ob_base.ob_size.set(count as isize);
        if !now.is_null() {
            // SAFETY: the array the list grew meanwhile, with n owned references: released
            // and freed once; the list no longer points to it.
            unsafe {
                release_items(now, n);
                mem_free(now.cast());
            }
        }
        !now.is_null() || n != 0
    }

    /// `list.clear()` (`_list_clear`): release the items, free the array, `allocated = 0`.
    pub fn clear(&self) {
        let l = self.raw();
        let items = l.ob_item.get();
        if items.is_null() {
            return;
        }
        let n = self.len();
        // SAFETY: the array is detached just below and its n references released.
        unsafe { self.set_size(0) };
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
    pub(super) fn ass_slice(&self, lo: usize, hi: usize, v: Vec<Obj>) {
        let size = self.len();
        assert!(
            lo <= hi && hi <= size,
            "slice {lo}:{hi} of a list of {size}"
        );
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
            // SAFETY: the recycled references of lo..hi were taken and the tail moved down
            // over the gap.
            unsafe { self.resize(size + n - norig) };
        } else if n > norig {
            // SAFETY: the tail is moved up and slots lo..lo+n written just below.
            unsafe { self.resize(size + n - norig) };
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

    /// `del a[start:stop:step]` for a step other than 1, given the normalised slice
    /// (`PySlice_AdjustIndices`): the kept items move down, then `list_resize`.
    pub fn del_extended_slice(&self, start: usize, step: isize, slicelength: usize) {
        if slicelength == 0 {
            return;
        }
        let size = self.len();
        // A normalised slice (what PySlice_AdjustIndices gives) names distinct slots below
        // len; anything else would release a reference twice or read past the items.
        let span = (slicelength - 1)
            .checked_mul(step.unsigned_abs())
            .filter(|_| step != 0);
        let first = span.and_then(|d| {
            if step < 0 {
                start.checked_sub(d)
            } else {
                Some(start)
            }
        });
        let (Some(start), Some(span)) = (first, span) else {
            panic!("extended slice {start}, step {step}, length {slicelength} is not normalised");
        };
        assert!(
            start.checked_add(span).is_some_and(|last| last < size),
            "extended slice from {start} over {span} slots outside a list of {size}"
        );
        let step = step.unsigned_abs();
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
        // SAFETY: the deleted slots' references were collected and the kept items moved down.
        unsafe { self.resize(size - slicelength) };
        for p in garbage {
            // SAFETY: references removed from the deleted slots.
            drop(unsafe { Obj::from_owned(NonNull::new_unchecked(p)) });
        }
        // SAFETY: the temporary block from above.
        unsafe { mem_free(garbage_block) };
    }

    /// A new list of exactly these items via `list_new_prealloc`.
    pub(super) fn collect_new(&self, items: Vec<Obj>) -> PyList {
        if items.is_empty() {
            return PyList::new();
        }
        let l = PyList::new_prealloc(items.len());
        let n = items.len();
        for (k, it) in items.into_iter().enumerate() {
            // SAFETY: fresh array of n slots.
            unsafe { *l.slot(k) = it.into_raw().as_ptr() };
        }
        // SAFETY: slots 0..n were written just above.
        unsafe { l.set_size(n) };
        cost::moved(n, PTR);
        l
    }

    /// `list_repeat` for a non-empty result of `total` slots (`n` copies of this list's
    /// items, `total == len * n`): `list_new_prealloc(total)`, then each slot stored with a
    /// new reference, straight into the new array (no second array on the way).
    pub(super) fn repeat_new(&self, total: usize) -> PyList {
        let items = self.items();
        assert!(!items.is_empty() && total.is_multiple_of(items.len()) && total <= MAX_ALLOCATED);
        let l = PyList::new_prealloc(total);
        for (k, it) in items.iter().cycle().take(total).enumerate() {
            // SAFETY: k < total, the fresh array's length.
            unsafe { *l.slot(k) = it.clone().into_raw().as_ptr() };
        }
        // SAFETY: slots 0..total were written just above.
        unsafe { l.set_size(total) };
        cost::moved(total, PTR);
        l
    }

    /// The copying half of `list_inplace_repeat` for `n >= 2` copies of a non-empty list:
    /// `list_resize(len * n)`, then the items stored again `n - 1` times.
    pub(super) fn repeat_in_place(&self, n: usize) {
        let size = self.len();
        let total = size.checked_mul(n).filter(|&t| t <= MAX_ALLOCATED);
        let Some(total) = total.filter(|_| size > 0 && n >= 2) else {
            panic!("repeat_in_place({n}) of a list of {size}");
        };
        let items = self.items();
        // SAFETY: slots size..total are written by the loop below.
        unsafe { self.resize(total) };
        for k in 1..n {
            for (j, it) in items.iter().enumerate() {
                // SAFETY: k * size + j < total: inside the resized array.
                unsafe { *self.slot(k * size + j) = it.clone().into_raw().as_ptr() };
            }
        }
        cost::moved(total - size, PTR);
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
}
