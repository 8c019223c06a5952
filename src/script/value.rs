//! Run-time values: objects of the object layer, and the few things a script can hold that
//! are not modelled in memory (functions, builtins, modules, types, ranges, dict views,
//! iterators).

use std::cell::RefCell;
use std::rc::Rc;

use num_bigint::BigInt;

use super::ast::{Code, FuncDef, Module};
use super::ops::{Fault, OpResult};
use crate::error::ExcKind;
use crate::object::Obj;
use crate::types::cell::PyCell;
use crate::types::dict::PyDict;
use crate::types::float::FLOAT_TYPE;
use crate::types::function::{FUNCTION_TYPE, FunctionCode, PyFunction};
use crate::types::host;
use crate::types::int::{BOOL_TYPE, INT_TYPE};
use crate::types::list::LIST_TYPE;
use crate::types::none::NONE_TYPE;
use crate::types::str::STR_TYPE;
use crate::types::tuple::PyTuple;
use crate::types::tuple::TUPLE_TYPE;

/// A value the evaluator handles.
#[derive(Clone, Debug)]
pub enum Value {
    /// An object in our memory.
    Obj(Obj),
    /// A builtin function (or a function of `sys` / `gc`).
    Builtin(Builtin),
    /// A type (`list`, `type(x)`).
    Type(TypeTag),
    /// An imported module.
    Module(Module),
    /// A bound method (`l.append` not called at once): a `builtin_function_or_method`,
    /// a GC object in CPython.
    Method(Rc<GcCounted<BoundMethod>>),
    /// `range(start, stop, step)`.
    Range(Rc<RangeObj>),
    /// `d.keys()`, `d.values()`, `d.items()`.
    View(Rc<GcCounted<(Obj, ViewKind)>>),
    /// An iterator object (`enumerate(...)`, `zip(...)`, `reversed(...)`, `iter(...)`).
    Iter(Rc<RefCell<GcCounted<Iter>>>),
    /// A tuple of types (`(int, float)`, for `isinstance`), each item a `Type` or another
    /// `Types` (`(str, (int, float))`).
    Types(Rc<[Value]>),
    /// An exception instance (`ValueError('x')`, the `e` of `except ... as e`).
    Exc(Rc<GcCounted<ExcObj>>),
    /// A cell (`PyCellObject`, a GC object in memory): what a frame slot of a cell or free
    /// variable holds. Loads and stores of the slot go through it ([`cell_get`],
    /// [`cell_set`]); it never reaches a script.
    Cell(PyCell),
}

/// `PyCell_New(value)` (`MAKE_CELL`).
pub fn cell_new(value: Option<Value>) -> PyCell {
    PyCell::new(value.map(into_slot))
}

/// The variable a cell holds, if bound.
pub fn cell_get(c: &PyCell) -> Option<Value> {
    c.get().map(from_slot)
}

/// Bind (or with `None` unbind) a cell's variable; the old value comes back.
pub fn cell_set(c: &PyCell, value: Option<Value>) -> Option<Value> {
    c.set(value.map(into_slot)).map(from_slot)
}

/// What a slot in memory holds for `v`: the object, or a value not in memory boxed
/// ([`crate::types::host`]).
fn into_slot(v: Value) -> Obj {
    match v {
        Value::Obj(o) => o,
        other => host::boxed(Box::new(other)),
    }
}

/// The value a slot in memory holds (a boxed one unboxed).
fn from_slot(o: Obj) -> Value {
    match host::unbox(&o).and_then(|a| a.downcast_ref::<Value>()) {
        Some(v) => v.clone(),
        None => Value::Obj(o),
    }
}

/// What a value not in our memory is, as far as `is` and `id()` can tell: every copy of a
/// value shares the `Rc` it lives in, as every reference to a CPython object shares its
/// address; builtins, types and modules, which CPython allocates once for the whole run,
/// stand on a static slot each. None of these addresses can be an object's.
static IDENTITY_SLOTS: [u8; 3 * 256] = [0; 3 * 256];

/// A method bound to its receiver (`PyCFunctionObject` with `m_self`).
#[derive(Debug)]
pub struct BoundMethod {
    /// `m_self`.
    pub recv: Value,
    /// The method's name.
    pub name: Rc<str>,
}

impl Value {
    /// The object, if this is one.
    pub fn as_obj(&self) -> Option<&Obj> {
        match self {
            Value::Obj(o) => Some(o),
            _ => None,
        }
    }

