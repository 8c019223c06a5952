//! The evaluator: walks the code of [`super::lower`] over real objects, keeping exactly the
//! references CPython 3.11's eval loop keeps (names, frame locals, the value stack's
//! temporaries, iterators holding their iterables, constants held by code objects), so that
//! `sys.getrefcount` agrees.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Write;
use std::rc::Rc;

use super::ast::*;
use super::ops::{self, Fault, exc, type_err};
use super::suggest;
use super::value::*;
use crate::error::{ExcKind, PyErr};
use crate::object::Obj;
use crate::types::dict::PyDict;
use crate::types::list::PyList;
use crate::types::none;
use crate::types::str::PyStr;
use crate::types::tuple::PyTuple;

/// Resource limits of a run.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Statements (and loop iterations, and items walked by builtins) before stopping.
    pub max_steps: u64,
    /// Bytes of memory (pymalloc arenas plus large blocks) before stopping.
    pub max_memory: usize,
    /// `sys.getrecursionlimit()`.
    pub recursion_limit: usize,
}

impl Limits {
    /// The defaults of `pylayout run`.
    pub const DEFAULT: Limits = Limits {
        max_steps: 50_000_000,
        max_memory: 2 << 30,
        recursion_limit: 1000,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// The module's dict: values by name, and the insertion order a dict keeps (which only "Did
/// you mean" reads: kept as a sequence number per key, so `del` stays O(1)).
#[derive(Debug, Default)]
pub(crate) struct Globals {
    map: HashMap<Rc<str>, (u64, Value)>,
    next: u64,
}

impl Globals {
    pub(crate) fn get(&self, name: &str) -> Option<&Value> {
        self.map.get(name).map(|(_, v)| v)
    }

    /// Bind `name`; a key already there keeps its place. Returns the old value.
    pub(crate) fn insert(&mut self, name: Rc<str>, v: Value) -> Option<Value> {
        match self.map.get_mut(&name) {
            Some((_, old)) => Some(std::mem::replace(old, v)),
            None => {
                self.next += 1;
                self.map.insert(name, (self.next, v));
                None
            }
        }
    }

    pub(crate) fn remove(&mut self, name: &str) -> Option<Value> {
        self.map.remove(name).map(|(_, v)| v)
    }

    /// The names in insertion order.
    fn keys_in_order(&self) -> Vec<&str> {
        let mut keys: Vec<(u64, &str)> = self.map.iter().map(|(k, (n, _))| (*n, &**k)).collect();
        keys.sort_unstable();
        keys.into_iter().map(|(_, k)| k).collect()
    }
}

/// Control flow out of a statement.
pub(crate) enum Flow {
    Normal,
    Break,
    Continue,
    Return(Value),
}

/// A failure with where it happened: (line, function) from the outermost frame in.
#[derive(Debug)]
pub struct Failure {
    /// What stopped the run.
    pub fault: Fault,
    /// Traceback entries, outermost first.
    pub traceback: Vec<(u32, Rc<str>)>,
}

pub(crate) type R<T> = Result<T, Fault>;

/// A frame: a code object's fast locals (the module frame uses the globals instead).
pub(crate) struct Frame<'a> {
    pub(crate) code: &'a Code,
    pub(crate) locals: Vec<Option<Value>>,
    pub(crate) parent: Option<&'a Frame<'a>>,
    pub(crate) line: u32,
}

/// Where `--trace` lines go (shared with the runtime's tracer).
pub type TraceSink = Rc<RefCell<Box<dyn Write>>>;

/// The interpreter state of one run.
#[allow(missing_debug_implementations)]
pub struct Interp<'o> {
    /// The module's globals the script made.
    pub(crate) globals: Globals,
    /// The keys `__main__`'s dict has before the first line (`__name__`, ..., `__file__`),
    /// which the runner does not model but "Did you mean" lists first.
    main_globals: &'static [&'static str],
    /// Which of [`Self::main_globals`] a `del` removed.
    main_deleted: Vec<bool>,
    pub(crate) out: &'o mut dyn Write,
    pub(crate) limits: Limits,
    pub(crate) steps: u64,
    pub(crate) depth: usize,
    pub(crate) traceback: Vec<(u32, Rc<str>)>,
    pub(crate) trace: Option<TraceSink>,
    /// The 4-tuple the first `print` leaves behind (see [`Interp::print_parser_init`]).
    pub(crate) printed: Option<Obj>,
    /// `Py_ReprEnter`'s state: the thread-state dict and its `Py_Repr` list, made by the
    /// first repr of a container and kept for the rest of the run.
    pub(crate) repr_state: Option<(Obj, Obj)>,
    /// Whether the code making the current call is quickened (set right before a call).
    pub(crate) caller_quickened: bool,
}

