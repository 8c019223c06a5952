//! The runner benchmark: each script of `benches/runner/` run by `python3` and by `pylayout
//! run`, interleaved, outputs compared, wall time and peak RSS side by side.
//!
//! ```text
//! cargo bench --bench runner                       every script, 3 rounds
//! cargo bench --bench runner -- --reps 5 fib sort  some scripts, 5 rounds
//! cargo bench --bench runner -- --json
//! cargo bench --bench runner -- --pylayout OLD/target/release/pylayout   an older build
//! ```
//!
//! Each round runs python3 and pylayout back to back, the order alternating between rounds
//! so that drift on a shared machine hits both. The table shows each side's fastest round
//! and its largest peak RSS (`ru_maxrss` of that child, from `wait4`: a harness in Rust, so
//! the child's count does not start from a large parent's, as it would under a Python
//! harness). It exits 1 if a script prints anything else than `PYTHONHASHSEED=0 python3`
//! prints (stdout and exit status). Numbers: `benches/README.md`.
//!
//! Unsafe: one call to `libc::wait4`, the only way to get one child's resource usage.
#![allow(unsafe_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// One run of one side: wall seconds, peak RSS in KiB, stdout, exit status.
struct Run {
    seconds: f64,
    rss_kib: i64,
    stdout: Vec<u8>,
    status: i32,
}

#[allow(clippy::zombie_processes)] // reaped by libc::wait4 below, which std cannot do
fn run_once(argv: &[&str]) -> Run {
    let start = Instant::now();
    let mut child = Command::new(argv[0])
        .args(&argv[1..])
        .env("PYTHONHASHSEED", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            eprintln!("runner: cannot run {}: {e}", argv[0]);
            std::process::exit(2)
        });
    let mut stdout = Vec::new();
    child
        .stdout
        .take()
        .expect("piped")
        .read_to_end(&mut stdout)
        .expect("read the child's output");
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value to be overwritten.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `child.id()` is our child, not yet reaped (we never call `wait` on it); the
    // pointers are to live locals of the right types.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t, "wait4 failed");
    Run {
        seconds: start.elapsed().as_secs_f64(),
        rss_kib: usage.ru_maxrss,
        stdout,
        status,
    }
}

fn geomean(xs: &[f64]) -> f64 {
    (xs.iter().map(|x| x.ln()).sum::<f64>() / xs.len() as f64).exp()
}

struct Row {
    script: String,
    python: Run,
    ours: Run,
}

impl Row {
    fn time_ratio(&self) -> f64 {
        self.ours.seconds / self.python.seconds
    }
    fn rss_ratio(&self) -> f64 {
        self.ours.rss_kib as f64 / self.python.rss_kib.max(1) as f64
    }
    fn same(&self) -> bool {
        (&self.python.stdout, self.python.status) == (&self.ours.stdout, self.ours.status)
    }
}

