//! `pylayout tour`: every section runs (whole, alone, as JSON), bad names are exit 2, every
//! command a section names runs, and the numbers of the tuple, dict and other sections are
//! what python3 says (read from `tour --json`, never scraped from the text).

mod common;

use common::count as u;
use common::pylayout_json as json;
use common::pylayout_ok as stdout;

use common::{assert_python_311, pylayout, python};
use serde_json::Value;

/// The sections the tour must have, in order. Written out here (not read from the binary) so
/// that a section going missing fails the test.
const NAMES: [&str; 11] = [
    "pyramid",
    "int",
    "small-ints",
    "refcount",
    "float",
    "list",
    "str",
    "tuple",
    "dict",
    "gc",
    "costs",
];

/// The facts of one section, from `tour --section NAME --json`.
fn facts(name: &str) -> Value {
    facts_in(name, "3.11")
}

/// The facts of one section as `tour --python VERSION` shows them.
fn facts_in(name: &str, version: &str) -> Value {
    let v = json(&["tour", "--section", name, "--json", "--python", version]);
    let sections = v["sections"].as_array().expect("sections");
    assert_eq!(sections.len(), 1);
    assert_eq!(sections[0]["name"], name);
    sections[0]["facts"].clone()
}

/// python3 prints one JSON value; parse it.
fn py_json(code: &str) -> Value {
    serde_json::from_str(python(code).trim()).expect("python printed JSON")
}

