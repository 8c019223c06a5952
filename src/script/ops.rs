//! Operators on objects, as CPython's number and sequence slots do them
//! (`Objects/longobject.c`, `Objects/floatobject.c`, `Objects/abstract.c`), with CPython's
//! error messages. Shared by the evaluator and the constant folder.

use std::cmp::Ordering;

use num_bigint::{BigInt, Sign};
use num_traits_lite::{ToPrimitive, Zero};

use super::ast::{BinOp, CmpOp, UnOp};
use crate::error::{ExcKind, PyErr};
use crate::object::Obj;
use crate::types::dict::PyDict;
use crate::types::float::PyFloat;
use crate::types::int::{PyInt, i64_of};
use crate::types::list::PyList;
use crate::types::none;
use crate::types::ops as tops;
use crate::types::str::PyStr;
use crate::types::tuple::PyTuple;

/// num-bigint re-exports what we need from num-traits through its own API.
mod num_traits_lite {
    pub use num_bigint::BigInt;

    /// `to_i64` / `to_f64` on big ints.
    pub trait ToPrimitive {
        fn to_i64_(&self) -> Option<i64>;
    }
    impl ToPrimitive for BigInt {
        fn to_i64_(&self) -> Option<i64> {
            i64::try_from(self).ok()
        }
    }

    /// Zero test.
    pub trait Zero {
        fn is_zero_(&self) -> bool;
    }
    impl Zero for BigInt {
        fn is_zero_(&self) -> bool {
            self.sign() == num_bigint::Sign::NoSign
        }
    }
}

/// Why an operation stopped: a Python exception, a resource limit, or something the subset
/// does not model.
#[derive(Clone, Debug)]
pub enum Fault {
    /// A Python exception raised by C code, not yet an object (CPython normalizes it when a
    /// handler catches it).
    Py(PyErr),
    /// An exception raised by C code with an argument tuple rather than a message
    /// (`_PyErr_SetKeyError`: `KeyError` with `(key,)`), not yet an object.
    PyArgs(crate::error::ExcKind, Obj),
    /// A Python exception object in flight (`raise e`, or one normalized).
    Exc(std::rc::Rc<super::value::GcCounted<super::value::ExcObj>>),
    /// The memory limit (`--max-memory`): the message says what would have been allocated.
    Memory(String),
    /// Outside the subset at run time (a complex result, `%`-formatting, ...).
    Unsupported(String),
    /// The step limit (`--max-steps`) was reached.
    Steps(u64),
    /// Writing the output failed (`Some(message)`), or its reader went away (`None`: a
    /// closed pipe, which ends the run quietly, as `python3 x.py | head` does not).
    Output(Option<String>),
}