    /// `id(v)`: the object's address, or for a value not in our memory the address that
    /// stands for it (a byte of a private static table, one per builtin, type and module). `a is b` is `a.identity() == b.identity()`.
    pub fn identity(&self) -> usize {
        let slot = |i: usize| &IDENTITY_SLOTS[i] as *const u8 as usize;
        match self {
            Value::Obj(o) => o.id(),
            Value::Builtin(b) => slot(b.index()),
            Value::Type(t) => slot(256 + t.identity().slot()),
            Value::Module(m) => slot(512 + *m as u8 as usize),
            Value::Method(m) => Rc::as_ptr(m) as usize,
            Value::Range(r) => Rc::as_ptr(r) as usize,
            Value::View(v) => Rc::as_ptr(v) as usize,
            Value::Iter(it) => Rc::as_ptr(it) as usize,
            Value::Types(ts) => Rc::as_ptr(ts) as *const Value as usize,
            Value::Exc(e) => Rc::as_ptr(e) as usize,
            Value::Cell(c) => c.as_obj().id(),
        }
    }

    /// A bound method.
    pub fn method(recv: Value, name: &str) -> Value {
        Value::Method(Rc::new(GcCounted::new(BoundMethod {
            recv,
            name: name.into(),
        })))
    }

    /// `type(v).__name__`.
    pub fn type_name(&self) -> &'static str {
        self.type_tag().name()
    }

    /// `type(v)`.
    pub fn type_tag(&self) -> TypeTag {
        match self {
            Value::Obj(o) => TypeTag::of_obj(o),
            Value::Builtin(b) if b.class_name().is_some() => TypeTag::Type,
            Value::Builtin(_) => TypeTag::BuiltinFunction,
            Value::Type(_) => TypeTag::Type,
            Value::Module(_) => TypeTag::Module,
            Value::Method(..) => TypeTag::BuiltinMethod,
            Value::Range(..) => TypeTag::Range,
            Value::View(v) => match v.value.1 {
                ViewKind::Keys => TypeTag::DictKeys,
                ViewKind::Values => TypeTag::DictValues,
                ViewKind::Items => TypeTag::DictItems,
            },
            Value::Iter(it) => it.borrow().value.tag(),
            Value::Types(_) => TypeTag::Tuple,
            Value::Exc(e) => TypeTag::Exc(e.value.kind),
            Value::Cell(_) => TypeTag::Object,
        }
    }

    /// The object inside, or the fault of storing something the object layer cannot hold.
    pub fn into_obj(self) -> OpResult<Obj> {
        match self {
            Value::Obj(o) => Ok(o),
            other => Err(Fault::Unsupported(format!(
                "a {} object inside a container or as an operand (only int, float, str, None, bool, list, tuple, dict and functions live in pylayout's memory)",
                other.type_name()
            ))),
        }
    }
}

/// A value CPython allocates as a GC object but pylayout does not build in memory: its
/// allocation and deallocation still count towards generation 0, so automatic collections
/// happen when CPython's do.
#[derive(Debug)]
pub struct GcCounted<T> {
    /// The value.
    pub value: T,
    /// Whether CPython's object is a GC object at all (a range iterator is not).
    counted: bool,
}

impl<T> GcCounted<T> {
    /// Count one GC allocation (`_PyObject_GC_Link`).
    pub fn new(value: T) -> Self {
        crate::gc::on_gc_alloc();
        GcCounted {
            value,
            counted: true,
        }
    }

    /// A value whose CPython object is not a GC object: nothing counted.
    pub fn uncounted(value: T) -> Self {
        GcCounted {
            value,
            counted: false,
        }
    }
}

impl<T> Drop for GcCounted<T> {
    fn drop(&mut self) {
        if self.counted {
            crate::gc::on_gc_free();
        }
    }
}

/// What a function object keeps of the runner's (its `func_code`): the code, and for a
/// `def` or `lambda` its parameters (`None` for a comprehension's function).
#[derive(Debug)]
pub struct FuncCode {
    pub code: Rc<Code>,
    pub def: Option<Rc<FuncDef>>,
}

impl FunctionCode for FuncCode {
    fn qualname(&self) -> &str {
        &self.code.qualname
    }
}

