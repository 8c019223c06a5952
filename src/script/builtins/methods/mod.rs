//! Method calls: `LOAD_METHOD`'s check and the dispatch to each type's methods.

use super::*;

mod dict;
mod list;
mod str;

impl Interp<'_> {
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
}

pub(super) fn method_exists(tag: TypeTag, name: &str) -> bool {
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
