//! Layer 2: the object header every CPython object starts with, type descriptors, and owning
//! handles that do the reference counting (`Include/object.h`, `Include/cpython/objimpl.h`,
//! `Include/internal/pycore_gc.h`, 3.11, 64-bit default build).
//!
//! ```text
//!            GC types only (list, tuple, dict):
//!            +------------------+------------------+
//!  mem  -->  | _gc_next (8)     | _gc_prev (8)     |   PyGC_Head, 16 bytes *before* the object
//!            +------------------+------------------+
//!  obj  -->  | ob_refcnt (8)    | ob_type (8)      |   PyObject, 16 bytes
//!            +------------------+------------------+
//!            | ob_size (8)      |  ...             |   PyVarObject adds ob_size (len, digits)
//!            +------------------+------------------+
//! ```
//!
//! - `ob_refcnt` counts strong references. [`Obj`] is one: cloning increments, dropping
//!   decrements, and reaching zero calls the type's `tp_dealloc` at once, which returns the
//!   block to its pool (or to a free list).
//! - `ob_type` points to a [`TypeObject`]: the name, `tp_basicsize`, `tp_itemsize`, the GC flag,
//!   and the functions the runtime needs (dealloc, `__sizeof__`).
//! - For GC types the allocation is `PyObject_Malloc(16 + size)` and the object pointer is
//!   `mem + 16` (`_PyType_PreHeaderSize`); `sys.getsizeof` adds those 16 bytes to `__sizeof__`
//!   whether or not the object is currently tracked. The cycle collector ([`crate::gc`])
//!   links tracked objects into its generation lists through this head; `_gc_next == 0`
//!   means "not tracked".
//!
//! Handles are `!Send` and `!Sync`: each thread has its own runtime (allocator, caches, free
//! lists), exactly like one interpreter.
//!
//! # Reference counting with handles
//!
//! ```
//! use pylayout::types::float::PyFloat;
//! use pylayout::types::list::PyList;
//!
//! let x = PyFloat::new(1.5).into_obj();
//! assert_eq!(x.refcnt(), 1);
//! let y = x.clone(); // Py_INCREF: `y = x`
//! assert!(y.is(&x));
//! assert_eq!(x.refcnt(), 2);
//! drop(y); // Py_DECREF
//! assert_eq!(x.refcnt(), 1);
//!
//! // A float is not a GC type: no head, getsizeof == __sizeof__ == 24.
//! assert_eq!((x.sizeof(), x.getsizeof(), x.gc_head().is_none()), (24, 24, true));
//! // A list is: the 16-byte PyGC_Head sits in front of the object, in the same block.
//! let l = PyList::new().into_obj();
//! assert_eq!((l.sizeof(), l.getsizeof()), (40, 56));
//! assert_eq!(l.mem_address(), l.id() - 16);
//! assert!(l.gc_head().is_some());
//!
//! // The last reference goes: the float is deallocated at once, onto the float free list,
//! // and the next float reuses its memory (CPython's `id` reuse).
//! let old_id = x.id();
//! drop(x);
//! assert_eq!(PyFloat::new(2.5).as_obj().id(), old_id);
//! ```
//!
//! Beside the header, in this layer: [`runtime`], the per-thread heap (pymalloc, the
//! trashcan, the tracer, the hash key), and [`gc`], the cycle collector. The three refer to
//! each other (allocating a GC object counts toward generation 0; a collection frees
//! objects) and to nothing above: the collector sees a type only through its
//! [`TypeObject`] slots, and the types keep their own state (free lists, static objects) in
//! [`crate::types`], which registers itself here.
//!
//! Read [`PyObject`], [`TypeObject`] and [`Obj`] first; [`alloc_object`] and the private
//! dealloc path (with its "trashcan", [`TRASH_UNWIND_LEVEL`]) are what every type's
//! constructor and destructor call.
//!
//! Unsafe: this is the header itself — blocks become objects here, references are counted
//! through raw pointers, and the last one calls the type's dealloc; [`RawBlock`] gives a raw
//! pymalloc block back when dropped.
#![allow(unsafe_code)]

