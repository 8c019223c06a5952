//! `pylayout tour`: the main job. Walks through the layers with live objects, every number
//! computed by the library at run time.

use clap::Args;
use num_bigint::BigInt;

use pylayout::alloc::{
    self, ARENA_SIZE, MAX_POOLS_IN_ARENA, NB_SMALL_SIZE_CLASSES, POOL_OVERHEAD, POOL_SIZE,
    SMALL_REQUEST_THRESHOLD,
};
use pylayout::gc;
use pylayout::inspect::layout::{ObjectLayout, layout};
use pylayout::runtime;
use pylayout::types::dict::PyDict;
use pylayout::types::float::{self, PyFloat};
use pylayout::types::int::PyInt;
use pylayout::types::list::PyList;
use pylayout::types::str::{self as pystr, PyStr};

use super::CliError;
use super::output::{emit, table};

#[derive(Debug, Args)]
pub struct TourArgs {}

fn py_bool(b: bool) -> &'static str {
    if b { "True" } else { "False" }
}

fn section(out: &mut String, n: usize, title: &str) {
    out.push_str(&format!("\n== {n}. {title} ==\n\n"));
}

fn fields_table(l: &ObjectLayout) -> String {
    let mut t = table(&["offset", "size", "field", "value"], &[0, 1, 3]);
    for f in &l.fields {
        let v = match &f.value {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        t.add_row(vec![
            f.offset.to_string(),
            f.size.to_string(),
            f.name.clone(),
            v,
        ]);
    }
    t.to_string()
}

fn placement(l: &ObjectLayout) -> String {
    match &l.block {
        Some(b) => format!(
            "block {} of pool {} (size class {}, {}-byte blocks) in arena {}",
            b.block_index, b.pool_index, b.size_class, b.block_size, b.arena_index
        ),
        None if l.is_static => "statically allocated by the runtime: in no pool".into(),
        None => "a system-allocator block (over 512 bytes)".into(),
    }
}

pub fn run(_args: &TourArgs) -> Result<(), CliError> {
    let mut out = String::new();
    out.push_str(
        "pylayout tour: CPython 3.11's memory model, rebuilt in Rust and shown from the inside.\n\
         Every number below is read from live objects in this process.\n",
    );

    section(&mut out, 1, "The pymalloc pyramid");
    out.push_str(&format!(
        "Requests of 1..={SMALL_REQUEST_THRESHOLD} bytes never reach malloc. They are rounded up \
         to one of {NB_SMALL_SIZE_CLASSES} size classes\n(16, 32, ... 512 bytes) and served from \
         {} KiB pools carved from {} MiB arenas ({MAX_POOLS_IN_ARENA} pools each).\n\
         Each pool starts with a {POOL_OVERHEAD}-byte header and holds blocks of one size:\n\n",
        POOL_SIZE / 1024,
        ARENA_SIZE >> 20,
    ));
    let mut t = table(
        &["request", "class", "block", "blocks/pool", "wasted/pool"],
        &[0, 1, 2, 3, 4],
    );
    for req in [1usize, 24, 28, 56, 100, 512] {
        let c = alloc::size_class(req).expect("small request");
        t.add_row(vec![
            format!("{req} B"),
            c.to_string(),
            format!("{} B", alloc::index_to_size(c)),
            alloc::blocks_per_pool(c).to_string(),
            format!("{} B", alloc::quantization_per_pool(c)),
        ]);
    }
    out.push_str(&t.to_string());
    out.push_str("\nA request of 513 bytes or more goes to the system allocator.\n");

    section(&mut out, 2, "An int, byte by byte");
    let big = PyInt::from_bigint(&(BigInt::from(1) << 40u32));
    let l = layout(big.as_obj());
    out.push_str(&format!(
        "x = 2**40 is stored in 30-bit digits: ob_size = {} digits, sys.getsizeof(x) = {}.\n\n",
        big.ob_size(),
        l.size
    ));
    out.push_str(&fields_table(&l));
    out.push_str(&format!("\nIt lives in {}.\n", placement(&l)));

    section(&mut out, 3, "Small ints are shared");
    let a = PyInt::from_i64(256);
    let b = PyInt::from_i64(256);
    let c = PyInt::from_i64(257);
    let d = PyInt::from_i64(257);
    out.push_str(&format!(
        "a = int('256'); b = int('256') -> a is b: {}   ({})\n\
         c = int('257'); d = int('257') -> c is d: {}  (each 257 is a new {}-byte object)\n\
         The cache covers -5..=256; its objects start with ob_refcnt = 999999999 in 3.11.\n\
         (Careful: `c = 257; d = 257` in one module gives c is d == True, because the compiler\n\
         stores the constant 257 once; the cache is about ints made at run time.)\n",
        py_bool(a.as_obj().is(b.as_obj())),
        placement(&layout(a.as_obj())),
        py_bool(c.as_obj().is(d.as_obj())),
        c.as_obj().getsizeof(),
    ));
    drop((a, b, c, d));

    section(&mut out, 4, "Reference counting");
    out.push_str(
        "(x made at run time. In CPython a literal written in the code, like 2**40, is also held\n\
         by the code object's constants: one more reference than the names show.)\n",
    );
    let y = big.clone();
    out.push_str(&format!(
        "y = x          -> ob_refcnt {}\n",
        big.as_obj().refcnt()
    ));
    drop(y);
    out.push_str(&format!(
        "del y          -> ob_refcnt {}\n",
        big.as_obj().refcnt()
    ));
    let before = runtime::allocated_blocks();
    drop(big);
    out.push_str(&format!(
        "del x          -> ob_refcnt 0: freed at once, blocks in use {} -> {}\n",
        before,
        runtime::allocated_blocks()
    ));

    section(&mut out, 5, "Floats and their free list");
    runtime::clear_freelists();
    let f = PyFloat::new(1.5);
    let fl = layout(f.as_obj());
    out.push_str(&fields_table(&fl));
    let addr = f.as_obj().id();
    drop(f);
    let g = PyFloat::new(2.5);
    out.push_str(&format!(
        "\nf = 1.5 at {addr:#x}; del f; g = 2.5 at {:#x} -> same block: {}\n\
         A dead float is kept on a free list (up to 100, now {}) and handed out again;\n\
         its pool block stays in use meanwhile.\n",
        g.as_obj().id(),
        py_bool(g.as_obj().id() == addr),
        float::free_list_len(),
    ));
    drop(g);

    section(&mut out, 6, "A list over-allocates");
    let l = PyList::new();
    let zero = PyInt::from_i64(0).into_obj();
    let mut sizes = Vec::new();
    for _ in 0..10 {
        l.append(zero.clone());
        sizes.push(l.as_obj().getsizeof().to_string());
    }
    out.push_str(&format!(
        "l = []; l.append(0) ten times -> sys.getsizeof(l): {}\n\
         The header is 56 bytes with the GC head; the item array grows in steps (4, 8, 16 slots),\n\
         so most appends cost no allocation. `pylayout grow list` shows every step.\n",
        sizes.join(" ")
    ));
    drop(l);

    section(&mut out, 7, "A str picks one width for all its characters");
    let widths: Vec<String> = ["abcd", "abc\u{e9}", "abc\u{4e2d}", "abc\u{1f600}"]
        .iter()
        .map(|t| {
            let p = PyStr::new(t);
            format!("{} {}", pystr::repr(t), p.as_obj().getsizeof())
        })
        .collect();
    out.push_str(&format!(
        "sys.getsizeof: {}\n\
         One character above U+00FF makes every character 2 bytes; above U+FFFF, 4 bytes.\n",
        widths.join(", ")
    ));

    section(&mut out, 8, "Cycles need the collector");
    gc::disable();
    gc::collect(2);
    {
        let a = PyList::new();
        a.append(a.as_obj().clone());
    }
    let found_one = gc::collect(2);
    {
        let a = PyList::new();
        let d = PyDict::new();
        d.set_item(PyStr::new("a").into_obj(), a.as_obj().clone())
            .expect("str keys hash");
        a.append(d.into_obj());
    }
    let found_two = gc::collect(2);
    gc::enable();
    out.push_str(&format!(
        "a = []; a.append(a); del a      -> refcount stays 1; gc.collect() returns {found_one}\n\
         a = []; d = {{'a': a}}; a.append(d); del a, d -> gc.collect() returns {found_two}\n\
         Reference counting frees everything else the moment its count reaches 0.\n"
    ));

    section(&mut out, 9, "Where to go next");
    out.push_str(
        "pylayout pool                 pymalloc's state, laid out like sys._debugmallocstats()\n\
         pylayout pool --json          the same as JSON\n\
         pylayout grow list --to 100   watch a list over-allocate as it grows\n\
         pylayout grow dict --keys str a dict's table doubling, resize by resize\n\
         pylayout gc                   cycles that refcounting cannot free, found by the collector\n\
         pylayout --help               all commands\n",
    );
    emit(&out)?;
    Ok(())
}
