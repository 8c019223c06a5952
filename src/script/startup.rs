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

use std::collections::{BTreeSet, HashMap, HashSet};
use std::rc::Rc;

use num_bigint::BigInt;

use super::ast::*;
use super::lower::{ConstKey, Program, const_key};
use crate::object::Obj;
use crate::types::dict::PYDICT_MAXFREELIST as DICT_MAX_FREE;
use crate::types::list::PYLIST_MAXFREELIST as LIST_MAX_FREE;
use crate::types::tuple::PYTUPLE_MAXFREELIST as TUPLE_MAX_FREE;
use crate::types::tuple::PyTuple;

/// Generation 0's count at `_PyRun_SimpleFileObject` (3.11.7 on this image).
const START_COUNT: isize = 220;
/// The list and dict free lists then.
const START_LISTS: usize = 41;
const START_DICTS: usize = 7;
/// The tuple free lists then, sizes 1..=20.
const START_TUPLES: [usize; 20] = [4, 3, 2, 2, 3, 0, 8, 6, 1, 0, 1, 3, 5, 1, 2, 2, 2, 3, 1, 6];

/// `_PyRun_SimpleFileObject` to `_PyAST_Compile`: the `SourceFileLoader` set as `__loader__`,
/// the parser arena's list. `+`/`-`: a GC object made/freed; `X>`/`X<`: a pop/push on the free
/// list X (`L` list, `D` dict, `Tn` n-tuple).
const PRE_OPS: &str = "+ - T2> + L> T2<";

/// `PyEval_EvalCode` to the first statement after `import gc`: the module frame, `import gc`
/// through importlib, the gc module.
const RUN_OPS: &str = "+ T1> + T1< + + T1> + + + T1< - - T1> + + + T1< T1> + T2> + T2< - + + - T3> T3< - - T3> T3< \
    + + + + - + + D> D> T1> T1< T1> T1< - D< + - D< - - + + + - + - + - + - D> T2> + L> D< T2> T2< \
    T2< - - - - D> D> T1> T2> T2< + D> + + + + + + + + + + + + + + + + + + D< D< T1< T3> T3< T1> + \
    T1< - T1> + T1< - D> D> D< D< D> T1> T1< T2> T2< T3> + + - T3> T3< - D< T3< - T1< - - - - - -";

// The free lists' limits and generation 0's threshold: one place each, in the types and gc.
/// `PyTuple_MAXSAVESIZE`: 3.11.7 pops sizes below it but pushes sizes up to it.
const TUPLE_MAX_SAVE: usize = crate::types::tuple::PYTUPLE_MAXSAVESIZE;
const THRESHOLD0: isize = crate::gc::DEFAULT_THRESHOLDS[0];

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

#[derive(Clone, Copy, Debug)]
enum Fl {
    List,
    Dict,
    Tuple(usize),
}

struct Sim {
    count: isize,
    collections: usize,
    lists: usize,
    dicts: usize,
    tuples: [usize; TUPLE_MAX_SAVE + 1],
}

impl Sim {
    fn new() -> Sim {
        let mut tuples = [0; TUPLE_MAX_SAVE + 1];
        tuples[1..].copy_from_slice(&START_TUPLES);
        Sim {
            count: START_COUNT,
            collections: 0,
            lists: START_LISTS,
            dicts: START_DICTS,
            tuples,
        }
    }

    /// `_PyObject_GC_Link`: count it; past the threshold a young collection runs at once
    /// (nothing the compiler holds is garbage).
    fn alloc(&mut self) {
        self.count += 1;
        if self.count > THRESHOLD0 {
            self.count = 0;
            self.collections += 1;
        }
    }

    /// `PyObject_GC_Del`.
    fn free(&mut self) {
        if self.count > 0 {
            self.count -= 1;
        }
    }

    fn pop(&mut self, fl: Fl) {
        let slot = match fl {
            Fl::List => &mut self.lists,
            Fl::Dict => &mut self.dicts,
            Fl::Tuple(0) => return,
            Fl::Tuple(n) if n < TUPLE_MAX_SAVE => &mut self.tuples[n],
            Fl::Tuple(_) => return self.alloc(),
        };
        if *slot > 0 {
            *slot -= 1;
        } else {
            self.alloc();
        }
    }

