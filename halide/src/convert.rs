//! What converts into expressions, and how Rust values take part in them.
//!
//! Every conversion trait of the crate is here: [`IntoExpr`] (a value on
//! its own), [`IntoOperand`] (a value beside another, whose type it may
//! take), [`Scalar`] (Rust numbers), and the lists a definition or call
//! takes: [`IntoVars`], [`IntoArgs`], [`IntoValues`]. Each accepts arrays,
//! slices, `Vec`s, Rust tuples, and `()` for none.
//!
//! # Operands and literal typing
//!
//! Operators and functions take any [`IntoOperand`]: [`Expr`], [`Var`],
//! [`RVar`](crate::RVar), `&RDom`, `&Param` (owned or borrowed) and Rust
//! scalars. A Rust scalar next to an expression behaves like a C++ literal:
//! an integer takes the expression's type when it fits (`u8_expr + 1`
//! stays `uint8`, and Halide reports a value that does not fit), a float
//! takes a float expression's type (`f32_expr * 0.5` stays `float32`). A
//! scalar on its own keeps its Rust type: `Expr::from(7u8)` is `uint8`.
//!
//! On the left of an operator only `i32` and `f64` work (`2 * x`,
//! `0.5 * x`): they are the types of unsuffixed literals, and allowing
//! more would make `2 * x` ambiguous. Write `Expr::from(1.0f32) / &gamma`,
//! or put the scalar on the right.
//!
//! Comparisons are methods, since Rust's comparison operators must return
//! `bool`: `x.lt(3)`, `x.ge(&y)`, `x.eq(0)`, and `and`/`or` for logic.
//! `!` is logical on booleans and bitwise on integers.
//!
//! ```
//! use halide::prelude::*;
//! let x = Var::new("x");
//! let small = Expr::from(7u8) + 1; // the 1 becomes a uint8
//! assert_eq!(small.type_of()?, Type::uint(8));
//! let half = 0.5 * x.cast::<f32>(); // f64 on the left, float32 result
//! assert_eq!(half.type_of()?, Type::float(32));
//! let inside = x.ge(0).and(x.lt(10)); // comparisons are methods
//! assert_eq!(inside.to_string(), "((x >= 0) && (x < 10))");
//! let mut f = Func::new("scalar");
//! f.define((), 42)?; // no variables: a zero-dimensional Func
//! assert_eq!(f.realize::<i32>(&[])?.get(&[]), Some(42));
//! # Ok::<(), halide::Error>(())
//! ```

use crate::expr::{Expr, float_constant, int_constant, uint_constant};
use crate::var::Var;
use halide_runtime::{Element, Type};
use std::borrow::Cow;

/// An operand of an operator or function: an expression, or a Rust scalar
/// that takes its type from the expression on the other side.
#[doc(hidden)]
pub enum Operand<'a> {
    Expr(Cow<'a, Expr>),
    /// An integer that fits a C++ `int`: adopts the other side's type when
    /// representable there, as a C++ int literal does; alone, it keeps `exact`.
    Int {
        value: i32,
        exact: Type,
    },
    /// A float: adopts the other side's type when that is a float type;
    /// alone, it keeps `exact`.
    Float {
        value: f64,
        exact: Type,
    },
}

impl Operand<'_> {
    /// This operand as an expression of its own, for when no other side
    /// lends it a type: a scalar keeps its Rust type.
    pub(crate) fn to_expr(&self) -> Expr {
        match self {
            Operand::Expr(e) => e.as_ref().clone(),
            Operand::Int { value, exact } => int_constant(*exact, i64::from(*value)),
            Operand::Float { value, exact } => float_constant(*exact, *value),
        }
    }
}

/// Anything usable as an operand (see the [module docs](self)):
/// [`Expr`], [`Var`], references to them, and Rust scalars.
pub trait IntoOperand<'a> {
    #[doc(hidden)]
    fn into_operand(self) -> Operand<'a>;
}

/// Anything that converts to an [`Expr`] on its own: expressions, variables,
/// and Rust scalars (as constants of exactly their own type).
pub trait IntoExpr {
    /// The expression.
    fn into_expr(self) -> Expr;
}

