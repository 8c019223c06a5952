//! `list.sort`'s algorithm: a port of CPython 3.11's `listsort` (`Objects/listobject.c`),
//! the adaptive, stable, natural mergesort ("timsort") with the powersort merge policy.
//!
//! The functions mirror their C namesakes one for one: [`count_run`] (a strictly descending
//! run is reversed in place), [`binarysort`], [`merge_compute_minrun`], [`powerloop`],
//! `found_new_run`, `merge_force_collapse`, [`gallop_left`], [`gallop_right`], `merge_lo`
//! and `merge_hi` (with the `min_gallop` adaptation, `MIN_GALLOP` 7) and `merge_at`. Only
//! `ISLT`, the `<` comparison, is ever asked, in the same order and on the same operands as
//! CPython asks it, so that an inconsistent `<` (float NaN) leaves the same order as CPython
//! does. Pointers become indices into the slice being sorted; the merge temp array is a
//! `Vec` (CPython's 256-slot stack array and `merge_getmem` only change where it lives).
//!
//! The first error from a comparison stops the sort and is returned. [`sort_by_lt`] then
//! leaves the vector unchanged (it sorts a permutation of indices and applies it only on
//! success); [`listsort`] itself leaves its slice in some permuted state, as CPython does.

/// While galloping, a run must win at least this many times in a row to stay galloping.
const MIN_GALLOP: usize = 7;

/// The largest minimum run length (a power of 2).
const MAX_MINRUN: usize = 64;

/// Sort `v` stably by `lt` (CPython's `<`), as `list.sort()` does, leaving `v` unchanged if
/// a comparison fails. The items are never cloned: the sort runs on indices.
pub fn sort_by_lt<T, E>(
    v: &mut [T],
    mut lt: impl FnMut(&T, &T) -> Result<bool, E>,
) -> Result<(), E> {
    let mut perm: Vec<usize> = (0..v.len()).collect();
    listsort(&mut perm, |&i, &j| lt(&v[i], &v[j]))?;
    // Apply the permutation (new[k] = old[perm[k]]) one cycle at a time, by swaps.
    let mut done = vec![false; v.len()];
    for start in 0..v.len() {
        let mut j = start;
        while !done[j] {
            done[j] = true;
            let next = perm[j];
            if next == start {
                break;
            }
            v.swap(j, next);
            j = next;
        }
    }
    Ok(())
}

/// A pending run: `a[base..base + len]`, and its node "level" for powersort.
#[derive(Clone, Copy, Debug)]
struct Run {
    base: usize,
    len: usize,
    power: u32,
}

/// `MergeState`: the comparison, `min_gallop`, the pending-run stack and the temp array.
struct MergeState<T, F> {
    lt: F,
    min_gallop: usize,
    listlen: usize,
    pending: Vec<Run>,
    tmp: Vec<T>,
}

/// Where a merge's `goto` leads: `Succeed` (copy what is left of the temp run back) or the
/// `CopyA` / `CopyB` tail (one element of the temp run left, which belongs at the end).
enum Exit {
    Succeed,
    CopyTail,
}

/// `listsort` (without key functions or `reverse`): sort `a` in place by `lt`.
pub fn listsort<T: Copy, E>(
    a: &mut [T],
    lt: impl FnMut(&T, &T) -> Result<bool, E>,
) -> Result<(), E> {
    let n = a.len();
    if n < 2 {
        return Ok(());
    }
    let mut ms = MergeState {
        lt,
        min_gallop: MIN_GALLOP,
        listlen: n,
        pending: Vec::new(),
        tmp: Vec::new(),
    };
    let minrun = merge_compute_minrun(n);
    let mut lo = 0;
    let mut nremaining = n;
    while nremaining > 0 {
        // Identify the next run.
        let (mut run, descending) = count_run(&mut ms.lt, a, lo, lo + nremaining)?;
        if descending {
            a[lo..lo + run].reverse();
        }
        // If short, extend to min(minrun, nremaining).
        if run < minrun {
            let force = nremaining.min(minrun);
            binarysort(&mut ms.lt, a, lo, lo + force, lo + run)?;
            run = force;
        }
        // Maybe merge pending runs, then push the new one.
        ms.found_new_run(a, run)?;
        ms.pending.push(Run {
            base: lo,
            len: run,
            power: 0,
        });
        lo += run;
        nremaining -= run;
    }
    ms.merge_force_collapse(a)
}

