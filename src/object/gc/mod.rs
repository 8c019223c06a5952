//! The cycle collector: CPython 3.11's generational GC (`Modules/gcmodule.c`) on our objects.
//!
//! ```text
//!  generation 0 (threshold 700)  ->  generation 1 (10)  ->  generation 2 (10)
//!  head <-> obj <-> obj <-> ...      circular lists through the 16-byte PyGC_Head
//!                                    _gc_next: next head (0 = untracked)
//!                                    _gc_prev: prev head | flags; during a collection
//!                                              the gc_refs counter, shifted by 2
//! ```
//!
//! - **Counts**: allocating a GC object (not reusing one from a free list) adds 1 to
//!   generation 0's count; freeing one subtracts 1. When the count passes the threshold an
//!   automatic collection runs from the allocation, as `_PyObject_GC_Link` does. Collecting
//!   generation *g* zeroes counts 0..=g and adds 1 to *g+1*'s.
//! - **Algorithm** (`gc_collect_main`): merge the younger lists into the collected one;
//!   `update_refs` copies `ob_refcnt` into gc_refs; `subtract_refs` removes the references
//!   from inside the set (via each type's `tp_traverse`); `move_unreachable` moves objects
//!   with no outside references to `unreachable`, pulling back whatever a reachable object
//!   refers to; objects whose type's `gc_untrack` policy allows it (tuples when scanned;
//!   dicts in full collections) and that hold nothing trackable are untracked; survivors move to the next generation; the unreachable are cleared with
//!   `tp_clear`, which breaks the cycles so reference counting frees them. The result is the
//!   number of unreachable objects.
//! - **Full collections** happen automatically only when `long_lived_pending >
//!   long_lived_total / 4`; they also empty the type free lists.
//!
//! The traverse contract ([`crate::object::TypeObject::tp_traverse`]) is what makes this
//! sound: a type's traverse visits exactly the strong references the object owns. The
//! collector knows types only through their `TypeObject` (`tp_traverse`, `tp_clear`,
//! `gc_items`, `gc_untrack`), never by name: a type defined outside the crate is collected
//! the same way (`tests/gc_own_type.rs`).
//!
//! What to read first: [`collect`] (with its example: a two-list cycle found and freed),
//! then `collect_main`, which follows `gc_collect_main` step by step; `explain`'s
//! [`plan_collection`] computes the same gc_refs on a copy, and is the easier read of the two.
//! The `gc` functions of the Python module map one to one: [`get_count`], [`get_threshold`],
//! [`set_threshold`], [`enable`], [`disable`], [`isenabled`], [`get_stats`], [`is_tracked`].
//!
//! Unsafe: the generation lists are intrusive, linked through each object's `PyGC_Head`, and
//! the collector walks objects by raw pointer.
#![allow(unsafe_code)]

use std::cell::{Cell, RefCell};
use std::ptr::NonNull;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::object::{GC_HEAD_SIZE, GcUntrack, Obj, PyGCHead, PyObject, TypeObject};
use crate::profile::{Current, Profile};
use crate::runtime;

mod explain;
pub use explain::{CollectionPlan, Fate, PlannedObject, plan_collection};

/// `NUM_GENERATIONS`.
pub const NUM_GENERATIONS: usize = 3;
/// Default thresholds (`gc.get_threshold()`).
pub const DEFAULT_THRESHOLDS: [isize; 3] = Current::GC_THRESHOLDS;

const PREV_MASK_FINALIZED: usize = 1;
const PREV_MASK_COLLECTING: usize = 2;
const PREV_SHIFT: u32 = 2;
const PREV_MASK: usize = usize::MAX << PREV_SHIFT;
const NEXT_MASK_UNREACHABLE: usize = 1;

/// Per-generation statistics (`gc.get_stats()`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct GenStats {
    /// Collections of this generation.
    pub collections: u64,
    /// Objects collected by them.
    pub collected: u64,
    /// Uncollectable objects found (always 0 here: no legacy finalizers).
    pub uncollectable: u64,
}

