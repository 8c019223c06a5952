//! The claims of a classic (Chinese) article on Python memory management, each checked live
//! against pylayout's CPython 3.11 objects: the claim (paraphrased), a verdict — true,
//! partly, false, or out of date since a 3.x release — and the evidence, computed now.
//!
//! Run: `cargo run --example myths`
//!
//! Things to notice:
//! - the reference-counting rules hold; "the collector frees objects whose count is 0" does
//!   not: reference counting frees them, at once, and the collector only exists for cycles;
//! - the pyramid's layers exist, but its numbers are older CPython's, and the "private pool
//!   per type" is really a short free list of whole objects on top of shared pools;
//! - assignment never copies; list and tuple are arrays (of pointers), dict is a hash table
//!   that keeps insertion order, str an array of fixed-width code units.

mod common;

use pylayout::alloc::{MAX_POOLS_IN_ARENA, SMALL_REQUEST_THRESHOLD, blocks_per_pool, size_class};
use pylayout::inspect::layout::layout;
use pylayout::inspect::poolmap::PoolMap;
use pylayout::inspect::tour;
use pylayout::runtime::{self, RawBlock};
use pylayout::types::float::PyFloat;
use pylayout::types::int::PyInt;

/// One claim, checked.
struct Check {
    claim: &'static str,
    verdict: &'static str,
    evidence: String,
}

const RISE_FALL: &str = "\
import sys
x = []
print(sys.getrefcount(x) - 1)
y = x
print(sys.getrefcount(x) - 1)
box = [x]
print(sys.getrefcount(x) - 1)
def f(p):
    print(sys.getrefcount(p) - 1)
f(x)
print(sys.getrefcount(x) - 1)
del y
print(sys.getrefcount(x) - 1)
box.remove(x)
print(sys.getrefcount(x) - 1)
z = x
z = 0
print(sys.getrefcount(x) - 1)
pair = [x]
del pair
print(sys.getrefcount(x) - 1)
";

const ASSIGNMENT: &str = "\
a = (1, 2)
b = a
print(a is b)
a = a + (3,)
print(a is b, b)
";

fn counts(out: &str) -> Vec<&str> {
    out.lines().collect()
}

fn refcounting() -> [Check; 3] {
    let out = common::run_snippet(RISE_FALL);
    let c = counts(&out);
    let r = tour::refcounts();
    [
        Check {
            claim: "a count rises when an object is created and bound, aliased, passed to a function, put in a container",
            verdict: "true",
            evidence: format!(
                "references to x (getrefcount - 1): bound {}, y = x {}, [x] {}, inside f(x) {}",
                c[0], c[1], c[2], c[3]
            ),
        },
        Check {
            claim: "a count falls when a scope ends, on del, on rebinding, on removal from a container, when the container dies",
            verdict: "true",
            evidence: format!(
                "f returned {}, del y {}, box.remove(x) {}, z = x; z = 0 {}, pair = [x]; del pair {}",
                c[4], c[5], c[6], c[7], c[8]
            ),
        },
        Check {
            claim: "the garbage collector looks for objects whose count is 0 and frees them",
            verdict: "false",
            evidence: format!(
                "reference counting frees them itself, at once: `del` of the last name took pymalloc's blocks in use from {} to {}, no collection ran",
                r.blocks_before_free, r.blocks_after_free
            ),
        },
    ]
}

fn collector() -> Check {
    let c = tour::cycles();
    Check {
        claim: "a cycle collector frees objects that refer to each other",
        verdict: "true",
        evidence: format!(
            "gc.collect() found {} object for a list holding itself, {} for a list <-> dict pair",
            c.self_cycle_found, c.pair_found
        ),
    }
}

