//! CPython's `list`, `tuple`, `dict` and `str` behind the peers' traits, and `Text`, the
//! trait for strings (with `String` as the peer).
//!
//! Items are int objects (`PyInt`), created before anything is counted or timed; the
//! containers' own work — moves, reallocations, probes — is counted by the objects themselves
//! ([`crate::cost`]), and what the adapters add is what CPython's C loop does around them
//! (one comparison per item a search or a sorted insert looks at, the pointers a new list or
//! tuple copies).

use std::rc::Rc;

use crate::object::Obj;
use crate::peers::maps::Map;
use crate::peers::seqs::{Seq, SeqMut};
use crate::peers::{Allocator, Tally};
use crate::types::dict::PyDict;
use crate::types::int::PyInt;
use crate::types::list::PyList;
use crate::types::ops;
use crate::types::str::PyStr;
use crate::types::tuple::PyTuple;

const WORD: u64 = size_of::<usize>() as u64;

fn int(v: u64) -> Obj {
    PyInt::from_i64(v as i64).into_obj()
}

/// `x < y` for the int objects the runner puts in sequences (`long_richcompare`).
#[inline]
fn less(x: &Obj, y: &Obj) -> bool {
    match PyInt::compare_objs(x, y) {
        Some(o) => o == std::cmp::Ordering::Less,
        None => ops::lt(x, y).unwrap_or(false),
    }
}

impl Seq for PyList {
    type Item = Obj;
    const NAME: &'static str = "list (pylayout)";
    const ALLOCATOR: Allocator = Allocator::Pymalloc;
    fn item(v: u64) -> Obj {
        int(v)
    }
    fn build(items: &[Obj]) -> Self {
        let l = PyList::new();
        for x in items {
            l.append(x.clone());
        }
        l
    }
    fn len(&self) -> usize {
        PyList::len(self)
    }
    fn get(&self, at: usize, _: &mut impl Tally) -> Obj {
        PyList::get(self, at as isize).expect("index inside the list")
    }
    fn position(&self, x: &Obj, t: &mut impl Tally) -> Option<usize> {
        // list_index compares item by item until one is equal.
        let p = self.index(x).ok();
        t.compares(p.map_or(self.len(), |p| p + 1) as u64);
        p
    }
    fn visit(&self, _: &mut impl Tally) -> usize {
        let n = self.len();
        for i in 0..n {
            std::hint::black_box(PyList::get(self, i as isize).ok());
        }
        n
    }
    fn concat_one(&self, x: Obj, _: &mut impl Tally) -> Self {
        // list_concat counts its own copies (one pointer per item into the new array).
        self.concat(&PyList::with_items(vec![x]))
    }
    fn slice(&self, a: usize, b: usize, _: &mut impl Tally) -> Self {
        PyList::slice(self, a as isize, b as isize)
    }
    fn held_bytes(&self) -> Option<usize> {
        Some(self.footprint())
    }
}

impl SeqMut for PyList {
    fn push(&mut self, x: Obj, _: &mut impl Tally) {
        self.append(x);
    }
    fn insert(&mut self, at: usize, x: Obj, _: &mut impl Tally) {
        PyList::insert(self, at as isize, x);
    }
    fn remove(&mut self, at: usize, _: &mut impl Tally) -> Obj {
        self.pop(at as isize).expect("index inside the list")
    }
    fn extend(&mut self, items: &[Obj], _: &mut impl Tally) {
        self.extend_exact(items.to_vec());
    }
    fn insert_sorted(&mut self, x: Obj, t: &mut impl Tally) {
        // for i, y in enumerate(l): if x < y: break  — then l.insert(i, x)
        let at = self
            .position_where(|y| {
                t.compares(1);
                less(&x, y)
            })
            .unwrap_or(PyList::len(self));
        PyList::insert(self, at as isize, x);
    }
}

