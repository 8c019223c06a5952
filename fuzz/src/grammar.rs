//! A grammar of the runner's Python subset, derived with `arbitrary`: any byte string is some
//! program, and every program parses. `Program::to_source` renders it.

use std::fmt::Write;

use arbitrary::Arbitrary;

/// A module: its statements.
#[derive(Arbitrary, Debug)]
pub struct Program {
    body: Vec<Stmt>,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Var {
    A,
    B,
    C,
    D,
    I,
    J,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Func {
    F,
    G,
}

#[derive(Arbitrary, Debug)]
enum Stmt {
    Assign(Var, Expr),
    Unpack(Var, Var, Expr),
    /// `v, *w = x` (`true`) or `*v, w = x`.
    StarUnpack(Var, Var, bool, Expr),
    AugAssign(Var, BinOp, Expr),
    SetItem(Var, Expr, Expr),
    SetSlice(Var, Option<Expr>, Option<Expr>, Expr),
    DelItem(Var, Expr),
    DelSlice(Var, Option<Expr>, Option<Expr>, Option<Expr>),
    Del(Var),
    Expr(Expr),
    Print(Vec<Arg>),
    If(Expr, Vec<Stmt>, Vec<Stmt>),
    For(Var, Expr, Vec<Stmt>, Vec<Stmt>),
    While(Expr, Vec<Stmt>),
    /// A function; `true` declares `a`..`d` global at its top; `Some`: a generator
    /// function, yielding this first (its body may yield more).
    Def(Func, Params, bool, Vec<Stmt>, Option<Expr>),
    /// A generator drained: `list(f(...))`, a `for` loop over it, `next` with a default,
    /// `sum` of a generator expression over it, or kept and advanced twice.
    Drain(Func, Vec<Expr>, u8),
    Return(Option<Expr>),
    Assert(Expr),
    Break,
    Continue,
    Pass,
    Collect(Option<u8>),
    /// `try` with handlers (`except [classes] [as err]`), `else` and `finally`.
    Try(Vec<Stmt>, Vec<Handler>, Vec<Stmt>, Vec<Stmt>),
    /// `raise CLASS(args)`, `raise CLASS`, a bare `raise`; `true`: `from err` in a named
    /// handler (`from None` elsewhere).
    Raise(Option<(ExcClass, Option<Expr>)>, bool),
    /// In a named handler: what the exception object shows.
    ShowErr,
    /// In a function (outside a `try`): `yield x`, `v = yield x`, `yield from x`, `v = yield
    /// from x` (`true`): the function is a generator.
    Yield(Option<Var>, bool, Option<Expr>),
    /// `f.attr = x` / `v.attr = x` (`true`: a function), or `del` of it (`None`).
    SetAttr(bool, Func, Var, u8, Option<Expr>),
}

/// Attribute names for [`Stmt::SetAttr`] and [`Expr::GetAttr`]: new ones, a method, a
/// special one.
const ATTRS: &[&str] = &[
    "x", "count", "append", "__dict__", "__name__", "args", "calls",
];

/// A parameter list: positional parameters (with defaults), `*args`, keyword-only ones,
/// `**kwargs`.
#[derive(Arbitrary, Debug)]
struct Params {
    positional: Vec<(Var, Option<Expr>)>,
    star: Option<Var>,
    kwonly: Vec<(Var, Option<Expr>)>,
    dstar: Option<Var>,
}

/// `except [classes] [as err]: body`.
#[derive(Arbitrary, Debug)]
struct Handler {
    classes: Option<(ExcClass, Option<ExcClass>)>,
    named: bool,
    body: Vec<Stmt>,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum ExcClass {
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    LookupError,
    ArithmeticError,
    ZeroDivisionError,
    NameError,
    RuntimeError,
    Exception,
}

impl ExcClass {
    fn name(self) -> &'static str {
        match self {
            ExcClass::ValueError => "ValueError",
            ExcClass::TypeError => "TypeError",
            ExcClass::KeyError => "KeyError",
            ExcClass::IndexError => "IndexError",
            ExcClass::LookupError => "LookupError",
            ExcClass::ArithmeticError => "ArithmeticError",
            ExcClass::ZeroDivisionError => "ZeroDivisionError",
            ExcClass::NameError => "NameError",
            ExcClass::RuntimeError => "RuntimeError",
            ExcClass::Exception => "Exception",
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Expr {
    Int(i64),
    SmallInt(i8),
    /// `2 ** n`, `-(2 ** n)`, `10 ** n`: big ints without a huge literal.
    Pow(u8, u8),
    Float(f64),
    Str(Text),
    True,
    False,
    None,
    Var(Var),
    List(Vec<Expr>),
    Tuple(Vec<Expr>),
    Dict(Vec<(Expr, Expr)>),
    Bin(Box<Expr>, BinOp, Box<Expr>),
    Unary(UnOp, Box<Expr>),
    Compare(Box<Expr>, CmpOp, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    IfElse(Box<Expr>, Box<Expr>, Box<Expr>),
    Call(Builtin, Vec<Arg>),
    Method(Box<Expr>, Method, Vec<Arg>),
    /// A call of `f` or `g`: positional arguments, keywords, and a `*seq` / `**mapping`.
    CallFunc(
        Func,
        Vec<Expr>,
        Vec<(Var, Expr)>,
        Option<Box<Expr>>,
        Option<Box<Expr>>,
    ),
    Index(Box<Expr>, Box<Expr>),
    Slice(
        Box<Expr>,
        Option<Box<Expr>>,
        Option<Box<Expr>>,
        Option<Box<Expr>>,
    ),
    ListComp(Box<Expr>, Var, Box<Expr>, Option<Box<Expr>>),
    DictComp(Box<Expr>, Box<Expr>, Var, Box<Expr>),
    /// `consumer(x for v in it if c)`: a generator expression, lazily consumed (`sum`,
    /// `any`, `list`, `''.join`, `next`, ...) or kept as a value.
    GenExp(u8, Box<Expr>, Var, Box<Expr>, Option<Box<Expr>>),
    Repeat(Box<Expr>, u8),
    /// A float random bytes rarely give: NaN, the infinities, the zeros (NaN is unequal to
    /// itself only through the operator, not inside containers).
    SpecialFloat(u8),
    /// `id(a) == id(b)`: which operations return an operand itself (`+x`, `abs(x)`,
    /// `s.replace(...)`), and which temporaries' memory is reused — `is` without the
    /// compiler's SyntaxWarning for literals.
    SameId(Box<Expr>, Box<Expr>),
    /// A callable as a value, for `key=` (`len`, `abs`, a `def`).
    FuncRef(u8),
    /// `(lambda params: body)`, called at once with the arguments when there are some:
    /// closures over the enclosing function's variables, defaults evaluated once.
    Lambda(Vec<(Var, Option<Expr>)>, Box<Expr>, Option<Vec<Expr>>),
    /// `f"..{x!c:spec}.."`: fields with a conversion and a spec from a list.
    FStr(Vec<(Expr, u8, u8)>),
    /// `'{} {!r:>5}'.format(...)` / `'%s %5.2f' % (...)`.
    Formatted(bool, Vec<Expr>, u8),
    /// `v.send(x)` (`Some`) or `v.close()`: a generator's methods (an AttributeError on
    /// anything else).
    GenMethod(Var, Option<Box<Expr>>),
    /// `v.throw(CLASS)`, `v.throw(CLASS(x))` or `v.throw(CLASS, x)`: an exception raised
    /// where a generator is suspended (its handlers may catch it).
    GenThrow(Var, ExcClass, u8, Option<Box<Expr>>),
    /// `f.attr` / `v.attr` (`true`: a function).
    GetAttr(bool, Func, Var, u8),
    /// `(callee)(args)`: a call of any value — a lambda or function taken out of a list or
    /// dict, or something not callable.
    CallValue(Box<Expr>, Vec<Expr>),
}

/// A str literal: a few characters from every width CPython stores (ASCII, Latin-1, BMP,
/// astral), identifier-like or not (interning differs).
#[derive(Arbitrary, Debug)]
struct Text(Vec<Ch>);

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Ch {
    A,
    Z,
    Digit,
    Space,
    Underscore,
    Comma,
    Quote,
    Backslash,
    Newline,
    Latin1,
    Bmp,
    Astral,
}

#[derive(Arbitrary, Debug)]
enum Arg {
    Pos(Expr),
    Kw(Kw, Expr),
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Kw {
    Key,
    Reverse,
    Sep,
    End,
    Start,
    Default,
    Base,
    Ndigits,
    Maxsplit,
    Keepends,
    Tabsize,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Mod,
    Pow,
    LShift,
    RShift,
    And,
    Or,
    Xor,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum UnOp {
    Neg,
    Pos,
    Invert,
    Not,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum CmpOp {
    Lt,
    Le,
    Eq,
    Ne,
    Gt,
    Ge,
    In,
    NotIn,
    Is,
    IsNot,
}

macro_rules! names {
    ($ty:ident { $($v:ident => $s:expr),* $(,)? }) => {
        #[derive(Arbitrary, Debug, Clone, Copy)]
        enum $ty { $($v),* }
        impl $ty {
            fn name(self) -> &'static str {
                match self { $($ty::$v => $s),* }
            }
        }
    };
}

names!(Builtin {
    Len => "len", Chr => "chr", Ord => "ord", Hash => "hash", Id => "id", Repr => "repr",
    Sorted => "sorted", Min => "min", Max => "max", Sum => "sum", Isinstance => "isinstance",
    Abs => "abs", Enumerate => "enumerate", Zip => "zip", Reversed => "reversed", Map => "map",
    Filter => "filter",
    Iter => "iter", Next => "next", Divmod => "divmod", Round => "round", Any => "any",
    All => "all", Int => "int", Bool => "bool", Float => "float", Str => "str",
    List => "list", Tuple => "tuple", Dict => "dict", Range => "range", Type => "type",
    Object => "object", Print => "print",
    Getsizeof => "sys.getsizeof", Getrefcount => "sys.getrefcount", Intern => "sys.intern",
    GcCollect => "gc.collect", GcGetCount => "gc.get_count",
    GcGetThreshold => "gc.get_threshold", GcSetThreshold => "gc.set_threshold",
    GcEnable => "gc.enable", GcDisable => "gc.disable", GcIsenabled => "gc.isenabled",
    GcIsTracked => "gc.is_tracked", GcGetStats => "gc.get_stats", Format => "format",
    GcGetReferents => "gc.get_referents",
    Hex => "hex", Oct => "oct", Bin => "bin", Pow => "pow",
});

names!(Method {
    Append => "append", Clear => "clear", Copy => "copy", Count => "count",
    Endswith => "endswith", Extend => "extend", Find => "find", Get => "get",
    Index => "index", Insert => "insert", Isalnum => "isalnum", Isalpha => "isalpha",
    Isdigit => "isdigit", Islower => "islower", Isspace => "isspace", Isupper => "isupper",
    Items => "items", Join => "join", Keys => "keys", Lower => "lower", Lstrip => "lstrip",
    Pop => "pop", Popitem => "popitem", Remove => "remove", Replace => "replace",
    Reverse => "reverse", Rfind => "rfind", Rstrip => "rstrip", Setdefault => "setdefault",
    Sort => "sort", Split => "split", Startswith => "startswith", Strip => "strip",
    Update => "update", Upper => "upper", Values => "values", Fromkeys => "fromkeys",
    Rindex => "rindex", Rsplit => "rsplit", Splitlines => "splitlines",
    Partition => "partition", Rpartition => "rpartition", Removeprefix => "removeprefix",
    Removesuffix => "removesuffix", Center => "center", Ljust => "ljust", Rjust => "rjust",
    Zfill => "zfill", Expandtabs => "expandtabs", Swapcase => "swapcase", Title => "title",
    Capitalize => "capitalize", Casefold => "casefold", StrFormat => "format",
});

impl Var {
    fn name(self) -> &'static str {
        match self {
            Var::A => "a",
            Var::B => "b",
            Var::C => "c",
            Var::D => "d",
            Var::I => "i",
            Var::J => "j",
        }
    }
}

impl Func {
    fn name(self) -> &'static str {
        match self {
            Func::F => "f",
            Func::G => "g",
        }
    }
}

impl Kw {
    fn name(self) -> &'static str {
        match self {
            Kw::Key => "key",
            Kw::Reverse => "reverse",
            Kw::Sep => "sep",
            Kw::End => "end",
            Kw::Start => "start",
            Kw::Default => "default",
            Kw::Base => "base",
            Kw::Ndigits => "ndigits",
            Kw::Maxsplit => "maxsplit",
            Kw::Keepends => "keepends",
            Kw::Tabsize => "tabsize",
        }
    }
}

impl BinOp {
    fn sym(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::FloorDiv => "//",
            BinOp::Mod => "%",
            BinOp::Pow => "**",
            BinOp::LShift => "<<",
            BinOp::RShift => ">>",
            BinOp::And => "&",
            BinOp::Or => "|",
            BinOp::Xor => "^",
        }
    }
}

impl UnOp {
    fn sym(self) -> &'static str {
        match self {
            UnOp::Neg => "-",
            UnOp::Pos => "+",
            UnOp::Invert => "~",
            UnOp::Not => "not ",
        }
    }
}

impl CmpOp {
    fn sym(self) -> &'static str {
        match self {
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::In => "in",
            CmpOp::NotIn => "not in",
            CmpOp::Is => "is",
            CmpOp::IsNot => "is not",
        }
    }
}

impl Ch {
    fn text(self) -> &'static str {
        match self {
            Ch::A => "a",
            Ch::Z => "Z",
            Ch::Digit => "7",
            Ch::Space => " ",
            Ch::Underscore => "_",
            Ch::Comma => ",",
            Ch::Quote => "\\'",
            Ch::Backslash => "\\\\",
            Ch::Newline => "\\n",
            Ch::Latin1 => "é",
            Ch::Bmp => "€",
            Ch::Astral => "𝄞",
        }
    }
}

/// Nesting deeper than this is cut short (rendered as `0`): deep enough for every construct
/// inside every other, shallow enough that the renderer never needs much stack.
const MAX_DEPTH: usize = 24;

impl Program {
    /// A program of one statement per chunk of bytes (random bytes make one deep statement
    /// of a whole buffer, so a generator outside libFuzzer builds programs this way).
    pub fn from_chunks(chunks: &[&[u8]]) -> Program {
        Program {
            body: chunks
                .iter()
                .filter_map(|c| Stmt::arbitrary(&mut arbitrary::Unstructured::new(c)).ok())
                .collect(),
        }
    }

