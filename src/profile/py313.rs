//! CPython 3.13 on 64-bit Linux, default build (not free-threaded). As 3.12, with the
//! collector's first threshold at 2000 and no deep-frozen one-character strings. Its objects
//! are not built yet: `pylayout verify --python 3.13` checks these facts against the
//! interpreter.

use super::{ALL_CHARS, CharSet, Profile, RefcountModel, StrHash};

/// CPython 3.13.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Py313;

impl Profile for Py313 {
    const VERSION: (u8, u8) = (3, 13);

    const ARENA_BITS: u32 = 20;
    const POOL_BITS: u32 = 14;

    const REFCOUNT: RefcountModel = RefcountModel::Immortal;
    const STATIC_REFCNT: isize = u32::MAX as isize;

    // Python/gc.c: threshold0 2000 (gh-108362's incremental collector was reverted before
    // 3.13.0; the threshold change stayed).
    const GC_THRESHOLDS: [isize; 3] = [2000, 10, 10];

    const INT_ZERO_HAS_DIGIT: bool = true;
    const TUPLE_NFREELISTS: usize = 20;
    const DICT_KEYS_HEADER: usize = 32;
    const DICT_UNICODE_ENTRY: Option<usize> = Some(16);

    const STR_ASCII_HEADER: usize = 40;
    const STR_COMPACT_HEADER: usize = 56;
    const STR_HASH: StrHash = StrHash::SipHash13;
    // Measured on 3.13.0: every one-character identifier constant is the Latin-1 singleton.
    const DEEP_FROZEN_CHARS: &'static [u8] = b"";

    // Measured on 3.13.0: start-up interns (and so hashes) every Latin-1 singleton.
    const STARTUP_HASHED_CHARS: CharSet = ALL_CHARS;
    const STARTUP_INTERNED_CHARS: CharSet = ALL_CHARS;
    // Objects/unicodeobject.c (gh-113601): interned heap strings are mortal again.
    const INTERNED_STATIC: u32 = 3;
    const INTERNED_DYNAMIC: u32 = 1;
}
