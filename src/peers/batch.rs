//! Allocator batches: allocate `count` blocks of one size, then free them all — pymalloc
//! against the C library's `malloc`/`free` (what CPython's `PyMem_RawMalloc` calls).
//!
//! Unsafe: the batches call `malloc`/`free` and pymalloc's raw `malloc`/`free` directly.
#![allow(unsafe_code)]

use std::time::{Duration, Instant};

use crate::alloc::Pymalloc;

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
