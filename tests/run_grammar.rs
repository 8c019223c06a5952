//! Programs from the fuzz targets' grammar (`fuzz/src/grammar.rs`: statements, every builtin
//! and method the runner knows, keyword arguments, nested displays, comprehensions,
//! functions), drawn from seeded random bytes, run by pylayout and by python3: stdout, exit
//! code and exception line must be identical (addresses in reprs masked). This is the
//! `diff_python` fuzz target's comparison on stable and at volume: python3 runs every program
//! in one process (`exec` in a dict shaped like `__main__`'s, exceptions printed by CPython's
//! own `sys.__excepthook__`), so the programs leave out what depends on the process's history
//! (the collector, reference counts: `Program::to_batch_source`); the fuzz target, one
//! python3 per program, keeps them.
//!
//! `PYLAYOUT_GRAMMAR_PROGRAMS` sets how many (default 400); `PYLAYOUT_GRAMMAR_SEED` where the
//! seeds start.

mod common;
#[path = "../fuzz/src/grammar.rs"]
#[allow(dead_code)]
mod grammar;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{Rng, python_exe, unhex};
use grammar::Program;
use pylayout::script::{self, Limits, Outcome, RunOptions, Startup};

/// (exit code, exception line, stdout), addresses masked.
type Ending = (i32, String, String);

fn without_addresses(s: &str) -> String {
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

/// The last line of a traceback, as the python3 harness takes it (`rstrip('\n')`, then
/// the text after the last newline: a message ending in a newline leaves its first line).
/// A count or seed from the environment, or its default.
fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn last_line(tb: &str) -> String {
    tb.trim_end_matches('\n')
        .rsplit('\n')
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Run `src` through the library on a fresh thread (a big stack, the tests' limits) as
/// `pylayout run` runs it with `startup`, and read the outcome there with `read` (given the
/// outcome and the output).
fn run_ours<T: Send + 'static>(
    src: &str,
    startup: Startup,
    read: impl FnOnce(Outcome, Vec<u8>, &str) -> T + Send + 'static,
) -> T {
    let src = src.to_owned();
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            let opts = RunOptions {
                limits: Limits {
                    max_steps: 200_000,
                    max_memory: 256 << 20,
                    recursion_limit: 1000,
                },
                startup: Some(startup),
            };
            let mut out = Vec::new();
            let outcome = script::run(&src, &opts, &mut out, None);
            read(outcome, out, &src)
        })
        .expect("spawn")
        .join()
        .expect("pylayout panicked")
}

/// pylayout's ending as `pylayout run -` gives it; `None` if refused (outside the subset,
/// or a limit).
fn ours(src: &str) -> Option<Ending> {
    run_ours(src, Startup::Stdin, |outcome, out, src| {
        let (code, last) = match outcome {
            Outcome::Ok => (0, String::new()),
            Outcome::Exception(f) => {
                let tb = script::format_traceback(&f, "<stdin>", src);
                (1, last_line(&tb))
            }
            Outcome::Refused(_) => return None,
        };
        let out = String::from_utf8_lossy(&out);
        Some((code, without_addresses(&last), without_addresses(&out)))
    })
}

const HARNESS: &str = r#"
import sys, io, signal, gc, builtins
class Slow(BaseException): pass
def alarm(*a): raise Slow()
signal.signal(signal.SIGALRM, alarm)
loader = __loader__
stdout = sys.stdout
for line in sys.stdin:
    src = bytes.fromhex(line.strip()).decode()
    # __main__'s first keys for `python3 -`, in order (NameError suggestions read them).
    g = {'__name__': '__main__', '__doc__': None, '__package__': None, '__loader__': loader,
         '__spec__': None, '__annotations__': {}, '__builtins__': builtins,
         '__file__': '<stdin>', '__cached__': None}
    code, last = 0, ''
    sys.stdout = out = io.StringIO()
    signal.alarm(5)
    try:
        exec(compile(src, '<stdin>', 'exec'), g)
    except Slow:
        code = -1
    except BaseException as e:
        signal.alarm(0)
        code = 1
        sys.last_type, sys.last_value, sys.last_traceback = type(e), e, e.__traceback__
        err = io.StringIO()
        sys.stderr, real = err, sys.stderr
        try:
            sys.__excepthook__(type(e), e, e.__traceback__)
        finally:
            sys.stderr = real
            del sys.last_type, sys.last_value, sys.last_traceback
        last = err.getvalue().rstrip('\n').split('\n')[-1]
    finally:
        signal.alarm(0)
        sys.stdout = stdout
    del g
    gc.collect()
    print(code, last.encode().hex() or '-', out.getvalue().encode().hex() or '-', flush=True)
