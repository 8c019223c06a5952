//! Text of values and where it goes: `PyObject_Repr` / `PyObject_Str` (`Objects/object.c`)
//! for the values that are not objects in our memory, `Py_ReprEnter`'s lazily made
//! thread-state dict and list, `print`'s side effects (its argument parser's keyword tuple,
//! `PyFile_WriteObject`'s bound method), and the `--trace` sink.

use super::*;
use num_bigint::BigInt;

impl Interp<'_> {
    /// `print`'s first GC side effect in 3.11.7: the argument parser's keyword tuple
    /// `('sep', 'end', 'file', 'flush')`, made on the process's first call
    /// (`parser_init`, before the argument tuple) and kept (a 4-tuple of None here: only
    /// its allocation and tracking matter; CPython's strs exist already).
    pub(crate) fn print_parser_init(&mut self) {
        if self.printed.is_none() {
            let items = (0..4).map(|_| crate::types::none::none()).collect();
            self.printed = Some(PyTuple::new(items).into_obj());
        }
    }

    /// One `PyFile_WriteObject` of `print`: it looks up `sys.stdout.write`, a bound method
    /// made before the text and freed after the write (net zero, but its allocation can
    /// start a collection). Flushing `sys.stdout`'s 8 KiB buffer changes no count.
    pub(crate) fn print_write<T>(&mut self, text: impl FnOnce(&mut Self) -> R<T>) -> R<T> {
        crate::gc::on_gc_alloc();
        let r = text(self);
        crate::gc::on_gc_free();
        r
    }

    /// Write one `print`'s text to `sys.stdout`; a failed write stops the run
    /// ([`Fault::Output`]: `None` for a closed pipe, which ends it quietly).
    pub(crate) fn write_stdout(&mut self, text: &str) -> R<()> {
        self.out.write_all(text.as_bytes()).map_err(|e| {
            Fault::Output((e.kind() != std::io::ErrorKind::BrokenPipe).then(|| e.to_string()))
        })
    }

    /// One `--trace` line, if tracing is on (a trace that cannot be written is skipped).
    pub(super) fn trace_line(&self, line: std::fmt::Arguments) {
        if let Some(tr) = &self.trace
            && let Ok(mut w) = tr.try_borrow_mut()
        {
            let _ = w.write_fmt(line);
            let _ = w.write_all(b"\n");
        }
    }

    /// The first repr of a container creates `Py_ReprEnter`'s thread-state dict and list
    /// (GC objects, from the free lists when they have some).
    fn repr_enter(&mut self, o: &Obj) {
        if self.repr_state.is_none()
            && (o.is_type(&crate::types::list::LIST_TYPE)
                || o.is_type(&crate::types::tuple::TUPLE_TYPE)
                || o.is_type(&crate::types::dict::DICT_TYPE))
        {
            let d = PyDict::new().into_obj();
            let l = PyList::new().into_obj();
            self.repr_state = Some((d, l));
        }
    }

    /// `str(v)` as text.
    pub(crate) fn str_value(&mut self, v: &Value) -> R<String> {
        if let Value::Obj(o) = v {
            self.repr_enter(o);
        }
        Ok(match v {
            Value::Obj(o) => ops::str_of(o)?,
            Value::Exc(e) => exceptions::exc_str(&e.value)?,
            other => self.repr_value(other)?,
        })
    }

    /// `repr(v)`.
    pub(crate) fn repr_value(&mut self, v: &Value) -> R<String> {
        if let Value::Obj(o) = v {
            self.repr_enter(o);
        }
        Ok(match v {
            Value::Obj(o) => ops::repr(o)?,
            Value::Builtin(b) => match b.class_name() {
                Some(class) => format!("<class '{class}'>"),
                None => format!("<built-in function {}>", b.name()),
            },
            Value::Type(t) => format!("<class '{}'>", t.name()),
            Value::Module(m) => format!("<module '{}' (built-in)>", m.name()),
            Value::Method(m) => format!(
                "<built-in method {} of {} object at {:#x}>",
                m.value.name,
                m.value.recv.type_name(),
                m.value.recv.identity()
            ),
            Value::Range(r) => {
                let (a, b, s) = (&r.start, &r.stop, &r.step);
                if *s == BigInt::from(1) {
                    format!("range({a}, {b})")
                } else {
                    format!("range({a}, {b}, {s})")
                }
            }
            Value::View(vw) => {
                let d = PyDict::from_obj(vw.value.0.clone()).expect("dict");
                let parts: Vec<String> = match vw.value.1 {
                    ViewKind::Keys => d.keys().iter().map(ops::repr).collect::<R<_>>()?,
                    ViewKind::Values => d
                        .items()
                        .iter()
                        .map(|(_, v)| ops::repr(v))
                        .collect::<R<_>>()?,
                    ViewKind::Items => d
                        .items()
                        .iter()
                        .map(|(k, v)| Ok(format!("({}, {})", ops::repr(k)?, ops::repr(v)?)))
                        .collect::<R<_>>()?,
                };
                let name = match vw.value.1 {
                    ViewKind::Keys => "dict_keys",
                    ViewKind::Values => "dict_values",
                    ViewKind::Items => "dict_items",
                };
                format!("{name}([{}])", parts.join(", "))
            }
            Value::Iter(it) => match &it.borrow().value {
                Iter::Gen(g) => format!("<generator object {} at {:#x}>", g.qualname, v.identity()),
                i => format!("<{} object at {:#x}>", i.tag().name(), v.identity()),
            },
            Value::Exc(e) => exceptions::exc_repr(&e.value)?,
            Value::Cell(_) => format!("<cell at {:#x}>", v.identity()),
            Value::Types(ts) => {
                let parts: Vec<String> = ts.iter().map(|t| self.repr_value(t)).collect::<R<_>>()?;
                if parts.len() == 1 {
                    format!("({},)", parts[0])
                } else {
                    format!("({})", parts.join(", "))
                }
            }
        })
    }
}
