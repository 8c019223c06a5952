//! Builtin functions, type constructors, methods, subscripts and iteration, each building its
//! result the way CPython 3.11 does (which allocation path, which capacity, which singleton).
//!
//! | file | what | CPython |
//! |---|---|---|
//! | `mod.rs` | the argument helpers all share (`one_arg`, `arg_range`, `unpack_keywords`, ...) | `Python/getargs.c` |
//! | `registry.rs` | the table of builtin functions, and their dispatch | `builtin_methods` in `Python/bltinmodule.c` |
//! | `functions.rs` | `print`, `len`, `sorted`, `min`/`max`, `sum`, `isinstance`, `any`/`all`, ... | `Python/bltinmodule.c` |
//! | `numeric.rs` | `abs`, `divmod`, `round` | `Python/bltinmodule.c`, `Objects/longobject.c` |
//! | `iter.rs` | iteration, and `enumerate`, `zip`, `reversed`, `iter`, `next` | `Objects/iterobject.c`, `Objects/enumobject.c` |
//! | `sys_gc.rs` | `sys.getsizeof`, ..., `gc.collect`, ... | `Python/sysmodule.c`, `Modules/gcmodule.c` |
//! | `construct.rs` | `int()`, `str()`, `list()`, `dict()`, ... | `type_call` and each type's `tp_new` |
//! | `subscript.rs` | `v[i]`, `v[a:b]`, their assignment and deletion | `Objects/abstract.c` |
//! | `call.rs` | attributes, and the call of any callable | `Objects/object.c`, `Objects/call.c` |
//! | `methods/` | a method table per type (`list.rs`, `tuple.rs`, `dict.rs`, `str.rs`) and its dispatch | `Objects/*object.c` |

use std::cell::RefCell;
use std::rc::Rc;

use num_bigint::{BigInt, Sign};

use super::eval::{GenStep, Index, Interp, R, is_generator, seq_items, values_identical};
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
use crate::types::tuple::{PyTuple, TupleBuilder};

mod call;
mod construct;
mod formatting;
mod functions;
mod iter;
mod methods;
mod numeric;
mod registry;
mod subscript;
mod sys_gc;

pub(crate) use formatting::percent_format;

pub(crate) use iter::seq_len;
pub(crate) use registry::module_members;
pub use registry::{Builtin, listing};
pub(crate) use subscript::range_slice;

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

/// `list.sort(*, key=None, reverse=False)`'s keywords (sorted() passes them on): whether to
/// reverse.
fn sort_kwargs(args: Args, kw: Kwargs) -> R<(bool, Option<Value>)> {
    let mut slots = unpack_keywords("sort", args, kw, 0, &["key", "reverse"], 0, 0)?;
    let reverse = match &slots[1] {
        Some(v) => as_c_int(v)? != 0,
        None => false,
    };
    // `key=None` is no key.
    let key = slots[0]
        .take()
        .filter(|k| !k.as_obj().is_some_and(none::is_none));
    Ok((reverse, key))
}

impl Interp<'_> {
    /// `list.sort(key=..., reverse=...)` on `l`, calling `key` (any callable) once per item.
    pub(super) fn sort_list(&mut self, l: &PyList, reverse: bool, key: Option<Value>) -> R<()> {
        self.charge(l.len() * 4)?;
        match key {
            None => Ok(l.sort(reverse)?),
            Some(k) => {
                let mut call = |x: &Obj| -> R<Obj> {
                    self.call(k.clone(), vec![Value::Obj(x.clone())], Vec::new())?
                        .into_obj()
                };
                l.sort_keyed(reverse, Some(&mut call))
            }
        }
    }
}

/// `PyLong_FromDouble` of an integral float: `ValueError` for NaN, `OverflowError` for the
/// infinities (what `int(x)`, `round(x)` and `'%d' % x` raise).
fn float_to_int(f: f64) -> R<BigInt> {
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
    Ok(float_to_bigint(f))
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
