//! `pylayout cost STRUCT OP` and `pylayout cost classic`: counted costs and measured times of
//! CPython's containers beside their peers, for one size, a sweep of sizes, or as a chart.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use pylayout::inspect::cost::{
    self, At, CLASSIC_PEERS, ClassicReport, CostReport, Counted, Keys, MAX_N, Op, Peer, Row, Spec,
    Structure,
};

use super::CliError;
use super::chart::{Panel, Series, write_svg};
use super::output::{commas, emit, emit_json, table};

#[derive(Debug, Args)]
pub struct CostArgs {
    /// list, tuple, dict, str — or `classic` for the sorted insert/random remove experiment
    structure: String,
    /// The operation (see the list below)
    op: Option<String>,
    /// Where a positional operation acts: front, middle, back, random
    #[arg(long)]
    at: Option<String>,
    /// Items before the operations start (classic: items inserted) [default: 10000]
    #[arg(short = 'n', long = "size", value_name = "SIZE")]
    n: Option<String>,
    /// Operations per pass (fewer when a pass would take too long; the table says how many)
    #[arg(long, default_value_t = 1000, value_name = "K")]
    ops: usize,
    /// The peers to run beside ours, comma-separated (default: the natural ones)
    #[arg(long, value_delimiter = ',', value_name = "PEER,...")]
    vs: Vec<String>,
    /// Dict keys: str or int
    #[arg(long, default_value = "str")]
    keys: String,
    /// Timed passes per structure (the median is reported, with the fastest and slowest)
    /// [default: 7; classic from 50,000 items: the counted pass is the one timing]
    #[arg(long)]
    reps: Option<usize>,
    /// Seed of the random positions and values
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Run SIZE over a log range, FROM..TO (default 10..1000000; classic 100..100000)
    #[arg(long, value_name = "FROM..TO", num_args = 0..=1, default_missing_value = "")]
    sweep: Option<String>,
    /// Draw time and counted cost against SIZE into an SVG file (with --sweep)
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,
    /// Print JSON instead of tables
    #[arg(long)]
    json: bool,
}

/// The lines `cost --help` ends with: every structure, its operations and peers, from the
/// library's registry.
pub fn help() -> String {
    let mut out = String::from("Structures, their operations and peers:\n");
    for s in [
        Structure::List,
        Structure::Tuple,
        Structure::Dict,
        Structure::Str,
    ] {
        let ops: Vec<&str> = s.ops().iter().map(|o| o.name()).collect();
        let peers: Vec<&str> = s.natural_peers().iter().map(|p| p.name()).collect();
        out += &format!(
            "  {:<6} {}\n         peers: {}\n",
            s.name(),
            ops.join(", "),
            peers.join(", ")
        );
    }
    out +=
        "  classic  insert N random ints at their sorted positions (linear search), then remove\n";
    out += "           them at random positions; peers: ";
    out += &CLASSIC_PEERS
        .iter()
        .map(|p| p.name())
        .collect::<Vec<_>>()
        .join(", ");
    out += "\n\nExamples:\n";
    out += "  pylayout cost list insert --at middle -n 10000\n";
    out += "  pylayout cost list index --at random -n 100000 --vs vec,linkedlist\n";
    out += "  pylayout cost dict lookup --keys int --json\n";
    out += "  pylayout cost tuple concat -n 1000\n";
    out += "  pylayout cost list insert --at front --sweep 10..100000 --svg insert.svg\n";
    out += "  pylayout cost classic --sweep --svg classic.svg\n";
    out
}

/// Timed passes when `--reps` is not given.
const DEFAULT_REPS: usize = 7;

/// `--reps`: 1 to 1000 (the default when absent).
fn check_reps(reps: Option<usize>) -> Result<usize, CliError> {
    match reps {
        None => Ok(DEFAULT_REPS),
        Some(r) if (1..=1000).contains(&r) => Ok(r),
        Some(r) => Err(usage(format!("--reps {r}: expected 1 to 1000"))),
    }
}

fn usage(msg: impl Into<String>) -> CliError {
    CliError::Usage(msg.into())
}

