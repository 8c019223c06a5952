//! CPython 3.11 on 64-bit Linux, default build (no debug, no `--without-pymalloc`): the
//! profile every number in this crate is checked against (`python3` 3.11 in the tests).

use super::{Profile, RefcountModel, StrHash};

/// CPython 3.11.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Py311;

impl Profile for Py311 {
    const VERSION: (u8, u8) = (3, 11);

    // Objects/obmalloc.c: 1 MiB arenas of 16 KiB pools since 3.10 (bpo-37448), with the
    // radix tree for address_in_range.
    const ARENA_BITS: u32 = 20;
    const POOL_BITS: u32 = 14;
    const ALIGNMENT: usize = 16;
    const SMALL_REQUEST_THRESHOLD: usize = 512;
    const INITIAL_ARENA_OBJECTS: usize = 16;

    // Include/object.h, Include/internal/pycore_object.h (_PyObject_IMMORTAL_INIT).
    const REFCOUNT: RefcountModel = RefcountModel::Counted;
    const STATIC_REFCNT: isize = 999_999_999;
    // Include/cpython/object.h (_PyTrash_UNWIND_LEVEL).
    const TRASH_UNWIND_LEVEL: usize = 50;

    // Modules/gcmodule.c (_PyGC_InitState).
    const GC_THRESHOLDS: [isize; 3] = [700, 10, 10];

    // Include/cpython/longintrepr.h, Include/internal/pycore_global_objects.h,
    // Include/internal/pycore_long.h.
    const PYLONG_SHIFT: u32 = 30;
    const NSMALLNEGINTS: i64 = 5;
    const NSMALLPOSINTS: i64 = 257;
    const INT_MAX_STR_DIGITS: usize = 4300;

    // Include/internal/pycore_{float,list,tuple,dict}.h.
    const FLOAT_MAXFREELIST: usize = 100;
    const LIST_MAXFREELIST: usize = 80;
    const TUPLE_NFREELISTS: usize = 20;
    const TUPLE_MAXFREELIST: usize = 2000;
    const DICT_MAXFREELIST: usize = 80;

    // Objects/dictobject.c, Include/internal/pycore_dict.h.
    const DICT_LOG_MINSIZE: u8 = 3;
    const DICT_LOG2_MAX_PRESIZE: u8 = 17;
    const DICT_KEYS_HEADER: usize = 32;
    const DICT_UNICODE_ENTRY: Option<usize> = Some(16);
    const DICT_GENERAL_ENTRY: usize = 24;

    fn usable_fraction(n: usize) -> usize {
        (n << 1) / 3
    }

    fn dict_growth_rate(ma_used: usize) -> usize {
        // Since 3.7 (bpo-33205).
        ma_used * 3
    }

    fn list_resize(size: usize, allocated: usize, newsize: usize) -> Option<usize> {
        if allocated >= newsize && newsize >= (allocated >> 1) {
            return None;
        }
        // 3.9+ (bpo-38373): grow by an eighth plus 6, rounded down to a multiple of 4.
        let mut new_allocated = (newsize + (newsize >> 3) + 6) & !3;
        // Do not overallocate if the new size is closer to the overallocated size than to
        // the old size.
        if newsize as isize - size as isize > new_allocated as isize - newsize as isize {
            new_allocated = (newsize + 3) & !3;
        }
        if newsize == 0 {
            new_allocated = 0;
        }
        Some(new_allocated)
    }

    // Include/cpython/unicodeobject.h (with wstr and wstr_length until 3.12).
    const STR_ASCII_HEADER: usize = 48;
    const STR_COMPACT_HEADER: usize = 72;
    // Python/pyhash.c: Py_HASH_ALGORITHM siphash13 since 3.11 (PEP 456 follow-up, bpo-29410).
    const STR_HASH: StrHash = StrHash::SipHash13;
    // Measured on 3.11.7 (`'a' is chr(97)` is False, `'g' is chr(103)` True; the same with
    // -S and -I): tests/scripts/str_deep_frozen_chars.py asks python3 for every identifier
    // character.
    const DEEP_FROZEN_CHARS: &'static [u8] = b"abcdefhijklmnopqrstvwxyBCLST_";
}