    /// The program as Python source.
    pub fn to_source(&self) -> String {
        self.render(false, false)
    }

    /// The program as Python source whose output python3 and pylayout must print alike:
    /// no `id(x)` value printed (it is an address; `id(x) > 0` keeps the call) and no
    /// `object()` (its hash and repr are addresses).
    pub fn to_comparable_source(&self) -> String {
        self.render(true, false)
    }

    /// As [`to_comparable_source`](Self::to_comparable_source), for python3 running many
    /// programs in one process: nothing that reads the process's history (the collector's
    /// counts, stats and results, `sys.getrefcount`), since earlier programs change it.
    pub fn to_batch_source(&self) -> String {
        self.render(true, true)
    }

    fn render(&self, comparable: bool, batch: bool) -> String {
        // Every variable starts bound, to a different kind of object, so that fewer programs
        // end at their first line with a NameError.
        let mut s = String::from(
            "import sys\nimport gc\na = [1, 'x', 2.5]\nb = {'k': [], 2: (3,)}\nc = 'h\u{e9}llo'\n\
             d = (1, None, -7)\ni = 3\nj = 2 ** 70\n",
        );
        let cx = Ctx {
            comparable,
            batch,
            ..Ctx::default()
        };
        block(&mut s, &self.body, 0, cx);
        s
    }
}

/// Where a statement is: `return` only renders inside a function, `break` and `continue`
/// only inside a loop (elsewhere they are SyntaxErrors, which would refuse the whole program).
#[derive(Clone, Copy, Default)]
struct Ctx {
    depth: usize,
    in_func: bool,
    in_loop: bool,
    comparable: bool,
    /// No collector and no reference counts (see [`Program::to_batch_source`]).
    batch: bool,
    /// Inside an f-string's field: no f-string nests there (3.11 forbids reusing quotes).
    in_fstring: bool,
    /// Inside `except ... as err`: `err` names the exception.
    in_named_handler: bool,
    /// Inside a `try` statement of the function with a `finally` or a bare `except:` (a
    /// `yield` there is refused).
    in_try: bool,
}

fn block(s: &mut String, body: &[Stmt], indent: usize, cx: Ctx) {
    if body.is_empty() {
        line(s, indent, "pass");
    }
    for st in body {
        stmt(s, st, indent, cx);
    }
}

fn line(s: &mut String, indent: usize, text: &str) {
    for _ in 0..indent {
        s.push_str("    ");
    }
    s.push_str(text);
    s.push('\n');
}

fn stmt(s: &mut String, st: &Stmt, indent: usize, cx: Ctx) {
    if cx.depth > MAX_DEPTH {
        return line(s, indent, "pass");
    }
    let d = cx.depth + 1;
    let inner = Ctx { depth: d, ..cx };
    let in_loop = Ctx {
        in_loop: true,
        ..inner
    };
    let e = |x: &Expr| expr(x, inner);
    let oe = |x: &Option<Expr>| x.as_ref().map(|x| expr(x, inner)).unwrap_or_default();
    match st {
        Stmt::Assign(v, x) => line(s, indent, &format!("{} = {}", v.name(), e(x))),
        Stmt::Unpack(v, w, x) => line(s, indent, &format!("{}, {} = {}", v.name(), w.name(), e(x))),
        Stmt::StarUnpack(v, w, first, x) => {
            let (v, w) = (v.name(), w.name());
            let t = if *first {
                format!("{v}, *{w}")
            } else {
                format!("*{v}, {w}")
            };
            line(s, indent, &format!("{t} = {}", e(x)))
        }
        Stmt::AugAssign(v, op, x) => {
            line(s, indent, &format!("{} {}= {}", v.name(), op.sym(), e(x)))
        }
        Stmt::SetItem(v, k, x) => line(s, indent, &format!("{}[{}] = {}", v.name(), e(k), e(x))),
        Stmt::SetSlice(v, lo, hi, x) => line(
            s,
            indent,
            &format!("{}[{}:{}] = {}", v.name(), oe(lo), oe(hi), e(x)),
        ),
        Stmt::DelItem(v, k) => line(s, indent, &format!("del {}[{}]", v.name(), e(k))),
        Stmt::DelSlice(v, lo, hi, st) => line(
            s,
            indent,
            &format!("del {}[{}:{}:{}]", v.name(), oe(lo), oe(hi), oe(st)),
        ),
        Stmt::Del(v) => line(s, indent, &format!("del {}", v.name())),
        Stmt::Expr(x) => line(s, indent, &e(x)),
        Stmt::Print(args) => line(s, indent, &format!("print({})", arglist(args, inner))),
        Stmt::If(c, then, other) => {
            line(s, indent, &format!("if {}:", e(c)));
            block(s, then, indent + 1, inner);
            if !other.is_empty() {
                line(s, indent, "else:");
                block(s, other, indent + 1, inner);
            }
        }
        Stmt::For(v, it, body, other) => {
            line(s, indent, &format!("for {} in {}:", v.name(), e(it)));
            block(s, body, indent + 1, in_loop);
            if !other.is_empty() {
                line(s, indent, "else:");
                block(s, other, indent + 1, inner);
            }
        }
        Stmt::While(c, body) => {
            line(s, indent, &format!("while {}:", e(c)));
            block(s, body, indent + 1, in_loop);
        }
        Stmt::Def(f, params, globals, body, first) => {
            // Each name once, none of the globals; a default makes every later positional
            // parameter take one.
            let mut used: Vec<&str> = Vec::new();
            let mut fresh = |v: &Var| {
                let n = v.name();
                let taken = used.contains(&n) || (*globals && "abcd".contains(n));
                let ok = !taken;
                used.push(n);
                ok.then_some(n)
            };
            let mut ps: Vec<String> = Vec::new();
            let mut defaulted = false;
            for (v, d) in params.positional.iter().take(4) {
                let Some(n) = fresh(v) else { continue };
                match d {
                    Some(d) => {
                        defaulted = true;
                        ps.push(format!("{n}={}", e(d)));
                    }
                    None if defaulted => ps.push(format!("{n}=None")),
                    None => ps.push(n.to_string()),
                }
            }
            let star = params.star.as_ref().and_then(&mut fresh);
            let kwonly: Vec<String> = params
                .kwonly
                .iter()
                .take(2)
                .filter_map(|(v, d)| {
                    let n = fresh(v)?;
                    Some(match d {
                        Some(d) => format!("{n}={}", e(d)),
                        None => n.to_string(),
                    })
                })
                .collect();
            match star {
                Some(n) => ps.push(format!("*{n}")),
                None if !kwonly.is_empty() => ps.push("*".into()),
                None => {}
            }
            ps.extend(kwonly);
            if let Some(n) = params.dstar.as_ref().and_then(&mut fresh) {
                ps.push(format!("**{n}"));
            }
            line(s, indent, &format!("def {}({}):", f.name(), ps.join(", ")));
            if *globals {
                line(s, indent + 1, "global a, b, c, d");
            }
            let body_cx = Ctx {
                in_func: true,
                in_loop: false,
                in_try: false,
                ..inner
            };
            if let Some(x) = first {
                line(s, indent + 1, &format!("yield {}", expr(x, body_cx)));
            }
            block(s, body, indent + 1, body_cx);
        }
        Stmt::Drain(f, args, how) => {
            let call = format!(
                "{}({})",
                f.name(),
                items(&args[..args.len().min(3)], inner).join(", ")
            );
            match how % 5 {
                0 => line(s, indent, &format!("print(list({call}))")),
                1 => {
                    line(s, indent, &format!("for i in {call}:"));
                    line(s, indent + 1, "print(i)");
                }
                2 => line(s, indent, &format!("print(next({call}, 'end'))")),
                3 => line(s, indent, &format!("print(sum(1 for _ in {call}))")),
                _ => {
                    line(s, indent, &format!("j = {call}"));
                    line(s, indent, "print(next(j, None), next(j, None), list(j))");
                }
            }
        }
        Stmt::Return(x) if cx.in_func => line(s, indent, &format!("return {}", oe(x))),
        Stmt::Return(_) => line(s, indent, "pass"),
        Stmt::Assert(x) => line(s, indent, &format!("assert {}", e(x))),
        Stmt::Break if cx.in_loop => line(s, indent, "break"),
        Stmt::Continue if cx.in_loop => line(s, indent, "continue"),
        Stmt::Break | Stmt::Continue => line(s, indent, "pass"),
        Stmt::Pass => line(s, indent, "pass"),
        Stmt::Collect(_) if cx.batch => line(s, indent, "pass"),
        // What a collection finds is printed: functions in reference cycles (a nested
        // function calling itself) are found as CPython finds them.
        Stmt::Collect(g) => match g {
            Some(g) => line(s, indent, &format!("print('gc', gc.collect({}))", g % 3)),
            None => line(s, indent, "print('gc', gc.collect())"),
        },
        Stmt::Try(body, handlers, orelse, finalbody) => {
            let shown = &handlers[..handlers.len().min(3)];
            let bare = shown
                .last()
                .is_some_and(|h| h.classes.is_none() && !h.named);
            let inner = Ctx {
                in_try: inner.in_try || shown.is_empty() || !finalbody.is_empty() || bare,
                ..inner
            };
            line(s, indent, "try:");
            block(s, body, indent + 1, inner);
            let handlers = &handlers[..handlers.len().min(3)];
            for (k, h) in handlers.iter().enumerate() {
                let classes = match h.classes {
                    // A bare `except:` must be the last.
                    None if h.named || k + 1 < handlers.len() => " Exception".to_string(),
                    None => String::new(),
                    Some((a, None)) => format!(" {}", a.name()),
                    Some((a, Some(b))) => format!(" ({}, {})", a.name(), b.name()),
                };
                let alias = if h.named { " as err" } else { "" };
                line(s, indent, &format!("except{classes}{alias}:"));
                let hcx = Ctx {
                    in_named_handler: h.named || inner.in_named_handler,
                    ..inner
                };
                block(s, &h.body, indent + 1, hcx);
            }
            // `else` needs an `except`; a `try` needs one of `except` and `finally`.
            if !handlers.is_empty() && !orelse.is_empty() {
                line(s, indent, "else:");
                block(s, orelse, indent + 1, inner);
            }
            if handlers.is_empty() || !finalbody.is_empty() {
                line(s, indent, "finally:");
                block(s, finalbody, indent + 1, inner);
            }
        }
        Stmt::Raise(None, _) => line(s, indent, "raise"),
        Stmt::Raise(Some((c, arg)), from) => {
            let value = match arg {
                Some(x) => format!("{}({})", c.name(), e(x)),
                None => c.name().to_string(),
            };
            let from = match (*from, cx.in_named_handler) {
                (false, _) => "",
                (true, true) => " from err",
                (true, false) => " from None",
            };
            line(s, indent, &format!("raise {value}{from}"))
        }
        Stmt::ShowErr if cx.in_named_handler => line(
            s,
            indent,
            "print(repr(err), err.args, type(err).__name__, str(err), err.__context__)",
        ),
        Stmt::ShowErr => line(s, indent, "pass"),
        Stmt::Yield(target, from, x) if cx.in_func && !cx.in_try => {
            let to = target
                .map(|v| format!("{} = ", v.name()))
                .unwrap_or_default();
            let what = match (from, x) {
                (true, Some(x)) => format!("yield from {}", e(x)),
                (true, None) => "yield from a".to_string(),
                (false, x) => format!("yield {}", oe(x)).trim_end().to_string(),
            };
            line(s, indent, &format!("{to}{what}"))
        }
        Stmt::Yield(..) => line(s, indent, "pass"),
        Stmt::SetAttr(func, f, v, k, x) => {
            let owner = if *func { f.name() } else { v.name() };
            let attr = ATTRS[usize::from(*k) % ATTRS.len()];
            match x {
                Some(x) => line(s, indent, &format!("{owner}.{attr} = {}", e(x))),
                None => line(s, indent, &format!("del {owner}.{attr}")),
            }
        }
    }
}

fn arglist(args: &[Arg], cx: Ctx) -> String {
    // Positional arguments first: a keyword before a positional one is a SyntaxError.
    let mut pos = Vec::new();
    let mut kws = Vec::new();
    for a in args.iter().take(6) {
        match a {
            Arg::Pos(x) => pos.push(expr(x, cx)),
            Arg::Kw(k, x) => {
                let kw = format!("{}={}", k.name(), expr(x, cx));
                if !kws
                    .iter()
                    .any(|s: &String| s.starts_with(&format!("{}=", k.name())))
                {
                    kws.push(kw);
                }
            }
        }
    }
    pos.extend(kws);
    pos.join(", ")
}

fn items(xs: &[Expr], cx: Ctx) -> Vec<String> {
    xs.iter().take(40).map(|x| expr(x, cx)).collect()
}

/// Format specs the f-string and str.format generators draw from.
const FORMAT_SPECS: &[&str] = &[
    "", ":", ":>6", ":<4", ":^7", ":*^9", ":+", ":,", ":_", ":08", ":#x", ":b", ":e", ":.2f",
    ":.3g", ":%", ":.1%", ":s", ":.2s", ":d", ":=10", ":z.1f", ":c", ":n", ":10.3", ":#o",
];

fn expr(x: &Expr, cx: Ctx) -> String {
    if cx.depth > MAX_DEPTH {
        return "0".into();
    }
    let d = Ctx {
        depth: cx.depth + 1,
        ..cx
    };
    let e = |x: &Expr| expr(x, d);
    let ob = |x: &Option<Box<Expr>>| x.as_ref().map(|x| expr(x, d)).unwrap_or_default();
    match x {
        Expr::Int(i) => format!("({i})"),
        Expr::SmallInt(i) => format!("({i})"),
        Expr::Pow(base, n) => match base % 3 {
            0 => format!("(2 ** {})", n % 130),
            1 => format!("(-(2 ** {}))", n),
            _ => format!("(10 ** {})", n % 40),
        },
        Expr::Float(f) => {
            if f.is_nan() {
                "float('nan')".into()
            } else if f.is_infinite() {
                format!("float('{}inf')", if *f < 0.0 { "-" } else { "" })
            } else {
                format!("({f:?})")
            }
        }
        Expr::Str(t) => {
            let mut s = String::from("'");
            for c in t.0.iter().take(12) {
                s.push_str(c.text());
            }
            s.push('\'');
            s
        }
        Expr::True => "True".into(),
        Expr::False => "False".into(),
        Expr::None => "None".into(),
        Expr::Var(v) => v.name().into(),
        Expr::List(xs) => format!("[{}]", items(xs, d).join(", ")),
        Expr::Tuple(xs) => match xs.len() {
            0 => "()".into(),
            1 => format!("({},)", e(&xs[0])),
            _ => format!("({})", items(xs, d).join(", ")),
        },
        Expr::Dict(kv) => {
            let mut s = String::from("{");
            for (i, (k, v)) in kv.iter().take(20).enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                let _ = write!(s, "{}: {}", e(k), e(v));
            }
            s.push('}');
            s
        }
        Expr::Bin(a, op, b) => format!("({} {} {})", e(a), op.sym(), e(b)),
        Expr::Unary(op, a) => format!("({}{})", op.sym(), e(a)),
        Expr::Compare(a, op, b) => format!("({} {} {})", e(a), op.sym(), e(b)),
        Expr::And(a, b) => format!("({} and {})", e(a), e(b)),
        Expr::Or(a, b) => format!("({} or {})", e(a), e(b)),
        Expr::IfElse(a, c, b) => format!("({} if {} else {})", e(a), e(c), e(b)),
        Expr::Call(f, args)
            if cx.batch && (f.name().starts_with("gc.") || f.name() == "sys.getrefcount") =>
        {
            format!("len({})", arglist(args, d))
        }
        Expr::Call(Builtin::Id, args) if cx.comparable => format!("(id({}) > 0)", arglist(args, d)),
        // None's hash is its address in 3.11: differs between any two processes.
        Expr::Call(Builtin::Hash, args)
            if cx.comparable
                && matches!(args.first(), Some(Arg::Pos(Expr::None | Expr::FuncRef(_)))) =>
        {
            "hash(0)".into()
        }
        Expr::Call(Builtin::Object, args) if cx.comparable => {
            format!("tuple({})", arglist(args, d))
        }
        Expr::Call(f, args) => format!("{}({})", f.name(), arglist(args, d)),
        Expr::Method(o, m, args) => format!("({}).{}({})", e(o), m.name(), arglist(args, d)),
        Expr::CallFunc(f, args, kwargs, star, dstar) => {
            let mut parts = items(args, d);
            if let Some(x) = star {
                parts.push(format!("*{}", expr(x, d)));
            }
            let mut seen: Vec<&str> = Vec::new();
            for (k, v) in kwargs.iter().take(3) {
                if !seen.contains(&k.name()) {
                    seen.push(k.name());
                    parts.push(format!("{}={}", k.name(), expr(v, d)));
                }
            }
            if let Some(x) = dstar {
                parts.push(format!("**{}", expr(x, d)));
            }
            format!("{}({})", f.name(), parts.join(", "))
        }
        Expr::Index(o, i) => format!("({})[{}]", e(o), e(i)),
        Expr::Slice(o, a, b, c) => format!("({})[{}:{}:{}]", e(o), ob(a), ob(b), ob(c)),
        Expr::ListComp(x, v, it, cond) => match cond {
            Some(c) => format!("[{} for {} in {} if {}]", e(x), v.name(), e(it), e(c)),
            None => format!("[{} for {} in {}]", e(x), v.name(), e(it)),
        },
        Expr::DictComp(k, x, v, it) => {
            format!("{{{}: {} for {} in {}}}", e(k), e(x), v.name(), e(it))
        }
        Expr::GenExp(k, x, v, it, cond) => {
            let cond = cond
                .as_ref()
                .map(|c| format!(" if {}", e(c)))
                .unwrap_or_default();
            let g = format!("{} for {} in {}{cond}", e(x), v.name(), e(it));
            match k % 9 {
                0 => format!("({g})"),
                1 => format!("sum({g})"),
                2 => format!("any({g})"),
                3 => format!("all({g})"),
                4 => format!("list({g})"),
                5 => format!("''.join({g})"),
                6 => format!("next(({g}), None)"),
                7 => format!("max(({g}), default=0)"),
                _ => format!("tuple({g})"),
            }
        }
        Expr::Repeat(x, n) => format!("({} * {})", e(x), n % 50),
        Expr::SpecialFloat(k) => [
            "float('nan')",
            "float('inf')",
            "float('-inf')",
            "(-0.0)",
            "(0.0)",
        ][usize::from(*k) % 5]
            .into(),
        Expr::SameId(a, b) => format!("(id({}) == id({}))", e(a), e(b)),
        Expr::CallValue(callee, args) => {
            let args: Vec<String> = args.iter().take(3).map(e).collect();
            format!("({})({})", e(callee), args.join(", "))
        }
        Expr::FStr(fields) if !cx.in_fstring => {
            let inner = Ctx {
                in_fstring: true,
                ..d
            };
            let mut out = String::from("f\"<");
            for (x, conv, spec) in fields.iter().take(4) {
                let conv = ["", "!r", "!s", "!a"][usize::from(*conv) % 4];
                let spec = FORMAT_SPECS[usize::from(*spec) % FORMAT_SPECS.len()];
                // Blanks keep a dict display from reading as an escaped `{{`.
                out.push_str(&format!("{{ {} {conv}{spec}}}|", expr(x, inner)));
            }
            out.push_str(">\"");
            out
        }
        Expr::FStr(_) => "'f'".into(),
        Expr::Formatted(percent, args, k) => {
            let args: Vec<String> = args.iter().take(3).map(e).collect();
            let k = usize::from(*k);
            if *percent {
                let convs = [
                    "%s", "%r", "%d", "%5.2f", "%x", "%-6s|", "%05d", "%.3e", "%c", "%%",
                ];
                let fmt: Vec<&str> = (0..args.len().max(1))
                    .map(|i| convs[(k + i) % convs.len()])
                    .collect();
                format!("('{}' % ({},))", fmt.join(" "), args.join(", "))
            } else {
                let fields: Vec<String> = (0..args.len())
                    .map(|i| format!("{{{}}}", FORMAT_SPECS[(k + i) % FORMAT_SPECS.len()]))
                    .collect();
                format!("('{}'.format({}))", fields.join(" "), args.join(", "))
            }
        }
        Expr::Lambda(params, body, call) => {
            let mut seen: Vec<&str> = Vec::new();
            let mut ps = Vec::new();
            let mut defaulted = false;
            for (v, dflt) in params.iter().take(3) {
                if seen.contains(&v.name()) {
                    continue;
                }
                seen.push(v.name());
                match dflt {
                    Some(x) => {
                        defaulted = true;
                        ps.push(format!("{}={}", v.name(), expr(x, d)));
                    }
                    None if defaulted => ps.push(format!("{}=None", v.name())),
                    None => ps.push(v.name().to_string()),
                }
            }
            let sep = if ps.is_empty() { "" } else { " " };
            let lam = format!("(lambda{sep}{}: {})", ps.join(", "), expr(body, d));
            match call {
                Some(args) => format!("{lam}({})", items(args, d).join(", ")),
                None => lam,
            }
        }
        Expr::FuncRef(k) => {
            ["len", "abs", "str", "repr", "hash", "f", "g", "None"][usize::from(*k) % 8].into()
        }
        Expr::GenMethod(v, Some(x)) => format!("{}.send({})", v.name(), e(x)),
        Expr::GenMethod(v, None) => format!("{}.close()", v.name()),
        Expr::GenThrow(v, class, form, arg) => {
            let (v, class) = (v.name(), class.name());
            match (form % 3, arg) {
                (0, _) | (_, None) => format!("{v}.throw({class})"),
                (1, Some(x)) => format!("{v}.throw({class}({}))", e(x)),
                (_, Some(x)) => format!("{v}.throw({class}, {})", e(x)),
            }
        }
        Expr::GetAttr(func, f, v, k) => {
            let owner = if *func { f.name() } else { v.name() };
            format!("{owner}.{}", ATTRS[usize::from(*k) % ATTRS.len()])
        }
    }
}
