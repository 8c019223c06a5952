//! `None` (`Objects/object.c`, `_Py_NoneStruct`): a static 16-byte object, the only instance of
//! `NoneType`. In 3.11 it is not immortal: references to it are counted like any other, but it
//! starts at [`crate::object::static_refcnt`] and is never freed.
//!
//! Unsafe: `None` is a static object handed out by pointer.
#![allow(unsafe_code)]

use std::cell::Cell;
use std::ptr::NonNull;

use crate::object::{Obj, PyObject, TypeObject, static_refcnt};
use crate::types::state;

/// `_PyNone_Type`.
pub static NONE_TYPE: TypeObject = TypeObject {
    tp_name: "NoneType",
    tp_basicsize: size_of::<PyObject>(),
    tp_itemsize: 0,
    tp_flags: 0,
    tp_dealloc: none_dealloc,
    sizeof: none_sizeof,
    tp_traverse: None,
    tp_clear: None,
    gc_items: None,
    gc_untrack: crate::object::GcUntrack::Never,
};

/// # Safety
/// Never sound to reach: `None` starts at [`crate::object::static_refcnt`].
unsafe fn none_dealloc(op: NonNull<PyObject>) {
    debug_assert!(false, "None ({op:p}) reached refcount 0");
}

/// # Safety
/// `op` is `None`.
unsafe fn none_sizeof(_op: NonNull<PyObject>) -> usize {
    size_of::<PyObject>()
}

/// The runtime's `None` object.
#[derive(Debug)]
pub(crate) struct NoneState {
    object: Box<PyObject>,
}

impl NoneState {
    pub(crate) fn new() -> NoneState {
        NoneState {
            object: Box::new(PyObject {
                ob_refcnt: Cell::new(static_refcnt()),
                ob_type: Cell::new(&NONE_TYPE),
            }),
        }
    }
}

/// A new reference to `None`.
pub fn none() -> Obj {
    let p = state::with(|st| NonNull::from(&*st.none.object));
    // SAFETY: the runtime keeps None alive for the thread's lifetime; from_borrowed counts
    // the new reference.
    unsafe { Obj::from_borrowed(p) }
}

/// Whether `o` is `None`.
pub fn is_none(o: &Obj) -> bool {
    o.is_type(&NONE_TYPE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn none_is_a_counted_static_singleton() {
        let a = none();
        let before = a.refcnt();
        let b = none();
        assert!(a.is(&b) && is_none(&b));
        assert_eq!(b.refcnt(), before + 1);
        assert_eq!(a.getsizeof(), 16);
        assert_eq!(a.type_name(), "NoneType");
    }
}
