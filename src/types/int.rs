//! `int` (and `bool`) as CPython 3.11 stores them (`Include/cpython/longintrepr.h`,
//! `Objects/longobject.c`, `Objects/boolobject.c`).
//!
//! ```text
//!  PyLongObject (3.11)                         value = sign(ob_size) * sum(d[i] * 2**(30*i))
//!  +0   ob_refcnt      8
//!  +8   ob_type        8
//!  +16  ob_size        8   signed number of digits: 0 for 0, -2 for -(2**30)
//!  +24  ob_digit[0]    4   30-bit digits, least significant first, stored in u32
//!  +28  ob_digit[1]    4   ...
//! ```
//!
//! - `__sizeof__` = `24 + 4 * max(1, |ob_size|)`: zero still allocates one digit, so
//!   `sys.getsizeof(0) == 28`; `2**30` needs two digits (32 bytes). Not a GC type: getsizeof adds
//!   nothing. The block is the next 16-byte class: 28 → 32, 32 → 32, 36 → 48.
//! - Small ints `-5..=256` are preallocated and shared (`NSMALLNEGINTS`, `NSMALLPOSINTS`);
//!   in 3.11 they live in static memory, not in pymalloc, with `ob_refcnt` starting at
//!   999999999. `True`/`False` are static `bool` objects with one digit each.
//! - There is no int free list in 3.11.
//!
//! Arithmetic is done with `num-bigint`; the object always stores CPython's digits.
//!
//! Unsafe: the digits live inline after the header; small ints are static objects handed out by
//! pointer.
#![allow(unsafe_code)]

use std::cell::Cell;
use std::ptr::NonNull;

use num_bigint::{BigInt, BigUint, Sign};

use crate::object::{
    Obj, PyObject, PyVarObject, TypeObject, alloc_object, free_object, static_refcnt,
};
use crate::profile::{Current, Profile, PyVersion};
use crate::runtime;
use crate::types::state;

/// `PyLong_SHIFT`: bits per digit.
pub const PYLONG_SHIFT: u32 = Current::PYLONG_SHIFT;
/// `PyLong_MASK`.
pub const PYLONG_MASK: u32 = (1 << PYLONG_SHIFT) - 1;
/// `NSMALLNEGINTS`: small ints start at -5.
pub const NSMALLNEGINTS: i64 = Current::NSMALLNEGINTS;
/// `NSMALLPOSINTS`: small ints end at 256.
pub const NSMALLPOSINTS: i64 = Current::NSMALLPOSINTS;
/// `offsetof(PyLongObject, ob_digit)` = `int.__basicsize__`.
pub const DIGIT_OFFSET: usize = std::mem::offset_of!(PyLongObject, ob_digit);
/// `sizeof(digit)` = `int.__itemsize__`.
pub const DIGIT_SIZE: usize = size_of::<u32>();

/// `PyLongObject` with room for one digit (the smallest allocation).
#[repr(C)]
#[derive(Debug)]
pub struct PyLongObject {
    /// Header; `ob_size` is the signed digit count.
    pub ob_base: PyVarObject,
    /// First digit; more follow in the same block.
    pub ob_digit: [Cell<u32>; 1],
}

const _: () = assert!(DIGIT_OFFSET == 24);

/// `int.__sizeof__()` for an int with `ndigits = |ob_size|` digits: `24 + 4 * max(1, ndigits)`.
pub const fn int_sizeof(ndigits: usize) -> usize {
    DIGIT_OFFSET + DIGIT_SIZE * if ndigits == 0 { 1 } else { ndigits }
}

/// `PyLong_Type`.
pub static INT_TYPE: TypeObject = TypeObject {
    tp_name: "int",
    tp_basicsize: DIGIT_OFFSET,
    tp_itemsize: DIGIT_SIZE,
    tp_flags: 0,
    tp_dealloc: long_dealloc,
    sizeof: long_sizeof,
    tp_traverse: None,
    tp_clear: None,
    gc_items: None,
    gc_untrack: crate::object::GcUntrack::Never,
};

/// `PyBool_Type` (a subclass of int; only the two static instances exist).
pub static BOOL_TYPE: TypeObject = TypeObject {
    tp_name: "bool",
    tp_basicsize: DIGIT_OFFSET,
    tp_itemsize: DIGIT_SIZE,
    tp_flags: 0,
    tp_dealloc: static_dealloc,
    sizeof: long_sizeof,
    tp_traverse: None,
    tp_clear: None,
    gc_items: None,
    gc_untrack: crate::object::GcUntrack::Never,
};

