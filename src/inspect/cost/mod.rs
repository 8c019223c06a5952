//! What an operation costs, counted and timed: CPython's containers beside the structures a
//! Rust or C programmer would pick ([`crate::peers`]).
//!
//! ```text
//!   Spec (structure, op, --at, -n, --ops, peers)
//!     └─ validate ─ Plan: positions, items and keys, the same for every structure
//!         └─ per structure: one counted pass  → Counted (exact totals) + bytes per item
//!                           R timed passes    → Timing (median, min, max per operation)
//!                           (timed passes interleaved across structures, so drift is shared)
//! ```
//!
//! Counted costs are exact: they come from the objects' own counters ([`crate::cost`]), the
//! allocators' counters, and the peers' tallies. Times are measurements on a noisy machine.

mod bench;
mod classic;
mod ours;
mod run;

pub use bench::{BenchResult, Effort, bench, python_exe};
pub use classic::{CLASSIC_PEERS, ClassicReport, ClassicRow, classic, classic_sweep};
pub use ours::{PyKey, Text};
pub use run::{Counted, Row, Timing};

use serde::Serialize;

use crate::peers::Allocator;

/// The CPython structure asked about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Structure {
    /// `list`.
    List,
    /// `tuple`.
    Tuple,
    /// `dict`.
    Dict,
    /// `str`.
    Str,
}

/// An operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Op {
    /// `l.append(x)`; `s = s + c` for str.
    Append,
    /// `l.insert(i, x)`; `d[k] = v` with a new key.
    Insert,
    /// `del l[i]`; `del d[k]`.
    Delete,
    /// `l.pop(i)`.
    Pop,
    /// `seq[i]`.
    Index,
    /// `x in seq` (a linear search).
    Search,
    /// `for x in seq`: one whole pass.
    Iterate,
    /// `l.extend(batch)` of 100 items.
    Extend,
    /// `seq + [x]`: a new object one item longer.
    Concat,
    /// `seq[a:b]`: a new object of half the items.
    Slice,
    /// `d[k]` for a key that is there.
    Lookup,
    /// `k in d` for a key that is not.
    LookupMiss,
    /// `d[k] = v` for a key that is there.
    Update,
    /// `''.join(parts)` of n one-character strings.
    Join,
}

/// Where a positional operation acts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum At {
    /// Position 0.
    Front,
    /// Position `len / 2` (a slice: `len / 4 .. 3 len / 4`).
    Middle,
    /// The end (`len` to insert, `len - 1` to read or remove; a slice: the second half).
    Back,
    /// A random position, the same sequence for every structure.
    Random,
}

/// A structure to measure: ours or a peer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Peer {
    /// pylayout's `list`, `tuple`, `dict` or `str` (always measured).
    Ours,
    /// `Vec<usize>`.
    Vec,
    /// `VecDeque<usize>`.
    Vecdeque,
    /// `std::collections::LinkedList<usize>`.
    Linkedlist,
    /// A doubly linked list with nodes in a bumpalo arena.
    BumpList,
    /// A doubly linked list with nodes from our pymalloc.
    PoolList,
    /// `Box<[usize]>`.
    BoxSlice,
    /// `IndexMap` given CPython's hashes.
    Indexmap,
    /// `hashbrown::HashMap` given CPython's hashes.
    Hashbrown,
    /// `std::collections::HashMap` given CPython's hashes.
    Hashmap,
    /// `BTreeMap`.
    Btreemap,
    /// `String`.
    String,
}

/// Dict keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Keys {
    /// `str` keys `"key0"`, `"key1"`, ... (hashes cached, as for identifiers).
    Str,
    /// `int` keys (distinct, not small ints).
    Int,
}

/// The largest `-n`: ten million items (a list of them is 80 MB of pointers plus the ints).
pub const MAX_N: usize = 10_000_000;
/// The largest `--ops`.
pub const MAX_OPS: usize = 1_000_000;
/// Items `extend` adds per operation.
pub const EXTEND_BATCH: usize = 100;

impl Structure {
    /// Every structure, in help order.
    pub const ALL: [Structure; 4] = [
        Structure::List,
        Structure::Tuple,
        Structure::Dict,
        Structure::Str,
    ];

