//! A runner for a subset of Python over pylayout's objects.
//!
//! ```text
//!  source ──tree-sitter-python──▶ concrete tree ──lower──▶ ast (scopes resolved, constants
//!  folded and merged as CPython's compiler does) ──eval──▶ real objects in pymalloc memory
//! ```
//!
//! The subset: see `pylayout run --help` and `docs/runner.md`. Anything else is refused before
//! the program starts, with the construct's name, line and column.
//!
//! The runner exists so that a snippet people already know (`x = []; y = x;
//! print(sys.getrefcount(x))`) does to our objects exactly what CPython 3.11 does to its own:
//! the same allocation path per construct (a constant display, `list(range(n))` and `[0] * n`
//! allocate differently), the same references held by the eval loop, the same free-list and
//! GC state at the first line. [`run`] is the entry point (its example runs a snippet into a
//! `Vec<u8>`); [`eval_expr`] evaluates one expression and hands back the live object, which
//! is how `pylayout layout EXPR` gets what it shows.
//!
//! | file | mirrors | read it for |
//! |---|---|---|
//! | [`lower`] | `Python/symtable.c`, `Python/ast_opt.c`, `Python/compile.c` | the subset's checks, scopes, constant folding, how displays are built |
//! | [`ast`] | CPython's AST after `symtable.c` and `ast_opt.c` (the subset) | the tree the evaluator walks |
//! | [`eval`] | `Python/ceval.c` | which references a frame holds, so `sys.getrefcount` agrees |
//! | `builtins` (private) | `Python/bltinmodule.c`, the types' methods | which allocation path each builtin and method takes |
//! | [`ops`] | `Objects/abstract.c`, `longobject.c`, `floatobject.c` | operators and their error messages |
//! | [`numparse`] | `PyLong_FromString`, `_PyOS_ascii_strtod` | `int(text)`, `float(text)` |
//! | [`startup`] | `Python/pythonrun.c` and the compiler's own allocations | the GC count and free lists at line 1 |
//! | [`value`] | — | what a name can hold besides an object (functions, modules, ranges ...) |
//! | `suggest` (private) | `Python/suggestions.c` | "Did you mean" |
//!
//! Read [`run`], then [`lower`]'s module docs, then [`eval`].

pub mod ast;
mod builtins;
mod carets;
pub mod eval;
pub mod format;
pub mod lower;
pub mod numparse;
pub mod ops;
mod stackdepth;
pub mod startup;
mod suggest;
mod suggest_tables;
pub mod value;

use std::io::Write;

pub use builtins::listing as builtins_listing;
pub use eval::{Failure, Interp, Limits};
pub use lower::{CompileError, Program, compile};
pub use ops::Fault;

use crate::object::Obj;

/// How CPython was given the program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Startup {
    /// `python3 FILE`.
    File,
    /// `python3 -`: one object fewer before the first line (no `SourceFileLoader`).
    Stdin,
    /// `python3 -c CODE`: as [`Startup::Stdin`], but `__main__` has no `__file__` or
    /// `__cached__` (which "Did you mean" can suggest).
    Command,
}

/// How a run ended.
#[derive(Debug)]
pub enum Outcome {
    /// The program finished.
    Ok,
    /// It raised a Python exception: exit code 1, CPython's traceback on stderr.
    Exception(Failure),
    /// It could not start (syntax or unsupported construct) or hit a limit: exit code 2.
    Refused(String),
}

/// Options of a run.
#[derive(Clone, Copy, Debug, Default)]
pub struct RunOptions {
    /// Limits on steps, memory and recursion.
    pub limits: Limits,
    /// Start from where CPython 3.11.7's start-up and compiler leave generation 0 and the
    /// free lists for this program ([`startup::start_state`]), as `python3 FILE` or
    /// `python3 -`/`-c` does; `None` starts from an empty runtime.
    pub startup: Option<Startup>,
}

/// The float free list at the first line (floats are not GC objects: only their addresses
/// depend on it).
const STARTUP_FLOATS: usize = 4;

/// Generation 2's count at the first line: the two generation-1 collections start-up ran.
const STARTUP_GEN2_COUNT: isize = 2;

