//! The unsafe core of pymalloc: pools, arenas and the free/realloc paths, ported from
//! `Objects/obmalloc.c` (3.11; the algorithm is the same from 3.8 to 3.13).
//!
//! Differences from the C code, none of them visible in behaviour:
//! - arena objects are linked by index (`u32`, `NONE` = `u32::MAX` = NULL) instead of pointers;
//! - `usedpools[]` is an array of 32 real sentinel headers instead of C's "fudged-up pointer"
//!   trick (same circular lists, same front/back semantics);
//! - under valgrind we do **not** step aside (CPython's `WITH_VALGRIND` routes everything to
//!   malloc); we want memcheck to check this allocator itself.
//!
//! Pool header, 48 bytes, at the start of every 16 KiB pool:
//!
//! ```text
//! offset  0  ref.count      u32 (+4 pad; a union with a pointer in C)  blocks handed out
//!         8  freeblock      *block     head of the LIFO list of freed blocks
//!        16  nextpool       *pool      used pools of the class (circular), or freepools link
//!        24  prevpool       *pool
//!        32  arenaindex     u32        index of the owning arena object
//!        36  szidx          u32        size class, 0xffff when never initialised
//!        40  nextoffset     u32        offset of the next never-used block
//!        44  maxnextoffset  u32        largest valid nextoffset
//! ```
//!
//! Unsafe: this is the allocator — pool headers live inside the memory they describe, free
//! blocks are linked through their own first word, and every block handed out is a raw pointer.
#![allow(unsafe_code)]

use std::ptr::{self, null_mut};

use super::arena_map::ArenaMap;
use super::asan;
use super::stats::{ArenaSnapshot, ClassStats, MallocStats, PoolSnapshot, PoolState};
use super::{
    ARENA_SIZE, INITIAL_ARENA_OBJECTS, MAX_POOLS_IN_ARENA, NB_SMALL_SIZE_CLASSES, POOL_OVERHEAD,
    POOL_SIZE, SMALL_REQUEST_THRESHOLD, blocks_per_pool, index_to_size, quantization_per_pool,
    size_class, system,
};

type Block = u8;

/// `struct pool_header`.
#[repr(C)]
#[derive(Debug)]
struct PoolHeader {
    /// `ref.count`: number of allocated blocks in the pool.
    count: u32,
    _padding: u32,
    /// Head of the pool's free-block list (each free block stores the next one in its first word).
    freeblock: *mut Block,
    nextpool: *mut PoolHeader,
    prevpool: *mut PoolHeader,
    arenaindex: u32,
    /// Size class, or [`DUMMY_SIZE_IDX`] for a pool never initialised.
    szidx: u32,
    /// Offset of the next virgin block.
    nextoffset: u32,
    /// Largest valid `nextoffset` (`POOL_SIZE - block size`).
    maxnextoffset: u32,
}

/// `sizeof(struct pool_header)` on 64-bit.
pub(crate) const POOL_HEADER_SIZE: usize = size_of::<PoolHeader>();
const _: () = assert!(POOL_HEADER_SIZE == 48);
const _: () = assert!(std::mem::offset_of!(PoolHeader, freeblock) == 8);
const _: () = assert!(std::mem::offset_of!(PoolHeader, arenaindex) == 32);

/// `DUMMY_SIZE_IDX`: size class of a freshly carved pool.
const DUMMY_SIZE_IDX: u32 = 0xffff;
/// The NULL of arena-object links.
const NONE: u32 = u32::MAX;
const POOL_SIZE_MASK: usize = POOL_SIZE - 1;

/// `struct arena_object`: bookkeeping for one arena (the arena itself is mmap'd separately).
#[derive(Debug)]
struct ArenaObject {
    /// Address of the mapping, 0 when this object has no arena (it is on `unused_arena_objects`).
    address: usize,
    /// Next pool to carve (pool-aligned).
    pool_address: usize,
    /// Free pools: on `freepools` plus not yet carved.
    nfreepools: u32,
    /// Pools that fit after alignment (64, or 63 when the mapping was not pool-aligned).
    ntotalpools: u32,
    /// Singly linked list (through `nextpool`) of empty pools.
    freepools: *mut PoolHeader,
    nextarena: u32,
    prevarena: u32,
}

impl ArenaObject {
    fn unassociated() -> Self {
        ArenaObject {
            address: 0,
            pool_address: 0,
            nfreepools: 0,
            ntotalpools: 0,
            freepools: null_mut(),
            nextarena: NONE,
            prevarena: NONE,
        }
    }

    fn first_pool(&self) -> usize {
        (self.address + POOL_SIZE_MASK) & !POOL_SIZE_MASK
    }
}

/// Where a pymalloc block lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct BlockInfo {
    /// Index of the arena object (`pool->arenaindex`).
    pub arena_index: usize,
    /// Address of the arena mapping.
    pub arena_address: usize,
    /// Index of the pool within its arena (0 = first pool-aligned pool).
    pub pool_index: usize,
    /// Address of the pool header.
    pub pool_address: usize,
    /// Size class (`szidx`).
    pub size_class: usize,
    /// Block size of that class.
    pub block_size: usize,
    /// Index of the block within its pool.
    pub block_index: usize,
}

/// Call counters (not part of CPython; cheap, for cost reports).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct AllocCounters {
    /// `malloc`/`calloc` calls, pool or system.
    pub mallocs: u64,
    /// `free` calls with a non-null pointer.
    pub frees: u64,
    /// `realloc` calls with a non-null pointer.
    pub reallocs: u64,
    /// Of those, how many returned a different address (the data was copied).
    pub reallocs_moved: u64,
}

/// A pymalloc instance: `PyObject_Malloc`, `PyObject_Realloc`, `PyObject_Free` and the
/// statistics of `sys._debugmallocstats()`.
///
/// Every runtime owns one; benchmarks and tests may create their own. Not `Send`: it hands out
/// raw memory that only its own thread may touch.
#[derive(Debug)]
pub struct Pymalloc {
    /// `NB_SMALL_SIZE_CLASSES` sentinel pool headers (heap, never moved): the heads of the
    /// circular lists of used pools. Owned; freed in `Drop`.
    usedpools: *mut PoolHeader,
    /// `arenas[]`, `maxarenas == arenas.len()`.
    arenas: Vec<ArenaObject>,
    unused_arena_objects: u32,
    /// Head of the arenas with free pools, ascending `nfreepools`.
    usable_arenas: u32,
    /// `nfp2lasta[n]`: the last arena in `usable_arenas` with `n` free pools, or NONE.
    nfp2lasta: [u32; MAX_POOLS_IN_ARENA + 1],
    narenas_currently_allocated: usize,
    ntimes_arena_allocated: usize,
    narenas_highwater: usize,
    raw_allocated_blocks: usize,
    /// Bytes the C library reserved for those blocks (`malloc_usable_size` plus its chunk
    /// header), kept as they come and go so the runner's memory limit is O(1) to check.
    raw_allocated_bytes: usize,
    arena_map: ArenaMap,
    counters: AllocCounters,
}

