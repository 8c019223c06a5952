//! Layer 3: concrete types, each mirroring its CPython source file.
//!
//! | module | CPython | notes |
//! |---|---|---|
//! | [`int`] | `Objects/longobject.c`, `Objects/boolobject.c` | 30-bit digits, small-int cache, `True`/`False` |
//! | [`float`] | `Objects/floatobject.c` | 24 bytes, free list of 100 |
//! | [`list`] | `Objects/listobject.c` | `list_resize` growth, exact-allocation paths, free list of 80 |
//! | [`tuple`](mod@tuple) | `Objects/tupleobject.c` | items inline, static `()`, free lists by length |
//! | [`str`](mod@str) | `Objects/unicodeobject.c` | PEP 393 compact strings, kinds 1/2/4, cached hash, singletons, interning |
//! | [`unicode`] | `Objects/unicodectype.c` | the character database of `str`'s predicates, case mappings and `int()`/`float()` of text (Unicode 14.0 tables generated from python3) |
//! | [`dict`] | `Objects/dictobject.c` | compact table: indices + dense entries, unicode/general kinds, presizing, free lists |
//! | [`function`] | `Objects/funcobject.c` | `MAKE_FUNCTION`'s object: defaults, `__dict__`, closure; the runner's code kept as a Rust value |
//! | [`cell`] | `Objects/cellobject.c` | a closure variable, held by frames and closure tuples |
//! | [`host`] | — | a runner value boxed for a cell's slot (not a CPython object) |
//! | [`none`] | `Objects/object.c` | the `None` singleton (16 bytes, counted, never freed) |
//! | [`ops`] | `Objects/object.c` (rich comparison), `float_repr` | equality, ordering and `repr` across types |
//!
//! Each type is a handle (`PyList`, `PyDict`, ...) around an owning [`crate::object::Obj`],
//! over a `#[repr(C)]` struct with CPython's field names, whose module docs draw its bytes.
//! A handle's constructor is the CPython function it mirrors (`PyList::new` is
//! `PyList_New(0)`); `as_obj()` gives the generic object (`getsizeof`, `refcnt`, `id`), and
//! `from_obj` checks the type and gives a typed view back.
//!
//! What to read first: [`float`] (the smallest: a header, a double and a free list), then
//! [`int`] (a variable-size object and static small ints), [`list`] (an object plus a
//! separate item array that grows), [`tuple`](mod@tuple) (items inline, free lists by length),
//! [`str`](mod@str) (a short ASCII header or a long one, 1, 2 or 4 bytes per code point, chosen
//! by content), and [`dict`] last (two blocks and an open-addressing table). Each type's main
//! entry point has an example with the sizes `python3` reports.

/// `from_obj` / `as_obj` / `into_obj` for a typed handle `$name(Obj)` of one exact type.
macro_rules! typed_handle {
    ($name:ident, $tp:path, $what:literal) => {
        impl $name {
            #[doc = concat!("View an object as a ", $what, " (`Err` gives it back otherwise).")]
            pub fn from_obj(obj: $crate::object::Obj) -> Result<$name, $crate::object::Obj> {
                if obj.is_type(&$tp) {
                    Ok($name(obj))
                } else {
                    Err(obj)
                }
            }

            /// The object handle.
            pub fn as_obj(&self) -> &$crate::object::Obj {
                &self.0
            }

            /// Give up the typed view.
            pub fn into_obj(self) -> $crate::object::Obj {
                self.0
            }
        }
    };
}

pub mod cell;
pub mod dict;
pub mod float;
pub mod function;
pub mod host;
pub mod int;
pub mod list;
pub mod none;
pub mod ops;
mod printable;
pub mod state;
pub mod str;
pub mod tuple;
pub mod unicode;
#[rustfmt::skip] // generated: byte for byte what tools/gen_unicode.py prints
mod unicode_db;
