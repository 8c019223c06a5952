//! The methods of `str` (`Objects/unicodeobject.c`).

use super::super::*;
use super::{MethodSpec, keywords, m, str_cut, str_translate, varargs};

/// The methods of `str` the runner has (and the predicates, `StrPredicate`: see [`find`]).
pub(super) static METHODS: &[MethodSpec] = &[
    m("join", join),
    m("upper", upper),
    m("lower", lower),
    keywords(m("split", split)),
    m("strip", strip),
    m("lstrip", strip),
    m("rstrip", strip),
    m("replace", replace),
    varargs(m("find", find)),
    varargs(m("rfind", find)),
    varargs(m("index", find)),
    varargs(m("count", find)),
    varargs(m("startswith", find)),
    varargs(m("endswith", find)),
    varargs(m("rindex", find)),
    keywords(m("rsplit", str_cut::rsplit)),
    keywords(m("splitlines", str_cut::splitlines)),
    m("partition", str_cut::partition),
    m("rpartition", str_cut::partition),
    m("removeprefix", str_cut::remove_affix),
    m("removesuffix", str_cut::remove_affix),
    m("center", str_cut::justify),
    m("ljust", str_cut::justify),
    m("rjust", str_cut::justify),
    m("zfill", str_cut::zfill),
    keywords(m("expandtabs", str_cut::expandtabs)),
    m("swapcase", str_cut::recase),
    m("title", str_cut::recase),
    m("capitalize", str_cut::recase),
    m("casefold", str_cut::recase),
    keywords(m("format", super::super::formatting::str_format)),
    m("translate", str_translate::translate),
    m("maketrans", str_translate::maketrans),
];

/// The entry of every `str.is...()` predicate.
pub(super) static PREDICATE: MethodSpec = m("is...", predicate);

/// The receiver: a str method walks it, which counts against the step limit before the
/// arguments are looked at.
pub(super) fn receiver(me: &mut Interp<'_>, o: Obj) -> R<PyStr> {
    let s = PyStr::from_obj(o).expect("str");
    me.charge(s.len() / 64)?;
    Ok(s)
}

/// `str.join(iterable)`.
fn join(me: &mut Interp<'_>, o: Obj, _name: &str, args: Args, _kw: Kwargs) -> R<Value> {
    let s = receiver(me, o)?;
    one_arg("str.join", &args)?;
    let src = args[0].clone();
    if !me.is_iterable(&src) {
        return Err(type_err("can only join an iterable"));
    }
    // The temporary list PySequence_Fast may make lives until the result is made.
    let (items, _fast) = me.sequence_fast(&src)?;
    let mut parts = Vec::with_capacity(items.len());
    let mut total = 0usize;
    for (i, it) in items.iter().enumerate() {
        match PyStr::from_obj(it.clone()) {
            Ok(p) => {
                total += p.len() * p.kind();
                parts.push(p)
            }
            Err(o) => {
                return Err(type_err(format!(
                    "sequence item {i}: expected str instance, {} found",
                    o.type_name()
                )));
            }
        }
    }
    me.check_memory((total + s.len() * parts.len() * s.kind()) as u128)?;
    if parts.len() == 1 {
        return Ok(obj(parts.pop().expect("one").into_obj()));
    }
    Ok(obj(s.join(&parts).into_obj()))
}

/// `str.upper()`.
fn upper(me: &mut Interp<'_>, o: Obj, _name: &str, args: Args, _kw: Kwargs) -> R<Value> {
    let s = receiver(me, o)?;
    no_args("str.upper", &args)?;
    Ok(obj(s.upper().into_obj()))
}

/// `str.lower()`.
fn lower(me: &mut Interp<'_>, o: Obj, _name: &str, args: Args, _kw: Kwargs) -> R<Value> {
    let s = receiver(me, o)?;
    no_args("str.lower", &args)?;
    Ok(obj(s.lower().into_obj()))
}

/// `split`'s and `rsplit`'s arguments: the separator (`None` for whitespace) and
/// `maxsplit`, converted as the clinic does (maxsplit first; the impl then looks at sep).
pub(super) fn split_args(name: &str, args: Args, kw: Kwargs) -> R<(Option<String>, isize)> {
    let slots = unpack_keywords(name, args, kw, 0, &["sep", "maxsplit"], 0, 2)?;
    let maxsplit = match &slots[1] {
        Some(v) => as_index(v)?,
        None => -1,
    };
    let sep = match &slots[0] {
        Some(v) if v.as_obj().is_some_and(none::is_none) => None,
        Some(v) => Some(
            as_str(v)
                .ok_or_else(|| type_err(format!("must be str or None, not {}", v.type_name())))?
                .to_string(),
        ),
        None => None,
    };
    if sep.as_deref() == Some("") {
        return Err(exc(ExcKind::ValueError, "empty separator"));
    }
    Ok((sep, maxsplit))
}

