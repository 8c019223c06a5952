//! `pylayout run`: run a Python snippet on pylayout's objects.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use pylayout::script::{self, Limits, Outcome, RunOptions, Startup};

use super::CliError;

use super::after::on_run_thread;

#[derive(Debug, Args)]
#[command(after_help = subset_help())]
pub struct RunArgs {
    /// The script to run (`-` reads it from standard input)
    #[arg(required_unless_present = "code", conflicts_with = "code")]
    file: Option<PathBuf>,
    /// Run this code instead of a file
    #[arg(short = 'c', value_name = "CODE")]
    code: Option<String>,
    /// Hash seed, as PYTHONHASHSEED (0 gives the hashes of `PYTHONHASHSEED=0 python3`)
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=4_294_967_295))]
    hash_seed: u32,
    /// Stop after this many steps (statements, loop iterations, items walked by builtins)
    #[arg(long, default_value_t = Limits::default().max_steps)]
    max_steps: u64,
    /// Stop when memory in use passes this many bytes (suffixes K, M, G allowed)
    #[arg(long, default_value = "2G", value_parser = parse_size)]
    max_memory: usize,
    /// Log to stderr what happens to objects: allocations (or free-list reuse), frees, list
    /// and dict resizes, interning, and name bindings with refcounts
    #[arg(long)]
    trace: bool,
    /// Write the trace to this file instead of stderr (implies --trace)
    #[arg(long, value_name = "FILE")]
    trace_file: Option<PathBuf>,
    /// Print one JSON document: the script's stdout and stderr, its exit code, and the
    /// collector's and allocator's final counts (the exit code is the same as without it)
    #[arg(long)]
    json: bool,
}

/// `run --json`.
#[derive(Debug, Serialize)]
struct RunReport {
    exit_code: u8,
    stdout: String,
    stderr: String,
    /// The state when the script ended (before module teardown); absent if it never started.
    #[serde(rename = "final", skip_serializing_if = "Option::is_none")]
    final_counts: Option<FinalCounts>,
}

/// Counts at the end of a script, as `gc` and `sys` would show them on its last line.
#[derive(Debug, Serialize)]
struct FinalCounts {
    /// `gc.get_count()`.
    gc_count: [isize; 3],
    /// `gc.get_threshold()`.
    gc_threshold: [isize; 3],
    /// `gc.get_stats()`.
    gc_stats: [pylayout::gc::GenStats; 3],
    /// Tracked objects per generation (`len(gc.get_objects(g))` for the script's own).
    gc_tracked: [usize; 3],
    /// `sys.getallocatedblocks()` of pylayout's heap (the script's objects and the runtime's).
    allocated_blocks: usize,
    /// Bytes in pymalloc blocks in use.
    bytes_in_allocated_blocks: usize,
    /// pymalloc arenas held.
    arenas: usize,
}

impl FinalCounts {
    fn now() -> FinalCounts {
        let stats = pylayout::runtime::malloc_stats();
        FinalCounts {
            gc_count: pylayout::gc::get_count(),
            gc_threshold: pylayout::gc::get_threshold(),
            gc_stats: pylayout::gc::get_stats(),
            gc_tracked: pylayout::gc::generation_sizes(),
            allocated_blocks: pylayout::runtime::allocated_blocks(),
            bytes_in_allocated_blocks: stats.bytes_in_allocated_blocks,
            arenas: stats.arenas_allocated_current,
        }
    }
}

const SUBSET_HELP: &str = "\
Examples:
  pylayout run study.py                    run a script as python3 would, on pylayout's objects
  pylayout run -c 'import sys; a = [1]; print(sys.getsizeof(a))'
  pylayout run --trace study.py 2>trace.txt  every allocation, free, resize and binding
  pylayout run --json study.py             stdout, stderr, exit code and the final gc counts

The subset: import sys / import gc / from sys import ...; assignment to names, subscripts,
slices, tuples, starred targets and attributes (of functions and exceptions); augmented
assignment; del; if/elif/else, for, while, break, continue, pass; try/except/else/finally, raise
[from], assert; def (defaults, keyword-only, *args, **kwargs), lambda, return, global, nonlocal,
closures; generator functions (yield, yield from, send, throw, close) and generator expressions;
int/float/str/None/True/False literals, f-strings, list/tuple/dict displays, list and dict
comprehensions, arithmetic, comparisons, in, is, not, and, or, conditional expressions, calls
(f(*seq, **mapping)) and method calls.";

const EXIT_CODES_HELP: &str = "\
Exit codes: 0 ok; 1 the script raised (CPython's traceback on stderr); 2 the script is outside
the subset (construct, line and column on stderr), a limit was reached, or bad arguments.";

