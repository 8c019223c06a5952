//! Constants: the parser's arena, the module-wide constant cache and each code unit's
//! `co_consts` (`Python/compile.c`: `merge_consts_recursive`, `compiler_add_o`,
//! `_PyCode_ConstantKey`). Equal constants (same type, same value) are one object across the
//! module; str constants made of name characters are interned. `co_consts` lists them in the
//! order code generation first loads them.

use hashbrown::HashMap;
use std::rc::Rc;

use num_bigint::BigInt;

use super::Lowerer;
use crate::object::Obj;
use crate::script::ast::*;
use crate::types::float::PyFloat;
use crate::types::int::PyInt;
use crate::types::none;
use crate::types::str::PyStr;
use crate::types::tuple::PyTuple;

/// `_PyCode_ConstantKey`: constants are merged when type and value are equal (`1`, `1.0`
/// and `True` stay apart; so do `0.0` and `-0.0`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(in crate::script) enum ConstKey {
    Int(BigInt),
    Bool(bool),
    Float(u64),
    Str(String),
    None,
    Tuple(Vec<ConstKey>),
}

pub(in crate::script) fn const_key(o: &Obj) -> ConstKey {
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

impl<'s> Lowerer<'s> {
    /// A literal the parser made: it lives in the AST arena for the whole run.
    pub(super) fn parsed_lit(&mut self, o: Obj) -> Expr {
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
            // The items are merged too, replaced in the tuple itself (PyTuple_SET_ITEM).
            for (i, item) in t.items().into_iter().enumerate() {
                let merged = self.merge(item.clone());
                if !merged.is(&item) {
                    t.replace_constant_item(i, merged);
                }
            }
            o
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

    /// `compiler_add_o`: the constant's index in this unit's `co_consts`, merged first.
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

    /// Registers a statement's literals in `co_consts`, replacing each with its index, in the
    /// order code generation loads them (`compiler_add_const` via `LOAD_CONST`).
    pub(super) fn consts_stmt(&mut self, s: &mut Stmt, t: &mut ConstTable) {
        match &mut s.kind {
            StmtKind::Expr(e) | StmtKind::Return(Some(e)) => self.consts_expr(e, t),
            StmtKind::Assign(targets, e) => {
                self.consts_expr(e, t);
                for tg in targets {
                    self.consts_target(tg, t);
                }
            }
            StmtKind::AugAssign(tg, _, e, _) => {
                self.consts_target(tg, t);
                self.consts_expr(e, t);
            }
            StmtKind::Del(ts, _) => ts.iter_mut().for_each(|tg| self.consts_target(tg, t)),
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
            StmtKind::Assert(c, m, _) => {
                self.consts_expr(c, t);
                if let Some(m) = m {
                    self.consts_expr(m, t);
                }
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => {
                body.iter_mut()
                    .chain(orelse.iter_mut())
                    .for_each(|s| self.consts_stmt(s, t));
                for h in handlers {
                    if let Some(e) = &mut h.types {
                        self.consts_expr(e, t);
                    }
                    h.body.iter_mut().for_each(|s| self.consts_stmt(s, t));
                }
                finalbody.iter_mut().for_each(|s| self.consts_stmt(s, t));
            }
            StmtKind::Def(_, _, d) => self.consts_defaults(d, t),
            StmtKind::Raise(e, c) => {
                for x in [e, c].into_iter().flatten() {
                    self.consts_expr(x, t);
                }
            }
            StmtKind::Return(None)
            | StmtKind::Break
            | StmtKind::Continue
            | StmtKind::Pass
            | StmtKind::Import { .. } => {}
        }
    }

    /// A function's defaults: constant ones are loaded one by one, then folded into a tuple
    /// constant, so co_consts holds both.
    fn consts_defaults(&mut self, d: &mut Defaults, t: &mut ConstTable) {
        if let Some(Expr::Lit(o)) = &d.pos
            && let Ok(tuple) = PyTuple::from_obj(o.clone())
        {
            for item in tuple.items() {
                self.register(&mut t.consts, &mut t.keys, item);
            }
        }
        for x in [&mut d.pos, &mut d.kw].into_iter().flatten() {
            self.consts_expr(x, t);
        }
    }

    pub(super) fn consts_target(&mut self, tg: &mut Target, t: &mut ConstTable) {
        match tg {
            Target::Name(_) => {}
            Target::Subscript(a, b, _) => {
                self.consts_expr(a, t);
                self.consts_expr(b, t);
            }
            Target::Attr(a, _, _) => self.consts_expr(a, t),
            Target::Tuple(ts, ..) => ts.iter_mut().for_each(|x| self.consts_target(x, t)),
            Target::Starred(x) => self.consts_target(x, t),
        }
    }

    pub(super) fn consts_expr(&mut self, e: &mut Expr, t: &mut ConstTable) {
        match e {
            Expr::Lit(o) => {
                let i = self.register(&mut t.consts, &mut t.keys, o.clone());
                *e = Expr::Const(i);
            }
            Expr::Const(_) | Expr::Name(..) => {}
            Expr::Tuple(items) => {
                items.iter_mut().for_each(|x| self.consts_expr(x, t));
                // fold_tuple_on_constants: a tuple whose every item is a LOAD_CONST (an
                // f-string with no field is one; the AST optimizer left it) is one
                // constant tuple, made by the compiler.
                let loaded: Option<Vec<Obj>> = items
                    .iter()
                    .map(|x| x.loaded_const().map(|i| t.consts[i].clone()))
                    .collect();
                if let Some(objs) = loaded
                    && !objs.is_empty()
                {
                    let i =
                        self.register(&mut t.consts, &mut t.keys, PyTuple::new(objs).into_obj());
                    *e = Expr::Const(i);
                }
            }
            Expr::List { items, .. } | Expr::BoolOp(_, items) => {
                items.iter_mut().for_each(|x| self.consts_expr(x, t))
            }
            Expr::ConstList(x) | Expr::Unary(_, x, _) | Expr::Attr(x, _, _) => {
                self.consts_expr(x, t)
            }
            Expr::Dict(chunks, _) => {
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
            Expr::BinOp(_, a, b, _) | Expr::Subscript(a, b, _) => {
                self.consts_expr(a, t);
                self.consts_expr(b, t);
            }
            Expr::Compare(a, rest, _) => {
                self.consts_expr(a, t);
                rest.iter_mut().for_each(|(_, x)| self.consts_expr(x, t));
            }
            Expr::IfExp(a, b, c) => {
                self.consts_expr(a, t);
                self.consts_expr(b, t);
                self.consts_expr(c, t);
            }
            Expr::Starred(x) => self.consts_expr(x, t),
            Expr::Yield(x, ..) => {
                if let Some(x) = x {
                    self.consts_expr(x, t)
                }
            }
            Expr::Lambda(_, d) => self.consts_defaults(d, t),
            Expr::Call {
                func, args, kwargs, ..
            } => {
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
            Expr::JoinedStr(parts) => parts.iter_mut().for_each(|x| self.consts_expr(x, t)),
            Expr::FormattedValue { value, spec, .. } => {
                self.consts_expr(value, t);
                if let Some(s) = spec {
                    self.consts_expr(s, t);
                }
            }
            Expr::Slice(a, b, c) => {
                for x in [a, b, c].into_iter().flatten() {
                    self.consts_expr(x, t);
                }
            }
            // The comprehension's own constants were registered with its code; only the
            // outermost iterable is evaluated here.
            Expr::Comp(c) => {
                let c = Rc::get_mut(c).expect("a comprehension is unshared while lowering");
                self.consts_expr(&mut c.gens[0].iter, t)
            }
        }
    }
}

#[derive(Default)]
pub(super) struct ConstTable {
    pub(super) consts: Vec<Obj>,
    pub(super) keys: HashMap<ConstKey, usize>,
}
