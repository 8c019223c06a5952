//! `list` against the real interpreter: random operation programs run by python3 and by our
//! list, comparing after every step `sys.getsizeof`, the contents, and `ob_size` /
//! `allocated` read with `ctypes` at our field offsets; and `pylayout grow list --json`
//! against a list grown by python3, and, above the allocation limit, against CPython 3.11's
//! `list_resize` rule evaluated in python3 (after checking it on a real list there).

mod common;

use common::{Rng, assert_python_311, check_step_programs, pylayout, python_io};
use pylayout::object::{OB_SIZE_OFFSET, Obj};
use pylayout::types::int::PyInt;
use pylayout::types::list::{ALLOCATED_OFFSET, PyList};
use pylayout::types::ops;

/// List-program inputs drawn from the shared generator.
trait ListInputs {
    fn index(&mut self, len: usize) -> i64;
    fn value(&mut self) -> i64;
}

impl ListInputs for Rng {
    fn index(&mut self, len: usize) -> i64 {
        // Mostly valid indices, some negative, some out of range.
        self.below(len as u64 * 2 + 4) as i64 - len as i64 - 2
    }
    fn value(&mut self) -> i64 {
        match self.below(3) {
            0 => self.below(300) as i64 - 10,
            1 => self.below(1_000_000) as i64,
            _ => (self.next() >> 2) as i64 - (1 << 61),
        }
    }
}

#[derive(Clone, Debug)]
enum Op {
    Append(i64),
    Insert(i64, i64),
    ExtendList(Vec<i64>),
    ExtendRange(u64),
    ExtendGen(u64),
    Pop,
    PopAt(i64),
    DelItem(i64),
    Remove(i64),
    Clear,
    DelSlice(i64, i64),
    SetSlice(i64, i64, Vec<i64>),
    DelStep(u64),
    IMul(i64),
    IAdd(Vec<i64>),
    Reverse,
    Sort,
    Slice(i64, i64),
    Copy,
    Concat(Vec<i64>),
    Mul(i64),
    ListOf,
    Display(Vec<i64>),
}

fn values(rng: &mut Rng, max: u64) -> Vec<i64> {
    (0..rng.below(max + 1)).map(|_| rng.value()).collect()
}

fn gen_op(rng: &mut Rng, len: usize) -> Op {
    match rng.below(23) {
        0..=2 => Op::Append(rng.value()),
        3 => Op::Insert(rng.index(len), rng.value()),
        4 => Op::ExtendList(values(rng, 30)),
        5 => Op::ExtendRange(rng.below(40)),
        6 => Op::ExtendGen(rng.below(20)),
        7 => Op::Pop,
        8 => Op::PopAt(rng.index(len)),
        9 => Op::DelItem(rng.index(len)),
        10 => Op::Remove(rng.value() % 5),
        11 => Op::Clear,
        12 => Op::DelSlice(rng.index(len), rng.index(len)),
        13 => Op::SetSlice(rng.index(len), rng.index(len), values(rng, 20)),
        14 => Op::DelStep(2 + rng.below(3)),
        15 => Op::IMul(rng.below(4) as i64),
        16 => Op::IAdd(values(rng, 10)),
        17 => Op::Reverse,
        18 => Op::Sort,
        19 => Op::Slice(rng.index(len), rng.index(len)),
        20 => match rng.below(3) {
            0 => Op::Copy,
            1 => Op::Concat(values(rng, 10)),
            _ => Op::ListOf,
        },
        21 => Op::Mul(rng.below(4) as i64),
        _ => Op::Display(values(rng, 6)),
    }
}