    /// The name users type.
    pub fn name(self) -> &'static str {
        match self {
            Structure::List => "list",
            Structure::Tuple => "tuple",
            Structure::Dict => "dict",
            Structure::Str => "str",
        }
    }

    /// The operations that apply, in help order.
    pub fn ops(self) -> &'static [Op] {
        use Op::*;
        match self {
            Structure::List => &[
                Append, Insert, Delete, Pop, Index, Search, Iterate, Extend, Concat, Slice,
            ],
            Structure::Tuple => &[Index, Search, Iterate, Concat, Slice],
            Structure::Dict => &[Insert, Delete, Lookup, LookupMiss, Update, Iterate],
            Structure::Str => &[Append, Join, Index, Search, Iterate, Slice],
        }
    }

    /// The peers measured when `--vs` is not given.
    pub fn natural_peers(self) -> &'static [Peer] {
        use Peer::*;
        match self {
            Structure::List => &[Vec, Vecdeque, Linkedlist, BumpList, PoolList],
            Structure::Tuple => &[BoxSlice, Vec],
            Structure::Dict => &[Indexmap, Hashbrown, Hashmap, Btreemap],
            Structure::Str => &[String],
        }
    }
}

impl Op {
    /// The name users type.
    pub fn name(self) -> &'static str {
        match self {
            Op::Append => "append",
            Op::Insert => "insert",
            Op::Delete => "delete",
            Op::Pop => "pop",
            Op::Index => "index",
            Op::Search => "search",
            Op::Iterate => "iterate",
            Op::Extend => "extend",
            Op::Concat => "concat",
            Op::Slice => "slice",
            Op::Lookup => "lookup",
            Op::LookupMiss => "lookup-miss",
            Op::Update => "update",
            Op::Join => "join",
        }
    }

    /// Every operation.
    pub const ALL: [Op; 14] = [
        Op::Append,
        Op::Insert,
        Op::Delete,
        Op::Pop,
        Op::Index,
        Op::Search,
        Op::Iterate,
        Op::Extend,
        Op::Concat,
        Op::Slice,
        Op::Lookup,
        Op::LookupMiss,
        Op::Update,
        Op::Join,
    ];

    /// Whether `--at` means something for it on `s` (and its default there).
    pub fn default_at(self, s: Structure) -> Option<At> {
        match (s, self) {
            (Structure::Dict, _) => None,
            (_, Op::Insert | Op::Delete | Op::Index | Op::Search | Op::Slice) => Some(At::Middle),
            (_, Op::Pop) => Some(At::Back),
            _ => None,
        }
    }
}

impl At {
    /// "at the front", "in the middle", "at the back", "at random positions".
    pub fn phrase(self) -> &'static str {
        match self {
            At::Front => "at the front",
            At::Middle => "in the middle",
            At::Back => "at the back",
            At::Random => "at random positions",
        }
    }
}

impl Peer {
    /// Every peer (not ours), in help order.
    pub const ALL: [Peer; 11] = [
        Peer::Vec,
        Peer::Vecdeque,
        Peer::Linkedlist,
        Peer::BumpList,
        Peer::PoolList,
        Peer::BoxSlice,
        Peer::Indexmap,
        Peer::Hashbrown,
        Peer::Hashmap,
        Peer::Btreemap,
        Peer::String,
    ];

    /// The name users type after `--vs`.
    pub fn name(self) -> &'static str {
        match self {
            Peer::Ours => "ours",
            Peer::Vec => "vec",
            Peer::Vecdeque => "vecdeque",
            Peer::Linkedlist => "linkedlist",
            Peer::BumpList => "bump-list",
            Peer::PoolList => "pool-list",
            Peer::BoxSlice => "box-slice",
            Peer::Indexmap => "indexmap",
            Peer::Hashbrown => "hashbrown",
            Peer::Hashmap => "hashmap",
            Peer::Btreemap => "btreemap",
            Peer::String => "string",
        }
    }
}

