//! Every builtin and every list/tuple/dict/str method the runner knows, called with 0–3
//! arguments (and keyword arguments) drawn from a pool of values of every kind; operators,
//! subscripts, slices and augmented assignments between every pair of kinds. Each snippet runs
//! in `pylayout run -c` and in python3 (`PYTHONHASHSEED=0`): ours must never panic or hang, and
//! must exit as python3 does, with CPython's exception line (or refuse the snippet as outside
//! the subset: exit 2, "unsupported").
//!
//! python3 runs all the snippets in one process (each `exec`'d in fresh globals, its output
//! captured), so the test costs one start-up of python3 and one of ours per snippet.
//! `PYLAYOUT_RANDOM_CASES` raises the number of snippets (default 1500).

mod common;

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Rng, hex_lines, python_io, unhex};

/// Values of every kind the runner has (and a few it only names).
const POOL: &[&str] = &[
    "0",
    "1",
    "-1",
    "5",
    "-7",
    "2**63",
    "-2**64",
    "10**30",
    "True",
    "False",
    "0.0",
    "-0.0",
    "1.5",
    "-2.5",
    "float('nan')",
    "float('inf')",
    "-float('inf')",
    "1e300",
    "'abc'",
    "''",
    "' a b '",
    "'é中😀'",
    "'12'",
    "'a,b'",
    "[]",
    "[1, 2]",
    "[3, 'a', None]",
    "[[1], (2,)]",
    "()",
    "(1, 2)",
    "('a', 1.5)",
    "{}",
    "{'a': 1}",
    "{1: 'x', 'b': [2]}",
    "None",
    "range(3)",
    "range(-2, 5, 2)",
    "f",
    "len",
    "int",
    "str",
    "list",
    "dict",
    "type",
    "iter([1, 2])",
    "{'a': 1}.keys()",
    "{'a': 1}.items()",
    "enumerate('ab')",
    "zip([1], 'a')",
    "reversed([1, 2])",
    "sys",
    "[1].append",
];

const BUILTINS: &[&str] = &[
    "print",
    "len",
    "range",
    "list",
    "tuple",
    "dict",
    "str",
    "int",
    "float",
    "bool",
    "chr",
    "ord",
    "hash",
    "id",
    "repr",
    "sorted",
    "min",
    "max",
    "sum",
    "isinstance",
    "type",
    "abs",
    "enumerate",
    "zip",
    "reversed",
    "map",
    "filter",
    "iter",
    "next",
    "divmod",
    "round",
    "pow",
    "hex",
    "oct",
    "bin",
    "format",
    "any",
    "all",
    "sys.getsizeof",
    "sys.getrefcount",
    "sys.intern",
    "gc.collect",
    "gc.get_count",
    "gc.get_threshold",
    "gc.set_threshold",
    "gc.enable",
    "gc.disable",
    "gc.isenabled",
    "gc.is_tracked",
    "gc.get_stats",
    "gc.get_referents",
];

const LIST_METHODS: &[&str] = &[
    "append", "insert", "pop", "remove", "extend", "clear", "index", "count", "reverse", "sort",
    "copy",
];
const TUPLE_METHODS: &[&str] = &["index", "count"];
const DICT_METHODS: &[&str] = &[
    "get",
    "pop",
    "popitem",
    "keys",
    "values",
    "items",
    "update",
    "clear",
    "copy",
    "setdefault",
    "fromkeys",
];
const STR_METHODS: &[&str] = &[
    "translate",
    "maketrans",
    "join",
    "upper",
    "lower",
    "split",
    "strip",
    "lstrip",
    "rstrip",
    "replace",
    "find",
    "rfind",
    "index",
    "count",
    "startswith",
    "endswith",
    "isdigit",
    "isalpha",
    "isspace",
    "isupper",
    "islower",
    "isalnum",
    "isdecimal",
    "isnumeric",
    "istitle",
    "isascii",
    "isprintable",
    "rindex",
    "rsplit",
    "splitlines",
    "partition",
    "rpartition",
    "removeprefix",
    "removesuffix",
    "center",
    "ljust",
    "rjust",
    "zfill",
    "expandtabs",
    "swapcase",
    "title",
    "capitalize",
    "casefold",
    "format",
];