impl Default for Pymalloc {
    fn default() -> Self {
        Self::new()
    }
}

impl Pymalloc {
    /// A fresh allocator with no arenas.
    pub fn new() -> Self {
        let sentinels: Box<[PoolHeader]> = (0..NB_SMALL_SIZE_CLASSES)
            .map(|_| PoolHeader {
                count: 0,
                _padding: 0,
                freeblock: null_mut(),
                nextpool: null_mut(),
                prevpool: null_mut(),
                arenaindex: NONE,
                szidx: DUMMY_SIZE_IDX,
                nextoffset: 0,
                maxnextoffset: 0,
            })
            .collect();
        let usedpools = Box::into_raw(sentinels).cast::<PoolHeader>();
        for i in 0..NB_SMALL_SIZE_CLASSES {
            // SAFETY: i < NB_SMALL_SIZE_CLASSES, the length of the slice just leaked.
            unsafe {
                let s = usedpools.add(i);
                (*s).nextpool = s;
                (*s).prevpool = s;
            }
        }
        Pymalloc {
            usedpools,
            arenas: Vec::new(),
            unused_arena_objects: NONE,
            usable_arenas: NONE,
            nfp2lasta: [NONE; MAX_POOLS_IN_ARENA + 1],
            narenas_currently_allocated: 0,
            ntimes_arena_allocated: 0,
            narenas_highwater: 0,
            raw_allocated_blocks: 0,
            raw_allocated_bytes: 0,
            arena_map: ArenaMap::new(),
            counters: AllocCounters::default(),
        }
    }

    #[inline]
    fn sentinel(&self, class: usize) -> *mut PoolHeader {
        debug_assert!(class < NB_SMALL_SIZE_CLASSES);
        // SAFETY: class < NB_SMALL_SIZE_CLASSES, the length of the sentinel array.
        unsafe { self.usedpools.add(class) }
    }

    /// `PyObject_Malloc(nbytes)`: a pool block for 1..=512 bytes, else the system allocator.
    /// Null only if the system is out of memory (or `nbytes > isize::MAX`).
    #[inline]
    pub fn malloc(&mut self, nbytes: usize) -> *mut u8 {
        if nbytes > isize::MAX as usize {
            return null_mut();
        }
        self.counters.mallocs += 1;
        let p = self.pymalloc_alloc(nbytes);
        if !p.is_null() {
            asan::unpoison(p, nbytes);
            return p;
        }
        let p = system::raw_malloc(nbytes);
        if !p.is_null() {
            self.raw_allocated_blocks += 1;
            // SAFETY: p is a live block from the C allocator.
            self.raw_allocated_bytes += unsafe { system::reserved_bytes(p) };
        }
        p
    }

    /// `PyObject_Calloc(nelem, elsize)`: like [`malloc`](Self::malloc), zero-filled.
    pub fn calloc(&mut self, nelem: usize, elsize: usize) -> *mut u8 {
        let Some(nbytes) = nelem.checked_mul(elsize) else {
            return null_mut();
        };
        let p = self.malloc(nbytes);
        if !p.is_null() {
            // SAFETY: p is a fresh block of at least nbytes bytes.
            unsafe { ptr::write_bytes(p, 0, nbytes) };
        }
        p
    }

    /// `pymalloc_alloc`: the pool fast path; null when the request is not a small one.
    #[inline]
    fn pymalloc_alloc(&mut self, nbytes: usize) -> *mut u8 {
        let Some(class) = size_class(nbytes) else {
            return null_mut();
        };
        let head = self.sentinel(class);
        // SAFETY: head is a live sentinel; every pool linked from it is a live, initialised
        // pool of this class with at least one free block (the "used" invariant), so its
        // freeblock is non-null and points to a free block whose first word is the next one.
        unsafe {
            let pool = (*head).nextpool;
            if pool == head {
                return self.allocate_from_new_pool(class);
            }
            (*pool).count += 1;
            let bp = (*pool).freeblock;
            debug_assert!(!bp.is_null(), "used pool {pool:p} has no free block");
            let next = asan::read_link(bp);
            (*pool).freeblock = next;
            if next.is_null() {
                self.pool_extend(pool, class);
            }
            bp
        }
    }

    /// `pymalloc_pool_extend`: the free list ran out; carve the next virgin block, or unlink
    /// the pool from `usedpools` because it is now full.
    ///
    /// # Safety
    /// `pool` is a live, initialised pool of class `class`, linked in its used list.
    #[inline]
    unsafe fn pool_extend(&mut self, pool: *mut PoolHeader, class: usize) {
        // SAFETY: per the contract, pool and its neighbours in the circular list are live.
        unsafe {
            if (*pool).nextoffset <= (*pool).maxnextoffset {
                let fb = pool.cast::<Block>().add((*pool).nextoffset as usize);
                (*pool).freeblock = fb;
                (*pool).nextoffset += index_to_size(class) as u32;
                asan::write_link(fb, null_mut());
                return;
            }
            let next = (*pool).nextpool;
            let prev = (*pool).prevpool;
            (*next).prevpool = prev;
            (*prev).nextpool = next;
        }
    }

