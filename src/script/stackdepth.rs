//! `co_stacksize`: the deepest the value stack of a code object gets, as CPython 3.11's
//! compiler computes it (`stackdepth` over the instructions `compiler_visit_*` emit).
//!
//! A generator's size depends on it: `sys.getsizeof(gen)` is
//! `offsetof(PyGenObject, gi_iframe) + offsetof(_PyInterpreterFrame, localsplus)` (168 bytes)
//! plus a word per local and per stack slot (`gen_sizeof`), since the generator carries its
//! frame. The walk below follows the lowered code as the compiler follows the AST: each
//! expression leaves one value (a call pushes `NULL` and the callable first, a `for` keeps
//! its iterator under its body, a chained comparison copies the middle operand, a handler
//! runs over the exception and the one it replaced, a `finally` body is compiled again for
//! the exception path and in place before a `return` or `break` leaving it). Code the
//! optimizer removes (after `return`, `raise`, `break`, `continue`, in a branch a constant
//! test rules out, after a loop no reachable `break` leaves) counts for nothing. A call of
//! more than 30 stack slots (compiled to `CALL_FUNCTION_EX`) has no answer (`None`).

use std::rc::Rc;

use super::ast::*;

/// Code objects by qualified name, with their `co_stacksize` where it is modelled.
type Sizes = Vec<(Rc<str>, Option<usize>)>;

/// The stack of one code object being walked.
#[derive(Default)]
struct Depth<'c> {
    cur: i32,
    max: i32,
    /// The code's constants (what a constant test decides).
    consts: &'c [crate::object::Obj],
    /// Past a `return`, `raise`, `break` or `continue`, or in a branch a constant test
    /// rules out: code the compiler removes (`optimize_cfg`), which counts for nothing.
    dead: bool,
    /// When listing every code object: the nested ones met, with their answers.
    nested: Option<Sizes>,
    /// The blocks a `return`, `break` or `continue` unwinds (`compiler_unwind_fblock`).
    fblocks: Vec<Fblock<'c>>,
    /// Per enclosing loop, whether a `break` out of it is reachable (then so is the code
    /// after the loop).
    breaks: Vec<bool>,
    /// Walking a second copy of a `finally` body: its nested codes are the first copy's
    /// (the constant cache merges them), not listed again.
    copy: bool,
}

/// A block `return`, `break` and `continue` leave through.
#[derive(Clone, Copy)]
enum Fblock<'c> {
    /// A `for` loop: its iterator is popped.
    For,
    /// A `while` loop.
    While,
    /// The body of a `try` with a `finally`: the `finally` body is compiled in place.
    Finally(&'c [Stmt]),
    /// Anything else (a `try` body, a handler): nothing that deepens the stack.
    Other,
}

/// Every function's and generator expression's `co_stacksize` in a module (the module's
/// first), by qualified name, as far as the walk reaches.
pub(crate) fn all(module: &Code) -> Sizes {
    let mut d = Depth {
        nested: Some(Vec::new()),
        consts: &module.consts,
        ..Depth::default()
    };
    let own = d.stmts(&module.body).map(|()| {
        d.push(1);
        d.max as usize
    });
    let mut out = vec![("<module>".into(), own)];
    out.extend(d.nested.take().unwrap_or_default());
    out
}

/// `co_stacksize` of `code`, and of the codes nested in it when listing them.
fn nested_function(code: &Code, list: bool) -> (Option<usize>, Sizes) {
    let mut d = Depth {
        nested: list.then(Vec::new),
        consts: &code.consts,
        ..Depth::default()
    };
    if code.generator {
        d.push(1);
        d.pop(1);
    }
    let r = d.stmts(&code.body).map(|()| {
        d.push(1);
        d.max as usize
    });
    (r, d.nested.take().unwrap_or_default())
}

/// `co_stacksize` of a function's code (`generator`: it starts with `RETURN_GENERATOR`,
/// `POP_TOP`), or `None` where the walk does not model the code.
pub(crate) fn of_function(code: &Code) -> Option<usize> {
    // The implicit `return None` (`LOAD_CONST None`) ends every body.
    nested_function(code, false).0
}

