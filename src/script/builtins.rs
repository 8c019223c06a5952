//! Builtin functions, type constructors, methods, subscripts and iteration, each building its
//! result the way CPython 3.11 does (which allocation path, which capacity, which singleton).

use std::cell::RefCell;
use std::rc::Rc;

use num_bigint::{BigInt, Sign};

use super::eval::{Index, Interp, LoopIter, R, range_len, seq_items, values_identical};
use super::ops::{self, Fault, exc, type_err};
use super::value::*;
use crate::error::ExcKind;
use crate::object::Obj;
use crate::types::dict::{FromKeysSource, PyDict};
use crate::types::float::PyFloat;
use crate::types::int::PyInt;
use crate::types::list::PyList;
use crate::types::none;
use crate::types::str::PyStr;
use crate::types::tuple::PyTuple;

type Args = Vec<Value>;
type Kwargs = Vec<(Rc<str>, Value)>;

/// `sys.get_int_max_str_digits()` default.
const INT_MAX_STR_DIGITS: usize = 4300;

fn none_v() -> Value {
    Value::Obj(none::none())
}

fn obj(o: Obj) -> Value {
    Value::Obj(o)
}

fn int_v(v: i64) -> Value {
    Value::Obj(ops::small_int(v))
}

fn bool_v(b: bool) -> Value {
    Value::Obj(ops::bool_obj(b))
}

fn str_v(s: &str) -> Value {
    Value::Obj(PyStr::new(s).into_obj())
}

fn no_kwargs(name: &str, kw: &Kwargs) -> R<()> {
    if let Some((k, _)) = kw.first() {
        return Err(type_err(format!(
            "{name}() takes no keyword arguments (got '{k}')"
        )));
    }
    Ok(())
}

/// `METH_O`: exactly one argument.
fn one_arg(name: &str, args: &Args) -> R<()> {
    if args.len() != 1 {
        return Err(type_err(format!(
            "{name}() takes exactly one argument ({} given)",
            args.len()
        )));
    }
    Ok(())
}

/// `METH_NOARGS`.
fn no_args(name: &str, args: &Args) -> R<()> {
    if !args.is_empty() {
        return Err(type_err(format!(
            "{name}() takes no arguments ({} given)",
            args.len()
        )));
    }
    Ok(())
}

/// Argument clinic's `expected N arguments, got M` family.
fn arg_range(name: &str, args: &Args, min: usize, max: usize) -> R<()> {
    let n = args.len();
    if n < min || n > max {
        let msg = if min == max {
            format!(
                "{name} expected {min} argument{}, got {n}",
                if min == 1 { "" } else { "s" }
            )
        } else if n < min {
            format!(
                "{name} expected at least {min} argument{}, got {n}",
                if min == 1 { "" } else { "s" }
            )
        } else {
            format!(
                "{name} expected at most {max} argument{}, got {n}",
                if max == 1 { "" } else { "s" }
            )
        };
        return Err(type_err(msg));
    }
    Ok(())
}

/// The argument tuple a `METH_VARARGS` function (or a `tp_new` called through `type_call`)
/// receives: CPython builds it for the call (from the tuple free list when it can), which
/// counts in generation 0 like any tuple. Empty argument lists use the static `()`.
fn varargs_tuple(args: &Args) -> Option<PyTuple> {
    if args.is_empty() {
        return None;
    }
    // Values we do not build as objects (iterators, ranges) take a slot all the same.
    let objs = args
        .iter()
        .map(|a| a.as_obj().cloned().unwrap_or_else(crate::types::none::none))
        .collect();
    Some(PyTuple::new(objs))
}

/// `PyTuple_Pack(n, None, ...)`.
fn none_tuple(n: usize) -> PyTuple {
    PyTuple::new((0..n).map(|_| crate::types::none::none()).collect())
}

/// An iterator's next result: its own result tuple refilled when nobody else holds it
/// (`Py_REFCNT(result) == 1`), else a new tuple.
fn recycled(result: Option<&PyTuple>, items: Vec<Obj>) -> Obj {
    match result {
        Some(r) => match r.recycle(items) {
            Ok(()) => r.as_obj().clone(),
            Err(items) => PyTuple::new(items).into_obj(),
        },
        None => PyTuple::new(items).into_obj(),
    }
}

/// An object argument (functions and other unmodelled values are refused).
fn arg_obj(v: &Value) -> R<Obj> {
    v.clone().into_obj()
}

/// `PyNumber_AsSsize_t` for an index-like argument.
fn as_index(v: &Value) -> R<isize> {
    let Some(i) = v.as_obj().and_then(ops::int_value) else {
        return Err(type_err(format!(
            "'{}' object cannot be interpreted as an integer",
            v.type_name()
        )));
    };
    isize::try_from(&i).map_err(|_| {
        exc(
            ExcKind::OverflowError,
            "Python int too large to convert to C ssize_t",
        )
    })
}

fn as_str(v: &Value) -> Option<PyStr> {
    v.as_obj().and_then(|o| PyStr::from_obj(o.clone()).ok())
}

/// `PySlice_Unpack` + `PySlice_AdjustIndices`: (start, stop, step, slicelength).
pub(crate) fn adjust_slice(
    len: usize,
    a: &Option<Obj>,
    b: &Option<Obj>,
    c: &Option<Obj>,
) -> R<(isize, isize, isize, usize)> {
    let part = |x: &Option<Obj>| -> R<Option<BigInt>> {
        match x {
            None => Ok(None),
            Some(o) if none::is_none(o) => Ok(None),
            Some(o) => ops::int_value(o).map(Some).ok_or_else(|| {
                type_err("slice indices must be integers or None or have an __index__ method")
            }),
        }
    };
    let clamp = |v: BigInt| -> isize {
        isize::try_from(&v).unwrap_or(if v.sign() == Sign::Minus {
            isize::MIN + 1
        } else {
            isize::MAX
        })
    };
    let step = match part(c)? {
        None => 1,
        Some(s) => {
            if s.sign() == Sign::NoSign {
                return Err(exc(ExcKind::ValueError, "slice step cannot be zero"));
            }
            clamp(s).max(-isize::MAX)
        }
    };
    let len = len as isize;
    let (mut start, mut stop) = (
        part(a)?
            .map(clamp)
            .unwrap_or(if step < 0 { isize::MAX } else { 0 }),
        part(b)?
            .map(clamp)
            .unwrap_or(if step < 0 { isize::MIN + 1 } else { isize::MAX }),
    );
    let fix = |v: &mut isize, upper_when_neg: isize| {
        if *v < 0 {
            *v += len;
            if *v < 0 {
                *v = if step < 0 { -1 } else { 0 };
            }
        } else if *v >= len {
            *v = upper_when_neg;
        }
    };
    let up = if step < 0 { len - 1 } else { len };
    fix(&mut start, up);
    fix(&mut stop, up);
    let slicelength = if step < 0 {
        if stop < start {
            ((start - stop - 1) / (-step) + 1) as usize
        } else {
            0
        }
    } else if start < stop {
        ((stop - start - 1) / step + 1) as usize
    } else {
        0
    };
    Ok((start, stop, step, slicelength))
}

fn norm_index(i: &Obj, len: usize, what: &str, kind: &str) -> R<Option<usize>> {
    let Some(v) = ops::int_value(i) else {
        return Err(type_err(if kind == "str" {
            format!("string indices must be integers, not '{}'", i.type_name())
        } else {
            format!(
                "{kind} indices must be integers or slices, not {}",
                i.type_name()
            )
        }));
    };
    let Ok(mut k) = isize::try_from(&v) else {
        return Err(exc(
            ExcKind::IndexError,
            "cannot fit 'int' into an index-sized integer",
        ));
    };
    let _ = what;
    if k < 0 {
        k += len as isize;
    }
    Ok((k >= 0 && (k as usize) < len).then_some(k as usize))
}

