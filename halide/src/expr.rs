//! Expressions: Halide's `Expr`, with Rust's operators.
//!
//! Building an expression never panics. When Halide rejects an operation
//! (say, arithmetic on mismatched vector widths), the resulting [`Expr`]
//! carries the error; every expression built from it carries it on, and the
//! first fallible call that uses it ([`Func::define`](crate::Func::define),
//! [`Expr::type_of`], [`Expr::check`]) returns it as `Err` with Halide's
//! message. Nothing is lost and nothing aborts.

use crate::error::{Error, Result};
use crate::ffi::{self, Handle, Ptrs, shim};
use halide_runtime::{Element, Type};
use halide_sys as sys;
use std::fmt;

pub(crate) type ExprHandle = Handle<sys::hl_expr>;

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

    /// The largest value of type `ty`, as an expression (C++'s
    /// `Type::max()`): for floats, infinity.
    ///
    /// ```
    /// use halide::prelude::*;
    /// assert_eq!(halide::evaluate::<u16>(Expr::max_of(Type::uint(16)))?, u16::MAX);
    /// assert_eq!(halide::evaluate::<i8>(Expr::min_of(Type::int(8)))?, i8::MIN);
    /// assert_eq!(halide::evaluate::<f32>(Expr::max_of(Type::float(32)))?, f32::INFINITY);
    /// assert!(Expr::max_of(Type::handle()).check().is_err());
    /// # Ok::<(), halide::Error>(())
    /// ```
    pub fn max_of(ty: Type) -> Expr {
        Expr::build(|| shim!(sys::hl_expr_type_bound, ty.to_raw(), true))
    }

    /// The smallest value of type `ty` (C++'s `Type::min()`): for floats,
    /// minus infinity.
    pub fn min_of(ty: Type) -> Expr {
        Expr::build(|| shim!(sys::hl_expr_type_bound, ty.to_raw(), false))
    }

    /// The expression's type.
    pub fn type_of(&self) -> Result<Type> {
        let raw = shim!(sys::hl_expr_type, self.handle()?)?;
        Type::from_raw(raw).ok_or_else(|| {
            Error::invalid(format!("Halide returned an unknown type code {}", raw.code))
        })
    }

    /// This expression converted to `T`'s type (Halide's `cast<T>`).
    pub fn cast<T: Element>(&self) -> Expr {
        self.cast_to(T::TYPE)
    }

    /// This expression converted to `ty`.
    pub fn cast_to(&self, ty: Type) -> Expr {
        Expr::build(|| shim!(sys::hl_expr_cast, ty.to_raw(), self.handle()?))
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Inner::Valid(h) => {
                f.write_str(&shim!(sys::hl_expr_to_string, h).map_err(|_| fmt::Error)?)
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

/// A constant of integer type `ty`.
pub(crate) fn int_constant(ty: Type, value: i64) -> Expr {
    Expr::from_result(shim!(sys::hl_expr_int, ty.to_raw(), value))
}

/// A constant of unsigned type `ty`.
pub(crate) fn uint_constant(ty: Type, value: u64) -> Expr {
    Expr::from_result(shim!(sys::hl_expr_uint, ty.to_raw(), value))
}

/// A constant of float type `ty`.
pub(crate) fn float_constant(ty: Type, value: f64) -> Expr {
    Expr::from_result(shim!(sys::hl_expr_float, ty.to_raw(), value))
}

impl Expr {
    /// A string constant, for the messages of [`print`](crate::math::print)
    /// and [`require`](crate::math::require).
    pub fn string(s: &str) -> Expr {
        Expr::from_result(ffi::c_string(s).and_then(|c| shim!(sys::hl_expr_string, c.as_c_str())))
    }
}

/// The shim pointers of `exprs`, valid while they live; or the first error
/// one of them carries.
pub(crate) fn raw_ptrs<'a>(
    exprs: impl IntoIterator<Item = &'a Expr>,
) -> Result<Ptrs<'a, sys::hl_expr>> {
    let handles = exprs
        .into_iter()
        .map(Expr::handle)
        .collect::<Result<Vec<_>>>()?;
    Ok(Ptrs::new(handles))
}