impl PartialEq for Fault {
    /// Exception objects are equal when they are the same object.
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Fault::Py(a), Fault::Py(b)) => a == b,
            (Fault::Exc(a), Fault::Exc(b)) => std::rc::Rc::ptr_eq(a, b),
            (Fault::PyArgs(k, a), Fault::PyArgs(l, b)) => k == l && a.is(b),
            (Fault::Memory(a), Fault::Memory(b))
            | (Fault::Unsupported(a), Fault::Unsupported(b)) => a == b,
            (Fault::Steps(a), Fault::Steps(b)) => a == b,
            (Fault::Output(a), Fault::Output(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for Fault {}

impl From<PyErr> for Fault {
    fn from(e: PyErr) -> Self {
        Fault::Py(e)
    }
}

/// Result of an operation.
pub type OpResult<T> = Result<T, Fault>;

/// A Python exception as a fault.
pub fn exc(kind: ExcKind, msg: impl Into<String>) -> Fault {
    Fault::Py(PyErr::new(kind, msg))
}

/// `KeyError(key)` as `_PyErr_SetKeyError` raises it: the value is the tuple `(key,)`.
pub fn key_error(key: &Obj) -> Fault {
    Fault::PyArgs(
        crate::error::ExcKind::KeyError,
        crate::types::tuple::PyTuple::new(vec![key.clone()]).into_obj(),
    )
}

/// A `KeyError` of the object layer, raised again with its key (see [`key_error`]).
pub fn keyed(e: PyErr, key: &Obj) -> Fault {
    if e.kind == crate::error::ExcKind::KeyError {
        key_error(key)
    } else {
        Fault::Py(e)
    }
}

/// `TypeError(msg)`.
pub fn type_err(msg: impl Into<String>) -> Fault {
    exc(ExcKind::TypeError, msg)
}

/// A number operand.
#[derive(Clone, Debug)]
pub enum Num {
    Int(BigInt),
    Float(f64),
}

/// The number in `o` (bools are ints), if it is one.
pub fn as_num(o: &Obj) -> Option<Num> {
    if let Ok(i) = PyInt::from_obj(o.clone()) {
        return Some(Num::Int(i.value()));
    }
    PyFloat::from_obj(o.clone())
        .ok()
        .map(|f| Num::Float(f.value()))
}

/// An int object.
pub fn int_obj(v: BigInt) -> Obj {
    PyInt::from_bigint(&v).into_obj()
}

/// An int object from an `i64`.
pub fn small_int(v: i64) -> Obj {
    PyInt::from_i64(v).into_obj()
}

/// A float object.
pub fn float_obj(v: f64) -> Obj {
    PyFloat::new(v).into_obj()
}

/// A bool object.
pub fn bool_obj(b: bool) -> Obj {
    PyInt::from_bool(b).into_obj()
}

/// The int value of an `int`/`bool`.
pub fn int_value(o: &Obj) -> Option<BigInt> {
    PyInt::from_obj(o.clone()).ok().map(|i| i.value())
}

/// The value of an int as `i64`, if it is an int and fits.
pub fn int_i64(o: &Obj) -> Option<i64> {
    PyInt::from_obj(o.clone()).ok().and_then(|i| i.to_i64())
}

/// `PyLong_AsDouble`: correctly rounded (half to even), `OverflowError` beyond the range.
pub fn int_to_f64(v: &BigInt) -> OpResult<f64> {
    if let Some(i) = v.to_i64_()
        && i.unsigned_abs() < (1u64 << 53)
    {
        return Ok(i as f64);
    }
    let neg = v.sign() == Sign::Minus;
    let mag = v.magnitude();
    let bits = mag.bits();
    // Keep the top 64 bits, with a sticky bit for anything below, and let the hardware
    // round u64 → f64 (half to even); then scale.
    let f = if bits <= 64 {
        u64::try_from(mag).expect("fits") as f64
    } else {
        let shift = bits - 64;
        let top: u64 = u64::try_from(&(mag >> shift)).expect("64 bits");
        let sticky = mag.trailing_zeros().is_some_and(|tz| tz < shift);
        // The sticky bit only matters below the rounding point (bit 10 of 64 kept).
        let top = if sticky { top | 1 } else { top };
        let f = top as f64;
        if shift > 2000 {
            f64::INFINITY
        } else {
            f * 2f64.powi(shift as i32)
        }
    };
    if f.is_infinite() {
        return Err(exc(
            ExcKind::OverflowError,
            "int too large to convert to float",
        ));
    }
    Ok(if neg { -f } else { f })
}

fn to_float(n: &Num) -> OpResult<f64> {
    match n {
        Num::Int(i) => int_to_f64(i),
        Num::Float(f) => Ok(*f),
    }
}

/// The memory an int of `bits` bits takes (30-bit digits), for the limit check.
fn int_bytes(bits: u64) -> u64 {
    24 + bits.div_ceil(30) * 4
}

fn check_mem(bytes: u128, limit: usize, what: &str) -> OpResult<()> {
    if bytes > limit as u128 {
        return Err(Fault::Memory(format!("{what} would need {bytes} bytes")));
    }
    Ok(())
}

/// `a op b`.
pub fn binary_op(op: BinOp, a: &Obj, b: &Obj, limit: usize) -> OpResult<Obj> {
    if matches!(op, BinOp::FloorDiv | BinOp::Mod)
        && let Some((div, rem)) = long_floor_divmod(a, b, limit)?
    {
        return Ok(if op == BinOp::FloorDiv { div } else { rem });
    }
    if let Some(r) = small_int_binary(op, a, b) {
        return Ok(r);
    }
    if let (Some(x), Some(y)) = (as_num(a), as_num(b)) {
        let bits = matches!(
            op,
            BinOp::LShift | BinOp::RShift | BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor
        );
        if bits && (matches!(x, Num::Float(_)) || matches!(y, Num::Float(_))) {
            return Err(unsupported_operands(op, a, b));
        }
        // bool & bool, bool | bool, bool ^ bool stay bools.
        let is_bool = |o: &Obj| o.is_type(&crate::types::int::BOOL_TYPE);
        if matches!(op, BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor) && is_bool(a) && is_bool(b) {
            let (p, q) = (truthy(a)?, truthy(b)?);
            return Ok(bool_obj(match op {
                BinOp::BitAnd => p & q,
                BinOp::BitOr => p | q,
                _ => p ^ q,
            }));
        }
        return num_op(op, x, y, limit);
    }
    if op == BinOp::BitOr
        && PyDict::from_obj(a.clone()).is_ok()
        && PyDict::from_obj(b.clone()).is_ok()
    {
        return Err(Fault::Unsupported(
            "dict | dict (the merge operator)".into(),
        ));
    }
    seq_op(op, a, b, limit)
}

fn unsupported_operands(op: BinOp, a: &Obj, b: &Obj) -> Fault {
    type_err(format!(
        "unsupported operand type(s) for {}: '{}' and '{}'",
        sym(op),
        a.type_name(),
        b.type_name()
    ))
}

fn sym(op: BinOp) -> &'static str {
    match op {
        BinOp::Pow => "** or pow()",
        o => o.symbol(),
    }
}

fn repeat_count(n: &Obj) -> Option<OpResult<isize>> {
    let v = int_value(n)?;
    // PyNumber_AsSsize_t(n, PyExc_OverflowError): too negative overflows too.
    Some(match isize::try_from(&v) {
        Ok(k) => Ok(k),
        Err(_) => Err(exc(
            ExcKind::OverflowError,
            "cannot fit 'int' into an index-sized integer",
        )),
    })
}

fn seq_op(op: BinOp, a: &Obj, b: &Obj, limit: usize) -> OpResult<Obj> {
    match op {
        BinOp::Add => {
            if let Ok(x) = PyStr::from_obj(a.clone()) {
                let Ok(y) = PyStr::from_obj(b.clone()) else {
                    return Err(type_err(format!(
                        "can only concatenate str (not \"{}\") to str",
                        b.type_name()
                    )));
                };
                check_mem(((x.len() + y.len()) * 4) as u128, limit, "the string")?;
                return Ok(x.concat(&y).into_obj());
            }
            if let Ok(x) = PyList::from_obj(a.clone()) {
                let Ok(y) = PyList::from_obj(b.clone()) else {
                    return Err(type_err(format!(
                        "can only concatenate list (not \"{}\") to list",
                        b.type_name()
                    )));
                };
                check_mem(((x.len() + y.len()) * 8) as u128, limit, "the list")?;
                return Ok(x.concat(&y).into_obj());
            }
            if let Ok(x) = PyTuple::from_obj(a.clone()) {
                let Ok(y) = PyTuple::from_obj(b.clone()) else {
                    return Err(type_err(format!(
                        "can only concatenate tuple (not \"{}\") to tuple",
                        b.type_name()
                    )));
                };
                check_mem(((x.len() + y.len()) * 8) as u128, limit, "the tuple")?;
                return Ok(x.concat(&y).into_obj());
            }
            Err(unsupported_operands(op, a, b))
        }
        BinOp::Mul => {
            let (seq, n) = if is_seq(a) {
                (a, b)
            } else if is_seq(b) {
                (b, a)
            } else {
                return Err(unsupported_operands(op, a, b));
            };
            let Some(k) = repeat_count(n) else {
                return Err(type_err(format!(
                    "can't multiply sequence by non-int of type '{}'",
                    n.type_name()
                )));
            };
            let k = k?.max(0);
            repeat(seq, k, limit)
        }
        _ => Err(unsupported_operands(op, a, b)),
    }
}

fn is_seq(o: &Obj) -> bool {
    PyStr::from_obj(o.clone()).is_ok()
        || PyList::from_obj(o.clone()).is_ok()
        || PyTuple::from_obj(o.clone()).is_ok()
}

/// `seq * k` for `k >= 0`.
pub fn repeat(seq: &Obj, k: isize, limit: usize) -> OpResult<Obj> {
    if let Ok(s) = PyStr::from_obj(seq.clone()) {
        check_mem(
            s.len() as u128 * k as u128 * s.kind() as u128,
            limit,
            "the string",
        )?;
        return Ok(s.repeat(k)?.into_obj());
    }
    if let Ok(l) = PyList::from_obj(seq.clone()) {
        check_mem(l.len() as u128 * k as u128 * 8, limit, "the list")?;
        return Ok(l.repeat(k)?.into_obj());
    }
    let t = PyTuple::from_obj(seq.clone()).expect("a sequence");
    check_mem(t.len() as u128 * k as u128 * 8, limit, "the tuple")?;
    Ok(t.repeat(k)?.into_obj())
}

fn zero_div(msg: &str) -> Fault {
    exc(ExcKind::ZeroDivisionError, msg)
}

/// Floor division and modulo of big ints (Python rounds toward negative infinity).
fn int_divmod(a: &BigInt, b: &BigInt) -> (BigInt, BigInt) {
    use num_bigint::BigInt as B;
    let (q, r) = (a / b, a % b);
    if !r.is_zero_() && ((r.sign() == Sign::Minus) != (b.sign() == Sign::Minus)) {
        (q - B::from(1), r + b)
    } else {
        (q, r)
    }
}

/// `long_true_divide`: correctly rounded.
fn int_true_div(a: &BigInt, b: &BigInt) -> OpResult<f64> {
    if b.is_zero_() {
        return Err(zero_div("division by zero"));
    }
    if let (Some(x), Some(y)) = (a.to_i64_(), b.to_i64_())
        && x.unsigned_abs() < (1 << 53)
        && y.unsigned_abs() < (1 << 53)
    {
        return Ok(x as f64 / y as f64);
    }
    let neg = (a.sign() == Sign::Minus) != (b.sign() == Sign::Minus);
    let (x, y) = (
        BigInt::from(a.magnitude().clone()),
        BigInt::from(b.magnitude().clone()),
    );
    if x.is_zero_() {
        return Ok(if neg { -0.0 } else { 0.0 });
    }
    // Scale so the quotient has at least 66 bits, then round once through int_to_f64 with a
    // sticky bit for a non-zero remainder.
    let shift: i64 = 66 - (x.bits() as i64 - y.bits() as i64);
    let (num, den) = if shift >= 0 {
        (x << shift as u64, y)
    } else {
        (x, y << (-shift) as u64)
    };
    let q = &num / &den;
    let r = &num % &den;
    let q = if r.is_zero_() {
        q
    } else {
        (q << 1u32) | BigInt::from(1)
    };
    let extra = if r.is_zero_() { 0 } else { 1 };
    let qf = int_to_f64(&q).map_err(|_| too_large())?;
    let e = -(shift + extra);
    let f = ldexp(qf, e);
    if f.is_infinite() {
        return Err(too_large());
    }
    Ok(if neg { -f } else { f })
}

fn too_large() -> Fault {
    exc(
        ExcKind::OverflowError,
        "integer division result too large for a float",
    )
}

fn ldexp(x: f64, e: i64) -> f64 {
    let mut x = x;
    let mut e = e;
    while e > 1000 {
        x *= 2f64.powi(1000);
        e -= 1000;
    }
    while e < -1000 {
        // Two steps keep subnormal results correctly rounded only approximately; results
        // that small print as 0.0 or tiny values either way.
        x *= 2f64.powi(-1000);
        e += 1000;
    }
    x * 2f64.powi(e as i32)
}

fn num_op(op: BinOp, x: Num, y: Num, limit: usize) -> OpResult<Obj> {
    match (x, y) {
        (Num::Int(a), Num::Int(b)) => int_op(op, a, b, limit),
        (x, y) => {
            if matches!(
                op,
                BinOp::LShift | BinOp::RShift | BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor
            ) {
                let tn = |n: &Num| match n {
                    Num::Int(_) => "int",
                    Num::Float(_) => "float",
                };
                return Err(type_err(format!(
                    "unsupported operand type(s) for {}: '{}' and '{}'",
                    op.symbol(),
                    tn(&x),
                    tn(&y)
                )));
            }
            let a = to_float(&x)?;
            let b = to_float(&y)?;
            Ok(float_obj(float_op(op, a, b)?))
        }
    }
}

/// A float operation with CPython's results and errors.
pub fn float_op(op: BinOp, a: f64, b: f64) -> OpResult<f64> {
    Ok(match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::Div => {
            if b == 0.0 {
                return Err(zero_div("float division by zero"));
            }
            a / b
        }
        BinOp::FloorDiv => {
            if b == 0.0 {
                return Err(zero_div("float floor division by zero"));
            }
            float_divmod(a, b).0
        }
        BinOp::Mod => {
            if b == 0.0 {
                return Err(zero_div("float modulo"));
            }
            float_divmod(a, b).1
        }
        BinOp::Pow => float_pow(a, b)?,
        _ => unreachable!("bit operations on floats are refused earlier"),
    })
}

