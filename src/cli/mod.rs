//! Command-line interface: argument parsing (clap), one module per sub-command, and the one
//! place where errors become exit codes.
//!
//! Exit codes: 0 success, 1 failure while running (a script that raised, a failed write),
//! 2 bad input (usage errors included), 70 an internal error — a bug in pylayout, reported in
//! one line by the panic hook, never as a backtrace unless `PYLAYOUT_BACKTRACE` is set (a
//! `RUST_BACKTRACE` a Rust developer keeps in their environment does not count).
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
mod verify;

use std::io;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use pylayout::inspect::verify::interpreter::{Interpreter, PythonChoice};
use pylayout::profile::PyVersion;

/// CPython 3.11's core objects rebuilt byte for byte in Rust: look inside them.
#[derive(Debug, Parser)]
#[command(name = "pylayout", version, about, long_about = None, propagate_version = true,
    after_help = "Examples:
  pylayout tour                                 the main job: every layer, from live objects
  pylayout layout \"{'a': 1, 'b': [2]}\"          a dict's keys object, its entries, its pools
  pylayout run study.py                         your script, as python3 runs it
  pylayout gc --explain --after study.py        what the collector sees in the state it left
  pylayout pool --map --after study.py          where its objects sit in the pools")]
struct Cli {
    /// When to colour the output: auto (a terminal, unless NO_COLOR is set), always, never
    #[arg(long, value_enum, global = true, default_value_t = output::ColorChoice::Auto, value_name = "WHEN")]
    color: output::ColorChoice,
    /// The CPython to model: a version (3.8 to 3.13), a program (python3.12) or a path.
    /// layout, tour and grow build 3.11-3.13 objects (grow list: 3.8-3.13); scripts run as
    /// 3.11 runs them; verify checks any of them against its own interpreter
    #[arg(long, global = true, value_name = "VERSION|PROGRAM", env = "PYLAYOUT_PYTHON_VERSION",
        value_parser = PythonChoice::parse)]
    python: Option<PythonChoice>,
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
    /// Check pylayout against the real interpreter on this machine, probe by probe
    Verify(verify::VerifyArgs),
    /// Print a shell completion script for bash, zsh, fish, powershell or elvish
    #[command(after_help = "Examples:
  pylayout completions bash > ~/.local/share/bash-completion/completions/pylayout
  pylayout completions zsh > ~/.zfunc/_pylayout     # with fpath+=~/.zfunc in ~/.zshrc
  pylayout completions fish > ~/.config/fish/completions/pylayout.fish")]
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), generated from this help
    #[command(after_help = "Examples:
  pylayout man > pylayout.1 && man ./pylayout.1
  pylayout man | gzip > ~/.local/share/man/man1/pylayout.1.gz")]
    Man,
}

/// The command line as clap sees it, with the help texts derived from the library.
fn command() -> clap::Command {
    // `cost --help` ends with the structures and operations, derived from the library.
    allow_negatives(Cli::command().mut_subcommand("cost", |c| c.after_help(cost::help())))
}

/// Let every option's value start with `-` when it is a number, so that `--count -5` reaches
/// the value parser (and [`negative_number`] says "must be ≥ 0") instead of clap's
/// "to pass '-5' as a value, use '-- -5'".
fn allow_negatives(cmd: clap::Command) -> clap::Command {
    let ids: Vec<clap::Id> = cmd
        .get_arguments()
        .filter(|a| !a.is_positional() && a.get_action().takes_values())
        .map(|a| a.get_id().clone())
        .collect();
    let mut cmd = ids.into_iter().fold(cmd, |c, id| {
        c.mut_arg(id, |a| a.allow_negative_numbers(true))
    });
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for s in subs {
        cmd = cmd.mut_subcommand(s, allow_negatives);
    }
    cmd
}

/// A negative number given to an option that counts: "invalid value '-5' for '--count
/// <COUNT>': must be ≥ 0" (clap's own text would be the parser's, e.g. "invalid digit").
fn negative_number(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if e.kind() != ErrorKind::ValueValidation {
        return None;
    }
    let text = |k| match e.get(k) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        _ => None,
    };
    let value = text(ContextKind::InvalidValue)?;
    let arg = text(ContextKind::InvalidArg)?;
    let number = value.strip_prefix('-')?;
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    // A parser that states its own bound ("must be at least 1") is left to say it.
    let own = std::error::Error::source(e).map(|s| s.to_string());
    let rule = own
        .filter(|m| m.starts_with("must be"))
        .unwrap_or_else(|| "must be ≥ 0".to_string());
    Some(format!("invalid value '{value}' for '{arg}': {rule}"))
}

/// `pylayout completions SHELL`.
fn completions(shell: clap_complete::Shell) -> Result<(), CliError> {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut command(), "pylayout", &mut buf);
    output::emit(&String::from_utf8_lossy(&buf))?;
    Ok(())
}

