//! Functions: `def` and `lambda` (CPython's `compiler_function`, `compiler_lambda`, and the
//! grammar's parameter rules): the parameter list, the defaults evaluated in the enclosing
//! scope, the function's own scope (what it binds, `global` and `nonlocal` declarations,
//! the free variables it reads from enclosing functions) and its code object.

use std::rc::Rc;

use tree_sitter::Node;

use super::scope::{Scope, ScopeKind};
use super::syntax::{all_children, has_docstring, named_children};
use super::{CompileError, Lowerer, Res};
use crate::script::ast::*;
use crate::types::str::PyStr;
use crate::types::tuple::PyTuple;

/// A parameter list: each parameter with its default and place.
#[derive(Default)]
struct Signature<'t> {
    positional: Vec<(String, Option<Node<'t>>, Pos)>,
    nposonly: usize,
    kwonly: Vec<(String, Option<Node<'t>>, Pos)>,
    varargs: Option<(String, Pos)>,
    varkw: Option<(String, Pos)>,
}

/// What a function's body is.
#[derive(Clone, Copy)]
enum Body<'t> {
    /// A `def`'s block.
    Block(Node<'t>),
    /// A `lambda`'s expression (its code returns it).
    Expr(Node<'t>),
}

impl<'s> Lowerer<'s> {
    /// `def`: the function's code and defaults, bound to its name.
    pub(super) fn def(&mut self, n: Node) -> Res<StmtKind> {
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
        let params = n.child_by_field_name("parameters");
        let body = n.child_by_field_name("body").expect("body");
        let (func, defaults) = self.function(&fname, n, params, Body::Block(body))?;
        Ok(StmtKind::Def(bind, func, defaults))
    }

    /// `lambda params: expr` (`compiler_lambda`): a function named `<lambda>` whose code
    /// returns the expression.
    pub(super) fn lambda(&mut self, n: Node) -> Res<Expr> {
        let params = n.child_by_field_name("parameters");
        let body = n.child_by_field_name("body").expect("body");
        let (func, defaults) = self.function("<lambda>", n, params, Body::Expr(body))?;
        Ok(Expr::Lambda(func, Box::new(defaults)))
    }

    /// A function's parameters, defaults (lowered here, in the enclosing scope: positional
    /// ones as one tuple, keyword-only ones as a dict with a constant tuple of keys), scope
    /// and code.
    fn function<'t>(
        &mut self,
        fname: &str,
        n: Node<'t>,
        params: Option<Node<'t>>,
        body: Body<'t>,
    ) -> Res<(Rc<FuncDef>, Defaults)> {
        let sig = match params {
            Some(p) => self.parameters(p)?,
            None => Signature::default(),
        };
        let mut scope = Scope::new(ScopeKind::Function);
        scope.qualname = self.qualname(fname);
        for (pn, at) in sig
            .positional
            .iter()
            .chain(&sig.kwonly)
            .map(|(name, _, at)| (name, at))
            .chain(sig.varargs.iter().chain(&sig.varkw).map(|(n, at)| (n, at)))
        {
            if scope.index.contains_key(pn.as_str()) {
                return Err(CompileError::Syntax {
                    pos: *at,
                    msg: format!("duplicate argument '{pn}' in function definition"),
                });
            }
            scope.add_local(pn);
        }
        let defaults = self.defaults(&sig)?;
        let (block, at) = match body {
            Body::Block(b) => (Some(b), b),
            Body::Expr(e) => (None, e),
        };
        let (mut bound, mut globals) = (Vec::new(), Vec::new());
        match block {
            Some(b) => named_children(b)
                .into_iter()
                .for_each(|c| self.collect_bindings(c, &mut bound, &mut globals)),
            None => self.collect_bindings(at, &mut bound, &mut globals),
        }
        for (g, nonlocal) in &globals {
            let (kind, other) = if *nonlocal {
                ("nonlocal", &scope.globals)
            } else {
                ("global", &scope.nonlocals)
            };
            let msg = if scope.index.contains_key(g.as_str()) {
                Some(format!("name '{g}' is parameter and {kind}"))
            } else if other.contains(g.as_str()) {
                Some(format!("name '{g}' is nonlocal and global"))
            } else {
                None
            };
            if let Some(msg) = msg {
                return Err(CompileError::Syntax {
                    pos: self.pos(at),
                    msg,
                });
            }
            if *nonlocal {
                scope.nonlocals.insert(g.as_str().into());
            } else {
                scope.globals.insert(g.as_str().into());
            }
        }
        for b in &bound {
            if !scope.globals.contains(b.as_str()) && !scope.nonlocals.contains(b.as_str()) {
                scope.add_local(b);
            }
        }
        self.scopes.push(scope);
        let closing_trys = std::mem::take(&mut self.closing_trys);
        for (g, _) in globals.iter().filter(|(_, nonlocal)| *nonlocal) {
            if self.free_name(g).is_none() {
                self.scopes.pop();
                self.closing_trys = closing_trys;
                return Err(CompileError::Syntax {
                    pos: self.pos(at),
                    msg: format!("no binding for nonlocal '{g}' found"),
                });
            }
        }
        let stmts = match block {
            Some(b) => self.block_children(b),
            None => self.expr(at).map(|e| {
                vec![Stmt::new(
                    self.pos(at),
                    self.span(at),
                    StmtKind::Return(Some(e)),
                )]
            }),
        };
        let scope = self.scopes.pop().expect("function scope");
        self.closing_trys = closing_trys;
        let stmts = stmts?;
        let func = FuncDef {
            nparams: sig.positional.len(),
            nposonly: sig.nposonly,
            nkwonly: sig.kwonly.len(),
            varargs: sig.varargs.is_some(),
            varkw: sig.varkw.is_some(),
            code: Rc::default(),
        };
        let mut code = self.finish_code(fname.into(), scope, func.nlocals_params(), stmts)?;
        // The line table records nothing of the `def` line itself (RESUME has no columns):
        // the body's place relative to it, and the body.
        code.docstring = block.is_some_and(|b| has_docstring(b, self.src));
        code.first_line = n.start_position().row as u32 + 1;
        code.shape = format!(
            "+{}:{}",
            at.start_position().row - n.start_position().row,
            self.shape(at)
        );
        let func = Rc::new(FuncDef {
            code: Rc::new(code),
            ..func
        });
        Ok((func, defaults))
    }

    /// The defaults of a signature, lowered in the enclosing scope.
    fn defaults(&mut self, sig: &Signature) -> Res<Defaults> {
        let mut pos_defaults = Vec::new();
        for (_, d, _) in &sig.positional {
            if let Some(d) = d {
                pos_defaults.push(self.expr(*d)?);
            }
        }
        let mut kw_keys = Vec::new();
        let mut kw_values = Vec::new();
        for (name, d, _) in &sig.kwonly {
            if let Some(d) = d {
                kw_keys.push(PyStr::new(name).into_obj());
                kw_values.push(self.expr(*d)?);
            }
        }
        Ok(Defaults {
            // Folded by the CFG optimizer, not the AST's: the tuple is no AST constant (the
            // arena does not hold it).
            pos: (!pos_defaults.is_empty()).then(|| super::fold::cfg_folded_tuple(pos_defaults)),
            kw: (!kw_keys.is_empty()).then(|| {
                Expr::Dict(
                    vec![DictChunk::ConstKeys(
                        Box::new(Expr::Lit(PyTuple::new(kw_keys).into_obj())),
                        kw_values,
                    )],
                    Span::default(),
                )
            }),
        })
    }

    /// A parameter list (a `def`'s or a `lambda`'s), checked as CPython's parser checks it.
    fn parameters<'t>(&self, params: Node<'t>) -> Res<Signature<'t>> {
        let mut sig = Signature::default();
        let mut star_seen = false;
        let mut star_pos = None;
        for p in named_children(params) {
            let at = self.pos(p);
            let (name, default) = match p.kind() {
                "identifier" => (self.text(p).to_string(), None),
                "default_parameter" => (
                    self.text(p.child_by_field_name("name").expect("name"))
                        .to_string(),
                    Some(p.child_by_field_name("value").expect("value")),
                ),
                "typed_parameter" | "typed_default_parameter" => {
                    return self.unsupported(p, "annotation");
                }
                "positional_separator" => {
                    sig.nposonly = sig.positional.len();
                    continue;
                }
                "keyword_separator" => {
                    star_seen = true;
                    star_pos = Some(at);
                    continue;
                }
                "list_splat_pattern" => {
                    let id = named_children(p).into_iter().next().expect("a name");
                    sig.varargs = Some((self.text(id).to_string(), at));
                    star_seen = true;
                    continue;
                }
                "dictionary_splat_pattern" => {
                    let id = named_children(p).into_iter().next().expect("a name");
                    sig.varkw = Some((self.text(id).to_string(), at));
                    continue;
                }
                _ => return self.unsupported_node(p),
            };
            if star_seen {
                sig.kwonly.push((name, default, at));
            } else {
                if default.is_none() && sig.positional.iter().any(|(_, d, _)| d.is_some()) {
                    return Err(CompileError::Syntax {
                        pos: at,
                        msg: "non-default argument follows default argument".into(),
                    });
                }
                sig.positional.push((name, default, at));
            }
        }
        if let Some(at) = star_pos
            && sig.varargs.is_none()
            && sig.kwonly.is_empty()
        {
            return Err(CompileError::Syntax {
                pos: at,
                msg: "named arguments must follow bare *".into(),
            });
        }
        Ok(sig)
    }
}

