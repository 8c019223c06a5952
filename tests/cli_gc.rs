//! `pylayout gc --after FILE` and `gc --explain`: the collector's numbers against python3
//! (`PYTHONHASHSEED=0 python3 FILE` with a probe line appended), gc_refs on the built-in
//! graph against numbers worked out by hand, the JSON field by field, and bad input.

mod common;

use common::pylayout_json as json_ok;
use common::pylayout_ok as text_ok;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{assert_python_311, pylayout, python_exe};
use serde_json::Value;

/// A scratch directory for this test's scripts.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pylayout-cli-gc-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write script");
    p.to_str().expect("utf-8 path").to_string()
}

/// The probe appended to each script. It prints only when `hash('probe')` is odd: under
/// `PYTHONHASHSEED=0` it is even, under 1 odd. So one file serves both sides — the start-up
/// state depends on the whole file (its compilation allocates), so a probe present for one
/// side only would change the numbers compared — `gc --after FILE` (seed 0) shows the state
/// at the end, where the probe's test allocated nothing, and `PYTHONHASHSEED=1 python3 FILE`
/// prints the same state from the probe (start-up does not depend on the seed: checked
/// below). The count is read first: the tuple it returns is itself a new GC object.
const PROBE: &str = "\nif hash('probe') % 2:\n    print(gc.get_count(), gc.isenabled(), \
                     [(s['collections'], s['collected'], s['uncollectable']) for s in gc.get_stats()])\n";

/// The seeds that turn the probe off and on.
const PROBE_OFF: &str = "0";
const PROBE_ON: &str = "1";

