//! The classic experiment as a criterion group: N random ints inserted at their sorted
//! positions (linear search), then removed at random positions — our list beside `Vec`, std's
//! `LinkedList` and the linked lists with bumpalo and pymalloc nodes, N = 100 to 10,000.
//! `pylayout cost classic --sweep` runs the same experiment with counted costs, up to 100,000.
//! Run: `cargo bench --bench classic`. Numbers: `benches/README.md`.

use std::collections::LinkedList as StdList;
use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use pylayout::peers::NoTally;
use pylayout::peers::linked::{BumpNodes, LinkedList, PoolNodes};
use pylayout::peers::seqs::SeqMut;
use pylayout::types::list::PyList;

/// xorshift: the same values and positions for every structure.
fn inputs(n: usize) -> (Vec<u64>, Vec<usize>) {
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let values = (0..n).map(|_| 1000 + next() % 1_000_000_000).collect();
    let removals = (0..n).map(|i| (next() % (n - i) as u64) as usize).collect();
    (values, removals)
}

fn run<S: SeqMut>(items: &[S::Item], removals: &[usize]) -> usize {
    let mut s = S::build(&[]);
    for x in items {
        s.insert_sorted(x.clone(), &mut NoTally);
    }
    let peak = s.len();
    for &at in removals {
        black_box(s.remove(at, &mut NoTally));
    }
    peak
}

fn bench_one<S: SeqMut>(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    n: usize,
) {
    let (values, removals) = inputs(n);
    let items: Vec<S::Item> = values.iter().map(|&v| S::item(v)).collect();
    g.bench_with_input(BenchmarkId::new(name, n), &n, |b, _| {
        b.iter(|| run::<S>(&items, &removals))
    });
}

fn classic(c: &mut Criterion) {
    let mut g = c.benchmark_group("classic");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    for n in [100, 1_000, 10_000] {
        bench_one::<PyList>(&mut g, "PyList", n);
        bench_one::<Vec<usize>>(&mut g, "Vec<usize>", n);
        bench_one::<StdList<usize>>(&mut g, "std LinkedList", n);
        bench_one::<LinkedList<BumpNodes>>(&mut g, "linked list (bumpalo nodes)", n);
        bench_one::<LinkedList<PoolNodes>>(&mut g, "linked list (pymalloc nodes)", n);
    }
    g.finish();
}

criterion_group!(benches, classic);
criterion_main!(benches);
