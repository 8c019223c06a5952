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