    fn push(&mut self, fl: Fl) {
        let (slot, max) = match fl {
            Fl::List => (&mut self.lists, LIST_MAX_FREE),
            Fl::Dict => (&mut self.dicts, DICT_MAX_FREE),
            Fl::Tuple(0) => return,
            Fl::Tuple(n) if n <= TUPLE_MAX_SAVE => (&mut self.tuples[n], TUPLE_MAX_FREE),
            Fl::Tuple(_) => return self.free(),
        };
        if *slot < max {
            *slot += 1;
        } else {
            self.free();
        }
    }

    fn run(&mut self, ops: &str) {
        for op in ops.split_whitespace() {
            match op {
                "+" => self.alloc(),
                "-" => self.free(),
                _ => {
                    let (name, dir) = op.split_at(op.len() - 1);
                    let fl = match name {
                        "L" => Fl::List,
                        "D" => Fl::Dict,
                        t => Fl::Tuple(t[1..].parse().expect("tuple size")),
                    };
                    if dir == ">" {
                        self.pop(fl)
                    } else {
                        self.push(fl)
                    }
                }
            }
        }
    }
}

/// A constant as `_PyCode_ConstantKey` tells them apart.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    None,
    Int(BigInt),
    Bool(bool),
    Float(u64),
    Str(Rc<str>),
    Tuple(Vec<Key>),
    /// A code object (by identity).
    Code(usize),
    /// A bytes object: code, line table, exception table.
    Bytes(String),
}

impl Key {
    fn of(o: &Obj) -> Key {
        Key::from(const_key(o))
    }

    fn strs(names: &[Rc<str>]) -> Key {
        Key::Tuple(names.iter().map(|n| Key::Str(n.clone())).collect())
    }

    /// The tuples `_PyCode_ConstantKey` allocates for this constant, in order.
    fn key_tuples(&self, out: &mut Vec<usize>) {
        match self {
            Key::None | Key::Int(_) | Key::Str(_) | Key::Code(_) => {}
            Key::Bool(_) | Key::Bytes(_) => out.push(2),
            Key::Float(bits) => out.push(if *bits == (-0.0f64).to_bits() { 3 } else { 2 }),
            Key::Tuple(items) => {
                if !items.is_empty() {
                    out.push(items.len());
                }
                for i in items {
                    i.key_tuples(out);
                }
                out.push(2);
            }
        }
    }
}

impl From<ConstKey> for Key {
    fn from(k: ConstKey) -> Key {
        match k {
            ConstKey::None => Key::None,
            ConstKey::Int(i) => Key::Int(i),
            ConstKey::Bool(b) => Key::Bool(b),
            ConstKey::Float(bits) => Key::Float(bits),
            ConstKey::Str(s) => Key::Str(s.into()),
            ConstKey::Tuple(items) => Key::Tuple(items.into_iter().map(Key::from).collect()),
        }
    }
}

/// The compiler's constant cache (`c_const_cache`).
#[derive(Default)]
struct Cache {
    keys: HashSet<Key>,
    /// Sizes of the key tuples the cache holds until `compiler_free`.
    held: Vec<usize>,
}

#[derive(PartialEq, Eq)]
enum Merge {
    Hit,
    New,
}

/// One code unit being compiled (`struct compiler_unit`).
#[derive(Default)]
struct Unit {
    consts: Vec<Key>,
    const_index: HashMap<Key, usize>,
    names: Vec<Rc<str>>,
    name_index: HashMap<Rc<str>, usize>,
    /// Parameters first, then locals as the compiler meets them.
    varnames: Vec<Rc<str>>,
    nparams: usize,
    cells: BTreeSet<Rc<str>>,
    frees: BTreeSet<Rc<str>>,
    /// The instructions, names and constants by index (for "same bytecode").
    sig: String,
    /// The source's shape (for "same line table").
    shape: String,
    /// Whether the code being compiled can run (the CFG optimizer drops what cannot).
    dead: bool,
    /// The highest constant index a reachable `LOAD_CONST` uses (`trim_unused_consts`
    /// keeps `co_consts` up to it; index 0 always).
    used_max: usize,
}

impl Unit {
    fn add_const(&mut self, k: Key) -> usize {
        if let Some(&i) = self.const_index.get(&k) {
            return i;
        }
        self.consts.push(k.clone());
        self.const_index.insert(k, self.consts.len() - 1);
        self.consts.len() - 1
    }

    fn add_name(&mut self, n: &Rc<str>) -> usize {
        if let Some(&i) = self.name_index.get(n) {
            return i;
        }
        self.names.push(n.clone());
        self.name_index.insert(n.clone(), self.names.len() - 1);
        self.names.len() - 1
    }

