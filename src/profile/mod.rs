//! The version seam: every fact that differs between CPython versions, in one place.
//!
//! A [`Profile`] is one CPython version's answers: allocator geometry, the object header's
//! refcount model, the collector's thresholds, each type's free-list limits, growth and
//! sizing policies, struct sizes, the str hash function, the int/str digit limit. Each
//! layer reads its facts from [`Current`] ([`Py311`], the version whose objects are built)
//! and names them once, in its own terms (`alloc::POOL_SIZE`, `gc::DEFAULT_THRESHOLDS`,
//! `list::resize_policy`); nothing else in `src/` writes a version's number.
//!
//! The other versions' profiles ([`Py38`], [`Py39`], [`Py310`], [`Py312`], [`Py313`]) are
//! written and checked against their interpreters by `pylayout verify --python 3.X`.
//!
//! # Two ways a fact reaches the objects
//!
//! - **Per build, through [`Current`]**: a constant of 3.11's profile, named once by its
//!   layer (`alloc::POOL_SIZE`). No load, no branch; `const` asserts check the
//!   `#[repr(C)]` structs against it. Most facts are read this way.
//! - **Per run, through `runtime::version()`**: a thread-local [`PyVersion`] set before any
//!   object is made (`--python 3.12` sets it), and [`PyVersion`]'s methods dispatch to the
//!   version's profile (`per_version!`). Used where the versions whose objects are built
//!   (3.11, 3.12, 3.13: [`PyVersion::builds_objects`]) differ: the static objects' count and
//!   immortality, int's `ob_size`/`lv_tag`, the str header with or without `wstr`, the
//!   start-up state of the one-character strings and what interning does, and the list's
//!   growth policy (for every version: `grow list --python 3.8`).
//!
//! # Why, and the alternatives weighed
//!
//! The first design made the runtime generic over `P: Profile`, monomorphised per version.
//! When 3.12 arrived that meant every function of the object, type, inspect and runner
//! layers (55,000 lines) taking a type parameter, for a handful of facts. Instead:
//!
//! - **Chosen: per-build constants, plus a per-run version for the facts that differ
//!   between built versions.** A thread-local read is one load (the cell is
//!   const-initialised); the hot paths read it only where a version differs (an int's
//!   size word, a str's data offset), and the refcount's immortal check needs no version
//!   at all (no 3.11 count reaches 2³² − 1). Several versions run side by side on their
//!   own threads (`grow --compare`, the tests). `benches/README.md` has 3.11's runner speed
//!   before and after.
//! - Generic over `P: Profile` everywhere: no load at all, but every signature changes.
//! - A struct of values for every fact (`&'static ProfileData`): one path, but every fact
//!   a load, and layouts that change in kind still need code per version.
//! - A Cargo feature per version: zero cost, but one version per binary, so no `--python`
//!   and no `verify` against the interpreters side by side.
//!
//! # Adding a version
//!
//! 1. A file `pyXY.rs` with `impl Profile for PyXY`, each constant citing the CPython
//!    source or the measurement it comes from (`../shared/CPYTHON-VERSIONS.md` lists the
//!    differences); the trait's defaults hold what never changed.
//! 2. Where the objects differ in kind, a [`PyVersion`] method (or a comparison with a
//!    version) read through `runtime::version()` at the one place that needs it.
//! 3. `pylayout verify --python 3.X` passes, and the oracle tests run against that
//!    version's interpreter (`inspect::verify::interpreter::Interpreter::find`).

mod py310;
mod py311;
mod py312;
mod py313;
mod py38;
mod py39;
mod version;

pub use py38::Py38;
pub use py39::Py39;
pub use py310::Py310;
pub use py311::Py311;
pub use py312::Py312;
pub use py313::Py313;
pub use version::{PyVersion, StrFacts, VersionError};

/// The profile the library is built around: CPython 3.11, 64-bit Linux, default build.
pub type Current = Py311;

// The version named as modelled is the one the objects are built from.
const _: () = assert!(Current::VERSION.0 == 3 && Current::VERSION.1 as u32 == 11);
const _: () = assert!(matches!(PyVersion::MODELLED, PyVersion::Py311));

