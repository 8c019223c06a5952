//! Layer 1: pymalloc, CPython's small-object allocator (`Objects/obmalloc.c`, 3.11, 64-bit).
//!
//! CPython never asks the C library for every small object. Requests of at most 512 bytes
//! are served from its own three-level structure; larger ones go straight to `malloc`:
//!
//! ```text
//!   arena  (1 MiB, mmap'd)        an arena_object in `arenas[]` describes each one
//!   ├── [lost to alignment]       if the mapping is not 16 KiB-aligned, one pool's worth
//!   ├── pool 0 (16 KiB)           pools are carved lazily from `pool_address`
//!   │     ├── pool_header (48 B)  ref.count, freeblock, nextpool, prevpool, arenaindex,
//!   │     │                       szidx, nextoffset, maxnextoffset
//!   │     ├── block 0             every block in a pool has the same size class
//!   │     ├── block 1             (freed blocks form a LIFO list through their first word)
//!   │     ├── ...                 (never-used blocks are carved at `nextoffset`)
//!   │     └── [quantization]      (16 KiB - 48) mod block size: bytes no block can use
//!   ├── pool 1
//!   └── ... up to 64 pools
//! ```
//!
//! Size classes: a request of `n` bytes (1..=512) gets class `(n - 1) >> 4`, a block of
//! `(class + 1) * 16` bytes — 32 classes from 16 to 512 bytes.
//!
//! | class | block | blocks/pool | wasted/pool |   | class | block | blocks/pool | wasted/pool |
//! |------:|------:|------------:|------------:|---|------:|------:|------------:|------------:|
//! |     0 |    16 |        1021 |           0 |   |    16 |   272 |          60 |          16 |
//! |     1 |    32 |         510 |          16 |   |    17 |   288 |          56 |         208 |
//! |     2 |    48 |         340 |          16 |   |    18 |   304 |          53 |         224 |
//! |     3 |    64 |         255 |          16 |   |    19 |   320 |          51 |          16 |
//! |     4 |    80 |         204 |          16 |   |    20 |   336 |          48 |         208 |
//! |     5 |    96 |         170 |          16 |   |    21 |   352 |          46 |         144 |
//! |     6 |   112 |         145 |          96 |   |    22 |   368 |          44 |         144 |
//! |     7 |   128 |         127 |          80 |   |    23 |   384 |          42 |         208 |
//! |     8 |   144 |         113 |          64 |   |    24 |   400 |          40 |         336 |
//! |     9 |   160 |         102 |          16 |   |    25 |   416 |          39 |         112 |
//! |    10 |   176 |          92 |         144 |   |    26 |   432 |          37 |         352 |
//! |    11 |   192 |          85 |          16 |   |    27 |   448 |          36 |         208 |
//! |    12 |   208 |          78 |         112 |   |    28 |   464 |          35 |          96 |
//! |    13 |   224 |          72 |         208 |   |    29 |   480 |          34 |          16 |
//! |    14 |   240 |          68 |          16 |   |    30 |   496 |          32 |         464 |
//! |    15 |   256 |          63 |         208 |   |    31 |   512 |          31 |         464 |
//!
//! (The table is checked by a unit test against [`blocks_per_pool`] and by an oracle test
//! against `sys._debugmallocstats()` of the real interpreter.)
//!
//! Pool states: **used** (some blocks free, linked in `usedpools[class]`), **full** (linked
//! nowhere), **empty** (on its arena's `freepools` list, ready for any class). Arenas with a
//! free pool sit in `usable_arenas`, sorted by ascending `nfreepools` so the busiest arena is
//! used first and nearly empty ones can drain and be unmapped.
//!
//! # Sizes, in code
//!
//! The policy is a handful of `const fn`s, usable without an allocator:
//!
//! ```
//! use pylayout::alloc::{block_size_for, blocks_per_pool, quantization_per_pool, size_class};
//!
//! assert_eq!(size_class(24), Some(1)); // a float: 24 bytes -> class 1 ...
//! assert_eq!(block_size_for(24), Some(32)); // ... a 32-byte block
//! assert_eq!(block_size_for(56), Some(64)); // an empty list with its GC head
//! assert_eq!(size_class(512), Some(31)); // the largest small request
//! assert_eq!(size_class(513), None); // goes to malloc
//! assert_eq!(size_class(0), None); // so does malloc(0)
//! assert_eq!((blocks_per_pool(1), quantization_per_pool(1)), (510, 16));
//! ```
//!
//! and a [`Pymalloc`] hands out real blocks and says where each one sits:
//!
//! ```
//! use pylayout::alloc::Pymalloc;
//!
//! let mut heap = Pymalloc::new();
//! let a = heap.malloc(24);
//! let b = heap.malloc(24);
//! let big = heap.malloc(600);
//! let (ia, ib) = (heap.block_info(a).unwrap(), heap.block_info(b).unwrap());
//! // The first two blocks of the first class-1 pool, side by side:
//! assert_eq!((ia.size_class, ia.block_size, ia.block_index), (1, 32, 0));
//! assert_eq!((ib.pool_index, ib.block_index), (ia.pool_index, 1));
//! assert_eq!(b as usize - a as usize, 32);
//! assert_eq!(heap.block_info(big), None); // over 512 bytes: the system allocator's
//! assert_eq!(heap.allocated_blocks(), 3);
//! let stats = heap.stats();
//! let class1 = stats.size_classes.iter().find(|c| c.index == 1).unwrap();
//! assert_eq!((class1.pools, class1.blocks_in_use, class1.size), (1, 2, 32));
//! for p in [a, b, big] {
//!     // SAFETY: each pointer came from this heap's `malloc` and is freed once.
//!     unsafe { heap.free(p) };
//! }
//! assert_eq!(heap.allocated_blocks(), 0);
//! ```
//!
//! # Files
//!
//! Read this page, then [`pymalloc`] (its pool-header diagram and file table), then
//! `pymalloc/pools.rs` for `malloc` and `free`: the fast path is a few lines, the new-pool and
//! new-arena paths are `#[cold]`.
//!
//! - [`pymalloc`]: [`Pymalloc`], split by job: `mod.rs` (the types, `malloc`/`calloc`/`free`/
//!   `realloc`, `block_info`, the safe walks over pool headers), `pools.rs` (the size-class/block
//!   path), `arenas.rs` (new arenas and the sorted `usable_arenas` list, safe code),
//!   `introspect.rs` (`stats`, `snapshot`, `check_invariants`, safe code).
//! - [`arena_map`]: the radix tree that answers "is this address ours?" (safe code).
//! - [`stats`]: the numbers `sys._debugmallocstats()` prints, and pool-by-pool snapshots, as
//!   plain data.
//! - `system` (private): layer 0, the C library's `malloc`/`free` and `mmap`/`munmap` of
//!   arenas.
//! - `asan` (private, feature `asan`): tells AddressSanitizer which bytes of an arena are in
//!   use.
//!
//! The files of this layer that use `unsafe` are `pymalloc/mod.rs`, `pymalloc/pools.rs`,
//! `pymalloc/tests.rs`, `system.rs` and `asan.rs`, each saying why in its first lines
//! (`grep -rl 'allow(unsafe_code)' src/alloc` lists them); the rest is safe code, and the safe
//! files under `pymalloc/` say `#![deny(unsafe_code)]` because a lint level set in
//! `pymalloc/mod.rs` would otherwise reach them.

