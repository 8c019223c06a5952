//! Arbitrary bytes as a script for the runner, with small step and memory limits.
//!
//! Any outcome is fine (it ran, raised, was refused) except a panic, a sanitizer report or a
//! hang: those are findings.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pylayout_fuzz::run_script;

fuzz_target!(|data: &[u8]| {
    // The first byte chooses whether `--trace` is on; the rest is the script.
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    if let Ok(src) = std::str::from_utf8(rest) {
        run_script(src, flags & 1 == 1);
    }
});
