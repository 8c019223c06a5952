//! Helpers shared by the integration tests: run the real interpreter (the oracle) and the
//! built binary.
#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// The interpreter to compare with: `$PYLAYOUT_PYTHON` or `python3` (3.11 on every machine).
pub fn python_exe() -> String {
    std::env::var("PYLAYOUT_PYTHON").unwrap_or_else(|_| "python3".into())
}

/// Run `code` with the real interpreter (`PYTHONHASHSEED=0`), feeding `stdin`; return
/// (stdout, stderr). Fails the test, loudly, if the interpreter is missing, is not 3.11, or
/// the code raises.
pub fn python_io(code: &str, stdin: &str) -> (String, String) {
    run_python(&["-c", code], stdin, code)
}

/// Run a (possibly long) program fed on stdin (`python3 -`), `PYTHONHASHSEED=0`; return
/// (stdout, stderr). For programs too long for a command line.
pub fn python_script(code: &str) -> (String, String) {
    run_python(&["-"], code, code)
}

fn run_python(args: &[&str], stdin: &str, code: &str) -> (String, String) {
    let exe = python_exe();
    let mut child = Command::new(&exe)
        .args(args)
        .env("PYTHONHASHSEED", "0")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run the oracle `{exe}`: {e} (set PYLAYOUT_PYTHON)"));
    // Feed stdin from a thread: a large input and a large output would otherwise fill both
    // pipes and deadlock.
    let mut pipe = child.stdin.take().expect("stdin");
    let input = stdin.to_owned();
    let writer = std::thread::spawn(move || pipe.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("python3 did not finish");
    writer
        .join()
        .expect("stdin writer")
        .expect("write to python3");
    let stdout = String::from_utf8(out.stdout).expect("utf-8 stdout");
    let stderr = String::from_utf8(out.stderr).expect("utf-8 stderr");
    assert!(
        out.status.success(),
        "python3 failed ({}):\n{stderr}\n--- code ---\n{code}",
        out.status
    );
    (stdout, stderr)
}

/// Run `code` with the real interpreter; return its stdout.
pub fn python(code: &str) -> String {
    python_io(code, "").0
}

/// Assert the oracle is CPython 3.11 (the version every number here is for).
pub fn assert_python_311() {
    let v = python("import sys; print(sys.implementation.name, *sys.version_info[:2])");
    assert_eq!(v.trim(), "cpython 3 11", "the oracle must be CPython 3.11");
}

/// Run the built `pylayout` binary.
pub fn pylayout(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pylayout"))
        .args(args)
        .output()
        .expect("run pylayout")
}

/// Run pylayout, expect success, return its stdout.
pub fn pylayout_ok(args: &[&str]) -> String {
    let out = pylayout(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 stdout")
}

/// Run pylayout, expect success, parse its stdout as JSON.
pub fn pylayout_json(args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&pylayout_ok(args)).expect("valid JSON")
}

/// A JSON number as a count.
pub fn count(v: &serde_json::Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

/// xorshift64*: deterministic pseudo-random test inputs without a dependency.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (0 for `n == 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Compare step-by-step program states: `ours[p][k]` with python's output lines, in order.
/// `describe(p, k)` names the failing step and the program so far.
pub fn compare_program_lines(
    ours: &[Vec<String>],
    python_out: &str,
    describe: impl Fn(usize, usize) -> String,
) {
    let mut lines = python_out.lines();
    for (p, steps) in ours.iter().enumerate() {
        for (k, line) in steps.iter().enumerate() {
            let theirs = lines.next().expect("python printed fewer lines");
            assert_eq!(line, theirs, "{}", describe(p, k));
        }
    }
    assert!(lines.next().is_none(), "python printed more lines");
}

/// Strings as input lines for python3: the hex of their UTF-8, one per line (no quoting).
pub fn hex_lines(strs: &[String]) -> String {
    strs.iter()
        .map(|s| {
            format!(
                "{}\n",
                s.bytes().map(|b| format!("{b:02x}")).collect::<String>()
            )
        })
        .collect()
}

/// python3 running `harness` (with `PYTHONHASHSEED=0`) over `programs` fed as
/// [`hex_lines`]: its stdout (stderr passes through).
#[allow(dead_code)]
pub fn python_over_programs(harness: &str, programs: &[String]) -> String {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(python_exe())
        .args(["-c", harness])
        .env("PYTHONHASHSEED", "0")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start python3");
    let input = hex_lines(programs);
    let mut pipe = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || pipe.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("python3");
    writer.join().expect("writer").expect("feed python3");
    String::from_utf8(out.stdout).expect("utf-8")
}

/// A field python3 printed as the hex of its UTF-8 (`-` for empty), back as text.
pub fn unhex(s: &str) -> String {
    if s == "-" {
        return String::new();
    }
    let b: Vec<u8> = (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex"))
        .collect();
    String::from_utf8(b).expect("utf-8")
}

/// Run operation programs through python3 and compare with our per-step states.
///
/// `prelude` defines `state(x)`; each program starts with `init`, then every statement runs
/// in `try` and prints `state(var)` (prefixed by the exception class name if it raised).
/// `programs` holds each program's operations and the lines we produced for them.
pub fn check_step_programs<Op>(
    prelude: &str,
    init: &str,
    var: &str,
    programs: &[(Vec<Op>, Vec<String>)],
    stmt: fn(&Op) -> String,
) {
    let mut code = prelude.to_string();
    for (ops, _) in programs {
        code.push_str(init);
        code.push('\n');
        for op in ops {
            code.push_str(&format!(
                "try:\n    {}\n    print(state({var}))\nexcept Exception as e:\n    print(type(e).__name__, state({var}))\n",
                stmt(op)
            ));
        }
    }
    let (out, _) = python_script(&code);
    let ours: Vec<Vec<String>> = programs.iter().map(|(_, o)| o.clone()).collect();
    compare_program_lines(&ours, &out, |p, k| {
        let ops = &programs[p].0;
        format!(
            "program {p}, step {k}: `{}`\nprogram so far:\n{}",
            stmt(&ops[k]),
            ops[..=k].iter().map(stmt).collect::<Vec<_>>().join("\n")
        )
    });
}
