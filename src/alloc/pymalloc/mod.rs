//! pymalloc's core, ported from `Objects/obmalloc.c` (3.11; the algorithm is the same from 3.8
//! to 3.13): the data structures (`pool_header`, `arena_object`, [`Pymalloc`]) and the public
//! entry points `PyObject_Malloc`, `_Calloc`, `_Realloc`, `_Free`.
//!
//! Unsafe: the allocator hands out raw memory and keeps its bookkeeping inside that memory (pool
//! headers at the start of every pool, free-list links in the first word of every free block), so
//! reading a header, following a link, copying a block on realloc and giving memory back to the C
//! library are pointer work. The walks over pool headers that the safe files need are here as safe
//! functions (`carved_pool`, `for_each_carved_pool`, `free_pools`, `used_pools`, `free_blocks`),
//! each relying on the structural invariants that [`Pymalloc::check_invariants`] tests.
//!
//! The rest of the allocator, by job:
//!
//! | file | job | unsafe? |
//! |---|---|---|
//! | `mod.rs` (this) | the types, `malloc`/`calloc`/`free`/`realloc`, `block_info`, `Drop` | yes |
//! | `pools.rs` | the size-class/block path: `pymalloc_alloc` ... `insert_to_freepool` | yes |
//! | `arenas.rs` | `new_arena`, the sorted `usable_arenas` list and `nfp2lasta` | no |
//! | `introspect.rs` | `sys._debugmallocstats()` numbers, pool maps, `check_invariants` | no |
//!
//! A lint level set here reaches the child modules, so the safe ones start with
//! `#![deny(unsafe_code)]` and the unsafe ones repeat `#![allow(unsafe_code)]` with their reason:
//! `grep -rl 'allow(unsafe_code)' src` still lists the whole audit surface.
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
#![allow(unsafe_code)]

mod arenas;
mod introspect;
mod pools;
#[cfg(test)]
mod tests;

use std::ptr::{self, null_mut};

