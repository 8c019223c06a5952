//! `pylayout layout`: the ways an expression reaches it (argument, `-f FILE`, stdin), the
//! globals a script left (`--after FILE NAME...`) against python3, the size line's parts
//! against CPython's struct sizes, elision, and bad input.

mod common;

use common::pylayout_json as ok_json;
use common::pylayout_ok as ok_text;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{assert_python_311, pylayout, python_script};
use serde_json::Value;

/// A script file under the target directory, unique per test.
fn script(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli_layout");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Everything but addresses (which differ run to run): address keys dropped, numbers past
/// 2**40 (pointer values) masked.
fn without_addresses(v: &Value) -> Value {
    match v {
        Value::Number(n) if n.as_u64().is_some_and(|x| x > 1 << 40) => Value::from("<addr>"),
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !k.contains("address"))
                .map(|(k, v)| (k.clone(), without_addresses(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(without_addresses).collect()),
        other => other.clone(),
    }
}

#[test]
fn an_expression_from_a_file_or_stdin_is_the_argument_form() {
    let expr = "[1, 'two', (3.0, None), {'k': [4]}]";
    let direct = without_addresses(&ok_json(&["layout", "--json", "--depth", "2", expr]));
    let file = script("expr.txt", &format!("{expr}\n"));
    let from_file = ok_json(&[
        "layout",
        "--json",
        "--depth",
        "2",
        "-f",
        file.to_str().unwrap(),
    ]);
    assert_eq!(without_addresses(&from_file), direct);
    let mut child = Command::new(env!("CARGO_BIN_EXE_pylayout"))
        .args(["layout", "--json", "--depth", "2", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(expr.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let from_stdin: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(without_addresses(&from_stdin), direct);
}

/// The globals a script left: type, `sys.getsizeof` and refcount of each, as python3 shows
/// them at the end of the same script.
#[test]
fn after_a_script_the_named_globals_are_what_python_shows() {
    assert_python_311();
    let body = "\
a = [i * 1000 for i in range(37)]
b = a
d = {'x': a, 'y': 'text' * 20, 3: (1.5, a)}
t = tuple(a[:5])
s = 'héllo wörld' + str(len(a))
big = 7 ** 200
del b
e = {}
def f(x=[1, 2], *, y=3):
    return x
def mk():
    n = [5]
    def inner():
        return n
    return inner
h = mk()
fs = [lambda: 0, h, f]
";
    let names = ["a", "d", "t", "s", "big", "e", "f", "h", "fs"];
    let file = script("globals.py", body);
    let mut args = vec!["layout", "--json", "--after", file.to_str().unwrap()];
    args.extend(names);
    let v = ok_json(&args);
    let layouts = v["layouts"].as_array().unwrap();
    assert_eq!(layouts.len(), names.len());
    let probe = format!(
        "{body}import sys\nfor n in {names:?}:\n    o = globals()[n]\n    \
         print(n, type(o).__name__, sys.getsizeof(o), sys.getrefcount(o) - 1)\n"
    );
    let (want, _) = python_script(&probe);
    for (line, l) in want.lines().zip(layouts) {
        let lay = &l["layout"];
        let refcnt = lay["fields"][0]["value"].as_i64().unwrap();
        // `sys.getrefcount(o) - 1` counts the loop's `o` too (one more than the global).
        let ours = format!(
            "{} {} {} {}",
            l["name"].as_str().unwrap(),
            lay["type"].as_str().unwrap(),
            lay["size"],
            refcnt + 1
        );
        assert_eq!(ours, line, "{l:#}");
    }
    assert_eq!(v["script"]["stdout"], "");
}

/// The size line's parts add up to `sys.getsizeof`; the struct's part is CPython's
/// `__basicsize__` (plus inline items for a tuple, the whole object for str and int); the
/// owned blocks are the list's `allocated` slots and the dict's keys object.
#[test]
fn size_parts_are_cpythons() {
    assert_python_311();
    let exprs = [
        "[]",
        "[1, 2, 3]",
        "list(range(100))",
        "()",
        "(1, 'a')",
        "{}",
        "{'a': 1}",
        "{1: 2, 3: 4}",
        "dict.fromkeys(range(20))",
        "'abc'",
        "'é' * 40",
        "1.5",
        "2 ** 100",
    ];
    let probe = format!(
        "import sys\nfor e in {exprs:?}:\n    x = eval(e)\n    \
         gc = sys.getsizeof(x) - x.__sizeof__()\n    \
         print(sys.getsizeof(x), gc, type(x).__basicsize__ + type(x).__itemsize__ * \
         (len(x) if type(x) is tuple else 0))\n"
    );
    let (want, _) = python_script(&probe);
    for (expr, line) in exprs.iter().zip(want.lines()) {
        let v = ok_json(&["layout", "--json", expr]);
        let parts = v["size_parts"].as_array().unwrap();
        let total: u64 = parts.iter().map(|p| p["bytes"].as_u64().unwrap()).sum();
        let w: Vec<u64> = line.split(' ').map(|x| x.parse().unwrap()).collect();
        assert_eq!(total, w[0], "{expr}: {parts:?}");
        assert_eq!(v["size"].as_u64().unwrap(), w[0], "{expr}");
        let gc = parts
            .iter()
            .find(|p| p["name"] == "PyGC_Head")
            .map_or(0, |p| p["bytes"].as_u64().unwrap());
        assert_eq!(gc, w[1], "{expr}: the GC head");
        let own = parts
            .iter()
            .find(|p| p["name"].as_str().unwrap().starts_with("Py") && p["name"] != "PyGC_Head")
            .unwrap()["bytes"]
            .as_u64()
            .unwrap();
        match v["type"].as_str().unwrap() {
            "list" | "tuple" | "dict" => assert_eq!(own, w[2], "{expr}: the struct"),
            // str and int: the whole object is one block (variable-size, inline data).
            _ => assert_eq!(own, w[0], "{expr}: the struct"),
        }
        if v["type"] == "list" {
            let allocated = v["fields"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["name"] == "allocated")
                .unwrap()["value"]
                .as_u64()
                .unwrap();
            let separate: u64 = parts
                .iter()
                .filter(|p| p["separate"] == true)
                .map(|p| p["bytes"].as_u64().unwrap())
                .sum();
            assert_eq!(separate, 8 * allocated, "{expr}");
        }
    }
}

/// Placement is one of three, and says which: a pool block (with its class), the system
/// allocator (over 512 bytes), or static data.
#[test]
fn placement_is_said_precisely() {
    let cases = [
        ("[1]", "pool"),
        ("'a' * 600", "system"),
        ("None", "static"),
        ("()", "static"),
        ("5", "static"),
        ("10 ** 2000", "system"),
        ("10 ** 400", "pool"),
        ("(1, 2)", "pool"),
    ];
    for (expr, kind) in cases {
        let v = ok_json(&["layout", "--json", expr]);
        assert_eq!(v["placement"]["kind"], kind, "{expr}: {:#}", v["placement"]);
        let text = ok_text(&["layout", expr]);
        let line = text.lines().find(|l| l.starts_with("placement:")).unwrap();
        assert!(!line.contains(" or "), "{expr}: {line}");
    }
    let v = ok_json(&["layout", "--json", "[0] * 100"]);
    assert_eq!(v["blocks"][0]["placement"]["kind"], "system");
    assert_eq!(v["blocks"][0]["placement"]["bytes"], 800);
}

#[test]
fn long_containers_are_elided_with_a_count() {
    let text = ok_text(&["layout", "list(range(1000))", "--max-items", "5"]);
    assert!(
        text.contains("ob_item[5..=999]") && text.contains("995 more elements elided"),
        "{text}"
    );
    assert!(text.contains("… 995 more (--max-items 5)"), "{text}");
    assert!(text.lines().count() < 60, "{} lines", text.lines().count());
    // A 120,000-character string is a few lines, in the table and in the diagram.
    let text = ok_text(&["layout", "'x' * 120000"]);
    assert!(text.lines().count() < 40, "{} lines", text.lines().count());
    assert!(text.contains("(120,000 characters)"), "{text}");
    let text = ok_text(&["layout", "'x' * 120000", "--diagram"]);
    assert!(text.lines().count() < 40, "{} lines", text.lines().count());
    assert!(text.contains("the same for"), "{text}");
    // The default view is the table; the diagram only when asked.
    let table = ok_text(&["layout", "[1, 2]"]);
    assert!(table.contains("offset") && !table.contains("PyGC_Head: _gc_next"));
    let diagram = ok_text(&["layout", "[1, 2]", "--diagram"]);
    assert!(diagram.contains("PyGC_Head: _gc_next"), "{diagram}");
    // JSON elides nothing.
    let v = ok_json(&["layout", "--json", "list(range(1000))", "--max-items", "5"]);
    assert_eq!(v["blocks"][0]["fields"].as_array().unwrap().len(), 1000);
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    let ok = script("ok.py", "a = [1]\ndef f():\n    pass\ng = (x for x in a)\n");
    let unsupported = script("unsupported.py", "class C:\n    pass\n");
    let raises = script("raises.py", "a = [1]\nb = a[5]\n");
    let ok = ok.to_str().unwrap();
    let cases: Vec<(Vec<&str>, i32, &str)> = vec![
        (
            vec!["layout", "--after", "/no/such/file.py", "a"],
            2,
            "cannot read",
        ),
        (
            vec!["layout", "--after", unsupported.to_str().unwrap(), "a"],
            2,
            "unsupported",
        ),
        (
            vec!["layout", "--after", ok, "zz"],
            2,
            "no global named 'zz'",
        ),
        (vec!["layout", "--after", ok, "g"], 2, "generator"),
        (vec!["layout", "--after", ok], 2, "needs the names"),
        (vec!["layout", "[1]", "--max-items", "0"], 2, "at least 1"),
        (vec!["layout", "-f", "/no/such/expr"], 2, "cannot read"),
        (vec!["layout", "1", "2"], 2, "error"),
        (
            vec!["layout", "--after", raises.to_str().unwrap(), "a"],
            1,
            "IndexError",
        ),
    ];
    for (args, code, needle) in cases {
        let out = pylayout(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

/// `layout --after` names the pool an object sits in; `pool --map --after` of the same script
/// rebuilds the same heap and shows that pool in use with the object's size class.
#[test]
fn layout_after_points_into_the_pool_map() {
    let file = script(
        "mapped.py",
        "junk = [[i] for i in range(3000)]\na = [1, 2, 3]\nd = {'k': a}\ndel junk\n",
    );
    let file = file.to_str().unwrap();
    let v = ok_json(&["layout", "--json", "--after", file, "a", "d"]);
    let map = ok_json(&["pool", "--map", "--json", "--after", file]);
    let arenas = map["map"]["arenas"].as_array().unwrap();
    let text = ok_text(&["layout", "--after", file, "a"]);
    assert!(text.contains("On the pool map"), "{text}");
    for l in v["layouts"].as_array().unwrap() {
        let lay = &l["layout"];
        let mut places = vec![&lay["placement"]];
        places.extend(
            lay["blocks"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| &b["placement"]),
        );
        for p in places {
            assert_eq!(p["kind"], "pool", "{p}");
            let arena = arenas
                .iter()
                .find(|a| a["index"] == p["arena_index"])
                .expect("the arena is on the map");
            let pool = &arena["pools"][p["pool_index"].as_u64().unwrap() as usize];
            assert_eq!(pool["size_class"], p["size_class"], "{pool} vs {p}");
            assert_ne!(pool["state"], "empty");
            assert!(
                pool["blocks_in_use"].as_u64().unwrap() > p["block_index"].as_u64().unwrap() / 1000
            );
        }
    }
}
