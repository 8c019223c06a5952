//! `pylayout pool --map`: the map as JSON agrees with the `_debugmallocstats` table of the same
//! run, a fresh runtime differs from one after a workload, `--after` shows the pools of what a
//! script built (the list size class from python3), the SVG has one cell per pool, and bad
//! input is one line with exit code 2.

mod common;

use common::count as u;
use common::pylayout_json as json;

use std::collections::BTreeMap;

use common::{assert_python_311, pylayout, python};
use serde_json::Value;

/// Per class, summed over the map's pools (not its own totals): (pools, in use, avail).
fn per_class_from_pools(map: &Value) -> BTreeMap<u64, (u64, u64, u64)> {
    let mut out = BTreeMap::new();
    for a in map["arenas"].as_array().unwrap() {
        for p in a["pools"].as_array().unwrap() {
            let state = p["state"].as_str().unwrap();
            if p["size_class"].is_null() {
                assert!(
                    ["empty", "untouched"].contains(&state),
                    "a pool without a class is {state}"
                );
                assert_eq!(u(&p["blocks_in_use"]), 0);
                continue;
            }
            let (used, total) = (u(&p["blocks_in_use"]), u(&p["blocks_total"]));
            assert_eq!(u(&p["block_size"]), 16 * (u(&p["size_class"]) + 1));
            assert_eq!(state == "full", used == total, "{p}");
            assert!(used > 0 && used <= total, "{p}");
            let e = out.entry(u(&p["size_class"])).or_insert((0, 0, 0));
            e.0 += 1;
            e.1 += used;
            e.2 += total - used;
        }
    }
    out
}

