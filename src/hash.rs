//! CPython 3.11's hash functions, value for value (64-bit build).
//!
//! | here | CPython 3.11 |
//! |---|---|
//! | [`HashSecret`] | `_Py_HashSecret` + `_Py_HashRandomization_Init` (`Python/bootstrap_hash.c`) |
//! | [`hash_bytes`] | `_Py_HashBytes` → `pysiphash` → `siphash13` (`Python/pyhash.c`) |
//! | [`hash_bytes_with`] | the same with 3.8–3.10's `siphash24` too |
//! | [`hash_str`] | `unicode_hash` (`Objects/unicodeobject.c`): `_Py_HashBytes` of the PEP 393 data |
//! | [`hash_i64`], [`hash_bigint`] | `long_hash` (`Objects/longobject.c`) |
//! | [`hash_f64`] | `_Py_HashDouble` (`Python/pyhash.c`), minus the NaN case |
//! | [`hash_pointer`] | `_Py_HashPointer` (`Python/pyhash.c`) |
//! | [`hash_tuple`] | `tuplehash` (`Objects/tupleobject.c`, the xxHash-style one of 3.8+) |
//!
//! Every function returns a [`PyHash`] (`Py_hash_t`) and, like CPython, never returns `-1`
//! (reserved there for "an exception is set").
//!
//! Each value below is what `PYTHONHASHSEED=0 python3 -c 'print(hash(...))'` prints (and
//! `PYTHONHASHSEED=1` for the last line):
//!
//! ```
//! use pylayout::hash::{HashSecret, hash_bytes, hash_f64, hash_i64, hash_str, hash_tuple};
//!
//! let zero = HashSecret::ZERO; // PYTHONHASHSEED=0
//! assert_eq!(hash_str(&zero, "abc"), -4594863902769663758);
//! // A str hashes its PEP 393 data: 'é' is the one Latin-1 byte 0xe9, like b'\xe9'.
//! assert_eq!(hash_str(&zero, "é"), 6047309291227476195);
//! assert_eq!(hash_bytes(&zero, b"\xe9"), 6047309291227476195);
//! // Numbers: reduction modulo 2**61 - 1, and -1 is never a hash.
//! assert_eq!((hash_i64(-1), hash_i64((1 << 61) - 1)), (-2, 0));
//! assert_eq!(hash_f64(1.5), Some(1152921504606846977));
//! assert_eq!(hash_f64(f64::INFINITY), Some(314159));
//! assert_eq!(hash_tuple(&[hash_i64(1), hash_i64(2)]), -3550055125485641917);
//! assert_eq!(hash_tuple(&[]), 5740354900026072187);
//! assert_eq!(hash_str(&HashSecret::from_seed(1), "abc"), -4667308735975688587);
//! ```
//!
//! A dict's probe sequence starts at `hash & mask`, so these values decide which index slot
//! each key lands in, which keys collide, and the probe paths `pylayout` shows (the order of
//! the entries is insertion order whatever the hashes). The runtime uses
//! `PYTHONHASHSEED=0` unless told otherwise ([`crate::runtime::set_hash_seed`]).
//!
//! # SipHash-1-3
//!
//! 3.11 hashes bytes with SipHash-1-3 (`sys.hash_info.algorithm == 'siphash13'`,
//! `Py_HASH_CUTOFF == 0`, so no small-string DJBX33A path). CPython's `siphash13` is the
//! reference SipHash with c = 1, d = 3: initial state `k0 ^ "somepseu"`, `k1 ^ "dorandom"`,
//! `k0 ^ "lygenera"`, `k1 ^ "tedbytes"`; message words read little-endian (`_le64toh`);
//! last word = up to 7 tail bytes (little-endian) | `len << 56`; finalisation
//! `v2 ^= 0xff`, 3 rounds, output `v0 ^ v1 ^ v2 ^ v3` (the "modified" comment in pyhash.c
//! refers to csiphash's packaging, the arithmetic is the reference one). The `siphasher`
//! crate's `SipHasher13::hash(&[u8])` does exactly this (its `Sip13Rounds` is 1 compression
//! round and 3 finalisation rounds, same `compress!` rotations 13/16/21/17/32, the same
//! little-endian loads, `(len & 0xff) << 56`, which is `len << 56` in 64-bit arithmetic), so
//! it is used as is. Note: it must be `hash(bytes)` (or `Hasher::write` + `finish`), never
//! `Hash::hash` of a slice, which would prepend the length.
//!
//! The key: `_Py_HashSecret` is a 24-byte union; `pysiphash` passes
//! `_le64toh(siphash.k0)`, `_le64toh(siphash.k1)`, i.e. bytes 0..8 and 8..16 read as
//! little-endian `u64`s on any host.

