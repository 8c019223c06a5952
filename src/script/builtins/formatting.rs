//! Text formatting: `format(value, spec)`, `str.format(*args, **kwargs)`
//! (`Objects/stringlib/unicode_format.h`) and printf-style `str % args`
//! (`PyUnicode_Format`). The mini-language itself is [`crate::script::format`].
//!
//! Identity follows CPython's writer: a result that is exactly one str argument, unchanged,
//! is that object (`'{}'.format(s) is s`, `'%s' % s is s`); anything else is a new string,
//! a one-character Latin-1 result being the singleton (`unicode_result`).

use super::*;
use crate::script::format::{format_float, format_obj};

/// What a format produced so far: the text, and the one str object it is made of, if it
/// is exactly one unchanged str.
struct Out {
    text: String,
    pieces: usize,
    whole: Option<Obj>,
}

impl Out {
    fn new() -> Out {
        Out {
            text: String::new(),
            pieces: 0,
            whole: None,
        }
    }

    fn push_literal(&mut self, s: &str) {
        if !s.is_empty() {
            self.text.push_str(s);
            self.pieces += 1;
            self.whole = None;
        }
    }

    fn push_piece(&mut self, s: &str, same: Option<Obj>) {
        self.text.push_str(s);
        self.pieces += 1;
        self.whole = if self.pieces == 1 { same } else { None };
    }

    fn finish(self) -> Value {
        match self.whole {
            Some(o) if self.pieces == 1 => Value::Obj(o),
            _ => obj(PyStr::new(&self.text).into_obj()),
        }
    }
}

use crate::script::ops::key_error;

impl Interp<'_> {
    /// `PyObject_Format(v, spec)` as text, and the object itself when the result is `v`
    /// unchanged (an exact str).
    fn format_value(&mut self, v: &Value, spec: &str) -> R<(String, Option<Obj>)> {
        match v {
            Value::Obj(o) => match format_obj(o, spec)? {
                None => Ok((
                    PyStr::from_obj(o.clone()).expect("str").to_string(),
                    Some(o.clone()),
                )),
                Some(s) => {
                    // A str padded to a width it already has is itself too.
                    let same = PyStr::from_obj(o.clone())
                        .ok()
                        .filter(|p| p.to_string() == s)
                        .map(|p| p.into_obj());
                    Ok((s, same))
                }
            },
            other if spec.is_empty() => Ok((self.str_value(other)?, None)),
            other => Err(type_err(format!(
                "unsupported format string passed to {}.__format__",
                other.type_name()
            ))),
        }
    }
}

impl Interp<'_> {
    /// `FORMAT_VALUE`: the conversion (`str`, `repr`, `ascii`), then the spec; an exact str
    /// with no spec is itself, anything else goes through `PyObject_Format`.
    pub(crate) fn format_field(
        &mut self,
        v: Value,
        conversion: Option<char>,
        spec: Option<&str>,
    ) -> R<Obj> {
        let v = match conversion {
            None => v,
            Some('s') => Value::Obj(self.str_object(&v)?),
            Some('r') => Value::Obj(PyStr::new_uncached(&self.repr_value(&v)?).into_obj()),
            Some(_) => Value::Obj(
                PyStr::new_uncached(&crate::script::ops::ascii_of(&self.repr_value(&v)?))
                    .into_obj(),
            ),
        };
        let spec = spec.unwrap_or("");
        if let Value::Obj(o) = &v
            && spec.is_empty()
        {
            match o.type_name() {
                "str" => return Ok(o.clone()),
                // PyObject_Format's fast path: str(int), a new string.
                "int" => return Ok(PyStr::new_uncached(&ops::str_of(o)?).into_obj()),
                _ => {}
            }
        }
        let (text, same) = self.format_value(&v, spec)?;
        Ok(same.unwrap_or_else(|| PyStr::new(&text).into_obj()))
    }
}