/// `float_divmod` (`Objects/floatobject.c`).
pub fn float_divmod(vx: f64, wx: f64) -> (f64, f64) {
    let mut m = vx % wx;
    let mut div = (vx - m) / wx;
    if m != 0.0 {
        if (wx < 0.0) != (m < 0.0) {
            m += wx;
            div -= 1.0;
        }
    } else {
        m = 0f64.copysign(wx);
    }
    let floordiv = if div != 0.0 {
        let mut f = div.floor();
        if div - f > 0.5 {
            f += 1.0;
        }
        f
    } else {
        0f64.copysign(vx / wx)
    };
    (floordiv, m)
}

/// `float_pow`.
fn float_pow(iv: f64, iw: f64) -> OpResult<f64> {
    if iw == 0.0 {
        return Ok(1.0);
    }
    if iv.is_nan() {
        return Ok(if iw == 0.0 { 1.0 } else { iv });
    }
    if iw.is_nan() {
        return Ok(if iv == 1.0 { 1.0 } else { iw });
    }
    if iv == 0.0 && iw < 0.0 {
        return Err(zero_div("0.0 cannot be raised to a negative power"));
    }
    if iv < 0.0 && iw.is_finite() && iw != iw.floor() {
        return Err(Fault::Unsupported(
            "complex numbers (a negative number to a fractional power)".into(),
        ));
    }
    let r = iv.powf(iw);
    if r.is_infinite() && iv.is_finite() && iw.is_finite() {
        return Err(exc(
            ExcKind::OverflowError,
            "(34, 'Numerical result out of range')",
        ));
    }
    Ok(r)
}

