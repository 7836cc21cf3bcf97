//! Rust's operators on expressions and variables, with Halide's semantics.
//!
//! `+ - * / %`, unary `-`, `& | ^ << >>` and `!` work between any of
//! [`Expr`], [`Var`], [`RVar`] (owned or borrowed), `&RDom`, `&Param` and Rust scalars. Any scalar type
//! may stand on the right; on the left, `i32` and `f64` (the types of
//! unsuffixed literals, so `2 * x` and `0.5 * x` work).
//! `!` is logical on booleans and bitwise on integers, as in Rust.
//! Comparisons and logical and/or are methods ([`Expr::lt`], [`Expr::and`],
//! ...), since Rust's comparison traits must return `bool`.

use crate::convert::{IntoOperand, Operand, Scalar};
use crate::expr::Expr;
use crate::ffi::shim;
use crate::param::{DynParam, Param};
use crate::rdom::{RDom, RVar};
use crate::var::Var;
use halide_sys::{self as sys, hl_binary_op as Op, hl_unary_op as Un};
use std::ops;

/// Applies a binary operator to two operands with Halide's typing rules.
pub(crate) fn binary<'a, 'b>(op: Op, a: impl IntoOperand<'a>, b: impl IntoOperand<'b>) -> Expr {
    let (a, b) = (a.into_operand(), b.into_operand());
    Expr::build(|| match (&a, &b) {
        (Operand::Expr(a), Operand::Expr(b)) => {
            shim!(sys::hl_expr_binary, op, a.handle()?, b.handle()?)
        }
        (Operand::Expr(e), Operand::Int { value, .. })
        | (Operand::Int { value, .. }, Operand::Expr(e)) => {
            let on_left = matches!(a, Operand::Int { .. });
            shim!(sys::hl_expr_binary_int, op, e.handle()?, *value, on_left)
        }
        (Operand::Expr(e), Operand::Float { value, .. })
        | (Operand::Float { value, .. }, Operand::Expr(e)) => {
            let on_left = matches!(a, Operand::Float { .. });
            shim!(sys::hl_expr_binary_float, op, e.handle()?, *value, on_left)
        }
        // Two scalars: neither side has a type to lend, so each keeps its own.
        _ => {
            let (a, b) = (a.to_expr(), b.to_expr());
            shim!(sys::hl_expr_binary, op, a.handle()?, b.handle()?)
        }
    })
}

/// Applies a unary operator.
pub(crate) fn unary(op: Un, a: &Expr) -> Expr {
    Expr::build(|| shim!(sys::hl_expr_unary, op, a.handle()?))
}

macro_rules! binary_op {
    ([$($gen:tt)*] $lhs:ty, $trait:ident $method:ident $op:ident) => {
        impl<'r, $($gen)* R: IntoOperand<'r>> ops::$trait<R> for $lhs {
            type Output = Expr;
            fn $method(self, rhs: R) -> Expr {
                binary(Op::$op, self, rhs)
            }
        }
    };
}

/// `$gen` is one bracketed token tree of generic parameters, e.g. `[T: Scalar,]`.
macro_rules! binary_ops {
    ($gen:tt $lhs:ty: $($trait:ident $method:ident $op:ident),*) => {$(
        binary_op!($gen $lhs, $trait $method $op);
    )*};
}

macro_rules! scalar_lhs_op {
    ($scalar:ty, [$($gen:tt)*] $rhs:ty) => {
        impl<$($gen)*> ops::Add<$rhs> for $scalar { type Output = Expr; fn add(self, rhs: $rhs) -> Expr { binary(Op::HL_OP_ADD, self, rhs) } }
        impl<$($gen)*> ops::Sub<$rhs> for $scalar { type Output = Expr; fn sub(self, rhs: $rhs) -> Expr { binary(Op::HL_OP_SUB, self, rhs) } }
        impl<$($gen)*> ops::Mul<$rhs> for $scalar { type Output = Expr; fn mul(self, rhs: $rhs) -> Expr { binary(Op::HL_OP_MUL, self, rhs) } }
        impl<$($gen)*> ops::Div<$rhs> for $scalar { type Output = Expr; fn div(self, rhs: $rhs) -> Expr { binary(Op::HL_OP_DIV, self, rhs) } }
        impl<$($gen)*> ops::Rem<$rhs> for $scalar { type Output = Expr; fn rem(self, rhs: $rhs) -> Expr { binary(Op::HL_OP_MOD, self, rhs) } }
        impl<$($gen)*> ops::BitAnd<$rhs> for $scalar { type Output = Expr; fn bitand(self, rhs: $rhs) -> Expr { binary(Op::HL_OP_BIT_AND, self, rhs) } }
        impl<$($gen)*> ops::BitOr<$rhs> for $scalar { type Output = Expr; fn bitor(self, rhs: $rhs) -> Expr { binary(Op::HL_OP_BIT_OR, self, rhs) } }
        impl<$($gen)*> ops::BitXor<$rhs> for $scalar { type Output = Expr; fn bitxor(self, rhs: $rhs) -> Expr { binary(Op::HL_OP_BIT_XOR, self, rhs) } }
        impl<$($gen)*> ops::Shl<$rhs> for $scalar { type Output = Expr; fn shl(self, rhs: $rhs) -> Expr { binary(Op::HL_OP_SHL, self, rhs) } }
        impl<$($gen)*> ops::Shr<$rhs> for $scalar { type Output = Expr; fn shr(self, rhs: $rhs) -> Expr { binary(Op::HL_OP_SHR, self, rhs) } }
    };
}

