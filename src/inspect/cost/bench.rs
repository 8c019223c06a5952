//! `pylayout bench`: the headline pairs — ours beside the peer a Rust or C programmer would
//! pick — measured side by side in one run, with the project's speed targets.
//!
//! Every pair is timed interleaved (ours, peer, ours, peer, ...) and reported as medians, so
//! the drift of a shared machine touches both sides alike. The collector's pair runs CPython
//! itself (`python3`, or `$PYLAYOUT_PYTHON`) on the same graph.

use std::process::Command;
use std::time::Instant;

use serde::Serialize;

use super::run::timing;
use super::{Keys, Op, Peer, Spec, Structure, classic, cost};
use crate::peers::counting as batch;
use crate::runtime;
use crate::types::list::PyList;

/// One pair.
#[derive(Clone, Debug, Serialize)]
pub struct BenchResult {
    /// What ours does (`list append`).
    pub name: String,
    /// Ours, named.
    pub ours: String,
    /// Median nanoseconds per operation, ours.
    pub ours_ns: f64,
    /// The peer, named (`Vec<usize> push`).
    pub peer: String,
    /// Median nanoseconds per operation, the peer (`None`: it could not run, e.g. no python3).
    pub peer_ns: Option<f64>,
    /// `ours_ns / peer_ns`.
    pub ratio: Option<f64>,
    /// The project's target for the ratio (at most this).
    pub target: f64,
    /// Whether the ratio meets the target.
    pub holds: Option<bool>,
}

fn pair(
    name: &str,
    ours: &str,
    ours_ns: f64,
    peer: &str,
    peer_ns: Option<f64>,
    target: f64,
) -> BenchResult {
    let ratio = peer_ns.filter(|p| *p > 0.0).map(|p| ours_ns / p);
    BenchResult {
        name: name.into(),
        ours: ours.into(),
        ours_ns,
        peer: peer.into(),
        peer_ns,
        ratio,
        target,
        holds: ratio.map(|r| r <= target),
    }
}

/// How long to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effort {
    /// Under a minute.
    Quick,
    /// More passes and bigger sizes.
    Full,
    /// Every pair once at tiny sizes: for tests of the report's shape, not for numbers.
    Smoke,
}

/// A container pair: `spec` run with its one peer through the cost runner.
struct Pair<'a> {
    name: String,
    spec: Spec,
    peer_label: &'a str,
    target: f64,
}

/// Ours against one peer for a container operation, through the cost runner.
fn container(p: Pair<'_>) -> BenchResult {
    let r = cost(&p.spec);
    let ours = &r.rows[0];
    let peer = &r.rows[1];
    pair(
        &p.name,
        &ours.name,
        ours.time.median_ns,
        p.peer_label,
        Some(peer.time.median_ns),
        p.target,
    )
}

/// The spec of a bench pair: `n` items, `ops` operations, one peer, `reps` passes.
fn spec(s: Structure, op: Op, n: usize, ops: usize, keys: Keys, peer: Peer, reps: usize) -> Spec {
    let mut spec = Spec::new(s, op, n);
    spec.ops = ops;
    spec.peers = vec![peer];
    spec.keys = keys;
    spec.reps = reps;
    spec.budget_secs = 0.02;
    spec
}

/// pymalloc against malloc/free for batches of `count` blocks of `size` bytes, per block.
fn alloc_batch(size: usize, count: usize, reps: usize) -> BenchResult {
    let mut ptrs = Vec::with_capacity(count);
    let (mut ours, mut sys) = (Vec::new(), Vec::new());
    // One warm-up round each: the arenas and glibc's heap exist before timing.
    runtime::with_heap(|h| batch::pymalloc_batch(h, size, count, &mut ptrs));
    batch::system_batch(size, count, &mut ptrs);
    for _ in 0..reps {
        let t = runtime::with_heap(|h| batch::pymalloc_batch(h, size, count, &mut ptrs));
        ours.push(t.as_nanos() as f64 / count as f64);
        let t = batch::system_batch(size, count, &mut ptrs);
        sys.push(t.as_nanos() as f64 / count as f64);
    }
    pair(
        &format!("alloc+free {count} × {size} B"),
        "pymalloc",
        timing(&mut ours, count).median_ns,
        "glibc malloc/free",
        Some(timing(&mut sys, count).median_ns),
        0.5,
    )
}

/// The graph of `benches/gc.rs`: `n / 2` lists under one root and `n / 4` garbage pairs.
fn gc_graph(n: usize) -> PyList {
    let root = PyList::new();
    for _ in 0..n / 2 {
        root.append(PyList::new().into_obj());
    }
    for _ in 0..n / 4 {
        let a = PyList::new();
        let b = PyList::with_items(vec![a.as_obj().clone()]);
        a.append(b.into_obj());
    }
    root
}