/// `str.split(sep=None, maxsplit=-1)`.
fn split(me: &mut Interp<'_>, o: Obj, _name: &str, args: Args, kw: Kwargs) -> R<Value> {
    let s = receiver(me, o)?;
    let (sep, maxsplit) = split_args("split", args, kw)?;
    let maxcount = if maxsplit < 0 { isize::MAX } else { maxsplit };
    let text = s.to_string();
    let pieces = split_str(&text, sep.as_deref(), maxcount as usize);
    Ok(obj(str_list(
        &s,
        &text,
        &pieces,
        prealloc(&s, sep.as_deref(), maxsplit),
    )?
    .into_obj()))
}

/// The capacity of the list `split` and `rsplit` start from: `PREALLOC_SIZE(maxcount)`, 12
/// when there is no limit; one when the separator is longer than the string (`split` and
/// `rsplit` in unicodeobject.c answer `[s]` in a `PyList_New(1)` before searching).
///
/// From 3.12 no limit means the most pieces the string can give (`(len - 1) / 2 + 1` split
/// on whitespace, `len / len(sep) + 1` on a separator, C's division): `'a b c'.split()`
/// starts from 4 slots, not 12.
pub(super) fn prealloc(s: &PyStr, sep: Option<&str>, maxsplit: isize) -> usize {
    if sep.is_some_and(|p| p.chars().count() > s.len()) {
        return 1;
    }
    let len = s.len() as isize;
    let maxcount = if maxsplit >= 0 {
        maxsplit
    } else if since_312() {
        match sep {
            None => (len - 1) / 2 + 1,
            Some(p) => len / (p.chars().count() as isize).max(1) + 1,
        }
    } else {
        isize::MAX
    };
    if maxcount >= 12 {
        12
    } else {
        maxcount as usize + 1
    }
}

fn since_312() -> bool {
    crate::runtime::version() >= crate::profile::PyVersion::Py312
}

/// The list `split`, `rsplit` and `splitlines` return: `PyList_New(PREALLOC_SIZE(maxcount))`
/// (12 slots when there is no limit) filled with the pieces (`text`'s byte ranges), or the
/// string itself when the one piece is all of it.
pub(super) fn str_list(
    s: &PyStr,
    text: &str,
    pieces: &[(usize, usize)],
    prealloc: usize,
) -> R<PyList> {
    let whole = pieces.len() == 1 && pieces[0] == (0, text.len());
    let items: Vec<Obj> = if whole {
        vec![s.clone().into_obj()]
    } else {
        pieces
            .iter()
            .map(|&(a, b)| PyStr::new(&text[a..b]).into_obj())
            .collect()
    };
    Ok(PyList::from_split(items, prealloc))
}

/// `str.strip(chars=None)`, `lstrip` and `rstrip`.
fn strip(me: &mut Interp<'_>, o: Obj, name: &str, args: Args, _kw: Kwargs) -> R<Value> {
    let s = receiver(me, o)?;
    arg_range(name, &args, 0, 1)?;
    let chars: Option<Vec<char>> = match args.first() {
        Some(v) if v.as_obj().is_some_and(none::is_none) => None,
        Some(v) => Some(
            as_str(v)
                .ok_or_else(|| type_err(format!("{name} arg must be None or str",)))?
                .to_string()
                .chars()
                .collect(),
        ),
        None => None,
    };
    let cps: Vec<char> = s.to_string().chars().collect();
    let strip = |c: &char| match &chars {
        Some(set) => set.contains(c),
        None => is_py_space(*c),
    };
    let mut lo = 0;
    let mut hi = cps.len();
    if name != "rstrip" {
        while lo < hi && strip(&cps[lo]) {
            lo += 1;
        }
    }
    if name != "lstrip" {
        while hi > lo && strip(&cps[hi - 1]) {
            hi -= 1;
        }
    }
    Ok(obj(s.slice(lo, hi).into_obj()))
}

/// `str.replace(old, new, count=-1)`.
fn replace(me: &mut Interp<'_>, o: Obj, _name: &str, args: Args, _kw: Kwargs) -> R<Value> {
    let s = receiver(me, o)?;
    arg_range("replace", &args, 2, 3)?;
    let old = as_str(&args[0]).ok_or_else(|| {
        type_err(format!(
            "replace() argument 1 must be str, not {}",
            clinic_type_name(&args[0])
        ))
    })?;
    let new = as_str(&args[1]).ok_or_else(|| {
        type_err(format!(
            "replace() argument 2 must be str, not {}",
            clinic_type_name(&args[1])
        ))
    })?;
    let count = match args.get(2) {
        Some(v) => as_index(v)?,
        None => -1,
    };
    let (t, o, n) = (s.to_string(), old.to_string(), new.to_string());
    let occurrences = if o.is_empty() {
        t.chars().count() + 1
    } else {
        t.matches(&o).count()
    };
    let k = if count < 0 {
        occurrences
    } else {
        occurrences.min(count as usize)
    };
    if k == 0 || (o == n && !o.is_empty()) {
        return Ok(obj(s.clone().into_obj()));
    }
    me.check_memory((t.len() + k * n.len()) as u128 * 4)?;
    let r = if o.is_empty() {
        let mut out = String::new();
        let mut used = 0;
        for c in t.chars() {
            if used < k {
                out.push_str(&n);
                used += 1;
            }
            out.push(c);
        }
        if used < k {
            out.push_str(&n);
        }
        out
    } else {
        t.replacen(&o, &n, k)
    };
    Ok(obj(PyStr::new(&r).into_obj()))
}

