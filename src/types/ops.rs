//! Comparison and `repr` across the built-in types, as CPython's rich comparison and
//! `tp_repr` slots behave for them (`Objects/object.c` `PyObject_RichCompare`,
//! `Objects/floatobject.c` `float_richcompare`, `Objects/listobject.c` `list_richcompare`).
//!
//! Numbers compare by exact value across `bool`, `int` and `float` (`1 == 1.0 == True`,
//! `2**53 + 1 != 2.0**53`); sequences compare item by item (identity first, then `==`);
//! ordering between unrelated types raises `TypeError` with CPython's message.

use std::cell::Cell;
use std::cmp::Ordering;

use num_bigint::BigInt;

use crate::error::{PyErr, PyResult};
use crate::hash::{self, PyHash};
use crate::object::Obj;
use crate::types::dict::PyDict;
use crate::types::float::{FLOAT_TYPE, PyFloat};
use crate::types::int::PyInt;
use crate::types::list::{LIST_TYPE, PyList};
use crate::types::str::{self as pystr, PyStr};
use crate::types::tuple::{PyTuple, TUPLE_TYPE};

thread_local! {
    /// C-level recursion (`Py_EnterRecursiveCall`): levels in use, levels allowed.
    static C_RECURSION: Cell<(usize, usize)> = const { Cell::new((0, usize::MAX)) };
}

/// How many nested C-level calls (a `repr` or a comparison inside another) may run from
/// here: the runner sets what CPython's recursion limit leaves after its Python frames.
pub fn set_recursion_headroom(levels: usize) {
    C_RECURSION.with(|c| c.set((c.get().0, levels)));
}

/// One level of C recursion, released on drop.
#[derive(Debug)]
pub struct RecursionGuard(());

impl Drop for RecursionGuard {
    fn drop(&mut self) {
        C_RECURSION.with(|c| {
            let (used, allowed) = c.get();
            c.set((used.saturating_sub(1), allowed));
        });
    }
}

/// `Py_EnterRecursiveCall(where)`: `RecursionError` once the levels allowed are in use (a
/// self-containing comparison, a repr nested a thousand deep), instead of running out of
/// stack.
pub fn enter_recursive_call(where_: &str) -> PyResult<RecursionGuard> {
    C_RECURSION.with(|c| {
        let (used, allowed) = c.get();
        if used >= allowed {
            return Err(PyErr::new(
                crate::error::ExcKind::RecursionError,
                format!("maximum recursion depth exceeded{where_}"),
            ));
        }
        c.set((used + 1, allowed));
        Ok(RecursionGuard(()))
    })
}

/// A number, for cross-type comparison.
enum Num {
    Int(BigInt),
    Float(f64),
}

fn as_num(o: &Obj) -> Option<Num> {
    if let Ok(i) = PyInt::from_obj(o.clone()) {
        return Some(Num::Int(i.value()));
    }
    if o.is_type(&FLOAT_TYPE) {
        return Some(Num::Float(PyFloat::from_obj(o.clone()).ok()?.value()));
    }
    None
}

/// The exact integer value of a finite, integral `f`.
fn integral_to_bigint(f: f64) -> BigInt {
    debug_assert!(f.is_finite() && f.fract() == 0.0);
    let bits = f.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    if exp == 0 {
        return BigInt::ZERO; // only ±0.0 is integral among subnormals
    }
    let mantissa = (bits & ((1 << 52) - 1)) | (1 << 52);
    let shift = exp - 1075;
    let m = BigInt::from(mantissa);
    let v = if shift >= 0 {
        m << shift as usize
    } else {
        m >> (-shift) as usize
    };
    if f < 0.0 { -v } else { v }
}

/// Compare an int with a float exactly; `None` when the float is NaN.
fn cmp_int_float(i: &BigInt, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if f.is_infinite() {
        return Some(if f > 0.0 {
            Ordering::Less
        } else {
            Ordering::Greater
        });
    }
    let fl = f.floor();
    match i.cmp(&integral_to_bigint(fl)) {
        Ordering::Equal if f > fl => Some(Ordering::Less),
        o => Some(o),
    }
}

