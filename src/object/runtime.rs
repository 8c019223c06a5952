//! The runtime: one per thread, like one interpreter (`PyInterpreterState` + `_PyRuntime`),
//! for what the object layer needs.
//!
//! It owns the pymalloc instance every object is allocated from, the trashcan, the cycle
//! collector's state, the hash key and the tracer. CPython keeps the same things in its
//! interpreter state; keeping them per thread lets tests run in parallel without sharing an
//! allocator, and makes every handle `!Send`.
//!
//! ```text
//!  Runtime (this module)
//!  ├── heap    pymalloc (arenas -> pools -> blocks) + the system allocator above 512 B
//!  ├── gc      generation lists (700/10/10), counts, stats of the cycle collector
//!  ├── trash   the trashcan's depth and its list of deferred deallocations
//!  ├── hash    the key of str hashes (PYTHONHASHSEED)
//!  └── tracer  who is told of allocations, frees and free-list traffic (`run --trace`)
//! ```
//!
//! The types' own state (small ints, the static strings and the interned table, the empty
//! tuple, free lists) lives one layer up, in [`crate::types::state`], which registers how
//! to empty its free lists here ([`register_freelist_clearer`]): a full collection and
//! [`clear_freelists`] call it without naming a type.
//!
//! [`RawBlock`] (a pymalloc block freed when dropped) lives in [`crate::object`], with the
//! layer's other unsafe code; it is re-exported here.

use std::cell::{Cell, RefCell};

use crate::alloc::{MallocStats, Pymalloc};
use crate::gc::GcState;
use crate::hash::HashSecret;
pub use crate::object::RawBlock;
use crate::object::TrashState;
use crate::profile::PyVersion;

/// The per-thread interpreter state of the object layer.
#[derive(Debug)]
pub struct Runtime {
    pub(crate) trash: TrashState,
    pub(crate) gc: GcState,
    hash_secret: Cell<HashSecret>,
    pub(crate) heap: RefCell<Pymalloc>,
    tracing: Cell<bool>,
    tracer: TracerSlot,
    freelist_clearer: Cell<Option<fn()>>,
}

/// The installed tracer (a closure: shown as present or not).
struct TracerSlot(RefCell<Option<Tracer>>);

impl std::fmt::Debug for TracerSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let on = self.0.try_borrow().map(|t| t.is_some()).unwrap_or(true);
        write!(f, "TracerSlot({})", if on { "installed" } else { "none" })
    }
}

/// What the object layer reports to a tracer (`pylayout run --trace`).
#[derive(Debug)]
pub enum TraceEvent {
    /// An object allocated from pymalloc (or the system allocator).
    Alloc {
        /// `tp_name`.
        type_name: &'static str,
        /// Bytes requested (GC head included).
        size: usize,
        /// The object's address.
        address: usize,
    },
    /// An object's memory given back.
    Free {
        /// `tp_name`.
        type_name: &'static str,
        /// The object's address.
        address: usize,
    },
    /// An object revived from its type's free list instead of allocated.
    Reuse {
        /// `tp_name`.
        type_name: &'static str,
        /// The object's address.
        address: usize,
    },
    /// A dead object kept on its type's free list instead of freed.
    Park {
        /// `tp_name`.
        type_name: &'static str,
        /// The object's address.
        address: usize,
    },
    /// A container's storage resized (`list_resize`, `dictresize`).
    Resize {
        /// `list` or `dict`.
        what: &'static str,
        /// The container's address.
        address: usize,
        /// Capacity before (list slots, or dict table size).
        old: usize,
        /// Capacity after.
        new: usize,
    },
    /// A string interned.
    Intern {
        /// The string's address.
        address: usize,
        /// Its text.
        text: String,
    },
}

/// A tracer: called for each event while installed. It must not touch the runtime.
pub type Tracer = Box<dyn FnMut(&TraceEvent)>;

impl Runtime {
    fn new() -> Runtime {
        Runtime {
            trash: TrashState::default(),
            gc: GcState::new(),
            hash_secret: Cell::new(HashSecret::ZERO),
            heap: RefCell::new(Pymalloc::new()),
            tracing: Cell::new(false),
            tracer: TracerSlot(RefCell::new(None)),
            freelist_clearer: Cell::new(None),
        }
    }
}

thread_local! {
    static RUNTIME: Runtime = Runtime::new();
    /// Outside `Runtime` and initialised as a constant: one thread-local load, no lazy
    /// initialisation check, on the paths that read it (an int's size, a str's header).
    static VERSION: Cell<PyVersion> = const { Cell::new(PyVersion::MODELLED) };
}

/// Run `f` with this thread's runtime.
///
/// # Panics
/// If called while the thread's runtime is being destroyed (thread exit).
#[inline(always)]
pub fn with<R>(f: impl FnOnce(&Runtime) -> R) -> R {
    RUNTIME.with(f)
}

