//! `dict` against python3 (`PYTHONHASHSEED=0`): random operation programs compared after
//! every step — `sys.getsizeof`, the order (`repr`), and the table read with `ctypes` at our
//! offsets (`ma_used`, `dk_log2_size`, `dk_log2_index_bytes`, `dk_kind`, `dk_usable`,
//! `dk_nentries`, every `dk_indices` slot) — `pylayout grow dict --json`, and growth to
//! 50,000 keys (2- and 4-byte indices) at every resize.

mod common;

use common::{Rng, assert_python_311, check_step_programs, pylayout, python_io};
use pylayout::object::Obj;
use pylayout::types::dict::{FromKeysSource, MA_KEYS_OFFSET, MA_USED_OFFSET, PyDict};
use pylayout::types::int::PyInt;
use pylayout::types::ops;
use pylayout::types::str::PyStr;

#[derive(Clone, Debug)]
enum Key {
    S(String),
    I(i64),
}

impl Key {
    fn py(&self) -> String {
        match self {
            Key::S(s) => format!("str('{s}')"),
            Key::I(i) => format!("int('{i}')"),
        }
    }
    fn obj(&self) -> Obj {
        match self {
            Key::S(s) => PyStr::new(s).into_obj(),
            Key::I(i) => PyInt::from_i64(*i).into_obj(),
        }
    }
}

#[derive(Clone, Debug)]
enum Op {
    Set(Key, i64),
    Del(Key),
    Pop(Key),
    PopItem,
    Clear,
    Copy,
    DictOf,
    Update(Vec<(Key, i64)>),
    Display(Vec<(Key, i64)>),
    FromKeysDict,
    FromKeysList(Vec<Key>),
}

/// Keys from a small pool so deletes and overwrites hit; `mode` 0 str, 1 int, 2 mixed.
fn key(rng: &mut Rng, mode: u64) -> Key {
    let m = if mode == 2 { rng.below(2) } else { mode };
    if m == 0 {
        Key::S(format!("k{}", rng.below(60)))
    } else {
        match rng.below(4) {
            0 => Key::I(rng.below(1 << 40) as i64 - (1 << 39)),
            _ => Key::I(rng.below(80) as i64 - 10),
        }
    }
}

fn pairs(rng: &mut Rng, mode: u64, max: u64) -> Vec<(Key, i64)> {
    (0..rng.below(max + 1))
        .map(|_| (key(rng, mode), rng.below(1000) as i64))
        .collect()
}

fn gen_op(rng: &mut Rng, mode: u64) -> Op {
    match rng.below(20) {
        0..=8 => Op::Set(key(rng, mode), rng.below(1000) as i64),
        9..=10 => Op::Del(key(rng, mode)),
        11 => Op::Pop(key(rng, mode)),
        12 => Op::PopItem,
        13 => Op::Clear,
        14 => Op::Copy,
        15 => Op::DictOf,
        16 => Op::Update(pairs(rng, mode, 20)),
        17 => Op::Display(pairs(rng, mode, 20)),
        18 => Op::FromKeysDict,
        _ => Op::FromKeysList((0..rng.below(12)).map(|_| key(rng, mode)).collect()),
    }
}

fn display_py(p: &[(Key, i64)]) -> String {
    let items: Vec<String> = p
        .iter()
        .map(|(k, v)| format!("{}: int('{v}')", k.py()))
        .collect();
    format!("{{{}}}", items.join(", "))
}

fn python_stmt(op: &Op) -> String {
    match op {
        Op::Set(k, v) => format!("d[{}] = int('{v}')", k.py()),
        Op::Del(k) => format!("del d[{}]", k.py()),
        Op::Pop(k) => format!("d.pop({})", k.py()),
        Op::PopItem => "d.popitem()".into(),
        Op::Clear => "d.clear()".into(),
        Op::Copy => "d = d.copy()".into(),
        Op::DictOf => "d = dict(d)".into(),
        Op::Update(p) => format!("d.update({})", display_py(p)),
        Op::Display(p) => format!("d = {}", display_py(p)),
        Op::FromKeysDict => "d = dict.fromkeys(d, int('7'))".into(),
        Op::FromKeysList(ks) => format!(
            "d = dict.fromkeys([{}], int('7'))",
            ks.iter().map(Key::py).collect::<Vec<_>>().join(", ")
        ),
    }
}

fn int(v: i64) -> Obj {
    PyInt::from_i64(v).into_obj()
}

