//! The symbol table's share of start-up traffic (`Python/symtable.c`): the blocks
//! `_PySymtable_Build` makes (one per module, function and comprehension, in creation order)
//! and the temporary `scopes` dict `analyze_block` takes per block.

use super::sim::{Fl, Sim};
use crate::script::ast::*;

/// The symbol table's blocks: each node's children in the order `symtable.c` creates them.
#[derive(Default)]
pub(super) struct Block {
    pub(super) children: Vec<Block>,
}

pub(super) fn blocks_stmts(body: &[Stmt], out: &mut Vec<Block>) {
    for s in body {
        match &s.kind {
            StmtKind::Expr(e) | StmtKind::Return(Some(e)) => blocks_expr(e, out),
            StmtKind::Assign(ts, e) => {
                ts.iter().for_each(|t| blocks_target(t, out));
                blocks_expr(e, out);
            }
            StmtKind::AugAssign(t, _, e, _) => {
                blocks_target(t, out);
                blocks_expr(e, out);
            }
            StmtKind::Del(ts, _) => ts.iter().for_each(|t| blocks_target(t, out)),
            StmtKind::If(c, a, b) | StmtKind::While(c, a, b) => {
                blocks_expr(c, out);
                blocks_stmts(a, out);
                blocks_stmts(b, out);
            }
            StmtKind::For(t, it, a, b) => {
                blocks_target(t, out);
                blocks_expr(it, out);
                blocks_stmts(a, out);
                blocks_stmts(b, out);
            }
            StmtKind::Def(_, f, d) => {
                for x in [&d.pos, &d.kw].into_iter().flatten() {
                    blocks_expr(x, out);
                }
                let mut b = Block::default();
                blocks_stmts(&f.code.body, &mut b.children);
                out.push(b);
            }
            StmtKind::Assert(c, m, _) => {
                blocks_expr(c, out);
                if let Some(m) = m {
                    blocks_expr(m, out);
                }
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => {
                blocks_stmts(body, out);
                blocks_stmts(orelse, out);
                for h in handlers {
                    if let Some(e) = &h.types {
                        blocks_expr(e, out);
                    }
                    blocks_stmts(&h.body, out);
                }
                blocks_stmts(finalbody, out);
            }
            StmtKind::Raise(e, c) => [e, c]
                .into_iter()
                .flatten()
                .for_each(|x| blocks_expr(x, out)),
            StmtKind::Return(None)
            | StmtKind::Break
            | StmtKind::Continue
            | StmtKind::Pass
            | StmtKind::Import { .. } => {}
        }
    }
}

fn blocks_target(t: &Target, out: &mut Vec<Block>) {
    match t {
        Target::Name(_) => {}
        Target::Subscript(a, b, _) => {
            blocks_expr(a, out);
            blocks_expr(b, out);
        }
        Target::Attr(a, _, _) => blocks_expr(a, out),
        Target::Tuple(ts, ..) => ts.iter().for_each(|x| blocks_target(x, out)),
        Target::Starred(x) => blocks_target(x, out),
    }
}

fn blocks_expr(e: &Expr, out: &mut Vec<Block>) {
    match e {
        Expr::Lit(_) | Expr::Const(_) | Expr::Name(..) => {}
        Expr::List { items, .. } | Expr::Tuple(items) | Expr::BoolOp(_, items) => {
            items.iter().for_each(|x| blocks_expr(x, out))
        }
        Expr::ConstList(x) | Expr::Unary(_, x, _) | Expr::Attr(x, _, _) => blocks_expr(x, out),
        Expr::Dict(chunks, _) => {
            for c in chunks {
                match c {
                    DictChunk::Map(ps) | DictChunk::Big(ps) => {
                        for (k, v) in ps {
                            blocks_expr(k, out);
                            blocks_expr(v, out);
                        }
                    }
                    DictChunk::ConstKeys(k, vs) => {
                        blocks_expr(k, out);
                        vs.iter().for_each(|x| blocks_expr(x, out));
                    }
                }
            }
        }
        Expr::BinOp(_, a, b, _) | Expr::Subscript(a, b, _) => {
            blocks_expr(a, out);
            blocks_expr(b, out);
        }
        Expr::Compare(a, rest, _) => {
            blocks_expr(a, out);
            rest.iter().for_each(|(_, x)| blocks_expr(x, out));
        }
        Expr::IfExp(a, b, c) => {
            blocks_expr(a, out);
            blocks_expr(b, out);
            blocks_expr(c, out);
        }
        Expr::Starred(x) => blocks_expr(x, out),
        Expr::Yield(x, ..) => {
            if let Some(x) = x {
                blocks_expr(x, out)
            }
        }
        Expr::Lambda(f, d) => {
            for x in [&d.pos, &d.kw].into_iter().flatten() {
                blocks_expr(x, out);
            }
            let mut b = Block::default();
            blocks_stmts(&f.code.body, &mut b.children);
            out.push(b);
        }
        Expr::Call {
            func, args, kwargs, ..
        } => {
            blocks_expr(func, out);
            args.iter().for_each(|x| blocks_expr(x, out));
            kwargs.iter().for_each(|(_, x)| blocks_expr(x, out));
        }
        Expr::MethodCall {
            recv, args, kwargs, ..
        } => {
            blocks_expr(recv, out);
            args.iter().for_each(|x| blocks_expr(x, out));
            kwargs.iter().for_each(|(_, x)| blocks_expr(x, out));
        }
        Expr::JoinedStr(parts) => parts.iter().for_each(|x| blocks_expr(x, out)),
        Expr::FormattedValue { value, spec, .. } => {
            blocks_expr(value, out);
            if let Some(s) = spec {
                blocks_expr(s, out);
            }
        }
        Expr::Slice(a, b, c) => {
            for x in [a, b, c].into_iter().flatten() {
                blocks_expr(x, out);
            }
        }
        Expr::Comp(c) => {
            // The outermost iterable belongs to the enclosing block.
            blocks_expr(&c.gens[0].iter, out);
            let mut b = Block::default();
            for (i, g) in c.gens.iter().enumerate() {
                blocks_target(&g.target, &mut b.children);
                if i > 0 {
                    blocks_expr(&g.iter, &mut b.children);
                }
                g.ifs.iter().for_each(|x| blocks_expr(x, &mut b.children));
            }
            if let Some(v) = &c.value {
                blocks_expr(&c.elt, &mut b.children);
                blocks_expr(v, &mut b.children);
            } else {
                blocks_expr(&c.elt, &mut b.children);
            }
            out.push(b);
        }
    }
}

pub(super) fn count_blocks(bs: &[Block]) -> usize {
    bs.iter().map(|b| 1 + count_blocks(&b.children)).sum()
}

/// `analyze_block`: a `scopes` dict per block, taken on entry, returned on exit.
pub(super) fn analyze(sim: &mut Sim, b: &Block) {
    sim.pop(Fl::Dict);
    for c in &b.children {
        analyze(sim, c);
    }
    sim.push(Fl::Dict);
}
