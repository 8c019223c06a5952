//! Statements, as `Python/ceval.c` runs their bytecode: assignment (`STORE_*`,
//! `UNPACK_SEQUENCE`), augmented assignment (`PyNumber_InPlace*`), `del`, `if`, `while` and
//! `for` (`GET_ITER` / `FOR_ITER`, and the `JUMP_BACKWARD`s that warm a code object),
//! `def`, `return`, `import`, `assert`.

use super::operators::mixed_operands;
use super::*;

impl Interp<'_> {
    pub(super) fn exec_block(&mut self, f: &mut Frame, body: &[Stmt]) -> R<Flow> {
        for s in body {
            match self.exec_stmt(f, s)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    pub(super) fn exec_stmt(&mut self, f: &mut Frame, s: &Stmt) -> R<Flow> {
        f.line = s.pos.line;
        f.stmt_span = s.span;
        self.step()?;
        match &s.kind {
            StmtKind::Expr(e) => {
                self.eval(f, e)?;
            }
            StmtKind::Assign(targets, e) => {
                let v = self.eval(f, e)?;
                let (last, rest) = targets.split_last().expect("a target");
                for t in rest {
                    self.store(f, t, v.clone())?;
                }
                self.store(f, last, v)?;
            }
            StmtKind::AugAssign(t, op, e, span) => self.aug_assign(f, t, *op, e, span)?,
            StmtKind::Del(targets, spans) => {
                // Each DELETE_* is at its target.
                for (t, span) in targets.iter().zip(spans) {
                    self.delete(f, t).map_err(|e| self.at(span, e))?;
                }
            }
            StmtKind::If(c, a, b) => {
                let cv = self.eval(f, c)?;
                return if self.truthy(&cv)? {
                    drop(cv);
                    self.exec_block(f, a)
                } else {
                    drop(cv);
                    self.exec_block(f, b)
                };
            }
            StmtKind::While(c, body, orelse) => loop {
                // The test runs on the `while` line again after each pass.
                f.line = s.pos.line;
                f.stmt_span = s.span;
                let cv = self.eval(f, c)?;
                let go = self.truthy(&cv)?;
                drop(cv);
                if !go {
                    return self.exec_block(f, orelse);
                }
                match self.exec_block(f, body)? {
                    Flow::Break => return Ok(Flow::Normal),
                    Flow::Return(v) => return Ok(Flow::Return(v)),
                    // `continue` jumps back to the test: a JUMP_BACKWARD.
                    Flow::Continue => f.code.warm(),
                    // The test repeated at the bottom is a conditional jump, unless it is a
                    // constant: `while True` goes round with a JUMP_BACKWARD.
                    Flow::Normal => {
                        if matches!(c, Expr::Const(_)) {
                            f.code.warm();
                        }
                    }
                }
                self.step()?;
            },
            StmtKind::For(t, it, body, orelse) => {
                let iterable = self.eval(f, it)?;
                let mut iter = self.get_iter(iterable)?;
                loop {
                    self.step()?;
                    // FOR_ITER is on the `for` line (`dictionary changed size` is raised there).
                    f.line = s.pos.line;
                    f.stmt_span = s.span;
                    let Some(item) = self.iter_next(&mut iter)? else {
                        drop(iter);
                        return self.exec_block(f, orelse);
                    };
                    self.store(f, t, Value::Obj(item))?;
                    match self.exec_block(f, body)? {
                        Flow::Break => return Ok(Flow::Normal),
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        // Back to FOR_ITER: a JUMP_BACKWARD.
                        Flow::Normal | Flow::Continue => f.code.warm(),
                    }
                }
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => return self.exec_try(f, body, handlers, orelse, finalbody),
            StmtKind::Raise(e, cause) => return self.exec_raise(f, e.as_ref(), cause.as_ref()),
            StmtKind::Break => return Ok(Flow::Break),
            StmtKind::Continue => return Ok(Flow::Continue),
            StmtKind::Pass => {}
            StmtKind::Def(name, def, d) => {
                let mut obj_of = |e: &Option<Expr>| -> R<Option<Obj>> {
                    match e {
                        Some(e) => Ok(Some(self.eval(f, e)?.into_obj()?)),
                        None => Ok(None),
                    }
                };
                let defaults = obj_of(&d.pos)?;
                let kwdefaults = obj_of(&d.kw)?;
                let func = make_function(f, def, defaults, kwdefaults);
                self.store_name(f, name, func)?;
            }
            StmtKind::Return(e) => {
                let v = match e {
                    Some(e) => self.eval(f, e)?,
                    None => Value::Obj(none::none()),
                };
                return Ok(Flow::Return(v));
            }
            StmtKind::Import { module, attr, name } => {
                let v = match attr {
                    None => Value::Module(*module),
                    Some(a) if *module == Module::Sys && &**a == "maxsize" => {
                        Value::Obj(self.sys_maxsize())
                    }
                    Some(a) if *module == Module::Gc && &**a == "garbage" => {
                        Value::Obj(self.gc_garbage())
                    }
                    Some(a) => match Builtin::of_module(*module, a) {
                        Some(b) => Value::Builtin(b),
                        // IMPORT_FROM: a built-in module has no `__file__` to name.
                        None if !suggest::module_has(*module, a) => {
                            return Err(exc(
                                ExcKind::ImportError,
                                format!(
                                    "cannot import name {} from '{}' (unknown location)",
                                    crate::types::str::repr(a),
                                    module.name()
                                ),
                            ));
                        }
                        None => {
                            return Err(Fault::Unsupported(format!(
                                "{}.{a} (pylayout's {} module has only {})",
                                module.name(),
                                module.name(),
                                crate::script::builtins::module_members(*module)
                            )));
                        }
                    },
                };
                self.store_name(f, name, v)?;
            }
            StmtKind::Assert(c, msg, test_span) => {
                let cv = self.eval(f, c)?;
                if !self.truthy(&cv)? {
                    // RAISE_VARARGS is at a comparison's position, else the statement's.
                    if *test_span != Span::default() {
                        self.err_span = Some(*test_span);
                    }
                    // LOAD_ASSERTION_ERROR, then AssertionError(msg) called (the message
                    // is its one argument, whatever it is) or the class raised as it is.
                    let args = match msg {
                        Some(m) => vec![self.eval(f, m)?.into_obj()?],
                        None => Vec::new(),
                    };
                    let e = exceptions::instantiate(ExcKind::AssertionError, args);
                    return Err(self.raise_exc(e));
                }
            }
        }
        Ok(Flow::Normal)
    }

    fn aug_assign(
        &mut self,
        f: &mut Frame,
        t: &Target,
        op: BinOp,
        e: &Expr,
        target_span: &Span,
    ) -> R<()> {
        match t {
            Target::Name(n) => {
                // The target's LOAD_* is at the target.
                let cur = self.load_name(f, n).map_err(|e| self.at(target_span, e))?;
                let v = self.eval(f, e)?;
                let r = self.inplace(op, cur, v)?;
                self.store_name(f, n, r)
            }
            Target::Subscript(oe, ie, span) => {
                // BINARY_SUBSCR and STORE_SUBSCR are at the target, the operation at the
                // statement.
                let obj = self.eval(f, oe)?;
                let idx = self.eval_index(f, ie)?;
                let cur = self.getitem(&obj, &idx).map_err(|e| self.at(span, e))?;
                let v = self.eval(f, e)?;
                let r = self.inplace(op, Value::Obj(cur), v)?;
                self.setitem(&obj, &idx, r).map_err(|e| self.at(span, e))
            }
            Target::Attr(oe, name, span) => {
                let obj = self.eval(f, oe)?;
                let cur = self
                    .get_attr(obj.clone(), name)
                    .map_err(|e| self.at(span, e))?;
                let v = self.eval(f, e)?;
                let r = self.inplace(op, cur, v)?;
                self.set_attr(&obj, name, Some(r))
                    .map_err(|e| self.at(span, e))
            }
            Target::Tuple(..) | Target::Starred(_) => unreachable!("refused by the compiler"),
        }
    }

    /// `a op= b`, with CPython's `+=` in "unsupported operand" messages.
    fn inplace(&mut self, op: BinOp, a: Value, b: Value) -> R<Value> {
        // PyNumber_InPlaceMultiply: a left operand with sequence slots but no repeat (dict,
        // range, the dict views) never lets the right one repeat itself, unlike `a * b`.
        if op == BinOp::Mul
            && (matches!(a, Value::Range(..) | Value::View(_))
                || matches!(&a, Value::Obj(o) if o.is_type(&crate::types::dict::DICT_TYPE)))
        {
            return Err(type_err(format!(
                "unsupported operand type(s) for *=: '{}' and '{}'",
                a.type_name(),
                b.type_name()
            )));
        }
        self.inplace_op(op, a, b).map_err(|e| match e {
            Fault::Py(mut p) if p.kind == ExcKind::TypeError => {
                // Only an error pays for the message: `s += x` runs in every loop.
                let plain = format!(
                    "unsupported operand type(s) for {}:",
                    if op == BinOp::Pow {
                        "** or pow()"
                    } else {
                        op.symbol()
                    }
                );
                if p.msg.starts_with(&plain) {
                    p.msg = p.msg.replacen(
                        &plain,
                        &format!("unsupported operand type(s) for {}=:", op.symbol()),
                        1,
                    );
                }
                Fault::Py(p)
            }
            other => other,
        })
    }

    /// `a op= b`: lists extend and repeat in place; everything else is the binary operator.
    fn inplace_op(&mut self, op: BinOp, a: Value, b: Value) -> R<Value> {
        if op == BinOp::Mod
            && matches!(&a, Value::Obj(o) if o.is_type(&crate::types::str::STR_TYPE))
        {
            // str has no in-place %: `s %= x` is `s = s % x`.
            return self.binary(op, a, b);
        }
        if op == BinOp::BitOr
            && matches!(&a, Value::Obj(o) if o.is_type(&crate::types::dict::DICT_TYPE))
        {
            return Err(Fault::Unsupported(
                "dict |= ... (the update operator)".into(),
            ));
        }
        if !matches!((&a, &b), (Value::Obj(_), Value::Obj(_)))
            && !matches!(&a, Value::Obj(o) if o.is_type(&crate::types::list::LIST_TYPE))
        {
            return Err(mixed_operands(op, &a, &b));
        }
        let a = a.into_obj()?;
        if let Ok(l) = PyList::from_obj(a.clone()) {
            match op {
                // list_inplace_concat is list_extend.
                BinOp::Add => {
                    self.extend_list(&l, b)?;
                    return Ok(Value::Obj(a));
                }
                BinOp::Mul => {
                    let b = b.into_obj()?;
                    let Some(n) = ops::int_value(&b) else {
                        return Err(type_err(format!(
                            "can't multiply sequence by non-int of type '{}'",
                            b.type_name()
                        )));
                    };
                    let n = isize::try_from(&n).map_err(|_| {
                        exc(
                            ExcKind::OverflowError,
                            "cannot fit 'int' into an index-sized integer",
                        )
                    })?;
                    self.check_memory(l.len() as u128 * n.max(0) as u128 * 8)?;
                    l.inplace_repeat(n)?;
                    return Ok(Value::Obj(a));
                }
                _ => {}
            }
        }
        let b = b.into_obj()?;
        self.charge_bigint(op, &a, &b)?;
        Ok(Value::Obj(ops::binary_op(op, &a, &b, self.mem_budget())?))
    }

    pub(super) fn store(&mut self, f: &mut Frame, t: &Target, v: Value) -> R<()> {
        match t {
            Target::Name(n) => self.store_name(f, n, v),
            Target::Subscript(oe, ie, span) => {
                let obj = self.eval(f, oe)?;
                let idx = self.eval_index(f, ie)?;
                self.setitem(&obj, &idx, v).map_err(|e| self.at(span, e))
            }
            Target::Attr(oe, name, span) => {
                let obj = self.eval(f, oe)?;
                self.set_attr(&obj, name, Some(v))
                    .map_err(|e| self.at(span, e))
            }
            Target::Tuple(ts, _, span) => {
                if let Some(star) = ts.iter().position(|t| matches!(t, Target::Starred(_))) {
                    let items = self
                        .unpack_ex(v, star, ts.len() - star - 1)
                        .map_err(|e| self.at(span, e))?;
                    for (t, it) in ts.iter().zip(items) {
                        let t = match t {
                            Target::Starred(inner) => inner,
                            t => t,
                        };
                        self.store(f, t, Value::Obj(it))?;
                    }
                    return Ok(());
                }
                let items = self.unpack(v, ts.len()).map_err(|e| self.at(span, e))?;
                for (t, it) in ts.iter().zip(items) {
                    self.store(f, t, Value::Obj(it))?;
                }
                Ok(())
            }
            Target::Starred(_) => unreachable!("a starred target is inside a tuple"),
        }
    }

    /// `UNPACK_EX`: `before` items, a list of the rest (`PySequence_List` of the iterator),
    /// and `after` items moved off that list's end (`unpack_iterable`).
    fn unpack_ex(&mut self, v: Value, before: usize, after: usize) -> R<Vec<Obj>> {
        if !self.is_iterable(&v) {
            return Err(type_err(format!(
                "cannot unpack non-iterable {} object",
                v.type_name()
            )));
        }
        let short = |got: usize| {
            exc(
                ExcKind::ValueError,
                format!(
                    "not enough values to unpack (expected at least {}, got {got})",
                    before + after
                ),
            )
        };
        let it = self.iterator_value(v)?;
        let mut out = Vec::with_capacity(before + after + 1);
        {
            let mut shared = self.get_iter(it.clone())?;
            for i in 0..before {
                match self.iter_next(&mut shared)? {
                    Some(x) => out.push(x),
                    None => return Err(short(i)),
                }
            }
        }
        let list = self.sequence_list(it)?;
        if list.len() < after {
            return Err(short(before + list.len()));
        }
        let tail = list.take_tail(after);
        out.push(list.into_obj());
        out.extend(tail);
        Ok(out)
    }

    /// `UNPACK_SEQUENCE n`.
    fn unpack(&mut self, v: Value, n: usize) -> R<Vec<Obj>> {
        // A tuple of types of the wrong length fails as a tuple does; of the right one, its
        // items are not objects in memory (refused by the iteration below).
        let (items, len) = match &v {
            Value::Obj(o)
                if o.is_type(&crate::types::list::LIST_TYPE)
                    || o.is_type(&crate::types::tuple::TUPLE_TYPE) =>
            {
                let items = seq_items(o);
                let len = items.len();
                (Some(items), Some(len))
            }
            Value::Types(ts) => (None, Some(ts.len())),
            _ => (None, None),
        };
        if let Some(len) = len.filter(|&len| len != n || items.is_some()) {
            if len == n {
                return Ok(items.unwrap_or_default());
            }
            return Err(if len > n {
                exc(
                    ExcKind::ValueError,
                    format!("too many values to unpack (expected {n})"),
                )
            } else {
                exc(
                    ExcKind::ValueError,
                    format!("not enough values to unpack (expected {n}, got {len})"),
                )
            });
        }
        if !self.is_iterable(&v) {
            return Err(type_err(format!(
                "cannot unpack non-iterable {} object",
                v.type_name()
            )));
        }
        let mut it = self.get_iter(v)?;
        let mut out = Vec::with_capacity(n);
        while let Some(x) = self.iter_next(&mut it)? {
            if out.len() == n {
                return Err(exc(
                    ExcKind::ValueError,
                    format!("too many values to unpack (expected {n})"),
                ));
            }
            out.push(x);
        }
        if out.len() < n {
            return Err(exc(
                ExcKind::ValueError,
                format!(
                    "not enough values to unpack (expected {n}, got {})",
                    out.len()
                ),
            ));
        }
        Ok(out)
    }

    pub(super) fn delete(&mut self, f: &mut Frame, t: &Target) -> R<()> {
        match t {
            Target::Name(Name::Global(id)) => match self.globals.remove(id) {
                Some(old) => {
                    if let Some(i) = self.main_global(id) {
                        self.main_deleted[i] = true;
                    }
                    if let Value::Obj(o) = &old {
                        self.trace_line(format_args!(
                            "unbind {id}: {} at {:#x} (refcnt {} -> {})",
                            o.type_name(),
                            o.id(),
                            o.refcnt(),
                            o.refcnt() - 1
                        ));
                    }
                    Ok(())
                }
                None => match self.main_global(id) {
                    Some(i) => {
                        self.main_deleted[i] = true;
                        Ok(())
                    }
                    None => Err(self.name_error(f, id, format!("name '{id}' is not defined"))),
                },
            },
            Target::Name(Name::Local(i, id)) => self.delete_local(f, *i, id),
            Target::Subscript(oe, ie, span) => {
                let obj = self.eval(f, oe)?;
                let idx = self.eval_index(f, ie)?;
                self.delitem(&obj, &idx).map_err(|e| self.at(span, e))
            }
            Target::Attr(oe, name, span) => {
                let obj = self.eval(f, oe)?;
                self.set_attr(&obj, name, None)
                    .map_err(|e| self.at(span, e))
            }
            Target::Tuple(ts, ..) => {
                for t in ts {
                    self.delete(f, t)?;
                }
                Ok(())
            }
            Target::Starred(_) => Err(Fault::Unsupported("del of a starred target".into())),
        }
    }
}

/// `MAKE_FUNCTION` in frame `f`: the closure's cells come from `f`'s slots (`LOAD_CLOSURE`,
/// `BUILD_TUPLE`), then the function object.
pub(super) fn make_function(
    f: &Frame,
    def: &Rc<FuncDef>,
    defaults: Option<Obj>,
    kwdefaults: Option<Obj>,
) -> Value {
    let closure = closure_tuple(f, &def.code);
    let func = Function::make(
        def.code.clone(),
        Some(def.clone()),
        defaults,
        kwdefaults,
        closure,
    );
    Value::Obj(func.into_obj())
}

/// `MAKE_FUNCTION` for a comprehension made in frame `f`: its function object, with the
/// closure; it lives as long as the call (or, for a generator expression, its frame).
pub(super) fn make_comp_function(f: &Frame, c: &Comp) -> PyFunction {
    Function::make(c.code.clone(), None, None, None, closure_tuple(f, &c.code))
}

/// The closure tuple of a nested code object made in frame `f` (`LOAD_CLOSURE` of each of
/// its free variables' cells, `BUILD_TUPLE`), if it has free variables.
pub(super) fn closure_tuple(f: &Frame, code: &Code) -> Option<Obj> {
    if code.freevars.is_empty() {
        return None;
    }
    let cells = code.freevars.iter().map(|&(_, src)| match &f.locals[src] {
        Some(Value::Cell(c)) => c.as_obj().clone(),
        other => unreachable!("slot {src} of {} is a cell, not {other:?}", f.code.name),
    });
    Some(PyTuple::new(cells.collect()).into_obj())
}

/// The start of a frame (`COPY_FREE_VARS`, then `MAKE_CELL` per cell variable): free slots
/// take the closure's cells, cell slots wrap their value (a parameter's argument) in a new
/// cell.
pub(super) fn init_cells(code: &Code, locals: &mut [Option<Value>], closure: Vec<PyCell>) {
    for (&(slot, _), c) in code.freevars.iter().zip(closure) {
        locals[slot] = Some(Value::Cell(c));
    }
    for &slot in &code.cellvars {
        let v = locals[slot].take();
        locals[slot] = Some(Value::Cell(cell_new(v)));
    }
}