impl Interp<'_> {
    // ---- iteration ----

    pub(crate) fn is_iterable(&self, v: &Value) -> bool {
        match v {
            Value::Obj(o) => {
                PyList::from_obj(o.clone()).is_ok()
                    || PyTuple::from_obj(o.clone()).is_ok()
                    || PyStr::from_obj(o.clone()).is_ok()
                    || PyDict::from_obj(o.clone()).is_ok()
            }
            Value::Range(..) | Value::View(_) | Value::Iter(_) => true,
            _ => false,
        }
    }

    /// `GET_ITER`.
    pub(crate) fn get_iter(&mut self, v: Value) -> R<LoopIter> {
        let it = match &v {
            Value::Iter(shared) => return Ok(LoopIter::Shared(shared.clone())),
            _ => self.make_iter(v)?,
        };
        let gc = it.is_gc().then(|| GcCounted::new(()));
        Ok(LoopIter::Own(Box::new(it), gc))
    }

    fn make_iter(&mut self, v: Value) -> R<Iter> {
        Ok(match v {
            Value::Obj(o) => {
                let tag = TypeTag::of_obj(&o);
                match tag {
                    TypeTag::List | TypeTag::Tuple | TypeTag::Str => Iter::Seq(o, 0, tag),
                    TypeTag::Dict => {
                        let d = PyDict::from_obj(o).expect("dict");
                        let n = d.len();
                        Iter::Dict(d, 0, ViewKind::Keys, n, None)
                    }
                    _ => {
                        return Err(type_err(format!(
                            "'{}' object is not iterable",
                            o.type_name()
                        )));
                    }
                }
            }
            Value::Range(a, b, s) => Iter::Range(a, s, range_len(a, b, s)),
            Value::View(vw) => {
                let d = PyDict::from_obj(vw.value.0.clone()).expect("dict");
                let n = d.len();
                // dictiter_new: an items iterator packs its (None, None) result tuple.
                let result = (vw.value.1 == ViewKind::Items).then(|| none_tuple(2));
                Iter::Dict(d, 0, vw.value.1, n, result)
            }
            Value::Iter(_) => unreachable!("handled by get_iter"),
            other => {
                return Err(type_err(format!(
                    "'{}' object is not iterable",
                    other.type_name()
                )));
            }
        })
    }

    /// `FOR_ITER`: the next item, `None` when exhausted.
    pub(crate) fn iter_next(&mut self, it: &mut LoopIter) -> R<Option<Obj>> {
        match it {
            LoopIter::Own(b, _) => next_of(b),
            LoopIter::Shared(s) => next_of(&mut s.borrow_mut().value),
        }
    }

    /// All items of an iterable, and its length hint (`PyObject_LengthHint(x, 8)`) and
    /// whether it has a `len()`.
    pub(crate) fn collect(&mut self, v: Value) -> R<(Vec<Obj>, usize, bool)> {
        let sized = !matches!(v, Value::Iter(_));
        if let Value::Obj(o) = &v
            && (o.is_type(&crate::types::list::LIST_TYPE)
                || o.is_type(&crate::types::tuple::TUPLE_TYPE))
        {
            let items = seq_items(o);
            self.charge(items.len())?;
            let n = items.len();
            return Ok((items, n, true));
        }
        let hint = self.length_hint(&v);
        self.check_memory(hint as u128 * 8)?;
        let mut it = self.get_iter(v)?;
        let mut out = Vec::new();
        while let Some(x) = self.iter_next(&mut it)? {
            out.push(x);
            if out.len() & 1023 == 0 {
                self.charge(1024)?;
                self.check_memory(0)?;
            }
        }
        Ok((out, hint, sized))
    }

    fn length_hint(&self, v: &Value) -> usize {
        match v {
            Value::Obj(o) => {
                if let Ok(s) = PyStr::from_obj(o.clone()) {
                    s.len()
                } else if let Ok(d) = PyDict::from_obj(o.clone()) {
                    d.len()
                } else {
                    // A list or tuple; anything else has no length to hint (and `get_iter`
                    // then raises CPython's "'int' object is not iterable").
                    seq_len(o)
                }
            }
            Value::Range(a, b, s) => range_len(*a, *b, *s) as usize,
            Value::View(vw) => PyDict::from_obj(vw.value.0.clone()).expect("dict").len(),
            Value::Iter(it) => match &it.borrow().value {
                Iter::Seq(o, i, _) => seq_len(o).saturating_sub(*i),
                Iter::Dict(d, ..) => d.len(),
                Iter::Range(_, _, n) => *n as usize,
                Iter::Reversed(_, i) => i.map_or(0, |i| i + 1),
                Iter::Enumerate(..) | Iter::Zip(..) => 8,
            },
            _ => 8,
        }
    }

    /// `list.extend(iterable)` (`list_extend`).
    pub(crate) fn extend_list(&mut self, l: &PyList, v: Value) -> R<()> {
        if let Value::Obj(o) = &v
            && (o.is_type(&crate::types::list::LIST_TYPE)
                || o.is_type(&crate::types::tuple::TUPLE_TYPE))
        {
            let items = seq_items(o);
            self.check_memory(((l.len() + items.len()) * 8) as u128)?;
            l.extend_exact(items);
            return Ok(());
        }
        let (items, hint, _) = self.collect(v)?;
        l.extend_iter(items, hint);
        Ok(())
    }

    /// `PySequence_List(v)`: `PyList_New(0)` (free list) then `list_extend`.
    fn sequence_list(&mut self, v: Value) -> R<PyList> {
        let l = PyList::new();
        self.extend_list(&l, v)?;
        Ok(l)
    }

    // ---- subscripts ----

    pub(crate) fn getitem(&mut self, v: &Value, idx: &Index) -> R<Obj> {
        let o = match v {
            Value::Obj(o) => o,
            Value::Range(a, b, s) => {
                let Index::Item(i) = idx else {
                    return Err(Fault::Unsupported("slicing a range".into()));
                };
                let n = range_len(*a, *b, *s) as usize;
                return match norm_index(i, n, "range", "range")? {
                    Some(k) => Ok(ops::small_int(a + k as i64 * s)),
                    None => Err(exc(ExcKind::IndexError, "range object index out of range")),
                };
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
            return Ok(d.get_item(&key)?);
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
                    let items = match &value {
                        Value::Obj(x)
                            if x.is_type(&crate::types::list::LIST_TYPE)
                                || x.is_type(&crate::types::tuple::TUPLE_TYPE) =>
                        {
                            seq_items(x)
                        }
                        _ => self.collect(value.clone())?.0,
                    };
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
        let Value::Obj(o) = v else {
            return Err(type_err(format!(
                "'{}' object does not support item deletion",
                v.type_name()
            )));
        };
        if let Ok(d) = PyDict::from_obj(o.clone()) {
            let Index::Item(k) = idx else {
                return Err(type_err("unhashable type: 'slice'"));
            };
            d.del_item(k)?;
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
        Err(type_err(format!(
            "'{}' object doesn't support item deletion",
            o.type_name()
        )))
    }

    // ---- attributes and calls ----

    pub(crate) fn get_attr(&mut self, v: Value, name: &str) -> R<Value> {
        match &v {
            Value::Module(m) => match Builtin::of_module(*m, name) {
                Some(b) => Ok(Value::Builtin(b)),
                None => Err(Fault::Unsupported(format!(
                    "{}.{name} (not modelled by pylayout)",
                    m.name()
                ))),
            },
            Value::Type(t) => match name {
                "__name__" => Ok(str_v(t.name())),
                "fromkeys" if *t == TypeTag::Dict => {
                    Ok(Value::Method(Box::new(v.clone()), name.into()))
                }
                _ => Err(Fault::Unsupported(format!(
                    "the attribute {name} of type {}",
                    t.name()
                ))),
            },
            Value::Func(f) if name == "__name__" => Ok(str_v(&f.name)),
            Value::Obj(o) => {
                let tag = TypeTag::of_obj(o);
                if method_exists(tag, name) {
                    return Ok(Value::Method(Box::new(v.clone()), name.into()));
                }
                if real_attribute(tag, name) {
                    return Err(Fault::Unsupported(format!(
                        "{}.{name} (not modelled by pylayout)",
                        tag.name()
                    )));
                }
                Err(exc(
                    ExcKind::AttributeError,
                    format!("'{}' object has no attribute '{name}'", tag.name()),
                ))
            }
            other => Err(exc(
                ExcKind::AttributeError,
                format!("'{}' object has no attribute '{name}'", other.type_name()),
            )),
        }
    }

    /// Call a callable value.
    pub(crate) fn call(&mut self, f: Value, args: Args, kwargs: Kwargs) -> R<Value> {
        match f {
            Value::Func(func) => {
                let args = bind_kwargs(&func, args, kwargs)?;
                self.call_function(&func, args)
            }
            Value::Builtin(b) => self.call_builtin(b, args, kwargs),
            Value::Type(t) => self.construct(t, args, kwargs),
            Value::Method(recv, name) => self.call_method(*recv, &name, args, kwargs),
            other => Err(type_err(format!(
                "'{}' object is not callable",
                other.type_name()
            ))),
        }
    }

    fn call_builtin(&mut self, b: Builtin, args: Args, kw: Kwargs) -> R<Value> {
        let name = b.name();
        if !matches!(
            b,
            Builtin::Print
                | Builtin::Sorted
                | Builtin::Min
                | Builtin::Max
                | Builtin::Sum
                | Builtin::Enumerate
                | Builtin::GcCollect
        ) {
            no_kwargs(name, &kw)?;
        }
        // min, max, sys.getsizeof and gc.set_threshold are METH_VARARGS in 3.11.
        let _varargs = match b {
            Builtin::Min | Builtin::Max | Builtin::SysGetsizeof | Builtin::GcSetThreshold => {
                varargs_tuple(&args)
            }
            _ => None,
        };
        match b {
            Builtin::Print => {
                let mut sep = " ".to_string();
                let mut end = "\n".to_string();
                for (k, v) in &kw {
                    let text = match v.as_obj() {
                        Some(o) if none::is_none(o) => None,
                        _ => match as_str(v) {
                            Some(s) => Some(s.to_string()),
                            None => {
                                return Err(type_err(format!(
                                    "{k} must be None or a string, not {}",
                                    v.type_name()
                                )));
                            }
                        },
                    };
                    match &**k {
                        "sep" => sep = text.unwrap_or_else(|| " ".into()),
                        "end" => end = text.unwrap_or_else(|| "\n".into()),
                        "flush" => {}
                        "file" => return Err(Fault::Unsupported("print(file=...)".into())),
                        other => {
                            return Err(type_err(format!(
                                "'{other}' is an invalid keyword argument for print()"
                            )));
                        }
                    }
                }
                // builtin_print (Argument Clinic, `*args`): the parser's keyword tuple on the
                // first call, the argument tuple (non-objects stand in as None), then one
                // PyFile_WriteObject per argument, separator and end.
                self.print_parser_init();
                let _varargs = (!args.is_empty()).then(|| {
                    PyTuple::new(
                        args.iter()
                            .map(|a| a.as_obj().cloned().unwrap_or_else(none::none))
                            .collect(),
                    )
                });
                let mut line = String::new();
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        self.print_write(|_| Ok(()))?;
                        line.push_str(&sep);
                    }
                    let text = self.print_write(|me| me.str_value(a))?;
                    line.push_str(&text);
                }
                self.print_write(|_| Ok(()))?;
                line.push_str(&end);
                self.out.write_all(line.as_bytes()).map_err(|e| {
                    Fault::Output(
                        (e.kind() != std::io::ErrorKind::BrokenPipe).then(|| e.to_string()),
                    )
                })?;
                Ok(none_v())
            }
            Builtin::Len => {
                if args.len() != 1 {
                    return Err(type_err(format!(
                        "len() takes exactly one argument ({} given)",
                        args.len()
                    )));
                }
                Ok(int_v(self.len_of(&args[0])? as i64))
            }
            Builtin::Chr => {
                one_arg("chr", &args)?;
                let i = match args[0].as_obj().and_then(ops::int_value) {
                    Some(i) => i64::try_from(&i).unwrap_or(i64::MAX),
                    None => {
                        return Err(type_err(format!(
                            "'{}' object cannot be interpreted as an integer",
                            args[0].type_name()
                        )));
                    }
                };
                if (0xd800..0xe000).contains(&i) {
                    return Err(Fault::Unsupported(
                        "surrogate code points (chr(0xD800..0xDFFF))".into(),
                    ));
                }
                Ok(obj(PyStr::from_code_point(i)?.into_obj()))
            }
            Builtin::Ord => {
                one_arg("ord", &args)?;
                match as_str(&args[0]) {
                    Some(s) => Ok(int_v(s.ord()? as i64)),
                    None => Err(type_err(format!(
                        "ord() expected string of length 1, but {} found",
                        args[0].type_name()
                    ))),
                }
            }
            Builtin::Hash => {
                one_arg("hash", &args)?;
                match &args[0] {
                    Value::Obj(o) => Ok(int_v(ops::hash(o)? as i64)),
                    Value::View(_) => Err(type_err(format!(
                        "unhashable type: '{}'",
                        args[0].type_name()
                    ))),
                    other => Err(Fault::Unsupported(format!(
                        "hash() of a {} (its hash is its address in CPython)",
                        other.type_name()
                    ))),
                }
            }
            Builtin::Id => {
                one_arg("id", &args)?;
                let id = match &args[0] {
                    Value::Obj(o) => o.id(),
                    Value::Func(f) => Rc::as_ptr(f) as usize,
                    other => other as *const Value as usize,
                };
                Ok(obj(ops::int_obj(BigInt::from(id))))
            }
            Builtin::Repr => {
                one_arg("repr", &args)?;
                let s = self.repr_value(&args[0])?;
                Ok(obj(PyStr::new_uncached(&s).into_obj()))
            }
            Builtin::Sorted => {
                if args.len() != 1 {
                    return Err(type_err(format!(
                        "sorted expected 1 argument, got {}",
                        args.len()
                    )));
                }
                let reverse = sort_kwargs(&kw)?;
                let l = self.sequence_list(args.into_iter().next().expect("one"))?;
                self.charge(l.len() * 4)?;
                l.sort(reverse)?;
                Ok(obj(l.into_obj()))
            }
            Builtin::Min | Builtin::Max => self.min_max(b == Builtin::Max, args, kw),
            Builtin::Sum => {
                arg_range("sum", &args, 1, 2)?;
                let mut it = args.into_iter();
                let src = it.next().expect("one");
                let mut start = match it.next() {
                    Some(s) => s,
                    None => match kw.iter().find(|(k, _)| &**k == "start") {
                        Some((_, v)) => v.clone(),
                        None => int_v(0),
                    },
                };
                if as_str(&start).is_some() {
                    return Err(type_err(
                        "sum() can't sum strings [use ''.join(seq) instead]",
                    ));
                }
                let (items, _, _) = self.collect(src)?;
                for x in items {
                    let acc = start.into_obj()?;
                    start = obj(ops::binary_op(
                        super::ast::BinOp::Add,
                        &acc,
                        &x,
                        self.mem_budget(),
                    )?);
                }
                Ok(start)
            }
            Builtin::Isinstance => {
                if args.len() != 2 {
                    return Err(type_err(format!(
                        "isinstance expected 2 arguments, got {}",
                        args.len()
                    )));
                }
                let tag = args[0].type_tag();
                let check = |t: &Value| -> R<bool> {
                    match t {
                        Value::Type(tt) => Ok(tag.is_subtype(*tt)),
                        Value::Types(ts) => Ok(ts.iter().any(|tt| tag.is_subtype(*tt))),
                        _ => Err(type_err(
                            "isinstance() arg 2 must be a type, a tuple of types, or a union",
                        )),
                    }
                };
                Ok(bool_v(check(&args[1])?))
            }
            Builtin::Abs => {
                one_arg("abs", &args)?;
                match args[0].as_obj().and_then(ops::as_num) {
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
            Builtin::Enumerate => {
                let mut start = 0;
                for (k, v) in &kw {
                    if &**k == "start" {
                        start = as_index(v)? as i64;
                    } else {
                        return Err(type_err(format!(
                            "'{k}' is an invalid keyword argument for enumerate()"
                        )));
                    }
                }
                arg_range("enumerate", &args, 1, 2)?;
                if args.len() == 2 {
                    start = as_index(&args[1])? as i64;
                }
                // enum_new: the object, its iterator of the argument, then
                // `en_result = PyTuple_Pack(2, None, None)`.
                let mut counted = GcCounted::new(Iter::Range(0, 0, 0));
                let inner = self.iter_of(args.into_iter().next().expect("one"))?;
                let inner_gc = inner.count();
                let result = none_tuple(2);
                counted.value = Iter::Enumerate(Box::new(inner), inner_gc, start, result);
                Ok(Value::Iter(Rc::new(RefCell::new(counted))))
            }
            Builtin::Zip => {
                let its_args = args;
                // type_call packs the arguments; zip_new makes `ittuple`, an iterator per
                // argument, the result tuple filled with None, then the object.
                let n = its_args.len();
                let call_args = none_tuple(n);
                let ittuple = none_tuple(n);
                let mut its = Vec::new();
                let mut gcs = Vec::new();
                for a in its_args {
                    let it = self.iter_of(a)?;
                    gcs.extend(it.count());
                    its.push(it);
                }
                let result = none_tuple(n);
                let counted = GcCounted::new(Iter::Zip(its, ittuple, gcs, result));
                drop(call_args);
                Ok(Value::Iter(Rc::new(RefCell::new(counted))))
            }
            Builtin::Reversed => {
                one_arg("reversed", &args)?;
                match &args[0] {
                    Value::Obj(o) if o.is_type(&crate::types::list::LIST_TYPE) => {
                        let n = seq_len(o);
                        Ok(Value::Iter(Rc::new(RefCell::new(GcCounted::new(
                            Iter::Reversed(o.clone(), n.checked_sub(1)),
                        )))))
                    }
                    Value::Obj(o)
                        if o.is_type(&crate::types::tuple::TUPLE_TYPE)
                            || o.is_type(&crate::types::str::STR_TYPE) =>
                    {
                        Err(Fault::Unsupported(format!(
                            "reversed() of a {} (only lists)",
                            o.type_name()
                        )))
                    }
                    other => Err(type_err(format!(
                        "'{}' object is not reversible",
                        other.type_name()
                    ))),
                }
            }
            Builtin::Iter => {
                one_arg("iter", &args)?;
                let v = args.into_iter().next().expect("one");
                if let Value::Iter(_) = v {
                    return Ok(v);
                }
                let it = self.make_iter(v)?;
                let counted = if it.is_gc() {
                    GcCounted::new(it)
                } else {
                    GcCounted::uncounted(it)
                };
                Ok(Value::Iter(Rc::new(RefCell::new(counted))))
            }
            Builtin::Next => {
                arg_range("next", &args, 1, 2)?;
                let Value::Iter(it) = &args[0] else {
                    return Err(type_err(format!(
                        "'{}' object is not an iterator",
                        args[0].type_name()
                    )));
                };
                let r = next_of(&mut it.borrow_mut().value)?;
                match r {
                    Some(x) => Ok(obj(x)),
                    None => match args.get(1) {
                        Some(d) => Ok(d.clone()),
                        None => Err(exc(ExcKind::StopIteration, "")),
                    },
                }
            }
            Builtin::Divmod => {
                if args.len() != 2 {
                    return Err(type_err(format!(
                        "divmod expected 2 arguments, got {}",
                        args.len()
                    )));
                }
                let (a, b) = (arg_obj(&args[0])?, arg_obj(&args[1])?);
                match (ops::as_num(&a), ops::as_num(&b)) {
                    (Some(ops::Num::Int(_)), Some(ops::Num::Int(y))) => {
                        if y.sign() == Sign::NoSign {
                            return Err(exc(
                                ExcKind::ZeroDivisionError,
                                "integer division or modulo by zero",
                            ));
                        }
                        let q = ops::binary_op(super::ast::BinOp::FloorDiv, &a, &b, usize::MAX)?;
                        let r = ops::binary_op(super::ast::BinOp::Mod, &a, &b, usize::MAX)?;
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
            Builtin::Round => {
                arg_range("round", &args, 1, 2)?;
                let x = arg_obj(&args[0])?;
                let nd = match args.get(1) {
                    Some(v) if v.as_obj().is_some_and(none::is_none) => None,
                    Some(v) => Some(as_index(v)?),
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
                        let p = BigInt::from(10).pow((-n) as u32);
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
                        if f.is_nan() {
                            return Err(exc(
                                ExcKind::ValueError,
                                "cannot convert float NaN to integer",
                            ));
                        }
                        if f.is_infinite() {
                            return Err(exc(
                                ExcKind::OverflowError,
                                "cannot convert float infinity to integer",
                            ));
                        }
                        let r = f.round_ties_even();
                        Ok(obj(ops::int_obj(float_to_bigint(r))))
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
            Builtin::Any | Builtin::All => {
                one_arg(name, &args)?;
                let want = b == Builtin::Any;
                let mut it = self.get_iter(args.into_iter().next().expect("one"))?;
                while let Some(x) = self.iter_next(&mut it)? {
                    self.step()?;
                    if ops::truthy(&x)? == want {
                        return Ok(bool_v(want));
                    }
                }
                Ok(bool_v(!want))
            }
            Builtin::SysGetsizeof => {
                arg_range("getsizeof", &args, 1, 2)?;
                Ok(int_v(match &args[0] {
                    Value::Obj(o) => o.getsizeof() as i64,
                    Value::Range(..) => 48,
                    Value::View(_) => 40,
                    other => {
                        return Err(Fault::Unsupported(format!(
                            "sys.getsizeof of a {} (not built in pylayout's memory)",
                            other.type_name()
                        )));
                    }
                }))
            }
            Builtin::SysGetrefcount => {
                one_arg("getrefcount", &args)?;
                match &args[0] {
                    Value::Obj(o) => Ok(int_v(o.refcnt() as i64)),
                    other => Err(Fault::Unsupported(format!(
                        "sys.getrefcount of a {} (not built in pylayout's memory)",
                        other.type_name()
                    ))),
                }
            }
            Builtin::SysIntern => {
                one_arg("intern", &args)?;
                match as_str(&args[0]) {
                    Some(s) => Ok(obj(s.intern().into_obj())),
                    None => Err(type_err(format!(
                        "intern() argument must be str, not {}",
                        args[0].type_name()
                    ))),
                }
            }
            Builtin::GcCollect => {
                let mut gen_arg = args.first().cloned();
                for (k, v) in &kw {
                    if &**k == "generation" {
                        gen_arg = Some(v.clone());
                    } else {
                        return Err(type_err(format!(
                            "collect() got an unexpected keyword argument '{k}'"
                        )));
                    }
                }
                arg_range("collect", &args, 0, 1)?;
                let generation = match gen_arg {
                    Some(v) => as_index(&v)?,
                    None => 2,
                };
                if !(0..=2).contains(&generation) {
                    return Err(exc(ExcKind::ValueError, "invalid generation"));
                }
                Ok(int_v(crate::gc::collect(generation as usize) as i64))
            }
            Builtin::GcGetCount => {
                no_args("get_count", &args)?;
                let c = crate::gc::get_count();
                Ok(obj(PyTuple::new(
                    c.iter().map(|v| ops::small_int(*v as i64)).collect(),
                )
                .into_obj()))
            }
            Builtin::GcGetThreshold => {
                no_args("get_threshold", &args)?;
                let c = crate::gc::get_threshold();
                Ok(obj(PyTuple::new(
                    c.iter().map(|v| ops::small_int(*v as i64)).collect(),
                )
                .into_obj()))
            }
            Builtin::GcSetThreshold => {
                if args.is_empty() || args.len() > 3 {
                    return Err(type_err(format!(
                        "set_threshold() takes at least 1 argument ({} given)",
                        args.len()
                    )));
                }
                let mut t = Vec::new();
                for a in &args {
                    let v = as_index(a)?;
                    t.push(i32::try_from(v).map_err(|_| {
                        exc(
                            ExcKind::OverflowError,
                            "signed integer is greater than maximum",
                        )
                    })? as isize);
                }
                crate::gc::set_threshold(&t);
                Ok(none_v())
            }
            Builtin::GcEnable => {
                no_args("enable", &args)?;
                crate::gc::enable();
                Ok(none_v())
            }
            Builtin::GcDisable => {
                no_args("disable", &args)?;
                crate::gc::disable();
                Ok(none_v())
            }
            Builtin::GcIsenabled => {
                no_args("isenabled", &args)?;
                Ok(bool_v(crate::gc::isenabled()))
            }
            Builtin::GcIsTracked => {
                one_arg("is_tracked", &args)?;
                Ok(bool_v(match &args[0] {
                    Value::Obj(o) => crate::gc::is_tracked(o),
                    Value::Range(..) | Value::Type(_) | Value::Module(_) | Value::Builtin(_) => {
                        matches!(
                            args[0],
                            Value::Type(_) | Value::Module(_) | Value::Builtin(_)
                        )
                    }
                    _ => true,
                }))
            }
            Builtin::GcGetStats => {
                no_args("get_stats", &args)?;
                // The result list first, as gc_get_stats_impl does: its allocation may run a
                // collection, which the statistics then include.
                let l = PyList::new();
                let stats = crate::gc::get_stats();
                for s in stats {
                    let d = PyDict::new();
                    d.set_item(
                        PyStr::new("collections").into_obj(),
                        ops::small_int(s.collections as i64),
                    )?;
                    d.set_item(
                        PyStr::new("collected").into_obj(),
                        ops::small_int(s.collected as i64),
                    )?;
                    d.set_item(
                        PyStr::new("uncollectable").into_obj(),
                        ops::small_int(s.uncollectable as i64),
                    )?;
                    l.append(d.into_obj());
                }
                Ok(obj(l.into_obj()))
            }
        }
    }

    fn iter_of(&mut self, v: Value) -> R<Iter> {
        match v {
            Value::Iter(shared) => {
                // Share the underlying state: take a snapshot is wrong; wrap by moving the
                // iterator's state out is not possible while shared, so refuse nesting.
                let _ = shared;
                Err(Fault::Unsupported(
                    "an iterator object inside enumerate()/zip()".into(),
                ))
            }
            other => self.make_iter(other),
        }
    }

    fn min_max(&mut self, max: bool, args: Args, kw: Kwargs) -> R<Value> {
        let name = if max { "max" } else { "min" };
        if let Some((k, _)) = kw.first() {
            return Err(Fault::Unsupported(format!("{name}({k}=...)")));
        }
        if args.is_empty() {
            return Err(type_err(format!(
                "{name} expected at least 1 argument, got 0"
            )));
        }
        let items: Vec<Obj> = if args.len() == 1 {
            self.collect(args.into_iter().next().expect("one"))?.0
        } else {
            args.into_iter().map(|a| a.into_obj()).collect::<R<_>>()?
        };
        let mut best: Option<Obj> = None;
        for x in items {
            best = Some(match best {
                None => x,
                Some(b) => {
                    let better = if max {
                        ops::less(&b, &x)?
                    } else {
                        ops::less(&x, &b)?
                    };
                    if better { x } else { b }
                }
            });
        }
        best.map(Value::Obj).ok_or_else(|| {
            exc(
                ExcKind::ValueError,
                format!("{name}() arg is an empty sequence"),
            )
        })
    }

    pub(crate) fn len_of(&mut self, v: &Value) -> R<usize> {
        match v {
            Value::Obj(o) => {
                if let Ok(s) = PyStr::from_obj(o.clone()) {
                    return Ok(s.len());
                }
                if let Ok(d) = PyDict::from_obj(o.clone()) {
                    return Ok(d.len());
                }
                if o.is_type(&crate::types::list::LIST_TYPE)
                    || o.is_type(&crate::types::tuple::TUPLE_TYPE)
                {
                    return Ok(seq_len(o));
                }
                Err(type_err(format!(
                    "object of type '{}' has no len()",
                    o.type_name()
                )))
            }
            Value::Range(a, b, s) => Ok(range_len(*a, *b, *s) as usize),
            Value::View(vw) => Ok(PyDict::from_obj(vw.value.0.clone()).expect("dict").len()),
            other => Err(type_err(format!(
                "object of type '{}' has no len()",
                other.type_name()
            ))),
        }
    }

    // ---- constructors ----

    fn construct(&mut self, t: TypeTag, args: Args, kw: Kwargs) -> R<Value> {
        if t != TypeTag::Dict {
            no_kwargs(t.name(), &kw)?;
        }
        // int() and str() have no vectorcall in 3.11: type_call passes an argument tuple —
        // except `str(x)` in quickened code, where PRECALL_NO_KW_STR_1 calls PyObject_Str.
        let specialized = t == TypeTag::Str && args.len() == 1 && self.caller_quickened;
        let _varargs = match t {
            TypeTag::Int | TypeTag::Str if !specialized => varargs_tuple(&args),
            _ => None,
        };
        match t {
            TypeTag::Type => {
                if args.len() != 1 {
                    return Err(Fault::Unsupported("type() with 3 arguments".into()));
                }
                Ok(Value::Type(args[0].type_tag()))
            }
            TypeTag::Int => {
                arg_range("int", &args, 0, 2)?;
                let Some(a) = args.first() else {
                    return Ok(int_v(0));
                };
                if args.len() == 2 {
                    let base = as_index(&args[1])?;
                    let Some(s) = as_str(a) else {
                        return Err(type_err(
                            "int() can't convert non-string with explicit base",
                        ));
                    };
                    return Ok(obj(parse_int(&s.to_string(), base as u32)?));
                }
                let o = arg_obj(a)?;
                if let Ok(i) = PyInt::from_obj(o.clone()) {
                    return Ok(obj(if i.is_bool() {
                        ops::int_obj(i.value())
                    } else {
                        o
                    }));
                }
                if let Ok(f) = PyFloat::from_obj(o.clone()) {
                    let v = f.value();
                    if v.is_nan() {
                        return Err(exc(
                            ExcKind::ValueError,
                            "cannot convert float NaN to integer",
                        ));
                    }
                    if v.is_infinite() {
                        return Err(exc(
                            ExcKind::OverflowError,
                            "cannot convert float infinity to integer",
                        ));
                    }
                    return Ok(obj(ops::int_obj(float_to_bigint(v.trunc()))));
                }
                if let Ok(s) = PyStr::from_obj(o.clone()) {
                    return Ok(obj(parse_int(&s.to_string(), 10)?));
                }
                Err(type_err(format!(
                    "int() argument must be a string, a bytes-like object or a real number, not '{}'",
                    o.type_name()
                )))
            }
            TypeTag::Float => {
                arg_range("float", &args, 0, 1)?;
                let Some(a) = args.first() else {
                    return Ok(obj(ops::float_obj(0.0)));
                };
                let o = arg_obj(a)?;
                if o.is_type(&crate::types::float::FLOAT_TYPE) {
                    return Ok(obj(o));
                }
                if let Some(i) = ops::int_value(&o) {
                    return Ok(obj(ops::float_obj(ops::int_to_f64(&i)?)));
                }
                if let Ok(s) = PyStr::from_obj(o.clone()) {
                    return Ok(obj(ops::float_obj(parse_float(&s.to_string())?)));
                }
                Err(type_err(format!(
                    "float() argument must be a string or a real number, not '{}'",
                    o.type_name()
                )))
            }
            TypeTag::Bool => {
                arg_range("bool", &args, 0, 1)?;
                match args.first() {
                    Some(v) => {
                        let t = self.truthy(v)?;
                        Ok(bool_v(t))
                    }
                    None => Ok(bool_v(false)),
                }
            }
            TypeTag::Str => {
                arg_range("str", &args, 0, 1)?;
                let Some(a) = args.first() else {
                    return Ok(str_v(""));
                };
                Ok(obj(self.str_object(a)?))
            }
            TypeTag::List => {
                arg_range("list", &args, 0, 1)?;
                let Some(a) = args.into_iter().next() else {
                    return Ok(obj(PyList::new_from_type().into_obj()));
                };
                if !self.is_iterable(&a) {
                    return Err(type_err(format!(
                        "'{}' object is not iterable",
                        a.type_name()
                    )));
                }
                let (items, hint, sized) = self.collect(a)?;
                Ok(obj(if sized {
                    PyList::from_exact(items).into_obj()
                } else {
                    PyList::from_iter_hint(items, hint).into_obj()
                }))
            }
            TypeTag::Tuple => {
                arg_range("tuple", &args, 0, 1)?;
                let Some(a) = args.into_iter().next() else {
                    return Ok(obj(PyTuple::empty().into_obj()));
                };
                if let Value::Obj(o) = &a
                    && o.is_type(&crate::types::tuple::TUPLE_TYPE)
                {
                    return Ok(a);
                }
                if !self.is_iterable(&a) {
                    return Err(type_err(format!(
                        "'{}' object is not iterable",
                        a.type_name()
                    )));
                }
                let (items, _, _) = self.collect(a)?;
                Ok(obj(PyTuple::new(items).into_obj()))
            }
            TypeTag::Dict => {
                arg_range("dict", &args, 0, 1)?;
                let d = match args.into_iter().next() {
                    None => PyDict::new_from_type(),
                    Some(Value::Obj(o)) if PyDict::from_obj(o.clone()).is_ok() => {
                        PyDict::from_dict(&PyDict::from_obj(o).expect("dict"))?
                    }
                    Some(a) => {
                        let d = PyDict::new_from_type();
                        self.update_from_pairs(&d, a)?;
                        d
                    }
                };
                for (k, v) in kw {
                    d.set_item(PyStr::new(&k).into_obj(), v.into_obj()?)?;
                }
                Ok(obj(d.into_obj()))
            }
            TypeTag::Range => {
                arg_range("range", &args, 1, 3)?;
                let mut v = Vec::new();
                for a in &args {
                    let o = arg_obj(a)?;
                    let Some(i) = ops::int_value(&o) else {
                        return Err(type_err(format!(
                            "'{}' object cannot be interpreted as an integer",
                            o.type_name()
                        )));
                    };
                    v.push(
                        i64::try_from(&i).map_err(|_| {
                            Fault::Unsupported("range() bounds beyond 64 bits".into())
                        })?,
                    );
                }
                let (a, b, s) = match v.len() {
                    1 => (0, v[0], 1),
                    2 => (v[0], v[1], 1),
                    _ => (v[0], v[1], v[2]),
                };
                if s == 0 {
                    return Err(exc(ExcKind::ValueError, "range() arg 3 must not be zero"));
                }
                Ok(Value::Range(a, b, s))
            }
            other => Err(Fault::Unsupported(format!("calling {}()", other.name()))),
        }
    }

    /// `str(v)` as an object (`PyObject_Str`).
    pub(crate) fn str_object(&mut self, v: &Value) -> R<Obj> {
        if let Value::Obj(o) = v {
            if o.is_type(&crate::types::str::STR_TYPE) {
                return Ok(o.clone());
            }
            if let Ok(i) = PyInt::from_obj(o.clone())
                && !i.is_bool()
            {
                return Ok(int_to_str(&i)?.into_obj());
            }
        }
        let s = self.str_value(v)?;
        Ok(PyStr::new(&s).into_obj())
    }

    fn update_from_pairs(&mut self, d: &PyDict, src: Value) -> R<()> {
        if !self.is_iterable(&src) {
            return Err(type_err(format!(
                "'{}' object is not iterable",
                src.type_name()
            )));
        }
        // PyDict_MergeFromSeq2: one item at a time, each released before the next (so an
        // iterator's recycled result tuple is free again), a str item made a list
        // (`PySequence_Fast`).
        let mut it = self.get_iter(src)?;
        let mut n = 0;
        while let Some(it) = self.iter_next(&mut it)? {
            self.charge(1)?;
            let pair: Vec<Obj> = if it.is_type(&crate::types::list::LIST_TYPE)
                || it.is_type(&crate::types::tuple::TUPLE_TYPE)
            {
                seq_items(&it)
            } else if let Ok(s) = PyStr::from_obj(it.clone()) {
                let chars: Vec<Obj> = s
                    .code_points()
                    .iter()
                    .map(|c| PyStr::new(&char::from_u32(*c).expect("char").to_string()).into_obj())
                    .collect();
                drop(PyList::with_items(chars.clone()));
                chars
            } else {
                return Err(type_err(format!(
                    "cannot convert dictionary update sequence element #{n} to a sequence"
                )));
            };
            if pair.len() != 2 {
                return Err(exc(
                    ExcKind::ValueError,
                    format!(
                        "dictionary update sequence element #{n} has length {}; 2 is required",
                        pair.len()
                    ),
                ));
            }
            let mut p = pair.into_iter();
            let (k, v) = (p.next().expect("k"), p.next().expect("v"));
            d.set_item(k, v)?;
            n += 1;
        }
        Ok(())
    }

    // ---- methods ----

    pub(crate) fn call_method(
        &mut self,
        recv: Value,
        name: &str,
        args: Args,
        kw: Kwargs,
    ) -> R<Value> {
        match &recv {
            Value::Module(_) | Value::Type(_)
                if !(matches!(recv, Value::Type(TypeTag::Dict)) && name == "fromkeys") =>
            {
                let f = self.get_attr(recv, name)?;
                return self.call(f, args, kw);
            }
            Value::Type(TypeTag::Dict) => return self.dict_fromkeys(args),
            Value::Obj(_) => {}
            other => {
                let f = self.get_attr(other.clone(), name)?;
                return self.call(f, args, kw);
            }
        }
        let o = recv.as_obj().expect("object").clone();
        let tag = TypeTag::of_obj(&o);
        if !method_exists(tag, name) {
            // Reuse get_attr's message (AttributeError or unsupported).
            self.get_attr(recv, name)?;
            unreachable!("get_attr fails for unknown methods");
        }
        if !(tag == TypeTag::List && name == "sort") {
            no_kwargs(name, &kw)?;
        }
        // METH_VARARGS methods in 3.11: str.find/rfind/index/count/startswith/endswith,
        // dict.update.
        let _varargs = match (tag, name) {
            (TypeTag::Str, "find" | "rfind" | "index" | "count" | "startswith" | "endswith")
            | (TypeTag::Dict, "update") => varargs_tuple(&args),
            _ => None,
        };
        match tag {
            TypeTag::List => self.list_method(PyList::from_obj(o).expect("list"), name, args, kw),
            TypeTag::Tuple => {
                let t = PyTuple::from_obj(o).expect("tuple");
                match name {
                    "index" => {
                        arg_range("index", &args, 1, 3)?;
                        self.charge(t.len())?;
                        let x = arg_obj(&args[0])?;
                        Ok(int_v(t.index(&x)? as i64))
                    }
                    _ => {
                        one_arg("count", &args)?;
                        self.charge(t.len())?;
                        Ok(int_v(t.count(&arg_obj(&args[0])?)? as i64))
                    }
                }
            }
            TypeTag::Dict => self.dict_method(PyDict::from_obj(o).expect("dict"), name, args, kw),
            TypeTag::Str => self.str_method(PyStr::from_obj(o).expect("str"), name, args),
            _ => unreachable!("method_exists covers only these types"),
        }
    }

    fn list_method(&mut self, l: PyList, name: &str, args: Args, kw: Kwargs) -> R<Value> {
        match name {
            "append" => {
                one_arg("append", &args)?;
                l.append(arg_obj(&args[0])?);
                Ok(none_v())
            }
            "insert" => {
                arg_range("insert", &args, 2, 2)?;
                let i = as_index(&args[0])?;
                self.charge(l.len() / 16)?;
                l.insert(i, arg_obj(&args[1])?);
                Ok(none_v())
            }
            "pop" => {
                arg_range("pop", &args, 0, 1)?;
                let i = match args.first() {
                    Some(v) => as_index(v)?,
                    None => -1,
                };
                Ok(obj(l.pop(i)?))
            }
            "remove" => {
                one_arg("remove", &args)?;
                self.charge(l.len())?;
                l.remove(&arg_obj(&args[0])?)?;
                Ok(none_v())
            }
            "extend" => {
                one_arg("extend", &args)?;
                let v = args.into_iter().next().expect("one");
                if !self.is_iterable(&v) {
                    return Err(type_err(format!(
                        "'{}' object is not iterable",
                        v.type_name()
                    )));
                }
                self.extend_list(&l, v)?;
                Ok(none_v())
            }
            "clear" => {
                no_args("clear", &args)?;
                l.clear();
                Ok(none_v())
            }
            "index" => {
                arg_range("index", &args, 1, 3)?;
                self.charge(l.len())?;
                let x = arg_obj(&args[0])?;
                if args.len() == 1 {
                    return Ok(int_v(l.index(&x)? as i64));
                }
                // list.index(x, start[, stop]): bounds clamped like slice indices.
                let n = l.len() as isize;
                let clamp = |v: isize| if v < 0 { (v + n).max(0) } else { v.min(n) };
                let start = clamp(as_index(&args[1])?);
                let stop = match args.get(2) {
                    Some(v) => clamp(as_index(v)?),
                    None => n,
                };
                let mut i = start;
                while i < stop && (i as usize) < l.len() {
                    let item = l.get(i)?;
                    if item.is(&x) || crate::types::ops::eq(&item, &x)? {
                        return Ok(int_v(i as i64));
                    }
                    i += 1;
                }
                Err(exc(
                    ExcKind::ValueError,
                    format!("{} is not in list", ops::repr(&x)?),
                ))
            }
            "count" => {
                one_arg("count", &args)?;
                self.charge(l.len())?;
                Ok(int_v(l.count(&arg_obj(&args[0])?)? as i64))
            }
            "reverse" => {
                no_args("reverse", &args)?;
                l.reverse();
                Ok(none_v())
            }
            "sort" => {
                if !args.is_empty() {
                    return Err(type_err("sort() takes no positional arguments"));
                }
                let reverse = sort_kwargs(&kw)?;
                self.charge(l.len() * 4)?;
                l.sort(reverse)?;
                Ok(none_v())
            }
            _ => {
                no_args("copy", &args)?;
                self.charge(l.len())?;
                Ok(obj(l.copy().into_obj()))
            }
        }
    }

    fn dict_method(&mut self, d: PyDict, name: &str, args: Args, kw: Kwargs) -> R<Value> {
        let view = |kind| Value::View(Rc::new(GcCounted::new((d.clone().into_obj(), kind))));
        match name {
            "get" => {
                arg_range("get", &args, 1, 2)?;
                let k = arg_obj(&args[0])?;
                Ok(match d.get(&k)? {
                    Some(v) => obj(v),
                    None => args.get(1).cloned().unwrap_or_else(none_v),
                })
            }
            "pop" => {
                arg_range("pop", &args, 1, 2)?;
                let k = arg_obj(&args[0])?;
                if args.len() == 2 && !d.contains(&k)? {
                    return Ok(args[1].clone());
                }
                Ok(obj(d.pop(&k)?))
            }
            "popitem" => {
                no_args("popitem", &args)?;
                let (k, v) = d.popitem()?;
                Ok(obj(PyTuple::new(vec![k, v]).into_obj()))
            }
            "keys" => {
                no_args("keys", &args)?;
                Ok(view(ViewKind::Keys))
            }
            "values" => {
                no_args("values", &args)?;
                Ok(view(ViewKind::Values))
            }
            "items" => {
                no_args("items", &args)?;
                Ok(view(ViewKind::Items))
            }
            "update" => {
                if args.len() > 1 {
                    return Err(type_err(format!(
                        "update expected at most 1 argument, got {}",
                        args.len()
                    )));
                }
                if let Some(a) = args.into_iter().next() {
                    match a {
                        Value::Obj(o) if PyDict::from_obj(o.clone()).is_ok() => {
                            let other = PyDict::from_obj(o).expect("dict");
                            self.charge(other.len())?;
                            d.merge(&other)?;
                        }
                        other => self.update_from_pairs(&d, other)?,
                    }
                }
                for (k, v) in kw {
                    d.set_item(PyStr::new(&k).into_obj(), v.into_obj()?)?;
                }
                Ok(none_v())
            }
            "clear" => {
                no_args("clear", &args)?;
                d.clear();
                Ok(none_v())
            }
            "copy" => {
                no_args("copy", &args)?;
                self.charge(d.len())?;
                Ok(obj(d.copy()?.into_obj()))
            }
            "setdefault" => {
                arg_range("setdefault", &args, 1, 2)?;
                let k = arg_obj(&args[0])?;
                if let Some(v) = d.get(&k)? {
                    return Ok(obj(v));
                }
                let v = match args.get(1) {
                    Some(v) => arg_obj(v)?,
                    None => none::none(),
                };
                d.set_item(k, v.clone())?;
                Ok(obj(v))
            }
            _ => self.dict_fromkeys(args),
        }
    }

    fn dict_fromkeys(&mut self, args: Args) -> R<Value> {
        arg_range("fromkeys", &args, 1, 2)?;
        let value = match args.get(1) {
            Some(v) => arg_obj(v)?,
            None => none::none(),
        };
        let src = args.into_iter().next().expect("one");
        let source = match &src {
            Value::Obj(o) => match PyDict::from_obj(o.clone()) {
                Ok(d) => FromKeysSource::Dict {
                    unicode: d.table().dk_kind != 0,
                },
                Err(_) => FromKeysSource::Iterable,
            },
            _ => FromKeysSource::Iterable,
        };
        if !self.is_iterable(&src) {
            return Err(type_err(format!(
                "'{}' object is not iterable",
                src.type_name()
            )));
        }
        let (keys, _, _) = self.collect(src)?;
        Ok(obj(PyDict::fromkeys(keys, value, source)?.into_obj()))
    }

    fn str_method(&mut self, s: PyStr, name: &str, args: Args) -> R<Value> {
        let text = || s.to_string();
        let str_arg = |i: usize, what: &str| -> R<PyStr> {
            as_str(&args[i]).ok_or_else(|| type_err(format!("{what} arg must be None or str",)))
        };
        self.charge(s.len() / 64)?;
        match name {
            "join" => {
                one_arg("join", &args)?;
                let src = args[0].clone();
                if !self.is_iterable(&src) {
                    return Err(type_err("can only join an iterable"));
                }
                let (items, _, _) = self.collect(src)?;
                let mut parts = Vec::with_capacity(items.len());
                let mut total = 0usize;
                for (i, it) in items.iter().enumerate() {
                    match PyStr::from_obj(it.clone()) {
                        Ok(p) => {
                            total += p.len() * p.kind();
                            parts.push(p)
                        }
                        Err(o) => {
                            return Err(type_err(format!(
                                "sequence item {i}: expected str instance, {} found",
                                o.type_name()
                            )));
                        }
                    }
                }
                self.check_memory((total + s.len() * parts.len() * s.kind()) as u128)?;
                if parts.len() == 1 {
                    return Ok(obj(parts.pop().expect("one").into_obj()));
                }
                Ok(obj(s.join(&parts).into_obj()))
            }
            "upper" => {
                no_args("upper", &args)?;
                Ok(obj(s.upper().into_obj()))
            }
            "lower" => {
                no_args("lower", &args)?;
                Ok(obj(s.lower().into_obj()))
            }
            "split" => {
                arg_range("split", &args, 0, 2)?;
                let sep = match args.first() {
                    Some(v) if v.as_obj().is_some_and(none::is_none) => None,
                    Some(_) => Some(str_arg(0, "split")?.to_string()),
                    None => None,
                };
                let maxsplit = match args.get(1) {
                    Some(v) => as_index(v)?,
                    None => -1,
                };
                let maxcount = if maxsplit < 0 { isize::MAX } else { maxsplit };
                if sep.as_deref() == Some("") {
                    return Err(exc(ExcKind::ValueError, "empty separator"));
                }
                let pieces = split_str(&text(), sep.as_deref(), maxcount as usize);
                let prealloc = if maxcount >= 12 {
                    12
                } else {
                    maxcount as usize + 1
                };
                let whole = pieces.len() == 1 && pieces[0].chars().count() == s.len();
                let items: Vec<Obj> = if whole {
                    vec![s.clone().into_obj()]
                } else {
                    pieces.iter().map(|p| PyStr::new(p).into_obj()).collect()
                };
                Ok(obj(PyList::from_split(items, prealloc).into_obj()))
            }
            "strip" | "lstrip" | "rstrip" => {
                arg_range(name, &args, 0, 1)?;
                let chars: Option<Vec<char>> = match args.first() {
                    Some(v) if v.as_obj().is_some_and(none::is_none) => None,
                    Some(_) => Some(str_arg(0, name)?.to_string().chars().collect()),
                    None => None,
                };
                let cps: Vec<char> = text().chars().collect();
                let strip = |c: &char| match &chars {
                    Some(set) => set.contains(c),
                    None => is_py_space(*c),
                };
                let mut lo = 0;
                let mut hi = cps.len();
                if name != "rstrip" {
                    while lo < hi && strip(&cps[lo]) {
                        lo += 1;
                    }
                }
                if name != "lstrip" {
                    while hi > lo && strip(&cps[hi - 1]) {
                        hi -= 1;
                    }
                }
                Ok(obj(s.slice(lo, hi).into_obj()))
            }
            "replace" => {
                arg_range("replace", &args, 2, 3)?;
                let old = as_str(&args[0]).ok_or_else(|| {
                    type_err(format!(
                        "replace() argument 1 must be str, not {}",
                        args[0].type_name()
                    ))
                })?;
                let new = as_str(&args[1]).ok_or_else(|| {
                    type_err(format!(
                        "replace() argument 2 must be str, not {}",
                        args[1].type_name()
                    ))
                })?;
                let count = match args.get(2) {
                    Some(v) => as_index(v)?,
                    None => -1,
                };
                let (t, o, n) = (text(), old.to_string(), new.to_string());
                let occurrences = if o.is_empty() {
                    t.chars().count() + 1
                } else {
                    t.matches(&o).count()
                };
                let k = if count < 0 {
                    occurrences
                } else {
                    occurrences.min(count as usize)
                };
                if k == 0 || (o == n && !o.is_empty()) {
                    return Ok(obj(s.clone().into_obj()));
                }
                self.check_memory((t.len() + k * n.len()) as u128 * 4)?;
                let r = if o.is_empty() {
                    let mut out = String::new();
                    let mut used = 0;
                    for c in t.chars() {
                        if used < k {
                            out.push_str(&n);
                            used += 1;
                        }
                        out.push(c);
                    }
                    if used < k {
                        out.push_str(&n);
                    }
                    out
                } else {
                    t.replacen(&o, &n, k)
                };
                Ok(obj(PyStr::new(&r).into_obj()))
            }
            "find" | "rfind" | "index" | "count" => {
                arg_range(name, &args, 1, 1)?;
                let sub = as_str(&args[0])
                    .ok_or_else(|| type_err(format!("must be str, not {}", args[0].type_name())))?;
                let (t, u) = (text(), sub.to_string());
                if name == "count" {
                    let c = if u.is_empty() {
                        t.chars().count() + 1
                    } else {
                        t.matches(&u).count()
                    };
                    return Ok(int_v(c as i64));
                }
                let pos = if name == "rfind" {
                    t.rfind(&u)
                } else {
                    t.find(&u)
                };
                match pos {
                    Some(b) => Ok(int_v(t[..b].chars().count() as i64)),
                    None if name == "index" => Err(exc(ExcKind::ValueError, "substring not found")),
                    None => Ok(int_v(-1)),
                }
            }
            "startswith" | "endswith" => {
                arg_range(name, &args, 1, 1)?;
                let t = text();
                let test = |p: &str| {
                    if name == "startswith" {
                        t.starts_with(p)
                    } else {
                        t.ends_with(p)
                    }
                };
                if let Some(p) = as_str(&args[0]) {
                    return Ok(bool_v(test(&p.to_string())));
                }
                if let Some(tup) = args[0]
                    .as_obj()
                    .and_then(|o| PyTuple::from_obj(o.clone()).ok())
                {
                    for it in tup.items() {
                        let Ok(p) = PyStr::from_obj(it.clone()) else {
                            return Err(type_err(format!(
                                "tuple for {name} must only contain str, not {}",
                                it.type_name()
                            )));
                        };
                        if test(&p.to_string()) {
                            return Ok(bool_v(true));
                        }
                    }
                    return Ok(bool_v(false));
                }
                Err(type_err(format!(
                    "{name} first arg must be str or a tuple of str, not {}",
                    args[0].type_name()
                )))
            }
            "isdigit" | "isalpha" | "isspace" | "isupper" | "islower" | "isalnum" => {
                no_args(name, &args)?;
                let t = text();
                let r = match name {
                    "isdigit" => !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()),
                    "isalpha" => !t.is_empty() && t.chars().all(char::is_alphabetic),
                    "isalnum" => !t.is_empty() && t.chars().all(char::is_alphanumeric),
                    "isspace" => !t.is_empty() && t.chars().all(is_py_space),
                    "isupper" => {
                        t.chars().any(char::is_uppercase) && !t.chars().any(char::is_lowercase)
                    }
                    _ => t.chars().any(char::is_lowercase) && !t.chars().any(char::is_uppercase),
                };
                Ok(bool_v(r))
            }
            _ => Err(Fault::Unsupported(format!("str.{name}"))),
        }
    }
}

/// The next item of an iterator state.
pub(crate) fn next_of(it: &mut Iter) -> R<Option<Obj>> {
    match it {
        Iter::Seq(o, i, tag) => {
            let r = match tag {
                TypeTag::List => {
                    let l = PyList::from_obj(o.clone()).expect("list");
                    (*i < l.len()).then(|| l.get(*i as isize).expect("in range"))
                }
                TypeTag::Tuple => {
                    let t = PyTuple::from_obj(o.clone()).expect("tuple");
                    (*i < t.len()).then(|| t.get(*i as isize).expect("in range"))
                }
                _ => {
                    let s = PyStr::from_obj(o.clone()).expect("str");
                    (*i < s.len()).then(|| s.get(*i as isize).expect("in range").into_obj())
                }
            };
            if r.is_some() {
                *i += 1;
            }
            Ok(r)
        }
        Iter::Dict(d, pos, kind, len, result) => {
            if d.len() != *len {
                *len = usize::MAX; // stays broken, as di_used = -1
                return Err(exc(
                    ExcKind::RuntimeError,
                    "dictionary changed size during iteration",
                ));
            }
            while *pos < d.nentries() {
                let at = *pos;
                *pos += 1;
                if let Some((k, v)) = d.entry_at(at) {
                    return Ok(Some(match kind {
                        ViewKind::Keys => k,
                        ViewKind::Values => v,
                        ViewKind::Items => recycled(result.as_ref(), vec![k, v]),
                    }));
                }
            }
            Ok(None)
        }
        Iter::Range(next, step, left) => {
            if *left == 0 {
                return Ok(None);
            }
            let v = *next;
            *left -= 1;
            *next = next.wrapping_add(*step);
            Ok(Some(ops::small_int(v)))
        }
        Iter::Enumerate(inner, _, n, result) => match next_of(inner)? {
            Some(x) => {
                let i = ops::small_int(*n);
                *n += 1;
                Ok(Some(recycled(Some(result), vec![i, x])))
            }
            None => Ok(None),
        },
        Iter::Zip(its, _, _, result) => {
            if its.is_empty() {
                return Ok(None);
            }
            // zip_next: when the result tuple is still held elsewhere, a new one is made
            // before the items are fetched (and freed again if an iterator is exhausted).
            let fresh = (result.as_obj().refcnt() != 1).then(|| none_tuple(its.len()));
            let mut items = Vec::with_capacity(its.len());
            for i in its.iter_mut() {
                match next_of(i)? {
                    Some(x) => items.push(x),
                    None => return Ok(None),
                }
            }
            Ok(Some(recycled(
                Some(fresh.as_ref().unwrap_or(result)),
                items,
            )))
        }
        Iter::Reversed(o, idx) => {
            let l = PyList::from_obj(o.clone()).expect("list");
            match *idx {
                Some(i) if i < l.len() => {
                    let x = l.get(i as isize).expect("in range");
                    *idx = i.checked_sub(1);
                    Ok(Some(x))
                }
                _ => {
                    *idx = None;
                    Ok(None)
                }
            }
        }
    }
}

pub(crate) fn seq_len(o: &Obj) -> usize {
    if let Ok(l) = PyList::from_obj(o.clone()) {
        return l.len();
    }
    if let Ok(t) = PyTuple::from_obj(o.clone()) {
        return t.len();
    }
    PyStr::from_obj(o.clone()).map(|s| s.len()).unwrap_or(0)
}

fn sort_kwargs(kw: &Kwargs) -> R<bool> {
    let mut reverse = false;
    for (k, v) in kw {
        match &**k {
            "reverse" => {
                reverse = match v.as_obj() {
                    Some(o) => ops::truthy(o)?,
                    None => true,
                }
            }
            "key" if v.as_obj().is_some_and(none::is_none) => {}
            "key" => return Err(Fault::Unsupported("sort(key=...)".into())),
            other => {
                return Err(type_err(format!(
                    "'{other}' is an invalid keyword argument for sort()"
                )));
            }
        }
    }
    Ok(reverse)
}

fn bind_kwargs(func: &Function, mut args: Args, kw: Kwargs) -> R<Args> {
    if kw.is_empty() {
        return Ok(args);
    }
    let n = func.def.nparams;
    let names = &func.def.code.locals[..n];
    if args.len() > n {
        return Ok(args); // the arity error follows
    }
    let mut slots: Vec<Option<Value>> = args.drain(..).map(Some).collect();
    slots.resize(n, None);
    for (k, v) in kw {
        match names.iter().position(|p| **p == *k) {
            Some(i) if slots[i].is_some() => {
                return Err(type_err(format!(
                    "{}() got multiple values for argument '{k}'",
                    func.name
                )));
            }
            Some(i) => slots[i] = Some(v),
            None => {
                return Err(type_err(format!(
                    "{}() got an unexpected keyword argument '{k}'",
                    func.name
                )));
            }
        }
    }
    let given = slots.iter().take_while(|s| s.is_some()).count();
    if slots.iter().any(Option::is_none) {
        let missing: Vec<String> = names
            .iter()
            .zip(&slots)
            .filter(|(_, s)| s.is_none())
            .map(|(n, _)| format!("'{n}'"))
            .collect();
        let _ = given;
        let list = match missing.len() {
            1 => missing[0].clone(),
            2 => format!("{} and {}", missing[0], missing[1]),
            _ => format!(
                "{}, and {}",
                missing[..missing.len() - 1].join(", "),
                missing[missing.len() - 1]
            ),
        };
        return Err(type_err(format!(
            "{}() missing {} required positional argument{}: {list}",
            func.name,
            missing.len(),
            if missing.len() == 1 { "" } else { "s" }
        )));
    }
    Ok(slots.into_iter().map(|s| s.expect("filled")).collect())
}

fn method_exists(tag: TypeTag, name: &str) -> bool {
    match tag {
        TypeTag::List => matches!(
            name,
            "append"
                | "insert"
                | "pop"
                | "remove"
                | "extend"
                | "clear"
                | "index"
                | "count"
                | "reverse"
                | "sort"
                | "copy"
        ),
        TypeTag::Tuple => matches!(name, "index" | "count"),
        TypeTag::Dict => matches!(
            name,
            "get"
                | "pop"
                | "popitem"
                | "keys"
                | "values"
                | "items"
                | "update"
                | "clear"
                | "copy"
                | "setdefault"
                | "fromkeys"
        ),
        TypeTag::Str => matches!(
            name,
            "join"
                | "upper"
                | "lower"
                | "split"
                | "strip"
                | "lstrip"
                | "rstrip"
                | "replace"
                | "find"
                | "rfind"
                | "index"
                | "count"
                | "startswith"
                | "endswith"
                | "isdigit"
                | "isalpha"
                | "isspace"
                | "isupper"
                | "islower"
                | "isalnum"
        ),
        _ => false,
    }
}

/// Attributes CPython has that pylayout does not model (refused as unsupported rather than
/// reported as missing).
fn real_attribute(tag: TypeTag, name: &str) -> bool {
    let str_attrs = [
        "capitalize",
        "casefold",
        "center",
        "encode",
        "expandtabs",
        "format",
        "format_map",
        "isascii",
        "isdecimal",
        "isidentifier",
        "isnumeric",
        "isprintable",
        "istitle",
        "ljust",
        "maketrans",
        "partition",
        "removeprefix",
        "removesuffix",
        "rindex",
        "rjust",
        "rpartition",
        "rsplit",
        "splitlines",
        "swapcase",
        "title",
        "translate",
        "zfill",
    ];
    let num_attrs = [
        "as_integer_ratio",
        "bit_count",
        "bit_length",
        "conjugate",
        "denominator",
        "from_bytes",
        "imag",
        "numerator",
        "real",
        "to_bytes",
        "fromhex",
        "hex",
        "is_integer",
    ];
    name.starts_with("__")
        || match tag {
            TypeTag::Str => str_attrs.contains(&name),
            TypeTag::Int | TypeTag::Bool | TypeTag::Float => num_attrs.contains(&name),
            _ => false,
        }
}

fn is_py_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c' | '\x1c' | '\x1d' | '\x1e' | '\x1f' | '\u{85}'
    ) || (c as u32 > 127 && c.is_whitespace())
}

/// `str.split` pieces (CPython's whitespace and separator algorithms).
fn split_str(t: &str, sep: Option<&str>, maxcount: usize) -> Vec<String> {
    match sep {
        None => {
            let cps: Vec<char> = t.chars().collect();
            let mut out = Vec::new();
            let mut i = 0;
            let n = cps.len();
            let mut count = 0;
            loop {
                while i < n && is_py_space(cps[i]) {
                    i += 1;
                }
                if i == n {
                    break;
                }
                if count == maxcount {
                    // The rest, right-stripped.
                    let mut j = n;
                    while j > i && is_py_space(cps[j - 1]) {
                        j -= 1;
                    }
                    out.push(cps[i..j].iter().collect());
                    break;
                }
                let start = i;
                while i < n && !is_py_space(cps[i]) {
                    i += 1;
                }
                out.push(cps[start..i].iter().collect());
                count += 1;
            }
            out
        }
        Some(sep) => {
            let mut out = Vec::new();
            let mut rest = t;
            let mut count = 0;
            while count < maxcount {
                match rest.find(sep) {
                    Some(p) => {
                        out.push(rest[..p].to_string());
                        rest = &rest[p + sep.len()..];
                        count += 1;
                    }
                    None => break,
                }
            }
            out.push(rest.to_string());
            out
        }
    }
}

fn float_to_bigint(f: f64) -> BigInt {
    if f.abs() < 9.0e15 {
        return BigInt::from(f as i64);
    }
    let bits = f.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64 - 1075;
    let mant = BigInt::from((bits & ((1 << 52) - 1)) | (1 << 52));
    let v = if exp >= 0 {
        mant << exp as u64
    } else {
        mant >> (-exp) as u64
    };
    if f < 0.0 { -v } else { v }
}

/// `str(i)` with 3.11's limit on digits (CVE-2020-10735).
pub(crate) fn int_to_str(i: &PyInt) -> R<PyStr> {
    let v = i.value();
    let bits = v.bits();
    // log10(2) ~ 0.30103: more than 14300 bits means more than 4300 digits.
    if bits > 14_300 {
        return Err(int_digits_error());
    }
    let s = PyStr::from_int(i);
    let digits = s.len() - usize::from(v.sign() == Sign::Minus);
    if digits > INT_MAX_STR_DIGITS {
        return Err(int_digits_error());
    }
    Ok(s)
}

fn int_digits_error() -> Fault {
    exc(
        ExcKind::ValueError,
        format!(
            "Exceeds the limit ({INT_MAX_STR_DIGITS} digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit"
        ),
    )
}

/// `int(s, base)`.
fn parse_int(s: &str, base: u32) -> R<Obj> {
    let bad = || {
        exc(
            ExcKind::ValueError,
            format!(
                "invalid literal for int() with base {base}: {}",
                crate::types::str::repr(s)
            ),
        )
    };
    if base != 0 && !(2..=36).contains(&base) {
        return Err(exc(
            ExcKind::ValueError,
            "int() base must be >= 2 and <= 36, or 0",
        ));
    }
    let t = s.trim_matches(is_py_space);
    let (neg, body) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (mut radix, mut digits) = (if base == 0 { 10 } else { base }, body);
    let lower = body.to_ascii_lowercase();
    for (p, r) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if lower.starts_with(p) && (base == r || base == 0) {
            radix = r;
            digits = &body[2..];
            digits = digits.strip_prefix('_').unwrap_or(digits);
        }
    }
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return Err(bad());
    }
    let clean: String = digits.chars().filter(|c| *c != '_').collect();
    if !clean.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(bad());
    }
    if radix == 10 && clean.len() > INT_MAX_STR_DIGITS {
        return Err(exc(
            ExcKind::ValueError,
            format!(
                "Exceeds the limit ({INT_MAX_STR_DIGITS} digits) for integer string conversion: value has {} digits; use sys.set_int_max_str_digits() to increase the limit",
                clean.len()
            ),
        ));
    }
    let v = BigInt::parse_bytes(clean.as_bytes(), radix).ok_or_else(bad)?;
    Ok(ops::int_obj(if neg { -v } else { v }))
}

/// `float(s)`.
fn parse_float(s: &str) -> R<f64> {
    let t = s.trim_matches(is_py_space);
    let bad = || {
        exc(
            ExcKind::ValueError,
            format!(
                "could not convert string to float: {}",
                crate::types::str::repr(s)
            ),
        )
    };
    let lower = t.to_ascii_lowercase();
    let (neg, body) = match lower.strip_prefix('-') {
        Some(r) => (true, r.to_string()),
        None => (false, lower.strip_prefix('+').unwrap_or(&lower).to_string()),
    };
    let v = match body.as_str() {
        "inf" | "infinity" => f64::INFINITY,
        "nan" => f64::NAN,
        _ => {
            if body.is_empty()
                || body.starts_with('_')
                || body.ends_with('_')
                || body.contains("__")
                || !body
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | '+' | '-' | '_'))
            {
                return Err(bad());
            }
            let clean: String = body.chars().filter(|c| *c != '_').collect();
            clean.parse::<f64>().map_err(|_| bad())?
        }
    };
    Ok(if neg { -v } else { v })
}

#[allow(dead_code)]
fn identical(a: &Value, b: &Value) -> bool {
    values_identical(a, b)
}
