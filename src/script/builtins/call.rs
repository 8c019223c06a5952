//! Attributes and calls: `getattr`, and the call of every kind of callable value.

use super::methods::method_exists;
use super::*;

impl Interp<'_> {
    // ---- attributes and calls ----

    /// `getattr(v, name)` (`PyObject_GetAttr`, or `LOAD_METHOD`'s `_PyObject_GetMethod`):
    /// what the runner models, a refusal for what CPython has but the runner does not, an
    /// `AttributeError` (with its "Did you mean", from `dir(v)`) for what CPython lacks too.
    pub(crate) fn get_attr(&mut self, v: Value, name: &str) -> R<Value> {
        if let Some(f) = Function::of(&v) {
            match name {
                "__name__" => return Ok(str_v(f.name())),
                "__qualname__" => return Ok(str_v(&f.def().code.qualname)),
                "__defaults__" => return Ok(obj(f.defaults().unwrap_or_else(none::none))),
                "__kwdefaults__" => return Ok(obj(f.kwdefaults().unwrap_or_else(none::none))),
                _ => {}
            }
        }
        match &v {
            Value::Module(crate::script::ast::Module::Sys) if name == "maxsize" => {
                return Ok(obj(self.sys_maxsize()));
            }
            Value::Module(crate::script::ast::Module::Gc) if name == "garbage" => {
                return Ok(obj(self.gc_garbage()));
            }
            Value::Module(m) => {
                return match Builtin::of_module(*m, name) {
                    Some(b) => Ok(Value::Builtin(b)),
                    None if matches!(name, "get_objects" | "get_referrers")
                        && *m == crate::script::ast::Module::Gc =>
                    {
                        Err(Fault::Unsupported(format!(
                            "gc.{name} (CPython's answer lists the interpreter's own objects and \
                             the module's dict, which pylayout does not build)"
                        )))
                    }
                    None if suggest::module_has(*m, name) => Err(Fault::Unsupported(format!(
                        "{}.{name} (not modelled by pylayout)",
                        m.name()
                    ))),
                    None => Err(attribute_error(
                        format!("module '{}' has no attribute '{name}'", m.name()),
                        suggest::dir_of_module(*m),
                        name,
                    )),
                };
            }
            Value::Type(_) | Value::Builtin(_) => {
                let class = match &v {
                    Value::Type(t) => Some(t.name()),
                    Value::Builtin(b) => b.class_name(),
                    _ => None,
                };
                if let Some(class) = class {
                    return match name {
                        "__name__" => Ok(str_v(class)),
                        "fromkeys" if matches!(v, Value::Type(TypeTag::Dict)) => {
                            Ok(Value::method(v.clone(), name))
                        }
                        "maketrans" if matches!(v, Value::Type(TypeTag::Str)) => {
                            Ok(Value::method(v.clone(), name))
                        }
                        _ if suggest::class_has(class, name) => Err(Fault::Unsupported(format!(
                            "the attribute {name} of type {class}"
                        ))),
                        _ => Err(attribute_error(
                            format!("type object '{class}' has no attribute '{name}'"),
                            suggest::dir_of_class(class),
                            name,
                        )),
                    };
                }
            }
            Value::Exc(e) => {
                let e = &e.value;
                let link = |c: &std::cell::RefCell<Option<Value>>| {
                    c.borrow().clone().unwrap_or(Value::Obj(none::none()))
                };
                match name {
                    "args" => return Ok(Value::Obj(e.args.clone())),
                    "__cause__" => return Ok(link(&e.cause)),
                    "__context__" => return Ok(link(&e.context)),
                    "__suppress_context__" => return Ok(bool_v(e.suppress_context.get())),
                    // `StopIteration_init`: its first argument, or None.
                    "value" if e.kind == ExcKind::StopIteration => {
                        let args = PyTuple::from_obj(e.args.clone()).expect("args is a tuple");
                        return Ok(obj(args.get(0).unwrap_or_else(|_| none::none())));
                    }
                    _ => {}
                }
            }
            Value::Obj(o) if method_exists(TypeTag::of_obj(o), name) => {
                return Ok(Value::method(v.clone(), name));
            }
            Value::Iter(it) if is_generator(it) && iter::GENERATOR_METHODS.contains(&name) => {
                return Ok(Value::method(v.clone(), name));
            }
            _ => {}
        }
        // A function's or exception's own attributes, in its `__dict__` (made when first
        // looked at).
        let dict = v.instance_dict();
        if let Some(dict) = dict {
            if name == "__dict__" {
                return Ok(obj(dict.get_or_make().into_obj()));
            }
            if let Some(d) = dict.get()
                && let Some(x) = d.get(&PyStr::new(name).into_obj())?
            {
                return Ok(obj(x));
            }
        }
        let tag = v.type_tag();
        if name == "__class__" {
            return Ok(Value::Type(tag));
        }
        let dir = suggest::dir_of(tag);
        if dir.contains(&name) {
            return Err(Fault::Unsupported(format!(
                "{}.{name} (not modelled by pylayout)",
                tag.name()
            )));
        }
        Err(attribute_error(
            format!("'{}' object has no attribute '{name}'", tag.name()),
            dir,
            name,
        ))
    }

    /// `obj.name = value` (`STORE_ATTR`) or `del obj.name` (`value` None): functions and
    /// exceptions keep their attributes in a `__dict__` made on the first one; types are
    /// immutable; the other objects have no place for new attributes and their own are
    /// read-only. Assigning the special attributes of a function or exception, and a
    /// module's, is refused.
    pub(crate) fn set_attr(&mut self, v: &Value, name: &str, value: Option<Value>) -> R<()> {
        let tag = v.type_tag();
        let dict = v.instance_dict();
        if let Some(dict) = dict
            && !suggest::dir_of(tag).contains(&name)
        {
            let key = PyStr::new(name).intern().into_obj();
            return match value {
                Some(x) => {
                    let x = x.into_obj()?;
                    dict.get_or_make().set_item(key, x)?;
                    Ok(())
                }
                None => match dict.get().map(|d| d.del_item(&key)) {
                    Some(Ok(())) => Ok(()),
                    _ => Err(exc(
                        ExcKind::AttributeError,
                        format!("'{}' object has no attribute '{name}'", tag.name()),
                    )),
                },
            };
        }
        match v {
            Value::Type(t) => Err(type_err(format!(
                "cannot set '{name}' attribute of immutable type '{}'",
                t.name()
            ))),
            Value::Module(m) => Err(Fault::Unsupported(format!(
                "assignment to an attribute of module {}",
                m.name()
            ))),
            Value::Obj(o) if method_exists(TypeTag::of_obj(o), name) => Err(exc(
                ExcKind::AttributeError,
                format!("'{}' object attribute '{name}' is read-only", tag.name()),
            )),
            _ if suggest::dir_of(tag).contains(&name) => Err(Fault::Unsupported(format!(
                "assignment to the attribute {name} of a {}",
                tag.name()
            ))),
            _ => Err(exc(
                ExcKind::AttributeError,
                format!("'{}' object has no attribute '{name}'", tag.name()),
            )),
        }
    }

    /// Call a callable value.
    pub(crate) fn call(&mut self, f: Value, args: Args, kwargs: Kwargs) -> R<Value> {
        let f = match Function::from_value(f) {
            Ok(func) => return self.call_function(&func, args, kwargs),
            Err(f) => f,
        };
        match f {
            Value::Builtin(b) => self.call_builtin(b, args, kwargs),
            Value::Type(t) => self.construct(t, args, kwargs),
            Value::Method(m) => {
                // The method object lives until the call returns, as on CPython's stack.
                let recv = m.value.recv.clone();
                self.call_method(recv, &m.value.name, args, kwargs)
            }
            other => Err(type_err(format!(
                "'{}' object is not callable",
                other.type_name()
            ))),
        }
    }
}
