//! The counted costs of `pylayout cost` against formulas worked out by hand (not from the
//! code under test): pointers a list moves, nodes a linked list walks, the reallocation an
//! append triggers, the table a dict insert rebuilds, and the probes of CPython's lookup,
//! walked here over the dict's own index table.

use pylayout::cost;
use pylayout::inspect::cost::{At, Keys, Op, Peer, Row, Spec, Structure};
use pylayout::peers::counting::{self, CountingAlloc};
use pylayout::types::dict::{DKIX_EMPTY, PyDict};
use pylayout::types::int::PyInt;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

fn one_op(s: Structure, op: Op, at: Option<At>, n: usize, peers: &[Peer]) -> Vec<Row> {
    let mut spec = Spec::new(s, op, n);
    spec.at = at;
    spec.ops = 1;
    spec.reps = 1;
    spec.peers = peers.to_vec();
    spec.validate(at.is_some()).expect("valid spec");
    pylayout::inspect::cost::cost(&spec).rows
}

fn row(rows: &[Row], p: Peer) -> &Row {
    rows.iter().find(|r| r.peer == p).expect("row")
}

#[test]
fn the_counting_allocator_is_installed() {
    let v = vec![1u8; 10];
    assert!(counting::installed());
    assert!(counting::counts().allocs > 0);
    drop(v);
}

#[test]
fn a_front_insert_moves_every_pointer() {
    for n in [1usize, 10, 1000, 4097] {
        let rows = one_op(
            Structure::List,
            Op::Insert,
            Some(At::Front),
            n,
            &[Peer::Vec, Peer::Vecdeque, Peer::PoolList],
        );
        assert_eq!(
            row(&rows, Peer::Ours).counted.item_moves,
            n as u64,
            "n = {n}"
        );
        assert_eq!(row(&rows, Peer::Ours).counted.hops, 0);
        assert_eq!(row(&rows, Peer::Vec).counted.item_moves, n as u64);
        // A deque grows at the front: nothing moves. A linked list links one node in.
        assert_eq!(row(&rows, Peer::Vecdeque).counted.item_moves, 0);
        assert_eq!(row(&rows, Peer::PoolList).counted.hops, 0);
        assert_eq!(row(&rows, Peer::PoolList).counted.allocs, 1);
    }
}

#[test]
fn a_middle_delete_moves_the_half_after_it() {
    for n in [2usize, 11, 1000, 10_001] {
        let rows = one_op(
            Structure::List,
            Op::Delete,
            Some(At::Middle),
            n,
            &[Peer::Vec, Peer::BumpList, Peer::PoolList, Peer::Linkedlist],
        );
        let at = n / 2;
        let after = (n - at - 1) as u64;
        assert_eq!(row(&rows, Peer::Ours).counted.item_moves, after, "n = {n}");
        assert_eq!(row(&rows, Peer::Ours).counted.bytes_copied, after * 8);
        assert_eq!(row(&rows, Peer::Vec).counted.item_moves, after);
        // Walking from the nearer end to the node at `at`.
        let walk = at.min(n - 1 - at) as u64;
        assert_eq!(row(&rows, Peer::PoolList).counted.hops, walk, "n = {n}");
        assert_eq!(row(&rows, Peer::BumpList).counted.hops, walk);
        assert_eq!(row(&rows, Peer::PoolList).counted.frees, 1);
        // std's split_off walks to the node before `at`.
        let std_walk = if at == 0 {
            0
        } else {
            (at - 1).min(n - at) as u64
        };
        assert_eq!(row(&rows, Peer::Linkedlist).counted.hops, std_walk);
    }
}

#[test]
fn a_linked_list_middle_insert_walks_half_the_nodes() {
    let n = 10_000;
    let rows = one_op(
        Structure::List,
        Op::Insert,
        Some(At::Middle),
        n,
        &[Peer::PoolList, Peer::BumpList],
    );
    // Position n/2 of n nodes: n/2 from the front, n/2 - 1 from the back.
    assert_eq!(row(&rows, Peer::PoolList).counted.hops, (n / 2 - 1) as u64);
    assert_eq!(row(&rows, Peer::Ours).counted.item_moves, (n / 2) as u64);
}

#[test]
fn an_append_that_resizes_reports_the_realloc_and_the_move() {
    // Appends from [] allocate 4, 8, 16, 24, 32, 40, 52, ... slots
    // (new_allocated = (newsize + (newsize >> 3) + 6) & ~3): a list of 8 items built by
    // appends is full, and the ninth append grows the array 8 -> 16 slots, 64 -> 128 bytes,
    // a different pymalloc size class, so the block moves and its 64 bytes are copied.
    let rows = one_op(Structure::List, Op::Append, None, 8, &[Peer::Vec]);
    let c = row(&rows, Peer::Ours).counted;
    assert_eq!((c.reallocs, c.reallocs_moved, c.bytes_copied), (1, 1, 64));
    assert_eq!(c.allocs, 0);
    // A list of 9 has room (16 slots): no reallocation at all.
    let rows = one_op(Structure::List, Op::Append, None, 9, &[Peer::Vec]);
    let c = row(&rows, Peer::Ours).counted;
    assert_eq!((c.reallocs, c.bytes_copied), (0, 0));
    // Vec doubles: 8 -> 16 for the ninth push, 9 has room.
    let rows = one_op(Structure::List, Op::Append, None, 8, &[Peer::Vec]);
    assert_eq!(row(&rows, Peer::Vec).counted.reallocs, 1);
}

