//! Scripts that put non-ASCII text through str's predicates, `upper()`/`lower()`,
//! `split()`/`strip()` and `int()`/`float()`, run by `pylayout run` and by python3 (`PYTHONHASHSEED=0`), output
//! compared line by line.
//!
//! The strings are drawn at random from pieces chosen to sit on the rules' edges: ASCII,
//! Latin-1, Arabic-Indic, fullwidth and mathematical digits, superscripts (`'²'`: a digit,
//! not decimal), Roman numerals (`'Ⅻ'`: numeric only), titlecase (`'ǅ'`), the capital sigma
//! beside cased and case-ignorable characters, characters whose case mapping is several
//! (`'ß'`, `'İ'`, `'ŉ'`), Unicode spaces (`'\u3000'`, `'\x85'`) and the ASCII separators that
//! are `isspace()` but not spaces to `int()` (`'\x1c'`).

mod common;

use std::process::Command;

use common::{Rng, hex_lines, python_exe, python_io, unhex};
use pylayout::script::{self, Outcome, RunOptions};

/// Pieces of text for the predicates and case mappings.
const TEXT: &[&str] = &[
    "a",
    "Z",
    "7",
    " ",
    "_",
    "'",
    ".",
    "é",
    "É",
    "ß",
    "ÿ",
    "ª",
    "µ",
    "²",
    "½",
    "٣",
    "۵",
    "３",
    "Ａ",
    "ａ",
    "Ⅻ",
    "ⅻ",
    "〇",
    "三",
    "ǅ",
    "ǆ",
    "Ǆ",
    "Σ",
    "σ",
    "ς",
    "İ",
    "ı",
    "ŉ",
    "ﬁ",
    "ΐ",
    "\u{301}",
    "\u{345}",
    "\u{2b0}",
    "ʰ",
    "\u{3000}",
    "\u{85}",
    "\u{a0}",
    "\u{1c}",
    "\u{1f}",
    "\u{200b}",
    "\u{2028}",
    "\t",
    "\n",
    "Ⓐ",
    "ⓐ",
    "𝐀",
    "𝟗",
    "😀",
    "中",
    "ꟊ",
    "\u{10d50}",
    "\u{1e900}",
    "\u{1e922}",
    "ᾈ",
    "ᾀ",
    "ﬀ",
    "Ω",
    "K",
    "Å",
    "Ⅰ",
];

/// Pieces of text for `int()` and `float()`.
const NUMBER: &[&str] = &[
    "", " ", "\u{3000}", "\u{85}", "\u{a0}", "\u{1c}", "\t", "\n", "+", "-", "_", "0", "1", "7",
    "9", "٣", "٠", "３", "𝟗", "߁", "²", "Ⅻ", "x", "X", "b", "o", "a", "f", "z", "e", "E", ".",
    "inf", "nan", "Infinity", "é", "\u{0}",
];

/// A Python literal for `s` that both parsers read the same way: printable ASCII as it
/// is, everything else escaped.
fn literal(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        match c {
            '\'' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            ' '..='~' => out.push(c),
            c if (c as u32) < 0x100 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('\'');
    out
}

fn random_text(r: &mut Rng, pieces: &[&str], max: u64) -> String {
    (0..r.below(max + 1))
        .map(|_| pieces[r.below(pieces.len() as u64) as usize])
        .collect()
}

/// Run `src` as a file with python3 and with `pylayout run`; compare stdout line by line,
/// then the number of lines (at least `min_lines`).
fn compare_file(name: &str, src: &str, min_lines: usize) {
    let path = std::env::temp_dir().join(format!("pylayout-{name}-{}.py", std::process::id()));
    std::fs::write(&path, src).expect("write script");
    let theirs = Command::new(python_exe())
        .arg(&path)
        .env("PYTHONHASHSEED", "0")
        .output()
        .expect("python3");
    let ours = Command::new(env!("CARGO_BIN_EXE_pylayout"))
        .arg("run")
        .arg(&path)
        .output()
        .expect("pylayout");
    let _ = std::fs::remove_file(&path);
    assert!(
        theirs.status.success(),
        "python3 failed: {}",
        String::from_utf8_lossy(&theirs.stderr)
    );
    assert!(
        ours.status.success(),
        "pylayout failed: {}",
        String::from_utf8_lossy(&ours.stderr)
    );
    let (a, b) = (
        String::from_utf8(ours.stdout).expect("utf-8"),
        String::from_utf8(theirs.stdout).expect("utf-8"),
    );
    let (ours, theirs): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    for (i, (x, y)) in ours.iter().zip(&theirs).enumerate() {
        assert_eq!(x, y, "{name}: line {} differs (python3 second)", i + 1);
    }
    assert_eq!(ours.len(), theirs.len(), "{name}: number of lines");
    assert!(
        theirs.len() >= min_lines,
        "{name}: {} lines are too few to prove anything",
        theirs.len()
    );
}

#[test]
fn predicates_case_mappings_and_whitespace_of_random_text() {
    common::assert_python_311();
    let mut r = Rng(0x5eed_0001);
    let mut strings: Vec<String> = TEXT.iter().map(|s| s.to_string()).collect();
    strings.push(String::new());
    strings.extend((0..1500).map(|_| random_text(&mut r, TEXT, 5)));
    let mut src = String::from("for s in [\n");
    for s in &strings {
        src.push_str(&format!("    {},\n", literal(s)));
    }
    src.push_str(
        "]:
    print(repr(s), s.isdigit(), s.isdecimal(), s.isnumeric(), s.isalpha(), s.isalnum(),
          s.isspace(), s.isupper(), s.islower(), s.istitle(), s.isascii(), s.isprintable())
    u = s.upper()
    l = s.lower()
    print(repr(u), len(u), repr(l), len(l), u.isupper(), l.islower())
    print(s.split(), repr(s.strip()), s.split(None, 1), repr(s.rstrip()))
",
    );
    compare_file("unicode-text", &src, 4500);
}

#[test]
fn int_and_float_of_valid_unicode_numbers() {
    // Every line prints: no exception can stop the script. The error cases are below.
    let src = "\
for s in ['١٢٣', '１２３', '-٣', '+３', '\\u30007\\u3000', '\\x85 42 \\xa0', '\\t\\n1_٢_3\\r',
          '٠', '𝟗𝟖', '߁߂', '0x١f', '0b١٠', '0o٧', '٠٠']:
    print(repr(s), int(s, 0))
for s in ['١٢٣', '１２３', '-٣', '+３', '\\u30007\\u3000', '\\x85 42 \\xa0', '٠', '𝟗𝟖']:
    print(repr(s), int(s), int(s, 16), int(s, 36), float(s))
for s in ['١.٥', '٣e٢', '-１.２５e-３', '\\u2028 .٥ ', '٣_٠٠٠.٥', '1e٣٠٠', '1e-٤٠٠',
          '\\u3000inf', '-Infinity\\x85', 'nan']:
    print(repr(s), float(s))
";
    compare_file("unicode-numbers", src, 30);
}

