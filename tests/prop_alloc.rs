//! Property tests: random malloc / realloc / free programs against a model.
//!
//! The model is the list of live blocks with their requested sizes and a fill byte. After
//! every step: no two live blocks overlap, every block still holds its bytes (across
//! reallocs, up to the smaller size), and the allocator's own invariants hold
//! (`check_invariants`: pool lists, free-block lists, the sorted `usable_arenas` list,
//! `nfp2lasta`, counters). At the end everything is freed: zero blocks in use, and every
//! arena but (at most) one given back — CPython 3.9+ keeps the last wholly free arena
//! (`nf == ntotalpools && ao->nextarena != NULL` in `insert_to_freepool`) to avoid
//! thrashing; dropping the allocator returns that one too.
#![allow(unsafe_code)]

use proptest::prelude::*;
use pylayout::alloc::Pymalloc;

/// CPython 3.11's `SMALL_REQUEST_THRESHOLD` (Objects/obmalloc.c), written here so the model
/// does not take the code under test's own constant.
const SMALL_REQUEST_THRESHOLD: usize = 512;

#[derive(Clone, Debug)]
enum Op {
    Alloc(usize),
    /// Many blocks of one size at once: pushes the program across pools and arenas.
    AllocMany(usize, usize),
    Free(usize),
    /// Free every k-th live block: leaves pools partly used, arenas partly free.
    FreeEvery(usize),
    Realloc(usize, usize),
}

fn size() -> impl Strategy<Value = usize> {
    prop_oneof![
        8 => 0..=SMALL_REQUEST_THRESHOLD,
        1 => (SMALL_REQUEST_THRESHOLD - 16)..=(SMALL_REQUEST_THRESHOLD + 16),
        1 => 513usize..=4096,
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => size().prop_map(Op::Alloc),
        1 => (1usize..=SMALL_REQUEST_THRESHOLD, 200usize..=2500).prop_map(|(s, n)| Op::AllocMany(s, n)),
        4 => any::<usize>().prop_map(Op::Free),
        1 => (2usize..=5).prop_map(Op::FreeEvery),
        4 => (any::<usize>(), size()).prop_map(|(i, s)| Op::Realloc(i, s)),
    ]
}

struct Live {
    p: *mut u8,
    size: usize,
    fill: u8,
    /// Where CPython would have put it: a pool, or the system allocator. `malloc` sends 1..=512
    /// to a pool (0 goes to the system: `pymalloc_alloc` refuses it); `realloc` keeps a system
    /// block in the system (`PyMem_RawRealloc`) and moves a pool block to the system when
    /// the new size is 0 or above 512.
    pooled: bool,
}

fn pool_size(size: usize) -> bool {
    (1..=SMALL_REQUEST_THRESHOLD).contains(&size)
}

fn fill(b: &Live) {
    // SAFETY: `p` is a live block of at least `size` bytes (malloc/realloc contract).
    unsafe { std::ptr::write_bytes(b.p, b.fill, b.size) };
}

fn holds(b: &Live, n: usize) -> bool {
    // SAFETY: as in `fill`; `n <= size`.
    let bytes = unsafe { std::slice::from_raw_parts(b.p, n) };
    bytes.iter().all(|&x| x == b.fill)
}

fn check(m: &Pymalloc, live: &[Live]) -> Result<(), TestCaseError> {
    m.check_invariants().map_err(TestCaseError::fail)?;
    let mut spans: Vec<(usize, usize)> = live
        .iter()
        .map(|b| (b.p as usize, b.p as usize + b.size.max(1)))
        .collect();
    spans.sort_unstable();
    for w in spans.windows(2) {
        prop_assert!(w[0].1 <= w[1].0, "live blocks overlap: {:x?}", w);
    }
    for b in live {
        prop_assert!(holds(b, b.size), "block {:p} lost its contents", b.p);
        if b.pooled {
            let info = m.block_info(b.p).expect("small request served by pymalloc");
            prop_assert!(info.block_size >= b.size.max(1));
            prop_assert_eq!(b.p as usize % 16, 0);
        } else {
            prop_assert!(m.block_info(b.p).is_none(), "system block in a pool");
        }
    }
    prop_assert_eq!(m.allocated_blocks(), live.len());
    Ok(())
}

fn run(ops: Vec<Op>) -> Result<(), TestCaseError> {
    let mut m = Pymalloc::new();
    let mut live: Vec<Live> = Vec::new();
    let mut next_fill = 1u8;
    let mut fresh = |m: &mut Pymalloc, size: usize| {
        next_fill = next_fill.wrapping_add(37) | 1;
        let b = Live {
            p: m.malloc(size),
            size,
            fill: next_fill,
            pooled: pool_size(size),
        };
        assert!(!b.p.is_null());
        fill(&b);
        b
    };
    for op in ops {
        match op {
            Op::Alloc(size) => {
                let b = fresh(&mut m, size);
                live.push(b);
            }
            Op::AllocMany(size, n) => {
                for _ in 0..n {
                    let b = fresh(&mut m, size);
                    live.push(b);
                }
            }
            Op::Free(i) if !live.is_empty() => {
                let b = live.swap_remove(i % live.len());
                // SAFETY: `b.p` is live and removed from the model, so freed exactly once.
                unsafe { m.free(b.p) };
            }
            Op::FreeEvery(k) => {
                let mut idx = 0;
                live.retain(|b| {
                    idx += 1;
                    if idx % k == 0 {
                        // SAFETY: live block, dropped from the model by `retain`.
                        unsafe { m.free(b.p) };
                        false
                    } else {
                        true
                    }
                });
            }
            Op::Realloc(i, size) if !live.is_empty() => {
                let i = i % live.len();
                let old = live[i].size;
                // SAFETY: live block; the old pointer is replaced in the model at once.
                let p = unsafe { m.realloc(live[i].p, size) };
                prop_assert!(!p.is_null());
                live[i].p = p;
                live[i].size = size;
                live[i].pooled = live[i].pooled && pool_size(size);
                prop_assert!(
                    holds(&live[i], old.min(size)),
                    "realloc {old} -> {size} lost bytes"
                );
                fill(&live[i]);
            }
            _ => {}
        }
        check(&m, &live)?;
    }
    for b in live.drain(..) {
        // SAFETY: every remaining block is live and freed once.
        unsafe { m.free(b.p) };
    }
    m.check_invariants().map_err(TestCaseError::fail)?;
    let s = m.stats();
    prop_assert_eq!(s.blocks_in_use(), 0);
    prop_assert_eq!(m.allocated_blocks(), 0);
    prop_assert!(
        s.arenas_allocated_current <= 1,
        "{} arenas still mapped",
        s.arenas_allocated_current
    );
    prop_assert_eq!(
        s.arenas_allocated_total - s.arenas_reclaimed,
        s.arenas_allocated_current
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_programs_keep_blocks_apart_and_all_come_back(ops in prop::collection::vec(op(), 1..120)) {
        run(ops)?;
    }
}