fn cmp_num(a: &Num, b: &Num) -> Option<Ordering> {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => Some(x.cmp(y)),
        (Num::Float(x), Num::Float(y)) => x.partial_cmp(y),
        (Num::Int(x), Num::Float(y)) => cmp_int_float(x, *y),
        (Num::Float(x), Num::Int(y)) => cmp_int_float(y, *x).map(Ordering::reverse),
    }
}

/// Two ints (or bools) compared digit by digit (`long_richcompare`); `None` otherwise.
fn int_compare(a: &Obj, b: &Obj) -> Option<Ordering> {
    PyInt::compare_objs(a, b)
}

/// `a == b` (`PyObject_RichCompareBool(a, b, Py_EQ)`: identity first).
pub fn eq(a: &Obj, b: &Obj) -> PyResult<bool> {
    if a.is(b) {
        return Ok(true);
    }
    let _level = enter_recursive_call(" in comparison")?;
    if let Some(o) = int_compare(a, b) {
        return Ok(o == Ordering::Equal);
    }
    if let (Some(x), Some(y)) = (as_num(a), as_num(b)) {
        return Ok(cmp_num(&x, &y) == Some(Ordering::Equal));
    }
    if let (Ok(x), Ok(y)) = (PyStr::from_obj(a.clone()), PyStr::from_obj(b.clone())) {
        return Ok(x.str_eq(&y));
    }
    if let Some((x, y)) = same_sequence_type(a, b) {
        if x.len() != y.len() {
            return Ok(false);
        }
        for (p, q) in x.iter().zip(y.iter()) {
            if !eq(p, q)? {
                return Ok(false);
            }
        }
        return Ok(true);
    }
    if let (Ok(x), Ok(y)) = (PyDict::from_obj(a.clone()), PyDict::from_obj(b.clone())) {
        // dict_equal: same length, and every key maps to an equal value.
        if x.len() != y.len() {
            return Ok(false);
        }
        for (k, v) in x.items() {
            match y.get(&k)? {
                Some(w) if eq(&v, &w)? => {}
                _ => return Ok(false),
            }
        }
        return Ok(true);
    }
    // Different, unrelated types: `object.__eq__` falls back to identity.
    Ok(false)
}

/// The items of `a` and `b` when both are lists or both are tuples.
fn same_sequence_type(a: &Obj, b: &Obj) -> Option<(Vec<Obj>, Vec<Obj>)> {
    if a.is_type(&LIST_TYPE) && b.is_type(&LIST_TYPE) {
        let l = |o: &Obj| PyList::from_obj(o.clone()).expect("list").items();
        return Some((l(a), l(b)));
    }
    if a.is_type(&TUPLE_TYPE) && b.is_type(&TUPLE_TYPE) {
        let t = |o: &Obj| PyTuple::from_obj(o.clone()).expect("tuple").items();
        return Some((t(a), t(b)));
    }
    None
}

/// `a < b`.
pub fn lt(a: &Obj, b: &Obj) -> PyResult<bool> {
    let _level = enter_recursive_call(" in comparison")?;
    if let Some(o) = int_compare(a, b) {
        return Ok(o == Ordering::Less);
    }
    if let (Some(x), Some(y)) = (as_num(a), as_num(b)) {
        return Ok(cmp_num(&x, &y) == Some(Ordering::Less));
    }
    if let (Ok(x), Ok(y)) = (PyStr::from_obj(a.clone()), PyStr::from_obj(b.clone())) {
        return Ok(x.code_points() < y.code_points());
    }
    if let Some((x, y)) = same_sequence_type(a, b) {
        // list_richcompare / tuplerichcompare: the first differing item decides, else the
        // lengths.
        for (p, q) in x.iter().zip(y.iter()) {
            if !eq(p, q)? {
                return lt(p, q);
            }
        }
        return Ok(x.len() < y.len());
    }
    Err(PyErr::type_error(format!(
        "'<' not supported between instances of '{}' and '{}'",
        a.type_name(),
        b.type_name()
    )))
}

