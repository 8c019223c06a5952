//! `int(text, base)` and `float(text)`: CPython 3.11's parsers of numbers in strings.
//!
//! ```text
//!  '\u3000-١_٢٣ '  ─ _PyUnicode_TransformDecimalAndSpaceToASCII ─▶  ' -1_23 '
//!                    (below 127: kept; Unicode space: ' '; decimal digit: its ASCII
//!                     digit; anything else: '?' and the rest cut off)
//!   int:   PyLong_FromString   ASCII spaces, sign, 0x/0o/0b, digits with single '_'
//!   float: _Py_string_to_number_with_underscores, then float_from_string_inner
//!          (ASCII spaces, then _PyOS_ascii_strtod: decimal, inf, infinity, nan)
//! ```
//!
//! Only the transformation knows Unicode: after it, "space" is `Py_ISSPACE` (space,
//! `\t \n \v \f \r`), so `'\x1c5'` is not a number although `'\x1c'.isspace()` is true.
//! Every error quotes the original string: `int()` as `%.200R` (the repr cut to 200
//! characters), `float()` as `%R`.

use num_bigint::BigInt;

use crate::profile::{Current, Profile};
use crate::types::str::repr;
use crate::types::unicode::{is_space, to_decimal};

/// `sys.get_int_max_str_digits()`'s default: longer decimal (non-power-of-two base)
/// literals are refused, and so is `str()` of a longer int.
pub const INT_MAX_STR_DIGITS: usize = Current::INT_MAX_STR_DIGITS;

/// The `ValueError` text of `str(i)`/`repr(i)` past [`INT_MAX_STR_DIGITS`] digits.
pub fn int_to_str_limit_message() -> String {
    format!(
        "Exceeds the limit ({INT_MAX_STR_DIGITS} digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit"
    )
}

/// Whether `str(v)` has more than [`INT_MAX_STR_DIGITS`] decimal digits (CVE-2020-10735).
/// The bit length decides at once outside 14,200..=14,300 bits (log10(2) ~ 0.30103); in
/// between, the digits are counted.
pub fn exceeds_int_max_str_digits(v: &BigInt) -> bool {
    let bits = v.bits();
    bits > 14_300 || (bits > 14_200 && v.magnitude().to_string().len() > INT_MAX_STR_DIGITS)
}

/// `_PyUnicode_TransformDecimalAndSpaceToASCII`.
fn to_ascii(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        if (c as u32) < 127 {
            out.push(c as u8);
        } else if is_space(c) {
            out.push(b' ');
        } else if let Some(d) = to_decimal(c) {
            out.push(b'0' + d as u8);
        } else {
            out.push(b'?');
            break;
        }
    }
    out
}

/// `Py_ISSPACE` (`Include/pyctype.h`): the C locale's six.
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// `_PyLong_DigitValue`: 0-9, then a/A = 10 .. z/Z = 35; 37 for anything else.
fn digit_value(b: u8) -> u32 {
    match b {
        b'0'..=b'9' => u32::from(b - b'0'),
        b'a'..=b'z' => u32::from(b - b'a') + 10,
        b'A'..=b'Z' => u32::from(b - b'A') + 10,
        _ => 37,
    }
}

/// `int(s, base)` (`PyLong_FromUnicodeObject`); `Err` is the `ValueError` message. The
/// base is 0 or in 2..=36 (`int()` checks it first, with its own message).
pub fn parse_int(s: &str, base: u32) -> Result<BigInt, String> {
    if base == 1 || base > 36 {
        return Err("int() arg 2 must be >= 2 and <= 36".into());
    }
    let bytes = to_ascii(s);
    long_from_string(&bytes, base).map_err(|e| match e {
        LongError::Invalid => {
            let r: String = repr(s).chars().take(200).collect();
            format!("invalid literal for int() with base {base}: {r}")
        }
        LongError::TooManyDigits(n) => format!(
            "Exceeds the limit ({INT_MAX_STR_DIGITS} digits) for integer string conversion: value has {n} digits; use sys.set_int_max_str_digits() to increase the limit"
        ),
    })
}

enum LongError {
    Invalid,
    TooManyDigits(usize),
}

/// `PyLong_FromString` over the transformed text, which must be used up entirely.
fn long_from_string(b: &[u8], base: u32) -> Result<BigInt, LongError> {
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let mut i = 0;
    while i < b.len() && is_ascii_space(b[i]) {
        i += 1;
    }
    let negative = match at(i) {
        b'+' => {
            i += 1;
            false
        }
        b'-' => {
            i += 1;
            true
        }
        _ => false,
    };
    let prefix = |c: u8| at(i) == b'0' && at(i + 1).eq_ignore_ascii_case(&c);
    let mut error_if_nonzero = false;
    let base = match base {
        0 if prefix(b'x') => 16,
        0 if prefix(b'o') => 8,
        0 if prefix(b'b') => 2,
        // "Old" C-style octal is gone: a leading 0 is only allowed for zero.
        0 if at(i) == b'0' => {
            error_if_nonzero = true;
            10
        }
        0 => 10,
        b => b,
    };
    if (base == 16 && prefix(b'x')) || (base == 8 && prefix(b'o')) || (base == 2 && prefix(b'b')) {
        i += 2;
        // One underscore is allowed after the prefix.
        if at(i) == b'_' {
            i += 1;
        }
    }
    if at(i) == b'_' {
        return Err(LongError::Invalid);
    }
    // The digits, single underscores between them (long_from_binary_base and the
    // general loop scan alike).
    let start = i;
    let mut digits = String::new();
    let mut prev = 0u8;
    while digit_value(at(i)) < base || at(i) == b'_' {
        if at(i) == b'_' {
            if prev == b'_' {
                return Err(LongError::Invalid);
            }
        } else {
            digits.push(char::from(at(i)));
        }
        prev = at(i);
        i += 1;
    }
    if prev == b'_' {
        return Err(LongError::Invalid);
    }
    // Power-of-two bases are not limited (CVE-2020-10735 is about quadratic conversion);
    // the limit is checked on the digits scanned, before anything after them is looked at.
    if !base.is_power_of_two() && digits.len() > INT_MAX_STR_DIGITS {
        return Err(LongError::TooManyDigits(digits.len()));
    }
    if i == start {
        return Err(LongError::Invalid);
    }
    let value = BigInt::parse_bytes(digits.as_bytes(), base).ok_or(LongError::Invalid)?;
    if error_if_nonzero && value != BigInt::ZERO {
        return Err(LongError::Invalid);
    }
    while i < b.len() && is_ascii_space(b[i]) {
        i += 1;
    }
    if i != b.len() {
        return Err(LongError::Invalid);
    }
    Ok(if negative { -value } else { value })
}

