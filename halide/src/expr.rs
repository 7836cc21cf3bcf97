//! Expressions: Halide's `Expr`, with Rust's operators.
//!
//! Building an expression never panics. When Halide rejects an operation
//! (say, arithmetic on mismatched vector widths), the resulting [`Expr`]
//! carries the error; every expression built from it carries it on, and the
//! first fallible call that uses it ([`Func::define`](crate::Func::define),
//! [`Expr::type_of`], [`Expr::check`]) returns it as `Err` with Halide's
//! message. Nothing is lost and nothing aborts.

use crate::error::{Error, Result};
use crate::ffi::{self, handle};
use halide_runtime::{Element, Type};
use halide_sys as sys;
use std::borrow::Cow;
use std::fmt;

handle!(
    ExprHandle,
    sys::hl_expr,
    sys::hl_expr_free,
    clone = sys::hl_expr_clone
);

/// A Halide expression.
///
/// ```
/// use halide::prelude::*;
/// let x = Var::new("x");
/// let e = (&x + 1) * 2;
/// assert_eq!(e.to_string(), "((x + 1)*2)");
/// assert_eq!(e.type_of()?, Type::int(32));
/// // Rust scalars take the type of the expression they meet, as C++ literals do:
/// let small = Expr::from(7u8) + 1;
/// assert_eq!(small.type_of()?, Type::uint(8));
/// # Ok::<(), halide::Error>(())
/// ```
#[derive(Clone)]
pub struct Expr(Inner);

#[derive(Clone)]
enum Inner {
    Valid(ExprHandle),
    Invalid(Box<Error>),
}

impl Expr {
    pub(crate) fn from_result(r: Result<ExprHandle>) -> Self {
        match r {
            Ok(h) => Expr(Inner::Valid(h)),
            Err(e) => Expr(Inner::Invalid(Box::new(e))),
        }
    }

    /// Builds an expression from a shim call on valid operands.
    pub(crate) fn build(f: impl FnOnce() -> Result<ExprHandle>) -> Self {
        Expr::from_result(f())
    }

    /// The shim handle, or the error this expression carries.
    pub(crate) fn handle(&self) -> Result<&ExprHandle> {
        match &self.0 {
            Inner::Valid(h) => Ok(h),
            Inner::Invalid(e) => Err((**e).clone()),
        }
    }

    /// `Ok` for a valid expression; the error Halide reported while building
    /// it (or one of its operands) otherwise.
    ///
    /// ```
    /// use halide::prelude::*;
    /// let bad = Expr::from(1.5f32).select_with(1, 2); // condition must be bool
    /// assert!(bad.check().unwrap_err().message().contains("bool"));
    /// ```
    pub fn check(&self) -> Result<()> {
        self.handle().map(|_| ())
    }

    /// The expression's type.
    pub fn type_of(&self) -> Result<Type> {
        let h = self.handle()?;
        // SAFETY: h is a live expression.
        let raw = ffi::call(|err| unsafe { sys::hl_expr_type(h.as_ptr(), err) })?;
        Type::from_raw(raw).ok_or_else(|| {
            Error::invalid(format!("Halide returned an unknown type code {}", raw.code))
        })
    }

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

    /// This expression converted to `T`'s type (Halide's `cast<T>`).
    pub fn cast<T: Element>(&self) -> Expr {
        self.cast_to(T::TYPE)
    }

    /// This expression converted to `ty`.
    pub fn cast_to(&self, ty: Type) -> Expr {
        Expr::build(|| {
            let h = self.handle()?;
            // SAFETY: h is a live expression.
            ExprHandle::new(|err| unsafe { sys::hl_expr_cast(ty.to_raw(), h.as_ptr(), err) })
        })
    }

    /// `select(self, if_true, if_false)`: this boolean expression chooses.
    pub fn select_with<'a, 'b>(
        &self,
        if_true: impl IntoOperand<'a>,
        if_false: impl IntoOperand<'b>,
    ) -> Expr {
        crate::math::select(self, if_true, if_false)
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Inner::Valid(h) => {
                // SAFETY: h is a live expression.
                let s = ffi::call_string(|err| unsafe { sys::hl_expr_to_string(h.as_ptr(), err) })
                    .map_err(|_| fmt::Error)?;
                f.write_str(&s)
            }
            Inner::Invalid(e) => write!(f, "<invalid expression: {}>", e.message()),
        }
    }
}

impl fmt::Debug for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Expr({self})")
    }
}

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