/// What one collection did.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CollectionReport {
    /// The generation collected.
    pub generation: usize,
    /// Whether it was started by an allocation (not by `collect`).
    pub automatic: bool,
    /// Tracked objects examined (the merged generations).
    pub examined: usize,
    /// Unreachable objects found (the value `gc.collect()` returns).
    pub unreachable: usize,
    /// Blocks released by the end of the collection (`sys.getallocatedblocks()` before
    /// less after). Counted for `collect` only: an automatic collection would have to walk
    /// every pool twice to know, which would make a long script's time grow with its heap.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub freed: Option<usize>,
    /// Survivors moved to the next generation.
    pub promoted: usize,
    /// Objects untracked (tuples; dicts in full collections).
    pub untracked: usize,
    /// Wall time.
    #[serde(serialize_with = "ser_duration")]
    pub time: Duration,
}

fn ser_duration<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

/// The collector's state in a runtime (`struct _gc_runtime_state`).
#[derive(Debug)]
pub(crate) struct GcState {
    /// Generation list heads (sentinels at stable addresses).
    heads: Box<[PyGCHead; NUM_GENERATIONS]>,
    /// A scratch head for the unreachable set.
    unreachable: Box<PyGCHead>,
    count: [Cell<isize>; NUM_GENERATIONS],
    threshold: [Cell<isize>; NUM_GENERATIONS],
    enabled: Cell<bool>,
    collecting: Cell<bool>,
    long_lived_total: Cell<isize>,
    long_lived_pending: Cell<isize>,
    /// Objects of the host interpreter counted as long-lived beside ours (see
    /// [`set_phantom_long_lived`]).
    phantom_long_lived: Cell<isize>,
    stats: RefCell<[GenStats; NUM_GENERATIONS]>,
    last: RefCell<Option<CollectionReport>>,
}

fn addr(h: &PyGCHead) -> usize {
    h as *const PyGCHead as usize
}

impl GcState {
    pub(crate) fn new() -> GcState {
        let st = GcState {
            heads: Box::new(std::array::from_fn(|_| PyGCHead::default())),
            unreachable: Box::new(PyGCHead::default()),
            count: std::array::from_fn(|_| Cell::new(0)),
            threshold: std::array::from_fn(|i| Cell::new(DEFAULT_THRESHOLDS[i])),
            enabled: Cell::new(true),
            collecting: Cell::new(false),
            long_lived_total: Cell::new(0),
            long_lived_pending: Cell::new(0),
            phantom_long_lived: Cell::new(0),
            stats: RefCell::new([GenStats::default(); NUM_GENERATIONS]),
            last: RefCell::new(None),
        };
        for h in st.heads.iter() {
            list_init(h);
        }
        list_init(&st.unreachable);
        st
    }
}

// ---- list primitives on raw heads (addresses in _gc_next / _gc_prev) ----

fn head<'a>(a: usize) -> &'a PyGCHead {
    // SAFETY: callers only pass addresses of live GC heads or of the state's sentinels,
    // which outlive the operation.
    unsafe { &*(a as *const PyGCHead) }
}

fn next(h: &PyGCHead) -> usize {
    h.gc_next.get() & !NEXT_MASK_UNREACHABLE
}

fn prev(h: &PyGCHead) -> usize {
    h.gc_prev.get() & PREV_MASK
}

fn set_next(h: &PyGCHead, n: usize) {
    h.gc_next.set(n);
}

fn set_prev(h: &PyGCHead, p: usize) {
    h.gc_prev.set((h.gc_prev.get() & !PREV_MASK) | p);
}

fn list_init(h: &PyGCHead) {
    h.gc_next.set(addr(h));
    h.gc_prev.set(addr(h));
}

fn list_is_empty(h: &PyGCHead) -> bool {
    next(h) == addr(h)
}

fn list_append(node: &PyGCHead, list: &PyGCHead) {
    let last = head(prev(list));
    set_next(last, addr(node));
    set_prev(node, addr(last));
    set_next(node, addr(list));
    list.gc_prev.set(addr(node));
}