/// `merge_compute_minrun`: `n` itself below `MAX_MINRUN`, else a `k` in
/// `MAX_MINRUN / 2 ..= MAX_MINRUN` with `n / k` just below a power of 2.
pub fn merge_compute_minrun(mut n: usize) -> usize {
    let mut r = 0; // becomes 1 if any 1 bits are shifted off
    while n >= MAX_MINRUN {
        r |= n & 1;
        n >>= 1;
    }
    n + r
}

/// `count_run` (3.11): the length of the run starting at `a[lo]` within `a[lo..hi]`, and
/// whether it is strictly descending (the caller reverses it). `lo < hi`.
pub fn count_run<T, E>(
    lt: &mut impl FnMut(&T, &T) -> Result<bool, E>,
    a: &[T],
    lo: usize,
    hi: usize,
) -> Result<(usize, bool), E> {
    debug_assert!(lo < hi);
    let mut i = lo + 1;
    if i == hi {
        return Ok((1, false));
    }
    let mut n = 2;
    if lt(&a[i], &a[i - 1])? {
        i += 1;
        while i < hi {
            if !lt(&a[i], &a[i - 1])? {
                break;
            }
            i += 1;
            n += 1;
        }
        Ok((n, true))
    } else {
        i += 1;
        while i < hi {
            if lt(&a[i], &a[i - 1])? {
                break;
            }
            i += 1;
            n += 1;
        }
        Ok((n, false))
    }
}

/// `binarysort` (3.11): sort `a[lo..hi]` by stable binary insertion, `a[lo..start]` being
/// already sorted.
pub fn binarysort<T: Copy, E>(
    lt: &mut impl FnMut(&T, &T) -> Result<bool, E>,
    a: &mut [T],
    lo: usize,
    hi: usize,
    mut start: usize,
) -> Result<(), E> {
    debug_assert!(lo <= start && start <= hi);
    if lo == start {
        start += 1;
    }
    while start < hi {
        // Set l to where a[start] belongs: pivot >= all in a[lo..l], < all in a[r..start].
        let mut l = lo;
        let mut r = start;
        let pivot = a[start];
        loop {
            let p = l + ((r - l) >> 1);
            if lt(&pivot, &a[p])? {
                r = p;
            } else {
                l = p + 1;
            }
            if l >= r {
                break;
            }
        }
        // Slide a[l..start] one slot right to make room.
        a.copy_within(l..start, l + 1);
        a[l] = pivot;
        start += 1;
    }
    Ok(())
}

/// `gallop_left`: the `k` in `0..=a.len()` with `a[k-1] < key <= a[k]`, searching from
/// `hint` (`a` non-empty, `hint < a.len()`).
pub fn gallop_left<T, E>(
    lt: &mut impl FnMut(&T, &T) -> Result<bool, E>,
    key: &T,
    a: &[T],
    hint: usize,
) -> Result<usize, E> {
    let n = a.len() as isize;
    let hint = hint as isize;
    debug_assert!(n > 0 && 0 <= hint && hint < n);
    let at = |i: isize| &a[i as usize];
    let mut lastofs: isize = 0;
    let mut ofs: isize = 1;
    if lt(at(hint), key)? {
        // a[hint] < key: gallop right until a[hint + lastofs] < key <= a[hint + ofs].
        let maxofs = n - hint;
        while ofs < maxofs {
            if lt(at(hint + ofs), key)? {
                lastofs = ofs;
                ofs = (ofs << 1) + 1;
            } else {
                break;
            }
        }
        ofs = ofs.min(maxofs);
        lastofs += hint;
        ofs += hint;
    } else {
        // key <= a[hint]: gallop left until a[hint - ofs] < key <= a[hint - lastofs].
        let maxofs = hint + 1;
        while ofs < maxofs {
            if lt(at(hint - ofs), key)? {
                break;
            }
            lastofs = ofs;
            ofs = (ofs << 1) + 1;
        }
        ofs = ofs.min(maxofs);
        let k = lastofs;
        lastofs = hint - ofs;
        ofs = hint - k;
    }
    debug_assert!(-1 <= lastofs && lastofs < ofs && ofs <= n);
    // Binary search with invariant a[lastofs - 1] < key <= a[ofs].
    lastofs += 1;
    while lastofs < ofs {
        let m = lastofs + ((ofs - lastofs) >> 1);
        if lt(at(m), key)? {
            lastofs = m + 1;
        } else {
            ofs = m;
        }
    }
    Ok(ofs as usize)
}

