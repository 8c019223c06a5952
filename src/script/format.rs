//! The format mini-language (`format(x, spec)`, `str.format`, f-strings): `Python/formatter_unicode.c`
//! for int, float and str, and `object.__format__` for the rest.
//!
//! A spec is `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`, parsed as
//! `parse_internal_render_format_spec` does (with its error messages), then rendered as
//! `format_long_internal`, `format_float_internal` and `format_string_internal` do: the
//! sign, the `0x`-style prefix, the digits grouped by `,` or `_` (zero padding grouped too:
//! `format(1234, '08,')` is `'0,001,234'`), the padding by alignment.

use num_bigint::{BigInt, Sign};

use super::ops::{self, Fault, exc, type_err};
use crate::error::ExcKind;
use crate::object::Obj;
use crate::types::float::PyFloat;
use crate::types::int::PyInt;
use crate::types::str::PyStr;

type R<T> = Result<T, Fault>;

/// A parsed format spec.
#[derive(Debug, Clone, PartialEq)]
struct Spec {
    fill: char,
    fill_given: bool,
    align: Option<char>,
    sign: Option<char>,
    no_neg_zero: bool,
    alternate: bool,
    width: Option<usize>,
    grouping: Option<char>,
    precision: Option<usize>,
    ty: Option<char>,
}

fn value_error(msg: impl Into<String>) -> Fault {
    exc(ExcKind::ValueError, msg)
}

/// `get_integer`: a run of decimal digits.
fn integer(cs: &[char], pos: &mut usize) -> R<Option<usize>> {
    let start = *pos;
    let mut v: usize = 0;
    while *pos < cs.len() && cs[*pos].is_ascii_digit() {
        v = v
            .checked_mul(10)
            .and_then(|v| v.checked_add(cs[*pos] as usize - '0' as usize))
            .filter(|&v| v <= isize::MAX as usize)
            .ok_or_else(|| value_error("Too many decimal digits in format string"))?;
        *pos += 1;
    }
    Ok((*pos > start).then_some(v))
}

/// `parse_internal_render_format_spec`, `default_align` being `>` for numbers and `<` for
/// strings.
fn parse(spec: &str, type_name: &str, default_align: char, default_type: Option<char>) -> R<Spec> {
    let cs: Vec<char> = spec.chars().collect();
    let mut p = Spec {
        fill: ' ',
        fill_given: false,
        align: None,
        sign: None,
        no_neg_zero: false,
        alternate: false,
        width: None,
        grouping: None,
        precision: None,
        ty: default_type,
    };
    let is_align = |c: char| matches!(c, '<' | '>' | '=' | '^');
    let mut pos = 0;
    if cs.len() >= 2 && is_align(cs[1]) {
        p.fill = cs[0];
        p.fill_given = true;
        p.align = Some(cs[1]);
        pos = 2;
    } else if !cs.is_empty() && is_align(cs[0]) {
        p.align = Some(cs[0]);
        pos = 1;
    }
    if pos < cs.len() && matches!(cs[pos], '+' | '-' | ' ') {
        p.sign = Some(cs[pos]);
        pos += 1;
    }
    if pos < cs.len() && cs[pos] == 'z' {
        p.no_neg_zero = true;
        pos += 1;
    }
    if pos < cs.len() && cs[pos] == '#' {
        p.alternate = true;
        pos += 1;
    }
    if !p.fill_given && pos < cs.len() && cs[pos] == '0' {
        p.fill = '0';
        if p.align.is_none() && default_align == '>' {
            p.align = Some('=');
        }
        pos += 1;
    }
    p.width = integer(&cs, &mut pos)?;
    let both = || value_error("Cannot specify both ',' and '_'.");
    if pos < cs.len() && cs[pos] == ',' {
        p.grouping = Some(',');
        pos += 1;
        if pos < cs.len() && cs[pos] == '_' {
            return Err(both());
        }
    }
    if pos < cs.len() && cs[pos] == '_' {
        if p.grouping.is_some() {
            return Err(both());
        }
        p.grouping = Some('_');
        pos += 1;
        if pos < cs.len() && cs[pos] == ',' {
            return Err(both());
        }
    }
    if pos < cs.len() && cs[pos] == '.' {
        pos += 1;
        p.precision = integer(&cs, &mut pos)?;
        if p.precision.is_none() {
            return Err(value_error("Format specifier missing precision"));
        }
    }
    if cs.len() - pos > 1 {
        return Err(value_error(format!(
            "Invalid format specifier '{spec}' for object of type '{type_name}'"
        )));
    }
    if pos < cs.len() {
        p.ty = Some(cs[pos]);
    }
    if let Some(g) = p.grouping {
        let ok = match p.ty {
            None | Some('d' | 'e' | 'f' | 'g' | 'E' | 'G' | '%' | 'F') => true,
            Some('b' | 'o' | 'x' | 'X') => g == '_',
            _ => false,
        };
        if !ok {
            let t = p.ty.expect("a type");
            return Err(value_error(format!("Cannot specify '{g}' with '{t}'.")));
        }
    }
    Ok(p)
}