fn list_remove(node: &PyGCHead) {
    let (p, n) = (head(prev(node)), head(next(node)));
    set_next(p, addr(n));
    set_prev(n, addr(p));
    node.gc_next.set(0);
}

fn list_move(node: &PyGCHead, list: &PyGCHead) {
    let (p, n) = (head(prev(node)), head(next(node)));
    set_next(p, addr(n));
    set_prev(n, addr(p));
    list_append(node, list);
}

fn list_merge(from: &PyGCHead, to: &PyGCHead) {
    if !list_is_empty(from) {
        let to_tail = head(prev(to));
        let from_head = head(next(from));
        let from_tail = head(prev(from));
        set_next(to_tail, addr(from_head));
        set_prev(from_head, addr(to_tail));
        set_next(from_tail, addr(to));
        set_prev(to, addr(from_tail));
    }
    list_init(from);
}

fn list_size(list: &PyGCHead) -> usize {
    let mut n = 0;
    let mut g = next(list);
    while g != addr(list) {
        n += 1;
        g = next(head(g));
    }
    n
}

fn gc_refs(h: &PyGCHead) -> usize {
    h.gc_prev.get() >> PREV_SHIFT
}

fn set_refs(h: &PyGCHead, refs: usize) {
    h.gc_prev
        .set((h.gc_prev.get() & !PREV_MASK) | (refs << PREV_SHIFT));
}

fn reset_refs(h: &PyGCHead, refs: usize) {
    h.gc_prev
        .set((h.gc_prev.get() & PREV_MASK_FINALIZED) | PREV_MASK_COLLECTING | (refs << PREV_SHIFT));
}

fn is_collecting(h: &PyGCHead) -> bool {
    h.gc_prev.get() & PREV_MASK_COLLECTING != 0
}

fn clear_collecting(h: &PyGCHead) {
    h.gc_prev.set(h.gc_prev.get() & !PREV_MASK_COLLECTING);
}

/// `update_refs` for one object: gc_refs = ob_refcnt, and the COLLECTING flag.
fn init_refs(h: &PyGCHead, op: NonNull<PyObject>) {
    // SAFETY: a tracked object's header is live.
    let rc = unsafe { op.as_ref().ob_refcnt.get() };
    debug_assert!(rc > 0);
    reset_refs(h, rc as usize);
}

/// `ob_refcnt` of a tracked object.
fn refcnt(op: NonNull<PyObject>) -> isize {
    // SAFETY: callers pass tracked objects, which are live.
    unsafe { op.as_ref().ob_refcnt.get() }
}

fn decref_refs(h: &PyGCHead) {
    h.gc_prev.set(h.gc_prev.get() - (1 << PREV_SHIFT));
}

// ---- objects and heads ----

fn type_of(op: NonNull<PyObject>) -> &'static TypeObject {
    // SAFETY: live objects point at static type descriptors.
    unsafe { &*op.as_ref().ob_type.get() }
}

fn as_gc<'a>(op: NonNull<PyObject>) -> &'a PyGCHead {
    // SAFETY: GC objects are allocated with their head right before them.
    unsafe { op.cast::<PyGCHead>().sub(1).as_ref() }
}

fn from_gc(a: usize) -> NonNull<PyObject> {
    NonNull::new((a + GC_HEAD_SIZE) as *mut PyObject).expect("non-null head")
}

fn is_gc_object(op: NonNull<PyObject>) -> bool {
    type_of(op).is_gc()
}

/// `_PyObject_GC_IS_TRACKED` on a raw object the crate's own code holds (`op` must be live:
/// not public, since it reads through the pointer; outside code has [`is_tracked`]).
pub(crate) fn is_tracked_ptr(op: NonNull<PyObject>) -> bool {
    is_gc_object(op) && as_gc(op).gc_next.get() != 0
}

/// `gc.is_tracked(obj)`.
pub fn is_tracked(o: &Obj) -> bool {
    is_tracked_ptr(o.as_ptr())
}

