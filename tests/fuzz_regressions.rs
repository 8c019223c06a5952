//! Every input the fuzz campaign found (fuzz/regressions/TARGET/*), replayed through the
//! `pylayout` binary on every `cargo test`, on stable: the fuzz targets need nightly, these
//! need nothing. A crash-class input must end as a bad input or a program may end (exit 0,
//! 1 or 2), with no internal error, quickly; a `diff_python` finding (a program, as rendered)
//! must print what python3 prints. The inputs are in the fuzz corpus too (fuzz/corpus/TARGET).

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let mut v: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            let p = e.unwrap().path();
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    v.sort();
    v
}

/// Run the binary; what it printed on stderr and its exit code.
fn pylayout(args: &[&str], stdin: &[u8]) -> (Option<i32>, String, Duration) {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_pylayout"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        start.elapsed(),
    )
}

fn check(what: &str, (code, err, took): (Option<i32>, String, Duration)) {
    assert!(matches!(code, Some(0..=2)), "{what}: exit {code:?}\n{err}");
    assert!(!err.contains("internal error"), "{what}: {err}");
    assert!(took < Duration::from_secs(20), "{what}: took {took:?}");
}

/// `run_source`: the first byte turns on `--trace` (odd), the rest is the script.
#[test]
fn run_source_findings_stay_fixed() {
    for (path, bytes) in inputs("run_source") {
        let Some((&flags, script)) = bytes.split_first() else {
            continue;
        };
        // The fuzz target's limits (fuzz/src/lib.rs): a script may loop forever.
        let mut args = vec!["run", "--max-steps", "20000", "--max-memory", "64M", "-"];
        if flags & 1 == 1 {
            args.push("--trace-file=/dev/null");
        }
        check(&path.display().to_string(), pylayout(&args, script));
    }
}

/// `layout_expr`: the first byte chooses `--depth` (its two low bits) and `--json` (bit 2).
#[test]
fn layout_expr_findings_stay_fixed() {
    let found = inputs("layout_expr");
    assert!(!found.is_empty(), "the campaign's first finding is here");
    for (path, bytes) in found {
        let Some((&flags, expr)) = bytes.split_first() else {
            continue;
        };
        let Ok(expr) = std::str::from_utf8(expr) else {
            continue;
        };
        let depth = (flags & 3).to_string();
        let mut args = vec!["layout", "--depth", &depth];
        if flags & 4 != 0 {
            args.push("--json");
        }
        args.extend(["--", expr]);
        check(&path.display().to_string(), pylayout(&args, b""));
    }
}

/// `diff_python`: the programs on which pylayout and python3 differed print the same stdout,
/// exit with the same code and end with the same exception line (or are refused as outside
/// the subset).
#[test]
fn diff_python_findings_print_what_python_prints() {
    let found = inputs("diff_python");
    assert!(found.len() >= 8, "the campaign's findings are here");
    for (path, bytes) in found {
        let src = String::from_utf8(bytes).unwrap();
        let what = path.display().to_string();
        let ours = Command::new(env!("CARGO_BIN_EXE_pylayout"))
            .args(["run", "-"])
            .env_remove("RUST_BACKTRACE")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                c.stdin.take().unwrap().write_all(src.as_bytes())?;
                c.wait_with_output()
            })
            .unwrap();
        let err = String::from_utf8_lossy(&ours.stderr);
        if ours.status.code() == Some(2) && err.contains("unsupported") {
            continue;
        }
        let theirs = Command::new(common::python_exe())
            .arg("-")
            .env("PYTHONHASHSEED", "0")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                c.stdin.take().unwrap().write_all(src.as_bytes())?;
                c.wait_with_output()
            })
            .unwrap();
        let last = |b: &[u8]| {
            String::from_utf8_lossy(b)
                .lines()
                .last()
                .unwrap_or("")
                .to_owned()
        };
        assert_eq!(ours.stdout, theirs.stdout, "{what}: stdout");
        assert_eq!(ours.status.code(), theirs.status.code(), "{what}: {err}");
        assert_eq!(last(&ours.stderr), last(&theirs.stderr), "{what}");
    }
}

/// An empty sequence repeated a huge number of times is empty at once, as `list_repeat`'s
/// `if (size == 0) return PyList_New(0)` makes it (found by `layout_expr` in CI's smoke run:
/// `[] * 70000000000000000` looped 7e16 times).
#[test]
fn repeating_an_empty_sequence_is_instant() {
    let code = "x = [] * 10**17\nprint(x, () * 10**17, '' * 10**17, [1] * 0, [] * -5)\nx *= 10**17\nprint(x)\n";
    let start = Instant::now();
    // `timeout`: a regression must fail the test, not hang it.
    let ours = Command::new("timeout")
        .args(["10", env!("CARGO_BIN_EXE_pylayout"), "run", "-c", code])
        .output()
        .unwrap();
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "took {:?}",
        start.elapsed()
    );
    let theirs = Command::new(common::python_exe())
        .args(["-c", code])
        .output()
        .unwrap();
    assert_eq!(ours.status.code(), Some(0), "{ours:?}");
    assert_eq!(ours.stdout, theirs.stdout);
}
