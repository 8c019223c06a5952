//! `pylayout bench`: the headline pairs side by side, with the speed targets.

use std::io::IsTerminal;
use std::time::Duration;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use pylayout::inspect::cost::{BenchResult, Effort, bench};

use super::CliError;
use super::cost::fmt_ns;
use super::output::{emit, emit_json, table};

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  pylayout bench --quick\n  pylayout bench --quick --json | jq '.results[] | select(.holds == false)'\n\nThe collector's pair runs python3 (or $PYLAYOUT_PYTHON) on the same graph. Times drift on a shared machine: the ratios, measured side by side, are what to read."
)]
pub struct BenchArgs {
    /// Fewer passes and smaller sizes: under a minute
    #[arg(long)]
    quick: bool,
    /// Every pair once at tiny sizes (checks the report, measures nothing)
    #[arg(long, hide = true, conflicts_with = "quick")]
    smoke: bool,
    /// Print JSON: {"results": [{"name", "ours", "ours_ns", "peer", "peer_ns", "ratio", "target", "holds"}]}
    #[arg(long)]
    json: bool,
}

pub fn run(args: &BenchArgs) -> Result<(), CliError> {
    let pb = if std::io::stderr().is_terminal() {
        let pb = ProgressBar::new_spinner();
        pb.set_style(
            ProgressStyle::with_template("{spinner} {elapsed} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        pb.enable_steady_tick(Duration::from_millis(120));
        pb
    } else {
        ProgressBar::hidden()
    };
    let effort = if args.smoke {
        Effort::Smoke
    } else if args.quick {
        Effort::Quick
    } else {
        Effort::Full
    };
    let results = bench(effort, &mut |m| pb.set_message(m.to_string()));
    pb.finish_and_clear();
    if args.json {
        #[derive(Serialize)]
        struct Out<'a> {
            results: &'a [BenchResult],
        }
        return Ok(emit_json(&Out { results: &results })?);
    }
    Ok(emit(&render(&results))?)
}

fn render(results: &[BenchResult]) -> String {
    let mut t = table(
        &[
            "pair", "ours", "time/op", "peer", "time/op", "ratio", "target", "holds",
        ],
        &[2, 4, 5, 6],
    );
    for r in results {
        t.add_row(vec![
            r.name.clone(),
            r.ours.clone(),
            fmt_ns(r.ours_ns),
            r.peer.clone(),
            r.peer_ns.map(fmt_ns).unwrap_or_else(|| "—".into()),
            r.ratio
                .map(|x| format!("{x:.2}×"))
                .unwrap_or_else(|| "—".into()),
            format!("≤ {:.1}×", r.target),
            match r.holds {
                Some(true) => "yes".into(),
                Some(false) => "no".into(),
                None => "could not run".into(),
            },
        ]);
    }
    let held = results.iter().filter(|r| r.holds == Some(true)).count();
    format!(
        "Ours beside its peer, medians of interleaved passes in this one run (ratio = ours / peer):\n{t}\n{held} of {} targets hold. Times drift on a shared machine; the ratios are what to compare.\n",
        results.len()
    )
}
