//! `pylayout grow`: grow a container one element at a time and show every resize.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde::Serialize;

use pylayout::inspect::grow::{
    self, DICT_ALLOC_LIMIT, DICT_MAX_LEN, DictGrowth, DictKeys, GrowthSummary, LIST_ALLOC_LIMIT,
    LIST_MAX_LEN, ListGrowth, Method,
};
use pylayout::profile::PyVersion;
use pylayout::runtime;

use super::CliError;
use super::chart::{self, Panel, Scale, Series};
use super::output::{Role, cell, commas, emit, emit_json, table};

const EXAMPLES: &str = "\
Examples:
  pylayout grow list --to 1000                   every resize of l.append(x), with its cost
  pylayout grow list --to 1000000 --svg list.svg --log
                                                 capacity and bytes against length, log axes
  pylayout grow dict --keys int --to 100000 --json
                                                 d[i] = None: the table sizes, as data
  pylayout grow list --compare 3.8,3.11,3.12     the same appends in three CPythons, side by side
  pylayout grow list --python 3.8 --to 50        3.8's older growth formula alone

Versions: a list grows as each CPython from 3.8 to 3.13 grows it (3.8's formula differs);
a dict as 3.11, 3.12 and 3.13 grow it (the same keys object; 3.8-3.10's is not built yet).";

#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct GrowArgs {
    /// The container to grow
    #[arg(value_enum)]
    container: Container,
    /// Final length. Lists above 10,000,000 and dicts above 2,000,000 are computed from
    /// the growth policy, not allocated.
    #[arg(long, default_value_t = 100)]
    to: u64,
    /// Key type for dict: str (d[str(i)] = None) or int (d[i] = None)
    #[arg(long, value_enum)]
    keys: Option<KeysArg>,
    /// Print JSON: {"container", "to", "method", "points": [{"len", "capacity", "size", ...}],
    /// "summary": {"resizes", "items_copied", "bytes_copied", "copies_per_append", ...}}
    #[arg(long)]
    json: bool,
    /// Also draw capacity and sys.getsizeof against length, resizes marked, into FILE (SVG)
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,
    /// Log axes for --svg (linear by default)
    #[arg(long, requires = "svg")]
    log: bool,
    /// Grow it in each of these CPython versions and show the curves side by side
    /// (comma-separated: 3.8,3.11,3.12)
    #[arg(long, value_delimiter = ',', value_name = "VERSIONS", value_parser = parse_version)]
    compare: Vec<PyVersion>,
}

fn parse_version(s: &str) -> Result<PyVersion, String> {
    PyVersion::parse(s).map_err(|e| e.to_string())
}

/// The versions asked for: `--compare`'s, else `--python`'s, else the modelled one; each
/// one the container is built for.
fn versions(args: &GrowArgs, python: Option<PyVersion>) -> Result<Vec<PyVersion>, CliError> {
    let mut vs: Vec<PyVersion> = Vec::new();
    if args.compare.is_empty() {
        vs.push(python.unwrap_or(PyVersion::MODELLED));
    } else if python.is_some() {
        return Err(CliError::Usage(
            "--compare names the versions itself: leave out --python".into(),
        ));
    } else {
        for v in &args.compare {
            if !vs.contains(v) {
                vs.push(*v);
            }
        }
    }
    if args.container == Container::Dict
        && let Some(v) = vs.iter().find(|v| !v.builds_objects())
    {
        return Err(CliError::Usage(format!(
            "CPython {v}'s dict is not built yet (its keys object has a 40-byte header and only 24-byte entries): \
             `grow dict` takes 3.11, 3.12 or 3.13; `grow list` takes every version from 3.8"
        )));
    }
    Ok(vs)
}

/// `f` on a fresh runtime that follows `version`.
fn in_version<T: Send>(version: PyVersion, f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| {
        s.spawn(|| {
            runtime::set_version(version);
            f()
        })
        .join()
        .unwrap_or_else(|p| std::panic::resume_unwind(p))
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Container {
    /// l.append(x) from [] (Objects/listobject.c list_resize)
    List,
    /// d[key] = None from {} (Objects/dictobject.c insertdict / dictresize)
    Dict,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum KeysArg {
    /// str keys: a unicode table, 16-byte entries
    Str,
    /// int keys: a general table, 24-byte entries
    Int,
}

pub fn run(args: &GrowArgs, python: Option<PyVersion>) -> Result<(), CliError> {
    if let Some(path) = &args.svg {
        chart::check_path(path).map_err(CliError::Usage)?;
    }
    let versions = versions(args, python)?;
    let version = versions[0];
    match args.container {
        Container::List => {
            if args.keys.is_some() {
                return Err(CliError::Usage("--keys applies to `grow dict` only".into()));
            }
            if args.to > LIST_MAX_LEN {
                return Err(CliError::Usage(format!(
                    "--to {} is more than a list can hold ({LIST_MAX_LEN})",
                    args.to
                )));
            }
            if versions.len() > 1 {
                let gs: Vec<ListGrowth> = versions
                    .iter()
                    .map(|&v| in_version(v, || grow::list_growth(args.to)))
                    .collect();
                let curves = gs.iter().map(list_curve).collect::<Vec<_>>();
                return compare(args, "list", "l.append(x)", &curves, &gs);
            }
            let g = in_version(version, || grow::list_growth(args.to));
            draw(args, list_panels(&g, args.log))?;
            show(&g, args, render_list)
        }
        Container::Dict => {
            if args.to > DICT_MAX_LEN {
                return Err(CliError::Usage(format!(
                    "--to {} is too large for a dict (at most {DICT_MAX_LEN})",
                    args.to
                )));
            }
            let keys = match args.keys.unwrap_or(KeysArg::Str) {
                KeysArg::Str => DictKeys::Str,
                KeysArg::Int => DictKeys::Int,
            };
            if versions.len() > 1 {
                let gs: Vec<DictGrowth> = versions
                    .iter()
                    .map(|&v| in_version(v, || grow::dict_growth(keys, args.to)))
                    .collect();
                let curves = gs.iter().map(dict_curve).collect::<Vec<_>>();
                return compare(args, "dict", "d[key] = None", &curves, &gs);
            }
            let g = in_version(version, || grow::dict_growth(keys, args.to));
            draw(args, dict_panels(&g, args.log))?;
            show(&g, args, render_dict)
        }
    }
}

fn show<T: Serialize>(g: &T, args: &GrowArgs, render: fn(&T) -> String) -> Result<(), CliError> {
    if args.json {
        emit_json(g)?;
    } else {
        let mut text = render(g);
        if let Some(path) = &args.svg {
            text.push_str(&format!("\nWrote the chart to {}.\n", path.display()));
        }
        emit(&text)?;
    }
    Ok(())
}

fn draw(args: &GrowArgs, panels: Vec<Panel>) -> Result<(), CliError> {
    if let Some(path) = &args.svg {
        chart::write_svg(path, &panels).map_err(CliError::Usage)?;
    }
    Ok(())
}

/// The x positions of the resizes (every point but the empty container).
fn resize_markers(lens: impl Iterator<Item = u64>) -> Vec<f64> {
    lens.filter(|&l| l > 0).map(|l| l as f64).collect()
}

fn panel(title: String, y_label: &str, log: bool, series: Vec<Series>, markers: Vec<f64>) -> Panel {
    let scale = if log { Scale::Log } else { Scale::Linear };
    Panel {
        title,
        x_label: "length (items appended)".into(),
        y_label: y_label.into(),
        x_scale: scale,
        y_scale: scale,
        series,
        markers_label: format!("resizes ({})", markers.len()),
        markers,
    }
}

fn steps(name: &str, to: u64, points: Vec<(f64, f64)>) -> Series {
    Series {
        name: name.into(),
        points,
        steps_to: Some(to as f64),
        no_dots: false,
    }
}

fn diagonal(to: u64) -> Series {
    Series {
        name: "length".into(),
        // (1, 1) keeps the line on log axes, which leave (0, 0) out.
        points: vec![(0.0, 0.0), (1.0, 1.0), (to as f64, to as f64)],
        no_dots: true,
        ..Series::default()
    }
}

/// Two panels: `allocated` and `sys.getsizeof(l)` against `len(l)`.
fn list_panels(g: &ListGrowth, log: bool) -> Vec<Panel> {
    let markers = || resize_markers(g.points.iter().map(|p| p.len));
    let at = |f: fn(&grow::ListPoint) -> u64| -> Vec<(f64, f64)> {
        g.points
            .iter()
            .map(|p| (p.len as f64, f(p) as f64))
            .collect()
    };
    vec![
        panel(
            format!(
                "list: capacity against length, to {}",
                commas(g.to as usize)
            ),
            "item slots",
            log,
            vec![steps("allocated", g.to, at(|p| p.capacity)), diagonal(g.to)],
            markers(),
        ),
        panel(
            "list: bytes against length".into(),
            "bytes",
            log,
            vec![steps("sys.getsizeof(l)", g.to, at(|p| p.size))],
            markers(),
        ),
    ]
}

/// Two panels: the table (usable entries, index slots) and `sys.getsizeof(d)` against `len(d)`.
fn dict_panels(g: &DictGrowth, log: bool) -> Vec<Panel> {
    let markers = || resize_markers(g.points.iter().map(|p| p.len));
    let at = |f: fn(&grow::DictPoint) -> u64| -> Vec<(f64, f64)> {
        g.points
            .iter()
            .map(|p| (p.len as f64, f(p) as f64))
            .collect()
    };
    vec![
        panel(
            format!("dict: table against length, to {}", commas(g.to as usize)),
            "entries / index slots",
            log,
            vec![
                steps("usable entries", g.to, at(|p| p.capacity)),
                steps("dk_size (index slots)", g.to, at(|p| p.table_size)),
                diagonal(g.to),
            ],
            markers(),
        ),
        panel(
            "dict: bytes against length".into(),
            "bytes",
            log,
            vec![steps("sys.getsizeof(d)", g.to, at(|p| p.size))],
            markers(),
        ),
    ]
}

/// The lines under a growth table: resizes, what they copied, the amortised cost.
/// `op`: what one step is (`append`, `insertion`).
fn render_summary(s: &GrowthSummary, to: u64, what: &str, unit: &str, op: &str) -> String {
    let first = u64::from(s.resizes > 0);
    let rest = s.resizes - first;
    let mut out = format!(
        "Resizes: {} ({} first allocation + {} {what}",
        commas(s.resizes as usize),
        first,
        commas(rest as usize),
    );
    if s.copying_resizes != rest {
        out.push_str(&format!(
            "; {} moved and copied, {} grew in place",
            commas(s.copying_resizes as usize),
            commas((rest - s.copying_resizes) as usize)
        ));
    }
    out.push_str(").\n");
    out.push_str(&format!(
        "Copied by resizes: {} {unit} = {} bytes{}.\n",
        commas(s.items_copied as usize),
        commas(s.bytes_copied as usize),
        if s.measured {
            ""
        } else {
            " (computed: at most)"
        }
    ));
    out.push_str(&format!(
        "Amortised: {:.2} {unit} copied per {op} ({} copied / {} {op}s).\n",
        s.copies_per_append,
        commas(s.items_copied as usize),
        commas(to as usize)
    ));
    out.push_str(&format!("How: {}.\n", s.counting));
    out
}

fn method_note(method: Method, limit: u64, what: &str) -> String {
    match method {
        Method::Allocated => format!("a real {what}, grown here"),
        Method::Policy => format!(
            "computed from the resize policy: above {} items nothing is allocated",
            commas(limit as usize)
        ),
    }
}

fn cost_text(c: &Option<pylayout::cost::Costs>, first: bool) -> String {
    match c {
        None if first => "-".into(),
        None => "(not run)".into(),
        Some(c) if c.item_moves > 0 => format!(
            "{} entries moved, {} probes",
            commas(c.item_moves as usize),
            commas(c.probes as usize)
        ),
        Some(c) if c.reallocs_moved > 0 => format!(
            "realloc moved the array, {} B copied",
            commas(c.bytes_copied as usize)
        ),
        Some(c) if c.allocs > 0 => "first block allocated".into(),
        Some(_) => "realloc in place".into(),
    }
}

/// The resize cost cell: a resize that copied is highlighted in colour.
fn cost_cell(c: &Option<pylayout::cost::Costs>, first: bool) -> comfy_table::Cell {
    let copied = c
        .as_ref()
        .is_some_and(|c| c.item_moves > 0 || c.reallocs_moved > 0);
    cell(cost_text(c, first), copied.then_some(Role::Event))
}

fn per_item(len: u64, v: f64) -> String {
    if len == 0 {
        "-".into()
    } else {
        format!("{v:.2}")
    }
}

fn render_list(g: &ListGrowth) -> String {
    let mut out = format!(
        "l = []; l.append(x) until len(l) == {}  (CPython {}: {})\n\
         Rows are the appends that changed sys.getsizeof(l) = 56 + 8 * allocated.\n\n",
        commas(g.to as usize),
        g.python,
        method_note(g.method, LIST_ALLOC_LIMIT, "list")
    );
    let mut t = table(
        &[
            "len",
            "allocated",
            "getsizeof",
            "bytes/item",
            "spare",
            "resize cost",
        ],
        &[0, 1, 2, 3, 4],
    );
    for p in &g.points {
        t.add_row(vec![
            cell(commas(p.len as usize), None),
            cell(commas(p.capacity as usize), None),
            cell(commas(p.size as usize), None),
            cell(per_item(p.len, p.bytes_per_element), None),
            cell(commas(p.spare as usize), None),
            cost_cell(&p.cost, p.len == 0),
        ]);
    }
    out.push_str(&t.to_string());
    out.push_str("\n\n");
    out.push_str(&render_summary(
        &g.summary,
        g.to,
        "reallocations",
        "item pointers",
        "append",
    ));
    out
}

fn render_dict(g: &DictGrowth) -> String {
    let (stmt, entry) = match g.keys {
        DictKeys::Str => ("d[str(i)] = None", "unicode table, 16-byte entries"),
        DictKeys::Int => ("d[i] = None", "general table, 24-byte entries"),
    };
    let mut out = format!(
        "d = {{}}; {stmt} for i in 1..={}  (CPython {}: {}; {entry})\n\
         Rows are the insertions that changed sys.getsizeof(d); a resize rebuilds the table\n\
         for GROWTH_RATE = 3 * len(d) before inserting.\n\n",
        commas(g.to as usize),
        g.python,
        method_note(g.method, DICT_ALLOC_LIMIT, "dict")
    );
    let mut t = table(
        &[
            "len",
            "usable",
            "slots",
            "index B",
            "getsizeof",
            "bytes/item",
            "resize cost",
        ],
        &[0, 1, 2, 3, 4, 5],
    );
    for p in &g.points {
        t.add_row(vec![
            cell(commas(p.len as usize), None),
            cell(commas(p.capacity as usize), None),
            cell(commas(p.table_size as usize), None),
            cell(p.index_bytes.to_string(), None),
            cell(commas(p.size as usize), None),
            cell(per_item(p.len, p.bytes_per_element), None),
            cost_cell(&p.cost, p.len == 0),
        ]);
    }
    out.push_str(&t.to_string());
    out.push_str("\n\n");
    out.push_str(&render_summary(
        &g.summary,
        g.to,
        "table rebuilds",
        "entries",
        "insertion",
    ));
    out
}

/// One version's growth as `(len, capacity, getsizeof)` at each change, named by version.
struct Curve {
    python: String,
    points: Vec<(u64, u64, u64)>,
}

impl Curve {
    fn new(python: &str, points: impl Iterator<Item = (u64, u64, u64)>) -> Curve {
        Curve {
            python: python.to_string(),
            points: points.collect(),
        }
    }
}

fn list_curve(g: &ListGrowth) -> Curve {
    Curve::new(
        &g.python,
        g.points.iter().map(|p| (p.len, p.capacity, p.size)),
    )
}

fn dict_curve(g: &DictGrowth) -> Curve {
    Curve::new(
        &g.python,
        g.points.iter().map(|p| (p.len, p.capacity, p.size)),
    )
}

/// `grow ... --compare`'s JSON: each version's growth as `grow --python V --json` gives it.
#[derive(Serialize)]
struct Compared<'a, T> {
    container: &'static str,
    to: u64,
    versions: &'a [T],
}

/// The curves side by side: a row per length at which some version resizes, a column per
/// version with `getsizeof (capacity)` after that step.
fn compare<T: Serialize>(
    args: &GrowArgs,
    container: &'static str,
    op: &str,
    curves: &[Curve],
    growths: &[T],
) -> Result<(), CliError> {
    if let Some(path) = &args.svg {
        let scale = if args.log { Scale::Log } else { Scale::Linear };
        let series = |f: fn(&(u64, u64, u64)) -> u64| -> Vec<Series> {
            curves
                .iter()
                .map(|c| {
                    steps(
                        &format!("CPython {}", c.python),
                        args.to,
                        c.points.iter().map(|p| (p.0 as f64, f(p) as f64)).collect(),
                    )
                })
                .collect()
        };
        let panel = |title: String, y: &str, series: Vec<Series>| Panel {
            title,
            x_label: "length".into(),
            y_label: y.into(),
            x_scale: scale,
            y_scale: scale,
            series,
            ..Panel::default()
        };
        let panels = vec![
            panel(
                format!("{container}: sys.getsizeof against length, by CPython version"),
                "bytes",
                series(|p| p.2),
            ),
            panel(
                format!("{container}: capacity against length, by CPython version"),
                "slots",
                series(|p| p.1),
            ),
        ];
        chart::write_svg(path, &panels).map_err(CliError::Usage)?;
    }
    if args.json {
        emit_json(&Compared {
            container,
            to: args.to,
            versions: growths,
        })?;
        return Ok(());
    }
    let mut lens: Vec<u64> = curves
        .iter()
        .flat_map(|c| c.points.iter().map(|p| p.0))
        .collect();
    lens.sort_unstable();
    lens.dedup();
    let names: Vec<String> = curves
        .iter()
        .map(|c| format!("CPython {}", c.python))
        .collect();
    let mut header = vec!["len"];
    header.extend(names.iter().map(String::as_str));
    let right: Vec<usize> = (0..header.len()).collect();
    let mut t = table(&header, &right);
    for len in lens {
        let mut row = vec![cell(commas(len as usize), None)];
        for c in curves {
            let at = c
                .points
                .iter()
                .rev()
                .find(|p| p.0 <= len)
                .expect("the empty point");
            let resized = at.0 == len && len > 0;
            row.push(cell(
                format!("{} ({})", commas(at.2 as usize), commas(at.1 as usize)),
                resized.then_some(Role::Event),
            ));
        }
        t.add_row(row);
    }
    let mut text = format!(
        "{op} until len == {}, in {}\n\
         A row per length at which some version resizes: sys.getsizeof (capacity) after that step.\n\n{t}\n",
        commas(args.to as usize),
        curves
            .iter()
            .map(|c| c.python.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    if let Some(path) = &args.svg {
        text.push_str(&format!("\nWrote the chart to {}.\n", path.display()));
    }
    emit(&text)?;
    Ok(())
}
