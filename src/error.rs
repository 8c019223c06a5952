//! Python exceptions raised by the object layer (`TypeError`, `IndexError`, ...), with
//! CPython's messages, so the runner can print them in CPython's last-line form.

use std::fmt;

/// The exception classes the object layer raises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExcKind {
    /// `TypeError`
    TypeError,
    /// `ValueError`
    ValueError,
    /// `IndexError`
    IndexError,
    /// `KeyError`
    KeyError,
    /// `OverflowError`
    OverflowError,
    /// `MemoryError`
    MemoryError,
    /// `ZeroDivisionError`
    ZeroDivisionError,
    /// `NameError`
    NameError,
    /// `UnboundLocalError`
    UnboundLocalError,
    /// `AttributeError`
    AttributeError,
    /// `RecursionError`
    RecursionError,
    /// `RuntimeError`
    RuntimeError,
    /// `AssertionError`
    AssertionError,
    /// `ImportError`
    ImportError,
    /// `StopIteration`
    StopIteration,
    /// `NotImplementedError`
    NotImplementedError,
    /// `LookupError`: the base of `IndexError` and `KeyError`.
    LookupError,
    /// `ArithmeticError`: the base of `ZeroDivisionError` and `OverflowError`.
    ArithmeticError,
    /// `Exception`.
    Exception,
    /// `BaseException`: the root.
    BaseException,
}

impl ExcKind {
    /// The class name, as `type(e).__name__`.
    pub fn name(self) -> &'static str {
        match self {
            ExcKind::TypeError => "TypeError",
            ExcKind::ValueError => "ValueError",
            ExcKind::IndexError => "IndexError",
            ExcKind::KeyError => "KeyError",
            ExcKind::OverflowError => "OverflowError",
            ExcKind::MemoryError => "MemoryError",
            ExcKind::ZeroDivisionError => "ZeroDivisionError",
            ExcKind::NameError => "NameError",
            ExcKind::UnboundLocalError => "UnboundLocalError",
            ExcKind::AttributeError => "AttributeError",
            ExcKind::RecursionError => "RecursionError",
            ExcKind::RuntimeError => "RuntimeError",
            ExcKind::AssertionError => "AssertionError",
            ExcKind::ImportError => "ImportError",
            ExcKind::StopIteration => "StopIteration",
            ExcKind::NotImplementedError => "NotImplementedError",
            ExcKind::LookupError => "LookupError",
            ExcKind::ArithmeticError => "ArithmeticError",
            ExcKind::Exception => "Exception",
            ExcKind::BaseException => "BaseException",
        }
    }

    /// Every class, in the order `builtins` defines them.
    pub const ALL: [ExcKind; 20] = [
        ExcKind::BaseException,
        ExcKind::Exception,
        ExcKind::TypeError,
        ExcKind::StopIteration,
        ExcKind::ImportError,
        ExcKind::RuntimeError,
        ExcKind::RecursionError,
        ExcKind::NotImplementedError,
        ExcKind::NameError,
        ExcKind::UnboundLocalError,
        ExcKind::AttributeError,
        ExcKind::LookupError,
        ExcKind::IndexError,
        ExcKind::KeyError,
        ExcKind::ValueError,
        ExcKind::AssertionError,
        ExcKind::ArithmeticError,
        ExcKind::OverflowError,
        ExcKind::ZeroDivisionError,
        ExcKind::MemoryError,
    ];

    /// `__base__` (`Objects/exceptions.c`'s hierarchy); `None` for `BaseException`.
    pub fn base(self) -> Option<ExcKind> {
        use ExcKind::*;
        Some(match self {
            BaseException => return None,
            Exception => BaseException,
            IndexError | KeyError => LookupError,
            OverflowError | ZeroDivisionError => ArithmeticError,
            UnboundLocalError => NameError,
            RecursionError | NotImplementedError => RuntimeError,
            _ => Exception,
        })
    }

    /// Whether `self` is `of` or derives from it (`issubclass`).
    pub fn is_subclass(self, of: ExcKind) -> bool {
        let mut k = Some(self);
        while let Some(c) = k {
            if c == of {
                return true;
            }
            k = c.base();
        }
        false
    }

    /// `tp_basicsize` of the instance struct (3.11, 64-bit; without the GC header):
    /// `PyBaseExceptionObject` and the subclasses with fields of their own.
    pub fn basicsize(self) -> usize {
        match self {
            // `value`.
            ExcKind::StopIteration => 80,
            // `name` (3.10+).
            ExcKind::NameError | ExcKind::UnboundLocalError => 80,
            // `obj`, `name` (3.10+).
            ExcKind::AttributeError => 88,
            // `msg`, `name`, `path`, `name_from`.
            ExcKind::ImportError => 96,
            _ => 72,
        }
    }
}

/// A raised exception: its class and message (`str(e)`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PyErr {
    /// The class.
    pub kind: ExcKind,
    /// The message.
    pub msg: String,
    /// What the traceback printer adds after the message (". Did you mean: 'len'?",
    /// `_Py_Offer_Suggestions`); not part of `str(e)`.
    pub suggestion: Option<String>,
}

impl PyErr {
    /// An exception of `kind` with message `msg`.
    pub fn new(kind: ExcKind, msg: impl Into<String>) -> PyErr {
        PyErr {
            kind,
            msg: msg.into(),
            suggestion: None,
        }
    }

    /// The same exception with the printer's "Did you mean" trailer.
    pub fn with_suggestion(mut self, suggestion: Option<String>) -> PyErr {
        self.suggestion = suggestion;
        self
    }

    /// `TypeError(msg)`.
    pub fn type_error(msg: impl Into<String>) -> PyErr {
        PyErr::new(ExcKind::TypeError, msg)
    }

    /// `ValueError(msg)`.
    pub fn value_error(msg: impl Into<String>) -> PyErr {
        PyErr::new(ExcKind::ValueError, msg)
    }

    /// `IndexError(msg)`.
    pub fn index_error(msg: impl Into<String>) -> PyErr {
        PyErr::new(ExcKind::IndexError, msg)
    }

    /// `MemoryError()`.
    pub fn no_memory() -> PyErr {
        PyErr::new(ExcKind::MemoryError, "")
    }
}

impl fmt::Display for PyErr {
    /// CPython's last traceback line: `IndexError: list index out of range`,
    /// `NameError: name 'lenn' is not defined. Did you mean: 'len'?`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.msg.is_empty() {
            f.write_str(self.kind.name())?;
        } else {
            write!(f, "{}: {}", self.kind.name(), self.msg)?;
        }
        f.write_str(self.suggestion.as_deref().unwrap_or_default())
    }
}

impl std::error::Error for PyErr {}

/// Result of an operation that may raise.
pub type PyResult<T> = Result<T, PyErr>;
