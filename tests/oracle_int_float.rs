//! `int` and `float` against the real interpreter: `sys.getsizeof`, `__sizeof__`, the fields
//! read with `ctypes` at `id(obj) + offset`, small-int sharing, refcounts, and the pymalloc
//! block size (seen in python3 as the stride between consecutive `id()`s).

mod common;

use common::{Rng, assert_python_311, python_io};
use num_bigint::{BigInt, Sign};
use pylayout::object::OB_SIZE_OFFSET;
use pylayout::runtime;
use pylayout::types::float::{OB_FVAL_OFFSET, PyFloat};
use pylayout::types::int::{DIGIT_OFFSET, PyInt};

fn int_values() -> Vec<BigInt> {
    let mut v: Vec<BigInt> = [
        0i64,
        1,
        -1,
        2,
        -2,
        -5,
        -6,
        255,
        256,
        257,
        -257,
        1000,
        i64::MAX,
        i64::MIN,
    ]
    .iter()
    .map(|&x| BigInt::from(x))
    .collect();
    for k in 1..=70u32 {
        let p = BigInt::from(1) << (30 * k);
        for d in [-1i64, 0, 1] {
            v.push(&p + d);
            v.push(-(&p + d));
        }
    }
    v.push((BigInt::from(1) << 10_000u32) + 7);
    v.push(-(BigInt::from(3) << 4_321u32));
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..300 {
        let bits = 1 + rng.next() % 2000;
        let mut words = Vec::new();
        for _ in 0..bits.div_ceil(32) {
            words.push(rng.next() as u32);
        }
        let mut n = BigInt::from_slice(Sign::Plus, &words);
        n >>= (words.len() as u64 * 32 - bits) as usize;
        if rng.next().is_multiple_of(2) {
            n = -n;
        }
        v.push(n);
    }
    v
}

#[test]
fn int_sizes_fields_and_sharing_match_python() {
    assert_python_311();
    let values = int_values();
    let input: String = values.iter().map(|v| format!("{v}\n")).collect();
    let code = format!(
        r#"
import sys, ctypes
print(int.__basicsize__, int.__itemsize__)
for line in sys.stdin:
    x = int(line)
    size = ctypes.c_ssize_t.from_address(id(x) + {OB_SIZE_OFFSET}).value
    digits = [ctypes.c_uint32.from_address(id(x) + {DIGIT_OFFSET} + 4 * k).value
              for k in range(abs(size))]
    print(sys.getsizeof(x), x.__sizeof__(), size,
          ','.join(map(str, digits)) or '-', int(line) is x)
"#
    );
    let (out, _) = python_io(&code, &input);
    let mut lines = out.lines();
    assert_eq!(
        lines.next().unwrap(),
        format!(
            "{} {}",
            pylayout::types::int::INT_TYPE.tp_basicsize,
            pylayout::types::int::INT_TYPE.tp_itemsize
        )
    );
    let lines: Vec<&str> = lines.collect();
    assert_eq!(lines.len(), values.len(), "one line per int");
    let mut checked = 0;
    for (v, line) in values.iter().zip(lines) {
        let ours = PyInt::from_bigint(v);
        let again = PyInt::from_bigint(v);
        let digits = ours.digits();
        let digits = if digits.is_empty() {
            "-".to_string()
        } else {
            digits
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(",")
        };
        let shared = if ours.as_obj().is(again.as_obj()) {
            "True"
        } else {
            "False"
        };
        let expect = format!(
            "{} {} {} {} {}",
            ours.as_obj().getsizeof(),
            ours.as_obj().sizeof(),
            ours.ob_size(),
            digits,
            shared
        );
        assert_eq!(line, expect, "int {v}: python3 vs ours");
        assert_eq!(&ours.value(), v);
        checked += 1;
    }
    assert_eq!(checked, values.len());
}

#[test]
fn bool_sizes_match_python() {
    let (out, _) = python_io(
        "import sys; print(sys.getsizeof(True), sys.getsizeof(False), True.__sizeof__())",
        "",
    );
    let t = PyInt::from_bool(true);
    let f = PyInt::from_bool(false);
    assert_eq!(
        out.trim(),
        format!(
            "{} {} {}",
            t.as_obj().getsizeof(),
            f.as_obj().getsizeof(),
            t.as_obj().sizeof()
        )
    );
}

