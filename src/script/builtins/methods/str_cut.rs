//! The str methods that cut a string into pieces or pad it (`Objects/unicodeobject.c` and
//! `Objects/stringlib/split.h`, `partition.h`): `rsplit`, `splitlines`, `partition`,
//! `rpartition`, `removeprefix`, `removesuffix`, `zfill`, `center`, `ljust`, `rjust`,
//! `expandtabs`, and the case changes beside `upper`/`lower`: `swapcase`, `title`,
//! `capitalize`, `casefold`.
//!
//! What each returns for an exact str follows CPython's identity rules: the string itself where
//! it is unchanged (`unicode_result_unchanged`: padding to a width it already has, no tab to
//! expand, no prefix to remove, one piece that is the whole string), the empty and one-character
//! Latin-1 singletons for pieces (`STRINGLIB_NEW`, `PyUnicode_Substring`), and a fresh object
//! for a padded result (`pad` calls `PyUnicode_New`).

use super::super::*;
use super::str::{prealloc, receiver, split_args, split_str, str_list};

/// `str.rsplit(sep=None, maxsplit=-1)`: the pieces found from the right, stored as found
/// (the first twelve in the preallocated slots) and then reversed (`PyList_Reverse`).
pub(super) fn rsplit(me: &mut Interp<'_>, o: Obj, _name: &str, args: Args, kw: Kwargs) -> R<Value> {
    let s = receiver(me, o)?;
    let (sep, maxsplit) = split_args("rsplit", args, kw)?;
    let maxcount = if maxsplit < 0 {
        usize::MAX
    } else {
        maxsplit as usize
    };
    // The mirror image: split the reversed text with the reversed separator, then turn each
    // piece's range back.
    let text = s.to_string();
    let rev: String = text.chars().rev().collect();
    let rsep: Option<String> = sep.as_ref().map(|p| p.chars().rev().collect());
    let n = rev.len();
    let pieces: Vec<(usize, usize)> = split_str(&rev, rsep.as_deref(), maxcount)
        .into_iter()
        .map(|(a, b)| (n - b, n - a))
        .collect();
    let l = str_list(&s, &text, &pieces, prealloc(&s, sep.as_deref(), maxsplit))?;
    l.reverse();
    Ok(obj(l.into_obj()))
}

/// `str.splitlines(keepends=False)`: lines end at `\n`, `\r`, `\r\n`, `\v`, `\f`, `\x1c`,
/// `\x1d`, `\x1e`, `\x85`, `\u2028` and `\u2029` (`Py_UNICODE_ISLINEBREAK`).
pub(super) fn splitlines(
    me: &mut Interp<'_>,
    o: Obj,
    _name: &str,
    args: Args,
    kw: Kwargs,
) -> R<Value> {
    let s = receiver(me, o)?;
    let slots = unpack_keywords("splitlines", args, kw, 0, &["keepends"], 0, 1)?;
    let keepends = match &slots[0] {
        // _PyLong_AsInt: any int (a bool too), through __index__.
        Some(v) => as_index(v)? != 0,
        None => false,
    };
    let text = s.to_string();
    let is_break = |c: char| {
        matches!(
            c,
            '\n' | '\r'
                | '\u{b}'
                | '\u{c}'
                | '\u{1c}'
                | '\u{1d}'
                | '\u{1e}'
                | '\u{85}'
                | '\u{2028}'
                | '\u{2029}'
        )
    };
    let mut pieces = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut start = 0;
    while let Some((i, c)) = chars.next() {
        if !is_break(c) {
            continue;
        }
        let mut eol = i + c.len_utf8();
        if c == '\r' && chars.peek().is_some_and(|&(_, d)| d == '\n') {
            chars.next();
            eol += 1;
        }
        pieces.push((start, if keepends { eol } else { i }));
        start = eol;
    }
    if start < text.len() {
        pieces.push((start, text.len()));
    }
    // stringlib's splitlines starts from PyList_New(0) and appends.
    Ok(obj(str_list(&s, &text, &pieces, 0)?.into_obj()))
}

