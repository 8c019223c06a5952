//! The allocator's state as plain data: everything `sys._debugmallocstats()` prints, plus a
//! pool-by-pool snapshot for maps. Computed by [`Pymalloc::stats`](super::Pymalloc::stats) and
//! [`Pymalloc::snapshot`](super::Pymalloc::snapshot); formatting lives in the CLI.

use serde::Serialize;

/// One row of the per-class table (`class size num pools blocks in use avail blocks`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClassStats {
    /// Size-class index (0..32).
    pub index: usize,
    /// Block size in bytes, `(index + 1) * 16`.
    pub size: usize,
    /// Blocks that fit in one pool of this class (`NUMBLOCKS`).
    pub blocks_per_pool: usize,
    /// Pools currently assigned to this class (used + full; empty pools are not counted).
    pub pools: usize,
    /// Blocks handed out and not yet freed (sum of the pools' `ref.count`).
    pub blocks_in_use: usize,
    /// Free blocks in those pools (free-list blocks + never-carved ones).
    pub avail_blocks: usize,
}

/// Everything `sys._debugmallocstats()` reports about pymalloc (CPython 3.11, 64-bit).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MallocStats {
    /// `SMALL_REQUEST_THRESHOLD` (512).
    pub small_request_threshold: usize,
    /// `ALIGNMENT` (16).
    pub alignment: usize,
    /// `POOL_SIZE` (16384).
    pub pool_size: usize,
    /// `POOL_OVERHEAD`, the pool header (48).
    pub pool_header_size: usize,
    /// `ARENA_SIZE` (1048576).
    pub arena_size: usize,
    /// All 32 classes, including those with no pools (CPython prints only pools > 0).
    pub size_classes: Vec<ClassStats>,
    /// `# arenas allocated total`: arenas ever mapped.
    pub arenas_allocated_total: usize,
    /// `# arenas reclaimed`: total minus current.
    pub arenas_reclaimed: usize,
    /// `# arenas highwater mark`.
    pub arenas_highwater_mark: usize,
    /// `# arenas allocated current`.
    pub arenas_allocated_current: usize,
    /// `N arenas * 1048576 bytes/arena`.
    pub arena_bytes: usize,
    /// `# bytes in allocated blocks`.
    pub bytes_in_allocated_blocks: usize,
    /// `# bytes in available blocks`.
    pub bytes_in_available_blocks: usize,
    /// `N unused pools`: free pools plus pools not yet carved, in live arenas.
    pub unused_pools: usize,
    /// `N unused pools * 16384 bytes`.
    pub bytes_in_unused_pools: usize,
    /// `# bytes lost to pool headers`.
    pub bytes_lost_to_pool_headers: usize,
    /// `# bytes lost to quantization`.
    pub bytes_lost_to_quantization: usize,
    /// `# bytes lost to arena alignment`.
    pub bytes_lost_to_arena_alignment: usize,
    /// `Total`: the six lines above summed; always equals `arena_bytes`.
    pub total: usize,
    /// `# arena map mid nodes`.
    pub arena_map_mid_nodes: usize,
    /// `# arena map bot nodes`.
    pub arena_map_bot_nodes: usize,
    /// `# bytes lost to arena map root`.
    pub bytes_lost_to_arena_map_root: usize,
    /// `# bytes lost to arena map mid`.
    pub bytes_lost_to_arena_map_mid: usize,
    /// `# bytes lost to arena map bot`.
    pub bytes_lost_to_arena_map_bot: usize,
    /// The arena-map `Total`.
    pub arena_map_total: usize,
    /// Blocks currently held from the system allocator (`raw_allocated_blocks`; requests
    /// over 512 bytes). Not printed by CPython's dump, but part of `sys.getallocatedblocks()`.
    pub raw_allocated_blocks: usize,
}

impl MallocStats {
    /// Blocks in use in pools, all classes (`sys.getallocatedblocks()` minus the raw blocks).
    pub fn blocks_in_use(&self) -> usize {
        self.size_classes.iter().map(|c| c.blocks_in_use).sum()
    }

    /// `sys.getallocatedblocks()`: pool blocks in use plus raw (system) blocks.
    pub fn allocated_blocks(&self) -> usize {
        self.blocks_in_use() + self.raw_allocated_blocks
    }

    /// Pools assigned to a size class, all classes.
    pub fn pools_in_use(&self) -> usize {
        self.size_classes.iter().map(|c| c.pools).sum()
    }
}

/// What a pool is doing right now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PoolState {
    /// Some blocks allocated, some free: linked in `usedpools[class]`.
    Used,
    /// Every block allocated: linked nowhere.
    Full,
    /// Carved once, now holding no blocks: on the arena's `freepools` list.
    Empty,
    /// Not carved from the arena yet (above `pool_address`).
    Untouched,
}

/// One pool of an arena.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PoolSnapshot {
    /// Address of the pool header.
    pub address: usize,
    /// State of the pool.
    pub state: PoolState,
    /// Size class the pool serves (`szidx`), for used and full pools.
    pub size_class: Option<usize>,
    /// Blocks allocated (`ref.count`).
    pub blocks_in_use: usize,
    /// Blocks the pool holds in its class (`NUMBLOCKS`), or 0 when it has no class.
    pub blocks_total: usize,
}

/// One live arena and its pools, in address order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ArenaSnapshot {
    /// Index of the arena object in `arenas[]` (what pools store as `arenaindex`).
    pub index: usize,
    /// Address returned by the arena allocator.
    pub address: usize,
    /// Whether that address was pool-aligned (otherwise one pool's worth is lost).
    pub pool_aligned: bool,
    /// Free pools (`nfreepools`): empty + untouched.
    pub nfreepools: usize,
    /// Pools that fit after alignment (`ntotalpools`): 64 or 63.
    pub ntotalpools: usize,
    /// The pools, in address order (`ntotalpools` of them).
    pub pools: Vec<PoolSnapshot>,
}