/// A function defined by `def` or `lambda`: the function object in memory (`PyFunction`),
/// which holds its defaults, `__dict__` and closure, and through it its definition.
#[derive(Clone, Debug)]
pub struct Function(PyFunction);

impl Function {
    /// `MAKE_FUNCTION`: the object, from the definition, defaults and closure tuple.
    pub fn make(
        code: Rc<Code>,
        def: Option<Rc<FuncDef>>,
        defaults: Option<Obj>,
        kwdefaults: Option<Obj>,
        closure: Option<Obj>,
    ) -> PyFunction {
        PyFunction::new(
            Box::new(FuncCode { code, def }),
            defaults,
            kwdefaults,
            closure,
        )
    }

    /// The function a value is, if it is a `def` or `lambda` one.
    pub fn of(v: &Value) -> Option<Function> {
        match v {
            Value::Obj(o) => Function::of_obj(o),
            _ => None,
        }
    }

    /// The function an object is, if it is a `def` or `lambda` one.
    pub fn of_obj(o: &Obj) -> Option<Function> {
        Function::from_obj(o.clone()).ok()
    }

    /// The value as a function (taking its reference), or the value back.
    pub fn from_value(v: Value) -> Result<Function, Value> {
        match v {
            Value::Obj(o) => Function::from_obj(o).map_err(Value::Obj),
            other => Err(other),
        }
    }

    fn from_obj(o: Obj) -> Result<Function, Obj> {
        let f = PyFunction::from_obj(o)?;
        let code = (f.code() as &dyn std::any::Any).downcast_ref::<FuncCode>();
        if code.is_some_and(|c| c.def.is_some()) {
            Ok(Function(f))
        } else {
            Err(f.into_obj())
        }
    }

    fn code(&self) -> &FuncCode {
        (self.0.code() as &dyn std::any::Any)
            .downcast_ref::<FuncCode>()
            .expect("made by Function::new")
    }

    /// Its parameters and code.
    pub fn def(&self) -> &Rc<FuncDef> {
        self.code()
            .def
            .as_ref()
            .expect("checked by Function::of_obj")
    }

    /// `__name__`.
    pub fn name(&self) -> &Rc<str> {
        &self.code().code.name
    }

    /// The object.
    pub fn obj(&self) -> &PyFunction {
        &self.0
    }

    /// `__defaults__`: the positional parameters' defaults, a tuple.
    pub fn defaults(&self) -> Option<Obj> {
        self.0.defaults()
    }

    /// `__kwdefaults__`: the keyword-only parameters' defaults, a dict.
    pub fn kwdefaults(&self) -> Option<Obj> {
        self.0.kwdefaults()
    }

    /// The cells of its free variables, in `co_freevars` order (its closure tuple's items).
    pub fn closure(&self) -> Vec<PyCell> {
        closure_items(self.0.closure())
    }
}

/// The cells of a closure tuple.
pub fn closure_items(t: Option<Obj>) -> Vec<PyCell> {
    t.map(|t| {
        PyTuple::from_obj(t)
            .expect("a closure is a tuple")
            .items()
            .into_iter()
            .map(|c| PyCell::from_obj(c).expect("a closure holds cells"))
            .collect()
    })
    .unwrap_or_default()
}

/// An exception instance (`PyBaseExceptionObject`): not built in pylayout's memory, but its
/// argument tuple is, and what it holds keeps objects alive as CPython's does: the
/// traceback holds frame objects, which hold the locals of the frames that ended. Fields
/// drop in `BaseException_clear`'s order.
#[derive(Debug)]
pub struct ExcObj {
    /// The class.
    pub kind: ExcKind,
    /// `__dict__`: made by the first attribute set on it (or the first look at it).
    pub dict: RefCell<Option<PyDict>>,
    /// `args`: a tuple in our memory.
    pub args: Obj,
    /// `__traceback__`: the outermost entry.
    pub traceback: RefCell<Option<Rc<TbNode>>>,
    /// `__cause__` (`raise ... from cause`).
    pub cause: RefCell<Option<Value>>,
    /// `__context__`: the exception being handled when this one was raised.
    pub context: RefCell<Option<Value>>,
    /// `__suppress_context__` (set by `raise ... from ...`).
    pub suppress_context: std::cell::Cell<bool>,
    /// What the traceback printer adds after the message ("Did you mean").
    pub suggestion: Option<String>,
}

