//! What the fuzz targets share: running a script or an expression the way the CLI does,
//! on a fresh thread (so a fresh per-thread runtime: every input starts from the same state,
//! and a crash reproduces from its input alone) with limits small enough to keep each input
//! fast.

use pylayout::script::{self, Limits, RunOptions, Startup};

/// The binary's CLI modules, compiled in here so that `layout_expr` renders exactly what
/// `pylayout layout` prints (most of it is unused here).
#[path = "../../src/cli/mod.rs"]
#[allow(dead_code, unused_imports)]
mod cli;

/// Limits for one input: small, so the fuzzer spends its time on many programs, not on one
/// long loop. A script that hits one is refused (exit 2), which is a fine outcome.
pub const LIMITS: Limits = Limits {
    max_steps: 20_000,
    max_memory: 64 << 20,
    recursion_limit: 200,
};

/// The stack of the thread an input runs on (the evaluator recurses for Python calls, and
/// sanitizer builds use larger frames).
const STACK_BYTES: usize = 256 << 20;

/// Run `f` on a fresh thread with a large stack, passing on a panic as a panic (which
/// libFuzzer reports as a crash).
pub fn on_fresh_thread<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    let handle = std::thread::Builder::new()
        .stack_size(STACK_BYTES)
        .spawn(f)
        .expect("spawn the fuzz thread");
    match handle.join() {
        Ok(r) => r,
        Err(e) => std::panic::resume_unwind(e),
    }
}

/// Run `src` as `pylayout run` would (start-up state of a file, small limits), printing into
/// a buffer; format the traceback if it raised, as the CLI does. `trace` turns on `--trace`
/// (every allocation and free written out as a line).
pub fn run_script(src: &str, trace: bool) {
    let src = src.to_owned();
    on_fresh_thread(move || {
        let opts = RunOptions {
            limits: LIMITS,
            startup: Some(Startup::File),
        };
        let mut out = Vec::new();
        let sink: Option<Box<dyn std::io::Write>> = trace.then(|| Box::new(std::io::sink()) as _);
        if let script::Outcome::Exception(f) = script::run(&src, &opts, &mut out, sink) {
            let _ = script::format_traceback(&f, "fuzz.py", &src);
        }
    })
}

pub mod grammar;

/// What `pylayout layout EXPR --depth DEPTH [--json]` prints, or its one-line error; run on
/// a fresh thread like a script.
pub fn layout(expr: &str, depth: u8, json: bool) -> Result<String, String> {
    let expr = expr.to_owned();
    on_fresh_thread(move || {
        cli::layout::render(&expr, depth, json, cli::layout::View::default(), LIMITS).map_err(|e| format!("{e:?}"))
    })
}

/// What a run printed and how it ended: stdout, the exit code, and the last line of the
/// traceback (the exception) if it raised.
#[derive(Debug, PartialEq, Eq)]
pub struct Ending {
    pub stdout: String,
    pub code: i32,
    pub exception: String,
}

/// Addresses in reprs (`<list_iterator object at 0x7f…>`) differ between any two runs.
pub fn without_addresses(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(" at 0x") {
        out.push_str(&rest[..i + 6]);
        rest = rest[i + 6..].trim_start_matches(|c: char| c.is_ascii_hexdigit());
        out.push('…');
    }
    out.push_str(rest);
    out
}

/// Limits for a run compared with python3: CPython's recursion limit, so that a deep
/// recursion fails at the same depth.
pub const COMPARED_LIMITS: Limits = Limits {
    recursion_limit: 1000,
    ..LIMITS
};

/// Run `src` as `python3 -` would see it (start-up state of stdin); `None` if pylayout
/// refused it (outside the subset, or a limit: exit 2), which is not compared.
pub fn ours(src: &str) -> Option<Ending> {
    let src = src.to_owned();
    on_fresh_thread(move || {
        let opts = RunOptions {
            limits: COMPARED_LIMITS,
            startup: Some(Startup::Stdin),
        };
        let mut out = Vec::new();
        let (code, exception) = match script::run(&src, &opts, &mut out, None) {
            script::Outcome::Ok => (0, String::new()),
            script::Outcome::Exception(f) => {
                let tb = script::format_traceback(&f, "<stdin>", &src);
                (1, tb.lines().last().unwrap_or_default().to_owned())
            }
            script::Outcome::Refused(_) => return None,
        };
        Some(Ending {
            stdout: without_addresses(&String::from_utf8_lossy(&out)),
            code,
            exception: without_addresses(&exception),
        })
    })
}

/// Run `src` with `PYTHONHASHSEED=0 python3 -` (or `$PYLAYOUT_PYTHON`), killed after
/// `timeout`; `None` if it did not finish in time.
pub fn python(src: &str, timeout: std::time::Duration) -> Option<Ending> {
    use std::io::{Read, Write};
    use std::process::{Command, Stdio};
    let exe = std::env::var("PYLAYOUT_PYTHON").unwrap_or_else(|_| "python3".into());
    let mut child = Command::new(exe)
        .arg("-")
        .env("PYTHONHASHSEED", "0")
        .env("PYTHONIOENCODING", "utf-8")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start python3");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(src.as_bytes())
        .expect("write the script to python3");
    // Read both pipes on threads, so that a chatty program cannot block on a full pipe.
    let mut so = child.stdout.take().unwrap();
    let mut se = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = so.read_to_end(&mut b);
        b
    });
    let err = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = se.read_to_end(&mut b);
        b
    });
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().expect("wait for python3") {
            break Some(st);
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    };
    let (out, err) = (out.join().unwrap(), err.join().unwrap());
    let status = status?;
    let err = String::from_utf8_lossy(&err);
    Some(Ending {
        stdout: without_addresses(&String::from_utf8_lossy(&out)),
        code: status.code().unwrap_or(-1),
        exception: if status.code() == Some(1) {
            without_addresses(err.lines().last().unwrap_or_default())
        } else {
            String::new()
        },
    })
}