use num_bigint::BigInt;
use siphasher::sip::{SipHasher13, SipHasher24};

use crate::profile::{Current, Profile, StrHash};

/// `Py_hash_t`: a signed pointer-sized integer (64 bits here).
pub type PyHash = i64;

/// `_PyHASH_BITS`: numeric hashes are reductions modulo the Mersenne prime `2**61 - 1`.
pub const HASH_BITS: u32 = 61;

/// `_PyHASH_MODULUS` = `sys.hash_info.modulus` = `2**61 - 1`.
pub const MODULUS: u64 = (1 << HASH_BITS) - 1;

/// `_PyHASH_INF` = `sys.hash_info.inf`: `hash(float('inf'))` (and `-HASH_INF` for `-inf`).
pub const HASH_INF: PyHash = 314_159;

/// `_PyHASH_IMAG` = `sys.hash_info.imag`: the multiplier of the imaginary part in
/// `complex_hash`.
pub const HASH_IMAG: PyHash = 1_000_003;

/// `tuplehash`'s replacement for an accumulator that came out as `-1`.
pub const TUPLE_HASH_MINUS_ONE: PyHash = 1_546_275_796;

/// `_PyHASH_XXPRIME_1` (64-bit).
const XXPRIME_1: u64 = 11_400_714_785_074_694_791;
/// `_PyHASH_XXPRIME_2` (64-bit).
const XXPRIME_2: u64 = 14_029_467_366_897_019_727;
/// `_PyHASH_XXPRIME_5` (64-bit).
const XXPRIME_5: u64 = 2_870_177_450_012_600_261;

/// The SipHash key of `_Py_HashSecret` (`siphash.k0`, `siphash.k1`).
///
/// `_Py_HashSecret_t` is 24 bytes; SipHash reads only the first 16 (the rest belongs to
/// `expat.hashsalt`, which only pyexpat uses).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HashSecret {
    k0: u64,
    k1: u64,
}

/// `sizeof(_Py_HashSecret_t)`.
pub const HASH_SECRET_SIZE: usize = 24;

impl HashSecret {
    /// The all-zero key: `PYTHONHASHSEED=0` (`memset(secret, 0, secret_size)`).
    pub const ZERO: HashSecret = HashSecret { k0: 0, k1: 0 };

    /// A key given directly.
    pub const fn from_keys(k0: u64, k1: u64) -> Self {
        HashSecret { k0, k1 }
    }

    /// The key CPython derives from `PYTHONHASHSEED=seed` (`_Py_HashRandomization_Init`):
    /// `0` gives [`HashSecret::ZERO`]; any other value fills the 24-byte secret with
    /// `lcg_urandom(seed)` and SipHash takes bytes 0..8 and 8..16, little-endian.
    pub fn from_seed(seed: u32) -> Self {
        if seed == 0 {
            return Self::ZERO;
        }
        let bytes = lcg_urandom(seed);
        let word = |i: usize| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&bytes[i..i + 8]);
            u64::from_le_bytes(w)
        };
        HashSecret {
            k0: word(0),
            k1: word(8),
        }
    }

    /// `_Py_HashSecret.siphash.k0` as `pysiphash` passes it.
    pub const fn k0(&self) -> u64 {
        self.k0
    }

    /// `_Py_HashSecret.siphash.k1` as `pysiphash` passes it.
    pub const fn k1(&self) -> u64 {
        self.k1
    }
}

/// `lcg_urandom(x0, buffer, 24)` (`Python/bootstrap_hash.c`): Microsoft's `rand()` LCG in
/// 32-bit unsigned arithmetic, one byte `(x >> 16) & 0xff` per step.
fn lcg_urandom(x0: u32) -> [u8; HASH_SECRET_SIZE] {
    let mut buf = [0u8; HASH_SECRET_SIZE];
    let mut x = x0;
    for b in &mut buf {
        x = x.wrapping_mul(214_013).wrapping_add(2_531_011);
        *b = (x >> 16) as u8;
    }
    buf
}