    fn add_varname(&mut self, n: &Rc<str>) -> usize {
        if let Some(i) = self.varnames.iter().position(|v| v == n) {
            return i;
        }
        self.varnames.push(n.clone());
        self.varnames.len() - 1
    }

    /// Record an instruction of the signature (code the CFG optimizer drops has none).
    fn tok(&mut self, t: &str) {
        if !self.dead {
            self.sig.push_str(t);
            self.sig.push(' ');
        }
    }
}

/// A finished code object: its final constants, and the tuples it alone keeps alive (its
/// names/consts/local-names tuples whose keys were new to the cache).
struct CodeInfo {
    consts: Vec<Key>,
    own_tuples: Vec<usize>,
}

struct Compiler {
    sim: Sim,
    cache: Cache,
    units: Vec<Unit>,
    codes: Vec<CodeInfo>,
    /// Tuples the compiler built that went into the cache as new keys.
    built: Vec<Key>,
}

impl Compiler {
    fn unit(&mut self) -> &mut Unit {
        self.units.last_mut().expect("a unit")
    }

    /// `merge_consts_recursive` (every `LOAD_CONST`).
    fn merge_recursive(&mut self, k: &Key) -> Merge {
        if *k == Key::None {
            return Merge::Hit;
        }
        let mut sizes = Vec::new();
        k.key_tuples(&mut sizes);
        for &s in &sizes {
            self.sim.pop(Fl::Tuple(s));
        }
        if self.cache.keys.contains(k) {
            for &s in &sizes {
                self.sim.push(Fl::Tuple(s));
            }
            return Merge::Hit;
        }
        self.cache.keys.insert(k.clone());
        self.cache.held.extend(sizes);
        if let Key::Tuple(items) = k {
            for i in items {
                self.merge_recursive(i);
            }
        }
        Merge::New
    }

    /// `compiler_add_const` + `LOAD_CONST`.
    fn load_const(&mut self, k: Key) {
        self.merge_recursive(&k);
        let i = self.unit().add_const(k);
        self.use_const(i);
    }

    fn use_const(&mut self, i: usize) {
        let u = self.unit();
        if !u.dead {
            u.used_max = u.used_max.max(i);
        }
        u.tok(&format!("c{i}"));
    }

    /// `ADDOP_LOAD_CONST_NEW`: a tuple the compiler just built.
    fn load_const_new(&mut self, items: Vec<Key>) {
        let n = items.len();
        self.sim.pop(Fl::Tuple(n));
        let k = Key::Tuple(items);
        if self.merge_recursive(&k) == Merge::Hit {
            self.sim.push(Fl::Tuple(n));
        } else {
            self.built.push(k.clone());
        }
        let i = self.unit().add_const(k);
        self.use_const(i);
    }

    /// The tuple of a constant list display or of constant dict keys, which the compiler
    /// builds itself (`ADDOP_LOAD_CONST_NEW`).
    fn built_tuple(&mut self, code: &Code, e: &Expr) {
        match e {
            Expr::Const(i) => {
                let Key::Tuple(items) = self.const_of(code, *i) else {
                    unreachable!("a compiler-built constant is a tuple")
                };
                self.load_const_new(items);
            }
            other => self.expr(code, other),
        }
    }

    /// `merge_const_one`: one key, no recursion; on a hit the new object goes too.
    fn merge_one(&mut self, k: Key, fresh_tuple: Option<usize>) -> Merge {
        let mut sizes = Vec::new();
        k.key_tuples(&mut sizes);
        for &s in &sizes {
            self.sim.pop(Fl::Tuple(s));
        }
        if self.cache.keys.contains(&k) {
            for &s in &sizes {
                self.sim.push(Fl::Tuple(s));
            }
            if let Some(n) = fresh_tuple {
                self.sim.push(Fl::Tuple(n));
            }
            Merge::Hit
        } else {
            self.cache.keys.insert(k);
            self.cache.held.extend(sizes);
            Merge::New
        }
    }

    /// `compiler_enter_scope`.
    fn enter(&mut self, unit: Unit) {
        let s = &mut self.sim;
        s.pop(Fl::Dict); // u_varnames
        s.pop(Fl::Dict); // u_cellvars
        s.pop(Fl::List); // dictbytype's sorted keys
        s.push(Fl::List);
        s.pop(Fl::Dict); // u_freevars
        s.pop(Fl::List);
        s.push(Fl::List);
        s.pop(Fl::Dict); // u_consts
        s.pop(Fl::Dict); // u_names
        self.units.push(unit);
    }

