//! The pool map: every live arena, every pool in it, what size class it serves and how full
//! it is — the data behind `pylayout pool --map` (text, JSON, SVG).
//!
//! ```text
//!   arena #0  (1 MiB)   pool 0    pool 1    pool 2   ...  pool 63
//!                       class 3   class 3   empty         untouched
//!                       255/255   17/255    0             (never carved)
//!                       full      used
//! ```
//!
//! Pool states are CPython's (`Objects/obmalloc.c`): *used* pools are linked in
//! `usedpools[class]` and serve the next request of their class; *full* pools are linked
//! nowhere until a block is freed; *empty* pools wait on their arena's `freepools` list and
//! may serve any class next; *untouched* pools were never carved from the arena
//! (`pool_address` has not reached them).
//!
//! An arena whose pools are all free is unmapped at once — unless it is the last arena in
//! `usable_arenas` (the list sorted by ascending free pools): 3.9+ keeps that one to avoid
//! mapping and unmapping an arena over and over when a program hovers at a boundary
//! (bpo-37257, `insert_to_freepool`'s `ao->nextarena != NULL`). So at most one wholly free
//! arena is alive, and the map shows it as [`PoolMap::kept_free_arena`].

use serde::Serialize;

use crate::alloc::{ArenaSnapshot, MAX_POOLS_IN_ARENA, PoolState, index_to_size};
use crate::runtime;

/// One pool: its place, its class and how many of its blocks are handed out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PoolCell {
    /// Position in the arena (0 = the first pool-aligned 16 KiB of the arena).
    pub index: usize,
    /// Address of the pool header.
    pub address: usize,
    /// Size class (`szidx`) of a used or full pool; `None` for empty and untouched pools.
    pub size_class: Option<usize>,
    /// Block size of that class in bytes (`(class + 1) * 16`).
    pub block_size: Option<usize>,
    /// Blocks handed out (`ref.count`).
    pub blocks_in_use: usize,
    /// Blocks the pool holds in its class (`NUMBLOCKS`); 0 without a class.
    pub blocks_total: usize,
    /// Used, full, empty or untouched.
    pub state: PoolState,
}

impl PoolCell {
    /// `blocks_in_use / blocks_total`, 0 for a pool without a class.
    pub fn fullness(&self) -> f64 {
        if self.blocks_total == 0 {
            0.0
        } else {
            self.blocks_in_use as f64 / self.blocks_total as f64
        }
    }
}

/// One live arena: a row of the map.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ArenaRow {
    /// Index of the arena object in `arenas[]`.
    pub index: usize,
    /// Address of the mapping.
    pub address: usize,
    /// Whether the mapping was 16 KiB-aligned; if not, one pool's worth is lost (63 pools).
    pub pool_aligned: bool,
    /// Free pools (`nfreepools`): empty + untouched.
    pub nfreepools: usize,
    /// Pools the arena holds (`ntotalpools`): 64, or 63 when unaligned.
    pub ntotalpools: usize,
    /// Every pool is free: the arena CPython keeps instead of unmapping it.
    pub wholly_free: bool,
    /// Position in `usable_arenas` (0 = where the next new pool is carved); `None` when the
    /// arena has no free pool.
    pub usable_rank: Option<usize>,
    /// The pools, in address order.
    pub pools: Vec<PoolCell>,
}

/// Totals of one size class over the whole map.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClassTotal {
    /// Size class index.
    pub size_class: usize,
    /// Block size in bytes.
    pub block_size: usize,
    /// Used + full pools of the class (the `num pools` column of `_debugmallocstats`).
    pub pools: usize,
    /// Full pools among them.
    pub full_pools: usize,
    /// Blocks handed out (`blocks in use`).
    pub blocks_in_use: usize,
    /// Free blocks in those pools (`avail blocks`).
    pub avail_blocks: usize,
}

/// How many pools are in each state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct StateCounts {
    /// Pools with some blocks handed out and some free.
    pub used: usize,
    /// Pools with every block handed out.
    pub full: usize,
    /// Carved pools holding no block.
    pub empty: usize,
    /// Pools never carved.
    pub untouched: usize,
}

/// The whole map.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PoolMap {
    /// Pools an aligned arena holds (`MAX_POOLS_IN_ARENA`, 64): the width of a row.
    pub pools_per_arena: usize,
    /// Live arenas, in `arenas[]` order.
    pub arenas: Vec<ArenaRow>,
    /// Classes with at least one pool, ascending.
    pub classes: Vec<ClassTotal>,
    /// Pools per state, all arenas.
    pub states: StateCounts,
    /// `usable_arenas`, head first: arena indices.
    pub usable_arenas: Vec<usize>,
    /// The wholly free arena CPython keeps (see the module docs), if one is alive.
    pub kept_free_arena: Option<usize>,
}

impl PoolMap {
    /// The map of this thread's runtime right now.
    pub fn current() -> PoolMap {
        let (snapshot, usable) = runtime::with_heap(|h| (h.snapshot(), h.usable_arena_order()));
        PoolMap::from_snapshot(&snapshot, &usable)
    }