    /// `allocate_from_new_pool`: no used pool for this class; take an empty one or carve one.
    #[cold]
    fn allocate_from_new_pool(&mut self, class: usize) -> *mut u8 {
        if self.usable_arenas == NONE {
            let Some(a) = self.new_arena() else {
                return null_mut();
            };
            self.usable_arenas = a;
            let ao = &mut self.arenas[a as usize];
            ao.nextarena = NONE;
            ao.prevarena = NONE;
            let nfp = ao.nfreepools as usize;
            debug_assert_eq!(self.nfp2lasta[nfp], NONE);
            self.nfp2lasta[nfp] = a;
        }
        let ua = self.usable_arenas;
        let uai = ua as usize;
        debug_assert!(self.arenas[uai].address != 0);
        let nfp = self.arenas[uai].nfreepools as usize;
        debug_assert!(nfp > 0, "arena {ua} in usable_arenas has no free pool");
        // This arena had the smallest nfreepools already; it stays first. Fix the fingers.
        if self.nfp2lasta[nfp] == ua {
            self.nfp2lasta[nfp] = NONE;
        }
        if nfp > 1 {
            debug_assert_eq!(self.nfp2lasta[nfp - 1], NONE);
            self.nfp2lasta[nfp - 1] = ua;
        }

        let pool: *mut PoolHeader;
        let cached = self.arenas[uai].freepools;
        if !cached.is_null() {
            pool = cached;
            // SAFETY: pools on freepools are live, carved pools of this arena.
            self.arenas[uai].freepools = unsafe { (*pool).nextpool };
        } else {
            let ao = &mut self.arenas[uai];
            debug_assert!(ao.pool_address + POOL_SIZE <= ao.address + ARENA_SIZE);
            pool = ao.pool_address as *mut PoolHeader;
            asan::unpoison(pool.cast(), POOL_OVERHEAD);
            // SAFETY: pool_address + POOL_SIZE lies inside this arena's mapping (checked
            // above), which is readable and writable and not in use.
            unsafe {
                (*pool).arenaindex = ua;
                (*pool).szidx = DUMMY_SIZE_IDX;
            }
            ao.pool_address += POOL_SIZE;
        }
        self.arenas[uai].nfreepools -= 1;
        if self.arenas[uai].nfreepools == 0 {
            // Wholly allocated: unlink it from usable_arenas.
            let next = self.arenas[uai].nextarena;
            debug_assert!(next == NONE || self.arenas[next as usize].prevarena == ua);
            self.usable_arenas = next;
            if next != NONE {
                self.arenas[next as usize].prevarena = NONE;
            }
        }

        let head = self.sentinel(class);
        let size = index_to_size(class);
        // SAFETY: pool is a live pool of this arena, not linked anywhere now; head is the
        // live sentinel of an empty list (we are here because the list is empty).
        unsafe {
            debug_assert_eq!((*head).nextpool, head);
            (*pool).nextpool = head;
            (*pool).prevpool = head;
            (*head).nextpool = pool;
            (*head).prevpool = pool;
            (*pool).count = 1;
            if (*pool).szidx == class as u32 {
                // The pool last served this class: header and free list are ready.
                let bp = (*pool).freeblock;
                debug_assert!(!bp.is_null());
                (*pool).freeblock = asan::read_link(bp);
                if (*pool).freeblock.is_null() {
                    // Cannot happen for classes with >= 2 blocks per pool, but keep the
                    // used-pool invariant (a free block exists) honest.
                    self.pool_extend(pool, class);
                }
                return bp;
            }
            // Initialise: return the first block, free list = the second.
            (*pool).szidx = class as u32;
            let bp = pool.cast::<Block>().add(POOL_OVERHEAD);
            (*pool).nextoffset = (POOL_OVERHEAD + 2 * size) as u32;
            (*pool).maxnextoffset = (POOL_SIZE - size) as u32;
            (*pool).freeblock = bp.add(size);
            asan::write_link((*pool).freeblock, null_mut());
            bp
        }
    }

    /// `new_arena`: map one more arena and describe it with an arena object.
    #[cold]
    fn new_arena(&mut self) -> Option<u32> {
        if self.unused_arena_objects == NONE {
            let old = self.arenas.len();
            let numarenas = if old == 0 {
                INITIAL_ARENA_OBJECTS
            } else {
                old.checked_mul(2)?
            };
            if numarenas >= NONE as usize {
                return None;
            }
            // No arena object is referenced by index from outside the vector's own links
            // when we grow (usable_arenas is empty here), just as CPython asserts.
            debug_assert_eq!(self.usable_arenas, NONE);
            self.arenas
                .resize_with(numarenas, ArenaObject::unassociated);
            for i in old..numarenas {
                self.arenas[i].nextarena = if i + 1 < numarenas {
                    (i + 1) as u32
                } else {
                    NONE
                };
            }
            self.unused_arena_objects = old as u32;
        }
        let a = self.unused_arena_objects;
        let ao = &mut self.arenas[a as usize];
        debug_assert_eq!(ao.address, 0);
        let address = system::arena_alloc(ARENA_SIZE);
        if address.is_null() {
            return None;
        }
        self.unused_arena_objects = ao.nextarena;
        let address = address as usize;
        ao.address = address;
        ao.freepools = null_mut();
        ao.pool_address = address;
        ao.nfreepools = MAX_POOLS_IN_ARENA as u32;
        let excess = address & POOL_SIZE_MASK;
        if excess != 0 {
            ao.nfreepools -= 1;
            ao.pool_address += POOL_SIZE - excess;
        }
        ao.ntotalpools = ao.nfreepools;
        self.arena_map.mark(address, true);
        self.narenas_currently_allocated += 1;
        self.ntimes_arena_allocated += 1;
        self.narenas_highwater = self.narenas_highwater.max(self.narenas_currently_allocated);
        Some(a)
    }

    /// Whether pymalloc (not the system allocator) owns the block at `p` (`address_in_range`).
    #[inline]
    pub fn owns(&self, p: *const u8) -> bool {
        self.arena_map.is_used(p as usize)
    }

    /// `PyObject_Free(p)`.
    ///
    /// # Safety
    /// `p` is null or a live block returned by this allocator's `malloc`/`calloc`/`realloc`,
    /// and is not used afterwards.
    #[inline]
    pub unsafe fn free(&mut self, p: *mut u8) {
        if p.is_null() {
            return;
        }
        self.counters.frees += 1;
        // SAFETY: forwarded contract.
        if unsafe { !self.pymalloc_free(p) } {
            debug_assert!(self.raw_allocated_blocks > 0, "free of unknown block {p:p}");
            self.raw_allocated_blocks -= 1;
            // SAFETY: not ours, so (by the contract) a live block from the system allocator,
            // freed once after it is weighed.
            unsafe {
                self.raw_allocated_bytes -= system::reserved_bytes(p);
                system::raw_free(p);
            }
        }
    }

