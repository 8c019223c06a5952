//! The command line: JSON shape and accounting, bad input (exit 2, a message, no panic),
//! broken pipes, and the tour's numbers against python3.

mod common;

use common::pylayout_json as json;
use common::pylayout_ok as stdout;

use common::{assert_python_311, pylayout, python};
use serde_json::Value;
use std::io::Read;
use std::process::{Command, Stdio};

fn sum(v: &Value, key: &str) -> u64 {
    v["size_classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c[key].as_u64().unwrap())
        .sum()
}

#[test]
fn pool_json_has_the_documented_keys() {
    let v = json(&["pool", "--json"]);
    for key in [
        "small_request_threshold",
        "alignment",
        "pool_size",
        "pool_header_size",
        "arena_size",
        "arenas_allocated_total",
        "arenas_reclaimed",
        "arenas_highwater_mark",
        "arenas_allocated_current",
        "bytes_in_allocated_blocks",
        "bytes_in_available_blocks",
        "bytes_lost_to_pool_headers",
        "bytes_lost_to_quantization",
        "bytes_lost_to_arena_alignment",
        "total",
        "workload",
    ] {
        assert!(!v[key].is_null(), "missing {key}");
    }
    let classes = v["size_classes"].as_array().unwrap();
    assert_eq!(classes.len(), 32);
    for c in classes {
        for key in [
            "index",
            "size",
            "blocks_per_pool",
            "pools",
            "blocks_in_use",
            "avail_blocks",
        ] {
            assert!(c[key].is_u64(), "size class without {key}: {c}");
        }
    }
}

#[test]
fn pool_json_accounts_for_the_workload() {
    for count in ["0", "1", "500", "3000"] {
        let v = json(&["pool", "--json", "--workload", "objects", "--count", count]);
        let live = v["workload"]["live_objects"].as_u64().unwrap();
        let free_floats = v["free_float_objects"].as_u64().unwrap();
        // Every live int/float and every float on the free list holds one pool block.
        assert_eq!(
            sum(&v, "blocks_in_use"),
            live + free_floats,
            "count {count}"
        );
        let bytes: u64 = v["size_classes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["size"].as_u64().unwrap() * c["blocks_in_use"].as_u64().unwrap())
            .sum();
        assert_eq!(v["bytes_in_allocated_blocks"].as_u64().unwrap(), bytes);
    }
    let v = json(&["pool", "--json", "--workload", "none"]);
    assert_eq!(sum(&v, "blocks_in_use"), 0);
    assert_eq!(v["arenas_allocated_current"], 0);
    let v = json(&["pool", "--json", "--workload", "blocks", "--count", "2000"]);
    assert_eq!(
        sum(&v, "blocks_in_use"),
        v["workload"]["live_blocks"].as_u64().unwrap()
    );
}

#[test]
fn pool_text_says_what_ran_and_lists_classes() {
    let text = stdout(&["pool", "--workload", "blocks", "--count", "100"]);
    assert!(text.contains("blocks"), "{text}");
    assert!(text.contains("# arenas allocated total"), "{text}");
    let all = stdout(&["pool", "--workload", "none", "--all-classes"]);
    assert!(all.lines().count() > 32, "{all}");
}

/// `[[[...]]]` 30,000 deep (an argument must stay under 128 KiB).
static NESTED: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| "[".repeat(30_000) + &"]".repeat(30_000));

#[test]
fn bad_input_exits_2_with_a_message() {
    for args in [
        &["pool", "--bogus"][..],
        &["pool", "--count", "x"],
        &["pool", "--count", "-1"],
        &["pool", "--count", "1000001"],
        &["pool", "--count", "99999999999999999999999"],
        &["pool", "--workload", "everything"],
        &["gc", "--cycles", "1000001"],
        &["gc", "--keep", "x"],
        &["grow", "dict", "--to", "2000000000000"],
        &["grow", "list", "--keys", "int"],
        &["grow", "set"],
        &["no-such-command"],
        &[],
        // Odd expressions for `layout`: too big to build, too big to show, not one
        // expression, not Python, nested past the parser's depth.
        &["layout", "[0]*10**12"],
        &["layout", "'a'*10**10"],
        &["layout", "2**10**10"],
        &["layout", "[0]*10**6"],
        &["layout", "'a'*10**8"],
        &["layout", "--depth", "2", "[[0]*1000]*1000"],
        &["layout", ""],
        &["layout", "("],
        &["layout", "x = 1"],
        &["layout", "1/0"],
        &["layout", "range(3)"],
        &["layout", &NESTED],
    ] {
        let out = pylayout(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        // No arguments at all prints the usage (clap's `arg_required_else_help`).
        assert!(
            err.contains("error") || (args.is_empty() && err.contains("Usage")),
            "{args:?}: {err}"
        );
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

/// `layout` refuses an object too big to show before building it, not after: a gigabyte
/// string used to take seconds to build, then was refused for its size.
#[test]
fn layout_refuses_a_huge_object_before_building_it() {
    for expr in [
        "'a' * 10**9",
        "[0] * 10**9",
        "list(range(10**8))",
        "(0,) * 10**9",
    ] {
        let start = std::time::Instant::now();
        let out = pylayout(&["layout", expr]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{expr}: {err}");
        assert!(err.contains("memory limit reached"), "{expr}: {err}");
        assert!(err.contains("64 MiB"), "{expr}: {err}");
        assert!(
            start.elapsed().as_secs() < 5,
            "{expr} took {:?}",
            start.elapsed()
        );
    }
}

#[test]
fn help_and_version_exit_0() {
    for args in [&["--help"][..], &["pool", "--help"], &["--version"]] {
        let out = pylayout(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(!out.stdout.is_empty());
    }
}

#[test]
fn a_closed_pipe_is_not_a_panic() {
    for args in [
        &["pool", "--all-classes", "--workload", "blocks"][..],
        &["tour"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pylayout"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Read one byte, then hang up, like `| head -c1`.
        let mut first = [0u8; 1];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

/// The numbers the tour prints are CPython's.
#[test]
fn tour_numbers_match_python() {
    assert_python_311();
    let tour = stdout(&["tour"]);
    let expect = python(
        "import sys\n\
         x = 2 ** int('40')\n\
         print(f'sys.getsizeof(x) = {sys.getsizeof(x)}.')\n\
         print(f\"-> a is b: {int('256') is int('256')}\")\n\
         print(f\"-> c is d: {int('257') is int('257')}  (each 257 is a new {sys.getsizeof(257)}-byte object)\")\n\
         y = x\n\
         print(f'y = x          -> ob_refcnt {sys.getrefcount(x) - 1}')\n\
         del y\n\
         print(f'del y          -> ob_refcnt {sys.getrefcount(x) - 1}')\n\
         l = []\n\
         sizes = []\n\
         for _ in range(10):\n    \
             l.append(0); sizes.append(str(sys.getsizeof(l)))\n\
         print('l = []; l.append(0) ten times -> sys.getsizeof(l): ' + ' '.join(sizes))\n\
         w = ['abcd', 'abc\\xe9', 'abc\\u4e2d', 'abc\\U0001f600']\n\
         print('sys.getsizeof: ' + ', '.join(f'{t!r} {sys.getsizeof(t)}' for t in w))\n\
         import gc\n\
         gc.disable(); gc.collect()\n\
         a = []; a.append(a); del a\n\
         print(f'del a      -> refcount stays 1; gc.collect() returns {gc.collect()}')\n\
         a = []; d = {'a': a}; a.append(d); del a, d\n\
         print(f'del a, d -> gc.collect() returns {gc.collect()}')\n",
    );
    for line in expect.lines() {
        assert!(
            tour.contains(line),
            "tour lacks python3's `{line}`:\n{tour}"
        );
    }
}

/// `pylayout gc` finds what python3's gc.collect() finds for the same cycles.
#[test]
fn gc_view_matches_python() {
    assert_python_311();
    for (cycles, keep) in [(0, 0), (1, 5), (1000, 1000), (12345, 10)] {
        let v = json(&[
            "gc",
            "--json",
            "--cycles",
            &cycles.to_string(),
            "--keep",
            &keep.to_string(),
        ]);
        let theirs = python(
            &format!(
                "import gc\n\
             gc.disable(); gc.collect()\n\
             root = [[] for _ in range({keep})]\n\
             for _ in range({cycles}):\n    \
                 a = []; b = {{'a': a}}; a.append(b)\n\
             del a, b\n\
             print(gc.collect())\n"
            )
            .replace("del a, b\n", if cycles > 0 { "del a, b\n" } else { "" }),
        );
        assert_eq!(
            v["collect_returned"].to_string(),
            theirs.trim(),
            "{cycles} cycles"
        );
        // Per cycle: the list, its item array, the dict, its keys table — all released
        // (a full collection also empties the free lists they would have gone to).
        let (before, after) = (
            v["blocks_before"].as_u64().unwrap(),
            v["blocks_after"].as_u64().unwrap(),
        );
        assert_eq!(before - after, 4 * cycles as u64, "{cycles} cycles");
    }
    let text = stdout(&["gc", "--cycles", "10"]);
    assert!(text.contains("gc.collect() -> 20"), "{text}");
}

/// A traceback names the script as python3 does since 3.9: the working directory joined with
/// the path as given, not normalised (`config_run_filename_abspath`).
#[test]
fn traceback_paths_are_absolute_as_python3_prints_them() {
    let dir = std::env::temp_dir().join(format!("pylayout-tb-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("sub/z.py"), "x = 1\n1 / 0\n").unwrap();
    let file_line = |out: &std::process::Output| {
        String::from_utf8_lossy(&out.stderr)
            .lines()
            .find(|l| l.trim_start().starts_with("File "))
            .map(str::to_owned)
    };
    for path in ["sub/z.py", "./sub/z.py", "sub/../sub/z.py"] {
        let ours = Command::new(env!("CARGO_BIN_EXE_pylayout"))
            .args(["run", path])
            .current_dir(&dir)
            .output()
            .unwrap();
        let theirs = Command::new(common::python_exe())
            .arg(path)
            .current_dir(&dir)
            .env("PYTHONHASHSEED", "0")
            .output()
            .unwrap();
        assert_eq!(ours.status.code(), Some(1));
        let line = file_line(&theirs);
        assert!(line.is_some(), "python3 printed no File line for {path}");
        assert_eq!(file_line(&ours), line, "{path}");
    }
    std::fs::remove_dir_all(&dir).ok();
}
