//! `pylayout cost` and `pylayout bench` from the command line: every structure × operation
//! the help lists runs, `--json` holds every structure asked for, `--svg` writes a
//! well-formed chart with one series per structure, bad input exits 2 with one clear line.

mod common;

use common::pylayout_json as ok_json;

use common::pylayout;

/// The structures and operations `cost --help` lists.
fn listed() -> Vec<(String, Vec<String>)> {
    let out = pylayout(&["cost", "--help"]);
    let help = String::from_utf8(out.stdout).unwrap();
    let mut v = Vec::new();
    for line in help.lines() {
        let t = line.trim_start();
        for s in ["list", "tuple", "dict", "str"] {
            if let Some(rest) = t.strip_prefix(s)
                && line.starts_with("  ")
                && rest.starts_with(' ')
                && !rest.trim_start().starts_with("peers")
            {
                let ops = rest.split(',').map(|o| o.trim().to_string()).collect();
                v.push((s.to_string(), ops));
            }
        }
    }
    v
}

#[test]
fn every_listed_operation_runs_and_reports_every_structure() {
    let listed = listed();
    assert_eq!(listed.len(), 4, "{listed:?}");
    let mut runs = 0;
    for (s, ops) in &listed {
        assert!(ops.len() >= 5, "{s}: {ops:?}");
        for op in ops {
            let v = ok_json(&[
                "cost", s, op, "-n", "64", "--ops", "8", "--reps", "1", "--json",
            ]);
            let rows = v["rows"].as_array().expect("rows");
            let peers = v["spec"]["peers"].as_array().expect("peers");
            assert_eq!(rows.len(), peers.len() + 1, "{s} {op}: ours and each peer");
            assert_eq!(rows[0]["peer"], "ours");
            for (r, p) in rows[1..].iter().zip(peers) {
                assert_eq!(&r["peer"], p, "{s} {op}");
                assert!(r["time"]["median_ns"].as_f64().unwrap() >= 0.0);
                assert!(r["counted"]["allocs"].is_u64());
            }
            assert!(!v["reading"].as_str().unwrap().is_empty());
            runs += 1;
        }
    }
    assert!(runs >= 25, "{runs}");
}

#[test]
fn vs_picks_the_peers() {
    let v = ok_json(&[
        "cost",
        "list",
        "index",
        "--at",
        "random",
        "-n",
        "100",
        "--ops",
        "5",
        "--reps",
        "1",
        "--vs",
        "vec,linkedlist",
        "--json",
    ]);
    let names: Vec<&str> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["peer"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["ours", "vec", "linkedlist"]);
}