/// `gallop_right`: like [`gallop_left`] but the `k` with `a[k-1] <= key < a[k]` (to the
/// right of any equal elements).
pub fn gallop_right<T, E>(
    lt: &mut impl FnMut(&T, &T) -> Result<bool, E>,
    key: &T,
    a: &[T],
    hint: usize,
) -> Result<usize, E> {
    let n = a.len() as isize;
    let hint = hint as isize;
    debug_assert!(n > 0 && 0 <= hint && hint < n);
    let at = |i: isize| &a[i as usize];
    let mut lastofs: isize = 0;
    let mut ofs: isize = 1;
    if lt(key, at(hint))? {
        // key < a[hint]: gallop left until a[hint - ofs] <= key < a[hint - lastofs].
        let maxofs = hint + 1;
        while ofs < maxofs {
            if lt(key, at(hint - ofs))? {
                lastofs = ofs;
                ofs = (ofs << 1) + 1;
            } else {
                break;
            }
        }
        ofs = ofs.min(maxofs);
        let k = lastofs;
        lastofs = hint - ofs;
        ofs = hint - k;
    } else {
        // a[hint] <= key: gallop right until a[hint + lastofs] <= key < a[hint + ofs].
        let maxofs = n - hint;
        while ofs < maxofs {
            if lt(key, at(hint + ofs))? {
                break;
            }
            lastofs = ofs;
            ofs = (ofs << 1) + 1;
        }
        ofs = ofs.min(maxofs);
        lastofs += hint;
        ofs += hint;
    }
    debug_assert!(-1 <= lastofs && lastofs < ofs && ofs <= n);
    // Binary search with invariant a[lastofs - 1] <= key < a[ofs].
    lastofs += 1;
    while lastofs < ofs {
        let m = lastofs + ((ofs - lastofs) >> 1);
        if lt(key, at(m))? {
            ofs = m;
        } else {
            lastofs = m + 1;
        }
    }
    Ok(ofs as usize)
}

/// `powerloop`: the "power" of the run `s1..s1 + n1` followed by one of length `n2`, in a
/// list of length `n` (the depth of their boundary in a conceptual binary merge tree).
pub fn powerloop(s1: usize, n1: usize, n2: usize, n: usize) -> u32 {
    debug_assert!(n1 > 0 && n2 > 0 && s1 + n1 + n2 <= n);
    let mut result = 0;
    // 2 * the midpoints of the two runs; emulate a/n and b/n one bit at a time until the
    // bits differ.
    let mut a = 2 * s1 + n1;
    let mut b = a + n1 + n2;
    loop {
        result += 1;
        if a >= n {
            // both quotient bits are 1
            a -= n;
            b -= n;
        } else if b >= n {
            // a/n bit is 0, b/n bit is 1
            break;
        }
        a <<= 1;
        b <<= 1;
    }
    result
}

impl<T: Copy, E, F: FnMut(&T, &T) -> Result<bool, E>> MergeState<T, F> {
    /// `found_new_run`: a run of length `n2` follows the topmost pending one; merge the
    /// pending runs whose power is greater than the new boundary's, then record its power.
    /// The caller pushes the new run.
    fn found_new_run(&mut self, a: &mut [T], n2: usize) -> Result<(), E> {
        if let Some(top) = self.pending.last() {
            let power = powerloop(top.base, top.len, n2, self.listlen);
            while self.pending.len() > 1 && self.pending[self.pending.len() - 2].power > power {
                self.merge_at(a, self.pending.len() - 2)?;
            }
            let last = self.pending.len() - 1;
            self.pending[last].power = power;
        }
        Ok(())
    }