    /// `assemble` + `makecode` + `compiler_exit_scope`; returns the code object's key.
    fn exit(&mut self) -> Key {
        let u = self.units.pop().expect("a unit");
        self.sim.pop(Fl::List); // the consts list
        self.merge_one(Key::Bytes(String::new()), None); // co_exceptiontable: b''
        self.merge_one(
            Key::Bytes(format!("L{}|{}", line_sig(&u.sig), u.shape)),
            None,
        );
        self.merge_one(Key::Bytes(format!("C{}", u.sig)), None);
        // Locals that became cells (read by an inner comprehension) are not fast locals
        // unless they are parameters.
        let mut lpn: Vec<Rc<str>> = u
            .varnames
            .iter()
            .enumerate()
            .filter(|(i, v)| *i < u.nparams || !u.cells.contains(*v))
            .map(|(_, v)| v.clone())
            .collect();
        let cells: Vec<Rc<str>> = u
            .cells
            .iter()
            .filter(|c| !u.varnames[..u.nparams].contains(c))
            .cloned()
            .collect();
        lpn.extend(cells);
        lpn.extend(u.frees.iter().cloned());
        let mut consts = u.consts.clone();
        consts.truncate(u.used_max + 1);
        let mut own_tuples = Vec::new();
        for (tuple, n) in [
            (Key::strs(&u.names), u.names.len()),
            (Key::Tuple(consts.clone()), consts.len()),
            (Key::strs(&lpn), lpn.len()),
        ] {
            self.sim.pop(Fl::Tuple(n));
            if self.merge_one(tuple, Some(n)) == Merge::New && n > 0 {
                own_tuples.push(n);
            }
        }
        self.sim.push(Fl::List);
        for _ in 0..5 {
            self.sim.push(Fl::Dict);
        }
        self.codes.push(CodeInfo { consts, own_tuples });
        Key::Code(self.codes.len() - 1)
    }

    /// `compiler_free`'s other frees: code objects the CFG optimizer dropped (only their
    /// cache key held them) take their own tuples along, and tuples the compiler built
    /// that no live code kept.
    fn dropped_tuples(&self, module: usize) -> Vec<usize> {
        let mut live_codes = HashSet::new();
        let mut live_tuples = HashSet::new();
        let mut stack: Vec<&Key> = self.codes[module].consts.iter().collect();
        live_codes.insert(module);
        while let Some(k) = stack.pop() {
            match k {
                Key::Code(id) if live_codes.insert(*id) => {
                    stack.extend(self.codes[*id].consts.iter());
                }
                Key::Tuple(items) => {
                    live_tuples.insert(k);
                    stack.extend(items.iter());
                }
                _ => {}
            }
        }
        let mut out = Vec::new();
        for (id, c) in self.codes.iter().enumerate() {
            if !live_codes.contains(&id) {
                out.extend(&c.own_tuples);
            }
        }
        for k in &self.built {
            if let Key::Tuple(items) = k
                && !live_tuples.contains(k)
            {
                out.push(items.len());
            }
        }
        out
    }

    fn const_of(&self, code: &Code, i: usize) -> Key {
        Key::of(&code.consts[i])
    }

    fn name(&mut self, n: &Name, op: &str) {
        match n {
            Name::Global(id) => {
                let i = self.unit().add_name(id);
                self.unit().tok(&format!("{op}g{i}"));
            }
            Name::Local(_, id) => {
                let i = self.unit().add_varname(id);
                self.unit().tok(&format!("{op}f{i}"));
            }
            Name::Outer(depth, _, id) => {
                let top = self.units.len() - 1;
                for k in 0..*depth {
                    self.units[top - k].frees.insert(id.clone());
                }
                self.units[top - depth].cells.insert(id.clone());
                self.unit().tok(&format!("{op}d{id}"));
            }
        }
    }

    fn attr(&mut self, id: &Rc<str>, op: &str) {
        let i = self.unit().add_name(id);
        self.unit().tok(&format!("{op}a{i}"));
    }

    fn stmts(&mut self, code: &Code, body: &[Stmt]) {
        for s in body {
            self.stmt(code, s);
        }
    }

