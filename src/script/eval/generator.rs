//! Generators (`Objects/genobject.c`): generator expressions, and functions whose body
//! yields. Calling such a function runs nothing: `RETURN_GENERATOR` makes the generator
//! object, which takes the frame. Each `next` or `send` resumes the frame where it stopped,
//! until a `yield` hands out a value, or the body returns (`StopIteration` with the return
//! value) or raises (a `StopIteration` raised inside becomes `RuntimeError`, PEP 479).
//!
//! The runner walks statements; it has no instruction pointer to save. A suspended frame
//! keeps a *path* instead ([`Level`]s): for each block from the body down to the `yield`,
//! the statement it is at and what that statement has under way (a `for`'s iterator, the
//! branch an `if` took, a `yield from`'s iterator). Resuming walks the path back down.
//! Statements with no `yield` inside ([`Stmt::suspends`]) run as everywhere else.
//!
//! A running generator's frame is out of its object, so the object stays readable (its
//! `repr`, `type`) and `next` on it again is CPython's "generator already executing".

use super::stmt;
use super::*;

/// What running a generator's frame came to.
pub(crate) enum GenStep {
    /// A `yield` handed out this value.
    Yielded(Obj),
    /// The frame returned this value: the generator is exhausted.
    Returned(Value),
}

/// How a block of a generator's body ended.
enum Resumed {
    /// As a block of any function ends.
    Flow(Flow),
    /// Suspended at a `yield`, handing out this value (the path stays).
    Yield(Obj),
}

type Shared = Rc<RefCell<GcCounted<Iter>>>;

