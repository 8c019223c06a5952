//! The tour's sections: each computes its facts in [`pylayout::inspect::tour`] and formats
//! them. Every number in a section's text is a field of the facts it serialises.

use pylayout::alloc::BlockInfo;
use pylayout::inspect::layout::{Field, Placement};
use pylayout::inspect::tour::{self as facts, TableView};
use pylayout::types::dict::{DKIX_DUMMY, DKIX_EMPTY, ProbeStep};

use super::Shown;
use crate::cli::output::{commas, table};

fn py_bool(b: bool) -> &'static str {
    if b { "True" } else { "False" }
}

/// The field table `pylayout layout` prints (one table for both).
fn fields_table(fields: &[Field]) -> String {
    crate::cli::layout::fields_table(fields, crate::cli::layout::View::default())
}

/// Where an object the tour made sits, as `layout` says it: a pool block or static data
/// (the tour's objects are small: none comes from the system allocator).
fn placement(block: Option<&BlockInfo>, is_static: bool) -> String {
    match block {
        Some(b) => Placement::Pool(*b).describe(),
        None if is_static => Placement::Static.describe(),
        None => "not in a pool".into(),
    }
}

pub(super) fn pyramid() -> Shown {
    let f = facts::pyramid();
    let mut out = format!(
        "Requests of 1..={} bytes never reach malloc. They are rounded up to one of {} size \
         classes\n(16, 32, ... {} bytes) and served from {} KiB pools carved from {} MiB arenas \
         ({} pools each).\nEach pool starts with a {}-byte header and holds blocks of one size:\n\n",
        f.small_request_threshold,
        f.size_classes,
        f.small_request_threshold,
        f.pool_size / 1024,
        f.arena_size >> 20,
        f.pools_per_arena,
        f.pool_overhead,
    );
    let mut t = table(
        &["request", "class", "block", "blocks/pool", "wasted/pool"],
        &[0, 1, 2, 3, 4],
    );
    for r in &f.rows {
        t.add_row(vec![
            format!("{} B", r.request),
            r.size_class.to_string(),
            format!("{} B", r.block_size),
            r.blocks_per_pool.to_string(),
            format!("{} B", r.wasted_per_pool),
        ]);
    }
    out.push_str(&t.to_string());
    out.push_str(&format!(
        "\nA request of {} bytes or more goes to the system allocator.\n",
        f.small_request_threshold + 1
    ));
    Shown::new(&f, out)
}

pub(super) fn int_bytes() -> Shown {
    let f = facts::int_bytes();
    let (word, raw) = f.size_word;
    let size = if word == "ob_size" {
        format!("ob_size = {} digits", f.ob_size)
    } else {
        format!(
            "{word} = {raw} ({} digits, shifted left by 3 above the sign bits)",
            f.ob_size
        )
    };
    let out = format!(
        "x = {} is stored in 30-bit digits: {size}, sys.getsizeof(x) = {}.\n\n{}\nIt lives in {}.\n",
        f.expr,
        f.getsizeof,
        fields_table(&f.fields),
        placement(f.block.as_ref(), false),
    );
    Shown::new(&f, out)
}

pub(super) fn small_ints() -> Shown {
    let f = facts::small_ints();
    let max = f.cache_max;
    let out = format!(
        "a = int('{max}'); b = int('{max}') -> a is b: {}   ({})\n\
         c = int('{next}'); d = int('{next}') -> c is d: {}  (each {next} is a new {}-byte object)\n\
         The cache covers {}..={max}; its objects start with ob_refcnt = {}{} in {}.\n\
         (Careful: `c = {next}; d = {next}` in one module gives c is d == True, because the compiler\n\
         stores the constant {next} once; the cache is about ints made at run time.)\n",
        py_bool(f.cached_is),
        placement(None, f.cached_static),
        py_bool(f.uncached_is),
        f.uncached_getsizeof,
        f.cache_min,
        f.static_refcnt,
        if f.static_refcnt == pylayout::object::IMMORTAL_REFCNT {
            " (immortal: Py_INCREF and Py_DECREF leave it there)"
        } else {
            ""
        },
        pylayout::runtime::version(),
        next = max + 1,
    );
    Shown::new(&f, out)
}

