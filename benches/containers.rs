//! The containers beside their Rust peers: list vs `Vec`/`VecDeque`/`LinkedList`/a
//! bumpalo-backed `Vec`, dict vs `IndexMap`/hashbrown, and the price of the cost counters.
//! Run: `cargo bench --bench containers`. Numbers: `benches/README.md`.

use std::collections::{LinkedList, VecDeque};
use std::hint::black_box;
use std::time::Duration;

use bumpalo::Bump;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use indexmap::IndexMap;
use pylayout::cost;
use pylayout::types::dict::PyDict;
use pylayout::types::int::PyInt;
use pylayout::types::list::PyList;
use pylayout::types::str::PyStr;

const N: usize = 1000;

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30)
}

fn append(c: &mut Criterion) {
    let mut g = c.benchmark_group("append_1000");
    g.throughput(Throughput::Elements(N as u64));
    // The same (small, static) int every time: the list work only, no object allocation.
    let item = PyInt::from_i64(7).into_obj();
    g.bench_function("PyList", |b| {
        b.iter(|| {
            let l = PyList::new();
            for _ in 0..N {
                l.append(item.clone());
            }
            black_box(l)
        })
    });
    g.bench_function("Vec<u64>", |b| {
        b.iter(|| {
            let mut v = Vec::new();
            for i in 0..N {
                v.push(i as u64);
            }
            black_box(v)
        })
    });
    g.bench_function("VecDeque<u64>", |b| {
        b.iter(|| {
            let mut v = VecDeque::new();
            for i in 0..N {
                v.push_back(i as u64);
            }
            black_box(v)
        })
    });
    g.bench_function("LinkedList<u64>", |b| {
        b.iter(|| {
            let mut v = LinkedList::new();
            for i in 0..N {
                v.push_back(i as u64);
            }
            black_box(v)
        })
    });
    g.bench_function("bumpalo Vec<u64>", |b| {
        let mut bump = Bump::new();
        b.iter(|| {
            {
                let mut v = bumpalo::collections::Vec::new_in(&bump);
                for i in 0..N {
                    v.push(i as u64);
                }
                black_box(&v);
            }
            bump.reset();
        })
    });
    g.finish();
}

fn insert_front(c: &mut Criterion) {
    let mut g = c.benchmark_group("insert_at_0_x1000");
    g.throughput(Throughput::Elements(N as u64));
    let item = PyInt::from_i64(7).into_obj();
    g.bench_function("PyList", |b| {
        b.iter(|| {
            let l = PyList::new();
            for _ in 0..N {
                l.insert(0, item.clone());
            }
            black_box(l)
        })
    });
    g.bench_function("Vec<u64>", |b| {
        b.iter(|| {
            let mut v = Vec::new();
            for i in 0..N {
                v.insert(0, i as u64);
            }
            black_box(v)
        })
    });
    g.bench_function("VecDeque<u64>", |b| {
        b.iter(|| {
            let mut v = VecDeque::new();
            for i in 0..N {
                v.push_front(i as u64);
            }
            black_box(v)
        })
    });
    g.bench_function("LinkedList<u64>", |b| {
        b.iter(|| {
            let mut v = LinkedList::new();
            for i in 0..N {
                v.push_front(i as u64);
            }
            black_box(v)
        })
    });
    g.finish();
}

fn dict_insert(c: &mut Criterion) {
    let mut g = c.benchmark_group("dict_insert_1000_str_keys");
    g.throughput(Throughput::Elements(N as u64));
    let keys: Vec<PyStr> = (0..N).map(|i| PyStr::new(&format!("key{i}"))).collect();
    for k in &keys {
        k.hash(); // cached, as for any str used as a key before
    }
    let rust_keys: Vec<String> = (0..N).map(|i| format!("key{i}")).collect();
    let value = PyInt::from_i64(1).into_obj();
    g.bench_function("PyDict", |b| {
        b.iter(|| {
            let d = PyDict::new();
            for k in &keys {
                d.set_item(k.as_obj().clone(), value.clone()).unwrap();
            }
            black_box(d)
        })
    });
    g.bench_function("IndexMap<&str, u64>", |b| {
        b.iter(|| {
            let mut m = IndexMap::new();
            for k in &rust_keys {
                m.insert(k.as_str(), 1u64);
            }
            black_box(m)
        })
    });
    g.bench_function("hashbrown::HashMap<&str, u64>", |b| {
        b.iter(|| {
            let mut m = hashbrown::HashMap::new();
            for k in &rust_keys {
                m.insert(k.as_str(), 1u64);
            }
            black_box(m)
        })
    });
    g.finish();
}

fn cost_counters(c: &mut Criterion) {
    // What the counters add to an operation: one snapshot pair (measure) around an append,
    // against the bare append.
    let mut g = c.benchmark_group("cost_counters");
    let item = PyInt::from_i64(7).into_obj();
    let l = PyList::new();
    g.bench_function("append", |b| {
        b.iter(|| {
            l.append(item.clone());
            if l.len() > 4096 {
                l.clear();
            }
        })
    });
    g.bench_function("append inside cost::measure", |b| {
        b.iter(|| {
            let ((), c) = cost::measure(|| l.append(item.clone()));
            if l.len() > 4096 {
                l.clear();
            }
            black_box(c)
        })
    });
    g.bench_function("cost::snapshot", |b| b.iter(|| black_box(cost::snapshot())));
    g.finish();
}

criterion_group! {
    name = benches;
    config = config();
    targets = append, insert_front, dict_insert, cost_counters
}
criterion_main!(benches);
