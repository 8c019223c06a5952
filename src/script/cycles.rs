//! The runner's functions and closure cells in CPython's cycle collector.
//!
//! They are GC objects in CPython (`PyFunctionObject`, `PyCellObject`) but Rust values here
//! (`Rc<Function>`, `Rc<CellObj>`), so the collector in `object::gc` cannot see them. A
//! nested function that refers to itself (`def outer(): def fact(n): ... fact(n - 1)`) is a
//! cycle — the function holds its closure, whose cell holds the function — that only
//! CPython's collector frees, and `gc.collect()` counts the function, its cell and its
//! closure tuple. This module answers for them in every collection ([`crate::gc::Outside`]):
//! each is registered when made, with the generation it has reached; a collection of
//! generation `g` runs CPython's algorithm over the registered objects of generations up
//! to `g`: references from outside the set (`Rc` clones: names, frames, generators) make
//! an object reachable; what is reachable from those is too; the rest is unreachable. The
//! collector in memory then counts the objects only those hold (the closure tuple, the
//! defaults, a list in a cell) as unreachable too, and the cycles are broken by emptying
//! the unreachable cells. Survivors move a generation up, as CPython's do.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use hashbrown::HashMap;

use super::value::{CellObj, Function, Value};
use crate::object::Obj;

/// The registered objects, each with its generation.
#[derive(Default)]
struct Registry {
    funcs: Vec<(Weak<Function>, usize)>,
    cells: Vec<(Weak<CellObj>, usize)>,
    /// What the last collection found unreachable, until it lets them go.
    doomed: (Vec<Rc<Function>>, Vec<Rc<CellObj>>),
}

thread_local! {
    static REGISTRY: RefCell<Registry> = RefCell::new(Registry::default());
}

static OUTSIDE: crate::gc::Outside = crate::gc::Outside { find, release };

/// Start a run: nothing registered, the collector asking here.
pub(crate) fn install() {
    REGISTRY.with(|r| *r.borrow_mut() = Registry::default());
    crate::gc::set_outside(Some(&OUTSIDE));
}

/// End a run, after its module teardown: the cycles still standing (made since the last
/// collection) are broken, as CPython's last collection at finalization frees them.
pub(crate) fn uninstall() {
    crate::gc::set_outside(None);
    let cells: Vec<Rc<CellObj>> = REGISTRY.with(|r| {
        let r = std::mem::take(&mut *r.borrow_mut());
        r.cells.iter().filter_map(|(w, _)| w.upgrade()).collect()
    });
    empty(cells);
}

/// Empty the cells (`cell_clear`), which breaks every cycle through them; then let them go.
fn empty(cells: Vec<Rc<CellObj>>) {
    let contents: Vec<Option<Value>> = cells
        .iter()
        .map(|c| c.value.try_borrow_mut().ok().and_then(|mut v| v.take()))
        .collect();
    drop(contents);
    drop(cells);
}

/// A function just made (`_PyObject_GC_TRACK` at the end of `PyFunction_New`).
pub(crate) fn track_function(f: &Rc<Function>) {
    REGISTRY.with(|r| {
        if let Ok(mut r) = r.try_borrow_mut() {
            r.funcs.push((Rc::downgrade(f), 0));
        }
    });
}

/// A cell just made (`PyCell_New`).
pub(crate) fn track_cell(c: &Rc<CellObj>) {
    REGISTRY.with(|r| {
        if let Ok(mut r) = r.try_borrow_mut() {
            r.cells.push((Rc::downgrade(c), 0));
        }
    });
}

/// A key for an `Rc`'s object.
fn key<T>(rc: &Rc<T>) -> *const T {
    Rc::as_ptr(rc)
}

