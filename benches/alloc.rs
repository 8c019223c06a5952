//! pymalloc against the system allocator and bumpalo: alloc+free pairs, batches, and object
//! creation. Run: `cargo bench --bench alloc`. Numbers: `benches/README.md`.
#![allow(unsafe_code)]

use std::hint::black_box;
use std::time::Duration;

use bumpalo::Bump;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use pylayout::alloc::Pymalloc;
use pylayout::types::float::PyFloat;
use pylayout::types::int::PyInt;

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30)
}

fn alloc_free_pairs(c: &mut Criterion) {
    let mut g = c.benchmark_group("alloc_free_pairs");
    g.throughput(Throughput::Elements(1));
    for size in [16usize, 64, 256, 512] {
        let mut pm = Pymalloc::new();
        // Keep one block alive so the pool stays used (no pool/arena churn per pair).
        let keep = pm.malloc(size);
        g.bench_with_input(BenchmarkId::new("pymalloc", size), &size, |b, &n| {
            b.iter(|| {
                let p = pm.malloc(black_box(n));
                // SAFETY: p was just allocated by pm and is freed once.
                unsafe { pm.free(black_box(p)) };
            })
        });
        // SAFETY: keep came from pm.
        unsafe { pm.free(keep) };
        g.bench_with_input(BenchmarkId::new("libc_malloc", size), &size, |b, &n| {
            b.iter(|| {
                // SAFETY: plain malloc/free pair.
                unsafe { libc::free(black_box(libc::malloc(black_box(n)))) };
            })
        });
        g.bench_with_input(BenchmarkId::new("bumpalo_alloc", size), &size, |b, &n| {
            // A bump allocator never frees single blocks: allocate, and reset the arena
            // every 1024 allocations (the reset is included in the average).
            let mut bump = Bump::new();
            let layout = std::alloc::Layout::from_size_align(n, 16).unwrap();
            let mut k = 0u32;
            b.iter(|| {
                black_box(bump.alloc_layout(layout));
                k += 1;
                if k == 1024 {
                    bump.reset();
                    k = 0;
                }
            })
        });
    }
    g.finish();
}

fn batch_alloc_then_free(c: &mut Criterion) {
    const N: usize = 10_000;
    let mut g = c.benchmark_group("batch_10k_x32B");
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function("pymalloc", |b| {
        let mut pm = Pymalloc::new();
        let mut ptrs = Vec::with_capacity(N);
        b.iter(|| {
            for _ in 0..N {
                ptrs.push(pm.malloc(32));
            }
            for p in ptrs.drain(..) {
                // SAFETY: each pointer came from pm and is freed once.
                unsafe { pm.free(p) };
            }
        })
    });
    g.bench_function("libc_malloc", |b| {
        let mut ptrs = Vec::with_capacity(N);
        b.iter(|| {
            for _ in 0..N {
                // SAFETY: plain malloc.
                ptrs.push(unsafe { libc::malloc(32) });
            }
            for p in ptrs.drain(..) {
                // SAFETY: each pointer came from malloc and is freed once.
                unsafe { libc::free(p) };
            }
        })
    });
    g.bench_function("bumpalo", |b| {
        let mut bump = Bump::new();
        let layout = std::alloc::Layout::from_size_align(32, 16).unwrap();
        b.iter(|| {
            for _ in 0..N {
                black_box(bump.alloc_layout(layout));
            }
            bump.reset();
        })
    });
    g.finish();
}

