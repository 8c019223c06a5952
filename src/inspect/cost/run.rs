//! The passes: one counted pass per structure, then timed passes interleaved across them.

use std::collections::{BTreeMap, HashMap, LinkedList as StdList, VecDeque};
use std::rc::Rc;
use std::time::{Duration, Instant};

use indexmap::IndexMap;
use serde::Serialize;

use super::ours::Text;
use super::{At, EXTEND_BATCH, Keys, Op, Peer, Spec, Structure};
use crate::cost;
use crate::peers::counting;
use crate::peers::linked::{BumpNodes, LinkedList, PoolNodes};
use crate::peers::maps::{CKey, Map, OrdKey, PassThrough};
use crate::peers::seqs::{Seq, SeqMut};
use crate::peers::{Allocator, NoTally, Tallies, Tally};
use crate::types::dict::PyDict;
use crate::types::list::PyList;
use crate::types::str::PyStr;
use crate::types::tuple::PyTuple;

/// Exact totals of one counted pass.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counted {
    /// Items moved inside the structure (memmove of pointers, shifted elements).
    pub item_moves: u64,
    /// Bytes copied: by those moves, by reallocations that moved a block, into new objects.
    pub bytes_copied: u64,
    /// Pointers followed from node to node.
    pub hops: u64,
    /// Items or keys compared.
    pub compares: u64,
    /// Hash-table slots inspected (ours: CPython's probe sequence).
    pub probes: u64,
    /// Hashes computed (a str's cached hash is not computed again).
    pub hash_calls: u64,
    /// Allocations (pymalloc's for ours and the pool list, the system allocator's otherwise).
    pub allocs: u64,
    /// Frees.
    pub frees: u64,
    /// Reallocations.
    pub reallocs: u64,
    /// Reallocations that moved the block.
    pub reallocs_moved: u64,
}

impl Counted {
    /// Items moved + nodes walked + compares + probes: the structure's own steps, the
    /// "counted work" the sweep charts draw.
    pub fn work(&self) -> u64 {
        self.item_moves + self.hops + self.compares + self.probes
    }
}

/// Time per operation over the timed passes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Timing {
    /// Median nanoseconds per operation.
    pub median_ns: f64,
    /// The fastest pass.
    pub min_ns: f64,
    /// The slowest pass.
    pub max_ns: f64,
    /// Timed passes.
    pub passes: usize,
    /// Operations per timed pass.
    pub ops_per_pass: usize,
}

/// One structure's result.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// Its name.
    pub name: String,
    /// `ours` or the peer's `--vs` name.
    pub peer: Peer,
    /// Whose counters saw its allocations.
    pub allocator: Allocator,
    /// Operations in the counted pass (fewer than asked when the pass hit its time budget).
    pub ops: u64,
    /// Exact totals of the counted pass.
    pub counted: Counted,
    /// Length after the counted pass.
    pub len_after: usize,
    /// Bytes the structure held after the counted pass, allocator overhead included (the
    /// items' own objects not counted), per item.
    pub bytes_per_item: f64,
    /// Time per operation.
    pub time: Timing,
}

/// Everything a pass needs, the same for every structure.
#[derive(Debug)]
pub(crate) struct Plan {
    pub op: Op,
    pub n: usize,
    /// Operations a pass runs at most.
    pub ops: usize,
    /// Positions for each operation (positional ops), or key indices (dict ops).
    pub positions: Vec<usize>,
    /// Slice bounds per operation.
    pub ranges: Vec<(usize, usize)>,
    pub keys: Keys,
    pub budget: Duration,
    pub count_budget: Duration,
}

/// A small xorshift generator: the same positions for every structure and every run.
#[derive(Clone, Debug)]
pub(crate) struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// The value of item `i`: distinct, and above the small-int cache (CPython's `-5..=256`),
/// so ours holds real int objects as a list of computed numbers would.
pub(crate) fn value(i: usize) -> u64 {
    1000 + 2 * i as u64
}

fn position(at: At, len: usize, insert: bool, rng: &mut Rng) -> usize {
    let last = if insert { len } else { len.saturating_sub(1) };
    match at {
        At::Front => 0,
        At::Middle => len / 2,
        At::Back => last,
        At::Random => rng.below(last + 1),
    }
}

