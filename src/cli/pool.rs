//! `pylayout pool`: pymalloc's state in the layout of `sys._debugmallocstats()`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde::Serialize;

use pylayout::alloc::{MallocStats, PoolState};
use pylayout::inspect::poolmap::{PoolCell, PoolMap};
use pylayout::inspect::workload::{Workload, WorkloadKind, WorkloadSummary};
use pylayout::runtime;
use pylayout::types::float;

use super::CliError;
use super::after::{AfterArgs, ScriptSummary, run_after};
use super::chart;

const FLOAT_SIZE: usize = float::FLOAT_TYPE.tp_basicsize;
use super::output::{commas, emit, emit_json, printone, table};

/// Largest `--count`: keeps the built-in workloads to a few hundred MiB at most.
pub const MAX_COUNT: u32 = 1_000_000;

const EXAMPLES: &str = "\
Examples:
  pylayout pool --map                     arenas -> pools after the default workload
  pylayout pool --map --workload blocks --count 20000 --svg pools.svg
                                          the same as a picture (a grid of pools)
  pylayout pool --map --after script.py   the pools a script left behind
  pylayout pool --map --json              the map as data (under \"map\")";

#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct PoolArgs {
    #[command(flatten)]
    pub(super) after: AfterArgs,
    /// Print JSON instead of tables (with --map: the map too, under "map")
    #[arg(long)]
    json: bool,
    /// Draw the pool map: one row per arena, one column per pool, its size class and fullness
    #[arg(long)]
    map: bool,
    /// Also write the pool map as an SVG picture to FILE
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,
    /// Workload to run before taking the statistics (its objects stay alive meanwhile)
    #[arg(long, value_enum, default_value_t = WorkloadArg::Objects, conflicts_with = "after")]
    workload: WorkloadArg,
    /// Size of the workload (0 to 1000000)
    #[arg(long, default_value_t = 1000, conflicts_with = "after",
          value_parser = clap::value_parser!(u32).range(0..=MAX_COUNT as i64))]
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
    /// The pool map, with `--map` or `--svg`.
    #[serde(skip_serializing_if = "Option::is_none")]
    map: Option<PoolMap>,
}