/// # Safety
/// `op` is a dead (refcount 0) heap int.
unsafe fn long_dealloc(op: NonNull<PyObject>) {
    // SAFETY: op is an int whose last reference just went; it was allocated by alloc_object.
    unsafe {
        debug_assert!(!is_static(op), "a static int reached refcount 0");
        free_object(op, &INT_TYPE)
    }
}

/// # Safety
/// Never sound to reach: static objects start at [`crate::object::static_refcnt`].
unsafe fn static_dealloc(op: NonNull<PyObject>) {
    debug_assert!(false, "static object {op:p} reached refcount 0");
}

/// Whether this thread's ints store 3.12's `lv_tag` at offset 16 instead of `ob_size`.
#[inline(always)]
fn tagged() -> bool {
    runtime::version() >= PyVersion::Py312
}

/// The word at offset 16 for a signed digit count `size`: `ob_size` itself up to 3.11; from
/// 3.12 `lv_tag = ndigits << 3 | sign`, sign 0 positive, 1 zero, 2 negative
/// (`Include/cpython/longintrepr.h`, `_PyLong_SetSignAndDigitCount`).
#[inline]
fn encode_size(size: isize) -> isize {
    if !tagged() {
        return size;
    }
    let sign = match size {
        0 => 1,
        s if s < 0 => 2,
        _ => 0,
    };
    ((size.unsigned_abs() << 3) | sign) as isize
}

/// The signed digit count stored as [`encode_size`] stores it.
#[inline]
fn decode_size(stored: isize) -> isize {
    if !tagged() {
        return stored;
    }
    let n = (stored as usize >> 3) as isize;
    if stored & 3 == 2 { -n } else { n }
}

/// The signed digit count of a live int (`_PyLong_SignedDigitCount`).
///
/// # Safety
/// `op` is a live int or bool.
#[inline]
unsafe fn signed_digits(op: NonNull<PyObject>) -> isize {
    // SAFETY: the word at offset 16 of every int (per the contract).
    decode_size(unsafe { op.cast::<PyVarObject>().as_ref().ob_size.get() })
}

/// # Safety
/// `op` is a live int or bool.
unsafe fn long_sizeof(op: NonNull<PyObject>) -> usize {
    // SAFETY: op is a live int (the contract).
    let size = unsafe { signed_digits(op) };
    int_sizeof(size.unsigned_abs())
}

/// The value of an `int` (or `bool`) object if it fits an `i64`, read from its digits: up to
/// three 30-bit digits without building a `BigInt` (the hot path of hashing and indexing).
#[inline]
pub(crate) fn i64_of(o: &Obj) -> Option<i64> {
    // SAFETY: o is an int (the caller's contract: only ints reach here).
    let size = unsafe { signed_digits(o.as_ptr()) };
    let n = size.unsigned_abs();
    if n <= 2 {
        // At most 60 bits: always fits.
        let mut m: u64 = 0;
        for i in (0..n).rev() {
            // SAFETY: an int with ob_size ±n has n digits after offset 24.
            let d = unsafe { o.read_field::<u32>(DIGIT_OFFSET + DIGIT_SIZE * i) };
            m = (m << PYLONG_SHIFT) | d as u64;
        }
        return Some(if size < 0 { -(m as i64) } else { m as i64 });
    }
    if n > 3 {
        return None; // at least 2**90
    }
    let mut m: u128 = 0;
    for i in (0..n).rev() {
        // SAFETY: an int with ob_size ±n has n digits after offset 24.
        let d = unsafe { o.read_field::<u32>(DIGIT_OFFSET + DIGIT_SIZE * i) };
        m = (m << PYLONG_SHIFT) | d as u128;
    }
    if size < 0 {
        (m <= 1u128 << 63).then(|| (m as u64).wrapping_neg() as i64)
    } else {
        i64::try_from(m).ok()
    }
}

fn is_static(op: NonNull<PyObject>) -> bool {
    state::with(|st| st.ints.contains(op))
}

/// The statically allocated ints of a runtime: `-5..=256`, then `False`, `True`.
#[derive(Debug)]
pub(crate) struct IntState {
    objects: Box<[PyLongObject]>,
}

const N_SMALL: usize = (NSMALLNEGINTS + NSMALLPOSINTS) as usize;

