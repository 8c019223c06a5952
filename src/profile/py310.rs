//! CPython 3.10 on 64-bit Linux, default build. Differs from 3.11 in the dict keys object
//! (the 40-byte header with `dk_lookup`, 24-byte entries only), in 0 having no digit, in
//! the str hash (SipHash-2-4) and in the tuple free lists (lengths 1–19). Its objects are
//! not built yet: `pylayout verify --python 3.10` checks these facts against the
//! interpreter.

use super::{CharSet, Profile, RefcountModel, StrHash, char_set};

/// CPython 3.10.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Py310;

impl Profile for Py310 {
    const VERSION: (u8, u8) = (3, 10);

    // Objects/obmalloc.c: 1 MiB arenas of 16 KiB pools from 3.10 (bpo-37448).
    const ARENA_BITS: u32 = 20;
    const POOL_BITS: u32 = 14;

    // Small ints are heap objects made at start-up, counted like any other (no static
    // objects before 3.11); STATIC_REFCNT is unused.
    const REFCOUNT: RefcountModel = RefcountModel::Counted;
    const STATIC_REFCNT: isize = 0;

    // Objects/longobject.c: `_PyLong_New(0)` has ob_size 0 and no digit (24 bytes).
    const INT_ZERO_HAS_DIGIT: bool = false;

    // Objects/tupleobject.c: PyTuple_MAXSAVESIZE 20 keeps lengths 0..19.
    const TUPLE_NFREELISTS: usize = 19;

    // Objects/dict-common.h: dk_refcnt, dk_size, dk_lookup, dk_usable, dk_nentries.
    const DICT_KEYS_HEADER: usize = 40;
    const DICT_UNICODE_ENTRY: Option<usize> = None;

    const STR_ASCII_HEADER: usize = 48;
    const STR_COMPACT_HEADER: usize = 72;
    // Python/pyhash.c: siphash24 until 3.11.
    const STR_HASH: StrHash = StrHash::SipHash24;
    // No deep-frozen modules: the constant 'a' is chr(97).
    const DEEP_FROZEN_CHARS: &'static [u8] = b"";

    // Measured on 3.10.13 (chr(c)'s hash and state for every c after start-up): the
    // singletons start-up made, each hashed and interned.
    const STARTUP_HASHED_CHARS: CharSet = char_set(b"\n*.BCHILOPQSTZ_abcdefghijklmnopqrstuvwxz");
    const STARTUP_INTERNED_CHARS: CharSet = char_set(b"\n*.BCHILOPQSTZ_abcdefghijklmnopqrstuvwxz");
    const INTERNED_STATIC: u32 = 1;
    const INTERNED_DYNAMIC: u32 = 1;
}
