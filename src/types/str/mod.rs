//! `str` as CPython 3.11 stores it: PEP 393 compact strings (`Include/cpython/unicodeobject.h`,
//! `Objects/unicodeobject.c`).
//!
//! ```text
//!  compact ASCII (all code points < 128)      compact (any other string)
//!  +0   ob_refcnt     8                       +0   ... the same 48 bytes ...
//!  +8   ob_type       8                       +48  utf8_length   8   0 (no UTF-8 cache)
//!  +16  length        8   code points         +56  utf8          8   NULL
//!  +24  hash          8   -1 until hashed     +64  wstr_length   8   length for kind 4, else 0
//!  +32  state         4   bit fields          +72  data: (length + 1) * kind bytes
//!  +36  (padding)     4
//!  +40  wstr          8   NULL (kind 4: = data, wchar_t is 4 bytes on Linux)
//!  +48  data: length + 1 bytes (NUL-terminated)
//! ```
//!
//! `state` (low bits first): `interned:2`, `kind:3` (1, 2 or 4 bytes per code point: the
//! narrowest that holds the largest one), `compact:1`, `ascii:1`, `ready:1`.
//! `sys.getsizeof` = `48 + len + 1` for ASCII, `72 + (len + 1) * kind` otherwise (not a GC
//! type). The hash is SipHash-1-3 over the data bytes, computed on first use and cached.
//! The empty string and the 256 one-character Latin-1 strings are static singletons.
//! Interned strings (3.11) are mortal: the interned table does not own a reference.
//!
//! Unsafe: the header's fields and the 1/2/4-byte data that follows it are read and written at
//! their C offsets; static strings are handed out by pointer.
#![allow(unsafe_code)]

mod text;

pub use text::{StrPredicate, repr};
use text::{final_sigma, is_printable};

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::ptr::NonNull;

use crate::cost;
use crate::error::{PyErr, PyResult};
use crate::hash::{self, PyHash};
use crate::object::{
    IMMORTAL_REFCNT, Obj, PyObject, TypeObject, alloc_object, free_object, static_refcnt,
};
use crate::profile::{Current, Profile, Py312, Py313, PyVersion, in_char_set};
use crate::runtime;
use crate::types::state;

/// `sizeof(PyASCIIObject)` in 3.11 ([`ascii_header`] in the thread's version).
pub const ASCII_HEADER: usize = Current::STR_ASCII_HEADER;
/// `sizeof(PyCompactUnicodeObject)` in 3.11 ([`compact_header`] in the thread's version).
pub const COMPACT_HEADER: usize = Current::STR_COMPACT_HEADER;

/// Whether this thread's strings have `wstr` (and `wstr_length`): up to 3.11 (PEP 623
/// removed them in 3.12).
#[inline(always)]
fn has_wstr() -> bool {
    runtime::version() <= PyVersion::Py311
}

/// `sizeof(PyASCIIObject)` in this thread's version: 48 with `wstr`, 40 without.
#[inline]
pub fn ascii_header() -> usize {
    if has_wstr() {
        ASCII_HEADER
    } else {
        COMMON_HEADER
    }
}

/// `sizeof(PyCompactUnicodeObject)` in this thread's version: 72 with `wstr_length`, 56
/// without.
#[inline]
pub fn compact_header() -> usize {
    if has_wstr() {
        COMPACT_HEADER
    } else {
        COMMON_HEADER + 16
    }
}

/// Offset of `utf8_length` (compact, non-ASCII) in this thread's version; `utf8` follows.
#[inline]
pub fn utf8_length_offset() -> usize {
    ascii_header()
}

/// The header every version shares: `ob_base`, `length`, `hash`, `state` and its padding.
const COMMON_HEADER: usize = size_of::<PyASCIIObject>();

// The headers above are the profiles' (`sizeof(PyASCIIObject)`, `sizeof(PyCompactUnicodeObject)`).
const _: () = assert!(
    Py312::STR_ASCII_HEADER == COMMON_HEADER
        && Py312::STR_COMPACT_HEADER == COMMON_HEADER + 16
        && Py313::STR_ASCII_HEADER == COMMON_HEADER
        && Py313::STR_COMPACT_HEADER == COMMON_HEADER + 16
);
/// Offset of `length`.
pub const LENGTH_OFFSET: usize = 16;
/// Offset of `hash`.
pub const HASH_OFFSET: usize = 24;
/// Offset of `state`.
pub const STATE_OFFSET: usize = 32;
/// Offset of `wstr` (up to 3.11).
pub const WSTR_OFFSET: usize = 40;
/// Offset of `wstr_length` (compact, non-ASCII, up to 3.11).
pub const WSTR_LENGTH_OFFSET: usize = 64;

/// `SSTATE_NOT_INTERNED`.
pub const SSTATE_NOT_INTERNED: u32 = 0;
/// `SSTATE_INTERNED_MORTAL`.
pub const SSTATE_INTERNED_MORTAL: u32 = 1;
/// `SSTATE_INTERNED_IMMORTAL` (3.12+).
pub const SSTATE_INTERNED_IMMORTAL: u32 = 2;

/// The part of `PyASCIIObject` every version shares. Up to 3.11 `wstr` follows at
/// [`WSTR_OFFSET`] (`sizeof(PyASCIIObject)` 48); from 3.12 the header ends here (40).
/// A compact non-ASCII string adds `utf8_length` and `utf8` at [`utf8_length_offset`], and
/// up to 3.11 `wstr_length` at [`WSTR_LENGTH_OFFSET`]: those words are read and written at
/// their offsets in the thread's version, not through a struct.
#[repr(C)]
#[derive(Debug)]
pub struct PyASCIIObject {
    /// Header.
    pub ob_base: PyObject,
    /// `length`: number of code points.
    pub length: Cell<isize>,
    /// `hash`: -1 until computed.
    pub hash: Cell<isize>,
    /// `state`: the bit fields.
    pub state: Cell<u32>,
    /// Padding after `state`.
    pub _pad: u32,
}

const _: () = assert!(size_of::<PyASCIIObject>() == 40);
const _: () = assert!(ASCII_HEADER == WSTR_OFFSET + 8 && COMPACT_HEADER == WSTR_LENGTH_OFFSET + 8);
const _: () = assert!(std::mem::offset_of!(PyASCIIObject, state) == STATE_OFFSET);

