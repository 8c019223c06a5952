//! Sequences: the traits the cost runner drives for `list` and `tuple`, and the Rust peers.
//!
//! Items are `usize` for the peers (a list slot is a pointer: 8 bytes either way). CPython's
//! own `list` and `tuple` implement the same traits in [`crate::inspect::cost`].

use std::collections::{LinkedList as StdList, VecDeque};

use super::linked::{BumpNodes, LinkedList, PoolNodes};
use super::{Allocator, Tally};

const WORD: u64 = size_of::<usize>() as u64;

/// The first position of `x` in `items`, one comparison per item looked at.
fn scan<'a>(items: impl Iterator<Item = &'a usize>, x: usize, t: &mut impl Tally) -> Option<usize> {
    let mut items = items;
    items.position(|&y| {
        t.compares(1);
        y == x
    })
}

/// The first position holding an item greater than `x` (the end if none): where a sorted
/// insert goes.
fn sorted_slot<'a>(
    items: impl ExactSizeIterator<Item = &'a usize>,
    x: usize,
    t: &mut impl Tally,
) -> usize {
    let mut items = items;
    let len = items.len();
    items
        .position(|&y| {
            t.compares(1);
            y > x
        })
        .unwrap_or(len)
}

/// Visit every item; how many.
fn visit_all<'a>(items: impl Iterator<Item = &'a usize>) -> usize {
    items.fold(0, |n, &x| {
        std::hint::black_box(x);
        n + 1
    })
}

/// What every sequence can do: read it, or build a new one from it.
pub trait Seq: Sized {
    /// One item.
    type Item: Clone;
    /// The name in tables (`Vec<usize>`, `list`).
    const NAME: &'static str;
    /// Which allocator sees its memory.
    const ALLOCATOR: Allocator;
    /// The item for the number `v`.
    fn item(v: u64) -> Self::Item;
    /// A sequence holding `items`, built as its users build one (appends, or one exact
    /// allocation for fixed sequences).
    fn build(items: &[Self::Item]) -> Self;
    /// Number of items.
    fn len(&self) -> usize;
    /// Whether there are no items.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The item at `at < len` (`seq[at]`).
    fn get(&self, at: usize, t: &mut impl Tally) -> Self::Item;
    /// The first position of `x` (`seq.index(x)`, `x in seq`).
    fn position(&self, x: &Self::Item, t: &mut impl Tally) -> Option<usize>;
    /// Visit every item (`for x in seq`); returns how many.
    fn visit(&self, t: &mut impl Tally) -> usize;
    /// A new sequence: this one plus `x` at the end (`seq + [x]`).
    fn concat_one(&self, x: Self::Item, t: &mut impl Tally) -> Self;
    /// A new sequence of the items `a..b` (`seq[a:b]`).
    fn slice(&self, a: usize, b: usize, t: &mut impl Tally) -> Self;
    /// Bytes held, allocator overhead included, when the structure knows them itself;
    /// `None` when the counting system allocator measures them.
    fn held_bytes(&self) -> Option<usize>;
}

/// What a mutable sequence adds.
pub trait SeqMut: Seq {
    /// Append (`seq.append(x)`).
    fn push(&mut self, x: Self::Item, t: &mut impl Tally);
    /// Insert so that `x` ends at `at <= len` (`seq.insert(at, x)`).
    fn insert(&mut self, at: usize, x: Self::Item, t: &mut impl Tally);
    /// Remove and return the item at `at < len` (`seq.pop(at)`, `del seq[at]`).
    fn remove(&mut self, at: usize, t: &mut impl Tally) -> Self::Item;
    /// Append all of `items` (`seq.extend(items)`).
    fn extend(&mut self, items: &[Self::Item], t: &mut impl Tally);
    /// Insert `x` before the first item greater than it, found by a linear search from the
    /// front (the classic experiment).
    fn insert_sorted(&mut self, x: Self::Item, t: &mut impl Tally);
}

impl Seq for Vec<usize> {
    type Item = usize;
    const NAME: &'static str = "Vec<usize>";
    const ALLOCATOR: Allocator = Allocator::System;
    fn item(v: u64) -> usize {
        v as usize
    }
    fn build(items: &[usize]) -> Self {
        let mut v = Vec::new();
        for &x in items {
            v.push(x);
        }
        v
    }
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn get(&self, at: usize, _: &mut impl Tally) -> usize {
        self[at]
    }
    fn position(&self, x: &usize, t: &mut impl Tally) -> Option<usize> {
        scan(self.iter(), *x, t)
    }
    fn visit(&self, _: &mut impl Tally) -> usize {
        visit_all(self.iter())
    }
    fn concat_one(&self, x: usize, t: &mut impl Tally) -> Self {
        let mut v = Vec::with_capacity(self.len() + 1);
        v.extend_from_slice(self);
        v.push(x);
        t.copies(self.len() as u64 * WORD);
        v
    }
    fn slice(&self, a: usize, b: usize, t: &mut impl Tally) -> Self {
        t.copies((b - a) as u64 * WORD);
        self[a..b].to_vec()
    }
    fn held_bytes(&self) -> Option<usize> {
        None
    }
}

