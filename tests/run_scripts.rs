//! `pylayout run` against the real interpreter: every script under `tests/scripts/` (and
//! `tests/scripts/errors/`) runs in both; stdout must be identical, the exit codes equal and
//! the last stderr line (CPython's exception line) identical. Scripts under
//! `tests/scripts/unsupported/` must be refused before running, with exit code 2, naming the
//! construct and its line and column.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::python_exe;

fn scripts(dir: &str) -> Vec<PathBuf> {
    let d = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/scripts")
        .join(dir);
    let mut v: Vec<PathBuf> = std::fs::read_dir(&d)
        .unwrap_or_else(|e| panic!("{}: {e}", d.display()))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    v.sort();
    v
}

fn run_python(path: &Path) -> Output {
    Command::new(python_exe())
        .arg(path)
        .env("PYTHONHASHSEED", "0")
        .output()
        .expect("run python3")
}

fn run_ours(args: &[&str], stdin: Option<&str>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pylayout"));
    c.arg("run").args(args);
    if stdin.is_some() {
        c.stdin(Stdio::piped());
    }
    c.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = c.spawn().expect("run pylayout");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    }
    child.wait_with_output().expect("pylayout finished")
}

fn last_line(b: &[u8]) -> String {
    String::from_utf8_lossy(b)
        .lines()
        .last()
        .unwrap_or("")
        .to_string()
}

/// Compare one script; return a description of the first difference.
fn compare(path: &Path) -> Option<String> {
    let theirs = run_python(path);
    let ours = run_ours(&[path.to_str().expect("utf-8 path")], None);
    let name = path.display();
    if ours.stdout != theirs.stdout {
        let (a, b) = (
            String::from_utf8_lossy(&ours.stdout).to_string(),
            String::from_utf8_lossy(&theirs.stdout).to_string(),
        );
        let (n, (x, y)) = a
            .lines()
            .map(Some)
            .chain(std::iter::repeat(None))
            .zip(b.lines().map(Some).chain(std::iter::repeat(None)))
            .take_while(|(x, y)| x.is_some() || y.is_some())
            .enumerate()
            .find(|(_, (x, y))| x != y)
            .unwrap_or((0, (None, None)));
        return Some(format!(
            "{name}: stdout differs at line {}:\n  ours:    {:?}\n  python3: {:?}\n  (our stderr: {})",
            n + 1,
            x,
            y,
            last_line(&ours.stderr)
        ));
    }
    if ours.status.code() != theirs.status.code() {
        return Some(format!(
            "{name}: exit code {:?}, python3 {:?} (our stderr: {})",
            ours.status.code(),
            theirs.status.code(),
            String::from_utf8_lossy(&ours.stderr)
        ));
    }
    let (a, b) = (last_line(&ours.stderr), last_line(&theirs.stderr));
    if !theirs.status.success() && a != b {
        return Some(format!(
            "{name}: last stderr line\n  ours:    {a}\n  python3: {b}"
        ));
    }
    None
}