/// # Safety
/// `op` is a live (or being initialised) str block with an 8-byte word at `offset`.
unsafe fn word(op: NonNull<PyObject>, offset: usize) -> *mut usize {
    // SAFETY: forwarded contract.
    unsafe { op.cast::<u8>().as_ptr().add(offset).cast::<usize>() }
}

/// `PyUnicode_Type`.
pub static STR_TYPE: TypeObject = TypeObject {
    tp_name: "str",
    tp_basicsize: 80,
    tp_itemsize: 0,
    tp_flags: 0,
    tp_dealloc: str_dealloc,
    sizeof: str_sizeof,
    tp_traverse: None,
    tp_clear: None,
    gc_items: None,
    gc_untrack: crate::object::GcUntrack::Never,
};

/// The decoded `state` bit fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct State {
    /// `interned` (0 not, 1 mortal).
    pub interned: u32,
    /// `kind`: 1, 2 or 4.
    pub kind: u32,
    /// `compact`.
    pub compact: bool,
    /// `ascii`.
    pub ascii: bool,
    /// Bit 7: `ready` up to 3.11 (always 1 for compact strings), `statically_allocated`
    /// from 3.12 ([`State::bit7_name`]).
    pub bit7: bool,
}

impl State {
    /// The name of bit 7 in this thread's version.
    pub fn bit7_name() -> &'static str {
        if has_wstr() {
            "ready"
        } else {
            "statically_allocated"
        }
    }

    fn pack(self) -> u32 {
        self.interned
            | self.kind << 2
            | (self.compact as u32) << 5
            | (self.ascii as u32) << 6
            | (self.bit7 as u32) << 7
    }

    fn unpack(v: u32) -> State {
        State {
            interned: v & 3,
            kind: (v >> 2) & 7,
            compact: v & (1 << 5) != 0,
            ascii: v & (1 << 6) != 0,
            bit7: v & (1 << 7) != 0,
        }
    }
}

/// `str.__sizeof__` for `len` code points of `kind` (`ascii` for compact ASCII), without a
/// UTF-8 copy, in this thread's version.
pub fn str_sizeof_for(len: usize, kind: usize, ascii: bool) -> usize {
    if ascii {
        ascii_header() + len + 1
    } else {
        compact_header() + (len + 1) * kind
    }
}

/// # Safety
/// `op` is a live str for the chosen lifetime `'a`.
unsafe fn header<'a>(op: NonNull<PyObject>) -> &'a PyASCIIObject {
    // SAFETY: forwarded contract; the fields are Cells.
    unsafe { op.cast::<PyASCIIObject>().as_ref() }
}

/// The cached `hash` of a live str (-1 until computed), without touching its reference count.
///
/// # Safety
/// `op` is a live str.
#[inline]
pub(crate) unsafe fn cached_hash_of(op: NonNull<PyObject>) -> PyHash {
    // SAFETY: forwarded contract.
    unsafe { header(op) }.hash.get() as PyHash
}

/// `unicode_eq` on two live strs, without touching their reference counts.
///
/// # Safety
/// `a` and `b` are live strs.
#[inline]
pub(crate) unsafe fn str_eq_ptr(a: NonNull<PyObject>, b: NonNull<PyObject>) -> bool {
    if a == b {
        return true;
    }
    // SAFETY: borrowed views of live strs (contract); ManuallyDrop keeps them from
    // decrementing counts they never incremented.
    let (a, b) = unsafe {
        (
            std::mem::ManuallyDrop::new(PyStr(Obj::from_owned(a))),
            std::mem::ManuallyDrop::new(PyStr(Obj::from_owned(b))),
        )
    };
    a.str_eq(&b)
}

/// # Safety
/// `op` is a live str.
unsafe fn str_sizeof(op: NonNull<PyObject>) -> usize {
    // SAFETY: live str per the contract.
    let h = unsafe { header(op) };
    let st = State::unpack(h.state.get());
    let (len, kind) = (h.length.get() as usize, st.kind as usize);
    // `_PyUnicode_HAS_UTF8_MEMORY`: a UTF-8 copy apart from the data is counted too (3.12's
    // static Latin-1 strings carry one).
    let utf8 = if st.ascii {
        0
    } else {
        // SAFETY: a compact non-ASCII str has utf8_length and utf8 at these offsets.
        let (n, p) = unsafe {
            (
                *word(op, utf8_length_offset()),
                *word(op, utf8_length_offset() + 8),
            )
        };
        let data = op.as_ptr() as usize + compact_header();
        if p != 0 && p != data { n + 1 } else { 0 }
    };
    str_sizeof_for(len, kind, st.ascii) + utf8
}

/// `unicode_dealloc`: drop the interned entry, then free the block.
///
/// # Safety
/// `op` is a str whose reference count just reached zero.
unsafe fn str_dealloc(op: NonNull<PyObject>) {
    // SAFETY: the dead str's memory is intact until freed below.
    let st = State::unpack(unsafe { header(op) }.state.get());
    if st.interned != SSTATE_NOT_INTERNED {
        let key = PyStr(
            // SAFETY: reading the dead string's contents before freeing; the temporary
            // handle is forgotten, never dropped.
            unsafe { Obj::from_owned(op) },
        );
        let s = key.to_string_lossless();
        std::mem::forget(key);
        state::with(|st| st.strs.interned.borrow_mut().remove(&s));
    }
    // SAFETY: dead str allocated by alloc_object with STR_TYPE.
    unsafe { free_object(op, &STR_TYPE) };
}

/// The memory of a static string: 8-aligned words the runtime owns, each a `Cell` so that
/// the object may be written (its count, cached hash, interned state) through the pointers
/// handed out from a shared borrow.
type StaticBlock = Box<[Cell<u64>]>;

/// The static strings and the interned table of a runtime.
#[derive(Debug)]
pub(crate) struct StrState {
    /// `''` then the 256 one-character Latin-1 strings, each in its own box.
    singletons: Vec<StaticBlock>,
    /// The deep-frozen modules' own one-character identifiers
    /// ([`Profile::DEEP_FROZEN_CHARS`]), static and interned: what interning `'a'` gives.
    frozen_chars: Vec<(u8, StaticBlock)>,
    interned: RefCell<HashMap<String, NonNull<PyObject>>>,
}

