//! pylayout: CPython 3.11's core objects rebuilt in Rust, byte for byte, and the tools to
//! look inside them.
//!
//! This is study material as much as a library. Every object here is a real `#[repr(C)]`
//! block in real memory with CPython's header (`ob_refcnt`, `ob_type`), allocated from a
//! pymalloc-style pool allocator, freed the moment its reference count reaches zero, and
//! swept by a generational cycle collector when it is part of a cycle. `sys.getsizeof`,
//! field offsets, over-allocation, hash values, dict order, free lists and `gc.collect()`
//! results are those of CPython 3.11 on 64-bit Linux, and the tests check them against a
//! running `python3`.
//!
//! # The layers
//!
//! Each layer uses only the layers below it (`tests/layers.rs` draws the import graph from
//! the code and checks it):
//!
//! ```text
//!  layer 5   inspect/   live objects and policies turned into plain data: layouts, growth,
//!                       costs, pool maps, GC views (everything the explorer prints)
//!            script/    a runner for a subset of Python that evaluates over these objects
//!  layer 4   types/     int, float, list, tuple, dict, str, None, each with its own state
//!                       (free lists, static objects) gathered in types::state
//!            peers/     Vec, VecDeque, linked lists, IndexMap, HashMap ...: the structures
//!                       compared with CPython's in the cost views
//!  layer 3   cost       counters of what an operation did: item moves, bytes copied, probes
//!  layer 2   object/    PyObject header, the Obj handle (refcounting), TypeObject; beside it
//!                       object::runtime (the per-thread heap, trashcan, tracer, hash key) and
//!                       object::gc (the generational cycle collector, which knows a type only
//!                       by its TypeObject slots); both re-exported as `runtime` and `gc`
//!  layer 1   alloc/     pymalloc: arenas (1 MiB) -> pools (16 KiB) -> blocks (16..512 B)
//!            hash       CPython's hash functions (SipHash-1-3 for str, int/float/tuple)
//!            error      Python exceptions as Rust values
//!  layer 0   profile    each CPython version's facts: sizes, limits, growth policies
//! ```
//!
//! The `pylayout` binary (`src/main.rs` and `src/cli/`, not part of this library) parses
//! arguments, calls [`inspect`] and [`script`], and only formats what they return.
//!
//! # A first look
//!
//! A list starts with no item array; the first `append` over-allocates to 4 slots, the fifth
//! to 8 (`list_resize` in `Objects/listobject.c`), and `sys.getsizeof` grows by 8 bytes per
//! slot on top of the 56 of the list object and its GC head:
//!
//! ```
//! use pylayout::types::int::PyInt;
//! use pylayout::types::list::PyList;
//!
//! let l = PyList::new();
//! assert_eq!((l.len(), l.allocated(), l.as_obj().getsizeof()), (0, 0, 56));
//! for i in 0..5 {
//!     l.append(PyInt::from_i64(i).into_obj());
//! }
//! assert_eq!((l.len(), l.allocated(), l.as_obj().getsizeof()), (5, 8, 120));
//!
//! // The same numbers, field by field, as the explorer shows them:
//! let lay = pylayout::inspect::layout::layout(l.as_obj());
//! let allocated = lay.fields.iter().find(|f| f.name == "allocated").unwrap();
//! assert_eq!(allocated.value, 8);
//! assert_eq!(lay.size_parts.iter().map(|p| p.bytes).sum::<usize>(), 120);
//! ```
//!
//! Or run Python and watch the same objects do it:
//!
//! ```
//! use pylayout::script::{Outcome, RunOptions, run};
//!
//! let mut out = Vec::new();
//! let src = "import sys\nx = []\nx.append(1)\nprint(sys.getsizeof(x))\n";
//! let outcome = run(src, &RunOptions::default(), &mut out, None);
//! assert!(matches!(outcome, Outcome::Ok));
//! assert_eq!(String::from_utf8(out).unwrap(), "88\n");
//! ```
//!
//! # Where to start reading
//!
//! | to understand | read |
//! |---|---|
//! | how memory is carved up | [`alloc`] (size classes, the pool diagram), then [`alloc::Pymalloc`] |
//! | what every object has in common | [`object`] ([`object::Obj`] is `Py_INCREF`/`Py_DECREF` as a Rust handle) |
//! | each container | [`types::list`], [`types::tuple`], [`types::dict`], [`types::str`], [`types::int`], [`types::float`] |
//! | how cycles are freed | [`gc`], then [`gc::collect`] and [`gc::plan_collection`] |
//! | the numbers the explorer prints | [`inspect::layout::layout`], [`inspect::grow`], [`inspect::poolmap`] |
//! | running Python snippets | [`script::run`] |
//! | hashing and dict order | [`hash`] |
//!
//! # One runtime per thread
//!
//! The allocator and the GC generations live in a per-thread [`runtime`], the small ints,
//! the interned strings and the free lists in the types' per-thread state
//! ([`types::state`]), like one interpreter each. Handles are neither
//! `Send` nor `Sync`, so tests run in parallel without sharing a heap, and an object never
//! crosses to a thread whose allocator did not make it.

pub mod alloc;
pub mod cost;
pub mod error;
pub mod hash;
pub mod inspect;
pub mod object;
pub mod peers;
pub mod profile;
pub mod script;
pub mod types;

// The collector and the per-thread runtime live in the object layer (they and the object
// header refer to each other); their old top-level paths stay the public ones.
pub use object::{gc, runtime};