/// `format(value, spec)` (`PyObject_Format`) for a value in our memory: `None` when the
/// result is the value itself (an exact str with an empty spec).
pub fn format_obj(o: &Obj, spec: &str) -> R<Option<String>> {
    if let Ok(i) = PyInt::from_obj(o.clone()) {
        if spec.is_empty() {
            return Ok(Some(ops::str_of(o)?));
        }
        return format_int(&i.value(), spec, if i.is_bool() { "bool" } else { "int" }).map(Some);
    }
    if let Ok(f) = PyFloat::from_obj(o.clone()) {
        if spec.is_empty() {
            return Ok(Some(ops::str_of(o)?));
        }
        return format_float(f.value(), spec, "float").map(Some);
    }
    if let Ok(s) = PyStr::from_obj(o.clone()) {
        if spec.is_empty() {
            return Ok(None);
        }
        return format_str(&s.to_string(), spec).map(Some);
    }
    // object.__format__: only the empty spec, which is str(self).
    if !spec.is_empty() {
        return Err(type_err(format!(
            "unsupported format string passed to {}.__format__",
            o.type_name()
        )));
    }
    Ok(Some(ops::str_of(o)?))
}

/// `fill` around `body` to `width` by `align`.
fn pad(body: &str, p: &Spec, default_align: char) -> String {
    let n = body.chars().count();
    let width = p.width.unwrap_or(0);
    if n >= width {
        return body.to_string();
    }
    let total = width - n;
    let (left, right) = match p.align.unwrap_or(default_align) {
        '>' => (total, 0),
        '^' => (total / 2, total - total / 2),
        _ => (0, total),
    };
    let mut out = String::with_capacity(width);
    out.extend(std::iter::repeat_n(p.fill, left));
    out.push_str(body);
    out.extend(std::iter::repeat_n(p.fill, right));
    out
}

fn format_str(s: &str, spec: &str) -> R<String> {
    let p = parse(spec, "str", '<', Some('s'))?;
    match p.ty {
        None | Some('s') => {}
        Some(t) => {
            return Err(value_error(format!(
                "Unknown format code '{t}' for object of type 'str'"
            )));
        }
    }
    match p.sign {
        Some(' ') => {
            return Err(value_error("Space not allowed in string format specifier"));
        }
        Some(_) => return Err(value_error("Sign not allowed in string format specifier")),
        None => {}
    }
    if p.no_neg_zero {
        return Err(value_error(
            "Negative zero coercion (z) not allowed in string format specifier",
        ));
    }
    if p.alternate {
        return Err(value_error(
            "Alternate form (#) not allowed in string format specifier",
        ));
    }
    if p.align == Some('=') {
        return Err(value_error(
            "'=' alignment not allowed in string format specifier",
        ));
    }
    let body: String = match p.precision {
        Some(n) => s.chars().take(n).collect(),
        None => s.to_string(),
    };
    Ok(pad(&body, &p, '<'))
}

/// `digits` (ASCII) with `sep` every `every` from the right, zero-padded (and grouped) to at
/// least `min_width` characters when `zero_pad`.
fn group(
    digits: &str,
    sep: Option<char>,
    every: usize,
    min_width: usize,
    zero_pad: bool,
) -> String {
    let grouped = |d: &str| -> String {
        let Some(sep) = sep else {
            return d.to_string();
        };
        let n = d.len();
        let mut out = String::with_capacity(n + n / every);
        for (i, c) in d.chars().enumerate() {
            if i > 0 && (n - i).is_multiple_of(every) {
                out.push(sep);
            }
            out.push(c);
        }
        out
    };
    let mut d = digits.to_string();
    let mut g = grouped(&d);
    if zero_pad {
        while g.chars().count() < min_width {
            d.insert(0, '0');
            g = grouped(&d);
        }
    }
    g
}

