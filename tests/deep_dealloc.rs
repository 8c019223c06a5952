//! Deallocating deep nestings and long chains must not overflow the stack (CPython's
//! trashcan): `l = [l]` a million times, tuples and dicts likewise, on the default test
//! thread stack (2 MiB). Every block comes back.

use pylayout::runtime;
use pylayout::types::dict::PyDict;
use pylayout::types::int::PyInt;
use pylayout::types::list::PyList;
use pylayout::types::str::PyStr;
use pylayout::types::tuple::PyTuple;

const DEPTH: usize = 1_000_000;

fn check_freed(build: impl FnOnce()) {
    runtime::clear_freelists();
    let base = runtime::allocated_blocks();
    build();
    runtime::clear_freelists();
    assert_eq!(runtime::allocated_blocks(), base);
}

#[test]
fn million_deep_list_nesting() {
    check_freed(|| {
        let mut l = PyList::new();
        for _ in 0..DEPTH {
            let outer = PyList::new();
            outer.append(l.into_obj());
            l = outer;
        }
        drop(l);
    });
}

#[test]
fn million_deep_tuple_nesting() {
    check_freed(|| {
        let mut t = PyTuple::new(vec![PyInt::from_i64(1_000_000).into_obj()]);
        for _ in 0..DEPTH {
            t = PyTuple::new(vec![t.into_obj()]);
        }
        drop(t);
    });
}

#[test]
fn deep_dict_nesting() {
    check_freed(|| {
        let key = PyStr::new("next");
        let mut d = PyDict::new();
        for _ in 0..DEPTH / 4 {
            let outer = PyDict::new();
            outer.set_item(key.as_obj().clone(), d.into_obj()).unwrap();
            d = outer;
        }
        drop((d, key));
    });
}

#[test]
fn mixed_chain() {
    check_freed(|| {
        let mut o = PyInt::from_i64(7).into_obj();
        for i in 0..DEPTH {
            o = match i % 3 {
                0 => PyList::with_items(vec![o]).into_obj(),
                1 => PyTuple::new(vec![o]).into_obj(),
                _ => {
                    let d = PyDict::new();
                    d.set_item(PyInt::from_i64(i as i64).into_obj(), o).unwrap();
                    d.into_obj()
                }
            };
        }
        drop(o);
    });
}
