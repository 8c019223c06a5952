//! What pymalloc says about itself: the numbers `sys._debugmallocstats()` prints
//! (`_PyObject_DebugMallocStats`), `sys.getallocatedblocks()`, pool-by-pool snapshots for pool
//! maps, and [`check_invariants`](Pymalloc::check_invariants), which walks every list.
//!
//! Safe code: pool headers are read through the walks in [`pymalloc`](super) (`carved_pool`,
//! `for_each_carved_pool`, `free_pools`, `used_pools`, `free_blocks`).
#![deny(unsafe_code)]

use super::{NONE, POOL_SIZE_MASK, PoolHeader, Pymalloc};
use crate::alloc::stats::{ArenaSnapshot, ClassStats, MallocStats, PoolSnapshot, PoolState};
use crate::alloc::{
    ARENA_SIZE, NB_SMALL_SIZE_CLASSES, POOL_OVERHEAD, POOL_SIZE, SMALL_REQUEST_THRESHOLD,
    blocks_per_pool, index_to_size, quantization_per_pool,
};

impl Pymalloc {
    /// Blocks currently allocated, pools and system (`sys.getallocatedblocks()`,
    /// `_Py_GetAllocatedBlocks`).
    pub fn allocated_blocks(&self) -> usize {
        let mut n = self.raw_allocated_blocks;
        self.for_each_carved_pool(|_, _, pool| n += pool.count as usize);
        n
    }

    /// Everything `sys._debugmallocstats()` prints about pymalloc
    /// (`_PyObject_DebugMallocStats`).
    pub fn stats(&self) -> MallocStats {
        let mut classes: Vec<ClassStats> = (0..NB_SMALL_SIZE_CLASSES)
            .map(|i| ClassStats {
                index: i,
                size: index_to_size(i),
                blocks_per_pool: blocks_per_pool(i),
                pools: 0,
                blocks_in_use: 0,
                avail_blocks: 0,
            })
            .collect();
        let mut narenas = 0;
        let mut numfreepools = 0;
        let mut arena_alignment = 0;
        for ao in self.arenas.iter().filter(|a| a.address != 0) {
            narenas += 1;
            numfreepools += ao.nfreepools as usize;
            if ao.address & POOL_SIZE_MASK != 0 {
                arena_alignment += POOL_SIZE;
            }
        }
        self.for_each_carved_pool(|_, _, pool| {
            if pool.count == 0 {
                return;
            }
            let c = &mut classes[pool.szidx as usize];
            c.pools += 1;
            c.blocks_in_use += pool.count as usize;
            c.avail_blocks += c.blocks_per_pool - pool.count as usize;
        });
        debug_assert_eq!(narenas, self.narenas_currently_allocated);
        let mut allocated = 0;
        let mut available = 0;
        let mut headers = 0;
        let mut quantization = 0;
        for c in &classes {
            allocated += c.blocks_in_use * c.size;
            available += c.avail_blocks * c.size;
            headers += c.pools * POOL_OVERHEAD;
            quantization += c.pools * quantization_per_pool(c.index);
        }
        let unused_bytes = numfreepools * POOL_SIZE;
        let total = allocated + available + unused_bytes + headers + quantization + arena_alignment;
        debug_assert_eq!(total, narenas * ARENA_SIZE, "pymalloc accounting is off");
        let (root, mid, bot) = self.arena_map.bytes();
        MallocStats {
            small_request_threshold: SMALL_REQUEST_THRESHOLD,
            alignment: crate::alloc::ALIGNMENT,
            pool_size: POOL_SIZE,
            pool_header_size: POOL_OVERHEAD,
            arena_size: ARENA_SIZE,
            size_classes: classes,
            arenas_allocated_total: self.ntimes_arena_allocated,
            arenas_reclaimed: self.ntimes_arena_allocated - narenas,
            arenas_highwater_mark: self.narenas_highwater,
            arenas_allocated_current: narenas,
            arena_bytes: narenas * ARENA_SIZE,
            bytes_in_allocated_blocks: allocated,
            bytes_in_available_blocks: available,
            unused_pools: numfreepools,
            bytes_in_unused_pools: unused_bytes,
            bytes_lost_to_pool_headers: headers,
            bytes_lost_to_quantization: quantization,
            bytes_lost_to_arena_alignment: arena_alignment,
            total,
            arena_map_mid_nodes: self.arena_map.mid_count(),
            arena_map_bot_nodes: self.arena_map.bot_count(),
            bytes_lost_to_arena_map_root: root,
            bytes_lost_to_arena_map_mid: mid,
            bytes_lost_to_arena_map_bot: bot,
            arena_map_total: root + mid + bot,
            raw_allocated_blocks: self.raw_allocated_blocks,
        }
    }