/// `python3 FILE` under `PYTHONHASHSEED=seed`.
fn python_file_seed(path: &str, seed: &str) -> String {
    let out = Command::new(python_exe())
        .arg(path)
        .env("PYTHONHASHSEED", seed)
        .output()
        .expect("run python3");
    assert!(out.status.success(), "python3 {path}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// Scripts that leave the collector in different states. Each imports gc first, so the
/// probe's `gc` is already bound.
const SCRIPTS: &[(&str, &str)] = &[
    (
        "cycles_left_alive",
        "import gc\n\
         for i in range(1000):\n    a = []; b = {'a': a}; a.append(b)\n\
         x = []\nx.append(x)\n",
    ),
    (
        "lists_of_dicts",
        "import gc\n\
         rows = [{'id': i, 'name': str(i), 'tags': [i, i + 1]} for i in range(2000)]\n\
         index = {r['name']: r for r in rows}\n",
    ),
    (
        "collect_calls",
        "import gc\n\
         keep = []\n\
         for i in range(900):\n    a = [i]; a.append(a); keep.append([i])\n    \
         if i % 300 == 0:\n        print(gc.collect(), gc.collect(0), gc.collect(1))\n\
         print(gc.collect())\n",
    ),
    (
        "disabled",
        "import gc\n\
         gc.disable()\n\
         for i in range(5000):\n    a = []; a.append(a)\n\
         d = {i: (i, [i]) for i in range(100)}\n",
    ),
];

#[test]
fn after_matches_python() {
    assert_python_311();
    let dir = scratch("after");
    for (name, src) in SCRIPTS {
        let file = write(&dir, &format!("{name}.py"), &format!("{src}{PROBE}"));
        let off = python_file_seed(&file, PROBE_OFF);
        let theirs = python_file_seed(&file, PROBE_ON);
        assert_eq!(
            theirs.lines().count(),
            off.lines().count() + 1,
            "{name}: the probe prints under seed {PROBE_ON} only"
        );
        let theirs = theirs.lines().last().expect("the probe line").to_string();
        // The runner agrees with python3 on the probed run...
        let ours_run = text_ok(&["run", "--hash-seed", PROBE_ON, &file]);
        assert_eq!(
            ours_run.lines().last(),
            Some(theirs.as_str()),
            "{name}: pylayout run"
        );
        // ...and `gc --after` with the probe off shows the same numbers at the end.
        let v = json_ok(&["gc", "--after", &file, "--hash-seed", PROBE_OFF, "--json"]);
        let g = v["generations"].as_array().unwrap();
        let count: Vec<String> = g.iter().map(|g| g["count"].to_string()).collect();
        let stats: Vec<String> = g
            .iter()
            .map(|g| {
                format!(
                    "({}, {}, {})",
                    g["collections"], g["collected"], g["uncollectable"]
                )
            })
            .collect();
        let enabled = if v["enabled"].as_bool().unwrap() {
            "True"
        } else {
            "False"
        };
        let ours = format!("({}) {enabled} [{}]", count.join(", "), stats.join(", "));
        assert_eq!(ours, theirs, "{name}: gc --after");
        // The start-up does not depend on the seed: another seed with the probe off agrees.
        let v3 = json_ok(&["gc", "--after", &file, "--hash-seed", "3", "--json"]);
        assert_eq!(v3["generations"], v["generations"], "{name}: seed 3");
        // The text view says the same.
        let text = text_ok(&["gc", "--after", &file]);
        assert!(
            text.contains(&format!(
                "Automatic collection: {}",
                if enabled == "True" {
                    "enabled"
                } else {
                    "disabled"
                }
            )),
            "{name}: {text}"
        );
    }
}

#[test]
fn after_json_field_by_field() {
    let dir = scratch("json");
    // After gc.collect() everything is in generation 2; then exactly these containers are
    // made: `rows` (a list), three dicts, three one-item lists. Nothing prints.
    let file = write(
        &dir,
        "t.py",
        "import gc\ngc.disable()\ngc.collect()\nrows = [{'k': [i]} for i in range(3)]\n",
    );
    let v = json_ok(&["gc", "--after", &file, "--json"]);
    assert_eq!(v["script"]["file"], file.as_str());
    assert_eq!(v["script"]["stdout"], "");
    assert_eq!(v["enabled"], false);
    assert!(v["long_lived_total"].is_i64() && v["long_lived_pending"].is_i64());
    let gens = v["generations"].as_array().unwrap();
    assert_eq!(gens.len(), 3);
    for (i, g) in gens.iter().enumerate() {
        assert_eq!(g["generation"], i);
        assert_eq!(g["threshold"], [700, 10, 10][i]);
        for key in [
            "count",
            "collections",
            "collected",
            "uncollectable",
            "tracked",
        ] {
            assert!(g[key].is_i64(), "gen {i} without {key}: {g}");
        }
        let by_type = g["tracked_by_type"].as_array().unwrap();
        let sum: u64 = by_type.iter().map(|t| t["count"].as_u64().unwrap()).sum();
        assert_eq!(sum, g["tracked"].as_u64().unwrap(), "gen {i}");
    }
    let gen0: Vec<(String, u64)> = gens[0]["tracked_by_type"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["type"].as_str().unwrap().to_string(),
                t["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(gen0, [("list".to_string(), 4), ("dict".to_string(), 3)]);
    assert_eq!(gens[1]["tracked"], 0);
    assert_eq!(gens[2]["tracked"], 0);
    // gc.collect() (a full collection) counted in generation 2's stats, on top of start-up.
    let text = text_ok(&["gc", "--after", &file]);
    assert!(text.contains("gen 0: list 4, dict 3"), "{text}");
    assert!(text.contains("Automatic collection: disabled"), "{text}");
}

/// The built-in graph, worked out by hand:
///
/// ```text
/// keep = [[1, 2]]   keep[0] is held only by keep: refcnt 1, 1 internal -> 0, but keep
///                   (refcnt 1 from the variable, 0 internal -> 1) reaches it
/// a <-> b           a held only by b, b only by a: 1 - 1 = 0 each, nobody reaches them
/// s = [s]           held only by itself: 1 - 1 = 0
/// ```
#[test]
fn explain_fixed_graph_by_hand() {
    for generation in ["0", "1", "2"] {
        let v = json_ok(&["gc", "--explain", "--generation", generation, "--json"]);
        assert_eq!(v["generation"], generation.parse::<u64>().unwrap());
        assert_eq!(v["examined"], 5);
        assert_eq!(v["objects_not_shown"], 0);
        assert!(v["graph"].as_str().unwrap().contains("keep = [[1, 2]]"));
        let objs = v["objects"].as_array().unwrap();
        let by_name = |n: &str| {
            objs.iter()
                .find(|o| o["name"] == n)
                .unwrap_or_else(|| panic!("no row for {n}: {v}"))
        };
        // name, type, summary, ob_refcnt, internal refs, after subtract_refs, fate
        let expect = [
            ("keep[0]", "list", "[1, 2]", 1, 1, 0, "survives"),
            ("keep", "list", "[#2]", 1, 0, 1, "survives"),
            ("a", "list", "[#4]", 1, 1, 0, "freed"),
            ("b", "dict", "{'a': #3}", 1, 1, 0, "freed"),
            ("s", "list", "[#5]", 1, 1, 0, "freed"),
        ];
        for (name, ty, _, rc, internal, after, fate) in expect {
            let o = by_name(name);
            assert_eq!(o["type"], ty, "{name}");
            assert_eq!(o["ob_refcnt"], rc, "{name}");
            assert_eq!(o["gc_refs_after_update_refs"], rc, "{name}");
            assert_eq!(o["internal_refs"], internal, "{name}");
            assert_eq!(o["gc_refs_after_subtract_refs"], after, "{name}");
            assert_eq!(o["fate"], fate, "{name}");
            assert_eq!(o["reachable"], fate == "survives", "{name}");
            assert_eq!(o["tracked_after"], fate == "survives", "{name}");
        }
        // Rows: keep[0] is built first (the inner display), then keep, a, b, s.
        let row = |n: &str| by_name(n)["row"].as_u64().unwrap();
        assert_eq!(
            [row("keep[0]"), row("keep"), row("a"), row("b"), row("s")],
            [1, 2, 3, 4, 5]
        );
        assert_eq!(by_name("keep[0]")["summary"], "[1, 2]");
        assert_eq!(by_name("keep")["summary"], "[#1]");
        assert_eq!(by_name("a")["summary"], "[#4]");
        assert_eq!(by_name("b")["summary"], "{'a': #3}");
        assert_eq!(by_name("s")["summary"], "[#5]");
        assert_eq!(by_name("keep[0]")["reached_from"], 2);
        assert!(by_name("keep")["reached_from"].is_null());
        assert_eq!(by_name("s")["refers_to"], serde_json::json!([5]));
        assert_eq!(v["collect_returned"], 3);
        assert_eq!(v["planned_unreachable"], 3);
        assert_eq!(v["planned_survivors"], 2);
        assert_eq!(v["freed_rows"], serde_json::json!([3, 4, 5]));
        assert_eq!(v["report"]["unreachable"], 3);
        assert_eq!(v["agrees"], true);
    }
    let text = text_ok(&["gc", "--explain"]);
    for want in [
        "gc.collect(2) examines 5 tracked objects",
        "list keep[0]  [1, 2]",
        "dict b  {'a': #3}",
        "reachable (via #2)",
        "returned 3. It cleared the unreachable objects",
        "freed them:\n  #3, #4, #5\n",
        "It agreed with the table on every object",
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
}

#[test]
fn explain_after_a_script() {
    let dir = scratch("explain");
    let file = write(
        &dir,
        "s.py",
        "import gc\ngc.disable()\ngc.collect()\n\
         a = []; b = {'a': a}; a.append(b)\ndel a, b\n\
         keep = [[0]]\nprint('made')\n",
    );
    let v = json_ok(&["gc", "--explain", "--after", &file, "--json"]);
    assert_eq!(v["script"]["stdout"], "made\n");
    assert_eq!(v["collect_returned"], 2);
    assert_eq!(v["agrees"], true);
    let objs = v["objects"].as_array().unwrap();
    let keep = objs.iter().find(|o| o["name"] == "keep").expect("keep row");
    assert_eq!(keep["ob_refcnt"], 1);
    assert_eq!(keep["gc_refs_after_subtract_refs"], 1);
    assert_eq!(keep["fate"], "survives");
    let freed: Vec<&Value> = objs.iter().filter(|o| o["fate"] == "freed").collect();
    assert_eq!(freed.len(), 2);
    for o in freed {
        assert_eq!(o["ob_refcnt"], 1);
        assert_eq!(o["gc_refs_after_subtract_refs"], 0);
    }
    // The cap: one row shown, the rest counted.
    let v = json_ok(&[
        "gc",
        "--explain",
        "--after",
        &file,
        "--max-rows",
        "1",
        "--json",
    ]);
    let examined = v["examined"].as_u64().unwrap();
    assert_eq!(v["objects"].as_array().unwrap().len(), 1);
    assert_eq!(v["objects_not_shown"].as_u64().unwrap(), examined - 1);
    let text = text_ok(&["gc", "--explain", "--after", &file, "--max-rows", "1"]);
    assert!(
        text.contains("more objects not shown (--max-rows 1)"),
        "{text}"
    );
    assert!(text.contains("  | made"), "{text}");
}

#[test]
fn bad_input_is_one_clear_line() {
    let dir = scratch("bad");
    let unsupported = write(&dir, "class.py", "class A:\n    pass\n");
    let raises = write(&dir, "raises.py", "x = [1]\nprint(x)\nx[5]\n");
    let missing = dir.join("missing.py").to_str().unwrap().to_string();
    let cases: &[(&[&str], i32, &str)] = &[
        (&["gc", "--after", &missing], 2, "cannot read"),
        (&["gc", "--explain", "--after", &missing], 2, "cannot read"),
        (&["gc", "--after", &unsupported], 2, "unsupported"),
        (&["gc", "--after", &raises], 1, "IndexError"),
        (&["gc", "--explain", "--after", &raises], 1, "IndexError"),
        (&["gc", "--explain", "--max-rows", "0"], 2, "--max-rows"),
        (&["gc", "--explain", "--generation", "3"], 2, "--generation"),
        (&["gc", "--generation", "1"], 2, "--explain"),
        (
            &["gc", "--after", &raises, "--cycles", "3"],
            2,
            "cannot be used",
        ),
        (&["gc", "--explain", "--keep", "3"], 2, "cannot be used"),
    ];
    for (args, code, needle) in cases {
        let out = pylayout(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(*code), "{args:?}: {stderr}");
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(
            out.stdout.is_empty() || *code == 1,
            "{args:?}: output on error"
        );
        if *code == 2 {
            assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
        }
    }
}

#[test]
fn help_has_examples() {
    let text = text_ok(&["gc", "--help"]);
    for want in ["Examples:", "gc --explain", "gc --after script.py"] {
        assert!(text.contains(want), "{text}");
    }
}
