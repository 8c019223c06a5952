//! `co_stacksize` (what `sys.getsizeof` of a generator is made of) against python3's
//! compiler: every function, lambda and generator expression of the study scripts and of
//! random programs from the fuzz grammar, compiled by both; each size pylayout computes must
//! be CPython's for a code object of the same qualified name. `PYLAYOUT_STACK_PROGRAMS` sets
//! how many random programs (default 600).

mod common;
#[path = "../fuzz/src/grammar.rs"]
#[allow(dead_code)]
mod grammar;

use std::collections::HashMap;

use common::Rng;
use grammar::Program;

const HARNESS: &str = r#"
import sys, warnings
warnings.simplefilter('ignore')
def walk(co, out):
    if co.co_name not in ('<listcomp>', '<dictcomp>', '<setcomp>'):
        out.append('%s=%d' % (co.co_qualname, co.co_stacksize))
    for c in co.co_consts:
        if hasattr(c, 'co_code'):
            walk(c, out)
for line in sys.stdin:
    src = bytes.fromhex(line.strip()).decode()
    out = []
    try:
        walk(compile(src, '<stdin>', 'exec'), out)
    except SyntaxError:
        out = ['!']
    print(' '.join(out), flush=True)
"#;

/// python3's `(qualname, co_stacksize)` per program (`None`: a SyntaxError).
fn theirs(programs: &[String]) -> Vec<Option<Vec<(String, usize)>>> {
    common::python_over_programs(HARNESS, programs)
        .lines()
        .map(|l| {
            (l != "!").then(|| {
                l.split(' ')
                    .filter(|f| !f.is_empty())
                    .map(|f| {
                        let (q, n) = f.rsplit_once('=').expect("name=size");
                        (q.to_string(), n.parse().expect("a size"))
                    })
                    .collect()
            })
        })
        .collect()
}

/// Every size pylayout computes, matched against one of python3's (same name and size).
fn compare(src: &str, theirs: &[(String, usize)]) -> Result<usize, String> {
    let Ok(ours) = pylayout::script::stack_sizes(src) else {
        return Ok(0);
    };
    let mut pool: HashMap<(&str, usize), usize> = HashMap::new();
    for (q, n) in theirs {
        *pool.entry((q.as_str(), *n)).or_default() += 1;
    }
    let mut checked = 0;
    for (q, n) in &ours {
        let Some(n) = n else { continue };
        match pool.get_mut(&(q.as_str(), *n)) {
            Some(c) if *c > 0 => {
                *c -= 1;
                checked += 1;
            }
            _ => {
                return Err(format!(
                    "{q}: pylayout says {n}, python3 has {:?}\n{src}",
                    theirs.iter().filter(|(t, _)| t == q).collect::<Vec<_>>()
                ));
            }
        }
    }
    Ok(checked)
}

fn check(programs: &[String]) -> usize {
    let py = theirs(programs);
    assert_eq!(
        py.len(),
        programs.len(),
        "one line per program from python3"
    );
    let mut checked = 0;
    let mut bad = Vec::new();
    for (src, t) in programs.iter().zip(&py) {
        let Some(t) = t else { continue };
        match compare(src, t) {
            Ok(n) => checked += n,
            Err(e) => bad.push(e),
        }
    }
    assert!(
        bad.is_empty(),
        "{} programs differ; the first:\n{}",
        bad.len(),
        bad[0]
    );
    checked
}

#[test]
fn stack_sizes_of_the_study_scripts_are_cpythons() {
    common::assert_python_311();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scripts");
    let mut programs = Vec::new();
    for e in std::fs::read_dir(dir).expect("tests/scripts") {
        let p = e.expect("entry").path();
        if p.extension().is_some_and(|x| x == "py") {
            programs.push(std::fs::read_to_string(&p).expect("read"));
        }
    }
    let checked = check(&programs);
    eprintln!(
        "{checked} code objects checked in {} scripts",
        programs.len()
    );
    assert!(checked > 100, "only {checked} code objects checked");
}

#[test]
fn stack_sizes_of_random_programs_are_cpythons() {
    common::assert_python_311();
    let n: u64 = std::env::var("PYLAYOUT_STACK_PROGRAMS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(600);
    let programs: Vec<String> = (1..=n)
        .map(|seed| {
            let mut r = Rng(seed.wrapping_mul(0x2545_f491_4f6c_dd1d) | 1);
            let chunks: Vec<Vec<u8>> = (0..2 + r.below(11))
                .map(|_| (0..8 + r.below(193)).map(|_| r.next() as u8).collect())
                .collect();
            let refs: Vec<&[u8]> = chunks.iter().map(Vec::as_slice).collect();
            Program::from_chunks(&refs).to_source()
        })
        .collect();
    let checked = check(&programs);
    eprintln!("{checked} code objects checked in {n} programs");
    assert!(checked as u64 > n, "only {checked} code objects checked");
}
