//! Type constructors: `int()`, `str()`, `list()`, `dict()`, ... as `type_call` runs them.

use super::*;

impl Interp<'_> {
    // ---- constructors ----

    pub(super) fn construct(&mut self, t: TypeTag, args: Args, kw: Kwargs) -> R<Value> {
        // object_new: any argument at all, positional or keyword.
        if t == TypeTag::Object && (!args.is_empty() || !kw.is_empty()) {
            return Err(type_err("object() takes no arguments"));
        }
        if !matches!(
            t,
            TypeTag::Dict | TypeTag::Int | TypeTag::Str | TypeTag::Type
        ) {
            no_kwargs(t.name(), &kw)?;
        }
        // int() and str() have no vectorcall in 3.11: type_call passes an argument tuple —
        // except `str(x)` in quickened code, where PRECALL_NO_KW_STR_1 calls PyObject_Str.
        let specialized = t == TypeTag::Str && args.len() == 1 && self.caller_quickened();
        let _varargs = match t {
            TypeTag::Int | TypeTag::Str if !specialized => varargs_tuple(&args),
            _ => None,
        };
        match t {
            TypeTag::Exc(k) => {
                let objs = args
                    .into_iter()
                    .map(Value::into_obj)
                    .collect::<R<Vec<_>>>()?;
                Ok(Value::Exc(crate::script::eval::instantiate(k, objs)))
            }
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
                    return Ok(obj(ops::int_obj(float_to_int(f.value().trunc())?)));
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
                // list_vectorcall: the list first (`PyType_GenericAlloc`), room for a sized
                // iterable's items (`list___init__`), then `list_extend`. On failure the
                // list goes as any list does (to the free list, still counted).
                let l = PyList::new_from_type();
                // 3.13 sends a dict or a view to `list_extend_dict` without the exact room.
                if matches!(a, Value::Obj(_) | Value::Range(_) | Value::View(_))
                    && !super::iter::dict_extend_path(&a)
                {
                    let n = self.len_of(&a)?;
                    self.check_memory(n as u128 * 8)?;
                    l.preallocate(n);
                }
                self.extend_list(&l, a)?;
                Ok(obj(l.into_obj()))
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
                Ok(obj(self.sequence_tuple(a)?.into_obj()))
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
                    v.push(i);
                }
                let mut v = v.into_iter();
                let (a, b, s) = match (v.next(), v.next(), v.next()) {
                    (Some(b), None, _) => (BigInt::from(0), b, BigInt::from(1)),
                    (Some(a), Some(b), None) => (a, b, BigInt::from(1)),
                    (Some(a), Some(b), Some(s)) => (a, b, s),
                    _ => unreachable!("arg_range checked 1 to 3"),
                };
                if s == BigInt::from(0) {
                    return Err(exc(ExcKind::ValueError, "range() arg 3 must not be zero"));
                }
                Ok(Value::Range(Rc::new(RangeObj::new(a, b, s))))
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

    pub(super) fn update_from_pairs(&mut self, d: &PyDict, src: Value) -> R<()> {
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
}
