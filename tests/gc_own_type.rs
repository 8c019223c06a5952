//! The collector knows types only through their `TypeObject`: a container type defined here,
//! outside the crate, with its own `tp_traverse`, `tp_clear` and `tp_dealloc`, has its cycles
//! found and freed like lists and dicts — alone and mixed with them.
// A test of the public type interface must implement a type: raw slots, as a C extension does.
#![allow(unsafe_code)]

use std::cell::Cell;
use std::ptr::NonNull;

use pylayout::gc;
use pylayout::object::{
    GcUntrack, OBJECT_HEAD_SIZE, Obj, PyObject, TPFLAGS_HAVE_GC, TypeObject, alloc_object,
    free_object,
};
use pylayout::runtime;
use pylayout::types::list::PyList;

/// A pair: the object header, then two owned references (NULL when empty).
#[repr(C)]
struct PairObject {
    ob_base: PyObject,
    first: Cell<*mut PyObject>,
    second: Cell<*mut PyObject>,
}

static PAIR_TYPE: TypeObject = TypeObject {
    tp_name: "pair",
    tp_basicsize: size_of::<PairObject>(),
    tp_itemsize: 0,
    tp_flags: TPFLAGS_HAVE_GC,
    tp_dealloc: pair_dealloc,
    sizeof: pair_sizeof,
    tp_traverse: Some(pair_traverse),
    tp_clear: Some(pair_clear),
    gc_items: None,
    gc_untrack: GcUntrack::Never,
};

/// The same layout, immutable once built, untracked like a tuple when the collector finds
/// that nothing it holds may be tracked: the policy comes from the descriptor, not the name.
static FROZEN_PAIR_TYPE: TypeObject = TypeObject {
    tp_name: "frozenpair",
    tp_dealloc: frozen_dealloc,
    tp_clear: None,
    gc_untrack: GcUntrack::WhenScanned,
    ..PAIR_TYPE
};

const _: () = assert!(size_of::<PairObject>() == OBJECT_HEAD_SIZE + 16);

/// # Safety
/// `op` is a live pair.
unsafe fn slots<'a>(op: NonNull<PyObject>) -> &'a PairObject {
    // SAFETY: forwarded contract: a pair's memory is a PairObject.
    unsafe { op.cast::<PairObject>().as_ref() }
}

/// # Safety
/// `op` is a live pair.
unsafe fn pair_traverse(op: NonNull<PyObject>, visit: &mut dyn FnMut(NonNull<PyObject>)) {
    // SAFETY: forwarded contract.
    let p = unsafe { slots(op) };
    for slot in [&p.first, &p.second] {
        if let Some(child) = NonNull::new(slot.get()) {
            visit(child);
        }
    }
}

/// # Safety
/// `op` is a live pair.
unsafe fn pair_clear(op: NonNull<PyObject>) {
    // SAFETY: forwarded contract.
    let p = unsafe { slots(op) };
    for slot in [&p.first, &p.second] {
        if let Some(child) = NonNull::new(slot.replace(std::ptr::null_mut())) {
            // SAFETY: the slot owned this reference; it is dropped once.
            drop(unsafe { Obj::from_owned(child) });
        }
    }
}

/// # Safety
/// `op` is a pair whose count just reached zero.
unsafe fn pair_dealloc(op: NonNull<PyObject>) {
    // SAFETY: a live pair of a GC type; then its references go, then its memory.
    unsafe {
        gc::untrack_object(op);
        pair_clear(op);
        free_object(op, &PAIR_TYPE);
    }
}

/// # Safety
/// `op` is a frozen pair whose count just reached zero.
unsafe fn frozen_dealloc(op: NonNull<PyObject>) {
    // SAFETY: as pair_dealloc, for the frozen type.
    unsafe {
        gc::untrack_object(op);
        pair_clear(op);
        free_object(op, &FROZEN_PAIR_TYPE);
    }
}

/// # Safety
/// `op` is a live pair.
unsafe fn pair_sizeof(_op: NonNull<PyObject>) -> usize {
    size_of::<PairObject>()
}

/// A new, tracked, empty pair.
fn pair() -> Obj {
    new_of(&PAIR_TYPE)
}