fn py_list(v: &[i64]) -> String {
    // Build the list at run time so the compiler's constant folding plays no part.
    format!(
        "list_of([{}])",
        v.iter()
            .map(|x| format!("int('{x}')"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// The statement python3 runs for `op`; errors are caught and printed by the harness.
fn python_stmt(op: &Op) -> String {
    match op {
        Op::Append(x) => format!("a.append(int('{x}'))"),
        Op::Insert(i, x) => format!("a.insert({i}, int('{x}'))"),
        Op::ExtendList(v) => format!("a.extend({})", py_list(v)),
        Op::ExtendRange(n) => format!("a.extend(range(1000, 1000 + {n}))"),
        Op::ExtendGen(n) => format!("a.extend(x for x in range({n}))"),
        Op::Pop => "a.pop()".into(),
        Op::PopAt(i) => format!("a.pop({i})"),
        Op::DelItem(i) => format!("del a[{i}]"),
        Op::Remove(x) => format!("a.remove({x})"),
        Op::Clear => "a.clear()".into(),
        Op::DelSlice(i, j) => format!("del a[{i}:{j}]"),
        Op::SetSlice(i, j, v) => format!("a[{i}:{j}] = {}", py_list(v)),
        Op::DelStep(k) => format!("del a[::{k}]"),
        Op::IMul(k) => format!("a *= {k}"),
        Op::IAdd(v) => format!("a += {}", py_list(v)),
        Op::Reverse => "a.reverse()".into(),
        Op::Sort => "a.sort()".into(),
        Op::Slice(i, j) => format!("a = a[{i}:{j}]"),
        Op::Copy => "a = a.copy()".into(),
        Op::Concat(v) => format!("a = a + {}", py_list(v)),
        Op::Mul(k) => format!("a = a * {k}"),
        Op::ListOf => "a = list(a)".into(),
        // A display of non-constant items: BUILD_LIST n.
        Op::Display(v) => format!(
            "a = [{}]",
            v.iter()
                .map(|x| format!("int('{x}')"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn ints(v: &[i64]) -> Vec<Obj> {
    v.iter().map(|&x| PyInt::from_i64(x).into_obj()).collect()
}

/// `list_of([...])` in python builds a list with exact capacity (BUILD_LIST n) then `list()`
/// copies it: `list(list)` is the exact-extend path. Here: the items themselves.
fn slice_bounds(len: usize, i: i64, j: i64) -> (isize, isize) {
    // PySlice_AdjustIndices for step 1 (negative indices count from the end, then clamp).
    let n = len as i64;
    let adj = |x: i64| if x < 0 { (x + n).max(0) } else { x.min(n) };
    (adj(i) as isize, adj(j) as isize)
}

fn extended_slice(len: usize, step: i64) -> (usize, isize, usize) {
    // a[::step] with step > 0: start 0, length ceil(len / step).
    (0, step as isize, len.div_ceil(step as usize))
}

/// Run `op` on our list; `Err(name)` when it raises (the exception class name).
fn apply(a: &mut PyList, op: &Op) -> Result<(), String> {
    let err = |e: pylayout::error::PyErr| e.kind.name().to_string();
    match op {
        Op::Append(x) => a.append(ints(&[*x]).remove(0)),
        Op::Insert(i, x) => a.insert(*i as isize, ints(&[*x]).remove(0)),
        Op::ExtendList(v) => a.extend_exact(PyList::from_exact(ints(v)).items()),
        Op::ExtendRange(n) => {
            let items: Vec<i64> = (1000..1000 + *n as i64).collect();
            a.extend_iter(ints(&items), *n as usize)
        }
        Op::ExtendGen(n) => {
            let items: Vec<i64> = (0..*n as i64).collect();
            a.extend_iter(ints(&items), 8)
        }
        Op::Pop => {
            a.pop(-1).map_err(err)?;
        }
        Op::PopAt(i) => {
            a.pop(*i as isize).map_err(err)?;
        }
        Op::DelItem(i) => a.del_item(*i as isize).map_err(err)?,
        Op::Remove(x) => a.remove(&ints(&[*x])[0]).map_err(err)?,
        Op::Clear => a.clear(),
        Op::DelSlice(i, j) => {
            let (lo, hi) = slice_bounds(a.len(), *i, *j);
            a.del_slice(lo, hi)
        }
        Op::SetSlice(i, j, v) => {
            let (lo, hi) = slice_bounds(a.len(), *i, *j);
            a.set_slice(lo, hi, PyList::from_exact(ints(v)).items())
        }
        Op::DelStep(k) => {
            let (start, step, n) = extended_slice(a.len(), *k as i64);
            a.del_extended_slice(start, step, n)
        }
        Op::IMul(k) => a.inplace_repeat(*k as isize).map_err(err)?,
        Op::IAdd(v) => a.inplace_concat(PyList::from_exact(ints(v)).items()),
        Op::Reverse => a.reverse(),
        Op::Sort => a.sort(false).map_err(err)?,
        Op::Slice(i, j) => {
            let (lo, hi) = slice_bounds(a.len(), *i, *j);
            *a = a.slice(lo, hi)
        }
        Op::Copy => *a = a.copy(),
        Op::Concat(v) => *a = a.concat(&PyList::from_exact(ints(v))),
        Op::Mul(k) => *a = a.repeat(*k as isize).map_err(err)?,
        Op::ListOf => *a = PyList::from_exact(a.items()),
        Op::Display(v) => *a = PyList::with_items(ints(v)),
    }
    Ok(())
}

fn state_line(a: &PyList) -> String {
    format!(
        "{} {} {} {}",
        a.as_obj().getsizeof(),
        a.len(),
        a.allocated(),
        ops::repr(a.as_obj())
    )
}

#[test]
fn random_list_programs_match_python() {
    assert_python_311();
    let mut rng = Rng(0x5eed_1157);
    let mut programs = Vec::new();
    for _ in 0..150 {
        let mut a = PyList::new();
        let mut ops_ = Vec::new();
        let mut ours = Vec::new();
        for _ in 0..40 {
            let op = gen_op(&mut rng, a.len());
            let line = match apply(&mut a, &op) {
                Ok(()) => state_line(&a),
                Err(name) => format!("{name} {}", state_line(&a)),
            };
            ops_.push(op);
            ours.push(line);
        }
        programs.push((ops_, ours));
    }
    let code = format!(
        "import sys, ctypes\n\
         def list_of(x):\n    return list(x)\n\
         def state(a):\n    \
             size = ctypes.c_ssize_t.from_address(id(a) + {OB_SIZE_OFFSET}).value\n    \
             alloc = ctypes.c_ssize_t.from_address(id(a) + {ALLOCATED_OFFSET}).value\n    \
             return f'{{sys.getsizeof(a)}} {{size}} {{alloc}} {{a!r}}'\n"
    );
    check_step_programs(&code, "a = []", "a", &programs, python_stmt);
}

#[test]
fn grow_list_json_matches_python() {
    assert_python_311();
    let out = pylayout(&["grow", "list", "--to", "10000", "--json"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["method"], "allocated");
    let ours: Vec<String> = v["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| format!("{} {}", p["len"], p["size"]))
        .collect();
    let (theirs, _) = python_io(
        "import sys\n\
         a = []\n\
         last = sys.getsizeof(a)\n\
         print(0, last)\n\
         for i in range(10000):\n    \
             a.append(None)\n    \
             s = sys.getsizeof(a)\n    \
             if s != last:\n        \
                 print(len(a), s)\n        \
                 last = s\n",
        "",
    );
    assert_eq!(ours, theirs.lines().collect::<Vec<_>>());
}

#[test]
fn computed_growth_continues_the_real_one() {
    // Above the allocation limit the policy answers; its first points are the real ones.
    let big = pylayout(&["grow", "list", "--to", "100000000000", "--json"]);
    let small = pylayout(&["grow", "list", "--to", "10000", "--json"]);
    let big: serde_json::Value = serde_json::from_slice(&big.stdout).unwrap();
    let small: serde_json::Value = serde_json::from_slice(&small.stdout).unwrap();
    assert_eq!(big["method"], "policy");
    let key = |p: &serde_json::Value| (p["len"].clone(), p["capacity"].clone(), p["size"].clone());
    let s: Vec<_> = small["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(key)
        .collect();
    let b: Vec<_> = big["points"].as_array().unwrap().iter().map(key).collect();
    assert_eq!(&b[..s.len()], &s[..]);
}

/// CPython 3.11's `list_resize` capacity rule (Objects/listobject.c), written in python for
/// the test below, independent of ours: `None` when the array is kept.
const PY_LIST_RESIZE: &str = "\
def list_resize(size, allocated, newsize):
    if allocated >= newsize and newsize >= (allocated >> 1):
        return None
    new_allocated = (newsize + (newsize >> 3) + 6) & ~3
    if newsize - size > new_allocated - newsize:
        new_allocated = (newsize + 3) & ~3
    if newsize == 0:
        new_allocated = 0
    return new_allocated
";

/// `--to` values of `pylayout grow list` above `LIST_ALLOC_LIMIT` (10**7), where the points
/// are computed from the policy and no list is grown.
const POLICY_TOS: [u64; 5] = [
    10_000_001,
    12_345_678,
    100_000_000,
    1_000_000_000,
    5_000_000_000,
];

#[test]
fn computed_growth_above_the_allocation_limit_matches_cpythons_formula() {
    assert_python_311();
    // (size, allocated, newsize) triples between 10**7 and 10**9, for `resize_policy`:
    // appends, extends far past the capacity (the "closer to the old size" rule) and shrinks.
    let mut rng = Rng(0x1157);
    let mut triples = Vec::new();
    for _ in 0..300 {
        let size = 10_000_000 + rng.below(990_000_000) as usize;
        let allocated = size + rng.below(size as u64 / 8 + 7) as usize;
        let newsize = match rng.below(4) {
            0 => allocated + 1,
            1 => allocated + 1 + rng.below(allocated as u64 / 4) as usize,
            2 => allocated + rng.below(2 * allocated as u64) as usize,
            _ => rng.below(allocated as u64 / 2) as usize,
        };
        triples.push((size, allocated, newsize));
    }
    // Around the edge of that rule (newsize - size against the overallocation, near
    // newsize = 8 (size + 6) / 7), where `>` and `>=` differ.
    for _ in 0..20 {
        let size = 10_000_000 + rng.below(990_000_000) as usize;
        let edge = 8 * (size + 6) / 7;
        for newsize in edge - 20..=edge + 20 {
            triples.push((size, size, newsize));
        }
    }
    let input: String = triples
        .iter()
        .map(|(s, a, n)| format!("{s} {a} {n}\n"))
        .collect();
    let tos = POLICY_TOS.map(|t| t.to_string()).join(", ");
    let (out, _) = python_io(
        &format!(
            "import sys, ctypes, struct, random\n\
             {PY_LIST_RESIZE}\
             # 1. The rule is the interpreter's: appends, extends and tail deletes on a real\n\
             # list, its `allocated` read with ctypes after each.\n\
             def allocated(l): return ctypes.c_ssize_t.from_address(id(l) + {ALLOCATED_OFFSET}).value\n\
             r = random.Random(7)\n\
             l = []\n\
             checked = 0\n\
             for i in range(4000):\n    \
                 size, alloc = len(l), allocated(l)\n    \
                 op = r.randrange(3) if l else 0\n    \
                 if op == 0: l.append(None)\n    \
                 elif op == 1: l.extend([None] * r.choice([1, 2, 3, 9, 40, 700, 9000]))\n    \
                 elif len(l) > 1: del l[-r.randrange(1, len(l)):]\n    \
                 want = list_resize(size, alloc, len(l))\n    \
                 want = alloc if want is None else want\n    \
                 assert allocated(l) == want, (op, size, alloc, len(l), allocated(l), want)\n    \
                 checked += want != alloc\n    \
                 if len(l) > 200000: del l[100:]\n\
             assert checked > 500, checked\n\
             # 2. Appends from [] to each `to`: every point where the capacity changes.\n\
             empty, ptr = sys.getsizeof([]), struct.calcsize('P')\n\
             for to in ({tos},):\n    \
                 pts, n, cap = ['0 0 %d' % empty], 0, 0\n    \
                 while n < to:\n        \
                     n = min(cap + 1, to)\n        \
                     if n > cap:\n            \
                         cap = list_resize(cap, cap, n)\n            \
                         pts.append('%d %d %d' % (n, cap, empty + ptr * cap))\n    \
                 print(' '.join(pts))\n\
             # 3. The rule on the triples.\n\
             for line in sys.stdin:\n    \
                 print(list_resize(*map(int, line.split())))\n"
        ),
        &input,
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines.len(),
        POLICY_TOS.len() + triples.len(),
        "python3's lines"
    );
    for (to, theirs) in POLICY_TOS.iter().zip(&lines) {
        let out = pylayout(&["grow", "list", "--to", &to.to_string(), "--json"]);
        assert!(out.status.success(), "grow list --to {to}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["method"], "policy", "--to {to}");
        let ours: Vec<String> = v["points"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| format!("{} {} {}", p["len"], p["capacity"], p["size"]))
            .collect();
        let theirs: Vec<&str> = theirs.split(' ').collect();
        let theirs: Vec<String> = theirs.chunks(3).map(|c| c.join(" ")).collect();
        assert_eq!(
            ours, theirs,
            "grow list --to {to}: `len capacity size` points"
        );
    }
    for ((size, allocated, newsize), theirs) in triples.iter().zip(&lines[POLICY_TOS.len()..]) {
        let ours = match pylayout::types::list::resize_policy(*size, *allocated, *newsize) {
            Some(n) => n.to_string(),
            None => "None".to_string(),
        };
        assert_eq!(
            &ours, theirs,
            "list_resize(size {size}, allocated {allocated}, newsize {newsize})"
        );
    }
}
