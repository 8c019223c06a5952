//! `pylayout tour`: the main job. Walks through the layers with live objects, every number
//! computed by the library at run time ([`pylayout::inspect::tour`]) and only formatted here.
//!
//! The sections are one registry, [`SECTIONS`]: a name (for `--section`), a title, the
//! commands that dig deeper, and the function that computes the facts and renders them.
//! `--list`, `--section`, `--json`, the numbering and the error for an unknown name all come
//! from it.

mod sections;

use clap::Args;
use serde::Serialize;

use super::CliError;
use super::output::{emit, json_text};
use pylayout::profile::PyVersion;

/// What a section shows: its text, and the facts (the numbers in the text) as JSON.
#[derive(Debug)]
pub(crate) struct Shown {
    text: String,
    facts: serde_json::Value,
}

impl Shown {
    /// The text made from `facts`, and the same facts serialised.
    fn new<T: Serialize>(facts: &T, text: String) -> Shown {
        Shown {
            text,
            facts: serde_json::to_value(facts).expect("tour facts serialise"),
        }
    }
}

/// One section of the tour.
#[derive(Debug)]
pub(crate) struct Section {
    /// The name `--section` takes.
    name: &'static str,
    /// The heading.
    title: &'static str,
    /// Commands that show more (each checked by tests/cli_tour.rs to run).
    dig: &'static [&'static str],
    /// Compute the facts from live objects and render them.
    show: fn() -> Shown,
}

/// The tour, in order.
pub(crate) const SECTIONS: &[Section] = &[
    Section {
        name: "pyramid",
        title: "The pymalloc pyramid",
        dig: &["pylayout pool"],
        show: sections::pyramid,
    },
    Section {
        name: "int",
        title: "An int, byte by byte",
        dig: &["pylayout layout 2**40"],
        show: sections::int_bytes,
    },
    Section {
        name: "small-ints",
        title: "Small ints are shared",
        dig: &["pylayout layout 256"],
        show: sections::small_ints,
    },
    Section {
        name: "refcount",
        title: "Reference counting",
        dig: &[
            "pylayout run --trace -c \"import sys; x = [1.5]; y = x; print(sys.getrefcount(x)); del y\"",
        ],
        show: sections::refcounts,
    },
    Section {
        name: "float",
        title: "Floats and their free list",
        dig: &["pylayout layout 1.5"],
        show: sections::floats,
    },
    Section {
        name: "list",
        title: "A list over-allocates",
        dig: &["pylayout grow list", "pylayout layout \"[1.5, 'a', None]\""],
        show: sections::list_growth,
    },
    Section {
        name: "str",
        title: "A str picks one width for all its characters",
        dig: &["pylayout layout \"'abc\\u4e2d'\""],
        show: sections::str_widths,
    },
    Section {
        name: "tuple",
        title: "A tuple keeps its items inline",
        dig: &[
            "pylayout layout \"(1.5, 'a', None)\"",
            "pylayout run --trace -c \"a = 1.5; t = (a, a); del t; u = (a, a)\"",
            "pylayout cost tuple concat -n 1000",
        ],
        show: sections::tuples,
    },
    Section {
        name: "dict",
        title: "A dict is an index array over an entries array",
        dig: &[
            "pylayout layout \"{0: None, 64: None, 5: None}\"",
            "pylayout grow dict --keys int",
            "pylayout grow dict --keys str",
        ],
        show: sections::dicts,
    },
    Section {
        name: "gc",
        title: "Cycles need the collector",
        dig: &["pylayout gc"],
        show: sections::cycles,
    },
    Section {
        name: "costs",
        title: "What an operation costs",
        dig: &[
            "pylayout cost list insert --at front -n 10000",
            "pylayout cost dict lookup --keys int",
        ],
        show: sections::costs,
    },
];

const EXAMPLES: &str = "Examples:
  pylayout tour                    the whole tour
  pylayout tour --list             the sections, by name
  pylayout tour --section dict     one section
  pylayout tour --section tuple --json";

#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct TourArgs {
    /// List the sections (name and title) and exit
    #[arg(long, conflicts_with = "section")]
    list: bool,
    /// Show one section only (`--list` names them)
    #[arg(long, value_name = "NAME")]
    section: Option<String>,
    /// Print JSON: each section's name, title, text, commands to dig deeper, and the numbers it shows
    #[arg(long)]
    json: bool,
}