const KEYWORDS: &[&str] = &[
    "key",
    "reverse",
    "default",
    "start",
    "sep",
    "end",
    "x",
    "base",
    "ndigits",
    "strict",
    "maxsplit",
    "object",
    "iterable",
    "flush",
    "file",
    "generation",
    "keepends",
    "tabsize",
    "fillchar",
];

const BINOPS: &[&str] = &[
    "+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^", "<", "<=", "==", "!=", ">",
    ">=", "is", "in", "not in",
];
const AUGOPS: &[&str] = &[
    "+=", "-=", "*=", "/=", "//=", "%=", "**=", "<<=", ">>=", "&=", "|=", "^=",
];

/// Builtins whose printed result depends on addresses or on how the snippet was started.
const UNSTABLE: &[&str] = &[
    "id(",
    "getrefcount",
    "gc.collect",
    "get_count",
    "get_stats",
    "hash(",
];

fn pick<'a>(r: &mut Rng, xs: &[&'a str]) -> &'a str {
    xs[r.below(xs.len() as u64) as usize]
}

fn big(v: &str) -> bool {
    matches!(v, "2**63" | "-2**64" | "10**30" | "1e300")
}

/// Arguments: 0–3 positional ones from the pool, sometimes a keyword argument or two.
fn args(r: &mut Rng) -> String {
    let n = r.below(4);
    let mut a: Vec<String> = (0..n).map(|_| pick(r, POOL).to_string()).collect();
    if r.below(4) == 0 {
        for _ in 0..1 + r.below(2) {
            a.push(format!("{}={}", pick(r, KEYWORDS), pick(r, POOL)));
        }
    }
    a.join(", ")
}

fn receiver(r: &mut Rng, kind: &str) -> &'static str {
    let of: Vec<&str> = POOL
        .iter()
        .copied()
        .filter(|v| match kind {
            "list" => v.starts_with('['),
            "tuple" => v.starts_with('('),
            "dict" => v.starts_with('{') && !v.contains(").") && !v.ends_with(')'),
            _ => v.starts_with('\''),
        })
        .collect();
    of[r.below(of.len() as u64) as usize]
}

/// One snippet (a `-c` program).
fn snippet(seed: u64) -> String {
    let mut r = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let body = match r.below(14) {
        0..=2 => format!("print({}({}))", pick(&mut r, BUILTINS), args(&mut r)),
        3..=5 => {
            let kind = pick(&mut r, &["list", "tuple", "dict", "str"]);
            let m = pick(
                &mut r,
                match kind {
                    "list" => LIST_METHODS,
                    "tuple" => TUPLE_METHODS,
                    "dict" => DICT_METHODS,
                    _ => STR_METHODS,
                },
            );
            format!(
                "x = {}\nprint(x.{m}({}))\nprint(x)",
                receiver(&mut r, kind),
                args(&mut r)
            )
        }
        // A method on a receiver of any kind, with an argument that prints when evaluated:
        // the method lookup fails (LOAD_METHOD) before the arguments run.
        12 => {
            let kind = pick(&mut r, &["list", "tuple", "dict", "str"]);
            let m = pick(
                &mut r,
                match kind {
                    "list" => LIST_METHODS,
                    "tuple" => TUPLE_METHODS,
                    "dict" => DICT_METHODS,
                    _ => STR_METHODS,
                },
            );
            format!(
                "x = {}\nprint(x.{m}(print('arg'), {}))",
                pick(&mut r, POOL),
                pick(&mut r, POOL)
            )
        }
        // A missing key of every kind: KeyError shows the key's repr.
        13 => {
            let k = pick(&mut r, POOL);
            match r.below(3) {
                0 => format!("x = {{'a': 1}}\nprint(x[{k}])"),
                1 => format!("x = {{'a': 1}}\ndel x[{k}]\nprint(x)"),
                _ => format!("x = {{'a': 1}}\nprint(x.pop({k}))"),
            }
        }
        6 | 7 => {
            let (a, b) = (pick(&mut r, POOL), pick(&mut r, POOL));
            let op = pick(&mut r, BINOPS);
            // `2 ** 10**30` (or `<<`) runs python3 out of memory slowly: not a case.
            if matches!(op, "**" | "<<") && big(b) {
                return format!("print({a} {op} 3)");
            }
            format!("print({a} {op} {b})")
        }
        8 => {
            let a = pick(&mut r, POOL);
            match r.below(6) {
                0 => format!("print(-{a})"),
                1 => format!("print(~{a})"),
                2 => format!("print(+{a})"),
                3 => format!("print(not {a})"),
                4 => format!("for v in {a}:\n    print(v)"),
                _ => format!("p, q = {a}\nprint(p, q)"),
            }
        }
        9 => {
            let (a, b, c) = (pick(&mut r, POOL), pick(&mut r, POOL), pick(&mut r, POOL));
            match r.below(4) {
                0 => format!("print({a}[{b}])"),
                1 => format!("print({a}[{b}:{c}])"),
                2 => format!("print({a}[{b}::{c}])"),
                _ => format!("print({a}[:{b}:{c}])"),
            }
        }
        10 => {
            let (a, b) = (pick(&mut r, POOL), pick(&mut r, POOL));
            let op = pick(&mut r, AUGOPS);
            let b = if matches!(op, "**=" | "<<=") && big(b) {
                "3"
            } else {
                b
            };
            format!("x = {a}\nx {op} {b}\nprint(x)")
        }
        _ => {
            let (a, b, c) = (pick(&mut r, POOL), pick(&mut r, POOL), pick(&mut r, POOL));
            match r.below(4) {
                0 => format!("x = {a}\nx[{b}] = {c}\nprint(x)"),
                1 => format!("x = {a}\ndel x[{b}]\nprint(x)"),
                2 => format!("x = {a}\nx[{b}:{c}] = {a}\nprint(x)"),
                _ => format!("x = {a}\ndel x[{b}:{c}]\nprint(x)"),
            }
        }
    };
    format!("import sys\nimport gc\ndef f(x):\n    return x\n{body}\n")
}