/// One traceback entry (`PyTracebackObject`, a GC object): the frame and its line; `next`
/// is the entry one call deeper.
#[derive(Debug)]
pub struct TbNode {
    /// `tb_next`.
    pub next: Option<Rc<TbNode>>,
    /// `tb_frame`.
    pub frame: Rc<FrameObj>,
    /// `tb_lineno`.
    pub line: u32,
    /// Where in the line (`tb_lasti`'s position).
    pub span: super::ast::Span,
    /// Its GC count.
    pub gc: GcCounted<()>,
}

/// A frame object (`PyFrameObject`, a GC object), made the first time an exception passes
/// through a frame. When its frame ends while a traceback still holds it, it takes the
/// frame's locals (`take_ownership`): they live as long as the traceback.
#[derive(Debug)]
pub struct FrameObj {
    /// `co_name`.
    pub name: Rc<str>,
    /// The locals it took over.
    pub locals: RefCell<Vec<Option<Value>>>,
    /// Its GC count.
    pub gc: GcCounted<()>,
}

impl TbNode {
    /// The entries from this one inwards, as (line, function) pairs, outermost first.
    pub fn entries(node: &Option<Rc<TbNode>>) -> Vec<(u32, Rc<str>, super::ast::Span)> {
        let mut out = Vec::new();
        let mut cur = node.as_ref();
        while let Some(n) = cur {
            out.push((n.line, n.frame.name.clone(), n.span));
            cur = n.next.as_ref();
        }
        out
    }
}

impl Drop for TbNode {
    /// Unlink the chain iteratively (`tb_dealloc` goes through the trashcan).
    fn drop(&mut self) {
        let mut next = self.next.take();
        while let Some(n) = next {
            match Rc::try_unwrap(n) {
                Ok(mut inner) => next = inner.next.take(),
                Err(_) => break,
            }
        }
    }
}

/// The three dict views.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewKind {
    Keys,
    Values,
    Items,
}

/// Types a script can name or get from `type(x)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeTag {
    Int,
    Bool,
    Float,
    Str,
    List,
    Tuple,
    Dict,
    NoneType,
    Range,
    Function,
    BuiltinFunction,
    BuiltinMethod,
    Type,
    Module,
    DictKeys,
    DictValues,
    DictItems,
    ListIterator,
    TupleIterator,
    /// Over a str with a non-ASCII character (`unicode_iter` picks the type by the kind).
    StrIterator,
    StrAsciiIterator,
    DictKeyIterator,
    DictValueIterator,
    DictItemIterator,
    RangeIterator,
    LongRangeIterator,
    Enumerate,
    Zip,
    /// `reversed(list)`.
    Reversed,
    /// `reversed(tuple)`, `reversed(str)`: the `reversed` type.
    SeqReversed,
    DictReverseKeyIterator,
    DictReverseValueIterator,
    DictReverseItemIterator,
    Object,
    Map,
    Filter,
    Generator,
    /// An exception class.
    Exc(ExcKind),
}

