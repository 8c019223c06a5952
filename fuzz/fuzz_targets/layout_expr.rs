//! Expressions for `pylayout layout`, through the command's own code: the runner builds
//! `x = EXPR`, the size guard, the layout walk, and the text or JSON rendering. Any result
//! or one-line error is fine; a panic, a sanitizer report or a hang is a finding.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte chooses --depth (0..=3) and --json; the rest is the expression.
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let Ok(expr) = std::str::from_utf8(rest) else {
        return;
    };
    if let Ok(text) = pylayout_fuzz::layout(expr, flags & 3, flags & 4 != 0) {
        assert!(!text.is_empty(), "a layout printed nothing");
    }
});
