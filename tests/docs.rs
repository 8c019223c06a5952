//! The study guide in `docs/` is tested like code: every number it shows comes from a command
//! that this file runs.
//!
//! # The format
//!
//! A fenced block tagged `console` holds commands and excerpts of what they print:
//!
//! ````text
//! ```console
//! $ pylayout gc --after docs/scripts/cycle.py
//! │ threshold       ┆   700 ┆    10 ┆    10 │
//! ...
//! $ pylayout pool --workload none
//! ```
//! ````
//!
//! - A line starting with `$ pylayout ` is a command; its arguments are split as a shell would
//!   (single quotes, double quotes, backslash escapes). It runs with the repository root as its
//!   current directory, so paths such as `docs/scripts/cycle.py` work. It must exit 0.
//! - The lines after it, up to the next `$ ` line or the end of the block, are an excerpt of its
//!   stdout: each excerpt line must be one of the stdout's lines, in order, not necessarily
//!   contiguous. Both sides are trimmed and runs of whitespace become one space (a table column
//!   that widens by one does not break the docs). A line that is exactly `...` is skipped;
//!   `...` inside a line matches any text (for a line whose middle changes from run to run).
//! - Before comparing, both sides mask hex addresses (`0x7f3a…` → `0x…`) and timings (a number
//!   followed by ` ns`, ` µs`, ` ms` or ` s` → `<time>`).
//! - Any other `$ ` line in a `console` block is an error: a command nobody checks belongs in a
//!   `text` block.
//!
//! `docs/claims.md` has a table `| # | claim | verdict | correct statement (CPython 3.11) |
//! command |`; each verdict starts with `true`, `partly`, `false` or `out of date`, and each
//! command (in backticks) must also appear as a `$ ` command with a non-empty excerpt in a
//! `console` block of the same file, so the evidence for every claim is checked.
//!
//! A Chinese edition lives in `docs/zh/` with the same file names: every `docs/*.md` has a
//! `docs/zh/*.md` and the other way round, and each pair runs the same `$ pylayout` commands in
//! the same order (the excerpts are checked in each file on their own).
//!
//! The scripts in `docs/scripts/` must print under `pylayout run` what `python3` (3.11,
//! `PYTHONHASHSEED=0`) prints.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const BIN: &str = env!("CARGO_BIN_EXE_pylayout");
const VERDICTS: [&str; 4] = ["true", "partly", "false", "out of date"];

/// One `$ pylayout ...` line and the excerpt under it.
#[derive(Debug, Clone)]
struct Example {
    file: String,
    line: usize,
    /// The command as written, without the `$ `.
    command: String,
    excerpt: Vec<String>,
}

fn docs_dir() -> PathBuf {
    Path::new(ROOT).join("docs")
}

/// The `.md` files directly inside `dir`, by file name.
fn markdown_files(dir: &Path) -> BTreeSet<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return BTreeSet::new();
    };
    entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "md"))
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn relative(path: &Path) -> String {
    path.strip_prefix(ROOT)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The `console` blocks' commands and excerpts of one markdown file; `Err` for a malformed block.
fn parse_examples(file: &str, text: &str) -> Result<Vec<Example>, String> {
    let mut out = Vec::new();
    let mut in_console = false;
    let mut in_other_fence = false;
    let mut current: Option<Example> = None;
    for (i, raw) in text.lines().enumerate() {
        let lineno = i + 1;
        let trimmed = raw.trim_start();
        if trimmed.starts_with("```") {
            if in_console {
                out.extend(current.take());
                in_console = false;
            } else if in_other_fence {
                in_other_fence = false;
            } else if trimmed.trim_start_matches('`').trim() == "console" {
                in_console = true;
            } else {
                in_other_fence = true;
            }
            continue;
        }
        if !in_console {
            continue;
        }
        if let Some(cmd) = raw.strip_prefix("$ ") {
            out.extend(current.take());
            if !cmd.starts_with("pylayout ") && cmd.trim() != "pylayout" {
                return Err(format!(
                    "{file}:{lineno}: `$ {cmd}` in a console block: only `$ pylayout ...` \
                     commands are checked; put other commands in a ```text block"
                ));
            }
            current = Some(Example {
                file: file.to_string(),
                line: lineno,
                command: cmd.trim_end().to_string(),
                excerpt: Vec::new(),
            });
        } else if let Some(ex) = current.as_mut() {
            ex.excerpt.push(raw.to_string());
        } else if !raw.trim().is_empty() {
            return Err(format!(
                "{file}:{lineno}: a console block must start with a `$ pylayout` command, found {raw:?}"
            ));
        }
    }
    if in_console {
        return Err(format!("{file}: a ```console block is not closed"));
    }
    // Blank lines at the end of an excerpt carry no meaning.
    for ex in &mut out {
        while ex.excerpt.last().is_some_and(|l| l.trim().is_empty()) {
            ex.excerpt.pop();
        }
    }
    Ok(out)
}

/// Split a command line as a POSIX shell would, for the quoting the docs use.
fn shell_split(line: &str) -> Result<Vec<String>, String> {
    let mut args = Vec::new();
    let mut cur = String::new();
    let mut have = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => {
                if have {
                    args.push(std::mem::take(&mut cur));
                    have = false;
                }
            }
            '\'' => {
                have = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => cur.push(c),
                        None => return Err(format!("unclosed ' in {line:?}")),
                    }
                }
            }
            '"' => {
                have = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => cur.push(c),
                            Some(c) => {
                                cur.push('\\');
                                cur.push(c);
                            }
                            None => return Err(format!("unclosed \" in {line:?}")),
                        },
                        Some(c) => cur.push(c),
                        None => return Err(format!("unclosed \" in {line:?}")),
                    }
                }
            }
            '\\' => {
                have = true;
                match chars.next() {
                    Some(c) => cur.push(c),
                    None => return Err(format!("a trailing backslash in {line:?}")),
                }
            }
            '|' | '>' | '<' | ';' | '&' | '`' | '$' | '*' | '?' => {
                return Err(format!(
                    "{c:?} outside quotes in {line:?}: the docs' commands are run without a shell"
                ));
            }
            c => {
                have = true;
                cur.push(c);
            }
        }
    }
    if have {
        args.push(cur);
    }
    Ok(args)
}

