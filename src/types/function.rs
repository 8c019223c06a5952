//! `function` (`Objects/funcobject.c`): the object `MAKE_FUNCTION` builds for a `def`, a
//! `lambda` or a comprehension — a GC object holding its defaults, its keyword-only
//! defaults, its `__dict__` and its closure (a tuple of [`cell`](super::cell)s), which is
//! how a nested function that refers to itself makes a reference cycle only the collector
//! frees.
//!
//! ```text
//!  PyGC_Head (16) | PyFunctionObject: 136 bytes (sys.getsizeof: 152)
//!  +0    ob_refcnt          8
//!  +8    ob_type            8
//!  +16   func_globals       8   NULL here (the runner's globals are not a dict in memory)
//!  +24   func_builtins      8   NULL here
//!  +32   func_name          8   NULL here: the name is the code's
//!  +40   func_qualname      8   NULL here: likewise
//!  +48   func_code          8   the runner's code (a Rust value, see below), not a code object
//!  +56   func_defaults      8   NULL or a tuple
//!  +64   func_kwdefaults    8   NULL or a dict
//!  +72   func_closure       8   NULL or a tuple of cells
//!  +80   func_doc           8   NULL here
//!  +88   func_dict          8   NULL until an attribute is set (or `__dict__` looked at)
//!  +96   func_weakreflist   8
//!  +104  func_module        8
//!  +112  func_annotations   8
//!  +120  vectorcall         8
//!  +128  func_version       4 (+4 padding)
//! ```
//!
//! The code is the layer above's ([`FunctionCode`]): this layer only keeps it (one boxed
//! Rust value per function, dropped with the function) and asks it for `__qualname__`
//! when it prints the function. What the collector and the reference counts see — the
//! block, its size class, the references to defaults, dict and closure, the GC head — is
//! CPython's.
//!
//! Unsafe: the struct is read and written through the object pointer, and the code is a
//! raw box pointer kept in the `func_code` slot.
#![allow(unsafe_code)]

use std::any::Any;
use std::cell::Cell;
use std::fmt;
use std::ptr::NonNull;

use crate::object::{
    GcUntrack, Obj, PyObject, TPFLAGS_HAVE_GC, TypeObject, alloc_object, free_object,
};

/// What the layer that runs code keeps in a function: its code. Any `'static` value that
/// can name itself.
pub trait FunctionCode: Any + fmt::Debug {
    /// `__qualname__` (`outer.<locals>.inner`, `<lambda>`).
    fn qualname(&self) -> &str;
}

/// `PyFunctionObject` (3.11, 64-bit).
#[repr(C)]
#[derive(Debug)]
pub struct PyFunctionObject {
    /// The header.
    pub ob_base: PyObject,
    /// `func_globals`.
    pub func_globals: Cell<*mut PyObject>,
    /// `func_builtins`.
    pub func_builtins: Cell<*mut PyObject>,
    /// `func_name`.
    pub func_name: Cell<*mut PyObject>,
    /// `func_qualname`.
    pub func_qualname: Cell<*mut PyObject>,
    /// `func_code`: here the [`FunctionCode`] box.
    func_code: Cell<*mut Box<dyn FunctionCode>>,
    /// `func_defaults`: NULL or a tuple.
    pub func_defaults: Cell<*mut PyObject>,
    /// `func_kwdefaults`: NULL or a dict.
    pub func_kwdefaults: Cell<*mut PyObject>,
    /// `func_closure`: NULL or a tuple of cells.
    pub func_closure: Cell<*mut PyObject>,
    /// `func_doc`.
    pub func_doc: Cell<*mut PyObject>,
    /// `func_dict`: NULL or a dict.
    pub func_dict: Cell<*mut PyObject>,
    /// `func_weakreflist`.
    pub func_weakreflist: Cell<*mut PyObject>,
    /// `func_module`.
    pub func_module: Cell<*mut PyObject>,
    /// `func_annotations`.
    pub func_annotations: Cell<*mut PyObject>,
    /// `vectorcall`.
    pub vectorcall: Cell<usize>,
    /// `func_version`.
    pub func_version: Cell<u32>,
}