#[test]
fn a_dict_insert_that_resizes_rebuilds_the_table() {
    // An 8-slot table holds 5 entries (usable = 2/3 of 8, rounded down): the sixth insert
    // builds a new table and moves the 5 entries into it.
    let mut spec = Spec::new(Structure::Dict, Op::Insert, 5);
    spec.keys = Keys::Int;
    spec.ops = 1;
    spec.reps = 1;
    spec.peers = vec![Peer::Indexmap];
    let rows = pylayout::inspect::cost::cost(&spec).rows;
    let c = rows[0].counted;
    assert_eq!(c.item_moves, 5, "{c:?}");
    assert!(c.allocs >= 1, "{c:?}");
    // The fifth key fits: no rebuild.
    spec.n = 4;
    let c = pylayout::inspect::cost::cost(&spec).rows[0].counted;
    assert_eq!((c.item_moves, c.allocs), (0, 0), "{c:?}");
}

/// CPython's probe sequence (`_Py_dict_lookup`): `i = hash & mask`, then
/// `perturb >>= 5; i = (i * 5 + perturb + 1) & mask`, until the key or an empty slot.
fn model_probes(d: &PyDict, value: i64) -> u64 {
    let t = d.table();
    let mask = (1usize << t.dk_log2_size) - 1;
    let hash = value as u64 as usize; // hash(int) == int for 0 <= int < 2**61 - 1
    let (mut i, mut perturb, mut probes) = (hash & mask, hash, 0);
    loop {
        probes += 1;
        let ix = t.indices[i];
        if ix == DKIX_EMPTY {
            return probes;
        }
        if ix >= 0 {
            let (k, _) = d.entry_at(ix as usize).expect("live entry");
            if PyInt::from_obj(k).ok().and_then(|k| k.to_i64()) == Some(value) {
                return probes;
            }
        }
        perturb >>= 5;
        i = (i * 5 + perturb + 1) & mask;
    }
}

#[test]
fn probes_follow_cpythons_probe_sequence() {
    let d = PyDict::new();
    // Keys that collide on purpose: multiples of 64 share their low bits.
    let keys: Vec<i64> = (0..300).map(|i| i * 64 + (i % 3)).collect();
    for &k in &keys {
        d.set_item(PyInt::from_i64(k).into_obj(), PyInt::from_i64(0).into_obj())
            .unwrap();
    }
    for k in keys
        .iter()
        .copied()
        .chain((0..200).map(|i| 1_000_000 + i * 128))
    {
        let key = PyInt::from_i64(k).into_obj();
        let (_, c) = cost::measure(|| d.get(&key).unwrap());
        assert_eq!(c.probes, model_probes(&d, k), "key {k}");
    }
}

#[test]
fn tuples_and_strs_pay_for_immutability_in_copies() {
    let n = 1000;
    let rows = one_op(Structure::Tuple, Op::Concat, None, n, &[Peer::BoxSlice]);
    let c = rows[0].counted;
    // t + (x,): a new tuple of n + 1 pointers, one allocation; the old one stays.
    assert_eq!(c.bytes_copied, (n as u64 + 1) * 8);
    assert_eq!(c.allocs, 2, "the new tuple and the one-item tuple (x,)");
    let rows = one_op(Structure::Str, Op::Append, None, n, &[Peer::String]);
    let c = rows[0].counted;
    // s = s + 'b': a new string of n + 1 ASCII bytes; the old one is freed.
    assert_eq!(c.bytes_copied, n as u64 + 1);
    assert_eq!((c.allocs, c.frees), (1, 1));
    // String::push appends in place: nothing copied.
    assert_eq!(rows[1].counted.bytes_copied, 0);
}

#[test]
fn bytes_per_item_include_the_allocators_overhead() {
    // A linked list node (prev, next, value: 24 bytes) is a 32-byte pymalloc block.
    let rows = one_op(
        Structure::List,
        Op::Index,
        Some(At::Front),
        1000,
        &[Peer::PoolList],
    );
    assert_eq!(row(&rows, Peer::PoolList).bytes_per_item, 32.0);
    // Our list of 1000 appended items: 1,000 pointers in an array of 1,000 + over-allocation
    // slots (above 512 bytes: malloc'd), plus the 64-byte list object (GC head included).
    let ours = row(&rows, Peer::Ours).bytes_per_item;
    assert!((8.0..9.5).contains(&ours), "{ours}");
}