use super::arena_map::ArenaMap;
use super::asan;
use super::{
    ARENA_SIZE, MAX_POOLS_IN_ARENA, NB_SMALL_SIZE_CLASSES, POOL_OVERHEAD, POOL_SIZE, index_to_size,
    system,
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

    /// Whether `address` is the start of a pool carved from this arena (pool-aligned, in
    /// `[first_pool, pool_address)`).
    fn holds_carved_pool(&self, address: usize) -> bool {
        address & POOL_SIZE_MASK == 0 && (self.first_pool()..self.pool_address).contains(&address)
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
        // SAFETY: forwarded contract.
        unsafe { self.pool_class_of(p) }.map(index_to_size)
    }

    /// Bytes reserved for a live block: its class size for a pool block; for a system block,
    /// what the C library reserved (`malloc_usable_size` plus its 8-byte chunk header).
    ///
    /// # Safety
    /// `p` is null or a live block of this allocator (pool or system).
    pub unsafe fn reserved_bytes(&self, p: *const u8) -> usize {
        // SAFETY: forwarded contract.
        match unsafe { self.pool_class_of(p) } {
            Some(class) => index_to_size(class),
            // SAFETY: not ours, so (by the contract) null or a live system block.
            None => unsafe { system::reserved_bytes(p) },
        }
    }

    /// The size class of a pool block, read from its pool header in O(1); `None` for a block
    /// of the system allocator (or null).
    ///
    /// # Safety
    /// `p` is null or a live block of this allocator: only then is the pool-aligned address
    /// below it a carved pool's header.
    unsafe fn pool_class_of(&self, p: *const u8) -> Option<usize> {
        if !self.owns(p) {
            return None;
        }
        let pool = (p as usize & !POOL_SIZE_MASK) as *const PoolHeader;
        // SAFETY: p is a live pool block (contract), so `pool` is its carved pool's header.
        let class = unsafe { (*pool).szidx } as usize;
        debug_assert!(
            class < NB_SMALL_SIZE_CLASSES,
            "{p:p}: pool {pool:p} has class {class}"
        );
        Some(class)
    }

    /// Arena, pool and block of a pool block; `None` if the system allocator holds it.
    ///
    /// Any address may be asked about: one inside an arena but not inside a carved pool's
    /// blocks (the bytes lost to alignment, a pool header, a pool not yet carved) is `None`
    /// too. The arena is found by a search over the arena objects rather than read from the
    /// pool header, because only a real block's address is known to have a header below it.
    pub fn block_info(&self, p: *const u8) -> Option<BlockInfo> {
        if !self.owns(p) {
            return None;
        }
        let addr = p as usize;
        let pool_address = addr & !POOL_SIZE_MASK;
        let (arena_index, ao) = self
            .arenas
            .iter()
            .enumerate()
            .find(|(_, ao)| ao.address != 0 && ao.holds_carved_pool(pool_address))?;
        let pool = self.carved_pool(ao, pool_address)?;
        let class = pool.szidx as usize;
        if addr < pool_address + POOL_OVERHEAD || class >= NB_SMALL_SIZE_CLASSES {
            return None;
        }
        debug_assert_eq!(
            pool.arenaindex as usize, arena_index,
            "pool {pool_address:#x}"
        );
        let block_size = index_to_size(class);
        Some(BlockInfo {
            arena_index,
            arena_address: ao.address,
            pool_index: (pool_address - ao.first_pool()) / POOL_SIZE,
            pool_address,
            size_class: class,
            block_size,
            block_index: (addr - pool_address - POOL_OVERHEAD) / block_size,
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

    // ---- Safe walks over the headers, for `arenas`, `introspect` and `block_info` ----
    //
    // Each hands out `&PoolHeader`s that live as long as the `&self` borrow: headers change
    // only through `&mut self`. Each relies on the structural invariants (what
    // `check_invariants` tests); a walk that could loop on a broken list is bounded by its
    // caller.

    /// The header of the carved pool at `address` in the live arena `ao`, or `None` when
    /// `address` is not a pool-aligned address below `ao.pool_address`.
    fn carved_pool<'a>(&'a self, ao: &ArenaObject, address: usize) -> Option<&'a PoolHeader> {
        if ao.address == 0 || !ao.holds_carved_pool(address) {
            return None;
        }
        // SAFETY: a pool-aligned address in [first_pool, pool_address) of a live arena is a
        // carved pool: its header was written when it was carved (arenaindex, szidx at least;
        // the rest zeroed by mmap), and the mapping stays until the arena is freed (&mut self).
        Some(unsafe { &*(address as *const PoolHeader) })
    }

    /// Visit every carved pool header of every live arena, in arena-vector then address order.
    fn for_each_carved_pool(&self, mut f: impl FnMut(usize, &ArenaObject, &PoolHeader)) {
        for (i, ao) in self.arenas.iter().enumerate() {
            let mut base = ao.first_pool();
            while let Some(pool) = self.carved_pool(ao, base) {
                f(i, ao, pool);
                base += POOL_SIZE;
            }
        }
    }

    /// The empty pools on `ao.freepools`, in list order (the walk stops after `limit`, so a
    /// cyclic list cannot hang an invariant check).
    fn free_pools<'a>(
        &'a self,
        ao: &'a ArenaObject,
        limit: usize,
    ) -> impl Iterator<Item = &'a PoolHeader> + 'a {
        let mut p = ao.freepools;
        std::iter::from_fn(move || {
            if p.is_null() {
                return None;
            }
            // SAFETY: freepools links live, carved pools of this live arena.
            let pool = unsafe { &*p };
            p = pool.nextpool;
            Some(pool)
        })
        .take(limit)
    }

    /// The used pools of `class`: `(address, header)` in list order from the sentinel, ending
    /// with `(sentinel, None)`. A caller walking a list that may be broken stops on a repeat.
    fn used_pools(
        &self,
        class: usize,
    ) -> impl Iterator<Item = (*const PoolHeader, Option<&PoolHeader>)> + '_ {
        let head = self.sentinel(class).cast_const();
        // SAFETY: the sentinel is live for as long as self.
        let mut p = unsafe { (*head).nextpool }.cast_const();
        let mut done = false;
        std::iter::from_fn(move || {
            if done {
                return None;
            }
            if p == head {
                done = true;
                return Some((p, None));
            }
            // SAFETY: a used list links live, initialised pools of its class.
            let pool = unsafe { &*p };
            let item = (p, Some(pool));
            p = pool.nextpool;
            Some(item)
        })
    }

    /// The addresses on `pool`'s free-block list, in LIFO order (at most `limit`).
    fn free_blocks(pool: &PoolHeader, limit: usize) -> impl Iterator<Item = *mut Block> {
        let mut b = pool.freeblock;
        std::iter::from_fn(move || {
            if b.is_null() {
                return None;
            }
            let here = b;
            // SAFETY: free-list blocks are free blocks of a live pool; their first word is the
            // next link.
            b = unsafe { asan::read_link(b) };
            Some(here)
        })
        .take(limit)
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
