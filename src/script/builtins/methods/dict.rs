//! The methods of `dict` (`Objects/dictobject.c`).

use super::super::*;

impl Interp<'_> {
    pub(super) fn dict_method(
        &mut self,
        d: PyDict,
        name: &str,
        args: Args,
        kw: Kwargs,
    ) -> R<Value> {
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
        let (keys, _, _) = self.collect(src)?;
        Ok(obj(PyDict::fromkeys(keys, value, source)?.into_obj()))
    }
}
