//! Layer 3: concrete types, each mirroring its CPython source file.
//!
//! | module | CPython | notes |
//! |---|---|---|
//! | [`int`] | `Objects/longobject.c`, `Objects/boolobject.c` | 30-bit digits, small-int cache, `True`/`False` |
//! | [`float`] | `Objects/floatobject.c` | 24 bytes, free list of 100 |

pub mod float;
pub mod int;
