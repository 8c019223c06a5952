//! A doubly linked list of `usize`, with its nodes from a bumpalo arena ([`BumpNodes`]) or
//! from our pymalloc ([`PoolNodes`]): the same code, two allocators, so the allocator's share
//! of a linked list's cost shows.
//!
//! ```text
//!   LinkedList { head, tail, len }
//!        │                         node: prev (8) | next (8) | value (8) = 24 bytes
//!        ▼                               → a 32-byte pymalloc block, or 24 bytes of a bump chunk
//!      [·|a|·] ⇄ [·|b|·] ⇄ [·|c|·]
//! ```
//!
//! Reaching position `i` walks from the nearer end (`min(i, len - 1 - i)` hops), as
//! `std::collections::LinkedList::split_off` does; every hop is counted in the [`Tally`].
//!
//! Unsafe: the nodes are raw allocations linked by pointer, as a C linked list is.
#![allow(unsafe_code)]

use std::alloc::Layout;
use std::ptr::{self, NonNull};

use bumpalo::Bump;

use super::{Allocator, Tally};
use crate::runtime;

/// One node.
#[repr(C)]
#[derive(Debug)]
pub struct Node {
    prev: *mut Node,
    next: *mut Node,
    value: usize,
}

const _: () = assert!(size_of::<Node>() == 24);

/// Where nodes come from.
pub trait NodeAlloc: Default {
    /// The list's name in tables.
    const NAME: &'static str;
    /// Which allocator counts its memory.
    const ALLOCATOR: Allocator;
    /// Memory for one node (uninitialised).
    fn alloc(&mut self) -> NonNull<Node>;
    /// Give a node back.
    ///
    /// # Safety
    /// `p` came from this allocator's [`NodeAlloc::alloc`] and is not used afterwards.
    unsafe fn free(&mut self, p: NonNull<Node>);
    /// Bytes held for `live` nodes, allocator overhead included.
    fn held_bytes(&self, live: usize) -> usize;
}

/// Nodes bumped out of a bumpalo arena: allocation is a pointer bump, a freed node's memory
/// stays until the list (and its arena) is dropped.
#[derive(Debug, Default)]
pub struct BumpNodes {
    bump: Bump,
}

impl NodeAlloc for BumpNodes {
    const NAME: &'static str = "linked list (bumpalo nodes)";
    const ALLOCATOR: Allocator = Allocator::Bump;

    fn alloc(&mut self) -> NonNull<Node> {
        self.bump.alloc_layout(Layout::new::<Node>()).cast()
    }

    unsafe fn free(&mut self, _: NonNull<Node>) {}

    fn held_bytes(&self, _live: usize) -> usize {
        self.bump.allocated_bytes_including_metadata()
    }
}

/// Nodes from this thread's pymalloc: a 24-byte request is a 32-byte block, allocated and
/// freed one by one as CPython's objects are.
#[derive(Debug, Default)]
pub struct PoolNodes {
    block_size: usize,
}

impl NodeAlloc for PoolNodes {
    const NAME: &'static str = "linked list (pymalloc nodes)";
    const ALLOCATOR: Allocator = Allocator::Pymalloc;

    fn alloc(&mut self) -> NonNull<Node> {
        let p = runtime::with_heap(|h| {
            let p = h.malloc(size_of::<Node>());
            if self.block_size == 0 && !p.is_null() {
                // SAFETY: p was just returned live by this heap.
                self.block_size = unsafe { h.reserved_bytes(p) };
            }
            p
        });
        NonNull::new(p.cast()).expect("pymalloc: out of memory for a list node")
    }

    unsafe fn free(&mut self, p: NonNull<Node>) {
        // SAFETY: p came from this thread's heap (the contract) and is freed once.
        runtime::with_heap(|h| unsafe { h.free(p.as_ptr().cast()) });
    }

    fn held_bytes(&self, live: usize) -> usize {
        live * self.block_size
    }
}

/// A doubly linked list of `usize` with nodes from `A`.
#[derive(Debug)]
pub struct LinkedList<A: NodeAlloc> {
    head: *mut Node,
    tail: *mut Node,
    len: usize,
    nodes: A,
}