    /// `pymalloc_free`: put `p` back on its pool's free list; false if `p` is not ours.
    ///
    /// # Safety
    /// As [`free`](Self::free), and `p` is non-null.
    #[inline]
    unsafe fn pymalloc_free(&mut self, p: *mut u8) -> bool {
        if !self.owns(p) {
            return false;
        }
        let pool = (p as usize & !POOL_SIZE_MASK) as *mut PoolHeader;
        // SAFETY: p lies in one of our arenas, so `pool` is the header of the carved pool
        // that holds it; p is an allocated block of that pool (contract).
        unsafe {
            debug_assert!((*pool).count > 0, "free of {p:p} in empty pool {pool:p}");
            debug_assert!(
                (p as usize - pool as usize - POOL_OVERHEAD)
                    .is_multiple_of(index_to_size((*pool).szidx as usize)),
                "free of {p:p}: not at a block boundary of its pool"
            );
            let lastfree = (*pool).freeblock;
            asan::poison(p, index_to_size((*pool).szidx as usize));
            asan::write_link(p, lastfree);
            (*pool).freeblock = p;
            (*pool).count -= 1;
            if lastfree.is_null() {
                // The pool was full: link it at the front of its used list.
                self.insert_to_usedpool(pool);
                return true;
            }
            if (*pool).count != 0 {
                return true;
            }
            self.insert_to_freepool(pool);
        }
        true
    }

    /// `insert_to_usedpool`: a full pool got a free block; link it at the front.
    ///
    /// # Safety
    /// `pool` is a live, initialised pool with `count > 0` that is in no list.
    unsafe fn insert_to_usedpool(&mut self, pool: *mut PoolHeader) {
        // SAFETY: per the contract; the sentinel and the pools of its list are live.
        unsafe {
            debug_assert!((*pool).count > 0);
            let head = self.sentinel((*pool).szidx as usize);
            let next = (*head).nextpool;
            let prev = (*next).prevpool;
            (*pool).nextpool = next;
            (*pool).prevpool = prev;
            (*next).prevpool = pool;
            (*prev).nextpool = pool;
        }
    }

    /// `insert_to_freepool`: `pool` just became empty. Move it to its arena's free pools and
    /// keep `usable_arenas` sorted, unmapping the arena if it is wholly free (unless it is the
    /// last one in the list: keeping one avoids thrashing, bpo-37257).
    ///
    /// # Safety
    /// `pool` is a live pool with `count == 0`, linked in its class's used list.
    unsafe fn insert_to_freepool(&mut self, pool: *mut PoolHeader) {
        // SAFETY: per the contract; neighbours in the used list are live.
        let a = unsafe {
            let next = (*pool).nextpool;
            let prev = (*pool).prevpool;
            (*next).prevpool = prev;
            (*prev).nextpool = next;
            (*pool).arenaindex
        };
        let ai = a as usize;
        // SAFETY: pool is live; this writes its freepools link.
        unsafe { (*pool).nextpool = self.arenas[ai].freepools };
        self.arenas[ai].freepools = pool;
        let nf_old = self.arenas[ai].nfreepools as usize;
        let lastnf = self.nfp2lasta[nf_old];
        debug_assert!(
            (nf_old == 0 && lastnf == NONE)
                || (nf_old > 0
                    && lastnf != NONE
                    && self.arenas[lastnf as usize].nfreepools as usize == nf_old),
            "nfp2lasta[{nf_old}] = {lastnf} is stale"
        );
        if lastnf == a {
            let p = self.arenas[ai].prevarena;
            self.nfp2lasta[nf_old] =
                if p != NONE && self.arenas[p as usize].nfreepools as usize == nf_old {
                    p
                } else {
                    NONE
                };
        }
        let nf = nf_old + 1;
        self.arenas[ai].nfreepools = nf as u32;

        let (prev, next) = (self.arenas[ai].prevarena, self.arenas[ai].nextarena);
        if nf == self.arenas[ai].ntotalpools as usize && next != NONE {
            // Case 1: wholly free and not the last usable arena: give it back to the system.
            if prev == NONE {
                self.usable_arenas = next;
            } else {
                self.arenas[prev as usize].nextarena = next;
            }
            self.arenas[next as usize].prevarena = prev;
            self.arenas[ai].nextarena = self.unused_arena_objects;
            self.unused_arena_objects = a;
            let address = self.arenas[ai].address;
            self.arena_map.mark(address, false);
            // SAFETY: address is the mapping made in new_arena for this arena object, and no
            // block of it is allocated (every pool is free).
            unsafe { system::arena_free(address as *mut u8, ARENA_SIZE) };
            let ao = &mut self.arenas[ai];
            ao.address = 0;
            ao.freepools = null_mut();
            self.narenas_currently_allocated -= 1;
            return;
        }
        if nf == 1 {
            // Case 2: it was wholly allocated, so in no list: it goes to the head.
            let head = self.usable_arenas;
            self.arenas[ai].nextarena = head;
            self.arenas[ai].prevarena = NONE;
            if head != NONE {
                self.arenas[head as usize].prevarena = a;
            }
            self.usable_arenas = a;
            if self.nfp2lasta[1] == NONE {
                self.nfp2lasta[1] = a;
            }
            return;
        }
        if self.nfp2lasta[nf] == NONE {
            self.nfp2lasta[nf] = a;
        }
        if a == lastnf {
            // Case 4: it was the rightmost with nf_old, so it is still in order.
            return;
        }
        // Case 3: slide it right, to just after lastnf.
        debug_assert!(next != NONE);
        if prev != NONE {
            self.arenas[prev as usize].nextarena = next;
        } else {
            self.usable_arenas = next;
        }
        self.arenas[next as usize].prevarena = prev;
        let after = self.arenas[lastnf as usize].nextarena;
        self.arenas[ai].prevarena = lastnf;
        self.arenas[ai].nextarena = after;
        if after != NONE {
            self.arenas[after as usize].prevarena = a;
        }
        self.arenas[lastnf as usize].nextarena = a;
    }

