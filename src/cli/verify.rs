//! `pylayout verify [--python 3.X|PROGRAM|PATH] [--json]`: the model against the interpreter
//! on this machine. The checks are computed in `pylayout::inspect::verify`; this module picks
//! the interpreter and prints the report.

use clap::Args;
use pylayout::inspect::verify::interpreter::{Interpreter, PythonChoice};
use pylayout::inspect::verify::{self, Check, Report, VerifyError};
use pylayout::profile::PyVersion;

use super::CliError;
use super::output::{self, Role, cell, emit, emit_json, table};

#[derive(Debug, Args)]
#[command(
    after_help = "Runs probes in the real interpreter and the same questions through pylayout, \
and compares every answer: the profile's constants, pymalloc's geometry, sys.getsizeof along each \
construction path, growth curves, hashes of every str kind, refcount rules, collector results, \
a few whole programs, and object fields read with ctypes.

Exit status: 0 every check passed, 1 a check failed (each difference is listed),
2 the interpreter is missing or is not CPython 3.8 to 3.13, or pylayout does not run its
scripts yet: 3.11 is checked whole; 3.12 and 3.13 on their profiles and their objects'
layouts; 3.8 to 3.10 on their profiles (the report says which).

Examples:
  pylayout verify                           python3 on PATH against its profile
  pylayout verify --python 3.11             pyenv's 3.11 (or python3.11 on PATH)
  pylayout verify --python /usr/bin/python3 --json
  pylayout verify --all                     every CPython 3.8-3.13 on this machine, a line each"
)]
pub struct VerifyArgs {
    /// Print the report as JSON (every check, passed or not)
    #[arg(long)]
    json: bool,
    /// Verify every CPython from 3.8 to 3.13 found on this machine (pyenv's, python3.X on
    /// PATH) and print one line per version; exit 1 if any check failed
    #[arg(long)]
    all: bool,
}

/// Hook for the tests: `section/name=value` replaces one of the profile's answers, to prove
/// that a wrong constant fails with a table.
const FLIP_ENV: &str = "PYLAYOUT_VERIFY_FLIP";

/// Returns 0 when every check passed, 1 otherwise.
pub fn run(args: &VerifyArgs, python: Option<&PythonChoice>) -> Result<u8, CliError> {
    if args.all {
        if python.is_some() {
            return Err(CliError::Usage(
                "--all verifies every version found: leave out --python".into(),
            ));
        }
        return run_all(args);
    }
    let default = PythonChoice::Program("python3".into());
    let interp = Interpreter::resolve(python.unwrap_or(&default)).map_err(CliError::Usage)?;
    let flip = std::env::var(FLIP_ENV).ok();
    let report = verify::verify(&interp, flip.as_deref()).map_err(|e| match e {
        VerifyError::Interpreter(msg) => CliError::Usage(msg),
    })?;
    if args.json {
        emit_json(&report)?;
    } else {
        emit(&render(&report))?;
    }
    if !report.passed() {
        return Ok(1);
    }
    if !report.objects_checked {
        let v = &report.profile;
        let modelled = PyVersion::MODELLED;
        let built = PyVersion::parse(v).is_ok_and(PyVersion::builds_objects);
        return Err(CliError::Usage(if built {
            format!(
                "CPython {v}'s objects are built (their sizes, hashes, growth, refcounts and fields were checked above), \
                 but scripts run as {modelled} runs them: the collector and whole programs are checked for {modelled} only"
            )
        } else {
            format!(
                "CPython {v}'s objects are not built yet: its profile's constants, list policy and hash functions were checked \
                 (sizes, growth and layouts need its objects: before 3.11 the dict's keys object, int 0 and the small ints differ)"
            )
        }));
    }
    Ok(0)
}

/// One version's line of `verify --all`.
#[derive(serde::Serialize)]
struct VersionLine {
    version: String,
    /// The report, or why there is none (no interpreter found, a probe that failed).
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<Report>,
    #[serde(skip_serializing_if = "Option::is_none")]
    missing: Option<String>,
}

