//! The numeric builtins: `abs`, `divmod`, `round`, `pow`, `hex`, `oct`, `bin`
//! (`Python/bltinmodule.c` and the number slots they call).

use super::*;

/// `abs(x)`.
pub(super) fn abs(_me: &mut Interp<'_>, args: Args, _kw: Kwargs) -> R<Value> {
    match args[0].as_obj().and_then(ops::as_num) {
        // long_abs: a non-negative exact int is returned itself (long_long), a bool as an int.
        Some(ops::Num::Int(i))
            if i.sign() != Sign::Minus && !args[0].as_obj().is_some_and(ops::is_bool) =>
        {
            Ok(args[0].clone())
        }
        Some(ops::Num::Int(i)) => Ok(obj(ops::int_obj(if i.sign() == Sign::Minus {
            -i
        } else {
            i
        }))),
        Some(ops::Num::Float(f)) => Ok(obj(ops::float_obj(f.abs()))),
        None => Err(type_err(format!(
            "bad operand type for abs(): '{}'",
            args[0].type_name()
        ))),
    }
}

/// `divmod(a, b)`.
pub(super) fn divmod(_me: &mut Interp<'_>, args: Args, _kw: Kwargs) -> R<Value> {
    let (a, b) = (arg_obj(&args[0])?, arg_obj(&args[1])?);
    match (ops::as_num(&a), ops::as_num(&b)) {
        (Some(ops::Num::Int(_)), Some(ops::Num::Int(y))) => {
            if y.sign() == Sign::NoSign {
                return Err(exc(
                    ExcKind::ZeroDivisionError,
                    "integer division or modulo by zero",
                ));
            }
            let q = ops::binary_op(crate::script::ast::BinOp::FloorDiv, &a, &b, usize::MAX)?;
            let r = ops::binary_op(crate::script::ast::BinOp::Mod, &a, &b, usize::MAX)?;
            Ok(obj(PyTuple::new(vec![q, r]).into_obj()))
        }
        (Some(x), Some(y)) => {
            let f = |n: ops::Num| match n {
                ops::Num::Int(i) => ops::int_to_f64(&i),
                ops::Num::Float(f) => Ok(f),
            };
            let (x, y) = (f(x)?, f(y)?);
            if y == 0.0 {
                return Err(exc(ExcKind::ZeroDivisionError, "float divmod()"));
            }
            let (q, r) = ops::float_divmod(x, y);
            Ok(obj(PyTuple::new(vec![
                ops::float_obj(q),
                ops::float_obj(r),
            ])
            .into_obj()))
        }
        _ => Err(type_err(format!(
            "unsupported operand type(s) for divmod(): '{}' and '{}'",
            a.type_name(),
            b.type_name()
        ))),
    }
}

/// `round(number, ndigits=None)`.
pub(super) fn round(_me: &mut Interp<'_>, args: Args, kw: Kwargs) -> R<Value> {
    let slots = unpack_keywords("round", args, kw, 0, &["number", "ndigits"], 1, 2)?;
    let x = arg_obj(slots[0].as_ref().expect("required"))?;
    let nd = match &slots[1] {
        Some(v) if v.as_obj().is_some_and(none::is_none) => None,
        Some(v) => Some(match v.as_obj().and_then(ops::int_value) {
            // Clamped, as PyNumber_AsSsize_t(ndigits, NULL) does.
            Some(i) => isize::try_from(&i).unwrap_or(if i.sign() == Sign::Minus {
                isize::MIN
            } else {
                isize::MAX
            }),
            None => {
                if ops::as_num(&x).is_none() {
                    return Err(type_err(format!(
                        "type {} doesn't define __round__ method",
                        x.type_name()
                    )));
                }
                return Err(type_err(format!(
                    "'{}' object cannot be interpreted as an integer",
                    v.type_name()
                )));
            }
        }),
        None => None,
    };
    // int.__round__ returns the int itself; a bool becomes a plain int.
    let is_bool = x.is_type(&crate::types::int::BOOL_TYPE);
    match (ops::as_num(&x), nd) {
        (Some(ops::Num::Int(i)), None) if is_bool => Ok(obj(ops::int_obj(i))),
        (Some(ops::Num::Int(_)), None) => Ok(obj(x)),
        (Some(ops::Num::Int(i)), Some(n)) => {
            if n >= 0 {
                return Ok(obj(if is_bool { ops::int_obj(i) } else { x }));
            }
            // 10**-n beyond every digit of i rounds to 0 (CPython computes the
            // power all the same, slowly).
            if n.unsigned_abs() as u64 > i.bits() / 3 + 2 {
                return Ok(int_v(0));
            }
            let p = BigInt::from(10).pow(n.unsigned_abs() as u32);
            let (q, r) = (&i / &p, &i % &p);
            let (q, r) = if r.sign() == Sign::Minus {
                (q - 1, r + &p)
            } else {
                (q, r)
            };
            let twice = &r * 2;
            let q = if twice > p || (twice == p && (&q % 2) != BigInt::from(0)) {
                q + 1
            } else {
                q
            };
            Ok(obj(ops::int_obj(q * p)))
        }
        (Some(ops::Num::Float(f)), None) => {
            Ok(obj(ops::int_obj(float_to_int(f.round_ties_even())?)))
        }
        (Some(ops::Num::Float(f)), Some(n)) => {
            if !f.is_finite() || n > 323 {
                return Ok(obj(x));
            }
            if n < -308 {
                return Ok(obj(ops::float_obj(0.0f64.copysign(f))));
            }
            let r = if n >= 0 {
                format!("{:.*}", n as usize, f).parse::<f64>().unwrap_or(f)
            } else {
                let p = 10f64.powi((-n) as i32);
                (f / p).round_ties_even() * p
            };
            Ok(obj(ops::float_obj(r)))
        }
        _ => Err(type_err(format!(
            "type {} doesn't define __round__ method",
            x.type_name()
        ))),
    }
}