/// A request for `pylayout cost STRUCT OP`.
#[derive(Clone, Debug, Serialize)]
pub struct Spec {
    /// The structure.
    pub structure: Structure,
    /// The operation.
    pub op: Op,
    /// Where (positional operations only).
    pub at: Option<At>,
    /// Items (or keys, or characters) before the operations start.
    pub n: usize,
    /// Operations per pass (fewer when a pass would take too long; each row says how many).
    pub ops: usize,
    /// Peers beside ours.
    pub peers: Vec<Peer>,
    /// Dict keys.
    pub keys: Keys,
    /// Timed passes per structure.
    pub reps: usize,
    /// Seed of the random positions and keys.
    pub seed: u64,
    /// Seconds a structure's timed pass may take before it runs fewer operations.
    pub budget_secs: f64,
}

/// Why a spec cannot run: one line for the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecError(pub String);

impl std::fmt::Display for SpecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SpecError {}

fn list_names<T>(items: &[T], name: impl Fn(&T) -> &'static str) -> String {
    items.iter().map(name).collect::<Vec<_>>().join(", ")
}

impl Spec {
    /// A spec with the defaults: `--at` as the operation's default, 1,000 operations,
    /// the natural peers, str keys, 7 timed passes.
    pub fn new(structure: Structure, op: Op, n: usize) -> Spec {
        Spec {
            structure,
            op,
            at: op.default_at(structure),
            n,
            ops: 1000,
            peers: structure.natural_peers().to_vec(),
            keys: Keys::Str,
            reps: 7,
            seed: 1,
            budget_secs: 0.05,
        }
    }

    /// Check that the operation applies, `--at` means something and the sizes are sane.
    pub fn validate(&self, at_given: bool) -> Result<(), SpecError> {
        let s = self.structure;
        if !s.ops().contains(&self.op) {
            let why = match (s, self.op) {
                (Structure::Tuple, Op::Append | Op::Insert | Op::Delete | Op::Pop | Op::Extend) => {
                    format!(
                        "tuples are immutable: there is no tuple {}; `pylayout cost tuple concat` shows what every change costs (a new tuple, all items copied)",
                        self.op.name()
                    )
                }
                (Structure::Str, Op::Insert | Op::Delete | Op::Pop | Op::Extend | Op::Concat) => {
                    format!(
                        "strs are immutable: there is no str {}; `pylayout cost str append` shows what every change costs (s = s + c builds a new string)",
                        self.op.name()
                    )
                }
                _ => format!(
                    "`{}` does not apply to {}; its operations are: {}",
                    self.op.name(),
                    s.name(),
                    list_names(s.ops(), |o| o.name())
                ),
            };
            return Err(SpecError(why));
        }
        if at_given && self.op.default_at(s).is_none() {
            return Err(SpecError(format!(
                "--at applies to positional operations; {} {} has no position",
                s.name(),
                self.op.name()
            )));
        }
        if self.n > MAX_N {
            return Err(SpecError(format!(
                "-n {} is too large: at most {} items",
                self.n, MAX_N
            )));
        }
        let needs_item = matches!(
            self.op,
            Op::Delete | Op::Pop | Op::Index | Op::Search | Op::Slice | Op::Lookup | Op::Update
        );
        if needs_item && self.n == 0 {
            return Err(SpecError(format!(
                "{} {} needs items to act on: give -n 1 or more",
                s.name(),
                self.op.name()
            )));
        }
        if self.ops == 0 || self.ops > MAX_OPS {
            return Err(SpecError(format!(
                "--ops {} is out of range: 1 to {}",
                self.ops, MAX_OPS
            )));
        }
        for p in &self.peers {
            if !s.natural_peers().contains(p) {
                return Err(SpecError(format!(
                    "--vs {}: not a peer of {}; its peers are: {}",
                    p.name(),
                    s.name(),
                    list_names(s.natural_peers(), |p| p.name())
                )));
            }
        }
        Ok(())
    }
}

/// The answer to a spec: a row per structure (ours first) and a reading of it.
#[derive(Clone, Debug, Serialize)]
pub struct CostReport {
    /// What was asked.
    pub spec: Spec,
    /// Ours, then each peer.
    pub rows: Vec<Row>,
    /// One paragraph saying what the counts mean.
    pub reading: String,
}

