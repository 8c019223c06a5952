//! The functions of `sys` and `gc` the runner models (`Python/sysmodule.c`,
//! `Modules/gcmodule.c`).

use super::*;

/// `sys.getsizeof(object[, default])`.
pub(super) fn sys_getsizeof(_me: &mut Interp<'_>, args: Args, kw: Kwargs) -> R<Value> {
    let slots = unpack_keywords("getsizeof", args, kw, 0, &["object", "default"], 1, 2)?;
    Ok(int_v(match slots[0].as_ref().expect("required") {
        Value::Obj(o) => o.getsizeof() as i64,
        Value::Range(..) => 48,
        Value::View(_) => 40,
        // The fixed sizes of 3.11's iterator, method and function structs, with the GC head
        // where the type has one (measured with sys.getsizeof in python3).
        Value::Iter(it) => match &it.borrow().value {
            Iter::Gen(g) => match g.code.generator_size() {
                Some(n) => n as i64,
                None => {
                    return Err(Fault::Unsupported(
                        "sys.getsizeof of a generator whose code makes a call of over 30 \
                         arguments (its frame's stack depth is not modelled)"
                            .into(),
                    ));
                }
            },
            it => match it.tag() {
                TypeTag::DictKeyIterator
                | TypeTag::DictValueIterator
                | TypeTag::DictItemIterator
                | TypeTag::DictReverseKeyIterator
                | TypeTag::DictReverseValueIterator
                | TypeTag::DictReverseItemIterator
                | TypeTag::Enumerate => 72,
                TypeTag::Zip => 64,
                _ => 48,
            },
        },
        Value::Method(_) | Value::Builtin(_) | Value::Module(_) => 72,
        // The instance struct and the GC head.
        Value::Exc(e) => (e.value.kind.basicsize() + 16) as i64,
        other => {
            return Err(Fault::Unsupported(format!(
                "sys.getsizeof of a {} (not built in pylayout's memory)",
                other.type_name()
            )));
        }
    }))
}

/// `sys.getrefcount(object)`.
pub(super) fn sys_getrefcount(_me: &mut Interp<'_>, args: Args, _kw: Kwargs) -> R<Value> {
    match &args[0] {
        Value::Obj(o) => Ok(int_v(o.refcnt() as i64)),
        // Every reference CPython holds (a name, the exception being handled, the argument
        // here) is one clone of the `Rc`.
        Value::Exc(e) => Ok(int_v(std::rc::Rc::strong_count(e) as i64)),
        // An iterator object's (a generator's): its names, the loops and `yield from`s
        // advancing it, the iterators made of it (`map`, `zip`, ...), the argument here.
        Value::Iter(it) => Ok(int_v(std::rc::Rc::strong_count(it) as i64)),
        other => Err(Fault::Unsupported(format!(
            "sys.getrefcount of a {} (not built in pylayout's memory)",
            other.type_name()
        ))),
    }
}

/// `sys.intern(string)`.
pub(super) fn sys_intern(_me: &mut Interp<'_>, args: Args, _kw: Kwargs) -> R<Value> {
    match as_str(&args[0]) {
        Some(s) => Ok(obj(s.intern().into_obj())),
        None => Err(type_err(format!(
            "intern() argument must be str, not {}",
            clinic_type_name(&args[0])
        ))),
    }
}

/// `gc.collect(generation=2)`.
pub(super) fn gc_collect(_me: &mut Interp<'_>, args: Args, kw: Kwargs) -> R<Value> {
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

/// `gc.get_count()`.
pub(super) fn gc_get_count(_me: &mut Interp<'_>, _args: Args, _kw: Kwargs) -> R<Value> {
    let c = crate::gc::get_count();
    Ok(obj(PyTuple::new(
        c.iter().map(|v| ops::small_int(*v as i64)).collect(),
    )
    .into_obj()))
}

/// `gc.get_threshold()`.
pub(super) fn gc_get_threshold(_me: &mut Interp<'_>, _args: Args, _kw: Kwargs) -> R<Value> {
    let c = crate::gc::get_threshold();
    Ok(obj(PyTuple::new(
        c.iter().map(|v| ops::small_int(*v as i64)).collect(),
    )
    .into_obj()))
}

/// `gc.set_threshold(threshold0[, threshold1[, threshold2]])`.
pub(super) fn gc_set_threshold(_me: &mut Interp<'_>, args: Args, _kw: Kwargs) -> R<Value> {
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

/// `gc.enable()`.
pub(super) fn gc_enable(_me: &mut Interp<'_>, _args: Args, _kw: Kwargs) -> R<Value> {
    crate::gc::enable();
    Ok(none_v())
}

/// `gc.disable()`.
pub(super) fn gc_disable(_me: &mut Interp<'_>, _args: Args, _kw: Kwargs) -> R<Value> {
    crate::gc::disable();
    Ok(none_v())
}

/// `gc.isenabled()`.
pub(super) fn gc_isenabled(_me: &mut Interp<'_>, _args: Args, _kw: Kwargs) -> R<Value> {
    Ok(bool_v(crate::gc::isenabled()))
}

/// `gc.is_tracked(obj)`.
pub(super) fn gc_is_tracked(_me: &mut Interp<'_>, args: Args, _kw: Kwargs) -> R<Value> {
    Ok(bool_v(match &args[0] {
        Value::Obj(o) => crate::gc::is_tracked(o),
        // Static types, ranges and range iterators are not GC objects.
        Value::Range(..) | Value::Type(_) => false,
        Value::Iter(it) => it.borrow().value.is_gc(),
        _ => true,
    }))
}

/// `gc.get_referents(*objs)`: what each object's `tp_traverse` visits, in a new list.
pub(super) fn gc_get_referents(_me: &mut Interp<'_>, args: Args, _kw: Kwargs) -> R<Value> {
    let l = PyList::new();
    for a in &args {
        let Value::Obj(o) = a else {
            return Err(Fault::Unsupported(format!(
                "gc.get_referents of a {} (not built in pylayout's memory)",
                a.type_name()
            )));
        };
        for r in crate::gc::referents(o) {
            l.append(r);
        }
    }
    Ok(obj(l.into_obj()))
}

/// `gc.get_stats()`.
pub(super) fn gc_get_stats(_me: &mut Interp<'_>, _args: Args, _kw: Kwargs) -> R<Value> {
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