/// `_PyObject_GC_MAY_BE_TRACKED`: a GC object, and for a tuple, currently tracked.
pub(crate) fn may_be_tracked(op: NonNull<PyObject>) -> bool {
    if !is_gc_object(op) {
        return false;
    }
    if type_of(op).gc_untrack == GcUntrack::WhenScanned {
        return is_tracked_ptr(op);
    }
    true
}

/// `_PyObject_GC_TRACK`: append to generation 0.
pub(crate) fn track(op: NonNull<PyObject>) {
    debug_assert!(is_gc_object(op));
    let g = as_gc(op);
    debug_assert_eq!(g.gc_next.get(), 0, "object already tracked");
    runtime::with(|rt| {
        let gen0 = &rt.gc.heads[0];
        let last = head(prev(gen0));
        set_next(last, addr(g));
        g.gc_prev.set(addr(last));
        g.gc_next.set(addr(gen0));
        gen0.gc_prev.set(addr(g));
    });
}

/// `PyObject_GC_Track` for a type defined outside this crate (the crate's own types track
/// their objects themselves): start tracking `o`, in generation 0.
///
/// # Panics
/// If `o`'s type is not a GC type ([`TypeObject::is_gc`]) or `o` is tracked already.
pub fn track_object(o: &Obj) {
    let op = o.as_ptr();
    assert!(is_gc_object(op), "{} is not a GC type", o.type_name());
    assert!(!is_tracked_ptr(op), "the object is tracked already");
    track(op);
}

/// `PyObject_GC_UnTrack` from the `tp_dealloc` of a type defined outside this crate (a
/// no-op when untracked).
///
/// # Safety
/// `op` is a live object of a GC type (its GC head is valid).
pub unsafe fn untrack_object(op: NonNull<PyObject>) {
    debug_assert!(is_gc_object(op));
    untrack(op);
}

/// `PyObject_GC_UnTrack` (a no-op when untracked).
pub(crate) fn untrack(op: NonNull<PyObject>) {
    let g = as_gc(op);
    if g.gc_next.get() != 0 {
        list_remove(g);
        g.gc_prev.set(g.gc_prev.get() & PREV_MASK_FINALIZED);
    }
}

/// Called by the allocator for every new GC object (`_PyObject_GC_Link`): count it, and
/// collect when generation 0 passes its threshold.
pub fn on_gc_alloc() {
    let due = runtime::try_with(|rt| {
        let gc = &rt.gc;
        let c = gc.count[0].get() + 1;
        gc.count[0].set(c);
        c > gc.threshold[0].get()
            && gc.enabled.get()
            && gc.threshold[0].get() != 0
            && !gc.collecting.get()
    })
    .unwrap_or(false);
    if due {
        runtime::with(|rt| rt.gc.collecting.set(true));
        collect_generations();
        runtime::with(|rt| rt.gc.collecting.set(false));
    }
}

/// Called when a GC object's memory is released (`PyObject_GC_Del`). The runner also calls
/// this pair for the GC objects CPython makes that it does not build in memory (iterators,
/// function objects), so that generation counts and automatic collections line up.
pub fn on_gc_free() {
    runtime::try_with(on_gc_free_in);
}

/// [`on_gc_free`] with the runtime at hand.
#[inline]
pub(crate) fn on_gc_free_in(rt: &runtime::Runtime) {
    let c = &rt.gc.count[0];
    if c.get() > 0 {
        c.set(c.get() - 1);
    }
}

/// `gc_collect_generations`: the oldest generation over its threshold (a full collection
/// only when enough long-lived objects are pending).
fn collect_generations() -> usize {
    let choice = runtime::with(|rt| {
        let gc = &rt.gc;
        (0..NUM_GENERATIONS).rev().find(|&i| {
            gc.count[i].get() > gc.threshold[i].get()
                && !(i == NUM_GENERATIONS - 1
                    && gc.long_lived_pending.get() < gc.long_lived_total.get() / 4)
        })
    });
    choice.map_or(0, |g| collect_main(g, true))
}