/// Run a validated spec.
pub fn cost(spec: &Spec) -> CostReport {
    let rows = run::run(spec);
    let reading = reading(spec, &rows);
    CostReport {
        spec: spec.clone(),
        rows,
        reading,
    }
}

fn per(total: u64, ops: u64) -> f64 {
    total as f64 / ops.max(1) as f64
}

fn num(v: f64) -> String {
    if v >= 1000.0 {
        crate::inspect::commas(v.round() as u64)
    } else if v >= 100.0 || v.fract() == 0.0 {
        format!("{v:.0}")
    } else if v < 1.0 {
        format!("{v:.3}")
    } else {
        format!("{v:.1}")
    }
}

fn ns(v: f64) -> String {
    if v >= 1e6 {
        format!("{:.2} ms", v / 1e6)
    } else if v >= 1e3 {
        format!("{:.2} µs", v / 1e3)
    } else {
        format!("{v:.1} ns")
    }
}

/// The paragraph under the table: what ours did, what the first linked list (or the first
/// peer) did instead, and the times side by side.
fn reading(spec: &Spec, rows: &[Row]) -> String {
    let Some(ours) = rows.first() else {
        return String::new();
    };
    let c = &ours.counted;
    let k = ours.ops;
    let mut out = format!(
        "Per {} {}{} on {} items, {} ",
        spec.structure.name(),
        spec.op.name(),
        spec.at
            .map(|a| format!(" {}", a.phrase()))
            .unwrap_or_default(),
        num(spec.n as f64),
        ours.name
    );
    let mut did = Vec::new();
    if c.item_moves > 0 {
        did.push(format!(
            "moves {} pointers ({} bytes)",
            num(per(c.item_moves, k)),
            num(per(c.bytes_copied, k))
        ));
    } else if c.bytes_copied > 0 {
        did.push(format!("copies {} bytes", num(per(c.bytes_copied, k))));
    }
    if c.compares > 0 {
        did.push(format!("compares {} items", num(per(c.compares, k))));
    }
    if c.probes > 0 {
        did.push(format!("probes {} slots", num(per(c.probes, k))));
    }
    if c.allocs > 0 || c.reallocs > 0 {
        did.push(format!(
            "makes {} allocations and {} reallocations ({} moved the block)",
            num(per(c.allocs, k)),
            num(per(c.reallocs, k)),
            num(per(c.reallocs_moved, k))
        ));
    }
    if did.is_empty() {
        did.push("touches one slot".to_string());
    }
    out += &did.join(", ");
    out += &format!(" in {}", ns(ours.time.median_ns));
    let linked = rows
        .iter()
        .skip(1)
        .find(|r| r.counted.hops > 0)
        .or_else(|| rows.get(1));
    if let Some(p) = linked {
        let pc = &p.counted;
        out += &format!("; {} ", p.name);
        let mut did = Vec::new();
        if pc.hops > 0 {
            did.push(format!(
                "walks {} nodes (one dependent load each, a likely cache miss)",
                num(per(pc.hops, p.ops))
            ));
        }
        if pc.item_moves > 0 {
            did.push(format!("moves {} items", num(per(pc.item_moves, p.ops))));
        }
        if pc.compares > 0 {
            did.push(format!("compares {} keys", num(per(pc.compares, p.ops))));
        }
        if pc.allocs > 0 {
            did.push(format!("makes {} allocations", num(per(pc.allocs, p.ops))));
        }
        if did.is_empty() {
            did.push("does constant work".to_string());
        }
        out += &did.join(", ");
        out += &format!(" in {}", ns(p.time.median_ns));
    }
    let fastest = rows
        .iter()
        .min_by(|a, b| a.time.median_ns.total_cmp(&b.time.median_ns));
    if let Some(f) = fastest {
        out += &format!(". Fastest here: {}.", f.name);
    }
    out += " Times are medians of interleaved passes on a shared machine: compare rows of one run, not runs.";
    out
}

/// Which allocator's counters a row's allocation counts come from.
pub fn allocator_name(a: Allocator) -> &'static str {
    match a {
        Allocator::Pymalloc => "pymalloc",
        Allocator::System => "system",
        Allocator::Bump => "bumpalo",
    }
}
