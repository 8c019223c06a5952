//! Layer 0: the system allocator, exactly where CPython uses it.
//!
//! - `PyMem_RawMalloc` / `PyMem_RawRealloc` / `PyMem_RawFree` → C `malloc`/`realloc`/`free`
//!   (a request of 0 bytes asks for 1, as `_PyMem_RawMalloc` does).
//! - `_PyObject_ArenaMmap` / `_PyObject_ArenaMunmap` → anonymous private `mmap`/`munmap` of
//!   one arena. The kernel returns page-aligned (not pool-aligned) addresses, which is why an
//!   arena may lose one pool to alignment.
//!
//! Unsafe: arenas come from `mmap`/`munmap` and large blocks from the C library's
//! `malloc`/`free`/`realloc`/`malloc_usable_size`, which Rust cannot check; the ones with a
//! precondition are `unsafe fn`s that say it.
#![allow(unsafe_code)]

use std::ptr;

/// `PyMem_RawMalloc(n)`: C `malloc`, at least one byte. Null on failure.
pub(crate) fn raw_malloc(nbytes: usize) -> *mut u8 {
    // SAFETY: malloc has no preconditions; a null result is passed on to the caller.
    unsafe { libc::malloc(nbytes.max(1)).cast() }
}

/// `PyMem_RawRealloc(p, n)`: C `realloc`, at least one byte. Null on failure (p stays valid).
///
/// # Safety
/// `p` must be null or a live block from [`raw_malloc`]/[`raw_realloc`]; on success it is no
/// longer valid.
pub(crate) unsafe fn raw_realloc(p: *mut u8, nbytes: usize) -> *mut u8 {
    // SAFETY: the caller guarantees p came from malloc/realloc and is live.
    unsafe { libc::realloc(p.cast(), nbytes.max(1)).cast() }
}

/// `PyMem_RawFree(p)`: C `free`.
///
/// # Safety
/// `p` must be null or a live block from [`raw_malloc`]/[`raw_realloc`], not used afterwards.
pub(crate) unsafe fn raw_free(p: *mut u8) {
    // SAFETY: the caller guarantees p came from malloc/realloc and is live.
    unsafe { libc::free(p.cast()) }
}

/// glibc's per-chunk header: the bytes `malloc` keeps in front of every block it hands out.
pub const MALLOC_CHUNK_OVERHEAD: usize = 8;

/// What the C library reserved for a live block: `malloc_usable_size(p)` plus its chunk
/// header. (0 for null.)
///
/// # Safety
/// `p` must be null or a live block from the C allocator (`malloc`, `realloc`,
/// `posix_memalign`).
pub unsafe fn reserved_bytes(p: *const u8) -> usize {
    if p.is_null() {
        return 0;
    }
    // SAFETY: the caller guarantees p is a live block of the C allocator.
    unsafe { libc::malloc_usable_size(p as *mut libc::c_void) + MALLOC_CHUNK_OVERHEAD }
}

/// `_PyObject_ArenaMmap(size)`: a fresh anonymous mapping, or null.
pub(crate) fn arena_alloc(size: usize) -> *mut u8 {
    // SAFETY: an anonymous private mapping at an address of the kernel's choosing touches no
    // existing memory; MAP_FAILED is turned into null.
    let p = unsafe {
        libc::mmap(
            ptr::null_mut(),
            size,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        )
    };
    if p == libc::MAP_FAILED {
        ptr::null_mut()
    } else {
        super::asan::poison(p.cast(), size);
        p.cast()
    }
}

/// `_PyObject_ArenaMunmap(p, size)`.
///
/// # Safety
/// `p` must be a mapping of exactly `size` bytes from [`arena_alloc`], not used afterwards.
pub(crate) unsafe fn arena_free(p: *mut u8, size: usize) {
    super::asan::unpoison(p, size);
    // SAFETY: the caller guarantees p/size describe one mapping from arena_alloc.
    let rc = unsafe { libc::munmap(p.cast(), size) };
    debug_assert_eq!(rc, 0, "munmap({p:p}, {size}) failed");
}
