//! The runner's own small syntax tree: what [`super::lower`] makes of tree-sitter's concrete
//! tree, after scope analysis (every name resolved to a global, a local slot or an enclosing
//! comprehension's slot) and CPython's AST optimizer (constant folding, `ast_opt.c`).
//!
//! Constants are `Expr::Const(i)`: index `i` into the code object's `consts`, as `LOAD_CONST`
//! indexes `co_consts`.

use std::rc::Rc;

use crate::object::Obj;

/// A position in the source: 1-based line and column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pos {
    /// Line, from 1.
    pub line: u32,
    /// Column (in characters), from 1.
    pub col: u32,
}

/// Where an instruction's expression is in the source (`co_positions`), for the caret line
/// a traceback draws under it: lines from 1, UTF-8 byte columns from 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Span {
    pub line: u32,
    pub col: u32,
    pub end_line: u32,
    pub end_col: u32,
}

/// Where a name lives.
#[derive(Clone, Debug)]
pub enum Name {
    /// A module global (or a builtin when no global has that name).
    Global(Rc<str>),
    /// A slot of the current frame: a fast local, or a cell (a local a nested scope reads,
    /// [`Code::cellvars`]) or a free variable (an enclosing scope's cell,
    /// [`Code::freevars`]), which loads and stores go through (`LOAD_DEREF`).
    Local(usize, Rc<str>),
}

impl Name {
    /// The identifier.
    pub fn ident(&self) -> &str {
        match self {
            Name::Global(n) | Name::Local(_, n) => n,
        }
    }
}

/// Binary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Mod,
    Pow,
    LShift,
    RShift,
    BitAnd,
    BitOr,
    BitXor,
}

impl BinOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
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
            BinOp::BitAnd => "&",
            BinOp::BitOr => "|",
            BinOp::BitXor => "^",
        }
    }
}

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Pos,
    Invert,
    Not,
}

/// Comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    NotIn,
    Is,
    IsNot,
}

impl CmpOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::In => "in",
            CmpOp::NotIn => "not in",
            CmpOp::Is => "is",
            CmpOp::IsNot => "is not",
        }
    }
}

/// An expression.
#[derive(Debug)]
pub enum Expr {
    /// `yield value` (`None`: a bare `yield`) and `yield from iterable` (`from`): a
    /// generator function's statement, or the value of an assignment statement; nowhere
    /// else in the subset.
    Yield(Option<Box<Expr>>, bool, Span),
    /// A literal or folded constant, before the compile pass gives it a `co_consts` slot.
    Lit(Obj),
    /// `LOAD_CONST consts[i]`.
    Const(usize),
    /// A name.
    Name(Name, Span),
    /// `[a, b, c]` of up to 30 items: `BUILD_LIST n` (exact capacity). More items: `BUILD_LIST
    /// 0` and a `LIST_APPEND` each (`big`).
    List {
        items: Vec<Expr>,
        big: bool,
    },
    /// `[1, 2, 3]` (three or more constants): `BUILD_LIST 0`, `LIST_EXTEND` of a constant
    /// tuple (the `Lit`/`Const` inside).
    ConstList(Box<Expr>),
    /// `(a, b)`.
    Tuple(Vec<Expr>),
    /// `{k: v, ...}`: chunks as 3.11's `compiler_dict` builds them.
    Dict(Vec<DictChunk>, Span),
    BinOp(BinOp, Box<Expr>, Box<Expr>, Span),
    Unary(UnOp, Box<Expr>, Span),
    /// `a and b and c` (`true`) / `a or b` (`false`).
    BoolOp(bool, Vec<Expr>),
    Compare(Box<Expr>, Vec<(CmpOp, Expr)>, Span),
    IfExp(Box<Expr>, Box<Expr>, Box<Expr>),
    /// A call. With a `*seq` among the arguments ([`Expr::Starred`]) or a `**mapping`
    /// among the keywords (named [`DOUBLE_STAR`]) it is `CALL_FUNCTION_EX`: the arguments
    /// become a tuple and the keywords a dict first.
    Call {
        func: Box<Expr>,
        args: Vec<Expr>,
        kwargs: Vec<(Rc<str>, Expr)>,
        /// [`Expr::is_call_ex`], decided once by the compiler.
        ex: bool,
        span: Span,
    },
    /// `*seq` as a call's argument.
    Starred(Box<Expr>),
    /// `lambda params: body`: a function made where the expression runs.
    Lambda(Rc<FuncDef>, Box<Defaults>),
    MethodCall {
        recv: Box<Expr>,
        name: Rc<str>,
        args: Vec<Expr>,
        kwargs: Vec<(Rc<str>, Expr)>,
        span: Span,
        /// The `recv.name` part (`LOAD_METHOD`'s position).
        attr_span: Span,
    },
    Attr(Box<Expr>, Rc<str>, Span),
    Subscript(Box<Expr>, Box<Expr>, Span),
    Slice(Option<Box<Expr>>, Option<Box<Expr>>, Option<Box<Expr>>),
    /// `[elt for ...]` / `{key: value for ...}`: a nested code object run as its own frame;
    /// `(elt for ...)`: a generator object running it lazily (it keeps the `Comp`).
    Comp(Rc<Comp>),
    /// An f-string (`JoinedStr`): str constants and `FormattedValue`s, joined by
    /// `BUILD_STRING n` (a single part is the result itself).
    JoinedStr(Vec<Expr>),
    /// `{value!conversion:spec}` (`FORMAT_VALUE`): the spec is a str constant or a
    /// `JoinedStr` of its own.
    FormattedValue {
        value: Box<Expr>,
        conversion: Option<char>,
        spec: Option<Box<Expr>>,
        /// The f-string's extent.
        span: Span,
    },
}

