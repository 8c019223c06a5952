//! Calling a Python function: `_PyEval_Vector` making a frame whose first fast locals are the
//! arguments, bound as `initialize_locals` (`Python/ceval.c`) binds them — the `**kwargs`
//! dict, the positional arguments, the `*args` tuple, the keywords, then the defaults — with
//! its argument errors (`too_many_positional`, `missing_arguments`, unexpected and repeated
//! keywords).

use super::*;

impl Interp<'_> {
    /// Whether the code making the current call is quickened: there 3.11's specialized call
    /// instructions (`PRECALL_NO_KW_STR_1`, ...) skip the argument tuple `type_call` makes.
    #[inline]
    pub(crate) fn caller_quickened(&self) -> bool {
        self.caller_quickened
    }

    /// Call a Python function with positional arguments `args` and keywords `kwargs`.
    pub(crate) fn call_function(
        &mut self,
        func: &Function,
        args: Vec<Value>,
        kwargs: Vec<(Rc<str>, Value)>,
    ) -> R<Value> {
        let code = func.def().code.clone();
        let mut locals = bind_arguments(func, args, kwargs, code.locals.len())?;
        if code.generator {
            return Ok(self.generator_call(func, locals));
        }
        self.enter()?;
        code.warm();
        stmt::init_cells(&code, &mut locals, func.closure());
        let mut frame = Frame::new(&code, locals, None);
        let r = self.exec_block(&mut frame, &code.body);
        let r = r.map_err(|e| self.unwind(&mut frame, e));
        self.leave();
        self.frame_exit(frame)?;
        match r? {
            Flow::Return(v) => Ok(v),
            _ => Ok(Value::Obj(none::none())),
        }
    }
}

/// `initialize_locals`: the frame's fast locals (`nlocals` of them) from the arguments.
fn bind_arguments(
    func: &Function,
    args: Vec<Value>,
    kwargs: Vec<(Rc<str>, Value)>,
    nlocals: usize,
) -> R<Vec<Option<Value>>> {
    let def = func.def();
    let mut locals: Vec<Option<Value>> = Vec::with_capacity(nlocals);
    // The common call: exactly the positional parameters, nothing else to bind.
    if kwargs.is_empty()
        && args.len() == def.nparams
        && def.nkwonly == 0
        && !def.varargs
        && !def.varkw
    {
        locals.extend(args.into_iter().map(Some));
        locals.resize(nlocals, None);
        return Ok(locals);
    }
    let names = &def.code.locals;
    let (n, total) = (def.nparams, def.nparams + def.nkwonly);
    locals.resize(nlocals, None);
    // The `**kwargs` dict comes first (`PyDict_New`), then the positional arguments.
    let kwdict = def.varkw.then(PyDict::new);
    if let Some(d) = &kwdict {
        let at = total + usize::from(def.varargs);
        locals[at] = Some(Value::Obj(d.clone().into_obj()));
    }
    let argcount = args.len();
    let mut args = args.into_iter();
    for (slot, a) in locals.iter_mut().zip(args.by_ref().take(n)) {
        *slot = Some(a);
    }
    if def.varargs {
        let extra = args.map(Value::into_obj).collect::<R<Vec<Obj>>>()?;
        locals[total] = Some(Value::Obj(PyTuple::new(extra).into_obj()));
    }
    for (k, v) in kwargs {
        let at = names[def.nposonly..total].iter().position(|p| **p == *k);
        match at.map(|i| i + def.nposonly) {
            Some(i) if locals[i].is_some() => {
                return Err(type_err(format!(
                    "{}() got multiple values for argument '{k}'",
                    func.def().code.qualname
                )));
            }
            Some(i) => locals[i] = Some(v),
            None => match &kwdict {
                Some(d) => d.set_item(PyStr::new(&k).into_obj(), v.into_obj()?)?,
                None if names[..def.nposonly].iter().any(|p| **p == *k) => {
                    return Err(type_err(format!(
                        "{}() got some positional-only arguments passed as keyword arguments: \
                         '{k}'",
                        func.def().code.qualname
                    )));
                }
                None => {
                    return Err(type_err(format!(
                        "{}() got an unexpected keyword argument '{k}'",
                        func.def().code.qualname
                    )));
                }
            },
        }
    }
    if argcount > n && !def.varargs {
        return Err(too_many_positional(func, argcount, &locals));
    }
    let defaults = func
        .defaults()
        .map(|d| PyTuple::from_obj(d.clone()).expect("a tuple").items())
        .unwrap_or_default();
    if argcount < n {
        let first_default = n - defaults.len();
        let missing: Vec<&str> = (argcount..first_default)
            .filter(|&i| locals[i].is_none())
            .map(|i| &*names[i])
            .collect();
        if !missing.is_empty() {
            return Err(missing_arguments(
                &func.def().code.qualname,
                &missing,
                "positional",
            ));
        }
        for i in argcount.max(first_default)..n {
            if locals[i].is_none() {
                locals[i] = Some(Value::Obj(defaults[i - first_default].clone()));
            }
        }
    }
    if def.nkwonly > 0 {
        let kwdefaults = func
            .kwdefaults()
            .map(|d| PyDict::from_obj(d.clone()).expect("a dict"));
        let mut missing = Vec::new();
        for i in n..total {
            if locals[i].is_some() {
                continue;
            }
            let key = PyStr::new(&names[i]).into_obj();
            match kwdefaults.as_ref().and_then(|d| d.get_item(&key).ok()) {
                Some(v) => locals[i] = Some(Value::Obj(v)),
                None => missing.push(&*names[i]),
            }
        }
        if !missing.is_empty() {
            return Err(missing_arguments(
                &func.def().code.qualname,
                &missing,
                "keyword-only",
            ));
        }
    }
    Ok(locals)
}

