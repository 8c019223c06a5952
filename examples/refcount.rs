//! Reference counting, watched on one object: the four ways its count rises (binding a
//! name, aliasing, putting it in a container, passing it as an argument) and the five ways
//! it falls (`del`, rebinding, a function's scope ending, removal from a container, the
//! container itself freed).
//!
//! Run: `cargo run --example refcount`
//!
//! Things to notice:
//! - `sys.getrefcount(x)` is always one more than the references you made: the call's own
//!   argument is a reference while it runs;
//! - inside `f(x)` the count is two more than outside: the caller's stack and the
//!   parameter `p` (3.11 moves the argument into the frame, so it is not three);
//! - a list that holds `x` twice holds two references;
//! - the count of a small int like 7 is about a billion and says nothing about your program:
//!   3.11 creates the cached ints statically with `ob_refcnt = 999999999` (PEP 683 made them
//!   immortal in 3.12, with a fixed count of 4294967295).
//!
//! The snippet runs on pylayout's runner; `python3` prints the same counts for it
//! (tests/examples.rs checks that).

mod common;

use pylayout::inspect::layout::layout;
use pylayout::object::STATIC_REFCNT;
use pylayout::types::int::PyInt;

const SNIPPET: &str = "\
import sys
x = [1.5]
print('rise  name binding        x = [1.5]      ', sys.getrefcount(x))
y = x
print('rise  aliasing            y = x          ', sys.getrefcount(x))
box = [x]
print('rise  container insert    box = [x]      ', sys.getrefcount(x))
def f(p):
    print('rise  argument passing    inside f(x)    ', sys.getrefcount(p))
f(x)
print('fall  scope left          f returned     ', sys.getrefcount(x))
del y
print('fall  del                 del y          ', sys.getrefcount(x))
z = x
print('rise  aliasing            z = x          ', sys.getrefcount(x))
z = 123
print('fall  rebinding           z = 123        ', sys.getrefcount(x))
box.remove(x)
print('fall  container removal   box.remove(x)  ', sys.getrefcount(x))
pair = [x, x]
print('rise  two container slots pair = [x, x]  ', sys.getrefcount(x))
del pair
print('fall  container freed     del pair       ', sys.getrefcount(x))
";

const SMALL_INT_SNIPPET: &str = "\
import sys
print('small int 7:', sys.getrefcount(7))
";

fn main() {
    common::step("One list, watched through every rise and fall of its count");
    common::show_snippet(SNIPPET);
    println!("--- pylayout's runner prints ---");
    print!("{}", common::run_snippet(SNIPPET));
    println!("(each number counts the references above, plus one: getrefcount's own argument)");

    common::step("The same rules, seen from Rust: a handle is a reference");
    let x = PyInt::from_i64(10_000);
    let before = x.as_obj().refcnt();
    let alias = x.clone();
    let after_clone = x.as_obj().refcnt();
    drop(alias);
    println!(
        "ob_refcnt of 10000: {before}; after clone (an alias): {after_clone}; after drop: {}",
        x.as_obj().refcnt()
    );

    common::step("Why a small int's count tells you nothing");
    print!("{}", common::run_snippet(SMALL_INT_SNIPPET));
    let seven = PyInt::from_i64(7);
    let l = layout(seven.as_obj());
    println!(
        "7 is statically allocated: {} (in no pymalloc pool); it started at ob_refcnt = {STATIC_REFCNT}",
        l.is_static
    );
    println!(
        "so the count is {STATIC_REFCNT} plus every reference start-up and the compiler made: \
         python3 prints a different number again, and neither is about your code"
    );

    common::explore(&[
        "pylayout run --trace -c \"import sys; x = [1.5]; y = x; print(sys.getrefcount(x)); del y\"",
        "pylayout tour --section refcount",
        "pylayout layout 256",
    ]);
}