fn new_of(tp: &'static TypeObject) -> Obj {
    let op = alloc_object(tp, size_of::<PairObject>()).expect("memory");
    // SAFETY: a fresh object of PairObject's size: its slots are set before anything reads
    // them, and alloc_object handed out the one reference.
    let o = unsafe {
        let p = op.cast::<PairObject>().as_ptr();
        std::ptr::addr_of_mut!((*p).first).write(Cell::new(std::ptr::null_mut()));
        std::ptr::addr_of_mut!((*p).second).write(Cell::new(std::ptr::null_mut()));
        Obj::from_owned(op)
    };
    gc::track_object(&o);
    o
}

/// `pair.first = value` (or `second`), replacing what was there.
fn set(pair: &Obj, second: bool, value: &Obj) {
    assert!(pair.is_type(&PAIR_TYPE) || pair.is_type(&FROZEN_PAIR_TYPE));
    // SAFETY: a live pair; the slot takes a new reference and drops the old one.
    let p = unsafe { slots(pair.as_ptr()) };
    let slot = if second { &p.second } else { &p.first };
    let old = slot.replace(value.clone().into_raw().as_ptr());
    if let Some(old) = NonNull::new(old) {
        // SAFETY: the slot owned it.
        drop(unsafe { Obj::from_owned(old) });
    }
}

#[test]
fn cycles_of_an_outside_type_are_found_and_freed() {
    gc::disable();
    gc::collect(2);
    runtime::clear_freelists();
    let blocks = runtime::allocated_blocks();
    // a <-> b, a self-loop, and a three-cycle through a list: all garbage once dropped.
    let (a, b, c) = (pair(), pair(), pair());
    set(&a, false, &b);
    set(&b, false, &a);
    set(&c, false, &c);
    let l = PyList::new();
    let d = pair();
    set(&d, false, l.as_obj());
    l.append(d.clone());
    // And one kept alive from outside, holding a garbage-free pair.
    let kept = pair();
    let inner = pair();
    set(&kept, true, &inner);
    assert!(gc::is_tracked(&a) && gc::is_tracked(&kept));
    drop((a, b, c, l, d, inner));
    let found = gc::collect(0);
    assert_eq!(found, 5, "a, b, c, the list and d");
    // `kept` and `inner` survive, now in generation 1; nothing else is left.
    assert_eq!(gc::generation_sizes(), [0, 2, 0]);
    assert!(gc::is_tracked(&kept));
    drop(kept);
    assert_eq!(gc::generation_sizes(), [0, 0, 0]);
    // The list went to the list free list: empty it, then every block is back.
    runtime::clear_freelists();
    assert_eq!(runtime::allocated_blocks(), blocks, "every block back");
    gc::enable();
}

#[test]
fn the_explanation_covers_an_outside_type() {
    gc::disable();
    gc::collect(2);
    let (a, b) = (pair(), pair());
    set(&a, false, &b);
    set(&b, true, &a);
    let (ida, idb) = (a.id(), b.id());
    drop((a, b));
    let plan = gc::plan_collection(0);
    let rows: Vec<_> = plan
        .objects
        .iter()
        .filter(|p| p.id == ida || p.id == idb)
        .collect();
    assert_eq!(rows.len(), 2);
    for r in rows {
        assert_eq!(r.type_name, "pair");
        assert_eq!((r.ob_refcnt, r.internal_refs), (1, 1));
        assert_eq!(r.fate, gc::Fate::Freed);
    }
    assert_eq!(gc::collect(0), 2);
    gc::enable();
}

#[test]
fn an_outside_type_declares_its_untracking_policy() {
    gc::disable();
    gc::collect(2);
    let atoms = new_of(&FROZEN_PAIR_TYPE);
    set(
        &atoms,
        false,
        &pylayout::types::int::PyInt::from_i64(1 << 40).into_obj(),
    );
    let holds_list = new_of(&FROZEN_PAIR_TYPE);
    set(&holds_list, false, PyList::new().as_obj());
    let plain = pair();
    set(
        &plain,
        false,
        &pylayout::types::int::PyInt::from_i64(7).into_obj(),
    );
    gc::collect(0);
    // Untracked when scanned: nothing it holds may be tracked. A list inside keeps it
    // tracked; the plain pair's policy is Never.
    assert!(!gc::is_tracked(&atoms));
    assert!(gc::is_tracked(&holds_list));
    assert!(gc::is_tracked(&plain));
    assert_eq!(gc::last_collection().unwrap().untracked, 1);
    drop((atoms, holds_list, plain));
    gc::enable();
}
