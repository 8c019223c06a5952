"""Generate src/types/unicode_db.rs: the character properties CPython 3.11's str methods use.

CPython does not ask the platform about characters: Objects/unicodectype.c reads its own
database (Objects/unicodetype_db.h, Unicode 14.0 in 3.11), which differs from Rust's `char`
methods both in the properties it uses (`str.isalpha` is the categories Lu Ll Lt Lm Lo, not
Unicode's Alphabetic) and in the Unicode version. So every table is taken from the
interpreter itself, one code point at a time, through the very methods it answers for:

| table | per code point | CPython |
|---|---|---|
| DECIMAL | `chr(c).isdecimal()`, value `int(chr(c))` | `Py_UNICODE_ISDECIMAL`, `Py_UNICODE_TODECIMAL` |
| DIGIT, NUMERIC, ALPHA, SPACE | `isdigit`, `isnumeric`, `isalpha`, `isspace` | `Py_UNICODE_ISDIGIT`, ... |
| UPPER, LOWER | `isupper`, `islower` of one character | `_PyUnicode_IsUppercase`, `_PyUnicode_IsLowercase` |
| TITLE | `istitle() and not isupper()` (== category Lt) | `_PyUnicode_IsTitlecase` |
| XID_START, XID_CONTINUE | `c.isidentifier()`, `("a" + c).isidentifier()` | `_PyUnicode_IsXidStart` (and `_`), `_PyUnicode_IsXidContinue` |
| CASED, CASE_IGNORABLE | what `lower()` does to a final sigma beside c | `_PyUnicode_IsCased`, `_PyUnicode_IsCaseIgnorable` |
| UPPER_RUNS/UPPER_FULL, LOWER_RUNS/LOWER_FULL | `chr(c).upper()`, `chr(c).lower()` | `_PyUnicode_ToUpperFull`, `_PyUnicode_ToLowerFull` |
| TITLE_RUNS/TITLE_FULL, FOLD_RUNS/FOLD_FULL | `chr(c).title()`, `chr(c).casefold()` | `_PyUnicode_ToTitleFull`, `_PyUnicode_ToFoldedFull` |

Run: python3 tools/gen_unicode.py > src/types/unicode_db.rs
(tests/oracle_unicode.rs checks the result against python3 for every code point.)
"""
import sys
import unicodedata

assert sys.version_info[:2] == (3, 11), "generate with CPython 3.11"

CODE_POINTS = [cp for cp in range(0x110000) if not 0xD800 <= cp < 0xE000]
SIGMA = "\u03a3"


def ranges(pred):
    """Inclusive ranges of the code points (surrogates excluded) where pred(chr(cp))."""
    out = []
    for cp in CODE_POINTS:
        if pred(chr(cp)):
            if out and out[-1][1] == cp - 1:
                out[-1][1] = cp
            else:
                out.append([cp, cp])
    return [tuple(r) for r in out]


def final_sigma(s):
    return s.lower()[-1] == "\u03c2"


def cased(c):
    # Unicode's definition (DerivedCoreProperties): Lowercase or Uppercase or Lt.
    return c.islower() or c.isupper() or unicodedata.category(c) == "Lt"


def case_ignorable(c):
    # handle_capital_sigma: a sigma after `c` is final iff c is cased and not ignorable;
    # after `A c` iff c is ignorable or cased. Cased is known, so this reads ignorable.
    if cased(c):
        assert final_sigma("A" + c + SIGMA), hex(ord(c))
        return not final_sigma(c + SIGMA)
    assert not final_sigma(c + SIGMA), hex(ord(c))
    return final_sigma("A" + c + SIGMA)


def decimal_runs():
    """(first, last, value of first): runs of decimal digits whose values go up by one."""
    out = []
    for cp in CODE_POINTS:
        c = chr(cp)
        if not c.isdecimal():
            continue
        v = int(c)
        if out and out[-1][1] == cp - 1 and out[-1][2] + (cp - out[-1][0]) == v:
            out[-1][1] = cp
        else:
            out.append([cp, cp, v])
    return [tuple(r) for r in out]


def case_runs(f):
    """Single-character mappings as (first, last, delta, step): every step-th code point
    from first to last maps to itself + delta (step 1 for a block like A-Z, 2 for the
    alternating pairs of Latin Extended-A; 1 for a lone one). Multi-character mappings
    are returned apart."""
    runs, full = [], []
    for cp in CODE_POINTS:
        m = f(chr(cp))
        if m == chr(cp):
            continue
        if len(m) != 1:
            full.append((cp, m))
            continue
        d = ord(m) - cp
        if runs:
            first, last, delta, step = runs[-1]
            if delta == d and ((first == last and cp - last <= 2) or cp - last == step):
                runs[-1] = [first, cp, d, cp - last]
                continue
        runs.append([cp, cp, d, 1])
    return [tuple(r) for r in runs], full