/// The separator of `partition`/`rpartition` (`ensure_unicode`, then "empty separator").
fn separator(args: &Args, name: &str) -> R<PyStr> {
    one_arg(&format!("str.{name}"), args)?;
    let sep = as_str(&args[0])
        .ok_or_else(|| type_err(format!("must be str, not {}", args[0].type_name())))?;
    if sep.is_empty() {
        return Err(exc(ExcKind::ValueError, "empty separator"));
    }
    Ok(sep)
}

/// `str.partition(sep)` and `str.rpartition(sep)`: `(head, sep, tail)` with `sep` the
/// argument itself; not found, `(s, '', '')` or `('', '', s)`.
pub(super) fn partition(
    me: &mut Interp<'_>,
    o: Obj,
    name: &str,
    args: Args,
    _kw: Kwargs,
) -> R<Value> {
    let s = receiver(me, o)?;
    let sep = separator(&args, name)?;
    let (text, pat) = (s.to_string(), sep.to_string());
    let hit = if sep.kind() > s.kind() {
        // PyUnicode_Partition: a wider separator cannot occur.
        None
    } else if name == "rpartition" {
        text.rfind(&pat)
    } else {
        text.find(&pat)
    };
    let empty = || PyStr::new("").into_obj();
    let items = match hit {
        Some(b) => {
            let lo = text[..b].chars().count();
            let hi = lo + sep.len();
            vec![
                s.slice(0, lo).into_obj(),
                sep.into_obj(),
                s.slice(hi, s.len()).into_obj(),
            ]
        }
        None if name == "rpartition" => vec![empty(), empty(), s.into_obj()],
        None => vec![s.into_obj(), empty(), empty()],
    };
    Ok(obj(PyTuple::new(items).into_obj()))
}

/// `str.removeprefix(prefix)` and `str.removesuffix(suffix)`.
pub(super) fn remove_affix(
    me: &mut Interp<'_>,
    o: Obj,
    name: &str,
    args: Args,
    _kw: Kwargs,
) -> R<Value> {
    let s = receiver(me, o)?;
    one_arg(&format!("str.{name}"), &args)?;
    let affix = as_str(&args[0]).ok_or_else(|| {
        type_err(format!(
            "{name}() argument must be str, not {}",
            clinic_type_name(&args[0])
        ))
    })?;
    let (text, a) = (s.to_string(), affix.to_string());
    let n = s.len();
    let out = if name == "removeprefix" && text.starts_with(&a) {
        s.slice(affix.len(), n)
    } else if name == "removesuffix" && !a.is_empty() && text.ends_with(&a) {
        s.slice(0, n - affix.len())
    } else {
        s
    };
    Ok(obj(out.into_obj()))
}

/// Whether a result of width `w` padded with `fill` fits the memory limit.
fn check_width(me: &mut Interp<'_>, w: isize, s: &PyStr, fill: char) -> R<()> {
    if w > s.len() as isize {
        let kind = s.kind().max(if (fill as u32) < 256 { 1 } else { 2 });
        me.check_memory(w as u128 * kind as u128)?;
    }
    Ok(())
}

/// `pad`: `left` and `right` copies of `fill` around the text, in a fresh string.
fn pad(s: &PyStr, left: usize, right: usize, fill: char) -> PyStr {
    let mut out = String::with_capacity(left + s.len() + right);
    out.extend(std::iter::repeat_n(fill, left));
    out.push_str(&s.to_string());
    out.extend(std::iter::repeat_n(fill, right));
    PyStr::new_fresh(&out)
}

/// `str.center(width, fillchar=' ')`, `ljust` and `rjust`.
pub(super) fn justify(
    me: &mut Interp<'_>,
    o: Obj,
    name: &str,
    args: Args,
    _kw: Kwargs,
) -> R<Value> {
    let s = receiver(me, o)?;
    arg_range(name, &args, 1, 2)?;
    // The clinic converts the width before the fill character.
    let w = as_index(&args[0])?;
    let fill = match args.get(1) {
        None => ' ',
        Some(v) => {
            let f = as_str(v).ok_or_else(|| {
                type_err(format!(
                    "The fill character must be a unicode character, not {}",
                    v.type_name()
                ))
            })?;
            if f.len() != 1 {
                return Err(type_err(
                    "The fill character must be exactly one character long",
                ));
            }
            f.to_string().chars().next().expect("one character")
        }
    };
    check_width(me, w, &s, fill)?;
    let n = s.len() as isize;
    if w <= n {
        return Ok(obj(s.into_obj()));
    }
    let marg = (w - n) as usize;
    let (left, right) = match name {
        "ljust" => (0, marg),
        "rjust" => (marg, 0),
        // unicode_center_impl: the odd column goes left when the width is odd.
        _ => {
            let left = marg / 2 + (marg & w as usize & 1);
            (left, marg - left)
        }
    };
    Ok(obj(pad(&s, left, right, fill).into_obj()))
}

