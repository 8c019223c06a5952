//! The registry of builtin functions: every function of `builtins`, `sys` and `gc` the runner
//! models is one entry of [`BUILTINS`], and everything else is derived from it — the name
//! lookup (`len` in a script, `from gc import collect`), the keyword and argument-count checks
//! made before the function runs, the `METH_VARARGS` argument tuple, the name in messages
//! (`gc.disable() takes no arguments`), the list `from sys import x` refuses with, and the
//! listing in `pylayout run --help`.
//!
//! ```text
//!   Value::Builtin(Builtin(i)) ──▶ BUILTINS[i] ──▶ keywords? ─▶ varargs tuple? ─▶ arity? ─▶ call
//!                                  name, module      (CPython's METH_* conventions, in
//!                                  class?            the order cfunction_call checks them)
//! ```
//!
//! A builtin CPython has but the runner does not ("the builtin open") is refused from
//! `suggest_tables::BUILTINS` (CPython's `builtins.__dict__`): a name in that list and not
//! here is unmodelled. The types (`int`, `list`, ...) are `Value::Type`, listed in
//! [`BUILTIN_TYPES`].

use std::fmt;

use crate::script::ast::Module;

use super::*;
use super::{functions as f, iter as it, numeric as num, sys_gc as sg};

/// A builtin function: an index into `BUILTINS` (which is also its slot in the identity
/// table `id()` reads).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Builtin(u8);

/// What a builtin does with keyword arguments before its body runs.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Keywords {
    /// It binds them itself (`print`, `sorted`, `sum`, `zip`, ...).
    Own,
    /// None taken: `_PyArg_NoKwnames`, naming the function as `_PyObject_FunctionStr` does
    /// (`gc.disable`).
    No,
    /// None taken by a `METH_VARARGS` function: `cfunction_call` names it bare
    /// (`set_threshold`).
    NoBare,
}

/// The argument count a builtin checks before its body, with CPython's message for it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Arity {
    /// It checks its own (or binds with `unpack_keywords`).
    Own,
    /// `METH_O`: exactly one (`len() takes exactly one argument (2 given)`).
    O,
    /// `METH_NOARGS` (`gc.enable() takes no arguments (1 given)`).
    NoArgs,
    /// Argument Clinic's `expected N arguments, got M`, between `min` and `max`.
    Clinic(usize, usize),
    /// `PyArg_ParseTuple`'s count check (`set_threshold() takes at least 1 argument`).
    Tuple(usize, usize),
}

