//! The character database behind `str`'s predicates, case mappings and number parsing,
//! as CPython 3.11 has it (`Objects/unicodectype.c` over `Objects/unicodetype_db.h`,
//! Unicode 14.0).
//!
//! Rust's `char` methods answer different questions: `char::is_alphabetic` is Unicode's
//! Alphabetic property (it takes in Roman numerals and combining vowel signs), `str.isalpha`
//! is the categories Lu Ll Lt Lm Lo; and Rust's tables are of a newer Unicode version, so
//! characters assigned since 14.0 have case mappings and properties CPython 3.11 does not
//! know. Every answer here comes from the tables of the private `types::unicode_db` module, generated from
//! python3 itself by `tools/gen_unicode.py` and checked against it for every code point by
//! `tests/oracle_unicode.rs`.
//!
//! | CPython (`Include/cpython/unicodeobject.h`) | here |
//! |---|---|
//! | `Py_UNICODE_ISSPACE` (ASCII table below 128) | [`is_space`] |
//! | `Py_UNICODE_ISDECIMAL`, `Py_UNICODE_TODECIMAL` | [`is_decimal`], [`to_decimal`] |
//! | `Py_UNICODE_ISDIGIT`, `Py_UNICODE_ISNUMERIC` | [`is_digit`], [`is_numeric`] |
//! | `Py_UNICODE_ISALPHA`, `Py_UNICODE_ISALNUM` | [`is_alpha`], [`is_alnum`] |
//! | `Py_UNICODE_ISUPPER`, `ISLOWER`, `ISTITLE` | [`is_upper`], [`is_lower`], [`is_title`] |
//! | `_PyUnicode_IsCased`, `_PyUnicode_IsCaseIgnorable` | [`is_cased`], [`is_case_ignorable`] |
//! | `_PyUnicode_ToUpperFull`, `_PyUnicode_ToLowerFull` | [`push_upper`], [`push_lower`] |

use super::unicode_db as db;

/// Is `cp` in one of the sorted, disjoint, inclusive `ranges`?
fn in_ranges(ranges: &[(u32, u32)], cp: u32) -> bool {
    // The first range whose start is above cp; the one before it is the only candidate.
    let i = ranges.partition_point(|&(first, _)| first <= cp);
    i > 0 && cp <= ranges[i - 1].1
}

/// `Py_UNICODE_ISSPACE`: bidirectional class WS, B or S, or category Zs (for ASCII:
/// `\t \n \v \f \r`, `\x1c`..`\x1f` and the space).
pub fn is_space(c: char) -> bool {
    in_ranges(&db::SPACE, c as u32)
}

/// `Py_UNICODE_TODECIMAL`: the value of a decimal digit (`'٣'` is 3, `'３'` is 3), `None`
/// for anything else (`'²'` and `'Ⅻ'` are not decimal).
pub fn to_decimal(c: char) -> Option<u32> {
    let cp = c as u32;
    let i = db::DECIMAL.partition_point(|&(first, _, _)| first <= cp);
    let (first, last, value) = *db::DECIMAL.get(i.checked_sub(1)?)?;
    (cp <= last).then(|| value + (cp - first))
}

/// `Py_UNICODE_ISDECIMAL`: Numeric_Type Decimal.
pub fn is_decimal(c: char) -> bool {
    to_decimal(c).is_some()
}

/// `Py_UNICODE_ISDIGIT`: Numeric_Type Digit or Decimal (`'²'` is a digit, not decimal).
pub fn is_digit(c: char) -> bool {
    in_ranges(&db::DIGIT, c as u32)
}

/// `Py_UNICODE_ISNUMERIC`: any Numeric_Type (`'Ⅻ'`, `'½'`, CJK numerals).
pub fn is_numeric(c: char) -> bool {
    in_ranges(&db::NUMERIC, c as u32)
}

/// `_PyUnicode_IsXidStart` or `_`: what may start an identifier.
pub fn is_xid_start(c: char) -> bool {
    in_ranges(&db::XID_START, c as u32)
}

/// `_PyUnicode_IsXidContinue`: what may follow in an identifier.
pub fn is_xid_continue(c: char) -> bool {
    in_ranges(&db::XID_CONTINUE, c as u32)
}

/// `Py_UNICODE_ISALPHA`: categories Lu Ll Lt Lm Lo.
pub fn is_alpha(c: char) -> bool {
    in_ranges(&db::ALPHA, c as u32)
}

/// `Py_UNICODE_ISALNUM`: alpha, decimal, digit or numeric.
pub fn is_alnum(c: char) -> bool {
    is_alpha(c) || is_decimal(c) || is_digit(c) || is_numeric(c)
}

/// `Py_UNICODE_ISUPPER`: the Uppercase property (Lu and Other_Uppercase, e.g. `'Ⓐ'`).
pub fn is_upper(c: char) -> bool {
    in_ranges(&db::UPPER, c as u32)
}

/// `Py_UNICODE_ISLOWER`: the Lowercase property (Ll and Other_Lowercase, e.g. `'ª'`).
pub fn is_lower(c: char) -> bool {
    in_ranges(&db::LOWER, c as u32)
}

/// `Py_UNICODE_ISTITLE`: category Lt (`'ǅ'`).
pub fn is_title(c: char) -> bool {
    in_ranges(&db::TITLE, c as u32)
}

