//! CPython 3.8 on 64-bit Linux, default build: 3.9's profile ([`Py39`]) with the list growth
//! before bpo-38373. Its objects are not built yet: `pylayout verify --python 3.8` checks
//! these facts against the interpreter.

use super::{CharSet, Profile, Py39, RefcountModel, StrHash};

/// CPython 3.8.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Py38;

impl Profile for Py38 {
    const VERSION: (u8, u8) = (3, 8);

    // The rest as in 3.9 (measured the same on 3.8.18: the start-up strings too).
    const REFCOUNT: RefcountModel = Py39::REFCOUNT;
    const STATIC_REFCNT: isize = Py39::STATIC_REFCNT;
    const INT_ZERO_HAS_DIGIT: bool = Py39::INT_ZERO_HAS_DIGIT;
    const TUPLE_NFREELISTS: usize = Py39::TUPLE_NFREELISTS;
    const DICT_KEYS_HEADER: usize = Py39::DICT_KEYS_HEADER;
    const DICT_UNICODE_ENTRY: Option<usize> = Py39::DICT_UNICODE_ENTRY;
    const STR_ASCII_HEADER: usize = Py39::STR_ASCII_HEADER;
    const STR_COMPACT_HEADER: usize = Py39::STR_COMPACT_HEADER;
    const STR_HASH: StrHash = Py39::STR_HASH;
    const DEEP_FROZEN_CHARS: &'static [u8] = Py39::DEEP_FROZEN_CHARS;
    const STARTUP_HASHED_CHARS: CharSet = Py39::STARTUP_HASHED_CHARS;
    const STARTUP_INTERNED_CHARS: CharSet = Py39::STARTUP_INTERNED_CHARS;
    const INTERNED_STATIC: u32 = Py39::INTERNED_STATIC;
    const INTERNED_DYNAMIC: u32 = Py39::INTERNED_DYNAMIC;
    const ARENA_BITS: u32 = Py39::ARENA_BITS;
    const POOL_BITS: u32 = Py39::POOL_BITS;

    // Objects/listobject.c before bpo-38373: grow by an eighth plus 3 (under 9 items) or 6,
    // no rounding; shrink when less than half the array is used.
    fn list_resize(_size: usize, allocated: usize, newsize: usize) -> Option<usize> {
        if allocated >= newsize && newsize >= (allocated >> 1) {
            return None;
        }
        if newsize == 0 {
            return Some(0);
        }
        Some(newsize + (newsize >> 3) + if newsize < 9 { 3 } else { 6 })
    }
}
