//! Helpers shared by the examples (not an example itself: Cargo only builds
//! `examples/*.rs` and `examples/*/main.rs`).

#![allow(dead_code)]

use pylayout::script::{self, Outcome, RunOptions, Startup};

/// A heading for one step of a story.
pub fn step(title: &str) {
    println!("\n== {title}");
}

/// The closing lines: `pylayout` commands that show more (each one is checked to run by
/// tests/examples.rs).
pub fn explore(commands: &[&str]) {
    println!("\nExplore further:");
    for c in commands {
        println!("  {c}");
    }
}

/// Run `src` on the runner as `python3 FILE` would, and return what it printed.
///
/// # Panics
/// If the snippet does not run to the end: an example's snippet is fixed and must.
pub fn run_snippet(src: &str) -> String {
    let mut out = Vec::new();
    let opts = RunOptions {
        startup: Some(Startup::File),
        ..RunOptions::default()
    };
    match script::run(src, &opts, &mut out, None) {
        Outcome::Ok => String::from_utf8(out).expect("print writes UTF-8"),
        other => panic!("the example's snippet failed: {other:?}"),
    }
}

/// Print a snippet between markers the tests look for, so they can run the same text in
/// `python3`.
pub fn show_snippet(src: &str) {
    println!("--- snippet ---");
    print!("{src}");
    println!("--- end of snippet ---");
}