/// `_PyUnicode_IsCased`: Uppercase, Lowercase or Lt.
pub fn is_cased(c: char) -> bool {
    in_ranges(&db::CASED, c as u32)
}

/// `_PyUnicode_IsCaseIgnorable`: marks, format characters, modifier letters and symbols,
/// and the word-internal punctuation (`'`, `.`, `:`, `·`).
pub fn is_case_ignorable(c: char) -> bool {
    in_ranges(&db::CASE_IGNORABLE, c as u32)
}

/// One character's full case mapping from a pair of tables; `None` when it maps to itself.
fn map_case(
    runs: &[(u32, u32, i32, u32)],
    full: &'static [(u32, &'static str)],
    c: char,
) -> Option<Mapped> {
    let cp = c as u32;
    if let Ok(i) = full.binary_search_by_key(&cp, |&(k, _)| k) {
        return Some(Mapped::Many(full[i].1));
    }
    let i = runs.partition_point(|&(first, _, _, _)| first <= cp);
    let (first, last, delta, step) = *runs.get(i.checked_sub(1)?)?;
    if cp > last || !(cp - first).is_multiple_of(step) {
        return None;
    }
    let to = cp.checked_add_signed(delta).and_then(char::from_u32);
    debug_assert!(to.is_some(), "case run maps {cp:#x} out of range");
    to.map(Mapped::One)
}

enum Mapped {
    One(char),
    Many(&'static str),
}

fn push_mapped(out: &mut String, c: char, m: Option<Mapped>) {
    match m {
        None => out.push(c),
        Some(Mapped::One(d)) => out.push(d),
        Some(Mapped::Many(s)) => out.push_str(s),
    }
}

/// `_PyUnicode_ToUpperFull`: append the uppercase of `c` (one to three characters:
/// `'ß'` is `"SS"`, `'ŉ'` is `"ʼN"`).
pub fn push_upper(out: &mut String, c: char) {
    push_mapped(out, c, map_case(&db::UPPER_RUNS, &db::UPPER_FULL, c));
}

/// `_PyUnicode_ToLowerFull`: append the lowercase of `c` (`'İ'` is `"i̇"`). The final
/// sigma is the caller's business (`lower()` looks at the neighbours).
pub fn push_lower(out: &mut String, c: char) {
    push_mapped(out, c, map_case(&db::LOWER_RUNS, &db::LOWER_FULL, c));
}

/// `_PyUnicode_ToTitleFull`: append the titlecase of `c` (`'ǆ'` is `"ǅ"`, `'ß'` is `"Ss"`).
pub fn push_title(out: &mut String, c: char) {
    push_mapped(out, c, map_case(&db::TITLE_RUNS, &db::TITLE_FULL, c));
}

/// `_PyUnicode_ToFoldedFull`: append the case folding of `c` (`'ß'` is `"ss"`).
pub fn push_fold(out: &mut String, c: char) {
    push_mapped(out, c, map_case(&db::FOLD_RUNS, &db::FOLD_FULL, c));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tables' own invariants: sorted, disjoint, non-empty ranges, so the binary
    /// searches above see every entry.
    #[test]
    fn tables_are_sorted_and_disjoint() {
        let tables: [(&str, &[(u32, u32)]); 9] = [
            ("DIGIT", &db::DIGIT),
            ("NUMERIC", &db::NUMERIC),
            ("ALPHA", &db::ALPHA),
            ("SPACE", &db::SPACE),
            ("UPPER", &db::UPPER),
            ("LOWER", &db::LOWER),
            ("TITLE", &db::TITLE),
            ("CASED", &db::CASED),
            ("CASE_IGNORABLE", &db::CASE_IGNORABLE),
        ];
        for (name, t) in tables {
            for w in t.windows(2) {
                assert!(w[0].0 <= w[0].1 && w[0].1 < w[1].0, "{name}: {w:x?}");
            }
        }
        for runs in [&db::UPPER_RUNS[..], &db::LOWER_RUNS[..]] {
            for w in runs.windows(2) {
                assert!(w[0].1 < w[1].0 && w[0].3 >= 1, "{w:?}");
            }
        }
        for w in db::DECIMAL.windows(2) {
            assert!(w[0].1 < w[1].0 && w[0].2 + (w[0].1 - w[0].0) <= 9, "{w:?}");
        }
    }

    #[test]
    fn known_characters() {
        assert_eq!(to_decimal('٣'), Some(3));
        assert_eq!(to_decimal('９'), Some(9));
        assert!(is_digit('²') && !is_decimal('²'));
        assert!(is_numeric('Ⅻ') && !is_digit('Ⅻ') && !is_alpha('Ⅻ'));
        assert!(is_space('\u{3000}') && is_space('\x1c') && !is_space('\u{200b}'));
        assert!(is_title('ǅ') && !is_upper('ǅ') && is_cased('ǅ'));
        let mut s = String::new();
        for c in ['ß', 'a', 'ǆ', 'ŉ'] {
            push_upper(&mut s, c);
        }
        assert_eq!(s, "SSAǄʼN");
        s.clear();
        push_lower(&mut s, 'İ');
        push_lower(&mut s, 'Σ');
        assert_eq!(s, "i\u{307}σ");
    }
}
