//! Exceptions as `Python/ceval.c` and `Python/errors.c` handle them: the traceback entries
//! an exception collects as it leaves frames (`PyTraceBack_Here`, which makes the frame's
//! frame object the first time), normalization into an exception object when a handler
//! catches it (`_PyErr_NormalizeException`: the instance and its argument tuple),
//! `try`/`except`/`else`/`finally`, `raise` with its context and cause
//! (`_PyErr_SetObject`, `do_raise`), and the chain the traceback printer shows.
//!
//! What each step allocates is what CPython 3.11 allocates, so generation 0 counts as
//! CPython's does: a frame object per frame an exception first passes through, a traceback
//! object per frame it passes, the instance (and its argument tuple) when caught. A frame
//! object outlives its frame while a traceback holds it, and then holds the frame's
//! locals (`take_ownership`): `sys.getrefcount` sees them.

use super::*;
use crate::types::tuple::PyTuple;

/// An exception object.
pub(crate) type ExcRef = Rc<GcCounted<ExcObj>>;

impl Fault {
    /// Whether this is a Python exception (the others are the runner's own limits, which no
    /// `except` or `finally` sees).
    pub(crate) fn is_python(&self) -> bool {
        matches!(self, Fault::Py(_) | Fault::PyArgs(..) | Fault::Exc(_))
    }
}

/// A new exception object of class `kind` with argument tuple `args`.
pub(crate) fn new_exception(kind: ExcKind, args: Obj, suggestion: Option<String>) -> ExcRef {
    Rc::new(GcCounted::new(ExcObj {
        kind,
        dict: RefCell::new(None),
        args,
        traceback: RefCell::new(None),
        cause: RefCell::new(None),
        context: RefCell::new(None),
        suppress_context: std::cell::Cell::new(false),
        suggestion,
    }))
}

/// `ValueError(*args)`: `type_call` with the argument tuple `_PyObject_MakeTpCall` builds
/// (none for no arguments: the empty tuple is a singleton).
pub(crate) fn instantiate(kind: ExcKind, args: Vec<Obj>) -> ExcRef {
    new_exception(kind, PyTuple::new(args).into_obj(), None)
}

/// `str(e)` (`BaseException_str`; `KeyError_str` shows a lone argument's repr).
pub(crate) fn exc_str(e: &ExcObj) -> R<String> {
    let args = PyTuple::from_obj(e.args.clone())
        .expect("args is a tuple")
        .items();
    Ok(match args.len() {
        0 => String::new(),
        1 if e.kind == ExcKind::KeyError => ops::repr(&args[0])?,
        1 => ops::str_of(&args[0])?,
        _ => ops::repr(&e.args)?,
    })
}

/// `repr(e)` (`BaseException_repr`): `ValueError('x')`, `ValueError(1, 2)`, `ValueError()`.
pub(crate) fn exc_repr(e: &ExcObj) -> R<String> {
    let args = PyTuple::from_obj(e.args.clone())
        .expect("args is a tuple")
        .items();
    Ok(if args.len() == 1 {
        format!("{}({})", e.kind.name(), ops::repr(&args[0])?)
    } else {
        format!("{}{}", e.kind.name(), ops::repr(&e.args)?)
    })
}

/// The exception object a raised value stands for: an instance as it is, a class called with
/// no arguments (`raise ValueError`); `what` names the role in the error
/// (`exceptions must derive from BaseException`).
fn exception_of(v: Value, what: &str) -> R<ExcRef> {
    match v {
        Value::Exc(e) => Ok(e),
        Value::Type(TypeTag::Exc(k)) => Ok(instantiate(k, Vec::new())),
        _ => Err(type_err(format!("{what} must derive from BaseException"))),
    }
}

