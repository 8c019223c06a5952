//! The methods of `tuple` (`Objects/tupleobject.c`).

use super::super::*;
use super::{MethodSpec, m};

/// The methods of `tuple`.
pub(super) static METHODS: &[MethodSpec] = &[m("index", index), m("count", count)];

/// `tuple.index(x[, start[, stop]])`.
fn index(me: &mut Interp<'_>, o: Obj, _name: &str, args: Args, _kw: Kwargs) -> R<Value> {
    let t = PyTuple::from_obj(o).expect("tuple");
    arg_range("index", &args, 1, 3)?;
    me.charge(t.len())?;
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

/// `tuple.count(x)`.
fn count(me: &mut Interp<'_>, o: Obj, _name: &str, args: Args, _kw: Kwargs) -> R<Value> {
    let t = PyTuple::from_obj(o).expect("tuple");
    one_arg("tuple.count", &args)?;
    me.charge(t.len())?;
    Ok(int_v(t.count(&arg_obj(&args[0])?)? as i64))
}
