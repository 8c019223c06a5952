//! CPython 3.11 on 64-bit Linux, default build (no debug, no `--without-pymalloc`): the
//! profile every object in this crate is built from (`python3` 3.11 in the tests).

use super::{CharSet, Profile, RefcountModel, StrHash, char_set};

/// CPython 3.11.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Py311;

impl Profile for Py311 {
    const VERSION: (u8, u8) = (3, 11);

    // Objects/obmalloc.c: 1 MiB arenas of 16 KiB pools since 3.10 (bpo-37448), with the
    // radix tree for address_in_range.
    const ARENA_BITS: u32 = 20;
    const POOL_BITS: u32 = 14;

    // Include/object.h, Include/internal/pycore_object.h (_PyObject_IMMORTAL_INIT): small
    // ints, the one-character strings and the other static objects start at this count.
    const REFCOUNT: RefcountModel = RefcountModel::Counted;
    const STATIC_REFCNT: isize = 999_999_999;

    // Include/cpython/longintrepr.h: `_PyLong_GetZero()` is a static object with
    // ob_size 0 but a digit allocated (3.11 made small ints static: `_PyLong_SMALL_INTS`).
    const INT_ZERO_HAS_DIGIT: bool = true;

    // Include/internal/pycore_tuple.h: PyTuple_NFREELISTS = PyTuple_MAXSAVESIZE = 20.
    const TUPLE_NFREELISTS: usize = 20;

    // Include/internal/pycore_dict.h: the keys object lost dk_lookup (32 bytes) and gained
    // the str-only table kind with 16-byte entries (bpo-46845).
    const DICT_KEYS_HEADER: usize = 32;
    const DICT_UNICODE_ENTRY: Option<usize> = Some(16);

    // Include/cpython/unicodeobject.h (with wstr and wstr_length until 3.12).
    const STR_ASCII_HEADER: usize = 48;
    const STR_COMPACT_HEADER: usize = 72;
    // Python/pyhash.c: Py_HASH_ALGORITHM siphash13 since 3.11 (PEP 456 follow-up, bpo-29410).
    const STR_HASH: StrHash = StrHash::SipHash13;
    // Measured on 3.11.7 (`'a' is chr(97)` is False, `'g' is chr(103)` True; the same with
    // -S and -I): tests/scripts/str_deep_frozen_chars.py asks python3 for every identifier
    // character.
    const DEEP_FROZEN_CHARS: &'static [u8] = b"abcdefhijklmnopqrstvwxyBCLST_";

    // Measured on 3.11.7 (chr(c)'s hash and state.interned for every c after start-up).
    const STARTUP_HASHED_CHARS: CharSet = char_set(
        b"\t\n\x0b\x0c\r *0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz",
    );
    const STARTUP_INTERNED_CHARS: CharSet = char_set(b"*01AHIKMNOPQUXZguz");
    // Objects/unicodeobject.c (PyUnicode_InternInPlace): SSTATE_INTERNED_MORTAL for all.
    const INTERNED_STATIC: u32 = 1;
    const INTERNED_DYNAMIC: u32 = 1;
}