impl TypeTag {
    /// `__name__`.
    pub fn name(self) -> &'static str {
        match self {
            TypeTag::Int => "int",
            TypeTag::Bool => "bool",
            TypeTag::Float => "float",
            TypeTag::Str => "str",
            TypeTag::List => "list",
            TypeTag::Tuple => "tuple",
            TypeTag::Dict => "dict",
            TypeTag::NoneType => "NoneType",
            TypeTag::Range => "range",
            TypeTag::Function => "function",
            TypeTag::BuiltinFunction => "builtin_function_or_method",
            TypeTag::BuiltinMethod => "builtin_function_or_method",
            TypeTag::Type => "type",
            TypeTag::Module => "module",
            TypeTag::DictKeys => "dict_keys",
            TypeTag::DictValues => "dict_values",
            TypeTag::DictItems => "dict_items",
            TypeTag::ListIterator => "list_iterator",
            TypeTag::TupleIterator => "tuple_iterator",
            TypeTag::StrIterator => "str_iterator",
            TypeTag::StrAsciiIterator => "str_ascii_iterator",
            TypeTag::DictKeyIterator => "dict_keyiterator",
            TypeTag::DictValueIterator => "dict_valueiterator",
            TypeTag::DictItemIterator => "dict_itemiterator",
            TypeTag::RangeIterator => "range_iterator",
            TypeTag::LongRangeIterator => "longrange_iterator",
            TypeTag::Enumerate => "enumerate",
            TypeTag::Zip => "zip",
            TypeTag::Reversed => "list_reverseiterator",
            TypeTag::SeqReversed => "reversed",
            TypeTag::DictReverseKeyIterator => "dict_reversekeyiterator",
            TypeTag::DictReverseValueIterator => "dict_reversevalueiterator",
            TypeTag::DictReverseItemIterator => "dict_reverseitemiterator",
            TypeTag::Object => "object",
            TypeTag::Map => "map",
            TypeTag::Filter => "filter",
            TypeTag::Generator => "generator",
            TypeTag::Exc(k) => k.name(),
        }
    }

    /// Every tag but the exception classes, in declaration order.
    pub const PLAIN: [TypeTag; 37] = [
        TypeTag::Int,
        TypeTag::Bool,
        TypeTag::Float,
        TypeTag::Str,
        TypeTag::List,
        TypeTag::Tuple,
        TypeTag::Dict,
        TypeTag::NoneType,
        TypeTag::Range,
        TypeTag::Function,
        TypeTag::BuiltinFunction,
        TypeTag::BuiltinMethod,
        TypeTag::Type,
        TypeTag::Module,
        TypeTag::DictKeys,
        TypeTag::DictValues,
        TypeTag::DictItems,
        TypeTag::ListIterator,
        TypeTag::TupleIterator,
        TypeTag::StrIterator,
        TypeTag::StrAsciiIterator,
        TypeTag::DictKeyIterator,
        TypeTag::DictValueIterator,
        TypeTag::DictItemIterator,
        TypeTag::RangeIterator,
        TypeTag::LongRangeIterator,
        TypeTag::Enumerate,
        TypeTag::Zip,
        TypeTag::Reversed,
        TypeTag::SeqReversed,
        TypeTag::DictReverseKeyIterator,
        TypeTag::DictReverseValueIterator,
        TypeTag::DictReverseItemIterator,
        TypeTag::Object,
        TypeTag::Map,
        TypeTag::Filter,
        TypeTag::Generator,
    ];

    /// The type's slot in the identity table (below 256): its place in [`Self::PLAIN`], or
    /// after them for the exception classes.
    pub fn slot(self) -> usize {
        match self {
            TypeTag::Exc(k) => Self::PLAIN.len() + k as usize,
            t => Self::PLAIN
                .iter()
                .position(|x| *x == t)
                .expect("every tag but Exc is in PLAIN"),
        }
    }

    /// The type of an object in memory.
    pub fn of_obj(o: &Obj) -> TypeTag {
        let tp = o.type_object();
        if std::ptr::eq(tp, &INT_TYPE) {
            TypeTag::Int
        } else if std::ptr::eq(tp, &BOOL_TYPE) {
            TypeTag::Bool
        } else if std::ptr::eq(tp, &FLOAT_TYPE) {
            TypeTag::Float
        } else if std::ptr::eq(tp, &STR_TYPE) {
            TypeTag::Str
        } else if std::ptr::eq(tp, &LIST_TYPE) {
            TypeTag::List
        } else if std::ptr::eq(tp, &TUPLE_TYPE) {
            TypeTag::Tuple
        } else if std::ptr::eq(tp, &NONE_TYPE) {
            TypeTag::NoneType
        } else if o.is_type(&crate::types::dict::DICT_TYPE) {
            TypeTag::Dict
        } else if std::ptr::eq(tp, &FUNCTION_TYPE) {
            TypeTag::Function
        } else {
            TypeTag::Object
        }
    }

    /// The type object this tag stands for: two tags name one CPython type
    /// (`builtin_function_or_method` is both builtins' and bound methods' type).
    pub fn identity(self) -> TypeTag {
        match self {
            TypeTag::BuiltinMethod => TypeTag::BuiltinFunction,
            t => t,
        }
    }

    /// Whether an instance of `self` is an instance of `of` (`bool` is an `int`).
    pub fn is_subtype(self, of: TypeTag) -> bool {
        if let (TypeTag::Exc(a), TypeTag::Exc(b)) = (self, of) {
            return a.is_subclass(b);
        }
        self.identity() == of.identity()
            || (self == TypeTag::Bool && of == TypeTag::Int)
            || of == TypeTag::Object
    }
}

/// Builtin functions and the functions of `sys` and `gc`: an index into their registry.
pub use super::builtins::Builtin;

