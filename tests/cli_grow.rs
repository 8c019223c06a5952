//! `pylayout grow`: the resize points and their count against python3 (`sys.getsizeof` after
//! every append), the summary in JSON and text, the SVG chart (dots at the resizes, one
//! marker per resize), and bad input.

mod common;

use common::count as u;
use common::pylayout_json as json;

use common::{assert_python_311, pylayout, python};
use serde_json::Value;

/// The program printing (len, sys.getsizeof) at every change while `stmt` grows `x` from
/// `init` for i in 1..=n.
fn growth_program(init: &str, stmt: &str, n: u64) -> String {
    format!(
        "import sys\nx = {init}\nlast = sys.getsizeof(x)\nprint(0, last)\n\
         for i in range(1, {n} + 1):\n    {stmt}\n    s = sys.getsizeof(x)\n    \
         if s != last:\n        print(i, s)\n        last = s\n"
    )
}

/// (len, sys.getsizeof) at every change, from python3.
fn oracle(init: &str, stmt: &str, n: u64) -> Vec<(u64, u64)> {
    pairs(&python(&growth_program(init, stmt, n)))
}

fn pairs(text: &str) -> Vec<(u64, u64)> {
    text.lines()
        .map(|l| {
            let (a, b) = l.split_once(' ').unwrap();
            (a.parse().unwrap(), b.parse().unwrap())
        })
        .collect()
}