/// `gc.get_stats()` at the first line of a script (3.11.7, file, stdin or `-c` alike): the
/// collections start-up ran and what they collected.
const STARTUP_GC_STATS: [crate::gc::GenStats; 3] = [
    crate::gc::GenStats {
        collections: 22,
        collected: 43,
        uncollectable: 0,
    },
    crate::gc::GenStats {
        collections: 2,
        collected: 92,
        uncollectable: 0,
    },
    crate::gc::GenStats {
        collections: 0,
        collected: 0,
        uncollectable: 0,
    },
];

/// Tracked objects CPython 3.11.7's start-up leaves in the oldest generation
/// (`len(gc.get_objects(2))` right after a `gc.collect()` at the top of a script: 11,092 for a
/// two-line script). Counted as long-lived beside the script's own after full collections.
const STARTUP_LONG_LIVED: isize = 11_090;

/// Fill the free lists: make the objects, then free them.
fn prefill_free_lists(lists: usize, dicts: usize, floats: usize, tuples: &[usize; 20]) {
    use crate::types::dict::PyDict;
    use crate::types::float::PyFloat;
    use crate::types::list::PyList;
    use crate::types::tuple::PyTuple;
    let mut keep: Vec<Obj> = Vec::new();
    keep.extend((0..lists).map(|_| PyList::new_from_type().into_obj()));
    keep.extend((0..dicts).map(|_| PyDict::new_from_type().into_obj()));
    keep.extend((0..floats).map(|i| PyFloat::new(i as f64 + 0.5).into_obj()));
    for (i, n) in tuples.iter().enumerate() {
        for _ in 0..*n {
            let items = (0..=i).map(|_| crate::types::none::none()).collect();
            keep.push(PyTuple::new(items).into_obj());
        }
    }
    drop(keep);
}

/// Compile and run `src`, writing `print` output to `out` and trace events to `trace`.
///
/// ```
/// use pylayout::script::{Outcome, RunOptions, Startup, run};
///
/// let src = "\
/// import sys
/// x = [1, 2, 3]
/// y = x
/// print(sys.getsizeof(x), sys.getrefcount(x))
/// x.append(4)
/// print(sys.getsizeof(x))
/// x.append(5)
/// print(sys.getsizeof(x), len(y))
/// ";
/// // Start where `python3 FILE` would be at line 1 (free lists, GC counts).
/// let opts = RunOptions { startup: Some(Startup::File), ..RunOptions::default() };
/// let mut out = Vec::new();
/// assert!(matches!(run(src, &opts, &mut out, None), Outcome::Ok));
/// // What python3.11 prints for the same file: the constant display got 4 slots (3
/// // rounded up to even), so the 4th item fits; the 5th resizes to 8.
/// assert_eq!(String::from_utf8(out).unwrap(), "88 3\n88\n120 5\n");
///
/// // A Python exception ends the run as CPython's would (exit code 1) ...
/// let mut out = Vec::new();
/// let outcome = run("print([][0])\n", &RunOptions::default(), &mut out, None);
/// assert!(matches!(outcome, Outcome::Exception(_)));
/// // ... and code outside the subset is refused before anything runs (exit code 2).
/// let outcome = run("class C: pass\n", &RunOptions::default(), &mut out, None);
/// assert!(matches!(outcome, Outcome::Refused(_)));
/// assert!(out.is_empty());
/// ```
pub fn run(
    src: &str,
    opts: &RunOptions,
    out: &mut dyn Write,
    trace: Option<Box<dyn Write>>,
) -> Outcome {
    run_inspect(src, opts, out, trace, |_| ()).0
}