/// An iterator's state.
#[derive(Debug)]
pub enum Iter {
    /// Over a list (live length), tuple or str, by index; the iterator's own type
    /// (`ListIterator`, `TupleIterator`, `StrAsciiIterator`, `StrIterator`). Exhausted, it
    /// lets its sequence go (`it_seq = NULL`).
    Seq(Option<Obj>, usize, TypeTag),
    /// Over a dict's entries by dense position; `len` is `ma_used` at the start; items
    /// iterators recycle their result tuple (`di_result`). Exhausted, the dict is let go.
    Dict(Option<PyDict>, usize, ViewKind, usize, Option<PyTuple>),
    /// `reversed(d)`, `reversed(d.keys())` ...: the same from the last entry back.
    DictRev(
        Option<PyDict>,
        Option<usize>,
        ViewKind,
        usize,
        Option<PyTuple>,
    ),
    /// Over a range whose items and length fit a C long (`rangeiterobject`): the next
    /// item, the step, the items left.
    Range(i64, i64, u64),
    /// Over any other range (`longrangeiterobject`): the same as ints of any size.
    LongRange(BigInt, BigInt, BigInt),
    /// `enumerate(it)`: the inner iterator (and its GC count), the next index, the
    /// recycled result tuple (`en_result`).
    Enumerate(Box<Iter>, Option<GcCounted<()>>, i128, PyTuple),
    /// `zip(a, b, ...)`: the inner iterators, their tuple (`ittuple`) and GC counts, the
    /// recycled result tuple.
    Zip(Vec<Iter>, PyTuple, Vec<GcCounted<()>>, PyTuple),
    /// `reversed(list)` (a `list_reverseiterator`, live length) or `reversed(tuple|str)` (a
    /// `reversed` object): the next index from the end; exhausted, the sequence is let go.
    Reversed(Option<Obj>, Option<usize>, TypeTag),
    /// `map(func, *iterables)`: the function, the inner iterators (kept in the `iters`
    /// tuple) and their GC counts. Lazy: each item calls the function.
    Map(Value, Vec<Iter>, PyTuple, Vec<GcCounted<()>>),
    /// `filter(func, iterable)` (`None`: the items' truth): the inner iterator and its GC
    /// count.
    Filter(Option<Value>, Box<Iter>, Option<GcCounted<()>>),
    /// An iterator object given to `zip`, `enumerate`, `map` or `filter`: `iter()` of an
    /// iterator is the iterator itself, shared (`zip(it, it)` pairs its items).
    Shared(Rc<RefCell<GcCounted<Iter>>>),
    /// A generator (a generator expression's or a generator function's).
    Gen(Box<GenState>),
    /// An iterator object of this type while it advances: its state is out, with the
    /// interpreter, so what runs meanwhile (a `map` function) can still look at the object.
    Running(TypeTag),
}

