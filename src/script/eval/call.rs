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
        let mut locals = Vec::with_capacity(code.locals.len());
        locals.extend(args.into_iter().map(Some));
        locals.resize(code.locals.len(), None);
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
    let missing: Vec<&str> = func.def.code.locals[given..n]
        .iter()
        .map(|s| &**s)
        .collect();
    missing_arguments(&func.name, &missing)
}

/// `missing_arguments` (`Python/ceval.c`): `f() missing 2 required positional arguments:
/// 'a' and 'b'` (three or more names are listed `'a', 'b', and 'c'`).
pub(crate) fn missing_arguments(func: &str, missing: &[&str]) -> Fault {
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
        "{func}() missing {} required positional argument{}: {list}",
        quoted.len(),
        if quoted.len() == 1 { "" } else { "s" }
    ))
}
