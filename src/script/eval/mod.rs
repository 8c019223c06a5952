//! The evaluator: walks the code of [`super::lower`] over real objects, keeping exactly the
//! references CPython 3.11's eval loop keeps (names, frame locals, the value stack's
//! temporaries, iterators holding their iterables, constants held by code objects), so that
//! `sys.getrefcount` agrees.
//!
//! One [`Interp`] is one run; its state is private to this module, and the builtins reach it
//! through named methods (charge a step, check the memory limit, write to stdout ...).
//!
//! | file | mirrors | holds |
//! |---|---|---|
//! | `mod.rs` | `PyThreadState`, `PyRun_*` | [`Interp`], [`Limits`], [`Failure`], frames, globals, running a module |
//! | `budget.rs` | `Py_EnterRecursiveCall` (the step and memory limits are the runner's own) | the step, memory and recursion limits |
//! | `names.rs` | ceval's `LOAD_NAME` / `LOAD_GLOBAL` / `STORE_*`, `suggestions.c` | names, `NameError` |
//! | `stmt.rs` | `Python/ceval.c`: statements | assignment, `del`, loops, `UNPACK_SEQUENCE`/`UNPACK_EX`, `+=`, `MAKE_FUNCTION` and cells |
//! | `expr.rs` | `Python/ceval.c`: expressions | displays, subscripts, comprehensions, generator expressions |
//! | `exceptions.rs` | `Python/errors.c`, `ceval.c`'s exception unwinding, `traceback.c` | `try`, `raise`, exception objects, tracebacks and the frame objects they keep |
//! | `operators.rs` | `Objects/abstract.c`, `Objects/object.c` | binary operators, rich compare, `in`, truth |
//! | `call.rs` | `_PyEval_Vector`, `initialize_locals`, `CALL_FUNCTION_EX` | calling a Python function, binding its arguments, `*`/`**` calls |
//! | `repr.rs` | `PyObject_Repr` / `PyObject_Str`, `Py_ReprEnter`, `print` | text of values, stdout, `--trace` |

mod budget;
mod call;
mod exceptions;
mod expr;
mod generator;
mod names;
mod operators;
mod repr;
mod stmt;

use hashbrown::HashMap;
use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;

use super::ast::*;
use super::ops::{self, Fault, exc, type_err};
use super::suggest;
use super::value::*;
use crate::error::{ExcKind, PyErr};
use crate::object::Obj;
use crate::types::cell::PyCell;
use crate::types::dict::PyDict;
use crate::types::function::PyFunction;
use crate::types::list::PyList;
use crate::types::none;
use crate::types::str::PyStr;
use crate::types::tuple::PyTuple;

pub(crate) use exceptions::instantiate;
pub(crate) use expr::{Index, seq_items};
pub(crate) use generator::{GenStep, is_generator};
pub(crate) use operators::values_identical;

/// Resource limits of a run.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Statements (and loop iterations, and items walked by builtins) before stopping.
    pub max_steps: u64,
    /// Bytes of memory (pymalloc arenas plus large blocks) before stopping.
    pub max_memory: usize,
    /// `sys.getrecursionlimit()`.
    pub recursion_limit: usize,
}