fn parse_structure(s: &str) -> Result<Structure, CliError> {
    Structure::ALL
        .into_iter()
        .find(|x| x.name() == s)
        .ok_or_else(|| {
            usage(format!(
                "unknown structure '{s}': expected {} or classic",
                Structure::ALL.map(|x| x.name()).join(", ")
            ))
        })
}

fn parse_op(s: &str) -> Result<Op, CliError> {
    Op::ALL
        .iter()
        .copied()
        .find(|o| o.name() == s)
        .ok_or_else(|| {
            usage(format!(
                "unknown operation '{s}': expected one of {}",
                Op::ALL.map(|o| o.name()).join(", ")
            ))
        })
}

fn parse_at(s: &str) -> Result<At, CliError> {
    match s {
        "front" => Ok(At::Front),
        "middle" => Ok(At::Middle),
        "back" => Ok(At::Back),
        "random" => Ok(At::Random),
        _ => Err(usage(format!(
            "--at '{s}': expected front, middle, back or random"
        ))),
    }
}

fn parse_peer(s: &str) -> Result<Peer, CliError> {
    Peer::ALL
        .into_iter()
        .find(|p| p.name() == s)
        .ok_or_else(|| {
            usage(format!(
                "--vs '{s}': unknown peer; peers are {}",
                Peer::ALL.map(|p| p.name()).join(", ")
            ))
        })
}

/// `--vs a,b,...`: each peer once, in the order given.
fn parse_peers(names: &[String]) -> Result<Vec<Peer>, CliError> {
    let mut out = Vec::new();
    for n in names {
        let p = parse_peer(n)?;
        if !out.contains(&p) {
            out.push(p);
        }
    }
    Ok(out)
}

/// `--svg FILE` must be writable before minutes of measuring: its folder must exist.
fn check_svg(path: Option<&PathBuf>) -> Result<(), CliError> {
    if let Some(p) = path
        && let Some(dir) = p.parent()
        && !dir.as_os_str().is_empty()
        && !dir.is_dir()
    {
        return Err(usage(format!(
            "--svg {}: the folder {} does not exist",
            p.display(),
            dir.display()
        )));
    }
    Ok(())
}

/// `10000`, `10_000`, `10,000`, `1e4`.
fn parse_size(s: &str, what: &str) -> Result<usize, CliError> {
    let t: String = s.chars().filter(|c| *c != '_' && *c != ',').collect();
    if t.starts_with('-') {
        return Err(usage(format!("{what} '{s}': must be ≥ 0")));
    }
    let bad = || {
        usage(format!(
            "{what} '{s}': expected a whole number such as 10000 or 1e4"
        ))
    };
    let v: f64 = if let Some((m, e)) = t.split_once(['e', 'E']) {
        let m: f64 = m.parse().map_err(|_| bad())?;
        let e: i32 = e.parse().map_err(|_| bad())?;
        if !(0..=18).contains(&e) {
            return Err(usage(format!(
                "{what} '{s}' is too large: at most {MAX_N} items"
            )));
        }
        m * 10f64.powi(e)
    } else {
        return t.parse::<usize>().map_err(|e| match e.kind() {
            std::num::IntErrorKind::PosOverflow => {
                usage(format!("{what} '{s}' is too large: at most {MAX_N} items"))
            }
            _ => bad(),
        });
    };
    if !(v.is_finite() && v >= 0.0 && v.fract() == 0.0) {
        return Err(bad());
    }
    if v > MAX_N as f64 {
        return Err(usage(format!(
            "{what} '{s}' is too large: at most {MAX_N} items"
        )));
    }
    Ok(v as usize)
}

/// `FROM..TO` → FROM, 10 FROM, 100 FROM, ... up to TO (TO itself last).
fn parse_sweep(s: &str, default: (usize, usize)) -> Result<Vec<usize>, CliError> {
    let (from, to) = if s.is_empty() {
        default
    } else {
        let (a, b) = s
            .split_once("..")
            .ok_or_else(|| usage(format!("--sweep '{s}': expected FROM..TO, e.g. 10..100000")))?;
        (parse_size(a, "--sweep")?, parse_size(b, "--sweep")?)
    };
    if from == 0 || from > to {
        return Err(usage(format!(
            "--sweep {from}..{to}: FROM must be at least 1 and at most TO"
        )));
    }
    let mut out = Vec::new();
    let mut n = from;
    while n < to {
        out.push(n);
        n = n.saturating_mul(10);
    }
    out.push(to);
    Ok(out)
}