/// `_Py_HashBytes(src, len)` with 3.11's SipHash-1-3 `PyHash_Func`: `0` for empty input,
/// otherwise `siphash13(k0, k1, bytes)` reinterpreted as signed, `-1` turned into `-2`.
pub fn hash_bytes(secret: &HashSecret, bytes: &[u8]) -> PyHash {
    hash_bytes_with(Current::STR_HASH, secret, bytes)
}

/// `_Py_HashBytes` with `algorithm`: SipHash-1-3 (3.11+) or the reference SipHash-2-4 that
/// 3.8–3.10 use (`Py_HASH_CUTOFF` 0 in all: no small-string DJBX33A path). The same key,
/// the same empty-input and `-1` rules.
///
/// ```
/// use pylayout::hash::{HashSecret, hash_bytes_with};
/// use pylayout::profile::StrHash;
/// // PYTHONHASHSEED=0: hash('abc') in 3.10 and in 3.11.
/// assert_eq!(hash_bytes_with(StrHash::SipHash24, &HashSecret::ZERO, b"abc"), 4596069200710135518);
/// assert_eq!(hash_bytes_with(StrHash::SipHash13, &HashSecret::ZERO, b"abc"), -4594863902769663758);
/// ```
pub fn hash_bytes_with(algorithm: StrHash, secret: &HashSecret, bytes: &[u8]) -> PyHash {
    if bytes.is_empty() {
        return 0;
    }
    let x = match algorithm {
        StrHash::SipHash13 => SipHasher13::new_with_keys(secret.k0, secret.k1).hash(bytes),
        StrHash::SipHash24 => SipHasher24::new_with_keys(secret.k0, secret.k1).hash(bytes),
    } as PyHash;
    if x == -1 { -2 } else { x }
}

/// The PEP 393 kind CPython gives `s` (`PyUnicode_KIND`): 1 if every code point is below
/// 256 (ASCII and Latin-1 alike), 2 if below 65536, else 4. The empty string is kind 1.
pub fn pep393_kind(s: &str) -> u8 {
    match s.chars().map(u32::from).max().unwrap_or(0) {
        0..=0xff => 1,
        0x100..=0xffff => 2,
        _ => 4,
    }
}

/// The canonical PEP 393 data of `s` (`PyUnicode_DATA`, `len * kind` bytes, no
/// terminator): Latin-1 bytes, UCS-2 or UCS-4 code units in little-endian (native) order.
pub fn pep393_data(s: &str) -> Vec<u8> {
    match pep393_kind(s) {
        1 => s.chars().map(|c| u32::from(c) as u8).collect(),
        2 => s
            .chars()
            .flat_map(|c| (u32::from(c) as u16).to_le_bytes())
            .collect(),
        _ => s.chars().flat_map(|c| u32::from(c).to_le_bytes()).collect(),
    }
}

/// `unicode_hash`: `_Py_HashBytes(PyUnicode_DATA(s), PyUnicode_GET_LENGTH(s) *
/// PyUnicode_KIND(s))`. So `hash('abc') == hash(b'abc')` and `hash('é') == hash(b'\xe9')`.
///
/// (A Rust `&str` cannot hold lone surrogates, which a Python `str` can; those are kind 2
/// code units and would hash the same way.)
pub fn hash_str(secret: &HashSecret, s: &str) -> PyHash {
    hash_bytes(secret, &pep393_data(s))
}

/// `sign * (magnitude mod 2**61 - 1)` with `-1` turned into `-2`: the common tail of
/// `long_hash`.
#[inline]
fn signed_reduction(negative: bool, reduced: u64) -> PyHash {
    debug_assert!(reduced < MODULUS);
    let x = if negative {
        (reduced as PyHash).wrapping_neg()
    } else {
        reduced as PyHash
    };
    if x == -1 { -2 } else { x }
}

/// `long_hash` for a value that fits an `i64`: `sign(v) * (|v| mod 2**61 - 1)`, `-1` → `-2`.
/// (`hash(-1) == -2`, `hash(2**61 - 1) == 0`, `hash(i64::MIN) == -4`.)
#[inline]
pub fn hash_i64(v: i64) -> PyHash {
    // |v| mod (2**61 - 1) by folding: 2**61 ≡ 1, so |v| ≡ (|v| & P) + (|v| >> 61) <= P + 7,
    // and one conditional subtraction finishes it (no 64-bit division).
    let u = v.unsigned_abs();
    let x = (u & MODULUS) + (u >> HASH_BITS);
    signed_reduction(v < 0, if x >= MODULUS { x - MODULUS } else { x })
}

