//! Run a classic Python snippet on pylayout's objects, then look inside the list it built.
//!
//! `cargo run --example snippet` — the same program run by `python3` prints the same lines
//! (tests/run_scripts.rs checks scripts like it against the real interpreter).

use pylayout::inspect::layout::layout;
use pylayout::script::{self, Limits, Outcome, RunOptions};

const SNIPPET: &str = "\
import sys
x = 1000            # a constant: held by the parser's arena and the code's co_consts
y = x
print('x refcount:', sys.getrefcount(x))
a = [1, x, '33']    # BUILD_LIST 3: exactly three slots
b = [1, 2, 3]       # three constants: LIST_EXTEND of a tuple, rounded up to four slots
print('sizes:', sys.getsizeof(a), sys.getsizeof(b))
def foo(p):
    print('inside foo:', sys.getrefcount(p))
foo(a)
del x
print('after del x:', sys.getrefcount(y))
";

fn main() {
    println!("--- the snippet ---\n{SNIPPET}--- what it prints ---");
    let mut out = std::io::stdout();
    match script::run(SNIPPET, &RunOptions::default(), &mut out, None) {
        Outcome::Ok => {}
        other => eprintln!("{other:?}"),
    }
    let (obj, _program) =
        script::eval_expr("[1, 1000, '33']", Limits::default()).expect("a list display");
    let l = layout(&obj);
    println!("\n--- x = [1, 1000, '33'] in memory ---");
    for f in &l.fields {
        println!("+{:<3} {:<10} {}", f.offset, f.name, f.value);
    }
    for b in &l.blocks {
        println!("block {} ({} bytes):", b.name, b.size);
        for f in &b.fields {
            println!(
                "  +{:<3} {:<12} {:#x}",
                f.offset,
                f.name,
                f.value.as_u64().unwrap_or(0)
            );
        }
    }
    println!("sys.getsizeof = {}, deep size = {}", l.size, l.deep_size);
}