    /// `PyObject_Realloc(p, nbytes)`. A pool block that still fits and would not shrink by at
    /// least 25% stays where it is; otherwise the data moves to a new block (pool or system)
    /// and the old one is freed. A block from the system allocator stays with it
    /// (`realloc`), even when it shrinks below 512 bytes. Null on failure (`p` stays valid).
    ///
    /// # Safety
    /// `p` is null or a live block from this allocator; if the result is non-null, `p` must
    /// not be used afterwards.
    pub unsafe fn realloc(&mut self, p: *mut u8, nbytes: usize) -> *mut u8 {
        if p.is_null() {
            return self.malloc(nbytes);
        }
        if nbytes > isize::MAX as usize {
            return null_mut();
        }
        self.counters.reallocs += 1;
        let out = if self.owns(p) {
            let pool = (p as usize & !POOL_SIZE_MASK) as *const PoolHeader;
            // SAFETY: p is ours, so pool is its live pool header.
            let size = index_to_size(unsafe { (*pool).szidx } as usize);
            let mut copy = size;
            if nbytes <= size {
                if 4 * nbytes > 3 * size {
                    // The block stays; what is addressable becomes the new size.
                    asan::poison(p, size);
                    asan::unpoison(p, nbytes);
                    return p;
                }
                copy = nbytes;
            }
            let bp = self.malloc(nbytes);
            self.counters.mallocs -= 1; // one call from the user, not two
            if !bp.is_null() {
                // CPython copies the whole old block, past what was asked for.
                asan::unpoison(p, size);
                // SAFETY: p holds `size` >= copy valid bytes, bp at least nbytes >= copy;
                // distinct live blocks, so no overlap. p is ours and live (contract).
                unsafe {
                    ptr::copy_nonoverlapping(p, bp, copy);
                    self.free(p);
                }
                self.counters.frees -= 1;
            }
            bp
        } else {
            // SAFETY: not ours, so a live system block (contract); it is weighed before the
            // realloc and the result (if any) after.
            unsafe {
                let before = system::reserved_bytes(p);
                let q = system::raw_realloc(p, nbytes);
                if !q.is_null() {
                    self.raw_allocated_bytes =
                        self.raw_allocated_bytes - before + system::reserved_bytes(q);
                }
                q
            }
        };
        if !out.is_null() && out != p {
            self.counters.reallocs_moved += 1;
        }
        out
    }

    /// Block size actually reserved for `p`: the class size for a pool block, `None` for a
    /// block of the system allocator (whose size only the C library knows).
    ///
    /// # Safety
    /// `p` is a live block of this allocator.
    pub unsafe fn block_size(&self, p: *const u8) -> Option<usize> {
        self.block_info(p).map(|b| b.block_size)
    }

    /// Bytes reserved for a live block: its class size for a pool block; for a system block,
    /// what the C library reserved (`malloc_usable_size` plus its 8-byte chunk header).
    ///
    /// # Safety
    /// `p` is null or a live block of this allocator (pool or system).
    pub unsafe fn reserved_bytes(&self, p: *const u8) -> usize {
        match self.block_info(p) {
            Some(b) => b.block_size,
            // SAFETY: not ours, so (by the contract) null or a live system block.
            None => unsafe { system::reserved_bytes(p) },
        }
    }

    /// Arena, pool and block of a pool block; `None` if the system allocator holds it.
    pub fn block_info(&self, p: *const u8) -> Option<BlockInfo> {
        if !self.owns(p) {
            return None;
        }
        let pool = (p as usize & !POOL_SIZE_MASK) as *const PoolHeader;
        // SAFETY: p lies in a live arena of ours, so `pool` is a carved pool header there
        // (blocks are only handed out from carved pools, and p is one of them or inside one).
        let (arena_index, class) = unsafe { ((*pool).arenaindex as usize, (*pool).szidx as usize) };
        let ao = &self.arenas[arena_index];
        let block_size = index_to_size(class);
        Some(BlockInfo {
            arena_index,
            arena_address: ao.address,
            pool_index: (pool as usize - ao.first_pool()) / POOL_SIZE,
            pool_address: pool as usize,
            size_class: class,
            block_size,
            block_index: (p as usize - pool as usize - POOL_OVERHEAD) / block_size,
        })
    }

    /// Call counters since creation.
    pub fn counters(&self) -> AllocCounters {
        self.counters
    }

    /// Memory held now: the mapped arenas plus what the C library reserved for the large
    /// blocks. O(1): the runner checks it before every large allocation.
    pub fn footprint_bytes(&self) -> usize {
        self.narenas_currently_allocated * ARENA_SIZE + self.raw_allocated_bytes
    }

    /// Blocks currently allocated, pools and system (`sys.getallocatedblocks()`,
    /// `_Py_GetAllocatedBlocks`).
    pub fn allocated_blocks(&self) -> usize {
        let mut n = self.raw_allocated_blocks;
        self.for_each_carved_pool(|_, _, pool| n += pool.count as usize);
        n
    }

    /// Visit every carved pool header of every live arena, in arena-vector then address order.
    fn for_each_carved_pool(&self, mut f: impl FnMut(usize, &ArenaObject, &PoolHeader)) {
        for (i, ao) in self.arenas.iter().enumerate() {
            if ao.address == 0 {
                continue;
            }
            let mut base = ao.first_pool();
            while base < ao.pool_address {
                // SAFETY: pools below pool_address were carved from this live arena and their
                // headers initialised (arenaindex, szidx at least; the rest zeroed by mmap).
                let pool = unsafe { &*(base as *const PoolHeader) };
                f(i, ao, pool);
                base += POOL_SIZE;
            }
        }
    }