impl IntState {
    pub(crate) fn new() -> IntState {
        let make = |v: i64, tp: &'static TypeObject| {
            let (size, digit) = match v {
                0 if std::ptr::eq(tp, &INT_TYPE) => (0, 0),
                _ => (v.signum() as isize, v.unsigned_abs() as u32),
            };
            PyLongObject {
                ob_base: PyVarObject {
                    ob_base: PyObject {
                        ob_refcnt: Cell::new(static_refcnt()),
                        ob_type: Cell::new(tp),
                    },
                    ob_size: Cell::new(encode_size(size)),
                },
                ob_digit: [Cell::new(digit)],
            }
        };
        let mut objects: Vec<PyLongObject> = (-NSMALLNEGINTS..NSMALLPOSINTS)
            .map(|v| make(v, &INT_TYPE))
            .collect();
        // 3.11: False has ob_size 0 (like 0), True ob_size 1.
        objects.push(make(0, &BOOL_TYPE));
        objects.push(make(1, &BOOL_TYPE));
        IntState {
            objects: objects.into_boxed_slice(),
        }
    }

    fn ptr(&self, index: usize) -> NonNull<PyObject> {
        NonNull::from(&self.objects[index]).cast()
    }

    fn contains(&self, op: NonNull<PyObject>) -> bool {
        let start = self.objects.as_ptr() as usize;
        let end = start + std::mem::size_of_val(&*self.objects);
        (start..end).contains(&(op.as_ptr() as usize))
    }
}

/// A handle to an `int` (or a `bool`).
#[derive(Clone, Debug)]
pub struct PyInt(Obj);

/// Digits of a magnitude in base 2**30, least significant first, no leading zeros.
pub fn to_digits(magnitude: &BigUint) -> Vec<u32> {
    let mut out = Vec::new();
    let mut acc: u128 = 0;
    let mut bits = 0u32;
    for limb in magnitude.iter_u64_digits() {
        acc |= (limb as u128) << bits;
        bits += 64;
        while bits >= PYLONG_SHIFT {
            out.push((acc as u32) & PYLONG_MASK);
            acc >>= PYLONG_SHIFT;
            bits -= PYLONG_SHIFT;
        }
    }
    while acc != 0 {
        out.push((acc as u32) & PYLONG_MASK);
        acc >>= PYLONG_SHIFT;
    }
    while out.last() == Some(&0) {
        out.pop();
    }
    out
}

/// The magnitude whose base-2**30 digits (least significant first) are `digits`.
pub fn from_digits(digits: &[u32]) -> BigUint {
    let mut limbs = Vec::with_capacity(digits.len() * 30 / 64 + 1);
    let mut acc: u128 = 0;
    let mut bits = 0u32;
    for &d in digits {
        debug_assert!(d <= PYLONG_MASK, "digit {d:#x} has more than 30 bits");
        acc |= (d as u128) << bits;
        bits += PYLONG_SHIFT;
        if bits >= 64 {
            limbs.push(acc as u64);
            acc >>= 64;
            bits -= 64;
        }
    }
    if bits > 0 {
        limbs.push(acc as u64);
    }
    // Linear: hand the limbs over as little-endian 32-bit words.
    let words: Vec<u32> = limbs
        .iter()
        .flat_map(|l| [*l as u32, (*l >> 32) as u32])
        .collect();
    BigUint::from_slice(&words)
}

/// The base-2**30 digits of `|v|` (64 bits need at most three), least significant first, and
/// how many.
pub fn i64_digits(v: i64) -> ([u32; 3], usize) {
    let mut digits = [0u32; 3];
    let mut n = 0;
    let mut m = v.unsigned_abs();
    while m != 0 {
        digits[n] = (m as u32) & PYLONG_MASK;
        n += 1;
        m >>= PYLONG_SHIFT;
    }
    (digits, n)
}

/// Whether `v` is one of the static small ints (-5..=256).
pub fn is_small(v: i64) -> bool {
    small_index(v).is_some()
}

fn small_index(v: i64) -> Option<usize> {
    (-NSMALLNEGINTS..NSMALLPOSINTS)
        .contains(&v)
        .then(|| (v + NSMALLNEGINTS) as usize)
}