/// As [`run`], then call `inspect` on the state the program left (its globals alive, before
/// module teardown): the `--after FILE` views, `run --json`'s final counts. Not called when
/// the program did not compile.
pub fn run_inspect<T>(
    src: &str,
    opts: &RunOptions,
    out: &mut dyn Write,
    trace: Option<Box<dyn Write>>,
    inspect: impl FnOnce(&Interp) -> T,
) -> (Outcome, Option<T>) {
    let program = match compile(src) {
        Ok(p) => p,
        Err(e) => return (Outcome::Refused(e.to_string()), None),
    };
    if let Some(how) = opts.startup {
        let st = startup::start_state(&program);
        prefill_free_lists(st.lists, st.dicts, STARTUP_FLOATS, &st.tuples);
        let offset = if how == Startup::File { 0 } else { 1 };
        let young = st.collections as isize;
        crate::gc::set_counts([(st.count - offset).max(0), young, STARTUP_GEN2_COUNT]);
        let mut stats = STARTUP_GC_STATS;
        stats[0].collections += young as u64;
        crate::gc::set_stats(stats);
        crate::gc::set_phantom_long_lived(STARTUP_LONG_LIVED);
    }
    let mut interp = Interp::new(out, opts.limits);
    interp.set_startup(opts.startup);
    if let Some(t) = trace {
        let sink: eval::TraceSink = std::rc::Rc::new(std::cell::RefCell::new(t));
        interp.set_trace(sink.clone());
        crate::runtime::set_tracer(Some(Box::new(move |ev| {
            if let Ok(mut w) = sink.try_borrow_mut() {
                let _ = writeln!(w, "{}", format_event(ev));
            }
        })));
    }
    let r = interp.run_module(&program.code);
    let outcome = match r {
        Ok(()) => Outcome::Ok,
        Err(f) => match &f.fault {
            Fault::Py(_) | Fault::PyArgs(..) | Fault::Exc(_) => Outcome::Exception(f),
            Fault::Memory(m) => Outcome::Refused(format!(
                "memory limit reached: {m} (the limit is {} bytes; raise it with --max-memory)",
                opts.limits.max_memory
            )),
            Fault::Steps(n) => Outcome::Refused(format!(
                "step limit reached after {n} steps (raise it with --max-steps)"
            )),
            Fault::Unsupported(what) => Outcome::Refused(format!(
                "unsupported: {what} at line {} (pylayout runs a subset of Python; see `pylayout run --help`)",
                f.traceback.last().map_or(0, |t| t.0)
            )),
            Fault::Output(None) => Outcome::Ok,
            Fault::Output(Some(e)) => Outcome::Refused(format!("writing the output failed: {e}")),
        },
    };
    let seen = Some(inspect(&interp));
    // Module teardown: the globals go, then the program's constants.
    interp.clear_globals();
    drop(interp);
    drop(program);
    // Finalization's last collection (`_PyGC_CollectNoFail`): the cycles left standing are
    // freed, and with them the code their functions keep.
    crate::gc::collect(crate::gc::NUM_GENERATIONS - 1);
    crate::runtime::set_tracer(None);
    (outcome, seen)
}

/// `co_stacksize` of the module's code and of every function and generator expression in
/// it, by qualified name (`None` where the model stops: a call of over 30 arguments), as the
/// runner computes it for `sys.getsizeof` of a generator.
///
/// ```
/// let sizes = pylayout::script::stack_sizes("def g(n):\n    for i in range(n):\n        yield i\n").unwrap();
/// assert_eq!(sizes[1], ("g".to_string(), Some(3)));
/// ```
pub fn stack_sizes(src: &str) -> Result<Vec<(String, Option<usize>)>, String> {
    let program = compile(src).map_err(|e| e.to_string())?;
    Ok(stackdepth::all(&program.code)
        .into_iter()
        .map(|(q, n)| (q.to_string(), n))
        .collect())
}

/// One `--trace` line for an event of the object layer.
fn format_event(ev: &crate::runtime::TraceEvent) -> String {
    use crate::runtime::TraceEvent as E;
    match ev {
        E::Alloc {
            type_name,
            size,
            address,
        } => format!("alloc {type_name} at {address:#x} ({size} bytes)"),
        E::Free { type_name, address } => format!("free {type_name} at {address:#x}"),
        E::Reuse { type_name, address } => {
            format!("alloc {type_name} at {address:#x} (from the {type_name} free list)")
        }
        E::Park { type_name, address } => {
            format!("free {type_name} at {address:#x} (kept on the {type_name} free list)")
        }
        E::Resize {
            what,
            address,
            old,
            new,
        } => format!("resize {what} at {address:#x}: {old} -> {new} slots"),
        E::Intern { address, text } => {
            format!("intern {} at {address:#x}", crate::types::str::repr(text))
        }
    }
}