    /// `merge_force_collapse`: merge all pending runs down to one.
    fn merge_force_collapse(&mut self, a: &mut [T]) -> Result<(), E> {
        while self.pending.len() > 1 {
            let p = &self.pending;
            let mut n = p.len() - 2;
            if n > 0 && p[n - 1].len < p[n + 1].len {
                n -= 1;
            }
            self.merge_at(a, n)?;
        }
        Ok(())
    }

    /// `merge_at`: merge the pending runs `i` and `i + 1` (`i` is the second- or third-last).
    fn merge_at(&mut self, a: &mut [T], i: usize) -> Result<(), E> {
        let Run {
            base: mut base_a,
            len: mut na,
            ..
        } = self.pending[i];
        let Run {
            base: base_b,
            len: mut nb,
            ..
        } = self.pending[i + 1];
        debug_assert!(na > 0 && nb > 0 && base_a + na == base_b);
        // Record the combined length; run i + 1 goes (a third-last merge slides the last
        // run, power included, down one slot).
        self.pending[i].len = na + nb;
        self.pending.remove(i + 1);

        // Where does b start in a? Elements of a before that are already in place.
        let key = a[base_b];
        let k = gallop_right(&mut self.lt, &key, &a[base_a..base_a + na], 0)?;
        base_a += k;
        na -= k;
        if na == 0 {
            return Ok(());
        }
        // Where does a end in b? Elements of b after that are already in place.
        let key = a[base_a + na - 1];
        nb = gallop_left(&mut self.lt, &key, &a[base_b..base_b + nb], nb - 1)?;
        if nb == 0 {
            return Ok(());
        }
        if na <= nb {
            self.merge_lo(a, base_a, na, base_b, nb)
        } else {
            self.merge_hi(a, base_a, na, base_b, nb)
        }
    }

