//! `float` as CPython 3.11 stores it (`Include/cpython/floatobject.h`,
//! `Objects/floatobject.c`), with its free list.
//!
//! ```text
//!  PyFloatObject, 24 bytes (a 32-byte pymalloc block)
//!  +0   ob_refcnt   8
//!  +8   ob_type     8     on the free list: the link to the next dead float
//!  +16  ob_fval     8     the IEEE-754 double
//! ```
//!
//! Not a GC type: `sys.getsizeof(1.5) == 24`. A dead float goes onto a LIFO free list of up to
//! `PyFloat_MAXFREELIST = 100` objects, linked through `ob_type`, and the next new float takes
//! it back: its block stays "in use" as far as pymalloc is concerned. A full collection empties
//! the list ([`crate::runtime::clear_freelists`]).
//!
//! Unsafe: `ob_fval` is read at its C offset, and a dead float's `ob_type` links the free list.
#![allow(unsafe_code)]

use std::cell::Cell;
use std::ptr::{NonNull, null_mut};

use crate::alloc::Pymalloc;
use crate::object::{Obj, PyObject, TypeObject, alloc_object};
use crate::profile::{Current, Profile};
use crate::types::state;

/// `PyFloat_MAXFREELIST`.
pub const PYFLOAT_MAXFREELIST: usize = Current::FLOAT_MAXFREELIST;

/// `PyFloatObject`.
#[repr(C)]
#[derive(Debug)]
pub struct PyFloatObject {
    /// Header.
    pub ob_base: PyObject,
    /// `ob_fval`.
    pub ob_fval: Cell<f64>,
}

/// `offsetof(PyFloatObject, ob_fval)`.
pub const OB_FVAL_OFFSET: usize = std::mem::offset_of!(PyFloatObject, ob_fval);
const _: () = assert!(size_of::<PyFloatObject>() == 24 && OB_FVAL_OFFSET == 16);

/// `PyFloat_Type`.
pub static FLOAT_TYPE: TypeObject = TypeObject {
    tp_name: "float",
    tp_basicsize: size_of::<PyFloatObject>(),
    tp_itemsize: 0,
    tp_flags: 0,
    tp_dealloc: float_dealloc,
    sizeof: float_sizeof,
    tp_traverse: None,
    tp_clear: None,
    gc_items: None,
    gc_untrack: crate::object::GcUntrack::Never,
};

/// # Safety
/// `op` is a live float.
unsafe fn float_sizeof(_op: NonNull<PyObject>) -> usize {
    size_of::<PyFloatObject>()
}

/// `float_dealloc`: onto the free list if it has room, else back to pymalloc.
///
/// # Safety
/// `op` is a float whose reference count just reached zero.
unsafe fn float_dealloc(op: NonNull<PyObject>) {
    let pushed = state::with(|st| {
        let fs = &st.floats;
        if fs.numfree.get() >= PYFLOAT_MAXFREELIST {
            return false;
        }
        // SAFETY: op is dead; reusing its ob_type as the link is what CPython does.
        unsafe { op.as_ref().ob_type.set(fs.free_list.get().cast()) };
        fs.free_list.set(op.as_ptr());
        fs.numfree.set(fs.numfree.get() + 1);
        true
    });
    if !pushed {
        // SAFETY: dead float allocated by alloc_object with FLOAT_TYPE.
        unsafe { crate::object::free_object(op, &FLOAT_TYPE) };
    }
}

/// The float free list of a runtime (`struct _Py_float_state`).
#[derive(Debug)]
pub(crate) struct FloatState {
    free_list: Cell<*mut PyObject>,
    numfree: Cell<usize>,
}

impl FloatState {
    pub(crate) fn new() -> FloatState {
        FloatState {
            free_list: Cell::new(null_mut()),
            numfree: Cell::new(0),
        }
    }

    fn pop(&self) -> Option<NonNull<PyObject>> {
        let op = NonNull::new(self.free_list.get())?;
        // SAFETY: entries of the free list are dead floats whose ob_type holds the link.
        let next = unsafe { op.as_ref().ob_type.get() };
        self.free_list.set(next.cast_mut().cast());
        self.numfree.set(self.numfree.get() - 1);
        Some(op)
    }

