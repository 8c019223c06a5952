//! The methods of `dict` (`Objects/dictobject.c`).

use super::super::*;
use super::{MethodSpec, keywords, m, varargs};

/// The methods of `dict` the runner has.
pub(super) static METHODS: &[MethodSpec] = &[
    m("get", get),
    m("pop", pop),
    m("popitem", popitem),
    m("keys", keys),
    m("values", values),
    m("items", items),
    varargs(keywords(m("update", update))),
    m("clear", clear),
    m("copy", copy),
    m("setdefault", setdefault),
    m("fromkeys", fromkeys),
];

/// A view of `d` (`dict_keys`, `dict_values`, `dict_items`).
fn view(d: &PyDict, kind: ViewKind) -> Value {
    Value::View(Rc::new(GcCounted::new((d.clone().into_obj(), kind))))
}

/// `dict.get(key, default=None)`.
fn get(_me: &mut Interp<'_>, o: Obj, _name: &str, args: Args, _kw: Kwargs) -> R<Value> {
    let d = PyDict::from_obj(o).expect("dict");
    arg_range("get", &args, 1, 2)?;
    let k = arg_obj(&args[0])?;
    Ok(match d.get(&k)? {
        Some(v) => obj(v),
        None => args.get(1).cloned().unwrap_or_else(none_v),
    })
}

/// `dict.pop(key[, default])`.
fn pop(_me: &mut Interp<'_>, o: Obj, _name: &str, args: Args, _kw: Kwargs) -> R<Value> {
    let d = PyDict::from_obj(o).expect("dict");
    arg_range("pop", &args, 1, 2)?;
    let k = arg_obj(&args[0])?;
    if args.len() == 2 && (d.is_empty() || !d.contains(&k)?) {
        return Ok(args[1].clone());
    }
    Ok(obj(d.pop(&k).map_err(|e| ops::keyed(e, &k))?))
}

/// `dict.popitem()`.
fn popitem(_me: &mut Interp<'_>, o: Obj, _name: &str, args: Args, _kw: Kwargs) -> R<Value> {
    let d = PyDict::from_obj(o).expect("dict");
    no_args("dict.popitem", &args)?;
    // PyErr_SetString(PyExc_KeyError, ...): the message str is the exception's argument
    // (the object layer's error reads as the printed line, quotes included).
    if d.is_empty() {
        return Err(Fault::PyArgs(
            ExcKind::KeyError,
            PyTuple::new(vec![
                PyStr::new("popitem(): dictionary is empty").into_obj(),
            ])
            .into_obj(),
        ));
    }
    let (k, v) = d.popitem()?;
    Ok(obj(PyTuple::new(vec![k, v]).into_obj()))
}

/// `dict.keys()`.
fn keys(_me: &mut Interp<'_>, o: Obj, _name: &str, args: Args, _kw: Kwargs) -> R<Value> {
    let d = PyDict::from_obj(o).expect("dict");
    no_args("dict.keys", &args)?;
    Ok(view(&d, ViewKind::Keys))
}

/// `dict.values()`.
fn values(_me: &mut Interp<'_>, o: Obj, _name: &str, args: Args, _kw: Kwargs) -> R<Value> {
    let d = PyDict::from_obj(o).expect("dict");
    no_args("dict.values", &args)?;
    Ok(view(&d, ViewKind::Values))
}

/// `dict.items()`.
fn items(_me: &mut Interp<'_>, o: Obj, _name: &str, args: Args, _kw: Kwargs) -> R<Value> {
    let d = PyDict::from_obj(o).expect("dict");
    no_args("dict.items", &args)?;
    Ok(view(&d, ViewKind::Items))
}

/// `dict.update([other], **kw)`.
fn update(me: &mut Interp<'_>, o: Obj, _name: &str, args: Args, kw: Kwargs) -> R<Value> {
    let d = PyDict::from_obj(o).expect("dict");
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
                me.charge(other.len())?;
                d.merge(&other)?;
            }
            other => me.update_from_pairs(&d, other)?,
        }
    }
    for (k, v) in kw {
        d.set_item(PyStr::new(&k).into_obj(), v.into_obj()?)?;
    }
    Ok(none_v())
}

/// `dict.clear()`.
fn clear(_me: &mut Interp<'_>, o: Obj, _name: &str, args: Args, _kw: Kwargs) -> R<Value> {
    let d = PyDict::from_obj(o).expect("dict");
    no_args("dict.clear", &args)?;
    d.clear();
    Ok(none_v())
}

/// `dict.copy()`.
fn copy(me: &mut Interp<'_>, o: Obj, _name: &str, args: Args, _kw: Kwargs) -> R<Value> {
    let d = PyDict::from_obj(o).expect("dict");
    no_args("dict.copy", &args)?;
    me.charge(d.len())?;
    Ok(obj(d.copy()?.into_obj()))
}

/// `dict.setdefault(key, default=None)`.
fn setdefault(_me: &mut Interp<'_>, o: Obj, _name: &str, args: Args, _kw: Kwargs) -> R<Value> {
    let d = PyDict::from_obj(o).expect("dict");
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

/// `d.fromkeys(iterable, value=None)`: the class method, reached from an instance.
fn fromkeys(me: &mut Interp<'_>, _o: Obj, _name: &str, args: Args, _kw: Kwargs) -> R<Value> {
    me.dict_fromkeys(args)
}

impl Interp<'_> {
    pub(super) fn dict_fromkeys(&mut self, args: Args) -> R<Value> {
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
        if let FromKeysSource::Iterable = source {
            // `_PyDict_FromKeys`: the dict first, then a key at a time from the iterator.
            let d = PyDict::new_from_type();
            let mut it = self.get_iter(src)?;
            while let Some(k) = self.iter_next(&mut it)? {
                self.charge(1)?;
                d.set_item(k, value.clone())?;
            }
            return Ok(obj(d.into_obj()));
        }
        let (keys, _, _) = self.collect(src)?;
        Ok(obj(PyDict::fromkeys(keys, value, source)?.into_obj()))
    }
}
