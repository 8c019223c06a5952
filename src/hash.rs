//! CPython 3.11's hash functions (`Python/pyhash.c`, `Python/bootstrap_hash.c`,
//! `Objects/longobject.c` `long_hash`, `Objects/tupleobject.c` `tuplehash`).
//!
//! - Bytes and strings: SipHash-1-3 (3.11's `Py_HASH_ALGORITHM`) keyed with the first 16
//!   bytes of `_Py_HashSecret`, over the raw bytes (for `str`: the PEP 393 code units of its
//!   kind, little-endian). Empty input hashes to 0.
//! - Numbers: the value modulo the Mersenne prime `2**61 - 1`, so equal numbers of
//!   different types hash equal (`hash(1) == hash(1.0) == hash(True)`).
//! - Tuples: the xxHash-style combination introduced in 3.8.
//! - Every hash function maps -1 to -2 (-1 signals an error in C).
//!
//! The secret: `PYTHONHASHSEED=0` zeroes it; `PYTHONHASHSEED=N` fills its 24 bytes with
//! `lcg_urandom(N)`. [`HashSecret::from_seed`] does both.

use num_bigint::{BigInt, Sign};
use siphasher::sip::SipHasher13;
use std::hash::Hasher;

/// `Py_hash_t`.
pub type PyHash = i64;

/// `_PyHASH_BITS`.
pub const HASH_BITS: u32 = 61;
/// `_PyHASH_MODULUS` = `2**61 - 1` (`sys.hash_info.modulus`).
pub const MODULUS: u64 = (1 << HASH_BITS) - 1;
/// `_PyHASH_INF` (`sys.hash_info.inf`).
pub const HASH_INF: PyHash = 314_159;

/// The hash key: CPython's `_Py_HashSecret` (the SipHash part, `k0` and `k1`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HashSecret {
    k0: u64,
    k1: u64,
}

impl HashSecret {
    /// `PYTHONHASHSEED=0`: the all-zero key.
    pub const ZERO: HashSecret = HashSecret { k0: 0, k1: 0 };

    /// The key CPython derives from `PYTHONHASHSEED=seed` (`_Py_HashRandomization_Init`):
    /// 0 zeroes the secret; otherwise `lcg_urandom(seed)` fills its 24 bytes with
    /// `x = x * 214013 + 2531011; byte = (x >> 16) & 0xff`.
    pub fn from_seed(seed: u32) -> HashSecret {
        if seed == 0 {
            return HashSecret::ZERO;
        }
        let mut x = seed;
        let mut bytes = [0u8; 24];
        for b in &mut bytes {
            x = x.wrapping_mul(214_013).wrapping_add(2_531_011);
            *b = ((x >> 16) & 0xff) as u8;
        }
        HashSecret {
            k0: u64::from_le_bytes(bytes[0..8].try_into().expect("8 bytes")),
            k1: u64::from_le_bytes(bytes[8..16].try_into().expect("8 bytes")),
        }
    }

    /// `k0`.
    pub fn k0(&self) -> u64 {
        self.k0
    }

    /// `k1`.
    pub fn k1(&self) -> u64 {
        self.k1
    }
}

fn fix(h: PyHash) -> PyHash {
    if h == -1 { -2 } else { h }
}

/// `_Py_HashBytes`: SipHash-1-3 of `bytes` (0 for empty input).
pub fn hash_bytes(secret: &HashSecret, bytes: &[u8]) -> PyHash {
    if bytes.is_empty() {
        return 0;
    }
    let mut h = SipHasher13::new_with_keys(secret.k0, secret.k1);
    h.write(bytes);
    fix(h.finish() as i64)
}

/// The PEP 393 kind of a string: 1 (Latin-1), 2 (UCS-2) or 4 (UCS-4), from its largest
/// code point.
pub fn pep393_kind(s: &str) -> u8 {
    match s.chars().map(|c| c as u32).max().unwrap_or(0) {
        0..=0xff => 1,
        0x100..=0xffff => 2,
        _ => 4,
    }
}

/// The code units CPython hashes for `s`: its canonical kind, little-endian.
pub fn pep393_bytes(s: &str) -> Vec<u8> {
    match pep393_kind(s) {
        1 => s.chars().map(|c| c as u8).collect(),
        2 => s.chars().flat_map(|c| (c as u16).to_le_bytes()).collect(),
        _ => s.chars().flat_map(|c| (c as u32).to_le_bytes()).collect(),
    }
}

/// `unicode_hash`: SipHash-1-3 over the string's PEP 393 code units.
pub fn hash_str(secret: &HashSecret, s: &str) -> PyHash {
    hash_bytes(secret, &pep393_bytes(s))
}

