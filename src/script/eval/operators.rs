//! Operators on values: `PyNumber_*` binary operators and their "unsupported operand" errors
//! (`Objects/abstract.c`), rich comparison and `is` (`Objects/object.c`), `in`
//! (`PySequence_Contains`, and `range_contains_long` of `Objects/rangeobject.c`), and truth
//! (`PyObject_IsTrue`). Two objects go to `script::ops`; this file handles the values that
//! are not objects in our memory (ranges, dict views, types, functions).

use super::*;
use num_bigint::BigInt;

impl Interp<'_> {
    pub(crate) fn binary(&mut self, op: BinOp, a: Value, b: Value) -> R<Value> {
        // `str % anything`: printf-style formatting (unicode_mod), whatever the right operand.
        if op == BinOp::Mod
            && let Value::Obj(s) = &a
            && s.is_type(&crate::types::str::STR_TYPE)
        {
            let fmt = PyStr::from_obj(s.clone()).expect("str");
            return crate::script::builtins::percent_format(self, &fmt, &b);
        }
        let (a, b) = match (a, b) {
            (Value::Obj(a), Value::Obj(b)) => (a, b),
            (a, b) => return Err(mixed_operands(op, &a, &b)),
        };
        self.charge_bigint(op, &a, &b)?;
        Ok(Value::Obj(ops::binary_op(op, &a, &b, self.mem_budget())?))
    }

    pub(crate) fn truthy(&mut self, v: &Value) -> R<bool> {
        match v {
            Value::Obj(o) => ops::truthy(o),
            Value::Range(r) => Ok(!r.is_empty()),
            Value::View(vw) => Ok(!PyDict::from_obj(vw.value.0.clone())
                .expect("dict")
                .is_empty()),
            _ => Ok(true),
        }
    }

    pub(super) fn compare(&mut self, op: CmpOp, a: &Value, b: &Value) -> R<bool> {
        match op {
            CmpOp::In | CmpOp::NotIn => {
                let r = self.contains(b, a)?;
                return Ok(r == (op == CmpOp::In));
            }
            CmpOp::Is | CmpOp::IsNot => {
                return Ok(values_identical(a, b) == (op == CmpOp::Is));
            }
            _ => {}
        }
        match (a, b) {
            (Value::Obj(x), Value::Obj(y)) => ops::compare(op, x, y),
            (Value::Types(x), Value::Types(y)) => types_compare(op, x, y),
            (Value::Types(_), Value::Obj(_)) | (Value::Obj(_), Value::Types(_))
                if matches!(op, CmpOp::Eq | CmpOp::Ne) =>
            {
                // A tuple in memory holds no type: never equal.
                Ok(op == CmpOp::Ne)
            }
            (Value::Range(ra), Value::Range(rb)) if matches!(op, CmpOp::Eq | CmpOp::Ne) => {
                // range_equals: the same sequence of numbers.
                let one = BigInt::from(1);
                let same = ra.len == rb.len
                    && (ra.is_empty()
                        || (ra.start == rb.start && (ra.len == one || ra.step == rb.step)));
                Ok(same == (op == CmpOp::Eq))
            }
            (Value::View(x), Value::View(y))
                if x.value.1 != ViewKind::Values && y.value.1 != ViewKind::Values =>
            {
                // dictview_richcompare: keys and items views compare as sets, by length and
                // then by walking one and looking each item up in the other.
                let len = |v: &Value| match v {
                    Value::View(w) => PyDict::from_obj(w.value.0.clone()).map_or(0, |d| d.len()),
                    _ => 0,
                };
                let (n, m) = (len(a), len(b));
                let r = match op {
                    CmpOp::Eq | CmpOp::Ne => {
                        (n == m && self.all_contained_in(a, b)?) == (op == CmpOp::Eq)
                    }
                    CmpOp::Lt => n < m && self.all_contained_in(a, b)?,
                    CmpOp::Le => n <= m && self.all_contained_in(a, b)?,
                    CmpOp::Gt => n > m && self.all_contained_in(b, a)?,
                    _ => n >= m && self.all_contained_in(b, a)?,
                };
                Ok(r)
            }
            _ => match op {
                CmpOp::Eq => Ok(values_identical(a, b)),
                CmpOp::Ne => Ok(!values_identical(a, b)),
                _ => Err(type_err(format!(
                    "'{}' not supported between instances of '{}' and '{}'",
                    op.symbol(),
                    a.type_name(),
                    b.type_name()
                ))),
            },
        }
    }

    /// `all_contained_in` (dictobject.c): every item of iterable `a` is in `b`, walked with a
    /// real iterator (an items view's iterator and its result tuple are GC objects).
    fn all_contained_in(&mut self, a: &Value, b: &Value) -> R<bool> {
        let mut it = self.get_iter(a.clone())?;
        while let Some(x) = self.iter_next(&mut it)? {
            if !self.contains(b, &Value::Obj(x))? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// `item in container`.
    pub(super) fn contains(&mut self, container: &Value, item: &Value) -> R<bool> {
        match container {
            // A tuple of types: identity, then equality (a nested tuple of types).
            Value::Types(ts) => Ok(ts.iter().any(|t| types_equal(t, item))),
            Value::Obj(c) => {
                if let Ok(s) = PyStr::from_obj(c.clone()) {
                    let Some(Ok(sub)) = item.as_obj().map(|o| PyStr::from_obj(o.clone())) else {
                        return Err(type_err(format!(
                            "'in <string>' requires string as left operand, not {}",
                            item.type_name()
                        )));
                    };
                    self.charge(s.len() / 64)?;
                    return Ok(s.to_string().contains(&sub.to_string()));
                }
                if let Ok(d) = PyDict::from_obj(c.clone()) {
                    let item = item.clone().into_obj()?;
                    return Ok(d.contains(&item)?);
                }
                if let Ok(l) = PyList::from_obj(c.clone()) {
                    self.charge(l.len())?;
                    let item = item.clone().into_obj()?;
                    return Ok(l.contains(&item)?);
                }
                if let Ok(t) = PyTuple::from_obj(c.clone()) {
                    self.charge(t.len())?;
                    let item = item.clone().into_obj()?;
                    return Ok(t.contains(&item)?);
                }
                Err(type_err(format!(
                    "argument of type '{}' is not iterable",
                    c.type_name()
                )))
            }
            Value::Range(r) if item.as_obj().is_some_and(|o| ops::int_value(o).is_some()) => {
                // range_contains_long: arithmetic, with ints of any size.
                let Some(x) = item.as_obj().and_then(ops::int_value) else {
                    return Ok(false);
                };
                let (a, b, s) = (&r.start, &r.stop, &r.step);
                let inside = if *s > BigInt::from(0) {
                    *a <= x && x < *b
                } else {
                    *b < x && x <= *a
                };
                Ok(inside && ((&x - a) % s) == BigInt::from(0))
            }
            Value::View(vw) => {
                let d = PyDict::from_obj(vw.value.0.clone()).expect("dict");
                match vw.value.1 {
                    ViewKind::Keys => Ok(d.contains(&item.clone().into_obj()?)?),
                    ViewKind::Values => {
                        let item = item.clone().into_obj()?;
                        for (_, v) in d.items() {
                            if crate::types::ops::eq(&v, &item)? {
                                return Ok(true);
                            }
                        }
                        Ok(false)
                    }
                    ViewKind::Items => {
                        let item = item.clone().into_obj()?;
                        let Ok(t) = PyTuple::from_obj(item) else {
                            return Ok(false);
                        };
                        if t.len() != 2 {
                            return Ok(false);
                        }
                        let kv = t.items();
                        match d.get(&kv[0])? {
                            Some(v) => Ok(crate::types::ops::eq(&v, &kv[1])?),
                            None => Ok(false),
                        }
                    }
                }
            }
            other => {
                if !self.is_iterable(other) {
                    return Err(type_err(format!(
                        "argument of type '{}' is not iterable",
                        other.type_name()
                    )));
                }
                let mut it = self.get_iter(other.clone())?;
                let item = item.clone().into_obj()?;
                while let Some(x) = self.iter_next(&mut it)? {
                    self.step()?;
                    if crate::types::ops::eq(&x, &item)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
        }
    }
}

/// `==` between two items of tuples of types: types by identity, nested tuples item by item.
fn types_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Types(x), Value::Types(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| types_equal(p, q))
        }
        _ => values_identical(a, b),
    }
}

