//! Subscripts: `v[i]`, `v[a:b:c]`, their assignment and deletion (`PyObject_GetItem`,
//! `PyObject_SetItem`, `PyObject_DelItem` and the sequence slots under them).

use super::*;

impl Interp<'_> {
    // ---- subscripts ----

    pub(crate) fn getitem(&mut self, v: &Value, idx: &Index) -> R<Obj> {
        let o = match v {
            Value::Obj(o) => o,
            // list[int] and the like are generic aliases (`__class_getitem__`).
            Value::Type(t @ (TypeTag::List | TypeTag::Tuple | TypeTag::Dict | TypeTag::Type)) => {
                return Err(Fault::Unsupported(format!(
                    "{}[...] (generic alias types)",
                    t.name()
                )));
            }
            Value::Type(t) => {
                return Err(type_err(format!(
                    "type '{}' is not subscriptable",
                    t.name()
                )));
            }
            Value::Range(r) => {
                // A slice of a range is a range ([`range_slice`]), which the evaluator makes.
                let Index::Item(i) = idx else {
                    return Err(Fault::Unsupported("a range slice as an object".into()));
                };
                // compute_range_item: any index is accepted (a huge one is simply out of
                // range).
                let Some(mut k) = ops::int_value(i) else {
                    return Err(type_err(format!(
                        "range indices must be integers or slices, not {}",
                        i.type_name()
                    )));
                };
                if k < BigInt::from(0) {
                    k += &r.len;
                }
                return if k >= BigInt::from(0) && k < r.len {
                    Ok(ops::int_obj(r.item(&k)))
                } else {
                    Err(exc(ExcKind::IndexError, "range object index out of range"))
                };
            }
            Value::Types(_) => {
                return Err(Fault::Unsupported(
                    "subscripting a tuple of types (not built in pylayout's memory)".into(),
                ));
            }
            other => {
                return Err(type_err(format!(
                    "'{}' object is not subscriptable",
                    other.type_name()
                )));
            }
        };
        if let Ok(d) = PyDict::from_obj(o.clone()) {
            let key = match idx {
                Index::Item(k) => k.clone(),
                Index::Slice(..) => {
                    return Err(type_err("unhashable type: 'slice'"));
                }
            };
            return d.get_item(&key).map_err(|e| ops::keyed(e, &key));
        }
        if let Ok(l) = PyList::from_obj(o.clone()) {
            return match idx {
                Index::Item(i) => match norm_index(i, l.len(), "list", "list")? {
                    Some(k) => Ok(l.get(k as isize)?),
                    None => Err(exc(ExcKind::IndexError, "list index out of range")),
                },
                Index::Slice(a, b, c) => {
                    let (start, stop, step, n) = adjust_slice(l.len(), a, b, c)?;
                    self.charge(n)?;
                    Ok(if step == 1 {
                        l.slice(start, stop.max(start)).into_obj()
                    } else {
                        l.extended_slice(start as usize, step, n).into_obj()
                    })
                }
            };
        }
        if let Ok(t) = PyTuple::from_obj(o.clone()) {
            return match idx {
                Index::Item(i) => match norm_index(i, t.len(), "tuple", "tuple")? {
                    Some(k) => Ok(t.get(k as isize)?),
                    None => Err(exc(ExcKind::IndexError, "tuple index out of range")),
                },
                Index::Slice(a, b, c) => {
                    let (start, _stop, step, n) = adjust_slice(t.len(), a, b, c)?;
                    self.charge(n)?;
                    if step == 1 {
                        let lo = start.max(0) as usize;
                        return Ok(t.slice(lo, lo + n).into_obj());
                    }
                    let items = t.items();
                    let picked = (0..n)
                        .map(|k| items[(start + k as isize * step) as usize].clone())
                        .collect();
                    Ok(PyTuple::new(picked).into_obj())
                }
            };
        }
        if let Ok(s) = PyStr::from_obj(o.clone()) {
            return match idx {
                Index::Item(i) => match norm_index(i, s.len(), "string", "str")? {
                    Some(k) => Ok(s.get(k as isize)?.into_obj()),
                    None => Err(exc(ExcKind::IndexError, "string index out of range")),
                },
                Index::Slice(a, b, c) => {
                    let (start, _stop, step, n) = adjust_slice(s.len(), a, b, c)?;
                    self.charge(n / 64)?;
                    if n == 0 {
                        return Ok(PyStr::new("").into_obj());
                    }
                    if step == 1 {
                        let lo = start as usize;
                        return Ok(s.slice(lo, lo + n).into_obj());
                    }
                    let cps = s.code_points();
                    let text: String = (0..n)
                        .map(|k| {
                            char::from_u32(cps[(start + k as isize * step) as usize])
                                .expect("no surrogates")
                        })
                        .collect();
                    Ok(PyStr::new_uncached(&text).into_obj())
                }
            };
        }
        Err(type_err(format!(
            "'{}' object is not subscriptable",
            o.type_name()
        )))
    }

    pub(crate) fn setitem(&mut self, v: &Value, idx: &Index, value: Value) -> R<()> {
        index_sized_key(v, idx)?;
        let Value::Obj(o) = v else {
            return Err(type_err(format!(
                "'{}' object does not support item assignment",
                v.type_name()
            )));
        };
        if let Ok(d) = PyDict::from_obj(o.clone()) {
            let Index::Item(k) = idx else {
                return Err(type_err("unhashable type: 'slice'"));
            };
            d.set_item(k.clone(), value.into_obj()?)?;
            return Ok(());
        }
        if let Ok(l) = PyList::from_obj(o.clone()) {
            match idx {
                Index::Item(i) => match norm_index(i, l.len(), "list", "list")? {
                    Some(k) => l.set(k as isize, value.into_obj()?)?,
                    None => {
                        return Err(exc(
                            ExcKind::IndexError,
                            "list assignment index out of range",
                        ));
                    }
                },
                Index::Slice(a, b, c) => {
                    let (start, stop, step, n) = adjust_slice(l.len(), a, b, c)?;
                    if !self.is_iterable(&value) {
                        return Err(type_err(if step == 1 {
                            "can only assign an iterable".to_string()
                        } else {
                            "must assign iterable to extended slice".to_string()
                        }));
                    }
                    // PySequence_Fast: a list or tuple as it is, anything else made a list
                    // (PySequence_List), released after the assignment.
                    let (items, _fast) = self.sequence_fast(&value)?;
                    self.charge(items.len() + l.len())?;
                    if step == 1 {
                        l.set_slice(start, stop.max(start), items);
                    } else {
                        if items.len() != n {
                            return Err(exc(
                                ExcKind::ValueError,
                                format!(
                                    "attempt to assign sequence of size {} to extended slice of size {n}",
                                    items.len()
                                ),
                            ));
                        }
                        l.set_extended_slice(start as usize, step, n, items)?;
                    }
                }
            }
            return Ok(());
        }
        Err(type_err(format!(
            "'{}' object does not support item assignment",
            o.type_name()
        )))
    }

    pub(crate) fn delitem(&mut self, v: &Value, idx: &Index) -> R<()> {
        index_sized_key(v, idx)?;
        let Value::Obj(o) = v else {
            let sequence = matches!(v, Value::Range(..) | Value::View(_));
            let by_index = matches!(idx, Index::Item(k) if ops::int_value(k).is_some());
            return Err(type_err(format!(
                "'{}' object {} support item deletion",
                v.type_name(),
                if sequence && by_index {
                    "doesn't"
                } else {
                    "does not"
                }
            )));
        };
        if let Ok(d) = PyDict::from_obj(o.clone()) {
            let Index::Item(k) = idx else {
                return Err(type_err("unhashable type: 'slice'"));
            };
            d.del_item(k).map_err(|e| ops::keyed(e, k))?;
            return Ok(());
        }
        if let Ok(l) = PyList::from_obj(o.clone()) {
            match idx {
                Index::Item(i) => match norm_index(i, l.len(), "list", "list")? {
                    Some(k) => l.del_item(k as isize)?,
                    None => {
                        return Err(exc(
                            ExcKind::IndexError,
                            "list assignment index out of range",
                        ));
                    }
                },
                Index::Slice(a, b, c) => {
                    let (start, stop, step, n) = adjust_slice(l.len(), a, b, c)?;
                    self.charge(l.len())?;
                    if step == 1 {
                        l.del_slice(start, stop.max(start));
                    } else if n > 0 {
                        // Walk upwards, as list_ass_subscript does for a negative step.
                        let (s0, st) = if step < 0 {
                            (start + (n as isize - 1) * step, -step)
                        } else {
                            (start, step)
                        };
                        l.del_extended_slice(s0 as usize, st, n);
                    }
                }
            }
            return Ok(());
        }
        // PySequence_DelItem ("doesn't") for an index into a sequence type, PyObject_DelItem
        // ("does not") otherwise.
        let sequence =
            o.is_type(&crate::types::str::STR_TYPE) || o.is_type(&crate::types::tuple::TUPLE_TYPE);
        let by_index = matches!(idx, Index::Item(k) if ops::int_value(k).is_some());
        Err(type_err(format!(
            "'{}' object {} support item deletion",
            o.type_name(),
            if sequence && by_index {
                "doesn't"
            } else {
                "does not"
            }
        )))
    }
}

