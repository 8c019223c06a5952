//! Calling a Python function: `_PyEval_Vector` making a frame with the arguments as its
//! first fast locals, and the argument-count `TypeError`s of `Python/ceval.c`
//! (`too_many_positional`, `missing_arguments`).

use super::*;

impl Interp<'_> {
    /// Whether the code making the current call is quickened: there 3.11's specialized call
    /// instructions (`PRECALL_NO_KW_STR_1`, ...) skip the argument tuple `type_call` makes.
    #[inline]
    pub(crate) fn caller_quickened(&self) -> bool {
        self.caller_quickened
    }

    /// Call a Python function.
    pub(crate) fn call_function(&mut self, func: &Rc<Function>, args: Vec<Value>) -> R<Value> {
        let def = &func.def;
        if args.len() != def.nparams {
            return Err(arity_error(func, args.len()));
        }
        self.enter()?;
        let code = def.code.clone();
        code.warm();
        let mut frame = Frame {
            code: &code,
            locals: Vec::with_capacity(code.locals.len()),
            parent: None,
            line: 0,
        };
        frame.locals.extend(args.into_iter().map(Some));
        frame.locals.resize(code.locals.len(), None);
        let r = self.exec_block(&mut frame, &code.body);
        self.leave();
        match r {
            Ok(Flow::Return(v)) => Ok(v),
            Ok(_) => Ok(Value::Obj(none::none())),
            Err(e) => {
                self.traceback.push((frame.line, code.name.clone()));
                Err(e)
            }
        }
    }
}

fn arity_error(func: &Function, given: usize) -> Fault {
    let n = func.def.nparams;
    if given > n {
        return type_err(format!(
            "{}() takes {n} positional argument{} but {given} {} given",
            func.name,
            if n == 1 { "" } else { "s" },
            if given == 1 { "was" } else { "were" }
        ));
    }
    let missing: Vec<String> = func.def.code.locals[given..n]
        .iter()
        .map(|s| format!("'{s}'"))
        .collect();
    let list = match missing.len() {
        1 => missing[0].clone(),
        2 => format!("{} and {}", missing[0], missing[1]),
        _ => format!(
            "{}, and {}",
            missing[..missing.len() - 1].join(", "),
            missing[missing.len() - 1]
        ),
    };
    type_err(format!(
        "{}() missing {} required positional argument{}: {list}",
        func.name,
        missing.len(),
        if missing.len() == 1 { "" } else { "s" }
    ))
}
