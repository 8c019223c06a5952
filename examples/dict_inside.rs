//! Inside a dict: an index array of small integers pointing into a dense entries array,
//! open addressing with a perturbed probe sequence, a deleted key's dummy slot, a resize,
//! 16-byte entries for str-only keys vs 24-byte ones, and insertion order for free.
//!
//! Run: `cargo run --example dict_inside`
//!
//! Things to notice:
//! - int keys hash to themselves, so key 64 wants slot `64 & 7 = 0`, finds key 0 there,
//!   and moves on to `(5*0 + perturb + 1) & 7` with `perturb = 64 >> 5`;
//! - `del d[0]` leaves a dummy (-2) in its index slot, so the lookup of 64 still walks past
//!   it, and the entry stays used until the next resize;
//! - the resize happens when `dk_usable` reaches 0, sizes the table for `len(d) * 3`,
//!   drops the dummy and compacts the entries — in their order, which is why iteration
//!   order is insertion order;
//! - it is not "a C++ map" (a sorted tree): there is no ordering by key and no tree; it is a
//!   hash table whose entries are kept in insertion order.
//!
//! tests/examples.rs replays the same operations in python3 and compares the index arrays
//! (read with ctypes) and `sys.getsizeof`.

mod common;

use pylayout::inspect::tour::{self, TableView};
use pylayout::types::dict::ProbeStep;

fn keys(k: &[i64]) -> String {
    k.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
}

fn table(stage: &str, t: &TableView) {
    println!("indices[{stage}] = {:?}", t.indices);
    println!("getsizeof[{stage}] = {}", t.getsizeof);
    println!(
        "  {} slots of {} byte(s), room for {} entries of {} bytes; len {}, dk_usable {}, dk_nentries {}; keys object {} bytes",
        t.size,
        t.index_width,
        t.entry_capacity,
        t.entry_size,
        t.used,
        t.usable,
        t.nentries,
        t.keys_bytes
    );
    for e in &t.entries {
        println!(
            "  entry {}: hash {:>3}, key {}",
            e.index,
            e.hash,
            e.key.as_deref().unwrap_or("NULL (deleted)")
        );
    }
}

fn probe(key: i64, path: &[ProbeStep]) {
    let steps: Vec<String> = path
        .iter()
        .map(|p| format!("slot {} (perturb {}) holds {}", p.slot, p.perturb, p.index))
        .collect();
    println!("lookup of {key}: {}", steps.join(" -> "));
}

fn main() {
    let d = tour::dicts();

    common::step("Empty");
    println!(
        "sys.getsizeof({{}}) = {}: no table of its own (the shared empty keys)",
        d.empty_getsizeof
    );

    common::step("Insert");
    println!("keys inserted: {}", keys(&d.first_keys));
    table("inserted", &d.table);
    probe(d.probe_key, &d.probe);
    println!(
        "(each step: i = (5*i + perturb + 1) & mask, perturb >>= {})",
        d.perturb_shift
    );

    common::step("Delete");
    println!("key deleted: {}", d.deleted_key);
    table("deleted", &d.after_delete);
    probe(d.probe_key, &d.probe_after_delete);
    println!(
        "(DKIX_DUMMY = {}: keep probing; DKIX_EMPTY = {}: stop)",
        d.dkix_dummy, d.dkix_empty
    );

    common::step("Fill, then resize");
    println!("keys filled: {}", keys(&d.fill_keys));
    table("full", &d.before_resize);
    println!("resize key: {}", d.resize_key);
    println!(
        "dk_usable is 0: inserting {} resizes first, for at least GROWTH_RATE = len(d) * 3 = {} slots' worth",
        d.resize_key, d.growth_rate
    );
    table("resized", &d.after_resize);

    common::step("Order");
    println!("list(d) = [{}]", keys(&d.order));

    common::step("str keys vs other keys");
    println!(
        "{} str keys: sys.getsizeof = {} ({}-byte entries: key, value; the hash is read from the str)",
        d.compare_keys, d.str_keys_getsizeof, d.unicode_entry
    );
    println!(
        "{} int keys: sys.getsizeof = {} ({}-byte entries: hash, key, value)",
        d.compare_keys, d.int_keys_getsizeof, d.general_entry
    );

    common::explore(&[
        "pylayout layout \"{0: None, 64: None, 5: None}\"",
        "pylayout grow dict",
        "pylayout tour --section dict",
        "pylayout cost dict insert --vs indexmap",
    ]);
}
