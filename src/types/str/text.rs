//! The text side of `str` that needs no memory access: `repr` (`unicode_repr`), the
//! `str.isX()` predicates as one registry, and the final-sigma rule of `lower()`
//! (`handle_capital_sigma`), over the Unicode 14.0 tables CPython 3.11 ships
//! ([`crate::types::unicode`], the generated `printable` table).
#![deny(unsafe_code)]

/// `repr(s)` (`unicode_repr`): single quotes unless the string holds `'` and no `"`;
/// escapes for `\\`, the quote, `\t \n \r`, other non-printables as `\xhh`, `\uhhhh`,
/// `\Uhhhhhhhh`.
pub fn repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if is_printable(c) => out.push(c),
            c if (c as u32) < 0x100 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push(quote);
    out
}

/// `handle_capital_sigma`: the sigma at `i` is final when a cased character comes before
/// it and none after it, skipping case-ignorable characters both ways
/// (`\p{cased}\p{case-ignorable}*Σ!(\p{case-ignorable}*\p{cased})`).
pub(super) fn final_sigma(cs: &[char], i: usize) -> bool {
    use crate::types::unicode::{is_case_ignorable, is_cased};
    let before = cs[..i].iter().rev().find(|&&c| !is_case_ignorable(c));
    let after = cs[i + 1..].iter().find(|&&c| !is_case_ignorable(c));
    before.is_some_and(|&c| is_cased(c)) && !after.is_some_and(|&c| is_cased(c))
}

/// The `str.isX()` predicates, one registry: the runner's method dispatch and its list of
/// supported methods are derived from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StrPredicate {
    /// `isascii`
    IsAscii,
    /// `isdecimal`
    IsDecimal,
    /// `isdigit`
    IsDigit,
    /// `isnumeric`
    IsNumeric,
    /// `isalpha`
    IsAlpha,
    /// `isalnum`
    IsAlnum,
    /// `isspace`
    IsSpace,
    /// `isprintable`
    IsPrintable,
    /// `isupper`
    IsUpper,
    /// `islower`
    IsLower,
    /// `istitle`
    IsTitle,
    /// `isidentifier`
    IsIdentifier,
}

impl StrPredicate {
    /// Every predicate.
    pub const ALL: [StrPredicate; 12] = [
        StrPredicate::IsAscii,
        StrPredicate::IsDecimal,
        StrPredicate::IsDigit,
        StrPredicate::IsNumeric,
        StrPredicate::IsAlpha,
        StrPredicate::IsAlnum,
        StrPredicate::IsSpace,
        StrPredicate::IsPrintable,
        StrPredicate::IsUpper,
        StrPredicate::IsLower,
        StrPredicate::IsTitle,
        StrPredicate::IsIdentifier,
    ];

    /// The method's name (`"isdigit"`).
    pub fn name(self) -> &'static str {
        match self {
            StrPredicate::IsAscii => "isascii",
            StrPredicate::IsDecimal => "isdecimal",
            StrPredicate::IsDigit => "isdigit",
            StrPredicate::IsNumeric => "isnumeric",
            StrPredicate::IsAlpha => "isalpha",
            StrPredicate::IsAlnum => "isalnum",
            StrPredicate::IsSpace => "isspace",
            StrPredicate::IsPrintable => "isprintable",
            StrPredicate::IsUpper => "isupper",
            StrPredicate::IsLower => "islower",
            StrPredicate::IsTitle => "istitle",
            StrPredicate::IsIdentifier => "isidentifier",
        }
    }

    /// The predicate a method name stands for.
    pub fn from_name(name: &str) -> Option<StrPredicate> {
        StrPredicate::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// `Py_UNICODE_ISPRINTABLE` with CPython 3.11's Unicode database (generated table).
pub(super) fn is_printable(c: char) -> bool {
    let u = c as u32;
    crate::types::printable::PRINTABLE
        .binary_search_by(|&(lo, hi)| {
            if hi < u {
                std::cmp::Ordering::Less
            } else if lo > u {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}
