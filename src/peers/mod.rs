//! The structures a Rust or C programmer would pick instead of CPython's, behind the small
//! traits the cost runner drives ([`crate::inspect::cost`]).
//!
//! | CPython   | peers                                                                        |
//! |-----------|------------------------------------------------------------------------------|
//! | `list`    | `Vec`, `VecDeque`, `std::collections::LinkedList`, a doubly linked list with  |
//! |           | nodes in a bumpalo arena, the same list with nodes from our pymalloc          |
//! | `tuple`   | `Box<[usize]>` (fixed, like a tuple: a change builds a new one)              |
//! | `dict`    | `IndexMap`, `hashbrown::HashMap`, `std::HashMap` (all given CPython's hash), |
//! |           | `BTreeMap` (the "a dict is like C++'s map" claim: an ordered tree)            |
//! | `str`     | `String` (UTF-8, mutable in place)                                            |
//!
//! What each operation did is counted two ways:
//! - in the peer's own code, through a [`Tally`]: pointer hops (following a `next`), item moves
//!   and the bytes they copy, comparisons. Where std does the work out of our sight (`Vec::insert`
//!   shifting its tail, `VecDeque` shifting the shorter side, `LinkedList::split_off` walking
//!   from the nearer end), the adapter counts what that std function is documented to do;
//! - by the allocators: [`counting`] wraps the system allocator (the binary installs it) and
//!   counts every `alloc`/`dealloc`/`realloc`, whether a `realloc` moved, and the bytes held
//!   (`malloc_usable_size` plus glibc's chunk header); pymalloc keeps its own counters.
//!
//! Timed runs use [`NoTally`], whose methods compile to nothing.
//!
//! The classic comparison, counted: inserting in the middle of an array moves the tail, a
//! linked list moves nothing but walks to the spot.
//!
//! ```
//! use pylayout::peers::linked::{LinkedList, PoolNodes};
//! use pylayout::peers::seqs::{Seq, SeqMut};
//! use pylayout::peers::Tallies;
//!
//! let items: Vec<usize> = (0..10).collect();
//! let (mut v, mut t) = (<Vec<usize> as Seq>::build(&items), Tallies::default());
//! SeqMut::insert(&mut v, 3, 99, &mut t);
//! assert_eq!((t.item_moves, t.bytes_copied, t.hops), (7, 56, 0)); // items 3..10 shift right
//!
//! let (mut l, mut t) = (LinkedList::<PoolNodes>::build(&items), Tallies::default());
//! l.insert(3, 99, &mut t);
//! assert_eq!((t.item_moves, t.hops), (0, 3)); // three `next` pointers followed
//! assert_eq!(l.held_bytes(), 11 * 32); // 24-byte nodes in 32-byte pymalloc blocks
//! ```
//!
//! Read [`seqs`] (the [`seqs::Seq`] and [`seqs::SeqMut`] traits, `Vec`, `VecDeque`, std's
//! `LinkedList`, `Box<[usize]>`), then [`linked`] for a list whose allocator can be swapped,
//! [`maps`] for the dict peers, [`counting`] for how the system allocator is counted (and its
//! batches: pymalloc against `malloc` with nothing else around).

pub mod counting;
pub mod linked;
pub mod maps;
pub mod seqs;

use serde::Serialize;

/// Where a structure's memory comes from (which counters see its allocations).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Allocator {
    /// Our pymalloc (CPython's objects, the pool-node linked list).
    Pymalloc,
    /// The system allocator through Rust's global allocator.
    System,
    /// A bumpalo arena (chunks from the system allocator; nodes never freed one by one).
    Bump,
}

/// What a structure's own code did, counted where it happens.
pub trait Tally {
    /// `n` pointers followed from one node to the next.
    fn hops(&mut self, n: u64);
    /// `n` items of `size` bytes moved inside the structure.
    fn moves(&mut self, n: u64, size: u64);
    /// `n` bytes copied into a new block (a new object built from an old one).
    fn copies(&mut self, bytes: u64);
    /// `n` key or item comparisons.
    fn compares(&mut self, n: u64);
}

/// The tally of a timed run: counts nothing, costs nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoTally;

impl Tally for NoTally {
    #[inline(always)]
    fn hops(&mut self, _: u64) {}
    #[inline(always)]
    fn moves(&mut self, _: u64, _: u64) {}
    #[inline(always)]
    fn copies(&mut self, _: u64) {}
    #[inline(always)]
    fn compares(&mut self, _: u64) {}
}

/// The tally of a counted run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Tallies {
    /// Pointers followed.
    pub hops: u64,
    /// Items moved.
    pub item_moves: u64,
    /// Bytes copied by moves and copies.
    pub bytes_copied: u64,
    /// Comparisons.
    pub compares: u64,
}

impl Tally for Tallies {
    fn hops(&mut self, n: u64) {
        self.hops += n;
    }
    fn moves(&mut self, n: u64, size: u64) {
        self.item_moves += n;
        self.bytes_copied += n * size;
    }
    fn copies(&mut self, bytes: u64) {
        self.bytes_copied += bytes;
    }
    fn compares(&mut self, n: u64) {
        self.compares += n;
    }
}