fn progress(enabled: bool) -> ProgressBar {
    if !enabled || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new_spinner();
    pb.set_style(
        ProgressStyle::with_template("{spinner} {elapsed} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    pb.enable_steady_tick(Duration::from_millis(120));
    pb
}

pub fn run(args: &CostArgs) -> Result<(), CliError> {
    if args.structure == "classic" {
        return run_classic(args);
    }
    let structure = parse_structure(&args.structure)?;
    let op = parse_op(args.op.as_deref().ok_or_else(|| {
        usage(format!(
            "cost {} needs an operation: {}",
            structure.name(),
            structure
                .ops()
                .iter()
                .map(|o| o.name())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })?)?;
    let n = match &args.n {
        Some(s) => parse_size(s, "-n")?,
        None => 10_000,
    };
    let mut spec = Spec::new(structure, op, n);
    if let Some(a) = &args.at {
        spec.at = Some(parse_at(a)?);
    }
    if !args.vs.is_empty() {
        spec.peers = parse_peers(&args.vs)?;
    }
    spec.keys = match args.keys.as_str() {
        "str" => Keys::Str,
        "int" => Keys::Int,
        k => return Err(usage(format!("--keys '{k}': expected str or int"))),
    };
    if args.keys != "str" && structure != Structure::Dict {
        return Err(usage("--keys applies to dict operations only"));
    }
    let reps = check_reps(args.reps)?;
    spec.ops = args.ops;
    spec.reps = reps;
    spec.seed = args.seed;
    spec.validate(args.at.is_some()).map_err(|e| usage(e.0))?;
    if args.svg.is_some() && args.sweep.is_none() {
        return Err(usage(
            "--svg draws a sweep: add --sweep (e.g. --sweep 10..100000)",
        ));
    }
    check_svg(args.svg.as_ref())?;
    let Some(sweep) = &args.sweep else {
        let pb = progress(true);
        pb.set_message(format!("{} {}", structure.name(), op.name()));
        let report = cost::cost(&spec);
        pb.finish_and_clear();
        return if args.json {
            Ok(emit_json(&report)?)
        } else {
            Ok(emit(&render(&report))?)
        };
    };
    let sizes = parse_sweep(sweep, (10, 1_000_000))?;
    let pb = progress(true);
    let mut reports = Vec::new();
    for &size in &sizes {
        let mut s = spec.clone();
        s.n = size;
        s.validate(args.at.is_some()).map_err(|e| usage(e.0))?;
        pb.set_message(format!(
            "{} {} at n = {}",
            structure.name(),
            op.name(),
            commas(size)
        ));
        reports.push(cost::cost(&s));
    }
    pb.finish_and_clear();
    if let Some(path) = &args.svg {
        let title = format!("{} {}", structure.name(), op.name());
        write_svg(path, &sweep_panels(&title, &reports)).map_err(usage)?;
    }
    if args.json {
        #[derive(Serialize)]
        struct Sweep<'a> {
            sweep: &'a [CostReport],
        }
        return Ok(emit_json(&Sweep { sweep: &reports })?);
    }
    Ok(emit(&render_sweep(&reports, args.svg.as_ref()))?)
}

fn per(total: u64, ops: u64) -> f64 {
    total as f64 / ops.max(1) as f64
}

fn fmt_count(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if v >= 1000.0 {
        commas(v.round() as usize)
    } else if v.fract() == 0.0 {
        format!("{v:.0}")
    } else if v < 1.0 {
        format!("{v:.3}")
    } else {
        format!("{v:.2}")
    }
}

pub(super) fn fmt_ns(ns: f64) -> String {
    if ns >= 1e9 {
        format!("{:.2} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.1} ns")
    }
}

type Column = (&'static str, fn(&Counted) -> u64);

const COUNTED: [Column; 10] = [
    ("moves", |c| c.item_moves),
    ("bytes copied", |c| c.bytes_copied),
    ("hops", |c| c.hops),
    ("compares", |c| c.compares),
    ("probes", |c| c.probes),
    ("hashes", |c| c.hash_calls),
    ("allocs", |c| c.allocs),
    ("frees", |c| c.frees),
    ("reallocs", |c| c.reallocs),
    ("moved", |c| c.reallocs_moved),
];

fn render(r: &CostReport) -> String {
    let spec = &r.spec;
    let mut out = format!(
        "{} {}{}, n = {}: per operation, counted exactly (one pass) and timed (median of {} passes, fastest–slowest)\n",
        spec.structure.name(),
        spec.op.name(),
        spec.at
            .map(|a| format!(" {}", a.phrase()))
            .unwrap_or_default(),
        commas(spec.n),
        spec.reps
    );
    // Columns whose every row is zero say nothing: leave them out.
    let shown: Vec<&Column> = COUNTED
        .iter()
        .filter(|(_, f)| r.rows.iter().any(|row| f(&row.counted) > 0))
        .collect();
    let mut header = vec!["structure", "time/op", "spread"];
    header.extend(shown.iter().map(|(h, _)| *h));
    header.extend(["bytes/item", "ops"]);
    let right: Vec<usize> = (1..header.len()).collect();
    let mut t = table(&header, &right);
    for row in &r.rows {
        t.add_row(row_cells(row, &shown));
    }
    out += &format!("{t}\n");
    out += &format!("{}\n", r.reading);
    out += "moves: items shifted inside the structure; hops: pointers followed node to node; allocs/frees/reallocs: calls to the structure's allocator (pymalloc for ours and the pool list, the system allocator otherwise), 'moved': reallocs that copied the block; bytes/item: the structure's memory with allocator overhead, the items' own objects not included.\n";
    out
}

fn row_cells(row: &Row, shown: &[&Column]) -> Vec<String> {
    let mut cells = vec![
        row.name.clone(),
        fmt_ns(row.time.median_ns),
        format!("{}–{}", fmt_ns(row.time.min_ns), fmt_ns(row.time.max_ns)),
    ];
    for (_, f) in shown {
        cells.push(fmt_count(per(f(&row.counted), row.ops)));
    }
    cells.push(format!("{:.1}", row.bytes_per_item));
    cells.push(commas(row.ops as usize));
    cells
}

/// The counted work of one operation (see [`Counted::work`]).
fn work(c: &Counted, ops: u64) -> f64 {
    per(c.work(), ops)
}

fn sweep_panels(title: &str, reports: &[CostReport]) -> Vec<Panel> {
    let names: Vec<String> = reports
        .first()
        .map(|r| r.rows.iter().map(|row| row.name.clone()).collect())
        .unwrap_or_default();
    let series = |f: &dyn Fn(&Row) -> f64| -> Vec<Series> {
        names
            .iter()
            .enumerate()
            .map(|(i, name)| Series {
                name: name.clone(),
                points: reports
                    .iter()
                    .filter_map(|r| r.rows.get(i).map(|row| (r.spec.n as f64, f(row))))
                    .collect(),
                ..Series::default()
            })
            .collect()
    };
    vec![
        Panel {
            title: format!("{title}: time per operation"),
            x_label: "items (n)".into(),
            y_label: "ns per operation (median)".into(),
            series: series(&|row| row.time.median_ns),
            ..Panel::default()
        },
        Panel {
            title: format!("{title}: counted work per operation"),
            x_label: "items (n)".into(),
            y_label: "items moved + nodes walked + compares + probes".into(),
            series: series(&|row| work(&row.counted, row.ops)),
            ..Panel::default()
        },
    ]
}

fn render_sweep(reports: &[CostReport], svg: Option<&PathBuf>) -> String {
    let Some(first) = reports.first() else {
        return String::new();
    };
    let spec = &first.spec;
    let mut out = format!(
        "{} {}{}: time per operation (median) and counted work per operation (moves + hops + compares + probes)\n",
        spec.structure.name(),
        spec.op.name(),
        spec.at
            .map(|a| format!(" {}", a.phrase()))
            .unwrap_or_default(),
    );
    let mut header = vec!["n".to_string()];
    header.extend(first.rows.iter().map(|r| r.name.clone()));
    let hdr: Vec<&str> = header.iter().map(String::as_str).collect();
    let right: Vec<usize> = (0..hdr.len()).collect();
    let mut times = table(&hdr, &right);
    let mut works = table(&hdr, &right);
    for r in reports {
        let mut a = vec![commas(r.spec.n)];
        let mut b = vec![commas(r.spec.n)];
        for row in &r.rows {
            a.push(fmt_ns(row.time.median_ns));
            b.push(fmt_count(work(&row.counted, row.ops)));
        }
        times.add_row(a);
        works.add_row(b);
    }
    out += &format!("{times}\n{works}\n");
    if let Some(last) = reports.last() {
        out += &format!("At n = {}: {}\n", commas(last.spec.n), last.reading);
    }
    if let Some(p) = svg {
        out += &format!("Chart: {}\n", p.display());
    }
    out
}

fn run_classic(args: &CostArgs) -> Result<(), CliError> {
    if let Some(op) = &args.op {
        return Err(usage(format!(
            "cost classic takes no operation (got '{op}'): it inserts at sorted positions, then removes at random ones"
        )));
    }
    if args.at.is_some() {
        return Err(usage(
            "--at does not apply to cost classic: its positions are the sorted ones, then random ones",
        ));
    }
    if args.keys != "str" {
        return Err(usage("--keys applies to dict operations only"));
    }
    let peers: Vec<Peer> = if args.vs.is_empty() {
        CLASSIC_PEERS.to_vec()
    } else {
        let v = parse_peers(&args.vs)?;
        if let Some(p) = v.iter().find(|p| !CLASSIC_PEERS.contains(p)) {
            return Err(usage(format!(
                "--vs {}: not a list peer; classic runs against {}",
                p.name(),
                CLASSIC_PEERS.map(|p| p.name()).join(", ")
            )));
        }
        v
    };
    const CLASSIC_MAX: usize = 200_000;
    let check = |n: usize| {
        if n > CLASSIC_MAX {
            Err(usage(format!(
                "cost classic with {} items would run for hours (it is O(n²)): at most {} items",
                commas(n),
                commas(CLASSIC_MAX)
            )))
        } else {
            Ok(n)
        }
    };
    let sizes = match &args.sweep {
        Some(s) => parse_sweep(s, (100, 100_000))?
            .into_iter()
            .map(check)
            .collect::<Result<Vec<_>, _>>()?,
        None => {
            if args.svg.is_some() {
                return Err(usage("--svg draws a sweep: add --sweep"));
            }
            vec![check(match &args.n {
                Some(s) => parse_size(s, "-n")?,
                None => 10_000,
            })?]
        }
    };
    check_reps(args.reps)?;
    check_svg(args.svg.as_ref())?;
    // The big sizes run long: fewer timed passes there unless asked.
    let pb = progress(true);
    let mut reports = Vec::new();
    for &n in &sizes {
        // From 50,000 items a linked list's pass takes tens of seconds: unless --reps is
        // given, the counted pass is the one timing there.
        let reps = match args.reps {
            Some(r) => r,
            None if n >= 50_000 => 0,
            None => DEFAULT_REPS,
        };
        reports.push(cost::classic(n, &peers, reps, args.seed, &mut |m| {
            pb.set_message(m.to_string())
        }));
    }
    pb.finish_and_clear();
    if let Some(path) = &args.svg {
        write_svg(path, &classic_panels(&reports)).map_err(usage)?;
    }
    if args.json {
        #[derive(Serialize)]
        struct Classic<'a> {
            classic: &'a [ClassicReport],
        }
        return Ok(emit_json(&Classic { classic: &reports })?);
    }
    let mut out = String::new();
    for r in &reports {
        out += &render_classic(r);
    }
    if reports.len() > 1 {
        out += &render_classic_sweep(&reports);
    }
    if let Some(p) = &args.svg {
        out += &format!("Chart: {}\n", p.display());
    }
    Ok(emit(&out)?)
}

fn render_classic(r: &ClassicReport) -> String {
    let mut out = format!(
        "classic, N = {}: insert N random ints at their sorted positions (linear search), then remove them at random positions — whole run, counted exactly and timed (median)\n",
        commas(r.n)
    );
    let mut t = table(
        &[
            "structure",
            "time",
            "× ours",
            "compares",
            "moves",
            "bytes copied",
            "hops",
            "allocs",
            "frees",
            "reallocs",
            "moved",
        ],
        &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    for row in &r.rows {
        let c = &row.counted;
        t.add_row(vec![
            row.name.clone(),
            fmt_ns(row.time.median_ns),
            format!("{:.2}", row.vs_ours),
            commas(c.compares as usize),
            commas(c.item_moves as usize),
            commas(c.bytes_copied as usize),
            commas(c.hops as usize),
            commas(c.allocs as usize),
            commas(c.frees as usize),
            commas(c.reallocs as usize),
            commas(c.reallocs_moved as usize),
        ]);
    }
    out += &format!("{t}\n{}\n\n", r.reading);
    out
}

fn render_classic_sweep(reports: &[ClassicReport]) -> String {
    let mut header = vec!["N".to_string()];
    header.extend(
        reports[0]
            .rows
            .iter()
            .skip(1)
            .map(|r| format!("{} / ours", r.name)),
    );
    let hdr: Vec<&str> = header.iter().map(String::as_str).collect();
    let right: Vec<usize> = (0..hdr.len()).collect();
    let mut t = table(&hdr, &right);
    for r in reports {
        let mut cells = vec![commas(r.n)];
        cells.extend(
            r.rows
                .iter()
                .skip(1)
                .map(|row| format!("{:.2}×", row.vs_ours)),
        );
        t.add_row(cells);
    }
    format!(
        "How many times longer each peer took than our list (above 1: the list is faster):\n{t}\n"
    )
}

fn classic_panels(reports: &[ClassicReport]) -> Vec<Panel> {
    let names: Vec<String> = reports
        .first()
        .map(|r| r.rows.iter().map(|row| row.name.clone()).collect())
        .unwrap_or_default();
    let series = |f: &dyn Fn(&pylayout::inspect::cost::ClassicRow) -> f64| -> Vec<Series> {
        names
            .iter()
            .enumerate()
            .map(|(i, name)| Series {
                name: name.clone(),
                points: reports
                    .iter()
                    .filter_map(|r| r.rows.get(i).map(|row| (r.n as f64, f(row))))
                    .collect(),
                ..Series::default()
            })
            .collect()
    };
    vec![
        Panel {
            title: "classic experiment: time".into(),
            x_label: "N (items inserted, then removed)".into(),
            y_label: "ns for the whole run (median)".into(),
            series: series(&|row| row.time.median_ns),
            ..Panel::default()
        },
        Panel {
            title: "classic experiment: counted work".into(),
            x_label: "N (items inserted, then removed)".into(),
            y_label: "items moved + nodes walked".into(),
            series: series(&|row| (row.counted.item_moves + row.counted.hops) as f64),
            ..Panel::default()
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_sweeps_parse() {
        assert_eq!(parse_size("10_000", "-n").unwrap(), 10_000);
        assert_eq!(parse_size("1e4", "-n").unwrap(), 10_000);
        assert!(parse_size("1e30", "-n").is_err());
        assert!(parse_size("99999999999999999999999", "-n").is_err());
        assert!(parse_size("-3", "-n").is_err());
        assert_eq!(
            parse_sweep("10..1000", (1, 1)).unwrap(),
            vec![10, 100, 1000]
        );
        assert_eq!(parse_sweep("10..500", (1, 1)).unwrap(), vec![10, 100, 500]);
        assert_eq!(parse_sweep("", (100, 100_000)).unwrap().len(), 4);
        assert!(parse_sweep("100..10", (1, 1)).is_err());
    }
}