/// `str.find(sub[, start[, end]])` and the others that search a window: `rfind`, `index`, `count`,
/// `startswith`, `endswith`.
fn find(me: &mut Interp<'_>, o: Obj, name: &str, args: Args, _kw: Kwargs) -> R<Value> {
    let s = receiver(me, o)?;
    // PyArg_ParseTuple("O|O&O&"): the bounds are converted before the
    // substring is looked at.
    tuple_arg_range(name, &args, 1, 3)?;
    let start = match args.get(1) {
        Some(v) => slice_index(v, true)?.unwrap_or(0),
        None => 0,
    };
    let end = match args.get(2) {
        Some(v) => slice_index(v, true)?.unwrap_or(isize::MAX),
        None => isize::MAX,
    };
    let t = s.to_string();
    let (start, end) = adjust_indices(start, end, s.len());
    if name == "startswith" || name == "endswith" {
        let test = |p: &PyStr| {
            let m = p.len();
            if end < start || end - start < m {
                return false;
            }
            let at = if name == "startswith" { start } else { end - m };
            let b = byte_at(&t, at);
            t[b..].starts_with(&p.to_string())
        };
        if let Some(p) = as_str(&args[0]) {
            return Ok(bool_v(test(&p)));
        }
        if let Some(tup) = args[0]
            .as_obj()
            .and_then(|o| PyTuple::from_obj(o.clone()).ok())
        {
            for it in tup.items() {
                let Ok(p) = PyStr::from_obj(it.clone()) else {
                    return Err(type_err(format!(
                        "tuple for {name} must only contain str, not {}",
                        it.type_name()
                    )));
                };
                if test(&p) {
                    return Ok(bool_v(true));
                }
            }
            return Ok(bool_v(false));
        }
        return Err(type_err(format!(
            "{name} first arg must be str or a tuple of str, not {}",
            args[0].type_name()
        )));
    }
    let sub = as_str(&args[0])
        .ok_or_else(|| type_err(format!("must be str, not {}", args[0].type_name())))?;
    let u = sub.to_string();
    let found = end >= start && end - start >= sub.len();
    if name == "count" {
        if !found {
            return Ok(int_v(0));
        }
        let c = if u.is_empty() {
            end - start + 1
        } else {
            t[byte_at(&t, start)..byte_at(&t, end)].matches(&u).count()
        };
        return Ok(int_v(c as i64));
    }
    let pos = if found {
        let lo = byte_at(&t, start);
        let window = &t[lo..byte_at(&t, end)];
        let hit = if name == "rfind" || name == "rindex" {
            window.rfind(&u)
        } else {
            window.find(&u)
        };
        hit.map(|b| start + window[..b].chars().count())
    } else {
        None
    };
    match pos {
        Some(i) => Ok(int_v(i as i64)),
        None if name == "index" || name == "rindex" => {
            Err(exc(ExcKind::ValueError, "substring not found"))
        }
        None => Ok(int_v(-1)),
    }
}

/// The `str.is...()` predicates (`isdigit`, `isspace`, ...).
fn predicate(me: &mut Interp<'_>, o: Obj, name: &str, args: Args, _kw: Kwargs) -> R<Value> {
    let s = receiver(me, o)?;
    match StrPredicate::from_name(name) {
        Some(p) => {
            no_args(&format!("str.{name}"), &args)?;
            Ok(bool_v(s.test(p)))
        }
        None => Err(Fault::Unsupported(format!("str.{name}"))),
    }
}

/// `Py_UNICODE_ISSPACE`: what `split()` and `strip()` without arguments remove.
pub(super) fn is_py_space(c: char) -> bool {
    crate::types::unicode::is_space(c)
}

/// `str.split` pieces (CPython's whitespace and separator algorithms), as byte ranges of `t`:
/// the pieces become str objects one by one, with no second copy of them all on the way.
pub(super) fn split_str(t: &str, sep: Option<&str>, maxcount: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    match sep {
        None => {
            let n = t.len();
            // The byte offset of the first character at or after `i` that is (or is not) space.
            let skip = |i: usize, space: bool| {
                t[i..]
                    .char_indices()
                    .find(|&(_, c)| is_py_space(c) != space)
                    .map_or(n, |(j, _)| i + j)
            };
            let mut i = 0;
            let mut count = 0;
            loop {
                i = skip(i, true);
                if i == n {
                    break;
                }
                if count == maxcount {
                    // The rest as it stands: split_whitespace skips the whitespace before it
                    // and keeps any after it.
                    out.push((i, n));
                    break;
                }
                let start = i;
                i = skip(i, false);
                out.push((start, i));
                count += 1;
            }
        }
        Some(sep) => {
            let mut at = 0;
            let mut count = 0;
            while count < maxcount {
                match t[at..].find(sep) {
                    Some(p) => {
                        out.push((at, at + p));
                        at += p + sep.len();
                        count += 1;
                    }
                    None => break,
                }
            }
            out.push((at, t.len()));
        }
    }
    out
}