/// The keyword "name" of a `**mapping` argument (no identifier is spelled so).
pub const DOUBLE_STAR: &str = "**";

impl Expr {
    /// Where the instruction that evaluates it is, for the expressions whose own
    /// instruction can raise.
    pub fn span(&self) -> Option<Span> {
        match self {
            Expr::Name(_, s)
            | Expr::BinOp(.., s)
            | Expr::Unary(_, _, s)
            | Expr::Compare(_, _, s)
            | Expr::Attr(_, _, s)
            | Expr::Subscript(_, _, s)
            | Expr::Call { span: s, .. }
            | Expr::MethodCall { span: s, .. }
            | Expr::FormattedValue { span: s, .. }
            | Expr::Dict(_, s) => Some(*s),
            Expr::Comp(c) => Some(c.span),
            _ => None,
        }
    }

    /// The constant a test loads (`LOAD_CONST`, which the optimizer decides jumps on): a
    /// constant, or an f-string that is one constant.
    pub fn loaded_const(&self) -> Option<usize> {
        match self {
            Expr::Const(i) => Some(*i),
            Expr::JoinedStr(parts) => match parts.as_slice() {
                [Expr::Const(i)] => Some(*i),
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether it is a `yield` or `yield from`.
    pub fn is_yield(&self) -> bool {
        matches!(self, Expr::Yield(..))
    }

    /// Whether a call's arguments need `CALL_FUNCTION_EX` (a `*seq` or a `**mapping`).
    pub fn is_call_ex(args: &[Expr], kwargs: &[(Rc<str>, Expr)]) -> bool {
        args.iter().any(|a| matches!(a, Expr::Starred(_)))
            || kwargs.iter().any(|(k, _)| &**k == DOUBLE_STAR)
    }
}

/// One part of a dict display.
#[derive(Debug)]
pub enum DictChunk {
    /// `BUILD_MAP n` (`_PyDict_FromItems`, presized) of key/value pairs.
    Map(Vec<(Expr, Expr)>),
    /// `BUILD_CONST_KEY_MAP n`: a constant tuple of keys and the values.
    ConstKeys(Box<Expr>, Vec<Expr>),
    /// `BUILD_MAP 0` then `MAP_ADD` per pair (17 or more pairs in the chunk).
    Big(Vec<(Expr, Expr)>),
}

/// A comprehension: its own scope and constants.
#[derive(Debug)]
pub struct Comp {
    /// `true` for a dict comprehension.
    pub dict: bool,
    /// `true` for a generator expression: a generator object, run an item at a time.
    pub genexp: bool,
    pub elt: Expr,
    /// The value expression of a dict comprehension.
    pub value: Option<Expr>,
    pub gens: Vec<Generator>,
    /// The comprehension's code object.
    pub code: Rc<Code>,
    /// Where it is (the call of its function).
    pub span: Span,
}

/// `for target in iter if cond ...`.
#[derive(Debug)]
pub struct Generator {
    pub target: Target,
    pub iter: Expr,
    pub ifs: Vec<Expr>,
}

/// An assignment target.
#[derive(Debug)]
pub enum Target {
    Name(Name),
    Subscript(Expr, Expr, Span),
    /// `obj.name` (`STORE_ATTR` / `DELETE_ATTR`).
    Attr(Expr, Rc<str>, Span),
    Tuple(Vec<Target>, Pos, Span),
    /// `*rest` inside a tuple target (`UNPACK_EX`): a new list of what is left.
    Starred(Box<Target>),
}

/// A statement with its position.
#[derive(Debug)]
pub struct Stmt {
    pub pos: Pos,
    /// Its extent: where a traceback points when the statement itself raises.
    pub span: Span,
    pub kind: StmtKind,
    /// Whether a generator can suspend inside it: it is a `yield` statement, or a block of
    /// it holds one (the generator's frame then resumes into it, see `eval/generator.rs`).
    pub suspends: bool,
}

impl Stmt {
    pub fn new(pos: Pos, span: Span, kind: StmtKind) -> Stmt {
        let suspends = kind.suspends();
        Stmt {
            pos,
            span,
            kind,
            suspends,
        }
    }
}

/// Whether a loop body can `break` out of its loop (a `break` in it, or in an `if` in it).
pub fn breaks_out(body: &[Stmt]) -> bool {
    body.iter().any(|s| match &s.kind {
        StmtKind::Break => true,
        StmtKind::If(_, a, b) => breaks_out(a) || breaks_out(b),
        _ => false,
    })
}

impl StmtKind {
    fn suspends(&self) -> bool {
        let any = |b: &[Stmt]| b.iter().any(|s| s.suspends);
        match self {
            StmtKind::Expr(e) | StmtKind::Assign(_, e) => e.is_yield(),
            StmtKind::If(_, a, b) | StmtKind::While(_, a, b) | StmtKind::For(_, _, a, b) => {
                any(a) || any(b)
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => {
                any(body) || any(orelse) || any(finalbody) || handlers.iter().any(|h| any(&h.body))
            }
            _ => false,
        }
    }
}

/// Statements.
#[derive(Debug)]
pub enum StmtKind {
    Expr(Expr),
    /// `t1 = t2 = value`.
    Assign(Vec<Target>, Expr),
    /// `t op= value`, with where `t` is.
    AugAssign(Target, BinOp, Expr, Span),
    /// `del t1, t2`, with where each target is.
    Del(Vec<Target>, Vec<Span>),
    If(Expr, Vec<Stmt>, Vec<Stmt>),
    While(Expr, Vec<Stmt>, Vec<Stmt>),
    For(Target, Expr, Vec<Stmt>, Vec<Stmt>),
    Break,
    Continue,
    Pass,
    Def(Name, Rc<FuncDef>, Defaults),
    Return(Option<Expr>),
    /// `import sys` / `import gc as g` / `from sys import getsizeof as gs`: bind `name` to the
    /// module (`attr` None) or to its attribute.
    Import {
        module: Module,
        attr: Option<Rc<str>>,
        name: Name,
    },
    Assert(Expr, Option<Expr>, Span),
    /// `try: body except ...: ... else: orelse finally: finalbody`.
    Try {
        body: Vec<Stmt>,
        handlers: Vec<Handler>,
        orelse: Vec<Stmt>,
        finalbody: Vec<Stmt>,
    },
    /// `raise`, `raise exc`, `raise exc from cause`.
    Raise(Option<Expr>, Option<Expr>),
}

/// `except [types [as name]]: body`.
#[derive(Debug)]
pub struct Handler {
    pub pos: Pos,
    /// The class or tuple of classes it catches (`None`: a bare `except:`).
    pub types: Option<Expr>,
    /// The `as` name, unbound again when the handler ends.
    pub name: Option<Name>,
    pub body: Vec<Stmt>,
}

/// The modules a script may import.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Module {
    Sys,
    Gc,
}

impl Module {
    /// The module's name.
    pub fn name(self) -> &'static str {
        match self {
            Module::Sys => "sys",
            Module::Gc => "gc",
        }
    }
}

/// A code object: constants, locals, body.
#[derive(Debug, Default)]
pub struct Code {
    /// `co_firstlineno`: the `def` line (1 for the module).
    pub first_line: u32,
    /// `co_name`.
    pub name: Rc<str>,
    /// `co_qualname`: `outer.<locals>.inner` for a nested function (argument errors and a
    /// function's repr show it).
    pub qualname: Rc<str>,
    /// `co_consts` (what `Expr::Const` indexes).
    pub consts: Vec<Obj>,
    /// Names of the locals, by slot (the runner's frame layout).
    pub locals: Vec<Rc<str>>,
    /// `co_varnames` as CPython's compiler orders it: the parameters, then the other fast
    /// locals as code generation first meets them; locals a comprehension reads (cells) are
    /// not among them. A `NameError`'s suggestion looks here first.
    pub varnames: Vec<Rc<str>>,
    /// The statements (empty for comprehensions).
    pub body: Vec<Stmt>,
    /// The source's shape: its column, then where its tokens are (every non-blank byte
    /// masked): what CPython's line table records besides instruction sizes.
    pub shape: String,
    /// Whether the body starts with a string literal: `co_consts[0]` (a function) or
    /// `__doc__` (the module).
    pub docstring: bool,
    /// Slots that are cells (`co_cellvars`: locals a nested function or comprehension
    /// reads), made at frame entry (`MAKE_CELL`).
    pub cellvars: Vec<usize>,
    /// Slots that are free variables (`co_freevars`, in closure order), each with the slot
    /// of the enclosing frame its cell comes from (`LOAD_CLOSURE` there, `COPY_FREE_VARS`
    /// here).
    pub freevars: Vec<(usize, usize)>,
    /// `co_warmup`: RESUMEs and JUMP_BACKWARDs executed so far, up to
    /// [`QUICKENING_WARMUP_DELAY`], when 3.11 quickens the code (its call sites specialize on
    /// their next execution: `str(x)` then passes no argument tuple).
    pub warmup: std::cell::Cell<u32>,
    /// `CO_GENERATOR`: its body yields, so a call makes a generator and runs nothing.
    pub generator: bool,
}

/// `QUICKENING_WARMUP_DELAY` (3.11).
pub const QUICKENING_WARMUP_DELAY: u32 = 8;

impl Code {
    /// `_PyCode_Warmup`: a RESUME (frame entry) or a JUMP_BACKWARD (a loop going round).
    pub fn warm(&self) {
        let w = self.warmup.get();
        if w < QUICKENING_WARMUP_DELAY {
            self.warmup.set(w + 1);
        }
    }

    /// Whether `_PyCode_Quicken` has run: adaptive instructions in place.
    pub fn quickened(&self) -> bool {
        self.warmup.get() >= QUICKENING_WARMUP_DELAY
    }
}

/// A `def`: its parameters and code. The parameters are the first locals, in
/// `co_varnames`' order: the positional ones (`nposonly` of them before a `/`), the
/// keyword-only ones, then `*args` and `**kwargs` when present.
#[derive(Debug)]
pub struct FuncDef {
    /// `co_argcount`: positional parameters, positional-only ones included.
    pub nparams: usize,
    /// `co_posonlyargcount`.
    pub nposonly: usize,
    /// `co_kwonlyargcount`.
    pub nkwonly: usize,
    /// `CO_VARARGS`: a `*args` parameter.
    pub varargs: bool,
    /// `CO_VARKEYWORDS`: a `**kwargs` parameter.
    pub varkw: bool,
    pub code: Rc<Code>,
}

impl FuncDef {
    /// How many locals are parameters.
    pub fn nlocals_params(&self) -> usize {
        self.nparams + self.nkwonly + usize::from(self.varargs) + usize::from(self.varkw)
    }
}

/// What a `def` evaluates in the enclosing code before `MAKE_FUNCTION`: the positional
/// defaults (a tuple: a constant when every default is one) and the keyword-only defaults
/// (a dict, `BUILD_CONST_KEY_MAP`).
#[derive(Debug, Default)]
pub struct Defaults {
    pub pos: Option<Expr>,
    pub kw: Option<Expr>,
}
