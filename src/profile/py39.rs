//! CPython 3.9 on 64-bit Linux, default build: 3.10's profile ([`Py310`]) with 4 KiB pools
//! and 256 KiB arenas. Its objects are not built yet: `pylayout verify --python 3.9` checks
//! these facts against the interpreter.

use super::{CharSet, Profile, Py310, RefcountModel, StrHash};

/// CPython 3.9.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Py39;

impl Profile for Py39 {
    const VERSION: (u8, u8) = (3, 9);

    // Objects/obmalloc.c: 256 KiB arenas of 4 KiB pools (the system page), no radix tree
    // (3.10 made them 1 MiB and 16 KiB, bpo-37448).
    const ARENA_BITS: u32 = 18;
    const POOL_BITS: u32 = 12;

    // The rest as in 3.10 (measured the same on 3.9.18: the start-up strings too).
    const REFCOUNT: RefcountModel = Py310::REFCOUNT;
    const STATIC_REFCNT: isize = Py310::STATIC_REFCNT;
    const INT_ZERO_HAS_DIGIT: bool = Py310::INT_ZERO_HAS_DIGIT;
    const TUPLE_NFREELISTS: usize = Py310::TUPLE_NFREELISTS;
    const DICT_KEYS_HEADER: usize = Py310::DICT_KEYS_HEADER;
    const DICT_UNICODE_ENTRY: Option<usize> = Py310::DICT_UNICODE_ENTRY;
    const STR_ASCII_HEADER: usize = Py310::STR_ASCII_HEADER;
    const STR_COMPACT_HEADER: usize = Py310::STR_COMPACT_HEADER;
    const STR_HASH: StrHash = Py310::STR_HASH;
    const DEEP_FROZEN_CHARS: &'static [u8] = Py310::DEEP_FROZEN_CHARS;
    const STARTUP_HASHED_CHARS: CharSet = Py310::STARTUP_HASHED_CHARS;
    const STARTUP_INTERNED_CHARS: CharSet = Py310::STARTUP_INTERNED_CHARS;
    const INTERNED_STATIC: u32 = Py310::INTERNED_STATIC;
    const INTERNED_DYNAMIC: u32 = Py310::INTERNED_DYNAMIC;
}
