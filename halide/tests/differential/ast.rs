//! The random expressions: a small typed AST, its typing rules (Halide's,
//! see `ty.rs`), and its printing as Rust code against the `halide` API.

use crate::ty::{Ty, Val, match_bits, match_types};
use std::fmt;

/// One-operand operators and functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Un {
    /// `-e`: Halide's `0 - e`.
    Neg,
    /// `!e` on an integer.
    BitNot,
    /// `!e` on a bool.
    Not,
    Abs,
    Popcount,
    CountLeadingZeros,
    CountTrailingZeros,
    Floor,
    Ceil,
    Round,
    Trunc,
    Fract,
    Sqrt,
    IsNan,
    IsInf,
    IsFinite,
}

/// Two-operand operators and functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bin {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Min,
    Max,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    And,
    Or,
    BitAnd,
    BitOr,
    BitXor,
    Shl,
    Shr,
    Absd,
    WideningAdd,
    WideningSub,
    WideningMul,
    SaturatingAdd,
    SaturatingSub,
    HalvingAdd,
    HalvingSub,
    RoundingHalvingAdd,
}

impl Bin {
    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            Bin::Lt | Bin::Le | Bin::Gt | Bin::Ge | Bin::Eq | Bin::Ne
        )
    }

    /// The Rust operator of an infix operation, if it is one.
    fn infix(self) -> Option<&'static str> {
        Some(match self {
            Bin::Add => "+",
            Bin::Sub => "-",
            Bin::Mul => "*",
            Bin::Div => "/",
            Bin::Mod => "%",
            Bin::BitAnd => "&",
            Bin::BitOr => "|",
            Bin::BitXor => "^",
            Bin::Shl => "<<",
            Bin::Shr => ">>",
            _ => return None,
        })
    }

    /// The name of the method or function.
    fn name(self) -> &'static str {
        match self {
            Bin::Min => "min",
            Bin::Max => "max",
            Bin::Lt => "lt",
            Bin::Le => "le",
            Bin::Gt => "gt",
            Bin::Ge => "ge",
            Bin::Eq => "eq",
            Bin::Ne => "ne",
            Bin::And => "and",
            Bin::Or => "or",
            Bin::Absd => "absd",
            Bin::WideningAdd => "widening_add",
            Bin::WideningSub => "widening_sub",
            Bin::WideningMul => "widening_mul",
            Bin::SaturatingAdd => "saturating_add",
            Bin::SaturatingSub => "saturating_sub",
            Bin::HalvingAdd => "halving_add",
            Bin::HalvingSub => "halving_sub",
            Bin::RoundingHalvingAdd => "rounding_halving_add",
            other => other.infix().unwrap_or("?"),
        }
    }
}

/// A Rust scalar operand, given to the API as `i32` or `f64` so that it
/// takes the other operand's type as a C++ literal would.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Lit {
    Int(i32),
    Float(f64),
}

/// An expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// The Func's first variable (int32).
    X,
    /// The Func's second variable (int32).
    Y,
    /// The pipeline's `Param` of this type.
    Param(Ty),
    /// A constant of exactly this type (`Expr::constant`).
    Const(Ty, Val),
    Cast(Ty, Box<Node>),
    SaturatingCast(Ty, Box<Node>),
    Reinterpret(Ty, Box<Node>),
    Un(Un, Box<Node>),
    Bin(Bin, Box<Node>, Box<Node>),
    /// `e op lit` or, with `true`, `lit op e`.
    BinLit(Bin, Box<Node>, Lit, bool),
    Select(Box<Node>, Box<Node>, Box<Node>),
    Clamp(Box<Node>, Box<Node>, Box<Node>),
    /// `mul_shift_right(a, b, q)`, or with `true` the rounding one; `q` is
    /// a constant of the unsigned type as wide as `a`.
    MulShiftRight(bool, Box<Node>, Box<Node>, u32),
    Mux(Box<Node>, Vec<Node>),
}

impl Node {
    /// The expression's type, by Halide's rules (IROperator.h/.cpp).
    pub fn ty(&self) -> Ty {
        match self {
            Node::X | Node::Y => Ty::I32,
            Node::Param(t)
            | Node::Const(t, _)
            | Node::Cast(t, _)
            | Node::SaturatingCast(t, _)
            | Node::Reinterpret(t, _) => *t,
            Node::Un(op, e) => match op {
                Un::IsNan | Un::IsInf | Un::IsFinite => Ty::Bool,
                Un::Abs if e.ty().is_signed() => e.ty().to_unsigned(),
                _ => e.ty(),
            },
            Node::Bin(op, a, b) => bin_ty(*op, a.ty(), b.ty()),
            Node::BinLit(op, e, lit, left) => lit_ty(*op, e.ty(), *lit, *left),
            Node::Select(_, t, _) => t.ty(),
            Node::Clamp(a, _, _) | Node::MulShiftRight(_, a, _, _) => a.ty(),
            Node::Mux(_, values) => values[0].ty(),
        }
    }

    /// The direct subexpressions.
    pub fn children(&self) -> Vec<&Node> {
        match self {
            Node::X | Node::Y | Node::Param(_) | Node::Const(..) => vec![],
            Node::Cast(_, e)
            | Node::SaturatingCast(_, e)
            | Node::Reinterpret(_, e)
            | Node::Un(_, e)
            | Node::BinLit(_, e, _, _) => vec![e],
            Node::Bin(_, a, b) | Node::MulShiftRight(_, a, b, _) => vec![a, b],
            Node::Select(a, b, c) | Node::Clamp(a, b, c) => vec![a, b, c],
            Node::Mux(i, values) => std::iter::once(&**i).chain(values).collect(),
        }
    }