impl Interp<'_> {
    /// A failure of the instruction at `span` (a store, an unpacking), unless an inner
    /// expression's failure placed it already.
    pub(super) fn at(&mut self, span: &Span, fault: Fault) -> Fault {
        if self.err_span.is_none() {
            self.err_span = Some(*span);
        }
        fault
    }

    /// An exception leaves (or is caught in) frame `f`: the exception raised by C code is
    /// chained to the one being handled, then the frame's traceback entry is added.
    pub(super) fn unwind(&mut self, f: &mut Frame, fault: Fault) -> Fault {
        let fault = self.chain_fresh(fault);
        self.tb_here(f);
        fault
    }

    /// `_PyErr_SetObject` for an exception raised by C code while another is handled: it is
    /// normalized at once and its `__context__` is the handled one.
    fn chain_fresh(&mut self, fault: Fault) -> Fault {
        match fault {
            Fault::Py(_) | Fault::PyArgs(..) if !self.handling.is_empty() => {
                let e = normalize(fault);
                self.set_context(&e);
                Fault::Exc(e)
            }
            other => other,
        }
    }

    /// `_PyErr_SetObject`'s implicit chaining: `e.__context__` is the exception being handled
    /// (not itself), and a context chain that would loop back to `e` is cut.
    fn set_context(&self, e: &ExcRef) {
        let Some(top) = self.handling.last() else {
            return;
        };
        if Rc::ptr_eq(top, e) {
            return;
        }
        let mut o = top.clone();
        loop {
            let next = match &*o.value.context.borrow() {
                Some(Value::Exc(c)) => c.clone(),
                _ => break,
            };
            if Rc::ptr_eq(&next, e) {
                *o.value.context.borrow_mut() = None;
                break;
            }
            o = next;
        }
        *e.value.context.borrow_mut() = Some(Value::Exc(top.clone()));
    }

    /// `PyTraceBack_Here`: a traceback entry for frame `f` (making its frame object the first
    /// time), unless a re-raise in this frame left it there already.
    fn tb_here(&mut self, f: &mut Frame) {
        if self.reraised_at == Some(self.depth) {
            self.reraised_at = None;
            return;
        }
        let frame = f
            .frame_obj
            .get_or_insert_with(|| {
                Rc::new(FrameObj {
                    name: f.code.name.clone(),
                    locals: RefCell::new(Vec::new()),
                    gc: GcCounted::new(()),
                })
            })
            .clone();
        // The instruction that raised: the innermost expression that failed, else the
        // statement itself.
        let span = self.err_span.take().unwrap_or(f.stmt_span);
        self.tb = Some(Rc::new(TbNode {
            next: self.tb.take(),
            frame,
            line: f.line,
            span,
            gc: GcCounted::new(()),
        }));
    }

    /// `_PyFrame_Clear`: a frame object a traceback still holds takes the frame's locals.
    /// A local holding an exception whose traceback holds this very frame would make a
    /// reference cycle only the cycle collector frees, which the runner does not model for
    /// exceptions: refused.
    pub(super) fn frame_exit(&mut self, mut f: Frame) -> R<()> {
        let Some(fo) = f.frame_obj.take() else {
            return Ok(());
        };
        if Rc::strong_count(&fo) == 1 {
            return Ok(());
        }
        if f.locals
            .iter()
            .flatten()
            .any(|v| matches!(v, Value::Exc(e) if exc_holds_frame(e, &fo, 0)))
        {
            return Err(Fault::Unsupported(format!(
                "a local of {}() holding an exception whose traceback holds the frame of {}() \
                 itself (a reference cycle through a frame object, which the runner does not \
                 collect)",
                fo.name, fo.name
            )));
        }
        *fo.locals.borrow_mut() = std::mem::take(&mut f.locals);
        Ok(())
    }

    /// The exception caught in frame `f`: its traceback entry added, normalized, the
    /// traceback attached.
    pub(super) fn catch(&mut self, f: &mut Frame, fault: Fault) -> ExcRef {
        let fault = self.unwind(f, fault);
        self.catch_traceback(fault)
    }

    /// The exception object of `fault`, holding the traceback gathered so far.
    pub(super) fn catch_traceback(&mut self, fault: Fault) -> ExcRef {
        let e = normalize(fault);
        *e.value.traceback.borrow_mut() = self.tb.take();
        e
    }

    /// Raise `e` again as it is (a bare `raise`, or `RERAISE`): its traceback goes on from
    /// where it was, without this frame again.
    fn reraise(&mut self, e: ExcRef) -> Fault {
        self.tb = e.value.traceback.borrow().clone();
        self.reraised_at = Some(self.depth);
        Fault::Exc(e)
    }

    /// `raise`, `raise exc`, `raise exc from cause` (`do_raise`).
    pub(super) fn exec_raise(
        &mut self,
        f: &mut Frame,
        exc: Option<&Expr>,
        cause: Option<&Expr>,
    ) -> R<Flow> {
        let Some(exc) = exc else {
            return Err(match self.handling.last() {
                Some(e) => {
                    let e = e.clone();
                    self.reraise(e)
                }
                None => ops::exc(ExcKind::RuntimeError, "No active exception to reraise"),
            });
        };
        let v = self.eval(f, exc)?;
        let cause = match cause {
            Some(c) => Some(self.eval(f, c)?),
            None => None,
        };
        let e = exception_of(v, "exceptions")?;
        if let Some(c) = cause {
            let c = match c {
                Value::Obj(o) if none::is_none(&o) => None,
                other => Some(Value::Exc(exception_of(other, "exception causes")?)),
            };
            *e.value.cause.borrow_mut() = c;
            e.value.suppress_context.set(true);
        }
        Err(self.raise_exc(e))
    }

    /// The exception `generator.throw(typ[, val])` raises (`_gen_throw`'s checks): an
    /// instance as it is, or a class called with `val` (its arguments, if a tuple).
    pub(crate) fn exception_to_raise(&mut self, typ: Value, val: Option<Value>) -> R<Fault> {
        let val = val.filter(|v| !v.is_none());
        let e = match typ {
            Value::Exc(e) => {
                if val.is_some() {
                    return Err(type_err("instance exception may not have a separate value"));
                }
                e
            }
            Value::Type(TypeTag::Exc(k)) => match val {
                None => instantiate(k, Vec::new()),
                Some(Value::Exc(e)) if e.value.kind == k => e,
                // The class called with the tuple as its argument tuple: `args` is it.
                Some(Value::Obj(t)) if t.is_type(&crate::types::tuple::TUPLE_TYPE) => {
                    new_exception(k, t, None)
                }
                Some(v) => instantiate(k, vec![v.into_obj()?]),
            },
            other => {
                return Err(type_err(format!(
                    "exceptions must be classes or instances deriving from BaseException, not {}",
                    other.type_name()
                )));
            }
        };
        Ok(self.raise_exc(e))
    }

    /// `_PyErr_SetObject` for an exception object a statement raises: chained to the one
    /// being handled; its traceback goes on from its `__traceback__`.
    pub(super) fn raise_exc(&mut self, e: ExcRef) -> Fault {
        self.set_context(&e);
        self.tb = e.value.traceback.borrow().clone();
        self.reraised_at = None;
        Fault::Exc(e)
    }

    /// `try` with its handlers, `else` and `finally`.
    pub(super) fn exec_try(
        &mut self,
        f: &mut Frame,
        body: &[Stmt],
        handlers: &[Handler],
        orelse: &[Stmt],
        finalbody: &[Stmt],
    ) -> R<Flow> {
        let r = match self.exec_block(f, body) {
            Ok(Flow::Normal) => self.exec_block(f, orelse),
            Err(fault) if fault.is_python() && !handlers.is_empty() => {
                let e = self.catch(f, fault);
                self.handle(f, e, handlers)
            }
            other => other,
        };
        if finalbody.is_empty() {
            return r;
        }
        match r {
            Ok(flow) => match self.exec_block(f, finalbody)? {
                Flow::Normal => Ok(flow),
                other => Ok(other),
            },
            Err(fault) if fault.is_python() => {
                let e = self.catch(f, fault);
                self.handling.push(e);
                let r = self.exec_block(f, finalbody);
                let r = r.map_err(|e| self.chain_fresh(e));
                let e = self.handling.pop().expect("pushed above");
                match r {
                    Ok(Flow::Normal) => Err(self.reraise(e)),
                    other => other,
                }
            }
            Err(other) => Err(other),
        }
    }

    /// The handlers of a `try`, with exception `e` caught: the first that matches runs, with
    /// `e` as the exception being handled; none matching raises `e` again.
    fn handle(&mut self, f: &mut Frame, e: ExcRef, handlers: &[Handler]) -> R<Flow> {
        let k = self.enter_handler(f, e, handlers)?;
        let h = &handlers[k];
        let mut r = self.bind_handler_name(f, h);
        if r.is_ok() {
            r = self.exec_block(f, &h.body);
        }
        self.leave_handler(f, h, r)
    }

    /// The first handler that catches `e`, which becomes the exception being handled; `e`
    /// raised again when none does (or an error evaluating a handler's classes).
    pub(super) fn enter_handler(
        &mut self,
        f: &mut Frame,
        e: ExcRef,
        handlers: &[Handler],
    ) -> R<usize> {
        self.handling.push(e);
        for (k, h) in handlers.iter().enumerate() {
            let matched = match &h.types {
                None => Ok(true),
                Some(t) => {
                    f.line = h.pos.line;
                    f.stmt_span = Span::default();
                    match self.eval(f, t) {
                        Ok(t) => {
                            let kind = self.handling.last().expect("pushed").value.kind;
                            exc_matches(kind, &t)
                        }
                        Err(fault) => Err(fault),
                    }
                }
            };
            match matched {
                Ok(true) => return Ok(k),
                Ok(false) => {}
                Err(fault) => {
                    let fault = self.chain_fresh(fault);
                    self.handling.pop();
                    return Err(fault);
                }
            }
        }
        let e = self.handling.pop().expect("pushed above");
        Err(self.reraise(e))
    }

    /// `except ... as name`: the name bound to the exception being handled.
    pub(super) fn bind_handler_name(&mut self, f: &mut Frame, h: &Handler) -> R<Flow> {
        if let Some(name) = &h.name {
            let e = Value::Exc(self.handling.last().expect("pushed").clone());
            self.store_name(f, name, e)?;
        }
        Ok(Flow::Normal)
    }

    /// The end of a handler whose body came to `r`: `name = None; del name` (even when the
    /// body raised), and the exception is no longer handled.
    pub(super) fn leave_handler(&mut self, f: &mut Frame, h: &Handler, r: R<Flow>) -> R<Flow> {
        let r = r.map_err(|e| self.chain_fresh(e));
        let r = match (&h.name, r) {
            (Some(name), r) => {
                let cleared = self
                    .store_name(f, name, Value::Obj(none::none()))
                    .and_then(|()| self.delete(f, &Target::Name(name.clone())));
                match (r, cleared) {
                    (Err(e), _) => Err(e),
                    (Ok(_), Err(e)) => Err(e),
                    (Ok(flow), Ok(())) => Ok(flow),
                }
            }
            (None, r) => r,
        };
        self.handling.pop();
        r
    }

    /// The failure of a run ended by `fault`: the traceback in flight, and for an exception
    /// object the chain of causes and contexts before it.
    pub(super) fn failure(&mut self, fault: Fault) -> Failure {
        let traceback = TbNode::entries(&self.tb.take());
        let mut chain = Vec::new();
        let fault = match fault {
            Fault::PyArgs(..) => Fault::Py(as_pyerr(&normalize(fault).value)),
            Fault::Exc(e) => {
                let mut seen: Vec<*const GcCounted<ExcObj>> = vec![Rc::as_ptr(&e)];
                let mut cur = e.clone();
                while let Some((prev, cause)) = chained(&cur) {
                    if seen.contains(&Rc::as_ptr(&prev)) {
                        break;
                    }
                    seen.push(Rc::as_ptr(&prev));
                    chain.push(ChainLink {
                        traceback: TbNode::entries(&prev.value.traceback.borrow()),
                        last_line: last_line(&prev),
                        cause,
                    });
                    cur = prev;
                }
                chain.reverse();
                Fault::Py(as_pyerr(&e.value))
            }
            other => other,
        };
        Failure {
            fault,
            traceback,
            chain,
        }
    }
}