pub mod arena_map;
mod asan;
pub mod pymalloc;
pub mod stats;
mod system;
use crate::profile::{Current, Profile};

pub use pymalloc::{BlockInfo, Pymalloc};
pub use stats::{ArenaSnapshot, ClassStats, MallocStats, PoolSnapshot, PoolState};
pub use system::reserved_bytes as system_reserved_bytes;

/// Block alignment and size-class granularity (`ALIGNMENT`, 16 on 64-bit since 3.8).
pub const ALIGNMENT: usize = Current::ALIGNMENT;
/// `ALIGNMENT_SHIFT`: log2 of [`ALIGNMENT`].
pub const ALIGNMENT_SHIFT: u32 = ALIGNMENT.trailing_zeros();
/// Largest request served from pools (`SMALL_REQUEST_THRESHOLD`); larger ones go to `malloc`.
pub const SMALL_REQUEST_THRESHOLD: usize = Current::SMALL_REQUEST_THRESHOLD;
/// Number of size classes (`NB_SMALL_SIZE_CLASSES`): 512 / 16 = 32.
pub const NB_SMALL_SIZE_CLASSES: usize = SMALL_REQUEST_THRESHOLD / ALIGNMENT;
/// OS page size assumed by obmalloc (`SYSTEM_PAGE_SIZE`).
pub const SYSTEM_PAGE_SIZE: usize = 4096;
/// `ARENA_BITS`: 20 on 64-bit with the radix tree (3.10+).
pub const ARENA_BITS: u32 = Current::ARENA_BITS;
/// Arena size (`ARENA_SIZE`): 1 MiB.
pub const ARENA_SIZE: usize = 1 << ARENA_BITS;
/// `POOL_BITS`: 14 on 64-bit (3.10+; 12 before).
pub const POOL_BITS: u32 = Current::POOL_BITS;
/// Pool size (`POOL_SIZE`): 16 KiB.
pub const POOL_SIZE: usize = 1 << POOL_BITS;
/// `MAX_POOLS_IN_ARENA`: 64.
pub const MAX_POOLS_IN_ARENA: usize = ARENA_SIZE / POOL_SIZE;
/// `POOL_OVERHEAD`: the pool header rounded up to [`ALIGNMENT`] (48 bytes).
pub const POOL_OVERHEAD: usize = pymalloc::POOL_HEADER_SIZE.div_ceil(ALIGNMENT) * ALIGNMENT;
/// `INITIAL_ARENA_OBJECTS`: the `arenas[]` vector starts with 16 slots and doubles.
pub const INITIAL_ARENA_OBJECTS: usize = Current::INITIAL_ARENA_OBJECTS;