const _: () = assert!(size_of::<PyFunctionObject>() == 136);

/// `PyFunction_Type`.
pub static FUNCTION_TYPE: TypeObject = TypeObject {
    tp_name: "function",
    tp_basicsize: size_of::<PyFunctionObject>(),
    tp_itemsize: 0,
    tp_flags: TPFLAGS_HAVE_GC,
    tp_dealloc: func_dealloc,
    sizeof: func_sizeof,
    tp_traverse: Some(func_traverse),
    tp_clear: Some(func_clear),
    gc_items: None,
    gc_untrack: GcUntrack::Never,
};

/// A function object.
#[derive(Clone, Debug)]
pub struct PyFunction(Obj);

typed_handle!(PyFunction, FUNCTION_TYPE, "function");

/// The struct behind a live function.
///
/// # Safety
/// `op` is a live function object.
unsafe fn fields<'a>(op: NonNull<PyObject>) -> &'a PyFunctionObject {
    // SAFETY: forwarded contract.
    unsafe { op.cast::<PyFunctionObject>().as_ref() }
}

/// The reference-holding slots, in `func_clear`'s order.
fn clearable(f: &PyFunctionObject) -> [&Cell<*mut PyObject>; 4] {
    [
        &f.func_defaults,
        &f.func_kwdefaults,
        &f.func_dict,
        &f.func_closure,
    ]
}

/// `func_traverse`: the slots that hold references (the ones set here).
///
/// # Safety
/// `op` is a live function.
unsafe fn func_traverse(op: NonNull<PyObject>, visit: &mut dyn FnMut(NonNull<PyObject>)) {
    // SAFETY: live function per the contract.
    let f = unsafe { fields(op) };
    // func_traverse's order: ... defaults, kwdefaults, doc, name, dict, closure ...
    for slot in clearable(f) {
        if let Some(p) = NonNull::new(slot.get()) {
            visit(p);
        }
    }
}

/// `func_clear`: every reference slot emptied, in its order (the code stays, as CPython's
/// `func_code` does).
///
/// # Safety
/// `op` is a live function.
unsafe fn func_clear(op: NonNull<PyObject>) {
    // SAFETY: live function per the contract.
    let f = unsafe { fields(op) };
    for slot in clearable(f) {
        let p = slot.replace(std::ptr::null_mut());
        if let Some(p) = NonNull::new(p) {
            // SAFETY: the slot owned this reference.
            drop(unsafe { Obj::from_owned(p) });
        }
    }
}

/// `func_dealloc`: untrack, `func_clear`, then the code, then the block.
///
/// # Safety
/// `op` is a function whose reference count just reached zero.
unsafe fn func_dealloc(op: NonNull<PyObject>) {
    crate::gc::untrack(op);
    // SAFETY: the function is dead; its slots are ours to release.
    unsafe {
        func_clear(op);
        let code = fields(op).func_code.replace(std::ptr::null_mut());
        if !code.is_null() {
            drop(Box::from_raw(code));
        }
        free_object(op, &FUNCTION_TYPE);
    }
}

/// # Safety
/// `op` is a function.
unsafe fn func_sizeof(_op: NonNull<PyObject>) -> usize {
    size_of::<PyFunctionObject>()
}

/// A reference to hand to a slot.
fn raw(o: Option<Obj>) -> *mut PyObject {
    o.map_or(std::ptr::null_mut(), |o| o.into_raw().as_ptr())
}

/// A new reference to what a slot holds.
fn get(slot: &Cell<*mut PyObject>) -> Option<Obj> {
    // SAFETY: a non-NULL slot holds a reference to a live object.
    NonNull::new(slot.get()).map(|p| unsafe { Obj::from_borrowed(p) })
}

