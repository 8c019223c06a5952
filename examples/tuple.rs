//! Tuples: the items live inside the object (no second block, unlike a list), `()` is one
//! static object, freed tuples wait on a free list per length, and "immutable" means every
//! change is a new tuple with every pointer copied.
//!
//! Run: `cargo run --example tuple`
//!
//! Things to notice:
//! - `sys.getsizeof((a, b, c))` is 40 + 8 per item: header, GC head, then the item pointers
//!   at offsets 24, 32, 40 of the same block; a list of three needs a separate item array;
//! - `()`, `tuple()` and `t[0:0]` are the same statically allocated object;
//! - a freed 2-tuple's block goes on the 2-tuples' free list and the next 2-tuple takes it
//!   (same address); lengths 1..=20 have their own lists, longer tuples go back to pymalloc;
//! - `t + (x,)` on a tuple of 1000 items builds a new tuple and copies 1001 pointers.

mod common;

use pylayout::inspect::tour;
use pylayout::runtime;
use pylayout::types::none::none;
use pylayout::types::tuple::{self, PYTUPLE_MAXSAVESIZE, PyTuple};

fn main() {
    let t = tour::tuples();

    common::step("Items inline");
    println!(
        "sys.getsizeof((a, b, c)) = {} (GC head {} bytes in front)",
        t.getsizeof_3, t.gc_head
    );
    println!(
        "item offsets inside the tuple object: {:?}; separate blocks: {}",
        t.item_offsets, t.separate_blocks
    );
    println!(
        "sys.getsizeof([a, b, c]) = {}, its item array a separate {}-byte block",
        t.list_getsizeof_3, t.list_item_block
    );

    common::step("The empty tuple");
    println!("sys.getsizeof(()) = {}", t.empty_getsizeof);
    println!(
        "() is tuple(): {}; t[0:0] is (): {}; statically allocated: {}",
        t.empty_is_tuple_call, t.empty_slice_is_empty, t.empty_is_static
    );

    common::step("Free lists by length");
    println!(
        "a 2-tuple at {:#x}, deleted: 2-tuples on the free list: {}",
        t.freed_address, t.free_list_len_after_del
    );
    println!(
        "the next 2-tuple is at {:#x}: same address: {}",
        t.next_address, t.address_reused
    );
    runtime::clear_freelists();
    let make = |n: usize| PyTuple::new((0..n).map(|_| none()).collect());
    for n in [1, 2, 3, PYTUPLE_MAXSAVESIZE] {
        drop(make(n));
        println!(
            "after freeing one {n}-tuple: {n}-tuples on the free list: {}",
            tuple::free_list_len(n)
        );
    }
    let long = make(PYTUPLE_MAXSAVESIZE + 1);
    let before = runtime::allocated_blocks();
    drop(long);
    println!(
        "after freeing one {}-tuple: pymalloc blocks in use {} -> {} (no free list: its block is freed)",
        PYTUPLE_MAXSAVESIZE + 1,
        before,
        runtime::allocated_blocks()
    );
    println!(
        "(lengths 1..={} have lists of up to {} tuples each)",
        t.free_list_lengths, t.free_list_max
    );

    common::step("What immutable costs");
    println!(
        "t has {} items, sys.getsizeof(t) = {}",
        t.concat_len, t.concat_before_getsizeof
    );
    println!(
        "t + (x,): a new object: {}, sys.getsizeof = {}, pointers copied: {}",
        t.concat_new_object, t.concat_after_getsizeof, t.concat_pointers_copied
    );

    common::explore(&[
        "pylayout layout \"(1.5, 2.5, 3.5)\"",
        "pylayout tour --section tuple",
        "pylayout cost tuple concat -n 1000",
    ]);
}