/// `run --help`'s text after the options: the subset, with the builtins from their registry.
fn subset_help() -> String {
    let mut listing = String::new();
    let mut column = 0;
    for word in script::builtins_listing().split(' ') {
        if column > 0 && column + 1 + word.len() > 95 {
            listing.push('\n');
            column = 0;
        } else if column > 0 {
            listing.push(' ');
            column += 1;
        }
        listing.push_str(word);
        column += word.len();
    }
    format!("{SUBSET_HELP}\n{listing}\n\n{EXIT_CODES_HELP}")
}

/// `123`, `64K`, `512M`, `2G`.
pub fn parse_size(s: &str) -> Result<usize, String> {
    let t = s.trim();
    let (num, mult) = match t.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => {
            let m: u64 = match c.to_ascii_uppercase() {
                'K' => 1 << 10,
                'M' => 1 << 20,
                'G' => 1 << 30,
                _ => return Err(format!("unknown size suffix '{c}' (use K, M or G)")),
            };
            (&t[..i], m)
        }
        _ => (t, 1),
    };
    let n: u64 = num
        .parse()
        .map_err(|_| format!("'{s}' is not a size (e.g. 1000000, 512M, 2G)"))?;
    n.checked_mul(mult)
        .and_then(|v| usize::try_from(v).ok())
        .ok_or_else(|| format!("'{s}' is too large"))
}

pub fn run(args: &RunArgs) -> Result<u8, CliError> {
    let (src, filename, startup) = match (&args.code, &args.file) {
        (Some(code), _) => (code.clone(), "<string>".to_string(), Startup::Command),
        (None, Some(p)) => {
            let s = super::after::read_source(p)?;
            (s.text, s.filename, s.startup)
        }
        (None, None) => {
            return Err(CliError::Usage(
                "give a script (FILE, or - for stdin) or -c CODE".into(),
            ));
        }
    };
    let trace: Option<Box<dyn Write + Send>> = match (&args.trace_file, args.trace) {
        (Some(p), _) => Some(Box::new(io::BufWriter::new(
            std::fs::File::create(p)
                .map_err(|e| CliError::Usage(format!("cannot create '{}': {e}", p.display())))?,
        ))),
        (None, true) => Some(Box::new(io::stderr())),
        (None, false) => None,
    };
    let opts = RunOptions {
        limits: Limits {
            max_steps: args.max_steps,
            max_memory: args.max_memory,
            ..Limits::default()
        },
        startup: Some(startup),
    };
    let seed = args.hash_seed;
    if args.json {
        return run_json(src, filename, opts, seed, trace);
    }
    on_run_thread(seed, move || {
        let stdout = io::stdout();
        let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
        let trace = trace.map(|t| Box::new(t) as Box<dyn Write>);
        let outcome = script::run(&src, &opts, &mut out, trace);
        let flushed = out.flush();
        drop(out);
        let code = match outcome {
            Outcome::Ok => 0,
            Outcome::Exception(f) => {
                eprint!("{}", script::format_traceback(&f, &filename, &src));
                1
            }
            Outcome::Refused(msg) => {
                eprintln!("pylayout: {msg}");
                2
            }
        };
        match flushed {
            Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
                eprintln!("pylayout: error: {e}");
                1
            }
            _ => code,
        }
    })
}

/// `run --json`: the same run, its output captured into one JSON document.
fn run_json(
    src: String,
    filename: String,
    opts: RunOptions,
    seed: u32,
    trace: Option<Box<dyn Write + Send>>,
) -> Result<u8, CliError> {
    let report = on_run_thread(seed, move || {
        let mut out = Vec::new();
        let trace = trace.map(|t| Box::new(t) as Box<dyn Write>);
        let (outcome, counts) =
            script::run_inspect(&src, &opts, &mut out, trace, |_| FinalCounts::now());
        let (exit_code, stderr) = match outcome {
            Outcome::Ok => (0, String::new()),
            Outcome::Exception(f) => (1, script::format_traceback(&f, &filename, &src)),
            Outcome::Refused(msg) => (2, format!("pylayout: {msg}\n")),
        };
        RunReport {
            exit_code,
            stdout: String::from_utf8_lossy(&out).into_owned(),
            stderr,
            final_counts: counts,
        }
    })?;
    super::output::emit_json(&report)?;
    Ok(report.exit_code)
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("100"), Ok(100));
        assert_eq!(parse_size("64K"), Ok(65536));
        assert_eq!(parse_size("2g"), Ok(2 << 30));
        assert!(parse_size("2X").is_err());
        assert!(parse_size("lots").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
    }
}