impl Lowerer<'_> {
    /// `yield value`, `yield`, `yield from iterable` where the subset has them (a statement,
    /// or an assignment's value): the function becomes a generator. CPython's
    /// `SyntaxError`s outside a function and in a comprehension; refused in a lambda and
    /// inside a `try` (a generator suspended there is not modelled).
    pub(super) fn yield_expr(&mut self, n: Node) -> Res<Expr> {
        let pos = self.pos(n);
        let scope = self.scopes.last().expect("a scope");
        let comp = [
            ("<listcomp>", "list comprehension"),
            ("<setcomp>", "set comprehension"),
            ("<dictcomp>", "dict comprehension"),
            ("<genexpr>", "generator expression"),
        ]
        .into_iter()
        .find(|(q, _)| scope.kind == ScopeKind::Comp && scope.qualname.ends_with(q));
        if let Some((_, what)) = comp {
            return Err(CompileError::Syntax {
                pos,
                msg: format!("'yield' inside {what}"),
            });
        }
        if scope.kind == ScopeKind::Module {
            return Err(CompileError::Syntax {
                pos,
                msg: "'yield' outside function".into(),
            });
        }
        if scope.qualname.ends_with("<lambda>") {
            return self.unsupported(n, "yield in a lambda");
        }
        if self.closing_trys > 0 {
            return self.unsupported(
                n,
                "yield inside a try statement with a finally clause or a handler that can catch \
                 GeneratorExit (closing the generator would run it)",
            );
        }
        let from = all_children(n).iter().any(|c| c.kind() == "from");
        let value = match named_children(n).first() {
            Some(v) => Some(Box::new(self.expr(*v)?)),
            None => None,
        };
        self.scopes.last_mut().expect("a scope").generator = true;
        Ok(Expr::Yield(value, from, self.span(n)))
    }
}
