//! The facts `pylayout tour` shows, one function per section, each computed from live
//! objects (and the allocator) in this thread's runtime. The CLI formats these structs into
//! text and serialises the same structs for `tour --json`, so every number the tour prints is
//! a field here, computed in one place.
//!
//! Each function is self-contained (it builds, measures and drops its own objects), so a
//! section can run alone (`tour --section dict`) and shows the same numbers as in the whole
//! tour. Free lists are emptied first where a section's numbers depend on them.

use num_bigint::BigInt;
use serde::Serialize;

use crate::alloc::{
    self, ARENA_SIZE, BlockInfo, MAX_POOLS_IN_ARENA, NB_SMALL_SIZE_CLASSES, POOL_OVERHEAD,
    POOL_SIZE, SMALL_REQUEST_THRESHOLD,
};
use crate::gc;
use crate::inspect::cost::{self as costs, At, Op, Peer, Structure};
use crate::inspect::layout::{Field, layout};
use crate::object::Obj;
use crate::runtime;
use crate::types::dict::{
    self as dict, DKIX_DUMMY, DKIX_EMPTY, GENERAL_ENTRY, PERTURB_SHIFT, ProbeStep, PyDict,
    UNICODE_ENTRY,
};
use crate::types::float::{self, PYFLOAT_MAXFREELIST, PyFloat};
use crate::types::int::{NSMALLNEGINTS, NSMALLPOSINTS, PyInt};
use crate::types::list::PyList;
use crate::types::ops;
use crate::types::str::{self as pystr, PyStr};
use crate::types::tuple::{self, PYTUPLE_MAXFREELIST, PYTUPLE_MAXSAVESIZE, PyTuple};

/// One request size and where pymalloc puts it.
#[derive(Clone, Debug, Serialize)]
pub struct PyramidRow {
    /// Bytes asked for.
    pub request: usize,
    /// Its size class (`szidx`).
    pub size_class: usize,
    /// The block size of that class.
    pub block_size: usize,
    /// Blocks of that class in one pool.
    pub blocks_per_pool: usize,
    /// Bytes of a pool no block can use.
    pub wasted_per_pool: usize,
}

/// The pymalloc pyramid: arenas, pools, size classes.
#[derive(Clone, Debug, Serialize)]
pub struct Pyramid {
    /// `SMALL_REQUEST_THRESHOLD`: larger requests go to the system allocator.
    pub small_request_threshold: usize,
    /// Size classes.
    pub size_classes: usize,
    /// `POOL_SIZE`.
    pub pool_size: usize,
    /// `ARENA_SIZE`.
    pub arena_size: usize,
    /// Pools per arena.
    pub pools_per_arena: usize,
    /// `POOL_OVERHEAD`: the pool header.
    pub pool_overhead: usize,
    /// A few requests and their classes.
    pub rows: Vec<PyramidRow>,
}

/// The requests the pyramid's table shows: an int's 24 and 28 bytes, a list's 56, a limit.
const PYRAMID_REQUESTS: [usize; 6] = [1, 24, 28, 56, 100, 512];

/// The pymalloc pyramid.
pub fn pyramid() -> Pyramid {
    let rows = PYRAMID_REQUESTS
        .iter()
        .map(|&req| {
            let c = alloc::size_class(req).expect("a small request has a size class");
            PyramidRow {
                request: req,
                size_class: c,
                block_size: alloc::index_to_size(c),
                blocks_per_pool: alloc::blocks_per_pool(c),
                wasted_per_pool: alloc::quantization_per_pool(c),
            }
        })
        .collect();
    Pyramid {
        small_request_threshold: SMALL_REQUEST_THRESHOLD,
        size_classes: NB_SMALL_SIZE_CLASSES,
        pool_size: POOL_SIZE,
        arena_size: ARENA_SIZE,
        pools_per_arena: MAX_POOLS_IN_ARENA,
        pool_overhead: POOL_OVERHEAD,
        rows,
    }
}