fn main() {
    // `cargo bench` passes `--bench`; anything else is ours.
    let mut reps = 3usize;
    let mut json = false;
    let mut wanted = Vec::new();
    let mut pylayout = env!("CARGO_BIN_EXE_pylayout").to_string();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--bench" => {}
            "--json" => json = true,
            "--pylayout" => {
                pylayout = args.next().unwrap_or_else(|| {
                    eprintln!("runner: --pylayout needs the path of a pylayout binary");
                    std::process::exit(2)
                })
            }
            "--reps" => {
                reps = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n| n > 0)
                    .unwrap_or_else(|| {
                        eprintln!("runner: --reps needs a number ≥ 1");
                        std::process::exit(2)
                    })
            }
            s if s.starts_with('-') => {
                eprintln!(
                    "runner: unknown option {s} (have --reps N, --json, --pylayout PATH, script names)"
                );
                std::process::exit(2)
            }
            s => wanted.push(s.to_string()),
        }
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/runner");
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("benches/runner")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    scripts.sort();
    let stem = |p: &PathBuf| p.file_stem().unwrap().to_string_lossy().to_string();
    if !wanted.is_empty() {
        for w in &wanted {
            if !scripts.iter().any(|p| &stem(p) == w) {
                let have: Vec<String> = scripts.iter().map(stem).collect();
                eprintln!("runner: no script {w} (have: {})", have.join(", "));
                std::process::exit(2);
            }
        }
        scripts.retain(|p| wanted.contains(&stem(p)));
    }
    if !Path::new(&pylayout).is_file() {
        eprintln!("runner: {pylayout} is not a file (--pylayout wants a pylayout binary)");
        std::process::exit(2);
    }
    let python = std::env::var("PYLAYOUT_PYTHON").unwrap_or_else(|_| "python3".into());

    let mut rows = Vec::new();
    for path in &scripts {
        let file = path.to_str().expect("utf-8 path");
        let py_argv = [python.as_str(), file];
        let our_argv = [pylayout.as_str(), "run", file];
        let (mut best_py, mut best_ours): (Option<Run>, Option<Run>) = (None, None);
        for rep in 0..reps {
            let sides: [bool; 2] = if rep % 2 == 0 {
                [true, false]
            } else {
                [false, true]
            };
            for is_py in sides {
                let run = run_once(if is_py { &py_argv } else { &our_argv });
                let best = if is_py { &mut best_py } else { &mut best_ours };
                *best = Some(match best.take() {
                    None => run,
                    Some(b) => Run {
                        seconds: b.seconds.min(run.seconds),
                        rss_kib: b.rss_kib.max(run.rss_kib),
                        ..run
                    },
                });
            }
        }
        rows.push(Row {
            script: stem(path),
            python: best_py.expect("ran"),
            ours: best_ours.expect("ran"),
        });
    }

    let time: Vec<f64> = rows.iter().map(Row::time_ratio).collect();
    let rss: Vec<f64> = rows.iter().map(Row::rss_ratio).collect();
    let max = |v: &[f64]| v.iter().cloned().fold(0.0, f64::max);
    if json {
        let scripts: Vec<serde_json::Value> = rows
            .iter()
            .map(|r| {
                serde_json::json!({
                    "script": r.script,
                    "python3_s": r.python.seconds,
                    "pylayout_s": r.ours.seconds,
                    "time_ratio": r.time_ratio(),
                    "python3_rss_kib": r.python.rss_kib,
                    "pylayout_rss_kib": r.ours.rss_kib,
                    "rss_ratio": r.rss_ratio(),
                    "same_output": r.same(),
                })
            })
            .collect();
        let out = serde_json::json!({
            "scripts": scripts,
            "summary": {
                "time_ratio_geomean": geomean(&time),
                "rss_ratio_geomean": geomean(&rss),
                "worst_time_ratio": max(&time),
                "worst_rss_ratio": max(&rss),
                "reps": reps,
            }
        });
        println!("{}", serde_json::to_string_pretty(&out).expect("json"));
    } else {
        println!(
            "{:<16} {:>9} {:>9} {:>7}   {:>8} {:>8} {:>6}",
            "script", "python3", "pylayout", "ratio", "py RSS", "our RSS", "ratio"
        );
        for r in &rows {
            println!(
                "{:<16} {:>8.3}s {:>8.3}s {:>6.2}x   {:>6.1}MB {:>6.1}MB {:>5.2}x{}",
                r.script,
                r.python.seconds,
                r.ours.seconds,
                r.time_ratio(),
                r.python.rss_kib as f64 / 1024.0,
                r.ours.rss_kib as f64 / 1024.0,
                r.rss_ratio(),
                if r.same() { "" } else { "   OUTPUT DIFFERS" }
            );
        }
        println!(
            "\ngeometric mean: time {:.2}x, peak RSS {:.2}x (worst: {:.2}x, {:.2}x); best of {reps} \
             interleaved rounds",
            geomean(&time),
            geomean(&rss),
            max(&time),
            max(&rss)
        );
    }
    let differ: Vec<&str> = rows
        .iter()
        .filter(|r| !r.same())
        .map(|r| r.script.as_str())
        .collect();
    if !differ.is_empty() {
        eprintln!(
            "runner: output differs from python3 for: {}",
            differ.join(", ")
        );
        std::process::exit(1);
    }
}
