//! The format mini-language against python3: `format(value, spec)` for every value kind
//! (ints small and big, bools, floats including the specials and values that round across a
//! power of ten, strs of every width, None and containers) and a matrix of specs that
//! exercises every field of `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`;
//! then `str.format` templates and `%` conversions. Each case must print what python3
//! prints, or raise its exception with the same line.

mod common;

use pylayout::script::{self, Outcome, RunOptions};

const VALUES: &[&str] = &[
    "0",
    "7",
    "-42",
    "1234567",
    "2**70",
    "-(2**64)",
    "True",
    "False",
    "0.0",
    "-0.0",
    "1.5",
    "-2.25",
    "3.14159",
    "1e16",
    "1.5e-7",
    "123456.789",
    "float('inf')",
    "float('-inf')",
    "float('nan')",
    "0.5",
    "2.5",
    "1e-5",
    "0.0001",
    "99.99",
    "9.9995",
    "1e22",
    "0.1",
    "'ab'",
    "'héllo'",
    "''",
    "'€x'",
    "None",
    "[1, 2]",
    "(3,)",
    "{'k': 1}",
    "1114111",
    "-1",
];

const SPECS: &[&str] = &[
    "",
    "d",
    "5",
    "<6",
    ">6",
    "^7",
    "*^9",
    "=+8",
    "+",
    " ",
    "-",
    ",",
    "_",
    "08",
    "010,",
    "#x",
    "#o",
    "#b",
    "X",
    "_x",
    "#010_b",
    "c",
    "e",
    ".3e",
    "E",
    "f",
    ".2f",
    ".0f",
    "#.0f",
    "F",
    "g",
    ".3g",
    "#.3g",
    "G",
    "%",
    ".1%",
    "n",
    ".3",
    ".12",
    "s",
    ".2s",
    "10.3s",
    "z.1f",
    ",.2f",
    "_.3f",
    "z",
    "+.2e",
    "012.4f",
    "=10",
    "0=10",
    "x<10.2f",
    ".0e",
    "#.0e",
    ".1g",
    "#g",
    ".0%",
    ",g",
    ",e",
    "015,.3f",
    ".20f",
    ".17g",
    "+08.2f",
    " 07.1e",
    ">+10,",
    "ab",
    ",_",
    "_,",
    "5.",
    ".",
    "#c",
    "+c",
    "=s",
    "#s",
    "z d",
    "99999999999999999999",
];

const TEMPLATES: &[&str] = &[
    "'{}'.format(5)",
    "'{} {}'.format(1, 'a')",
    "'{0}{1}{0}'.format('x', 'y')",
    "'{a}-{b}'.format(a=1, b=2.5)",
    "'{:>8.2f}|{:<5}|{:^7}'.format(3.14159, 'ab', 'c')",
    "'{!r} {!s} {!a}'.format('é', 'é', 'é')",
    "'{0[1]} {1[k]}'.format([10, 20], {'k': 'v'})",
    "'{:{w}.{p}f}'.format(2.71828, w=10, p=3)",
    "'{{}} {{x}} {}'.format(1)",
    "'{}'.format()",
    "'{0} {}'.format(1, 2)",
    "'{} {0}'.format(1, 2)",
    "'{x}'.format(y=1)",
    "'{'.format(1)",
    "'}'.format(1)",
    "'{0!x}'.format(1)",
    "'{0!}'.format(1)",
    "'{!}'.format(1)",
    "'{0!} x'.format(1)",
    "'{!'.format(1)",
    "'{0!r'.format(1)",
    "'{0!}}'.format(1)",
    "'{0[}'.format([1])",
    "'{0]}'.format([1])",
    "'{0!rr}'.format(1)",
    "'{:d}'.format('a')",
    "'{0[5]}'.format([1])",
    "'{:,}'.format(10**10)",
    "'{!r:>10}'.format('ab')",
    "'a{}b'.format(None)",
    "'{:{:{}}}'.format(1, 2, 3)",
    "'%s' % 5",
    "'%s %s' % (1, 'a')",
    "'%d|%5d|%-5d|%05d|%+d|% d' % (7, 7, 7, 7, 7, 7)",
    "'%x %X %o %#x %#o' % (255, 255, 8, 255, 8)",
    "'%.2f %10.3e %g %G %.0f' % (3.14159, 12345.678, 0.00001, 1e20, 2.5)",
    "'%r %a' % ('é', 'é')",
    "'%(a)s-%(b)d' % {'a': 'x', 'b': 3}",
    "'%c%c' % (65, 'b')",
    "'%5.2s|' % 'abcdef'",
    "'%*d|%-*d|%.*f' % (5, 1, 4, 2, 2, 3.14159)",
    "'100%% %s' % 'done'",
    "'%s' % (1, 2)",
    "'%s %s' % (1,)",
    "'%d' % 'a'",
    "'%x' % 1.5",
    "'%q' % 1",
    "'%' % 1",
    "'%(a)s' % 5",
    "'%s' % [1, 2]",
    "'%d' % 3.99",
    "'%.3d' % 5",
    "'%e' % 'x'",
    "'%c' % 'ab'",
    "'%s' % {'a': 1}",
    "'%08.3f' % -3.14159",
    "'%#.0f' % 2",
    "'%f' % float('inf')",
    "'%05s|%-05d|' % ('a', 3)",
    "'a,b' % [[1], (2,)]",
    "'%(k)s' % [1]",
    "'x' % range(3)",
    "'x' % 5",
    "'%s' % [1]",
];

const HARNESS: &str = r#"
import sys
for line in sys.stdin:
    src = line.rstrip('\n')
    try:
        print('ok ' + repr(eval(src)))
    except Exception as e:
        print(f'err {type(e).__name__}: {e}')
"#;

/// What pylayout prints for `print(repr(EXPR))`, or its exception line.
fn ours(expr: &str) -> String {
    let src = format!("print(repr({expr}))\n");
    let mut out = Vec::new();
    match script::run(&src, &RunOptions::default(), &mut out, None) {
        Outcome::Ok => format!("ok {}", String::from_utf8_lossy(&out).trim_end()),
        Outcome::Exception(f) => {
            let tb = script::format_traceback(&f, "<string>", &src);
            format!("err {}", tb.lines().last().unwrap_or_default())
        }
        Outcome::Refused(why) => format!("refused {why}"),
    }
}

#[test]
fn format_specs_strformat_and_percent_match_python() {
    common::assert_python_311();
    let mut exprs: Vec<String> = Vec::new();
    for v in VALUES {
        for s in SPECS {
            exprs.push(format!("format({v}, {s:?})"));
        }
    }
    exprs.extend(TEMPLATES.iter().map(|t| t.to_string()));
    let (theirs, _) = common::python_io(HARNESS, &(exprs.join("\n") + "\n"));
    let theirs: Vec<&str> = theirs.lines().collect();
    assert_eq!(theirs.len(), exprs.len(), "python3 answered every case");
    let mut bad = Vec::new();
    for (e, t) in exprs.iter().zip(&theirs) {
        let o = ours(e);
        if o != *t {
            bad.push(format!("{e}\n  ours:    {o}\n  python3: {t}"));
        }
    }
    assert!(
        bad.is_empty(),
        "{} of {} differ:\n{}",
        bad.len(),
        exprs.len(),
        bad.iter().take(20).cloned().collect::<Vec<_>>().join("\n")
    );
}