"#;

/// python3's endings for every program, in one process; `None` where it took too long.
fn theirs(programs: &[String]) -> Vec<Option<Ending>> {
    let text = common::python_over_programs(HARNESS, programs);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.len(),
        programs.len(),
        "one line per program from python3"
    );
    lines
        .iter()
        .map(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            let code: i32 = f[0].parse().unwrap();
            (code >= 0).then(|| {
                (
                    code,
                    without_addresses(&unhex(f[1])),
                    without_addresses(&unhex(f[2])),
                )
            })
        })
        .collect()
}

/// Program `seed`: 2 to 12 statements, each from 8 to 200 random bytes.
fn program(seed: u64) -> Program {
    let mut r = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let chunks: Vec<Vec<u8>> = (0..2 + r.below(11))
        .map(|_| (0..8 + r.below(193)).map(|_| r.next() as u8).collect())
        .collect();
    let refs: Vec<&[u8]> = chunks.iter().map(Vec::as_slice).collect();
    Program::from_chunks(&refs)
}

#[test]
fn grammar_programs_match_python() {
    common::assert_python_311();
    let n: u64 = env_u64("PYLAYOUT_GRAMMAR_PROGRAMS", 400);
    let first: u64 = env_u64("PYLAYOUT_GRAMMAR_SEED", 1);
    let mut programs = Vec::new();
    for seed in first..first + n {
        programs.push(program(seed).to_batch_source());
    }
    // Only what pylayout ran goes to python3 (a refused program may be one python3 would
    // take seconds over, like a huge power).
    let mut ran: Vec<(&String, Ending)> = Vec::new();
    for (k, p) in programs.iter().enumerate() {
        let start = std::time::Instant::now();
        let ending = ours(p);
        // A run is refused at its step limit long before this: slower is a hang.
        let took = start.elapsed();
        assert!(
            took.as_secs() < 10,
            "program {} (PYLAYOUT_GRAMMAR_SEED) took {took:?}:\n{p}",
            first + k as u64
        );
        ran.extend(ending.map(|e| (p, e)));
    }
    let py = theirs(&ran.iter().map(|(p, _)| (*p).clone()).collect::<Vec<_>>());
    let (mut compared, mut raised, mut bad) = (0, 0, Vec::new());
    for ((src, m), t) in ran.iter().zip(&py) {
        let Some(t) = t else {
            continue;
        };
        compared += 1;
        raised += usize::from(t.0 == 1);
        if m != t {
            bad.push(format!("{src}\n  ours:    {m:?}\n  python3: {t:?}"));
        }
    }
    eprintln!("{n} programs: {compared} compared ({raised} raised)");
    assert!(
        bad.is_empty(),
        "{} of {compared} programs differ; the first:\n{}",
        bad.len(),
        bad.iter().take(3).cloned().collect::<Vec<_>>().join("\n\n")
    );
    assert!(
        compared * 2 > n as usize,
        "most programs must be compared: {compared} of {n}"
    );
    assert!(raised > 0 && raised < compared, "both endings occur");
}

/// python3's ending for one program run as `python3 -` in a process of its own (so the
/// collector's counts and reference counts are a fresh interpreter's); `None` if it took
/// more than 10 seconds.
fn theirs_alone(src: &str) -> Option<Ending> {
    let mut child = Command::new("timeout")
        .args(["10", &python_exe(), "-"])
        .env("PYTHONHASHSEED", "0")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start python3");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(src.as_bytes())
        .expect("feed python3");
    let out = child.wait_with_output().expect("python3");
    let code = out.status.code()?;
    if code == 124 {
        return None;
    }
    let err = String::from_utf8_lossy(&out.stderr);
    let last = if code == 0 {
        String::new()
    } else {
        last_line(&err)
    };
    Some((
        code,
        without_addresses(&last),
        without_addresses(&String::from_utf8_lossy(&out.stdout)),
    ))
}

