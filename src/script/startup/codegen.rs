//! Code generation's walk (`compiler_visit_stmt`, `compiler_visit_expr`, `compiler_nameop`,
//! `compiler_function`, `compiler_comprehension`): over the lowered code in the order CPython
//! emits instructions, loading constants through the cache, adding names and local names,
//! and recording an instruction signature (which decides whether two code units' bytes, and
//! so their cache keys, are equal). Code the CFG optimizer removes leaves no signature.

use std::rc::Rc;

use num_bigint::BigInt;

use super::compiler::{Compiler, Key, Unit};
use super::sim::Fl;
use crate::script::ast::*;

impl Compiler {
    /// The tuple of a constant list display or of constant dict keys, which the compiler
    /// builds itself (`ADDOP_LOAD_CONST_NEW`).
    fn built_tuple(&mut self, code: &Code, e: &Expr) {
        match e {
            Expr::Const(i) => {
                let Key::Tuple(items) = self.const_of(code, *i) else {
                    unreachable!("a compiler-built constant is a tuple")
                };
                self.load_const_new(items);
            }
            other => self.expr(code, other),
        }
    }

    /// The cache key of a code unit's constant `i`.
    pub(super) fn const_of(&self, code: &Code, i: usize) -> Key {
        Key::of(&code.consts[i])
    }

    /// `compiler_nameop`: a load, store or delete (`op`) of a name: a global goes to
    /// `co_names`, a fast local to the local names, a cell or free variable is a deref.
    pub(super) fn name(&mut self, n: &Name, op: &str) {
        match n {
            Name::Global(id) => {
                let i = self.unit().add_name(id);
                self.unit().tok(&format!("{op}g{i}"));
            }
            // A cell or free variable: LOAD_DEREF / STORE_DEREF, not a varname (unless a
            // parameter, added at the unit's start).
            Name::Local(slot, id) if self.unit().deref_slots.contains(slot) => {
                self.unit().tok(&format!("{op}d{id}"));
            }
            Name::Local(_, id) => {
                let i = self.unit().add_varname(id);
                self.unit().tok(&format!("{op}f{i}"));
            }
        }
    }

    /// An attribute's name goes to `co_names`.
    fn attr(&mut self, id: &Rc<str>, op: &str) {
        let i = self.unit().add_name(id);
        self.unit().tok(&format!("{op}a{i}"));
    }

    pub(super) fn stmts(&mut self, code: &Code, body: &[Stmt]) {
        for s in body {
            self.stmt(code, s);
        }
    }