/// Evaluate one expression exactly as `x = EXPR` would build it in CPython, returning the
/// object (and the program, which must outlive it for the refcounts to stay CPython's).
pub fn eval_expr(expr: &str, limits: Limits) -> Result<(Obj, Program), String> {
    // EXPR must be one expression on its own (not `a = 1`, not two statements).
    let alone = compile(expr).map_err(|e| e.to_string())?;
    let single =
        alone.code.body.len() == 1 && matches!(alone.code.body[0].kind, ast::StmtKind::Expr(_));
    if !single {
        return Err(format!("expected one expression, got {expr:?}"));
    }
    drop(alone);
    let src = format!("x = {expr}\n");
    let program = compile(&src).map_err(|e| match e {
        CompileError::Syntax { mut pos, msg } => {
            pos.col = pos.col.saturating_sub(4);
            CompileError::Syntax { pos, msg }.to_string()
        }
        CompileError::Unsupported { mut pos, what } => {
            pos.col = pos.col.saturating_sub(4);
            CompileError::Unsupported { pos, what }.to_string()
        }
        CompileError::UnsupportedMany(mut all) => {
            for (pos, _) in &mut all {
                pos.col = pos.col.saturating_sub(4);
            }
            CompileError::UnsupportedMany(all).to_string()
        }
    })?;
    if program.code.body.len() != 1 {
        return Err("expected a single expression".into());
    }
    let mut sink = std::io::sink();
    let mut interp = Interp::new(&mut sink, limits);
    if let Err(f) = interp.run_module(&program.code) {
        return Err(match f.fault {
            Fault::Py(e) => e.to_string(),
            Fault::Exc(e) => e.value.kind.name().to_string(),
            Fault::PyArgs(k, _) => k.name().to_string(),
            Fault::Memory(m) => format!("memory limit reached: {m}"),
            Fault::Steps(n) => format!("step limit reached after {n} steps"),
            Fault::Output(e) => format!("writing the output failed: {}", e.unwrap_or_default()),
            Fault::Unsupported(w) => format!("unsupported: {w}"),
        });
    }
    let x = match interp.global("x") {
        Some(value::Value::Obj(o)) => o.clone(),
        Some(other) => {
            return Err(format!(
                "the expression is a {}, which pylayout does not build in memory",
                other.type_name()
            ));
        }
        None => return Err("the expression produced nothing".into()),
    };
    Ok((x, program))
}