/// `op` on two machine ints when the result is one too (and the operation is not one the
/// long path must decide: division, powers, shifts, division by zero); `None` otherwise.
#[inline]
fn machine_int_op(op: BinOp, x: i64, y: i64) -> Option<i64> {
    match op {
        BinOp::Add => x.checked_add(y),
        BinOp::Sub => x.checked_sub(y),
        BinOp::Mul => x.checked_mul(y),
        BinOp::BitAnd => Some(x & y),
        BinOp::BitOr => Some(x | y),
        BinOp::BitXor => Some(x ^ y),
        BinOp::FloorDiv if y != 0 && !(x == i64::MIN && y == -1) => {
            let (q, r) = (x / y, x % y);
            Some(if r != 0 && ((r < 0) != (y < 0)) {
                q - 1
            } else {
                q
            })
        }
        BinOp::Mod if y != 0 && !(x == i64::MIN && y == -1) => {
            let r = x % y;
            Some(if r != 0 && ((r < 0) != (y < 0)) {
                r + y
            } else {
                r
            })
        }
        _ => None,
    }
}

/// Two exact ints (not bools: `True & True` stays a bool) that fit an `i64`, read from their
/// digits, with a result that fits too: computed without building a `BigInt` (CPython's
/// medium-value paths are the same shortcut). The result object is the one the long path
/// would make.
#[inline]
fn small_int_binary(op: BinOp, a: &Obj, b: &Obj) -> Option<Obj> {
    let (x, y) = machine_ints(a, b)?;
    let r = machine_int_op(op, x, y)?;
    // Beyond one digit, CPython's add, subtract and multiply size their block for the
    // operands (`int_block`).
    const MEDIUM: u64 = 1 << 30;
    if matches!(op, BinOp::Add | BinOp::Sub | BinOp::Mul)
        && (x.unsigned_abs() >= MEDIUM || y.unsigned_abs() >= MEDIUM)
    {
        let (dx, nx) = crate::types::int::i64_digits(x);
        let (dy, ny) = crate::types::int::i64_digits(y);
        let block = digits_block(op, (x < 0, &dx[..nx]), (y < 0, &dy[..ny]));
        return Some(match block {
            Some((block, small)) => PyInt::from_i64_in_block(r, block, small).into_obj(),
            None => small_int(r),
        });
    }
    Some(small_int(r))
}

/// The number of 30-bit digits of `|v|` (`Py_SIZE` without the sign).
fn ndigits(v: &BigInt) -> usize {
    v.bits().div_ceil(30) as usize
}

/// The block CPython 3.11 allocates for `a op b` on ints when it is not simply the result's
/// own size, with whether a small result gives the block back (`maybe_small_long`):
/// `long_add`/`long_sub` take `x_add` (`size_a + 1` digits) when the magnitudes add and
/// `x_sub` (the longer size, or up to the highest digit that differs when the sizes are
/// equal) when they subtract; `long_mul` takes `x_mul` (`size_a + size_b`). Both operands
/// of one digit take the medium-value fast paths, which make the result exactly.
fn int_block(op: BinOp, a: &BigInt, b: &BigInt) -> Option<(usize, bool)> {
    if !matches!(op, BinOp::Add | BinOp::Sub | BinOp::Mul) || (ndigits(a) <= 1 && ndigits(b) <= 1) {
        return None;
    }
    let neg = |v: &BigInt| v.sign() == Sign::Minus;
    let (x, y) = (
        crate::types::int::to_digits(a.magnitude()),
        crate::types::int::to_digits(b.magnitude()),
    );
    digits_block(op, (neg(a), &x), (neg(b), &y))
}