/// `long_hash` for a machine integer.
pub fn hash_i64(v: i64) -> PyHash {
    let m = (v.unsigned_abs() % MODULUS) as i64;
    fix(if v < 0 { -m } else { m })
}

/// `long_hash`: `sign(v) * (|v| mod (2**61 - 1))`.
pub fn hash_bigint(v: &BigInt) -> PyHash {
    if let Ok(small) = i64::try_from(v) {
        return hash_i64(small);
    }
    let m = (v.magnitude() % MODULUS)
        .iter_u64_digits()
        .next()
        .unwrap_or(0) as i64;
    fix(if v.sign() == Sign::Minus { -m } else { m })
}

/// `2**e mod (2**61 - 1)` for any integer `e` (2 has order 61 modulo the prime).
fn pow2_mod(e: i64) -> u64 {
    1u64 << e.rem_euclid(HASH_BITS as i64)
}

/// `_Py_HashDouble` for a finite or infinite `v`; `None` for NaN, which 3.10+ hashes by
/// identity ([`hash_pointer`] of the object).
pub fn hash_f64(v: f64) -> Option<PyHash> {
    if v.is_nan() {
        return None;
    }
    if v.is_infinite() {
        return Some(if v > 0.0 { HASH_INF } else { -HASH_INF });
    }
    // v = mantissa * 2**exp exactly; the hash is that rational's value mod 2**61 - 1,
    // which is what _Py_HashDouble's 28-bits-at-a-time loop computes.
    let bits = v.to_bits();
    let raw_exp = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1 << 52) - 1);
    let (mantissa, exp) = if raw_exp == 0 {
        (frac, -1074)
    } else {
        (frac | (1 << 52), raw_exp - 1075)
    };
    let x = ((mantissa % MODULUS) as u128 * pow2_mod(exp) as u128 % MODULUS as u128) as i64;
    Some(fix(if v.is_sign_negative() { -x } else { x }))
}

/// `_Py_HashPointer`: the address rotated right by 4 bits.
pub fn hash_pointer(addr: usize) -> PyHash {
    fix(addr.rotate_right(4) as i64)
}

const XXPRIME_1: u64 = 11_400_714_785_074_694_791;
const XXPRIME_2: u64 = 14_029_467_366_897_019_727;
const XXPRIME_5: u64 = 2_870_177_450_012_600_261;

/// `tuplehash` (3.8+): xxHash's round over the item hashes, then the length.
pub fn hash_tuple(item_hashes: &[PyHash]) -> PyHash {
    let mut acc = XXPRIME_5;
    for &h in item_hashes {
        acc = acc.wrapping_add((h as u64).wrapping_mul(XXPRIME_2));
        acc = acc.rotate_left(31);
        acc = acc.wrapping_mul(XXPRIME_1);
    }
    acc = acc.wrapping_add(item_hashes.len() as u64 ^ (XXPRIME_5 ^ 3_527_539));
    if acc == u64::MAX {
        return 1_546_275_796;
    }
    acc as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(hash_i64(-1), -2);
        assert_eq!(hash_i64(MODULUS as i64), 0);
        assert_eq!(hash_i64(MODULUS as i64 + 1), 1);
        assert_eq!(hash_f64(1.0), Some(1));
        assert_eq!(hash_f64(-1.0), Some(-2));
        assert_eq!(hash_f64(0.5), Some(1 << 60));
        assert_eq!(hash_f64(-0.0), Some(0));
        assert_eq!(hash_f64(f64::NEG_INFINITY), Some(-HASH_INF));
        assert_eq!(hash_f64(f64::NAN), None);
        let big = BigInt::from(1u8) << 100u32;
        assert_eq!(hash_bigint(&big), hash_f64(2f64.powi(100)).unwrap());
        assert_eq!(
            hash_bigint(&-big.clone()),
            hash_f64(-(2f64.powi(100))).unwrap()
        );
    }

    #[test]
    fn kinds() {
        assert_eq!(pep393_kind("abc"), 1);
        assert_eq!(pep393_kind("é"), 1);
        assert_eq!(pep393_kind("中"), 2);
        assert_eq!(pep393_kind("😀"), 4);
        assert_eq!(pep393_bytes("a中"), vec![0x61, 0, 0x2d, 0x4e]);
        assert_eq!(hash_str(&HashSecret::ZERO, ""), 0);
    }

    #[test]
    fn seeds_differ() {
        assert_eq!(HashSecret::from_seed(0), HashSecret::ZERO);
        assert_ne!(HashSecret::from_seed(1), HashSecret::from_seed(2));
    }
}
