//! A counting wrapper around the system allocator, for the peers' allocation costs.
//!
//! The `pylayout` binary (and the cost tests) install it as the global allocator:
//!
//! ```ignore
//! #[global_allocator]
//! static ALLOC: pylayout::peers::counting::CountingAlloc = pylayout::peers::counting::CountingAlloc;
//! ```
//!
//! Every call is counted per thread (a `const` thread-local: no allocation, no destructor, a
//! few instructions). The bytes held are tracked only while [`track_bytes`] is on, because
//! asking glibc for a block's usable size costs more than the count itself.
//!
//! Also here: allocator batches ([`pymalloc_batch`], [`system_batch`]) — `count` blocks of one
//! size allocated, then all freed, pymalloc against the C library's `malloc`/`free` (what
//! CPython's `PyMem_RawMalloc` calls) with nothing else around.
//!
//! Unsafe: a `GlobalAlloc` is an unsafe trait; each method forwards to `System`. The batches
//! call `malloc`/`free` and pymalloc's raw `malloc`/`free` directly.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::alloc::Pymalloc;

/// The global allocator wrapper: `System`, counted.
#[derive(Clone, Copy, Debug, Default)]
pub struct CountingAlloc;

/// Counts of this thread's calls to the global allocator.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SystemCounts {
    /// `alloc` / `alloc_zeroed` calls.
    pub allocs: u64,
    /// `dealloc` calls.
    pub frees: u64,
    /// `realloc` calls.
    pub reallocs: u64,
    /// Of those, how many returned a different address (the data was copied).
    pub reallocs_moved: u64,
    /// Bytes held while tracking was on: `malloc_usable_size` plus the chunk header, per
    /// block allocated minus per block freed (signed: blocks from before tracking may be freed).
    pub held_bytes: i64,
}

thread_local! {
    static COUNTS: Cell<SystemCounts> = const {
        Cell::new(SystemCounts { allocs: 0, frees: 0, reallocs: 0, reallocs_moved: 0, held_bytes: 0 })
    };
    static TRACK: Cell<bool> = const { Cell::new(false) };
}

static INSTALLED: AtomicBool = AtomicBool::new(false);

/// Whether the running program installed [`CountingAlloc`] (it has counted a call).
pub fn installed() -> bool {
    INSTALLED.load(Ordering::Relaxed)
}

/// This thread's counts so far.
pub fn counts() -> SystemCounts {
    COUNTS.with(Cell::get)
}

/// Turn byte tracking on or off for this thread.
pub fn track_bytes(on: bool) {
    TRACK.with(|t| t.set(on));
}

fn update(f: impl FnOnce(&mut SystemCounts)) {
    // try_with: the allocator is called during thread teardown too.
    let _ = COUNTS.try_with(|c| {
        let mut v = c.get();
        f(&mut v);
        c.set(v);
    });
}

fn tracking() -> bool {
    TRACK.try_with(Cell::get).unwrap_or(false)
}

/// The bytes glibc holds for a live block.
///
/// # Safety
/// `p` is a live block of the system allocator.
unsafe fn held(p: *mut u8) -> i64 {
    // SAFETY: the caller guarantees p is live in the C allocator (System uses malloc or
    // posix_memalign on Linux; both blocks answer malloc_usable_size).
    unsafe { crate::alloc::system_reserved_bytes(p) as i64 }
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged, so
// `System`'s guarantees are ours; the counting touches only thread-local `Cell`s.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds GlobalAlloc::alloc's contract, passed on unchanged.
        let p = unsafe { System.alloc(layout) };
        if !INSTALLED.load(Ordering::Relaxed) {
            INSTALLED.store(true, Ordering::Relaxed);
        }
        if !p.is_null() {
            // SAFETY: p was just returned live by System.
            let bytes = if tracking() { unsafe { held(p) } } else { 0 };
            update(|c| {
                c.allocs += 1;
                c.held_bytes += bytes;
            });
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for alloc.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            // SAFETY: p was just returned live by System.
            let bytes = if tracking() { unsafe { held(p) } } else { 0 };
            update(|c| {
                c.allocs += 1;
                c.held_bytes += bytes;
            });
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: ptr is live until the System.dealloc below (the caller's contract).
        let bytes = if tracking() { unsafe { held(ptr) } } else { 0 };
        update(|c| {
            c.frees += 1;
            c.held_bytes -= bytes;
        });
        // SAFETY: the caller upholds GlobalAlloc::dealloc's contract, passed on unchanged.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let track = tracking();
        // SAFETY: ptr is live until the System.realloc below (the caller's contract).
        let before = if track { unsafe { held(ptr) } } else { 0 };
        // SAFETY: the caller upholds GlobalAlloc::realloc's contract, passed on unchanged.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            // SAFETY: p was just returned live by System (ptr is no longer used).
            let after = if track { unsafe { held(p) } } else { 0 };
            update(|c| {
                c.reallocs += 1;
                c.reallocs_moved += u64::from(p != ptr);
                c.held_bytes += after - before;
            });
        }
        p
    }
}

/// Time `count` pymalloc allocations of `size` bytes followed by their frees.
pub fn pymalloc_batch(
    heap: &mut Pymalloc,
    size: usize,
    count: usize,
    ptrs: &mut Vec<*mut u8>,
) -> Duration {
    ptrs.clear();
    let start = Instant::now();
    for _ in 0..count {
        ptrs.push(heap.malloc(size));
    }
    for &p in ptrs.iter() {
        // SAFETY: each p was returned by this heap's malloc just above and is freed once.
        unsafe { heap.free(p) };
    }
    let t = start.elapsed();
    ptrs.clear();
    t
}

/// Time `count` C `malloc`s of `size` bytes followed by their `free`s.
pub fn system_batch(size: usize, count: usize, ptrs: &mut Vec<*mut u8>) -> Duration {
    ptrs.clear();
    let start = Instant::now();
    for _ in 0..count {
        // SAFETY: malloc has no preconditions; a null result is freed harmlessly below.
        ptrs.push(unsafe { libc::malloc(size) }.cast());
    }
    for &p in ptrs.iter() {
        // SAFETY: each p came from malloc above (or is null) and is freed once.
        unsafe { libc::free(p.cast()) };
    }
    let t = start.elapsed();
    ptrs.clear();
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_leave_nothing_allocated() {
        let mut heap = Pymalloc::new();
        let mut v = Vec::new();
        pymalloc_batch(&mut heap, 64, 1000, &mut v);
        assert_eq!(heap.allocated_blocks(), 0);
        system_batch(64, 1000, &mut v);
    }
}
