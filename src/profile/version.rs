//! The CPython versions pylayout knows by name, and which of them it builds objects for.
//!
//! `--python 3.X` (and `PYLAYOUT_PYTHON_VERSION`) names one of [`PyVersion::ALL`]. What
//! pylayout does for each: 3.11 is *modelled* whole, objects and scripts
//! ([`PyVersion::is_modelled`]); 3.12 and 3.13 have their objects built
//! ([`PyVersion::builds_objects`]: `layout`, `tour`, `grow`, `pool` and `gc` workloads);
//! 3.8–3.10 have their profile, list growth and hashes. A request for more gets a precise
//! answer, never 3.11's numbers under another version's name.

use std::fmt;

use super::{CharSet, Profile, Py38, Py39, Py310, Py311, Py312, Py313};

/// `per_version!(v, P => expr)`: `expr` with `P` the profile type of version `v`.
macro_rules! per_version {
    ($v:expr, $P:ident => $e:expr) => {
        match $v {
            PyVersion::Py38 => {
                type $P = Py38;
                $e
            }
            PyVersion::Py39 => {
                type $P = Py39;
                $e
            }
            PyVersion::Py310 => {
                type $P = Py310;
                $e
            }
            PyVersion::Py311 => {
                type $P = Py311;
                $e
            }
            PyVersion::Py312 => {
                type $P = Py312;
                $e
            }
            PyVersion::Py313 => {
                type $P = Py313;
                $e
            }
        }
    };
}

/// A CPython minor version pylayout knows: 3.8 to 3.13.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PyVersion {
    /// CPython 3.8.
    Py38,
    /// CPython 3.9.
    Py39,
    /// CPython 3.10.
    Py310,
    /// CPython 3.11.
    Py311,
    /// CPython 3.12.
    Py312,
    /// CPython 3.13.
    Py313,
}

/// Why a version string names no version pylayout knows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VersionError {
    /// Not of the form `3.X` (or `3.X.Y`).
    Malformed(String),
    /// A well-formed version outside 3.8–3.13.
    Unsupported(u32, u32),
}

impl fmt::Display for VersionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VersionError::Malformed(s) => write!(
                f,
                "'{s}' is not a Python version: expected 3.X, a program such as python3.12, or a path"
            ),
            VersionError::Unsupported(major, minor) => write!(
                f,
                "CPython {major}.{minor} is not supported: pylayout knows {} to {}",
                PyVersion::ALL[0],
                PyVersion::ALL[PyVersion::ALL.len() - 1]
            ),
        }
    }
}

impl std::error::Error for VersionError {}

impl PyVersion {
    /// Every version pylayout knows, oldest first.
    pub const ALL: [PyVersion; 6] = [
        PyVersion::Py38,
        PyVersion::Py39,
        PyVersion::Py310,
        PyVersion::Py311,
        PyVersion::Py312,
        PyVersion::Py313,
    ];

    /// The version whose objects pylayout builds (the [`Current`](super::Current) profile's).
    pub const MODELLED: PyVersion = PyVersion::Py311;

    /// The minor number: 8 for 3.8.
    pub fn minor(self) -> u32 {
        match self {
            PyVersion::Py38 => 8,
            PyVersion::Py39 => 9,
            PyVersion::Py310 => 10,
            PyVersion::Py311 => 11,
            PyVersion::Py312 => 12,
            PyVersion::Py313 => 13,
        }
    }

    /// The version `major.minor`, when pylayout knows it.
    pub fn from_parts(major: u32, minor: u32) -> Result<PyVersion, VersionError> {
        PyVersion::ALL
            .into_iter()
            .find(|v| major == 3 && v.minor() == minor)
            .ok_or(VersionError::Unsupported(major, minor))
    }