#[test]
fn float_sizes_and_fields_match_python() {
    let mut bits: Vec<u64> = [
        0.0f64,
        -0.0,
        1.5,
        -2.25,
        1e308,
        5e-324,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
    ]
    .iter()
    .map(|f| f.to_bits())
    .collect();
    let mut rng = Rng(42);
    bits.extend((0..200).map(|_| rng.next()));
    let input: String = bits.iter().map(|b| format!("{b}\n")).collect();
    let code = format!(
        r#"
import sys, ctypes, struct
print(float.__basicsize__, float.__itemsize__)
for line in sys.stdin:
    x = struct.unpack('<d', int(line).to_bytes(8, 'little'))[0]
    raw = ctypes.c_uint64.from_address(id(x) + {OB_FVAL_OFFSET}).value
    print(sys.getsizeof(x), x.__sizeof__(), raw)
"#
    );
    let (out, _) = python_io(&code, &input);
    let mut lines = out.lines();
    assert_eq!(
        lines.next().unwrap(),
        format!("{} 0", pylayout::types::float::FLOAT_TYPE.tp_basicsize)
    );
    let lines: Vec<&str> = lines.collect();
    assert_eq!(lines.len(), bits.len(), "one line per float");
    for (b, line) in bits.iter().zip(lines) {
        let f = PyFloat::new(f64::from_bits(*b));
        let expect = format!(
            "{} {} {}",
            f.as_obj().getsizeof(),
            f.as_obj().sizeof(),
            f.value().to_bits()
        );
        assert_eq!(line, expect, "float bits {b:#x}");
    }
}

#[test]
fn refcounts_rise_and_fall_like_python() {
    // sys.getrefcount(x) is ob_refcnt + 1 (its own argument). A non-constant big int, so the
    // code object holds no extra reference.
    let (out, _) = python_io(
        r#"
import sys
x = int('1267650600228229401496703205377')
print(sys.getrefcount(x))
y = x
print(sys.getrefcount(x))
z = y
print(sys.getrefcount(x))
del y
print(sys.getrefcount(x))
del z
print(sys.getrefcount(x))
"#,
        "",
    );
    let x = PyInt::from_bigint(&"1267650600228229401496703205377".parse().unwrap());
    let getrefcount = |o: &PyInt| o.as_obj().refcnt() + 1;
    let mut ours = vec![getrefcount(&x)];
    let y = x.clone();
    ours.push(getrefcount(&x));
    let z = y.clone();
    ours.push(getrefcount(&x));
    drop(y);
    ours.push(getrefcount(&x));
    drop(z);
    ours.push(getrefcount(&x));
    let py: Vec<isize> = out.lines().map(|l| l.parse().unwrap()).collect();
    assert_eq!(ours, py);
}

/// The block a new object occupies shows in python3 as the most common distance between the
/// `id()`s of objects allocated one after another from fresh pools.
fn python_strides(make: &str) -> Vec<usize> {
    let code = format!(
        r#"
import sys
from collections import Counter
for line in sys.stdin:
    k = int(line)
    objs = [{make} for i in range(600)]
    ids = sorted(map(id, objs))
    print(Counter(b - a for a, b in zip(ids, ids[1:])).most_common(1)[0][0])
"#
    );
    let input: String = (1..=60).map(|k| format!("{k}\n")).collect();
    let (out, _) = python_io(&code, &input);
    let strides: Vec<usize> = out.lines().map(|l| l.parse().unwrap()).collect();
    assert_eq!(strides.len(), 60, "one stride per k in 1..=60");
    strides
}

#[test]
fn int_blocks_match_python_id_strides() {
    // int.from_bytes with a 0xff top byte allocates exactly the digits it needs.
    let strides = python_strides("int.from_bytes(bytes([i % 256] * (k - 1) + [255]), 'little')");
    for (k, stride) in (1..=60usize).zip(strides) {
        let mut bytes = vec![7u8; k - 1];
        bytes.push(255);
        let v = BigInt::from_bytes_le(Sign::Plus, &bytes);
        let ours = PyInt::from_bigint(&v);
        if ours.is_static() {
            continue;
        }
        let block = runtime::with_heap(|h| h.block_info(ours.as_obj().id() as *const u8))
            .map(|b| b.block_size);
        if ours.as_obj().sizeof() > 512 {
            assert_eq!(
                block, None,
                "{k} bytes: large ints go to the system allocator"
            );
        } else {
            assert_eq!(
                block,
                Some(stride),
                "{k}-byte int: block size vs python3 id stride"
            );
        }
    }
}

