//! The runner's time grows with the work, not with the heap: iterating a dict of 200k and
//! 400k keys costs no more per key than one of 50k or 100k (within 1.5×; the best of each
//! pair, so that one noisy measurement on a busy machine does not decide). A limit check that walked the
//! heap, or a collection that walked every pool, made it grow with the size (0.28 / 1.01 /
//! 2.40 s for 50k / 100k / 200k keys before those were made O(1)).

use std::time::{Duration, Instant};

use pylayout::script::{Outcome, RunOptions, run};

fn time_per_key(n: usize) -> Duration {
    let src = format!(
        "d = {{}}\nfor i in range({n}):\n    d[i] = i\ntotal = 0\nfor _ in range(3):\n    for k in d:\n        total += k\nprint(total)\n"
    );
    let best = (0..3)
        .map(|_| {
            let mut out = Vec::new();
            let start = Instant::now();
            let outcome = run(&src, &RunOptions::default(), &mut out, None);
            let took = start.elapsed();
            assert!(matches!(outcome, Outcome::Ok), "{n}: {outcome:?}");
            let expected = 3 * (n as u64) * (n as u64 - 1) / 2;
            assert_eq!(String::from_utf8(out).unwrap().trim(), expected.to_string());
            took
        })
        .min()
        .unwrap();
    best / n as u32
}

#[test]
fn dict_iteration_costs_the_same_per_key_at_every_size() {
    let sizes = [50_000, 100_000, 200_000, 400_000];
    let per_key: Vec<Duration> = sizes.iter().map(|&n| time_per_key(n)).collect();
    eprintln!("time per key: {per_key:?} for {sizes:?} keys");
    let best = |d: &[Duration]| d.iter().min().unwrap().as_secs_f64();
    let (small, big) = (best(&per_key[..2]), best(&per_key[2..]));
    assert!(
        big / small <= 1.5,
        "time per key grows with the size: {:?} for {sizes:?} keys",
        per_key
    );
}