/// `co_stacksize` of a generator expression's code: `.0` iterated, the inner `for`s, the
/// `if`s, the element yielded.
pub(crate) fn of_genexp(c: &Comp) -> Option<usize> {
    let mut d = Depth {
        consts: &c.code.consts,
        ..Depth::default()
    };
    d.genexp(c)
}

impl<'c> Depth<'c> {
    fn genexp(&mut self, c: &Comp) -> Option<usize> {
        let d = self;
        d.push(1);
        d.pop(1);
        for (i, g) in c.gens.iter().enumerate() {
            if i == 0 {
                d.push(1); // LOAD_FAST .0
            } else {
                d.expr(&g.iter)?;
            }
            d.push(1); // FOR_ITER
            d.store(&g.target)?;
            for cond in &g.ifs {
                // A constant false test leaves the rest of the loop's body dead.
                if !d.test(cond)?.0 {
                    d.dead = true;
                }
            }
        }
        d.expr(&c.elt)?;
        d.pop(1); // YIELD_VALUE, POP_TOP
        d.pop(c.gens.len() as i32);
        // The outermost loop's end is reached: `return None`.
        d.dead = false;
        d.push(1);
        Some(d.max as usize)
    }

    /// A nested code met while listing: its answer recorded, and those nested in it.
    fn record(&mut self, code: &Code, comp: Option<&Comp>) {
        // Dead code's constants are dropped (`remove_unused_consts`).
        if self.dead || self.copy {
            return;
        }
        let Some(nested) = self.nested.as_mut() else {
            return;
        };
        let (r, inner) = match comp {
            Some(c) => {
                let mut d = Depth {
                    nested: Some(Vec::new()),
                    consts: &c.code.consts,
                    ..Depth::default()
                };
                let r = d.genexp(c);
                (r, d.nested.take().unwrap_or_default())
            }
            None => nested_function(code, true),
        };
        nested.push((code.qualname.clone(), r));
        nested.extend(inner);
    }

    fn push(&mut self, n: i32) {
        self.cur += n;
        if !self.dead {
            self.max = self.max.max(self.cur);
        }
    }

    /// What a constant decides as a test (`None`: not a constant).
    fn constant_truth(&self, e: &Expr) -> Option<bool> {
        let o = match e {
            Expr::Lit(o) => o,
            e => self.consts.get(e.loaded_const()?)?,
        };
        super::ops::truthy(o).ok()
    }

    /// A test compiled as jumps (`compiler_jump_if`): whether its true and its false exit
    /// can be reached. Constants decide at compile time (the optimizer turns their jumps
    /// into unconditional ones); `not`, `and`, `or` and a conditional expression combine
    /// their operands' exits, an operand after one that always short-circuits being dead.
    fn test(&mut self, c: &Expr) -> Option<(bool, bool)> {
        if let Some(t) = self.constant_truth(c) {
            return Some((t, !t));
        }
        match c {
            Expr::Unary(UnOp::Not, x, _) => {
                let (t, f) = self.test(x)?;
                Some((f, t))
            }
            Expr::BoolOp(and, xs) => {
                let was = self.dead;
                let mut short = false;
                for x in xs {
                    let reached = !self.dead;
                    let (t, f) = self.test(x)?;
                    let (go_on, stop) = if *and { (t, f) } else { (f, t) };
                    short |= reached && stop;
                    if !go_on {
                        self.dead = true;
                    }
                }
                let through = !self.dead;
                self.dead = was;
                Some(if *and {
                    (through, short)
                } else {
                    (short, through)
                })
            }
            Expr::IfExp(t, a, b) => {
                let (tt, tf) = self.test(t)?;
                let was = self.dead;
                self.dead = was || !tt;
                let a_live = !self.dead;
                let (at, af) = self.test(a)?;
                self.dead = was || !tf;
                let b_live = !self.dead;
                let (bt, bf) = self.test(b)?;
                self.dead = was;
                Some((a_live && at || b_live && bt, a_live && af || b_live && bf))
            }
            _ => {
                self.expr(c)?;
                self.pop(1);
                Some((true, true))
            }
        }
    }