/// python3 runs every snippet in one process; per snippet: (exit code, last stderr line,
/// stdout), or `None` where python3 itself took too long.
const HARNESS: &str = r#"
import sys, io, contextlib, signal, gc, builtins
class Slow(BaseException): pass
def alarm(*a): raise Slow()
signal.signal(signal.SIGALRM, alarm)
loader = __loader__
for line in sys.stdin:
    src = bytes.fromhex(line.strip()).decode()
    out = io.StringIO()
    code, last = 0, ''
    signal.alarm(3)
    # Each snippet starts as a fresh process would, whatever the last one did.
    gc.enable()
    gc.set_threshold(700, 10, 10)
    # __main__'s first keys under -c, in order: NameError suggestions come from them.
    g = {'__name__': '__main__', '__doc__': None, '__package__': None, '__loader__': loader,
         '__spec__': None, '__annotations__': {}, '__builtins__': builtins}
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(src, '<string>', 'exec'), g)
    except Slow:
        code = -1
    except BaseException as e:
        signal.alarm(0)
        code = 1
        # What PyErr_Print does before it calls the hook, then CPython's own printer (its
        # "Did you mean" is C code; the traceback module's is a Python copy that differs).
        sys.last_type, sys.last_value, sys.last_traceback = type(e), e, e.__traceback__
        err = io.StringIO()
        sys.stderr, real = err, sys.stderr
        try:
            sys.__excepthook__(type(e), e, e.__traceback__)
        finally:
            sys.stderr = real
            del sys.last_type, sys.last_value, sys.last_traceback
        last = err.getvalue().rstrip('\n').split('\n')[-1]
    signal.alarm(0)
    print(code, last.encode().hex() or '-', out.getvalue().encode().hex() or '-')
"#;

struct Ours {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    timed_out: bool,
}