pub mod gc;
pub mod runtime;

use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;
use std::ptr::NonNull;

use crate::profile::{Current, Profile, RefcountModel};

/// `PyObject`: the 16-byte header of every object.
#[repr(C)]
#[derive(Debug)]
pub struct PyObject {
    /// `ob_refcnt`: strong references.
    pub ob_refcnt: Cell<isize>,
    /// `ob_type`: the type descriptor. (Dead floats on the free list reuse it as a link.)
    pub ob_type: Cell<*const TypeObject>,
}

/// `PyVarObject`: the header of variable-size objects (`ob_size` = length or digit count).
#[repr(C)]
#[derive(Debug)]
pub struct PyVarObject {
    /// The fixed header.
    pub ob_base: PyObject,
    /// `ob_size`: number of items (for `int`: signed number of 30-bit digits).
    pub ob_size: Cell<isize>,
}

/// `PyGC_Head` (3.8+): two words before every GC object.
#[repr(C)]
#[derive(Debug, Default)]
pub struct PyGCHead {
    /// `_gc_next`: next object in the generation list, 0 when untracked.
    pub gc_next: Cell<usize>,
    /// `_gc_prev`: previous object; low bits are flags during a collection.
    pub gc_prev: Cell<usize>,
}

/// `sizeof(PyObject)`.
pub const OBJECT_HEAD_SIZE: usize = size_of::<PyObject>();
/// `sizeof(PyVarObject)`.
pub const VAR_HEAD_SIZE: usize = size_of::<PyVarObject>();
/// `sizeof(PyGC_Head)`.
pub const GC_HEAD_SIZE: usize = size_of::<PyGCHead>();
/// `ob_refcnt` offset.
pub const OB_REFCNT_OFFSET: usize = std::mem::offset_of!(PyObject, ob_refcnt);
/// `ob_type` offset.
pub const OB_TYPE_OFFSET: usize = std::mem::offset_of!(PyObject, ob_type);
/// `ob_size` offset.
pub const OB_SIZE_OFFSET: usize = std::mem::offset_of!(PyVarObject, ob_size);

const _: () = assert!(OBJECT_HEAD_SIZE == 16 && VAR_HEAD_SIZE == 24 && GC_HEAD_SIZE == 16);
const _: () = assert!(OB_REFCNT_OFFSET == 0 && OB_TYPE_OFFSET == 8 && OB_SIZE_OFFSET == 16);

/// Reference count given to statically allocated runtime objects (small ints, singletons) in
/// 3.11 (`_PyObject_IMMORTAL_INIT`). Not immortal in 3.11: increments and decrements still
/// happen.
pub const STATIC_REFCNT: isize = Current::STATIC_REFCNT;

/// `_Py_IMMORTAL_REFCNT` (3.12+, PEP 683, 64-bit): the count of an immortal object, which
/// `Py_INCREF` and `Py_DECREF` leave alone. Counted objects (every 3.11 object) never reach
/// it: a 3.11 static starts at [`STATIC_REFCNT`], 3.3 billion references short of it.
pub const IMMORTAL_REFCNT: isize = u32::MAX as isize;

/// The count a static object starts with in the version this thread follows
/// ([`crate::runtime::version`]): [`STATIC_REFCNT`] in 3.11, [`IMMORTAL_REFCNT`] from 3.12.
pub fn static_refcnt() -> isize {
    crate::runtime::version().static_refcnt()
}

// Handles count every object (3.11's model); immortal objects (3.12+) need `Obj`'s
// increments and decrements to skip them first.
const _: () = assert!(matches!(Current::REFCOUNT, RefcountModel::Counted));

/// `Py_TPFLAGS_HAVE_GC`.
pub const TPFLAGS_HAVE_GC: u32 = 1 << 14;

