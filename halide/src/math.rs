//! Functions on expressions: `min`, `max`, `select`.

use crate::expr::{Expr, ExprHandle, IntoOperand, binary};
use halide_sys as sys;

/// The smaller of two values, with Halide's type promotion.
///
/// ```
/// use halide::prelude::*;
/// let x = Var::new("x");
/// assert_eq!(min(&x, 10).to_string(), "min(x, 10)");
/// ```
pub fn min<'a, 'b>(a: impl IntoOperand<'a>, b: impl IntoOperand<'b>) -> Expr {
    binary(sys::hl_binary_op::HL_OP_MIN, a, b)
}

/// The larger of two values, with Halide's type promotion.
pub fn max<'a, 'b>(a: impl IntoOperand<'a>, b: impl IntoOperand<'b>) -> Expr {
    binary(sys::hl_binary_op::HL_OP_MAX, a, b)
}

/// `if_true` where `condition` holds, else `if_false`. The condition must be
/// boolean; the values are matched to a common type.
///
/// ```
/// use halide::prelude::*;
/// let x = Var::new("x");
/// let e = select(x.lt(0), 0, &x);
/// assert_eq!(e.to_string(), "select(x < 0, 0, x)");
/// ```
pub fn select<'a, 'b, 'c>(
    condition: impl IntoOperand<'a>,
    if_true: impl IntoOperand<'b>,
    if_false: impl IntoOperand<'c>,
) -> Expr {
    // Halide's select itself gives integer literals the other branch's type.
    let (c, t, f) = (
        condition.into_operand().to_expr(),
        if_true.into_operand().to_expr(),
        if_false.into_operand().to_expr(),
    );
    Expr::build(|| {
        let (c, t, f) = (c.handle()?, t.handle()?, f.handle()?);
        // SAFETY: all three are live expressions.
        ExprHandle::new(|err| unsafe {
            sys::hl_expr_select(c.as_ptr(), t.as_ptr(), f.as_ptr(), err)
        })
    })
}