impl StrState {
    pub(crate) fn new() -> StrState {
        let facts = runtime::version().str_facts();
        let mut singletons = Vec::with_capacity(257);
        singletons.push(static_str(&[]));
        for c in 0..=255u8 {
            singletons.push(static_str(&[c]));
        }
        // As start-up leaves them: '' interned and hashed; the one-character strings the
        // interpreter used as identifiers hashed, some interned (the profile's measured
        // sets; which ones depends on the code start-up compiled).
        mark_static(&singletons[0], true, facts.interned_static);
        for c in 0..=255u8 {
            let interned = in_char_set(&facts.startup_interned, c);
            mark_static(
                &singletons[1 + c as usize],
                in_char_set(&facts.startup_hashed, c),
                if interned {
                    facts.interned_static
                } else {
                    SSTATE_NOT_INTERNED
                },
            );
        }
        let frozen_chars = facts
            .deep_frozen
            .iter()
            .map(|&c| {
                let mem = static_str(&[c]);
                mark_static(&mem, true, facts.interned_static);
                (c, mem)
            })
            .collect();
        StrState {
            singletons,
            frozen_chars,
            interned: RefCell::new(HashMap::new()),
        }
    }

    fn empty(&self) -> NonNull<PyObject> {
        NonNull::from(&self.singletons[0][0]).cast()
    }

    fn latin1(&self, c: u8) -> NonNull<PyObject> {
        NonNull::from(&self.singletons[1 + c as usize][0]).cast()
    }

    fn is_static(&self, op: NonNull<PyObject>) -> bool {
        self.singletons
            .iter()
            .chain(self.frozen_chars.iter().map(|(_, b)| b))
            .any(|b| NonNull::from(&b[0]).cast::<PyObject>() == op)
    }

    /// The deep-frozen static for one-character string `c`, if the interpreter has one.
    fn frozen_char(&self, c: u8) -> Option<NonNull<PyObject>> {
        self.frozen_chars
            .iter()
            .find(|(k, _)| *k == c)
            .map(|(_, b)| NonNull::from(&b[0]).cast())
    }
}

/// `_Py_HashBytes` of a str's data with the runtime's key, by the thread's version's
/// function (SipHash-1-3 from 3.11, SipHash-2-4 before).
fn str_hash(data: &[u8]) -> PyHash {
    hash::hash_bytes_with(runtime::version().str_hash(), &runtime::hash_secret(), data)
}

/// Set a static string's start-up state: its hash computed (with the runtime's key) or not,
/// and `state.interned`.
fn mark_static(mem: &StaticBlock, hashed: bool, interned: u32) {
    // SAFETY: `mem` holds a static string made by `static_str`, alive as long as the box;
    // the handle is a borrowed view, forgotten without touching the count.
    let s = std::mem::ManuallyDrop::new(PyStr(unsafe {
        Obj::from_owned(NonNull::from(&mem[0]).cast())
    }));
    if hashed {
        s.hdr().hash.set(str_hash(s.data()) as isize);
    }
    let mut st = s.state();
    st.interned = interned;
    s.hdr().state.set(st.pack());
}

/// A statically allocated compact string of Latin-1 bytes (the runtime singletons), in
/// 8-aligned memory owned by the runtime.
///
/// From 3.12 a non-ASCII one (U+0080..U+00FF) carries its UTF-8 encoding after its data
/// (`_Py_LATIN1_CHR` in `pycore_runtime_init.h`: `utf8` set, `'é'` is 61 bytes).
fn static_str(latin1: &[u8]) -> StaticBlock {
    let ascii = latin1.iter().all(|&c| c < 128);
    let size = str_sizeof_for(latin1.len(), 1, ascii);
    let utf8: Vec<u8> = if ascii || has_wstr() {
        Vec::new()
    } else {
        latin1
            .iter()
            .map(|&c| char::from(c))
            .collect::<String>()
            .into_bytes()
    };
    let total = size + if utf8.is_empty() { 0 } else { utf8.len() + 1 };
    let mem: StaticBlock = (0..total.div_ceil(8)).map(|_| Cell::new(0)).collect();
    let op = NonNull::from(&mem[0]).cast::<PyObject>();
    // SAFETY: the box holds `total` zeroed, 8-aligned bytes: room for the header, the data
    // and the UTF-8 copy with its NUL after them.
    unsafe {
        init(op, latin1, latin1.len(), 1, ascii, static_refcnt(), true);
        if !utf8.is_empty() {
            let copy = op.cast::<u8>().as_ptr().add(size);
            std::ptr::copy_nonoverlapping(utf8.as_ptr(), copy, utf8.len());
            *word(op, utf8_length_offset()) = utf8.len();
            *word(op, utf8_length_offset() + 8) = copy as usize;
        }
    }
    mem
}

/// Write a compact string's header and data into `op`, in this thread's version's layout.
///
/// # Safety
/// `op` points to at least `str_sizeof_for(len, kind, ascii)` writable, 8-aligned bytes.
unsafe fn init(
    op: NonNull<PyObject>,
    units: &[u8],
    len: usize,
    kind: usize,
    ascii: bool,
    refcnt: isize,
    statically_allocated: bool,
) {
    // SAFETY: forwarded contract: the header and data fit.
    unsafe {
        let base = op.as_ptr().cast::<u8>();
        let wstr = has_wstr();
        let data_off = if ascii {
            ascii_header()
        } else {
            compact_header()
        };
        let data = base.add(data_off);
        let state = State {
            interned: SSTATE_NOT_INTERNED,
            kind: kind as u32,
            compact: true,
            ascii,
            bit7: if wstr { true } else { statically_allocated },
        };
        let a = op.cast::<PyASCIIObject>().as_ptr();
        std::ptr::addr_of_mut!((*a).ob_base).write(PyObject {
            ob_refcnt: Cell::new(refcnt),
            ob_type: Cell::new(&STR_TYPE),
        });
        std::ptr::addr_of_mut!((*a).length).write(Cell::new(len as isize));
        std::ptr::addr_of_mut!((*a).hash).write(Cell::new(-1));
        std::ptr::addr_of_mut!((*a).state).write(Cell::new(state.pack()));
        std::ptr::addr_of_mut!((*a)._pad).write(0);
        // wchar_t is 4 bytes on Linux: a kind-4 string's wstr is its data (≤ 3.11).
        let shares_wstr = kind == 4;
        if wstr {
            *word(op, WSTR_OFFSET) = if shares_wstr { data as usize } else { 0 };
        }
        if !ascii {
            *word(op, utf8_length_offset()) = 0;
            *word(op, utf8_length_offset() + 8) = 0;
            if wstr {
                *word(op, WSTR_LENGTH_OFFSET) = if shares_wstr { len } else { 0 };
            }
        }
        std::ptr::copy_nonoverlapping(units.as_ptr(), data, units.len());
        std::ptr::write_bytes(data.add(units.len()), 0, kind);
    }
}