    fn pop(&mut self, n: i32) {
        self.cur -= n;
    }

    fn stmts(&mut self, body: &'c [Stmt]) -> Option<()> {
        body.iter().try_for_each(|s| self.stmt(s))
    }

    /// A block inside an `fblock`.
    fn within(&mut self, b: Fblock<'c>, body: &'c [Stmt]) -> Option<()> {
        self.fblocks.push(b);
        let r = self.stmts(body);
        self.fblocks.pop();
        r
    }

    /// `compiler_unwind_fblock_stack`: what leaving the blocks does, innermost first, up to
    /// (not including) the innermost loop for `break`/`continue`, all of them for `return`:
    /// a `for` pops its iterator, a `finally` body is compiled in place (outside the blocks
    /// it leaves). The stack is as it was afterwards (what follows is dead).
    fn unwind(&mut self, to_loop: bool) -> Option<()> {
        let at = self.cur;
        let saved = self.fblocks.clone();
        while let Some(b) = self.fblocks.pop() {
            match b {
                Fblock::For | Fblock::While if to_loop => break,
                Fblock::For => self.pop(1),
                Fblock::Finally(body) => {
                    let copy = std::mem::replace(&mut self.copy, true);
                    self.stmts(body)?;
                    self.copy = copy;
                }
                Fblock::While | Fblock::Other => {}
            }
        }
        self.fblocks = saved;
        self.cur = at;
        Some(())
    }

