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
/// A tuple display the bytecode optimizer folds (`fold_tuple_on_constants`): every item a
/// `LOAD_CONST`, an f-string with no field included (the AST optimizer leaves those). The
/// tuple is made by the compiler, not in the parser's arena.
pub(super) fn cfg_folded_tuple(items: Vec<Expr>) -> Expr {
    let loads_const = |e: &Expr| match e {
        Expr::Lit(_) => true,
        Expr::JoinedStr(parts) => matches!(parts.as_slice(), [Expr::Lit(_)]),
        _ => false,
    };
    if !items.iter().all(loads_const) {
        return Expr::Tuple(items);
    }
    let items = items
        .into_iter()
        .map(|e| match e {
            Expr::JoinedStr(mut parts) => parts.pop().expect("one part"),
            e => e,
        })
        .collect();
    Expr::Lit(PyTuple::new(lit_objs(items)).into_obj())
}

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
    pub(super) fn fold_binop(&mut self, op: BinOp, a: Expr, b: Expr, span: Span) -> Expr {
        // `'%s: %r' % (x, y)` with a tuple that is not constant becomes an f-string.
        if op == BinOp::Mod
            && let Expr::Lit(f) = &a
            && let Ok(fmt) = PyStr::from_obj(f.clone())
            && let Expr::Tuple(_) = &b
        {
            let Expr::Tuple(elts) = b else {
                unreachable!("matched above")
            };
            return match self.optimize_format(&fmt.to_string(), elts, span) {
                Ok(joined) => joined,
                Err(elts) => Expr::BinOp(op, Box::new(a), Box::new(Expr::Tuple(elts)), span),
            };
        }
        if let (Expr::Lit(x), Expr::Lit(y)) = (&a, &b)
            && fold_allowed(op, x, y)
            && let Ok(v) = ops::binary_op(op, x, y, usize::MAX)
        {
            return self.folded(v);
        }
        Expr::BinOp(op, Box::new(a), Box::new(b), span)
    }

    /// `optimize_format` (3.11's `ast_opt.c`): a format of only `%s`, `%r` and `%a` (with
    /// `-`, a width and a precision of at most two digits) and exactly one unit per item is
    /// the f-string it means, so no argument tuple is built. Anything else gives the items
    /// back.
    fn optimize_format(
        &mut self,
        fmt: &str,
        elts: Vec<Expr>,
        span: Span,
    ) -> Result<Expr, Vec<Expr>> {
        let cs: Vec<char> = fmt.chars().collect();
        // (literal text, or (conversion, spec) of the next item)
        let mut plan: Vec<Result<String, (char, String)>> = Vec::new();
        let mut pos = 0;
        let mut count = 0;
        loop {
            let mut lit = String::new();
            while pos < cs.len() {
                if cs[pos] != '%' {
                    lit.push(cs[pos]);
                    pos += 1;
                } else if cs.get(pos + 1) == Some(&'%') {
                    lit.push('%');
                    pos += 2;
                } else {
                    break;
                }
            }
            if !lit.is_empty() {
                plan.push(Ok(lit));
            }
            if pos >= cs.len() {
                break;
            }
            if count >= elts.len() {
                return Err(elts);
            }
            pos += 1;
            let Some((conv, spec)) = simple_format_arg(&cs, &mut pos) else {
                return Err(elts);
            };
            plan.push(Err((conv, spec)));
            count += 1;
        }
        if count < elts.len() {
            return Err(elts);
        }
        let mut items = elts.into_iter();
        let mut parts = Vec::with_capacity(plan.len());
        for p in plan {
            parts.push(match p {
                Ok(lit) => self.parsed_lit(PyStr::new(&lit).into_obj()),
                Err((conv, spec)) => Expr::FormattedValue {
                    value: Box::new(items.next().expect("one item per unit")),
                    conversion: Some(conv),
                    spec: (!spec.is_empty())
                        .then(|| Box::new(self.parsed_lit(PyStr::new(&spec).into_obj()))),
                    span,
                },
            });
        }
        Ok(Expr::JoinedStr(parts))
    }

    /// `fold_unaryop`: an operator on a constant becomes the result; `not` of a single
    /// `in`/`is` comparison becomes the negated comparison.
    pub(super) fn fold_unary(&mut self, op: UnOp, a: Expr, span: Span) -> Expr {
        if let Expr::Lit(x) = &a
            && let Ok(v) = ops::unary_op(op, x)
        {
            return self.folded(v);
        }
        // `not (a in b)` → `a not in b`, `not (a is b)` → `a is not b`.
        if op == UnOp::Not
            && let Expr::Compare(_, rest, _) = &a
            && rest.len() == 1
            && matches!(
                rest[0].0,
                CmpOp::In | CmpOp::NotIn | CmpOp::Is | CmpOp::IsNot
            )
        {
            let Expr::Compare(l, mut rest, _) = a else {
                unreachable!()
            };
            rest[0].0 = match rest[0].0 {
                CmpOp::In => CmpOp::NotIn,
                CmpOp::NotIn => CmpOp::In,
                CmpOp::Is => CmpOp::IsNot,
                _ => CmpOp::Is,
            };
            return Expr::Compare(l, rest, span);
        }
        Expr::Unary(op, Box::new(a), span)
    }

    /// `fold_tuple` (`make_const_tuple`): a tuple display of constants becomes one constant.
    /// (One holding an f-string with no field is left to the bytecode optimizer: see
    /// `consts_expr`.)
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
    pub(super) fn fold_subscr(&mut self, v: Expr, i: Expr, span: Span) -> Expr {
        if let (Expr::Lit(a), Expr::Lit(b)) = (&v, &i)
            && let Ok(r) = ops::getitem_const(a, b)
        {
            return self.folded(r);
        }
        Expr::Subscript(Box::new(v), Box::new(i), span)
    }
}

/// `simple_format_arg_parse` and `parse_format`: after a `%`, flags, a width and a precision
/// of at most two digits each, and `s`, `r` or `a`; the conversion and the f-string spec
/// (`>5` for `%5s`, `5` for `%-5s`, `.2` for `%.2s`). `None` for anything else.
fn simple_format_arg(cs: &[char], pos: &mut usize) -> Option<(char, String)> {
    let mut p = *pos;
    let mut next = || {
        let c = cs.get(p).copied();
        p += 1;
        c
    };
    let mut ljust = false;
    let mut ch = loop {
        match next()? {
            '-' => ljust = true,
            '+' | ' ' | '#' | '0' => {}
            c => break c,
        }
    };
    let mut width: Option<u32> = None;
    if ch.is_ascii_digit() {
        let mut w = 0;
        let mut digits = 0;
        while let Some(d) = ch.to_digit(10) {
            w = w * 10 + d;
            ch = next()?;
            digits += 1;
            if digits >= 3 {
                return None;
            }
        }
        width = Some(w);
    }
    let mut prec: Option<u32> = None;
    if ch == '.' {
        ch = next()?;
        let mut v = 0;
        let mut digits = 0;
        while let Some(d) = ch.to_digit(10) {
            v = v * 10 + d;
            ch = next()?;
            digits += 1;
            if digits >= 3 {
                return None;
            }
        }
        prec = Some(v);
    }
    if !matches!(ch, 's' | 'r' | 'a') {
        return None;
    }
    *pos = p;
    let mut spec = String::new();
    if !ljust && width.is_some_and(|w| w > 0) {
        spec.push('>');
    }
    if let Some(w) = width {
        spec.push_str(&w.to_string());
    }
    if let Some(v) = prec {
        spec.push_str(&format!(".{v}"));
    }
    Some((ch, spec))
}