impl PyFunction {
    /// `PyFunction_New` as `MAKE_FUNCTION` calls it, then its defaults, keyword-only
    /// defaults and closure set: one GC block, tracked.
    ///
    /// ```
    /// # use pylayout::types::function::{FunctionCode, PyFunction};
    /// #[derive(Debug)]
    /// struct Code;
    /// impl FunctionCode for Code {
    ///     fn qualname(&self) -> &str { "f" }
    /// }
    /// let f = PyFunction::new(Box::new(Code), None, None, None);
    /// assert_eq!(f.as_obj().getsizeof(), 152); // sys.getsizeof(f) in 3.11
    /// assert!(pylayout::gc::is_tracked(f.as_obj()));
    /// assert_eq!(f.qualname(), "f");
    /// ```
    pub fn new(
        code: Box<dyn FunctionCode>,
        defaults: Option<Obj>,
        kwdefaults: Option<Obj>,
        closure: Option<Obj>,
    ) -> PyFunction {
        let op = alloc_object(&FUNCTION_TYPE, size_of::<PyFunctionObject>())
            .unwrap_or_else(|| panic!("out of memory allocating a function"));
        let null = || Cell::new(std::ptr::null_mut());
        // SAFETY: a fresh block of the struct's size; the header is initialised, the rest
        // is written here before anyone reads it.
        unsafe {
            let p = op.cast::<PyFunctionObject>().as_ptr();
            std::ptr::addr_of_mut!((*p).func_globals).write(null());
            std::ptr::addr_of_mut!((*p).func_builtins).write(null());
            std::ptr::addr_of_mut!((*p).func_name).write(null());
            std::ptr::addr_of_mut!((*p).func_qualname).write(null());
            std::ptr::addr_of_mut!((*p).func_code).write(Cell::new(Box::into_raw(Box::new(code))));
            std::ptr::addr_of_mut!((*p).func_defaults).write(Cell::new(raw(defaults)));
            std::ptr::addr_of_mut!((*p).func_kwdefaults).write(Cell::new(raw(kwdefaults)));
            std::ptr::addr_of_mut!((*p).func_closure).write(Cell::new(raw(closure)));
            std::ptr::addr_of_mut!((*p).func_doc).write(null());
            std::ptr::addr_of_mut!((*p).func_dict).write(null());
            std::ptr::addr_of_mut!((*p).func_weakreflist).write(null());
            std::ptr::addr_of_mut!((*p).func_module).write(null());
            std::ptr::addr_of_mut!((*p).func_annotations).write(null());
            std::ptr::addr_of_mut!((*p).vectorcall).write(Cell::new(0));
            std::ptr::addr_of_mut!((*p).func_version).write(Cell::new(0));
        }
        crate::gc::track(op);
        // SAFETY: the new object's one reference passes to the handle.
        PyFunction(unsafe { Obj::from_owned(op) })
    }

    fn fields(&self) -> &PyFunctionObject {
        // SAFETY: the handle keeps the function alive.
        unsafe { fields(self.0.as_ptr()) }
    }

    /// The code the layer above gave it.
    pub fn code(&self) -> &dyn FunctionCode {
        // SAFETY: set by `new` and only released by the dealloc, which the handle's
        // reference keeps from running.
        unsafe { &**self.fields().func_code.get() }
    }

    /// `__qualname__`.
    pub fn qualname(&self) -> &str {
        self.code().qualname()
    }

    /// `__defaults__`.
    pub fn defaults(&self) -> Option<Obj> {
        get(&self.fields().func_defaults)
    }

    /// `__kwdefaults__`.
    pub fn kwdefaults(&self) -> Option<Obj> {
        get(&self.fields().func_kwdefaults)
    }

    /// `__closure__`.
    pub fn closure(&self) -> Option<Obj> {
        get(&self.fields().func_closure)
    }

    /// `__dict__`, if made.
    pub fn dict(&self) -> Option<Obj> {
        get(&self.fields().func_dict)
    }

    /// Set `__dict__` (the old one, if any, is released after).
    pub fn set_dict(&self, d: Obj) {
        let old = self.fields().func_dict.replace(d.into_raw().as_ptr());
        if let Some(p) = NonNull::new(old) {
            // SAFETY: the slot owned this reference.
            drop(unsafe { Obj::from_owned(p) });
        }
    }