    /// `merge_lo`: merge `a[pa..pa + na]` and the adjacent `a[pb..pb + nb]` in place, with a
    /// temp copy of the first run (`na <= nb`; its last element belongs at the end).
    fn merge_lo(
        &mut self,
        a: &mut [T],
        base_a: usize,
        mut na: usize,
        mut pb: usize,
        mut nb: usize,
    ) -> Result<(), E> {
        debug_assert!(na > 0 && nb > 0 && base_a + na == pb);
        self.tmp.clear();
        self.tmp.extend_from_slice(&a[base_a..base_a + na]);
        let tmp = &self.tmp;
        let lt = &mut self.lt;
        let mut pa = 0; // into tmp
        let mut dest = base_a;

        a[dest] = a[pb];
        dest += 1;
        pb += 1;
        nb -= 1;
        let exit = 'merge: {
            if nb == 0 {
                break 'merge Exit::Succeed;
            }
            if na == 1 {
                break 'merge Exit::CopyTail;
            }
            let mut min_gallop = self.min_gallop;
            loop {
                let mut acount = 0; // times a won in a row
                let mut bcount = 0; // times b won in a row
                // The straightforward merge, until one run seems to win consistently.
                loop {
                    debug_assert!(na > 1 && nb > 0);
                    if lt(&a[pb], &tmp[pa])? {
                        a[dest] = a[pb];
                        dest += 1;
                        pb += 1;
                        bcount += 1;
                        acount = 0;
                        nb -= 1;
                        if nb == 0 {
                            break 'merge Exit::Succeed;
                        }
                        if bcount >= min_gallop {
                            break;
                        }
                    } else {
                        a[dest] = tmp[pa];
                        dest += 1;
                        pa += 1;
                        acount += 1;
                        bcount = 0;
                        na -= 1;
                        if na == 1 {
                            break 'merge Exit::CopyTail;
                        }
                        if acount >= min_gallop {
                            break;
                        }
                    }
                }
                // Gallop until neither run wins consistently any more.
                min_gallop += 1;
                loop {
                    debug_assert!(na > 1 && nb > 0);
                    min_gallop -= (min_gallop > 1) as usize;
                    self.min_gallop = min_gallop;
                    let k = gallop_right(lt, &a[pb], &tmp[pa..pa + na], 0)?;
                    acount = k;
                    if k > 0 {
                        a[dest..dest + k].copy_from_slice(&tmp[pa..pa + k]);
                        dest += k;
                        pa += k;
                        na -= k;
                        if na == 1 {
                            break 'merge Exit::CopyTail;
                        }
                        // Impossible if `<` is consistent, but it need not be.
                        if na == 0 {
                            break 'merge Exit::Succeed;
                        }
                    }
                    a[dest] = a[pb];
                    dest += 1;
                    pb += 1;
                    nb -= 1;
                    if nb == 0 {
                        break 'merge Exit::Succeed;
                    }

                    let k = gallop_left(lt, &tmp[pa], &a[pb..pb + nb], 0)?;
                    bcount = k;
                    if k > 0 {
                        a.copy_within(pb..pb + k, dest);
                        dest += k;
                        pb += k;
                        nb -= k;
                        if nb == 0 {
                            break 'merge Exit::Succeed;
                        }
                    }
                    a[dest] = tmp[pa];
                    dest += 1;
                    pa += 1;
                    na -= 1;
                    if na == 1 {
                        break 'merge Exit::CopyTail;
                    }
                    if acount < MIN_GALLOP && bcount < MIN_GALLOP {
                        break;
                    }
                }
                min_gallop += 1; // penalize it for leaving galloping mode
                self.min_gallop = min_gallop;
            }
        };
        match exit {
            Exit::Succeed => {
                a[dest..dest + na].copy_from_slice(&tmp[pa..pa + na]);
            }
            Exit::CopyTail => {
                // CopyB: the last element of the first run belongs at the end.
                debug_assert!(na == 1 && nb > 0);
                a.copy_within(pb..pb + nb, dest);
                a[dest + nb] = tmp[pa];
            }
        }
        Ok(())
    }

    /// `merge_hi`: merge `a[base_a..base_a + na]` and the adjacent `a[base_b..base_b + nb]`
    /// in place from the right, with a temp copy of the second run (`na >= nb`). Positions
    /// are kept as exclusive ends (C's pointers to the last element, plus one).
    fn merge_hi(
        &mut self,
        a: &mut [T],
        base_a: usize,
        mut na: usize,
        base_b: usize,
        mut nb: usize,
    ) -> Result<(), E> {
        debug_assert!(na > 0 && nb > 0 && base_a + na == base_b);
        self.tmp.clear();
        self.tmp.extend_from_slice(&a[base_b..base_b + nb]);
        let tmp = &self.tmp;
        let lt = &mut self.lt;
        let mut dest = base_b + nb; // a[dest - 1] is the next slot to fill
        let mut pa = base_a + na; // a[pa - 1] is the last unmerged element of run a
        let mut pb = nb; // tmp[pb - 1] is the last unmerged element of run b

        a[dest - 1] = a[pa - 1];
        dest -= 1;
        pa -= 1;
        na -= 1;
        let exit = 'merge: {
            if na == 0 {
                break 'merge Exit::Succeed;
            }
            if nb == 1 {
                break 'merge Exit::CopyTail;
            }
            let mut min_gallop = self.min_gallop;
            loop {
                let mut acount = 0; // times a won in a row
                let mut bcount = 0; // times b won in a row
                // The straightforward merge, until one run seems to win consistently.
                loop {
                    debug_assert!(na > 0 && nb > 1);
                    if lt(&tmp[pb - 1], &a[pa - 1])? {
                        a[dest - 1] = a[pa - 1];
                        dest -= 1;
                        pa -= 1;
                        acount += 1;
                        bcount = 0;
                        na -= 1;
                        if na == 0 {
                            break 'merge Exit::Succeed;
                        }
                        if acount >= min_gallop {
                            break;
                        }
                    } else {
                        a[dest - 1] = tmp[pb - 1];
                        dest -= 1;
                        pb -= 1;
                        bcount += 1;
                        acount = 0;
                        nb -= 1;
                        if nb == 1 {
                            break 'merge Exit::CopyTail;
                        }
                        if bcount >= min_gallop {
                            break;
                        }
                    }
                }
                // Gallop until neither run wins consistently any more.
                min_gallop += 1;
                loop {
                    debug_assert!(na > 0 && nb > 1);
                    min_gallop -= (min_gallop > 1) as usize;
                    self.min_gallop = min_gallop;
                    let k = gallop_right(lt, &tmp[pb - 1], &a[base_a..base_a + na], na - 1)?;
                    let k = na - k;
                    acount = k;
                    if k > 0 {
                        dest -= k;
                        pa -= k;
                        a.copy_within(pa..pa + k, dest);
                        na -= k;
                        if na == 0 {
                            break 'merge Exit::Succeed;
                        }
                    }
                    a[dest - 1] = tmp[pb - 1];
                    dest -= 1;
                    pb -= 1;
                    nb -= 1;
                    if nb == 1 {
                        break 'merge Exit::CopyTail;
                    }

                    let k = gallop_left(lt, &a[pa - 1], &tmp[..nb], nb - 1)?;
                    let k = nb - k;
                    bcount = k;
                    if k > 0 {
                        dest -= k;
                        pb -= k;
                        a[dest..dest + k].copy_from_slice(&tmp[pb..pb + k]);
                        nb -= k;
                        if nb == 1 {
                            break 'merge Exit::CopyTail;
                        }
                        // Impossible if `<` is consistent, but it need not be.
                        if nb == 0 {
                            break 'merge Exit::Succeed;
                        }
                    }
                    a[dest - 1] = a[pa - 1];
                    dest -= 1;
                    pa -= 1;
                    na -= 1;
                    if na == 0 {
                        break 'merge Exit::Succeed;
                    }
                    if acount < MIN_GALLOP && bcount < MIN_GALLOP {
                        break;
                    }
                }
                min_gallop += 1; // penalize it for leaving galloping mode
                self.min_gallop = min_gallop;
            }
        };
        match exit {
            Exit::Succeed => {
                a[dest - nb..dest].copy_from_slice(&tmp[..nb]);
            }
            Exit::CopyTail => {
                // CopyA: the first element of the second run belongs at the front.
                debug_assert!(nb == 1 && na > 0);
                a.copy_within(pa - na..pa, dest - na);
                dest -= na;
                a[dest - 1] = tmp[pb - 1];
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// splitmix64: a small seeded generator.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    /// Keys of one of several shapes: random, few distinct values, ascending / descending
    /// runs (strict and with duplicates), sawtooth, nearly sorted.
    fn keys(rng: &mut Rng, len: usize) -> Vec<i64> {
        let shape = rng.below(8);
        let mut v: Vec<i64> = match shape {
            0 => (0..len).map(|_| rng.next() as i64).collect(),
            1 => (0..len).map(|_| rng.below(4) as i64).collect(),
            2 => (0..len).map(|i| i as i64).collect(),
            3 => (0..len).map(|i| -(i as i64)).collect(),
            4 => (0..len).map(|i| (len - i) as i64 / 3).collect(),
            _ => Vec::new(),
        };
        if shape >= 5 {
            // Runs of random lengths, each ascending, strictly descending or descending with
            // duplicates.
            while v.len() < len {
                let run = (1 + rng.below(200) as usize).min(len - v.len());
                let start = rng.below(1000) as i64;
                let kind = rng.below(3);
                for j in 0..run as i64 {
                    v.push(match kind {
                        0 => start + j,
                        1 => start - j,
                        _ => start - j / 2,
                    });
                }
            }
        }
        if shape == 7 {
            // A few swaps on top.
            for _ in 0..len / 50 + 1 {
                if len > 1 {
                    let (i, j) = (rng.below(len as u64), rng.below(len as u64));
                    v.swap(i as usize, j as usize);
                }
            }
        }
        v
    }

    fn lt_key(a: &(i64, usize), b: &(i64, usize)) -> Result<bool, ()> {
        Ok(a.0 < b.0)
    }

    #[test]
    fn equals_rust_stable_sort_on_keyed_pairs() {
        let mut rng = Rng(0x5EED);
        let mut len = 0;
        while len < 2000 {
            for _ in 0..3 {
                let ks = keys(&mut rng, len);
                let v: Vec<(i64, usize)> = ks.into_iter().zip(0..).collect();
                let mut want = v.clone();
                want.sort_by_key(|p| p.0);
                let mut got = v.clone();
                listsort(&mut got, lt_key).unwrap();
                assert_eq!(got, want, "listsort, len {len}");
                let mut got = v;
                sort_by_lt(&mut got, lt_key).unwrap();
                assert_eq!(got, want, "sort_by_lt, len {len}");
            }
            len += 1 + len / 16;
        }
    }

    #[test]
    fn equals_rust_sort_on_plain_ints() {
        let mut rng = Rng(42);
        for len in [
            0, 1, 2, 3, 63, 64, 65, 127, 128, 129, 1000, 1999, 4096, 10_000,
        ] {
            for _ in 0..4 {
                let v = keys(&mut rng, len);
                let mut want = v.clone();
                want.sort();
                let mut got = v;
                listsort(&mut got, |a, b| Ok::<_, ()>(a < b)).unwrap();
                assert_eq!(got, want, "len {len}");
            }
        }
    }

    #[test]
    fn nan_order_matches_cpython() {
        // python3.11: sorted([2.0, 1.0, float('nan'), 0.5]) == [0.5, 1.0, 2.0, nan]
        let mut v = vec![2.0, 1.0, f64::NAN, 0.5];
        sort_by_lt(&mut v, |a: &f64, b: &f64| Ok::<_, ()>(a < b)).unwrap();
        assert_eq!(format!("{v:?}"), "[0.5, 1.0, 2.0, NaN]");
        // python3.11: sorted([3.0, 1.0, nan, 2.0, 0.0, nan, -1.0, 5.0, 4.0])
        //   == [-1.0, 0.0, 1.0, 2.0, 3.0, nan, nan, 4.0, 5.0]
        let n = f64::NAN;
        let mut v = vec![3.0, 1.0, n, 2.0, 0.0, n, -1.0, 5.0, 4.0];
        sort_by_lt(&mut v, |a: &f64, b: &f64| Ok::<_, ()>(a < b)).unwrap();
        assert_eq!(
            format!("{v:?}"),
            "[-1.0, 0.0, 1.0, 2.0, 3.0, NaN, NaN, 4.0, 5.0]"
        );
    }

    #[test]
    fn first_error_stops_and_leaves_the_vector_unchanged() {
        let mut rng = Rng(7);
        for len in [2usize, 10, 100, 1000] {
            let v: Vec<i64> = (0..len).map(|_| rng.below(100) as i64).collect();
            for fail_at in [0usize, 1, len / 2, len * 3] {
                let mut got = v.clone();
                let mut calls = 0;
                let r = sort_by_lt(&mut got, |a, b| {
                    calls += 1;
                    if calls > fail_at {
                        Err(calls)
                    } else {
                        Ok(a < b)
                    }
                });
                if let Err(c) = r {
                    assert_eq!(c, fail_at + 1, "the first error is returned");
                    assert_eq!(calls, fail_at + 1, "no comparison after the error");
                    assert_eq!(got, v, "unchanged after an error");
                } else {
                    let mut want = v.clone();
                    want.sort();
                    assert_eq!(got, want);
                }
            }
        }
    }

    #[test]
    fn minrun_and_power() {
        assert_eq!(merge_compute_minrun(0), 0);
        assert_eq!(merge_compute_minrun(63), 63);
        assert_eq!(merge_compute_minrun(64), 32);
        assert_eq!(merge_compute_minrun(65), 33);
        assert_eq!(merge_compute_minrun(300_000), 37);
        assert_eq!(merge_compute_minrun(1 << 20), 32);
        // Two halves of a list meet at the root; quarters one level down.
        assert_eq!(powerloop(0, 50, 50, 100), 1);
        assert_eq!(powerloop(0, 25, 25, 100), 2);
        assert_eq!(powerloop(50, 25, 25, 100), 2);
        assert_eq!(powerloop(0, 10, 10, 100), 3);
    }

    #[test]
    fn descending_runs_are_reversed_in_place() {
        let mut lt = |a: &i64, b: &i64| Ok::<_, ()>(a < b);
        assert_eq!(count_run(&mut lt, &[3, 2, 1, 1, 0], 0, 5), Ok((3, true)));
        assert_eq!(count_run(&mut lt, &[1, 1, 2, 0], 0, 4), Ok((3, false)));
        assert_eq!(count_run(&mut lt, &[5], 0, 1), Ok((1, false)));
    }
}
