//! Where a script starts: `gc.get_count()[0]` on its second line, after CPython 3.11.7 has
//! compiled the whole file (`script::startup` replays the compiler's own GC traffic). Each
//! script of `tests/scripts/startup/` is run by `python3` and by `pylayout run`; the first
//! output lines must be equal. The scripts are the hard cases: identical functions and
//! comprehensions (shared bytecode and line tables), dead code, constant tests, folding,
//! docstrings, keyword names, `from` imports, long scripts whose compilation passes 700 and
//! collects.

mod common;

use std::path::Path;
use std::process::Command;

use common::python_exe;

fn first_line(out: &[u8]) -> String {
    String::from_utf8_lossy(out)
        .lines()
        .next()
        .unwrap_or("")
        .to_string()
}

#[test]
fn first_count_matches_python_for_every_startup_script() {
    common::assert_python_311();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scripts/startup");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/scripts/startup")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 20, "the startup scripts are missing");
    let mut failures = Vec::new();
    for p in &paths {
        let theirs = Command::new(python_exe())
            .arg(p)
            .env("PYTHONHASHSEED", "0")
            .output()
            .expect("python3");
        let ours = Command::new(env!("CARGO_BIN_EXE_pylayout"))
            .arg("run")
            .arg(p)
            .output()
            .expect("pylayout");
        let (a, b) = (first_line(&ours.stdout), first_line(&theirs.stdout));
        assert!(
            b.parse::<i64>().is_ok(),
            "{}: python3 printed no count: {b:?}",
            p.display()
        );
        if a != b {
            failures.push(format!(
                "{}: ours {a:?}, python3 {b:?}",
                p.file_name().expect("name").to_string_lossy()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