/// Implements [`IntoExpr`], [`IntoOperand`] and `From` for a type that
/// holds its expression in field `$field`, owned and borrowed.
macro_rules! holds_expr {
    ($t:ty, $field:tt) => {
        impl $crate::convert::IntoExpr for $t {
            fn into_expr(self) -> Expr {
                self.$field
            }
        }
        impl $crate::convert::IntoExpr for &$t {
            fn into_expr(self) -> Expr {
                self.$field.clone()
            }
        }
        impl<'a> $crate::convert::IntoOperand<'a> for $t {
            fn into_operand(self) -> $crate::convert::Operand<'a> {
                $crate::convert::Operand::Expr(std::borrow::Cow::Owned(self.$field))
            }
        }
        impl<'a> $crate::convert::IntoOperand<'a> for &'a $t {
            fn into_operand(self) -> $crate::convert::Operand<'a> {
                $crate::convert::Operand::Expr(std::borrow::Cow::Borrowed(&self.$field))
            }
        }
        impl From<$t> for Expr {
            fn from(v: $t) -> Expr {
                v.$field
            }
        }
        impl From<&$t> for Expr {
            fn from(v: &$t) -> Expr {
                v.$field.clone()
            }
        }
    };
}
pub(crate) use holds_expr;

impl IntoExpr for Expr {
    fn into_expr(self) -> Expr {
        self
    }
}

impl IntoExpr for &Expr {
    fn into_expr(self) -> Expr {
        self.clone()
    }
}

impl<'a> IntoOperand<'a> for Expr {
    fn into_operand(self) -> Operand<'a> {
        Operand::Expr(Cow::Owned(self))
    }
}

impl<'a> IntoOperand<'a> for &'a Expr {
    fn into_operand(self) -> Operand<'a> {
        Operand::Expr(Cow::Borrowed(self))
    }
}

holds_expr!(Var, expr);

mod sealed {
    /// Only the scalars Halide's Params and constants can hold (at most 8
    /// bytes, one lane) are [`Scalar`](super::Scalar)s.
    pub trait Sealed {}
}

/// A Rust scalar type that can appear in expressions: the integers, `f32`,
/// `f64` and `bool`.
pub trait Scalar: Element + sealed::Sealed {
    /// A constant of exactly this type.
    fn typed_constant(self) -> Expr;
    #[doc(hidden)]
    fn weak_operand<'a>(self) -> Operand<'a>;
}

impl Expr {
    /// A constant of exactly Rust type `T`'s Halide type.
    ///
    /// ```
    /// use halide::prelude::*;
    /// assert_eq!(Expr::constant(3u16).type_of()?, Type::uint(16));
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn constant<T: Scalar>(value: T) -> Expr {
        value.typed_constant()
    }
}

macro_rules! scalar {
    ($make:ident as $wide:ty: $($t:ty),*) => {$(
        impl Scalar for $t {
            fn typed_constant(self) -> Expr {
                $make(<$t as Element>::TYPE, self as $wide)
            }
            fn weak_operand<'a>(self) -> Operand<'a> {
                // Integers a C++ int can hold behave as C++ int literals;
                // larger ones keep their own type.
                match i32::try_from(self) {
                    Ok(value) => Operand::Int { value, exact: <$t as Element>::TYPE },
                    Err(_) => Operand::Expr(Cow::Owned(self.typed_constant())),
                }
            }
        }
    )*};
}
scalar!(int_constant as i64: i8, i16, i32, i64);
scalar!(uint_constant as u64: u8, u16, u32, u64);

macro_rules! float_scalar {
    ($($t:ty),*) => {$(
        impl Scalar for $t {
            fn typed_constant(self) -> Expr {
                float_constant(<$t as Element>::TYPE, f64::from(self))
            }
            fn weak_operand<'a>(self) -> Operand<'a> {
                Operand::Float { value: f64::from(self), exact: <$t as Element>::TYPE }
            }
        }
    )*};
}
float_scalar!(f32, f64);

impl Scalar for bool {
    fn typed_constant(self) -> Expr {
        uint_constant(Type::bool(), u64::from(self))
    }
    fn weak_operand<'a>(self) -> Operand<'a> {
        Operand::Expr(Cow::Owned(self.typed_constant()))
    }
}

macro_rules! scalar_conversions {
    ($($t:ty),*) => {$(
        impl sealed::Sealed for $t {}
        impl IntoExpr for $t {
            fn into_expr(self) -> Expr {
                self.typed_constant()
            }
        }
        impl<'a> IntoOperand<'a> for $t {
            fn into_operand(self) -> Operand<'a> {
                self.weak_operand()
            }
        }
        impl From<$t> for Expr {
            fn from(v: $t) -> Expr {
                v.typed_constant()
            }
        }
    )*};
}
scalar_conversions!(i8, i16, i32, i64, u8, u16, u32, u64, f32, f64, bool);

