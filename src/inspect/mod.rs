//! Turns live objects and allocator state into plain data for the explorer: field tables,
//! block placement, workloads. Everything the CLI prints is computed here (and tested here),
//! so what is printed is what is tested.

pub mod cost;
pub mod gc;
pub mod grow;
pub mod layout;
pub mod poolmap;
pub mod tour;
pub mod workload;

/// A number with thousands separators (`1,234,567`), as CPython's `printone` writes it and as
/// the readings under the tables quote it.
pub fn commas(v: u64) -> String {
    let digits = v.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