/// A type descriptor: the part of `PyTypeObject` this runtime needs.
pub struct TypeObject {
    /// `tp_name`.
    pub tp_name: &'static str,
    /// `tp_basicsize`: bytes of the fixed part (without the GC head).
    pub tp_basicsize: usize,
    /// `tp_itemsize`: bytes per item for variable-size types, else 0.
    pub tp_itemsize: usize,
    /// `tp_flags` (only [`TPFLAGS_HAVE_GC`] is used).
    pub tp_flags: u32,
    /// `tp_dealloc`: called when the reference count reaches zero.
    pub tp_dealloc: unsafe fn(NonNull<PyObject>),
    /// `__sizeof__` of a live object of this type.
    pub sizeof: unsafe fn(NonNull<PyObject>) -> usize,
    /// `tp_traverse` (GC types): call the visitor once for every strong reference the
    /// object owns — exactly those, no more, no fewer. The collector's soundness rests on it.
    pub tp_traverse: Option<Traverse>,
    /// `tp_clear` (GC types that can be in a cycle they own): drop the references the
    /// object holds, leaving it valid but empty.
    pub tp_clear: Option<unsafe fn(NonNull<PyObject>)>,
    /// The collector's fast path (not a CPython slot): for a type whose references are one
    /// array of item pointers (list, tuple), that array and its length; the collector walks
    /// it last first, as their `tp_traverse` does, without a call per item. `None`: the
    /// collector calls `tp_traverse`.
    pub gc_items: Option<GcItems>,
    /// When the collector may stop tracking objects of this type (the collector knows types
    /// only through this descriptor, never by name).
    pub gc_untrack: GcUntrack,
}

/// A [`TypeObject::gc_items`] function: the object's item array and its length. The array
/// holds owned references or NULL, and stays valid while the object is not mutated.
pub type GcItems = unsafe fn(NonNull<PyObject>) -> (*const *mut PyObject, usize);

/// When the collector may untrack a reachable object of a type (CPython hard-codes these
/// per type; here each type declares its policy).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GcUntrack {
    /// Never: the object stays tracked while it lives (list).
    Never,
    /// When the scan reaches it and nothing it holds may be tracked (`_PyTuple_MaybeUntrack`
    /// in `move_unreachable`). Such an object "may be tracked" (`_PyObject_GC_MAY_BE_TRACKED`)
    /// only while it is tracked (tuple).
    WhenScanned,
    /// In full collections, after the scan, when nothing it holds may be tracked
    /// (`untrack_dicts`) (dict).
    FullCollection,
}

/// A `tp_traverse` function: `visit` every owned reference of a live object.
pub type Traverse = unsafe fn(NonNull<PyObject>, &mut dyn FnMut(NonNull<PyObject>));

impl TypeObject {
    /// Whether objects of this type carry a GC head (`PyType_IS_GC`).
    pub const fn is_gc(&self) -> bool {
        self.tp_flags & TPFLAGS_HAVE_GC != 0
    }

    /// Bytes allocated before the object (`_PyType_PreHeaderSize`): 16 for GC types.
    pub const fn pre_header_size(&self) -> usize {
        if self.is_gc() { GC_HEAD_SIZE } else { 0 }
    }
}

impl fmt::Debug for TypeObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TypeObject")
            .field("tp_name", &self.tp_name)
            .field("tp_basicsize", &self.tp_basicsize)
            .field("tp_itemsize", &self.tp_itemsize)
            .field("gc", &self.is_gc())
            .finish()
    }
}