/// Run `f` with this thread's pymalloc. `f` must not re-enter the runtime (it cannot: it only
/// sees the allocator).
///
/// # Panics
/// If called during thread teardown, after the runtime is destroyed.
#[inline(always)]
pub fn with_heap<R>(f: impl FnOnce(&mut Pymalloc) -> R) -> R {
    RUNTIME.with(|rt| f(&mut rt.heap.borrow_mut()))
}

/// Like [`with`] but `None` when the runtime is already destroyed (thread exit).
#[inline(always)]
pub(crate) fn try_with<R>(f: impl FnOnce(&Runtime) -> R) -> Option<R> {
    RUNTIME.try_with(f).ok()
}

/// Like [`with_heap`] but does nothing (returns `None`) when the runtime is already destroyed.
#[inline(always)]
pub(crate) fn try_with_heap<R>(f: impl FnOnce(&mut Pymalloc) -> R) -> Option<R> {
    RUNTIME.try_with(|rt| f(&mut rt.heap.borrow_mut())).ok()
}

/// The hash key of this thread's runtime (default: `PYTHONHASHSEED=0`).
pub fn hash_secret() -> HashSecret {
    with(|rt| rt.hash_secret.get())
}

/// Install (or remove) this thread's tracer.
pub fn set_tracer(t: Option<Tracer>) {
    if t.is_some() {
        ANY_TRACER.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    with(|rt| {
        rt.tracing.set(t.is_some());
        *rt.tracer.0.borrow_mut() = t;
    });
}

/// Whether any thread has a tracer installed: one relaxed load on the hot paths
/// (allocation, free lists) when nobody traces.
static ANY_TRACER: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Report an event to the tracer, if one is installed (`make` runs only then).
#[inline(always)]
pub(crate) fn trace(make: impl FnOnce() -> TraceEvent) {
    if !ANY_TRACER.load(std::sync::atomic::Ordering::Relaxed) {
        return;
    }
    trace_slow(make);
}

#[cold]
#[inline(never)]
fn trace_slow(make: impl FnOnce() -> TraceEvent) {
    let _ = try_with(|rt| {
        if rt.tracing.get()
            && let Ok(mut t) = rt.tracer.0.try_borrow_mut()
            && let Some(f) = t.as_mut()
        {
            f(&make());
        }
    });
}

/// Use the key CPython derives from `PYTHONHASHSEED=seed` for hashes computed from now on.
/// (Strings cache their hash: set the seed before creating any.)
pub fn set_hash_seed(seed: u32) {
    with(|rt| rt.hash_secret.set(HashSecret::from_seed(seed)));
}

/// The CPython version this thread's objects follow where a fact is chosen per run: the
/// list's growth policy ([`PyVersion::list_resize`]), the static objects' count and
/// immortality, the int's size field, the str header. Every other fact is
/// [`PyVersion::MODELLED`]'s. Set it before making any object on the thread.
pub fn set_version(version: PyVersion) {
    VERSION.with(|v| v.set(version));
    // The collector starts at the version's thresholds (3.13: 2000/10/10).
    crate::gc::set_threshold(&version.gc_thresholds());
}

/// The version set by [`set_version`] (default [`PyVersion::MODELLED`]).
#[inline(always)]
pub fn version() -> PyVersion {
    VERSION.with(Cell::get)
}

/// Everything `sys._debugmallocstats()` reports about this thread's pymalloc.
pub fn malloc_stats() -> MallocStats {
    with_heap(|h| h.stats())
}

/// Memory this thread's heap holds: arenas plus large blocks ([`Pymalloc::footprint_bytes`]).
pub fn heap_footprint() -> usize {
    with_heap(|h| h.footprint_bytes())
}

/// `sys.getallocatedblocks()`: blocks currently allocated (pools and system).
pub fn allocated_blocks() -> usize {
    with_heap(|h| h.allocated_blocks())
}

/// Empty every type free list, returning their blocks to pymalloc, as a full collection
/// does in CPython (`_PyGC_ClearAllFreeLists`). The types layer registered how
/// ([`register_freelist_clearer`]); before it has, there are no free lists to clear.
pub fn clear_freelists() {
    if let Some(clear) = with(|rt| rt.freelist_clearer.get()) {
        clear();
    }
}

/// Called once by the layer above, when its per-thread state is created: `clear` empties
/// every free list into this thread's heap (CPython's `_PyGC_ClearAllFreeLists` calls each
/// type's `_Py*_ClearFreeList`; here the object layer must not name the types).
pub fn register_freelist_clearer(clear: fn()) {
    with(|rt| rt.freelist_clearer.set(Some(clear)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_runtime_follows_its_versions_thresholds_and_counts() {
        std::thread::spawn(|| {
            assert_eq!(crate::gc::get_threshold(), [700, 10, 10]);
            set_version(PyVersion::Py313);
            assert_eq!(version(), PyVersion::Py313);
            assert_eq!(crate::gc::get_threshold(), [2000, 10, 10]);
            assert_eq!(
                crate::object::static_refcnt(),
                crate::object::IMMORTAL_REFCNT
            );
        })
        .join()
        .unwrap();
        // Another thread is untouched: 3.11.
        assert_eq!(version(), PyVersion::MODELLED);
    }
}