/// The Rust function behind a builtin.
pub(crate) type BuiltinFn = fn(&mut Interp<'_>, Args, Kwargs) -> R<Value>;

/// One builtin function, declared once.
pub(crate) struct BuiltinSpec {
    /// The name as Python spells it.
    pub name: &'static str,
    /// `None` for `builtins`, else the module it is an attribute of.
    pub module: Option<Module>,
    /// A class in CPython (`enumerate`, `zip`, `reversed`): `type(zip)` is `type`.
    pub class: bool,
    pub keywords: Keywords,
    /// `METH_VARARGS` in 3.11: the call builds an argument tuple (it counts in generation 0).
    pub varargs: bool,
    pub arity: Arity,
    pub call: BuiltinFn,
}

const fn b(name: &'static str, keywords: Keywords, arity: Arity, call: BuiltinFn) -> BuiltinSpec {
    BuiltinSpec {
        name,
        module: None,
        class: false,
        keywords,
        varargs: false,
        arity,
        call,
    }
}

const fn class(mut s: BuiltinSpec) -> BuiltinSpec {
    s.class = true;
    s
}

const fn varargs(mut s: BuiltinSpec) -> BuiltinSpec {
    s.varargs = true;
    s
}

const fn of(module: Module, mut s: BuiltinSpec) -> BuiltinSpec {
    s.module = Some(module);
    s
}

use Arity::{Clinic, NoArgs, O};
use Keywords::{No, NoBare, Own};
use Module::{Gc, Sys};

/// Every builtin function, in the order of their identity slots. Adding one: an entry here
/// and its function.
pub(crate) static BUILTINS: &[BuiltinSpec] = &[
    b("print", Own, Arity::Own, f::print),
    b("len", No, O, f::len),
    b("chr", No, O, f::chr),
    b("ord", No, O, f::ord),
    b("hash", No, O, f::hash),
    b("id", No, O, f::id),
    b("repr", No, O, f::repr),
    b("sorted", Own, Clinic(1, 1), f::sorted),
    varargs(b("min", Own, Arity::Own, f::min)),
    varargs(b("max", Own, Arity::Own, f::max)),
    b("sum", Own, Arity::Own, f::sum),
    b("isinstance", No, Clinic(2, 2), f::isinstance),
    b("abs", No, O, num::abs),
    class(b("enumerate", Own, Arity::Own, it::enumerate)),
    class(b("zip", Own, Arity::Own, it::zip)),
    class(b("reversed", No, Clinic(1, 1), it::reversed)),
    class(b("map", No, Arity::Own, it::map)),
    class(b("filter", No, Arity::Own, it::filter)),
    b("iter", No, Clinic(1, 2), it::iter),
    b("next", No, Clinic(1, 2), it::next),
    b("divmod", No, Clinic(2, 2), num::divmod),
    b("round", Own, Arity::Own, num::round),
    b("any", No, O, f::any),
    b("all", No, O, f::all),
    b("format", No, Clinic(1, 2), super::formatting::format),
    b("hex", No, O, num::hex),
    b("oct", No, O, num::oct),
    b("bin", No, O, num::bin),
    b("pow", Own, Arity::Own, num::pow),
    of(
        Sys,
        varargs(b("getsizeof", Own, Arity::Own, sg::sys_getsizeof)),
    ),
    of(Sys, b("getrefcount", No, O, sg::sys_getrefcount)),
    of(Sys, b("intern", No, O, sg::sys_intern)),
    of(Gc, b("collect", Own, Arity::Own, sg::gc_collect)),
    of(Gc, b("get_count", No, NoArgs, sg::gc_get_count)),
    of(Gc, b("get_threshold", No, NoArgs, sg::gc_get_threshold)),
    of(
        Gc,
        varargs(b(
            "set_threshold",
            NoBare,
            Arity::Tuple(1, 3),
            sg::gc_set_threshold,
        )),
    ),
    of(Gc, b("enable", No, NoArgs, sg::gc_enable)),
    of(Gc, b("disable", No, NoArgs, sg::gc_disable)),
    of(Gc, b("isenabled", No, NoArgs, sg::gc_isenabled)),
    of(Gc, b("is_tracked", No, O, sg::gc_is_tracked)),
    of(Gc, b("get_stats", No, NoArgs, sg::gc_get_stats)),
    of(
        Gc,
        varargs(b("get_referents", NoBare, Arity::Own, sg::gc_get_referents)),
    ),
];

// `Builtin` is a `u8` and the identity table has 256 slots for builtins.
const _: () = assert!(BUILTINS.len() <= 256);

/// The builtin types by the name `builtins` gives them.
pub(crate) static BUILTIN_TYPES: &[(&str, TypeTag)] = &[
    ("int", TypeTag::Int),
    ("bool", TypeTag::Bool),
    ("float", TypeTag::Float),
    ("str", TypeTag::Str),
    ("list", TypeTag::List),
    ("tuple", TypeTag::Tuple),
    ("dict", TypeTag::Dict),
    ("range", TypeTag::Range),
    ("type", TypeTag::Type),
    ("object", TypeTag::Object),
];

impl Builtin {
    /// Every builtin function, in registry order.
    pub fn all() -> impl Iterator<Item = Builtin> {
        (0..BUILTINS.len()).map(|i| Builtin(i as u8))
    }

    /// Its slot in the identity table.
    pub fn index(self) -> usize {
        self.0 as usize
    }

    pub(crate) fn spec(self) -> &'static BuiltinSpec {
        &BUILTINS[self.index()]
    }

    /// The name as Python spells it.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// The builtins that are classes in CPython (`enumerate`, `zip`, `reversed`): the class's
    /// name. (They are called like the others here, but `type(zip)` is `type`.)
    pub fn class_name(self) -> Option<&'static str> {
        let s = self.spec();
        s.class.then_some(s.name)
    }

    /// What `_PyObject_FunctionStr` calls it in messages: `len`, `sys.intern`, `gc.disable`.
    pub fn qualname(self) -> String {
        match self.spec().module {
            Some(m) => format!("{}.{}", m.name(), self.name()),
            None => self.name().to_string(),
        }
    }

    fn find(module: Option<Module>, name: &str) -> Option<Builtin> {
        BUILTINS
            .iter()
            .position(|s| s.module == module && s.name == name)
            .map(|i| Builtin(i as u8))
    }

    /// A builtin by name (the `builtins` module), including the types.
    pub fn lookup(name: &str) -> Option<Value> {
        if let Some(b) = Builtin::find(None, name) {
            return Some(Value::Builtin(b));
        }
        BUILTIN_TYPES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| Value::Type(*t))
            .or_else(|| {
                ExcKind::ALL
                    .iter()
                    .find(|k| k.name() == name)
                    .map(|k| Value::Type(TypeTag::Exc(*k)))
            })
    }

    /// A function of a module.
    pub fn of_module(m: Module, name: &str) -> Option<Builtin> {
        Builtin::find(Some(m), name)
    }
}

impl fmt::Debug for Builtin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Builtin({})", self.qualname())
    }
}

