//! "Did you mean": CPython 3.11's traceback printer ends a `NameError` or an `AttributeError`
//! with a suggestion (`Python/suggestions.c`). Generated programs misspell names — at module
//! level, in functions with parameters and locals, in comprehensions (their own frames), near
//! the builtins (`lenn`, `prnt`, `Len`, `rang`) and near `__main__`'s own keys — and attributes
//! and methods of every kind of value, type object and module the runner has. Each runs in
//! pylayout and in python3 (`PYTHONHASHSEED=0`): the exception lines must be identical.
//!
//! python3 runs all the programs in one process: each is `exec`'d in a dict laid out like
//! `__main__`'s (the same first keys, which differ under `-c`), and its exception goes to
//! `sys.__excepthook__` — CPython's own printer — after `sys.last_type` and friends are set,
//! as `PyErr_Print` does. A sample also runs as real `python3 -` / `-c` / file processes to
//! check that harness. pylayout runs each program through the library (as the CLI does, on a
//! fresh thread) and a sample through the binary. `PYLAYOUT_SUGGEST_CASES` raises the number of
//! programs (default 2000); `PYLAYOUT_SHOW_REFUSED=1` prints the ones pylayout refuses.
//!
//! A second test compares every list embedded in `src/script/suggest_tables.rs` with what
//! python3 itself says (`dir()` of each type, `builtins.__dict__`, `__main__`'s keys).

mod common;

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::process::{Command, Stdio};

use common::{Rng, hex_lines, python_exe, python_io, unhex};
use pylayout::script::{self, Limits, Outcome, RunOptions, Startup};

/// Names the programs bind: near each other, near builtins, non-ASCII too.
const NAMES: &[&str] = &[
    "total", "totl", "count", "counts", "items", "item", "data", "Data", "value", "values",
    "result", "res", "alpha", "beta", "gamma", "x1", "x2", "xs", "lst", "idx", "key", "keys",
    "sums", "maxx", "lens", "rng", "a", "b", "ab", "ba", "abc", "acb", "café", "naïve", "é1",
    "word", "words", "node", "nodes", "size", "sizes",
];

/// Values the names are bound to.
const VALUES: &[&str] = &["1", "[1, 2]", "'s'", "{}", "(1,)", "2.5", "None"];

/// Expressions with attributes to misspell: every kind of value, type and module the runner
/// has (`f`, `sys` and `gc` come from the prelude).
const ATTR_EXPRS: &[&str] = &[
    "(0)",
    "True",
    "1.5",
    "'abc'",
    "[1, 2]",
    "(1, 2)",
    "{'a': 1}",
    "None",
    "range(3)",
    "f",
    "len",
    "[].append",
    "'x'.upper",
    "{'a': 1}.keys()",
    "{'a': 1}.values()",
    "{'a': 1}.items()",
    "iter([1])",
    "iter((1,))",
    "iter('ab')",
    "iter('é')",
    "iter({'a': 1})",
    "iter({'a': 1}.values())",
    "iter({'a': 1}.items())",
    "iter(range(2))",
    "enumerate([1])",
    "zip([1])",
    "reversed([1])",
    "reversed((1,))",
    "reversed({1: 2})",
    "reversed({1: 2}.items())",
    "sys",
    "gc",
    "sys.getsizeof",
    "gc.collect",
    "int",
    "bool",
    "float",
    "str",
    "list",
    "tuple",
    "dict",
    "range",
    "type",
    "object",
    "type(None)",
    "type(f)",
    "type(len)",
    "type(sys)",
    "type({}.keys())",
    "type(iter([]))",
    "type(zip())",
    "enumerate",
    "zip",
    "reversed",
];

const PRELUDE: &str = "import sys\nimport gc\ndef f(x):\n    return x\n";

