//! Every example runs, exits 0, prints its key numbers — the ones CPython also has equal to
//! what python3 3.11 prints — and closes with `pylayout` commands that really run.
//!
//! The examples' binaries are found next to this test's (`target/<profile>/examples/`, where
//! `cargo test` builds them); when one is missing (`cargo test --test examples` does not
//! build examples) it is built with `cargo build --example NAME` into the same target dir.

mod common;

use std::path::PathBuf;
use std::process::Command;
use std::sync::Mutex;

use common::{assert_python_311, pylayout, python};

/// One `cargo build` at a time: they would only wait on each other's lock anyway.
static BUILD: Mutex<()> = Mutex::new(());

/// `target/<profile>`: this test binary lives in `target/<profile>/deps`.
fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    exe.parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>/deps/<test>")
        .to_path_buf()
}

fn example_bin(name: &str) -> PathBuf {
    let dir = profile_dir();
    let bin = dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    if bin.exists() {
        return bin;
    }
    let _one = BUILD.lock().unwrap_or_else(|e| e.into_inner());
    if bin.exists() {
        return bin;
    }
    let target = dir.parent().expect("target/<profile>");
    let mut cmd = Command::new(env!("CARGO"));
    cmd.args(["build", "--quiet", "--example", name, "--target-dir"])
        .arg(target)
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    if dir.file_name().is_some_and(|p| p == "release") {
        cmd.arg("--release");
    }
    let status = cmd.status().expect("run cargo build");
    assert!(status.success(), "cargo build --example {name} failed");
    assert!(bin.exists(), "{} was not built", bin.display());
    bin
}