pub(crate) fn plan(spec: &Spec) -> Plan {
    let mut rng = Rng::new(spec.seed);
    let n = spec.n;
    let mut ops = spec.ops;
    if matches!(spec.op, Op::Delete | Op::Pop)
        || (spec.structure == Structure::Dict && spec.op == Op::Delete)
    {
        ops = ops.min(n);
    }
    let at = spec.at.unwrap_or(At::Middle);
    let mut positions = Vec::with_capacity(ops);
    let mut ranges = Vec::new();
    match (spec.structure, spec.op) {
        (Structure::Dict, Op::Delete) => {
            // Distinct existing keys in a random order.
            let mut idx: Vec<usize> = (0..n).collect();
            for i in 0..ops {
                let j = i + rng.below(n - i);
                idx.swap(i, j);
            }
            positions = idx[..ops].to_vec();
        }
        (Structure::Dict, Op::Lookup | Op::Update) => {
            positions = (0..ops).map(|_| rng.below(n)).collect();
        }
        (Structure::Dict, _) => positions = (0..ops).map(|i| n + i).collect(),
        (_, Op::Insert) => {
            for i in 0..ops {
                positions.push(position(at, n + i, true, &mut rng));
            }
        }
        (_, Op::Delete | Op::Pop) => {
            for i in 0..ops {
                positions.push(position(at, n - i, false, &mut rng));
            }
        }
        (_, Op::Index | Op::Search) => {
            for _ in 0..ops {
                positions.push(position(at, n, false, &mut rng));
            }
        }
        (_, Op::Slice) => {
            let half = n / 2;
            for _ in 0..ops {
                let a = match at {
                    At::Front => 0,
                    At::Middle => n / 4,
                    At::Back => n - half,
                    At::Random => rng.below(n - half + 1),
                };
                ranges.push((a, a + half));
            }
        }
        _ => {}
    }
    Plan {
        op: spec.op,
        n,
        ops,
        positions,
        ranges,
        keys: spec.keys,
        budget: Duration::from_secs_f64(spec.budget_secs),
        count_budget: Duration::from_secs_f64((spec.budget_secs * 10.0).max(0.2)),
    }
}

/// Counters of both allocators, the containers' own counters and the ordered keys'.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Snap {
    py: cost::Costs,
    sys: counting::SystemCounts,
}

pub(crate) fn snap() -> Snap {
    Snap {
        py: cost::snapshot(),
        sys: counting::counts(),
    }
}

pub(crate) fn counted(a: Allocator, before: Snap, after: Snap, t: Tallies) -> Counted {
    let py = after.py - before.py;
    let (allocs, frees, reallocs, moved) = match a {
        Allocator::Pymalloc => (py.allocs, py.frees, py.reallocs, py.reallocs_moved),
        Allocator::System | Allocator::Bump => (
            after.sys.allocs - before.sys.allocs,
            after.sys.frees - before.sys.frees,
            after.sys.reallocs - before.sys.reallocs,
            after.sys.reallocs_moved - before.sys.reallocs_moved,
        ),
    };
    Counted {
        item_moves: py.item_moves + t.item_moves,
        bytes_copied: py.bytes_copied + t.bytes_copied,
        hops: t.hops,
        compares: t.compares,
        probes: py.probes,
        hash_calls: py.hash_calls,
        allocs,
        frees,
        reallocs,
        reallocs_moved: moved,
    }
}

/// What one pass of one structure produced.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct PassOut {
    pub ops: usize,
    pub elapsed: Duration,
    pub counted: Counted,
    pub len_after: usize,
    pub held: f64,
}

/// A pass: counted (`limit` = None: as many operations as the count budget allows) or
/// timed (`limit` = Some(k): exactly k operations).
pub(crate) type Pass = dyn Fn(&Plan, Option<usize>) -> PassOut;

/// Run `k` operations (or until `budget`), counting with `t`; the state is built first.
fn drive<T: Tally>(
    plan: &Plan,
    limit: Option<usize>,
    mut t: T,
    mut op: impl FnMut(usize, &mut T),
) -> (usize, Duration, T) {
    let total = plan.ops;
    match limit {
        Some(k) => {
            let k = k.min(total);
            let start = Instant::now();
            for i in 0..k {
                op(i, &mut t);
            }
            (k, start.elapsed(), t)
        }
        None => {
            let start = Instant::now();
            let mut done = 0;
            while done < total {
                op(done, &mut t);
                done += 1;
                if start.elapsed() > plan.count_budget {
                    break;
                }
            }
            (done, start.elapsed(), t)
        }
    }
}

