//! Statements: from tree-sitter's statement nodes to [`Stmt`]s (the grammar's actions in
//! CPython's `Grammar/python.gram`), with the checks the compiler makes on them (`'return'
//! outside function`, duplicate parameters, `global` of a parameter, illegal assignment
//! targets) and the refusals of what the subset lacks.

use std::rc::Rc;

use tree_sitter::Node;

use super::expr::binop_from;
use super::scope::ScopeKind;
use super::syntax::{all_children, construct_name, named_children};
use super::{CompileError, Lowerer, Res};
use crate::script::ast::*;

impl<'s> Lowerer<'s> {
    /// The statements of a block (or of the module), in order.
    pub(super) fn block_children(&mut self, n: Node) -> Res<Vec<Stmt>> {
        let mut out = Vec::new();
        let stmts: Vec<Node> = named_children(n)
            .into_iter()
            .filter(|c| c.kind() != "comment")
            .collect();
        if n.kind() == "block" && stmts.is_empty() {
            return Err(self.empty_block(n));
        }
        for c in stmts {
            match self.stmt(c, &mut out) {
                Err(CompileError::Unsupported { pos, what }) => self.refusals.push((pos, what)),
                other => other?,
            }
        }
        Ok(out)
    }

    /// A compound statement whose block has no statement (its header the last line):
    /// CPython's `IndentationError`, a `SyntaxError` here.
    fn empty_block(&self, block: Node) -> CompileError {
        let owner = block.parent().unwrap_or(block);
        let what = match owner.kind() {
            "function_definition" => "function definition".to_string(),
            "class_definition" => "class definition".to_string(),
            kind => format!(
                "'{}' statement",
                kind.trim_end_matches("_statement")
                    .trim_end_matches("_clause")
            ),
        };
        CompileError::Syntax {
            pos: self.pos(block),
            msg: format!(
                "expected an indented block after {what} on line {}",
                owner.start_position().row + 1
            ),
        }
    }

    /// The statements of a node's block field (`body`, `consequence`), if it has one.
    fn block_field(&mut self, n: Node, field: &str) -> Res<Vec<Stmt>> {
        match n.child_by_field_name(field) {
            Some(b) => self.block_children(b),
            None => Ok(Vec::new()),
        }
    }

