//! "A list is a dynamic array, so inserting and deleting is slow — use a linked list":
//! measured. Growth by over-allocation, then insert and delete at the front, middle and back
//! beside `std::collections::LinkedList`, then the classic sorted-insert experiment. Every
//! count comes from the structures' own counters; times are measured here, now.
//!
//! Run: `cargo run --example list_vs_linked_list` (sizes are small so it finishes in a
//! couple of seconds in a debug build; `pylayout cost` goes further).
//!
//! Things to notice:
//! - appends resize rarely: `allocated` jumps ahead (4, 8, 16, …), so most appends write one
//!   slot;
//! - at the front the list moves every pointer, the linked list none; at the back the list
//!   moves none; in the middle the linked list must first *walk* half the nodes, one
//!   dependent load each;
//! - in the sorted-insert experiment both do the same linear search, and the array's
//!   `memmove` of contiguous pointers usually beats the linked list's walk over scattered
//!   nodes — in a release build (`cargo run --release --example list_vs_linked_list`); a
//!   debug build runs our list's code unoptimised, which the times show.

mod common;

use pylayout::inspect::cost::{self, At, Op, Peer, Spec, Structure, classic};
use pylayout::inspect::tour;

// Count the peers' system allocations, as the `pylayout` binary does.
#[global_allocator]
static ALLOC: pylayout::peers::counting::CountingAlloc = pylayout::peers::counting::CountingAlloc;

/// Items in the insert/delete comparison.
const N: usize = 1000;
/// Operations per counted pass.
const OPS: usize = 100;
/// Items in the classic experiment.
const CLASSIC_N: usize = 400;

fn per(v: u64, ops: u64) -> f64 {
    v as f64 / ops.max(1) as f64
}

fn main() {
    common::step("Growth: l.append(0) ten times");
    let g = tour::list_growth();
    println!("sys.getsizeof([]) = {}", g.empty_getsizeof);
    for (i, (size, allocated)) in g.sizes.iter().zip(&g.allocated).enumerate() {
        println!(
            "len {:>2}: allocated {:>2}, sys.getsizeof {size}",
            i + 1,
            allocated
        );
    }

    common::step(&format!(
        "Insert and delete on {N} items, {OPS} operations, list vs LinkedList"
    ));
    println!(
        "{:<7} {:<14} {:<22} {:>9} {:>9} {:>9} {:>10}",
        "op", "at", "structure", "moves/op", "hops/op", "allocs/op", "median ns"
    );
    for op in [Op::Insert, Op::Delete] {
        for at in [At::Front, At::Middle, At::Back] {
            let mut spec = Spec::new(Structure::List, op, N);
            spec.at = Some(at);
            spec.peers = vec![Peer::Linkedlist];
            spec.ops = OPS;
            spec.reps = 3;
            spec.budget_secs = 0.02;
            spec.validate(true).expect("a valid spec");
            for r in cost::cost(&spec).rows {
                println!(
                    "{:<7} {:<14} {:<22} {:>9.1} {:>9.1} {:>9.2} {:>10.0}",
                    op.name(),
                    at.phrase(),
                    r.name,
                    per(r.counted.item_moves, r.ops),
                    per(r.counted.hops, r.ops),
                    per(r.counted.allocs, r.ops),
                    r.time.median_ns
                );
            }
        }
    }

    common::step(&format!(
        "The classic: insert {CLASSIC_N} random ints in sorted position, then remove them at random"
    ));
    let report = classic(CLASSIC_N, &[Peer::Vec, Peer::Linkedlist], 3, 1, &mut |_| {});
    println!(
        "{:<22} {:>8} {:>8} {:>9} {:>10} {:>8}",
        "structure", "moves", "hops", "compares", "median µs", "vs ours"
    );
    for r in &report.rows {
        println!(
            "{:<22} {:>8} {:>8} {:>9} {:>10.1} {:>8.2}",
            r.name,
            r.counted.item_moves,
            r.counted.hops,
            r.counted.compares,
            r.time.median_ns / 1e3,
            r.vs_ours
        );
    }
    println!("{}", report.reading);

    common::explore(&[
        "pylayout grow list",
        "pylayout cost list insert --at front --vs linkedlist",
        "pylayout cost list insert --at middle -n 1000",
        "pylayout cost classic -n 1000",
    ]);
}
