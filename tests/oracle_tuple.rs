//! `tuple` against python3: sizes, `ob_size` and the inline items read with `ctypes`, the
//! empty singleton, and the free lists as seen through `id()` reuse.

mod common;

use common::{assert_python_311, python_script};
use pylayout::object::{OB_SIZE_OFFSET, Obj, STATIC_REFCNT};
use pylayout::runtime;
use pylayout::types::int::PyInt;
use pylayout::types::ops;
use pylayout::types::tuple::{OB_ITEM_OFFSET, PyTuple, TUPLE_TYPE};

fn int(v: i64) -> Obj {
    PyInt::from_i64(v).into_obj()
}

#[test]
fn sizes_and_fields_match_python() {
    assert_python_311();
    let code = format!(
        "import sys, ctypes\n\
         print(tuple.__basicsize__, tuple.__itemsize__)\n\
         for n in range(0, 70):\n    \
             t = tuple([int(str(1000 + i)) for i in range(n)])\n    \
             size = ctypes.c_ssize_t.from_address(id(t) + {OB_SIZE_OFFSET}).value\n    \
             same = all(ctypes.c_void_p.from_address(id(t) + {OB_ITEM_OFFSET} + 8 * i).value == id(t[i]) for i in range(n))\n    \
             print(sys.getsizeof(t), t.__sizeof__(), size, same, repr(t))\n"
    );
    let (out, _) = python_script(&code);
    let mut lines = out.lines();
    assert_eq!(
        lines.next().unwrap(),
        format!("{} {}", TUPLE_TYPE.tp_basicsize, TUPLE_TYPE.tp_itemsize)
    );
    let lines: Vec<&str> = lines.collect();
    assert_eq!(lines.len(), 70, "one line per n in 0..70");
    for (n, line) in (0..70).zip(lines) {
        let t = PyTuple::new((0..n).map(|i| int(1000 + i)).collect());
        let ours = format!(
            "{} {} {} True {}",
            t.as_obj().getsizeof(),
            t.as_obj().sizeof(),
            t.len(),
            ops::repr(t.as_obj())
        );
        assert_eq!(ours, line, "{n}-tuple");
    }
}

#[test]
fn singleton_and_free_lists_match_python() {
    assert_python_311();
    // Each line: () is shared and static; an n-tuple's block is reused by the next n-tuple.
    let (out, _) = python_script(
        "import sys\n\
         print(tuple() is (), sys.getrefcount(()) >= 999999999)\n\
         for n in range(1, 25):\n    \
             t = tuple([int(str(5000 + i)) for i in range(n)])\n    \
             i = id(t)\n    \
             del t\n    \
             u = tuple([int(str(7000 + i)) for i in range(n)])\n    \
             print(n, id(u) == i)\n    \
             del u\n",
    );
    let mut lines = out.lines();
    let e = PyTuple::empty();
    assert_eq!(
        lines.next().unwrap(),
        format!(
            "{} {}",
            if PyTuple::new(vec![]).as_obj().is(e.as_obj()) {
                "True"
            } else {
                "False"
            },
            if e.as_obj().refcnt() >= STATIC_REFCNT {
                "True"
            } else {
                "False"
            }
        )
    );
    runtime::clear_freelists();
    // Ballast: python3's heap is full of other objects, so freeing one tuple (and its
    // items) never empties a pool there. Keep pools of the same classes busy here too, or an
    // emptied pool would be handed to another size class first.
    let _ballast: Vec<Obj> = (0..25)
        .map(|n| PyTuple::new((0..n).map(|i| int(9000 + i)).collect()).into_obj())
        .chain((0..100).map(|i| int(100_000 + i)))
        .collect();
    let lines: Vec<&str> = lines.collect();
    assert_eq!(lines.len(), 24, "one line per n in 1..25");
    for (n, line) in (1..25i64).zip(lines) {
        let t = PyTuple::new((0..n).map(|i| int(5000 + i)).collect());
        let i = t.as_obj().id();
        drop(t);
        let u = PyTuple::new((0..n).map(|i| int(7000 + i)).collect());
        let same = if u.as_obj().id() == i {
            "True"
        } else {
            "False"
        };
        assert_eq!(format!("{n} {same}"), line);
    }
}