    fn stmt(&mut self, code: &Code, s: &Stmt) {
        match &s.kind {
            StmtKind::Expr(Expr::Const(i))
                if std::ptr::eq(s, body_first(code))
                    && !code.docstring
                    && matches!(self.const_of(code, *i), Key::Str(_)) =>
            {
                // A str the optimizer folded into the first statement: ast_opt wraps it in
                // an f-string so it is no docstring, and the f-string is compiled.
                let k = self.const_of(code, *i);
                self.load_const(k);
                self.unit().tok("pop");
            }
            StmtKind::Expr(Expr::Const(_)) => {} // a constant statement compiles to nothing
            StmtKind::Expr(e) => {
                self.expr(code, e);
                self.unit().tok("pop");
            }
            StmtKind::Assign(targets, e) => {
                self.expr(code, e);
                for t in targets {
                    self.target(code, t, "st");
                }
            }
            StmtKind::AugAssign(t, op, e) => {
                match t {
                    Target::Name(n) => self.name(n, "ld"),
                    Target::Subscript(a, b) => {
                        self.expr(code, a);
                        self.expr(code, b);
                    }
                    Target::Tuple(..) => {}
                }
                self.expr(code, e);
                self.unit().tok(&format!("aug{op:?}"));
                self.target(code, t, "st");
            }
            StmtKind::Del(ts) => ts.iter().for_each(|t| self.target(code, t, "del")),
            StmtKind::If(c, a, b) => {
                self.unit().tok("if");
                let t = self.test(code, c);
                let r0 = !self.unit().dead;
                self.unit().dead = !(r0 && t != Some(false));
                self.stmts(code, a);
                let ra = !self.unit().dead;
                self.unit().tok("else");
                self.unit().dead = !(r0 && t != Some(true));
                self.stmts(code, b);
                let rb = !self.unit().dead;
                self.unit().dead = !(ra || rb);
                self.unit().tok("end");
            }
            StmtKind::While(c, a, b) => {
                self.unit().tok("while");
                let t = self.test(code, c);
                let r0 = !self.unit().dead;
                self.unit().dead = !(r0 && t != Some(false));
                self.stmts(code, a);
                self.unit().tok("else");
                self.unit().dead = !(r0 && t != Some(true));
                self.stmts(code, b);
                let rb = !self.unit().dead;
                self.unit().dead = !(rb || (r0 && has_break(a)));
                self.unit().tok("end");
            }
            StmtKind::For(t, it, a, b) => {
                self.expr(code, it);
                self.unit().tok("for");
                self.target(code, t, "st");
                let r0 = !self.unit().dead;
                self.stmts(code, a);
                self.unit().tok("else");
                self.unit().dead = !r0;
                self.stmts(code, b);
                let rb = !self.unit().dead;
                self.unit().dead = !(rb || (r0 && has_break(a)));
                self.unit().tok("end");
            }
            StmtKind::Break => {
                self.unit().tok("break");
                self.unit().dead = true;
            }
            StmtKind::Continue => {
                self.unit().tok("continue");
                self.unit().dead = true;
            }
            // A NOP, removed when the next instruction is on its line: the implicit
            // `return None` after a unit's last statement is.
            StmtKind::Pass if std::ptr::eq(s, body_last(code)) => {}
            StmtKind::Pass => self.unit().tok("pass"),
            StmtKind::Return(e) => {
                match e {
                    Some(e) => self.expr(code, e),
                    None => self.load_const(Key::None),
                }
                self.unit().tok("ret");
                self.unit().dead = true;
            }
            StmtKind::Def(n, f) => {
                self.function(f);
                self.name(n, "st");
            }
            StmtKind::Import { module, attr, name } => {
                self.load_const(Key::Int(BigInt::from(0)));
                let m: Rc<str> = module.name().into();
                match attr {
                    None => {
                        self.load_const(Key::None);
                        self.attr(&m, "imp");
                    }
                    Some(a) => {
                        self.load_const_new(vec![Key::Str(a.clone())]);
                        self.attr(&m, "imp");
                        self.attr(a, "from");
                    }
                }
                self.name(name, "st");
            }
            StmtKind::Assert(c, m) => {
                self.unit().tok("assert");
                self.expr(code, c);
                if let Some(m) = m {
                    self.expr(code, m);
                }
            }
        }
    }

    /// An `if`/`while` test. A constant test is decided at compile time: its `LOAD_CONST`
    /// and one branch go (`optimize_basic_block`, then unreachable-block removal).
    fn test(&mut self, code: &Code, c: &Expr) -> Option<bool> {
        let Expr::Const(i) = c else {
            self.expr(code, c);
            return None;
        };
        let k = self.const_of(code, *i);
        let t = truth(&k);
        let was = self.unit().dead;
        self.unit().dead = true;
        self.load_const(k);
        self.unit().dead = was;
        Some(t)
    }