impl PyInt {
    /// `PyLong_FromLongLong(v)`: the shared small int for -5..=256, else a new object.
    ///
    /// ```
    /// use pylayout::types::int::PyInt;
    ///
    /// // -5..=256 are preallocated and shared: `a = 256; b = 256; a is b`.
    /// let (a, b) = (PyInt::from_i64(256), PyInt::from_i64(256));
    /// assert!(a.as_obj().is(b.as_obj()));
    /// assert!(a.is_static()); // in static memory, not in a pool
    /// // 257 is not: each call makes a new object.
    /// let (c, d) = (PyInt::from_i64(257), PyInt::from_i64(257));
    /// assert!(!c.as_obj().is(d.as_obj()));
    ///
    /// // 30-bit digits: 24 bytes of header, 4 per digit, at least one digit.
    /// assert_eq!(PyInt::from_i64(0).as_obj().getsizeof(), 28);
    /// let big = PyInt::from_i64(-(1 << 30));
    /// assert_eq!((big.ob_size(), big.digits()), (-2, vec![0, 1])); // the sign is in ob_size
    /// assert_eq!(big.as_obj().getsizeof(), 32);
    /// assert_eq!(big.to_i64(), Some(-(1 << 30)));
    /// ```
    pub fn from_i64(v: i64) -> PyInt {
        if let Some(i) = small_index(v) {
            return PyInt(state::with(|st| {
                // SAFETY: static objects of this thread's runtime are always live.
                unsafe { Obj::from_borrowed(st.ints.ptr(i)) }
            }));
        }
        let (digits, n) = i64_digits(v);
        Self::new_from_digits(v < 0, &digits[..n])
    }

    /// An int of any size (small ints are still shared).
    pub fn from_bigint(v: &BigInt) -> PyInt {
        if let Ok(small) = i64::try_from(v) {
            return Self::from_i64(small);
        }
        Self::new_from_digits(v.sign() == Sign::Minus, &to_digits(v.magnitude()))
    }

    /// `True` or `False` (static singletons, `Py_True`/`Py_False`).
    pub fn from_bool(b: bool) -> PyInt {
        let i = N_SMALL + b as usize;
        PyInt(state::with(|st| {
            // SAFETY: static objects of this thread's runtime are always live.
            unsafe { Obj::from_borrowed(st.ints.ptr(i)) }
        }))
    }

    /// A result of CPython's `x_add`, `x_sub` or `x_mul`: `_PyLong_New(block)`, sized for
    /// the longest result the operands allow, then normalized, so `ob_size` counts the
    /// digits `v` has while the block keeps its size (which decides the pool it came from,
    /// and so the addresses that follow). With `maybe_small` (`x_sub`), a value in the
    /// small-int range frees the block and is the shared small int (`maybe_small_long`).
    pub fn from_bigint_in_block(v: &BigInt, block: usize, maybe_small: bool) -> PyInt {
        if maybe_small
            && let Ok(small) = i64::try_from(v)
            && small_index(small).is_some()
        {
            drop(Self::new_from_digits_in(false, &[], block));
            return Self::from_i64(small);
        }
        let digits = to_digits(v.magnitude());
        Self::new_from_digits_in(v.sign() == Sign::Minus, &digits, block)
    }

    /// [`Self::from_bigint_in_block`] for a machine int (no `BigInt` on the way).
    pub fn from_i64_in_block(v: i64, block: usize, maybe_small: bool) -> PyInt {
        if small_index(v).is_some() {
            if maybe_small {
                drop(Self::new_from_digits_in(false, &[], block));
            }
            return Self::from_i64(v);
        }
        let (digits, n) = i64_digits(v);
        Self::new_from_digits_in(v < 0, &digits[..n], block)
    }

    /// `_PyLong_New(n)` + copy: a fresh heap int with exactly these digits (no small-int
    /// check). The block holds `24 + 4 * max(1, n)` bytes.
    fn new_from_digits(negative: bool, digits: &[u32]) -> PyInt {
        Self::new_from_digits_in(negative, digits, digits.len())
    }

