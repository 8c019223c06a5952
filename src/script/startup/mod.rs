//! What CPython 3.11 allocates before a script's first line runs, and so where generation 0's
//! count and the free lists stand when it does.
//!
//! `python3 FILE` parses and compiles the whole file before running line 1, and the compiler
//! makes and frees GC objects of its own: symbol-table dicts and lists, five dicts per code
//! unit, the key tuples of its constant cache, each code object's `co_names`, `co_consts` and
//! local-name tuples. Most come from and go back to the list, dict and tuple free lists, so
//! what they cost the count depends on the script, and what they leave on the free lists
//! decides which of the script's own allocations count later. Measured 245–280 for small
//! scripts, not additive per construct.
//!
//! This module replays that traffic for a compiled [`Program`], in CPython's order:
//!
//! 1. `PRE_OPS`: `_PyRun_SimpleFileObject` up to the compiler (fixed);
//! 2. the compiler: `compiler_init`, the AST optimizer's folded tuples (they live in the
//!    parser's arena: our [`Program::arena`] holds the same objects), the symbol table (per
//!    block a dict and two lists; one temporary dict per block while analysing), every code
//!    unit's scope dicts, every `LOAD_CONST` through `merge_consts_recursive` (float, bool and
//!    tuple constants make key tuples; a key already cached is freed at once), the tuples the
//!    compiler builds itself (keyword names, constant list displays, constant dict keys,
//!    `from` lists), `assemble`/`makecode` per unit (the code, line-table and exception-table
//!    bytes and the names/consts/local-names tuples, each merged into the cache), and
//!    `compiler_free`, which returns the rest to the free lists;
//! 3. `RUN_OPS`: from `PyEval_EvalCode` through `import gc` (fixed).
//!
//! A pop from an empty free list is an allocation (+1, and a collection past 700); a push to a
//! full one is a free (−1). The fixed sequences and the start state were traced with gdb
//! watchpoints on a debug-info CPython 3.11.7 (`tools/gc_startup/`), for this image's
//! start-up (its site-packages `.pth` files included).
//!
//! Where we cannot know CPython's bytes (whether two code units compile to identical
//! bytecode and line tables, which makes their keys hit the cache), units compare equal when
//! their lowered bodies match with names and constants by index and their source has the same
//! shape (the same characters at the same columns, identifiers and literals masked).
//!
//! | file | mirrors | what is in it |
//! |---|---|---|
//! | `mod.rs` | `_PyRun_SimpleFileObject` to `import gc` | [`StartState`], [`start_state`]: the replay, step by step |
//! | `sim.rs` | `_PyObject_GC_Link`, the free lists | the measured start state and fixed sequences; the count and free-list simulator |
//! | `symtable.rs` | `Python/symtable.c` | the symbol table's blocks and `analyze_block`'s dicts |
//! | `compiler.rs` | `Python/compile.c`: units, constant cache, `assemble`/`makecode` | constant keys, merging, entering and leaving a code unit, what `compiler_free` drops |
//! | `codegen.rs` | `compiler_visit_stmt` / `compiler_visit_expr` | the walk over the lowered code that issues names, constants and instructions |

mod codegen;
mod compiler;
mod sim;
mod symtable;

use hashbrown::HashSet;

use super::ast::*;
use super::lower::Program;
use crate::types::tuple::PyTuple;
use compiler::{Cache, Compiler, Key, Unit};
use sim::{Fl, PRE_OPS, RUN_OPS, Sim};
use symtable::{Block, analyze, blocks_stmts, count_blocks};

/// Where the count and the free lists stand at the first statement after `import gc`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StartState {
    /// `gc.get_count()[0]`.
    pub count: isize,
    /// Young collections the compiler's allocations started (each adds 1 to generation 1).
    pub collections: usize,
    /// The list free list.
    pub lists: usize,
    /// The dict free list.
    pub dicts: usize,
    /// The tuple free lists, sizes 1..=20.
    pub tuples: [usize; 20],
}

/// Where CPython 3.11.7 running `python3 FILE` with this program stands after `import gc`
/// as the first statement: generation 0's count and the free lists.
pub fn start_state(program: &Program) -> StartState {
    let mut sim = Sim::new();
    sim.run(PRE_OPS);
    // compiler_init: c_const_cache, c_stack.
    sim.pop(Fl::Dict);
    sim.pop(Fl::List);
    // _PyAST_Optimize: every folded tuple (they stay in the arena).
    let mut seen = HashSet::new();
    for o in &program.arena {
        if let Ok(t) = PyTuple::from_obj(o.clone())
            && seen.insert(o.id())
        {
            sim.pop(Fl::Tuple(t.len()));
        }
    }
    // _PySymtable_Build: st_stack, st_blocks; per block ste_symbols, ste_varnames,
    // ste_children; then symtable_analyze.
    let mut top = Block::default();
    blocks_stmts(&program.code.body, &mut top.children);
    let nblocks = 1 + count_blocks(&top.children);
    sim.pop(Fl::List);
    sim.pop(Fl::Dict);
    for _ in 0..nblocks {
        sim.pop(Fl::Dict);
        sim.pop(Fl::List);
        sim.pop(Fl::List);
    }
    analyze(&mut sim, &top);
    // compiler_mod.
    let mut c = Compiler {
        sim,
        cache: Cache::default(),
        units: Vec::new(),
        codes: Vec::new(),
        built: Vec::new(),
    };
    let module = &program.code;
    c.enter(Unit {
        shape: "<module>".into(),
        ..Unit::default()
    });
    let mut body: &[Stmt] = &module.body;
    if let Some(StmtKind::Expr(Expr::Const(i))) = body.first().map(|s| &s.kind)
        && module.docstring
    {
        // The module docstring: `__doc__ = "..."`.
        let k = c.const_of(module, *i);
        c.load_const(k);
        c.name(&Name::Global("__doc__".into()), "st");
        body = &body[1..];
    }
    c.stmts(module, body);
    c.load_const(Key::None);
    c.unit().tok("ret");
    let Key::Code(module_id) = c.exit() else {
        unreachable!("exit returns a code key")
    };
    let dropped = c.dropped_tuples(module_id);
    // compiler_free.
    let mut sim = c.sim;
    for _ in 0..nblocks {
        sim.push(Fl::Dict);
        sim.push(Fl::List);
        sim.push(Fl::List);
    }
    sim.push(Fl::Dict);
    sim.push(Fl::List);
    for &s in c.cache.held.iter().chain(&dropped) {
        sim.push(Fl::Tuple(s));
    }
    sim.push(Fl::Dict);
    sim.push(Fl::List);
    sim.run(RUN_OPS);
    let mut tuples = [0; 20];
    tuples.copy_from_slice(&sim.tuples[1..]);
    StartState {
        count: sim.count,
        collections: sim.collections,
        lists: sim.lists,
        dicts: sim.dicts,
        tuples,
    }
}