/// [`int_block`] from the operands' signs and base-2**30 digits.
fn digits_block(op: BinOp, a: (bool, &[u32]), b: (bool, &[u32])) -> Option<(usize, bool)> {
    let ((a_neg, x), (b_neg, y)) = (a, b);
    let (da, db) = (x.len(), y.len());
    if da <= 1 && db <= 1 {
        return None;
    }
    match op {
        BinOp::Mul if da == 0 || db == 0 => None,
        BinOp::Mul => Some((da + db, false)),
        BinOp::Add | BinOp::Sub => {
            let b_neg = b_neg != (op == BinOp::Sub);
            if a_neg == b_neg {
                return Some((da.max(db) + 1, false));
            }
            if da != db {
                return Some((da.max(db), true));
            }
            // Equal magnitudes: the shared 0, no block.
            (0..da).rev().find(|&i| x[i] != y[i]).map(|i| (i + 1, true))
        }
        _ => None,
    }
}

/// `a // b` and `a % b` on exact ints not both of one digit, as 3.11's `l_divmod` makes
/// them (`None` otherwise: the one-digit fast paths, bools, a zero divisor). `long_divrem`
/// first: for `|a| < |b|` the remainder is `a` itself and the quotient the shared 0; for a
/// one-digit divisor `divrem1` fills a block of `a`'s size and the remainder is a new int;
/// otherwise `x_divrem` allocates the normalized dividend (`size_a + 1` digits, freed at
/// the end), the divisor's block (which becomes the remainder) and the quotient's (`k`
/// digits). A remainder of the divisor's opposite sign is then fixed up with `long_add`
/// and the quotient with `long_sub(div, 1)`, each result made before the old one goes.
fn long_floor_divmod(a: &Obj, b: &Obj, limit: usize) -> OpResult<Option<(Obj, Obj)>> {
    let int = &crate::types::int::INT_TYPE;
    if !(a.is_type(int) && b.is_type(int)) {
        return Ok(None);
    }
    let (Some(x), Some(y)) = (int_value(a), int_value(b)) else {
        return Ok(None);
    };
    let (xd, yd) = (
        crate::types::int::to_digits(x.magnitude()),
        crate::types::int::to_digits(y.magnitude()),
    );
    let (sa, sb) = (xd.len(), yd.len());
    if sb == 0 || (sa == 1 && sb == 1) {
        return Ok(None);
    }
    // Truncated division first (the remainder has the dividend's sign).
    let (q, r) = (&x / &y, &x % &y);
    let (mut div, mut rem) = if sa < sb || (sa == sb && xd[sa - 1] < yd[sb - 1]) {
        (small_int(0), a.clone())
    } else {
        let z = if sb == 1 {
            // divrem1: the quotient's block, then the remainder (PyLong_FromLong, negated
            // by long_neg when the dividend is negative).
            let z = PyInt::from_bigint_in_block(&q, sa, false).into_obj();
            let rem = int_obj(r.clone());
            (z, rem)
        } else {
            // x_divrem: v (the dividend shifted, one digit more), w (the divisor shifted,
            // which becomes the remainder), a (the quotient's k digits), then v freed.
            let shift = yd[sb - 1].leading_zeros() - 2;
            let top = |ds: &[u32]| -> u64 {
                let n = ds.len();
                let lo = if n >= 2 && shift > 0 {
                    (ds[n - 2] as u64) >> (30 - shift)
                } else {
                    0
                };
                ((ds[n - 1] as u64) << shift) | lo
            };
            let (vt, wt) = (top(&xd), top(&yd));
            let size_v = if vt >> 30 != 0 || (vt & 0x3fff_ffff) >= (wt & 0x3fff_ffff) {
                sa + 1
            } else {
                sa
            };
            let v = PyInt::from_bigint_in_block(&BigInt::from(0), sa + 1, false);
            let w = PyInt::from_bigint_in_block(&r, sb, false).into_obj();
            let z = PyInt::from_bigint_in_block(&q, size_v - sb, false).into_obj();
            drop(v);
            (z, w)
        };
        // maybe_small_long on the quotient, after the remainder is made.
        let (z, rem) = z;
        let div = match q.to_i64_() {
            Some(v) if crate::types::int::is_small(v) => {
                drop(z);
                small_int(v)
            }
            _ => z,
        };
        (div, rem)
    };
    // The floor: a remainder of the divisor's opposite sign moves by one divisor.
    let opposite = !r.is_zero_() && ((r.sign() == Sign::Minus) != (y.sign() == Sign::Minus));
    if opposite {
        rem = binary_op(BinOp::Add, &rem, b, limit)?;
        div = binary_op(BinOp::Sub, &div, &small_int(1), limit)?;
    }
    Ok(Some((div, rem)))
}

/// `long_mul` as `long_pow`'s `MULT` calls it: the product and its object.
fn long_mul(x: &BigInt, y: &BigInt) -> (BigInt, Obj) {
    let v = x * y;
    let o = match int_block(BinOp::Mul, x, y) {
        Some((block, small)) => PyInt::from_bigint_in_block(&v, block, small).into_obj(),
        None => int_obj(v.clone()),
    };
    (v, o)
}

/// `long_pow` for an exponent below 2**60 (3.11): `e <= 3` multiplies directly; above, a
/// left-to-right binary exponentiation starting from the base, where each `MULT` makes the
/// new product before it drops the previous one. The intermediate products are real
/// objects, allocated and freed in that order, so the result lands where CPython's does.
fn long_pow(a: &BigInt, e: u64) -> Obj {
    let one = BigInt::from(1);
    match e {
        0 => return int_obj(one),
        1 => return long_mul(a, &one).1,
        2 | 3 => {
            let z = long_mul(a, a);
            if e == 2 {
                return z.1;
            }
            let r = long_mul(&z.0, a);
            drop(z);
            return r.1;
        }
        _ => {}
    }
    let top = 63 - e.leading_zeros();
    let mut z: Option<(BigInt, Obj)> = None;
    for bit in (0..top).rev() {
        let next = match &z {
            Some((v, _)) => long_mul(v, v),
            None => long_mul(a, a),
        };
        z = Some(next);
        if e >> bit & 1 == 1 {
            let next = long_mul(&z.as_ref().expect("set").0, a);
            z = Some(next);
        }
    }
    z.expect("an exponent of 4 or more multiplies").1
}