/// The exception object of a Python exception (`_PyErr_NormalizeException`): one raised by
/// C code with a message has it as its one argument (none for an empty message, as
/// `PyErr_SetNone` leaves it); one raised with an argument tuple has that tuple.
fn normalize(fault: Fault) -> ExcRef {
    match fault {
        Fault::Exc(e) => e,
        Fault::Py(p) => {
            let args = if p.msg.is_empty() {
                Vec::new()
            } else {
                vec![PyStr::new(&p.msg).into_obj()]
            };
            new_exception(p.kind, PyTuple::new(args).into_obj(), p.suggestion)
        }
        Fault::PyArgs(kind, args) => new_exception(kind, args, None),
        _ => unreachable!("only Python exceptions are normalized"),
    }
}

/// Whether exception frame object `fo` is in `e`'s traceback, or its cause's or context's.
fn exc_holds_frame(e: &ExcRef, fo: &Rc<FrameObj>, depth: usize) -> bool {
    if depth > 64 {
        return false;
    }
    let mut cur = e.value.traceback.borrow().clone();
    while let Some(n) = cur {
        if Rc::ptr_eq(&n.frame, fo) {
            return true;
        }
        cur = n.next.clone();
    }
    [&e.value.cause, &e.value.context]
        .iter()
        .any(|c| matches!(&*c.borrow(), Some(Value::Exc(x)) if exc_holds_frame(x, fo, depth + 1)))
}