/// CPython's side of the collector pair: the same graph, `gc.collect()` timed, median of
/// `reps` (nanoseconds per tracked object).
const GC_SCRIPT: &str = r#"
import gc, statistics, sys, time
n, reps = int(sys.argv[1]), int(sys.argv[2])
gc.disable(); gc.collect()
def build():
    root = []
    for _ in range(n // 2):
        root.append([])
    for _ in range(n // 4):
        a = []; b = [a]; a.append(b)
    return root
times = []
for _ in range(reps):
    root = build()
    t0 = time.perf_counter(); got = gc.collect(); times.append(time.perf_counter() - t0)
    assert got >= n // 2, got
    del root; gc.collect()
print(statistics.median(times) / n * 1e9)
"#;

/// The interpreter the collector pair runs: `$PYLAYOUT_PYTHON` or `python3`.
pub fn python_exe() -> String {
    std::env::var("PYLAYOUT_PYTHON").unwrap_or_else(|_| "python3".into())
}

fn cpython_gc_ns(n: usize, reps: usize) -> Option<f64> {
    let out = Command::new(python_exe())
        .args(["-c", GC_SCRIPT, &n.to_string(), &reps.to_string()])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

fn gc_pair(n: usize, reps: usize) -> BenchResult {
    let was = crate::gc::isenabled();
    crate::gc::disable();
    crate::gc::collect(2);
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    for _ in 0..reps {
        let root = gc_graph(n);
        let t = Instant::now();
        let got = crate::gc::collect(2);
        ours.push(t.elapsed().as_nanos() as f64 / n as f64);
        debug_assert_eq!(got, n / 2);
        drop(root);
        // CPython's run between ours, so the machine's drift touches both.
        if let Some(ns) = cpython_gc_ns(n, 1) {
            theirs.push(ns);
        }
    }
    if was {
        crate::gc::enable();
    }
    let peer = if theirs.is_empty() {
        None
    } else {
        Some(timing(&mut theirs, 1).median_ns)
    };
    pair(
        &format!("gc full collection, {n} tracked, half garbage (per object)"),
        "gc::collect(2)",
        timing(&mut ours, 1).median_ns,
        "CPython 3.11 gc.collect()",
        peer,
        0.5,
    )
}

/// The classic experiment at `n`: ours against one linked list (time of the whole run).
fn classic_pairs(n: usize, reps: usize) -> Vec<BenchResult> {
    let peers = [Peer::Linkedlist, Peer::BumpList, Peer::PoolList];
    let r = classic(n, &peers, reps, 1, &mut |_| {});
    let ours = &r.rows[0];
    r.rows
        .iter()
        .skip(1)
        .map(|p| {
            pair(
                &format!("classic experiment, N = {n} (whole run)"),
                &ours.name,
                ours.time.median_ns,
                &p.name,
                Some(p.time.median_ns),
                1.0,
            )
        })
        .collect()
}

/// Run every pair; `progress` hears each name as it starts.
pub fn bench(effort: Effort, progress: &mut dyn FnMut(&str)) -> Vec<BenchResult> {
    let quick = effort != Effort::Full;
    let smoke = effort == Effort::Smoke;
    let reps = match effort {
        Effort::Smoke => 1,
        Effort::Quick => 7,
        Effort::Full => 21,
    };
    let mut out = Vec::new();
    let mut step = |name: &str, out: &mut Vec<BenchResult>, r: BenchResult| {
        progress(name);
        out.push(r);
    };
    use Op::*;
    use Structure::{Dict, List};
    let list_ops = if smoke {
        200
    } else if quick {
        20_000
    } else {
        100_000
    };
    let vec_pair =
        |name: String, op: Op, n: usize, ops: usize, label: &'static str, target: f64| Pair {
            name,
            spec: spec(List, op, n, ops, Keys::Str, Peer::Vec, reps),
            peer_label: label,
            target,
        };
    step(
        "list append",
        &mut out,
        container(vec_pair(
            "list append".into(),
            Append,
            0,
            list_ops,
            "Vec<usize> push",
            1.5,
        )),
    );
    let list_ns: &[usize] = if smoke { &[100] } else { &[1_000, 10_000] };
    for &n in list_ns {
        let ops = if quick { 500 } else { 2000 }.min(n);
        step(
            "list insert",
            &mut out,
            container(vec_pair(
                format!("list insert in the middle, n = {n}"),
                Insert,
                n,
                ops,
                "Vec<usize> insert",
                1.2,
            )),
        );
        step(
            "list delete",
            &mut out,
            container(vec_pair(
                format!("list delete in the middle, n = {n}"),
                Delete,
                n,
                ops,
                "Vec<usize> remove",
                1.2,
            )),
        );
    }
    let dict_n = if smoke { 100 } else { 1000 };
    let dict_ops = if smoke {
        100
    } else if quick {
        10_000
    } else {
        50_000
    };
    for (keys, kname) in [(Keys::Int, "int"), (Keys::Str, "str")] {
        for (op, oname) in [
            (Insert, "insert"),
            (Lookup, "lookup"),
            (LookupMiss, "lookup miss"),
        ] {
            let name = format!("dict {oname}, {kname} keys");
            let p = Pair {
                name: name.clone(),
                spec: spec(Dict, op, dict_n, dict_ops, keys, Peer::Indexmap, reps),
                peer_label: "IndexMap (CPython hashes)",
                target: 1.0,
            };
            step(&name, &mut out, container(p));
        }
    }
    let count = if smoke { 1000 } else { 10_000 };
    for size in [32, 64, 128, 256] {
        step("alloc", &mut out, alloc_batch(size, count, reps * 3));
    }
    let gc_n = if quick { 200_000 } else { 1_000_000 };
    step("gc", &mut out, gc_pair(gc_n, if quick { 3 } else { 5 }));
    let classic_ns: &[usize] = match effort {
        Effort::Smoke => &[100],
        Effort::Quick => &[100, 1_000, 10_000],
        Effort::Full => &[100, 1_000, 10_000, 100_000],
    };
    for &n in classic_ns {
        progress("classic");
        out.extend(classic_pairs(n, if smoke || n >= 100_000 { 1 } else { 3 }));
    }
    out
}
