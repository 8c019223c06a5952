//! What a collection *would* do, computed without touching the collector's state: the
//! numbers `gc_collect_main` (`Modules/gcmodule.c`, 3.11) writes into each object's gc_refs,
//! on a copy.
//!
//! ```text
//!  update_refs       gc_refs = ob_refcnt                       (every object in the set)
//!  subtract_refs     gc_refs -= 1 for each reference to it from an object in the set
//!                    -> what is left counts references from *outside* the set
//!  move_unreachable  gc_refs > 0: reachable; everything it refers to is reachable too
//!                    (moved back if it had been put aside as tentatively unreachable)
//!                    gc_refs == 0 and never reached: unreachable -> cleared and freed
//! ```
//!
//! The scan is replayed in the collector's own order (the younger generations merged
//! behind the collected one), so the tuples a young collection untracks, and the dicts a full
//! one untracks, come out as the real collection's do. The real collector never reads this
//! module's results: a test runs [`plan_collection`] then [`super::collect`] on random graphs
//! and compares them.

use std::collections::HashMap;
use std::ptr::NonNull;

use serde::Serialize;

use super::{
    NUM_GENERATIONS, generation_members, is_gc_object, may_be_tracked, refcnt, traverse, type_of,
};
use crate::object::{GcUntrack, PyObject};

/// What the collection does with one object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fate {
    /// Reachable: stays tracked, moved to the next generation (or stays in generation 2).
    Survives,
    /// Reachable, but holds nothing that could be in a cycle: untracked (a tuple; a dict in a
    /// full collection).
    Untracked,
    /// Unreachable: cleared with `tp_clear`, then freed by reference counting.
    Freed,
    /// Reachable, but only through the garbage (its outside references come from objects
    /// that die with it, e.g. an older generation's list only the garbage holds): it survives
    /// the scan, then reference counting frees it when the garbage is cleared.
    FreedAfter,
}

/// One object of the collected set and the numbers the algorithm computes for it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlannedObject {
    /// `id(obj)`.
    pub id: usize,
    /// `type(obj).__name__`.
    #[serde(rename = "type")]
    pub type_name: &'static str,
    /// The generation it was in before the collection.
    pub generation: usize,
    /// `ob_refcnt`.
    pub ob_refcnt: isize,
    /// gc_refs after `update_refs` (equal to `ob_refcnt`).
    pub gc_refs_after_update_refs: isize,
    /// References to it from objects of the set (what `subtract_refs` removes).
    pub internal_refs: isize,
    /// gc_refs after `subtract_refs`: references from outside the set.
    pub gc_refs_after_subtract_refs: isize,
    /// Rows (indices into [`CollectionPlan::objects`]) of the objects of the set it refers
    /// to, in `tp_traverse` order, one entry per reference.
    pub refers_to: Vec<usize>,
    /// Whether `move_unreachable` finds it reachable.
    pub reachable: bool,
    /// For a reachable object with no outside references: the row whose scan reached it.
    pub reached_from: Option<usize>,
    /// What the collection does with it.
    pub fate: Fate,
}

/// The collection of one generation, planned.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CollectionPlan {
    /// The generation collected (the younger ones are merged into it).
    pub generation: usize,
    /// Every tracked object of generations `0..=generation`, in scan order.
    pub objects: Vec<PlannedObject>,
    /// Objects found unreachable: what `gc.collect(generation)` will return.
    pub unreachable: usize,
    /// Reachable objects the collection untracks (some may then be freed with the garbage).
    pub untracked: usize,
    /// Reachable objects that stay tracked after the scan (moved to the next generation;
    /// those of them only the garbage holds are freed right after, see [`Fate::FreedAfter`]).
    pub survivors: usize,
    /// Reachable objects freed by reference counting once the garbage is cleared.
    pub freed_after: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scan {
    /// In the young list, not scanned yet.
    Pending,
    /// Scanned: reachable.
    Reachable,
    /// Put aside (gc_refs 0 when its turn came); may be moved back.
    Unreachable,
    /// A tuple untracked during the scan.
    Untracked,
}

