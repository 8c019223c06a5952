//! What every command owes a user of a serious tool: colour that follows `--color`,
//! `NO_COLOR` and `CLICOLOR_FORCE`; tables that fit 80 columns; shell completions and a man
//! page; `run --json` whose numbers are python3's.

mod common;

use std::process::Command;

use common::assert_python_311;
use serde_json::Value;

/// Run pylayout with extra environment variables (and without the ones a developer's shell
/// may set).
fn pylayout_env(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pylayout"));
    c.args(args)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("COLUMNS");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run pylayout")
}

const ESC: u8 = 0x1b;

fn has_escapes(out: &std::process::Output) -> bool {
    out.stdout.contains(&ESC)
}

/// Commands whose text output has something to colour.
const COLOURED: [&[&str]; 6] = [
    &["layout", "[1, 'a', {2: 3}]"],
    &["layout", "[1, 2]", "--diagram"],
    &["layout", "list(range(100))"],
    &["grow", "dict", "--to", "100"],
    &["gc", "--explain"],
    &["tour", "--section", "pyramid"],
];

#[test]
fn colour_follows_the_flag_and_the_environment() {
    for args in COLOURED {
        // A pipe is not a terminal: plain by default.
        let plain = pylayout_env(args, &[]);
        assert!(plain.status.success(), "{args:?}");
        assert!(!has_escapes(&plain), "{args:?}: escapes in a pipe");
        let forced = pylayout_env(args, &[("CLICOLOR_FORCE", "1")]);
        assert!(
            has_escapes(&forced),
            "{args:?}: CLICOLOR_FORCE=1 gave no colour"
        );
        let no_color = pylayout_env(args, &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
        assert!(!has_escapes(&no_color), "{args:?}: NO_COLOR ignored");
        let mut always = vec!["--color", "always"];
        always.extend_from_slice(args);
        let out = pylayout_env(&always, &[("NO_COLOR", "1")]);
        assert!(has_escapes(&out), "{args:?}: --color always ignored");
        let mut never = args.to_vec();
        never.extend(["--color", "never"]);
        let out = pylayout_env(&never, &[("CLICOLOR_FORCE", "1")]);
        assert!(!has_escapes(&out), "{args:?}: --color never ignored");
        // Colour changes nothing but the escapes.
        let stripped = strip_ansi(&String::from_utf8_lossy(&forced.stdout));
        let plain_text = String::from_utf8_lossy(&plain.stdout);
        assert_eq!(mask_hex(&stripped), mask_hex(&plain_text), "{args:?}");
    }
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Addresses differ run to run: every `0x` and the hex digits after it masked.
fn mask_hex(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("0x") {
        out.push_str(&rest[..i]);
        out.push_str("0x?");
        rest = rest[i + 2..].trim_start_matches(|c: char| c.is_ascii_hexdigit());
    }
    out.push_str(rest);
    out
}

#[test]
fn layout_fits_80_columns() {
    for args in [
        &["layout", "[1, 'a' * 100, {2: 3}, 2 ** 200]"][..],
        &["layout", "{'key' + str(i): i for i in range(20)}"],
        &["layout", "'é' * 300", "--diagram"],
    ] {
        let out = pylayout_env(args, &[("COLUMNS", "80")]);
        assert!(out.status.success(), "{args:?}: {out:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        for line in text.lines() {
            assert!(
                line.chars().count() <= 80,
                "{args:?}: {} columns: {line}",
                line.chars().count()
            );
        }
    }
}

#[test]
fn completions_for_every_shell_and_a_man_page() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = pylayout_env(&["completions", shell], &[]);
        assert!(out.status.success(), "{shell}");
        let text = String::from_utf8(out.stdout).unwrap();
        for word in ["pylayout", "layout", "tour", "after", "color"] {
            assert!(text.contains(word), "{shell}: no {word}");
        }
    }
    // The bash script is valid bash.
    let out = pylayout_env(&["completions", "bash"], &[]);
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("pylayout.bash");
    std::fs::write(&path, &out.stdout).unwrap();
    let check = Command::new("bash").arg("-n").arg(&path).output().unwrap();
    assert!(check.status.success(), "{check:?}");
    let out = pylayout_env(&["man"], &[]);
    assert!(out.status.success());
    let man = String::from_utf8(out.stdout).unwrap();
    assert!(man.contains(".TH pylayout 1"), "{man}");
    for sub in [
        "tour", "pool", "grow", "gc", "run", "layout", "cost", "bench",
    ] {
        assert!(man.contains(sub), "the man page lacks {sub}");
    }
    let out = pylayout_env(&["completions", "tcsh"], &[]);
    assert_eq!(out.status.code(), Some(2));
}