#[test]
fn study_scripts_match_python() {
    common::assert_python_311();
    let all = scripts("");
    assert!(all.len() >= 5, "the corpus is missing");
    let failures: Vec<String> = all.iter().filter_map(|p| compare(p)).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn error_scripts_raise_as_python_does() {
    let all = scripts("errors");
    assert!(all.len() >= 10, "the error corpus is missing");
    for p in &all {
        let theirs = run_python(p);
        assert_eq!(
            theirs.status.code(),
            Some(1),
            "{} should raise in python3",
            p.display()
        );
    }
    let failures: Vec<String> = all.iter().filter_map(|p| compare(p)).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The whole traceback, not only its last line: every entry with the caret line 3.11 draws
/// under it, chained exceptions ("During handling of the above exception ...", "The above
/// exception was the direct cause ..."), "[Previous line repeated N more times]".
#[test]
fn error_tracebacks_match_python() {
    let mut failures = Vec::new();
    for p in scripts("errors") {
        let theirs = run_python(&p);
        let ours = run_ours(&[p.to_str().expect("utf-8 path")], None);
        let theirs = String::from_utf8_lossy(&theirs.stderr).to_string();
        let theirs: Vec<&str> = theirs.lines().collect();
        let ours = String::from_utf8_lossy(&ours.stderr).to_string();
        let ours: Vec<&str> = ours.lines().collect();
        if ours != theirs {
            failures.push(format!(
                "{}:\n--- ours\n{}\n--- python3\n{}",
                p.display(),
                ours.join("\n"),
                theirs.join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn unsupported_constructs_are_refused_with_their_position() {
    let all = scripts("unsupported");
    assert!(all.len() >= 10);
    for p in &all {
        let text = std::fs::read_to_string(p).expect("read");
        let mut lines = text.lines();
        let expect = lines
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .expect("first line: # expect: <construct>");
        let at = lines
            .next()
            .and_then(|l| l.strip_prefix("# at: "))
            .expect("second line: # at: L:C");
        let (line, col) = at.split_once(':').expect("L:C");
        let out = run_ours(&[p.to_str().expect("utf-8")], None);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{}: {err}", p.display());
        assert!(
            out.stdout.is_empty(),
            "{}: ran before refusing",
            p.display()
        );
        assert!(err.contains(expect), "{}: {err}", p.display());
        let want = if col.is_empty() {
            // Refused while running (a builtin the runner lacks) or a syntax error: the line.
            format!("line {line}")
        } else {
            format!("line {line}, column {col}")
        };
        assert!(
            err.contains(&want),
            "{}: want {want:?} in {err}",
            p.display()
        );
        assert!(!err.contains("panicked"), "{}: {err}", p.display());
    }
}

#[test]
fn code_and_stdin_forms_match_the_file_form() {
    let code =
        "import sys\nl = [1, 2, 3]\nprint(sys.getsizeof(l), sys.getrefcount(l), hash('abc'))\n";
    let theirs = Command::new(python_exe())
        .args(["-c", code])
        .env("PYTHONHASHSEED", "0")
        .output()
        .expect("python3");
    let by_c = run_ours(&["-c", code], None);
    let by_stdin = run_ours(&["-"], Some(code));
    assert_eq!(by_c.stdout, theirs.stdout);
    assert_eq!(by_stdin.stdout, theirs.stdout);
}

/// A script from `-c` or stdin starts one object lower in generation 0 than the same file
/// (no `SourceFileLoader`): each form is compared with python3's same form.
#[test]
fn start_counts_of_code_and_stdin_forms_match_python() {
    let code = "import gc\nprint(gc.get_count())\ndef f(a): return [a * i for i in range(3)]\nx = (1.5, 2)\n";
    let dir = std::env::temp_dir().join(format!("pylayout-forms-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("s.py");
    std::fs::write(&file, code).expect("write");
    let path = file.to_str().expect("utf-8 path");
    let python = |args: &[&str], stdin: Option<&str>| {
        let mut c = Command::new(python_exe());
        c.args(args)
            .env("PYTHONHASHSEED", "0")
            .stdout(Stdio::piped());
        if stdin.is_some() {
            c.stdin(Stdio::piped());
        }
        let mut child = c.spawn().expect("python3");
        if let Some(input) = stdin {
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(input.as_bytes())
                .expect("write stdin");
        }
        child.wait_with_output().expect("python3").stdout
    };
    let pairs = [
        (python(&[path], None), run_ours(&[path], None).stdout),
        (
            python(&["-c", code], None),
            run_ours(&["-c", code], None).stdout,
        ),
        (
            python(&["-"], Some(code)),
            run_ours(&["-"], Some(code)).stdout,
        ),
    ];
    let _ = std::fs::remove_dir_all(&dir);
    for (theirs, ours) in &pairs {
        assert_eq!(
            String::from_utf8_lossy(ours),
            String::from_utf8_lossy(theirs)
        );
    }
    assert_ne!(
        pairs[0].0, pairs[1].0,
        "python3 itself starts the forms apart"
    );
}

#[test]
fn hash_seed_follows_pythonhashseed() {
    let code = "print(hash('abc'), hash('é'), hash((1, 'x')), list({'a': 1, 'b': 2, 'c': 3}))";
    for seed in ["1", "12345"] {
        let theirs = Command::new(python_exe())
            .args(["-c", code])
            .env("PYTHONHASHSEED", seed)
            .output()
            .expect("python3");
        let ours = run_ours(&["--hash-seed", seed, "-c", code], None);
        assert_eq!(
            String::from_utf8_lossy(&ours.stdout),
            String::from_utf8_lossy(&theirs.stdout),
            "seed {seed}"
        );
    }
}

/// Runaway programs stop with a clear message and exit code 2, quickly, without an OOM.
#[test]
fn limits_stop_runaway_programs() {
    let cases: [(&[&str], &str, &str); 7] = [
        (&["--max-steps", "1000"], "while True: pass", "step limit"),
        (
            &["--max-steps", "100000"],
            "def f(n):\n    return f(n) + 1 if n < 0 else 0\nx = 0\nwhile True:\n    x += 1",
            "step limit",
        ),
        (
            &["--max-memory", "100M"],
            "x = [0] * 10**12",
            "memory limit",
        ),
        (
            &["--max-memory", "100M"],
            "s = 'a' * 10**11",
            "memory limit",
        ),
        (
            &["--max-memory", "100M"],
            "l = []\nwhile True:\n    l.append([1, 2, 3])",
            "memory limit",
        ),
        (
            &["--max-memory", "100M"],
            "x = 2 ** (10 ** 12)",
            "memory limit",
        ),
        (
            &["--max-memory", "100M"],
            "x = list(range(10 ** 12))",
            "memory limit",
        ),
    ];
    for (flags, code, want) in cases {
        let started = std::time::Instant::now();
        let mut args = flags.to_vec();
        args.extend(["-c", code]);
        let out = run_ours(&args, None);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{code}: {err}");
        assert!(err.contains(want), "{code}: {err}");
        // Not a timing assertion on speed, only a guard against hanging forever.
        assert!(started.elapsed().as_secs() < 120, "{code} took too long");
    }
}

#[test]
fn bad_arguments_exit_2() {
    let out = run_ours(&["/nonexistent/x.py"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"));
    let out = run_ours(&["--max-memory", "lots", "-c", "pass"], None);
    assert_eq!(out.status.code(), Some(2));
}

/// `--trace` reports allocations, free-list reuse, resizes, bindings and frees.
#[test]
fn trace_reports_object_events() {
    let dir = std::env::temp_dir().join(format!("pylayout-trace-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("trace.log");
    let code = "x = []\nfor i in range(5):\n    x.append(i)\nd = {}\nfor i in range(6):\n    d[i] = i\ndel x\nimport sys\ns = sys.intern(str(12) + 'cd')\n";
    let out = run_ours(
        &["--trace-file", file.to_str().expect("utf-8"), "-c", code],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let log = std::fs::read_to_string(&file).expect("trace written");
    let _ = std::fs::remove_dir_all(&dir);
    // list_resize's growth from empty (0 -> 4 -> 8 slots) and the dict's first resize
    // (8 -> 16 slots when the sixth key arrives), as CPython 3.11 grows them.
    for want in [
        "bind x -> list",
        "resize list",
        ": 0 -> 4 slots",
        ": 4 -> 8 slots",
        "resize dict",
        ": 8 -> 16 slots",
        "unbind x: list",
        "(refcnt 1 -> 0)",
        "free list at",
        "intern '12cd'",
    ] {
        assert!(
            log.contains(want),
            "{want:?} missing from the trace:\n{log}"
        );
    }
}

/// `pylayout run x.py | head` is not an error.
#[test]
fn closed_output_pipe_ends_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pylayout"))
        .args([
            "run",
            "-c",
            "for i in range(300000):\n    print(i, 'x' * 20)",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pylayout");
    // Read one chunk, then hang up.
    {
        use std::io::Read;
        let mut buf = [0u8; 1024];
        let mut out = child.stdout.take().expect("stdout");
        let n = out.read(&mut buf).expect("read");
        assert!(n > 0);
    }
    let out = child.wait_with_output().expect("finished");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Builtins and methods handed a value of the wrong kind raise CPython's TypeError (or
/// ValueError) — never a panic. `min(1)` once reached an `expect` in the runner.
#[test]
fn wrong_kinds_of_arguments_raise_as_python_does() {
    let cases = [
        "min(1)",
        "max(1)",
        "sum(1)",
        "sorted(1)",
        "list(1)",
        "tuple(1)",
        "dict(1)",
        "any(1)",
        "all(1)",
        "enumerate(1)",
        "zip(1)",
        "reversed(1)",
        "iter(1)",
        "next(1)",
        "len(1)",
        "max([])",
        "min()",
        "' '.join(1)",
        "[].extend(1)",
        "a, b = 1",
        "x = [1, 2]; x[::2] = 1",
        "dict([1])",
        "dict([[1]])",
        "'a'.join([1])",
        "sorted([1, 'a'])",
        "min(1.5)",
        "max(None)",
        "sum([1], 'a')",
        "list(None)",
        "{}.update(1)",
        "int('010', 0)",
        "int('0_7', 0)",
    ];
    compare_snippets(&cases);
}

/// Numbers past 64 bits where the runner once overflowed (a panic in debug builds, a wrong
/// answer in release), and comparisons or reprs that recurse without end or very deep
/// (once a stack overflow): CPython's result or its exception line.
#[test]
fn big_numbers_and_deep_recursion_as_python_does() {
    compare_snippets(&[
        "print(round(5, -2**32 - 1) if False else round(12345, -400), round(1.5, -2**63))",
        "e = enumerate([1, 2], 2**63 - 1); print(next(e), next(e))",
        "print(list(enumerate('ab', 2**64)))",
        "r = range(-2**63, 2**63 - 1); print(r[-1], r[2**62], 2**63 - 2 in r, -2**63 in r)",
        "print(range(-2**63, 2**63 - 1, 3)[-1], len(range(-2**63, 2**63 - 1, 2**62)))",
        "print(len(range(-2**63, 2**63 - 1)))",
        "print(range(3)[2**63])",
        "print([1, 2, 3].index(2, -2**70, 2**70), (1, 2).index(2, -2**70))",
        "print('abc'.find('c', -2**63, 2**63), 'abc'.count('', 1, 2**70))",
        "print(int('10', -2**63))",
        "print(chr(2**63))",
        "import gc; gc.set_threshold(-2**31 - 1)",
        "print([1] * -2**64)",
        "print(list(reversed(range(-5, 5, 3))), range(0) == range(4, 2), range(3) == range(3))",
        "a = []; b = [a]; a.append(b); print(a == b)",
        "a = []; b = [a]; a.append(b); print(sorted([a, b]))",
        "a = {}; b = {1: a}; a[1] = b; print(a == b)",
        "x = []\nfor i in range(997):\n    x = [x]\nprint(len(repr(x)))",
        "x = []\nfor i in range(998):\n    x = [x]\nprint(len(repr(x)))",
        "x = []\nfor i in range(998):\n    x = [x]\nprint(len(str(x)), x == x[:])",
        "x = []\nfor i in range(999):\n    x = [x]\nprint(x == x[:])",
        "x = []\nfor i in range(100000):\n    x = [x]\nprint(x < x[:])",
    ]);
}

/// Run each `-c` snippet in python3 and in pylayout: the same exit code, last stderr line and
/// stdout, and no panic.
fn compare_snippets(cases: &[&str]) {
    let mut failures = Vec::new();
    for &code in cases {
        let theirs = Command::new(python_exe())
            .args(["-c", code])
            .env("PYTHONHASHSEED", "0")
            .output()
            .expect("python3");
        let ours = run_ours(&["-c", code], None);
        let err = String::from_utf8_lossy(&ours.stderr);
        if err.contains("panicked") || ours.status.code() != theirs.status.code() {
            failures.push(format!("{code}: exit {:?}: {err}", ours.status.code()));
        } else if last_line(&ours.stderr) != last_line(&theirs.stderr) {
            failures.push(format!(
                "{code}:\n  ours:    {}\n  python3: {}",
                last_line(&ours.stderr),
                last_line(&theirs.stderr)
            ));
        } else if ours.stdout != theirs.stdout {
            failures.push(format!(
                "{code}:\n  ours:    {:?}\n  python3: {:?}",
                String::from_utf8_lossy(&ours.stdout),
                String::from_utf8_lossy(&theirs.stdout)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// One pass over a refused script names every construct outside the subset, each with its
/// line and column, in one line and exit code 2; the script does not start.
#[test]
fn one_pass_names_every_unsupported_construct() {
    let src = "import os\nprint('ran')\nclass A:\n    pass\nx = {1, 2}\ndef f():\n    with x:\n        pass\n    lambda: (yield)\n";
    let out = run_ours(&["-c", src], None);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(out.stdout.is_empty(), "ran before refusing: {err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    for want in [
        "5 constructs",
        "import of module 'os' (only sys and gc) at line 1, column 8",
        "class definition at line 3, column 1",
        "set display at line 5, column 5",
        "with statement at line 7, column 5",
        "yield in a lambda at line 9, column 14",
    ] {
        assert!(err.contains(want), "{want:?} not in {err}");
    }
}