/// `verify --all`: every version, its interpreter, its checks and what was checked.
fn run_all(args: &VerifyArgs) -> Result<u8, CliError> {
    let flip = std::env::var(FLIP_ENV).ok();
    let mut lines = Vec::new();
    for v in PyVersion::ALL {
        let found = Interpreter::find(v).and_then(|i| {
            verify::verify(&i, flip.as_deref()).map_err(|e| match e {
                VerifyError::Interpreter(msg) => msg,
            })
        });
        lines.push(match found {
            Ok(r) => VersionLine {
                version: v.to_string(),
                report: Some(r),
                missing: None,
            },
            Err(why) => VersionLine {
                version: v.to_string(),
                report: None,
                missing: Some(why),
            },
        });
    }
    if lines.iter().all(|l| l.report.is_none()) {
        return Err(CliError::Usage(
            "no CPython from 3.8 to 3.13 found on this machine (pyenv's, or python3.X on PATH)"
                .into(),
        ));
    }
    let failed = lines
        .iter()
        .filter_map(|l| l.report.as_ref())
        .any(|r| !r.passed());
    if args.json {
        emit_json(&lines)?;
    } else {
        let mut t = table(
            &["version", "interpreter", "checks", "failed", "checked"],
            &[2, 3],
        );
        for l in &lines {
            match &l.report {
                Some(r) => {
                    let n = r.failures().count();
                    t.add_row(vec![
                        cell(format!("{} ({})", l.version, r.python_version), None),
                        cell(r.interpreter.clone(), None),
                        cell(r.checks.len().to_string(), None),
                        cell(
                            n.to_string(),
                            Some(if n == 0 { Role::Good } else { Role::Bad }),
                        ),
                        cell(what_was_checked(r), None),
                    ]);
                }
                None => {
                    t.add_row(vec![
                        cell(l.version.clone(), None),
                        cell(l.missing.clone().unwrap_or_default(), None),
                        cell("-", None),
                        cell("-", None),
                        cell("not verified", None),
                    ]);
                }
            }
        }
        let mut out = format!("pylayout's profiles against every CPython on this machine\n\n{t}\n");
        for r in lines.iter().filter_map(|l| l.report.as_ref()) {
            if !r.passed() {
                out.push_str(&format!("\n{}", render(r)));
            }
        }
        out.push_str(if failed {
            "\nSome checks failed: their differences are listed above.\n"
        } else {
            "\nEvery check passed. `verify --python 3.X` shows one version's sections.\n"
        });
        emit(&out)?;
    }
    Ok(if failed { 1 } else { 0 })
}

/// What `verify` could check for a report's version, in a few words.
fn what_was_checked(r: &Report) -> String {
    let built = PyVersion::parse(&r.profile).is_ok_and(PyVersion::builds_objects);
    if r.objects_checked {
        "everything: objects and scripts".into()
    } else if built {
        "profile and objects (scripts run as 3.11)".into()
    } else {
        "profile, list policy, hashes (objects not built)".into()
    }
}

/// The report as text: a line per section, then every difference.
fn render(r: &Report) -> String {
    let mut out = format!(
        "pylayout's {} profile against CPython {} ({})\n\n",
        r.profile, r.python_version, r.interpreter
    );
    let mut t = table(&["section", "checks", "passed", "failed"], &[1, 2, 3]);
    for (section, n, failed) in r.sections() {
        let status = if failed == 0 { Role::Good } else { Role::Bad };
        t.add_row(vec![
            cell(section, None),
            cell(n.to_string(), None),
            cell((n - failed).to_string(), Some(Role::Good)),
            cell(failed.to_string(), (failed > 0).then_some(status)),
        ]);
    }
    out.push_str(&format!("{t}\n"));
    let failures: Vec<&Check> = r.failures().collect();
    if failures.is_empty() {
        out.push_str(&output::paint(
            &format!("All {} checks passed.\n", r.checks.len()),
            Role::Good,
        ));
        return out;
    }
    let mut d = table(&["section", "check", "pylayout", "python"], &[]);
    for c in &failures {
        let (ours, theirs) = around_difference(c.pylayout.as_deref(), c.python.as_deref());
        d.add_row(vec![
            cell(c.section.clone(), None),
            cell(c.name.clone(), None),
            cell(ours, Some(Role::Bad)),
            cell(theirs, None),
        ]);
    }
    out.push_str(&format!("\nDifferences:\n{d}\n"));
    out.push_str(&output::paint(
        &format!("{} of {} checks failed.\n", failures.len(), r.checks.len()),
        Role::Bad,
    ));
    out
}

/// The most text of a value shown in the table.
const SHOWN: usize = 60;

/// Both answers cut to the neighbourhood of their first difference (long curves and whole
/// outputs differ somewhere in the middle); a missing answer reads "(none)".
fn around_difference(ours: Option<&str>, theirs: Option<&str>) -> (String, String) {
    let (Some(a), Some(b)) = (ours, theirs) else {
        let show = |s: Option<&str>| s.map_or("(none)".to_string(), |s| cut(s, 0));
        return (show(ours), show(theirs));
    };
    let first = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let from = first.saturating_sub(SHOWN / 3);
    (cut(a, from), cut(b, from))
}

/// `SHOWN` characters of `s` from char `from`, with `…` where cut; newlines as `⏎`.
fn cut(s: &str, from: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    let end = (from + SHOWN).min(chars.len());
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    out.extend(
        chars[from.min(end)..end]
            .iter()
            .map(|&c| if c == '\n' { '⏎' } else { c }),
    );
    if end < chars.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_difference_is_shown_where_it_starts() {
        let a = format!("{}1:88 5:120", "x ".repeat(100));
        let b = format!("{}1:88 5:121", "x ".repeat(100));
        let (x, y) = around_difference(Some(&a), Some(&b));
        assert!(x.starts_with('…') && x.ends_with("5:120"), "{x}");
        assert!(y.ends_with("5:121"), "{y}");
        assert_eq!(
            around_difference(None, Some("a\nb")),
            ("(none)".into(), "a⏎b".into())
        );
    }
}