/// The bytes a structure holds: its own figure, or what the counting allocator saw it take.
fn held(own: Option<usize>, sys_before: &counting::SystemCounts) -> f64 {
    match own {
        Some(b) => b as f64,
        None => (counting::counts().held_bytes - sys_before.held_bytes).max(0) as f64,
    }
}

/// Turn on byte tracking for a counted pass (before its inputs are made, so that they and the
/// structure are weighed apart).
fn start(limit: Option<usize>) {
    counting::track_bytes(limit.is_none());
}

/// The body of a pass: `|$i, $t| $op` runs once per operation — with [`Tallies`] in the
/// counted pass (`$limit` is `None`), with [`NoTally`] in a timed one — then `$end` gives the
/// length and the structure's own byte count.
macro_rules! pass {
    ($plan:expr, $limit:expr, $alloc:expr, $sys0:expr, |$i:ident, $t:ident| $op:expr, $end:expr) => {{
        let out = if $limit.is_none() {
            let before = snap();
            let (ops, elapsed, tally) = drive($plan, $limit, Tallies::default(), |$i, $t| $op);
            let after = snap();
            let (len_after, own) = $end;
            PassOut {
                ops,
                elapsed,
                counted: counted($alloc, before, after, tally),
                len_after,
                held: held(own, &$sys0),
            }
        } else {
            let (ops, elapsed, _) = drive($plan, $limit, NoTally, |$i, $t| $op);
            PassOut {
                ops,
                elapsed,
                ..PassOut::default()
            }
        };
        counting::track_bytes(false);
        out
    }};
}

fn seq_pass<S: SeqMut>(plan: &Plan, limit: Option<usize>) -> PassOut {
    start(limit);
    let items: Vec<S::Item> = (0..plan.n).map(|i| S::item(value(i))).collect();
    let extra: Vec<S::Item> = (0..plan.ops.max(EXTEND_BATCH))
        .map(|i| S::item(value(plan.n + i)))
        .collect();
    let sys0 = counting::counts();
    let mut s = S::build(&items);
    pass!(
        plan,
        limit,
        S::ALLOCATOR,
        sys0,
        |i, t| match plan.op {
            Op::Append => s.push(extra[i].clone(), t),
            Op::Insert => s.insert(plan.positions[i], extra[i].clone(), t),
            Op::Delete | Op::Pop => {
                std::hint::black_box(s.remove(plan.positions[i], t));
            }
            Op::Extend => s.extend(&extra[..EXTEND_BATCH], t),
            Op::Concat => {
                std::hint::black_box(s.concat_one(extra[i].clone(), t));
            }
            _ => read_op(&s, plan, &items, i, t),
        },
        (s.len(), s.held_bytes())
    )
}

/// The operations every sequence has: index, search, iterate, slice.
fn read_op<S: Seq>(s: &S, plan: &Plan, items: &[S::Item], i: usize, t: &mut impl Tally) {
    match plan.op {
        Op::Index => {
            std::hint::black_box(s.get(plan.positions[i], t));
        }
        Op::Search => {
            std::hint::black_box(s.position(&items[plan.positions[i]], t));
        }
        Op::Iterate => {
            std::hint::black_box(s.visit(t));
        }
        Op::Slice => {
            let (a, b) = plan.ranges[i];
            std::hint::black_box(s.slice(a, b, t));
        }
        _ => unreachable!("validated: {:?} is not a sequence read", plan.op),
    }
}

fn tuple_pass<S: Seq>(plan: &Plan, limit: Option<usize>) -> PassOut {
    start(limit);
    let items: Vec<S::Item> = (0..plan.n).map(|i| S::item(value(i))).collect();
    let extra = S::item(value(plan.n));
    let sys0 = counting::counts();
    let s = S::build(&items);
    pass!(
        plan,
        limit,
        S::ALLOCATOR,
        sys0,
        |i, t| match plan.op {
            Op::Concat => {
                std::hint::black_box(s.concat_one(extra.clone(), t));
            }
            _ => read_op(&s, plan, &items, i, t),
        },
        (s.len(), s.held_bytes())
    )
}

fn str_key(i: usize) -> Rc<str> {
    format!("key{i}").into()
}