/// `str.zfill(width)`: zeros on the left, after a leading sign.
pub(super) fn zfill(me: &mut Interp<'_>, o: Obj, _name: &str, args: Args, _kw: Kwargs) -> R<Value> {
    let s = receiver(me, o)?;
    one_arg("str.zfill", &args)?;
    let w = as_index(&args[0])?;
    check_width(me, w, &s, '0')?;
    let n = s.len() as isize;
    if w <= n {
        return Ok(obj(s.into_obj()));
    }
    let text = s.to_string();
    let fill = (w - n) as usize;
    let mut out = String::with_capacity(w as usize);
    let rest = match text.chars().next() {
        Some(c @ ('+' | '-')) => {
            out.push(c);
            &text[1..]
        }
        _ => &text[..],
    };
    out.extend(std::iter::repeat_n('0', fill));
    out.push_str(rest);
    Ok(obj(PyStr::new_fresh(&out).into_obj()))
}

/// `str.expandtabs(tabsize=8)`: each tab up to the next multiple of `tabsize` (removed when
/// it is not positive), columns counted from the last `\n` or `\r`; no tab, the string
/// itself.
pub(super) fn expandtabs(
    me: &mut Interp<'_>,
    o: Obj,
    _name: &str,
    args: Args,
    kw: Kwargs,
) -> R<Value> {
    let s = receiver(me, o)?;
    let slots = unpack_keywords("expandtabs", args, kw, 0, &["tabsize"], 0, 1)?;
    let tabsize = match &slots[0] {
        // _PyLong_AsInt: an int that fits a C int.
        Some(v) => {
            let t = as_index(v)?;
            i32::try_from(t).map_err(|_| {
                exc(
                    ExcKind::OverflowError,
                    "Python int too large to convert to C int",
                )
            })? as i64
        }
        None => 8,
    };
    let text = s.to_string();
    if !text.contains('\t') {
        return Ok(obj(s.into_obj()));
    }
    // First pass: the length, as CPython checks it against PY_SSIZE_T_MAX and the memory.
    let mut len: u128 = 0;
    let mut col: i64 = 0;
    for c in text.chars() {
        if c == '\t' {
            if tabsize > 0 {
                let incr = tabsize - col % tabsize;
                col += incr;
                len += incr as u128;
            }
        } else {
            len += 1;
            col += 1;
            if c == '\n' || c == '\r' {
                col = 0;
            }
        }
    }
    me.check_memory(len * s.kind() as u128)?;
    // unicode_result: a one-character Latin-1 result is the singleton.
    let mut out = String::with_capacity(len as usize);
    col = 0;
    for c in text.chars() {
        if c == '\t' {
            if tabsize > 0 {
                let incr = tabsize - col % tabsize;
                col += incr;
                out.extend(std::iter::repeat_n(' ', incr as usize));
            }
        } else {
            out.push(c);
            col += 1;
            if c == '\n' || c == '\r' {
                col = 0;
            }
        }
    }
    Ok(obj(PyStr::new(&out).into_obj()))
}

/// `str.swapcase()`, `title()`, `capitalize()` and `casefold()`.
pub(super) fn recase(me: &mut Interp<'_>, o: Obj, name: &str, args: Args, _kw: Kwargs) -> R<Value> {
    let s = receiver(me, o)?;
    no_args(&format!("str.{name}"), &args)?;
    let r = match name {
        "swapcase" => s.swapcase(),
        "title" => s.title(),
        "capitalize" => s.capitalize(),
        _ => s.casefold(),
    };
    Ok(obj(r.into_obj()))
}