/// `long_hash` for any int: `sign(v) * (|v| mod 2**61 - 1)`, `-1` → `-2`.
///
/// CPython folds the 30-bit digits from the top, rotating left by 30 modulo the Mersenne
/// prime (`x * 2**30 mod P` is a 61-bit rotation); this folds 64-bit words the same way
/// (`2**64 ≡ 2**3 mod P`), which computes the same residue.
pub fn hash_bigint(v: &BigInt) -> PyHash {
    let mut x: u64 = 0;
    for word in v.magnitude().iter_u64_digits().rev() {
        // x * 2**64 + word, modulo P, with x < P: x * 2**64 ≡ x * 2**3 = rotl61(x, 3).
        x = ((x << 3) & MODULUS) | (x >> (HASH_BITS - 3));
        x = add_mod(x, word % MODULUS);
        // word % P < P and x < P, so one conditional subtraction sufficed.
    }
    signed_reduction(v.sign() == num_bigint::Sign::Minus, x)
}

/// `(a + b) mod P` for `a, b < P` (no overflow: both are below 2**61).
fn add_mod(a: u64, b: u64) -> u64 {
    let s = a + b;
    if s >= MODULUS { s - MODULUS } else { s }
}

/// `frexp(v)`: `(m, e)` with `v == m * 2**e`, `0.5 <= |m| < 1` (the sign kept in `m`),
/// `(v, 0)` for zero. Only called on finite values.
fn frexp(v: f64) -> (f64, i32) {
    if v == 0.0 {
        return (v, 0);
    }
    let bits = v.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    if biased == 0 {
        // Subnormal: scale into the normal range exactly, then correct the exponent.
        let (m, e) = frexp(v * f64::from_bits(0x43f0_0000_0000_0000)); // 2**64
        return (m, e - 64);
    }
    // Keep sign and fraction, set the exponent field so that 0.5 <= |m| < 1.
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (m, biased - 1022)
}

/// `_Py_HashDouble` for a finite or infinite `v`: the reduction of the exact rational value
/// modulo `2**61 - 1` (so an integral float hashes like the equal int), `±HASH_INF` for
/// `±inf`, `-1` → `-2`. Returns `None` for NaN: since 3.10 a NaN hashes by identity,
/// `_Py_HashPointer(the float object)`; the caller has the address ([`hash_pointer`]).
///
/// The loop is CPython's: take 28 bits of the mantissa at a time (exact in `f64`),
/// accumulating modulo P by rotation, then rotate by the exponent reduced modulo 61.
pub fn hash_f64(v: f64) -> Option<PyHash> {
    if v.is_nan() {
        return None;
    }
    if v.is_infinite() {
        return Some(if v > 0.0 { HASH_INF } else { -HASH_INF });
    }
    let (mut m, mut e) = frexp(v);
    let negative = m < 0.0;
    if negative {
        m = -m;
    }
    let mut x: u64 = 0;
    while m != 0.0 {
        x = ((x << 28) & MODULUS) | (x >> (HASH_BITS - 28));
        m *= 268_435_456.0; // 2**28
        e -= 28;
        let y = m as u64; // the integer part (m < 2**28 here)
        m -= y as f64;
        x += y;
        if x >= MODULUS {
            x -= MODULUS;
        }
    }
    // Reduce the exponent modulo 61 (C's `%` truncates; this is CPython's expression).
    let bits = HASH_BITS as i32;
    let e = if e >= 0 {
        e % bits
    } else {
        bits - 1 - ((-1 - e) % bits)
    };
    let e = e as u32;
    x = ((x << e) & MODULUS) | (x >> (HASH_BITS - e));
    Some(signed_reduction(negative, x))
}

/// `_Py_HashPointer(p)`: the address rotated right by 4 bits (the low bits of an aligned
/// address carry no information), `-1` → `-2`. Used for `object.__hash__` and, since 3.10,
/// for NaN floats.
pub fn hash_pointer(addr: usize) -> PyHash {
    let x = addr.rotate_right(4) as u64 as PyHash;
    if x == -1 { -2 } else { x }
}

