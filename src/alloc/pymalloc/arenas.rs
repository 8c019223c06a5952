//! pymalloc's arenas (`Objects/obmalloc.c`: `new_arena`, and the arena halves of
//! `allocate_from_new_pool` and `insert_to_freepool`): mapping a new arena, and keeping
//! `usable_arenas` — the arenas with a free pool — sorted by ascending `nfreepools`, with the
//! `nfp2lasta[n]` fingers (the last arena with `n` free pools) that make each move O(1).
//!
//! ```text
//!  usable_arenas -> [nfp 1] <-> [nfp 3] <-> [nfp 3] <-> [nfp 40] -> NONE
//!                                             ^ nfp2lasta[3]
//!  unused_arena_objects -> [no mapping] -> [no mapping] -> NONE      (through nextarena)
//! ```
//!
//! Safe code: arena objects are linked by index into `arenas[]`; the pointer work these moves
//! go with (taking a pool, writing its header, unmapping an arena) is the caller's, in
//! [`pools`](super::pools).
#![deny(unsafe_code)]

use std::ptr::null_mut;

use super::{ArenaObject, NONE, POOL_SIZE_MASK, Pymalloc};
use crate::alloc::{ARENA_SIZE, INITIAL_ARENA_OBJECTS, MAX_POOLS_IN_ARENA, POOL_SIZE, system};

impl Pymalloc {
    /// The head of `usable_arenas`, where the next new pool comes from (the arena with the
    /// fewest free pools); a new arena is mapped and linked first when none has a free pool.
    /// `None` when the system is out of memory.
    pub(super) fn usable_arena(&mut self) -> Option<u32> {
        if self.usable_arenas == NONE {
            let a = self.new_arena()?;
            self.usable_arenas = a;
            let ao = &mut self.arenas[a as usize];
            ao.nextarena = NONE;
            ao.prevarena = NONE;
            let nfp = ao.nfreepools as usize;
            debug_assert_eq!(self.nfp2lasta[nfp], NONE);
            self.nfp2lasta[nfp] = a;
        }
        let ua = self.usable_arenas;
        debug_assert!(
            self.arenas[ua as usize].address != 0,
            "usable arena {ua} is unmapped"
        );
        Some(ua)
    }

    /// The head of `usable_arenas` (`ua`, from [`usable_arena`](Self::usable_arena)) gave up one
    /// free pool: fix the fingers and unlink it if it has none left. It had the fewest free
    /// pools already, so it stays first.
    pub(super) fn arena_gave_pool(&mut self, ua: u32) {
        debug_assert_eq!(
            ua, self.usable_arenas,
            "a pool must come from the head arena"
        );
        let uai = ua as usize;
        let nfp = self.arenas[uai].nfreepools as usize;
        debug_assert!(nfp > 0, "arena {ua} in usable_arenas has no free pool");
        // This arena had the smallest nfreepools already; it stays first. Fix the fingers.
        if self.nfp2lasta[nfp] == ua {
            self.nfp2lasta[nfp] = NONE;
        }
        if nfp > 1 {
            debug_assert_eq!(self.nfp2lasta[nfp - 1], NONE);
            self.nfp2lasta[nfp - 1] = ua;
        }
        self.arenas[uai].nfreepools -= 1;
        if self.arenas[uai].nfreepools == 0 {
            // Wholly allocated: unlink it from usable_arenas.
            let next = self.arenas[uai].nextarena;
            debug_assert!(next == NONE || self.arenas[next as usize].prevarena == ua);
            self.usable_arenas = next;
            if next != NONE {
                self.arenas[next as usize].prevarena = NONE;
            }
        }
    }