/// Allocate `nbytes` for an object of type `tp` from the thread's pymalloc (plus the GC head
/// for GC types) and initialise the header: `ob_refcnt = 1`, `ob_type = tp`, GC head zeroed.
/// Returns the object pointer, or `None` when out of memory.
///
/// The caller initialises the rest of the object before handing it out.
pub fn alloc_object(tp: &'static TypeObject, nbytes: usize) -> Option<NonNull<PyObject>> {
    debug_assert!(nbytes >= OBJECT_HEAD_SIZE);
    let pre = tp.pre_header_size();
    let total = pre.checked_add(nbytes)?;
    let mem = runtime::with_heap(|h| h.malloc(total));
    let mem = NonNull::new(mem)?;
    // SAFETY: mem is a fresh block of `total` bytes, 16-aligned (pymalloc blocks and malloc
    // results are), so the GC head and the header fit and are aligned.
    unsafe {
        if pre > 0 {
            mem.cast::<PyGCHead>().write(PyGCHead::default());
        }
        let op = mem.add(pre).cast::<PyObject>();
        op.write(PyObject {
            ob_refcnt: Cell::new(1),
            ob_type: Cell::new(tp),
        });
        runtime::trace(|| runtime::TraceEvent::Alloc {
            type_name: tp.tp_name,
            size: total,
            address: op.as_ptr() as usize,
        });
        if pre > 0 {
            // _PyObject_GC_Link: count it; an automatic collection may run here (the new
            // object is not tracked, so the collector cannot see it).
            crate::gc::on_gc_alloc();
        }
        Some(op)
    }
}

/// Return an object's memory (GC head included) to the thread's pymalloc (`PyObject_Free`,
/// `PyObject_GC_Del`).
///
/// # Safety
/// `op` came from [`alloc_object`] with the type `tp`, its reference count is zero, nothing
/// refers to it any more, and it is not used afterwards.
pub unsafe fn free_object(op: NonNull<PyObject>, tp: &TypeObject) {
    // After thread teardown the arenas are unmapped already: nothing left to free.
    runtime::try_with(|rt| {
        // SAFETY: forwarded contract.
        unsafe { free_object_in(rt, op, tp) }
    });
}

/// [`free_object`] with the runtime at hand (one thread-local lookup fewer on the hot
/// deallocation paths).
///
/// # Safety
/// As [`free_object`]; `rt` is this thread's runtime and its heap is not borrowed.
pub(crate) unsafe fn free_object_in(rt: &runtime::Runtime, op: NonNull<PyObject>, tp: &TypeObject) {
    runtime::trace(|| runtime::TraceEvent::Free {
        type_name: tp.tp_name,
        address: op.as_ptr() as usize,
    });
    // SAFETY: the contract says op = mem + pre for a block from this thread's heap.
    unsafe {
        let mem = op.cast::<u8>().sub(tp.pre_header_size());
        if tp.is_gc() {
            crate::gc::on_gc_free_in(rt);
        }
        rt.heap.borrow_mut().free(mem.as_ptr());
    }
}

/// An owned strong reference to an object (a `PyObject *` you must `Py_DECREF`).
///
/// `Clone` is `Py_INCREF`, `Drop` is `Py_DECREF`: the object is deallocated the moment the
/// last reference goes. Neither `Send` nor `Sync`.
pub struct Obj {
    ptr: NonNull<PyObject>,
    _not_send: PhantomData<*mut PyObject>,
}

impl Obj {
    /// Wrap a pointer whose reference the caller owns ("steals" it; no increment).
    ///
    /// # Safety
    /// `ptr` is a live object of this thread's runtime and the caller owns one reference,
    /// which passes to the handle.
    #[inline]
    pub unsafe fn from_owned(ptr: NonNull<PyObject>) -> Obj {
        Obj {
            ptr,
            _not_send: PhantomData,
        }
    }

    /// Make a new reference to a live object (`Py_NewRef`).
    ///
    /// # Safety
    /// `ptr` is a live object of this thread's runtime.
    #[inline]
    pub unsafe fn from_borrowed(ptr: NonNull<PyObject>) -> Obj {
        // SAFETY: live object per the contract.
        let rc = unsafe { &ptr.as_ref().ob_refcnt };
        let n = rc.get();
        // 3.12+ (PEP 683): an immortal count does not move. No 3.11 count reaches it.
        if n != IMMORTAL_REFCNT {
            rc.set(n + 1);
        }
        Obj {
            ptr,
            _not_send: PhantomData,
        }
    }