impl IntoExpr for &str {
    fn into_expr(self) -> Expr {
        Expr::string(self)
    }
}

/// The variables of a pure definition: an array, slice or `Vec` of
/// [`Var`]s or `&Var`s, a tuple of `&Var`s, or `()` for none.
pub trait IntoVars {
    /// The variables, in order.
    fn into_vars(self) -> Vec<Var>;
}

impl<const N: usize> IntoVars for [&Var; N] {
    fn into_vars(self) -> Vec<Var> {
        self.into_iter().cloned().collect()
    }
}

impl<const N: usize> IntoVars for [Var; N] {
    fn into_vars(self) -> Vec<Var> {
        self.into()
    }
}

impl IntoVars for &[Var] {
    fn into_vars(self) -> Vec<Var> {
        self.to_vec()
    }
}

impl IntoVars for &[&Var] {
    fn into_vars(self) -> Vec<Var> {
        self.iter().map(|&v| v.clone()).collect()
    }
}

impl IntoVars for Vec<Var> {
    fn into_vars(self) -> Vec<Var> {
        self
    }
}

impl IntoVars for () {
    fn into_vars(self) -> Vec<Var> {
        Vec::new()
    }
}

/// The arguments of a call: an array, slice or `Vec` of one kind of
/// argument, a tuple mixing kinds, e.g. `(&x - 1, &y)`, or `()` for none.
pub trait IntoArgs {
    /// The arguments, in order.
    fn into_args(self) -> Vec<Expr>;
}

impl<T: IntoExpr, const N: usize> IntoArgs for [T; N] {
    fn into_args(self) -> Vec<Expr> {
        self.into_iter().map(IntoExpr::into_expr).collect()
    }
}

impl<T: IntoExpr> IntoArgs for Vec<T> {
    fn into_args(self) -> Vec<Expr> {
        self.into_iter().map(IntoExpr::into_expr).collect()
    }
}

impl<'a, T> IntoArgs for &'a [T]
where
    &'a T: IntoExpr,
{
    fn into_args(self) -> Vec<Expr> {
        self.iter().map(IntoExpr::into_expr).collect()
    }
}

impl IntoArgs for () {
    fn into_args(self) -> Vec<Expr> {
        Vec::new()
    }
}

macro_rules! tuple_args {
    ($($name:ident),+) => {
        impl<$($name: IntoExpr),+> IntoArgs for ($($name,)+) {
            #[allow(non_snake_case)]
            fn into_args(self) -> Vec<Expr> {
                let ($($name,)+) = self;
                vec![$($name.into_expr()),+]
            }
        }

        impl<'v> IntoVars for ($(tuple_args!(@var $name),)+) {
            #[allow(non_snake_case)]
            fn into_vars(self) -> Vec<Var> {
                let ($($name,)+) = self;
                vec![$($name.clone()),+]
            }
        }
    };
    (@var $name:ident) => { &'v Var };
}
tuple_args!(A);
tuple_args!(A, B);
tuple_args!(A, B, C);
tuple_args!(A, B, C, D);
tuple_args!(A, B, C, D, E);
tuple_args!(A, B, C, D, E, F);
tuple_args!(A, B, C, D, E, F, G);
tuple_args!(A, B, C, D, E, F, G, H);

/// The right-hand side of a definition: one value (anything
/// [`IntoExpr`]) or several (a [`Tuple`](crate::Tuple), or a Rust tuple of
/// 2 to 4 values).
pub trait IntoValues {
    /// The values, in order.
    fn into_values(self) -> Vec<Expr>;
}

impl<T: IntoExpr> IntoValues for T {
    fn into_values(self) -> Vec<Expr> {
        vec![self.into_expr()]
    }
}

macro_rules! tuple_values {
    ($($name:ident),+) => {
        impl<$($name: IntoExpr),+> IntoValues for ($($name,)+) {
            #[allow(non_snake_case)]
            fn into_values(self) -> Vec<Expr> {
                let ($($name,)+) = self;
                vec![$($name.into_expr()),+]
            }
        }
    };
}
tuple_values!(A, B);
tuple_values!(A, B, C);
tuple_values!(A, B, C, D);
