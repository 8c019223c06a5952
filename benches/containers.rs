//! The containers beside their Rust peers: list vs `Vec`/`VecDeque`/`LinkedList`/a
//! bumpalo-backed `Vec`, dict vs `IndexMap`/hashbrown, and the price of the cost counters.
//! Run: `cargo bench --bench containers`. Numbers: `benches/README.md`.

use std::collections::{LinkedList, VecDeque};
use std::hash::{BuildHasher, Hash, Hasher};
use std::hint::black_box;
use std::time::{Duration, Instant};

use bumpalo::Bump;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
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

// ---------------------------------------------------------------------------------------
// Speed targets (benches/README.md, "Speed targets"): each group holds ours and the peer.

/// Append `n` items to an empty list, then drop it: `PyList::append` of an `Obj` clone (a
/// reference-count increment; the drop decrements them again) against `Vec<usize>::push`.
fn target_append(c: &mut Criterion) {
    let mut g = c.benchmark_group("target_append");
    let item = PyInt::from_i64(7).into_obj();
    for n in [1000usize, 10_000] {
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("PyList", n), &n, |b, &n| {
            b.iter(|| {
                let l = PyList::new();
                for _ in 0..n {
                    l.append(item.clone());
                }
                black_box(l)
            })
        });
        g.bench_with_input(BenchmarkId::new("Vec<usize>", n), &n, |b, &n| {
            b.iter(|| {
                let mut v = Vec::new();
                for i in 0..n {
                    v.push(black_box(i));
                }
                black_box(v)
            })
        });
    }
    g.finish();
}

/// Operations per timed batch in the middle insert/delete groups: the list drifts between
/// `n` and `n + K` items, the same on both sides.
const K: usize = 64;

/// Time `K` calls of `timed` (inside) per untimed `undo`, for `iters` calls in all.
fn batched(iters: u64, mut timed: impl FnMut(), mut undo: impl FnMut()) -> Duration {
    let mut total = Duration::ZERO;
    let mut done = 0u64;
    while done < iters {
        let k = (iters - done).min(K as u64);
        let t = Instant::now();
        for _ in 0..k {
            timed();
        }
        total += t.elapsed();
        for _ in 0..k {
            undo();
        }
        done += k;
    }
    total
}

/// `l.insert(n // 2, x)` and `del l[n // 2]` on an `n`-item list against `Vec<usize>`'s
/// `insert`/`remove` at the same index.
fn target_middle(c: &mut Criterion) {
    let item = PyInt::from_i64(7).into_obj();
    for (name, insert) in [
        ("target_insert_middle", true),
        ("target_delete_middle", false),
    ] {
        let mut g = c.benchmark_group(name);
        g.throughput(Throughput::Elements(1));
        for n in [1000usize, 10_000] {
            let mid = n / 2;
            g.bench_with_input(BenchmarkId::new("PyList", n), &n, |b, &n| {
                let l = PyList::new();
                for _ in 0..n {
                    l.append(item.clone());
                }
                b.iter_custom(|iters| {
                    let ins = || l.insert(black_box(mid as isize), item.clone());
                    let del = || l.del_item(black_box(mid as isize)).unwrap();
                    if insert {
                        batched(iters, ins, del)
                    } else {
                        batched(iters, del, ins)
                    }
                })
            });
            g.bench_with_input(BenchmarkId::new("Vec<usize>", n), &n, |b, &n| {
                let mut v: Vec<usize> = (0..n).collect();
                let v = std::cell::RefCell::new(&mut v);
                b.iter_custom(|iters| {
                    let ins = || v.borrow_mut().insert(black_box(mid), black_box(7));
                    let del = || {
                        black_box(v.borrow_mut().remove(black_box(mid)));
                    };
                    if insert {
                        batched(iters, ins, del)
                    } else {
                        batched(iters, del, ins)
                    }
                })
            });
        }
        g.finish();
    }
}

/// The peer's key: CPython's hash, precomputed, beside the key itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Hashed<K> {
    hash: u64,
    key: K,
}

impl<K> Hash for Hashed<K> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        h.write_u64(self.hash);
    }
}

/// A hasher that passes the precomputed hash through.
#[derive(Clone, Copy, Debug, Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, _: &[u8]) {
        unreachable!("only write_u64 is used")
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

#[derive(Clone, Copy, Debug, Default)]
struct BuildPassThrough;

impl BuildHasher for BuildPassThrough {
    type Hasher = PassThrough;
    fn build_hasher(&self) -> PassThrough {
        PassThrough(0)
    }
}

type PeerMap<K> = IndexMap<Hashed<K>, u64, BuildPassThrough>;

/// `n` int keys spread over 0..2**61-1 (a CPython int hashes to itself there), `n` more
/// that are not in the dict; or `n` + `n` str keys (`"key0"`...), hashes cached.
struct Keys {
    ours: Vec<pylayout::object::Obj>,
    ours_miss: Vec<pylayout::object::Obj>,
    ints: Vec<Hashed<i64>>,
    ints_miss: Vec<Hashed<i64>>,
    strs: Vec<Hashed<&'static str>>,
    strs_miss: Vec<Hashed<&'static str>>,
}