/// Run an example; assert it exits 0; return its stdout.
fn run_example(name: &str) -> String {
    let out = Command::new(example_bin(name))
        .output()
        .expect("run the example");
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
    assert!(
        out.status.success(),
        "example {name} failed: {}\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Split a command line as a shell would for the simple quoting the examples use: double
/// quotes, and `\"` / `\\` inside them.
fn shell_words(line: &str) -> Vec<String> {
    let (mut words, mut cur, mut quoted, mut any) = (Vec::new(), String::new(), false, false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            '\\' if quoted && matches!(chars.peek(), Some('"' | '\\')) => {
                cur.push(chars.next().expect("peeked"));
            }
            ' ' if !quoted => {
                if any || !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                }
                any = false;
            }
            _ => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// The commands under "Explore further:", each run with the built binary.
fn check_explore_commands(name: &str, out: &str) {
    let (_, tail) = out
        .split_once("\nExplore further:\n")
        .unwrap_or_else(|| panic!("{name}: no 'Explore further:' section"));
    let commands: Vec<&str> = tail
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    assert!(!commands.is_empty(), "{name}: no commands to explore");
    for line in commands {
        let words = shell_words(line);
        assert_eq!(words[0], "pylayout", "{name}: {line}");
        let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
        let o = pylayout(&args);
        assert!(
            o.status.success(),
            "{name}: `{line}` failed: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

/// The text between two marker lines.
fn between<'a>(out: &'a str, start: &str, end: &str) -> &'a str {
    let from = out
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in:\n{out}"))
        + start.len();
    let len = out[from..]
        .find(end)
        .unwrap_or_else(|| panic!("no {end:?} after {start:?}"));
    out[from..from + len].trim_start_matches('\n')
}

/// The value after `prefix` on the line that starts with it.
fn value<'a>(out: &'a str, prefix: &str) -> &'a str {
    out.lines()
        .find_map(|l| l.strip_prefix(prefix))
        .unwrap_or_else(|| panic!("no line starting {prefix:?} in:\n{out}"))
        .trim()
}

fn snippet(out: &str) -> &str {
    between(out, "--- snippet ---\n", "--- end of snippet ---")
}

#[test]
fn refcount_counts_are_python3s() {
    assert_python_311();
    let out = run_example("refcount");
    let src = snippet(&out);
    let ours = between(&out, "--- pylayout's runner prints ---\n", "(each number");
    assert_eq!(
        ours,
        python(src),
        "refcount: the runner's counts vs python3's"
    );
    // The sequence itself: 4 rises to 5, then back down to 2.
    let counts: Vec<u32> = ours
        .lines()
        .map(|l| l.rsplit(' ').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(counts, [2, 3, 4, 5, 4, 3, 4, 3, 2, 4, 2]);
    let small: i64 = value(&out, "small int 7:").parse().unwrap();
    let cpython: i64 = python("import sys; print(sys.getrefcount(7))")
        .trim()
        .parse()
        .unwrap();
    assert!(
        small >= 999_999_999 && cpython >= 999_999_999,
        "{small} {cpython}"
    );
    assert!(out.contains("ob_refcnt of 10000: 1; after clone (an alias): 2; after drop: 1"));
    check_explore_commands("refcount", &out);
}

#[test]
fn cycles_collects_what_python3_collects() {
    assert_python_311();
    let out = run_example("cycles");
    let src = snippet(&out);
    let py = python(&format!("{src}print(gc.collect())\n"));
    let mut py_lines = py.lines();
    assert_eq!(
        py_lines.next().unwrap(),
        between(&out, "--- pylayout's runner prints ---\n", "(a:").trim_end(),
    );
    let returned = value(&out, "gc.collect() returned");
    assert_eq!(
        returned,
        py_lines.next().unwrap(),
        "gc.collect() vs python3"
    );
    assert_eq!(returned, "2");
    assert!(out.contains("refcounts with names: 2 2"));
    assert_eq!(
        value(
            &out,
            "the plan (computed on a copy) agreed with the real collection:"
        ),
        "true"
    );
    // Two rows freed, keep[0] put aside and moved back.
    assert_eq!(out.matches("unreachable: freed").count(), 2);
    assert!(out.contains("reachable from #2"));
    check_explore_commands("cycles", &out);
}

#[test]
fn memory_pyramid_fills_empties_and_returns() {
    let out = run_example("memory_pyramid");
    assert!(out.contains("a 513-byte request is in a pool: false"));
    assert!(out.contains("Full, 31 / 31 blocks of 512 bytes"));
    assert!(out.contains("Empty (on its arena's free pools)"));
    assert!(out.contains("the empty pool took a new class: true"));
    let last = out.lines().rfind(|l| l.starts_with("arenas:")).unwrap();
    // Three arenas' worth freed (how many arenas that took depends on their alignment): all
    // but the arena still holding a pool, and the one kept wholly free, were unmapped.
    let num = |key: &str| -> usize {
        let (_, rest) = last.split_once(key).unwrap();
        rest.trim_start()
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    let (total, reclaimed, current) = (num("total"), num("reclaimed"), num("current"));
    assert!(
        reclaimed >= 2 && current <= 2 && total == reclaimed + current,
        "{last}"
    );
    assert!(out.contains("wholly free arena kept (not unmapped, to avoid thrashing): "));
    check_explore_commands("memory_pyramid", &out);
}

#[test]
fn list_vs_linked_list_counts() {
    assert_python_311();
    let out = run_example("list_vs_linked_list");
    let ours: Vec<String> = out
        .lines()
        .filter(|l| l.starts_with("len "))
        .map(|l| l.rsplit(' ').next().unwrap().to_string())
        .collect();
    let py = python(
        "import sys\nl = []\nfor i in range(10):\n    l.append(0)\n    print(sys.getsizeof(l))\n",
    );
    assert_eq!(
        ours,
        py.lines().collect::<Vec<_>>(),
        "getsizeof after each append"
    );
    assert_eq!(
        value(&out, "sys.getsizeof([]) ="),
        python("import sys; print(sys.getsizeof([]))").trim()
    );
    // Front: the list moves pointers, the linked list walks nothing; middle: it walks.
    let row = |op: &str, at: &str, who: &str| -> Vec<f64> {
        let l = out
            .lines()
            .find(|l| l.starts_with(op) && l.contains(at) && l.contains(who))
            .unwrap_or_else(|| panic!("no row {op} {at} {who}"));
        l.split_whitespace()
            .rev()
            .take(4)
            .map(|v| v.parse().unwrap())
            .collect::<Vec<f64>>()
            .into_iter()
            .rev()
            .collect()
    };
    let [moves, hops, ..] = row("insert", "front", "list (pylayout)")[..] else {
        unreachable!()
    };
    assert!(moves >= 1000.0 && hops == 0.0);
    let [moves, hops, allocs, _] = row("insert", "middle", "LinkedList")[..] else {
        unreachable!()
    };
    assert!(moves == 0.0 && hops > 400.0 && allocs == 1.0);
    let [moves, ..] = row("insert", "back", "list (pylayout)")[..] else {
        unreachable!()
    };
    assert_eq!(moves, 0.0);
    assert!(out.contains("N = 400: list (pylayout) compared"));
    check_explore_commands("list_vs_linked_list", &out);
}

#[test]
fn tuple_sizes_are_python3s() {
    assert_python_311();
    let out = run_example("tuple");
    let py = python(
        "import sys\na, b, c = 0.5, 1.5, 2.5\nt = tuple(range(1000))\n\
         print(sys.getsizeof((a, b, c)), sys.getsizeof([a, b, c]), sys.getsizeof(()))\n\
         print(sys.getsizeof(t), sys.getsizeof(t + (a,)), len(t + (a,)))\n",
    );
    let mut py = py.split_whitespace();
    let mut next = || py.next().unwrap().to_string();
    assert_eq!(
        value(&out, "sys.getsizeof((a, b, c)) =")
            .split(' ')
            .next()
            .unwrap(),
        next()
    );
    assert_eq!(
        value(&out, "sys.getsizeof([a, b, c]) =")
            .split(',')
            .next()
            .unwrap(),
        next()
    );
    assert_eq!(value(&out, "sys.getsizeof(()) ="), next());
    assert!(out.contains(&format!("sys.getsizeof(t) = {}", next())));
    assert!(out.contains(&format!(
        "sys.getsizeof = {}, pointers copied: {}",
        next(),
        next()
    )));
    assert!(out.contains("same address: true"));
    assert!(out.contains("() is tuple(): true; t[0:0] is (): true; statically allocated: true"));
    assert!(out.contains("20-tuples on the free list: 1"));
    assert!(out.contains("item offsets inside the tuple object: [24, 32, 40]; separate blocks: 0"));
    check_explore_commands("tuple", &out);
}

/// Read a dict's `dk_indices` with ctypes (3.11: `ma_keys` at +32; in the keys object
/// `dk_log2_size` at +8, `dk_log2_index_bytes` at +9, the indices at +32).
const PY_INDICES: &str = "\
import ctypes, sys
def indices(d):
    keys = ctypes.c_void_p.from_address(id(d) + 32).value
    log2 = ctypes.c_uint8.from_address(keys + 8).value
    width = 1 << (ctypes.c_uint8.from_address(keys + 9).value - log2)
    ty = {1: ctypes.c_int8, 2: ctypes.c_int16, 4: ctypes.c_int32, 8: ctypes.c_int64}[width]
    return [ty.from_address(keys + 32 + i * width).value for i in range(1 << log2)]
def show(stage, d):
    print(f'indices[{stage}] = {indices(d)}')
    print(f'getsizeof[{stage}] = {sys.getsizeof(d)}')
";

#[test]
fn dict_inside_matches_python3s_memory() {
    assert_python_311();
    let out = run_example("dict_inside");
    let keys = |prefix: &str| value(&out, prefix).to_string();
    let script = format!(
        "{PY_INDICES}d = {{}}\nprint(f'sys.getsizeof({{{{}}}}) = {{sys.getsizeof(d)}}')\n\
         for k in [{ins}]: d[k] = None\nshow('inserted', d)\n\
         del d[{del}]\nshow('deleted', d)\n\
         for k in [{fill}]: d[k] = None\nshow('full', d)\n\
         d[{resize}] = None\nshow('resized', d)\nprint(f'list(d) = {{list(d)}}')\n\
         s = {{k: None for k in 'abcde'}}\ni = {{k: None for k in range(1, 6)}}\n\
         print(sys.getsizeof(s), sys.getsizeof(i))\n",
        ins = keys("keys inserted:"),
        del = keys("key deleted:"),
        fill = keys("keys filled:"),
        resize = keys("resize key:"),
    );
    let py = python(&script);
    let mut lines = py.lines();
    let empty = lines.next().unwrap();
    assert!(out.contains(empty), "{empty}");
    for _ in 0..9 {
        let l = lines.next().unwrap();
        assert!(
            out.lines().any(|o| o == l),
            "python3 says `{l}`; the example printed:\n{out}"
        );
    }
    let sizes: Vec<&str> = lines.next().unwrap().split(' ').collect();
    assert_eq!(
        value(&out, "5 str keys: sys.getsizeof =")
            .split(' ')
            .next()
            .unwrap(),
        sizes[0]
    );
    assert_eq!(
        value(&out, "5 int keys: sys.getsizeof =")
            .split(' ')
            .next()
            .unwrap(),
        sizes[1]
    );
    assert!(
        out.contains("holds -2 -> slot 3"),
        "the lookup walks past the dummy"
    );
    check_explore_commands("dict_inside", &out);
}

#[test]
fn str_kinds_sizes_and_hashes_are_python3s() {
    assert_python_311();
    let out = run_example("str_kinds");
    let labelled: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("getsizeof[") || l.starts_with("hash["))
        .collect();
    assert_eq!(labelled.len(), 4 + 5);
    let script: String = labelled
        .iter()
        .map(|l| {
            let (label, _) = l.split_once(" = ").unwrap();
            let (f, lit) = label.split_once('[').unwrap();
            let lit = lit.strip_suffix(']').unwrap();
            let call = if f == "hash" { "hash" } else { "sys.getsizeof" };
            format!("print('{f}[' + repr({lit}) + '] = ' + str({call}({lit})))\n")
        })
        .collect();
    let py = python(&format!("import sys\n{script}"));
    assert_eq!(py.lines().collect::<Vec<_>>(), labelled);
    assert!(out.contains("a fresh 'abc': hash field = -1"));
    assert!(out.contains("after sys.intern on both: a is b = true"));
    assert!(out.contains("two 'hello world' objects: a is b = false"));
    check_explore_commands("str_kinds", &out);
}

#[test]
fn myths_every_claim_has_a_verdict() {
    let out = run_example("myths");
    let verdicts: Vec<&str> = (1..)
        .map_while(|n| {
            out.lines()
                .find_map(|l| l.strip_prefix(&format!("verdict {n}: ")))
        })
        .collect();
    let expected = [
        "true",
        "true",
        "false",
        "true",
        "true",
        "out of date",
        "out of date since 3.10",
        "partly",
        "false",
        "false",
        "true",
        "partly",
        "false",
        "partly",
    ];
    assert_eq!(verdicts.len(), expected.len(), "{out}");
    for (n, (got, want)) in verdicts.iter().zip(expected).enumerate() {
        assert!(
            got.starts_with(want),
            "claim {}: {got} (want {want})",
            n + 1
        );
        assert!(out.contains(&format!("claim {}: ", n + 1)));
    }
    assert_eq!(out.matches("\nevidence: ").count(), expected.len());
    assert!(
        out.contains("same address: true"),
        "an int's block serves a float"
    );
    assert!(out.contains("SMALL_REQUEST_THRESHOLD = 512 bytes, in 32 size classes"));
    check_explore_commands("myths", &out);
}

#[test]
fn snippet_and_pyramid_still_run() {
    for name in ["snippet", "pyramid"] {
        let out = run_example(name);
        assert!(!out.is_empty(), "{name} printed nothing");
    }
}

#[test]
fn shell_words_splits_like_a_shell() {
    assert_eq!(
        shell_words(r#"pylayout layout "'abc\u4e2d'" -n 3"#),
        ["pylayout", "layout", r"'abc\u4e2d'", "-n", "3"]
    );
    assert_eq!(
        shell_words(r#"pylayout run -c "print(\"a b\")""#),
        ["pylayout", "run", "-c", r#"print("a b")"#]
    );
}