/// Mask what changes from run to run, trim, and collapse runs of whitespace.
fn normalize(line: &str) -> String {
    let masked = mask_times(&mask_hex(line));
    masked.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn mask_hex(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let starts = b[i] == b'0'
            && b.get(i + 1) == Some(&b'x')
            && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
            && (i == 0 || !b[i - 1].is_ascii_alphanumeric());
        if starts {
            let mut j = i + 2;
            while j < b.len() && b[j].is_ascii_hexdigit() {
                j += 1;
            }
            out.push_str("0x…");
            i = j;
        } else {
            // Copy one whole UTF-8 character.
            let ch = line[i..].chars().next().expect("in bounds");
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

fn mask_times(line: &str) -> String {
    const UNITS: [&str; 4] = ["ns", "µs", "ms", "s"];
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        let boundary = i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '.');
        if boundary && chars[i].is_ascii_digit() {
            let mut j = i;
            while j < chars.len() && (chars[j].is_ascii_digit() || matches!(chars[j], '.' | ',')) {
                j += 1;
            }
            // The number may end in '.' or ',' that belong to the sentence.
            let mut end = j;
            while end > i && matches!(chars[end - 1], '.' | ',') {
                end -= 1;
            }
            if chars.get(end) == Some(&' ') {
                let rest: String = chars[end + 1..].iter().take(3).collect();
                let unit = UNITS.iter().find(|u| {
                    rest.starts_with(**u)
                        && rest[u.len()..]
                            .chars()
                            .next()
                            .is_none_or(|c| !c.is_alphanumeric())
                });
                if let Some(u) = unit {
                    out.push_str("<time>");
                    i = end + 1 + u.chars().count();
                    continue;
                }
            }
            out.extend(&chars[i..j]);
            i = j;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Does a normalised stdout line match a normalised excerpt line (`...` matches any text)?
fn line_matches(pattern: &str, line: &str) -> bool {
    if !pattern.contains("...") {
        return pattern == line;
    }
    let parts: Vec<&str> = pattern.split("...").collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !line.starts_with(first) || line.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &line[first.len()..];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

/// Check an excerpt against a command's stdout; `Err` names the first line not found.
fn check_excerpt(excerpt: &[String], stdout: &str) -> Result<(), String> {
    let lines: Vec<String> = stdout.lines().map(normalize).collect();
    let mut at = 0;
    for want in excerpt {
        let want_n = normalize(want);
        if want_n == "..." || want_n.is_empty() && want.trim().is_empty() {
            continue;
        }
        match lines[at..].iter().position(|l| line_matches(&want_n, l)) {
            Some(k) => at += k + 1,
            None => {
                let earlier = lines[..at].iter().any(|l| line_matches(&want_n, l));
                return Err(format!(
                    "excerpt line not found{}:\n    {}\n  (normalised: {want_n:?})",
                    if earlier {
                        " after the previous excerpt line (it appears earlier: order?)"
                    } else {
                        " in stdout"
                    },
                    want.trim()
                ));
            }
        }
    }
    Ok(())
}

/// What running one command gave.
#[derive(Debug, Clone)]
struct Outcome {
    status: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run_pylayout(args: &[String]) -> Outcome {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env("PYTHONHASHSEED", "0")
        .output()
        .unwrap_or_else(|e| panic!("run {BIN}: {e}"));
    Outcome {
        status: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Run each distinct command once, several at a time.
fn run_all(commands: &BTreeSet<Vec<String>>) -> BTreeMap<Vec<String>, Outcome> {
    let queue = Mutex::new(commands.iter().cloned().collect::<Vec<_>>());
    let results = Mutex::new(BTreeMap::new());
    let workers = std::thread::available_parallelism().map_or(4, |n| n.get().min(8));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let Some(args) = queue.lock().expect("queue").pop() else {
                        break;
                    };
                    let outcome = run_pylayout(&args[1..]);
                    results.lock().expect("results").insert(args, outcome);
                }
            });
        }
    });
    results.into_inner().expect("results")
}

/// Every chapter file to check: `docs/*.md` and, if present, `docs/zh/*.md`.
fn chapter_paths() -> Vec<PathBuf> {
    let mut paths = Vec::new();
    for dir in [docs_dir(), docs_dir().join("zh")] {
        for name in markdown_files(&dir) {
            paths.push(dir.join(name));
        }
    }
    paths
}

#[test]
fn every_console_command_runs_and_prints_its_excerpt() {
    let mut examples = Vec::new();
    let mut problems = Vec::new();
    for path in chapter_paths() {
        match parse_examples(&relative(&path), &read(&path)) {
            Ok(ex) => examples.extend(ex),
            Err(e) => problems.push(e),
        }
    }
    assert!(
        !examples.is_empty(),
        "no ```console commands found in docs/"
    );
    let mut split = Vec::new();
    for ex in &examples {
        match shell_split(&ex.command) {
            Ok(args) => split.push((ex, args)),
            Err(e) => problems.push(format!("{}:{}: {e}", ex.file, ex.line)),
        }
    }
    let distinct: BTreeSet<Vec<String>> = split.iter().map(|(_, a)| a.clone()).collect();
    let outcomes = run_all(&distinct);
    for (ex, args) in &split {
        let out = &outcomes[args];
        let whence = format!("{}:{}: $ {}", ex.file, ex.line, ex.command);
        if out.status != Some(0) {
            problems.push(format!(
                "{whence}\n  exited with {:?}; stderr:\n{}",
                out.status,
                indent(&out.stderr)
            ));
            continue;
        }
        if let Err(e) = check_excerpt(&ex.excerpt, &out.stdout) {
            problems.push(format!(
                "{whence}\n  {e}\n  stdout was:\n{}",
                indent(&out.stdout)
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {} documented commands failed:\n\n{}",
        problems.len(),
        examples.len(),
        problems.join("\n\n")
    );
    eprintln!(
        "checked {} documented commands ({} distinct)",
        examples.len(),
        distinct.len()
    );
}

fn indent(text: &str) -> String {
    let mut s = String::new();
    for l in text.lines().take(80) {
        let _ = writeln!(s, "    | {l}");
    }
    if text.lines().count() > 80 {
        s.push_str("    | ...\n");
    }
    s
}

/// The rows of the claims table: (claim number, verdict, command).
fn claims_rows(file: &str, text: &str) -> Result<Vec<(String, String, String)>, String> {
    let mut rows = Vec::new();
    let mut header_seen = false;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if !t.starts_with('|') {
            if header_seen && !rows.is_empty() {
                break;
            }
            continue;
        }
        if t.chars().all(|ch| matches!(ch, '|' | '-' | ':' | ' ')) {
            continue;
        }
        let cells: Vec<&str> = t.trim_matches('|').split(" | ").map(str::trim).collect();
        if !header_seen {
            if cells.first() == Some(&"#") {
                if cells.len() != 5 {
                    return Err(format!(
                        "{file}:{}: the claims table needs 5 columns",
                        i + 1
                    ));
                }
                header_seen = true;
            }
            continue;
        }
        if cells
            .iter()
            .all(|c| c.chars().all(|ch| matches!(ch, '-' | ':')))
        {
            continue;
        }
        if cells.len() != 5 {
            return Err(format!(
                "{file}:{}: a claims row needs 5 cells, found {} (a `|` inside a cell must be \
                 written `\\|`)",
                i + 1,
                cells.len()
            ));
        }
        let command = cells[4]
            .strip_prefix('`')
            .and_then(|c| c.strip_suffix('`'))
            .ok_or_else(|| format!("{file}:{}: the command cell is not in backticks", i + 1))?;
        rows.push((
            cells[0].to_string(),
            cells[2].to_string(),
            command.replace("\\|", "|"),
        ));
    }
    if rows.is_empty() {
        return Err(format!(
            "{file}: no claims table (a header starting `| # |`)"
        ));
    }
    Ok(rows)
}

#[test]
fn every_claim_has_a_verdict_and_checked_evidence() {
    let mut problems = Vec::new();
    let mut files = vec![docs_dir().join("claims.md")];
    let zh = docs_dir().join("zh").join("claims.md");
    if zh.exists() {
        files.push(zh);
    }
    for path in files {
        let file = relative(&path);
        let text = read(&path);
        let rows = match claims_rows(&file, &text) {
            Ok(r) => r,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        let examples = parse_examples(&file, &text).unwrap_or_default();
        for (k, (num, verdict, command)) in rows.iter().enumerate() {
            if num != &(k + 1).to_string() {
                problems.push(format!("{file}: claim {num} should be numbered {}", k + 1));
            }
            let v = verdict.trim_matches('*').to_lowercase();
            if !VERDICTS.iter().any(|ok| v.starts_with(ok)) {
                problems.push(format!(
                    "{file}: claim {num}: verdict {verdict:?} is none of {VERDICTS:?}"
                ));
            }
            if !command.starts_with("pylayout ") {
                problems.push(format!(
                    "{file}: claim {num}: the command {command:?} is not a pylayout command"
                ));
                continue;
            }
            let evidence = examples.iter().find(|e| &e.command == command);
            match evidence {
                None => problems.push(format!(
                    "{file}: claim {num}: `{command}` has no ```console block below the table \
                     (write `$ {command}` and the lines of its output that show the truth)"
                )),
                Some(e)
                    if e.excerpt
                        .iter()
                        .all(|l| l.trim().is_empty() || l.trim() == "...") =>
                {
                    problems.push(format!(
                        "{file}:{}: claim {num}: `$ {command}` has no excerpt: quote the lines \
                         that carry the numbers",
                        e.line
                    ))
                }
                Some(_) => {}
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_chinese_edition_mirrors_the_english_one() {
    let zh_dir = docs_dir().join("zh");
    if !zh_dir.is_dir() {
        eprintln!(
            "docs/zh/ does not exist yet: nothing to compare (this test checks it once it does)"
        );
        return;
    }
    let en = markdown_files(&docs_dir());
    let zh = markdown_files(&zh_dir);
    let mut problems = Vec::new();
    for missing in en.difference(&zh) {
        problems.push(format!(
            "docs/{missing} has no translation docs/zh/{missing}"
        ));
    }
    for extra in zh.difference(&en) {
        problems.push(format!(
            "docs/zh/{extra} has no English original docs/{extra}"
        ));
    }
    for name in en.intersection(&zh) {
        let commands = |dir: &Path| -> Result<Vec<String>, String> {
            let path = dir.join(name);
            Ok(parse_examples(&relative(&path), &read(&path))?
                .into_iter()
                .map(|e| e.command)
                .collect())
        };
        match (commands(&docs_dir()), commands(&zh_dir)) {
            (Ok(a), Ok(b)) if a != b => {
                let at = a
                    .iter()
                    .zip(&b)
                    .position(|(x, y)| x != y)
                    .unwrap_or(a.len().min(b.len()));
                problems.push(format!(
                    "docs/{name} and docs/zh/{name} run different commands: {} vs {} commands; \
                     first difference at #{}: {:?} vs {:?}",
                    a.len(),
                    b.len(),
                    at + 1,
                    a.get(at),
                    b.get(at)
                ));
            }
            (Err(e), _) | (_, Err(e)) => problems.push(e),
            _ => {}
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_index_links_every_chapter() {
    let index = read(&docs_dir().join("README.md"));
    let missing: Vec<String> = markdown_files(&docs_dir())
        .into_iter()
        .filter(|n| n != "README.md" && !index.contains(&format!("({n})")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/README.md does not link these chapters: {missing:?}"
    );
}

#[test]
fn the_docs_scripts_print_what_python3_prints() {
    let python = std::env::var("PYLAYOUT_PYTHON").unwrap_or_else(|_| "python3".into());
    let dir = docs_dir().join("scripts");
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    scripts.retain(|p| p.extension().is_some_and(|x| x == "py"));
    scripts.sort();
    let mut problems = Vec::new();
    for script in &scripts {
        let rel = relative(script);
        let ours = run_pylayout(&["run".into(), rel.clone()]);
        let theirs = Command::new(&python)
            .arg(&rel)
            .current_dir(ROOT)
            .env("PYTHONHASHSEED", "0")
            .output()
            .unwrap_or_else(|e| panic!("run {python}: {e} (python3 3.11 is a prerequisite)"));
        let theirs_out = String::from_utf8_lossy(&theirs.stdout);
        if !theirs.status.success() {
            problems.push(format!(
                "{rel}: {python} failed:\n{}",
                String::from_utf8_lossy(&theirs.stderr)
            ));
        } else if ours.status != Some(0) {
            problems.push(format!("{rel}: pylayout run failed:\n{}", ours.stderr));
        } else if ours.stdout != theirs_out {
            problems.push(format!(
                "{rel}: pylayout run and {python} disagree\n--- pylayout run\n{}--- {python}\n{}",
                ours.stdout, theirs_out
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[cfg(test)]
mod format {
    use super::*;

    #[test]
    fn shell_split_handles_quotes_and_escapes() {
        assert_eq!(
            shell_split(r#"pylayout layout "{'a': 1}" --x 'b c' d\ e "q\"r""#).unwrap(),
            [
                "pylayout", "layout", "{'a': 1}", "--x", "b c", "d e", "q\"r"
            ]
        );
        assert_eq!(shell_split("a ''").unwrap(), ["a", ""]);
        assert!(shell_split("a 'b").is_err());
        assert!(shell_split("a | b").is_err());
    }

    #[test]
    fn masks_addresses_and_times() {
        assert_eq!(normalize("  at 0x7f3a12  and 0x1 "), "at 0x… and 0x…");
        assert_eq!(
            normalize("took 0.025 ms; 12 µs, 3 s, 4 ns. 32 size classes, 5 sec"),
            "took <time>; <time>, <time>, <time>. 32 size classes, 5 sec"
        );
        assert_eq!(normalize("1,234.5 ms"), "<time>");
        assert_eq!(normalize("│ 1 ┆   700 ┆"), "│ 1 ┆ 700 ┆");
    }

    #[test]
    fn excerpts_match_in_order_with_skips_and_wildcards() {
        let out = "a 1\nb  2\nc 0x7fff\nd x y z\n";
        let ex = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(check_excerpt(&ex(&["a 1", "...", "c 0x1234"]), out).is_ok());
        assert!(check_excerpt(&ex(&["b 2", "d ... z"]), out).is_ok());
        assert!(check_excerpt(&ex(&["b 2", "a 1"]), out).is_err());
        assert!(
            check_excerpt(&ex(&["b"]), out).is_err(),
            "whole lines, not substrings"
        );
        assert!(check_excerpt(&ex(&["d ... q"]), out).is_err());
    }

    #[test]
    fn console_blocks_parse() {
        let md = "x\n```console\n$ pylayout a 'b'\nl1\n\n$ pylayout c\n```\n```text\n$ ls\n```\n";
        let ex = parse_examples("t.md", md).unwrap();
        assert_eq!(ex.len(), 2);
        assert_eq!(ex[0].excerpt, ["l1"]);
        assert!(ex[1].excerpt.is_empty());
        assert!(parse_examples("t.md", "```console\n$ ls\n```\n").is_err());
        assert!(parse_examples("t.md", "```console\nstray\n```\n").is_err());
    }
}

/// Every relative link in README.md and the guide (both editions) points at a file that
/// exists: a chapter renamed or split cannot leave a dead link behind.
#[test]
fn every_relative_link_resolves() {
    let root = PathBuf::from(ROOT);
    let mut files = vec![root.join("README.md")];
    for dir in [docs_dir(), docs_dir().join("zh")] {
        files.extend(
            markdown_files(&dir)
                .into_iter()
                .map(|n| dir.join(n))
                .filter(|p| p.exists()),
        );
    }
    let mut dead = Vec::new();
    for file in &files {
        let text = read(file);
        let base = file.parent().unwrap();
        let mut rest = text.as_str();
        while let Some(i) = rest.find("](") {
            rest = &rest[i + 2..];
            let end = rest.find([')', ' ', '#']).unwrap_or(rest.len());
            let target = &rest[..end];
            if target.is_empty() || target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            if !base.join(target).exists() {
                dead.push(format!("{} -> {target}", relative(file)));
            }
        }
    }
    assert!(dead.is_empty(), "dead links: {dead:#?}");
}