    /// Every live arena with every pool and its state, for pool maps.
    pub fn snapshot(&self) -> Vec<ArenaSnapshot> {
        let mut out = Vec::new();
        for (index, ao) in self.arenas.iter().enumerate() {
            if ao.address == 0 {
                continue;
            }
            let first = ao.first_pool();
            let pools = (0..ao.ntotalpools as usize)
                .map(|k| {
                    let address = first + k * POOL_SIZE;
                    if address >= ao.pool_address {
                        return PoolSnapshot {
                            address,
                            state: PoolState::Untouched,
                            size_class: None,
                            blocks_in_use: 0,
                            blocks_total: 0,
                        };
                    }
                    let Some(pool) = self.carved_pool(ao, address) else {
                        unreachable!("{address:#x} is below pool_address of a live arena");
                    };
                    let class = pool.szidx as usize;
                    if pool.count == 0 {
                        return PoolSnapshot {
                            address,
                            state: PoolState::Empty,
                            size_class: None,
                            blocks_in_use: 0,
                            blocks_total: 0,
                        };
                    }
                    let total = blocks_per_pool(class);
                    PoolSnapshot {
                        address,
                        state: if pool.count as usize == total {
                            PoolState::Full
                        } else {
                            PoolState::Used
                        },
                        size_class: Some(class),
                        blocks_in_use: pool.count as usize,
                        blocks_total: total,
                    }
                })
                .collect();
            out.push(ArenaSnapshot {
                index,
                address: ao.address,
                pool_aligned: ao.address & POOL_SIZE_MASK == 0,
                nfreepools: ao.nfreepools as usize,
                ntotalpools: ao.ntotalpools as usize,
                pools,
            });
        }
        out
    }

