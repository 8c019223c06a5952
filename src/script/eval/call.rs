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
        func: &Rc<Function>,
        args: Vec<Value>,
        kwargs: Vec<(Rc<str>, Value)>,
    ) -> R<Value> {
        let code = func.def.code.clone();
        let locals = bind_arguments(func, args, kwargs, code.locals.len())?;
        self.enter()?;
        code.warm();
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
    let def = &func.def;
    let names = &def.code.locals;
    let (n, total) = (def.nparams, def.nparams + def.nkwonly);
    let mut locals: Vec<Option<Value>> = Vec::with_capacity(nlocals);
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
                    func.name
                )));
            }
            Some(i) => locals[i] = Some(v),
            None => match &kwdict {
                Some(d) => d.set_item(PyStr::new(&k).into_obj(), v.into_obj()?)?,
                None if names[..def.nposonly].iter().any(|p| **p == *k) => {
                    return Err(type_err(format!(
                        "{}() got some positional-only arguments passed as keyword arguments: \
                         '{k}'",
                        func.name
                    )));
                }
                None => {
                    return Err(type_err(format!(
                        "{}() got an unexpected keyword argument '{k}'",
                        func.name
                    )));
                }
            },
        }
    }
    if argcount > n && !def.varargs {
        return Err(too_many_positional(func, argcount, &locals));
    }
    let defaults = func
        .defaults
        .as_ref()
        .map(|d| PyTuple::from_obj(d.clone()).expect("a tuple").items())
        .unwrap_or_default();
    if argcount < n {
        let first_default = n - defaults.len();
        let missing: Vec<&str> = (argcount..first_default)
            .filter(|&i| locals[i].is_none())
            .map(|i| &*names[i])
            .collect();
        if !missing.is_empty() {
            return Err(missing_arguments(&func.name, &missing, "positional"));
        }
        for i in argcount.max(first_default)..n {
            if locals[i].is_none() {
                locals[i] = Some(Value::Obj(defaults[i - first_default].clone()));
            }
        }
    }
    if def.nkwonly > 0 {
        let kwdefaults = func
            .kwdefaults
            .as_ref()
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
            return Err(missing_arguments(&func.name, &missing, "keyword-only"));
        }
    }
    Ok(locals)
}

/// `too_many_positional`: `f() takes 2 positional arguments but 3 were given`, `from 1 to
/// 2` with defaults, and the keyword-only arguments given, if any.
fn too_many_positional(func: &Function, given: usize, locals: &[Option<Value>]) -> Fault {
    let def = &func.def;
    let n = def.nparams;
    let ndefaults = func
        .defaults
        .as_ref()
        .map_or(0, |d| PyTuple::from_obj(d.clone()).expect("a tuple").len());
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
        func.name,
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
