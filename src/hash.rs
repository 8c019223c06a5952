//! CPython hash functions (filled in by the hash work).
