//! Property tests for the object layer: random programs that create `int`s and `float`s,
//! clone and drop their handles. After every step each heap object's `ob_refcnt` equals
//! the number of live handles to it (static small ints and bools keep their immortal-ish
//! count and are shared); at the end every block is back in its pool (free lists cleared).

use proptest::prelude::*;
use pylayout::object::{Obj, STATIC_REFCNT};
use pylayout::runtime;
use pylayout::types::float::{PyFloat, free_list_len};
use pylayout::types::int::PyInt;

#[derive(Clone, Debug)]
enum Op {
    Int(i64),
    Float(f64),
    Clone(usize),
    Drop(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => prop_oneof![-10i64..300, any::<i64>()].prop_map(Op::Int),
        3 => any::<f64>().prop_map(Op::Float),
        3 => any::<usize>().prop_map(Op::Clone),
        4 => any::<usize>().prop_map(Op::Drop),
    ]
}

fn check(handles: &[Obj]) -> Result<(), TestCaseError> {
    for h in handles {
        let same = handles.iter().filter(|o| o.is(h)).count();
        let static_int = PyInt::from_obj(h.clone())
            .map(|i| i.is_static())
            .unwrap_or(false);
        if static_int {
            prop_assert!(h.refcnt() >= STATIC_REFCNT);
        } else {
            prop_assert_eq!(h.refcnt(), same as isize, "object at {:#x}", h.id());
        }
    }
    Ok(())
}

fn run(ops: Vec<Op>) -> Result<(), TestCaseError> {
    runtime::clear_freelists();
    let baseline = runtime::allocated_blocks();
    let mut handles: Vec<Obj> = Vec::new();
    for op in ops {
        match op {
            Op::Int(v) => {
                let i = PyInt::from_i64(v);
                prop_assert_eq!(i.to_i64(), Some(v));
                prop_assert_eq!(i.is_static(), (-5..=256).contains(&v));
                if i.is_static() {
                    prop_assert!(i.as_obj().is(PyInt::from_i64(v).as_obj()));
                }
                handles.push(i.into_obj());
            }
            Op::Float(v) => {
                let f = PyFloat::new(v);
                prop_assert_eq!(f.value().to_bits(), v.to_bits());
                handles.push(f.into_obj());
            }
            Op::Clone(i) if !handles.is_empty() => {
                let h = handles[i % handles.len()].clone();
                handles.push(h);
            }
            Op::Drop(i) if !handles.is_empty() => {
                drop(handles.swap_remove(i % handles.len()));
            }
            _ => {}
        }
        check(&handles)?;
        prop_assert!(
            free_list_len() <= 100,
            "float free list above CPython's limit"
        );
    }
    handles.clear();
    runtime::clear_freelists();
    prop_assert_eq!(free_list_len(), 0);
    prop_assert_eq!(runtime::allocated_blocks(), baseline);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn refcounts_track_handles_and_blocks_come_back(ops in prop::collection::vec(op(), 1..300)) {
        run(ops)?;
    }
}