impl SeqMut for Vec<usize> {
    fn push(&mut self, x: usize, _: &mut impl Tally) {
        Vec::push(self, x);
    }
    fn insert(&mut self, at: usize, x: usize, t: &mut impl Tally) {
        // Vec::insert shifts the tail `at..len` up by one.
        t.moves((self.len() - at) as u64, WORD);
        Vec::insert(self, at, x);
    }
    fn remove(&mut self, at: usize, t: &mut impl Tally) -> usize {
        // Vec::remove shifts the tail `at + 1..len` down by one.
        t.moves((self.len() - at - 1) as u64, WORD);
        Vec::remove(self, at)
    }
    fn extend(&mut self, items: &[usize], _: &mut impl Tally) {
        self.extend_from_slice(items);
    }
    fn insert_sorted(&mut self, x: usize, t: &mut impl Tally) {
        let at = sorted_slot(self.iter(), x, t);
        SeqMut::insert(self, at, x, t);
    }
}

impl Seq for VecDeque<usize> {
    type Item = usize;
    const NAME: &'static str = "VecDeque<usize>";
    const ALLOCATOR: Allocator = Allocator::System;
    fn item(v: u64) -> usize {
        v as usize
    }
    fn build(items: &[usize]) -> Self {
        let mut v = VecDeque::new();
        for &x in items {
            v.push_back(x);
        }
        v
    }
    fn len(&self) -> usize {
        VecDeque::len(self)
    }
    fn get(&self, at: usize, _: &mut impl Tally) -> usize {
        self[at]
    }
    fn position(&self, x: &usize, t: &mut impl Tally) -> Option<usize> {
        scan(self.iter(), *x, t)
    }
    fn visit(&self, _: &mut impl Tally) -> usize {
        visit_all(self.iter())
    }
    fn concat_one(&self, x: usize, t: &mut impl Tally) -> Self {
        let mut v = VecDeque::with_capacity(self.len() + 1);
        Extend::extend(&mut v, self.iter().copied());
        v.push_back(x);
        t.copies(self.len() as u64 * WORD);
        v
    }
    fn slice(&self, a: usize, b: usize, t: &mut impl Tally) -> Self {
        t.copies((b - a) as u64 * WORD);
        self.range(a..b).copied().collect()
    }
    fn held_bytes(&self) -> Option<usize> {
        None
    }
}

impl SeqMut for VecDeque<usize> {
    fn push(&mut self, x: usize, _: &mut impl Tally) {
        self.push_back(x);
    }
    fn insert(&mut self, at: usize, x: usize, t: &mut impl Tally) {
        // VecDeque::insert shifts the shorter side: the `at` items before, or the rest.
        t.moves(at.min(self.len() - at) as u64, WORD);
        VecDeque::insert(self, at, x);
    }
    fn remove(&mut self, at: usize, t: &mut impl Tally) -> usize {
        t.moves(at.min(self.len() - at - 1) as u64, WORD);
        VecDeque::remove(self, at).expect("at < len")
    }
    fn extend(&mut self, items: &[usize], _: &mut impl Tally) {
        Extend::extend(self, items.iter().copied());
    }
    fn insert_sorted(&mut self, x: usize, t: &mut impl Tally) {
        let at = sorted_slot(self.iter(), x, t);
        SeqMut::insert(self, at, x, t);
    }
}

/// The walk of `StdList::split_off(at)`: from the nearer end, to the node before `at`.
fn split_off_hops(len: usize, at: usize) -> u64 {
    if at == 0 || at == len {
        0
    } else {
        (at - 1).min(len - at) as u64
    }
}

impl Seq for StdList<usize> {
    type Item = usize;
    const NAME: &'static str = "std LinkedList<usize>";
    const ALLOCATOR: Allocator = Allocator::System;
    fn item(v: u64) -> usize {
        v as usize
    }
    fn build(items: &[usize]) -> Self {
        items.iter().copied().collect()
    }
    fn len(&self) -> usize {
        StdList::len(self)
    }
    fn get(&self, at: usize, t: &mut impl Tally) -> usize {
        let back = self.len() - 1 - at;
        if at <= back {
            t.hops(at as u64);
            *self.iter().nth(at).expect("at < len")
        } else {
            t.hops(back as u64);
            *self.iter().rev().nth(back).expect("at < len")
        }
    }
    fn position(&self, x: &usize, t: &mut impl Tally) -> Option<usize> {
        let p = scan(self.iter(), *x, t);
        t.hops(p.unwrap_or(self.len().max(1) - 1) as u64);
        p
    }
    fn visit(&self, t: &mut impl Tally) -> usize {
        t.hops(self.len().max(1) as u64 - 1);
        visit_all(self.iter())
    }
    fn concat_one(&self, x: usize, t: &mut impl Tally) -> Self {
        let mut v = self.clone();
        v.push_back(x);
        t.hops(self.len().max(1) as u64 - 1);
        t.copies(self.len() as u64 * WORD);
        v
    }
    fn slice(&self, a: usize, b: usize, t: &mut impl Tally) -> Self {
        t.hops((b.max(1) - 1) as u64);
        t.copies((b - a) as u64 * WORD);
        self.iter().skip(a).take(b - a).copied().collect()
    }
    fn held_bytes(&self) -> Option<usize> {
        None
    }
}

