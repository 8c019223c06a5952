//! The compiler's own objects (`Python/compile.c`, 3.11): constant keys as
//! `_PyCode_ConstantKey` makes them, the constant cache (`c_const_cache`) and its merges
//! (`merge_consts_recursive`, `merge_const_one`), a code unit (`struct compiler_unit`) from
//! `compiler_enter_scope` to `assemble`/`makecode`/`compiler_exit_scope`, and what
//! `compiler_free` frees at the end. Every step pops and pushes on the simulated free lists.

use std::collections::BTreeSet;

use hashbrown::{HashMap, HashSet};
use std::rc::Rc;

use num_bigint::BigInt;

use super::sim::{Fl, Sim};
use crate::object::Obj;
use crate::script::ast::Code;
use crate::script::lower::{ConstKey, const_key};

/// A constant as `_PyCode_ConstantKey` tells them apart.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) enum Key {
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
    pub(super) fn of(o: &Obj) -> Key {
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
pub(super) struct Cache {
    pub(super) keys: HashSet<Key>,
    /// Sizes of the key tuples the cache holds until `compiler_free`.
    pub(super) held: Vec<usize>,
}

#[derive(PartialEq, Eq)]
pub(super) enum Merge {
    Hit,
    New,
}

/// One code unit being compiled (`struct compiler_unit`).
#[derive(Default)]
pub(super) struct Unit {
    pub(super) consts: Vec<Key>,
    pub(super) const_index: HashMap<Key, usize>,
    pub(super) names: Vec<Rc<str>>,
    pub(super) name_index: HashMap<Rc<str>, usize>,
    /// Parameters first, then locals as the compiler meets them.
    pub(super) varnames: Vec<Rc<str>>,
    pub(super) nparams: usize,
    pub(super) cells: BTreeSet<Rc<str>>,
    pub(super) frees: BTreeSet<Rc<str>>,
    /// The slots of the code's cell and free variables (their names are `cells`, `frees`).
    pub(super) deref_slots: Vec<usize>,
    /// The instructions, names and constants by index (for "same bytecode").
    pub(super) sig: String,
    /// The source's shape (for "same line table").
    pub(super) shape: String,
    /// Whether the code being compiled can run (the CFG optimizer drops what cannot).
    pub(super) dead: bool,
    /// The highest constant index a reachable `LOAD_CONST` uses (`trim_unused_consts`
    /// keeps `co_consts` up to it; index 0 always).
    pub(super) used_max: usize,
    /// Whether it has a `try` (its exception table is not `b''`).
    pub(super) handlers: bool,
    /// Constant tuples the CFG optimizer folds from `BUILD_TUPLE` of constants
    /// (`fold_tuple_on_constants`: a `def`'s defaults), in code order.
    pub(super) folds: Vec<Vec<Key>>,
}

impl Unit {
    /// Take the code's cell and free variables (`co_cellvars`, `co_freevars`).
    pub(super) fn derefs_of(&mut self, code: &Code) {
        for &i in &code.cellvars {
            self.cells.insert(code.locals[i].clone());
            self.deref_slots.push(i);
        }
        for &(i, _) in &code.freevars {
            self.frees.insert(code.locals[i].clone());
            self.deref_slots.push(i);
        }
    }

    pub(super) fn add_const(&mut self, k: Key) -> usize {
        if let Some(&i) = self.const_index.get(&k) {
            return i;
        }
        self.consts.push(k.clone());
        self.const_index.insert(k, self.consts.len() - 1);
        self.consts.len() - 1
    }

    pub(super) fn add_name(&mut self, n: &Rc<str>) -> usize {
        if let Some(&i) = self.name_index.get(n) {
            return i;
        }
        self.names.push(n.clone());
        self.name_index.insert(n.clone(), self.names.len() - 1);
        self.names.len() - 1
    }

    pub(super) fn add_varname(&mut self, n: &Rc<str>) -> usize {
        if let Some(i) = self.varnames.iter().position(|v| v == n) {
            return i;
        }
        self.varnames.push(n.clone());
        self.varnames.len() - 1
    }

    /// Record an instruction of the signature (code the CFG optimizer drops has none).
    pub(super) fn tok(&mut self, t: &str) {
        if !self.dead {
            self.sig.push_str(t);
            self.sig.push(' ');
        }
    }
}

/// A finished code object: its final constants, and the tuples it alone keeps alive (its
/// names/consts/local-names tuples whose keys were new to the cache).
pub(super) struct CodeInfo {
    pub(super) consts: Vec<Key>,
    pub(super) own_tuples: Vec<usize>,
}

pub(super) struct Compiler {
    pub(super) sim: Sim,
    pub(super) cache: Cache,
    pub(super) units: Vec<Unit>,
    pub(super) codes: Vec<CodeInfo>,
    /// Tuples the compiler built that went into the cache as new keys.
    pub(super) built: Vec<Key>,
}

impl Compiler {
    pub(super) fn unit(&mut self) -> &mut Unit {
        self.units.last_mut().expect("a unit")
    }

    /// `merge_consts_recursive` (every `LOAD_CONST`).
    pub(super) fn merge_recursive(&mut self, k: &Key) -> Merge {
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
    pub(super) fn load_const(&mut self, k: Key) {
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
    pub(super) fn load_const_new(&mut self, items: Vec<Key>) {
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
    pub(super) fn enter(&mut self, unit: Unit) {
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
    pub(super) fn exit(&mut self) -> Key {
        let mut u = self.units.pop().expect("a unit");
        self.sim.pop(Fl::List); // the consts list
        // optimize_cfg: each folded tuple is new, merged (merge_const_one), and appended to
        // co_consts unless there already.
        for items in std::mem::take(&mut u.folds) {
            let n = items.len();
            self.sim.pop(Fl::Tuple(n));
            let k = Key::Tuple(items);
            if self.merge_one(k.clone(), Some(n)) == Merge::New {
                self.built.push(k.clone());
            }
            let i = u.add_const(k);
            u.used_max = u.used_max.max(i);
        }
        // co_exceptiontable: b'' without a `try`; with one, its own bytes (as the code's).
        let table = if u.handlers {
            format!("E{}|{}", u.sig, u.shape)
        } else {
            String::new()
        };
        self.merge_one(Key::Bytes(table), None);
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
    pub(super) fn dropped_tuples(&self, module: usize) -> Vec<usize> {
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
