//! Every code point (surrogates aside) through str's predicates, `upper()`, `lower()`
//! (with a capital sigma around it) and `int()`/`float()`, ours against python3's.
//!
//! python3 runs once for the whole sweep and prints, per property, the ranges of code
//! points where it holds (or the mapping where one changes the character); we compute the
//! same property for every code point with pylayout's own `str` objects and parsers and
//! report the first code points that differ. Nothing on our side reads the generated tables
//! directly: a wrong table, a wrong rule over it, or a stale generation fails here.

mod common;

use std::collections::HashMap;

use pylayout::script::numparse::{parse_float, parse_int};
use pylayout::types::str::{PyStr, StrPredicate};

const SWEEP: &str = r#"
import sys
names = sys.stdin.read().split()
cps = [cp for cp in range(0x110000) if not 0xD800 <= cp < 0xE000]

def ranges(pred):
    out = []
    for cp in cps:
        if pred(cp):
            if out and out[-1][1] == cp - 1:
                out[-1][1] = cp
            else:
                out.append([cp, cp])
    return " ".join(f"{a:x}-{b:x}" for a, b in out)

for n in names:
    f = getattr(str, n)
    print(n, ranges(lambda cp: f(chr(cp))))

S, FINAL = "\u03a3", "\u03c2"
print("sigma_after", ranges(lambda cp: (chr(cp) + S).lower()[-1] == FINAL))
print("sigma_after_cased", ranges(lambda cp: ("A" + chr(cp) + S).lower()[-1] == FINAL))
print("sigma_before", ranges(lambda cp: ("A" + S + chr(cp)).lower()[1] == FINAL))

for n in ("upper", "lower", "title", "casefold", "swapcase", "capitalize"):
    f = getattr(str, n)
    pairs = []
    for cp in cps:
        m = f(chr(cp))
        if m != chr(cp):
            pairs.append(f"{cp:x}:" + ".".join(f"{ord(x):x}" for x in m))
    print(n, " ".join(pairs))

def parsed(f):
    out = []
    for cp in cps:
        c = chr(cp)
        try:
            v = f(c + "1" + c)
        except ValueError:
            continue
        out.append(f"{cp:x}:{v!r}")
    return " ".join(out)

print("int", parsed(int))
print("float", parsed(float))
"#;

const SKIP: std::ops::Range<u32> = 0xD800..0xE000;

fn code_points() -> impl Iterator<Item = char> {
    (0..0x11_0000u32)
        .filter(|cp| !SKIP.contains(cp))
        .map(|cp| char::from_u32(cp).expect("not a surrogate"))
}

/// `ß` -> `53.53`: code points in hex, as the sweep prints a mapping.
fn chars_of(s: &str) -> String {
    s.chars()
        .map(|c| format!("{:x}", c as u32))
        .collect::<Vec<_>>()
        .join(".")
}

/// A property python3 printed as ranges (`a-b`, hex, inclusive).
fn in_ranges(line: &str) -> Vec<(u32, u32)> {
    line.split_whitespace()
        .map(|r| {
            let (a, b) = r.split_once('-').expect("a-b");
            (
                u32::from_str_radix(a, 16).expect("hex"),
                u32::from_str_radix(b, 16).expect("hex"),
            )
        })
        .collect()
}

/// Membership in sorted ranges, asked in increasing code point order (as the comparison
/// walks them).
fn member(rs: Vec<(u32, u32)>) -> impl FnMut(u32) -> Option<String> {
    let mut i = 0;
    move |cp| {
        while i < rs.len() && rs[i].1 < cp {
            i += 1;
        }
        (i < rs.len() && rs[i].0 <= cp).then(String::new)
    }
}

/// A property python3 printed as `cp:value` pairs.
fn pairs(line: &str) -> HashMap<u32, String> {
    line.split_whitespace()
        .map(|p| {
            let (a, b) = p.split_once(':').expect("cp:value");
            (u32::from_str_radix(a, 16).expect("hex"), b.to_string())
        })
        .collect()
}

/// What pylayout answers for one code point `c`, every property at once (one `str`
/// object for the character, one for the sigma contexts).
struct Ours {
    /// `StrPredicate::ALL[i]` of `c` in bit i.
    predicates: u16,
    /// Is the sigma final in `cΣ`, `AcΣ`, `AΣc` (bits 0, 1, 2)?
    sigma: u8,
    upper: Option<String>,
    lower: Option<String>,
    title: Option<String>,
    casefold: Option<String>,
    swapcase: Option<String>,
    capitalize: Option<String>,
    int: Option<String>,
    float: Option<String>,
}

const SIGMA_CONTEXTS: [&str; 3] = ["sigma_after", "sigma_after_cased", "sigma_before"];