    /// [`Self::new_from_digits`] in a block of `block` digits (at least the digits').
    fn new_from_digits_in(negative: bool, digits: &[u32], block: usize) -> PyInt {
        let n = digits.len();
        let nbytes = int_sizeof(n.max(block));
        let op = alloc_object(&INT_TYPE, nbytes)
            .unwrap_or_else(|| panic!("out of memory allocating a {n}-digit int"));
        // SAFETY: op is a fresh block of nbytes = 24 + 4*max(1, n, block) bytes, enough for
        // the header and max(1, n) digits at offset 24 (4-aligned).
        unsafe {
            let var = op.cast::<PyVarObject>();
            let size = n as isize;
            std::ptr::addr_of_mut!((*var.as_ptr()).ob_size)
                .write(Cell::new(encode_size(if negative { -size } else { size })));
            let d = op.cast::<u8>().add(DIGIT_OFFSET).cast::<u32>();
            d.write(0);
            std::ptr::copy_nonoverlapping(digits.as_ptr(), d.as_ptr(), n);
            PyInt(Obj::from_owned(op))
        }
    }

    /// View an object as an int (or bool); `None` for other types.
    pub fn from_obj(obj: Obj) -> Result<PyInt, Obj> {
        if obj.is_type(&INT_TYPE) || obj.is_type(&BOOL_TYPE) {
            Ok(PyInt(obj))
        } else {
            Err(obj)
        }
    }

    /// The object handle.
    pub fn as_obj(&self) -> &Obj {
        &self.0
    }

    /// Give up the typed view.
    pub fn into_obj(self) -> Obj {
        self.0
    }

    /// The signed digit count (`ob_size` up to 3.11; decoded from `lv_tag` from 3.12).
    pub fn ob_size(&self) -> isize {
        // SAFETY: self is a live int.
        unsafe { signed_digits(self.0.as_ptr()) }
    }

    /// The word at offset 16 as memory holds it, with its name in this thread's version:
    /// `("ob_size", n)` up to 3.11, `("lv_tag", ndigits << 3 | sign)` from 3.12.
    pub fn size_field(&self) -> (&'static str, isize) {
        // SAFETY: every int has an isize at offset 16.
        let raw = unsafe { self.0.read_field::<isize>(crate::object::OB_SIZE_OFFSET) };
        (if tagged() { "lv_tag" } else { "ob_size" }, raw)
    }

    /// The `|ob_size|` digits, least significant first (empty for zero).
    pub fn digits(&self) -> Vec<u32> {
        let n = self.ob_size().unsigned_abs();
        (0..n)
            // SAFETY: an int with ob_size ±n has n digits after offset 24.
            .map(|i| unsafe { self.0.read_field::<u32>(DIGIT_OFFSET + DIGIT_SIZE * i) })
            .collect()
    }

    /// The value.
    pub fn value(&self) -> BigInt {
        let sign = match self.ob_size() {
            0 => Sign::NoSign,
            s if s < 0 => Sign::Minus,
            _ => Sign::Plus,
        };
        BigInt::from_biguint(sign, from_digits(&self.digits()))
    }

    /// `long_compare(a, b)`: signed digit counts first, then digits from the most significant,
    /// without building a big integer (what `int < int` and `int == int` cost in CPython).
    pub fn compare(&self, other: &PyInt) -> std::cmp::Ordering {
        PyInt::compare_objs(&self.0, &other.0).unwrap_or(std::cmp::Ordering::Equal)
    }

    /// [`PyInt::compare`] of two objects without taking references: `None` unless both
    /// are ints (or bools).
    #[inline]
    pub fn compare_objs(a: &Obj, b: &Obj) -> Option<std::cmp::Ordering> {
        let int = |o: &Obj| o.is_type(&INT_TYPE) || o.is_type(&BOOL_TYPE);
        if !(int(a) && int(b)) {
            return None;
        }
        // SAFETY: both are ints, whose ob_size is an isize at offset 16 and whose |ob_size|
        // digits follow at offset 24.
        unsafe {
            let size = |o: &Obj| signed_digits(o.as_ptr());
            let digit = |o: &Obj, i: usize| o.read_field::<u32>(DIGIT_OFFSET + DIGIT_SIZE * i);
            let (x, y) = (size(a), size(b));
            if x != y {
                return Some(x.cmp(&y));
            }
            for i in (0..x.unsigned_abs()).rev() {
                let (p, q) = (digit(a, i), digit(b, i));
                if p != q {
                    let o = p.cmp(&q);
                    return Some(if x < 0 { o.reverse() } else { o });
                }
            }
        }
        Some(std::cmp::Ordering::Equal)
    }

    /// The value if it fits an `i64`.
    #[inline]
    pub fn to_i64(&self) -> Option<i64> {
        i64_of(&self.0)
    }

    /// Whether this is one of the runtime's static objects (small ints, `True`, `False`).
    pub fn is_static(&self) -> bool {
        is_static(self.0.as_ptr())
    }