/// `(number, name, title)` of every section, from `--list --json`.
fn listed() -> Vec<(u64, String, String)> {
    json(&["tour", "--list", "--json"])["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .map(|s| {
            (
                u(&s["number"]),
                s["name"].as_str().unwrap().to_string(),
                s["title"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn list_names_every_section() {
    let listed = listed();
    let names: Vec<&str> = listed.iter().map(|(_, n, _)| n.as_str()).collect();
    assert_eq!(names, NAMES);
    let text = stdout(&["tour", "--list"]);
    assert_eq!(text.lines().count(), NAMES.len(), "{text}");
    for (number, name, title) in &listed {
        let line = text
            .lines()
            .find(|l| l.split_whitespace().nth(1) == Some(name))
            .unwrap_or_else(|| panic!("--list lacks {name}:\n{text}"));
        assert!(
            line.trim_start().starts_with(&format!("{number}.")),
            "{line}"
        );
        assert!(line.ends_with(title.as_str()), "{line}");
    }
}

#[test]
fn every_section_runs_alone() {
    for (number, name, title) in listed() {
        let text = stdout(&["tour", "--section", &name]);
        assert!(
            text.contains(&format!("== {number}. {title} ==")),
            "{name}: no heading\n{text}"
        );
        assert!(text.contains("Dig deeper:\n  pylayout "), "{name}:\n{text}");
        // One section: no other section's heading.
        assert_eq!(text.matches("\n== ").count(), 1, "{name}:\n{text}");
    }
}

#[test]
fn an_unknown_section_is_exit_2_naming_the_valid_ones() {
    for bad in ["nosuch", "", "Dict", "dict "] {
        let out = pylayout(&["tour", "--section", bad]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {err}");
        assert!(out.stdout.is_empty(), "{bad:?}: nothing on stdout");
        assert!(!err.contains("panicked") && !err.contains("internal error"));
        // The message is one line, naming every section; after it only the house's
        // "For more information, try '--help'." hint.
        let first = err.lines().next().unwrap_or("");
        assert!(first.starts_with("error: "), "{err}");
        for name in NAMES {
            assert!(first.contains(name), "{bad:?}: {first} lacks {name}");
        }
        let rest: Vec<&str> = err.lines().skip(1).filter(|l| !l.is_empty()).collect();
        assert_eq!(rest, ["For more information, try '--help'."], "{err}");
    }
}

#[test]
fn json_has_every_section_with_its_text_and_facts() {
    let v = json(&["tour", "--json"]);
    let sections = v["sections"].as_array().expect("sections");
    let names: Vec<&str> = sections
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, NAMES);
    for (i, s) in sections.iter().enumerate() {
        assert_eq!(u(&s["number"]), i as u64 + 1);
        assert!(!s["title"].as_str().unwrap().is_empty());
        assert!(!s["text"].as_str().unwrap().is_empty());
        assert!(
            s["facts"].as_object().is_some_and(|f| !f.is_empty()),
            "{}",
            s["name"]
        );
        assert!(!s["dig"].as_array().unwrap().is_empty());
    }
}

#[test]
fn the_whole_tour_has_every_title_and_runs_each_section_once() {
    let text = stdout(&["tour"]);
    for (number, _, title) in listed() {
        assert_eq!(
            text.matches(&format!("== {number}. {title} ==")).count(),
            1,
            "{title}"
        );
    }
    assert!(text.contains("pylayout tour --section NAME"));
}

/// Split a dig-deeper command the way a shell would (double quotes group, nothing else).
fn shell_words(cmd: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let (mut quoted, mut started) = (false, false);
    for c in cmd.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                started = true;
            }
            ' ' if !quoted => {
                if started {
                    words.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            c => {
                word.push(c);
                started = true;
            }
        }
    }
    assert!(!quoted, "unbalanced quotes in {cmd}");
    if started {
        words.push(word);
    }
    words
}

#[test]
fn every_command_a_section_names_runs() {
    let v = json(&["tour", "--json"]);
    for s in v["sections"].as_array().unwrap() {
        for cmd in s["dig"].as_array().unwrap() {
            let cmd = cmd.as_str().unwrap();
            let words = shell_words(cmd);
            assert_eq!(words[0], "pylayout", "{cmd}");
            let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
            let out = pylayout(&args);
            assert!(
                out.status.success() && !(out.stdout.is_empty() && out.stderr.is_empty()),
                "`{cmd}` (section {}) failed: {}",
                s["name"],
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

#[test]
fn help_shows_examples() {
    let help = stdout(&["tour", "--help"]);
    assert!(help.contains("Examples:"), "{help}");
    assert!(help.contains("pylayout tour --section dict"), "{help}");
}

// ---- the numbers, against python3 ----

#[test]
fn tuple_numbers_match_python() {
    assert_python_311();
    let f = facts("tuple");
    let offsets: Vec<u64> = f["item_offsets"]
        .as_array()
        .unwrap()
        .iter()
        .map(u)
        .collect();
    let n = u(&f["concat_len"]);
    let py = py_json(&format!(
        "import sys, json, ctypes\n\
         a, b, c = float('0.5'), float('1.5'), float('2.5')\n\
         t = (a, b, c)\n\
         inline = [ctypes.c_void_p.from_address(id(t) + off).value == id(x)\n\
                   for off, x in zip({offsets:?}, t)]\n\
         p = (a, b); freed = id(p); del p\n\
         q = (b, c)\n\
         big = tuple(range({n})); grown = big + (a,)\n\
         print(json.dumps(dict(\n\
             getsizeof_3=sys.getsizeof(t), inline=all(inline) and len(inline) == len(t),\n\
             list_getsizeof_3=sys.getsizeof([a, b, c]),\n\
             empty_getsizeof=sys.getsizeof(()), empty_is_tuple_call=() is tuple(),\n\
             empty_slice_is_empty=t[0:0] is (), address_reused=id(q) == freed,\n\
             concat_len=len(big), concat_before_getsizeof=sys.getsizeof(big),\n\
             concat_after_getsizeof=sys.getsizeof(grown), concat_new_object=grown is not big,\n\
             concat_pointers_copied=len(grown))))\n"
    ));
    assert_eq!(
        py["inline"], true,
        "items are not at {offsets:?} in CPython"
    );
    for key in [
        "getsizeof_3",
        "list_getsizeof_3",
        "empty_getsizeof",
        "empty_is_tuple_call",
        "empty_slice_is_empty",
        "address_reused",
        "concat_len",
        "concat_before_getsizeof",
        "concat_after_getsizeof",
        "concat_new_object",
        "concat_pointers_copied",
    ] {
        assert_eq!(
            f[key], py[key],
            "{key}: tour {} vs python3 {}",
            f[key], py[key]
        );
    }
    assert_eq!(f["separate_blocks"], 0);
    assert_eq!(f["empty_is_static"], true);
    assert_eq!(u(&f["free_list_len_after_del"]), 1);
}

/// The dict section's story replayed in python3, reading the keys object with ctypes (3.11:
/// `ma_keys` at +32; `dk_usable` +16, `dk_nentries` +24, `dk_indices` +32; general entries of
/// 24 bytes after the indices, `me_key` at +8).
#[test]
fn dict_numbers_match_python() {
    assert_python_311();
    let f = facts("dict");
    let list = |v: &Value| {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_i64().unwrap())
            .collect::<Vec<_>>()
    };
    let first = list(&f["first_keys"]);
    let fill = list(&f["fill_keys"]);
    let py = py_json(&format!(
        "import sys, json, ctypes\n\
         def table(d):\n    \
             keys = ctypes.c_void_p.from_address(id(d) + 32).value\n    \
             log2 = ctypes.c_uint8.from_address(keys + 8).value\n    \
             size = 1 << log2\n    \
             assert ctypes.c_uint8.from_address(keys + 9).value == log2, 'one-byte indices'\n    \
             return dict(size=size, getsizeof=sys.getsizeof(d), used=len(d),\n        \
                 usable=ctypes.c_ssize_t.from_address(keys + 16).value,\n        \
                 nentries=ctypes.c_ssize_t.from_address(keys + 24).value,\n        \
                 indices=list((ctypes.c_int8 * size).from_address(keys + 32)),\n        \
                 keys_bytes=sys.getsizeof(d) - sys.getsizeof({{}}))\n\
         def probe(d, key):\n    \
             keys = ctypes.c_void_p.from_address(id(d) + 32).value\n    \
             t = table(d); mask = t['size'] - 1\n    \
             entries = keys + 32 + t['size']\n    \
             h = hash(key); i = h & mask; perturb = h; path = []\n    \
             while True:\n        \
                 ix = t['indices'][i]\n        \
                 path.append(dict(slot=i, perturb=perturb, index=ix))\n        \
                 if ix == -1: return path\n        \
                 if ix >= 0 and ctypes.c_void_p.from_address(entries + 24 * ix + 8).value == id(key): return path\n        \
                 perturb >>= 5; i = (i * 5 + perturb + 1) & mask\n\
         out = {{}}\n\
         d = {{}}; out['empty_getsizeof'] = sys.getsizeof(d)\n\
         for k in {first:?}: d[k] = None\n\
         out['table'] = table(d); out['probe'] = probe(d, {probe})\n\
         del d[{deleted}]\n\
         out['after_delete'] = table(d); out['probe_after_delete'] = probe(d, {probe})\n\
         for k in {fill:?}: d[k] = None\n\
         out['before_resize'] = table(d)\n\
         d[{resize}] = None\n\
         out['after_resize'] = table(d); out['order'] = list(d)\n\
         s = {{}}; i = {{}}\n\
         for n, k in enumerate('abcde'): s[k] = None; i[n + 1] = None\n\
         out['str_keys_getsizeof'] = sys.getsizeof(s); out['int_keys_getsizeof'] = sys.getsizeof(i)\n\
         print(json.dumps(out))\n",
        probe = f["probe_key"],
        deleted = f["deleted_key"],
        resize = f["resize_key"],
    ));
    assert_eq!(u(&f["compare_keys"]), 5, "the python side builds 5 keys");
    for key in [
        "empty_getsizeof",
        "probe",
        "probe_after_delete",
        "order",
        "str_keys_getsizeof",
        "int_keys_getsizeof",
    ] {
        assert_eq!(
            f[key], py[key],
            "{key}: tour {} vs python3 {}",
            f[key], py[key]
        );
    }
    for table in ["table", "after_delete", "before_resize", "after_resize"] {
        for field in [
            "size",
            "getsizeof",
            "used",
            "usable",
            "nentries",
            "indices",
            "keys_bytes",
        ] {
            assert_eq!(
                f[table][field], py[table][field],
                "{table}.{field}: tour {} vs python3 {}",
                f[table][field], py[table][field]
            );
        }
    }
    // The story the text tells: a collision, a dummy, usable exhausted, a resize.
    assert!(f["probe"].as_array().unwrap().len() >= 2, "no collision");
    assert_eq!(f["probe_after_delete"][0]["index"], f["dkix_dummy"]);
    assert_eq!(f["dkix_dummy"], -2);
    assert_eq!(f["before_resize"]["usable"], 0);
    assert!(u(&f["after_resize"]["size"]) > u(&f["before_resize"]["size"]));
    assert_eq!(
        u(&f["growth_rate"]),
        3 * u(&f["before_resize"]["used"]),
        "GROWTH_RATE"
    );
    assert_eq!(
        u(&f["int_keys_getsizeof"]) - u(&f["str_keys_getsizeof"]),
        5 * (u(&f["general_entry"]) - u(&f["unicode_entry"])),
        "5 usable entries of 24 vs 16 bytes"
    );
}

#[test]
fn other_sections_match_python() {
    assert_python_311();
    check_other_sections("3.11", &|code| python(code));
}

/// The tour of 3.12 and 3.13 (their str header, int's lv_tag, immortal small ints) against
/// their own interpreters.
#[test]
fn other_sections_match_python_3_12_and_3_13() {
    use pylayout::inspect::verify::interpreter::Interpreter;
    use pylayout::profile::PyVersion;
    for v in [PyVersion::Py312, PyVersion::Py313] {
        let py = Interpreter::find(v).expect("every CPython 3.8-3.13 is on this machine");
        check_other_sections(&v.to_string(), &|code| {
            py.run(code).expect("the probe runs")
        });
        let small = facts_in("small-ints", &v.to_string());
        let immortal = py.run("import sys; print(sys.getrefcount(256))").unwrap();
        assert_eq!(small["static_refcnt"].to_string(), immortal.trim(), "{v}");
        let int = facts_in("int", &v.to_string());
        let tag = py
            .run("import ctypes; x = 2 ** int('40'); print(ctypes.c_ssize_t.from_address(id(x) + 16).value)")
            .unwrap();
        assert_eq!(int["size_word"][0], "lv_tag");
        assert_eq!(int["size_word"][1].to_string(), tag.trim(), "{v}");
    }
}

/// The list, str, int, small-int, float, gc and refcount sections against `run`, an
/// interpreter of `version`.
fn check_other_sections(version: &str, run: &dyn Fn(&str) -> String) {
    let facts = |name: &str| facts_in(name, version);
    let py: Value = serde_json::from_str(
        run("import sys, json, gc\n\
         l = []; sizes = []\n\
         for _ in range(10):\n    \
             l.append(0); sizes.append(sys.getsizeof(l))\n\
         w = ['abcd', 'abc\\xe9', 'abc\\u4e2d', 'abc\\U0001f600']\n\
         x = 2 ** int('40')\n\
         r0 = sys.getrefcount(x) - 1\n\
         y = x\n\
         r1 = sys.getrefcount(x) - 1\n\
         del y\n\
         r2 = sys.getrefcount(x) - 1\n\
         gc.collect()\n\
         s = []; s.append(s); del s\n\
         self_found = gc.collect()\n\
         a = []; b = {'a': a}; a.append(b); del a, b\n\
         pair_found = gc.collect()\n\
         print(json.dumps(dict(list_sizes=sizes, empty_list=sys.getsizeof([]),\n\
             refs=[r0, r1, r2], self_found=self_found, pair_found=pair_found,\n\
             str_sizes=[sys.getsizeof(t) for t in w], int_size=sys.getsizeof(x),\n\
             small_is=int('256') is int('256'), big_is=int('257') is int('257'),\n\
             big_size=sys.getsizeof(int('257')), float_size=sys.getsizeof(float('1.5')))))\n")
        .trim(),
    )
    .expect("python printed JSON");
    let list = facts("list");
    assert_eq!(list["sizes"], py["list_sizes"]);
    assert_eq!(list["empty_getsizeof"], py["empty_list"]);
    let strs = facts("str");
    let sizes: Vec<Value> = strs["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["getsizeof"].clone())
        .collect();
    assert_eq!(Value::from(sizes), py["str_sizes"]);
    assert_eq!(facts("int")["getsizeof"], py["int_size"]);
    let small = facts("small-ints");
    assert_eq!(small["cached_is"], py["small_is"]);
    assert_eq!(small["uncached_is"], py["big_is"]);
    assert_eq!(small["uncached_getsizeof"], py["big_size"]);
    let float = facts("float");
    assert_eq!(float["getsizeof"], py["float_size"]);
    assert_eq!(float["same_block"], true);
    let gc = facts("gc");
    assert_eq!(gc["self_cycle_found"], py["self_found"]);
    assert_eq!(gc["pair_found"], py["pair_found"]);
    let refs = facts("refcount");
    // x made at run time: the names are its only references, as in the tour.
    assert_eq!(py["refs"][0], 1);
    assert_eq!(refs["after_assign"], py["refs"][1]);
    assert_eq!(refs["after_del"], py["refs"][2]);
    assert_eq!(
        u(&refs["blocks_before_free"]) - u(&refs["blocks_after_free"]),
        1,
        "del x frees the int's block at once"
    );
}

/// The costs section's counts follow from the operation: inserting at the front of a list
/// of n + k items moves n + k pointers, so `ops` inserts move n + (ops-1)/2 on average; the
/// linked list moves nothing and allocates a node each time.
#[test]
fn costs_are_counted_exactly() {
    let f = facts("costs");
    let n = u(&f["n"]) as f64;
    let ops = u(&f["ops"]) as f64;
    let rows = f["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{f}");
    let list = &rows[0];
    assert_eq!(
        list["moves_per_op"].as_f64().unwrap(),
        n + (ops - 1.0) / 2.0
    );
    assert_eq!(list["allocs_per_op"].as_f64().unwrap(), 0.0);
    let linked = &rows[1];
    assert!(linked["name"].as_str().unwrap().contains("LinkedList"));
    assert_eq!(linked["moves_per_op"].as_f64().unwrap(), 0.0);
    assert_eq!(linked["allocs_per_op"].as_f64().unwrap(), 1.0);
}