    /// Give up the handle without decrementing; the caller now owns the reference.
    #[inline]
    pub fn into_raw(self) -> NonNull<PyObject> {
        let p = self.ptr;
        std::mem::forget(self);
        p
    }

    /// The object pointer (what `id()` returns in CPython).
    #[inline]
    pub fn as_ptr(&self) -> NonNull<PyObject> {
        self.ptr
    }

    /// `id(obj)`: the object's address.
    pub fn id(&self) -> usize {
        self.ptr.as_ptr() as usize
    }

    /// Whether two handles refer to the same object (`is`).
    pub fn is(&self, other: &Obj) -> bool {
        self.ptr == other.ptr
    }

    #[inline]
    fn header(&self) -> &PyObject {
        // SAFETY: a handle keeps its object alive; the header is only accessed through Cells.
        unsafe { self.ptr.as_ref() }
    }

    /// `ob_refcnt`. (`sys.getrefcount(x)` shows one more: the argument it was passed.)
    pub fn refcnt(&self) -> isize {
        self.header().ob_refcnt.get()
    }

    /// The type descriptor (`Py_TYPE`).
    #[inline]
    pub fn type_object(&self) -> &'static TypeObject {
        // SAFETY: a live object's ob_type always points to a static TypeObject.
        unsafe { &*self.header().ob_type.get() }
    }

    /// `type(obj).__name__`.
    pub fn type_name(&self) -> &'static str {
        self.type_object().tp_name
    }

    /// Whether `type(obj) is tp`.
    #[inline]
    pub fn is_type(&self, tp: &'static TypeObject) -> bool {
        std::ptr::eq(self.type_object(), tp)
    }

    /// `obj.__sizeof__()`.
    pub fn sizeof(&self) -> usize {
        // SAFETY: the object is live and of the type whose sizeof this is.
        unsafe { (self.type_object().sizeof)(self.ptr) }
    }

    /// `sys.getsizeof(obj)` in 3.11: `__sizeof__()` plus the pre-header of GC types.
    pub fn getsizeof(&self) -> usize {
        self.sizeof() + self.type_object().pre_header_size()
    }

    /// The `PyGC_Head` in front of a GC object, `None` for other types.
    pub fn gc_head(&self) -> Option<&PyGCHead> {
        if !self.type_object().is_gc() {
            return None;
        }
        // SAFETY: GC objects are allocated with the head right before them (alloc_object).
        Some(unsafe { self.ptr.cast::<PyGCHead>().sub(1).as_ref() })
    }

    /// Address of the allocation (the GC head for GC types, else the object itself).
    pub fn mem_address(&self) -> usize {
        self.id() - self.type_object().pre_header_size()
    }

    /// Read a plain field of the object at `offset` bytes from the object pointer.
    ///
    /// # Safety
    /// `offset..offset + size_of::<T>()` lies inside the object's initialised memory, is
    /// aligned for `T`, and holds a valid `T`.
    #[inline]
    pub unsafe fn read_field<T: Copy>(&self, offset: usize) -> T {
        // SAFETY: forwarded contract.
        unsafe { self.ptr.cast::<u8>().add(offset).cast::<T>().read() }
    }
}

impl Clone for Obj {
    #[inline]
    fn clone(&self) -> Obj {
        // SAFETY: self keeps the object alive.
        unsafe { Obj::from_borrowed(self.ptr) }
    }
}

impl Drop for Obj {
    #[inline]
    fn drop(&mut self) {
        let rc = &self.header().ob_refcnt;
        if rc.get() == IMMORTAL_REFCNT {
            return;
        }
        let n = rc.get() - 1;
        debug_assert!(n >= 0, "negative refcount on {:p}", self.ptr);
        rc.set(n);
        if n == 0 {
            // SAFETY: the count reached zero: this was the last reference.
            unsafe { dealloc(self.ptr) };
        }
    }
}

/// `_PyTrash_UNWIND_LEVEL`: container deallocations nested deeper than this are deferred.
pub const TRASH_UNWIND_LEVEL: usize = Current::TRASH_UNWIND_LEVEL;