impl<'o> Interp<'o> {
    /// A fresh interpreter writing `print` output to `out`.
    pub fn new(out: &'o mut dyn Write, limits: Limits) -> Self {
        let mut interp = Interp {
            globals: Globals::default(),
            main_globals: &[],
            main_deleted: Vec::new(),
            out,
            limits,
            steps: 0,
            depth: 1,
            traceback: Vec::new(),
            trace: None,
            printed: None,
            repr_state: None,
            caller_quickened: false,
        };
        interp.set_depth(1);
        interp.set_startup(None);
        interp
    }

    /// How CPython was started decides `__main__`'s first keys (only suggestions see them).
    pub fn set_startup(&mut self, startup: Option<super::Startup>) {
        self.main_globals = suggest::main_globals(startup);
        self.main_deleted = vec![false; self.main_globals.len()];
    }

    /// The slot of `name` among `__main__`'s first keys, if it is still there.
    fn main_global(&self, name: &str) -> Option<usize> {
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
    fn name_error(&self, f: &Frame, id: &str, msg: String) -> Fault {
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

    /// `print`'s first GC side effect in 3.11.7: the argument parser's keyword tuple
    /// `('sep', 'end', 'file', 'flush')`, made on the process's first call
    /// (`parser_init`, before the argument tuple) and kept (a 4-tuple of None here: only
    /// its allocation and tracking matter; CPython's strs exist already).
    pub(crate) fn print_parser_init(&mut self) {
        if self.printed.is_none() {
            let items = (0..4).map(|_| crate::types::none::none()).collect();
            self.printed = Some(PyTuple::new(items).into_obj());
        }
    }

    /// One `PyFile_WriteObject` of `print`: it looks up `sys.stdout.write`, a bound method
    /// made before the text and freed after the write (net zero, but its allocation can
    /// start a collection). Flushing `sys.stdout`'s 8 KiB buffer changes no count.
    pub(crate) fn print_write<T>(&mut self, text: impl FnOnce(&mut Self) -> R<T>) -> R<T> {
        crate::gc::on_gc_alloc();
        let r = text(self);
        crate::gc::on_gc_free();
        r
    }

    /// Write name events (bindings and unbindings with the object's refcount) to `w`.
    pub fn set_trace(&mut self, w: TraceSink) {
        self.trace = Some(w);
    }

    fn trace_line(&self, line: std::fmt::Arguments) {
        if let Some(tr) = &self.trace
            && let Ok(mut w) = tr.try_borrow_mut()
        {
            let _ = w.write_fmt(line);
            let _ = w.write_all(b"\n");
        }
    }

    /// Run a module's code.
    pub fn run_module(&mut self, code: &Code) -> Result<(), Failure> {
        code.warm();
        let mut frame = Frame {
            code,
            locals: Vec::new(),
            parent: None,
            line: 0,
        };
        let r = self.exec_block(&mut frame, &code.body);
        match r {
            Ok(_) => Ok(()),
            Err(fault) => {
                self.traceback.push((frame.line, code.name.clone()));
                self.traceback.reverse();
                Err(Failure {
                    fault,
                    traceback: std::mem::take(&mut self.traceback),
                })
            }
        }
    }

    /// The script's own global names, in the order they were first bound.
    pub fn script_globals(&self) -> Vec<&str> {
        self.globals.keys_in_order()
    }

    /// The value a global name holds.
    pub fn global(&self, name: &str) -> Option<&Value> {
        self.globals.get(name)
    }

    /// Drop every global in insertion-independent but deterministic order (sorted names),
    /// as module teardown would.
    pub fn clear_globals(&mut self) {
        let mut names: Vec<Rc<str>> = self.globals.map.keys().cloned().collect();
        names.sort();
        for n in names {
            self.globals.remove(&n);
        }
    }

    pub(crate) fn step(&mut self) -> R<()> {
        self.steps += 1;
        if self.steps > self.limits.max_steps {
            return Err(Fault::Steps(self.limits.max_steps));
        }
        if self.steps & 1023 == 0 {
            self.check_memory(0)?;
        }
        Ok(())
    }

    /// Charge `n` steps for work a builtin does in a loop.
    pub(crate) fn charge(&mut self, n: usize) -> R<()> {
        self.steps = self.steps.saturating_add(n as u64);
        if self.steps > self.limits.max_steps {
            return Err(Fault::Steps(self.limits.max_steps));
        }
        Ok(())
    }

    /// Fail if the memory in use plus `extra` bytes passes the limit.
    pub(crate) fn check_memory(&self, extra: u128) -> R<()> {
        let used = footprint() as u128;
        if used + extra > self.limits.max_memory as u128 {
            return Err(Fault::Memory(format!(
                "{} bytes in use{}",
                used,
                if extra > 0 {
                    format!(", {extra} more requested")
                } else {
                    String::new()
                }
            )));
        }
        Ok(())
    }

    /// Bytes left under the memory limit, for operations that size their result first.
    pub(crate) fn mem_budget(&self) -> usize {
        self.limits.max_memory.saturating_sub(footprint())
    }

    // ---- statements ----

    pub(crate) fn exec_block(&mut self, f: &mut Frame, body: &[Stmt]) -> R<Flow> {
        for s in body {
            match self.exec_stmt(f, s)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    fn exec_stmt(&mut self, f: &mut Frame, s: &Stmt) -> R<Flow> {
        f.line = s.pos.line;
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
            StmtKind::AugAssign(t, op, e) => self.aug_assign(f, t, *op, e)?,
            StmtKind::Del(targets) => {
                for t in targets {
                    self.delete(f, t)?;
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
            StmtKind::Break => return Ok(Flow::Break),
            StmtKind::Continue => return Ok(Flow::Continue),
            StmtKind::Pass => {}
            StmtKind::Def(name, def) => {
                let func = Value::Func(Rc::new(Function {
                    name: def.code.name.clone(),
                    def: def.clone(),
                }));
                crate::gc::on_gc_alloc();
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
                                super::builtins::module_members(*module)
                            )));
                        }
                    },
                };
                self.store_name(f, name, v)?;
            }
            StmtKind::Assert(c, msg) => {
                let cv = self.eval(f, c)?;
                if !self.truthy(&cv)? {
                    let m = match msg {
                        Some(m) => {
                            let v = self.eval(f, m)?;
                            self.str_value(&v)?
                        }
                        None => String::new(),
                    };
                    return Err(exc(ExcKind::AssertionError, m));
                }
            }
        }
        Ok(Flow::Normal)
    }

    fn aug_assign(&mut self, f: &mut Frame, t: &Target, op: BinOp, e: &Expr) -> R<()> {
        match t {
            Target::Name(n) => {
                let cur = self.load_name(f, n)?;
                let v = self.eval(f, e)?;
                let r = self.inplace(op, cur, v)?;
                self.store_name(f, n, r)
            }
            Target::Subscript(oe, ie) => {
                let obj = self.eval(f, oe)?;
                let idx = self.eval_index(f, ie)?;
                let cur = Value::Obj(self.getitem(&obj, &idx)?);
                let v = self.eval(f, e)?;
                let r = self.inplace(op, cur, v)?;
                self.setitem(&obj, &idx, r)
            }
            Target::Tuple(..) => unreachable!("refused by the compiler"),
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
        let plain = format!(
            "unsupported operand type(s) for {}:",
            if op == BinOp::Pow {
                "** or pow()"
            } else {
                op.symbol()
            }
        );
        self.inplace_op(op, a, b).map_err(|e| match e {
            Fault::Py(mut p) if p.kind == ExcKind::TypeError && p.msg.starts_with(&plain) => {
                p.msg = p.msg.replacen(
                    &plain,
                    &format!("unsupported operand type(s) for {}=:", op.symbol()),
                    1,
                );
                Fault::Py(p)
            }
            other => other,
        })
    }

    /// `a op= b`: lists extend and repeat in place; everything else is the binary operator.
    fn inplace_op(&mut self, op: BinOp, a: Value, b: Value) -> R<Value> {
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
                BinOp::Add => {
                    if let Value::Obj(o) = &b
                        && (o.is_type(&crate::types::list::LIST_TYPE)
                            || o.is_type(&crate::types::tuple::TUPLE_TYPE))
                    {
                        let items = seq_items(o);
                        self.check_memory(((l.len() + items.len()) * 8) as u128)?;
                        l.inplace_concat(items);
                    } else {
                        self.extend_list(&l, b)?;
                    }
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

    pub(crate) fn store(&mut self, f: &mut Frame, t: &Target, v: Value) -> R<()> {
        match t {
            Target::Name(n) => self.store_name(f, n, v),
            Target::Subscript(oe, ie) => {
                let obj = self.eval(f, oe)?;
                let idx = self.eval_index(f, ie)?;
                self.setitem(&obj, &idx, v)
            }
            Target::Tuple(ts, _) => {
                let items = self.unpack(v, ts.len())?;
                for (t, it) in ts.iter().zip(items) {
                    self.store(f, t, Value::Obj(it))?;
                }
                Ok(())
            }
        }
    }

    /// `UNPACK_SEQUENCE n`.
    fn unpack(&mut self, v: Value, n: usize) -> R<Vec<Obj>> {
        if let Value::Obj(o) = &v
            && (o.is_type(&crate::types::list::LIST_TYPE)
                || o.is_type(&crate::types::tuple::TUPLE_TYPE))
        {
            let items = seq_items(o);
            if items.len() == n {
                return Ok(items);
            }
            return Err(if items.len() > n {
                exc(
                    ExcKind::ValueError,
                    format!("too many values to unpack (expected {n})"),
                )
            } else {
                exc(
                    ExcKind::ValueError,
                    format!(
                        "not enough values to unpack (expected {n}, got {})",
                        items.len()
                    ),
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

    pub(crate) fn store_name(&mut self, f: &mut Frame, n: &Name, v: Value) -> R<()> {
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
                let old = f.locals[*i].replace(v);
                drop(old);
            }
            Name::Outer(..) => unreachable!("comprehensions only store their own locals"),
        }
        Ok(())
    }

    fn delete(&mut self, f: &mut Frame, t: &Target) -> R<()> {
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
            Target::Name(Name::Local(i, id)) => match f.locals[*i].take() {
                Some(_) => Ok(()),
                None => Err(exc(
                    ExcKind::UnboundLocalError,
                    format!(
                        "cannot access local variable '{id}' where it is not associated with a value"
                    ),
                )),
            },
            Target::Name(Name::Outer(..)) => unreachable!(),
            Target::Subscript(oe, ie) => {
                let obj = self.eval(f, oe)?;
                let idx = self.eval_index(f, ie)?;
                self.delitem(&obj, &idx)
            }
            Target::Tuple(ts, _) => {
                for t in ts {
                    self.delete(f, t)?;
                }
                Ok(())
            }
        }
    }

    // ---- expressions ----

    pub(crate) fn load_name(&mut self, f: &Frame, n: &Name) -> R<Value> {
        match n {
            Name::Local(i, id) => f.locals[*i].clone().ok_or_else(|| {
                exc(
                    ExcKind::UnboundLocalError,
                    format!(
                        "cannot access local variable '{id}' where it is not associated with a value"
                    ),
                )
            }),
            Name::Outer(depth, i, id) => {
                let mut fr = f;
                for _ in 0..*depth {
                    fr = fr.parent.expect("enclosing frame");
                }
                fr.locals[*i].clone().ok_or_else(|| {
                    self.name_error(
                        f,
                        id,
                        format!("cannot access free variable '{id}' where it is not associated with a value in enclosing scope"),
                    )
                })
            }
            Name::Global(id) => match self.globals.get(id) {
                Some(v) => Ok(v.clone()),
                None => Builtin::lookup(id).ok_or_else(|| self.missing_global(f, id)),
            },
        }
    }

    pub(crate) fn eval(&mut self, f: &Frame, e: &Expr) -> R<Value> {
        Ok(match e {
            Expr::Const(i) => Value::Obj(f.code.consts[*i].clone()),
            Expr::Lit(o) => Value::Obj(o.clone()),
            Expr::Name(n) => self.load_name(f, n)?,
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
                if !vals.is_empty() && vals.iter().all(|v| matches!(v, Value::Type(_))) {
                    return Ok(Value::Types(
                        vals.iter()
                            .map(|v| match v {
                                Value::Type(t) => *t,
                                _ => unreachable!(),
                            })
                            .collect::<Vec<_>>()
                            .into(),
                    ));
                }
                let objs = vals
                    .into_iter()
                    .map(Value::into_obj)
                    .collect::<R<Vec<_>>>()?;
                Value::Obj(PyTuple::new(objs).into_obj())
            }
            Expr::Dict(chunks) => Value::Obj(self.dict_display(f, chunks)?.into_obj()),
            Expr::BinOp(op, a, b) => {
                let x = self.eval(f, a)?;
                let y = self.eval(f, b)?;
                self.binary(*op, x, y)?
            }
            Expr::Unary(op, a) => {
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
            Expr::Compare(first, rest) => {
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
            Expr::Call { func, args, kwargs } => {
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
            } => {
                let r = self.eval(f, recv)?;
                self.check_method(&r, name)?;
                let a = self.eval_values(f, args)?;
                let k = self.eval_kwargs(f, kwargs)?;
                self.call_method(r, name, a, k)?
            }
            Expr::Attr(o, name) => {
                let v = self.eval(f, o)?;
                self.get_attr(v, name)?
            }
            Expr::Subscript(o, i) => {
                let obj = self.eval(f, o)?;
                let idx = self.eval_index(f, i)?;
                Value::Obj(self.getitem(&obj, &idx)?)
            }
            // `x[a, b:c]`: a slice inside a tuple of subscripts (a slice object, which the
            // runner does not build).
            Expr::Slice(..) => {
                return Err(Fault::Unsupported(
                    "a slice inside a tuple subscript (x[a, b:c])".into(),
                ));
            }
            Expr::Comp(c) => self.comprehension(f, c)?,
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
    pub(crate) fn eval_index(&mut self, f: &Frame, e: &Expr) -> R<Index> {
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
        let _func = GcCounted::new(());
        let first = self.eval(f, &c.gens[0].iter)?;
        let iter = self.get_iter(first)?;
        c.code.warm();
        let mut frame = Frame {
            code: &c.code,
            locals: vec![None; c.code.locals.len()],
            parent: Some(f),
            line: f.line,
        };
        self.enter()?;
        let result = if c.dict {
            Value::Obj(PyDict::new().into_obj())
        } else {
            Value::Obj(PyList::new().into_obj())
        };
        let r = self.comp_loop(&mut frame, c, 0, Some(iter), &result);
        self.leave();
        r?;
        drop(frame);
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

    pub(crate) fn enter(&mut self) -> R<()> {
        if self.depth >= self.limits.recursion_limit {
            return Err(exc(
                ExcKind::RecursionError,
                "maximum recursion depth exceeded",
            ));
        }
        self.set_depth(self.depth + 1);
        Ok(())
    }

    /// Leave a frame entered by [`Self::enter`].
    pub(crate) fn leave(&mut self) {
        self.set_depth(self.depth - 1);
    }

    /// The Python frames in use; what the recursion limit leaves of them bounds the C-level
    /// recursion of repr and comparisons (CPython counts both against one limit).
    fn set_depth(&mut self, depth: usize) {
        self.depth = depth;
        crate::types::ops::set_recursion_headroom(
            self.limits.recursion_limit.saturating_sub(depth),
        );
    }

    fn binary(&mut self, op: BinOp, a: Value, b: Value) -> R<Value> {
        let (a, b) = match (a, b) {
            (Value::Obj(a), Value::Obj(b)) => (a, b),
            (a, b) => return Err(mixed_operands(op, &a, &b)),
        };
        self.charge_bigint(op, &a, &b)?;
        Ok(Value::Obj(ops::binary_op(op, &a, &b, self.mem_budget())?))
    }

    /// Charge steps for big-int arithmetic by its cost (a multiplication of n-word numbers
    /// costs about n^1.6 word operations), so a single `2 ** 10**9` meets the step limit
    /// instead of running for minutes.
    pub(crate) fn charge_bigint(&mut self, op: BinOp, a: &Obj, b: &Obj) -> R<()> {
        // Machine-word operands cost nothing here: only a power can outgrow them.
        if op != BinOp::Pow && ops::machine_ints(a, b).is_some() {
            return Ok(());
        }
        let (Some(x), Some(y)) = (ops::int_value(a), ops::int_value(b)) else {
            return Ok(());
        };
        let words = |bits: u64| (bits / 64 + 1) as f64;
        let cost = match op {
            BinOp::Mul | BinOp::FloorDiv | BinOp::Mod | BinOp::Div => {
                let n = words(x.bits().max(y.bits()));
                if n < 64.0 { 0.0 } else { n.powf(1.6) / 1024.0 }
            }
            BinOp::Pow
                if y.sign() == num_bigint::Sign::Plus
                    && u64::try_from(&y).is_err()
                    && x.bits() > 1 =>
            {
                return Err(Fault::Memory(format!(
                    "an int power with a {}-bit exponent",
                    y.bits()
                )));
            }
            BinOp::Pow => match u64::try_from(&y) {
                Ok(e) if x.bits() > 1 => {
                    // The memory limit speaks first: the result needs bits(x) * e bits.
                    self.check_memory(x.bits() as u128 * e as u128 / 8)?;
                    let n = words(x.bits().saturating_mul(e));
                    if n < 64.0 { 0.0 } else { n.powf(1.6) / 512.0 }
                }
                _ => 0.0,
            },
            _ => {
                let n = words(x.bits().max(y.bits()));
                if n < 4096.0 { 0.0 } else { n / 64.0 }
            }
        };
        if cost >= 1.0 {
            self.charge(cost.min(u64::MAX as f64 / 2.0) as usize)?;
        }
        Ok(())
    }

    pub(crate) fn truthy(&mut self, v: &Value) -> R<bool> {
        match v {
            Value::Obj(o) => ops::truthy(o),
            Value::Range(r) => Ok(range_len(r.0, r.1, r.2) > 0),
            Value::View(vw) => Ok(!PyDict::from_obj(vw.value.0.clone())
                .expect("dict")
                .is_empty()),
            _ => Ok(true),
        }
    }

    fn compare(&mut self, op: CmpOp, a: &Value, b: &Value) -> R<bool> {
        match op {
            CmpOp::In | CmpOp::NotIn => {
                let r = self.contains(b, a)?;
                return Ok(r == (op == CmpOp::In));
            }
            CmpOp::Is | CmpOp::IsNot => {
                return Ok(values_identical(a, b) == (op == CmpOp::Is));
            }
            _ => {}
        }
        match (a, b) {
            (Value::Obj(x), Value::Obj(y)) => ops::compare(op, x, y),
            (Value::Range(ra), Value::Range(rb)) if matches!(op, CmpOp::Eq | CmpOp::Ne) => {
                let ((a0, a1, a2), (b0, b1, b2)) = (&**ra, &**rb);
                // range_equals: the same sequence of numbers.
                let (n, m) = (range_len(*a0, *a1, *a2), range_len(*b0, *b1, *b2));
                let same = n == m && (n == 0 || (a0 == b0 && (n == 1 || a2 == b2)));
                Ok(same == (op == CmpOp::Eq))
            }
            (Value::View(x), Value::View(y))
                if matches!(op, CmpOp::Eq | CmpOp::Ne)
                    && !Rc::ptr_eq(x, y)
                    && x.value.1 != ViewKind::Values
                    && y.value.1 != ViewKind::Values =>
            {
                Err(Fault::Unsupported(
                    "comparing dict views (they compare as sets)".into(),
                ))
            }
            _ => match op {
                CmpOp::Eq => Ok(values_identical(a, b)),
                CmpOp::Ne => Ok(!values_identical(a, b)),
                _ => Err(type_err(format!(
                    "'{}' not supported between instances of '{}' and '{}'",
                    op.symbol(),
                    a.type_name(),
                    b.type_name()
                ))),
            },
        }
    }

    /// `item in container`.
    pub(crate) fn contains(&mut self, container: &Value, item: &Value) -> R<bool> {
        match container {
            Value::Obj(c) => {
                if let Ok(s) = PyStr::from_obj(c.clone()) {
                    let Some(Ok(sub)) = item.as_obj().map(|o| PyStr::from_obj(o.clone())) else {
                        return Err(type_err(format!(
                            "'in <string>' requires string as left operand, not {}",
                            item.type_name()
                        )));
                    };
                    self.charge(s.len() / 64)?;
                    return Ok(s.to_string().contains(&sub.to_string()));
                }
                if let Ok(d) = PyDict::from_obj(c.clone()) {
                    let item = item.clone().into_obj()?;
                    return Ok(d.contains(&item)?);
                }
                if let Ok(l) = PyList::from_obj(c.clone()) {
                    self.charge(l.len())?;
                    let item = item.clone().into_obj()?;
                    return Ok(l.contains(&item)?);
                }
                if let Ok(t) = PyTuple::from_obj(c.clone()) {
                    self.charge(t.len())?;
                    let item = item.clone().into_obj()?;
                    return Ok(t.contains(&item)?);
                }
                Err(type_err(format!(
                    "argument of type '{}' is not iterable",
                    c.type_name()
                )))
            }
            Value::Range(r) if item.as_obj().is_some_and(|o| ops::int_value(o).is_some()) => {
                let (a, b, s) = &**r;
                // range_contains_long: arithmetic, in 128 bits (an int past 64 bits is
                // outside every range we hold).
                let Some(x) = item.as_obj().and_then(ops::int_i64) else {
                    return Ok(false);
                };
                let (a, b, s, x) = (*a as i128, *b as i128, *s as i128, x as i128);
                let inside = if s > 0 {
                    a <= x && x < b
                } else {
                    b < x && x <= a
                };
                Ok(inside && (x - a) % s == 0)
            }
            Value::View(vw) => {
                let d = PyDict::from_obj(vw.value.0.clone()).expect("dict");
                match vw.value.1 {
                    ViewKind::Keys => Ok(d.contains(&item.clone().into_obj()?)?),
                    ViewKind::Values => {
                        let item = item.clone().into_obj()?;
                        for (_, v) in d.items() {
                            if crate::types::ops::eq(&v, &item)? {
                                return Ok(true);
                            }
                        }
                        Ok(false)
                    }
                    ViewKind::Items => {
                        let item = item.clone().into_obj()?;
                        let Ok(t) = PyTuple::from_obj(item) else {
                            return Ok(false);
                        };
                        if t.len() != 2 {
                            return Ok(false);
                        }
                        let kv = t.items();
                        match d.get(&kv[0])? {
                            Some(v) => Ok(crate::types::ops::eq(&v, &kv[1])?),
                            None => Ok(false),
                        }
                    }
                }
            }
            other => {
                if !self.is_iterable(other) {
                    return Err(type_err(format!(
                        "argument of type '{}' is not iterable",
                        other.type_name()
                    )));
                }
                let mut it = self.get_iter(other.clone())?;
                let item = item.clone().into_obj()?;
                while let Some(x) = self.iter_next(&mut it)? {
                    self.step()?;
                    if crate::types::ops::eq(&x, &item)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
        }
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

    /// The first repr of a container creates `Py_ReprEnter`'s thread-state dict and list
    /// (GC objects, from the free lists when they have some).
    fn repr_enter(&mut self, o: &Obj) {
        if self.repr_state.is_none()
            && (o.is_type(&crate::types::list::LIST_TYPE)
                || o.is_type(&crate::types::tuple::TUPLE_TYPE)
                || o.is_type(&crate::types::dict::DICT_TYPE))
        {
            let d = PyDict::new().into_obj();
            let l = PyList::new().into_obj();
            self.repr_state = Some((d, l));
        }
    }

    /// `str(v)` as text.
    pub(crate) fn str_value(&mut self, v: &Value) -> R<String> {
        if let Value::Obj(o) = v {
            self.repr_enter(o);
        }
        Ok(match v {
            Value::Obj(o) => ops::str_of(o)?,
            other => self.repr_value(other)?,
        })
    }

    /// `repr(v)`.
    pub(crate) fn repr_value(&mut self, v: &Value) -> R<String> {
        if let Value::Obj(o) = v {
            self.repr_enter(o);
        }
        Ok(match v {
            Value::Obj(o) => ops::repr(o)?,
            Value::Func(func) => format!("<function {} at {:#x}>", func.name, v.identity()),
            Value::Builtin(b) => match b.class_name() {
                Some(class) => format!("<class '{class}'>"),
                None => format!("<built-in function {}>", b.name()),
            },
            Value::Type(t) => format!("<class '{}'>", t.name()),
            Value::Module(m) => format!("<module '{}' (built-in)>", m.name()),
            Value::Method(m) => format!(
                "<built-in method {} of {} object at {:#x}>",
                m.value.name,
                m.value.recv.type_name(),
                m.value.recv.identity()
            ),
            Value::Range(r) => {
                let (a, b, s) = &**r;
                if *s == 1 {
                    format!("range({a}, {b})")
                } else {
                    format!("range({a}, {b}, {s})")
                }
            }
            Value::View(vw) => {
                let d = PyDict::from_obj(vw.value.0.clone()).expect("dict");
                let parts: Vec<String> = match vw.value.1 {
                    ViewKind::Keys => d.keys().iter().map(ops::repr).collect::<R<_>>()?,
                    ViewKind::Values => d
                        .items()
                        .iter()
                        .map(|(_, v)| ops::repr(v))
                        .collect::<R<_>>()?,
                    ViewKind::Items => d
                        .items()
                        .iter()
                        .map(|(k, v)| Ok(format!("({}, {})", ops::repr(k)?, ops::repr(v)?)))
                        .collect::<R<_>>()?,
                };
                let name = match vw.value.1 {
                    ViewKind::Keys => "dict_keys",
                    ViewKind::Values => "dict_values",
                    ViewKind::Items => "dict_items",
                };
                format!("{name}([{}])", parts.join(", "))
            }
            Value::Iter(it) => format!(
                "<{} object at {:#x}>",
                it.borrow().value.tag().name(),
                v.identity()
            ),
            Value::Types(ts) => {
                let parts: Vec<String> = ts
                    .iter()
                    .map(|t| format!("<class '{}'>", t.name()))
                    .collect();
                if parts.len() == 1 {
                    format!("({},)", parts[0])
                } else {
                    format!("({})", parts.join(", "))
                }
            }
        })
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

/// `is` between values.
pub(crate) fn values_identical(a: &Value, b: &Value) -> bool {
    a.identity() == b.identity()
}

/// The fault of `a op b` where one operand is not an object in our memory: CPython's
/// TypeError where it has one, or a refusal where CPython would compute something.
fn mixed_operands(op: BinOp, a: &Value, b: &Value) -> Fault {
    // `str % anything` is printf-style formatting (str.__mod__), whatever the right operand
    // (as in ops::binary_op for two objects).
    if op == BinOp::Mod && matches!(a, Value::Obj(o) if o.is_type(&crate::types::str::STR_TYPE)) {
        return Fault::Unsupported("printf-style string formatting (str % ...)".into());
    }
    if matches!(a, Value::Types(_)) || matches!(b, Value::Types(_)) {
        return Fault::Unsupported("a tuple of types as an operand".into());
    }
    if op == BinOp::BitOr && (matches!(a, Value::Type(_)) || matches!(b, Value::Type(_))) {
        return Fault::Unsupported("union types (X | Y)".into());
    }
    let is_view = |v: &Value| matches!(v, Value::View(_));
    if (is_view(a) || is_view(b))
        && matches!(
            op,
            BinOp::Sub | BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor
        )
    {
        return Fault::Unsupported("set operations on dict views".into());
    }
    let seq = |v: &Value| {
        v.as_obj().and_then(|o| {
            ["str", "list", "tuple"]
                .into_iter()
                .find(|t| o.type_name() == *t)
        })
    };
    match op {
        BinOp::Add => {
            if let Some(t) = seq(a) {
                return type_err(format!(
                    "can only concatenate {t} (not \"{}\") to {t}",
                    b.type_name()
                ));
            }
        }
        BinOp::Mul => {
            if seq(a).is_some() {
                return type_err(format!(
                    "can't multiply sequence by non-int of type '{}'",
                    b.type_name()
                ));
            }
            if seq(b).is_some() {
                return type_err(format!(
                    "can't multiply sequence by non-int of type '{}'",
                    a.type_name()
                ));
            }
        }
        _ => {}
    }
    type_err(format!(
        "unsupported operand type(s) for {}: '{}' and '{}'",
        if op == BinOp::Pow {
            "** or pow()"
        } else {
            op.symbol()
        },
        a.type_name(),
        b.type_name()
    ))
}

/// The items of a list or tuple.
pub(crate) fn seq_items(o: &Obj) -> Vec<Obj> {
    if let Ok(l) = PyList::from_obj(o.clone()) {
        return l.items();
    }
    PyTuple::from_obj(o.clone()).expect("list or tuple").items()
}

/// `len(range(a, b, s))`.
pub(crate) fn range_len(a: i64, b: i64, s: i64) -> u64 {
    let (a, b, s) = (a as i128, b as i128, s as i128);
    let n = if s > 0 {
        if a < b { (b - a - 1) / s + 1 } else { 0 }
    } else if a > b {
        (a - b - 1) / (-s) + 1
    } else {
        0
    };
    n as u64
}

/// A subscript: an item or a slice `a:b:c`.
#[derive(Debug)]
pub(crate) enum Index {
    Item(Obj),
    Slice(Option<Obj>, Option<Obj>, Option<Obj>),
}

/// An iterator a loop holds: shared when the iterable was an iterator object already.
pub(crate) enum LoopIter {
    /// The iterator and, for GC iterator types, its generation-0 count.
    Own(Box<Iter>, #[allow(dead_code)] Option<GcCounted<()>>),
    Shared(Rc<RefCell<GcCounted<Iter>>>),
}

/// Memory in use: pymalloc's arenas plus the large blocks objects took from the C
/// allocator. (It was `mallinfo2`, which walks the C heap: slow on a fragmented heap, for a
/// check made before every large allocation, and blind under AddressSanitizer.)
pub fn footprint() -> usize {
    crate::runtime::heap_footprint()
}
