//! Object header (work in progress).
