//! Concrete types (work in progress).
