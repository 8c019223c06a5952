//! list, dict, str and tuple operation sequences against Rust models (`Vec`, `IndexMap`,
//! `Vec<char>`), as the property tests do but coverage-guided, with a graph of containers
//! that reference each other (and themselves) beside them and the cycle collector run at
//! random points. After every step the contents match the models; at the end, once the
//! handles are gone and a full collection has run, every block is back in its pool.
#![no_main]

use arbitrary::Arbitrary;
use indexmap::IndexMap;
use libfuzzer_sys::fuzz_target;
use pylayout::gc;
use pylayout::object::Obj;
use pylayout::runtime;
use pylayout::types::dict::PyDict;
use pylayout::types::int::PyInt;
use pylayout::types::list::PyList;
use pylayout::types::ops;
use pylayout::types::str::PyStr;
use pylayout::types::tuple::PyTuple;

#[derive(Arbitrary, Debug)]
enum Op {
    // The list, against a Vec<i64>.
    Append(i64),
    Insert(i8, i64),
    Extend(Vec<i8>),
    Pop(i8),
    DelItem(i8),
    Remove(i8),
    SetSlice(i8, i8, Vec<i8>),
    Reverse,
    Sort,
    Slice(i8, i8),
    Repeat(i8),
    InplaceRepeat(i8),
    ClearList,
    // The dict, against an IndexMap.
    Set(Key, i64),
    Del(Key),
    PopItem,
    CopyDict,
    Merge(Vec<(Key, i8)>),
    ClearDict,
    // The str, against its code points.
    Concat(Text),
    StrSlice(u8, u8),
    StrRepeat(u8),
    Join(Vec<Text>),
    Case(bool),
    // The tuple: a snapshot of the list.
    Freeze,
    TupleSlice(u8, u8),
    // The graph: containers that hold each other; the collector finds the cycles.
    NewNode(bool),
    Link(u8, u8),
    DropNode(u8),
    Collect(u8),
}

#[derive(Arbitrary, Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Int(i8),
    Big(i64),
    Str(Text),
}

/// Characters of every width CPython stores a str in.
#[derive(Arbitrary, Debug, Clone, PartialEq, Eq, Hash)]
struct Text(Vec<Ch>);

#[derive(Arbitrary, Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Ch {
    Ascii(u8),
    Latin1(u8),
    Bmp(u16),
    Astral(u16),
}

impl Text {
    fn chars(&self) -> Vec<char> {
        self.0
            .iter()
            .take(64)
            .map(|c| match *c {
                Ch::Ascii(b) => char::from(b % 128),
                Ch::Latin1(b) => char::from(128 + b % 128),
                Ch::Bmp(u) => char::from_u32(256 + u32::from(u) % 0xd700).unwrap(),
                Ch::Astral(u) => char::from_u32(0x10000 + u32::from(u)).unwrap(),
            })
            .collect()
    }
    fn string(&self) -> String {
        self.chars().into_iter().collect()
    }
}

impl Key {
    fn obj(&self) -> Obj {
        match self {
            Key::Int(i) => PyInt::from_i64(i64::from(*i)).into_obj(),
            Key::Big(i) => PyInt::from_i64(*i).into_obj(),
            Key::Str(t) => PyStr::new(&t.string()).into_obj(),
        }
    }
    /// The model's key: equal ints are one key, whichever variant made them.
    fn model(&self) -> String {
        match self {
            Key::Int(i) => i.to_string(),
            Key::Big(i) => i.to_string(),
            Key::Str(t) => format!("'{}", t.string()),
        }
    }
}

fn int(v: i64) -> Obj {
    PyInt::from_i64(v).into_obj()
}

fn ints(v: &[i8]) -> Vec<Obj> {
    v.iter().take(64).map(|&x| int(i64::from(x))).collect()
}

fn as_i64(o: &Obj) -> i64 {
    PyInt::from_obj(o.clone()).unwrap().to_i64().unwrap()
}

/// Python's index normalisation: `Some(k)` if `i` names an item.
fn norm(len: usize, i: isize) -> Option<usize> {
    let n = len as isize;
    let i = if i < 0 { i + n } else { i };
    (0..n).contains(&i).then_some(i as usize)
}

/// Python's slice bounds `[i:j]` on a sequence of `len`, clamped.
fn bounds(len: usize, i: isize, j: isize) -> (usize, usize) {
    let n = len as isize;
    let adj = |x: isize| if x < 0 { (x + n).max(0) } else { x.min(n) } as usize;
    let lo = adj(i);
    (lo, adj(j).max(lo))
}

fn key_repr(m: &str) -> String {
    match m.strip_prefix('\'') {
        Some(s) => ops::repr(&PyStr::new(s).into_obj()),
        None => m.to_string(),
    }
}

/// The longest text the str model grows to (a join could otherwise grow it exponentially,
/// which is the harness running out of memory, not a finding).
const MAX_TEXT: usize = 4096;