#[test]
fn float_block_matches_python_id_stride() {
    let strides = python_strides("float(i) + k / 7");
    let f = PyFloat::new(0.5);
    let block = runtime::with_heap(|h| h.block_info(f.as_obj().id() as *const u8)).unwrap();
    assert!(
        strides.iter().all(|&s| s == block.block_size),
        "{strides:?}"
    );
}

/// `repr(float)` of 4,000 doubles from random bit patterns (every magnitude, subnormals
/// included) and 2,000 results of arithmetic: our digits must be CPython's — the fewest
/// that read back, and on a tie the even neighbour (`-714285714285711.25` prints as
/// `...711.2`).
#[test]
fn float_reprs_match_python_for_random_doubles() {
    assert_python_311();
    let mut r = Rng(0x5eed_f10a7);
    let mut bits = Vec::new();
    while bits.len() < 4000 {
        let b = r.next();
        let f = f64::from_bits(b);
        if f.is_finite() {
            bits.push(b);
        }
    }
    for i in 0..2000u64 {
        let a = (r.below(2_000_000) as f64 - 1e6) / [3.0, 7.0, 9.0, 1e-3, 1e5][(i % 5) as usize];
        bits.push((a * 1e10 / 7.0).to_bits());
    }
    bits.push((1e16 / -2.0 / 7.0 + 3.0f64).to_bits());
    let code = "import struct, sys\nfor line in sys.stdin:\n    print(repr(struct.unpack('<d', int(line).to_bytes(8, 'little'))[0]))\n";
    let input: String = bits.iter().map(|b| format!("{b}\n")).collect();
    let (out, err) = python_io(code, &input);
    assert!(err.is_empty(), "{err}");
    let theirs: Vec<&str> = out.lines().collect();
    assert_eq!(theirs.len(), bits.len());
    let mut bad = Vec::new();
    for (b, want) in bits.iter().zip(theirs) {
        let got = pylayout::types::ops::float_repr(f64::from_bits(*b));
        if got != want {
            bad.push(format!("{:#x}: ours {got}, python {want}", b));
        }
    }
    assert!(
        bad.is_empty(),
        "{} of {} differ:\n{}",
        bad.len(),
        bits.len(),
        bad[..bad.len().min(20)].join("\n")
    );
}

/// `str()` and `repr()` of an int refuse more than 4300 digits (CVE-2020-10735), exactly at
/// python3's boundary: the same rule for `str(v)`, `repr` inside a container and a negative
/// value. (One script per case: the runner's subset has no `try`.)
#[test]
fn int_to_str_digit_limit_matches_python() {
    assert_python_311();
    let values = [
        "10**4299",
        "10**4300",
        "-10**4299",
        "-(10**4300)",
        "2**14200",
        "2**14299",
        "2**14300",
        "3**9000",
        "7**5090",
        "7**5091",
    ];
    let last = |b: &[u8]| {
        String::from_utf8_lossy(b)
            .lines()
            .last()
            .unwrap_or("")
            .to_string()
    };
    for v in values {
        for show in ["len(str(v))", "len(repr([v]))", "len(str(-v))"] {
            let code = format!("v = {v}\nprint({show})\n");
            let run = |exe: &str, args: &[&str]| {
                std::process::Command::new(exe)
                    .args(args)
                    .env("PYTHONHASHSEED", "0")
                    .output()
                    .expect("run")
            };
            let py = run(&common::python_exe(), &["-c", &code]);
            let ours = run(env!("CARGO_BIN_EXE_pylayout"), &["run", "-c", &code]);
            assert_eq!(ours.status.code(), py.status.code(), "{code}");
            assert_eq!(ours.stdout, py.stdout, "{code}");
            assert_eq!(last(&ours.stderr), last(&py.stderr), "{code}");
        }
    }
}