/// `gc.collect(generation)`: collect `generation` and the younger ones; returns the number
/// of unreachable objects found. 0 if a collection is already running.
///
/// Reference counting alone never frees a cycle; the collector does:
///
/// ```
/// use pylayout::gc;
/// use pylayout::types::list::PyList;
///
/// gc::collect(2); // start from a clean heap
/// let blocks = pylayout::runtime::allocated_blocks();
///
/// // a = []; b = [a]; a.append(b); del a, b
/// let a = PyList::new();
/// let b = PyList::with_items(vec![a.as_obj().clone()]);
/// a.append(b.as_obj().clone());
/// assert_eq!((a.as_obj().refcnt(), b.as_obj().refcnt()), (2, 2));
/// drop((a, b));
/// // Each list still holds the other: nothing was freed.
/// assert!(pylayout::runtime::allocated_blocks() > blocks);
///
/// assert_eq!(gc::collect(2), 2); // two unreachable objects found ...
/// assert_eq!(pylayout::runtime::allocated_blocks(), blocks); // ... and freed
/// assert_eq!(gc::collect(2), 0);
/// ```
pub fn collect(generation: usize) -> usize {
    assert!(generation < NUM_GENERATIONS, "invalid generation");
    let busy = runtime::with(|rt| rt.gc.collecting.replace(true));
    if busy {
        return 0;
    }
    let n = collect_main(generation, false);
    runtime::with(|rt| rt.gc.collecting.set(false));
    n
}

/// `gc.get_referents(o)`: the objects `o`'s `tp_traverse` visits, in its order (a list's
/// and a tuple's last item first; a dict's values, and its keys too unless all are str);
/// nothing for an object whose type is not a GC type.
pub fn referents(o: &Obj) -> Vec<Obj> {
    let mut out = Vec::new();
    if let Some(t) = o.type_object().tp_traverse {
        // SAFETY: `o` is live (an `Obj` holds a reference) and of this type; each visited
        // pointer is a strong reference `o` holds, live while `o` is, taken as a new
        // reference at once.
        unsafe { t(o.as_ptr(), &mut |p| out.push(Obj::from_borrowed(p))) };
    }
    out
}

fn traverse(op: NonNull<PyObject>, visit: &mut dyn FnMut(NonNull<PyObject>)) {
    if let Some(t) = type_of(op).tp_traverse {
        // SAFETY: op is a live tracked object of this type (the traverse contract).
        unsafe { t(op, visit) };
    }
}

/// [`traverse`] through the type's item array when it has one ([`TypeObject::gc_items`]:
/// lists and tuples), in `tp_traverse`'s order (last first), without a call per item: the
/// collector's hot loops.
#[inline]
fn traverse_fast(op: NonNull<PyObject>, mut visit: impl FnMut(NonNull<PyObject>)) {
    match type_of(op).gc_items {
        Some(items) => {
            // SAFETY: op is a live tracked object of this type (the gc_items contract); the
            // array holds `n` owned references or NULL and is not mutated while visiting.
            unsafe {
                let (array, n) = items(op);
                for i in (0..n).rev() {
                    if let Some(p) = NonNull::new(*array.add(i)) {
                        visit(p);
                    }
                }
            }
        }
        None => traverse(op, &mut visit),
    }
}

