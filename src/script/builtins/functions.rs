//! The builtin functions of general use: `print`, `len`, `sorted`, `min`, `sum`, ...
//! (`Python/bltinmodule.c`). Each is an entry of the registry (`registry.rs`), which checks
//! keywords and the argument count before calling it.

use super::*;

/// `print(*args, sep=' ', end='\n')`.
pub(super) fn print(me: &mut Interp<'_>, args: Args, kw: Kwargs) -> R<Value> {
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
    me.print_parser_init();
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
            me.print_write(|_| Ok(()))?;
            line.push_str(&sep);
        }
        let text = me.print_write(|me| me.str_value(a))?;
        line.push_str(&text);
    }
    me.print_write(|_| Ok(()))?;
    line.push_str(&end);
    me.write_stdout(&line)?;
    Ok(none_v())
}

/// `len(x)`.
pub(super) fn len(me: &mut Interp<'_>, args: Args, _kw: Kwargs) -> R<Value> {
    Ok(int_v(me.len_of(&args[0])? as i64))
}

/// `chr(i)`.
pub(super) fn chr(_me: &mut Interp<'_>, args: Args, _kw: Kwargs) -> R<Value> {
    let i = i64::from(as_c_int(&args[0])?);
    if (0xd800..0xe000).contains(&i) {
        return Err(Fault::Unsupported(
            "surrogate code points (chr(0xD800..0xDFFF))".into(),
        ));
    }
    Ok(obj(PyStr::from_code_point(i)?.into_obj()))
}

/// `ord(c)`.
pub(super) fn ord(_me: &mut Interp<'_>, args: Args, _kw: Kwargs) -> R<Value> {
    match as_str(&args[0]) {
        Some(s) => Ok(int_v(s.ord()? as i64)),
        None => Err(type_err(format!(
            "ord() expected string of length 1, but {} found",
            args[0].type_name()
        ))),
    }
}

/// `hash(x)`.
pub(super) fn hash(_me: &mut Interp<'_>, args: Args, _kw: Kwargs) -> R<Value> {
    match &args[0] {
        Value::Obj(o) => Ok(int_v(ops::hash(o)? as i64)),
        Value::View(_) => Err(type_err(format!(
            "unhashable type: '{}'",
            args[0].type_name()
        ))),
        Value::Range(r) => {
            // range_hash: hash((len, start, step)), with None for the start and step of an
            // empty range and the step of a one-item range; the 3-tuple is allocated (and
            // freed) on the way, as PyTuple_New(3) is.
            let (a, s, n) = (&r.start, &r.step, &r.len);
            let none = crate::types::none::none();
            let t = PyTuple::new(vec![none.clone(), none.clone(), none.clone()]);
            let hn = ops::hash(&none)? as i64;
            let h = crate::hash::hash_tuple(&[
                crate::hash::hash_bigint(n),
                if r.is_empty() {
                    hn
                } else {
                    crate::hash::hash_bigint(a)
                },
                if *n <= BigInt::from(1) {
                    hn
                } else {
                    crate::hash::hash_bigint(s)
                },
            ]);
            drop(t);
            Ok(obj(ops::int_obj(BigInt::from(h))))
        }
        other => Err(Fault::Unsupported(format!(
            "hash() of a {} (its hash is its address in CPython)",
            other.type_name()
        ))),
    }
}

/// `id(x)`.
pub(super) fn id(_me: &mut Interp<'_>, args: Args, _kw: Kwargs) -> R<Value> {
    Ok(obj(ops::int_obj(BigInt::from(args[0].identity()))))
}

/// `repr(x)`.
pub(super) fn repr(me: &mut Interp<'_>, args: Args, _kw: Kwargs) -> R<Value> {
    // cfunction_vectorcall_O counts the call itself against the limit.
    let _call = crate::types::ops::enter_recursive_call(" while calling a Python object")?;
    let s = me.repr_value(&args[0])?;
    Ok(obj(PyStr::new_uncached(&s).into_obj()))
}