/// The same grammar with the collector and reference counts kept
/// (`Program::to_comparable_source`: `gc.collect()`, `gc.get_count()`, `sys.getrefcount`),
/// each program in a python3 of its own. `PYLAYOUT_COMPARABLE_PROGRAMS` sets how many
/// (default 60: a python3 start each); `PYLAYOUT_GRAMMAR_SEED` where the seeds start.
#[test]
fn comparable_programs_match_python_one_process_each() {
    common::assert_python_311();
    let n: u64 = env_u64("PYLAYOUT_COMPARABLE_PROGRAMS", 60);
    let first: u64 = env_u64("PYLAYOUT_GRAMMAR_SEED", 1);
    let (mut compared, mut bad) = (0, Vec::new());
    for seed in first..first + n {
        let src = program(seed).to_comparable_source();
        let Some(m) = ours(&src) else {
            continue;
        };
        let Some(t) = theirs_alone(&src) else {
            continue;
        };
        compared += 1;
        if m != t {
            bad.push(format!(
                "seed {seed}:\n{src}\n  ours:    {m:?}\n  python3: {t:?}"
            ));
        }
    }
    eprintln!("{n} programs: {compared} compared one process each");
    assert!(
        bad.is_empty(),
        "{} of {compared} programs differ; the first:\n{}",
        bad.len(),
        bad.iter().take(2).cloned().collect::<Vec<_>>().join("\n\n")
    );
}

/// The whole traceback of every grammar program that raises — each entry, the caret line
/// 3.11 draws under its source line, chained exceptions — as python3 prints it running the
/// same file. `PYLAYOUT_TRACEBACK_PROGRAMS` sets how many (default 80: a python3 start
/// each); `PYLAYOUT_GRAMMAR_SEED` where the seeds start.
#[test]
fn tracebacks_match_python_with_their_carets() {
    common::assert_python_311();
    let n: u64 = env_u64("PYLAYOUT_TRACEBACK_PROGRAMS", 80);
    let first: u64 = env_u64("PYLAYOUT_GRAMMAR_SEED", 1);
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("grammar_tracebacks");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let file = dir.join("prog.py");
    let path = file.to_str().expect("utf-8 path").to_string();
    // From the first traceback on (python3 prints the compiler's SyntaxWarnings before).
    let tracebacks = |s: &str| -> String {
        let s = without_addresses(s);
        match s.find("Traceback (most recent call last):") {
            Some(i) => s[i..].trim_end().to_string(),
            None => s.lines().last().unwrap_or("").to_string(),
        }
    };
    let (mut compared, mut bad) = (0, Vec::new());
    for seed in first..first + n {
        let src = program(seed).to_source();
        let ours = {
            let path = path.clone();
            run_ours(&src, Startup::File, move |outcome, _, src| match outcome {
                Outcome::Exception(f) => Some(script::format_traceback(&f, &path, src)),
                _ => None,
            })
        };
        let Some(ours) = ours else {
            continue;
        };
        std::fs::write(&file, &src).expect("write the program");
        let out = Command::new("timeout")
            .args(["10", &python_exe(), &path])
            .env("PYTHONHASHSEED", "0")
            .output()
            .expect("python3");
        if out.status.code() != Some(1) {
            continue;
        }
        compared += 1;
        let (m, t) = (
            tracebacks(&ours),
            tracebacks(&String::from_utf8_lossy(&out.stderr)),
        );
        if m != t {
            bad.push((
                seed,
                format!("seed {seed}:\n{src}\n--- ours\n{m}\n--- python3\n{t}"),
            ));
        }
    }
    eprintln!("{n} programs: {compared} tracebacks compared");
    assert!(compared * 3 > n as usize, "{compared} of {n} compared");
    assert!(
        bad.is_empty(),
        "{} of {compared} tracebacks differ (seeds {:?}); the first:\n{}",
        bad.len(),
        bad.iter().map(|b| b.0).collect::<Vec<_>>(),
        bad.iter()
            .take(2)
            .map(|b| b.1.clone())
            .collect::<Vec<_>>()
            .join("\n\n")
    );
}
