//! The cycle collector as plain data: its state (`pylayout gc --after FILE`) and one
//! collection explained on live objects (`pylayout gc --explain`).
//!
//! The explanation is the classic one — *gc_refs = refcount minus the references from inside
//! the generation; whatever is left over is held from outside* — with the numbers
//! [`gc::plan_collection`] computes on a copy, then the real [`gc::collect`], and a check
//! that the two agree object by object.
//!
//! ```text
//!  row  object            ob_refcnt  update_refs  subtract_refs  result
//!   1   list keep[0]  [1, 2]      1            1              0  reachable (from #2)
//!   2   list keep     [#1]        1            1              1  reachable
//!   3   list a        [#4]        1            1              0  unreachable: freed
//! ```

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::gc::{self, CollectionReport, Fate, NUM_GENERATIONS};
use crate::object::Obj;
use crate::runtime;
use crate::script::Interp;
use crate::script::value::Value;
use crate::types::dict::PyDict;
use crate::types::int::PyInt;
use crate::types::list::PyList;
use crate::types::ops;
use crate::types::str::PyStr;
use crate::types::tuple::PyTuple;

/// One generation: `gc.get_count()`, `gc.get_threshold()`, `gc.get_stats()` and the tracked
/// objects, for generation `generation`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GenerationState {
    /// 0, 1 or 2.
    pub generation: usize,
    /// `gc.get_count()[generation]`: allocations minus deallocations of GC objects since the
    /// last collection (generation 0), or collections of the younger generation (1 and 2).
    pub count: isize,
    /// `gc.get_threshold()[generation]`.
    pub threshold: isize,
    /// `gc.get_stats()[generation]['collections']`.
    pub collections: u64,
    /// `gc.get_stats()[generation]['collected']`.
    pub collected: u64,
    /// `gc.get_stats()[generation]['uncollectable']`.
    pub uncollectable: u64,
    /// Objects on this generation's list in pylayout's runtime (the script's own objects;
    /// CPython's interpreter objects are not built).
    pub tracked: usize,
    /// Those objects by type, most common first.
    pub tracked_by_type: Vec<TypeCount>,
}

/// How many tracked objects of one type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TypeCount {
    /// `type(obj).__name__`.
    #[serde(rename = "type")]
    pub type_name: String,
    /// How many.
    pub count: usize,
}

/// The collector's state (the numbers of the `gc` module, plus the tracked objects).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GcState {
    /// `gc.isenabled()`.
    pub enabled: bool,
    /// Generations 0, 1, 2.
    pub generations: Vec<GenerationState>,
    /// Survivors of the last full collection (CPython's start-up objects included): a full
    /// collection is due only when `long_lived_pending > long_lived_total / 4`.
    pub long_lived_total: isize,
    /// Objects moved into generation 2 since the last full collection.
    pub long_lived_pending: isize,
}

/// The collector's state now.
pub fn gc_state() -> GcState {
    let (count, threshold, stats) = (gc::get_count(), gc::get_threshold(), gc::get_stats());
    let sizes = gc::generation_sizes();
    let by_type = gc::tracked_by_type();
    let (long_lived_total, long_lived_pending) = gc::long_lived();
    GcState {
        enabled: gc::isenabled(),
        generations: (0..NUM_GENERATIONS)
            .map(|g| GenerationState {
                generation: g,
                count: count[g],
                threshold: threshold[g],
                collections: stats[g].collections,
                collected: stats[g].collected,
                uncollectable: stats[g].uncollectable,
                tracked: sizes[g],
                tracked_by_type: by_type[g]
                    .iter()
                    .map(|&(t, c)| TypeCount {
                        type_name: t.to_string(),
                        count: c,
                    })
                    .collect(),
            })
            .collect(),
        long_lived_total,
        long_lived_pending,
    }
}

