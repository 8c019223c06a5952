//! One str, four widths (PEP 393): the same three letters plus one wider character make an
//! ASCII, a Latin-1, a UCS-2 and a UCS-4 string, each storing *every* character at the
//! widest one's size. Then the hash a str caches and interning.
//!
//! Run: `cargo run --example str_kinds`
//!
//! Things to notice:
//! - an ASCII str has a 48-byte header, every other kind 72 (it has room for a UTF-8 copy);
//!   one non-ASCII character changes the header and the width of all the others;
//! - a str is not "an immutable list" of characters: there are no item pointers, just one
//!   block of fixed-width code units with a NUL at the end;
//! - `hash` is -1 until first asked, then stored in the object (the same SipHash-1-3 value
//!   python3 prints under `PYTHONHASHSEED=0`);
//! - equal strings are separate objects unless interned (or one of the 256 one-character
//!   Latin-1 singletons).

mod common;

use pylayout::inspect::tour;
use pylayout::types::str::PyStr;

fn main() {
    common::step("The same text, four kinds");
    for row in tour::str_widths().rows {
        let s = PyStr::new(&row.text);
        let data: Vec<String> = s.data().iter().map(|b| format!("{b:02x}")).collect();
        println!("getsizeof[{}] = {}", row.repr, row.getsizeof);
        println!(
            "  kind {} ({} byte(s) per character), header {} bytes, {} characters: {} (then a NUL)",
            row.kind,
            row.kind,
            s.data_offset(),
            s.len(),
            data.join(" ")
        );
    }

    common::step("The cached hash");
    let s = PyStr::new_uncached("abc");
    println!("a fresh 'abc': hash field = {}", s.cached_hash());
    let h = s.hash();
    println!("hash['abc'] = {h}");
    println!(
        "after hash(s): hash field = {} (computed once, read by every dict lookup)",
        s.cached_hash()
    );
    for row in tour::str_widths().rows {
        println!("hash[{}] = {}", row.repr, PyStr::new(&row.text).hash());
    }

    common::step("Interning");
    let a = PyStr::new("hello world");
    let b = PyStr::new("hello world");
    println!(
        "two 'hello world' objects: a is b = {}",
        a.as_obj().is(b.as_obj())
    );
    let (a, b) = (a.intern(), b.intern());
    println!(
        "after sys.intern on both: a is b = {}",
        a.as_obj().is(b.as_obj())
    );
    let (c, d) = (PyStr::new("é"), PyStr::new("é"));
    println!(
        "'é' twice: the same static singleton = {} (static: {})",
        c.as_obj().is(d.as_obj()),
        c.is_static()
    );

    common::explore(&[
        "pylayout layout \"'abc\\u4e2d'\"",
        "pylayout tour --section str",
        "pylayout cost str append",
    ]);
}