    /// Every field after the header, as `(name, offset, size, value)`: the pointers as
    /// addresses (0 for NULL; `func_code` holds the runner's code, not a code object).
    pub fn fields_after_header(&self) -> Vec<(&'static str, usize, usize, usize)> {
        use std::mem::offset_of;
        let f = self.fields();
        let p = |c: &Cell<*mut PyObject>| c.get() as usize;
        let mut out = vec![
            (
                "func_globals",
                offset_of!(PyFunctionObject, func_globals),
                8,
                p(&f.func_globals),
            ),
            (
                "func_builtins",
                offset_of!(PyFunctionObject, func_builtins),
                8,
                p(&f.func_builtins),
            ),
            (
                "func_name",
                offset_of!(PyFunctionObject, func_name),
                8,
                p(&f.func_name),
            ),
            (
                "func_qualname",
                offset_of!(PyFunctionObject, func_qualname),
                8,
                p(&f.func_qualname),
            ),
            (
                "func_code",
                offset_of!(PyFunctionObject, func_code),
                8,
                f.func_code.get() as usize,
            ),
        ];
        out.extend([
            (
                "func_defaults",
                offset_of!(PyFunctionObject, func_defaults),
                8,
                p(&f.func_defaults),
            ),
            (
                "func_kwdefaults",
                offset_of!(PyFunctionObject, func_kwdefaults),
                8,
                p(&f.func_kwdefaults),
            ),
            (
                "func_closure",
                offset_of!(PyFunctionObject, func_closure),
                8,
                p(&f.func_closure),
            ),
            (
                "func_doc",
                offset_of!(PyFunctionObject, func_doc),
                8,
                p(&f.func_doc),
            ),
            (
                "func_dict",
                offset_of!(PyFunctionObject, func_dict),
                8,
                p(&f.func_dict),
            ),
            (
                "func_weakreflist",
                offset_of!(PyFunctionObject, func_weakreflist),
                8,
                p(&f.func_weakreflist),
            ),
            (
                "func_module",
                offset_of!(PyFunctionObject, func_module),
                8,
                p(&f.func_module),
            ),
            (
                "func_annotations",
                offset_of!(PyFunctionObject, func_annotations),
                8,
                p(&f.func_annotations),
            ),
            (
                "vectorcall",
                offset_of!(PyFunctionObject, vectorcall),
                8,
                f.vectorcall.get(),
            ),
            (
                "func_version",
                offset_of!(PyFunctionObject, func_version),
                4,
                f.func_version.get() as usize,
            ),
        ]);
        out
    }

    /// The objects it holds references to, in `func_traverse`'s order.
    pub fn referents(&self) -> Vec<Obj> {
        clearable(self.fields())
            .into_iter()
            .filter_map(get)
            .collect()
    }

    /// `repr(f)`: `<function outer.<locals>.inner at 0x...>`.
    pub fn repr(&self) -> String {
        format!("<function {} at {:#x}>", self.qualname(), self.0.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::cell::PyCell;
    use crate::types::tuple::PyTuple;

    #[derive(Debug)]
    struct Named(&'static str);
    impl FunctionCode for Named {
        fn qualname(&self) -> &str {
            self.0
        }
    }

    #[test]
    fn a_function_that_refers_to_itself_is_freed_by_the_collector() {
        crate::gc::collect(2);
        // def fact(n): ... fact(n - 1) inside another function: the function holds its
        // closure, whose cell holds the function.
        let cell = PyCell::new(None);
        let closure = PyTuple::new(vec![cell.as_obj().clone()]).into_obj();
        let f = PyFunction::new(
            Box::new(Named("outer.<locals>.fact")),
            None,
            None,
            Some(closure),
        );
        drop(cell.set(Some(f.as_obj().clone())));
        drop((f, cell));
        // function, tuple, cell
        assert_eq!(crate::gc::collect(2), 3);
    }

    #[test]
    fn repr_and_sizes() {
        let f = PyFunction::new(Box::new(Named("<lambda>")), None, None, None);
        assert!(f.repr().starts_with("<function <lambda> at 0x"));
        assert_eq!(f.as_obj().sizeof(), 136);
        assert!(f.dict().is_none());
    }
}
