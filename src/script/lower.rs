//! From tree-sitter's concrete syntax tree to [`super::ast`]: syntax checks (anything outside
//! the subset is refused with its line and column before anything runs), scope analysis
//! (CPython's `symtable.c`, for the subset), the AST optimizer's constant folding
//! (`Python/ast_opt.c`) and the compiler's choices that decide how objects get built
//! (`Python/compile.c`: constant list displays, `BUILD_CONST_KEY_MAP`, 16-pair dict chunks,
//! big displays, merged constants).
//!
//! Constants are owned three ways, as in CPython 3.11 running a file: the parser's AST arena
//! holds every literal it made and every folded result for the whole run (that is why
//! `x = 1000; sys.getrefcount(x)` is 4, not 3), each code object's `co_consts` holds one
//! reference per distinct constant it uses, and equal constants are merged into one object
//! across the module (`_PyCode_ConstantKey`).

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use num_bigint::BigInt;
use tree_sitter::Node;

use super::ast::*;
use super::ops;
use crate::object::Obj;
use crate::types::float::PyFloat;
use crate::types::int::PyInt;
use crate::types::none;
use crate::types::str::PyStr;
use crate::types::tuple::PyTuple;

/// Why a program cannot run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CompileError {
    /// Not Python (tree-sitter found an error node).
    Syntax { pos: Pos, msg: String },
    /// Python, but outside the subset: names the construct.
    Unsupported { pos: Pos, what: String },
}

impl std::fmt::Display for CompileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CompileError::Syntax { pos, msg } => write!(
                f,
                "SyntaxError: {msg} (line {}, column {})",
                pos.line, pos.col
            ),
            CompileError::Unsupported { pos, what } => write!(
                f,
                "unsupported: {what} at line {}, column {} (pylayout runs a subset of Python; see `pylayout run --help`)",
                pos.line, pos.col
            ),
        }
    }
}

type Res<T> = Result<T, CompileError>;

/// A compiled program: the module's code and the parser's arena.
#[derive(Debug)]
pub struct Program {
    /// The module code object.
    pub code: Rc<Code>,
    /// The AST arena's references (dropped with the program, after the run).
    pub arena: Vec<Obj>,
}

/// `_PyCode_ConstantKey`: constants are merged when type and value are equal (`1`, `1.0`
/// and `True` stay apart; so do `0.0` and `-0.0`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) enum ConstKey {
    Int(BigInt),
    Bool(bool),
    Float(u64),
    Str(String),
    None,
    Tuple(Vec<ConstKey>),
}

pub(super) fn const_key(o: &Obj) -> ConstKey {
    if none::is_none(o) {
        return ConstKey::None;
    }
    if let Ok(i) = PyInt::from_obj(o.clone()) {
        if i.is_bool() {
            return ConstKey::Bool(i.to_i64() == Some(1));
        }
        return ConstKey::Int(i.value());
    }
    if let Ok(f) = PyFloat::from_obj(o.clone()) {
        return ConstKey::Float(f.value().to_bits());
    }
    if let Ok(s) = PyStr::from_obj(o.clone()) {
        return ConstKey::Str(s.to_string());
    }
    if let Ok(t) = PyTuple::from_obj(o.clone()) {
        return ConstKey::Tuple(t.items().iter().map(const_key).collect());
    }
    unreachable!("constant of type {}", o.type_name())
}

/// `all_name_chars`: string constants made only of `[A-Za-z0-9_]` are interned.
fn all_name_chars(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ScopeKind {
    Module,
    Function,
    Comp,
}

#[derive(Debug)]
struct Scope {
    kind: ScopeKind,
    locals: Vec<Rc<str>>,
    index: HashMap<Rc<str>, usize>,
    globals: HashSet<Rc<str>>,
    /// Slots a nested comprehension reads: cells in CPython, not in `co_varnames`.
    cells: HashSet<usize>,
}

impl Scope {
    fn new(kind: ScopeKind) -> Scope {
        Scope {
            kind,
            locals: Vec::new(),
            index: HashMap::new(),
            globals: HashSet::new(),
            cells: HashSet::new(),
        }
    }

    fn add_local(&mut self, name: &str) -> usize {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let n: Rc<str> = name.into();
        self.locals.push(n.clone());
        self.index.insert(n, self.locals.len() - 1);
        self.locals.len() - 1
    }
}

/// Deepest expression nesting accepted (CPython's parser stops at about 200 too).
const MAX_NESTING: usize = 200;

/// The most statements or expressions in one program (a sanity bound for huge inputs).
const MAX_SOURCE_BYTES: usize = 10 << 20;

struct Lowerer<'s> {
    src: &'s str,
    line_starts: Vec<usize>,
    arena: Vec<Obj>,
    cache: HashMap<ConstKey, Obj>,
    scopes: Vec<Scope>,
    nesting: usize,
}

/// Parse and compile a module.
pub fn compile(src: &str) -> Res<Program> {
    if src.len() > MAX_SOURCE_BYTES {
        return Err(CompileError::Unsupported {
            pos: Pos { line: 1, col: 1 },
            what: format!(
                "a source of {} bytes (the limit is {MAX_SOURCE_BYTES})",
                src.len()
            ),
        });
    }
    let tree = parse(src)?;
    let mut l = Lowerer::new(src);
    l.check_errors(tree.root_node())?;
    l.scopes.push(Scope::new(ScopeKind::Module));
    let body = l.block_children(tree.root_node())?;
    let scope = l.scopes.pop().expect("module scope");
    let mut code = l.finish_code("<module>".into(), scope, 0, body)?;
    code.docstring = has_docstring(tree.root_node());
    Ok(Program {
        code: Rc::new(code),
        arena: l.arena,
    })
}

/// Whether a body starts with a string literal (`_PyAST_GetDocString` before the optimizer
/// runs: a string only folding makes, as `'abc'[0]`, is not a docstring).
fn has_docstring(body: Node) -> bool {
    named_children(body).first().is_some_and(|s| {
        s.kind() == "expression_statement"
            && named_children(*s).len() == 1
            && matches!(
                named_children(*s)[0].kind(),
                "string" | "concatenated_string"
            )
    })
}

fn parse(src: &str) -> Res<tree_sitter::Tree> {
    let mut p = tree_sitter::Parser::new();
    p.set_language(&tree_sitter_python::LANGUAGE.into())
        .expect("the bundled grammar matches the tree-sitter version");
    p.parse(src, None).ok_or_else(|| CompileError::Syntax {
        pos: Pos { line: 1, col: 1 },
        msg: "the parser gave up".into(),
    })
}