    /// Everything `sys._debugmallocstats()` prints about pymalloc
    /// (`_PyObject_DebugMallocStats`).
    pub fn stats(&self) -> MallocStats {
        let mut classes: Vec<ClassStats> = (0..NB_SMALL_SIZE_CLASSES)
            .map(|i| ClassStats {
                index: i,
                size: index_to_size(i),
                blocks_per_pool: blocks_per_pool(i),
                pools: 0,
                blocks_in_use: 0,
                avail_blocks: 0,
            })
            .collect();
        let mut narenas = 0;
        let mut numfreepools = 0;
        let mut arena_alignment = 0;
        for ao in self.arenas.iter().filter(|a| a.address != 0) {
            narenas += 1;
            numfreepools += ao.nfreepools as usize;
            if ao.address & POOL_SIZE_MASK != 0 {
                arena_alignment += POOL_SIZE;
            }
        }
        self.for_each_carved_pool(|_, _, pool| {
            if pool.count == 0 {
                return;
            }
            let c = &mut classes[pool.szidx as usize];
            c.pools += 1;
            c.blocks_in_use += pool.count as usize;
            c.avail_blocks += c.blocks_per_pool - pool.count as usize;
        });
        debug_assert_eq!(narenas, self.narenas_currently_allocated);
        let mut allocated = 0;
        let mut available = 0;
        let mut headers = 0;
        let mut quantization = 0;
        for c in &classes {
            allocated += c.blocks_in_use * c.size;
            available += c.avail_blocks * c.size;
            headers += c.pools * POOL_OVERHEAD;
            quantization += c.pools * quantization_per_pool(c.index);
        }
        let unused_bytes = numfreepools * POOL_SIZE;
        let total = allocated + available + unused_bytes + headers + quantization + arena_alignment;
        debug_assert_eq!(total, narenas * ARENA_SIZE, "pymalloc accounting is off");
        let (root, mid, bot) = self.arena_map.bytes();
        MallocStats {
            small_request_threshold: SMALL_REQUEST_THRESHOLD,
            alignment: super::ALIGNMENT,
            pool_size: POOL_SIZE,
            pool_header_size: POOL_OVERHEAD,
            arena_size: ARENA_SIZE,
            size_classes: classes,
            arenas_allocated_total: self.ntimes_arena_allocated,
            arenas_reclaimed: self.ntimes_arena_allocated - narenas,
            arenas_highwater_mark: self.narenas_highwater,
            arenas_allocated_current: narenas,
            arena_bytes: narenas * ARENA_SIZE,
            bytes_in_allocated_blocks: allocated,
            bytes_in_available_blocks: available,
            unused_pools: numfreepools,
            bytes_in_unused_pools: unused_bytes,
            bytes_lost_to_pool_headers: headers,
            bytes_lost_to_quantization: quantization,
            bytes_lost_to_arena_alignment: arena_alignment,
            total,
            arena_map_mid_nodes: self.arena_map.mid_count(),
            arena_map_bot_nodes: self.arena_map.bot_count(),
            bytes_lost_to_arena_map_root: root,
            bytes_lost_to_arena_map_mid: mid,
            bytes_lost_to_arena_map_bot: bot,
            arena_map_total: root + mid + bot,
            raw_allocated_blocks: self.raw_allocated_blocks,
        }
    }

    /// The arenas with a free pool, in `usable_arenas` order (indices into `arenas[]`): the
    /// head is where the next new pool is carved from (the arena with the fewest free pools,
    /// so nearly empty arenas can drain). Read-only, for pool maps.
    pub fn usable_arena_order(&self) -> Vec<usize> {
        let mut out = Vec::new();
        let mut cur = self.usable_arenas;
        while cur != NONE && out.len() < self.arenas.len() {
            out.push(cur as usize);
            cur = self.arenas[cur as usize].nextarena;
        }
        out
    }

    /// Every live arena with every pool and its state, for pool maps.
    pub fn snapshot(&self) -> Vec<ArenaSnapshot> {
        let mut out = Vec::new();
        for (index, ao) in self.arenas.iter().enumerate() {
            if ao.address == 0 {
                continue;
            }
            let first = ao.first_pool();
            let pools = (0..ao.ntotalpools as usize)
                .map(|k| {
                    let address = first + k * POOL_SIZE;
                    if address >= ao.pool_address {
                        return PoolSnapshot {
                            address,
                            state: PoolState::Untouched,
                            size_class: None,
                            blocks_in_use: 0,
                            blocks_total: 0,
                        };
                    }
                    // SAFETY: a carved pool of a live arena (see for_each_carved_pool).
                    let pool = unsafe { &*(address as *const PoolHeader) };
                    let class = pool.szidx as usize;
                    if pool.count == 0 {
                        return PoolSnapshot {
                            address,
                            state: PoolState::Empty,
                            size_class: None,
                            blocks_in_use: 0,
                            blocks_total: 0,
                        };
                    }
                    let total = blocks_per_pool(class);
                    PoolSnapshot {
                        address,
                        state: if pool.count as usize == total {
                            PoolState::Full
                        } else {
                            PoolState::Used
                        },
                        size_class: Some(class),
                        blocks_in_use: pool.count as usize,
                        blocks_total: total,
                    }
                })
                .collect();
            out.push(ArenaSnapshot {
                index,
                address: ao.address,
                pool_aligned: ao.address & POOL_SIZE_MASK == 0,
                nfreepools: ao.nfreepools as usize,
                ntotalpools: ao.ntotalpools as usize,
                pools,
            });
        }
        out
    }

