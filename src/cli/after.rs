//! `--after FILE`: run a learner's script with the runner, then look at the state it left
//! (`pool --after`, `gc --after`, `layout --after`). Also the one place a script's source is
//! read (`run FILE`, `run -`, `--after FILE`).

use std::io::{self, Read};
use std::path::{Path, PathBuf};

use clap::Args;
use serde::Serialize;

use pylayout::script::{self, Interp, Limits, Outcome, RunOptions, Startup};

use super::CliError;

/// The stack of the thread that runs scripts (deep recursion up to the recursion limit).
const RUN_STACK_BYTES: usize = 512 << 20;

/// The runner's flags, as `pylayout run` takes them, for the views that run a script first.
#[derive(Debug, Args, Clone)]
pub struct AfterArgs {
    /// Run this script first (`-` reads it from standard input), then show the state it left
    #[arg(long, value_name = "FILE")]
    pub after: Option<PathBuf>,
    /// Hash seed, as PYTHONHASHSEED (0 gives the hashes of `PYTHONHASHSEED=0 python3`)
    #[arg(long, default_value_t = 0)]
    pub hash_seed: u32,
    /// The script's step limit (statements, loop iterations, items walked by builtins)
    #[arg(long, default_value_t = Limits::default().max_steps, requires = "after")]
    pub max_steps: u64,
    /// The script's memory limit in bytes (suffixes K, M, G allowed)
    #[arg(long, default_value = "2G", value_parser = super::run::parse_size, requires = "after")]
    pub max_memory: usize,
}

/// A script's source, its name for tracebacks, and how CPython would have been started.
#[derive(Debug)]
pub struct Source {
    pub text: String,
    pub filename: String,
    pub startup: Startup,
}

/// Read a script from a file, or from standard input for `-`.
pub fn read_source(path: &Path) -> Result<Source, CliError> {
    if path.as_os_str() == "-" {
        let mut text = String::new();
        io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| CliError::Usage(format!("cannot read the script from stdin: {e}")))?;
        return Ok(Source {
            text,
            filename: "<stdin>".into(),
            startup: Startup::Stdin,
        });
    }
    let bytes = std::fs::read(path)
        .map_err(|e| CliError::Usage(format!("cannot read '{}': {e}", path.display())))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| CliError::Usage(format!("'{}' is not UTF-8 text", path.display())))?;
    Ok(Source {
        text,
        filename: traceback_filename(path),
        startup: Startup::File,
    })
}

/// The name tracebacks give a script: since 3.9 `python3 FILE` makes it absolute
/// (`config_run_filename_abspath`, `_Py_abspath`): the working directory joined with the path
/// as given, not normalised (`./z.py` is `/home/u/./z.py`).
fn traceback_filename(path: &Path) -> String {
    if path.is_absolute() {
        return path.display().to_string();
    }
    match std::env::current_dir() {
        Ok(cwd) => format!("{}/{}", cwd.display(), path.display()),
        Err(_) => path.display().to_string(),
    }
}

/// What a view computed from the state a script left, and what the script printed.
#[derive(Debug)]
pub struct After<T> {
    /// The view's data.
    pub view: T,
    /// The script's `print` output.
    pub stdout: String,
    /// The script's file name as given.
    pub filename: String,
}

/// Run the script `args.after` names on a runner thread and call `inspect` on the state it
/// left. A script that raised is a failure (its traceback, exit code 1); one outside the
/// subset or over a limit is bad input (exit code 2).
pub fn run_after<T: Send + 'static>(
    args: &AfterArgs,
    inspect: impl FnOnce(&Interp) -> T + Send + 'static,
) -> Result<After<T>, CliError> {
    let path = args
        .after
        .as_ref()
        .ok_or_else(|| CliError::Usage("--after needs a script".into()))?;
    let src = read_source(path)?;
    let opts = RunOptions {
        limits: Limits {
            max_steps: args.max_steps,
            max_memory: args.max_memory,
            ..Limits::default()
        },
        startup: Some(src.startup),
    };
    on_run_thread(args.hash_seed, move || {
        let mut out = Vec::new();
        let (outcome, view) = script::run_inspect(&src.text, &opts, &mut out, None, inspect);
        let stdout = String::from_utf8_lossy(&out).into_owned();
        match outcome {
            Outcome::Ok => view
                .map(|view| After {
                    view,
                    stdout,
                    filename: src.filename,
                })
                .ok_or_else(|| CliError::Io(io::Error::other("the script left no state"))),
            Outcome::Exception(f) => Err(CliError::Script(format!(
                "{stdout}{}pylayout: the script raised, so there is no state to show",
                script::format_traceback(&f, &src.filename, &src.text)
            ))),
            Outcome::Refused(msg) => Err(CliError::Usage(format!("{}: {msg}", src.filename))),
        }
    })?
}

/// Run `f` on a fresh thread with the runner's stack (the evaluator recurses for Python
/// calls) and this hash seed: each run gets a fresh thread-local runtime.
pub fn on_run_thread<T: Send + 'static>(
    seed: u32,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, CliError> {
    std::thread::Builder::new()
        .name("pylayout-run".into())
        .stack_size(RUN_STACK_BYTES)
        .spawn(move || {
            super::forced_panic("run");
            pylayout::runtime::set_hash_seed(seed);
            f()
        })
        .map_err(CliError::Io)?
        .join()
        .map_err(|_| CliError::Io(io::Error::other("the run thread panicked")))
}

impl<T> After<T> {
    /// The script part of a view's report.
    pub fn summary(&self) -> ScriptSummary {
        ScriptSummary {
            file: self.filename.clone(),
            stdout: self.stdout.clone(),
        }
    }
}

/// The script a view ran first, as the JSON reports carry it.
#[derive(Debug, Clone, Serialize)]
pub struct ScriptSummary {
    /// The file as given (`<stdin>` for `-`).
    pub file: String,
    /// What the script printed.
    pub stdout: String,
}

impl ScriptSummary {
    /// The text views' first lines: what ran and what it printed.
    pub fn render_text(&self) -> String {
        let mut out = format!("After running {}", self.file);
        if self.stdout.is_empty() {
            out.push_str(" (it printed nothing).\n\n");
        } else {
            out.push_str(", which printed:\n");
            for line in self.stdout.lines() {
                out.push_str("  | ");
                out.push_str(line);
                out.push('\n');
            }
            out.push('\n');
        }
        out
    }
}