/// `format(value, format_spec='', /)`.
pub(super) fn format(me: &mut Interp<'_>, args: Args, _kw: Kwargs) -> R<Value> {
    let spec = match args.get(1) {
        None => String::new(),
        Some(v) => as_str(v)
            .ok_or_else(|| {
                type_err(format!(
                    "format() argument 2 must be str, not {}",
                    clinic_type_name(v)
                ))
            })?
            .to_string(),
    };
    let v = &args[0];
    // PyObject_Format's fast paths: an exact str with an empty spec is itself, an exact
    // int's is str(int) (a fresh string, never a singleton).
    if spec.is_empty()
        && let Value::Obj(o) = v
        && o.type_name() == "int"
    {
        return Ok(obj(PyStr::new_uncached(&ops::str_of(o)?).into_obj()));
    }
    let (text, same) = me.format_value(v, &spec)?;
    Ok(match same {
        Some(o) => Value::Obj(o),
        None => obj(PyStr::new(&text).into_obj()),
    })
}

/// One replacement field of `str.format`: its argument, conversion and spec.
struct Field<'a> {
    name: &'a str,
    conversion: Option<char>,
    spec: &'a str,
}

/// Split `{...}`'s inside into name, conversion and spec (`parse_field`).
fn parse_field(inner: &str) -> R<Field<'_>> {
    // The name ends at the first '!' or ':' outside brackets.
    let mut depth = 0;
    let mut end = inner.len();
    for (i, c) in inner.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            '!' | ':' if depth == 0 => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    let name = &inner[..end];
    let rest = &inner[end..];
    let (conversion, spec) = if let Some(r) = rest.strip_prefix('!') {
        let mut cs = r.chars();
        let Some(c) = cs.next() else {
            return Err(exc(
                ExcKind::ValueError,
                "end of string while looking for conversion specifier",
            ));
        };
        let after = cs.as_str();
        let spec = match after.strip_prefix(':') {
            Some(s) => s,
            None if after.is_empty() => "",
            None => {
                return Err(exc(
                    ExcKind::ValueError,
                    "expected ':' after conversion specifier",
                ));
            }
        };
        (Some(c), spec)
    } else {
        (None, rest.strip_prefix(':').unwrap_or(""))
    };
    Ok(Field {
        name,
        conversion,
        spec,
    })
}

/// The state of automatic field numbering (`AutoNumber`).
#[derive(Default)]
struct Numbering {
    manual: bool,
    auto: bool,
    next: usize,
}

