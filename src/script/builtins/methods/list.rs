//! The methods of `list` (`Objects/listobject.c`).

use super::super::*;
use super::{MethodSpec, keywords, m};

/// The methods of `list` the runner has.
pub(super) static METHODS: &[MethodSpec] = &[
    m("append", append),
    m("insert", insert),
    m("pop", pop),
    m("remove", remove),
    m("extend", extend),
    m("clear", clear),
    m("index", index),
    m("count", count),
    m("reverse", reverse),
    keywords(m("sort", sort)),
    m("copy", copy),
];

/// `list.append(x)`.
fn append(_me: &mut Interp<'_>, o: Obj, _name: &str, args: Args, _kw: Kwargs) -> R<Value> {
    let l = PyList::from_obj(o).expect("list");
    one_arg("list.append", &args)?;
    l.append(arg_obj(&args[0])?);
    Ok(none_v())
}

/// `list.insert(i, x)`.
fn insert(me: &mut Interp<'_>, o: Obj, _name: &str, args: Args, _kw: Kwargs) -> R<Value> {
    let l = PyList::from_obj(o).expect("list");
    arg_range("insert", &args, 2, 2)?;
    let i = as_index(&args[0])?;
    me.charge(l.len() / 16)?;
    l.insert(i, arg_obj(&args[1])?);
    Ok(none_v())
}

/// `list.pop(i=-1)`.
fn pop(_me: &mut Interp<'_>, o: Obj, _name: &str, args: Args, _kw: Kwargs) -> R<Value> {
    let l = PyList::from_obj(o).expect("list");
    arg_range("pop", &args, 0, 1)?;
    let i = match args.first() {
        Some(v) => as_index(v)?,
        None => -1,
    };
    Ok(obj(l.pop(i)?))
}

/// `list.remove(x)`.
fn remove(me: &mut Interp<'_>, o: Obj, _name: &str, args: Args, _kw: Kwargs) -> R<Value> {
    let l = PyList::from_obj(o).expect("list");
    one_arg("list.remove", &args)?;
    me.charge(l.len())?;
    l.remove(&arg_obj(&args[0])?)?;
    Ok(none_v())
}

/// `list.extend(iterable)`.
fn extend(me: &mut Interp<'_>, o: Obj, _name: &str, args: Args, _kw: Kwargs) -> R<Value> {
    let l = PyList::from_obj(o).expect("list");
    one_arg("list.extend", &args)?;
    let v = args.into_iter().next().expect("one");
    if !me.is_iterable(&v) {
        return Err(type_err(format!(
            "'{}' object is not iterable",
            v.type_name()
        )));
    }
    me.extend_list(&l, v)?;
    Ok(none_v())
}

/// `list.clear()`.
fn clear(_me: &mut Interp<'_>, o: Obj, _name: &str, args: Args, _kw: Kwargs) -> R<Value> {
    let l = PyList::from_obj(o).expect("list");
    no_args("list.clear", &args)?;
    l.clear();
    Ok(none_v())
}

/// `list.index(x[, start[, stop]])`.
fn index(me: &mut Interp<'_>, o: Obj, _name: &str, args: Args, _kw: Kwargs) -> R<Value> {
    let l = PyList::from_obj(o).expect("list");
    arg_range("index", &args, 1, 3)?;
    me.charge(l.len())?;
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

/// `list.count(x)`.
fn count(me: &mut Interp<'_>, o: Obj, _name: &str, args: Args, _kw: Kwargs) -> R<Value> {
    let l = PyList::from_obj(o).expect("list");
    one_arg("list.count", &args)?;
    me.charge(l.len())?;
    Ok(int_v(l.count(&arg_obj(&args[0])?)? as i64))
}

/// `list.reverse()`.
fn reverse(_me: &mut Interp<'_>, o: Obj, _name: &str, args: Args, _kw: Kwargs) -> R<Value> {
    let l = PyList::from_obj(o).expect("list");
    no_args("list.reverse", &args)?;
    l.reverse();
    Ok(none_v())
}

/// `list.sort(*, key=None, reverse=False)`.
fn sort(me: &mut Interp<'_>, o: Obj, _name: &str, args: Args, kw: Kwargs) -> R<Value> {
    let l = PyList::from_obj(o).expect("list");
    let (reverse, key) = sort_kwargs(args, kw)?;
    me.sort_list(&l, reverse, key)?;
    Ok(none_v())
}

/// `list.copy()`.
fn copy(me: &mut Interp<'_>, o: Obj, _name: &str, args: Args, _kw: Kwargs) -> R<Value> {
    let l = PyList::from_obj(o).expect("list");
    no_args("list.copy", &args)?;
    me.charge(l.len())?;
    Ok(obj(l.copy().into_obj()))
}
