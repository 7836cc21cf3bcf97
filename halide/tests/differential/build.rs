//! Builds the random expressions with the `halide` API, through the same
//! operators, methods and functions a user would call.

use crate::ast::{Bin, Lit, Node, Un};
use crate::ty::{NUMERIC, Ty, Val};
use halide::math::{
    abs, absd, ceil, clamp, count_leading_zeros, count_trailing_zeros, floor, fract, halving_add,
    halving_sub, is_finite, is_inf, is_nan, mul_shift_right, mux, popcount, reinterpret, round,
    rounding_halving_add, rounding_mul_shift_right, saturating_add, saturating_cast,
    saturating_sub, sqrt, trunc, widening_add, widening_mul, widening_sub,
};
use halide::prelude::*;
use halide::{Arg, Input, IntoArg};

/// Runs `$body` with `$t` the Rust type of `$ty`.
macro_rules! by_type {
    ($ty:expr, $t:ident => $body:expr) => {
        match $ty {
            Ty::Bool => {
                type $t = bool;
                $body
            }
            Ty::I8 => {
                type $t = i8;
                $body
            }
            Ty::I16 => {
                type $t = i16;
                $body
            }
            Ty::I32 => {
                type $t = i32;
                $body
            }
            Ty::I64 => {
                type $t = i64;
                $body
            }
            Ty::U8 => {
                type $t = u8;
                $body
            }
            Ty::U16 => {
                type $t = u16;
                $body
            }
            Ty::U32 => {
                type $t = u32;
                $body
            }
            Ty::U64 => {
                type $t = u64;
                $body
            }
            Ty::F32 => {
                type $t = f32;
                $body
            }
            Ty::F64 => {
                type $t = f64;
                $body
            }
        }
    };
}

/// A Rust value of each type from a reference value.
pub trait FromVal: Sized {
    fn from_val(v: Val) -> Self;
}

macro_rules! from_val {
    (int: $($t:ty),*; float: $($f:ty),*) => {
        $(impl FromVal for $t {
            fn from_val(v: Val) -> Self { v.int() as $t }
        })*
        $(impl FromVal for $f {
            fn from_val(v: Val) -> Self { v.float() as $f }
        })*
    };
}
from_val!(int: i8, i16, i32, i64, u8, u16, u32, u64; float: f32, f64);

impl FromVal for bool {
    fn from_val(v: Val) -> Self {
        v.bool()
    }
}

/// The pipeline's inputs: one `Param` of each numeric type.
pub struct Params {
    i8: Param<i8>,
    i16: Param<i16>,
    i32: Param<i32>,
    i64: Param<i64>,
    u8: Param<u8>,
    u16: Param<u16>,
    u32: Param<u32>,
    u64: Param<u64>,
    f32: Param<f32>,
    f64: Param<f64>,
}

macro_rules! each_param {
    ($self:ident, $ty:expr, $p:ident => $body:expr) => {
        match $ty {
            Ty::I8 => {
                let $p = &$self.i8;
                $body
            }
            Ty::I16 => {
                let $p = &$self.i16;
                $body
            }
            Ty::I32 => {
                let $p = &$self.i32;
                $body
            }
            Ty::I64 => {
                let $p = &$self.i64;
                $body
            }
            Ty::U8 => {
                let $p = &$self.u8;
                $body
            }
            Ty::U16 => {
                let $p = &$self.u16;
                $body
            }
            Ty::U32 => {
                let $p = &$self.u32;
                $body
            }
            Ty::U64 => {
                let $p = &$self.u64;
                $body
            }
            Ty::F32 => {
                let $p = &$self.f32;
                $body
            }
            Ty::F64 => {
                let $p = &$self.f64;
                $body
            }
            Ty::Bool => unreachable!("no bool Param"),
        }
    };
}

impl Params {
    pub fn new() -> Self {
        Params {
            i8: Param::new("p_i8"),
            i16: Param::new("p_i16"),
            i32: Param::new("p_i32"),
            i64: Param::new("p_i64"),
            u8: Param::new("p_u8"),
            u16: Param::new("p_u16"),
            u32: Param::new("p_u32"),
            u64: Param::new("p_u64"),
            f32: Param::new("p_f32"),
            f64: Param::new("p_f64"),
        }
    }

    fn expr(&self, ty: Ty) -> Expr {
        each_param!(self, ty, p => p.expr().clone())
    }

    /// All the Params, in the order of `ty::NUMERIC`.
    pub fn inputs(&self) -> Vec<&dyn Input> {
        NUMERIC
            .iter()
            .map(|&t| each_param!(self, t, p => p as &dyn Input))
            .collect()
    }

    /// The arguments giving the Params `values` (in the order of `ty::NUMERIC`).
    pub fn args(values: &[Val]) -> Vec<Arg<'static>> {
        NUMERIC
            .iter()
            .zip(values)
            .map(|(&t, &v)| by_type!(t, T => T::from_val(v).into_arg()))
            .collect()
    }
}

/// The Vars and Params expressions are built over.
pub struct Ctx {
    pub x: Var,
    pub y: Var,
    pub params: Params,
}