/// How the object header counts references.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefcountModel {
    /// Every object is counted; static objects (small ints, `None`, the one-character
    /// strings) start at a large count and are never freed (3.8–3.11).
    Counted,
    /// Static and interned objects are immortal: their count is pinned and increments do
    /// not change it (3.12 and later, PEP 683).
    Immortal,
}

/// The function `hash(str)` uses (`sys.hash_info.algorithm`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StrHash {
    /// `siphash24` (3.8–3.10).
    SipHash24,
    /// `siphash13` (3.11 and later).
    SipHash13,
}

/// One CPython version's facts. Every item names the C constant or function it stands for.
///
/// A fact with a default is the same in every version from 3.8 to 3.13 (each was read in
/// the six versions' sources or measured with `../shared/cpython-probes/versions/`); a
/// version's file states only what it changed.
pub trait Profile {
    /// `(major, minor)`.
    const VERSION: (u8, u8);

    // ---- the allocator (Objects/obmalloc.c) ----
    /// `ARENA_BITS`: arenas of `1 << ARENA_BITS` bytes.
    const ARENA_BITS: u32;
    /// `POOL_BITS`: pools of `1 << POOL_BITS` bytes.
    const POOL_BITS: u32;
    /// `ALIGNMENT`: size classes are multiples of this.
    const ALIGNMENT: usize = 16;
    /// `SMALL_REQUEST_THRESHOLD`: larger requests go to the system allocator.
    const SMALL_REQUEST_THRESHOLD: usize = 512;
    /// `INITIAL_ARENA_OBJECTS`: arena descriptors allocated at first.
    const INITIAL_ARENA_OBJECTS: usize = 16;

    // ---- the object header (Include/object.h) ----
    /// How references are counted.
    const REFCOUNT: RefcountModel;
    /// The count static objects start with (`_PyObject_IMMORTAL_INIT` in 3.11).
    const STATIC_REFCNT: isize;
    /// `_PyTrash_UNWIND_LEVEL`: container deallocations nested deeper are deferred.
    const TRASH_UNWIND_LEVEL: usize = 50;

    // ---- the collector (Modules/gcmodule.c) ----
    /// `threshold0..2` at start-up.
    const GC_THRESHOLDS: [isize; 3] = [700, 10, 10];

    // ---- int (Objects/longobject.c) ----
    /// Whether 0 is stored with one digit (3.11+: 28 bytes) or none (≤ 3.10: 24 bytes).
    const INT_ZERO_HAS_DIGIT: bool;
    /// `PyLong_SHIFT`: bits per digit.
    const PYLONG_SHIFT: u32 = 30;
    /// `_PY_NSMALLNEGINTS`: small ints start at `-NSMALLNEGINTS`.
    const NSMALLNEGINTS: i64 = 5;
    /// `_PY_NSMALLPOSINTS`: small ints end below this.
    const NSMALLPOSINTS: i64 = 257;
    /// `_PY_LONG_DEFAULT_MAX_STR_DIGITS` (`sys.get_int_max_str_digits()`).
    const INT_MAX_STR_DIGITS: usize = 4300;

    // ---- float, list, tuple, dict free lists ----
    /// `PyFloat_MAXFREELIST`.
    const FLOAT_MAXFREELIST: usize = 100;
    /// `PyList_MAXFREELIST`.
    const LIST_MAXFREELIST: usize = 80;
    /// `PyTuple_NFREELISTS`: one free list per length `1..=N`.
    const TUPLE_NFREELISTS: usize;
    /// `PyTuple_MAXFREELIST`: tuples kept per length.
    const TUPLE_MAXFREELIST: usize = 2000;
    /// `PyDict_MAXFREELIST`: dicts kept, and str-keyed size-8 keys objects kept.
    const DICT_MAXFREELIST: usize = 80;