    /// Parses `3.X` or `3.X.Y` (a micro version is accepted and ignored).
    ///
    /// ```
    /// use pylayout::profile::{PyVersion, VersionError};
    /// assert_eq!(PyVersion::parse("3.12"), Ok(PyVersion::Py312));
    /// assert_eq!(PyVersion::parse("3.11.7"), Ok(PyVersion::Py311));
    /// assert_eq!(PyVersion::parse("2.7"), Err(VersionError::Unsupported(2, 7)));
    /// assert!(matches!(PyVersion::parse("3.x"), Err(VersionError::Malformed(_))));
    /// ```
    pub fn parse(s: &str) -> Result<PyVersion, VersionError> {
        let malformed = || VersionError::Malformed(s.to_string());
        let mut parts = s.trim().split('.');
        let mut number = || -> Result<Option<u32>, VersionError> {
            match parts.next() {
                None => Ok(None),
                Some(p)
                    if !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    Ok(Some(p.parse().map_err(|_| malformed())?))
                }
                Some(_) => Err(malformed()),
            }
        };
        let major = number()?.ok_or_else(malformed)?;
        let minor = number()?.ok_or_else(malformed)?;
        let _micro = number()?;
        if number()?.is_some() {
            return Err(malformed());
        }
        PyVersion::from_parts(major, minor)
    }

    /// Whether pylayout builds this version's objects and runs scripts as it does (3.11).
    pub fn is_modelled(self) -> bool {
        self == PyVersion::MODELLED
    }

    /// Whether pylayout builds this version's objects from an expression (`layout EXPR`):
    /// 3.11, and 3.12 and 3.13 (immortal counts, int's `lv_tag`, the str header without
    /// `wstr`, their start-up strings). The runner, its start-up state and its messages
    /// follow 3.11 only ([`PyVersion::is_modelled`]).
    pub fn builds_objects(self) -> bool {
        self >= PyVersion::Py311
    }

    /// The count static objects start with ([`Profile::STATIC_REFCNT`]). Before 3.11
    /// small ints and the one-character strings are heap objects, which pylayout does not
    /// build: a runtime following 3.8–3.10 (for a list's growth) keeps 3.11's statics.
    pub fn static_refcnt(self) -> isize {
        per_version!(self.max(PyVersion::Py311), P => P::STATIC_REFCNT)
    }

    /// This version's `list_resize` policy ([`Profile::list_resize`]).
    pub fn list_resize(self, size: usize, allocated: usize, newsize: usize) -> Option<usize> {
        per_version!(self, P => P::list_resize(size, allocated, newsize))
    }

    /// The collector's thresholds at start-up ([`Profile::GC_THRESHOLDS`]).
    pub fn gc_thresholds(self) -> [isize; 3] {
        per_version!(self, P => P::GC_THRESHOLDS)
    }

    /// The hash of str and bytes ([`Profile::STR_HASH`]).
    pub fn str_hash(self) -> super::StrHash {
        per_version!(self, P => P::STR_HASH)
    }

    /// How this version's strings start and are interned (3.11's before 3.11, as for
    /// [`PyVersion::static_refcnt`]: those versions' strings are not built).
    pub fn str_facts(self) -> StrFacts {
        per_version!(self.max(PyVersion::Py311), P => StrFacts {
            deep_frozen: P::DEEP_FROZEN_CHARS,
            startup_hashed: P::STARTUP_HASHED_CHARS,
            startup_interned: P::STARTUP_INTERNED_CHARS,
            interned_static: P::INTERNED_STATIC,
            interned_dynamic: P::INTERNED_DYNAMIC,
        })
    }
}

/// A version's str facts ([`PyVersion::str_facts`]), read when a runtime makes its static
/// strings and when it interns one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StrFacts {
    /// [`Profile::DEEP_FROZEN_CHARS`].
    pub deep_frozen: &'static [u8],
    /// [`Profile::STARTUP_HASHED_CHARS`].
    pub startup_hashed: CharSet,
    /// [`Profile::STARTUP_INTERNED_CHARS`].
    pub startup_interned: CharSet,
    /// [`Profile::INTERNED_STATIC`].
    pub interned_static: u32,
    /// [`Profile::INTERNED_DYNAMIC`].
    pub interned_dynamic: u32,
}

impl fmt::Display for PyVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "3.{}", self.minor())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_version_round_trips_through_its_name() {
        for v in PyVersion::ALL {
            assert_eq!(PyVersion::parse(&v.to_string()), Ok(v));
        }
    }

    #[test]
    fn outside_the_range_or_malformed_is_refused() {
        for (s, want) in [
            ("3.14", Err(VersionError::Unsupported(3, 14))),
            ("3.7", Err(VersionError::Unsupported(3, 7))),
            ("4.0", Err(VersionError::Unsupported(4, 0))),
        ] {
            assert_eq!(PyVersion::parse(s), want);
        }
        for s in [
            "",
            "3",
            "3.",
            "3.11.7.1",
            "three",
            "3.11a",
            "-3.11",
            "99999999.1",
        ] {
            assert!(
                matches!(PyVersion::parse(s), Err(VersionError::Malformed(_))),
                "{s:?}"
            );
        }
        assert_eq!(
            VersionError::Unsupported(3, 14).to_string(),
            "CPython 3.14 is not supported: pylayout knows 3.8 to 3.13"
        );
    }
}