fn pyramid() -> [Check; 5] {
    let big = RawBlock::new(SMALL_REQUEST_THRESHOLD + 1);
    let big_in_pool = big.info().is_some();
    drop(big);
    let p = tour::pyramid();

    // Fill three arenas with 512-byte blocks, then free them.
    let per_pool = blocks_per_pool(size_class(512).expect("a small request"));
    let many: Vec<RawBlock> = (0..3 * MAX_POOLS_IN_ARENA * per_pool)
        .map(|_| RawBlock::new(512))
        .collect();
    let peak = runtime::malloc_stats().arenas_allocated_current;
    drop(many);
    let s = runtime::malloc_stats();
    let kept = PoolMap::current().kept_free_arena.is_some();

    // An int's block, freed, then a float.
    runtime::clear_freelists();
    let i = PyInt::from_i64(100_000);
    let int_block = layout(i.as_obj()).block.expect("an int lives in a pool");
    let int_addr = i.as_obj().id();
    drop(i);
    let f = PyFloat::new(1.5);
    let float_block = layout(f.as_obj()).block.expect("a float lives in a pool");
    let float_addr = f.as_obj().id();
    drop(f);

    [
        Check {
            claim: "layers -2, -1 are the OS's, layer 0 is C's malloc/free",
            verdict: "true",
            evidence: format!(
                "arenas are mapped from the OS {} bytes at a time; a {}-byte request goes to malloc (in a pool: {big_in_pool})",
                p.arena_size,
                SMALL_REQUEST_THRESHOLD + 1
            ),
        },
        Check {
            claim: "objects under 256 bytes come from pymalloc, larger ones from malloc",
            verdict: "out of date (512 B in every 3.x measured, 3.6 to 3.13)",
            evidence: format!(
                "SMALL_REQUEST_THRESHOLD = {} bytes, in {} size classes",
                p.small_request_threshold, p.size_classes
            ),
        },
        Check {
            claim: "pymalloc takes 256 KB from malloc at a time",
            verdict: "out of date since 3.10",
            evidence: format!(
                "an arena is {} bytes ({} pools of {} bytes), mapped directly from the OS; 256 KiB arenas of 4 KiB pools were 3.9 and earlier",
                p.arena_size, p.pools_per_arena, p.pool_size
            ),
        },
        Check {
            claim: "freed memory goes back to the pools, never to the OS",
            verdict: "partly",
            evidence: format!(
                "freed blocks stay in their pools, but of {peak} arenas {} were unmapped when their pools were all free (current {}, one wholly free arena kept: {kept})",
                s.arenas_reclaimed, s.arenas_allocated_current
            ),
        },
        Check {
            claim: "int, float, list have private pools; memory of freed ints cannot serve floats",
            verdict: "false",
            evidence: format!(
                "an int (28 B) got a {}-byte block in pool {} (class {}); freed, the next float (24 B) got class {} in pool {}, same address: {}. Only free lists of whole objects are per type (float, list, dict, tuple; no int free list in 3.11)",
                int_block.block_size,
                int_block.pool_index,
                int_block.size_class,
                float_block.size_class,
                float_block.pool_index,
                int_addr == float_addr
            ),
        },
    ]
}

fn objects() -> [Check; 5] {
    let out = common::run_snippet(ASSIGNMENT);
    let lines = counts(&out);
    let g = tour::list_growth();
    let t = tour::tuples();
    let d = tour::dicts();
    let widths = tour::str_widths();
    [
        Check {
            claim: "numbers, strings, tuples are copied on assignment; changing A gives A new memory",
            verdict: "false",
            evidence: format!(
                "b = a binds a second name to the same object (a is b: {}); `a = a + (3,)` builds a new tuple and rebinds a, b is untouched ({})",
                lines[0], lines[1]
            ),
        },
        Check {
            claim: "a list is a dynamic array (like C++ vector)",
            verdict: "true",
            evidence: format!(
                "one array of item pointers, over-allocated: after 1..10 appends allocated = {:?}",
                g.allocated
            ),
        },
        Check {
            claim: "a tuple is a constant array",
            verdict: "partly",
            evidence: format!(
                "its item pointers sit inline at offsets {:?} (separate blocks: {}), fixed at creation — but they point at objects that may themselves change",
                t.item_offsets, t.separate_blocks
            ),
        },
        Check {
            claim: "a dict is like a C++ std::map",
            verdict: "false",
            evidence: format!(
                "std::map is a sorted tree; a dict is a hash table (index slots {:?} into entries) that iterates in insertion order: {:?}",
                d.table.indices, d.order
            ),
        },
        Check {
            claim: "a str is an immutable list, an array as in C",
            verdict: "partly",
            evidence: format!(
                "an array, yes, but of fixed-width code units, not of item pointers: 'abc' plus one wider character is {} bytes per character",
                widths
                    .rows
                    .iter()
                    .map(|r| format!("{} ({} B)", r.kind, r.getsizeof))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        },
    ]
}

fn main() {
    println!("The classic article's claims, checked on CPython 3.11's objects");
    let mut checks: Vec<Check> = Vec::new();
    checks.extend(refcounting());
    checks.push(collector());
    checks.extend(pyramid());
    checks.extend(objects());
    for (n, c) in checks.iter().enumerate() {
        println!("\nclaim {}: {}", n + 1, c.claim);
        println!("verdict {}: {}", n + 1, c.verdict);
        println!("evidence: {}", c.evidence);
    }
    common::explore(&[
        "pylayout tour",
        "pylayout pool",
        "pylayout gc --explain",
        "pylayout cost classic -n 1000",
    ]);
}
