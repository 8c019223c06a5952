//! `pylayout verify` and `--python`: the model against each interpreter on the machine, a
//! deliberately wrong profile constant reported as a difference, and bad choices of
//! interpreter refused with one line and exit code 2.

mod common;

use std::process::{Command, Output};

fn verify(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pylayout"));
    cmd.arg("verify").args(args).env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("pylayout")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn verify_passes_against_python3_and_reports_every_section() {
    let python = common::python_exe();
    let out = verify(&["--python", &python, "--json"], &[]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    let checks = v["checks"].as_array().expect("checks");
    let failed: Vec<_> = checks
        .iter()
        .filter(|c| c["pylayout"] != c["python"] || c["python"].is_null())
        .collect();
    assert!(failed.is_empty(), "{failed:#?}");
    for section in [
        "interpreter",
        "allocator",
        "sizes",
        "hashes",
        "growth",
        "refcounts",
        "gc",
        "programs",
        "layout",
    ] {
        let n = checks.iter().filter(|c| c["section"] == section).count();
        assert!(n > 0, "no check in section {section}");
    }
    assert!(checks.len() > 300, "{} checks", checks.len());
    assert_eq!(v["profile"], "3.11");
}

#[test]
fn a_wrong_profile_constant_fails_with_a_table_of_differences() {
    let python = common::python_exe();
    for (flip, ours, theirs) in [
        (
            "interpreter/gc thresholds=701 10 10",
            "701 10 10",
            "700 10 10",
        ),
        ("allocator/pool size=4096", "4096", "16384"),
    ] {
        let out = verify(&["--python", &python], &[("PYLAYOUT_VERIFY_FLIP", flip)]);
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{flip}: {stdout}");
        let row = stdout
            .lines()
            .find(|l| l.contains(ours) && l.contains(theirs))
            .unwrap_or_else(|| panic!("{flip}: no row with {ours} and {theirs}:\n{stdout}"));
        assert!(row.contains('│'), "{row}");
        assert!(stdout.contains("Differences:"), "{stdout}");
        assert!(stdout.contains("1 of "), "{stdout}");
    }
}

#[test]
fn every_profile_passes_against_its_interpreter_and_the_unmodelled_ones_say_so() {
    for minor in 8..=13 {
        if minor == 11 {
            continue;
        }
        let v = format!("3.{minor}");
        let out = verify(&["--python", &v, "--json"], &[]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{v}: {stderr}");
        let says = if minor >= 12 {
            format!("CPython {v}'s objects are built")
        } else {
            format!("CPython {v}'s objects are not built yet")
        };
        assert!(stderr.contains(&says), "{v}: {stderr}");
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(report["profile"], v.as_str());
        assert_eq!(report["objects_checked"], false);
        let checks = report["checks"].as_array().expect("checks");
        for c in checks {
            assert_eq!(c["pylayout"], c["python"], "{v}: {c}");
        }
        for section in ["interpreter", "allocator", "policies"] {
            assert!(
                checks.iter().any(|c| c["section"] == section),
                "{v}: no {section} check"
            );
        }
        // 3.12 and 3.13 objects are built: their sizes, hashes, growth, refcounts and
        // layouts are checked; the collector and whole programs only for 3.11.
        let count = |s: &str| checks.iter().filter(|c| c["section"] == s).count();
        assert_eq!(count("layout") > 300, minor >= 12, "{v}: layout checks");
        for s in ["sizes", "growth", "refcounts"] {
            assert_eq!(count(s) > 0, minor >= 12, "{v}: {s} checks");
        }
        // Every version's hash functions are checked (SipHash-2-4 up to 3.10).
        assert!(count("hashes") > 20, "{v}: hashes");
        for s in ["gc", "programs"] {
            assert_eq!(count(s), 0, "{v}: {s} checks");
        }
        assert!(
            report["python_version"]
                .as_str()
                .is_some_and(|p| p.starts_with(&format!("{v}."))),
            "{v}: {report}"
        );
    }
}

#[test]
fn a_wrong_constant_of_another_version_fails_too() {
    // 3.13 collects at 2000: a profile that said 700 is caught.
    let out = verify(
        &["--python", "3.13"],
        &[(
            "PYLAYOUT_VERIFY_FLIP",
            "interpreter/gc thresholds=700 10 10",
        )],
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout
            .lines()
            .any(|l| l.contains("700 10 10") && l.contains("2000 10 10")),
        "{stdout}"
    );
}

#[test]
fn bad_choices_of_interpreter_exit_2_with_one_clear_line() {
    let not_python = std::env::temp_dir().join("pylayout-not-a-python.txt");
    std::fs::write(&not_python, "hello\n").unwrap();
    let np = not_python.to_str().unwrap();
    for (choice, says) in [
        ("2.7", "CPython 2.7 is not supported"),
        ("3.14", "CPython 3.14 is not supported"),
        ("3.x", "is not a Python version"),
        ("/bin/ls", "is not a Python interpreter"),
        ("/no/such/python", "no such program"),
        (np, "cannot run"),
        ("", "--python needs a version"),
    ] {
        for command in [
            &["verify"][..],
            &["layout", "[1]"],
            &["run", "-"],
            &["grow", "list"],
        ] {
            let out = Command::new(env!("CARGO_BIN_EXE_pylayout"))
                .args(command)
                .args(["--python", choice])
                .output()
                .expect("pylayout");
            let stderr = text(&out.stderr);
            assert_eq!(
                out.status.code(),
                Some(2),
                "{command:?} --python {choice}: {stderr}"
            );
            assert!(
                stderr.contains(says),
                "{command:?} --python {choice}: {stderr}"
            );
            assert!(!stderr.contains("panicked"), "{stderr}");
            assert_eq!(
                stderr.lines().next().map(|l| l.starts_with("error: ")),
                Some(true)
            );
        }
    }
}

#[test]
fn layout_builds_3_12_and_3_13_objects_and_refuses_what_it_does_not_build() {
    let fields = |v: &str, expr: &str| -> Vec<(String, serde_json::Value)> {
        let out = Command::new(env!("CARGO_BIN_EXE_pylayout"))
            .args(["layout", expr, "--json", "--python", v])
            .output()
            .expect("pylayout");
        assert!(out.status.success(), "{v} {expr}: {}", text(&out.stderr));
        let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        j["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["name"].as_str().unwrap().to_string(), f["value"].clone()))
            .collect()
    };
    // 2**30 has two digits: ob_size 2 up to 3.11, lv_tag 2 << 3 from 3.12.
    let (v311, v312) = (fields("3.11", "-2 ** 30"), fields("3.12", "-2 ** 30"));
    assert!(v311.contains(&("ob_size".into(), (-2).into())), "{v311:?}");
    assert!(v312.contains(&("lv_tag".into(), 18.into())), "{v312:?}");
    // The str header lost wstr; bit 7 is statically_allocated.
    let s = fields("3.13", "'héllo'");
    assert!(
        s.iter().all(|(n, _)| n != "wstr" && n != "wstr_length"),
        "{s:?}"
    );
    assert!(
        s.iter().any(|(n, _)| n == "state.statically_allocated"),
        "{s:?}"
    );
    let none = fields("3.12", "0");
    assert_eq!(none[0], ("ob_refcnt".into(), 4294967295u64.into()));
    for (args, says) in [
        (
            &["layout", "[1]", "--python", "3.10"][..],
            "CPython 3.10's objects are not built yet",
        ),
        (
            &["layout", "--after", "x.py", "a", "--python", "3.12"],
            "this command (or --after) takes --python 3.11 only",
        ),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_pylayout"))
            .args(args)
            .output()
            .expect("pylayout");
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
}

#[test]
fn object_commands_take_python_3_11_and_refuse_the_others() {
    let ok = Command::new(env!("CARGO_BIN_EXE_pylayout"))
        .args(["layout", "[1, 2]", "--python", "3.11"])
        .output()
        .expect("pylayout");
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    let env_ok = Command::new(env!("CARGO_BIN_EXE_pylayout"))
        .args(["grow", "list", "--to", "5"])
        .env("PYLAYOUT_PYTHON_VERSION", "3.11")
        .output()
        .expect("pylayout");
    assert!(env_ok.status.success(), "{}", text(&env_ok.stderr));
    for (args, env, says) in [
        (
            &["run", "-c", "print(1)", "--python", "3.12"][..],
            None,
            "scripts run as CPython 3.11 runs them",
        ),
        (
            &["gc"][..],
            Some("3.9"),
            "CPython 3.9's objects are not built yet",
        ),
        (
            &["cost", "list", "append"][..],
            Some("3.13"),
            "takes --python 3.11 only",
        ),
    ] {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_pylayout"));
        cmd.args(args);
        if let Some(v) = env {
            cmd.env("PYLAYOUT_PYTHON_VERSION", v);
        }
        let out = cmd.output().expect("pylayout");
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{stderr}");
    }
}

#[test]
fn verify_all_checks_every_version_on_the_machine() {
    let out = verify(&["--all", "--json"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let lines: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let lines = lines.as_array().expect("a line per version");
    let versions: Vec<&str> = lines
        .iter()
        .map(|l| l["version"].as_str().unwrap())
        .collect();
    assert_eq!(versions, ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13"]);
    for l in lines {
        let r = &l["report"];
        assert!(
            r.is_object(),
            "every CPython 3.8-3.13 is on this machine: {l}"
        );
        assert!(
            r["checks"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["pylayout"] == c["python"])
        );
    }
    // A wrong constant fails the whole run, and its version's differences are listed.
    let out = verify(
        &["--all"],
        &[("PYLAYOUT_VERIFY_FLIP", "allocator/size classes=31")],
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("Differences:") && stdout.contains("Some checks failed"),
        "{stdout}"
    );
    let refused = verify(&["--all", "--python", "3.11"], &[]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("leave out --python"));
}

/// `gc` and `pool` build their workloads for 3.12 and 3.13 too (not `--after`, which runs
/// a script as 3.11 runs it): 3.13's collector starts at 2,000, and the cycles collected are
/// the interpreter's count.
#[test]
fn gc_and_pool_workloads_follow_3_12_and_3_13() {
    use pylayout::inspect::verify::interpreter::Interpreter;
    use pylayout::profile::PyVersion;
    for v in [PyVersion::Py312, PyVersion::Py313] {
        let py = Interpreter::find(v).expect("every CPython 3.8-3.13 is on this machine");
        let theirs = py
            .run(
                "import gc\ngc.disable(); gc.collect()\n\
                 for i in range(10):\n    a = []; b = {'a': a}; a.append(b); del a, b\n\
                 print(*gc.get_threshold(), gc.collect())\n",
            )
            .unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_pylayout"))
            .args(["gc", "--cycles", "10", "--json", "--python", &v.to_string()])
            .output()
            .expect("pylayout");
        assert!(out.status.success(), "{}", text(&out.stderr));
        let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let t = &j["threshold"];
        let ours = format!("{} {} {} {}", t[0], t[1], t[2], j["collect_returned"]);
        assert_eq!(ours, theirs.trim(), "{v}");
        let pool = Command::new(env!("CARGO_BIN_EXE_pylayout"))
            .args(["pool", "--python", &v.to_string()])
            .output()
            .expect("pylayout");
        assert!(pool.status.success(), "{}", text(&pool.stderr));
        assert!(text(&pool.stdout).contains("Small block threshold = 512, in 32 size classes."));
    }
    let after = Command::new(env!("CARGO_BIN_EXE_pylayout"))
        .args(["gc", "--after", "-", "--python", "3.12"])
        .output()
        .expect("pylayout");
    assert_eq!(after.status.code(), Some(2));
}