fn display(p: &[(Key, i64)]) -> PyDict {
    PyDict::from_display(p.iter().map(|(k, v)| (k.obj(), int(*v))).collect()).unwrap()
}

fn apply(d: &mut PyDict, op: &Op) -> Result<(), String> {
    let err = |e: pylayout::error::PyErr| e.kind.name().to_string();
    match op {
        Op::Set(k, v) => d.set_item(k.obj(), int(*v)).map_err(err)?,
        Op::Del(k) => d.del_item(&k.obj()).map_err(err)?,
        Op::Pop(k) => {
            d.pop(&k.obj()).map_err(err)?;
        }
        Op::PopItem => {
            d.popitem().map_err(err)?;
        }
        Op::Clear => d.clear(),
        Op::Copy => *d = d.copy().map_err(err)?,
        Op::DictOf => *d = PyDict::from_dict(d).map_err(err)?,
        Op::Update(p) => {
            let other = display(p);
            d.merge(&other).map_err(err)?
        }
        Op::Display(p) => *d = display(p),
        Op::FromKeysDict => {
            let unicode = d.table().dk_kind == 1;
            *d =
                PyDict::fromkeys(d.keys(), int(7), FromKeysSource::Dict { unicode }).map_err(err)?
        }
        Op::FromKeysList(ks) => {
            *d = PyDict::fromkeys(
                ks.iter().map(Key::obj).collect(),
                int(7),
                FromKeysSource::Iterable,
            )
            .map_err(err)?
        }
    }
    Ok(())
}

fn state(d: &PyDict) -> String {
    let t = d.table();
    let table = if t.shared_empty_keys {
        "empty".to_string()
    } else {
        format!(
            "{} {} {} {} {} {:?}",
            t.dk_log2_size, t.dk_log2_index_bytes, t.dk_kind, t.dk_usable, t.dk_nentries, t.indices
        )
    };
    format!(
        "{} {} {} {}",
        d.as_obj().getsizeof(),
        t.ma_used,
        table,
        ops::repr(d.as_obj())
    )
}

#[test]
fn random_dict_programs_match_python() {
    assert_python_311();
    let mut rng = Rng(0xd1c7);
    let mut programs = Vec::new();
    for p in 0..120u64 {
        let mode = p % 3;
        let mut d = PyDict::new();
        let mut ops_ = Vec::new();
        let mut ours = Vec::new();
        for _ in 0..40 {
            let op = gen_op(&mut rng, mode);
            let line = match apply(&mut d, &op) {
                Ok(()) => state(&d),
                Err(name) => format!("{name} {}", state(&d)),
            };
            ops_.push(op);
            ours.push(line);
        }
        programs.push((ops_, ours));
    }
    let code = format!(
        "import sys, ctypes\n\
         def rd(t, a): return t.from_address(a).value\n\
         def state(d):\n    \
             a = id(d)\n    \
             used = rd(ctypes.c_ssize_t, a + {MA_USED_OFFSET})\n    \
             k = rd(ctypes.c_void_p, a + {MA_KEYS_OFFSET})\n    \
             log2 = rd(ctypes.c_uint8, k + 8)\n    \
             if log2 == 0:\n        \
                 table = 'empty'\n    \
             else:\n        \
                 lib = rd(ctypes.c_uint8, k + 9)\n        \
                 w = 1 << (lib - log2)\n        \
                 t = {{1: ctypes.c_int8, 2: ctypes.c_int16, 4: ctypes.c_int32, 8: ctypes.c_int64}}[w]\n        \
                 idx = [rd(t, k + 32 + w * i) for i in range(1 << log2)]\n        \
                 table = '%d %d %d %d %d [%s]' % (log2, lib, rd(ctypes.c_uint8, k + 10), rd(ctypes.c_ssize_t, k + 16), rd(ctypes.c_ssize_t, k + 24), ', '.join(map(str, idx)))\n    \
             return '%d %d %s %r' % (sys.getsizeof(d), used, table, d)\n"
    );
    check_step_programs(&code, "d = {}", "d", &programs, python_stmt);
}

fn python_growth(stmt: &str, to: u32) -> Vec<String> {
    let (out, _) = python_io(
        &format!(
            "import sys\n\
             d = {{}}\n\
             last = sys.getsizeof(d)\n\
             print(0, last)\n\
             for i in range(1, {to} + 1):\n    \
                 {stmt}\n    \
                 s = sys.getsizeof(d)\n    \
                 if s != last:\n        \
                     print(len(d), s)\n        \
                     last = s\n"
        ),
        "",
    );
    out.lines().map(str::to_string).collect()
}

