//! `pylayout gc`: build reference cycles, then watch the collector find and free them;
//! `--after FILE` shows the collector's state a script left; `--explain` shows one
//! collection's gc_refs object by object (computed in `pylayout::inspect::gc`).

use clap::Args;
use serde::Serialize;

use pylayout::gc::{self, Fate};
use pylayout::inspect::gc::{
    self as view, CyclesDemo, Explanation, GcState, TEXTBOOK_SOURCE, cycles_demo,
    explain_collection, explain_textbook, gc_state, global_names,
};

use super::CliError;
use super::after::{AfterArgs, ScriptSummary, run_after};
use super::output::{commas, emit, emit_json, table};

/// Largest `--cycles`.
pub const MAX_CYCLES: u32 = 1_000_000;

/// Largest `--max-rows`.
pub const MAX_ROWS: u32 = 1_000_000;

const AFTER_HELP: &str = "\
Examples:
  pylayout gc --cycles 10 --keep 0        build 10 garbage cycles and collect them
  pylayout gc --explain                   gc_refs step by step on a five-object graph
  pylayout gc --after script.py           the collector's state the script left (counts,
                                          gc.get_stats(), tracked objects by type)
  pylayout gc --explain --after script.py --max-rows 20
                                          explain a gc.collect() of the script's objects";

#[derive(Debug, Args)]
#[command(after_help = AFTER_HELP)]
pub struct GcArgs {
    #[command(flatten)]
    pub(super) after: AfterArgs,
    /// Garbage cycles to build: each is `a = []; b = {'a': a}; a.append(b)`, then dropped
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(0..=MAX_CYCLES as i64), conflicts_with_all = ["after", "explain"])]
    cycles: u32,
    /// Reachable containers kept alive beside them (a list holding that many empty lists)
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(0..=MAX_CYCLES as i64), conflicts_with_all = ["after", "explain"])]
    keep: u32,
    /// Explain one collection object by object (ob_refcnt, gc_refs after update_refs and
    /// subtract_refs, reachable or not), then run it: on a small built-in graph, or with
    /// --after on the objects the script left
    #[arg(long)]
    explain: bool,
    /// The generation --explain collects (the younger ones are merged into it)
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(0..=2), requires = "explain")]
    generation: u8,
    /// Rows of the --explain table; the rest are counted (1 to 1000000)
    #[arg(long, default_value_t = 40, value_parser = clap::value_parser!(u32).range(1..=MAX_ROWS as i64), requires = "explain")]
    max_rows: u32,
    /// Print JSON instead of text
    #[arg(long)]
    json: bool,
}

/// `gc --after FILE`: the script, then the collector's state.
#[derive(Serialize)]
struct AfterReport {
    script: ScriptSummary,
    #[serde(flatten)]
    state: GcState,
}

/// `gc --explain [--after FILE]`: what was collected, then the explanation.
#[derive(Serialize)]
struct ExplainReport {
    /// The script whose objects were collected (`--after`).
    #[serde(skip_serializing_if = "Option::is_none")]
    script: Option<ScriptSummary>,
    /// The built-in graph's Python source (without `--after`).
    #[serde(skip_serializing_if = "Option::is_none")]
    graph: Option<&'static str>,
    #[serde(flatten)]
    explanation: Explanation,
}

pub fn run(args: &GcArgs) -> Result<(), CliError> {
    if args.explain {
        return run_explain(args);
    }
    if args.after.after.is_some() {
        let after = run_after(&args.after, |_| gc_state())?;
        let report = AfterReport {
            script: after.summary(),
            state: after.view,
        };
        return if args.json {
            Ok(emit_json(&report)?)
        } else {
            Ok(emit(&render_state(&report))?)
        };
    }
    run_cycles(args)
}

fn run_explain(args: &GcArgs) -> Result<(), CliError> {
    let (generation, max_rows) = (args.generation as usize, args.max_rows as usize);
    let report = if args.after.after.is_some() {
        let after = run_after(&args.after, move |interp| {
            explain_collection(generation, max_rows, &global_names(interp))
        })?;
        ExplainReport {
            script: Some(after.summary()),
            graph: None,
            explanation: after.view,
        }
    } else {
        ExplainReport {
            script: None,
            graph: Some(TEXTBOOK_SOURCE),
            explanation: explain_textbook(generation, max_rows),
        }
    };
    if args.json {
        emit_json(&report)?;
    } else {
        emit(&render_explain(&report))?;
    }
    Ok(())
}

