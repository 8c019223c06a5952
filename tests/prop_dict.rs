//! Property test: random dict programs against an `IndexMap` model: contents and insertion
//! order, `len`, and the table invariants (`ma_used`, `dk_nentries`, `dk_usable`, index
//! consistency); every block back at the end.

use indexmap::IndexMap;
use proptest::prelude::*;
use pylayout::object::Obj;
use pylayout::runtime;
use pylayout::types::dict::PyDict;
use pylayout::types::int::PyInt;
use pylayout::types::ops;
use pylayout::types::str::PyStr;

// The model's numbers, written here from CPython 3.11's Objects/dictobject.c, never taken
// from the code under test: `DKIX_EMPTY`, `DKIX_DUMMY` and `USABLE_FRACTION(n)`.
const DKIX_EMPTY: isize = -1;
const DKIX_DUMMY: isize = -2;

/// `USABLE_FRACTION(n) = (n << 1) / 3`: how many entries a table of `n` slots holds.
fn usable_fraction(n: usize) -> usize {
    (n << 1) / 3
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum K {
    S(String),
    I(i64),
}

impl K {
    fn obj(&self) -> Obj {
        match self {
            K::S(s) => PyStr::new(s).into_obj(),
            K::I(i) => PyInt::from_i64(*i).into_obj(),
        }
    }
    fn repr(&self) -> String {
        ops::repr(&self.obj())
    }
}

fn key() -> impl Strategy<Value = K> + Clone {
    prop_oneof![
        "[a-c]{0,2}".prop_map(K::S),
        (-20i64..40).prop_map(K::I),
        any::<i64>().prop_map(K::I),
    ]
}

#[derive(Clone, Debug)]
enum Op {
    Set(K, i64),
    Del(K),
    PopItem,
    Clear,
    Copy,
    Update(Vec<(K, i64)>),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (key(), any::<i64>()).prop_map(|(k, v)| Op::Set(k, v)),
        3 => key().prop_map(Op::Del),
        1 => Just(Op::PopItem),
        1 => Just(Op::Clear),
        1 => Just(Op::Copy),
        1 => prop::collection::vec((key(), any::<i64>()), 0..20).prop_map(Op::Update),
    ]
}

fn check(d: &PyDict, m: &IndexMap<K, i64>) -> Result<(), TestCaseError> {
    let got: Vec<String> = d
        .items()
        .iter()
        .map(|(k, v)| format!("{}: {}", ops::repr(k), ops::repr(v)))
        .collect();
    let want: Vec<String> = m
        .iter()
        .map(|(k, v)| format!("{}: {v}", k.repr()))
        .collect();
    prop_assert_eq!(got, want);
    let t = d.table();
    prop_assert_eq!(t.ma_used, m.len());
    if !t.shared_empty_keys {
        let size = 1usize << t.dk_log2_size;
        let live = t.indices.iter().filter(|&&ix| ix >= 0).count();
        prop_assert_eq!(live, m.len());
        prop_assert!(
            t.indices
                .iter()
                .all(|&ix| ix >= DKIX_DUMMY && ix < t.dk_nentries)
        );
        prop_assert!(t.indices.contains(&DKIX_EMPTY), "a table is never full");
        // Entries are only consumed (popitem gives back nentries, never usable).
        prop_assert!(t.dk_usable + t.dk_nentries <= usable_fraction(size) as isize);
        prop_assert!(t.dk_usable >= 0);
        prop_assert!(t.dk_nentries as usize >= m.len());
    }
    Ok(())
}

fn run(ops_: Vec<Op>) -> Result<(), TestCaseError> {
    runtime::clear_freelists();
    let base = runtime::allocated_blocks();
    {
        let mut d = PyDict::new();
        let mut m: IndexMap<K, i64> = IndexMap::new();
        for op in ops_ {
            match op {
                Op::Set(k, v) => {
                    d.set_item(k.obj(), PyInt::from_i64(v).into_obj()).unwrap();
                    m.insert(k, v);
                }
                Op::Del(k) => {
                    let r = d.del_item(&k.obj());
                    prop_assert_eq!(r.is_ok(), m.shift_remove(&k).is_some());
                }
                Op::PopItem => {
                    let r = d.popitem();
                    match m.pop() {
                        Some((k, _)) => prop_assert_eq!(ops::repr(&r.unwrap().0), k.repr()),
                        None => prop_assert!(r.is_err()),
                    }
                }
                Op::Clear => {
                    d.clear();
                    m.clear();
                }
                Op::Copy => d = d.copy().unwrap(),
                Op::Update(p) => {
                    let other = PyDict::new();
                    for (k, v) in &p {
                        other
                            .set_item(k.obj(), PyInt::from_i64(*v).into_obj())
                            .unwrap();
                    }
                    d.merge(&other).unwrap();
                    for (k, v) in p {
                        m.insert(k, v);
                    }
                }
            }
            check(&d, &m)?;
        }
    }
    runtime::clear_freelists();
    prop_assert_eq!(runtime::allocated_blocks(), base);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn dict_programs_match_an_indexmap(ops_ in prop::collection::vec(op(), 1..100)) {
        run(ops_)?;
    }
}