/// Sign, prefix, integer digits (grouped), the rest (fraction, exponent, `%`), padded: what
/// `fill_number` writes.
fn render_number(
    negative: bool,
    prefix: &str,
    int_digits: &str,
    rest: &str,
    p: &Spec,
    every: usize,
) -> String {
    let sign = if negative {
        "-"
    } else {
        match p.sign {
            Some('+') => "+",
            Some(' ') => " ",
            _ => "",
        }
    };
    let zero_pad = p.align == Some('=') && p.fill == '0';
    let fixed = sign.len() + prefix.len() + rest.chars().count();
    let min_width = p.width.unwrap_or(0).saturating_sub(fixed);
    let digits = group(int_digits, p.grouping, every, min_width, zero_pad);
    let body = format!("{prefix}{digits}{rest}");
    if p.align == Some('=') {
        // Padding goes between the sign (and prefix) and the digits.
        let n = sign.len() + body.chars().count();
        let width = p.width.unwrap_or(0);
        let fill: String = std::iter::repeat_n(p.fill, width.saturating_sub(n)).collect();
        return format!("{sign}{prefix}{fill}{digits}{rest}");
    }
    pad(&format!("{sign}{body}"), p, '>')
}

/// `format(int, spec)` (`format_long_internal`); `type_name` is `int` or `bool`.
pub fn format_int(v: &BigInt, spec: &str, type_name: &str) -> R<String> {
    let p = parse(spec, type_name, '>', Some('d'))?;
    let ty = p.ty.unwrap_or('d');
    match ty {
        'b' | 'c' | 'd' | 'o' | 'x' | 'X' | 'n' => {}
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' => {
            let f = ops::int_to_f64(v)?;
            return float_with(f, &p);
        }
        t => {
            return Err(value_error(format!(
                "Unknown format code '{t}' for object of type '{type_name}'"
            )));
        }
    }
    if p.precision.is_some() {
        return Err(value_error(
            "Precision not allowed in integer format specifier",
        ));
    }
    if p.no_neg_zero {
        return Err(value_error(
            "Negative zero coercion (z) not allowed in integer format specifier",
        ));
    }
    if ty == 'c' {
        if p.sign.is_some() {
            return Err(value_error(
                "Sign not allowed with integer format specifier 'c'",
            ));
        }
        if p.alternate {
            return Err(value_error(
                "Alternate form (#) not allowed with integer format specifier 'c'",
            ));
        }
        if i64::try_from(v).is_err() {
            return Err(exc(
                ExcKind::OverflowError,
                "Python int too large to convert to C long",
            ));
        }
        let c = u32::try_from(v)
            .ok()
            .filter(|&c| c < 0x110000)
            .and_then(char::from_u32)
            .ok_or_else(|| exc(ExcKind::OverflowError, "%c arg not in range(0x110000)"))?;
        return Ok(pad(&c.to_string(), &p, '>'));
    }
    if matches!(ty, 'd' | 'n') && super::numparse::exceeds_int_max_str_digits(v) {
        // The 4,300-digit limit of int -> str applies here too.
        return Err(value_error(super::numparse::int_to_str_limit_message()));
    }
    let negative = v.sign() == Sign::Minus;
    let mag = v.magnitude();
    let (digits, prefix, every) = match ty {
        'b' => (mag.to_str_radix(2), "0b", 4),
        'o' => (mag.to_str_radix(8), "0o", 4),
        'x' => (mag.to_str_radix(16), "0x", 4),
        'X' => (mag.to_str_radix(16).to_uppercase(), "0X", 4),
        _ => (mag.to_string(), "", 3),
    };
    let prefix = if p.alternate { prefix } else { "" };
    Ok(render_number(negative, prefix, &digits, "", &p, every))
}

/// `format(float, spec)` (`format_float_internal`).
pub fn format_float(f: f64, spec: &str, type_name: &str) -> R<String> {
    let p = parse(spec, type_name, '>', None)?;
    match p.ty {
        None | Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'n' | '%') => float_with(f, &p),
        Some(t) => Err(value_error(format!(
            "Unknown format code '{t}' for object of type '{type_name}'"
        ))),
    }
}

/// `x` in exponent notation with `prec` digits after the point, as C's `%.*e` prints it.
fn exp_form(x: f64, prec: usize, upper: bool) -> String {
    let s = format!("{x:.prec$e}");
    let (mant, e) = s.split_once('e').expect("an exponent");
    let e: i32 = e.parse().expect("an exponent");
    let sign = if e < 0 { '-' } else { '+' };
    let ch = if upper { 'E' } else { 'e' };
    format!("{mant}{ch}{sign}{:02}", e.abs())
}