impl Seq for PyTuple {
    type Item = Obj;
    const NAME: &'static str = "tuple (pylayout)";
    const ALLOCATOR: Allocator = Allocator::Pymalloc;
    fn item(v: u64) -> Obj {
        int(v)
    }
    fn build(items: &[Obj]) -> Self {
        PyTuple::new(items.to_vec())
    }
    fn len(&self) -> usize {
        PyTuple::len(self)
    }
    fn get(&self, at: usize, _: &mut impl Tally) -> Obj {
        PyTuple::get(self, at as isize).expect("index inside the tuple")
    }
    fn position(&self, x: &Obj, t: &mut impl Tally) -> Option<usize> {
        let p = self.index(x).ok();
        t.compares(p.map_or(self.len(), |p| p + 1) as u64);
        p
    }
    fn visit(&self, _: &mut impl Tally) -> usize {
        let n = self.len();
        for i in 0..n {
            std::hint::black_box(PyTuple::get(self, i as isize).ok());
        }
        n
    }
    fn concat_one(&self, x: Obj, t: &mut impl Tally) -> Self {
        t.copies((self.len() as u64 + 1) * WORD);
        self.concat(&PyTuple::new(vec![x]))
    }
    fn slice(&self, a: usize, b: usize, t: &mut impl Tally) -> Self {
        t.copies((b - a) as u64 * WORD);
        PyTuple::slice(self, a, b)
    }
    fn held_bytes(&self) -> Option<usize> {
        Some(self.footprint())
    }
}

/// A key type the runner can turn into a CPython key object.
pub trait PyKey: Clone {
    /// The key object (`int` or `str`).
    fn to_obj(&self) -> Obj;
}

impl PyKey for u64 {
    fn to_obj(&self) -> Obj {
        int(*self)
    }
}

impl PyKey for Rc<str> {
    fn to_obj(&self) -> Obj {
        let s = PyStr::new(self);
        // Its hash cached, as for a key CPython has hashed before (an identifier, a key
        // read back from a dict).
        s.hash();
        s.into_obj()
    }
}

impl<K: PyKey> Map<K> for PyDict {
    type Key = Obj;
    const NAME: &'static str = "dict (pylayout)";
    const ALLOCATOR: Allocator = Allocator::Pymalloc;
    fn key(_: u64, key: K) -> Obj {
        key.to_obj()
    }
    fn empty() -> Self {
        PyDict::new()
    }
    fn len(&self) -> usize {
        PyDict::len(self)
    }
    fn insert(&mut self, k: Obj, v: usize, _: &mut impl Tally) -> bool {
        let before = PyDict::len(self);
        // Values are small ints (static): the dict's own work only.
        self.set_item(k, int((v % 256) as u64))
            .expect("int and str keys are hashable");
        PyDict::len(self) > before
    }
    fn remove(&mut self, k: &Obj, _: &mut impl Tally) -> bool {
        self.del_item(k).is_ok()
    }
    fn lookup(&self, k: &Obj, _: &mut impl Tally) -> Option<usize> {
        // d[k] hands back a new reference to the value (dropped at once, as a discarded
        // result is); the value itself is not needed.
        self.get(k)
            .expect("int and str keys are hashable")
            .map(|v| std::hint::black_box(v).id())
    }
    fn held_bytes(&self) -> Option<usize> {
        Some(self.footprint())
    }
    fn visit(&self, _: &mut impl Tally) -> usize {
        // dictiter_iternextkey: entry by entry, skipping the holes deletions left.
        let mut n = 0;
        for i in 0..self.nentries() {
            if let Some(e) = self.entry_at(i) {
                std::hint::black_box(e);
                n += 1;
            }
        }
        n
    }
}

/// Strings: what the cost runner asks of `str` and of its peer `String`.
pub trait Text: Sized {
    /// The name in tables.
    const NAME: &'static str;
    /// Which allocator sees its memory.
    const ALLOCATOR: Allocator;
    /// One character, ready to append or join.
    type Char: Clone;
    /// `c` as a character of this kind.
    fn char(c: char) -> Self::Char;
    /// The text `s`.
    fn build(s: &str) -> Self;
    /// Length in characters.
    fn char_count(&self) -> usize;
    /// Append one character (`s = s + c` for `str`: a new object; `push` for `String`).
    fn append(&mut self, c: &Self::Char, t: &mut impl Tally);
    /// Join characters into a new text (`''.join(parts)`; `concat` for `String`).
    fn join(parts: &[Self::Char], t: &mut impl Tally) -> Self;
    /// The characters `a..b` as a new text.
    fn slice(&self, a: usize, b: usize, t: &mut impl Tally) -> Self;
    /// The character at `i` (`s[i]`; `chars().nth(i)` for UTF-8).
    fn index(&self, i: usize, t: &mut impl Tally) -> Self::Char;
    /// The first position of `c`.
    fn find(&self, c: char, t: &mut impl Tally) -> Option<usize>;
    /// Visit every character; how many.
    fn visit(&self, t: &mut impl Tally) -> usize;
    /// Bytes held, when the structure knows them itself.
    fn held_bytes(&self) -> Option<usize>;
}