    fn stmt(&mut self, s: &'c Stmt) -> Option<()> {
        match &s.kind {
            // A constant statement compiles to nothing.
            StmtKind::Expr(Expr::Lit(_) | Expr::Const(_)) => {}
            StmtKind::Expr(e) => {
                self.expr(e)?;
                self.pop(1);
            }
            StmtKind::Assign(targets, e) => {
                self.expr(e)?;
                for (i, t) in targets.iter().enumerate() {
                    if i + 1 < targets.len() {
                        self.push(1); // COPY 1
                    }
                    self.store(t)?;
                }
            }
            StmtKind::AugAssign(t, _, e, _) => match t {
                Target::Name(_) => {
                    self.push(1);
                    self.expr(e)?;
                    self.pop(2);
                }
                Target::Subscript(a, b, _) => {
                    self.expr(a)?;
                    self.index(b)?;
                    self.push(2); // COPY 2, COPY 2
                    self.pop(1); // BINARY_SUBSCR
                    self.expr(e)?;
                    self.pop(1); // BINARY_OP
                    self.pop(3); // STORE_SUBSCR
                }
                Target::Attr(a, _, _) => {
                    self.expr(a)?;
                    self.push(1); // COPY 1, LOAD_ATTR
                    self.expr(e)?;
                    self.pop(1);
                    self.pop(2);
                }
                Target::Tuple(..) | Target::Starred(_) => return None,
            },
            StmtKind::Del(ts, _) => {
                for t in ts {
                    self.delete(t)?;
                }
            }
            StmtKind::If(c, a, b) => {
                let r0 = !self.dead;
                let (t, f) = self.test(c)?;
                self.dead = !(r0 && t);
                self.stmts(a)?;
                let ra = !self.dead;
                self.dead = !(r0 && f);
                self.stmts(b)?;
                let rb = !self.dead;
                self.dead = !(ra || rb);
            }
            StmtKind::While(c, body, orelse) => {
                let r0 = !self.dead;
                let (t, f) = self.test(c)?;
                self.dead = !(r0 && t);
                self.breaks.push(false);
                self.within(Fblock::While, body)?;
                let broke = self.breaks.pop().unwrap_or(false);
                self.dead = !(r0 && f);
                self.stmts(orelse)?;
                let rb = !self.dead;
                self.dead = !(rb || broke);
            }
            StmtKind::For(t, it, body, orelse) => {
                self.expr(it)?; // GET_ITER keeps it
                self.push(1); // FOR_ITER
                self.store(t)?;
                let r0 = !self.dead;
                self.breaks.push(false);
                self.within(Fblock::For, body)?;
                let broke = self.breaks.pop().unwrap_or(false);
                self.pop(1);
                self.dead = !r0;
                self.stmts(orelse)?;
                let rb = !self.dead;
                self.dead = !(rb || broke);
            }
            StmtKind::Break | StmtKind::Continue => {
                if matches!(s.kind, StmtKind::Break)
                    && !self.dead
                    && let Some(b) = self.breaks.last_mut()
                {
                    *b = true;
                }
                self.unwind(true)?;
                self.dead = true;
            }
            StmtKind::Pass => {}
            StmtKind::Def(_, def, defaults) => {
                self.function(def, defaults)?;
                self.pop(1);
            }
            // A value that is not a constant is computed first and kept while the blocks
            // are left (`preserve_tos`); a constant is loaded after.
            StmtKind::Return(e) => {
                let at = self.cur;
                let preserve = e
                    .as_ref()
                    .is_some_and(|e| !matches!(e, Expr::Const(_) | Expr::Lit(_)));
                if preserve {
                    self.expr(e.as_ref().expect("a value"))?;
                }
                self.unwind(false)?;
                if !preserve {
                    self.push(1); // LOAD_CONST
                }
                self.cur = at;
                self.dead = true;
            }
            StmtKind::Import { attr, .. } => {
                self.push(2); // LOAD_CONST 0, LOAD_CONST fromlist
                self.pop(1); // IMPORT_NAME
                if attr.is_some() {
                    self.push(1); // IMPORT_FROM
                    self.pop(2); // STORE, POP_TOP
                } else {
                    self.pop(1);
                }
            }
            // A constant test decides at compile time: a true one leaves the raise dead, a
            // false one everything after it.
            StmtKind::Assert(c, msg, _) => {
                let (t, f) = self.test(c)?;
                let was = self.dead;
                self.dead = was || !f;
                self.push(1); // LOAD_ASSERTION_ERROR
                if let Some(m) = msg {
                    self.expr(m)?;
                    self.pop(1);
                }
                self.pop(1);
                self.dead = was || !t;
            }
            StmtKind::Raise(e, cause) => {
                let mut n = 0;
                for x in [e, cause].into_iter().flatten() {
                    self.expr(x)?;
                    n += 1;
                }
                self.pop(n);
                self.dead = true;
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => self.try_stmt(body, handlers, orelse, finalbody)?,
        }
        Some(())
    }

    /// `compiler_try_finally` around `compiler_try_except`. A handler is entered with the
    /// exception pushed (`SETUP_FINALLY`'s target) and `PUSH_EXC_INFO` under it; the
    /// `SETUP_CLEANUP` targets have the exception and `lasti` (`COPY 3` there); a named
    /// handler's own cleanup loads `None` over them. A `finally` body is compiled twice:
    /// on the normal path, and with an exception being handled.
    fn try_stmt(
        &mut self,
        body: &'c [Stmt],
        handlers: &'c [Handler],
        orelse: &'c [Stmt],
        finalbody: &'c [Stmt],
    ) -> Option<()> {
        let d0 = self.cur;
        let r0 = !self.dead;
        let finally = !finalbody.is_empty();
        if finally {
            self.fblocks.push(Fblock::Finally(finalbody));
        }
        if handlers.is_empty() {
            self.stmts(body)?;
        } else {
            self.try_except(body, handlers, orelse)?;
        }
        if finally {
            self.fblocks.pop();
            self.stmts(finalbody)?;
            let after = self.dead;
            self.dead = !r0;
            self.cur = d0 + 1;
            self.push(1); // PUSH_EXC_INFO
            let copy = std::mem::replace(&mut self.copy, true);
            self.within(Fblock::Other, finalbody)?;
            self.copy = copy;
            self.dead = !r0;
            self.cur = d0 + 3;
            self.push(1); // COPY 3
            self.cur = d0;
            self.dead = after;
        }
        Some(())
    }

    fn try_except(
        &mut self,
        body: &'c [Stmt],
        handlers: &'c [Handler],
        orelse: &'c [Stmt],
    ) -> Option<()> {
        let d0 = self.cur;
        let r0 = !self.dead;
        self.within(Fblock::Other, body)?;
        self.stmts(orelse)?;
        let mut live = !self.dead;
        for h in handlers {
            self.dead = !r0;
            self.cur = d0 + 1;
            self.push(1); // PUSH_EXC_INFO
            if let Some(t) = &h.types {
                self.expr(t)?;
                self.pop(1); // CHECK_EXC_MATCH, POP_JUMP_IF_FALSE
            }
            self.pop(1); // STORE name, or POP_TOP
            self.within(Fblock::Other, &h.body)?;
            live |= !self.dead;
            if h.name.is_some() {
                self.dead = !r0;
                self.cur = d0 + 3;
                self.push(1); // LOAD_CONST None in the cleanup
            }
        }
        self.dead = !r0;
        self.cur = d0 + 3;
        self.push(1); // COPY 3
        self.cur = d0;
        self.dead = !live;
        Some(())
    }

    /// A store into `t` of the value on top.
    fn store(&mut self, t: &Target) -> Option<()> {
        match t {
            Target::Name(_) => self.pop(1),
            Target::Subscript(a, b, _) => {
                self.expr(a)?;
                self.index(b)?;
                self.pop(3);
            }
            Target::Attr(a, _, _) => {
                self.expr(a)?;
                self.pop(2);
            }
            Target::Tuple(ts, ..) => {
                self.pop(1);
                self.push(ts.len() as i32); // UNPACK_SEQUENCE / UNPACK_EX
                for t in ts {
                    let t = match t {
                        Target::Starred(inner) => inner,
                        t => t,
                    };
                    self.store(t)?;
                }
            }
            Target::Starred(_) => return None,
        }
        Some(())
    }

    fn delete(&mut self, t: &Target) -> Option<()> {
        match t {
            Target::Name(_) => {}
            Target::Subscript(a, b, _) => {
                self.expr(a)?;
                self.index(b)?;
                self.pop(2);
            }
            Target::Attr(a, _, _) => {
                self.expr(a)?;
                self.pop(1);
            }
            Target::Tuple(ts, ..) => {
                for t in ts {
                    self.delete(t)?;
                }
            }
            Target::Starred(_) => return None,
        }
        Some(())
    }

    /// A subscript's index: a slice is built (`BUILD_SLICE`), `None` for a missing bound.
    fn index(&mut self, b: &Expr) -> Option<()> {
        match b {
            Expr::Slice(lo, hi, step) => {
                let n = if step.is_some() { 3 } else { 2 };
                for x in [lo, hi, step].into_iter().take(n) {
                    match x {
                        Some(x) => self.expr(x)?,
                        None => self.push(1),
                    }
                }
                self.pop(n as i32 - 1);
            }
            other => self.expr(other)?,
        }
        Some(())
    }

    /// `MAKE_FUNCTION`: the defaults tuple and keyword-only defaults dict, the closure
    /// tuple, the code.
    fn function(&mut self, def: &FuncDef, d: &Defaults) -> Option<()> {
        self.record(&def.code, None);
        let mut n = 0;
        for x in [&d.pos, &d.kw].into_iter().flatten() {
            self.expr(x)?;
            n += 1;
        }
        let cells = def.code.freevars.len() as i32;
        if cells > 0 {
            self.push(cells);
            self.pop(cells - 1);
            n += 1;
        }
        self.push(1);
        self.pop(n);
        Some(())
    }

    /// An expression: one value more on the stack.
    fn expr(&mut self, e: &Expr) -> Option<()> {
        match e {
            Expr::Lit(_) | Expr::Const(_) | Expr::Name(..) => self.push(1),
            Expr::List { items, big: false } => self.build(items)?,
            Expr::List { items, big: true } => {
                self.push(1);
                for x in items {
                    self.expr(x)?;
                    self.pop(1);
                }
            }
            Expr::ConstList(t) => {
                self.push(1);
                self.expr(t)?;
                self.pop(1);
            }
            Expr::Tuple(items) => self.build(items)?,
            Expr::Dict(chunks, _) => {
                if chunks.is_empty() {
                    self.push(1);
                }
                for (i, c) in chunks.iter().enumerate() {
                    match c {
                        DictChunk::Map(ps) => {
                            for (k, v) in ps {
                                self.expr(k)?;
                                self.expr(v)?;
                            }
                            self.pop(2 * ps.len() as i32);
                            self.push(1);
                        }
                        DictChunk::ConstKeys(keys, vals) => {
                            for v in vals {
                                self.expr(v)?;
                            }
                            self.expr(keys)?;
                            self.pop(vals.len() as i32 + 1);
                            self.push(1);
                        }
                        DictChunk::Big(ps) => {
                            self.push(1);
                            for (k, v) in ps {
                                self.expr(k)?;
                                self.expr(v)?;
                                self.pop(2);
                            }
                        }
                    }
                    if i > 0 {
                        self.pop(1); // DICT_UPDATE
                    }
                }
            }
            Expr::BinOp(_, a, b, _) => {
                self.expr(a)?;
                self.expr(b)?;
                self.pop(1);
            }
            Expr::Unary(_, x, _) | Expr::Attr(x, _, _) => self.expr(x)?,
            Expr::BoolOp(and, xs) => {
                // A constant operand that decides the result leaves what follows dead.
                let was = self.dead;
                for (i, x) in xs.iter().enumerate() {
                    let decides = self.constant_truth(x).map(|t| t != *and);
                    self.expr(x)?;
                    if i + 1 < xs.len() {
                        self.pop(1);
                    }
                    if decides == Some(true) {
                        self.dead = true;
                    }
                }
                self.dead = was;
            }
            Expr::Compare(a, ops, _) => {
                self.expr(a)?;
                for (i, (_, b)) in ops.iter().enumerate() {
                    self.expr(b)?;
                    if i + 1 < ops.len() {
                        self.push(1); // SWAP 2, COPY 2
                        self.pop(2); // COMPARE_OP, JUMP_IF_FALSE_OR_POP
                    } else {
                        self.pop(1);
                    }
                }
            }
            Expr::IfExp(t, a, b) => {
                let (t, f) = self.test(t)?;
                let was = self.dead;
                self.dead = was || !t;
                self.expr(a)?;
                self.pop(1);
                self.dead = was || !f;
                self.expr(b)?;
                self.dead = was;
            }
            Expr::Call {
                func,
                args,
                kwargs,
                ex,
                ..
            } => {
                self.push(1); // PUSH_NULL
                self.expr(func)?;
                self.call_args(args, kwargs, *ex)?;
            }
            Expr::MethodCall {
                recv, args, kwargs, ..
            } => {
                self.expr(recv)?;
                self.push(1); // LOAD_METHOD
                self.call_args(args, kwargs, Expr::is_call_ex(args, kwargs))?;
            }
            Expr::Subscript(a, b, _) => {
                self.expr(a)?;
                self.index(b)?;
                self.pop(1);
            }
            Expr::Slice(..) => self.index(e)?,
            Expr::Comp(c) => {
                if c.genexp {
                    self.record(&c.code, Some(c));
                }
                let cells = c.code.freevars.len() as i32;
                let mut n = 0;
                if cells > 0 {
                    self.push(cells);
                    self.pop(cells - 1);
                    n = 1;
                }
                self.push(1); // LOAD_CONST code
                self.pop(n); // MAKE_FUNCTION
                self.expr(&c.gens[0].iter)?; // GET_ITER
                self.pop(1); // CALL 0
            }
            Expr::Lambda(def, d) => self.function(def, d)?,
            Expr::JoinedStr(parts) => {
                for p in parts {
                    self.expr(p)?;
                }
                if parts.len() != 1 {
                    self.pop(parts.len() as i32);
                    self.push(1);
                }
            }
            Expr::FormattedValue { value, spec, .. } => {
                self.expr(value)?;
                if let Some(s) = spec {
                    self.expr(s)?;
                    self.pop(1);
                }
            }
            Expr::Yield(v, from, _) => {
                match v {
                    Some(v) => self.expr(v)?,
                    None => self.push(1),
                }
                if *from {
                    self.push(1); // LOAD_CONST None
                    self.pop(1);
                }
            }
            Expr::Starred(_) => return None,
        }
        Some(())
    }

    /// `BUILD_LIST n` / `BUILD_TUPLE n` of items (none starred); over 30 (the compiler's
    /// `STACK_USE_GUIDELINE`), an empty list appended to.
    fn build(&mut self, items: &[Expr]) -> Option<()> {
        if items.len() > 30 {
            self.push(1);
            for x in items {
                self.expr(x)?;
                self.pop(1);
            }
            return Some(());
        }
        for x in items {
            self.expr(x)?;
        }
        self.pop(items.len() as i32);
        self.push(1);
        Some(())
    }

    /// A call's arguments after the callable (and `NULL` or `self`): `PRECALL`/`CALL`, or
    /// `CALL_FUNCTION_EX` with the positional ones as one sequence and the keywords as one
    /// dict (`compiler_call_helper`).
    fn call_args(&mut self, args: &[Expr], kwargs: &[(Rc<str>, Expr)], ex: bool) -> Option<()> {
        // Past 30 stack slots the compiler calls through CALL_FUNCTION_EX: not modelled.
        if args.len() + 2 * kwargs.len() > 30 {
            return None;
        }
        if !ex {
            for x in args {
                self.expr(x)?;
            }
            for (_, v) in kwargs {
                self.expr(v)?;
            }
            self.pop(2 + (args.len() + kwargs.len()) as i32);
            self.push(1);
            return Some(());
        }
        // The positional sequence (starunpack_helper into a list, made a tuple).
        match args {
            [Expr::Starred(x)] => self.expr(x)?,
            _ if !args.iter().any(|a| matches!(a, Expr::Starred(_))) => self.build(args)?,
            _ => {
                let mut built = false;
                for (i, a) in args.iter().enumerate() {
                    match a {
                        Expr::Starred(x) => {
                            if !built {
                                self.pop(i as i32);
                                self.push(1);
                                built = true;
                            }
                            self.expr(x)?;
                            self.pop(1);
                        }
                        x => {
                            self.expr(x)?;
                            if built {
                                self.pop(1);
                            }
                        }
                    }
                }
            }
        }
        // The keywords: runs of named ones as a dict each, `**` ones merged in.
        if !kwargs.is_empty() {
            let mut have_dict = false;
            let mut run: Vec<&Expr> = Vec::new();
            for (k, v) in kwargs {
                if &**k == DOUBLE_STAR {
                    if !run.is_empty() {
                        self.subkwargs(&run)?;
                        if have_dict {
                            self.pop(1);
                        }
                        have_dict = true;
                        run.clear();
                    }
                    if !have_dict {
                        self.push(1);
                        have_dict = true;
                    }
                    self.expr(v)?;
                    self.pop(1);
                } else {
                    run.push(v);
                }
            }
            if !run.is_empty() {
                self.subkwargs(&run)?;
                if have_dict {
                    self.pop(1);
                }
            }
            self.pop(1);
        }
        self.pop(2); // CALL_FUNCTION_EX
        Some(())
    }

    /// `compiler_subkwargs`: named keywords as one dict.
    fn subkwargs(&mut self, values: &[&Expr]) -> Option<()> {
        if values.len() > 1 {
            for v in values {
                self.expr(v)?;
            }
            self.push(1); // the keys
            self.pop(values.len() as i32);
        } else {
            self.push(1); // the key
            self.expr(values[0])?;
            self.pop(1);
        }
        Some(())
    }
}
