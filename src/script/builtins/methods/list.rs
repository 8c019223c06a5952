//! The methods of `list` (`Objects/listobject.c`).

use super::super::*;

impl Interp<'_> {
    pub(super) fn list_method(
        &mut self,
        l: PyList,
        name: &str,
        args: Args,
        kw: Kwargs,
    ) -> R<Value> {
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
}