impl Text for PyStr {
    const NAME: &'static str = "str (pylayout)";
    const ALLOCATOR: Allocator = Allocator::Pymalloc;
    type Char = PyStr;
    fn char(c: char) -> PyStr {
        PyStr::new(c.encode_utf8(&mut [0; 4]))
    }
    fn build(s: &str) -> Self {
        PyStr::new(s)
    }
    fn char_count(&self) -> usize {
        self.len()
    }
    fn append(&mut self, c: &PyStr, t: &mut impl Tally) {
        t.copies(((self.len() + c.len()) * self.kind()) as u64);
        *self = self.concat(c);
    }
    fn join(parts: &[PyStr], t: &mut impl Tally) -> Self {
        t.copies(parts.iter().map(|p| p.data().len() as u64).sum());
        PyStr::new("").join(parts)
    }
    fn slice(&self, a: usize, b: usize, t: &mut impl Tally) -> Self {
        t.copies(((b - a) * self.kind()) as u64);
        PyStr::slice(self, a, b)
    }
    fn index(&self, i: usize, _: &mut impl Tally) -> PyStr {
        self.get(i as isize).expect("index inside the string")
    }
    fn find(&self, c: char, t: &mut impl Tally) -> Option<usize> {
        let k = self.kind();
        let want = c as u32;
        let p = self.data().chunks_exact(k).position(|u| {
            let cp = match k {
                1 => u32::from(u[0]),
                2 => u32::from(u16::from_le_bytes([u[0], u[1]])),
                _ => u32::from_le_bytes([u[0], u[1], u[2], u[3]]),
            };
            cp == want
        });
        t.compares(p.map_or(self.len(), |p| p + 1) as u64);
        p
    }
    fn visit(&self, _: &mut impl Tally) -> usize {
        let n = self.len();
        for i in 0..n {
            std::hint::black_box(self.get(i as isize).ok());
        }
        n
    }
    fn held_bytes(&self) -> Option<usize> {
        Some(self.footprint())
    }
}

impl Text for String {
    const NAME: &'static str = "String (UTF-8)";
    const ALLOCATOR: Allocator = Allocator::System;
    type Char = char;
    fn char(c: char) -> char {
        c
    }
    fn build(s: &str) -> Self {
        s.to_owned()
    }
    fn char_count(&self) -> usize {
        self.chars().count()
    }
    fn append(&mut self, c: &char, _: &mut impl Tally) {
        self.push(*c);
    }
    fn join(parts: &[char], t: &mut impl Tally) -> Self {
        t.copies(parts.iter().map(|c| c.len_utf8() as u64).sum());
        parts.iter().collect()
    }
    fn slice(&self, a: usize, b: usize, t: &mut impl Tally) -> Self {
        // Character positions, not bytes: find them by walking the UTF-8.
        let start = self.char_indices().nth(a).map_or(self.len(), |(i, _)| i);
        let end = self[start..]
            .char_indices()
            .nth(b - a)
            .map_or(self.len(), |(i, _)| start + i);
        t.hops(b as u64);
        t.copies((end - start) as u64);
        self[start..end].to_owned()
    }
    fn index(&self, i: usize, t: &mut impl Tally) -> char {
        // UTF-8 has no fixed width: the i-th character is found by decoding i before it.
        t.hops(i as u64);
        self.chars().nth(i).expect("index inside the string")
    }
    fn find(&self, c: char, t: &mut impl Tally) -> Option<usize> {
        let p = self.chars().position(|x| x == c);
        t.compares(p.map_or(self.chars().count(), |p| p + 1) as u64);
        p
    }
    fn visit(&self, _: &mut impl Tally) -> usize {
        self.chars().fold(0, |n, c| {
            std::hint::black_box(c);
            n + 1
        })
    }
    fn held_bytes(&self) -> Option<usize> {
        None
    }
}
