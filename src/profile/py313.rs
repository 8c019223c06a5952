//! CPython 3.13 on 64-bit Linux, default build (not free-threaded): 3.12's profile
//! ([`Py312`]) with the collector's first threshold at 2,000, every Latin-1 singleton
//! interned at start-up and no deep-frozen one-character strings, and interned strings
//! mortal again.

use super::{ALL_CHARS, CharSet, Profile, Py312, RefcountModel, StrHash};

/// CPython 3.13.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Py313;

impl Profile for Py313 {
    const VERSION: (u8, u8) = (3, 13);

    // Python/gc.c: threshold0 2000 (gh-108362's incremental collector was reverted before
    // 3.13.0; the threshold change stayed).
    const GC_THRESHOLDS: [isize; 3] = [2000, 10, 10];

    // Measured on 3.13.0: every one-character identifier constant is the Latin-1 singleton,
    // and start-up interns (and so hashes) every Latin-1 singleton.
    const DEEP_FROZEN_CHARS: &'static [u8] = b"";
    const STARTUP_HASHED_CHARS: CharSet = ALL_CHARS;
    const STARTUP_INTERNED_CHARS: CharSet = ALL_CHARS;
    // Objects/unicodeobject.c (gh-113601): interned heap strings are mortal again.
    const INTERNED_DYNAMIC: u32 = 1;

    // The rest as in 3.12.
    const REFCOUNT: RefcountModel = Py312::REFCOUNT;
    const STATIC_REFCNT: isize = Py312::STATIC_REFCNT;
    const INT_ZERO_HAS_DIGIT: bool = Py312::INT_ZERO_HAS_DIGIT;
    const TUPLE_NFREELISTS: usize = Py312::TUPLE_NFREELISTS;
    const DICT_KEYS_HEADER: usize = Py312::DICT_KEYS_HEADER;
    const DICT_UNICODE_ENTRY: Option<usize> = Py312::DICT_UNICODE_ENTRY;
    const STR_ASCII_HEADER: usize = Py312::STR_ASCII_HEADER;
    const STR_COMPACT_HEADER: usize = Py312::STR_COMPACT_HEADER;
    const STR_HASH: StrHash = Py312::STR_HASH;
    const INTERNED_STATIC: u32 = Py312::INTERNED_STATIC;
    const ARENA_BITS: u32 = Py312::ARENA_BITS;
    const POOL_BITS: u32 = Py312::POOL_BITS;
}
