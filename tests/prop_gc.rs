//! Property test: random graphs of lists and dicts with random edges and random surviving
//! roots. Dropping the other handles frees, by reference counting, everything not kept alive
//! by a cycle; `gc::collect(2)` must then find exactly the rest of the unreachable nodes (a
//! model computes it), leave every reachable node intact, and after the roots go too,
//! the allocator is back at its baseline.

use proptest::prelude::*;
use pylayout::gc;
use pylayout::object::Obj;
use pylayout::runtime;
use pylayout::types::dict::PyDict;
use pylayout::types::int::PyInt;
use pylayout::types::list::PyList;

#[derive(Clone, Debug)]
struct Graph {
    is_dict: Vec<bool>,
    edges: Vec<(usize, usize)>,
    roots: Vec<bool>,
}

fn graph() -> impl Strategy<Value = Graph> {
    (1usize..40).prop_flat_map(|n| {
        (
            prop::collection::vec(any::<bool>(), n),
            prop::collection::vec((0..n, 0..n), 0..n * 3),
            prop::collection::vec(prop::bool::weighted(0.2), n),
        )
            .prop_map(|(is_dict, edges, roots)| Graph {
                is_dict,
                edges,
                roots,
            })
    })
}

/// Nodes reachable from the roots.
fn reachable(g: &Graph, roots: &[bool]) -> Vec<bool> {
    let n = g.is_dict.len();
    let mut reach = roots.to_vec();
    let mut stack: Vec<usize> = (0..n).filter(|&i| reach[i]).collect();
    while let Some(v) = stack.pop() {
        for &(a, b) in &g.edges {
            if a == v && !reach[b] {
                reach[b] = true;
                stack.push(b);
            }
        }
    }
    reach
}

/// Of the `present` nodes, those the collector must find once `roots` are the only
/// outside references: tracked, unreachable, yet not freed by reference counting (in a
/// cycle, or referenced from one).
fn expected_garbage(g: &Graph, present: &[bool], roots: &[bool]) -> usize {
    let n = g.is_dict.len();
    let reach = reachable(g, roots);
    // Reference counting frees unreachable nodes with no remaining referrers, repeatedly.
    let mut alive: Vec<bool> = (0..n).map(|i| present[i] && !reach[i]).collect();
    loop {
        let mut changed = false;
        for v in 0..n {
            if alive[v] && !g.edges.iter().any(|&(a, b)| b == v && alive[a]) {
                alive[v] = false;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    // A dict that never received a container is untracked (MAINTAIN_TRACKING): refcounting
    // frees it when its referrers are cleared, but the collector never counts it.
    (0..n)
        .filter(|&v| alive[v] && (!g.is_dict[v] || g.edges.iter().any(|&(a, _)| a == v)))
        .count()
}

fn run(g: Graph) -> Result<(), TestCaseError> {
    gc::disable();
    gc::collect(2);
    runtime::clear_freelists();
    let base = runtime::allocated_blocks();
    {
        let nodes: Vec<Obj> = g
            .is_dict
            .iter()
            .map(|&d| {
                if d {
                    PyDict::new().into_obj()
                } else {
                    PyList::new().into_obj()
                }
            })
            .collect();
        let mut out_degree = vec![0usize; nodes.len()];
        for (k, &(a, b)) in g.edges.iter().enumerate() {
            if g.is_dict[a] {
                let d = PyDict::from_obj(nodes[a].clone()).unwrap();
                d.set_item(PyInt::from_i64(k as i64).into_obj(), nodes[b].clone())
                    .unwrap();
            } else {
                PyList::from_obj(nodes[a].clone())
                    .unwrap()
                    .append(nodes[b].clone());
            }
            out_degree[a] += 1;
        }
        let roots: Vec<(usize, Obj)> = nodes
            .iter()
            .enumerate()
            .filter(|(i, _)| g.roots[*i])
            .map(|(i, o)| (i, o.clone()))
            .collect();
        drop(nodes);
        let found = gc::collect(2);
        let all = vec![true; g.is_dict.len()];
        prop_assert_eq!(found, expected_garbage(&g, &all, &g.roots));
        // Survivors are intact.
        for (i, o) in &roots {
            let len = if g.is_dict[*i] {
                PyDict::from_obj(o.clone()).unwrap().len()
            } else {
                PyList::from_obj(o.clone()).unwrap().len()
            };
            prop_assert_eq!(len, out_degree[*i]);
        }
    }
    // Dropping the roots leaves the cycles among what they reached.
    let survivors = reachable(&g, &g.roots);
    let none = vec![false; g.is_dict.len()];
    prop_assert_eq!(gc::collect(2), expected_garbage(&g, &survivors, &none));
    runtime::clear_freelists();
    prop_assert_eq!(runtime::allocated_blocks(), base);
    gc::enable();
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn collector_frees_exactly_the_unreachable(g in graph()) {
        run(g)?;
    }
}
