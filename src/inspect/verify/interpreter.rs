//! Finding the real interpreter `--python` names, and running code in it.
//!
//! `--python` takes a version (`3.12`: pyenv's build of it, else `python3.12`, else `python3`
//! when that is 3.12), a program on `PATH` (`python3.12`) or a path. A program is asked for
//! its version; one that does not answer as CPython is refused with one line.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::profile::PyVersion;

/// What `--python` named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PythonChoice {
    /// A version: `3.12`.
    Version(PyVersion),
    /// A program on `PATH` or a path: `python3.12`, `/usr/bin/python3`.
    Program(String),
}

impl PythonChoice {
    /// Reads `--python`'s value: anything that starts with a digit is a version (and must be
    /// one pylayout knows), anything else a program.
    pub fn parse(s: &str) -> Result<PythonChoice, String> {
        let s = s.trim();
        if s.is_empty() {
            return Err("--python needs a version (3.8 to 3.13), a program or a path".into());
        }
        if s.starts_with(|c: char| c.is_ascii_digit()) {
            PyVersion::parse(s)
                .map(PythonChoice::Version)
                .map_err(|e| e.to_string())
        } else {
            Ok(PythonChoice::Program(s.to_string()))
        }
    }
}

/// A CPython interpreter on this machine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interpreter {
    /// How it is started.
    pub program: PathBuf,
    /// Its minor version.
    pub version: PyVersion,
    /// `sys.version_info[:3]` as `3.11.7`.
    pub full_version: String,
}

/// How long a program may take to say its version, or to run the probes.
const ASK_TIMEOUT: Duration = Duration::from_secs(20);
const PROBE_TIMEOUT: Duration = Duration::from_secs(300);
/// The most of a program's output kept.
const OUTPUT_CAP: u64 = 64 << 20;

impl Interpreter {
    /// The interpreter `choice` names.
    pub fn resolve(choice: &PythonChoice) -> Result<Interpreter, String> {
        match choice {
            PythonChoice::Version(v) => Interpreter::find(*v),
            PythonChoice::Program(p) => Interpreter::at(Path::new(p)),
        }
    }

    /// CPython `version` on this machine: pyenv's newest build of it, else `python3.X` on
    /// `PATH`, else `python3` if that is the version.
    pub fn find(version: PyVersion) -> Result<Interpreter, String> {
        let mut candidates: Vec<PathBuf> = pyenv_builds(version);
        candidates.push(PathBuf::from(format!("python{version}")));
        candidates.push(PathBuf::from("python3"));
        for c in candidates {
            if let Ok(i) = Interpreter::at(&c)
                && i.version == version
            {
                return Ok(i);
            }
        }
        Err(format!(
            "no CPython {version} found (looked in $(pyenv root)/versions/{version}.*, for python{version} and python3 on PATH); pass --python PATH"
        ))
    }

    /// The interpreter at `program`, asked for its version.
    pub fn at(program: &Path) -> Result<Interpreter, String> {
        let shown = program.display();
        let code =
            "import sys; print(sys.implementation.name, '%d.%d.%d' % tuple(sys.version_info[:3]))";
        let out = run_with_timeout(program, &["-c", code], "", ASK_TIMEOUT, &[])
            .map_err(|e| format!("cannot run '{shown}': {e}"))?;
        let not_python =
            || format!("'{shown}' is not a Python interpreter (it did not report a version)");
        if !out.success {
            let said = out
                .stderr
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            return Err(if said.is_empty() {
                not_python()
            } else {
                format!(
                    "'{shown}' is not a Python interpreter that runs here: {}",
                    said.trim()
                )
            });
        }
        let line = out.stdout.lines().next().unwrap_or("");
        let (name, full) = line.split_once(' ').ok_or_else(not_python)?;
        let mut parts = full.split('.').map(|p| p.parse::<u32>());
        let (Some(Ok(major)), Some(Ok(minor))) = (parts.next(), parts.next()) else {
            return Err(not_python());
        };
        if name != "cpython" {
            return Err(format!(
                "'{shown}' is {name} {major}.{minor}, not CPython: pylayout models CPython's objects"
            ));
        }
        let version = PyVersion::from_parts(major, minor).map_err(|e| format!("'{shown}': {e}"))?;
        Ok(Interpreter {
            program: program.to_path_buf(),
            version,
            full_version: full.trim().to_string(),
        })
    }

    /// Runs `code` (fed on stdin, `python -`) with `PYTHONHASHSEED=0`; its stdout, or the
    /// error it printed.
    pub fn run(&self, code: &str) -> Result<String, String> {
        let out = run_with_timeout(
            &self.program,
            &["-"],
            code,
            PROBE_TIMEOUT,
            &[("PYTHONHASHSEED", "0")],
        )
        .map_err(|e| format!("cannot run '{}': {e}", self.program.display()))?;
        if out.success {
            Ok(out.stdout)
        } else {
            let last = out
                .stderr
                .lines()
                .last()
                .unwrap_or("no message")
                .to_string();
            Err(format!("the probe failed in {}: {last}", self.full_version))
        }
    }
}

/// `$(pyenv root)/versions/3.X.*/bin/python3`, newest micro version first.
fn pyenv_builds(version: PyVersion) -> Vec<PathBuf> {
    let root = std::env::var_os("PYENV_ROOT")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".pyenv")));
    let Some(versions) = root.map(|r| r.join("versions")) else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(&versions) else {
        return Vec::new();
    };
    let prefix = format!("{version}.");
    let mut found: Vec<(u32, PathBuf)> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let micro = name.strip_prefix(&prefix)?.parse::<u32>().ok()?;
            Some((micro, e.path().join("bin").join("python3")))
        })
        .filter(|(_, p)| p.exists())
        .collect();
    found.sort();
    found.into_iter().rev().map(|(_, p)| p).collect()
}

struct Finished {
    success: bool,
    stdout: String,
    stderr: String,
}

/// Runs `program args` with `stdin` fed to it, killed after `timeout`.
fn run_with_timeout(
    program: &Path,
    args: &[&str],
    stdin: &str,
    timeout: Duration,
    env: &[(&str, &str)],
) -> Result<Finished, String> {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "no such program".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    })?;
    // Feed stdin and drain both pipes from threads, so that neither side blocks the other.
    let mut input = child.stdin.take().expect("piped stdin");
    let text = stdin.to_owned();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(text.as_bytes());
    });
    // What a program prints past OUTPUT_CAP is read and dropped (`--python yes` must not
    // fill the memory before the timeout).
    let drain = |pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let mut pipe = pipe;
            let _ = (&mut pipe).take(OUTPUT_CAP).read_to_end(&mut buf);
            let _ = std::io::copy(&mut pipe, &mut std::io::sink());
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let out = drain(Box::new(child.stdout.take().expect("piped stdout")));
    let err = drain(Box::new(child.stderr.take().expect("piped stderr")));
    let start = Instant::now();
    let status = loop {
        match child.try_wait().map_err(|e| e.to_string())? {
            Some(status) => break status,
            None if start.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("no answer within {} s", timeout.as_secs()));
            }
            None => std::thread::sleep(Duration::from_millis(5)),
        }
    };
    let _ = writer.join();
    Ok(Finished {
        success: status.success(),
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    })
}