/// One row of the explanation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExplainedObject {
    /// 1-based row, in the order the collector scans.
    pub row: usize,
    /// `id(obj)`.
    pub id: usize,
    /// `type(obj).__name__`.
    #[serde(rename = "type")]
    pub type_name: String,
    /// A variable that holds it, if known (`keep`, `keep[0]`).
    pub name: Option<String>,
    /// A short repr; other objects of the collected set appear as `#row`.
    pub summary: String,
    /// The generation it was in.
    pub generation: usize,
    /// `ob_refcnt`.
    pub ob_refcnt: isize,
    /// gc_refs after `update_refs` (= `ob_refcnt`).
    pub gc_refs_after_update_refs: isize,
    /// References to it from objects of the collected set.
    pub internal_refs: isize,
    /// gc_refs after `subtract_refs` (references from outside).
    pub gc_refs_after_subtract_refs: isize,
    /// Rows it refers to.
    pub refers_to: Vec<usize>,
    /// `move_unreachable`'s verdict.
    pub reachable: bool,
    /// For a reachable object without outside references: the row that reached it.
    pub reached_from: Option<usize>,
    /// What the collection does with it (planned).
    pub fate: Fate,
    /// After the real collection: whether it is still on a generation list (a survivor).
    pub tracked_after: bool,
}

/// One collection, explained before it runs and checked after.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Explanation {
    /// The generation collected (`gc.collect(generation)`).
    pub generation: usize,
    /// Tracked objects in the collected set.
    pub examined: usize,
    /// The first rows (all of them unless capped).
    pub objects: Vec<ExplainedObject>,
    /// Rows left out by the cap.
    pub objects_not_shown: usize,
    /// Objects the plan calls unreachable (to be freed).
    pub planned_unreachable: usize,
    /// Reachable objects the plan says will be untracked.
    pub planned_untracked: usize,
    /// Reachable objects that stay tracked.
    pub planned_survivors: usize,
    /// Reachable objects only the garbage held: freed by reference counting right after.
    pub planned_freed_after: usize,
    /// What the real `gc.collect(generation)` returned.
    pub collect_returned: usize,
    /// Rows (1-based) of the objects the collection freed (the unreachable ones, and those
    /// only they held).
    pub freed_rows: Vec<usize>,
    /// The real collection's report.
    pub report: Option<CollectionReport>,
    /// pymalloc blocks in use before and after the collection.
    pub blocks_before: usize,
    /// See `blocks_before`.
    pub blocks_after: usize,
    /// Whether the plan and the collection agree on every object (unreachable count,
    /// untracked count, which objects are still tracked afterwards).
    pub agrees: bool,
}

/// Plan a collection of `generation`, describe the first `max_rows` objects (`names` maps
/// `id()` to a variable name), run the real collection, and check the plan against it.
pub fn explain_collection(
    generation: usize,
    max_rows: usize,
    names: &HashMap<usize, String>,
) -> Explanation {
    let plan = gc::plan_collection(generation);
    let rows: HashMap<usize, usize> = plan
        .objects
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id, i + 1))
        .collect();
    let shown = plan.objects.len().min(max_rows);
    let shown_ids: Vec<usize> = plan.objects[..shown].iter().map(|p| p.id).collect();
    let mut summaries: HashMap<usize, String> = HashMap::new();
    gc::visit_tracked(&shown_ids, |id, o| {
        summaries.insert(id, summary(o, &rows));
    });

    let blocks_before = runtime::allocated_blocks();
    let collect_returned = gc::collect(generation);
    let report = gc::last_collection();
    let blocks_after = runtime::allocated_blocks();
    let all_ids: Vec<usize> = plan.objects.iter().map(|p| p.id).collect();
    let mut still: HashSet<usize> = HashSet::new();
    gc::visit_tracked(&all_ids, |id, _| {
        still.insert(id);
    });

    let agrees = collect_returned == plan.unreachable
        && report
            .as_ref()
            .is_some_and(|r| r.untracked == plan.untracked && r.unreachable == plan.unreachable)
        && plan
            .objects
            .iter()
            .all(|p| still.contains(&p.id) == (p.fate == Fate::Survives));
    let objects = plan.objects[..shown]
        .iter()
        .enumerate()
        .map(|(i, p)| ExplainedObject {
            row: i + 1,
            id: p.id,
            type_name: p.type_name.to_string(),
            name: names.get(&p.id).cloned(),
            summary: summaries.remove(&p.id).unwrap_or_default(),
            generation: p.generation,
            ob_refcnt: p.ob_refcnt,
            gc_refs_after_update_refs: p.gc_refs_after_update_refs,
            internal_refs: p.internal_refs,
            gc_refs_after_subtract_refs: p.gc_refs_after_subtract_refs,
            refers_to: p.refers_to.iter().map(|&r| r + 1).collect(),
            reachable: p.reachable,
            reached_from: p.reached_from.map(|r| r + 1),
            fate: p.fate,
            tracked_after: still.contains(&p.id),
        })
        .collect();
    Explanation {
        generation,
        examined: plan.objects.len(),
        objects,
        objects_not_shown: plan.objects.len() - shown,
        planned_unreachable: plan.unreachable,
        planned_untracked: plan.untracked,
        planned_survivors: plan
            .objects
            .iter()
            .filter(|p| p.fate == Fate::Survives)
            .count(),
        planned_freed_after: plan.freed_after,
        collect_returned,
        freed_rows: plan
            .objects
            .iter()
            .enumerate()
            .filter(|(_, p)| matches!(p.fate, Fate::Freed | Fate::FreedAfter))
            .map(|(i, _)| i + 1)
            .collect(),
        report,
        blocks_before,
        blocks_after,
        agrees,
    }
}