/// The trashcan (`Py_TRASHCAN_BEGIN`/`END`): container deallocs nest (a list frees its items,
/// which free theirs...), so a million-deep `l = [l]` would overflow the stack. Past
/// [`TRASH_UNWIND_LEVEL`] nested container deallocations, objects are parked and destroyed
/// once the outermost one returns — iteratively, in a loop, not by recursion.
#[derive(Debug, Default)]
pub(crate) struct TrashState {
    depth: Cell<usize>,
    pending: std::cell::RefCell<Vec<NonNull<PyObject>>>,
}

/// Run the type's dealloc for an object whose count reached zero, through the trashcan for
/// GC (container) types.
///
/// # Safety
/// `op` is a live object of this thread's runtime whose reference count is zero.
#[inline(never)]
unsafe fn dealloc(op: NonNull<PyObject>) {
    // SAFETY: op's header is intact until its dealloc runs.
    let tp = unsafe { &*op.as_ref().ob_type.get() };
    if !tp.is_gc() {
        // SAFETY: the contract: last reference gone, tp is its type.
        unsafe { (tp.tp_dealloc)(op) };
        return;
    }
    let parked = runtime::try_with(|rt| {
        let t = &rt.trash;
        if t.depth.get() >= TRASH_UNWIND_LEVEL {
            t.pending.borrow_mut().push(op);
            return true;
        }
        t.depth.set(t.depth.get() + 1);
        false
    });
    if parked != Some(false) {
        // Parked for later, or the runtime is already gone (thread exit).
        return;
    }
    // SAFETY: as above.
    unsafe { (tp.tp_dealloc)(op) };
    // _PyTrash_thread_destroy_chain, when the outermost dealloc returns: each parked
    // dealloc may park more.
    while let Some(next) = runtime::with(|rt| {
        let t = &rt.trash;
        if t.depth.get() > 1 {
            t.depth.set(t.depth.get() - 1);
            return None;
        }
        let next = t.pending.borrow_mut().pop();
        if next.is_none() {
            t.depth.set(0);
        }
        next
    }) {
        // depth stays 1 while a parked object is destroyed.
        // SAFETY: parked objects are dead containers not yet deallocated.
        unsafe { ((*next.as_ref().ob_type.get()).tp_dealloc)(next) };
    }
}

impl fmt::Debug for Obj {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<{} object at {:#x}, refcnt {}>",
            self.type_name(),
            self.id(),
            self.refcnt()
        )
    }
}

/// A raw block from this thread's pymalloc (`PyMem_Malloc`), freed when dropped. For
/// workloads and experiments on the allocator itself; objects use [`crate::object`].
#[derive(Debug)]
pub struct RawBlock {
    ptr: NonNull<u8>,
    size: usize,
    _not_send: PhantomData<*mut u8>,
}

impl RawBlock {
    /// `PyMem_Malloc(size)`: a pool block for 1..=512 bytes, else a system block.
    ///
    /// # Panics
    /// When the system is out of memory.
    pub fn new(size: usize) -> RawBlock {
        let p = runtime::with_heap(|h| h.malloc(size));
        let ptr =
            NonNull::new(p).unwrap_or_else(|| panic!("out of memory allocating {size} bytes"));
        RawBlock {
            ptr,
            size,
            _not_send: PhantomData,
        }
    }

    /// The block's address.
    pub fn address(&self) -> usize {
        self.ptr.as_ptr() as usize
    }

    /// The size requested.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Arena, pool and block, or `None` for a system block.
    pub fn info(&self) -> Option<crate::alloc::BlockInfo> {
        runtime::with_heap(|h| h.block_info(self.ptr.as_ptr()))
    }
}

impl Drop for RawBlock {
    fn drop(&mut self) {
        // SAFETY: ptr came from this thread's heap (RawBlock is !Send) and is freed once.
        runtime::try_with_heap(|h| unsafe { h.free(self.ptr.as_ptr()) });
    }
}
