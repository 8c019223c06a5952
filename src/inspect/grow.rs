//! Growth patterns: grow a real container one element at a time from empty and record every
//! point where its size changes, with what that step cost. Beyond [`LIST_ALLOC_LIMIT`] the
//! points come from the policy functions alone, without allocating.

use serde::Serialize;

use crate::cost::{self, Costs};
use crate::object::GC_HEAD_SIZE;
use crate::types::int::PyInt;
use crate::types::list::{self, LIST_TYPE, PyList};

/// Largest `--to` grown with real objects (80 MB of item pointers); above, the policy.
pub const LIST_ALLOC_LIMIT: u64 = 10_000_000;
/// Largest length a list can reach (`PY_SSIZE_T_MAX / sizeof(PyObject *)`).
pub const LIST_MAX_LEN: u64 = list::MAX_ALLOCATED as u64;

/// One step where `sys.getsizeof` changed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ListPoint {
    /// `len(list)` after the append that changed the size.
    pub len: u64,
    /// `allocated` after it.
    pub capacity: u64,
    /// `sys.getsizeof(list)`.
    pub size: u64,
    /// `size / len` (0 for the empty list).
    pub bytes_per_element: f64,
    /// Item slots allocated but unused (`capacity - len`).
    pub spare: u64,
    /// What the append cost: reallocation, copy, block moves (absent when computed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost: Option<Costs>,
}

/// How the points were obtained.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// A real list was grown.
    Allocated,
    /// Computed from `list_resize`'s policy, nothing allocated.
    Policy,
}

/// The result of growing a list.
#[derive(Clone, Debug, Serialize)]
pub struct ListGrowth {
    /// `list`.
    pub container: &'static str,
    /// The final length.
    pub to: u64,
    /// How the points were obtained.
    pub method: Method,
    /// Every point where the size changed, starting with the empty list.
    pub points: Vec<ListPoint>,
}

fn list_size(capacity: u64) -> u64 {
    (LIST_TYPE.tp_basicsize + GC_HEAD_SIZE) as u64 + 8 * capacity
}

fn point(len: u64, capacity: u64, cost: Option<Costs>) -> ListPoint {
    let size = list_size(capacity);
    ListPoint {
        len,
        capacity,
        size,
        bytes_per_element: if len == 0 {
            0.0
        } else {
            size as f64 / len as f64
        },
        spare: capacity - len,
        cost,
    }
}

/// Grow a list by `append` from `[]` to `to` items. `to` must be at most [`LIST_MAX_LEN`].
pub fn list_growth(to: u64) -> ListGrowth {
    assert!(to <= LIST_MAX_LEN, "a list cannot hold {to} items");
    let mut points = vec![point(0, 0, None)];
    let method = if to <= LIST_ALLOC_LIMIT {
        let l = PyList::new();
        let item = PyInt::from_i64(0).into_obj();
        for n in 1..=to {
            let before = l.allocated();
            let ((), c) = cost::measure(|| l.append(item.clone()));
            if l.allocated() != before {
                points.push(point(n, l.allocated() as u64, Some(c)));
            }
        }
        Method::Allocated
    } else {
        let (mut len, mut cap) = (0u64, 0u64);
        while len < to {
            // Appends up to the capacity change nothing; the next one resizes.
            len = (cap + 1).min(to);
            if len > cap {
                let new = list::resize_policy(cap as usize, cap as usize, len as usize)
                    .expect("growing past capacity reallocates") as u64;
                cap = new;
                points.push(point(len, cap, None));
            }
        }
        Method::Policy
    };
    ListGrowth {
        container: "list",
        to,
        method,
        points,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_and_real_growth_agree() {
        let real = list_growth(5000);
        assert_eq!(real.method, Method::Allocated);
        let mut computed = ListGrowth {
            points: vec![point(0, 0, None)],
            ..real.clone()
        };
        let mut cap = 0u64;
        while cap < 5000 {
            let len = cap + 1;
            cap = list::resize_policy(cap as usize, cap as usize, len as usize).unwrap() as u64;
            computed.points.push(point(len, cap, None));
        }
        let strip = |g: &ListGrowth| -> Vec<(u64, u64, u64)> {
            g.points
                .iter()
                .map(|p| (p.len, p.capacity, p.size))
                .collect()
        };
        assert_eq!(strip(&real), strip(&computed));
        assert!(real.points[1..].iter().all(|p| {
            let c = p.cost.unwrap();
            c.reallocs + c.allocs == 1 && c.frees == 0
        }));
    }

    #[test]
    fn huge_lists_are_computed() {
        let g = list_growth(1_000_000_000);
        assert_eq!(g.method, Method::Policy);
        let last = g.points.last().unwrap();
        assert!(last.len <= 1_000_000_000 && last.capacity >= last.len);
        assert!(g.points.len() < 200);
    }
}
