//! The `pylayout` binary: parse, dispatch, map errors to exit codes. Everything else lives in
//! the library (computation) and in `cli/` (formatting).

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