/// `x = 2**40`, field by field.
#[derive(Clone, Debug, Serialize)]
pub struct IntBytes {
    /// The expression.
    pub expr: &'static str,
    /// `ob_size`: digits used.
    pub ob_size: isize,
    /// The word at offset 16 as memory holds it, and its name: `ob_size` (the signed digit
    /// count) up to 3.11, `lv_tag` (`ndigits << 3 | sign`) from 3.12.
    pub size_word: (&'static str, isize),
    /// `sys.getsizeof(x)`.
    pub getsizeof: usize,
    /// Its fields.
    pub fields: Vec<Field>,
    /// Where it sits in pymalloc.
    pub block: Option<BlockInfo>,
}

/// An int byte by byte.
pub fn int_bytes() -> IntBytes {
    let x = PyInt::from_bigint(&(BigInt::from(1) << 40u32));
    let l = layout(x.as_obj());
    IntBytes {
        expr: "2**40",
        ob_size: x.ob_size(),
        size_word: x.size_field(),
        getsizeof: l.size,
        fields: l.fields,
        block: l.block,
    }
}

/// The small-int cache.
#[derive(Clone, Debug, Serialize)]
pub struct SmallInts {
    /// The smallest cached int.
    pub cache_min: i64,
    /// The largest cached int.
    pub cache_max: i64,
    /// `int('256') is int('256')`.
    pub cached_is: bool,
    /// Whether 256 is statically allocated (in no pool).
    pub cached_static: bool,
    /// `int('257') is int('257')`.
    pub uncached_is: bool,
    /// `sys.getsizeof(257)`.
    pub uncached_getsizeof: usize,
    /// `ob_refcnt` a static object starts with (999,999,999 in 3.11; immortal, 2³² − 1,
    /// from 3.12).
    pub static_refcnt: isize,
}

/// Small ints are shared.
pub fn small_ints() -> SmallInts {
    let a = PyInt::from_i64(NSMALLPOSINTS - 1);
    let b = PyInt::from_i64(NSMALLPOSINTS - 1);
    let c = PyInt::from_i64(NSMALLPOSINTS);
    let d = PyInt::from_i64(NSMALLPOSINTS);
    SmallInts {
        cache_min: -NSMALLNEGINTS,
        cache_max: NSMALLPOSINTS - 1,
        cached_is: a.as_obj().is(b.as_obj()),
        cached_static: layout(a.as_obj()).is_static,
        uncached_is: c.as_obj().is(d.as_obj()),
        uncached_getsizeof: c.as_obj().getsizeof(),
        static_refcnt: crate::object::static_refcnt(),
    }
}

/// Reference counts of `x = 2**40` as names come and go.
#[derive(Clone, Debug, Serialize)]
pub struct Refcounts {
    /// `ob_refcnt` after `y = x`.
    pub after_assign: isize,
    /// After `del y`.
    pub after_del: isize,
    /// pymalloc blocks in use before `del x`.
    pub blocks_before_free: usize,
    /// And after: the int's block is back at once.
    pub blocks_after_free: usize,
}

/// Reference counting.
pub fn refcounts() -> Refcounts {
    let x = PyInt::from_bigint(&(BigInt::from(1) << 40u32));
    let y = x.clone();
    let after_assign = x.as_obj().refcnt();
    drop(y);
    let after_del = x.as_obj().refcnt();
    let blocks_before_free = runtime::allocated_blocks();
    drop(x);
    Refcounts {
        after_assign,
        after_del,
        blocks_before_free,
        blocks_after_free: runtime::allocated_blocks(),
    }
}

/// A float and the float free list.
#[derive(Clone, Debug, Serialize)]
pub struct Floats {
    /// `f = 1.5`'s fields.
    pub fields: Vec<Field>,
    /// `sys.getsizeof(1.5)`.
    pub getsizeof: usize,
    /// `id(f)`.
    pub first_address: usize,
    /// `id(g)` for `g = 2.5` made after `del f`.
    pub second_address: usize,
    /// Whether g took f's block.
    pub same_block: bool,
    /// `PyFloat_MAXFREELIST`.
    pub free_list_max: usize,
    /// Floats on the free list at the end.
    pub free_list_len: usize,
}

/// Floats and their free list.
pub fn floats() -> Floats {
    runtime::clear_freelists();
    let f = PyFloat::new(1.5);
    let l = layout(f.as_obj());
    let first_address = f.as_obj().id();
    drop(f);
    let g = PyFloat::new(2.5);
    let second_address = g.as_obj().id();
    drop(g);
    Floats {
        fields: l.fields,
        getsizeof: l.size,
        first_address,
        second_address,
        same_block: first_address == second_address,
        free_list_max: PYFLOAT_MAXFREELIST,
        free_list_len: float::free_list_len(),
    }
}

/// A list growing by append.
#[derive(Clone, Debug, Serialize)]
pub struct ListGrowth {
    /// `sys.getsizeof([])`: header and GC head, no item array.
    pub empty_getsizeof: usize,
    /// `sys.getsizeof(l)` after each of ten appends.
    pub sizes: Vec<usize>,
    /// `allocated` (item slots) after each append.
    pub allocated: Vec<usize>,
}

/// Appends made by the list section.
const LIST_APPENDS: usize = 10;

/// A list over-allocates.
pub fn list_growth() -> ListGrowth {
    let l = PyList::new();
    let empty_getsizeof = l.as_obj().getsizeof();
    let zero = PyInt::from_i64(0).into_obj();
    let (mut sizes, mut allocated) = (Vec::new(), Vec::new());
    for _ in 0..LIST_APPENDS {
        l.append(zero.clone());
        sizes.push(l.as_obj().getsizeof());
        allocated.push(l.allocated());
    }
    ListGrowth {
        empty_getsizeof,
        sizes,
        allocated,
    }
}

/// One string and its width.
#[derive(Clone, Debug, Serialize)]
pub struct StrWidth {
    /// The text.
    pub text: String,
    /// Its `repr`.
    pub repr: String,
    /// `state.kind`: bytes per character.
    pub kind: usize,
    /// `sys.getsizeof`.
    pub getsizeof: usize,
}

/// Strings of four characters, the last one wider each time.
#[derive(Clone, Debug, Serialize)]
pub struct StrWidths {
    /// ASCII, Latin-1, BMP, astral.
    pub rows: Vec<StrWidth>,
}

/// A str picks one width for all its characters.
pub fn str_widths() -> StrWidths {
    let rows = ["abcd", "abc\u{e9}", "abc\u{4e2d}", "abc\u{1f600}"]
        .iter()
        .map(|t| {
            let p = PyStr::new(t);
            StrWidth {
                text: t.to_string(),
                repr: pystr::repr(t),
                kind: p.kind(),
                getsizeof: p.as_obj().getsizeof(),
            }
        })
        .collect();
    StrWidths { rows }
}

/// Tuples: items inline, the empty singleton, free lists, the price of immutability.
#[derive(Clone, Debug, Serialize)]
pub struct Tuples {
    /// `sys.getsizeof((a, b, c))`.
    pub getsizeof_3: usize,
    /// Bytes of the GC head in front of the tuple.
    pub gc_head: usize,
    /// Offsets of `ob_item[0..3]` inside the tuple object.
    pub item_offsets: Vec<isize>,
    /// Blocks the tuple owns besides itself (none: the items are inline).
    pub separate_blocks: usize,
    /// `sys.getsizeof([a, b, c])`: the list's object and its item array.
    pub list_getsizeof_3: usize,
    /// Bytes of the list's separate `ob_item` block.
    pub list_item_block: usize,
    /// `sys.getsizeof(())`.
    pub empty_getsizeof: usize,
    /// `() is tuple()`.
    pub empty_is_tuple_call: bool,
    /// `t[0:0] is ()`.
    pub empty_slice_is_empty: bool,
    /// Whether `()` is statically allocated (in no pool).
    pub empty_is_static: bool,
    /// `id(t)` of a 2-tuple, then `del t`.
    pub freed_address: usize,
    /// 2-tuples on the free list after `del t`.
    pub free_list_len_after_del: usize,
    /// `id(u)` of the next 2-tuple.
    pub next_address: usize,
    /// Whether u took t's address.
    pub address_reused: bool,
    /// `PyTuple_MAXSAVESIZE`: lengths with a free list (1..=20).
    pub free_list_lengths: usize,
    /// `PyTuple_MAXFREELIST`: tuples kept per length.
    pub free_list_max: usize,
    /// `len(t)` of the tuple grown by one.
    pub concat_len: usize,
    /// `sys.getsizeof(t)`.
    pub concat_before_getsizeof: usize,
    /// `sys.getsizeof(t + (x,))`.
    pub concat_after_getsizeof: usize,
    /// Whether `t + (x,)` is a new object.
    pub concat_new_object: bool,
    /// Item pointers copied into the new tuple.
    pub concat_pointers_copied: usize,
}

/// Length of the tuple the tour grows by one.
const CONCAT_LEN: usize = 1000;

/// Tuples.
pub fn tuples() -> Tuples {
    runtime::clear_freelists();
    let items: Vec<Obj> = (0..3)
        .map(|i| PyFloat::new(i as f64 + 0.5).into_obj())
        .collect();
    let t = PyTuple::new(items.clone());
    let tl = layout(t.as_obj());
    let item_offsets = tl
        .fields
        .iter()
        .filter(|f| f.name.starts_with("ob_item["))
        .map(|f| f.offset)
        .collect();
    let l = PyList::with_items(items.clone());
    let ll = layout(l.as_obj());
    let empty = PyTuple::empty();
    let pair = PyTuple::new(items[..2].to_vec());
    let freed_address = pair.as_obj().id();
    drop(pair);
    let free_list_len_after_del = tuple::free_list_len(2);
    let next = PyTuple::new(items[1..].to_vec());
    let next_address = next.as_obj().id();
    let big = PyTuple::new(
        (0..CONCAT_LEN)
            .map(|i| PyInt::from_i64(i as i64).into_obj())
            .collect(),
    );
    let grown = big.concat(&PyTuple::new(vec![items[0].clone()]));
    Tuples {
        getsizeof_3: tl.size,
        gc_head: tl.gc_head,
        item_offsets,
        separate_blocks: tl.blocks.len(),
        list_getsizeof_3: ll.size,
        list_item_block: ll.blocks.first().map_or(0, |b| b.size),
        empty_getsizeof: empty.as_obj().getsizeof(),
        empty_is_tuple_call: empty.as_obj().is(PyTuple::new(Vec::new()).as_obj()),
        empty_slice_is_empty: t.slice(0, 0).as_obj().is(empty.as_obj()),
        empty_is_static: empty.is_static(),
        freed_address,
        free_list_len_after_del,
        next_address,
        address_reused: freed_address == next_address,
        free_list_lengths: PYTUPLE_MAXSAVESIZE,
        free_list_max: PYTUPLE_MAXFREELIST,
        concat_len: big.len(),
        concat_before_getsizeof: big.as_obj().getsizeof(),
        concat_after_getsizeof: grown.as_obj().getsizeof(),
        concat_new_object: !grown.as_obj().is(big.as_obj()),
        concat_pointers_copied: grown.len(),
    }
}

/// One entry of a dict's entries array.
#[derive(Clone, Debug, Serialize)]
pub struct EntryView {
    /// Entry index.
    pub index: usize,
    /// `me_hash`.
    pub hash: i64,
    /// `repr(me_key)`, or `None` for a deleted entry.
    pub key: Option<String>,
}

/// A dict's table at one moment.
#[derive(Clone, Debug, Serialize)]
pub struct TableView {
    /// `len(d)`.
    pub used: usize,
    /// Slots in the index array.
    pub size: usize,
    /// Bytes per index.
    pub index_width: usize,
    /// Entries the table has room for (`USABLE_FRACTION(size)`).
    pub entry_capacity: usize,
    /// Bytes per entry: 16 (all keys str) or 24.
    pub entry_size: usize,
    /// `dk_usable`.
    pub usable: isize,
    /// `dk_nentries`.
    pub nentries: isize,
    /// `dk_indices`.
    pub indices: Vec<isize>,
    /// The entries in use (`0..dk_nentries`).
    pub entries: Vec<EntryView>,
    /// `sys.getsizeof(d)`.
    pub getsizeof: usize,
    /// Bytes of the keys object.
    pub keys_bytes: usize,
}

fn table_view(d: &PyDict) -> TableView {
    let t = d.table();
    let l = layout(d.as_obj());
    let entries = (0..d.nentries())
        .map(|ix| {
            let hash = l
                .blocks
                .first()
                .and_then(|b| {
                    b.fields
                        .iter()
                        .find(|f| f.name == format!("dk_entries[{ix}].me_hash"))
                })
                .and_then(|f| f.value.as_i64())
                .unwrap_or(0);
            EntryView {
                index: ix,
                hash,
                key: d.entry_at(ix).map(|(k, _)| ops::repr(&k)),
            }
        })
        .collect();
    TableView {
        used: t.ma_used,
        size: 1 << t.dk_log2_size,
        index_width: 1 << (t.dk_log2_index_bytes - t.dk_log2_size),
        entry_capacity: dict::usable_fraction(1 << t.dk_log2_size),
        entry_size: if t.dk_kind == dict::DICT_KEYS_UNICODE {
            UNICODE_ENTRY
        } else {
            GENERAL_ENTRY
        },
        usable: t.dk_usable,
        nentries: t.dk_nentries,
        indices: t.indices,
        entries,
        getsizeof: l.size,
        keys_bytes: l.blocks.first().map_or(0, |b| b.size),
    }
}

/// Dicts: indices and entries, probing, dummies, a resize, str-key tables, order.
#[derive(Clone, Debug, Serialize)]
pub struct Dicts {
    /// `sys.getsizeof({})`: the shared empty keys.
    pub empty_getsizeof: usize,
    /// The first keys inserted, in order.
    pub first_keys: Vec<i64>,
    /// The table after inserting them.
    pub table: TableView,
    /// The key whose lookup collides.
    pub probe_key: i64,
    /// Its lookup path.
    pub probe: Vec<ProbeStep>,
    /// `PERTURB_SHIFT`.
    pub perturb_shift: u32,
    /// The key deleted.
    pub deleted_key: i64,
    /// `DKIX_DUMMY`.
    pub dkix_dummy: isize,
    /// `DKIX_EMPTY`.
    pub dkix_empty: isize,
    /// The table after the delete.
    pub after_delete: TableView,
    /// The lookup path of `probe_key` after the delete (through the dummy).
    pub probe_after_delete: Vec<ProbeStep>,
    /// Keys inserted after the delete, until usable runs out.
    pub fill_keys: Vec<i64>,
    /// The table with `dk_usable` at 0.
    pub before_resize: TableView,
    /// The key whose insertion resizes.
    pub resize_key: i64,
    /// `GROWTH_RATE` at that insertion: `len(d) * 3`, the minimum size asked for.
    pub growth_rate: usize,
    /// The table after the resize: twice the slots, the dummy gone, entries compacted.
    pub after_resize: TableView,
    /// `list(d)` at the end: insertion order.
    pub order: Vec<i64>,
    /// Keys in the str-vs-int comparison.
    pub compare_keys: usize,
    /// `sys.getsizeof` of a dict of that many str keys (16-byte entries).
    pub str_keys_getsizeof: usize,
    /// `sys.getsizeof` of a dict of that many int keys (24-byte entries).
    pub int_keys_getsizeof: usize,
    /// `sizeof(PyDictUnicodeEntry)`.
    pub unicode_entry: usize,
    /// `sizeof(PyDictKeyEntry)`.
    pub general_entry: usize,
}

/// Int keys hash to themselves, so the slots are the same in every run and in CPython:
/// 64 collides with 0 in slot 0 of an 8-slot table, and `perturb` (64 >> 5 = 2) sends it on.
const DICT_FIRST_KEYS: [i64; 3] = [0, 64, 5];
const DICT_PROBE_KEY: i64 = 64;
const DICT_DELETED_KEY: i64 = 0;
const DICT_COMPARE_KEYS: [&str; 5] = ["a", "b", "c", "d", "e"];

/// Dicts.
pub fn dicts() -> Dicts {
    let int = |v: i64| PyInt::from_i64(v).into_obj();
    let none = crate::types::none::none;
    let d = PyDict::new();
    let empty_getsizeof = d.as_obj().getsizeof();
    for k in DICT_FIRST_KEYS {
        d.set_item(int(k), none()).expect("int keys hash");
    }
    let table = table_view(&d);
    let probe = d.probe_path(&int(DICT_PROBE_KEY)).expect("int keys hash");
    d.del_item(&int(DICT_DELETED_KEY))
        .expect("the key is there");
    let after_delete = table_view(&d);
    let probe_after_delete = d.probe_path(&int(DICT_PROBE_KEY)).expect("int keys hash");
    let mut fill_keys = Vec::new();
    let mut next = 1;
    while d.table().dk_usable > 0 {
        d.set_item(int(next), none()).expect("int keys hash");
        fill_keys.push(next);
        next += 1;
    }
    let before_resize = table_view(&d);
    let growth_rate = dict::growth_rate(before_resize.used);
    d.set_item(int(next), none()).expect("int keys hash");
    let after_resize = table_view(&d);
    let order = d
        .keys()
        .iter()
        .map(|k| ops::repr(k).parse().expect("int keys"))
        .collect();

    let s = PyDict::new();
    let i = PyDict::new();
    for (n, k) in DICT_COMPARE_KEYS.iter().enumerate() {
        s.set_item(PyStr::new(k).into_obj(), none())
            .expect("str keys hash");
        i.set_item(int(n as i64 + 1), none())
            .expect("int keys hash");
    }
    Dicts {
        empty_getsizeof,
        first_keys: DICT_FIRST_KEYS.to_vec(),
        table,
        probe_key: DICT_PROBE_KEY,
        probe,
        perturb_shift: PERTURB_SHIFT,
        deleted_key: DICT_DELETED_KEY,
        dkix_dummy: DKIX_DUMMY,
        dkix_empty: DKIX_EMPTY,
        after_delete,
        probe_after_delete,
        fill_keys,
        before_resize,
        resize_key: next,
        growth_rate,
        after_resize,
        order,
        compare_keys: DICT_COMPARE_KEYS.len(),
        str_keys_getsizeof: s.as_obj().getsizeof(),
        int_keys_getsizeof: i.as_obj().getsizeof(),
        unicode_entry: UNICODE_ENTRY,
        general_entry: GENERAL_ENTRY,
    }
}

/// What the collector finds.
#[derive(Clone, Debug, Serialize)]
pub struct Cycles {
    /// `gc.collect()` after `a = []; a.append(a); del a`.
    pub self_cycle_found: usize,
    /// `gc.collect()` after `a = []; d = {'a': a}; a.append(d); del a, d`.
    pub pair_found: usize,
}

/// Cycles need the collector.
pub fn cycles() -> Cycles {
    let was_enabled = gc::isenabled();
    gc::disable();
    gc::collect(2);
    {
        let a = PyList::new();
        a.append(a.as_obj().clone());
    }
    let self_cycle_found = gc::collect(2);
    {
        let a = PyList::new();
        let d = PyDict::new();
        d.set_item(PyStr::new("a").into_obj(), a.as_obj().clone())
            .expect("str keys hash");
        a.append(d.into_obj());
    }
    let pair_found = gc::collect(2);
    if was_enabled {
        gc::enable();
    }
    Cycles {
        self_cycle_found,
        pair_found,
    }
}

/// One structure's line in the cost comparison.
#[derive(Clone, Debug, Serialize)]
pub struct CostLine {
    /// Its name.
    pub name: String,
    /// Items moved per operation.
    pub moves_per_op: f64,
    /// Bytes copied per operation.
    pub bytes_per_op: f64,
    /// Nodes walked per operation.
    pub hops_per_op: f64,
    /// Allocations per operation.
    pub allocs_per_op: f64,
    /// Median time per operation (a measurement: it varies run to run).
    pub median_ns: f64,
}

/// `l.insert(0, x)` on a list of `n` beside `LinkedList::push_front`.
#[derive(Clone, Debug, Serialize)]
pub struct Costs {
    /// Items before the operations start.
    pub n: usize,
    /// Operations counted.
    pub ops: u64,
    /// Ours, then the linked list.
    pub rows: Vec<CostLine>,
}

/// Items in the cost comparison, and operations per pass: small enough to stay quick.
const COST_N: usize = 10_000;
const COST_OPS: usize = 100;

/// The cost of inserting at the front, from the cost machinery (`pylayout cost`).
pub fn front_insert_costs() -> Costs {
    let mut spec = costs::Spec::new(Structure::List, Op::Insert, COST_N);
    spec.at = Some(At::Front);
    spec.peers = vec![Peer::Linkedlist];
    spec.ops = COST_OPS;
    spec.reps = 3;
    spec.budget_secs = 0.02;
    spec.validate(true).expect("a valid spec");
    let report = costs::cost(&spec);
    let ops = report.rows.first().map_or(0, |r| r.ops);
    let rows = report
        .rows
        .iter()
        .map(|r| {
            let per = |v: u64| v as f64 / r.ops.max(1) as f64;
            CostLine {
                name: r.name.clone(),
                moves_per_op: per(r.counted.item_moves),
                bytes_per_op: per(r.counted.bytes_copied),
                hops_per_op: per(r.counted.hops),
                allocs_per_op: per(r.counted.allocs),
                median_ns: r.time.median_ns,
            }
        })
        .collect();
    Costs {
        n: COST_N,
        ops,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dict_story_holds_together() {
        let d = dicts();
        assert_eq!(d.table.indices, vec![0, -1, -1, 1, -1, 2, -1, -1]);
        assert_eq!(
            d.probe.iter().map(|p| p.slot).collect::<Vec<_>>(),
            vec![0, 3]
        );
        assert_eq!(d.after_delete.indices[0], DKIX_DUMMY);
        assert_eq!(d.before_resize.usable, 0);
        assert_eq!(d.after_resize.size, 2 * d.before_resize.size);
        assert_eq!(d.order, vec![64, 5, 1, 2, 3]);
    }

    #[test]
    fn tuple_free_list_reuses_the_address() {
        let t = tuples();
        assert!(t.address_reused);
        assert_eq!(t.separate_blocks, 0);
    }
}
