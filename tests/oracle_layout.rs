//! `pylayout layout EXPR` against CPython's memory: python3 builds `x = EXPR` and reads the
//! same fields at the same offsets with ctypes (`pylayout verify`'s layout probe); every field
//! must agree (pointers only as NULL/non-NULL, and a runtime static's count only as static).

mod common;

use std::process::Command;

use common::Rng;
use pylayout::inspect::verify::interpreter::Interpreter;
use pylayout::inspect::verify::layout_checks;

fn check(expr: &str) -> Vec<String> {
    let python = Interpreter::at(common::python_exe().as_ref()).expect("the oracle");
    let checks = layout_checks(&python, &[expr]).expect("the probe runs");
    assert!(
        checks.len() >= 3,
        "{expr}: too few fields compared: {checks:?}"
    );
    checks
        .iter()
        .filter(|c| !c.passed())
        .map(|c| format!("{}: ours {:?}, python3 {:?}", c.name, c.pylayout, c.python))
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
        "1", "1000", "-7", "2.5", "'ab'", "'é'", "'中'", "'😀'", "None", "(1, 2)", "[3]",
    ];
    let mut diffs = Vec::new();
    for _ in 0..30 {
        let n = r.below(25);
        let a = atoms[r.below(atoms.len() as u64) as usize];
        let expr = match r.below(7) {
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
        diffs.extend(check(&expr));
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
