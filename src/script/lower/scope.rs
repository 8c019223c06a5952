//! Scopes, for the subset: which names are locals, globals or a comprehension's free names
//! (the job of CPython's `Python/symtable.c`), and the order of `co_varnames` (3.11's
//! `compiler_nameop`). Modules bind globals; functions bind what they assign, import or
//! define, unless declared `global`; comprehensions bind their targets and read the
//! enclosing scopes' locals as cells. A name an inner function or comprehension reads from an
//! enclosing function (a closure) makes that local a cell, and a free variable of every
//! scope in between (`symtable.c`'s `analyze_cells` and free-variable propagation).

use hashbrown::{HashMap, HashSet};
use std::rc::Rc;

use tree_sitter::Node;

use super::syntax::named_children;
use super::{Lowerer, Res};
use crate::script::ast::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ScopeKind {
    Module,
    Function,
    Comp,
}

#[derive(Debug)]
pub(super) struct Scope {
    pub(super) kind: ScopeKind,
    pub(super) locals: Vec<Rc<str>>,
    pub(super) index: HashMap<Rc<str>, usize>,
    pub(super) globals: HashSet<Rc<str>>,
    /// Slots a nested scope reads: cells, not in `co_varnames`.
    pub(super) cells: HashSet<usize>,
    /// Free variables: (slot here, slot of the enclosing scope the cell comes from).
    pub(super) frees: Vec<(usize, usize)>,
    /// Names declared `nonlocal`.
    pub(super) nonlocals: HashSet<Rc<str>>,
    /// The qualified name of the code (`compiler_set_qualname`); empty for the module.
    pub(super) qualname: Rc<str>,
    /// Whether a `yield` is in its body (`CO_GENERATOR`).
    pub(super) generator: bool,
}

impl Scope {
    pub(super) fn new(kind: ScopeKind) -> Scope {
        Scope {
            kind,
            locals: Vec::new(),
            index: HashMap::new(),
            globals: HashSet::new(),
            cells: HashSet::new(),
            frees: Vec::new(),
            nonlocals: HashSet::new(),
            qualname: "".into(),
            generator: false,
        }
    }

    /// The cell slots, in slot order.
    pub(super) fn cellvars(&self) -> Vec<usize> {
        let mut v: Vec<usize> = self.cells.iter().copied().collect();
        v.sort_unstable();
        v
    }

    /// Whether slot `i` is a free variable here.
    pub(super) fn is_free(&self, i: usize) -> bool {
        self.frees.iter().any(|&(s, _)| s == i)
    }

    pub(super) fn add_local(&mut self, name: &str) -> usize {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let n: Rc<str> = name.into();
        self.locals.push(n.clone());
        self.index.insert(n, self.locals.len() - 1);
        self.locals.len() - 1
    }
}

impl<'s> Lowerer<'s> {
    /// The qualified name of a code named `name` nested in the current scope
    /// (`compiler_set_qualname`): `outer.<locals>.name` in a function, `<listcomp>.name` in a
    /// comprehension, `name` at module level or when the function declares it `global`.
    pub(super) fn qualname(&self, name: &str) -> Rc<str> {
        match self.scopes.last() {
            Some(s) if s.globals.contains(name) => name.into(),
            Some(s) if s.kind == ScopeKind::Function => {
                format!("{}.<locals>.{name}", s.qualname).into()
            }
            Some(s) if s.kind == ScopeKind::Comp => format!("{}.{name}", s.qualname).into(),
            _ => name.into(),
        }
    }

    fn scope(&mut self) -> &mut Scope {
        self.scopes.last_mut().expect("a scope")
    }

    /// The name as a store target in the current scope.
    pub(super) fn store_name(&mut self, ident: &str) -> Name {
        let sc = self.scopes.last().expect("a scope");
        match sc.kind {
            ScopeKind::Module => Name::Global(ident.into()),
            _ if sc.globals.contains(ident) => Name::Global(ident.into()),
            _ if sc.nonlocals.contains(ident) => self.free_name(ident).expect("checked at def"),
            _ => {
                let i = self.scope().add_local(ident);
                Name::Local(i, ident.into())
            }
        }
    }

    /// The name as a load in the current scope.
    pub(super) fn load_name(&mut self, _n: Node, ident: &str) -> Res<Name> {
        let top = self.scopes.len() - 1;
        let sc = &self.scopes[top];
        if sc.kind == ScopeKind::Module || sc.globals.contains(ident) {
            return Ok(Name::Global(ident.into()));
        }
        if let Some(&i) = sc.index.get(ident) {
            return Ok(Name::Local(i, ident.into()));
        }
        Ok(self
            .free_name(ident)
            .unwrap_or_else(|| Name::Global(ident.into())))
    }

