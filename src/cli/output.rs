//! Shared formatting: tables that fit the terminal, colour that respects `NO_COLOR`,
//! CPython-style `label = value` lines, JSON, and writing to stdout so that a closed pipe ends
//! the program quietly.

use std::io::{self, IsTerminal, Write};
use std::sync::OnceLock;

use clap::ValueEnum;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, CellAlignment, Color, ContentArrangement, Table};
use serde::Serialize;

/// `--color`: when to colour the output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal, unless `NO_COLOR` is set (or `CLICOLOR_FORCE` forces
    /// it on a pipe)
    #[default]
    Auto,
    /// Always colour (ANSI escape codes even in a pipe)
    Always,
    /// Never colour
    Never,
}

impl ColorChoice {
    /// Whether to colour, given the environment: an explicit choice wins; for `auto`, a
    /// non-empty `NO_COLOR` turns colour off (no-color.org), then a `CLICOLOR_FORCE` other
    /// than `0` turns it on, then colour only on a terminal.
    pub fn resolve(self, no_color: Option<&str>, clicolor_force: Option<&str>, tty: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                if no_color.is_some_and(|v| !v.is_empty()) {
                    false
                } else if clicolor_force.is_some_and(|v| !v.is_empty() && v != "0") {
                    true
                } else {
                    tty
                }
            }
        }
    }

    /// The `--color` value among raw arguments (before clap parses them, so that clap's
    /// own messages follow it too): `--color X` or `--color=X`, the last one wins.
    pub fn from_args(args: &[std::ffi::OsString]) -> ColorChoice {
        let mut choice = ColorChoice::Auto;
        let mut it = args.iter().map(|a| a.to_string_lossy());
        while let Some(a) = it.next() {
            let value = if a == "--color" {
                it.next().map(|v| v.into_owned())
            } else {
                a.strip_prefix("--color=").map(str::to_string)
            };
            if let Some(c) = value.and_then(|v| ColorChoice::from_str(&v, true).ok()) {
                choice = c;
            }
        }
        choice
    }
}

static COLOR: OnceLock<bool> = OnceLock::new();

/// Decide colour once, at start-up.
pub fn init_color(choice: ColorChoice) -> bool {
    let var = |k| std::env::var(k).ok();
    let on = choice.resolve(
        var("NO_COLOR").as_deref(),
        var("CLICOLOR_FORCE").as_deref(),
        io::stdout().is_terminal(),
    );
    *COLOR.get_or_init(|| on)
}

/// Whether output is coloured.
pub fn color() -> bool {
    COLOR.get().copied().unwrap_or(false)
}

/// What a piece of output is, for its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// An address: dimmed (it changes run to run).
    Pointer,
    /// The object header (`ob_refcnt`, `ob_type`) and the GC head: set apart.
    Header,
    /// A resize, a freed object, something to notice.
    Event,
    /// A heading.
    Heading,
    /// A check that passed: green.
    Good,
    /// A check that failed: red and bold.
    Bad,
}

impl Role {
    fn style(self) -> anstyle::Style {
        use anstyle::{AnsiColor, Effects, Style};
        match self {
            Role::Pointer => Style::new().effects(Effects::DIMMED),
            Role::Header => Style::new().fg_color(Some(AnsiColor::Cyan.into())),
            Role::Event => Style::new()
                .fg_color(Some(AnsiColor::Yellow.into()))
                .effects(Effects::BOLD),
            Role::Heading => Style::new().effects(Effects::BOLD),
            Role::Good => Style::new().fg_color(Some(AnsiColor::Green.into())),
            Role::Bad => Style::new()
                .fg_color(Some(AnsiColor::Red.into()))
                .effects(Effects::BOLD),
        }
    }
}

/// `text` in the colour of `role` when colour is on; as is otherwise.
pub fn paint(text: &str, role: Role) -> String {
    if color() {
        let st = role.style();
        format!("{st}{text}{st:#}")
    } else {
        text.to_string()
    }
}

/// A table cell in the colour of `role` when colour is on.
pub fn cell(text: impl Into<String>, role: Option<Role>) -> Cell {
    let c = Cell::new(text.into());
    match role {
        Some(r) if color() => match r {
            Role::Pointer => c.add_attribute(Attribute::Dim),
            Role::Header => c.fg(Color::Cyan),
            Role::Event => c.fg(Color::Yellow).add_attribute(Attribute::Bold),
            Role::Heading => c.add_attribute(Attribute::Bold),
            Role::Good => c.fg(Color::Green),
            Role::Bad => c.fg(Color::Red).add_attribute(Attribute::Bold),
        },
        _ => c,
    }
}

/// The width tables wrap to when stdout is not a terminal: `COLUMNS` if set (on a terminal
/// comfy-table asks the terminal itself; in a plain pipe, no limit).
fn table_width() -> Option<u16> {
    if Table::new().width().is_some() {
        return None;
    }
    std::env::var("COLUMNS").ok()?.trim().parse().ok()
}

/// A table in the house style; the columns listed in `right` are right-aligned (numbers).
/// It fits the terminal's width (or `COLUMNS`), wrapping long cells.
pub fn table(header: &[&str], right: &[usize]) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(
            header
                .iter()
                .map(|h| cell(*h, Some(Role::Heading)))
                .collect::<Vec<_>>(),
        );
    if let Some(w) = table_width() {
        t.set_width(w);
    }
    if color() {
        t.enforce_styling();
    }
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
    fn colour_follows_the_flag_then_no_color_then_clicolor_force_then_the_terminal() {
        use ColorChoice::*;
        assert!(Always.resolve(Some("1"), None, false));
        assert!(!Never.resolve(None, Some("1"), true));
        assert!(!Auto.resolve(Some("1"), Some("1"), true));
        assert!(
            Auto.resolve(Some(""), None, true),
            "an empty NO_COLOR is unset"
        );
        assert!(Auto.resolve(None, Some("1"), false));
        assert!(!Auto.resolve(None, Some("0"), false));
        assert!(Auto.resolve(None, None, true));
        assert!(!Auto.resolve(None, None, false));
        let args = |v: &[&str]| v.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert_eq!(
            ColorChoice::from_args(&args(&["pool", "--color", "always"])),
            Always
        );
        assert_eq!(
            ColorChoice::from_args(&args(&["--color=never", "tour"])),
            Never
        );
        assert_eq!(ColorChoice::from_args(&args(&["tour"])), Auto);
    }

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