/// Longest summary, in characters.
pub const SUMMARY_CHARS: usize = 40;
/// Items of a container shown before `...`.
const SUMMARY_ITEMS: usize = 4;

/// A short repr of `o`: objects of the collected set (in `rows`) as `#row`, containers
/// nested at most two deep, at most [`SUMMARY_CHARS`] characters.
fn summary(o: &Obj, rows: &HashMap<usize, usize>) -> String {
    let mut s = String::new();
    summarize(o, rows, 0, &mut s);
    if s.chars().count() > SUMMARY_CHARS {
        s = s.chars().take(SUMMARY_CHARS - 3).collect();
        s.push_str("...");
    }
    s
}

fn summarize(o: &Obj, rows: &HashMap<usize, usize>, depth: usize, out: &mut String) {
    if let Some(r) = rows.get(&o.id()).filter(|_| depth > 0) {
        out.push_str(&format!("#{r}"));
        return;
    }
    if out.len() > SUMMARY_CHARS {
        return;
    }
    let items =
        |out: &mut String, n: usize, open: &str, close: &str, item: &dyn Fn(usize, &mut String)| {
            out.push_str(open);
            if depth >= 2 && n > 0 {
                out.push_str("...");
            } else {
                for i in 0..n.min(SUMMARY_ITEMS) {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item(i, out);
                }
                if n > SUMMARY_ITEMS {
                    out.push_str(", ...");
                }
            }
            out.push_str(close);
        };
    if let Ok(l) = PyList::from_obj(o.clone()) {
        items(out, l.len(), "[", "]", &|i, out| {
            if let Ok(x) = l.get(i as isize) {
                summarize(&x, rows, depth + 1, out);
            }
        });
    } else if let Ok(t) = PyTuple::from_obj(o.clone()) {
        let close = if t.len() == 1 { ",)" } else { ")" };
        items(out, t.len(), "(", close, &|i, out| {
            if let Ok(x) = t.get(i as isize) {
                summarize(&x, rows, depth + 1, out);
            }
        });
    } else if let Ok(d) = PyDict::from_obj(o.clone()) {
        let entries: Vec<usize> = (0..d.nentries())
            .filter(|&ix| d.entry_at(ix).is_some())
            .take(SUMMARY_ITEMS + 1)
            .collect();
        items(out, d.len(), "{", "}", &|i, out| {
            if let Some((k, v)) = entries.get(i).and_then(|&ix| d.entry_at(ix)) {
                summarize(&k, rows, depth + 1, out);
                out.push_str(": ");
                summarize(&v, rows, depth + 1, out);
            }
        });
    } else if let Ok(i) = PyInt::from_obj(o.clone()) {
        // A huge int would take long to print in decimal, and would be cut anyway.
        match i.to_i64() {
            Some(_) => out.push_str(&ops::repr(o)),
            None => out.push_str("<int>"),
        }
    } else if let Ok(s) = PyStr::from_obj(o.clone()) {
        let text: String = s.to_string().chars().take(SUMMARY_CHARS).collect();
        out.push_str(&crate::types::str::repr(&text));
    } else {
        out.push_str(&ops::repr(o));
    }
}