    /// `ident` as a free variable of the current scope, if an enclosing function or
    /// comprehension binds it: that scope's slot becomes a cell, and every scope from there
    /// in gets a free slot whose cell comes from the scope around it.
    pub(super) fn free_name(&mut self, ident: &str) -> Option<Name> {
        let top = self.scopes.len() - 1;
        for k in (0..top).rev() {
            let outer = &self.scopes[k];
            if outer.kind == ScopeKind::Module || outer.globals.contains(ident) {
                return None;
            }
            let Some(&i) = outer.index.get(ident) else {
                continue;
            };
            if !outer.is_free(i) {
                self.scopes[k].cells.insert(i);
            }
            let mut src = i;
            for m in k + 1..=top {
                let j = self.scopes[m].add_local(ident);
                self.scopes[m].frees.push((j, src));
                src = j;
            }
            return Some(Name::Local(src, ident.into()));
        }
        None
    }

    /// Names a function body binds (its locals), without entering nested scopes; and the
    /// names it declares `global` (`false`) or `nonlocal` (`true`).
    pub(super) fn collect_bindings(
        &self,
        n: Node,
        bound: &mut Vec<String>,
        globals: &mut Vec<(String, bool)>,
    ) {
        match n.kind() {
            "function_definition" | "class_definition" => {
                if let Some(name) = n.child_by_field_name("name") {
                    bound.push(self.text(name).into());
                }
                return;
            }
            "list_comprehension"
            | "dictionary_comprehension"
            | "set_comprehension"
            | "generator_expression"
            | "lambda" => return,
            "global_statement" | "nonlocal_statement" => {
                let nonlocal = n.kind() == "nonlocal_statement";
                for c in named_children(n) {
                    globals.push((self.text(c).into(), nonlocal));
                }
                return;
            }
            "assignment" | "augmented_assignment" => {
                if let Some(left) = n.child_by_field_name("left") {
                    self.collect_target_names(left, bound);
                }
                if let Some(right) = n.child_by_field_name("right") {
                    self.collect_bindings(right, bound, globals);
                }
                return;
            }
            "for_statement" => {
                if let Some(left) = n.child_by_field_name("left") {
                    self.collect_target_names(left, bound);
                }
            }
            "as_pattern" if n.parent().is_some_and(|p| p.kind() == "except_clause") => {
                if let Some(a) = n.child_by_field_name("alias") {
                    for c in named_children(a) {
                        self.collect_target_names(c, bound);
                    }
                }
                return;
            }
            "delete_statement" => {
                for c in named_children(n) {
                    self.collect_target_names(c, bound);
                }
            }
            "import_statement" | "import_from_statement" => {
                for c in named_children(n) {
                    match c.kind() {
                        "aliased_import" => {
                            if let Some(a) = c.child_by_field_name("alias") {
                                bound.push(self.text(a).into());
                            }
                        }
                        "dotted_name" if n.child_by_field_name("module_name") != Some(c) => {
                            let t = self.text(c);
                            bound.push(t.split('.').next().unwrap_or(t).into());
                        }
                        _ => {}
                    }
                }
                return;
            }
            _ => {}
        }
        for c in named_children(n) {
            self.collect_bindings(c, bound, globals);
        }
    }

    pub(super) fn collect_target_names(&self, n: Node, out: &mut Vec<String>) {
        match n.kind() {
            "identifier" => out.push(self.text(n).into()),
            "pattern_list"
            | "tuple_pattern"
            | "list_pattern"
            | "expression_list"
            | "tuple"
            | "list"
            | "parenthesized_expression" => {
                for c in named_children(n) {
                    self.collect_target_names(c, out);
                }
            }
            _ => {}
        }
    }
}

/// Builds `co_varnames` (3.11's `compiler_nameop` adds a fast local to `u_varnames` the first
/// time it emits a load, store or delete of it, after the parameters): walks a code unit in
/// the order code generation visits it — the order [`Lowerer::consts_stmt`] registers
/// constants in (an assignment's value before its targets, a `for`'s iterable before its
/// target, dead code too).
pub(super) struct Varnames<'s> {
    locals: &'s [Rc<str>],
    cells: &'s HashSet<usize>,
    seen: Vec<bool>,
    out: Vec<Rc<str>>,
}

impl<'s> Varnames<'s> {
    pub(super) fn new(scope: &'s Scope, nparams: usize) -> Self {
        let mut v = Varnames {
            locals: &scope.locals,
            cells: &scope.cells,
            seen: vec![false; scope.locals.len()],
            out: Vec::new(),
        };
        // Parameters come first, cells or not; free variables are not among them.
        for i in 0..nparams {
            v.seen[i] = true;
            v.out.push(scope.locals[i].clone());
        }
        for &(i, _) in &scope.frees {
            v.seen[i] = true;
        }
        v
    }

    pub(super) fn name(&mut self, n: &Name) {
        if let Name::Local(i, _) = n
            && !self.seen[*i]
        {
            self.seen[*i] = true;
            if !self.cells.contains(i) {
                self.out.push(self.locals[*i].clone());
            }
        }
    }

    /// `co_varnames`. `complete`: no statement was left out for a refusal (a left-out
    /// statement's locals are never met, and the program does not run).
    pub(super) fn finish(self, complete: bool) -> Vec<Rc<str>> {
        debug_assert!(
            !complete || self.seen.iter().all(|&s| s),
            "every local of {:?} is met by the walk ({:?} were)",
            self.locals,
            self.out
        );
        self.out
    }