/// `sorted(iterable, *, key=None, reverse=False)`.
pub(super) fn sorted(me: &mut Interp<'_>, args: Args, kw: Kwargs) -> R<Value> {
    // builtin_sorted copies the iterable first and hands the keywords to list.sort after,
    // so `sorted(5, end=1)` is "'int' object is not iterable".
    let l = me.sequence_list(args.into_iter().next().expect("one"))?;
    let (reverse, key) = sort_kwargs(Vec::new(), kw)?;
    me.sort_list(&l, reverse, key)?;
    Ok(obj(l.into_obj()))
}

/// `sum(iterable, /, start=0)`.
pub(super) fn sum(me: &mut Interp<'_>, args: Args, kw: Kwargs) -> R<Value> {
    let mut slots = unpack_keywords("sum", args, kw, 1, &["start"], 1, 2)?;
    let mut start = slots.pop().flatten().unwrap_or_else(|| int_v(0));
    let src = slots.pop().flatten().expect("required");
    // builtin_sum_impl: the iterator first, then the check of `start`.
    let mut it = me.get_iter(src)?;
    if as_str(&start).is_some() {
        return Err(type_err(
            "sum() can't sum strings [use ''.join(seq) instead]",
        ));
    }
    while let Some(x) = me.iter_next(&mut it)? {
        me.charge(1)?;
        let acc = start.into_obj()?;
        start = obj(ops::binary_op(
            crate::script::ast::BinOp::Add,
            &acc,
            &x,
            me.mem_budget(),
        )?);
    }
    Ok(start)
}

/// `isinstance(obj, class_or_tuple)`.
pub(super) fn isinstance(_me: &mut Interp<'_>, args: Args, _kw: Kwargs) -> R<Value> {
    let tag = args[0].type_tag();
    // object_isinstance / object_recursive_isinstance: a tuple is searched item by item,
    // nested tuples too.
    fn matches(tag: TypeTag, ts: &[Value]) -> bool {
        ts.iter().any(|t| match t {
            Value::Type(tt) => tag.is_subtype(*tt),
            Value::Types(inner) => matches(tag, inner),
            _ => false,
        })
    }
    let check = |t: &Value| -> R<bool> {
        match t {
            Value::Type(tt) => Ok(tag.is_subtype(*tt)),
            Value::Types(ts) => Ok(matches(tag, ts)),
            // `()`: no type to match. (A tuple holding anything but types is
            // refused before it gets here, or raises below.)
            Value::Obj(o) if PyTuple::from_obj(o.clone()).is_ok_and(|t| t.is_empty()) => Ok(false),
            _ => Err(type_err(
                "isinstance() arg 2 must be a type, a tuple of types, or a union",
            )),
        }
    };
    Ok(bool_v(check(&args[1])?))
}

/// `min(iterable, *[, default, key])` / `min(a, b, *args[, key])`.
pub(super) fn min(me: &mut Interp<'_>, args: Args, kw: Kwargs) -> R<Value> {
    me.min_max(false, args, kw)
}

/// `max(...)`, as `min`.
pub(super) fn max(me: &mut Interp<'_>, args: Args, kw: Kwargs) -> R<Value> {
    me.min_max(true, args, kw)
}

/// `any(iterable)`.
pub(super) fn any(me: &mut Interp<'_>, args: Args, _kw: Kwargs) -> R<Value> {
    me.any_all(true, args)
}

/// `all(iterable)`.
pub(super) fn all(me: &mut Interp<'_>, args: Args, _kw: Kwargs) -> R<Value> {
    me.any_all(false, args)
}