/// Format a failure as CPython's traceback.
pub fn format_traceback(f: &Failure, filename: &str, src: &str) -> String {
    let lines: Vec<&str> = src.lines().collect();
    let entries = |s: &mut String, tb: &[(u32, std::rc::Rc<str>, ast::Span)]| {
        if tb.is_empty() {
            return;
        }
        s.push_str("Traceback (most recent call last):\n");
        // `tb_print_internal`: after 3 identical entries in a row (TB_RECURSIVE_CUTOFF), the
        // rest of the run is one line.
        let mut i = 0;
        while i < tb.len() {
            let same = |e: &(u32, std::rc::Rc<str>, ast::Span)| e.0 == tb[i].0 && e.1 == tb[i].1;
            let run = tb[i..].iter().take_while(|e| same(e)).count();
            for (line, func, span) in &tb[i..i + run.min(3)] {
                s.push_str(&format!("  File \"{filename}\", line {line}, in {func}\n"));
                if let Some(text) = lines.get((*line as usize).wrapping_sub(1)) {
                    s.push_str(&format!("    {}\n", text.trim()));
                    if let Some(carets) = carets::caret_line(text, *line, *span) {
                        s.push_str(&carets);
                        s.push('\n');
                    }
                }
            }
            if run > 3 {
                let n = run - 3;
                s.push_str(&format!(
                    "  [Previous line repeated {n} more time{}]\n",
                    if n == 1 { "" } else { "s" }
                ));
            }
            i += run;
        }
    };
    let mut s = String::new();
    for link in &f.chain {
        entries(&mut s, &link.traceback);
        s.push_str(&link.last_line);
        s.push_str(if link.cause {
            "\n\nThe above exception was the direct cause of the following exception:\n\n"
        } else {
            "\n\nDuring handling of the above exception, another exception occurred:\n\n"
        });
    }
    entries(&mut s, &f.traceback);
    if let Fault::Py(e) = &f.fault {
        s.push_str(&e.to_string());
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_capture(src: &str, opts: &RunOptions) -> (String, Outcome) {
        let mut out = Vec::new();
        let outcome = run(src, opts, &mut out, None);
        (String::from_utf8(out).expect("utf-8"), outcome)
    }

    /// After a run, every block is back in the pools (once the free lists are emptied).
    #[test]
    fn a_run_leaks_no_blocks() {
        crate::runtime::clear_freelists();
        let before = crate::runtime::allocated_blocks();
        let src = "import sys, gc\n\
            l = [i * 1000 for i in range(50)]\n\
            d = {str(i): [i, (i, 'x' * i)] for i in range(40)}\n\
            for k in list(d)[:10]:\n    del d[k]\n\
            a = []\na.append(a)\nb = {'self': None}\nb['self'] = b\ndel a, b\n\
            s = 'héllo 中文 😀' * 3\nparts = s.split()\n\
            def f(x):\n    return [x, x]\n\
            t = tuple(f(l))\n\
            print(sys.getsizeof(l), len(d), gc.collect(), parts[-1], len(t))\n";
        let (out, outcome) = run_capture(src, &RunOptions::default());
        assert!(matches!(outcome, Outcome::Ok), "{outcome:?}");
        assert!(out.ends_with(" 2 😀 2\n"), "{out}");
        crate::gc::collect(2);
        crate::runtime::clear_freelists();
        assert_eq!(crate::runtime::allocated_blocks(), before);
    }

    /// CPython 3.11 facts (checked against python3 by tests/run_scripts.rs): how a display is
    /// built decides its size; a constant is held by the arena and the code object.
    #[test]
    fn displays_and_constants_follow_cpython() {
        let src = "import sys\nx, y, z = 'a', 'b', 'c'\n\
            print(sys.getsizeof([1, 2, 3]), sys.getsizeof([x, y, z]), sys.getsizeof(list(range(3))))\n\
            n = 1000\nprint(sys.getrefcount(n))\n";
        let (out, outcome) = run_capture(src, &RunOptions::default());
        assert!(matches!(outcome, Outcome::Ok), "{outcome:?}");
        assert_eq!(out, "88 80 88\n4\n");
    }

    #[test]
    fn refusals_and_exceptions() {
        let (_, o) = run_capture("class A: pass\n", &RunOptions::default());
        assert!(
            matches!(&o, Outcome::Refused(m) if m.contains("class definition") && m.contains("line 1, column 1")),
            "{o:?}"
        );
        let (out, o) = run_capture("print(1)\n[][0]\n", &RunOptions::default());
        assert_eq!(out, "1\n");
        match o {
            Outcome::Exception(f) => {
                assert_eq!(f.traceback.last().map(|t| t.0), Some(2));
                let tb = format_traceback(&f, "t.py", "print(1)\n[][0]\n");
                assert!(
                    tb.ends_with("IndexError: list index out of range\n"),
                    "{tb}"
                );
            }
            other => panic!("{other:?}"),
        }
        let opts = RunOptions {
            limits: Limits {
                max_steps: 500,
                ..Limits::default()
            },
            ..RunOptions::default()
        };
        let (_, o) = run_capture("while True:\n    pass\n", &opts);
        assert!(
            matches!(&o, Outcome::Refused(m) if m.contains("step limit")),
            "{o:?}"
        );
    }

    #[test]
    fn layout_expression_must_be_one_expression() {
        assert!(eval_expr("x = 1", Limits::default()).is_err());
        assert!(eval_expr("1; 2", Limits::default()).is_err());
        let (o, _p) = eval_expr("[1, 2, 3]", Limits::default()).expect("ok");
        assert_eq!(o.getsizeof(), 88);
        assert_eq!(o.refcnt(), 1);
    }
}