const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// Programs every run includes: the divergence that started this, and one of each kind.
const FIXED: &[(&str, &str)] = &[
    ("stdin", "import sys\nimport gc\ng(0)\n"),
    ("command", "import sys\nimport gc\ng(0)\n"),
    ("file", "import sys\nimport gc\ng(0)\n"),
    ("stdin", "print(lenn([1]))\n"),
    ("stdin", "prnt(1)\n"),
    ("stdin", "print(Len('a'))\n"),
    ("stdin", "rang(3)\n"),
    ("stdin", "print(__fil__)\n"),
    ("command", "print(__fil__)\n"),
    ("stdin", "[a0 for x in [1]]\n"),
    ("stdin", "import sys\nsys.getsizof([])\n"),
    ("stdin", "import sys\nsys.last_typ\n"),
    ("stdin", "import sys\nsys.last_type\n"),
    ("stdin", "import gc\ngc.colect()\n"),
    ("stdin", "(0).append(1)\n"),
    ("stdin", "'x'.keys()\n"),
    ("stdin", "[].get\n"),
    ("stdin", "int.fro_bytes\n"),
    ("stdin", "None.__clas__\n"),
    (
        "stdin",
        "def f(alpha, beta):\n    gamma = 1\n    return alpah + gama\nf(1, 2)\n",
    ),
    ("stdin", "def f(self):\n    return sefl\nf(1)\n"),
    // A local a comprehension reads is a cell, not in co_varnames.
    (
        "stdin",
        "def f(p):\n    total = 1\n    c = [total for _ in [1]]\n    return totl\nf(1)\n",
    ),
    ("stdin", "def f(p):\n    total = 1\n    return totl\nf(1)\n"),
    // co_varnames in code-generation order: `b` (read first) before `a`.
    (
        "stdin",
        "def f():\n    if 0:\n        ab = ba\n    ba = 1\n    return aa\nf()\n",
    ),
    ("stdin", "def f():\n    print(x)\n    x = 1\nf()\n"),
    (
        "stdin",
        "[1 for a in [1] for c in [lenn for _ in [1]] for lenn in [1]]\n",
    ),
    ("stdin", "__doc__ = 1\ndocs = 2\nprint(__docs__)\n"),
    ("stdin", "del __doc__\nprint(__dc__)\n"),
    ("stdin", "del __file__\nprint(__file__)\n"),
    ("stdin", "total = 1\ndel totl\n"),
    ("stdin", "from sys import getsizof\n"),
];

/// Programs at the 750-candidate limit: with `__main__`'s 9 keys (7 under `-c`), 741 globals
/// are too many to search, 740 are not.
fn boundary_programs() -> Vec<(Mode, String)> {
    let many = |n: usize| {
        let mut src: String = (0..n).map(|i| format!("v{i} = 1\n")).collect();
        src.push_str("print(v1x)\n");
        src
    };
    vec![
        (Mode::Stdin, many(740)),
        (Mode::Stdin, many(741)),
        (Mode::Command, many(741)),
        (Mode::Command, many(743)),
        (Mode::File, many(741)),
    ]
}

fn pick<'a>(r: &mut Rng, xs: &[&'a str]) -> &'a str {
    xs[r.below(xs.len() as u64) as usize]
}

fn pick_s<'a>(r: &mut Rng, xs: &'a [String]) -> &'a str {
    &xs[r.below(xs.len() as u64) as usize]
}

/// A misspelling of `w`: a byte dropped, added, doubled, replaced or swapped, a case flipped,
/// an affix; sometimes two of them. Always a valid identifier (or `w` + `_x`).
fn mutate(r: &mut Rng, w: &str) -> String {
    const ALPHABET: &[char] = &[
        'a', 'e', 'i', 'o', 'n', 's', 't', 'l', 'r', 'x', 'z', 'q', '_', '0', '1', 'A', 'E', 'S',
        'T', 'é',
    ];
    let mut c: Vec<char> = w.chars().collect();
    let rounds = if r.below(5) == 0 { 2 } else { 1 };
    for _ in 0..rounds {
        let n = c.len();
        let at = r.below(n as u64) as usize;
        match r.below(8) {
            0 if n > 1 => {
                c.remove(at);
            }
            1 => c.insert(
                r.below(n as u64 + 1) as usize,
                ALPHABET[r.below(20) as usize],
            ),
            2 if n > 1 => c.swap(at.min(n - 2), at.min(n - 2) + 1),
            3 => c[at] = ALPHABET[r.below(20) as usize],
            4 => {
                let flipped: Vec<char> = if c[at].is_uppercase() {
                    c[at].to_lowercase().collect()
                } else {
                    c[at].to_uppercase().collect()
                };
                if flipped.len() == 1 {
                    c[at] = flipped[0];
                } else {
                    c[at] = 'Q';
                }
            }
            5 => c.insert(at, c[at]),
            6 => c.push(ALPHABET[r.below(20) as usize]),
            _ => {
                if n > 2 {
                    c.truncate(n - 1);
                } else {
                    c.insert(0, '_');
                }
            }
        }
    }
    let s: String = c.into_iter().collect();
    let valid = s
        .chars()
        .next()
        .is_some_and(|ch| ch.is_alphabetic() || ch == '_')
        && s.chars().all(|ch| ch.is_alphanumeric() || ch == '_')
        && !KEYWORDS.contains(&s.as_str());
    if valid { s } else { format!("{w}_x") }
}