const _: () = assert!(POOL_OVERHEAD == 48);
const _: () = assert!(POOL_SIZE.is_multiple_of(ALIGNMENT));
const _: () = assert!(ARENA_SIZE.is_multiple_of(POOL_SIZE));
const _: () = assert!(NB_SMALL_SIZE_CLASSES == 32);
const _: () = assert!(1 << ALIGNMENT_SHIFT == ALIGNMENT);

/// Block size of size class `class` (`INDEX2SIZE`): `(class + 1) << ALIGNMENT_SHIFT`.
#[inline]
pub const fn index_to_size(class: usize) -> usize {
    (class + 1) << ALIGNMENT_SHIFT
}

/// Size class for a request of `nbytes`, or `None` when pymalloc does not serve it
/// (0 bytes, or more than [`SMALL_REQUEST_THRESHOLD`]): `(nbytes - 1) >> ALIGNMENT_SHIFT`.
#[inline]
pub const fn size_class(nbytes: usize) -> Option<usize> {
    if nbytes == 0 || nbytes > SMALL_REQUEST_THRESHOLD {
        None
    } else {
        Some((nbytes - 1) >> ALIGNMENT_SHIFT)
    }
}

/// The block size a request of `nbytes` actually occupies, or `None` for a request that goes to
/// the system allocator.
#[inline]
pub const fn block_size_for(nbytes: usize) -> Option<usize> {
    match size_class(nbytes) {
        Some(c) => Some(index_to_size(c)),
        None => None,
    }
}

/// Blocks in one pool of size class `class` (`NUMBLOCKS`): `(POOL_SIZE - POOL_OVERHEAD) / size`.
#[inline]
pub const fn blocks_per_pool(class: usize) -> usize {
    (POOL_SIZE - POOL_OVERHEAD) / index_to_size(class)
}

/// Bytes at the end of each pool of class `class` that no block can use.
#[inline]
pub const fn quantization_per_pool(class: usize) -> usize {
    (POOL_SIZE - POOL_OVERHEAD) % index_to_size(class)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_cover_1_to_512() {
        assert_eq!(size_class(0), None);
        assert_eq!(size_class(513), None);
        for n in 1..=512usize {
            let c = size_class(n).unwrap();
            let size = index_to_size(c);
            assert!(
                size >= n && size - n < ALIGNMENT,
                "n={n} class={c} size={size}"
            );
        }
        assert_eq!(size_class(16), Some(0));
        assert_eq!(size_class(17), Some(1));
        assert_eq!(size_class(512), Some(31));
    }

    /// The table in the module docs, row by row.
    #[test]
    fn module_doc_table_matches() {
        let doc: [(usize, usize); 32] = [
            (1021, 0),
            (510, 16),
            (340, 16),
            (255, 16),
            (204, 16),
            (170, 16),
            (145, 96),
            (127, 80),
            (113, 64),
            (102, 16),
            (92, 144),
            (85, 16),
            (78, 112),
            (72, 208),
            (68, 16),
            (63, 208),
            (60, 16),
            (56, 208),
            (53, 224),
            (51, 16),
            (48, 208),
            (46, 144),
            (44, 144),
            (42, 208),
            (40, 336),
            (39, 112),
            (37, 352),
            (36, 208),
            (35, 96),
            (34, 16),
            (32, 464),
            (31, 464),
        ];
        for (c, (blocks, waste)) in doc.iter().enumerate() {
            assert_eq!(blocks_per_pool(c), *blocks, "class {c}");
            assert_eq!(quantization_per_pool(c), *waste, "class {c}");
        }
    }
}