/// `hash(obj)` (`PyObject_Hash`): numbers by value, tuples from their items; lists are
/// unhashable.
pub fn hash(o: &Obj) -> PyResult<PyHash> {
    if o.is_type(&crate::types::int::INT_TYPE)
        && let Some(v) = crate::types::int::i64_of(o)
    {
        return Ok(hash::hash_i64(v));
    }
    if let Ok(i) = PyInt::from_obj(o.clone()) {
        return Ok(match i.to_i64() {
            Some(v) => hash::hash_i64(v),
            None => hash::hash_bigint(&i.value()),
        });
    }
    if let Ok(f) = PyFloat::from_obj(o.clone()) {
        return Ok(hash::hash_f64(f.value()).unwrap_or_else(|| hash::hash_pointer(o.id())));
    }
    if let Ok(s) = PyStr::from_obj(o.clone()) {
        return Ok(s.hash());
    }
    if o.is_type(&crate::types::none::NONE_TYPE) {
        // 3.11 hashes None by address (`_Py_HashPointer`); 3.12 made it a constant.
        return Ok(hash::hash_pointer(o.id()));
    }
    if o.is_type(&crate::types::function::FUNCTION_TYPE)
        || o.is_type(&crate::types::cell::CELL_TYPE)
    {
        // object.__hash__: `_Py_HashPointer`.
        return Ok(hash::hash_pointer(o.id()));
    }
    if let Ok(t) = PyTuple::from_obj(o.clone()) {
        let hs = t.items().iter().map(hash).collect::<PyResult<Vec<_>>>()?;
        return Ok(hash::hash_tuple(&hs));
    }
    Err(PyErr::type_error(format!(
        "unhashable type: '{}'",
        o.type_name()
    )))
}