impl Interp<'_> {
    /// `(elt for ...)`: `MAKE_FUNCTION` (with its closure), `GET_ITER` on the outermost
    /// iterable, and the call, which makes the generator (its frame keeps the function).
    /// Nothing of the body runs until the first `next`.
    pub(super) fn generator(&mut self, f: &Frame, c: &Rc<Comp>) -> R<Value> {
        let func = stmt::make_comp_function(f, c);
        let first = self.eval(f, &c.gens[0].iter)?;
        let it = self.iter_of(first)?;
        let gc = it.count();
        let mut locals = vec![None; c.code.locals.len()];
        stmt::init_cells(&c.code, &mut locals, closure_items(func.closure()));
        let frame = GenFrame {
            frame_obj: None,
            locals,
            body: GenBody::Comp(c.clone(), vec![(it, gc)]),
            handling: Vec::new(),
            func: FrameFunc::Comp(func),
        };
        Ok(new_generator(
            c.code.qualname.clone(),
            frame,
            GenCode::Comp(c.clone()),
        ))
    }

    /// A call of a generator function, its arguments bound (`locals`): the cells made
    /// (`MAKE_CELL` comes first), then `RETURN_GENERATOR` makes the generator, whose frame
    /// keeps the function.
    pub(super) fn generator_call(
        &mut self,
        func: &Function,
        mut locals: Vec<Option<Value>>,
    ) -> Value {
        let code = func.def().code.clone();
        stmt::init_cells(&code, &mut locals, func.closure());
        let frame = GenFrame {
            frame_obj: None,
            locals,
            body: GenBody::Def(code.clone(), Vec::new()),
            handling: Vec::new(),
            func: FrameFunc::Def(func.clone()),
        };
        new_generator(code.qualname.clone(), frame, GenCode::Def(code))
    }

    /// `gen_send_ex2`: resume generator `g` with `sent` (`None` for `next`). Exhausted, it
    /// returns `None` again, as CPython's does.
    pub(crate) fn gen_resume(&mut self, g: &Shared, sent: Option<Value>) -> R<GenStep> {
        let mut frame = {
            let mut b = g.borrow_mut();
            let Iter::Gen(st) = &mut b.value else {
                unreachable!("gen_resume takes a generator");
            };
            if st.running {
                return Err(exc(ExcKind::ValueError, "generator already executing"));
            }
            let Some(frame) = st.frame.take() else {
                return Ok(GenStep::Returned(Value::Obj(none::none())));
            };
            if !st.started && sent.as_ref().is_some_and(|v| !v.is_none()) {
                st.frame = Some(frame);
                return Err(type_err(
                    "can't send non-None value to a just-started generator",
                ));
            }
            st.running = true;
            st.started = true;
            frame
        };
        let r = self.run_frame(&mut frame, sent);
        let mut b = g.borrow_mut();
        let Iter::Gen(st) = &mut b.value else {
            unreachable!("a generator stays one");
        };
        st.running = false;
        match r {
            Ok(GenStep::Yielded(v)) => {
                st.frame = Some(frame);
                Ok(GenStep::Yielded(v))
            }
            done => {
                drop(b);
                clear(frame);
                done
            }
        }
    }

    /// `gen.throw(exc)` (`_gen_throw`): `exc` raised where the generator is suspended —
    /// its handlers may catch it and go on to the next `yield`, whose value `throw` returns;
    /// a `yield from` passes it on to the generator it delegates to. A generator not
    /// started raises it at its first line and is finished; a finished one raises it at
    /// once.
    pub(crate) fn gen_throw(&mut self, g: &Shared, fault: Fault) -> R<GenStep> {
        let started = {
            let b = g.borrow();
            let Iter::Gen(st) = &b.value else {
                unreachable!("gen_throw takes a generator");
            };
            if st.running {
                return Err(exc(ExcKind::ValueError, "generator already executing"));
            }
            if st.frame.is_none() {
                return Err(fault);
            }
            st.started
        };
        self.throw_in = Some((fault, started));
        let r = self.gen_resume(g, None);
        self.throw_in = None;
        r
    }

    /// A generator's next item (`gen_iternext`): `None` once it is exhausted.
    pub(crate) fn gen_next(&mut self, g: &Shared) -> R<Option<Obj>> {
        match self.gen_resume(g, None)? {
            GenStep::Yielded(v) => Ok(Some(v)),
            GenStep::Returned(_) => Ok(None),
        }
    }

    /// `gen.close()`: a generator never started or finished just completes; one suspended
    /// at a `yield` gets `GeneratorExit` there, which (no `try` being around a `yield` in the
    /// subset) ends its frame; the iterator a `yield from` delegates to is closed first.
    pub(crate) fn gen_close(&mut self, g: &Shared) -> R<()> {
        let frame = {
            let mut b = g.borrow_mut();
            let Iter::Gen(st) = &mut b.value else {
                unreachable!("gen_close takes a generator");
            };
            if st.running {
                return Err(exc(ExcKind::ValueError, "generator already executing"));
            }
            st.frame.take()
        };
        if let Some(mut frame) = frame {
            if let GenBody::Def(_, path) = &mut frame.body
                && let Some(Level {
                    doing: Doing::YieldFrom(LoopIter::Shared(inner)),
                    ..
                }) = path.last()
                && is_generator(inner)
            {
                let inner = inner.clone();
                self.gen_close(&inner)?;
            }
            clear(frame);
        }
        Ok(())
    }

    /// Run a generator's frame from where it stopped: `enter` as a call does, `RESUME` warms
    /// the code, and an exception leaving it gets its traceback entry; a `StopIteration`
    /// becomes `RuntimeError` (`gen_send_ex2`).
    fn run_frame(&mut self, g: &mut GenFrame, sent: Option<Value>) -> R<GenStep> {
        let code: Rc<Code> = match &g.body {
            GenBody::Comp(c, _) => return self.run_comp_frame(g, c.clone()),
            GenBody::Def(code, _) => code.clone(),
        };
        let mut frame = Frame::new(&code, std::mem::take(&mut g.locals), None);
        frame.frame_obj = g.frame_obj.take();
        let GenBody::Def(_, path) = &mut g.body else {
            unreachable!("a function's generator");
        };
        self.enter()?;
        code.warm();
        // The exceptions its handlers were handling when it stopped are handled again.
        let base = self.handling.len();
        self.handling.append(&mut g.handling);
        let mut sent = sent;
        let r = if path.is_empty()
            && let Some((fault, _)) = self.throw_in.take()
        {
            // Thrown into before it started: raised at RESUME, on the `def` line.
            frame.line = code.first_line;
            frame.stmt_span = Span::default();
            Err(fault)
        } else {
            self.resume_block(&mut frame, &code.body, path, 0, &mut sent)
        };
        let r = r.map_err(|e| self.unwind(&mut frame, e));
        self.leave();
        match r {
            Ok(Resumed::Yield(v)) => {
                g.handling = self.handling.split_off(base);
                g.locals = std::mem::take(&mut frame.locals);
                g.frame_obj = frame.frame_obj.take();
                Ok(GenStep::Yielded(v))
            }
            Ok(Resumed::Flow(Flow::Return(v))) => {
                self.frame_exit(frame)?;
                Ok(GenStep::Returned(v))
            }
            Ok(Resumed::Flow(_)) => {
                self.frame_exit(frame)?;
                Ok(GenStep::Returned(Value::Obj(none::none())))
            }
            Err(e) => {
                self.frame_exit(frame)?;
                Err(self.stop_iteration_raised(e))
            }
        }
    }

    /// A generator expression's frame: the innermost `for` takes its next item (a level
    /// exhausted goes back to the one around it), the `if`s are tested, a deeper `for`
    /// starts, or the element is the item.
    fn run_comp_frame(&mut self, g: &mut GenFrame, comp: Rc<Comp>) -> R<GenStep> {
        let mut frame = Frame::new(&comp.code, std::mem::take(&mut g.locals), None);
        frame.frame_obj = g.frame_obj.take();
        // The frame is on the expression's line, as its code object's positions are.
        frame.line = comp.span.line;
        frame.stmt_span = comp.span;
        let GenBody::Comp(_, iters) = &mut g.body else {
            unreachable!("a generator expression's generator");
        };
        self.enter()?;
        comp.code.warm();
        let r = match self.throw_in.take() {
            // Thrown into: raised where it stopped (no handler in an expression), or at
            // RESUME (no columns) if it had not started.
            Some((fault, started)) => {
                if !started {
                    frame.stmt_span = Span::default();
                }
                Err(fault)
            }
            None => self.comp_items(&mut frame, &comp, iters),
        };
        let r = r.map_err(|e| self.unwind(&mut frame, e));
        self.leave();
        g.locals = std::mem::take(&mut frame.locals);
        g.frame_obj = frame.frame_obj.take();
        match r {
            Ok(Some(v)) => Ok(GenStep::Yielded(v)),
            Ok(None) => Ok(GenStep::Returned(Value::Obj(none::none()))),
            Err(e) => Err(self.stop_iteration_raised(e)),
        }
    }

    fn comp_items(
        &mut self,
        frame: &mut Frame,
        comp: &Comp,
        iters: &mut Vec<(Iter, Option<GcCounted<()>>)>,
    ) -> R<Option<Obj>> {
        'items: loop {
            let Some(level) = iters.len().checked_sub(1) else {
                return Ok(None);
            };
            self.step()?;
            let Some(item) = self.next_in(&mut iters[level].0)? else {
                iters.pop();
                continue;
            };
            let g = &comp.gens[level];
            self.store(frame, &g.target, Value::Obj(item))?;
            for cond in &g.ifs {
                let v = self.eval(frame, cond)?;
                if !self.truthy(&v)? {
                    continue 'items;
                }
            }
            if level + 1 < comp.gens.len() {
                let v = self.eval(frame, &comp.gens[level + 1].iter)?;
                let it = self.iter_of(v)?;
                let gc = it.count();
                iters.push((it, gc));
                continue;
            }
            let v = self.eval(frame, &comp.elt)?;
            return Ok(Some(v.into_obj()?));
        }
    }

    /// `_PyErr_FormatFromCause(PyExc_RuntimeError, "generator raised StopIteration")`: the
    /// `StopIteration` normalized with the traceback it gathered, as the new error's cause
    /// and context.
    fn stop_iteration_raised(&mut self, e: Fault) -> Fault {
        let is_stop = match &e {
            Fault::Py(p) => p.kind == ExcKind::StopIteration,
            Fault::PyArgs(k, _) => *k == ExcKind::StopIteration,
            Fault::Exc(x) => x.value.kind == ExcKind::StopIteration,
            _ => false,
        };
        if !is_stop {
            return e;
        }
        let stop = self.catch_traceback(e);
        let rt = exceptions::instantiate(
            ExcKind::RuntimeError,
            vec![PyStr::new("generator raised StopIteration").into_obj()],
        );
        *rt.value.cause.borrow_mut() = Some(Value::Exc(stop.clone()));
        *rt.value.context.borrow_mut() = Some(Value::Exc(stop));
        rt.value.suppress_context.set(true);
        Fault::Exc(rt)
    }

    /// One block of a generator function's body, resumed at `path[depth]` (begun, when the
    /// path ends above it).
    fn resume_block(
        &mut self,
        f: &mut Frame,
        body: &[Stmt],
        path: &mut Vec<Level>,
        depth: usize,
        sent: &mut Option<Value>,
    ) -> R<Resumed> {
        if path.len() == depth {
            path.push(Level {
                at: 0,
                doing: Doing::Start,
            });
        }
        while let Some(s) = body.get(path[depth].at) {
            let flow = if s.suspends {
                match self.resume_stmt(f, s, path, depth, sent)? {
                    Resumed::Yield(v) => return Ok(Resumed::Yield(v)),
                    Resumed::Flow(flow) => flow,
                }
            } else {
                self.exec_stmt(f, s)?
            };
            path.truncate(depth + 1);
            match flow {
                Flow::Normal => {
                    path[depth] = Level {
                        at: path[depth].at + 1,
                        doing: Doing::Start,
                    }
                }
                other => {
                    path.truncate(depth);
                    return Ok(Resumed::Flow(other));
                }
            }
        }
        path.truncate(depth);
        Ok(Resumed::Flow(Flow::Normal))
    }

    /// A statement holding a `yield`, begun or resumed as `path[depth]` says.
    fn resume_stmt(
        &mut self,
        f: &mut Frame,
        s: &Stmt,
        path: &mut Vec<Level>,
        depth: usize,
        sent: &mut Option<Value>,
    ) -> R<Resumed> {
        let doing = std::mem::replace(&mut path[depth].doing, Doing::Start);
        f.line = s.pos.line;
        f.stmt_span = s.span;
        if matches!(doing, Doing::Start) {
            self.step()?;
        }
        match &s.kind {
            StmtKind::Expr(Expr::Yield(value, from, span)) => self.yield_stmt(
                f,
                None,
                (value.as_deref(), *from, span),
                doing,
                path,
                depth,
                sent,
            ),
            StmtKind::Assign(targets, Expr::Yield(value, from, span)) => self.yield_stmt(
                f,
                Some(targets),
                (value.as_deref(), *from, span),
                doing,
                path,
                depth,
                sent,
            ),
            StmtKind::If(c, a, b) => {
                let branch = match doing {
                    Doing::If(t) => t,
                    _ => {
                        let cv = self.eval(f, c)?;
                        self.truthy(&cv)?
                    }
                };
                path[depth].doing = Doing::If(branch);
                let block = if branch { a } else { b };
                self.resume_block(f, block, path, depth + 1, sent)
            }
            StmtKind::While(c, body, orelse) => {
                let mut in_body = matches!(doing, Doing::While);
                if matches!(doing, Doing::WhileElse) {
                    path[depth].doing = Doing::WhileElse;
                    return self.resume_block(f, orelse, path, depth + 1, sent);
                }
                loop {
                    if !in_body {
                        f.line = s.pos.line;
                        f.stmt_span = s.span;
                        let cv = self.eval(f, c)?;
                        let go = self.truthy(&cv)?;
                        drop(cv);
                        if !go {
                            path[depth].doing = Doing::WhileElse;
                            return self.resume_block(f, orelse, path, depth + 1, sent);
                        }
                    }
                    in_body = false;
                    path[depth].doing = Doing::While;
                    match self.resume_block(f, body, path, depth + 1, sent)? {
                        Resumed::Yield(v) => return Ok(Resumed::Yield(v)),
                        Resumed::Flow(Flow::Break) => return Ok(Resumed::Flow(Flow::Normal)),
                        Resumed::Flow(Flow::Return(v)) => {
                            return Ok(Resumed::Flow(Flow::Return(v)));
                        }
                        Resumed::Flow(Flow::Continue) => f.code.warm(),
                        Resumed::Flow(Flow::Normal) => {
                            if matches!(c, Expr::Const(_)) {
                                f.code.warm();
                            }
                        }
                    }
                    self.step()?;
                }
            }
            StmtKind::For(t, it, body, orelse) => {
                let (mut iter, mut in_body) = match doing {
                    Doing::For(iter) => (iter, true),
                    Doing::ForElse => {
                        path[depth].doing = Doing::ForElse;
                        return self.resume_block(f, orelse, path, depth + 1, sent);
                    }
                    _ => {
                        let iterable = self.eval(f, it)?;
                        (self.get_iter(iterable)?, false)
                    }
                };
                loop {
                    if !in_body {
                        self.step()?;
                        f.line = s.pos.line;
                        f.stmt_span = s.span;
                        let Some(item) = self.iter_next(&mut iter)? else {
                            drop(iter);
                            path[depth].doing = Doing::ForElse;
                            return self.resume_block(f, orelse, path, depth + 1, sent);
                        };
                        self.store(f, t, Value::Obj(item))?;
                    }
                    in_body = false;
                    path[depth].doing = Doing::For(iter);
                    let r = self.resume_block(f, body, path, depth + 1, sent)?;
                    let Doing::For(back) = std::mem::replace(&mut path[depth].doing, Doing::Start)
                    else {
                        unreachable!("the loop's iterator stays on its level");
                    };
                    iter = back;
                    match r {
                        Resumed::Yield(v) => {
                            path[depth].doing = Doing::For(iter);
                            return Ok(Resumed::Yield(v));
                        }
                        Resumed::Flow(Flow::Break) => return Ok(Resumed::Flow(Flow::Normal)),
                        Resumed::Flow(Flow::Return(v)) => {
                            return Ok(Resumed::Flow(Flow::Return(v)));
                        }
                        Resumed::Flow(Flow::Normal | Flow::Continue) => f.code.warm(),
                    }
                }
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } if finalbody.is_empty() => {
                self.resume_try(f, body, handlers, orelse, doing, path, depth, sent)
            }
            _ => Err(Fault::Unsupported(
                "a yield in a statement the runner cannot suspend".into(),
            )),
        }
    }

    /// A `try` (no `finally`: the lowering refuses a `yield` there) holding a `yield`, as
    /// `exec_try` runs one, each part resumable.
    #[allow(clippy::too_many_arguments)]
    fn resume_try(
        &mut self,
        f: &mut Frame,
        body: &[Stmt],
        handlers: &[Handler],
        orelse: &[Stmt],
        doing: Doing,
        path: &mut Vec<Level>,
        depth: usize,
        sent: &mut Option<Value>,
    ) -> R<Resumed> {
        let k = match doing {
            Doing::TryElse => {
                path[depth].doing = Doing::TryElse;
                return self.resume_block(f, orelse, path, depth + 1, sent);
            }
            Doing::TryHandler(k) => k,
            _ => {
                path[depth].doing = Doing::TryBody;
                match self.resume_block(f, body, path, depth + 1, sent) {
                    Ok(Resumed::Flow(Flow::Normal)) => {
                        path[depth].doing = Doing::TryElse;
                        return self.resume_block(f, orelse, path, depth + 1, sent);
                    }
                    Err(fault) if fault.is_python() && !handlers.is_empty() => {
                        path.truncate(depth + 1);
                        let e = self.catch(f, fault);
                        let k = self.enter_handler(f, e, handlers)?;
                        if let Err(e) = self.bind_handler_name(f, &handlers[k]) {
                            return self
                                .leave_handler(f, &handlers[k], Err(e))
                                .map(Resumed::Flow);
                        }
                        k
                    }
                    other => return other,
                }
            }
        };
        path[depth].doing = Doing::TryHandler(k);
        let h = &handlers[k];
        let r = match self.resume_block(f, &h.body, path, depth + 1, sent) {
            Ok(Resumed::Yield(v)) => return Ok(Resumed::Yield(v)),
            Ok(Resumed::Flow(flow)) => Ok(flow),
            Err(e) => Err(e),
        };
        self.leave_handler(f, h, r).map(Resumed::Flow)
    }

    /// `yield value` / `yield from iterable`, as a statement or an assignment's value:
    /// begun, it hands out the value (or the iterator's first item); resumed, the value
    /// sent in (or the iterator's return value, once it is exhausted) is its result.
    #[allow(clippy::too_many_arguments)]
    fn yield_stmt(
        &mut self,
        f: &mut Frame,
        targets: Option<&[Target]>,
        (value, from, span): (Option<&Expr>, bool, &Span),
        doing: Doing,
        path: &mut [Level],
        depth: usize,
        sent: &mut Option<Value>,
    ) -> R<Resumed> {
        let result = match doing {
            Doing::Start if !from => {
                let v = match value {
                    Some(e) => self.eval(f, e)?.into_obj()?,
                    None => none::none(),
                };
                path[depth].doing = Doing::Yielded;
                return Ok(Resumed::Yield(v));
            }
            Doing::Yielded => match self.throw_in.take() {
                // Raised at the yield (YIELD_VALUE's position).
                Some((fault, _)) => return Err(self.at(span, fault)),
                None => sent.take().unwrap_or_else(|| Value::Obj(none::none())),
            },
            doing => {
                let mut it = match doing {
                    Doing::YieldFrom(it) => it,
                    _ => {
                        let src = self.eval(f, value.expect("yield from has a value"))?;
                        self.get_iter(src)?
                    }
                };
                let step = match self.throw_in.take() {
                    // Thrown into while delegating: passed on to a generator (its `throw`);
                    // an iterator without one has it raised here.
                    Some((fault, _)) => match &it {
                        LoopIter::Shared(s) if is_generator(s) => {
                            let s = s.clone();
                            self.gen_throw(&s, fault)
                        }
                        _ => Err(fault),
                    },
                    None => self.delegate(&mut it, sent.take()),
                };
                match step? {
                    GenStep::Yielded(v) => {
                        path[depth].doing = Doing::YieldFrom(it);
                        return Ok(Resumed::Yield(v));
                    }
                    GenStep::Returned(v) => v,
                }
            }
        };
        if let Some(targets) = targets {
            let (last, rest) = targets.split_last().expect("a target");
            for t in rest {
                self.store(f, t, result.clone())?;
            }
            self.store(f, last, result)?;
        }
        Ok(Resumed::Flow(Flow::Normal))
    }

    /// `SEND`: a generator is resumed with the value sent in; another iterator is advanced
    /// (sending it anything but `None` looks up its `send`, which it lacks).
    fn delegate(&mut self, it: &mut LoopIter, sent: Option<Value>) -> R<GenStep> {
        if let LoopIter::Shared(s) = it
            && is_generator(s)
        {
            return self.gen_resume(s, sent);
        }
        if let Some(v) = sent.filter(|v| !v.is_none()) {
            drop(v);
            let name = match it {
                LoopIter::Own(i, _) => i.tag().name(),
                LoopIter::Shared(s) => s.borrow().value.tag().name(),
            };
            return Err(exc(
                ExcKind::AttributeError,
                format!("'{name}' object has no attribute 'send'"),
            ));
        }
        Ok(match self.iter_next(it)? {
            Some(v) => GenStep::Yielded(v),
            None => GenStep::Returned(Value::Obj(none::none())),
        })
    }
}

/// Whether an iterator object is a generator.
pub(crate) fn is_generator(s: &Shared) -> bool {
    matches!(s.borrow().value, Iter::Gen(_))
}

/// A generator object (a GC object: `PyObject_GC_NewVar`) holding `frame`.
fn new_generator(qualname: Rc<str>, frame: GenFrame, code: GenCode) -> Value {
    let st = GenState {
        qualname,
        running: false,
        started: false,
        frame: Some(Box::new(frame)),
        code,
    };
    Value::Iter(Rc::new(RefCell::new(GcCounted::new(Iter::Gen(Box::new(
        st,
    ))))))
}

/// A finished generator's frame cleared (`_PyFrame_Clear`). A generator expression's
/// iterators go first (the outermost one is its `.0` local).
fn clear(mut frame: Box<GenFrame>) {
    if let GenBody::Comp(_, iters) = &mut frame.body {
        iters.clear();
    }
    drop(frame);
}
