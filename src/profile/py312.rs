//! CPython 3.12 on 64-bit Linux, default build. Differs from 3.11 in immortal objects
//! (PEP 683), the str header without `wstr`, int's `lv_tag`, and the collector running at
//! the eval breaker. Its objects are not built yet: `pylayout verify --python 3.12` checks
//! these facts against the interpreter.

use super::{CharSet, Profile, RefcountModel, StrHash, char_set};

/// CPython 3.12.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Py312;

impl Profile for Py312 {
    const VERSION: (u8, u8) = (3, 12);

    const ARENA_BITS: u32 = 20;
    const POOL_BITS: u32 = 14;

    // Include/object.h: _Py_IMMORTAL_REFCNT is UINT_MAX on 64-bit builds; Py_INCREF leaves
    // an immortal count alone.
    const REFCOUNT: RefcountModel = RefcountModel::Immortal;
    const STATIC_REFCNT: isize = u32::MAX as isize;

    const INT_ZERO_HAS_DIGIT: bool = true;
    const TUPLE_NFREELISTS: usize = 20;
    const DICT_KEYS_HEADER: usize = 32;
    const DICT_UNICODE_ENTRY: Option<usize> = Some(16);

    // Include/cpython/unicodeobject.h: wstr and wstr_length removed (PEP 623).
    const STR_ASCII_HEADER: usize = 40;
    const STR_COMPACT_HEADER: usize = 56;
    const STR_HASH: StrHash = StrHash::SipHash13;
    // Measured on 3.12.1 as for 3.11 (each identifier character's constant `is chr(c)`).
    const DEEP_FROZEN_CHARS: &'static [u8] = b"abcdenprsx_";

    // Measured on 3.12.1 (chr(c)'s hash and state.interned for every c after start-up).
    const STARTUP_HASHED_CHARS: CharSet = char_set(b"*BCHILOPQSTZ_abcdfghijklmnopqtuvwyz");
    const STARTUP_INTERNED_CHARS: CharSet = char_set(b"*BCHILOPQSTZfghijklmoqtuvwyz");
    // Objects/unicodeobject.c (_PyUnicode_InternInPlace): a static str becomes
    // SSTATE_INTERNED_IMMORTAL_STATIC, any other SSTATE_INTERNED_IMMORTAL and immortal.
    const INTERNED_STATIC: u32 = 3;
    const INTERNED_DYNAMIC: u32 = 2;
}
