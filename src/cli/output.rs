//! Shared formatting: tables, CPython-style `label = value` lines, JSON, and writing to
//! stdout so that a closed pipe ends the program quietly.

use std::io::{self, Write};

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, ContentArrangement, Table};
use serde::Serialize;

/// A table in the house style; the columns listed in `right` are right-aligned (numbers).
pub fn table(header: &[&str], right: &[usize]) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header.to_vec());
    for &i in right {
        if let Some(col) = t.column_mut(i) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    t
}

/// A number with thousands separators, as CPython's `printone` writes it.
pub fn commas(v: usize) -> String {
    pylayout::inspect::commas(v as u64)
}

/// One line in the layout of `sys._debugmallocstats()`'s `printone`: the label padded to 35
/// columns, `=`, the value right-aligned in 21 columns with thousands separators.
pub fn printone(label: &str, value: usize) -> String {
    format!("{label:<35}={:>21}", commas(value))
}

/// Write `text` to stdout (a closed pipe surfaces as `BrokenPipe`, which main ignores).
pub fn emit(text: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// Pretty JSON of `value`, newline-terminated.
pub fn json_text<T: Serialize>(value: &T) -> io::Result<String> {
    let mut s = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
    s.push('\n');
    Ok(s)
}

/// Write pretty JSON of `value` to stdout.
pub fn emit_json<T: Serialize>(value: &T) -> io::Result<()> {
    emit(&json_text(value)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printone_matches_cpython() {
        // Lines copied from a real `python3 -c "import sys; sys._debugmallocstats()"` dump.
        assert_eq!(
            printone("# arenas allocated total", 4),
            "# arenas allocated total           =                    4"
        );
        assert_eq!(
            printone("4 arenas * 1048576 bytes/arena", 4_194_304),
            "4 arenas * 1048576 bytes/arena     =            4,194,304"
        );
        assert_eq!(commas(0), "0");
        assert_eq!(commas(999), "999");
        assert_eq!(commas(1000), "1,000");
    }
}
