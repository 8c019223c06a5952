//! The cycle collector on a million tracked containers, half of them in garbage cycles:
//! `gc::collect(2)` time, beside the same graph with no garbage (the traversal alone).
//! CPython's time on the same graph: `python3 benches/gc_cpython.py`. Numbers:
//! `benches/README.md`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use pylayout::gc;
use pylayout::types::list::PyList;

const N: usize = 1_000_000;

/// `N / 2` lists reachable from one root list, and `N / 4` garbage pairs `a = [b]; b = [a]`.
fn build(garbage: bool) -> PyList {
    let root = PyList::new();
    for _ in 0..N / 2 {
        root.append(PyList::new().into_obj());
    }
    let pairs = if garbage { N / 4 } else { 0 };
    for _ in 0..pairs {
        let a = PyList::new();
        let b = PyList::with_items(vec![a.as_obj().clone()]);
        a.append(b.into_obj());
    }
    root
}

fn collect(c: &mut Criterion) {
    gc::disable();
    let mut g = c.benchmark_group("gc_collect_1M_containers");
    g.throughput(Throughput::Elements(N as u64));
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8));
    g.bench_function("half in garbage cycles", |b| {
        b.iter_batched(
            || build(true),
            |root| {
                let n = gc::collect(2);
                assert_eq!(n, N / 2);
                black_box(root)
            },
            BatchSize::PerIteration,
        )
    });
    g.bench_function("all reachable (N/2 + root, no garbage)", |b| {
        b.iter_batched(
            || build(false),
            |root| {
                black_box(gc::collect(2));
                black_box(root)
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
    gc::enable();
}

criterion_group!(benches, collect);
criterion_main!(benches);