/// `id()` to name for the objects a script's globals hold (`--after FILE`), first name in
/// binding order.
pub fn global_names(interp: &Interp) -> HashMap<usize, String> {
    let mut names = HashMap::new();
    for name in interp.script_globals() {
        if let Some(Value::Obj(o)) = interp.global(name) {
            names.entry(o.id()).or_insert_with(|| name.to_string());
        }
    }
    names
}

/// The fixed graph of `gc --explain`, in Python:
///
/// ```python
/// keep = [[1, 2]]                              # reachable: a variable holds it
/// a = []; b = {'a': a}; a.append(b); del a, b  # a 2-cycle nobody holds
/// s = []; s.append(s); del s                   # a list that holds itself
/// ```
///
/// Five tracked objects: `keep[0]`, `keep`, `a`, `b`, `s`, in that order. `keep[0]` is only
/// referenced from `keep` (gc_refs 0 after subtract_refs) and comes first, so the scan puts
/// it aside, then moves it back when it reaches `keep`.
#[derive(Debug)]
pub struct TextbookGraph {
    /// The variable `keep`.
    pub keep: Obj,
    /// `id()` to the name each object had.
    pub names: HashMap<usize, String>,
}

/// The Python lines [`TextbookGraph::build`] mirrors.
pub const TEXTBOOK_SOURCE: &str = "keep = [[1, 2]]                              # reachable: a variable holds it\n\
a = []; b = {'a': a}; a.append(b); del a, b  # a 2-cycle nobody holds\n\
s = []; s.append(s); del s                   # a list that holds itself\n";

impl TextbookGraph {
    /// Build it in the current runtime (collect first, with automatic collection off, for a
    /// clean generation list).
    pub fn build() -> TextbookGraph {
        let mut names = HashMap::new();
        let inner = PyList::with_items(vec![
            PyInt::from_i64(1).into_obj(),
            PyInt::from_i64(2).into_obj(),
        ]);
        names.insert(inner.as_obj().id(), "keep[0]".to_string());
        let keep = PyList::with_items(vec![inner.into_obj()]).into_obj();
        names.insert(keep.id(), "keep".to_string());
        let a = PyList::new();
        let b = PyDict::new();
        b.set_item(PyStr::new("a").into_obj(), a.as_obj().clone())
            .expect("str keys hash");
        a.append(b.as_obj().clone());
        names.insert(a.as_obj().id(), "a".to_string());
        names.insert(b.as_obj().id(), "b".to_string());
        let s = PyList::new();
        s.append(s.as_obj().clone());
        names.insert(s.as_obj().id(), "s".to_string());
        TextbookGraph { keep, names }
    }
}

/// `gc --explain` without a script: collect first (automatic collection off), build the
/// [`TextbookGraph`], explain a collection of `generation`, and leave the heap as it was.
pub fn explain_textbook(generation: usize, max_rows: usize) -> Explanation {
    gc::disable();
    gc::collect(2);
    let graph = TextbookGraph::build();
    let explanation = explain_collection(generation, max_rows, &graph.names);
    drop(graph);
    gc::collect(2);
    gc::enable();
    explanation
}