/// What python3 reports of itself that the generator draws from: `dir()` of each attribute
/// expression and the builtins' names.
struct Info {
    dirs: Vec<Vec<String>>,
    builtins: Vec<String>,
}

fn info() -> Info {
    let mut code = String::from(PRELUDE);
    code.push_str("import builtins\n");
    for e in ATTR_EXPRS {
        code.push_str(&format!("print(*dir({e}))\n"));
    }
    code.push_str("print(*builtins.__dict__)\n");
    let (out, _) = python_io(&code, "");
    let mut lines: Vec<Vec<String>> = out
        .lines()
        .map(|l| l.split(' ').map(String::from).collect())
        .collect();
    assert_eq!(
        lines.len(),
        ATTR_EXPRS.len() + 1,
        "python3 printed every dir()"
    );
    let builtins = lines.pop().expect("builtins");
    Info {
        dirs: lines,
        builtins,
    }
}

/// How a program is given to python3 (and to pylayout).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Mode {
    Stdin,
    Command,
    File,
}

impl Mode {
    fn parse(s: &str) -> Mode {
        match s {
            "stdin" => Mode::Stdin,
            "command" => Mode::Command,
            "file" => Mode::File,
            _ => panic!("mode {s}"),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Mode::Stdin => "stdin",
            Mode::Command => "command",
            Mode::File => "file",
        }
    }

    fn startup(self) -> Startup {
        match self {
            Mode::Stdin => Startup::Stdin,
            Mode::Command => Startup::Command,
            Mode::File => Startup::File,
        }
    }
}

/// A statement that uses `name` (and fails there if it is unbound).
fn use_name(r: &mut Rng, name: &str) -> String {
    match r.below(7) {
        0 => format!("print({name})"),
        1 => format!("{name}(0)"),
        2 => format!("y = {name} + 1"),
        3 => format!("del {name}"),
        4 => format!("print(len({name}))"),
        5 => format!("for i in {name}:\n    pass"),
        _ => format!("print([{name}])"),
    }
}

/// Something to misspell: a name the program binds, a builtin, or one of `__main__`'s keys.
fn near(r: &mut Rng, bound: &[String], info: &Info) -> String {
    const MAIN_KEYS: &[&str] = &[
        "__name__",
        "__doc__",
        "__file__",
        "__cached__",
        "__spec__",
        "__loader__",
        "__builtins__",
        "__annotations__",
        "__package__",
        "sys",
        "gc",
    ];
    let w = match r.below(10) {
        0..=4 if !bound.is_empty() => pick_s(r, bound),
        5 | 6 => pick(r, MAIN_KEYS),
        _ => pick_s(r, &info.builtins),
    };
    mutate(r, w)
}

fn bindings(r: &mut Rng, indent: &str, max: u64) -> (Vec<String>, String) {
    let mut names = Vec::new();
    let mut src = String::new();
    for _ in 0..r.below(max + 1) {
        let n = pick(r, NAMES).to_string();
        src.push_str(&format!("{indent}{n} = {}\n", pick(r, VALUES)));
        if !names.contains(&n) {
            names.push(n);
        }
    }
    (names, src)
}

