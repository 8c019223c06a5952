//! The classic "memory pyramid" (layers −2 … 3) mapped to what really exists in CPython
//! 3.11 and in pylayout, then one pool filled and emptied, and whole arenas given back.
//!
//! Run: `cargo run --example memory_pyramid`
//!
//! Things to notice:
//! - layers −2 and −1 are the machine and the kernel; pymalloc asks the kernel for whole
//!   1 MiB arenas (`mmap`), and the system allocator (layer 0) serves every request over
//!   512 bytes directly;
//! - `PyMem_Malloc` (layer 1) and `PyObject_Malloc` (layer 2) both go to pymalloc in 3.11:
//!   arenas → 16 KiB pools → blocks of one size class (16 … 512 bytes, 32 classes);
//! - layer 3, the "private pools per type", are short free lists of whole objects (floats,
//!   lists, dicts, tuples) sitting *on top* of shared pymalloc pools;
//! - a pool serves one class while it holds blocks, and can serve any class once empty;
//! - freed memory is not all kept: an arena whose pools are all free is unmapped (returned
//!   to the OS), except one kept to avoid thrashing.

mod common;

use pylayout::alloc::{self, MAX_POOLS_IN_ARENA, PoolState};
use pylayout::inspect::poolmap::PoolMap;
use pylayout::inspect::tour;
use pylayout::runtime::{self, RawBlock};
use pylayout::types::dict::PYDICT_MAXFREELIST;
use pylayout::types::float::PYFLOAT_MAXFREELIST;
use pylayout::types::list::PYLIST_MAXFREELIST;
use pylayout::types::tuple::{PYTUPLE_MAXFREELIST, PYTUPLE_MAXSAVESIZE};

/// The request size used to fill pools: the largest small request, 31 blocks per pool.
const BIG_BLOCK: usize = 512;

fn arenas_line() {
    let s = runtime::malloc_stats();
    println!(
        "arenas: allocated total {}, reclaimed {}, highwater {}, current {} ({} bytes mapped)",
        s.arenas_allocated_total,
        s.arenas_reclaimed,
        s.arenas_highwater_mark,
        s.arenas_allocated_current,
        s.arena_bytes
    );
}

/// The pool holding `b`, as the pool map sees it.
fn pool_of(b: &RawBlock) -> String {
    let info = b.info().expect("a small request lives in a pool");
    let map = PoolMap::current();
    let arena = map
        .arenas
        .iter()
        .find(|a| a.index == info.arena_index)
        .expect("the block's arena is live");
    let p = &arena.pools[info.pool_index];
    format!(
        "pool {} of arena {}: {:?}, {} / {} blocks of {} bytes",
        p.index, arena.index, p.state, p.blocks_in_use, p.blocks_total, info.block_size
    )
}

fn main() {
    let p = tour::pyramid();
    common::step("The pyramid, layer by layer");
    println!("layer -2  physical memory and swap: the machine; no program sees it directly");
    println!(
        "layer -1  the kernel's virtual memory: pymalloc maps whole arenas of {} bytes",
        p.arena_size
    );
    let big = RawBlock::new(p.small_request_threshold + 1);
    println!(
        "layer  0  the system allocator (malloc): a {}-byte request is in a pool: {} \
         (system blocks held now: {})",
        big.size(),
        big.info().is_some(),
        runtime::malloc_stats().raw_allocated_blocks
    );
    drop(big);
    let small = RawBlock::new(100);
    let info = small.info().expect("a small request lives in a pool");
    println!(
        "layer  1  PyMem_Malloc: in 3.11 also pymalloc — a 100-byte request got a {}-byte block \
         (class {}) in pool {} of arena {}",
        info.block_size, info.size_class, info.pool_index, info.arena_index
    );
    drop(small);
    println!(
        "layer  2  pymalloc: arenas of {} pools of {} bytes ({}-byte header); blocks of {} \
         size classes up to {} bytes",
        p.pools_per_arena, p.pool_size, p.pool_overhead, p.size_classes, p.small_request_threshold
    );
    println!("          request -> class -> block size, blocks per pool, bytes wasted per pool:");
    for r in &p.rows {
        println!(
            "          {:>4} B -> class {:>2} -> {:>3} B, {:>4} per pool, {:>3} B wasted",
            r.request, r.size_class, r.block_size, r.blocks_per_pool, r.wasted_per_pool
        );
    }
    println!(
        "layer  3  object free lists on top of pymalloc: float {PYFLOAT_MAXFREELIST}, \
         list {PYLIST_MAXFREELIST}, dict {PYDICT_MAXFREELIST}, tuple {PYTUPLE_MAXFREELIST} \
         per length for lengths 1..={PYTUPLE_MAXSAVESIZE}"
    );
    println!(
        "          (the article's 256 B and 256 KB are older CPython's numbers: 3.11 serves up to \
         {} B from pools and maps {} MiB arenas)",
        p.small_request_threshold,
        p.arena_size >> 20
    );

    common::step("One pool fills and empties");
    let per_pool = alloc::blocks_per_pool(alloc::size_class(BIG_BLOCK).expect("small"));
    let mut blocks: Vec<RawBlock> = Vec::new();
    for n in 1..=per_pool {
        blocks.push(RawBlock::new(BIG_BLOCK));
        if n == 1 || n == per_pool - 1 || n == per_pool {
            println!("{n:>3} blocks: {}", pool_of(&blocks[0]));
        }
    }
    let first = blocks.remove(0);
    let (arena, pool) = first
        .info()
        .map(|i| (i.arena_index, i.pool_index))
        .expect("in a pool");
    drop(blocks);
    println!("{:>3} left : {}", 1, pool_of(&first));
    drop(first);
    let map = PoolMap::current();
    let state = map
        .arenas
        .iter()
        .find(|a| a.index == arena)
        .map(|a| a.pools[pool].state);
    println!(
        "  0 left : pool {pool} of arena {arena}: {:?} (on its arena's free pools)",
        state.unwrap_or(PoolState::Untouched)
    );
    let other = RawBlock::new(24);
    let o = other.info().expect("in a pool");
    println!(
        "a 24-byte request now: {}-byte block in pool {} of arena {} — the empty pool took a new class: {}",
        o.block_size,
        o.pool_index,
        o.arena_index,
        o.pool_index == pool && o.arena_index == arena
    );
    drop(other);

    common::step("Arenas are returned to the OS");
    arenas_line();
    let three_arenas = 3 * MAX_POOLS_IN_ARENA * per_pool;
    let mut many: Vec<RawBlock> = (0..three_arenas)
        .map(|_| RawBlock::new(BIG_BLOCK))
        .collect();
    println!("after {three_arenas} blocks of {BIG_BLOCK} bytes:");
    arenas_line();
    many.truncate(per_pool);
    println!("after freeing all but one pool's worth:");
    arenas_line();
    let map = PoolMap::current();
    println!(
        "wholly free arena kept (not unmapped, to avoid thrashing): {}",
        map.kept_free_arena
            .map_or("none".to_string(), |a| format!("arena {a}"))
    );
    drop(many);

    common::explore(&[
        "pylayout pool",
        "pylayout pool --map",
        "pylayout tour --section pyramid",
        "pylayout layout 1.5",
    ]);
}
