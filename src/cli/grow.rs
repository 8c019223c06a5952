//! `pylayout grow`: grow a container one element at a time and show every resize.

use clap::{Args, ValueEnum};

use pylayout::inspect::grow::{self, LIST_ALLOC_LIMIT, LIST_MAX_LEN, ListGrowth, Method};

use super::CliError;
use super::output::{commas, emit, emit_json, table};

#[derive(Debug, Args)]
pub struct GrowArgs {
    /// The container to grow
    #[arg(value_enum)]
    container: Container,
    /// Final length (lists above 10,000,000 are computed from the growth policy, not allocated)
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(0..=LIST_MAX_LEN))]
    to: u64,
    /// Print JSON: {"container", "to", "method", "points": [{"len", "capacity", "size", ...}]}
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Container {
    /// list.append from [] (Objects/listobject.c list_resize)
    List,
}

pub fn run(args: &GrowArgs) -> Result<(), CliError> {
    let g = match args.container {
        Container::List => grow::list_growth(args.to),
    };
    if args.json {
        emit_json(&g)?;
    } else {
        emit(&render(&g))?;
    }
    Ok(())
}

fn render(g: &ListGrowth) -> String {
    let how = match g.method {
        Method::Allocated => "a real list, grown here".to_string(),
        Method::Policy => format!(
            "computed from list_resize's policy: above {} items nothing is allocated",
            commas(LIST_ALLOC_LIMIT as usize)
        ),
    };
    let mut out = format!(
        "l = []; l.append(x) until len(l) == {}  ({how})\n\
         Rows are the appends that changed sys.getsizeof(l) = 56 + 8 * allocated.\n\n",
        commas(g.to as usize)
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
        let cost = match &p.cost {
            None if p.len == 0 => "-".to_string(),
            None => "(not run)".to_string(),
            Some(c) if c.reallocs_moved > 0 => {
                format!(
                    "realloc moved the array, {} B copied",
                    commas(c.bytes_copied as usize)
                )
            }
            Some(c) if c.allocs > 0 => "first array allocated".to_string(),
            Some(_) => "realloc in place".to_string(),
        };
        t.add_row(vec![
            commas(p.len as usize),
            commas(p.capacity as usize),
            commas(p.size as usize),
            if p.len == 0 {
                "-".into()
            } else {
                format!("{:.2}", p.bytes_per_element)
            },
            commas(p.spare as usize),
            cost,
        ]);
    }
    out.push_str(&t.to_string());
    out.push('\n');
    out
}