#[test]
fn grow_dict_json_matches_python() {
    assert_python_311();
    for (keys, stmt) in [("str", "d[str(i)] = None"), ("int", "d[i] = None")] {
        let out = pylayout(&["grow", "dict", "--keys", keys, "--to", "5000", "--json"]);
        assert!(out.status.success());
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let ours: Vec<String> = v["points"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| format!("{} {}", p["len"], p["size"]))
            .collect();
        assert_eq!(ours, python_growth(stmt, 5000), "{keys} keys");
    }
}

/// Keys inserted by the wide-index test: past 2**8 slots (2-byte indices: a 256-slot table
/// appears at 86 keys) and 2**16 slots (4-byte indices: a 65,536-slot table appears at 21,846 keys, when the
/// 32,768-slot table's 21,845 usable entries are full) up to a 131,072-slot table (43,691).
const WIDE_KEYS: u64 = 50_000;

/// `sys.getsizeof` and the keys header (`dk_log2_size`, `dk_log2_index_bytes`, `dk_usable`,
/// `dk_nentries`) at every resize while inserting `1..=WIDE_KEYS` (as int or str keys) one
/// by one, and at the end.
fn wide_points_ours(str_keys: bool) -> Vec<String> {
    let line = |n: u64, d: &PyDict| {
        let t = d.table();
        format!(
            "{n} {} {} {} {} {}",
            d.as_obj().getsizeof(),
            t.dk_log2_size,
            t.dk_log2_index_bytes,
            t.dk_usable,
            t.dk_nentries
        )
    };
    let d = PyDict::new();
    let mut out = Vec::new();
    let mut last = d.as_obj().getsizeof();
    for n in 1..=WIDE_KEYS {
        let k = if str_keys {
            PyStr::new(&n.to_string()).into_obj()
        } else {
            PyInt::from_i64(n as i64).into_obj()
        };
        d.set_item(k, int(0)).unwrap();
        let size = d.as_obj().getsizeof();
        if size != last {
            last = size;
            out.push(line(n, &d));
        }
    }
    out.push(line(WIDE_KEYS, &d));
    out
}

#[test]
fn growth_past_two_and_four_byte_indices_matches_python() {
    assert_python_311();
    let (out, _) = python_io(
        &format!(
            "import sys, ctypes\n\
             def rd(t, a): return t.from_address(a).value\n\
             def line(n, d):\n    \
                 k = rd(ctypes.c_void_p, id(d) + {MA_KEYS_OFFSET})\n    \
                 return '%d %d %d %d %d %d' % (n, sys.getsizeof(d), rd(ctypes.c_uint8, k + 8), rd(ctypes.c_uint8, k + 9), rd(ctypes.c_ssize_t, k + 16), rd(ctypes.c_ssize_t, k + 24))\n\
             for key in (int, str):\n    \
                 d = {{}}\n    \
                 last = sys.getsizeof(d)\n    \
                 for n in range(1, {WIDE_KEYS} + 1):\n        \
                     d[key(n)] = 0\n        \
                     s = sys.getsizeof(d)\n        \
                     if s != last:\n            \
                         last = s\n            \
                         print(line(n, d))\n    \
                 print(line(n, d))\n    \
                 print('--')\n"
        ),
        "",
    );
    let theirs: Vec<&str> = out.lines().collect();
    let mut blocks = theirs.split(|l| *l == "--");
    for (name, str_keys) in [("int", false), ("str", true)] {
        let py: Vec<String> = blocks
            .next()
            .expect("python printed fewer blocks")
            .iter()
            .map(|l| l.to_string())
            .collect();
        let ours = wide_points_ours(str_keys);
        // The widths this test is for must be reached, in python3's tables too.
        for lib_over_log2 in [1u32, 2] {
            assert!(
                py.iter().any(|l| {
                    let f: Vec<u32> = l.split(' ').map(|x| x.parse().unwrap()).collect();
                    f[3] - f[2] == lib_over_log2
                }),
                "{name} keys: python3 never reached {}-byte indices",
                1 << lib_over_log2
            );
        }
        assert_eq!(
            ours.len(),
            py.len(),
            "{name} keys: one line per size on each side"
        );
        for (o, p) in ours.iter().zip(&py) {
            assert_eq!(
                o, p,
                "{name} keys: `len size log2 log2_index_bytes usable nentries`"
            );
        }
        assert_eq!(ours.len(), py.len(), "{name} keys: number of resize points");
    }
}