/// Anything usable as an operand: [`Expr`], [`Var`](crate::Var), references
/// to them, and Rust scalars.
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

/// A Rust scalar type that can appear in expressions.
pub trait Scalar: Element {
    /// A constant of exactly this type.
    fn typed_constant(self) -> Expr;
    #[doc(hidden)]
    fn weak_operand<'a>(self) -> Operand<'a>;
}

fn int_constant(ty: Type, value: i64) -> Expr {
    // SAFETY: plain values.
    Expr::from_result(ExprHandle::new(|err| unsafe {
        sys::hl_expr_int(ty.to_raw(), value, err)
    }))
}

fn uint_constant(ty: Type, value: u64) -> Expr {
    // SAFETY: plain values.
    Expr::from_result(ExprHandle::new(|err| unsafe {
        sys::hl_expr_uint(ty.to_raw(), value, err)
    }))
}

fn float_constant(ty: Type, value: f64) -> Expr {
    // SAFETY: plain values.
    Expr::from_result(ExprHandle::new(|err| unsafe {
        sys::hl_expr_float(ty.to_raw(), value, err)
    }))
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

impl Expr {
    /// A string constant, for the messages of [`print`](crate::math::print)
    /// and [`require`](crate::math::require).
    pub fn string(s: &str) -> Expr {
        match ffi::c_string(s) {
            // SAFETY: c is a valid C string for the call.
            Ok(c) => Expr::from_result(ExprHandle::new(|err| unsafe {
                sys::hl_expr_string(c.as_ptr(), err)
            })),
            Err(e) => Expr::from_result(Err(e)),
        }
    }
}

impl IntoExpr for &str {
    fn into_expr(self) -> Expr {
        Expr::string(self)
    }
}

/// Applies a binary operator to two operands with Halide's typing rules.
pub(crate) fn binary<'a, 'b>(
    op: sys::hl_binary_op,
    a: impl IntoOperand<'a>,
    b: impl IntoOperand<'b>,
) -> Expr {
    let (a, b) = (a.into_operand(), b.into_operand());
    Expr::build(|| match (&a, &b) {
        (Operand::Expr(a), Operand::Expr(b)) => {
            let (a, b) = (a.handle()?, b.handle()?);
            // SAFETY: both are live expressions.
            ExprHandle::new(|err| unsafe { sys::hl_expr_binary(op, a.as_ptr(), b.as_ptr(), err) })
        }
        (Operand::Expr(e), Operand::Int { value, .. })
        | (Operand::Int { value, .. }, Operand::Expr(e)) => {
            let on_left = matches!(a, Operand::Int { .. });
            let e = e.handle()?;
            // SAFETY: e is a live expression.
            ExprHandle::new(|err| unsafe {
                sys::hl_expr_binary_int(op, e.as_ptr(), *value, on_left, err)
            })
        }
        (Operand::Expr(e), Operand::Float { value: v, .. })
        | (Operand::Float { value: v, .. }, Operand::Expr(e)) => {
            let on_left = matches!(a, Operand::Float { .. });
            let e = e.handle()?;
            // SAFETY: e is a live expression.
            ExprHandle::new(|err| unsafe {
                sys::hl_expr_binary_float(op, e.as_ptr(), *v, on_left, err)
            })
        }
        // Two scalars: neither side has a type to lend, so each keeps its own.
        _ => {
            let (a, b) = (a.to_expr(), b.to_expr());
            let (a, b) = (a.handle()?, b.handle()?);
            // SAFETY: both are live expressions.
            ExprHandle::new(|err| unsafe { sys::hl_expr_binary(op, a.as_ptr(), b.as_ptr(), err) })
        }
    })
}

/// The shim pointers of `exprs`, valid while they live; or the first error
/// one of them carries.
pub(crate) fn raw_ptrs<'a>(
    exprs: impl IntoIterator<Item = &'a Expr>,
) -> Result<Vec<*const sys::hl_expr>> {
    exprs
        .into_iter()
        .map(|e| e.handle().map(|h| h.as_ptr().cast_const()))
        .collect()
}

/// Applies a unary operator.
pub(crate) fn unary(op: sys::hl_unary_op, a: &Expr) -> Expr {
    Expr::build(|| {
        let h = a.handle()?;
        // SAFETY: h is a live expression.
        ExprHandle::new(|err| unsafe { sys::hl_expr_unary(op, h.as_ptr(), err) })
    })
}