/// `tuplerichcompare` of two tuples of types: the first items that differ decide (types
/// have no order: CPython's TypeError), else the lengths.
fn types_compare(op: CmpOp, x: &[Value], y: &[Value]) -> R<bool> {
    if let Some((p, q)) = x.iter().zip(y.iter()).find(|(p, q)| !types_equal(p, q)) {
        return match op {
            CmpOp::Eq => Ok(false),
            CmpOp::Ne => Ok(true),
            _ => Err(type_err(format!(
                "'{}' not supported between instances of '{}' and '{}'",
                op.symbol(),
                p.type_name(),
                q.type_name()
            ))),
        };
    }
    let (n, m) = (x.len(), y.len());
    Ok(match op {
        CmpOp::Eq => n == m,
        CmpOp::Ne => n != m,
        CmpOp::Lt => n < m,
        CmpOp::Le => n <= m,
        CmpOp::Gt => n > m,
        _ => n >= m,
    })
}

/// `is` between values.
pub(crate) fn values_identical(a: &Value, b: &Value) -> bool {
    a.identity() == b.identity()
}

/// The fault of `a op b` where one operand is not an object in our memory: CPython's
/// TypeError where it has one, or a refusal where CPython would compute something.
pub(super) fn mixed_operands(op: BinOp, a: &Value, b: &Value) -> Fault {
    if matches!(a, Value::Types(_)) || matches!(b, Value::Types(_)) {
        return Fault::Unsupported("a tuple of types as an operand".into());
    }
    if op == BinOp::BitOr && (matches!(a, Value::Type(_)) || matches!(b, Value::Type(_))) {
        return Fault::Unsupported("union types (X | Y)".into());
    }
    let is_view = |v: &Value| matches!(v, Value::View(_));
    if (is_view(a) || is_view(b))
        && matches!(
            op,
            BinOp::Sub | BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor
        )
    {
        return Fault::Unsupported("set operations on dict views".into());
    }
    let seq = |v: &Value| {
        v.as_obj().and_then(|o| {
            ["str", "list", "tuple"]
                .into_iter()
                .find(|t| o.type_name() == *t)
        })
    };
    match op {
        BinOp::Add => {
            if let Some(t) = seq(a) {
                return type_err(format!(
                    "can only concatenate {t} (not \"{}\") to {t}",
                    b.type_name()
                ));
            }
        }
        BinOp::Mul => {
            if seq(a).is_some() {
                return type_err(format!(
                    "can't multiply sequence by non-int of type '{}'",
                    b.type_name()
                ));
            }
            if seq(b).is_some() {
                return type_err(format!(
                    "can't multiply sequence by non-int of type '{}'",
                    a.type_name()
                ));
            }
        }
        _ => {}
    }
    type_err(format!(
        "unsupported operand type(s) for {}: '{}' and '{}'",
        if op == BinOp::Pow {
            "** or pow()"
        } else {
            op.symbol()
        },
        a.type_name(),
        b.type_name()
    ))
}