/// `too_many_positional`: `f() takes 2 positional arguments but 3 were given`, `from 1 to
/// 2` with defaults, and the keyword-only arguments given, if any.
fn too_many_positional(func: &Function, given: usize, locals: &[Option<Value>]) -> Fault {
    let def = func.def();
    let n = def.nparams;
    let ndefaults = func
        .defaults()
        .map_or(0, |d| PyTuple::from_obj(d).expect("a tuple").len());
    let kwonly_given = locals[n..n + def.nkwonly]
        .iter()
        .filter(|v| v.is_some())
        .count();
    let (sig, plural) = if ndefaults > 0 {
        (format!("from {} to {n}", n - ndefaults), true)
    } else {
        (n.to_string(), n != 1)
    };
    let kwonly_sig = if kwonly_given > 0 {
        format!(
            " positional argument{} (and {kwonly_given} keyword-only argument{})",
            if given != 1 { "s" } else { "" },
            if kwonly_given != 1 { "s" } else { "" }
        )
    } else {
        String::new()
    };
    type_err(format!(
        "{}() takes {sig} positional argument{} but {given}{kwonly_sig} {} given",
        func.def().code.qualname,
        if plural { "s" } else { "" },
        if given == 1 && kwonly_given == 0 {
            "was"
        } else {
            "were"
        }
    ))
}

/// `missing_arguments` (`Python/ceval.c`): `f() missing 2 required positional arguments:
/// 'a' and 'b'` (three or more names are listed `'a', 'b', and 'c'`); `kind` is
/// `positional` or `keyword-only`.
pub(crate) fn missing_arguments(func: &str, missing: &[&str], kind: &str) -> Fault {
    let quoted: Vec<String> = missing.iter().map(|s| format!("'{s}'")).collect();
    let list = match quoted.len() {
        1 => quoted[0].clone(),
        2 => format!("{} and {}", quoted[0], quoted[1]),
        _ => format!(
            "{}, and {}",
            quoted[..quoted.len() - 1].join(", "),
            quoted[quoted.len() - 1]
        ),
    };
    type_err(format!(
        "{func}() missing {} required {kind} argument{}: {list}",
        quoted.len(),
        if quoted.len() == 1 { "" } else { "s" }
    ))
}

