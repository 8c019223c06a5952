//! Expressions, as `Python/ceval.c` evaluates them: constants, names, displays
//! (`BUILD_LIST`, `LIST_EXTEND` of a constant tuple, `BUILD_TUPLE`, `BUILD_MAP`,
//! `BUILD_CONST_KEY_MAP`, `DICT_UPDATE`), calls, attributes, subscripts and slices, and
//! comprehensions (a function called with the outermost iterator as `.0`).

use super::*;

impl Interp<'_> {
    /// Evaluate `e`; if it fails, the failure's place in this frame is the innermost
    /// expression that failed (the first to see it).
    pub(super) fn eval(&mut self, f: &Frame, e: &Expr) -> R<Value> {
        let r = self.eval_expr(f, e);
        if r.is_err() && self.err_span.is_none() {
            self.err_span = e.span();
        }
        r
    }

    fn eval_expr(&mut self, f: &Frame, e: &Expr) -> R<Value> {
        Ok(match e {
            Expr::Const(i) => Value::Obj(f.code.consts[*i].clone()),
            Expr::Lit(o) => Value::Obj(o.clone()),
            Expr::Name(n, _) => self.load_name(f, n)?,
            Expr::List { items, big } => {
                if *big {
                    let l = PyList::new();
                    for it in items {
                        let v = self.eval(f, it)?.into_obj()?;
                        l.append(v);
                    }
                    Value::Obj(l.into_obj())
                } else {
                    let objs = self.eval_objs(f, items)?;
                    Value::Obj(PyList::with_items(objs).into_obj())
                }
            }
            Expr::ConstList(c) => {
                let t = self.eval(f, c)?.into_obj()?;
                let items = seq_items(&t);
                let l = PyList::new();
                l.extend_exact(items);
                Value::Obj(l.into_obj())
            }
            Expr::Tuple(items) => {
                let mut vals = Vec::with_capacity(items.len());
                for it in items {
                    vals.push(self.eval(f, it)?);
                }
                // `(int, float)` for isinstance: types are not objects in our memory.
                if !vals.is_empty()
                    && vals
                        .iter()
                        .all(|v| matches!(v, Value::Type(_) | Value::Types(_)))
                {
                    return Ok(Value::Types(vals.into()));
                }
                let objs = vals
                    .into_iter()
                    .map(Value::into_obj)
                    .collect::<R<Vec<_>>>()?;
                Value::Obj(PyTuple::new(objs).into_obj())
            }
            Expr::Dict(chunks, _) => Value::Obj(self.dict_display(f, chunks)?.into_obj()),
            Expr::BinOp(op, a, b, _) => {
                let x = self.eval(f, a)?;
                let y = self.eval(f, b)?;
                self.binary(*op, x, y)?
            }
            Expr::Unary(op, a, _) => {
                let x = self.eval(f, a)?;
                if *op == UnOp::Not {
                    Value::Obj(ops::bool_obj(!self.truthy(&x)?))
                } else {
                    Value::Obj(ops::unary_op(*op, &x.into_obj()?)?)
                }
            }
            Expr::BoolOp(and, items) => {
                let mut last = None;
                for it in items {
                    let v = self.eval(f, it)?;
                    let t = self.truthy(&v)?;
                    if t != *and {
                        return Ok(v);
                    }
                    last = Some(v);
                }
                last.expect("two operands at least")
            }
            Expr::Compare(first, rest, _) => {
                let mut left = self.eval(f, first)?;
                let mut result = true;
                for (op, e) in rest {
                    let right = self.eval(f, e)?;
                    if !self.compare(*op, &left, &right)? {
                        result = false;
                        break;
                    }
                    left = right;
                }
                Value::Obj(ops::bool_obj(result))
            }
            Expr::IfExp(c, a, b) => {
                let cv = self.eval(f, c)?;
                if self.truthy(&cv)? {
                    self.eval(f, a)?
                } else {
                    self.eval(f, b)?
                }
            }
            Expr::Call {
                func,
                args,
                kwargs,
                ex: true,
                ..
            } => self.call_ex(f, func, args, kwargs)?,
            Expr::Starred(_) => unreachable!("only a call's argument is starred"),
            // The lowering puts a `yield` only where a generator's frame runs it
            // (`eval/generator.rs`): a statement, or an assignment's value.
            Expr::Yield(..) => {
                return Err(Fault::Unsupported(
                    "a yield outside a generator's statement".into(),
                ));
            }
            Expr::Lambda(def, d) => {
                let defaults = match &d.pos {
                    Some(e) => Some(self.eval(f, e)?.into_obj()?),
                    None => None,
                };
                let kwdefaults = match &d.kw {
                    Some(e) => Some(self.eval(f, e)?.into_obj()?),
                    None => None,
                };
                stmt::make_function(f, def, defaults, kwdefaults)
            }
            Expr::Call {
                func, args, kwargs, ..
            } => {
                let fv = self.eval(f, func)?;
                let a = self.eval_values(f, args)?;
                let k = self.eval_kwargs(f, kwargs)?;
                self.caller_quickened = f.code.quickened();
                self.call(fv, a, k)?
            }
            Expr::MethodCall {
                recv,
                name,
                args,
                kwargs,
                attr_span,
                ..
            } => {
                let r = self.eval(f, recv)?;
                self.check_method(&r, name)
                    .map_err(|e| self.at(attr_span, e))?;
                let a = self.eval_values(f, args)?;
                let k = self.eval_kwargs(f, kwargs)?;
                self.call_method(r, name, a, k)?
            }
            Expr::Attr(o, name, _) => {
                let v = self.eval(f, o)?;
                self.get_attr(v, name)?
            }
            Expr::Subscript(o, i, _) => {
                let obj = self.eval(f, o)?;
                let idx = self.eval_index(f, i)?;
                if let (Value::Range(r), Index::Slice(a, b, c)) = (&obj, &idx) {
                    return crate::script::builtins::range_slice(r, a, b, c);
                }
                Value::Obj(self.getitem(&obj, &idx)?)
            }
            // `x[a, b:c]`: a slice inside a tuple of subscripts (a slice object, which the
            // runner does not build).
            Expr::Slice(..) => {
                return Err(Fault::Unsupported(
                    "a slice inside a tuple subscript (x[a, b:c])".into(),
                ));
            }
            Expr::Comp(c) if c.genexp => self.generator(f, c)?,
            Expr::Comp(c) => self.comprehension(f, c)?,
            Expr::FormattedValue {
                value,
                conversion,
                spec,
                ..
            } => {
                let v = self.eval(f, value)?;
                let spec = match spec {
                    Some(s) => Some(self.eval(f, s)?.into_obj()?),
                    None => None,
                };
                let spec = spec.map(|o| PyStr::from_obj(o).expect("a str spec").to_string());
                Value::Obj(self.format_field(v, *conversion, spec.as_deref())?)
            }
            // BUILD_STRING n (_PyUnicode_JoinArray with an empty separator): one part is the
            // result itself.
            // One part is that part itself (`LOAD_CONST`, or the one FORMAT_VALUE).
            Expr::JoinedStr(parts) if parts.len() == 1 => self.eval(f, &parts[0])?,
            Expr::JoinedStr(parts) => {
                let mut strs = Vec::with_capacity(parts.len());
                for p in parts {
                    let o = self.eval(f, p)?.into_obj()?;
                    strs.push(PyStr::from_obj(o).expect("an f-string part is a str"));
                }
                let total: usize = strs.iter().map(|s| s.len() * s.kind()).sum();
                self.check_memory(total as u128)?;
                Value::Obj(PyStr::new("").join(&strs).into_obj())
            }
        })
    }

    fn eval_objs(&mut self, f: &Frame, items: &[Expr]) -> R<Vec<Obj>> {
        let mut out = Vec::with_capacity(items.len());
        for it in items {
            out.push(self.eval(f, it)?.into_obj()?);
        }
        Ok(out)
    }

    fn eval_values(&mut self, f: &Frame, items: &[Expr]) -> R<Vec<Value>> {
        let mut out = Vec::with_capacity(items.len());
        for it in items {
            out.push(self.eval(f, it)?);
        }
        Ok(out)
    }

    fn eval_kwargs(&mut self, f: &Frame, kw: &[(Rc<str>, Expr)]) -> R<Vec<(Rc<str>, Value)>> {
        let mut out = Vec::with_capacity(kw.len());
        for (k, e) in kw {
            out.push((k.clone(), self.eval(f, e)?));
        }
        Ok(out)
    }

    /// An index expression: a slice becomes [`Index::Slice`].
    pub(super) fn eval_index(&mut self, f: &Frame, e: &Expr) -> R<Index> {
        if let Expr::Slice(a, b, c) = e {
            let mut part = |x: &Option<Box<Expr>>| -> R<Option<Obj>> {
                match x {
                    Some(x) => Ok(Some(self.eval(f, x)?.into_obj()?)),
                    None => Ok(None),
                }
            };
            let (a, b, c) = (part(a)?, part(b)?, part(c)?);
            return Ok(Index::Slice(a, b, c));
        }
        Ok(Index::Item(self.eval(f, e)?.into_obj()?))
    }

    fn dict_display(&mut self, f: &Frame, chunks: &[DictChunk]) -> R<PyDict> {
        let mut result: Option<PyDict> = None;
        for c in chunks {
            let d = match c {
                DictChunk::Map(ps) => {
                    let mut pairs = Vec::with_capacity(ps.len());
                    for (k, v) in ps {
                        let k = self.eval(f, k)?.into_obj()?;
                        let v = self.eval(f, v)?.into_obj()?;
                        pairs.push((k, v));
                    }
                    PyDict::from_display(pairs)?
                }
                DictChunk::ConstKeys(keys, vals) => {
                    let vs = self.eval_objs(f, vals)?;
                    let kt = self.eval(f, keys)?.into_obj()?;
                    PyDict::from_display(seq_items(&kt).into_iter().zip(vs).collect())?
                }
                DictChunk::Big(ps) => {
                    let d = PyDict::new();
                    for (k, v) in ps {
                        let k = self.eval(f, k)?.into_obj()?;
                        let v = self.eval(f, v)?.into_obj()?;
                        d.set_item(k, v)?;
                    }
                    d
                }
            };
            match &result {
                Some(r) => r.merge(&d)?,
                None => result = Some(d),
            }
        }
        // `BUILD_MAP 0` for `{}` (PyDict::default is `PyDict_New`).
        Ok(result.unwrap_or_default())
    }

    fn comprehension(&mut self, f: &Frame, c: &Comp) -> R<Value> {
        // MAKE_FUNCTION (a function object that lives for the call), GET_ITER on the
        // outermost iterable, then the call with the iterator as `.0`.
        let func = stmt::make_comp_function(f, c);
        let first = self.eval(f, &c.gens[0].iter)?;
        let iter = self.get_iter(first)?;
        c.code.warm();
        let mut locals = vec![None; c.code.locals.len()];
        stmt::init_cells(&c.code, &mut locals, closure_items(func.closure()));
        let mut frame = Frame::new(&c.code, locals, Some(f));
        frame.line = c.span.line;
        frame.stmt_span = c.span;
        self.enter()?;
        let result = if c.dict {
            Value::Obj(PyDict::new().into_obj())
        } else {
            Value::Obj(PyList::new().into_obj())
        };
        let r = self.comp_loop(&mut frame, c, 0, Some(iter), &result);
        let r = r.map_err(|e| self.unwind(&mut frame, e));
        self.leave();
        self.frame_exit(frame)?;
        r?;
        Ok(result)
    }

    fn comp_loop(
        &mut self,
        f: &mut Frame,
        c: &Comp,
        level: usize,
        first: Option<LoopIter>,
        result: &Value,
    ) -> R<()> {
        let g = &c.gens[level];
        let mut it = match first {
            Some(it) => it,
            None => {
                let v = self.eval(f, &g.iter)?;
                self.get_iter(v)?
            }
        };
        'items: loop {
            self.step()?;
            let Some(item) = self.iter_next(&mut it)? else {
                return Ok(());
            };
            self.store(f, &g.target, Value::Obj(item))?;
            // A failed `if` jumps straight back to FOR_ITER (a conditional jump after the
            // CFG optimizer threads it); the end of an item is a JUMP_BACKWARD.
            for cond in &g.ifs {
                let v = self.eval(f, cond)?;
                if !self.truthy(&v)? {
                    continue 'items;
                }
            }
            if level + 1 < c.gens.len() {
                self.comp_loop(f, c, level + 1, None, result)?;
                f.code.warm();
                continue;
            }
            let out = result.as_obj().expect("list or dict");
            if c.dict {
                let k = self.eval(f, &c.elt)?.into_obj()?;
                let v = self.eval(f, c.value.as_ref().expect("value"))?.into_obj()?;
                PyDict::from_obj(out.clone())
                    .expect("dict")
                    .set_item(k, v)?;
            } else {
                let v = self.eval(f, &c.elt)?.into_obj()?;
                PyList::from_obj(out.clone()).expect("list").append(v);
            }
            f.code.warm();
        }
    }
}

/// A subscript: an item or a slice `a:b:c`.
#[derive(Debug)]
pub(crate) enum Index {
    Item(Obj),
    Slice(Option<Obj>, Option<Obj>, Option<Obj>),
}

/// The items of a list or tuple.
pub(crate) fn seq_items(o: &Obj) -> Vec<Obj> {
    if let Ok(l) = PyList::from_obj(o.clone()) {
        return l.items();
    }
    PyTuple::from_obj(o.clone()).expect("list or tuple").items()
}