/// An iterator a loop holds: shared when the iterable was an iterator object already.
#[derive(Debug)]
pub enum LoopIter {
    /// The iterator and, for GC iterator types, its generation-0 count.
    Own(Box<Iter>, #[allow(dead_code)] Option<GcCounted<()>>),
    Shared(Rc<RefCell<GcCounted<Iter>>>),
}

/// A generator (`PyGenObject`): its name and where its frame stands (`gi_frame_state`).
#[derive(Debug)]
pub struct GenState {
    /// `gi_qualname`.
    pub qualname: Rc<str>,
    /// Running: its frame is out, on the interpreter's stack (`next` on it again is
    /// "generator already executing").
    pub running: bool,
    /// Whether its frame has run at all (`FRAME_CREATED` takes only `send(None)`).
    pub started: bool,
    /// Its frame, until it completes (exhausted, returned, raised or closed).
    pub frame: Option<Box<GenFrame>>,
    /// `gi_code`, which stays after the frame is gone.
    pub code: GenCode,
}

/// A generator's code: a generator expression's, or a generator function's.
#[derive(Debug, Clone)]
pub enum GenCode {
    Comp(Rc<super::ast::Comp>),
    Def(Rc<super::ast::Code>),
}

impl GenCode {
    /// `sys.getsizeof` of a generator running this code (`gen_sizeof`): the generator and
    /// frame headers, then a word per local and per slot of the value stack; `None` where
    /// the stack depth is not modelled.
    pub fn generator_size(&self) -> Option<usize> {
        let (code, depth) = match self {
            GenCode::Comp(c) => (&c.code, super::stackdepth::of_genexp(c)),
            GenCode::Def(c) => (c, super::stackdepth::of_function(c)),
        };
        Some(168 + 8 * (code.locals.len() + depth?))
    }
}

/// A generator's frame between runs (`gi_iframe`). Fields drop in `_PyFrame_Clear`'s order:
/// the frame object, the locals, the value stack (the loops' iterators), the function.
#[derive(Debug)]
pub struct GenFrame {
    /// Its frame object, once an exception has passed through it.
    pub frame_obj: Option<Rc<FrameObj>>,
    /// The fast locals.
    pub locals: Vec<Option<Value>>,
    /// What it runs and where it stopped.
    pub body: GenBody,
    /// The exceptions its suspended handlers were handling (`gi_exc_state`), innermost
    /// last: off the interpreter's stack while it is suspended.
    pub handling: Vec<Rc<GcCounted<ExcObj>>>,
    /// The function the frame holds (`f_func`): a generator expression's (a count, and its
    /// closure tuple) or a generator function's.
    pub func: FrameFunc,
}

/// What a generator runs, and where it stopped.
#[derive(Debug)]
pub enum GenBody {
    /// A generator expression: the iterator of each `for` level entered so far (the first
    /// is `.0`, made where the expression was evaluated), each with its GC count.
    Comp(Rc<super::ast::Comp>, Vec<(Iter, Option<GcCounted<()>>)>),
    /// A generator function's code, and the path from its body down to the `yield` it
    /// stopped at (empty before the first run).
    Def(Rc<super::ast::Code>, Vec<Level>),
}

/// The function a generator's frame holds.
#[derive(Debug)]
pub enum FrameFunc {
    /// A generator expression's function.
    Comp(#[allow(dead_code)] PyFunction),
    Def(#[allow(dead_code)] Function),
}

/// One block on a suspended generator's path: the statement it is at, and what that
/// statement has under way.
#[derive(Debug)]
pub struct Level {
    pub at: usize,
    pub doing: Doing,
}

/// What a statement on a suspended generator's path has under way.
#[derive(Debug)]
pub enum Doing {
    /// Not begun.
    Start,
    /// A `yield` handed out its value: resuming, the value sent in is its result.
    Yielded,
    /// A `yield from` delegating to its iterator.
    YieldFrom(LoopIter),
    /// An `if` in the branch taken (`true`: the body).
    If(bool),
    /// A `while` in its body, or in its `else`.
    While,
    WhileElse,
    /// A `for` in its body, with its iterator; or in its `else`.
    For(LoopIter),
    ForElse,
    /// A `try` in its body, its `else`, or handler `k` (the exception it handles is saved
    /// with the frame's: [`GenFrame::handling`]).
    TryBody,
    TryElse,
    TryHandler(usize),
}

impl Value {
    /// Its `__dict__` slot, for the values that have one (functions and exceptions).
    pub fn instance_dict(&self) -> Option<DictSlot<'_>> {
        match self {
            Value::Exc(e) => Some(DictSlot::Exc(&e.value.dict)),
            _ => Function::of(self).map(DictSlot::Func),
        }
    }

    /// Whether it is `None`.
    pub fn is_none(&self) -> bool {
        matches!(self, Value::Obj(o) if crate::types::none::is_none(o))
    }
}

impl GenBody {
    /// The code the frame runs.
    pub fn code(&self) -> &super::ast::Code {
        match self {
            GenBody::Comp(c, _) => &c.code,
            GenBody::Def(c, _) => c,
        }
    }
}

impl Iter {
    /// The iterator `iter(seq)` makes over a list, tuple or str (`seq_tag`): its type is
    /// decided once, by the sequence (`unicode_iter` picks by the string's kind).
    pub fn over_seq(o: Obj, seq_tag: TypeTag) -> Iter {
        let tag = match seq_tag {
            TypeTag::List => TypeTag::ListIterator,
            TypeTag::Tuple => TypeTag::TupleIterator,
            _ if crate::types::str::PyStr::from_obj(o.clone()).is_ok_and(|s| s.state().ascii) => {
                TypeTag::StrAsciiIterator
            }
            _ => TypeTag::StrIterator,
        };
        Iter::Seq(Some(o), 0, tag)
    }

