//! Growth patterns: grow a real container one element at a time from empty and record every
//! point where its size changes, with what that step cost. Beyond [`LIST_ALLOC_LIMIT`] the
//! points come from the policy functions alone, without allocating.

use serde::Serialize;

use crate::cost::{self, Costs};
use crate::object::GC_HEAD_SIZE;
use crate::runtime;
use crate::types::dict::{self, PyDict};
use crate::types::int::PyInt;
use crate::types::list::{self, LIST_TYPE, PyList};
use crate::types::str::PyStr;

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
    /// The CPython version whose policy grew it (`3.11`): [`runtime::version`].
    pub python: String,
    /// The final length.
    pub to: u64,
    /// How the points were obtained.
    pub method: Method,
    /// Every point where the size changed, starting with the empty list.
    pub points: Vec<ListPoint>,
    /// Resizes and what they copied.
    pub summary: GrowthSummary,
}

/// What all the resizes of a growth cost together.
///
/// How it counts (`counting` says it in words for the reader of the JSON):
/// - a **resize** is an append (insertion) after which `allocated` (the table) changed; the
///   first one allocates the array (table) of an empty container and copies nothing;
/// - a list's resize copies only when `realloc` moved the array: it then copies the old
///   pointer array, `8 * old allocated` bytes (the allocator's counter). Appends resize only
///   when the array is full, so that is exactly the live items. pymalloc moves every block
///   that changes size class; the system allocator (arrays over 512 bytes) may grow in place;
/// - a dict's resize (`dictresize`) always builds a new table and copies every live entry
///   (16 bytes in a unicode table, 24 in a general one); rebuilding the index is not copying;
/// - `copies_per_append` is items copied divided by the final length: the amortised cost.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GrowthSummary {
    /// Appends (insertions) that resized, the first allocation included.
    pub resizes: u64,
    /// Resizes that copied: lists, reallocs that moved the array; dicts, every resize but
    /// the first allocation.
    pub copying_resizes: u64,
    /// Items copied by the resizes: item pointers (list) or entries (dict).
    pub items_copied: u64,
    /// Bytes those copies moved.
    pub bytes_copied: u64,
    /// `items_copied / to` (0 for an empty growth).
    pub copies_per_append: f64,
    /// Whether the copies were counted on real objects (`true`) or computed from the policy.
    /// A computed list counts every realloc as moving: an upper bound.
    pub measured: bool,
    /// How the numbers are counted, in one sentence.
    pub counting: String,
}

fn per_append(items: u64, to: u64) -> f64 {
    if to == 0 {
        0.0
    } else {
        items as f64 / to as f64
    }
}

