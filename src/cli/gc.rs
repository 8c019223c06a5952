//! `pylayout gc`: build reference cycles, then watch the collector find and free them.

use clap::Args;
use serde::Serialize;

use pylayout::gc::{self, CollectionReport};
use pylayout::object::Obj;
use pylayout::runtime;
use pylayout::types::dict::PyDict;
use pylayout::types::list::PyList;
use pylayout::types::str::PyStr;

use super::CliError;
use super::output::{commas, emit, emit_json, table};

/// Largest `--cycles`.
pub const MAX_CYCLES: u32 = 1_000_000;

#[derive(Debug, Args)]
pub struct GcArgs {
    /// Garbage cycles to build: each is `a = []; b = {'a': a}; a.append(b)`, then dropped
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(0..=MAX_CYCLES as i64))]
    cycles: u32,
    /// Reachable containers kept alive beside them (a list holding that many empty lists)
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(0..=MAX_CYCLES as i64))]
    keep: u32,
    /// Print JSON instead of text
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct GcView {
    cycles: u32,
    keep: u32,
    threshold: [isize; 3],
    count_before: [isize; 3],
    tracked_before: [usize; 3],
    blocks_before: usize,
    collect_returned: usize,
    report: Option<CollectionReport>,
    tracked_after: [usize; 3],
    count_after: [isize; 3],
    blocks_after: usize,
}

pub fn run(args: &GcArgs) -> Result<(), CliError> {
    gc::disable();
    gc::collect(2);
    let root = PyList::new();
    for _ in 0..args.keep {
        root.append(PyList::new().into_obj());
    }
    let key = PyStr::new("a").into_obj();
    for _ in 0..args.cycles {
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
    let n = gc::collect(2);
    let view = GcView {
        cycles: args.cycles,
        keep: args.keep,
        threshold: gc::get_threshold(),
        count_before,
        tracked_before,
        blocks_before,
        collect_returned: n,
        report: gc::last_collection(),
        tracked_after: gc::generation_sizes(),
        count_after: gc::get_count(),
        blocks_after: runtime::allocated_blocks(),
    };
    gc::enable();
    if args.json {
        emit_json(&view)?;
    } else {
        emit(&render(&view))?;
    }
    drop::<Obj>(root.into_obj());
    Ok(())
}

fn render(v: &GcView) -> String {
    let mut out = format!(
        "{} cycles `a = []; b = {{'a': a}}; a.append(b); del a, b` (unreachable, but every\n\
         refcount is still 1), beside a list of {} live lists. Automatic collection off.\n\n",
        commas(v.cycles as usize),
        commas(v.keep as usize)
    );
    let mut t = table(&["", "gen 0", "gen 1", "gen 2"], &[1, 2, 3]);
    let row = |name: &str, a: [usize; 3]| {
        let mut r = vec![name.to_string()];
        r.extend(a.iter().map(|&x| commas(x)));
        r
    };
    let counts = |a: [isize; 3]| a.map(|x| x.max(0) as usize);
    t.add_row(row("threshold", counts(v.threshold)));
    t.add_row(row("count before", counts(v.count_before)));
    t.add_row(row("tracked before", v.tracked_before));
    t.add_row(row("count after", counts(v.count_after)));
    t.add_row(row("tracked after", v.tracked_after));
    out.push_str(&t.to_string());
    out.push_str(&format!(
        "\n\ngc.collect() -> {}  (unreachable containers found: 2 per cycle)\n",
        commas(v.collect_returned)
    ));
    if let Some(r) = &v.report {
        out.push_str(&format!(
            "examined {} tracked objects in {:.3} ms; {} survivors now in generation 2, {} untracked,\n\
             pymalloc blocks in use {} -> {} (the dicts' keys tables and list arrays go too).\n",
            commas(r.examined),
            r.time.as_secs_f64() * 1e3,
            commas(v.tracked_after[2]),
            commas(r.untracked),
            commas(v.blocks_before),
            commas(v.blocks_after)
        ));
    }
    out
}