    /// Arena `a` got a pool back (already pushed on its `freepools`): count it and keep
    /// `usable_arenas` sorted. A wholly free arena that is not the last usable one is
    /// forgotten and its address returned: the caller unmaps it (keeping one avoids
    /// thrashing, bpo-37257).
    #[must_use = "a returned arena must be unmapped"]
    pub(super) fn arena_gained_free_pool(&mut self, a: u32) -> Option<usize> {
        let ai = a as usize;
        let nf_old = self.arenas[ai].nfreepools as usize;
        let lastnf = self.nfp2lasta[nf_old];
        debug_assert!(
            (nf_old == 0 && lastnf == NONE)
                || (nf_old > 0
                    && lastnf != NONE
                    && self.arenas[lastnf as usize].nfreepools as usize == nf_old),
            "nfp2lasta[{nf_old}] = {lastnf} is stale"
        );
        if lastnf == a {
            let p = self.arenas[ai].prevarena;
            self.nfp2lasta[nf_old] =
                if p != NONE && self.arenas[p as usize].nfreepools as usize == nf_old {
                    p
                } else {
                    NONE
                };
        }
        let nf = nf_old + 1;
        self.arenas[ai].nfreepools = nf as u32;

        let (prev, next) = (self.arenas[ai].prevarena, self.arenas[ai].nextarena);
        if nf == self.arenas[ai].ntotalpools as usize && next != NONE {
            // Case 1: wholly free and not the last usable arena: give it back to the system.
            if prev == NONE {
                self.usable_arenas = next;
            } else {
                self.arenas[prev as usize].nextarena = next;
            }
            self.arenas[next as usize].prevarena = prev;
            self.arenas[ai].nextarena = self.unused_arena_objects;
            self.unused_arena_objects = a;
            let address = self.arenas[ai].address;
            self.arena_map.mark(address, false);
            let ao = &mut self.arenas[ai];
            ao.address = 0;
            ao.freepools = null_mut();
            self.narenas_currently_allocated -= 1;
            return Some(address);
        }
        if nf == 1 {
            // Case 2: it was wholly allocated, so in no list: it goes to the head.
            let head = self.usable_arenas;
            self.arenas[ai].nextarena = head;
            self.arenas[ai].prevarena = NONE;
            if head != NONE {
                self.arenas[head as usize].prevarena = a;
            }
            self.usable_arenas = a;
            if self.nfp2lasta[1] == NONE {
                self.nfp2lasta[1] = a;
            }
            return None;
        }
        if self.nfp2lasta[nf] == NONE {
            self.nfp2lasta[nf] = a;
        }
        if a == lastnf {
            // Case 4: it was the rightmost with nf_old, so it is still in order.
            return None;
        }
        // Case 3: slide it right, to just after lastnf.
        debug_assert!(next != NONE);
        if prev != NONE {
            self.arenas[prev as usize].nextarena = next;
        } else {
            self.usable_arenas = next;
        }
        self.arenas[next as usize].prevarena = prev;
        let after = self.arenas[lastnf as usize].nextarena;
        self.arenas[ai].prevarena = lastnf;
        self.arenas[ai].nextarena = after;
        if after != NONE {
            self.arenas[after as usize].prevarena = a;
        }
        self.arenas[lastnf as usize].nextarena = a;
        None
    }

    /// `new_arena`: map one more arena and describe it with an arena object.
    #[cold]
    fn new_arena(&mut self) -> Option<u32> {
        if self.unused_arena_objects == NONE {
            let old = self.arenas.len();
            let numarenas = if old == 0 {
                INITIAL_ARENA_OBJECTS
            } else {
                old.checked_mul(2)?
            };
            if numarenas >= NONE as usize {
                return None;
            }
            // No arena object is referenced by index from outside the vector's own links
            // when we grow (usable_arenas is empty here), just as CPython asserts.
            debug_assert_eq!(self.usable_arenas, NONE);
            self.arenas
                .resize_with(numarenas, ArenaObject::unassociated);
            for i in old..numarenas {
                self.arenas[i].nextarena = if i + 1 < numarenas {
                    (i + 1) as u32
                } else {
                    NONE
                };
            }
            self.unused_arena_objects = old as u32;
        }
        let a = self.unused_arena_objects;
        let ao = &mut self.arenas[a as usize];
        debug_assert_eq!(ao.address, 0);
        let address = system::arena_alloc(ARENA_SIZE);
        if address.is_null() {
            return None;
        }
        self.unused_arena_objects = ao.nextarena;
        let address = address as usize;
        ao.address = address;
        ao.freepools = null_mut();
        ao.pool_address = address;
        ao.nfreepools = MAX_POOLS_IN_ARENA as u32;
        let excess = address & POOL_SIZE_MASK;
        if excess != 0 {
            ao.nfreepools -= 1;
            ao.pool_address += POOL_SIZE - excess;
        }
        ao.ntotalpools = ao.nfreepools;
        self.arena_map.mark(address, true);
        self.narenas_currently_allocated += 1;
        self.ntimes_arena_allocated += 1;
        self.narenas_highwater = self.narenas_highwater.max(self.narenas_currently_allocated);
        Some(a)
    }

    /// The arenas with a free pool, in `usable_arenas` order (indices into `arenas[]`): the
    /// head is where the next new pool is carved from (the arena with the fewest free pools,
    /// so nearly empty arenas can drain). Read-only, for pool maps.
    pub fn usable_arena_order(&self) -> Vec<usize> {
        let mut out = Vec::new();
        let mut cur = self.usable_arenas;
        while cur != NONE && out.len() < self.arenas.len() {
            out.push(cur as usize);
            cur = self.arenas[cur as usize].nextarena;
        }
        out
    }
}