/// The exception printed before `e` and whether `e` was raised from it: `__cause__` if set,
/// else `__context__` unless suppressed (`print_exception_recursive`).
fn chained(e: &ExcRef) -> Option<(ExcRef, bool)> {
    if let Some(Value::Exc(c)) = &*e.value.cause.borrow() {
        return Some((c.clone(), true));
    }
    if e.value.suppress_context.get() {
        return None;
    }
    match &*e.value.context.borrow() {
        Some(Value::Exc(c)) => Some((c.clone(), false)),
        _ => None,
    }
}

/// The class and `str()` of an exception object, as the printer's last line needs them.
fn as_pyerr(e: &ExcObj) -> PyErr {
    let msg = exc_str(e).unwrap_or_else(|_| "<exception str() failed>".into());
    PyErr::new(e.kind, msg).with_suggestion(e.suggestion.clone())
}

fn last_line(e: &ExcRef) -> String {
    as_pyerr(&e.value).to_string()
}

/// `CHECK_EXC_MATCH`: whether class `kind` is caught by `t`, a class or a tuple of classes.
fn exc_matches(kind: ExcKind, t: &Value) -> R<bool> {
    match t {
        Value::Type(TypeTag::Exc(k)) => Ok(kind.is_subclass(*k)),
        Value::Types(ts) => {
            let mut any = false;
            for t in ts.iter() {
                match t {
                    Value::Type(TypeTag::Exc(k)) => any |= kind.is_subclass(*k),
                    _ => return Err(not_exception_class()),
                }
            }
            Ok(any)
        }
        Value::Obj(o) if PyTuple::from_obj(o.clone()).is_ok_and(|t| t.is_empty()) => Ok(false),
        _ => Err(not_exception_class()),
    }
}

fn not_exception_class() -> Fault {
    type_err("catching classes that do not inherit from BaseException is not allowed")
}
