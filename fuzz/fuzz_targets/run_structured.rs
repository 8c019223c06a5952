//! Programs built from a grammar of the runner's subset, so the fuzzer spends its time in
//! the evaluator and the objects rather than in the parser: statements, every builtin and
//! method the runner knows, with arguments of every type, keyword arguments, nested
//! containers, comprehensions, functions, deletion and the collector. The program is rendered
//! as source and run exactly as `run_source` runs its input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pylayout_fuzz::grammar::Program;
use pylayout_fuzz::run_script;

fuzz_target!(|p: Program| {
    let src = p.to_source();
    // To see what an input is: `PYLAYOUT_FUZZ_SHOW=1 fuzz/target/.../run_structured FILE`.
    if std::env::var_os("PYLAYOUT_FUZZ_SHOW").is_some() {
        eprintln!("{src}");
    }
    run_script(&src, false);
});