/// CPython's hash of dict key `i`: the int itself, or the str's SipHash under this
/// runtime's seed.
fn key_hash(keys: Keys, i: usize) -> u64 {
    match keys {
        Keys::Int => crate::hash::hash_i64(value(i) as i64) as u64,
        Keys::Str => PyStr::new(&str_key(i)).hash() as u64,
    }
}

fn map_pass_k<K, M: Map<K>>(
    plan: &Plan,
    limit: Option<usize>,
    key: impl Fn(usize) -> K,
) -> PassOut {
    start(limit);
    let present: Vec<M::Key> = (0..plan.n)
        .map(|i| M::key(key_hash(plan.keys, i), key(i)))
        .collect();
    // Keys that are not there: only inserts and misses use them.
    let fresh_keys = if matches!(plan.op, Op::Insert | Op::LookupMiss) {
        plan.ops
    } else {
        0
    };
    let fresh: Vec<M::Key> = (0..fresh_keys)
        .map(|i| M::key(key_hash(plan.keys, plan.n + i), key(plan.n + i)))
        .collect();
    let sys0 = counting::counts();
    let mut m = M::empty();
    for k in &present {
        m.insert(k.clone(), 1, &mut NoTally);
    }
    pass!(
        plan,
        limit,
        M::ALLOCATOR,
        sys0,
        |i, t| match plan.op {
            Op::Insert => {
                m.insert(fresh[i].clone(), 1, t);
            }
            Op::Update => {
                m.insert(present[plan.positions[i]].clone(), 2, t);
            }
            Op::Delete => {
                m.remove(&present[plan.positions[i]], t);
            }
            Op::Lookup => {
                std::hint::black_box(m.lookup(&present[plan.positions[i]], t));
            }
            Op::LookupMiss => {
                std::hint::black_box(m.lookup(&fresh[i], t));
            }
            Op::Iterate => {
                std::hint::black_box(m.visit(t));
            }
            _ => unreachable!("validated: not a dict operation"),
        },
        (m.len(), m.held_bytes())
    )
}

fn map_pass<MI: Map<u64>, MS: Map<Rc<str>>>(plan: &Plan, limit: Option<usize>) -> PassOut {
    match plan.keys {
        Keys::Int => map_pass_k::<u64, MI>(plan, limit, value),
        Keys::Str => map_pass_k::<Rc<str>, MS>(plan, limit, str_key),
    }
}

fn text_pass<S: Text>(plan: &Plan, limit: Option<usize>) -> PassOut {
    start(limit);
    // 'a' * n, with a '#' at the searched position.
    let target = plan.positions.first().copied().unwrap_or(0);
    let text: String = (0..plan.n)
        .map(|i| {
            if plan.op == Op::Search && i == target {
                '#'
            } else {
                'a'
            }
        })
        .collect();
    let c = S::char('b');
    let parts: Vec<S::Char> = if plan.op == Op::Join {
        (0..plan.n).map(|_| S::char('b')).collect()
    } else {
        Vec::new()
    };
    let sys0 = counting::counts();
    let mut s = S::build(&text);
    pass!(
        plan,
        limit,
        S::ALLOCATOR,
        sys0,
        |i, t| match plan.op {
            Op::Append => s.append(&c, t),
            Op::Join => {
                std::hint::black_box(S::join(&parts, t));
            }
            Op::Index => {
                std::hint::black_box(s.index(plan.positions[i], t));
            }
            Op::Search => {
                std::hint::black_box(s.find('#', t));
            }
            Op::Iterate => {
                std::hint::black_box(s.visit(t));
            }
            Op::Slice => {
                let (a, b) = plan.ranges[i];
                std::hint::black_box(s.slice(a, b, t));
            }
            _ => unreachable!("validated: not a str operation"),
        },
        (s.char_count(), s.held_bytes())
    )
}