impl<A: NodeAlloc> Default for LinkedList<A> {
    fn default() -> Self {
        LinkedList {
            head: ptr::null_mut(),
            tail: ptr::null_mut(),
            len: 0,
            nodes: A::default(),
        }
    }
}

impl<A: NodeAlloc> LinkedList<A> {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes held for the nodes, allocator overhead included (the list header is not).
    pub fn held_bytes(&self) -> usize {
        self.nodes.held_bytes(self.len)
    }

    fn new_node(&mut self, value: usize, prev: *mut Node, next: *mut Node) -> *mut Node {
        let p = self.nodes.alloc();
        // SAFETY: p is fresh memory for one Node, suitably aligned (both allocators align to
        // at least 8).
        unsafe { p.as_ptr().write(Node { prev, next, value }) };
        p.as_ptr()
    }

    /// The node at `i < len`, walking from the nearer end.
    fn node_at(&self, i: usize, t: &mut impl Tally) -> *mut Node {
        debug_assert!(i < self.len, "node {i} of {}", self.len);
        let back = self.len - 1 - i;
        // SAFETY: every node from head to tail is live and linked both ways; i < len keeps
        // the walk inside the list.
        unsafe {
            if i <= back {
                let mut p = self.head;
                for _ in 0..i {
                    p = (*p).next;
                }
                t.hops(i as u64);
                p
            } else {
                let mut p = self.tail;
                for _ in 0..back {
                    p = (*p).prev;
                }
                t.hops(back as u64);
                p
            }
        }
    }

    /// Link a new node holding `value` before `next` (null: at the end).
    fn link_before(&mut self, next: *mut Node, value: usize) {
        let prev = if next.is_null() {
            self.tail
        } else {
            // SAFETY: next is a live node of this list.
            unsafe { (*next).prev }
        };
        let n = self.new_node(value, prev, next);
        // SAFETY: prev and next are null or live nodes of this list; n is live.
        unsafe {
            if prev.is_null() {
                self.head = n;
            } else {
                (*prev).next = n;
            }
            if next.is_null() {
                self.tail = n;
            } else {
                (*next).prev = n;
            }
        }
        self.len += 1;
    }

    /// Append at the back: no walk.
    pub fn push_back(&mut self, value: usize) {
        self.link_before(ptr::null_mut(), value);
    }

    /// Insert so that `value` ends at position `at` (clamped to `len`).
    pub fn insert(&mut self, at: usize, value: usize, t: &mut impl Tally) {
        if at >= self.len {
            self.push_back(value);
        } else {
            let next = self.node_at(at, t);
            self.link_before(next, value);
        }
    }

    /// Remove and return the item at `at < len`.
    pub fn remove(&mut self, at: usize, t: &mut impl Tally) -> usize {
        let p = self.node_at(at, t);
        // SAFETY: p is a live node of this list; its neighbours are null or live. After the
        // unlink nothing points at p, so it is freed exactly once.
        unsafe {
            let Node { prev, next, value } = p.read();
            if prev.is_null() {
                self.head = next;
            } else {
                (*prev).next = next;
            }
            if next.is_null() {
                self.tail = prev;
            } else {
                (*next).prev = prev;
            }
            self.len -= 1;
            self.nodes.free(NonNull::new_unchecked(p));
            value
        }
    }

    /// The item at `at < len`.
    pub fn get(&self, at: usize, t: &mut impl Tally) -> usize {
        let p = self.node_at(at, t);
        // SAFETY: p is a live node.
        unsafe { (*p).value }
    }

    /// Visit every item from the front.
    pub fn for_each(&self, t: &mut impl Tally, mut f: impl FnMut(usize)) {
        let mut p = self.head;
        let mut hops = 0;
        while !p.is_null() {
            // SAFETY: p is a live node (the walk follows next links from head to null).
            unsafe {
                f((*p).value);
                p = (*p).next;
            }
            hops += 1;
        }
        t.hops(hops.max(1) - 1);
    }

