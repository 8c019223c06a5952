//! `cell` (`Objects/cellobject.c`): one variable shared by the frame that binds it and the
//! closures that read it — a GC object holding the variable's value, kept in a frame's
//! slot and in the closure tuple of every function that captures it.
//!
//! ```text
//!  PyGC_Head (16) | PyCellObject: 24 bytes (sys.getsizeof: 40)
//!  +0   ob_refcnt   8
//!  +8   ob_type     8
//!  +16  ob_ref      8    the variable's value, NULL while unbound
//! ```
//!
//! Unsafe: the struct is read and written through the object pointer.
#![allow(unsafe_code)]

use std::cell::Cell;
use std::ptr::NonNull;

use crate::object::{
    GcUntrack, Obj, PyObject, TPFLAGS_HAVE_GC, TypeObject, alloc_object, free_object,
};

/// `PyCellObject`.
#[repr(C)]
#[derive(Debug)]
pub struct PyCellObject {
    /// The header.
    pub ob_base: PyObject,
    /// `ob_ref`: the value, or NULL.
    pub ob_ref: Cell<*mut PyObject>,
}

const _: () = assert!(size_of::<PyCellObject>() == 24);

/// `PyCell_Type`.
pub static CELL_TYPE: TypeObject = TypeObject {
    tp_name: "cell",
    tp_basicsize: size_of::<PyCellObject>(),
    tp_itemsize: 0,
    tp_flags: TPFLAGS_HAVE_GC,
    tp_dealloc: cell_dealloc,
    sizeof: cell_sizeof,
    tp_traverse: Some(cell_traverse),
    tp_clear: Some(cell_clear),
    gc_items: None,
    gc_untrack: GcUntrack::Never,
};

/// A cell object.
#[derive(Clone, Debug)]
pub struct PyCell(Obj);

typed_handle!(PyCell, CELL_TYPE, "cell");

/// `ob_ref` of a live cell.
///
/// # Safety
/// `op` is a live cell.
unsafe fn ob_ref<'a>(op: NonNull<PyObject>) -> &'a Cell<*mut PyObject> {
    // SAFETY: forwarded contract.
    unsafe { &op.cast::<PyCellObject>().as_ref().ob_ref }
}

/// `cell_traverse`: the value.
///
/// # Safety
/// `op` is a live cell.
unsafe fn cell_traverse(op: NonNull<PyObject>, visit: &mut dyn FnMut(NonNull<PyObject>)) {
    // SAFETY: live cell per the contract.
    if let Some(p) = NonNull::new(unsafe { ob_ref(op) }.get()) {
        visit(p);
    }
}

/// `cell_clear`: the value goes.
///
/// # Safety
/// `op` is a live cell.
unsafe fn cell_clear(op: NonNull<PyObject>) {
    // SAFETY: live cell per the contract; the slot owned its reference.
    let old = unsafe { ob_ref(op) }.replace(std::ptr::null_mut());
    if let Some(p) = NonNull::new(old) {
        // SAFETY: the slot owned this reference.
        drop(unsafe { Obj::from_owned(p) });
    }
}

/// `cell_dealloc`: untrack, release the value, free the block.
///
/// # Safety
/// `op` is a cell whose reference count just reached zero.
unsafe fn cell_dealloc(op: NonNull<PyObject>) {
    crate::gc::untrack(op);
    // SAFETY: the cell is dead: its value is ours to release, then its block.
    unsafe {
        cell_clear(op);
        free_object(op, &CELL_TYPE);
    }
}

/// # Safety
/// `op` is a cell.
unsafe fn cell_sizeof(_op: NonNull<PyObject>) -> usize {
    size_of::<PyCellObject>()
}

impl PyCell {
    /// `PyCell_New(value)` (`MAKE_CELL`): a tracked GC object.
    ///
    /// ```
    /// use pylayout::types::cell::PyCell;
    /// use pylayout::types::float::PyFloat;
    ///
    /// let c = PyCell::new(Some(PyFloat::new(1.5).into_obj()));
    /// assert_eq!(c.as_obj().getsizeof(), 40); // sys.getsizeof of a cell in 3.11
    /// assert!(pylayout::gc::is_tracked(c.as_obj()));
    /// ```
    pub fn new(value: Option<Obj>) -> PyCell {
        let op = alloc_object(&CELL_TYPE, size_of::<PyCellObject>())
            .unwrap_or_else(|| panic!("out of memory allocating a cell"));
        let v = value.map_or(std::ptr::null_mut(), |o| o.into_raw().as_ptr());
        // SAFETY: a fresh block of the struct's size, its header initialised.
        unsafe {
            std::ptr::addr_of_mut!((*op.cast::<PyCellObject>().as_ptr()).ob_ref)
                .write(Cell::new(v));
        }
        crate::gc::track(op);
        // SAFETY: the new object's one reference passes to the handle.
        PyCell(unsafe { Obj::from_owned(op) })
    }

    /// `PyCell_GET`: a new reference to the value, if bound.
    pub fn get(&self) -> Option<Obj> {
        // SAFETY: the handle keeps the cell alive; a non-NULL ob_ref is a live object.
        NonNull::new(unsafe { ob_ref(self.0.as_ptr()) }.get())
            .map(|p| unsafe { Obj::from_borrowed(p) })
    }

    /// `PyCell_SET`: the new value in, the old one handed back (for the caller to release
    /// once the cell is consistent).
    pub fn set(&self, value: Option<Obj>) -> Option<Obj> {
        let v = value.map_or(std::ptr::null_mut(), |o| o.into_raw().as_ptr());
        // SAFETY: the handle keeps the cell alive.
        let old = unsafe { ob_ref(self.0.as_ptr()) }.replace(v);
        // SAFETY: the slot owned the old reference.
        NonNull::new(old).map(|p| unsafe { Obj::from_owned(p) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tuple_of_cells_is_never_untracked() {
        let t = crate::types::tuple::PyTuple::new(vec![PyCell::new(None).into_obj()]);
        assert!(crate::gc::is_tracked(t.as_obj()));
        crate::gc::collect(2);
        crate::gc::collect(2);
        assert!(crate::gc::is_tracked(t.as_obj()));
        let none_tuple = crate::types::tuple::PyTuple::new(vec![crate::types::none::none()]);
        crate::gc::collect(2);
        assert!(!crate::gc::is_tracked(none_tuple.as_obj()));
    }

    #[test]
    fn a_cell_holding_itself_is_garbage() {
        crate::gc::collect(2);
        let c = PyCell::new(None);
        drop(c.set(Some(c.as_obj().clone())));
        drop(c);
        assert_eq!(crate::gc::collect(2), 1);
    }
}
