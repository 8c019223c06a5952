//! Property test: `gc::plan_collection` (the read-only replay behind `pylayout gc --explain`)
//! agrees with the real collector on random graphs of lists, dicts and tuples spread over
//! the generations. Each node holds a sentinel int only it refers to, so the test sees which
//! nodes the collection really freed: the sentinel's refcount drops from 2 to 1.

use proptest::prelude::*;
use pylayout::gc::{self, Fate};
use pylayout::object::Obj;
use pylayout::types::dict::PyDict;
use pylayout::types::int::PyInt;
use pylayout::types::list::PyList;
use pylayout::types::tuple::PyTuple;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    List,
    Dict,
    Tuple,
}

#[derive(Clone, Debug)]
struct Graph {
    kinds: Vec<Kind>,
    /// (from, to); a tuple's edges only go to earlier nodes (it is built with its items).
    edges: Vec<(usize, usize)>,
    roots: Vec<bool>,
    /// After building node i, collect this generation (promotes what came before).
    collect_after: Vec<Option<usize>>,
    /// The generation planned and collected at the end.
    generation: usize,
}

fn graph() -> impl Strategy<Value = Graph> {
    (1usize..30).prop_flat_map(|n| {
        (
            prop::collection::vec(
                prop_oneof![Just(Kind::List), Just(Kind::Dict), Just(Kind::Tuple)],
                n,
            ),
            prop::collection::vec((0..n, 0..n), 0..n * 3),
            prop::collection::vec(prop::bool::weighted(0.25), n),
            prop::collection::vec(
                prop_oneof![8 => Just(None), 1 => (0usize..3).prop_map(Some)],
                n,
            ),
            0usize..3,
        )
            .prop_map(|(kinds, edges, roots, collect_after, generation)| Graph {
                kinds,
                edges,
                roots,
                collect_after,
                generation,
            })
    })
}

fn run(g: Graph) -> Result<(), TestCaseError> {
    gc::disable();
    gc::collect(2);
    let n = g.kinds.len();
    let sentinels: Vec<Obj> = (0..n)
        .map(|i| PyInt::from_i64(1_000_000 + i as i64).into_obj())
        .collect();
    let mut nodes: Vec<Obj> = Vec::with_capacity(n);
    for (i, sentinel) in sentinels.iter().enumerate() {
        let node = match g.kinds[i] {
            Kind::List => PyList::with_items(vec![sentinel.clone()]).into_obj(),
            Kind::Dict => {
                let d = PyDict::new();
                d.set_item(PyInt::from_i64(-1).into_obj(), sentinel.clone())
                    .unwrap();
                d.into_obj()
            }
            Kind::Tuple => {
                let mut items = vec![sentinel.clone()];
                items.extend(
                    g.edges
                        .iter()
                        .filter(|&&(a, b)| a == i && b < i)
                        .map(|&(_, b)| nodes[b].clone()),
                );
                PyTuple::new(items).into_obj()
            }
        };
        nodes.push(node);
        if let Some(gen_) = g.collect_after[i] {
            gc::collect(gen_);
        }
    }
    for (k, &(a, b)) in g.edges.iter().enumerate() {
        match g.kinds[a] {
            Kind::List => PyList::from_obj(nodes[a].clone())
                .unwrap()
                .append(nodes[b].clone()),
            Kind::Dict => PyDict::from_obj(nodes[a].clone())
                .unwrap()
                .set_item(PyInt::from_i64(k as i64).into_obj(), nodes[b].clone())
                .unwrap(),
            Kind::Tuple => {}
        }
    }
    let ids: Vec<usize> = nodes.iter().map(Obj::id).collect();
    let roots: Vec<Obj> = (0..n)
        .filter(|&i| g.roots[i])
        .map(|i| nodes[i].clone())
        .collect();
    drop(nodes);

    let plan = gc::plan_collection(g.generation);
    let sizes = gc::generation_sizes();
    let expect_examined: usize = sizes[..=g.generation].iter().sum();
    prop_assert_eq!(plan.objects.len(), expect_examined);
    let found = gc::collect(g.generation);
    let report = gc::last_collection().unwrap();
    prop_assert_eq!(found, plan.unreachable);
    prop_assert_eq!(report.untracked, plan.untracked);
    prop_assert_eq!(report.examined, plan.objects.len());
    if g.generation < 2 {
        prop_assert_eq!(report.promoted, plan.survivors);
    }
    for p in &plan.objects {
        prop_assert_eq!(p.gc_refs_after_update_refs, p.ob_refcnt);
        prop_assert_eq!(p.gc_refs_after_subtract_refs, p.ob_refcnt - p.internal_refs);
        let Some(i) = ids.iter().position(|&id| id == p.id) else {
            continue;
        };
        // Freed exactly when planned: only the test's handle is left on the sentinel.
        let freed = sentinels[i].refcnt() == 1;
        prop_assert_eq!(
            freed,
            matches!(p.fate, Fate::Freed | Fate::FreedAfter),
            "node {} {:?}",
            i,
            p
        );
    }
    for r in &roots {
        let p = plan.objects.iter().find(|p| p.id == r.id());
        if let Some(p) = p {
            prop_assert!(p.fate != Fate::Freed);
            prop_assert_eq!(gc::is_tracked(r), p.fate == Fate::Survives);
        }
    }
    drop(roots);
    gc::collect(2);
    gc::enable();
    Ok(())
}

proptest! {
    // 256 cases unless PROPTEST_CASES says otherwise.
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn plan_agrees_with_the_collector(g in graph()) {
        run(g)?;
    }
}
