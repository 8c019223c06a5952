//! The cycle collector against python3: random object graphs (lists, dicts, tuples; random
//! edges; random names deleted) built the same way in both, with `gc.collect(g)` results
//! and `gc.is_tracked` compared at every step. python3 runs with `gc.disable()` so only
//! explicit collections happen on both sides (automatic ones depend on everything else the
//! interpreter allocates, which is the runner's business).

mod common;

use common::{Rng, assert_python_311, python_script};
use pylayout::gc;
use pylayout::object::Obj;
use pylayout::runtime;
use pylayout::types::dict::PyDict;
use pylayout::types::int::PyInt;
use pylayout::types::list::PyList;
use pylayout::types::str::PyStr;
use pylayout::types::tuple::PyTuple;

const VARS: usize = 12;

#[derive(Clone, Debug)]
enum Item {
    Var(usize),
    Int(i64),
}

#[derive(Clone, Debug)]
enum Op {
    NewList(usize),
    NewDict(usize),
    NewTuple(usize, Vec<Item>),
    Append(usize, Item),
    SetStr(usize, u8, Item),
    SetInt(usize, i64, Item),
    /// `d[(k,)] = x`: a tuple key (tracked until a collection untracks it).
    SetTupleKey(usize, i64, Item),
    Clear(usize),
    Del(usize),
    Collect(usize),
    Tracked(usize),
}

fn py_item(it: &Item) -> String {
    match it {
        Item::Var(j) => format!("v{j}"),
        Item::Int(i) => format!("int('{i}')"),
    }
}