    /// Number of floats on the free list.
    pub(crate) fn numfree(&self) -> usize {
        self.numfree.get()
    }

    /// `_PyFloat_ClearFreeList`: give every cached float back to `heap`.
    pub(crate) fn clear(&self, heap: &mut Pymalloc) {
        while let Some(op) = self.pop() {
            // SAFETY: dead floats allocated from this runtime's heap without a GC head.
            unsafe { heap.free(op.as_ptr().cast()) };
        }
    }
}

/// Number of floats on this thread's free list (`sys._debugmallocstats()` prints it as
/// "free PyFloatObjects").
pub fn free_list_len() -> usize {
    state::with(|st| st.floats.numfree())
}

/// A handle to a `float`.
#[derive(Clone, Debug)]
pub struct PyFloat(Obj);

typed_handle!(PyFloat, FLOAT_TYPE, "float");

impl PyFloat {
    /// `PyFloat_FromDouble(v)`: reuse a dead float from the free list, else a 24-byte block.
    ///
    /// ```
    /// use pylayout::types::float::{PyFloat, free_list_len};
    ///
    /// let x = PyFloat::new(1.5);
    /// assert_eq!((x.value(), x.as_obj().getsizeof()), (1.5, 24));
    /// let block = x.as_obj().mem_address();
    /// let on_free_list = free_list_len();
    /// drop(x); // refcount 0: onto the free list, its pool block still "in use"
    /// assert_eq!(free_list_len(), on_free_list + 1);
    /// let y = PyFloat::new(2.5); // LIFO: the block that was just freed
    /// assert_eq!((y.as_obj().mem_address(), free_list_len()), (block, on_free_list));
    /// ```
    pub fn new(v: f64) -> PyFloat {
        let recycled = state::with(|st| st.floats.pop());
        let op = match recycled {
            Some(op) => {
                // SAFETY: a dead float's memory, ours again: reinitialise the header.
                unsafe {
                    op.as_ref().ob_refcnt.set(1);
                    op.as_ref().ob_type.set(&FLOAT_TYPE);
                }
                op
            }
            None => alloc_object(&FLOAT_TYPE, size_of::<PyFloatObject>())
                .unwrap_or_else(|| panic!("out of memory allocating a float")),
        };
        // SAFETY: op is a float-sized block with an initialised header.
        unsafe {
            std::ptr::addr_of_mut!((*op.cast::<PyFloatObject>().as_ptr()).ob_fval)
                .write(Cell::new(v));
            PyFloat(Obj::from_owned(op))
        }
    }

    /// `ob_fval`.
    pub fn value(&self) -> f64 {
        // SAFETY: every float holds an f64 at offset 16.
        unsafe { self.0.read_field::<f64>(OB_FVAL_OFFSET) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime;

    #[test]
    fn free_list_reuses_the_last_freed_float() {
        runtime::clear_freelists();
        let a = PyFloat::new(1.5);
        let addr = a.as_obj().id();
        assert_eq!(a.as_obj().getsizeof(), 24);
        drop(a);
        assert_eq!(free_list_len(), 1);
        let b = PyFloat::new(2.5);
        assert_eq!(b.as_obj().id(), addr, "LIFO reuse");
        assert_eq!(b.value(), 2.5);
        assert_eq!(free_list_len(), 0);
    }

    #[test]
    fn free_list_caps_at_100_and_clears() {
        runtime::clear_freelists();
        let base = runtime::allocated_blocks();
        let fs: Vec<_> = (0..150).map(|i| PyFloat::new(i as f64)).collect();
        assert_eq!(runtime::allocated_blocks(), base + 150);
        drop(fs);
        assert_eq!(free_list_len(), 100);
        assert_eq!(
            runtime::allocated_blocks(),
            base + 100,
            "cached floats keep their blocks"
        );
        runtime::clear_freelists();
        assert_eq!(runtime::allocated_blocks(), base);
    }
}