fn named_children(n: Node<'_>) -> Vec<Node<'_>> {
    let mut c = n.walk();
    n.named_children(&mut c)
        .filter(|k| k.kind() != "comment")
        .collect()
}

fn all_children(n: Node<'_>) -> Vec<Node<'_>> {
    let mut c = n.walk();
    n.children(&mut c)
        .filter(|k| k.kind() != "comment")
        .collect()
}

/// The construct a node kind is, in words, for "unsupported" messages.
fn construct_name(kind: &str) -> String {
    match kind {
        "class_definition" => "class definition",
        "try_statement" => "try statement",
        "with_statement" => "with statement",
        "raise_statement" => "raise statement",
        "lambda" => "lambda",
        "set" => "set display",
        "set_comprehension" => "set comprehension",
        "generator_expression" => "generator expression",
        "yield" => "yield",
        "await" => "await",
        "decorated_definition" => "decorator",
        "nonlocal_statement" => "nonlocal statement",
        "match_statement" => "match statement",
        "named_expression" => "assignment expression (:=)",
        "list_splat" | "list_splat_pattern" => "star expression",
        "dictionary_splat" | "dictionary_splat_pattern" => "dict unpacking (**)",
        "keyword_argument" => "keyword argument",
        "ellipsis" => "Ellipsis (...)",
        "print_statement" => "Python 2 print statement",
        "exec_statement" => "Python 2 exec statement",
        "type_alias_statement" => "type alias",
        "future_import_statement" => "from __future__ import",
        "default_parameter" | "typed_default_parameter" => "default parameter value",
        "typed_parameter" | "type" => "annotation",
        "keyword_separator" | "positional_separator" => "parameter separator (* or /)",
        "conditional_expression" => "conditional expression",
        "concatenated_string" => "string concatenation",
        "wildcard_import" => "from ... import *",
        "relative_import" => "relative import",
        "async" => "async",
        "string" => "string literal",
        "attribute" => "attribute assignment",
        "global_statement" => "global statement",
        other => return other.replace('_', " "),
    }
    .into()
}

impl<'s> Lowerer<'s> {
    fn new(src: &'s str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        Lowerer {
            src,
            line_starts,
            arena: Vec::new(),
            cache: HashMap::new(),
            scopes: Vec::new(),
            nesting: 0,
        }
    }

    fn pos(&self, n: Node) -> Pos {
        let p = n.start_position();
        let start = self.line_starts.get(p.row).copied().unwrap_or(0);
        let end = (start + p.column).min(self.src.len());
        let col = self
            .src
            .get(start..end)
            .map_or(p.column, |s| s.chars().count());
        Pos {
            line: p.row as u32 + 1,
            col: col as u32 + 1,
        }
    }

    fn text(&self, n: Node) -> &'s str {
        &self.src[n.byte_range()]
    }

    fn unsupported<T>(&self, n: Node, what: impl Into<String>) -> Res<T> {
        Err(CompileError::Unsupported {
            pos: self.pos(n),
            what: what.into(),
        })
    }

    fn unsupported_node<T>(&self, n: Node) -> Res<T> {
        self.unsupported(n, construct_name(n.kind()))
    }

    /// The first error or missing node, as a `SyntaxError`.
    fn check_errors(&self, root: Node) -> Res<()> {
        if !root.has_error() {
            return Ok(());
        }
        let mut stack = vec![root];
        while let Some(n) = stack.pop() {
            if n.is_missing() {
                return Err(CompileError::Syntax {
                    pos: self.pos(n),
                    msg: format!("invalid syntax: expected '{}'", n.kind()),
                });
            }
            if n.is_error() {
                return Err(CompileError::Syntax {
                    pos: self.pos(n),
                    msg: "invalid syntax".into(),
                });
            }
            if n.has_error() {
                let mut kids = all_children(n);
                kids.reverse();
                stack.extend(kids);
            }
        }
        Err(CompileError::Syntax {
            pos: self.pos(root),
            msg: "invalid syntax".into(),
        })
    }

    // ---- scopes ----

    fn scope(&mut self) -> &mut Scope {
        self.scopes.last_mut().expect("a scope")
    }

    /// The name as a store target in the current scope.
    fn store_name(&mut self, ident: &str) -> Name {
        let sc = self.scopes.last().expect("a scope");
        match sc.kind {
            ScopeKind::Module => Name::Global(ident.into()),
            _ if sc.globals.contains(ident) => Name::Global(ident.into()),
            _ => {
                let i = self.scope().add_local(ident);
                Name::Local(i, ident.into())
            }
        }
    }

    /// The name as a load in the current scope.
    fn load_name(&mut self, n: Node, ident: &str) -> Res<Name> {
        let top = self.scopes.len() - 1;
        let sc = &self.scopes[top];
        if sc.kind == ScopeKind::Module || sc.globals.contains(ident) {
            return Ok(Name::Global(ident.into()));
        }
        if let Some(&i) = sc.index.get(ident) {
            return Ok(Name::Local(i, ident.into()));
        }
        // Free variable: look outwards through comprehensions (and the function holding
        // them). A function reading its enclosing function's local needs a closure.
        let mut depth = 0;
        let mut inner_kind = sc.kind;
        for k in (0..top).rev() {
            depth += 1;
            let outer = &self.scopes[k];
            if outer.kind == ScopeKind::Module || outer.globals.contains(ident) {
                break;
            }
            if let Some(&i) = outer.index.get(ident) {
                if inner_kind == ScopeKind::Function {
                    return self.unsupported(
                        n,
                        format!(
                            "closure (a nested function reading '{ident}' of its enclosing function)"
                        ),
                    );
                }
                self.scopes[k].cells.insert(i);
                return Ok(Name::Outer(depth, i, ident.into()));
            }
            inner_kind = outer.kind;
        }
        Ok(Name::Global(ident.into()))
    }

    /// Names a function body binds (its locals), without entering nested scopes; and the
    /// names it declares `global`.
    fn collect_bindings(&self, n: Node, bound: &mut Vec<String>, globals: &mut Vec<String>) {
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
            "global_statement" => {
                for c in named_children(n) {
                    globals.push(self.text(c).into());
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

    fn collect_target_names(&self, n: Node, out: &mut Vec<String>) {
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

    /// A code unit's source shape (see [`Code::shape`]): where its tokens are. CPython's
    /// line table holds lines and UTF-8 byte columns, not what is written there.
    fn shape(&self, n: Node) -> String {
        // Blanks inside a string literal are part of one token.
        fn strings(n: Node, base: usize, bytes: &mut [u8]) {
            if n.kind() == "string" {
                bytes[n.start_byte() - base..n.end_byte() - base].fill(b'x');
                return;
            }
            let mut c = n.walk();
            for ch in n.children(&mut c) {
                strings(ch, base, bytes);
            }
        }
        let mut bytes: Vec<u8> = self
            .text(n)
            .bytes()
            .map(|b| match b {
                b'\n' => b'\n',
                b' ' | b'\t' | b'\r' => b' ',
                _ => b'x',
            })
            .collect();
        strings(n, n.start_byte(), &mut bytes);
        format!(
            "{}:{}",
            n.start_position().column,
            String::from_utf8_lossy(&bytes)
        )
    }

    // ---- constants ----

    /// A literal the parser made: it lives in the AST arena for the whole run.
    fn parsed_lit(&mut self, o: Obj) -> Expr {
        self.arena.push(o.clone());
        Expr::Lit(o)
    }

    /// `merge_consts_recursive`: the one object for this constant's key; str constants made
    /// of name characters are interned (`intern_string_constants`).
    fn merge(&mut self, o: Obj) -> Obj {
        let key = const_key(&o);
        if let Some(c) = self.cache.get(&key) {
            return c.clone();
        }
        let o = if let Ok(t) = PyTuple::from_obj(o.clone()) {
            let items = t.items();
            let merged: Vec<Obj> = items.iter().map(|i| self.merge(i.clone())).collect();
            if items.iter().zip(&merged).all(|(a, b)| a.is(b)) {
                o
            } else {
                PyTuple::new(merged).into_obj()
            }
        } else {
            // The compiler's constant cache is a dict keyed by the constant: inserting a str
            // computes (and caches) its hash.
            match PyStr::from_obj(o) {
                Ok(s) if all_name_chars(&s.to_string()) => {
                    s.hash();
                    s.intern().into_obj()
                }
                Ok(s) => {
                    s.hash();
                    s.into_obj()
                }
                Err(o) => o,
            }
        };
        self.cache.insert(key, o.clone());
        o
    }

    fn register(
        &mut self,
        consts: &mut Vec<Obj>,
        keys: &mut HashMap<ConstKey, usize>,
        o: Obj,
    ) -> usize {
        let o = self.merge(o);
        let key = const_key(&o);
        if let Some(&i) = keys.get(&key) {
            return i;
        }
        consts.push(o);
        keys.insert(key, consts.len() - 1);
        consts.len() - 1
    }

    fn finish_code(
        &mut self,
        name: Rc<str>,
        scope: Scope,
        nparams: usize,
        mut body: Vec<Stmt>,
    ) -> Res<Code> {
        let mut t = ConstTable::default();
        for s in &mut body {
            self.consts_stmt(s, &mut t);
        }
        let mut v = Varnames::new(&scope, nparams);
        body.iter().for_each(|s| v.stmt(s));
        Ok(Code {
            name,
            consts: t.consts,
            varnames: v.finish(),
            locals: scope.locals,
            body,
            shape: String::new(),
            docstring: false,
            warmup: Default::default(),
        })
    }

    fn consts_stmt(&mut self, s: &mut Stmt, t: &mut ConstTable) {
        match &mut s.kind {
            StmtKind::Expr(e) | StmtKind::Return(Some(e)) => self.consts_expr(e, t),
            StmtKind::Assign(targets, e) => {
                self.consts_expr(e, t);
                for tg in targets {
                    self.consts_target(tg, t);
                }
            }
            StmtKind::AugAssign(tg, _, e) => {
                self.consts_target(tg, t);
                self.consts_expr(e, t);
            }
            StmtKind::Del(ts) => ts.iter_mut().for_each(|tg| self.consts_target(tg, t)),
            StmtKind::If(c, a, b) | StmtKind::While(c, a, b) => {
                self.consts_expr(c, t);
                a.iter_mut()
                    .chain(b.iter_mut())
                    .for_each(|s| self.consts_stmt(s, t));
            }
            StmtKind::For(tg, it, a, b) => {
                self.consts_expr(it, t);
                self.consts_target(tg, t);
                a.iter_mut()
                    .chain(b.iter_mut())
                    .for_each(|s| self.consts_stmt(s, t));
            }
            StmtKind::Assert(c, m) => {
                self.consts_expr(c, t);
                if let Some(m) = m {
                    self.consts_expr(m, t);
                }
            }
            StmtKind::Return(None)
            | StmtKind::Break
            | StmtKind::Continue
            | StmtKind::Pass
            | StmtKind::Def(..)
            | StmtKind::Import { .. } => {}
        }
    }

    fn consts_target(&mut self, tg: &mut Target, t: &mut ConstTable) {
        match tg {
            Target::Name(_) => {}
            Target::Subscript(a, b) => {
                self.consts_expr(a, t);
                self.consts_expr(b, t);
            }
            Target::Tuple(ts, _) => ts.iter_mut().for_each(|x| self.consts_target(x, t)),
        }
    }

    fn consts_expr(&mut self, e: &mut Expr, t: &mut ConstTable) {
        match e {
            Expr::Lit(o) => {
                let i = self.register(&mut t.consts, &mut t.keys, o.clone());
                *e = Expr::Const(i);
            }
            Expr::Const(_) | Expr::Name(_) => {}
            Expr::List { items, .. } | Expr::Tuple(items) | Expr::BoolOp(_, items) => {
                items.iter_mut().for_each(|x| self.consts_expr(x, t))
            }
            Expr::ConstList(x) | Expr::Unary(_, x) | Expr::Attr(x, _) => self.consts_expr(x, t),
            Expr::Dict(chunks) => {
                for c in chunks {
                    match c {
                        DictChunk::Map(ps) | DictChunk::Big(ps) => {
                            for (k, v) in ps {
                                self.consts_expr(k, t);
                                self.consts_expr(v, t);
                            }
                        }
                        DictChunk::ConstKeys(k, vs) => {
                            vs.iter_mut().for_each(|x| self.consts_expr(x, t));
                            self.consts_expr(k, t);
                        }
                    }
                }
            }
            Expr::BinOp(_, a, b) | Expr::Subscript(a, b) => {
                self.consts_expr(a, t);
                self.consts_expr(b, t);
            }
            Expr::Compare(a, rest) => {
                self.consts_expr(a, t);
                rest.iter_mut().for_each(|(_, x)| self.consts_expr(x, t));
            }
            Expr::IfExp(a, b, c) => {
                self.consts_expr(a, t);
                self.consts_expr(b, t);
                self.consts_expr(c, t);
            }
            Expr::Call { func, args, kwargs } => {
                self.consts_expr(func, t);
                args.iter_mut().for_each(|x| self.consts_expr(x, t));
                kwargs.iter_mut().for_each(|(_, x)| self.consts_expr(x, t));
            }
            Expr::MethodCall {
                recv, args, kwargs, ..
            } => {
                self.consts_expr(recv, t);
                args.iter_mut().for_each(|x| self.consts_expr(x, t));
                kwargs.iter_mut().for_each(|(_, x)| self.consts_expr(x, t));
            }
            Expr::Slice(a, b, c) => {
                for x in [a, b, c].into_iter().flatten() {
                    self.consts_expr(x, t);
                }
            }
            // The comprehension's own constants were registered with its code; only the
            // outermost iterable is evaluated here.
            Expr::Comp(c) => self.consts_expr(&mut c.gens[0].iter, t),
        }
    }

    // ---- folding (ast_opt.c) ----

    /// A folded result: `make_const` adds it to the arena.
    fn folded(&mut self, o: Obj) -> Expr {
        self.parsed_lit(o)
    }

    fn fold_binop(&mut self, op: BinOp, a: Expr, b: Expr) -> Expr {
        if let (Expr::Lit(x), Expr::Lit(y)) = (&a, &b)
            && fold_allowed(op, x, y)
            && let Ok(v) = ops::binary_op(op, x, y, usize::MAX)
        {
            return self.folded(v);
        }
        Expr::BinOp(op, Box::new(a), Box::new(b))
    }

    fn fold_unary(&mut self, op: UnOp, a: Expr) -> Expr {
        if let Expr::Lit(x) = &a
            && let Ok(v) = ops::unary_op(op, x)
        {
            return self.folded(v);
        }
        // `not (a in b)` → `a not in b`, `not (a is b)` → `a is not b`.
        if op == UnOp::Not
            && let Expr::Compare(_, rest) = &a
            && rest.len() == 1
            && matches!(
                rest[0].0,
                CmpOp::In | CmpOp::NotIn | CmpOp::Is | CmpOp::IsNot
            )
        {
            let Expr::Compare(l, mut rest) = a else {
                unreachable!()
            };
            rest[0].0 = match rest[0].0 {
                CmpOp::In => CmpOp::NotIn,
                CmpOp::NotIn => CmpOp::In,
                CmpOp::Is => CmpOp::IsNot,
                _ => CmpOp::Is,
            };
            return Expr::Compare(l, rest);
        }
        Expr::Unary(op, Box::new(a))
    }

    fn fold_tuple(&mut self, items: Vec<Expr>) -> Expr {
        if items.iter().all(|e| matches!(e, Expr::Lit(_))) {
            let objs = items
                .into_iter()
                .map(|e| match e {
                    Expr::Lit(o) => o,
                    _ => unreachable!(),
                })
                .collect();
            return self.folded(PyTuple::new(objs).into_obj());
        }
        Expr::Tuple(items)
    }

    /// `fold_iter`: a list display iterated by `for` or tested by `in` becomes a tuple.
    fn fold_iter(&mut self, e: Expr) -> Expr {
        match e {
            Expr::List { items, .. } => self.fold_tuple(items),
            Expr::ConstList(inner) => match *inner {
                // The compiler-made tuple: as the folded tuple, it lives in the arena.
                Expr::Lit(o) => self.folded(o),
                other => Expr::ConstList(Box::new(other)),
            },
            other => other,
        }
    }

    // ---- statements ----

    fn block_children(&mut self, n: Node) -> Res<Vec<Stmt>> {
        let mut out = Vec::new();
        for c in named_children(n) {
            self.stmt(c, &mut out)?;
        }
        Ok(out)
    }

    fn block_field(&mut self, n: Node, field: &str) -> Res<Vec<Stmt>> {
        match n.child_by_field_name(field) {
            Some(b) => self.block_children(b),
            None => Ok(Vec::new()),
        }
    }

    fn stmt(&mut self, n: Node, out: &mut Vec<Stmt>) -> Res<()> {
        let pos = self.pos(n);
        let kind = match n.kind() {
            "expression_statement" => {
                let kids = named_children(n);
                if kids.len() != 1 {
                    let items = kids
                        .iter()
                        .map(|k| self.expr(*k))
                        .collect::<Res<Vec<_>>>()?;
                    StmtKind::Expr(self.fold_tuple(items))
                } else {
                    let c = kids[0];
                    match c.kind() {
                        "assignment" => self.assignment(c)?,
                        "augmented_assignment" => {
                            let left = c.child_by_field_name("left").expect("left");
                            let right = c.child_by_field_name("right").expect("right");
                            let op_node = c.child_by_field_name("operator").expect("operator");
                            let op_text = self.text(op_node);
                            let op = binop_from(op_text.trim_end_matches('='))
                                .ok_or(())
                                .or_else(|_| {
                                    self.unsupported(op_node, format!("operator {op_text}"))
                                })?;
                            let value = self.expr(right)?;
                            let target = self.target(left)?;
                            if let Target::Tuple(_, p) = target {
                                return Err(CompileError::Syntax {
                                    pos: p,
                                    msg:
                                        "'tuple' is an illegal expression for augmented assignment"
                                            .into(),
                                });
                            }
                            StmtKind::AugAssign(target, op, value)
                        }
                        _ => StmtKind::Expr(self.expr(c)?),
                    }
                }
            }
            "delete_statement" => {
                let mut targets = Vec::new();
                for c in named_children(n) {
                    if c.kind() == "expression_list" {
                        for d in named_children(c) {
                            targets.push(self.target(d)?);
                        }
                    } else {
                        targets.push(self.target(c)?);
                    }
                }
                StmtKind::Del(targets)
            }
            "if_statement" => self.if_stmt(n)?,
            "while_statement" => {
                let cond = self.expr(n.child_by_field_name("condition").expect("condition"))?;
                let body = self.block_field(n, "body")?;
                let orelse = match n.child_by_field_name("alternative") {
                    Some(e) => self.block_field(e, "body")?,
                    None => Vec::new(),
                };
                StmtKind::While(cond, body, orelse)
            }
            "for_statement" => {
                if all_children(n).first().is_some_and(|c| c.kind() == "async") {
                    return self.unsupported(n, "async for");
                }
                let iter = self.expr(n.child_by_field_name("right").expect("right"))?;
                let iter = self.fold_iter(iter);
                let target = self.target(n.child_by_field_name("left").expect("left"))?;
                let body = self.block_field(n, "body")?;
                let orelse = match n.child_by_field_name("alternative") {
                    Some(e) => self.block_field(e, "body")?,
                    None => Vec::new(),
                };
                StmtKind::For(target, iter, body, orelse)
            }
            "break_statement" => StmtKind::Break,
            "continue_statement" => StmtKind::Continue,
            "pass_statement" => StmtKind::Pass,
            "return_statement" => {
                if self.scopes.last().map(|s| s.kind) == Some(ScopeKind::Module) {
                    return Err(CompileError::Syntax {
                        pos,
                        msg: "'return' outside function".into(),
                    });
                }
                let kids = named_children(n);
                match kids.len() {
                    0 => StmtKind::Return(None),
                    _ => StmtKind::Return(Some(self.expr(kids[0])?)),
                }
            }
            "global_statement" => {
                if self.scopes.last().map(|s| s.kind) == Some(ScopeKind::Module) {
                    // Legal and meaningless at module level.
                    return Ok(());
                }
                return Ok(()); // recorded by collect_bindings
            }
            "function_definition" => self.def(n)?,
            "import_statement" => {
                for c in named_children(n) {
                    let (dotted, alias) = match c.kind() {
                        "aliased_import" => (
                            c.child_by_field_name("name").expect("name"),
                            c.child_by_field_name("alias"),
                        ),
                        _ => (c, None),
                    };
                    let module = self.module(dotted)?;
                    let bind = alias.map_or(module.name().to_string(), |a| self.text(a).into());
                    let name = self.store_name(&bind);
                    out.push(Stmt {
                        pos: self.pos(c),
                        kind: StmtKind::Import {
                            module,
                            attr: None,
                            name,
                        },
                    });
                }
                return Ok(());
            }
            "import_from_statement" => {
                let m = n.child_by_field_name("module_name").expect("module_name");
                if m.kind() == "relative_import" {
                    return self.unsupported_node(m);
                }
                let module = self.module(m)?;
                for c in named_children(n) {
                    if c == m {
                        continue;
                    }
                    let (dotted, alias) = match c.kind() {
                        "aliased_import" => (
                            c.child_by_field_name("name").expect("name"),
                            c.child_by_field_name("alias"),
                        ),
                        "dotted_name" => (c, None),
                        _ => return self.unsupported_node(c),
                    };
                    let attr: Rc<str> = self.text(dotted).into();
                    let bind = alias.map_or(attr.to_string(), |a| self.text(a).into());
                    let name = self.store_name(&bind);
                    out.push(Stmt {
                        pos: self.pos(c),
                        kind: StmtKind::Import {
                            module,
                            attr: Some(attr),
                            name,
                        },
                    });
                }
                return Ok(());
            }
            "assert_statement" => {
                let kids = named_children(n);
                let cond = self.expr(kids[0])?;
                let msg = match kids.get(1) {
                    Some(m) => Some(self.expr(*m)?),
                    None => None,
                };
                StmtKind::Assert(cond, msg)
            }
            "future_import_statement" => return self.unsupported_node(n),
            _ => return self.unsupported_node(n),
        };
        out.push(Stmt { pos, kind });
        Ok(())
    }

    fn module(&self, dotted: Node) -> Res<Module> {
        match self.text(dotted) {
            "sys" => Ok(Module::Sys),
            "gc" => Ok(Module::Gc),
            other => self.unsupported(
                dotted,
                format!("import of module '{other}' (only sys and gc)"),
            ),
        }
    }

    fn if_stmt(&mut self, n: Node) -> Res<StmtKind> {
        let cond = self.expr(n.child_by_field_name("condition").expect("condition"))?;
        let body = self.block_field(n, "consequence")?;
        let mut c = n.walk();
        let alts: Vec<Node> = n.children_by_field_name("alternative", &mut c).collect();
        let orelse = self.else_chain(&alts)?;
        Ok(StmtKind::If(cond, body, orelse))
    }

    fn else_chain(&mut self, alts: &[Node]) -> Res<Vec<Stmt>> {
        let Some((first, rest)) = alts.split_first() else {
            return Ok(Vec::new());
        };
        match first.kind() {
            "elif_clause" => {
                let cond = self.expr(first.child_by_field_name("condition").expect("condition"))?;
                let body = self.block_field(*first, "consequence")?;
                let orelse = self.else_chain(rest)?;
                Ok(vec![Stmt {
                    pos: self.pos(*first),
                    kind: StmtKind::If(cond, body, orelse),
                }])
            }
            _ => self.block_field(*first, "body"),
        }
    }

    fn assignment(&mut self, n: Node) -> Res<StmtKind> {
        let mut targets_nodes = Vec::new();
        let mut cur = n;
        loop {
            if let Some(t) = cur.child_by_field_name("type") {
                return self.unsupported(t, "annotation");
            }
            targets_nodes.push(cur.child_by_field_name("left").expect("left"));
            let right = cur.child_by_field_name("right").expect("right");
            if right.kind() == "assignment" {
                cur = right;
                continue;
            }
            let value = self.expr(right)?;
            let mut targets = Vec::new();
            for t in targets_nodes {
                targets.push(self.target(t)?);
            }
            return Ok(StmtKind::Assign(targets, value));
        }
    }

    fn target(&mut self, n: Node) -> Res<Target> {
        match n.kind() {
            "identifier" => {
                let name = self.store_name(self.text(n));
                Ok(Target::Name(name))
            }
            "subscript" => {
                let (v, i) = self.subscript_parts(n)?;
                Ok(Target::Subscript(v, i))
            }
            "pattern_list" | "tuple_pattern" | "list_pattern" | "expression_list" | "tuple"
            | "list" => {
                let mut ts = Vec::new();
                for c in named_children(n) {
                    ts.push(self.target(c)?);
                }
                Ok(Target::Tuple(ts, self.pos(n)))
            }
            "parenthesized_expression" => {
                let kids = named_children(n);
                self.target(kids[0])
            }
            "attribute" => self.unsupported(n, "attribute assignment"),
            "list_splat_pattern" | "list_splat" => self.unsupported(n, "star expression"),
            _ => Err(CompileError::Syntax {
                pos: self.pos(n),
                msg: format!("cannot assign to {}", construct_name(n.kind())),
            }),
        }
    }

    fn def(&mut self, n: Node) -> Res<StmtKind> {
        if all_children(n).first().is_some_and(|c| c.kind() == "async") {
            return self.unsupported(n, "async function");
        }
        if let Some(r) = n.child_by_field_name("return_type") {
            return self.unsupported(r, "annotation");
        }
        if let Some(tp) = n.child_by_field_name("type_parameters") {
            return self.unsupported(tp, "type parameters");
        }
        let name_node = n.child_by_field_name("name").expect("name");
        let fname = self.text(name_node).to_string();
        let bind = self.store_name(&fname);
        let params = n.child_by_field_name("parameters").expect("parameters");
        let mut scope = Scope::new(ScopeKind::Function);
        for p in named_children(params) {
            if p.kind() != "identifier" {
                return self.unsupported_node(p);
            }
            let pn = self.text(p);
            if scope.index.contains_key(pn) {
                return Err(CompileError::Syntax {
                    pos: self.pos(p),
                    msg: format!("duplicate argument '{pn}' in function definition"),
                });
            }
            scope.add_local(pn);
        }
        let nparams = scope.locals.len();
        let body = n.child_by_field_name("body").expect("body");
        let (mut bound, mut globals) = (Vec::new(), Vec::new());
        for c in named_children(body) {
            self.collect_bindings(c, &mut bound, &mut globals);
        }
        for g in &globals {
            if scope.index.contains_key(g.as_str()) {
                return Err(CompileError::Syntax {
                    pos: self.pos(body),
                    msg: format!("name '{g}' is parameter and global"),
                });
            }
            scope.globals.insert(g.as_str().into());
        }
        for b in &bound {
            if !scope.globals.contains(b.as_str()) {
                scope.add_local(b);
            }
        }
        self.scopes.push(scope);
        let stmts = self.block_children(body);
        let scope = self.scopes.pop().expect("function scope");
        let stmts = stmts?;
        let mut code = self.finish_code(fname.into(), scope, nparams, stmts)?;
        // The line table records nothing of the `def` line itself (RESUME has no columns):
        // the body's place relative to it, and the body.
        code.docstring = has_docstring(body);
        code.shape = format!(
            "+{}:{}",
            body.start_position().row - n.start_position().row,
            self.shape(body)
        );
        Ok(StmtKind::Def(
            bind,
            Rc::new(FuncDef {
                nparams,
                code: Rc::new(code),
            }),
        ))
    }

    // ---- expressions ----

    fn expr(&mut self, n: Node) -> Res<Expr> {
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            self.nesting = 0;
            return self.unsupported(n, format!("expression nested more than {MAX_NESTING} deep"));
        }
        let r = self.expr_inner(n);
        self.nesting = self.nesting.saturating_sub(1);
        r
    }

    fn expr_inner(&mut self, n: Node) -> Res<Expr> {
        Ok(match n.kind() {
            "integer" => {
                if let Some(msg) = bad_underscore(self.text(n)) {
                    return Err(CompileError::Syntax {
                        pos: self.pos(n),
                        msg: msg.into(),
                    });
                }
                let t = self.text(n).replace('_', "");
                if t.ends_with(['j', 'J']) {
                    return self.unsupported(n, "complex number");
                }
                let (digits, radix) = match t.get(..2).map(|p| p.to_ascii_lowercase()) {
                    Some(p) if p == "0x" => (&t[2..], 16),
                    Some(p) if p == "0o" => (&t[2..], 8),
                    Some(p) if p == "0b" => (&t[2..], 2),
                    _ => (t.as_str(), 10),
                };
                if radix == 10
                    && digits.len() > 1
                    && digits.starts_with('0')
                    && digits.bytes().any(|b| b != b'0')
                {
                    return Err(CompileError::Syntax {
                        pos: self.pos(n),
                        msg: "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers".into(),
                    });
                }
                if digits.len() > 100_000 {
                    return self.unsupported(n, "an integer literal of more than 100000 digits");
                }
                let v = BigInt::parse_bytes(digits.as_bytes(), radix).ok_or_else(|| {
                    CompileError::Syntax {
                        pos: self.pos(n),
                        msg: "invalid integer literal".into(),
                    }
                })?;
                self.parsed_lit(PyInt::from_bigint(&v).into_obj())
            }
            "float" => {
                if let Some(msg) = bad_underscore(self.text(n)) {
                    return Err(CompileError::Syntax {
                        pos: self.pos(n),
                        msg: msg.into(),
                    });
                }
                let t = self.text(n).replace('_', "");
                if t.ends_with(['j', 'J']) {
                    return self.unsupported(n, "complex number");
                }
                let v: f64 = t.parse().map_err(|_| CompileError::Syntax {
                    pos: self.pos(n),
                    msg: "invalid float literal".into(),
                })?;
                self.parsed_lit(PyFloat::new(v).into_obj())
            }
            "true" => Expr::Lit(PyInt::from_bool(true).into_obj()),
            "false" => Expr::Lit(PyInt::from_bool(false).into_obj()),
            "none" => Expr::Lit(none::none()),
            "string" => {
                let s = self.string(n)?;
                self.parsed_lit(PyStr::new(&s).into_obj())
            }
            "concatenated_string" => {
                let mut s = String::new();
                for c in named_children(n) {
                    s.push_str(&self.string(c)?);
                }
                self.parsed_lit(PyStr::new(&s).into_obj())
            }
            "identifier" => {
                let id = self.text(n);
                Expr::Name(self.load_name(n, id)?)
            }
            "parenthesized_expression" => {
                let kids = named_children(n);
                if kids.len() != 1 {
                    return self.unsupported_node(n);
                }
                self.expr(kids[0])?
            }
            "tuple" | "expression_list" => {
                let mut items = Vec::new();
                for c in named_children(n) {
                    items.push(self.expr(c)?);
                }
                self.fold_tuple(items)
            }
            "list" => {
                let mut items = Vec::new();
                for c in named_children(n) {
                    items.push(self.expr(c)?);
                }
                let all_const = items.iter().all(|e| matches!(e, Expr::Lit(_)));
                if items.len() > 2 && all_const {
                    let objs = items
                        .into_iter()
                        .map(|e| match e {
                            Expr::Lit(o) => o,
                            _ => unreachable!(),
                        })
                        .collect();
                    Expr::ConstList(Box::new(Expr::Lit(PyTuple::new(objs).into_obj())))
                } else {
                    let big = items.len() > 30;
                    Expr::List { items, big }
                }
            }
            "dictionary" => self.dict_display(n)?,
            "binary_operator" => {
                let op_node = n.child_by_field_name("operator").expect("operator");
                let op_text = self.text(op_node);
                let Some(op) = binop_from(op_text) else {
                    return self.unsupported(op_node, format!("operator {op_text}"));
                };
                let a = self.expr(n.child_by_field_name("left").expect("left"))?;
                let b = self.expr(n.child_by_field_name("right").expect("right"))?;
                self.fold_binop(op, a, b)
            }
            "unary_operator" => {
                let op_node = n.child_by_field_name("operator").expect("operator");
                let op = match self.text(op_node) {
                    "-" => UnOp::Neg,
                    "+" => UnOp::Pos,
                    _ => UnOp::Invert,
                };
                let a = self.expr(n.child_by_field_name("argument").expect("argument"))?;
                self.fold_unary(op, a)
            }
            "not_operator" => {
                let a = self.expr(n.child_by_field_name("argument").expect("argument"))?;
                self.fold_unary(UnOp::Not, a)
            }
            "boolean_operator" => {
                let op = self.text(n.child_by_field_name("operator").expect("operator"));
                let and = op == "and";
                let mut items = Vec::new();
                // Flatten `a and b and c` like CPython's BoolOp.
                let mut stack = vec![n];
                let mut leaves = Vec::new();
                while let Some(m) = stack.pop() {
                    let same = m.kind() == "boolean_operator"
                        && self.text(m.child_by_field_name("operator").expect("operator")) == op;
                    if same {
                        stack.push(m.child_by_field_name("right").expect("right"));
                        stack.push(m.child_by_field_name("left").expect("left"));
                    } else {
                        leaves.push(m);
                    }
                }
                for l in leaves {
                    items.push(self.expr(l)?);
                }
                Expr::BoolOp(and, items)
            }
            "comparison_operator" => self.compare(n)?,
            "conditional_expression" => {
                let kids = named_children(n);
                let body = self.expr(kids[0])?;
                let cond = self.expr(kids[1])?;
                let orelse = self.expr(kids[2])?;
                Expr::IfExp(Box::new(cond), Box::new(body), Box::new(orelse))
            }
            "call" => self.call(n)?,
            "attribute" => {
                let obj = self.expr(n.child_by_field_name("object").expect("object"))?;
                let attr = self.text(n.child_by_field_name("attribute").expect("attribute"));
                Expr::Attr(Box::new(obj), attr.into())
            }
            "subscript" => {
                let (v, i) = self.subscript_parts(n)?;
                if let (Expr::Lit(a), Expr::Lit(b)) = (&v, &i)
                    && let Ok(r) = ops::getitem_const(a, b)
                {
                    return Ok(self.folded(r));
                }
                Expr::Subscript(Box::new(v), Box::new(i))
            }
            "list_comprehension" => self.comprehension(n, false)?,
            "dictionary_comprehension" => self.comprehension(n, true)?,
            "slice" => return self.unsupported(n, "slice outside a subscript"),
            _ => return self.unsupported_node(n),
        })
    }

    fn subscript_parts(&mut self, n: Node) -> Res<(Expr, Expr)> {
        let v = self.expr(n.child_by_field_name("value").expect("value"))?;
        let mut c = n.walk();
        let subs: Vec<Node> = n.children_by_field_name("subscript", &mut c).collect();
        let mut idx = Vec::new();
        for s in &subs {
            idx.push(if s.kind() == "slice" {
                self.slice(*s)?
            } else {
                self.expr(*s)?
            });
        }
        let i = if idx.len() == 1 {
            idx.pop().expect("one")
        } else {
            self.fold_tuple(idx)
        };
        Ok((v, i))
    }

    fn slice(&mut self, n: Node) -> Res<Expr> {
        let mut parts: [Option<Box<Expr>>; 3] = [None, None, None];
        let mut k = 0;
        for c in all_children(n) {
            if c.kind() == ":" {
                k += 1;
            } else if c.is_named() && k < 3 {
                parts[k] = Some(Box::new(self.expr(c)?));
            }
        }
        let [a, b, c] = parts;
        Ok(Expr::Slice(a, b, c))
    }

    fn compare(&mut self, n: Node) -> Res<Expr> {
        let mut operands = Vec::new();
        let mut ops_ = Vec::new();
        let mut pending: Option<&str> = None;
        for c in all_children(n) {
            if c.is_named() {
                if let Some(p) = pending.take() {
                    ops_.push(match p {
                        "not" => {
                            return self.unsupported(c, "comparison");
                        }
                        other => other.to_string(),
                    });
                }
                operands.push(c);
            } else {
                let t = self.text(c);
                pending = Some(match (pending, t) {
                    (Some("not"), "in") => "not in",
                    (Some("is"), "not") => "is not",
                    (_, t) => t,
                });
            }
        }
        let first = self.expr(operands[0])?;
        let mut rest = Vec::new();
        let count = ops_.len();
        for (i, (o, node)) in ops_.iter().zip(&operands[1..]).enumerate() {
            let op = match o.as_str() {
                "==" => CmpOp::Eq,
                "!=" => CmpOp::Ne,
                "<" => CmpOp::Lt,
                "<=" => CmpOp::Le,
                ">" => CmpOp::Gt,
                ">=" => CmpOp::Ge,
                "in" => CmpOp::In,
                "not in" => CmpOp::NotIn,
                "is" => CmpOp::Is,
                "is not" => CmpOp::IsNot,
                other => return self.unsupported(*node, format!("comparison operator {other}")),
            };
            let mut e = self.expr(*node)?;
            // fold_compare: the last `in`/`not in` operand, a list display, becomes a tuple.
            if i + 1 == count && matches!(op, CmpOp::In | CmpOp::NotIn) {
                e = self.fold_iter(e);
            }
            rest.push((op, e));
        }
        Ok(Expr::Compare(Box::new(first), rest))
    }

    fn call(&mut self, n: Node) -> Res<Expr> {
        let f = n.child_by_field_name("function").expect("function");
        let argsn = n.child_by_field_name("arguments").expect("arguments");
        if argsn.kind() == "generator_expression" {
            return self.unsupported_node(argsn);
        }
        let recv = if f.kind() == "attribute" {
            let obj = self.expr(f.child_by_field_name("object").expect("object"))?;
            let attr: Rc<str> = self
                .text(f.child_by_field_name("attribute").expect("attribute"))
                .into();
            Some((obj, attr))
        } else {
            None
        };
        let func = if recv.is_none() {
            Some(self.expr(f)?)
        } else {
            None
        };
        let mut args = Vec::new();
        let mut kwargs = Vec::new();
        for a in named_children(argsn) {
            match a.kind() {
                "keyword_argument" => {
                    let k: Rc<str> = self
                        .text(a.child_by_field_name("name").expect("name"))
                        .into();
                    if kwargs.iter().any(|(name, _)| *name == k) {
                        return Err(CompileError::Syntax {
                            pos: self.pos(a),
                            msg: format!("keyword argument repeated: {k}"),
                        });
                    }
                    let v = self.expr(a.child_by_field_name("value").expect("value"))?;
                    kwargs.push((k, v));
                }
                "list_splat" | "dictionary_splat" | "generator_expression" => {
                    return self.unsupported_node(a);
                }
                _ => {
                    if !kwargs.is_empty() {
                        return Err(CompileError::Syntax {
                            pos: self.pos(a),
                            msg: "positional argument follows keyword argument".into(),
                        });
                    }
                    args.push(self.expr(a)?)
                }
            }
        }
        Ok(match (recv, func) {
            (Some((obj, name)), _) => Expr::MethodCall {
                recv: Box::new(obj),
                name,
                args,
                kwargs,
            },
            (None, Some(func)) => Expr::Call {
                func: Box::new(func),
                args,
                kwargs,
            },
            (None, None) => unreachable!(),
        })
    }

    /// `compiler_dict` / `compiler_subdict` of 3.11.
    fn dict_display(&mut self, n: Node) -> Res<Expr> {
        let mut pairs = Vec::new();
        for c in named_children(n) {
            if c.kind() != "pair" {
                return self.unsupported_node(c);
            }
            let k = self.expr(c.child_by_field_name("key").expect("key"))?;
            let v = self.expr(c.child_by_field_name("value").expect("value"))?;
            pairs.push((k, v));
        }
        const GUIDELINE: usize = 30; // STACK_USE_GUIDELINE
        let n = pairs.len();
        let mut bounds = Vec::new();
        let mut elements = 0;
        for i in 0..n {
            if elements * 2 > GUIDELINE {
                bounds.push((i - elements, i + 1));
                elements = 0;
            } else {
                elements += 1;
            }
        }
        if elements > 0 {
            bounds.push((n - elements, n));
        }
        let mut it = pairs.into_iter();
        let mut chunks = Vec::new();
        for (b, e) in bounds {
            let part: Vec<(Expr, Expr)> = it.by_ref().take(e - b).collect();
            let m = part.len();
            let big = m * 2 > GUIDELINE;
            if m > 1 && !big && part.iter().all(|(k, _)| matches!(k, Expr::Lit(_))) {
                let (keys, values): (Vec<Obj>, Vec<Expr>) = part
                    .into_iter()
                    .map(|(k, v)| match k {
                        Expr::Lit(o) => (o, v),
                        _ => unreachable!(),
                    })
                    .unzip();
                chunks.push(DictChunk::ConstKeys(
                    Box::new(Expr::Lit(PyTuple::new(keys).into_obj())),
                    values,
                ));
            } else if big {
                chunks.push(DictChunk::Big(part));
            } else {
                chunks.push(DictChunk::Map(part));
            }
        }
        Ok(Expr::Dict(chunks))
    }

    fn comprehension(&mut self, n: Node, dict: bool) -> Res<Expr> {
        let body = n.child_by_field_name("body").expect("body");
        let clauses: Vec<Node> = named_children(n)
            .into_iter()
            .filter(|c| *c != body)
            .collect();
        let Some(first) = clauses.first().filter(|c| c.kind() == "for_in_clause") else {
            return self.unsupported(n, "comprehension without for");
        };
        if all_children(*first)
            .first()
            .is_some_and(|c| c.kind() == "async")
        {
            return self.unsupported(*first, "async comprehension");
        }
        // The outermost iterable is evaluated in the enclosing scope.
        let outer_iter = self.expr(first.child_by_field_name("right").expect("right"))?;
        let outer_iter = self.fold_iter(outer_iter);
        let mut scope = Scope::new(ScopeKind::Comp);
        scope.add_local(".0");
        let mut names = Vec::new();
        for c in &clauses {
            if c.kind() == "for_in_clause" {
                self.collect_target_names(c.child_by_field_name("left").expect("left"), &mut names);
            }
        }
        for nm in &names {
            scope.add_local(nm);
        }
        self.scopes.push(scope);
        let r = self.comp_body(n, dict, body, &clauses, outer_iter);
        let scope = self.scopes.pop().expect("comp scope");
        let (elt, value, mut gens) = r?;
        // The comprehension's constants, in its own code object.
        let mut t = ConstTable::default();
        let mut elt = elt;
        let mut value = value;
        for (i, g) in gens.iter_mut().enumerate() {
            if i > 0 {
                self.consts_expr(&mut g.iter, &mut t);
            }
            self.consts_target(&mut g.target, &mut t);
            g.ifs.iter_mut().for_each(|x| self.consts_expr(x, &mut t));
        }
        self.consts_expr(&mut elt, &mut t);
        if let Some(v) = &mut value {
            self.consts_expr(v, &mut t);
        }
        // `.0` is the parameter; the first iterable was evaluated outside.
        let mut v = Varnames::new(&scope, 1);
        for (i, g) in gens.iter().enumerate() {
            if i > 0 {
                v.expr(&g.iter);
            }
            v.target(&g.target);
            g.ifs.iter().for_each(|x| v.expr(x));
        }
        v.expr(&elt);
        if let Some(x) = &value {
            v.expr(x);
        }
        let code = Rc::new(Code {
            name: if dict { "<dictcomp>" } else { "<listcomp>" }.into(),
            consts: t.consts,
            varnames: v.finish(),
            locals: scope.locals,
            body: Vec::new(),
            shape: self.shape(n),
            docstring: false,
            warmup: Default::default(),
        });
        Ok(Expr::Comp(Box::new(Comp {
            dict,
            elt,
            value,
            gens,
            code,
        })))
    }

    #[allow(clippy::type_complexity)]
    fn comp_body(
        &mut self,
        n: Node,
        dict: bool,
        body: Node,
        clauses: &[Node],
        outer_iter: Expr,
    ) -> Res<(Expr, Option<Expr>, Vec<Generator>)> {
        let mut gens: Vec<Generator> = Vec::new();
        let mut outer = Some(outer_iter);
        for c in clauses {
            match c.kind() {
                "for_in_clause" => {
                    let iter = match outer.take() {
                        Some(e) => e,
                        None => {
                            let e = self.expr(c.child_by_field_name("right").expect("right"))?;
                            self.fold_iter(e)
                        }
                    };
                    let target = self.target(c.child_by_field_name("left").expect("left"))?;
                    gens.push(Generator {
                        target,
                        iter,
                        ifs: Vec::new(),
                    });
                }
                "if_clause" => {
                    let kids = named_children(*c);
                    let cond = self.expr(kids[0])?;
                    gens.last_mut().expect("a for clause first").ifs.push(cond);
                }
                _ => return self.unsupported_node(*c),
            }
        }
        let _ = n;
        if dict {
            if body.kind() != "pair" {
                return self.unsupported_node(body);
            }
            let k = self.expr(body.child_by_field_name("key").expect("key"))?;
            let v = self.expr(body.child_by_field_name("value").expect("value"))?;
            Ok((k, Some(v), gens))
        } else {
            Ok((self.expr(body)?, None, gens))
        }
    }

    /// A string literal's value (prefixes, quotes and escapes as Python reads them).
    fn string(&self, n: Node) -> Res<String> {
        let text = self.text(n);
        let prefix_len = text.find(['\'', '"']).unwrap_or(0);
        let prefix = text[..prefix_len].to_ascii_lowercase();
        if prefix.contains('f') {
            return self.unsupported(n, "f-string");
        }
        if prefix.contains('b') {
            return self.unsupported(n, "bytes literal");
        }
        let raw = prefix.contains('r');
        let rest = &text[prefix_len..];
        let q = if rest.starts_with("\"\"\"") || rest.starts_with("'''") {
            3
        } else {
            1
        };
        if rest.len() < 2 * q {
            return Err(CompileError::Syntax {
                pos: self.pos(n),
                msg: "unterminated string literal".into(),
            });
        }
        let body = &rest[q..rest.len() - q];
        if raw {
            return Ok(body.to_string());
        }
        let mut out = String::with_capacity(body.len());
        let mut chars = body.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            let Some(e) = chars.next() else {
                out.push('\\');
                break;
            };
            match e {
                '\n' => {}
                '\\' => out.push('\\'),
                '\'' => out.push('\''),
                '"' => out.push('"'),
                'a' => out.push('\x07'),
                'b' => out.push('\x08'),
                'f' => out.push('\x0c'),
                'n' => out.push('\n'),
                'r' => out.push('\r'),
                't' => out.push('\t'),
                'v' => out.push('\x0b'),
                '0'..='7' => {
                    let mut v = e.to_digit(8).expect("octal");
                    for _ in 0..2 {
                        match chars.peek().and_then(|d| d.to_digit(8)) {
                            Some(d) => {
                                v = v * 8 + d;
                                chars.next();
                            }
                            None => break,
                        }
                    }
                    out.push(self.code_point(n, v)?);
                }
                'x' | 'u' | 'U' => {
                    let len = match e {
                        'x' => 2,
                        'u' => 4,
                        _ => 8,
                    };
                    let hex: String = (0..len).filter_map(|_| chars.next()).collect();
                    let v = u32::from_str_radix(&hex, 16)
                        .ok()
                        .filter(|_| hex.len() == len);
                    let Some(v) = v else {
                        return Err(CompileError::Syntax {
                            pos: self.pos(n),
                            msg: format!("(unicode error) truncated \\{e}XX escape"),
                        });
                    };
                    out.push(self.code_point(n, v)?);
                }
                'N' => return self.unsupported(n, "\\N{...} escape"),
                other => {
                    out.push('\\');
                    out.push(other);
                }
            }
        }
        Ok(out)
    }

    fn code_point(&self, n: Node, v: u32) -> Res<char> {
        match char::from_u32(v) {
            Some(c) => Ok(c),
            None if (0xd800..0xe000).contains(&v) => {
                self.unsupported(n, "surrogate code point in a string")
            }
            None => Err(CompileError::Syntax {
                pos: self.pos(n),
                msg: "(unicode error) illegal Unicode character".into(),
            }),
        }
    }
}

#[derive(Default)]
struct ConstTable {
    consts: Vec<Obj>,
    keys: HashMap<ConstKey, usize>,
}

fn binop_from(t: &str) -> Option<BinOp> {
    Some(match t {
        "+" => BinOp::Add,
        "-" => BinOp::Sub,
        "*" => BinOp::Mul,
        "/" => BinOp::Div,
        "//" => BinOp::FloorDiv,
        "%" => BinOp::Mod,
        "**" => BinOp::Pow,
        "<<" => BinOp::LShift,
        ">>" => BinOp::RShift,
        "&" => BinOp::BitAnd,
        "|" => BinOp::BitOr,
        "^" => BinOp::BitXor,
        _ => return None,
    })
}

const MAX_INT_SIZE: u64 = 128; // bits
const MAX_COLLECTION_SIZE: i64 = 256;
const MAX_STR_SIZE: i64 = 4096;
const MAX_TOTAL_ITEMS: i64 = 1024;

fn int_of(o: &Obj) -> Option<BigInt> {
    PyInt::from_obj(o.clone()).ok().map(|i| i.value())
}

/// `check_complexity`: items in a tuple, nested tuples included, against a budget.
fn complexity(o: &Obj, mut limit: i64) -> i64 {
    if let Ok(t) = PyTuple::from_obj(o.clone()) {
        limit -= t.len() as i64;
        for i in t.items() {
            if limit < 0 {
                break;
            }
            limit = complexity(&i, limit);
        }
    }
    limit
}

/// `safe_multiply` / `safe_power` / `safe_lshift` / `safe_mod`: the folds the optimizer
/// refuses because the result could be huge (or is `%`-formatting).
fn fold_allowed(op: BinOp, a: &Obj, b: &Obj) -> bool {
    let bits = |v: &BigInt| v.bits();
    match op {
        BinOp::Mul => {
            if let (Some(x), Some(y)) = (int_of(a), int_of(b)) {
                return x.sign() == num_bigint::Sign::NoSign
                    || y.sign() == num_bigint::Sign::NoSign
                    || bits(&x) + bits(&y) <= MAX_INT_SIZE;
            }
            let (n, seq) = match (int_of(a), int_of(b)) {
                (Some(n), None) => (n, b),
                (None, Some(n)) => (n, a),
                _ => return true,
            };
            // Only a repeated tuple or str has limits (an int times a float folds freely).
            let is_seq =
                PyTuple::from_obj(seq.clone()).is_ok() || PyStr::from_obj(seq.clone()).is_ok();
            let n: i64 = match i64::try_from(&n) {
                Ok(v) => v,
                Err(_) => return !is_seq,
            };
            if let Ok(t) = PyTuple::from_obj(seq.clone()) {
                let size = t.len() as i64;
                if size > 0 {
                    if n < 0 || n > MAX_COLLECTION_SIZE / size {
                        return false;
                    }
                    if n > 0 && complexity(seq, MAX_TOTAL_ITEMS / n) < 0 {
                        return false;
                    }
                }
            } else if let Ok(s) = PyStr::from_obj(seq.clone()) {
                let size = s.len() as i64;
                if size > 0 && (n < 0 || n > MAX_STR_SIZE / size) {
                    return false;
                }
            }
            true
        }
        BinOp::Pow => match (int_of(a), int_of(b)) {
            (Some(x), Some(y))
                if x.sign() != num_bigint::Sign::NoSign && y.sign() == num_bigint::Sign::Plus =>
            {
                let Ok(w) = u64::try_from(&y) else {
                    return false;
                };
                bits(&x) <= MAX_INT_SIZE / w
            }
            _ => true,
        },
        BinOp::LShift => match (int_of(a), int_of(b)) {
            (Some(x), Some(y))
                if x.sign() != num_bigint::Sign::NoSign && y.sign() != num_bigint::Sign::NoSign =>
            {
                let Ok(w) = u64::try_from(&y) else {
                    return false;
                };
                w <= MAX_INT_SIZE && bits(&x) <= MAX_INT_SIZE - w
            }
            _ => true,
        },
        BinOp::Mod => PyStr::from_obj(a.clone()).is_err(),
        _ => true,
    }
}

/// The tokenizer's rule for `_` in a number: each one stands between two digits, or right
/// after a base prefix (`0x_ff`). The message CPython's tokenizer gives otherwise.
fn bad_underscore(text: &str) -> Option<&'static str> {
    let b = text.as_bytes();
    let (radix_digit, msg): (fn(u8) -> bool, &'static str) =
        match text.get(..2).map(|p| p.to_ascii_lowercase()).as_deref() {
            Some("0x") => (|c: u8| c.is_ascii_hexdigit(), "invalid hexadecimal literal"),
            Some("0o") => (|c: u8| (b'0'..=b'7').contains(&c), "invalid octal literal"),
            Some("0b") => (|c: u8| c == b'0' || c == b'1', "invalid binary literal"),
            _ => (|c: u8| c.is_ascii_digit(), "invalid decimal literal"),
        };
    let prefixed = msg != "invalid decimal literal";
    for (i, &c) in b.iter().enumerate() {
        if c != b'_' {
            continue;
        }
        let before = i.checked_sub(1).map(|j| b[j]);
        let after = b.get(i + 1).copied();
        let ok_before = before.is_some_and(radix_digit) || (prefixed && i == 2);
        let ok_after = after.is_some_and(radix_digit);
        if !(ok_before && ok_after) {
            return Some(msg);
        }
    }
    None
}

/// Builds `co_varnames` (3.11's `compiler_nameop` adds a fast local to `u_varnames` the first
/// time it emits a load, store or delete of it, after the parameters): walks a code unit in
/// the order code generation visits it — the order [`Lowerer::consts_stmt`] registers
/// constants in (an assignment's value before its targets, a `for`'s iterable before its
/// target, dead code too).
struct Varnames<'s> {
    locals: &'s [Rc<str>],
    cells: &'s HashSet<usize>,
    seen: Vec<bool>,
    out: Vec<Rc<str>>,
}

impl<'s> Varnames<'s> {
    fn new(scope: &'s Scope, nparams: usize) -> Self {
        let mut v = Varnames {
            locals: &scope.locals,
            cells: &scope.cells,
            seen: vec![false; scope.locals.len()],
            out: Vec::new(),
        };
        // Parameters come first, cells or not.
        for i in 0..nparams {
            v.seen[i] = true;
            v.out.push(scope.locals[i].clone());
        }
        v
    }

    fn name(&mut self, n: &Name) {
        if let Name::Local(i, _) = n
            && !self.seen[*i]
        {
            self.seen[*i] = true;
            if !self.cells.contains(i) {
                self.out.push(self.locals[*i].clone());
            }
        }
    }

    fn finish(self) -> Vec<Rc<str>> {
        debug_assert!(
            self.seen.iter().all(|&s| s),
            "every local of {:?} is met by the walk ({:?} were)",
            self.locals,
            self.out
        );
        self.out
    }

    fn stmt(&mut self, s: &Stmt) {
        match &s.kind {
            StmtKind::Expr(e) | StmtKind::Return(Some(e)) => self.expr(e),
            StmtKind::Assign(targets, e) => {
                self.expr(e);
                targets.iter().for_each(|t| self.target(t));
            }
            StmtKind::AugAssign(t, _, e) => {
                self.target(t);
                self.expr(e);
            }
            StmtKind::Del(ts) => ts.iter().for_each(|t| self.target(t)),
            StmtKind::If(c, a, b) | StmtKind::While(c, a, b) => {
                self.expr(c);
                a.iter().chain(b).for_each(|s| self.stmt(s));
            }
            StmtKind::For(t, it, a, b) => {
                self.expr(it);
                self.target(t);
                a.iter().chain(b).for_each(|s| self.stmt(s));
            }
            StmtKind::Assert(c, m) => {
                self.expr(c);
                if let Some(m) = m {
                    self.expr(m);
                }
            }
            StmtKind::Def(n, _) | StmtKind::Import { name: n, .. } => self.name(n),
            StmtKind::Return(None) | StmtKind::Break | StmtKind::Continue | StmtKind::Pass => {}
        }
    }

    fn target(&mut self, t: &Target) {
        match t {
            Target::Name(n) => self.name(n),
            Target::Subscript(a, b) => {
                self.expr(a);
                self.expr(b);
            }
            Target::Tuple(ts, _) => ts.iter().for_each(|t| self.target(t)),
        }
    }

    fn expr(&mut self, e: &Expr) {
        match e {
            Expr::Lit(_) | Expr::Const(_) => {}
            Expr::Name(n) => self.name(n),
            Expr::List { items, .. } | Expr::Tuple(items) | Expr::BoolOp(_, items) => {
                items.iter().for_each(|x| self.expr(x))
            }
            Expr::ConstList(x) | Expr::Unary(_, x) | Expr::Attr(x, _) => self.expr(x),
            Expr::Dict(chunks) => {
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
            Expr::BinOp(_, a, b) | Expr::Subscript(a, b) => {
                self.expr(a);
                self.expr(b);
            }
            Expr::Compare(a, rest) => {
                self.expr(a);
                rest.iter().for_each(|(_, x)| self.expr(x));
            }
            Expr::IfExp(a, b, c) => {
                self.expr(a);
                self.expr(b);
                self.expr(c);
            }
            Expr::Call { func, args, kwargs } => {
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