/// The values of two exact ints (not bools) that both fit an `i64`, read from their digits.
#[inline]
pub(crate) fn machine_ints(a: &Obj, b: &Obj) -> Option<(i64, i64)> {
    let int = &crate::types::int::INT_TYPE;
    if !(a.is_type(int) && b.is_type(int)) {
        return None;
    }
    Some((i64_of(a)?, i64_of(b)?))
}

fn int_op(op: BinOp, a: BigInt, b: BigInt, limit: usize) -> OpResult<Obj> {
    if let Some((block, small)) = int_block(op, &a, &b) {
        check_mem(int_bytes(block as u64 * 30) as u128, limit, "the int")?;
        let r = match op {
            BinOp::Add => a + b,
            BinOp::Sub => a - b,
            _ => a * b,
        };
        return Ok(PyInt::from_bigint_in_block(&r, block, small).into_obj());
    }
    // Fast path: machine ints.
    if let (Some(x), Some(y)) = (a.to_i64_(), b.to_i64_())
        && let Some(r) = machine_int_op(op, x, y)
    {
        return Ok(small_int(r));
    }
    let r = match op {
        BinOp::Add => {
            check_mem(
                int_bytes(a.bits().max(b.bits()) + 1) as u128,
                limit,
                "the int",
            )?;
            a + b
        }
        BinOp::Sub => {
            check_mem(
                int_bytes(a.bits().max(b.bits()) + 1) as u128,
                limit,
                "the int",
            )?;
            a - b
        }
        BinOp::Mul => {
            check_mem(int_bytes(a.bits() + b.bits()) as u128, limit, "the int")?;
            a * b
        }
        BinOp::FloorDiv => {
            if b.is_zero_() {
                return Err(zero_div("integer division or modulo by zero"));
            }
            int_divmod(&a, &b).0
        }
        BinOp::Mod => {
            if b.is_zero_() {
                return Err(zero_div("integer modulo by zero"));
            }
            int_divmod(&a, &b).1
        }
        BinOp::Div => return Ok(float_obj(int_true_div(&a, &b)?)),
        BinOp::Pow => {
            if b.sign() == Sign::Minus {
                if a.is_zero_() {
                    return Err(zero_div("0.0 cannot be raised to a negative power"));
                }
                let x = int_to_f64(&a)?;
                let y = int_to_f64(&b)?;
                return Ok(float_obj(float_pow(x, y)?));
            }
            let Some(e) = u64::try_from(&b).ok() else {
                return Err(Fault::Memory("an int power with a huge exponent".into()));
            };
            let base_bits = a.bits();
            if base_bits > 1 && !(a.magnitude().count_ones() == 1 && base_bits == 1) {
                let est = (base_bits as u128) * e as u128;
                check_mem(
                    int_bytes(est.min(u64::MAX as u128) as u64) as u128,
                    limit,
                    "the int",
                )?;
            }
            if e < 1 << 60 {
                return Ok(long_pow(&a, e));
            }
            // A bigger exponent: the base is 0, 1 or -1 (anything else failed the memory
            // check), and every product is a small int.
            if a.is_zero_() {
                BigInt::from(0)
            } else if a.sign() == Sign::Minus && e % 2 == 1 {
                BigInt::from(-1)
            } else {
                BigInt::from(1)
            }
        }
        BinOp::LShift => {
            if b.sign() == Sign::Minus {
                return Err(exc(ExcKind::ValueError, "negative shift count"));
            }
            if a.is_zero_() {
                return Ok(small_int(0));
            }
            let Some(s) = u64::try_from(&b).ok() else {
                return Err(exc(ExcKind::OverflowError, "too many digits in integer"));
            };
            check_mem(int_bytes(a.bits() + s) as u128, limit, "the int")?;
            a << s
        }
        BinOp::RShift => {
            if b.sign() == Sign::Minus {
                return Err(exc(ExcKind::ValueError, "negative shift count"));
            }
            match u64::try_from(&b) {
                Ok(s) if s < a.bits() + 1 => {
                    // Python's >> floors: arithmetic shift of the two's complement.
                    if a.sign() == Sign::Minus {
                        -((-a - BigInt::from(1)) >> s) - BigInt::from(1)
                    } else {
                        a >> s
                    }
                }
                _ => BigInt::from(if a.sign() == Sign::Minus { -1 } else { 0 }),
            }
        }
        BinOp::BitAnd => a & b,
        BinOp::BitOr => a | b,
        BinOp::BitXor => a ^ b,
    };
    Ok(int_obj(r))
}

