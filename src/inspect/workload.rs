//! Built-in workloads that put the allocator in an interesting state before it is shown.
//!
//! A workload keeps what it allocated alive until it is dropped, so statistics taken while it
//! lives show the blocks in use.

use std::fmt;

use num_bigint::BigInt;
use serde::Serialize;

use crate::object::Obj;
use crate::runtime::RawBlock;
use crate::types::float::PyFloat;
use crate::types::int::PyInt;

/// Which workload to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WorkloadKind {
    /// Nothing: a fresh runtime.
    None,
    /// `count` ints of 1 to 16 digits and `count` floats; every third one dropped again.
    Objects,
    /// Raw blocks: `count` requests spread over all 32 size classes; every other one freed.
    Blocks,
}

impl fmt::Display for WorkloadKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            WorkloadKind::None => "none",
            WorkloadKind::Objects => "objects",
            WorkloadKind::Blocks => "blocks",
        })
    }
}

/// A workload that ran and whose survivors are still alive.
#[derive(Debug)]
pub struct Workload {
    kind: WorkloadKind,
    count: usize,
    objects: Vec<Obj>,
    blocks: Vec<RawBlock>,
}

/// What a workload did, for the record (printed and in JSON).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WorkloadSummary {
    /// The workload's name.
    pub name: WorkloadKind,
    /// The `count` it ran with.
    pub count: usize,
    /// One sentence saying what was allocated and freed.
    pub description: String,
    /// Objects still alive while the statistics were taken.
    pub live_objects: usize,
    /// Raw blocks still alive while the statistics were taken.
    pub live_blocks: usize,
}

impl Workload {
    /// Run a workload on this thread's runtime.
    pub fn run(kind: WorkloadKind, count: usize) -> Workload {
        let mut objects = Vec::new();
        let mut blocks = Vec::new();
        match kind {
            WorkloadKind::None => {}
            WorkloadKind::Objects => {
                for i in 0..count {
                    // 1..=16 digits: ints of 28..=88 bytes, classes 1..=5.
                    let digits = 1 + (i % 16) as u32;
                    let v = (BigInt::from(1) << (30 * (digits - 1))) + BigInt::from(i + 300);
                    objects.push(PyInt::from_bigint(&v).into_obj());
                    objects.push(PyFloat::new(i as f64 + 0.5).into_obj());
                }
                let mut k = 0;
                objects.retain(|_| {
                    k += 1;
                    k % 3 != 0
                });
            }
            WorkloadKind::Blocks => {
                for i in 0..count {
                    blocks.push(RawBlock::new(1 + (i * 16) % 512));
                }
                let mut k = 0;
                blocks.retain(|_| {
                    k += 1;
                    k % 2 == 0
                });
            }
        }
        Workload {
            kind,
            count,
            objects,
            blocks,
        }
    }

    /// What ran and what is alive.
    pub fn summary(&self) -> WorkloadSummary {
        let description = match self.kind {
            WorkloadKind::None => "nothing allocated: a fresh runtime".to_string(),
            WorkloadKind::Objects => format!(
                "{n} ints of 1 to 16 digits and {n} floats created, every third object dropped \
                 (dead floats go to the float free list, up to 100)",
                n = self.count
            ),
            WorkloadKind::Blocks => format!(
                "{} raw blocks requested across all 32 size classes, every other one freed",
                self.count
            ),
        };
        WorkloadSummary {
            name: self.kind,
            count: self.count,
            description,
            live_objects: self.objects.len(),
            live_blocks: self.blocks.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime;

    #[test]
    fn workloads_leave_blocks_in_use_and_return_them() {
        runtime::clear_freelists();
        let base = runtime::allocated_blocks();
        for kind in [WorkloadKind::Objects, WorkloadKind::Blocks] {
            let w = Workload::run(kind, 300);
            let s = w.summary();
            assert_eq!(
                runtime::allocated_blocks(),
                base + s.live_objects + s.live_blocks + crate::types::float::free_list_len()
            );
            drop(w);
            runtime::clear_freelists();
            assert_eq!(runtime::allocated_blocks(), base, "{kind} leaked");
        }
    }
}