/// `%g` with `prec` significant digits (`alt`: keep trailing zeros and the point;
/// `add_dot_0`: the no-type form, which switches to an exponent one digit earlier and gives
/// a whole number a `.0`, as `format_float_short` does with `Py_DTSF_ADD_DOT_0`).
fn general(x: f64, prec: usize, upper: bool, alt: bool, add_dot_0: bool) -> String {
    let prec = prec.max(1);
    let e_form = format!("{x:.*e}", prec - 1);
    let exp: i32 = e_form.split_once('e').expect("exp").1.parse().expect("exp");
    let last_fixed = prec as i32 - i32::from(add_dot_0);
    let mut s = if (-4..last_fixed).contains(&exp) {
        let decimals = (prec as i32 - 1 - exp) as usize;
        format!("{x:.decimals$}")
    } else {
        exp_form(x, prec - 1, upper)
    };
    if !alt {
        // Strip trailing zeros of the fraction, then a bare point.
        let (body, tail) = match s.find(['e', 'E']) {
            Some(i) => (s[..i].to_string(), s[i..].to_string()),
            None => (s.clone(), String::new()),
        };
        let body = if body.contains('.') {
            body.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            body
        };
        s = body + &tail;
    } else if !s.contains('.') {
        let i = s.find(['e', 'E']).unwrap_or(s.len());
        s.insert(i, '.');
    }
    s
}

/// Render a float by a parsed spec.
fn float_with(f: f64, p: &Spec) -> R<String> {
    let ty = p.ty;
    let upper = matches!(ty, Some('E' | 'F' | 'G'));
    let negative = f.is_sign_negative() && !f.is_nan();
    let mut a = f.abs();
    if ty == Some('%') {
        a *= 100.0;
    }
    let special = if a.is_nan() {
        Some("nan")
    } else if a.is_infinite() {
        Some("inf")
    } else {
        None
    };
    let mut body = if let Some(s) = special {
        if upper {
            s.to_uppercase()
        } else {
            s.to_string()
        }
    } else {
        match ty {
            Some('e' | 'E') => {
                let prec = p.precision.unwrap_or(6);
                let mut s = exp_form(a, prec, upper);
                if p.alternate && prec == 0 {
                    let i = s.find(['e', 'E']).expect("an exponent");
                    s.insert(i, '.');
                }
                s
            }
            // '%' is 'f' of the value times 100 (its sign goes on below).
            Some('f' | 'F' | '%') => {
                let prec = p.precision.unwrap_or(6);
                let mut s = format!("{a:.prec$}");
                if p.alternate && prec == 0 {
                    s.push('.');
                }
                s
            }
            Some('g' | 'G' | 'n') => {
                general(a, p.precision.unwrap_or(6), upper, p.alternate, false)
            }
            _ => match p.precision {
                // No type with a precision: 'g', but a fixed result keeps one decimal.
                Some(prec) => {
                    let g = general(a, prec, false, p.alternate, true);
                    if g.contains(['.', 'e', 'n', 'i']) {
                        g
                    } else {
                        g + ".0"
                    }
                }
                // No type, no precision: repr's digits.
                None => crate::types::ops::float_repr(a),
            },
        }
    };
    if ty == Some('%') {
        body.push('%');
    }
    // 'z': a negative zero (after rounding) prints without its sign.
    let negative = negative
        && !(p.no_neg_zero
            && special.is_none()
            && body.chars().all(|c| !c.is_ascii_digit() || c == '0'));
    // Split the integer digits from the rest for grouping and zero padding.
    let int_end = body
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(body.len());
    let (int_digits, rest) = if special.is_some() {
        (String::new(), body.clone())
    } else {
        (body[..int_end].to_string(), body[int_end..].to_string())
    };
    if special.is_some() {
        // inf and nan are not zero-padded with grouping; they are padded as text.
        let sign = if negative {
            "-"
        } else {
            match p.sign {
                Some('+') => "+",
                Some(' ') => " ",
                _ => "",
            }
        };
        let text = format!("{sign}{rest}");
        if p.align == Some('=') {
            let width = p.width.unwrap_or(0);
            let n = text.chars().count();
            let fill: String = std::iter::repeat_n(p.fill, width.saturating_sub(n)).collect();
            return Ok(format!("{sign}{fill}{rest}"));
        }
        return Ok(pad(&text, p, '>'));
    }
    Ok(render_number(negative, "", &int_digits, &rest, p, 3))
}