/// Write `pattern` `n` times from `data` on, the way `_PyBytes_Repeat` does: one copy, then
/// doubling what is already written, so the result is built in place (no second buffer).
///
/// # Safety
/// `data` points to at least `pattern.len() * n` writable bytes that do not overlap
/// `pattern`.
unsafe fn repeat_in_place(data: *mut u8, pattern: &[u8], n: usize) {
    let total = pattern.len() * n;
    if total == 0 {
        return;
    }
    // SAFETY: forwarded contract; every copy stays below `total` and copies from the part
    // already written to the part after it (disjoint ranges).
    unsafe {
        std::ptr::copy_nonoverlapping(pattern.as_ptr(), data, pattern.len());
        let mut done = pattern.len();
        while done < total {
            let step = done.min(total - done);
            std::ptr::copy_nonoverlapping(data, data.add(done), step);
            done += step;
        }
    }
}

/// A handle to a `str`.
#[derive(Clone, Debug)]
pub struct PyStr(Obj);

typed_handle!(PyStr, STR_TYPE, "str");

impl PyStr {
    /// A str with the contents of `s` (`PyUnicode_FromString`-style): the static singleton
    /// for `''` and one-character Latin-1 strings, else a new compact object of the
    /// narrowest kind.
    ///
    /// The kind is the narrowest width that holds the largest code point; ASCII strings have
    /// the short 48-byte header, every other kind the 72-byte one, and the data ends in a NUL:
    ///
    /// ```
    /// use pylayout::types::str::PyStr;
    ///
    /// let sizes = |s: &str| {
    ///     let p = PyStr::new(s);
    ///     (p.len(), p.kind(), p.as_obj().getsizeof())
    /// };
    /// assert_eq!(sizes(""), (0, 1, 49)); // 48 + 1
    /// assert_eq!(sizes("abc"), (3, 1, 52)); // ASCII: 48 + 3 + 1
    /// assert_eq!(sizes("é"), (1, 1, 74)); // Latin-1: 72 + (1 + 1) * 1
    /// assert_eq!(sizes("ab€"), (3, 2, 80)); // UCS-2: 72 + (3 + 1) * 2
    /// assert_eq!(sizes("a😀"), (2, 4, 84)); // UCS-4: 72 + (2 + 1) * 4
    ///
    /// // '' and one-character Latin-1 strings are static singletons:
    /// assert!(PyStr::new("é").as_obj().is(PyStr::new("é").as_obj()));
    ///
    /// // The hash is computed on first use (PYTHONHASHSEED=0 by default) and cached:
    /// let s = PyStr::new("abc");
    /// assert_eq!(s.cached_hash(), -1);
    /// assert_eq!(s.hash(), -4594863902769663758); // PYTHONHASHSEED=0 python3 -c "print(hash('abc'))"
    /// assert_eq!(s.cached_hash(), s.hash());
    /// ```
    pub fn new(s: &str) -> PyStr {
        let mut chars = s.chars();
        match (chars.next(), chars.next()) {
            (None, _) => return PyStr::singleton(None),
            (Some(c), None) if (c as u32) < 256 => return PyStr::singleton(Some(c as u8)),
            _ => {}
        }
        PyStr::new_uncached(s)
    }

    /// A new compact str with these contents, never a singleton: what `str(int)`
    /// (`long_to_decimal_string`) builds, so `str(5) is str(5)` is `False`.
    pub fn new_uncached(s: &str) -> PyStr {
        let kind = hash::pep393_kind(s) as usize;
        let ascii = s.is_ascii();
        let len = s.chars().count();
        let units = hash::pep393_data(s);
        let size = str_sizeof_for(len, kind, ascii);
        let op = alloc_object(&STR_TYPE, size)
            .unwrap_or_else(|| panic!("out of memory allocating a str of {len} characters"));
        // SAFETY: a fresh block of `size` bytes (16-aligned).
        unsafe { init(op, &units, len, kind, ascii, 1, false) };
        // SAFETY: fresh object, one owned reference.
        PyStr(unsafe { Obj::from_owned(op) })
    }

    /// A str from code units already in PEP 393 form (`kind` bytes each, little-endian, the
    /// narrowest kind for these code points): the singletons for length 0 and for one
    /// Latin-1 character, as [`PyStr::new`] gives.
    fn from_units(units: &[u8], kind: usize, ascii: bool) -> PyStr {
        debug_assert!(units.len().is_multiple_of(kind));
        let len = units.len() / kind;
        match len {
            0 => return PyStr::singleton(None),
            1 if kind == 1 => return PyStr::singleton(Some(units[0])),
            _ => {}
        }
        let size = str_sizeof_for(len, kind, ascii);
        let op = alloc_object(&STR_TYPE, size)
            .unwrap_or_else(|| panic!("out of memory allocating a str of {len} characters"));
        // SAFETY: a fresh block of `size` bytes (16-aligned).
        unsafe { init(op, units, len, kind, ascii, 1, false) };
        // SAFETY: fresh object, one owned reference.
        PyStr(unsafe { Obj::from_owned(op) })
    }

