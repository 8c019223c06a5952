//! Cost counters: what each container operation did, so `grow` and the cost views can show
//! element moves, bytes copied, (re)allocations, probes and hash computations.
//!
//! Container counters live in the thread's runtime as plain `Cell<u64>` increments (a few
//! per operation, not per byte); allocation counters come from pymalloc's own
//! [`AllocCounters`](crate::alloc::pymalloc::AllocCounters). Take a [`snapshot`] before and
//! after, or use [`measure`].

use std::cell::Cell;
use std::ops::Sub;

use serde::Serialize;

use crate::runtime;

/// The running counters of one runtime.
#[derive(Debug, Default)]
pub(crate) struct CostCounters {
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

fn bump(f: impl FnOnce(&CostCounters) -> &Cell<u64>, n: u64) {
    runtime::with(|rt| {
        let c = f(&rt.costs);
        c.set(c.get() + n);
    });
}

/// Count `n` item moves of `item_size` bytes each.
pub(crate) fn moved(n: usize, item_size: usize) {
    if n > 0 {
        bump(|c| &c.item_moves, n as u64);
        bump(|c| &c.bytes_copied, (n * item_size) as u64);
    }
}

/// Count `n` bytes copied by a reallocation that moved its block.
pub(crate) fn copied(n: usize) {
    bump(|c| &c.bytes_copied, n as u64);
}

/// Count `n` probes of a hash table.
#[allow(dead_code)] // used by dict (next)
pub(crate) fn probed(n: usize) {
    bump(|c| &c.probes, n as u64);
}

/// Count one hash computation.
#[allow(dead_code)] // used by dict and str (next)
pub(crate) fn hashed() {
    bump(|c| &c.hash_calls, 1);
}

/// The current counters of this thread's runtime.
pub fn snapshot() -> Costs {
    let a = runtime::with_heap(|h| h.counters());
    runtime::with(|rt| {
        let c = &rt.costs;
        Costs {
            item_moves: c.item_moves.get(),
            bytes_copied: c.bytes_copied.get(),
            probes: c.probes.get(),
            hash_calls: c.hash_calls.get(),
            allocs: a.mallocs,
            frees: a.frees,
            reallocs: a.reallocs,
            reallocs_moved: a.reallocs_moved,
        }
    })
}

/// Run `f` and return what it cost.
pub fn measure<R>(f: impl FnOnce() -> R) -> (R, Costs) {
    let before = snapshot();
    let r = f();
    (r, snapshot() - before)
}