pub(super) fn refcounts() -> Shown {
    let f = facts::refcounts();
    let out = format!(
        "(x made at run time. In CPython a literal written in the code, like 2**40, is also held\n\
         by the code object's constants: one more reference than the names show.)\n\
         y = x          -> ob_refcnt {}\n\
         del y          -> ob_refcnt {}\n\
         del x          -> ob_refcnt 0: freed at once, blocks in use {} -> {}\n",
        f.after_assign, f.after_del, f.blocks_before_free, f.blocks_after_free
    );
    Shown::new(&f, out)
}

pub(super) fn floats() -> Shown {
    let f = facts::floats();
    let out = format!(
        "{}\nf = 1.5 at {:#x}; del f; g = 2.5 at {:#x} -> same block: {}\n\
         A dead float is kept on a free list (up to {}, now {}) and handed out again;\n\
         its pool block stays in use meanwhile.\n",
        fields_table(&f.fields),
        f.first_address,
        f.second_address,
        py_bool(f.same_block),
        f.free_list_max,
        f.free_list_len,
    );
    Shown::new(&f, out)
}

pub(super) fn list_growth() -> Shown {
    let f = facts::list_growth();
    let join = |v: &[usize]| {
        v.iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut steps: Vec<usize> = f.allocated.clone();
    steps.dedup();
    let out = format!(
        "l = []; l.append(0) ten times -> sys.getsizeof(l): {}\n\
         allocated (item slots) after each append:   {}\n\
         sys.getsizeof([]) = {}: the list object with its GC head, and no item array yet. The\n\
         array grows in steps ({} slots), so most appends cost no allocation.\n",
        join(&f.sizes),
        join(&f.allocated),
        f.empty_getsizeof,
        steps
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join(", "),
    );
    Shown::new(&f, out)
}

pub(super) fn str_widths() -> Shown {
    let f = facts::str_widths();
    let out = format!(
        "sys.getsizeof: {}\n\
         bytes per character (state.kind): {}\n\
         One character above U+00FF makes every character 2 bytes; above U+FFFF, 4 bytes.\n",
        f.rows
            .iter()
            .map(|r| format!("{} {}", r.repr, r.getsizeof))
            .collect::<Vec<_>>()
            .join(", "),
        f.rows
            .iter()
            .map(|r| format!("{} {}", r.repr, r.kind))
            .collect::<Vec<_>>()
            .join(", "),
    );
    Shown::new(&f, out)
}

pub(super) fn tuples() -> Shown {
    let f = facts::tuples();
    let offsets = f
        .item_offsets
        .iter()
        .map(|o| format!("+{o}"))
        .collect::<Vec<_>>()
        .join(", ");
    let header = f.item_offsets.first().copied().unwrap_or(0);
    let list_object = f.list_getsizeof_3 - f.list_item_block;
    let out = format!(
        "t = (a, b, c) holds its item pointers inside the object: ob_item[0..{n}] at offsets {offsets},\n\
         right after the {header}-byte header; {blocks} separate blocks. sys.getsizeof(t) = {size}\n\
         ({header} header + {n} x 8 + {gc} GC head). The list [a, b, c] needs two blocks: a {list_object}-byte\n\
         list object (GC head included) and a {item_block}-byte item array it points to: sys.getsizeof {list}.\n\
         \n\
         () is a singleton: () is tuple() -> {call}, t[0:0] is () -> {slice}; sys.getsizeof(()) = {empty},\n\
         {empty_place}.\n\
         \n\
         A dead tuple of length 1..={lengths} goes on the free list of its length (up to {max} each),\n\
         and the next tuple of that length takes it:\n\
         t = (a, b) at {freed:#x}; del t -> {numfree} 2-tuple on the free list\n\
         u = (b, c) at {next:#x} -> same address: {reused}\n\
         \n\
         Immutable means every change is a copy: for t = tuple(range({len})), t + (x,) is a new\n\
         tuple (t + (x,) is t -> {same}) of {copied} items: {copied} pointers copied,\n\
         sys.getsizeof {before} -> {after}.\n",
        n = f.item_offsets.len(),
        blocks = if f.separate_blocks == 0 {
            "no".to_string()
        } else {
            f.separate_blocks.to_string()
        },
        size = f.getsizeof_3,
        gc = f.gc_head,
        item_block = f.list_item_block,
        list = f.list_getsizeof_3,
        call = py_bool(f.empty_is_tuple_call),
        slice = py_bool(f.empty_slice_is_empty),
        empty = f.empty_getsizeof,
        empty_place = placement(None, f.empty_is_static),
        lengths = f.free_list_lengths,
        max = f.free_list_max,
        freed = f.freed_address,
        numfree = f.free_list_len_after_del,
        next = f.next_address,
        reused = py_bool(f.address_reused),
        len = f.concat_len,
        same = py_bool(!f.concat_new_object),
        copied = f.concat_pointers_copied,
        before = commas(f.concat_before_getsizeof),
        after = commas(f.concat_after_getsizeof),
    );
    Shown::new(&f, out)
}

fn list_isizes(v: &[isize]) -> String {
    format!(
        "[{}]",
        v.iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    )
}

fn entries_line(t: &TableView) -> String {
    t.entries
        .iter()
        .map(|e| match &e.key {
            Some(k) => format!("#{} {{hash {}, key {k}}}", e.index, e.hash),
            None => format!("#{} (deleted)", e.index),
        })
        .collect::<Vec<_>>()
        .join("  ")
}

fn indices_line(t: &TableView) -> String {
    format!(
        "  dk_indices ({} slots x {} byte{}): {}\n",
        t.size,
        t.index_width,
        if t.index_width == 1 { "" } else { "s" },
        list_isizes(&t.indices)
    )
}

/// One line per slot a lookup visits.
fn probe_lines(path: &[ProbeStep], t: &TableView, shift: u32) -> String {
    let mask = t.size - 1;
    let mut out = String::new();
    let mut prev = 0;
    for (k, step) in path.iter().enumerate() {
        let how = if k == 0 {
            format!("slot = hash & {mask} = {}", step.slot)
        } else {
            format!(
                "perturb >>= {shift} -> {}; slot = ({prev}*5 + {} + 1) & {mask} = {}",
                step.perturb, step.perturb, step.slot
            )
        };
        let what = match step.index {
            DKIX_EMPTY => "DKIX_EMPTY: not there".to_string(),
            DKIX_DUMMY => "DKIX_DUMMY: a deleted key, keep going".to_string(),
            ix if k + 1 == path.len() => format!("entry {ix}: found"),
            ix => {
                let key = t
                    .entries
                    .iter()
                    .find(|e| e.index as isize == ix)
                    .and_then(|e| e.key.clone())
                    .unwrap_or_default();
                format!("entry {ix} (key {key}): not it")
            }
        };
        out.push_str(&format!("    {how:<52} -> {what}\n"));
        prev = step.slot;
    }
    out
}

pub(super) fn dicts() -> Shown {
    let f = facts::dicts();
    let keys = |v: &[i64]| {
        v.iter()
            .map(|k| format!("d[{k}]"))
            .collect::<Vec<_>>()
            .join(" = ")
    };
    let t = &f.table;
    let mut out = format!(
        "d = {{}} -> sys.getsizeof {}: no table of its own (every empty dict shares one static keys object).\n\
         {} = None -> sys.getsizeof {}. The keys object ({} bytes, one block) holds two arrays:\n",
        f.empty_getsizeof,
        keys(&f.first_keys),
        t.getsizeof,
        t.keys_bytes,
    );
    out.push_str(&indices_line(t));
    out.push_str(&format!(
        "  entries ({} x {} bytes, {} used): {}\n\
         A key goes to slot hash & {}; the slot holds the index of its entry, and the entries stay\n\
         dense, in insertion order. {} means an empty slot.\n\n",
        t.entry_capacity,
        t.entry_size,
        t.nentries,
        entries_line(t),
        t.size - 1,
        f.dkix_empty,
    ));
    out.push_str(&format!(
        "Looking up {} (hash {}) collides with 0, and the perturbation moves it on:\n",
        f.probe_key,
        f.probe.first().map_or(0, |s| s.perturb)
    ));
    out.push_str(&probe_lines(&f.probe, t, f.perturb_shift));
    let a = &f.after_delete;
    out.push_str(&format!(
        "\ndel d[{}] -> its slot becomes DKIX_DUMMY ({}) and its entry is emptied but kept:\n\
         len(d) {}, dk_nentries {}, dk_usable {} (a delete gives no room back).\n",
        f.deleted_key, f.dkix_dummy, a.used, a.nentries, a.usable
    ));
    out.push_str(&indices_line(a));
    out.push_str(&format!(
        "A dummy is not an empty slot: looking up {} still walks through it.\n",
        f.probe_key
    ));
    out.push_str(&probe_lines(&f.probe_after_delete, a, f.perturb_shift));
    let b = &f.before_resize;
    let r = &f.after_resize;
    out.push_str(&format!(
        "\n{} = None -> dk_usable {} ({} entries used, {} live), sys.getsizeof still {}.\n\
         d[{}] = None -> no usable entry left: resize for GROWTH_RATE = len(d)*3 = {} -> {} slots,\n\
         sys.getsizeof {} -> {}. The deleted entry is dropped and the live ones copied in order:\n\
         dk_nentries {}, dk_usable {}.\n",
        keys(&f.fill_keys),
        b.usable,
        b.nentries,
        b.used,
        b.getsizeof,
        f.resize_key,
        f.growth_rate,
        r.size,
        b.getsizeof,
        r.getsizeof,
        r.nentries,
        r.usable,
    ));
    out.push_str(&indices_line(r));
    out.push_str(&format!(
        "list(d) -> [{}]: insertion order, kept because entries are only appended and compacted in order.\n\n",
        f.order
            .iter()
            .map(|k| k.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    out.push_str(&format!(
        "When every key is an exact str the table stores {{key, value}}: {} bytes an entry (the str\n\
         caches its own hash). Any other key makes it general, {{hash, key, value}}: {} bytes.\n\
         {} str keys -> sys.getsizeof {};  {} int keys -> sys.getsizeof {}.\n",
        f.unicode_entry,
        f.general_entry,
        f.compare_keys,
        f.str_keys_getsizeof,
        f.compare_keys,
        f.int_keys_getsizeof,
    ));
    Shown::new(&f, out)
}

pub(super) fn cycles() -> Shown {
    let f = facts::cycles();
    let out = format!(
        "a = []; a.append(a); del a      -> refcount stays 1; gc.collect() returns {}\n\
         a = []; d = {{'a': a}}; a.append(d); del a, d -> gc.collect() returns {}\n\
         Reference counting frees everything else the moment its count reaches 0.\n",
        f.self_cycle_found, f.pair_found
    );
    Shown::new(&f, out)
}

fn per(v: f64) -> String {
    if v >= 1000.0 {
        commas(v.round() as usize)
    } else if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

fn ns(v: f64) -> String {
    if v >= 1e3 {
        format!("{:.2} µs", v / 1e3)
    } else {
        format!("{v:.1} ns")
    }
}

pub(super) fn costs() -> Shown {
    let f = facts::front_insert_costs();
    let mut out = format!(
        "l.insert(0, x) {} times on a list of {} items, beside LinkedList::push_front\n\
         (per insert; the counts are exact, the times vary run to run):\n\n",
        f.ops,
        commas(f.n)
    );
    let mut t = table(
        &[
            "structure",
            "pointers moved",
            "bytes copied",
            "allocations",
            "time",
        ],
        &[1, 2, 3, 4],
    );
    for r in &f.rows {
        t.add_row(vec![
            r.name.clone(),
            per(r.moves_per_op),
            per(r.bytes_per_op),
            per(r.allocs_per_op),
            ns(r.median_ns),
        ]);
    }
    out.push_str(&t.to_string());
    out.push_str(
        "\nA list shifts every pointer after the insertion point (one memmove, no allocation);\n\
         a linked list moves nothing but allocates a node per insert, and every read walks node\n\
         to node. Which wins depends on the operation mix: measure both.\n",
    );
    Shown::new(&f, out)
}
