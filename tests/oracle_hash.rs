//! Hashes against python3 (`PYTHONHASHSEED=0`, and other seeds): ints, floats, strings of
//! every PEP 393 kind, bytes, tuples.

mod common;

use std::process::Command;

use common::{Rng, assert_python_311, hex_lines, python_exe, python_io};
use num_bigint::BigInt;
use pylayout::hash::{self, HashSecret};

fn strings() -> Vec<String> {
    let mut v: Vec<String> = [
        "",
        "a",
        "abc",
        "é",
        "ÿ",
        "Ā",
        "中",
        "中文",
        "😀",
        "a😀",
        "hello world",
        "\u{0}",
        "\u{ffff}",
        "\u{10ffff}",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut rng = Rng(77);
    let pools: [&[u32]; 4] = [
        &[0x20, 0x7e],
        &[0x20, 0xff],
        &[0x20, 0xd7ff],
        &[0x20, 0x10ffff],
    ];
    for k in 0..200 {
        let [lo, hi] = [pools[k % 4][0], pools[k % 4][1]];
        let len = (rng.next() % 40) as usize;
        let s: String = (0..len)
            .map(|_| {
                let c = lo + (rng.next() % u64::from(hi - lo)) as u32;
                char::from_u32(c).unwrap_or('?')
            })
            .collect();
        v.push(s);
    }
    v
}

#[test]
fn string_and_bytes_hashes_match_python() {
    assert_python_311();
    let strs = strings();
    let input = hex_lines(&strs);
    let code = "import sys\n\
                for line in sys.stdin:\n    \
                    b = bytes.fromhex(line.strip())\n    \
                    print(hash(b.decode('utf-8')), hash(b))\n";
    let (out, _) = python_io(code, &input);
    for (s, line) in strs.iter().zip(out.lines()) {
        let ours = format!(
            "{} {}",
            hash::hash_str(&HashSecret::ZERO, s),
            hash::hash_bytes(&HashSecret::ZERO, s.as_bytes())
        );
        assert_eq!(ours, line, "{s:?}");
    }
    assert_eq!(out.lines().count(), strs.len());
}

#[test]
fn seeded_hashes_match_python() {
    assert_python_311();
    for seed in [1u32, 2, 42, 12345, 4294967295] {
        let out = Command::new(python_exe())
            .args([
                "-c",
                "print(hash('abc'), hash('中文'), hash('😀x'), hash(b'\\x00\\x01'))",
            ])
            .env("PYTHONHASHSEED", seed.to_string())
            .output()
            .expect("python3");
        let k = HashSecret::from_seed(seed);
        let ours = format!(
            "{} {} {} {}",
            hash::hash_str(&k, "abc"),
            hash::hash_str(&k, "中文"),
            hash::hash_str(&k, "😀x"),
            hash::hash_bytes(&k, &[0, 1])
        );
        assert_eq!(
            ours,
            String::from_utf8(out.stdout).unwrap().trim(),
            "seed {seed}"
        );
    }
}

fn ints() -> Vec<BigInt> {
    let mut v: Vec<BigInt> = [
        0i64,
        1,
        -1,
        -2,
        2,
        i64::MAX,
        i64::MIN,
        1 << 61,
        (1 << 61) - 1,
    ]
    .iter()
    .map(|&x| BigInt::from(x))
    .collect();
    let p = (BigInt::from(1) << 61u32) - 1;
    for k in [-3i64, -2, -1, 0, 1, 2] {
        v.push(&p + k);
        let q: BigInt = &p + k;
        v.push(-q);
        v.push(&p * 7 + k);
    }
    let mut rng = Rng(5);
    for _ in 0..200 {
        let words: Vec<u32> = (0..1 + rng.next() % 8).map(|_| rng.next() as u32).collect();
        let mut n = BigInt::from_slice(num_bigint::Sign::Plus, &words);
        if rng.next() % 2 == 1 {
            n = -n;
        }
        v.push(n);
    }
    v
}

#[test]
fn int_float_and_tuple_hashes_match_python() {
    assert_python_311();
    let ints = ints();
    let mut floats: Vec<f64> = vec![
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.5,
        1.5,
        -2.5,
        1e308,
        -1e308,
        5e-324,
        2.2250738585072014e-308,
        f64::INFINITY,
        f64::NEG_INFINITY,
        std::f64::consts::PI,
        1e16,
        2f64.powi(61),
        2f64.powi(62),
    ];
    let mut rng = Rng(9);
    for _ in 0..200 {
        let f = f64::from_bits(rng.next());
        if f.is_finite() {
            floats.push(f);
        }
        floats.push((rng.next() % 1_000_000) as f64 / 64.0 - 5000.0);
    }
    let mut input = String::new();
    for i in &ints {
        input.push_str(&format!("i {i}\n"));
    }
    for f in &floats {
        input.push_str(&format!("f {}\n", f.to_bits()));
    }
    // Tuples of ints: hash of (a, b, ...), from the ints list in runs.
    let tuples: Vec<Vec<BigInt>> = (0..60).map(|k| ints[k..k + k % 7].to_vec()).collect();
    for t in &tuples {
        let parts: Vec<String> = t.iter().map(|x| x.to_string()).collect();
        input.push_str(&format!("t {}\n", parts.join(" ")));
    }
    let code = "import sys, struct\n\
                for line in sys.stdin:\n    \
                    k, _, rest = line.rstrip('\\n').partition(' ')\n    \
                    if k == 'i': print(hash(int(rest)))\n    \
                    elif k == 'f': print(hash(struct.unpack('<d', struct.pack('<Q', int(rest)))[0]))\n    \
                    else: print(hash(tuple(int(x) for x in rest.split())))\n";
    let (out, _) = python_io(code, &input);
    let mut lines = out.lines();
    for i in &ints {
        assert_eq!(
            hash::hash_bigint(i).to_string(),
            lines.next().unwrap(),
            "int {i}"
        );
    }
    for f in &floats {
        assert_eq!(
            hash::hash_f64(*f).unwrap().to_string(),
            lines.next().unwrap(),
            "float {f:e}"
        );
    }
    for t in &tuples {
        let hs: Vec<i64> = t.iter().map(hash::hash_bigint).collect();
        assert_eq!(
            hash::hash_tuple(&hs).to_string(),
            lines.next().unwrap(),
            "tuple {t:?}"
        );
    }
    assert!(lines.next().is_none());
}
