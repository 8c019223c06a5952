//! The limits of a run: steps (statements, loop iterations, items a builtin walks), memory
//! (pymalloc's arenas plus large blocks) and recursion depth. CPython has no step or memory
//! limit; its recursion limit is `Py_EnterRecursiveCall` / `_Py_CheckRecursiveCall`
//! (`Python/ceval.c`), which counts Python frames and C-level recursion (repr, comparisons)
//! against one `sys.getrecursionlimit()`.

use super::*;

impl Interp<'_> {
    /// Take one step: a statement, a loop iteration, an item a builtin walks. Every 1024th
    /// step also checks the memory limit.
    #[inline]
    pub(crate) fn step(&mut self) -> R<()> {
        self.steps += 1;
        if self.steps > self.limits.max_steps {
            return Err(Fault::Steps(self.limits.max_steps));
        }
        if self.steps & 1023 == 0 {
            self.check_memory(0)?;
        }
        Ok(())
    }

    /// Charge `n` steps for work a builtin does in a loop.
    #[inline]
    pub(crate) fn charge(&mut self, n: usize) -> R<()> {
        self.steps = self.steps.saturating_add(n as u64);
        if self.steps > self.limits.max_steps {
            return Err(Fault::Steps(self.limits.max_steps));
        }
        Ok(())
    }

    /// Fail if the memory in use plus `extra` bytes passes the limit.
    pub(crate) fn check_memory(&self, extra: u128) -> R<()> {
        let used = footprint() as u128;
        if used + extra > self.limits.max_memory as u128 {
            return Err(Fault::Memory(format!(
                "{} bytes in use{}",
                used,
                if extra > 0 {
                    format!(", {extra} more requested")
                } else {
                    String::new()
                }
            )));
        }
        Ok(())
    }

    /// Bytes left under the memory limit, for operations that size their result first.
    pub(crate) fn mem_budget(&self) -> usize {
        self.limits.max_memory.saturating_sub(footprint())
    }

    /// Charge steps for big-int arithmetic by its cost (a multiplication of n-word numbers
    /// costs about n^1.6 word operations), so a single `2 ** 10**9` meets the step limit
    /// instead of running for minutes.
    pub(super) fn charge_bigint(&mut self, op: BinOp, a: &Obj, b: &Obj) -> R<()> {
        // Machine-word operands cost nothing here: only a power can outgrow them.
        if op != BinOp::Pow && ops::machine_ints(a, b).is_some() {
            return Ok(());
        }
        let (Some(x), Some(y)) = (ops::int_value(a), ops::int_value(b)) else {
            return Ok(());
        };
        let words = |bits: u64| (bits / 64 + 1) as f64;
        let cost = match op {
            BinOp::Mul | BinOp::FloorDiv | BinOp::Mod | BinOp::Div => {
                let n = words(x.bits().max(y.bits()));
                if n < 64.0 { 0.0 } else { n.powf(1.6) / 1024.0 }
            }
            BinOp::Pow
                if y.sign() == num_bigint::Sign::Plus
                    && u64::try_from(&y).is_err()
                    && x.bits() > 1 =>
            {
                return Err(Fault::Memory(format!(
                    "an int power with a {}-bit exponent",
                    y.bits()
                )));
            }
            BinOp::Pow => match u64::try_from(&y) {
                Ok(e) if x.bits() > 1 => {
                    // The memory limit speaks first: the result needs bits(x) * e bits.
                    self.check_memory(x.bits() as u128 * e as u128 / 8)?;
                    let n = words(x.bits().saturating_mul(e));
                    if n < 64.0 { 0.0 } else { n.powf(1.6) / 512.0 }
                }
                _ => 0.0,
            },
            _ => {
                let n = words(x.bits().max(y.bits()));
                if n < 4096.0 { 0.0 } else { n / 64.0 }
            }
        };
        if cost >= 1.0 {
            self.charge(cost.min(u64::MAX as f64 / 2.0) as usize)?;
        }
        Ok(())
    }

    pub(super) fn enter(&mut self) -> R<()> {
        if self.depth >= self.limits.recursion_limit {
            return Err(exc(
                ExcKind::RecursionError,
                "maximum recursion depth exceeded",
            ));
        }
        self.set_depth(self.depth + 1);
        Ok(())
    }

    /// Leave a frame entered by [`Self::enter`].
    pub(super) fn leave(&mut self) {
        self.set_depth(self.depth - 1);
    }

    /// The Python frames in use; what the recursion limit leaves of them bounds the C-level
    /// recursion of repr and comparisons (CPython counts both against one limit).
    pub(super) fn set_depth(&mut self, depth: usize) {
        self.depth = depth;
        crate::types::ops::set_recursion_headroom(
            self.limits.recursion_limit.saturating_sub(depth),
        );
    }
}
