//! The memory `pylayout cost` reports for our structures, against what python3 holds for the
//! same object. (Not run under valgrind: its `malloc_usable_size` answers the request, not
//! glibc's chunk.)

mod common;

use pylayout::types::int::PyInt;
use pylayout::types::list::PyList;

/// `bytes/item` starts from what a list holds in the allocators: its object's pymalloc block
/// and its `ob_item` array — a pool block up to 512 bytes, beyond that what glibc reserved.
/// python3 tells the same for its own list: `sys.getsizeof` gives the slots, ctypes the
/// array's address, and glibc's `malloc_usable_size` what `malloc` reserved for it.
#[test]
fn a_lists_footprint_is_what_cpython_holds_for_the_same_list() {
    common::assert_python_311();
    let sizes = [
        0usize, 1, 4, 5, 8, 9, 50, 64, 65, 100, 1000, 10_000, 100_000,
    ];
    let code = format!(
        r#"
import ctypes, sys
libc = ctypes.CDLL(None)
libc.malloc_usable_size.restype = ctypes.c_size_t
libc.malloc_usable_size.argtypes = [ctypes.c_void_p]
for n in {sizes:?}:
    l = []
    for i in range(n):
        l.append(i)
    slots = (sys.getsizeof(l) - 56) // 8          # allocated (56: list object + GC head)
    obj = (56 + 15) // 16 * 16                    # its pymalloc block
    ob_item = ctypes.c_void_p.from_address(id(l) + 24).value
    if slots == 0:
        items = 0
    elif 8 * slots <= 512:
        items = (8 * slots + 15) // 16 * 16       # a pool block
    else:
        items = libc.malloc_usable_size(ob_item) + 8   # glibc's chunk, header included
    print(obj + items)
"#
    );
    let theirs: Vec<usize> = common::python(&code)
        .lines()
        .map(|l| l.trim().parse().expect("a number"))
        .collect();
    assert_eq!(theirs.len(), sizes.len());
    for (&n, &want) in sizes.iter().zip(&theirs) {
        let l = PyList::new();
        for i in 0..n {
            l.append(PyInt::from_i64(i as i64).into_obj());
        }
        assert_eq!(l.footprint(), want, "a list of {n} appended items");
    }
}