/// [`crate::gc::Outside::find`].
fn find(generation: usize) -> (usize, Vec<Obj>) {
    REGISTRY.with(|r| {
        let Ok(mut r) = r.try_borrow_mut() else {
            return (0, Vec::new());
        };
        r.funcs.retain(|(w, _)| w.strong_count() > 0);
        r.cells.retain(|(w, _)| w.strong_count() > 0);
        // The young set: registered objects of the generations collected.
        let funcs: Vec<(usize, Rc<Function>)> = (r.funcs.iter().enumerate())
            .filter(|(_, (_, g))| *g <= generation)
            .filter_map(|(i, (w, _))| Some((i, w.upgrade()?)))
            .collect();
        let cells: Vec<(usize, Rc<CellObj>)> = (r.cells.iter().enumerate())
            .filter(|(_, (_, g))| *g <= generation)
            .filter_map(|(i, (w, _))| Some((i, w.upgrade()?)))
            .collect();
        let fidx: HashMap<*const Function, usize> = funcs
            .iter()
            .enumerate()
            .map(|(k, (_, f))| (key(f), k))
            .collect();
        let cidx: HashMap<*const CellObj, usize> = cells
            .iter()
            .enumerate()
            .map(|(k, (_, c))| (key(c), k))
            .collect();
        // update_refs / subtract_refs: every reference less those from inside the set (and
        // less the one `funcs` / `cells` hold here).
        let mut frefs: Vec<isize> = funcs
            .iter()
            .map(|(_, f)| Rc::strong_count(f) as isize - 1)
            .collect();
        let mut crefs: Vec<isize> = cells
            .iter()
            .map(|(_, c)| Rc::strong_count(c) as isize - 1)
            .collect();
        // A cell's content, if a function of the set (a cell being written is reachable).
        let content = |c: &CellObj| -> Result<Option<usize>, ()> {
            let v = c.value.try_borrow().map_err(|_| ())?;
            Ok(match &*v {
                Some(Value::Func(f)) => fidx.get(&key(f)).copied(),
                _ => None,
            })
        };
        let mut busy = Vec::new();
        for (k, (_, c)) in cells.iter().enumerate() {
            match content(c) {
                Ok(Some(fi)) => frefs[fi] -= 1,
                Ok(None) => {}
                Err(()) => busy.push(k),
            }
        }
        for (_, f) in &funcs {
            for c in &f.closure {
                if let Some(&ci) = cidx.get(&key(c)) {
                    crefs[ci] -= 1;
                }
            }
        }
        for k in busy {
            crefs[k] += 1;
        }
        // move_unreachable: from what is referenced from outside, everything it holds.
        let mut freach: Vec<bool> = frefs.iter().map(|&n| n > 0).collect();
        let mut creach: Vec<bool> = crefs.iter().map(|&n| n > 0).collect();
        let mut fwork: Vec<usize> = (0..funcs.len()).filter(|&k| freach[k]).collect();
        let mut cwork: Vec<usize> = (0..cells.len()).filter(|&k| creach[k]).collect();
        while !fwork.is_empty() || !cwork.is_empty() {
            while let Some(k) = fwork.pop() {
                for c in &funcs[k].1.closure {
                    if let Some(&ci) = cidx.get(&key(c))
                        && !creach[ci]
                    {
                        creach[ci] = true;
                        cwork.push(ci);
                    }
                }
            }
            while let Some(k) = cwork.pop() {
                if let Ok(Some(fi)) = content(&cells[k].1)
                    && !freach[fi]
                {
                    freach[fi] = true;
                    fwork.push(fi);
                }
            }
        }
        // Survivors move a generation up; the unreachable, with what they hold in memory.
        let older = (generation + 1).min(crate::gc::NUM_GENERATIONS - 1);
        let mut held = Vec::new();
        let mut doomed = (Vec::new(), Vec::new());
        for ((i, f), reach) in funcs.into_iter().zip(freach) {
            if reach {
                r.funcs[i].1 = older;
                continue;
            }
            held.extend(
                [&f.closure_tuple, &f.defaults, &f.kwdefaults]
                    .into_iter()
                    .flatten()
                    .cloned(),
            );
            if let Ok(d) = f.dict.try_borrow()
                && let Some(d) = &*d
            {
                held.push(d.as_obj().clone());
            }
            doomed.0.push(f);
        }
        for ((i, c), reach) in cells.into_iter().zip(creach) {
            if reach {
                r.cells[i].1 = older;
                continue;
            }
            if let Ok(v) = c.value.try_borrow()
                && let Some(Value::Obj(o)) = &*v
            {
                held.push(o.clone());
            }
            doomed.1.push(c);
        }
        let found = doomed.0.len() + doomed.1.len();
        r.doomed = doomed;
        (found, held)
    })
}

/// [`crate::gc::Outside::release`]: the unreachable cells emptied (`cell_clear`), which
/// breaks every cycle among them; then they and the functions go.
fn release() {
    let (funcs, cells) = REGISTRY.with(|r| match r.try_borrow_mut() {
        Ok(mut r) => std::mem::take(&mut r.doomed),
        Err(_) => Default::default(),
    });
    empty(cells);
    drop(funcs);
}
