//! The state CPython 3.11.7 starts a script from, and the simulator that replays allocations
//! against it: generation 0's count (`_PyObject_GC_Link` counts, `PyObject_GC_Del`
//! uncounts, past the threshold a young collection runs) and the list, dict and tuple free
//! lists (a pop from an empty list allocates, a push to a full one frees). The numbers and
//! the fixed op sequences were traced with gdb on this image's `python3` (see the module
//! docs of [`super`]).

use crate::types::dict::PYDICT_MAXFREELIST as DICT_MAX_FREE;
use crate::types::list::PYLIST_MAXFREELIST as LIST_MAX_FREE;
use crate::types::tuple::PYTUPLE_MAXFREELIST as TUPLE_MAX_FREE;

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
pub(super) const PRE_OPS: &str = "+ - T2> + L> T2<";

/// `PyEval_EvalCode` to the first statement after `import gc`: the module frame, `import gc`
/// through importlib, the gc module.
pub(super) const RUN_OPS: &str = "+ T1> + T1< + + T1> + + + T1< - - T1> + + + T1< T1> + T2> + T2< - + + - T3> T3< - - T3> T3< \
    + + + + - + + D> D> T1> T1< T1> T1< - D< + - D< - - + + + - + - + - + - D> T2> + L> D< T2> T2< \
    T2< - - - - D> D> T1> T2> T2< + D> + + + + + + + + + + + + + + + + + + D< D< T1< T3> T3< T1> + \
    T1< - T1> + T1< - D> D> D< D< D> T1> T1< T2> T2< T3> + + - T3> T3< - D< T3< - T1< - - - - - -";

// The free lists' limits and generation 0's threshold: one place each, in the types and gc.
/// `PyTuple_MAXSAVESIZE`: 3.11.7 pops sizes below it but pushes sizes up to it.
const TUPLE_MAX_SAVE: usize = crate::types::tuple::PYTUPLE_MAXSAVESIZE;
const THRESHOLD0: isize = crate::gc::DEFAULT_THRESHOLDS[0];

#[derive(Clone, Copy, Debug)]
pub(super) enum Fl {
    List,
    Dict,
    Tuple(usize),
}

pub(super) struct Sim {
    pub(super) count: isize,
    pub(super) collections: usize,
    pub(super) lists: usize,
    pub(super) dicts: usize,
    pub(super) tuples: [usize; TUPLE_MAX_SAVE + 1],
}

impl Sim {
    pub(super) fn new() -> Sim {
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

    pub(super) fn pop(&mut self, fl: Fl) {
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

    pub(super) fn push(&mut self, fl: Fl) {
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

    pub(super) fn run(&mut self, ops: &str) {
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