/// One program and how it is run.
fn program(seed: u64, info: &Info) -> (Mode, String) {
    let mut r = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mode = match r.below(10) {
        0..=5 => Mode::Stdin,
        6..=8 => Mode::Command,
        _ => Mode::File,
    };
    let prelude = match r.below(3) {
        0 => "",
        1 => "import sys\nimport gc\n",
        _ => PRELUDE,
    };
    let src = match r.below(12) {
        // Module level.
        0..=2 => {
            let (bound, src) = bindings(&mut r, "", 4);
            let target = near(&mut r, &bound, info);
            format!("{prelude}{src}{}\n", use_name(&mut r, &target))
        }
        // A function with parameters and locals (some of them cells), maybe called from
        // another function.
        3..=5 => {
            let (globals, gsrc) = bindings(&mut r, "", 2);
            let nparams = r.below(4);
            let mut params: Vec<String> = Vec::new();
            for _ in 0..nparams {
                let p = pick(&mut r, NAMES).to_string();
                if !params.contains(&p) {
                    params.push(p);
                }
            }
            let (locals, mut lsrc) = bindings(&mut r, "    ", 3);
            let mut all: Vec<String> = params.iter().chain(&locals).cloned().collect();
            all.extend(globals.iter().cloned());
            // Dead code that binds and reads: the order the compiler meets names in.
            if r.below(3) == 0 {
                let (a, b) = (pick(&mut r, NAMES), pick(&mut r, NAMES));
                lsrc.push_str(&format!("    if 0:\n        {a} = {b}\n"));
                all.push(a.to_string());
            }
            // A comprehension reading a local makes it a cell.
            if r.below(3) == 0 && !locals.is_empty() {
                let l = pick_s(&mut r, &locals).to_string();
                lsrc.push_str(&format!("    cc = [{l} for _ in [1]]\n"));
            }
            let target = if r.below(4) == 0 {
                near(&mut r, &all, info)
            } else {
                let w = pick_s(&mut r, &all_or(&all, info)).to_string();
                mutate(&mut r, &w)
            };
            let body = match r.below(4) {
                0 => format!("    return [{target} for _ in [1]]\n"),
                1 => format!(
                    "    {}\n",
                    use_name(&mut r, &target).replace('\n', "\n    ")
                ),
                _ => format!("    return {target}\n"),
            };
            let args = vec!["1"; params.len()].join(", ");
            let call = if r.below(3) == 0 {
                format!("def g():\n    return h({args})\ng()\n")
            } else {
                format!("h({args})\n")
            };
            format!(
                "{prelude}{gsrc}def h({}):\n{lsrc}{body}{call}",
                params.join(", ")
            )
        }
        // Comprehensions: their own frames, `.0` first.
        6 | 7 => {
            let (bound, src) = bindings(&mut r, "", 2);
            let v = pick(&mut r, NAMES);
            let w = pick(&mut r, NAMES);
            let mut cands: Vec<String> = bound.clone();
            cands.push(v.to_string());
            cands.push(w.to_string());
            let t = if r.below(3) == 0 {
                near(&mut r, &cands, info)
            } else {
                let w = pick_s(&mut r, &cands).to_string();
                mutate(&mut r, &w)
            };
            let comp = match r.below(6) {
                0 => format!("[{t} for {v} in [1, 2]]"),
                1 => format!("[{v} for {v} in [1, 2] if {t}]"),
                2 => format!("{{{v}: {t} for {v} in 'ab'}}"),
                3 => format!("[{t} for {v} in [1] for {w} in [2]]"),
                4 => format!("[[{t} for {w} in [1]] for {v} in [1]]"),
                _ => format!("[1 for {v} in [1] for c in [{t} for _ in [1]] for {t} in [1]]"),
            };
            format!("{prelude}{src}print({comp})\n")
        }
        // Attributes and methods.
        8..=10 => {
            let k = r.below(ATTR_EXPRS.len() as u64) as usize;
            let e = ATTR_EXPRS[k];
            let name = match r.below(6) {
                0 => {
                    // Another type's attribute (`'x'.keys()`), one this one lacks.
                    let other = r.below(ATTR_EXPRS.len() as u64) as usize;
                    let lacking: Vec<String> = info.dirs[other]
                        .iter()
                        .filter(|n| !info.dirs[k].contains(n))
                        .cloned()
                        .collect();
                    if lacking.is_empty() {
                        "nope".to_string()
                    } else {
                        pick_s(&mut r, &lacking).to_string()
                    }
                }
                1 => {
                    let w = pick(&mut r, &["append", "keys", "get", "split", "count"]);
                    mutate(&mut r, w)
                }
                _ => {
                    let w = pick_s(&mut r, &info.dirs[k]).to_string();
                    mutate(&mut r, &w)
                }
            };
            let stmt = match r.below(4) {
                0 => format!("print({e}.{name})"),
                1 => format!("{e}.{name}()"),
                2 => format!("x = {e}\nprint(x.{name}(1))"),
                _ => format!("from sys import {name}"),
            };
            format!("{PRELUDE}{stmt}\n")
        }
        // Names near the builtins.
        _ => {
            let w = pick_s(&mut r, &info.builtins).to_string();
            let b = mutate(&mut r, &w);
            format!("{prelude}print({b}([1, 2]))\n")
        }
    };
    (mode, src)
}