    /// Checks every structural invariant (expensive: walks every list and free list).
    /// Used by tests; returns the first violation found.
    pub fn check_invariants(&self) -> Result<(), String> {
        // usable_arenas: well linked, ascending nfreepools, fingers right.
        let mut order = Vec::new();
        let mut prev = NONE;
        let mut cur = self.usable_arenas;
        while cur != NONE {
            let ao = &self.arenas[cur as usize];
            if ao.address == 0 {
                return Err(format!("usable arena {cur} has no address"));
            }
            if ao.prevarena != prev {
                return Err(format!("arena {cur}: prevarena {} != {prev}", ao.prevarena));
            }
            if ao.nfreepools == 0 {
                return Err(format!("arena {cur} is usable with no free pool"));
            }
            if let Some(&last) = order.last() {
                let lastn = self.arenas[last as usize].nfreepools;
                if lastn > ao.nfreepools {
                    return Err(format!(
                        "usable_arenas not sorted: {lastn} before {}",
                        ao.nfreepools
                    ));
                }
            }
            order.push(cur);
            if order.len() > self.arenas.len() {
                return Err("usable_arenas has a cycle".into());
            }
            prev = cur;
            cur = ao.nextarena;
        }
        for (n, &finger) in self.nfp2lasta.iter().enumerate() {
            let expect = order
                .iter()
                .rev()
                .find(|&&a| self.arenas[a as usize].nfreepools as usize == n)
                .copied()
                .unwrap_or(NONE);
            if finger != expect {
                return Err(format!("nfp2lasta[{n}] = {finger}, expected {expect}"));
            }
        }
        // Every live arena with free pools is usable; free-pool counts add up.
        for (i, ao) in self.arenas.iter().enumerate() {
            if ao.address == 0 {
                continue;
            }
            let in_list = order.contains(&(i as u32));
            if (ao.nfreepools > 0) != in_list {
                return Err(format!(
                    "arena {i}: nfreepools {} but in list {in_list}",
                    ao.nfreepools
                ));
            }
            let mut nfree = (ao.first_pool() + ao.ntotalpools as usize * POOL_SIZE
                - ao.pool_address)
                / POOL_SIZE;
            let mut p = ao.freepools;
            while !p.is_null() {
                // SAFETY: freepools links live, carved pools of this arena.
                unsafe {
                    if (*p).count != 0 {
                        return Err(format!("pool {p:p} on freepools has count {}", (*p).count));
                    }
                    p = (*p).nextpool;
                }
                nfree += 1;
            }
            if nfree != ao.nfreepools as usize {
                return Err(format!(
                    "arena {i}: nfreepools {} but counted {nfree}",
                    ao.nfreepools
                ));
            }
        }
        // Used lists: well linked, hold exactly the partially used pools.
        let mut linked = std::collections::HashSet::new();
        for class in 0..NB_SMALL_SIZE_CLASSES {
            let head = self.sentinel(class);
            let mut prev = head;
            // SAFETY: the list starts at a live sentinel and links live pools.
            let mut p = unsafe { (*head).nextpool };
            while p != head {
                // SAFETY: as above.
                let pool = unsafe { &*p };
                if pool.prevpool != prev {
                    return Err(format!("class {class}: bad prevpool at {p:p}"));
                }
                if pool.szidx as usize != class {
                    return Err(format!(
                        "pool {p:p} of class {} in list {class}",
                        pool.szidx
                    ));
                }
                if pool.count == 0 || pool.freeblock.is_null() {
                    return Err(format!("pool {p:p} in used list is empty or full"));
                }
                if !linked.insert(p as usize) || linked.len() > 1 << 30 {
                    return Err(format!("pool {p:p} linked twice"));
                }
                prev = p;
                p = pool.nextpool;
            }
        }
        // Every carved pool: free list length matches, state matches list membership.
        let mut err = None;
        self.for_each_carved_pool(|_, _, pool| {
            if err.is_some() || pool.count == 0 {
                return;
            }
            let addr = pool as *const PoolHeader as usize;
            let size = index_to_size(pool.szidx as usize);
            let carved = (pool.nextoffset as usize - POOL_OVERHEAD) / size;
            let mut free = 0usize;
            let mut b = pool.freeblock;
            while !b.is_null() {
                free += 1;
                if free > blocks_per_pool(pool.szidx as usize) {
                    err = Some(format!("pool {addr:#x}: free list too long or cyclic"));
                    return;
                }
                // SAFETY: free-list blocks are free blocks of this pool; their first word is
                // the next link.
                b = unsafe { asan::read_link(b) };
            }
            let virgin = blocks_per_pool(pool.szidx as usize)
                - carved.min(blocks_per_pool(pool.szidx as usize));
            if free + pool.count as usize + virgin != blocks_per_pool(pool.szidx as usize) {
                err = Some(format!(
                    "pool {addr:#x}: count {} + free {free} + virgin {virgin} != {}",
                    pool.count,
                    blocks_per_pool(pool.szidx as usize)
                ));
                return;
            }
            let full = pool.count as usize == blocks_per_pool(pool.szidx as usize);
            if full == linked.contains(&addr) {
                err = Some(format!("pool {addr:#x}: full={full} but linked={}", !full));
            }
        });
        if let Some(e) = err {
            return Err(e);
        }
        if self.stats().total != self.narenas_currently_allocated * ARENA_SIZE {
            return Err("byte accounting does not add up".into());
        }
        Ok(())
    }
}