/// Run one snippet in `pylayout run -c`, killing it after `limit`.
fn run_ours(code: &str, limit: Duration) -> Ours {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pylayout"))
        .args([
            "run",
            "--max-steps",
            "2000000",
            "--max-memory",
            "256M",
            "-c",
        ])
        .arg(code)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run pylayout");
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let start = Instant::now();
    let mut timed_out = false;
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > limit {
            timed_out = true;
            let _ = child.kill();
            break child.wait().expect("wait");
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let stdout = String::from_utf8_lossy(&reader.join().expect("stdout")).to_string();
    let stderr = String::from_utf8_lossy(&err_reader.join().expect("stderr")).to_string();
    Ours {
        code: status.code(),
        stdout,
        stderr,
        timed_out,
    }
}

fn last_line(s: &str) -> &str {
    s.lines().last().unwrap_or("")
}

/// `s` with every address (`0x7f...`) written `0x?`: ids differ between two processes.
fn without_addresses(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("0x") {
        out.push_str(&rest[..i + 2]);
        let hex = rest[i + 2..]
            .bytes()
            .take_while(u8::is_ascii_hexdigit)
            .count();
        if hex > 0 {
            out.push('?');
        }
        rest = &rest[i + 2 + hex..];
    }
    out.push_str(rest);
    out
}

#[test]
fn wrong_kinds_raise_what_python_raises() {
    common::assert_python_311();
    let count: u64 = std::env::var("PYLAYOUT_RANDOM_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1500);
    let mut seen = std::collections::HashSet::new();
    let snippets: Vec<String> = (0..count)
        .map(snippet)
        .filter(|s| seen.insert(s.clone()))
        .collect();
    let (out, _) = python_io(HARNESS, &hex_lines(&snippets));
    let theirs: Vec<(i32, String, String)> = out
        .lines()
        .map(|l| {
            let mut p = l.split(' ');
            let code = p.next().expect("code").parse().expect("a number");
            let last = unhex(p.next().expect("last"));
            let stdout = unhex(p.next().expect("stdout"));
            (code, last, stdout)
        })
        .collect();
    assert_eq!(
        theirs.len(),
        snippets.len(),
        "python3 answered every snippet"
    );
    let mut failures = Vec::new();
    let (mut refused, mut raised) = (0, 0);
    for (src, (code, last, stdout)) in snippets.iter().zip(&theirs) {
        if *code < 0 {
            continue;
        }
        let ours = run_ours(src, Duration::from_secs(10));
        let body = src.lines().skip(4).collect::<Vec<_>>().join(" / ");
        if ours.stderr.contains("panicked") || ours.code == Some(101) || ours.code.is_none() {
            failures.push(format!(
                "PANIC {body}\n  exit {:?}{}: {}",
                ours.code,
                if ours.timed_out { " (timed out)" } else { "" },
                ours.stderr.trim()
            ));
            continue;
        }
        // A refusal: outside the subset, a limit, or a syntax error python3 also reports
        // (pylayout refuses those before running, with exit code 2).
        if ours.code == Some(2)
            && (ours.stderr.contains("unsupported")
                || ours.stderr.contains("limit reached")
                || (ours.stderr.contains("SyntaxError") && last.starts_with("SyntaxError")))
        {
            refused += 1;
            continue;
        }
        if ours.code != Some(*code) {
            failures.push(format!(
                "EXIT {body}\n  ours: exit {:?}: {}\n  python3: exit {code}: {last}",
                ours.code,
                last_line(&ours.stderr)
            ));
        } else if *code == 1
            && without_addresses(last_line(&ours.stderr)) != without_addresses(last)
        {
            failures.push(format!(
                "LINE {body}\n  ours:    {}\n  python3: {last}",
                last_line(&ours.stderr)
            ));
        } else if ours.stdout != *stdout
            && !stdout.contains(" at 0x")
            && !UNSTABLE.iter().any(|u| src.contains(u))
        {
            failures.push(format!(
                "STDOUT {body}\n  ours:    {:?}\n  python3: {stdout:?}",
                ours.stdout
            ));
        }
        raised += usize::from(*code == 1);
    }
    eprintln!(
        "{} snippets: {raised} raised in both, {refused} refused by pylayout, {} failures",
        snippets.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} snippets differ:\n{}",
        failures.len(),
        snippets.len(),
        failures.join("\n")
    );
}

/// Every builtin function of the registry is in the matrix above.
#[test]
fn the_matrix_has_every_builtin() {
    let listing = pylayout::script::builtins_listing();
    let names = listing
        .strip_prefix("Builtins: ")
        .and_then(|s| s.split(';').next())
        .expect("the listing starts with the builtins");
    for name in names.split_whitespace() {
        assert!(BUILTINS.contains(&name), "{name} is not in BUILTINS");
    }
}
