//! Builtin functions, type constructors, methods, subscripts and iteration, each building its
//! result the way CPython 3.11 does (which allocation path, which capacity, which singleton).

use std::cell::RefCell;
use std::rc::Rc;

use num_bigint::{BigInt, Sign};

use super::eval::{Index, Interp, LoopIter, R, range_len, seq_items, values_identical};
use super::numparse::{INT_MAX_STR_DIGITS, parse_float, parse_int};
use super::ops::{self, Fault, exc, type_err};
use super::suggest;
use super::value::*;
use crate::error::{ExcKind, PyErr};
use crate::object::Obj;
use crate::types::dict::{FromKeysSource, PyDict};
use crate::types::float::PyFloat;
use crate::types::int::PyInt;
use crate::types::list::PyList;
use crate::types::none;
use crate::types::str::{PyStr, StrPredicate};
use crate::types::tuple::PyTuple;

type Args = Vec<Value>;
type Kwargs = Vec<(Rc<str>, Value)>;

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

/// An `AttributeError` carrying its name and object, as `PyObject_GetAttr` leaves it: the
/// printer suggests the closest of `dir`.
fn attribute_error(msg: String, dir: &[&str], name: &str) -> Fault {
    let s = suggest::for_attribute_error(dir, name);
    Fault::Py(PyErr::new(ExcKind::AttributeError, msg).with_suggestion(s))
}

fn str_v(s: &str) -> Value {
    Value::Obj(PyStr::new(s).into_obj())
}

/// `_PyArg_NoKwnames` / `cfunction_check_kwargs`: `func` is what `_PyObject_FunctionStr`
/// gives (`len`, `list.append`, `gc.disable`).
fn no_kwargs(func: &str, kw: &Kwargs) -> R<()> {
    if !kw.is_empty() {
        return Err(type_err(format!("{func}() takes no keyword arguments")));
    }
    Ok(())
}

/// `METH_O`: exactly one argument.
fn one_arg(func: &str, args: &Args) -> R<()> {
    if args.len() != 1 {
        return Err(type_err(format!(
            "{func}() takes exactly one argument ({} given)",
            args.len()
        )));
    }
    Ok(())
}