/// A section as `--json` prints it.
#[derive(Debug, Serialize)]
struct SectionJson<'a> {
    number: usize,
    name: &'a str,
    title: &'a str,
    text: String,
    dig: Vec<String>,
    facts: serde_json::Value,
}

/// `--json` and `--list --json`: the sections.
#[derive(Debug, Serialize)]
struct TourJson<T> {
    sections: Vec<T>,
}

/// A section's name and title, as `--list --json` prints them.
#[derive(Debug, Serialize)]
struct SectionName<'a> {
    number: usize,
    name: &'a str,
    title: &'a str,
}

/// The registry's names, for the error of an unknown one.
fn names() -> String {
    SECTIONS
        .iter()
        .map(|s| s.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The sections asked for, numbered as in the whole tour.
fn chosen(section: Option<&str>) -> Result<Vec<(usize, &'static Section)>, CliError> {
    let all = SECTIONS.iter().enumerate().map(|(i, s)| (i + 1, s));
    match section {
        None => Ok(all.collect()),
        Some(name) => all
            .filter(|(_, s)| s.name == name)
            .map(|found| vec![found])
            .next()
            .ok_or_else(|| {
                CliError::Usage(format!(
                    "no tour section `{name}`; the sections are: {}",
                    names()
                ))
            }),
    }
}

fn heading(number: usize, title: &str) -> String {
    format!("== {number}. {title} ==")
}

/// A section's commands for `version`: `layout` and `grow` follow it with `--python`; the
/// other commands run as 3.11 runs them, and are shown for the modelled version only.
fn dig_for(dig: &[&str], version: PyVersion) -> Vec<String> {
    if version.is_modelled() {
        return dig.iter().map(|d| d.to_string()).collect();
    }
    dig.iter()
        .filter(|d| d.starts_with("pylayout layout ") || d.starts_with("pylayout grow "))
        .map(|d| format!("{d} --python {version}"))
        .collect()
}

fn dig_lines(dig: &[String]) -> String {
    if dig.is_empty() {
        return String::new();
    }
    let mut out = String::from("\nDig deeper:\n");
    for d in dig {
        out.push_str(&format!("  {d}\n"));
    }
    out
}

pub fn run(args: &TourArgs) -> Result<(), CliError> {
    // Every section makes its objects on this thread, in the version it follows.
    let version = pylayout::runtime::version();
    if args.list {
        let list: Vec<SectionName> = SECTIONS
            .iter()
            .enumerate()
            .map(|(i, s)| SectionName {
                number: i + 1,
                name: s.name,
                title: s.title,
            })
            .collect();
        let text = if args.json {
            json_text(&TourJson { sections: list })?
        } else {
            let width = SECTIONS.iter().map(|s| s.name.len()).max().unwrap_or(0);
            list.iter()
                .map(|s| format!("{:>2}. {:<width$}  {}\n", s.number, s.name, s.title))
                .collect()
        };
        emit(&text)?;
        return Ok(());
    }
    let chosen = chosen(args.section.as_deref())?;
    if args.json {
        let sections: Vec<SectionJson> = chosen
            .iter()
            .map(|&(number, s)| {
                let shown = (s.show)();
                SectionJson {
                    number,
                    name: s.name,
                    title: s.title,
                    text: shown.text,
                    dig: dig_for(s.dig, version),
                    facts: shown.facts,
                }
            })
            .collect();
        emit(&json_text(&TourJson { sections })?)?;
        return Ok(());
    }
    let mut out = String::new();
    if args.section.is_none() {
        out.push_str(
            &format!(
                "pylayout tour: CPython {version}'s memory model, rebuilt in Rust and shown from the inside.\n\
                 Every number below is read from live objects in this process.\n"
            ),
        );
    }
    for (number, s) in chosen {
        let shown = (s.show)();
        out.push_str(&format!("\n{}\n\n", heading(number, s.title)));
        out.push_str(&shown.text);
        out.push_str(&dig_lines(&dig_for(s.dig, version)));
    }
    if args.section.is_none() {
        out.push_str(
            "\nOne section at a time: pylayout tour --list, then pylayout tour --section NAME.\n\
             Every command: pylayout --help\n",
        );
    }
    emit(&out)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_typeable() {
        let mut seen = std::collections::HashSet::new();
        for s in SECTIONS {
            assert!(seen.insert(s.name), "{} twice", s.name);
            assert!(
                s.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                s.name
            );
            assert!(!s.dig.is_empty(), "{} has nothing to dig into", s.name);
        }
    }
}