impl Interp<'_> {
    fn min_max(&mut self, max: bool, args: Args, kw: Kwargs) -> R<Value> {
        let name = if max { "max" } else { "min" };
        if args.is_empty() {
            return Err(type_err(format!(
                "{name} expected at least 1 argument, got 0"
            )));
        }
        // `PyArg_ParseTupleAndKeywords(…, "|$OO:max", …)` counts before it checks names.
        if kw.len() > 2 {
            return Err(type_err(format!(
                "{name}() takes at most 2 keyword arguments ({} given)",
                kw.len()
            )));
        }
        if let Some((k, _)) = kw.iter().find(|(k, _)| !matches!(&**k, "key" | "default")) {
            return Err(type_err(format!(
                "'{k}' is an invalid keyword argument for {name}()"
            )));
        }
        let mut keyfunc = None;
        let mut default = None;
        for (k, v) in kw {
            if &*k == "key" {
                // `key=None` is no key.
                keyfunc = (!v.as_obj().is_some_and(none::is_none)).then_some(v);
            } else {
                default = Some(v);
            }
        }
        if args.len() > 1 && default.is_some() {
            return Err(type_err(format!(
                "Cannot specify a default for {name}() with multiple positional arguments"
            )));
        }
        // (item, its key): min_max keeps both and compares the keys. It walks the iterator an
        // item at a time: an item that is not the best so far goes at once.
        let mut best: Option<(Obj, Obj)> = None;
        if args.len() == 1 {
            let mut it = self.get_iter(args.into_iter().next().expect("one"))?;
            while let Some(x) = self.iter_next(&mut it)? {
                self.charge(1)?;
                best = Some(self.min_max_step(max, keyfunc.as_ref(), best, x)?);
            }
        } else {
            for a in args {
                best = Some(self.min_max_step(max, keyfunc.as_ref(), best, a.into_obj()?)?);
            }
        }
        match (best, default) {
            (Some((b, _)), _) => Ok(Value::Obj(b)),
            (None, Some(d)) => Ok(d),
            (None, None) => Err(exc(
                ExcKind::ValueError,
                format!("{name}() arg is an empty sequence"),
            )),
        }
    }

    /// One item of `min`/`max`: its key, compared with the best so far (`item > maxitem` for
    /// max, `item < maxitem` for min).
    fn min_max_step(
        &mut self,
        max: bool,
        keyfunc: Option<&Value>,
        best: Option<(Obj, Obj)>,
        x: Obj,
    ) -> R<(Obj, Obj)> {
        let kx = match keyfunc {
            Some(f) => self
                .call(f.clone(), vec![Value::Obj(x.clone())], Vec::new())?
                .into_obj()?,
            None => x.clone(),
        };
        let Some((b, kb)) = best else {
            return Ok((x, kx));
        };
        let better = if max {
            ops::compare(crate::script::ast::CmpOp::Gt, &kx, &kb)?
        } else {
            ops::less(&kx, &kb)?
        };
        // The loser goes at once, in min_max's order.
        if better {
            drop(kb);
            drop(b);
            Ok((x, kx))
        } else {
            drop(x);
            drop(kx);
            Ok((b, kb))
        }
    }

    pub(crate) fn len_of(&mut self, v: &Value) -> R<usize> {
        match v {
            Value::Types(ts) => Ok(ts.len()),
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
            Value::Range(r) => match usize::try_from(&r.len) {
                Ok(n) if n <= isize::MAX as usize => Ok(n),
                _ => Err(exc(
                    ExcKind::OverflowError,
                    "Python int too large to convert to C ssize_t",
                )),
            },
            Value::View(vw) => Ok(PyDict::from_obj(vw.value.0.clone()).expect("dict").len()),
            other => Err(type_err(format!(
                "object of type '{}' has no len()",
                other.type_name()
            ))),
        }
    }

    /// `any` (`want` true) or `all`: the first item whose truth is `want` decides.
    fn any_all(&mut self, want: bool, args: Args) -> R<Value> {
        let mut it = self.get_iter(args.into_iter().next().expect("one"))?;
        while let Some(x) = self.iter_next(&mut it)? {
            self.step()?;
            if ops::truthy(&x)? == want {
                return Ok(bool_v(want));
            }
        }
        Ok(bool_v(!want))
    }
}