/// `tuplehash` (3.8+, the xxHash-64-style round): for each item hash `lane`,
/// `acc = rotl(acc + lane * XXPRIME_2, 31) * XXPRIME_1` starting from `XXPRIME_5`; then
/// `acc += len ^ (XXPRIME_5 ^ 3527539)` (keeps `hash(())` at its historical value); an
/// accumulator of `-1` becomes [`TUPLE_HASH_MINUS_ONE`]. The items' hashes are given
/// (CPython calls `PyObject_Hash` on each; a `-1` there is an error, never a hash).
pub fn hash_tuple(item_hashes: &[PyHash]) -> PyHash {
    let mut acc = XXPRIME_5;
    for &h in item_hashes {
        let lane = h as u64;
        acc = acc.wrapping_add(lane.wrapping_mul(XXPRIME_2));
        acc = acc.rotate_left(31);
        acc = acc.wrapping_mul(XXPRIME_1);
    }
    acc = acc.wrapping_add((item_hashes.len() as u64) ^ (XXPRIME_5 ^ 3_527_539));
    if acc == u64::MAX {
        TUPLE_HASH_MINUS_ONE
    } else {
        acc as PyHash
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigInt;

    /// A straightforward SipHash-1-3 written from `siphash13` in pyhash.c, to check that the
    /// crate agrees with CPython's code (not just with itself) on every tail length.
    fn siphash13_reference(k0: u64, k1: u64, src: &[u8]) -> u64 {
        fn round(v: &mut [u64; 4]) {
            // HALF_ROUND(v0,v1,v2,v3,13,16); HALF_ROUND(v2,v1,v0,v3,17,21);
            v[0] = v[0].wrapping_add(v[1]);
            v[2] = v[2].wrapping_add(v[3]);
            v[1] = v[1].rotate_left(13) ^ v[0];
            v[3] = v[3].rotate_left(16) ^ v[2];
            v[0] = v[0].rotate_left(32);
            v[2] = v[2].wrapping_add(v[1]);
            v[0] = v[0].wrapping_add(v[3]);
            v[1] = v[1].rotate_left(17) ^ v[2];
            v[3] = v[3].rotate_left(21) ^ v[0];
            v[2] = v[2].rotate_left(32);
        }
        let mut v = [
            k0 ^ 0x736f_6d65_7073_6575,
            k1 ^ 0x646f_7261_6e64_6f6d,
            k0 ^ 0x6c79_6765_6e65_7261,
            k1 ^ 0x7465_6462_7974_6573,
        ];
        let mut chunks = src.chunks_exact(8);
        for c in &mut chunks {
            let mi = u64::from_le_bytes(c.try_into().unwrap());
            v[3] ^= mi;
            round(&mut v);
            v[0] ^= mi;
        }
        let mut t = [0u8; 8];
        t[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
        let b = ((src.len() as u64) << 56) | u64::from_le_bytes(t);
        v[3] ^= b;
        round(&mut v);
        v[0] ^= b;
        v[2] ^= 0xff;
        round(&mut v);
        round(&mut v);
        round(&mut v);
        v[0] ^ v[1] ^ v[2] ^ v[3]
    }

    #[test]
    fn crate_siphash13_matches_pyhash_c() {
        let data: Vec<u8> = (0..300u32).map(|i| (i * 7 + 3) as u8).collect();
        for key in [
            HashSecret::ZERO,
            HashSecret::from_seed(1),
            HashSecret::from_keys(u64::MAX, 0x0123_4567_89ab_cdef),
        ] {
            for len in 0..data.len() {
                let want = siphash13_reference(key.k0(), key.k1(), &data[..len]);
                let got = SipHasher13::new_with_keys(key.k0(), key.k1()).hash(&data[..len]);
                assert_eq!(got, want, "len {len}, key {key:?}");
            }
        }
    }

    #[test]
    fn seed_zero_is_the_zero_key_and_lcg_bytes() {
        assert_eq!(HashSecret::from_seed(0), HashSecret::ZERO);
        // First LCG step from 1: 1 * 214013 + 2531011 = 2745024, >> 16 = 41 (0x29).
        assert_eq!(lcg_urandom(1)[0], 0x29);
        let s = HashSecret::from_seed(1);
        let b = lcg_urandom(1);
        assert_eq!(s.k0().to_le_bytes(), b[..8]);
        assert_eq!(s.k1().to_le_bytes(), b[8..16]);
        assert_ne!(HashSecret::from_seed(1), HashSecret::from_seed(2));
    }

    #[test]
    fn empty_bytes_and_str_hash_to_zero_for_any_key() {
        for key in [HashSecret::ZERO, HashSecret::from_seed(99)] {
            assert_eq!(hash_bytes(&key, b""), 0);
            assert_eq!(hash_str(&key, ""), 0);
        }
    }

    #[test]
    fn str_kinds_and_data() {
        assert_eq!(pep393_kind(""), 1);
        assert_eq!(pep393_kind("abc"), 1);
        assert_eq!(pep393_kind("caf\u{e9}\u{ff}"), 1);
        assert_eq!(pep393_kind("a\u{100}"), 2);
        assert_eq!(pep393_kind("\u{ffff}"), 2);
        assert_eq!(pep393_kind("a\u{10000}"), 4);
        assert_eq!(pep393_data("\u{e9}"), [0xe9]);
        assert_eq!(pep393_data("a\u{4e2d}"), [0x61, 0, 0x2d, 0x4e]);
        assert_eq!(pep393_data("\u{1f600}"), [0x00, 0xf6, 0x01, 0x00]);
        let k = HashSecret::ZERO;
        assert_eq!(hash_str(&k, "abc"), hash_bytes(&k, b"abc"));
        assert_eq!(hash_str(&k, "\u{e9}"), hash_bytes(&k, b"\xe9"));
        // One wide character widens the whole string: 'a' is stored as 61 00.
        assert_eq!(hash_str(&k, "a\u{100}"), hash_bytes(&k, b"a\x00\x00\x01"));
        assert_ne!(hash_str(&k, "a\u{100}"), hash_bytes(&k, b"a\x00\x01"));
    }

    #[test]
    fn int_hash_edges() {
        let p = MODULUS as i64;
        assert_eq!(hash_i64(0), 0);
        assert_eq!(hash_i64(1), 1);
        assert_eq!(hash_i64(-1), -2);
        assert_eq!(hash_i64(-2), -2);
        assert_eq!(hash_i64(p), 0);
        assert_eq!(hash_i64(-p), 0);
        assert_eq!(hash_i64(p - 1), p - 1);
        assert_eq!(hash_i64(p + 1), 1);
        assert_eq!(hash_i64(-(p + 1)), -2); // -(2**61) reduces to -1
        assert_eq!(hash_i64(i64::MAX), ((1u64 << 63) - 1) as i64 % p);
        assert_eq!(hash_i64(i64::MIN), -4); // 2**63 = 2**2 * 2**61 ≡ 4
        for v in [
            0i64,
            1,
            -1,
            -2,
            p,
            -p,
            p + 1,
            -(p + 1),
            i64::MAX,
            i64::MIN,
            123_456_789_012_345,
        ] {
            assert_eq!(hash_bigint(&BigInt::from(v)), hash_i64(v), "{v}");
        }
        let two_64 = BigInt::from(1) << 64u32;
        assert_eq!(hash_bigint(&two_64), 8);
        assert_eq!(hash_bigint(&-two_64), -8);
        // 2**(61k) ≡ 1.
        assert_eq!(hash_bigint(&(BigInt::from(1) << 610u32)), 1);
        assert_eq!(hash_bigint(&-(BigInt::from(1) << 610u32)), -2);
        // Brute-force residue for a big value.
        let big = (BigInt::from(3) << 1000u32) + 12_345;
        let want = i64::try_from(&big % BigInt::from(MODULUS)).unwrap();
        assert_eq!(hash_bigint(&big), want);
        assert_eq!(hash_bigint(&-big), -want);
    }

    #[test]
    fn frexp_matches_the_definition() {
        for v in [
            1.0f64,
            -1.0,
            0.5,
            3.0,
            1e308,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            -5e-324,
            2.2e-310,
        ] {
            let (m, e) = frexp(v);
            assert!((0.5..1.0).contains(&m.abs()), "{v}: m = {m}");
            assert_eq!(m.signum(), v.signum());
            // Rebuild v = m * 2**e exactly in two steps (e may be below -1022).
            let half = e / 2;
            assert_eq!(m * 2f64.powi(half) * 2f64.powi(e - half), v, "{v}");
        }
        assert_eq!(frexp(0.0), (0.0, 0));
        assert!(frexp(-0.0).0.is_sign_negative());
    }

    #[test]
    fn float_hash_edges() {
        assert_eq!(hash_f64(0.0), Some(0));
        assert_eq!(hash_f64(-0.0), Some(0));
        assert_eq!(hash_f64(1.0), Some(1));
        assert_eq!(hash_f64(-1.0), Some(-2));
        assert_eq!(hash_f64(1.5), Some(1 + (1 << 60))); // 3/2 ≡ 3 * 2**60
        assert_eq!(hash_f64(0.5), Some(1 << 60));
        assert_eq!(hash_f64(f64::INFINITY), Some(HASH_INF));
        assert_eq!(hash_f64(f64::NEG_INFINITY), Some(-HASH_INF));
        assert_eq!(hash_f64(f64::NAN), None);
        // Integral floats hash like the equal int, however large.
        for v in [
            2.0f64,
            -3.0,
            4_294_967_296.0,
            9.007_199_254_740_992e15,
            1e20,
            -1e300,
            f64::MAX,
        ] {
            assert_eq!(hash_f64(v), Some(hash_bigint(&exact_int(v))), "{v}");
        }
        // 2**-61k ≡ 1 as well: 2**-61 hashes to 1.
        assert_eq!(hash_f64(2f64.powi(-61)), Some(1));
        // Smallest subnormal 2**-1074: -1074 = -18 * 61 + 24.
        assert_eq!(hash_f64(5e-324), Some(1 << 24));
    }

    /// The exact integer value of an integral, finite, normal `v`.
    fn exact_int(v: f64) -> BigInt {
        let bits = v.to_bits();
        let mantissa = (bits & ((1 << 52) - 1)) | (1 << 52);
        let exp = ((bits >> 52) & 0x7ff) as i32 - 1075;
        let magnitude = if exp >= 0 {
            BigInt::from(mantissa) << exp as u32
        } else {
            assert!(
                mantissa.trailing_zeros() as i32 >= -exp,
                "{v} is not integral"
            );
            BigInt::from(mantissa >> -exp)
        };
        if v < 0.0 { -magnitude } else { magnitude }
    }

    #[test]
    fn pointer_hash_rotates_by_four() {
        assert_eq!(hash_pointer(0), 0);
        assert_eq!(hash_pointer(0x10), 1);
        assert_eq!(hash_pointer(0x7f00_1234_5670), 0x07f0_0123_4567);
        assert_eq!(hash_pointer(0x1), 1i64 << 60);
        assert_eq!(hash_pointer(usize::MAX), -2);
    }

    #[test]
    fn tuple_hash_edges() {
        // -1 is replaced: build a one-item tuple whose accumulator is exactly u64::MAX by
        // running the round backwards.
        let target = u64::MAX.wrapping_sub(1 ^ (XXPRIME_5 ^ 3_527_539));
        let before_mul = target.wrapping_mul(inverse_mod_2_64(XXPRIME_1));
        let before_rot = before_mul.rotate_right(31);
        let lane = before_rot
            .wrapping_sub(XXPRIME_5)
            .wrapping_mul(inverse_mod_2_64(XXPRIME_2));
        assert_eq!(hash_tuple(&[lane as i64]), TUPLE_HASH_MINUS_ONE);
        assert_ne!(hash_tuple(&[lane as i64 ^ 1]), TUPLE_HASH_MINUS_ONE);
        // Order matters, length matters.
        assert_ne!(hash_tuple(&[1, 2]), hash_tuple(&[2, 1]));
        assert_ne!(hash_tuple(&[]), hash_tuple(&[0]));
    }

    /// The inverse of an odd `a` modulo 2**64 (Newton's iteration doubles the correct bits).
    pub(crate) fn inverse_mod_2_64(a: u64) -> u64 {
        assert!(a % 2 == 1);
        let mut x = a; // correct to 3 bits
        for _ in 0..5 {
            x = x.wrapping_mul(2u64.wrapping_sub(a.wrapping_mul(x)));
        }
        assert_eq!(a.wrapping_mul(x), 1);
        x
    }
}
