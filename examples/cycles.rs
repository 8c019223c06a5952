//! A reference cycle that reference counting cannot free, the cycle collector's view of it
//! (gc_refs, step by step), and the collection that frees it.
//!
//! Run: `cargo run --example cycles`
//!
//! Things to notice:
//! - after `del a, b` nothing outside can reach the list and the dict, yet each still has
//!   `ob_refcnt` 1 — the other's reference — so reference counting never frees them and
//!   their pymalloc blocks stay in use;
//! - `update_refs` copies each count into gc_refs; `subtract_refs` removes the references
//!   coming from inside the tracked set, so what is left counts references from *outside*;
//! - `keep[0]` also ends at gc_refs 0 (only `keep` refers to it), but it is reachable from
//!   `keep`, which a variable holds: `move_unreachable` moves it back. gc_refs 0 is only
//!   "not held from outside", not "garbage";
//! - `gc.collect()` returns the number of unreachable objects it found: python3 returns the
//!   same number for this snippet (tests/examples.rs checks).

mod common;

use pylayout::gc::Fate;
use pylayout::inspect::gc::{explain_collection, global_names};
use pylayout::script::{self, Outcome, RunOptions, Startup};

const SNIPPET: &str = "\
import sys, gc
gc.disable()
gc.collect()
keep = [[1, 2]]
a = []
b = {'a': a}
a.append(b)
print('refcounts with names:', sys.getrefcount(a) - 1, sys.getrefcount(b) - 1)
del a, b
";

fn main() {
    common::step("Build a cycle, then drop the names");
    common::show_snippet(SNIPPET);
    println!("--- pylayout's runner prints ---");
    let mut out = Vec::new();
    let opts = RunOptions {
        startup: Some(Startup::File),
        ..RunOptions::default()
    };
    // Look at the state the snippet left, before its module is torn down.
    let (outcome, explained) = script::run_inspect(SNIPPET, &opts, &mut out, None, |interp| {
        explain_collection(2, 20, &global_names(interp))
    });
    print!("{}", String::from_utf8_lossy(&out));
    if !matches!(outcome, Outcome::Ok) {
        panic!("the snippet failed: {outcome:?}");
    }
    let e = explained.expect("the snippet compiled");
    println!("(a: its name and b's value; b: its name and a's item)");

    common::step("What the collector computes (gc.collect(2), generations merged)");
    println!(
        "{:>3}  {:<6} {:<26} {:>9} {:>13} {:>13}  result",
        "#", "type", "object", "ob_refcnt", "internal refs", "gc_refs left"
    );
    for o in &e.objects {
        let result = match (o.fate, o.reached_from) {
            (Fate::Freed, _) => "unreachable: freed".to_string(),
            (Fate::FreedAfter, _) => "reachable only through the garbage: freed".to_string(),
            (_, Some(r)) => format!("reachable from #{r}"),
            (Fate::Untracked, None) => "reachable, untracked".to_string(),
            (Fate::Survives, None) => "reachable (held from outside)".to_string(),
        };
        let object = match &o.name {
            Some(n) => format!("{n} = {}", o.summary),
            None => o.summary.clone(),
        };
        println!(
            "{:>3}  {:<6} {:<26} {:>9} {:>13} {:>13}  {result}",
            o.row, o.type_name, object, o.ob_refcnt, o.internal_refs, o.gc_refs_after_subtract_refs
        );
    }
    println!(
        "(#n inside an object is row n. Rows without a name: the cycle a, b; any other row is\n \
         held by the runner's modules and constants, as CPython holds many more.)"
    );

    common::step("The collection");
    println!("gc.collect() returned {}", e.collect_returned);
    println!(
        "pymalloc blocks in use: {} before, {} after",
        e.blocks_before, e.blocks_after
    );
    println!(
        "the plan (computed on a copy) agreed with the real collection: {}",
        e.agrees
    );

    common::explore(&[
        "pylayout gc --explain",
        "pylayout gc",
        "pylayout tour --section gc",
    ]);
}