fn all_or(all: &[String], info: &Info) -> Vec<String> {
    if all.is_empty() {
        info.builtins.clone()
    } else {
        all.to_vec()
    }
}

/// python3 runs every program in one process; per program: exit code (1 raised, 0 not, -1
/// too slow) and the exception line.
const HARNESS: &str = r#"
import sys, io, builtins, signal
class Slow(BaseException): pass
def alarm(*a): raise Slow()
signal.signal(signal.SIGALRM, alarm)
loader = __loader__
def main_dict(mode):
    # __main__'s first keys, in order (python3 -c has no __file__ or __cached__).
    d = {'__name__': '__main__', '__doc__': None, '__package__': None,
         '__loader__': loader, '__spec__': None, '__annotations__': {},
         '__builtins__': builtins}
    if mode != 'command':
        d['__file__'] = '<stdin>'
        d['__cached__'] = None
    return d
stdout = sys.stdout
for line in sys.stdin:
    mode, src = line.split()
    src = bytes.fromhex(src).decode()
    code, last = 0, ''
    sys.stdout = io.StringIO()
    signal.alarm(3)
    try:
        exec(compile(src, '<stdin>', 'exec'), main_dict(mode))
    except Slow:
        code = -1
    except BaseException as e:
        signal.alarm(0)
        code = 1
        # What PyErr_Print does before it calls the hook, then CPython's own printer.
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
    print(code, last.encode().hex() or '-')
"#;

/// How a run ended: `Ok((exit code, exception line))`, or why pylayout refused the program
/// (outside the subset, or a limit).
type Ending = Result<(i32, String), String>;

/// pylayout's ending for a program, through the library on a fresh thread (as the CLI runs).
fn ours(mode: Mode, src: &str) -> Ending {
    let src = src.to_owned();
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || {
            pylayout::runtime::set_hash_seed(0);
            let opts = RunOptions {
                limits: Limits {
                    max_steps: 2_000_000,
                    max_memory: 256 << 20,
                    recursion_limit: 1000,
                },
                startup: Some(mode.startup()),
            };
            let mut out = Vec::new();
            match script::run(&src, &opts, &mut out, None) {
                Outcome::Ok => Ok((0, String::new())),
                Outcome::Exception(f) => {
                    let tb = script::format_traceback(&f, "<stdin>", &src);
                    Ok((1, tb.lines().last().unwrap_or_default().to_owned()))
                }
                Outcome::Refused(why) => Err(why),
            }
        })
        .expect("spawn")
        .join()
        .expect("pylayout panicked")
}

/// Run a program as a real process given as `mode` says: `program` is `python3` or
/// `pylayout run`. Returns (exit code, last stderr line).
fn process(program: &[&str], mode: Mode, src: &str, dir: &std::path::Path) -> (i32, String) {
    let mut c = Command::new(program[0]);
    c.args(&program[1..]).env("PYTHONHASHSEED", "0");
    match mode {
        Mode::Stdin => {
            c.arg("-");
        }
        Mode::Command => {
            c.arg("-c").arg(src);
        }
        Mode::File => {
            let path = dir.join("prog.py");
            std::fs::write(&path, src).expect("write the program");
            c.arg(path);
        }
    }
    let mut child = c
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start");
    let mut stdin = child.stdin.take().expect("stdin");
    if mode == Mode::Stdin {
        stdin.write_all(src.as_bytes()).expect("write stdin");
    }
    drop(stdin);
    let out = child.wait_with_output().expect("finish");
    let err = String::from_utf8_lossy(&out.stderr);
    (
        out.status.code().unwrap_or(-1),
        err.lines().last().unwrap_or_default().to_owned(),
    )
}

