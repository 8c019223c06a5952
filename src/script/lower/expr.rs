//! Expressions: from tree-sitter's expression nodes to [`Expr`]s, folding as they are built,
//! and the compiler's choices about how displays get built (`Python/compile.c`): a list
//! display of more than two constants is one constant tuple (`starunpack_helper`), dict
//! displays go in chunks of up to 16 pairs with constant keys as one tuple
//! (`compiler_dict` / `compiler_subdict`), displays past 30 items are "big". Comprehensions
//! get their own scope and code object (`compiler_comprehension`).

use std::rc::Rc;

use tree_sitter::Node;

use super::consts::ConstTable;
use super::fold::lit_objs;
use super::scope::{Scope, ScopeKind, Varnames};
use super::syntax::{all_children, named_children};
use super::{CompileError, Lowerer, Res};
use crate::object::Obj;
use crate::script::ast::*;
use crate::types::int::PyInt;
use crate::types::none;
use crate::types::str::PyStr;
use crate::types::tuple::PyTuple;

/// Deepest expression nesting accepted (CPython's parser stops at about 200 too).
pub(super) const MAX_NESTING: usize = 200;

impl<'s> Lowerer<'s> {
    /// An expression, counting nesting depth (deeper than [`MAX_NESTING`] is refused).
    pub(super) fn expr(&mut self, n: Node) -> Res<Expr> {
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
            "integer" => self.integer(n)?,
            "float" => self.float(n)?,
            "true" => Expr::Lit(PyInt::from_bool(true).into_obj()),
            "false" => Expr::Lit(PyInt::from_bool(false).into_obj()),
            "none" => Expr::Lit(none::none()),
            "string" if self.is_fstring(n) => self.fstring(&[n])?,
            "string" => {
                let s = self.string(n)?;
                self.parsed_lit(PyStr::new(&s).into_obj())
            }
            "concatenated_string" if named_children(n).iter().any(|c| self.is_fstring(*c)) => {
                self.fstring(&named_children(n))?
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
                Expr::Name(self.load_name(n, id)?, self.span(n))
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
                    let objs = lit_objs(items);
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
                self.fold_binop(op, a, b, self.span(n))
            }
            "unary_operator" => {
                let op_node = n.child_by_field_name("operator").expect("operator");
                let op = match self.text(op_node) {
                    "-" => UnOp::Neg,
                    "+" => UnOp::Pos,
                    _ => UnOp::Invert,
                };
                let a = self.expr(n.child_by_field_name("argument").expect("argument"))?;
                self.fold_unary(op, a, self.span(n))
            }
            "not_operator" => {
                let a = self.expr(n.child_by_field_name("argument").expect("argument"))?;
                self.fold_unary(UnOp::Not, a, self.span(n))
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
                Expr::Attr(Box::new(obj), attr.into(), self.span(n))
            }
            "subscript" => {
                let (v, i) = self.subscript_parts(n)?;
                self.fold_subscr(v, i, self.span(n))
            }
            "list_comprehension" => self.comprehension(n, false, false)?,
            "generator_expression" => self.comprehension(n, false, true)?,
            "lambda" => self.lambda(n)?,
            "dictionary_comprehension" => self.comprehension(n, true, false)?,
            "slice" => return self.unsupported(n, "slice outside a subscript"),
            "yield" => {
                self.yield_expr(n)?;
                return self.unsupported(
                    n,
                    "yield inside an expression (a yield is a statement here: \
                     `yield value` or `x = yield value`)",
                );
            }
            _ => return self.unsupported_node(n),
        })
    }

    /// `value[index]`'s two parts; several indices are one (folded) tuple.
    pub(super) fn subscript_parts(&mut self, n: Node) -> Res<(Expr, Expr)> {
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

    /// `a:b:c`, any part left out.
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

    /// A comparison chain `a < b < c`, operator tokens read from the node's children.
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
        Ok(Expr::Compare(Box::new(first), rest, self.span(n)))
    }

    /// A call; `obj.name(...)` is a method call, as `maybe_optimize_method_call` compiles
    /// it. Repeated keywords and positionals after keywords are `SyntaxError`s.
    fn call(&mut self, n: Node) -> Res<Expr> {
        let f = n.child_by_field_name("function").expect("function");
        let argsn = n.child_by_field_name("arguments").expect("arguments");
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
        // `f(x for x in y)`: the generator expression is the one argument.
        let sole_genexp = argsn.kind() == "generator_expression";
        if sole_genexp {
            args.push(self.comprehension(argsn, false, true)?);
        }
        for a in named_children(argsn).into_iter().filter(|_| !sole_genexp) {
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
                "dictionary_splat" => {
                    let inner = named_children(a).into_iter().next().expect("a value");
                    kwargs.push((DOUBLE_STAR.into(), self.expr(inner)?));
                }
                kind => {
                    let unpacked = kwargs.iter().any(|(k, _)| &**k == DOUBLE_STAR);
                    let msg = match kind {
                        "list_splat" if unpacked => {
                            "iterable argument unpacking follows keyword argument unpacking"
                        }
                        "list_splat" => "",
                        _ if unpacked => "positional argument follows keyword argument unpacking",
                        _ if !kwargs.is_empty() => "positional argument follows keyword argument",
                        _ => "",
                    };
                    if !msg.is_empty() {
                        return Err(CompileError::Syntax {
                            pos: self.pos(a),
                            msg: msg.into(),
                        });
                    }
                    if kind == "list_splat" {
                        let inner = named_children(a).into_iter().next().expect("a value");
                        args.push(Expr::Starred(Box::new(self.expr(inner)?)));
                    } else {
                        args.push(self.expr(a)?)
                    }
                }
            }
        }
        // `maybe_optimize_method_call` gives up on unpacking: the bound method is made.
        let (recv, func) = match (recv, func) {
            (Some((obj, name)), None) if Expr::is_call_ex(&args, &kwargs) => {
                (None, Some(Expr::Attr(Box::new(obj), name, self.span(f))))
            }
            other => other,
        };
        Ok(match (recv, func) {
            (Some((obj, name)), _) => Expr::MethodCall {
                recv: Box::new(obj),
                name,
                args,
                kwargs,
                span: self.span(n),
                attr_span: self.span(f),
            },
            (None, Some(func)) => Expr::Call {
                ex: Expr::is_call_ex(&args, &kwargs),
                func: Box::new(func),
                args,
                kwargs,
                span: self.span(n),
            },
            (None, None) => unreachable!(),
        })
    }

    /// `compiler_dict` / `compiler_subdict` of 3.11.
    fn dict_display(&mut self, n: Node) -> Res<Expr> {
        let span = self.span(n);
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
        Ok(Expr::Dict(chunks, span))
    }

    /// `compiler_comprehension`: the outermost iterable in the enclosing scope, the rest in
    /// the comprehension's own scope and code object.
    fn comprehension(&mut self, n: Node, dict: bool, genexp: bool) -> Res<Expr> {
        let name = if genexp {
            "<genexpr>"
        } else if dict {
            "<dictcomp>"
        } else {
            "<listcomp>"
        };
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
        scope.qualname = self.qualname(name);
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
            first_line: n.start_position().row as u32 + 1,
            name: name.into(),
            qualname: scope.qualname.clone(),
            consts: t.consts,
            varnames: v.finish(self.refusals.is_empty()),
            cellvars: scope.cellvars(),
            freevars: scope.frees.clone(),
            locals: scope.locals,
            body: Vec::new(),
            shape: self.shape(n),
            docstring: false,
            warmup: Default::default(),
            generator: false,
        });
        Ok(Expr::Comp(Rc::new(Comp {
            dict,
            genexp,
            elt,
            value,
            gens,
            code,
            span: self.span(n),
        })))
    }

    #[allow(clippy::type_complexity)]
    /// The comprehension's clauses and element(s), lowered inside its scope.
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
}

/// The binary operator a token spells (`+=` without its `=`).
pub(super) fn binop_from(t: &str) -> Option<BinOp> {
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