fn python_stmt(op: &Op) -> String {
    match op {
        Op::NewList(i) => format!("v{i} = []"),
        Op::NewDict(i) => format!("v{i} = {{}}"),
        Op::NewTuple(i, items) => {
            let parts: Vec<String> = items.iter().map(py_item).collect();
            format!("v{i} = ({},)", parts.join(", "))
        }
        Op::Append(i, it) => format!("v{i}.append({})", py_item(it)),
        Op::SetStr(i, k, it) => format!("v{i}['k{k}'] = {}", py_item(it)),
        Op::SetInt(i, k, it) => format!("v{i}[{k}] = {}", py_item(it)),
        Op::SetTupleKey(i, k, it) => format!("v{i}[(int('{k}'),)] = {}", py_item(it)),
        Op::Clear(i) => format!("v{i}.clear()"),
        Op::Del(i) => format!("del v{i}"),
        Op::Collect(g) => format!("print(gc.collect({g}))"),
        Op::Tracked(i) => format!("print(gc.is_tracked(v{i}))"),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    List,
    Dict,
    Tuple,
}

/// A random program that only uses names that exist with the right kind.
fn program(rng: &mut Rng, len: usize) -> Vec<Op> {
    let mut kinds: Vec<Option<Kind>> = vec![None; VARS];
    let mut ops = Vec::new();
    let live = |kinds: &Vec<Option<Kind>>, want: Option<Kind>| -> Vec<usize> {
        (0..VARS)
            .filter(|&i| match (kinds[i], want) {
                (Some(_), None) => true,
                (Some(k), Some(w)) => k == w,
                _ => false,
            })
            .collect()
    };
    while ops.len() < len {
        let pick = |rng: &mut Rng, v: &[usize]| v[rng.below(v.len() as u64) as usize];
        let item = |rng: &mut Rng, kinds: &Vec<Option<Kind>>| {
            let l = live(kinds, None);
            if l.is_empty() || rng.below(4) == 0 {
                Item::Int(rng.below(1000) as i64)
            } else {
                Item::Var(pick(rng, &l))
            }
        };
        let op = match rng.below(12) {
            0 => {
                let i = rng.below(VARS as u64) as usize;
                kinds[i] = Some(Kind::List);
                Op::NewList(i)
            }
            1 => {
                let i = rng.below(VARS as u64) as usize;
                kinds[i] = Some(Kind::Dict);
                Op::NewDict(i)
            }
            2 => {
                let items: Vec<Item> = (0..1 + rng.below(3)).map(|_| item(rng, &kinds)).collect();
                let i = rng.below(VARS as u64) as usize;
                kinds[i] = Some(Kind::Tuple);
                Op::NewTuple(i, items)
            }
            3 | 4 => {
                let l = live(&kinds, Some(Kind::List));
                if l.is_empty() {
                    continue;
                }
                let i = pick(rng, &l);
                Op::Append(i, item(rng, &kinds))
            }
            5 | 6 => {
                let l = live(&kinds, Some(Kind::Dict));
                if l.is_empty() {
                    continue;
                }
                let i = pick(rng, &l);
                match rng.below(3) {
                    0 => Op::SetStr(i, rng.below(5) as u8, item(rng, &kinds)),
                    1 => Op::SetInt(i, rng.below(5) as i64, item(rng, &kinds)),
                    _ => Op::SetTupleKey(i, rng.below(5) as i64, item(rng, &kinds)),
                }
            }
            7 => {
                let mut l = live(&kinds, Some(Kind::List));
                l.extend(live(&kinds, Some(Kind::Dict)));
                if l.is_empty() {
                    continue;
                }
                Op::Clear(pick(rng, &l))
            }
            8 | 9 => {
                let l = live(&kinds, None);
                if l.is_empty() {
                    continue;
                }
                let i = pick(rng, &l);
                kinds[i] = None;
                Op::Del(i)
            }
            10 => Op::Collect(rng.below(3) as usize),
            _ => {
                let l = live(&kinds, None);
                if l.is_empty() {
                    continue;
                }
                Op::Tracked(pick(rng, &l))
            }
        };
        ops.push(op);
    }
    // End: drop every name, then a full collection finds whatever cycles are left.
    for (i, k) in kinds.iter().enumerate() {
        if k.is_some() {
            ops.push(Op::Del(i));
        }
    }
    ops.push(Op::Collect(2));
    ops
}

fn obj_of(vars: &[Option<Obj>], it: &Item) -> Obj {
    match it {
        Item::Var(j) => vars[*j].clone().expect("live name"),
        Item::Int(i) => PyInt::from_i64(*i).into_obj(),
    }
}

/// Run a program on our objects; returns the printed lines.
fn run_ours(ops: &[Op]) -> Vec<String> {
    let mut vars: Vec<Option<Obj>> = vec![None; VARS];
    let mut out = Vec::new();
    for op in ops {
        match op {
            Op::NewList(i) => vars[*i] = Some(PyList::new().into_obj()),
            Op::NewDict(i) => vars[*i] = Some(PyDict::new().into_obj()),
            Op::NewTuple(i, items) => {
                let objs = items.iter().map(|it| obj_of(&vars, it)).collect();
                vars[*i] = Some(PyTuple::new(objs).into_obj())
            }
            Op::Append(i, it) => {
                let v = obj_of(&vars, it);
                PyList::from_obj(vars[*i].clone().unwrap())
                    .unwrap()
                    .append(v)
            }
            Op::SetStr(i, k, it) => {
                let v = obj_of(&vars, it);
                let d = PyDict::from_obj(vars[*i].clone().unwrap()).unwrap();
                d.set_item(PyStr::new(&format!("k{k}")).into_obj(), v)
                    .unwrap()
            }
            Op::SetInt(i, k, it) => {
                let v = obj_of(&vars, it);
                let d = PyDict::from_obj(vars[*i].clone().unwrap()).unwrap();
                d.set_item(PyInt::from_i64(*k).into_obj(), v).unwrap()
            }
            Op::SetTupleKey(i, k, it) => {
                let v = obj_of(&vars, it);
                let d = PyDict::from_obj(vars[*i].clone().unwrap()).unwrap();
                let key = PyTuple::new(vec![PyInt::from_i64(*k).into_obj()]).into_obj();
                d.set_item(key, v).unwrap()
            }
            Op::Clear(i) => {
                let o = vars[*i].clone().unwrap();
                match PyList::from_obj(o) {
                    Ok(l) => l.clear(),
                    Err(o) => PyDict::from_obj(o).unwrap().clear(),
                }
            }
            Op::Del(i) => vars[*i] = None,
            Op::Collect(g) => out.push(gc::collect(*g).to_string()),
            Op::Tracked(i) => out.push(
                if gc::is_tracked(vars[*i].as_ref().unwrap()) {
                    "True"
                } else {
                    "False"
                }
                .to_string(),
            ),
        }
    }
    out
}

#[test]
fn random_graphs_collect_like_python() {
    assert_python_311();
    let mut rng = Rng(0x6c0113c7);
    let programs: Vec<Vec<Op>> = (0..150).map(|k| program(&mut rng, 20 + k % 40)).collect();
    gc::disable();
    runtime::clear_freelists();
    let base = runtime::allocated_blocks();
    let ours: Vec<Vec<String>> = programs.iter().map(|p| run_ours(p)).collect();
    runtime::clear_freelists();
    assert_eq!(
        runtime::allocated_blocks(),
        base,
        "a collection left blocks behind"
    );
    gc::enable();

    let mut code = String::from("import gc\ngc.disable()\ngc.collect()\n");
    for (k, p) in programs.iter().enumerate() {
        code.push_str(&format!("print('program {k}')\n"));
        for op in p {
            code.push_str(&python_stmt(op));
            code.push('\n');
        }
    }
    let (out, _) = python_script(&code);
    let mut lines = out.lines().peekable();
    for (k, (p, mine)) in programs.iter().zip(&ours).enumerate() {
        assert_eq!(lines.next(), Some(format!("program {k}").as_str()));
        let theirs: Vec<&str> =
            std::iter::from_fn(|| lines.next_if(|l| !l.starts_with("program "))).collect();
        assert_eq!(
            mine,
            &theirs,
            "program {k}:\n{}",
            p.iter().map(python_stmt).collect::<Vec<_>>().join("\n")
        );
    }
}

#[test]
fn classic_cycles_and_tracking_match_python() {
    assert_python_311();
    let (out, _) = python_script(
        "import gc\n\
         gc.disable(); gc.collect()\n\
         a = []; a.append(a); del a; print(gc.collect())\n\
         a = []; b = [a]; a.append(b); del a, b; print(gc.collect())\n\
         l = []; d = {'l': l}; l.append(d); del l, d; print(gc.collect())\n\
         l = []; t = (l,); l.append(t); del l, t; print(gc.collect())\n\
         d = {}; d[1] = d; del d; print(gc.collect())\n\
         d = {}; d[(int('1'),)] = d; del d; print(gc.collect())\n\
         print(gc.is_tracked([]), gc.is_tracked({}), gc.is_tracked({'a': 1}), gc.is_tracked({'a': []}))\n\
         t = (int('1'), int('2')); print(gc.is_tracked(t)); gc.collect(); print(gc.is_tracked(t))\n\
         t = ([],); gc.collect(); print(gc.is_tracked(t))\n\
         d = {'a': (int('1'),)}; print(gc.is_tracked(d)); gc.collect(); print(gc.is_tracked(d['a']), gc.is_tracked(d))\n\
         print(gc.get_threshold())\n",
    );
    gc::disable();
    let list = || PyList::new();
    let s = |v: &str| PyStr::new(v).into_obj();
    let i = |v: i64| PyInt::from_i64(v).into_obj();
    let b = |x: bool| if x { "True" } else { "False" }.to_string();
    let mut ours = Vec::new();
    gc::collect(2);
    {
        let a = list();
        a.append(a.as_obj().clone());
    }
    ours.push(gc::collect(2).to_string());
    {
        let a = list();
        let bl = PyList::with_items(vec![a.as_obj().clone()]);
        a.append(bl.into_obj());
    }
    ours.push(gc::collect(2).to_string());
    {
        let l = list();
        let d = PyDict::new();
        d.set_item(s("l"), l.as_obj().clone()).unwrap();
        l.append(d.into_obj());
    }
    ours.push(gc::collect(2).to_string());
    {
        let l = list();
        let t = PyTuple::new(vec![l.as_obj().clone()]);
        l.append(t.into_obj());
    }
    ours.push(gc::collect(2).to_string());
    {
        let d = PyDict::new();
        d.set_item(i(1), d.as_obj().clone()).unwrap();
    }
    ours.push(gc::collect(2).to_string());
    {
        let d = PyDict::new();
        let key = PyTuple::new(vec![i(1)]).into_obj();
        d.set_item(key, d.as_obj().clone()).unwrap();
    }
    ours.push(gc::collect(2).to_string());
    let d1 = PyDict::new();
    d1.set_item(s("a"), i(1)).unwrap();
    let d2 = PyDict::new();
    d2.set_item(s("a"), list().into_obj()).unwrap();
    ours.push(
        [
            b(gc::is_tracked(list().as_obj())),
            b(gc::is_tracked(PyDict::new().as_obj())),
            b(gc::is_tracked(d1.as_obj())),
            b(gc::is_tracked(d2.as_obj())),
        ]
        .join(" "),
    );
    let t = PyTuple::new(vec![i(1), i(2)]);
    ours.push(b(gc::is_tracked(t.as_obj())));
    gc::collect(2);
    ours.push(b(gc::is_tracked(t.as_obj())));
    let t = PyTuple::new(vec![list().into_obj()]);
    gc::collect(2);
    ours.push(b(gc::is_tracked(t.as_obj())));
    let d = PyDict::new();
    let inner = PyTuple::new(vec![i(1)]);
    d.set_item(s("a"), inner.as_obj().clone()).unwrap();
    ours.push(b(gc::is_tracked(d.as_obj())));
    gc::collect(2);
    ours.push(format!(
        "{} {}",
        b(gc::is_tracked(inner.as_obj())),
        b(gc::is_tracked(d.as_obj()))
    ));
    let th = gc::get_threshold();
    ours.push(format!("({}, {}, {})", th[0], th[1], th[2]));
    gc::enable();
    assert_eq!(ours, out.lines().collect::<Vec<_>>());
}
