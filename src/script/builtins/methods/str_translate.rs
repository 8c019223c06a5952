//! `str.translate` and `str.maketrans` (`_PyUnicode_TranslateCharmap`, `unicode_maketrans_impl`
//! in `Objects/unicodeobject.c`).

use super::super::*;

/// `s.translate(table)`: each character's code point looked up in `table` (any subscriptable:
/// a `LookupError` keeps the character); `None` deletes it, an int or a str replaces it. The
/// result is a new string (`''` stays the singleton), never a one-character singleton.
pub(super) fn translate(
    me: &mut Interp<'_>,
    o: Obj,
    _name: &str,
    args: Args,
    _kw: Kwargs,
) -> R<Value> {
    one_arg("str.translate", &args)?;
    let s = PyStr::from_obj(o.clone()).expect("str");
    if s.is_empty() {
        return Ok(obj(o));
    }
    let table = &args[0];
    let mut out = String::with_capacity(s.len());
    for c in s.to_string().chars() {
        me.step()?;
        let key = Index::Item(ops::small_int(c as i64));
        let mapped = match me.getitem(table, &key) {
            Ok(v) => Value::Obj(v),
            Err(Fault::Py(e)) if e.kind.is_subclass(ExcKind::LookupError) => {
                out.push(c);
                continue;
            }
            Err(Fault::PyArgs(kind, _)) if kind.is_subclass(ExcKind::LookupError) => {
                out.push(c);
                continue;
            }
            Err(other) => return Err(other),
        };
        match &mapped {
            Value::Obj(m) if none::is_none(m) => {}
            Value::Obj(m) => {
                if let Ok(t) = PyStr::from_obj(m.clone()) {
                    out.push_str(&t.to_string());
                } else if let Some(i) = ops::int_value(m) {
                    match u32::try_from(&i).ok().and_then(char::from_u32) {
                        Some(ch) => out.push(ch),
                        None => {
                            return Err(exc(
                                ExcKind::ValueError,
                                "character mapping must be in range(0x110000)",
                            ));
                        }
                    }
                } else {
                    return Err(type_err(
                        "character mapping must return integer, None or str",
                    ));
                }
            }
            _ => {
                return Err(type_err(
                    "character mapping must return integer, None or str",
                ));
            }
        }
    }
    Ok(obj(PyStr::new_fresh(&out).into_obj()))
}

/// `str.maketrans(x[, y[, z]])` (a static method, also reached from an instance): a dict
/// from code points — from a dict's one-character str or int keys, or from two strings of
/// equal length, with the third's characters mapped to `None`.
pub(super) fn maketrans(
    _me: &mut Interp<'_>,
    _o: Obj,
    _name: &str,
    args: Args,
    _kw: Kwargs,
) -> R<Value> {
    str_maketrans(args)
}

/// [`maketrans`] without a receiver.
pub(crate) fn str_maketrans(args: Args) -> R<Value> {
    arg_range("maketrans", &args, 1, 3)?;
    let d = PyDict::new();
    if args.len() == 1 {
        let Some(src) = args[0]
            .as_obj()
            .and_then(|o| PyDict::from_obj(o.clone()).ok())
        else {
            return Err(type_err(
                "if you give only one argument to maketrans it must be a dict",
            ));
        };
        for (k, v) in src.items() {
            let key = match PyStr::from_obj(k.clone()) {
                Ok(s) if s.len() == 1 => {
                    ops::small_int(s.to_string().chars().next().expect("one") as i64)
                }
                Ok(_) => {
                    return Err(exc(
                        ExcKind::ValueError,
                        "string keys in translate table must be of length 1",
                    ));
                }
                Err(k) if ops::int_value(&k).is_some() => k,
                Err(_) => {
                    return Err(type_err(
                        "keys in translate table must be strings or integers",
                    ));
                }
            };
            d.set_item(key, v)?;
        }
        return Ok(obj(d.into_obj()));
    }
    let arg_str = |i: usize| -> R<String> {
        match args[i]
            .as_obj()
            .and_then(|o| PyStr::from_obj(o.clone()).ok())
        {
            Some(s) => Ok(s.to_string()),
            None => Err(type_err(format!(
                "maketrans() argument {} must be str, not {}",
                i + 1,
                args[i].type_name()
            ))),
        }
    };
    // Argument Clinic converts `y` and `z` (str) first; `x` is checked by the function.
    let y = arg_str(1)?;
    let z = if args.len() == 3 {
        Some(arg_str(2)?)
    } else {
        None
    };
    let Some(x) = args[0]
        .as_obj()
        .and_then(|o| PyStr::from_obj(o.clone()).ok())
        .map(|s| s.to_string())
    else {
        return Err(type_err(
            "first maketrans argument must be a string if there is a second argument",
        ));
    };
    if x.chars().count() != y.chars().count() {
        return Err(exc(
            ExcKind::ValueError,
            "the first two maketrans arguments must have equal length",
        ));
    }
    for (a, b) in x.chars().zip(y.chars()) {
        d.set_item(ops::small_int(a as i64), ops::small_int(b as i64))?;
    }
    if let Some(z) = z {
        for c in z.chars() {
            d.set_item(ops::small_int(c as i64), none::none())?;
        }
    }
    Ok(obj(d.into_obj()))
}