impl Interp<'_> {
    /// `CALL_FUNCTION_EX`: `f(a, *seq, k=v, **mapping)`. The positional arguments are a
    /// tuple (a lone `*t` of a tuple is `t` itself; otherwise a list is built — the items
    /// before the first star, `LIST_EXTEND`s and `LIST_APPEND`s — and made a tuple), the
    /// keywords a dict (runs of plain keywords as one dict each, `DICT_MERGE`d with the
    /// mappings); both live until the call returns. A call with keywords also passes their
    /// names as a tuple (`_PyStack_UnpackDict`).
    pub(super) fn call_ex(
        &mut self,
        f: &Frame,
        func: &Expr,
        args: &[Expr],
        kwargs: &[(Rc<str>, Expr)],
    ) -> R<Value> {
        let fv = self.eval(f, func)?;
        // A lone `*x` is checked and made a tuple by CALL_FUNCTION_EX itself, after the
        // keywords are evaluated.
        let mut lone = None;
        let callargs = match args {
            [Expr::Starred(x)] => {
                let v = self.eval(f, x)?;
                lone = Some(v);
                PyTuple::empty().into_obj()
            }
            _ if !args.iter().any(|a| matches!(a, Expr::Starred(_))) => {
                // No star: BUILD_TUPLE.
                let mut items = Vec::with_capacity(args.len());
                for a in args {
                    items.push(self.eval(f, a)?.into_obj()?);
                }
                PyTuple::new(items).into_obj()
            }
            _ => {
                let mut before = Vec::new();
                let mut list: Option<Obj> = None;
                for a in args {
                    match a {
                        Expr::Starred(x) => {
                            let l = list.get_or_insert_with(|| {
                                PyList::with_items(std::mem::take(&mut before)).into_obj()
                            });
                            let l = l.clone();
                            let v = self.eval(f, x)?;
                            if !self.is_iterable(&v) {
                                // LIST_EXTEND's own wording.
                                return Err(type_err(format!(
                                    "Value after * must be an iterable, not {}",
                                    v.type_name()
                                )));
                            }
                            self.call_method(Value::Obj(l), "extend", vec![v], Vec::new())?;
                        }
                        other => {
                            let v = self.eval(f, other)?.into_obj()?;
                            match &list {
                                Some(l) => PyList::from_obj(l.clone()).expect("list").append(v),
                                None => before.push(v),
                            }
                        }
                    }
                }
                let l = list.expect("a starred argument");
                let items = PyList::from_obj(l.clone()).expect("list").items();
                let t = PyTuple::new(items).into_obj();
                drop(l);
                t
            }
        };
        let kwdict = if kwargs.is_empty() {
            None
        } else {
            Some(self.keywords_dict(f, &fv, kwargs)?)
        };
        let callargs = match lone {
            Some(v) => self.star_tuple(&fv, v)?,
            None => callargs,
        };
        let args = PyTuple::from_obj(callargs.clone())
            .expect("a tuple")
            .items()
            .into_iter()
            .map(Value::Obj)
            .collect();
        let mut kw = Vec::new();
        if let Some(d) = &kwdict {
            for (k, v) in d.items() {
                let Ok(name) = PyStr::from_obj(k) else {
                    return Err(type_err("keywords must be strings"));
                };
                kw.push((Rc::from(name.to_string()), Value::Obj(v)));
            }
        }
        let _kwnames = (!kw.is_empty())
            .then(|| PyTuple::new(kw.iter().map(|(k, _)| PyStr::new(k).into_obj()).collect()));
        self.caller_quickened = f.code.quickened();
        let r = self.call(fv, args, kw);
        drop(kwdict);
        drop(callargs);
        r
    }

    /// `f(*x)`: a tuple as it is, anything else iterated into one (`PySequence_Tuple`).
    fn star_tuple(&mut self, func: &Value, v: Value) -> R<Obj> {
        if let Value::Obj(o) = &v
            && o.is_type(&crate::types::tuple::TUPLE_TYPE)
        {
            return Ok(o.clone());
        }
        if !self.is_iterable(&v) {
            return Err(not_iterable_after_star(func, &v));
        }
        Ok(self.sequence_tuple(v)?.into_obj())
    }

    /// The keywords of a `CALL_FUNCTION_EX` as one dict.
    fn keywords_dict(&mut self, f: &Frame, func: &Value, kwargs: &[(Rc<str>, Expr)]) -> R<PyDict> {
        let mut dict: Option<PyDict> = None;
        let mut run: Vec<(Obj, Obj)> = Vec::new();
        let flush = |me: &mut Self, dict: &mut Option<PyDict>, run: &mut Vec<(Obj, Obj)>| {
            if run.is_empty() {
                return Ok(());
            }
            let d = PyDict::from_display(std::mem::take(run))?;
            match dict {
                Some(into) => me.dict_merge(func, into, &d)?,
                None => *dict = Some(d),
            }
            Ok::<(), Fault>(())
        };
        for (k, x) in kwargs {
            if &**k == DOUBLE_STAR {
                flush(self, &mut dict, &mut run)?;
                let into = dict.get_or_insert_with(PyDict::new).clone();
                let m = self.eval(f, x)?;
                let Some(m) = m.as_obj().and_then(|o| PyDict::from_obj(o.clone()).ok()) else {
                    return Err(type_err(format!(
                        "{} argument after ** must be a mapping, not {}",
                        function_str(func),
                        m.type_name()
                    )));
                };
                self.dict_merge(func, &into, &m)?;
            } else {
                let v = self.eval(f, x)?.into_obj()?;
                run.push((PyStr::new(k).into_obj(), v));
            }
        }
        flush(self, &mut dict, &mut run)?;
        Ok(dict.expect("keywords make a dict"))
    }

    /// `DICT_MERGE`: a key already there is an error naming the function.
    fn dict_merge(&mut self, func: &Value, into: &PyDict, m: &PyDict) -> R<()> {
        for k in m.keys() {
            if into.contains(&k)? {
                let name = match PyStr::from_obj(k.clone()) {
                    Ok(s) => s.to_string(),
                    Err(k) => crate::types::ops::repr(&k),
                };
                return Err(type_err(format!(
                    "{} got multiple values for keyword argument '{name}'",
                    function_str(func)
                )));
            }
        }
        Ok(into.merge(m)?)
    }
}

/// `_PyObject_FunctionStr`: `__main__.f()`, `print()`, `sys.getsizeof()`, `list.append()`.
fn function_str(v: &Value) -> String {
    if let Some(f) = Function::of(v) {
        return format!("__main__.{}()", f.def().code.qualname);
    }
    match v {
        Value::Builtin(b) => format!("{}()", b.qualname()),
        Value::Type(t) => format!("{}()", t.name()),
        Value::Method(m) => format!("{}.{}()", m.value.recv.type_name(), m.value.name),
        other => format!("{}()", other.type_name()),
    }
}

fn not_iterable_after_star(func: &Value, v: &Value) -> Fault {
    type_err(format!(
        "{} argument after * must be an iterable, not {}",
        function_str(func),
        v.type_name()
    ))
}
