//! `pylayout grow`: grow a container one element at a time and show every resize.

use clap::{Args, ValueEnum};
use serde::Serialize;

use pylayout::inspect::grow::{
    self, DICT_ALLOC_LIMIT, DICT_MAX_LEN, DictGrowth, DictKeys, LIST_ALLOC_LIMIT, LIST_MAX_LEN,
    ListGrowth, Method,
};

use super::CliError;
use super::output::{commas, emit, emit_json, table};

#[derive(Debug, Args)]
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
    /// Print JSON: {"container", "to", "method", "points": [{"len", "capacity", "size", ...}]}
    #[arg(long)]
    json: bool,
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

pub fn run(args: &GrowArgs) -> Result<(), CliError> {
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
            show(&grow::list_growth(args.to), args.json, render_list)
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
            show(&grow::dict_growth(keys, args.to), args.json, render_dict)
        }
    }
}

fn show<T: Serialize>(g: &T, json: bool, render: fn(&T) -> String) -> Result<(), CliError> {
    if json {
        emit_json(g)?;
    } else {
        emit(&render(g))?;
    }
    Ok(())
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

fn per_item(len: u64, v: f64) -> String {
    if len == 0 {
        "-".into()
    } else {
        format!("{v:.2}")
    }
}

fn render_list(g: &ListGrowth) -> String {
    let mut out = format!(
        "l = []; l.append(x) until len(l) == {}  ({})\n\
         Rows are the appends that changed sys.getsizeof(l) = 56 + 8 * allocated.\n\n",
        commas(g.to as usize),
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
            commas(p.len as usize),
            commas(p.capacity as usize),
            commas(p.size as usize),
            per_item(p.len, p.bytes_per_element),
            commas(p.spare as usize),
            cost_text(&p.cost, p.len == 0),
        ]);
    }
    out.push_str(&t.to_string());
    out.push('\n');
    out
}

fn render_dict(g: &DictGrowth) -> String {
    let (stmt, entry) = match g.keys {
        DictKeys::Str => ("d[str(i)] = None", "unicode table, 16-byte entries"),
        DictKeys::Int => ("d[i] = None", "general table, 24-byte entries"),
    };
    let mut out = format!(
        "d = {{}}; {stmt} for i in 1..={}  ({}; {entry})\n\
         Rows are the insertions that changed sys.getsizeof(d); a resize rebuilds the table\n\
         for GROWTH_RATE = 3 * len(d) before inserting.\n\n",
        commas(g.to as usize),
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
            commas(p.len as usize),
            commas(p.capacity as usize),
            commas(p.table_size as usize),
            p.index_bytes.to_string(),
            commas(p.size as usize),
            per_item(p.len, p.bytes_per_element),
            cost_text(&p.cost, p.len == 0),
        ]);
    }
    out.push_str(&t.to_string());
    out.push('\n');
    out
}