/// `gc_collect_main`.
fn collect_main(generation: usize, automatic: bool) -> usize {
    let start = Instant::now();
    let blocks_before = (!automatic).then(runtime::allocated_blocks);
    let (young, old, unreachable) = runtime::with(|rt| {
        let gc = &rt.gc;
        if generation + 1 < NUM_GENERATIONS {
            gc.count[generation + 1].set(gc.count[generation + 1].get() + 1);
        }
        for i in 0..=generation {
            gc.count[i].set(0);
        }
        for i in 0..generation {
            list_merge(&gc.heads[i], &gc.heads[generation]);
        }
        let young = addr(&gc.heads[generation]);
        let old = if generation < NUM_GENERATIONS - 1 {
            addr(&gc.heads[generation + 1])
        } else {
            young
        };
        (young, old, addr(&gc.unreachable))
    });
    let (young_h, old_h, unr) = (head(young), head(old), head(unreachable));
    list_init(unr);
    let mut examined = 0;

    let full = generation == NUM_GENERATIONS - 1;
    if full {
        // update_refs and subtract_refs in one pass: in a full collection every tracked
        // object is in the set, so a tracked child is a member and can have its gc_refs
        // initialised on first sight (the COLLECTING flag says whether it was).
        let mut g = next(young_h);
        while g != young {
            examined += 1;
            let h = head(g);
            let op = from_gc(g);
            if !is_collecting(h) {
                init_refs(h, op);
            }
            traverse_fast(op, |child| {
                if is_gc_object(child) {
                    let ch = as_gc(child);
                    if ch.gc_next.get() != 0 {
                        if !is_collecting(ch) {
                            init_refs(ch, child);
                        }
                        decref_refs(ch);
                    }
                }
            });
            g = next(h);
        }
    } else {
        // update_refs
        let mut g = next(young_h);
        while g != young {
            examined += 1;
            let h = head(g);
            init_refs(h, from_gc(g));
            g = next(h);
        }
        // subtract_refs
        let mut g = next(young_h);
        while g != young {
            traverse_fast(from_gc(g), |child| {
                if is_gc_object(child) {
                    let ch = as_gc(child);
                    if is_collecting(ch) {
                        decref_refs(ch);
                    }
                }
            });
            g = next(head(g));
        }
    }
    // move_unreachable, with untrack_tuples folded in: the reachable objects are scanned
    // exactly once each, in their final order, so checking a tuple when it is scanned sees
    // the same earlier tuples untracked as CPython's separate pass does. Dicts (full
    // collections) are checked after the scan, when every tuple has had its turn, as
    // `untrack_dicts` runs after `untrack_tuples`.
    let mut prev_a = young;
    let mut reachable = 0;
    let mut untracked = 0;
    let mut dicts: Vec<NonNull<PyObject>> = Vec::new();
    let mut g = next(young_h);
    while g != young {
        let h = head(g);
        if gc_refs(h) > 0 {
            let op = from_gc(g);
            traverse_fast(op, |child| visit_reachable(child, young_h));
            let tp = type_of(op);
            if tp.gc_untrack == GcUntrack::WhenScanned && may_untrack(op) {
                // Unlink from the reachable chain and untrack.
                set_next(head(prev_a), h.gc_next.get());
                h.gc_next.set(0);
                h.gc_prev.set(h.gc_prev.get() & PREV_MASK_FINALIZED);
                untracked += 1;
            } else {
                if full && tp.gc_untrack == GcUntrack::FullCollection {
                    dicts.push(op);
                }
                reachable += 1;
                set_prev(h, prev_a);
                clear_collecting(h);
                prev_a = g;
            }
        } else {
            set_next(head(prev_a), h.gc_next.get());
            let last = head(prev(unr));
            last.gc_next.set(NEXT_MASK_UNREACHABLE | g);
            set_prev(h, addr(last));
            h.gc_next.set(NEXT_MASK_UNREACHABLE | unreachable);
            unr.gc_prev.set(g);
        }
        g = next(head(prev_a));
    }
    young_h.gc_prev.set(prev_a);
    unr.gc_next.set(unr.gc_next.get() & !NEXT_MASK_UNREACHABLE);
    let found = examined - reachable - untracked;

    // Promote survivors, or (full collection) untrack dicts and reset the long-lived counts.
    let survivors = reachable;
    let promoted = if young != old {
        if generation == NUM_GENERATIONS - 2 {
            runtime::with(|rt| {
                let p = &rt.gc.long_lived_pending;
                p.set(p.get() + survivors as isize);
            });
        }
        list_merge(young_h, old_h);
        survivors
    } else {
        let mut n = 0;
        for op in dicts {
            if may_untrack(op) {
                untrack(op);
                n += 1;
            }
        }
        untracked += n;
        runtime::with(|rt| {
            rt.gc.long_lived_pending.set(0);
            rt.gc
                .long_lived_total
                .set((survivors - n) as isize + rt.gc.phantom_long_lived.get());
        });
        0
    };

    // move_legacy_finalizers: none here. The objects in `unreachable` keep their
    // NEXT_MASK_UNREACHABLE flags: every reader masks them (`next`), and each object leaves
    // the list through `untrack` or `list_move`, which rewrite the links.
    delete_garbage(unr, old_h);
    if generation == NUM_GENERATIONS - 1 {
        runtime::clear_freelists();
    }
    let freed = blocks_before.map(|b| b.saturating_sub(runtime::allocated_blocks()));
    runtime::with(|rt| {
        let mut s = rt.gc.stats.borrow_mut();
        s[generation].collections += 1;
        s[generation].collected += found as u64;
        *rt.gc.last.borrow_mut() = Some(CollectionReport {
            generation,
            automatic,
            examined,
            unreachable: found,
            freed,
            promoted,
            untracked,
            time: start.elapsed(),
        });
    });
    found
}

