//! A value of the layer above, boxed so that a slot in memory can hold it: what a cell's
//! `ob_ref` points to when the variable holds something the runner keeps as a Rust value
//! (a builtin, a generator, an exception). It is not a CPython object and never reaches a
//! script: the runner unboxes it on every read. It lives on the Rust heap, not in pymalloc,
//! so it moves no block and counts toward no generation; it holds one reference to the
//! value, as the slot it stands for would.
//!
//! Unsafe: the box is handed out as an object pointer and freed from its dealloc.
#![allow(unsafe_code)]

use std::any::Any;
use std::cell::Cell;
use std::ptr::NonNull;

use crate::object::{GcUntrack, Obj, PyObject, TypeObject};

/// The header and the boxed value.
#[repr(C)]
struct HostObject {
    ob_base: PyObject,
    value: Box<dyn Any>,
}

/// The host box's type (not a CPython type).
pub static HOST_TYPE: TypeObject = TypeObject {
    tp_name: "pylayout-host",
    tp_basicsize: size_of::<HostObject>(),
    tp_itemsize: 0,
    tp_flags: 0,
    tp_dealloc: host_dealloc,
    sizeof: host_sizeof,
    tp_traverse: None,
    tp_clear: None,
    gc_items: None,
    gc_untrack: GcUntrack::Never,
};

/// # Safety
/// `op` is a host box whose reference count just reached zero.
unsafe fn host_dealloc(op: NonNull<PyObject>) {
    // SAFETY: made by `boxed` with Box::into_raw; nothing refers to it any more.
    drop(unsafe { Box::from_raw(op.cast::<HostObject>().as_ptr()) });
}

/// # Safety
/// `op` is a host box.
unsafe fn host_sizeof(_op: NonNull<PyObject>) -> usize {
    size_of::<HostObject>()
}

/// Box `value` as an object (one reference, the caller's).
pub fn boxed(value: Box<dyn Any>) -> Obj {
    let b = Box::new(HostObject {
        ob_base: PyObject {
            ob_refcnt: Cell::new(1),
            ob_type: Cell::new(&HOST_TYPE),
        },
        value,
    });
    let op = NonNull::from(Box::leak(b)).cast::<PyObject>();
    // SAFETY: a live object (the leaked box) whose one reference passes to the handle.
    unsafe { Obj::from_owned(op) }
}

/// The value in a host box, or `None` if `o` is not one.
pub fn unbox(o: &Obj) -> Option<&dyn Any> {
    if !o.is_type(&HOST_TYPE) {
        return None;
    }
    // SAFETY: a live host box (the handle keeps it), made by `boxed`.
    Some(unsafe { &*o.as_ptr().cast::<HostObject>().as_ref().value })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_boxed_value_comes_back_and_is_dropped_with_the_box() {
        let v = std::rc::Rc::new(5u32);
        let b = boxed(Box::new(v.clone()));
        assert_eq!(std::rc::Rc::strong_count(&v), 2);
        let back = unbox(&b).and_then(|a| a.downcast_ref::<std::rc::Rc<u32>>());
        assert_eq!(back.map(|r| **r), Some(5));
        drop(b);
        assert_eq!(std::rc::Rc::strong_count(&v), 1);
        assert!(unbox(&crate::types::none::none()).is_none());
    }
}