    // ---- dict (Objects/dictobject.c) ----
    /// `PyDict_LOG_MINSIZE`.
    const DICT_LOG_MINSIZE: u8 = 3;
    /// The largest table `dict_new_presized` builds is `1 << this` (`log2_max_presize`).
    const DICT_LOG2_MAX_PRESIZE: u8 = 17;
    /// `sizeof(PyDictKeysObject)` before the indices.
    const DICT_KEYS_HEADER: usize;
    /// `sizeof(PyDictUnicodeEntry)`; `None` before str-only tables existed (≤ 3.10).
    const DICT_UNICODE_ENTRY: Option<usize>;
    /// `sizeof(PyDictKeyEntry)`.
    const DICT_GENERAL_ENTRY: usize = 24;
    /// `USABLE_FRACTION(n)`.
    fn usable_fraction(n: usize) -> usize {
        (n << 1) / 3
    }
    /// `GROWTH_RATE(d)`: the size `insertion_resize` asks for (`used * 3` since 3.7,
    /// bpo-33205).
    fn dict_growth_rate(ma_used: usize) -> usize {
        ma_used * 3
    }

    // ---- list (Objects/listobject.c) ----
    /// `list_resize`: the capacity for `newsize` items of a list of `size` items and
    /// `allocated` slots, or `None` when the array is kept.
    fn list_resize(size: usize, allocated: usize, newsize: usize) -> Option<usize> {
        list_resize_since_39(size, allocated, newsize)
    }

    // ---- str (Objects/unicodeobject.c) ----
    /// `sizeof(PyASCIIObject)`.
    const STR_ASCII_HEADER: usize;
    /// `sizeof(PyCompactUnicodeObject)`.
    const STR_COMPACT_HEADER: usize;
    /// The hash of str and bytes.
    const STR_HASH: StrHash;
    /// The one-character identifiers the deep-frozen modules (`Programs/_freeze_module`,
    /// `Tools/scripts/deepfreeze.py`, 3.11+) hold as static str objects of their own, interned
    /// at start-up: a constant or name `'a'` is that object, not the Latin-1 singleton
    /// `chr(97)`. Empty before deepfreeze.
    const DEEP_FROZEN_CHARS: &'static [u8];
    /// The one-character Latin-1 strings whose hash is computed when the interpreter has
    /// started (it used them as identifiers or keys), as `python3 FILE`, `python3 -` and
    /// `python3 -c` all leave them (measured; the deep-frozen ones aside). Up to 3.10 the
    /// singletons are made on first use: these are the ones start-up made.
    const STARTUP_HASHED_CHARS: CharSet;
    /// Those of them interned at start-up.
    const STARTUP_INTERNED_CHARS: CharSet;
    /// `state.interned` of a statically allocated str once interned: 1
    /// (`SSTATE_INTERNED_MORTAL`) up to 3.11, 3 (`SSTATE_INTERNED_IMMORTAL_STATIC`) from 3.12.
    const INTERNED_STATIC: u32;
    /// `state.interned` that `sys.intern` gives a heap str: 1 (mortal) up to 3.11 and in
    /// 3.13; 2 (`SSTATE_INTERNED_IMMORTAL`) in 3.12, whose count then becomes immortal.
    const INTERNED_DYNAMIC: u32;
}

/// A set of Latin-1 code points, one bit each.
pub type CharSet = [u64; 4];

/// The [`CharSet`] of `chars`.
pub const fn char_set(chars: &[u8]) -> CharSet {
    let mut set = [0u64; 4];
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i] as usize;
        set[c / 64] |= 1 << (c % 64);
        i += 1;
    }
    set
}

/// Whether `c` is in `set`.
pub const fn in_char_set(set: &CharSet, c: u8) -> bool {
    set[c as usize / 64] & (1 << (c as usize % 64)) != 0
}

/// Every Latin-1 code point.
pub const ALL_CHARS: CharSet = [u64::MAX; 4];

/// `list_resize` since 3.9 (bpo-38373): grow by an eighth plus 6, rounded down to a multiple
/// of 4, but not past the next multiple of 4 when the new size is closer to it than to the
/// old size; shrink when less than half the array is used.
pub fn list_resize_since_39(size: usize, allocated: usize, newsize: usize) -> Option<usize> {
    if allocated >= newsize && newsize >= (allocated >> 1) {
        return None;
    }
    let mut new_allocated = (newsize + (newsize >> 3) + 6) & !3;
    if newsize as isize - size as isize > new_allocated as isize - newsize as isize {
        new_allocated = (newsize + 3) & !3;
    }
    if newsize == 0 {
        new_allocated = 0;
    }
    Some(new_allocated)
}