/// The `size_classes` table (`_debugmallocstats`) of the same run, classes with pools only.
fn per_class_from_table(v: &Value) -> BTreeMap<u64, (u64, u64, u64)> {
    v["size_classes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| u(&c["pools"]) > 0)
        .map(|c| {
            (
                u(&c["index"]),
                (
                    u(&c["pools"]),
                    u(&c["blocks_in_use"]),
                    u(&c["avail_blocks"]),
                ),
            )
        })
        .collect()
}

#[test]
fn the_map_adds_up_to_the_debugmallocstats_table() {
    for args in [
        &["--workload", "blocks", "--count", "5000"][..],
        &["--workload", "objects", "--count", "20000"],
        &["--workload", "none"],
    ] {
        let mut all = vec!["pool", "--map", "--json"];
        all.extend_from_slice(args);
        let v = json(&all);
        let map = &v["map"];
        let from_pools = per_class_from_pools(map);
        assert_eq!(from_pools, per_class_from_table(&v), "{args:?}");
        // The map's own class totals say the same.
        for c in map["classes"].as_array().unwrap() {
            let k = u(&c["size_class"]);
            assert_eq!(
                from_pools[&k],
                (
                    u(&c["pools"]),
                    u(&c["blocks_in_use"]),
                    u(&c["avail_blocks"])
                )
            );
        }
        let arenas = map["arenas"].as_array().unwrap();
        assert_eq!(arenas.len() as u64, u(&v["arenas_allocated_current"]));
        let free: u64 = arenas
            .iter()
            .flat_map(|a| a["pools"].as_array().unwrap())
            .filter(|p| p["size_class"].is_null())
            .count() as u64;
        assert_eq!(free, u(&v["unused_pools"]), "{args:?}");
        for a in arenas {
            assert_eq!(
                a["pools"].as_array().unwrap().len() as u64,
                u(&a["ntotalpools"])
            );
            let indices: Vec<u64> = a["pools"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| u(&p["index"]))
                .collect();
            assert_eq!(indices, (0..indices.len() as u64).collect::<Vec<_>>());
        }
    }
}

#[test]
fn a_fresh_runtime_and_one_after_a_workload() {
    let fresh = json(&["pool", "--map", "--json", "--workload", "none"]);
    let busy = json(&[
        "pool",
        "--map",
        "--json",
        "--workload",
        "objects",
        "--count",
        "20000",
    ]);
    let in_use = |v: &Value| -> u64 { per_class_from_pools(&v["map"]).values().map(|c| c.1).sum() };
    let states = |v: &Value, s: &str| u(&v["map"]["states"][s]);
    assert!(
        in_use(&busy) >= 2 * 20000 * 2 / 3,
        "the survivors hold blocks"
    );
    assert!(in_use(&busy) > in_use(&fresh));
    assert!(
        states(&busy, "used") + states(&busy, "full")
            > states(&fresh, "used") + states(&fresh, "full")
    );
    // A float is 24 bytes: its pools are class 1 (32-byte blocks).
    let float_size: u64 = python("import sys; print(sys.getsizeof(1.5))")
        .trim()
        .parse()
        .unwrap();
    let float_class = (float_size - 1) / 16;
    assert!(per_class_from_pools(&busy["map"]).contains_key(&float_class));
    // The text map: one `class` and one `fill` line per arena.
    let out = pylayout(&["pool", "--map", "--workload", "objects", "--count", "20000"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let arenas = busy["map"]["arenas"].as_array().unwrap().len();
    assert_eq!(
        text.lines().filter(|l| l.starts_with("arena ")).count(),
        arenas,
        "{text}"
    );
    assert_eq!(
        text.lines()
            .filter(|l| l.trim_start().starts_with("fill "))
            .count(),
        arenas + 1,
        "the legend has one more"
    );
    assert!(text.contains("Legend:"), "{text}");
}

#[test]
fn after_a_script_the_list_class_has_the_pools() {
    assert_python_311();
    // A list object with its GC header, as CPython allocates it.
    let size: u64 = python("import sys; print(sys.getsizeof([]))")
        .trim()
        .parse()
        .unwrap();
    let class = (size - 1) / 16;
    let dir = std::env::temp_dir().join(format!("pylayout-pool-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let lists = dir.join("lists.py");
    std::fs::write(
        &lists,
        "keep = [[] for i in range(5000)]\nprint(len(keep))\n",
    )
    .unwrap();
    let empty = dir.join("empty.py");
    std::fs::write(&empty, "pass\n").unwrap();
    let with = json(&[
        "pool",
        "--map",
        "--json",
        "--after",
        lists.to_str().unwrap(),
    ]);
    let without = json(&[
        "pool",
        "--map",
        "--json",
        "--after",
        empty.to_str().unwrap(),
    ]);
    assert_eq!(with["script"]["stdout"], "5000\n");
    let get = |v: &Value| {
        per_class_from_pools(&v["map"])
            .get(&class)
            .copied()
            .unwrap_or_default()
    };
    let (p1, b1, _) = get(&with);
    let (p0, b0, _) = get(&without);
    // Every live list is one block of its class (the free list of dead lists may hand back
    // blocks the empty script still held, so the difference is not exactly 5000).
    assert!(
        b1 >= 5000 && b1 > b0 + 4500,
        "5000 lists of {size} bytes: {b0} -> {b1} blocks"
    );
    let per_pool = (16384 - 48) / (16 * (class + 1));
    assert!(
        p1 >= 5000_u64.div_ceil(per_pool) && p1 > p0,
        "{p0} -> {p1} pools of class {class}"
    );
    // The map is taken inside the runner's thread: it agrees with that run's table.
    assert_eq!(
        per_class_from_pools(&with["map"]),
        per_class_from_table(&with)
    );
}

#[test]
fn the_svg_has_one_cell_per_pool_and_a_legend_line_per_class() {
    let dir = std::env::temp_dir().join(format!("pylayout-pool-svg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let svg = dir.join("pools.svg");
    let v = json(&[
        "pool",
        "--map",
        "--json",
        "--workload",
        "blocks",
        "--count",
        "3000",
        "--svg",
        svg.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&svg).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("well-formed SVG");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let pools: usize = v["map"]["arenas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["pools"].as_array().unwrap().len())
        .sum();
    assert!(pools > 64);
    let cells = doc
        .descendants()
        .filter(|n| {
            n.has_tag_name("rect")
                && n.attribute("fill") == Some("none")
                && n.attribute("stroke") == Some("#999999")
        })
        .count();
    assert_eq!(cells, pools);
    // A filled bar per pool that has blocks in use, plus one legend swatch per class, in
    // the class colours (the neutral legend samples and the grey cells are not).
    let classes = v["map"]["classes"].as_array().unwrap();
    let with_blocks = u(&v["map"]["states"]["used"]) + u(&v["map"]["states"]["full"]);
    let neutral = ["#FFFFFF", "#E4E4E4", "#555555", "none"];
    let bars = doc
        .descendants()
        .filter(|n| {
            n.has_tag_name("rect") && !neutral.contains(&n.attribute("fill").unwrap_or("none"))
        })
        .count();
    assert_eq!(bars as u64, with_blocks + classes.len() as u64);
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect();
    for c in classes {
        let label = format!("class {} ({} B):", u(&c["size_class"]), u(&c["block_size"]));
        assert_eq!(
            texts.iter().filter(|t| t.starts_with(&label)).count(),
            1,
            "{label}"
        );
    }
    assert_eq!(
        texts.iter().filter(|t| t.starts_with("arena ")).count(),
        v["map"]["arenas"].as_array().unwrap().len()
    );
}

/// `--svg` to a path that cannot be written is bad input, found before any work: exit code 2
/// (the house's code for bad input; the path is an argument), one line, no file.
#[test]
fn bad_input_is_one_line_and_exit_2() {
    let dir = std::env::temp_dir().join(format!("pylayout-pool-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases: [(&[&str], &str); 4] = [
        (
            &["pool", "--map", "--svg", "/no/such/folder/x.svg"],
            "does not exist",
        ),
        (&["pool", "--svg", dir.to_str().unwrap()], "is a folder"),
        (
            &["pool", "--after", "x.py", "--workload", "blocks"],
            "cannot be used with",
        ),
        (
            &["pool", "--after", "x.py", "--count", "5"],
            "cannot be used with",
        ),
    ];
    for (args, needle) in cases {
        let out = pylayout(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(err.lines().next().unwrap().starts_with("error:"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(out.stdout.is_empty(), "{args:?}: nothing on stdout");
    }
    assert!(!std::path::Path::new("/no/such/folder/x.svg").exists());
}

#[test]
fn help_has_examples() {
    let out = pylayout(&["pool", "--help"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Examples:") && text.contains("pylayout pool --map --after"),
        "{text}"
    );
}
