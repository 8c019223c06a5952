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
//!
//! One `Lowerer` walks the tree; its methods are spread over the files by job:
//!
//! | file | mirrors | what is in it |
//! |---|---|---|
//! | `mod.rs` | `Py_CompileStringObject` (parse, then compile) | [`compile`], [`Program`], [`CompileError`], the walker's state, finishing a code unit |
//! | `syntax.rs` | the parser's error reporting | node access, positions, `SyntaxError`s, refusals of what the subset lacks, source shapes |
//! | `scope.rs` | `Python/symtable.c`, `compiler_nameop` | scopes, locals and globals, free names, `co_varnames` order |
//! | `stmt.rs` | the grammar's statement actions | statements, targets, `try`, `raise`, `import` |
//! | `function.rs` | `compiler_function`, `compiler_lambda`, the parameter rules | `def`, `lambda`, parameters, defaults |
//! | `expr.rs` | the grammar's expression actions, `compiler_dict`, `starunpack_helper` | expressions, calls, displays, comprehensions |
//! | `literals.rs` | `Parser/string_parser.c`, `parsenumber`, the tokenizer | numbers, strings, escapes |
//! | `consts.rs` | `merge_consts_recursive`, `compiler_add_o` | the constant cache, `co_consts` |
//! | `fold.rs` | `Python/ast_opt.c` | constant folding |

mod consts;
mod expr;
mod fold;
mod fstring;
mod function;
mod literals;
mod scope;
mod stmt;
mod syntax;

use hashbrown::HashMap;
use std::rc::Rc;

use super::ast::*;
use crate::object::Obj;
use consts::ConstTable;
pub(super) use consts::{ConstKey, const_key};
use scope::{Scope, ScopeKind, Varnames};
use syntax::{has_docstring, parse};

/// Why a program cannot run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CompileError {
    /// Not Python (tree-sitter found an error node).
    Syntax { pos: Pos, msg: String },
    /// Python, but outside the subset: names the construct.
    Unsupported { pos: Pos, what: String },
    /// Several constructs outside the subset, in source order (one pass reports them all).
    UnsupportedMany(Vec<(Pos, String)>),
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
            CompileError::UnsupportedMany(all) => {
                let parts: Vec<String> = all
                    .iter()
                    .map(|(pos, what)| format!("{what} at line {}, column {}", pos.line, pos.col))
                    .collect();
                write!(
                    f,
                    "unsupported: {} constructs: {} (pylayout runs a subset of Python; see `pylayout run --help`)",
                    all.len(),
                    parts.join("; ")
                )
            }
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

/// The most statements or expressions in one program (a sanity bound for huge inputs).
const MAX_SOURCE_BYTES: usize = 10 << 20;

/// The walk from tree-sitter's tree to the AST: the source, the AST arena, the module's
/// constant cache and the scopes being lowered.
struct Lowerer<'s> {
    src: &'s str,
    line_starts: Vec<usize>,
    /// The f-string being lowered (its fields' `FORMAT_VALUE` are at it).
    fstring_span: Span,
    arena: Vec<Obj>,
    cache: HashMap<ConstKey, Obj>,
    scopes: Vec<Scope>,
    nesting: usize,
    /// Constructs outside the subset met so far: each statement that holds one is left out
    /// and the walk goes on, so one pass names them all.
    refusals: Vec<(Pos, String)>,
    /// How many `try` statements of the current function enclose the node being lowered
    /// that would run code of the script when a generator suspended inside is closed (a
    /// `finally`, or a handler that can catch `GeneratorExit`): a `yield` there is refused.
    closing_trys: usize,
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
    match l.refusals.len() {
        0 => {}
        1 => {
            let (pos, what) = l.refusals.pop().expect("one");
            return Err(CompileError::Unsupported { pos, what });
        }
        _ => {
            return Err(CompileError::UnsupportedMany(std::mem::take(
                &mut l.refusals,
            )));
        }
    }
    let scope = l.scopes.pop().expect("module scope");
    let mut code = l.finish_code("<module>".into(), scope, 0, body)?;
    code.docstring = has_docstring(tree.root_node(), src);
    Ok(Program {
        code: Rc::new(code),
        arena: l.arena,
    })
}

impl<'s> Lowerer<'s> {
    fn new(src: &'s str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        Lowerer {
            src,
            line_starts,
            fstring_span: Span::default(),
            arena: Vec::new(),
            cache: HashMap::new(),
            scopes: Vec::new(),
            nesting: 0,
            refusals: Vec::new(),
            closing_trys: 0,
        }
    }

    /// A finished code unit: its constants registered and its `co_varnames` in the order
    /// code generation meets them.
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
        let varnames = v.finish(self.refusals.is_empty());
        Ok(Code {
            first_line: 1,
            name,
            qualname: scope.qualname.clone(),
            consts: t.consts,
            varnames,
            cellvars: scope.cellvars(),
            freevars: scope.frees.clone(),
            locals: scope.locals,
            body,
            shape: String::new(),
            docstring: false,
            warmup: Default::default(),
            generator: scope.generator,
        })
    }
}