/// `run --json`: the script's stdout and exit code, and the collector's state at its end as
/// python3 shows it on the script's last line. That line's own allocations (the tuple
/// `get_count` returns, the lists it prints) come after the counts are read: generation 0
/// may be up to 8 higher in the final counts; everything else is equal.
#[test]
fn run_json_reports_what_python_shows() {
    assert_python_311();
    let scripts = [
        "a = []\nfor i in range(50):\n    a.append([i])\nprint(len(a))\n",
        "x = [[] for _ in range(900)]\n",
        "d = {}\nfor i in range(300):\n    d[str(i)] = (i, [i])\ndel d\n",
        "l = []\nl.append(l)\ndel l\nprint(gc.collect())\n",
    ];
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli_conventions");
    std::fs::create_dir_all(&dir).unwrap();
    for (i, body) in scripts.iter().enumerate() {
        // `import gc` first: the runner models its import as the first statement (a later
        // first import of gc costs CPython importlib's allocations there).
        let text = format!(
            "import gc\n{body}print(list(gc.get_count()), [s['collections'] for s in gc.get_stats()])\n"
        );
        let path = dir.join(format!("s{i}.py"));
        std::fs::write(&path, &text).unwrap();
        // `python3 FILE`, as `pylayout run FILE` models it (stdin starts differently).
        let py = Command::new(common::python_exe())
            .arg(&path)
            .env("PYTHONHASHSEED", "0")
            .output()
            .unwrap();
        assert!(py.status.success(), "{py:?}");
        let want = String::from_utf8(py.stdout).unwrap();
        let out = pylayout_env(&["run", "--json", path.to_str().unwrap()], &[]);
        assert_eq!(out.status.code(), Some(0), "{body}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["stdout"], want, "{body}");
        assert_eq!(v["exit_code"], 0);
        assert_eq!(v["stderr"], "");
        let last = want.lines().last().unwrap();
        let (counts, collections) = last.split_once("] [").unwrap();
        let py_counts: Vec<i64> = counts
            .trim_matches(['[', ']'])
            .split(", ")
            .map(|x| x.parse().unwrap())
            .collect();
        let f = &v["final"];
        let ours: Vec<i64> = f["gc_count"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_i64().unwrap())
            .collect();
        assert_eq!(ours[1..], py_counts[1..], "{body}");
        assert!(
            (py_counts[0]..=py_counts[0] + 8).contains(&ours[0]),
            "{body}: {ours:?} vs {py_counts:?}"
        );
        let ours_collections: Vec<u64> = f["gc_stats"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["collections"].as_u64().unwrap())
            .collect();
        assert_eq!(
            format!("{ours_collections:?}"),
            format!("[{collections}"),
            "{body}"
        );
        assert!(f["allocated_blocks"].as_u64().unwrap() > 0);
    }
    // A script that raises: exit code 1 in the document and of the process, the traceback in
    // "stderr".
    let out = pylayout_env(&["run", "--json", "-c", "print('hi')\n1/0"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["exit_code"], 1);
    assert_eq!(v["stdout"], "hi\n");
    assert!(
        v["stderr"]
            .as_str()
            .unwrap()
            .ends_with("ZeroDivisionError: division by zero\n")
    );
    // Outside the subset: exit code 2, no final counts.
    let out = pylayout_env(&["run", "--json", "-c", "class C: pass"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["exit_code"], 2);
    assert!(v.get("final").is_none());
}

/// Every subcommand's `--help` is its own, with examples; `grow list --help` too.
#[test]
fn every_help_has_its_own_examples() {
    let mut seen = std::collections::HashSet::new();
    for args in [
        &["--help"][..],
        &["tour", "--help"],
        &["pool", "--help"],
        &["grow", "--help"],
        &["gc", "--help"],
        &["run", "--help"],
        &["layout", "--help"],
        &["cost", "--help"],
        &["bench", "--help"],
        &["completions", "--help"],
        &["man", "--help"],
    ] {
        let out = pylayout_env(args, &[]);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        let examples = text
            .split_once("Examples:")
            .unwrap_or_else(|| panic!("{args:?} has no examples:\n{text}"))
            .1;
        let lines = examples
            .lines()
            .filter(|l| l.trim_start().starts_with("pylayout ") || l.contains("| pylayout "))
            .count();
        assert!(lines >= 2, "{args:?}: {lines} example lines");
        assert!(
            seen.insert(examples.to_string()),
            "{args:?} repeats another help's examples"
        );
    }
}

/// A negative number says what the option accepts, not clap's "use '-- -5'" tip.
#[test]
fn negative_numbers_are_refused_plainly() {
    for (args, needle) in [
        (&["pool", "--count", "-5"][..], "must be ≥ 0"),
        (&["gc", "--cycles", "-1"], "must be ≥ 0"),
        (&["grow", "list", "--to", "-3"], "must be ≥ 0"),
        (&["layout", "[1]", "--depth", "-1"], "must be ≥ 0"),
        (&["layout", "[1]", "--max-items", "-1"], "at least 1"),
        (&["run", "--max-steps", "-9", "-c", "1"], "must be ≥ 0"),
        (&["cost", "list", "append", "-n", "-4"], "must be ≥ 0"),
    ] {
        let out = pylayout_env(args, &[]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(!err.contains("-- -"), "{args:?}: {err}");
    }
}
