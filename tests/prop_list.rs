//! Property test: random list programs against a `Vec<i64>` model. After every step the
//! contents and length match, the capacity invariants hold, and at the end every block is
//! back in its pool.

use proptest::prelude::*;
use pylayout::object::Obj;
use pylayout::runtime;
use pylayout::types::int::PyInt;
use pylayout::types::list::PyList;

#[derive(Clone, Debug)]
enum Op {
    Append(i64),
    Insert(isize, i64),
    Extend(Vec<i64>),
    ExtendIter(Vec<i64>, usize),
    Pop(isize),
    Del(isize),
    Remove(i64),
    Clear,
    SetSlice(isize, isize, Vec<i64>),
    DelStep(usize),
    IMul(isize),
    Reverse,
    Sort,
    Slice(isize, isize),
    Repeat(isize),
}

fn val() -> impl Strategy<Value = i64> + Clone {
    prop_oneof![-5i64..20, any::<i64>()]
}

fn op() -> impl Strategy<Value = Op> {
    let idx = -30isize..30;
    let vals = prop::collection::vec(val(), 0..40);
    prop_oneof![
        4 => val().prop_map(Op::Append),
        2 => (idx.clone(), val()).prop_map(|(i, v)| Op::Insert(i, v)),
        1 => vals.clone().prop_map(Op::Extend),
        1 => (vals.clone(), 0usize..50).prop_map(|(v, h)| Op::ExtendIter(v, h)),
        2 => idx.clone().prop_map(Op::Pop),
        1 => idx.clone().prop_map(Op::Del),
        1 => (-5i64..20).prop_map(Op::Remove),
        1 => Just(Op::Clear),
        1 => (idx.clone(), idx.clone(), vals).prop_map(|(i, j, v)| Op::SetSlice(i, j, v)),
        1 => (2usize..5).prop_map(Op::DelStep),
        1 => (-1isize..4).prop_map(Op::IMul),
        1 => Just(Op::Reverse),
        1 => Just(Op::Sort),
        1 => (idx.clone(), idx).prop_map(|(i, j)| Op::Slice(i, j)),
        1 => (-1isize..4).prop_map(Op::Repeat),
    ]
}

fn ints(v: &[i64]) -> Vec<Obj> {
    v.iter().map(|&x| PyInt::from_i64(x).into_obj()).collect()
}

fn norm(len: usize, i: isize) -> Option<usize> {
    let n = len as isize;
    let i = if i < 0 { i + n } else { i };
    (0..n).contains(&i).then_some(i as usize)
}

fn bounds(len: usize, i: isize, j: isize) -> (usize, usize) {
    let n = len as isize;
    let adj = |x: isize| if x < 0 { (x + n).max(0) } else { x.min(n) } as usize;
    let lo = adj(i);
    (lo, adj(j).max(lo))
}

fn check(l: &PyList, model: &[i64]) -> Result<(), TestCaseError> {
    let got: Vec<i64> = l
        .items()
        .into_iter()
        .map(|o| PyInt::from_obj(o).unwrap().to_i64().unwrap())
        .collect();
    prop_assert_eq!(&got, model);
    prop_assert_eq!(l.len(), model.len());
    prop_assert!(l.allocated() >= l.len());
    // No array means no capacity. (The converse does not hold, in CPython either: shrinking
    // to 0 through list_resize leaves `PyMem_Realloc(p, 0)`'s non-NULL block.)
    if l.ob_item_address() == 0 {
        prop_assert_eq!(l.allocated(), 0);
    }
    prop_assert_eq!(l.as_obj().getsizeof(), 56 + 8 * l.allocated());
    prop_assert_eq!(l.as_obj().refcnt(), 1);
    Ok(())
}

fn run(ops: Vec<Op>) -> Result<(), TestCaseError> {
    runtime::clear_freelists();
    let base = runtime::allocated_blocks();
    {
        let mut l = PyList::new();
        let mut m: Vec<i64> = Vec::new();
        for op in ops {
            match op {
                Op::Append(v) => {
                    l.append(ints(&[v]).remove(0));
                    m.push(v);
                }
                Op::Insert(i, v) => {
                    l.insert(i, ints(&[v]).remove(0));
                    let n = m.len() as isize;
                    let at = if i < 0 { (i + n).max(0) } else { i.min(n) };
                    m.insert(at as usize, v);
                }
                Op::Extend(v) => {
                    l.extend_exact(ints(&v));
                    m.extend(v);
                }
                Op::ExtendIter(v, hint) => {
                    l.extend_iter(ints(&v), hint);
                    m.extend(v);
                }
                Op::Pop(i) => {
                    let r = l.pop(i);
                    match norm(m.len(), i) {
                        Some(k) => {
                            let v = PyInt::from_obj(r.unwrap()).unwrap().to_i64();
                            prop_assert_eq!(v, Some(m.remove(k)));
                        }
                        None => prop_assert!(r.is_err()),
                    }
                }
                Op::Del(i) => {
                    let r = l.del_item(i);
                    match norm(m.len(), i) {
                        Some(k) => {
                            m.remove(k);
                            prop_assert!(r.is_ok());
                        }
                        None => prop_assert!(r.is_err()),
                    }
                }
                Op::Remove(v) => {
                    let r = l.remove(&ints(&[v])[0]);
                    match m.iter().position(|&x| x == v) {
                        Some(k) => {
                            m.remove(k);
                            prop_assert!(r.is_ok());
                        }
                        None => prop_assert!(r.is_err()),
                    }
                }
                Op::Clear => {
                    l.clear();
                    m.clear();
                }
                Op::SetSlice(i, j, v) => {
                    let (lo, hi) = bounds(m.len(), i, j);
                    l.set_slice(lo as isize, hi as isize, ints(&v));
                    m.splice(lo..hi, v);
                }
                Op::DelStep(k) => {
                    let n = m.len().div_ceil(k);
                    l.del_extended_slice(0, k as isize, n);
                    let mut idx = 0;
                    m.retain(|_| {
                        idx += 1;
                        (idx - 1) % k != 0
                    });
                }
                Op::IMul(k) => {
                    l.inplace_repeat(k).unwrap();
                    m = m.repeat(k.max(0) as usize);
                }
                Op::Reverse => {
                    l.reverse();
                    m.reverse();
                }
                Op::Sort => {
                    l.sort(false).unwrap();
                    m.sort();
                }
                Op::Slice(i, j) => {
                    let (lo, hi) = bounds(m.len(), i, j);
                    l = l.slice(lo as isize, hi as isize);
                    prop_assert_eq!(l.allocated(), hi - lo);
                    m = m[lo..hi].to_vec();
                }
                Op::Repeat(k) => {
                    l = l.repeat(k).unwrap();
                    m = m.repeat(k.max(0) as usize);
                    prop_assert_eq!(l.allocated(), m.len());
                }
            }
            check(&l, &m)?;
        }
    }
    runtime::clear_freelists();
    prop_assert_eq!(runtime::allocated_blocks(), base);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn list_programs_match_a_vec(ops in prop::collection::vec(op(), 1..80)) {
        run(ops)?;
    }
}
