//! Method calls: `LOAD_METHOD`'s check and the dispatch to each type's methods.

use super::*;

mod dict;
mod list;
mod str;
mod str_cut;
mod str_translate;
mod tuple;

/// The Rust function behind a method: the interpreter, the receiver (of the table's type),
/// the name it was called by (entries share a function where CPython's methods share
/// code: `find`/`rfind`/`index`/...), the arguments and keywords.
type MethodFn = fn(&mut Interp<'_>, Obj, &str, Args, Kwargs) -> R<Value>;

/// One method of a type, declared once: `LOAD_METHOD`'s check, the keyword check, the
/// `METH_VARARGS` argument tuple and the dispatch all read it.
pub(super) struct MethodSpec {
    name: &'static str,
    /// It takes keyword arguments (and binds them itself); else `list.append() takes no
    /// keyword arguments`.
    keywords: bool,
    /// `METH_VARARGS` in 3.11: the call builds an argument tuple.
    varargs: bool,
    call: MethodFn,
}

const fn m(name: &'static str, call: MethodFn) -> MethodSpec {
    MethodSpec {
        name,
        keywords: false,
        varargs: false,
        call,
    }
}

const fn keywords(mut s: MethodSpec) -> MethodSpec {
    s.keywords = true;
    s
}

const fn varargs(mut s: MethodSpec) -> MethodSpec {
    s.varargs = true;
    s
}

impl Interp<'_> {
    /// `LOAD_METHOD`'s failure, before any argument is evaluated: `(1).pop(f())` raises
    /// `AttributeError` without calling `f`.
    pub(crate) fn check_method(&mut self, recv: &Value, name: &str) -> R<()> {
        match recv {
            Value::Obj(o) if method_exists(TypeTag::of_obj(o), name) => Ok(()),
            Value::Type(TypeTag::Dict) if name == "fromkeys" => Ok(()),
            Value::Type(TypeTag::Str) if name == "maketrans" => Ok(()),
            _ => self.get_attr(recv.clone(), name).map(drop),
        }
    }

    pub(crate) fn call_method(
        &mut self,
        recv: Value,
        name: &str,
        args: Args,
        kw: Kwargs,
    ) -> R<Value> {
        match &recv {
            Value::Type(TypeTag::Str) if name == "maketrans" => {
                no_kwargs("str.maketrans", &kw)?;
                return str_translate::str_maketrans(args);
            }
            Value::Module(_) | Value::Type(_)
                if !(matches!(recv, Value::Type(TypeTag::Dict)) && name == "fromkeys") =>
            {
                let f = self.get_attr(recv, name)?;
                return self.call(f, args, kw);
            }
            Value::Type(TypeTag::Dict) => {
                no_kwargs("dict.fromkeys", &kw)?;
                return self.dict_fromkeys(args);
            }
            Value::Obj(_) => {}
            Value::Iter(it) if is_generator(it) && iter::GENERATOR_METHODS.contains(&name) => {
                return iter::generator_method(self, it, name, args, kw);
            }
            other => {
                let f = self.get_attr(other.clone(), name)?;
                return self.call(f, args, kw);
            }
        }
        let o = recv.as_obj().expect("object").clone();
        let tag = TypeTag::of_obj(&o);
        let Some(spec) = find_method(tag, name) else {
            // Reuse get_attr's message (AttributeError or unsupported).
            self.get_attr(recv, name)?;
            unreachable!("get_attr fails for unknown methods");
        };
        if !spec.keywords && !kw.is_empty() {
            no_kwargs(&format!("{}.{name}", tag.name()), &kw)?;
        }
        let _varargs = if spec.varargs {
            varargs_tuple(&args)
        } else {
            None
        };
        (spec.call)(self, o, name, args, kw)
    }
}

/// Whether the runner has method `name` of `tag`'s instances.
pub(super) fn method_exists(tag: TypeTag, name: &str) -> bool {
    find_method(tag, name).is_some()
}

/// The entry of method `name` of `tag`'s instances.
fn find_method(tag: TypeTag, name: &str) -> Option<&'static MethodSpec> {
    let found = methods_of(tag).iter().find(|m| m.name == name);
    match tag {
        TypeTag::Str if found.is_none() => StrPredicate::from_name(name).map(|_| &str::PREDICATE),
        _ => found,
    }
}

/// The method table of a type (empty for a type without modelled methods).
fn methods_of(tag: TypeTag) -> &'static [MethodSpec] {
    match tag {
        TypeTag::List => list::METHODS,
        TypeTag::Tuple => tuple::METHODS,
        TypeTag::Dict => dict::METHODS,
        TypeTag::Str => str::METHODS,
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tables hold CPython's methods only: `dir()` and the AttributeError suggestions
    /// come from CPython's own lists (`suggest_tables`), which must name every entry.
    #[test]
    fn every_method_is_one_cpython_has() {
        for tag in [TypeTag::List, TypeTag::Tuple, TypeTag::Dict, TypeTag::Str] {
            assert!(!methods_of(tag).is_empty(), "{tag:?}");
            for m in methods_of(tag) {
                assert!(suggest::dir_of(tag).contains(&m.name), "{tag:?}.{}", m.name);
                assert!(method_exists(tag, m.name));
            }
        }
        for p in StrPredicate::ALL {
            assert!(suggest::dir_of(TypeTag::Str).contains(&p.name()));
            assert!(method_exists(TypeTag::Str, p.name()));
        }
        assert!(!method_exists(TypeTag::Str, "is..."));
        assert!(!method_exists(TypeTag::Int, "append"));
        assert!(!method_exists(TypeTag::List, "__len__"));
    }
}
