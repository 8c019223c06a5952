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
        cli::layout::render(&expr, depth, json, LIMITS).map_err(|e| format!("{e:?}"))
    })
}
