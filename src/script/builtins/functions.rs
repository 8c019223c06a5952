//! The builtin functions and those of `sys` and `gc`.

use super::*;

impl Interp<'_> {
    pub(super) fn call_builtin(&mut self, b: Builtin, args: Args, kw: Kwargs) -> R<Value> {
        let name = b.name();
        match b {
            Builtin::Print
            | Builtin::Sorted
            | Builtin::Min
            | Builtin::Max
            | Builtin::Sum
            | Builtin::Enumerate
            | Builtin::Zip
            | Builtin::Round
            | Builtin::SysGetsizeof
            | Builtin::GcCollect => {}
            // METH_VARARGS: cfunction_call names the bare method.
            Builtin::GcSetThreshold => no_kwargs(name, &kw)?,
            _ => no_kwargs(&b.qualname(), &kw)?,
        }
        // min, max, sys.getsizeof and gc.set_threshold are METH_VARARGS in 3.11.
        let _varargs = match b {
            Builtin::Min | Builtin::Max | Builtin::SysGetsizeof | Builtin::GcSetThreshold => {
                varargs_tuple(&args)
            }
            _ => None,
        };
        match b {
            Builtin::Print => {
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
                self.print_parser_init();
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
                        self.print_write(|_| Ok(()))?;
                        line.push_str(&sep);
                    }
                    let text = self.print_write(|me| me.str_value(a))?;
                    line.push_str(&text);
                }
                self.print_write(|_| Ok(()))?;
                line.push_str(&end);
                self.out.write_all(line.as_bytes()).map_err(|e| {
                    Fault::Output(
                        (e.kind() != std::io::ErrorKind::BrokenPipe).then(|| e.to_string()),
                    )
                })?;
                Ok(none_v())
            }
            Builtin::Len => {
                if args.len() != 1 {
                    return Err(type_err(format!(
                        "len() takes exactly one argument ({} given)",
                        args.len()
                    )));
                }
                Ok(int_v(self.len_of(&args[0])? as i64))
            }
            Builtin::Chr => {
                one_arg("chr", &args)?;
                let i = i64::from(as_c_int(&args[0])?);
                if (0xd800..0xe000).contains(&i) {
                    return Err(Fault::Unsupported(
                        "surrogate code points (chr(0xD800..0xDFFF))".into(),
                    ));
                }
                Ok(obj(PyStr::from_code_point(i)?.into_obj()))
            }
            Builtin::Ord => {
                one_arg("ord", &args)?;
                match as_str(&args[0]) {
                    Some(s) => Ok(int_v(s.ord()? as i64)),
                    None => Err(type_err(format!(
                        "ord() expected string of length 1, but {} found",
                        args[0].type_name()
                    ))),
                }
            }
            Builtin::Hash => {
                one_arg("hash", &args)?;
                match &args[0] {
                    Value::Obj(o) => Ok(int_v(ops::hash(o)? as i64)),
                    Value::View(_) => Err(type_err(format!(
                        "unhashable type: '{}'",
                        args[0].type_name()
                    ))),
                    other => Err(Fault::Unsupported(format!(
                        "hash() of a {} (its hash is its address in CPython)",
                        other.type_name()
                    ))),
                }
            }
            Builtin::Id => {
                one_arg("id", &args)?;
                Ok(obj(ops::int_obj(BigInt::from(args[0].identity()))))
            }
            Builtin::Repr => {
                one_arg("repr", &args)?;
                // cfunction_vectorcall_O counts the call itself against the limit.
                let _call =
                    crate::types::ops::enter_recursive_call(" while calling a Python object")?;
                let s = self.repr_value(&args[0])?;
                Ok(obj(PyStr::new_uncached(&s).into_obj()))
            }
            Builtin::Sorted => {
                if args.len() != 1 {
                    return Err(type_err(format!(
                        "sorted expected 1 argument, got {}",
                        args.len()
                    )));
                }
                let reverse = sort_kwargs(Vec::new(), kw)?;
                let l = self.sequence_list(args.into_iter().next().expect("one"))?;
                self.charge(l.len() * 4)?;
                l.sort(reverse)?;
                Ok(obj(l.into_obj()))
            }
            Builtin::Min | Builtin::Max => self.min_max(b == Builtin::Max, args, kw),
            Builtin::Sum => {
                let mut slots = unpack_keywords("sum", args, kw, 1, &["start"], 1, 2)?;
                let mut start = slots.pop().flatten().unwrap_or_else(|| int_v(0));
                let src = slots.pop().flatten().expect("required");
                if as_str(&start).is_some() {
                    return Err(type_err(
                        "sum() can't sum strings [use ''.join(seq) instead]",
                    ));
                }
                let (items, _, _) = self.collect(src)?;
                for x in items {
                    let acc = start.into_obj()?;
                    start = obj(ops::binary_op(
                        crate::script::ast::BinOp::Add,
                        &acc,
                        &x,
                        self.mem_budget(),
                    )?);
                }
                Ok(start)
            }
            Builtin::Isinstance => {
                if args.len() != 2 {
                    return Err(type_err(format!(
                        "isinstance expected 2 arguments, got {}",
                        args.len()
                    )));
                }
                let tag = args[0].type_tag();
                let check = |t: &Value| -> R<bool> {
                    match t {
                        Value::Type(tt) => Ok(tag.is_subtype(*tt)),
                        Value::Types(ts) => Ok(ts.iter().any(|tt| tag.is_subtype(*tt))),
                        // `()`: no type to match. (A tuple holding anything but types is
                        // refused before it gets here, or raises below.)
                        Value::Obj(o)
                            if PyTuple::from_obj(o.clone()).is_ok_and(|t| t.is_empty()) =>
                        {
                            Ok(false)
                        }
                        _ => Err(type_err(
                            "isinstance() arg 2 must be a type, a tuple of types, or a union",
                        )),
                    }
                };
                Ok(bool_v(check(&args[1])?))
            }
            Builtin::Abs => {
                one_arg("abs", &args)?;
                match args[0].as_obj().and_then(ops::as_num) {
                    Some(ops::Num::Int(i)) => Ok(obj(ops::int_obj(if i.sign() == Sign::Minus {
                        -i
                    } else {
                        i
                    }))),
                    Some(ops::Num::Float(f)) => Ok(obj(ops::float_obj(f.abs()))),
                    None => Err(type_err(format!(
                        "bad operand type for abs(): '{}'",
                        args[0].type_name()
                    ))),
                }
            }
            Builtin::Enumerate => {
                // enum_vectorcall's own binding of (iterable, start).
                let given = args.len() + kw.len();
                if given == 0 {
                    return Err(type_err("enumerate() missing required argument 'iterable'"));
                }
                if given > 2 {
                    return Err(type_err(format!(
                        "enumerate() takes at most 2 arguments ({given} given)"
                    )));
                }
                let mut args = args;
                let mut start_v = None;
                let kw_names: Vec<&str> = kw.iter().map(|(k, _)| &**k).collect();
                let expected: &[&str] = match (given, kw.len()) {
                    (2, 2) if kw_names[0] == "start" => &["start", "iterable"],
                    (2, 2) => &["iterable", "start"],
                    (2, 1) => &["start"],
                    (1, 1) => &["iterable"],
                    _ => &[],
                };
                for ((k, v), want) in kw.into_iter().zip(expected) {
                    if &*k != *want {
                        return Err(type_err(format!(
                            "'{k}' is an invalid keyword argument for enumerate()"
                        )));
                    }
                    if *want == "start" {
                        start_v = Some(v);
                    } else {
                        args.insert(0, v);
                    }
                }
                if args.len() == 2 {
                    start_v = args.pop();
                }
                let start = match &start_v {
                    None => 0,
                    Some(v) => {
                        let Some(i) = v.as_obj().and_then(ops::int_value) else {
                            return Err(type_err(format!(
                                "'{}' object cannot be interpreted as an integer",
                                v.type_name()
                            )));
                        };
                        // CPython counts on in a Python int past the machine range.
                        i128::try_from(&i).map_err(|_| {
                            Fault::Unsupported("enumerate() starting beyond 127 bits".into())
                        })?
                    }
                };
                // enum_new: the object, its iterator of the argument, then
                // `en_result = PyTuple_Pack(2, None, None)`.
                let mut counted = GcCounted::new(Iter::Range(0, 0, 0));
                let inner = self.iter_of(args.into_iter().next().expect("one"))?;
                let inner_gc = inner.count();
                let result = none_tuple(2);
                counted.value = Iter::Enumerate(Box::new(inner), inner_gc, start, result);
                Ok(Value::Iter(Rc::new(RefCell::new(counted))))
            }
            Builtin::Zip => {
                if kw.len() > 1 {
                    return Err(type_err(format!(
                        "zip() takes at most 1 keyword argument ({} given)",
                        kw.len()
                    )));
                }
                if let Some((k, v)) = kw.first() {
                    if &**k != "strict" {
                        return Err(type_err(format!(
                            "'{k}' is an invalid keyword argument for zip()"
                        )));
                    }
                    if self.truthy(v)? {
                        return Err(Fault::Unsupported("zip(strict=True)".into()));
                    }
                }
                let its_args = args;
                // type_call packs the arguments; zip_new makes `ittuple`, an iterator per
                // argument, the result tuple filled with None, then the object.
                let n = its_args.len();
                let call_args = none_tuple(n);
                let ittuple = none_tuple(n);
                let mut its = Vec::new();
                let mut gcs = Vec::new();
                for a in its_args {
                    let it = self.iter_of(a)?;
                    gcs.extend(it.count());
                    its.push(it);
                }
                let result = none_tuple(n);
                let counted = GcCounted::new(Iter::Zip(its, ittuple, gcs, result));
                drop(call_args);
                Ok(Value::Iter(Rc::new(RefCell::new(counted))))
            }
            Builtin::Reversed => {
                arg_range("reversed", &args, 1, 1)?;
                match &args[0] {
                    Value::Obj(o) if o.is_type(&crate::types::list::LIST_TYPE) => {
                        let n = seq_len(o);
                        Ok(Value::Iter(Rc::new(RefCell::new(GcCounted::new(
                            Iter::Reversed(o.clone(), n.checked_sub(1)),
                        )))))
                    }
                    // range_reverse: a range iterator from the last item backwards.
                    Value::Range(r) => {
                        let (a, b, s) = &**r;
                        let n = range_len(*a, *b, *s);
                        let last = *a as i128 + (n as i128 - 1) * *s as i128;
                        match (i64::try_from(last), s.checked_neg()) {
                            (Ok(last), Some(back)) if n > 0 => Ok(Value::Iter(Rc::new(
                                RefCell::new(GcCounted::uncounted(Iter::Range(last, back, n))),
                            ))),
                            _ if n == 0 => Ok(Value::Iter(Rc::new(RefCell::new(
                                GcCounted::uncounted(Iter::Range(0, 1, 0)),
                            )))),
                            _ => Err(Fault::Unsupported(
                                "reversed() of a range with a step of -2**63".into(),
                            )),
                        }
                    }
                    Value::View(_) => Err(Fault::Unsupported("reversed() of a dict view".into())),
                    Value::Obj(o)
                        if o.is_type(&crate::types::tuple::TUPLE_TYPE)
                            || o.is_type(&crate::types::str::STR_TYPE)
                            || o.is_type(&crate::types::dict::DICT_TYPE) =>
                    {
                        Err(Fault::Unsupported(format!(
                            "reversed() of a {} (only lists)",
                            o.type_name()
                        )))
                    }
                    other => Err(type_err(format!(
                        "'{}' object is not reversible",
                        other.type_name()
                    ))),
                }
            }
            Builtin::Iter => {
                arg_range("iter", &args, 1, 2)?;
                if args.len() == 2 {
                    return Err(Fault::Unsupported("iter(callable, sentinel)".into()));
                }
                let v = args.into_iter().next().expect("one");
                if let Value::Iter(_) = v {
                    return Ok(v);
                }
                let it = self.make_iter(v)?;
                let counted = if it.is_gc() {
                    GcCounted::new(it)
                } else {
                    GcCounted::uncounted(it)
                };
                Ok(Value::Iter(Rc::new(RefCell::new(counted))))
            }
            Builtin::Next => {
                arg_range("next", &args, 1, 2)?;
                let Value::Iter(it) = &args[0] else {
                    return Err(type_err(format!(
                        "'{}' object is not an iterator",
                        args[0].type_name()
                    )));
                };
                let r = next_of(&mut it.borrow_mut().value)?;
                match r {
                    Some(x) => Ok(obj(x)),
                    None => match args.get(1) {
                        Some(d) => Ok(d.clone()),
                        None => Err(exc(ExcKind::StopIteration, "")),
                    },
                }
            }
            Builtin::Divmod => {
                if args.len() != 2 {
                    return Err(type_err(format!(
                        "divmod expected 2 arguments, got {}",
                        args.len()
                    )));
                }
                let (a, b) = (arg_obj(&args[0])?, arg_obj(&args[1])?);
                match (ops::as_num(&a), ops::as_num(&b)) {
                    (Some(ops::Num::Int(_)), Some(ops::Num::Int(y))) => {
                        if y.sign() == Sign::NoSign {
                            return Err(exc(
                                ExcKind::ZeroDivisionError,
                                "integer division or modulo by zero",
                            ));
                        }
                        let q = ops::binary_op(
                            crate::script::ast::BinOp::FloorDiv,
                            &a,
                            &b,
                            usize::MAX,
                        )?;
                        let r = ops::binary_op(crate::script::ast::BinOp::Mod, &a, &b, usize::MAX)?;
                        Ok(obj(PyTuple::new(vec![q, r]).into_obj()))
                    }
                    (Some(x), Some(y)) => {
                        let f = |n: ops::Num| match n {
                            ops::Num::Int(i) => ops::int_to_f64(&i),
                            ops::Num::Float(f) => Ok(f),
                        };
                        let (x, y) = (f(x)?, f(y)?);
                        if y == 0.0 {
                            return Err(exc(ExcKind::ZeroDivisionError, "float divmod()"));
                        }
                        let (q, r) = ops::float_divmod(x, y);
                        Ok(obj(PyTuple::new(vec![
                            ops::float_obj(q),
                            ops::float_obj(r),
                        ])
                        .into_obj()))
                    }
                    _ => Err(type_err(format!(
                        "unsupported operand type(s) for divmod(): '{}' and '{}'",
                        a.type_name(),
                        b.type_name()
                    ))),
                }
            }
            Builtin::Round => {
                let slots = unpack_keywords("round", args, kw, 0, &["number", "ndigits"], 1, 2)?;
                let x = arg_obj(slots[0].as_ref().expect("required"))?;
                let nd = match &slots[1] {
                    Some(v) if v.as_obj().is_some_and(none::is_none) => None,
                    Some(v) => Some(match v.as_obj().and_then(ops::int_value) {
                        // Clamped, as PyNumber_AsSsize_t(ndigits, NULL) does.
                        Some(i) => isize::try_from(&i).unwrap_or(if i.sign() == Sign::Minus {
                            isize::MIN
                        } else {
                            isize::MAX
                        }),
                        None => {
                            if ops::as_num(&x).is_none() {
                                return Err(type_err(format!(
                                    "type {} doesn't define __round__ method",
                                    x.type_name()
                                )));
                            }
                            return Err(type_err(format!(
                                "'{}' object cannot be interpreted as an integer",
                                v.type_name()
                            )));
                        }
                    }),
                    None => None,
                };
                // int.__round__ returns the int itself; a bool becomes a plain int.
                let is_bool = x.is_type(&crate::types::int::BOOL_TYPE);
                match (ops::as_num(&x), nd) {
                    (Some(ops::Num::Int(i)), None) if is_bool => Ok(obj(ops::int_obj(i))),
                    (Some(ops::Num::Int(_)), None) => Ok(obj(x)),
                    (Some(ops::Num::Int(i)), Some(n)) => {
                        if n >= 0 {
                            return Ok(obj(if is_bool { ops::int_obj(i) } else { x }));
                        }
                        // 10**-n beyond every digit of i rounds to 0 (CPython computes the
                        // power all the same, slowly).
                        if n.unsigned_abs() as u64 > i.bits() / 3 + 2 {
                            return Ok(int_v(0));
                        }
                        let p = BigInt::from(10).pow(n.unsigned_abs() as u32);
                        let (q, r) = (&i / &p, &i % &p);
                        let (q, r) = if r.sign() == Sign::Minus {
                            (q - 1, r + &p)
                        } else {
                            (q, r)
                        };
                        let twice = &r * 2;
                        let q = if twice > p || (twice == p && (&q % 2) != BigInt::from(0)) {
                            q + 1
                        } else {
                            q
                        };
                        Ok(obj(ops::int_obj(q * p)))
                    }
                    (Some(ops::Num::Float(f)), None) => {
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
                        let r = f.round_ties_even();
                        Ok(obj(ops::int_obj(float_to_bigint(r))))
                    }
                    (Some(ops::Num::Float(f)), Some(n)) => {
                        if !f.is_finite() || n > 323 {
                            return Ok(obj(x));
                        }
                        if n < -308 {
                            return Ok(obj(ops::float_obj(0.0f64.copysign(f))));
                        }
                        let r = if n >= 0 {
                            format!("{:.*}", n as usize, f).parse::<f64>().unwrap_or(f)
                        } else {
                            let p = 10f64.powi((-n) as i32);
                            (f / p).round_ties_even() * p
                        };
                        Ok(obj(ops::float_obj(r)))
                    }
                    _ => Err(type_err(format!(
                        "type {} doesn't define __round__ method",
                        x.type_name()
                    ))),
                }
            }
            Builtin::Any | Builtin::All => {
                one_arg(name, &args)?;
                let want = b == Builtin::Any;
                let mut it = self.get_iter(args.into_iter().next().expect("one"))?;
                while let Some(x) = self.iter_next(&mut it)? {
                    self.step()?;
                    if ops::truthy(&x)? == want {
                        return Ok(bool_v(want));
                    }
                }
                Ok(bool_v(!want))
            }
            Builtin::SysGetsizeof => {
                let slots =
                    unpack_keywords("getsizeof", args, kw, 0, &["object", "default"], 1, 2)?;
                Ok(int_v(match slots[0].as_ref().expect("required") {
                    Value::Obj(o) => o.getsizeof() as i64,
                    Value::Range(..) => 48,
                    Value::View(_) => 40,
                    other => {
                        return Err(Fault::Unsupported(format!(
                            "sys.getsizeof of a {} (not built in pylayout's memory)",
                            other.type_name()
                        )));
                    }
                }))
            }
            Builtin::SysGetrefcount => {
                one_arg("sys.getrefcount", &args)?;
                match &args[0] {
                    Value::Obj(o) => Ok(int_v(o.refcnt() as i64)),
                    other => Err(Fault::Unsupported(format!(
                        "sys.getrefcount of a {} (not built in pylayout's memory)",
                        other.type_name()
                    ))),
                }
            }
            Builtin::SysIntern => {
                one_arg("sys.intern", &args)?;
                match as_str(&args[0]) {
                    Some(s) => Ok(obj(s.intern().into_obj())),
                    None => Err(type_err(format!(
                        "intern() argument must be str, not {}",
                        clinic_type_name(&args[0])
                    ))),
                }
            }
            Builtin::GcCollect => {
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
            Builtin::GcGetCount => {
                no_args("gc.get_count", &args)?;
                let c = crate::gc::get_count();
                Ok(obj(PyTuple::new(
                    c.iter().map(|v| ops::small_int(*v as i64)).collect(),
                )
                .into_obj()))
            }
            Builtin::GcGetThreshold => {
                no_args("gc.get_threshold", &args)?;
                let c = crate::gc::get_threshold();
                Ok(obj(PyTuple::new(
                    c.iter().map(|v| ops::small_int(*v as i64)).collect(),
                )
                .into_obj()))
            }
            Builtin::GcSetThreshold => {
                tuple_arg_range("set_threshold", &args, 1, 3)?;
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
            Builtin::GcEnable => {
                no_args("gc.enable", &args)?;
                crate::gc::enable();
                Ok(none_v())
            }
            Builtin::GcDisable => {
                no_args("gc.disable", &args)?;
                crate::gc::disable();
                Ok(none_v())
            }
            Builtin::GcIsenabled => {
                no_args("gc.isenabled", &args)?;
                Ok(bool_v(crate::gc::isenabled()))
            }
            Builtin::GcIsTracked => {
                one_arg("gc.is_tracked", &args)?;
                Ok(bool_v(match &args[0] {
                    Value::Obj(o) => crate::gc::is_tracked(o),
                    // Static types, ranges and range iterators are not GC objects.
                    Value::Range(..) | Value::Type(_) => false,
                    Value::Iter(it) => it.borrow().value.is_gc(),
                    _ => true,
                }))
            }
            Builtin::GcGetStats => {
                no_args("gc.get_stats", &args)?;
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
        }
    }

    pub(super) fn min_max(&mut self, max: bool, args: Args, kw: Kwargs) -> R<Value> {
        let name = if max { "max" } else { "min" };
        if args.is_empty() {
            return Err(type_err(format!(
                "{name} expected at least 1 argument, got 0"
            )));
        }
        if let Some((k, _)) = kw.iter().find(|(k, _)| !matches!(&**k, "key" | "default")) {
            return Err(type_err(format!(
                "'{k}' is an invalid keyword argument for {name}()"
            )));
        }
        if let Some((k, _)) = kw.first() {
            return Err(Fault::Unsupported(format!("{name}({k}=...)")));
        }
        let items: Vec<Obj> = if args.len() == 1 {
            self.collect(args.into_iter().next().expect("one"))?.0
        } else {
            args.into_iter().map(|a| a.into_obj()).collect::<R<_>>()?
        };
        let mut best: Option<Obj> = None;
        for x in items {
            best = Some(match best {
                None => x,
                Some(b) => {
                    // min_max: `item > maxitem` for max, `item < maxitem` for min.
                    let better = if max {
                        ops::compare(crate::script::ast::CmpOp::Gt, &x, &b)?
                    } else {
                        ops::less(&x, &b)?
                    };
                    if better { x } else { b }
                }
            });
        }
        best.map(Value::Obj).ok_or_else(|| {
            exc(
                ExcKind::ValueError,
                format!("{name}() arg is an empty sequence"),
            )
        })
    }

    pub(crate) fn len_of(&mut self, v: &Value) -> R<usize> {
        match v {
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
            Value::Range(r) => {
                let (a, b, s) = &**r;
                let n = range_len(*a, *b, *s);
                if n > isize::MAX as u64 {
                    return Err(exc(
                        ExcKind::OverflowError,
                        "Python int too large to convert to C ssize_t",
                    ));
                }
                Ok(n as usize)
            }
            Value::View(vw) => Ok(PyDict::from_obj(vw.value.0.clone()).expect("dict").len()),
            other => Err(type_err(format!(
                "object of type '{}' has no len()",
                other.type_name()
            ))),
        }
    }
}
