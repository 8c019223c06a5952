//! The house rule, checked: the library's modules form layers that only point down.
//!
//! The import graph is drawn from the code (every `crate::module` path outside comments and
//! outside `#[cfg(test)]` modules, which may use anything) and compared with the layers
//! `docs/architecture.md` draws. A file that reaches up a layer, or a new top-level module
//! that is not placed in a layer, fails this test.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each top-level module of `src/` and its layer: a module may use its own layer's modules
/// only where listed in [`SIDEWAYS`], and any lower layer.
const LAYERS: &[(&str, u8)] = &[
    // Each CPython version's facts (sizes, limits, policies): read by every layer.
    ("profile", 0),
    ("alloc", 1),
    ("hash", 1),
    ("error", 1),
    // The object header, the per-thread runtime (heap, trashcan, tracer) and the collector.
    ("object", 2),
    ("cost", 3),
    ("types", 4),
    ("peers", 4),
    ("inspect", 5),
    ("script", 5),
];

/// Allowed arrows inside one layer (user → used). The reverse would be a circle.
const SIDEWAYS: &[(&str, &str)] = &[("inspect", "script")];

fn rank(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|&(_, r)| r)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without its comments and without its `#[cfg(test)]` items.
fn code_outside_tests(text: &str) -> String {
    let mut out = String::new();
    let mut skip_depth: Option<i32> = None;
    let mut depth = 0i32;
    let mut cfg_test_pending = false;
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let trimmed = code.trim();
        if skip_depth.is_none() && trimmed == "#[cfg(test)]" {
            cfg_test_pending = true;
            continue;
        }
        let opens = code.matches('{').count() as i32;
        let closes = code.matches('}').count() as i32;
        if cfg_test_pending {
            cfg_test_pending = false;
            if opens > closes {
                skip_depth = Some(depth);
                depth += opens - closes;
                continue;
            }
            // A one-line item (`#[cfg(test)] use …;`): skipped.
            continue;
        }
        depth += opens - closes;
        if let Some(d) = skip_depth {
            if depth <= d {
                skip_depth = None;
            }
            continue;
        }
        out.push_str(code);
        out.push('\n');
    }
    out
}

/// `crate::name` paths in `code`.
fn crate_paths(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let after = &rest[i + "crate::".len()..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        // `$crate::` in macros names the crate too.
        if !name.is_empty() {
            found.insert(name);
        }
        rest = after;
    }
    found
}

/// user module → (used module → a file that uses it).
fn import_graph() -> BTreeMap<String, BTreeMap<String, String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut graph: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs").to_string();
        if ["lib", "main", "cli"].contains(&module.as_str()) {
            continue; // the root re-exports; the binary sits above every layer
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for used in crate_paths(&code_outside_tests(&text)) {
            if used != module {
                graph
                    .entry(module.clone())
                    .or_default()
                    .entry(used)
                    .or_insert_with(|| rel.display().to_string());
            }
        }
    }
    graph
}

/// `gc` and `runtime` are the root's re-exports of `object::gc` and `object::runtime`.
fn resolve(name: &str) -> &str {
    match name {
        "gc" | "runtime" => "object",
        other => other,
    }
}

#[test]
fn every_module_has_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for entry in std::fs::read_dir(&src).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        let module = name.trim_end_matches(".rs");
        if ["lib", "main", "cli"].contains(&module) {
            continue;
        }
        assert!(
            rank(module).is_some(),
            "src/{name} is in no layer: place it in LAYERS here and in docs/architecture.md"
        );
    }
}

#[test]
fn arrows_only_point_down() {
    let graph = import_graph();
    // The graph is really drawn: the types stand on the object layer.
    assert!(graph["types"].contains_key("object"), "{graph:?}");
    let mut wrong = Vec::new();
    for (user, uses) in graph {
        let Some(from) = rank(&user) else { continue };
        for (used, file) in uses {
            let used = resolve(&used);
            if used == user {
                continue;
            }
            let to = rank(used).unwrap_or_else(|| panic!("{file} uses crate::{used}: no layer"));
            let sideways = SIDEWAYS.contains(&(user.as_str(), used));
            if to > from || (to == from && !sideways) {
                wrong.push(format!(
                    "{file}: {user} (layer {from}) uses {used} (layer {to})"
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "arrows up or sideways:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_checker_sees_an_arrow_up() {
    // The scanner itself: a use in code counts, one in a comment or a test module does not.
    let text = "use crate::types::list::PyList; // crate::script\n\
                #[cfg(test)]\nmod tests {\n    use crate::inspect;\n}\n";
    let paths = crate_paths(&code_outside_tests(text));
    assert_eq!(paths, BTreeSet::from(["types".to_string()]));
}

/// Every file of `src/` with its path relative to `src/` and its text.
fn sources() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let rel = f.strip_prefix(&src).unwrap().display().to_string();
            (rel, std::fs::read_to_string(&f).unwrap())
        })
        .collect()
}

#[test]
fn unsafe_is_fenced() {
    // The crate denies `unsafe_code`; a file that allows it says why at its top (a
    // `//! Unsafe:` paragraph in its module docs, before the attribute) and really uses it.
    // (Every `unsafe` block's `// SAFETY:` comment is clippy's `undocumented_unsafe_blocks`.)
    let mut wrong = Vec::new();
    let mut allowed = 0;
    for (file, text) in sources() {
        let Some(at) = text.find("#![allow(unsafe_code)]") else {
            continue;
        };
        allowed += 1;
        let head = &text[..at];
        if !head
            .lines()
            .all(|l| l.starts_with("//!") || l.trim().is_empty())
        {
            wrong.push(format!(
                "{file}: the allow is not in the file's first lines"
            ));
        }
        if !head.contains("//! Unsafe:") {
            wrong.push(format!(
                "{file}: allows unsafe code without a `//! Unsafe:` reason"
            ));
        }
        let code = code_outside_tests(&text[at..]);
        if !["unsafe {", "unsafe fn", "unsafe impl", "unsafe extern"]
            .iter()
            .any(|u| code.contains(u))
        {
            wrong.push(format!("{file}: allows unsafe code it does not use"));
        }
    }
    assert!(allowed > 0, "no file allows unsafe: the scan is broken");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