/// python3 runs every snippet (`exec` in fresh globals) and prints, per snippet, the hex of
/// its stdout and of its exception line (`-` for none).
const HARNESS: &str = r#"
import sys, io, traceback, contextlib
for line in sys.stdin:
    src = bytes.fromhex(line.strip()).decode()
    out, last = io.StringIO(), ''
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(src, '<string>', 'exec'), {'__name__': '__main__'})
    except Exception as e:
        last = traceback.format_exception_only(e)[-1].rstrip('\n')
    print(out.getvalue().encode().hex() or '-', last.encode().hex() or '-')
"#;

/// Our runner on one snippet, in this process (the code `pylayout run` runs): its stdout
/// and its exception line.
fn ours(src: &str) -> (String, String) {
    let mut out = Vec::new();
    let last = match script::run(src, &RunOptions::default(), &mut out, None) {
        Outcome::Ok => String::new(),
        Outcome::Exception(f) => script::format_traceback(&f, "<string>", src)
            .lines()
            .last()
            .unwrap_or("")
            .to_string(),
        Outcome::Refused(e) => format!("refused: {e}"),
    };
    (String::from_utf8(out).expect("utf-8"), last)
}

#[test]
fn int_and_float_of_random_text_raise_as_python_does() {
    common::assert_python_311();
    let mut r = Rng(0x5eed_0002);
    let mut cases: Vec<String> = Vec::new();
    // The repr in int()'s message is cut to 200 characters, float()'s is not; the digit
    // limit counts only the digits before anything else.
    for s in [
        "é".repeat(300),
        "x".repeat(250),
        "1".repeat(5000) + "x",
        "1".repeat(5000) + "__",
        "1".repeat(5000) + "_",
        "٣".repeat(4301),
    ] {
        cases.push(format!("print(int({}))", literal(&s)));
        cases.push(format!("print(float({}))", literal(&s)));
    }
    for _ in 0..1200 {
        let s = literal(&random_text(&mut r, NUMBER, 5));
        let call = match r.below(6) {
            0 => format!("int({s}, 0)"),
            1 => format!("int({s}, 16)"),
            2 => format!("int({s}, {})", 2 + r.below(35)),
            3 | 4 => format!("float({s})"),
            _ => format!("int({s})"),
        };
        cases.push(format!("print({call})"));
    }
    let (out, _) = python_io(HARNESS, &hex_lines(&cases));
    let theirs: Vec<(String, String)> = out
        .lines()
        .map(|l| {
            let (o, e) = l.split_once(' ').expect("two fields");
            (unhex(o), unhex(e))
        })
        .collect();
    assert_eq!(theirs.len(), cases.len(), "python3 answered every snippet");
    let raised = theirs.iter().filter(|(_, e)| !e.is_empty()).count();
    assert!(
        raised > 300 && raised < cases.len() - 100,
        "both outcomes are exercised ({raised} of {} raise)",
        cases.len()
    );
    let failures: Vec<String> = cases
        .iter()
        .zip(&theirs)
        .filter_map(|(src, t)| {
            let o = ours(src);
            (o != *t).then(|| {
                let cut = |x: &str| x.chars().take(300).collect::<String>();
                format!(
                    "{}\n  ours:    {:?} {:?}\n  python3: {:?} {:?}",
                    cut(src),
                    o.0,
                    cut(&o.1),
                    t.0,
                    cut(&t.1)
                )
            })
        })
        .take(10)
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
