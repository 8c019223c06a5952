//! AddressSanitizer's view of pymalloc's arenas (cargo feature `asan`).
//!
//! Arenas come from `mmap`, so AddressSanitizer sees each one as a single megabyte of valid
//! memory: a use after free, a read past an object's end or a double free inside a pool would
//! go unnoticed. With the feature on (the fuzz targets and CI's sanitizer run turn it on, and
//! the build must then be made with `-Zsanitizer=address`), the allocator tells ASan what is
//! really in use, as ASan's own allocator does for `malloc`:
//!
//! - a new arena is poisoned whole; a carved pool's header is unpoisoned;
//! - a block handed out is unpoisoned for exactly the bytes requested (not its size class);
//! - a freed block is poisoned whole; the allocator reads and writes its free-list link
//!   through [`read_link`] and [`write_link`], which open the first word for that access only;
//! - an arena is unpoisoned before it is unmapped, so a later mapping at the same address
//!   starts clean.
//!
//! Without the feature every function here is empty and inlined away.
//!
//! Unsafe: the AddressSanitizer interface is a set of C functions
//! (`__asan_poison_memory_region` and its pair), and [`read_link`]/[`write_link`] read and
//! write a free block's first word through a raw pointer.
#![allow(unsafe_code)]

use std::ptr;

#[cfg(feature = "asan")]
unsafe extern "C" {
    fn __asan_poison_memory_region(addr: *const u8, size: usize);
    fn __asan_unpoison_memory_region(addr: *const u8, size: usize);
}

/// Mark `[p, p + n)` as not addressable. Only ASan's shadow memory changes; nothing at `p` is
/// read or written.
#[inline(always)]
pub(crate) fn poison(p: *const u8, n: usize) {
    #[cfg(feature = "asan")]
    // SAFETY: the call only writes ASan's shadow for the range, which the callers pass inside
    // a live mapping of ours.
    unsafe {
        __asan_poison_memory_region(p, n)
    };
    let _ = (p, n);
}

/// Mark `[p, p + n)` as addressable again.
#[inline(always)]
pub(crate) fn unpoison(p: *const u8, n: usize) {
    #[cfg(feature = "asan")]
    // SAFETY: as in `poison`.
    unsafe {
        __asan_unpoison_memory_region(p, n)
    };
    let _ = (p, n);
}

/// The free-list link in the first word of the free block `bp`.
///
/// # Safety
/// `bp` is a free block of a live pool (at least 16 bytes, 16-aligned).
#[inline(always)]
pub(crate) unsafe fn read_link<T>(bp: *mut T) -> *mut T {
    let word = bp.cast::<*mut T>();
    unpoison(word.cast(), size_of::<*mut T>());
    // SAFETY: per the contract, bp's first word is in a live mapping and holds the link.
    let next = unsafe { ptr::read(word) };
    poison(word.cast(), size_of::<*mut T>());
    next
}

/// Write the free-list link into the first word of the free block `bp`.
///
/// # Safety
/// As [`read_link`].
#[inline(always)]
pub(crate) unsafe fn write_link<T>(bp: *mut T, next: *mut T) {
    let word = bp.cast::<*mut T>();
    unpoison(word.cast(), size_of::<*mut T>());
    // SAFETY: per the contract, bp's first word is in a live mapping of ours.
    unsafe { ptr::write(word, next) };
    poison(word.cast(), size_of::<*mut T>());
}

#[cfg(all(test, feature = "asan"))]
mod tests {
    use crate::alloc::Pymalloc;

    unsafe extern "C" {
        fn __asan_address_is_poisoned(addr: *const u8) -> i32;
    }

    fn poisoned(p: *const u8) -> bool {
        // SAFETY: the call only reads ASan's shadow for the address.
        unsafe { __asan_address_is_poisoned(p) != 0 }
    }

    #[test]
    fn only_the_requested_bytes_of_a_live_block_are_addressable() {
        let mut m = Pymalloc::new();
        let p = m.malloc(20); // a 32-byte block
        assert!(!poisoned(p) && !poisoned(p.wrapping_add(19)));
        assert!(poisoned(p.wrapping_add(20)), "past the request");
        assert!(poisoned(p.wrapping_add(32)), "the next, never-used block");
        // SAFETY: p is live; it grows in place (30 bytes still fit the 32-byte class).
        let q = unsafe { m.realloc(p, 30) };
        assert_eq!(p, q);
        assert!(!poisoned(q.wrapping_add(29)) && poisoned(q.wrapping_add(30)));
        // SAFETY: q is live and freed once.
        unsafe { m.free(q) };
        assert!(poisoned(q) && poisoned(q.wrapping_add(8)), "a freed block");
        let r = m.malloc(20);
        assert_eq!(r, q, "LIFO reuse");
        assert!(!poisoned(r));
        // SAFETY: r is live and freed once.
        unsafe { m.free(r) };
    }
}
