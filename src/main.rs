//! The `pylayout` binary: parse, dispatch, map errors to exit codes. Everything else lives in
//! the library (computation) and in `cli/` (formatting).

mod cli;

use std::process::ExitCode;

/// The system allocator, counted: `pylayout cost` reports the Rust peers' allocations.
#[global_allocator]
static ALLOC: pylayout::peers::counting::CountingAlloc = pylayout::peers::counting::CountingAlloc;

fn main() -> ExitCode {
    cli::main()
}