    /// One statement node to the [`Stmt`]s it makes (`import a, b` makes two, `global`
    /// none: its names were collected with the function's scope).
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
                            if let Target::Tuple(_, p, _) = target {
                                return Err(CompileError::Syntax {
                                    pos: p,
                                    msg:
                                        "'tuple' is an illegal expression for augmented assignment"
                                            .into(),
                                });
                            }
                            StmtKind::AugAssign(target, op, value, self.span(left))
                        }
                        "yield" => StmtKind::Expr(self.yield_expr(c)?),
                        _ => StmtKind::Expr(self.expr(c)?),
                    }
                }
            }
            "delete_statement" => {
                let (mut targets, mut spans) = (Vec::new(), Vec::new());
                for c in named_children(n) {
                    if c.kind() == "expression_list" {
                        for d in named_children(c) {
                            targets.push(self.target(d)?);
                            spans.push(self.span(d));
                        }
                    } else {
                        targets.push(self.target(c)?);
                        spans.push(self.span(c));
                    }
                }
                StmtKind::Del(targets, spans)
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
                // Recorded by collect_bindings; legal and meaningless at module level.
                return Ok(());
            }
            "nonlocal_statement" => {
                if self.scopes.last().map(|s| s.kind) == Some(ScopeKind::Module) {
                    return Err(CompileError::Syntax {
                        pos,
                        msg: "nonlocal declaration not allowed at module level".into(),
                    });
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
                    out.push(Stmt::new(
                        self.pos(c),
                        self.span(c),
                        StmtKind::Import {
                            module,
                            attr: None,
                            name,
                        },
                    ));
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
                    out.push(Stmt::new(
                        self.pos(c),
                        self.span(c),
                        StmtKind::Import {
                            module,
                            attr: Some(attr),
                            name,
                        },
                    ));
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
                // A comparison's jump leaves its position to the raise.
                let mut test = &cond;
                while let Expr::Unary(UnOp::Not, inner, _) = test {
                    test = inner;
                }
                let span = match test {
                    Expr::Compare(_, _, s) => *s,
                    _ => Span::default(),
                };
                StmtKind::Assert(cond, msg, span)
            }
            "try_statement" => self.try_stmt(n)?,
            "raise_statement" => {
                let exc = match named_children(n)
                    .into_iter()
                    .find(|c| Some(*c) != n.child_by_field_name("cause"))
                {
                    Some(e) => Some(self.expr(e)?),
                    None => None,
                };
                let cause = match n.child_by_field_name("cause") {
                    Some(c) => Some(self.expr(c)?),
                    None => None,
                };
                StmtKind::Raise(exc, cause)
            }
            "future_import_statement" => return self.unsupported_node(n),
            _ => return self.unsupported_node(n),
        };
        out.push(Stmt::new(pos, self.span(n), kind));
        Ok(())
    }

    /// The module an `import` names: only `sys` and `gc` exist here.
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

    /// `elif` clauses as nested `if`s in the `else` branch, as CPython's AST has them.
    fn else_chain(&mut self, alts: &[Node]) -> Res<Vec<Stmt>> {
        let Some((first, rest)) = alts.split_first() else {
            return Ok(Vec::new());
        };
        match first.kind() {
            "elif_clause" => {
                let cond = self.expr(first.child_by_field_name("condition").expect("condition"))?;
                let body = self.block_field(*first, "consequence")?;
                let orelse = self.else_chain(rest)?;
                Ok(vec![Stmt::new(
                    self.pos(*first),
                    self.span(*first),
                    StmtKind::If(cond, body, orelse),
                )])
            }
            _ => self.block_field(*first, "body"),
        }
    }

    /// `try` with its `except` clauses, `else` and `finally`.
    fn try_stmt(&mut self, n: Node) -> Res<StmtKind> {
        let closing = self.runs_code_on_close(n);
        self.closing_trys += usize::from(closing);
        let r = self.try_parts(n);
        self.closing_trys -= usize::from(closing);
        r
    }

    /// Whether closing a generator suspended in this `try` would run code of the script:
    /// a `finally`, a bare `except:`, or a handler whose classes are not all named
    /// subclasses of `Exception` (`GeneratorExit` is a `BaseException` only).
    fn runs_code_on_close(&self, n: Node) -> bool {
        let exception_class = |t: Node| {
            t.kind() == "identifier"
                && crate::error::ExcKind::ALL
                    .iter()
                    .any(|k| k.name() == self.text(t) && *k != crate::error::ExcKind::BaseException)
        };
        named_children(n).into_iter().any(|c| match c.kind() {
            "finally_clause" => true,
            "except_clause" => {
                let mut cur = c.walk();
                let values: Vec<Node> = c.children_by_field_name("value", &mut cur).collect();
                let Some(v) = values.first() else {
                    return true;
                };
                let v = match v.kind() {
                    "as_pattern" => named_children(*v).into_iter().next().unwrap_or(*v),
                    _ => *v,
                };
                let v = match v.kind() {
                    "parenthesized_expression" => named_children(v).into_iter().next().unwrap_or(v),
                    _ => v,
                };
                match v.kind() {
                    "tuple" => !named_children(v).into_iter().all(exception_class),
                    _ => !exception_class(v),
                }
            }
            _ => false,
        })
    }

    fn try_parts(&mut self, n: Node) -> Res<StmtKind> {
        let body = self.block_field(n, "body")?;
        let (mut handlers, mut orelse, mut finalbody) = (Vec::new(), Vec::new(), Vec::new());
        for c in named_children(n) {
            match c.kind() {
                "except_clause" if all_children(c).iter().any(|k| k.kind() == "*") => {
                    return self.unsupported(c, "except*");
                }
                "except_clause" => {
                    let mut cur = c.walk();
                    let values: Vec<Node> = c.children_by_field_name("value", &mut cur).collect();
                    if values.len() > 1 {
                        return Err(CompileError::Syntax {
                            pos: self.pos(values[0]),
                            msg: "multiple exception types must be parenthesized".into(),
                        });
                    }
                    // `except E as e` parses as an `as_pattern`: `E`, then the alias.
                    let (value, alias) = match values.first() {
                        Some(v) if v.kind() == "as_pattern" => {
                            let alias = v
                                .child_by_field_name("alias")
                                .map(|a| named_children(a).into_iter().next().unwrap_or(a));
                            (named_children(*v).into_iter().next(), alias)
                        }
                        Some(v) => (Some(*v), c.child_by_field_name("alias")),
                        None => (None, None),
                    };
                    let types = match value {
                        Some(v) => Some(self.expr(v)?),
                        None => None,
                    };
                    let name = match alias {
                        Some(a) if a.kind() == "identifier" => Some(self.store_name(self.text(a))),
                        Some(a) => {
                            return Err(CompileError::Syntax {
                                pos: self.pos(a),
                                msg: "invalid syntax".into(),
                            });
                        }
                        None => None,
                    };
                    let block = named_children(c)
                        .into_iter()
                        .find(|k| k.kind() == "block")
                        .expect("an except clause has a block");
                    handlers.push(Handler {
                        pos: self.pos(c),
                        types,
                        name,
                        body: self.block_children(block)?,
                    });
                }
                "except_group_clause" => return self.unsupported(c, "except*"),
                "else_clause" => orelse = self.block_field(c, "body")?,
                "finally_clause" => {
                    let block = named_children(c)
                        .into_iter()
                        .find(|k| k.kind() == "block")
                        .expect("a finally clause has a block");
                    finalbody = self.block_children(block)?;
                }
                _ => {}
            }
        }
        if let Some(h) = handlers[..handlers.len().saturating_sub(1)]
            .iter()
            .find(|h| h.types.is_none())
        {
            return Err(CompileError::Syntax {
                pos: h.pos,
                msg: "default 'except:' must be last".into(),
            });
        }
        Ok(StmtKind::Try {
            body,
            handlers,
            orelse,
            finalbody,
        })
    }

    /// `a = b = value`: the value, then the targets left to right.
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
            let value = match right.kind() {
                "yield" => self.yield_expr(right)?,
                _ => self.expr(right)?,
            };
            let mut targets = Vec::new();
            for t in targets_nodes {
                targets.push(self.target(t)?);
            }
            return Ok(StmtKind::Assign(targets, value));
        }
    }

    /// An assignment, `for`, `del` or comprehension target, bound in the current scope.
    pub(super) fn target(&mut self, n: Node) -> Res<Target> {
        match n.kind() {
            "identifier" => {
                let name = self.store_name(self.text(n));
                Ok(Target::Name(name))
            }
            "subscript" => {
                let (v, i) = self.subscript_parts(n)?;
                Ok(Target::Subscript(v, i, self.span(n)))
            }
            "pattern_list" | "tuple_pattern" | "list_pattern" | "expression_list" | "tuple"
            | "list" => {
                let mut ts = Vec::new();
                for c in named_children(n) {
                    if matches!(c.kind(), "list_splat_pattern" | "list_splat") {
                        if ts.iter().any(|t| matches!(t, Target::Starred(_))) {
                            return Err(CompileError::Syntax {
                                pos: self.pos(c),
                                msg: "multiple starred expressions in assignment".into(),
                            });
                        }
                        let inner = named_children(c).into_iter().next().expect("a target");
                        ts.push(Target::Starred(Box::new(self.target(inner)?)));
                    } else {
                        ts.push(self.target(c)?);
                    }
                }
                Ok(Target::Tuple(ts, self.pos(n), self.span(n)))
            }
            "parenthesized_expression" => {
                let kids = named_children(n);
                self.target(kids[0])
            }
            "attribute" => {
                let obj = self.expr(n.child_by_field_name("object").expect("object"))?;
                let attr = self.text(n.child_by_field_name("attribute").expect("attribute"));
                Ok(Target::Attr(obj, attr.into(), self.span(n)))
            }
            "list_splat_pattern" | "list_splat" => Err(CompileError::Syntax {
                pos: self.pos(n),
                msg: "starred assignment target must be in a list or tuple".into(),
            }),
            _ => Err(CompileError::Syntax {
                pos: self.pos(n),
                msg: format!("cannot assign to {}", construct_name(n.kind())),
            }),
        }
    }
}
