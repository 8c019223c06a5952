//! `cell` (`Objects/cellobject.c`) as the item of a closure tuple.
//!
//! The runner keeps a closure's cells as Rust values (`script::value::CellObj`), but the
//! tuple `MAKE_FUNCTION` keeps them in is a real tuple in memory, and what its items are
//! decides how the collector treats it: CPython's items are cells, GC objects, so a closure
//! tuple is never untracked (`_PyTuple_MaybeUntrack` leaves a tuple holding a GC object),
//! and its items are not `None` (`sys.getrefcount(None)` does not count them). The items
//! here are one static object of this `cell` type standing for every cell: a GC type that
//! is never tracked and never freed.
//!
//! ```text
//!  PyGC_Head (16) | PyCellObject: 24 bytes
//!  +0   ob_refcnt   8
//!  +8   ob_type     8
//!  +16  ob_ref      8    the variable's value (NULL here: the Rust cell holds it)
//! ```
//!
//! Unsafe: the stand-in is a static object handed out by pointer.
#![allow(unsafe_code)]

use std::cell::Cell;
use std::ptr::NonNull;

use crate::object::{
    GcUntrack, Obj, PyGCHead, PyObject, STATIC_REFCNT, TPFLAGS_HAVE_GC, TypeObject,
};
use crate::types::state;

/// `sizeof(PyCellObject)`.
const CELL_SIZE: usize = size_of::<PyObject>() + size_of::<*mut PyObject>();

/// `PyCell_Type`.
pub static CELL_TYPE: TypeObject = TypeObject {
    tp_name: "cell",
    tp_basicsize: CELL_SIZE,
    tp_itemsize: 0,
    tp_flags: TPFLAGS_HAVE_GC,
    tp_dealloc: cell_dealloc,
    sizeof: cell_sizeof,
    tp_traverse: None,
    tp_clear: None,
    gc_items: None,
    gc_untrack: GcUntrack::Never,
};

/// # Safety
/// Never sound to reach: the stand-in starts at [`STATIC_REFCNT`].
unsafe fn cell_dealloc(op: NonNull<PyObject>) {
    debug_assert!(false, "the stand-in cell ({op:p}) reached refcount 0");
}

/// # Safety
/// `op` is a cell.
unsafe fn cell_sizeof(_op: NonNull<PyObject>) -> usize {
    CELL_SIZE
}

/// The stand-in with its (never linked) GC head.
#[repr(C)]
#[derive(Debug)]
struct StaticCell {
    gc: PyGCHead,
    object: PyObject,
    ob_ref: Cell<usize>,
}

/// The runtime's stand-in cell.
#[derive(Debug)]
pub(crate) struct CellState {
    object: Box<StaticCell>,
}

impl CellState {
    pub(crate) fn new() -> CellState {
        CellState {
            object: Box::new(StaticCell {
                gc: PyGCHead::default(),
                object: PyObject {
                    ob_refcnt: Cell::new(STATIC_REFCNT),
                    ob_type: Cell::new(&CELL_TYPE),
                },
                ob_ref: Cell::new(0),
            }),
        }
    }
}

/// A new reference to the cell that stands for every cell in a closure tuple.
pub fn closure_cell() -> Obj {
    let p = state::with(|st| NonNull::from(&st.cells.object.object));
    // SAFETY: the runtime keeps the stand-in alive for the thread's lifetime, its GC head
    // right before it; from_borrowed counts the new reference.
    unsafe { Obj::from_borrowed(p) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tuple_of_cells_is_never_untracked() {
        let t = crate::types::tuple::PyTuple::new(vec![closure_cell(), closure_cell()]);
        assert!(crate::gc::is_tracked(t.as_obj()));
        crate::gc::collect(2);
        crate::gc::collect(2);
        assert!(crate::gc::is_tracked(t.as_obj()));
        let none_tuple = crate::types::tuple::PyTuple::new(vec![crate::types::none::none()]);
        crate::gc::collect(2);
        assert!(!crate::gc::is_tracked(none_tuple.as_obj()));
    }
}