pub fn run(args: &PoolArgs) -> Result<(), CliError> {
    if let Some(path) = &args.svg {
        chart::check_path(path).map_err(CliError::Usage)?;
    }
    let with_map = args.map || args.svg.is_some();
    // The runtime is per thread: the map is taken where the workload or script ran.
    let take_map = move || with_map.then(PoolMap::current);
    let report = if args.after.after.is_some() {
        let after = run_after(&args.after, move |_| PoolReport {
            workload: None,
            script: None,
            stats: runtime::malloc_stats(),
            free_float_objects: float::free_list_len(),
            map: take_map(),
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
            map: take_map(),
        }
    };
    if let (Some(path), Some(map)) = (&args.svg, &report.map) {
        let svg = chart::pool_map_svg(map, &what_ran(&report)).map_err(CliError::Usage)?;
        chart::write_file(path, &svg).map_err(CliError::Usage)?;
    }
    if args.json {
        emit_json(&report)?;
        return Ok(());
    }
    let mut text = match (&report.map, args.map) {
        (Some(map), true) => render_map_report(&report, map),
        _ => render(&report, args.all_classes),
    };
    if let Some(path) = &args.svg {
        text.push_str(&format!("\nWrote the pool map to {}.\n", path.display()));
    }
    emit(&text)?;
    Ok(())
}

/// One line saying what ran before the statistics were taken.
fn what_ran(r: &PoolReport) -> String {
    match (&r.workload, &r.script) {
        (Some(w), _) => format!("workload {} (count {}): {}", w.name, w.count, w.description),
        (None, Some(sc)) => format!("after running {}", sc.file),
        (None, None) => String::new(),
    }
}

/// The `class` line's character for a pool: its size class in base 32 (`0`-`9`, `a`-`v`),
/// `-` for an empty pool, `·` for one never carved.
pub fn class_char(p: &PoolCell) -> char {
    match (p.state, p.size_class) {
        (PoolState::Untouched, _) => '·',
        (_, Some(c)) => char::from_digit(c as u32, 32).unwrap_or('?'),
        _ => '-',
    }
}

/// The `fill` line's character: `█` full, `▁`..`▇` used in eighths (rounded up, so a pool
/// with one block shows), `░` empty, `·` never carved.
pub fn fill_char(p: &PoolCell) -> char {
    const EIGHTHS: [char; 7] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇'];
    match p.state {
        PoolState::Full => '█',
        PoolState::Used => {
            let k = (p.fullness() * 8.0).ceil() as usize;
            EIGHTHS[k.clamp(1, 7) - 1]
        }
        PoolState::Empty => '░',
        PoolState::Untouched => '·',
    }
}

const MAP_LEGEND: &str = "\
Legend: two lines per 1 MiB arena, one column per 16 KiB pool.
  class  0-9 a-v  the pool's size class, in base 32 (block size = 16 * (class + 1) bytes)
         -        empty: carved once, now free, back on its arena's list (serves any class next)
         ·        never carved from the arena yet
  fill   █ full   ▁▂▃▄▅▆▇ used, in eighths of its blocks   ░ empty   · never carved
";

/// What ran before the statistics: the built-in workload or the learner's script.
fn report_header(r: &PoolReport) -> String {
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
    out
}

fn render_map_report(r: &PoolReport, map: &PoolMap) -> String {
    let mut out = report_header(r);
    out.push_str(&render_map(map));
    out
}

/// The character map, its legend and the per-class totals.
pub fn render_map(map: &PoolMap) -> String {
    let s = &map.states;
    let n = map.arenas.len();
    let mut out = format!(
        "Pool map: {n} arena{} of up to {} pools; {} pools: {} used, {} full, {} empty, {} never carved.\n",
        if n == 1 { "" } else { "s" },
        map.pools_per_arena,
        commas(map.pool_count()),
        commas(s.used),
        commas(s.full),
        commas(s.empty),
        commas(s.untouched),
    );
    let unaligned = map.arenas.iter().filter(|a| !a.pool_aligned).count();
    if unaligned > 0 {
        out.push_str(&format!(
            "{unaligned} of them {} not 16 KiB-aligned (mmap gives 4 KiB pages), so {} 63 pools.\n",
            if unaligned == 1 { "is" } else { "are" },
            if unaligned == 1 {
                "it holds"
            } else {
                "each holds"
            },
        ));
    }
    out.push('\n');
    if map.arenas.is_empty() {
        out.push_str("(no arena: nothing has been allocated from pools)\n");
        return out;
    }
    let label_w = format!(
        "arena {}",
        map.arenas.iter().map(|a| a.index).max().unwrap_or(0)
    )
    .len();
    let pad = " ".repeat(label_w);
    let tens: String = (0..map.pools_per_arena)
        .map(|i| {
            if i % 10 == 0 {
                char::from_digit((i / 10) as u32 % 10, 10).unwrap_or(' ')
            } else {
                ' '
            }
        })
        .collect();
    let ones: String = (0..map.pools_per_arena)
        .map(|i| char::from_digit((i % 10) as u32, 10).unwrap_or(' '))
        .collect();
    out.push_str(&format!("{pad}  pool   {tens}\n{pad}         {ones}\n"));
    for a in &map.arenas {
        let label = format!("arena {}", a.index);
        let class: String = a.pools.iter().map(class_char).collect();
        let fill: String = a.pools.iter().map(fill_char).collect();
        let mut notes = Vec::new();
        if a.usable_rank == Some(0) {
            notes.push("<- the next new pool comes from here");
        }
        if a.wholly_free {
            notes.push(
                "wholly free, kept (3.11 unmaps a free arena unless it is the last usable one)",
            );
        }
        let width = map.pools_per_arena;
        let line = format!(
            "{label:<label_w$}  class  {class:<width$}  {}",
            notes.join("; ")
        );
        out.push_str(line.trim_end());
        out.push('\n');
        out.push_str(&format!("{pad}  fill   {fill}\n"));
    }
    out.push('\n');
    out.push_str(MAP_LEGEND);
    out.push('\n');
    if map.classes.is_empty() {
        out.push_str("(no pool serves a size class)\n");
        return out;
    }
    let mut t = table(
        &[
            "class",
            "char",
            "size",
            "pools",
            "full",
            "blocks in use",
            "avail blocks",
        ],
        &[0, 2, 3, 4, 5, 6],
    );
    for c in &map.classes {
        t.add_row(vec![
            c.size_class.to_string(),
            char::from_digit(c.size_class as u32, 32)
                .unwrap_or('?')
                .to_string(),
            c.block_size.to_string(),
            commas(c.pools),
            commas(c.full_pools),
            commas(c.blocks_in_use),
            commas(c.avail_blocks),
        ]);
    }
    out.push_str(&t.to_string());
    out.push('\n');
    out
}

fn render(r: &PoolReport, all_classes: bool) -> String {
    let s = &r.stats;
    let mut out = report_header(r);
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