    pub(super) fn stmt(&mut self, s: &Stmt) {
        match &s.kind {
            StmtKind::Expr(e) | StmtKind::Return(Some(e)) => self.expr(e),
            StmtKind::Assign(targets, e) => {
                self.expr(e);
                targets.iter().for_each(|t| self.target(t));
            }
            StmtKind::AugAssign(t, _, e, _) => {
                self.target(t);
                self.expr(e);
            }
            StmtKind::Del(ts, _) => ts.iter().for_each(|t| self.target(t)),
            StmtKind::If(c, a, b) | StmtKind::While(c, a, b) => {
                self.expr(c);
                a.iter().chain(b).for_each(|s| self.stmt(s));
            }
            StmtKind::For(t, it, a, b) => {
                self.expr(it);
                self.target(t);
                a.iter().chain(b).for_each(|s| self.stmt(s));
            }
            StmtKind::Assert(c, m, _) => {
                self.expr(c);
                if let Some(m) = m {
                    self.expr(m);
                }
            }
            StmtKind::Def(n, _, d) => {
                for x in [&d.pos, &d.kw].into_iter().flatten() {
                    self.expr(x);
                }
                self.name(n);
            }
            StmtKind::Import { name: n, .. } => self.name(n),
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => {
                body.iter().chain(orelse).for_each(|s| self.stmt(s));
                for h in handlers {
                    if let Some(e) = &h.types {
                        self.expr(e);
                    }
                    if let Some(n) = &h.name {
                        self.name(n);
                    }
                    h.body.iter().for_each(|s| self.stmt(s));
                }
                finalbody.iter().for_each(|s| self.stmt(s));
            }
            StmtKind::Raise(e, c) => [e, c].into_iter().flatten().for_each(|x| self.expr(x)),
            StmtKind::Return(None) | StmtKind::Break | StmtKind::Continue | StmtKind::Pass => {}
        }
    }

    pub(super) fn target(&mut self, t: &Target) {
        match t {
            Target::Name(n) => self.name(n),
            Target::Subscript(a, b, _) => {
                self.expr(a);
                self.expr(b);
            }
            Target::Attr(a, _, _) => self.expr(a),
            Target::Tuple(ts, ..) => ts.iter().for_each(|t| self.target(t)),
            Target::Starred(x) => self.target(x),
        }
    }

    pub(super) fn expr(&mut self, e: &Expr) {
        match e {
            Expr::Lit(_) | Expr::Const(_) => {}
            Expr::Name(n, _) => self.name(n),
            Expr::List { items, .. } | Expr::Tuple(items) | Expr::BoolOp(_, items) => {
                items.iter().for_each(|x| self.expr(x))
            }
            Expr::ConstList(x) | Expr::Unary(_, x, _) | Expr::Attr(x, _, _) => self.expr(x),
            Expr::Dict(chunks, _) => {
                for c in chunks {
                    match c {
                        DictChunk::Map(ps) | DictChunk::Big(ps) => {
                            for (k, v) in ps {
                                self.expr(k);
                                self.expr(v);
                            }
                        }
                        DictChunk::ConstKeys(k, vs) => {
                            vs.iter().for_each(|x| self.expr(x));
                            self.expr(k);
                        }
                    }
                }
            }
            Expr::BinOp(_, a, b, _) | Expr::Subscript(a, b, _) => {
                self.expr(a);
                self.expr(b);
            }
            Expr::Compare(a, rest, _) => {
                self.expr(a);
                rest.iter().for_each(|(_, x)| self.expr(x));
            }
            Expr::IfExp(a, b, c) => {
                self.expr(a);
                self.expr(b);
                self.expr(c);
            }
            Expr::Starred(x) => self.expr(x),
            Expr::Yield(x, ..) => {
                if let Some(x) = x {
                    self.expr(x)
                }
            }
            Expr::Lambda(_, d) => [&d.pos, &d.kw]
                .into_iter()
                .flatten()
                .for_each(|x| self.expr(x)),
            Expr::Call {
                func, args, kwargs, ..
            } => {
                self.expr(func);
                args.iter().for_each(|x| self.expr(x));
                kwargs.iter().for_each(|(_, x)| self.expr(x));
            }
            Expr::MethodCall {
                recv, args, kwargs, ..
            } => {
                self.expr(recv);
                args.iter().for_each(|x| self.expr(x));
                kwargs.iter().for_each(|(_, x)| self.expr(x));
            }
            Expr::JoinedStr(parts) => parts.iter().for_each(|x| self.expr(x)),
            Expr::FormattedValue { value, spec, .. } => {
                self.expr(value);
                if let Some(s) = spec {
                    self.expr(s);
                }
            }
            Expr::Slice(a, b, c) => {
                for x in [a, b, c].into_iter().flatten() {
                    self.expr(x);
                }
            }
            // Only the outermost iterable is evaluated here; the rest is the comprehension's.
            Expr::Comp(c) => self.expr(&c.gens[0].iter),
        }
    }
}
