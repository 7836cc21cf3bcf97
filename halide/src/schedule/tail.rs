//! How a split treats an extent its factor does not divide, and the
//! factors of splits and directives.

use crate::convert::IntoExpr;
use crate::error::Result;
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