    /// Whether this is `True` or `False`.
    pub fn is_bool(&self) -> bool {
        self.0.is_type(&BOOL_TYPE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime;

    #[test]
    fn compare_orders_as_the_values_do() {
        // Values around digit boundaries, signs and equal digit counts; the model is BigInt.
        let mut vals: Vec<BigInt> = Vec::new();
        for shift in [0u32, 29, 30, 31, 59, 60, 61, 90, 120] {
            for d in [-2i64, -1, 0, 1, 2] {
                let v = (BigInt::from(1) << shift) + d;
                vals.push(v.clone());
                vals.push(-v);
            }
        }
        let ints: Vec<PyInt> = vals.iter().map(PyInt::from_bigint).collect();
        for (a, x) in vals.iter().zip(&ints) {
            for (b, y) in vals.iter().zip(&ints) {
                assert_eq!(x.compare(y), a.cmp(b), "{a} vs {b}");
            }
        }
    }

    #[test]
    fn to_i64_from_digits_matches_the_bigint_path() {
        let edges = [
            0i128,
            1,
            -1,
            257,
            -6,
            (1 << 30) - 1,
            1 << 30,
            -(1 << 30),
            (1 << 60) - 1,
            1 << 60,
            -(1 << 60),
            i64::MAX as i128,
            i64::MIN as i128,
            i64::MAX as i128 + 1,
            i64::MIN as i128 - 1,
            (1 << 90) - 1,
            1 << 90,
            -(1 << 90),
        ];
        for v in edges {
            let i = PyInt::from_bigint(&BigInt::from(v));
            assert_eq!(i.to_i64(), i64::try_from(i.value()).ok(), "{v}");
        }
    }

    #[test]
    fn digits_roundtrip() {
        for v in [0u128, 1, (1 << 30) - 1, 1 << 30, (1 << 60) + 5, u128::MAX] {
            let m = BigUint::from(v);
            let d = to_digits(&m);
            assert!(d.iter().all(|&x| x <= PYLONG_MASK));
            assert_eq!(from_digits(&d), m, "{v}");
        }
        assert_eq!(to_digits(&BigUint::from(1u64 << 30)), vec![0, 1]);
    }

    #[test]
    fn small_ints_are_shared_and_static() {
        let a = PyInt::from_i64(256);
        let b = PyInt::from_bigint(&BigInt::from(256));
        assert!(a.as_obj().is(b.as_obj()));
        assert!(a.is_static());
        assert!(!PyInt::from_i64(257).is_static());
        assert!(
            !PyInt::from_i64(257)
                .as_obj()
                .is(PyInt::from_i64(257).as_obj())
        );
        assert!(PyInt::from_i64(-5).is_static());
        assert!(!PyInt::from_i64(-6).is_static());
        assert_eq!(a.as_obj().refcnt(), crate::object::STATIC_REFCNT + 2);
    }

    #[test]
    fn zero_and_bools() {
        let z = PyInt::from_i64(0);
        assert_eq!((z.ob_size(), z.as_obj().sizeof()), (0, 28));
        let t = PyInt::from_bool(true);
        let f = PyInt::from_bool(false);
        assert_eq!(
            (t.as_obj().type_name(), t.ob_size(), t.as_obj().getsizeof()),
            ("bool", 1, 28)
        );
        assert_eq!((f.ob_size(), f.as_obj().getsizeof()), (0, 28));
        assert_eq!(t.to_i64(), Some(1));
        assert!(!t.as_obj().is(PyInt::from_i64(1).as_obj()));
    }

    #[test]
    fn heap_ints_come_from_pools_and_go_back() {
        let before = runtime::allocated_blocks();
        let big = PyInt::from_bigint(&(BigInt::from(1) << 200));
        assert_eq!(big.ob_size(), 7);
        assert_eq!(big.as_obj().sizeof(), 24 + 28);
        let info = runtime::with_heap(|h| h.block_info(big.as_obj().id() as *const u8)).unwrap();
        assert_eq!(info.block_size, 64);
        assert_eq!(runtime::allocated_blocks(), before + 1);
        let copy = big.clone();
        assert_eq!(big.as_obj().refcnt(), 2);
        drop(big);
        assert_eq!(copy.as_obj().refcnt(), 1);
        drop(copy);
        assert_eq!(runtime::allocated_blocks(), before);
    }
}
