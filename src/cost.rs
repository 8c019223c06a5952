//! Cost counters: what each container operation did, so `grow` and the cost views can show
//! element moves, bytes copied, (re)allocations, probes and hash computations.
//!
//! Container counters are per thread (as the runtime is) and live in a `const` thread-local
//! of plain `Cell<u64>`s: a bump is one add at a fixed offset from the thread pointer, with no
//! lazy-initialisation check (a few per operation, not per byte); allocation counters come from pymalloc's own
//! [`AllocCounters`](crate::alloc::pymalloc::AllocCounters). Take a [`snapshot`] before and
//! after, or use [`measure`].
//!
//! ```
//! use pylayout::cost::measure;
//! use pylayout::types::int::PyInt;
//! use pylayout::types::list::PyList;
//! use pylayout::types::str::PyStr;
//!
//! let l = PyList::new();
//! for i in 0..5 {
//!     l.append(PyInt::from_i64(i).into_obj());
//! }
//! assert_eq!(l.allocated(), 8);
//! // `l.insert(0, x)` with room to spare: no reallocation, but all 5 items shift right.
//! let x = PyInt::from_i64(9).into_obj();
//! let ((), c) = measure(|| l.insert(0, x));
//! assert_eq!((c.item_moves, c.bytes_copied, c.allocs, c.reallocs), (5, 40, 0, 0));
//!
//! // A str hashes once; later hashes read the cached value.
//! let s = PyStr::new("hello");
//! assert_eq!(measure(|| s.hash()).1.hash_calls, 1);
//! assert_eq!(measure(|| s.hash()).1.hash_calls, 0);
//! ```

use std::cell::Cell;
use std::ops::Sub;

use serde::Serialize;

use crate::runtime;

/// The running counters of one thread (one runtime).
#[derive(Debug)]
struct CostCounters {
    item_moves: Cell<u64>,
    bytes_copied: Cell<u64>,
    probes: Cell<u64>,
    hash_calls: Cell<u64>,
}

/// A snapshot of all counters (or, after subtraction, what happened in between).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Costs {
    /// Item pointers moved inside a container (memmove of `ob_item`, entry copies).
    pub item_moves: u64,
    /// Bytes copied by those moves and by reallocations that moved the block.
    pub bytes_copied: u64,
    /// Hash-table slots inspected.
    pub probes: u64,
    /// Hashes computed (cached string hashes are not counted again).
    pub hash_calls: u64,
    /// `malloc`/`calloc` calls (pool or system).
    pub allocs: u64,
    /// `free` calls.
    pub frees: u64,
    /// `realloc` calls.
    pub reallocs: u64,
    /// Reallocations that moved the block (its contents were copied).
    pub reallocs_moved: u64,
}

impl Sub for Costs {
    type Output = Costs;
    fn sub(self, o: Costs) -> Costs {
        Costs {
            item_moves: self.item_moves - o.item_moves,
            bytes_copied: self.bytes_copied - o.bytes_copied,
            probes: self.probes - o.probes,
            hash_calls: self.hash_calls - o.hash_calls,
            allocs: self.allocs - o.allocs,
            frees: self.frees - o.frees,
            reallocs: self.reallocs - o.reallocs,
            reallocs_moved: self.reallocs_moved - o.reallocs_moved,
        }
    }
}

thread_local! {
    static COSTS: CostCounters = const {
        CostCounters {
            item_moves: Cell::new(0),
            bytes_copied: Cell::new(0),
            probes: Cell::new(0),
            hash_calls: Cell::new(0),
        }
    };
}

#[inline(always)]
fn bump(f: impl FnOnce(&CostCounters) -> &Cell<u64>, n: u64) {
    COSTS.with(|costs| {
        let c = f(costs);
        c.set(c.get() + n);
    });
}

/// Count `n` item moves of `item_size` bytes each.
#[inline]
pub(crate) fn moved(n: usize, item_size: usize) {
    if n > 0 {
        COSTS.with(|c| {
            c.item_moves.set(c.item_moves.get() + n as u64);
            c.bytes_copied
                .set(c.bytes_copied.get() + (n * item_size) as u64);
        });
    }
}

/// Count `n` bytes copied by a reallocation that moved its block.
#[inline]
pub(crate) fn copied(n: usize) {
    bump(|c| &c.bytes_copied, n as u64);
}

/// Count `n` probes of a hash table.
#[inline]
pub(crate) fn probed(n: usize) {
    bump(|c| &c.probes, n as u64);
}

/// Count one hash computation.
#[inline]
pub(crate) fn hashed() {
    bump(|c| &c.hash_calls, 1);
}

/// The current counters of this thread's runtime.
pub fn snapshot() -> Costs {
    let a = runtime::with_heap(|h| h.counters());
    COSTS.with(|c| Costs {
        item_moves: c.item_moves.get(),
        bytes_copied: c.bytes_copied.get(),
        probes: c.probes.get(),
        hash_calls: c.hash_calls.get(),
        allocs: a.mallocs,
        frees: a.frees,
        reallocs: a.reallocs,
        reallocs_moved: a.reallocs_moved,
    })
}

/// Run `f` and return what it cost.
pub fn measure<R>(f: impl FnOnce() -> R) -> (R, Costs) {
    let before = snapshot();
    let r = f();
    (r, snapshot() - before)
}