/// The summary of a list's growth points.
fn list_summary(points: &[ListPoint], to: u64, method: Method) -> GrowthSummary {
    let resizes = points.iter().filter(|p| p.len > 0).count() as u64;
    let (mut copying, mut items, mut bytes) = (0u64, 0u64, 0u64);
    for w in points.windows(2) {
        let (old, new) = (&w[0], &w[1]);
        if old.capacity == 0 {
            continue; // the first allocation: nothing to copy
        }
        match &new.cost {
            Some(c) if c.reallocs_moved > 0 => {
                copying += 1;
                items += c.bytes_copied / 8;
                bytes += c.bytes_copied;
            }
            Some(_) => {}
            None => {
                copying += 1;
                items += old.capacity;
                bytes += 8 * old.capacity;
            }
        }
    }
    let measured = method == Method::Allocated;
    let counting = if measured {
        "a resize is an append that changed `allocated`; it copies only when realloc moved the \
         array, and then copies the old pointer array (8 bytes * old allocated = the live items, \
         since appends resize a full array); the first allocation copies nothing"
    } else {
        "computed from list_resize's policy without allocating, counting every realloc as moving \
         the old pointer array (8 bytes * old allocated): an upper bound, since the system \
         allocator may grow a large array in place"
    };
    GrowthSummary {
        resizes,
        copying_resizes: copying,
        items_copied: items,
        bytes_copied: bytes,
        copies_per_append: per_append(items, to),
        measured,
        counting: counting.to_string(),
    }
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
    let summary = list_summary(&points, to, method);
    ListGrowth {
        container: "list",
        python: runtime::version().to_string(),
        to,
        method,
        points,
        summary,
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
    fn dict_policy_and_real_growth_agree() {
        for keys in [DictKeys::Str, DictKeys::Int] {
            let real = dict_growth(keys, 100_000);
            let mut computed = dict_growth(keys, DICT_ALLOC_LIMIT + 1);
            assert_eq!(computed.method, Method::Policy);
            computed.points.retain(|p| p.len <= 100_000);
            let strip = |g: &DictGrowth| -> Vec<(u64, u64, u64)> {
                g.points
                    .iter()
                    .map(|p| (p.len, p.table_size, p.size))
                    .collect()
            };
            assert_eq!(strip(&real), strip(&computed), "{keys:?}");
        }
    }

    #[test]
    fn summaries_count_the_copies() {
        let g = list_growth(1000);
        let s = &g.summary;
        assert_eq!(s.resizes, g.points.len() as u64 - 1);
        // Every resize but the first moved (pool blocks change class; the system blocks of
        // the last few may not): the copies are at most the old capacities.
        let bound: u64 = g.points[1..g.points.len() - 1]
            .iter()
            .map(|p| p.capacity)
            .sum();
        assert!(s.items_copied <= bound && s.items_copied > 0, "{s:?}");
        assert_eq!(s.bytes_copied, 8 * s.items_copied);
        assert!(s.measured);
        let computed = list_growth(LIST_ALLOC_LIMIT + 1);
        assert!(!computed.summary.measured);
        assert_eq!(list_growth(0).summary.resizes, 0);
        assert_eq!(list_growth(0).summary.copies_per_append, 0.0);
        for keys in [DictKeys::Str, DictKeys::Int] {
            let real = dict_growth(keys, 50_000);
            let computed = dict_growth(keys, DICT_ALLOC_LIMIT + 1);
            let upto: Vec<&DictPoint> =
                computed.points.iter().filter(|p| p.len <= 50_000).collect();
            let moved: u64 = upto.iter().skip(2).map(|p| p.len - 1).sum();
            assert_eq!(real.summary.items_copied, moved, "{keys:?}");
            assert_eq!(real.summary.resizes, upto.len() as u64 - 1);
            assert_eq!(real.summary.copying_resizes, real.summary.resizes - 1);
        }
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

/// Largest `--to` grown with real dict entries; above, the policy.
pub const DICT_ALLOC_LIMIT: u64 = 2_000_000;
/// Largest `--to` for a dict (a table of 2**40 slots is far beyond any machine; the policy
/// still answers).
pub const DICT_MAX_LEN: u64 = 1 << 40;

/// Key type for growing a dict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DictKeys {
    /// `d[str(i)] = None`: all keys exact str, a UNICODE table (16-byte entries).
    Str,
    /// `d[i] = None`: a GENERAL table (24-byte entries).
    Int,
}

/// One insertion where `sys.getsizeof(d)` changed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DictPoint {
    /// `len(d)` after the insertion.
    pub len: u64,
    /// Entries the table holds before the next resize (`USABLE_FRACTION(size)`).
    pub capacity: u64,
    /// Slots in the index (`2**dk_log2_size`).
    pub table_size: u64,
    /// Bytes per index slot (1, 2, 4 or 8).
    pub index_bytes: u64,
    /// `sys.getsizeof(d)`.
    pub size: u64,
    /// `size / len`.
    pub bytes_per_element: f64,
    /// What the insertion cost (absent when computed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost: Option<Costs>,
}

/// The result of growing a dict.
#[derive(Clone, Debug, Serialize)]
pub struct DictGrowth {
    /// `dict`.
    pub container: &'static str,
    /// The CPython version whose dict grew (one whose objects are built:
    /// [`crate::profile::PyVersion::builds_objects`]; a list grows in every version, by
    /// [`crate::profile::PyVersion::list_resize`]).
    pub python: String,
    /// The key type.
    pub keys: DictKeys,
    /// The final length.
    pub to: u64,
    /// How the points were obtained.
    pub method: Method,
    /// Every point where the size changed, starting with `{}`.
    pub points: Vec<DictPoint>,
    /// Resizes and what they copied.
    pub summary: GrowthSummary,
}

/// The summary of a dict's growth points: every resize after the first allocation moves the
/// entries the full table held (`capacity` of the previous point), measured or computed.
fn dict_summary(points: &[DictPoint], keys: DictKeys, to: u64, method: Method) -> GrowthSummary {
    let entry = match keys {
        DictKeys::Str => 16,
        DictKeys::Int => 24,
    };
    let resizes = points.iter().filter(|p| p.len > 0).count() as u64;
    let (mut copying, mut items, mut bytes) = (0u64, 0u64, 0u64);
    for w in points.windows(2) {
        let (old, new) = (&w[0], &w[1]);
        if old.table_size == 0 {
            continue; // insert_to_emptydict: the first table, nothing to copy
        }
        copying += 1;
        match &new.cost {
            Some(c) => {
                items += c.item_moves;
                bytes += c.item_moves * entry;
            }
            None => {
                // The insertion that found the table full: len - 1 live entries move.
                items += new.len - 1;
                bytes += (new.len - 1) * entry;
            }
        }
    }
    let measured = method == Method::Allocated;
    let counting = format!(
        "a resize is an insertion that found no usable entry (or the first, which allocates \
         the first table); dictresize builds a new table and copies every live entry \
         ({entry} bytes each in a {} table); rebuilding the index is not counted as copying{}",
        if entry == 16 { "unicode" } else { "general" },
        if measured {
            ""
        } else {
            "; computed from the policy (the same counts: a dict resize always copies)"
        }
    );
    GrowthSummary {
        resizes,
        copying_resizes: copying,
        items_copied: items,
        bytes_copied: bytes,
        copies_per_append: per_append(items, to),
        measured,
        counting,
    }
}

fn dict_point(len: u64, log2: Option<u8>, unicode: bool, cost: Option<Costs>) -> DictPoint {
    let (capacity, table_size, index_bytes, size) = match log2 {
        None => (
            0,
            0,
            0,
            (GC_HEAD_SIZE + dict::DICT_TYPE.tp_basicsize) as u64,
        ),
        Some(l) => (
            dict::usable_fraction(1 << l) as u64,
            1u64 << l,
            1u64 << (dict::log2_index_bytes(l) - l),
            dict::dict_getsizeof(l, unicode) as u64,
        ),
    };
    DictPoint {
        len,
        capacity,
        table_size,
        index_bytes,
        size,
        bytes_per_element: if len == 0 {
            0.0
        } else {
            size as f64 / len as f64
        },
        cost,
    }
}

/// Grow a dict from `{}` to `to` keys, one `d[key] = None` at a time.
/// The thread's runtime version ([`runtime::version`]) must be one of the
/// versions whose objects are built ([`crate::profile::PyVersion::builds_objects`]: 3.11's keys object,
/// unchanged in 3.12 and 3.13).
pub fn dict_growth(keys: DictKeys, to: u64) -> DictGrowth {
    assert!(to <= DICT_MAX_LEN, "too many keys: {to}");
    assert!(
        runtime::version().builds_objects(),
        "a {} dict is not built yet",
        runtime::version()
    );
    let unicode = keys == DictKeys::Str;
    let mut points = vec![dict_point(0, None, unicode, None)];
    let method = if to <= DICT_ALLOC_LIMIT {
        let d = PyDict::new();
        let none = PyInt::from_i64(0).into_obj();
        let mut last = d.as_obj().getsizeof();
        for n in 1..=to {
            let key = match keys {
                DictKeys::Str => PyStr::new(&n.to_string()).into_obj(),
                DictKeys::Int => PyInt::from_i64(n as i64).into_obj(),
            };
            let ((), c) = cost::measure(|| d.set_item(key, none.clone()).expect("hashable"));
            let size = d.as_obj().getsizeof();
            if size != last {
                last = size;
                points.push(dict_point(
                    n,
                    Some(d.table().dk_log2_size),
                    unicode,
                    Some(c),
                ));
            }
        }
        Method::Allocated
    } else {
        // insert_to_emptydict makes 8 slots; a full table resizes to
        // calculate_log2_keysize(GROWTH_RATE = 3 * used) before the next insertion.
        let mut log2 = dict::PYDICT_LOG_MINSIZE;
        points.push(dict_point(1, Some(log2), unicode, None));
        loop {
            let full = dict::usable_fraction(1 << log2) as u64;
            if full >= to {
                break;
            }
            log2 = dict::calculate_log2_keysize(3 * full as usize);
            points.push(dict_point(full + 1, Some(log2), unicode, None));
        }
        Method::Policy
    };
    let summary = dict_summary(&points, keys, to, method);
    DictGrowth {
        container: "dict",
        python: runtime::version().to_string(),
        keys,
        to,
        method,
        points,
        summary,
    }
}
