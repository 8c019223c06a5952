//! Names: ceval's `LOAD_FAST` / `LOAD_DEREF` / `LOAD_NAME` / `LOAD_GLOBAL` and `STORE_*`
//! (`Python/ceval.c`), and the `NameError` they raise with the "Did you mean" that
//! `Python/suggestions.c` adds when the traceback is printed.

use super::*;

impl Interp<'_> {
    /// The slot of `name` among `__main__`'s first keys, if it is still there.
    pub(super) fn main_global(&self, name: &str) -> Option<usize> {
        let i = self.main_globals.iter().position(|&g| g == name)?;
        (!self.main_deleted[i]).then_some(i)
    }

    /// The keys of the module's dict, in its order: the first keys CPython put there, then
    /// the script's (a script's assignment to `__doc__` keeps its place).
    fn global_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .main_globals
            .iter()
            .zip(&self.main_deleted)
            .filter(|(_, deleted)| !**deleted)
            .map(|(g, _)| *g)
            .collect();
        let first = names.len();
        for k in self.globals.keys_in_order() {
            if !names[..first].contains(&k) {
                names.push(k);
            }
        }
        names
    }

    /// A `NameError` for `id` raised in frame `f`, with the suggestion CPython's traceback
    /// printer would add (the frame's `co_varnames`, the globals, the builtins).
    pub(super) fn name_error(&self, f: &Frame, id: &str, msg: String) -> Fault {
        let s = suggest::for_name_error(id, &f.code.varnames, &self.global_names());
        Fault::Py(PyErr::new(ExcKind::NameError, msg).with_suggestion(s))
    }

    /// A global name with no value: what CPython has there the runner does not model
    /// (`__file__`, `map`) is refused; anything else is a `NameError`.
    fn missing_global(&self, f: &Frame, id: &str) -> Fault {
        if self.main_global(id).is_some() {
            Fault::Unsupported(format!("the module global {id}"))
        } else if suggest::is_builtin(id) {
            Fault::Unsupported(format!("the builtin {id}"))
        } else {
            self.name_error(f, id, format!("name '{id}' is not defined"))
        }
    }

    pub(super) fn load_name(&mut self, f: &Frame, n: &Name) -> R<Value> {
        match n {
            Name::Local(i, id) => {
                let v = match &f.locals[*i] {
                    Some(Value::Cell(c)) => cell_get(c),
                    other => other.clone(),
                };
                v.ok_or_else(|| self.unbound(f, *i, id))
            }
            Name::Global(id) => match self.globals.get(id) {
                Some(v) => Ok(v.clone()),
                None => Builtin::lookup(id).ok_or_else(|| self.missing_global(f, id)),
            },
        }
    }

    pub(super) fn store_name(&mut self, f: &mut Frame, n: &Name, v: Value) -> R<()> {
        if self.trace.is_some()
            && let Value::Obj(o) = &v
        {
            // The value is still on the "stack": the count the name will leave is one less.
            self.trace_line(format_args!(
                "bind {}{} -> {} at {:#x} (refcnt {} once bound)",
                n.ident(),
                if matches!(n, Name::Local(..)) {
                    " (local)"
                } else {
                    ""
                },
                o.type_name(),
                o.id(),
                o.refcnt()
            ));
        }
        match n {
            Name::Global(id) => {
                let old = self.globals.insert(id.clone(), v);
                drop(old);
            }
            Name::Local(i, _) => {
                let old = match &f.locals[*i] {
                    Some(Value::Cell(c)) => cell_set(c, Some(v)),
                    _ => f.locals[*i].replace(v),
                };
                drop(old);
            }
        }
        Ok(())
    }

    /// `del` of slot `i`: its value goes (a cell's contents, for a cell or free variable).
    pub(super) fn delete_local(&mut self, f: &mut Frame, i: usize, id: &str) -> R<()> {
        let old = match &f.locals[i] {
            Some(Value::Cell(c)) => cell_set(c, None),
            _ => f.locals[i].take(),
        };
        match old {
            Some(_) => Ok(()),
            None => Err(self.unbound(f, i, id)),
        }
    }

    /// The error of reading slot `i` while it has no value: `UnboundLocalError` for the
    /// frame's own variables, `NameError` for a free variable (`format_exc_unbound`).
    fn unbound(&self, f: &Frame, i: usize, id: &str) -> Fault {
        if f.code.freevars.iter().any(|&(s, _)| s == i) {
            self.name_error(
                f,
                id,
                format!(
                    "cannot access free variable '{id}' where it is not associated with a value \
                     in enclosing scope"
                ),
            )
        } else {
            exc(
                ExcKind::UnboundLocalError,
                format!(
                    "cannot access local variable '{id}' where it is not associated with a value"
                ),
            )
        }
    }
}