impl SeqMut for StdList<usize> {
    fn push(&mut self, x: usize, _: &mut impl Tally) {
        self.push_back(x);
    }
    fn insert(&mut self, at: usize, x: usize, t: &mut impl Tally) {
        // No cursor on stable Rust: split at `at`, push, and join again.
        t.hops(split_off_hops(self.len(), at));
        let mut tail = self.split_off(at);
        self.push_back(x);
        self.append(&mut tail);
    }
    fn remove(&mut self, at: usize, t: &mut impl Tally) -> usize {
        t.hops(split_off_hops(self.len(), at));
        let mut tail = self.split_off(at);
        let x = tail.pop_front().expect("at < len");
        self.append(&mut tail);
        x
    }
    fn extend(&mut self, items: &[usize], _: &mut impl Tally) {
        Extend::extend(self, items.iter().copied());
    }
    fn insert_sorted(&mut self, x: usize, t: &mut impl Tally) {
        let at = sorted_slot(self.iter(), x, t);
        t.hops(at as u64);
        SeqMut::insert(self, at, x, t);
    }
}

macro_rules! linked_seq {
    ($alloc:ty) => {
        impl Seq for LinkedList<$alloc> {
            type Item = usize;
            const NAME: &'static str = <$alloc as super::linked::NodeAlloc>::NAME;
            const ALLOCATOR: Allocator = <$alloc as super::linked::NodeAlloc>::ALLOCATOR;
            fn item(v: u64) -> usize {
                v as usize
            }
            fn build(items: &[usize]) -> Self {
                let mut l = LinkedList::new();
                for &x in items {
                    l.push_back(x);
                }
                l
            }
            fn len(&self) -> usize {
                LinkedList::len(self)
            }
            fn get(&self, at: usize, t: &mut impl Tally) -> usize {
                LinkedList::get(self, at, t)
            }
            fn position(&self, x: &usize, t: &mut impl Tally) -> Option<usize> {
                LinkedList::position(self, *x, t)
            }
            fn visit(&self, t: &mut impl Tally) -> usize {
                let mut n = 0;
                self.for_each(t, |x| {
                    std::hint::black_box(x);
                    n += 1;
                });
                n
            }
            fn concat_one(&self, x: usize, t: &mut impl Tally) -> Self {
                let mut l = LinkedList::slice(self, 0, self.len(), t);
                l.push_back(x);
                l
            }
            fn slice(&self, a: usize, b: usize, t: &mut impl Tally) -> Self {
                LinkedList::slice(self, a, b, t)
            }
            fn held_bytes(&self) -> Option<usize> {
                Some(LinkedList::held_bytes(self))
            }
        }

        impl SeqMut for LinkedList<$alloc> {
            fn push(&mut self, x: usize, _: &mut impl Tally) {
                self.push_back(x);
            }
            fn insert(&mut self, at: usize, x: usize, t: &mut impl Tally) {
                LinkedList::insert(self, at, x, t);
            }
            fn remove(&mut self, at: usize, t: &mut impl Tally) -> usize {
                LinkedList::remove(self, at, t)
            }
            fn extend(&mut self, items: &[usize], _: &mut impl Tally) {
                for &x in items {
                    self.push_back(x);
                }
            }
            fn insert_sorted(&mut self, x: usize, t: &mut impl Tally) {
                LinkedList::insert_sorted(self, x, t);
            }
        }
    };
}

linked_seq!(BumpNodes);
linked_seq!(PoolNodes);

impl Seq for Box<[usize]> {
    type Item = usize;
    const NAME: &'static str = "Box<[usize]>";
    const ALLOCATOR: Allocator = Allocator::System;
    fn item(v: u64) -> usize {
        v as usize
    }
    fn build(items: &[usize]) -> Self {
        items.into()
    }
    fn len(&self) -> usize {
        <[usize]>::len(self)
    }
    fn get(&self, at: usize, _: &mut impl Tally) -> usize {
        self[at]
    }
    fn position(&self, x: &usize, t: &mut impl Tally) -> Option<usize> {
        scan(self.iter(), *x, t)
    }
    fn visit(&self, _: &mut impl Tally) -> usize {
        visit_all(self.iter())
    }
    fn concat_one(&self, x: usize, t: &mut impl Tally) -> Self {
        let mut v = Vec::with_capacity(self.len() + 1);
        v.extend_from_slice(self);
        v.push(x);
        t.copies(self.len() as u64 * WORD);
        v.into_boxed_slice()
    }
    fn slice(&self, a: usize, b: usize, t: &mut impl Tally) -> Self {
        t.copies((b - a) as u64 * WORD);
        self[a..b].into()
    }
    fn held_bytes(&self) -> Option<usize> {
        None
    }
}