    /// The code units widened to `kind` bytes each (`kind >= self.kind()`).
    fn units_as(&self, kind: usize) -> std::borrow::Cow<'_, [u8]> {
        if kind == self.kind() {
            return std::borrow::Cow::Borrowed(self.data());
        }
        let mut out = Vec::with_capacity(self.len() * kind);
        for i in 0..self.len() {
            out.extend_from_slice(&self.code_point_at(i).to_le_bytes()[..kind]);
        }
        std::borrow::Cow::Owned(out)
    }

    /// `str(i)` for an int: its decimal digits in a new ASCII string.
    pub fn from_int(i: &crate::types::int::PyInt) -> PyStr {
        if i.is_bool() {
            return PyStr::new(if i.to_i64() == Some(1) {
                "True"
            } else {
                "False"
            });
        }
        PyStr::new_uncached(&i.value().to_string())
    }

    fn singleton(c: Option<u8>) -> PyStr {
        state::with(|st| {
            let op = match c {
                None => st.strs.empty(),
                Some(c) => st.strs.latin1(c),
            };
            // SAFETY: static runtime objects are always live.
            PyStr(unsafe { Obj::from_borrowed(op) })
        })
    }

    /// `chr(i)`: `ValueError: chr() arg not in range(0x110000)` outside; surrogates are
    /// refused here (Rust strings cannot hold them).
    pub fn from_code_point(i: i64) -> PyResult<PyStr> {
        if !(0..0x110000).contains(&i) {
            return Err(PyErr::value_error("chr() arg not in range(0x110000)"));
        }
        let c = char::from_u32(i as u32).ok_or_else(|| {
            PyErr::value_error("surrogate code points are not supported by pylayout")
        })?;
        Ok(PyStr::new(c.encode_utf8(&mut [0; 4])))
    }

    fn hdr(&self) -> &PyASCIIObject {
        // SAFETY: the handle keeps the str alive at least as long as &self.
        unsafe { header(self.0.as_ptr()) }
    }

    /// `len(s)`: code points.
    pub fn len(&self) -> usize {
        self.hdr().length.get() as usize
    }

    /// Whether this is `''`.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `state` bit fields.
    pub fn state(&self) -> State {
        State::unpack(self.hdr().state.get())
    }

    /// Bytes per code point: 1, 2 or 4.
    pub fn kind(&self) -> usize {
        self.state().kind as usize
    }

    /// The cached `hash` field: -1 until [`PyStr::hash`] has run.
    pub fn cached_hash(&self) -> PyHash {
        self.hdr().hash.get() as PyHash
    }

    /// Whether this is one of the runtime's static strings.
    pub fn is_static(&self) -> bool {
        state::with(|st| st.strs.is_static(self.0.as_ptr()))
    }

    /// Bytes the string holds in the allocators: its one block (0 for a static string).
    pub fn footprint(&self) -> usize {
        if self.is_static() {
            return 0;
        }
        // SAFETY: a string that is not static is a live block of this heap.
        runtime::with_heap(|h| unsafe { h.reserved_bytes(self.0.mem_address() as *const u8) })
    }

    /// Offset of the character data from the object.
    pub fn data_offset(&self) -> usize {
        if self.state().ascii {
            ascii_header()
        } else {
            compact_header()
        }
    }

    /// The header words after `state`, in memory order, as `(name, offset, value)` in this
    /// thread's version: `wstr` (≤ 3.11), then for a non-ASCII string `utf8_length`, `utf8`
    /// and (≤ 3.11) `wstr_length`. Addresses are values (0 for NULL).
    pub fn header_words(&self) -> Vec<(&'static str, usize, usize)> {
        let op = self.0.as_ptr();
        let mut out = Vec::new();
        // SAFETY: the handle keeps a live compact string, whose layout in this thread's
        // version has these words at these offsets (state.ascii says whether the utf8 words
        // are there).
        unsafe {
            if has_wstr() {
                out.push(("wstr", WSTR_OFFSET, *word(op, WSTR_OFFSET)));
            }
            if !self.state().ascii {
                let at = utf8_length_offset();
                out.push(("utf8_length", at, *word(op, at)));
                out.push(("utf8", at + 8, *word(op, at + 8)));
                if has_wstr() {
                    out.push((
                        "wstr_length",
                        WSTR_LENGTH_OFFSET,
                        *word(op, WSTR_LENGTH_OFFSET),
                    ));
                }
            }
        }
        out
    }

    /// The raw code units (without the trailing NUL).
    pub fn data(&self) -> &[u8] {
        // SAFETY: compact strings keep len * kind bytes of data after the header.
        unsafe {
            std::slice::from_raw_parts(
                self.0
                    .as_ptr()
                    .cast::<u8>()
                    .as_ptr()
                    .add(self.data_offset()),
                self.len() * self.kind(),
            )
        }
    }

    /// The code points.
    pub fn code_points(&self) -> Vec<u32> {
        let d = self.data();
        match self.kind() {
            1 => d.iter().map(|&b| b as u32).collect(),
            2 => d
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]) as u32)
                .collect(),
            _ => d
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
        }
    }

    fn to_string_lossless(&self) -> String {
        self.code_points()
            .into_iter()
            .map(|c| char::from_u32(c).expect("str holds no surrogates"))
            .collect()
    }

    /// `hash(s)`: SipHash-1-3 of the data with the runtime's key, cached in `hash`.
    pub fn hash(&self) -> PyHash {
        let cached = self.cached_hash();
        if cached != -1 {
            return cached;
        }
        cost::hashed();
        let h = str_hash(self.data());
        self.hdr().hash.set(h as isize);
        h
    }

    /// `sys.intern(s)` (`PyUnicode_InternInPlace`): the interned string equal to `s`,
    /// registering `s` if there is none. The table holds no reference: an interned string
    /// is mortal (3.11, 3.13), or immortal from then on (3.12).
    pub fn intern(self) -> PyStr {
        let facts = runtime::version().str_facts();
        if self.is_static() {
            // A Latin-1 singleton whose character a deep-frozen module also holds interns to
            // that module's object (it was interned first, at start-up).
            let frozen = match self.data() {
                &[c] if self.len() == 1 => state::with(|st| st.strs.frozen_char(c)),
                _ => None,
            };
            return match frozen {
                // SAFETY: the runtime keeps its static strings alive for the thread's
                // lifetime; from_borrowed counts the new reference.
                Some(op) if op != self.0.as_ptr() => {
                    // SAFETY: as above.
                    let f = PyStr(unsafe { Obj::from_borrowed(op) });
                    // Interning hashed it (the first time, with this run's key).
                    f.hash();
                    f
                }
                _ => {
                    self.hash();
                    let mut st = self.state();
                    if st.interned == SSTATE_NOT_INTERNED {
                        st.interned = facts.interned_static;
                        self.hdr().state.set(st.pack());
                    }
                    self
                }
            };
        }
        let key = self.to_string();
        let found = state::with(|st| st.strs.interned.borrow().get(&key).copied());
        if let Some(op) = found {
            // SAFETY: interned entries are live (dealloc removes them).
            return PyStr(unsafe { Obj::from_borrowed(op) });
        }
        self.hash();
        let mut st = self.state();
        st.interned = facts.interned_dynamic;
        self.hdr().state.set(st.pack());
        if st.interned == SSTATE_INTERNED_IMMORTAL {
            // _Py_SetImmortal: never freed from now on (its block stays with the runtime).
            self.hdr().ob_base.ob_refcnt.set(IMMORTAL_REFCNT);
        }
        runtime::trace(|| runtime::TraceEvent::Intern {
            address: self.0.id(),
            text: key.clone(),
        });
        state::with(|st| st.strs.interned.borrow_mut().insert(key, self.0.as_ptr()));
        self
    }

    /// `a + b` (`PyUnicode_Concat`): an operand itself when the other is empty.
    pub fn concat(&self, other: &PyStr) -> PyStr {
        if other.is_empty() {
            return self.clone();
        }
        if self.is_empty() {
            return other.clone();
        }
        // The result's kind is the wider of the two, which is the narrowest for the whole.
        let kind = self.kind().max(other.kind());
        let (a, b) = (self.units_as(kind), other.units_as(kind));
        let ascii = self.state().ascii && other.state().ascii;
        // SAFETY: `data` has room for both parts, in a block of its own.
        PyStr::build(self.len() + other.len(), kind, ascii, |data| unsafe {
            std::ptr::copy_nonoverlapping(a.as_ptr(), data, a.len());
            std::ptr::copy_nonoverlapping(b.as_ptr(), data.add(a.len()), b.len());
        })
    }

    /// The text when the string is ASCII (its data is then valid UTF-8 as it stands).
    fn as_ascii(&self) -> Option<&str> {
        if self.state().ascii {
            std::str::from_utf8(self.data()).ok()
        } else {
            None
        }
    }

    /// The code point at `i < len`, read from the data at its kind's width.
    fn code_point_at(&self, i: usize) -> u32 {
        let (d, k) = (self.data(), self.kind());
        let u = &d[i * k..(i + 1) * k];
        match k {
            1 => u32::from(u[0]),
            2 => u32::from(u16::from_le_bytes([u[0], u[1]])),
            _ => u32::from_le_bytes([u[0], u[1], u[2], u[3]]),
        }
    }

    /// `s * n`: itself for `n == 1`, `''` for an empty result.
    pub fn repeat(&self, n: isize) -> PyResult<PyStr> {
        if n == 1 {
            return Ok(self.clone());
        }
        let n = n.max(0) as usize;
        self.len()
            .checked_mul(n)
            .filter(|&t| t <= isize::MAX as usize / 4 - compact_header())
            .ok_or_else(|| {
                PyErr::new(
                    crate::error::ExcKind::OverflowError,
                    "repeated string is too long",
                )
            })?;
        let (kind, ascii, len) = (self.kind(), self.state().ascii, self.len() * n);
        if len <= 1 {
            return Ok(PyStr::from_units(&self.data().repeat(n), kind, ascii));
        }
        // Built in the new object's own memory, as `unicode_repeat` does: a large repeat
        // needs its result once, not a second copy on the way.
        let pattern = self.data();
        // SAFETY: `data` has room for `len * kind` bytes, a different block from `pattern`.
        Ok(PyStr::build(len, kind, ascii, |data| unsafe {
            repeat_in_place(data, pattern, n)
        }))
    }

    /// A new compact string of `len >= 2` characters whose `len * kind` data bytes `write`
    /// fills in place (`PyUnicode_New`, then the caller's copies), with the NUL after them.
    /// `write` must initialise every data byte.
    fn build(len: usize, kind: usize, ascii: bool, write: impl FnOnce(*mut u8)) -> PyStr {
        debug_assert!(len >= 2, "'' and one-character strings are singletons");
        let size = str_sizeof_for(len, kind, ascii);
        let op = alloc_object(&STR_TYPE, size)
            .unwrap_or_else(|| panic!("out of memory allocating a str of {len} characters"));
        let data_off = if ascii {
            ascii_header()
        } else {
            compact_header()
        };
        // SAFETY: a fresh block of `size` bytes: `init` writes the header (and a NUL at the
        // data's start, which `write` overwrites); `write` fills the `len * kind` data bytes;
        // the NUL goes after them, inside the block (`str_sizeof_for` counts it).
        unsafe {
            init(op, &[], len, kind, ascii, 1, false);
            let data = op.as_ptr().cast::<u8>().add(data_off);
            write(data);
            std::ptr::write_bytes(data.add(len * kind), 0, kind);
        }
        // SAFETY: fresh object, one owned reference.
        PyStr(unsafe { Obj::from_owned(op) })
    }

    /// `s[lo:hi]` with clamped bounds: itself for the whole string, singletons for length
    /// 0 and 1.
    pub fn slice(&self, lo: usize, hi: usize) -> PyStr {
        let n = self.len();
        let (lo, hi) = (lo.min(n), hi.min(n).max(lo.min(n)));
        if lo == 0 && hi == n {
            return self.clone();
        }
        if let Some(a) = self.as_ascii() {
            return PyStr::new(&a[lo..hi]);
        }
        let s: String = (lo..hi)
            .map(|i| char::from_u32(self.code_point_at(i)).expect("no surrogates"))
            .collect();
        PyStr::new(&s)
    }

    /// `s[i]`: `IndexError: string index out of range`.
    pub fn get(&self, i: isize) -> PyResult<PyStr> {
        let n = self.len() as isize;
        let j = if i < 0 { i + n } else { i };
        if !(0..n).contains(&j) {
            return Err(PyErr::index_error("string index out of range"));
        }
        // unicode_char: one code point, a cached singleton below 256.
        PyStr::from_code_point(i64::from(self.code_point_at(j as usize)))
    }

    /// `sep.join(parts)` (`_PyUnicode_JoinArray`): one part is returned itself; otherwise the
    /// result is written in its own memory at the widest kind, with no copy on the way.
    pub fn join(&self, parts: &[PyStr]) -> PyStr {
        if parts.len() == 1 {
            return parts[0].clone();
        }
        let seps = parts.len().saturating_sub(1);
        let len = parts.iter().map(PyStr::len).sum::<usize>() + self.len() * seps;
        let kind = parts.iter().map(PyStr::kind).fold(self.kind(), usize::max);
        let ascii = self.state().ascii && parts.iter().all(|p| p.state().ascii);
        if len == 0 {
            // PyUnicode_New(0) is the empty singleton; a one-character result is a new
            // string (`''.join(['', 'x']) is 'x'` is False).
            return PyStr::new("");
        }
        if len == 1 {
            let sep = self.to_string();
            let texts: Vec<String> = parts.iter().map(PyStr::to_string).collect();
            return PyStr::new_fresh(&texts.join(&sep));
        }
        let sep = self.units_as(kind);
        // SAFETY: `data` has room for `len * kind` bytes: every part and separator at `kind`,
        // written one after the other; the parts live in blocks of their own.
        PyStr::build(len, kind, ascii, |data| unsafe {
            let mut at = data;
            for (i, p) in parts.iter().enumerate() {
                if i > 0 {
                    std::ptr::copy_nonoverlapping(sep.as_ptr(), at, sep.len());
                    at = at.add(sep.len());
                }
                let units = p.units_as(kind);
                std::ptr::copy_nonoverlapping(units.as_ptr(), at, units.len());
                at = at.add(units.len());
            }
            debug_assert_eq!(at as usize - data as usize, len * kind);
        })
    }

    /// The characters, in order.
    fn chars(&self) -> impl Iterator<Item = char> + '_ {
        (0..self.len())
            .map(|i| char::from_u32(self.code_point_at(i)).expect("str holds no surrogates"))
    }

    /// `s.isdigit()`, `s.isupper()`, ... (`unicode_isdigit_impl` and friends) with CPython
    /// 3.11's character database ([`super::unicode`]).
    pub fn test(&self, p: StrPredicate) -> bool {
        use super::unicode as u;
        let all = |f: fn(char) -> bool| !self.is_empty() && self.chars().all(f);
        match p {
            StrPredicate::IsAscii => self.state().ascii,
            StrPredicate::IsDecimal => all(u::is_decimal),
            StrPredicate::IsDigit => all(u::is_digit),
            StrPredicate::IsNumeric => all(u::is_numeric),
            StrPredicate::IsAlpha => all(u::is_alpha),
            StrPredicate::IsAlnum => all(u::is_alnum),
            StrPredicate::IsSpace => all(u::is_space),
            // The only one that is true for ''.
            StrPredicate::IsPrintable => self.chars().all(is_printable),
            StrPredicate::IsUpper => self.cased_without(u::is_upper, u::is_lower),
            StrPredicate::IsLower => self.cased_without(u::is_lower, u::is_upper),
            StrPredicate::IsTitle => self.is_title(),
            // unicode_isidentifier_impl (no normalization: the parser's NFKC is not here).
            StrPredicate::IsIdentifier => {
                let mut cs = self.chars();
                cs.next().is_some_and(u::is_xid_start) && cs.all(u::is_xid_continue)
            }
        }
    }

    /// `unicode_isupper_impl` / `unicode_islower_impl`: one character answers by itself;
    /// a longer string needs one `cased` character and none of the other case or titlecase.
    fn cased_without(&self, cased: fn(char) -> bool, other: fn(char) -> bool) -> bool {
        use super::unicode::is_title;
        if self.len() == 1 {
            return self.chars().all(cased);
        }
        let mut found = false;
        for c in self.chars() {
            if other(c) || is_title(c) {
                return false;
            }
            found |= cased(c);
        }
        found
    }

    /// `unicode_istitle_impl`: uppercase and titlecase characters only at the start of a
    /// cased run, lowercase ones only inside one, and at least one cased character.
    fn is_title(&self) -> bool {
        use super::unicode::{is_lower, is_title, is_upper};
        if self.len() == 1 {
            return self.chars().all(|c| is_title(c) || is_upper(c));
        }
        let (mut cased, mut previous_is_cased) = (false, false);
        for c in self.chars() {
            if is_upper(c) || is_title(c) {
                if previous_is_cased {
                    return false;
                }
                (previous_is_cased, cased) = (true, true);
            } else if is_lower(c) {
                if !previous_is_cased {
                    return false;
                }
                (previous_is_cased, cased) = (true, true);
            } else {
                previous_is_cased = false;
            }
        }
        cased
    }

    /// `s.upper()` (`unicode_upper_impl`): full case mapping (`'ß'` becomes `"SS"`) with
    /// CPython 3.11's tables. Always a new string (`PyUnicode_New`), never a one-character
    /// singleton: `'a'.upper() is 'A'` is `False`; only `''` gives `''`.
    pub fn upper(&self) -> PyStr {
        let mut out = String::with_capacity(self.len());
        for c in self.chars() {
            super::unicode::push_upper(&mut out, c);
        }
        PyStr::new_fresh(&out)
    }

    /// `s.lower()` (`unicode_lower_impl`): full case mapping, and a capital sigma becomes
    /// the final `'ς'` at the end of a word (`handle_capital_sigma`).
    pub fn lower(&self) -> PyStr {
        let cs: Vec<char> = self.chars().collect();
        let mut out = String::with_capacity(cs.len());
        for (i, &c) in cs.iter().enumerate() {
            if c == '\u{3a3}' {
                out.push(if final_sigma(&cs, i) {
                    '\u{3c2}'
                } else {
                    '\u{3c3}'
                });
            } else {
                super::unicode::push_lower(&mut out, c);
            }
        }
        PyStr::new_fresh(&out)
    }

    /// `s.swapcase()` (`do_swapcase`): uppercase characters lowered (a capital sigma at a
    /// word's end to `'ς'`), lowercase ones raised, full mappings; always a new string.
    pub fn swapcase(&self) -> PyStr {
        use super::unicode as u;
        let cs: Vec<char> = self.chars().collect();
        let mut out = String::with_capacity(cs.len());
        for (i, &c) in cs.iter().enumerate() {
            if u::is_upper(c) {
                PyStr::push_lower_at(&mut out, &cs, i);
            } else if u::is_lower(c) {
                u::push_upper(&mut out, c);
            } else {
                out.push(c);
            }
        }
        PyStr::new_fresh(&out)
    }

    /// `lower_ucs4`: the lowercase of the character at `i`, a capital sigma by its place in
    /// the word.
    fn push_lower_at(out: &mut String, cs: &[char], i: usize) {
        if cs[i] == '\u{3a3}' {
            out.push(if final_sigma(cs, i) {
                '\u{3c2}'
            } else {
                '\u{3c3}'
            });
        } else {
            super::unicode::push_lower(out, cs[i]);
        }
    }

    /// `s.title()` (`do_title`): a character after a cased one is lowered, any other is
    /// titlecased; always a new string.
    pub fn title(&self) -> PyStr {
        let cs: Vec<char> = self.chars().collect();
        let mut out = String::with_capacity(cs.len());
        let mut previous_is_cased = false;
        for (i, &c) in cs.iter().enumerate() {
            if previous_is_cased {
                PyStr::push_lower_at(&mut out, &cs, i);
            } else {
                super::unicode::push_title(&mut out, c);
            }
            previous_is_cased = super::unicode::is_cased(c);
        }
        PyStr::new_fresh(&out)
    }

    /// `s.capitalize()` (`do_capitalize`, 3.8+): the first character titlecased, the rest
    /// lowered; always a new string.
    pub fn capitalize(&self) -> PyStr {
        let cs: Vec<char> = self.chars().collect();
        let mut out = String::with_capacity(cs.len());
        for (i, &c) in cs.iter().enumerate() {
            if i == 0 {
                super::unicode::push_title(&mut out, c);
            } else {
                PyStr::push_lower_at(&mut out, &cs, i);
            }
        }
        PyStr::new_fresh(&out)
    }

    /// `s.casefold()` (`do_casefold`): full case folding; always a new string.
    pub fn casefold(&self) -> PyStr {
        let mut out = String::with_capacity(self.len());
        for c in self.chars() {
            super::unicode::push_fold(&mut out, c);
        }
        PyStr::new_fresh(&out)
    }

    /// What `case_operation`, `ascii_upper_or_lower` and `pad` return: `PyUnicode_New` of
    /// the result's length, the empty singleton for `''` and a fresh object otherwise (never
    /// a one-character singleton).
    pub fn new_fresh(s: &str) -> PyStr {
        if s.is_empty() {
            PyStr::new(s)
        } else {
            PyStr::new_uncached(s)
        }
    }

    /// `ord(s)`: `TypeError` unless exactly one character.
    pub fn ord(&self) -> PyResult<u32> {
        if self.len() != 1 {
            return Err(PyErr::type_error(format!(
                "ord() expected a character, but string of length {} found",
                self.len()
            )));
        }
        Ok(self.code_points()[0])
    }

    /// `a == b` for strings (`unicode_eq`: same length, kind and bytes).
    pub fn str_eq(&self, other: &PyStr) -> bool {
        self.as_obj().is(other.as_obj())
            || (self.len() == other.len()
                && self.kind() == other.kind()
                && self.data() == other.data())
    }
}