    fn target(&mut self, code: &Code, t: &Target, op: &str) {
        match t {
            Target::Name(n) => self.name(n, op),
            Target::Subscript(a, b) => {
                self.expr(code, a);
                self.expr(code, b);
                self.unit().tok(&format!("{op}sub"));
            }
            Target::Tuple(ts, _) => {
                self.unit().tok(&format!("unpack{}", ts.len()));
                ts.iter().for_each(|x| self.target(code, x, op));
            }
        }
    }

    fn kwnames(&mut self, kwargs: &[(Rc<str>, Expr)]) {
        if !kwargs.is_empty() {
            self.load_const_new(kwargs.iter().map(|(k, _)| Key::Str(k.clone())).collect());
        }
    }

    fn expr(&mut self, code: &Code, e: &Expr) {
        match e {
            Expr::Lit(o) => self.load_const(Key::of(o)),
            Expr::Const(i) => {
                let k = self.const_of(code, *i);
                self.load_const(k)
            }
            Expr::Name(n) => self.name(n, "ld"),
            Expr::List { items, .. } => {
                self.unit().tok(&format!("list{}", items.len()));
                items.iter().for_each(|x| self.expr(code, x));
            }
            Expr::Tuple(items) => {
                self.unit().tok(&format!("tuple{}", items.len()));
                items.iter().for_each(|x| self.expr(code, x));
            }
            Expr::BoolOp(and, items) => {
                // `LOAD_CONST` + `JUMP_IF_FALSE_OR_POP` (`and`) / `JUMP_IF_TRUE_OR_POP` (`or`):
                // a constant that decides the result stays and what follows is dead; one that
                // does not is dropped.
                self.unit().tok(if *and { "and" } else { "or" });
                let was = self.unit().dead;
                for (i, x) in items.iter().enumerate() {
                    let last = i + 1 == items.len();
                    match x {
                        Expr::Const(c) if !last => {
                            let k = self.const_of(code, *c);
                            let decides = truth(&k) != *and;
                            let d = self.unit().dead;
                            self.unit().dead = d || !decides;
                            self.load_const(k);
                            self.unit().dead = d || decides;
                        }
                        _ => self.expr(code, x),
                    }
                }
                self.unit().dead = was;
            }
            Expr::ConstList(x) => {
                self.unit().tok("constlist");
                self.built_tuple(code, x);
            }
            Expr::Unary(op, x) => {
                self.expr(code, x);
                self.unit().tok(&format!("{op:?}"));
            }
            Expr::Attr(x, a) => {
                self.expr(code, x);
                self.attr(a, "ld");
            }
            Expr::Dict(chunks) => {
                for c in chunks {
                    match c {
                        DictChunk::Map(ps) | DictChunk::Big(ps) => {
                            self.unit().tok(&format!("map{}", ps.len()));
                            for (k, v) in ps {
                                self.expr(code, k);
                                self.expr(code, v);
                            }
                        }
                        DictChunk::ConstKeys(k, vs) => {
                            self.unit().tok(&format!("constmap{}", vs.len()));
                            vs.iter().for_each(|x| self.expr(code, x));
                            self.built_tuple(code, k);
                        }
                    }
                }
            }
            Expr::BinOp(op, a, b) => {
                self.expr(code, a);
                self.expr(code, b);
                self.unit().tok(&format!("{op:?}"));
            }
            Expr::Subscript(a, b) => {
                self.expr(code, a);
                self.expr(code, b);
                self.unit().tok("sub");
            }
            Expr::Compare(a, rest) => {
                self.expr(code, a);
                for (op, x) in rest {
                    self.expr(code, x);
                    self.unit().tok(&format!("{op:?}"));
                }
            }
            Expr::IfExp(a, b, c) => {
                self.unit().tok("ifexp");
                let t = self.test(code, a);
                let was = self.unit().dead;
                self.unit().dead = was || t == Some(false);
                self.expr(code, b);
                self.unit().dead = was || t == Some(true);
                self.expr(code, c);
                self.unit().dead = was;
            }
            Expr::Call { func, args, kwargs } => {
                self.expr(code, func);
                args.iter().for_each(|x| self.expr(code, x));
                kwargs.iter().for_each(|(_, x)| self.expr(code, x));
                self.kwnames(kwargs);
                self.unit()
                    .tok(&format!("call{}", args.len() + kwargs.len()));
            }
            Expr::MethodCall {
                recv,
                name,
                args,
                kwargs,
            } => {
                self.expr(code, recv);
                self.attr(name, "meth");
                args.iter().for_each(|x| self.expr(code, x));
                kwargs.iter().for_each(|(_, x)| self.expr(code, x));
                self.kwnames(kwargs);
                self.unit()
                    .tok(&format!("call{}", args.len() + kwargs.len()));
            }
            Expr::Slice(a, b, c) => {
                self.unit().tok("slice");
                for x in [a, b] {
                    match x {
                        Some(x) => self.expr(code, x),
                        None => self.load_const(Key::None),
                    }
                }
                if let Some(c) = c {
                    self.unit().tok("step");
                    self.expr(code, c);
                }
            }
            Expr::Comp(c) => {
                self.comprehension(code, c);
            }
        }
    }