impl Interp<'_> {
    /// `build_string`: `template` with its fields replaced, `depth` levels of nesting left.
    fn format_template(
        &mut self,
        template: &str,
        args: &Args,
        kw: &Kwargs,
        numbering: &mut Numbering,
        depth: u8,
    ) -> R<Out> {
        if depth == 0 {
            return Err(exc(ExcKind::ValueError, "Max string recursion exceeded"));
        }
        let mut out = Out::new();
        let mut literal = String::new();
        let cs: Vec<(usize, char)> = template.char_indices().collect();
        let mut i = 0;
        while i < cs.len() {
            let (at, c) = cs[i];
            match c {
                '{' if cs.get(i + 1).is_some_and(|&(_, d)| d == '{') => {
                    literal.push('{');
                    i += 2;
                }
                '}' if cs.get(i + 1).is_some_and(|&(_, d)| d == '}') => {
                    literal.push('}');
                    i += 2;
                }
                '}' => {
                    return Err(exc(
                        ExcKind::ValueError,
                        "Single '}' encountered in format string",
                    ));
                }
                '{' => {
                    // The field runs to the matching '}' (nested braces count); after a '!'
                    // the next character is the conversion, whatever it is, and then only
                    // ':' or '}' may follow (MarkupIterator_next).
                    let mut level = 1;
                    let mut bracket = 0;
                    let mut in_spec = false;
                    let mut j = i + 1;
                    loop {
                        if j >= cs.len() {
                            return Err(exc(
                                ExcKind::ValueError,
                                if i + 1 >= cs.len() {
                                    "Single '{' encountered in format string"
                                } else {
                                    "expected '}' before end of string"
                                },
                            ));
                        }
                        let d = cs[j].1;
                        if !in_spec && bracket == 0 && d == '!' {
                            if j + 1 >= cs.len() {
                                return Err(exc(
                                    ExcKind::ValueError,
                                    "end of string while looking for conversion specifier",
                                ));
                            }
                            match cs.get(j + 2).map(|&(_, c)| c) {
                                None => {
                                    return Err(exc(
                                        ExcKind::ValueError,
                                        "unmatched '{' in format spec",
                                    ));
                                }
                                Some('}') => {
                                    j += 2;
                                    break;
                                }
                                Some(':') => {
                                    in_spec = true;
                                    j += 3;
                                    continue;
                                }
                                Some(_) => {
                                    return Err(exc(
                                        ExcKind::ValueError,
                                        "expected ':' after conversion specifier",
                                    ));
                                }
                            }
                        }
                        match d {
                            '[' if !in_spec => bracket += 1,
                            ']' if !in_spec && bracket > 0 => bracket -= 1,
                            ':' if !in_spec && bracket == 0 => in_spec = true,
                            '{' if bracket == 0 || in_spec => level += 1,
                            '}' if bracket == 0 || in_spec => {
                                level -= 1;
                                if level == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                        j += 1;
                    }
                    out.push_literal(&std::mem::take(&mut literal));
                    let inner = &template[at + 1..cs[j].0];
                    self.render_field(inner, args, kw, numbering, depth, &mut out)?;
                    i = j + 1;
                }
                _ => {
                    literal.push(c);
                    i += 1;
                }
            }
        }
        out.push_literal(&literal);
        Ok(out)
    }

    fn render_field(
        &mut self,
        inner: &str,
        args: &Args,
        kw: &Kwargs,
        numbering: &mut Numbering,
        depth: u8,
        out: &mut Out,
    ) -> R<()> {
        let f = parse_field(inner)?;
        // The first part of the name: an index, a keyword, or nothing (the next index).
        let first_end = f.name.find(['.', '[']).unwrap_or(f.name.len());
        let (first, accessors) = f.name.split_at(first_end);
        let mut v = if first.is_empty() || first.chars().all(|c| c.is_ascii_digit()) {
            let index = if first.is_empty() {
                if numbering.manual {
                    return Err(exc(
                        ExcKind::ValueError,
                        "cannot switch from manual field specification to automatic field numbering",
                    ));
                }
                numbering.auto = true;
                numbering.next += 1;
                numbering.next - 1
            } else {
                if numbering.auto {
                    return Err(exc(
                        ExcKind::ValueError,
                        "cannot switch from automatic field numbering to manual field specification",
                    ));
                }
                numbering.manual = true;
                first.parse::<usize>().map_err(|_| {
                    exc(
                        ExcKind::ValueError,
                        "Too many decimal digits in format string",
                    )
                })?
            };
            args.get(index).cloned().ok_or_else(|| {
                exc(
                    ExcKind::IndexError,
                    format!("Replacement index {index} out of range for positional args tuple"),
                )
            })?
        } else {
            match kw.iter().find(|(k, _)| &**k == first) {
                Some((_, v)) => v.clone(),
                None => {
                    let key = PyStr::new(first).into_obj();
                    return Err(key_error(&key));
                }
            }
        };
        let mut rest = accessors;
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix('[') {
                let close = r
                    .find(']')
                    .ok_or_else(|| exc(ExcKind::ValueError, "Missing ']' in format string"))?;
                let key = &r[..close];
                if key.is_empty() {
                    return Err(exc(ExcKind::ValueError, "Empty attribute in format string"));
                }
                let k = match key.parse::<i64>() {
                    Ok(n) if key.chars().all(|c| c.is_ascii_digit()) => ops::small_int(n),
                    _ => PyStr::new(key).into_obj(),
                };
                v = Value::Obj(self.getitem(&v, &Index::Item(k))?);
                rest = &r[close + 1..];
            } else {
                return Err(Fault::Unsupported(
                    "attribute lookups in str.format fields ({0.attr})".into(),
                ));
            }
        }
        // The conversion, then the spec (itself formatted first: "{:{width}}").
        let mut same_obj = None;
        let converted = match f.conversion {
            None => None,
            Some('s') => {
                if let Value::Obj(o) = &v
                    && o.type_name() == "str"
                {
                    same_obj = Some(o.clone());
                }
                Some(self.str_value(&v)?)
            }
            Some('r') => Some(self.repr_value(&v)?),
            Some('a') => Some(crate::script::ops::ascii_of(&self.repr_value(&v)?)),
            Some(c) => {
                return Err(exc(
                    ExcKind::ValueError,
                    format!("Unknown conversion specifier {c}"),
                ));
            }
        };
        let spec = if f.spec.contains('{') {
            self.format_template(f.spec, args, kw, numbering, depth - 1)?
                .text
        } else {
            f.spec.to_string()
        };
        let (text, same) = match converted {
            Some(s) => {
                let o = same_obj.unwrap_or_else(|| PyStr::new_uncached(&s).into_obj());
                self.format_value(&Value::Obj(o), &spec)?
            }
            None => self.format_value(&v, &spec)?,
        };
        out.push_piece(&text, same);
        Ok(())
    }
}