/// `visit_reachable`.
fn visit_reachable(op: NonNull<PyObject>, reachable: &PyGCHead) {
    if !is_gc_object(op) {
        return;
    }
    let h = as_gc(op);
    if !is_collecting(h) {
        return;
    }
    debug_assert_ne!(h.gc_next.get(), 0);
    if h.gc_next.get() & NEXT_MASK_UNREACHABLE != 0 {
        // Reachable after all: unlink from `unreachable` by hand (flags in the links).
        let p = head(prev(h));
        let n = head(h.gc_next.get() & !NEXT_MASK_UNREACHABLE);
        p.gc_next.set(h.gc_next.get());
        set_prev(n, addr(p));
        list_append(h, reachable);
        set_refs(h, 1);
    } else if gc_refs(h) == 0 {
        set_refs(h, 1);
    }
}

/// `_PyTuple_MaybeUntrack` / `_PyDict_MaybeUntrack`: nothing the object refers to (items;
/// keys and values) may be tracked.
fn may_untrack(op: NonNull<PyObject>) -> bool {
    // A tuple with a NULL slot is still being built (`PySequence_Tuple`): kept tracked.
    if let Some(items) = type_of(op).gc_items {
        // SAFETY: op is a live tracked object of this type (the gc_items contract).
        let (array, n) = unsafe { items(op) };
        // SAFETY: the array has n slots.
        if (0..n).any(|i| unsafe { (*array.add(i)).is_null() }) {
            return false;
        }
    }
    let mut ok = true;
    traverse(op, &mut |child| ok &= !may_be_tracked(child));
    ok
}

/// `delete_garbage`: clear each unreachable object; those still alive afterwards go to `old`.
fn delete_garbage(collectable: &PyGCHead, old: &PyGCHead) {
    while !list_is_empty(collectable) {
        let g = next(collectable);
        let op = from_gc(g);
        if let Some(clear) = type_of(op).tp_clear {
            // Hold a reference while clearing (Py_INCREF / Py_DECREF around tp_clear).
            // SAFETY: op is a live tracked object.
            let keep = unsafe { Obj::from_borrowed(op) };
            // SAFETY: op is live and of this type; clear drops the references it owns.
            unsafe { clear(op) };
            drop(keep);
        }
        if next(collectable) == g {
            let h = head(g);
            clear_collecting(h);
            list_move(h, old);
        }
    }
}

/// `gc.get_count()`.
pub fn get_count() -> [isize; NUM_GENERATIONS] {
    runtime::with(|rt| std::array::from_fn(|i| rt.gc.count[i].get()))
}

/// `gc.get_threshold()`.
pub fn get_threshold() -> [isize; NUM_GENERATIONS] {
    runtime::with(|rt| std::array::from_fn(|i| rt.gc.threshold[i].get()))
}

/// `gc.set_threshold(t0[, t1[, t2]])`.
pub fn set_threshold(t: &[isize]) {
    runtime::with(|rt| {
        for (i, &v) in t.iter().take(NUM_GENERATIONS).enumerate() {
            rt.gc.threshold[i].set(v);
        }
    });
}

