//! The pymalloc pyramid, from the outside in: allocate some blocks and objects, then walk
//! the arena's pools and watch them change state (untouched → used → full → empty).
//!
//! Run: `cargo run --example pyramid`
//!
//! Things to notice:
//! - a pool serves one size class; a 24-byte float and a 28-byte int both take 32-byte blocks
//!   and so share pools (there is no "private pool per type" — only the float free list);
//! - freeing every block of a pool makes it *empty*, and an empty pool can be reused for any
//!   other size class;
//! - the second free block handed out is the last one freed (LIFO free lists).

use pylayout::alloc::PoolState;
use pylayout::runtime::{self, RawBlock};
use pylayout::types::float::PyFloat;
use pylayout::types::int::PyInt;

fn show(title: &str) {
    println!("\n-- {title}");
    let snapshot = runtime::with_heap(|h| h.snapshot());
    for arena in &snapshot {
        let untouched = arena
            .pools
            .iter()
            .filter(|p| p.state == PoolState::Untouched)
            .count();
        println!(
            "arena {} at {:#x}: {} pools ({} free), {} never touched",
            arena.index, arena.address, arena.ntotalpools, arena.nfreepools, untouched
        );
        for (i, pool) in arena.pools.iter().enumerate() {
            if pool.state == PoolState::Untouched {
                continue;
            }
            let class = pool
                .size_class
                .map(|c| format!("{:>3}-byte blocks", (c + 1) * 16))
                .unwrap_or_else(|| "      no class".into());
            println!(
                "  pool {i:>2} {:<6} {class}  {:>4} / {:>4} in use",
                format!("{:?}", pool.state).to_lowercase(),
                pool.blocks_in_use,
                pool.blocks_total
            );
        }
    }
    let s = runtime::malloc_stats();
    println!(
        "blocks in use {}, bytes in allocated blocks {}",
        s.blocks_in_use(),
        s.bytes_in_allocated_blocks
    );
}

fn main() {
    show("a fresh runtime: no arena yet");

    let floats: Vec<PyFloat> = (0..300).map(|i| PyFloat::new(i as f64 + 0.5)).collect();
    let ints: Vec<PyInt> = (0..300).map(|i| PyInt::from_i64(1000 + i)).collect();
    show("300 floats (24 B) and 300 ints (28 B): both in 32-byte blocks, sharing pools");

    let fill: Vec<RawBlock> = (0..31).map(|_| RawBlock::new(512)).collect();
    show("31 blocks of 512 bytes: exactly one full pool");

    drop(fill);
    show("freed: that pool is empty now, ready for any size class");

    let a = RawBlock::new(100);
    let b = RawBlock::new(100);
    let (a_addr, b_addr) = (a.address(), b.address());
    drop(a);
    drop(b);
    let c = RawBlock::new(100);
    let d = RawBlock::new(100);
    println!(
        "\nLIFO: freed {a_addr:#x} then {b_addr:#x}; next allocations get {:#x} then {:#x}",
        c.address(),
        d.address()
    );
    println!(
        "the 112-byte pool went into pool {} — the empty one was reused",
        c.info().map(|i| i.pool_index).unwrap_or_default()
    );
    drop((c, d, floats, ints));
    runtime::clear_freelists();
    show("everything dropped and the float free list cleared");
}
