//! The arena map: CPython 3.10+'s radix tree that answers "did pymalloc allocate this address?"
//! (`arena_map_*` in `Objects/obmalloc.c`, `WITH_PYMALLOC_RADIX_TREE`).
//!
//! `free(p)` gets no size, so pymalloc must decide from the address alone whether `p` lies in
//! one of its arenas. On 64-bit with `IGNORE_BITS = 0` (3.11) an address splits as:
//!
//! ```text
//!  63        49 48        34 33      20 19              0
//! +------------+------------+----------+-----------------+
//! |  top (15)  |  mid (15)  | bot (14) |  offset in an   |
//! |            |            |          |  "ideal" 1 MiB  |
//! +------------+------------+----------+-----------------+
//!   root[2^15] -> mid node[2^15] -> bot node[2^14] of { tail_hi, tail_lo }
//! ```
//!
//! An arena that is not 1 MiB-aligned covers the end of one ideal slot and the start of the
//! next. The slot where it starts records `tail_hi = offset` (addresses at or above it are
//! ours); the next slot records `tail_lo = offset` (addresses below it are ours). A perfectly
//! aligned arena sets `tail_hi = -1`. Nodes are created on demand and never freed, and
//! `sys._debugmallocstats()` reports their count and bytes — as do we.
//!
//! This module is safe code: nodes are boxed slices instead of C's BSS arrays.

use super::ARENA_BITS;

/// Bits of the address that index the root and each mid node (`INTERIOR_BITS`).
pub const MAP_TOP_BITS: u32 = (64 - ARENA_BITS).div_ceil(3);
/// Bits that index a mid node (`MAP_MID_BITS`).
pub const MAP_MID_BITS: u32 = MAP_TOP_BITS;
/// Bits that index a bottom node (`MAP_BOT_BITS`).
pub const MAP_BOT_BITS: u32 = 64 - ARENA_BITS - 2 * MAP_TOP_BITS;

const MAP_TOP_LENGTH: usize = 1 << MAP_TOP_BITS;
const MAP_MID_LENGTH: usize = 1 << MAP_MID_BITS;
const MAP_BOT_LENGTH: usize = 1 << MAP_BOT_BITS;
const MAP_BOT_SHIFT: u32 = ARENA_BITS;
const MAP_MID_SHIFT: u32 = MAP_BOT_BITS + MAP_BOT_SHIFT;
const MAP_TOP_SHIFT: u32 = MAP_MID_BITS + MAP_MID_SHIFT;
const ARENA_SIZE_MASK: usize = (1 << ARENA_BITS) - 1;

// CPython: INTERIOR_BITS = (ADDRESS_BITS - ARENA_BITS + 2) / 3 = (64 - 20 + 2) / 3 = 15.
const _: () = assert!(MAP_TOP_BITS == 15 && MAP_BOT_BITS == 14);

/// One leaf entry (`arena_coverage_t`).
#[derive(Clone, Copy, Debug, Default)]
#[repr(C)]
struct ArenaCoverage {
    tail_hi: i32,
    tail_lo: i32,
}

#[derive(Debug)]
struct BotNode {
    arenas: Box<[ArenaCoverage]>,
}

#[derive(Debug)]
struct MidNode {
    ptrs: Box<[Option<Box<BotNode>>]>,
}

/// Bytes of the root array (`sizeof(arena_map_root)`): 2^15 pointers = 262,144.
pub const ROOT_BYTES: usize = MAP_TOP_LENGTH * size_of::<Option<Box<MidNode>>>();
/// Bytes of one mid node (`sizeof(arena_map_mid_t)`): 262,144.
pub const MID_NODE_BYTES: usize = MAP_MID_LENGTH * size_of::<Option<Box<BotNode>>>();
/// Bytes of one bottom node (`sizeof(arena_map_bot_t)`): 2^14 * 8 = 131,072.
pub const BOT_NODE_BYTES: usize = MAP_BOT_LENGTH * size_of::<ArenaCoverage>();

const _: () = assert!(ROOT_BYTES == 262_144 && MID_NODE_BYTES == 262_144);
const _: () = assert!(BOT_NODE_BYTES == 131_072);

/// The radix tree over arena addresses.
#[derive(Debug)]
pub struct ArenaMap {
    root: Box<[Option<Box<MidNode>>]>,
    mid_count: usize,
    bot_count: usize,
}

fn none_slice<T>(n: usize) -> Box<[Option<T>]> {
    let mut v = Vec::with_capacity(n);
    v.resize_with(n, || None);
    v.into_boxed_slice()
}

#[inline]
fn top_index(p: usize) -> usize {
    (p >> MAP_TOP_SHIFT) & (MAP_TOP_LENGTH - 1)
}
#[inline]
fn mid_index(p: usize) -> usize {
    (p >> MAP_MID_SHIFT) & (MAP_MID_LENGTH - 1)
}
#[inline]
fn bot_index(p: usize) -> usize {
    (p >> MAP_BOT_SHIFT) & (MAP_BOT_LENGTH - 1)
}

impl Default for ArenaMap {
    fn default() -> Self {
        Self::new()
    }
}

