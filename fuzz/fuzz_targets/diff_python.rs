//! Differential: a program from the grammar run by pylayout and by python3 must print the
//! same stdout, end with the same exit code and raise the same exception (type and message).
//! Programs pylayout refuses (outside the subset, or a limit) are not compared. Slow (python3
//! starts for every input: ~15 ms), so it runs in campaigns, not in CI's smoke run; a
//! mismatch is a crash whose message shows both sides.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pylayout_fuzz::grammar::Program;
use pylayout_fuzz::{ours, python};

fuzz_target!(|p: Program| {
    let src = p.to_comparable_source();
    if std::env::var_os("PYLAYOUT_FUZZ_SHOW").is_some() {
        eprintln!("{src}");
    }
    let Some(mine) = ours(&src) else {
        return;
    };
    let Some(theirs) = python(&src, std::time::Duration::from_secs(5)) else {
        return;
    };
    if mine != theirs {
        panic!(
            "pylayout and python3 differ on\n{src}\n--- pylayout\n{mine:#?}\n--- python3\n{theirs:#?}"
        );
    }
});
