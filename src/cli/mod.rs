//! Command-line interface: argument parsing (clap), one module per sub-command, and the one
//! place where errors become exit codes.
//!
//! Exit codes: 0 success, 1 failure while running (a script that raised, a failed write),
//! 2 bad input (usage errors included), 70 an internal error — a bug in pylayout, reported in
//! one line by the panic hook, never as a backtrace unless `RUST_BACKTRACE` is set.
//! A closed pipe (`pylayout pool | head`) is not an error.

mod after;
mod bench;
mod chart;
mod cost;
mod gc;
mod grow;
pub(crate) mod layout;
mod output;
mod pool;
mod run;
mod tour;

use std::io;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

/// CPython 3.11's core objects rebuilt byte for byte in Rust: look inside them.
#[derive(Debug, Parser)]
#[command(name = "pylayout", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// A guided tour through live objects: pymalloc, int, refcounts, float, list, str, tuple, dict, gc, costs
    Tour(tour::TourArgs),
    /// pymalloc's state in the layout of CPython's sys._debugmallocstats()
    Pool(pool::PoolArgs),
    /// Grow a container one element at a time and show every resize
    Grow(grow::GrowArgs),
    /// Build reference cycles and watch the cycle collector find and free them
    Gc(gc::GcArgs),
    /// Run a Python snippet (a subset of Python) on pylayout's objects
    Run(run::RunArgs),
    /// Build an expression as CPython would and show its memory: fields, blocks, pools
    Layout(layout::LayoutArgs),
    /// What an operation costs — counted and timed — beside Vec, linked lists, IndexMap...
    Cost(cost::CostArgs),
    /// The headline pairs side by side (list vs Vec, dict vs IndexMap, pymalloc vs malloc, gc vs CPython)
    Bench(bench::BenchArgs),
}

/// Errors of a command run. (Bad arguments are caught by the parser, which exits with 2.)
#[derive(Debug)]
pub enum CliError {
    /// Writing the output failed (other than a closed pipe): exit code 1.
    Io(io::Error),
    /// Arguments that parse but do not make sense together: exit code 2.
    Usage(String),
    /// The script of `--after FILE` raised: its output and traceback, exit code 1.
    Script(String),
}

impl From<io::Error> for CliError {
    fn from(e: io::Error) -> Self {
        CliError::Io(e)
    }
}

/// Exit code of an internal error (a panic: a bug in pylayout), `EX_SOFTWARE` of sysexits.h.
pub const EXIT_INTERNAL: u8 = 70;

/// A panic reaches the user as one line and exit code [`EXIT_INTERNAL`]; the default report
/// (with its backtrace) only when `RUST_BACKTRACE` is set.
fn install_panic_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let msg = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_string());
        let at = info
            .location()
            .map(|l| format!(" (at {}:{})", l.file(), l.line()))
            .unwrap_or_default();
        // `unreachable!` says "internal error: ..." itself.
        let first = msg.lines().next().unwrap_or("");
        let first = first.strip_prefix("internal error: ").unwrap_or(first);
        eprintln!(
            "pylayout: internal error: {first}{at}; this is a bug in pylayout, please report it with the command and input that caused it"
        );
        if std::env::var_os("RUST_BACKTRACE").is_some() {
            default(info);
        }
        let _ = io::Write::flush(&mut io::stdout());
        std::process::exit(i32::from(EXIT_INTERNAL));
    }));
}

/// `PYLAYOUT_FORCE_PANIC=main` (or `=run`, inside the runner's thread): a deliberate panic,
/// so that the tests can prove what a user would see.
pub fn forced_panic(place: &str) {
    if std::env::var("PYLAYOUT_FORCE_PANIC").is_ok_and(|v| v == place) {
        panic!("forced by PYLAYOUT_FORCE_PANIC={place}");
    }
}

/// Parse arguments, run, and turn the outcome into an exit code.
pub fn main() -> ExitCode {
    install_panic_hook();
    forced_panic("main");
    // `cost --help` ends with the structures and operations, derived from the library.
    let command = Cli::command().mut_subcommand("cost", |c| c.after_help(cost::help()));
    let parsed = command
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help/version to stdout (exit 0) and usage errors to stderr (exit 2).
            let _ = e.print();
            return ExitCode::from(e.exit_code() as u8);
        }
    };
    if let Command::Run(args) = &cli.command {
        return match run::run(args) {
            Ok(code) => ExitCode::from(code),
            Err(CliError::Usage(msg)) => {
                eprintln!("error: {msg}");
                ExitCode::from(2)
            }
            Err(CliError::Io(e)) => {
                eprintln!("pylayout: error: {e}");
                ExitCode::from(1)
            }
            Err(CliError::Script(text)) => {
                eprintln!("{text}");
                ExitCode::from(1)
            }
        };
    }
    let result = match cli.command {
        Command::Tour(args) => tour::run(&args),
        Command::Pool(args) => pool::run(&args),
        Command::Grow(args) => grow::run(&args),
        Command::Gc(args) => gc::run(&args),
        Command::Run(_) => unreachable!("handled above"),
        Command::Layout(args) => layout::run(&args),
        Command::Cost(args) => cost::run(&args),
        Command::Bench(args) => bench::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(CliError::Io(e)) => {
            eprintln!("pylayout: error: {e}");
            ExitCode::from(1)
        }
        Err(CliError::Usage(msg)) => {
            eprintln!("error: {msg}\n\nFor more information, try '--help'.");
            ExitCode::from(2)
        }
        Err(CliError::Script(text)) => {
            eprintln!("{text}");
            ExitCode::from(1)
        }
    }
}