/// The digits and decimal exponent of `_Py_dg_dtoa(x, 0, ...)` for a finite `x >= 0`: the
/// fewest digits that read back as `x`, and of those the nearest to `x`, a tie going to the
/// even digit. Rust's `{:e}` finds how many digits are needed but may pick the other
/// neighbour on a tie (`-714285714285711.25` → `...711.3`, where CPython prints `...711.2`),
/// so the digits are rounded again from the exact expansion.
fn shortest_digits(x: f64) -> (String, i32) {
    let split = |sci: &str| -> (String, i32) {
        let (m, e) = sci.split_once('e').expect("exponent");
        (
            m.chars().filter(|c| *c != '.').collect(),
            e.parse().expect("exponent digits"),
        )
    };
    let (short, exp) = split(&format!("{x:e}"));
    let n = short.len();
    // A double's decimal expansion ends within 767 significant digits: this one is exact.
    let (exact, exact_exp) = split(&format!("{:.*e}", n - 1 + 780, x));
    if exact_exp != exp {
        return (short, exp);
    }
    let (head, rest) = exact.split_at(n);
    let rest = rest.trim_end_matches('0');
    let up = match rest.as_bytes().first() {
        None => false,
        Some(b) if *b > b'5' => true,
        Some(b) if *b < b'5' => false,
        // Exactly half: to the even digit.
        Some(_) if rest.len() == 1 => (head.as_bytes()[n - 1] - b'0') % 2 == 1,
        Some(_) => true,
    };
    let mut digits: Vec<u8> = head.bytes().collect();
    let mut e = exp;
    if up {
        let mut i = n;
        loop {
            if i == 0 {
                digits.insert(0, b'1');
                digits.truncate(n);
                e += 1;
                break;
            }
            i -= 1;
            if digits[i] == b'9' {
                digits[i] = b'0';
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    let nearest = String::from_utf8(digits).expect("ascii digits");
    let trimmed = nearest.trim_end_matches('0');
    let trimmed = if trimmed.is_empty() { "0" } else { trimmed };
    // It must still read back as x (the interval around a power of two is lopsided).
    let back: f64 = format!("{}.{}e{}", &trimmed[..1], &trimmed[1..], e)
        .parse()
        .expect("a float");
    if back == x && trimmed.len() <= n {
        (trimmed.to_string(), e)
    } else {
        (short, exp)
    }
}

/// `repr(f)` for a float: the shortest string that round-trips, in CPython's layout
/// (`float_repr` → `PyOS_double_to_string(x, 'r', 0, Py_DTSF_ADD_DOT_0)`): fixed notation
/// when the decimal exponent is in `-4..16`, else `d.ddde±XX`.
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.into();
    }
    let sign = if f.is_sign_negative() { "-" } else { "" };
    let (digits, exp) = shortest_digits(f.abs());
    let decpt = exp + 1;
    if (-3..=16).contains(&decpt) {
        let body = if decpt <= 0 {
            format!("0.{}{}", "0".repeat((-decpt) as usize), digits)
        } else if decpt as usize >= digits.len() {
            format!("{}{}.0", digits, "0".repeat(decpt as usize - digits.len()))
        } else {
            format!(
                "{}.{}",
                &digits[..decpt as usize],
                &digits[decpt as usize..]
            )
        };
        format!("{sign}{body}")
    } else {
        let m = if digits.len() == 1 {
            digits
        } else {
            format!("{}.{}", &digits[..1], &digits[1..])
        };
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{m}e{esign}{:02}", exp.abs())
    }
}

/// `repr(obj)` for the types built so far.
pub fn repr(o: &Obj) -> String {
    if crate::types::none::is_none(o) {
        return "None".into();
    }
    if let Ok(i) = PyInt::from_obj(o.clone()) {
        if i.is_bool() {
            return if i.to_i64() == Some(1) {
                "True"
            } else {
                "False"
            }
            .into();
        }
        return i.value().to_string();
    }
    if let Ok(f) = PyFloat::from_obj(o.clone()) {
        return float_repr(f.value());
    }
    if let Ok(s) = PyStr::from_obj(o.clone()) {
        return pystr::repr(&s.to_string());
    }
    if let Ok(l) = PyList::from_obj(o.clone()) {
        let parts: Vec<String> = l.items().iter().map(repr).collect();
        return format!("[{}]", parts.join(", "));
    }
    if let Ok(t) = PyTuple::from_obj(o.clone()) {
        let parts: Vec<String> = t.items().iter().map(repr).collect();
        return if parts.len() == 1 {
            format!("({},)", parts[0])
        } else {
            format!("({})", parts.join(", "))
        };
    }
    if let Ok(d) = PyDict::from_obj(o.clone()) {
        let parts: Vec<String> = d
            .items()
            .iter()
            .map(|(k, v)| format!("{}: {}", repr(k), repr(v)))
            .collect();
        return format!("{{{}}}", parts.join(", "));
    }
    if let Ok(f) = crate::types::function::PyFunction::from_obj(o.clone()) {
        return f.repr();
    }
    format!("<{} object at {:#x}>", o.type_name(), o.id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_reprs() {
        for (f, s) in [
            (1.5, "1.5"),
            (0.1, "0.1"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (123456789012345680.0, "1.2345678901234568e+17"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-0.0, "-0.0"),
            (5e-324, "5e-324"),
            (f64::INFINITY, "inf"),
            (2.0, "2.0"),
        ] {
            assert_eq!(float_repr(f), s);
        }
    }

    #[test]
    fn numbers_compare_exactly() {
        let i = |v: i64| PyInt::from_i64(v).into_obj();
        let f = |v: f64| PyFloat::new(v).into_obj();
        assert!(eq(&i(1), &f(1.0)).unwrap());
        assert!(eq(&PyInt::from_bool(true).into_obj(), &f(1.0)).unwrap());
        assert!(!eq(&i((1 << 53) + 1), &f((1u64 << 53) as f64)).unwrap());
        assert!(lt(&f((1u64 << 53) as f64), &i((1 << 53) + 1)).unwrap());
        assert!(lt(&i(2), &f(2.5)).unwrap() && !lt(&f(2.5), &i(2)).unwrap());
        assert!(lt(&i(-3), &f(-2.5)).unwrap());
        assert!(!eq(&f(f64::NAN), &i(0)).unwrap());
        assert!(lt(&i(1), &PyList::new().into_obj()).is_err());
    }
}