fn mixed_sizes(c: &mut Criterion) {
    let mut g = c.benchmark_group("mixed_1_to_512B_live_1000");
    const STEPS: usize = 10_000;
    g.throughput(Throughput::Elements(STEPS as u64));
    let sizes: Vec<usize> = {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        (0..STEPS)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                1 + (x % 512) as usize
            })
            .collect()
    };
    g.bench_function("pymalloc", |b| {
        let mut pm = Pymalloc::new();
        let mut live: Vec<*mut u8> = vec![std::ptr::null_mut(); 1000];
        b.iter(|| {
            for (i, &n) in sizes.iter().enumerate() {
                let slot = &mut live[i % 1000];
                if !slot.is_null() {
                    // SAFETY: a live block of pm, replaced below.
                    unsafe { pm.free(*slot) };
                }
                *slot = pm.malloc(n);
            }
        });
        for p in live {
            if !p.is_null() {
                // SAFETY: remaining live blocks.
                unsafe { pm.free(p) };
            }
        }
    });
    g.bench_function("libc_malloc", |b| {
        let mut live: Vec<*mut libc::c_void> = vec![std::ptr::null_mut(); 1000];
        b.iter(|| {
            for (i, &n) in sizes.iter().enumerate() {
                let slot = &mut live[i % 1000];
                // SAFETY: free(NULL) is allowed; the slot is replaced at once.
                unsafe {
                    libc::free(*slot);
                    *slot = libc::malloc(n);
                }
            }
        });
        for p in live {
            // SAFETY: remaining live blocks.
            unsafe { libc::free(p) };
        }
    });
    g.finish();
}

fn objects(c: &mut Criterion) {
    let mut g = c.benchmark_group("object_create_drop");
    g.throughput(Throughput::Elements(1));
    g.bench_function("PyFloat (free list)", |b| {
        b.iter(|| drop(black_box(PyFloat::new(black_box(1.5)))))
    });
    g.bench_function("Box<f64>", |b| {
        b.iter(|| drop(black_box(Box::new(black_box(1.5f64)))))
    });
    // One int kept alive so its pool stays used, as in any running interpreter; without
    // it every drop empties the pool and the next allocation re-initialises it.
    let ballast = PyInt::from_i64(123_456_789);
    g.bench_function("PyInt 1_000_000 (pymalloc)", |b| {
        b.iter(|| drop(black_box(PyInt::from_i64(black_box(1_000_000)))))
    });
    drop(ballast);
    g.bench_function("PyInt, its pool emptied every time", |b| {
        b.iter(|| drop(black_box(PyInt::from_i64(black_box(1_000_000)))))
    });
    g.bench_function("Box<[u64; 4]>", |b| {
        b.iter(|| drop(black_box(Box::new(black_box([1u64; 4])))))
    });
    g.finish();
}

/// Speed target: allocate 10,000 blocks of one size, then free them all (in allocation
/// order), pymalloc against the system allocator (glibc through `std::alloc::System`).
fn target_batch(c: &mut Criterion) {
    use std::alloc::{GlobalAlloc, Layout, System};
    const N: usize = 10_000;
    let mut g = c.benchmark_group("target_batch_10k");
    g.throughput(Throughput::Elements(N as u64));
    for size in [32usize, 64, 128, 256] {
        g.bench_with_input(BenchmarkId::new("pymalloc", size), &size, |b, &n| {
            let mut pm = Pymalloc::new();
            let mut ptrs = Vec::with_capacity(N);
            b.iter(|| {
                for _ in 0..N {
                    ptrs.push(pm.malloc(black_box(n)));
                }
                for p in ptrs.drain(..) {
                    // SAFETY: each pointer came from pm and is freed once.
                    unsafe { pm.free(p) };
                }
            })
        });
        g.bench_with_input(BenchmarkId::new("System", size), &size, |b, &n| {
            let layout = Layout::from_size_align(n, 16).unwrap();
            let mut ptrs = Vec::with_capacity(N);
            b.iter(|| {
                for _ in 0..N {
                    // SAFETY: a non-zero size.
                    ptrs.push(unsafe { System.alloc(black_box(layout)) });
                }
                for p in ptrs.drain(..) {
                    // SAFETY: each pointer came from System.alloc with this layout.
                    unsafe { System.dealloc(p, layout) };
                }
            })
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = config();
    targets = alloc_free_pairs, batch_alloc_then_free, mixed_sizes, objects, target_batch
}
criterion_main!(benches);