fn keys(n: usize, str_keys: bool) -> Keys {
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % ((1 << 61) - 1)) as i64
    };
    let ivals: Vec<i64> = (0..2 * n).map(|_| next()).collect();
    let svals: Vec<&'static str> = (0..2 * n)
        .map(|i| &*Box::leak(format!("key{i}").into_boxed_str()))
        .collect();
    let ours: Vec<pylayout::object::Obj> = if str_keys {
        svals
            .iter()
            .map(|s| {
                let k = PyStr::new(s);
                k.hash(); // cached, as for any str used as a key before
                k.into_obj()
            })
            .collect()
    } else {
        ivals
            .iter()
            .map(|&v| PyInt::from_i64(v).into_obj())
            .collect()
    };
    let hash_of = |o: &pylayout::object::Obj| pylayout::types::ops::hash(o).unwrap() as u64;
    let ints: Vec<Hashed<i64>> = ivals
        .iter()
        .map(|&v| Hashed {
            hash: hash_of(&PyInt::from_i64(v).into_obj()),
            key: v,
        })
        .collect();
    let strs: Vec<Hashed<&'static str>> = svals
        .iter()
        .zip(&ours)
        .map(|(&s, o)| Hashed {
            hash: if str_keys { hash_of(o) } else { 0 },
            key: s,
        })
        .collect();
    let (ours, ours_miss) = (ours[..n].to_vec(), ours[n..].to_vec());
    Keys {
        ours,
        ours_miss,
        ints: ints[..n].to_vec(),
        ints_miss: ints[n..].to_vec(),
        strs: strs[..n].to_vec(),
        strs_miss: strs[n..].to_vec(),
    }
}

fn peer_map<K: Copy + Eq>(keys: &[Hashed<K>]) -> PeerMap<K> {
    let mut m = PeerMap::with_hasher(BuildPassThrough);
    for &k in keys {
        m.insert(k, 1);
    }
    m
}

fn peer_insert<K: Copy + Eq>(b: &mut criterion::Bencher, keys: &[Hashed<K>]) {
    b.iter(|| black_box(peer_map(keys)))
}

fn peer_lookup<K: Copy + Eq>(b: &mut criterion::Bencher, keys: &[Hashed<K>], probe: &[Hashed<K>]) {
    let m = peer_map(keys);
    b.iter(|| {
        let mut found = 0u64;
        for k in probe {
            found += m.contains_key(k) as u64;
        }
        black_box(found)
    })
}

/// Insert `n` keys into an empty dict (then drop it); look `n` present keys up (hit), and `n`
/// absent ones (miss). Ours: `PyDict` with int or str objects as keys; peer: `IndexMap` keyed
/// by CPython's hash plus the key, through a pass-through hasher.
fn target_dict(c: &mut Criterion) {
    let value = pylayout::types::none::none();
    for (kind, str_keys) in [("int", false), ("str", true)] {
        for n in [1000usize] {
            let k = keys(n, str_keys);
            let ours_dict = || {
                let d = PyDict::new();
                for key in &k.ours {
                    d.set_item(key.clone(), value.clone()).unwrap();
                }
                d
            };
            let mut g = c.benchmark_group(format!("target_dict_{kind}"));
            g.throughput(Throughput::Elements(n as u64));
            g.bench_with_input(BenchmarkId::new("PyDict insert", n), &n, |b, _| {
                b.iter(|| black_box(ours_dict()))
            });
            g.bench_with_input(BenchmarkId::new("IndexMap insert", n), &n, |b, _| {
                if str_keys {
                    peer_insert(b, &k.strs)
                } else {
                    peer_insert(b, &k.ints)
                }
            });
            for (what, probe) in [("hit", &k.ours), ("miss", &k.ours_miss)] {
                let d = ours_dict();
                g.bench_with_input(BenchmarkId::new(format!("PyDict {what}"), n), &n, |b, _| {
                    b.iter(|| {
                        let mut found = 0u64;
                        for key in probe {
                            found += d.contains(key).unwrap() as u64;
                        }
                        black_box(found)
                    })
                });
                let miss = what == "miss";
                g.bench_with_input(
                    BenchmarkId::new(format!("IndexMap {what}"), n),
                    &n,
                    |b, _| match (str_keys, miss) {
                        (false, false) => peer_lookup(b, &k.ints, &k.ints),
                        (false, true) => peer_lookup(b, &k.ints, &k.ints_miss),
                        (true, false) => peer_lookup(b, &k.strs, &k.strs),
                        (true, true) => peer_lookup(b, &k.strs, &k.strs_miss),
                    },
                );
            }
            g.finish();
        }
    }
}

criterion_group! {
    name = benches;
    config = config();
    targets = append, insert_front, dict_insert, cost_counters, target_append, target_middle,
        target_dict
}
criterion_main!(benches);
