//! The size-class/block path of pymalloc (`Objects/obmalloc.c`: `pymalloc_alloc`,
//! `pymalloc_pool_extend`, `allocate_from_new_pool`, `pymalloc_free`, `insert_to_usedpool`,
//! `insert_to_freepool`): a block comes off the first used pool of its class, from the pool's
//! LIFO free list or carved at `nextoffset`; a free puts it back and moves the pool between
//! "used", "full" and its arena's free pools.
//!
//! ```text
//!  usedpools[class] (sentinel) <-> pool <-> pool <-> ...   circular, front = next to serve
//!  pool:  [header 48 B][block][block][free]->[free]->NULL ... [virgin blocks at nextoffset]
//! ```
//!
//! Unsafe: every step reads or writes a pool header or a free block's link word through a raw
//! pointer into an arena. The arena bookkeeping these steps trigger (`usable_arenas`, `nfp2lasta`)
//! is index-linked safe code in [`arenas`](super::arenas).
#![allow(unsafe_code)]

use std::ptr::null_mut;

use super::{Block, DUMMY_SIZE_IDX, POOL_SIZE_MASK, PoolHeader, Pymalloc};
use crate::alloc::{ARENA_SIZE, POOL_OVERHEAD, POOL_SIZE, asan, index_to_size, size_class, system};

impl Pymalloc {
    /// `pymalloc_alloc`: the pool fast path; null when the request is not a small one.
    #[inline]
    pub(super) fn pymalloc_alloc(&mut self, nbytes: usize) -> *mut u8 {
        let Some(class) = size_class(nbytes) else {
            return null_mut();
        };
        let head = self.sentinel(class);
        // SAFETY: head is a live sentinel; every pool linked from it is a live, initialised
        // pool of this class with at least one free block (the "used" invariant), so its
        // freeblock is non-null and points to a free block whose first word is the next one.
        unsafe {
            let pool = (*head).nextpool;
            if pool == head {
                return self.allocate_from_new_pool(class);
            }
            (*pool).count += 1;
            let bp = (*pool).freeblock;
            debug_assert!(!bp.is_null(), "used pool {pool:p} has no free block");
            let next = asan::read_link(bp);
            (*pool).freeblock = next;
            if next.is_null() {
                self.pool_extend(pool, class);
            }
            bp
        }
    }

    /// `pymalloc_pool_extend`: the free list ran out; carve the next virgin block, or unlink
    /// the pool from `usedpools` because it is now full.
    ///
    /// # Safety
    /// `pool` is a live, initialised pool of class `class`, linked in its used list.
    #[inline]
    unsafe fn pool_extend(&mut self, pool: *mut PoolHeader, class: usize) {
        // SAFETY: per the contract, pool and its neighbours in the circular list are live.
        unsafe {
            if (*pool).nextoffset <= (*pool).maxnextoffset {
                let fb = pool.cast::<Block>().add((*pool).nextoffset as usize);
                (*pool).freeblock = fb;
                (*pool).nextoffset += index_to_size(class) as u32;
                asan::write_link(fb, null_mut());
                return;
            }
            let next = (*pool).nextpool;
            let prev = (*pool).prevpool;
            (*next).prevpool = prev;
            (*prev).nextpool = next;
        }
    }

    /// `allocate_from_new_pool`: no used pool for this class; take an empty one or carve one.
    #[cold]
    fn allocate_from_new_pool(&mut self, class: usize) -> *mut u8 {
        let Some(ua) = self.usable_arena() else {
            return null_mut();
        };
        let uai = ua as usize;
        let pool: *mut PoolHeader;
        let cached = self.arenas[uai].freepools;
        if !cached.is_null() {
            pool = cached;
            // SAFETY: pools on freepools are live, carved pools of this arena.
            self.arenas[uai].freepools = unsafe { (*pool).nextpool };
        } else {
            let ao = &mut self.arenas[uai];
            debug_assert!(ao.pool_address + POOL_SIZE <= ao.address + ARENA_SIZE);
            pool = ao.pool_address as *mut PoolHeader;
            asan::unpoison(pool.cast(), POOL_OVERHEAD);
            // SAFETY: pool_address + POOL_SIZE lies inside this arena's mapping (checked
            // above), which is readable and writable and not in use.
            unsafe {
                (*pool).arenaindex = ua;
                (*pool).szidx = DUMMY_SIZE_IDX;
            }
            ao.pool_address += POOL_SIZE;
        }
        self.arena_gave_pool(ua);

        let head = self.sentinel(class);
        let size = index_to_size(class);
        // SAFETY: pool is a live pool of this arena, not linked anywhere now; head is the
        // live sentinel of an empty list (we are here because the list is empty).
        unsafe {
            debug_assert_eq!((*head).nextpool, head);
            (*pool).nextpool = head;
            (*pool).prevpool = head;
            (*head).nextpool = pool;
            (*head).prevpool = pool;
            (*pool).count = 1;
            if (*pool).szidx == class as u32 {
                // The pool last served this class: header and free list are ready.
                let bp = (*pool).freeblock;
                debug_assert!(!bp.is_null());
                (*pool).freeblock = asan::read_link(bp);
                if (*pool).freeblock.is_null() {
                    // Cannot happen for classes with >= 2 blocks per pool, but keep the
                    // used-pool invariant (a free block exists) honest.
                    self.pool_extend(pool, class);
                }
                return bp;
            }
            // Initialise: return the first block, free list = the second.
            (*pool).szidx = class as u32;
            let bp = pool.cast::<Block>().add(POOL_OVERHEAD);
            (*pool).nextoffset = (POOL_OVERHEAD + 2 * size) as u32;
            (*pool).maxnextoffset = (POOL_SIZE - size) as u32;
            (*pool).freeblock = bp.add(size);
            asan::write_link((*pool).freeblock, null_mut());
            bp
        }
    }