/// `e op lit`, or `lit op e`, with a Rust scalar `lit` (an `i32` or `f64`).
macro_rules! with_literal {
    ($op:expr, $e:expr, $lit:expr, $left:expr) => {{
        let (e, l) = ($e, $lit);
        match ($op, $left) {
            (Bin::Add, false) => e + l,
            (Bin::Add, true) => l + e,
            (Bin::Sub, false) => e - l,
            (Bin::Sub, true) => l - e,
            (Bin::Mul, false) => e * l,
            (Bin::Mul, true) => l * e,
            (Bin::Div, false) => e / l,
            (Bin::Div, true) => l / e,
            (Bin::Mod, false) => e % l,
            (Bin::Mod, true) => l % e,
            (Bin::BitAnd, false) => e & l,
            (Bin::BitAnd, true) => l & e,
            (Bin::BitOr, false) => e | l,
            (Bin::BitOr, true) => l | e,
            (Bin::BitXor, false) => e ^ l,
            (Bin::BitXor, true) => l ^ e,
            (Bin::Shl, false) => e << l,
            (Bin::Shl, true) => l << e,
            (Bin::Shr, false) => e >> l,
            (Bin::Shr, true) => l >> e,
            (Bin::Min, false) => min(e, l),
            (Bin::Min, true) => min(l, e),
            (Bin::Max, false) => max(e, l),
            (Bin::Max, true) => max(l, e),
            (Bin::Lt, false) => e.lt(l),
            (Bin::Le, false) => e.le(l),
            (Bin::Gt, false) => e.gt(l),
            (Bin::Ge, false) => e.ge(l),
            (Bin::Eq, false) => e.eq(l),
            (Bin::Ne, false) => e.ne(l),
            (op, left) => panic!("no literal form of {op:?} (literal on the left: {left})"),
        }
    }};
}

/// `node` as a Halide expression.
pub fn build(node: &Node, ctx: &Ctx) -> Expr {
    let b = |n: &Node| build(n, ctx);
    match node {
        Node::X => ctx.x.expr().clone(),
        Node::Y => ctx.y.expr().clone(),
        Node::Param(t) => ctx.params.expr(*t),
        Node::Const(t, v) => by_type!(t, T => Expr::constant(T::from_val(*v))),
        Node::Cast(t, e) => b(e).cast_to(t.halide()),
        Node::SaturatingCast(t, e) => by_type!(t, T => saturating_cast::<T>(b(e))),
        Node::Reinterpret(t, e) => by_type!(t, T => reinterpret::<T>(b(e))),
        Node::Un(op, e) => unary(*op, b(e)),
        Node::Bin(op, l, r) => binary(*op, b(l), b(r)),
        Node::BinLit(op, e, Lit::Int(i), left) => with_literal!(*op, b(e), *i, *left),
        Node::BinLit(op, e, Lit::Float(f), left) => with_literal!(*op, b(e), *f, *left),
        Node::Select(c, t, f) => select(b(c), b(t), b(f)),
        Node::Clamp(a, lo, hi) => clamp(b(a), b(lo), b(hi)),
        Node::MulShiftRight(round, l, r, q) => {
            let q = match l.ty().bits() {
                8 => Expr::constant(*q as u8),
                16 => Expr::constant(*q as u16),
                _ => Expr::constant(*q),
            };
            if *round {
                rounding_mul_shift_right(b(l), b(r), q)
            } else {
                mul_shift_right(b(l), b(r), q)
            }
        }
        Node::Mux(i, values) => mux(b(i), values.iter().map(b).collect::<Vec<_>>()),
    }
}

fn unary(op: Un, e: Expr) -> Expr {
    match op {
        Un::Neg => -e,
        // `!` is bitwise on integers and logical on bools.
        Un::BitNot | Un::Not => !e,
        Un::Abs => abs(e),
        Un::Popcount => popcount(e),
        Un::CountLeadingZeros => count_leading_zeros(e),
        Un::CountTrailingZeros => count_trailing_zeros(e),
        Un::Floor => floor(e),
        Un::Ceil => ceil(e),
        Un::Round => round(e),
        Un::Trunc => trunc(e),
        Un::Fract => fract(e),
        Un::Sqrt => sqrt(e),
        Un::IsNan => is_nan(e),
        Un::IsInf => is_inf(e),
        Un::IsFinite => is_finite(e),
    }
}

fn binary(op: Bin, a: Expr, b: Expr) -> Expr {
    match op {
        Bin::Add => a + b,
        Bin::Sub => a - b,
        Bin::Mul => a * b,
        Bin::Div => a / b,
        Bin::Mod => a % b,
        Bin::Min => min(a, b),
        Bin::Max => max(a, b),
        Bin::Lt => a.lt(b),
        Bin::Le => a.le(b),
        Bin::Gt => a.gt(b),
        Bin::Ge => a.ge(b),
        Bin::Eq => a.eq(b),
        Bin::Ne => a.ne(b),
        Bin::And => a.and(b),
        Bin::Or => a.or(b),
        Bin::BitAnd => a & b,
        Bin::BitOr => a | b,
        Bin::BitXor => a ^ b,
        Bin::Shl => a << b,
        Bin::Shr => a >> b,
        Bin::Absd => absd(a, b),
        Bin::WideningAdd => widening_add(a, b),
        Bin::WideningSub => widening_sub(a, b),
        Bin::WideningMul => widening_mul(a, b),
        Bin::SaturatingAdd => saturating_add(a, b),
        Bin::SaturatingSub => saturating_sub(a, b),
        Bin::HalvingAdd => halving_add(a, b),
        Bin::HalvingSub => halving_sub(a, b),
        Bin::RoundingHalvingAdd => rounding_halving_add(a, b),
    }
}