/// Plan the collection of `generation` (and the younger ones) on the current state, without
/// changing it. The collector's lists, counts and every object are left as they were.
///
/// # Panics
/// If `generation >= NUM_GENERATIONS`.
pub fn plan_collection(generation: usize) -> CollectionPlan {
    assert!(generation < NUM_GENERATIONS, "invalid generation");
    // The merged list: the collected generation, then 0, 1, ... (`gc_list_merge` appends).
    let mut members: Vec<(NonNull<PyObject>, usize)> = generation_members(generation)
        .into_iter()
        .map(|op| (op, generation))
        .collect();
    for g in 0..generation {
        members.extend(generation_members(g).into_iter().map(|op| (op, g)));
    }
    let index: HashMap<usize, usize> = members
        .iter()
        .enumerate()
        .map(|(i, (op, _))| (op.as_ptr() as usize, i))
        .collect();
    let n = members.len();

    // update_refs and subtract_refs.
    let rc: Vec<isize> = members.iter().map(|&(op, _)| refcnt(op)).collect();
    let mut internal = vec![0isize; n];
    let mut refers_to: Vec<Vec<usize>> = vec![Vec::new(); n];
    // Whether something outside the set that may be tracked keeps a tuple or dict tracked.
    let mut outside_blocks_untrack = vec![false; n];
    for (i, &(op, _)) in members.iter().enumerate() {
        traverse(
            op,
            &mut |child| match index.get(&(child.as_ptr() as usize)) {
                Some(&j) => {
                    internal[j] += 1;
                    refers_to[i].push(j);
                }
                None => outside_blocks_untrack[i] |= may_be_tracked(child),
            },
        );
    }
    let after_subtract: Vec<isize> = (0..n).map(|i| rc[i] - internal[i]).collect();
    debug_assert!(
        after_subtract.iter().all(|&r| r >= 0),
        "more references from the set than the refcount: {after_subtract:?}"
    );

    // move_unreachable, in the collector's order: each position of `order` holds an object
    // when its turn comes; one moved back from the unreachable list goes to the end.
    // The types' untracking policies (tuples when scanned, dicts in full collections).
    let is_tuple = |i: usize| type_of(members[i].0).gc_untrack == GcUntrack::WhenScanned;
    let is_dict = |i: usize| type_of(members[i].0).gc_untrack == GcUntrack::FullCollection;
    let mut refs = after_subtract.clone();
    let mut state = vec![Scan::Pending; n];
    let mut reached_from: Vec<Option<usize>> = vec![None; n];
    let mut order: Vec<usize> = (0..n).collect();
    let mut k = 0;
    while k < order.len() {
        let x = order[k];
        k += 1;
        debug_assert!(state[x] == Scan::Pending, "row {x} scanned twice");
        if refs[x] == 0 {
            state[x] = Scan::Unreachable;
            continue;
        }
        for &c in &refers_to[x] {
            match state[c] {
                Scan::Unreachable => {
                    state[c] = Scan::Pending;
                    refs[c] = 1;
                    reached_from[c] = Some(x);
                    order.push(c);
                }
                Scan::Pending if refs[c] == 0 => {
                    refs[c] = 1;
                    reached_from[c] = Some(x);
                }
                _ => {}
            }
        }
        // `_PyTuple_MaybeUntrack`: nothing inside may be tracked (a member tuple untracked
        // earlier in this scan no longer counts).
        let untrack = is_tuple(x)
            && !outside_blocks_untrack[x]
            && refers_to[x]
                .iter()
                .all(|&c| is_tuple(c) && state[c] == Scan::Untracked);
        state[x] = if untrack {
            Scan::Untracked
        } else {
            Scan::Reachable
        };
    }
    // `untrack_dicts` (full collections), after every tuple has had its turn.
    if generation == NUM_GENERATIONS - 1 {
        for x in 0..n {
            if state[x] == Scan::Reachable
                && is_dict(x)
                && !outside_blocks_untrack[x]
                && refers_to[x]
                    .iter()
                    .all(|&c| is_tuple(c) && state[c] == Scan::Untracked)
            {
                state[x] = Scan::Untracked;
            }
        }
    }

    let dies_after = freed_with_the_garbage(&members, &index, &rc, &state);
    let objects: Vec<PlannedObject> = (0..n)
        .map(|i| {
            let fate = match state[i] {
                Scan::Reachable | Scan::Untracked if dies_after[i] => Fate::FreedAfter,
                Scan::Reachable => Fate::Survives,
                Scan::Untracked => Fate::Untracked,
                Scan::Unreachable => Fate::Freed,
                Scan::Pending => unreachable!("every object is scanned"),
            };
            PlannedObject {
                id: members[i].0.as_ptr() as usize,
                type_name: type_of(members[i].0).tp_name,
                generation: members[i].1,
                ob_refcnt: rc[i],
                gc_refs_after_update_refs: rc[i],
                internal_refs: internal[i],
                gc_refs_after_subtract_refs: after_subtract[i],
                refers_to: std::mem::take(&mut refers_to[i]),
                reachable: fate != Fate::Freed,
                reached_from: if after_subtract[i] == 0 {
                    reached_from[i]
                } else {
                    None
                },
                fate,
            }
        })
        .collect();
    // What the scan decides (the collector's report counts these), whatever happens after.
    let count = |s: Scan| state.iter().filter(|&&x| x == s).count();
    CollectionPlan {
        generation,
        unreachable: count(Scan::Unreachable),
        untracked: count(Scan::Untracked),
        survivors: count(Scan::Reachable),
        freed_after: dies_after.iter().filter(|&&d| d).count(),
        objects,
    }
}