struct State {
    list: PyList,
    list_m: Vec<i64>,
    dict: PyDict,
    dict_m: IndexMap<String, i64>,
    text: PyStr,
    text_m: Vec<char>,
    tuple: PyTuple,
    tuple_m: Vec<i64>,
    nodes: Vec<Obj>,
}

impl State {
    fn check(&self) {
        let got: Vec<i64> = self.list.items().iter().map(as_i64).collect();
        assert_eq!(got, self.list_m);
        assert!(self.list.allocated() >= self.list.len());
        assert_eq!(
            self.list.as_obj().getsizeof(),
            56 + 8 * self.list.allocated()
        );

        let got: Vec<String> = self
            .dict
            .items()
            .iter()
            .map(|(k, v)| format!("{}: {}", ops::repr(k), ops::repr(v)))
            .collect();
        let want: Vec<String> = self
            .dict_m
            .iter()
            .map(|(k, v)| format!("{}: {v}", key_repr(k)))
            .collect();
        assert_eq!(got, want);

        let cps: Vec<u32> = self.text_m.iter().map(|&c| c as u32).collect();
        assert_eq!(self.text.code_points(), cps);
        let widest = cps.iter().max().copied().unwrap_or(0);
        let kind = if widest < 256 {
            1
        } else if widest < 65536 {
            2
        } else {
            4
        };
        assert_eq!(self.text.kind(), kind, "a str takes the narrowest kind");
        let fresh = PyStr::new(&self.text_m.iter().collect::<String>());
        assert_eq!(self.text.hash(), fresh.hash(), "equal strs hash alike");

        let got: Vec<i64> = self.tuple.items().iter().map(as_i64).collect();
        assert_eq!(got, self.tuple_m);
    }

