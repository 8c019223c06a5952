//! pylayout: CPython 3.11's core objects rebuilt in Rust, byte for byte.
//!
//! Layers (lower layers never import upper ones):
//!
//! ```text
//!  layer 3   types/     int, float (+ their free lists)      -- list, tuple, dict, str follow
//!  layer 2   object/    header, refcount handles, type descriptors, the per-thread runtime
//!  layer 1   alloc/     pymalloc: arenas (1 MiB) -> pools (16 KiB) -> blocks (16..512 B, 32 classes)
//!  layer 0   the system allocator (libc malloc / mmap) for arenas and requests > 512 B
//! ```
//!
//! `hash` holds CPython's hash functions (SipHash-1-3 for bytes/str, the int/float/tuple hashes).

pub mod alloc;
pub mod cost;
pub mod error;
pub mod gc;
pub mod hash;
pub mod inspect;
pub mod object;
pub mod peers;
pub mod runtime;
pub mod script;
pub mod types;