    /// The first position holding `value`, walking from the front.
    pub fn position(&self, value: usize, t: &mut impl Tally) -> Option<usize> {
        let mut p = self.head;
        let mut i = 0;
        while !p.is_null() {
            t.compares(1);
            // SAFETY: p is a live node.
            unsafe {
                if (*p).value == value {
                    t.hops(i as u64);
                    return Some(i);
                }
                p = (*p).next;
            }
            i += 1;
        }
        t.hops(i.max(1) as u64 - 1);
        None
    }

    /// Insert `value` before the first item greater than it, walking from the front: the
    /// classic sorted-insert experiment.
    pub fn insert_sorted(&mut self, value: usize, t: &mut impl Tally) {
        let mut p = self.head;
        let mut hops = 0;
        while !p.is_null() {
            t.compares(1);
            // SAFETY: p is a live node.
            unsafe {
                if (*p).value > value {
                    break;
                }
                p = (*p).next;
            }
            hops += 1;
        }
        t.hops(hops);
        self.link_before(p, value);
    }

    /// A new list with the items `a..b` (clamped), copied node by node.
    pub fn slice(&self, a: usize, b: usize, t: &mut impl Tally) -> Self {
        let b = b.min(self.len);
        let mut out = Self::new();
        if a >= b {
            return out;
        }
        let mut p = self.node_at(a, t);
        for k in a..b {
            // SAFETY: p is a live node: a..b lies inside the list.
            unsafe {
                out.push_back((*p).value);
                if k + 1 < b {
                    p = (*p).next;
                    t.hops(1);
                }
            }
        }
        t.copies(((b - a) * size_of::<usize>()) as u64);
        out
    }
}

impl<A: NodeAlloc> Drop for LinkedList<A> {
    fn drop(&mut self) {
        let mut p = self.head;
        while let Some(n) = NonNull::new(p) {
            // SAFETY: n is a live node; its next link is read before it is freed, once.
            unsafe {
                p = (*n.as_ptr()).next;
                self.nodes.free(n);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::peers::Tallies;

    fn check<A: NodeAlloc>() {
        let mut l = LinkedList::<A>::new();
        let mut model: Vec<usize> = Vec::new();
        let mut t = Tallies::default();
        let mut x = 12345usize;
        for step in 0..2000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let r = x >> 33;
            match r % 5 {
                0 | 1 => {
                    let at = r % (model.len() + 1);
                    l.insert(at, step, &mut t);
                    model.insert(at, step);
                }
                2 if !model.is_empty() => {
                    let at = r % model.len();
                    assert_eq!(l.remove(at, &mut t), model.remove(at));
                }
                3 if !model.is_empty() => {
                    let at = r % model.len();
                    assert_eq!(l.get(at, &mut t), model[at]);
                }
                _ => {
                    let v = r % 3000;
                    let at = model.iter().position(|&y| y > v).unwrap_or(model.len());
                    l.insert_sorted(v, &mut t);
                    model.insert(at, v);
                }
            }
            assert_eq!(l.len(), model.len());
        }
        let mut seen = Vec::new();
        l.for_each(&mut t, |v| seen.push(v));
        assert_eq!(seen, model);
        let s = l.slice(10, 20, &mut t);
        let mut got = Vec::new();
        s.for_each(&mut t, |v| got.push(v));
        assert_eq!(got, model[10..20]);
    }

    #[test]
    fn bump_list_behaves_as_a_vec() {
        check::<BumpNodes>();
    }

    #[test]
    fn pool_list_behaves_as_a_vec_and_frees_its_blocks() {
        let before = runtime::allocated_blocks();
        check::<PoolNodes>();
        assert_eq!(runtime::allocated_blocks(), before);
    }

    #[test]
    fn a_middle_walk_hops_from_the_nearer_end() {
        let mut l = LinkedList::<PoolNodes>::new();
        for i in 0..100 {
            l.push_back(i);
        }
        let mut t = Tallies::default();
        assert_eq!(l.get(30, &mut t), 30);
        assert_eq!(t.hops, 30);
        let mut t = Tallies::default();
        assert_eq!(l.get(80, &mut t), 80);
        assert_eq!(t.hops, 19);
        assert_eq!(l.held_bytes(), 100 * 32);
    }
}