#[test]
fn misspelled_names_and_attributes_get_python3s_suggestion() {
    common::assert_python_311();
    let info = info();
    let count: u64 = std::env::var("PYLAYOUT_SUGGEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let mut seen = HashSet::new();
    let fixed: Vec<(Mode, String)> = FIXED
        .iter()
        .map(|(m, s)| (Mode::parse(m), s.to_string()))
        .chain(boundary_programs())
        .collect();
    let nfixed = fixed.len();
    let programs: Vec<(Mode, String)> = fixed
        .into_iter()
        .chain((0..count).map(|seed| program(seed, &info)))
        .filter(|p| seen.insert(p.clone()))
        .collect();
    let input: String = programs
        .iter()
        .zip(hex_lines(&programs.iter().map(|p| p.1.clone()).collect::<Vec<_>>()).lines())
        .map(|((m, _), hex)| format!("{} {hex}\n", m.name()))
        .collect();
    let (out, _) = python_io(HARNESS, &input);
    let theirs: Vec<(i32, String)> = out
        .lines()
        .map(|l| {
            let (code, last) = l.split_once(' ').expect("two fields");
            (code.parse().expect("a number"), unhex(last))
        })
        .collect();
    assert_eq!(
        theirs.len(),
        programs.len(),
        "python3 answered every program"
    );

    // The harness is python3: check it on a sample against real processes in each mode.
    let dir = std::env::temp_dir().join(format!("pylayout-suggest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let py = python_exe();
    for (k, ((mode, src), (code, last))) in programs.iter().zip(&theirs).enumerate() {
        if k < nfixed || k % 50 == 0 {
            let real = process(&[&py], *mode, src, &dir);
            assert_eq!(
                (real.0, &real.1),
                (*code, last),
                "the harness differs from `python3` ({mode:?}) on:\n{src}"
            );
        }
    }

    let exe = env!("CARGO_BIN_EXE_pylayout");
    let mut failures = Vec::new();
    let (mut compared, mut refused, mut suggested) = (0, 0, 0);
    for (k, ((mode, src), (code, last))) in programs.iter().zip(&theirs).enumerate() {
        if *code < 0 {
            continue;
        }
        let (our_code, our_last) = match ours(*mode, src) {
            Ok(ending) => ending,
            Err(why) => {
                if std::env::var_os("PYLAYOUT_SHOW_REFUSED").is_some() {
                    eprintln!("refused: {why}\n{src}");
                }
                refused += 1;
                continue;
            }
        };
        compared += 1;
        suggested += usize::from(last.contains(". Did you mean: "));
        if (our_code, &our_last) != (*code, last) {
            failures.push(format!(
                "--- ({mode:?})\n{src}  ours:    exit {our_code}: {our_last}\n  python3: exit {code}: {last}"
            ));
        } else if k < nfixed || k % 10 == 0 {
            // The binary as well: `run -`, `run -c`, `run FILE` pick `__main__`'s keys.
            let bin = process(&[exe, "run"], *mode, src, &dir);
            if bin != (*code, last.clone()) {
                failures.push(format!(
                    "--- binary ({mode:?})\n{src}  ours:    exit {}: {}\n  python3: exit {code}: {last}",
                    bin.0, bin.1
                ));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    eprintln!(
        "{} programs: {compared} compared ({suggested} with a suggestion), {refused} refused by pylayout, {} failures",
        programs.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {compared} programs end differently:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The generator must keep testing something: most programs compared, many suggested.
    assert!(refused * 10 < programs.len(), "{refused} refused");
    assert!(suggested * 3 > compared, "only {suggested} suggestions");
    assert!(suggested < compared, "every program had a suggestion");
}

/// `static NAME: [&str; N] = ["a", "b", ...];` tables of a Rust source, by name.
fn rust_tables(src: &str) -> BTreeMap<String, Vec<String>> {
    let mut tables = BTreeMap::new();
    for chunk in src.split("static ").skip(1) {
        let Some((name, rest)) = chunk.split_once(':') else {
            continue;
        };
        let body = &rest[..rest.find("];").expect("a table ends with ];")];
        let body = &body[body.find("= [").expect("a table starts with = [") + 3..];
        let items = body
            .split('"')
            .skip(1)
            .step_by(2)
            .map(String::from)
            .collect();
        tables.insert(name.trim().to_string(), items);
    }
    tables
}

/// Every list "Did you mean" uses, as python3 gives it.
#[test]
fn embedded_lists_are_python3s() {
    common::assert_python_311();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/script/suggest_tables.rs");
    let text = std::fs::read_to_string(path).expect("read the tables");
    let ours = rust_tables(&text);
    // What each table must be, computed here independently of the generator.
    const ORACLE: &str = r#"
import builtins, gc, subprocess, sys, tempfile, os
def run(args, stdin=''):
    return subprocess.run([sys.executable, *args], input=stdin, capture_output=True, text=True).stdout.split()
def f(): pass
show = lambda name, items: print(name, *items)
show('BUILTINS', builtins.__dict__)
with tempfile.TemporaryDirectory() as d:
    p = os.path.join(d, 'm.py')
    open(p, 'w').write('print(*globals())\n')
    file_keys = run([p])
assert run(['-'], 'print(*globals())\n') == file_keys
show('MAIN_GLOBALS', file_keys)
show('MAIN_GLOBALS_COMMAND', run(['-c', 'print(*globals())']))
at_exit = run(['-c', 'import sys\nsys.excepthook = lambda *a: print(*dir(sys))\n1/0'])
show('DIR_SYS', at_exit)
show('SYS_SET_BY_PRINTER', sorted(set(at_exit) - set(run(['-c', 'import sys; print(*dir(sys))']))))
show('DIR_GC', dir(gc))
values = {'INT': 1, 'BOOL': False, 'FLOAT': 1.5, 'STR': 'a', 'LIST': [1], 'TUPLE': (1,),
          'DICT': {1: 2}, 'NONETYPE': None, 'RANGE': range(2), 'FUNCTION': f,
          'BUILTIN_FUNCTION_OR_METHOD': [].append, 'DICT_KEYS': {}.keys(),
          'DICT_VALUES': {}.values(), 'DICT_ITEMS': {}.items(), 'LIST_ITERATOR': iter([]),
          'TUPLE_ITERATOR': iter(()), 'STR_ASCII_ITERATOR': iter('a'),
          'STR_ITERATOR': iter('\u20ac'), 'DICT_KEYITERATOR': iter({}),
          'DICT_VALUEITERATOR': iter({}.values()), 'DICT_ITEMITERATOR': iter({}.items()),
          'RANGE_ITERATOR': iter(range(1)), 'LONGRANGE_ITERATOR': iter(range(2 ** 64)),
          'ENUMERATE': enumerate(()), 'ZIP': zip(),
          'LIST_REVERSEITERATOR': reversed([]), 'REVERSED': reversed(()),
          'DICT_REVERSEKEYITERATOR': reversed({}),
          'DICT_REVERSEVALUEITERATOR': reversed({}.values()),
          'DICT_REVERSEITEMITERATOR': reversed({}.items()),
          'OBJECT': object(), 'MAP': map(len, []), 'FILTER': filter(None, []),
          'GENERATOR': (x for x in [])}
for e in ['BaseException', 'Exception', 'TypeError', 'StopIteration', 'ImportError',
          'RuntimeError', 'RecursionError', 'NotImplementedError', 'NameError',
          'UnboundLocalError', 'AttributeError', 'LookupError', 'IndexError', 'KeyError',
          'ValueError', 'AssertionError', 'ArithmeticError', 'OverflowError',
          'ZeroDivisionError', 'MemoryError']:
    values[e.upper()] = getattr(builtins, e)('x')
for name, v in values.items():
    show('DIR_' + name, dir(v))
show('DIR_TYPE', dir(type))
show('DIR_MODULE', dir(type(sys)))
"#;
    let (out, _) = python_io(ORACLE, "");
    let theirs: BTreeMap<String, Vec<String>> = out
        .lines()
        .map(|l| {
            let mut w = l.split(' ').map(String::from);
            (w.next().expect("a name"), w.collect())
        })
        .collect();
    assert_eq!(
        ours.keys().collect::<Vec<_>>(),
        theirs.keys().collect::<Vec<_>>(),
        "the same tables"
    );
    for (name, items) in &theirs {
        let mine = &ours[name];
        assert_eq!(
            mine.len(),
            items.len(),
            "{name}: {} names embedded, python3 has {}",
            mine.len(),
            items.len()
        );
        for (k, (a, b)) in mine.iter().zip(items).enumerate() {
            assert_eq!(a, b, "{name}[{k}]");
        }
    }
    // The lookup by type name covers every dir table.
    let lookup = &text[text.find("fn dir_of_type").expect("the lookup")..];
    for name in theirs
        .keys()
        .filter(|n| n.starts_with("DIR_") && *n != "DIR_SYS" && *n != "DIR_GC")
    {
        assert!(
            lookup.contains(&format!("&{name},")),
            "dir_of_type has {name}"
        );
    }
}