    /// `type(it)`.
    pub fn tag(&self) -> TypeTag {
        match self {
            Iter::Seq(_, _, tag) | Iter::Reversed(_, _, tag) => *tag,
            Iter::Dict(_, _, ViewKind::Keys, ..) => TypeTag::DictKeyIterator,
            Iter::Dict(_, _, ViewKind::Values, ..) => TypeTag::DictValueIterator,
            Iter::Dict(..) => TypeTag::DictItemIterator,
            Iter::DictRev(_, _, ViewKind::Keys, ..) => TypeTag::DictReverseKeyIterator,
            Iter::DictRev(_, _, ViewKind::Values, ..) => TypeTag::DictReverseValueIterator,
            Iter::DictRev(..) => TypeTag::DictReverseItemIterator,
            Iter::Range(..) => TypeTag::RangeIterator,
            Iter::LongRange(..) => TypeTag::LongRangeIterator,
            Iter::Enumerate(..) => TypeTag::Enumerate,
            Iter::Zip(..) => TypeTag::Zip,
            Iter::Map(..) => TypeTag::Map,
            Iter::Filter(..) => TypeTag::Filter,
            Iter::Shared(s) => s.borrow().value.tag(),
            Iter::Gen(_) => TypeTag::Generator,
            Iter::Running(tag) => *tag,
        }
    }

    /// Whether CPython allocates this iterator as a GC object.
    pub fn is_gc(&self) -> bool {
        !matches!(self, Iter::Range(..) | Iter::LongRange(..))
    }

    /// Its GC count, if making it made a GC object (an iterator object shared again made
    /// nothing new).
    fn new_object(&self) -> bool {
        self.is_gc() && !matches!(self, Iter::Shared(_))
    }

    /// Its GC count, if CPython's iterator is a GC object.
    pub fn count(&self) -> Option<GcCounted<()>> {
        self.new_object().then(|| GcCounted::new(()))
    }
}

/// Where a value keeps its `__dict__`: an exception in the runner's value, a function in
/// its object's `func_dict`.
#[derive(Debug)]
pub enum DictSlot<'a> {
    Exc(&'a RefCell<Option<PyDict>>),
    Func(Function),
}

impl DictSlot<'_> {
    /// The dict, if made.
    pub fn get(&self) -> Option<PyDict> {
        match self {
            DictSlot::Exc(d) => d.borrow().clone(),
            DictSlot::Func(f) => f.0.dict().map(|d| PyDict::from_obj(d).expect("a dict")),
        }
    }

    /// The dict, made now if it was not.
    pub fn get_or_make(&self) -> PyDict {
        if let Some(d) = self.get() {
            return d;
        }
        let d = PyDict::new();
        match self {
            DictSlot::Exc(slot) => *slot.borrow_mut() = Some(d.clone()),
            DictSlot::Func(f) => f.0.set_dict(d.as_obj().clone()),
        }
        d
    }
}

/// `range(start, stop, step)` (`rangeobject`): its fields are ints of any size, its length
/// computed once (`compute_range_length`).
#[derive(Debug)]
pub struct RangeObj {
    pub start: BigInt,
    pub stop: BigInt,
    pub step: BigInt,
    pub len: BigInt,
}

impl RangeObj {
    /// A range of a non-zero `step`.
    pub fn new(start: BigInt, stop: BigInt, step: BigInt) -> RangeObj {
        let zero = BigInt::from(0);
        let (lo, hi, st) = if step > zero {
            (&start, &stop, step.clone())
        } else {
            (&stop, &start, -step.clone())
        };
        let len = if lo >= hi {
            zero
        } else {
            (hi - lo - 1) / st + 1
        };
        RangeObj {
            start,
            stop,
            step,
            len,
        }
    }

    /// Item `k` (`0 <= k < len`).
    pub fn item(&self, k: &BigInt) -> BigInt {
        &self.start + k * &self.step
    }

    /// The fast iterator's fields when `range_iter` picks it (start, stop and step fit a C
    /// long, and so does the length): the first item, the step, the length.
    pub fn small(&self) -> Option<(i64, i64, u64)> {
        let start = i64::try_from(&self.start).ok()?;
        i64::try_from(&self.stop).ok()?;
        let step = i64::try_from(&self.step).ok()?;
        let len = i64::try_from(&self.len).ok()?;
        Some((start, step, len as u64))
    }

    /// Whether it has no items.
    pub fn is_empty(&self) -> bool {
        self.len == BigInt::from(0)
    }
}