fn run_cycles(args: &GcArgs) -> Result<(), CliError> {
    let view = cycles_demo(args.cycles, args.keep);
    if args.json {
        emit_json(&view)?;
    } else {
        emit(&render(&view))?;
    }
    Ok(())
}

fn render(v: &CyclesDemo) -> String {
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

/// An isize with thousands separators.
fn signed(v: isize) -> String {
    let s = commas(v.unsigned_abs());
    if v < 0 { format!("-{s}") } else { s }
}

fn render_state(r: &AfterReport) -> String {
    let st = &r.state;
    let mut out = r.script.render_text();
    out.push_str(&format!(
        "Automatic collection: {} (gc.isenabled()).\n\n",
        if st.enabled { "enabled" } else { "disabled" }
    ));
    let mut t = table(&["", "gen 0", "gen 1", "gen 2"], &[1, 2, 3]);
    let row = |name: &str, f: &dyn Fn(&view::GenerationState) -> String| {
        let mut r = vec![name.to_string()];
        r.extend(st.generations.iter().map(f));
        r
    };
    t.add_row(row("count", &|g| signed(g.count)));
    t.add_row(row("threshold", &|g| signed(g.threshold)));
    t.add_row(row("collections", &|g| commas(g.collections as usize)));
    t.add_row(row("collected", &|g| commas(g.collected as usize)));
    t.add_row(row("uncollectable", &|g| commas(g.uncollectable as usize)));
    t.add_row(row("tracked objects", &|g| commas(g.tracked)));
    out.push_str(&t.to_string());
    out.push_str(
        "\n\ncount and threshold are gc.get_count() and gc.get_threshold(); collections, collected\n\
         and uncollectable are gc.get_stats(): what `python3 FILE` (CPython 3.11) reports at the\n\
         end of the script, start-up collections included. Generation 0 is collected when its\n\
         count passes its threshold; generation 1 or 2 when theirs does (count = collections\n\
         of the younger generation).\n",
    );
    let (total, pending) = (st.long_lived_total, st.long_lived_pending);
    out.push_str(&format!(
        "A full collection also waits until long_lived_pending ({}) > long_lived_total / 4 ({}).\n\n",
        signed(pending),
        signed(total / 4)
    ));
    out.push_str(
        "Tracked objects by type (the script's objects in pylayout's runtime; CPython's own\n\
         interpreter objects are not built):\n",
    );
    for g in &st.generations {
        let types: Vec<String> = g
            .tracked_by_type
            .iter()
            .map(|t| format!("{} {}", t.type_name, commas(t.count)))
            .collect();
        out.push_str(&format!(
            "  gen {}: {}\n",
            g.generation,
            if types.is_empty() {
                "(none)".to_string()
            } else {
                types.join(", ")
            }
        ));
    }
    out
}

/// `items` joined with ", " on lines of at most `width` characters, indented by two.
fn wrap(items: &[String], width: usize) -> String {
    let mut lines: Vec<String> = vec![String::new()];
    for (i, it) in items.iter().enumerate() {
        let piece = if i + 1 < items.len() {
            format!("{it},")
        } else {
            it.clone()
        };
        let line = lines.last_mut().expect("one line");
        if !line.is_empty() && line.len() + 1 + piece.len() > width {
            lines.push(piece);
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&piece);
        }
    }
    lines
        .iter()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Longest list of freed rows printed before "and N more".
const FREED_ROWS_SHOWN: usize = 10;

fn render_explain(r: &ExplainReport) -> String {
    let e = &r.explanation;
    let mut out = String::new();
    if let Some(sc) = &r.script {
        out.push_str(&sc.render_text());
    }
    if let Some(src) = r.graph {
        out.push_str("The graph, built in pylayout's runtime as CPython builds it:\n\n");
        for line in src.lines() {
            out.push_str("    ");
            out.push_str(line);
            out.push('\n');
        }
        out.push('\n');
    }
    let merged = match e.generation {
        0 => "generation 0".to_string(),
        g => format!("generations 0-{g} merged"),
    };
    out.push_str(&format!(
        "gc.collect({}) examines {} tracked objects ({merged}). update_refs copies each\n\
         ob_refcnt into gc_refs; subtract_refs takes away every reference from another object\n\
         of the set, so what is left counts references from outside. move_unreachable keeps\n\
         the objects with gc_refs > 0 and everything they reach; the rest is garbage.\n\n",
        e.generation,
        commas(e.examined)
    ));
    if e.examined == 0 {
        out.push_str("(no tracked objects: nothing to explain)\n\n");
    } else {
        let mut t = table(
            &[
                "#",
                "id",
                "object",
                "ob_refcnt",
                "gc_refs after\nupdate_refs",
                "gc_refs after\nsubtract_refs",
                "result",
            ],
            &[0, 3, 4, 5],
        );
        let next_gen = (e.generation + 1).min(gc::NUM_GENERATIONS - 1);
        for o in &e.objects {
            let name = o
                .name
                .as_deref()
                .map(|n| format!(" {n}"))
                .unwrap_or_default();
            let why = match (o.gc_refs_after_subtract_refs, o.reached_from) {
                (0, Some(from)) => format!("reachable (via #{from})"),
                _ => "reachable (outside)".to_string(),
            };
            let result = match o.fate {
                Fate::Freed => "unreachable: freed".to_string(),
                Fate::FreedAfter => format!("{why}; freed with the garbage"),
                Fate::Untracked => format!("{why}, untracked"),
                Fate::Survives if e.generation == next_gen => why,
                Fate::Survives => format!("{why} -> gen {next_gen}"),
            };
            t.add_row(vec![
                o.row.to_string(),
                format!("{:#x}", o.id),
                format!("{}{name}  {}", o.type_name, o.summary),
                signed(o.ob_refcnt),
                signed(o.gc_refs_after_update_refs),
                signed(o.gc_refs_after_subtract_refs),
                result,
            ]);
        }
        out.push_str(&t.to_string());
        out.push('\n');
        if e.objects_not_shown > 0 {
            out.push_str(&format!(
                "... and {} more objects not shown (--max-rows {}).\n",
                commas(e.objects_not_shown),
                e.objects.len()
            ));
        }
        out.push_str("(#n in a summary is row n: a reference inside the set. Survivors of gc.collect(2)\n stay in generation 2; of a younger collection, move one generation up.)\n\n");
    }
    let mut freed: Vec<String> = e
        .freed_rows
        .iter()
        .take(FREED_ROWS_SHOWN)
        .map(|r| format!("#{r}"))
        .collect();
    if e.freed_rows.len() > FREED_ROWS_SHOWN {
        freed.push(format!(
            "and {} more",
            commas(e.freed_rows.len() - FREED_ROWS_SHOWN)
        ));
    }
    out.push_str(&format!(
        "Then the real gc.collect({}) ran and returned {}",
        e.generation,
        commas(e.collect_returned)
    ));
    if freed.is_empty() {
        out.push_str(": nothing was garbage.\n");
    } else {
        out.push_str(&format!(
            ". It cleared the unreachable objects\n\
             with tp_clear and reference counting freed them:\n{}\n\
             (pymalloc blocks in use {} -> {}).\n",
            wrap(&freed, 88),
            commas(e.blocks_before),
            commas(e.blocks_after)
        ));
    }
    if e.planned_freed_after > 0 {
        out.push_str(&format!(
            "{} of them were reachable, but only through the garbage: when tp_clear dropped the\n\
             garbage's references, their counts fell to zero too.\n",
            commas(e.planned_freed_after)
        ));
    }
    if e.agrees {
        out.push_str(&format!(
            "It agreed with the table on every object: {} freed, {} untracked, {} still tracked.\n",
            commas(e.planned_unreachable + e.planned_freed_after),
            commas(e.planned_untracked),
            commas(e.planned_survivors)
        ));
    } else {
        out.push_str(
            "WARNING: the collection did not do what the table says (a bug in pylayout; please report it).\n",
        );
    }
    out
}