impl Drop for Pymalloc {
    fn drop(&mut self) {
        for ao in &mut self.arenas {
            if ao.address != 0 {
                // SAFETY: a live mapping from new_arena. Blocks still allocated from it are
                // leaked by their owners; dropping the allocator invalidates them, as tearing
                // down an interpreter does.
                unsafe { system::arena_free(ao.address as *mut u8, ARENA_SIZE) };
                ao.address = 0;
            }
        }
        // SAFETY: usedpools came from Box::into_raw of a boxed slice of this length.
        drop(unsafe {
            Box::from_raw(ptr::slice_from_raw_parts_mut(
                self.usedpools,
                NB_SMALL_SIZE_CLASSES,
            ))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alloc::{MAX_POOLS_IN_ARENA, blocks_per_pool};

    #[test]
    fn first_block_is_after_the_header_and_lifo_reuse() {
        let mut m = Pymalloc::new();
        let a = m.malloc(24);
        let info = m.block_info(a).unwrap();
        assert_eq!(info.size_class, 1);
        assert_eq!(info.block_index, 0);
        assert_eq!(a as usize, info.pool_address + POOL_OVERHEAD);
        let b = m.malloc(24);
        let c = m.malloc(24);
        assert_eq!(b as usize, a as usize + 32);
        assert_eq!(c as usize, a as usize + 64);
        // SAFETY: live blocks of m, freed once.
        unsafe {
            m.free(c);
            m.free(a);
        }
        assert_eq!(m.malloc(24), a, "LIFO: last freed first");
        assert_eq!(m.malloc(24), c);
        // SAFETY: live blocks of m, freed once.
        unsafe {
            for p in [a, b, c] {
                m.free(p);
            }
        }
        m.check_invariants().unwrap();
        assert_eq!(m.allocated_blocks(), 0);
    }

    #[test]
    fn pool_fills_then_a_second_pool_is_carved() {
        let mut m = Pymalloc::new();
        let class = 31; // 512-byte blocks, 31 per pool
        let n = blocks_per_pool(class);
        let blocks: Vec<_> = (0..n + 1).map(|_| m.malloc(512)).collect();
        let first = m.block_info(blocks[0]).unwrap();
        let last = m.block_info(blocks[n]).unwrap();
        assert_eq!(
            m.block_info(blocks[n - 1]).unwrap().pool_address,
            first.pool_address
        );
        assert_ne!(last.pool_address, first.pool_address);
        let snap = m.snapshot();
        assert_eq!(snap[0].pools[0].state, PoolState::Full);
        assert_eq!(snap[0].pools[1].state, PoolState::Used);
        m.check_invariants().unwrap();
        // Freeing one block of the full pool puts it at the front: the next malloc reuses it.
        // SAFETY: live block, freed once.
        unsafe { m.free(blocks[3]) };
        assert_eq!(m.malloc(512), blocks[3]);
        for p in blocks {
            // SAFETY: live blocks, freed once.
            unsafe { m.free(p) };
        }
        m.check_invariants().unwrap();
        let s = m.stats();
        assert_eq!(s.blocks_in_use(), 0);
        assert_eq!(s.arenas_allocated_current, 1, "the last arena is kept");
    }

    #[test]
    fn empty_pool_is_reused_for_another_class() {
        let mut m = Pymalloc::new();
        let p = m.malloc(16);
        let pool = m.block_info(p).unwrap().pool_address;
        // SAFETY: live block, freed once.
        unsafe { m.free(p) };
        assert_eq!(m.snapshot()[0].pools[0].state, PoolState::Empty);
        let q = m.malloc(100);
        let info = m.block_info(q).unwrap();
        assert_eq!((info.pool_address, info.size_class), (pool, 6));
        // SAFETY: live block, freed once.
        unsafe { m.free(q) };
        m.check_invariants().unwrap();
    }

    #[test]
    fn the_footprint_counts_arenas_and_large_blocks_as_they_come_and_go() {
        let mut m = Pymalloc::new();
        assert_eq!(m.footprint_bytes(), 0);
        let small = m.malloc(16);
        assert_eq!(m.footprint_bytes(), ARENA_SIZE, "one arena mapped");
        let big = m.malloc(100_000);
        let with_big = m.footprint_bytes() - ARENA_SIZE;
        assert!((100_000..100_000 + 4096).contains(&with_big), "{with_big}");
        // SAFETY: big is live; it grows, moving or not.
        let big = unsafe { m.realloc(big, 300_000) };
        let grown = m.footprint_bytes() - ARENA_SIZE;
        assert!((300_000..300_000 + 4096).contains(&grown), "{grown}");
        // SAFETY: both live, freed once.
        unsafe {
            m.free(big);
            m.free(small);
        }
        // The last wholly free arena is kept (bpo-37257).
        assert_eq!(m.footprint_bytes(), ARENA_SIZE);
    }

    #[test]
    fn big_and_zero_requests_go_to_the_system() {
        let mut m = Pymalloc::new();
        let big = m.malloc(513);
        let zero = m.malloc(0);
        assert!(!m.owns(big) && !m.owns(zero));
        assert_eq!(m.stats().raw_allocated_blocks, 2);
        assert_eq!(m.allocated_blocks(), 2);
        // SAFETY: live blocks, freed once.
        unsafe {
            m.free(big);
            m.free(zero);
        }
        assert_eq!(m.allocated_blocks(), 0);
    }

    #[test]
    fn realloc_rules() {
        let mut m = Pymalloc::new();
        let p = m.malloc(100); // class 6, 112 bytes
        // SAFETY: p is live; we write within its 100 bytes.
        unsafe { ptr::write_bytes(p, 7, 100) };
        // SAFETY: p is live; each realloc result replaces it.
        unsafe {
            assert_eq!(m.realloc(p, 112), p, "fits");
            assert_eq!(m.realloc(p, 85), p, "85*4 > 112*3: keep");
            let q = m.realloc(p, 84);
            assert_ne!(q, p, "shrinks by >= 25%: move");
            assert_eq!(m.block_info(q).unwrap().block_size, 96);
            assert!((0..84).all(|i| *q.add(i) == 7));
            let big = m.realloc(q, 600);
            assert!(!m.owns(big), "above 512: system");
            assert!((0..84).all(|i| *big.add(i) == 7));
            let small = m.realloc(big, 10);
            assert!(!m.owns(small), "a system block stays with the system");
            assert!((0..10).all(|i| *small.add(i) == 7));
            m.free(small);
        }
        assert_eq!(m.allocated_blocks(), 0);
        m.check_invariants().unwrap();
    }

    #[test]
    fn arenas_fill_sort_and_release() {
        let mut m = Pymalloc::new();
        // 512-byte blocks, 31 per pool: fill a bit more than three arenas' worth of pools.
        let per_arena = MAX_POOLS_IN_ARENA * 31;
        let blocks: Vec<_> = (0..3 * per_arena + 10).map(|_| m.malloc(512)).collect();
        m.check_invariants().unwrap();
        let s = m.stats();
        assert!(s.arenas_allocated_current >= 4);
        assert_eq!(s.arenas_highwater_mark, s.arenas_allocated_current);
        let arena_of: Vec<usize> = blocks
            .iter()
            .map(|&p| m.block_info(p).unwrap().arena_index)
            .collect();
        let (a0, a1) = (arena_of[0], arena_of[per_arena]);
        assert_ne!(a0, a1);
        // Empty the first two arenas, with every 7th block of the others, checking the
        // sorted usable_arenas list and its fingers after every free.
        let mut live = vec![true; blocks.len()];
        for (i, &p) in blocks.iter().enumerate() {
            if arena_of[i] == a0 || arena_of[i] == a1 || i % 7 == 0 {
                // SAFETY: live block, freed once.
                unsafe { m.free(p) };
                live[i] = false;
                m.check_invariants()
                    .unwrap_or_else(|e| panic!("after free {i}: {e}"));
            }
        }
        let s2 = m.stats();
        // A wholly free arena goes back to the system unless it is the last usable one.
        // Whether the first emptied arena ends up last depends on how many free pools the
        // partly used fourth arena has, which depends on mmap's alignment (63 or 64 pools):
        // so one or both go back, never none.
        assert!((1..=2).contains(&s2.arenas_reclaimed), "{s2:?}");
        assert_eq!(
            s2.arenas_allocated_current,
            s.arenas_allocated_current - s2.arenas_reclaimed
        );
        for (i, &p) in blocks.iter().enumerate() {
            if live[i] {
                // SAFETY: live blocks not freed above.
                unsafe { m.free(p) };
            }
        }
        m.check_invariants().unwrap();
        let s3 = m.stats();
        assert_eq!(s3.blocks_in_use(), 0);
        assert_eq!(
            s3.arenas_allocated_current, 1,
            "one wholly free arena is kept"
        );
        assert_eq!(s3.total, s3.arena_bytes);
    }

    #[test]
    fn usable_arena_order_is_sorted_and_keeps_the_free_arena_last() {
        let mut m = Pymalloc::new();
        assert!(m.usable_arena_order().is_empty(), "no arena yet");
        let per_arena = MAX_POOLS_IN_ARENA * 31;
        let blocks: Vec<_> = (0..2 * per_arena).map(|_| m.malloc(512)).collect();
        let order = m.usable_arena_order();
        let snap = m.snapshot();
        let nfree = |a: usize| snap.iter().find(|s| s.index == a).unwrap().nfreepools;
        assert!(order.windows(2).all(|w| nfree(w[0]) <= nfree(w[1])));
        assert!(order.iter().all(|&a| nfree(a) > 0));
        for p in blocks {
            // SAFETY: live block, freed once.
            unsafe { m.free(p) };
        }
        let order = m.usable_arena_order();
        let snap = m.snapshot();
        assert_eq!(order.len(), 1, "one wholly free arena is kept");
        assert_eq!(snap[0].nfreepools, snap[0].ntotalpools);
        assert_eq!(order[0], snap[0].index);
    }
}