    /// Checks every structural invariant (expensive: walks every list and free list).
    /// Used by tests; returns the first violation found.
    pub fn check_invariants(&self) -> Result<(), String> {
        // usable_arenas: well linked, ascending nfreepools, fingers right.
        let mut order = Vec::new();
        let mut prev = NONE;
        let mut cur = self.usable_arenas;
        while cur != NONE {
            let ao = &self.arenas[cur as usize];
            if ao.address == 0 {
                return Err(format!("usable arena {cur} has no address"));
            }
            if ao.prevarena != prev {
                return Err(format!("arena {cur}: prevarena {} != {prev}", ao.prevarena));
            }
            if ao.nfreepools == 0 {
                return Err(format!("arena {cur} is usable with no free pool"));
            }
            if let Some(&last) = order.last() {
                let lastn = self.arenas[last as usize].nfreepools;
                if lastn > ao.nfreepools {
                    return Err(format!(
                        "usable_arenas not sorted: {lastn} before {}",
                        ao.nfreepools
                    ));
                }
            }
            order.push(cur);
            if order.len() > self.arenas.len() {
                return Err("usable_arenas has a cycle".into());
            }
            prev = cur;
            cur = ao.nextarena;
        }
        for (n, &finger) in self.nfp2lasta.iter().enumerate() {
            let expect = order
                .iter()
                .rev()
                .find(|&&a| self.arenas[a as usize].nfreepools as usize == n)
                .copied()
                .unwrap_or(NONE);
            if finger != expect {
                return Err(format!("nfp2lasta[{n}] = {finger}, expected {expect}"));
            }
        }
        // Every live arena with free pools is usable; free-pool counts add up.
        for (i, ao) in self.arenas.iter().enumerate() {
            if ao.address == 0 {
                continue;
            }
            let in_list = order.contains(&(i as u32));
            if (ao.nfreepools > 0) != in_list {
                return Err(format!(
                    "arena {i}: nfreepools {} but in list {in_list}",
                    ao.nfreepools
                ));
            }
            let mut nfree = (ao.first_pool() + ao.ntotalpools as usize * POOL_SIZE
                - ao.pool_address)
                / POOL_SIZE;
            // One more than can be there, so a cycle shows as a wrong count.
            for pool in self.free_pools(ao, ao.ntotalpools as usize + 1) {
                if pool.count != 0 {
                    let p = pool as *const PoolHeader;
                    return Err(format!("pool {p:p} on freepools has count {}", pool.count));
                }
                nfree += 1;
            }
            if nfree != ao.nfreepools as usize {
                return Err(format!(
                    "arena {i}: nfreepools {} but counted {nfree}",
                    ao.nfreepools
                ));
            }
        }
        // Used lists: well linked, hold exactly the partially used pools.
        let mut linked = std::collections::HashSet::new();
        for class in 0..NB_SMALL_SIZE_CLASSES {
            let head = self.sentinel(class).cast_const();
            let mut prev = head;
            for (p, pool) in self.used_pools(class) {
                let Some(pool) = pool else {
                    break; // back at the sentinel
                };
                if pool.prevpool.cast_const() != prev {
                    return Err(format!("class {class}: bad prevpool at {p:p}"));
                }
                if pool.szidx as usize != class {
                    return Err(format!(
                        "pool {p:p} of class {} in list {class}",
                        pool.szidx
                    ));
                }
                if pool.count == 0 || pool.freeblock.is_null() {
                    return Err(format!("pool {p:p} in used list is empty or full"));
                }
                if !linked.insert(p as usize) || linked.len() > 1 << 30 {
                    return Err(format!("pool {p:p} linked twice"));
                }
                prev = p;
            }
        }
        // Every carved pool: free list length matches, state matches list membership.
        let mut err = None;
        self.for_each_carved_pool(|_, _, pool| {
            if err.is_some() || pool.count == 0 {
                return;
            }
            let addr = pool as *const PoolHeader as usize;
            let size = index_to_size(pool.szidx as usize);
            let carved = (pool.nextoffset as usize - POOL_OVERHEAD) / size;
            let free = Self::free_blocks(pool, blocks_per_pool(pool.szidx as usize) + 1).count();
            if free > blocks_per_pool(pool.szidx as usize) {
                err = Some(format!("pool {addr:#x}: free list too long or cyclic"));
                return;
            }
            let virgin = blocks_per_pool(pool.szidx as usize)
                - carved.min(blocks_per_pool(pool.szidx as usize));
            if free + pool.count as usize + virgin != blocks_per_pool(pool.szidx as usize) {
                err = Some(format!(
                    "pool {addr:#x}: count {} + free {free} + virgin {virgin} != {}",
                    pool.count,
                    blocks_per_pool(pool.szidx as usize)
                ));
                return;
            }
            let full = pool.count as usize == blocks_per_pool(pool.szidx as usize);
            if full == linked.contains(&addr) {
                err = Some(format!("pool {addr:#x}: full={full} but linked={}", !full));
            }
        });
        if let Some(e) = err {
            return Err(e);
        }
        if self.stats().total != self.narenas_currently_allocated * ARENA_SIZE {
            return Err("byte accounting does not add up".into());
        }
        Ok(())
    }
}