    /// This node with child `i` replaced (by a node of the same type).
    pub fn with_child(&self, i: usize, new: Node) -> Node {
        let mut n = self.clone();
        let slot: &mut Node = match &mut n {
            Node::Cast(_, e)
            | Node::SaturatingCast(_, e)
            | Node::Reinterpret(_, e)
            | Node::Un(_, e)
            | Node::BinLit(_, e, _, _) => e,
            Node::Bin(_, a, b) | Node::MulShiftRight(_, a, b, _) => [a, b][i],
            Node::Select(a, b, c) | Node::Clamp(a, b, c) => [a, b, c][i],
            Node::Mux(idx, values) if i == 0 => idx,
            Node::Mux(_, values) => &mut values[i - 1],
            leaf => unreachable!("{leaf:?} has no children"),
        };
        *slot = new;
        n
    }

    /// The number of nodes.
    pub fn size(&self) -> usize {
        1 + self.children().iter().map(|c| c.size()).sum::<usize>()
    }
}

/// The type of `a op b`.
pub fn bin_ty(op: Bin, a: Ty, b: Ty) -> Ty {
    match op {
        _ if op.is_comparison() => Ty::Bool,
        Bin::And | Bin::Or => Ty::Bool,
        Bin::BitAnd | Bin::BitOr | Bin::BitXor | Bin::Shl | Bin::Shr => match_bits(a, b).0,
        Bin::Absd => {
            let t = match_types(a, b);
            if t.is_float() { t } else { t.to_unsigned() }
        }
        Bin::WideningAdd => match_types(a, b).widen(),
        Bin::WideningSub => match_types(a, b).widen().to_signed(),
        Bin::WideningMul => {
            let (a, b) = match_bits(a, b);
            let wide = a.widen();
            if wide.is_unsigned() && b.is_signed() {
                wide.to_signed()
            } else {
                wide
            }
        }
        _ => match_types(a, b),
    }
}

/// The type of the literal of `e op lit` (`lit op e` if `left`): Halide's
/// `int` overloads give an integer literal the expression's type, except
/// that shifts have none with the `int` on the left, where it is an int32.
/// A float literal is made a constant of a float expression's type.
pub fn lit_operand_ty(op: Bin, e: Ty, lit: Lit, left: bool) -> Ty {
    match lit {
        Lit::Int(_) if left && matches!(op, Bin::Shl | Bin::Shr) => Ty::I32,
        Lit::Int(_) if matches!(op, Bin::Shl | Bin::Shr) => e.to_unsigned(),
        _ => e,
    }
}

/// The type of `e op lit` (or `lit op e`).
pub fn lit_ty(op: Bin, e: Ty, lit: Lit, left: bool) -> Ty {
    let l = lit_operand_ty(op, e, lit, left);
    match (op, left) {
        (Bin::Shl | Bin::Shr, false) => e,
        (_, true) => bin_ty(op, l, e),
        _ => bin_ty(op, e, l),
    }
}

impl fmt::Display for Lit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Lit::Int(i) => write!(f, "{i}"),
            Lit::Float(x) => write!(f, "{x:?}"),
        }
    }
}

/// Prints the expression as the Rust code that builds it with `halide`
/// (`use halide::prelude::*; use halide::math::*;`, Vars `x`, `y` and
/// Params named after their types: `p_u8`, ...).
impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::X => f.write_str("x"),
            Node::Y => f.write_str("y"),
            Node::Param(t) => write!(f, "p_{t}"),
            Node::Const(t, v) => write!(f, "Expr::from({})", v.show(*t)),
            Node::Cast(t, e) => write!(f, "({e}).cast::<{t}>()"),
            Node::SaturatingCast(t, e) => write!(f, "saturating_cast::<{t}>({e})"),
            Node::Reinterpret(t, e) => write!(f, "reinterpret::<{t}>({e})"),
            Node::Un(op, e) => match op {
                Un::Neg => write!(f, "-({e})"),
                Un::BitNot | Un::Not => write!(f, "!({e})"),
                _ => {
                    let name = format!("{op:?}");
                    write!(f, "{}({e})", snake(&name))
                }
            },
            Node::Bin(op, a, b) => match op.infix() {
                Some(sym) => write!(f, "({a} {sym} {b})"),
                None if op.is_comparison() || matches!(op, Bin::And | Bin::Or) => {
                    write!(f, "({a}).{}({b})", op.name())
                }
                None => write!(f, "{}({a}, {b})", op.name()),
            },
            Node::BinLit(op, e, lit, left) => {
                let (a, b) = if *left {
                    (lit.to_string(), e.to_string())
                } else {
                    (e.to_string(), lit.to_string())
                };
                match op.infix() {
                    Some(sym) => write!(f, "({a} {sym} {b})"),
                    None if op.is_comparison() => write!(f, "({a}).{}({b})", op.name()),
                    None => write!(f, "{}({a}, {b})", op.name()),
                }
            }
            Node::Select(c, t, e) => write!(f, "select({c}, {t}, {e})"),
            Node::Clamp(a, lo, hi) => write!(f, "clamp({a}, {lo}, {hi})"),
            Node::MulShiftRight(round, a, b, q) => {
                let name = if *round {
                    "rounding_mul_shift_right"
                } else {
                    "mul_shift_right"
                };
                let qt = a.ty().to_unsigned();
                write!(f, "{name}({a}, {b}, {q}{qt})")
            }
            Node::Mux(i, values) => {
                write!(f, "mux({i}, [")?;
                for (k, v) in values.iter().enumerate() {
                    let sep = if k == 0 { "" } else { ", " };
                    write!(f, "{sep}{v}")?;
                }
                f.write_str("])")
            }
        }
    }
}

/// `CountLeadingZeros` as `count_leading_zeros`.
fn snake(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}