/// Which reachable members die by reference counting once the unreachable ones are cleared:
/// every reference the garbage holds goes away, and an object whose count reaches zero that
/// way lets go of its own references in turn (members or not: a list of an older generation
/// that only the garbage holds takes its items with it).
fn freed_with_the_garbage(
    members: &[(NonNull<PyObject>, usize)],
    row: &HashMap<usize, usize>,
    rc: &[isize],
    state: &[Scan],
) -> Vec<bool> {
    let mut lost: HashMap<usize, isize> = HashMap::new();
    let mut work: Vec<NonNull<PyObject>> = members
        .iter()
        .zip(state)
        .filter(|(_, s)| **s == Scan::Unreachable)
        .map(|((op, _), _)| *op)
        .collect();
    let mut dead: std::collections::HashSet<usize> =
        work.iter().map(|op| op.as_ptr() as usize).collect();
    while let Some(op) = work.pop() {
        if !is_gc_object(op) {
            continue;
        }
        traverse(op, &mut |child| {
            let a = child.as_ptr() as usize;
            if dead.contains(&a) {
                return;
            }
            let n = lost.entry(a).or_default();
            *n += 1;
            let count = row.get(&a).map_or_else(|| refcnt(child), |&i| rc[i]);
            if count - *n == 0 {
                dead.insert(a);
                work.push(child);
            }
        });
    }
    members
        .iter()
        .zip(state)
        .map(|((op, _), s)| *s != Scan::Unreachable && dead.contains(&(op.as_ptr() as usize)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gc;
    use crate::object::Obj;
    use crate::types::dict::PyDict;
    use crate::types::int::PyInt;
    use crate::types::list::PyList;
    use crate::types::str::PyStr;
    use crate::types::tuple::PyTuple;

    fn row_of<'a>(plan: &'a CollectionPlan, o: &Obj) -> &'a PlannedObject {
        plan.objects
            .iter()
            .find(|p| p.id == o.id())
            .expect("planned")
    }

    /// The textbook graph, counted by hand: a reachable list holding a list, a 2-cycle, a
    /// self-reference.
    #[test]
    fn textbook_graph() {
        gc::disable();
        gc::collect(2);
        let child = PyList::with_items(vec![PyInt::from_i64(1).into_obj()]).into_obj();
        let keep = PyList::with_items(vec![child.clone()]).into_obj();
        let (child_id, keep_id) = (child.id(), keep.id());
        drop(child);
        let a = PyList::new();
        let b = PyDict::new();
        b.set_item(PyStr::new("a").into_obj(), a.as_obj().clone())
            .unwrap();
        a.append(b.as_obj().clone());
        let s = PyList::new();
        s.append(s.as_obj().clone());
        let (a_id, b_id, s_id) = (a.as_obj().id(), b.as_obj().id(), s.as_obj().id());
        drop((a, b, s));

        let plan = plan_collection(2);
        let by_id = |id| plan.objects.iter().find(|p| p.id == id).unwrap();
        // (ob_refcnt, after subtract_refs, fate)
        let expect = [
            (child_id, 1, 0, Fate::Survives),
            (keep_id, 1, 1, Fate::Survives),
            (a_id, 1, 0, Fate::Freed),
            (b_id, 1, 0, Fate::Freed),
            (s_id, 1, 0, Fate::Freed),
        ];
        assert_eq!(plan.objects.len(), 5);
        for (id, rc, sub, fate) in expect {
            let p = by_id(id);
            assert_eq!(
                (p.ob_refcnt, p.gc_refs_after_subtract_refs, p.fate),
                (rc, sub, fate)
            );
        }
        let keep_row = plan.objects.iter().position(|p| p.id == keep_id);
        assert_eq!(by_id(child_id).reached_from, keep_row);
        assert_eq!(gc::collect(2), plan.unreachable);
        assert_eq!(plan.unreachable, 3);
        drop(keep);
        gc::enable();
    }

    #[test]
    fn tuples_and_dicts_untracked_as_the_collector_does() {
        gc::disable();
        gc::collect(2);
        let inner = PyTuple::new(vec![PyInt::from_i64(5).into_obj()]).into_obj();
        let outer = PyTuple::new(vec![inner.clone()]).into_obj();
        let d = PyDict::new();
        d.set_item(PyStr::new("t").into_obj(), outer.clone())
            .unwrap();
        let l = PyList::with_items(vec![d.as_obj().clone()]);
        let plan = plan_collection(2);
        assert_eq!(row_of(&plan, &inner).fate, Fate::Untracked);
        assert_eq!(row_of(&plan, &outer).fate, Fate::Untracked);
        assert_eq!(row_of(&plan, d.as_obj()).fate, Fate::Untracked);
        assert_eq!(row_of(&plan, l.as_obj()).fate, Fate::Survives);
        gc::collect(2);
        let report = gc::last_collection().unwrap();
        assert_eq!(report.untracked, plan.untracked);
        assert!(!gc::is_tracked(d.as_obj()) && !gc::is_tracked(&outer));
        gc::enable();
    }
}