/// `pylayout man`.
fn man_page() -> Result<(), CliError> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(command()).render(&mut buf)?;
    output::emit(&String::from_utf8_lossy(&buf))?;
    Ok(())
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
/// (with its backtrace) only when `PYLAYOUT_BACKTRACE` is set.
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
        if std::env::var_os("PYLAYOUT_BACKTRACE").is_some() {
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
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let colour = output::init_color(output::ColorChoice::from_args(&args));
    let command = command().color(if colour {
        clap::ColorChoice::Always
    } else {
        clap::ColorChoice::Never
    });
    let parsed = command
        .try_get_matches_from(args)
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            if let Some(msg) = negative_number(&e) {
                eprintln!("error: {msg}\n\nFor more information, try '--help'.");
                return ExitCode::from(2);
            }
            // clap prints help/version to stdout (exit 0) and usage errors to stderr (exit 2).
            let _ = e.print();
            return ExitCode::from(e.exit_code() as u8);
        }
    };
    // `run` reports its script's exit code; the others succeed or fail. `run`'s own usage
    // errors stand alone (its stderr is the script's); the others end with clap's hint.
    let ok = |r: Result<(), CliError>| r.map(|()| 0);
    // `verify` asks the interpreter itself; the others need only its version.
    if let Command::Verify(args) = &cli.command {
        return exit_code(verify::run(args, cli.python.as_ref()), true);
    }
    let version = match chosen_version(cli.python.as_ref()) {
        Ok(v) => v,
        Err(e) => return exit_code(Err(e), true),
    };
    // What each command takes: `grow` checks per container; `layout`, `tour`, `pool` and `gc`
    // build their objects on this thread for any version whose objects are built (a script
    // given to `--after` runs as 3.11 runs it); the others run as 3.11 only.
    let objects = |after: bool| objects_on_this_thread(version, after);
    let modelled = || check_modelled(version);
    let (result, usage_hint) = match cli.command {
        Command::Verify(_) => unreachable!("answered above"),
        Command::Run(args) => match modelled() {
            Ok(()) => (run::run(&args), false),
            Err(e) => (Err(e), true),
        },
        Command::Grow(args) => (ok(grow::run(&args, version)), true),
        Command::Tour(args) => (ok(objects(false).and_then(|()| tour::run(&args))), true),
        Command::Layout(args) => {
            let r = objects(args.after.after.is_some()).and_then(|()| layout::run(&args));
            (ok(r), true)
        }
        Command::Pool(args) => {
            let r = objects(args.after.after.is_some()).and_then(|()| pool::run(&args));
            (ok(r), true)
        }
        Command::Gc(args) => {
            let r = objects(args.after.after.is_some()).and_then(|()| gc::run(&args));
            (ok(r), true)
        }
        Command::Cost(args) => (ok(modelled().and_then(|()| cost::run(&args))), true),
        Command::Bench(args) => (ok(modelled().and_then(|()| bench::run(&args))), true),
        Command::Completions { shell } => (ok(completions(shell)), true),
        Command::Man => (ok(man_page()), true),
    };
    exit_code(result, usage_hint)
}

/// A command that builds its objects on this thread (`layout`, `tour`, `pool`, `gc`) makes
/// them in the chosen version when its objects are built (3.11, 3.12, 3.13); a script given
/// to `--after` runs as 3.11 runs it only.
fn objects_on_this_thread(version: Option<PyVersion>, after: bool) -> Result<(), CliError> {
    let Some(v) = version else {
        return Ok(());
    };
    if after || !v.builds_objects() {
        return check_modelled(Some(v));
    }
    pylayout::runtime::set_version(v);
    Ok(())
}

/// The version `--python` names: itself, or the version of the interpreter it names.
fn chosen_version(python: Option<&PythonChoice>) -> Result<Option<PyVersion>, CliError> {
    Ok(match python {
        None => None,
        Some(PythonChoice::Version(v)) => Some(*v),
        Some(choice @ PythonChoice::Program(_)) => Some(
            Interpreter::resolve(choice)
                .map_err(CliError::Usage)?
                .version,
        ),
    })
}

/// The commands that run scripts as 3.11 runs them: `--python` may name 3.11 (or an
/// interpreter that is 3.11), and any other version is refused with one line saying which
/// commands take it.
fn check_modelled(version: Option<PyVersion>) -> Result<(), CliError> {
    let Some(version) = version else {
        return Ok(());
    };
    let modelled = PyVersion::MODELLED;
    if version.is_modelled() {
        Ok(())
    } else if version.builds_objects() {
        Err(CliError::Usage(format!(
            "scripts run as CPython {modelled} runs them: this command (or --after) takes --python {modelled} only; \
             layout, tour, grow, and pool and gc without --after, take {version}"
        )))
    } else {
        Err(CliError::Usage(format!(
            "CPython {version}'s objects are not built yet: pylayout builds {modelled}'s, 3.12's and 3.13's \
             (`grow list --python {version}` follows its list growth; `verify --python {version}` checks its profile)"
        )))
    }
}

/// The one place an outcome becomes an exit code (see the module doc): 0, the script's code
/// for `run`, 1 for a failed write or a script that raised, 2 for bad input. A closed pipe
/// is not an error.
fn exit_code(result: Result<u8, CliError>, usage_hint: bool) -> ExitCode {
    match result {
        Ok(code) => ExitCode::from(code),
        Err(CliError::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(CliError::Io(e)) => {
            eprintln!("pylayout: error: {e}");
            ExitCode::from(1)
        }
        Err(CliError::Usage(msg)) if usage_hint => {
            eprintln!("error: {msg}\n\nFor more information, try '--help'.");
            ExitCode::from(2)
        }
        Err(CliError::Usage(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
        Err(CliError::Script(text)) => {
            eprintln!("{text}");
            ExitCode::from(1)
        }
    }
}