    fn apply(&mut self, op: Op) {
        match op {
            Op::Append(v) => {
                self.list.append(int(v));
                self.list_m.push(v);
            }
            Op::Insert(i, v) => {
                let i = isize::from(i);
                self.list.insert(i, int(v));
                let n = self.list_m.len() as isize;
                let at = if i < 0 { (i + n).max(0) } else { i.min(n) };
                self.list_m.insert(at as usize, v);
            }
            Op::Extend(v) => {
                self.list.extend_exact(ints(&v));
                self.list_m.extend(v.iter().take(64).map(|&x| i64::from(x)));
            }
            Op::Pop(i) => {
                let r = self.list.pop(isize::from(i));
                match norm(self.list_m.len(), isize::from(i)) {
                    Some(k) => assert_eq!(as_i64(&r.unwrap()), self.list_m.remove(k)),
                    None => assert!(r.is_err()),
                }
            }
            Op::DelItem(i) => {
                let r = self.list.del_item(isize::from(i));
                match norm(self.list_m.len(), isize::from(i)) {
                    Some(k) => {
                        r.unwrap();
                        self.list_m.remove(k);
                    }
                    None => assert!(r.is_err()),
                }
            }
            Op::Remove(v) => {
                let v = i64::from(v);
                let r = self.list.remove(&int(v));
                match self.list_m.iter().position(|&x| x == v) {
                    Some(k) => {
                        r.unwrap();
                        self.list_m.remove(k);
                    }
                    None => assert!(r.is_err()),
                }
            }
            Op::SetSlice(i, j, v) => {
                let (lo, hi) = bounds(self.list_m.len(), isize::from(i), isize::from(j));
                self.list.set_slice(lo as isize, hi as isize, ints(&v));
                self.list_m
                    .splice(lo..hi, v.iter().take(64).map(|&x| i64::from(x)));
            }
            Op::Reverse => {
                self.list.reverse();
                self.list_m.reverse();
            }
            Op::Sort => {
                self.list.sort(false).unwrap();
                self.list_m.sort();
            }
            Op::Slice(i, j) => {
                let (lo, hi) = bounds(self.list_m.len(), isize::from(i), isize::from(j));
                self.list = self.list.slice(lo as isize, hi as isize);
                self.list_m = self.list_m[lo..hi].to_vec();
            }
            Op::Repeat(k) => {
                let k = isize::from(k % 4);
                if self.list_m.len() * k.max(0) as usize <= 4096 {
                    self.list = self.list.repeat(k).unwrap();
                    self.list_m = self.list_m.repeat(k.max(0) as usize);
                }
            }
            Op::InplaceRepeat(k) => {
                let k = isize::from(k % 4);
                if self.list_m.len() * k.max(0) as usize <= 4096 {
                    self.list.inplace_repeat(k).unwrap();
                    self.list_m = self.list_m.repeat(k.max(0) as usize);
                }
            }
            Op::ClearList => {
                self.list.clear();
                self.list_m.clear();
            }
            Op::Set(k, v) => {
                self.dict.set_item(k.obj(), int(v)).unwrap();
                self.dict_m.insert(k.model(), v);
            }
            Op::Del(k) => {
                let r = self.dict.del_item(&k.obj());
                assert_eq!(r.is_ok(), self.dict_m.shift_remove(&k.model()).is_some());
            }
            Op::PopItem => {
                let r = self.dict.popitem();
                match self.dict_m.pop() {
                    Some((k, _)) => assert_eq!(ops::repr(&r.unwrap().0), key_repr(&k)),
                    None => assert!(r.is_err()),
                }
            }
            Op::CopyDict => self.dict = self.dict.copy().unwrap(),
            Op::Merge(pairs) => {
                let other = PyDict::new();
                for (k, v) in pairs.iter().take(64) {
                    other.set_item(k.obj(), int(i64::from(*v))).unwrap();
                    self.dict_m.insert(k.model(), i64::from(*v));
                }
                self.dict.merge(&other).unwrap();
            }
            Op::ClearDict => {
                self.dict.clear();
                self.dict_m.clear();
            }
            Op::Concat(t) if self.text_m.len() <= MAX_TEXT => {
                let other = PyStr::new(&t.string());
                self.text = self.text.concat(&other);
                self.text_m.extend(t.chars());
            }
            Op::StrSlice(i, j) => {
                let (lo, hi) = (usize::from(i), usize::from(j));
                self.text = self.text.slice(lo, hi);
                let n = self.text_m.len();
                let (lo, hi) = (lo.min(n), hi.min(n).max(lo.min(n)));
                self.text_m = self.text_m[lo..hi].to_vec();
            }
            Op::StrRepeat(k) => {
                let k = usize::from(k % 4);
                if self.text_m.len() * k <= 4096 {
                    self.text = self.text.repeat(k as isize).unwrap();
                    self.text_m = self.text_m.repeat(k);
                }
            }
            // The separator is the text itself: without the cap it grows eightfold a step.
            Op::Join(parts) if self.text_m.len() <= MAX_TEXT / 8 => {
                let texts: Vec<Vec<char>> = parts.iter().take(8).map(Text::chars).collect();
                let strs: Vec<PyStr> = texts
                    .iter()
                    .map(|t| PyStr::new(&t.iter().collect::<String>()))
                    .collect();
                let sep = self.text_m.clone();
                self.text = self.text.join(&strs);
                self.text_m = texts.join(&sep[..]);
            }
            Op::Case(up) => {
                // The model's case mapping is Rust's, which agrees with CPython's only for
                // ASCII: use it only when the text is ASCII.
                if self.text_m.iter().all(char::is_ascii) {
                    if up {
                        self.text = self.text.upper();
                        self.text_m
                            .iter_mut()
                            .for_each(|c| c.make_ascii_uppercase());
                    } else {
                        self.text = self.text.lower();
                        self.text_m
                            .iter_mut()
                            .for_each(|c| c.make_ascii_lowercase());
                    }
                }
            }
            Op::Freeze => {
                self.tuple = PyTuple::new(self.list.items());
                self.tuple_m = self.list_m.clone();
            }
            Op::TupleSlice(i, j) => {
                let (lo, hi) = bounds(self.tuple_m.len(), isize::from(i), isize::from(j));
                self.tuple = self.tuple.slice(lo, hi);
                self.tuple_m = self.tuple_m[lo..hi].to_vec();
            }
            Op::NewNode(is_dict) if self.nodes.len() < 64 => self.nodes.push(if is_dict {
                PyDict::new().into_obj()
            } else {
                PyList::new().into_obj()
            }),
            Op::Link(a, b) if !self.nodes.is_empty() => {
                let n = self.nodes.len();
                let (from, to) = (
                    &self.nodes[a as usize % n],
                    self.nodes[b as usize % n].clone(),
                );
                if let Ok(l) = PyList::from_obj(from.clone()) {
                    l.append(to);
                } else if let Ok(d) = PyDict::from_obj(from.clone()) {
                    d.set_item(int(i64::from(b)), to).unwrap();
                }
            }
            Op::DropNode(i) if !self.nodes.is_empty() => {
                let n = self.nodes.len();
                self.nodes.swap_remove(i as usize % n);
            }
            Op::Collect(g) => {
                gc::collect(usize::from(g % 3));
            }
            _ => {}
        }
    }
}

fuzz_target!(|ops_: Vec<Op>| {
    gc::collect(2);
    runtime::clear_freelists();
    let base = runtime::allocated_blocks();
    {
        let mut st = State {
            list: PyList::new(),
            list_m: Vec::new(),
            dict: PyDict::new(),
            dict_m: IndexMap::new(),
            text: PyStr::new(""),
            text_m: Vec::new(),
            tuple: PyTuple::new(Vec::new()),
            tuple_m: Vec::new(),
            nodes: Vec::new(),
        };
        for op in ops_.into_iter().take(500) {
            st.apply(op);
            st.check();
        }
    }
    gc::collect(2);
    runtime::clear_freelists();
    assert_eq!(runtime::allocated_blocks(), base, "blocks leaked");
});