/// The functions of module `m` the runner has, as a sentence: `getsizeof, getrefcount and
/// intern`.
pub(crate) fn module_members(m: Module) -> String {
    let names: Vec<&str> = BUILTINS
        .iter()
        .filter(|s| s.module == Some(m))
        .map(|s| s.name)
        .collect();
    match names.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The builtins, the types and the module functions as `pylayout run --help` lists them.
pub fn listing() -> String {
    let names = |module: Option<Module>| -> Vec<&str> {
        BUILTINS
            .iter()
            .filter(|s| s.module == module)
            .map(|s| s.name)
            .collect()
    };
    let types: Vec<&str> = BUILTIN_TYPES.iter().map(|(n, _)| *n).collect();
    let sys: Vec<String> = names(Some(Sys))
        .iter()
        .map(|n| format!("sys.{n}"))
        .collect();
    let exceptions: Vec<&str> = ExcKind::ALL.iter().map(|k| k.name()).collect();
    format!(
        "Builtins: {}; the types {}; the exceptions {}; {}; gc.{}; the values sys.maxsize \
         and gc.garbage.",
        names(None).join(" "),
        types.join(" "),
        exceptions.join(" "),
        sys.join(", "),
        names(Some(Gc)).join("/")
    )
}

impl Interp<'_> {
    /// Call builtin `b` as `cfunction_call` / `cfunction_vectorcall_*` would: the keyword
    /// check, the argument tuple of a `METH_VARARGS` function (alive until the call returns),
    /// the argument count, then the function.
    pub(super) fn call_builtin(&mut self, b: Builtin, args: Args, kw: Kwargs) -> R<Value> {
        let spec = b.spec();
        match spec.keywords {
            Keywords::Own => {}
            Keywords::No if !kw.is_empty() => no_kwargs(&b.qualname(), &kw)?,
            Keywords::No => {}
            Keywords::NoBare => no_kwargs(spec.name, &kw)?,
        }
        let _varargs = if spec.varargs {
            varargs_tuple(&args)
        } else {
            None
        };
        match spec.arity {
            Arity::Own => {}
            // The name is made only for the message.
            Arity::O if args.len() != 1 => one_arg(&b.qualname(), &args)?,
            Arity::NoArgs if !args.is_empty() => no_args(&b.qualname(), &args)?,
            Arity::O | Arity::NoArgs => {}
            Arity::Clinic(min, max) => arg_range(spec.name, &args, min, max)?,
            Arity::Tuple(min, max) => tuple_arg_range(spec.name, &args, min, max)?,
        }
        (spec.call)(self, args, kw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_is_a_cpython_builtin_and_found_by_its_name() {
        for b in Builtin::all() {
            let spec = b.spec();
            match spec.module {
                None => {
                    assert!(suggest::is_builtin(spec.name), "{b:?}");
                    assert!(
                        matches!(Builtin::lookup(spec.name), Some(Value::Builtin(x)) if x == b)
                    );
                }
                Some(m) => {
                    assert!(suggest::module_has(m, spec.name), "{b:?}");
                    assert_eq!(Builtin::of_module(m, spec.name), Some(b));
                    assert_eq!(
                        Builtin::lookup(spec.name).is_some(),
                        suggest::is_builtin(spec.name)
                    );
                }
            }
        }
        for (name, t) in BUILTIN_TYPES {
            assert!(suggest::is_builtin(name), "{name}");
            assert_eq!(t.name(), *name);
        }
    }

    #[test]
    fn module_members_and_qualnames() {
        assert_eq!(
            module_members(Module::Sys),
            "getsizeof, getrefcount and intern"
        );
        assert_eq!(
            module_members(Module::Gc),
            "collect, get_count, get_threshold, set_threshold, enable, disable, isenabled, \
             is_tracked, get_stats and get_referents"
        );
        let q = |m, n| Builtin::of_module(m, n).expect("modelled").qualname();
        assert_eq!(q(Module::Gc, "disable"), "gc.disable");
        assert_eq!(q(Module::Sys, "intern"), "sys.intern");
        let len = Builtin::lookup("len");
        assert!(matches!(len, Some(Value::Builtin(b)) if b.qualname() == "len"));
    }

    /// The README's subset names every builtin the registry has (the help text is made from
    /// the registry itself).
    #[test]
    fn the_readme_lists_every_builtin() {
        let readme = include_str!("../../../README.md");
        let start = readme.find("### The runner's subset").expect("the section");
        let section = &readme[start..];
        let section = &section[..section[4..].find("\n#").map_or(section.len(), |i| i + 4)];
        let words: Vec<&str> = section
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .collect();
        for b in Builtin::all() {
            assert!(words.contains(&b.name()), "README lacks {}", b.qualname());
            if let Some(m) = b.spec().module {
                assert!(words.contains(&m.name()), "README lacks {}", m.name());
            }
        }
        for (name, _) in BUILTIN_TYPES {
            assert!(words.contains(name), "README lacks {name}");
        }
        assert!(listing().contains("sys.getsizeof, sys.getrefcount, sys.intern;"));
    }
}