/// `op a`.
pub fn unary_op(op: UnOp, a: &Obj) -> OpResult<Obj> {
    if op == UnOp::Not {
        return Ok(bool_obj(!truthy(a)?));
    }
    let bad = |sym: &str| {
        type_err(format!(
            "bad operand type for unary {sym}: '{}'",
            a.type_name()
        ))
    };
    match (op, as_num(a)) {
        (UnOp::Neg, Some(Num::Int(i))) => Ok(int_obj(-i)),
        (UnOp::Neg, Some(Num::Float(f))) => Ok(float_obj(-f)),
        // long_long: an exact int is returned itself; a bool becomes an int.
        (UnOp::Pos, Some(Num::Int(_))) if !is_bool(a) => Ok(a.clone()),
        (UnOp::Pos, Some(Num::Int(i))) => Ok(int_obj(i)),
        (UnOp::Pos, Some(Num::Float(_))) => Ok(a.clone()),
        // long_invert: past one digit, `-(x + 1)` negated in place in long_add's block.
        (UnOp::Invert, Some(Num::Int(i))) => {
            let one = BigInt::from(1);
            Ok(match int_block(BinOp::Add, &i, &one) {
                Some((block, small)) => {
                    PyInt::from_bigint_in_block(&(-i - one), block, small).into_obj()
                }
                None => int_obj(-i - one),
            })
        }
        (UnOp::Neg, _) => Err(bad("-")),
        (UnOp::Pos, _) => Err(bad("+")),
        _ => Err(bad("~")),
    }
}

/// `bool(o)`.
pub fn truthy(o: &Obj) -> OpResult<bool> {
    if none::is_none(o) {
        return Ok(false);
    }
    if let Some(n) = as_num(o) {
        return Ok(match n {
            Num::Int(i) => !i.is_zero_(),
            Num::Float(f) => f != 0.0,
        });
    }
    if let Ok(s) = PyStr::from_obj(o.clone()) {
        return Ok(!s.is_empty());
    }
    if let Ok(l) = PyList::from_obj(o.clone()) {
        return Ok(!l.is_empty());
    }
    if let Ok(t) = PyTuple::from_obj(o.clone()) {
        return Ok(!t.is_empty());
    }
    if let Ok(d) = PyDict::from_obj(o.clone()) {
        return Ok(!d.is_empty());
    }
    Ok(true)
}

/// A subscript the folder may compute (`"abc"[1]`, `(1, 2)[0]`): constant index only.
pub fn getitem_const(a: &Obj, i: &Obj) -> OpResult<Obj> {
    let Some(k) = int_i64(i) else {
        return Err(type_err("not folded"));
    };
    let k = k as isize;
    if let Ok(s) = PyStr::from_obj(a.clone()) {
        return Ok(s.get(k)?.into_obj());
    }
    if let Ok(t) = PyTuple::from_obj(a.clone()) {
        return Ok(t.get(k)?);
    }
    Err(type_err("not folded"))
}

/// Rich comparison `a op b` for the ordering operators and `==`/`!=`.
pub fn compare(op: CmpOp, a: &Obj, b: &Obj) -> OpResult<bool> {
    match op {
        // The operator is PyObject_RichCompare, without the identity shortcut that
        // containers and `in` take (PyObject_RichCompareBool): `nan == nan` is False, while
        // `[nan] == [nan]` is True.
        CmpOp::Eq => Ok(!is_nan(a) && tops::eq(a, b)?),
        CmpOp::Ne => Ok(is_nan(a) || !tops::eq(a, b)?),
        CmpOp::Is => Ok(a.is(b)),
        CmpOp::IsNot => Ok(!a.is(b)),
        CmpOp::In | CmpOp::NotIn => unreachable!("containment is handled by the evaluator"),
        _ => {
            // Two lists or two tuples (list_richcompare, tuplerichcompare): the first items
            // that differ are compared with the same operator, else the lengths.
            let seqs = match (PyList::from_obj(a.clone()), PyList::from_obj(b.clone())) {
                (Ok(x), Ok(y)) => Some((x.items(), y.items())),
                _ => match (PyTuple::from_obj(a.clone()), PyTuple::from_obj(b.clone())) {
                    (Ok(x), Ok(y)) => Some((x.items(), y.items())),
                    _ => None,
                },
            };
            if let Some((x, y)) = seqs {
                let _level = tops::enter_recursive_call(" in comparison")?;
                for (p, q) in x.iter().zip(y.iter()) {
                    if !tops::eq(p, q)? {
                        return compare(op, p, q);
                    }
                }
                return Ok(ordered(op, Some(x.len().cmp(&y.len()))));
            }
            let ord = order(a, b).map_err(|e| match e {
                Fault::Py(p) if p.kind == ExcKind::TypeError && p.msg.starts_with("'<'") => {
                    type_err(format!(
                        "'{}' not supported between instances of '{}' and '{}'",
                        op.symbol(),
                        a.type_name(),
                        b.type_name()
                    ))
                }
                other => other,
            })?;
            Ok(ordered(op, ord))
        }
    }
}

/// Whether an ordering operator holds for `ord` (`None`: unordered, a NaN).
fn ordered(op: CmpOp, ord: Option<Ordering>) -> bool {
    match ord {
        None => false,
        Some(o) => match op {
            CmpOp::Lt => o == Ordering::Less,
            CmpOp::Le => o != Ordering::Greater,
            CmpOp::Gt => o == Ordering::Greater,
            _ => o != Ordering::Less,
        },
    }
}

/// The order of two numbers or two strs (`None`: unordered, a NaN).
fn order(a: &Obj, b: &Obj) -> OpResult<Option<Ordering>> {
    if let (Some(_), Some(_)) = (as_num(a), as_num(b)) {
        if is_nan(a) || is_nan(b) {
            return Ok(None);
        }
        if tops::eq(a, b)? {
            return Ok(Some(Ordering::Equal));
        }
        if tops::lt(a, b)? {
            return Ok(Some(Ordering::Less));
        }
        if tops::lt(b, a)? {
            return Ok(Some(Ordering::Greater));
        }
        return Ok(None);
    }
    if let (Ok(x), Ok(y)) = (PyStr::from_obj(a.clone()), PyStr::from_obj(b.clone())) {
        return Ok(Some(x.code_points().cmp(&y.code_points())));
    }
    Err(type_err(format!(
        "'<' not supported between instances of '{}' and '{}'",
        a.type_name(),
        b.type_name()
    )))
}

