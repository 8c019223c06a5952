//! `list.sort` / `sorted` against the real interpreter with an inconsistent `<`: random
//! lists of floats (and some ints) holding NaNs, of lengths 0..300 and several shapes
//! (random, few values, ascending / descending runs), sorted both ways by python3 and by
//! `pylayout::script`, must print identically. Any deviation from CPython 3.11's `listsort`
//! (run detection, binary insertion, merge order, galloping) shows up as a different order
//! around the NaNs.

mod common;

use common::{Rng, assert_python_311, python_script};
use pylayout::script::{Outcome, RunOptions, run};

fn value(rng: &mut Rng, nan_per_mille: u64, spread: u64) -> String {
    if rng.below(1000) < nan_per_mille {
        return "nan".into();
    }
    let v = rng.below(spread) as i64 - (spread / 2) as i64;
    match rng.below(8) {
        0 => format!("{v}"), // an int now and then: mixed comparisons
        1 => format!("{v}.5"),
        _ => format!("{v}.0"),
    }
}

fn list(rng: &mut Rng) -> String {
    let len = rng.below(300) as usize;
    let nan_per_mille = [0, 5, 30, 100, 300, 900][rng.below(6) as usize];
    let spread = [3, 50, 100_000][rng.below(3) as usize];
    let mut items: Vec<String> = Vec::with_capacity(len);
    match rng.below(3) {
        0 => {
            for _ in 0..len {
                items.push(value(rng, nan_per_mille, spread));
            }
        }
        _ => {
            // Runs: ascending, descending, or flat, with NaNs sprinkled in.
            while items.len() < len {
                let run = (1 + rng.below(80) as usize).min(len - items.len());
                let start = rng.below(1000) as i64 - 500;
                let step = [1, -1, 0, 2, -3][rng.below(5) as usize];
                for j in 0..run as i64 {
                    if rng.below(1000) < nan_per_mille {
                        items.push("nan".into());
                    } else {
                        items.push(format!("{}.0", start + step * j));
                    }
                }
            }
        }
    }
    format!("[{}]", items.join(", "))
}

fn ours(src: &str) -> String {
    let mut out = Vec::new();
    let outcome = run(src, &RunOptions::default(), &mut out, None);
    assert!(matches!(outcome, Outcome::Ok), "{outcome:?}\n{src}");
    String::from_utf8(out).expect("utf-8")
}

#[test]
fn nan_lists_sort_as_cpython_does() {
    assert_python_311();
    let mut rng = Rng(0x51AB_0001);
    for chunk in 0..12 {
        let mut src = String::from("nan = float('nan')\n");
        for _ in 0..25 {
            let l = list(&mut rng);
            src.push_str(&format!(
                "l = {l}\nprint(sorted(l))\nprint(sorted(l, reverse=True))\n\
                 m = list(l)\nm.sort(reverse=True)\nprint(m)\nl.sort()\nprint(l)\n"
            ));
        }
        let (theirs, _) = python_script(&src);
        let mine = ours(&src);
        if mine != theirs {
            for (k, (a, b)) in mine.lines().zip(theirs.lines()).enumerate() {
                assert_eq!(a, b, "chunk {chunk}, output line {k}");
            }
            assert_eq!(mine, theirs, "chunk {chunk}: line counts differ");
        }
    }
}