/// The pass function of a structure and peer.
fn pass_of(s: Structure, p: Peer) -> (&'static str, Allocator, Box<Pass>) {
    fn b<F: Fn(&Plan, Option<usize>) -> PassOut + 'static>(f: F) -> Box<Pass> {
        Box::new(f)
    }
    macro_rules! seq {
        ($t:ty) => {
            (<$t as Seq>::NAME, <$t as Seq>::ALLOCATOR, b(seq_pass::<$t>))
        };
    }
    macro_rules! tup {
        ($t:ty) => {
            (
                <$t as Seq>::NAME,
                <$t as Seq>::ALLOCATOR,
                b(tuple_pass::<$t>),
            )
        };
    }
    macro_rules! map {
        ($int:ty, $str:ty) => {
            (
                <$int as Map<u64>>::NAME,
                <$int as Map<u64>>::ALLOCATOR,
                b(map_pass::<$int, $str>),
            )
        };
    }
    match (s, p) {
        (Structure::List, Peer::Ours) => seq!(PyList),
        (Structure::List, Peer::Vec) => seq!(Vec<usize>),
        (Structure::List, Peer::Vecdeque) => seq!(VecDeque<usize>),
        (Structure::List, Peer::Linkedlist) => seq!(StdList<usize>),
        (Structure::List, Peer::BumpList) => seq!(LinkedList<BumpNodes>),
        (Structure::List, _) => seq!(LinkedList<PoolNodes>),
        (Structure::Tuple, Peer::Ours) => tup!(PyTuple),
        (Structure::Tuple, Peer::Vec) => tup!(Vec<usize>),
        (Structure::Tuple, _) => tup!(Box<[usize]>),
        (Structure::Dict, Peer::Ours) => map!(PyDict, PyDict),
        (Structure::Dict, Peer::Indexmap) => map!(
            IndexMap<CKey<u64>, usize, PassThrough>,
            IndexMap<CKey<Rc<str>>, usize, PassThrough>
        ),
        (Structure::Dict, Peer::Hashbrown) => map!(
            hashbrown::HashMap<CKey<u64>, usize, PassThrough>,
            hashbrown::HashMap<CKey<Rc<str>>, usize, PassThrough>
        ),
        (Structure::Dict, Peer::Hashmap) => map!(
            HashMap<CKey<u64>, usize, PassThrough>,
            HashMap<CKey<Rc<str>>, usize, PassThrough>
        ),
        (Structure::Dict, _) => map!(
            BTreeMap<OrdKey<u64>, usize>,
            BTreeMap<OrdKey<Rc<str>>, usize>
        ),
        (Structure::Str, Peer::Ours) => (
            <PyStr as Text>::NAME,
            <PyStr as Text>::ALLOCATOR,
            b(text_pass::<PyStr>),
        ),
        (Structure::Str, _) => (
            <String as Text>::NAME,
            <String as Text>::ALLOCATOR,
            b(text_pass::<String>),
        ),
    }
}

/// Run the spec: ours then each peer, counted once, timed `reps` times interleaved.
pub(crate) fn run(spec: &Spec) -> Vec<Row> {
    let plan = plan(spec);
    let mut all = vec![Peer::Ours];
    all.extend(spec.peers.iter().copied().filter(|p| *p != Peer::Ours));
    let passes: Vec<(Peer, &'static str, Allocator, Box<Pass>)> = all
        .iter()
        .map(|&p| {
            let (name, a, f) = pass_of(spec.structure, p);
            (p, name, a, f)
        })
        .collect();
    // Counted passes; they also size the timed passes to the budget.
    let mut rows: Vec<Row> = Vec::new();
    let mut per_pass = Vec::new();
    for (peer, name, a, f) in &passes {
        let out = f(&plan, None);
        let per_op = out.elapsed.as_secs_f64() / out.ops.max(1) as f64;
        let k = ((plan.budget.as_secs_f64() / per_op.max(1e-9)) as usize).clamp(1, out.ops.max(1));
        per_pass.push(k);
        rows.push(Row {
            name: name.to_string(),
            peer: *peer,
            allocator: *a,
            ops: out.ops as u64,
            counted: out.counted,
            len_after: out.len_after,
            bytes_per_item: if out.len_after == 0 {
                0.0
            } else {
                out.held / out.len_after as f64
            },
            time: Timing::default(),
        });
    }
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); passes.len()];
    for _ in 0..spec.reps.max(1) {
        for (i, (_, _, _, f)) in passes.iter().enumerate() {
            let out = f(&plan, Some(per_pass[i]));
            samples[i].push(out.elapsed.as_nanos() as f64 / out.ops.max(1) as f64);
        }
    }
    for (i, row) in rows.iter_mut().enumerate() {
        row.time = timing(&mut samples[i], per_pass[i]);
    }
    rows
}

pub(crate) fn timing(s: &mut [f64], ops_per_pass: usize) -> Timing {
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n == 0 {
        return Timing::default();
    }
    let median = if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    };
    Timing {
        median_ns: median,
        min_ns: s[0],
        max_ns: s[n - 1],
        passes: n,
        ops_per_pass,
    }
}