    /// The map of an allocator snapshot and its `usable_arenas` order.
    pub fn from_snapshot(snapshot: &[ArenaSnapshot], usable: &[usize]) -> PoolMap {
        let mut classes: Vec<ClassTotal> = Vec::new();
        let mut states = StateCounts::default();
        let mut arenas = Vec::with_capacity(snapshot.len());
        for a in snapshot {
            let pools: Vec<PoolCell> = a
                .pools
                .iter()
                .enumerate()
                .map(|(index, p)| PoolCell {
                    index,
                    address: p.address,
                    size_class: p.size_class,
                    block_size: p.size_class.map(index_to_size),
                    blocks_in_use: p.blocks_in_use,
                    blocks_total: p.blocks_total,
                    state: p.state,
                })
                .collect();
            for p in &pools {
                match p.state {
                    PoolState::Used => states.used += 1,
                    PoolState::Full => states.full += 1,
                    PoolState::Empty => states.empty += 1,
                    PoolState::Untouched => states.untouched += 1,
                }
                let Some(c) = p.size_class else { continue };
                let at = match classes.binary_search_by_key(&c, |t| t.size_class) {
                    Ok(i) => i,
                    Err(i) => {
                        classes.insert(
                            i,
                            ClassTotal {
                                size_class: c,
                                block_size: index_to_size(c),
                                pools: 0,
                                full_pools: 0,
                                blocks_in_use: 0,
                                avail_blocks: 0,
                            },
                        );
                        i
                    }
                };
                let t = &mut classes[at];
                t.pools += 1;
                t.full_pools += usize::from(p.state == PoolState::Full);
                t.blocks_in_use += p.blocks_in_use;
                t.avail_blocks += p.blocks_total - p.blocks_in_use;
            }
            arenas.push(ArenaRow {
                index: a.index,
                address: a.address,
                pool_aligned: a.pool_aligned,
                nfreepools: a.nfreepools,
                ntotalpools: a.ntotalpools,
                wholly_free: a.nfreepools == a.ntotalpools,
                usable_rank: usable.iter().position(|&u| u == a.index),
                pools,
            });
        }
        let kept_free_arena = arenas.iter().find(|a| a.wholly_free).map(|a| a.index);
        PoolMap {
            pools_per_arena: MAX_POOLS_IN_ARENA,
            arenas,
            classes,
            states,
            usable_arenas: usable.to_vec(),
            kept_free_arena,
        }
    }

    /// All pools of all arenas.
    pub fn pool_count(&self) -> usize {
        self.arenas.iter().map(|a| a.pools.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alloc::blocks_per_pool;
    use crate::runtime::RawBlock;

    #[test]
    fn the_map_agrees_with_the_statistics() {
        let blocks: Vec<RawBlock> = (0..3000)
            .map(|i| RawBlock::new(1 + (i * 37) % 512))
            .collect();
        let map = PoolMap::current();
        let stats = runtime::malloc_stats();
        for c in &stats.size_classes {
            let t = map.classes.iter().find(|t| t.size_class == c.index);
            let (pools, used, avail) =
                t.map_or((0, 0, 0), |t| (t.pools, t.blocks_in_use, t.avail_blocks));
            assert_eq!(
                (pools, used, avail),
                (c.pools, c.blocks_in_use, c.avail_blocks),
                "class {}",
                c.index
            );
        }
        assert_eq!(map.arenas.len(), stats.arenas_allocated_current);
        assert_eq!(map.states.empty + map.states.untouched, stats.unused_pools);
        for a in &map.arenas {
            assert_eq!(a.pools.len(), a.ntotalpools);
            for p in &a.pools {
                if let Some(c) = p.size_class {
                    assert_eq!(p.blocks_total, blocks_per_pool(c));
                    assert!(p.blocks_in_use > 0 && p.blocks_in_use <= p.blocks_total);
                }
            }
        }
        drop(blocks);
    }

    #[test]
    fn a_wholly_free_arena_is_kept_and_reported() {
        // Fill more than an arena with 512-byte blocks (31 per pool), then free them all.
        let blocks: Vec<RawBlock> = (0..MAX_POOLS_IN_ARENA * 31 + 40)
            .map(|_| RawBlock::new(512))
            .collect();
        let before = PoolMap::current();
        assert!(
            before
                .classes
                .iter()
                .any(|t| t.size_class == 31 && t.full_pools > 0)
        );
        drop(blocks);
        let after = PoolMap::current();
        assert!(after.classes.iter().all(|t| t.size_class != 31));
        // Other tests on this thread may hold blocks; a wholly free arena, if any, is the
        // last usable one.
        if let Some(k) = after.kept_free_arena {
            assert_eq!(after.usable_arenas.last(), Some(&k));
        }
        assert!(after.arenas.iter().filter(|a| a.wholly_free).count() <= 1);
    }
}