impl std::fmt::Display for PyStr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_string_lossless())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeat_builds_every_kind_in_place() {
        for text in ["a", "ab", "é", "€x", "a𝄞", "xyz"] {
            for n in [0, 1, 2, 3, 5, 8, 100, 1025] {
                let r = PyStr::new(text).repeat(n as isize).unwrap();
                let want = text.repeat(n);
                assert_eq!(r.to_string(), want, "{text:?} * {n}");
                assert_eq!(r.len(), want.chars().count());
                assert_eq!(
                    r.as_obj().getsizeof(),
                    PyStr::new(&want).as_obj().getsizeof()
                );
            }
        }
    }

    #[test]
    fn sizes_kinds_and_singletons() {
        for (s, size, kind) in [
            ("", 49, 1),
            ("a", 50, 1),
            ("aaaaaaaaaa", 59, 1),
            ("é", 74, 1),
            ("aé", 75, 1),
            ("中", 76, 2),
            ("😀", 80, 4),
        ] {
            let p = PyStr::new(s);
            assert_eq!(p.as_obj().getsizeof(), size, "{s:?}");
            assert_eq!(p.kind(), kind);
            assert_eq!(p.to_string(), s);
        }
        assert!(PyStr::new("a").as_obj().is(PyStr::new("a").as_obj()));
        assert!(PyStr::new("a").is_static());
        assert!(!PyStr::new("ab").as_obj().is(PyStr::new("ab").as_obj()));
        let s = PyStr::new("héllo");
        assert!(s.get(1).unwrap().as_obj().is(PyStr::new("é").as_obj()));
    }

    #[test]
    fn interning_and_hash_cache() {
        let a = PyStr::new("hello world").intern();
        let b = PyStr::new("hello world").intern();
        assert!(a.as_obj().is(b.as_obj()));
        assert_eq!(a.state().interned, SSTATE_INTERNED_MORTAL);
        assert_ne!(a.cached_hash(), -1);
        let c = PyStr::new("not hashed");
        assert_eq!(c.cached_hash(), -1);
        let h = c.hash();
        assert_eq!(c.cached_hash(), h);
        drop((a, b));
        let d = PyStr::new("hello world").intern();
        assert_eq!(
            d.as_obj().refcnt(),
            1,
            "the old interned string died and left"
        );
    }

    #[test]
    fn reprs() {
        assert_eq!(repr("abc"), "'abc'");
        assert_eq!(repr("it's"), "\"it's\"");
        assert_eq!(repr("a'b\"c"), "'a\\'b\"c'");
        assert_eq!(repr("\n\x00é中😀"), "'\\n\\x00é中😀'");
    }
}