macro_rules! scalar_lhs_ops {
    ($scalar:ty => $($gen:tt $rhs:ty),*) => {$(
        scalar_lhs_op!($scalar, $gen $rhs);
    )*};
}

macro_rules! unary_ops {
    ([$($gen:tt)*] $t:ty) => {
        impl<$($gen)*> ops::Neg for $t {
            type Output = Expr;
            fn neg(self) -> Expr {
                unary(Un::HL_OP_NEG, &crate::convert::IntoExpr::into_expr(self))
            }
        }

        impl<$($gen)*> ops::Not for $t {
            type Output = Expr;
            /// Logical not of a boolean, bitwise not of an integer.
            fn not(self) -> Expr {
                let e = crate::convert::IntoExpr::into_expr(self);
                let op = match e.type_of() {
                    Ok(t) if !t.is_bool() => Un::HL_OP_BIT_NOT,
                    _ => Un::HL_OP_NOT,
                };
                unary(op, &e)
            }
        }
    };
}

macro_rules! expr_like {
    ($($gen:tt $t:ty),*) => {$(
        binary_ops!($gen $t:
            Add add HL_OP_ADD, Sub sub HL_OP_SUB, Mul mul HL_OP_MUL, Div div HL_OP_DIV, Rem rem HL_OP_MOD,
            BitAnd bitand HL_OP_BIT_AND, BitOr bitor HL_OP_BIT_OR, BitXor bitxor HL_OP_BIT_XOR,
            Shl shl HL_OP_SHL, Shr shr HL_OP_SHR);
        unary_ops!($gen $t);
    )*};
}
expr_like!([] Expr, [] &Expr, [] Var, [] &Var, [T: Scalar,] &Param<T>, [] &DynParam, [] &RDom, [] RVar, [] &RVar);

macro_rules! scalars_lhs {
    ($($s:ty),*) => {$(
        scalar_lhs_ops!($s => [] Expr, [] &Expr, [] Var, [] &Var, [T: Scalar] &Param<T>, [] &DynParam, [] RVar, [] &RVar, [] &RDom);
    )*};
}
// On the left only Rust's literal types: with more, `2 * x` would be
// ambiguous, since Rust falls back to i32/f64 only when nothing competes.
scalars_lhs!(i32, f64);

macro_rules! comparisons {
    ($($(#[$doc:meta])* $name:ident $op:ident),*) => {
        comparisons!(@impl [] Expr; $($(#[$doc])* $name $op),*);
        comparisons!(@impl [] Var; $($(#[$doc])* $name $op),*);
        // Param<T> has them through its Deref to DynParam.
        comparisons!(@impl [] DynParam; $($(#[$doc])* $name $op),*);
        comparisons!(@impl [] RVar; $($(#[$doc])* $name $op),*);
        comparisons!(@impl [] RDom; $($(#[$doc])* $name $op),*);
    };
    (@impl [$($gen:tt)*] $t:ty; $($(#[$doc:meta])* $name:ident $op:ident),*) => {
        /// Comparisons and logical connectives, as methods: Rust's comparison
        /// traits must return `bool`, these return boolean expressions.
        impl<$($gen)*> $t {$(
            $(#[$doc])*
            #[allow(clippy::should_implement_trait)]
            pub fn $name<'a>(&self, rhs: impl IntoOperand<'a>) -> Expr {
                binary(Op::$op, self, rhs)
            }
        )*}
    };
}

comparisons! {
    /// `self == rhs`.
    eq HL_OP_EQ,
    /// `self != rhs`.
    ne HL_OP_NE,
    /// `self < rhs`.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let x = Var::new("x");
    /// assert_eq!(x.lt(3).to_string(), "(x < 3)");
    /// ```
    lt HL_OP_LT,
    /// `self <= rhs`.
    le HL_OP_LE,
    /// `self > rhs`.
    gt HL_OP_GT,
    /// `self >= rhs`.
    ge HL_OP_GE,
    /// Logical `self && rhs` of booleans.
    and HL_OP_AND,
    /// Logical `self || rhs` of booleans.
    or HL_OP_OR
}
