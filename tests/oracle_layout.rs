//! `pylayout layout EXPR` against CPython's memory: python3 builds `x = EXPR` and reads the
//! same fields at the same offsets with ctypes (`pylayout verify`'s layout probe); every field
//! must agree (pointers only as NULL/non-NULL, and a runtime static's count only as static),
//! in 3.11 and in 3.12 and 3.13 (`layout --python 3.X`: immortal counts, int's `lv_tag`, the
//! str header without `wstr`), each against its own interpreter.

mod common;

use std::process::Command;

use common::Rng;
use pylayout::inspect::verify::interpreter::Interpreter;
use pylayout::inspect::verify::layout_checks;
use pylayout::profile::PyVersion;

fn check(expr: &str) -> Vec<String> {
    let python = Interpreter::at(common::python_exe().as_ref()).expect("the oracle");
    check_in(&python, expr)
}

/// The versions whose objects `layout` builds, each with its interpreter.
fn built_versions() -> Vec<Interpreter> {
    PyVersion::ALL
        .into_iter()
        .filter(|v| v.builds_objects())
        .map(|v| Interpreter::find(v).expect("every CPython 3.8-3.13 is on this machine"))
        .collect()
}

fn check_in(python: &Interpreter, expr: &str) -> Vec<String> {
    let checks = layout_checks(python, &[expr]).expect("the probe runs");
    assert!(
        checks.len() >= 3,
        "{expr}: too few fields compared: {checks:?}"
    );
    checks
        .iter()
        .filter(|c| !c.passed())
        .map(|c| {
            format!(
                "{} {}: ours {:?}, python {:?}",
                python.version, c.name, c.pylayout, c.python
            )
        })
        .collect()
}

#[test]
fn layout_fields_match_ctypes_reads() {
    common::assert_python_311();
    let fixed = [
        "[1, 2, 3]",
        "[1000, 2000]",
        "[]",
        "list(range(5))",
        "[0] * 7",
        "[i for i in range(9)]",
        "(1, 2, 'a')",
        "(1000, [1])",
        "'abcq'",
        "'héllo'",
        "'中文'",
        "'😀 x'",
        "'a' * 100",
        "'abc' + 'é'",
        "str(12345)",
        "'abc'.upper()",
        "{}",
        "{'a': 1}",
        "{'a': 1, 'b': 2, 'c': 3}",
        "{1: 'a', 2: 'b'}",
        "dict.fromkeys('abcdefghij')",
        "{i: i for i in range(20)}",
        "{'k' + str(i): i for i in range(7)}",
        "{(1, 2): 3, 'x': 4}",
        "1000",
        "-2**70",
        "2**30",
        "1.5",
        "-0.0",
        "1e300",
        "12345678901234567890",
        "[[1, 2], [3]]",
    ];
    let mut diffs = Vec::new();
    for e in fixed {
        diffs.extend(check(e));
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

#[test]
fn layout_fields_match_ctypes_reads_for_random_expressions() {
    let mut r = Rng(0x1a70_u64 | 1);
    let atoms = [
        "1", "1000", "-7", "0", "256", "-2 ** 70", "2.5", "'qz'", "'é'", "'a'", "''", "'中'",
        "'😀'", "None", "(1, 2)", "[3]", "True",
    ];
    // Not 'ab' alone: a start-up module holds that constant in 3.11 (its count is 5, not
    // 3); strings interned at start-up are modelled for one character only.
    let pythons = built_versions();
    let count = std::env::var("PYLAYOUT_LAYOUT_EXPRS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    let mut diffs = Vec::new();
    for _ in 0..count {
        let n = r.below(25);
        let a = atoms[r.below(atoms.len() as u64) as usize];
        let expr = match r.below(13) {
            // Construction paths whose capacity changed between versions: split's
            // preallocation (3.12), list() of a dict or a view (3.13).
            9 => format!("' '.join(['x'] * {n}).split()"),
            10 => format!("','.join(['ab'] * {n}).split(',')"),
            11 => format!("list(dict.fromkeys(range({n})))"),
            12 => format!(
                "list(dict.fromkeys(range({n})).{}())",
                ["keys", "values", "items"][r.below(3) as usize]
            ),
            // Alone, but not None or True: 3.11 counts them as running totals (~5,000),
            // not from a static 10⁹.
            7 if !matches!(a, "None" | "True") => a.to_string(),
            8 => format!("({a}, {a}, 'k' + str({n}))"),
            0 => format!("[{a}] * {n}"),
            1 => format!("list(range({n}))"),
            2 => format!("{{i: {a} for i in range({n})}}"),
            3 => format!("{{'k' + str(i): i for i in range({n})}}"),
            4 => format!(
                "'x' * {n} + {}",
                ["'a'", "'é'", "'中'", "'😀'"][r.below(4) as usize]
            ),
            5 => format!("tuple(range({n}))"),
            _ => format!("[{a} for i in range({n})]"),
        };
        // The same expression in every version whose objects are built.
        for python in &pythons {
            diffs.extend(check_in(python, &expr));
        }
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

#[test]
fn bad_expressions_exit_2() {
    for expr in ["1 +", "(i for i in [])", "x = 1", "[1, 2"] {
        let out = Command::new(env!("CARGO_BIN_EXE_pylayout"))
            .args(["layout", expr])
            .output()
            .expect("pylayout");
        assert_eq!(out.status.code(), Some(2), "{expr}");
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    }
}