/// `ascii(x)` from `repr(x)`: every non-ASCII character escaped as `\xhh`, `\uhhhh` or
/// `\Uhhhhhhhh` (`PyObject_ASCII`).
pub fn ascii_of(repr: &str) -> String {
    let mut out = String::with_capacity(repr.len());
    for c in repr.chars() {
        let n = c as u32;
        if n < 0x80 {
            out.push(c);
        } else if n < 0x100 {
            out.push_str(&format!("\\x{n:02x}"));
        } else if n < 0x10000 {
            out.push_str(&format!("\\u{n:04x}"));
        } else {
            out.push_str(&format!("\\U{n:08x}"));
        }
    }
    out
}

/// Whether `o` is a float NaN.
fn is_nan(o: &Obj) -> bool {
    PyFloat::from_obj(o.clone()).is_ok_and(|f| f.value().is_nan())
}

/// Whether `o` is `True` or `False`.
pub fn is_bool(o: &Obj) -> bool {
    PyInt::from_obj(o.clone()).is_ok_and(|i| i.is_bool())
}

/// `a < b` as `list.sort`, `min`, `max` and `sorted` use it.
pub fn less(a: &Obj, b: &Obj) -> OpResult<bool> {
    compare(CmpOp::Lt, a, b)
}

/// `repr(o)` with CPython's guard for self-containing containers (`[[...]]`, `{...}`).
pub fn repr(o: &Obj) -> OpResult<String> {
    let mut seen = Vec::new();
    let mut out = String::new();
    repr_into(o, &mut seen, &mut out)?;
    Ok(out)
}

/// `int.__repr__` refuses more than 4300 digits (3.11's `sys.get_int_max_str_digits()`).
fn check_int_digits(o: &Obj) -> OpResult<()> {
    if let Ok(i) = PyInt::from_obj(o.clone())
        && super::numparse::exceeds_int_max_str_digits(&i.value())
    {
        return Err(exc(
            ExcKind::ValueError,
            super::numparse::int_to_str_limit_message(),
        ));
    }
    Ok(())
}

fn repr_into(o: &Obj, seen: &mut Vec<usize>, out: &mut String) -> OpResult<()> {
    let _level = tops::enter_recursive_call(" while getting the repr of an object")?;
    let is_list = PyList::from_obj(o.clone()).is_ok();
    let is_dict = PyDict::from_obj(o.clone()).is_ok();
    let is_tuple = PyTuple::from_obj(o.clone()).is_ok();
    if !(is_list || is_dict || is_tuple) {
        if none::is_none(o) {
            out.push_str("None");
        } else {
            check_int_digits(o)?;
            out.push_str(&tops::repr(o));
        }
        return Ok(());
    }
    if seen.contains(&o.id()) {
        out.push_str(if is_list {
            "[...]"
        } else if is_dict {
            "{...}"
        } else {
            "(...)"
        });
        return Ok(());
    }
    seen.push(o.id());
    if let Ok(l) = PyList::from_obj(o.clone()) {
        out.push('[');
        for (i, it) in l.items().iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            repr_into(it, seen, out)?;
        }
        out.push(']');
    } else if let Ok(t) = PyTuple::from_obj(o.clone()) {
        out.push('(');
        let items = t.items();
        for (i, it) in items.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            repr_into(it, seen, out)?;
        }
        if items.len() == 1 {
            out.push(',');
        }
        out.push(')');
    } else if let Ok(d) = PyDict::from_obj(o.clone()) {
        out.push('{');
        for (i, (k, v)) in d.items().iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            repr_into(k, seen, out)?;
            out.push_str(": ");
            repr_into(v, seen, out)?;
        }
        out.push('}');
    }
    seen.pop();
    Ok(())
}

/// `str(o)`: the text itself for a str, else `repr`.
pub fn str_of(o: &Obj) -> OpResult<String> {
    match PyStr::from_obj(o.clone()) {
        Ok(s) => Ok(s.to_string()),
        Err(o) => repr(&o),
    }
}

/// `hash(o)` (None hashes by address in 3.11).
pub fn hash(o: &Obj) -> OpResult<isize> {
    Ok(tops::hash(o)? as isize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_to_float_rounds_half_to_even() {
        let v = (BigInt::from(1) << 60u32) + BigInt::from(128); // exactly half way
        assert_eq!(int_to_f64(&v).unwrap(), (1u64 << 60) as f64);
        let v = (BigInt::from(1) << 60u32) + BigInt::from(129);
        assert_eq!(int_to_f64(&v).unwrap(), ((1u64 << 60) + 256) as f64);
        let v = (BigInt::from(1) << 100u32) + BigInt::from(1);
        assert_eq!(int_to_f64(&v).unwrap(), 2f64.powi(100));
        assert!(int_to_f64(&(BigInt::from(1) << 1024u32)).is_err());
    }

    #[test]
    fn true_division_is_correctly_rounded() {
        let a = BigInt::from(10).pow(30);
        let b = BigInt::from(3);
        assert_eq!(int_true_div(&a, &b).unwrap(), 1e30 / 3.0);
        assert_eq!(
            int_true_div(&BigInt::from(1), &(BigInt::from(1) << 70u32)).unwrap(),
            2f64.powi(-70)
        );
    }

    #[test]
    fn floor_semantics() {
        assert_eq!(float_divmod(-7.0, 2.0), (-4.0, 1.0));
        assert_eq!(float_divmod(7.0, -2.0), (-4.0, -1.0));
        let (q, r) = int_divmod(&BigInt::from(-7), &BigInt::from(2));
        assert_eq!((q, r), (BigInt::from(-4), BigInt::from(1)));
    }
}
