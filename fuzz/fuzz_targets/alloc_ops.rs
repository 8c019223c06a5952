//! malloc / calloc / realloc / free of random sizes on pymalloc, against a model of the live
//! blocks: no two live blocks overlap, every block keeps its bytes (across reallocs, up to the
//! smaller size), a small request is served from a pool and a large one by the system, the
//! allocator's own invariants hold after every step, and at the end every block is back and
//! every arena but the one CPython keeps is unmapped. Under AddressSanitizer (with the `asan`
//! feature) a read or write outside a live block is a report too.
#![no_main]
#![allow(unsafe_code)]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use pylayout::alloc::Pymalloc;

/// CPython 3.11's `SMALL_REQUEST_THRESHOLD`, written here rather than taken from the code
/// under test.
const SMALL: usize = 512;

#[derive(Arbitrary, Debug)]
enum Op {
    Malloc(Size),
    Calloc(u8, u8),
    /// Many blocks of one small size: crosses pools and arenas.
    Many(u16, u8),
    Free(u16),
    /// Free every k-th live block (k in 2..=5): pools partly used, arenas partly free.
    FreeEvery(u8),
    Realloc(u16, Size),
    Check,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Size {
    Small(u16),
    Edge(i8),
    Large(u16),
}

impl Size {
    fn bytes(self) -> usize {
        match self {
            Size::Small(n) => n as usize % (SMALL + 1),
            Size::Edge(d) => (SMALL as isize + d as isize % 17) as usize,
            Size::Large(n) => SMALL + 1 + n as usize % 8192,
        }
    }
}

struct Live {
    p: *mut u8,
    size: usize,
    fill: u8,
    pooled: bool,
}

fn pooled(size: usize) -> bool {
    (1..=SMALL).contains(&size)
}

fn fill(b: &Live) {
    // SAFETY: `p` is a live block of at least `size` bytes.
    unsafe { std::ptr::write_bytes(b.p, b.fill, b.size) };
}

fn holds(b: &Live, n: usize) -> bool {
    // SAFETY: as in `fill`; n <= size.
    let bytes = unsafe { std::slice::from_raw_parts(b.p, n) };
    bytes.iter().all(|&x| x == b.fill)
}

fn check(m: &Pymalloc, live: &[Live]) {
    m.check_invariants().unwrap();
    let mut spans: Vec<(usize, usize)> = live
        .iter()
        .map(|b| (b.p as usize, b.p as usize + b.size.max(1)))
        .collect();
    spans.sort_unstable();
    for w in spans.windows(2) {
        assert!(w[0].1 <= w[1].0, "live blocks overlap: {w:x?}");
    }
    for b in live {
        assert!(holds(b, b.size), "block {:p} lost its contents", b.p);
        match m.block_info(b.p) {
            Some(info) => {
                assert!(b.pooled, "a system block in a pool");
                assert!(info.block_size >= b.size.max(1));
                assert_eq!(b.p as usize % 16, 0);
            }
            None => assert!(!b.pooled, "a small request not in a pool"),
        }
    }
    assert_eq!(m.allocated_blocks(), live.len());
}

fuzz_target!(|ops: Vec<Op>| {
    let mut m = Pymalloc::new();
    let mut live: Vec<Live> = Vec::new();
    let mut next_fill = 1u8;
    let mut fresh = |p: *mut u8, size: usize| {
        assert!(!p.is_null());
        next_fill = next_fill.wrapping_add(37) | 1;
        let b = Live {
            p,
            size,
            fill: next_fill,
            pooled: pooled(size),
        };
        fill(&b);
        b
    };
    for op in ops.into_iter().take(2000) {
        match op {
            Op::Malloc(s) => {
                let n = s.bytes();
                live.push(fresh(m.malloc(n), n));
            }
            Op::Calloc(a, b) => {
                let n = a as usize * b as usize;
                let p = m.calloc(a as usize, b as usize);
                // SAFETY: a fresh block of n bytes.
                let zeroed = unsafe { std::slice::from_raw_parts(p, n) };
                assert!(zeroed.iter().all(|&x| x == 0), "calloc gave dirty memory");
                live.push(fresh(p, n));
            }
            Op::Many(n, s) => {
                let size = 1 + s as usize % SMALL;
                for _ in 0..n % 3000 {
                    live.push(fresh(m.malloc(size), size));
                }
            }
            Op::Free(i) if !live.is_empty() => {
                let b = live.swap_remove(i as usize % live.len());
                // SAFETY: live, and removed from the model: freed exactly once.
                unsafe { m.free(b.p) };
            }
            Op::FreeEvery(k) => {
                let k = 2 + k as usize % 4;
                let mut idx = 0;
                live.retain(|b| {
                    idx += 1;
                    if idx % k == 0 {
                        // SAFETY: live, dropped from the model by `retain`.
                        unsafe { m.free(b.p) };
                        false
                    } else {
                        true
                    }
                });
            }
            Op::Realloc(i, s) if !live.is_empty() => {
                let i = i as usize % live.len();
                let (old, size) = (live[i].size, s.bytes());
                // SAFETY: live; the old pointer is replaced in the model at once.
                let p = unsafe { m.realloc(live[i].p, size) };
                assert!(!p.is_null());
                // A system block stays with the system (PyMem_RawRealloc); a pool block moves
                // to the system when it no longer fits a pool.
                live[i].pooled = live[i].pooled && pooled(size);
                live[i].p = p;
                live[i].size = size;
                assert!(
                    holds(&live[i], old.min(size)),
                    "realloc {old} -> {size} lost bytes"
                );
                fill(&live[i]);
            }
            Op::Check => check(&m, &live),
            _ => {}
        }
    }
    check(&m, &live);
    for b in live.drain(..) {
        // SAFETY: every remaining block is live and freed once.
        unsafe { m.free(b.p) };
    }
    m.check_invariants().unwrap();
    let s = m.stats();
    assert_eq!(s.blocks_in_use(), 0);
    assert_eq!(m.allocated_blocks(), 0);
    assert!(
        s.arenas_allocated_current <= 1,
        "{} arenas still mapped",
        s.arenas_allocated_current
    );
});
