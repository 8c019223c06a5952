//! Property test: tuple operations against `Vec<i64>`: contents, length, size formula, the
//! empty singleton, free-list reuse never corrupting contents, every block back at the end.

use proptest::prelude::*;
use pylayout::object::Obj;
use pylayout::runtime;
use pylayout::types::int::PyInt;
use pylayout::types::tuple::PyTuple;

fn ints(v: &[i64]) -> Vec<Obj> {
    v.iter().map(|&x| PyInt::from_i64(x).into_obj()).collect()
}

fn values(t: &PyTuple) -> Vec<i64> {
    t.items()
        .into_iter()
        .map(|o| PyInt::from_obj(o).unwrap().to_i64().unwrap())
        .collect()
}

fn check(t: &PyTuple, m: &[i64]) -> Result<(), TestCaseError> {
    prop_assert_eq!(values(t), m);
    prop_assert_eq!(t.len(), m.len());
    prop_assert_eq!(t.as_obj().getsizeof(), 40 + 8 * m.len());
    prop_assert_eq!(t.is_static(), m.is_empty());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn tuple_ops_match_vec(
        a in prop::collection::vec(-10i64..300, 0..25),
        b in prop::collection::vec(any::<i64>(), 0..25),
        k in -1isize..4,
        lo in 0usize..30,
        hi in 0usize..30,
        x in -10i64..300,
    ) {
        runtime::clear_freelists();
        let base = runtime::allocated_blocks();
        {
            let (ta, tb) = (PyTuple::new(ints(&a)), PyTuple::new(ints(&b)));
            check(&ta, &a)?;
            let mut ab = a.clone();
            ab.extend(&b);
            check(&ta.concat(&tb), &ab)?;
            check(&ta.repeat(k).unwrap(), &a.repeat(k.max(0) as usize))?;
            let (l, h) = (lo.min(a.len()), hi.min(a.len()).max(lo.min(a.len())));
            check(&ta.slice(lo, hi), &a[l..h])?;
            let xo = PyInt::from_i64(x).into_obj();
            prop_assert_eq!(ta.contains(&xo).unwrap(), a.contains(&x));
            prop_assert_eq!(ta.count(&xo).unwrap(), a.iter().filter(|&&v| v == x).count());
            prop_assert_eq!(ta.index(&xo).ok(), a.iter().position(|&v| v == x));
            // Drop and rebuild: free-list tuples come back clean.
            drop(ta);
            check(&PyTuple::new(ints(&b)), &b)?;
        }
        runtime::clear_freelists();
        prop_assert_eq!(runtime::allocated_blocks(), base);
    }
}
