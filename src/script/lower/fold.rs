//! Constant folding, as CPython 3.11's AST optimizer does it (`Python/ast_opt.c`): operators
//! on constants, constant tuples, constant subscripts, `not` into comparisons, list displays
//! iterated or tested with `in` as tuples. The optimizer's size limits (`safe_multiply` and
//! friends) are kept, because what is folded is made at compile time and lives in the AST
//! arena for the whole run (its refcounts show it). Each function names its C counterpart.

use num_bigint::BigInt;

use super::Lowerer;
use crate::object::Obj;
use crate::script::ast::*;
use crate::script::ops;
use crate::types::int::PyInt;
use crate::types::str::PyStr;
use crate::types::tuple::PyTuple;

// ast_opt.c's limits on what a fold may build.
const MAX_INT_SIZE: u64 = 128; // bits
const MAX_COLLECTION_SIZE: i64 = 256;
const MAX_STR_SIZE: i64 = 4096;
const MAX_TOTAL_ITEMS: i64 = 1024;

/// The objects of expressions the caller has checked are all literals.
pub(super) fn lit_objs(items: Vec<Expr>) -> Vec<Obj> {
    items
        .into_iter()
        .map(|e| match e {
            Expr::Lit(o) => o,
            _ => unreachable!(),
        })
        .collect()
}

/// The value of an int (or bool) constant.
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

impl<'s> Lowerer<'s> {
    /// A folded result: `make_const` adds it to the arena.
    fn folded(&mut self, o: Obj) -> Expr {
        self.parsed_lit(o)
    }

    /// `fold_binop`: two constants and an operator the optimizer may fold (see
    /// [`fold_allowed`]) become the result; a fold that raises is left for run time.
    pub(super) fn fold_binop(&mut self, op: BinOp, a: Expr, b: Expr) -> Expr {
        if let (Expr::Lit(x), Expr::Lit(y)) = (&a, &b)
            && fold_allowed(op, x, y)
            && let Ok(v) = ops::binary_op(op, x, y, usize::MAX)
        {
            return self.folded(v);
        }
        Expr::BinOp(op, Box::new(a), Box::new(b))
    }

    /// `fold_unaryop`: an operator on a constant becomes the result; `not` of a single
    /// `in`/`is` comparison becomes the negated comparison.
    pub(super) fn fold_unary(&mut self, op: UnOp, a: Expr) -> Expr {
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

    /// `fold_tuple` (`make_const_tuple`): a tuple display of constants becomes one constant.
    pub(super) fn fold_tuple(&mut self, items: Vec<Expr>) -> Expr {
        if items.iter().all(|e| matches!(e, Expr::Lit(_))) {
            return self.folded(PyTuple::new(lit_objs(items)).into_obj());
        }
        Expr::Tuple(items)
    }

    /// `fold_iter`: a list display iterated by `for` or tested by `in` becomes a tuple.
    pub(super) fn fold_iter(&mut self, e: Expr) -> Expr {
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

    /// `fold_subscr`: a constant subscripted by a constant (`'abc'[0]`, `(1, 2)[1]`).
    pub(super) fn fold_subscr(&mut self, v: Expr, i: Expr) -> Expr {
        if let (Expr::Lit(a), Expr::Lit(b)) = (&v, &i)
            && let Ok(r) = ops::getitem_const(a, b)
        {
            return self.folded(r);
        }
        Expr::Subscript(Box::new(v), Box::new(i))
    }
}