/// `str.format(*args, **kwargs)`.
pub(super) fn str_format(
    me: &mut Interp<'_>,
    o: Obj,
    _name: &str,
    args: Args,
    kw: Kwargs,
) -> R<Value> {
    let s = PyStr::from_obj(o).expect("str");
    me.charge(s.len() / 64)?;
    let mut numbering = Numbering::default();
    let out = me.format_template(&s.to_string(), &args, &kw, &mut numbering, 2)?;
    me.check_memory(out.text.len() as u128)?;
    Ok(out.finish())
}

/// `fmt % args` for a str `fmt` (`PyUnicode_Format`).
pub(crate) fn percent_format(me: &mut Interp<'_>, fmt: &PyStr, args: &Value) -> R<Value> {
    let text = fmt.to_string();
    let tuple = args
        .as_obj()
        .and_then(|o| PyTuple::from_obj(o.clone()).ok());
    let items: Vec<Value> = match (&tuple, args) {
        (Some(t), _) => t.items().into_iter().map(Value::Obj).collect(),
        // `(str, int)`: a tuple of types, which the runner keeps outside memory.
        (None, Value::Types(ts)) => ts.to_vec(),
        (None, _) => vec![args.clone()],
    };
    // PyMapping_Check: anything with a subscript but a tuple or a str (a dict, and also a
    // list or a range) is the "mapping" `%(key)s` reads, and excuses unused arguments.
    let mapping = (tuple.is_none()
        && match args {
            Value::Obj(o) => {
                o.is_type(&crate::types::dict::DICT_TYPE)
                    || o.is_type(&crate::types::list::LIST_TYPE)
            }
            Value::Range(..) => true,
            _ => false,
        })
    .then(|| args.clone());
    let mut next = 0usize;
    let mut out = Out::new();
    let mut literal = String::new();
    let cs: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut used_mapping = false;
    while i < cs.len() {
        if cs[i] != '%' {
            literal.push(cs[i]);
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        let incomplete = || exc(ExcKind::ValueError, "incomplete format");
        // %(key)
        let mut arg: Option<Value> = None;
        if i < cs.len() && cs[i] == '(' {
            let Some(d) = &mapping else {
                return Err(type_err("format requires a mapping"));
            };
            let mut depth = 1;
            let mut j = i + 1;
            while j < cs.len() && depth > 0 {
                match cs[j] {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                j += 1;
            }
            if depth > 0 {
                return Err(exc(ExcKind::ValueError, "incomplete format key"));
            }
            let key: String = cs[i + 1..j - 1].iter().collect();
            let k = PyStr::new(&key).into_obj();
            let v = match d.as_obj().and_then(|o| PyDict::from_obj(o.clone()).ok()) {
                Some(dict) => dict.get(&k)?.ok_or_else(|| key_error(&k))?,
                None => me.getitem(d, &Index::Item(k))?,
            };
            arg = Some(Value::Obj(v));
            used_mapping = true;
            i = j;
        }
        let mut flags = String::new();
        while i < cs.len() && matches!(cs[i], '-' | '+' | ' ' | '#' | '0') {
            flags.push(cs[i]);
            i += 1;
        }
        let mut take_star = |what: &str| -> R<isize> {
            let v = items
                .get(next)
                .cloned()
                .ok_or_else(|| type_err("not enough arguments for format string"))?;
            next += 1;
            v.as_obj()
                .and_then(|o| PyInt::from_obj(o.clone()).ok())
                .and_then(|i| i.to_i64())
                .map(|n| n as isize)
                .ok_or_else(|| type_err(format!("* wants int{what}")))
        };
        let mut width: Option<isize> = None;
        if i < cs.len() && cs[i] == '*' {
            let w = take_star("")?;
            if w < 0 {
                flags.push('-');
            }
            width = Some(w.abs());
            i += 1;
        } else {
            let mut n: Option<isize> = None;
            while i < cs.len() && cs[i].is_ascii_digit() {
                n = Some(n.unwrap_or(0).saturating_mul(10) + (cs[i] as isize - '0' as isize));
                i += 1;
            }
            width = width.or(n);
        }
        let mut precision: Option<isize> = None;
        if i < cs.len() && cs[i] == '.' {
            i += 1;
            if i < cs.len() && cs[i] == '*' {
                precision = Some(take_star("")?.max(0));
                i += 1;
            } else {
                let mut n = 0isize;
                while i < cs.len() && cs[i].is_ascii_digit() {
                    n = n.saturating_mul(10) + (cs[i] as isize - '0' as isize);
                    i += 1;
                }
                precision = Some(n);
            }
        }
        while i < cs.len() && matches!(cs[i], 'h' | 'l' | 'L') {
            i += 1;
        }
        let Some(&ty) = cs.get(i) else {
            return Err(incomplete());
        };
        i += 1;
        if ty == '%' {
            literal.push('%');
            continue;
        }
        let v = match arg.take() {
            Some(v) => v,
            None if mapping.is_some() && used_mapping => {
                return Err(type_err("not enough arguments for format string"));
            }
            None => {
                let v = items
                    .get(next)
                    .cloned()
                    .ok_or_else(|| type_err("not enough arguments for format string"))?;
                next += 1;
                v
            }
        };
        out.push_literal(&std::mem::take(&mut literal));
        let (piece, same) = percent_one(me, ty, &flags, width, precision, &v, start, &cs)?;
        out.push_piece(&piece, same);
    }
    out.push_literal(&literal);
    if next < items.len() && mapping.is_none() {
        return Err(type_err(
            "not all arguments converted during string formatting",
        ));
    }
    me.check_memory(out.text.len() as u128)?;
    Ok(out.finish())
}

/// One `%` conversion.
#[allow(clippy::too_many_arguments)]
fn percent_one(
    me: &mut Interp<'_>,
    ty: char,
    flags: &str,
    width: Option<isize>,
    precision: Option<isize>,
    v: &Value,
    at: usize,
    cs: &[char],
) -> R<(String, Option<Obj>)> {
    let left = flags.contains('-');
    let pad_to = |s: String, zero: bool, sign_len: usize| -> String {
        let w = width.unwrap_or(0).max(0) as usize;
        let n = s.chars().count();
        if n >= w {
            return s;
        }
        let fill = w - n;
        if left {
            format!("{s}{}", " ".repeat(fill))
        } else if zero {
            let (head, tail) = s.split_at(sign_len);
            format!("{head}{}{tail}", "0".repeat(fill))
        } else {
            format!("{}{s}", " ".repeat(fill))
        }
    };
    match ty {
        's' | 'r' | 'a' => {
            let mut same = None;
            let mut s = match ty {
                's' => {
                    if let Value::Obj(o) = v
                        && o.type_name() == "str"
                    {
                        same = Some(o.clone());
                    }
                    me.str_value(v)?
                }
                'r' => me.repr_value(v)?,
                _ => crate::script::ops::ascii_of(&me.repr_value(v)?),
            };
            if let Some(p) = precision {
                let t: String = s.chars().take(p.max(0) as usize).collect();
                if t != s {
                    same = None;
                }
                s = t;
            }
            let padded = pad_to(s.clone(), false, 0);
            if padded != s {
                same = None;
            }
            Ok((padded, same))
        }
        'd' | 'i' | 'u' | 'x' | 'X' | 'o' => {
            let int = match v.as_obj() {
                Some(o) if PyInt::from_obj(o.clone()).is_ok() => {
                    PyInt::from_obj(o.clone()).expect("int").value()
                }
                Some(o)
                    if matches!(ty, 'd' | 'i' | 'u') && PyFloat::from_obj(o.clone()).is_ok() =>
                {
                    let f = PyFloat::from_obj(o.clone()).expect("float").value();
                    float_to_int(f.trunc())?
                }
                _ => {
                    return Err(type_err(if matches!(ty, 'd' | 'i' | 'u') {
                        format!(
                            "%{ty} format: a real number is required, not {}",
                            v.type_name()
                        )
                    } else {
                        format!(
                            "%{ty} format: an integer is required, not {}",
                            v.type_name()
                        )
                    }));
                }
            };
            if matches!(ty, 'd' | 'i' | 'u')
                && crate::script::numparse::exceeds_int_max_str_digits(&int)
            {
                return Err(exc(
                    ExcKind::ValueError,
                    crate::script::numparse::int_to_str_limit_message(),
                ));
            }
            let negative = int.sign() == Sign::Minus;
            let mag = int.magnitude();
            let mut digits = match ty {
                'x' => mag.to_str_radix(16),
                'X' => mag.to_str_radix(16).to_uppercase(),
                'o' => mag.to_str_radix(8),
                _ => mag.to_string(),
            };
            if let Some(p) = precision {
                let p = p.max(0) as usize;
                if digits.len() < p {
                    digits = format!("{}{digits}", "0".repeat(p - digits.len()));
                }
            }
            let prefix = match (ty, flags.contains('#')) {
                ('x', true) => "0x",
                ('X', true) => "0X",
                ('o', true) => "0o",
                _ => "",
            };
            let sign = if negative {
                "-"
            } else if flags.contains('+') {
                "+"
            } else if flags.contains(' ') {
                " "
            } else {
                ""
            };
            let s = format!("{sign}{prefix}{digits}");
            Ok((
                pad_to(s, flags.contains('0'), sign.len() + prefix.len()),
                None,
            ))
        }
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
            let f = match v.as_obj() {
                Some(o) if PyFloat::from_obj(o.clone()).is_ok() => {
                    PyFloat::from_obj(o.clone()).expect("float").value()
                }
                Some(o) if PyInt::from_obj(o.clone()).is_ok() => {
                    ops::int_to_f64(&PyInt::from_obj(o.clone()).expect("int").value())?
                }
                _ => {
                    return Err(type_err(format!(
                        "must be real number, not {}",
                        v.type_name()
                    )));
                }
            };
            let mut spec = String::new();
            if flags.contains('+') {
                spec.push('+');
            } else if flags.contains(' ') {
                spec.push(' ');
            }
            if flags.contains('#') {
                spec.push('#');
            }
            spec.push_str(&format!(".{}{ty}", precision.unwrap_or(6).max(0)));
            let s = format_float(f, &spec, "float")?;
            let sign_len = usize::from(s.starts_with(['-', '+', ' ']));
            let zero = flags.contains('0') && f.is_finite();
            Ok((pad_to(s, zero, sign_len), None))
        }
        'c' => {
            let c = match v.as_obj() {
                Some(o) if PyInt::from_obj(o.clone()).is_ok() => {
                    let i = PyInt::from_obj(o.clone()).expect("int").value();
                    u32::try_from(&i)
                        .ok()
                        .filter(|&c| c < 0x110000)
                        .and_then(char::from_u32)
                        .ok_or_else(|| {
                            exc(ExcKind::OverflowError, "%c arg not in range(0x110000)")
                        })?
                }
                Some(o) if PyStr::from_obj(o.clone()).is_ok_and(|s| s.len() == 1) => {
                    PyStr::from_obj(o.clone())
                        .expect("str")
                        .to_string()
                        .chars()
                        .next()
                        .expect("one")
                }
                _ => return Err(type_err("%c requires int or char")),
            };
            Ok((pad_to(c.to_string(), false, 0), None))
        }
        other => Err(exc(
            ExcKind::ValueError,
            format!(
                "unsupported format character '{other}' ({:#x}) at index {}",
                other as u32,
                at + cs[at..].iter().position(|&c| c == other).unwrap_or(0)
            ),
        )),
    }
}