def rust_str(s):
    return '"' + "".join(f"\\u{{{ord(ch):x}}}" for ch in s) + '"'


def emit_ranges(name, doc, rs):
    print(f"/// {doc}")
    print(f"pub(crate) static {name}: [(u32, u32); {len(rs)}] = [")
    for a, b in rs:
        print(f"    (0x{a:x}, 0x{b:x}),")
    print("];")
    print()


def emit_runs(name, doc, rs):
    print(f"/// {doc}")
    print(f"pub(crate) static {name}: [(u32, u32, i32, u32); {len(rs)}] = [")
    for a, b, d, s in rs:
        print(f"    (0x{a:x}, 0x{b:x}, {d}, {s}),")
    print("];")
    print()


def emit_full(name, doc, full):
    print(f"/// {doc}")
    print(f"pub(crate) static {name}: [(u32, &str); {len(full)}] = [")
    for cp, m in full:
        print(f"    (0x{cp:x}, {rust_str(m)}),")
    print("];")
    print()


def main():
    title = ranges(lambda c: c.istitle() and not c.isupper())
    assert title == ranges(lambda c: unicodedata.category(c) == "Lt")
    upper_runs, upper_full = case_runs(str.upper)
    lower_runs, lower_full = case_runs(str.lower)
    title_runs, title_full = case_runs(str.title)
    fold_runs, fold_full = case_runs(str.casefold)

    print("//! The character database of CPython 3.11's str methods (Unicode "
          f"{unicodedata.unidata_version}), read from the interpreter itself.")
    print("//! Generated by `python3 tools/gen_unicode.py > src/types/unicode_db.rs`; do not edit.")
    print("//! Longer than ~1,000 lines because it is data: one generated table per property.")
    print("//! Range tables are sorted, inclusive and disjoint (binary search);")
    print("//! `src/types/unicode.rs` is the API over them.")
    print()
    print("/// Decimal digits as (first, last, value of first); values go up by one in a run.")
    print(f"pub(crate) static DECIMAL: [(u32, u32, u32); {len(dec := decimal_runs())}] = [")
    for a, b, v in dec:
        print(f"    (0x{a:x}, 0x{b:x}, {v}),")
    print("];")
    print()
    emit_ranges("DIGIT", "`str.isdigit` of one character (Numeric_Type Digit or Decimal).",
                ranges(str.isdigit))
    emit_ranges("NUMERIC", "`str.isnumeric` of one character (any Numeric_Type).",
                ranges(str.isnumeric))
    emit_ranges("ALPHA", "`str.isalpha` of one character (categories Lu Ll Lt Lm Lo).",
                ranges(str.isalpha))
    emit_ranges("SPACE", "`str.isspace` of one character (bidi WS, B, S or category Zs).",
                ranges(str.isspace))
    emit_ranges("UPPER", "Uppercase (`str.isupper` of one character).", ranges(str.isupper))
    emit_ranges("LOWER", "Lowercase (`str.islower` of one character).", ranges(str.islower))
    emit_ranges("TITLE", "Titlecase: category Lt.", title)
    emit_ranges("CASED", "Cased: Lowercase, Uppercase or Lt.", ranges(cased))
    emit_ranges("XID_START", "What may start an identifier (`str.isidentifier` of one "
                "character: XID_Start and `_`).", ranges(str.isidentifier))
    emit_ranges("XID_CONTINUE", "What may follow in an identifier (XID_Continue).",
                ranges(lambda c: ("a" + c).isidentifier()))
    emit_ranges("CASE_IGNORABLE", "Case_Ignorable (what `lower()` skips around a final sigma).",
                ranges(case_ignorable))
    emit_runs("UPPER_RUNS", "`upper()` of one character where it is one other character: "
              "(first, last, delta, step).", upper_runs)
    emit_full("UPPER_FULL", "`upper()` of one character where it is several (SpecialCasing).",
              upper_full)
    emit_runs("LOWER_RUNS", "`lower()` of one character where it is one other character: "
              "(first, last, delta, step).", lower_runs)
    emit_full("LOWER_FULL", "`lower()` of one character where it is several (SpecialCasing).",
              lower_full)
    emit_runs("TITLE_RUNS", "`title()` of one character where it is one other character: "
              "(first, last, delta, step).", title_runs)
    emit_full("TITLE_FULL", "`title()` of one character where it is several (SpecialCasing).",
              title_full)
    emit_runs("FOLD_RUNS", "`casefold()` of one character where it is one other character: "
              "(first, last, delta, step).", fold_runs)
    emit_full("FOLD_FULL", "`casefold()` of one character where it is several (CaseFolding).",
              fold_full)


main()