    /// `pymalloc_free`: put `p` back on its pool's free list; false if `p` is not ours.
    ///
    /// # Safety
    /// As [`free`](Self::free), and `p` is non-null.
    #[inline]
    pub(super) unsafe fn pymalloc_free(&mut self, p: *mut u8) -> bool {
        if !self.owns(p) {
            return false;
        }
        let pool = (p as usize & !POOL_SIZE_MASK) as *mut PoolHeader;
        // SAFETY: p lies in one of our arenas, so `pool` is the header of the carved pool
        // that holds it; p is an allocated block of that pool (contract).
        unsafe {
            debug_assert!((*pool).count > 0, "free of {p:p} in empty pool {pool:p}");
            debug_assert!(
                (p as usize - pool as usize - POOL_OVERHEAD)
                    .is_multiple_of(index_to_size((*pool).szidx as usize)),
                "free of {p:p}: not at a block boundary of its pool"
            );
            let lastfree = (*pool).freeblock;
            asan::poison(p, index_to_size((*pool).szidx as usize));
            asan::write_link(p, lastfree);
            (*pool).freeblock = p;
            (*pool).count -= 1;
            if lastfree.is_null() {
                // The pool was full: link it at the front of its used list.
                self.insert_to_usedpool(pool);
                return true;
            }
            if (*pool).count != 0 {
                return true;
            }
            self.insert_to_freepool(pool);
        }
        true
    }

    /// `insert_to_usedpool`: a full pool got a free block; link it at the front.
    ///
    /// # Safety
    /// `pool` is a live, initialised pool with `count > 0` that is in no list.
    unsafe fn insert_to_usedpool(&mut self, pool: *mut PoolHeader) {
        // SAFETY: per the contract; the sentinel and the pools of its list are live.
        unsafe {
            debug_assert!((*pool).count > 0);
            let head = self.sentinel((*pool).szidx as usize);
            let next = (*head).nextpool;
            let prev = (*next).prevpool;
            (*pool).nextpool = next;
            (*pool).prevpool = prev;
            (*next).prevpool = pool;
            (*prev).nextpool = pool;
        }
    }

    /// `insert_to_freepool`: `pool` just became empty. Move it to its arena's free pools and
    /// keep `usable_arenas` sorted, unmapping the arena if it is wholly free (unless it is the
    /// last one in the list: keeping one avoids thrashing, bpo-37257).
    ///
    /// # Safety
    /// `pool` is a live pool with `count == 0`, linked in its class's used list.
    unsafe fn insert_to_freepool(&mut self, pool: *mut PoolHeader) {
        // SAFETY: per the contract; neighbours in the used list are live.
        let a = unsafe {
            let next = (*pool).nextpool;
            let prev = (*pool).prevpool;
            (*next).prevpool = prev;
            (*prev).nextpool = next;
            (*pool).arenaindex
        };
        let ai = a as usize;
        // SAFETY: pool is live; this writes its freepools link.
        unsafe { (*pool).nextpool = self.arenas[ai].freepools };
        self.arenas[ai].freepools = pool;
        if let Some(address) = self.arena_gained_free_pool(a) {
            // SAFETY: address is the mapping made in new_arena for this arena object, and no
            // block of it is allocated (every pool is free); the arena object has forgotten it.
            unsafe { system::arena_free(address as *mut u8, ARENA_SIZE) };
        }
    }
}