    fn function(&mut self, f: &FuncDef) {
        let code = &f.code;
        let mut unit = Unit {
            nparams: f.nparams,
            shape: code.shape.clone(),
            ..Unit::default()
        };
        for p in &code.locals[..f.nparams] {
            unit.add_varname(p);
        }
        self.enter(unit);
        // co_consts[0]: the docstring, or None.
        let mut body: &[Stmt] = &code.body;
        let doc = match body.first().map(|s| &s.kind) {
            Some(StmtKind::Expr(Expr::Const(i))) if code.docstring => {
                body = &body[1..];
                self.const_of(code, *i)
            }
            _ => Key::None,
        };
        self.merge_recursive(&doc);
        self.unit().add_const(doc);
        self.stmts(code, body);
        // The implicit `return None` (None is co_consts[0] or already there).
        self.load_const(Key::None);
        self.unit().tok("ret");
        let k = self.exit();
        // compiler_make_closure: LOAD_CONST code, MAKE_FUNCTION (3.11: no qualname).
        self.load_const(k);
        self.unit().tok("mkfn");
    }

    fn comprehension(&mut self, outer: &Code, c: &Comp) {
        let code = &c.code;
        let mut unit = Unit {
            nparams: 1,
            shape: code.shape.clone(),
            ..Unit::default()
        };
        unit.add_varname(&Rc::from(".0"));
        unit.tok(if c.dict { "dictcomp" } else { "listcomp" });
        self.enter(unit);
        for (i, g) in c.gens.iter().enumerate() {
            if i > 0 {
                match &g.iter {
                    // A one-item display as an inner iterable: just the item.
                    Expr::Tuple(items) | Expr::List { items, .. } if items.len() == 1 => {
                        self.expr(code, &items[0])
                    }
                    it => self.expr(code, it),
                }
            }
            self.unit().tok("for");
            self.target(code, &g.target, "st");
            for x in &g.ifs {
                self.unit().tok("if");
                self.expr(code, x);
            }
        }
        self.expr(code, &c.elt);
        if let Some(v) = &c.value {
            self.expr(code, v);
        }
        let k = self.exit();
        self.load_const(k);
        self.unit().tok("mkfn");
        self.expr(outer, &c.gens[0].iter);
    }
}