    /// `compiler_visit_stmt`.
    fn stmt(&mut self, code: &Code, s: &Stmt) {
        match &s.kind {
            StmtKind::Expr(Expr::Const(i))
                if std::ptr::eq(s, body_first(code))
                    && !code.docstring
                    && matches!(self.const_of(code, *i), Key::Str(_)) =>
            {
                // A str the optimizer folded into the first statement: ast_opt wraps it in
                // an f-string so it is no docstring, and the f-string is compiled.
                let k = self.const_of(code, *i);
                self.load_const(k);
                self.unit().tok("pop");
            }
            StmtKind::Expr(Expr::Const(_)) => {} // a constant statement compiles to nothing
            StmtKind::Expr(e) => {
                self.expr(code, e);
                self.unit().tok("pop");
            }
            StmtKind::Assign(targets, e) => {
                self.expr(code, e);
                for t in targets {
                    self.target(code, t, "st");
                }
            }
            StmtKind::AugAssign(t, op, e, _) => {
                match t {
                    Target::Name(n) => self.name(n, "ld"),
                    Target::Subscript(a, b, _) => {
                        self.expr(code, a);
                        self.expr(code, b);
                    }
                    Target::Attr(a, n, _) => {
                        self.expr(code, a);
                        self.attr(n, "ld");
                    }
                    Target::Tuple(..) | Target::Starred(_) => {}
                }
                self.expr(code, e);
                self.unit().tok(&format!("aug{op:?}"));
                self.target(code, t, "st");
            }
            StmtKind::Del(ts, _) => ts.iter().for_each(|t| self.target(code, t, "del")),
            StmtKind::If(c, a, b) => {
                self.unit().tok("if");
                let t = self.test(code, c);
                let r0 = !self.unit().dead;
                self.unit().dead = !(r0 && t != Some(false));
                self.stmts(code, a);
                let ra = !self.unit().dead;
                self.unit().tok("else");
                self.unit().dead = !(r0 && t != Some(true));
                self.stmts(code, b);
                let rb = !self.unit().dead;
                self.unit().dead = !(ra || rb);
                self.unit().tok("end");
            }
            StmtKind::While(c, a, b) => {
                self.unit().tok("while");
                let t = self.test(code, c);
                let r0 = !self.unit().dead;
                self.unit().dead = !(r0 && t != Some(false));
                self.stmts(code, a);
                self.unit().tok("else");
                self.unit().dead = !(r0 && t != Some(true));
                self.stmts(code, b);
                let rb = !self.unit().dead;
                self.unit().dead = !(rb || (r0 && breaks_out(a)));
                self.unit().tok("end");
            }
            StmtKind::For(t, it, a, b) => {
                self.expr(code, it);
                self.unit().tok("for");
                self.target(code, t, "st");
                let r0 = !self.unit().dead;
                self.stmts(code, a);
                self.unit().tok("else");
                self.unit().dead = !r0;
                self.stmts(code, b);
                let rb = !self.unit().dead;
                self.unit().dead = !(rb || (r0 && breaks_out(a)));
                self.unit().tok("end");
            }
            StmtKind::Break => {
                self.unit().tok("break");
                self.unit().dead = true;
            }
            StmtKind::Continue => {
                self.unit().tok("continue");
                self.unit().dead = true;
            }
            // A NOP, removed when the next instruction is on its line: the implicit
            // `return None` after a unit's last statement is.
            StmtKind::Pass if std::ptr::eq(s, body_last(code)) => {}
            StmtKind::Pass => self.unit().tok("pass"),
            StmtKind::Return(e) => {
                match e {
                    Some(e) => self.expr(code, e),
                    None => self.load_const(Key::None),
                }
                self.unit().tok("ret");
                self.unit().dead = true;
            }
            StmtKind::Def(n, f, d) => {
                // compiler_default_arguments, then the body's unit.
                self.defaults(code, d);
                self.function(f);
                self.name(n, "st");
            }
            StmtKind::Import { module, attr, name } => {
                self.load_const(Key::Int(BigInt::from(0)));
                let m: Rc<str> = module.name().into();
                match attr {
                    None => {
                        self.load_const(Key::None);
                        self.attr(&m, "imp");
                    }
                    Some(a) => {
                        self.load_const_new(vec![Key::Str(a.clone())]);
                        self.attr(&m, "imp");
                        self.attr(a, "from");
                    }
                }
                self.name(name, "st");
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => {
                // `compiler_try_finally` around `compiler_try_except`: the body, the `else`,
                // the handlers (a named one stores the exception, then `name = None; del
                // name`), and the `finally` (compiled twice: the normal and the exception
                // path).
                self.unit().tok("try");
                self.unit().handlers = true;
                let r0 = !self.unit().dead;
                self.stmts(code, body);
                self.stmts(code, orelse);
                let mut live = !self.unit().dead;
                for h in handlers {
                    self.unit().tok("except");
                    self.unit().dead = !r0;
                    if let Some(e) = &h.types {
                        self.expr(code, e);
                    }
                    if let Some(n) = &h.name {
                        self.name(n, "st");
                    }
                    self.stmts(code, &h.body);
                    live |= !self.unit().dead;
                    if let Some(n) = &h.name {
                        self.load_const(Key::None);
                        self.name(n, "st");
                        self.name(n, "del");
                    }
                }
                self.unit().dead = !live;
                if !finalbody.is_empty() {
                    self.unit().tok("finally");
                    self.stmts(code, finalbody);
                    let after = self.unit().dead;
                    self.unit().dead = !r0;
                    self.stmts(code, finalbody);
                    self.unit().dead = after;
                }
                self.unit().tok("end");
            }
            StmtKind::Raise(e, c) => {
                for x in [e, c].into_iter().flatten() {
                    self.expr(code, x);
                }
                self.unit().tok("raise");
                self.unit().dead = true;
            }
            StmtKind::Assert(c, m, _) => {
                self.unit().tok("assert");
                self.expr(code, c);
                if let Some(m) = m {
                    self.expr(code, m);
                }
            }
        }
    }

    /// `compiler_default_arguments`: the positional defaults (`BUILD_TUPLE`, which the CFG
    /// optimizer folds into a new constant when every default is one), then the keyword-only
    /// ones (`compiler_visit_kwonlydefaults`: the names in a list, made a tuple, the list
    /// freed, `BUILD_CONST_KEY_MAP`).
    fn defaults(&mut self, code: &Code, d: &Defaults) {
        match &d.pos {
            Some(Expr::Const(i)) => {
                let Key::Tuple(items) = self.const_of(code, *i) else {
                    unreachable!("folded defaults are a tuple")
                };
                for item in &items {
                    self.load_const(item.clone());
                }
                self.unit().tok(&format!("tuple{}", items.len()));
                self.unit().folds.push(items);
            }
            Some(other) => self.expr(code, other),
            None => {}
        }
        if let Some(Expr::Dict(chunks, _)) = &d.kw
            && let [DictChunk::ConstKeys(k, vs)] = &chunks[..]
        {
            self.sim.pop(Fl::List);
            vs.iter().for_each(|x| self.expr(code, x));
            self.sim.push(Fl::List);
            self.built_tuple(code, k);
            self.unit().tok(&format!("constmap{}", vs.len()));
        }
    }

    /// `compiler_subkwargs`: past one keyword, their names are a new constant tuple
    /// (`BUILD_CONST_KEY_MAP`).
    fn subkwargs(&mut self, run: &mut Vec<Rc<str>>) {
        if run.len() > 1 {
            let keys = run.iter().map(|k| Key::Str(k.clone())).collect();
            self.load_const_new(keys);
        }
        if !run.is_empty() {
            self.unit().tok(&format!("kwmap{}", run.len()));
        }
        run.clear();
    }

    /// An `if`/`while` test. A constant test is decided at compile time: its `LOAD_CONST`
    /// and one branch go (`optimize_basic_block`, then unreachable-block removal).
    fn test(&mut self, code: &Code, c: &Expr) -> Option<bool> {
        let Some(i) = c.loaded_const() else {
            self.expr(code, c);
            return None;
        };
        let k = self.const_of(code, i);
        let t = truth(&k);
        let was = self.unit().dead;
        self.unit().dead = true;
        self.load_const(k);
        self.unit().dead = was;
        Some(t)
    }

    /// An assignment or `del` target (`compiler_visit_expr` in a store or delete context).
    fn target(&mut self, code: &Code, t: &Target, op: &str) {
        match t {
            Target::Name(n) => self.name(n, op),
            Target::Subscript(a, b, _) => {
                self.expr(code, a);
                self.expr(code, b);
                self.unit().tok(&format!("{op}sub"));
            }
            Target::Attr(a, n, _) => {
                self.expr(code, a);
                self.attr(n, op);
            }
            Target::Tuple(ts, ..) => {
                self.unit().tok(&format!("unpack{}", ts.len()));
                ts.iter().for_each(|x| self.target(code, x, op));
            }
            Target::Starred(x) => {
                self.unit().tok("star");
                self.target(code, x, op);
            }
        }
    }

    /// The tuple of keyword names a call with keywords loads (`compiler_call_simple_kw_helper`).
    fn kwnames(&mut self, kwargs: &[(Rc<str>, Expr)]) {
        if !kwargs.is_empty() {
            self.load_const_new(kwargs.iter().map(|(k, _)| Key::Str(k.clone())).collect());
        }
    }

    /// `compiler_visit_expr`.
    fn expr(&mut self, code: &Code, e: &Expr) {
        match e {
            Expr::Lit(o) => self.load_const(Key::of(o)),
            Expr::Const(i) => {
                let k = self.const_of(code, *i);
                self.load_const(k)
            }
            Expr::Name(n, _) => self.name(n, "ld"),
            Expr::List { items, .. } => {
                self.unit().tok(&format!("list{}", items.len()));
                items.iter().for_each(|x| self.expr(code, x));
            }
            Expr::Tuple(items) => {
                self.unit().tok(&format!("tuple{}", items.len()));
                items.iter().for_each(|x| self.expr(code, x));
            }
            Expr::BoolOp(and, items) => {
                // `LOAD_CONST` + `JUMP_IF_FALSE_OR_POP` (`and`) / `JUMP_IF_TRUE_OR_POP` (`or`):
                // a constant that decides the result stays and what follows is dead; one that
                // does not is dropped.
                self.unit().tok(if *and { "and" } else { "or" });
                let was = self.unit().dead;
                for (i, x) in items.iter().enumerate() {
                    let last = i + 1 == items.len();
                    match x {
                        Expr::Const(c) if !last => {
                            let k = self.const_of(code, *c);
                            let decides = truth(&k) != *and;
                            let d = self.unit().dead;
                            self.unit().dead = d || !decides;
                            self.load_const(k);
                            self.unit().dead = d || decides;
                        }
                        _ => self.expr(code, x),
                    }
                }
                self.unit().dead = was;
            }
            Expr::ConstList(x) => {
                self.unit().tok("constlist");
                self.built_tuple(code, x);
            }
            Expr::Unary(op, x, _) => {
                self.expr(code, x);
                self.unit().tok(&format!("{op:?}"));
            }
            Expr::Attr(x, a, _) => {
                self.expr(code, x);
                self.attr(a, "ld");
            }
            Expr::Dict(chunks, _) => {
                for c in chunks {
                    match c {
                        DictChunk::Map(ps) | DictChunk::Big(ps) => {
                            self.unit().tok(&format!("map{}", ps.len()));
                            for (k, v) in ps {
                                self.expr(code, k);
                                self.expr(code, v);
                            }
                        }
                        DictChunk::ConstKeys(k, vs) => {
                            self.unit().tok(&format!("constmap{}", vs.len()));
                            vs.iter().for_each(|x| self.expr(code, x));
                            self.built_tuple(code, k);
                        }
                    }
                }
            }
            Expr::BinOp(op, a, b, _) => {
                self.expr(code, a);
                self.expr(code, b);
                self.unit().tok(&format!("{op:?}"));
            }
            Expr::Subscript(a, b, _) => {
                self.expr(code, a);
                self.expr(code, b);
                self.unit().tok("sub");
            }
            Expr::Compare(a, rest, _) => {
                self.expr(code, a);
                for (op, x) in rest {
                    self.expr(code, x);
                    self.unit().tok(&format!("{op:?}"));
                }
            }
            Expr::IfExp(a, b, c) => {
                self.unit().tok("ifexp");
                let t = self.test(code, a);
                let was = self.unit().dead;
                self.unit().dead = was || t == Some(false);
                self.expr(code, b);
                self.unit().dead = was || t == Some(true);
                self.expr(code, c);
                self.unit().dead = was;
            }
            Expr::Lambda(f, d) => {
                self.defaults(code, d);
                self.function(f);
            }
            Expr::Starred(x) => {
                self.expr(code, x);
                self.unit().tok("extend");
            }
            // YIELD_VALUE of the value (`LOAD_CONST None` for a bare `yield`); `yield from`
            // is GET_YIELD_FROM_ITER, `LOAD_CONST None` and the SEND loop.
            Expr::Yield(x, from, _) => {
                match x {
                    Some(x) => self.expr(code, x),
                    None => self.load_const(Key::None),
                }
                if *from {
                    self.unit().tok("yieldfrom");
                    self.load_const(Key::None);
                }
                self.unit().tok("yield");
            }
            Expr::Call {
                func,
                args,
                kwargs,
                ex: true,
                ..
            } => {
                // compiler_call_helper's ex_call: the arguments as a list made a tuple; the
                // keywords as dicts, runs of plain ones by compiler_subkwargs (a constant
                // tuple of names past one), merged.
                self.expr(code, func);
                args.iter().for_each(|x| self.expr(code, x));
                let mut run: Vec<Rc<str>> = Vec::new();
                for (k, x) in kwargs {
                    if &**k == DOUBLE_STAR {
                        self.subkwargs(&mut run);
                        self.expr(code, x);
                        self.unit().tok("merge");
                    } else {
                        self.expr(code, x);
                        run.push(k.clone());
                    }
                }
                self.subkwargs(&mut run);
                self.unit().tok("callex");
            }
            Expr::Call {
                func, args, kwargs, ..
            } => {
                self.expr(code, func);
                args.iter().for_each(|x| self.expr(code, x));
                kwargs.iter().for_each(|(_, x)| self.expr(code, x));
                self.kwnames(kwargs);
                self.unit()
                    .tok(&format!("call{}", args.len() + kwargs.len()));
            }
            Expr::MethodCall {
                recv,
                name,
                args,
                kwargs,
                ..
            } => {
                self.expr(code, recv);
                self.attr(name, "meth");
                args.iter().for_each(|x| self.expr(code, x));
                kwargs.iter().for_each(|(_, x)| self.expr(code, x));
                self.kwnames(kwargs);
                self.unit()
                    .tok(&format!("call{}", args.len() + kwargs.len()));
            }
            Expr::JoinedStr(parts) => {
                parts.iter().for_each(|x| self.expr(code, x));
                if parts.len() != 1 {
                    self.unit().tok(&format!("build_string{}", parts.len()));
                }
            }
            Expr::FormattedValue {
                value,
                conversion,
                spec,
                ..
            } => {
                self.expr(code, value);
                if let Some(s) = spec {
                    self.expr(code, s);
                }
                self.unit().tok(&format!(
                    "format{}{}",
                    conversion.unwrap_or('-'),
                    u8::from(spec.is_some())
                ));
            }
            Expr::Slice(a, b, c) => {
                self.unit().tok("slice");
                for x in [a, b] {
                    match x {
                        Some(x) => self.expr(code, x),
                        None => self.load_const(Key::None),
                    }
                }
                if let Some(c) = c {
                    self.unit().tok("step");
                    self.expr(code, c);
                }
            }
            Expr::Comp(c) => {
                self.comprehension(code, c);
            }
        }
    }

    /// `compiler_function`: the body in its own unit, then `LOAD_CONST` of the code object.
    fn function(&mut self, f: &FuncDef) {
        let code = &f.code;
        let mut unit = Unit {
            nparams: f.nlocals_params(),
            shape: code.shape.clone(),
            ..Unit::default()
        };
        unit.derefs_of(code);
        for p in &code.locals[..f.nlocals_params()] {
            unit.add_varname(p);
        }
        self.enter(unit);
        // co_consts[0]: the docstring, or None.
        let mut body: &[Stmt] = &code.body;
        let doc = match body.first().map(|s| &s.kind) {
            Some(StmtKind::Expr(Expr::Const(i))) if code.docstring => {
                body = &body[1..];
                self.const_of(code, *i)
            }
            _ => Key::None,
        };
        self.merge_recursive(&doc);
        self.unit().add_const(doc);
        self.stmts(code, body);
        // The implicit `return None` (None is co_consts[0] or already there).
        self.load_const(Key::None);
        self.unit().tok("ret");
        let k = self.exit();
        // compiler_make_closure: LOAD_CONST code, MAKE_FUNCTION (3.11: no qualname).
        self.load_const(k);
        self.unit().tok("mkfn");
    }

    /// `compiler_comprehension`: the comprehension's own unit, then the outermost iterable
    /// in the enclosing one.
    fn comprehension(&mut self, outer: &Code, c: &Comp) {
        let code = &c.code;
        let mut unit = Unit {
            nparams: 1,
            shape: code.shape.clone(),
            ..Unit::default()
        };
        unit.derefs_of(code);
        unit.add_varname(&Rc::from(".0"));
        unit.tok(if c.genexp {
            "genexpr"
        } else if c.dict {
            "dictcomp"
        } else {
            "listcomp"
        });
        self.enter(unit);
        for (i, g) in c.gens.iter().enumerate() {
            if i > 0 {
                match &g.iter {
                    // A one-item display as an inner iterable: just the item.
                    Expr::Tuple(items) | Expr::List { items, .. } if items.len() == 1 => {
                        self.expr(code, &items[0])
                    }
                    it => self.expr(code, it),
                }
            }
            self.unit().tok("for");
            self.target(code, &g.target, "st");
            for x in &g.ifs {
                self.unit().tok("if");
                self.expr(code, x);
            }
        }
        self.expr(code, &c.elt);
        if let Some(v) = &c.value {
            self.expr(code, v);
        }
        if c.genexp {
            // A generator's code ends returning None (a list comprehension returns its list).
            self.unit().tok("yield");
            self.load_const(Key::None);
        }
        let k = self.exit();
        self.load_const(k);
        self.unit().tok("mkfn");
        self.expr(outer, &c.gens[0].iter);
    }
}

/// The first statement of a code's body (a sentinel address when it has none).
fn body_first(code: &Code) -> *const Stmt {
    code.body
        .first()
        .map_or(std::ptr::null(), |s| s as *const Stmt)
}

/// The last statement of a code's body (a sentinel address when it has none).
fn body_last(code: &Code) -> *const Stmt {
    code.body
        .last()
        .map_or(std::ptr::null(), |s| s as *const Stmt)
}

/// A constant's truth value.
fn truth(k: &Key) -> bool {
    match k {
        Key::None => false,
        Key::Int(v) => *v != BigInt::from(0),
        Key::Bool(b) => *b,
        Key::Float(bits) => f64::from_bits(*bits) != 0.0,
        Key::Str(s) => !s.is_empty(),
        Key::Tuple(items) => !items.is_empty(),
        Key::Code(_) | Key::Bytes(_) => true,
    }
}