impl Limits {
    /// The defaults of `pylayout run`.
    pub const DEFAULT: Limits = Limits {
        max_steps: 50_000_000,
        max_memory: 2 << 30,
        recursion_limit: 1000,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// The module's dict: values by name, and the insertion order a dict keeps (which only "Did
/// you mean" reads: kept as a sequence number per key, so `del` stays O(1)). A hashbrown map
/// with its default foldhash: the runner's own names need no SipHash (nothing here is
/// exposed to a learner's choice of keys, and every global access hashes a name).
#[derive(Debug, Default)]
struct Globals {
    map: HashMap<Rc<str>, (u64, Value)>,
    next: u64,
}

impl Globals {
    fn get(&self, name: &str) -> Option<&Value> {
        self.map.get(name).map(|(_, v)| v)
    }

    /// Bind `name`; a key already there keeps its place. Returns the old value.
    fn insert(&mut self, name: Rc<str>, v: Value) -> Option<Value> {
        match self.map.get_mut(&name) {
            Some((_, old)) => Some(std::mem::replace(old, v)),
            None => {
                self.next += 1;
                self.map.insert(name, (self.next, v));
                None
            }
        }
    }

    fn remove(&mut self, name: &str) -> Option<Value> {
        self.map.remove(name).map(|(_, v)| v)
    }

    /// The names in insertion order.
    fn keys_in_order(&self) -> Vec<&str> {
        let mut keys: Vec<(u64, &str)> = self.map.iter().map(|(k, (n, _))| (*n, &**k)).collect();
        keys.sort_unstable();
        keys.into_iter().map(|(_, k)| k).collect()
    }
}

/// Control flow out of a statement.
enum Flow {
    Normal,
    Break,
    Continue,
    Return(Value),
}

/// A failure with where it happened: (line, function) from the outermost frame in.
#[derive(Debug)]
pub struct Failure {
    /// What stopped the run (an exception object is given here as its class and `str()`).
    pub fault: Fault,
    /// Traceback entries, outermost first.
    pub traceback: Vec<(u32, Rc<str>, Span)>,
    /// The exceptions printed before it, oldest first: its `__cause__` or `__context__`,
    /// theirs, and so on.
    pub chain: Vec<ChainLink>,
}

/// One exception of a chain the traceback printer shows before the last one.
#[derive(Debug, Clone)]
pub struct ChainLink {
    /// Its traceback entries, outermost first.
    pub traceback: Vec<(u32, Rc<str>, Span)>,
    /// Its last line (`KeyError: 'a'`).
    pub last_line: String,
    /// `true`: the next exception was raised `from` this one ("direct cause"); `false`: while
    /// handling it.
    pub cause: bool,
}

pub(crate) type R<T> = Result<T, Fault>;

/// A frame: a code object's fast locals (the module frame uses the globals instead).
struct Frame<'a> {
    code: &'a Code,
    /// The fast locals (`localsplus`), `None` while unbound; a cell or free variable's
    /// slot holds its cell.
    locals: Vec<Option<Value>>,
    /// The line of the statement running (for the traceback).
    line: u32,
    /// And its extent (where the traceback points when the statement itself raises).
    stmt_span: Span,
    /// Its frame object, once an exception has passed through it.
    frame_obj: Option<Rc<FrameObj>>,
}

impl<'a> Frame<'a> {
    /// A frame for `code`; a comprehension's starts on the line of the frame running it.
    fn new(code: &'a Code, locals: Vec<Option<Value>>, caller: Option<&Frame>) -> Self {
        Frame {
            code,
            locals,
            line: caller.map_or(0, |p| p.line),
            stmt_span: caller.map_or(Span::default(), |p| p.stmt_span),
            frame_obj: None,
        }
    }
}

/// Where `--trace` lines go (shared with the runtime's tracer).
pub type TraceSink = Rc<RefCell<Box<dyn Write>>>;

/// The interpreter state of one run.
#[allow(missing_debug_implementations)]
pub struct Interp<'o> {
    /// The module's globals the script made.
    globals: Globals,
    /// The keys `__main__`'s dict has before the first line (`__name__`, ..., `__file__`),
    /// which the runner does not model but "Did you mean" lists first.
    main_globals: &'static [&'static str],
    /// Which of [`Self::main_globals`] a `del` removed.
    main_deleted: Vec<bool>,
    /// `sys.stdout`: where `print` writes (see [`Interp::write_stdout`]).
    out: &'o mut dyn Write,
    limits: Limits,
    /// Steps taken so far (see [`Interp::step`]).
    steps: u64,
    /// Python frames in use, the module's included (see [`Interp::enter`]).
    depth: usize,
    /// The traceback of the exception unwinding: its outermost entry so far.
    tb: Option<Rc<TbNode>>,
    /// The exceptions being handled (`exc_info`'s stack): pushed when an `except` or a
    /// `finally` starts on an exception, popped when it ends.
    handling: Vec<Rc<GcCounted<ExcObj>>>,
    /// The frame depth where a bare `raise` (or the re-raise at the end of an `except` that
    /// matched nothing, or of a `finally`) raised: that frame is already in the traceback.
    reraised_at: Option<usize>,
    /// Where the exception being raised was raised in the frame it is leaving: the innermost
    /// expression whose evaluation failed (`tb_lasti`'s position), until the traceback
    /// entry takes it.
    err_span: Option<Span>,
    /// The exception `generator.throw()` raises where the generator resumes, until it is
    /// (and whether the generator had started).
    throw_in: Option<(Fault, bool)>,
    /// Where `--trace` writes name events, when it is on.
    trace: Option<TraceSink>,
    /// The 4-tuple the first `print` leaves behind (see [`Interp::print_parser_init`]).
    printed: Option<Obj>,
    /// `sys.maxsize` once read: one object for the run, with the references CPython's
    /// interpreter holds to it (see [`Interp::sys_maxsize`]).
    maxsize: Vec<Obj>,
    /// `gc.garbage` once read: a list held twice, as CPython holds it (the collector's
    /// state and the module's dict).
    gc_garbage: Vec<Obj>,
    /// `Py_ReprEnter`'s state: the thread-state dict and its `Py_Repr` list, made by the
    /// first repr of a container and kept for the rest of the run.
    repr_state: Option<(Obj, Obj)>,
    /// Whether the code making the current call is quickened (set right before a call).
    caller_quickened: bool,
}