/// Set the generation counts (the runner starts a script from CPython's counts at the first
/// line of a script).
pub fn set_counts(c: [isize; NUM_GENERATIONS]) {
    runtime::with(|rt| {
        for (i, v) in c.iter().enumerate() {
            rt.gc.count[i].set(*v);
        }
    });
}

/// `gc.enable()`.
pub fn enable() {
    runtime::with(|rt| rt.gc.enabled.set(true));
}

/// `gc.disable()`.
pub fn disable() {
    runtime::with(|rt| rt.gc.enabled.set(false));
}

/// `gc.isenabled()`.
pub fn isenabled() -> bool {
    runtime::with(|rt| rt.gc.enabled.get())
}

/// `gc.get_stats()`.
pub fn get_stats() -> [GenStats; NUM_GENERATIONS] {
    runtime::with(|rt| *rt.gc.stats.borrow())
}

/// Count `n` more long-lived objects after each full collection than this runtime holds:
/// the runner mirrors a CPython whose start-up left ~11,000 tracked objects in the oldest
/// generation, which decide when the next automatic full collection is due
/// (`long_lived_pending > long_lived_total / 4`).
pub fn set_phantom_long_lived(n: isize) {
    runtime::with(|rt| rt.gc.phantom_long_lived.set(n));
}

/// Set the per-generation statistics (the runner starts from CPython's start-up numbers).
pub fn set_stats(s: [GenStats; NUM_GENERATIONS]) {
    runtime::with(|rt| *rt.gc.stats.borrow_mut() = s);
}

/// The report of the most recent collection.
pub fn last_collection() -> Option<CollectionReport> {
    runtime::with(|rt| rt.gc.last.borrow().clone())
}

/// Number of objects tracked in each generation.
pub fn generation_sizes() -> [usize; NUM_GENERATIONS] {
    runtime::with(|rt| std::array::from_fn(|i| list_size(&rt.gc.heads[i])))
}

/// The objects on generation `g`'s list, in list order.
fn generation_members(g: usize) -> Vec<NonNull<PyObject>> {
    runtime::with(|rt| {
        let h = &rt.gc.heads[g];
        let mut out = Vec::new();
        let mut a = next(h);
        while a != addr(h) {
            out.push(from_gc(a));
            a = next(head(a));
        }
        out
    })
}

/// The tracked objects of each generation counted by type name (`len(gc.get_objects(g))`
/// split by `type(o).__name__`), most common first, then by name.
pub fn tracked_by_type() -> [Vec<(&'static str, usize)>; NUM_GENERATIONS] {
    std::array::from_fn(|g| {
        let mut counts: Vec<(&'static str, usize)> = Vec::new();
        for op in generation_members(g) {
            let name = type_of(op).tp_name;
            match counts.iter_mut().find(|(n, _)| *n == name) {
                Some((_, c)) => *c += 1,
                None => counts.push((name, 1)),
            }
        }
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        counts
    })
}

/// `(long_lived_total, long_lived_pending)`: a full collection is due automatically only
/// when generation 2 is over its threshold and `pending > total / 4`.
pub fn long_lived() -> (isize, isize) {
    runtime::with(|rt| (rt.gc.long_lived_total.get(), rt.gc.long_lived_pending.get()))
}

/// Call `f` with a handle to each object of `ids` (`id()` values) that is tracked right now;
/// ids of untracked or dead objects are skipped. Every listed object is held (one extra
/// reference each) until the last call returns, so `f` may do anything with them.
pub fn visit_tracked(ids: &[usize], mut f: impl FnMut(usize, &Obj)) {
    let tracked: std::collections::HashSet<usize> = (0..NUM_GENERATIONS)
        .flat_map(generation_members)
        .map(|op| op.as_ptr() as usize)
        .collect();
    let held: Vec<Obj> = ids
        .iter()
        .filter(|id| tracked.contains(id))
        .map(|&id| {
            let op = NonNull::new(id as *mut PyObject).expect("tracked objects are non-null");
            // SAFETY: `id` is the address of an object on a generation list: tracked, so live.
            unsafe { Obj::from_borrowed(op) }
        })
        .collect();
    for o in &held {
        f(o.id(), o);
    }
}
