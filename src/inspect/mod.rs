//! Turns live objects and allocator state into plain data for the explorer: field tables,
//! block placement, workloads. Everything the CLI prints is computed here (and tested here),
//! so what is printed is what is tested.
//!
//! ```text
//!  types/, gc/, alloc/  ──(public API only)──▶  inspect::*  ──plain structs (Serialize)──▶  cli
//!     live objects,                              computes every number          tables, diagrams,
//!     the heap, the GC                                                          JSON, SVG
//! ```
//!
//! | module | computes | shown by |
//! |---|---|---|
//! | [`layout`] | one object's C fields, size parts, owned blocks, placement in the pools | `pylayout layout` |
//! | [`grow`] | every point where a container's size changes while it grows | `pylayout grow` |
//! | [`cost`] | counted (and timed) costs of an operation, ours beside the [`crate::peers`] | `pylayout cost`, `bench` |
//! | [`poolmap`] | every arena and pool: class, fullness, state | `pylayout pool --map` |
//! | [`gc`] | the collector's state; one collection explained object by object | `pylayout gc` |
//! | [`workload`] | built-in workloads that leave the heap in a state worth looking at | `pylayout pool --workload` |
//! | [`tour`] | the facts of the guided tour, one function per section | `pylayout tour` |
//! | [`verify`] | the probes run in a real interpreter and in pylayout, compared | `pylayout verify` |
//!
//! Start with [`layout::layout`] (its example reads a list field by field). The same data
//! serialises to the explorer's `--json`, so a program can use this crate or the binary's
//! JSON alike:
//!
//! ```
//! use pylayout::inspect::grow::list_growth;
//!
//! // `pylayout grow list --to 20`: the sizes sys.getsizeof reports after each resize.
//! let g = list_growth(20);
//! let points: Vec<(u64, u64, u64)> = g.points.iter().map(|p| (p.len, p.capacity, p.size)).collect();
//! assert_eq!(points, [(0, 0, 56), (1, 4, 88), (5, 8, 120), (9, 16, 184), (17, 24, 248)]);
//! ```

pub mod cost;
pub mod gc;
pub mod grow;
pub mod layout;
pub mod poolmap;
pub mod tour;
pub mod verify;
pub mod workload;

/// A number with thousands separators (`1,234,567`), as CPython's `printone` writes it and as
/// the readings under the tables quote it.
pub fn commas(v: u64) -> String {
    let digits = v.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