impl<'o> Interp<'o> {
    /// A fresh interpreter writing `print` output to `out`.
    pub fn new(out: &'o mut dyn Write, limits: Limits) -> Self {
        let mut interp = Interp {
            globals: Globals::default(),
            main_globals: &[],
            main_deleted: Vec::new(),
            out,
            limits,
            steps: 0,
            depth: 1,
            tb: None,
            handling: Vec::new(),
            reraised_at: None,
            err_span: None,
            throw_in: None,
            trace: None,
            printed: None,
            maxsize: Vec::new(),
            gc_garbage: Vec::new(),
            repr_state: None,
            caller_quickened: false,
        };
        interp.set_depth(1);
        interp.set_startup(None);
        interp
    }

    /// How CPython was started decides `__main__`'s first keys (only suggestions see them).
    pub fn set_startup(&mut self, startup: Option<super::Startup>) {
        self.main_globals = suggest::main_globals(startup);
        self.main_deleted = vec![false; self.main_globals.len()];
    }

    /// Write name events (bindings and unbindings with the object's refcount) to `w`.
    pub fn set_trace(&mut self, w: TraceSink) {
        self.trace = Some(w);
    }

    /// Run a module's code.
    pub fn run_module(&mut self, code: &Code) -> Result<(), Failure> {
        code.warm();
        let mut frame = Frame::new(code, Vec::new(), None);
        let r = self.exec_block(&mut frame, &code.body);
        match r {
            Ok(_) => Ok(()),
            Err(fault) => {
                let fault = self.unwind(&mut frame, fault);
                Err(self.failure(fault))
            }
        }
    }

    /// `sys.maxsize`: one int object for the whole run. CPython's `sys.getrefcount` of it
    /// is 10 in 3.11.7 (`sys`'s dict and references start-up leaves), so the runner holds
    /// nine (`tests/scripts/numeric_builtins.py` checks it).
    pub(crate) fn sys_maxsize(&mut self) -> Obj {
        const HELD: usize = 9;
        if self.maxsize.is_empty() {
            let o = ops::small_int(i64::MAX);
            self.maxsize = vec![o; HELD];
        }
        self.maxsize[0].clone()
    }

    /// `gc.garbage`. CPython makes the list at start-up; here it is made when first read,
    /// so its allocation must leave no trace: no automatic collection while it is made, and
    /// its generation-0 count taken back.
    pub(crate) fn gc_garbage(&mut self) -> Obj {
        if self.gc_garbage.is_empty() {
            let enabled = crate::gc::isenabled();
            crate::gc::disable();
            let list = PyList::new_from_type().into_obj();
            crate::gc::on_gc_free();
            if enabled {
                crate::gc::enable();
            }
            self.gc_garbage = vec![list.clone(), list];
        }
        self.gc_garbage[0].clone()
    }

    /// The script's own global names, in the order they were first bound.
    pub fn script_globals(&self) -> Vec<&str> {
        self.globals.keys_in_order()
    }

    /// The value a global name holds.
    pub fn global(&self, name: &str) -> Option<&Value> {
        self.globals.get(name)
    }

    /// Drop every global in insertion-independent but deterministic order (sorted names),
    /// as module teardown would.
    pub fn clear_globals(&mut self) {
        let mut names: Vec<Rc<str>> = self.globals.map.keys().cloned().collect();
        names.sort();
        for n in names {
            self.globals.remove(&n);
        }
    }
}

/// Memory in use: pymalloc's arenas plus the large blocks objects took from the C
/// allocator. (It was `mallinfo2`, which walks the C heap: slow on a fragmented heap, for a
/// check made before every large allocation, and blind under AddressSanitizer.)
pub fn footprint() -> usize {
    crate::runtime::heap_footprint()
}