/// What `pylayout gc` shows: `cycles` garbage cycles collected beside `keep` live lists.
#[derive(Clone, Debug, Serialize)]
pub struct CyclesDemo {
    /// Garbage cycles built (`a = []; b = {'a': a}; a.append(b); del a, b`).
    pub cycles: u32,
    /// Live lists kept beside them (in one list).
    pub keep: u32,
    /// `gc.get_threshold()`.
    pub threshold: [isize; 3],
    /// `gc.get_count()` before the collection.
    pub count_before: [isize; 3],
    /// Objects tracked per generation before.
    pub tracked_before: [usize; 3],
    /// `sys.getallocatedblocks()` before.
    pub blocks_before: usize,
    /// What `gc.collect()` returned.
    pub collect_returned: usize,
    /// The collection's report.
    pub report: Option<CollectionReport>,
    /// Objects tracked per generation after.
    pub tracked_after: [usize; 3],
    /// `gc.get_count()` after.
    pub count_after: [isize; 3],
    /// `sys.getallocatedblocks()` after (the kept lists still alive).
    pub blocks_after: usize,
}

/// Build `cycles` unreachable list–dict cycles beside a list of `keep` empty lists, with
/// automatic collection off, then run `gc.collect()` and report what it saw and freed.
pub fn cycles_demo(cycles: u32, keep: u32) -> CyclesDemo {
    gc::disable();
    gc::collect(2);
    let root = PyList::new();
    for _ in 0..keep {
        root.append(PyList::new().into_obj());
    }
    let key = PyStr::new("a").into_obj();
    for _ in 0..cycles {
        let a = PyList::new();
        let b = PyDict::new();
        b.set_item(key.clone(), a.as_obj().clone())
            .expect("str keys hash");
        a.append(b.into_obj());
    }
    let (count_before, tracked_before, blocks_before) = (
        gc::get_count(),
        gc::generation_sizes(),
        runtime::allocated_blocks(),
    );
    let collect_returned = gc::collect(2);
    let demo = CyclesDemo {
        cycles,
        keep,
        threshold: gc::get_threshold(),
        count_before,
        tracked_before,
        blocks_before,
        collect_returned,
        report: gc::last_collection(),
        tracked_after: gc::generation_sizes(),
        count_after: gc::get_count(),
        blocks_after: runtime::allocated_blocks(),
    };
    gc::enable();
    drop(root);
    demo
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn textbook_explained() {
        gc::disable();
        gc::collect(2);
        let g = TextbookGraph::build();
        let e = explain_collection(2, 40, &g.names);
        let got: Vec<(&str, &str, isize, isize, Fate)> = e
            .objects
            .iter()
            .map(|o| {
                (
                    o.name.as_deref().unwrap(),
                    o.summary.as_str(),
                    o.ob_refcnt,
                    o.gc_refs_after_subtract_refs,
                    o.fate,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("keep[0]", "[1, 2]", 1, 0, Fate::Survives),
                ("keep", "[#1]", 1, 1, Fate::Survives),
                ("a", "[#4]", 1, 0, Fate::Freed),
                ("b", "{'a': #3}", 1, 0, Fate::Freed),
                ("s", "[#5]", 1, 0, Fate::Freed),
            ]
        );
        assert_eq!(e.objects[0].reached_from, Some(2));
        assert_eq!(e.collect_returned, 3);
        assert_eq!(e.freed_rows, [3, 4, 5]);
        assert!(e.agrees);
        drop(g);
        gc::enable();
    }

    #[test]
    fn the_cycles_demo_frees_every_cycle_and_nothing_else() {
        let d = cycles_demo(50, 7);
        // Each cycle is a list and a dict; the kept lists (and their holder) survive.
        assert_eq!(d.collect_returned, 100);
        assert_eq!(d.tracked_after.iter().sum::<usize>(), 8);
        assert!(d.blocks_before > d.blocks_after);
        assert_eq!(d.count_after, [0, 0, 0]);
    }

    #[test]
    fn summaries_are_short() {
        let big = PyList::new();
        for i in 0..100 {
            big.append(PyStr::new(&"x".repeat(i)).into_obj());
        }
        let s = summary(big.as_obj(), &HashMap::new());
        assert!(s.chars().count() <= SUMMARY_CHARS, "{s}");
        let nested = PyList::with_items(vec![
            PyList::with_items(vec![PyList::new().into_obj()]).into_obj(),
        ]);
        assert_eq!(summary(nested.as_obj(), &HashMap::new()), "[[[]]]");
    }
}