impl ArenaMap {
    /// An empty map (only the root array exists).
    pub fn new() -> Self {
        ArenaMap {
            root: none_slice(MAP_TOP_LENGTH),
            mid_count: 0,
            bot_count: 0,
        }
    }

    /// Number of mid nodes ever created (`arena_map_mid_count`).
    pub fn mid_count(&self) -> usize {
        self.mid_count
    }

    /// Number of bottom nodes ever created (`arena_map_bot_count`).
    pub fn bot_count(&self) -> usize {
        self.bot_count
    }

    fn get(&self, p: usize) -> Option<&BotNode> {
        self.root[top_index(p)].as_ref()?.ptrs[mid_index(p)].as_deref()
    }

    fn get_or_create(&mut self, p: usize) -> &mut BotNode {
        let mid = self.root[top_index(p)].get_or_insert_with(|| {
            self.mid_count += 1;
            Box::new(MidNode {
                ptrs: none_slice(MAP_MID_LENGTH),
            })
        });
        mid.ptrs[mid_index(p)].get_or_insert_with(|| {
            self.bot_count += 1;
            Box::new(BotNode {
                arenas: vec![ArenaCoverage::default(); MAP_BOT_LENGTH].into_boxed_slice(),
            })
        })
    }

    /// Record that `[arena_base, arena_base + ARENA_SIZE)` is (or no longer is) an arena
    /// (`arena_map_mark_used`).
    pub fn mark(&mut self, arena_base: usize, used: bool) {
        debug_assert!(arena_base != 0, "arena at address 0");
        let tail = (arena_base & ARENA_SIZE_MASK) as i32;
        let i3 = bot_index(arena_base);
        if tail == 0 {
            self.get_or_create(arena_base).arenas[i3].tail_hi = if used { -1 } else { 0 };
        } else {
            self.get_or_create(arena_base).arenas[i3].tail_hi = if used { tail } else { 0 };
            let next = arena_base
                .checked_add(super::ARENA_SIZE)
                .expect("a misaligned arena cannot end at the top of the address space");
            let i3_next = bot_index(next);
            self.get_or_create(next).arenas[i3_next].tail_lo = if used { tail } else { 0 };
        }
    }

    /// Whether `p` lies inside an arena currently marked used (`arena_map_is_used`).
    #[inline]
    pub fn is_used(&self, p: usize) -> bool {
        let Some(node) = self.get(p) else {
            return false;
        };
        let ArenaCoverage { tail_hi, tail_lo } = node.arenas[bot_index(p)];
        let tail = (p & ARENA_SIZE_MASK) as i32;
        tail < tail_lo || (tail >= tail_hi && tail_hi != 0)
    }

    /// Bytes used by the tree's nodes, as `sys._debugmallocstats()` counts them:
    /// `(root, mid, bot)`.
    pub fn bytes(&self) -> (usize, usize, usize) {
        (
            ROOT_BYTES,
            MID_NODE_BYTES * self.mid_count,
            BOT_NODE_BYTES * self.bot_count,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alloc::ARENA_SIZE;

    #[test]
    fn aligned_arena() {
        let mut m = ArenaMap::new();
        let base = 0x7f00_0000_0000usize; // 1 MiB aligned
        assert!(!m.is_used(base));
        m.mark(base, true);
        assert!(m.is_used(base));
        assert!(m.is_used(base + ARENA_SIZE - 1));
        assert!(!m.is_used(base + ARENA_SIZE));
        assert!(!m.is_used(base - 1));
        assert_eq!((m.mid_count(), m.bot_count()), (1, 1));
        m.mark(base, false);
        assert!(!m.is_used(base));
        assert_eq!(
            (m.mid_count(), m.bot_count()),
            (1, 1),
            "nodes are never freed"
        );
    }

    #[test]
    fn misaligned_arena_spans_two_slots() {
        let mut m = ArenaMap::new();
        let base = 0x7f00_0000_0000usize + 0x3000;
        m.mark(base, true);
        assert!(!m.is_used(base - 1));
        assert!(m.is_used(base));
        assert!(m.is_used(base + ARENA_SIZE / 2));
        assert!(m.is_used(base + ARENA_SIZE - 1));
        assert!(!m.is_used(base + ARENA_SIZE));
        // A neighbouring arena starting exactly where this one ends shares a slot.
        m.mark(base + ARENA_SIZE, true);
        assert!(m.is_used(base + ARENA_SIZE));
        assert!(m.is_used(base + 2 * ARENA_SIZE - 1));
        assert!(!m.is_used(base + 2 * ARENA_SIZE));
        m.mark(base, false);
        assert!(!m.is_used(base));
        assert!(m.is_used(base + ARENA_SIZE), "the neighbour stays marked");
    }

    #[test]
    fn byte_counts_match_cpython() {
        let mut m = ArenaMap::new();
        m.mark(0x5555_0000_3000, true);
        assert_eq!(m.bytes(), (262_144, 262_144, 131_072));
        // A far-away arena needs its own mid and bottom nodes.
        m.mark(0x0004_0000_0010_0000, true);
        assert_eq!(m.bytes(), (262_144, 2 * 262_144, 2 * 131_072));
    }
}