/// `METH_NOARGS`.
fn no_args(func: &str, args: &Args) -> R<()> {
    if !args.is_empty() {
        return Err(type_err(format!(
            "{func}() takes no arguments ({} given)",
            args.len()
        )));
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `PyArg_ParseTuple`'s count check (`"O|OO:find"`): `find() takes at least 1 argument (0
/// given)`.
fn tuple_arg_range(name: &str, args: &Args, min: usize, max: usize) -> R<()> {
    let n = args.len();
    if n < min || n > max {
        let (how, k) = if min == max {
            ("exactly", min)
        } else if n < min {
            ("at least", min)
        } else {
            ("at most", max)
        };
        return Err(type_err(format!(
            "{name}() takes {how} {k} argument{} ({n} given)",
            plural(k)
        )));
    }
    Ok(())
}

/// `_PyArg_UnpackKeywords` (and `PyArg_ParseTupleAndKeywords`): bind `args` and `kw` to the
/// parameters of `fname`; the first `posonly` are positional-only (`names` lists the others),
/// `minpos..=maxpos` positional arguments are accepted and the first `minpos` are required.
/// Returns one slot per parameter, with CPython's messages for every misfit.
fn unpack_keywords(
    fname: &str,
    mut args: Args,
    kw: Kwargs,
    posonly: usize,
    names: &[&str],
    minpos: usize,
    maxpos: usize,
) -> R<Vec<Option<Value>>> {
    let (nargs, nkw) = (args.len(), kw.len());
    let maxargs = posonly + names.len();
    if nargs + nkw > maxargs {
        return Err(type_err(format!(
            "{fname}() takes at most {maxargs} {}argument{} ({} given)",
            if nargs == 0 { "keyword " } else { "" },
            plural(maxargs),
            nargs + nkw
        )));
    }
    if nargs > maxpos {
        return Err(type_err(if maxpos == 0 {
            format!("{fname}() takes no positional arguments")
        } else {
            format!(
                "{fname}() takes {} {maxpos} positional argument{} ({nargs} given)",
                if minpos < maxpos {
                    "at most"
                } else {
                    "exactly"
                },
                plural(maxpos)
            )
        }));
    }
    let minposonly = posonly.min(minpos);
    if nargs < minposonly {
        return Err(type_err(format!(
            "{fname}() takes {} {minposonly} positional argument{} ({nargs} given)",
            if minposonly < maxpos {
                "at least"
            } else {
                "exactly"
            },
            plural(minposonly)
        )));
    }
    let mut slots: Vec<Option<Value>> = args.drain(..).map(Some).collect();
    slots.resize(maxargs, None);
    let mut left = nkw;
    for i in nargs.max(posonly)..maxargs {
        let name = names[i - posonly];
        let found = kw
            .iter()
            .find(|(k, _)| &**k == name)
            .map(|(_, v)| v.clone());
        if found.is_some() {
            left -= 1;
        } else if i < minpos {
            return Err(type_err(format!(
                "{fname}() missing required argument '{name}' (pos {})",
                i + 1
            )));
        }
        slots[i] = found;
    }
    if left > 0 {
        for i in posonly..nargs {
            let name = names[i - posonly];
            if kw.iter().any(|(k, _)| &**k == name) {
                return Err(type_err(format!(
                    "argument for {fname}() given by name ('{name}') and position ({})",
                    i + 1
                )));
            }
        }
        if let Some((k, _)) = kw.iter().find(|(k, _)| !names.contains(&&**k)) {
            return Err(type_err(format!(
                "'{k}' is an invalid keyword argument for {fname}()"
            )));
        }
    }
    Ok(slots)
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

/// `_PyLong_AsInt` for an `int` argument of a C function.
fn as_c_int(v: &Value) -> R<i32> {
    let Some(i) = v.as_obj().and_then(ops::int_value) else {
        return Err(type_err(format!(
            "'{}' object cannot be interpreted as an integer",
            v.type_name()
        )));
    };
    i32::try_from(&i).map_err(|_| {
        exc(
            ExcKind::OverflowError,
            "Python int too large to convert to C int",
        )
    })
}

/// `_PyEval_SliceIndex` (`none_ok`) or `_PyEval_SliceIndexNotNone`: an int clamped to the
/// ssize_t range; `None` where None is allowed and given.
fn slice_index(v: &Value, none_ok: bool) -> R<Option<isize>> {
    if none_ok && v.as_obj().is_some_and(none::is_none) {
        return Ok(None);
    }
    let Some(i) = v.as_obj().and_then(ops::int_value) else {
        return Err(type_err(if none_ok {
            "slice indices must be integers or None or have an __index__ method"
        } else {
            "slice indices must be integers or have an __index__ method"
        }));
    };
    Ok(Some(isize::try_from(&i).unwrap_or(
        if i.sign() == Sign::Minus {
            isize::MIN
        } else {
            isize::MAX
        },
    )))
}

/// `ADJUST_INDICES`: `end` clamped to `0..=len`, a negative `start` counted from the end
/// (a `start` past the end stays there: nothing is found).
fn adjust_indices(start: isize, end: isize, len: usize) -> (usize, usize) {
    let len = len as isize;
    let end = if end > len {
        len
    } else if end < 0 {
        end.saturating_add(len).max(0)
    } else {
        end
    };
    let start = if start < 0 {
        start.saturating_add(len).max(0)
    } else {
        start
    };
    (start as usize, end as usize)
}

/// PyObject_SetItem / PyObject_DelItem on a type with sequence methods but no mapping ones
/// (str, tuple, range, dict views) turn an int key into a Py_ssize_t first: one too large
/// raises IndexError before "does not support item assignment".
fn index_sized_key(v: &Value, idx: &Index) -> R<()> {
    let Index::Item(k) = idx else {
        return Ok(());
    };
    let sequence = match v {
        Value::Obj(o) => {
            o.is_type(&crate::types::str::STR_TYPE) || o.is_type(&crate::types::tuple::TUPLE_TYPE)
        }
        Value::Range(..) | Value::View(_) => true,
        _ => false,
    };
    if sequence && ops::int_value(k).is_some_and(|i| isize::try_from(&i).is_err()) {
        return Err(exc(
            ExcKind::IndexError,
            "cannot fit 'int' into an index-sized integer",
        ));
    }
    Ok(())
}

/// `list.index` / `tuple.index`'s optional `start` and `stop` (`_PyEval_SliceIndexNotNone`,
/// then clamped to `0..=len`).
fn index_bounds(args: &Args, len: usize) -> R<(usize, usize)> {
    let clamp = |v: isize| {
        if v < 0 {
            v.saturating_add(len as isize).max(0) as usize
        } else {
            (v as usize).min(len)
        }
    };
    let start = match args.get(1) {
        Some(v) => clamp(slice_index(v, false)?.expect("not None")),
        None => 0,
    };
    let stop = match args.get(2) {
        Some(v) => clamp(slice_index(v, false)?.expect("not None")),
        None => len,
    };
    Ok((start, stop))
}

/// The byte offset of code point `i` in `t` (`t.len()` at or past the end).
fn byte_at(t: &str, i: usize) -> usize {
    t.char_indices().nth(i).map_or(t.len(), |(b, _)| b)
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
            Value::Range(r) => {
                let (a, b, s) = *r;
                Iter::Range(a, s, range_len(a, b, s))
            }
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
            Value::Range(r) => range_len(r.0, r.1, r.2) as usize,
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
                let (a, b, s) = &**r;
                let Index::Item(i) = idx else {
                    return Err(Fault::Unsupported("slicing a range".into()));
                };
                // compute_range_item, in 128 bits: any index is accepted (a huge one is
                // simply out of range), and every item of the range fits 64 bits.
                let Some(k) = ops::int_value(i) else {
                    return Err(type_err(format!(
                        "range indices must be integers or slices, not {}",
                        i.type_name()
                    )));
                };
                let n = range_len(*a, *b, *s) as i128;
                let k = i128::try_from(&k)
                    .ok()
                    .map(|k| if k < 0 { k + n } else { k });
                return match k {
                    Some(k) if (0..n).contains(&k) => {
                        Ok(ops::small_int((*a as i128 + k * *s as i128) as i64))
                    }
                    _ => Err(exc(ExcKind::IndexError, "range object index out of range")),
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

    // ---- attributes and calls ----

    /// `getattr(v, name)` (`PyObject_GetAttr`, or `LOAD_METHOD`'s `_PyObject_GetMethod`):
    /// what the runner models, a refusal for what CPython has but the runner does not, an
    /// `AttributeError` (with its "Did you mean", from `dir(v)`) for what CPython lacks too.
    pub(crate) fn get_attr(&mut self, v: Value, name: &str) -> R<Value> {
        match &v {
            Value::Module(m) => {
                return match Builtin::of_module(*m, name) {
                    Some(b) => Ok(Value::Builtin(b)),
                    None if suggest::module_has(*m, name) => Err(Fault::Unsupported(format!(
                        "{}.{name} (not modelled by pylayout)",
                        m.name()
                    ))),
                    None => Err(attribute_error(
                        format!("module '{}' has no attribute '{name}'", m.name()),
                        suggest::dir_of_module(*m),
                        name,
                    )),
                };
            }
            Value::Type(_) | Value::Builtin(_) => {
                let class = match &v {
                    Value::Type(t) => Some(t.name()),
                    Value::Builtin(b) => b.class_name(),
                    _ => None,
                };
                if let Some(class) = class {
                    return match name {
                        "__name__" => Ok(str_v(class)),
                        "fromkeys" if matches!(v, Value::Type(TypeTag::Dict)) => {
                            Ok(Value::method(v.clone(), name))
                        }
                        _ if suggest::class_has(class, name) => Err(Fault::Unsupported(format!(
                            "the attribute {name} of type {class}"
                        ))),
                        _ => Err(attribute_error(
                            format!("type object '{class}' has no attribute '{name}'"),
                            suggest::dir_of_class(class),
                            name,
                        )),
                    };
                }
            }
            Value::Func(f) if name == "__name__" => return Ok(str_v(&f.name)),
            Value::Obj(o) if method_exists(TypeTag::of_obj(o), name) => {
                return Ok(Value::method(v.clone(), name));
            }
            _ => {}
        }
        let tag = v.type_tag();
        let dir = suggest::dir_of(tag);
        if dir.contains(&name) {
            return Err(Fault::Unsupported(format!(
                "{}.{name} (not modelled by pylayout)",
                tag.name()
            )));
        }
        Err(attribute_error(
            format!("'{}' object has no attribute '{name}'", tag.name()),
            dir,
            name,
        ))
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
            Value::Method(m) => {
                // The method object lives until the call returns, as on CPython's stack.
                let recv = m.value.recv.clone();
                self.call_method(recv, &m.value.name, args, kwargs)
            }
            other => Err(type_err(format!(
                "'{}' object is not callable",
                other.type_name()
            ))),
        }
    }

    fn call_builtin(&mut self, b: Builtin, args: Args, kw: Kwargs) -> R<Value> {
        let name = b.name();
        match b {
            Builtin::Print
            | Builtin::Sorted
            | Builtin::Min
            | Builtin::Max
            | Builtin::Sum
            | Builtin::Enumerate
            | Builtin::Zip
            | Builtin::Round
            | Builtin::SysGetsizeof
            | Builtin::GcCollect => {}
            // METH_VARARGS: cfunction_call names the bare method.
            Builtin::GcSetThreshold => no_kwargs(name, &kw)?,
            _ => no_kwargs(&b.qualname(), &kw)?,
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
                if let Some((k, _)) = kw
                    .iter()
                    .find(|(k, _)| !matches!(&**k, "sep" | "end" | "file" | "flush"))
                {
                    return Err(type_err(format!(
                        "'{k}' is an invalid keyword argument for print()"
                    )));
                }
                // builtin_print_impl looks at file, then sep, then end, whatever order the
                // call gave them in.
                if kw.iter().any(|(k, _)| &**k == "file") {
                    return Err(Fault::Unsupported("print(file=...)".into()));
                }
                for (name, slot, default) in [("sep", &mut sep, " "), ("end", &mut end, "\n")] {
                    let Some((_, v)) = kw.iter().find(|(k, _)| &**k == name) else {
                        continue;
                    };
                    *slot = match v.as_obj() {
                        Some(o) if none::is_none(o) => default.to_string(),
                        _ => match as_str(v) {
                            Some(s) => s.to_string(),
                            None => {
                                return Err(type_err(format!(
                                    "{name} must be None or a string, not {}",
                                    v.type_name()
                                )));
                            }
                        },
                    };
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
                let i = i64::from(as_c_int(&args[0])?);
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
                Ok(obj(ops::int_obj(BigInt::from(args[0].identity()))))
            }
            Builtin::Repr => {
                one_arg("repr", &args)?;
                // cfunction_vectorcall_O counts the call itself against the limit.
                let _call =
                    crate::types::ops::enter_recursive_call(" while calling a Python object")?;
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
                let reverse = sort_kwargs(Vec::new(), kw)?;
                let l = self.sequence_list(args.into_iter().next().expect("one"))?;
                self.charge(l.len() * 4)?;
                l.sort(reverse)?;
                Ok(obj(l.into_obj()))
            }
            Builtin::Min | Builtin::Max => self.min_max(b == Builtin::Max, args, kw),
            Builtin::Sum => {
                let mut slots = unpack_keywords("sum", args, kw, 1, &["start"], 1, 2)?;
                let mut start = slots.pop().flatten().unwrap_or_else(|| int_v(0));
                let src = slots.pop().flatten().expect("required");
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
                        // `()`: no type to match. (A tuple holding anything but types is
                        // refused before it gets here, or raises below.)
                        Value::Obj(o)
                            if PyTuple::from_obj(o.clone()).is_ok_and(|t| t.is_empty()) =>
                        {
                            Ok(false)
                        }
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
                // enum_vectorcall's own binding of (iterable, start).
                let given = args.len() + kw.len();
                if given == 0 {
                    return Err(type_err("enumerate() missing required argument 'iterable'"));
                }
                if given > 2 {
                    return Err(type_err(format!(
                        "enumerate() takes at most 2 arguments ({given} given)"
                    )));
                }
                let mut args = args;
                let mut start_v = None;
                let kw_names: Vec<&str> = kw.iter().map(|(k, _)| &**k).collect();
                let expected: &[&str] = match (given, kw.len()) {
                    (2, 2) if kw_names[0] == "start" => &["start", "iterable"],
                    (2, 2) => &["iterable", "start"],
                    (2, 1) => &["start"],
                    (1, 1) => &["iterable"],
                    _ => &[],
                };
                for ((k, v), want) in kw.into_iter().zip(expected) {
                    if &*k != *want {
                        return Err(type_err(format!(
                            "'{k}' is an invalid keyword argument for enumerate()"
                        )));
                    }
                    if *want == "start" {
                        start_v = Some(v);
                    } else {
                        args.insert(0, v);
                    }
                }
                if args.len() == 2 {
                    start_v = args.pop();
                }
                let start = match &start_v {
                    None => 0,
                    Some(v) => {
                        let Some(i) = v.as_obj().and_then(ops::int_value) else {
                            return Err(type_err(format!(
                                "'{}' object cannot be interpreted as an integer",
                                v.type_name()
                            )));
                        };
                        // CPython counts on in a Python int past the machine range.
                        i128::try_from(&i).map_err(|_| {
                            Fault::Unsupported("enumerate() starting beyond 127 bits".into())
                        })?
                    }
                };
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
                if kw.len() > 1 {
                    return Err(type_err(format!(
                        "zip() takes at most 1 keyword argument ({} given)",
                        kw.len()
                    )));
                }
                if let Some((k, v)) = kw.first() {
                    if &**k != "strict" {
                        return Err(type_err(format!(
                            "'{k}' is an invalid keyword argument for zip()"
                        )));
                    }
                    if self.truthy(v)? {
                        return Err(Fault::Unsupported("zip(strict=True)".into()));
                    }
                }
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
                arg_range("reversed", &args, 1, 1)?;
                match &args[0] {
                    Value::Obj(o) if o.is_type(&crate::types::list::LIST_TYPE) => {
                        let n = seq_len(o);
                        Ok(Value::Iter(Rc::new(RefCell::new(GcCounted::new(
                            Iter::Reversed(o.clone(), n.checked_sub(1)),
                        )))))
                    }
                    // range_reverse: a range iterator from the last item backwards.
                    Value::Range(r) => {
                        let (a, b, s) = &**r;
                        let n = range_len(*a, *b, *s);
                        let last = *a as i128 + (n as i128 - 1) * *s as i128;
                        match (i64::try_from(last), s.checked_neg()) {
                            (Ok(last), Some(back)) if n > 0 => Ok(Value::Iter(Rc::new(
                                RefCell::new(GcCounted::uncounted(Iter::Range(last, back, n))),
                            ))),
                            _ if n == 0 => Ok(Value::Iter(Rc::new(RefCell::new(
                                GcCounted::uncounted(Iter::Range(0, 1, 0)),
                            )))),
                            _ => Err(Fault::Unsupported(
                                "reversed() of a range with a step of -2**63".into(),
                            )),
                        }
                    }
                    Value::View(_) => Err(Fault::Unsupported("reversed() of a dict view".into())),
                    Value::Obj(o)
                        if o.is_type(&crate::types::tuple::TUPLE_TYPE)
                            || o.is_type(&crate::types::str::STR_TYPE)
                            || o.is_type(&crate::types::dict::DICT_TYPE) =>
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
                arg_range("iter", &args, 1, 2)?;
                if args.len() == 2 {
                    return Err(Fault::Unsupported("iter(callable, sentinel)".into()));
                }
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
                let slots =
                    unpack_keywords("getsizeof", args, kw, 0, &["object", "default"], 1, 2)?;
                Ok(int_v(match slots[0].as_ref().expect("required") {
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
                one_arg("sys.getrefcount", &args)?;
                match &args[0] {
                    Value::Obj(o) => Ok(int_v(o.refcnt() as i64)),
                    other => Err(Fault::Unsupported(format!(
                        "sys.getrefcount of a {} (not built in pylayout's memory)",
                        other.type_name()
                    ))),
                }
            }
            Builtin::SysIntern => {
                one_arg("sys.intern", &args)?;
                match as_str(&args[0]) {
                    Some(s) => Ok(obj(s.intern().into_obj())),
                    None => Err(type_err(format!(
                        "intern() argument must be str, not {}",
                        clinic_type_name(&args[0])
                    ))),
                }
            }
            Builtin::GcCollect => {
                let slots = unpack_keywords("collect", args, kw, 0, &["generation"], 0, 1)?;
                let generation = match &slots[0] {
                    Some(v) => as_c_int(v)?,
                    None => 2,
                };
                if !(0..=2).contains(&generation) {
                    return Err(exc(ExcKind::ValueError, "invalid generation"));
                }
                Ok(int_v(crate::gc::collect(generation as usize) as i64))
            }
            Builtin::GcGetCount => {
                no_args("gc.get_count", &args)?;
                let c = crate::gc::get_count();
                Ok(obj(PyTuple::new(
                    c.iter().map(|v| ops::small_int(*v as i64)).collect(),
                )
                .into_obj()))
            }
            Builtin::GcGetThreshold => {
                no_args("gc.get_threshold", &args)?;
                let c = crate::gc::get_threshold();
                Ok(obj(PyTuple::new(
                    c.iter().map(|v| ops::small_int(*v as i64)).collect(),
                )
                .into_obj()))
            }
            Builtin::GcSetThreshold => {
                tuple_arg_range("set_threshold", &args, 1, 3)?;
                let mut t = Vec::new();
                for a in &args {
                    // PyArg_ParseTuple's "i": a C long first, then the int range.
                    let v = as_index(a).map_err(|e| match e {
                        Fault::Py(p) if p.kind == ExcKind::OverflowError => exc(
                            ExcKind::OverflowError,
                            "Python int too large to convert to C long",
                        ),
                        other => other,
                    })?;
                    let v = i32::try_from(v).map_err(|_| {
                        exc(
                            ExcKind::OverflowError,
                            if v < 0 {
                                "signed integer is less than minimum"
                            } else {
                                "signed integer is greater than maximum"
                            },
                        )
                    })?;
                    t.push(v as isize);
                }
                crate::gc::set_threshold(&t);
                Ok(none_v())
            }
            Builtin::GcEnable => {
                no_args("gc.enable", &args)?;
                crate::gc::enable();
                Ok(none_v())
            }
            Builtin::GcDisable => {
                no_args("gc.disable", &args)?;
                crate::gc::disable();
                Ok(none_v())
            }
            Builtin::GcIsenabled => {
                no_args("gc.isenabled", &args)?;
                Ok(bool_v(crate::gc::isenabled()))
            }
            Builtin::GcIsTracked => {
                one_arg("gc.is_tracked", &args)?;
                Ok(bool_v(match &args[0] {
                    Value::Obj(o) => crate::gc::is_tracked(o),
                    // Static types, ranges and range iterators are not GC objects.
                    Value::Range(..) | Value::Type(_) => false,
                    Value::Iter(it) => it.borrow().value.is_gc(),
                    _ => true,
                }))
            }
            Builtin::GcGetStats => {
                no_args("gc.get_stats", &args)?;
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
        if args.is_empty() {
            return Err(type_err(format!(
                "{name} expected at least 1 argument, got 0"
            )));
        }
        if let Some((k, _)) = kw.iter().find(|(k, _)| !matches!(&**k, "key" | "default")) {
            return Err(type_err(format!(
                "'{k}' is an invalid keyword argument for {name}()"
            )));
        }
        if let Some((k, _)) = kw.first() {
            return Err(Fault::Unsupported(format!("{name}({k}=...)")));
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
                    // min_max: `item > maxitem` for max, `item < maxitem` for min.
                    let better = if max {
                        ops::compare(super::ast::CmpOp::Gt, &x, &b)?
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
            Value::Range(r) => {
                let (a, b, s) = &**r;
                let n = range_len(*a, *b, *s);
                if n > isize::MAX as u64 {
                    return Err(exc(
                        ExcKind::OverflowError,
                        "Python int too large to convert to C ssize_t",
                    ));
                }
                Ok(n as usize)
            }
            Value::View(vw) => Ok(PyDict::from_obj(vw.value.0.clone()).expect("dict").len()),
            other => Err(type_err(format!(
                "object of type '{}' has no len()",
                other.type_name()
            ))),
        }
    }

    // ---- constructors ----

    fn construct(&mut self, t: TypeTag, args: Args, kw: Kwargs) -> R<Value> {
        if !matches!(
            t,
            TypeTag::Dict | TypeTag::Int | TypeTag::Str | TypeTag::Type
        ) {
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
            TypeTag::Type => match args.len() {
                1 => {
                    no_kwargs("type", &kw)?;
                    Ok(Value::Type(args[0].type_tag()))
                }
                3 => Err(Fault::Unsupported("type() with 3 arguments".into())),
                _ => Err(type_err("type() takes 1 or 3 arguments")),
            },
            TypeTag::Int => {
                let slots = unpack_keywords("int", args, kw, 1, &["base"], 0, 2)?;
                let Some(a) = &slots[0] else {
                    if slots[1].is_some() {
                        return Err(type_err("int() missing string argument"));
                    }
                    return Ok(int_v(0));
                };
                if let Some(b) = &slots[1] {
                    // PyNumber_AsSsize_t(base, NULL): clamped, then range-checked.
                    let base = slice_index(b, false).map_err(|_| {
                        type_err(format!(
                            "'{}' object cannot be interpreted as an integer",
                            b.type_name()
                        ))
                    })?;
                    let base = base.expect("not None");
                    if (base != 0 && base < 2) || base > 36 {
                        return Err(exc(
                            ExcKind::ValueError,
                            "int() base must be >= 2 and <= 36, or 0",
                        ));
                    }
                    let Some(s) = as_str(a) else {
                        return Err(type_err(
                            "int() can't convert non-string with explicit base",
                        ));
                    };
                    return Ok(obj(ops::int_obj(
                        parse_int(&s.to_string(), base as u32)
                            .map_err(|m| exc(ExcKind::ValueError, m))?,
                    )));
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
                    return Ok(obj(ops::int_obj(
                        parse_int(&s.to_string(), 10).map_err(|m| exc(ExcKind::ValueError, m))?,
                    )));
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
                    return Ok(obj(ops::float_obj(
                        parse_float(&s.to_string()).map_err(|m| exc(ExcKind::ValueError, m))?,
                    )));
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
                let slots =
                    unpack_keywords("str", args, kw, 0, &["object", "encoding", "errors"], 0, 3)?;
                if slots[1].is_some() || slots[2].is_some() {
                    // str(object, encoding, errors) decodes bytes, which pylayout has not.
                    for (v, what) in slots[1..].iter().zip(["encoding", "errors"]) {
                        if let Some(v) = v
                            && as_str(v).is_none()
                        {
                            return Err(type_err(format!(
                                "str() argument '{what}' must be str, not {}",
                                clinic_type_name(v)
                            )));
                        }
                    }
                    return Err(match &slots[0] {
                        Some(o) if as_str(o).is_some() => type_err("decoding str is not supported"),
                        Some(o) => type_err(format!(
                            "decoding to str: need a bytes-like object, {} found",
                            o.type_name()
                        )),
                        None => Fault::Unsupported("str() of bytes".into()),
                    });
                }
                let Some(a) = &slots[0] else {
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
                Ok(Value::Range(Rc::new((a, b, s))))
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
        // dict_update_arg: an argument with a `keys` attribute is a mapping, and the type
        // `dict` has one: its unbound `keys` is called without a dict.
        if matches!(src, Value::Type(TypeTag::Dict)) {
            return Err(type_err("unbound method dict.keys() needs an argument"));
        }
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

    /// `LOAD_METHOD`'s failure, before any argument is evaluated: `(1).pop(f())` raises
    /// `AttributeError` without calling `f`.
    pub(crate) fn check_method(&mut self, recv: &Value, name: &str) -> R<()> {
        match recv {
            Value::Obj(o) if method_exists(TypeTag::of_obj(o), name) => Ok(()),
            Value::Type(TypeTag::Dict) if name == "fromkeys" => Ok(()),
            _ => self.get_attr(recv.clone(), name).map(drop),
        }
    }

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
        if !matches!(
            (tag, name),
            (TypeTag::List, "sort") | (TypeTag::Dict, "update") | (TypeTag::Str, "split")
        ) {
            no_kwargs(&format!("{}.{name}", tag.name()), &kw)?;
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
                        let (start, stop) = index_bounds(&args, t.len())?;
                        let x = arg_obj(&args[0])?;
                        if args.len() == 1 {
                            return Ok(int_v(t.index(&x)? as i64));
                        }
                        for i in start..stop {
                            let item = t.get(i as isize)?;
                            if item.is(&x) || crate::types::ops::eq(&item, &x)? {
                                return Ok(int_v(i as i64));
                            }
                        }
                        Err(exc(ExcKind::ValueError, "tuple.index(x): x not in tuple"))
                    }
                    _ => {
                        one_arg("tuple.count", &args)?;
                        self.charge(t.len())?;
                        Ok(int_v(t.count(&arg_obj(&args[0])?)? as i64))
                    }
                }
            }
            TypeTag::Dict => self.dict_method(PyDict::from_obj(o).expect("dict"), name, args, kw),
            TypeTag::Str => self.str_method(PyStr::from_obj(o).expect("str"), name, args, kw),
            _ => unreachable!("method_exists covers only these types"),
        }
    }

    fn list_method(&mut self, l: PyList, name: &str, args: Args, kw: Kwargs) -> R<Value> {
        match name {
            "append" => {
                one_arg("list.append", &args)?;
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
                one_arg("list.remove", &args)?;
                self.charge(l.len())?;
                l.remove(&arg_obj(&args[0])?)?;
                Ok(none_v())
            }
            "extend" => {
                one_arg("list.extend", &args)?;
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
                no_args("list.clear", &args)?;
                l.clear();
                Ok(none_v())
            }
            "index" => {
                arg_range("index", &args, 1, 3)?;
                self.charge(l.len())?;
                let (start, stop) = index_bounds(&args, l.len())?;
                let x = arg_obj(&args[0])?;
                if args.len() == 1 {
                    return Ok(int_v(l.index(&x)? as i64));
                }
                // list.index(x, start[, stop]): bounds clamped like slice indices; the list
                // may shrink while comparing.
                let mut i = start as isize;
                while i < stop as isize && (i as usize) < l.len() {
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
                one_arg("list.count", &args)?;
                self.charge(l.len())?;
                Ok(int_v(l.count(&arg_obj(&args[0])?)? as i64))
            }
            "reverse" => {
                no_args("list.reverse", &args)?;
                l.reverse();
                Ok(none_v())
            }
            "sort" => {
                let reverse = sort_kwargs(args, kw)?;
                self.charge(l.len() * 4)?;
                l.sort(reverse)?;
                Ok(none_v())
            }
            _ => {
                no_args("list.copy", &args)?;
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
                if args.len() == 2 && (d.is_empty() || !d.contains(&k)?) {
                    return Ok(args[1].clone());
                }
                Ok(obj(d.pop(&k)?))
            }
            "popitem" => {
                no_args("dict.popitem", &args)?;
                let (k, v) = d.popitem()?;
                Ok(obj(PyTuple::new(vec![k, v]).into_obj()))
            }
            "keys" => {
                no_args("dict.keys", &args)?;
                Ok(view(ViewKind::Keys))
            }
            "values" => {
                no_args("dict.values", &args)?;
                Ok(view(ViewKind::Values))
            }
            "items" => {
                no_args("dict.items", &args)?;
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
                no_args("dict.clear", &args)?;
                d.clear();
                Ok(none_v())
            }
            "copy" => {
                no_args("dict.copy", &args)?;
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

    fn str_method(&mut self, s: PyStr, name: &str, args: Args, kw: Kwargs) -> R<Value> {
        let text = || s.to_string();
        let str_arg = |i: usize, what: &str| -> R<PyStr> {
            as_str(&args[i]).ok_or_else(|| type_err(format!("{what} arg must be None or str",)))
        };
        self.charge(s.len() / 64)?;
        match name {
            "join" => {
                one_arg("str.join", &args)?;
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
                no_args("str.upper", &args)?;
                Ok(obj(s.upper().into_obj()))
            }
            "lower" => {
                no_args("str.lower", &args)?;
                Ok(obj(s.lower().into_obj()))
            }
            "split" => {
                let slots =
                    unpack_keywords("split", args.clone(), kw, 0, &["sep", "maxsplit"], 0, 2)?;
                // The clinic converts maxsplit first; the impl then looks at sep.
                let maxsplit = match &slots[1] {
                    Some(v) => as_index(v)?,
                    None => -1,
                };
                let sep = match &slots[0] {
                    Some(v) if v.as_obj().is_some_and(none::is_none) => None,
                    Some(v) => Some(
                        as_str(v)
                            .ok_or_else(|| {
                                type_err(format!("must be str or None, not {}", v.type_name()))
                            })?
                            .to_string(),
                    ),
                    None => None,
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
                        clinic_type_name(&args[0])
                    ))
                })?;
                let new = as_str(&args[1]).ok_or_else(|| {
                    type_err(format!(
                        "replace() argument 2 must be str, not {}",
                        clinic_type_name(&args[1])
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
            "find" | "rfind" | "index" | "count" | "startswith" | "endswith" => {
                // PyArg_ParseTuple("O|O&O&"): the bounds are converted before the
                // substring is looked at.
                tuple_arg_range(name, &args, 1, 3)?;
                let start = match args.get(1) {
                    Some(v) => slice_index(v, true)?.unwrap_or(0),
                    None => 0,
                };
                let end = match args.get(2) {
                    Some(v) => slice_index(v, true)?.unwrap_or(isize::MAX),
                    None => isize::MAX,
                };
                let t = text();
                let (start, end) = adjust_indices(start, end, s.len());
                if name == "startswith" || name == "endswith" {
                    let test = |p: &PyStr| {
                        let m = p.len();
                        if end < start || end - start < m {
                            return false;
                        }
                        let at = if name == "startswith" { start } else { end - m };
                        let b = byte_at(&t, at);
                        t[b..].starts_with(&p.to_string())
                    };
                    if let Some(p) = as_str(&args[0]) {
                        return Ok(bool_v(test(&p)));
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
                            if test(&p) {
                                return Ok(bool_v(true));
                            }
                        }
                        return Ok(bool_v(false));
                    }
                    return Err(type_err(format!(
                        "{name} first arg must be str or a tuple of str, not {}",
                        args[0].type_name()
                    )));
                }
                let sub = as_str(&args[0])
                    .ok_or_else(|| type_err(format!("must be str, not {}", args[0].type_name())))?;
                let u = sub.to_string();
                let found = end >= start && end - start >= sub.len();
                if name == "count" {
                    if !found {
                        return Ok(int_v(0));
                    }
                    let c = if u.is_empty() {
                        end - start + 1
                    } else {
                        t[byte_at(&t, start)..byte_at(&t, end)].matches(&u).count()
                    };
                    return Ok(int_v(c as i64));
                }
                let pos = if found {
                    let lo = byte_at(&t, start);
                    let window = &t[lo..byte_at(&t, end)];
                    let hit = if name == "rfind" {
                        window.rfind(&u)
                    } else {
                        window.find(&u)
                    };
                    hit.map(|b| start + window[..b].chars().count())
                } else {
                    None
                };
                match pos {
                    Some(i) => Ok(int_v(i as i64)),
                    None if name == "index" => Err(exc(ExcKind::ValueError, "substring not found")),
                    None => Ok(int_v(-1)),
                }
            }
            _ => match StrPredicate::from_name(name) {
                Some(p) => {
                    no_args(&format!("str.{name}"), &args)?;
                    Ok(bool_v(s.test(p)))
                }
                None => Err(Fault::Unsupported(format!("str.{name}"))),
            },
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
                let i = match i64::try_from(*n) {
                    Ok(v) => ops::small_int(v),
                    Err(_) => ops::int_obj(BigInt::from(*n)),
                };
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

/// `list.sort(*, key=None, reverse=False)`'s keywords (sorted() passes them on): whether to
/// reverse.
fn sort_kwargs(args: Args, kw: Kwargs) -> R<bool> {
    let slots = unpack_keywords("sort", args, kw, 0, &["key", "reverse"], 0, 0)?;
    if slots[0]
        .as_ref()
        .is_some_and(|k| !k.as_obj().is_some_and(none::is_none))
    {
        return Err(Fault::Unsupported("sort(key=...)".into()));
    }
    Ok(match &slots[1] {
        Some(v) => as_c_int(v)? != 0,
        None => false,
    })
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
        TypeTag::Str => {
            matches!(
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
            ) || StrPredicate::from_name(name).is_some()
        }
        _ => false,
    }
}

/// `Py_UNICODE_ISSPACE`: what `split()` and `strip()` without arguments remove.
fn is_py_space(c: char) -> bool {
    crate::types::unicode::is_space(c)
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
                    // The rest as it stands: split_whitespace skips the whitespace before it
                    // and keeps any after it.
                    out.push(cps[i..].iter().collect());
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
        super::numparse::int_to_str_limit_message(),
    )
}

#[allow(dead_code)]
fn identical(a: &Value, b: &Value) -> bool {
    values_identical(a, b)
}

/// How Argument Clinic's `_PyArg_BadArgument` names a wrong argument ("... must be str, not
/// X"): `None` for None, else the type's name.
fn clinic_type_name(v: &Value) -> &'static str {
    if v.as_obj().is_some_and(none::is_none) {
        "None"
    } else {
        v.type_name()
    }
}