fn ours(c: char) -> Ours {
    let s = PyStr::new(c.encode_utf8(&mut [0; 4]));
    let mut predicates = 0;
    for (i, p) in StrPredicate::ALL.iter().enumerate() {
        predicates |= u16::from(s.test(*p)) << i;
    }
    let changed = |m: PyStr| {
        let m = m.to_string();
        (m != c.to_string()).then(|| chars_of(&m))
    };
    let lowered = s.lower();
    // The three contexts in one string, apart by spaces (neither cased nor case-ignorable,
    // so each sigma sees only its own group): `cΣ AcΣ AΣc`. Where each sigma lands in the
    // result depends on how long c's lowercase is ('İ' gives two characters).
    let n = lowered.len();
    let l: Vec<char> = PyStr::new(&format!("{c}Σ A{c}Σ AΣ{c}"))
        .lower()
        .to_string()
        .chars()
        .collect();
    let mut sigma = 0;
    for (bit, at) in [n, 2 * n + 3, 2 * n + 6].into_iter().enumerate() {
        sigma |= u8::from(l.get(at) == Some(&'ς')) << bit;
    }
    Ours {
        predicates,
        sigma,
        upper: changed(s.upper()),
        lower: changed(lowered),
        title: changed(s.title()),
        casefold: changed(s.casefold()),
        swapcase: changed(s.swapcase()),
        capitalize: changed(s.capitalize()),
        int: parse_int(&format!("{c}1{c}"), 10)
            .ok()
            .map(|v| v.to_string()),
        float: parse_float(&format!("{c}1{c}")).ok().map(|v| v.to_string()),
    }
}

#[test]
fn every_code_point_matches_python() {
    common::assert_python_311();
    let names: Vec<&str> = StrPredicate::ALL.iter().map(|p| p.name()).collect();
    let (out, _) = common::python_io(SWEEP, &names.join(" "));
    let lines: HashMap<&str, &str> = out
        .lines()
        .map(|l| l.split_once(' ').unwrap_or((l, "")))
        .collect();
    let expected = names.len() + SIGMA_CONTEXTS.len() + 6 + 2;
    assert_eq!(
        lines.len(),
        expected,
        "python3 printed {} properties",
        lines.len()
    );
    let line = |k: &str| *lines.get(k).unwrap_or_else(|| panic!("no line {k}"));

    let rows: Vec<(char, Ours)> = code_points().map(|c| (c, ours(c))).collect();
    let mut diffs = Vec::new();
    // Compare one property over every code point, keeping the first 12 differences.
    let mut compare = |name: &str,
                       mut theirs: Box<dyn FnMut(u32) -> Option<String> + '_>,
                       mine: &dyn Fn(&Ours) -> Option<String>| {
        diffs.extend(
            rows.iter()
                .filter_map(|(c, o)| {
                    let (t, m) = (theirs(*c as u32), mine(o));
                    (t != m)
                        .then(|| format!("{name}(U+{:04X}): python3 {t:?}, ours {m:?}", *c as u32))
                })
                .take(12),
        );
    };

    let yes = |b: bool| b.then(String::new);
    for (i, p) in StrPredicate::ALL.iter().enumerate() {
        let rs = in_ranges(line(p.name()));
        assert!(
            !rs.is_empty(),
            "{}: python3 printed no code points",
            p.name()
        );
        compare(p.name(), Box::new(member(rs)), &|o| {
            yes(o.predicates & (1 << i) != 0)
        });
    }
    // `lower()` decides a capital sigma by the characters around it (cased, case-ignorable).
    for (bit, name) in SIGMA_CONTEXTS.iter().enumerate() {
        compare(name, Box::new(member(in_ranges(line(name)))), &|o| {
            yes(o.sigma & (1 << bit) != 0)
        });
    }
    let upper = pairs(line("upper"));
    let lower = pairs(line("lower"));
    assert!(
        upper.len() > 1000 && lower.len() > 1000,
        "python3 printed few mappings"
    );
    compare("upper", Box::new(|cp| upper.get(&cp).cloned()), &|o| {
        o.upper.clone()
    });
    compare("lower", Box::new(|cp| lower.get(&cp).cloned()), &|o| {
        o.lower.clone()
    });
    let title = pairs(line("title"));
    compare("title", Box::new(|cp| title.get(&cp).cloned()), &|o| {
        o.title.clone()
    });
    let casefold = pairs(line("casefold"));
    compare(
        "casefold",
        Box::new(|cp| casefold.get(&cp).cloned()),
        &|o| o.casefold.clone(),
    );
    let swapcase = pairs(line("swapcase"));
    compare(
        "swapcase",
        Box::new(|cp| swapcase.get(&cp).cloned()),
        &|o| o.swapcase.clone(),
    );
    let capitalize = pairs(line("capitalize"));
    compare(
        "capitalize",
        Box::new(|cp| capitalize.get(&cp).cloned()),
        &|o| o.capitalize.clone(),
    );
    let ints = pairs(line("int"));
    assert!(ints.len() > 600, "python3 parsed {} ints", ints.len());
    compare(
        "int(c + '1' + c)",
        Box::new(|cp| ints.get(&cp).cloned()),
        &|o| o.int.clone(),
    );
    let floats = pairs(line("float"));
    compare(
        "float(c + '1' + c)",
        Box::new(|cp| {
            floats
                .get(&cp)
                .map(|r| r.parse::<f64>().expect("a float repr").to_string())
        }),
        &|o| o.float.clone(),
    );
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

/// `src/types/unicode_db.rs` is what `tools/gen_unicode.py` prints today (no hand edits,
/// no stale generation).
#[test]
fn generated_tables_are_current() {
    common::assert_python_311();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new(common::python_exe())
        .arg(root.join("tools/gen_unicode.py"))
        .output()
        .expect("run the generator");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let committed =
        std::fs::read_to_string(root.join("src/types/unicode_db.rs")).expect("unicode_db.rs");
    assert!(
        String::from_utf8_lossy(&out.stdout) == committed,
        "src/types/unicode_db.rs differs from tools/gen_unicode.py's output: regenerate it"
    );
}
