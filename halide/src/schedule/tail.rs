//! How a split treats an extent its factor does not divide, and the
//! factors of splits and directives.

use crate::convert::IntoExpr;
use crate::error::{Error, Result};
use crate::expr::Expr;
use halide_sys as sys;

/// How a split treats an extent its factor does not divide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TailStrategy {
    /// Halide picks one that is safe for this Func.
    #[default]
    Auto,
    /// Rounds the extent up, computing (and for outputs, requiring) extra values.
    RoundUp,
    /// Guards the last iteration with an `if`.
    GuardWithIf,
    /// Predicates the last iteration's loads and stores.
    Predicate,
    /// Predicates only loads.
    PredicateLoads,
    /// Predicates only stores.
    PredicateStores,
    /// Shifts the last iteration back inside the extent, recomputing some values.
    ShiftInwards,
    /// ShiftInwards, blending with the existing values.
    ShiftInwardsAndBlend,
    /// RoundUp, blending with the existing values.
    RoundUpAndBlend,
}

impl TailStrategy {
    pub(crate) fn to_raw(self) -> sys::hl_tail_strategy {
        use sys::hl_tail_strategy as T;
        match self {
            TailStrategy::Auto => T::HL_TAIL_AUTO,
            TailStrategy::RoundUp => T::HL_TAIL_ROUND_UP,
            TailStrategy::GuardWithIf => T::HL_TAIL_GUARD_WITH_IF,
            TailStrategy::Predicate => T::HL_TAIL_PREDICATE,
            TailStrategy::PredicateLoads => T::HL_TAIL_PREDICATE_LOADS,
            TailStrategy::PredicateStores => T::HL_TAIL_PREDICATE_STORES,
            TailStrategy::ShiftInwards => T::HL_TAIL_SHIFT_INWARDS,
            TailStrategy::ShiftInwardsAndBlend => T::HL_TAIL_SHIFT_INWARDS_AND_BLEND,
            TailStrategy::RoundUpAndBlend => T::HL_TAIL_ROUND_UP_AND_BLEND,
        }
    }
}

/// The factor of a split or directive as an expression handle.
pub(crate) fn factor_expr(factor: impl IntoExpr) -> Result<Expr> {
    let e = factor.into_expr();
    e.check()?;
    Ok(e)
}

/// The largest unroll factor accepted. Halide's compile time grows faster
/// than the factor (1024: seconds, 4096: minutes, measured) and 65,536
/// overflows its simplifier's stack, killing the process.
pub const MAX_UNROLL: i64 = 1024;

/// The largest vector width accepted: 4096 lanes compile in seconds; 32,768
/// exhausted the memory of the machine that measured it.
pub const MAX_VECTOR: i64 = 4096;

/// [`factor_expr`] for `directive` (`unroll`, `vectorize`), refusing a
/// constant factor above `limit`, which would take Halide's compiler down.
pub(crate) fn bounded_factor(factor: impl IntoExpr, limit: i64, directive: &str) -> Result<Expr> {
    let e = factor_expr(factor)?;
    // A constant prints as its digits; anything else is Halide's to judge.
    match e.to_string().parse::<i64>() {
        Ok(n) if n > limit => Err(Error::invalid(format!(
            "{directive} by {n} is refused: above {limit} Halide's compiler takes minutes, \
             exhausts memory or overflows its stack; split the loop and {directive} the \
             inner part by less"
        ))),
        _ => Ok(e),
    }
}