fn ours(v: &Value) -> Vec<(u64, u64)> {
    v["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (u(&p["len"]), u(&p["size"])))
        .collect()
}

#[test]
fn resize_points_and_counts_are_cpythons() {
    assert_python_311();
    let cases: [(&[&str], &str, &str, u64); 3] = [
        (&["list"], "[]", "x.append(None)", 5000),
        (&["dict", "--keys", "str"], "{}", "x[str(i)] = None", 20000),
        (&["dict", "--keys", "int"], "{}", "x[i] = None", 20000),
    ];
    for (what, init, stmt, n) in cases {
        let to = n.to_string();
        let mut args = vec!["grow"];
        args.extend_from_slice(what);
        args.extend_from_slice(&["--to", &to, "--json"]);
        let v = json(&args);
        let expected = oracle(init, stmt, n);
        assert_eq!(ours(&v), expected, "{what:?}");
        let s = &v["summary"];
        assert_eq!(u(&s["resizes"]), expected.len() as u64 - 1, "{what:?}");
        assert!(s["measured"].as_bool().unwrap());
        let per = s["copies_per_append"].as_f64().unwrap();
        assert!((per - u(&s["items_copied"]) as f64 / n as f64).abs() < 1e-9);
        if what[0] == "list" {
            assert_eq!(u(&s["bytes_copied"]), 8 * u(&s["items_copied"]));
            assert!(u(&s["copying_resizes"]) < u(&s["resizes"]));
        } else {
            // A dict resize copies every live entry: the length before the insertion that
            // resized, for every resize but the first allocation (python's numbers).
            let moved: u64 = expected[2..].iter().map(|(len, _)| len - 1).sum();
            assert_eq!(u(&s["items_copied"]), moved, "{what:?}");
            let entry = if what[2] == "str" { 16 } else { 24 };
            assert_eq!(u(&s["bytes_copied"]), entry * moved);
            assert_eq!(u(&s["copying_resizes"]), u(&s["resizes"]) - 1);
        }
    }
}

/// Each version's own interpreter (pyenv's, or python3.X on PATH) grows the list, and for
/// 3.11 to 3.13 the dict, as `grow --python 3.X` does; 3.8's list formula differs.
#[test]
fn every_version_grows_as_its_own_interpreter() {
    use pylayout::inspect::verify::interpreter::Interpreter;
    use pylayout::profile::PyVersion;
    let mut list_curves = Vec::new();
    for v in PyVersion::ALL {
        let py = Interpreter::find(v).expect("every CPython 3.8-3.13 is on this machine");
        let name = v.to_string();
        let mut cases: Vec<(&[&str], &str, &str, u64)> =
            vec![(&["list"], "[]", "x.append(None)", 10000)];
        if v >= PyVersion::Py311 {
            cases.push((&["dict", "--keys", "str"], "{}", "x[str(i)] = None", 5000));
            cases.push((&["dict", "--keys", "int"], "{}", "x[i] = None", 5000));
        }
        for (what, init, stmt, n) in cases {
            let to = n.to_string();
            let mut args = vec!["grow"];
            args.extend_from_slice(what);
            args.extend_from_slice(&["--to", &to, "--json", "--python", &name]);
            let got = json(&args);
            assert_eq!(got["python"], name.as_str());
            let expected = pairs(
                &py.run(&growth_program(init, stmt, n))
                    .expect("the probe runs"),
            );
            assert_eq!(ours(&got), expected, "{name} {what:?}");
            if what[0] == "list" {
                list_curves.push(expected);
            }
        }
    }
    // The check can fail: 3.8's curve is not 3.9's.
    assert_ne!(list_curves[0], list_curves[1]);
}

#[test]
fn compare_shows_each_version_side_by_side() {
    let v = json(&[
        "grow",
        "list",
        "--compare",
        "3.8,3.11,3.8",
        "--to",
        "300",
        "--json",
    ]);
    let versions = v["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2, "a version named twice is grown once");
    for g in versions {
        let one = json(&[
            "grow",
            "list",
            "--to",
            "300",
            "--json",
            "--python",
            g["python"].as_str().unwrap(),
        ]);
        assert_eq!(ours(g), ours(&one));
    }
    let text = common::pylayout_ok(&["grow", "list", "--compare", "3.8,3.12", "--to", "40"]);
    assert!(
        text.contains("CPython 3.8") && text.contains("CPython 3.12"),
        "{text}"
    );
    // len 17: 3.8 goes to 25 slots (256 bytes), 3.9+ to 24 (248).
    let row = text
        .lines()
        .find(|l| l.contains(" 17 "))
        .expect("a row at 17");
    assert!(
        row.contains("256 (25)") && row.contains("248 (24)"),
        "{row}"
    );
    let (svg_v, doc) = svg_of(
        &["list", "--compare", "3.8,3.11", "--to", "100"],
        "compare.svg",
    );
    assert_eq!(svg_v["versions"].as_array().unwrap().len(), 2);
    let text_nodes: Vec<String> = doc
        .descendants()
        .filter_map(|n| n.text().map(|t| t.trim().to_string()))
        .collect();
    assert!(
        text_nodes.iter().any(|t| t == "CPython 3.8")
            && text_nodes.iter().any(|t| t == "CPython 3.11"),
        "{text_nodes:?}"
    );
}

#[test]
fn versions_grow_refuses_say_why_with_exit_2() {
    for (args, says) in [
        (
            &["grow", "dict", "--python", "3.10"][..],
            "CPython 3.10's dict is not built yet",
        ),
        (
            &["grow", "dict", "--compare", "3.11,3.9"],
            "CPython 3.9's dict is not built yet",
        ),
        (
            &["grow", "list", "--compare", "3.8", "--python", "3.11"],
            "leave out --python",
        ),
        (
            &["grow", "list", "--compare", "3.8,2.7"],
            "CPython 2.7 is not supported",
        ),
        (
            &["grow", "list", "--compare", "3.8,three"],
            "is not a Python version",
        ),
    ] {
        let out = pylayout(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
}

#[test]
fn the_table_ends_with_the_summary() {
    let out = pylayout(&["grow", "list", "--to", "1000"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let v = json(&["grow", "list", "--to", "1000", "--json"]);
    let s = &v["summary"];
    let resizes = u(&s["resizes"]);
    assert!(
        text.contains(&format!(
            "Resizes: {resizes} (1 first allocation + {} reallocations",
            resizes - 1
        )),
        "{text}"
    );
    // Whether the system allocator grows a large array in place differs from run to run,
    // so the copies are checked against each other within the one output.
    let field = |prefix: &str| -> String {
        let line = text.lines().find(|l| l.starts_with(prefix)).expect(prefix);
        line[prefix.len()..]
            .split(' ')
            .next()
            .unwrap()
            .replace(',', "")
    };
    let items: u64 = field("Copied by resizes: ").parse().unwrap();
    let bytes: u64 = text
        .lines()
        .find(|l| l.starts_with("Copied by resizes: "))
        .and_then(|l| l.split(" = ").nth(1))
        .and_then(|r| r.split(' ').next())
        .unwrap()
        .replace(',', "")
        .parse()
        .unwrap();
    assert_eq!(bytes, 8 * items, "{text}");
    assert_eq!(
        field("Amortised: "),
        format!("{:.2}", items as f64 / 1000.0),
        "{text}"
    );
    // Beyond the allocation limit the policy answers, and says the copies are a bound.
    let huge = String::from_utf8(pylayout(&["grow", "list", "--to", "100000000"]).stdout).unwrap();
    assert!(huge.contains("(computed: at most)"), "{huge}");
}

fn svg_of(args: &[&str], file: &str) -> (Value, roxmltree::Document<'static>) {
    let dir = std::env::temp_dir().join(format!("pylayout-grow-svg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(file);
    let mut all = vec!["grow"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--json", "--svg", path.to_str().unwrap()]);
    let v = json(&all);
    let text: &'static str = Box::leak(std::fs::read_to_string(&path).unwrap().into_boxed_str());
    let doc = roxmltree::Document::parse(text).expect("well-formed SVG");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    (v, doc)
}

fn count(doc: &roxmltree::Document, f: impl Fn(&roxmltree::Node) -> bool) -> usize {
    doc.descendants().filter(|n| f(n)).count()
}

/// Markers are vertical lines in the marker colour: one per resize per panel, plus one legend
/// sample per panel.
fn markers(doc: &roxmltree::Document) -> usize {
    count(doc, |n| {
        n.has_tag_name("polyline") && n.attribute("stroke") == Some("#F4B47C")
    })
}

#[test]
fn the_chart_marks_every_resize() {
    // Linear axes: every point is drawn, the empty list's too. Two panels (capacity,
    // bytes), one dotted series each.
    let (v, doc) = svg_of(&["list", "--to", "2000"], "list.svg");
    let points = v["points"].as_array().unwrap().len();
    let resizes = u(&v["summary"]["resizes"]) as usize;
    assert_eq!(count(&doc, |n| n.has_tag_name("circle")), 2 * points);
    assert_eq!(markers(&doc), 2 * (resizes + 1));
    // Three 2-pixel series: allocated, length, getsizeof (and their legend samples are 1 px).
    let lines = count(&doc, |n| {
        n.has_tag_name("polyline") && n.attribute("stroke-width") == Some("2")
    });
    assert_eq!(lines, 3);
    // Log axes leave out the empty dict (x = 0); the table panel has two dotted series.
    let (v, doc) = svg_of(&["dict", "--to", "5000", "--log"], "dict.svg");
    let shown = v["points"].as_array().unwrap().len() - 1;
    let resizes = u(&v["summary"]["resizes"]) as usize;
    assert_eq!(shown, resizes);
    assert_eq!(count(&doc, |n| n.has_tag_name("circle")), 3 * shown);
    assert_eq!(markers(&doc), 2 * (resizes + 1));
    let texts: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(|t| t.trim().to_string())
        .collect();
    for label in [
        "usable entries",
        "dk_size (index slots)",
        "sys.getsizeof(d)",
    ] {
        assert!(texts.iter().any(|t| t == label), "{label}: {texts:?}");
    }
    assert!(texts.iter().any(|t| *t == format!("resizes ({resizes})")));
}

/// A `--svg` path that cannot be written is bad input: exit code 2 before any work (the path
/// is an argument, like `cost --svg`), one line, no panic.
#[test]
fn bad_input_is_one_line_and_exit_2() {
    let dir = std::env::temp_dir();
    let cases: [(&[&str], &str); 4] = [
        (
            &["grow", "list", "--svg", "/no/such/folder/g.svg"],
            "does not exist",
        ),
        (
            &["grow", "dict", "--svg", dir.to_str().unwrap()],
            "is a folder",
        ),
        (&["grow", "list", "--log"], "--svg"),
        (&["grow", "list", "--svg"], "a value is required"),
    ];
    for (args, needle) in cases {
        let out = pylayout(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(err.starts_with("error:"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn help_has_examples() {
    let out = pylayout(&["grow", "--help"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Examples:"), "{text}");
    assert!(
        text.contains("pylayout grow list --to 1000000 --svg list.svg --log"),
        "{text}"
    );
}