/// `range(...)[a:b:c]` (`compute_slice`): the range of the picked items, its start, stop
/// and step those of the slice's `indices()` mapped through the range.
pub(crate) fn range_slice(
    r: &RangeObj,
    a: &Option<Obj>,
    b: &Option<Obj>,
    c: &Option<Obj>,
) -> R<Value> {
    // _PySlice_GetLongIndices: the slice's indices against the length, as ints of any size.
    let part = |x: &Option<Obj>| -> R<Option<BigInt>> {
        match x {
            None => Ok(None),
            Some(o) if crate::types::none::is_none(o) => Ok(None),
            Some(o) => ops::int_value(o).map(Some).ok_or_else(|| {
                type_err("slice indices must be integers or None or have an __index__ method")
            }),
        }
    };
    let zero = BigInt::from(0);
    let step = part(c)?.unwrap_or_else(|| BigInt::from(1));
    if step == zero {
        return Err(exc(ExcKind::ValueError, "slice step cannot be zero"));
    }
    let len = &r.len;
    let (lower, upper) = if step < zero {
        (BigInt::from(-1), len - 1)
    } else {
        (zero.clone(), len.clone())
    };
    let index = |v: Option<BigInt>, default: &BigInt| -> BigInt {
        let Some(mut v) = v else {
            return default.clone();
        };
        if v < zero {
            v += len;
        }
        v.clamp(lower.clone(), upper.clone())
    };
    let neg = step < zero;
    let start = index(part(a)?, if neg { &upper } else { &lower });
    let stop = index(part(b)?, if neg { &lower } else { &upper });
    Ok(Value::Range(std::rc::Rc::new(RangeObj::new(
        r.item(&start),
        r.item(&stop),
        &r.step * step,
    ))))
}