/// `float(s)` (`PyFloat_FromString`); `Err` is the `ValueError` message.
pub fn parse_float(s: &str) -> Result<f64, String> {
    let bytes = to_ascii(s);
    without_underscores(&bytes)
        .and_then(|b| float_from_ascii(&b))
        .ok_or_else(|| format!("could not convert string to float: {}", repr(s)))
}

/// `_Py_string_to_number_with_underscores`: underscores only between two digits, then
/// dropped. A NUL ends the C string early, so it never parses.
fn without_underscores(b: &[u8]) -> Option<Vec<u8>> {
    if b.contains(&0) {
        return None;
    }
    let mut out = Vec::with_capacity(b.len());
    let mut prev = 0u8;
    for &c in b {
        if c == b'_' {
            if !prev.is_ascii_digit() {
                return None;
            }
        } else {
            if prev == b'_' && !c.is_ascii_digit() {
                return None;
            }
            out.push(c);
        }
        prev = c;
    }
    (prev != b'_').then_some(out)
}

/// `float_from_string_inner`: ASCII spaces around one number that `_PyOS_ascii_strtod`
/// reads to the end.
fn float_from_ascii(b: &[u8]) -> Option<f64> {
    let first = b.iter().position(|&c| !is_ascii_space(c))?;
    let last = b.iter().rposition(|&c| !is_ascii_space(c))?;
    let t = std::str::from_utf8(&b[first..=last]).ok()?;
    let (negative, body) = match t.as_bytes()[0] {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    // _Py_parse_inf_or_nan: case-insensitive, no payload.
    let v = if body.eq_ignore_ascii_case("inf") || body.eq_ignore_ascii_case("infinity") {
        f64::INFINITY
    } else if body.eq_ignore_ascii_case("nan") {
        f64::NAN
    } else if is_decimal_literal(body) {
        // _Py_dg_strtod rounds correctly, as Rust's parser does; overflow gives inf.
        body.parse::<f64>().ok()?
    } else {
        return None;
    };
    Some(if negative { -v } else { v })
}

/// `_Py_dg_strtod`'s grammar after the sign: digits with at most one point, at least one
/// digit, then optionally `e`/`E`, a sign and digits.
fn is_decimal_literal(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let from = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - from
    };
    let mut n = digits(&mut i);
    if i < b.len() && b[i] == b'.' {
        i += 1;
        n += digits(&mut i);
    }
    if n == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unicode_digits_and_spaces() {
        assert_eq!(parse_int("\u{3000}-١_٢٣ ", 10), Ok(BigInt::from(-123)));
        assert_eq!(parse_int("１２", 0), Ok(BigInt::from(12)));
        assert!(parse_int("\x1c5", 10).is_err());
        assert!(parse_int("²", 10).is_err());
        assert_eq!(parse_float("\u{85}٣.٥e١"), Ok(35.0));
        assert!(parse_float("Ⅻ").is_err());
    }

    #[test]
    fn literals() {
        assert_eq!(parse_int("0x_1f", 0), Ok(BigInt::from(31)));
        assert_eq!(parse_int("0_0", 0), Ok(BigInt::from(0)));
        assert!(parse_int("0_7", 0).is_err());
        assert!(parse_int("1__0", 10).is_err());
        assert!(parse_int("0x", 16).is_err());
        assert_eq!(
            parse_int("zZ", 36),
            Ok(BigInt::from(35 * 36 + 35)),
            "letters are digits"
        );
        assert_eq!(parse_float("1_0.5"), Ok(10.5));
        assert_eq!(parse_float("-iNfInItY"), Ok(f64::NEG_INFINITY));
        assert_eq!(parse_float("1e999"), Ok(f64::INFINITY));
        for bad in [
            "", " ", "1e", ".", "1_e5", "in_f", "nan(1)", "0x1p3", "1\0", "1._5",
        ] {
            assert!(parse_float(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn messages_quote_the_original() {
        let long = "é".repeat(300);
        let m = parse_int(&long, 10).unwrap_err();
        assert_eq!(m.chars().count(), 40 + 200, "{m}");
        assert_eq!(
            parse_float("٣x").unwrap_err(),
            "could not convert string to float: '٣x'"
        );
        let many = "1".repeat(5000) + "x";
        assert!(
            parse_int(&many, 10)
                .unwrap_err()
                .contains("value has 5000 digits")
        );
        assert!(
            parse_int(&("1".repeat(5000) + "__"), 10)
                .unwrap_err()
                .starts_with("invalid")
        );
        assert!(parse_int(&"1".repeat(5000), 16).is_ok());
    }
}