/// The line table holds, per instruction, its size in code units and its source position:
/// units whose instructions have the same sizes at the same positions share it even when the
/// code differs (`x + 1` and `y * 2`). So the instruction signature loses what does not change
/// sizes — which constant, which local, which arithmetic or rich-comparison operator, list or
/// tuple — and the source shape keeps only where tokens are.
fn line_sig(sig: &str) -> String {
    let class = |t: &str| -> String {
        let digits = |p: &str| {
            t.strip_prefix(p)
                .is_some_and(|r| r.chars().all(|c| c.is_ascii_digit()))
        };
        for p in ["c", "ldf", "stf", "delf"] {
            if digits(p) {
                return "1".into();
            }
        }
        for p in ["ldd", "std", "deld"] {
            if t.starts_with(p) {
                return "1".into();
            }
        }
        for p in [
            "ldg", "stg", "delg", "lda", "sta", "dela", "meth", "imp", "from",
        ] {
            if t.starts_with(p) {
                return p.into();
            }
        }
        match t {
            "Add" | "Sub" | "Mul" | "Div" | "FloorDiv" | "Mod" | "Pow" | "LShift" | "RShift"
            | "BitAnd" | "BitOr" | "BitXor" => "binop".into(),
            "Eq" | "Ne" | "Lt" | "Le" | "Gt" | "Ge" => "cmp".into(),
            "In" | "NotIn" => "in".into(),
            "Is" | "IsNot" => "is".into(),
            "Neg" | "Pos" | "Invert" | "Not" => "unary".into(),
            _ if t.starts_with("aug") => "aug".into(),
            _ if t.starts_with("list") && t[4..].chars().all(|c| c.is_ascii_digit()) => {
                "build".into()
            }
            _ if t.starts_with("tuple") => "build".into(),
            _ => t.into(),
        }
    };
    sig.split_whitespace()
        .map(class)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first statement of a code's body (a sentinel address when it has none).
fn body_first(code: &Code) -> *const Stmt {
    code.body
        .first()
        .map_or(std::ptr::null(), |s| s as *const Stmt)
}

/// The last statement of a code's body (a sentinel address when it has none).
fn body_last(code: &Code) -> *const Stmt {
    code.body
        .last()
        .map_or(std::ptr::null(), |s| s as *const Stmt)
}

/// A constant's truth value.
fn truth(k: &Key) -> bool {
    match k {
        Key::None => false,
        Key::Int(v) => *v != BigInt::from(0),
        Key::Bool(b) => *b,
        Key::Float(bits) => f64::from_bits(*bits) != 0.0,
        Key::Str(s) => !s.is_empty(),
        Key::Tuple(items) => !items.is_empty(),
        Key::Code(_) | Key::Bytes(_) => true,
    }
}

/// Whether a loop body can `break` out of this loop.
fn has_break(body: &[Stmt]) -> bool {
    body.iter().any(|s| match &s.kind {
        StmtKind::Break => true,
        StmtKind::If(_, a, b) => has_break(a) || has_break(b),
        _ => false,
    })
}

/// The symbol table's blocks: each node's children in the order `symtable.c` creates them.
#[derive(Default)]
struct Block {
    children: Vec<Block>,
}

fn blocks_stmts(body: &[Stmt], out: &mut Vec<Block>) {
    for s in body {
        match &s.kind {
            StmtKind::Expr(e) | StmtKind::Return(Some(e)) => blocks_expr(e, out),
            StmtKind::Assign(ts, e) => {
                ts.iter().for_each(|t| blocks_target(t, out));
                blocks_expr(e, out);
            }
            StmtKind::AugAssign(t, _, e) => {
                blocks_target(t, out);
                blocks_expr(e, out);
            }
            StmtKind::Del(ts) => ts.iter().for_each(|t| blocks_target(t, out)),
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
            StmtKind::Def(_, f) => {
                let mut b = Block::default();
                blocks_stmts(&f.code.body, &mut b.children);
                out.push(b);
            }
            StmtKind::Assert(c, m) => {
                blocks_expr(c, out);
                if let Some(m) = m {
                    blocks_expr(m, out);
                }
            }
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
        Target::Subscript(a, b) => {
            blocks_expr(a, out);
            blocks_expr(b, out);
        }
        Target::Tuple(ts, _) => ts.iter().for_each(|x| blocks_target(x, out)),
    }
}

fn blocks_expr(e: &Expr, out: &mut Vec<Block>) {
    match e {
        Expr::Lit(_) | Expr::Const(_) | Expr::Name(_) => {}
        Expr::List { items, .. } | Expr::Tuple(items) | Expr::BoolOp(_, items) => {
            items.iter().for_each(|x| blocks_expr(x, out))
        }
        Expr::ConstList(x) | Expr::Unary(_, x) | Expr::Attr(x, _) => blocks_expr(x, out),
        Expr::Dict(chunks) => {
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
        Expr::BinOp(_, a, b) | Expr::Subscript(a, b) => {
            blocks_expr(a, out);
            blocks_expr(b, out);
        }
        Expr::Compare(a, rest) => {
            blocks_expr(a, out);
            rest.iter().for_each(|(_, x)| blocks_expr(x, out));
        }
        Expr::IfExp(a, b, c) => {
            blocks_expr(a, out);
            blocks_expr(b, out);
            blocks_expr(c, out);
        }
        Expr::Call { func, args, kwargs } => {
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

fn count_blocks(bs: &[Block]) -> usize {
    bs.iter().map(|b| 1 + count_blocks(&b.children)).sum()
}

/// `analyze_block`: a `scopes` dict per block, taken on entry, returned on exit.
fn analyze(sim: &mut Sim, b: &Block) {
    sim.pop(Fl::Dict);
    for c in &b.children {
        analyze(sim, c);
    }
    sim.push(Fl::Dict);
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
