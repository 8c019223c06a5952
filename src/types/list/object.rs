//! The `PyListObject` struct and `PyList_Type` (`Include/cpython/listobject.h`,
//! `Objects/listobject.c`): the type's slots (`list_dealloc`, `list_traverse`, `_list_clear`,
//! `list___sizeof__`) and the free list (`struct _Py_list_state`).
//!
//! Unsafe: the slots receive the list as a raw object pointer, and `list_dealloc` releases the
//! references in the item array and gives the array and the object back to pymalloc.
#![allow(unsafe_code)]

use std::cell::{Cell, RefCell};
use std::ptr::NonNull;

use super::{PTR, PYLIST_MAXFREELIST, PyList};
use crate::alloc::Pymalloc;
use crate::object::{GC_HEAD_SIZE, Obj, PyObject, PyVarObject, TPFLAGS_HAVE_GC, TypeObject};
use crate::runtime;
use crate::types::state;

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
pub(super) unsafe fn release_items(items: *mut *mut PyObject, n: usize) {
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
            let rc = &nn.as_ref().ob_refcnt;
            // An immortal count (3.12+) does not move.
            if run > 0 && rc.get() != crate::object::IMMORTAL_REFCNT {
                rc.set(rc.get() - run);
            }
            drop(Obj::from_owned(nn));
        }
    }
}

/// The list free list of a runtime (`struct _Py_list_state`).
#[derive(Debug, Default)]
pub(crate) struct ListState {
    pub(super) free_list: RefCell<Vec<NonNull<PyObject>>>,
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