/// `hex(x)`, `oct(x)`, `bin(x)` (`PyNumber_ToBase`): an int (or bool) with its prefix.
fn to_base(v: &Value, radix: u32, prefix: &str) -> R<Value> {
    let Some(i) = v.as_obj().and_then(ops::int_value) else {
        return Err(type_err(format!(
            "'{}' object cannot be interpreted as an integer",
            v.type_name()
        )));
    };
    let sign = if i.sign() == Sign::Minus { "-" } else { "" };
    let digits = i.magnitude().to_str_radix(radix);
    Ok(obj(
        PyStr::new(&format!("{sign}{prefix}{digits}")).into_obj()
    ))
}

/// `hex(x)`.
pub(super) fn hex(_me: &mut Interp<'_>, args: Args, _kw: Kwargs) -> R<Value> {
    to_base(&args[0], 16, "0x")
}

/// `oct(x)`.
pub(super) fn oct(_me: &mut Interp<'_>, args: Args, _kw: Kwargs) -> R<Value> {
    to_base(&args[0], 8, "0o")
}

/// `bin(x)`.
pub(super) fn bin(_me: &mut Interp<'_>, args: Args, _kw: Kwargs) -> R<Value> {
    to_base(&args[0], 2, "0b")
}

/// `pow(base, exp, mod=None)`: `base ** exp`, or modular exponentiation of three ints
/// (`long_pow` with a modulus; a negative exponent takes the modular inverse).
pub(super) fn pow(me: &mut Interp<'_>, args: Args, kw: Kwargs) -> R<Value> {
    let slots = unpack_keywords("pow", args, kw, 0, &["base", "exp", "mod"], 2, 3)?;
    let base = slots[0].clone().expect("required");
    let exp = slots[1].clone().expect("required");
    let modulus = match &slots[2] {
        Some(Value::Obj(o)) if none::is_none(o) => None,
        other => other.clone(),
    };
    let Some(m) = modulus else {
        return me.binary(crate::script::ast::BinOp::Pow, base, exp);
    };
    // ternary_op: an operand without nb_power (not a number) leaves every slot
    // NotImplemented; numbers that are not all ints reach float_pow, which refuses a modulus.
    let is_float = |v: &Value| matches!(v.as_obj().and_then(ops::as_num), Some(ops::Num::Float(_)));
    let is_int = |v: &Value| v.as_obj().and_then(ops::int_value).is_some();
    if ![&base, &exp, &m].into_iter().any(is_float) && ![&base, &exp, &m].into_iter().all(is_int) {
        return Err(type_err(format!(
            "unsupported operand type(s) for ** or pow(): '{}', '{}', '{}'",
            base.type_name(),
            exp.type_name(),
            m.type_name()
        )));
    }
    let int = |v: &Value| v.as_obj().and_then(ops::int_value);
    let (Some(b), Some(e), Some(m)) = (int(&base), int(&exp), int(&m)) else {
        return Err(type_err(
            "pow() 3rd argument not allowed unless all arguments are integers",
        ));
    };
    if m.sign() == Sign::NoSign {
        return Err(exc(ExcKind::ValueError, "pow() 3rd argument cannot be 0"));
    }
    let (b, e) = if e.sign() == Sign::Minus {
        let Some(inv) = mod_inverse(&b, &m) else {
            return Err(exc(
                ExcKind::ValueError,
                "base is not invertible for the given modulus",
            ));
        };
        (inv, -e)
    } else {
        (b, e)
    };
    Ok(obj(ops::int_obj(b.modpow(&e, &m))))
}

/// The inverse of `b` modulo `m` (`long_invmod`), if they are coprime.
fn mod_inverse(b: &BigInt, m: &BigInt) -> Option<BigInt> {
    let m_abs = if m.sign() == Sign::Minus {
        -m
    } else {
        m.clone()
    };
    let (mut a, mut n) = (((b % &m_abs) + &m_abs) % &m_abs, m_abs.clone());
    let (mut x0, mut x1) = (BigInt::from(1), BigInt::from(0));
    while n.sign() != Sign::NoSign {
        let q = &a / &n;
        (a, n) = (n.clone(), &a - &q * &n);
        (x0, x1) = (x1.clone(), &x0 - &q * &x1);
    }
    (a == BigInt::from(1)).then(|| ((x0 % &m_abs) + &m_abs) % &m_abs)
}