#[test]
fn the_table_explains_what_it_counted() {
    let out = pylayout(&[
        "cost", "list", "insert", "--at", "front", "-n", "100", "--ops", "4", "--reps", "1",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("list (pylayout)"), "{text}");
    assert!(text.contains("linked list (pymalloc nodes)"), "{text}");
    // A front insert moves every pointer: 100, 101, 102, 103 over four inserts, 101.5 on
    // average, 812 bytes (printed to three significant digits).
    assert!(text.contains("moves 102 pointers (812 bytes)"), "{text}");
}

#[test]
fn a_sweep_draws_one_series_per_structure() {
    let dir = std::env::temp_dir().join(format!("pylayout-svg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let svg = dir.join("insert.svg");
    let v = ok_json(&[
        "cost",
        "list",
        "insert",
        "--sweep",
        "10..1000",
        "--ops",
        "5",
        "--reps",
        "1",
        "--svg",
        svg.to_str().unwrap(),
        "--json",
    ]);
    let sweep = v["sweep"].as_array().unwrap();
    assert_eq!(
        sweep
            .iter()
            .map(|r| r["spec"]["n"].as_u64().unwrap())
            .collect::<Vec<_>>(),
        [10, 100, 1000]
    );
    let names: Vec<String> = sweep[0]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect();
    let text = std::fs::read_to_string(&svg).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("well-formed SVG");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    // Each series is a 2-pixel line in its own colour, once per panel (time, counted work).
    let mut colours: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("polyline") && n.attribute("stroke-width") == Some("2"))
        .filter_map(|n| n.attribute("stroke"))
        .collect();
    assert_eq!(colours.len(), 2 * names.len(), "two panels");
    colours.sort();
    colours.dedup();
    assert_eq!(colours.len(), names.len());
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    for name in &names {
        assert_eq!(
            texts.iter().filter(|t| t.trim() == name).count(),
            2,
            "legend entry for {name}"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_classic_experiment_counts_the_same_search_for_everyone() {
    let v = ok_json(&["cost", "classic", "-n", "200", "--reps", "1", "--json"]);
    let r = &v["classic"][0];
    let rows = r["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 6, "ours and five list peers");
    let compares = rows[0]["counted"]["compares"].as_u64().unwrap();
    assert!(compares > 0);
    for row in rows {
        assert_eq!(row["counted"]["compares"].as_u64().unwrap(), compares);
    }
}

fn bad(args: &[&str], needle: &str) {
    let out = pylayout(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(out.stdout.is_empty(), "{args:?}");
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    let first = err.lines().next().unwrap_or("");
    assert!(first.starts_with("error: "), "{args:?}: {err}");
    assert!(
        first.contains(needle),
        "{args:?}: want {needle:?} in {first:?}"
    );
}

#[test]
fn bad_input_is_one_clear_line_and_exit_2() {
    bad(&["cost", "heap", "push"], "unknown structure 'heap'");
    bad(
        &["cost", "list", "frobnicate"],
        "unknown operation 'frobnicate'",
    );
    bad(&["cost", "list"], "needs an operation");
    bad(&["cost", "tuple", "append"], "tuples are immutable");
    bad(&["cost", "tuple", "append"], "cost tuple concat");
    bad(&["cost", "str", "insert"], "strs are immutable");
    bad(&["cost", "dict", "append"], "does not apply to dict");
    bad(&["cost", "list", "insert", "-n", "1e12"], "too large");
    bad(
        &["cost", "list", "insert", "-n", "99999999999999999999999"],
        "too large",
    );
    bad(&["cost", "list", "insert", "-n", "lots"], "whole number");
    bad(
        &["cost", "list", "append", "--at", "front"],
        "has no position",
    );
    bad(
        &["cost", "dict", "lookup", "--at", "front"],
        "has no position",
    );
    bad(&["cost", "list", "insert", "--at", "top"], "--at 'top'");
    bad(
        &["cost", "list", "insert", "--vs", "indexmap"],
        "not a peer of list",
    );
    bad(&["cost", "list", "insert", "--vs", "rope"], "unknown peer");
    bad(&["cost", "list", "insert", "--ops", "0"], "--ops 0");
    bad(&["cost", "list", "pop", "-n", "0"], "needs items");
    bad(&["cost", "list", "insert", "--svg", "x.svg"], "add --sweep");
    bad(
        &["cost", "list", "insert", "--sweep", "100..10"],
        "FROM must be",
    );
    bad(
        &["cost", "list", "insert", "--keys", "int"],
        "--keys applies to dict",
    );
    bad(&["cost", "classic", "-n", "1e7"], "O(n²)");
    bad(&["cost", "classic", "insert"], "takes no operation");
    bad(
        &[
            "cost",
            "list",
            "insert",
            "--sweep",
            "10..100",
            "--svg",
            "/no/such/folder/x.svg",
        ],
        "does not exist",
    );
    bad(
        &[
            "cost",
            "classic",
            "--sweep",
            "--svg",
            "/no/such/folder/x.svg",
        ],
        "does not exist",
    );
}

#[test]
fn bench_reports_every_pair_in_json() {
    let v = ok_json(&["bench", "--smoke", "--json"]);
    let results = v["results"].as_array().unwrap();
    for r in results {
        for key in ["name", "ours_ns", "peer", "ratio", "target", "holds"] {
            assert!(r.get(key).is_some(), "{key} in {r}");
        }
        assert!(r["peer_ns"].is_f64() || r["peer_ns"].is_null());
    }
    let names: Vec<&str> = results
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    for want in [
        "list append",
        "dict lookup, str keys",
        "alloc+free",
        "gc full collection",
        "classic experiment",
    ] {
        assert!(
            names.iter().any(|n| n.starts_with(want)),
            "{want} in {names:?}"
        );
    }
    // The collector's pair ran python3.
    let gc = results
        .iter()
        .find(|r| r["name"].as_str().unwrap().starts_with("gc"))
        .unwrap();
    assert!(gc["peer_ns"].as_f64().unwrap() > 0.0, "{gc}");
}

/// A panic — a bug — reaches the user as one line and exit code 70, on the main thread and
/// in the runner's thread alike; no backtrace unless PYLAYOUT_BACKTRACE asks for one (not even
/// with RUST_BACKTRACE set, as many Rust developers keep it).
#[test]
fn a_panic_is_one_line_and_exit_70() {
    for (place, args) in [
        ("main", vec!["pool"]),
        ("run", vec!["run", "-c", "print(1)"]),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_pylayout"))
            .args(&args)
            .env("PYLAYOUT_FORCE_PANIC", place)
            .env_remove("PYLAYOUT_BACKTRACE")
            .env("RUST_BACKTRACE", "1")
            .output()
            .expect("run pylayout");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(70), "{place}: {err}");
        assert_eq!(err.lines().count(), 1, "{place}: {err}");
        assert!(
            err.starts_with("pylayout: internal error: forced by PYLAYOUT_FORCE_PANIC"),
            "{err}"
        );
        assert!(err.contains("please report"), "{err}");
        assert!(!err.contains("stack backtrace"), "{err}");
    }
}
