//! `pylayout pool`: pymalloc's state in the layout of `sys._debugmallocstats()`.

use clap::{Args, ValueEnum};
use serde::Serialize;

use pylayout::alloc::MallocStats;
use pylayout::inspect::workload::{Workload, WorkloadKind, WorkloadSummary};
use pylayout::runtime;
use pylayout::types::float;

use super::CliError;
use super::after::{AfterArgs, ScriptSummary, run_after};

const FLOAT_SIZE: usize = float::FLOAT_TYPE.tp_basicsize;
use super::output::{emit, emit_json, printone, table};

/// Largest `--count`: keeps the built-in workloads to a few hundred MiB at most.
pub const MAX_COUNT: u32 = 1_000_000;

#[derive(Debug, Args)]
pub struct PoolArgs {
    #[command(flatten)]
    after: AfterArgs,
    /// Print JSON instead of tables
    #[arg(long)]
    json: bool,
    /// Workload to run before taking the statistics (its objects stay alive meanwhile)
    #[arg(long, value_enum, default_value_t = WorkloadArg::Objects)]
    workload: WorkloadArg,
    /// Size of the workload (0 to 1000000)
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(0..=MAX_COUNT as i64))]
    count: u32,
    /// Also list size classes that have no pools (CPython omits them)
    #[arg(long)]
    all_classes: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum WorkloadArg {
    /// Nothing: a fresh runtime
    None,
    /// ints of 1 to 16 digits and floats, a third of them dropped again
    Objects,
    /// raw blocks across all 32 size classes, half of them freed
    Blocks,
}

impl From<WorkloadArg> for WorkloadKind {
    fn from(w: WorkloadArg) -> Self {
        match w {
            WorkloadArg::None => WorkloadKind::None,
            WorkloadArg::Objects => WorkloadKind::Objects,
            WorkloadArg::Blocks => WorkloadKind::Blocks,
        }
    }
}

/// The JSON document: the workload (or the script), then every statistic at the top level.
#[derive(Serialize)]
struct PoolReport {
    #[serde(skip_serializing_if = "Option::is_none")]
    workload: Option<WorkloadSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    script: Option<ScriptSummary>,
    #[serde(flatten)]
    stats: MallocStats,
    free_float_objects: usize,
}

pub fn run(args: &PoolArgs) -> Result<(), CliError> {
    let report = if args.after.after.is_some() {
        let after = run_after(&args.after, |_| PoolReport {
            workload: None,
            script: None,
            stats: runtime::malloc_stats(),
            free_float_objects: float::free_list_len(),
        })?;
        PoolReport {
            script: Some(after.summary()),
            ..after.view
        }
    } else {
        let work = Workload::run(args.workload.into(), args.count as usize);
        PoolReport {
            workload: Some(work.summary()),
            script: None,
            stats: runtime::malloc_stats(),
            free_float_objects: float::free_list_len(),
        }
    };
    if args.json {
        emit_json(&report)?;
    } else {
        emit(&render(&report, args.all_classes))?;
    }
    Ok(())
}

fn render(r: &PoolReport, all_classes: bool) -> String {
    let s = &r.stats;
    let mut out = String::new();
    if let Some(w) = &r.workload {
        out.push_str(&format!(
            "Workload: {} (count {}): {}.\n\n",
            w.name, w.count, w.description
        ));
    }
    if let Some(sc) = &r.script {
        out.push_str(&sc.render_text());
    }
    out.push_str(&format!(
        "Small block threshold = {}, in {} size classes.\n\n",
        s.small_request_threshold,
        s.size_classes.len()
    ));
    let mut t = table(
        &[
            "class",
            "size",
            "blocks/pool",
            "num pools",
            "blocks in use",
            "avail blocks",
        ],
        &[0, 1, 2, 3, 4, 5],
    );
    for c in &s.size_classes {
        if c.pools == 0 && !all_classes {
            continue;
        }
        t.add_row(vec![
            c.index.to_string(),
            c.size.to_string(),
            c.blocks_per_pool.to_string(),
            c.pools.to_string(),
            c.blocks_in_use.to_string(),
            c.avail_blocks.to_string(),
        ]);
    }
    if s.pools_in_use() == 0 && !all_classes {
        out.push_str("(no pools in use)\n");
    } else {
        out.push_str(&t.to_string());
        out.push('\n');
    }
    let lines: Vec<String> = vec![
        String::new(),
        printone("# arenas allocated total", s.arenas_allocated_total),
        printone("# arenas reclaimed", s.arenas_reclaimed),
        printone("# arenas highwater mark", s.arenas_highwater_mark),
        printone("# arenas allocated current", s.arenas_allocated_current),
        printone(
            &format!(
                "{} arenas * {} bytes/arena",
                s.arenas_allocated_current, s.arena_size
            ),
            s.arena_bytes,
        ),
        String::new(),
        printone("# bytes in allocated blocks", s.bytes_in_allocated_blocks),
        printone("# bytes in available blocks", s.bytes_in_available_blocks),
        printone(
            &format!("{} unused pools * {} bytes", s.unused_pools, s.pool_size),
            s.bytes_in_unused_pools,
        ),
        printone("# bytes lost to pool headers", s.bytes_lost_to_pool_headers),
        printone("# bytes lost to quantization", s.bytes_lost_to_quantization),
        printone(
            "# bytes lost to arena alignment",
            s.bytes_lost_to_arena_alignment,
        ),
        printone("Total", s.total),
        String::new(),
        "arena map counts".into(),
        printone("# arena map mid nodes", s.arena_map_mid_nodes),
        printone("# arena map bot nodes", s.arena_map_bot_nodes),
        String::new(),
        printone(
            "# bytes lost to arena map root",
            s.bytes_lost_to_arena_map_root,
        ),
        printone(
            "# bytes lost to arena map mid",
            s.bytes_lost_to_arena_map_mid,
        ),
        printone(
            "# bytes lost to arena map bot",
            s.bytes_lost_to_arena_map_bot,
        ),
        printone("Total", s.arena_map_total),
        String::new(),
        printone(
            // `_PyDebugAllocatorStats`: "%48s " then printone.
            &format!(
                "{:>48} ",
                format!(
                    "{} free PyFloatObjects * {} bytes each",
                    r.free_float_objects, FLOAT_SIZE
                )
            ),
            r.free_float_objects * FLOAT_SIZE,
        ),
        printone("# blocks from the system allocator", s.raw_allocated_blocks),
    ];
    for l in lines {
        out.push_str(&l);
        out.push('\n');
    }
    out
}
