//! How an object is built decides its size: list displays (constant-folded or not),
//! `list(range(n))`, `list(generator)`, `str(int)`; and `hash()` of mixed tuples. Each
//! compared with python3.

mod common;

use common::{assert_python_311, python_script};
use pylayout::object::Obj;
use pylayout::types::float::PyFloat;
use pylayout::types::int::PyInt;
use pylayout::types::list::PyList;
use pylayout::types::ops;
use pylayout::types::str::PyStr;
use pylayout::types::tuple::PyTuple;

fn ints(n: i64) -> Vec<Obj> {
    (0..n).map(|i| PyInt::from_i64(i + 1).into_obj()).collect()
}

#[test]
fn list_construction_paths_match_python() {
    assert_python_311();
    let mut code = String::from("import sys\nx = 1\n");
    for n in 0..=20 {
        let consts: Vec<String> = (1..=n).map(|i| i.to_string()).collect();
        let vars: Vec<String> = (1..=n).map(|i| format!("x + {}", i - 1)).collect();
        code.push_str(&format!(
            "print(sys.getsizeof([{}]), sys.getsizeof([{}]), sys.getsizeof(list(range({n}))), \
             sys.getsizeof(list(i for i in range({n}))), sys.getsizeof([0] * {n}))\n",
            consts.join(", "),
            vars.join(", ")
        ));
    }
    let (out, _) = python_script(&code);
    assert_eq!(out.lines().count(), 21, "one line per n in 0..=20");
    for (n, line) in (0..=20i64).zip(out.lines()) {
        let constant = if n >= 3 {
            PyList::from_constant_display(ints(n))
        } else {
            PyList::with_items(ints(n))
        };
        let display = PyList::with_items(ints(n));
        let ranged = PyList::from_iter_hint(ints(n), n as usize);
        let generated = PyList::from_iter_hint(ints(n), 8);
        let zero = PyInt::from_i64(0).into_obj();
        let repeated = PyList::with_items(vec![zero]).repeat(n as isize).unwrap();
        let ours = [constant, display, ranged, generated, repeated]
            .iter()
            .map(|l| l.as_obj().getsizeof().to_string())
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(ours, line, "n = {n}");
    }
}

#[test]
fn str_of_int_matches_python() {
    assert_python_311();
    let values = [0i64, 5, -1, 255, 300, 123_456_789, i64::MIN];
    let mut code = String::from("import sys\n");
    for v in values {
        code.push_str(&format!(
            "x = int('{v}')\nprint(str(x) is str(x), sys.getsizeof(str(x)), repr(str(x)))\n"
        ));
    }
    let (out, _) = python_script(&code);
    assert_eq!(out.lines().count(), values.len(), "one line per value");
    for (v, line) in values.iter().zip(out.lines()) {
        let i = PyInt::from_i64(*v);
        let (a, b) = (PyStr::from_int(&i), PyStr::from_int(&i));
        let same = if a.as_obj().is(b.as_obj()) {
            "True"
        } else {
            "False"
        };
        let ours = format!(
            "{same} {} {}",
            a.as_obj().getsizeof(),
            ops::repr(a.as_obj())
        );
        assert_eq!(ours, line, "str({v})");
    }
}

#[test]
fn mixed_tuple_hashes_match_python() {
    assert_python_311();
    let s = |v: &str| PyStr::new(v).into_obj();
    let i = |v: i64| PyInt::from_i64(v).into_obj();
    let f = |v: f64| PyFloat::new(v).into_obj();
    let t = |v: Vec<Obj>| PyTuple::new(v).into_obj();
    let cases: Vec<(&str, Obj)> = vec![
        ("()", t(vec![])),
        ("('a',)", t(vec![s("a")])),
        ("('a', 1, 1.5)", t(vec![s("a"), i(1), f(1.5)])),
        (
            "('é', '中文', '😀', '')",
            t(vec![s("é"), s("中文"), s("😀"), s("")]),
        ),
        (
            "((1, 2), ('x', (3.0, -1)), True)",
            t(vec![
                t(vec![i(1), i(2)]),
                t(vec![s("x"), t(vec![f(3.0), i(-1)])]),
                PyInt::from_bool(true).into_obj(),
            ]),
        ),
        (
            "(-1, -2, 2**61 - 1, 0.5)",
            t(vec![i(-1), i(-2), i((1 << 61) - 1), f(0.5)]),
        ),
    ];
    let code: String = cases
        .iter()
        .map(|(src, _)| format!("print(hash({src}), repr({src}))\n"))
        .collect();
    let (out, _) = python_script(&code);
    assert_eq!(out.lines().count(), cases.len(), "one line per case");
    for ((src, obj), line) in cases.iter().zip(out.lines()) {
        let ours = format!("{} {}", ops::hash(obj).unwrap(), ops::repr(obj));
        assert_eq!(ours, line, "{src}");
    }
}
